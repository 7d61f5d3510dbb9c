//! `/notifications`: what the signed-in user has been told, newest first, and marking it read.

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{Delivery, NotificationKind, Topic, notification};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::notifications::{self, Marked};
use crate::domain::saved_searches::{self, SavedSearchInput};
use crate::domain::types::{self, cursor};
use crate::error::{AppError, AppResult, Invalid};
use crate::i18n::{self, Catalog};
use crate::state::{AppState, CurrentUser, Json, PathId, Query, invalid_parameter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
        .routes(routes!(get_preferences, update_preferences))
        .routes(routes!(list_saved_searches, save_search))
        .routes(routes!(delete_saved_search))
}

/// A saved search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchResponse {
    pub id: i64,
    pub name: String,
    /// The query string of `GET /search` (and of the search page).
    pub query: String,
    pub created_at: DateTime<Utc>,
    /// When the daily round last looked for its new results.
    pub checked_at: Option<DateTime<Utc>>,
}

impl From<entity::saved_search::Model> for SavedSearchResponse {
    fn from(saved: entity::saved_search::Model) -> Self {
        Self {
            id: saved.id,
            name: saved.name,
            query: saved.query,
            created_at: saved.created_at,
            checked_at: saved.checked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchList {
    pub items: Vec<SavedSearchResponse>,
}

/// Your saved searches
#[utoipa::path(get, path = "/saved-searches", tag = "notifications",
    responses((status = 200, body = SavedSearchList)), security(("bearer" = [])))]
pub async fn list_saved_searches(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
) -> AppResult<Json<SavedSearchList>> {
    let items = saved_searches::list(&state.db, caller.user.id).await?;
    Ok(Json(SavedSearchList {
        items: items.into_iter().map(SavedSearchResponse::from).collect(),
    }))
}

/// Save a search
#[utoipa::path(post, path = "/saved-searches", tag = "notifications",
    request_body = SavedSearchInput,
    description = "Once a day, the new results of each saved search are told to you (by \
        default in the daily digest). At most 50 per person.",
    responses((status = 201, body = SavedSearchResponse),
        (status = 409, description = "saved_searches_full: 50 kept already"),
        (status = 422, description = "validation_failed: the query does not read as a search")),
    security(("bearer" = [])))]
pub async fn save_search(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<SavedSearchInput>,
) -> AppResult<(axum::http::StatusCode, Json<SavedSearchResponse>)> {
    let saved = saved_searches::save(&state.db, &state.taxonomy, caller.user.id, input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(saved.into())))
}

/// Forget a saved search
#[utoipa::path(delete, path = "/saved-searches/{id}", tag = "notifications",
    params(("id" = i64, Path, minimum = 1, description = "Saved search id")),
    responses((status = 204, description = "Forgotten"),
        (status = 404, description = "saved_search_not_found")),
    security(("bearer" = [])))]
pub async fn delete_saved_search(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    PathId(id): PathId,
) -> AppResult<axum::http::StatusCode> {
    saved_searches::delete(&state.db, caller.user.id, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// How you receive each topic by email: `immediate`, `daily` (one digest a day) or `off` (the
/// bell only). Topics: `proposals`, `answers`, `partnerships`, `messages`, `organization`,
/// `matches`, `saved_searches`, `moderation`, `programs`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposals: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partnerships: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_searches: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programs: Option<Delivery>,
}

impl Preferences {
    fn slot(&mut self, topic: Topic) -> &mut Option<Delivery> {
        match topic {
            Topic::Proposals => &mut self.proposals,
            Topic::Answers => &mut self.answers,
            Topic::Partnerships => &mut self.partnerships,
            Topic::Messages => &mut self.messages,
            Topic::Organization => &mut self.organization,
            Topic::Matches => &mut self.matches,
            Topic::SavedSearches => &mut self.saved_searches,
            Topic::Moderation => &mut self.moderation,
            Topic::Programs => &mut self.programs,
        }
    }

    fn of(list: Vec<(Topic, Delivery)>) -> Self {
        let mut all = Self::default();
        for (topic, delivery) in list {
            *all.slot(topic) = Some(delivery);
        }
        all
    }

    fn changes(mut self) -> Vec<(Topic, Delivery)> {
        Topic::ALL
            .iter()
            .filter_map(|topic| self.slot(*topic).map(|delivery| (*topic, delivery)))
            .collect()
    }
}

/// Your email preferences
#[utoipa::path(get, path = "/me/notification-preferences", tag = "notifications",
    responses((status = 200, body = Preferences)), security(("bearer" = [])))]
pub async fn get_preferences(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
) -> AppResult<Json<Preferences>> {
    let list = notifications::preferences(&state.db, caller.user.id).await?;
    Ok(Json(Preferences::of(list)))
}

/// Change your email preferences
#[utoipa::path(patch, path = "/me/notification-preferences", tag = "notifications",
    request_body = Preferences,
    description = "Topics left out stay as they are. Returns every topic.",
    responses((status = 200, body = Preferences),
        (status = 422, description = "validation_failed: an unknown topic or delivery")),
    security(("bearer" = [])))]
pub async fn update_preferences(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(changes): Json<Preferences>,
) -> AppResult<Json<Preferences>> {
    let list =
        notifications::set_preferences(&state.db, caller.user.id, &changes.changes()).await?;
    Ok(Json(Preferences::of(list)))
}

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationResponse {
    pub id: i64,
    pub kind: NotificationKind,
    /// The preference it falls under.
    pub topic: Topic,
    /// What it is about: `partnership` or `organization`.
    pub subject: String,
    pub subject_id: i64,
    /// The page it is about, on this site.
    pub link: String,
    /// What it says, in your language.
    pub text: String,
    /// The reason the other side gave, in your language, if any.
    pub note: Option<String>,
    /// The values the text is made of (titles, names, the reason given).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl NotificationResponse {
    fn new(item: notification::Model, t: &Catalog) -> Self {
        let (text, note) = notifications::describe(&item, t);
        Self {
            link: notifications::link(&item),
            text,
            note,
            id: item.id,
            kind: item.kind,
            topic: item.topic,
            subject: item.subject,
            subject_id: item.subject_id,
            detail: item.detail,
            created_at: item.created_at,
            read_at: item.read_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationResponse>,
    /// How many of all your notifications are unread.
    pub unread: u64,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "types::whole_number")]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Your notifications
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(NotificationQuery),
    description = "Newest first, in your language (`language` of `/me`), with the number unread.",
    responses((status = 200, body = NotificationPage)),
    security(("bearer" = [])))]
pub async fn list_notifications(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Query(query): Query<NotificationQuery>,
) -> AppResult<Json<NotificationPage>> {
    let before = query
        .cursor
        .as_deref()
        .map(cursor::decode)
        .transpose()
        .map_err(|e| invalid_parameter("cursor", e))?;
    let limit = types::page_limit(query.limit).map_err(|e| invalid_parameter("limit", e))?;
    let inbox = notifications::list(&state.db, caller.user.id, before, limit).await?;
    let t = i18n::catalog(caller.user.language);
    Ok(Json(NotificationPage {
        items: inbox
            .items
            .into_iter()
            .map(|item| NotificationResponse::new(item, t))
            .collect(),
        unread: inbox.unread,
        next_cursor: inbox.next_before.map(cursor::encode),
    }))
}

/// Which notifications to mark read: `{"ids": [...]}` or `{"all": true}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadRequest {
    /// Your notifications to mark read (others' ids are ignored), 1 to 500.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Option<Vec<i64>>,
    /// `true` marks every notification read.
    pub all: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadResponse {
    /// How many of your notifications are still unread.
    pub unread: u64,
}

/// Mark notifications read
#[utoipa::path(post, path = "/notifications/read", tag = "notifications",
    request_body = MarkReadRequest,
    responses((status = 200, body = UnreadResponse),
        (status = 422, description = "validation_failed: neither ids nor all, or both")),
    security(("bearer" = [])))]
pub async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(caller): CurrentUser,
    Json(request): Json<MarkReadRequest>,
) -> AppResult<Json<UnreadResponse>> {
    let which = match (request.ids, request.all) {
        (Some(ids), None | Some(false)) if (1..=500).contains(&ids.len()) => Marked::Some(ids),
        (Some(ids), None | Some(false)) if ids.len() > 500 => {
            return Err(AppError::field(
                "ids",
                Invalid::TooMany.with([("max", serde_json::json!(500))]),
            ));
        }
        (None, Some(true)) => Marked::All,
        _ => return Err(AppError::field("ids", Invalid::IdsOrAll)),
    };
    let unread = notifications::mark_read(&state.db, caller.user.id, which).await?;
    Ok(Json(UnreadResponse { unread }))
}
