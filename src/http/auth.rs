//! `/auth`: register, sign in (token and session cookie), sign out, and `/me`.

use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use chrono::{DateTime, Utc};
use entity::{Language, Role, app_user};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::organizations::OrganizationResponse;
use crate::domain::accounts::{self, AccountPatch, LoginRequest, RegisterRequest};
use crate::domain::emailed_links::{self, ResetConfirm, ResetRequest, TokenInput};
use crate::domain::privacy;
use crate::domain::schemas::NewPassword;
use crate::error::AppResult;
use crate::state::AppState;
use crate::state::{
    AcceptLanguage, ClientAddr, CurrentUser, Json, session_cookie, session_removal,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(get_me, update_me, delete_me))
        .routes(routes!(export_me))
        .routes(routes!(change_password))
        .routes(routes!(request_password_reset))
        .routes(routes!(reset_password))
        .routes(routes!(confirm_email))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    /// The language of your emails and notifications.
    pub language: Language,
    /// Whether you followed the confirmation link sent to `email`.
    pub email_confirmed: bool,
    pub created_at: DateTime<Utc>,
}

impl From<app_user::Model> for UserResponse {
    fn from(user: app_user::Model) -> Self {
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            is_admin: user.is_admin,
            language: user.language,
            email_confirmed: user.email_confirmed_at.is_some(),
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

/// Create an account and its first organization. Returns a bearer token and sets a session cookie.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse),
        (status = 409, description = "email_taken"),
        (status = 422, description = "validation_failed: see `errors`"),
        (status = 429, description = "too_many_requests")))]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    AcceptLanguage(language): AcceptLanguage,
    jar: CookieJar,
    Json(mut request): Json<RegisterRequest>,
) -> AppResult<(StatusCode, CookieJar, Json<RegisterResponse>)> {
    request.language.get_or_insert(language);
    let registration = accounts::register(
        &state.db,
        &state.limits,
        addr,
        &state.taxonomy,
        request,
        state.config.session_days,
    )
    .await?;
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
    let (user, secret) = accounts::login(
        &state.db,
        &state.limits,
        addr,
        &request,
        state.config.session_days,
    )
    .await?;
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
    accounts::sign_out(&state.db, &caller).await?;
    let jar = jar.remove(session_removal());
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

/// Change your display name or the language of your emails and notifications.
#[utoipa::path(patch, path = "/me", tag = "auth", request_body = AccountPatch,
    responses((status = 200, body = UserResponse),
        (status = 422, description = "validation_failed: see `errors`")),
    security(("bearer" = [])))]
pub async fn update_me(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(patch): Json<AccountPatch>,
) -> AppResult<Json<UserResponse>> {
    let user = accounts::update_account(&state.db, &caller.user, patch).await?;
    Ok(Json(user.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    /// At least 10 characters, not a common password.
    #[schema(value_type = NewPassword)]
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
    accounts::change_password(
        &state.db,
        &state.limits,
        addr,
        &caller,
        &request.current_password,
        &request.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub detail: String,
}

/// Ask for a password reset link
#[utoipa::path(post, path = "/auth/password-reset", tag = "auth", request_body = ResetRequest,
    description = "Answers the same whether or not the address has an account; when it has, a \
        link that works once, for one hour, is emailed to it.",
    responses((status = 202, body = Accepted),
        (status = 422, description = "validation_failed: not an email address"),
        (status = 429, description = "too_many_requests: too many links asked for this address \
            or from this client in 15 minutes")))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(request): Json<ResetRequest>,
) -> AppResult<(StatusCode, Json<Accepted>)> {
    emailed_links::request_password_reset(&state.db, &state.limits, addr, request).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            detail: "If an account has this address, a reset link is on its way.".into(),
        }),
    ))
}

/// Set a new password with the emailed link
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirm,
    description = "Ends every sign-in session of the account (API tokens stay).",
    responses((status = 204, description = "Changed; sign in with the new password"),
        (status = 422, description = "validation_failed: `token` is used, expired or wrong \
            (`invalid_link`), or the password is weak")))]
pub async fn reset_password(
    State(state): State<AppState>,
    Json(request): Json<ResetConfirm>,
) -> AppResult<StatusCode> {
    emailed_links::reset_password(&state.db, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirm an email address with the emailed link
#[utoipa::path(post, path = "/auth/confirm-email", tag = "auth", request_body = TokenInput,
    description = "For a change of address, the account's address becomes the new one.",
    responses((status = 200, body = UserResponse),
        (status = 409, description = "email_taken: another account took the address meanwhile"),
        (status = 422, description = "validation_failed: `invalid_link`")))]
pub async fn confirm_email(
    State(state): State<AppState>,
    Json(input): Json<TokenInput>,
) -> AppResult<Json<UserResponse>> {
    let user = emailed_links::confirm_email(&state.db, &input.token).await?;
    Ok(Json(user.into()))
}

/// All your data
#[utoipa::path(get, path = "/me/export", tag = "auth",
    description = "Everything Passerelle holds about you, as one JSON document (Quebec's Law 25, \
        PIPEDA): your account, memberships, sessions and tokens (never their secrets), email \
        preferences, notifications, emails, the messages you wrote, the proposals you made or \
        answered, and what you did.",
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn export_me(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
) -> AppResult<(
    [(axum::http::HeaderName, &'static str); 1],
    Json<serde_json::Value>,
)> {
    let data = privacy::export(&state.db, &caller.user).await?;
    Ok((
        [(
            axum::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"passerelle-my-data.json\"",
        )],
        Json(data),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    /// Your current password.
    pub password: String,
}

/// Delete your account
#[utoipa::path(delete, path = "/me", tag = "auth", request_body = DeleteAccountRequest,
    description = "Your sessions, tokens, notifications, emails and preferences are deleted; what \
        your partners still need (partnerships, messages in their conversations) stays without \
        your name. The last owner of an organization with other members must hand it over first.",
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "last_owner"),
        (status = 422, description = "validation_failed: wrong password")),
    security(("bearer" = [])))]
pub async fn delete_me(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    jar: CookieJar,
    Json(request): Json<DeleteAccountRequest>,
) -> AppResult<(StatusCode, CookieJar)> {
    privacy::delete_account(&state.db, &caller.user, &request.password).await?;
    Ok((StatusCode::NO_CONTENT, jar.remove(session_removal())))
}
