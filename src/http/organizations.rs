//! `/organizations`: public profiles, edits by members, verification by administrators.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entity::{
    Language, OrgKind, Role, SizeBand, TaxonomyKind, Verification, app_user, membership,
    organization,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::organizations::{
    self, NewOrganization, OrganizationChanges, OrganizationFilter,
};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::{self, CharityNumber, Email, Page, Province, Website, cursor};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors};
use crate::state::AppState;
use crate::state::{CurrentUser, Json, MaybeUser, Path, PathId, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations))
        .routes(routes!(get_organization, update_organization))
        .routes(routes!(set_verification))
        .routes(routes!(list_members, add_member))
        .routes(routes!(remove_member))
}

/// An organization's profile as sent when registering.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationInput {
    /// 2 to 200 characters.
    pub name: String,
    pub kind: OrgKind,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Two-letter province or territory code (`QC`, `ON`, ...).
    pub province: String,
    #[serde(default)]
    pub city: Option<String>,
    /// Working languages, `en` and/or `fr`; default `["en"]`.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// Cause-area codes from the taxonomy.
    #[serde(default)]
    pub cause_areas: Vec<String>,
    #[serde(default)]
    pub size: Option<SizeBand>,
    /// CRA charity registration number, `123456789RR0001`.
    #[serde(default)]
    pub charity_number: Option<String>,
    /// Private to the organization's members; defaults to the registering user's email.
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
}

fn check_name(raw: &str) -> Result<String, String> {
    types::line(raw, 2, 200)
}

fn check_description(raw: &str) -> Result<String, String> {
    types::text(raw, 0, 5_000)
}

fn check_cause_areas(taxonomy: &Taxonomy, codes: &[String]) -> Result<Vec<String>, String> {
    taxonomy.check_all(TaxonomyKind::CauseArea, codes, 10)
}

fn parse_languages(raw: &[String]) -> Result<Vec<Language>, String> {
    if raw.is_empty() {
        return Err("name at least one language".into());
    }
    let mut languages = Vec::new();
    for code in raw {
        let language = types::language(code)?;
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    Ok(languages)
}

impl OrganizationInput {
    /// Parses into a new organization; messages go to `errors` under `prefix.field`.
    pub fn parse(
        self,
        prefix: &str,
        taxonomy: &Taxonomy,
        errors: &mut FieldErrors,
    ) -> Option<NewOrganization> {
        let f = |field: &str| format!("{prefix}{field}");
        let name = errors.check(&f("name"), check_name(&self.name));
        let description = errors.check(
            &f("description"),
            check_description(self.description.as_deref().unwrap_or("")),
        );
        let website = errors.check(
            &f("website"),
            self.website
                .as_deref()
                .filter(|w| !w.trim().is_empty())
                .map(Website::parse)
                .transpose(),
        );
        let province = errors.check(&f("province"), Province::parse(&self.province));
        let city = errors.check(&f("city"), types::optional_text(self.city.as_deref(), 100));
        let languages = errors.check(
            &f("languages"),
            parse_languages(self.languages.as_deref().unwrap_or(&["en".to_owned()])),
        );
        let cause_areas = errors.check(
            &f("cause_areas"),
            check_cause_areas(taxonomy, &self.cause_areas),
        );
        let charity_number = errors.check(
            &f("charity_number"),
            self.charity_number
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .map(CharityNumber::parse)
                .transpose(),
        );
        let contact_email = errors.check(
            &f("contact_email"),
            self.contact_email
                .as_deref()
                .filter(|e| !e.trim().is_empty())
                .map(|e| Email::parse(e).map(|e| e.as_str().to_owned()))
                .transpose(),
        );
        let contact_phone = errors.check(
            &f("contact_phone"),
            self.contact_phone
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(types::phone)
                .transpose(),
        );
        Some(NewOrganization {
            name: name?,
            kind: self.kind,
            description: description?,
            website: website?,
            province: province?,
            city: city?,
            languages: languages?,
            cause_areas: cause_areas?,
            size: self.size,
            charity_number: charity_number?,
            contact_email: contact_email?,
            contact_phone: contact_phone?,
        })
    }
}

/// Deserializes a field that may be absent (`None`), `null` (`Some(None)`) or set.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Deserializes a field that may be absent (`None`) but not `null`: `null` on a field that cannot
/// be empty is an error, not a silent no-op.
pub fn non_null<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A profile edit. Absent fields stay as they are; `null` clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    /// The `version` you read; a stale one is refused with 409.
    pub version: i32,
    #[serde(default, deserialize_with = "non_null")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub kind: Option<OrgKind>,
    #[serde(default, deserialize_with = "non_null")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    pub province: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    pub languages: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null")]
    pub cause_areas: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub size: Option<Option<SizeBand>>,
    #[serde(default, deserialize_with = "double_option")]
    pub charity_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub contact_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub contact_phone: Option<Option<String>>,
}

/// Parses an optional value of a patch: `None` stays, `Some(None)` or blank clears.
fn patch_optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<Option<String>>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<Option<T>> {
    match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) if raw.trim().is_empty() => Some(None),
        Some(Some(raw)) => errors.check(field, parse(&raw)).map(Some),
    }
}

impl OrganizationPatch {
    fn parse(self, taxonomy: &Taxonomy) -> AppResult<OrganizationChanges> {
        let mut errors = FieldErrors::default();
        let mut changes = OrganizationChanges {
            version: self.version,
            kind: self.kind,
            ..Default::default()
        };
        changes.name = self.name.and_then(|n| errors.check("name", check_name(&n)));
        changes.description = self
            .description
            .and_then(|d| errors.check("description", check_description(&d)));
        changes.website = patch_optional(&mut errors, "website", self.website, Website::parse);
        changes.province = self
            .province
            .and_then(|p| errors.check("province", Province::parse(&p)));
        changes.city = patch_optional(&mut errors, "city", self.city, |c| types::line(c, 1, 100));
        changes.languages = self
            .languages
            .and_then(|l| errors.check("languages", parse_languages(&l)));
        changes.cause_areas = self
            .cause_areas
            .and_then(|c| errors.check("cause_areas", check_cause_areas(taxonomy, &c)));
        changes.size = self.size;
        changes.charity_number = patch_optional(
            &mut errors,
            "charity_number",
            self.charity_number,
            CharityNumber::parse,
        );
        changes.contact_email = patch_optional(
            &mut errors,
            "contact_email",
            self.contact_email,
            Email::parse,
        );
        changes.contact_phone = patch_optional(
            &mut errors,
            "contact_phone",
            self.contact_phone,
            types::phone,
        );
        errors.finish()?;
        Ok(changes)
    }
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
    /// Two-letter province or territory code.
    pub province: Option<String>,
    pub verification: Option<Verification>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
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
        after: query
            .cursor
            .as_deref()
            .map(cursor::decode)
            .transpose()
            .map_err(|e| invalid_parameter("cursor", e))?,
        limit: types::page_limit(query.limit).map_err(|e| invalid_parameter("limit", e))?,
    };
    let page = organizations::list(&state.db, &filter).await?;
    let mine = match &caller {
        Some(caller) => organizations::member_org_ids(&state.db, caller.user.id).await?,
        None => Vec::new(),
    };
    let admin = caller.as_ref().is_some_and(|c| c.user.is_admin);
    Ok(Json(page_response(page, |org| {
        admin || mine.contains(&org.id)
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
    params(("id" = i64, Path, description = "Organization id")),
    responses((status = 200, body = OrganizationResponse), (status = 404, description = "organization_not_found")))]
pub async fn get_organization(
    State(state): State<AppState>,
    MaybeUser(caller): MaybeUser,
    PathId(id): PathId,
) -> AppResult<Json<OrganizationResponse>> {
    let org = organizations::get(&state.db, id).await?;
    let private = match &caller {
        Some(caller) => {
            caller.user.is_admin
                || organizations::member_org_ids(&state.db, caller.user.id)
                    .await?
                    .contains(&id)
        }
        None => false,
    };
    Ok(Json(OrganizationResponse::new(org, private)))
}

/// Edit your organization's profile (members only). Send the `version` you read.
#[utoipa::path(patch, path = "/organizations/{id}", tag = "organizations",
    params(("id" = i64, Path, description = "Organization id")),
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

/// An administrator's decision on an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationRequest {
    /// `verified` or `rejected` (or `pending` to reopen).
    pub decision: Verification,
    /// Why, for the audit trail.
    #[serde(default)]
    pub note: Option<String>,
}

/// Verify or reject an organization (platform administrators only).
#[utoipa::path(post, path = "/organizations/{id}/verification", tag = "organizations",
    params(("id" = i64, Path, description = "Organization id")),
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
    if !caller.user.is_admin {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "Only administrators verify organizations.",
        ));
    }
    let note = request
        .note
        .map(|note| types::text(&note, 0, 1_000))
        .transpose()
        .map_err(|message| AppError::field("note", message))?;
    let org = organizations::set_verification(
        &state.db,
        Some(caller.user.id),
        id,
        request.decision,
        note,
    )
    .await?;
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
    pub email: String,
    /// `member` (default) or `owner`. Owners manage members.
    #[serde(default)]
    pub role: Option<Role>,
}

/// The members of your organization (members only).
#[utoipa::path(get, path = "/organizations/{id}/members", tag = "organizations",
    params(("id" = i64, Path, description = "Organization id")),
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
    params(("id" = i64, Path, description = "Organization id")),
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
    params(("id" = i64, Path, description = "Organization id"),
        ("user_id" = i64, Path, description = "The member's user id")),
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
    organizations::remove_member(&state.db, caller.user.id, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
