//! The domain's event stream: one row per change, written in the same transaction as the change.
//! The search index tails it (per process, its watermark in the index); other followers keep
//! their position in `stream_cursor`. Rows are pruned after a retention period.

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
    /// What happened: `posting.create`, `partnership.accept`, ...
    pub action: String,
    /// Who did it; `None` for Passerelle itself (expiry, the demo loader).
    pub actor_user_id: Option<i64>,
    pub detail: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
