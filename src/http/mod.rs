//! The HTTP API: one module per resource (routes, DTOs, handlers), the extractors, the middleware
//! stack and the OpenAPI document.

pub mod auth;
pub mod docs;
pub mod extract;
pub mod health;
pub mod matching;
pub mod organizations;
pub mod partnerships;
pub mod postings;
pub mod rate_limit;
pub mod search;
pub mod taxonomy;
pub mod tokens;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Config;
use crate::domain::taxonomy::Taxonomy;
use crate::error::{AppError, ErrorCode};
use crate::search::SearchHandle;
use rate_limit::RateLimits;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub taxonomy: Arc<Taxonomy>,
    pub limits: Arc<RateLimits>,
    pub search: SearchHandle,
}

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
}

/// The whole application: API, docs, health checks, fallbacks and middleware.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api().split_for_parts();
    let openapi = Arc::new(docs::finish(openapi));
    let request_id = HeaderName::from_static("x-request-id");
    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), id)
                })
                .on_response(
                    DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("handler panicked");
            AppError::new(ErrorCode::Internal, "Something went wrong on our side.").into_response()
        }))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.search.clone(), wake_search))
        .layer(axum::middleware::from_fn_with_state(state.config.clone(), time_limit))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes));
    Router::new()
        .merge(crate::web::router())
        .nest("/api/v1", api)
        .merge(docs::router(openapi))
        .merge(health::router())
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(middleware)
}

/// A missing page for browsers (in their language), a problem for API clients.
async fn route_not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api") {
        return crate::web::WebError::not_found(crate::web::request_language(&headers))
            .into_response();
    }
    AppError::new(
        ErrorCode::RouteNotFound,
        "There is no endpoint at this path. See /api/docs.",
    )
    .into_response()
}

async fn method_not_allowed() -> AppError {
    AppError::new(
        ErrorCode::MethodNotAllowed,
        "This endpoint does not take this method.",
    )
}

/// Headers every response carries unless the handler set its own.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let defaults = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        // Responses carry tokens and private data; nothing is cacheable unless a handler says so.
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// After a successful write, tells the search writer to look at the outbox now.
async fn wake_search(
    State(search): State<SearchHandle>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let writes = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let response = next.run(request).await;
    // Pages answer a successful form with a redirect.
    let done = response.status().is_success() || response.status().is_redirection();
    if writes && done {
        search.notify_change();
    }
    response
}

/// Answers 408 when a request takes too long, such as a client that stops sending its body.
async fn time_limit(
    State(config): State<Arc<Config>>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let limit = Duration::from_secs(config.request_timeout_secs);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::new(
            ErrorCode::RequestTimeout,
            format!("The request took longer than {} seconds.", limit.as_secs()),
        )
        .into_response(),
    }
}

/// Spawned at start: forgets idle rate-limit keys every few minutes.
pub async fn run_housekeeping(limits: Arc<RateLimits>) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        limits.forget_idle();
    }
}
