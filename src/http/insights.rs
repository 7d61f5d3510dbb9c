//! `/insights`: aggregates for funders, public. The gap map of unmet demand by province or
//! territory and category, as JSON or CSV.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use entity::SizeBand;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::insights::{self, Gap, GapFilter, Sector};
use crate::domain::schemas::CauseAreaCode;
use crate::error::AppResult;
use crate::state::{AppState, Json, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_gaps))
        .routes(routes!(sector))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GapQuery {
    /// Only needs of organizations working in this cause area (a taxonomy code).
    #[param(value_type = Option<CauseAreaCode>)]
    pub cause_area: Option<String>,
    /// Only needs of organizations of this size.
    pub size: Option<SizeBand>,
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<GapFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GapFormat {
    Json,
    Csv,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapList {
    /// Needs open longer than this many days count as still unmet.
    pub unmet_after_days: i64,
    /// Ranked by where an investment meets the most unmet need.
    pub items: Vec<Gap>,
}

/// Unmet demand by province or territory and category: open needs, those unmet after 60 days,
/// the offers that can serve them, demand per offer and new needs over twelve months; ranked by
/// where an investment meets the most unmet need. `?format=csv` gives the same as CSV.
#[utoipa::path(get, path = "/insights/gaps", tag = "insights", params(GapQuery),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content(
            (GapList = "application/json"),
            (String = "text/csv"))),
        (status = 400, description = "invalid_parameter")))]
pub async fn list_gaps(
    State(state): State<AppState>,
    Query(query): Query<GapQuery>,
) -> AppResult<Response> {
    let csv = query.format == Some(GapFormat::Csv);
    if let Some(cause) = &query.cause_area
        && state
            .taxonomy
            .check_all(
                entity::TaxonomyKind::CauseArea,
                std::slice::from_ref(cause),
                1,
            )
            .is_err()
    {
        return Err(invalid_parameter(
            "cause_area",
            "must be a cause-area code (GET /api/v1/taxonomy)",
        ));
    }
    let filter = GapFilter {
        cause_area: query.cause_area,
        size: query.size,
    };
    let items = insights::cached_gaps(&state.gaps, &state.db, &filter).await?;
    if !csv {
        return Ok(Json(GapList {
            unmet_after_days: insights::UNMET_AFTER_DAYS,
            items: items.to_vec(),
        })
        .into_response());
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header_row = vec![
        "province".to_owned(),
        "category".to_owned(),
        "open_needs".to_owned(),
        "unmet_60_days".to_owned(),
        "offers".to_owned(),
        "demand_per_offer".to_owned(),
    ];
    if let Some(first) = items.first() {
        header_row.extend(first.trend.iter().map(|m| format!("needs_{}", m.month)));
    }
    writer
        .write_record(&header_row)
        .map_err(anyhow::Error::from)?;
    for gap in items.iter() {
        let mut record = vec![
            gap.province.clone(),
            gap.category.clone(),
            gap.open_needs.to_string(),
            gap.unmet_60_days.to_string(),
            gap.offers.to_string(),
            gap.demand_per_offer
                .map(|r| format!("{r:.2}"))
                .unwrap_or_default(),
        ];
        record.extend(gap.trend.iter().map(|m| m.needs.to_string()));
        writer.write_record(&record).map_err(anyhow::Error::from)?;
    }
    let body = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"passerelle-gaps.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The sector in numbers, public and from aggregates only: partnerships completed per quarter
/// over two years, and per province or territory and category over twelve months, with the
/// hours and value their reports declare; the median days to a first answer; the share of needs
/// met. Refreshed every few minutes.
#[utoipa::path(get, path = "/insights/sector", tag = "insights",
    responses((status = 200, body = Sector)))]
pub async fn sector(State(state): State<AppState>) -> AppResult<Json<Sector>> {
    let figures = insights::cached_sector(&state.sector, &state.db).await?;
    Ok(Json(figures.as_ref().clone()))
}
