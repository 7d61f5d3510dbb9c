//! Email: the sender that drains the email outbox (`entity::email`).
//!
//! The rows are written by the domain in the transaction of the change that causes them. The
//! sender claims due rows for a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so that of several
//! processes on one database each message is taken by one), composes each in its recipient's
//! language, hands it to SMTP (or, without `smtp_url`, writes it as an `.eml` file), and records
//! the result: sent, or a retry after a growing delay, or given up after `mail_max_attempts`.
//! Messages go in groups of `mail_connections`, sent at once over as many SMTP connections and
//! recorded together (one commit) when the group's answers are in. A process killed between SMTP's
//! answers and that record sends those messages again after the lease: the only duplicates are the
//! group whose record the kill cut off.
//!
//! Why several connections: lettre 0.11.23 leaves Nagle's algorithm on, so each message waits for
//! the server's delayed acknowledgement (about 40 ms on Linux) before its final `.` goes out; one
//! connection carries about 23 messages a second whatever the machine. (Fixed upstream by lettre's
//! pull request 1159, not yet released.)

pub mod compose;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{EmailStatus, email};
use lettre::message::Mailbox;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, Statement,
};
use tokio::sync::watch;

use crate::config::Config;
use crate::domain::journal;
use crate::domain::notifications::UnsubscribeKey;
use compose::{Letterhead, Unsendable};

/// Groups claimed at a time.
const GROUPS_PER_CLAIM: usize = 4;
/// How often the outbox is looked at when nothing wakes the sender (retries, other processes).
const POLL: Duration = Duration::from_secs(5);

/// A message SMTP accepted, to record.
struct Sent {
    id: i64,
    attempts: i32,
    message_id: String,
}

/// Where messages go.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// The email sender of this process.
pub struct Sender {
    db: DatabaseConnection,
    transport: Transport,
    head: Letterhead,
    max_attempts: i32,
    /// How long a claim holds; a sender that dies lets another take its messages after this.
    lease: Duration,
    /// Names this process in `Message-ID`s, so two processes never make the same one.
    host: String,
    /// Messages handed to SMTP at once (one per connection of the transport's pool), recorded as
    /// sent together when the group's answers are in: a kill can only repeat that group.
    in_flight: usize,
}

impl Sender {
    pub fn new(
        db: DatabaseConnection,
        config: &Config,
        unsubscribe: UnsubscribeKey,
    ) -> anyhow::Result<Self> {
        let in_flight = config.mail_connections.max(1) as usize;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(Duration::from_secs(30)))
                    .pool_config(PoolConfig::new().max_size(config.mail_connections.max(1)))
                    .build(),
            ),
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                Transport::Files(AsyncFileTransport::new(&dir), dir)
            }
        };
        let public_url = config.public_url();
        let host = url::Url::parse(&public_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "passerelle.localhost".into());
        Ok(Self {
            db,
            transport,
            head: Letterhead {
                from: config.mail_from.parse::<Mailbox>()?,
                public_url,
                postal_address: config.mail_postal_address.clone(),
                unsubscribe,
            },
            max_attempts: i32::try_from(config.mail_max_attempts).unwrap_or(8),
            lease: Duration::from_secs(u64::from(config.mail_lease_secs)),
            host,
            in_flight,
        })
    }

    /// Sends until `stop` turns true, waking at each commit of this process and every few seconds.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut commits = journal::commits();
        loop {
            match self.send_due().await {
                Ok(sent) if sent >= self.in_flight * GROUPS_PER_CLAIM => continue,
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(error = %err, "the email sender could not read its outbox")
                }
            }
            tokio::select! {
                _ = commits.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => return,
            }
            if *stop.borrow() {
                return;
            }
        }
    }

    /// Claims the due messages and delivers them. Returns how many were claimed.
    pub async fn send_due(&self) -> Result<usize, DbErr> {
        let limit = (self.in_flight * GROUPS_PER_CLAIM) as u64;
        let claimed = claim(&self.db, limit, self.lease).await?;
        for group in claimed.chunks(self.in_flight) {
            let delivered =
                futures_util::future::join_all(group.iter().map(|row| self.deliver(row)));
            let sent = delivered
                .await
                .into_iter()
                .collect::<Result<Vec<Option<Sent>>, DbErr>>()?;
            self.record_sent(sent.into_iter().flatten().collect())
                .await?;
        }
        Ok(claimed.len())
    }

    /// Records a group's delivered messages in one transaction (one commit, not one per message).
    async fn record_sent(&self, sent: Vec<Sent>) -> Result<(), DbErr> {
        use sea_orm::TransactionTrait;
        if sent.is_empty() {
            return Ok(());
        }
        let txn = self.db.begin().await?;
        let now = crate::domain::now();
        for done in sent {
            email::Entity::update_many()
                .col_expr(email::Column::Status, Expr::val(EmailStatus::Sent.as_str()))
                .col_expr(email::Column::SentAt, Expr::val(now))
                .col_expr(email::Column::MessageId, Expr::val(done.message_id))
                .col_expr(
                    email::Column::ClaimedUntil,
                    Expr::val(Option::<DateTime<Utc>>::None),
                )
                .col_expr(email::Column::Attempts, Expr::val(done.attempts))
                .col_expr(email::Column::LastError, Expr::val(Option::<String>::None))
                .filter(email::Column::Id.eq(done.id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await
    }

    /// Composes and sends one message. A failure is recorded at once; a success is returned, to
    /// be recorded with the rest of its group.
    async fn deliver(&self, row: &email::Model) -> Result<Option<Sent>, DbErr> {
        let message_id = row.message_id.clone().unwrap_or_else(|| {
            format!(
                "<passerelle.{}.{}@{}>",
                row.id,
                row.created_at.timestamp(),
                self.host
            )
        });
        let message = match compose::compose(&self.db, &self.head, row, &message_id).await {
            Ok(message) => message,
            Err(Unsendable::Other(err)) => {
                return self.failed(row, &err, true).await.map(|()| None);
            }
            Err(err) => {
                return self
                    .failed(row, &err.to_string(), false)
                    .await
                    .map(|()| None);
            }
        };
        match self.send(message).await {
            Ok(()) => {
                tracing::info!(email = row.id, kind = %row.kind, "email sent");
                Ok(Some(Sent {
                    id: row.id,
                    attempts: row.attempts + 1,
                    message_id,
                }))
            }
            Err(err) => self.failed(row, &err, true).await.map(|()| None),
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Transport::Files(files, dir) => {
                let id = files.send(message).await.map_err(|e| e.to_string())?;
                tracing::info!(file = %dir.join(format!("{id}.eml")).display(), "email written (no smtp_url)");
                Ok(())
            }
        }
    }

    /// Records a failed attempt: retried after a delay that doubles each time (1, 2, 4 ...
    /// minutes, at most a day), or given up when it cannot succeed or the attempts are spent.
    async fn failed(&self, row: &email::Model, error: &str, retry: bool) -> Result<(), DbErr> {
        let attempts = row.attempts + 1;
        let give_up = !retry || attempts >= self.max_attempts;
        let delay = chrono::Duration::minutes(1_i64 << (attempts - 1).clamp(0, 10))
            .min(chrono::Duration::days(1));
        tracing::warn!(
            email = row.id,
            attempts,
            give_up,
            error,
            "email not delivered"
        );
        let status = if give_up {
            EmailStatus::Failed
        } else {
            EmailStatus::Pending
        };
        email::Entity::update_many()
            .col_expr(email::Column::Status, Expr::val(status.as_str()))
            .col_expr(email::Column::Attempts, Expr::val(attempts))
            .col_expr(email::Column::LastError, Expr::val(error.to_owned()))
            .col_expr(
                email::Column::NextAttemptAt,
                Expr::val(crate::domain::now() + delay),
            )
            .col_expr(
                email::Column::ClaimedUntil,
                Expr::val(Option::<DateTime<Utc>>::None),
            )
            .filter(email::Column::Id.eq(row.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// Takes up to `limit` due messages for this process for `lease`, oldest first. On PostgreSQL,
/// rows another process holds locked are skipped, so two senders never take the same message.
pub async fn claim(
    db: &DatabaseConnection,
    limit: u64,
    lease: Duration,
) -> Result<Vec<email::Model>, DbErr> {
    let now = crate::domain::now();
    let until = now + chrono::Duration::from_std(lease).unwrap_or_default();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE email SET claimed_until = $1 WHERE id IN (
                SELECT id FROM email WHERE status = 'pending' AND next_attempt_at <= $2
                  AND (claimed_until IS NULL OR claimed_until < $2)
                ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING *"
        }
        _ => {
            "UPDATE email SET claimed_until = ? WHERE id IN (
                SELECT id FROM email WHERE status = 'pending' AND next_attempt_at <= ?
                  AND (claimed_until IS NULL OR claimed_until < ?)
                ORDER BY id LIMIT ?)
             RETURNING *"
        }
    };
    let values: Vec<sea_orm::Value> = match backend {
        DbBackend::Postgres => vec![until.into(), now.into(), (limit as i64).into()],
        _ => vec![until.into(), now.into(), now.into(), (limit as i64).into()],
    };
    let mut rows = email::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?;
    rows.sort_by_key(|row| row.id);
    Ok(rows)
}
