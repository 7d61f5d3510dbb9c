//! The HTTP API: one module per resource (routes, DTOs, handlers) and the OpenAPI document. The
//! state and extractors are in `crate::state`; `crate::app` composes the API with the pages.

pub mod auth;
pub mod checkups;
pub mod dashboards;
pub mod docs;
pub mod health;
pub mod insights;
pub mod matching;
pub mod moderation;
pub mod notifications;
pub mod open_data;
pub mod organizations;
pub mod outcomes;
pub mod partnerships;
pub mod postings;
pub mod programs;
pub mod search;
pub mod taxonomy;
pub mod tokens;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The API routes with their OpenAPI description.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .merge(auth::router())
        .merge(tokens::router())
        .merge(organizations::router())
        .merge(postings::router())
        .merge(partnerships::router())
        .merge(taxonomy::router())
        .merge(search::router())
        .merge(matching::router())
        .merge(notifications::router())
        .merge(moderation::router())
        .merge(programs::router())
        .merge(insights::router())
        .merge(checkups::router())
        .merge(open_data::router())
        .merge(dashboards::router())
        .merge(outcomes::router())
}
