//! Changing a program from its page, `/programs/{id}/edit` (members of its lead): the title and
//! description with their translation, the closing date of the call, the milestones and the
//! indicators the cohort reports.

use askama::Template;
use axum::extract::State;
use chrono::{NaiveTime, TimeZone, Utc};

use super::super::forms::{self, Errors, Form, FormView};
use super::super::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};
use crate::domain::programs::{self, ProgramPatch, TranslationInput};
use crate::state::{AppState, PathId};

/// Rows for milestones beyond those the program has.
const MORE_MILESTONES: usize = 2;

#[derive(Template)]
#[template(path = "program_edit.html")]
struct EditPage {
    t: &'static Catalog,
    nav: Nav,
    program_id: i64,
    title: String,
    milestone_rows: Vec<usize>,
    indicators: Vec<forms::Choice>,
    f: FormView,
}

impl EditPage {
    fn at(&self, row: &usize, field: &str) -> String {
        format!("milestones[{row}].{field}")
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    f: Option<FormView>,
) -> Result<EditPage, WebError> {
    let caller = ctx.require_user()?;
    let view = programs::get(&state.db, Some(caller.user.id), id)
        .await
        .or_page(ctx)?;
    if !ctx.orgs.iter().any(|(_, o)| o.id == view.lead.id) {
        return Err(WebError::not_found(ctx.lang()));
    }
    let program = &view.program;
    let rows = program.milestones.0.len() + MORE_MILESTONES;
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        f.set("version", program.version);
        f.set("title", &program.title);
        f.set("description", &program.description);
        if let (Some(title), Some(description)) =
            (&program.translated_title, &program.translated_description)
        {
            f.set("translation.title", title);
            f.set("translation.description", description);
        }
        f.set("closes_at", program.closes_at.date_naive());
        for (i, m) in program.milestones.0.iter().enumerate() {
            f.set(&format!("milestones[{i}].title"), &m.title);
            f.set(&format!("milestones[{i}].on"), m.on);
        }
        for code in &program.indicators.0 {
            f.set("indicators", code);
        }
        f
    });
    Ok(EditPage {
        t: ctx.t,
        nav: ctx.nav(),
        program_id: id,
        title: program.text_in(ctx.t.language).0.to_owned(),
        milestone_rows: (0..rows).collect(),
        indicators: forms::indicators(ctx.t),
        f,
    })
}

/// `GET /programs/{id}/edit`.
pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    render(&edit_page(&state, &ctx, id, None).await?)
}

/// `POST /programs/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let t = ctx.t;
    let mut errors = Errors::default();
    let closes_at = forms::date(&form, "closes_at", &mut errors, t).map(|day| {
        Utc.from_utc_datetime(
            &day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()),
        )
    });
    // Rows left empty are dropped; `rows[i]` is the form row of the i-th milestone sent.
    let mut rows = Vec::new();
    let mut milestones = Vec::new();
    for i in 0..form.0.len() {
        let title = form.get(&format!("milestones[{i}].title"));
        let field = format!("milestones[{i}].on");
        if title.is_empty() && form.get(&field).is_empty() {
            continue;
        }
        let on = forms::date(&form, &field, &mut errors, t);
        if on.is_none() && !errors.has(&field) {
            errors.add(&field, crate::error::Invalid::Required, t);
        }
        if let Some(on) = on {
            rows.push(i);
            milestones.push(entity::program::Milestone { title, on });
        }
    }
    let translation = (form.optional("translation.title").is_some()
        || form.optional("translation.description").is_some())
    .then(|| TranslationInput {
        title: form.get("translation.title"),
        description: form.get("translation.description"),
    });
    let patch = ProgramPatch {
        version: form.get("version").parse().unwrap_or_default(),
        title: Some(form.get("title")),
        description: Some(form.get("description")),
        translation: Some(translation),
        closes_at,
        milestones: Some(milestones),
        indicators: Some(form.all("indicators")),
    };
    let saved = if errors.is_empty() {
        programs::update(&state.db, caller.user.id, id, patch)
            .await
            .map_err(|err| {
                Errors::from_app(&err, t).renamed(|field| {
                    if field.starts_with("indicators[") {
                        return Some("indicators".to_owned());
                    }
                    forms::reindex(field, "milestones", &rows)
                })
            })
    } else {
        Err(errors)
    };
    match saved {
        Ok(_) => Ok(see_other(&format!("/programs/{id}"), "flash-program-saved")),
        Err(errors) => render_invalid(
            &edit_page(&state, &ctx, id, Some(FormView::new(form.typed(), errors))).await?,
        ),
    }
}
