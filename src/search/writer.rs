//! The index writer: tails the outbox, applies each change as delete-then-add, commits with the
//! last applied outbox id as the commit payload, then reloads the reader. The database is the
//! truth; the index is a projection that `rebuild` can always recreate.
//!
//! Commit first, advance the watermark after: a crash between the two replays the batch, and
//! replaying is harmless because every change is "delete this key, then add its current state".

use std::collections::{BTreeSet, HashMap};
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
}

/// A change to apply: the key to delete, and the document to add back if the record is public.
struct Change {
    key: String,
    doc: Option<TantivyDocument>,
}

impl Writer {
    /// Runs until the task is aborted: apply what is new, then wait for a wake-up or the poll tick.
    pub async fn run(self) {
        let mut commits = crate::domain::journal::commits();
        loop {
            match self.catch_up().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(err) => tracing::error!(error = ?err, "search index update failed; retrying"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                _ = commits.changed() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Applies one batch of outbox rows past the watermark. `Ok(true)` when there may be more.
    pub async fn catch_up(&self) -> anyhow::Result<bool> {
        let watermark = *self.applied.borrow();
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Id.gt(watermark))
            .order_by_asc(outbox::Column::Id)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            return Ok(false);
        };
        let mut posting_ids = BTreeSet::new();
        let mut org_ids = BTreeSet::new();
        for row in &rows {
            // The index holds postings and organizations; the stream's other rows are for
            // other followers.
            match row.entity {
                entity::OutboxEntity::Posting => posting_ids.insert(row.entity_id),
                entity::OutboxEntity::Organization => org_ids.insert(row.entity_id),
                entity::OutboxEntity::Partnership | entity::OutboxEntity::AppUser => false,
            };
        }
        let changes = self.load_changes(&posting_ids, &org_ids).await?;
        self.apply(changes, false).await?;
        self.commit(last).await?;
        Ok(rows.len() as u64 == BATCH)
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
        let watermark = outbox::Entity::find()
            .order_by_desc(outbox::Column::Id)
            .one(&self.db)
            .await?
            .map_or(0, |row| row.id);
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
