//! `/needs` and `/offers`: the same resource for both kinds of posting.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderName, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    Eligibility, Language, ModerationReason, PostingKind, PostingStatus, PostingUnit, TaxonomyKind,
    posting,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::accounts::Caller;
use crate::domain::accounts::Viewer;
use crate::domain::postings::{self, PostingFilter, PostingInput, PostingPatch};
use crate::domain::schemas::{CategoryCode, NeedInput, NeedPatch, ProvinceCode};
use crate::domain::types::{self, Province, cursor};
use crate::error::AppResult;
use crate::state::AppState;
use crate::state::{CurrentUser, Json, MaybeUser, PathId, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_needs, create_need))
        .routes(routes!(get_need, update_need, delete_need))
        .routes(routes!(list_offers, create_offer))
        .routes(routes!(get_offer, update_offer, delete_offer))
}

/// A need or an offer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingResponse {
    pub id: i64,
    pub kind: PostingKind,
    pub organization_id: i64,
    pub title: String,
    pub description: String,
    pub language: Language,
    pub category: String,
    pub skills: Vec<String>,
    pub province: Option<String>,
    pub remote: bool,
    /// What is still asked or left to give.
    pub quantity: i32,
    /// What `quantity` counts.
    pub unit: PostingUnit,
    /// One partnership takes all of it.
    pub filled_by_one: bool,
    pub value_cad: Option<i64>,
    pub hours: Option<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub expires_at: Option<DateTime<Utc>>,
    pub status: PostingStatus,
    /// Offers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<Eligibility>,
    /// Set while an administrator hides the posting (only its organization and administrators
    /// still see it), with why.
    pub hidden: Option<HiddenResponse>,
    /// What its organization said when closing it.
    pub closing_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why and since when a posting is hidden.
#[derive(Debug, Serialize, ToSchema)]
pub struct HiddenResponse {
    pub reason_code: Option<ModerationReason>,
    pub reason: Option<String>,
    pub since: DateTime<Utc>,
}

impl From<posting::Model> for PostingResponse {
    fn from(p: posting::Model) -> Self {
        let eligibility = match p.kind {
            PostingKind::Offer => Some(p.eligibility.unwrap_or_default()),
            PostingKind::Need => None,
        };
        Self {
            id: p.id,
            kind: p.kind,
            organization_id: p.organization_id,
            title: p.title,
            description: p.description,
            language: p.language,
            category: p.category,
            skills: p.skills.0,
            province: p.province,
            remote: p.remote,
            quantity: p.quantity,
            unit: p.unit,
            filled_by_one: p.filled_by_one,
            value_cad: p.value_cad,
            hours: p.hours,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            expires_at: p.expires_at,
            status: p.status,
            eligibility,
            hidden: p.hidden_at.map(|since| HiddenResponse {
                reason_code: p.hidden_code,
                reason: p.hidden_reason,
                since,
            }),
            closing_reason: p.closing_note,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostingPage {
    pub items: Vec<PostingResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PostingQuery {
    #[param(value_type = Option<CategoryCode>, inline)]
    pub category: Option<String>,
    #[param(value_type = Option<ProvinceCode>, inline)]
    pub province: Option<String>,
    pub status: Option<PostingStatus>,
    #[serde(default, deserialize_with = "types::whole_number")]
    pub organization_id: Option<i64>,
    pub language: Option<Language>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "types::whole_number")]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

async fn list(
    state: AppState,
    caller: Option<Caller>,
    kind: PostingKind,
    query: PostingQuery,
) -> AppResult<Json<PostingPage>> {
    let filter = PostingFilter {
        category: query
            .category
            .map(|c| state.taxonomy.check(TaxonomyKind::Category, &c))
            .transpose()
            .map_err(|e| invalid_parameter("category", e))?,
        province: query
            .province
            .as_deref()
            .map(Province::parse)
            .transpose()
            .map_err(|e| invalid_parameter("province", e))?,
        status: query.status,
        organization_id: query.organization_id,
        language: query.language,
        after: query
            .cursor
            .as_deref()
            .map(cursor::decode)
            .transpose()
            .map_err(|e| invalid_parameter("cursor", e))?,
        limit: types::page_limit(query.limit).map_err(|e| invalid_parameter("limit", e))?,
    };
    let viewer = Viewer::of(&state.db, caller.as_ref()).await?;
    let page = postings::list(&state.db, &viewer, kind, &filter).await?;
    Ok(Json(PostingPage {
        items: page.items.into_iter().map(PostingResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// A created posting with its `Location`.
type Created = (StatusCode, [(HeaderName, String); 1], Json<PostingResponse>);

async fn create(
    state: AppState,
    caller: Caller,
    kind: PostingKind,
    input: PostingInput,
) -> AppResult<Created> {
    let organization_id =
        postings::publisher(&state.db, caller.user.id, input.organization_id).await?;
    let new = input.parse(kind, &state.taxonomy)?;
    let created =
        postings::create(&state.db, Some(caller.user.id), organization_id, kind, new).await?;
    let collection = match kind {
        PostingKind::Need => "needs",
        PostingKind::Offer => "offers",
    };
    let location = [(LOCATION, format!("/api/v1/{collection}/{}", created.id))];
    Ok((StatusCode::CREATED, location, Json(created.into())))
}

/// Declares the five handlers of one posting kind, each with its OpenAPI description.
macro_rules! posting_handlers {
    ($kind:expr, $path:literal, $item_path:literal, $tag:literal, $a:literal,
     $input:ty, $patch:ty,
     $list:ident, $create:ident, $get:ident, $update:ident, $delete:ident) => {
        #[utoipa::path(get, path = $path, tag = $tag, params(PostingQuery),
            summary = concat!("List ", $tag),
            description = "Newest first, every status; drafts only for members of their organization. \
                Postings of organizations an administrator rejected are not listed.",
            responses((status = 200, body = PostingPage)))]
        pub async fn $list(
            State(state): State<AppState>,
            MaybeUser(caller): MaybeUser,
            Query(query): Query<PostingQuery>,
        ) -> AppResult<Json<PostingPage>> {
            list(state, caller, $kind, query).await
        }

        #[utoipa::path(post, path = $path, tag = $tag, request_body = $input,
            summary = concat!("Publish ", $a),
            description = "For one of your organizations (`organization_id` when you belong to several).",
            responses((status = 201, body = PostingResponse),
                (status = 403, description = "forbidden: not a member of organization_id"),
                (status = 422, description = "validation_failed: see `errors`")),
            security(("bearer" = [])))]
        pub async fn $create(
            State(state): State<AppState>,
            CurrentUser(caller): CurrentUser,
            Json(input): Json<PostingInput>,
        ) -> AppResult<Created> {
            create(state, caller, $kind, input).await
        }

        #[utoipa::path(get, path = $item_path, tag = $tag, summary = concat!("Get ", $a),
            params(("id" = i64, Path, minimum = 1, description = "Posting id")),
            responses((status = 200, body = PostingResponse),
                (status = 404, description = "posting_not_found")))]
        pub async fn $get(
            State(state): State<AppState>,
            MaybeUser(caller): MaybeUser,
            PathId(id): PathId,
        ) -> AppResult<Json<PostingResponse>> {
            let viewer = Viewer::of(&state.db, caller.as_ref()).await?;
            Ok(Json(postings::get(&state.db, &viewer, $kind, id).await?.into()))
        }

        #[utoipa::path(patch, path = $item_path, tag = $tag, summary = concat!("Edit ", $a),
            description = "Members of the publishing organization only. Send the `version` you read; \
                absent fields stay, `null` clears an optional field.",
            params(("id" = i64, Path, minimum = 1, description = "Posting id")),
            request_body = $patch,
            responses((status = 200, body = PostingResponse),
                (status = 403, description = "forbidden: another organization's posting"),
                (status = 404, description = "posting_not_found"),
                (status = 409, description = "version_conflict"),
                (status = 422, description = "validation_failed: see `errors`")),
            security(("bearer" = [])))]
        pub async fn $update(
            State(state): State<AppState>,
            CurrentUser(caller): CurrentUser,
            PathId(id): PathId,
            Json(patch): Json<PostingPatch>,
        ) -> AppResult<Json<PostingResponse>> {
            let changes = patch.parse($kind, &state.taxonomy)?;
            Ok(Json(postings::update(&state.db, caller.user.id, $kind, id, changes).await?.into()))
        }

        #[utoipa::path(delete, path = $item_path, tag = $tag, summary = concat!("Delete ", $a),
            description = "Members of the publishing organization only.",
            params(("id" = i64, Path, minimum = 1, description = "Posting id")),
            responses((status = 204, description = "Deleted"),
                (status = 403, description = "forbidden: another organization's posting"),
                (status = 404, description = "posting_not_found")),
            security(("bearer" = [])))]
        pub async fn $delete(
            State(state): State<AppState>,
            CurrentUser(caller): CurrentUser,
            PathId(id): PathId,
        ) -> AppResult<StatusCode> {
            postings::delete(&state.db, caller.user.id, $kind, id).await?;
            Ok(StatusCode::NO_CONTENT)
        }
    };
}

posting_handlers!(
    PostingKind::Need,
    "/needs",
    "/needs/{id}",
    "needs",
    "a need",
    NeedInput,
    NeedPatch,
    list_needs,
    create_need,
    get_need,
    update_need,
    delete_need
);
posting_handlers!(
    PostingKind::Offer,
    "/offers",
    "/offers/{id}",
    "offers",
    "an offer",
    PostingInput,
    PostingPatch,
    list_offers,
    create_offer,
    get_offer,
    update_offer,
    delete_offer
);
