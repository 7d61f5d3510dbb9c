//! Everything tantivy. The rest of Passerelle sees a `SearchHandle`: search, suggest, and the
//! watermark of applied outbox changes. One `Writer` per process keeps the index in step with the
//! database by tailing the outbox (see `writer`).

mod document;
mod query;
mod schema;
mod synonyms;
pub mod verify;
mod writer;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use sea_orm::DatabaseConnection;
use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};
use tokio::sync::{Notify, Semaphore, watch};
use utoipa::ToSchema;

pub use query::FACETS;
use schema::Fields;
pub use schema::SCHEMA_VERSION;
use synonyms::Synonyms;
pub use writer::Writer;

use crate::domain::taxonomy::Taxonomy;

/// Memory for the index writer's buffers.
const WRITER_MEMORY: usize = 100_000_000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    pub language: Option<String>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// Ablation for evaluations: match folded words only, without English and French stemming.
    pub no_stemming: bool,
    /// Ranked hits only: no facet counts, no snippets (benchmarks measure both ways).
    pub lean: bool,
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
    /// Bounds concurrent searches to the blocking pool's fair share.
    permits: Arc<Semaphore>,
    applied: watch::Receiver<i64>,
    wake: Arc<Notify>,
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
    taxonomy: &Taxonomy,
    applied: watch::Receiver<i64>,
    wake: Arc<Notify>,
) -> SearchHandle {
    let (_, fields) = schema::build();
    SearchHandle {
        index,
        reader,
        fields,
        synonyms: Arc::new(Synonyms::new(taxonomy)),
        permits: Arc::new(Semaphore::new(64)),
        applied,
        wake,
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
        taxonomy,
        applied,
        Arc::new(Notify::new()),
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
    let (index, watermark) = match open_existing(dir) {
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
            let mut index = Index::create_in_dir(dir, schema)?;
            index.set_tokenizers(schema::tokenizers());
            (index, None)
        }
    };
    let (_, fields) = schema::build();
    let index_writer = index.writer(WRITER_MEMORY).context(
        "cannot lock the search index; is another Passerelle using this data directory?",
    )?;
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let (applied_tx, applied) = watch::channel(watermark.unwrap_or(0));
    let wake = Arc::new(Notify::new());
    let writer = Writer {
        db: db.clone(),
        writer: Arc::new(Mutex::new(index_writer)),
        reader: reader.clone(),
        fields,
        taxonomy: taxonomy.clone(),
        applied: applied_tx,
        wake: wake.clone(),
    };
    if watermark.is_none() || rebuild {
        let progress = progress_bar("building the search index");
        let count = writer.rebuild(&progress).await?;
        tracing::info!(documents = count, "search index built");
    }
    Ok((handle(index, reader, &taxonomy, applied, wake), writer))
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
    let mut index = Index::create_in_dir(dir, schema)?;
    index.set_tokenizers(schema::tokenizers());
    let mut writer: tantivy::IndexWriter = index.writer(WRITER_MEMORY)?;
    for record in records {
        let doc = match record {
            Record::Organization(org) => document::organization_doc(&fields, org),
            Record::Posting(posting, org) => document::posting_doc(&fields, posting, org, taxonomy),
        };
        writer.add_document(doc)?;
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&writer::Payload {
        schema_version: SCHEMA_VERSION,
        outbox_id: 0,
    })?);
    prepared.commit()?;
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
        let mut words = query::folded_words(&self.index, q);
        let Some(prefix) = words.pop().filter(|w| w.chars().count() >= 2) else {
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
        let head = if words.is_empty() {
            String::new()
        } else {
            format!("{} ", words.join(" "))
        };
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|(word, _)| format!("{head}{word}"))
            .collect())
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

    /// Nudges the writer to look at the outbox now rather than at its next poll.
    pub fn notify_change(&self) {
        self.wake.notify_one();
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
