//! The text part of a search: what the user typed, read leniently (loose punctuation, plain words
//! or the query parser's syntax, abbreviation letters dropped), as a flat union of terms over the
//! stemmed fields, with the joined form of adjacent words, typo tolerance and taxonomy synonyms.

use std::ops::Range;

use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    QueryParser, TermQuery,
};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, FieldType, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use crate::search::schema::{FOLD, Fields, words};
use crate::search::synonyms::Synonyms;

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
/// The last word as the start of longer words: shortest such word, and how many index words it
/// may stand for (tantivy's default for a phrase prefix).
const PREFIX_MIN_CHARS: usize = 3;
const MAX_PREFIX_TERMS: u32 = 50;
/// Longest query text considered; the rest is ignored.
const MAX_QUERY_CHARS: usize = 500;
/// Words of the query considered for typo tolerance.
const MAX_FUZZY_WORDS: usize = 8;

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
pub(in crate::search) fn folded_tokens(index: &Index, text: &str) -> Vec<(String, Range<usize>)> {
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
            if let [token] = &crate::search::schema::words(analyzer, &joined)[..] {
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
pub(super) fn typed_clauses(
    index: &Index,
    boosts: &[(Field, f32)],
    q: &str,
) -> Vec<Box<dyn Query>> {
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
    pub(super) text: String,
    /// The typo clauses, on the title and the description.
    pub(super) fuzzy: Vec<(Field, FuzzyTermQuery)>,
    /// The last word, when it also stands for the words it starts, with its field.
    pub(super) prefixes: Vec<(Field, String)>,
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
    let known = |word: &str| {
        [f.title, f.body].iter().any(|field| {
            searcher
                .doc_freq(&Term::from_field_text(*field, word))
                .unwrap_or(0)
                > 0
        })
    };
    // People stop typing before a long word ends: a last word that no text holds as typed also
    // stands for the words it starts ("cyber" finds "cybersécurité"), as typos do, at the same
    // weight. Known words keep their meaning (and the ranking measured with them).
    let mut prefixes = Vec::new();
    if let Some(last) = words
        .last()
        .filter(|word| word.chars().count() >= PREFIX_MIN_CHARS && !known(word))
        && plain_words(q).is_some()
    {
        for (field, boost) in [(f.title, FUZZY_BOOST_TITLE), (f.body, FUZZY_BOOST_BODY)] {
            let mut prefix = PhrasePrefixQuery::new(vec![Term::from_field_text(field, last)]);
            prefix.set_max_expansions(MAX_PREFIX_TERMS);
            prefixes.push((field, last.clone()));
            clauses.push(Box::new(BoostQuery::new(Box::new(prefix), boost)));
        }
    }
    // Typos: one edit from 5 letters, two from 9, as search engines do; only for words that
    // appear nowhere as typed, so correct words do not drag in look-alikes.
    for word in words.iter().take(MAX_FUZZY_WORDS) {
        if known(word) {
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
        prefixes,
    })
}

pub(super) fn union(clauses: &[Box<dyn Query>]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses
            .iter()
            .map(|query| (Occur::Should, query.box_clone()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;

    use super::*;
    use crate::search::query::fixtures::{QUERIES, index, text};

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
}
