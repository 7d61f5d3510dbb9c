//! Two-sided matching: for a need, the offers that fit it, and for an offer, the needs. Candidates
//! come from the search index (the posting's own text, category, skills and language as the
//! query); hard eligibility rules drop the pairs that may not happen (`eligibility`); the rest are
//! scored from both sides and explained (`score`). `tags` suggests a category and skills for a
//! text, which matching also uses when a posting's own category looks doubtful.

pub mod daily;
mod programs;
pub mod score;
pub mod tags;

use std::collections::{HashMap, HashSet};

use entity::{Language, PostingKind, organization, partnership, posting};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::accounts::{Caller, Viewer};
use crate::domain::eligibility::{self, Pair};
use crate::domain::partnerships::{self, ProposalInput, ProposalRules};
use crate::domain::postings;
use crate::domain::taxonomy::Taxonomy;
use crate::error::AppResult;
use crate::search::{SearchHandle, SimilarRequest, cosine};
pub use programs::{Candidate, allocation_fit, program_candidates};
pub use score::{Evidence, Side, Signals};

/// Candidates drawn from the index before the rules and the scores sort them out.
const POOL: usize = 100;
/// A suggested category this likely is used alongside the posting's own.
const SUGGESTED_CATEGORY_CONFIDENCE: f64 = 0.5;

/// What the caller asks for.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    pub limit: usize,
    /// Language of the reasons.
    pub language: Language,
    /// Also list the best candidates the rules excluded.
    pub explain_excluded: bool,
    /// The configured cap on pending proposals per posting (for the crowding signal).
    pub max_pending: u32,
}

/// Why a candidate ranks where it does.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reason {
    /// `same_category`, `skills`, `text`, `language`, `location`, `timing`, `amount`,
    /// `cause_areas`, `org_kind`, `size`, `related_category`; signals: `stale`, `unresponsive`,
    /// `crowded`.
    pub factor: String,
    pub side: Side,
    /// Share of the side's score (0 to 1) this factor gives; negative for signals, which lower
    /// the final score by that much.
    pub contribution: f64,
    /// The reason in the requested language.
    pub text: String,
}

/// A posting of the other kind, as a candidate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidatePosting {
    /// `need` or `offer`.
    pub kind: PostingKind,
    pub id: i64,
    pub title: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub category: String,
    pub province: Option<String>,
    pub remote: bool,
    pub language: Language,
}

/// A ranked candidate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Match {
    pub posting: CandidatePosting,
    /// From 0 to 1: the harmonic mean of `serves` and `fits`, lowered by operational signals.
    pub score: f64,
    /// How well the offer serves the need (0 to 1).
    pub serves: f64,
    /// How well the need fits the offer's purpose (0 to 1).
    pub fits: f64,
    /// Strongest first.
    pub reasons: Vec<Reason>,
}

/// A candidate that a rule excluded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Excluded {
    pub posting: CandidatePosting,
    /// The score it would have had.
    pub score: f64,
    /// `org_kind`, `province`, `cause_area`, `charity_number`, `distance`, `not_open`,
    /// `expired`, `no_capacity`, `organization_rejected`.
    pub rule: String,
    /// The rule in the requested language.
    pub text: String,
}

/// The answer for one posting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Matches {
    pub matches: Vec<Match>,
    /// Present when `explain_excluded` was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<Vec<Excluded>>,
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn candidate_posting(posting: &posting::Model, org: &organization::Model) -> CandidatePosting {
    CandidatePosting {
        kind: posting.kind,
        id: posting.id,
        title: posting.title.clone(),
        organization_id: org.id,
        organization_name: org.name.clone(),
        category: posting.category.clone(),
        province: posting.province.clone(),
        remote: posting.remote,
        language: posting.language,
    }
}

/// How far back an organization's answers to proposals count.
const RESPONSIVENESS_DAYS: i64 = 180;

/// What a posting's own partnerships rule out of its suggestions, and the scores they fixed.
struct Barred {
    /// Postings partnered with it, or that declined it.
    postings: HashSet<i64>,
    /// Organizations that already completed a partnership with it.
    organizations: HashSet<i64>,
    /// Postings with a proposal waiting, and the score stored with it: the pair shows that score
    /// everywhere.
    proposed: HashMap<i64, f64>,
}

/// Reads the partnerships of `subject`: a pair is not suggested once it is under way, after the
/// other side declined, or once the other organization completed one; while a proposal waits, it
/// keeps the proposal's score.
async fn history(db: &DatabaseConnection, subject: &posting::Model) -> AppResult<Barred> {
    use entity::PartnershipStatus as Status;
    use partnership::Column as C;
    let column = match subject.kind {
        PostingKind::Need => C::NeedId,
        PostingKind::Offer => C::OfferId,
    };
    let mut barred = Barred {
        postings: HashSet::new(),
        organizations: HashSet::new(),
        proposed: HashMap::new(),
    };
    for p in partnership::Entity::find()
        .filter(column.eq(subject.id))
        .all(db)
        .await?
    {
        let (other, other_org) = match subject.kind {
            PostingKind::Need => (p.offer_id, p.offer_org_id),
            PostingKind::Offer => (p.need_id, p.need_org_id),
        };
        match p.status {
            Status::Proposed => {
                if let Some(score) = p.score {
                    barred.proposed.insert(other, score);
                }
            }
            Status::Accepted | Status::Active | Status::Declined => {
                barred.postings.insert(other);
            }
            Status::Completed => {
                barred.organizations.insert(other_org);
            }
            Status::Withdrawn | Status::Expired | Status::Cancelled => {}
        }
    }
    Ok(barred)
}

/// Operational signals of candidate postings: proposals waiting on each, and how often each one's
/// organization let the proposals it received expire lately.
async fn signals(
    db: &DatabaseConnection,
    postings: &[posting::Model],
    max_pending: u32,
) -> AppResult<HashMap<i64, Signals>> {
    use entity::PartnershipStatus as Status;
    use partnership::Column as C;
    use sea_orm::sea_query::Condition;
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();
    let org_ids: Vec<i64> = postings.iter().map(|p| p.organization_id).collect();
    let since = crate::domain::now() - chrono::Duration::days(RESPONSIVENESS_DAYS);
    let rows = partnership::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all().add(C::Status.eq(Status::Proposed)).add(
                        Condition::any()
                            .add(C::NeedId.is_in(ids.clone()))
                            .add(C::OfferId.is_in(ids)),
                    ),
                )
                .add(
                    Condition::all().add(C::CreatedAt.gte(since)).add(
                        Condition::any()
                            .add(C::NeedOrgId.is_in(org_ids.clone()))
                            .add(C::OfferOrgId.is_in(org_ids)),
                    ),
                ),
        )
        .all(db)
        .await?;
    let mut pending: HashMap<i64, u32> = HashMap::new();
    let mut received: HashMap<i64, (u32, u32)> = HashMap::new();
    for row in &rows {
        if row.status == Status::Proposed {
            *pending.entry(row.need_id).or_default() += 1;
            *pending.entry(row.offer_id).or_default() += 1;
        }
        if row.created_at >= since {
            let receiver = if row.proposer_org_id == row.need_org_id {
                row.offer_org_id
            } else {
                row.need_org_id
            };
            let entry = received.entry(receiver).or_default();
            entry.0 += 1;
            entry.1 += u32::from(row.status == Status::Expired);
        }
    }
    Ok(postings
        .iter()
        .map(|p| {
            let (received, unanswered) = received
                .get(&p.organization_id)
                .copied()
                .unwrap_or_default();
            let signals = Signals {
                pending: pending.get(&p.id).copied().unwrap_or_default(),
                max_pending,
                received,
                unanswered,
            };
            (p.id, signals)
        })
        .collect())
}

/// Proposes a pair with the score and reasons matching gives it now (kept with the proposal);
/// the rules, eligibility included, are the domain's (`partnerships::propose`).
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &Taxonomy,
    rules: ProposalRules,
    caller: &Caller,
    input: ProposalInput,
    language: Language,
) -> AppResult<partnership::Model> {
    let mut proposal = input.parse()?;
    let viewer = Viewer::of(db, Some(caller)).await?;
    if let Some((score, reasons)) = assess(
        db,
        search,
        taxonomy,
        &viewer,
        proposal.need_id,
        proposal.offer_id,
        language,
    )
    .await?
    {
        proposal.score = Some(score);
        proposal.reasons = Some(serde_json::to_value(&reasons).map_err(anyhow::Error::from)?);
    }
    partnerships::propose(db, caller.user.id, proposal, rules, taxonomy).await
}

/// The score and reasons of one need and one offer the viewer may both see (`None` otherwise).
async fn assess(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &Taxonomy,
    viewer: &Viewer,
    need_id: i64,
    offer_id: i64,
    language: Language,
) -> AppResult<Option<(f64, Vec<Reason>)>> {
    let (Ok(need), Ok(offer)) = (
        postings::get(db, viewer, PostingKind::Need, need_id).await,
        postings::get(db, viewer, PostingKind::Offer, offer_id).await,
    ) else {
        return Ok(None);
    };
    let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in([need.organization_id, offer.organization_id]))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let (Some(need_org), Some(offer_org)) = (
        orgs.get(&need.organization_id),
        orgs.get(&offer.organization_id),
    ) else {
        return Ok(None);
    };
    let signals = signals(db, std::slice::from_ref(&offer), 0).await?;
    let vectors = search.term_vectors(&[
        &format!("{}\n{}", need.title, need.description),
        &format!("{}\n{}", offer.title, offer.description),
    ]);
    let pair = Pair::new(&need, need_org, &offer, offer_org);
    let now = crate::domain::now();
    let scored = score::score(
        &pair,
        &Evidence {
            text: f64::from(cosine(&vectors[0], &vectors[1])),
            suggested_category: false,
        },
        signals.get(&offer.id).unwrap_or(&Signals::default()),
        true,
        now,
        taxonomy,
    );
    Ok(Some((
        round(scored.score),
        reasons(&scored, &pair, language, taxonomy),
    )))
}

/// How well an offer serves a need, 0 to 1: the matcher's score with the texts compared (when an
/// index is at hand) and no operational signal (a program's allocation counts it as each unit's
/// fit).
pub fn fit(
    search: Option<&SearchHandle>,
    taxonomy: &Taxonomy,
    need: &entity::posting::Model,
    need_org: &organization::Model,
    offer: &entity::posting::Model,
    offer_org: &organization::Model,
) -> f64 {
    let text = search.map_or(0.0, |search| {
        let vectors = search.term_vectors(&[
            &format!("{}\n{}", need.title, need.description),
            &format!("{}\n{}", offer.title, offer.description),
        ]);
        f64::from(cosine(&vectors[0], &vectors[1]))
    });
    let pair = Pair::new(need, need_org, offer, offer_org);
    let scored = score::score(
        &pair,
        &Evidence {
            text,
            suggested_category: false,
        },
        &Signals::default(),
        true,
        crate::domain::now(),
        taxonomy,
    );
    round(scored.score)
}

fn reasons(
    scored: &score::Scored,
    pair: &Pair,
    language: Language,
    taxonomy: &Taxonomy,
) -> Vec<Reason> {
    scored
        .factors
        .iter()
        .map(|factor| Reason {
            factor: factor.kind.code().to_owned(),
            side: factor.side.clone(),
            contribution: round(factor.contribution),
            text: factor.kind.sentence(pair, language, taxonomy),
        })
        .collect()
}

/// The ranked candidates of one need or offer the viewer may see.
pub async fn find(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &std::sync::Arc<Taxonomy>,
    viewer: &Viewer,
    kind: PostingKind,
    id: i64,
    options: MatchOptions,
) -> AppResult<Matches> {
    let subject = postings::get(db, viewer, kind, id).await?;
    let subject_org = organization::Entity::find_by_id(subject.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("posting {id} has no organization"))?;

    // Candidates from the index, with the category the text suggests when it is not the
    // posting's own (imported or hurried postings are sometimes filed in the wrong place).
    let (suggested, similar) = {
        let search = search.clone();
        let taxonomy = taxonomy.clone();
        let subject = subject.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            // The category is doubtful when the text names neither it nor one of its skills.
            let text = format!("{}\n{}", subject.title, subject.description);
            let doubtful = !search.concepts(&text).iter().any(|c| {
                c.code == subject.category || c.parent.as_deref() == Some(&subject.category)
            });
            let suggested = if doubtful {
                let tags = tags::suggest(
                    &search,
                    &taxonomy,
                    &subject.title,
                    &subject.description,
                    Some(subject.language),
                    subject.language,
                )?;
                tags.confident_category(SUGGESTED_CATEGORY_CONFIDENCE)
                    .filter(|c| c.code != subject.category)
                    .map(|c| c.code.clone())
            } else {
                None
            };
            let mut categories = vec![(subject.category.clone(), 1.0)];
            categories.extend(suggested.iter().map(|c| (c.clone(), 0.6)));
            let similar = search.similar_blocking(&SimilarRequest {
                title: subject.title.clone(),
                description: subject.description.clone(),
                language: Some(subject.language),
                kind: Some(match subject.kind {
                    PostingKind::Need => PostingKind::Offer,
                    PostingKind::Offer => PostingKind::Need,
                }),
                categories,
                skills: subject.skills.0.clone(),
                exclude_organization: Some(subject.organization_id),
                limit: POOL,
                text_only: false,
                with_tags: false,
            })?;
            Ok((suggested, similar))
        })
        .await
        .map_err(anyhow::Error::from)??
    };

    let ids: Vec<i64> = similar.iter().map(|s| s.id).collect();
    let mut found: HashMap<i64, posting::Model> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    // In the index's order, which breaks ties between equal scores the same way every time.
    let barred = history(db, &subject).await?;
    let candidates: Vec<posting::Model> = ids
        .iter()
        .filter_map(|id| found.remove(id))
        .filter(|p| {
            !barred.postings.contains(&p.id) && !barred.organizations.contains(&p.organization_id)
        })
        .collect();
    let org_ids: Vec<i64> = candidates.iter().map(|p| p.organization_id).collect();
    let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let signals = signals(db, &candidates, options.max_pending).await?;

    let vectors = {
        let search = search.clone();
        let texts: Vec<String> = std::iter::once(&subject)
            .chain(&candidates)
            .map(|p| format!("{}\n{}", p.title, p.description))
            .collect();
        tokio::task::spawn_blocking(move || {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            search.term_vectors(&texts)
        })
        .await
        .map_err(anyhow::Error::from)?
    };

    let now = crate::domain::now();
    let mut matches = Vec::new();
    let mut excluded = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        let Some(candidate_org) = orgs.get(&candidate.organization_id) else {
            continue;
        };
        let pair = match subject.kind {
            PostingKind::Need => Pair::new(&subject, &subject_org, candidate, candidate_org),
            PostingKind::Offer => Pair::new(candidate, candidate_org, &subject, &subject_org),
        };
        let evidence = Evidence {
            text: f64::from(cosine(&vectors[0], &vectors[index + 1])),
            suggested_category: suggested.as_deref() == Some(candidate.category.as_str()),
        };
        let scored = score::score(
            &pair,
            &evidence,
            signals.get(&candidate.id).unwrap_or(&Signals::default()),
            candidate.kind == PostingKind::Offer,
            now,
            taxonomy,
        );
        match eligibility::check(&pair, Some(subject.kind), now) {
            Ok(()) => matches.push(Match {
                posting: candidate_posting(candidate, candidate_org),
                score: round(
                    barred
                        .proposed
                        .get(&candidate.id)
                        .copied()
                        .unwrap_or(scored.score),
                ),
                serves: round(scored.serves),
                fits: round(scored.fits),
                reasons: reasons(&scored, &pair, options.language, taxonomy),
            }),
            Err(rule) if options.explain_excluded => excluded.push(Excluded {
                posting: candidate_posting(candidate, candidate_org),
                score: round(scored.score),
                rule: rule.code().to_owned(),
                text: rule.sentence(&pair, options.language, taxonomy),
            }),
            Err(_) => {}
        }
    }
    let by_score = |a: f64, b: f64| b.total_cmp(&a);
    matches.sort_by(|a, b| by_score(a.score, b.score));
    matches.truncate(options.limit);
    excluded.sort_by(|a, b| by_score(a.score, b.score));
    excluded.truncate(options.limit);
    Ok(Matches {
        matches,
        excluded: options.explain_excluded.then_some(excluded),
    })
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        format!("{text:width$}")
    } else {
        let head: String = text.chars().take(width - 1).collect();
        format!("{head}…")
    }
}

/// The matches as a plain-text table, each candidate followed by its reasons (for the CLI).
pub fn table(matches: &Matches) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>3}  {:>5}  {:<12}  {:<48}  Organization",
        "#", "Score", "Posting", "Title"
    );
    for (rank, m) in matches.matches.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>3}  {:>5.3}  {:<12}  {}  {}",
            rank + 1,
            m.score,
            format!("{} {}", m.posting.kind, m.posting.id),
            clip(&m.posting.title, 48),
            m.posting.organization_name
        );
        for reason in &m.reasons {
            let _ = writeln!(out, "{:13}{:+.3}  {}", "", reason.contribution, reason.text);
        }
    }
    if matches.matches.is_empty() {
        let _ = writeln!(out, "(no eligible candidate)");
    }
    if let Some(excluded) = &matches.excluded {
        let _ = writeln!(out, "\nExcluded by eligibility rules:");
        for e in excluded {
            let _ = writeln!(
                out,
                "{:>3}  {:>5.3}  {:<12}  {}  {}",
                "-",
                e.score,
                format!("{} {}", e.posting.kind, e.posting.id),
                clip(&e.posting.title, 48),
                e.posting.organization_name
            );
            let _ = writeln!(out, "{:13}{}", "", e.text);
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::Utc;
    use entity::{OrgKind, PostingStatus, StringList, Verification};

    use super::*;

    pub fn taxonomy() -> Taxonomy {
        Taxonomy::builtin().unwrap()
    }

    fn org(id: i64, kind: OrgKind, province: &str, causes: &[&str]) -> organization::Model {
        let now = Utc::now();
        organization::Model {
            id,
            name: format!("Org {id}"),
            kind,
            description: String::new(),
            website: None,
            province: province.into(),
            city: None,
            languages: StringList(vec!["en".into()]),
            cause_areas: StringList(causes.iter().map(|c| (*c).to_owned()).collect()),
            size: None,
            charity_number: None,
            verification: Verification::Verified,
            verified_at: None,
            contact_email: None,
            contact_phone: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    fn posting(id: i64, org: i64, kind: PostingKind) -> posting::Model {
        let now = Utc::now();
        posting::Model {
            id,
            organization_id: org,
            kind,
            title: "Cybersecurity training".into(),
            description: "Phishing awareness for staff".into(),
            language: Language::En,
            category: "cybersecurity".into(),
            skills: StringList(vec!["phishing_training".into()]),
            province: Some("ON".into()),
            remote: true,
            quantity: 1,
            value_cad: None,
            hours: None,
            starts_on: None,
            ends_on: None,
            expires_at: None,
            status: PostingStatus::Open,
            eligibility: None,
            unit: entity::PostingUnit::Items,
            filled_by_one: false,
            hidden_code: None,
            hidden_reason: None,
            hidden_at: None,
            closing_note: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// An Ontario nonprofit's need and a company's matching offer, both open.
    pub fn need_pair() -> (
        posting::Model,
        organization::Model,
        posting::Model,
        organization::Model,
    ) {
        (
            posting(1, 10, PostingKind::Need),
            org(10, OrgKind::Nonprofit, "ON", &["youth"]),
            posting(2, 20, PostingKind::Offer),
            org(20, OrgKind::Company, "ON", &["youth"]),
        )
    }

    #[test]
    fn eligibility_rules_exclude_and_say_which() {
        let now = Utc::now();
        let (need, need_org, offer, offer_org) = need_pair();
        let check = |offer: &posting::Model, need_org: &organization::Model| {
            eligibility::check(&Pair::new(&need, need_org, offer, &offer_org), None, now)
                .err()
                .map(|rule| rule.code())
        };
        assert_eq!(check(&offer, &need_org), None);

        let mut charities_only = offer.clone();
        charities_only.eligibility = Some(entity::Eligibility {
            requires_charity_number: true,
            ..Default::default()
        });
        assert_eq!(check(&charities_only, &need_org), Some("charity_number"));
        let mut charity = need_org.clone();
        charity.charity_number = Some("817280563RR0001".into());
        assert_eq!(check(&charities_only, &charity), None);

        let mut quebec_only = offer.clone();
        quebec_only.eligibility = Some(entity::Eligibility {
            provinces: vec!["QC".into()],
            ..Default::default()
        });
        assert_eq!(check(&quebec_only, &need_org), Some("province"));

        let mut companies_only = offer.clone();
        companies_only.eligibility = Some(entity::Eligibility {
            org_kinds: vec![OrgKind::Company],
            ..Default::default()
        });
        assert_eq!(check(&companies_only, &need_org), Some("org_kind"));

        let mut in_person_bc = offer.clone();
        in_person_bc.remote = false;
        in_person_bc.province = Some("BC".into());
        assert_eq!(check(&in_person_bc, &need_org), Some("distance"));

        let mut full = offer.clone();
        full.quantity = 0;
        assert_eq!(check(&full, &need_org), Some("no_capacity"));
        let mut expired = offer.clone();
        expired.expires_at = Some(now - chrono::Duration::hours(1));
        assert_eq!(check(&expired, &need_org), Some("expired"));
        let mut paused = offer.clone();
        paused.status = PostingStatus::Paused;
        assert_eq!(check(&paused, &need_org), Some("not_open"));
        // The subject's own state does not count: a draft previews its matches.
        let mut draft = need.clone();
        draft.status = PostingStatus::Draft;
        let preview = Pair::new(&draft, &need_org, &offer, &offer_org);
        assert_eq!(
            eligibility::check(&preview, Some(PostingKind::Need), now),
            Ok(())
        );
        assert!(eligibility::check(&preview, None, now).is_err());

        let mut own = offer.clone();
        own.organization_id = need_org.id;
        let same_org = eligibility::check(&Pair::new(&need, &need_org, &own, &need_org), None, now);
        assert_eq!(same_org.err().map(|r| r.code()), Some("same_organization"));
    }

    #[test]
    fn excluded_reasons_name_the_rule_in_both_languages() {
        let taxonomy = taxonomy();
        let (need, need_org, offer, offer_org) = need_pair();
        let pair = Pair::new(&need, &need_org, &offer, &offer_org);
        let rule = eligibility::Rule::CharityNumber;
        assert_eq!(
            rule.sentence(&pair, Language::En, &taxonomy),
            "Offer is for registered charities; Org 10 has no charity registration number"
        );
        assert!(
            rule.sentence(&pair, Language::Fr, &taxonomy)
                .contains("organismes de bienfaisance enregistrés")
        );
    }

    /// Every reason and every rule reads from both catalogs: a missing message would show its key.
    #[test]
    fn every_reason_and_rule_has_its_words_in_both_languages() {
        use entity::{PostingStatus, SizeBand};
        use score::FactorKind as F;
        let taxonomy = taxonomy();
        let (need, need_org, offer, offer_org) = need_pair();
        let pair = Pair::new(&need, &need_org, &offer, &offer_org);
        let factors = [
            F::SameCategory("cybersecurity".into()),
            F::SuggestedCategory("cybersecurity".into()),
            F::Skills(vec!["phishing_training".into()]),
            F::Text(0.4),
            F::SameLanguage(Language::Fr),
            F::OtherLanguage {
                need: Language::En,
                offer: Language::Fr,
            },
            F::SameProvince("QC".into()),
            F::BothRemote,
            F::National,
            F::Timing,
            F::Amount {
                offered: 2_500,
                asked: 2_000,
            },
            F::CauseAreas(vec!["youth".into()]),
            F::OrgKind,
            F::Size(SizeBand::Small),
            F::Stale { days: 200 },
            F::Unresponsive { share: 0.5 },
            F::Crowded { pending: 4 },
        ];
        use eligibility::Rule as R;
        let rules = [
            R::SameOrganization,
            R::NotOpen {
                need: true,
                status: PostingStatus::Paused,
            },
            R::Expired { need: false },
            R::NoCapacity { need: true },
            R::OrganizationRejected { need: false },
            R::OrgKind,
            R::Province {
                province: "QC".into(),
            },
            R::CauseArea,
            R::CharityNumber,
            R::Distance {
                need_province: "QC".into(),
                offer_province: "ON".into(),
            },
        ];
        for language in [Language::En, Language::Fr] {
            for factor in &factors {
                let text = factor.sentence(&pair, language, &taxonomy);
                assert!(
                    !text.starts_with("reason-") && !text.contains('{'),
                    "{text}"
                );
            }
            for rule in &rules {
                let text = rule.sentence(&pair, language, &taxonomy);
                assert!(
                    !text.starts_with("excluded-") && !text.contains('{'),
                    "{text}"
                );
            }
        }
        let amount = F::Amount {
            offered: 2_500,
            asked: 2_000,
        };
        assert_eq!(
            amount.sentence(&pair, Language::En, &taxonomy),
            "Offer ($2,500) covers the $2,000 asked"
        );
        assert_eq!(
            amount.sentence(&pair, Language::Fr, &taxonomy),
            "L’offre (2\u{a0}500\u{a0}$) couvre les 2\u{a0}000\u{a0}$ demandés"
        );
    }
}
