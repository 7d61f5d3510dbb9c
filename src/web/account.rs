//! Sign up (a user and their organization), sign in, sign out.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::CookieJar;
use entity::{Language, OrgKind, SizeBand, TaxonomyKind};

use super::forms::{self, Choice, Errors, Form, FormView};
use super::{Catalog, Ctx, Nav, WebResult, local_path, render, render_invalid, see_other};
use crate::domain::accounts::{self, LoginRequest, RegisterRequest};
use crate::domain::organizations::OrganizationInput;
use crate::error::{ErrorCode, Invalid};
use crate::state::{AppState, ClientAddr, session_cookie, session_removal};

/// The pickers of the organization fields.
pub struct OrgPickers {
    pub kinds: Vec<Choice>,
    pub provinces: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub sizes: Vec<Choice>,
    pub cause_areas: Vec<Choice>,
}

impl OrgPickers {
    pub fn new(state: &AppState, t: &Catalog) -> Self {
        Self {
            kinds: forms::labelled(t, "org-kind", OrgKind::ALL),
            provinces: forms::provinces(t),
            languages: forms::labelled(t, "language", Language::ALL),
            sizes: forms::labelled(t, "size", SizeBand::ALL),
            cause_areas: forms::taxonomy(&state.taxonomy, TaxonomyKind::CauseArea, t),
        }
    }
}

/// The organization fields of a form (named `organization.*`), as the API reads them.
pub fn organization_input(
    form: &Form,
    errors: &mut Errors,
    t: &Catalog,
) -> Option<OrganizationInput> {
    let kind = OrgKind::parse(&form.get("organization.kind"));
    if kind.is_none() {
        errors.add("organization.kind", Invalid::Required, t);
        // Said now too, so that both unchosen lists are named at once.
        if form.get("organization.province").is_empty() {
            errors.add("organization.province", Invalid::Required, t);
        }
    }
    let size = match form.optional("organization.size") {
        None => None,
        Some(raw) => SizeBand::parse(&raw),
    };
    Some(OrganizationInput {
        name: form.get("organization.name"),
        kind: kind?,
        description: form.optional("organization.description"),
        website: form.optional("organization.website"),
        province: form.get("organization.province"),
        city: form.optional("organization.city"),
        languages: Some(form.all("organization.languages")),
        cause_areas: form.all("organization.cause_areas"),
        size,
        charity_number: form.optional("organization.charity_number"),
        contact_email: form.optional("organization.contact_email"),
        contact_phone: form.optional("organization.contact_phone"),
    })
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    t: &'static Catalog,
    nav: Nav,
    f: FormView,
    org: OrgPickers,
    /// Where the new account goes once made (an invitation it came from, say).
    next: Next,
}

/// Where sign-in or sign-up goes afterwards: a local path, `/my` unless a `next` says otherwise.
struct Next(String);

impl Next {
    fn from_query(query: &[(String, String)]) -> Self {
        Self::from_value(
            query
                .iter()
                .find(|(name, _)| name == "next")
                .map_or("", |(_, value)| value.as_str()),
        )
    }

    fn from_value(value: &str) -> Self {
        match value {
            "" => Self("/my".to_owned()),
            value => Self(local_path(value).to_owned()),
        }
    }

    /// The path itself, for a hidden field.
    fn path(&self) -> &str {
        &self.0
    }

    /// Whether it is an invitation: the new account joins that organization instead of creating one.
    fn is_invitation(&self) -> bool {
        self.0.starts_with("/invitations?")
    }

    /// `?next=...` for a link to the other form, empty when it is the default.
    fn query(&self) -> String {
        if self.0 == "/my" {
            return String::new();
        }
        let encoded: String = form_urlencoded::byte_serialize(self.0.as_bytes()).collect();
        format!("?next={encoded}")
    }
}

pub async fn signup_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<Vec<(String, String)>>,
) -> WebResult {
    let mut f = FormView::default();
    f.set("organization.languages", ctx.lang());
    render(&SignupPage {
        t: ctx.t,
        nav: ctx.nav(),
        org: OrgPickers::new(&state, ctx.t),
        f,
        next: Next::from_query(&query),
    })
}

pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    addr: ClientAddr,
    jar: CookieJar,
    form: Form,
) -> WebResult {
    let t = ctx.t;
    let mut errors = Errors::default();
    let next = Next::from_value(&form.get("next"));
    let organization = if next.is_invitation() {
        None
    } else {
        organization_input(&form, &mut errors, t)
    };
    let request = RegisterRequest {
        email: form.get("email"),
        password: form.raw("password"),
        display_name: form.get("display_name"),
        organization,
        language: Some(ctx.lang()),
    };
    let refused = |mut errors: Errors| {
        let values = form.typed();
        if errors.is_empty() {
            errors.form = Some(t.get("form-has-errors"));
        }
        render_invalid(&SignupPage {
            t,
            nav: ctx.nav(),
            org: OrgPickers::new(&state, t),
            f: FormView::new(values, errors),
            next: Next::from_value(next.path()),
        })
    };
    if !errors.is_empty() {
        return refused(errors);
    }
    let registered = accounts::register(
        &state.db,
        &state.limits,
        addr.0,
        &state.taxonomy,
        request,
        state.config.session_days,
    )
    .await;
    match registered {
        Ok(registration) => {
            let jar = jar.add(session_cookie(&state.config, registration.secret));
            Ok((jar, see_other(next.path(), "flash-welcome")).into_response())
        }
        Err(err) if err.code() == ErrorCode::EmailTaken => {
            let mut errors = Errors::default();
            errors.add("email", Invalid::EmailTaken, t);
            refused(errors)
        }
        Err(err) => refused(Errors::from_app(&err, t)),
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    t: &'static Catalog,
    nav: Nav,
    f: FormView,
    next: Next,
}

pub async fn signin_form(ctx: Ctx, Query(query): Query<Vec<(String, String)>>) -> WebResult {
    render(&SigninPage {
        t: ctx.t,
        nav: ctx.nav(),
        f: FormView::default(),
        next: Next::from_query(&query),
    })
}

pub async fn signin(
    State(state): State<AppState>,
    ctx: Ctx,
    addr: ClientAddr,
    jar: CookieJar,
    form: Form,
) -> WebResult {
    let request = LoginRequest {
        email: form.get("email"),
        password: form.raw("password"),
    };
    let next = Next::from_value(&form.get("next"));
    let signed_in = accounts::login(
        &state.db,
        &state.limits,
        addr.0,
        &request,
        state.config.session_days,
    )
    .await;
    match signed_in {
        Ok((_, secret)) => {
            let jar = jar.add(session_cookie(&state.config, secret));
            Ok((jar, Redirect::to(next.path())).into_response())
        }
        Err(err) => {
            let errors = Errors::from_app(&err, ctx.t);
            let values = vec![("email".to_owned(), form.get("email"))];
            render_invalid(&SigninPage {
                t: ctx.t,
                nav: ctx.nav(),
                f: FormView::new(values, errors),
                next,
            })
        }
    }
}

pub async fn signout(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    _form: Form,
) -> WebResult {
    let Some(caller) = ctx.caller.clone() else {
        return Ok(Redirect::to("/").into_response());
    };
    match accounts::sign_out(&state.db, &caller).await {
        Ok(()) => {
            let jar = jar.remove(session_removal());
            Ok((jar, see_other("/", "flash-signed-out")).into_response())
        }
        Err(err) => Err(super::WebError::app(err, ctx.lang())),
    }
}
