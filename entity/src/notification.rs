//! One thing a person is told: a proposal received, an answer, a message, a decision. Shown by the
//! bell and the notifications page; emailed at once, in the day's digest, or not, as the person
//! chose for its topic.

use crate::{EmailState, NotificationKind, Topic};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The recipient.
    pub user_id: i64,
    pub kind: NotificationKind,
    /// The preference it falls under.
    pub topic: Topic,
    /// What it is about: `partnership`, `organization`, ...
    pub subject: String,
    pub subject_id: i64,
    /// Who caused it; `None` for Passerelle itself (an expiry, a reminder).
    pub actor_user_id: Option<i64>,
    /// What the message needs, captured when it happened: titles, names, the reason given.
    pub detail: Json,
    pub email: EmailState,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::UserId",
        to = "super::app_user::Column::Id",
        on_delete = "Cascade"
    )]
    AppUser,
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AppUser.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
