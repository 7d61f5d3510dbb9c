//! Counting and faceting every match of a ranked search without scoring it: the text's clauses,
//! the term filters (their documents cached per segment as bits) and the expired postings, read
//! 4,096 documents at a time as bits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DateTime, DocId, DocSet, Score, SegmentReader, TERMINATED, Term,
};

/// Documents per word of a bit set, and words per window of `Matching`.
const WORD: u32 = 64;
const WINDOW_WORDS: usize = 64;
/// Filter sets kept at most; segments come and go, so the cache then starts afresh.
const FILTER_CACHE_ENTRIES: usize = 1_024;

/// The documents of each filter term (`kind:need`, `province:QC`), per segment, as bits. Filters
/// take their values from short lists (three kinds, a few dozen categories, thirteen provinces),
/// so their sets are kept, as Lucene's query cache does: counting then tests bits instead of
/// walking half the index's postings (`kind:need`) for every query. Segments never change their
/// documents (deletions are read from the segment's own bit set), so a set stays right as long as
/// its segment lives.
#[derive(Default)]
pub struct FilterCache {
    sets: Mutex<FilterSets>,
}

/// A filter term's documents in a segment, one bit each.
type FilterSets = HashMap<(SegmentId, Term), Arc<Vec<u64>>>;

impl FilterCache {
    fn documents(&self, reader: &SegmentReader, term: &Term) -> tantivy::Result<Arc<Vec<u64>>> {
        let key = (reader.segment_id(), term.clone());
        if let Some(set) = self.lock()?.get(&key) {
            return Ok(set.clone());
        }
        let mut words = vec![0u64; reader.max_doc().div_ceil(WORD) as usize];
        let postings = reader
            .inverted_index(term.field())?
            .read_postings(term, IndexRecordOption::Basic)?;
        if let Some(mut postings) = postings {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                words[(doc / WORD) as usize] |= 1 << (doc % WORD);
                doc = postings.advance();
            }
        }
        let set = Arc::new(words);
        let mut sets = self.lock()?;
        if sets.len() >= FILTER_CACHE_ENTRIES {
            sets.clear();
        }
        sets.insert(key, set.clone());
        Ok(set)
    }

    fn lock(&self) -> tantivy::Result<std::sync::MutexGuard<'_, FilterSets>> {
        self.sets
            .lock()
            .map_err(|_| tantivy::TantivyError::InternalError("filter cache poisoned".into()))
    }
}

/// Every match of a ranked search, to count and facet, without scores: the text's clauses as one
/// union, the term filters from the `FilterCache`, expired documents taken out; 4,096 documents at
/// a time, as bits. (A boolean query walks its cheapest clause and checks the others document by
/// document; here the cheapest is `kind:need`, half the index.)
pub(super) struct Matching {
    pub(super) clauses: Vec<Box<dyn Query>>,
    /// Term filters: a document holds a term of each group.
    pub(super) groups: Vec<Vec<Term>>,
    /// Range filters (closing by, value), walked as they are: a document matches each.
    pub(super) ranges: Vec<Box<dyn Query>>,
    pub(super) expires_at: Field,
    pub(super) now: DateTime,
    pub(super) cache: Arc<FilterCache>,
}

impl Matching {
    /// Every match of a request's text and filters.
    pub(super) fn new(
        text: &super::text::TextQuery,
        f: &crate::search::schema::Fields,
        request: &crate::search::SearchRequest,
        now: DateTime,
        cache: &Arc<FilterCache>,
    ) -> Self {
        Self {
            clauses: text.clauses.iter().map(|q| q.box_clone()).collect(),
            groups: super::filters::filter_groups(f, request),
            ranges: super::filters::range_filters(f, request),
            expires_at: f.expires_at,
            now,
            cache: cache.clone(),
        }
    }
}

impl Clone for Matching {
    fn clone(&self) -> Self {
        Self {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
            groups: self.groups.clone(),
            ranges: self.ranges.iter().map(|q| q.box_clone()).collect(),
            expires_at: self.expires_at,
            now: self.now,
            cache: self.cache.clone(),
        }
    }
}

impl std::fmt::Debug for Matching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matching")
            .field("clauses", &self.clauses)
            .field("groups", &self.groups)
            .field("ranges", &self.ranges)
            .finish_non_exhaustive()
    }
}

impl Query for Matching {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = || match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        let clauses = self
            .clauses
            .iter()
            .map(|clause| clause.weight(unscored()))
            .collect::<tantivy::Result<_>>()?;
        let ranges = self
            .ranges
            .iter()
            .map(|range| range.weight(unscored()))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(MatchingWeight {
            clauses,
            ranges,
            query: self.clone(),
        }))
    }
}

struct MatchingWeight {
    clauses: Vec<Box<dyn Weight>>,
    ranges: Vec<Box<dyn Weight>>,
    query: Matching,
}

impl MatchingWeight {
    /// Calls `visit` with the first document and the bits of each window that has matches.
    fn windows(
        &self,
        reader: &SegmentReader,
        mut visit: impl FnMut(DocId, &[u64; WINDOW_WORDS]),
    ) -> tantivy::Result<()> {
        let mut clauses = self
            .clauses
            .iter()
            .map(|clause| clause.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        clauses.retain(|clause| clause.doc() != TERMINATED);
        // Each group as one set of bits: the union of its terms' cached sets.
        let filters = self
            .query
            .groups
            .iter()
            .map(|group| {
                let mut sets = group
                    .iter()
                    .map(|term| self.query.cache.documents(reader, term))
                    .collect::<tantivy::Result<Vec<_>>>()?;
                if sets.len() == 1 {
                    return Ok(sets.remove(0));
                }
                let mut union = vec![0u64; reader.max_doc().div_ceil(WORD) as usize];
                for set in sets {
                    for (word, bits) in union.iter_mut().zip(set.iter()) {
                        *word |= bits;
                    }
                }
                Ok(Arc::new(union))
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut ranges = self
            .ranges
            .iter()
            .map(|range| range.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let expired = expired(reader, self.query.expires_at, self.query.now)?;
        let mut expired = expired.iter().peekable();
        let window = WORD * WINDOW_WORDS as u32;
        while let Some(first) = clauses.iter().map(|clause| clause.doc()).min() {
            let start = first - first % window;
            let end = start + window;
            let mut bits = [0u64; WINDOW_WORDS];
            for clause in &mut clauses {
                let mut doc = clause.doc();
                while doc < end {
                    let offset = doc - start;
                    bits[(offset / WORD) as usize] |= 1 << (offset % WORD);
                    doc = clause.advance();
                }
            }
            clauses.retain(|clause| clause.doc() != TERMINATED);
            let first_word = (start / WORD) as usize;
            for filter in &filters {
                for (i, word) in bits.iter_mut().enumerate() {
                    *word &= filter.get(first_word + i).copied().unwrap_or(0);
                }
            }
            // A range filter keeps, in this window, only the documents it walks to.
            for range in &mut ranges {
                let mut kept = [0u64; WINDOW_WORDS];
                let mut doc = range.doc();
                if doc < start {
                    doc = range.seek(start);
                }
                while doc < end {
                    let offset = doc - start;
                    kept[(offset / WORD) as usize] |= 1 << (offset % WORD);
                    doc = range.advance();
                }
                for (word, keep) in bits.iter_mut().zip(kept) {
                    *word &= keep;
                }
            }
            while let Some(&&doc) = expired.peek() {
                if doc >= end {
                    break;
                }
                if doc >= start {
                    let offset = doc - start;
                    bits[(offset / WORD) as usize] &= !(1 << (offset % WORD));
                }
                expired.next();
            }
            visit(start, &bits);
        }
        Ok(())
    }

    /// The matching documents, in blocks, deleted ones included (collectors skip them).
    fn for_each_block(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        let mut block = [0 as DocId; COLLECT_BLOCK_BUFFER_LEN];
        let mut len = 0;
        self.windows(reader, |start, bits| {
            for (i, word) in bits.iter().enumerate() {
                let mut word = *word;
                while word != 0 {
                    block[len] = start + i as u32 * WORD + word.trailing_zeros();
                    len += 1;
                    if len == block.len() {
                        callback(&block);
                        len = 0;
                    }
                    word &= word - 1;
                }
            }
        })?;
        if len > 0 {
            callback(&block[..len]);
        }
        Ok(())
    }
}

/// Documents of a segment whose expiry has passed (few: the expiry job closes them within a
/// minute), from the index of `expires_at`, in order.
fn expired(reader: &SegmentReader, field: Field, now: DateTime) -> tantivy::Result<Vec<DocId>> {
    let bound = Term::from_field_date_for_search(field, now);
    let inverted = reader.inverted_index(field)?;
    let mut terms = inverted
        .terms()
        .range()
        .le(bound.serialized_value_bytes())
        .into_stream()?;
    let mut docs = Vec::new();
    while terms.advance() {
        let mut postings =
            inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            docs.push(doc);
            doc = postings.advance();
        }
    }
    docs.sort_unstable();
    Ok(docs)
}

impl Weight for MatchingWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = Vec::new();
        self.for_each_block(reader, &mut |block| docs.extend_from_slice(block))?;
        Ok(Box::new(DocList { docs, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("matches (not scored)", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let mut count = 0;
        match reader.alive_bitset() {
            None => self.windows(reader, |_, bits| {
                count += bits.iter().map(|word| word.count_ones()).sum::<u32>();
            })?,
            Some(alive) => self.for_each_block(reader, &mut |block| {
                count += block.iter().filter(|doc| alive.is_alive(**doc)).count() as u32;
            })?,
        }
        Ok(count)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.for_each_block(reader, callback)
    }
}

/// Documents listed in order, all scoring 1.
struct DocList {
    docs: Vec<DocId>,
    at: usize,
}

impl DocSet for DocList {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at.min(self.docs.len())) as u32
    }
}

impl Scorer for DocList {
    fn score(&mut self) -> Score {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
    use tantivy::collector::Count;
    use tantivy::query::{BooleanQuery, Occur};

    use super::*;
    use crate::search::SearchRequest;
    use crate::search::query::filters::{
        facet_aggregations, facet_counts, filter_groups, filters, range_filters,
    };
    use crate::search::query::fixtures::{QUERIES, index, text};

    #[test]
    fn matching_counts_and_facets_as_the_boolean_query() {
        let dir = tempfile::tempdir().unwrap();
        let handle = index(dir.path());
        // A deleted document, as an update leaves behind.
        let mut writer: tantivy::IndexWriter = handle.index.writer(15_000_000).unwrap();
        writer.delete_term(Term::from_field_text(handle.fields.key, "posting:3"));
        writer.commit().unwrap();
        handle.reader.reload().unwrap();
        let searcher = handle.reader.searcher();
        let f = &handle.fields;
        let now = DateTime::from_timestamp_micros(chrono::Utc::now().timestamp_micros());
        let cache = Arc::new(FilterCache::default());
        // The new filters keep something and leave something out, or the comparison says little.
        let mut kept = Vec::new();
        let requests = [
            SearchRequest::default(),
            SearchRequest {
                kind: Some("need".into()),
                ..Default::default()
            },
            SearchRequest {
                kind: Some("need".into()),
                remote: Some(true),
                language: Some("fr".into()),
                ..Default::default()
            },
            SearchRequest {
                closing_by: Some(chrono::Utc::now() + chrono::Duration::days(14)),
                ..Default::default()
            },
            SearchRequest {
                min_value: Some(1_000),
                max_value: Some(20_000),
                ..Default::default()
            },
            SearchRequest {
                kind: Some("offer".into()),
                eligible: true,
                eligible_for: Some(crate::search::EligibleFor {
                    kind: "nonprofit".into(),
                    province: "QC".into(),
                    cause_areas: vec!["youth".into()],
                    has_charity_number: false,
                }),
                ..Default::default()
            },
        ];
        for request in &requests {
            for q in QUERIES {
                let Some(text) = text(&handle, &searcher, q) else {
                    continue;
                };
                let mut all = filters(f, request, now);
                all.push((Occur::Must, text.ranked.box_clone()));
                let all = BooleanQuery::new(all);
                let matching = Matching {
                    clauses: text.clauses.iter().map(|q| q.box_clone()).collect(),
                    groups: filter_groups(f, request),
                    ranges: range_filters(f, request),
                    expires_at: f.expires_at,
                    now,
                    cache: cache.clone(),
                };
                let facets = || {
                    AggregationCollector::from_aggs(
                        facet_aggregations().unwrap(),
                        AggContextParams::new(
                            AggregationLimitsGuard::default(),
                            handle.index.tokenizers().clone(),
                        ),
                    )
                };
                let (want, want_facets) = searcher.search(&all, &(Count, facets())).unwrap();
                if request.min_value.is_some() || request.closing_by.is_some() || request.eligible {
                    kept.push(want);
                }
                let (got, got_facets) = searcher.search(&matching, &(Count, facets())).unwrap();
                assert_eq!(want, got, "{q} {request:?}");
                assert_eq!(searcher.search(&matching, &Count).unwrap(), want, "{q}");
                assert_eq!(
                    facet_counts(&want_facets),
                    facet_counts(&got_facets),
                    "{q} {request:?}"
                );
            }
        }
        assert!(kept.iter().any(|n| *n > 0), "{kept:?}");
        let everything = searcher.search(&tantivy::query::AllQuery, &Count).unwrap();
        assert!(kept.iter().all(|n| *n < everything), "{kept:?}");
    }
}
