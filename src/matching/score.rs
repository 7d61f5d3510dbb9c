//! How well an eligible pair fits, from both sides, and why.
//!
//! The formula:
//!
//! ```text
//! serves = Σ wᵢ·xᵢ over the need's view    (how well the offer serves the need)
//!          category .30, skills .20, text .20, language .10, location .10, timing .05, amount .05
//! fits   = Σ wᵢ·xᵢ over the offer's view   (how well the need fits the offer's purpose)
//!          category .30, text .20, cause areas .30, organization kind .10, size .10
//! score  = H(serves, fits) · stale · unresponsive · crowded
//! ```
//!
//! where every xᵢ is in 0..=1 and H is the harmonic mean 2ab/(a+b): a pair poor for either side
//! ranks low, however good it is for the other. The multipliers are the operational signals of the
//! candidate posting (1 when all is well): `stale` falls from 1 to 0.7 between 60 days and a year
//! without an update; `unresponsive` is 1 − ½·(share of proposals its organization let expire,
//! once it received at least 3); `crowded` is 1 − 0.3·(pending proposals / the cap on pending
//! proposals).
//!
//! A reason's contribution is wᵢ·xᵢ, its share of its side's score (category and text weigh the
//! same on both sides); a signal's is its (negative) effect on the final score.

use chrono::{DateTime, Utc};
use entity::{Language, SizeBand};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::eligibility::{Pair, need_province};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::Province;

/// Cosine similarity of two descriptions at which the text counts fully; real descriptions of
/// the same project rarely share more than this.
const FULL_TEXT_SIMILARITY: f64 = 0.4;

/// Operational facts about the candidate posting and its organization.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    /// Proposals waiting for an answer on the candidate posting.
    pub pending: u32,
    /// The configured cap on pending proposals per posting.
    pub max_pending: u32,
    /// Proposals the candidate's organization received lately, and how many of them it let expire.
    pub received: u32,
    pub unanswered: u32,
}

/// What a pair has in common, measured before scoring.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    /// Cosine similarity of the two postings' texts (tf-idf of folded words).
    pub text: f64,
    /// The candidate is in a category the subject's text suggests (its own may be doubtful).
    pub suggested_category: bool,
}

/// One factor of a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Counts for how well the offer serves the need.
    Serves,
    /// Counts for how well the need fits the offer's purpose.
    Fits,
    /// Counts on both sides.
    Both,
    /// An operational signal that lowers the score.
    Signal,
}

/// A factor with its weight and value, before it is put in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub kind: FactorKind,
    pub side: Side,
    pub contribution: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FactorKind {
    SameCategory(String),
    SuggestedCategory(String),
    Skills(Vec<String>),
    Text(f64),
    SameLanguage(Language),
    OtherLanguage { need: Language, offer: Language },
    SameProvince(String),
    BothRemote,
    National,
    Timing,
    Amount { offered: i64, asked: i64 },
    CauseAreas(Vec<String>),
    OrgKind,
    Size(SizeBand),
    Stale { days: i64 },
    Unresponsive { share: f64 },
    Crowded { pending: u32 },
}

/// A pair's score and its factors, strongest first.
#[derive(Debug, Clone)]
pub struct Scored {
    pub score: f64,
    pub serves: f64,
    pub fits: f64,
    pub factors: Vec<Factor>,
}

fn category_value(
    pair: &Pair,
    evidence: &Evidence,
    taxonomy: &Taxonomy,
) -> (f64, Option<FactorKind>) {
    let (need, offer) = (&pair.need.posting.category, &pair.offer.posting.category);
    if need == offer {
        return (1.0, Some(FactorKind::SameCategory(need.clone())));
    }
    let parent = |code: &str| taxonomy.get(code).and_then(|e| e.parent.clone());
    if evidence.suggested_category || (parent(need).is_some() && parent(need) == parent(offer)) {
        return (0.5, Some(FactorKind::SuggestedCategory(offer.clone())));
    }
    (0.0, None)
}

/// Days two optional date ranges have in common: `None` when a range is unknown.
fn overlaps(pair: &Pair) -> Option<bool> {
    let (n, o) = (pair.need.posting, pair.offer.posting);
    let need = (n.starts_on?, n.ends_on.or(n.starts_on)?);
    let offer = (o.starts_on?, o.ends_on.or(o.starts_on)?);
    Some(need.0 <= offer.1 && offer.0 <= need.1)
}

/// Scores an eligible pair. `candidate_is_offer` says which side the signals are about.
pub fn score(
    pair: &Pair,
    evidence: &Evidence,
    signals: &Signals,
    candidate_is_offer: bool,
    now: DateTime<Utc>,
    taxonomy: &Taxonomy,
) -> Scored {
    let (need, offer) = (&pair.need, &pair.offer);
    let mut factors = Vec::new();
    let mut serves = 0.0;
    let mut fits = 0.0;
    let mut add = |kind: Option<FactorKind>, side: Side, weight: f64, value: f64| {
        let contribution = weight * value;
        match side {
            Side::Serves => serves += contribution,
            Side::Fits => fits += contribution,
            _ => {
                serves += contribution;
                fits += contribution;
            }
        }
        if let Some(kind) = kind.filter(|_| contribution > 0.0) {
            factors.push(Factor {
                kind,
                side,
                contribution,
            });
        }
    };

    let (value, kind) = category_value(pair, evidence, taxonomy);
    add(kind, Side::Both, 0.30, value);
    let text = (evidence.text / FULL_TEXT_SIMILARITY).min(1.0);
    add(
        Some(FactorKind::Text(evidence.text)),
        Side::Both,
        0.20,
        text,
    );

    // The need's view.
    let wanted = &need.posting.skills.0;
    let shared: Vec<String> = wanted
        .iter()
        .filter(|s| offer.posting.skills.0.contains(s))
        .cloned()
        .collect();
    let skills = if wanted.is_empty() {
        0.5
    } else {
        shared.len() as f64 / wanted.len() as f64
    };
    add(
        (!shared.is_empty()).then_some(FactorKind::Skills(shared)),
        Side::Serves,
        0.20,
        skills,
    );
    let (language, kind) = if need.posting.language == offer.posting.language {
        (1.0, FactorKind::SameLanguage(need.posting.language))
    } else {
        let speaks = offer
            .org
            .languages
            .0
            .iter()
            .any(|l| l == need.posting.language.as_str());
        (
            if speaks { 0.7 } else { 0.3 },
            FactorKind::OtherLanguage {
                need: need.posting.language,
                offer: offer.posting.language,
            },
        )
    };
    add(Some(kind), Side::Serves, 0.10, language);
    let province = need_province(pair);
    let (location, kind) = if offer.posting.province.as_deref() == Some(province.as_str()) {
        (1.0, FactorKind::SameProvince(province))
    } else if need.posting.remote && offer.posting.remote {
        (0.9, FactorKind::BothRemote)
    } else {
        (0.8, FactorKind::National)
    };
    add(Some(kind), Side::Serves, 0.10, location);
    let (timing, kind) = match overlaps(pair) {
        Some(true) => (1.0, Some(FactorKind::Timing)),
        Some(false) => (0.0, None),
        None => (0.7, None),
    };
    add(kind, Side::Serves, 0.05, timing);
    let (amount, kind) = match (need.posting.value_cad, offer.posting.value_cad) {
        (Some(asked), Some(offered)) if asked > 0 => (
            (offered as f64 / asked as f64).min(1.0),
            (offered >= asked).then_some(FactorKind::Amount { offered, asked }),
        ),
        _ => (0.7, None),
    };
    add(kind, Side::Serves, 0.05, amount);

    // The offer's view.
    let rules = offer.posting.eligibility.clone().unwrap_or_default();
    let mut purpose: Vec<String> = rules.cause_areas.clone();
    purpose.extend(offer.org.cause_areas.0.iter().cloned());
    let common: Vec<String> = need
        .org
        .cause_areas
        .0
        .iter()
        .filter(|c| purpose.contains(c))
        .cloned()
        .collect();
    let causes = match (purpose.is_empty(), common.is_empty()) {
        (true, _) => 0.5,
        (false, false) => 1.0,
        (false, true) => 0.2,
    };
    add(
        (!common.is_empty()).then_some(FactorKind::CauseAreas(common)),
        Side::Fits,
        0.30,
        causes,
    );
    let org_kind = if rules.org_kinds.contains(&need.org.kind) {
        1.0
    } else {
        0.7
    };
    add(
        (org_kind == 1.0).then_some(FactorKind::OrgKind),
        Side::Fits,
        0.10,
        org_kind,
    );
    let (size, kind) = match need.org.size {
        Some(size) if rules.preferred_sizes.contains(&size) => (1.0, Some(FactorKind::Size(size))),
        _ if rules.preferred_sizes.is_empty() => (0.7, None),
        None => (0.5, None),
        Some(_) => (0.3, None),
    };
    add(kind, Side::Fits, 0.10, size);

    let mut score = if serves + fits > 0.0 {
        2.0 * serves * fits / (serves + fits)
    } else {
        0.0
    };

    // Operational signals of the candidate.
    let candidate = if candidate_is_offer { offer } else { need };
    let days = (now - candidate.posting.updated_at).num_days();
    let mut signal = |multiplier: f64, kind: FactorKind| {
        if multiplier < 1.0 {
            factors.push(Factor {
                kind,
                side: Side::Signal,
                contribution: score * (multiplier - 1.0),
            });
            score *= multiplier;
        }
    };
    if days > 60 {
        let stale = (1.0 - 0.3 * (days - 60) as f64 / 305.0).max(0.7);
        signal(stale, FactorKind::Stale { days });
    }
    if signals.received >= 3 {
        let share = f64::from(signals.unanswered) / f64::from(signals.received);
        signal(1.0 - 0.5 * share, FactorKind::Unresponsive { share });
    }
    if signals.max_pending > 0 && signals.pending > 0 {
        let ratio = (f64::from(signals.pending) / f64::from(signals.max_pending)).min(1.0);
        signal(
            1.0 - 0.3 * ratio,
            FactorKind::Crowded {
                pending: signals.pending,
            },
        );
    }
    factors.sort_by(|a, b| {
        (b.contribution.abs())
            .total_cmp(&a.contribution.abs())
            .then_with(|| (a.side == Side::Signal).cmp(&(b.side == Side::Signal)))
    });
    Scored {
        score: score.clamp(0.0, 1.0),
        serves,
        fits,
        factors,
    }
}

impl FactorKind {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            FactorKind::SameCategory(_) => "same_category",
            FactorKind::SuggestedCategory(_) => "related_category",
            FactorKind::Skills(_) => "skills",
            FactorKind::Text(_) => "text",
            FactorKind::SameLanguage(_) | FactorKind::OtherLanguage { .. } => "language",
            FactorKind::SameProvince(_) | FactorKind::BothRemote | FactorKind::National => {
                "location"
            }
            FactorKind::Timing => "timing",
            FactorKind::Amount { .. } => "amount",
            FactorKind::CauseAreas(_) => "cause_areas",
            FactorKind::OrgKind => "org_kind",
            FactorKind::Size(_) => "size",
            FactorKind::Stale { .. } => "stale",
            FactorKind::Unresponsive { .. } => "unresponsive",
            FactorKind::Crowded { .. } => "crowded",
        }
    }

    /// The factor in a sentence of the caller's language.
    pub fn sentence(&self, pair: &Pair, language: Language, taxonomy: &Taxonomy) -> String {
        let t = crate::i18n::catalog(language);
        let label = |code: &str| taxonomy.label(code, language);
        let labels = |codes: &[String]| {
            codes
                .iter()
                .map(|c| label(c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let province = |code: &str| Province::name(code, language).to_owned();
        let percent = |share: f64| format!("{:.0}", share * 100.0);
        let (key, args): (&str, Vec<(&str, String)>) = match self {
            FactorKind::SameCategory(c) => ("reason-same-category", vec![("category", label(c))]),
            FactorKind::SuggestedCategory(c) => {
                ("reason-related-category", vec![("category", label(c))])
            }
            FactorKind::Skills(s) => ("reason-skills", vec![("skills", labels(s))]),
            FactorKind::Text(x) => ("reason-text", vec![("percent", percent(*x))]),
            FactorKind::SameLanguage(l) => (
                "reason-same-language",
                vec![("language", l.as_str().to_owned())],
            ),
            FactorKind::OtherLanguage { need, offer } => (
                "reason-other-language",
                vec![
                    ("need", need.as_str().to_owned()),
                    ("offer", offer.as_str().to_owned()),
                ],
            ),
            FactorKind::SameProvince(p) => {
                ("reason-same-province", vec![("province", province(p))])
            }
            FactorKind::BothRemote => ("reason-both-remote", vec![]),
            FactorKind::National => (
                "reason-national",
                vec![("province", province(&need_province(pair)))],
            ),
            FactorKind::Timing => ("reason-timing", vec![]),
            FactorKind::Amount { offered, asked } => (
                "reason-amount",
                vec![
                    ("offered", crate::i18n::money(*offered, language)),
                    ("asked", crate::i18n::money(*asked, language)),
                ],
            ),
            FactorKind::CauseAreas(c) => ("reason-cause-areas", vec![("causes", labels(c))]),
            FactorKind::OrgKind => (
                "reason-org-kind",
                vec![("kinds", t.label("org-kinds", pair.need.org.kind))],
            ),
            FactorKind::Size(size) => ("reason-size", vec![("size", size.as_str().to_owned())]),
            FactorKind::Stale { days } => ("reason-stale", vec![("days", days.to_string())]),
            FactorKind::Unresponsive { share } => {
                ("reason-unresponsive", vec![("percent", percent(*share))])
            }
            FactorKind::Crowded { pending } => {
                ("reason-crowded", vec![("pending", pending.to_string())])
            }
        };
        t.args(key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::tests::{need_pair, taxonomy};

    #[test]
    fn a_pair_poor_for_one_side_ranks_below_a_balanced_one() {
        let taxonomy = taxonomy();
        let now = Utc::now();
        let evidence = Evidence {
            text: 0.3,
            suggested_category: false,
        };
        // Same category and skills, and the offer supports the nonprofit's cause.
        let (need, need_org, offer, offer_org) = need_pair();
        let pair = Pair::new(&need, &need_org, &offer, &offer_org);
        let balanced = score(&pair, &evidence, &Signals::default(), true, now, &taxonomy);
        // The same offer restricted to another cause: serves the need as well, fits it less.
        let mut narrow = offer.clone();
        narrow.eligibility = Some(entity::Eligibility {
            cause_areas: vec!["arts_culture".into()],
            ..Default::default()
        });
        let mut narrow_org = offer_org.clone();
        narrow_org.cause_areas = entity::StringList(vec!["arts_culture".into()]);
        let pair = Pair::new(&need, &need_org, &narrow, &narrow_org);
        let lopsided = score(&pair, &evidence, &Signals::default(), true, now, &taxonomy);
        assert!((balanced.serves - lopsided.serves).abs() < 1e-9);
        assert!(lopsided.fits < balanced.fits);
        assert!(lopsided.score < balanced.score);
        assert!(balanced.score > 0.0 && balanced.score <= 1.0);
    }

    #[test]
    fn signals_lower_the_score_and_say_so() {
        let taxonomy = taxonomy();
        let now = Utc::now();
        let (need, need_org, mut offer, offer_org) = need_pair();
        let evidence = Evidence::default();
        let pair = Pair::new(&need, &need_org, &offer, &offer_org);
        let fresh = score(&pair, &evidence, &Signals::default(), true, now, &taxonomy);
        offer.updated_at = now - chrono::Duration::days(400);
        let signals = Signals {
            pending: 4,
            max_pending: 5,
            received: 10,
            unanswered: 5,
        };
        let pair = Pair::new(&need, &need_org, &offer, &offer_org);
        let tired = score(&pair, &evidence, &signals, true, now, &taxonomy);
        assert!(
            tired.score < fresh.score * 0.5,
            "{} vs {}",
            tired.score,
            fresh.score
        );
        let codes: Vec<&str> = tired
            .factors
            .iter()
            .filter(|f| f.side == Side::Signal)
            .map(|f| f.kind.code())
            .collect();
        assert_eq!(codes.len(), 3, "{codes:?}");
        for code in ["stale", "unresponsive", "crowded"] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
    }

    #[test]
    fn reasons_speak_the_callers_language() {
        let taxonomy = taxonomy();
        let (need, need_org, offer, offer_org) = need_pair();
        let pair = Pair::new(&need, &need_org, &offer, &offer_org);
        let same = FactorKind::SameCategory("cybersecurity".into());
        assert_eq!(
            same.sentence(&pair, Language::En, &taxonomy),
            "Same category: Cybersecurity"
        );
        assert!(
            same.sentence(&pair, Language::Fr, &taxonomy)
                .starts_with("Même catégorie : Cybers")
        );
        assert_eq!(
            FactorKind::SameProvince("ON".into()).sentence(&pair, Language::En, &taxonomy),
            "Offer serves Ontario; need is in Ontario"
        );
        assert_eq!(
            FactorKind::SameLanguage(Language::Fr).sentence(&pair, Language::En, &taxonomy),
            "Both in French"
        );
        assert_eq!(crate::i18n::money(1_234_567, Language::En), "$1,234,567");
        assert_eq!(crate::i18n::money(2_500, Language::Fr), "2\u{a0}500\u{a0}$");
    }
}
