//! Who did what to which record, and when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `None` for changes made by Passerelle itself (expiry, demo loading).
    pub actor_user_id: Option<i64>,
    /// A dotted verb such as `posting.update`.
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    #[sea_orm(column_type = "JsonBinary")]
    pub detail: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
