//! An organization's application to a program: the components it asks for, its answers, and
//! the decision once an allocation is confirmed. Seen by the applicant and the program's team.

use crate::ApplicationStatus;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "program_application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    pub status: ApplicationStatus,
    #[sea_orm(column_type = "JsonBinary")]
    pub requests: Requests,
    /// Answers to the program's questions, in their order.
    #[sea_orm(column_type = "JsonBinary")]
    pub answers: crate::StringList,
    /// The declared priority groups the organization says it belongs to.
    #[sea_orm(column_type = "JsonBinary")]
    pub groups: crate::StringList,
    /// The most units the organization takes in all.
    pub max_units: Option<i32>,
    /// All its components or none (a bundle).
    pub all_or_nothing: bool,
    /// What the confirmed allocation gave and why (the domain's `Decision`).
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub decision: Option<Json>,
    pub created_by: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Units of one component asked for, and the need of the organization they meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComponentRequest {
    pub component_id: i64,
    pub units: i32,
    #[serde(default)]
    pub need_id: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Requests(pub Vec<ComponentRequest>);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
