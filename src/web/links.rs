//! The pages emailed links lead to: resetting a forgotten password, confirming an address, and
//! accepting an invitation to an organization (mirrors `/auth/password-reset`,
//! `/auth/confirm-email` and `/invitations/accept`).

use askama::Template;
use axum::extract::State;

use super::forms::{Errors, Form, FormView};
use super::{Catalog, Ctx, Nav, OrPage, TokenQuery, WebResult, render, render_invalid, see_other};
use crate::domain::emailed_links::{self, ResetConfirm, ResetRequest};
use crate::state::{AppState, ClientAddr, Query};

/// Which step of which flow the page shows.
#[derive(PartialEq)]
pub enum LinkStep {
    /// The form asking for the address of the account.
    AskReset,
    /// "If an account has this address, a link is on its way."
    ResetSent,
    /// The form for the new password.
    NewPassword,
    /// A button that confirms the address.
    Confirm,
    /// What the invitation offers, and a button (signed in) or the ways to sign in.
    Invitation { organization: String, role: String },
    /// The link no longer works.
    Invalid,
}

#[derive(Template)]
#[template(path = "links.html")]
struct LinkPage {
    t: &'static Catalog,
    nav: Nav,
    step: LinkStep,
    token: String,
    f: FormView,
    signed_in: bool,
    /// Where sign-in comes back to.
    here: String,
}

fn page(ctx: &Ctx, step: LinkStep, token: String, f: FormView) -> LinkPage {
    LinkPage {
        t: ctx.t,
        nav: ctx.nav(),
        step,
        token,
        f,
        signed_in: ctx.caller.is_some(),
        here: form_urlencoded::byte_serialize(ctx.here.as_bytes()).collect(),
    }
}

pub async fn reset_form(ctx: Ctx) -> WebResult {
    render(&page(
        &ctx,
        LinkStep::AskReset,
        String::new(),
        FormView::default(),
    ))
}

pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    form: Form,
) -> WebResult {
    let request = ResetRequest {
        email: form.get("email"),
    };
    match emailed_links::request_password_reset(&state.db, &state.limits, addr, request).await {
        Ok(()) => render(&page(
            &ctx,
            LinkStep::ResetSent,
            String::new(),
            FormView::default(),
        )),
        Err(err) => render_invalid(&page(
            &ctx,
            LinkStep::AskReset,
            String::new(),
            FormView::new(form.typed(), Errors::from_app(&err, ctx.t)),
        )),
    }
}

pub async fn new_password_form(ctx: Ctx, Query(query): Query<TokenQuery>) -> WebResult {
    render(&page(
        &ctx,
        LinkStep::NewPassword,
        query.token,
        FormView::default(),
    ))
}

pub async fn new_password(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let request = ResetConfirm {
        token: form.get("token"),
        password: form.raw("password"),
    };
    match emailed_links::reset_password(&state.db, request).await {
        Ok(_) => Ok(see_other("/signin", "flash-password-reset")),
        Err(err) => render_invalid(&page(
            &ctx,
            LinkStep::NewPassword,
            form.get("token"),
            FormView::new(Vec::new(), Errors::from_app(&err, ctx.t)),
        )),
    }
}

pub async fn confirm_form(ctx: Ctx, Query(query): Query<TokenQuery>) -> WebResult {
    render(&page(
        &ctx,
        LinkStep::Confirm,
        query.token,
        FormView::default(),
    ))
}

pub async fn confirm(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    match emailed_links::confirm_email(&state.db, &form.get("token")).await {
        Ok(_) => Ok(see_other("/", "flash-email-confirmed")),
        Err(err) => render_invalid(&page(
            &ctx,
            LinkStep::Invalid,
            String::new(),
            FormView::new(Vec::new(), Errors::from_app(&err, ctx.t)),
        )),
    }
}

pub async fn invitation_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> WebResult {
    let step = match emailed_links::invitation(&state.db, &query.token).await {
        Ok(invitation) => LinkStep::Invitation {
            organization: invitation.organization.name,
            role: invitation.role.as_str().to_owned(),
        },
        Err(_) => LinkStep::Invalid,
    };
    render(&page(&ctx, step, query.token, FormView::default()))
}

pub async fn accept_invitation(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let caller = ctx.require_user()?;
    let organization =
        emailed_links::accept_invitation(&state.db, caller.user.id, &form.get("token"))
            .await
            .or_page(&ctx)?;
    Ok(see_other(
        &format!("/my?org={}", organization.id),
        "flash-invitation-accepted",
    ))
}
