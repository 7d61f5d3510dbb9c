//! Unsubscribing from an email's link, without signing in: the signed token in the link says who
//! and which topic. Opening the link asks for a click (mail scanners open links); the click, or a
//! mail provider's one-click `POST` (RFC 8058), turns that topic's emails off.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::{Catalog, Ctx, Nav, OrPage, TokenQuery, WebResult, render};
use crate::domain::notifications;
use crate::state::{AppState, Query};

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    t: &'static Catalog,
    nav: Nav,
    /// The topic, in words; `None` when the link is not valid.
    topic: Option<String>,
    token: String,
    done: bool,
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> WebResult {
    let topic = state
        .unsubscribe
        .verify(&query.token)
        .map(|(_, topic)| ctx.t.label("topic", topic).to_lowercase());
    respond(&ctx, topic, query.token, false)
}

/// Needs no form token: the signed token is the authority, and only turns emails off.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> WebResult {
    let done = notifications::unsubscribe(&state.db, &state.unsubscribe, &query.token)
        .await
        .or_page(&ctx)?;
    let topic = done.map(|(_, topic)| ctx.t.label("topic", topic).to_lowercase());
    respond(&ctx, topic, query.token, true)
}

fn respond(ctx: &Ctx, topic: Option<String>, token: String, done: bool) -> WebResult {
    let status = if topic.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = render(&UnsubscribePage {
        t: ctx.t,
        nav: ctx.nav(),
        topic,
        token,
        done,
    })?;
    Ok((status, page).into_response())
}
