//! Insights for funders, from aggregates only: the gap map says, per province or territory and
//! category, how much demand is open, how much of it has waited more than 60 days, what offers
//! are there to meet it, and how demand moved over twelve months.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use entity::{PostingKind, PostingStatus, SizeBand, organization, posting};
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QuerySelect, RelationTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppResult;

/// A need open longer than this is "still unmet".
pub const UNMET_AFTER_DAYS: i64 = 60;
/// Months of the trend.
const MONTHS: usize = 12;

/// Which organizations' needs count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct GapFilter {
    /// A cause-area code the needing organization works in.
    pub cause_area: Option<String>,
    pub size: Option<SizeBand>,
}

/// New needs in one calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub needs: i64,
}

/// Demand and supply in one province or territory and category.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Gap {
    /// Two-letter code: the need's province, or its organization's when the need is remote.
    pub province: String,
    /// Taxonomy category code.
    pub category: String,
    pub open_needs: i64,
    /// Open needs posted more than 60 days ago.
    pub unmet_60_days: i64,
    /// Open offers that can serve it: those in the province and those given remotely.
    pub offers: i64,
    /// Open needs per open offer; `null` when there is no offer.
    pub demand_per_offer: Option<f64>,
    /// New needs (not drafts) in each of the last twelve months, oldest first.
    pub trend: Vec<MonthCount>,
}

/// One (province, category) of the needs' aggregate: open, unmet after 60 days, and new needs
/// in each of the twelve months (`m0` the oldest).
#[derive(Debug, FromQueryResult)]
struct NeedRow {
    province: String,
    category: String,
    open_needs: i64,
    unmet: i64,
    m0: i64,
    m1: i64,
    m2: i64,
    m3: i64,
    m4: i64,
    m5: i64,
    m6: i64,
    m7: i64,
    m8: i64,
    m9: i64,
    m10: i64,
    m11: i64,
}

/// The first day of the month `back` months before the one of `day`.
fn month_start(day: NaiveDate, back: u32) -> NaiveDate {
    let months = day.year() * 12 + day.month0() as i32 - back as i32;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(day)
}

fn count_when(condition: SimpleExpr) -> SimpleExpr {
    Func::sum(Expr::case(condition, 1).finally(0)).into()
}

/// The gap map: every (province, category) with open demand or new needs in the last twelve
/// months, ranked by where an investment meets the most unmet need (needs unmet after 60 days,
/// then open needs without an offer, then open needs).
pub async fn gaps(
    db: &impl ConnectionTrait,
    filter: &GapFilter,
    now: DateTime<Utc>,
) -> AppResult<Vec<Gap>> {
    use posting::Column as P;
    // The first day of each of the twelve months, oldest first; the last month ends now.
    let months: Vec<NaiveDate> = (0..MONTHS as u32)
        .rev()
        .map(|back| month_start(now.date_naive(), back))
        .collect();
    let at = |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default());
    let cutoff = now - Duration::days(UNMET_AFTER_DAYS);
    let open = Expr::col((posting::Entity, P::Status)).eq(PostingStatus::Open.as_str());
    let province: SimpleExpr = Func::coalesce([
        Expr::col((posting::Entity, P::Province)),
        Expr::col((organization::Entity, organization::Column::Province)),
    ])
    .into();
    let mut query = posting::Entity::find()
        .select_only()
        .join(JoinType::InnerJoin, posting::Relation::Organization.def())
        .expr_as(province.clone(), "province")
        .column_as(P::Category, "category")
        .expr_as(count_when(open.clone()), "open_needs")
        .expr_as(
            count_when(
                open.clone()
                    .and(Expr::col((posting::Entity, P::CreatedAt)).lte(cutoff)),
            ),
            "unmet",
        );
    for k in 0..MONTHS {
        let created = Expr::col((posting::Entity, P::CreatedAt));
        query =
            query.expr_as(
                count_when(created.clone().gte(at(months[k])).and(created.lt(
                    if k + 1 == MONTHS {
                        now
                    } else {
                        at(months[k + 1])
                    },
                ))),
                format!("m{k}"),
            );
    }
    query = query
        .filter(P::Kind.eq(PostingKind::Need))
        .filter(P::HiddenAt.is_null())
        .filter(P::Status.ne(PostingStatus::Draft))
        .filter(
            Expr::col((posting::Entity, P::Status))
                .eq(PostingStatus::Open.as_str())
                .or(Expr::col((posting::Entity, P::CreatedAt)).gte(at(months[0]))),
        );
    if let Some(size) = filter.size {
        query = query.filter(organization::Column::Size.eq(size));
    }
    if let Some(cause) = &filter.cause_area {
        // Cause areas are a JSON list of codes; a code is quoted in it.
        query = query.filter(
            Expr::expr(Func::cast_as(
                Expr::col((organization::Entity, organization::Column::CauseAreas)),
                sea_orm::sea_query::Alias::new("TEXT"),
            ))
            .like(format!(
                "%\"{}\"%",
                cause.replace(['%', '_', '"', '\\'], "")
            )),
        );
    }
    let rows: Vec<NeedRow> = query
        .group_by(province)
        .group_by(P::Category)
        .into_model()
        .all(db)
        .await?;

    // Offers by category: in each province, and remote ones (anywhere).
    let offers: Vec<(Option<String>, bool, String, i64)> = posting::Entity::find()
        .select_only()
        .column(P::Province)
        .column(P::Remote)
        .column(P::Category)
        .expr(Expr::col(P::Id).count())
        .filter(P::Kind.eq(PostingKind::Offer))
        .filter(P::Status.eq(PostingStatus::Open))
        .filter(P::HiddenAt.is_null())
        .group_by(P::Province)
        .group_by(P::Remote)
        .group_by(P::Category)
        .into_tuple()
        .all(db)
        .await?;
    let mut local: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut remote: BTreeMap<String, i64> = BTreeMap::new();
    for (province, is_remote, category, count) in offers {
        match (is_remote, province) {
            (true, _) => *remote.entry(category).or_default() += count,
            (false, Some(province)) => *local.entry((province, category)).or_default() += count,
            (false, None) => {}
        }
    }

    let mut gaps: Vec<Gap> = rows
        .iter()
        .map(|row| {
            let offers = local
                .get(&(row.province.clone(), row.category.clone()))
                .copied()
                .unwrap_or(0)
                + remote.get(&row.category).copied().unwrap_or(0);
            let by_month = [
                row.m0, row.m1, row.m2, row.m3, row.m4, row.m5, row.m6, row.m7, row.m8, row.m9,
                row.m10, row.m11,
            ];
            Gap {
                demand_per_offer: (offers > 0).then(|| row.open_needs as f64 / offers as f64),
                unmet_60_days: row.unmet,
                trend: months
                    .iter()
                    .zip(by_month)
                    .map(|(month, needs)| MonthCount {
                        month: month.format("%Y-%m").to_string(),
                        needs,
                    })
                    .collect(),
                province: row.province.clone(),
                category: row.category.clone(),
                open_needs: row.open_needs,
                offers,
            }
        })
        .collect();
    gaps.sort_by(|a, b| {
        let without_offer = |g: &Gap| Ord::max(g.open_needs - g.offers, 0);
        b.unmet_60_days
            .cmp(&a.unmet_60_days)
            .then(without_offer(b).cmp(&without_offer(a)))
            .then(b.open_needs.cmp(&a.open_needs))
            .then(a.province.cmp(&b.province))
            .then(a.category.cmp(&b.category))
    });
    Ok(gaps)
}

/// Gap maps already computed, per filter: one is served for `ttl`, then computed again in the
/// background while the previous one is still served, so a funder never waits for the grouped
/// query over every need (seconds with a million postings) but the first time a filter is asked
/// for. Each process keeps its own; they agree to within `ttl`.
pub struct GapCache {
    ttl: std::time::Duration,
    entries: std::sync::Mutex<HashMap<GapFilter, Snapshot>>,
}

struct Snapshot {
    at: std::time::Instant,
    gaps: Arc<Vec<Gap>>,
    refreshing: bool,
}

impl GapCache {
    pub fn new(ttl: std::time::Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            entries: std::sync::Mutex::new(HashMap::new()),
        })
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<GapFilter, Snapshot>> {
        // A panic while holding the lock leaves the map whole: keep using it.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The gap map for `filter`: the snapshot when there is one (refreshed in the background
    /// once older than `ttl`), else computed now.
    pub async fn get(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        filter: &GapFilter,
    ) -> AppResult<Arc<Vec<Gap>>> {
        if !self.ttl.is_zero() {
            let mut entries = self.entries();
            if let Some(snapshot) = entries.get_mut(filter) {
                if snapshot.at.elapsed() >= self.ttl && !snapshot.refreshing {
                    snapshot.refreshing = true;
                    let (cache, db, filter) = (self.clone(), db.clone(), filter.clone());
                    tokio::spawn(async move {
                        if let Err(err) = cache.compute(&db, &filter).await {
                            tracing::warn!(error = %err, "cannot refresh a gap map");
                            if let Some(s) = cache.entries().get_mut(&filter) {
                                s.refreshing = false;
                            }
                        }
                    });
                }
                return Ok(snapshot.gaps.clone());
            }
        }
        self.compute(db, filter).await
    }

    async fn compute(
        &self,
        db: &DatabaseConnection,
        filter: &GapFilter,
    ) -> AppResult<Arc<Vec<Gap>>> {
        let computed = Arc::new(gaps(db, filter, super::now()).await?);
        if !self.ttl.is_zero() {
            self.entries().insert(
                filter.clone(),
                Snapshot {
                    at: std::time::Instant::now(),
                    gaps: computed.clone(),
                    refreshing: false,
                },
            );
        }
        Ok(computed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_back_over_the_new_year() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert_eq!(
            month_start(day, 0),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        assert_eq!(
            month_start(day, 2),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
        assert_eq!(
            month_start(day, 13),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
        );
    }
}
