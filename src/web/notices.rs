//! The notifications page: what the signed-in person has been told, newest first, each linking
//! to what it is about; marking one or all read.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;

use super::forms::Form;
use super::{Catalog, Ctx, Nav, OrPage, WebResult, local_path, render, see_other};
use crate::domain::notifications::{self, Marked};
use crate::domain::types::cursor;
use crate::state::{AppState, Query};

/// Notifications per page.
const PAGE: u64 = 30;

/// One line of the page.
pub struct Line {
    pub id: i64,
    pub text: String,
    pub note: Option<String>,
    pub link: String,
    pub when: String,
    pub when_iso: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    t: &'static Catalog,
    nav: Nav,
    lines: Vec<Line>,
    /// Link to the next (older) page.
    older: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct InboxQuery {
    cursor: Option<String>,
}

pub async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<InboxQuery>,
) -> WebResult {
    let caller = ctx.require_user()?;
    let before = query.cursor.as_deref().and_then(|c| cursor::decode(c).ok());
    let inbox = notifications::list(&state.db, caller.user.id, before, PAGE)
        .await
        .or_page(&ctx)?;
    let lines = inbox
        .items
        .iter()
        .map(|item| {
            let (text, note) = notifications::describe(item, ctx.t);
            Line {
                id: item.id,
                text,
                note,
                link: notifications::link(item),
                when: crate::i18n::date_time(item.created_at, ctx.t.language),
                when_iso: item.created_at.to_rfc3339(),
                unread: item.read_at.is_none(),
            }
        })
        .collect();
    render(&InboxPage {
        t: ctx.t,
        nav: ctx.nav(),
        lines,
        older: inbox
            .next_before
            .map(|id| format!("/notifications?cursor={}", cursor::encode(id))),
    })
}

/// Marks one notification (`id`) or all of them read, then follows the notification's link
/// (`next`) or comes back to the list.
pub async fn mark_read(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let caller = ctx.require_user()?;
    let which = match form.get("id").parse::<i64>() {
        Ok(id) => Marked::Some(vec![id]),
        Err(_) => Marked::All,
    };
    notifications::mark_read(&state.db, caller.user.id, which)
        .await
        .or_page(&ctx)?;
    let next = form.get("next");
    Ok(match next.as_str() {
        "" => see_other("/notifications", "flash-notifications-read"),
        next => axum::response::Redirect::to(local_path(next)).into_response(),
    })
}
