//! `/insights/gaps`: the gap map for funders. A tile map of Canada's provinces and territories
//! (drawn here as SVG, no external asset) shaded by the needs still unmet after 60 days, with its
//! numbers on each tile and a text alternative, and beside it the ranked table; filters by cause
//! area and organization size; the same as CSV from the API.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use entity::{SizeBand, TaxonomyKind};
use serde::Deserialize;

use super::charts::{BarChart, BarRow};
use super::forms::{self, Choice, FormView};
use super::pages::Labels;
use super::{Catalog, Ctx, Nav, OrPage, WebResult, render};
use crate::domain::insights::GapFilter;
use crate::domain::types::Province;
use crate::state::AppState;

/// Where each province or territory sits on the tile map: column, row.
const TILES: [(&str, u32, u32); 13] = [
    ("YT", 0, 0),
    ("NT", 1, 0),
    ("NU", 2, 0),
    ("NL", 6, 0),
    ("BC", 0, 1),
    ("AB", 1, 1),
    ("SK", 2, 1),
    ("MB", 3, 1),
    ("ON", 4, 1),
    ("QC", 5, 1),
    ("PE", 6, 1),
    ("NB", 5, 2),
    ("NS", 6, 2),
];
const TILE: u32 = 72;
/// Shades from no unmet need to the most, light to dark (the darkest two take white text).
const SHADES: [&str; 5] = ["#eef3f8", "#c6d9ec", "#8fb4d9", "#4a80b8", "#1d4f86"];

/// One tile: where it is, its shade and what it says.
struct Tile {
    x: u32,
    y: u32,
    fill: &'static str,
    ink: &'static str,
    code: &'static str,
    unmet: i64,
    /// For its `<title>`: the province's name and its figures.
    title: String,
}

struct GapRow {
    province: String,
    category: String,
    open_needs: String,
    unmet: String,
    offers: String,
    per_offer: String,
    last_year: String,
}

#[derive(Template)]
#[template(path = "insights_gaps.html")]
struct GapsPage {
    t: &'static Catalog,
    nav: Nav,
    f: FormView,
    cause_areas: Vec<Choice>,
    sizes: Vec<Choice>,
    tiles: Vec<Tile>,
    width: u32,
    height: u32,
    /// The map's text alternative: the provinces with unmet needs, most first.
    summary: String,
    rows: Vec<GapRow>,
    csv: String,
}

#[derive(Deserialize)]
pub struct GapParams {
    #[serde(default)]
    cause_area: Option<String>,
    #[serde(default)]
    size: Option<String>,
}

/// `GET /insights/gaps`.
pub async fn gaps(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<GapParams>,
) -> WebResult {
    let t = ctx.t;
    let labels = Labels { t, state: &state };
    // An unknown code filters nothing rather than failing the page.
    let cause_area = params.cause_area.filter(|c| {
        state
            .taxonomy
            .check_all(TaxonomyKind::CauseArea, std::slice::from_ref(c), 1)
            .is_ok()
    });
    let size = params.size.as_deref().and_then(SizeBand::parse);
    let filter = GapFilter {
        cause_area: cause_area.clone(),
        size,
    };
    let gaps = crate::domain::insights::cached_gaps(&state.gaps, &state.db, &filter)
        .await
        .or_page(&ctx)?;
    let mut by_province: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
    for gap in gaps.iter() {
        let entry = by_province.entry(gap.province.as_str()).or_default();
        entry.0 += gap.open_needs;
        entry.1 += gap.unmet_60_days;
        entry.2 += gap.offers;
    }
    let most = by_province.values().map(|v| v.1).max().unwrap_or(0);
    let number = |n: i64| crate::i18n::integer(n, t.language);
    let tiles = TILES
        .iter()
        .map(|(code, column, row)| {
            let (open, unmet, _) = by_province.get(code).copied().unwrap_or_default();
            let step = if most == 0 || unmet == 0 {
                0
            } else {
                (1 + (unmet * 3) / most).min(4) as usize
            };
            Tile {
                x: column * TILE,
                y: row * TILE,
                fill: SHADES[step],
                ink: if step >= 3 { "#ffffff" } else { "#1a1a1a" },
                code,
                unmet,
                title: t.args(
                    "gaps-tile",
                    &[
                        ("province", Province::name(code, t.language).to_owned()),
                        ("unmet", number(unmet)),
                        ("open", number(open)),
                    ],
                ),
            }
        })
        .collect();
    let mut ranked: Vec<(&str, i64)> = by_province
        .iter()
        .filter(|(_, v)| v.1 > 0)
        .map(|(p, v)| (*p, v.1))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let summary = if ranked.is_empty() {
        t.get("gaps-summary-none")
    } else {
        t.with(
            "gaps-summary",
            "list",
            ranked
                .iter()
                .map(|(p, n)| format!("{} {}", Province::name(p, t.language), number(*n)))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let rows = gaps
        .iter()
        .map(|g| GapRow {
            province: Province::name(&g.province, t.language).to_owned(),
            category: labels.category(&g.category),
            open_needs: number(g.open_needs),
            unmet: number(g.unmet_60_days),
            offers: number(g.offers),
            per_offer: g
                .demand_per_offer
                .map(|r| crate::i18n::decimal((r * 10.0).round() / 10.0, t.language))
                .unwrap_or_else(|| t.get("gaps-no-offer")),
            last_year: number(g.trend.iter().map(|m| m.needs).sum()),
        })
        .collect();
    let mut f = FormView::default();
    let mut query = Vec::new();
    if let Some(cause) = &cause_area {
        f.set("cause_area", cause);
        query.push(format!("cause_area={cause}"));
    }
    if let Some(size) = size {
        f.set("size", size);
        query.push(format!("size={size}"));
    }
    query.push("format=csv".to_owned());
    render(&GapsPage {
        t,
        nav: ctx.nav(),
        f,
        cause_areas: forms::taxonomy(&state.taxonomy, TaxonomyKind::CauseArea, t),
        sizes: forms::labelled(t, "size", SizeBand::ALL),
        tiles,
        width: 7 * TILE,
        height: 3 * TILE,
        summary,
        rows,
        csv: format!("/api/v1/insights/gaps?{}", query.join("&")),
    })
}

/// A row of the sector's tables.
struct SectorRowView {
    what: String,
    detail: String,
    completed: String,
    hours: String,
    value: String,
}

#[derive(Template)]
#[template(path = "insights_sector.html")]
struct SectorPage {
    t: &'static Catalog,
    nav: Nav,
    /// Label and value of each key figure.
    figures: Vec<(String, String)>,
    chart: BarChart,
    quarters: Vec<SectorRowView>,
    cells: Vec<SectorRowView>,
}

/// `GET /insights`: the sector in numbers, public.
pub async fn sector(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    let t = ctx.t;
    let language = t.language;
    let labels = Labels { t, state: &state };
    let sector = crate::domain::insights::cached_sector(&state.sector, &state.db)
        .await
        .or_page(&ctx)?;
    let number = |n: usize| crate::i18n::integer(n as i64, language);
    let hours = |h: f64| crate::i18n::decimal(h.round(), language);
    let money = |v: f64| crate::i18n::money(v.round() as i64, language);
    let figures = vec![
        (
            t.get("sector-completed"),
            number(sector.completed_12_months),
        ),
        (t.get("sector-hours"), hours(sector.hours_12_months)),
        (t.get("sector-value"), money(sector.value_cad_12_months)),
        (
            t.get("sector-answer"),
            sector
                .median_days_to_answer
                .map(|d| {
                    t.with(
                        "sector-days",
                        "days",
                        crate::i18n::decimal((d * 10.0).round() / 10.0, language),
                    )
                })
                .unwrap_or_else(|| t.get("sector-none")),
        ),
        (
            t.get("sector-met"),
            sector
                .share_of_needs_met
                .map(|s| {
                    t.args(
                        "sector-share",
                        &[
                            ("percent", number((s * 100.0).round() as usize)),
                            (
                                "needs",
                                crate::i18n::integer(sector.needs_12_months, language),
                            ),
                        ],
                    )
                })
                .unwrap_or_else(|| t.get("sector-none")),
        ),
    ];
    let most = sector
        .quarters
        .iter()
        .map(|q| q.completed)
        .max()
        .unwrap_or(0);
    let chart = BarChart::new(
        "quarters",
        t.get("sector-chart-title"),
        sector
            .quarters
            .iter()
            .map(|q| format!("{} {}", q.quarter, number(q.completed)))
            .collect::<Vec<_>>()
            .join("; "),
        sector
            .quarters
            .iter()
            .map(|q| BarRow {
                label: q.quarter.clone(),
                value: q.completed as f64,
                value_text: number(q.completed),
                earlier: None,
            })
            .collect(),
        most.max(1) as f64,
        None,
    );
    render(&SectorPage {
        t,
        nav: ctx.nav(),
        figures,
        chart,
        quarters: sector
            .quarters
            .iter()
            .map(|q| SectorRowView {
                what: q.quarter.clone(),
                detail: String::new(),
                completed: number(q.completed),
                hours: hours(q.hours),
                value: money(q.value_cad),
            })
            .collect(),
        cells: sector
            .cells
            .iter()
            .map(|c| SectorRowView {
                what: Province::name(&c.province, language).to_owned(),
                detail: labels.category(&c.category),
                completed: number(c.completed),
                hours: hours(c.hours),
                value: money(c.value_cad),
            })
            .collect(),
    })
}
