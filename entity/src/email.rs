//! The email outbox: one message to send, written in the transaction of the change that causes it
//! (nothing is sent for a change that rolled back, nothing is lost in a crash). The sender claims
//! due rows, renders them in the recipient's language, delivers, and records the result; a failure
//! is retried later, with a growing delay, until it is given up on.

use crate::EmailStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The recipient's account, when there is one (an invitation may go to a stranger).
    pub user_id: Option<i64>,
    pub to_address: String,
    /// `notification`, `digest`, ...: which template renders `payload`.
    pub kind: String,
    pub payload: Json,
    pub status: EmailStatus,
    /// Delivery attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due.
    pub next_attempt_at: DateTimeUtc,
    /// A sender holds the row until then; after it, another may take it over.
    pub claimed_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// The `Message-ID` header of the message, set when it is first rendered.
    pub message_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
