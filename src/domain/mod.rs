//! Business rules over sea-orm, free of HTTP types. Every write that changes searchable data appends
//! to the outbox in the same transaction (see `journal`).

pub mod accounts;
pub mod checkups;
pub mod dashboards;
pub mod eligibility;
pub mod emailed_links;
pub mod insights;
pub mod journal;
pub mod moderation;
pub mod notifications;
pub mod open_data;
pub mod organizations;
pub mod outcomes;
pub mod partnerships;
pub mod postings;
pub mod privacy;
pub mod programs;
pub mod rate_limits;
pub mod saved_searches;
pub mod schemas;
pub mod secrets;
pub mod taxonomy;
pub mod types;

/// The current time at microsecond precision, what both SQLite and PostgreSQL store, so a record
/// reads back exactly as it was written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN IMMEDIATE`:
/// a deferred transaction that reads first and writes later fails with "database is locked" when
/// another writer committed in between, instead of waiting its turn.
pub async fn begin_write<C: sea_orm::TransactionTrait>(
    db: &C,
) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
