//! `/taxonomy`: the bilingual categories, skills and cause areas.

use axum::extract::State;
use entity::TaxonomyKind;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::taxonomy::Entry;
use crate::state::AppState;
use crate::state::Json;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_taxonomy))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxonomyResponse {
    /// Digital-capacity categories (a posting has exactly one).
    pub categories: Vec<Entry>,
    /// Skills, each under a parent category.
    pub skills: Vec<Entry>,
    /// Cause areas organizations work in, used by offers' eligibility.
    pub cause_areas: Vec<Entry>,
}

/// The taxonomy: codes with English and French labels, synonyms and descriptions.
#[utoipa::path(get, path = "/taxonomy", tag = "taxonomy",
    responses((status = 200, body = TaxonomyResponse)))]
pub async fn get_taxonomy(State(state): State<AppState>) -> Json<TaxonomyResponse> {
    let list = |kind| state.taxonomy.entries(kind).cloned().collect();
    Json(TaxonomyResponse {
        categories: list(TaxonomyKind::Category),
        skills: list(TaxonomyKind::Skill),
        cause_areas: list(TaxonomyKind::CauseArea),
    })
}
