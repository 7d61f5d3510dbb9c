//! A candidate already suggested for an open posting by the daily round: never suggested twice.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_suggestion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub posting_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
