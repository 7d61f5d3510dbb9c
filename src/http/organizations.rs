//! `/organizations`: public profiles, edits by members, verification by administrators.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entity::{OrgKind, Role, SizeBand, Verification, app_user, membership, organization};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::accounts::Viewer;
use crate::domain::emailed_links::{self, InvitationInput, TokenInput};
use crate::domain::organizations::{
    self, OrganizationFilter, OrganizationPatch, VerificationRequest,
};
use crate::domain::schemas::{EmailAddress, ProvinceCode};
use crate::domain::types::{self, Email, Page, Province, cursor};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::state::{
    CurrentUser, Json, MaybeUser, Path, PathId, Query, invalid_parameter, positive_id,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations))
        .routes(routes!(get_organization, update_organization))
        .routes(routes!(set_verification))
        .routes(routes!(list_members, add_member))
        .routes(routes!(remove_member, set_role))
        .routes(routes!(invite))
        .routes(routes!(accept_invitation))
}

/// A public organization profile. Contact details appear only for the organization's members.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationResponse {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub description: String,
    pub website: Option<String>,
    pub province: String,
    pub city: Option<String>,
    pub languages: Vec<String>,
    pub cause_areas: Vec<String>,
    pub size: Option<SizeBand>,
    pub charity_number: Option<String>,
    /// `true` once an administrator has checked the organization.
    pub verified: bool,
    pub verification: Verification,
    /// Only for members of the organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// How long it usually takes to answer a proposal, in whole days (the median of its recent
    /// answers); `null` with fewer than 3 answers, and in lists.
    pub usually_answers_within_days: Option<i64>,
}

impl OrganizationResponse {
    /// `private` shows the contact details (for members and administrators).
    pub fn new(org: organization::Model, private: bool) -> Self {
        Self {
            id: org.id,
            name: org.name,
            kind: org.kind,
            description: org.description,
            website: org.website,
            province: org.province,
            city: org.city,
            languages: org.languages.0,
            cause_areas: org.cause_areas.0,
            size: org.size,
            charity_number: org.charity_number,
            verified: org.verification == Verification::Verified,
            verification: org.verification,
            contact_email: org.contact_email.filter(|_| private),
            contact_phone: org.contact_phone.filter(|_| private),
            version: org.version,
            created_at: org.created_at,
            updated_at: org.updated_at,
            usually_answers_within_days: None,
        }
    }
}

/// A page of organizations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<OrganizationResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrganizationQuery {
    pub kind: Option<OrgKind>,
    #[param(value_type = Option<ProvinceCode>, inline)]
    pub province: Option<String>,
    pub verification: Option<Verification>,
    /// Words the name contains, whatever their case.
    #[param(max_length = 200)]
    pub name: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "types::whole_number")]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List organizations, newest first.
#[utoipa::path(get, path = "/organizations", tag = "organizations", params(OrganizationQuery),
    responses((status = 200, body = OrganizationPage)))]
pub async fn list_organizations(
    State(state): State<AppState>,
    MaybeUser(caller): MaybeUser,
    Query(query): Query<OrganizationQuery>,
) -> AppResult<Json<OrganizationPage>> {
    let filter = OrganizationFilter {
        kind: query.kind,
        province: query
            .province
            .as_deref()
            .map(Province::parse)
            .transpose()
            .map_err(|e| invalid_parameter("province", e))?,
        verification: query.verification,
        name: match query.name {
            Some(name) if name.chars().count() > 200 => {
                return Err(invalid_parameter("name", "at most 200 characters"));
            }
            name => name,
        },
        after: query
            .cursor
            .as_deref()
            .map(cursor::decode)
            .transpose()
            .map_err(|e| invalid_parameter("cursor", e))?,
        limit: types::page_limit(query.limit).map_err(|e| invalid_parameter("limit", e))?,
    };
    let page = organizations::list(&state.db, &filter).await?;
    let viewer = Viewer::of(&state.db, caller.as_ref()).await?;
    Ok(Json(page_response(page, |org| {
        organizations::shows_contact(&viewer, org.id)
    })))
}

fn page_response(
    page: Page<organization::Model>,
    private: impl Fn(&organization::Model) -> bool,
) -> OrganizationPage {
    OrganizationPage {
        items: page
            .items
            .into_iter()
            .map(|org| {
                let private = private(&org);
                OrganizationResponse::new(org, private)
            })
            .collect(),
        next_cursor: page.next_cursor,
    }
}

/// Get one organization.
#[utoipa::path(get, path = "/organizations/{id}", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    responses((status = 200, body = OrganizationResponse), (status = 404, description = "organization_not_found")))]
pub async fn get_organization(
    State(state): State<AppState>,
    MaybeUser(caller): MaybeUser,
    PathId(id): PathId,
) -> AppResult<Json<OrganizationResponse>> {
    let org = organizations::get(&state.db, id).await?;
    let viewer = Viewer::of(&state.db, caller.as_ref()).await?;
    let private = organizations::shows_contact(&viewer, id);
    let mut body = OrganizationResponse::new(org, private);
    body.usually_answers_within_days = organizations::usual_answer_time(&state.db, id)
        .await?
        .map(organizations::days_within);
    Ok(Json(body))
}

/// Edit your organization's profile (members only). Send the `version` you read.
#[utoipa::path(patch, path = "/organizations/{id}", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    request_body = OrganizationPatch,
    responses((status = 200, body = OrganizationResponse),
        (status = 403, description = "forbidden: not a member"),
        (status = 409, description = "version_conflict")),
    security(("bearer" = [])))]
pub async fn update_organization(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(patch): Json<OrganizationPatch>,
) -> AppResult<Json<OrganizationResponse>> {
    let changes = patch.parse(&state.taxonomy)?;
    let org = organizations::update(&state.db, caller.user.id, id, changes).await?;
    Ok(Json(OrganizationResponse::new(org, true)))
}

/// Verify or reject an organization (platform administrators only).
#[utoipa::path(post, path = "/organizations/{id}/verification", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    request_body = VerificationRequest,
    responses((status = 200, body = OrganizationResponse),
        (status = 403, description = "forbidden: administrators only")),
    security(("bearer" = [])))]
pub async fn set_verification(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(request): Json<VerificationRequest>,
) -> AppResult<Json<OrganizationResponse>> {
    let org = organizations::set_verification(&state.db, Some(caller.user.id), id, request).await?;
    Ok(Json(OrganizationResponse::new(org, true)))
}

/// A member of an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberResponse {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub since: DateTime<Utc>,
}

impl MemberResponse {
    fn new(membership: membership::Model, user: app_user::Model) -> Self {
        Self {
            user_id: user.id,
            display_name: user.display_name,
            email: user.email,
            role: membership.role,
            since: membership.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberRequest {
    /// Email of an existing account.
    #[schema(value_type = EmailAddress)]
    pub email: String,
    /// `member` (default) or `owner`. Owners manage members.
    #[serde(default)]
    pub role: Option<Role>,
}

/// The members of your organization (members only).
#[utoipa::path(get, path = "/organizations/{id}/members", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    responses((status = 200, body = Vec<MemberResponse>),
        (status = 403, description = "forbidden: not a member")),
    security(("bearer" = [])))]
pub async fn list_members(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<Vec<MemberResponse>>> {
    let members = organizations::members(&state.db, caller.user.id, id).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|(m, u)| MemberResponse::new(m, u))
            .collect(),
    ))
}

/// Add a colleague who has an account (owners only).
#[utoipa::path(post, path = "/organizations/{id}/members", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    request_body = NewMemberRequest,
    responses((status = 201, body = MemberResponse),
        (status = 403, description = "forbidden: owners only"),
        (status = 409, description = "already_member")),
    security(("bearer" = [])))]
pub async fn add_member(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(request): Json<NewMemberRequest>,
) -> AppResult<(StatusCode, Json<MemberResponse>)> {
    let email = Email::parse(&request.email).map_err(|m| AppError::field("email", m))?;
    let role = request.role.unwrap_or(Role::Member);
    let (membership, user) =
        organizations::add_member(&state.db, caller.user.id, id, &email, role).await?;
    Ok((
        StatusCode::CREATED,
        Json(MemberResponse::new(membership, user)),
    ))
}

/// Remove a member (owners), or leave the organization (yourself).
#[utoipa::path(delete, path = "/organizations/{id}/members/{user_id}", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id"),
        ("user_id" = i64, Path, minimum = 1, description = "The member's user id")),
    responses((status = 204, description = "Removed"),
        (status = 403, description = "forbidden: owners only"),
        (status = 404, description = "member_not_found"),
        (status = 409, description = "last_owner")),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Path((id, user_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    let (id, user_id) = (positive_id("id", id)?, positive_id("user_id", user_id)?);
    organizations::remove_member(&state.db, caller.user.id, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub role: Role,
}

/// Change a member's role (owners only)
#[utoipa::path(patch, path = "/organizations/{id}/members/{user_id}", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id"),
        ("user_id" = i64, Path, minimum = 1, description = "The member's user id")),
    request_body = RoleInput,
    description = "An organization may have several owners. To hand it over, make the other \
        member an owner, then make yourself a member (or leave).",
    responses((status = 200, body = MemberResponse),
        (status = 403, description = "forbidden: owners only"),
        (status = 404, description = "member_not_found"),
        (status = 409, description = "last_owner")),
    security(("bearer" = [])))]
pub async fn set_role(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Path((id, user_id)): Path<(i64, i64)>,
    Json(input): Json<RoleInput>,
) -> AppResult<Json<MemberResponse>> {
    let (id, user_id) = (positive_id("id", id)?, positive_id("user_id", user_id)?);
    let (membership, user) =
        organizations::set_role(&state.db, caller.user.id, id, user_id, input.role).await?;
    Ok(Json(MemberResponse::new(membership, user)))
}

/// Invite someone to join (owners only)
#[utoipa::path(post, path = "/organizations/{id}/invitations", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    request_body = InvitationInput,
    description = "The address receives a link that works once, for fourteen days: accepting it \
        with an account, or after signing up, joins the organization with the `role` given.",
    responses((status = 202, body = super::auth::Accepted),
        (status = 403, description = "forbidden: not an owner"),
        (status = 409, description = "already_member"),
        (status = 422, description = "validation_failed: see `errors`"),
        (status = 429, description = "too_many_requests: too many invitations to this address or \
            from this user in 15 minutes")),
    security(("bearer" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<InvitationInput>,
) -> AppResult<(StatusCode, Json<super::auth::Accepted>)> {
    emailed_links::invite(&state.db, &state.limits, caller.user.id, id, input).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(super::auth::Accepted {
            detail: "The invitation is on its way.".into(),
        }),
    ))
}

/// Accept an invitation
#[utoipa::path(post, path = "/invitations/accept", tag = "organizations",
    request_body = TokenInput,
    description = "With the `token` of the emailed link; you join its organization.",
    responses((status = 200, body = OrganizationResponse),
        (status = 409, description = "already_member"),
        (status = 422, description = "validation_failed: `invalid_link`")),
    security(("bearer" = [])))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<TokenInput>,
) -> AppResult<Json<OrganizationResponse>> {
    let organization =
        emailed_links::accept_invitation(&state.db, caller.user.id, &input.token).await?;
    Ok(Json(OrganizationResponse::new(organization, true)))
}
