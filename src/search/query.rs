//! From a search request to a tantivy query, and from hits to results: lenient parsing of what the
//! user typed, typo tolerance, taxonomy synonyms, filters built as term queries, facets, snippets.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::ops::{Bound, Range};
use std::sync::{Arc, Mutex};

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EnableScoring, Explanation, FuzzyTermQuery, Occur,
    PhraseQuery, Query, QueryParser, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, FieldType, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DateTime, DocAddress, DocId, DocSet, Index, Order, Score, Searcher,
    SegmentOrdinal, SegmentReader, TERMINATED, TantivyDocument, Term,
};

use super::schema::{EN, FOLD, FR, Fields, words};
use super::synonyms::Synonyms;
use super::{Facets, Hit, SearchRequest, SearchResults, Sort};

/// What a query weighs, per field. The stemmed field of the text's language holds the title and
/// the description together and gives the score: one BM25 over the whole text, so a word counts
/// once whatever its form. The organization's name, which a posting's text does not hold, adds a
/// small bonus and finds the postings of an organization searched by name.
///
/// The words as typed in the title and the description (`title`, `body`) do not rank: they are
/// for highlighting. Weighed beside the stemmed text (last at 0.45 and 0.3 of it), they moved
/// relevance by less than its noise between runs (`cargo bench --bench relevance`) and cost
/// more than half the time of a ranked query of common words (two more posting lists a word).
const STEMMED_BOOSTS: &[(&str, f32)] = &[("body_en", 1.0), ("body_fr", 1.0), ("org_name", 0.15)];
/// Without stemming (an ablation for evaluations): the folded words, the title first.
const FOLDED_BOOSTS: &[(&str, f32)] = &[("title", 1.5), ("body", 1.0), ("org_name", 0.5)];

/// A concept the query names that the text names in other words (`hunger` for `food bank`, or in
/// the other language). Half of a word's weight: English NDCG@10 0.262 -> 0.269 on the NTEE
/// collection, where a full weight (0.267) or twice it (0.265) gained less.
const NAMED_BOOST: f32 = 0.5;

/// Fuzzy matches count for less than exact ones (their score is constant), more in titles.
const FUZZY_BOOST_TITLE: f32 = 0.6;
const FUZZY_BOOST_BODY: f32 = 0.3;
/// Longest query text considered; the rest is ignored.
const MAX_QUERY_CHARS: usize = 500;
/// Words of the query considered for typo tolerance.
const MAX_FUZZY_WORDS: usize = 8;
/// Words of the index a typo is highlighted as, at most, per field.
const MAX_FUZZY_HIGHLIGHTS: usize = 16;

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

/// The folded words of a text, each with the bytes of the text it was read from.
pub(super) fn folded_tokens(index: &Index, text: &str) -> Vec<(String, Range<usize>)> {
    let Some(mut analyzer) = index.tokenizers().get(FOLD) else {
        return Vec::new();
    };
    let mut tokens = Vec::new();
    analyzer.token_stream(text).process(&mut |token| {
        tokens.push((token.text.clone(), token.offset_from..token.offset_to));
    });
    tokens
}

/// The text without the operator signs that stand alone: a `-`, `+` or `:` between spaces is
/// punctuation (`Youth Development - Business`, a French `objectifs : la paix`, a `- ` bullet),
/// not the exclusion of the next word or a field name. Signs attached to a word stay operators.
fn loose_punctuation(q: &str) -> String {
    q.split_whitespace()
        .filter(|token| !token.chars().all(|c| matches!(c, '-' | '+' | ':')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of a plain query, as the query grammar reads them: no field names, quotes,
/// operators or boosts. `None` when the query uses any syntax (the query parser handles it).
fn plain_words(q: &str) -> Option<Vec<String>> {
    let (ast, _errors) = query_grammar::parse_query_lenient(q);
    let clauses = match ast {
        UserInputAst::Clause(clauses) => clauses,
        leaf @ UserInputAst::Leaf(_) => vec![(None, leaf)],
        UserInputAst::Boost(..) => return None,
    };
    clauses
        .into_iter()
        .map(|(occur, ast)| match (occur, ast) {
            (None | Some(Occur::Should), UserInputAst::Leaf(leaf)) => match *leaf {
                UserInputLeaf::Literal(UserInputLiteral {
                    field_name: None,
                    phrase,
                    delimiter: Delimiter::None,
                    slop: 0,
                    prefix: false,
                }) => Some(phrase),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The words without those that are single letters once analyzed, unless nothing else is left:
/// what remains of an abbreviation (`N.E.C.`, `U.S.`) names nothing, yet each letter matched
/// every text that holds it alone. A split word keeps its letters (`e-mail`).
fn without_letters(index: &Index, words: Vec<String>) -> Vec<String> {
    let meaningful = |word: &String| {
        folded_words(index, word)
            .iter()
            .any(|token| token.chars().count() > 1)
    };
    if words.iter().any(meaningful) {
        words.into_iter().filter(meaningful).collect()
    } else {
        words
    }
}

/// What the query parser makes of plain words, as one flat union: each word in each field, with
/// the field's boost. Scores are the same sums as the parser's nested unions, but a flat union of
/// terms is what tantivy prunes with block-max WAND.
fn word_clauses(index: &Index, boosts: &[(Field, f32)], words: &[String]) -> Vec<Box<dyn Query>> {
    let schema = index.schema();
    let mut analyzers: Vec<_> = boosts
        .iter()
        .filter_map(|&(field, boost)| {
            let FieldType::Str(options) = schema.get_field_entry(field).field_type() else {
                return None;
            };
            let indexing = options.get_indexing_options()?;
            let analyzer = index.tokenizers().get(indexing.tokenizer())?;
            Some((field, boost, analyzer))
        })
        .collect();
    let mut clauses: Vec<Box<dyn Query>> = Vec::new();
    // Word by word, then field by field, as the parser nests them.
    for word in words {
        for (field, boost, analyzer) in &mut analyzers {
            let mut terms: Vec<(usize, Term)> = Vec::new();
            analyzer.token_stream(word).process(&mut |token| {
                terms.push((token.position, Term::from_field_text(*field, &token.text)));
            });
            let query: Box<dyn Query> = match terms.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(
                    terms.remove(0).1,
                    IndexRecordOption::WithFreqs,
                )),
                // A word the analyzer splits (`e-mail`) is a phrase, as for the parser.
                _ => Box::new(PhraseQuery::new_with_offset_and_slop(terms, 0)),
            };
            clauses.push(Box::new(BoostQuery::new(query, *boost)));
        }
    }
    // Two words a text may write as one (`fund raising` and `fundraising`, `cyber sécurité`).
    for pair in words.windows(2) {
        let joined = format!("{}{}", pair[0], pair[1]);
        for (field, boost, analyzer) in &mut analyzers {
            if let [token] = &super::schema::words(analyzer, &joined)[..] {
                let term = Term::from_field_text(*field, token);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                clauses.push(Box::new(BoostQuery::new(Box::new(query), *boost)));
            }
        }
    }
    clauses
}

/// What the user typed, in these fields: a flat union of terms for plain words, the query
/// parser's reading when the query uses its syntax (quotes, `-`, `field:`).
fn typed_clauses(index: &Index, boosts: &[(Field, f32)], q: &str) -> Vec<Box<dyn Query>> {
    match plain_words(q) {
        Some(plain) => word_clauses(index, boosts, &without_letters(index, plain)),
        None => {
            let mut parser =
                QueryParser::for_index(index, boosts.iter().map(|(field, _)| *field).collect());
            for (field, boost) in boosts {
                parser.set_field_boost(*field, *boost);
            }
            // Lenient: a stray quote or colon is read as text, never an error.
            let (parsed, _errors) = parser.parse_query_lenient(q);
            vec![parsed]
        }
    }
}

/// The text part of a search.
pub struct TextQuery {
    /// Scores the matches: the union of `clauses`.
    pub ranked: Box<dyn Query>,
    /// Any of these makes a match.
    pub clauses: Vec<Box<dyn Query>>,
    /// The query as read (punctuation loosened, truncated).
    text: String,
    /// The typo clauses, on the title and the description.
    fuzzy: Vec<(Field, FuzzyTermQuery)>,
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
) -> Option<TextQuery> {
    let q = &loose_punctuation(truncate(q.trim()));
    let words = folded_words(index, q);
    if words.is_empty() {
        return None;
    }
    let schema = index.schema();
    let boosts: Vec<(Field, f32)> = if stemming {
        STEMMED_BOOSTS
    } else {
        FOLDED_BOOSTS
    }
    .iter()
    .filter_map(|(name, boost)| schema.get_field(name).ok().map(|field| (field, *boost)))
    .collect();
    let mut clauses = typed_clauses(index, &boosts, q);
    let mut fuzzy_clauses = Vec::new();
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
            fuzzy_clauses.push((field, fuzzy.clone()));
            clauses.push(Box::new(BoostQuery::new(Box::new(fuzzy), boost)));
        }
    }
    // Taxonomy synonyms: the concept named, in either language, whatever the posting's language:
    // as a tag of the posting or organization, and as named by its text in any of its synonyms.
    // With frequencies, as the words: a union of plain terms is what block-max WAND prunes. A
    // cause area is the organization's (its postings carry it too), so it weighs least.
    for concept in synonyms.concepts(q) {
        let (field, boost) = match concept.kind {
            entity::TaxonomyKind::Category => (f.category, 3.0),
            entity::TaxonomyKind::Skill => (f.skills, 2.0),
            entity::TaxonomyKind::CauseArea => (f.cause_areas, 1.0),
        };
        let term = TermQuery::new(
            Term::from_field_text(field, &concept.code),
            IndexRecordOption::WithFreqs,
        );
        clauses.push(Box::new(BoostQuery::new(Box::new(term), boost)));
        let named = TermQuery::new(
            Term::from_field_text(f.named, &concept.code),
            IndexRecordOption::WithFreqs,
        );
        clauses.push(Box::new(BoostQuery::new(Box::new(named), NAMED_BOOST)));
    }
    Some(TextQuery {
        ranked: union(&clauses),
        clauses,
        text: q.to_owned(),
        fuzzy: fuzzy_clauses,
    })
}

fn union(clauses: &[Box<dyn Query>]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses
            .iter()
            .map(|query| (Occur::Should, query.box_clone()))
            .collect(),
    ))
}

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

/// The term filters of a request, by field.
fn filter_terms(f: &Fields, request: &SearchRequest) -> Vec<Term> {
    let remote = request
        .remote
        .map(|remote| if remote { "true" } else { "false" });
    [
        (f.kind, request.kind.as_deref()),
        (f.category, request.category.as_deref()),
        (f.province, request.province.as_deref()),
        (f.org_kind, request.org_kind.as_deref()),
        (f.language, request.language.as_deref()),
        (f.remote, remote),
    ]
    .into_iter()
    .filter_map(|(field, value)| value.map(|value| Term::from_field_text(field, value)))
    .collect()
}

/// Filters are term queries built in code, never text pasted into the query string.
pub fn filters(f: &Fields, request: &SearchRequest, now: DateTime) -> Vec<(Occur, Box<dyn Query>)> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = filter_terms(f, request)
        .into_iter()
        .map(|term| {
            (
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    // Expired postings leave search at once, even before the expiry job marks them.
    let lower = Term::from_field_date_for_search(f.expires_at, now);
    must.push((
        Occur::Must,
        Box::new(RangeQuery::new(Bound::Excluded(lower), Bound::Unbounded)),
    ));
    must
}

/// The share of documents the term filters keep, supposing they are independent.
fn filter_share(searcher: &Searcher, f: &Fields, request: &SearchRequest) -> f64 {
    let documents = searcher.num_docs().max(1) as f64;
    filter_terms(f, request)
        .iter()
        .map(|term| searcher.doc_freq(term).unwrap_or(0) as f64 / documents)
        .product()
}

/// Below this share of documents kept by the filters, ranking walks the filtered documents
/// rather than pruning the text's matches.
const PRUNE_FROM_SHARE: f64 = 1.0 / 32.0;

/// The facet aggregations, one terms aggregation per facet field.
fn facet_aggregations() -> tantivy::Result<Aggregations> {
    serde_json::from_value(serde_json::json!(
        FACETS
            .iter()
            .map(|name| (
                name.to_string(),
                serde_json::json!({ "terms": { "field": name, "size": 100 } })
            ))
            .collect::<serde_json::Map<_, _>>()
    ))
    .map_err(|err| tantivy::TantivyError::InvalidArgument(err.to_string()))
}

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
            let matching = Matching {
                clauses: text.clauses.iter().map(|q| q.box_clone()).collect(),
                terms: filter_terms(f, request),
                expires_at: f.expires_at,
                now,
                cache: filter_cache.clone(),
            };
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
    Ok(SearchResults {
        total,
        hits,
        facets: facets.as_ref().map(facet_counts).unwrap_or_default(),
    })
}

/// The best documents by score, the threshold carried from one segment to the next: BM25 scores
/// are computed with index-wide statistics, so a document that cannot beat the best found in
/// earlier segments is skipped from the start of the next one (tantivy's `TopDocs` starts each
/// segment from nothing). Ties go to the earlier document, as with `TopDocs`.
struct BestFirst {
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
    fn new(limit: usize) -> Self {
        Self {
            limit,
            best: Mutex::new(BinaryHeap::with_capacity(limit + 1)),
        }
    }
}

/// `BestFirst` does its work in `collect_segment`; this is never fed.
struct NoSegmentCollector;

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
pub(super) struct Filtered {
    pub(super) ranked: Box<dyn Query>,
    pub(super) filter: Box<dyn Query>,
    /// Prune the text's matches (filters that keep much); otherwise walk the filtered ones.
    pub(super) prune: bool,
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
struct Matching {
    clauses: Vec<Box<dyn Query>>,
    terms: Vec<Term>,
    expires_at: Field,
    now: DateTime,
    cache: Arc<FilterCache>,
}

impl Clone for Matching {
    fn clone(&self) -> Self {
        Self {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
            terms: self.terms.clone(),
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
            .field("terms", &self.terms)
            .finish_non_exhaustive()
    }
}

impl Query for Matching {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let clauses = self
            .clauses
            .iter()
            .map(|clause| {
                clause.weight(match scoring.searcher() {
                    Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
                    None => EnableScoring::disabled_from_schema(scoring.schema()),
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(MatchingWeight {
            clauses,
            query: self.clone(),
        }))
    }
}

struct MatchingWeight {
    clauses: Vec<Box<dyn Weight>>,
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
        let filters = self
            .query
            .terms
            .iter()
            .map(|term| self.query.cache.documents(reader, term))
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
            // "none" stands for a missing province or category: not a value one can filter on.
            if key == "none" {
                continue;
            }
            counts.insert(key, bucket["doc_count"].as_u64().unwrap_or_default());
        }
    }
    facets
}

#[cfg(test)]
mod tests {
    use entity::{
        Language, OrgKind, PostingKind, PostingStatus, StringList, Verification, organization,
        posting,
    };
    use tantivy::collector::TopDocs;

    use super::*;
    use crate::domain::taxonomy::Taxonomy;
    use crate::search::{Record, SearchHandle, build_from};

    const TEXTS: &[(&str, &str, Language, &str)] = &[
        (
            "Refurbished laptops for our homework club",
            "Twelve laptops for the youth homework club, with office software installed.",
            Language::En,
            "hardware",
        ),
        (
            "Cybersecurity awareness training for nonprofit staff",
            "Four remote sessions on phishing, passwords and safe remote work.",
            Language::En,
            "cybersecurity",
        ),
        (
            "Formation en cybersécurité pour nos intervenants",
            "Une formation sur l'hameçonnage et les mots de passe pour huit intervenantes.",
            Language::Fr,
            "cybersecurity",
        ),
        (
            "Refonte de notre site web",
            "Notre site web date de 2012; nous cherchons une refonte bilingue et accessible.",
            Language::Fr,
            "website",
        ),
        (
            "A new website for the food bank",
            "Our e-mail list and website need a refresh before the winter drive.",
            Language::En,
            "website",
        ),
        (
            "Data analysis of our volunteer programs",
            "Help us measure what our volunteer programs change for the families we serve.",
            Language::En,
            "data",
        ),
        (
            "Bénévoles pour l'aide aux devoirs",
            "Des bénévoles pour l'aide aux devoirs des jeunes, deux soirs par semaine.",
            Language::Fr,
            "hardware",
        ),
    ];

    fn organization(id: i64) -> organization::Model {
        organization::Model {
            id,
            name: format!("Banque alimentaire {id}"),
            kind: OrgKind::Nonprofit,
            description: "Food bank and homework help in Montréal".into(),
            website: None,
            province: "QC".into(),
            city: None,
            languages: StringList(vec!["fr".into(), "en".into()]),
            cause_areas: StringList(Vec::new()),
            size: None,
            charity_number: None,
            verification: Verification::Verified,
            verified_at: None,
            contact_email: None,
            contact_phone: None,
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    /// Each text several times, as needs and offers of two organizations.
    fn index(dir: &std::path::Path) -> SearchHandle {
        let orgs = [organization(1), organization(2)];
        let postings: Vec<posting::Model> = (0..TEXTS.len() * 6)
            .map(|n| {
                let (title, description, language, category) = TEXTS[n % TEXTS.len()];
                posting::Model {
                    id: n as i64 + 1,
                    organization_id: (n % 2) as i64 + 1,
                    kind: if n % 3 == 0 {
                        PostingKind::Offer
                    } else {
                        PostingKind::Need
                    },
                    title: title.into(),
                    description: format!("{description} {}", "Merci. ".repeat(n % 4)),
                    language,
                    category: category.into(),
                    skills: StringList(Vec::new()),
                    province: Some("QC".into()),
                    remote: n % 2 == 0,
                    quantity: 1,
                    value_cad: None,
                    hours: None,
                    starts_on: None,
                    ends_on: None,
                    // Some have expired, but the expiry job has not closed them yet.
                    expires_at: (n % 5 == 4)
                        .then(|| chrono::Utc::now() - chrono::Duration::days(1)),
                    status: PostingStatus::Open,
                    eligibility: None,
                    version: 1,
                    created_at: chrono::Utc::now(),
                    updated_at: chrono::Utc::now(),
                }
            })
            .collect();
        let records = orgs.iter().map(Record::Organization).chain(
            postings
                .iter()
                .map(|p| Record::Posting(p, &orgs[p.organization_id as usize - 1])),
        );
        build_from(dir, &Taxonomy::builtin().unwrap(), records).unwrap()
    }

    const QUERIES: &[&str] = &[
        "laptops",
        "homework club",
        "cybersécurité formation",
        "cybersecurite",
        "website refonte",
        "e-mail",
        "l'aide aux devoirs",
        "volunteer programs families",
        "food bank",
        // Only in the organizations' names, which postings carry in `org_name` alone.
        "alimentaire",
        "the",
    ];

    fn text(handle: &SearchHandle, searcher: &Searcher, q: &str) -> Option<TextQuery> {
        let f = &handle.fields;
        text_query(&handle.index, searcher, f, &handle.synonyms, q, true)
    }

    #[test]
    fn plain_words_leave_syntax_to_the_parser() {
        assert_eq!(
            plain_words("homework  club"),
            Some(vec!["homework".into(), "club".into()])
        );
        assert_eq!(plain_words("e-mail"), Some(vec!["e-mail".into()]));
        assert_eq!(
            plain_words("laptops OR tablets"),
            Some(vec!["laptops".into(), "tablets".into()])
        );
        // The grammar reads a lone `+word` as the word, as the parser does.
        assert_eq!(plain_words("+laptops"), Some(vec!["laptops".into()]));
        for syntax in ["title:laptops", "laptops -tablets", "laptops^2", "+a -b"] {
            assert_eq!(plain_words(syntax), None, "{syntax}");
        }
        assert_eq!(plain_words("\"homework club\""), None);
    }

    #[test]
    fn single_letters_do_not_rank_beside_words() {
        let dir = tempfile::tempdir().unwrap();
        let handle = index(dir.path());
        let kept = |q: &str| without_letters(&handle.index, plain_words(q).unwrap());
        assert_eq!(
            kept("Arts & Humanities N.E.C."),
            vec!["Arts".to_owned(), "Humanities".to_owned()]
        );
        assert_eq!(kept("U.S. e-mail"), vec!["e-mail".to_owned()]);
        // Letters alone are still searched.
        assert_eq!(kept("c"), vec!["c".to_owned()]);
    }

    #[test]
    fn signs_between_spaces_are_punctuation() {
        let plain = |q| plain_words(&loose_punctuation(q));
        assert_eq!(
            plain("youth development - business"),
            Some(vec![
                "youth".into(),
                "development".into(),
                "business".into()
            ])
        );
        assert_eq!(
            plain("- objectifs : la paix +"),
            Some(vec!["objectifs".into(), "la".into(), "paix".into()])
        );
        // Attached to a word, they are still operators.
        assert_eq!(plain("laptops -tablets"), None);
        assert_eq!(plain("title:laptops"), None);
    }

    #[test]
    fn flat_words_score_as_the_query_parser() {
        let dir = tempfile::tempdir().unwrap();
        let handle = index(dir.path());
        let searcher = handle.reader.searcher();
        let schema = handle.index.schema();
        for q in QUERIES {
            let Some(text) = text(&handle, &searcher, q) else {
                continue;
            };
            let fields = STEMMED_BOOSTS
                .iter()
                .map(|(name, _)| schema.get_field(name).unwrap())
                .collect();
            let mut parser = QueryParser::for_index(&handle.index, fields);
            for (name, boost) in STEMMED_BOOSTS {
                parser.set_field_boost(schema.get_field(name).unwrap(), *boost);
            }
            let (parsed, _) = parser.parse_query_lenient(q);
            let mut should = vec![(Occur::Should, parsed)];
            for concept in handle.synonyms.concepts(q) {
                let (field, boost) = match concept.kind {
                    entity::TaxonomyKind::Category => (handle.fields.category, 3.0),
                    entity::TaxonomyKind::Skill => (handle.fields.skills, 2.0),
                    entity::TaxonomyKind::CauseArea => (handle.fields.cause_areas, 1.0),
                };
                let term = TermQuery::new(
                    Term::from_field_text(field, &concept.code),
                    IndexRecordOption::Basic,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), boost)),
                ));
                let named = TermQuery::new(
                    Term::from_field_text(handle.fields.named, &concept.code),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(named), NAMED_BOOST)),
                ));
            }
            let reference = BooleanQuery::new(should);
            let top = TopDocs::with_limit(100).order_by_score();
            let expected = searcher.search(&reference, &top).unwrap();
            let actual = searcher.search(&text.ranked, &top).unwrap();
            assert_eq!(expected.len(), actual.len(), "{q}");
            for ((want, _), (got, _)) in expected.iter().zip(&actual) {
                assert!((want - got).abs() < 1e-4, "{q}: {want} against {got}");
            }
        }
    }

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
                    terms: filter_terms(f, request),
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
    }

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
