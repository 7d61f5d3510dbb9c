//! `/partnerships`: proposals between a need and an offer, their answers, and the life of an
//! accepted partnership up to its outcome report.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderName, StatusCode};
use chrono::{DateTime, Utc};
use entity::{
    OrgKind, Outcome, PartnershipStatus, PostingKind, PostingStatus, ReasonCode, Verification,
    posting,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::partnerships::interest::{self, InterestInput};
use crate::domain::partnerships::messages::{self, MessageInput, MessageView};
use crate::domain::partnerships::{
    self, CompleteInput, ContactWithheld, Direction, NoteInput, PartnershipFilter, PartnershipView,
    ProposalInput, ProposalRules, ReasonInput, Step, StepKind,
};
use crate::domain::types::{self, cursor};
use crate::error::AppResult;
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
        .routes(routes!(list_messages, post_message))
        .routes(routes!(set_publicity))
        .routes(routes!(interest_in_offer))
        .routes(routes!(interest_in_need))
}

/// One message of a partnership's conversation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    pub id: i64,
    pub body: String,
    /// The author's display name; `null` once their account is deleted.
    pub author: Option<String>,
    pub organization_id: i64,
    pub organization: String,
    /// Written by your organization.
    pub mine: bool,
    pub created_at: DateTime<Utc>,
}

impl From<MessageView> for MessageResponse {
    fn from(view: MessageView) -> Self {
        Self {
            id: view.message.id,
            body: view.message.body,
            author: view.author,
            organization_id: view.message.author_org_id,
            organization: view.organization,
            mine: view.mine,
            created_at: view.message.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    /// Oldest first.
    pub items: Vec<MessageResponse>,
}

/// The partnership's conversation
#[utoipa::path(get, path = "/partnerships/{id}/messages", tag = "partnerships",
    description = "Members of either organization only, oldest first.",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
    responses((status = 200, body = MessageList),
        (status = 404, description = "partnership_not_found")),
    security(("bearer" = [])))]
pub async fn list_messages(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<MessageList>> {
    let views = messages::list(&state.db, caller.user.id, id).await?;
    Ok(Json(MessageList {
        items: views.into_iter().map(MessageResponse::from).collect(),
    }))
}

/// Write to the other organization
#[utoipa::path(post, path = "/partnerships/{id}/messages", tag = "partnerships",
    description = "From the proposal on, whatever the status. The other organization's members \
        are notified.",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
    request_body = MessageInput,
    responses((status = 201, body = MessageResponse),
        (status = 404, description = "partnership_not_found"),
        (status = 422, description = "validation_failed: see `errors`")),
    security(("bearer" = [])))]
pub async fn post_message(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<MessageInput>,
) -> AppResult<(StatusCode, Json<MessageResponse>)> {
    let written = messages::post(&state.db, caller.user.id, id, input).await?;
    let view = messages::list(&state.db, caller.user.id, id)
        .await?
        .into_iter()
        .find(|view| view.message.id == written.id)
        .ok_or_else(|| anyhow::anyhow!("message {} vanished", written.id))?;
    Ok((StatusCode::CREATED, Json(view.into())))
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
    /// What `quantity` counts.
    pub unit: entity::PostingUnit,
}

impl From<posting::Model> for PostingSummary {
    fn from(p: posting::Model) -> Self {
        Self {
            id: p.id,
            organization_id: p.organization_id,
            title: p.title,
            status: p.status,
            quantity: p.quantity,
            unit: p.unit,
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
    /// Only once both sides said yes (`accepted`, `active`, `completed`) and both organizations
    /// are verified; `null` otherwise, with the reason in `contact_withheld`.
    pub contact: Option<Contact>,
    /// Why `contact` is `null`: `not_agreed`, `you_unverified`, `partner_unverified` or
    /// `both_unverified`; `null` when it is shown.
    pub contact_withheld: Option<ContactWithheld>,
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
    /// How many of the postings' units the partnership covers.
    pub units: i32,
    /// Once accepted: the units it took from the need and from the offer (all of a posting that
    /// one partnership fills).
    pub need_units: Option<i32>,
    pub offer_units: Option<i32>,
    /// Whether your organization agreed to list the completed partnership publicly, and whether
    /// the other one did (it is listed when both did).
    pub listed_by_you: bool,
    pub listed_by_partner: bool,
    /// The program whose confirmed allocation proposed it, and the component it gives.
    pub program_id: Option<i64>,
    pub component_id: Option<i64>,
    /// The match score when the proposal came from a match.
    pub score: Option<f64>,
    /// The reasons given with the score.
    #[schema(value_type = Option<Object>)]
    pub reasons: Option<serde_json::Value>,
    /// The note given with the acceptance or refusal.
    pub response_note: Option<String>,
    /// The note given with a withdrawal or cancellation.
    pub closing_note: Option<String>,
    /// The common reason picked when declining, withdrawing or cancelling.
    pub reason_code: Option<ReasonCode>,
    /// The outcome report, once completed.
    pub outcome: Option<Outcome>,
    /// The steps your organization may take now (`accept`, `decline`, ...): the others are
    /// refused.
    pub steps: Vec<StepKind>,
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
        let steps = view.steps(crate::domain::now());
        let withheld = view.contact_withheld();
        let contact = withheld.is_none().then(|| Contact {
            email: view.counterpart.contact_email.clone(),
            phone: view.counterpart.contact_phone.clone(),
            website: view.counterpart.website.clone(),
            person: view.counterpart_person.map(|user| ContactPerson {
                name: user.display_name,
                email: user.email,
            }),
        });
        let p = view.partnership;
        let (listed_by_you, listed_by_partner) = match view.side {
            PostingKind::Need => (p.need_public, p.offer_public),
            PostingKind::Offer => (p.offer_public, p.need_public),
        };
        Self {
            listed_by_you,
            listed_by_partner,
            program_id: p.program_id,
            component_id: p.component_id,
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
                contact_withheld: withheld,
            },
            message: p.message,
            units: p.units,
            need_units: p.need_units,
            offer_units: p.offer_units,
            score: p.score,
            reasons: p.reasons,
            response_note: p.response_note,
            closing_note: p.closing_note,
            reason_code: p.reason_code,
            outcome: p.outcome,
            steps,
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
    #[serde(default, deserialize_with = "types::whole_number")]
    pub organization_id: Option<i64>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "types::whole_number")]
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
    let created = matching::propose(
        &state.db,
        &state.search,
        &state.taxonomy,
        ProposalRules::from(state.config.as_ref()),
        &caller,
        input,
        accept.0,
    )
    .await?;
    let location = [(LOCATION, format!("/api/v1/partnerships/{}", created.id))];
    let body = respond(&state, caller.user.id, created).await?;
    Ok((StatusCode::CREATED, location, Json(body)))
}

/// The posting created for an interest, and the proposal made with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterestResponse {
    /// The need (or offer) created for your organization.
    pub posting: super::postings::PostingResponse,
    pub partnership: PartnershipResponse,
}

async fn interest(
    state: &AppState,
    caller: &crate::domain::accounts::Caller,
    kind: PostingKind,
    id: i64,
    input: InterestInput,
) -> AppResult<(
    StatusCode,
    [(HeaderName, String); 1],
    Json<InterestResponse>,
)> {
    let viewer = crate::domain::accounts::Viewer::of(&state.db, Some(caller)).await?;
    let (posting, created) = interest::express_interest(
        &state.db,
        &state.taxonomy,
        ProposalRules::from(state.config.as_ref()),
        &viewer,
        kind,
        id,
        input,
    )
    .await?;
    let location = [(LOCATION, format!("/api/v1/partnerships/{}", created.id))];
    let body = InterestResponse {
        posting: posting.into(),
        partnership: respond(state, caller.user.id, created).await?,
    };
    Ok((StatusCode::CREATED, location, Json(body)))
}

/// Whether a completed partnership is listed on the public pages.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicityInput {
    /// Your organization agrees to list the partnership, with its headline result, on both
    /// organizations' public pages; it is listed while both agree.
    pub public: bool,
}

/// List a completed partnership on the public pages, or stop
#[utoipa::path(post, path = "/partnerships/{id}/publicity", tag = "partnerships",
    description = "Either organization, once the partnership is completed, says whether it \
        agrees to list it (partner, date, headline result) on both organizations' public pages. \
        It is listed while both agree.",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
    request_body = PublicityInput,
    responses((status = 200, body = PartnershipResponse),
        (status = 404, description = "partnership_not_found"),
        (status = 409, description = "invalid_transition: not completed")),
    security(("bearer" = [])))]
pub async fn set_publicity(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<PublicityInput>,
) -> AppResult<Json<PartnershipResponse>> {
    let updated = partnerships::set_publicity(&state.db, caller.user.id, id, input.public).await?;
    Ok(Json(respond(&state, caller.user.id, updated).await?))
}

/// Answer an offer without a need of your own
#[utoipa::path(post, path = "/offers/{id}/interest", tag = "partnerships",
    request_body = InterestInput,
    description = "Creates a need for your organization from a few words (the offer's category, \
        skills and unit; your province) and proposes it with the offer, in one step: if the \
        proposal is refused, no need is left behind.",
    params(("id" = i64, Path, minimum = 1, description = "Offer id")),
    responses((status = 201, body = InterestResponse),
        (status = 404, description = "posting_not_found"),
        (status = 409, description = "partnership_exists, too_many_pending_proposals, \
            posting_not_open or capacity_exhausted"),
        (status = 422, description = "validation_failed: see `errors`")),
    security(("bearer" = [])))]
pub async fn interest_in_offer(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<InterestInput>,
) -> AppResult<(
    StatusCode,
    [(HeaderName, String); 1],
    Json<InterestResponse>,
)> {
    interest(&state, &caller, PostingKind::Offer, id, input).await
}

/// Answer a need without an offer of your own
#[utoipa::path(post, path = "/needs/{id}/interest", tag = "partnerships",
    request_body = InterestInput,
    description = "Creates an offer for your organization from a few words (the need's category, \
        skills and unit) and proposes it with the need, in one step: if the proposal is refused, \
        no offer is left behind.",
    params(("id" = i64, Path, minimum = 1, description = "Need id")),
    responses((status = 201, body = InterestResponse),
        (status = 404, description = "posting_not_found"),
        (status = 409, description = "partnership_exists, too_many_pending_proposals, \
            posting_not_open or capacity_exhausted"),
        (status = 422, description = "validation_failed: see `errors`")),
    security(("bearer" = [])))]
pub async fn interest_in_need(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<InterestInput>,
) -> AppResult<(
    StatusCode,
    [(HeaderName, String); 1],
    Json<InterestResponse>,
)> {
    interest(&state, &caller, PostingKind::Need, id, input).await
}

/// Get a partnership
#[utoipa::path(get, path = "/partnerships/{id}", tag = "partnerships",
    description = "Members of either organization only. The other organization's contact details \
        appear once both have said yes.",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
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
            params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
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

/// Declares the handler of a step that takes an optional reason (a refusal or an end).
macro_rules! reason_step {
    ($name:ident, $variant:ident, $path:literal, $summary:literal, $description:literal,
     $conflicts:literal) => {
        #[doc = $summary]
        #[utoipa::path(post, path = $path, tag = "partnerships", description = $description,
            params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
            request_body(content = Option<ReasonInput>, description = "Optional; the other \
                organization sees the reason"),
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
            OptionalJson(input): OptionalJson<ReasonInput>,
        ) -> AppResult<Json<PartnershipResponse>> {
            let (note, reason) = input.parse()?;
            step(&state, caller.user.id, id, Step::$variant { note, reason }).await
        }
    };
}

note_step!(
    accept_partnership,
    Accept,
    "/partnerships/{id}/accept",
    "Accept a proposal",
    "By the organization that received the proposal. Takes the partnership's `units` from the \
     offer's and the need's quantity (all of a posting marked `filled_by_one`); a posting left at \
     zero becomes `fulfilled` and leaves search. Both sides then see each other's contact details \
     once both organizations are verified.",
    "invalid_transition (not `proposed`, or expired), capacity_exhausted or posting_not_open"
);
reason_step!(
    decline_partnership,
    Decline,
    "/partnerships/{id}/decline",
    "Decline a proposal",
    "By the organization that received the proposal.",
    "invalid_transition: not `proposed`, or expired"
);
reason_step!(
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
reason_step!(
    cancel_partnership,
    Cancel,
    "/partnerships/{id}/cancel",
    "Cancel a partnership",
    "By either organization, when `accepted` or `active`. The units taken at acceptance go back to \
     the need and the offer, and a posting they had fulfilled opens again.",
    "invalid_transition: not `accepted` or `active`"
);

/// Complete a partnership with its outcome report
#[utoipa::path(post, path = "/partnerships/{id}/complete", tag = "partnerships",
    description = "By the need's organization, when `accepted` or `active`: hours given, value in \
        CAD, what was delivered, and before/after indicators; `public` agrees to list it on both \
        public pages once the other side agrees too. The units taken at acceptance stay taken.",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
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
    let public = input.public;
    let (outcome, note) = input.parse()?;
    let complete = Step::Complete {
        outcome,
        note,
        public,
    };
    step(&state, caller.user.id, id, complete).await
}
