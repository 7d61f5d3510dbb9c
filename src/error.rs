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
    /// A follow-up is reported from 14 days before it falls due.
    FollowUpNotOpen = "follow_up_not_open", CONFLICT, "This follow-up is not due yet";
    /// The offer or the need has no unit left to give or receive.
    CapacityExhausted = "capacity_exhausted", CONFLICT, "No capacity left";
    /// The posting is not open (draft, paused, fulfilled, closed or expired).
    PostingNotOpen = "posting_not_open", CONFLICT, "The posting is not open";
    /// The posting is part of a partnership both sides said yes to; close it instead.
    PostingInPartnership = "posting_in_partnership", CONFLICT, "The posting is part of a partnership";
    /// The caller already reported this posting or organization and an administrator has not
    /// answered yet.
    AlreadyReported = "already_reported", CONFLICT, "Already reported";
    /// The program's call for applications is not open.
    CallClosed = "call_closed", CONFLICT, "The call for applications is not open";
    /// The application was decided by a confirmed allocation (or withdrawn) and cannot change.
    ApplicationDecided = "application_decided", CONFLICT, "The application is decided";
    /// The program has a confirmed allocation; no other run is made or confirmed.
    AllocationConfirmed = "allocation_confirmed", CONFLICT, "The allocation is confirmed";
    /// The organization was invited to the program already.
    AlreadyInvited = "already_invited", CONFLICT, "Already invited";
    /// The caller keeps as many saved searches as one may.
    SavedSearchesFull = "saved_searches_full", CONFLICT, "Too many saved searches";
    /// An organization must keep at least one owner.
    LastOwner = "last_owner", CONFLICT, "The organization needs an owner";
    /// The user is not a member of this organization.
    MemberNotFound = "member_not_found", NOT_FOUND, "Member not found";
    /// No organization with this id (or not visible to the caller).
    OrganizationNotFound = "organization_not_found", NOT_FOUND, "Organization not found";
    /// No posting with this id (or not visible to the caller).
    PostingNotFound = "posting_not_found", NOT_FOUND, "Posting not found";
    /// No saved search with this id among the caller's.
    SavedSearchNotFound = "saved_search_not_found", NOT_FOUND, "Saved search not found";
    /// No program with this id.
    ProgramNotFound = "program_not_found", NOT_FOUND, "Program not found";
    /// No application with this id that the caller may see.
    ApplicationNotFound = "application_not_found", NOT_FOUND, "Application not found";
    /// No allocation run with this id of a program the caller works on.
    AllocationRunNotFound = "allocation_run_not_found", NOT_FOUND, "Allocation run not found";
    /// No report with this id (administrators only).
    ReportNotFound = "report_not_found", NOT_FOUND, "Report not found";
    /// No partnership with this id involving the caller's organizations.
    PartnershipNotFound = "partnership_not_found", NOT_FOUND, "Partnership not found";
    /// No check-up with this id of the organization, or not one the caller may see.
    CheckupNotFound = "checkup_not_found", NOT_FOUND, "Check-up not found";
    /// No follow-up of this name (`three_months`, `twelve_months`) for this partnership: it
    /// has follow-ups once completed.
    FollowUpNotFound = "follow_up_not_found", NOT_FOUND, "Follow-up not found";
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
    pub fn field(field: &str, error: impl Into<FieldError>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, error);
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
        for code in Invalid::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn a_field_error_names_its_code_params_and_message() {
        let error = Invalid::TooLong.with([("max", serde_json::json!(200))]);
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({"code": "too_long", "message": "must be at most 200 characters",
                               "params": {"max": 200}})
        );
        let bare = serde_json::to_value(FieldError::from(Invalid::Required)).unwrap();
        assert_eq!(
            bare,
            serde_json::json!({"code": "required", "message": "is required"})
        );
    }
}

/// True when the database refused a write because of a unique index.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Declares the field error codes once: variant, wire code, English message with `{param}`s.
macro_rules! field_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $english:literal;)+) => {
        /// Why a field was refused. Clients and the pages translate by this code (with the
        /// error's `params`), never by the English message; never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Invalid {
            $($(#[doc = $doc])* $variant,)+
        }

        impl Invalid {
            /// Every code, for the catalogs' completeness test and the API documentation.
            pub const ALL: &[Invalid] = &[$(Self::$variant),+];

            /// The wire form, e.g. `too_long`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// The English message, with `{name}` where a parameter goes.
            pub fn english(self) -> &'static str {
                match self { $(Self::$variant => $english),+ }
            }
        }
    };
}

field_codes! {
    Required = "required", "is required";
    UnknownField = "unknown_field", "is not a known field";
    NotNull = "not_null", "must not be null; leave the field out to keep its value";
    WrongType = "wrong_type", "must be {expected}";
    UnknownValue = "unknown_value", "is not one of {allowed}";
    NotAnObject = "not_an_object", "must be a JSON object";
    NotADate = "not_a_date", "must be a date like 2027-03-31";
    NotADateTime = "not_a_date_time", "must be a date and time with a time zone, like 2027-03-31T17:00:00Z";
    NotAWholeNumber = "not_a_whole_number", "must be a whole number";
    NotANumber = "not_a_number", "must be a number";
    Empty = "empty", "must not be empty";
    TooShort = "too_short", "must be at least {min} characters";
    TooLong = "too_long", "must be at most {max} characters";
    SingleLine = "single_line", "must be a single line";
    HiddenCharacters = "hidden_characters", "contains control, invisible or text-direction characters";
    Invisible = "invisible", "must contain visible characters";
    InvalidEmail = "invalid_email", "\"{value}\" is not a valid email address";
    WeakPassword = "weak_password", "is too common or too easy to guess; try a short phrase";
    InvalidCharityNumber = "invalid_charity_number", "\"{value}\" is not a charity registration number (format 123456789RR0001)";
    CharityCheckDigit = "charity_check_digit", "\"{value}\" has an invalid business number check digit";
    InvalidWebsite = "invalid_website", "\"{value}\" is not a web address";
    InvalidPhone = "invalid_phone", "\"{value}\" is not a phone number";
    UnknownProvince = "unknown_province", "unknown province or territory \"{value}\"; use one of {allowed}";
    UnknownLanguage = "unknown_language", "unknown language \"{value}\"; use en or fr";
    NoLanguage = "no_language", "name at least one language";
    UnknownCategory = "unknown_category", "unknown category \"{value}\"; see GET /api/v1/taxonomy for the codes";
    UnknownSkill = "unknown_skill", "unknown skill \"{value}\"; see GET /api/v1/taxonomy for the codes";
    UnknownCauseArea = "unknown_cause_area", "unknown cause area \"{value}\"; see GET /api/v1/taxonomy for the codes";
    TooMany = "too_many", "at most {max}";
    NotFound = "not_found", "matches nothing you can see";
    OutOfRange = "out_of_range", "must be between {min} and {max}";
    YearOutOfRange = "year_out_of_range", "must fall in the years {min} to {max}";
    NotInFuture = "not_in_future", "must be in the future";
    BeforeStart = "before_start", "must not be before starts_on";
    ProvinceRequired = "province_required", "is required unless the need can be met remotely";
    ExpiredOpen = "expired_open", "is in the past; set a later date to open the posting";
    UsedUp = "used_up", "is {quantity} after the partnerships it served; raise it to reopen the posting";
    OffersOnly = "offers_only", "only offers have eligibility rules";
    NewPostingStatus = "new_posting_status", "a new posting is draft, open or paused";
    ExpiredStatus = "expired_status", "expired is set by Passerelle when expires_at passes; use closed";
    DuplicateName = "duplicate_name", "is already the name of another indicator";
    NumberOrText = "number_or_text", "must be a number or a short text";
    NumberTooLarge = "number_too_large", "must be a number of at most {digits} digits";
    NoOrganization = "no_organization", "you belong to no organization";
    SeveralOrganizations = "several_organizations", "you belong to several organizations; say which one publishes this";
    SameOrganization = "same_organization", "belongs to the need's own organization; a partnership joins two organizations";
    NoSuchPosting = "no_such_posting", "there is no {kind} {id}";
    NotEligible = "not_eligible", "is not open to this need: {reason}";
    WrongPassword = "wrong_password", "is not your current password";
    EmailTaken = "email_taken", "already has an account; sign in instead";
    NoAccount = "no_account", "no account has this email; ask them to sign up first";
    NothingToTag = "nothing_to_tag", "give a title or a description";
    IdsOrAll = "ids_or_all", "give either ids or \"all\": true";
    ClosesBeforeOpens = "closes_before_opens", "must be after opens_at";
    GroupCode = "group_code", "must be 1 to 40 lowercase letters, digits or _";
    NotAPartner = "not_a_partner", "is not a partner of the program";
    AnswerEach = "answer_each", "answer each of the {count} questions";
    AlreadyApplied = "already_applied", "has applied to the program already";
    PinsBreakLimits = "pins_break_limits", "the pinned units break a limit: {reason}";
    InvalidLink = "invalid_link", "this link is not valid: it was used already, it expired, or it was mistyped";
    NotSuggested = "not_suggested", "was not suggested by this check-up";
    AlreadyPublished = "already_published", "was published already, as need {need_id}";
    Duplicate = "duplicate", "is given twice";
    UnknownIndicator = "unknown_indicator", "unknown indicator \"{value}\"; see GET /api/v1/indicators for the codes";
    FromList = "from_list", "leave it out: the indicator list gives it for {code}";
    MissingIndicators = "missing_indicators", "must include {codes}, which the program asks of its cohort";
}

/// A field's refusal: its code, the parameters the message names, and the message in English.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    pub code: Invalid,
    /// The reason in English; other languages translate `code` with `params`.
    pub message: String,
    /// The values the message names (`{"max": 200}`); absent when there are none.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub params: BTreeMap<String, serde_json::Value>,
}

impl Invalid {
    /// This refusal, with the values its message names.
    pub fn with<const N: usize>(self, params: [(&str, serde_json::Value); N]) -> FieldError {
        let params: BTreeMap<String, serde_json::Value> = params
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        let mut message = self.english().to_owned();
        for (name, value) in &params {
            let text = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            message = message.replace(&format!("{{{name}}}"), &text);
        }
        FieldError {
            code: self,
            message,
            params,
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

impl From<Invalid> for FieldError {
    fn from(code: Invalid) -> Self {
        code.with([])
    }
}

/// The result of parsing one field.
pub type Parsed<T> = Result<T, FieldError>;

/// Per-field refusals, keyed by the field's path in the request (`organization.province`).
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldErrors(BTreeMap<String, Vec<FieldError>>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, error: impl Into<FieldError>) {
        self.0.entry(field.into()).or_default().push(error.into());
    }

    /// Records the error of a parse under `field` and returns the value when it parsed.
    pub fn check<T>(&mut self, field: &str, parsed: Parsed<T>) -> Option<T> {
        parsed.map_err(|error| self.add(field, error)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, else a 422 carrying every refusal.
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

    pub fn fields(&self) -> impl Iterator<Item = (&str, &[FieldError])> {
        self.0
            .iter()
            .map(|(field, errors)| (field.as_str(), errors.as_slice()))
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
    /// For `validation_failed`: per field path, each refusal with its `code`, `params` and
    /// English `message`.
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
