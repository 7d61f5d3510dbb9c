//! A partnership: a need and an offer brought together, from the proposal to the reported outcome.

use crate::{PartnershipStatus, ReasonCode};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "partnership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub offer_id: i64,
    /// The need's organization, copied so access checks and lists need no join.
    pub need_org_id: i64,
    /// The offer's organization.
    pub offer_org_id: i64,
    /// Which of the two organizations proposed: the other one answers.
    pub proposer_org_id: i64,
    /// `None` once the proposing account is gone.
    pub proposer_user_id: Option<i64>,
    /// Who accepted or declined.
    pub responder_user_id: Option<i64>,
    pub status: PartnershipStatus,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    /// The match score at proposal time, when the proposal came from the matching module.
    pub score: Option<f64>,
    /// The reasons given with that score.
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub reasons: Option<Json>,
    /// The note given with the acceptance or the refusal.
    #[sea_orm(column_type = "Text", nullable)]
    pub response_note: Option<String>,
    /// The note given when the proposal was withdrawn or the partnership cancelled.
    #[sea_orm(column_type = "Text", nullable)]
    pub closing_note: Option<String>,
    /// The common reason picked when declining, withdrawing or cancelling, if any.
    pub reason_code: Option<ReasonCode>,
    /// What the partnership achieved, reported at completion.
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub outcome: Option<Outcome>,
    /// An unanswered proposal expires at this instant.
    pub expires_at: DateTimeUtc,
    /// Reminders sent to the receiver of a waiting proposal: 1 at halfway to expiry, 2 two days
    /// before it.
    pub reminders_sent: i32,
    pub responded_at: Option<DateTimeUtc>,
    pub started_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    /// How many of the postings' units the proposal asks for.
    pub units: i32,
    /// The units taken from the need and from the offer at acceptance (all of a posting that one
    /// partnership fills); given back if the partnership is cancelled.
    pub need_units: Option<i32>,
    pub offer_units: Option<i32>,
    /// Each side's consent to list the completed partnership on the organizations' public
    /// pages; listed only when both agreed.
    pub need_public: bool,
    pub offer_public: bool,
    /// The program and component a confirmed allocation made it for.
    pub program_id: Option<i64>,
    pub component_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// The report that completes a partnership, filled in by the nonprofit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, FromJsonQueryResult, ToSchema)]
pub struct Outcome {
    /// Hours of work or training given.
    pub hours: f64,
    /// Value of what was given, in Canadian dollars.
    pub value_cad: f64,
    /// What was delivered, in the nonprofit's words.
    pub delivered: String,
    /// Before and after measures the nonprofit chose (at most 10).
    pub indicators: Vec<Indicator>,
}

/// One measure of change, such as "staff who can spot a phishing email": 2 before, 11 after,
/// with 10 as the target. An indicator from Passerelle's list carries its `code` and unit; the
/// organization's own carries a name and, if it gives one, a unit of its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Indicator {
    /// The name: the list's English name for an indicator from the list.
    pub name: String,
    /// Its code in Passerelle's indicator list (`GET /api/v1/indicators`), if it comes from it.
    #[serde(default)]
    pub code: Option<String>,
    /// Its unit: a unit code of the list (`people`, `percent`, ...) or the organization's words.
    #[serde(default)]
    pub unit: Option<String>,
    /// The baseline, before the partnership.
    pub before: IndicatorValue,
    /// The value aimed for, when one was set.
    #[serde(default)]
    pub target: Option<IndicatorValue>,
    /// The value at completion.
    pub after: IndicatorValue,
}

impl Indicator {
    /// What follow-ups name it by: its code from the list, or its name.
    pub fn key(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.name)
    }
}

/// A number, or a short text when the measure is not a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum IndicatorValue {
    Number(f64),
    Text(String),
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::posting::Entity",
        from = "Column::NeedId",
        to = "super::posting::Column::Id",
        on_delete = "Cascade"
    )]
    Need,
    #[sea_orm(
        belongs_to = "super::posting::Entity",
        from = "Column::OfferId",
        to = "super::posting::Column::Id",
        on_delete = "Cascade"
    )]
    Offer,
}

impl ActiveModelBehavior for ActiveModel {}
