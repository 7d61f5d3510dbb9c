//! A need or an offer published by one organization.

use crate::{Eligibility, Language, PostingKind, PostingStatus, StringList};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub kind: PostingKind,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub language: Language,
    pub category: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub skills: StringList,
    pub province: Option<String>,
    pub remote: bool,
    /// How many are asked or given (what is left, once partnerships took their share).
    pub quantity: i32,
    /// What the quantity counts.
    pub unit: crate::PostingUnit,
    /// One partnership takes all of it (a need one partner meets, an offer for one organization).
    pub filled_by_one: bool,
    pub value_cad: Option<i64>,
    pub hours: Option<i32>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub expires_at: Option<DateTimeUtc>,
    pub status: PostingStatus,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub eligibility: Option<Eligibility>,
    /// Why an administrator hid it (its owner sees this): a common reason and words; both `None`
    /// while it is not hidden.
    pub hidden_code: Option<crate::ModerationReason>,
    #[sea_orm(column_type = "Text", nullable)]
    pub hidden_reason: Option<String>,
    pub hidden_at: Option<DateTimeUtc>,
    /// What its owner said when closing it, for the organizations it was talking to.
    #[sea_orm(column_type = "Text", nullable)]
    pub closing_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
