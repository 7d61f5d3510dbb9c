//! A follow-up of a completed partnership's outcome, 3 or 12 months after completion: when it is
//! due, when its reminder went out, and the indicator values the nonprofit reported then.

use crate::{FollowUpDue, IndicatorValue};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub partnership_id: i64,
    pub due: FollowUpDue,
    pub due_at: DateTimeUtc,
    /// Empty until reported.
    #[sea_orm(column_type = "JsonBinary")]
    pub values: FollowUpValues,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub reported_by: Option<i64>,
    pub reminded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

/// One indicator's value at the follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FollowUpValue {
    /// The indicator's key: its code from the indicator list, or its name.
    pub key: String,
    pub value: IndicatorValue,
}

/// The values reported, in the order of the outcome's indicators (those measured).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct FollowUpValues(pub Vec<FollowUpValue>);

impl FollowUpValues {
    pub fn get(&self, key: &str) -> Option<&IndicatorValue> {
        self.0.iter().find(|v| v.key == key).map(|v| &v.value)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::partnership::Entity",
        from = "Column::PartnershipId",
        to = "super::partnership::Column::Id",
        on_delete = "Cascade"
    )]
    Partnership,
}

impl Related<super::partnership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partnership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
