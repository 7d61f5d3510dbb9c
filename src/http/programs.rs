//! `/programs`, `/applications` and `/allocations`: programs with their partners and components,
//! applications to their calls, allocation runs and their confirmation.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entity::{
    ApplicationStatus, Eligibility, Language, OrgKind, PartnerRole, PostingUnit, allocation_run,
    program_application,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::outcomes;
use crate::domain::programs::{
    self, ApplicationInput, ApplicationView, CallState, Decision, Exclusion, Pin, ProgramInput,
    ProgramPatch, ProgramView, RunInput, RunResult, Waitlist,
};
use crate::error::AppResult;
use crate::state::{AppState, CurrentUser, Json, MaybeUser, PathId};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_programs, create_program))
        .routes(routes!(get_program, update_program))
        .routes(routes!(apply, list_applications))
        .routes(routes!(withdraw_application))
        .routes(routes!(list_candidates))
        .routes(routes!(invite_organization))
        .routes(routes!(run_allocation, list_runs))
        .routes(routes!(get_run))
        .routes(routes!(confirm_run))
}

/// An organization named in a program.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub province: String,
}

impl From<&entity::organization::Model> for OrgRef {
    fn from(org: &entity::organization::Model) -> Self {
        Self {
            id: org.id,
            name: org.name.clone(),
            kind: org.kind,
            province: org.province.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerResponse {
    pub organization: OrgRef,
    pub role: PartnerRole,
    /// The most units it gives across its components.
    pub cap: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComponentResponse {
    pub id: i64,
    pub partner_org_id: i64,
    pub partner_name: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub unit: PostingUnit,
    pub capacity: i32,
    pub per_org_max: Option<i32>,
    pub value_cad: Option<f64>,
    /// Units in partnerships accepted, under way or completed.
    pub given: i32,
    /// Units proposed and waiting for an answer.
    pub offered: i32,
    /// Units of completed partnerships.
    pub delivered: i32,
    pub remaining: i32,
    /// The offer it was published as at confirmation.
    pub offer_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationResponse {
    pub id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    /// Present in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    pub status: ApplicationStatus,
    pub requests: Vec<entity::program_application::ComponentRequest>,
    pub answers: Vec<String>,
    pub groups: Vec<String>,
    pub max_units: Option<i32>,
    /// All its components or none.
    pub all_or_nothing: bool,
    /// What the confirmed allocation gave and why.
    #[schema(value_type = Option<Decision>)]
    pub decision: Option<serde_json::Value>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<program_application::Model> for ApplicationResponse {
    fn from(a: program_application::Model) -> Self {
        Self {
            id: a.id,
            program_id: a.program_id,
            organization_id: a.organization_id,
            organization_name: None,
            status: a.status,
            requests: a.requests.0,
            answers: a.answers.0,
            groups: a.groups.0,
            max_units: a.max_units,
            all_or_nothing: a.all_or_nothing,
            decision: a.decision,
            submitted_at: a.submitted_at,
            version: a.version,
        }
    }
}

impl From<ApplicationView> for ApplicationResponse {
    fn from(view: ApplicationView) -> Self {
        Self {
            organization_name: Some(view.org.name),
            ..view.application.into()
        }
    }
}

/// A program with its partners, components and cohort.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramResponse {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// Send it back to change the program.
    pub version: i32,
    /// The language of `title` and `description`.
    pub language: Language,
    /// The title and description in the other of English and French, when given.
    pub translation: Option<programs::TranslationInput>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// `upcoming`, `open` or `closed`: the call for applications.
    pub state: CallState,
    pub lead: OrgRef,
    pub eligibility: Eligibility,
    pub sizes: Vec<String>,
    pub priority_groups: Vec<entity::program::PriorityGroup>,
    pub questions: Vec<String>,
    pub milestones: Vec<entity::program::Milestone>,
    /// Codes of the indicator list every partnership of the cohort reports.
    pub indicators: Vec<String>,
    pub diminishing: f64,
    pub fairness: f64,
    pub partners: Vec<PartnerResponse>,
    pub components: Vec<ComponentResponse>,
    /// The organizations selected.
    pub members: Vec<OrgRef>,
    /// Applications submitted or decided.
    pub applications: usize,
    /// Whether you are on the program's team (its lead or a partner).
    pub is_team: bool,
    /// Your organizations' applications.
    pub my_applications: Vec<ApplicationResponse>,
    /// The cohort's partnerships and their outcome reports, rolled up.
    pub outcomes: outcomes::CohortOutcomes,
}

impl From<ProgramView> for ProgramResponse {
    fn from(view: ProgramView) -> Self {
        let applications = view.applications();
        let p = view.program;
        Self {
            id: p.id,
            title: p.title,
            description: p.description,
            version: p.version,
            language: p.language,
            translation: p
                .translated_title
                .zip(p.translated_description)
                .map(|(title, description)| programs::TranslationInput { title, description }),
            opens_at: p.opens_at,
            closes_at: p.closes_at,
            state: view.state,
            lead: (&view.lead).into(),
            eligibility: p.eligibility,
            sizes: p.sizes.0,
            priority_groups: p.priority_groups.0,
            questions: p.questions.0,
            milestones: p.milestones.0,
            indicators: p.indicators.0,
            diminishing: p.diminishing,
            fairness: p.fairness,
            partners: view
                .partners
                .iter()
                .map(|partner| PartnerResponse {
                    organization: (&partner.org).into(),
                    role: partner.partner.role,
                    cap: partner.partner.cap,
                })
                .collect(),
            components: view
                .components
                .iter()
                .map(|c| ComponentResponse {
                    id: c.component.id,
                    partner_org_id: c.component.partner_org_id,
                    partner_name: c.partner_name.clone(),
                    title: c.component.title.clone(),
                    description: c.component.description.clone(),
                    category: c.component.category.clone(),
                    unit: c.component.unit,
                    capacity: c.component.capacity,
                    per_org_max: c.component.per_org_max,
                    value_cad: c.component.value_cad,
                    given: c.given,
                    offered: c.offered,
                    delivered: c.delivered,
                    remaining: c.remaining(),
                    offer_id: c.component.offer_id,
                })
                .collect(),
            members: view.members.iter().map(OrgRef::from).collect(),
            outcomes: outcomes::cohort_outcomes(&view.partnerships, &view.follow_ups),
            applications,
            is_team: view.is_team,
            my_applications: view
                .my_applications
                .into_iter()
                .map(ApplicationResponse::from)
                .collect(),
        }
    }
}

/// A program in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramSummaryResponse {
    pub id: i64,
    pub title: String,
    pub language: Language,
    pub lead_org_id: i64,
    pub lead_name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub state: CallState,
    pub components: usize,
    /// Units of all its components.
    pub capacity: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramList {
    pub items: Vec<ProgramSummaryResponse>,
}

/// Every program: open calls first, then upcoming, then closed.
#[utoipa::path(get, path = "/programs", tag = "programs",
    responses((status = 200, body = ProgramList)))]
pub async fn list_programs(State(state): State<AppState>) -> AppResult<Json<ProgramList>> {
    let items = programs::list(&state.db)
        .await?
        .into_iter()
        .map(|s| ProgramSummaryResponse {
            id: s.program.id,
            title: s.program.title,
            language: s.program.language,
            lead_org_id: s.program.lead_org_id,
            lead_name: s.lead_name,
            opens_at: s.program.opens_at,
            closes_at: s.program.closes_at,
            state: s.state,
            components: s.components,
            capacity: s.capacity,
        })
        .collect();
    Ok(Json(ProgramList { items }))
}

/// Create a program led by one of your organizations, with its partners and components.
#[utoipa::path(post, path = "/programs", tag = "programs",
    request_body = ProgramInput,
    responses((status = 201, body = ProgramResponse),
        (status = 403, description = "forbidden: not a member of the lead organization"),
        (status = 422, description = "validation_failed: a field, a partner or a component is invalid")),
    security(("bearer" = [])))]
pub async fn create_program(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<ProgramInput>,
) -> AppResult<(StatusCode, Json<ProgramResponse>)> {
    let new = input.parse(&state.taxonomy)?;
    let created = programs::create(&state.db, caller.user.id, new).await?;
    let view = programs::get(&state.db, Some(caller.user.id), created.id).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// A program with its partners (each with its organization), components (with delivery), and
/// members; your applications to it.
#[utoipa::path(get, path = "/programs/{id}", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    responses((status = 200, body = ProgramResponse),
        (status = 404, description = "program_not_found")))]
pub async fn get_program(
    State(state): State<AppState>,
    MaybeUser(caller): MaybeUser,
    PathId(id): PathId,
) -> AppResult<Json<ProgramResponse>> {
    let view = programs::get(&state.db, caller.map(|c| c.user.id), id).await?;
    Ok(Json(view.into()))
}

/// Change a program's title, description, translation, closing date or milestones (members of
/// its lead). Send the `version` you read.
#[utoipa::path(patch, path = "/programs/{id}", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    request_body = ProgramPatch,
    responses((status = 200, body = ProgramResponse),
        (status = 403, description = "forbidden: not a member of the lead"),
        (status = 404, description = "program_not_found"),
        (status = 409, description = "version_conflict, or allocation_confirmed (the call no longer moves)"),
        (status = 422, description = "validation_failed")),
    security(("bearer" = [])))]
pub async fn update_program(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(patch): Json<ProgramPatch>,
) -> AppResult<Json<ProgramResponse>> {
    programs::update(&state.db, caller.user.id, id, patch).await?;
    let view = programs::get(&state.db, Some(caller.user.id), id).await?;
    Ok(Json(view.into()))
}

/// Apply to a program's open call (or replace your draft or submission while it is open).
#[utoipa::path(post, path = "/programs/{id}/applications", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    request_body = ApplicationInput,
    responses((status = 201, body = ApplicationResponse),
        (status = 404, description = "program_not_found"),
        (status = 409, description = "call_closed, or application_decided"),
        (status = 422, description = "validation_failed: a request, an answer, or `organization_id` not eligible")),
    security(("bearer" = [])))]
pub async fn apply(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<ApplicationInput>,
) -> AppResult<(StatusCode, Json<ApplicationResponse>)> {
    let application =
        programs::apply(&state.db, caller.user.id, id, input, &state.taxonomy).await?;
    Ok((StatusCode::CREATED, Json(application.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationList {
    pub items: Vec<ApplicationResponse>,
}

/// The applications you may see: all but drafts for the program's team, your own otherwise.
#[utoipa::path(get, path = "/programs/{id}/applications", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    responses((status = 200, body = ApplicationList),
        (status = 404, description = "program_not_found")),
    security(("bearer" = [])))]
pub async fn list_applications(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<ApplicationList>> {
    let items = programs::applications(&state.db, caller.user.id, id)
        .await?
        .into_iter()
        .map(ApplicationResponse::from)
        .collect();
    Ok(Json(ApplicationList { items }))
}

/// An organization the team may invite, with its best-fitting need.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateResponse {
    pub organization: OrgRef,
    pub need_id: i64,
    pub need_title: String,
    /// The component the need fits best.
    pub component_id: i64,
    /// The matcher's score of the need against the component (0 to 1).
    pub fit: f64,
    /// When the team invited it, if it did.
    pub invited_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateList {
    pub items: Vec<CandidateResponse>,
}

/// The best-fitting eligible organizations that have not applied, best first (the program's
/// team).
#[utoipa::path(get, path = "/programs/{id}/candidates", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    responses((status = 200, body = CandidateList),
        (status = 403, description = "forbidden: not on the program's team"),
        (status = 404, description = "program_not_found")),
    security(("bearer" = [])))]
pub async fn list_candidates(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<CandidateList>> {
    programs::for_team(&state.db, caller.user.id, id).await?;
    let view = programs::get(&state.db, Some(caller.user.id), id).await?;
    let items =
        crate::matching::program_candidates(&state.db, &state.search, &state.taxonomy, &view, 20)
            .await?
            .into_iter()
            .map(|c| CandidateResponse {
                organization: OrgRef::from(&c.org),
                need_id: c.need.id,
                need_title: c.need.title,
                component_id: c.component_id,
                fit: c.fit,
                invited_at: c.invited_at,
            })
            .collect();
    Ok(Json(CandidateList { items }))
}

/// Whom to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub organization_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    pub created_at: DateTime<Utc>,
}

/// Invite an eligible organization that has not applied (the program's team); its members are
/// told.
#[utoipa::path(post, path = "/programs/{id}/invitations", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    request_body = InvitationInput,
    responses((status = 201, body = InvitationResponse),
        (status = 403, description = "forbidden: not on the program's team"),
        (status = 404, description = "program_not_found"),
        (status = 409, description = "call_closed, or already_invited"),
        (status = 422, description = "validation_failed: `organization_id` not found, not eligible, or applied already")),
    security(("bearer" = [])))]
pub async fn invite_organization(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<InvitationInput>,
) -> AppResult<(StatusCode, Json<InvitationResponse>)> {
    let invitation = programs::invite(
        &state.db,
        caller.user.id,
        id,
        input.organization_id,
        &state.taxonomy,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationResponse {
            id: invitation.id,
            program_id: invitation.program_id,
            organization_id: invitation.organization_id,
            created_at: invitation.created_at,
        }),
    ))
}

/// Withdraw your application (a draft or a submission not yet decided).
#[utoipa::path(post, path = "/applications/{id}/withdrawal", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Application id")),
    responses((status = 200, body = ApplicationResponse),
        (status = 404, description = "application_not_found"),
        (status = 409, description = "application_decided")),
    security(("bearer" = [])))]
pub async fn withdraw_application(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<ApplicationResponse>> {
    let application = programs::withdraw(&state.db, caller.user.id, id).await?;
    Ok(Json(application.into()))
}

/// An allocation run and its result.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunResponse {
    pub id: i64,
    pub program_id: i64,
    pub value: f64,
    /// With bundles or minimum shares: the exact optimum without them.
    pub value_without_constraints: Option<f64>,
    pub pins: Vec<Pin>,
    pub exclusions: Vec<Exclusion>,
    pub decisions: Vec<Decision>,
    pub waitlists: Vec<Waitlist>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn run_response(run: allocation_run::Model, result: RunResult) -> RunResponse {
    RunResponse {
        id: run.id,
        program_id: run.program_id,
        value: result.value,
        value_without_constraints: result.value_without_constraints,
        pins: serde_json::from_value(run.pins).unwrap_or_default(),
        exclusions: serde_json::from_value(run.exclusions).unwrap_or_default(),
        decisions: result.decisions,
        waitlists: result.waitlists,
        confirmed_at: run.confirmed_at,
        created_at: run.created_at,
    }
}

/// Run the allocation of the submitted applications (the program's team): the exact optimum
/// with the pins and exclusions given, and an explanation per applicant. Nothing is decided
/// until a run is confirmed.
#[utoipa::path(post, path = "/programs/{id}/allocations", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    request_body = RunInput,
    responses((status = 201, body = RunResponse),
        (status = 403, description = "forbidden: not on the program's team"),
        (status = 404, description = "program_not_found"),
        (status = 409, description = "allocation_confirmed"),
        (status = 422, description = "validation_failed: a pin or an exclusion names no request, or the pins break a limit")),
    security(("bearer" = [])))]
pub async fn run_allocation(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<RunInput>,
) -> AppResult<(StatusCode, Json<RunResponse>)> {
    let fit = crate::matching::allocation_fit(&state.search, &state.taxonomy);
    let (run, result) = programs::run(&state.db, caller.user.id, id, input, &fit).await?;
    Ok((StatusCode::CREATED, Json(run_response(run, result))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunSummary {
    pub id: i64,
    pub value: f64,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunList {
    pub items: Vec<RunSummary>,
}

/// The program's allocation runs, newest first (the program's team).
#[utoipa::path(get, path = "/programs/{id}/allocations", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    responses((status = 200, body = RunList),
        (status = 403, description = "forbidden: not on the program's team"),
        (status = 404, description = "program_not_found")),
    security(("bearer" = [])))]
pub async fn list_runs(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<RunList>> {
    let items = programs::runs(&state.db, caller.user.id, id)
        .await?
        .into_iter()
        .map(|run| RunSummary {
            id: run.id,
            value: run.value,
            confirmed_at: run.confirmed_at,
            created_at: run.created_at,
        })
        .collect();
    Ok(Json(RunList { items }))
}

/// An allocation run with every applicant's decision and the waitlists (the program's team).
#[utoipa::path(get, path = "/allocations/{id}", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Allocation run id")),
    responses((status = 200, body = RunResponse),
        (status = 404, description = "allocation_run_not_found")),
    security(("bearer" = [])))]
pub async fn get_run(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<RunResponse>> {
    let (run, result) = programs::get_run(&state.db, caller.user.id, id).await?;
    Ok(Json(run_response(run, result)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmation {
    /// The partnerships proposed to the selected organizations.
    pub partnership_ids: Vec<i64>,
}

/// Confirm a run (the program's team): each selection becomes a partnership proposed by the
/// component's partner, each applicant is told its decision; a decline later offers the units to
/// the next on the component's waitlist.
#[utoipa::path(post, path = "/allocations/{id}/confirmation", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Allocation run id")),
    responses((status = 200, body = Confirmation),
        (status = 404, description = "allocation_run_not_found"),
        (status = 409, description = "allocation_confirmed: a run of the program is confirmed already")),
    security(("bearer" = [])))]
pub async fn confirm_run(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<Confirmation>> {
    let created = programs::confirm(
        &state.db,
        caller.user.id,
        id,
        state.config.proposal_expiry_days,
    )
    .await?;
    Ok(Json(Confirmation {
        partnership_ids: created.iter().map(|p| p.id).collect(),
    }))
}
