//! "More like this" for matching and tag suggestion: postings whose text, category and skills
//! resemble a given text, and the term statistics to compare two texts.

use std::collections::HashMap;
use std::ops::Bound;

use entity::{Language, PostingKind};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DateTime, Searcher, TantivyDocument, Term};

use super::SearchHandle;
use super::query::Filtered;
use super::schema::{FOLD, words};

/// Most distinctive words of the text that go into the query, per analysis.
const KEY_TERMS: usize = 12;
/// Longest text considered, in characters.
const MAX_TEXT_CHARS: usize = 4_000;
/// Weight of a category and a skill named by the caller or by the text (through the taxonomy).
const CATEGORY_BOOST: f32 = 3.0;
const SKILL_BOOST: f32 = 1.5;

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct SimilarRequest {
    pub title: String,
    pub description: String,
    pub language: Option<Language>,
    /// The kind of postings to find; `None` for both.
    pub kind: Option<PostingKind>,
    /// Categories to favour, each with a weight in 0..=1 (1 for the posting's own category).
    pub categories: Vec<(String, f32)>,
    pub skills: Vec<String>,
    /// Leave this organization's postings out (an organization does not partner with itself).
    pub exclude_organization: Option<i64>,
    pub limit: usize,
    /// Ablation for evaluations: the words alone, without categories, skills or taxonomy phrases.
    pub text_only: bool,
    /// Also read each posting's category and skills (from the stored document; slower).
    pub with_tags: bool,
}

/// One similar open posting.
#[derive(Debug, Clone)]
pub struct Similar {
    pub id: i64,
    /// BM25 score of the match; comparable only within one answer.
    pub score: f32,
    /// Empty unless `with_tags` was asked.
    pub category: String,
    pub skills: Vec<String>,
}

/// A text as weighted words: term frequency times inverse document frequency, by folded word.
pub type TermVector = HashMap<String, f32>;

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

/// Inverse document frequency as BM25 computes it; `None` for words the field never holds.
fn idf(searcher: &Searcher, field: Field, word: &str) -> Option<f32> {
    let df = searcher
        .doc_freq(&Term::from_field_text(field, word))
        .ok()
        .filter(|df| *df > 0)? as f32;
    let n = searcher.num_docs() as f32;
    Some((1.0 + (n - df + 0.5) / (df + 0.5)).ln())
}

/// The text's words, weighted by tf-idf against `field`, heaviest first.
fn weighted_words(
    handle: &SearchHandle,
    searcher: &Searcher,
    analyzer: &str,
    field: Field,
    text: &str,
) -> Vec<(String, f32)> {
    let Some(mut analyzer) = handle.index.tokenizers().get(analyzer) else {
        return Vec::new();
    };
    let mut counts: HashMap<String, f32> = HashMap::new();
    for word in words(&mut analyzer, truncate(text)) {
        *counts.entry(word).or_default() += 1.0;
    }
    let mut weighted: Vec<(String, f32)> = counts
        .into_iter()
        .filter_map(|(word, tf)| idf(searcher, field, &word).map(|idf| (word, tf * idf)))
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted
}

fn term_clause(field: Field, word: &str, boost: f32) -> (Occur, Box<dyn Query>) {
    let term = TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    );
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(term), boost)),
    )
}

fn keyword(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

impl SearchHandle {
    /// Open postings that resemble the request's text, category and skills, best first.
    pub fn similar_blocking(&self, request: &SimilarRequest) -> anyhow::Result<Vec<Similar>> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let text = format!("{}\n{}", request.title, request.description);
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // The distinctive words, folded (any language) and stemmed in the text's language.
        for (word, _) in weighted_words(self, &searcher, FOLD, f.body, &text)
            .into_iter()
            .take(KEY_TERMS)
        {
            should.push(term_clause(f.body, &word, 1.0));
        }
        if let Some((field, analyzer)) = request.language.map(|l| f.stemmed(l)) {
            for (word, _) in weighted_words(self, &searcher, analyzer, field, &text)
                .into_iter()
                .take(KEY_TERMS)
            {
                should.push(term_clause(field, &word, 1.0));
            }
        }
        // The taxonomy, in both languages: categories and skills named, and those the text names.
        let mut categories = request.categories.clone();
        let mut skills: Vec<(String, f32)> =
            request.skills.iter().map(|s| (s.clone(), 1.0)).collect();
        let concepts = if request.text_only {
            categories.clear();
            skills.clear();
            Vec::new()
        } else {
            self.synonyms.concepts(&text)
        };
        for concept in concepts {
            let list = match concept.kind {
                entity::TaxonomyKind::Skill => &mut skills,
                entity::TaxonomyKind::Category => &mut categories,
                // The matcher compares the two organizations' causes itself.
                entity::TaxonomyKind::CauseArea => continue,
            };
            if !list.iter().any(|(code, _)| *code == concept.code) {
                list.push((concept.code, 0.5));
            }
        }
        for (code, weight) in &categories {
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    keyword(f.category, code),
                    CATEGORY_BOOST * weight,
                )),
            ));
        }
        for (code, weight) in &skills {
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    keyword(f.skills, code),
                    SKILL_BOOST * weight,
                )),
            ));
        }
        if should.is_empty() {
            return Ok(Vec::new());
        }

        let now = DateTime::from_timestamp_micros(chrono::Utc::now().timestamp_micros());
        let mut filters: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Excluded(Term::from_field_date_for_search(f.expires_at, now)),
                Bound::Unbounded,
            )),
        )];
        match request.kind {
            Some(kind) => filters.push((Occur::Must, keyword(f.kind, kind.as_str()))),
            None => filters.push((Occur::MustNot, keyword(f.kind, "organization"))),
        }
        if let Some(org) = request.exclude_organization {
            filters.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_i64(f.organization_id, org),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        // The terms as one flat union, which tantivy prunes (block-max WAND); the filters only
        // drop documents, they do not score.
        let query = Filtered {
            ranked: Box::new(BooleanQuery::new(should)),
            filter: Box::new(BooleanQuery::new(filters)),
            prune: true,
        };
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(request.limit.max(1)).order_by_score(),
        )?;
        let mut found = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = searcher.segment_reader(address.segment_ord);
            let id = segment
                .fast_fields()
                .i64("db_id")?
                .first(address.doc_id)
                .unwrap_or_default();
            let (mut category, mut skills) = (String::new(), Vec::new());
            if request.with_tags {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field| {
                    doc.get_all(field)
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect::<Vec<_>>()
                };
                category = text(f.category).into_iter().next().unwrap_or_default();
                skills = text(f.skills);
            }
            found.push(Similar {
                id,
                score,
                category,
                skills,
            });
        }
        Ok(found)
    }

    /// The taxonomy categories, skills and cause areas a text names, in either language.
    pub fn concepts(&self, text: &str) -> Vec<super::Concept> {
        self.synonyms.concepts(truncate(text))
    }

    /// `similar_blocking` on the blocking pool.
    pub async fn similar(&self, request: SimilarRequest) -> anyhow::Result<Vec<Similar>> {
        let _permit = self.permits.acquire().await?;
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.similar_blocking(&request)).await?
    }

    /// Each text as a tf-idf vector of its folded words, weighted by the index's statistics, so
    /// that two texts can be compared (`cosine`) in any language.
    pub fn term_vectors(&self, texts: &[&str]) -> Vec<TermVector> {
        let searcher = self.reader.searcher();
        let Some(mut analyzer) = self.index.tokenizers().get(FOLD) else {
            return texts.iter().map(|_| TermVector::new()).collect();
        };
        let mut idfs: HashMap<String, Option<f32>> = HashMap::new();
        texts
            .iter()
            .map(|text| {
                let mut vector = TermVector::new();
                for word in words(&mut analyzer, truncate(text)) {
                    let idf = *idfs
                        .entry(word.clone())
                        .or_insert_with(|| idf(&searcher, self.fields.body, &word));
                    // A word the index never saw is rare: weigh it like one seen once.
                    let idf = idf.unwrap_or_else(|| (1.0 + searcher.num_docs() as f32).ln());
                    *vector.entry(word).or_default() += idf;
                }
                vector
            })
            .collect()
    }
}

/// Cosine similarity of two term vectors, in 0..=1.
pub fn cosine(a: &TermVector, b: &TermVector) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f32 = small
        .iter()
        .filter_map(|(word, x)| large.get(word).map(|y| x * y))
        .sum();
    let norm = |v: &TermVector| v.values().map(|x| x * x).sum::<f32>().sqrt();
    let denominator = norm(a) * norm(b);
    if denominator == 0.0 {
        0.0
    } else {
        (dot / denominator).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_is_one_for_the_same_text_and_zero_for_disjoint_ones() {
        let a: TermVector = [("laptop".to_owned(), 2.0), ("donation".to_owned(), 1.0)].into();
        let b: TermVector = [("website".to_owned(), 1.0)].into();
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&a, &b), 0.0);
        assert_eq!(cosine(&a, &TermVector::new()), 0.0);
    }
}
