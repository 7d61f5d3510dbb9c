//! `/needs` and `/offers`: the same resource for both kinds of posting.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderName, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    Eligibility, Language, OrgKind, PostingKind, PostingStatus, SizeBand, TaxonomyKind, posting,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::organizations::{double_option, non_null};
use crate::domain::accounts::{self, Caller};
use crate::domain::organizations;
use crate::domain::postings::{self, NewPosting, PostingChanges, PostingFilter, Viewer};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::{self, Province, cursor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::state::{CurrentUser, Json, MaybeUser, PathId, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_needs, create_need))
        .routes(routes!(get_need, update_need, delete_need))
        .routes(routes!(list_offers, create_offer))
        .routes(routes!(get_offer, update_offer, delete_offer))
}

/// Who may receive an offer. Empty lists mean "anyone".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EligibilityInput {
    pub org_kinds: Vec<OrgKind>,
    /// Two-letter province or territory codes.
    pub provinces: Vec<String>,
    /// Cause-area codes from the taxonomy.
    pub cause_areas: Vec<String>,
    pub requires_charity_number: bool,
    /// Organization sizes the offer suits best (ranks matches; does not exclude).
    pub preferred_sizes: Vec<SizeBand>,
}

impl EligibilityInput {
    fn parse(self, taxonomy: &Taxonomy, errors: &mut FieldErrors) -> Option<Eligibility> {
        let mut provinces = Vec::new();
        for raw in &self.provinces {
            let province = errors.check("eligibility.provinces", Province::parse(raw))?;
            if !provinces.contains(&province.as_str().to_owned()) {
                provinces.push(province.as_str().to_owned());
            }
        }
        let cause_areas = errors.check(
            "eligibility.cause_areas",
            taxonomy.check_all(TaxonomyKind::CauseArea, &self.cause_areas, 20),
        )?;
        let mut org_kinds = self.org_kinds;
        org_kinds.dedup();
        let mut preferred_sizes = self.preferred_sizes;
        preferred_sizes.dedup();
        Some(Eligibility {
            org_kinds,
            provinces,
            cause_areas,
            requires_charity_number: self.requires_charity_number,
            preferred_sizes,
        })
    }
}

/// A new need or offer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingInput {
    /// Which of your organizations publishes it; required if you belong to several.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// 5 to 200 characters.
    pub title: String,
    /// 10 to 10,000 characters.
    pub description: String,
    pub language: Language,
    /// A category code from the taxonomy.
    pub category: String,
    /// Skill codes from the taxonomy (at most 10).
    #[serde(default)]
    pub skills: Vec<String>,
    /// Two-letter province or territory code; required for a need unless `remote`.
    #[serde(default)]
    pub province: Option<String>,
    /// Can be done or delivered remotely.
    #[serde(default)]
    pub remote: bool,
    /// Needs: units or seats wanted. Offers: how many organizations or units it can serve. Default 1.
    #[serde(default)]
    pub quantity: Option<i32>,
    /// Estimated value in whole Canadian dollars.
    #[serde(default)]
    pub value_cad: Option<i64>,
    /// Volunteer or pro-bono hours.
    #[serde(default)]
    pub hours: Option<i32>,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// After this instant the posting expires and leaves search.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// `draft`, `open` (default) or `paused`.
    #[serde(default)]
    pub status: Option<PostingStatus>,
    /// Offers only.
    #[serde(default)]
    pub eligibility: Option<EligibilityInput>,
}

fn check_quantity(value: i32) -> Result<i32, String> {
    if (1..=100_000).contains(&value) {
        Ok(value)
    } else {
        Err("must be between 1 and 100000".into())
    }
}

fn check_value(value: i64) -> Result<i64, String> {
    if (0..=100_000_000).contains(&value) {
        Ok(value)
    } else {
        Err("must be between 0 and 100000000".into())
    }
}

fn check_hours(value: i32) -> Result<i32, String> {
    if (0..=100_000).contains(&value) {
        Ok(value)
    } else {
        Err("must be between 0 and 100000".into())
    }
}

fn check_future(value: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if value > Utc::now() {
        Ok(value)
    } else {
        Err("must be in the future".into())
    }
}

fn check_title(raw: &str) -> Result<String, String> {
    types::line(raw, 5, 200)
}

fn check_description(raw: &str) -> Result<String, String> {
    types::text(raw, 10, 10_000)
}

impl PostingInput {
    /// Parses every field, collecting all the messages at once.
    pub fn parse(self, kind: PostingKind, taxonomy: &Taxonomy) -> AppResult<NewPosting> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", check_title(&self.title));
        let description = errors.check("description", check_description(&self.description));
        let category = errors.check(
            "category",
            taxonomy.check(TaxonomyKind::Category, &self.category),
        );
        let skills = errors.check(
            "skills",
            taxonomy.check_all(TaxonomyKind::Skill, &self.skills, 10),
        );
        let province = errors.check(
            "province",
            self.province.as_deref().map(Province::parse).transpose(),
        );
        let quantity = errors.check("quantity", check_quantity(self.quantity.unwrap_or(1)));
        let value_cad = errors.check("value_cad", self.value_cad.map(check_value).transpose());
        let hours = errors.check("hours", self.hours.map(check_hours).transpose());
        let expires_at = errors.check("expires_at", self.expires_at.map(check_future).transpose());
        let eligibility = match (kind, self.eligibility) {
            (_, None) => Some(None),
            (PostingKind::Offer, Some(input)) => input.parse(taxonomy, &mut errors).map(Some),
            (PostingKind::Need, Some(_)) => {
                errors.add("eligibility", "only offers have eligibility rules");
                None
            }
        };
        errors.finish()?;
        Ok(NewPosting {
            title: FieldErrors::parsed(title)?,
            description: FieldErrors::parsed(description)?,
            language: self.language,
            category: FieldErrors::parsed(category)?,
            skills: FieldErrors::parsed(skills)?,
            province: FieldErrors::parsed(province)?,
            remote: self.remote,
            quantity: FieldErrors::parsed(quantity)?,
            value_cad: FieldErrors::parsed(value_cad)?,
            hours: FieldErrors::parsed(hours)?,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            expires_at: FieldErrors::parsed(expires_at)?,
            status: self.status.unwrap_or(PostingStatus::Open),
            eligibility: FieldErrors::parsed(eligibility)?,
        })
    }
}

/// An edit of a posting. Absent fields stay; `null` clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingPatch {
    /// The `version` you read; a stale one is refused with 409.
    pub version: i32,
    #[serde(default, deserialize_with = "non_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "non_null")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    pub skills: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub province: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    pub remote: Option<bool>,
    #[serde(default, deserialize_with = "non_null")]
    pub quantity: Option<i32>,
    #[serde(default, deserialize_with = "double_option")]
    pub value_cad: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    pub hours: Option<Option<i32>>,
    #[serde(default, deserialize_with = "double_option")]
    pub starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    pub ends_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// `draft`, `open`, `paused`, `fulfilled` or `closed`.
    #[serde(default, deserialize_with = "non_null")]
    pub status: Option<PostingStatus>,
    /// Offers only; `null` removes every rule.
    #[serde(default, deserialize_with = "double_option")]
    pub eligibility: Option<Option<EligibilityInput>>,
}

/// Checks an optional field that may be cleared.
fn patch_value<T, U>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<Option<T>>,
    check: impl FnOnce(T) -> Result<U, String>,
) -> Option<Option<U>> {
    match value? {
        None => Some(None),
        Some(value) => errors.check(field, check(value)).map(Some),
    }
}

impl PostingPatch {
    fn parse(self, kind: PostingKind, taxonomy: &Taxonomy) -> AppResult<PostingChanges> {
        let mut errors = FieldErrors::default();
        let mut changes = PostingChanges {
            version: self.version,
            language: self.language,
            remote: self.remote,
            status: self.status,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            ..Default::default()
        };
        changes.title = self
            .title
            .and_then(|t| errors.check("title", check_title(&t)));
        changes.description = self
            .description
            .and_then(|d| errors.check("description", check_description(&d)));
        changes.category = self
            .category
            .and_then(|c| errors.check("category", taxonomy.check(TaxonomyKind::Category, &c)));
        changes.skills = self
            .skills
            .and_then(|s| errors.check("skills", taxonomy.check_all(TaxonomyKind::Skill, &s, 10)));
        changes.province = patch_value(&mut errors, "province", self.province, |p| {
            Province::parse(&p)
        });
        changes.quantity = self
            .quantity
            .and_then(|q| errors.check("quantity", check_quantity(q)));
        changes.value_cad = patch_value(&mut errors, "value_cad", self.value_cad, check_value);
        changes.hours = patch_value(&mut errors, "hours", self.hours, check_hours);
        changes.expires_at = patch_value(&mut errors, "expires_at", self.expires_at, check_future);
        changes.eligibility = match (kind, self.eligibility) {
            (_, None) => None,
            (PostingKind::Need, Some(_)) => {
                errors.add("eligibility", "only offers have eligibility rules");
                None
            }
            (PostingKind::Offer, Some(None)) => Some(None),
            (PostingKind::Offer, Some(Some(input))) => input.parse(taxonomy, &mut errors).map(Some),
        };
        errors.finish()?;
        Ok(changes)
    }
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
    pub quantity: i32,
    pub value_cad: Option<i64>,
    pub hours: Option<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub expires_at: Option<DateTime<Utc>>,
    pub status: PostingStatus,
    /// Offers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<Eligibility>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
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
            value_cad: p.value_cad,
            hours: p.hours,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            expires_at: p.expires_at,
            status: p.status,
            eligibility,
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
    /// Category code.
    pub category: Option<String>,
    /// Two-letter province or territory code.
    pub province: Option<String>,
    pub status: Option<PostingStatus>,
    pub organization_id: Option<i64>,
    pub language: Option<Language>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub(super) async fn viewer(state: &AppState, caller: Option<&Caller>) -> AppResult<Viewer> {
    Ok(match caller {
        None => Viewer::default(),
        Some(caller) => Viewer {
            user_id: Some(caller.user.id),
            org_ids: organizations::member_org_ids(&state.db, caller.user.id).await?,
            is_admin: caller.user.is_admin,
        },
    })
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
    let viewer = viewer(&state, caller.as_ref()).await?;
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
    let requested = input.organization_id;
    let new = input.parse(kind, &state.taxonomy)?;
    let organization_id = match requested {
        Some(id) => id,
        None => {
            let memberships = accounts::memberships(&state.db, caller.user.id).await?;
            match memberships.as_slice() {
                [(membership, _)] => membership.organization_id,
                [] => {
                    return Err(AppError::field(
                        "organization_id",
                        "you belong to no organization",
                    ));
                }
                _ => {
                    return Err(AppError::field(
                        "organization_id",
                        "you belong to several organizations; say which one publishes this",
                    ));
                }
            }
        }
    };
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

        #[utoipa::path(post, path = $path, tag = $tag, request_body = PostingInput,
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
            params(("id" = i64, Path, description = "Posting id")),
            responses((status = 200, body = PostingResponse),
                (status = 404, description = "posting_not_found")))]
        pub async fn $get(
            State(state): State<AppState>,
            MaybeUser(caller): MaybeUser,
            PathId(id): PathId,
        ) -> AppResult<Json<PostingResponse>> {
            let viewer = viewer(&state, caller.as_ref()).await?;
            Ok(Json(postings::get(&state.db, &viewer, $kind, id).await?.into()))
        }

        #[utoipa::path(patch, path = $item_path, tag = $tag, summary = concat!("Edit ", $a),
            description = "Members of the publishing organization only. Send the `version` you read; \
                absent fields stay, `null` clears an optional field.",
            params(("id" = i64, Path, description = "Posting id")),
            request_body = PostingPatch,
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
            params(("id" = i64, Path, description = "Posting id")),
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
    list_offers,
    create_offer,
    get_offer,
    update_offer,
    delete_offer
);
