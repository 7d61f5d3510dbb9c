//! The web pages: server-rendered HTML in English and French for people who never call the API.
//!
//! Pages parse their forms into the domain's input types and call the same domain functions as the
//! API (`crate::domain`, `crate::matching`), so validation, ownership and privacy rules are the
//! domain's, and only rendering lives here. Every page works without JavaScript;
//! `/static/app.js` only adds search-as-you-type.
//!
//! - Language: the `lang` cookie set by the switch in the header, else `Accept-Language`.
//! - Sign-in: the API's session cookie (`passerelle_session`).
//! - CSRF: every form carries a token bound to the session (a hash of its secret; signed out, the
//!   `passerelle_csrf` cookie), compared in constant time; a POST without it, or from another
//!   origin, is refused with 403.

mod account;
mod admin;
mod charts;
mod confirm;
mod forms;
mod insights;
mod links;
mod my;
mod notices;
mod pages;
mod programs;
mod unsubscribe;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{Language, Role, organization};
use rand::RngCore;

use crate::domain::accounts::{self, Caller, Viewer};
use crate::domain::notifications;
use crate::error::{AppError, ErrorCode};
pub use crate::i18n::{self, Catalog};
use crate::state::AppState;
use crate::state::{AcceptLanguage, SESSION_COOKIE};

/// Cookie holding the chosen language.
const LANG_COOKIE: &str = "lang";
/// Cookie holding the CSRF token the forms repeat.
const CSRF_COOKIE: &str = "passerelle_csrf";
/// Cookie holding a one-time message for the next page (a catalog key).
const FLASH_COOKIE: &str = "passerelle_flash";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search_page))
        .route("/about", get(pages::about))
        .route("/help", get(pages::help))
        .route("/privacy", get(pages::privacy))
        .route("/terms", get(pages::terms))
        .route("/needs/{id}", get(pages::need))
        .route("/offers/{id}", get(pages::offer))
        .route("/needs/{id}/interest", post(pages::need_interest))
        .route("/offers/{id}/interest", post(pages::offer_interest))
        .route("/propose", get(pages::propose_form).post(pages::propose))
        .route("/organizations/{id}", get(pages::organization))
        .route("/insights", get(insights::sector))
        .route("/insights/gaps", get(insights::gaps))
        .route("/programs", get(programs::list))
        .route(
            "/programs/new",
            get(programs::new_program_form).post(programs::create_program),
        )
        .route("/programs/{id}", get(programs::detail))
        .route(
            "/programs/{id}/apply",
            get(programs::apply_form).post(programs::apply),
        )
        .route("/programs/{id}/withdrawal", post(programs::withdraw))
        .route(
            "/programs/{id}/edit",
            get(programs::edit_form).post(programs::edit),
        )
        .route("/programs/{id}/workspace", get(programs::workspace))
        .route("/programs/{id}/results", get(programs::results))
        .route("/programs/{id}/calendar.ics", get(programs::calendar))
        .route("/programs/{id}/allocations", post(programs::run))
        .route("/programs/{id}/confirmation", post(programs::confirm))
        .route("/programs/{id}/invitations", post(programs::invite))
        .route("/language/{code}", get(switch_language))
        .route("/signup", get(account::signup_form).post(account::signup))
        .route("/signin", get(account::signin_form).post(account::signin))
        .route("/signout", post(account::signout))
        .route("/password-reset", get(links::reset_form).post(links::reset))
        .route(
            "/password-reset/confirm",
            get(links::new_password_form).post(links::new_password),
        )
        .route(
            "/confirm-email",
            get(links::confirm_form).post(links::confirm),
        )
        .route(
            "/invitations",
            get(links::invitation_form).post(links::accept_invitation),
        )
        .route("/my", get(my::dashboard))
        .route("/my/profile", get(my::profile_form).post(my::profile))
        .route("/my/account", get(my::account_form).post(my::account))
        .route("/my/account/delete", post(my::delete_account))
        .route("/my/saved-searches", post(my::save_search))
        .route("/my/saved-searches/delete", post(my::forget_search))
        .route("/my/members", get(my::members_page))
        .route("/my/checkup", get(my::checkup_form).post(my::take_checkup))
        .route("/my/results", get(my::results))
        .route("/my/checkups/{id}", get(my::checkup_result))
        .route("/my/checkups/{id}/needs", post(my::publish_needs))
        .route("/my/members/invite", post(my::invite))
        .route("/my/members/change", post(my::change_member))
        .route(
            "/unsubscribe",
            get(unsubscribe::confirm).post(unsubscribe::unsubscribe),
        )
        .route(
            "/my/postings/new",
            get(my::new_posting_form).post(my::new_posting),
        )
        .route(
            "/my/postings/{id}/edit",
            get(my::edit_posting_form).post(my::edit_posting),
        )
        .route("/my/postings/{id}/status", post(my::posting_status))
        .route("/my/postings/{id}/close", get(my::confirm_close))
        .route("/my/partnerships/{id}/step", post(my::partnership_step))
        .route("/my/partnerships/{id}/publicity", post(my::publicity))
        .route("/partnerships/{id}", get(my::partnership_detail))
        .route("/partnerships/{id}/messages", post(my::post_message))
        .route("/partnerships/{id}/{step}", get(my::confirm_step))
        .route(
            "/my/partnerships/{id}/complete",
            get(my::complete_form).post(my::complete),
        )
        .route(
            "/my/partnerships/{id}/follow-ups/{due}",
            get(my::follow_up_form).post(my::report_follow_up),
        )
        .route("/notifications", get(notices::inbox))
        .route("/notifications/read", post(notices::mark_read))
        .route("/admin", get(admin::queue))
        .route("/admin/organizations/{id}", post(admin::decide))
        .route(
            "/admin/organizations/{id}/reject",
            get(admin::confirm_reject),
        )
        .route("/admin/postings/{id}", post(admin::moderate_posting))
        .route("/admin/postings/{id}/hide", get(admin::confirm_hide))
        .route("/admin/reports/{id}", post(admin::resolve_report))
        .route("/reports", post(admin::file_report))
        .route("/static/style.css", get(style))
        .route("/static/app.js", get(script))
        .layer(axum::middleware::from_fn(csrf_cookie))
}

async fn style() -> Response {
    asset("text/css", include_str!("../../assets/web/style.css"))
}

async fn script() -> Response {
    asset("text/javascript", include_str!("../../assets/web/app.js"))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// What every page knows about the request: language, the signed-in user, the CSRF token, where
/// it is, and a message left by the previous step.
pub struct Ctx {
    pub t: &'static Catalog,
    pub caller: Option<Caller>,
    /// The caller's organizations (empty when signed out).
    pub orgs: Vec<(Role, organization::Model)>,
    /// Who is looking, as the domain's rules read it.
    pub viewer: Viewer,
    pub csrf: String,
    /// Path and query of this page, for the language switch to come back to.
    pub here: String,
    pub flash: Option<String>,
    /// The signed-in user's unread notifications: the bell's number.
    pub unread: u64,
}

impl Ctx {
    pub fn lang(&self) -> Language {
        self.t.language
    }

    pub fn user_id(&self) -> Option<i64> {
        self.caller.as_ref().map(|c| c.user.id)
    }

    pub fn is_admin(&self) -> bool {
        self.caller.as_ref().is_some_and(|c| c.user.is_admin)
    }

    /// The signed-in caller, or a redirect to the sign-in page that comes back here.
    pub fn require_user(&self) -> Result<&Caller, WebError> {
        self.caller
            .as_ref()
            .ok_or_else(|| WebError::SignIn(self.here.clone()))
    }

    /// The link of the other language's version of this page.
    pub fn switch_href(&self) -> String {
        let other = match self.lang() {
            Language::En => "fr",
            Language::Fr => "en",
        };
        format!(
            "/language/{other}?next={}",
            form_urlencoded::byte_serialize(self.here.as_bytes()).collect::<String>()
        )
    }

    /// What the layout shows around every page.
    pub fn nav(&self) -> Nav {
        Nav {
            lang: self.lang().as_str(),
            other_lang: match self.lang() {
                Language::En => "fr",
                Language::Fr => "en",
            },
            user: self.caller.as_ref().map(|c| c.user.display_name.clone()),
            is_admin: self.is_admin(),
            csrf: self.csrf.clone(),
            switch_href: self.switch_href(),
            flash: self.flash.as_deref().map(|key| self.t.get(key)),
            unread: self.unread,
            unread_label: self.t.count("nav-unread", self.unread as usize),
        }
    }

    /// The id a form or link names the current organization by, if the caller has one.
    pub fn org_id(&self) -> Option<i64> {
        self.orgs.first().map(|(_, org)| org.id)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let language = request_language(&parts.headers);
        let caller = match jar.get(SESSION_COOKIE) {
            // A stale or revoked session just means "signed out" on a page.
            Some(cookie) => accounts::authenticate(&state.db, cookie.value())
                .await
                .ok()
                .flatten(),
            None => None,
        };
        let orgs = match &caller {
            Some(caller) => accounts::memberships(&state.db, caller.user.id)
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|(membership, org)| (membership.role, org))
                .collect(),
            None => Vec::new(),
        };
        let unread = match &caller {
            Some(caller) => notifications::unread(&state.db, caller.user.id)
                .await
                .unwrap_or_default(),
            None => 0,
        };
        let viewer =
            Viewer::with_organizations(caller.as_ref(), orgs.iter().map(|(_, o)| o.id).collect());
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|token| token.0.clone())
            .unwrap_or_default();
        let flash = jar
            .get(FLASH_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|key| key.starts_with("flash-"));
        let here = parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |pq| pq.as_str().to_owned());
        Ok(Ctx {
            t: i18n::catalog(language),
            caller,
            orgs,
            viewer,
            csrf,
            here,
            flash,
            unread,
        })
    }
}

/// `?token=...` of the pages emailed links lead to.
#[derive(serde::Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub token: String,
}

/// The layout's part of every page.
pub struct Nav {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub user: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    pub switch_href: String,
    pub flash: Option<String>,
    pub unread: u64,
    /// The bell's accessible name: "3 unread notifications".
    pub unread_label: String,
}

/// The page's language: the remembered choice, else the browser's `Accept-Language`.
pub fn request_language(headers: &axum::http::HeaderMap) -> Language {
    CookieJar::from_headers(headers)
        .get(LANG_COOKIE)
        .and_then(|c| Language::parse(c.value()))
        .unwrap_or_else(|| {
            let header = headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            AcceptLanguage::parse(header)
        })
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for kept in [
            "/",
            "/search?q=web+site",
            "/my?org=3#partnerships",
            "/needs/7",
        ] {
            assert_eq!(local_path(kept), kept);
        }
        for refused in [
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "evil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/search\r\nSet-Cookie:x=1",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(local_path(refused), "/", "{refused:?}");
        }
    }
}

/// The CSRF token of this request (from its cookie, or new).
#[derive(Clone)]
struct CsrfToken(String);

/// Gives every visitor a CSRF cookie, works out the token this request's forms carry, and clears
/// a flash message once a page showed it.
///
/// Signed in, the token is a hash of the session's secret: it changes with the session, and
/// someone who cannot read the (HttpOnly) session cookie cannot make one, even after planting a
/// CSRF cookie of their choosing. Signed out, it is the random `passerelle_csrf` cookie (double
/// submit); those forms (sign up, sign in) then start a session of their own.
async fn csrf_cookie(mut request: Request, next: axum::middleware::Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32);
    let anonymous = existing.clone().unwrap_or_else(random_token);
    let token = match jar.get(SESSION_COOKIE) {
        Some(session) => session_token(session.value()),
        None => anonymous.clone(),
    };
    request.extensions_mut().insert(CsrfToken(token));
    let had_flash = jar.get(FLASH_COOKIE).is_some();
    let is_get = request.method() == axum::http::Method::GET;
    let mut response = next.run(request).await;
    if existing.is_none() {
        let cookie = Cookie::build((CSRF_COOKIE, anonymous))
            .http_only(true)
            .same_site(SameSite::Strict)
            .path("/")
            .build();
        append_cookie(&mut response, &cookie);
    }
    // A page that rendered (not a redirect) showed the message.
    if had_flash && is_get && response.status().is_success() {
        append_cookie(&mut response, &removal(FLASH_COOKIE));
    }
    response
}

/// The forms' token of a signed-in session.
fn session_token(session_secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"passerelle form token\0")
        .chain_update(session_secret.as_bytes())
        .finalize();
    URL_SAFE_NO_PAD.encode(digest)
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn append_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, "")).path("/").build();
    cookie.make_removal();
    cookie
}

/// `GET /language/fr?next=/search?q=web`: remembers the language for a year and goes back.
async fn switch_language(
    crate::state::Path(code): crate::state::Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let language = Language::parse(&code).unwrap_or(Language::En);
    let next = query
        .iter()
        .find(|(name, _)| name == "next")
        .map(|(_, value)| local_path(value))
        .unwrap_or("/");
    let cookie = Cookie::build((LANG_COOKIE, language.as_str()))
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::days(365))
        .build();
    let mut response = Redirect::to(next).into_response();
    append_cookie(&mut response, &cookie);
    response
}

/// A path on this site, or `/`: never a redirect elsewhere. Only printable ASCII without
/// backslashes is kept (browsers drop tabs and newlines and read `\\` as `/`, so `/\t/evil` and
/// `/\\evil` lead off-site, and a control character cannot go in a header); what follows the
/// first `/` must not start another authority (`//`, or `/` encoded as `%2f`/`%5c`).
pub fn local_path(value: &str) -> &str {
    let printable = value.bytes().all(|b| b.is_ascii_graphic()) && !value.contains('\\');
    let rest = value.strip_prefix('/');
    let authority = rest.is_some_and(|rest| {
        let lower = rest.get(..3).unwrap_or(rest).to_ascii_lowercase();
        rest.starts_with('/') || lower.starts_with("%2f") || lower.starts_with("%5c")
    });
    if printable && rest.is_some() && !authority {
        value
    } else {
        "/"
    }
}

/// After a form: go to `to` and show the message `flash` there.
pub fn see_other(to: &str, flash: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    let cookie = Cookie::build((FLASH_COOKIE, flash.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .build();
    append_cookie(&mut response, &cookie);
    response
}

/// Renders a page.
pub fn render(page: &impl Template) -> Result<Response, WebError> {
    let html = page
        .render()
        .map_err(|err| WebError::Internal(err.to_string()))?;
    Ok(Html(html).into_response())
}

/// Renders a form page again with status 422, after a refused submission.
pub fn render_invalid(page: &impl Template) -> Result<Response, WebError> {
    let mut response = render(page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// What a page can fail with.
#[derive(Debug)]
pub enum WebError {
    /// Not signed in: to the sign-in page, then back to this path.
    SignIn(String),
    /// A problem from the API's rules, shown as a page in the visitor's language.
    App(AppError, Language),
    Internal(String),
}

impl WebError {
    pub fn app(err: AppError, language: Language) -> Self {
        match err {
            AppError::Internal(err) => WebError::Internal(err.to_string()),
            err => WebError::App(err, language),
        }
    }

    pub fn not_found(language: Language) -> Self {
        WebError::App(
            AppError::new(ErrorCode::RouteNotFound, "No such page."),
            language,
        )
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: &'static Catalog,
    title: String,
    detail: String,
    status: u16,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, language, code) = match &self {
            WebError::SignIn(next) => {
                let next = form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>();
                return Redirect::to(&format!("/signin?next={next}")).into_response();
            }
            WebError::App(err, language) => (err.code().status(), *language, err.code()),
            WebError::Internal(err) => {
                tracing::error!(error = %err, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Language::En,
                    ErrorCode::Internal,
                )
            }
        };
        let t = i18n::catalog(language);
        let page = ErrorPage {
            t,
            title: t.label("error", code.as_str()),
            detail: t.get(&format!("error-detail-{}", status_class(status))),
            status: status.as_u16(),
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "Something went wrong.".to_owned());
        (status, Html(body)).into_response()
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 | 403 => "forbidden",
        404 => "not-found",
        409 => "conflict",
        429 => "slow-down",
        400..=499 => "invalid",
        _ => "internal",
    }
}

/// A handler's answer: a page, a redirect, or an error page.
pub type WebResult = Result<Response, WebError>;

/// Lets `?` turn an API error into an error page in the page's language.
pub trait OrPage<T> {
    fn or_page(self, ctx: &Ctx) -> Result<T, WebError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, ctx: &Ctx) -> Result<T, WebError> {
        self.map_err(|err| WebError::app(err, ctx.lang()))
    }
}
