//! `/search` and `/search/suggest`: full-text search over open postings and organizations.

use axum::extract::State;
use entity::{Language, OrgKind, TaxonomyKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::types::{Province, cursor};
use crate::error::AppResult;
use crate::search::{Facets, Hit, SearchRequest, Sort};
use crate::state::AppState;
use crate::state::{Json, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(suggest))
}

/// Deepest result reachable by paging.
const MAX_OFFSET: usize = 1_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words to look for, in English or French; any text is accepted.
    pub q: Option<String>,
    /// `need`, `offer` or `organization`.
    pub kind: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Two-letter province or territory code.
    pub province: Option<String>,
    /// Kind of the publishing organization.
    pub org_kind: Option<OrgKind>,
    pub remote: Option<bool>,
    pub language: Option<Language>,
    /// `relevance` (default when `q` is given) or `recent`.
    pub sort: Option<String>,
    /// 1 to 50, default 20.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
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

impl SearchQuery {
    fn parse(self, state: &AppState) -> AppResult<SearchRequest> {
        let kind = match self.kind.as_deref() {
            None => None,
            Some(kind @ ("need" | "offer" | "organization")) => Some(kind.to_owned()),
            Some(other) => {
                return Err(invalid_parameter(
                    "kind",
                    format!("\"{other}\" is not need, offer or organization"),
                ));
            }
        };
        let category = self
            .category
            .map(|c| state.taxonomy.check(TaxonomyKind::Category, &c))
            .transpose()
            .map_err(|e| invalid_parameter("category", e))?;
        let province = self
            .province
            .map(|p| Province::parse(&p).map(|p| p.as_str().to_owned()))
            .transpose()
            .map_err(|e| invalid_parameter("province", e))?;
        let sort = match self.sort.as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("recent") => Sort::Recent,
            Some(other) => {
                return Err(invalid_parameter(
                    "sort",
                    format!("\"{other}\" is not relevance or recent"),
                ));
            }
        };
        let limit = match self.limit {
            None => 20,
            Some(n @ 1..=50) => n,
            Some(_) => return Err(invalid_parameter("limit", "must be between 1 and 50")),
        };
        let offset = self
            .cursor
            .as_deref()
            .map(|c| cursor::decode_offset(c, MAX_OFFSET))
            .transpose()
            .map_err(|e| invalid_parameter("cursor", e))?
            .unwrap_or(0);
        Ok(SearchRequest {
            q: self.q.unwrap_or_default(),
            kind,
            category,
            province,
            org_kind: self.org_kind.map(|k| k.as_str().to_owned()),
            remote: self.remote,
            language: self.language.map(|l| l.as_str().to_owned()),
            sort,
            limit,
            offset,
            no_stemming: false,
            lean: false,
        })
    }
}

/// Search open needs and offers and organizations, in English and French, with typo tolerance,
/// highlighted snippets and facet counts. Drafts, closed, expired and private postings are never
/// found.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResponse),
        (status = 400, description = "invalid_parameter")))]
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> AppResult<Json<SearchResponse>> {
    let request = query.parse(&state)?;
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
