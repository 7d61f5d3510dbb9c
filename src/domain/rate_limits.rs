//! Brute-force protection for sign-in and sign-up, and a cap on the emails anyone can make
//! Passerelle send to an address (password resets, invitations).
//!
//! Sign-in counts *failures* per account and per client address in a sliding 15-minute window: a
//! user who signs in successfully many times is never locked out, an attacker guessing passwords is
//! (and a correct password does not get through while locked). A success clears the account's
//! failures. Sign-ups are costly (a password hash) and count every attempt per address.
//! governor and similar crates limit request *rates* in one process's memory; counting only
//! failures, across every process that shares the database, needs this small log (`rate_event`).

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::rate_event;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

use crate::config::Config;
use crate::error::{AppError, AppResult};

/// The window the configured counts apply to.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// What is counted, and per what.
#[derive(Debug, Clone, Copy)]
enum Bucket {
    /// Failed sign-ins per account (its email).
    LoginAccount,
    /// Failed sign-ins per client address.
    LoginAddress,
    /// Sign-up attempts per client address.
    SignupAddress,
    /// Emailed links (resets, invitations) per recipient address.
    LinkRecipient,
    /// Emailed links asked for per requester (client address, or signed-in user).
    LinkRequester,
}

impl Bucket {
    fn as_str(self) -> &'static str {
        match self {
            Self::LoginAccount => "login_account",
            Self::LoginAddress => "login_address",
            Self::SignupAddress => "signup_address",
            Self::LinkRecipient => "link_recipient",
            Self::LinkRequester => "link_requester",
        }
    }
}

/// Emailed links one address may receive in the window: enough to ask again when a message is
/// slow, too few to flood someone's inbox through Passerelle.
pub const LINKS_PER_RECIPIENT: u32 = 5;
/// Emailed links one requester may ask for in the window, whatever the addresses.
pub const LINKS_PER_REQUESTER: u32 = 20;

/// Who asks Passerelle to email a link.
#[derive(Debug, Clone, Copy)]
pub enum Requester {
    /// Someone signed out (a password reset), by client address.
    Address(IpAddr),
    /// A signed-in user (an invitation).
    User(i64),
}

/// The configured limits; the counts themselves are in the database.
pub struct RateLimits {
    failures_per_account: u32,
    failures_per_address: u32,
    signups_per_address: u32,
}

/// What is stored for a key: its SHA-256, so the table holds no typed email (nor a password typed
/// into the email field) in clear, and every key has the same short length.
fn digest(key: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn account_key(email: &str) -> String {
    digest(&email.trim().to_lowercase())
}

fn address_key(address: IpAddr) -> String {
    digest(&address.to_string())
}

fn window() -> chrono::Duration {
    chrono::Duration::from_std(WINDOW).unwrap_or(chrono::Duration::minutes(15))
}

/// `Err` (429 with the wait) when `key` has `limit` events in the window ending `now`.
async fn check(
    db: &impl ConnectionTrait,
    bucket: Bucket,
    key: &str,
    limit: u32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use rate_event::Column as C;
    let recent = || {
        rate_event::Entity::find()
            .filter(C::Bucket.eq(bucket.as_str()))
            .filter(C::Key.eq(key))
            .filter(C::CreatedAt.gt(now - window()))
    };
    if recent().count(db).await? < u64::from(limit.max(1)) {
        return Ok(());
    }
    let oldest = recent()
        .order_by_asc(C::CreatedAt)
        .one(db)
        .await?
        .map_or(now, |event| event.created_at);
    let wait = (oldest + window() - now).to_std().unwrap_or_default();
    Err(AppError::RateLimited {
        retry_after: wait.max(Duration::from_secs(1)),
    })
}

async fn record(
    db: &impl ConnectionTrait,
    bucket: Bucket,
    key: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let event = rate_event::ActiveModel {
        bucket: Set(bucket.as_str().to_owned()),
        key: Set(key.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    rate_event::Entity::insert(event)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

impl RateLimits {
    pub fn new(config: &Config) -> Self {
        Self {
            failures_per_account: config.login_failures_per_account,
            failures_per_address: config.login_failures_per_address,
            signups_per_address: config.signups_per_address,
        }
    }

    /// Before checking a password: 429 if the account or the address failed too often.
    pub async fn check_login(
        &self,
        db: &impl ConnectionTrait,
        address: IpAddr,
        email: &str,
    ) -> AppResult<()> {
        let now = super::now();
        let address = address_key(address);
        check(
            db,
            Bucket::LoginAddress,
            &address,
            self.failures_per_address,
            now,
        )
        .await?;
        check(
            db,
            Bucket::LoginAccount,
            &account_key(email),
            self.failures_per_account,
            now,
        )
        .await
    }

    pub async fn login_failed(
        &self,
        db: &impl ConnectionTrait,
        address: IpAddr,
        email: &str,
    ) -> AppResult<()> {
        let now = super::now();
        record(db, Bucket::LoginAddress, &address_key(address), now).await?;
        record(db, Bucket::LoginAccount, &account_key(email), now).await
    }

    pub async fn login_succeeded(&self, db: &impl ConnectionTrait, email: &str) -> AppResult<()> {
        use rate_event::Column as C;
        rate_event::Entity::delete_many()
            .filter(C::Bucket.eq(Bucket::LoginAccount.as_str()))
            .filter(C::Key.eq(account_key(email)))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Counts a sign-up attempt; 429 past the limit.
    pub async fn signup(&self, db: &impl ConnectionTrait, address: IpAddr) -> AppResult<()> {
        let now = super::now();
        let address = address_key(address);
        check(
            db,
            Bucket::SignupAddress,
            &address,
            self.signups_per_address,
            now,
        )
        .await?;
        record(db, Bucket::SignupAddress, &address, now).await
    }
}

impl RateLimits {
    /// Counts an emailed link (a reset, an invitation) for its recipient and its requester; 429
    /// past either limit. Counted whether or not the address has an account, so the answer says
    /// nothing about who has one.
    pub async fn emailed_link(
        &self,
        db: &impl ConnectionTrait,
        requester: Requester,
        recipient: &str,
    ) -> AppResult<()> {
        let now = super::now();
        let requester = match requester {
            Requester::Address(address) => address_key(address),
            Requester::User(id) => digest(&format!("user:{id}")),
        };
        let recipient = account_key(recipient);
        check(
            db,
            Bucket::LinkRequester,
            &requester,
            LINKS_PER_REQUESTER,
            now,
        )
        .await?;
        check(
            db,
            Bucket::LinkRecipient,
            &recipient,
            LINKS_PER_RECIPIENT,
            now,
        )
        .await?;
        record(db, Bucket::LinkRequester, &requester, now).await?;
        record(db, Bucket::LinkRecipient, &recipient, now).await
    }
}

/// Deletes events that left the window (run periodically to bound the table).
pub async fn forget_idle(db: &impl ConnectionTrait) -> AppResult<u64> {
    let deleted = rate_event::Entity::delete_many()
        .filter(rate_event::Column::CreatedAt.lte(super::now() - window()))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}
