//! Highlighting and snippets: the query a full search highlights with (the words as typed, their
//! other forms the stemmed text matched, the words a typo reached), and each document of the page
//! as a hit, its title and snippet in HTML.

use std::collections::BTreeSet;
use std::ops::Range;

use tantivy::query::{FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::{Snippet, SnippetGenerator, collapse_overlapped_ranges};
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
        for (field, prefix) in &self.prefixes {
            found.push((*field, prefixed(searcher, *field, prefix)));
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

/// The words of `field` that start with `prefix` (a prefix query names no terms either).
fn prefixed(searcher: &Searcher, field: Field, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut end = prefix.as_bytes().to_vec();
    end.push(0xff);
    for reader in searcher.segment_readers() {
        let Ok(index) = reader.inverted_index(field) else {
            continue;
        };
        let Ok(mut terms) = index.terms().range().ge(prefix).lt(&end).into_stream() else {
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

/// Characters of a description shown when no word of the query is in it.
const OPENING_CHARS: usize = 240;

/// The whole text in HTML, with the words at `ranges` (bytes of a fragment that starts at
/// `offset` in the text) in bold: a title loses no character before or after its fragment.
fn whole_html(text: &str, offset: usize, ranges: &[Range<usize>]) -> String {
    let mut html = String::new();
    let mut from = 0;
    for range in collapse_overlapped_ranges(ranges) {
        let (start, end) = (range.start + offset, range.end + offset);
        if start < from
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        html.push_str(&escape(&text[from..start]));
        html.push_str("<b>");
        html.push_str(&escape(&text[start..end]));
        html.push_str("</b>");
        from = end;
    }
    html.push_str(&escape(&text[from..]));
    html
}

/// A snippet's fragment with the query's words in bold, and an ellipsis where it cuts the text.
fn excerpt_html(text: &str, snippet: &Snippet) -> String {
    let range = snippet.fragment_range();
    let fragment = &text[range.clone()];
    let mut html = String::new();
    if !text[..range.start].trim().is_empty() {
        html.push('…');
    }
    html.push_str(&whole_html(fragment, 0, snippet.highlighted()));
    if !text[range.end..].trim().is_empty() {
        html.push('…');
    }
    html
}

/// The start of a text in HTML: at most `max` characters, cut after a whole word, with an
/// ellipsis when cut.
fn opening(text: &str, max: usize) -> String {
    let text = text.trim();
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return escape(text);
    };
    // The last space before the cut, so that no word is cut in two.
    let end = text[..cut]
        .rfind(char::is_whitespace)
        .filter(|&at| at > 0)
        .unwrap_or(cut);
    let kept =
        text[..end].trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    format!("{}…", escape(kept))
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
            let title_html = whole_html(
                &title,
                title_snippet.fragment_range().start,
                title_snippet.highlighted(),
            );
            let body_snippet = body_gen.snippet(&body);
            let snippet_html = if body_snippet.is_empty() {
                opening(&body, OPENING_CHARS)
            } else {
                excerpt_html(&body, &body_snippet)
            };
            (title_html, snippet_html)
        }
        None => (escape(&title), opening(&body, OPENING_CHARS)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_highlighted_title_keeps_every_character() {
        let title = "Tutoring (ages 12–17)";
        // The fragment is "ages 12–17" at byte 10; "ages" is highlighted.
        assert_eq!(
            whole_html(title, 10, &[Range { start: 0, end: 4 }]),
            "Tutoring (<b>ages</b> 12–17)"
        );
        assert_eq!(whole_html("A & B", 0, &[]), "A &amp; B");
    }

    #[test]
    fn openings_end_on_a_whole_word_with_an_ellipsis() {
        assert_eq!(opening("Short enough.", 240), "Short enough.");
        assert_eq!(
            opening("Refurbished laptops, tablets and phones", 24),
            "Refurbished laptops…"
        );
        assert_eq!(opening("Sécurité informatique", 10), "Sécurité…");
        // One long word is cut where it must.
        assert_eq!(opening("Supercalifragilistic", 5), "Super…");
    }
}
