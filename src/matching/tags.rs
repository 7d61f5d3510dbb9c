//! Category and skill suggestion from free text, in English or French.
//!
//! Two kinds of evidence, each worth half: the taxonomy phrases the text names (a phrase in the
//! title counts 1, in the description 0.7; a skill also points to its category at half weight),
//! and a vote of the most similar published postings, weighted by their similarity. A confidence
//! is a category's evidence over max(1, all the evidence): it is high only when the text names the
//! category and similar postings agree, and stays at one half or below on a single kind of evidence.

use std::collections::HashMap;

use entity::{Language, TaxonomyKind};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::taxonomy::Taxonomy;
use crate::search::{SearchHandle, SimilarRequest};

/// Similar postings that vote.
const NEIGHBOURS: usize = 15;
const MAX_CATEGORIES: usize = 3;
const MAX_SKILLS: usize = 5;
const MIN_SKILL_CONFIDENCE: f64 = 0.2;

/// A suggested code with its confidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggested {
    pub code: String,
    /// The entry's label in the requested language.
    pub label: String,
    /// From 0 to 1.
    pub confidence: f64,
}

/// The most likely categories and skills for a text, most likely first.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct TagSuggestions {
    pub categories: Vec<Suggested>,
    pub skills: Vec<Suggested>,
}

impl TagSuggestions {
    /// The best category if it is likely enough.
    pub fn confident_category(&self, threshold: f64) -> Option<&Suggested> {
        self.categories
            .first()
            .filter(|c| c.confidence >= threshold)
    }
}

fn add(map: &mut HashMap<String, f64>, code: &str, value: f64) {
    let entry = map.entry(code.to_owned()).or_default();
    *entry = entry.max(value);
}

/// Suggests categories and skills for a posting's text; `labels` is the language of the labels.
pub fn suggest(
    search: &SearchHandle,
    taxonomy: &Taxonomy,
    title: &str,
    description: &str,
    language: Option<Language>,
    labels: Language,
) -> anyhow::Result<TagSuggestions> {
    // What the text names.
    let mut named_categories: HashMap<String, f64> = HashMap::new();
    let mut named_skills: HashMap<String, f64> = HashMap::new();
    for (text, weight) in [(description, 0.7), (title, 1.0)] {
        for concept in search.concepts(text) {
            match concept.kind {
                TaxonomyKind::Skill => {
                    add(&mut named_skills, &concept.code, weight);
                    if let Some(parent) = &concept.parent {
                        add(&mut named_categories, parent, weight / 2.0);
                    }
                }
                TaxonomyKind::Category => add(&mut named_categories, &concept.code, weight),
                // An organization's, not a posting's.
                TaxonomyKind::CauseArea => {}
            }
        }
    }
    // How similar postings are tagged.
    let neighbours = search.similar_blocking(&SimilarRequest {
        title: title.to_owned(),
        description: description.to_owned(),
        language,
        limit: NEIGHBOURS,
        with_tags: true,
        ..Default::default()
    })?;
    let total: f64 = neighbours.iter().map(|n| f64::from(n.score)).sum();
    let mut voted_categories: HashMap<String, f64> = HashMap::new();
    let mut voted_skills: HashMap<String, f64> = HashMap::new();
    if total > 0.0 {
        for neighbour in &neighbours {
            let share = f64::from(neighbour.score) / total;
            *voted_categories
                .entry(neighbour.category.clone())
                .or_default() += share;
            for skill in &neighbour.skills {
                *voted_skills.entry(skill.clone()).or_default() += share;
            }
        }
    }

    let combine = |named: &HashMap<String, f64>, voted: &HashMap<String, f64>| {
        let mut scores: HashMap<String, f64> = HashMap::new();
        for (code, value) in named.iter().chain(voted.iter()) {
            *scores.entry(code.clone()).or_default() += 0.5 * value.min(1.0);
        }
        scores
    };
    let label = |code: &str| {
        taxonomy.get(code).map(|e| match labels {
            Language::En => e.label_en.clone(),
            Language::Fr => e.label_fr.clone(),
        })
    };
    let ranked = |scores: HashMap<String, f64>, kind: TaxonomyKind| {
        let evidence: f64 = scores.values().sum();
        let mut list: Vec<Suggested> = scores
            .into_iter()
            .filter(|(code, _)| taxonomy.get(code).is_some_and(|e| e.kind == kind))
            .filter_map(|(code, score)| {
                Some(Suggested {
                    label: label(&code)?,
                    confidence: (score / evidence.max(1.0) * 100.0).round() / 100.0,
                    code,
                })
            })
            .collect();
        list.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.code.cmp(&b.code))
        });
        list
    };

    let mut categories = ranked(
        combine(&named_categories, &voted_categories),
        TaxonomyKind::Category,
    );
    categories.truncate(MAX_CATEGORIES);
    // Skills of the likely categories, or named outright.
    let likely: Vec<&str> = categories.iter().take(2).map(|c| c.code.as_str()).collect();
    let mut skill_scores = combine(&named_skills, &voted_skills);
    skill_scores.retain(|code, _| {
        named_skills.contains_key(code)
            || taxonomy
                .get(code)
                .and_then(|e| e.parent.as_deref())
                .is_some_and(|parent| likely.contains(&parent))
    });
    // A skill's confidence stands on its own: not shared out among the other skills.
    let mut skills: Vec<Suggested> = ranked(skill_scores.clone(), TaxonomyKind::Skill)
        .into_iter()
        .map(|mut s| {
            s.confidence = (skill_scores[&s.code].min(1.0) * 100.0).round() / 100.0;
            s
        })
        .filter(|s| s.confidence >= MIN_SKILL_CONFIDENCE)
        .collect();
    skills.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.code.cmp(&b.code))
    });
    skills.truncate(MAX_SKILLS);
    Ok(TagSuggestions { categories, skills })
}
