//! `/search` and `/search/suggest`: full-text search over open postings and organizations.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::types::cursor;
use crate::error::AppResult;
use crate::search::{Facets, Hit, MAX_OFFSET, SearchQuery};
use crate::state::{AppState, Json, MaybeUser, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(suggest))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// How many postings and organizations match.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For each of `kind`, `category`, `province`, `org_kind`, `remote`: matches per value. A
    /// match without a category or province (organizations, offers for all of Canada) is counted
    /// under no value of that facet.
    #[schema(value_type = Object)]
    pub facets: Facets,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Search open needs and offers and organizations, in English and French, with typo tolerance,
/// highlighted snippets and facet counts. Drafts, closed, expired and private postings are never
/// found.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResponse),
        (status = 400, description = "invalid_parameter")))]
pub async fn search(
    State(state): State<AppState>,
    MaybeUser(caller): MaybeUser,
    Query(query): Query<SearchQuery>,
) -> AppResult<Json<SearchResponse>> {
    let mut request = query.parse(&state.taxonomy)?;
    let user = caller.as_ref().map(|c| c.user.id);
    crate::domain::organizations::fill_eligible(&state.db, user, &mut request).await?;
    let (offset, limit) = (request.offset, request.limit);
    let results = state.search.search(request).await?;
    let next = offset + limit;
    let next_cursor =
        (next < results.total && next <= MAX_OFFSET).then(|| cursor::encode_offset(next));
    Ok(Json(SearchResponse {
        total: results.total,
        hits: results.hits,
        facets: results.facets,
        next_cursor,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SuggestQuery {
    /// What has been typed so far.
    pub q: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestResponse {
    /// Completions of the last word, most frequent first.
    pub suggestions: Vec<String>,
}

/// Search-as-you-type: completes the last word of `q` from the words of titles and names.
#[utoipa::path(get, path = "/search/suggest", tag = "search", params(SuggestQuery),
    responses((status = 200, body = SuggestResponse)))]
pub async fn suggest(
    State(state): State<AppState>,
    Query(query): Query<SuggestQuery>,
) -> AppResult<Json<SuggestResponse>> {
    let suggestions = state.search.suggest(&query.q, 8).await?;
    Ok(Json(SuggestResponse { suggestions }))
}
