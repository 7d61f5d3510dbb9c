//! The program pages: `/programs` (every program, open calls first) and `/programs/{id}` (its
//! partners, components with their delivery, milestones, cohort, and the viewer's application).

mod apply;
mod edit;
mod new;
mod results;
mod workspace;

pub use apply::{apply, apply_form, withdraw};
pub use edit::{edit, edit_form};
pub use new::{create_program, new_program_form};
pub use results::results;
pub use workspace::{confirm, invite, run, workspace};

use askama::Template;
use axum::extract::State;
use entity::ApplicationStatus;

use super::pages::Labels;
use super::{Catalog, Ctx, Nav, OrPage, WebResult, render};
use crate::domain::outcomes;
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
            title: s.program.text_in(ctx.t.language).0.to_owned(),
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
    /// What one unit is worth, when the program says.
    each: Option<String>,
    given: String,
    offered: String,
    remaining: String,
}

struct MilestoneRow {
    title: String,
    on: String,
}

/// An indicator summed over the cohort.
struct IndicatorRow {
    name: String,
    partnerships: String,
    before: String,
    after: String,
}

/// One line of the viewer's decision: a component, what it got, why.
struct DecisionRow {
    component: String,
    text: String,
}

struct MyApplication {
    id: i64,
    org: String,
    org_id: i64,
    status: String,
    lines: Vec<DecisionRow>,
    /// Still a draft or submitted: the applicant may change or withdraw it.
    open: bool,
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
    /// A member of the lead: may change the program.
    is_lead: bool,
    mine: Vec<MyApplication>,
    /// The cohort's partnerships by stage, and what the completed ones report.
    progress: String,
    given: Option<String>,
    indicators: Vec<IndicatorRow>,
    /// The call is open and the viewer may apply (or is signed out).
    can_apply: bool,
    program_id: i64,
}

/// What a decision line says, in the page's language.
pub(super) fn decision_text(t: &Catalog, line: &programs::DecisionLine) -> String {
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
                id: application.id,
                org_id: application.organization_id,
                open: matches!(
                    application.status,
                    ApplicationStatus::Draft | ApplicationStatus::Submitted
                ) && apply::takes_applications(&view),
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
    let outcomes = outcomes::cohort_outcomes(&view.partnerships, &view.follow_ups);
    let number = |n: usize| crate::i18n::integer(n as i64, t.language);
    render(&ProgramPage {
        progress: t.args(
            "cohort-progress",
            &[
                ("proposed", number(outcomes.proposed)),
                ("under_way", number(outcomes.under_way)),
                ("completed", number(outcomes.completed)),
            ],
        ),
        given: (outcomes.completed > 0).then(|| {
            t.args(
                "cohort-given",
                &[
                    ("hours", crate::i18n::decimal(outcomes.hours, t.language)),
                    (
                        "value",
                        crate::i18n::money(outcomes.value_cad.round() as i64, t.language),
                    ),
                ],
            )
        }),
        indicators: outcomes
            .indicators
            .iter()
            .map(|i| IndicatorRow {
                name: i.label(t.language),
                partnerships: number(i.partnerships),
                before: crate::i18n::decimal(i.before, t.language),
                after: crate::i18n::decimal(i.after, t.language),
            })
            .collect(),
        t,
        nav: ctx.nav(),
        title: program.text_in(t.language).0.to_owned(),
        description: program.text_in(t.language).1.to_owned(),
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
                each: c.component.value_cad.map(|v| {
                    t.with(
                        "program-each",
                        "value",
                        crate::i18n::money(v.round() as i64, t.language),
                    )
                }),
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
            .map(|g| match g.min_share {
                Some(share) => t.args(
                    "program-group-min-share",
                    &[
                        ("name", g.name.clone()),
                        (
                            "share",
                            crate::i18n::decimal((share * 100.0).round(), t.language),
                        ),
                    ],
                ),
                None => g.name.clone(),
            })
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
        applications: t.count("program-applications", view.applications()),
        is_team: view.is_team,
        is_lead: ctx.orgs.iter().any(|(_, o)| o.id == view.lead.id),
        can_apply: apply::takes_applications(&view) && !view.is_team,
        program_id: id,
        mine,
    })
}

/// `GET /programs/{id}/calendar.ics`: the call's opening and closing and the milestones as
/// all-day events (RFC 5545), for a calendar application to subscribe to.
pub async fn calendar(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    use axum::response::IntoResponse;
    use icalendar::{Calendar, Component, EventLike, Property};
    let view = programs::get(&state.db, None, id).await.or_page(&ctx)?;
    let program = &view.program;
    let t = ctx.t;
    let base = state.config.public_url.clone().unwrap_or_default();
    let page = format!("{base}/programs/{id}");
    let host = base.split("://").nth(1).unwrap_or("passerelle").to_owned();
    let title = program.text_in(t.language).0;
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Passerelle//Programs//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(title);
    let mut days = vec![
        (
            "opens".to_owned(),
            program.opens_at.date_naive(),
            t.with("calendar-opens", "name", title),
        ),
        (
            "closes".to_owned(),
            program.closes_at.date_naive(),
            t.with("calendar-closes", "name", title),
        ),
    ];
    days.extend(program.milestones.0.iter().enumerate().map(|(i, m)| {
        (
            format!("milestone-{i}"),
            m.on,
            format!("{} — {title}", m.title),
        )
    }));
    for (key, day, summary) in days {
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("program-{id}-{key}@{host}"))
                .timestamp(program.updated_at)
                .starts(day)
                .ends(day.succ_opt().unwrap_or(day))
                .summary(&summary)
                .url(&page)
                .done(),
        );
    }
    let filename = format!("program-{id}.ics");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        calendar.done().to_string(),
    )
        .into_response())
}
