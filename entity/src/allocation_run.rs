//! One run of a program's allocation: the team's pins and exclusions, and the result with an
//! explanation per applicant; confirmed at most once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "allocation_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub run_by: Option<i64>,
    #[sea_orm(column_type = "JsonBinary")]
    pub pins: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub exclusions: Json,
    /// The domain's `RunResult`.
    #[sea_orm(column_type = "JsonBinary")]
    pub result: Json,
    pub value: f64,
    pub confirmed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
