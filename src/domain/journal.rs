//! The journal: every write records what it changed, in its own transaction, through one call
//! (`record`): an `outbox` row, the stream the search index and later followers read, and an
//! `audit_event` row, the permanent record of who did what, and the notifications it causes
//! (`notifications::on_event`), with the emails they queue. After the commit (`commit`), the
//! followers in this process are woken; followers elsewhere see the rows at their next poll.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use entity::{OutboxEntity, OutboxOp, audit_event, outbox, stream_cursor};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    TransactionSession,
};
use tokio::sync::watch;

/// One change, as the journal records it.
#[derive(Debug, Clone)]
pub struct Event {
    /// Who did it; `None` for changes Passerelle makes itself.
    pub actor: Option<i64>,
    /// What happened: `posting.create`, `partnership.accept`, ...
    pub action: String,
    pub entity: OutboxEntity,
    pub entity_id: i64,
    /// `Delete` when the record is gone.
    pub op: OutboxOp,
    pub detail: serde_json::Value,
}

impl Event {
    /// A change to a record that still exists.
    pub fn new(
        actor: Option<i64>,
        action: impl Into<String>,
        entity: OutboxEntity,
        entity_id: i64,
        detail: serde_json::Value,
    ) -> Self {
        Self {
            actor,
            action: action.into(),
            entity,
            entity_id,
            op: OutboxOp::Upsert,
            detail,
        }
    }

    /// The record is gone.
    pub fn deleted(mut self) -> Self {
        self.op = OutboxOp::Delete;
        self
    }
}

/// Appends the change to the outbox and the audit trail, and writes the notifications it causes,
/// in the caller's transaction.
pub async fn record(txn: &impl ConnectionTrait, entry: Event) -> Result<(), DbErr> {
    // On PostgreSQL a transaction that took id 41 may commit after the one that took 42, and a
    // reader tailing "id > watermark" would skip 41 forever. Taking this lock before the insert
    // and holding it to commit makes ids visible in the order they were given. (SQLite writers
    // are serialized already.)
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7336001)")
            .await?;
    }
    super::notifications::on_event(txn, &entry).await?;
    let now = super::now();
    let row = outbox::ActiveModel {
        entity: Set(entry.entity),
        entity_id: Set(entry.entity_id),
        op: Set(entry.op),
        action: Set(entry.action.clone()),
        actor_user_id: Set(entry.actor),
        detail: Set(Some(entry.detail.clone())),
        created_at: Set(now),
        ..Default::default()
    };
    outbox::Entity::insert(row)
        .exec_without_returning(txn)
        .await?;
    let event = audit_event::ActiveModel {
        actor_user_id: Set(entry.actor),
        action: Set(entry.action),
        entity: Set(entry.entity.as_str().to_owned()),
        entity_id: Set(entry.entity_id),
        detail: Set(entry.detail),
        created_at: Set(now),
        ..Default::default()
    };
    audit_event::Entity::insert(event)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Counts the commits of this process that may have appended to the outbox.
static COMMITS: LazyLock<watch::Sender<u64>> = LazyLock::new(|| watch::channel(0).0);

/// Commits a write, then wakes whoever follows the outbox in this process (the search writer),
/// so a change is applied at once rather than at the next poll.
pub async fn commit(txn: impl TransactionSession) -> Result<(), DbErr> {
    txn.commit().await?;
    COMMITS.send_modify(|count| *count = count.wrapping_add(1));
    Ok(())
}

/// What a follower of the outbox waits on: it changes after each `commit`.
pub fn commits() -> watch::Receiver<u64> {
    COMMITS.subscribe()
}

/// The position of a follower that runs once for all processes (0 before its first row).
pub async fn cursor(db: &impl ConnectionTrait, name: &str) -> Result<i64, DbErr> {
    Ok(stream_cursor::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .map_or(0, |cursor| cursor.position))
}

/// Moves a follower's position, in the transaction of what it did with the rows up to it.
pub async fn advance(db: &impl ConnectionTrait, name: &str, position: i64) -> Result<(), DbErr> {
    let row = stream_cursor::ActiveModel {
        name: Set(name.to_owned()),
        position: Set(position),
        updated_at: Set(super::now()),
    };
    stream_cursor::Entity::insert(row)
        .on_conflict(
            OnConflict::column(stream_cursor::Column::Name)
                .update_columns([
                    stream_cursor::Column::Position,
                    stream_cursor::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The cursor that records the last outbox id pruned (not a follower).
const PRUNED: &str = "outbox.pruned";

/// The last outbox id pruned: a follower whose position is below it missed changes, and must
/// start again from the database (the search index rebuilds).
pub async fn pruned_through(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    cursor(db, PRUNED).await
}

/// Deletes the outbox rows older than `before` that every database-kept follower has passed,
/// and records the last id deleted. Returns how many. (Each process's search index keeps its
/// own position, in the index; a node whose index is behind what is left rebuilds it at start.)
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    let slowest = stream_cursor::Entity::find()
        .filter(stream_cursor::Column::Name.ne(PRUNED))
        .all(db)
        .await?
        .into_iter()
        .map(|cursor| cursor.position)
        .min();
    let mut due = outbox::Entity::find().filter(outbox::Column::CreatedAt.lt(before));
    if let Some(slowest) = slowest {
        due = due.filter(outbox::Column::Id.lte(slowest));
    }
    let Some(last) = due
        .order_by_desc(outbox::Column::Id)
        .limit(1)
        .one(db)
        .await?
        .map(|row| row.id)
    else {
        return Ok(0);
    };
    let deleted = outbox::Entity::delete_many()
        .filter(outbox::Column::Id.lte(last))
        .exec(db)
        .await?
        .rows_affected;
    if last > pruned_through(db).await? {
        advance(db, PRUNED, last).await?;
    }
    Ok(deleted)
}
