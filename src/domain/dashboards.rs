//! Dashboards, for their readers and (printed) for their funders. An organization's, for its
//! members and administrators: partnerships over time, hours and value given and received, what
//! the outcome reports measured before and after and at the follow-ups, and its digital check-up
//! then and now. A program's, for its team and administrators: applications, allocation,
//! delivery, and the cohort's indicators.

use chrono::{DateTime, Datelike, Utc};
use entity::{
    ApplicationStatus, FollowUpDue, Indicator, IndicatorValue, PartnershipStatus, organization,
    partnership,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use super::accounts::Viewer;
use super::checkups::{self, CheckupView};
use super::organizations;
use super::outcomes::{self, CohortOutcomes, cohort_outcomes};
use super::programs::ProgramView;
use crate::error::{AppError, AppResult, ErrorCode};

/// Quarters the timeline covers, the current one last.
pub const QUARTERS: usize = 8;

/// Partnerships of one calendar quarter.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QuarterCount {
    /// `2026-Q3`.
    pub quarter: String,
    /// Partnerships accepted (both sides said yes) in the quarter.
    pub started: usize,
    pub completed: usize,
}

/// One indicator of a completed partnership's outcome report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorLine {
    pub partnership_id: i64,
    /// The organization on the other side.
    pub partner: String,
    pub completed_at: Option<DateTime<Utc>>,
    /// The indicator as the outcome report gave it: name, code, unit, baseline, target, value
    /// at completion.
    #[serde(flatten)]
    pub indicator: Indicator,
    /// The values reported at the follow-ups, once reported.
    pub three_months: Option<IndicatorValue>,
    pub twelve_months: Option<IndicatorValue>,
}

/// An organization's dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgDashboard {
    pub organization_id: i64,
    /// Partnerships where the organization's need was met.
    pub received: CohortOutcomes,
    /// Partnerships where the organization's offer gave.
    pub given: CohortOutcomes,
    /// The last eight quarters, oldest first.
    pub quarters: Vec<QuarterCount>,
    /// The indicators of its completed partnerships, most recent first.
    pub indicators: Vec<IndicatorLine>,
    /// Its first check-up and its latest (absent when it took none; the same when one).
    pub first_checkup: Option<CheckupView>,
    pub latest_checkup: Option<CheckupView>,
}

/// `2026-Q3` for a day in July 2026.
pub(crate) fn quarter_of(at: DateTime<Utc>) -> (i32, u32) {
    (at.year(), at.month0() / 3 + 1)
}

/// The `QUARTERS` quarters up to the one of `now`, oldest first.
pub(crate) fn quarters(now: DateTime<Utc>) -> Vec<(i32, u32)> {
    let (year, quarter) = quarter_of(now);
    let current = year * 4 + quarter as i32 - 1;
    (0..QUARTERS as i32)
        .rev()
        .map(|back| {
            let q = current - back;
            (q.div_euclid(4), q.rem_euclid(4) as u32 + 1)
        })
        .collect()
}

/// The dashboard of an organization, for its members and administrators.
pub async fn organization(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    organization_id: i64,
    now: DateTime<Utc>,
) -> AppResult<OrgDashboard> {
    organizations::require_reader(db, viewer, organization_id, "dashboard").await?;
    use partnership::Column as C;
    let all = partnership::Entity::find()
        .filter(
            Condition::any()
                .add(C::NeedOrgId.eq(organization_id))
                .add(C::OfferOrgId.eq(organization_id)),
        )
        .order_by_desc(C::Id)
        .all(db)
        .await?;
    let (received, given): (Vec<_>, Vec<_>) = all
        .iter()
        .cloned()
        .partition(|p| p.need_org_id == organization_id);
    let partner_ids: Vec<i64> = all
        .iter()
        .map(|p| {
            if p.need_org_id == organization_id {
                p.offer_org_id
            } else {
                p.need_org_id
            }
        })
        .collect();
    let partners: std::collections::HashMap<i64, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(partner_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let timeline = quarters(now)
        .into_iter()
        .map(|(year, quarter)| {
            let within =
                |at: Option<DateTime<Utc>>| at.is_some_and(|at| quarter_of(at) == (year, quarter));
            QuarterCount {
                quarter: format!("{year}-Q{quarter}"),
                started: all
                    .iter()
                    .filter(|p| within(p.responded_at) && p.status != PartnershipStatus::Declined)
                    .count(),
                completed: all.iter().filter(|p| within(p.completed_at)).count(),
            }
        })
        .collect();
    let follow_ups =
        outcomes::reported_follow_ups(db, &all.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    let later = |partnership_id: i64, due: FollowUpDue, key: &str| {
        follow_ups
            .iter()
            .find(|f| f.partnership_id == partnership_id && f.due == due)
            .and_then(|f| f.values.get(key).cloned())
    };
    let indicators = all
        .iter()
        .filter(|p| p.status == PartnershipStatus::Completed)
        .flat_map(|p| {
            let partner_id = if p.need_org_id == organization_id {
                p.offer_org_id
            } else {
                p.need_org_id
            };
            let partner = partners.get(&partner_id).cloned().unwrap_or_default();
            p.outcome
                .iter()
                .flat_map(|o| o.indicators.iter())
                .map(move |i| IndicatorLine {
                    partnership_id: p.id,
                    partner: partner.clone(),
                    completed_at: p.completed_at,
                    indicator: i.clone(),
                    three_months: later(p.id, FollowUpDue::ThreeMonths, i.key()),
                    twelve_months: later(p.id, FollowUpDue::TwelveMonths, i.key()),
                })
        })
        .collect();
    let history = checkups::history(db, viewer, organization_id).await?;
    Ok(OrgDashboard {
        organization_id,
        received: cohort_outcomes(&received, &follow_ups),
        given: cohort_outcomes(&given, &follow_ups),
        quarters: timeline,
        indicators,
        first_checkup: history.last().cloned(),
        latest_checkup: history.first().cloned(),
    })
}

/// A program's applications by where they stand (drafts left out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct ApplicationCounts {
    /// Submitted and waiting for the allocation.
    pub submitted: usize,
    pub selected: usize,
    pub waitlisted: usize,
    pub not_selected: usize,
    pub withdrawn: usize,
}

/// One component: what it can give, what the allocation gave, and what was delivered.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ComponentDelivery {
    pub component_id: i64,
    pub title: String,
    /// The partner that gives it.
    pub partner: String,
    pub unit: entity::PostingUnit,
    pub capacity: i32,
    /// Units in partnerships accepted, active or completed.
    pub given: i32,
    /// Units proposed and waiting for an answer.
    pub offered: i32,
    /// Units of completed partnerships.
    pub delivered: i32,
}

/// A program's dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramDashboard {
    pub program_id: i64,
    pub applications: ApplicationCounts,
    /// Organizations selected.
    pub cohort: usize,
    pub components: Vec<ComponentDelivery>,
    /// The cohort's partnerships by status, with the hours and value delivered and their
    /// indicators (baseline, target, completion, follow-ups).
    pub outcomes: CohortOutcomes,
    /// Codes of the indicators the program requires of its cohort.
    pub required_indicators: Vec<String>,
}

/// The dashboard of a program (as `programs::get` read it for the viewer), for its team and
/// administrators.
pub fn program(viewer: &Viewer, view: &ProgramView) -> AppResult<ProgramDashboard> {
    let program_id = view.program.id;
    if !(view.is_team || viewer.is_admin) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            format!("Only the lead and the partners of program {program_id} see its dashboard."),
        ));
    }
    let mut applications = ApplicationCounts::default();
    for status in &view.application_statuses {
        let count = match status {
            ApplicationStatus::Draft => continue,
            ApplicationStatus::Submitted => &mut applications.submitted,
            ApplicationStatus::Selected => &mut applications.selected,
            ApplicationStatus::Waitlisted => &mut applications.waitlisted,
            ApplicationStatus::NotSelected => &mut applications.not_selected,
            ApplicationStatus::Withdrawn => &mut applications.withdrawn,
        };
        *count += 1;
    }
    Ok(ProgramDashboard {
        program_id,
        applications,
        cohort: view.members.len(),
        components: view
            .components
            .iter()
            .map(|c| ComponentDelivery {
                component_id: c.component.id,
                title: c.component.title.clone(),
                partner: c.partner_name.clone(),
                unit: c.component.unit,
                capacity: c.component.capacity,
                given: c.given,
                offered: c.offered,
                delivered: c.delivered,
            })
            .collect(),
        outcomes: cohort_outcomes(&view.partnerships, &view.follow_ups),
        required_indicators: view.program.indicators.0.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn quarters_step_back_over_the_new_year() {
        let now = Utc.with_ymd_and_hms(2026, 2, 14, 12, 0, 0).unwrap();
        let q = quarters(now);
        assert_eq!(q.len(), QUARTERS);
        assert_eq!(q[QUARTERS - 1], (2026, 1));
        assert_eq!(q[QUARTERS - 2], (2025, 4));
        assert_eq!(q[0], (2024, 2));
        assert_eq!(
            quarter_of(Utc.with_ymd_and_hms(2026, 9, 30, 23, 0, 0).unwrap()),
            (2026, 3)
        );
    }
}
