//! The program team's workspace, `/programs/{id}/workspace`: every request of the submitted
//! applications in one table with what the latest allocation run gave it and why; the team pins
//! or leaves out requests and runs the allocation again, then confirms it. Beside it, the
//! best-fitting eligible organizations that have not applied, to invite.

use askama::Template;
use axum::extract::State;
use entity::ApplicationStatus;

use super::super::forms::{Errors, Form, FormView};
use super::super::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};
use super::decision_text;
use crate::domain::programs::{self, Exclusion, Pin, RunInput, RunResult};
use crate::state::{AppState, PathId};

/// One request of an application, a row of the allocation table.
struct RequestRow {
    org: String,
    org_href: String,
    /// The first row of its application shows the organization.
    first: bool,
    status: String,
    groups: String,
    component: String,
    asked: i32,
    /// What the latest run gave, and why.
    outcome: String,
    /// `choice-{application}-{component}` (solver, pin or exclude) and `pin-…` (units).
    key: String,
}

impl RequestRow {
    fn choice(&self) -> String {
        format!("choice-{}", self.key)
    }
    fn pin(&self) -> String {
        format!("pin-{}", self.key)
    }
}

/// An organization the team may invite.
struct CandidateRow {
    org_id: i64,
    org: String,
    org_href: String,
    need: String,
    need_href: String,
    component: String,
    fit: String,
    invited: Option<String>,
}

#[derive(Template)]
#[template(path = "program_workspace.html")]
struct WorkspacePage {
    t: &'static Catalog,
    nav: Nav,
    program_id: i64,
    title: String,
    applications: String,
    rows: Vec<RequestRow>,
    /// The latest run: its id, when, its value; confirmed when.
    run: Option<(i64, String, String)>,
    confirmed: Option<String>,
    /// What the bundles and minimum shares cost in the latest run.
    constraints_cost: Option<String>,
    can_run: bool,
    candidates: Vec<CandidateRow>,
    can_invite: bool,
    f: FormView,
}

fn key(application_id: i64, component_id: i64) -> String {
    format!("{application_id}-{component_id}")
}

async fn workspace_page(
    state: &AppState,
    ctx: &Ctx,
    program_id: i64,
    f: Option<FormView>,
) -> Result<WorkspacePage, WebError> {
    let caller = ctx.require_user()?;
    let user = caller.user.id;
    let t = ctx.t;
    let view = programs::get(&state.db, Some(user), program_id)
        .await
        .or_page(ctx)?;
    if !view.is_team {
        return Err(WebError::not_found(ctx.lang()));
    }
    let applications = programs::applications(&state.db, user, program_id)
        .await
        .or_page(ctx)?;
    let runs = programs::runs(&state.db, user, program_id)
        .await
        .or_page(ctx)?;
    let latest = match runs.first() {
        Some(run) => Some(
            programs::get_run(&state.db, user, run.id)
                .await
                .or_page(ctx)?,
        ),
        None => None,
    };
    let candidates =
        crate::matching::program_candidates(&state.db, &state.search, &state.taxonomy, &view, 10)
            .await
            .or_page(ctx)?;
    let component_title = |id: i64| {
        view.components
            .iter()
            .find(|c| c.component.id == id)
            .map(|c| c.component.title.clone())
            .unwrap_or_default()
    };
    // The form starts from the latest run's pins and exclusions.
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        if let Some((run, _)) = &latest {
            let pins: Vec<Pin> = serde_json::from_value(run.pins.clone()).unwrap_or_default();
            let exclusions: Vec<Exclusion> =
                serde_json::from_value(run.exclusions.clone()).unwrap_or_default();
            for pin in pins {
                let key = key(pin.application_id, pin.component_id);
                f.set(&format!("choice-{key}"), "pin");
                f.set(&format!("pin-{key}"), pin.units);
            }
            for exclusion in exclusions {
                let key = key(exclusion.application_id, exclusion.component_id);
                f.set(&format!("choice-{key}"), "exclude");
            }
        }
        f
    });
    let result: Option<&RunResult> = latest.as_ref().map(|(_, result)| result);
    let mut rows = Vec::new();
    for entry in applications
        .iter()
        .filter(|a| a.application.status != ApplicationStatus::Withdrawn)
    {
        let application = &entry.application;
        let decision = result.and_then(|r| {
            r.decisions
                .iter()
                .find(|d| d.application_id == application.id)
        });
        for (i, request) in application.requests.0.iter().enumerate() {
            let line = decision.and_then(|d| {
                d.lines
                    .iter()
                    .find(|l| l.component_id == request.component_id)
            });
            rows.push(RequestRow {
                org: entry.org.name.clone(),
                org_href: format!("/organizations/{}", entry.org.id),
                first: i == 0,
                status: t.label("application-status", application.status),
                groups: decision.map(|d| d.groups.join(", ")).unwrap_or_default(),
                component: component_title(request.component_id),
                asked: request.units,
                outcome: line.map(|l| decision_text(t, l)).unwrap_or_default(),
                key: key(application.id, request.component_id),
            });
        }
    }
    let confirmed = runs
        .iter()
        .find_map(|r| r.confirmed_at)
        .map(|at| crate::i18n::date_time(at, t.language));
    Ok(WorkspacePage {
        t,
        nav: ctx.nav(),
        program_id,
        title: view.program.text_in(t.language).0.to_owned(),
        applications: t.count("program-applications", view.applications()),
        can_run: confirmed.is_none() && !rows.is_empty(),
        can_invite: confirmed.is_none() && view.state != programs::CallState::Closed,
        confirmed,
        constraints_cost: result.and_then(|r| {
            let without = r.value_without_constraints?;
            let loss = if without.abs() > f64::EPSILON {
                100.0 * (without - r.value) / without
            } else {
                0.0
            };
            Some(t.args(
                "workspace-constraints-cost",
                &[
                    ("without", crate::i18n::decimal(without, t.language)),
                    ("loss", crate::i18n::decimal(loss, t.language)),
                ],
            ))
        }),
        run: latest.as_ref().map(|(run, result)| {
            (
                run.id,
                crate::i18n::date_time(run.created_at, t.language),
                crate::i18n::decimal(result.value, t.language),
            )
        }),
        candidates: candidates
            .into_iter()
            .map(|c| CandidateRow {
                org_id: c.org.id,
                org: c.org.name.clone(),
                org_href: format!("/organizations/{}", c.org.id),
                need: c.need.title.clone(),
                need_href: format!("/needs/{}", c.need.id),
                component: component_title(c.component_id),
                fit: crate::i18n::decimal(c.fit, t.language),
                invited: c
                    .invited_at
                    .map(|at| crate::i18n::date(at.date_naive(), t.language)),
            })
            .collect(),
        rows,
        f,
    })
}

/// `GET /programs/{id}/workspace`: the team's workspace.
pub async fn workspace(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    render(&workspace_page(&state, &ctx, id, None).await?)
}

/// `POST /programs/{id}/allocations`: runs the allocation with the pins and exclusions chosen in
/// the table.
pub async fn run(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let mut errors = Errors::default();
    let mut input = RunInput::default();
    for (name, choice) in &form.0 {
        let Some(key) = name.strip_prefix("choice-") else {
            continue;
        };
        let Some((application_id, component_id)) = key
            .split_once('-')
            .and_then(|(a, c)| Some((a.parse().ok()?, c.parse().ok()?)))
        else {
            continue;
        };
        match choice.as_str() {
            "exclude" => input.exclusions.push(Exclusion {
                application_id,
                component_id,
            }),
            "pin" => {
                let field = format!("pin-{key}");
                match super::super::forms::whole::<i32>(&form, &field, &mut errors, ctx.t) {
                    Some(units) => input.pins.push(Pin {
                        application_id,
                        component_id,
                        units,
                    }),
                    None if errors.has(&field) => {}
                    None => errors.add(&field, crate::error::Invalid::Required, ctx.t),
                }
            }
            _ => {}
        }
    }
    let fields: Vec<String> = input
        .pins
        .iter()
        .map(|p| format!("pin-{}", key(p.application_id, p.component_id)))
        .collect();
    let ran = if errors.is_empty() {
        let fit = crate::matching::allocation_fit(&state.search, &state.taxonomy);
        programs::run(&state.db, caller.user.id, id, input, &fit)
            .await
            .map_err(|err| {
                // `pins[i]…` is the units field of the i-th pin.
                Errors::from_app(&err, ctx.t).renamed(|field| {
                    let (index, _) = super::super::forms::list_item(field, "pins")?;
                    fields.get(index).cloned()
                })
            })
    } else {
        Err(errors)
    };
    match ran {
        Ok(_) => Ok(see_other(
            &format!("/programs/{id}/workspace#allocation"),
            "flash-allocation-run",
        )),
        Err(errors) => render_invalid(
            &workspace_page(&state, &ctx, id, Some(FormView::new(form.typed(), errors))).await?,
        ),
    }
}

/// `POST /programs/{id}/confirmation`: confirms the latest run shown.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let run_id = form.record_id("run_id", ctx.lang())?;
    programs::confirm(
        &state.db,
        caller.user.id,
        run_id,
        state.config.proposal_expiry_days,
    )
    .await
    .or_page(&ctx)?;
    Ok(see_other(
        &format!("/programs/{id}/workspace#allocation"),
        "flash-allocation-confirmed",
    ))
}

/// `POST /programs/{id}/invitations`: invites an organization to apply.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let org_id = form.record_id("organization_id", ctx.lang())?;
    programs::invite(&state.db, caller.user.id, id, org_id, &state.taxonomy)
        .await
        .or_page(&ctx)?;
    Ok(see_other(
        &format!("/programs/{id}/workspace#invite"),
        "flash-invited",
    ))
}
