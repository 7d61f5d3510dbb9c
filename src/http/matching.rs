//! `/needs/{id}/matches`, `/offers/{id}/matches`: ranked, explained candidates for a posting;
//! `/suggest-tags`: the likely category and skills of a text.

use axum::extract::State;
use entity::{Language, PostingKind};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::accounts::Viewer;
use crate::domain::schemas::{DraftDescription, DraftTitle};
use crate::domain::types;
use crate::error::{AppResult, FieldErrors};
use crate::matching::tags::{self, TagSuggestions};
use crate::matching::{self, MatchOptions, Matches};
use crate::state::AppState;
use crate::state::{AcceptLanguage, Json, MaybeUser, PathId, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_need_matches))
        .routes(routes!(list_offer_matches))
        .routes(routes!(suggest_tags))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    /// 1 to 50, default 10.
    #[param(minimum = 1, maximum = 50)]
    #[serde(default, deserialize_with = "types::whole_number")]
    pub limit: Option<usize>,
    /// Language of the reasons, `en` or `fr`; default from `Accept-Language`.
    pub lang: Option<Language>,
    /// Also list the best candidates that eligibility rules excluded, with the rule.
    pub explain_excluded: Option<bool>,
}

async fn list_matches(
    state: AppState,
    caller: MaybeUser,
    accept: AcceptLanguage,
    kind: PostingKind,
    id: i64,
    query: MatchQuery,
) -> AppResult<Json<Matches>> {
    let limit = match query.limit {
        None => 10,
        Some(n @ 1..=50) => n,
        Some(_) => return Err(invalid_parameter("limit", "must be between 1 and 50")),
    };
    let viewer = Viewer::of(&state.db, caller.0.as_ref()).await?;
    let options = MatchOptions {
        limit,
        language: query.lang.unwrap_or(accept.0),
        explain_excluded: query.explain_excluded.unwrap_or(false),
        max_pending: state.config.max_pending_proposals,
    };
    let matches = matching::find(
        &state.db,
        &state.search,
        &state.taxonomy,
        &viewer,
        kind,
        id,
        options,
    )
    .await?;
    Ok(Json(matches))
}

/// Offers that fit a need, best first, each with its score and reasons. Only offers whose
/// eligibility rules admit the need's organization are listed.
#[utoipa::path(get, path = "/needs/{id}/matches", tag = "matching", params(("id" = i64, Path, minimum = 1, description = "Need id"), MatchQuery),
    responses((status = 200, body = Matches),
        (status = 400, description = "invalid_parameter"),
        (status = 404, description = "posting_not_found")))]
pub async fn list_need_matches(
    State(state): State<AppState>,
    caller: MaybeUser,
    accept: AcceptLanguage,
    PathId(id): PathId,
    Query(query): Query<MatchQuery>,
) -> AppResult<Json<Matches>> {
    list_matches(state, caller, accept, PostingKind::Need, id, query).await
}

/// Needs an offer could serve, best first, each with its score and reasons. Only needs of
/// organizations the offer's eligibility rules admit are listed.
#[utoipa::path(get, path = "/offers/{id}/matches", tag = "matching", params(("id" = i64, Path, minimum = 1, description = "Offer id"), MatchQuery),
    responses((status = 200, body = Matches),
        (status = 400, description = "invalid_parameter"),
        (status = 404, description = "posting_not_found")))]
pub async fn list_offer_matches(
    State(state): State<AppState>,
    caller: MaybeUser,
    accept: AcceptLanguage,
    PathId(id): PathId,
    Query(query): Query<MatchQuery>,
) -> AppResult<Json<Matches>> {
    list_matches(state, caller, accept, PostingKind::Offer, id, query).await
}

/// A text to tag.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestTagsInput {
    /// A title, a description or both (one of them not blank).
    #[schema(value_type = DraftTitle)]
    pub title: String,
    #[serde(default)]
    #[schema(value_type = DraftDescription)]
    pub description: String,
    /// Language of the text, `en` or `fr`, if known.
    pub language: Option<Language>,
    /// Language of the labels; default from `Accept-Language`.
    pub lang: Option<Language>,
}

/// The most likely taxonomy category and skills of a title and description in English or
/// French, each with a confidence from 0 to 1. Forms use it to help people who do not know
/// what to ask for.
#[utoipa::path(post, path = "/suggest-tags", tag = "matching", request_body = SuggestTagsInput,
    responses((status = 200, body = TagSuggestions),
        (status = 422, description = "validation_failed: see `errors`")))]
pub async fn suggest_tags(
    State(state): State<AppState>,
    accept: AcceptLanguage,
    Json(input): Json<SuggestTagsInput>,
) -> AppResult<Json<TagSuggestions>> {
    let mut errors = FieldErrors::default();
    let title = errors.check("title", types::line(&input.title, 0, 200));
    let description = errors.check("description", types::text(&input.description, 0, 10_000));
    errors.finish()?;
    let (title, description) = (title.unwrap_or_default(), description.unwrap_or_default());
    if title.is_empty() && description.is_empty() {
        return Err(crate::error::AppError::field(
            "title",
            crate::error::Invalid::NothingToTag,
        ));
    }
    let labels = input.lang.unwrap_or(accept.0);
    let search = state.search.clone();
    let taxonomy = state.taxonomy.clone();
    let suggestions = tokio::task::spawn_blocking(move || {
        tags::suggest(
            &search,
            &taxonomy,
            &title,
            &description,
            input.language,
            labels,
        )
    })
    .await
    .map_err(anyhow::Error::from)??;
    Ok(Json(suggestions))
}
