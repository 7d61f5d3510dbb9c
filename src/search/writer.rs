//! The index writer: tails the outbox, applies each change as delete-then-add, commits with the
//! last applied outbox id as the commit payload, then reloads the reader. The database is the
//! truth; the index is a projection that `rebuild` can always recreate.
//!
//! Commit first, advance the watermark after: a crash between the two replays the batch, and
//! replaying is harmless because every change is "delete this key, then add its current state".

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use entity::{PostingStatus, organization, outbox, posting};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};
use tokio::sync::{Notify, watch};

use super::document::{self, organization_key, posting_key};
use super::schema::{Fields, SCHEMA_VERSION};
use super::synonyms::Synonyms;

/// Outbox rows applied per commit at most.
const BATCH: u64 = 1_000;
/// How often the outbox is polled when nobody wakes the writer.
const POLL: Duration = Duration::from_millis(100);
/// Failed attempts at a batch before its rows are tried one by one.
const ATTEMPTS: u32 = 3;
/// Batches applied at most while draining at shutdown.
const DRAIN_BATCHES: usize = 20;

/// An outbox row the writer could not apply. It is skipped, so the changes after it still reach
/// the index, and reported (`/readyz`, the log; `passerelle index verify` shows the record it
/// left out of step).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Stuck {
    pub outbox_id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub error: String,
}

/// What each commit records, so a restart knows where to resume.
#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub schema_version: u32,
    pub outbox_id: i64,
}

impl Payload {
    pub fn parse(raw: Option<&str>) -> Option<Self> {
        raw.and_then(|text| serde_json::from_str(text).ok())
    }
}

pub struct Writer {
    pub(super) db: DatabaseConnection,
    pub(super) writer: Arc<Mutex<IndexWriter>>,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    pub(super) synonyms: Arc<Synonyms>,
    /// The last outbox id whose change is committed and visible to searches.
    pub(super) applied: watch::Sender<i64>,
    pub(super) wake: Arc<Notify>,
    /// Rows skipped because they could not be applied, shared with the handle.
    pub(super) stuck: Arc<Mutex<Vec<Stuck>>>,
    /// Failed attempts at the current batch.
    pub(super) failures: AtomicU32,
}

/// An outbox row as the writer reads it: the entity as stored, so a kind it does not know (one
/// written by a newer version, say) is one bad row rather than a batch that cannot be read.
type Row = (i64, String, i64);

/// A change to apply: the key to delete, and the document to add back if the record is public.
struct Change {
    key: String,
    doc: Option<TantivyDocument>,
}

impl Writer {
    /// Runs until `stop` turns true: apply what is new, then wait for a wake-up or the poll
    /// tick. Then drains: applies what is committed, lets merges finish, and releases the index.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut commits = crate::domain::journal::commits();
        while !*stop.borrow() {
            match self.catch_up().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(err) => tracing::error!(error = ?err, "search index update failed; retrying"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                _ = commits.changed() => {}
                _ = stop.changed() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
        self.drain().await;
    }

    /// The last changes, then tantivy's merges, before the process exits: the next start finds
    /// an index committed up to the last change and no merge cut short.
    async fn drain(self) {
        for _ in 0..DRAIN_BATCHES {
            match self.catch_up().await {
                Ok(true) => continue,
                Ok(false) => break,
                Err(err) => {
                    tracing::warn!(error = ?err, "search index not caught up at shutdown");
                    break;
                }
            }
        }
        let Ok(writer) = Arc::try_unwrap(self.writer) else {
            tracing::warn!("search index writer still in use at shutdown");
            return;
        };
        let writer = writer.into_inner().unwrap_or_else(|p| p.into_inner());
        match tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await {
            Ok(Ok(())) => tracing::info!("search index closed"),
            Ok(Err(err)) => tracing::warn!(error = %err, "search index merges failed at shutdown"),
            Err(err) => tracing::warn!(error = %err, "search index close task failed"),
        }
    }

    /// Applies one batch of outbox rows past the watermark. `Ok(true)` when there may be more.
    /// A batch that keeps failing while the database answers is applied row by row, and the
    /// rows that still fail are skipped and reported (`Stuck`).
    pub async fn catch_up(&self) -> anyhow::Result<bool> {
        use outbox::Column as C;
        let watermark = *self.applied.borrow();
        let rows: Vec<Row> = outbox::Entity::find()
            .select_only()
            .column(C::Id)
            .column_as(sea_orm::sea_query::Expr::col(C::Entity), "entity")
            .column(C::EntityId)
            .filter(C::Id.gt(watermark))
            .order_by_asc(C::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&self.db)
            .await?;
        let Some(last) = rows.last().map(|row| row.0) else {
            return Ok(false);
        };
        if let Err(err) = self.apply_rows(&rows).await {
            let failures = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
            // While the database does not answer, every row would fail: wait for it instead.
            if failures < ATTEMPTS || self.db.ping().await.is_err() {
                return Err(err);
            }
            for row in &rows {
                if let Err(err) = self.apply_rows(std::slice::from_ref(row)).await {
                    self.report(row, &err);
                }
            }
        }
        self.failures.store(0, Ordering::Relaxed);
        self.commit(last).await?;
        Ok(rows.len() as u64 == BATCH)
    }

    fn report(&self, row: &Row, err: &anyhow::Error) {
        let (outbox_id, entity, entity_id) = row.clone();
        tracing::error!(outbox_id, entity, entity_id, error = ?err, "outbox change cannot be applied to the search index; skipped");
        let stuck = Stuck {
            outbox_id,
            entity,
            entity_id,
            error: format!("{err:#}"),
        };
        self.stuck
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(stuck);
    }

    /// Applies outbox rows (not yet committed).
    async fn apply_rows(&self, rows: &[Row]) -> anyhow::Result<()> {
        let mut posting_ids = BTreeSet::new();
        let mut org_ids = BTreeSet::new();
        for (id, entity, entity_id) in rows {
            // The index holds postings and organizations; the stream's other rows are for
            // other followers.
            match entity::OutboxEntity::parse(entity) {
                Some(entity::OutboxEntity::Posting) => posting_ids.insert(*entity_id),
                Some(entity::OutboxEntity::Organization) => org_ids.insert(*entity_id),
                Some(
                    entity::OutboxEntity::Partnership
                    | entity::OutboxEntity::AppUser
                    | entity::OutboxEntity::Report
                    | entity::OutboxEntity::Program
                    | entity::OutboxEntity::ProgramApplication
                    | entity::OutboxEntity::Checkup,
                ) => false,
                None => {
                    anyhow::bail!("outbox row {id} names an unknown kind of record, {entity:?}")
                }
            };
        }
        let changes = self.load_changes(&posting_ids, &org_ids).await?;
        self.apply(changes, false).await
    }

    /// Reads the current state of the changed records. An organization's change also refreshes
    /// its postings (their documents carry its name, kind and standing).
    async fn load_changes(
        &self,
        posting_ids: &BTreeSet<i64>,
        org_ids: &BTreeSet<i64>,
    ) -> anyhow::Result<Vec<Change>> {
        let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|org| (org.id, org))
            .collect();
        // One read, each posting once: the changed ones and those of changed organizations.
        let postings = posting::Entity::find()
            .filter(
                Condition::any()
                    .add(posting::Column::Id.is_in(posting_ids.iter().copied()))
                    .add(posting::Column::OrganizationId.is_in(org_ids.iter().copied())),
            )
            .find_also_related(organization::Entity)
            .all(&self.db)
            .await?;
        let mut changes = Vec::new();
        for id in org_ids {
            let doc = orgs
                .get(id)
                .filter(|org| document::organization_is_public(org))
                .map(|org| document::organization_doc(&self.fields, org, &self.synonyms));
            changes.push(Change {
                key: organization_key(*id),
                doc,
            });
        }
        let found: BTreeSet<i64> = postings.iter().map(|(p, _)| p.id).collect();
        for id in posting_ids.difference(&found) {
            changes.push(Change {
                key: posting_key(*id),
                doc: None,
            });
        }
        for (posting, org) in postings {
            let doc = org
                .filter(|org| document::posting_is_public(&posting, org))
                .map(|org| document::posting_doc(&self.fields, &posting, &org, &self.synonyms));
            changes.push(Change {
                key: posting_key(posting.id),
                doc,
            });
        }
        Ok(changes)
    }

    /// Applies changes to the writer (not yet committed). `replace_all` first empties the index.
    async fn apply(&self, changes: Vec<Change>, replace_all: bool) -> anyhow::Result<()> {
        let writer = self.writer.clone();
        let key_field = self.fields.key;
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let writer = writer
                .lock()
                .map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
            if replace_all {
                writer.delete_all_documents()?;
            }
            for change in changes {
                writer.delete_term(Term::from_field_text(key_field, &change.key));
                if let Some(doc) = change.doc {
                    writer.add_document(doc)?;
                }
            }
            Ok(())
        })
        .await
        .context("index update task failed")?
    }

    /// Commits with `outbox_id` as the payload; then the reader sees the changes and the
    /// watermark moves.
    async fn commit(&self, outbox_id: i64) -> anyhow::Result<()> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut writer = writer
                .lock()
                .map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
            let payload = Payload {
                schema_version: SCHEMA_VERSION,
                outbox_id,
            };
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&serde_json::to_string(&payload)?);
            prepared.commit()?;
            Ok(())
        })
        .await
        .context("index commit task failed")??;
        self.reader.reload()?;
        self.applied.send_replace(outbox_id);
        Ok(())
    }

    /// Rebuilds the whole index from the database. Changes made while it runs are in the outbox
    /// past the recorded watermark and are applied afterwards.
    pub async fn rebuild(&self, progress: &indicatif::ProgressBar) -> anyhow::Result<usize> {
        let last_row = outbox::Entity::find()
            .order_by_desc(outbox::Column::Id)
            .one(&self.db)
            .await?
            .map_or(0, |row| row.id);
        // With every row pruned, the last id pruned is where the stream stands.
        let watermark = last_row.max(crate::domain::journal::pruned_through(&self.db).await?);
        let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|org| (org.id, org))
            .collect();
        let open = posting::Entity::find()
            .filter(posting::Column::Status.eq(PostingStatus::Open))
            .count(&self.db)
            .await?;
        progress.set_length(open + orgs.len() as u64);
        let org_changes: Vec<Change> = orgs
            .values()
            .filter(|org| document::organization_is_public(org))
            .map(|org| Change {
                key: organization_key(org.id),
                doc: Some(document::organization_doc(
                    &self.fields,
                    org,
                    &self.synonyms,
                )),
            })
            .collect();
        let mut count = org_changes.len();
        self.apply(org_changes, true).await?;
        progress.inc(orgs.len() as u64);
        let mut after = 0;
        loop {
            let page = posting::Entity::find()
                .filter(posting::Column::Status.eq(PostingStatus::Open))
                .filter(posting::Column::Id.gt(after))
                .order_by_asc(posting::Column::Id)
                .limit(5_000)
                .all(&self.db)
                .await?;
            let Some(last) = page.last().map(|p| p.id) else {
                break;
            };
            after = last;
            progress.inc(page.len() as u64);
            let changes: Vec<Change> = page
                .iter()
                .filter_map(|posting| {
                    let org = orgs.get(&posting.organization_id)?;
                    document::posting_is_public(posting, org).then(|| Change {
                        key: posting_key(posting.id),
                        doc: Some(document::posting_doc(
                            &self.fields,
                            posting,
                            org,
                            &self.synonyms,
                        )),
                    })
                })
                .collect();
            count += changes.len();
            self.apply(changes, false).await?;
        }
        self.commit(watermark).await?;
        progress.finish_and_clear();
        Ok(count)
    }
}
