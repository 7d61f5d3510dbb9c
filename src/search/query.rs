//! From a search request to a tantivy query, and from hits to results: lenient parsing of what the
//! user typed, typo tolerance, taxonomy synonyms, filters built as term queries, facets, snippets.

use std::ops::Bound;

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Index, Order, Searcher, TantivyDocument, Term};

use super::schema::{FOLD, Fields, words};
use super::synonyms::Synonyms;
use super::{Facets, Hit, SearchRequest, SearchResults, Sort};

/// What a query may weigh, per field.
const TEXT_BOOSTS: &[(&str, f32)] = &[
    ("title", 1.5),
    ("body", 1.0),
    ("body_en", 1.0),
    ("body_fr", 1.0),
    ("org_name", 0.5),
];

/// Fuzzy matches count for less than exact ones (their score is constant), more in titles.
const FUZZY_BOOST_TITLE: f32 = 0.6;
const FUZZY_BOOST_BODY: f32 = 0.3;
/// Longest query text considered; the rest is ignored.
const MAX_QUERY_CHARS: usize = 500;
/// Words of the query considered for typo tolerance.
const MAX_FUZZY_WORDS: usize = 8;

/// Facet fields, as named in the API.
pub const FACETS: &[&str] = &["kind", "category", "province", "org_kind", "remote"];

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(MAX_QUERY_CHARS) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

/// The text as the folded analyzer sees it.
pub(super) fn folded_words(index: &Index, text: &str) -> Vec<String> {
    index
        .tokenizers()
        .get(FOLD)
        .map(|mut analyzer| words(&mut analyzer, text))
        .unwrap_or_default()
}

/// The part of the query that ranks: what the user typed, with typo tolerance and synonyms.
/// `None` when nothing was typed (browse everything).
pub fn text_query(
    index: &Index,
    searcher: &Searcher,
    f: &Fields,
    synonyms: &Synonyms,
    q: &str,
    stemming: bool,
) -> Option<Box<dyn Query>> {
    let q = truncate(q.trim());
    let words = folded_words(index, q);
    if words.is_empty() {
        return None;
    }
    let schema = index.schema();
    let boosts: Vec<(&str, f32)> = TEXT_BOOSTS
        .iter()
        .copied()
        .filter(|(name, _)| stemming || !(name.ends_with("_en") || name.ends_with("_fr")))
        .collect();
    let text_fields: Vec<_> = boosts
        .iter()
        .filter_map(|(name, _)| schema.get_field(name).ok())
        .collect();
    let mut parser = QueryParser::for_index(index, text_fields);
    for (name, boost) in &boosts {
        if let Ok(field) = schema.get_field(name) {
            parser.set_field_boost(field, *boost);
        }
    }
    // Lenient: a stray quote or colon is read as text, never an error.
    let (parsed, _errors) = parser.parse_query_lenient(q);
    let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, parsed)];
    // Typos: one edit from 5 letters, two from 9, as search engines do; only for words that
    // appear nowhere as typed, so correct words do not drag in look-alikes.
    for word in words.iter().take(MAX_FUZZY_WORDS) {
        let known = [f.title, f.body].iter().any(|field| {
            searcher
                .doc_freq(&Term::from_field_text(*field, word))
                .unwrap_or(0)
                > 0
        });
        if known {
            continue;
        }
        let letters = word.chars().count();
        let distance = match letters {
            0..=4 => continue,
            5..=8 => 1,
            _ => 2,
        };
        for (field, boost) in [(f.title, FUZZY_BOOST_TITLE), (f.body, FUZZY_BOOST_BODY)] {
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(fuzzy), boost)),
            ));
        }
    }
    // Taxonomy synonyms: the concept named, in either language, whatever the posting's language.
    for concept in synonyms.concepts(q) {
        let (field, boost) = match concept.kind {
            entity::TaxonomyKind::Skill => (f.skills, 2.0),
            _ => (f.category, 3.0),
        };
        let term = TermQuery::new(
            Term::from_field_text(field, &concept.code),
            IndexRecordOption::Basic,
        );
        should.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(term), boost)),
        ));
    }
    Some(Box::new(BooleanQuery::new(should)))
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Filters are term queries built in code, never text pasted into the query string.
pub fn filters(f: &Fields, request: &SearchRequest, now: DateTime) -> Vec<(Occur, Box<dyn Query>)> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let pairs = [
        (f.kind, request.kind.as_deref()),
        (f.category, request.category.as_deref()),
        (f.province, request.province.as_deref()),
        (f.org_kind, request.org_kind.as_deref()),
        (f.language, request.language.as_deref()),
    ];
    for (field, value) in pairs {
        if let Some(value) = value {
            must.push((Occur::Must, term(field, value)));
        }
    }
    if let Some(remote) = request.remote {
        must.push((
            Occur::Must,
            term(f.remote, if remote { "true" } else { "false" }),
        ));
    }
    // Expired postings leave search at once, even before the expiry job marks them.
    let lower = Term::from_field_date_for_search(f.expires_at, now);
    must.push((
        Occur::Must,
        Box::new(RangeQuery::new(Bound::Excluded(lower), Bound::Unbounded)),
    ));
    must
}

/// Runs a search on one searcher.
pub fn run(
    index: &Index,
    searcher: &Searcher,
    f: &Fields,
    synonyms: &Synonyms,
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
    let mut clauses = filters(f, request, now);
    let ranked = text.is_some();
    clauses.push((
        Occur::Must,
        text.as_ref()
            .map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |q| q.box_clone()),
    ));
    let query = BooleanQuery::new(clauses);

    let top = TopDocs::with_limit(request.limit).and_offset(request.offset);
    let aggregations: Aggregations = serde_json::from_value(serde_json::json!(
        FACETS
            .iter()
            .map(|name| (
                name.to_string(),
                serde_json::json!({ "terms": { "field": name, "size": 100 } })
            ))
            .collect::<serde_json::Map<_, _>>()
    ))
    .map_err(|err| tantivy::TantivyError::InvalidArgument(err.to_string()))?;
    let facet_collector = (!request.lean).then(|| {
        AggregationCollector::from_aggs(
            aggregations,
            AggContextParams::new(
                AggregationLimitsGuard::default(),
                index.tokenizers().clone(),
            ),
        )
    });
    let (addresses, total, facets): (Vec<DocAddress>, usize, _) = if ranked
        && request.sort == Sort::Relevance
    {
        let (top, total, facets) =
            searcher.search(&query, &(top.order_by_score(), Count, facet_collector))?;
        (
            top.into_iter().map(|(_, address)| address).collect(),
            total,
            facets,
        )
    } else {
        let by_date = top.order_by_fast_field::<DateTime>("updated_at", Order::Desc);
        let (top, total, facets) = searcher.search(&query, &(by_date, Count, facet_collector))?;
        (
            top.into_iter().map(|(_, address)| address).collect(),
            total,
            facets,
        )
    };

    let snippets = match &text {
        Some(text) if !request.lean => Some((
            SnippetGenerator::create(searcher, text.as_ref(), f.title)?,
            {
                let mut generator = SnippetGenerator::create(searcher, text.as_ref(), f.body)?;
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
    Ok(SearchResults {
        total,
        hits,
        facets: facets.as_ref().map(facet_counts).unwrap_or_default(),
    })
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

fn hit(
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
        language: first_text(doc, f.language),
    }
}

/// Reads the terms aggregations back as `{facet: {value: count}}`.
fn facet_counts(results: &tantivy::aggregation::agg_result::AggregationResults) -> Facets {
    let json = serde_json::to_value(results).unwrap_or_default();
    let mut facets = Facets::new();
    for name in FACETS {
        let counts = facets.entry((*name).to_owned()).or_default();
        for bucket in json[name]["buckets"].as_array().into_iter().flatten() {
            let key = match &bucket["key"] {
                serde_json::Value::String(key) => key.clone(),
                other => other.to_string(),
            };
            counts.insert(key, bucket["doc_count"].as_u64().unwrap_or_default());
        }
    }
    facets
}
