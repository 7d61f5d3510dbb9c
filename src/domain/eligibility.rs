//! Hard rules: a pair that breaks one is never proposed, whatever its score; `partnerships::propose`
//! checks them on the rows it locked, and matching leaves such pairs out of its suggestions. The offer's
//! eligibility (organization kinds, provinces, cause areas, charity registration) is checked
//! against the need's organization; then where each side can work, status, expiry and capacity.

use chrono::{DateTime, Utc};
use entity::{Language, OrgKind, PostingKind, PostingStatus, Verification, organization, posting};

use super::taxonomy::Taxonomy;
use super::types::Province;

/// One side of a pair: a posting and its organization.
#[derive(Debug, Clone, Copy)]
pub struct Party<'a> {
    pub posting: &'a posting::Model,
    pub org: &'a organization::Model,
}

/// A need and an offer considered together.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub need: Party<'a>,
    pub offer: Party<'a>,
}

impl<'a> Pair<'a> {
    pub fn new(
        need: &'a posting::Model,
        need_org: &'a organization::Model,
        offer: &'a posting::Model,
        offer_org: &'a organization::Model,
    ) -> Self {
        Self {
            need: Party {
                posting: need,
                org: need_org,
            },
            offer: Party {
                posting: offer,
                org: offer_org,
            },
        }
    }
}

/// "nonprofits", "organismes de bienfaisance"...
pub fn org_kind_plural(kind: OrgKind, fr: bool) -> &'static str {
    match (kind, fr) {
        (OrgKind::Nonprofit, false) => "nonprofits",
        (OrgKind::Charity, false) => "charities",
        (OrgKind::Company, false) => "companies",
        (OrgKind::Foundation, false) => "foundations",
        (OrgKind::PublicAgency, false) => "public agencies",
        (OrgKind::Academic, false) => "academic institutions",
        (OrgKind::CommunityGroup, false) => "community groups",
        (OrgKind::Nonprofit, true) => "organismes à but non lucratif",
        (OrgKind::Charity, true) => "organismes de bienfaisance",
        (OrgKind::Company, true) => "entreprises",
        (OrgKind::Foundation, true) => "fondations",
        (OrgKind::PublicAgency, true) => "organismes publics",
        (OrgKind::Academic, true) => "établissements d'enseignement",
        (OrgKind::CommunityGroup, true) => "groupes communautaires",
    }
}

/// The rule a pair breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Both postings belong to the same organization.
    SameOrganization,
    /// A posting is not open (draft, paused, fulfilled, closed, expired).
    NotOpen { need: bool, status: PostingStatus },
    /// A posting's expiry date has passed.
    Expired { need: bool },
    /// A posting has no capacity or quantity left.
    NoCapacity { need: bool },
    /// An administrator rejected one of the organizations.
    OrganizationRejected { need: bool },
    /// The offer is for other kinds of organizations.
    OrgKind,
    /// The offer serves other provinces.
    Province { province: String },
    /// The offer supports other cause areas.
    CauseArea,
    /// The offer is for registered charities.
    CharityNumber,
    /// One side must meet in person and the other is in another province.
    Distance {
        need_province: String,
        offer_province: String,
    },
}

impl Rule {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::SameOrganization => "same_organization",
            Rule::NotOpen { .. } => "not_open",
            Rule::Expired { .. } => "expired",
            Rule::NoCapacity { .. } => "no_capacity",
            Rule::OrganizationRejected { .. } => "organization_rejected",
            Rule::OrgKind => "org_kind",
            Rule::Province { .. } => "province",
            Rule::CauseArea => "cause_area",
            Rule::CharityNumber => "charity_number",
            Rule::Distance { .. } => "distance",
        }
    }

    /// True for the rules about who may receive the offer and where, as opposed to the state of a
    /// posting (open, expired, capacity left), which changes over time.
    pub fn is_eligibility(&self) -> bool {
        matches!(
            self,
            Rule::OrgKind
                | Rule::Province { .. }
                | Rule::CauseArea
                | Rule::CharityNumber
                | Rule::Distance { .. }
        )
    }

    /// Why, in a sentence of the caller's language.
    pub fn sentence(&self, pair: &Pair, language: Language, taxonomy: &Taxonomy) -> String {
        let fr = language == Language::Fr;
        let side = |need: bool| match (need, fr) {
            (true, false) => "The need",
            (false, false) => "The offer",
            (true, true) => "Le besoin",
            (false, true) => "L'offre",
        };
        let org = &pair.need.org;
        let eligibility = pair.offer.posting.eligibility.clone().unwrap_or_default();
        let province = |code: &str| Province::name(code, language).to_owned();
        match self {
            Rule::SameOrganization if fr => "Les deux annonces sont de la même organisation".into(),
            Rule::SameOrganization => "Both postings belong to the same organization".into(),
            Rule::NotOpen { need, status } if fr => {
                format!("{} n'est pas ouvert ({})", side(*need), status.as_str())
            }
            Rule::NotOpen { need, status } => {
                format!("{} is not open ({})", side(*need), status.as_str())
            }
            Rule::Expired { need } if fr => format!("{} a expiré", side(*need)),
            Rule::Expired { need } => format!("{} has expired", side(*need)),
            Rule::NoCapacity { need } if fr => format!("{} n'a plus de place", side(*need)),
            Rule::NoCapacity { need } => format!("{} has no capacity left", side(*need)),
            Rule::OrganizationRejected { .. } if fr => {
                "Un administrateur a refusé l'une des organisations".into()
            }
            Rule::OrganizationRejected { .. } => {
                "An administrator rejected one of the organizations".into()
            }
            Rule::OrgKind => {
                let kinds: Vec<&str> = eligibility
                    .org_kinds
                    .iter()
                    .map(|k| org_kind_plural(*k, fr))
                    .collect();
                if fr {
                    format!(
                        "L'offre est réservée aux {} ; {} fait partie des {}",
                        kinds.join(", "),
                        org.name,
                        org_kind_plural(org.kind, fr)
                    )
                } else {
                    format!(
                        "Offer is only for {}; {} is one of the {}",
                        kinds.join(", "),
                        org.name,
                        org_kind_plural(org.kind, fr)
                    )
                }
            }
            Rule::Province { province: need } => {
                let served: Vec<String> =
                    eligibility.provinces.iter().map(|p| province(p)).collect();
                if fr {
                    format!(
                        "L'offre dessert seulement : {} ; le besoin est situé : {}",
                        served.join(", "),
                        province(need)
                    )
                } else {
                    format!(
                        "Offer serves only {}; need is in {}",
                        served.join(", "),
                        province(need)
                    )
                }
            }
            Rule::CauseArea => {
                let label = |code: &String| {
                    taxonomy.get(code).map_or(code.clone(), |e| {
                        if fr {
                            e.label_fr.clone()
                        } else {
                            e.label_en.clone()
                        }
                    })
                };
                let wanted: Vec<String> = eligibility.cause_areas.iter().map(label).collect();
                if fr {
                    format!(
                        "L'offre soutient seulement : {} ; ce n'est pas une cause de {}",
                        wanted.join(", "),
                        org.name
                    )
                } else {
                    format!(
                        "Offer supports only {}; not a cause area of {}",
                        wanted.join(", "),
                        org.name
                    )
                }
            }
            Rule::CharityNumber if fr => format!(
                "L'offre est réservée aux organismes de bienfaisance enregistrés ; {} n'a pas de numéro d'enregistrement",
                org.name
            ),
            Rule::CharityNumber => format!(
                "Offer is for registered charities; {} has no charity registration number",
                org.name
            ),
            Rule::Distance {
                need_province,
                offer_province,
            } if fr => format!(
                "Il faut se rencontrer en personne, mais l'offre est en {} et le besoin en {}",
                province(offer_province),
                province(need_province)
            ),
            Rule::Distance {
                need_province,
                offer_province,
            } => format!(
                "Work must be in person, but the offer is in {} and the need in {}",
                province(offer_province),
                province(need_province)
            ),
        }
    }
}

/// Where the need is: its own province, or its organization's.
pub fn need_province(pair: &Pair) -> String {
    pair.need
        .posting
        .province
        .clone()
        .unwrap_or_else(|| pair.need.org.province.clone())
}

/// The first rule the pair breaks, or `Ok` when the offer may serve the need. The state (status,
/// expiry, capacity) of the `subject` side is not checked: the owner of a draft may preview whom
/// it would match; proposing still needs both sides open.
pub fn check(pair: &Pair, subject: Option<PostingKind>, now: DateTime<Utc>) -> Result<(), Rule> {
    let (need, offer) = (&pair.need, &pair.offer);
    if need.org.id == offer.org.id {
        return Err(Rule::SameOrganization);
    }
    for (is_need, side) in [(true, need), (false, offer)] {
        if side.org.verification == Verification::Rejected {
            return Err(Rule::OrganizationRejected { need: is_need });
        }
        if Some(side.posting.kind) == subject {
            continue;
        }
        if side.posting.status != PostingStatus::Open {
            return Err(Rule::NotOpen {
                need: is_need,
                status: side.posting.status,
            });
        }
        if side.posting.expires_at.is_some_and(|at| at <= now) {
            return Err(Rule::Expired { need: is_need });
        }
        if side.posting.quantity <= 0 {
            return Err(Rule::NoCapacity { need: is_need });
        }
    }
    let rules = offer.posting.eligibility.clone().unwrap_or_default();
    if !rules.org_kinds.is_empty() && !rules.org_kinds.contains(&need.org.kind) {
        return Err(Rule::OrgKind);
    }
    let province = need_province(pair);
    if !rules.provinces.is_empty() && !rules.provinces.contains(&province) {
        return Err(Rule::Province { province });
    }
    if !rules.cause_areas.is_empty()
        && !rules
            .cause_areas
            .iter()
            .any(|c| need.org.cause_areas.0.contains(c))
    {
        return Err(Rule::CauseArea);
    }
    if rules.requires_charity_number && need.org.charity_number.is_none() {
        return Err(Rule::CharityNumber);
    }
    // Unless both sides can work remotely, they must be in the same province; an offer without
    // a province serves all of Canada.
    if !(need.posting.remote && offer.posting.remote)
        && let Some(offer_province) = &offer.posting.province
        && *offer_province != province
    {
        return Err(Rule::Distance {
            need_province: province,
            offer_province: offer_province.clone(),
        });
    }
    Ok(())
}
