//! Everything tantivy. The rest of Passerelle sees a `SearchHandle`: search, suggest, and the
//! watermark of applied outbox changes. One `Writer` per process keeps the index in step with the
//! database by tailing the outbox (see `writer`).

mod document;
mod query;
mod request;
mod schema;
mod similar;
mod synonyms;
pub mod verify;
mod writer;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use sea_orm::DatabaseConnection;
use serde::Serialize;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocSet, Index, IndexReader, ReloadPolicy, TERMINATED, TantivyDocument, Term};
use tokio::sync::{Notify, Semaphore, watch};
use utoipa::ToSchema;

pub use query::FACETS;
pub use request::{MAX_OFFSET, SearchKind, SearchQuery};
use schema::Fields;
pub use schema::SCHEMA_VERSION;
pub use similar::{Similar, SimilarRequest, TermVector, cosine};
pub use synonyms::Concept;
use synonyms::Synonyms;
pub use writer::{Stuck, Writer};

use crate::domain::taxonomy::Taxonomy;

/// Memory for the index writer's buffers.
const WRITER_MEMORY: usize = 100_000_000;

/// How results are ordered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    /// Most recently updated first.
    Recent,
}

/// A parsed search request; values are already validated.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub kind: Option<String>,
    pub category: Option<String>,
    pub province: Option<String>,
    pub org_kind: Option<String>,
    pub remote: Option<bool>,
    /// Only postings and organizations an administrator verified (or only the others).
    pub verified: Option<bool>,
    pub language: Option<String>,
    /// Only what closes by this instant (and has not closed yet).
    pub closing_by: Option<chrono::DateTime<chrono::Utc>>,
    /// Only postings whose value in CAD is within these bounds (included).
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    /// Only offers this organization may receive; `eligible` asks for it, and the caller's
    /// organization fills it in (`EligibleFor::of`).
    pub eligible: bool,
    pub eligible_for: Option<EligibleFor>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// Ablation for evaluations: match folded words only, without English and French stemming.
    pub no_stemming: bool,
    /// Ranked hits only: no facet counts, no snippets (benchmarks measure both ways).
    pub lean: bool,
}

/// What an offer's eligibility rules look at, of the organization that searches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EligibleFor {
    pub kind: String,
    pub province: String,
    pub cause_areas: Vec<String>,
    pub has_charity_number: bool,
}

impl EligibleFor {
    pub fn of(org: &entity::organization::Model) -> Self {
        Self {
            kind: org.kind.as_str().to_owned(),
            province: org.province.clone(),
            cause_areas: org.cause_areas.0.clone(),
            has_charity_number: org
                .charity_number
                .as_deref()
                .is_some_and(|n| !n.trim().is_empty()),
        }
    }
}

/// Counts per value, per facet.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

/// One result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    /// `need`, `offer` or `organization`.
    pub kind: String,
    /// Id of the posting or organization.
    pub id: i64,
    pub title: String,
    /// The title, HTML-escaped, with the matched words in `<b>`.
    pub title_html: String,
    /// An excerpt of the description, HTML-escaped, with the matched words in `<b>`.
    pub snippet_html: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub org_kind: String,
    pub category: Option<String>,
    pub province: Option<String>,
    pub remote: bool,
    /// Whether an administrator verified the organization.
    pub verified: bool,
    pub language: String,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// The read side of the index, shared by request handlers.
#[derive(Clone)]
pub struct SearchHandle {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    synonyms: Arc<Synonyms>,
    filter_cache: Arc<query::FilterCache>,
    /// Bounds concurrent searches to the blocking pool's fair share.
    permits: Arc<Semaphore>,
    applied: watch::Receiver<i64>,
    wake: Arc<Notify>,
    stuck: Arc<Mutex<Vec<Stuck>>>,
}

/// Stored documents are compressed in blocks of this many bytes: a hit reads one whole block, so
/// small blocks keep reading ten hits cheap (with tantivy's default, 16 KiB, each costs several
/// µs).
const DOCSTORE_BLOCK: usize = 4_096;

/// A new, empty index in `dir`.
fn create(dir: &Path, schema: tantivy::schema::Schema) -> tantivy::Result<Index> {
    Index::builder()
        .schema(schema)
        .settings(tantivy::IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK,
            ..Default::default()
        })
        .create_in_dir(dir)
}

/// Locks the index for writing. A fresh tantivy writer gives its first operation the opstamp of
/// the last commit, and a merge that starts before the next commit (tantivy starts one as soon
/// as new segments are flushed) treats that operation as already committed: if it is a delete,
/// the merged segment can bring the deleted document back. Spending that opstamp on a delete
/// that matches nothing keeps every real change after the commit it follows.
fn open_writer(index: &Index, key: tantivy::schema::Field) -> anyhow::Result<tantivy::IndexWriter> {
    let writer: tantivy::IndexWriter = index.writer(WRITER_MEMORY).context(
        "cannot lock the search index; is another Passerelle using this data directory?",
    )?;
    // No document has an empty key.
    writer.delete_term(Term::from_field_text(key, ""));
    Ok(writer)
}

/// An index on disk and the commit payload it holds, if it is usable as it is.
fn open_existing(dir: &Path) -> Option<(Index, writer::Payload)> {
    let (schema, _) = schema::build();
    let mut index = Index::open_in_dir(dir).ok()?;
    let payload = writer::Payload::parse(index.load_metas().ok()?.payload.as_deref())?;
    if payload.schema_version != SCHEMA_VERSION || index.schema() != schema {
        return None;
    }
    index.set_tokenizers(schema::tokenizers());
    Some((index, payload))
}

fn handle(
    index: Index,
    reader: IndexReader,
    synonyms: Arc<Synonyms>,
    applied: watch::Receiver<i64>,
    wake: Arc<Notify>,
    stuck: Arc<Mutex<Vec<Stuck>>>,
) -> SearchHandle {
    let (_, fields) = schema::build();
    SearchHandle {
        index,
        reader,
        fields,
        synonyms,
        filter_cache: Arc::default(),
        permits: Arc::new(Semaphore::new(64)),
        applied,
        wake,
        stuck,
    }
}

/// Opens the index in `dir` for reading only (another process may be writing it).
pub fn open_read_only(dir: &Path, taxonomy: &Taxonomy) -> anyhow::Result<SearchHandle> {
    let (index, payload) = open_existing(dir).with_context(|| {
        format!(
            "no usable search index in {} (missing, or of another schema version)",
            dir.display()
        )
    })?;
    still_handle(index, taxonomy, payload.outbox_id)
}

/// A handle on an index no writer of this process updates.
fn still_handle(index: Index, taxonomy: &Taxonomy, outbox_id: i64) -> anyhow::Result<SearchHandle> {
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let (_writer_side, applied) = watch::channel(outbox_id);
    Ok(handle(
        index,
        reader,
        Arc::new(Synonyms::new(taxonomy)),
        applied,
        Arc::new(Notify::new()),
        Arc::default(),
    ))
}

/// Opens the index in `dir`, or creates it; rebuilt from the database when missing or of another
/// schema version, or when `rebuild` asks. Returns the handle and the writer (run one per process).
pub async fn open(
    dir: &Path,
    db: &DatabaseConnection,
    taxonomy: Arc<Taxonomy>,
    rebuild: bool,
) -> anyhow::Result<(SearchHandle, Writer)> {
    // Changes past an index's watermark that were pruned from the outbox never reach it: such
    // an index (a node that was down longer than the retention period) is rebuilt.
    let pruned = crate::domain::journal::pruned_through(db).await?;
    let (index, watermark) = match open_existing(dir) {
        Some((index, payload)) if payload.outbox_id < pruned => {
            tracing::warn!(
                applied = payload.outbox_id,
                pruned,
                "the outbox was pruned past this search index's last change; rebuilding"
            );
            (index, None)
        }
        Some((index, payload)) => (index, Some(payload.outbox_id)),
        None => {
            if dir.exists() {
                tracing::warn!(dir = %dir.display(), "search index missing or of another version; rebuilding");
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("cannot clear {}", dir.display()))?;
            }
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let (schema, _) = schema::build();
            let mut index = create(dir, schema)?;
            index.set_tokenizers(schema::tokenizers());
            (index, None)
        }
    };
    let (_, fields) = schema::build();
    let index_writer = open_writer(&index, fields.key)?;
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let (applied_tx, applied) = watch::channel(watermark.unwrap_or(0));
    let wake = Arc::new(Notify::new());
    let synonyms = Arc::new(Synonyms::new(&taxonomy));
    let writer = Writer {
        db: db.clone(),
        writer: Arc::new(Mutex::new(index_writer)),
        reader: reader.clone(),
        fields,
        synonyms: synonyms.clone(),
        applied: applied_tx,
        wake: wake.clone(),
        stuck: Arc::default(),
        failures: Default::default(),
    };
    if watermark.is_none() || rebuild {
        let progress = progress_bar("building the search index");
        let count = writer.rebuild(&progress).await?;
        tracing::info!(documents = count, "search index built");
    }
    let stuck = writer.stuck.clone();
    Ok((
        handle(index, reader, synonyms, applied, wake, stuck),
        writer,
    ))
}

/// A record to put in an index built directly, without the database (benchmarks, evaluations).
pub enum Record<'a> {
    Organization(&'a entity::organization::Model),
    Posting(&'a entity::posting::Model, &'a entity::organization::Model),
}

/// Builds a fresh index in `dir` from records given directly, with the same schema, analysis and
/// documents as the live index, and returns a handle to search it.
pub fn build_from<'a>(
    dir: &Path,
    taxonomy: &Taxonomy,
    records: impl IntoIterator<Item = Record<'a>>,
) -> anyhow::Result<SearchHandle> {
    let (schema, fields) = schema::build();
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let mut index = create(dir, schema)?;
    index.set_tokenizers(schema::tokenizers());
    let mut writer = open_writer(&index, fields.key)?;
    let synonyms = Synonyms::new(taxonomy);
    for record in records {
        let doc = match record {
            Record::Organization(org) => document::organization_doc(&fields, org, &synonyms),
            Record::Posting(posting, org) => {
                document::posting_doc(&fields, posting, org, &synonyms)
            }
        };
        writer.add_document(doc)?;
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&writer::Payload {
        schema_version: SCHEMA_VERSION,
        outbox_id: 0,
    })?);
    prepared.commit()?;
    // Measure the index as built, not while merges it started still run.
    writer.wait_merging_threads()?;
    still_handle(index, taxonomy, 0)
}

/// A progress bar on a terminal, nothing elsewhere.
pub fn progress_bar(message: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(message);
    bar
}

impl SearchHandle {
    /// Searches on a fresh searcher in a blocking task.
    pub async fn search(&self, request: SearchRequest) -> anyhow::Result<SearchResults> {
        let _permit = self.permits.acquire().await?;
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let searcher = this.reader.searcher();
            query::run(
                &this.index,
                &searcher,
                &this.fields,
                &this.synonyms,
                &this.filter_cache,
                &request,
            )
            .map_err(anyhow::Error::from)
        })
        .await?
    }

    /// Searches on the calling thread (benchmarks and evaluations; handlers use `search`).
    pub fn search_blocking(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        let searcher = self.reader.searcher();
        Ok(query::run(
            &self.index,
            &searcher,
            &self.fields,
            &self.synonyms,
            &self.filter_cache,
            request,
        )?)
    }

    /// Completions of the last word of `q`, most frequent first, as whole queries.
    pub async fn suggest(&self, q: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        let _permit = self.permits.acquire().await?;
        let this = self.clone();
        let q = q.chars().take(200).collect::<String>();
        tokio::task::spawn_blocking(move || this.complete(&q, limit)).await?
    }

    fn complete(&self, q: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        let tokens = query::folded_tokens(&self.index, q);
        let Some((prefix, typed)) = tokens.last().filter(|(w, _)| w.chars().count() >= 2) else {
            return Ok(Vec::new());
        };
        let mut counts: HashMap<String, u64> = HashMap::new();
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            for field in [self.fields.title, self.fields.org_name] {
                let inverted = segment.inverted_index(field)?;
                let mut terms = inverted
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .into_stream()?;
                while terms.advance() {
                    if !terms.key().starts_with(prefix.as_bytes()) {
                        break;
                    }
                    let word = String::from_utf8_lossy(terms.key()).into_owned();
                    *counts.entry(word).or_default() += u64::from(terms.value().doc_freq);
                }
            }
        }
        let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // What was typed before the last word stays as typed.
        let head = &q[..typed.start];
        ranked
            .into_iter()
            .take(limit)
            .map(|(word, _)| Ok(format!("{head}{}", self.surface_form(&searcher, &word)?)))
            .collect()
    }

    /// How a folded word is written in titles and names (`securite` is `sécurité`): the most
    /// common spelling among a few documents that have it, in lower case unless it is never
    /// written so (`Montréal`, `CRM`).
    fn surface_form(&self, searcher: &tantivy::Searcher, word: &str) -> anyhow::Result<String> {
        const SAMPLE: usize = 8;
        let mut spellings: HashMap<String, usize> = HashMap::new();
        let mut sampled = 0;
        'fields: for field in [self.fields.title, self.fields.org_name] {
            let term = tantivy::Term::from_field_text(field, word);
            for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
                let Some(mut postings) = segment
                    .inverted_index(field)?
                    .read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if !segment.is_deleted(doc) {
                        let address = tantivy::DocAddress::new(ordinal as u32, doc);
                        let stored: TantivyDocument = searcher.doc(address)?;
                        let text = stored
                            .get_first(field)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default();
                        for (folded, bytes) in query::folded_tokens(&self.index, text) {
                            if folded == word {
                                *spellings.entry(text[bytes].to_owned()).or_default() += 1;
                            }
                        }
                        sampled += 1;
                        if sampled == SAMPLE {
                            break 'fields;
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        // Spellings that differ only in case count together; a lower-case one wins within.
        let mut by_lower: HashMap<String, (usize, Vec<(String, usize)>)> = HashMap::new();
        for (spelling, count) in spellings {
            let entry = by_lower.entry(spelling.to_lowercase()).or_default();
            entry.0 += count;
            entry.1.push((spelling, count));
        }
        let best = by_lower
            .into_iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(&a.0)));
        Ok(match best {
            None => word.to_owned(),
            Some((lower, (_, variants))) => {
                if variants.iter().any(|(spelling, _)| *spelling == lower) {
                    lower
                } else {
                    variants
                        .into_iter()
                        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                        .map_or(lower, |(spelling, _)| spelling)
                }
            }
        })
    }

    /// The outbox changes the writer had to skip since this process started.
    pub fn stuck(&self) -> Vec<Stuck> {
        self.stuck.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The last outbox id whose change is searchable.
    pub fn applied(&self) -> i64 {
        *self.applied.borrow()
    }

    /// Waits until changes up to `outbox_id` are searchable, at most `timeout`.
    pub async fn wait_for(&self, outbox_id: i64, timeout: std::time::Duration) -> bool {
        self.wake.notify_one();
        let mut applied = self.applied.clone();
        tokio::time::timeout(timeout, applied.wait_for(|id| *id >= outbox_id))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Every document's key and version, for `index verify`.
    pub fn versions(&self) -> anyhow::Result<BTreeMap<String, i64>> {
        let searcher = self.reader.searcher();
        let mut versions = BTreeMap::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in segment.doc_ids_alive() {
                let address = tantivy::DocAddress::new(ordinal as u32, doc_id);
                let doc: TantivyDocument = searcher.doc(address)?;
                let key = doc
                    .get_first(self.fields.key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned();
                let version = doc
                    .get_first(self.fields.version)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_default();
                versions.insert(key, version);
            }
        }
        Ok(versions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reopened_writer_numbers_changes_after_the_last_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (schema, fields) = schema::build();
        let index = create(dir.path(), schema).unwrap();
        let mut writer = open_writer(&index, fields.key).unwrap();
        writer.delete_term(Term::from_field_text(fields.key, "posting:1"));
        writer.commit().unwrap();
        drop(writer);

        let committed = index.load_metas().unwrap().opstamp;
        let writer = open_writer(&index, fields.key).unwrap();
        let first_change = writer.delete_term(Term::from_field_text(fields.key, "posting:1"));
        assert!(
            first_change > committed,
            "the first change after reopening has opstamp {first_change}, the last commit {committed}"
        );
    }
}
