//! `/indicators` and `/partnerships/{id}/follow-ups`: Passerelle's outcome indicator list
//! (public), and a completed partnership's follow-ups at 3 and 12 months.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::outcomes::{self, FollowUpInput, FollowUpView, IndicatorList};
use crate::error::AppResult;
use crate::state::{AppState, CurrentUser, Json, Path, PathId, positive_id};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_indicators))
        .routes(routes!(list_follow_ups))
        .routes(routes!(report_follow_up))
}

/// The indicator list (CC BY 4.0): each indicator's code, names in English and French, unit,
/// and the IRIS+ metric it reports where one applies.
#[utoipa::path(get, path = "/indicators", tag = "outcomes",
    responses((status = 200, body = IndicatorList)))]
pub async fn list_indicators() -> Json<&'static IndicatorList> {
    Json(outcomes::indicator_list())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpList {
    /// The follow-up at 3 months, then at 12 (empty until the partnership is completed).
    pub items: Vec<FollowUpView>,
}

/// A partnership's follow-ups (either side).
#[utoipa::path(get, path = "/partnerships/{id}/follow-ups", tag = "outcomes",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id")),
    responses((status = 200, body = FollowUpList),
        (status = 404, description = "partnership_not_found")),
    security(("bearer" = [])))]
pub async fn list_follow_ups(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<FollowUpList>> {
    let items = outcomes::follow_ups(&state.db, caller.user.id, id).await?;
    Ok(Json(FollowUpList { items }))
}

/// Report (or correct) a follow-up of a completed partnership: the values of its outcome's
/// indicators measured now, by key. The need's organization reports it, from 14 days before it
/// falls due; the other organization is told.
#[utoipa::path(put, path = "/partnerships/{id}/follow-ups/{due}", tag = "outcomes",
    params(("id" = i64, Path, minimum = 1, description = "Partnership id"),
        ("due" = entity::FollowUpDue, Path, description = "`three_months` or `twelve_months`")),
    request_body = FollowUpInput,
    responses((status = 200, body = FollowUpView),
        (status = 403, description = "forbidden: the offer's side does not report follow-ups"),
        (status = 404, description = "partnership_not_found or follow_up_not_found"),
        (status = 409, description = "follow_up_not_open: not due yet"),
        (status = 422, description = "validation_failed: `values` required, `values.<key>` unknown_field, not_a_number, out_of_range, number_or_text")),
    security(("bearer" = [])))]
pub async fn report_follow_up(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Path((id, due)): Path<(i64, String)>,
    Json(input): Json<FollowUpInput>,
) -> AppResult<Json<FollowUpView>> {
    let id = positive_id("id", id)?;
    Ok(Json(
        outcomes::report(&state.db, caller.user.id, id, &due, input).await?,
    ))
}
