//! Business rules over sea-orm, free of HTTP types. Every write that changes searchable data appends
//! to the outbox in the same transaction (see `journal`).

pub mod accounts;
pub mod journal;
pub mod organizations;
pub mod postings;
pub mod taxonomy;
pub mod types;

/// The current time at microsecond precision, what both SQLite and PostgreSQL store, so a record
/// reads back exactly as it was written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
