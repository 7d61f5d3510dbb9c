//! A report that a posting or an organization breaks the rules, filed by someone signed in and
//! handled by an administrator.

use crate::{ReportStatus, ReportTarget};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `None` once the reporter deleted their account.
    pub reporter_user_id: Option<i64>,
    pub target: ReportTarget,
    pub target_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub status: ReportStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub resolution_note: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
