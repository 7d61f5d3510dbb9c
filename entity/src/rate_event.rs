//! One sign-in failure or sign-up attempt: what the rate limits count, per bucket and key (an
//! account's email or a client address), within a sliding window.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `login_account`, `login_address` or `signup_address`.
    pub bucket: String,
    pub key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
