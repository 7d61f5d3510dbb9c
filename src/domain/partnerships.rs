//! Partnerships: a member of one organization proposes a need and an offer to the other; the other
//! accepts or declines, the proposer may withdraw; an accepted partnership uses one unit of each
//! posting's quantity, becomes active, and ends completed (with an outcome report) or cancelled.
//!
//! Every step is a conditional update on the status it expects, written with its audit event in
//! one transaction, so two racing steps cannot both succeed and a refused step writes nothing.

use chrono::{DateTime, Duration, Utc};
use entity::{
    Indicator, IndicatorValue, Language, OutboxEntity, OutboxOp, Outcome, PartnershipStatus,
    PostingKind, PostingStatus, Verification, app_user, organization, partnership, posting,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::eligibility::{self, Pair};
use super::journal;
use super::organizations::{member_org_ids, paginate};
use super::taxonomy::Taxonomy;
use super::types::{self, Page};
use crate::config::Config;
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, Parsed};
use serde_json::json;

use PartnershipStatus as Status;

/// The `entity` column of a partnership's audit events.
const AUDIT_ENTITY: &str = "partnership";

/// A proposal of a need and an offer, by a member of either organization to the other.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    pub need_id: i64,
    pub offer_id: i64,
    /// To the other organization: 1 to 2,000 characters.
    pub message: String,
}

const MAX_NOTE: usize = 2_000;

impl ProposalInput {
    pub fn parse(self) -> AppResult<Proposal> {
        let mut errors = FieldErrors::default();
        let message = errors.check("message", types::text(&self.message, 1, MAX_NOTE));
        errors.finish()?;
        Ok(Proposal {
            need_id: self.need_id,
            offer_id: self.offer_id,
            message: FieldErrors::parsed(message)?,
            // A proposal made over the API is made by hand; proposals made from a match carry
            // the match's score and reasons.
            score: None,
            reasons: None,
        })
    }
}

/// An optional note with a step: why you decline, what to expect next, ...
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    /// Up to 2,000 characters; shown to the other organization.
    #[serde(default)]
    pub note: Option<String>,
}

fn parse_note(errors: &mut FieldErrors, note: Option<String>) -> Option<Option<String>> {
    match note.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(note) => errors
            .check("note", types::text(note, 1, MAX_NOTE))
            .map(Some),
    }
}

impl NoteInput {
    pub fn parse(self) -> AppResult<Option<String>> {
        let mut errors = FieldErrors::default();
        let note = parse_note(&mut errors, self.note);
        errors.finish()?;
        FieldErrors::parsed(note)
    }
}

/// The outcome report that completes a partnership.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// Hours given, 0 to 100,000 (fractions allowed).
    pub hours: f64,
    /// Value given in Canadian dollars, 0 to 100,000,000 (kept to the cent).
    pub value_cad: f64,
    /// What was delivered: 1 to 5,000 characters.
    pub delivered: String,
    /// Up to 10 before/after measures with distinct names.
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// A before/after measure; each value is a number or a short text (up to 100 characters).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    /// 1 to 100 characters, e.g. "Staff who can spot a phishing email".
    pub name: String,
    #[schema(value_type = IndicatorValue)]
    pub before: serde_json::Value,
    #[schema(value_type = IndicatorValue)]
    pub after: serde_json::Value,
}

/// Completing a partnership: the outcome report, and an optional note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    pub outcome: OutcomeInput,
    #[serde(default)]
    pub note: Option<String>,
}

const MAX_INDICATORS: usize = 10;

fn check_amount(value: f64, max: f64) -> Parsed<f64> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok((value * 100.0).round() / 100.0)
    } else {
        Err(Invalid::OutOfRange.with([("min", json!(0)), ("max", json!(max))]))
    }
}

fn check_indicator_value(value: serde_json::Value) -> Parsed<IndicatorValue> {
    match value {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(n) if n.abs() <= 1e12 => Ok(IndicatorValue::Number(n)),
            _ => Err(Invalid::NumberTooLarge.with([("digits", json!(12))])),
        },
        serde_json::Value::String(text) => types::line(&text, 1, 100).map(IndicatorValue::Text),
        _ => Err(Invalid::NumberOrText.into()),
    }
}

impl CompleteInput {
    pub fn parse(self) -> AppResult<(Outcome, Option<String>)> {
        let mut errors = FieldErrors::default();
        let input = self.outcome;
        let hours = errors.check("outcome.hours", check_amount(input.hours, 100_000.0));
        let value_cad = errors.check(
            "outcome.value_cad",
            check_amount(input.value_cad, 100_000_000.0),
        );
        let delivered = errors.check("outcome.delivered", types::text(&input.delivered, 1, 5_000));
        if input.indicators.len() > MAX_INDICATORS {
            errors.add(
                "outcome.indicators",
                Invalid::TooMany.with([("max", json!(MAX_INDICATORS))]),
            );
        }
        let mut indicators = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (i, indicator) in input.indicators.into_iter().enumerate() {
            let field = |name: &str| format!("outcome.indicators[{i}].{name}");
            let name = errors.check(&field("name"), types::line(&indicator.name, 1, 100));
            if let Some(name) = &name {
                if names.contains(&name.to_lowercase()) {
                    errors.add(field("name"), Invalid::DuplicateName);
                }
                names.push(name.to_lowercase());
            }
            let before = errors.check(&field("before"), check_indicator_value(indicator.before));
            let after = errors.check(&field("after"), check_indicator_value(indicator.after));
            if let (Some(name), Some(before), Some(after)) = (name, before, after) {
                indicators.push(Indicator {
                    name,
                    before,
                    after,
                });
            }
        }
        let note = parse_note(&mut errors, self.note);
        errors.finish()?;
        let outcome = Outcome {
            hours: FieldErrors::parsed(hours)?,
            value_cad: FieldErrors::parsed(value_cad)?,
            delivered: FieldErrors::parsed(delivered)?,
            indicators,
        };
        Ok((outcome, FieldErrors::parsed(note)?))
    }
}

/// A parsed proposal.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub need_id: i64,
    pub offer_id: i64,
    pub message: String,
    /// The match score of the pair when the proposal comes from the matching module; a proposal
    /// made by hand has none. Stored as it was at proposal time.
    pub score: Option<f64>,
    /// The reasons the matching module gave with that score.
    pub reasons: Option<serde_json::Value>,
}

/// The configured limits on proposals.
#[derive(Debug, Clone, Copy)]
pub struct ProposalRules {
    /// Proposals a posting may have waiting for an answer.
    pub max_pending: u32,
    /// Days a proposal waits for an answer before it expires.
    pub expiry_days: u32,
}

impl From<&Config> for ProposalRules {
    fn from(config: &Config) -> Self {
        Self {
            max_pending: config.max_pending_proposals,
            expiry_days: config.proposal_expiry_days,
        }
    }
}

/// A step of the workflow, with what it carries.
#[derive(Debug, Clone)]
pub enum Step {
    Accept {
        note: Option<String>,
    },
    Decline {
        note: Option<String>,
    },
    Withdraw {
        note: Option<String>,
    },
    Start {
        note: Option<String>,
    },
    Complete {
        outcome: Outcome,
        note: Option<String>,
    },
    Cancel {
        note: Option<String>,
    },
}

/// Which organization may take a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    /// The organization that received the proposal.
    Receiver,
    /// The organization that made it.
    Proposer,
    /// The organization that published the need: it reports the outcome.
    NeedSide,
    Either,
}

/// A step of the workflow without what it carries: what the API and the pages offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Accept,
    Decline,
    Withdraw,
    Start,
    Complete,
    Cancel,
}

impl StepKind {
    pub const ALL: [StepKind; 6] = [
        Self::Accept,
        Self::Decline,
        Self::Withdraw,
        Self::Start,
        Self::Complete,
        Self::Cancel,
    ];

    /// The verb of the audit action, `partnership.<verb>`, and of the API's step route.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Withdraw => "withdraw",
            Self::Start => "start",
            Self::Complete => "complete",
            Self::Cancel => "cancel",
        }
    }

    fn target(self) -> Status {
        match self {
            Self::Accept => Status::Accepted,
            Self::Decline => Status::Declined,
            Self::Withdraw => Status::Withdrawn,
            Self::Start => Status::Active,
            Self::Complete => Status::Completed,
            Self::Cancel => Status::Cancelled,
        }
    }

    /// The statuses this step may leave.
    fn from(self) -> &'static [Status] {
        match self {
            Self::Accept | Self::Decline | Self::Withdraw => &[Status::Proposed],
            Self::Start => &[Status::Accepted],
            Self::Complete | Self::Cancel => &[Status::Accepted, Status::Active],
        }
    }

    fn actor(self) -> Actor {
        match self {
            Self::Accept | Self::Decline => Actor::Receiver,
            Self::Withdraw => Actor::Proposer,
            Self::Complete => Actor::NeedSide,
            Self::Start | Self::Cancel => Actor::Either,
        }
    }
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Self::Accept { .. } => StepKind::Accept,
            Self::Decline { .. } => StepKind::Decline,
            Self::Withdraw { .. } => StepKind::Withdraw,
            Self::Start { .. } => StepKind::Start,
            Self::Complete { .. } => StepKind::Complete,
            Self::Cancel { .. } => StepKind::Cancel,
        }
    }

    fn note(&self) -> Option<&str> {
        match self {
            Self::Accept { note }
            | Self::Decline { note }
            | Self::Withdraw { note }
            | Self::Start { note }
            | Self::Complete { note, .. }
            | Self::Cancel { note } => note.as_deref(),
        }
    }
}

/// Whether each side sees the other's contact details: once both have said yes, and for as long
/// as they work together or look back on the work done.
pub fn shares_contact(status: Status) -> bool {
    matches!(
        status,
        Status::Accepted | Status::Active | Status::Completed
    )
}

/// A proposal still waiting for its answer: proposed and not past its expiry, even if the expiry
/// task has not marked it yet.
fn is_pending(p: &partnership::Model, now: DateTime<Utc>) -> bool {
    p.status == Status::Proposed && p.expires_at > now
}

fn not_found(id: i64) -> AppError {
    AppError::new(
        ErrorCode::PartnershipNotFound,
        format!("There is no partnership {id} involving your organizations."),
    )
}

fn forbidden(detail: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::Forbidden, detail)
}

/// A posting may take proposals and acceptances: open and not past its expiry.
fn is_open(posting: &posting::Model, now: DateTime<Utc>) -> bool {
    posting.status == PostingStatus::Open && posting.expires_at.is_none_or(|at| at > now)
}

fn not_open(posting: &posting::Model, now: DateTime<Utc>) -> AppError {
    let status = if posting.status == PostingStatus::Open && !is_open(posting, now) {
        "expired"
    } else {
        posting.status.as_str()
    };
    AppError::new(
        ErrorCode::PostingNotOpen,
        format!(
            "{} {} is {status}; only open postings take part in new partnerships.",
            capitalized(posting.kind),
            posting.id
        ),
    )
}

fn capitalized(kind: PostingKind) -> &'static str {
    match kind {
        PostingKind::Need => "Need",
        PostingKind::Offer => "Offer",
    }
}

fn exhausted(posting: &posting::Model) -> AppError {
    let what = match posting.kind {
        PostingKind::Need => "needs nothing more",
        PostingKind::Offer => "has no capacity left",
    };
    AppError::new(
        ErrorCode::CapacityExhausted,
        format!(
            "{} {} {what}: its quantity is {}. Its organization may raise the quantity and reopen it.",
            capitalized(posting.kind),
            posting.id,
            posting.quantity
        ),
    )
}

/// Loads the need and the offer of a proposal, locking both rows (on PostgreSQL; SQLite writers
/// are serialized already) so that concurrent proposals count pending ones one at a time.
/// Another organization's draft, or a posting of a rejected organization, is reported as missing.
async fn lock_postings(
    txn: &impl ConnectionTrait,
    my_orgs: &[i64],
    need_id: i64,
    offer_id: i64,
) -> AppResult<(posting::Model, posting::Model)> {
    let rows = posting::Entity::find()
        .filter(posting::Column::Id.is_in([need_id, offer_id]))
        .order_by_asc(posting::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?;
    let org_ids: Vec<i64> = rows.iter().map(|p| p.organization_id).collect();
    let rejected: Vec<i64> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .filter(organization::Column::Verification.eq(Verification::Rejected))
        .all(txn)
        .await?
        .into_iter()
        .map(|org| org.id)
        .collect();
    let visible = |id: i64, kind: PostingKind| {
        rows.iter()
            .find(|p| p.id == id && p.kind == kind)
            .filter(|p| {
                my_orgs.contains(&p.organization_id)
                    || (p.status != PostingStatus::Draft && !rejected.contains(&p.organization_id))
            })
            .cloned()
    };
    let need = visible(need_id, PostingKind::Need);
    let offer = visible(offer_id, PostingKind::Offer);
    let mut errors = FieldErrors::default();
    if need.is_none() {
        errors.add(
            "need_id",
            Invalid::NoSuchPosting.with([("kind", json!("need")), ("id", json!(need_id))]),
        );
    }
    if offer.is_none() {
        errors.add(
            "offer_id",
            Invalid::NoSuchPosting.with([("kind", json!("offer")), ("id", json!(offer_id))]),
        );
    }
    errors.finish()?;
    Ok((FieldErrors::parsed(need)?, FieldErrors::parsed(offer)?))
}

/// A member of the need's or the offer's organization proposes the pair to the other.
pub async fn propose(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    proposal: Proposal,
    rules: ProposalRules,
    taxonomy: &Taxonomy,
) -> AppResult<partnership::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let my_orgs = member_org_ids(&txn, user_id).await?;
    let (need, offer) = lock_postings(&txn, &my_orgs, proposal.need_id, proposal.offer_id).await?;
    if need.organization_id == offer.organization_id {
        return Err(AppError::field("offer_id", Invalid::SameOrganization));
    }
    let proposer_org_id = match (
        my_orgs.contains(&need.organization_id),
        my_orgs.contains(&offer.organization_id),
    ) {
        (true, false) => need.organization_id,
        (false, true) => offer.organization_id,
        (false, false) => {
            return Err(forbidden(
                "Only members of the need's or the offer's organization may propose them.",
            ));
        }
        (true, true) => {
            return Err(forbidden(
                "You belong to both organizations; a partnership is proposed by one to the other.",
            ));
        }
    };
    // Locked with the postings, so the eligibility checked below is the one committed with the
    // proposal (an organization edited in between waits for this transaction).
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in([need.organization_id, offer.organization_id]))
        .order_by_asc(organization::Column::Id)
        .lock_exclusive()
        .all(&txn)
        .await?;
    let org = |id: i64| {
        orgs.iter()
            .find(|o| o.id == id)
            .ok_or_else(|| anyhow::anyhow!("organization {id} vanished"))
    };
    let (need_org, offer_org) = (org(need.organization_id)?, org(offer.organization_id)?);
    let proposer = if proposer_org_id == need_org.id {
        need_org
    } else {
        offer_org
    };
    if proposer.verification == Verification::Rejected {
        return Err(forbidden(
            "An administrator rejected your organization; it cannot propose partnerships.",
        ));
    }
    let now = super::now();
    let pair = Pair::new(&need, need_org, &offer, offer_org);
    if let Err(rule) = eligibility::check(&pair, None, now)
        && rule.is_eligibility()
    {
        let reason = rule.sentence(&pair, Language::En, taxonomy);
        return Err(AppError::field(
            "offer_id",
            Invalid::NotEligible.with([("rule", json!(rule.code())), ("reason", json!(reason))]),
        ));
    }
    for posting in [&need, &offer] {
        if !is_open(posting, now) {
            return Err(not_open(posting, now));
        }
        if posting.quantity <= 0 {
            return Err(exhausted(posting));
        }
    }

    use partnership::Column as C;
    let live = Condition::any()
        .add(C::Status.is_in([Status::Accepted, Status::Active]))
        .add(
            Condition::all()
                .add(C::Status.eq(Status::Proposed))
                .add(C::ExpiresAt.gt(now)),
        );
    if let Some(existing) = partnership::Entity::find()
        .filter(C::NeedId.eq(need.id))
        .filter(C::OfferId.eq(offer.id))
        .filter(live)
        .one(&txn)
        .await?
    {
        return Err(AppError::new(
            ErrorCode::PartnershipExists,
            format!(
                "Need {} and offer {} already have partnership {}, which is {}.",
                need.id, offer.id, existing.id, existing.status
            ),
        ));
    }
    for (posting, column) in [(&need, C::NeedId), (&offer, C::OfferId)] {
        let pending = partnership::Entity::find()
            .filter(column.eq(posting.id))
            .filter(C::Status.eq(Status::Proposed))
            .filter(C::ExpiresAt.gt(now))
            .count(&txn)
            .await?;
        if pending >= u64::from(rules.max_pending) {
            return Err(AppError::new(
                ErrorCode::TooManyPendingProposals,
                format!(
                    "{} {} already has {pending} proposals waiting for an answer, the most a \
                     posting may have. Try again once one is answered, withdrawn or expired.",
                    capitalized(posting.kind),
                    posting.id
                ),
            ));
        }
    }

    let created = partnership::ActiveModel {
        need_id: Set(need.id),
        offer_id: Set(offer.id),
        need_org_id: Set(need.organization_id),
        offer_org_id: Set(offer.organization_id),
        proposer_org_id: Set(proposer_org_id),
        proposer_user_id: Set(Some(user_id)),
        responder_user_id: Set(None),
        status: Set(Status::Proposed),
        message: Set(proposal.message),
        score: Set(proposal.score),
        reasons: Set(proposal.reasons),
        response_note: Set(None),
        closing_note: Set(None),
        outcome: Set(None),
        expires_at: Set(now + Duration::days(i64::from(rules.expiry_days))),
        responded_at: Set(None),
        started_at: Set(None),
        completed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::audit(
        &txn,
        Some(user_id),
        "partnership.propose",
        AUDIT_ENTITY,
        created.id,
        serde_json::json!({
            "need_id": need.id,
            "offer_id": offer.id,
            "proposer_org_id": proposer_org_id,
            "score": created.score,
        }),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// Loads a partnership for one of the caller's organizations; others get a 404.
async fn load_for(
    db: &impl ConnectionTrait,
    my_orgs: &[i64],
    id: i64,
) -> AppResult<partnership::Model> {
    partnership::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| my_orgs.contains(&p.need_org_id) || my_orgs.contains(&p.offer_org_id))
        .ok_or_else(|| not_found(id))
}

/// Refuses the step unless the caller belongs to the organization that may take it.
fn check_actor(p: &partnership::Model, my_orgs: &[i64], step: &Step) -> AppResult<()> {
    let receiver = if p.proposer_org_id == p.need_org_id {
        p.offer_org_id
    } else {
        p.need_org_id
    };
    let (allowed, who) = match step.kind().actor() {
        Actor::Receiver => (
            my_orgs.contains(&receiver),
            "the organization that received the proposal",
        ),
        Actor::Proposer => (
            my_orgs.contains(&p.proposer_org_id),
            "the organization that made the proposal",
        ),
        Actor::NeedSide => (
            my_orgs.contains(&p.need_org_id),
            "the need's organization, which reports the outcome,",
        ),
        Actor::Either => (true, ""),
    };
    if allowed {
        Ok(())
    } else {
        Err(forbidden(format!(
            "Only {who} may {} partnership {}.",
            step.kind().as_str(),
            p.id
        )))
    }
}

/// Refuses the step unless the partnership is in a status it may leave.
fn check_status(p: &partnership::Model, step: &Step, now: DateTime<Utc>) -> AppResult<()> {
    let target = step.kind().target();
    let invalid = |detail: String| Err(AppError::new(ErrorCode::InvalidTransition, detail));
    if p.status == Status::Proposed && !is_pending(p, now) {
        return invalid(format!(
            "Partnership {} expired unanswered on {}; it cannot become {target}.",
            p.id,
            p.expires_at.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if step.kind().from().contains(&p.status) {
        return Ok(());
    }
    let allowed: Vec<&str> = step.kind().from().iter().map(|s| s.as_str()).collect();
    invalid(format!(
        "Partnership {} is {}; it cannot become {target} (only from {}).",
        p.id,
        p.status,
        allowed.join(" or ")
    ))
}

/// Takes one unit of a posting's quantity; at zero the posting becomes fulfilled and leaves
/// search. The update is conditional, so of two acceptances racing for the last unit one wins.
async fn take_one_unit(
    txn: &impl ConnectionTrait,
    user_id: i64,
    partnership_id: i64,
    posting_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use posting::Column as C;
    let fulfilled = Expr::case(
        Expr::col(C::Quantity).lte(1),
        Expr::val(PostingStatus::Fulfilled.as_str()),
    )
    .finally(Expr::col(C::Status));
    let taken = posting::Entity::update_many()
        .col_expr(C::Quantity, Expr::col(C::Quantity).sub(1))
        .col_expr(C::Status, fulfilled.into())
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Id.eq(posting_id))
        .filter(C::Quantity.gt(0))
        .filter(C::Status.eq(PostingStatus::Open))
        .filter(
            Condition::any()
                .add(C::ExpiresAt.is_null())
                .add(C::ExpiresAt.gt(now)),
        )
        .exec(txn)
        .await?;
    let posting = posting::Entity::find_by_id(posting_id)
        .one(txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("posting {posting_id} vanished"))?;
    if taken.rows_affected == 0 {
        return Err(if posting.quantity <= 0 {
            exhausted(&posting)
        } else {
            not_open(&posting, now)
        });
    }
    if posting.status == PostingStatus::Fulfilled {
        journal::audit(
            txn,
            Some(user_id),
            &format!("{}.fulfil", posting.kind.as_str()),
            OutboxEntity::Posting.as_str(),
            posting.id,
            serde_json::json!({ "partnership_id": partnership_id }),
        )
        .await?;
    }
    Ok(())
}

/// Takes a step of the workflow for a member of one of the partnership's organizations.
pub async fn transition(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    id: i64,
    step: Step,
) -> AppResult<partnership::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let my_orgs = member_org_ids(&txn, user_id).await?;
    let current = load_for(&txn, &my_orgs, id).await?;
    check_actor(&current, &my_orgs, &step)?;
    let now = super::now();
    check_status(&current, &step, now)?;

    use partnership::Column as C;
    let target = step.kind().target();
    let note = step.note().map(str::to_owned);
    let mut update = partnership::Entity::update_many()
        .col_expr(C::Status, Expr::val(target.as_str()))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(now));
    update = match &step {
        Step::Accept { .. } | Step::Decline { .. } => update
            .col_expr(C::ResponderUserId, Expr::val(user_id))
            .col_expr(C::RespondedAt, Expr::val(now))
            .col_expr(C::ResponseNote, Expr::val(note.clone())),
        Step::Withdraw { .. } | Step::Cancel { .. } => {
            update.col_expr(C::ClosingNote, Expr::val(note.clone()))
        }
        Step::Start { .. } => update.col_expr(C::StartedAt, Expr::val(now)),
        Step::Complete { outcome, .. } => {
            let outcome = serde_json::to_value(outcome).map_err(anyhow::Error::from)?;
            update
                .col_expr(C::Outcome, Expr::val(outcome))
                .col_expr(C::CompletedAt, Expr::val(now))
        }
    };
    let updated = update
        .filter(C::Id.eq(id))
        .filter(C::Status.eq(current.status))
        .filter(C::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::new(
            ErrorCode::InvalidTransition,
            format!("Partnership {id} changed while you were answering; read it again and retry."),
        ));
    }
    if let Step::Accept { .. } = step {
        // Lower ids first, so concurrent acceptances lock postings in one order and cannot
        // deadlock; the outbox rows (and their lock) come after every posting update.
        let mut postings = [current.need_id, current.offer_id];
        postings.sort_unstable();
        for posting_id in postings {
            take_one_unit(&txn, user_id, id, posting_id, now).await?;
        }
        for posting_id in postings {
            journal::record_change(&txn, OutboxEntity::Posting, posting_id, OutboxOp::Upsert)
                .await?;
        }
    }
    journal::audit(
        &txn,
        Some(user_id),
        &format!("partnership.{}", step.kind().as_str()),
        AUDIT_ENTITY,
        id,
        serde_json::json!({ "from": current.status.as_str(), "to": target.as_str(), "note": note }),
    )
    .await?;
    let partnership = partnership::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| not_found(id))?;
    journal::commit(txn).await?;
    Ok(partnership)
}

/// Marks proposals left unanswered past their expiry as expired. Returns how many.
pub async fn expire_due(db: &DatabaseConnection) -> AppResult<usize> {
    use partnership::Column as C;
    let txn = crate::domain::begin_write(db).await?;
    let now = super::now();
    let due = partnership::Entity::find()
        .filter(C::Status.eq(Status::Proposed))
        .filter(C::ExpiresAt.lte(now))
        .limit(500)
        .all(&txn)
        .await?;
    let mut expired = 0;
    for p in &due {
        let updated = partnership::Entity::update_many()
            .col_expr(C::Status, Expr::val(Status::Expired.as_str()))
            .col_expr(C::Version, Expr::col(C::Version).add(1))
            .col_expr(C::UpdatedAt, Expr::val(now))
            .filter(C::Id.eq(p.id))
            .filter(C::Status.eq(Status::Proposed))
            .exec(&txn)
            .await?;
        if updated.rows_affected == 1 {
            expired += 1;
            journal::audit(
                &txn,
                None,
                "partnership.expire",
                AUDIT_ENTITY,
                p.id,
                serde_json::json!({ "from": "proposed", "to": "expired" }),
            )
            .await?;
        }
    }
    journal::commit(txn).await?;
    Ok(expired)
}

/// Which partnerships of an organization to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Proposed by the organization.
    Sent,
    /// Proposed to the organization.
    Received,
    #[default]
    All,
}

/// Filters of `GET /partnerships`.
#[derive(Debug, Clone, Default)]
pub struct PartnershipFilter {
    pub direction: Direction,
    pub status: Option<Status>,
    /// One of the caller's organizations; all of them when `None`.
    pub organization_id: Option<i64>,
    pub after: Option<i64>,
    pub limit: u64,
}

/// The organizations a listing looks from: the one asked for (if the caller belongs to it), or
/// all of the caller's.
pub async fn perspective(
    db: &impl ConnectionTrait,
    user_id: i64,
    organization_id: Option<i64>,
) -> AppResult<Vec<i64>> {
    let mine = member_org_ids(db, user_id).await?;
    match organization_id {
        None => Ok(mine),
        Some(id) if mine.contains(&id) => Ok(vec![id]),
        Some(id) => Err(forbidden(format!(
            "You are not a member of organization {id}."
        ))),
    }
}

/// One page of the partnerships of the organizations in `orgs`, newest first.
pub async fn list(
    db: &DatabaseConnection,
    orgs: &[i64],
    filter: &PartnershipFilter,
) -> AppResult<Page<partnership::Model>> {
    use partnership::Column as C;
    let sent = Condition::all().add(C::ProposerOrgId.is_in(orgs.to_vec()));
    let received = Condition::any()
        .add(
            Condition::all()
                .add(C::NeedOrgId.is_in(orgs.to_vec()))
                .add(Expr::col(C::ProposerOrgId).ne(Expr::col(C::NeedOrgId))),
        )
        .add(
            Condition::all()
                .add(C::OfferOrgId.is_in(orgs.to_vec()))
                .add(Expr::col(C::ProposerOrgId).ne(Expr::col(C::OfferOrgId))),
        );
    let mut query = partnership::Entity::find()
        .filter(match filter.direction {
            Direction::Sent => sent,
            Direction::Received => received,
            Direction::All => Condition::any().add(sent).add(received),
        })
        .order_by_desc(C::Id)
        .limit(filter.limit + 1);
    if let Some(status) = filter.status {
        query = query.filter(C::Status.eq(status));
    }
    if let Some(after) = filter.after {
        query = query.filter(C::Id.lt(after));
    }
    let mut items = query.all(db).await?;
    Ok(paginate(&mut items, filter.limit, |p| p.id))
}

/// A partnership of one of the caller's organizations.
pub async fn get(db: &DatabaseConnection, user_id: i64, id: i64) -> AppResult<partnership::Model> {
    let my_orgs = member_org_ids(db, user_id).await?;
    load_for(db, &my_orgs, id).await
}

/// A partnership with what its reader needs to see around it, from one organization's side.
#[derive(Debug, Clone)]
pub struct PartnershipView {
    pub partnership: partnership::Model,
    pub need: posting::Model,
    pub offer: posting::Model,
    /// The reader's side: `need` when they published the need.
    pub side: PostingKind,
    /// The other organization.
    pub counterpart: organization::Model,
    /// The counterpart's person to talk to (who proposed, or who accepted), when both sides
    /// said yes; `None` otherwise.
    pub counterpart_person: Option<app_user::Model>,
}

impl PartnershipView {
    /// Whether the reader's organization proposed it.
    pub fn sent(&self) -> bool {
        let mine = match self.side {
            PostingKind::Need => self.partnership.need_org_id,
            PostingKind::Offer => self.partnership.offer_org_id,
        };
        self.partnership.proposer_org_id == mine
    }

    /// Whether the counterpart's contact details are shown.
    pub fn shares_contact(&self) -> bool {
        shares_contact(self.partnership.status)
    }

    /// The steps the reader's organization may take now, the ones `transition` would accept.
    pub fn steps(&self, now: DateTime<Utc>) -> Vec<StepKind> {
        let p = &self.partnership;
        if p.status == Status::Proposed && !is_pending(p, now) {
            return Vec::new();
        }
        StepKind::ALL
            .into_iter()
            .filter(|kind| kind.from().contains(&p.status))
            .filter(|kind| match kind.actor() {
                Actor::Receiver => !self.sent(),
                Actor::Proposer => self.sent(),
                Actor::NeedSide => self.side == PostingKind::Need,
                Actor::Either => true,
            })
            .collect()
    }
}

/// Loads the postings, organizations and people around each partnership, seen from `orgs`.
pub async fn describe(
    db: &impl ConnectionTrait,
    orgs: &[i64],
    items: Vec<partnership::Model>,
) -> AppResult<Vec<PartnershipView>> {
    let posting_ids: Vec<i64> = items.iter().flat_map(|p| [p.need_id, p.offer_id]).collect();
    let org_ids: Vec<i64> = items
        .iter()
        .flat_map(|p| [p.need_org_id, p.offer_org_id])
        .collect();
    let postings = posting::Entity::find()
        .filter(posting::Column::Id.is_in(posting_ids))
        .all(db)
        .await?;
    let organizations = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    let sides: Vec<(PostingKind, Option<i64>)> = items
        .iter()
        .map(|p| {
            let side = if orgs.contains(&p.need_org_id) {
                PostingKind::Need
            } else {
                PostingKind::Offer
            };
            // The counterpart's person: whoever spoke for the other organization.
            let counterpart_org = match side {
                PostingKind::Need => p.offer_org_id,
                PostingKind::Offer => p.need_org_id,
            };
            let person = if counterpart_org == p.proposer_org_id {
                p.proposer_user_id
            } else {
                p.responder_user_id
            };
            (side, person.filter(|_| shares_contact(p.status)))
        })
        .collect();
    let people = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(sides.iter().filter_map(|(_, person)| *person)))
        .all(db)
        .await?;
    let missing = |what: &str, id: i64| AppError::from(anyhow::anyhow!("{what} {id} vanished"));
    let mut views = Vec::with_capacity(items.len());
    for (partnership, (side, person)) in items.into_iter().zip(sides) {
        let find_posting = |id: i64| {
            postings
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or_else(|| missing("posting", id))
        };
        let counterpart_id = match side {
            PostingKind::Need => partnership.offer_org_id,
            PostingKind::Offer => partnership.need_org_id,
        };
        views.push(PartnershipView {
            need: find_posting(partnership.need_id)?,
            offer: find_posting(partnership.offer_id)?,
            side,
            counterpart: organizations
                .iter()
                .find(|o| o.id == counterpart_id)
                .cloned()
                .ok_or_else(|| missing("organization", counterpart_id))?,
            counterpart_person: person.and_then(|id| people.iter().find(|u| u.id == id).cloned()),
            partnership,
        });
    }
    Ok(views)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(outcome: serde_json::Value) -> AppResult<(Outcome, Option<String>)> {
        serde_json::from_slice::<CompleteInput>(
            serde_json::json!({ "outcome": outcome })
                .to_string()
                .as_bytes(),
        )
        .expect("the test's JSON reads")
        .parse()
    }

    fn fields(result: AppResult<(Outcome, Option<String>)>) -> Vec<String> {
        match result {
            Err(crate::error::AppError::Validation(errors)) => {
                errors.fields().map(|(f, _)| f.to_owned()).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn outcome_reports_are_checked_field_by_field() {
        let (outcome, note) = complete(serde_json::json!({
            "hours": 12.5, "value_cad": 1999.999, "delivered": " Four sessions ",
            "indicators": [{ "name": "Staff trained", "before": 0, "after": 8 },
                           { "name": "Password manager", "before": "none", "after": "all staff" }]
        }))
        .unwrap();
        assert_eq!(outcome.value_cad, 2000.0);
        assert_eq!(outcome.delivered, "Four sessions");
        assert_eq!(
            outcome.indicators[1].after,
            IndicatorValue::Text("all staff".into())
        );
        assert_eq!(note, None);

        let bad = complete(serde_json::json!({
            "hours": -1, "value_cad": 1e9, "delivered": "  ",
            "indicators": [{ "name": "A", "before": 1, "after": "" },
                           { "name": "a", "before": 1, "after": 2 }]
        }));
        assert_eq!(
            fields(bad),
            [
                "outcome.delivered",
                "outcome.hours",
                "outcome.indicators[0].after",
                "outcome.indicators[1].name",
                "outcome.value_cad"
            ]
        );
        let many: Vec<_> = (0..11)
            .map(|i| serde_json::json!({ "name": format!("m{i}"), "before": 0, "after": 1 }))
            .collect();
        let too_many = complete(serde_json::json!({
            "hours": 1, "value_cad": 0, "delivered": "x", "indicators": many
        }));
        assert_eq!(fields(too_many), ["outcome.indicators"]);
        let wrong_type = complete(serde_json::json!({
            "hours": 1, "value_cad": 0, "delivered": "x",
            "indicators": [{ "name": "m", "before": true, "after": 1 }]
        }));
        assert_eq!(fields(wrong_type), ["outcome.indicators[0].before"]);
    }

    fn step(status: Status) -> Vec<&'static str> {
        let outcome = Outcome {
            hours: 1.0,
            value_cad: 0.0,
            delivered: "x".into(),
            indicators: vec![],
        };
        [
            Step::Accept { note: None },
            Step::Decline { note: None },
            Step::Withdraw { note: None },
            Step::Start { note: None },
            Step::Complete {
                outcome,
                note: None,
            },
            Step::Cancel { note: None },
        ]
        .into_iter()
        .filter(|s| s.kind().from().contains(&status))
        .map(|s| s.kind().as_str())
        .collect()
    }

    #[test]
    fn each_status_allows_exactly_its_steps() {
        assert_eq!(step(Status::Proposed), ["accept", "decline", "withdraw"]);
        assert_eq!(step(Status::Accepted), ["start", "complete", "cancel"]);
        assert_eq!(step(Status::Active), ["complete", "cancel"]);
        for end in [
            Status::Declined,
            Status::Withdrawn,
            Status::Expired,
            Status::Completed,
            Status::Cancelled,
        ] {
            assert!(step(end).is_empty(), "{end} is final");
        }
    }

    #[test]
    fn contact_is_shared_only_once_both_said_yes() {
        let shared: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| shares_contact(*s))
            .collect();
        assert_eq!(
            shared,
            [Status::Accepted, Status::Active, Status::Completed]
        );
    }
}
