//! The taxonomy as a query-time synonym map: a phrase a user types, in either language, that
//! names a category, skill or cause area (`refonte de site web`, `cyber security`, `itinérance`)
//! points to its code, so a French query reaches English postings of the same category, or
//! organizations of the same cause, and the reverse.

use std::collections::HashMap;

use entity::{Language, TaxonomyKind};
use tantivy::tokenizer::TextAnalyzer;

use super::schema::{EN, FOLD, FR, tokenizers, words};
use crate::domain::taxonomy::Taxonomy;

/// Longest phrase, in tokens, looked up.
const MAX_PHRASE: usize = 4;

/// A taxonomy code a query phrase names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    pub code: String,
    pub kind: TaxonomyKind,
    /// The category of a skill.
    pub parent: Option<String>,
}

pub struct Synonyms {
    analyzers: [TextAnalyzer; 3],
    /// Normalized phrase (tokens joined by spaces) to concepts, per analyzer.
    phrases: [HashMap<String, Vec<Concept>>; 3],
}

impl Synonyms {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let manager = tokenizers();
        let analyzer = |name| manager.get(name).expect("analyzers are registered");
        let mut analyzers = [analyzer(FOLD), analyzer(EN), analyzer(FR)];
        let mut phrases: [HashMap<String, Vec<Concept>>; 3] = Default::default();
        for kind in [
            TaxonomyKind::Category,
            TaxonomyKind::Skill,
            TaxonomyKind::CauseArea,
        ] {
            for entry in taxonomy.entries(kind) {
                let concept = Concept {
                    code: entry.code.clone(),
                    kind,
                    parent: entry.parent.clone(),
                };
                let english = std::iter::once(&entry.label_en).chain(&entry.synonyms_en);
                let french = std::iter::once(&entry.label_fr).chain(&entry.synonyms_fr);
                // Folded forms of both languages, and each language's stems.
                for (slot, texts) in [
                    (0, english.clone().chain(french.clone()).collect::<Vec<_>>()),
                    (1, english.collect()),
                    (2, french.collect()),
                ] {
                    for text in texts {
                        let key = words(&mut analyzers[slot], text).join(" ");
                        if key.is_empty() {
                            continue;
                        }
                        let list = phrases[slot].entry(key).or_default();
                        if !list.contains(&concept) {
                            list.push(concept.clone());
                        }
                    }
                }
            }
        }
        Self { analyzers, phrases }
    }

    /// The concepts named by any run of up to four consecutive words of the query, in either
    /// language.
    pub fn concepts(&self, query: &str) -> Vec<Concept> {
        self.concepts_by(query, &[0, 1, 2])
    }

    /// The concepts a text written in these languages names, read through their stemmers only:
    /// what indexing a document costs (each analysis of its text is as dear as indexing it).
    pub fn concepts_in(&self, text: &str, languages: &[Language]) -> Vec<Concept> {
        let slots: Vec<usize> = languages
            .iter()
            .map(|language| match language {
                Language::En => 1,
                Language::Fr => 2,
            })
            .collect();
        self.concepts_by(text, &slots)
    }

    /// The concepts the text names as these analyzers (`analyzers` slots) read it.
    fn concepts_by(&self, text: &str, slots: &[usize]) -> Vec<Concept> {
        let mut found: Vec<Concept> = Vec::new();
        let mut key = String::new();
        for &slot in slots {
            let mut analyzer = self.analyzers[slot].clone();
            let words = words(&mut analyzer, text);
            for start in 0..words.len() {
                key.clear();
                for word in words.iter().skip(start).take(MAX_PHRASE) {
                    if !key.is_empty() {
                        key.push(' ');
                    }
                    key.push_str(word);
                    for concept in self.phrases[slot].get(&key).into_iter().flatten() {
                        if !found.contains(concept) {
                            found.push(concept.clone());
                        }
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(synonyms: &Synonyms, query: &str) -> Vec<String> {
        synonyms
            .concepts(query)
            .into_iter()
            .map(|c| c.code)
            .collect()
    }

    #[test]
    fn both_languages_reach_the_same_codes() {
        let synonyms = Synonyms::new(&Taxonomy::builtin().unwrap());
        assert!(
            codes(&synonyms, "formation en cybersécurité").contains(&"cybersecurity".to_owned())
        );
        assert!(
            codes(&synonyms, "cybersecurite").contains(&"cybersecurity".to_owned()),
            "accents folded"
        );
        assert!(codes(&synonyms, "cyber security training").contains(&"cybersecurity".to_owned()));
        assert!(codes(&synonyms, "refonte de site web").contains(&"website".to_owned()));
        assert!(codes(&synonyms, "itinérance").contains(&"housing_homelessness".to_owned()));
        assert!(
            codes(&synonyms, "new websites").contains(&"website".to_owned()),
            "plural stems"
        );
        assert!(codes(&synonyms, "zebra giraffe").is_empty());
    }
}
