//! The digital check-up on pages: `/my/checkup` asks the bank's questions, one block per
//! dimension, each level a large target on a phone; `/my/checkups/{id}` shows the profile as a
//! chart (and a table) against the check-up before, the suggested needs to publish in one step,
//! and the earlier check-ups (mirrors `/organizations/{id}/checkups`).

use askama::Template;
use axum::extract::{Query, State};

use crate::domain::checkups::{self, CheckupInput, CheckupView};
use crate::error::AppError;
use crate::state::{AppState, PathId};
use crate::web::charts::{BarChart, BarRow};
use crate::web::forms::{Errors, Form, FormView};
use crate::web::pages::Labels;
use crate::web::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};

use super::{current_org, org_param};

/// One question as the form asks it.
struct Ask {
    /// `answers.<code>`: the radio group's name and the id its message links to.
    field: String,
    text: String,
    levels: Vec<(String, String)>,
}

struct DimensionAsk {
    label: String,
    questions: Vec<Ask>,
}

#[derive(Template)]
#[template(path = "checkup_form.html")]
struct CheckupForm {
    t: &'static Catalog,
    nav: Nav,
    org_id: i64,
    org_name: String,
    count: usize,
    dimensions: Vec<DimensionAsk>,
    f: FormView,
}

fn field(code: &str) -> String {
    format!("answers.{code}")
}

fn form_page(ctx: &Ctx, org_id: i64, org_name: String, f: FormView) -> CheckupForm {
    let bank = checkups::bank();
    let language = ctx.lang();
    CheckupForm {
        t: ctx.t,
        nav: ctx.nav(),
        org_id,
        org_name,
        count: bank.questions.len(),
        dimensions: bank
            .dimensions
            .iter()
            .map(|d| DimensionAsk {
                label: d.label(language).to_owned(),
                questions: bank
                    .questions_of(&d.code)
                    .map(|q| Ask {
                        field: field(&q.code),
                        text: q.text(language).to_owned(),
                        levels: q
                            .levels
                            .iter()
                            .map(|l| (l.level.to_string(), l.text(language).to_owned()))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        f,
    }
}

/// `GET /my/checkup[?org=]`: the questions, with the answers of the last check-up chosen.
pub async fn checkup_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let org = current_org(&ctx, org_param(&params))?.clone();
    let history = checkups::history(&state.db, &ctx.viewer, org.id)
        .await
        .or_page(&ctx)?;
    let mut f = FormView::default();
    if let Some(last) = history.first() {
        for (code, level) in &last.answers {
            f.set(&field(code), level);
        }
    }
    render(&form_page(&ctx, org.id, org.name, f))
}

/// `POST /my/checkup`: records the check-up and shows its result; a missing answer is named
/// beside its question.
pub async fn take_checkup(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let org = current_org(&ctx, form.get("org").parse().ok())?.clone();
    let answers = checkups::bank()
        .questions
        .iter()
        .filter_map(|q| {
            let raw = form.get(&field(&q.code));
            // What is not a number reads as no answer (refused as required).
            let level: Option<u8> = raw.parse().ok();
            level.map(|l| (q.code.clone(), serde_json::json!(l)))
        })
        .collect();
    match checkups::take(&state.db, caller.user.id, org.id, CheckupInput { answers }).await {
        Ok(view) => Ok(see_other(
            &format!("/my/checkups/{}?org={}", view.id, org.id),
            "flash-checkup-taken",
        )),
        Err(err @ AppError::Validation(_)) => render_invalid(&form_page(
            &ctx,
            org.id,
            org.name,
            FormView::new(form.typed(), Errors::from_app(&err, ctx.t)),
        )),
        Err(err) => Err(WebError::app(err, ctx.lang())),
    }
}

/// One area of a check-up's profile as its chart draws it.
pub(super) struct Area {
    pub label: String,
    pub score: u8,
    /// The score of the check-up it is compared with.
    pub earlier: Option<u8>,
}

/// The chart of a profile from 0 to 100 per area, with the text alternative that says every
/// score (and the earlier one); `dates` are the check-up's and the earlier one's, for the legend.
pub(super) fn profile_chart(
    t: &Catalog,
    id: &str,
    areas: &[Area],
    dates: Option<(String, String)>,
) -> BarChart {
    let number = |n: u8| crate::i18n::integer(n.into(), t.language);
    let desc = areas
        .iter()
        .map(|area| match area.earlier {
            Some(before) => t.args(
                "checkup-chart-row-change",
                &[
                    ("dimension", area.label.clone()),
                    ("score", number(area.score)),
                    ("earlier", number(before)),
                ],
            ),
            None => t.args(
                "checkup-chart-row",
                &[
                    ("dimension", area.label.clone()),
                    ("score", number(area.score)),
                ],
            ),
        })
        .collect::<Vec<_>>()
        .join("; ");
    BarChart::new(
        id,
        t.get("checkup-chart-title"),
        desc,
        areas
            .iter()
            .map(|area| BarRow {
                label: area.label.clone(),
                value: f64::from(area.score),
                value_text: number(area.score),
                earlier: area.earlier.map(f64::from),
            })
            .collect(),
        100.0,
        dates.map(|(now, earlier)| {
            (
                t.with("checkup-legend-now", "date", now),
                t.with("checkup-legend-earlier", "date", earlier),
            )
        }),
    )
}

/// A suggested need as the result page offers it.
#[derive(Clone)]
struct SuggestionLine {
    code: String,
    title: String,
    description: String,
    category: String,
    /// The questions whose answers called for it.
    because: String,
    published: Option<i64>,
}

/// An earlier check-up in the history.
struct EarlierLine {
    id: i64,
    date: String,
    current: bool,
}

/// A row of the profile's table.
struct ProfileLine {
    label: String,
    score: String,
    earlier: String,
    change: String,
}

#[derive(Template)]
#[template(path = "checkup_result.html")]
struct CheckupResult {
    t: &'static Catalog,
    nav: Nav,
    org_id: i64,
    id: i64,
    lead: String,
    earlier_date: Option<String>,
    chart: BarChart,
    rows: Vec<ProfileLine>,
    /// Every suggestion of the check-up, the ones not published yet, and the published ones.
    suggestions: Vec<SuggestionLine>,
    open: Vec<SuggestionLine>,
    published: Vec<SuggestionLine>,
    history: Vec<EarlierLine>,
    f: FormView,
}

/// The result page of the organization's check-up `id`, with its history.
async fn result_page(
    state: &AppState,
    ctx: &Ctx,
    org_id: i64,
    org_name: String,
    id: i64,
    f: FormView,
) -> Result<CheckupResult, WebError> {
    let history = checkups::history(&state.db, &ctx.viewer, org_id)
        .await
        .or_page(ctx)?;
    let view = history
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| WebError::not_found(ctx.lang()))?;
    let labels = Labels { t: ctx.t, state };
    let t = ctx.t;
    let language = ctx.lang();
    let bank = checkups::bank();
    let date_of = |c: &CheckupView| crate::i18n::date(c.taken_at.date_naive(), language);
    let earlier = view
        .previous_id
        .and_then(|id| history.iter().find(|c| c.id == id));
    let number = |n: i64| crate::i18n::integer(n, language);
    let areas: Vec<Area> = view
        .profile
        .iter()
        .map(|entry| Area {
            label: entry.label(language).to_owned(),
            score: entry.score,
            earlier: entry.previous,
        })
        .collect();
    let chart = profile_chart(
        t,
        "profile",
        &areas,
        earlier.map(|e| (date_of(view), date_of(e))),
    );
    let rows = view
        .profile
        .iter()
        .map(|entry| ProfileLine {
            label: entry.label(language).to_owned(),
            score: number(entry.score.into()),
            earlier: entry.previous.map(|p| number(p.into())).unwrap_or_default(),
            change: entry
                .change
                .map(|c| {
                    if c > 0 {
                        format!("+{}", number(c.into()))
                    } else {
                        number(c.into())
                    }
                })
                .unwrap_or_default(),
        })
        .collect();
    let suggestions: Vec<SuggestionLine> = view
        .suggested_needs
        .iter()
        .map(|s| SuggestionLine {
            code: s.suggestion.code.clone(),
            title: s.suggestion.title(language).to_owned(),
            description: s.suggestion.description(language).to_owned(),
            category: labels.category(&s.suggestion.category),
            because: s
                .because_of
                .iter()
                .filter_map(|code| bank.questions.iter().find(|q| &q.code == code))
                .map(|q| q.text(language).to_owned())
                .collect::<Vec<_>>()
                .join(" · "),
            published: s.published_need_id,
        })
        .collect();
    Ok(CheckupResult {
        t,
        nav: ctx.nav(),
        org_id,
        id: view.id,
        lead: t.args(
            "checkup-result-lead",
            &[("org", org_name), ("date", date_of(view))],
        ),
        earlier_date: earlier.map(date_of),
        chart,
        rows,
        open: suggestions
            .iter()
            .filter(|s| s.published.is_none())
            .cloned()
            .collect(),
        published: suggestions
            .iter()
            .filter(|s| s.published.is_some())
            .cloned()
            .collect(),
        suggestions,
        history: history
            .iter()
            .map(|c| EarlierLine {
                id: c.id,
                date: date_of(c),
                current: c.id == view.id,
            })
            .collect(),
        f,
    })
}

/// `GET /my/checkups/{id}[?org=]`: the result of a check-up.
pub async fn checkup_result(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let org = current_org(&ctx, org_param(&params))?.clone();
    render(&result_page(&state, &ctx, org.id, org.name, id, FormView::default()).await?)
}

/// `POST /my/checkups/{id}/needs`: publishes the ticked suggestions (`suggested`: the search
/// box's word list has the id `suggestions`) as open needs, written in the page's language.
pub async fn publish_needs(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let org = current_org(&ctx, form.get("org").parse().ok())?.clone();
    let codes = form.all("suggested");
    let published = checkups::publish(
        &state.db,
        caller.user.id,
        org.id,
        id,
        &codes,
        ctx.lang(),
        &state.taxonomy,
    )
    .await;
    match published {
        Ok(needs) => Ok(see_other(
            &format!("/my?org={}#postings", org.id),
            if needs.len() == 1 {
                "flash-checkup-published-one"
            } else {
                "flash-checkup-published"
            },
        )),
        Err(err @ AppError::Validation(_)) => {
            // The page lists the suggestions as one group of boxes: the messages go beside it.
            let errors = Errors::from_app(&err, ctx.t).renamed(|_| Some("suggested".to_owned()));
            let f = FormView::new(form.typed(), errors);
            render_invalid(&result_page(&state, &ctx, org.id, org.name, id, f).await?)
        }
        Err(err) => Err(WebError::app(err, ctx.lang())),
    }
}
