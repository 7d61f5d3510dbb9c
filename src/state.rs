//! What both front doors (the JSON API in `http/` and the pages in `web/`) share: the application
//! state, and the extractors that report failures in our problem+json format: `Json` bodies,
//! `Query` strings, `Path` ids, and the caller (`CurrentUser`, `MaybeUser`, `ClientAddr`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::domain::accounts::{self, Caller};
use crate::domain::notifications::UnsubscribeKey;
use crate::domain::rate_limits::RateLimits;
use crate::domain::taxonomy::Taxonomy;
use crate::error::{AppError, ErrorCode, FieldError, FieldErrors, Invalid};
use crate::search::SearchHandle;
use serde_json::json;

/// What every handler and page can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub taxonomy: Arc<Taxonomy>,
    pub limits: Arc<RateLimits>,
    pub search: SearchHandle,
    /// Signs and checks the unsubscribe links of emails.
    pub unsubscribe: Arc<UnsubscribeKey>,
    /// Gap maps computed recently, served again while they are fresh.
    pub gaps: Arc<crate::domain::insights::GapCache>,
    /// The sector's figures, computed recently.
    pub sector: Arc<crate::domain::insights::Snapshots<(), crate::domain::insights::Sector>>,
}

/// Name of the session cookie set by `POST /auth/login`.
pub const SESSION_COOKIE: &str = "passerelle_session";

/// The session cookie carrying `secret`.
pub fn session_cookie(config: &Config, secret: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.cookie_secure)
        .path("/")
        .max_age(cookie::time::Duration::days(i64::from(config.session_days)))
        .build()
}

/// What removes the session cookie from the browser.
pub fn session_removal() -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE).path("/").build()
}

/// A JSON body. Syntax errors are 400 `malformed_json`; well-formed JSON with a wrong, missing or
/// unknown field is 422 `validation_failed` naming the field; too large is 413; not JSON is 415.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !declares_json(&req) {
            return Err(not_json());
        }
        parse_json(&body_bytes(req, state).await?).map(Json)
    }
}

/// A JSON body that may be left out: an empty body reads as `T::default()`. A body that is there
/// follows the rules of `Json`.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let declared_json = declares_json(&req);
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        if !declared_json {
            return Err(not_json());
        }
        parse_json(&bytes).map(OptionalJson)
    }
}

/// Whether the request says its body is JSON (`application/json` or any `+json` type).
fn declares_json(req: &Request) -> bool {
    let essence = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}

fn not_json() -> AppError {
    AppError::new(
        ErrorCode::UnsupportedMediaType,
        "Send the body as JSON with `Content-Type: application/json`.",
    )
}

/// Reads the whole body within the configured limit.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                ErrorCode::PayloadTooLarge,
                "The request body is over the limit.",
            )
        } else {
            AppError::new(ErrorCode::MalformedJson, rejection.body_text())
        }
    })
}

/// Deserializes a JSON body, reporting where it failed.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(AppError::new(
            ErrorCode::MalformedJson,
            "The body is not valid UTF-8.",
        ));
    }
    // Check the syntax of the whole body first: a type error early in a truncated body is still
    // a malformed body, not a field problem.
    if let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        let message = strip_position(&err.to_string());
        let detail = format!("{message} (line {}, column {}).", err.line(), err.column());
        return Err(AppError::new(ErrorCode::MalformedJson, detail));
    }
    // serde would also read a struct from an array of its fields; every body here is an object.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AppError::field("body", Invalid::NotAnObject));
    }
    let bytes = whole_numbers(bytes);
    let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
    let err = match serde_path_to_error::deserialize(deserializer) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let path = err.path().to_string();
    let message = strip_position(&err.into_inner().to_string());
    Err(AppError::Validation(field_error(&path, &message)))
}

/// The body with every number that has no fraction (`144.0`, `1e2`) written as an integer. JSON
/// has one kind of number, so `144.0` is the integer 144 to a JSON Schema and to most clients;
/// serde would refuse it where a whole number is expected. Only numbers that a double holds
/// exactly are rewritten. `bytes` is valid JSON.
fn whole_numbers(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut in_string, mut copied) = (0, false, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b != b'-' && !b.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        {
            i += 1;
        }
        let token = &bytes[start..i];
        if !token.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
            continue;
        }
        let value = std::str::from_utf8(token)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|v| v.fract() == 0.0 && v.abs() <= EXACT);
        if let Some(value) = value {
            let out = out.get_or_insert_with(|| Vec::with_capacity(bytes.len()));
            out.extend_from_slice(&bytes[copied..start]);
            // `as` is exact here: the value is whole and within 2^53.
            out.extend_from_slice(format!("{}", value as i64).as_bytes());
            copied = i;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(bytes),
        Some(mut out) => {
            out.extend_from_slice(&bytes[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

/// Turns a serde message into a field error, naming the field serde complains about.
fn field_error(path: &str, message: &str) -> FieldErrors {
    // serde_path_to_error already ends the path with an unknown field's name, not a missing one's.
    let join = |name: &str| match path {
        "." => name.to_owned(),
        _ if path == name || path.ends_with(&format!(".{name}")) => path.to_owned(),
        _ => format!("{path}.{name}"),
    };
    let quoted = message.split('`').nth(1);
    let mut errors = FieldErrors::default();
    match quoted {
        Some(name) if message.starts_with("unknown field") => {
            errors.add(join(name), Invalid::UnknownField);
        }
        Some(name) if message.starts_with("missing field") => {
            errors.add(join(name), Invalid::Required);
        }
        _ => errors.add(
            if path == "." { "body" } else { path },
            classify(path, message),
        ),
    }
    errors
}

/// Reads serde's wording ("expected u32", "unknown variant") as a field error in the API's
/// terms. This is the one place that reads a message: serde gives no structured kind.
fn classify(path: &str, message: &str) -> FieldError {
    let field = path.rsplit('.').next().unwrap_or(path);
    if message.starts_with("invalid type: null") {
        return Invalid::NotNull.into();
    }
    if field.ends_with("_on") {
        return Invalid::NotADate.into();
    }
    if field.ends_with("_at") {
        return Invalid::NotADateTime.into();
    }
    if let Some(rest) = message.strip_prefix("unknown variant") {
        let allowed = rest
            .split_once("expected ")
            .map_or("", |(_, allowed)| allowed)
            .replace("one of ", "")
            .replace('`', "");
        return Invalid::UnknownValue.with([("allowed", json!(allowed))]);
    }
    let Some((_, expected)) = message.split_once("expected ") else {
        return Invalid::WrongType.with([("expected", json!("of another type"))]);
    };
    let expected = match expected.split_whitespace().next().unwrap_or_default() {
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more",
        "f32" | "f64" => "a number",
        "a" if expected.starts_with("a boolean") => "true or false",
        "a" if expected.starts_with("a string") => "a text",
        "struct" | "map" => "an object",
        _ if expected.starts_with("a sequence") => "a list",
        _ => expected,
    };
    Invalid::WrongType.with([("expected", json!(expected))])
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string; a bad parameter is 400 `invalid_parameter` naming it.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|err| {
                let path = err.path().to_string();
                let message = err.into_inner().to_string();
                let detail = if path == "." {
                    message
                } else {
                    format!("{path}: {message}")
                };
                AppError::new(ErrorCode::InvalidParameter, detail)
            })
    }
}

/// A 400 `invalid_parameter` for a query parameter that parsed but is not acceptable.
pub fn invalid_parameter(name: &str, message: impl std::fmt::Display) -> AppError {
    AppError::parameter(name, message)
}

/// Path parameters; a value of the wrong type is 400 `invalid_parameter`.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|rejection| invalid_parameter("path", rejection.body_text()))
    }
}

/// A numeric id in the path; anything else is 400 `invalid_parameter`.
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| invalid_parameter("id", rejection.body_text()))?;
        raw.parse::<i64>()
            .ok()
            .and_then(|id| positive_id("id", id).ok())
            .map(PathId)
            .ok_or_else(|| invalid_parameter("id", format!("\"{raw}\" is not an id")))
    }
}

/// An id read from a path: ids start at 1, anything less is 400 `invalid_parameter`.
pub fn positive_id(name: &str, id: i64) -> Result<i64, AppError> {
    if id > 0 {
        Ok(id)
    } else {
        Err(invalid_parameter(name, format!("\"{id}\" is not an id")))
    }
}

/// The credential a request carries.
enum Credential {
    Bearer(String),
    Cookie(String),
}

fn credential(parts: &Parts) -> Option<Credential> {
    if let Some(value) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            return Some(Credential::Bearer(token.trim().to_owned()));
        }
    }
    CookieJar::from_headers(&parts.headers)
        .get(SESSION_COOKIE)
        .map(|cookie| Credential::Cookie(cookie.value().to_owned()))
}

/// A write (not GET, HEAD or OPTIONS) that a browser says comes from another site: its `Origin`
/// names another host than the request's, or, without `Origin`, `Sec-Fetch-Site` says
/// `cross-site` or `same-site`. The session cookie must not authorize it (cross-site request
/// forgery); bearer tokens are never sent by browsers on their own, so they are not concerned.
fn unsafe_from_another_site(parts: &Parts) -> bool {
    use axum::http::Method;
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = header("origin") {
        let host = header("host").unwrap_or_default();
        return origin
            .split_once("://")
            .is_none_or(|(_, authority)| !authority.eq_ignore_ascii_case(host));
    }
    matches!(header("sec-fetch-site"), Some("cross-site" | "same-site"))
}

fn unauthenticated(detail: &str) -> AppError {
    AppError::new(ErrorCode::Unauthenticated, detail)
}

/// The signed-in caller; 401 without valid credentials.
pub struct CurrentUser(pub Caller);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let secret = match credential(parts) {
            Some(Credential::Bearer(secret)) => secret,
            Some(Credential::Cookie(_)) if unsafe_from_another_site(parts) => {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    "A request from another site cannot act with your session. Integrations \
                     send `Authorization: Bearer <token>`.",
                ));
            }
            Some(Credential::Cookie(secret)) => secret,
            None => {
                return Err(unauthenticated(
                    "Sign in, or send `Authorization: Bearer <token>`.",
                ));
            }
        };
        accounts::authenticate(&state.db, &secret)
            .await?
            .map(CurrentUser)
            .ok_or_else(|| unauthenticated("The token or session is invalid, expired or revoked."))
    }
}

/// The caller if signed in. An invalid bearer token is still a 401 (integrators want to know);
/// a stale session cookie just means "anonymous".
pub struct MaybeUser(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match credential(parts) {
            None => Ok(MaybeUser(None)),
            // Another site's write does not act as the visitor; it is anonymous.
            Some(Credential::Cookie(_)) if unsafe_from_another_site(parts) => Ok(MaybeUser(None)),
            Some(Credential::Cookie(secret)) => {
                Ok(MaybeUser(accounts::authenticate(&state.db, &secret).await?))
            }
            Some(Credential::Bearer(_)) => CurrentUser::from_request_parts(parts, state)
                .await
                .map(|u| MaybeUser(Some(u.0))),
        }
    }
}

/// The language the client prefers among English and French, from `Accept-Language` (quality
/// values respected); English when it names neither.
pub struct AcceptLanguage(pub entity::Language);

impl AcceptLanguage {
    pub fn parse(header: &str) -> entity::Language {
        let mut best: Option<(f32, entity::Language)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let Some(language) = entity::Language::parse(primary) else {
                continue;
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, language));
            }
        }
        best.map_or(entity::Language::En, |(_, language)| language)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AcceptLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(AcceptLanguage(Self::parse(header)))
    }
}

/// The client's address, for rate limiting.
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(ClientAddr(addr))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn accept_language_picks_the_preferred_of_english_and_french() {
        use super::AcceptLanguage;
        use entity::Language;
        assert_eq!(
            AcceptLanguage::parse("fr-CA,fr;q=0.9,en;q=0.8"),
            Language::Fr
        );
        assert_eq!(
            AcceptLanguage::parse("de, en;q=0.5, fr;q=0.7"),
            Language::Fr
        );
        assert_eq!(AcceptLanguage::parse("en-US"), Language::En);
        assert_eq!(AcceptLanguage::parse(""), Language::En);
        assert_eq!(AcceptLanguage::parse("es"), Language::En);
    }

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation(errors) => errors.fields().map(|(f, _)| f.to_owned()).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        let unknown = parse_json::<Body>(br#"{"title":"a","inner":{"count":1},"x":1}"#);
        assert_eq!(fields(unknown.unwrap_err()), ["x"]);
        let missing = parse_json::<Body>(br#"{"title":"a","inner":{}}"#);
        assert_eq!(fields(missing.unwrap_err()), ["inner.count"]);
        let wrong = parse_json::<Body>(br#"{"title":"a","inner":{"count":"many"}}"#);
        assert_eq!(fields(wrong.unwrap_err()), ["inner.count"]);
    }

    #[test]
    fn messages_speak_the_api_language() {
        let err = parse_json::<Body>(br#"{"title":"a","inner":{"count":-1}}"#).unwrap_err();
        let AppError::Validation(errors) = err else {
            panic!("{err:?}")
        };
        let (_, messages) = errors.fields().next().unwrap();
        assert!(
            messages[0].message == "must be a whole number, 0 or more",
            "{messages:?}"
        );
        let array = parse_json::<Body>(br#"["a", {"count": 1}]"#).unwrap_err();
        assert_eq!(fields(array), ["body"]);
        let not_utf8 = parse_json::<Body>(b"{\"title\": \"\xff\"}").unwrap_err();
        assert_eq!(not_utf8.code(), ErrorCode::MalformedJson);
    }

    #[test]
    fn whole_numbers_with_a_fraction_part_are_integers() {
        let body = parse_json::<Body>(br#"{"title":"1.0 \"2.0\"","inner":{"count":144.0}}"#);
        assert_eq!(body.unwrap().inner.count, 144);
        let exponent = parse_json::<Body>(br#"{"title":"a","inner":{"count":1.44e2}}"#);
        assert_eq!(exponent.unwrap().inner.count, 144);
        let fraction = parse_json::<Body>(br#"{"title":"a","inner":{"count":1.5}}"#);
        assert_eq!(fields(fraction.unwrap_err()), ["inner.count"]);
        assert_eq!(
            &*whole_numbers(br#"{"a":"-3.0","b":[-3.0,2.5,1e400,0.0e0]}"#),
            br#"{"a":"-3.0","b":[-3,2.5,1e400,0]}"#
        );
    }

    #[test]
    fn syntax_errors_are_malformed_json() {
        let err = parse_json::<Body>(br#"{"title": "a""#).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MalformedJson);
    }
}
