//! Saved searches: a person keeps a search of the search page; once a day, its new results are
//! reported to them (see `matching::daily`).

use entity::{OutboxEntity, saved_search};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::journal;
use super::schemas::ShortName;
use super::taxonomy::Taxonomy;
use super::types;
use crate::error::{AppError, AppResult, ErrorCode, Invalid};
use crate::search::SearchQuery;

/// A search to keep.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSearchInput {
    /// What to call it, 1 to 100 characters; by default its words.
    #[schema(value_type = Option<ShortName>)]
    pub name: Option<String>,
    /// The search page's query string, as `GET /search` takes it: `q=laptops&province=QC`; at
    /// most 1,000 characters.
    #[schema(max_length = 1000)]
    pub query: String,
}

/// The most searches one person keeps.
const MAX_SAVED: usize = 50;

/// Keeps a search after checking that it reads as one (`limit` and `cursor` are dropped).
pub async fn save(
    db: &DatabaseConnection,
    taxonomy: &Taxonomy,
    user_id: i64,
    input: SavedSearchInput,
) -> AppResult<saved_search::Model> {
    if input.query.chars().count() > 1_000 {
        return Err(AppError::field(
            "query",
            Invalid::TooLong.with([("max", json!(1_000))]),
        ));
    }
    let mut query: SearchQuery = serde_urlencoded::from_str(input.query.trim_start_matches('?'))
        .map_err(|err| {
            AppError::field(
                "query",
                Invalid::WrongType
                    .with([("expected", json!(format!("a search query string ({err})")))]),
            )
        })?;
    query.limit = None;
    query.cursor = None;
    let canonical = serde_urlencoded::to_string(&query)
        .map_err(|err| anyhow::anyhow!("cannot write the search back: {err}"))?;
    if canonical.chars().count() > 1_000 {
        return Err(AppError::field(
            "query",
            Invalid::TooLong.with([("max", json!(1_000))]),
        ));
    }
    let words = query.q.clone().unwrap_or_default();
    query.parse(taxonomy).map_err(|err| {
        let expected = format!("a search the search page accepts ({err})");
        AppError::field(
            "query",
            Invalid::WrongType.with([("expected", json!(expected))]),
        )
    })?;
    let name = match input.name.as_deref() {
        Some(name) => types::line(name, 1, 100).map_err(|e| AppError::field("name", e))?,
        None if !words.trim().is_empty() => words.trim().chars().take(100).collect(),
        None if !canonical.is_empty() => canonical.chars().take(100).collect(),
        None => "all".to_owned(),
    };
    let txn = super::begin_write(db).await?;
    let kept = saved_search::Entity::find()
        .filter(saved_search::Column::UserId.eq(user_id))
        .all(&txn)
        .await?;
    if kept.len() >= MAX_SAVED {
        return Err(AppError::new(
            ErrorCode::SavedSearchesFull,
            format!("You keep {MAX_SAVED} saved searches, the most one may; delete one first."),
        ));
    }
    let saved = saved_search::ActiveModel {
        user_id: Set(user_id),
        name: Set(name),
        query: Set(canonical),
        seen: Set(json!([])),
        created_at: Set(super::now()),
        checked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "user.saved_search",
            OutboxEntity::AppUser,
            user_id,
            json!({ "saved_search_id": saved.id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(saved)
}

/// The user's saved searches, newest first.
pub async fn list(db: &DatabaseConnection, user_id: i64) -> AppResult<Vec<saved_search::Model>> {
    Ok(saved_search::Entity::find()
        .filter(saved_search::Column::UserId.eq(user_id))
        .order_by_desc(saved_search::Column::Id)
        .all(db)
        .await?)
}

/// Forgets one of the user's saved searches; another's is 404.
pub async fn delete(db: &DatabaseConnection, user_id: i64, id: i64) -> AppResult<()> {
    let deleted = saved_search::Entity::delete_many()
        .filter(saved_search::Column::Id.eq(id))
        .filter(saved_search::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::new(
            ErrorCode::SavedSearchNotFound,
            format!("You have no saved search {id}."),
        ));
    }
    Ok(())
}
