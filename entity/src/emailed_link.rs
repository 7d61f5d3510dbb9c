//! A single-use link sent by email: a password reset, an address to confirm, or an invitation to
//! join an organization. Only the SHA-256 of its secret is stored.

use crate::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "emailed_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `password_reset`, `confirm_email` or `invitation`.
    pub kind: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The account it is for (an invitation may go to someone without one).
    pub user_id: Option<i64>,
    /// The address it was sent to (for a change of address, the new one).
    pub email: String,
    /// An invitation's organization and role.
    pub organization_id: Option<i64>,
    pub role: Option<Role>,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
