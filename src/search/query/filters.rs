//! Filters and facets: a request's filters as term queries built in code (and the share of the
//! index they keep), the facet aggregations, and their counts read back for the API.

use std::ops::Bound;

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Searcher, Term};

use crate::search::document::ANY;
use crate::search::schema::Fields;
use crate::search::{Facets, SearchRequest};

/// Facet fields, as named in the API.
pub const FACETS: &[&str] = &["kind", "category", "province", "org_kind", "remote"];

/// The term filters of a request: each group keeps the documents that hold any of its terms,
/// and a document must pass every group.
pub(super) fn filter_groups(f: &Fields, request: &SearchRequest) -> Vec<Vec<Term>> {
    let flag = |value: bool| if value { "true" } else { "false" };
    let remote = request.remote.map(flag);
    let verified = request.verified.map(flag);
    let mut groups: Vec<Vec<Term>> = [
        (f.kind, request.kind.as_deref()),
        (f.category, request.category.as_deref()),
        (f.province, request.province.as_deref()),
        (f.org_kind, request.org_kind.as_deref()),
        (f.language, request.language.as_deref()),
        (f.remote, remote),
        (f.verified, verified),
    ]
    .into_iter()
    // Several values of one facet (comma-separated): any of them.
    .filter_map(|(field, value)| {
        value.map(|value| {
            value
                .split(',')
                .map(|value| Term::from_field_text(field, value))
                .collect()
        })
    })
    .collect();
    if request.eligible {
        // Without an organization to check, nothing is eligible.
        let who = request.eligible_for.clone().unwrap_or_default();
        let any_or = |field, values: &[String]| -> Vec<Term> {
            std::iter::once(ANY)
                .chain(values.iter().map(String::as_str))
                .filter(|value| !value.is_empty())
                .map(|value| Term::from_field_text(field, value))
                .collect()
        };
        let charity: Vec<String> = if who.has_charity_number {
            vec!["required".to_owned()]
        } else {
            Vec::new()
        };
        groups.push(any_or(f.elig_kinds, std::slice::from_ref(&who.kind)));
        groups.push(any_or(
            f.elig_provinces,
            std::slice::from_ref(&who.province),
        ));
        groups.push(any_or(f.elig_causes, &who.cause_areas));
        groups.push(any_or(f.elig_charity, &charity));
    }
    groups
}

/// The range filters of a request: closing by a date, a value between bounds.
pub(super) fn range_filters(f: &Fields, request: &SearchRequest) -> Vec<Box<dyn Query>> {
    let mut ranges: Vec<Box<dyn Query>> = Vec::new();
    if let Some(by) = request.closing_by {
        let by = DateTime::from_timestamp_micros(by.timestamp_micros());
        let upper = Term::from_field_date_for_search(f.expires_at, by);
        ranges.push(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(upper),
        )));
    }
    if request.min_value.is_some() || request.max_value.is_some() {
        let bound = |value: Option<i64>| match value {
            Some(value) => Bound::Included(Term::from_field_i64(f.value_cad, value)),
            None => Bound::Unbounded,
        };
        let (lower, upper) = match (request.min_value, request.max_value) {
            // A lower bound alone still needs a value: from the smallest one.
            (None, max) => (
                Bound::Included(Term::from_field_i64(f.value_cad, i64::MIN)),
                bound(max),
            ),
            (min, max) => (bound(min), bound(max)),
        };
        ranges.push(Box::new(RangeQuery::new(lower, upper)));
    }
    ranges
}

fn any_of(group: &[Term]) -> Box<dyn Query> {
    match group {
        [term] => Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic)),
        terms => Box::new(BooleanQuery::new(
            terms
                .iter()
                .map(|term| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic))
                            as Box<dyn Query>,
                    )
                })
                .collect(),
        )),
    }
}

/// Filters are term queries built in code, never text pasted into the query string.
pub fn filters(f: &Fields, request: &SearchRequest, now: DateTime) -> Vec<(Occur, Box<dyn Query>)> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = filter_groups(f, request)
        .iter()
        .map(|group| (Occur::Must, any_of(group)))
        .collect();
    // Expired postings leave search at once, even before the expiry job marks them.
    let lower = Term::from_field_date_for_search(f.expires_at, now);
    must.push((
        Occur::Must,
        Box::new(RangeQuery::new(Bound::Excluded(lower), Bound::Unbounded)),
    ));
    must.extend(
        range_filters(f, request)
            .into_iter()
            .map(|q| (Occur::Must, q)),
    );
    must
}

/// The share of documents the term filters keep, supposing they are independent.
pub(super) fn filter_share(searcher: &Searcher, f: &Fields, request: &SearchRequest) -> f64 {
    let documents = searcher.num_docs().max(1) as f64;
    filter_groups(f, request)
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|term| searcher.doc_freq(term).unwrap_or(0) as f64 / documents)
                .sum::<f64>()
                .min(1.0)
        })
        .product()
}

/// Below this share of documents kept by the filters, ranking walks the filtered documents
/// rather than pruning the text's matches.
pub(super) const PRUNE_FROM_SHARE: f64 = 1.0 / 32.0;

/// The facet aggregations, one terms aggregation per facet field.
pub(super) fn facet_aggregations() -> tantivy::Result<Aggregations> {
    aggregations_of(FACETS)
}

/// The terms aggregations of some facets only.
pub(super) fn aggregations_of(facets: &[&str]) -> tantivy::Result<Aggregations> {
    serde_json::from_value(serde_json::json!(
        facets
            .iter()
            .map(|name| (
                name.to_string(),
                serde_json::json!({ "terms": { "field": name, "size": 100 } })
            ))
            .collect::<serde_json::Map<_, _>>()
    ))
    .map_err(|err| tantivy::TantivyError::InvalidArgument(err.to_string()))
}

/// Reads the terms aggregations back as `{facet: {value: count}}`.
pub(super) fn facet_counts(
    results: &tantivy::aggregation::agg_result::AggregationResults,
) -> Facets {
    let json = serde_json::to_value(results).unwrap_or_default();
    let mut facets = Facets::new();
    for name in FACETS {
        let counts = facets.entry((*name).to_owned()).or_default();
        for bucket in json[name]["buckets"].as_array().into_iter().flatten() {
            let key = match &bucket["key"] {
                serde_json::Value::String(key) => key.clone(),
                other => other.to_string(),
            };
            // "none" stands for a missing province or category: not a value one can filter on.
            if key == "none" {
                continue;
            }
            counts.insert(key, bucket["doc_count"].as_u64().unwrap_or_default());
        }
    }
    facets
}
