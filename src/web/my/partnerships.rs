//! Answering and moving partnerships along, and the completion form with the outcome report
//! (mirrors `http/partnerships`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use entity::{ReasonCode, partnership};
use serde_json::Value;

use crate::domain::outcomes;
use crate::domain::partnerships::messages::{self, MessageInput};
use crate::domain::partnerships::{
    self, CompleteInput, IndicatorInput, NoteInput, OutcomeInput, ReasonInput, Step, StepKind,
};
use crate::error::{ErrorCode, Invalid};
use crate::state::{AppState, PathId};
use crate::web::confirm::{self, ConfirmPage};
use crate::web::forms::{self, Errors, Form, FormView};
use crate::web::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};

use super::PartnershipItem;

/// Accept, decline, withdraw, start or cancel a partnership, with an optional note. Declining,
/// withdrawing and cancelling are taken only from their confirmation page (with its reason); a
/// bare request for one of them is sent there first.
pub async fn partnership_step(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let back = match form.get("next").as_str() {
        "" => "/my#partnerships".to_owned(),
        next => crate::web::local_path(next).to_owned(),
    };
    let action = form.get("action");
    let (step, flash) = match action.as_str() {
        "accept" | "start" => {
            let note = NoteInput {
                note: form.optional("note"),
            }
            .parse()
            .or_page(&ctx)?;
            match action.as_str() {
                "accept" => (Step::Accept { note }, "flash-accepted"),
                _ => (Step::Start { note }, "flash-started"),
            }
        }
        "decline" | "withdraw" | "cancel" => {
            if !confirm::confirmed(&form) {
                return Ok(Redirect::to(&format!("/partnerships/{id}/{action}")).into_response());
            }
            let kind = ending(&action).ok_or_else(|| WebError::not_found(ctx.lang()))?;
            let reason_code = match confirm::reason_code(&form, ReasonCode::parse, ctx.t) {
                Ok(code) => code,
                Err(errors) => {
                    let f = FormView::new(form.typed(), errors);
                    return render_invalid(&confirm_page(&state, &ctx, id, kind, f).await?);
                }
            };
            let input = ReasonInput {
                reason_code,
                reason: form.optional("reason"),
            };
            let (note, reason) = match input.parse() {
                Ok(parsed) => parsed,
                Err(err) => {
                    let f = FormView::new(form.typed(), Errors::from_app(&err, ctx.t));
                    return render_invalid(&confirm_page(&state, &ctx, id, kind, f).await?);
                }
            };
            match kind {
                StepKind::Decline => (Step::Decline { note, reason }, "flash-declined"),
                StepKind::Withdraw => (Step::Withdraw { note, reason }, "flash-withdrawn"),
                _ => (Step::Cancel { note, reason }, "flash-cancelled"),
            }
        }
        _ => return Err(WebError::not_found(ctx.lang())),
    };
    partnerships::transition(&state.db, caller.user.id, id, step)
        .await
        .or_page(&ctx)?;
    Ok(see_other(&back, flash))
}

/// The steps that end a proposal or a partnership, which ask for confirmation and a reason.
fn ending(verb: &str) -> Option<StepKind> {
    match verb {
        "decline" => Some(StepKind::Decline),
        "withdraw" => Some(StepKind::Withdraw),
        "cancel" => Some(StepKind::Cancel),
        _ => None,
    }
}

/// The common reasons offered for a step, in the order people are likely to pick them.
fn reasons_for(kind: StepKind) -> &'static [ReasonCode] {
    use ReasonCode::*;
    match kind {
        StepKind::Decline => &[
            NotAFit,
            NoCapacity,
            FoundAnotherPartner,
            NeedsChanged,
            Other,
        ],
        StepKind::Withdraw => &[FoundAnotherPartner, NeedsChanged, NoResponse, Other],
        _ => &[NoCapacity, NeedsChanged, NoResponse, Other],
    }
}

async fn confirm_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    kind: StepKind,
    f: FormView,
) -> Result<ConfirmPage, WebError> {
    let p = partnership(state, ctx, id).await?;
    let allowed = match kind {
        StepKind::Decline => p.can_answer,
        StepKind::Withdraw => p.can_withdraw,
        _ => p.can_cancel,
    };
    if !allowed {
        return Err(WebError::not_found(ctx.lang()));
    }
    let verb = kind.as_str();
    let t = ctx.t;
    Ok(ConfirmPage {
        t,
        nav: ctx.nav(),
        action: format!("/my/partnerships/{id}/step"),
        hidden: vec![("action", verb.to_owned())],
        reason_hint: t.get("reason-words-hint"),
        reason_required: false,
        back_label: t.get("partnership-back-to"),
        heading: t.get(&format!("confirm-{verb}-title")),
        lead: t.with(
            &format!("confirm-{verb}-lead"),
            "organization",
            &p.counterpart,
        ),
        confirm: t.get(&format!("confirm-{verb}-submit")),
        reasons: forms::labelled(t, "reason", reasons_for(kind)),
        back: format!("/partnerships/{id}"),
        f,
    })
}

/// Asks to confirm a decline, a withdrawal or a cancellation, with a reason the other side sees.
pub async fn confirm_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, verb)): Path<(i64, String)>,
) -> WebResult {
    let kind = ending(&verb).ok_or_else(|| WebError::not_found(ctx.lang()))?;
    render(&confirm_page(&state, &ctx, id, kind, FormView::default()).await?)
}

/// One message of the conversation, as the page shows it.
pub struct MessageLine {
    pub author: String,
    pub organization: String,
    pub body: String,
    pub when: String,
    pub when_iso: String,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "partnership.html")]
struct PartnershipPage {
    t: &'static Catalog,
    nav: Nav,
    p: PartnershipItem,
    messages: Vec<MessageLine>,
    follow_ups: Vec<super::follow_ups::FollowUpLine>,
    f: FormView,
}

async fn partnership_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    f: FormView,
) -> Result<PartnershipPage, WebError> {
    let caller = ctx.require_user()?;
    let p = partnership(state, ctx, id).await?;
    let messages = messages::list(&state.db, caller.user.id, id)
        .await
        .or_page(ctx)?
        .into_iter()
        .map(|view| MessageLine {
            author: view
                .author
                .unwrap_or_else(|| ctx.t.get("message-former-member")),
            organization: view.organization,
            body: view.message.body,
            when: crate::i18n::date_time(view.message.created_at, ctx.t.language),
            when_iso: view.message.created_at.to_rfc3339(),
            mine: view.mine,
        })
        .collect();
    let mut p = p;
    let follow_ups = super::follow_ups::follow_up_lines(state, ctx, &mut p).await?;
    Ok(PartnershipPage {
        t: ctx.t,
        nav: ctx.nav(),
        p,
        messages,
        follow_ups,
        f,
    })
}

/// The partnership, the steps the viewer may take, and its conversation.
pub async fn partnership_detail(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    render(&partnership_page(&state, &ctx, id, FormView::default()).await?)
}

/// Writes to the other organization, then shows the conversation again.
pub async fn post_message(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let input = MessageInput {
        body: form.raw("body"),
    };
    match messages::post(&state.db, caller.user.id, id, input).await {
        Ok(_) => Ok(see_other(
            &format!("/partnerships/{id}#messages"),
            "flash-message-sent",
        )),
        Err(err) if err.code() == ErrorCode::ValidationFailed => {
            let f = FormView::new(form.typed(), Errors::from_app(&err, ctx.t));
            render_invalid(&partnership_page(&state, &ctx, id, f).await?)
        }
        Err(err) => Err(err).or_page(&ctx),
    }
}

#[derive(Template)]
#[template(path = "complete.html")]
struct CompletePage {
    t: &'static Catalog,
    nav: Nav,
    partnership: PartnershipItem,
    f: FormView,
    rows: Vec<IndicatorRow>,
    /// The indicator list, to pick from.
    indicators: Vec<forms::Choice>,
    /// The names of the indicators the program requires, if any.
    required: Vec<String>,
}

/// The field names of one indicator row of the completion form.
pub struct IndicatorRow {
    pub number: usize,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub before: String,
    pub target: String,
    pub after: String,
}

/// Rows beyond the indicators the program requires.
const MORE_INDICATORS: usize = 3;

fn indicator_rows(required: usize) -> Vec<IndicatorRow> {
    let field = |i: usize, name: &str| format!("outcome.indicators[{i}].{name}");
    (0..(required + MORE_INDICATORS).min(outcomes::MAX_INDICATORS))
        .map(|i| IndicatorRow {
            number: i + 1,
            code: field(i, "code"),
            name: field(i, "name"),
            unit: field(i, "unit"),
            before: field(i, "before"),
            target: field(i, "target"),
            after: field(i, "after"),
        })
        .collect()
}

pub(super) async fn partnership(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<PartnershipItem, WebError> {
    Ok(read(state, ctx, id).await?.1)
}

/// The partnership as the viewer may read it: its row, and the page's view of it.
async fn read(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(partnership::Model, PartnershipItem), WebError> {
    let caller = ctx.require_user()?;
    let found = partnerships::get(&state.db, caller.user.id, id)
        .await
        .or_page(ctx)?;
    let view = partnerships::describe(&state.db, &ctx.viewer.org_ids, vec![found.clone()])
        .await
        .or_page(ctx)?
        .pop()
        .ok_or_else(|| WebError::not_found(ctx.lang()))?;
    Ok((found, PartnershipItem::new(view, ctx.t)))
}

/// The partnership, and the indicator codes its program requires of its outcome.
async fn partnership_and_codes(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(PartnershipItem, Vec<String>), WebError> {
    let (found, item) = read(state, ctx, id).await?;
    let required = outcomes::required_codes(&state.db, &found)
        .await
        .or_page(ctx)?;
    Ok((item, required))
}

fn complete_page(
    ctx: &Ctx,
    partnership: PartnershipItem,
    required: &[String],
    f: FormView,
) -> CompletePage {
    let t = ctx.t;
    CompletePage {
        t,
        nav: ctx.nav(),
        partnership,
        f,
        rows: indicator_rows(required.len()),
        indicators: forms::indicators(t),
        required: outcomes::names_of(required, t.language),
    }
}

pub async fn complete_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    let (partnership, required) = partnership_and_codes(&state, &ctx, id).await?;
    let mut f = FormView::default();
    for (i, code) in required.iter().enumerate() {
        f.set(&format!("outcome.indicators[{i}].code"), code);
    }
    render(&complete_page(&ctx, partnership, &required, f))
}

/// A typed value as the domain reads it: a number when it reads as one, nothing when left
/// empty, else the text.
pub(super) fn indicator_value(raw: &str, t: &Catalog) -> Value {
    if raw.trim().is_empty() {
        return Value::Null;
    }
    match crate::i18n::parse_number(raw, t.language) {
        Some(n) => serde_json::json!(n),
        None => Value::String(raw.to_owned()),
    }
}

pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let t = ctx.t;
    let mut errors = Errors::default();
    let hours = forms::number(&form, "outcome.hours", &mut errors, t);
    let value_cad = forms::number(&form, "outcome.value_cad", &mut errors, t);
    if form.get("outcome.hours").is_empty() {
        errors.add("outcome.hours", Invalid::Required, t);
    }
    if form.get("outcome.value_cad").is_empty() {
        errors.add("outcome.value_cad", Invalid::Required, t);
    }
    // Rows left empty are dropped; `rows[i]` is the form row of the i-th indicator sent.
    let mut rows = Vec::new();
    let mut indicators = Vec::new();
    for i in 0..outcomes::MAX_INDICATORS {
        let field = |name: &str| form.optional(&format!("outcome.indicators[{i}].{name}"));
        let (before, target, after) = (field("before"), field("target"), field("after"));
        if [&field("code"), &field("name"), &before, &target, &after]
            .iter()
            .all(|v| v.is_none())
        {
            continue;
        }
        rows.push(i);
        let value = |v: Option<String>| indicator_value(v.as_deref().unwrap_or(""), t);
        indicators.push(IndicatorInput {
            code: field("code"),
            name: field("name"),
            unit: field("unit").filter(|_| field("code").is_none()),
            before: value(before),
            target: target.map(|v| indicator_value(&v, t)),
            after: value(after),
        });
    }
    let rename = |field: &str| forms::reindex(field, "outcome.indicators", &rows);
    let (item, required) = partnership_and_codes(&state, &ctx, id).await?;
    let refused = |errors: Errors, partnership: PartnershipItem| {
        let values = form.typed();
        render_invalid(&complete_page(
            &ctx,
            partnership,
            &required,
            FormView::new(values, errors),
        ))
    };
    let public = form.checked("public");
    let input = CompleteInput {
        public,
        outcome: OutcomeInput {
            hours: hours.unwrap_or(0.0),
            value_cad: value_cad.unwrap_or(0.0),
            delivered: form.get("outcome.delivered"),
            indicators,
        },
        note: form.optional("note"),
    };
    if !errors.is_empty() {
        // Show every message at once: what the form could not read, and what the API refuses.
        if let Err(err) = input.parse() {
            errors.merge(Errors::from_app(&err, t).renamed(rename));
        }
        return refused(errors, item);
    }
    let done = match input.parse() {
        Ok((outcome, note)) => {
            let step = Step::Complete {
                outcome,
                note,
                public,
            };
            partnerships::transition(&state.db, caller.user.id, id, step).await
        }
        Err(err) => Err(err),
    };
    match done {
        Ok(_) => Ok(see_other("/my#partnerships", "flash-completed")),
        Err(err) if err.code() == ErrorCode::ValidationFailed => {
            refused(Errors::from_app(&err, t).renamed(rename), item)
        }
        Err(err) => Err(WebError::app(err, ctx.lang())),
    }
}

/// One side agrees (or no longer agrees) to list a completed partnership on the public pages.
pub async fn publicity(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let public = form.get("public") == "true";
    partnerships::set_publicity(&state.db, caller.user.id, id, public)
        .await
        .or_page(&ctx)?;
    Ok(see_other(
        &format!("/partnerships/{id}#report-heading"),
        "flash-publicity-saved",
    ))
}
