//! `/programs/{id}/results`: a program's report for its team and funders, printable (print
//! styles hide the navigation): applications, allocation against capacity, delivery, and the
//! cohort's indicators from baseline to the 12-month follow-up. Each chart is drawn on the
//! server with a text alternative and its table (mirrors `GET /programs/{id}/dashboard`).

use askama::Template;
use axum::extract::State;

use crate::domain::dashboards::{self, ProgramDashboard};
use crate::domain::outcomes::IndicatorTotal;
use crate::domain::programs;
use crate::state::{AppState, PathId};
use crate::web::charts::{BarChart, BarRow};
use crate::web::{Catalog, Ctx, Nav, OrPage, WebResult, render};

/// Indicators charted when the program requires none: the most reported.
const CHARTED: usize = 4;

struct ComponentRow {
    title: String,
    partner: String,
    capacity: String,
    given: String,
    offered: String,
    delivered: String,
}

struct IndicatorRow {
    name: String,
    unit: String,
    partnerships: String,
    before: String,
    target: String,
    after: String,
    met: String,
    three_months: String,
    twelve_months: String,
}

#[derive(Template)]
#[template(path = "program_results.html")]
struct ResultsPage {
    t: &'static Catalog,
    nav: Nav,
    program_id: i64,
    title: String,
    lead: String,
    printed_on: String,
    applications_chart: BarChart,
    applications: Vec<(String, String)>,
    components_chart: BarChart,
    components: Vec<ComponentRow>,
    delivery: Vec<(String, String)>,
    indicator_charts: Vec<BarChart>,
    indicators: Vec<IndicatorRow>,
    /// The indicators the program requires, named.
    required: String,
}

impl ResultsPage {
    fn lead_args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("lead", self.lead.clone()),
            ("date", self.printed_on.clone()),
        ]
    }
}

/// Rows of counts as a chart and as its table's rows.
fn counts_chart(
    t: &Catalog,
    id: &str,
    title: String,
    counts: &[(String, usize)],
) -> (BarChart, Vec<(String, String)>) {
    let number = |n: usize| crate::i18n::integer(n as i64, t.language);
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let desc = counts
        .iter()
        .map(|(label, n)| format!("{label}: {}", number(*n)))
        .collect::<Vec<_>>()
        .join("; ");
    let chart = BarChart::new(
        id,
        title,
        desc,
        counts
            .iter()
            .map(|(label, n)| BarRow {
                label: label.clone(),
                value: *n as f64,
                value_text: number(*n),
                earlier: None,
            })
            .collect(),
        most as f64,
        None,
    );
    let rows = counts
        .iter()
        .map(|(label, n)| (label.clone(), number(*n)))
        .collect();
    (chart, rows)
}

/// One indicator from its baseline to its last follow-up, each stage a bar; a follow-up's bar
/// has beneath it the same partnerships' value at completion (not all report a follow-up).
fn indicator_chart(t: &Catalog, at: usize, total: &IndicatorTotal) -> BarChart {
    let value = |v: f64| crate::i18n::decimal((v * 10.0).round() / 10.0, t.language);
    let number = |n: usize| crate::i18n::integer(n as i64, t.language);
    let mut stages: Vec<(String, f64, Option<f64>)> =
        vec![(t.get("outcome-indicator-before"), total.before, None)];
    if let Some(target) = total.target {
        stages.push((t.get("outcome-indicator-target"), target, None));
    }
    stages.push((t.get("outcome-indicator-after"), total.after, None));
    for (key, stage) in [
        ("follow-up-three-months", &total.three_months),
        ("follow-up-twelve-months", &total.twelve_months),
    ] {
        if stage.partnerships > 0 {
            let label = t.args(
                "program-results-follow-up-bar",
                &[("stage", t.get(key)), ("count", number(stage.partnerships))],
            );
            stages.push((label, stage.value, Some(stage.completion)));
        }
    }
    let most = stages
        .iter()
        .map(|(_, v, earlier)| v.max(earlier.unwrap_or(0.0)))
        .fold(0.0, f64::max);
    let followed = stages.iter().any(|(_, _, earlier)| earlier.is_some());
    BarChart::new(
        &format!("indicator-{at}"),
        indicator_title(t, total),
        stages
            .iter()
            .map(|(label, v, earlier)| match earlier {
                Some(then) => t.args(
                    "program-results-follow-up-desc",
                    &[
                        ("stage", label.clone()),
                        ("value", value(*v)),
                        ("completion", value(*then)),
                    ],
                ),
                None => format!("{label}: {}", value(*v)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        stages
            .iter()
            .map(|(label, v, earlier)| BarRow {
                label: label.clone(),
                value: *v,
                value_text: value(*v),
                earlier: *earlier,
            })
            .collect(),
        if most > 0.0 { most } else { 1.0 },
        followed.then(|| {
            (
                t.get("program-results-value"),
                t.get("program-results-same-at-completion"),
            )
        }),
    )
}

/// An indicator's name in the page's language, with its unit.
fn indicator_title(t: &Catalog, total: &IndicatorTotal) -> String {
    let unit = t.indicator_unit(total.unit.as_deref());
    let name = total.label(t.language);
    if unit.is_empty() {
        name
    } else {
        format!("{name} ({unit})")
    }
}

fn page(ctx: &Ctx, view: &programs::ProgramView, d: &ProgramDashboard) -> ResultsPage {
    let t = ctx.t;
    let number = |n: usize| crate::i18n::integer(n as i64, t.language);
    let a = &d.applications;
    let (applications_chart, applications) = counts_chart(
        t,
        "applications",
        t.get("program-results-applications"),
        &[
            (t.get("application-status-submitted"), a.submitted),
            (t.get("application-status-selected"), a.selected),
            (t.get("application-status-waitlisted"), a.waitlisted),
            (t.get("application-status-not-selected"), a.not_selected),
            (t.get("application-status-withdrawn"), a.withdrawn),
        ],
    );
    let given = t.get("program-results-given");
    let capacity = t.get("program-results-capacity");
    let most = d
        .components
        .iter()
        .map(|c| c.capacity.max(c.given))
        .max()
        .unwrap_or(0)
        .max(1);
    let components_chart = BarChart::new(
        "components",
        t.get("program-results-allocation"),
        d.components
            .iter()
            .map(|c| {
                t.args(
                    "program-results-component-row",
                    &[
                        ("component", c.title.clone()),
                        ("given", t.quantity(c.unit, c.given)),
                        ("capacity", t.quantity(c.unit, c.capacity)),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        d.components
            .iter()
            .map(|c| BarRow {
                label: c.title.clone(),
                value: f64::from(c.given),
                value_text: t.quantity(c.unit, c.given),
                earlier: Some(f64::from(c.capacity)),
            })
            .collect(),
        f64::from(most),
        Some((given, capacity)),
    );
    let o = &d.outcomes;
    let mut totals: Vec<&IndicatorTotal> = o.indicators.iter().collect();
    // The indicators the program requires first, in its order.
    let rank = |i: &IndicatorTotal| {
        i.code
            .as_ref()
            .and_then(|code| d.required_indicators.iter().position(|r| r == code))
            .unwrap_or(usize::MAX)
    };
    totals.sort_by_key(|i| rank(i));
    let charted = if d.required_indicators.is_empty() {
        CHARTED
    } else {
        totals.iter().filter(|i| rank(i) != usize::MAX).count()
    };
    let value = |v: f64| crate::i18n::decimal((v * 10.0).round() / 10.0, t.language);
    let stage = |s: &crate::domain::outcomes::FollowUpTotal| {
        if s.partnerships == 0 {
            String::new()
        } else {
            t.args(
                "program-results-stage",
                &[
                    ("value", value(s.value)),
                    ("count", number(s.partnerships)),
                    ("completion", value(s.completion)),
                ],
            )
        }
    };
    ResultsPage {
        t,
        nav: ctx.nav(),
        program_id: d.program_id,
        title: view.program.text_in(t.language).0.to_owned(),
        lead: view.lead.name.clone(),
        printed_on: crate::i18n::date(crate::domain::now().date_naive(), t.language),
        applications_chart,
        applications,
        components_chart,
        components: d
            .components
            .iter()
            .map(|c| ComponentRow {
                title: c.title.clone(),
                partner: c.partner.clone(),
                capacity: t.quantity(c.unit, c.capacity),
                given: t.quantity(c.unit, c.given),
                offered: t.quantity(c.unit, c.offered),
                delivered: t.quantity(c.unit, c.delivered),
            })
            .collect(),
        delivery: vec![
            (t.get("results-completed"), number(o.completed)),
            (t.get("results-under-way"), number(o.under_way)),
            (t.get("program-results-proposed"), number(o.proposed)),
            (t.get("program-results-ended"), number(o.ended)),
            (
                t.get("results-hours"),
                crate::i18n::decimal(o.hours, t.language),
            ),
            (
                t.get("results-value"),
                crate::i18n::money(o.value_cad.round() as i64, t.language),
            ),
        ],
        indicator_charts: totals
            .iter()
            .take(charted)
            .enumerate()
            .map(|(at, total)| indicator_chart(t, at, total))
            .collect(),
        indicators: totals
            .iter()
            .map(|i| IndicatorRow {
                name: i.label(t.language),
                unit: t.indicator_unit(i.unit.as_deref()),
                partnerships: number(i.partnerships),
                before: value(i.before),
                target: i.target.map(value).unwrap_or_default(),
                after: value(i.after),
                met: if i.targets_set == 0 {
                    String::new()
                } else {
                    t.args(
                        "program-results-met",
                        &[
                            ("met", number(i.targets_met)),
                            ("set", number(i.targets_set)),
                        ],
                    )
                },
                three_months: stage(&i.three_months),
                twelve_months: stage(&i.twelve_months),
            })
            .collect(),
        required: crate::domain::outcomes::names_of(&d.required_indicators, t.language).join(", "),
    }
}

/// `GET /programs/{id}/results` (the program's team and administrators).
pub async fn results(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    let user = ctx.caller.as_ref().map(|c| c.user.id);
    let view = programs::get(&state.db, user, id).await.or_page(&ctx)?;
    let dashboard = dashboards::program(&ctx.viewer, &view).or_page(&ctx)?;
    render(&page(&ctx, &view, &dashboard))
}
