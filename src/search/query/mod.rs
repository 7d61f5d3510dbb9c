//! From a search request to a tantivy query, and from hits to results: lenient parsing of what the
//! user typed, typo tolerance, taxonomy synonyms, filters built as term queries, facets, snippets.
//!
//! Here: `run`, one search from request to results. The text the user typed becomes a query in
//! `text`, the request's filters and facets are built in `filters`, the best page is ranked under
//! the filters in `ranking`, every match is counted and faceted in `counting`, and `highlight`
//! turns the page's documents into hits with snippets.

mod counting;
mod filters;
#[cfg(test)]
mod fixtures;
mod highlight;
mod ranking;
mod text;

use std::sync::Arc;

use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Index, Order, Searcher, TantivyDocument};

pub use counting::FilterCache;
use counting::Matching;
pub use filters::FACETS;
use filters::{
    PRUNE_FROM_SHARE, aggregations_of, facet_aggregations, facet_counts, filter_share, filters,
};
use highlight::hit;
use ranking::BestFirst;
pub(super) use ranking::Filtered;
pub(super) use text::folded_tokens;
use text::{TextQuery, text_query};

use super::schema::Fields;
use super::synonyms::Synonyms;
use super::{Facets, SearchRequest, SearchResults, Sort};

/// Runs a search on one searcher.
pub fn run(
    index: &Index,
    searcher: &Searcher,
    f: &Fields,
    synonyms: &Synonyms,
    filter_cache: &Arc<FilterCache>,
    request: &SearchRequest,
) -> tantivy::Result<SearchResults> {
    let now = DateTime::from_timestamp_micros(chrono::Utc::now().timestamp_micros());
    let text = text_query(
        index,
        searcher,
        f,
        synonyms,
        &request.q,
        !request.no_stemming,
    );
    let filter_clauses = filters(f, request, now);
    // Everything that matches: counted, faceted, and sorted by date when not ranked.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = filter_clauses
        .iter()
        .map(|(occur, query)| (*occur, query.box_clone()))
        .collect();
    clauses.push((
        Occur::Must,
        text.as_ref().map_or_else(
            || Box::new(AllQuery) as Box<dyn Query>,
            |text| text.ranked.box_clone(),
        ),
    ));
    let matching = BooleanQuery::new(clauses);
    let facet_collector = if request.lean {
        None
    } else {
        Some(AggregationCollector::from_aggs(
            facet_aggregations()?,
            AggContextParams::new(
                AggregationLimitsGuard::default(),
                index.tokenizers().clone(),
            ),
        ))
    };

    let (addresses, total, facets): (Vec<DocAddress>, usize, _) = match &text {
        Some(text) if request.sort == Sort::Relevance => {
            // Ranked alone, so tantivy can prune (a collector that sees every match, such as a
            // count, makes it score every match); then counted and faceted in one pass that
            // does not score.
            let ranked = Filtered {
                ranked: text.ranked.box_clone(),
                filter: Box::new(BooleanQuery::new(filter_clauses)),
                prune: filter_share(searcher, f, request) >= PRUNE_FROM_SHARE,
            };
            let best = searcher.search(&ranked, &BestFirst::new(request.offset + request.limit))?;
            let matching = Matching::new(text, f, request, now, filter_cache);
            let (total, facets) = match facet_collector {
                Some(facet_collector) => {
                    let (total, facets) = searcher.search(&matching, &(Count, facet_collector))?;
                    (total, Some(facets))
                }
                None => (searcher.search(&matching, &Count)?, None),
            };
            let addresses = best
                .into_iter()
                .skip(request.offset)
                .map(|(_, address)| address)
                .collect();
            (addresses, total, facets)
        }
        _ => {
            let top = TopDocs::with_limit(request.limit).and_offset(request.offset);
            let by_date = top.order_by_fast_field::<DateTime>("updated_at", Order::Desc);
            let (top, total, facets) =
                searcher.search(&matching, &(by_date, Count, facet_collector))?;
            let addresses = top.into_iter().map(|(_, address)| address).collect();
            (addresses, total, facets)
        }
    };

    let highlight = match &text {
        Some(text) if !request.lean => Some(text.highlight(index, searcher, f)),
        _ => None,
    };
    let snippets = match &highlight {
        Some(highlight) => Some((
            SnippetGenerator::create(searcher, highlight.as_ref(), f.title)?,
            {
                let mut generator = SnippetGenerator::create(searcher, highlight.as_ref(), f.body)?;
                generator.set_max_num_chars(240);
                generator
            },
        )),
        _ => None,
    };
    let mut hits = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        hits.push(hit(f, &doc, snippets.as_ref()));
    }
    let mut facets = facets.as_ref().map(facet_counts).unwrap_or_default();
    if !request.lean {
        // A facet with values chosen is counted as if none were: its other values show how many
        // more results choosing them too would add.
        for name in FACETS {
            let Some(wider) = without_facet(request, name) else {
                continue;
            };
            let counts = count_facet(
                index,
                searcher,
                f,
                filter_cache,
                text.as_ref(),
                &wider,
                name,
                now,
            )?;
            if let Some(values) = counts.get(*name) {
                facets.insert((*name).to_owned(), values.clone());
            }
        }
    }
    Ok(SearchResults {
        total,
        hits,
        facets,
    })
}

/// The request without the filter of one facet, when it has one.
fn without_facet(request: &SearchRequest, name: &str) -> Option<SearchRequest> {
    let mut wider = request.clone();
    let chosen = match name {
        "kind" => wider.kind.take().is_some(),
        "category" => wider.category.take().is_some(),
        "province" => wider.province.take().is_some(),
        "org_kind" => wider.org_kind.take().is_some(),
        "remote" => wider.remote.take().is_some(),
        _ => false,
    };
    chosen.then_some(wider)
}

/// One facet's counts over every match of a request, without ranking.
#[allow(clippy::too_many_arguments)] // the searcher's parts, the request and the facet
fn count_facet(
    index: &Index,
    searcher: &Searcher,
    f: &Fields,
    filter_cache: &Arc<FilterCache>,
    text: Option<&TextQuery>,
    request: &SearchRequest,
    facet: &str,
    now: DateTime,
) -> tantivy::Result<Facets> {
    let collector = AggregationCollector::from_aggs(
        aggregations_of(&[facet])?,
        AggContextParams::new(
            AggregationLimitsGuard::default(),
            index.tokenizers().clone(),
        ),
    );
    let results = match text {
        Some(text) => {
            let matching = Matching::new(text, f, request, now, filter_cache);
            searcher.search(&matching, &collector)?
        }
        None => {
            let mut clauses = filters(f, request, now);
            clauses.push((Occur::Must, Box::new(AllQuery)));
            searcher.search(&BooleanQuery::new(clauses), &collector)?
        }
    };
    Ok(facet_counts(&results))
}
