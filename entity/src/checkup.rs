//! A digital check-up an organization took: its answers to the question bank (question code to
//! level 1–5), the profile per dimension they gave at the time, and the suggested needs it
//! published from it (suggestion code to the need's id).

use std::collections::BTreeMap;

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "checkup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub taken_by: Option<i64>,
    #[sea_orm(column_type = "JsonBinary")]
    pub answers: Answers,
    #[sea_orm(column_type = "JsonBinary")]
    pub profile: Profile,
    #[sea_orm(column_type = "JsonBinary")]
    pub published: Published,
    pub created_at: DateTimeUtc,
}

/// Question code to the level chosen (1 to 5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Answers(pub BTreeMap<String, u8>);

/// One dimension of the profile: the mean of its answers on a scale of 0 to 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DimensionScore {
    pub dimension: String,
    /// 0 when every answer is level 1, 100 when every answer is level 5.
    pub score: u8,
}

/// The dimensions in the bank's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Profile(pub Vec<DimensionScore>);

/// Suggestion code to the id of the need published from it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Published(pub BTreeMap<String, i64>);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
