//! The two logs every write appends to, inside the write's own transaction: the outbox (what the
//! search index must apply) and the audit trail (who did what); and the signal that wakes the
//! outbox's followers once such a transaction has committed.

use std::sync::LazyLock;

use entity::{OutboxEntity, OutboxOp, audit_event, outbox};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbBackend, DbErr, EntityTrait, TransactionSession,
};
use tokio::sync::watch;

/// Counts the commits of this process that may have appended to the outbox.
static COMMITS: LazyLock<watch::Sender<u64>> = LazyLock::new(|| watch::channel(0).0);

/// Commits a write, then wakes whoever follows the outbox (the search writer), so a change is
/// applied at once rather than at the next poll. Followers still poll: another process's
/// commits are only seen that way.
pub async fn commit(txn: impl TransactionSession) -> Result<(), DbErr> {
    txn.commit().await?;
    COMMITS.send_modify(|count| *count = count.wrapping_add(1));
    Ok(())
}

/// What a follower of the outbox waits on: it changes after each `commit`.
pub fn commits() -> watch::Receiver<u64> {
    COMMITS.subscribe()
}

/// Appends an outbox row for a changed record.
pub async fn record_change(
    txn: &impl ConnectionTrait,
    entity: OutboxEntity,
    entity_id: i64,
    op: OutboxOp,
) -> Result<(), DbErr> {
    // On PostgreSQL a transaction that took id 41 may commit after the one that took 42, and a
    // reader tailing "id > watermark" would skip 41 forever. Taking this lock before the insert
    // and holding it to commit makes ids visible in the order they were given. (SQLite writers
    // are serialized already.)
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7336001)")
            .await?;
    }
    let row = outbox::ActiveModel {
        entity: Set(entity),
        entity_id: Set(entity_id),
        op: Set(op),
        created_at: Set(super::now()),
        ..Default::default()
    };
    outbox::Entity::insert(row)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Appends an audit event. `actor` is `None` for changes Passerelle makes itself.
pub async fn audit(
    txn: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: i64,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    let row = audit_event::ActiveModel {
        actor_user_id: Set(actor),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        detail: Set(detail),
        created_at: Set(super::now()),
        ..Default::default()
    };
    audit_event::Entity::insert(row)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
