//! One error type for the whole service. It becomes an RFC 9457 `application/problem+json` body with a
//! stable snake_case `code`; for 422 it lists the failing fields. Internal errors are logged with their
//! cause chain and shown to the client as a masked 500.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// Declares the error codes once: variant, wire code, HTTP status, title.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $status:ident, $title:literal;)+) => {
        /// Stable machine-readable error codes. Clients branch on these, so never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, for the API documentation page.
            pub const ALL: &[ErrorCode] = &[$(Self::$variant),+];

            /// The wire form, e.g. `posting_not_found`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            pub fn status(self) -> StatusCode {
                match self { $(Self::$variant => StatusCode::$status),+ }
            }

            /// The short human title of the problem type.
            pub fn title(self) -> &'static str {
                match self { $(Self::$variant => $title),+ }
            }
        }
    };
}

error_codes! {
    /// The body is not valid JSON.
    MalformedJson = "malformed_json", BAD_REQUEST, "The request body is not valid JSON";
    /// A query string or path parameter could not be read.
    InvalidParameter = "invalid_parameter", BAD_REQUEST, "A parameter is invalid";
    /// The body is not `application/json`.
    UnsupportedMediaType = "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "The request body must be JSON";
    /// The body is larger than the configured limit.
    PayloadTooLarge = "payload_too_large", PAYLOAD_TOO_LARGE, "The request body is too large";
    /// One or more fields failed validation; see `errors`.
    ValidationFailed = "validation_failed", UNPROCESSABLE_ENTITY, "Some fields are invalid";
    /// No valid session cookie or bearer token.
    Unauthenticated = "unauthenticated", UNAUTHORIZED, "Sign in required";
    /// Email and password do not match.
    InvalidCredentials = "invalid_credentials", UNAUTHORIZED, "Email or password is incorrect";
    /// Signed in, but not allowed to do this.
    Forbidden = "forbidden", FORBIDDEN, "Not allowed";
    /// Too many attempts; retry after `Retry-After` seconds.
    TooManyRequests = "too_many_requests", TOO_MANY_REQUESTS, "Too many attempts";
    /// The record changed since the caller read it (stale `version`).
    VersionConflict = "version_conflict", CONFLICT, "The record was changed by someone else";
    /// An account with this email exists.
    EmailTaken = "email_taken", CONFLICT, "This email already has an account";
    /// The user already belongs to the organization.
    AlreadyMember = "already_member", CONFLICT, "Already a member";
    /// The need and the offer already have a proposed, accepted or active partnership.
    PartnershipExists = "partnership_exists", CONFLICT, "These two postings already have a partnership";
    /// The posting already has as many proposals waiting for an answer as it may.
    TooManyPendingProposals = "too_many_pending_proposals", CONFLICT, "Too many proposals are waiting";
    /// The partnership's current status does not allow this step.
    InvalidTransition = "invalid_transition", CONFLICT, "Not possible in the partnership's current status";
    /// The offer or the need has no unit left to give or receive.
    CapacityExhausted = "capacity_exhausted", CONFLICT, "No capacity left";
    /// The posting is not open (draft, paused, fulfilled, closed or expired).
    PostingNotOpen = "posting_not_open", CONFLICT, "The posting is not open";
    /// The posting is part of a partnership both sides said yes to; close it instead.
    PostingInPartnership = "posting_in_partnership", CONFLICT, "The posting is part of a partnership";
    /// An organization must keep at least one owner.
    LastOwner = "last_owner", CONFLICT, "The organization needs an owner";
    /// The user is not a member of this organization.
    MemberNotFound = "member_not_found", NOT_FOUND, "Member not found";
    /// No organization with this id (or not visible to the caller).
    OrganizationNotFound = "organization_not_found", NOT_FOUND, "Organization not found";
    /// No posting with this id (or not visible to the caller).
    PostingNotFound = "posting_not_found", NOT_FOUND, "Posting not found";
    /// No partnership with this id involving the caller's organizations.
    PartnershipNotFound = "partnership_not_found", NOT_FOUND, "Partnership not found";
    /// No token with this id among the caller's tokens.
    TokenNotFound = "token_not_found", NOT_FOUND, "Token not found";
    /// No endpoint at this path.
    RouteNotFound = "route_not_found", NOT_FOUND, "No such endpoint";
    /// The endpoint exists but not with this method.
    MethodNotAllowed = "method_not_allowed", METHOD_NOT_ALLOWED, "Method not allowed on this endpoint";
    /// The request took longer than the server allows.
    RequestTimeout = "request_timeout", REQUEST_TIMEOUT, "The request took too long";
    /// The database is unreachable.
    NotReady = "not_ready", SERVICE_UNAVAILABLE, "Service not ready";
    /// Something broke on our side; the detail is in the server log.
    Internal = "internal", INTERNAL_SERVER_ERROR, "Internal server error";
}

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A client-side problem with a code and a human explanation.
    #[error("{code:?}: {detail}")]
    Problem { code: ErrorCode, detail: String },
    /// Field-by-field validation failures (422).
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// Rate limit hit (429 with `Retry-After`).
    #[error("rate limited for {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// A bug or an outage: logged in full, masked for the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Problem {
            code,
            detail: detail.into(),
        }
    }

    /// A 400 `invalid_parameter` for a query parameter that is not acceptable.
    pub fn parameter(name: &str, message: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::InvalidParameter, format!("{name}: {message}"))
    }

    /// A 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        Self::Validation(errors)
    }

    /// The same error with its fields under `prefix` (`name` becomes `organization.name`), for
    /// a form that holds the input as one of its parts.
    pub fn nested(self, prefix: &str) -> Self {
        match self {
            Self::Validation(errors) => Self::Validation(FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(field, messages)| (format!("{prefix}{field}"), messages))
                    .collect(),
            )),
            other => other,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Problem { code, .. } => *code,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::RateLimited { .. } => ErrorCode::TooManyRequests,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        Self::Internal(err.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_codes_match_the_declared_codes() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}

/// True when the database refused a write because of a unique index.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Per-field validation messages, keyed by the field's path in the request (`organization.province`).
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    /// Records the error of a parse under `field` and returns the value when it parsed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|message| self.add(field, message)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, else a 422 carrying every message.
    pub fn finish(self) -> AppResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }

    /// A value whose parse succeeded. Call after `finish`: a `None` then means a parse failed
    /// without recording a message, which is a bug, reported as a 500 rather than a panic.
    pub fn parsed<T>(value: Option<T>) -> AppResult<T> {
        value.ok_or_else(|| AppError::Internal(anyhow::anyhow!("a parse failed without a message")))
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0
            .iter()
            .map(|(field, messages)| (field.as_str(), messages.as_slice()))
    }
}

/// The RFC 9457 problem document every error response carries.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Link to the documentation of this code.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    /// For `validation_failed`: messages per field path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        let (detail, errors, retry_after) = match self {
            Self::Problem { detail, .. } => (detail, None, None),
            Self::Validation(errors) => {
                let fields: Vec<&str> = errors.fields().map(|(field, _)| field).collect();
                (
                    format!("Check these fields: {}.", fields.join(", ")),
                    Some(errors),
                    None,
                )
            }
            Self::RateLimited { retry_after } => {
                let seconds = retry_after.as_secs().max(1);
                (
                    format!("Too many attempts. Try again in {seconds} seconds."),
                    None,
                    Some(seconds),
                )
            }
            Self::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                (
                    "Something went wrong on our side. It has been logged.".to_owned(),
                    None,
                    None,
                )
            }
        };
        let problem = Problem {
            problem_type: format!("/api/docs#{}", code.as_str()),
            title: code.title().to_owned(),
            status: code.status().as_u16(),
            detail,
            code,
            errors,
        };
        let mut response = (code.status(), axum::Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if code == ErrorCode::Unauthenticated {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
