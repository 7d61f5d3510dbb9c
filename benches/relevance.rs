//! Search relevance on judged collections: Passerelle against SQLite FTS5 and PostgreSQL full-text
//! search, on the same documents and queries. See `benches/README.md`.
//!
//! ```text
//! cargo bench --bench relevance -- prepare ntee|rna OUT_DIR
//! cargo bench --bench relevance -- run DOCUMENTS JUDGMENTS [--exclude-self] [--per-query FILE]
//! cargo bench --bench relevance -- all
//! cargo bench --bench relevance -- self-test
//! ```
//!
//! `documents.jsonl`: one `{"id": "...", "title": "...", "text": "...", "language": "en"}` per line
//! (`language` is optional, `en` by default; `fr` makes PostgreSQL use its French configuration).
//! `judgments.tsv`: `query_id<TAB>query_text<TAB>document_id<TAB>grade`, one line per judged
//! document; a query without a line of grade > 0 is not evaluated.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use entity::{OrgKind, StringList, organization};
use passerelle::domain::taxonomy::Taxonomy;
use passerelle::search::{Record, SearchRequest, build_from};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait,
};
use serde::Deserialize;

#[allow(dead_code)]
#[path = "common/measure.rs"]
mod measure;
#[path = "common/metrics.rs"]
mod metrics;
#[allow(dead_code)]
#[path = "common/records.rs"]
mod records;
use measure::shared_data;
use metrics::{Gain, Relevant, field, ndcg, read_csv, recall};

/// Results kept per query: recall is measured on these.
const DEPTH: usize = 100;
/// Rank cut-off of NDCG.
const NDCG_AT: usize = 10;

const NTEE_MISSIONS: &str = "nonprofit_missions_ntee/mission_statements_ntee_990_1023ez.csv";
const NTEE_LEVELS: &str = "taxonomies/ntee/ntee-levels.csv";
const RNA: &str = "nonprofits_fr_rna/rna_associations_sample.csv";
/// NTEE codes with fewer organizations than this are not queried.
const NTEE_MIN_ORGS: usize = 5;
/// RNA code of associations whose purpose is unknown.
const RNA_UNKNOWN: &str = "000000";

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

const USAGE: &str = "usage:
  cargo bench --bench relevance -- prepare ntee|rna OUT_DIR
  cargo bench --bench relevance -- run DOCUMENTS JUDGMENTS [--exclude-self] [--per-query FILE]
  cargo bench --bench relevance -- all
  cargo bench --bench relevance -- self-test";

fn main() -> anyhow::Result<()> {
    // `cargo bench` appends `--bench`; it means nothing here.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let runtime = tokio::runtime::Runtime::new()?;
    match args.as_slice() {
        ["prepare", collection, out] => {
            let Some(data) = shared_data(&[NTEE_MISSIONS, NTEE_LEVELS, RNA], "relevance") else {
                return Ok(());
            };
            prepare(&data, collection, Path::new(out))
        }
        ["run", documents, judgments, options @ ..] => {
            let options = Options::parse(options)?;
            runtime.block_on(run(Path::new(documents), Path::new(judgments), &options))
        }
        ["all"] => {
            let Some(data) = shared_data(&[NTEE_MISSIONS, NTEE_LEVELS, RNA], "relevance") else {
                return Ok(());
            };
            let started = Instant::now();
            let tmp = tempfile::tempdir()?;
            for (collection, exclude_self) in [("ntee", false), ("rna", true)] {
                let out = tmp.path().join(collection);
                prepare(&data, collection, &out)?;
                println!("\n## {}\n", title_of(collection));
                let options = Options {
                    exclude_self,
                    per_query: None,
                };
                runtime.block_on(run(
                    &out.join("documents.jsonl"),
                    &out.join("judgments.tsv"),
                    &options,
                ))?;
            }
            println!("\n`all` took {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        ["self-test"] => {
            self_test();
            println!("metrics self-test passed");
            Ok(())
        }
        _ => {
            println!("{USAGE}");
            Ok(())
        }
    }
}

fn title_of(collection: &str) -> &'static str {
    match collection {
        "ntee" => "NTEE (English): US nonprofit missions, queries = NTEE code descriptions",
        _ => "RNA (French): associations, queries = purpose texts, relevant = same objet_social1",
    }
}

struct Options {
    exclude_self: bool,
    per_query: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[&str]) -> anyhow::Result<Self> {
        let mut options = Options {
            exclude_self: false,
            per_query: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--exclude-self" => options.exclude_self = true,
                "--per-query" => {
                    let path = args.next().context("--per-query needs a file")?;
                    options.per_query = Some(PathBuf::from(path));
                }
                other => bail!("unknown option {other}\n{USAGE}"),
            }
        }
        Ok(options)
    }
}

// ---------------------------------------------------------------------------------------------
// Preparing the generic files from the shared data

/// One line of text: no tabs or line breaks, single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Prepared {
    documents: Vec<(String, String, String)>,
    /// (query id, query text, document id, grade)
    judgments: Vec<(String, String, String, u32)>,
}

fn prepare(data: &Path, collection: &str, out: &Path) -> anyhow::Result<()> {
    let (prepared, language) = match collection {
        "ntee" => (prepare_ntee(data)?, "en"),
        "rna" => (prepare_rna(data)?, "fr"),
        other => bail!("unknown collection {other}: ntee or rna"),
    };
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut documents = BufWriter::new(std::fs::File::create(out.join("documents.jsonl"))?);
    for (id, title, text) in &prepared.documents {
        let line =
            serde_json::json!({ "id": id, "title": title, "text": text, "language": language });
        writeln!(documents, "{line}")?;
    }
    documents.flush()?;
    let mut judgments = BufWriter::new(std::fs::File::create(out.join("judgments.tsv"))?);
    for (query_id, query, document_id, grade) in &prepared.judgments {
        writeln!(judgments, "{query_id}\t{query}\t{document_id}\t{grade}")?;
    }
    judgments.flush()?;
    let queries: HashSet<&str> = prepared.judgments.iter().map(|j| j.0.as_str()).collect();
    eprintln!(
        "prepared {collection} in {}: {} documents, {} queries, {} judgments",
        out.display(),
        prepared.documents.len(),
        queries.len(),
        prepared.judgments.len()
    );
    Ok(())
}

/// Every row of the missions file is a document (an organization may appear for several tax
/// years); each NTEE code with enough of them is a query, its description the text; same code is
/// grade 2, same major group grade 1.
fn prepare_ntee(data: &Path) -> anyhow::Result<Prepared> {
    let missions = read_csv(&data.join(NTEE_MISSIONS))?;
    let levels = read_csv(&data.join(NTEE_LEVELS))?;
    let mut documents = Vec::new();
    // (document id, code, major group)
    let mut labels = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (row_number, row) in missions.iter().enumerate() {
        let id = format!("{}-{}", field(row, "EIN"), row_number + 1);
        documents.push((
            id.clone(),
            one_line(field(row, "NAME")),
            one_line(field(row, "F9_03_PZ_MISSION")),
        ));
        let code = field(row, "Nteecode");
        *counts.entry(code).or_default() += 1;
        labels.push((id, code, field(row, "NTEE")));
    }
    let mut judgments = Vec::new();
    for level in &levels {
        let code = field(level, "ntee");
        let major = field(level, "MajorGroup");
        let query = one_line(field(level, "description"));
        if counts.get(code).copied().unwrap_or(0) < NTEE_MIN_ORGS || query.is_empty() {
            continue;
        }
        for (id, doc_code, doc_major) in &labels {
            let grade = if *doc_code == code {
                2
            } else if !major.is_empty() && *doc_major == major {
                1
            } else {
                continue;
            };
            judgments.push((code.to_owned(), query.clone(), id.clone(), grade));
        }
    }
    Ok(Prepared {
        documents,
        judgments,
    })
}

/// Every association is a document; each with a known `objet_social1` is a query, its `objet` the
/// text; the other associations with the same code are relevant (grade 1).
fn prepare_rna(data: &Path) -> anyhow::Result<Prepared> {
    let rows = read_csv(&data.join(RNA))?;
    let mut documents = Vec::new();
    let mut by_code: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for row in &rows {
        let id = field(row, "id_association");
        documents.push((
            id.to_owned(),
            one_line(field(row, "titre")),
            one_line(field(row, "objet")),
        ));
        let code = field(row, "objet_social1");
        if !code.is_empty() && code != RNA_UNKNOWN {
            by_code.entry(code).or_default().push(id);
        }
    }
    let mut judgments = Vec::new();
    for row in &rows {
        let id = field(row, "id_association");
        let code = field(row, "objet_social1");
        let query = one_line(field(row, "objet"));
        if query.is_empty() {
            continue;
        }
        for other in by_code.get(code).into_iter().flatten() {
            if *other != id {
                judgments.push((id.to_owned(), query.clone(), (*other).to_owned(), 1));
            }
        }
    }
    Ok(Prepared {
        documents,
        judgments,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the generic files

#[derive(Deserialize)]
struct Document {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    language: Option<String>,
}

struct Query {
    id: String,
    text: String,
    /// Grade per judged document.
    grades: HashMap<String, u32>,
}

fn read_documents(path: &Path) -> anyhow::Result<Vec<Document>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut documents = Vec::new();
    let mut seen = HashSet::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let document: Document = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}", path.display(), number + 1))?;
        if !seen.insert(document.id.clone()) {
            bail!(
                "{}:{}: duplicate id {}",
                path.display(),
                number + 1,
                document.id
            );
        }
        documents.push(document);
    }
    Ok(documents)
}

fn read_judgments(path: &Path, exclude_self: bool) -> anyhow::Result<Vec<Query>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut queries: Vec<Query> = Vec::new();
    let mut positions: HashMap<String, usize> = HashMap::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        let [query_id, text, document_id, grade] = parts.as_slice() else {
            bail!(
                "{}:{}: expected query_id, query_text, document_id, grade separated by tabs",
                path.display(),
                number + 1
            );
        };
        let grade: u32 = grade
            .trim()
            .parse()
            .with_context(|| format!("{}:{}: grade", path.display(), number + 1))?;
        if exclude_self && document_id == query_id {
            continue;
        }
        let position = *positions.entry((*query_id).to_owned()).or_insert_with(|| {
            queries.push(Query {
                id: (*query_id).to_owned(),
                text: (*text).to_owned(),
                grades: HashMap::new(),
            });
            queries.len() - 1
        });
        queries[position]
            .grades
            .insert((*document_id).to_owned(), grade);
    }
    queries.retain(|q| q.grades.values().any(|g| *g > 0));
    Ok(queries)
}

// ---------------------------------------------------------------------------------------------
// Metrics

fn self_test() {
    use Gain::{Exponential, Linear};
    use Relevant::{Any, TopGrade};
    let ids = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let grades: HashMap<String, u32> = [("a", 2), ("b", 1), ("c", 0)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let close = |x: f64, y: f64| (x - y).abs() < 1e-9;
    for gain in [Exponential, Linear] {
        assert!(close(ndcg(&ids(&["a", "b"]), &grades, 10, gain), 1.0));
        assert!(close(ndcg(&ids(&["x", "y"]), &grades, 10, gain), 0.0));
        // Cut-off: a at rank 2 counts for nothing at k = 1.
        assert!(close(ndcg(&ids(&["x", "a"]), &grades, 1, gain), 0.0));
    }
    // b first, then a: (1 + 2/log2 3) / (2 + 1/log2 3) linear, (1 + 3/log2 3) / (3 + 1/log2 3).
    let l3 = 3f64.log2();
    let linear = (1.0 + 2.0 / l3) / (2.0 + 1.0 / l3);
    assert!(close(ndcg(&ids(&["b", "a"]), &grades, 10, Linear), linear));
    let exponential = (1.0 + 3.0 / l3) / (3.0 + 1.0 / l3);
    assert!(close(
        ndcg(&ids(&["b", "a"]), &grades, 10, Exponential),
        exponential
    ));
    assert!(close(
        recall(&ids(&["a", "x", "c"]), &grades, 100, Any),
        0.5
    ));
    assert!(close(recall(&ids(&["x", "b", "a"]), &grades, 2, Any), 0.5));
    assert!(close(recall(&ids(&["b", "a"]), &grades, 100, Any), 1.0));
    assert!(close(
        recall(&ids(&["b", "x"]), &grades, 100, TopGrade),
        0.0
    ));
    assert!(close(
        recall(&ids(&["b", "a"]), &grades, 100, TopGrade),
        1.0
    ));
    // No difference is chance itself; a difference of the same sign on 30 queries is not.
    assert!(close(randomization_p(&[0.0; 30]), 1.0));
    assert!(randomization_p(&[0.1; 30]) < 0.001);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

struct Row {
    system: String,
    /// Ranked document ids per query, in query order.
    rankings: Vec<Vec<String>>,
    seconds: f64,
}

async fn run(documents: &Path, judgments: &Path, options: &Options) -> anyhow::Result<()> {
    self_test();
    let documents = read_documents(documents)?;
    let queries = read_judgments(judgments, options.exclude_self)?;
    let known: HashSet<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    let unknown = queries
        .iter()
        .flat_map(|q| q.grades.keys())
        .filter(|id| !known.contains(id.as_str()))
        .count();
    if unknown > 0 {
        eprintln!("warning: {unknown} judgments name documents that are not in the documents file");
    }
    let french = documents
        .iter()
        .filter(|d| d.language.as_deref() == Some("fr"))
        .count()
        * 2
        > documents.len();
    println!(
        "{} documents, {} queries with at least one relevant document{}.\n",
        documents.len(),
        queries.len(),
        if options.exclude_self {
            "; each query's own document is removed from its results"
        } else {
            ""
        }
    );
    // One more result than needed, in case the query's own document is among them.
    let fetch = DEPTH + usize::from(options.exclude_self);

    let mut rows = Vec::new();
    rows.extend(passerelle(&documents, &queries, fetch)?);
    let tmp = tempfile::tempdir()?;
    match fts5(&documents, &queries, fetch, tmp.path()).await {
        Ok(found) => rows.extend(found),
        Err(err) => println!("SQLite FTS5 skipped: {err:#}\n"),
    }
    let url = std::env::var("PASSERELLE_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    match postgres(&url, &documents, &queries, fetch, french).await {
        Ok(found) => rows.extend(found),
        Err(err) => println!("PostgreSQL skipped ({}): {err:#}\n", redact(&url)),
    }

    for row in &mut rows {
        for (ranking, query) in row.rankings.iter_mut().zip(&queries) {
            if options.exclude_self {
                ranking.retain(|id| *id != query.id);
            }
            ranking.truncate(DEPTH);
        }
    }
    println!(
        "| System | NDCG@{NDCG_AT} | NDCG@{NDCG_AT} linear | Recall@{DEPTH} | Recall@{DEPTH} top grade | Queries | Time (s) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let n = queries.len().max(1) as f64;
    let mean = |row: &Row, metric: &dyn Fn(&[String], &Query) -> f64| {
        row.rankings
            .iter()
            .zip(&queries)
            .map(|(r, q)| metric(r, q))
            .sum::<f64>()
            / n
    };
    for row in &rows {
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {:.1} |",
            row.system,
            mean(row, &|r, q| ndcg(r, &q.grades, NDCG_AT, Gain::Exponential)),
            mean(row, &|r, q| ndcg(r, &q.grades, NDCG_AT, Gain::Linear)),
            mean(row, &|r, q| recall(r, &q.grades, DEPTH, Relevant::Any)),
            mean(row, &|r, q| recall(r, &q.grades, DEPTH, Relevant::TopGrade)),
            queries.len(),
            row.seconds
        );
    }
    println!(
        "\nNDCG@{NDCG_AT}: gain 2^grade - 1 (\"linear\": gain = grade), log2 discount, ideal from all judged \
         documents of the query. Recall@{DEPTH}: relevant (grade > 0) documents in the first {DEPTH} \
         results / all relevant; \"top grade\": counting only the documents of the query's highest \
         grade. Means over queries. Time: indexing and all queries, in seconds."
    );
    compare(&rows, &queries);
    if let Some(path) = &options.per_query {
        write_per_query(path, &rows, &queries)?;
        eprintln!("per-query metrics written to {}", path.display());
    }
    Ok(())
}

/// A measure of one query's ranking.
type Metric = dyn Fn(&[String], &Query) -> f64;

/// Rounds of the randomization test.
const ROUNDS: usize = 10_000;

/// Passerelle against each other system, query by query: is its lead more than chance?
fn compare(rows: &[Row], queries: &[Query]) {
    let Some(ours) = rows.first() else {
        return;
    };
    println!(
        "\n{} against each system, query by query: mean difference, queries won / lost, and p, the \
         chance of a mean difference as large if the two systems were interchangeable (two-sided \
         paired randomization test, {ROUNDS} rounds).\n",
        ours.system
    );
    println!(
        "| Against | NDCG@{NDCG_AT} difference | won / lost | p | Recall@{DEPTH} difference | won / lost | p |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let metrics: [&Metric; 2] = [
        &|r, q| ndcg(r, &q.grades, NDCG_AT, Gain::Exponential),
        &|r, q| recall(r, &q.grades, DEPTH, Relevant::Any),
    ];
    for other in &rows[1..] {
        let mut cells = Vec::new();
        for metric in metrics {
            let differences: Vec<f64> = ours
                .rankings
                .iter()
                .zip(&other.rankings)
                .zip(queries)
                .map(|((a, b), q)| metric(a, q) - metric(b, q))
                .collect();
            let mean = differences.iter().sum::<f64>() / differences.len().max(1) as f64;
            let won = differences.iter().filter(|d| **d > 1e-12).count();
            let lost = differences.iter().filter(|d| **d < -1e-12).count();
            cells.push(format!(
                "{mean:+.3} | {won} / {lost} | {:.3}",
                randomization_p(&differences)
            ));
        }
        println!("| {} | {} |", other.system, cells.join(" | "));
    }
}

/// Two-sided p of a paired randomization test: how often flipping the sign of each query's
/// difference at random gives a mean at least as far from zero as the one observed.
fn randomization_p(differences: &[f64]) -> f64 {
    use rand::{Rng, SeedableRng};
    let observed = differences.iter().sum::<f64>().abs();
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let as_far = (0..ROUNDS)
        .filter(|_| {
            let sum: f64 = differences
                .iter()
                .map(|d| if rng.random_bool(0.5) { *d } else { -d })
                .sum();
            sum.abs() >= observed - 1e-9
        })
        .count();
    as_far as f64 / ROUNDS as f64
}

/// `query_id, query_text, relevant`, then per system NDCG, recall and the ranked results as
/// `document_id:grade`, tab-separated, to look at failing queries.
fn write_per_query(path: &Path, rows: &[Row], queries: &[Query]) -> anyhow::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    write!(out, "query_id\tquery\trelevant")?;
    for row in rows {
        write!(out, "\t{0} ndcg\t{0} recall\t{0} results", row.system)?;
    }
    writeln!(out)?;
    for (i, query) in queries.iter().enumerate() {
        let relevant = query.grades.values().filter(|g| **g > 0).count();
        write!(out, "{}\t{}\t{relevant}", query.id, query.text)?;
        for row in rows {
            let ranking = &row.rankings[i];
            write!(
                out,
                "\t{:.3}\t{:.3}\t{}",
                ndcg(ranking, &query.grades, NDCG_AT, Gain::Exponential),
                recall(ranking, &query.grades, DEPTH, Relevant::Any),
                ranking
                    .iter()
                    .map(|id| format!("{id}:{}", query.grades.get(id).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// Passerelle's own index (organizations), with and without stemming.
fn passerelle(documents: &[Document], queries: &[Query], fetch: usize) -> anyhow::Result<Vec<Row>> {
    let started = Instant::now();
    let taxonomy = Taxonomy::builtin()?;
    let organizations: Vec<organization::Model> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| organization::Model {
            description: d.text.clone(),
            languages: StringList(vec![d.language.clone().unwrap_or_else(|| "en".to_owned())]),
            ..records::organization(i as i64 + 1, &d.title, OrgKind::Nonprofit, "ON")
        })
        .collect();
    let tmp = tempfile::tempdir()?;
    let handle = build_from(
        &tmp.path().join("index"),
        &taxonomy,
        organizations.iter().map(Record::Organization),
    )?;
    let build = started.elapsed();
    let mut rows = Vec::new();
    for no_stemming in [false, true] {
        let started = Instant::now();
        let mut rankings = Vec::with_capacity(queries.len());
        for query in queries {
            let results = handle.search_blocking(&SearchRequest {
                q: query.text.clone(),
                kind: Some("organization".into()),
                limit: fetch,
                no_stemming,
                ..Default::default()
            })?;
            rankings.push(
                results
                    .hits
                    .iter()
                    .filter_map(|hit| documents.get(usize::try_from(hit.id - 1).ok()?))
                    .map(|d| d.id.clone())
                    .collect(),
            );
        }
        rows.push(Row {
            system: if no_stemming {
                "Passerelle (no stemming)"
            } else {
                "Passerelle (stemming)"
            }
            .to_owned(),
            rankings,
            seconds: (build + started.elapsed()).as_secs_f64(),
        });
    }
    Ok(rows)
}

/// The query's words, for the SQL engines: letters and digits only, each once.
fn words(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// SQLite FTS5, BM25, the query's words OR-ed; with the porter stemmer and without.
async fn fts5(
    documents: &[Document],
    queries: &[Query],
    fetch: usize,
    tmp: &Path,
) -> anyhow::Result<Vec<Row>> {
    let path = tmp.join("fts5.sqlite");
    let db = Database::connect(format!("sqlite://{}?mode=rwc", path.display())).await?;
    let mut rows = Vec::new();
    for (table, tokenizer, system) in [
        (
            "d_porter",
            "porter unicode61 remove_diacritics 2",
            "SQLite FTS5 (porter unicode61)",
        ),
        (
            "d_plain",
            "unicode61 remove_diacritics 2",
            "SQLite FTS5 (unicode61, no stemming)",
        ),
    ] {
        let started = Instant::now();
        db.execute_unprepared(&format!(
            "CREATE VIRTUAL TABLE {table} USING fts5(id UNINDEXED, title, text, tokenize='{tokenizer}')"
        ))
        .await
        .map_err(|err| {
            if err.to_string().contains("fts5") {
                anyhow::anyhow!("FTS5 is not compiled into the bundled SQLite ({err})")
            } else {
                err.into()
            }
        })?;
        let txn = db.begin().await?;
        for d in documents {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!("INSERT INTO {table}(id, title, text) VALUES (?, ?, ?)"),
                [
                    d.id.clone().into(),
                    d.title.clone().into(),
                    d.text.clone().into(),
                ],
            ))
            .await?;
        }
        txn.commit().await?;
        let mut rankings = Vec::with_capacity(queries.len());
        for query in queries {
            let words = words(&query.text);
            if words.is_empty() {
                rankings.push(Vec::new());
                continue;
            }
            // Quoted, each word is a string to match, never FTS5 syntax.
            let expression = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" OR ");
            let found = db
                .query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    format!(
                        "SELECT id FROM {table} WHERE {table} MATCH ? ORDER BY bm25({table}), rowid LIMIT ?"
                    ),
                    [expression.into(), (fetch as i64).into()],
                ))
                .await?;
            rankings.push(first_column(&found)?);
        }
        rows.push(Row {
            system: system.to_owned(),
            rankings,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    db.close().await?;
    Ok(rows)
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

/// Small, quiet pool that gives up fast when PostgreSQL is not there.
fn pg_options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(3))
        .max_connections(2)
        .sqlx_logging(false);
    options
}

/// PostgreSQL full-text search in a fresh database: `ts_rank`, the query's lexemes OR-ed; with the
/// collection's language configuration and with `simple` (no stemming). The database is dropped
/// afterwards.
async fn postgres(
    url: &str,
    documents: &[Document],
    queries: &[Query],
    fetch: usize,
    french: bool,
) -> anyhow::Result<Vec<Row>> {
    let admin = Database::connect(pg_options(url))
        .await
        .context("PostgreSQL is unreachable")?;
    let name = format!(
        "passerelle_relevance_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .with_context(|| format!("cannot create database {name}"))?;
    let mut db_url = url::Url::parse(url)?;
    db_url.set_path(&format!("/{name}"));
    let result = postgres_in(db_url.as_str(), documents, queries, fetch, french).await;
    let dropped = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    if let Err(err) = dropped {
        eprintln!("warning: cannot drop database {name}: {err}");
    }
    admin.close().await?;
    result
}

async fn postgres_in(
    url: &str,
    documents: &[Document],
    queries: &[Query],
    fetch: usize,
    french: bool,
) -> anyhow::Result<Vec<Row>> {
    let db: DatabaseConnection = Database::connect(pg_options(url)).await?;
    let started = Instant::now();
    db.execute_unprepared("CREATE TABLE d (n integer PRIMARY KEY, id text NOT NULL, title text NOT NULL, body text NOT NULL)")
        .await?;
    let txn = db.begin().await?;
    for (n, d) in documents.iter().enumerate() {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO d (n, id, title, body) VALUES ($1, $2, $3, $4)",
            [
                (n as i64).into(),
                d.id.clone().into(),
                d.title.clone().into(),
                d.text.clone().into(),
            ],
        ))
        .await?;
    }
    txn.commit().await?;
    let loaded = started.elapsed();
    let language = if french { "french" } else { "english" };
    let mut rows = Vec::new();
    for (config, system) in [
        (language, format!("PostgreSQL FTS ({language})")),
        ("simple", "PostgreSQL FTS (simple, no stemming)".to_owned()),
    ] {
        let started = Instant::now();
        // `config` is one of three constants, never input.
        db.execute_unprepared(&format!(
            "ALTER TABLE d ADD COLUMN tsv_{config} tsvector GENERATED ALWAYS AS \
             (to_tsvector('{config}', title || ' ' || body)) STORED; \
             CREATE INDEX d_tsv_{config} ON d USING gin (tsv_{config}); ANALYZE d"
        ))
        .await?;
        let sql = format!(
            "WITH q AS (SELECT replace(replace(plainto_tsquery('{config}', $1)::text, ' & ', ' | '), ' <-> ', ' | ')::tsquery AS q) \
             SELECT d.id FROM d, q WHERE d.tsv_{config} @@ q.q \
             ORDER BY ts_rank(d.tsv_{config}, q.q) DESC, d.n LIMIT $2"
        );
        let mut rankings = Vec::with_capacity(queries.len());
        for query in queries {
            let found = db
                .query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql.clone(),
                    [query.text.clone().into(), (fetch as i64).into()],
                ))
                .await?;
            rankings.push(first_column(&found)?);
        }
        rows.push(Row {
            system,
            rankings,
            seconds: (loaded + started.elapsed()).as_secs_f64(),
        });
    }
    db.close().await?;
    Ok(rows)
}

/// The first column of every row, as the ranked document ids.
fn first_column(rows: &[sea_orm::QueryResult]) -> Result<Vec<String>, sea_orm::DbErr> {
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect()
}
