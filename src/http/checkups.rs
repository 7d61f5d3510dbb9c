//! `/checkup` and `/organizations/{id}/checkups`: the digital check-up's question bank (public),
//! taking a check-up, its history, and publishing the needs it suggests.

use axum::extract::State;
use axum::http::StatusCode;
use entity::Language;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::postings::PostingResponse;
use crate::domain::accounts::Viewer;
use crate::domain::checkups::{self, Bank, CheckupInput, CheckupView};
use crate::error::AppResult;
use crate::state::{AcceptLanguage, AppState, CurrentUser, Json, Path, PathId, positive_id};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_bank))
        .routes(routes!(list_checkups, take_checkup))
        .routes(routes!(get_checkup))
        .routes(routes!(publish_needs))
}

/// The question bank (CC BY 4.0): dimensions, questions with their five anchored levels in
/// English and French, and the needs low answers suggest.
#[utoipa::path(get, path = "/checkup", tag = "checkups",
    responses((status = 200, body = Bank)))]
pub async fn get_bank() -> Json<&'static Bank> {
    Json(checkups::bank())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckupList {
    /// Newest first.
    pub items: Vec<CheckupView>,
}

/// Take a check-up for your organization: one answer (1 to 5) per question. Returns the profile
/// per dimension (with the change since the last check-up) and the suggested needs.
#[utoipa::path(post, path = "/organizations/{id}/checkups", tag = "checkups",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    request_body = CheckupInput,
    responses((status = 201, body = CheckupView),
        (status = 403, description = "forbidden: not a member"),
        (status = 404, description = "organization_not_found"),
        (status = 422, description = "validation_failed: `answers.<code>` required, out_of_range or unknown_field")),
    security(("bearer" = [])))]
pub async fn take_checkup(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<CheckupInput>,
) -> AppResult<(StatusCode, Json<CheckupView>)> {
    let view = checkups::take(&state.db, caller.user.id, id, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Your organization's check-ups, newest first (members and administrators).
#[utoipa::path(get, path = "/organizations/{id}/checkups", tag = "checkups",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    responses((status = 200, body = CheckupList),
        (status = 403, description = "forbidden: not a member"),
        (status = 404, description = "organization_not_found")),
    security(("bearer" = [])))]
pub async fn list_checkups(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<CheckupList>> {
    let viewer = Viewer::of(&state.db, Some(&caller)).await?;
    let items = checkups::history(&state.db, &viewer, id).await?;
    Ok(Json(CheckupList { items }))
}

/// One check-up of your organization.
#[utoipa::path(get, path = "/organizations/{id}/checkups/{checkup_id}", tag = "checkups",
    params(("id" = i64, Path, minimum = 1, description = "Organization id"),
        ("checkup_id" = i64, Path, minimum = 1, description = "Check-up id")),
    responses((status = 200, body = CheckupView),
        (status = 403, description = "forbidden: not a member"),
        (status = 404, description = "organization_not_found or checkup_not_found")),
    security(("bearer" = [])))]
pub async fn get_checkup(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Path((id, checkup_id)): Path<(i64, i64)>,
) -> AppResult<Json<CheckupView>> {
    let (id, checkup_id) = (
        positive_id("id", id)?,
        positive_id("checkup_id", checkup_id)?,
    );
    let viewer = Viewer::of(&state.db, Some(&caller)).await?;
    Ok(Json(
        checkups::get(&state.db, &viewer, id, checkup_id).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    /// Codes of the check-up's suggested needs to publish.
    pub suggestions: Vec<String>,
    /// The language to write them in; the request's `Accept-Language` by default.
    #[serde(default)]
    pub language: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedNeeds {
    /// The open needs created, in the order asked.
    pub items: Vec<PostingResponse>,
}

/// Publish suggested needs of a check-up as open needs of your organization, all at once (each
/// suggestion once).
#[utoipa::path(post, path = "/organizations/{id}/checkups/{checkup_id}/needs", tag = "checkups",
    params(("id" = i64, Path, minimum = 1, description = "Organization id"),
        ("checkup_id" = i64, Path, minimum = 1, description = "Check-up id")),
    request_body = PublishInput,
    responses((status = 201, body = PublishedNeeds),
        (status = 403, description = "forbidden: not a member, or the organization was rejected"),
        (status = 404, description = "organization_not_found or checkup_not_found"),
        (status = 422, description = "validation_failed: `suggestions[i]` not_suggested, already_published or duplicate")),
    security(("bearer" = [])))]
pub async fn publish_needs(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    AcceptLanguage(accepted): AcceptLanguage,
    Path((id, checkup_id)): Path<(i64, i64)>,
    Json(input): Json<PublishInput>,
) -> AppResult<(StatusCode, Json<PublishedNeeds>)> {
    let (id, checkup_id) = (
        positive_id("id", id)?,
        positive_id("checkup_id", checkup_id)?,
    );
    let needs = checkups::publish(
        &state.db,
        caller.user.id,
        id,
        checkup_id,
        &input.suggestions,
        input.language.unwrap_or(accepted),
        &state.taxonomy,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(PublishedNeeds {
            items: needs.into_iter().map(PostingResponse::from).collect(),
        }),
    ))
}
