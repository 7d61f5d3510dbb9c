//! `/auth`: register, sign in (token and session cookie), sign out, and `/me`.

use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{DateTime, Utc};
use entity::{Role, TokenKind, app_user};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::organizations::{OrganizationInput, OrganizationResponse};
use crate::config::Config;
use crate::domain::accounts::{self, NewAccount};
use crate::domain::types::{self, Email, Password};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors};
use crate::state::AppState;
use crate::state::{ClientAddr, CurrentUser, Json, SESSION_COOKIE};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(get_me))
        .routes(routes!(change_password))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    /// At least 10 characters, not a common password.
    pub password: String,
    /// How other users see you, 1 to 100 characters.
    pub display_name: String,
    /// Your first organization; you become its owner. Leave it out to join an existing
    /// organization instead (its owner adds you by email).
    #[serde(default)]
    pub organization: Option<OrganizationInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
}

impl From<app_user::Model> for UserResponse {
    fn from(user: app_user::Model) -> Self {
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            is_admin: user.is_admin,
            created_at: user.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterResponse {
    /// Bearer token of the new session (also set as a cookie).
    pub token: String,
    pub user: UserResponse,
    /// The organization created with the account, if any.
    pub organization: Option<OrganizationResponse>,
}

/// The session cookie carrying `secret`.
fn session_cookie(config: &Config, secret: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.cookie_secure)
        .path("/")
        .max_age(cookie::time::Duration::days(i64::from(config.session_days)))
        .build()
}

/// Create an account and its first organization. Returns a bearer token and sets a session cookie.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse),
        (status = 409, description = "email_taken"),
        (status = 422, description = "validation_failed: see `errors`"),
        (status = 429, description = "too_many_requests")))]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Json(request): Json<RegisterRequest>,
) -> AppResult<(StatusCode, CookieJar, Json<RegisterResponse>)> {
    state.limits.signup(addr)?;
    let mut errors = FieldErrors::default();
    let email = errors.check("email", Email::parse(&request.email));
    let display_name = errors.check("display_name", types::line(&request.display_name, 1, 100));
    let context = [
        request.email.as_str(),
        request.display_name.as_str(),
        "passerelle",
    ];
    let password = errors.check("password", Password::parse(&request.password, &context));
    let organization = request
        .organization
        .map(|org| org.parse("organization.", &state.taxonomy, &mut errors));
    errors.finish()?;
    let account = NewAccount {
        email: FieldErrors::parsed(email)?,
        password: FieldErrors::parsed(password)?,
        display_name: FieldErrors::parsed(display_name)?,
        organization: organization.map(FieldErrors::parsed).transpose()?,
    };
    let registration = accounts::register(&state.db, account, state.config.session_days).await?;
    let jar = jar.add(session_cookie(&state.config, registration.secret.clone()));
    let body = RegisterResponse {
        token: registration.secret,
        user: registration.user.into(),
        organization: registration
            .organization
            .map(|org| OrganizationResponse::new(org, true)),
    };
    Ok((StatusCode::CREATED, jar, Json(body)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token of the new session (also set as the `passerelle_session` cookie).
    pub token: String,
    pub user: UserResponse,
}

/// Sign in. After too many failures for an account or from an address, 429 with `Retry-After`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
        (status = 401, description = "invalid_credentials"),
        (status = 429, description = "too_many_requests")))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Json(request): Json<LoginRequest>,
) -> AppResult<(CookieJar, Json<LoginResponse>)> {
    state.limits.check_login(addr, &request.email)?;
    let signed_in = accounts::login(
        &state.db,
        &request.email,
        &request.password,
        state.config.session_days,
    )
    .await;
    let (user, secret) = match signed_in {
        Ok(signed_in) => {
            state.limits.login_succeeded(&request.email);
            signed_in
        }
        Err(err) => {
            if err.code() == ErrorCode::InvalidCredentials {
                state.limits.login_failed(addr, &request.email);
            }
            return Err(err);
        }
    };
    let jar = jar.add(session_cookie(&state.config, secret.clone()));
    Ok((
        jar,
        Json(LoginResponse {
            token: secret,
            user: user.into(),
        }),
    ))
}

/// Sign out: ends the current session on the server and clears the cookie.
/// Called with an API token, it leaves the token alone (revoke it at `/tokens/{id}`).
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out")), security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    jar: CookieJar,
) -> AppResult<(StatusCode, CookieJar)> {
    if caller.token.kind == TokenKind::Session {
        accounts::revoke_token(&state.db, caller.user.id, caller.token.id).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((StatusCode::NO_CONTENT, jar))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipResponse {
    pub role: Role,
    pub organization: OrganizationResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserResponse,
    pub memberships: Vec<MembershipResponse>,
}

/// The signed-in user and the organizations they belong to.
#[utoipa::path(get, path = "/me", tag = "auth",
    responses((status = 200, body = MeResponse)), security(("bearer" = [])))]
pub async fn get_me(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
) -> AppResult<Json<MeResponse>> {
    let memberships = accounts::memberships(&state.db, caller.user.id)
        .await?
        .into_iter()
        .map(|(membership, org)| MembershipResponse {
            role: membership.role,
            organization: OrganizationResponse::new(org, true),
        })
        .collect();
    Ok(Json(MeResponse {
        user: caller.user.into(),
        memberships,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    /// At least 10 characters, not a common password.
    pub new_password: String,
}

/// Change your password. Your other sign-in sessions end; API tokens keep working.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = PasswordChangeRequest,
    responses((status = 204, description = "Changed"),
        (status = 422, description = "validation_failed: wrong current password or weak new one")),
    security(("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    CurrentUser(caller): CurrentUser,
    Json(request): Json<PasswordChangeRequest>,
) -> AppResult<StatusCode> {
    // Guessing the current password through this endpoint counts like failed sign-ins.
    state.limits.check_login(addr, &caller.user.email)?;
    let context = [
        caller.user.email.as_str(),
        caller.user.display_name.as_str(),
        "passerelle",
    ];
    let new = Password::parse(&request.new_password, &context)
        .map_err(|message| AppError::field("new_password", message))?;
    let changed = accounts::change_password(
        &state.db,
        &caller.user,
        caller.token.id,
        &request.current_password,
        &new,
    )
    .await;
    if let Err(AppError::Validation(_)) = &changed {
        state.limits.login_failed(addr, &caller.user.email);
    }
    changed.map(|()| StatusCode::NO_CONTENT)
}
