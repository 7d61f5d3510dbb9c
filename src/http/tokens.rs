//! `/tokens`: a user's API tokens for integrations.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entity::{TokenKind, api_token};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::accounts;
use crate::domain::schemas::ShortName;
use crate::domain::types;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::state::{CurrentUser, Json, PathId};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// What the token is for, 1 to 100 characters.
    #[schema(value_type = ShortName)]
    pub name: String,
    /// Days until it expires (1 to 3650); none means until revoked.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<u32>,
}

/// A session or an API token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub id: i64,
    /// `session` (from signing in) or `api` (created for an integration).
    pub kind: TokenKind,
    pub name: String,
    /// The credential of this very request.
    pub current: bool,
    /// First characters of the secret, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl TokenResponse {
    fn new(token: api_token::Model, current_id: i64) -> Self {
        Self {
            id: token.id,
            kind: token.kind,
            current: token.id == current_id,
            name: token.name,
            prefix: format!("psl_{}", token.prefix),
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            expires_at: token.expires_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenResponse {
    /// The secret: shown once, store it now. Send it as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub details: TokenResponse,
}

/// Your sessions and API tokens that still work.
#[utoipa::path(get, path = "/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenResponse>)), security(("bearer" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
) -> AppResult<Json<Vec<TokenResponse>>> {
    let tokens = accounts::list_tokens(&state.db, caller.user.id).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenResponse::new(t, caller.token.id))
            .collect(),
    ))
}

/// Create an API token. The secret is in the response and never again. Only a signed-in session
/// may create tokens: an API token cannot mint another.
#[utoipa::path(post, path = "/tokens", tag = "tokens", request_body = NewTokenRequest,
    responses((status = 201, body = NewTokenResponse)), security(("bearer" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(request): Json<NewTokenRequest>,
) -> AppResult<(StatusCode, Json<NewTokenResponse>)> {
    if caller.token.kind != TokenKind::Session {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "Sign in to create API tokens; an API token cannot create another.",
        ));
    }
    let name = types::line(&request.name, 1, 100).map_err(|m| AppError::field("name", m))?;
    if request
        .expires_in_days
        .is_some_and(|days| !(1..=3650).contains(&days))
    {
        return Err(AppError::field(
            "expires_in_days",
            crate::error::Invalid::OutOfRange.with([
                ("min", serde_json::json!(1)),
                ("max", serde_json::json!(3650)),
            ]),
        ));
    }
    let (token, secret) = accounts::issue_token(
        &state.db,
        caller.user.id,
        TokenKind::Api,
        &name,
        request.expires_in_days,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenResponse {
            token: secret,
            details: TokenResponse::new(token, caller.token.id),
        }),
    ))
}

/// Revoke one of your tokens (or sessions). It stops working at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens",
    params(("id" = i64, Path, minimum = 1, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "token_not_found")),
    security(("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<StatusCode> {
    accounts::revoke_token(&state.db, caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
