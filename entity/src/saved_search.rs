//! A search someone saved: once a day, its new results are reported to them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_search")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The search page's query string (`q=laptops&province=QC`).
    pub query: String,
    /// The results already reported, as `kind:id` (a JSON list).
    pub seen: Json,
    pub created_at: DateTimeUtc,
    pub checked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
