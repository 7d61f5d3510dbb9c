//! `/my/results`: the organization's dashboard, printable for its funders (print styles hide the
//! navigation): partnerships over time, hours and value given and received, the indicators its
//! outcome reports measured before and after, and its digital check-up then and now. Each chart
//! is drawn on the server with a text alternative and its table (mirrors
//! `GET /organizations/{id}/dashboard`).

use askama::Template;
use axum::extract::{Query, State};
use entity::FollowUpDue;

use crate::domain::dashboards::{self, OrgDashboard};
use crate::domain::outcomes::CohortOutcomes;
use crate::state::AppState;
use crate::web::charts::{BarChart, BarRow};
use crate::web::{Catalog, Ctx, Nav, OrPage, WebResult, render};

use super::checkup::{Area, profile_chart};
use super::{current_org, org_param};

/// Hours and value on one side of the organization's partnerships.
struct Side {
    label: String,
    completed: String,
    under_way: String,
    hours: String,
    value: String,
}

struct IndicatorRow {
    partner: String,
    date: String,
    cells: super::IndicatorCells,
}

struct QuarterRow {
    quarter: String,
    started: String,
    completed: String,
}

struct DimensionRow {
    label: String,
    first: String,
    latest: String,
}

#[derive(Template)]
#[template(path = "my_results.html")]
struct ResultsPage {
    t: &'static Catalog,
    nav: Nav,
    org_id: i64,
    org_name: String,
    printed_on: String,
    timeline: BarChart,
    quarters: Vec<QuarterRow>,
    sides: Vec<Side>,
    indicators: Vec<IndicatorRow>,
    /// Absent without a check-up.
    checkup: Option<CheckupPart>,
}

/// The first check-up against the latest.
struct CheckupPart {
    chart: BarChart,
    rows: Vec<DimensionRow>,
    first: String,
    latest: String,
    /// Whether there are two check-ups to compare.
    two: bool,
    summary: String,
}

fn side(t: &Catalog, key: &str, outcomes: &CohortOutcomes) -> Side {
    let language = t.language;
    Side {
        label: t.get(key),
        completed: crate::i18n::integer(outcomes.completed as i64, language),
        under_way: crate::i18n::integer(outcomes.under_way as i64, language),
        hours: crate::i18n::decimal(outcomes.hours, language),
        value: crate::i18n::money(outcomes.value_cad.round() as i64, language),
    }
}

fn checkup_part(t: &Catalog, dashboard: &OrgDashboard) -> Option<CheckupPart> {
    let (first, latest) = (
        dashboard.first_checkup.as_ref()?,
        dashboard.latest_checkup.as_ref()?,
    );
    let language = t.language;
    let date = |c: &crate::domain::checkups::CheckupView| {
        crate::i18n::date(c.taken_at.date_naive(), language)
    };
    let number = |n: u8| crate::i18n::integer(n.into(), language);
    let earlier = |dimension: &str| {
        (first.id != latest.id)
            .then(|| first.profile.iter().find(|e| e.dimension == dimension))
            .flatten()
            .map(|e| e.score)
    };
    let areas: Vec<Area> = latest
        .profile
        .iter()
        .map(|e| Area {
            label: e.label(language).to_owned(),
            score: e.score,
            earlier: earlier(&e.dimension),
        })
        .collect();
    let rows: Vec<DimensionRow> = areas
        .iter()
        .map(|area| DimensionRow {
            label: area.label.clone(),
            first: area.earlier.map(number).unwrap_or_default(),
            latest: number(area.score),
        })
        .collect();
    let chart = profile_chart(
        t,
        "checkup",
        &areas,
        (first.id != latest.id).then(|| (date(latest), date(first))),
    );
    let two = first.id != latest.id;
    Some(CheckupPart {
        chart,
        rows,
        summary: if two {
            t.args(
                "results-checkup-change",
                &[("first", date(first)), ("latest", date(latest))],
            )
        } else {
            t.with("checkup-last", "date", date(latest))
        },
        first: date(first),
        latest: date(latest),
        two,
    })
}

/// `GET /my/results[?org=]`.
pub async fn results(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let org = current_org(&ctx, org_param(&params))?.clone();
    let t = ctx.t;
    let now = crate::domain::now();
    let dashboard = dashboards::organization(&state.db, &ctx.viewer, org.id, now)
        .await
        .or_page(&ctx)?;
    let number = |n: usize| crate::i18n::integer(n as i64, t.language);
    let most = dashboard
        .quarters
        .iter()
        .map(|q| q.started.max(q.completed))
        .max()
        .unwrap_or(0);
    let timeline = BarChart::new(
        "timeline",
        t.get("results-timeline-title"),
        dashboard
            .quarters
            .iter()
            .map(|q| {
                t.args(
                    "results-timeline-row",
                    &[
                        ("quarter", q.quarter.clone()),
                        ("completed", number(q.completed)),
                        ("started", number(q.started)),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        dashboard
            .quarters
            .iter()
            .map(|q| BarRow {
                label: q.quarter.clone(),
                value: q.completed as f64,
                value_text: number(q.completed),
                earlier: Some(q.started as f64),
            })
            .collect(),
        most.max(1) as f64,
        Some((t.get("results-completed"), t.get("results-started"))),
    );
    render(&ResultsPage {
        t,
        nav: ctx.nav(),
        org_id: org.id,
        org_name: org.name.clone(),
        printed_on: crate::i18n::date(now.date_naive(), t.language),
        quarters: dashboard
            .quarters
            .iter()
            .map(|q| QuarterRow {
                quarter: q.quarter.clone(),
                started: number(q.started),
                completed: number(q.completed),
            })
            .collect(),
        timeline,
        sides: vec![
            side(t, "results-received", &dashboard.received),
            side(t, "results-given", &dashboard.given),
        ],
        indicators: dashboard
            .indicators
            .iter()
            .map(|i| {
                let mut cells = super::IndicatorCells::new(&i.indicator, t);
                cells.follow(FollowUpDue::ThreeMonths, i.three_months.as_ref(), t);
                cells.follow(FollowUpDue::TwelveMonths, i.twelve_months.as_ref(), t);
                IndicatorRow {
                    partner: i.partner.clone(),
                    date: i
                        .completed_at
                        .map(|at| crate::i18n::date(at.date_naive(), t.language))
                        .unwrap_or_default(),
                    cells,
                }
            })
            .collect(),
        checkup: checkup_part(t, &dashboard),
    })
}
