//! Insights for funders, from aggregates only: the gap map says, per province or territory and
//! category, how much demand is open, how much of it has waited more than 60 days, what offers
//! are there to meet it, and how demand moved over twelve months.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use entity::{PostingKind, PostingStatus, SizeBand, insight_snapshot, organization, posting};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, JoinType, QueryFilter, QuerySelect, RelationTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppResult;

/// A need open longer than this is "still unmet".
pub const UNMET_AFTER_DAYS: i64 = 60;
/// Months of the trend.
const MONTHS: usize = 12;

/// Which organizations' needs count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct GapFilter {
    /// A cause-area code the needing organization works in.
    pub cause_area: Option<String>,
    pub size: Option<SizeBand>,
}

/// New needs in one calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub needs: i64,
}

/// Demand and supply in one province or territory and category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
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

/// Completed partnerships of one quarter, with what their outcome reports declare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SectorQuarter {
    /// `2026-Q3`.
    pub quarter: String,
    pub completed: usize,
    pub hours: f64,
    pub value_cad: f64,
}

/// Completed partnerships of the last twelve months in one province or territory (the needing
/// organization's) and category (the need's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SectorCell {
    pub province: String,
    pub category: String,
    pub completed: usize,
    pub hours: f64,
    pub value_cad: f64,
}

/// The sector in numbers, public and from aggregates only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Sector {
    /// Partnerships completed in the last twelve months, and what their reports declare.
    pub completed_12_months: usize,
    pub hours_12_months: f64,
    pub value_cad_12_months: f64,
    /// Median days from a proposal to its answer (yes or no), over the answers of the last twelve
    /// months; `null` without one.
    pub median_days_to_answer: Option<f64>,
    /// Needs posted in the last twelve months (not drafts, not hidden).
    pub needs_12_months: i64,
    /// The share of them fulfilled, 0 to 1; `null` without a need.
    pub share_of_needs_met: Option<f64>,
    /// Completed partnerships per quarter over two years, oldest first.
    pub quarters: Vec<SectorQuarter>,
    /// The last twelve months per province and category, most partnerships first.
    pub cells: Vec<SectorCell>,
}

#[derive(Debug, FromQueryResult)]
struct SectorRow {
    created_at: DateTime<Utc>,
    responded_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    outcome: Option<entity::Outcome>,
    category: String,
    province: String,
}

/// A sum that is 0 (not -0, as `Iterator::sum` gives for nothing) when there is nothing to add.
fn total(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |sum, v| sum + v)
}

/// The sector's figures: partnerships over two years, answers and needs over twelve months.
pub async fn sector(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<Sector> {
    use entity::partnership::{self, Column as C};
    use posting::Column as P;
    let quarters = super::dashboards::quarters(now);
    let since_quarters = quarters.first().map_or(now, |(year, quarter)| {
        Utc.from_utc_datetime(
            &NaiveDate::from_ymd_opt(*year, (quarter - 1) * 3 + 1, 1)
                .unwrap_or_default()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        )
    });
    let year_ago = now - Duration::days(365);
    let rows: Vec<SectorRow> = partnership::Entity::find()
        .select_only()
        .column(C::CreatedAt)
        .column(C::RespondedAt)
        .column(C::CompletedAt)
        .column(C::Outcome)
        .column_as(Expr::col((posting::Entity, P::Category)), "category")
        .column_as(
            Expr::col((organization::Entity, organization::Column::Province)),
            "province",
        )
        .join(JoinType::InnerJoin, partnership::Relation::Need.def())
        .join(JoinType::InnerJoin, posting::Relation::Organization.def())
        .filter(
            sea_orm::Condition::any()
                .add(C::CompletedAt.gte(since_quarters))
                .add(C::RespondedAt.gte(year_ago)),
        )
        .into_model()
        .all(db)
        .await?;
    let completed_in = |row: &SectorRow| {
        row.completed_at
            .filter(|_| row.outcome.is_some())
            .map(super::dashboards::quarter_of)
    };
    let declared = |row: &SectorRow| {
        row.outcome
            .as_ref()
            .map_or((0.0, 0.0), |o| (o.hours, o.value_cad))
    };
    let quarter_rows = quarters
        .iter()
        .map(|&(year, quarter)| {
            let of: Vec<&SectorRow> = rows
                .iter()
                .filter(|r| completed_in(r) == Some((year, quarter)))
                .collect();
            SectorQuarter {
                quarter: format!("{year}-Q{quarter}"),
                completed: of.len(),
                hours: total(of.iter().map(|r| declared(r).0)),
                value_cad: total(of.iter().map(|r| declared(r).1)),
            }
        })
        .collect();
    let last_year: Vec<&SectorRow> = rows
        .iter()
        .filter(|r| r.outcome.is_some() && r.completed_at.is_some_and(|at| at >= year_ago))
        .collect();
    let mut cells: BTreeMap<(String, String), SectorCell> = BTreeMap::new();
    for row in &last_year {
        let (hours, value) = declared(row);
        let cell = cells
            .entry((row.province.clone(), row.category.clone()))
            .or_insert_with(|| SectorCell {
                province: row.province.clone(),
                category: row.category.clone(),
                completed: 0,
                hours: 0.0,
                value_cad: 0.0,
            });
        cell.completed += 1;
        cell.hours += hours;
        cell.value_cad += value;
    }
    let mut cells: Vec<SectorCell> = cells.into_values().collect();
    cells.sort_by(|a, b| {
        b.completed
            .cmp(&a.completed)
            .then(a.province.cmp(&b.province))
    });
    let mut waits: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            let answered = r.responded_at.filter(|at| *at >= year_ago)?;
            Some((answered - r.created_at).num_minutes() as f64 / (24.0 * 60.0))
        })
        .collect();
    waits.sort_by(f64::total_cmp);
    let median_days_to_answer = match waits.len() {
        0 => None,
        n if n % 2 == 1 => Some(waits[n / 2]),
        n => Some((waits[n / 2 - 1] + waits[n / 2]) / 2.0),
    };
    let fulfilled = Expr::col(P::Status).eq(PostingStatus::Fulfilled.as_str());
    let (needs, met): (i64, Option<i64>) = posting::Entity::find()
        .select_only()
        .expr(Expr::col(P::Id).count())
        .expr(count_when(fulfilled))
        .filter(P::Kind.eq(PostingKind::Need))
        .filter(P::Status.ne(PostingStatus::Draft))
        .filter(P::HiddenAt.is_null())
        .filter(P::CreatedAt.gte(year_ago))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    Ok(Sector {
        completed_12_months: last_year.len(),
        hours_12_months: total(last_year.iter().map(|r| declared(r).0)),
        value_cad_12_months: total(last_year.iter().map(|r| declared(r).1)),
        median_days_to_answer,
        needs_12_months: needs,
        share_of_needs_met: (needs > 0).then(|| met.unwrap_or(0) as f64 / needs as f64),
        quarters: quarter_rows,
        cells,
    })
}

/// The sector's figures, from `cache`.
pub async fn cached_sector(
    cache: &Arc<Snapshots<(), Sector>>,
    db: &DatabaseConnection,
) -> AppResult<Arc<Sector>> {
    let owned = db.clone();
    cache
        .get(db, &(), move || async move {
            sector(&owned, super::now()).await
        })
        .await
}

/// Aggregates already computed, per key: one is served for `ttl`, then computed again in the
/// background while the previous one is still served, so a reader never waits for a grouped query
/// over every posting (seconds with a million) but the first time a key is ever asked for. Each
/// snapshot is also kept in the database (`insight_snapshot`), so that a process just started, or
/// another process sharing the database, serves the last one computed (and refreshes it if stale)
/// instead of computing it again before answering.
pub struct Snapshots<K, V> {
    /// What the snapshots are of: the prefix of their keys in the database.
    name: &'static str,
    ttl: std::time::Duration,
    entries: std::sync::Mutex<HashMap<K, Snapshot<V>>>,
}

struct Snapshot<V> {
    computed_at: DateTime<Utc>,
    value: Arc<V>,
    refreshing: bool,
}

/// Gap maps per filter.
pub type GapCache = Snapshots<GapFilter, Vec<Gap>>;

impl<K, V> Snapshots<K, V>
where
    K: std::hash::Hash + Eq + Clone + Serialize + Send + Sync + 'static,
    V: Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    pub fn new(name: &'static str, ttl: std::time::Duration) -> Arc<Self> {
        Arc::new(Self {
            name,
            ttl,
            entries: std::sync::Mutex::new(HashMap::new()),
        })
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<K, Snapshot<V>>> {
        // A panic while holding the lock leaves the map whole: keep using it.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stale(&self, computed_at: DateTime<Utc>) -> bool {
        (Utc::now() - computed_at).to_std().unwrap_or_default() >= self.ttl
    }

    fn stored_key(&self, key: &K) -> String {
        format!(
            "{}:{}",
            self.name,
            serde_json::to_string(key).unwrap_or_default()
        )
    }

    /// The value for `key`: the snapshot when there is one, in memory or in the database
    /// (refreshed in the background once older than `ttl`), else computed now by `compute`.
    pub async fn get<F, Fut>(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        key: &K,
        compute: F,
    ) -> AppResult<Arc<V>>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = AppResult<V>> + Send + 'static,
    {
        if self.ttl.is_zero() {
            return Ok(Arc::new(compute().await?));
        }
        let remembered = self.entries().get_mut(key).map(|snapshot| {
            let refresh = !snapshot.refreshing && self.stale(snapshot.computed_at);
            snapshot.refreshing |= refresh;
            (snapshot.value.clone(), refresh)
        });
        let found = match remembered {
            Some(found) => Some(found),
            None => self.stored(db, key).await.map(|(value, computed_at)| {
                let refresh = self.stale(computed_at);
                self.entries().insert(
                    key.clone(),
                    Snapshot {
                        computed_at,
                        value: value.clone(),
                        refreshing: refresh,
                    },
                );
                (value, refresh)
            }),
        };
        match found {
            Some((value, refresh)) => {
                if refresh {
                    let (cache, db, key) = (self.clone(), db.clone(), key.clone());
                    tokio::spawn(async move {
                        if let Err(err) = cache.store(&db, key.clone(), compute).await {
                            tracing::warn!(error = %err, "cannot refresh a snapshot of insights");
                            if let Some(s) = cache.entries().get_mut(&key) {
                                s.refreshing = false;
                            }
                        }
                    });
                }
                Ok(value)
            }
            None => self.store(db, key.clone(), compute).await,
        }
    }

    /// The snapshot the database keeps for `key`, and when it was computed. One that no longer
    /// reads (a new version changed its shape) is as good as none.
    async fn stored(&self, db: &DatabaseConnection, key: &K) -> Option<(Arc<V>, DateTime<Utc>)> {
        let row = insight_snapshot::Entity::find_by_id(self.stored_key(key))
            .one(db)
            .await
            .inspect_err(|err| tracing::warn!(error = %err, "cannot read a snapshot of insights"))
            .ok()??;
        let value = serde_json::from_value(row.value).ok()?;
        Some((Arc::new(value), row.computed_at))
    }

    async fn store<F, Fut>(&self, db: &DatabaseConnection, key: K, compute: F) -> AppResult<Arc<V>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = AppResult<V>>,
    {
        let value = Arc::new(compute().await?);
        let computed_at = Utc::now();
        // Keeping it for the others is a convenience: a failure leaves this process's copy.
        let row = insight_snapshot::ActiveModel {
            key: Set(self.stored_key(&key)),
            value: Set(serde_json::to_value(&*value).map_err(anyhow::Error::from)?),
            computed_at: Set(computed_at),
        };
        let upsert = insight_snapshot::Entity::insert(row)
            .on_conflict(
                OnConflict::column(insight_snapshot::Column::Key)
                    .update_columns([
                        insight_snapshot::Column::Value,
                        insight_snapshot::Column::ComputedAt,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await;
        if let Err(err) = upsert {
            tracing::warn!(error = %err, "cannot keep a snapshot of insights");
        }
        self.entries().insert(
            key,
            Snapshot {
                computed_at,
                value: value.clone(),
                refreshing: false,
            },
        );
        Ok(value)
    }
}

/// The gap map for `filter`, from `cache`.
pub async fn cached_gaps(
    cache: &Arc<GapCache>,
    db: &DatabaseConnection,
    filter: &GapFilter,
) -> AppResult<Arc<Vec<Gap>>> {
    let (owned_db, owned) = (db.clone(), filter.clone());
    cache
        .get(db, filter, move || async move {
            gaps(&owned_db, &owned, super::now()).await
        })
        .await
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
