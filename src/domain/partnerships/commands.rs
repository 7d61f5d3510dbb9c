//! What changes a partnership: proposing a pair, the steps of the workflow, expiry. Each is one
//! transaction that checks its rules on the rows it locked or updates conditionally.

use chrono::{DateTime, Duration, Utc};
use entity::{
    Language, OutboxEntity, PostingKind, PostingStatus, Verification, organization, partnership,
    posting,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use super::{
    Actor, Proposal, ProposalRules, Status, Step, forbidden, is_pending, load_for, not_found,
};
use crate::domain::eligibility::{self, Pair};
use crate::domain::journal;
use crate::domain::organizations::member_org_ids;
use crate::domain::taxonomy::Taxonomy;
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid};

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
                    || (p.status != PostingStatus::Draft
                        && p.hidden_at.is_none()
                        && !rejected.contains(&p.organization_id))
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
    let now = crate::domain::now();
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

    // How many units the partnership covers: what was asked, or as much of the need as the offer
    // can give. A posting that one partnership fills gives or takes all it has whatever this says.
    let units = proposal
        .units
        .unwrap_or_else(|| Ord::max(Ord::min(need.quantity, offer.quantity), 1));
    for posting in [&need, &offer] {
        if !posting.filled_by_one && units > posting.quantity {
            return Err(AppError::field(
                "units",
                Invalid::OutOfRange.with([("min", json!(1)), ("max", json!(posting.quantity))]),
            ));
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

    let created = record_proposal(
        &txn,
        user_id,
        Pending {
            need: &need,
            offer: &offer,
            proposer_org_id,
            proposer_user_id: Some(user_id),
            message: proposal.message,
            score: proposal.score,
            reasons: proposal.reasons,
            units,
            expires_at: now + Duration::days(i64::from(rules.expiry_days)),
            program: None,
        },
    )
    .await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// A proposal as it is first written, waiting for the receiver's answer until `expires_at`.
pub(crate) struct Pending<'a> {
    pub need: &'a posting::Model,
    pub offer: &'a posting::Model,
    pub proposer_org_id: i64,
    pub proposer_user_id: Option<i64>,
    pub message: String,
    pub score: Option<f64>,
    pub reasons: Option<serde_json::Value>,
    pub units: i32,
    pub expires_at: DateTime<Utc>,
    /// The program and component whose confirmed allocation proposes it.
    pub program: Option<(i64, i64)>,
}

/// Writes a proposal and its journal entry (which tells the receiving organization), for every
/// way one is made: a member's proposal, a program's confirmed allocation, its waitlist.
pub(crate) async fn record_proposal(
    txn: &impl ConnectionTrait,
    actor: i64,
    pending: Pending<'_>,
) -> AppResult<partnership::Model> {
    let now = crate::domain::now();
    let (need, offer) = (pending.need, pending.offer);
    let created = partnership::ActiveModel {
        need_id: Set(need.id),
        offer_id: Set(offer.id),
        need_org_id: Set(need.organization_id),
        offer_org_id: Set(offer.organization_id),
        proposer_org_id: Set(pending.proposer_org_id),
        proposer_user_id: Set(pending.proposer_user_id),
        responder_user_id: Set(None),
        status: Set(Status::Proposed),
        message: Set(pending.message),
        score: Set(pending.score),
        reasons: Set(pending.reasons),
        response_note: Set(None),
        closing_note: Set(None),
        reason_code: Set(None),
        outcome: Set(None),
        expires_at: Set(pending.expires_at),
        reminders_sent: Set(0),
        responded_at: Set(None),
        started_at: Set(None),
        completed_at: Set(None),
        units: Set(pending.units),
        need_units: Set(None),
        offer_units: Set(None),
        program_id: Set(pending.program.map(|(program, _)| program)),
        component_id: Set(pending.program.map(|(_, component)| component)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut detail = serde_json::json!({
        "need_id": need.id,
        "offer_id": offer.id,
        "proposer_org_id": pending.proposer_org_id,
        "score": created.score,
    });
    if let Some(program_id) = created.program_id {
        detail["program_id"] = serde_json::json!(program_id);
    }
    journal::record(
        txn,
        journal::Event::new(
            Some(actor),
            "partnership.propose",
            OutboxEntity::Partnership,
            created.id,
            detail,
        ),
    )
    .await?;
    Ok(created)
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

/// Takes `units` of a posting's quantity (all of it for a posting one partnership fills); at
/// zero the posting becomes fulfilled and leaves search. The update is conditional, so of two
/// acceptances racing for the last units one wins. Returns the posting as it now is, with the
/// units taken.
async fn take_units(
    txn: &impl ConnectionTrait,
    posting_id: i64,
    units: i32,
    now: DateTime<Utc>,
) -> AppResult<(posting::Model, i32)> {
    use posting::Column as C;
    let before = posting::Entity::find_by_id(posting_id)
        .one(txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("posting {posting_id} vanished"))?;
    let units = if before.filled_by_one {
        Ord::max(before.quantity, 1)
    } else {
        units
    };
    let fulfilled = Expr::case(
        Expr::col(C::Quantity).lte(units),
        Expr::val(PostingStatus::Fulfilled.as_str()),
    )
    .finally(Expr::col(C::Status));
    let taken = posting::Entity::update_many()
        .col_expr(C::Quantity, Expr::col(C::Quantity).sub(units))
        .col_expr(C::Status, fulfilled.into())
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Id.eq(posting_id))
        .filter(C::Quantity.gte(units))
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
        return Err(if posting.quantity < units {
            exhausted(&posting)
        } else {
            not_open(&posting, now)
        });
    }
    Ok((posting, units))
}

/// Gives back the units a cancelled partnership took; a posting they had fulfilled opens again
/// (unless it has expired meanwhile).
async fn give_back_units(
    txn: &impl ConnectionTrait,
    user_id: i64,
    partnership_id: i64,
    taken: [(i64, Option<i32>); 2],
    now: DateTime<Utc>,
) -> AppResult<()> {
    use posting::Column as C;
    for (posting_id, units) in taken {
        let Some(units) = units.filter(|u| *u > 0) else {
            continue;
        };
        let reopened = Expr::case(
            Expr::col(C::Status)
                .eq(PostingStatus::Fulfilled.as_str())
                .and(
                    Expr::col(C::ExpiresAt)
                        .is_null()
                        .or(Expr::col(C::ExpiresAt).gt(now)),
                ),
            Expr::val(PostingStatus::Open.as_str()),
        )
        .finally(Expr::col(C::Status));
        posting::Entity::update_many()
            .col_expr(C::Quantity, Expr::col(C::Quantity).add(units))
            .col_expr(C::Status, reopened.into())
            .col_expr(C::Version, Expr::col(C::Version).add(1))
            .col_expr(C::UpdatedAt, Expr::val(now))
            .filter(C::Id.eq(posting_id))
            .exec(txn)
            .await?;
        let Some(posting) = posting::Entity::find_by_id(posting_id).one(txn).await? else {
            continue;
        };
        let detail = json!({ "partnership_id": partnership_id, "quantity": posting.quantity, "units": units });
        let action = format!("{}.release", posting.kind.as_str());
        journal::record(
            txn,
            journal::Event::new(
                Some(user_id),
                action,
                OutboxEntity::Posting,
                posting_id,
                detail,
            ),
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
    let now = crate::domain::now();
    check_status(&current, &step, now)?;
    if let Step::Complete { outcome, .. } = &step {
        crate::domain::outcomes::check_required(&txn, &current, &outcome.indicators).await?;
    }

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
            .col_expr(C::ResponseNote, Expr::val(note.clone()))
            .col_expr(C::ReasonCode, Expr::val(step.reason().map(|r| r.as_str()))),
        Step::Withdraw { .. } | Step::Cancel { .. } => update
            .col_expr(C::ClosingNote, Expr::val(note.clone()))
            .col_expr(C::ReasonCode, Expr::val(step.reason().map(|r| r.as_str()))),
        Step::Start { .. } => update.col_expr(C::StartedAt, Expr::val(now)),
        Step::Complete {
            outcome, public, ..
        } => {
            let outcome = serde_json::to_value(outcome).map_err(anyhow::Error::from)?;
            update
                .col_expr(C::Outcome, Expr::val(outcome))
                .col_expr(C::NeedPublic, Expr::val(*public))
                .col_expr(C::ClosingNote, Expr::val(note.clone()))
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
    if let Step::Complete { .. } = step {
        crate::domain::outcomes::schedule(&txn, id, now).await?;
    }
    if let Step::Accept { .. } = step {
        // Lower ids first, so concurrent acceptances lock postings in one order and cannot
        // deadlock; the outbox rows (and their lock) come after every posting update.
        let mut postings = [current.need_id, current.offer_id];
        postings.sort_unstable();
        let mut taken = Vec::new();
        for posting_id in postings {
            taken.push(take_units(&txn, posting_id, current.units, now).await?);
        }
        let units_of = |kind: PostingKind| {
            taken
                .iter()
                .find(|(p, _)| p.kind == kind)
                .map(|(_, units)| *units)
        };
        partnership::Entity::update_many()
            .col_expr(C::NeedUnits, Expr::val(units_of(PostingKind::Need)))
            .col_expr(C::OfferUnits, Expr::val(units_of(PostingKind::Offer)))
            .filter(C::Id.eq(id))
            .exec(&txn)
            .await?;
        for (posting, _) in taken {
            let verb = if posting.status == PostingStatus::Fulfilled {
                "fulfil"
            } else {
                "use_unit"
            };
            let detail = json!({ "partnership_id": id, "quantity": posting.quantity });
            let action = format!("{}.{verb}", posting.kind.as_str());
            let entry = journal::Event::new(
                Some(user_id),
                action,
                OutboxEntity::Posting,
                posting.id,
                detail,
            );
            journal::record(&txn, entry).await?;
        }
    }
    if let Step::Cancel { .. } = step
        && matches!(current.status, Status::Accepted | Status::Active)
    {
        let taken = [
            (current.need_id, current.need_units),
            (current.offer_id, current.offer_units),
        ];
        give_back_units(&txn, user_id, id, taken, now).await?;
    }
    journal::record(
        &txn,
        journal::Event::new(Some(user_id), format!("partnership.{}", step.kind().as_str()), OutboxEntity::Partnership, id, serde_json::json!({ "from": current.status.as_str(), "to": target.as_str(), "note": note, "reason_code": step.reason() })),
    )
    .await?;
    let partnership = partnership::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| not_found(id))?;
    if let Step::Decline { .. } = step {
        crate::domain::programs::offer_to_next(&txn, user_id, &partnership).await?;
    }
    journal::commit(txn).await?;
    Ok(partnership)
}

/// Marks proposals left unanswered past their expiry as expired. Returns how many.
pub async fn expire_due(db: &DatabaseConnection) -> AppResult<usize> {
    use partnership::Column as C;
    let txn = crate::domain::begin_write(db).await?;
    let now = crate::domain::now();
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
            journal::record(
                &txn,
                journal::Event::new(
                    None,
                    "partnership.expire",
                    OutboxEntity::Partnership,
                    p.id,
                    serde_json::json!({ "from": "proposed", "to": "expired" }),
                ),
            )
            .await?;
        }
    }
    journal::commit(txn).await?;
    Ok(expired)
}

/// Reminds the organization that must answer a waiting proposal: once halfway through the expiry
/// period, once two days before it (only the second when they fall together). Each reminder is
/// claimed by a conditional update, so several processes send it once. Returns how many.
pub async fn remind_due(db: &DatabaseConnection) -> AppResult<usize> {
    use partnership::Column as C;
    let txn = crate::domain::begin_write(db).await?;
    let now = crate::domain::now();
    let waiting = partnership::Entity::find()
        .filter(C::Status.eq(Status::Proposed))
        .filter(C::ExpiresAt.gt(now))
        .filter(C::RemindersSent.lt(2))
        .all(&txn)
        .await?;
    let mut sent = 0;
    for p in &waiting {
        let halfway = p.created_at + (p.expires_at - p.created_at) / 2;
        let last_call = p.expires_at - Duration::days(2);
        let due = if now >= last_call {
            2
        } else if now >= halfway {
            1
        } else {
            continue;
        };
        if p.reminders_sent >= due {
            continue;
        }
        let claimed = partnership::Entity::update_many()
            .col_expr(C::RemindersSent, Expr::val(due))
            .filter(C::Id.eq(p.id))
            .filter(C::RemindersSent.lt(due))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            sent += 1;
            journal::record(
                &txn,
                journal::Event::new(
                    None,
                    "partnership.remind",
                    OutboxEntity::Partnership,
                    p.id,
                    json!({ "reminder": if due == 1 { "halfway" } else { "last" } }),
                ),
            )
            .await?;
        }
    }
    journal::commit(txn).await?;
    Ok(sent)
}

/// One side of a completed partnership agrees (or no longer agrees) to list it on both
/// organizations' public pages; it is listed while both agree.
pub async fn set_publicity(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    id: i64,
    public: bool,
) -> AppResult<partnership::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let my_orgs = member_org_ids(&txn, user_id).await?;
    let current = load_for(&txn, &my_orgs, id).await?;
    if current.status != Status::Completed {
        return Err(AppError::new(
            ErrorCode::InvalidTransition,
            format!(
                "Partnership {id} is {}; only a completed partnership is listed.",
                current.status
            ),
        ));
    }
    use partnership::Column as C;
    let column = if my_orgs.contains(&current.need_org_id) {
        C::NeedPublic
    } else {
        C::OfferPublic
    };
    partnership::Entity::update_many()
        .col_expr(column, Expr::val(public))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(crate::domain::now()))
        .filter(C::Id.eq(id))
        .exec(&txn)
        .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "partnership.publicity",
            OutboxEntity::Partnership,
            id,
            json!({ "public": public }),
        ),
    )
    .await?;
    let updated = partnership::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("partnership {id} vanished"))?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// The completed partnerships an organization's public page lists: those both sides agreed to
/// list, newest first, with the two postings.
pub async fn listed(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> AppResult<Vec<partnership::Model>> {
    use partnership::Column as C;
    Ok(partnership::Entity::find()
        .filter(
            Condition::any()
                .add(C::NeedOrgId.eq(organization_id))
                .add(C::OfferOrgId.eq(organization_id)),
        )
        .filter(C::Status.eq(Status::Completed))
        .filter(C::NeedPublic.eq(true))
        .filter(C::OfferPublic.eq(true))
        .order_by_desc(C::CompletedAt)
        .limit(50)
        .all(db)
        .await?)
}
