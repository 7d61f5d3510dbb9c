//! A completed partnership's follow-ups on its page, and the form that reports one,
//! `/my/partnerships/{id}/follow-ups/{due}` (mirrors `http/outcomes`).

use askama::Template;
use axum::extract::{Path, State};
use chrono::Duration;
use entity::FollowUpDue;

use super::{IndicatorCells, PartnershipItem};
use crate::domain::outcomes::{self, EARLY_DAYS, FollowUpInput, FollowUpView};
use crate::error::ErrorCode;
use crate::state::AppState;
use crate::web::forms::{Errors, Form, FormView};
use crate::web::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};

/// A follow-up as the partnership's page lists it.
pub struct FollowUpLine {
    pub title: String,
    /// When it is due, or when it was reported.
    pub status: String,
    /// The form, when the viewer may report it now.
    pub href: Option<String>,
    pub reported: bool,
    /// What the organization wrote with it.
    pub note: Option<String>,
}

/// The follow-ups of a partnership (already read by `partnership`) as its page shows them, with
/// their values written into the outcome's indicator cells.
pub async fn follow_up_lines(
    state: &AppState,
    ctx: &Ctx,
    p: &mut PartnershipItem,
) -> Result<Vec<FollowUpLine>, WebError> {
    let t = ctx.t;
    let follow_ups = outcomes::planned(&state.db, p.id).await.or_page(ctx)?;
    if let Some(report) = p.report.as_mut() {
        for f in &follow_ups {
            for cells in &mut report.indicators {
                let value = f
                    .values
                    .iter()
                    .find(|v| v.key == cells.key)
                    .map(|v| &v.value);
                cells.follow(f.due, value, t);
            }
        }
    }
    Ok(follow_ups
        .iter()
        .map(|f| {
            let date =
                |at: chrono::DateTime<chrono::Utc>| crate::i18n::date(at.date_naive(), t.language);
            FollowUpLine {
                title: t.label("follow-up", f.due),
                status: match f.reported_at {
                    Some(at) => t.with("follow-up-reported-on", "date", date(at)),
                    None => t.with("follow-up-due-on", "date", date(f.due_at)),
                },
                href: (f.open && p.need_side)
                    .then(|| format!("/my/partnerships/{}/follow-ups/{}", p.id, f.due)),
                reported: f.reported_at.is_some(),
                note: f.note.clone(),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    t: &'static Catalog,
    nav: Nav,
    p: PartnershipItem,
    title: String,
    due: FollowUpDue,
    /// Whether it can be reported now; if not, from when.
    open: bool,
    opens_on: String,
    rows: Vec<FollowUpRow>,
    /// The indicators' keys, row by row.
    keys: Vec<String>,
    f: FormView,
}

/// One indicator's field: its name, its label, and what was measured before as its hint.
struct FollowUpRow {
    field: String,
    label: String,
    hint: String,
}

impl FollowUpRow {
    fn new(row: usize, cells: &IndicatorCells, t: &Catalog) -> Self {
        let mut said = vec![t.with("follow-up-baseline", "value", &cells.before)];
        if !cells.target.is_empty() {
            said.push(t.with("follow-up-target", "value", &cells.target));
        }
        said.push(t.with("follow-up-at-completion", "value", &cells.after));
        Self {
            field: format!("values[{row}]"),
            label: if cells.unit.is_empty() {
                cells.name.clone()
            } else {
                format!("{} ({})", cells.name, cells.unit)
            },
            hint: said.join(" · "),
        }
    }
}

async fn follow_up_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    due: &str,
    f: Option<FormView>,
) -> Result<FollowUpPage, WebError> {
    let t = ctx.t;
    let mut p = super::partnerships::partnership(state, ctx, id).await?;
    let views = outcomes::planned(&state.db, id).await.or_page(ctx)?;
    let view: FollowUpView = views
        .into_iter()
        .find(|v| v.due.as_str() == due)
        .filter(|_| p.need_side)
        .ok_or_else(|| WebError::not_found(ctx.lang()))?;
    let indicators = p.report.take().map(|r| r.indicators).unwrap_or_default();
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        for (row, cells) in indicators.iter().enumerate() {
            if let Some(v) = view.values.iter().find(|v| v.key == cells.key) {
                f.set(&format!("values[{row}]"), t.indicator(&v.value));
            }
        }
        f.set("note", view.note.clone().unwrap_or_default());
        f
    });
    Ok(FollowUpPage {
        t,
        nav: ctx.nav(),
        title: t.with(
            "follow-up-title",
            "when",
            t.label("follow-up", view.due).to_lowercase(),
        ),
        due: view.due,
        open: view.open,
        opens_on: crate::i18n::date(
            (view.due_at - Duration::days(EARLY_DAYS)).date_naive(),
            t.language,
        ),
        p,
        rows: indicators
            .iter()
            .enumerate()
            .map(|(row, cells)| FollowUpRow::new(row, cells, t))
            .collect(),
        keys: indicators.into_iter().map(|c| c.key).collect(),
        f,
    })
}

/// `GET /my/partnerships/{id}/follow-ups/{due}`: the form, with the values reported so far.
pub async fn follow_up_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, due)): Path<(i64, String)>,
) -> WebResult {
    render(&follow_up_page(&state, &ctx, id, &due, None).await?)
}

/// `POST /my/partnerships/{id}/follow-ups/{due}`: reports (or corrects) the follow-up.
pub async fn report_follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, due)): Path<(i64, String)>,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let t = ctx.t;
    let page = follow_up_page(&state, &ctx, id, &due, Some(FormView::default())).await?;
    let keys = page.keys.clone();
    let values = keys
        .iter()
        .enumerate()
        .filter_map(|(row, key)| {
            let raw = form.get(&format!("values[{row}]"));
            (!raw.is_empty()).then(|| (key.clone(), super::partnerships::indicator_value(&raw, t)))
        })
        .collect();
    let input = FollowUpInput {
        values,
        note: form.optional("note"),
    };
    match outcomes::report(&state.db, caller.user.id, id, &due, input).await {
        Ok(_) => Ok(see_other(
            &format!("/partnerships/{id}#report-heading"),
            "flash-follow-up-saved",
        )),
        Err(err)
            if matches!(
                err.code(),
                ErrorCode::ValidationFailed | ErrorCode::FollowUpNotOpen
            ) =>
        {
            let errors = Errors::from_app(&err, t).renamed(|field| {
                let key = field.strip_prefix("values.")?;
                let row = keys.iter().position(|k| k == key)?;
                Some(format!("values[{row}]"))
            });
            render_invalid(&FollowUpPage {
                f: FormView::new(form.typed(), errors),
                ..page
            })
        }
        Err(err) => Err(err).or_page(&ctx),
    }
}
