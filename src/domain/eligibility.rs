//! Hard rules: a pair that breaks one is never proposed, whatever its score; `partnerships::propose`
//! checks them on the rows it locked, and matching leaves such pairs out of its suggestions. The offer's
//! eligibility (organization kinds, provinces, cause areas, charity registration) is checked
//! against the need's organization; then where each side can work, status, expiry and capacity.

use chrono::{DateTime, Utc};
use entity::{
    Eligibility, Language, PostingKind, PostingStatus, Verification, organization, posting,
};

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
    /// The program is for organizations of other sizes.
    Size,
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
            Rule::Size => "size",
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
                | Rule::Size
                | Rule::Distance { .. }
        )
    }

    /// Why, in a sentence of the caller's language.
    pub fn sentence(&self, pair: &Pair, language: Language, taxonomy: &Taxonomy) -> String {
        let eligibility = pair.offer.posting.eligibility.clone().unwrap_or_default();
        self.describe(&eligibility, pair.need.org, language, taxonomy)
    }

    /// Why, in a sentence of the caller's language, for an organization and the rules it breaks.
    pub fn describe(
        &self,
        eligibility: &Eligibility,
        org: &organization::Model,
        language: Language,
        taxonomy: &Taxonomy,
    ) -> String {
        let t = crate::i18n::catalog(language);
        let side = |need: bool| (if need { "need" } else { "offer" }).to_owned();
        let province = |code: &str| Province::name(code, language).to_owned();
        let (key, args): (&str, Vec<(&str, String)>) = match self {
            Rule::SameOrganization => ("excluded-same-organization", vec![]),
            Rule::NotOpen { need, status } => (
                "excluded-not-open",
                vec![("side", side(*need)), ("status", t.label("status", status))],
            ),
            Rule::Expired { need } => ("excluded-expired", vec![("side", side(*need))]),
            Rule::NoCapacity { need } => ("excluded-no-capacity", vec![("side", side(*need))]),
            Rule::OrganizationRejected { .. } => ("excluded-organization-rejected", vec![]),
            Rule::OrgKind => {
                let kinds: Vec<String> = eligibility
                    .org_kinds
                    .iter()
                    .map(|k| t.label("org-kinds", k))
                    .collect();
                (
                    "excluded-org-kind",
                    vec![
                        ("kinds", kinds.join(", ")),
                        ("organization", org.name.clone()),
                        ("kind", t.label("org-kinds", org.kind)),
                    ],
                )
            }
            Rule::Province { province: need } => {
                let served: Vec<String> =
                    eligibility.provinces.iter().map(|p| province(p)).collect();
                (
                    "excluded-province",
                    vec![
                        ("provinces", served.join(", ")),
                        ("province", province(need)),
                    ],
                )
            }
            Rule::CauseArea => {
                let wanted: Vec<String> = eligibility
                    .cause_areas
                    .iter()
                    .map(|c| taxonomy.label(c, language))
                    .collect();
                (
                    "excluded-cause-area",
                    vec![
                        ("causes", wanted.join(", ")),
                        ("organization", org.name.clone()),
                    ],
                )
            }
            Rule::CharityNumber => (
                "excluded-charity-number",
                vec![("organization", org.name.clone())],
            ),
            Rule::Size => ("excluded-size", vec![("organization", org.name.clone())]),
            Rule::Distance {
                need_province,
                offer_province,
            } => (
                "excluded-distance",
                vec![
                    ("offer_province", province(offer_province)),
                    ("need_province", province(need_province)),
                ],
            ),
        };
        t.args(key, &args)
    }
}

/// The first rule of `rules` an organization breaks, for something in `province`.
pub fn org_rules(
    rules: &Eligibility,
    org: &organization::Model,
    province: &str,
) -> Result<(), Rule> {
    if !rules.org_kinds.is_empty() && !rules.org_kinds.contains(&org.kind) {
        return Err(Rule::OrgKind);
    }
    if !rules.provinces.is_empty() && !rules.provinces.iter().any(|p| p == province) {
        return Err(Rule::Province {
            province: province.to_owned(),
        });
    }
    if !rules.cause_areas.is_empty()
        && !rules
            .cause_areas
            .iter()
            .any(|c| org.cause_areas.0.contains(c))
    {
        return Err(Rule::CauseArea);
    }
    if rules.requires_charity_number && org.charity_number.is_none() {
        return Err(Rule::CharityNumber);
    }
    Ok(())
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
    let province = need_province(pair);
    org_rules(&rules, need.org, &province)?;
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
