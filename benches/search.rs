//! Search speed: Passerelle's index in process (ranked top-10 with filters, and the full search with
//! facets and snippets) and over HTTP from a running Passerelle, beside a bare tantivy BM25 query,
//! SQLite FTS5 (`bm25`) and PostgreSQL full-text search (GIN on `tsvector`, `ts_rank`), on the same
//! generated corpus and queries; and how long a write through the API takes to be found by search.
//!
//! `cargo bench --bench search -- [--postings N] [--skip-postgres]`
//! Prints Markdown tables for BENCHMARKS.md.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use entity::{Language, OrgKind, PostingKind, StringList, TaxonomyKind, organization, posting};
use passerelle::app::App;
use passerelle::config::Config;
use passerelle::domain::taxonomy::Taxonomy;
use passerelle::search::{self, Record, SearchRequest};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, Statement, TransactionTrait,
};
use serde_json::{Value, json};

#[allow(dead_code)]
#[path = "common/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "common/records.rs"]
mod records;
use measure::{DATA, ms, peak_memory_mib, percentile};
use records::PROVINCES;

struct Args {
    postings: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut args = Args {
        postings: 100_000,
        postgres: Some(
            std::env::var("PASSERELLE_BENCH_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into()),
        ),
    };
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "--postings" => {
                args.postings = raw
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(args.postings)
            }
            "--skip-postgres" => args.postgres = None,
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// Sentences of real text per language, from the shared data when present.
fn sentences(taxonomy: &Taxonomy) -> HashMap<Language, Vec<String>> {
    let mut by_language: HashMap<Language, Vec<String>> = HashMap::new();
    let mut add = |language, text: &str| {
        for sentence in text.split(['.', ';', '!', '?']) {
            let sentence = sentence.trim();
            if (25..300).contains(&sentence.len()) {
                by_language
                    .entry(language)
                    .or_default()
                    .push(sentence.to_owned());
            }
        }
    };
    let read = |path: &str, column: &str| -> Vec<String> {
        let Ok(mut reader) = csv::Reader::from_path(Path::new(DATA).join(path)) else {
            return Vec::new();
        };
        let Ok(headers) = reader.headers().cloned() else {
            return Vec::new();
        };
        let Some(index) = headers.iter().position(|h| h == column) else {
            return Vec::new();
        };
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| r.get(index).map(str::to_owned))
            .collect()
    };
    for text in read(
        "nyc_service_volunteer/NYC_Service__Volunteer_Opportunities__Historical__20250626.csv",
        "summary",
    ) {
        add(Language::En, &text);
    }
    for text in read(
        "nonprofit_missions_ntee/mission_statements_ntee_990_1023ez.csv",
        "F9_03_PZ_MISSION",
    ) {
        add(Language::En, &text.to_lowercase());
    }
    for text in read("nonprofits_fr_rna/rna_associations_sample.csv", "objet") {
        add(Language::Fr, &text);
    }
    // Without the shared data, the taxonomy's own descriptions still make a corpus.
    for entry in taxonomy
        .entries(TaxonomyKind::Category)
        .chain(taxonomy.entries(TaxonomyKind::Skill))
    {
        add(Language::En, &entry.description_en);
        add(Language::Fr, &entry.description_fr);
    }
    by_language
}

fn organizations(count: usize, rng: &mut StdRng) -> Vec<organization::Model> {
    (1..=count as i64)
        .map(|id| organization::Model {
            languages: StringList(vec!["en".into()]),
            ..records::organization(
                id,
                &format!("Organization {id}"),
                *OrgKind::ALL.choose(rng).unwrap_or(&OrgKind::Nonprofit),
                PROVINCES.choose(rng).unwrap_or(&"ON"),
            )
        })
        .collect()
}

/// A deterministic corpus of postings: taxonomy phrases and real sentences, 60 % English.
fn postings(
    count: usize,
    orgs: &[organization::Model],
    taxonomy: &Taxonomy,
    text: &HashMap<Language, Vec<String>>,
    rng: &mut StdRng,
) -> Vec<posting::Model> {
    let categories: Vec<_> = taxonomy.entries(TaxonomyKind::Category).collect();
    let skills: Vec<_> = taxonomy.entries(TaxonomyKind::Skill).collect();
    (1..=count as i64)
        .map(|id| {
            let language = if rng.random_bool(0.6) {
                Language::En
            } else {
                Language::Fr
            };
            let category = *categories.choose(rng).expect("categories");
            let skill = *skills.choose(rng).expect("skills");
            let (phrases, label) = match language {
                Language::En => (&category.synonyms_en, &skill.label_en),
                Language::Fr => (&category.synonyms_fr, &skill.label_fr),
            };
            let phrase = phrases.choose(rng).cloned().unwrap_or_default();
            let pool = &text[&language];
            let lead = pool.choose(rng).cloned().unwrap_or_default();
            let title: String = format!(
                "{phrase}: {}",
                lead.split_whitespace()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let body = format!(
                "{lead}. {}. {label}.",
                pool.choose(rng).cloned().unwrap_or_default()
            );
            let organization_id = orgs.choose(rng).map_or(1, |o| o.id);
            let kind = if rng.random_bool(0.55) {
                PostingKind::Need
            } else {
                PostingKind::Offer
            };
            posting::Model {
                title,
                description: body,
                language,
                category: category.code.clone(),
                skills: StringList(vec![skill.code.clone()]),
                province: Some(PROVINCES.choose(rng).unwrap_or(&"ON").to_string()),
                remote: rng.random_bool(0.3),
                quantity: 1,
                ..records::posting(id, organization_id, kind)
            }
        })
        .collect()
}

/// 1 to 3 words per query, in three frequency bands: common, mid and rare.
fn queries(corpus: &[posting::Model], rng: &mut StdRng) -> Vec<(&'static str, String)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for posting in corpus {
        for word in format!("{} {}", posting.title, posting.description)
            .split(|c: char| !c.is_alphanumeric())
        {
            if word.chars().count() >= 4 && word.chars().all(char::is_alphabetic) {
                *counts.entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let band = |from: usize, to: usize| -> Vec<String> {
        ranked
            .iter()
            .skip(from)
            .take(to.saturating_sub(from))
            .map(|(w, _)| w.clone())
            .collect()
    };
    let rare_start = ranked
        .iter()
        .position(|(_, n)| *n <= 5)
        .unwrap_or(ranked.len() / 2);
    let bands = [
        ("common", band(0, 60)),
        ("mid", band(300, 2_000)),
        ("rare", band(rare_start, rare_start + 3_000)),
    ];
    let mut out = Vec::new();
    for (name, words) in &bands {
        for _ in 0..100 {
            let n = rng.random_range(1..=3);
            let picked: Vec<String> = (0..n).filter_map(|_| words.choose(rng).cloned()).collect();
            out.push((*name, picked.join(" ")));
        }
    }
    out
}

struct Timing {
    by_band: HashMap<&'static str, Vec<Duration>>,
    total: Duration,
    count: usize,
}

/// Runs every query `rounds` times after one warm-up round.
fn measure(queries: &[(&'static str, String)], rounds: usize, mut run: impl FnMut(&str)) -> Timing {
    for (_, q) in queries {
        run(q);
    }
    let mut timing = Timing {
        by_band: HashMap::new(),
        total: Duration::ZERO,
        count: 0,
    };
    for _ in 0..rounds {
        for (band, q) in queries {
            let start = Instant::now();
            run(q);
            let took = start.elapsed();
            timing.by_band.entry(band).or_default().push(took);
            timing.total += took;
            timing.count += 1;
        }
    }
    timing
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

/// The words of a query as an FTS OR expression, each quoted so nothing is read as syntax.
fn or_words(q: &str, quote: bool) -> String {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if quote {
                format!("\"{w}\"")
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(if quote { " OR " } else { " | " })
}

async fn load_sql(
    db: &DatabaseConnection,
    corpus: &[posting::Model],
    create: &[&str],
) -> anyhow::Result<Duration> {
    for statement in create {
        db.execute_unprepared(statement).await?;
    }
    let backend = db.get_database_backend();
    let start = Instant::now();
    for chunk in corpus.chunks(500) {
        let mut values = Vec::new();
        let mut placeholders = Vec::new();
        for (i, p) in chunk.iter().enumerate() {
            placeholders.push(match backend {
                DbBackend::Postgres => format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3),
                _ => "(?, ?, ?)".to_owned(),
            });
            values.push(p.id.into());
            values.push(p.title.clone().into());
            values.push(p.description.clone().into());
        }
        let sql = format!(
            "INSERT INTO d (id, title, body) VALUES {}",
            placeholders.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(start.elapsed())
}

/// The corpus as rows of a Passerelle database (SQLite, as `serve` makes it), inserted directly:
/// the application builds its index from these rows at start, as after `reindex`.
async fn load_app_database(
    config: &Config,
    orgs: &[organization::Model],
    corpus: &[posting::Model],
) -> anyhow::Result<()> {
    let db = passerelle::db::connect(config).await?;
    passerelle::db::migrate(&db).await?;
    for chunk in orgs.chunks(1_000) {
        let rows = chunk
            .iter()
            .map(|o| o.clone().into_active_model().reset_all());
        organization::Entity::insert_many(rows).exec(&db).await?;
    }
    for batch in corpus.chunks(100_000) {
        let txn = db.begin().await?;
        for chunk in batch.chunks(1_000) {
            let rows = chunk
                .iter()
                .map(|p| p.clone().into_active_model().reset_all());
            posting::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit().await?;
    }
    db.close().await?;
    Ok(())
}

/// `GET /api/v1/search` as the API's clients send it.
async fn http_search(client: &reqwest::Client, base: &str, q: &str) -> anyhow::Result<Value> {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("kind", "need")
        .append_pair("limit", "10")
        .finish();
    let response = client
        .get(format!("{base}/api/v1/search?{query}"))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "search: {}",
        response.status()
    );
    Ok(response.json().await?)
}

/// Times from sending a write to the first search response that has it.
#[derive(Default)]
struct Writes {
    created: Vec<Duration>,
    updated: Vec<Duration>,
    /// The write request alone, until its response.
    requests: Vec<Duration>,
    /// Writes not found by search within 10 s.
    missed: usize,
}

/// Polls search for `word` until posting `id` is among the hits.
async fn found(client: &reqwest::Client, base: &str, word: &str, id: i64) -> anyhow::Result<bool> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let results = http_search(client, base, word).await?;
        let hits = results["hits"].as_array().cloned().unwrap_or_default();
        if hits.iter().any(|hit| hit["id"] == id) {
            return Ok(true);
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(false)
}

/// Creates `creates` needs through the API, then edits the title of `updates` of them, one write
/// at a time; each carries a word found nowhere else (`q017`), searched for until it is found.
async fn write_to_searchable(
    client: &reqwest::Client,
    base: &str,
    creates: usize,
    updates: usize,
) -> anyhow::Result<Writes> {
    let response = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({
            "email": "bench@passerelle.example",
            "password": "correct-horse-battery-staple",
            "display_name": "Bench",
            "organization": { "name": "Banc d'essai", "kind": "nonprofit", "province": "QC",
                              "languages": ["en", "fr"], "cause_areas": ["youth"] }
        }))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "register: {}",
        response.status()
    );
    let token = response.json::<Value>().await?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let title = |word: &str| format!("Refurbished laptops for our homework club {word}");
    let mut writes = Writes::default();
    let mut created: Vec<(i64, i64)> = Vec::new();
    for n in 0..creates {
        let word = format!("q{n:03}");
        let start = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/needs"))
            .bearer_auth(&token)
            .json(&json!({
                "title": title(&word),
                "description": "Twelve laptops for the youth homework club, with office software installed.",
                "language": "en", "category": "hardware", "skills": ["laptops_desktops"],
                "province": "QC", "quantity": 12
            }))
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "create: {}",
            response.status()
        );
        writes.requests.push(start.elapsed());
        let body: Value = response.json().await?;
        let id = body["id"].as_i64().unwrap_or_default();
        created.push((id, body["version"].as_i64().unwrap_or_default()));
        if found(client, base, &word, id).await? {
            writes.created.push(start.elapsed());
        } else {
            writes.missed += 1;
        }
    }
    for (n, (id, version)) in created.iter().take(updates).enumerate() {
        let word = format!("x{n:03}");
        let start = Instant::now();
        let response = client
            .patch(format!("{base}/api/v1/needs/{id}"))
            .bearer_auth(&token)
            .json(&json!({ "version": version, "title": title(&word) }))
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "update: {}",
            response.status()
        );
        writes.requests.push(start.elapsed());
        if found(client, base, &word, *id).await? {
            writes.updated.push(start.elapsed());
        } else {
            writes.missed += 1;
        }
    }
    Ok(writes)
}

fn main() -> anyhow::Result<()> {
    let args = args();
    let runtime = tokio::runtime::Runtime::new()?;
    let taxonomy = Taxonomy::builtin()?;
    let mut rng = StdRng::seed_from_u64(2026);
    let text = sentences(&taxonomy);
    let orgs = organizations(2_000, &mut rng);
    let corpus = postings(args.postings, &orgs, &taxonomy, &text, &mut rng);
    let queries = queries(&corpus, &mut rng);
    let by_id: HashMap<i64, &organization::Model> = orgs.iter().map(|o| (o.id, o)).collect();
    let work = tempfile::tempdir()?;
    println!(
        "Corpus: {} postings ({} sentences of real text), {} queries.",
        corpus.len(),
        text.values().map(Vec::len).sum::<usize>(),
        queries.len()
    );

    // Passerelle's index, built directly.
    let index_dir = work.path().join("passerelle");
    let start = Instant::now();
    let records = orgs.iter().map(Record::Organization).chain(
        corpus
            .iter()
            .map(|p| Record::Posting(p, by_id[&p.organization_id])),
    );
    let handle = search::build_from(&index_dir, &taxonomy, records)?;
    let passerelle_build = start.elapsed();

    // Bare tantivy: one text field, default analysis, plain BM25.
    let bare_dir = work.path().join("bare");
    std::fs::create_dir_all(&bare_dir)?;
    let mut schema = tantivy::schema::Schema::builder();
    let body = schema.add_text_field("body", tantivy::schema::TEXT);
    let bare = tantivy::Index::create_in_dir(&bare_dir, schema.build())?;
    let start = Instant::now();
    {
        let mut writer: tantivy::IndexWriter = bare.writer(100_000_000)?;
        for p in &corpus {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(body, format!("{} {}", p.title, p.description));
            writer.add_document(doc)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
    }
    let bare_build = start.elapsed();
    let bare_reader = bare.reader()?;
    let bare_parser = tantivy::query::QueryParser::for_index(&bare, vec![body]);

    let rounds = 3;
    let mut rows: Vec<(String, Timing)> = Vec::new();
    let lean = |q: &str, lean: bool| SearchRequest {
        q: q.to_owned(),
        kind: Some("need".into()),
        limit: 10,
        lean,
        ..Default::default()
    };
    rows.push((
        "Passerelle, top-10 with filters".into(),
        measure(&queries, rounds, |q| {
            let _ = handle.search_blocking(&lean(q, true));
        }),
    ));
    rows.push((
        "Passerelle, full (facets, snippets)".into(),
        measure(&queries, rounds, |q| {
            let _ = handle.search_blocking(&lean(q, false));
        }),
    ));
    rows.push((
        "bare tantivy BM25".into(),
        measure(&queries, rounds, |q| {
            let searcher = bare_reader.searcher();
            let (query, _) = bare_parser.parse_query_lenient(q);
            let _ = searcher.search(
                &query,
                &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
            );
        }),
    ));

    // A running Passerelle over the same corpus: rows in its database, its index built at start.
    let app_config = Config {
        listen: "127.0.0.1:0".parse()?,
        data_dir: work.path().join("app"),
        ..Config::default()
    };
    let start = Instant::now();
    runtime.block_on(load_app_database(&app_config, &orgs, &corpus))?;
    let app_load = start.elapsed();
    let start = Instant::now();
    let app = runtime.block_on(App::build(app_config.clone()))?;
    let app_build = start.elapsed();
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(app.run_until_stopped(async {
        stopped.await.ok();
    }));
    let client = reqwest::Client::new();
    let segments = |dir: &Path| {
        tantivy::Index::open_in_dir(dir)
            .and_then(|index| index.searchable_segment_ids())
            .map_or(0, |ids| ids.len())
    };
    println!(
        "Index segments: Passerelle {}, bare tantivy {}, Passerelle app {}.",
        segments(&index_dir),
        segments(&bare_dir),
        segments(&app_config.data_dir.join("index"))
    );
    rows.push((
        "Passerelle over HTTP (full search)".into(),
        measure(&queries, rounds, |q| {
            if let Err(err) = runtime.block_on(http_search(&client, &base, q)) {
                panic!("search over HTTP failed for {q:?}: {err:#}");
            }
        }),
    ));
    let mut writes = runtime.block_on(write_to_searchable(&client, &base, 200, 100))?;
    stop.send(()).ok();
    runtime.block_on(server)??;

    let sqlite_path = work.path().join("fts.db");
    let sqlite = runtime.block_on(Database::connect(format!(
        "sqlite://{}?mode=rwc",
        sqlite_path.display()
    )))?;
    let sqlite_load = runtime.block_on(load_sql(&sqlite, &corpus, &[
        "CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    ]))?;
    rows.push((
        "SQLite FTS5 bm25".into(),
        measure(&queries, rounds, |q| {
            let sql = "SELECT id FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT 10";
            let statement =
                Statement::from_sql_and_values(DbBackend::Sqlite, sql, [or_words(q, true).into()]);
            let _ = runtime.block_on(sqlite.query_all_raw(statement));
        }),
    ));

    let mut postgres_load = None;
    if let Some(url) = &args.postgres {
        match runtime.block_on(Database::connect(url.as_str())) {
            Ok(admin) => {
                let name = format!("passerelle_bench_{}", std::process::id());
                runtime.block_on(admin.execute_unprepared(&format!("CREATE DATABASE {name}")))?;
                let mut bench_url = url::Url::parse(url)?;
                bench_url.set_path(&format!("/{name}"));
                let pg = runtime.block_on(Database::connect(bench_url.as_str()))?;
                let load = runtime.block_on(load_sql(
                    &pg,
                    &corpus,
                    &["CREATE TABLE d (id BIGINT PRIMARY KEY, title TEXT, body TEXT)"],
                ))?;
                let start = Instant::now();
                runtime.block_on(pg.execute_unprepared("ALTER TABLE d ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED"))?;
                runtime
                    .block_on(pg.execute_unprepared("CREATE INDEX d_tsv ON d USING GIN (tsv)"))?;
                runtime.block_on(pg.execute_unprepared("VACUUM ANALYZE d"))?;
                postgres_load = Some(load + start.elapsed());
                rows.push(("PostgreSQL FTS ts_rank".into(), measure(&queries, rounds, |q| {
                    let sql = "SELECT id FROM d WHERE tsv @@ to_tsquery('simple', $1) ORDER BY ts_rank(tsv, to_tsquery('simple', $1)) DESC LIMIT 10";
                    let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, [or_words(q, false).into()]);
                    let _ = runtime.block_on(pg.query_all_raw(statement));
                })));
                runtime.block_on(pg.close())?;
                runtime.block_on(
                    admin.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)")),
                )?;
            }
            Err(err) => println!("PostgreSQL skipped: {err}"),
        }
    }

    println!("\n| System | band | p50 ms | p99 ms | queries/s |\n|---|---|---|---|---|");
    for (name, timing) in &rows {
        for band in ["common", "mid", "rare", "all"] {
            let mut times: Vec<Duration> = match band {
                "all" => timing.by_band.values().flatten().copied().collect(),
                band => timing.by_band.get(band).cloned().unwrap_or_default(),
            };
            times.sort();
            let qps = if band == "all" {
                format!("{:.0}", timing.count as f64 / timing.total.as_secs_f64())
            } else {
                String::new()
            };
            println!(
                "| {name} | {band} | {} | {} | {qps} |",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99))
            );
        }
    }
    let p50 = |name: &str, band: &str| {
        rows.iter()
            .find(|(n, _)| n.starts_with(name))
            .map(|(_, t)| {
                let mut times = t.by_band.get(band).cloned().unwrap_or_default();
                times.sort();
                percentile(&times, 0.5).as_secs_f64()
            })
    };
    println!("\nRatios of p50 on common-term queries (higher is better for Passerelle):");
    let ours = p50("Passerelle, top-10", "common").unwrap_or(f64::NAN);
    for other in ["bare tantivy", "SQLite", "PostgreSQL"] {
        if let Some(theirs) = p50(other, "common") {
            println!("- {other} / Passerelle top-10: {:.1}x", theirs / ours);
        }
    }
    if let (Some(http), Some(full)) = (
        p50("Passerelle over HTTP", "common"),
        p50("Passerelle, full", "common"),
    ) {
        println!(
            "- Passerelle over HTTP / in process (full search): {:.1}x",
            http / full
        );
    }
    println!("\n| Indexing | postings/s | size MiB |\n|---|---|---|");
    let rate = |d: Duration| format!("{:.0}", corpus.len() as f64 / d.as_secs_f64());
    let mib = |bytes: u64| format!("{:.0}", bytes as f64 / 1_048_576.0);
    println!(
        "| Passerelle (build_from, {} orgs + postings) | {} | {} |",
        orgs.len(),
        rate(passerelle_build),
        mib(dir_size(&index_dir))
    );
    println!(
        "| bare tantivy | {} | {} |",
        rate(bare_build),
        mib(dir_size(&bare_dir))
    );
    println!(
        "| SQLite FTS5 (inserts) | {} | {} |",
        rate(sqlite_load),
        mib(std::fs::metadata(&sqlite_path).map_or(0, |m| m.len()))
    );
    if let Some(load) = postgres_load {
        println!(
            "| PostgreSQL (inserts + tsvector + GIN) | {} | |",
            rate(load)
        );
    }
    println!(
        "| Passerelle app: rows inserted into its SQLite database | {} | {} |",
        rate(app_load),
        mib(dir_size(&app_config.data_dir))
    );
    println!(
        "| Passerelle app: index built from the database at start | {} | {} |",
        rate(app_build),
        mib(dir_size(&app_config.data_dir.join("index")))
    );

    println!(
        "\n| Write through the API, until found by search | writes | p50 ms | p99 ms | max ms |"
    );
    println!("|---|---|---|---|---|");
    let mut all: Vec<Duration> = writes
        .created
        .iter()
        .chain(&writes.updated)
        .copied()
        .collect();
    for (name, times) in [
        ("create (`POST /needs`)", &mut writes.created),
        ("update (`PATCH /needs/{id}`)", &mut writes.updated),
        ("all", &mut all),
        ("the write request alone", &mut writes.requests),
    ] {
        times.sort();
        println!(
            "| {name} | {} | {} | {} | {} |",
            times.len(),
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.99)),
            ms(times.last().copied().unwrap_or_default())
        );
    }
    if writes.missed > 0 {
        println!(
            "{} writes were not found by search within 10 s.",
            writes.missed
        );
    }
    println!(
        "\nPeak resident memory of the whole benchmark process: {} MiB.",
        peak_memory_mib()
    );
    Ok(())
}
