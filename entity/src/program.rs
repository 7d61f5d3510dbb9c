//! A program: a lead organization and partners from other sectors serve a cohort of
//! organizations through components, allocated from the applications of its call.

use crate::{Eligibility, Language, StringList};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "program")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_org_id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// The language of `title` and `description`.
    pub language: Language,
    /// The title and description in the other of English and French, when the program gives them.
    #[sea_orm(column_type = "Text", nullable)]
    pub translated_title: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub translated_description: Option<String>,
    /// The call for applications: from `opens_at` until `closes_at`.
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    #[sea_orm(column_type = "JsonBinary")]
    pub eligibility: Eligibility,
    /// Size bands that may apply (empty: any size).
    #[sea_orm(column_type = "JsonBinary")]
    pub sizes: StringList,
    #[sea_orm(column_type = "JsonBinary")]
    pub priority_groups: PriorityGroups,
    /// The questions every application answers.
    #[sea_orm(column_type = "JsonBinary")]
    pub questions: StringList,
    #[sea_orm(column_type = "JsonBinary")]
    pub milestones: Milestones,
    /// Codes of the indicator list every partnership of the cohort reports in its outcome.
    #[sea_orm(column_type = "JsonBinary")]
    pub indicators: StringList,
    /// Each further unit of one component to one organization is worth this share of the one
    /// before; the fairness cost grows by this much with each unit one organization receives.
    pub diminishing: f64,
    pub fairness: f64,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl Model {
    /// The title and description a reader of `language` reads: the translation when the program
    /// gives one in that language, the original otherwise.
    pub fn text_in(&self, language: Language) -> (&str, &str) {
        match (&self.translated_title, &self.translated_description) {
            (Some(title), Some(description)) if language != self.language => (title, description),
            _ => (&self.title, &self.description),
        }
    }
}

/// A group of organizations the program favours, with the weight added to their units' value.
/// It takes in the organizations whose profile matches one of its lists, or, when all its lists
/// are empty, those that say in their application that they belong to it (rural, Indigenous-led).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PriorityGroup {
    /// Short code, e.g. `rural`.
    pub code: String,
    /// The group's name, as applicants read it.
    pub name: String,
    pub weight: f64,
    #[serde(default)]
    pub sizes: Vec<crate::SizeBand>,
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub cause_areas: Vec<String>,
    #[serde(default)]
    pub languages: Vec<Language>,
    /// At least this share of all the units given goes to the group's members (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_share: Option<f64>,
}

impl PriorityGroup {
    /// Whether applicants say they belong (no list to match their profile against).
    pub fn declared(&self) -> bool {
        self.sizes.is_empty()
            && self.provinces.is_empty()
            && self.cause_areas.is_empty()
            && self.languages.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct PriorityGroups(pub Vec<PriorityGroup>);

/// A dated step of the program (an information session, the end of the training).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Milestone {
    pub title: String,
    pub on: chrono::NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Milestones(pub Vec<Milestone>);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
