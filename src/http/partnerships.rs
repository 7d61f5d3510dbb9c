//! `/partnerships`: proposals between a need and an offer, their answers, and the life of an
//! accepted partnership up to its outcome report.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderName, StatusCode};
use chrono::{DateTime, Utc};
use entity::{
    Indicator, IndicatorValue, OrgKind, Outcome, PartnershipStatus, PostingKind, PostingStatus,
    Verification, posting,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::partnerships::{
    self, Direction, PartnershipFilter, PartnershipView, Proposal, ProposalRules, Step,
};
use crate::domain::types::{self, cursor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::matching;
use crate::state::AppState;
use crate::state::{
    AcceptLanguage, CurrentUser, Json, OptionalJson, PathId, Query, invalid_parameter,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_partnerships, create_partnership))
        .routes(routes!(get_partnership))
        .routes(routes!(accept_partnership))
        .routes(routes!(decline_partnership))
        .routes(routes!(withdraw_partnership))
        .routes(routes!(start_partnership))
        .routes(routes!(complete_partnership))
        .routes(routes!(cancel_partnership))
}

/// A proposal of a need and an offer, by a member of either organization to the other.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    pub need_id: i64,
    pub offer_id: i64,
    /// To the other organization: 1 to 2,000 characters.
    pub message: String,
}

const MAX_NOTE: usize = 2_000;

impl ProposalInput {
    fn parse(self) -> AppResult<Proposal> {
        let mut errors = FieldErrors::default();
        let message = errors.check("message", types::text(&self.message, 1, MAX_NOTE));
        errors.finish()?;
        Ok(Proposal {
            need_id: self.need_id,
            offer_id: self.offer_id,
            message: FieldErrors::parsed(message)?,
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
    pub note: Option<String>,
}

fn parse_note(errors: &mut FieldErrors, note: Option<String>) -> Option<Option<String>> {
    match note.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(note) => errors
            .check("note", types::text(note, 1, MAX_NOTE))
            .map(Some),
    }
}

impl NoteInput {
    fn parse(self) -> AppResult<Option<String>> {
        let mut errors = FieldErrors::default();
        let note = parse_note(&mut errors, self.note);
        errors.finish()?;
        FieldErrors::parsed(note)
    }
}

/// The outcome report that completes a partnership.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// Hours given, 0 to 100,000 (fractions allowed).
    pub hours: f64,
    /// Value given in Canadian dollars, 0 to 100,000,000 (kept to the cent).
    pub value_cad: f64,
    /// What was delivered: 1 to 5,000 characters.
    pub delivered: String,
    /// Up to 10 before/after measures with distinct names.
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// A before/after measure; each value is a number or a short text (up to 100 characters).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    /// 1 to 100 characters, e.g. "Staff who can spot a phishing email".
    pub name: String,
    #[schema(value_type = IndicatorValue)]
    pub before: serde_json::Value,
    #[schema(value_type = IndicatorValue)]
    pub after: serde_json::Value,
}

/// Completing a partnership: the outcome report, and an optional note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    pub outcome: OutcomeInput,
    #[serde(default)]
    pub note: Option<String>,
}

const MAX_INDICATORS: usize = 10;

fn check_amount(value: f64, max: f64) -> Result<f64, String> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok((value * 100.0).round() / 100.0)
    } else {
        Err(format!("must be between 0 and {max}"))
    }
}

fn check_indicator_value(value: serde_json::Value) -> Result<IndicatorValue, String> {
    match value {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(n) if n.abs() <= 1e12 => Ok(IndicatorValue::Number(n)),
            _ => Err("must be a number of at most 12 digits".into()),
        },
        serde_json::Value::String(text) => types::line(&text, 1, 100).map(IndicatorValue::Text),
        _ => Err("must be a number or a short text".into()),
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
        if input.indicators.len() > MAX_INDICATORS {
            errors.add(
                "outcome.indicators",
                format!("at most {MAX_INDICATORS} indicators"),
            );
        }
        let mut indicators = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (i, indicator) in input.indicators.into_iter().enumerate() {
            let field = |name: &str| format!("outcome.indicators[{i}].{name}");
            let name = errors.check(&field("name"), types::line(&indicator.name, 1, 100));
            if let Some(name) = &name {
                if names.contains(&name.to_lowercase()) {
                    errors.add(field("name"), "is already the name of another indicator");
                }
                names.push(name.to_lowercase());
            }
            let before = errors.check(&field("before"), check_indicator_value(indicator.before));
            let after = errors.check(&field("after"), check_indicator_value(indicator.after));
            if let (Some(name), Some(before), Some(after)) = (name, before, after) {
                indicators.push(Indicator {
                    name,
                    before,
                    after,
                });
            }
        }
        let note = parse_note(&mut errors, self.note);
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

/// A posting as a partnership shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingSummary {
    pub id: i64,
    pub organization_id: i64,
    pub title: String,
    pub status: PostingStatus,
    /// What is left: units wanted (needs) or capacity (offers).
    pub quantity: i32,
}

impl From<posting::Model> for PostingSummary {
    fn from(p: posting::Model) -> Self {
        Self {
            id: p.id,
            organization_id: p.organization_id,
            title: p.title,
            status: p.status,
            quantity: p.quantity,
        }
    }
}

/// How to reach the other organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Who spoke for the organization in this partnership: the proposer or who accepted.
    pub person: Option<ContactPerson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPerson {
    pub name: String,
    pub email: String,
}

/// The other organization of the partnership.
#[derive(Debug, Serialize, ToSchema)]
pub struct Counterpart {
    pub organization_id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub verified: bool,
    /// Only once both sides said yes (`accepted`, `active`, `completed`); `null` before, and
    /// after a refusal, withdrawal, expiry or cancellation.
    pub contact: Option<Contact>,
}

/// Whether your organization made the proposal or received it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnershipRole {
    Sent,
    Received,
}

/// A partnership as one of its two organizations sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipResponse {
    pub id: i64,
    pub status: PartnershipStatus,
    /// Your organization's side: `need` or `offer`.
    pub side: PostingKind,
    pub role: PartnershipRole,
    pub need: PostingSummary,
    pub offer: PostingSummary,
    pub proposer_organization_id: i64,
    pub counterpart: Counterpart,
    pub message: String,
    /// The match score when the proposal came from a match.
    pub score: Option<f64>,
    /// The reasons given with the score.
    #[schema(value_type = Option<Object>)]
    pub reasons: Option<serde_json::Value>,
    /// The note given with the acceptance or refusal.
    pub response_note: Option<String>,
    /// The note given with a withdrawal or cancellation.
    pub closing_note: Option<String>,
    /// The outcome report, once completed.
    pub outcome: Option<Outcome>,
    /// An unanswered proposal expires at this instant.
    pub expires_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PartnershipView> for PartnershipResponse {
    fn from(view: PartnershipView) -> Self {
        let role = if view.sent() {
            PartnershipRole::Sent
        } else {
            PartnershipRole::Received
        };
        let contact = view.shares_contact().then(|| Contact {
            email: view.counterpart.contact_email.clone(),
            phone: view.counterpart.contact_phone.clone(),
            website: view.counterpart.website.clone(),
            person: view.counterpart_person.map(|user| ContactPerson {
                name: user.display_name,
                email: user.email,
            }),
        });
        let p = view.partnership;
        Self {
            id: p.id,
            status: p.status,
            side: view.side,
            role,
            need: view.need.into(),
            offer: view.offer.into(),
            proposer_organization_id: p.proposer_org_id,
            counterpart: Counterpart {
                organization_id: view.counterpart.id,
                name: view.counterpart.name,
                kind: view.counterpart.kind,
                verified: view.counterpart.verification == Verification::Verified,
                contact,
            },
            message: p.message,
            score: p.score,
            reasons: p.reasons,
            response_note: p.response_note,
            closing_note: p.closing_note,
            outcome: p.outcome,
            expires_at: p.expires_at,
            responded_at: p.responded_at,
            started_at: p.started_at,
            completed_at: p.completed_at,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipPage {
    pub items: Vec<PartnershipResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Which partnerships to list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleFilter {
    /// Proposed by your organizations.
    Sent,
    /// Proposed to your organizations.
    Received,
    All,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PartnershipQuery {
    /// `sent`, `received` or `all` (default).
    #[param(inline)]
    pub role: Option<RoleFilter>,
    pub status: Option<PartnershipStatus>,
    /// One of your organizations; default all of them.
    pub organization_id: Option<i64>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One partnership as the caller's organizations see it.
async fn respond(
    state: &AppState,
    user_id: i64,
    partnership: entity::partnership::Model,
) -> AppResult<PartnershipResponse> {
    let orgs = partnerships::perspective(&state.db, user_id, None).await?;
    let view = partnerships::describe(&state.db, &orgs, vec![partnership])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("a described partnership vanished"))?;
    Ok(view.into())
}

/// List your organizations' partnerships
#[utoipa::path(get, path = "/partnerships", tag = "partnerships", params(PartnershipQuery),
    description = "Newest first: the proposals your organizations sent (`role=sent`), received \
        (`role=received`), or both.",
    responses((status = 200, body = PartnershipPage),
        (status = 403, description = "forbidden: not a member of organization_id")),
    security(("bearer" = [])))]
pub async fn list_partnerships(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Query(query): Query<PartnershipQuery>,
) -> AppResult<Json<PartnershipPage>> {
    let filter = PartnershipFilter {
        direction: match query.role {
            Some(RoleFilter::Sent) => Direction::Sent,
            Some(RoleFilter::Received) => Direction::Received,
            Some(RoleFilter::All) | None => Direction::All,
        },
        status: query.status,
        organization_id: query.organization_id,
        after: query
            .cursor
            .as_deref()
            .map(cursor::decode)
            .transpose()
            .map_err(|e| invalid_parameter("cursor", e))?,
        limit: types::page_limit(query.limit).map_err(|e| invalid_parameter("limit", e))?,
    };
    let orgs = partnerships::perspective(&state.db, caller.user.id, filter.organization_id).await?;
    let page = partnerships::list(&state.db, &orgs, &filter).await?;
    let views = partnerships::describe(&state.db, &orgs, page.items).await?;
    Ok(Json(PartnershipPage {
        items: views.into_iter().map(PartnershipResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// A created partnership with its `Location`.
type Created = (
    StatusCode,
    [(HeaderName, String); 1],
    Json<PartnershipResponse>,
);

/// Propose a partnership
#[utoipa::path(post, path = "/partnerships", tag = "partnerships", request_body = ProposalInput,
    description = "By a member of the need's or the offer's organization, to the other one. Both \
        postings must be open. The proposal expires if unanswered for `proposal_expiry_days`; a \
        posting takes at most `max_pending_proposals` proposals waiting for an answer.",
    responses((status = 201, body = PartnershipResponse),
        (status = 403, description = "forbidden: not a member of either organization"),
        (status = 409, description = "partnership_exists, too_many_pending_proposals, \
            posting_not_open or capacity_exhausted"),
        (status = 422, description = "validation_failed: see `errors`")),
    security(("bearer" = [])))]
pub async fn create_partnership(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    accept: AcceptLanguage,
    Json(input): Json<ProposalInput>,
) -> AppResult<Created> {
    let mut proposal = input.parse()?;
    // The pair as matching sees it: its score and reasons go with the proposal; a pair the
    // offer's eligibility rules exclude cannot be proposed.
    let viewer = super::postings::viewer(&state, Some(&caller)).await?;
    let assessment = matching::assess(
        &state.db,
        &state.search,
        &state.taxonomy,
        &viewer,
        proposal.need_id,
        proposal.offer_id,
        accept.0,
    )
    .await?;
    if let Some(assessment) = assessment {
        if let Some((_, text)) = assessment.broken.filter(|(rule, _)| rule.is_eligibility()) {
            return Err(AppError::field(
                "offer_id",
                format!("is not open to this need: {text}"),
            ));
        }
        proposal.score = Some(assessment.score);
        proposal.reasons =
            Some(serde_json::to_value(&assessment.reasons).map_err(anyhow::Error::from)?);
    }
    let rules = ProposalRules::from(state.config.as_ref());
    let created = partnerships::propose(&state.db, caller.user.id, proposal, rules).await?;
    let location = [(LOCATION, format!("/api/v1/partnerships/{}", created.id))];
    let body = respond(&state, caller.user.id, created).await?;
    Ok((StatusCode::CREATED, location, Json(body)))
}

/// Get a partnership
#[utoipa::path(get, path = "/partnerships/{id}", tag = "partnerships",
    description = "Members of either organization only. The other organization's contact details \
        appear once both have said yes.",
    params(("id" = i64, Path, description = "Partnership id")),
    responses((status = 200, body = PartnershipResponse),
        (status = 404, description = "partnership_not_found")),
    security(("bearer" = [])))]
pub async fn get_partnership(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<PartnershipResponse>> {
    let partnership = partnerships::get(&state.db, caller.user.id, id).await?;
    Ok(Json(respond(&state, caller.user.id, partnership).await?))
}

async fn step(
    state: &AppState,
    user_id: i64,
    id: i64,
    step: Step,
) -> AppResult<Json<PartnershipResponse>> {
    let partnership = partnerships::transition(&state.db, user_id, id, step).await?;
    Ok(Json(respond(state, user_id, partnership).await?))
}

/// Declares the handler of a step that takes an optional note.
macro_rules! note_step {
    ($name:ident, $variant:ident, $path:literal, $summary:literal, $description:literal,
     $conflicts:literal) => {
        #[doc = $summary]
        #[utoipa::path(post, path = $path, tag = "partnerships", description = $description,
            params(("id" = i64, Path, description = "Partnership id")),
            request_body(content = Option<NoteInput>, description = "Optional"),
            responses((status = 200, body = PartnershipResponse),
                (status = 403, description = "forbidden: your organization is not the one that takes this step"),
                (status = 404, description = "partnership_not_found"),
                (status = 409, description = $conflicts),
                (status = 422, description = "validation_failed: see `errors`")),
            security(("bearer" = [])))]
        pub async fn $name(
            State(state): State<AppState>,
            CurrentUser(caller): CurrentUser,
            PathId(id): PathId,
            OptionalJson(input): OptionalJson<NoteInput>,
        ) -> AppResult<Json<PartnershipResponse>> {
            let note = input.parse()?;
            step(&state, caller.user.id, id, Step::$variant { note }).await
        }
    };
}

note_step!(
    accept_partnership,
    Accept,
    "/partnerships/{id}/accept",
    "Accept a proposal",
    "By the organization that received the proposal. Uses one unit of the offer's capacity and \
     one of the need's quantity; a posting left at zero becomes `fulfilled` and leaves search. \
     Both sides then see each other's contact details.",
    "invalid_transition (not `proposed`, or expired), capacity_exhausted or posting_not_open"
);
note_step!(
    decline_partnership,
    Decline,
    "/partnerships/{id}/decline",
    "Decline a proposal",
    "By the organization that received the proposal.",
    "invalid_transition: not `proposed`, or expired"
);
note_step!(
    withdraw_partnership,
    Withdraw,
    "/partnerships/{id}/withdraw",
    "Withdraw a proposal",
    "By the organization that made the proposal, while it waits for an answer.",
    "invalid_transition: not `proposed`, or expired"
);
note_step!(
    start_partnership,
    Start,
    "/partnerships/{id}/start",
    "Start an accepted partnership",
    "By either organization: the work has begun (`accepted` to `active`).",
    "invalid_transition: not `accepted`"
);
note_step!(
    cancel_partnership,
    Cancel,
    "/partnerships/{id}/cancel",
    "Cancel a partnership",
    "By either organization, when `accepted` or `active`. The units taken at acceptance are not \
     given back; the posting's organization may raise its quantity and reopen it.",
    "invalid_transition: not `accepted` or `active`"
);

/// Complete a partnership with its outcome report
#[utoipa::path(post, path = "/partnerships/{id}/complete", tag = "partnerships",
    description = "By the need's organization, when `accepted` or `active`: hours given, value in \
        CAD, what was delivered, and before/after indicators. The units taken at acceptance are \
        not given back.",
    params(("id" = i64, Path, description = "Partnership id")),
    request_body = CompleteInput,
    responses((status = 200, body = PartnershipResponse),
        (status = 403, description = "forbidden: only the need's organization completes"),
        (status = 404, description = "partnership_not_found"),
        (status = 409, description = "invalid_transition: not `accepted` or `active`"),
        (status = 422, description = "validation_failed: see `errors`")),
    security(("bearer" = [])))]
pub async fn complete_partnership(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<CompleteInput>,
) -> AppResult<Json<PartnershipResponse>> {
    let (outcome, note) = input.parse()?;
    step(&state, caller.user.id, id, Step::Complete { outcome, note }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(outcome: serde_json::Value) -> AppResult<(Outcome, Option<String>)> {
        crate::state::parse_json::<CompleteInput>(
            serde_json::json!({ "outcome": outcome })
                .to_string()
                .as_bytes(),
        )?
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
            IndicatorValue::Text("all staff".into())
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
}
