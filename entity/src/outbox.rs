//! The change log: one row per write to a searchable record, in the same transaction as the write.
//! The search index tails it.

use crate::{OutboxEntity, OutboxOp};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity: OutboxEntity,
    pub entity_id: i64,
    pub op: OutboxOp,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
