//! An organization: a nonprofit, company, foundation, agency... that publishes needs and offers.

use crate::{OrgKind, SizeBand, StringList, Verification};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub website: Option<String>,
    pub province: String,
    pub city: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    pub languages: StringList,
    #[sea_orm(column_type = "JsonBinary")]
    pub cause_areas: StringList,
    pub size: Option<SizeBand>,
    pub charity_number: Option<String>,
    pub verification: Verification,
    pub verified_at: Option<DateTimeUtc>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::posting::Entity")]
    Posting,
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
}

impl Related<super::posting::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Posting.def()
    }
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
