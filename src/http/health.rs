//! `/healthz` (the process answers) and `/readyz` (the database answers too, and how far the
//! search index is: its last applied change, and any it had to skip).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::state::Json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> AppResult<Json<Value>> {
    state.db.ping().await.map_err(|err| {
        tracing::warn!(error = %err, "database ping failed");
        AppError::new(ErrorCode::NotReady, "The database does not answer.")
    })?;
    let stuck = state.search.stuck();
    Ok(Json(json!({
        "status": if stuck.is_empty() { "ready" } else { "degraded" },
        "search": { "applied": state.search.applied(), "stuck": stuck },
    })))
}
