//! Highlighting and snippets: the query a full search highlights with (the words as typed, their
//! other forms the stemmed text matched, the words a typo reached), and each document of the page
//! as a hit, its title and snippet in HTML.

use std::collections::BTreeSet;

use tantivy::query::{FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, Searcher, TantivyDocument, Term};

use super::text::{TextQuery, folded_words, typed_clauses, union};
use crate::search::Hit;
use crate::search::schema::{EN, FR, Fields, words};

/// Words of the index a typo is highlighted as, at most, per field.
const MAX_FUZZY_HIGHLIGHTS: usize = 16;

impl TextQuery {
    /// What snippets highlight in the title and the description (the stemmed fields that rank
    /// are not stored): the words as typed, the other forms of each word the stemmed text matched
    /// (`websites` for `website`), and the words a typo reached (`Website` for `websiet`).
    pub fn highlight(&self, index: &Index, searcher: &Searcher, f: &Fields) -> Box<dyn Query> {
        let mut clauses = typed_clauses(index, &[(f.title, 1.0), (f.body, 1.0)], &self.text);
        let words = folded_words(index, &self.text);
        let mut found: Vec<(Field, BTreeSet<String>)> = Vec::new();
        for field in [f.title, f.body] {
            for word in &words {
                found.push((field, other_forms(index, searcher, field, word)));
            }
        }
        for (field, fuzzy) in &self.fuzzy {
            found.push((*field, fuzzy_highlights(searcher, fuzzy, *field)));
        }
        for (field, texts) in found {
            clauses.extend(texts.into_iter().map(|text| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &text),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            }));
        }
        union(&clauses)
    }
}

/// Index words looked at, per segment, for the other forms of a word.
const MAX_FORMS_SCANNED: usize = 256;

/// The words of `field` (folded, not stemmed) that the English or French stemmer makes the same
/// stem as `word`. They are read from the term dictionary, from the prefix the word shares with
/// its stem (`communit` for `community`, stemmed `communiti`).
fn other_forms(index: &Index, searcher: &Searcher, field: Field, word: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for name in [EN, FR] {
        let Some(mut analyzer) = index.tokenizers().get(name) else {
            continue;
        };
        let stem = match &words(&mut analyzer, word)[..] {
            [stem] => stem.clone(),
            _ => continue,
        };
        let shared = word
            .char_indices()
            .zip(stem.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((at, c), _)| at + c.len_utf8());
        // Short prefixes would scan much of the dictionary for nothing.
        if shared < 3 {
            continue;
        }
        let prefix = &word.as_bytes()[..shared];
        let mut end = prefix.to_vec();
        end.push(0xff);
        // Segments share most of their words: each is stemmed once.
        let mut seen = std::collections::HashSet::new();
        for reader in searcher.segment_readers() {
            let Ok(inverted) = reader.inverted_index(field) else {
                continue;
            };
            let Ok(mut terms) = inverted.terms().range().ge(prefix).lt(&end).into_stream() else {
                continue;
            };
            let mut scanned = 0;
            while scanned < MAX_FORMS_SCANNED
                && found.len() < MAX_FUZZY_HIGHLIGHTS
                && terms.advance()
            {
                scanned += 1;
                let Ok(text) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                if text == word || !seen.insert(text.to_owned()) {
                    continue;
                }
                if matches!(&words(&mut analyzer, text)[..], [form] if *form == stem) {
                    found.insert(text.to_owned());
                }
            }
        }
    }
    found
}

/// The words of the index a fuzzy query reaches in `field`: a fuzzy query names no terms, so
/// snippets would not highlight what it matched (`websiet` finds "Website").
fn fuzzy_highlights(searcher: &Searcher, fuzzy: &FuzzyTermQuery, field: Field) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for reader in searcher.segment_readers() {
        let (Ok(index), Ok(automaton)) = (reader.inverted_index(field), fuzzy.automaton()) else {
            continue;
        };
        let Ok(mut terms) = index.terms().search(automaton).into_stream() else {
            continue;
        };
        while found.len() < MAX_FUZZY_HIGHLIGHTS && terms.advance() {
            if let Ok(text) = std::str::from_utf8(terms.key()) {
                found.insert(text.to_owned());
            }
        }
    }
    found
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn hit(
    f: &Fields,
    doc: &TantivyDocument,
    snippets: Option<&(SnippetGenerator, SnippetGenerator)>,
) -> Hit {
    let title = first_text(doc, f.title);
    let body = first_text(doc, f.body);
    let (title_html, snippet_html) = match snippets {
        Some((title_gen, body_gen)) => {
            let title_snippet = title_gen.snippet(&title);
            let title_html = if title_snippet.is_empty() {
                escape(&title)
            } else {
                title_snippet.to_html()
            };
            let body_snippet = body_gen.snippet(&body);
            let snippet_html = if body_snippet.is_empty() {
                escape(&body.chars().take(240).collect::<String>())
            } else {
                body_snippet.to_html()
            };
            (title_html, snippet_html)
        }
        None => (
            escape(&title),
            escape(&body.chars().take(240).collect::<String>()),
        ),
    };
    let value = |field| {
        let text = first_text(doc, field);
        (text != "none" && !text.is_empty()).then_some(text)
    };
    Hit {
        kind: first_text(doc, f.kind),
        id: doc
            .get_first(f.db_id)
            .and_then(|v| v.as_i64())
            .unwrap_or_default(),
        title,
        title_html,
        snippet_html,
        organization_id: doc
            .get_first(f.organization_id)
            .and_then(|v| v.as_i64())
            .unwrap_or_default(),
        organization_name: first_text(doc, f.org_name),
        org_kind: first_text(doc, f.org_kind),
        category: value(f.category),
        province: value(f.province),
        remote: first_text(doc, f.remote) == "true",
        verified: first_text(doc, f.verified) == "true",
        language: first_text(doc, f.language),
    }
}
