//! The bilingual taxonomy: categories, skills and cause areas with labels and synonyms.

use crate::{StringList, TaxonomyKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "taxonomy")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub kind: TaxonomyKind,
    pub parent: Option<String>,
    pub label_en: String,
    pub label_fr: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub synonyms_en: StringList,
    #[sea_orm(column_type = "JsonBinary")]
    pub synonyms_fr: StringList,
    #[sea_orm(column_type = "Text")]
    pub description_en: String,
    #[sea_orm(column_type = "Text")]
    pub description_fr: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
