//! The program pages: `/programs` (every program, open calls first) and `/programs/{id}` (its
//! partners, components with their delivery, milestones, cohort, and the viewer's application).

use askama::Template;
use axum::extract::State;
use entity::ApplicationStatus;

use super::pages::Labels;
use super::{Catalog, Ctx, Nav, OrPage, WebResult, render};
use crate::domain::programs::{self, CallState, Decision, Shortfall};
use crate::state::{AppState, PathId};

/// A program in the list.
struct ProgramRow {
    href: String,
    title: String,
    lead: String,
    state: String,
    window: String,
    components: String,
}

#[derive(Template)]
#[template(path = "programs.html")]
struct ProgramsPage {
    t: &'static Catalog,
    nav: Nav,
    rows: Vec<ProgramRow>,
}

fn state_label(t: &Catalog, state: CallState) -> String {
    t.label("call-state", state.as_str())
}

fn window(t: &Catalog, program: &entity::program::Model) -> String {
    t.args(
        "program-window",
        &[
            (
                "opens",
                crate::i18n::date(program.opens_at.date_naive(), t.language),
            ),
            (
                "closes",
                crate::i18n::date(program.closes_at.date_naive(), t.language),
            ),
        ],
    )
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    let summaries = programs::list(&state.db).await.or_page(&ctx)?;
    let rows = summaries
        .into_iter()
        .map(|s| ProgramRow {
            href: format!("/programs/{}", s.program.id),
            lead: s.lead_name,
            state: state_label(ctx.t, s.state),
            window: window(ctx.t, &s.program),
            components: ctx.t.count("program-component-count", s.components),
            title: s.program.title,
        })
        .collect();
    render(&ProgramsPage {
        t: ctx.t,
        nav: ctx.nav(),
        rows,
    })
}

struct PartnerRow {
    href: String,
    name: String,
    role: String,
}

struct ComponentRow {
    title: String,
    description: String,
    partner: String,
    category: String,
    capacity: String,
    per_org: Option<String>,
    given: String,
    offered: String,
    remaining: String,
}

struct MilestoneRow {
    title: String,
    on: String,
}

/// One line of the viewer's decision: a component, what it got, why.
struct DecisionRow {
    component: String,
    text: String,
}

struct MyApplication {
    org: String,
    status: String,
    lines: Vec<DecisionRow>,
}

#[derive(Template)]
#[template(path = "program.html")]
struct ProgramPage {
    t: &'static Catalog,
    nav: Nav,
    title: String,
    description: String,
    lead: String,
    lead_href: String,
    state: String,
    window: String,
    partners: Vec<PartnerRow>,
    components: Vec<ComponentRow>,
    milestones: Vec<MilestoneRow>,
    groups: Vec<String>,
    questions: Vec<String>,
    members: Vec<PartnerRow>,
    applications: String,
    is_team: bool,
    mine: Vec<MyApplication>,
}

/// What a decision line says, in the page's language.
fn decision_text(t: &Catalog, line: &programs::DecisionLine) -> String {
    let given = t.args(
        "decision-given",
        &[
            ("given", line.given.to_string()),
            ("asked", line.asked.to_string()),
            ("fit", crate::i18n::decimal(line.fit, t.language)),
        ],
    );
    match line.shortfall {
        None => given,
        Some(Shortfall::ComponentFull | Shortfall::PartnerCap)
            if line.waitlist_position.is_some() =>
        {
            format!(
                "{given} {}",
                t.args(
                    &crate::i18n::label_key("shortfall", line.shortfall.map_or("", |s| s.as_str())),
                    &[(
                        "position",
                        line.waitlist_position.unwrap_or_default().to_string()
                    )],
                )
            )
        }
        Some(shortfall) => format!(
            "{given} {}",
            t.args(
                &crate::i18n::label_key("shortfall", shortfall.as_str()),
                &[("position", String::new())]
            )
        ),
    }
}

pub async fn detail(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    let user = ctx.caller.as_ref().map(|c| c.user.id);
    let view = programs::get(&state.db, user, id).await.or_page(&ctx)?;
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let t = ctx.t;
    let component_title = |id: i64| {
        view.components
            .iter()
            .find(|c| c.component.id == id)
            .map(|c| c.component.title.clone())
            .unwrap_or_default()
    };
    let mine = view
        .my_applications
        .iter()
        .map(|application| {
            let decision: Option<Decision> = application
                .decision
                .clone()
                .and_then(|d| serde_json::from_value(d).ok());
            MyApplication {
                org: ctx
                    .orgs
                    .iter()
                    .find(|(_, o)| o.id == application.organization_id)
                    .map(|(_, o)| o.name.clone())
                    .unwrap_or_default(),
                status: t.label("application-status", application.status),
                lines: decision
                    .filter(|_| application.status != ApplicationStatus::Withdrawn)
                    .map(|d| {
                        d.lines
                            .iter()
                            .map(|line| DecisionRow {
                                component: component_title(line.component_id),
                                text: decision_text(t, line),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let program = &view.program;
    render(&ProgramPage {
        t,
        nav: ctx.nav(),
        title: program.title.clone(),
        description: program.description.clone(),
        lead: view.lead.name.clone(),
        lead_href: format!("/organizations/{}", view.lead.id),
        state: state_label(t, view.state),
        window: window(t, program),
        partners: view
            .partners
            .iter()
            .map(|p| PartnerRow {
                href: format!("/organizations/{}", p.org.id),
                name: p.org.name.clone(),
                role: t.label("partner-role", p.partner.role),
            })
            .collect(),
        components: view
            .components
            .iter()
            .map(|c| ComponentRow {
                title: c.component.title.clone(),
                description: c.component.description.clone(),
                partner: c.partner_name.clone(),
                category: labels.category(&c.component.category),
                capacity: t.quantity(c.component.unit, c.component.capacity),
                per_org: c
                    .component
                    .per_org_max
                    .map(|max| t.with("program-per-org", "count", max)),
                given: t.quantity(c.component.unit, c.given),
                offered: t.quantity(c.component.unit, c.offered),
                remaining: t.quantity(c.component.unit, c.remaining()),
            })
            .collect(),
        milestones: program
            .milestones
            .0
            .iter()
            .map(|m| MilestoneRow {
                title: m.title.clone(),
                on: crate::i18n::date(m.on, t.language),
            })
            .collect(),
        groups: program
            .priority_groups
            .0
            .iter()
            .map(|g| g.name.clone())
            .collect(),
        questions: program.questions.0.clone(),
        members: view
            .members
            .iter()
            .map(|o| PartnerRow {
                href: format!("/organizations/{}", o.id),
                name: o.name.clone(),
                role: String::new(),
            })
            .collect(),
        applications: t.count("program-applications", view.applications),
        is_team: view.is_team,
        mine,
    })
}
