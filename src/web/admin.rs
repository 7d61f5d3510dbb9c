//! Moderation (mirrors `http/moderation` and the verification of `http/organizations`): reports
//! waiting for an answer, organizations waiting for verification, a search over every
//! organization whatever its state; verifying, rejecting (confirmed, with a reason) and undoing
//! either; hiding a posting (confirmed, with a reason its owner sees) or showing it again.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use entity::{ModerationReason, ReportStatus, ReportTarget, Verification, organization};
use serde::Deserialize;

use super::confirm::{self, ConfirmPage};
use super::forms::{self, Choice, Errors, Form, FormView};
use super::pages::Labels;
use super::{Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other};
use crate::domain::moderation::{self, HideInput, ReportFilter, ResolutionInput};
use crate::domain::organizations::{self, OrganizationFilter, VerificationRequest};
use crate::error::{AppError, ErrorCode, Invalid};
use crate::state::{AppState, PathId, Query};

/// An organization as the moderation page lists it.
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub place: String,
    pub charity_number: Option<String>,
    pub website: Option<String>,
    pub created: String,
    pub verification: Verification,
    pub state: String,
}

/// A report as the moderation page lists it.
pub struct ReportRow {
    pub id: i64,
    /// What it is about: "Need", "Offer" or "Organization".
    pub target: String,
    pub title: String,
    /// The reported page; `None` once it is gone.
    pub href: Option<String>,
    pub reason: String,
    pub reporter: String,
    pub when: String,
    pub status: String,
    pub resolution: Option<String>,
    /// For a posting: its id and whether it is hidden now.
    pub posting: Option<(i64, bool)>,
    /// For an organization: its id.
    pub organization: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct ModerationPage {
    t: &'static Catalog,
    nav: Nav,
    reports: Vec<ReportRow>,
    handled: Vec<ReportRow>,
    pending: Vec<OrgRow>,
    /// The search over all organizations: its words and state, and what it found (`None` before
    /// a search).
    name: String,
    state_filter: String,
    states: Vec<Choice>,
    found: Option<Vec<OrgRow>>,
}

fn require_admin(ctx: &Ctx) -> Result<i64, WebError> {
    let caller = ctx.require_user()?;
    if ctx.is_admin() {
        Ok(caller.user.id)
    } else {
        Err(WebError::App(
            AppError::new(ErrorCode::Forbidden, "Administrators only."),
            ctx.lang(),
        ))
    }
}

fn org_row(ctx: &Ctx, labels: &Labels, org: organization::Model) -> OrgRow {
    OrgRow {
        id: org.id,
        kind: ctx.t.label("org-kind", org.kind),
        place: match &org.city {
            Some(city) => format!("{city}, {}", labels.province(&org.province)),
            None => labels.province(&org.province),
        },
        charity_number: org.charity_number,
        website: org.website,
        created: crate::i18n::date(org.created_at.date_naive(), ctx.t.language),
        state: ctx.t.label("verification", org.verification),
        verification: org.verification,
        name: org.name,
    }
}

fn report_row(ctx: &Ctx, view: moderation::ReportView) -> ReportRow {
    let t = ctx.t;
    let r = view.report;
    let (target, href, posting, organization) = match (r.target, view.posting_kind) {
        (ReportTarget::Posting, Some(kind)) => (
            t.label("kind", kind),
            Some(format!("/{kind}s/{}", r.target_id)),
            Some((r.target_id, view.hidden)),
            None,
        ),
        (ReportTarget::Posting, None) => (t.get("report-target-posting"), None, None, None),
        (ReportTarget::Organization, _) => (
            t.get("kind-organization"),
            view.title
                .as_ref()
                .map(|_| format!("/organizations/{}", r.target_id)),
            None,
            Some(r.target_id),
        ),
    };
    ReportRow {
        id: r.id,
        target,
        title: view.title.unwrap_or_else(|| t.get("report-gone")),
        href,
        reason: r.reason,
        reporter: view
            .reporter_email
            .unwrap_or_else(|| t.get("message-former-member")),
        when: crate::i18n::date_time(r.created_at, t.language),
        status: t.label("report-status", r.status),
        resolution: r.resolution_note,
        posting,
        organization,
    }
}

#[derive(Deserialize)]
pub struct ModerationQuery {
    name: Option<String>,
    verification: Option<String>,
}

/// The moderation page.
pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ModerationQuery>,
) -> WebResult {
    let admin = require_admin(&ctx)?;
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let reports = |status| ReportFilter {
        status: Some(status),
        limit: 100,
        ..Default::default()
    };
    let open = moderation::reports(&state.db, admin, &reports(ReportStatus::Open))
        .await
        .or_page(&ctx)?;
    let mut handled = Vec::new();
    for status in [ReportStatus::Actioned, ReportStatus::Dismissed] {
        let filter = ReportFilter {
            limit: 10,
            ..reports(status)
        };
        handled.extend(
            moderation::reports(&state.db, admin, &filter)
                .await
                .or_page(&ctx)?
                .items,
        );
    }
    handled.sort_by_key(|view| std::cmp::Reverse(view.report.resolved_at));
    let pending = organizations::list(
        &state.db,
        &OrganizationFilter {
            verification: Some(Verification::Pending),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .or_page(&ctx)?;
    let name = query.name.unwrap_or_default();
    let state_filter = query.verification.unwrap_or_default();
    let searched = !name.trim().is_empty() || !state_filter.is_empty();
    let found = if searched {
        let filter = OrganizationFilter {
            verification: Verification::parse(&state_filter),
            name: Some(name.clone()),
            limit: 100,
            ..Default::default()
        };
        let page = organizations::list(&state.db, &filter)
            .await
            .or_page(&ctx)?;
        Some(
            page.items
                .into_iter()
                .map(|org| org_row(&ctx, &labels, org))
                .collect(),
        )
    } else {
        None
    };
    render(&ModerationPage {
        t: ctx.t,
        nav: ctx.nav(),
        reports: open
            .items
            .into_iter()
            .map(|view| report_row(&ctx, view))
            .collect(),
        handled: handled
            .into_iter()
            .map(|view| report_row(&ctx, view))
            .collect(),
        pending: pending
            .items
            .into_iter()
            .map(|org| org_row(&ctx, &labels, org))
            .collect(),
        name,
        state_filter,
        states: forms::labelled(ctx.t, "verification", Verification::ALL),
        found,
    })
}

/// The common reasons for rejecting an organization.
const REJECTION_REASONS: &[ModerationReason] = &[
    ModerationReason::CouldNotVerify,
    ModerationReason::NotEligible,
    ModerationReason::Duplicate,
    ModerationReason::Spam,
    ModerationReason::Other,
];

/// The common reasons for hiding a posting.
const HIDING_REASONS: &[ModerationReason] = &[
    ModerationReason::Misleading,
    ModerationReason::Spam,
    ModerationReason::Inappropriate,
    ModerationReason::NotEligible,
    ModerationReason::Other,
];

fn reject_page(ctx: &Ctx, org: &organization::Model, f: FormView) -> ConfirmPage {
    let t = ctx.t;
    ConfirmPage {
        t,
        nav: ctx.nav(),
        heading: t.get("confirm-reject-title"),
        lead: t.with("confirm-reject-lead", "organization", &org.name),
        confirm: t.get("admin-reject"),
        action: format!("/admin/organizations/{}", org.id),
        hidden: vec![("decision", "rejected".to_owned())],
        reasons: forms::labelled(t, "moderation-reason", REJECTION_REASONS),
        reason_hint: t.get("confirm-moderation-hint"),
        reason_required: false,
        back: "/admin".to_owned(),
        back_label: t.get("admin-back"),
        f,
    }
}

fn hide_page(ctx: &Ctx, posting: &entity::posting::Model, f: FormView) -> ConfirmPage {
    let t = ctx.t;
    ConfirmPage {
        t,
        nav: ctx.nav(),
        heading: t.get("confirm-hide-title"),
        lead: t.with("confirm-hide-lead", "title", &posting.title),
        confirm: t.get("admin-hide"),
        action: format!("/admin/postings/{}", posting.id),
        hidden: vec![("hidden", "true".to_owned())],
        reasons: forms::labelled(t, "moderation-reason", HIDING_REASONS),
        reason_hint: t.get("confirm-moderation-hint"),
        reason_required: false,
        back: "/admin".to_owned(),
        back_label: t.get("admin-back"),
        f,
    }
}

/// Asks to confirm a rejection, with a reason the organization's members read.
pub async fn confirm_reject(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    require_admin(&ctx)?;
    let org = organizations::get(&state.db, id).await.or_page(&ctx)?;
    render(&reject_page(&ctx, &org, FormView::default()))
}

/// Verifies an organization, rejects it (from the confirmation page) or puts it back in the
/// queue (undoing either decision).
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let admin = require_admin(&ctx)?;
    let decision = match form.get("decision").as_str() {
        "verified" => Verification::Verified,
        "rejected" => Verification::Rejected,
        "pending" => Verification::Pending,
        _ => {
            return Err(WebError::App(
                AppError::field(
                    "decision",
                    Invalid::UnknownValue
                        .with([("allowed", serde_json::json!("verified, rejected, pending"))]),
                ),
                ctx.lang(),
            ));
        }
    };
    let rejecting = decision == Verification::Rejected;
    if rejecting && !confirm::confirmed(&form) {
        return Ok(Redirect::to(&format!("/admin/organizations/{id}/reject")).into_response());
    }
    let refused = async |errors: Errors| -> WebResult {
        let org = organizations::get(&state.db, id).await.or_page(&ctx)?;
        render_invalid(&reject_page(
            &ctx,
            &org,
            FormView::new(form.typed(), errors),
        ))
    };
    let reason_code = match confirm::reason_code(&form, ModerationReason::parse, ctx.t) {
        Ok(code) => code.filter(|_| rejecting),
        Err(errors) => return refused(errors).await,
    };
    let request = VerificationRequest {
        decision,
        note: form.optional("reason").filter(|_| rejecting),
        reason_code,
    };
    match organizations::set_verification(&state.db, Some(admin), id, request).await {
        Ok(_) => {}
        Err(err) if rejecting && err.code() == ErrorCode::ValidationFailed => {
            return refused(Errors::from_app(&err, ctx.t)).await;
        }
        Err(err) => return Err(err).or_page(&ctx),
    }
    let flash = match decision {
        Verification::Verified => "flash-verified",
        Verification::Rejected => "flash-rejected",
        Verification::Pending => "flash-reopened",
    };
    Ok(see_other("/admin", flash))
}

/// Asks to confirm hiding a posting, with a reason its owner reads.
pub async fn confirm_hide(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    require_admin(&ctx)?;
    let posting = admin_posting(&state, &ctx, id).await?;
    render(&hide_page(&ctx, &posting, FormView::default()))
}

async fn admin_posting(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<entity::posting::Model, WebError> {
    use sea_orm::EntityTrait;
    entity::posting::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .map_err(AppError::from)
        .or_page(ctx)?
        .ok_or_else(|| WebError::not_found(ctx.lang()))
}

/// Hides a posting (from the confirmation page) or shows it again.
pub async fn moderate_posting(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let admin = require_admin(&ctx)?;
    let hidden = form.get("hidden") == "true";
    if hidden && !confirm::confirmed(&form) {
        return Ok(Redirect::to(&format!("/admin/postings/{id}/hide")).into_response());
    }
    let refused = async |errors: Errors| -> WebResult {
        let posting = admin_posting(&state, &ctx, id).await?;
        render_invalid(&hide_page(
            &ctx,
            &posting,
            FormView::new(form.typed(), errors),
        ))
    };
    let reason_code = match confirm::reason_code(&form, ModerationReason::parse, ctx.t) {
        Ok(code) => code,
        Err(errors) => return refused(errors).await,
    };
    let input = HideInput {
        hidden,
        reason_code,
        reason: form.optional("reason"),
    };
    match moderation::set_hidden(&state.db, admin, id, input).await {
        Ok(_) => {}
        Err(err) if err.code() == ErrorCode::ValidationFailed => {
            return refused(Errors::from_app(&err, ctx.t)).await;
        }
        Err(err) => return Err(err).or_page(&ctx),
    }
    let flash = if hidden {
        "flash-posting-hidden"
    } else {
        "flash-posting-restored"
    };
    Ok(see_other("/admin", flash))
}

/// Answers a report: dismissed (nothing wrong) or actioned.
pub async fn resolve_report(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let admin = require_admin(&ctx)?;
    let status = match form.get("status").as_str() {
        "actioned" => ReportStatus::Actioned,
        _ => ReportStatus::Dismissed,
    };
    let input = ResolutionInput {
        status,
        note: form.optional("note"),
    };
    moderation::resolve(&state.db, admin, id, input)
        .await
        .or_page(&ctx)?;
    Ok(see_other("/admin", "flash-report-resolved"))
}

/// Files a report from a posting's or an organization's page, then goes back to it.
pub async fn file_report(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    ctx.require_user()?;
    let target = match form.get("target").as_str() {
        "organization" => ReportTarget::Organization,
        _ => ReportTarget::Posting,
    };
    let id: i64 = form.get("id").parse().unwrap_or(0);
    let back = match target {
        ReportTarget::Organization => format!("/organizations/{id}"),
        ReportTarget::Posting => {
            use sea_orm::EntityTrait;
            let kind = entity::posting::Entity::find_by_id(id)
                .one(&state.db)
                .await
                .map_err(AppError::from)
                .or_page(&ctx)?
                .map_or(entity::PostingKind::Need, |p| p.kind);
            format!("/{kind}s/{id}")
        }
    };
    let input = moderation::ReportInput {
        target,
        id,
        reason: form.raw("reason"),
    };
    match moderation::report(&state.db, &ctx.viewer, input).await {
        Ok(_) => Ok(see_other(&back, "flash-reported")),
        Err(err) if err.code() == ErrorCode::AlreadyReported => {
            Ok(see_other(&back, "flash-already-reported"))
        }
        Err(err) => Err(err).or_page(&ctx),
    }
}
