//! The best page of a ranked search: the text query restricted to the filters (`Filtered`), so
//! block-max WAND still prunes under filters, and a top-documents collector (`BestFirst`) that
//! carries its threshold from one segment to the next.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::Mutex;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED, Term};

/// The best documents by score, the threshold carried from one segment to the next: BM25 scores
/// are computed with index-wide statistics, so a document that cannot beat the best found in
/// earlier segments is skipped from the start of the next one (tantivy's `TopDocs` starts each
/// segment from nothing). Ties go to the earlier document, as with `TopDocs`.
pub(super) struct BestFirst {
    limit: usize,
    best: Mutex<BinaryHeap<Reverse<Ranked>>>,
}

/// A document and its score, ordered by score, then earlier document first.
#[derive(Debug, Clone, Copy)]
struct Ranked(Score, DocAddress);

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .total_cmp(&other.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl BestFirst {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit,
            best: Mutex::new(BinaryHeap::with_capacity(limit + 1)),
        }
    }
}

/// `BestFirst` does its work in `collect_segment`; this is never fed.
pub(super) struct NoSegmentCollector;

impl SegmentCollector for NoSegmentCollector {
    type Fruit = ();

    fn collect(&mut self, _doc: DocId, _score: Score) {}

    fn harvest(self) -> Self::Fruit {}
}

impl Collector for BestFirst {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = NoSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(NoSegmentCollector)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, _segments: Vec<()>) -> tantivy::Result<Self::Fruit> {
        let best = std::mem::take(&mut *self.lock()?);
        Ok(best
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(Ranked(score, address))| (score, address))
            .collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<()> {
        let mut best = self.lock()?;
        let limit = self.limit;
        if limit == 0 {
            return Ok(());
        }
        let floor = |best: &BinaryHeap<Reverse<Ranked>>| match best.peek() {
            Some(Reverse(Ranked(score, _))) if best.len() == limit => *score,
            _ => Score::MIN,
        };
        let mut threshold = floor(&best);
        let alive = reader.alive_bitset();
        weight.for_each_pruning(threshold, reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                best.push(Reverse(Ranked(score, DocAddress::new(segment, doc))));
                if best.len() > limit {
                    best.pop();
                }
                threshold = floor(&best);
            }
            threshold
        })
    }
}

impl BestFirst {
    fn lock(&self) -> tantivy::Result<std::sync::MutexGuard<'_, BinaryHeap<Reverse<Ranked>>>> {
        self.best
            .lock()
            .map_err(|_| tantivy::TantivyError::InternalError("top documents poisoned".into()))
    }
}

/// The text query restricted to the filters, scored by the text alone. Ranking it runs the text
/// query's own pruning (block-max WAND for a union of terms) and drops the documents the filters
/// refuse, so a filter never turns the ranking into scoring every match.
#[derive(Debug)]
pub(in crate::search) struct Filtered {
    pub(in crate::search) ranked: Box<dyn Query>,
    pub(in crate::search) filter: Box<dyn Query>,
    /// Prune the text's matches (filters that keep much); otherwise walk the filtered ones.
    pub(in crate::search) prune: bool,
}

impl Clone for Filtered {
    fn clone(&self) -> Self {
        Self {
            ranked: self.ranked.box_clone(),
            filter: self.filter.box_clone(),
            prune: self.prune,
        }
    }
}

impl Query for Filtered {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let no_scoring = match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        Ok(Box::new(FilteredWeight {
            ranked: self.ranked.weight(scoring)?,
            filter: self.filter.weight(no_scoring)?,
            prune: self.prune,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.ranked.query_terms(visitor);
    }
}

struct FilteredWeight {
    ranked: Box<dyn Weight>,
    filter: Box<dyn Weight>,
    prune: bool,
}

impl Weight for FilteredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorer = FilteredScorer {
            ranked: self.ranked.scorer(reader, boost)?,
            filter: self.filter.scorer(reader, 1.0)?,
        };
        scorer.align();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut filter = self.filter.scorer(reader, 1.0)?;
        if filter.doc() > doc || filter.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is filtered out"
            )));
        }
        self.ranked.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if !self.prune {
            let mut scorer = self.scorer(reader, 1.0)?;
            let mut threshold = threshold;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = scorer.advance();
            }
            return Ok(());
        }
        let mut filter = self.filter.scorer(reader, 1.0)?;
        let mut threshold = threshold;
        // The text's pruning hands over documents in increasing order.
        self.ranked
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if filter.doc() < doc {
                    filter.seek(doc);
                }
                if filter.doc() == doc {
                    threshold = callback(doc, score);
                }
                threshold
            })
    }
}

/// The documents of both, with the score of `ranked`.
struct FilteredScorer {
    ranked: Box<dyn Scorer>,
    filter: Box<dyn Scorer>,
}

impl FilteredScorer {
    /// Moves both forward to their next common document.
    fn align(&mut self) -> DocId {
        let mut candidate = self.ranked.doc().max(self.filter.doc());
        loop {
            let doc = self.ranked.seek(candidate);
            if doc == TERMINATED {
                return doc;
            }
            let allowed = self.filter.seek(doc);
            if allowed == doc {
                return doc;
            }
            candidate = allowed;
        }
    }
}

impl DocSet for FilteredScorer {
    fn advance(&mut self) -> DocId {
        self.ranked.advance();
        self.align()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.ranked.seek(target);
        self.align()
    }

    fn doc(&self) -> DocId {
        self.ranked.doc()
    }

    fn size_hint(&self) -> u32 {
        self.ranked.size_hint().min(self.filter.size_hint())
    }
}

impl Scorer for FilteredScorer {
    fn score(&mut self) -> Score {
        self.ranked.score()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur};
    use tantivy::{DateTime, DocAddress};

    use super::*;
    use crate::search::SearchRequest;
    use crate::search::query::filters::filters;
    use crate::search::query::fixtures::{QUERIES, index, text};

    #[test]
    fn filtered_ranking_keeps_the_exhaustive_order() {
        let dir = tempfile::tempdir().unwrap();
        let handle = index(dir.path());
        let searcher = handle.reader.searcher();
        let f = &handle.fields;
        let request = SearchRequest {
            kind: Some("need".into()),
            ..Default::default()
        };
        let now = DateTime::from_timestamp_secs(0);
        for q in QUERIES {
            let Some(text) = text(&handle, &searcher, q) else {
                continue;
            };
            let mut all = filters(f, &request, now);
            all.push((Occur::Must, text.ranked.box_clone()));
            let all = BooleanQuery::new(all);
            let exhaustive = searcher
                .search(&all, &TopDocs::with_limit(7).and_offset(2).order_by_score())
                .unwrap();
            // Documents with equal scores may come in either order (segments are searched in
            // parallel), so the page is compared by the exhaustive query's score of each document.
            // (The filters add the same constant to every exhaustive score.)
            let every: HashMap<DocAddress, f32> = searcher
                .search(&all, &TopDocs::with_limit(10_000).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(score, address)| (address, score))
                .collect();
            let want: Vec<f32> = exhaustive.iter().map(|(score, _)| *score).collect();
            for prune in [true, false] {
                let ranked = Filtered {
                    ranked: text.ranked.box_clone(),
                    filter: Box::new(BooleanQuery::new(filters(f, &request, now))),
                    prune,
                };
                let best = searcher.search(&ranked, &BestFirst::new(9)).unwrap();
                let got: Vec<f32> = best
                    .iter()
                    .skip(2)
                    .map(|(_, address)| every.get(address).copied().unwrap_or(f32::NAN))
                    .collect();
                assert_eq!(got, want, "{q} (prune: {prune}): {best:?} {exhaustive:?}");
            }
        }
    }
}
