//! `/organizations/{id}/dashboard` and `/programs/{id}/dashboard`: an organization's results
//! for its members (the figures behind `/my/results`), and a program's for its team (behind
//! `/programs/{id}/results`).

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::accounts::Viewer;
use crate::domain::dashboards::{self, OrgDashboard, ProgramDashboard};
use crate::error::AppResult;
use crate::state::{AppState, CurrentUser, Json, PathId};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(organization_dashboard))
        .routes(routes!(program_dashboard))
}

/// Your organization's dashboard (members and administrators): partnerships received and given
/// (counts, hours, value), started and completed per quarter over two years, the indicators of
/// its completed partnerships, and its first and latest check-ups.
#[utoipa::path(get, path = "/organizations/{id}/dashboard", tag = "organizations",
    params(("id" = i64, Path, minimum = 1, description = "Organization id")),
    responses((status = 200, body = OrgDashboard),
        (status = 403, description = "forbidden: not a member"),
        (status = 404, description = "organization_not_found")),
    security(("bearer" = [])))]
pub async fn organization_dashboard(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<OrgDashboard>> {
    let viewer = Viewer::of(&state.db, Some(&caller)).await?;
    Ok(Json(
        dashboards::organization(&state.db, &viewer, id, crate::domain::now()).await?,
    ))
}

/// A program's dashboard (its lead, its partners and administrators): applications by status,
/// each component's capacity against what the allocation gave and what was delivered, the
/// cohort's partnerships with their hours and value, and its indicators (baseline, target, value
/// at completion, follow-ups), starting with those the program requires.
#[utoipa::path(get, path = "/programs/{id}/dashboard", tag = "programs",
    params(("id" = i64, Path, minimum = 1, description = "Program id")),
    responses((status = 200, body = ProgramDashboard),
        (status = 403, description = "forbidden: not on the program's team"),
        (status = 404, description = "program_not_found")),
    security(("bearer" = [])))]
pub async fn program_dashboard(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<Json<ProgramDashboard>> {
    let viewer = Viewer::of(&state.db, Some(&caller)).await?;
    let view = crate::domain::programs::get(&state.db, viewer.user_id, id).await?;
    Ok(Json(dashboards::program(&viewer, &view)?))
}
