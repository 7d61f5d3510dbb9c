//! `/reports` and `/postings/{id}/moderation`: anyone signed in reports a posting or an
//! organization; administrators read reports, answer them and hide postings.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entity::{PostingKind, ReportStatus, ReportTarget};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::postings::PostingResponse;
use crate::domain::accounts::Viewer;
use crate::domain::moderation::{
    self, HideInput, ReportFilter, ReportInput, ReportView, ResolutionInput,
};
use crate::domain::types::{self, cursor};
use crate::error::AppResult;
use crate::state::{AppState, CurrentUser, Json, PathId, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_report, list_reports))
        .routes(routes!(resolve_report))
        .routes(routes!(moderate_posting))
}

/// A report as its reporter and administrators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResponse {
    pub id: i64,
    pub target: ReportTarget,
    /// The posting's or the organization's id.
    pub target_id: i64,
    pub reason: String,
    pub status: ReportStatus,
    /// What the administrator said when answering it.
    pub resolution_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// For administrators: the posting's title or the organization's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_title: Option<String>,
    /// For administrators: `need` or `offer` when the target is a posting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_kind: Option<PostingKind>,
    /// For administrators: who reported it (`null` once their account is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter_email: Option<String>,
}

impl From<entity::report::Model> for ReportResponse {
    fn from(r: entity::report::Model) -> Self {
        Self {
            id: r.id,
            target: r.target,
            target_id: r.target_id,
            reason: r.reason,
            status: r.status,
            resolution_note: r.resolution_note,
            created_at: r.created_at,
            resolved_at: r.resolved_at,
            target_title: None,
            posting_kind: None,
            reporter_email: None,
        }
    }
}

impl From<ReportView> for ReportResponse {
    fn from(view: ReportView) -> Self {
        Self {
            target_title: view.title,
            posting_kind: view.posting_kind,
            reporter_email: view.reporter_email,
            ..view.report.into()
        }
    }
}

/// Report a posting or an organization to the administrators.
#[utoipa::path(post, path = "/reports", tag = "moderation",
    request_body = ReportInput,
    responses((status = 201, body = ReportResponse),
        (status = 409, description = "already_reported: your earlier report of it waits for an answer"),
        (status = 422, description = "validation_failed: `reason` too short, or `id` names nothing you can see"),
        (status = 429, description = "too_many_requests: 20 of your reports wait for an answer")),
    security(("bearer" = [])))]
pub async fn create_report(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<ReportInput>,
) -> AppResult<(StatusCode, Json<ReportResponse>)> {
    let viewer = Viewer::of(&state.db, Some(&caller)).await?;
    let report = moderation::report(&state.db, &viewer, input).await?;
    Ok((StatusCode::CREATED, Json(report.into())))
}

/// A page of reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPage {
    pub items: Vec<ReportResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `open` (waiting), `dismissed` or `actioned`; all when absent.
    pub status: Option<ReportStatus>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "types::whole_number")]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List reports, newest first (administrators only).
#[utoipa::path(get, path = "/reports", tag = "moderation", params(ReportQuery),
    responses((status = 200, body = ReportPage),
        (status = 403, description = "forbidden: administrators only")),
    security(("bearer" = [])))]
pub async fn list_reports(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Query(query): Query<ReportQuery>,
) -> AppResult<Json<ReportPage>> {
    let filter = ReportFilter {
        status: query.status,
        target: None,
        after: query
            .cursor
            .as_deref()
            .map(cursor::decode)
            .transpose()
            .map_err(|e| invalid_parameter("cursor", e))?,
        limit: types::page_limit(query.limit).map_err(|e| invalid_parameter("limit", e))?,
    };
    let page = moderation::reports(&state.db, caller.user.id, &filter).await?;
    Ok(Json(ReportPage {
        items: page.items.into_iter().map(ReportResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Answer a report: `dismissed` or `actioned` (administrators only). Its reporter is told.
#[utoipa::path(post, path = "/reports/{id}/resolution", tag = "moderation",
    params(("id" = i64, Path, minimum = 1, description = "Report id")),
    request_body = ResolutionInput,
    responses((status = 200, body = ReportResponse),
        (status = 403, description = "forbidden: administrators only"),
        (status = 404, description = "report_not_found"),
        (status = 409, description = "invalid_transition: answered already")),
    security(("bearer" = [])))]
pub async fn resolve_report(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<ResolutionInput>,
) -> AppResult<Json<ReportResponse>> {
    let report = moderation::resolve(&state.db, caller.user.id, id, input).await?;
    Ok(Json(report.into()))
}

/// Hide a need or an offer from everyone but its organization, with a reason it sees, or show it
/// again (administrators only). Hiding answers the open reports about it.
#[utoipa::path(post, path = "/postings/{id}/moderation", tag = "moderation",
    params(("id" = i64, Path, minimum = 1, description = "Posting id (a need or an offer)")),
    request_body = HideInput,
    responses((status = 200, body = PostingResponse),
        (status = 403, description = "forbidden: administrators only"),
        (status = 404, description = "posting_not_found"),
        (status = 422, description = "validation_failed: hiding needs `reason` or `reason_code`")),
    security(("bearer" = [])))]
pub async fn moderate_posting(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
    Json(input): Json<HideInput>,
) -> AppResult<Json<PostingResponse>> {
    let posting = moderation::set_hidden(&state.db, caller.user.id, id, input).await?;
    Ok(Json(posting.into()))
}
