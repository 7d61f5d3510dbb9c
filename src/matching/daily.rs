//! The daily round, before the day's digests: what is new for each saved search, and good new
//! partners for each open need and offer (above a quality threshold, never the same candidate twice
//! for a posting). Each finding becomes a notification for the people concerned; by default these
//! topics arrive in the daily digest.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{
    NotificationKind, PostingStatus, match_suggestion, membership, posting, saved_search,
};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Value, json};

use super::{MatchOptions, find};
use crate::domain::accounts::Viewer;
use crate::domain::notifications::{self, Notice, claim_round, digest_due};
use crate::domain::taxonomy::Taxonomy;
use crate::error::AppResult;
use crate::search::{SearchHandle, SearchQuery};

/// Score a candidate must reach to be suggested.
pub const SUGGESTION_THRESHOLD: f64 = 0.5;
/// Candidates suggested per posting and day, at most.
const PER_POSTING: usize = 3;
/// Results of a saved search compared each day.
const SAVED_RESULTS: usize = 50;
/// Open postings looked at per round.
const POSTINGS_PER_ROUND: u64 = 2_000;
const ROUND: &str = "daily.findings";

/// What a round found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub saved_searches: usize,
    pub suggestions: usize,
}

/// Runs the day's round once across processes (claimed like the digests, at the same hour).
pub async fn run(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &std::sync::Arc<Taxonomy>,
    max_pending: u32,
    now: DateTime<Utc>,
    hour: u32,
) -> AppResult<Findings> {
    let txn = crate::domain::begin_write(db).await?;
    let claimed = claim_round(&txn, ROUND, digest_due(now, hour), now).await?;
    crate::domain::journal::commit(txn).await?;
    if !claimed {
        return Ok(Findings::default());
    }
    Ok(Findings {
        saved_searches: saved_search_results(db, search, taxonomy).await?,
        suggestions: suggestions(db, search, taxonomy, max_pending).await?,
    })
}

/// Tells each person of the results their saved searches found since the last round. The first
/// round of a search only notes what it finds: those results were there when it was saved.
pub async fn saved_search_results(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &Taxonomy,
) -> AppResult<usize> {
    let mut told = 0;
    for saved in saved_search::Entity::find().all(db).await? {
        let Ok(query) = serde_urlencoded::from_str::<SearchQuery>(&saved.query) else {
            continue;
        };
        let Ok(mut request) = query.parse(taxonomy) else {
            continue;
        };
        // "Offers I am eligible for" is for the organization of the person who saved it.
        if crate::domain::organizations::fill_eligible(db, Some(saved.user_id), &mut request)
            .await
            .is_err()
        {
            continue;
        }
        request.limit = SAVED_RESULTS;
        request.lean = true;
        let results = search.search(request).await?;
        let found: Vec<String> = results
            .hits
            .iter()
            .map(|hit| format!("{}:{}", hit.kind, hit.id))
            .collect();
        let seen: HashSet<String> = saved
            .seen
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let new: Vec<&String> = found.iter().filter(|key| !seen.contains(*key)).collect();
        let mut kept: Vec<String> = seen.into_iter().collect();
        kept.extend(new.iter().map(|key| (*key).clone()));
        kept.sort();
        kept.truncate(1_000);
        let txn = crate::domain::begin_write(db).await?;
        if saved.checked_at.is_some() && !new.is_empty() {
            let notice = Notice {
                kind: NotificationKind::SavedSearchResults,
                subject: "saved_search",
                subject_id: saved.id,
                detail: json!({ "name": saved.name, "query": saved.query, "count": new.len() }),
            };
            notifications::tell(&txn, &notice, &[saved.user_id]).await?;
            told += 1;
        }
        saved_search::Entity::update_many()
            .col_expr(saved_search::Column::Seen, Expr::val(json!(kept)))
            .col_expr(
                saved_search::Column::CheckedAt,
                Expr::val(crate::domain::now()),
            )
            .filter(saved_search::Column::Id.eq(saved.id))
            .exec(&txn)
            .await?;
        crate::domain::journal::commit(txn).await?;
    }
    Ok(told)
}

/// Suggests to each open posting's organization its best new partners.
pub async fn suggestions(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &std::sync::Arc<Taxonomy>,
    max_pending: u32,
) -> AppResult<usize> {
    let now = crate::domain::now();
    let open = posting::Entity::find()
        .filter(posting::Column::Status.eq(PostingStatus::Open))
        .filter(
            Condition::any()
                .add(posting::Column::ExpiresAt.is_null())
                .add(posting::Column::ExpiresAt.gt(now)),
        )
        .order_by_asc(posting::Column::Id)
        .limit(POSTINGS_PER_ROUND)
        .all(db)
        .await?;
    let mut told = 0;
    for subject in open {
        let viewer = Viewer {
            user_id: None,
            org_ids: vec![subject.organization_id],
            is_admin: false,
        };
        let options = MatchOptions {
            limit: 20,
            language: subject.language,
            explain_excluded: false,
            max_pending,
        };
        let Ok(matches) = find(
            db,
            search,
            taxonomy,
            &viewer,
            subject.kind,
            subject.id,
            options,
        )
        .await
        else {
            continue;
        };
        let already: HashSet<i64> = match_suggestion::Entity::find()
            .filter(match_suggestion::Column::PostingId.eq(subject.id))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.candidate_id)
            .collect();
        let fresh: Vec<_> = matches
            .matches
            .iter()
            .filter(|m| m.score >= SUGGESTION_THRESHOLD && !already.contains(&m.posting.id))
            .take(PER_POSTING)
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let txn = crate::domain::begin_write(db).await?;
        for candidate in &fresh {
            match_suggestion::Entity::insert(match_suggestion::ActiveModel {
                posting_id: Set(subject.id),
                candidate_id: Set(candidate.posting.id),
                created_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        let members: Vec<i64> = membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(subject.organization_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        let notice = Notice {
            kind: NotificationKind::MatchSuggestions,
            subject: "posting",
            subject_id: subject.id,
            detail: json!({
                "posting_title": subject.title,
                "kind": subject.kind.as_str(),
                "candidates": fresh.iter().map(|m| json!({
                    "id": m.posting.id, "title": m.posting.title, "score": m.score,
                    "organization": m.posting.organization_name,
                })).collect::<Vec<_>>(),
            }),
        };
        notifications::tell(&txn, &notice, &members).await?;
        crate::domain::journal::commit(txn).await?;
        told += 1;
    }
    Ok(told)
}
