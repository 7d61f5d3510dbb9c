//! Applying to a program from its page: `/programs/{id}/apply` asks, for each component, how many
//! units and which of the organization's needs they meet, the answers to the program's questions,
//! the declared priority groups and an overall maximum; it saves a draft or submits. An applicant
//! withdraws from the program's page.

use askama::Template;
use axum::extract::{Query, State};
use entity::ApplicationStatus;
use entity::program_application::ComponentRequest;
use serde::Deserialize;

use super::super::forms::{self, Choice, Errors, Form, FormView};
use super::super::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};
use crate::domain::programs::{self, ApplicationInput, CallState};
use crate::state::{AppState, PathId};

/// A component as the form asks for it.
struct ComponentAsk {
    id: i64,
    title: String,
    partner: String,
    most: String,
}

impl ComponentAsk {
    fn units(&self) -> String {
        units_field(self.id)
    }
    fn need(&self) -> String {
        need_field(self.id)
    }
}

struct Question {
    field: String,
    text: String,
}

#[derive(Template)]
#[template(path = "program_apply.html")]
struct ApplyPage {
    t: &'static Catalog,
    nav: Nav,
    program_id: i64,
    title: String,
    org_id: i64,
    org_name: String,
    /// The user's other organizations, to apply as one of them instead.
    others: Vec<Choice>,
    components: Vec<ComponentAsk>,
    needs: Vec<Choice>,
    questions: Vec<Question>,
    groups: Vec<Choice>,
    status: Option<String>,
    f: FormView,
}

#[derive(Deserialize)]
pub struct AsOrg {
    #[serde(default)]
    org: Option<i64>,
}

fn units_field(component_id: i64) -> String {
    format!("units-{component_id}")
}

fn need_field(component_id: i64) -> String {
    format!("need-{component_id}")
}

/// The organization applying: the one asked for if the user belongs to it, else the first.
fn applying_org(ctx: &Ctx, asked: Option<i64>) -> Result<(i64, String), WebError> {
    ctx.orgs
        .iter()
        .find(|(_, o)| Some(o.id) == asked)
        .or_else(|| ctx.orgs.first())
        .map(|(_, o)| (o.id, o.name.clone()))
        .ok_or_else(|| {
            WebError::App(
                crate::error::AppError::field(
                    "organization_id",
                    crate::error::Invalid::NoOrganization,
                ),
                ctx.lang(),
            )
        })
}

async fn apply_page(
    state: &AppState,
    ctx: &Ctx,
    program_id: i64,
    org_id: i64,
    f: Option<FormView>,
) -> Result<ApplyPage, WebError> {
    let caller = ctx.require_user()?;
    let t = ctx.t;
    let view = programs::get(&state.db, Some(caller.user.id), program_id)
        .await
        .or_page(ctx)?;
    let (application, needs) = programs::form_of(&state.db, caller.user.id, program_id, org_id)
        .await
        .or_page(ctx)?;
    let program = &view.program;
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        if let Some(application) = &application {
            for request in &application.requests.0 {
                f.set(&units_field(request.component_id), request.units);
                if let Some(need) = request.need_id {
                    f.set(&need_field(request.component_id), need);
                }
            }
            for (i, answer) in application.answers.0.iter().enumerate() {
                f.set(&format!("answers[{i}]"), answer);
            }
            for group in &application.groups.0 {
                f.set("groups", group);
            }
            if let Some(max) = application.max_units {
                f.set("max_units", max);
            }
            if application.all_or_nothing {
                f.set("all_or_nothing", "true");
            }
        }
        f
    });
    Ok(ApplyPage {
        t,
        nav: ctx.nav(),
        program_id,
        title: program.text_in(t.language).0.to_owned(),
        org_id,
        org_name: ctx
            .orgs
            .iter()
            .find(|(_, o)| o.id == org_id)
            .map(|(_, o)| o.name.clone())
            .unwrap_or_default(),
        others: ctx
            .orgs
            .iter()
            .filter(|(_, o)| o.id != org_id)
            .map(|(_, o)| Choice {
                value: o.id.to_string(),
                label: o.name.clone(),
            })
            .collect(),
        components: view
            .components
            .iter()
            .map(|c| ComponentAsk {
                id: c.component.id,
                title: c.component.title.clone(),
                partner: c.partner_name.clone(),
                most: t.quantity(
                    c.component.unit,
                    c.component.per_org_max.unwrap_or(c.component.capacity),
                ),
            })
            .collect(),
        needs: needs
            .iter()
            .map(|n| Choice {
                value: n.id.to_string(),
                label: n.title.clone(),
            })
            .collect(),
        questions: program
            .questions
            .0
            .iter()
            .enumerate()
            .map(|(i, text)| Question {
                field: format!("answers[{i}]"),
                text: text.clone(),
            })
            .collect(),
        groups: program
            .priority_groups
            .0
            .iter()
            .filter(|g| g.declared())
            .map(|g| Choice {
                value: g.code.clone(),
                label: g.name.clone(),
            })
            .collect(),
        status: application.map(|a| t.label("application-status", a.status)),
        f,
    })
}

/// `GET /programs/{id}/apply[?org=]`: the application form, filled with the organization's
/// application when it wrote one.
pub async fn apply_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    Query(AsOrg { org }): Query<AsOrg>,
) -> WebResult {
    ctx.require_user()?;
    let (org_id, _) = applying_org(&ctx, org)?;
    render(&apply_page(&state, &ctx, id, org_id, None).await?)
}

/// `POST /programs/{id}/apply`: saves the draft or submits.
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let (org_id, _) = applying_org(&ctx, form.get("organization_id").parse().ok())?;
    let view = programs::get(&state.db, Some(caller.user.id), id)
        .await
        .or_page(&ctx)?;
    let mut errors = Errors::default();
    // The requests in the components' order; `asked[i]` is the component of `requests[i]`.
    let mut requests = Vec::new();
    for c in &view.components {
        let field = units_field(c.component.id);
        if let Some(units) = forms::whole::<i32>(&form, &field, &mut errors, ctx.t)
            && units != 0
        {
            requests.push(ComponentRequest {
                component_id: c.component.id,
                units,
                need_id: form.get(&need_field(c.component.id)).parse().ok(),
            });
        }
    }
    let asked: Vec<i64> = requests.iter().map(|r| r.component_id).collect();
    let max_units = forms::whole::<i32>(&form, "max_units", &mut errors, ctx.t);
    let input = ApplicationInput {
        organization_id: Some(org_id),
        requests,
        answers: (0..view.program.questions.0.len())
            .map(|i| form.get(&format!("answers[{i}]")))
            .collect(),
        groups: form.all("groups"),
        max_units,
        all_or_nothing: form.checked("all_or_nothing"),
        submit: form.get("submit") != "draft",
    };
    let saved = if errors.is_empty() {
        programs::apply(&state.db, caller.user.id, id, input, &state.taxonomy)
            .await
            .map_err(|err| {
                // `requests[i].units` is the field of the i-th component asked for.
                Errors::from_app(&err, ctx.t).renamed(|field| {
                    let (index, what) = forms::list_item(field, "requests")?;
                    let component = *asked.get(index)?;
                    Some(match what {
                        ".need_id" => need_field(component),
                        _ => units_field(component),
                    })
                })
            })
    } else {
        Err(errors)
    };
    match saved {
        Ok(application) => Ok(see_other(
            &format!("/programs/{id}"),
            if application.status == ApplicationStatus::Draft {
                "flash-application-saved"
            } else {
                "flash-application-submitted"
            },
        )),
        Err(errors) => render_invalid(
            &apply_page(
                &state,
                &ctx,
                id,
                org_id,
                Some(FormView::new(form.typed(), errors)),
            )
            .await?,
        ),
    }
}

/// `POST /programs/{id}/withdrawal`: the applicant takes its application back.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let application_id = form.record_id("application_id", ctx.lang())?;
    programs::withdraw(&state.db, caller.user.id, application_id)
        .await
        .or_page(&ctx)?;
    Ok(see_other(
        &format!("/programs/{id}"),
        "flash-application-withdrawn",
    ))
}

/// Whether the program's page offers to apply: the call is open and its allocation not
/// confirmed.
pub fn takes_applications(view: &programs::ProgramView) -> bool {
    view.state == CallState::Open && !view.allocation_confirmed
}
