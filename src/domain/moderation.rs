//! Moderation: anyone signed in reports a posting or an organization; administrators read the
//! reports, dismiss them or act (hide a posting with a reason its owner sees, change an
//! organization's verification). Every step goes through the journal, so it is audited and the
//! people concerned are told (`notifications`).

use entity::{
    ModerationReason, OutboxEntity, ReportStatus, ReportTarget, app_user, organization, posting,
    report,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::accounts::Viewer;
use super::journal;
use super::organizations::paginate;
use super::schemas::{ReportReason, VerificationNote};
use super::types::{self, Page};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid};

/// A report of a posting or an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// What is reported.
    pub target: ReportTarget,
    /// The posting's or the organization's id.
    pub id: i64,
    /// What is wrong, for the administrators.
    #[schema(value_type = ReportReason)]
    pub reason: String,
}

/// An administrator's answer to a report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionInput {
    /// `dismissed` (nothing wrong) or `actioned` (something was done).
    pub status: ReportStatus,
    /// What the reporter is told.
    #[serde(default)]
    #[schema(value_type = Option<VerificationNote>)]
    pub note: Option<String>,
}

/// Hiding a posting from everyone but its owner, or showing it again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideInput {
    pub hidden: bool,
    /// One of the common reasons; hiding needs this or `reason`.
    #[serde(default)]
    pub reason_code: Option<ModerationReason>,
    /// Why, in words the owner reads.
    #[serde(default)]
    #[schema(value_type = Option<VerificationNote>)]
    pub reason: Option<String>,
}

/// A report with what it is about, for administrators.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: report::Model,
    /// The posting's title or the organization's name (`None` once it is gone).
    pub title: Option<String>,
    /// The posting's kind, for its link.
    pub posting_kind: Option<entity::PostingKind>,
    /// Whether the posting is hidden now.
    pub hidden: bool,
    pub reporter_email: Option<String>,
}

/// The most reports one person may have waiting at once: enough for anyone who means it, few
/// enough that nobody floods the administrators.
const MAX_OPEN_PER_REPORTER: u64 = 20;

fn forbidden() -> AppError {
    AppError::new(ErrorCode::Forbidden, "Administrators only.")
}

async fn require_admin(db: &impl ConnectionTrait, user_id: i64) -> AppResult<()> {
    let is_admin = app_user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|user| user.is_admin);
    if is_admin { Ok(()) } else { Err(forbidden()) }
}

fn optional_words(field: &str, raw: Option<&str>) -> AppResult<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(words) => types::text(words, 1, 1_000)
            .map(Some)
            .map_err(|e| AppError::field(field, e)),
    }
}

/// Files a report on something the reporter can see. A second report of the same thing while the
/// first waits is refused (409), as is a 21st waiting report.
pub async fn report(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    input: ReportInput,
) -> AppResult<report::Model> {
    let Some(user_id) = viewer.user_id else {
        return Err(AppError::new(
            ErrorCode::Unauthenticated,
            "Sign in to report.",
        ));
    };
    let mut errors = FieldErrors::default();
    let reason = errors.check("reason", types::text(&input.reason, 3, 2_000));
    let txn = super::begin_write(db).await?;
    let exists = match input.target {
        ReportTarget::Posting => posting::Entity::find_by_id(input.id)
            .filter(super::postings::visible_to(viewer))
            .one(&txn)
            .await?
            .is_some(),
        ReportTarget::Organization => organization::Entity::find_by_id(input.id)
            .one(&txn)
            .await?
            .is_some(),
    };
    if !exists {
        errors.add("id", Invalid::NotFound);
    }
    errors.finish()?;
    let reason = FieldErrors::parsed(reason)?;
    let waiting = report::Entity::find()
        .filter(report::Column::ReporterUserId.eq(user_id))
        .filter(report::Column::Status.eq(ReportStatus::Open))
        .all(&txn)
        .await?;
    if waiting
        .iter()
        .any(|r| r.target == input.target && r.target_id == input.id)
    {
        return Err(AppError::new(
            ErrorCode::AlreadyReported,
            format!(
                "You reported {} {} already; an administrator will look at it.",
                input.target, input.id
            ),
        ));
    }
    if waiting.len() as u64 >= MAX_OPEN_PER_REPORTER {
        return Err(AppError::new(
            ErrorCode::TooManyRequests,
            format!(
                "You have {MAX_OPEN_PER_REPORTER} reports waiting; wait for an administrator to answer them."
            ),
        ));
    }
    let created = report::ActiveModel {
        reporter_user_id: Set(Some(user_id)),
        target: Set(input.target),
        target_id: Set(input.id),
        reason: Set(reason),
        status: Set(ReportStatus::Open),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "report.create",
            OutboxEntity::Report,
            created.id,
            json!({ "target": input.target, "target_id": input.id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// Reports for an administrator, newest first: those in `status` (all when `None`), or those
/// about one target.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub status: Option<ReportStatus>,
    pub target: Option<(ReportTarget, i64)>,
    pub after: Option<i64>,
    pub limit: u64,
}

pub async fn reports(
    db: &DatabaseConnection,
    admin: i64,
    filter: &ReportFilter,
) -> AppResult<Page<ReportView>> {
    require_admin(db, admin).await?;
    let mut query = report::Entity::find()
        .order_by_desc(report::Column::Id)
        .limit(filter.limit + 1);
    if let Some(status) = filter.status {
        query = query.filter(report::Column::Status.eq(status));
    }
    if let Some((target, id)) = filter.target {
        query = query
            .filter(report::Column::Target.eq(target))
            .filter(report::Column::TargetId.eq(id));
    }
    if let Some(after) = filter.after {
        query = query.filter(report::Column::Id.lt(after));
    }
    let rows = query.all(db).await?;
    let ids = |target: ReportTarget| -> Vec<i64> {
        rows.iter()
            .filter(|r| r.target == target)
            .map(|r| r.target_id)
            .collect()
    };
    let postings: std::collections::HashMap<i64, posting::Model> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(ids(ReportTarget::Posting)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let orgs: std::collections::HashMap<i64, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids(ReportTarget::Organization)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let reporters: std::collections::HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(rows.iter().filter_map(|r| r.reporter_user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let mut items: Vec<ReportView> = rows
        .into_iter()
        .map(|report| {
            let posting = (report.target == ReportTarget::Posting)
                .then(|| postings.get(&report.target_id))
                .flatten();
            ReportView {
                title: match report.target {
                    ReportTarget::Posting => posting.map(|p| p.title.clone()),
                    ReportTarget::Organization => orgs.get(&report.target_id).cloned(),
                },
                posting_kind: posting.map(|p| p.kind),
                hidden: posting.is_some_and(|p| p.hidden_at.is_some()),
                reporter_email: report
                    .reporter_user_id
                    .and_then(|id| reporters.get(&id).cloned()),
                report,
            }
        })
        .collect();
    Ok(paginate(&mut items, filter.limit, |view| view.report.id))
}

/// Closes the open reports about one target (in the caller's transaction), each with a journal
/// entry that tells its reporter.
async fn close_reports(
    txn: &impl ConnectionTrait,
    admin: i64,
    target: ReportTarget,
    target_id: i64,
    status: ReportStatus,
    note: Option<&str>,
) -> AppResult<()> {
    let open = report::Entity::find()
        .filter(report::Column::Target.eq(target))
        .filter(report::Column::TargetId.eq(target_id))
        .filter(report::Column::Status.eq(ReportStatus::Open))
        .all(txn)
        .await?;
    for report in open {
        resolve_one(txn, admin, report, status, note).await?;
    }
    Ok(())
}

async fn resolve_one(
    txn: &impl ConnectionTrait,
    admin: i64,
    report: report::Model,
    status: ReportStatus,
    note: Option<&str>,
) -> AppResult<report::Model> {
    let id = report.id;
    let mut active: report::ActiveModel = report.into();
    active.status = Set(status);
    active.resolution_note = Set(note.map(str::to_owned));
    active.resolved_by = Set(Some(admin));
    active.resolved_at = Set(Some(super::now()));
    let updated = active.update(txn).await?;
    journal::record(
        txn,
        journal::Event::new(
            Some(admin),
            "report.resolve",
            OutboxEntity::Report,
            id,
            json!({ "status": status, "note": note }),
        ),
    )
    .await?;
    Ok(updated)
}

/// An administrator answers a report: dismissed, or actioned after acting elsewhere. A report
/// answered already is refused (409).
pub async fn resolve(
    db: &(impl ConnectionTrait + TransactionTrait),
    admin: i64,
    id: i64,
    input: ResolutionInput,
) -> AppResult<report::Model> {
    // Who asks comes first: nobody else learns what a report would accept.
    require_admin(db, admin).await?;
    if input.status == ReportStatus::Open {
        return Err(AppError::field(
            "status",
            Invalid::UnknownValue.with([("allowed", json!("dismissed, actioned"))]),
        ));
    }
    let note = optional_words("note", input.note.as_deref())?;
    let txn = super::begin_write(db).await?;
    let report = report::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::ReportNotFound, format!("No report {id}.")))?;
    if report.status != ReportStatus::Open {
        return Err(AppError::new(
            ErrorCode::InvalidTransition,
            format!("Report {id} was answered already ({}).", report.status),
        ));
    }
    let updated = resolve_one(&txn, admin, report, input.status, note.as_deref()).await?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// An administrator hides a posting from everyone but its owner (who sees why), or shows it
/// again. Hiding answers the open reports about it as actioned.
pub async fn set_hidden(
    db: &(impl ConnectionTrait + TransactionTrait),
    admin: i64,
    id: i64,
    input: HideInput,
) -> AppResult<posting::Model> {
    require_admin(db, admin).await?;
    let words = optional_words("reason", input.reason.as_deref())?;
    if input.hidden && words.is_none() && input.reason_code.is_none() {
        return Err(AppError::field("reason", Invalid::Required));
    }
    let txn = super::begin_write(db).await?;
    let current = posting::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::PostingNotFound, format!("No posting {id}.")))?;
    if current.hidden_at.is_some() == input.hidden {
        return Ok(current);
    }
    use posting::Column as C;
    let now = super::now();
    posting::Entity::update_many()
        .col_expr(
            C::HiddenCode,
            Expr::val(
                input
                    .reason_code
                    .filter(|_| input.hidden)
                    .map(|c| c.as_str()),
            ),
        )
        .col_expr(
            C::HiddenReason,
            Expr::val(words.clone().filter(|_| input.hidden)),
        )
        .col_expr(C::HiddenAt, Expr::val(input.hidden.then_some(now)))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Id.eq(id))
        .exec(&txn)
        .await?;
    let verb = if input.hidden { "hide" } else { "restore" };
    journal::record(
        &txn,
        journal::Event::new(
            Some(admin),
            format!("{}.{verb}", current.kind),
            OutboxEntity::Posting,
            id,
            json!({ "kind": current.kind, "moderation_reason": input.reason_code, "note": words }),
        ),
    )
    .await?;
    if input.hidden {
        let note = words
            .clone()
            .or_else(|| input.reason_code.map(|code| code.as_str().to_owned()));
        close_reports(
            &txn,
            admin,
            ReportTarget::Posting,
            id,
            ReportStatus::Actioned,
            note.as_deref(),
        )
        .await?;
    }
    let updated = posting::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("posting {id} vanished"))?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// Called by `organizations::set_verification` in its transaction: a rejection answers the open
/// reports about the organization as actioned.
pub async fn on_verification(
    txn: &impl ConnectionTrait,
    admin: Option<i64>,
    organization_id: i64,
    decision: entity::Verification,
    note: Option<&str>,
) -> AppResult<()> {
    match (admin, decision) {
        (Some(admin), entity::Verification::Rejected) => {
            close_reports(
                txn,
                admin,
                ReportTarget::Organization,
                organization_id,
                ReportStatus::Actioned,
                note,
            )
            .await
        }
        _ => Ok(()),
    }
}
