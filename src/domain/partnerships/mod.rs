//! Partnerships: a member of one organization proposes a need and an offer to the other; the other
//! accepts or declines, the proposer may withdraw; an accepted partnership takes the units it
//! covers from each posting's quantity, becomes active, and ends completed (with an outcome
//! report) or cancelled (which gives the units back).
//!
//! Every step is a conditional update on the status it expects, written with its audit event in
//! one transaction, so two racing steps cannot both succeed and a refused step writes nothing.
//!
//! Here: the input types and the workflow's rules; `commands` changes partnerships, `reads`
//! lists and describes them, `messages` is their conversation, `interest` answers a posting
//! without a posting of one's own.

mod commands;
pub mod interest;
pub mod messages;
mod reads;

pub(crate) use commands::{Pending, record_proposal};
pub use commands::{expire_due, listed, propose, remind_due, set_publicity, transition};
pub use reads::{
    ContactWithheld, Direction, PartnershipFilter, PartnershipView, contact_withheld, describe,
    get, list, perspective,
};

use chrono::{DateTime, Utc};
use entity::{Outcome, PartnershipStatus, ReasonCode, partnership};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

pub use super::outcomes::IndicatorInput;
use super::schemas::{Message, Note, OutcomeText};
use super::types;
use crate::config::Config;
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, Parsed};

use PartnershipStatus as Status;

/// A proposal of a need and an offer, by a member of either organization to the other.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    pub need_id: i64,
    pub offer_id: i64,
    /// To the other organization: 1 to 2,000 characters.
    #[schema(value_type = Message)]
    pub message: String,
    /// How many of the postings' units the partnership covers, 1 to 100,000; by default as much
    /// of the need as the offer can give. A posting that one partnership fills gives or takes
    /// all it has.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100_000)]
    pub units: Option<i32>,
}

const MAX_NOTE: usize = 2_000;

impl ProposalInput {
    pub fn parse(self) -> AppResult<Proposal> {
        let mut errors = FieldErrors::default();
        let message = errors.check("message", types::text(&self.message, 1, MAX_NOTE));
        if let Some(units) = self.units
            && !(1..=100_000).contains(&units)
        {
            errors.add(
                "units",
                Invalid::OutOfRange.with([("min", json!(1)), ("max", json!(100_000))]),
            );
        }
        errors.finish()?;
        Ok(Proposal {
            need_id: self.need_id,
            offer_id: self.offer_id,
            message: FieldErrors::parsed(message)?,
            units: self.units,
            // A proposal made over the API is made by hand; proposals made from a match carry
            // the match's score and reasons.
            score: None,
            reasons: None,
        })
    }
}

/// An optional note with a step: why you decline, what to expect next, ...
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    /// Up to 2,000 characters; shown to the other organization.
    #[serde(default)]
    #[schema(value_type = Option<Note>)]
    pub note: Option<String>,
}

fn parse_note(
    errors: &mut FieldErrors,
    field: &str,
    note: Option<String>,
) -> Option<Option<String>> {
    match note.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(note) => errors
            .check(field, types::text(note, 1, MAX_NOTE))
            .map(Some),
    }
}

impl NoteInput {
    pub fn parse(self) -> AppResult<Option<String>> {
        let mut errors = FieldErrors::default();
        let note = parse_note(&mut errors, "note", self.note);
        errors.finish()?;
        FieldErrors::parsed(note)
    }
}

/// Why a proposal is declined or withdrawn, or a partnership cancelled: a common reason, and
/// words of one's own. Both optional; the other organization sees them.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// One of the common reasons.
    #[serde(default)]
    pub reason_code: Option<ReasonCode>,
    /// In your own words, up to 2,000 characters (`note` is read the same).
    #[serde(default, alias = "note")]
    #[schema(value_type = Option<Note>)]
    pub reason: Option<String>,
}

impl ReasonInput {
    pub fn parse(self) -> AppResult<(Option<String>, Option<ReasonCode>)> {
        let mut errors = FieldErrors::default();
        let text = parse_note(&mut errors, "reason", self.reason);
        errors.finish()?;
        Ok((FieldErrors::parsed(text)?, self.reason_code))
    }
}

/// The outcome report that completes a partnership.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// Hours given, 0 to 100,000 (fractions allowed).
    #[schema(minimum = 0, maximum = 100_000)]
    pub hours: f64,
    /// Value given in Canadian dollars, 0 to 100,000,000 (kept to the cent).
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub value_cad: f64,
    /// What was delivered: 1 to 5,000 characters.
    #[schema(value_type = OutcomeText)]
    pub delivered: String,
    /// Up to 10 measures, each with its baseline, target and value at completion: from the
    /// indicator list by code, or your own by name (distinct, case ignored). A program's
    /// partnership includes the indicators its program requires.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub indicators: Vec<IndicatorInput>,
}

/// Completing a partnership: the outcome report, and an optional note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    pub outcome: OutcomeInput,
    /// List the partnership, with its headline result, on both organizations' public pages,
    /// once the other organization agrees too. Default `false`.
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    #[schema(value_type = Option<Note>)]
    pub note: Option<String>,
}

fn check_amount(value: f64, max: f64) -> Parsed<f64> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok((value * 100.0).round() / 100.0)
    } else {
        Err(Invalid::OutOfRange.with([("min", json!(0)), ("max", json!(max))]))
    }
}

impl CompleteInput {
    pub fn parse(self) -> AppResult<(Outcome, Option<String>)> {
        let mut errors = FieldErrors::default();
        let input = self.outcome;
        let hours = errors.check("outcome.hours", check_amount(input.hours, 100_000.0));
        let value_cad = errors.check(
            "outcome.value_cad",
            check_amount(input.value_cad, 100_000_000.0),
        );
        let delivered = errors.check("outcome.delivered", types::text(&input.delivered, 1, 5_000));
        let indicators =
            super::outcomes::parse_indicators("outcome.indicators", input.indicators, &mut errors);
        let note = parse_note(&mut errors, "note", self.note);
        errors.finish()?;
        let outcome = Outcome {
            hours: FieldErrors::parsed(hours)?,
            value_cad: FieldErrors::parsed(value_cad)?,
            delivered: FieldErrors::parsed(delivered)?,
            indicators,
        };
        Ok((outcome, FieldErrors::parsed(note)?))
    }
}

/// A parsed proposal.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub need_id: i64,
    pub offer_id: i64,
    pub message: String,
    /// How many units it covers (`None`: as much of the need as the offer can give).
    pub units: Option<i32>,
    /// The match score of the pair when the proposal comes from the matching module; a proposal
    /// made by hand has none. Stored as it was at proposal time.
    pub score: Option<f64>,
    /// The reasons the matching module gave with that score.
    pub reasons: Option<serde_json::Value>,
}

/// The configured limits on proposals.
#[derive(Debug, Clone, Copy)]
pub struct ProposalRules {
    /// Proposals a posting may have waiting for an answer.
    pub max_pending: u32,
    /// Days a proposal waits for an answer before it expires.
    pub expiry_days: u32,
}

impl From<&Config> for ProposalRules {
    fn from(config: &Config) -> Self {
        Self {
            max_pending: config.max_pending_proposals,
            expiry_days: config.proposal_expiry_days,
        }
    }
}

/// A step of the workflow, with what it carries.
#[derive(Debug, Clone)]
pub enum Step {
    Accept {
        note: Option<String>,
    },
    Decline {
        note: Option<String>,
        reason: Option<ReasonCode>,
    },
    Withdraw {
        note: Option<String>,
        reason: Option<ReasonCode>,
    },
    Start {
        note: Option<String>,
    },
    Complete {
        outcome: Outcome,
        note: Option<String>,
        /// The need's organization agrees to list the partnership on both public pages (shown
        /// once the offer's organization agrees too).
        public: bool,
    },
    Cancel {
        note: Option<String>,
        reason: Option<ReasonCode>,
    },
}

/// Which organization may take a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    /// The organization that received the proposal.
    Receiver,
    /// The organization that made it.
    Proposer,
    /// The organization that published the need: it reports the outcome.
    NeedSide,
    Either,
}

/// A step of the workflow without what it carries: what the API and the pages offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Accept,
    Decline,
    Withdraw,
    Start,
    Complete,
    Cancel,
}

impl StepKind {
    pub const ALL: [StepKind; 6] = [
        Self::Accept,
        Self::Decline,
        Self::Withdraw,
        Self::Start,
        Self::Complete,
        Self::Cancel,
    ];

    /// The verb of the audit action, `partnership.<verb>`, and of the API's step route.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Withdraw => "withdraw",
            Self::Start => "start",
            Self::Complete => "complete",
            Self::Cancel => "cancel",
        }
    }

    fn target(self) -> Status {
        match self {
            Self::Accept => Status::Accepted,
            Self::Decline => Status::Declined,
            Self::Withdraw => Status::Withdrawn,
            Self::Start => Status::Active,
            Self::Complete => Status::Completed,
            Self::Cancel => Status::Cancelled,
        }
    }

    /// The statuses this step may leave.
    fn from(self) -> &'static [Status] {
        match self {
            Self::Accept | Self::Decline | Self::Withdraw => &[Status::Proposed],
            Self::Start => &[Status::Accepted],
            Self::Complete | Self::Cancel => &[Status::Accepted, Status::Active],
        }
    }

    fn actor(self) -> Actor {
        match self {
            Self::Accept | Self::Decline => Actor::Receiver,
            Self::Withdraw => Actor::Proposer,
            Self::Complete => Actor::NeedSide,
            Self::Start | Self::Cancel => Actor::Either,
        }
    }
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Self::Accept { .. } => StepKind::Accept,
            Self::Decline { .. } => StepKind::Decline,
            Self::Withdraw { .. } => StepKind::Withdraw,
            Self::Start { .. } => StepKind::Start,
            Self::Complete { .. } => StepKind::Complete,
            Self::Cancel { .. } => StepKind::Cancel,
        }
    }

    fn note(&self) -> Option<&str> {
        match self {
            Self::Accept { note }
            | Self::Decline { note, .. }
            | Self::Withdraw { note, .. }
            | Self::Start { note }
            | Self::Complete { note, .. }
            | Self::Cancel { note, .. } => note.as_deref(),
        }
    }

    /// The common reason picked for a refusal or an end, if any.
    pub fn reason(&self) -> Option<ReasonCode> {
        match self {
            Self::Decline { reason, .. }
            | Self::Withdraw { reason, .. }
            | Self::Cancel { reason, .. } => *reason,
            _ => None,
        }
    }
}

/// Whether each side sees the other's contact details: once both have said yes, and for as long
/// as they work together or look back on the work done.
pub fn shares_contact(status: Status) -> bool {
    matches!(
        status,
        Status::Accepted | Status::Active | Status::Completed
    )
}

/// A proposal still waiting for its answer: proposed and not past its expiry, even if the expiry
/// task has not marked it yet.
fn is_pending(p: &partnership::Model, now: DateTime<Utc>) -> bool {
    p.status == Status::Proposed && p.expires_at > now
}

fn not_found(id: i64) -> AppError {
    AppError::new(
        ErrorCode::PartnershipNotFound,
        format!("There is no partnership {id} involving your organizations."),
    )
}

fn forbidden(detail: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::Forbidden, detail)
}

/// Loads a partnership for one of the caller's organizations; others get a 404.
async fn load_for(
    db: &impl ConnectionTrait,
    my_orgs: &[i64],
    id: i64,
) -> AppResult<partnership::Model> {
    partnership::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| my_orgs.contains(&p.need_org_id) || my_orgs.contains(&p.offer_org_id))
        .ok_or_else(|| not_found(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(outcome: serde_json::Value) -> AppResult<(Outcome, Option<String>)> {
        serde_json::from_slice::<CompleteInput>(
            serde_json::json!({ "outcome": outcome })
                .to_string()
                .as_bytes(),
        )
        .expect("the test's JSON reads")
        .parse()
    }

    fn fields(result: AppResult<(Outcome, Option<String>)>) -> Vec<String> {
        match result {
            Err(crate::error::AppError::Validation(errors)) => {
                errors.fields().map(|(f, _)| f.to_owned()).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn outcome_reports_are_checked_field_by_field() {
        let (outcome, note) = complete(serde_json::json!({
            "hours": 12.5, "value_cad": 1999.999, "delivered": " Four sessions ",
            "indicators": [{ "name": "Staff trained", "before": 0, "after": 8 },
                           { "name": "Password manager", "before": "none", "after": "all staff" }]
        }))
        .unwrap();
        assert_eq!(outcome.value_cad, 2000.0);
        assert_eq!(outcome.delivered, "Four sessions");
        assert_eq!(
            outcome.indicators[1].after,
            entity::IndicatorValue::Text("all staff".into())
        );
        assert_eq!(note, None);

        let bad = complete(serde_json::json!({
            "hours": -1, "value_cad": 1e9, "delivered": "  ",
            "indicators": [{ "name": "A", "before": 1, "after": "" },
                           { "name": "a", "before": 1, "after": 2 }]
        }));
        assert_eq!(
            fields(bad),
            [
                "outcome.delivered",
                "outcome.hours",
                "outcome.indicators[0].after",
                "outcome.indicators[1].name",
                "outcome.value_cad"
            ]
        );
        let many: Vec<_> = (0..11)
            .map(|i| serde_json::json!({ "name": format!("m{i}"), "before": 0, "after": 1 }))
            .collect();
        let too_many = complete(serde_json::json!({
            "hours": 1, "value_cad": 0, "delivered": "x", "indicators": many
        }));
        assert_eq!(fields(too_many), ["outcome.indicators"]);
        let wrong_type = complete(serde_json::json!({
            "hours": 1, "value_cad": 0, "delivered": "x",
            "indicators": [{ "name": "m", "before": true, "after": 1 }]
        }));
        assert_eq!(fields(wrong_type), ["outcome.indicators[0].before"]);
    }

    fn step(status: Status) -> Vec<&'static str> {
        let outcome = Outcome {
            hours: 1.0,
            value_cad: 0.0,
            delivered: "x".into(),
            indicators: vec![],
        };
        [
            Step::Accept { note: None },
            Step::Decline {
                note: None,
                reason: None,
            },
            Step::Withdraw {
                note: None,
                reason: None,
            },
            Step::Start { note: None },
            Step::Complete {
                outcome,
                note: None,
                public: false,
            },
            Step::Cancel {
                note: None,
                reason: None,
            },
        ]
        .into_iter()
        .filter(|s| s.kind().from().contains(&status))
        .map(|s| s.kind().as_str())
        .collect()
    }

    #[test]
    fn each_status_allows_exactly_its_steps() {
        assert_eq!(step(Status::Proposed), ["accept", "decline", "withdraw"]);
        assert_eq!(step(Status::Accepted), ["start", "complete", "cancel"]);
        assert_eq!(step(Status::Active), ["complete", "cancel"]);
        for end in [
            Status::Declined,
            Status::Withdrawn,
            Status::Expired,
            Status::Completed,
            Status::Cancelled,
        ] {
            assert!(step(end).is_empty(), "{end} is final");
        }
    }

    #[test]
    fn contact_is_shared_only_once_both_said_yes() {
        let shared: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| shares_contact(*s))
            .collect();
        assert_eq!(
            shared,
            [Status::Accepted, Status::Active, Status::Completed]
        );
    }
}
