//! Notifications: who is told what when something happens.
//!
//! The journal calls `on_event` for every change it records, in the change's transaction, so a
//! notification (and the email it queues) exists exactly when its change committed. Each kind of
//! notification belongs to a topic; each person chooses per topic whether email comes at once, in
//! a daily digest, or not at all (the bell shows everything).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    Delivery, EmailState, EmailStatus, NotificationKind as Kind, OutboxEntity, PartnershipStatus,
    Topic, email, membership, notification, notification_preference, organization, partnership,
    posting,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

use super::journal::Event;
use crate::error::AppResult;
use crate::i18n::{Catalog, label_key};

/// The topic a kind of notification falls under, for preferences.
pub fn topic(kind: Kind) -> Topic {
    match kind {
        Kind::ProposalReceived
        | Kind::ProposalWithdrawn
        | Kind::ProposalExpiring
        | Kind::ProposalExpired => Topic::Proposals,
        Kind::ProposalAccepted | Kind::ProposalDeclined => Topic::Answers,
        Kind::PartnershipStarted
        | Kind::PartnershipCompleted
        | Kind::PartnershipCancelled
        | Kind::FollowUpDue
        | Kind::FollowUpReported => Topic::Partnerships,
        Kind::MessageReceived => Topic::Messages,
        Kind::OrganizationVerified
        | Kind::OrganizationRejected
        | Kind::VerificationReopened
        | Kind::MemberAdded
        | Kind::Invitation => Topic::Organization,
        Kind::ReportReceived
        | Kind::ReportResolved
        | Kind::PostingHidden
        | Kind::PostingRestored => Topic::Moderation,
        Kind::PostingClosed => Topic::Proposals,
        Kind::MatchSuggestions => Topic::Matches,
        Kind::SavedSearchResults => Topic::SavedSearches,
        Kind::ProgramInvitation | Kind::ApplicationReceived | Kind::ApplicationDecided => {
            Topic::Programs
        }
    }
}

/// How a topic is emailed to someone who never chose: suggestions once a day, the rest at once.
pub fn default_delivery(topic: Topic) -> Delivery {
    match topic {
        Topic::Matches | Topic::SavedSearches => Delivery::Daily,
        _ => Delivery::Immediate,
    }
}

/// One notification to write, before it has recipients.
pub struct Notice {
    pub kind: Kind,
    /// What it is about: `partnership`, `organization`, `posting`, `saved_search`.
    pub subject: &'static str,
    pub subject_id: i64,
    pub detail: Value,
}

/// Writes the notifications (and queues the emails) a recorded change causes. Called by
/// `journal::record` in the change's transaction.
pub async fn on_event(txn: &impl ConnectionTrait, event: &Event) -> Result<(), DbErr> {
    let plan = match (event.entity, event.action.as_str()) {
        (OutboxEntity::Partnership, action) => match action.strip_prefix("partnership.") {
            Some(verb) => partnership_notices(txn, event, verb).await?,
            None => Vec::new(),
        },
        (OutboxEntity::Organization, "organization.verification") => {
            organization_notices(txn, event).await?
        }
        (OutboxEntity::Organization, "organization.member_add") => {
            member_notices(txn, event).await?
        }
        (OutboxEntity::Organization, "organization.invite") => {
            invitation_notices(txn, event).await?
        }
        (OutboxEntity::Report, _) => report_notices(txn, event).await?,
        (OutboxEntity::Program, "program.invite") => program_invitation_notices(txn, event).await?,
        (OutboxEntity::ProgramApplication, action) => {
            application_notices(txn, event, action).await?
        }
        (OutboxEntity::Posting, action) => posting_notices(txn, event, action).await?,
        _ => Vec::new(),
    };
    for (notice, recipients) in plan {
        let recipients: Vec<i64> = recipients
            .into_iter()
            .filter(|user| Some(*user) != event.actor)
            .collect();
        deliver(txn, event.actor, &notice, &recipients).await?;
    }
    Ok(())
}

/// The members of organizations, each user once.
async fn members_of(txn: &impl ConnectionTrait, org_ids: &[i64]) -> Result<Vec<i64>, DbErr> {
    let mut users: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::OrganizationId.is_in(org_ids.iter().copied()))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

async fn partnership_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
    verb: &str,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    let Some(p) = partnership::Entity::find_by_id(event.entity_id)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let receiver = if p.proposer_org_id == p.need_org_id {
        p.offer_org_id
    } else {
        p.need_org_id
    };
    // Every member of both sides, in one read: those told are among them, and so is the actor.
    let members: Vec<membership::Model> = membership::Entity::find()
        .filter(membership::Column::OrganizationId.is_in([p.need_org_id, p.offer_org_id]))
        .all(txn)
        .await?;
    // The organization that took the step: the one the verb belongs to, or for a step either side
    // may take, the one the actor is a member of.
    let acting = match verb {
        "propose" | "withdraw" => Some(p.proposer_org_id),
        "accept" | "decline" => Some(receiver),
        "complete" | "follow_up" => Some(p.need_org_id),
        "expire" | "remind" | "follow_up_due" => None,
        _ => event.actor.and_then(|user| {
            members
                .iter()
                .find(|m| m.user_id == user)
                .map(|m| m.organization_id)
        }),
    };
    let counterpart = |org: Option<i64>| match org {
        Some(org) if org == p.need_org_id => vec![p.offer_org_id],
        Some(_) => vec![p.need_org_id],
        None => vec![p.need_org_id, p.offer_org_id],
    };
    let (kind, told) = match verb {
        "propose" => (Kind::ProposalReceived, vec![receiver]),
        "accept" => (Kind::ProposalAccepted, vec![p.proposer_org_id]),
        "decline" => (Kind::ProposalDeclined, vec![p.proposer_org_id]),
        "withdraw" => (Kind::ProposalWithdrawn, vec![receiver]),
        "expire" => (Kind::ProposalExpired, vec![p.need_org_id, p.offer_org_id]),
        "start" => (Kind::PartnershipStarted, counterpart(acting)),
        "complete" => (Kind::PartnershipCompleted, counterpart(acting)),
        "cancel" => (Kind::PartnershipCancelled, counterpart(acting)),
        "message" => (Kind::MessageReceived, counterpart(acting)),
        "remind" => (Kind::ProposalExpiring, vec![receiver]),
        "follow_up_due" => (Kind::FollowUpDue, vec![p.need_org_id]),
        "follow_up" => (Kind::FollowUpReported, vec![p.offer_org_id]),
        _ => return Ok(Vec::new()),
    };
    // The two postings with their organizations, in one read.
    let mut titles: HashMap<i64, String> = HashMap::new();
    let mut names: HashMap<i64, String> = HashMap::new();
    for (posting, org) in posting::Entity::find()
        .filter(posting::Column::Id.is_in([p.need_id, p.offer_id]))
        .find_also_related(organization::Entity)
        .all(txn)
        .await?
    {
        titles.insert(posting.id, posting.title);
        if let Some(org) = org {
            names.insert(org.id, org.name);
        }
    }
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let note = event
        .detail
        .get("note")
        .and_then(Value::as_str)
        .filter(|note| !note.trim().is_empty());
    let mut detail = json!({
        "need_title": titles.get(&p.need_id).cloned().unwrap_or_default(),
        "offer_title": titles.get(&p.offer_id).cloned().unwrap_or_default(),
        "need_org": name(p.need_org_id),
        "offer_org": name(p.offer_org_id),
        "by_org": acting.map(name),
        "expires_at": (p.status == PartnershipStatus::Proposed).then_some(p.expires_at),
    });
    if let Some(note) = note {
        detail["note"] = json!(note);
    }
    if let Some(code) = event
        .detail
        .get("reason_code")
        .filter(|code| !code.is_null())
    {
        detail["reason_code"] = code.clone();
    }
    if let Some(due) = event.detail.get("due") {
        detail["due"] = due.clone();
    }
    if let Some(excerpt) = event.detail.get("excerpt") {
        detail["excerpt"] = excerpt.clone();
    } else if verb == "propose" {
        // The proposer's own words are what the receiver most wants to read first.
        detail["excerpt"] = json!(p.message.chars().take(300).collect::<String>());
    }
    let mut recipients: Vec<i64> = members
        .iter()
        .filter(|m| told.contains(&m.organization_id))
        .map(|m| m.user_id)
        .collect();
    recipients.sort_unstable();
    recipients.dedup();
    let notice = Notice {
        kind,
        subject: "partnership",
        subject_id: p.id,
        detail,
    };
    Ok(vec![(notice, recipients)])
}

async fn organization_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    let kind = match event.detail.get("decision").and_then(Value::as_str) {
        Some("verified") => Kind::OrganizationVerified,
        Some("rejected") => Kind::OrganizationRejected,
        Some("pending") => Kind::VerificationReopened,
        _ => return Ok(Vec::new()),
    };
    let Some(org) = organization::Entity::find_by_id(event.entity_id)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let mut detail = json!({ "org": org.name });
    copy_reason(&event.detail, &mut detail);
    let recipients = members_of(txn, &[org.id]).await?;
    let notice = Notice {
        kind,
        subject: "organization",
        subject_id: org.id,
        detail,
    };
    Ok(vec![(notice, recipients)])
}

async fn member_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    let Some(user) = event.detail.get("user_id").and_then(Value::as_i64) else {
        return Ok(Vec::new());
    };
    let Some(org) = organization::Entity::find_by_id(event.entity_id)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let notice = Notice {
        kind: Kind::MemberAdded,
        subject: "organization",
        subject_id: org.id,
        detail: json!({ "org": org.name, "role": event.detail.get("role") }),
    };
    Ok(vec![(notice, vec![user])])
}

/// A submitted application tells the program's lead; a decision tells the applicant.
async fn application_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
    action: &str,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    use entity::{program, program_application};
    let Some(application) = program_application::Entity::find_by_id(event.entity_id)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let Some(program) = program::Entity::find_by_id(application.program_id)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let org = organization::Entity::find_by_id(application.organization_id)
        .one(txn)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let detail = json!({ "name": program.title, "org": org, "status": application.status });
    let (kind, recipients) = match action {
        "application.submit" => (
            Kind::ApplicationReceived,
            members_of(txn, &[program.lead_org_id]).await?,
        ),
        "application.decide" => (
            Kind::ApplicationDecided,
            members_of(txn, &[application.organization_id]).await?,
        ),
        _ => return Ok(Vec::new()),
    };
    let notice = Notice {
        kind,
        subject: "program",
        subject_id: program.id,
        detail,
    };
    Ok(vec![(notice, recipients)])
}

/// An invitation to apply to a program, for the members of the organization invited.
async fn program_invitation_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    let Some(org_id) = event.detail.get("organization_id").and_then(Value::as_i64) else {
        return Ok(Vec::new());
    };
    let Some(program) = entity::program::Entity::find_by_id(event.entity_id)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let notice = Notice {
        kind: Kind::ProgramInvitation,
        subject: "program",
        subject_id: program.id,
        detail: json!({ "name": program.title }),
    };
    Ok(vec![(notice, members_of(txn, &[org_id]).await?)])
}

/// An invitation, for the invitee who has an account (the email with its link goes to everyone).
async fn invitation_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    let email = event
        .detail
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or("");
    let invitee = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Email.eq(email))
        .one(txn)
        .await?;
    let (Some(invitee), Some(org)) = (
        invitee,
        organization::Entity::find_by_id(event.entity_id)
            .one(txn)
            .await?,
    ) else {
        return Ok(Vec::new());
    };
    let notice = Notice {
        kind: Kind::Invitation,
        subject: "organization",
        subject_id: org.id,
        detail: json!({ "org": org.name, "role": event.detail.get("role") }),
    };
    Ok(vec![(notice, vec![invitee.id])])
}

/// Copies the reason given for a step (a common reason's code, words) into a notice's detail.
fn copy_reason(from: &Value, to: &mut Value) {
    for field in ["note", "reason_code", "moderation_reason"] {
        if let Some(value) = from.get(field).filter(|v| !v.is_null()) {
            to[field] = value.clone();
        }
    }
}

/// A new report tells every administrator; an answered one tells its reporter.
async fn report_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    use entity::{ReportTarget, app_user, report};
    let Some(report) = report::Entity::find_by_id(event.entity_id).one(txn).await? else {
        return Ok(Vec::new());
    };
    let title = match report.target {
        ReportTarget::Posting => posting::Entity::find_by_id(report.target_id)
            .one(txn)
            .await?
            .map(|p| p.title),
        ReportTarget::Organization => organization::Entity::find_by_id(report.target_id)
            .one(txn)
            .await?
            .map(|o| o.name),
    };
    let mut detail = json!({
        "target": report.target,
        "target_id": report.target_id,
        "name": title.unwrap_or_default(),
    });
    let (kind, recipients) = match event.action.as_str() {
        "report.create" => {
            detail["excerpt"] = json!(report.reason.chars().take(300).collect::<String>());
            let admins = app_user::Entity::find()
                .filter(app_user::Column::IsAdmin.eq(true))
                .all(txn)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            (Kind::ReportReceived, admins)
        }
        "report.resolve" => {
            detail["status"] = json!(report.status);
            copy_reason(&event.detail, &mut detail);
            (
                Kind::ReportResolved,
                report.reporter_user_id.into_iter().collect(),
            )
        }
        _ => return Ok(Vec::new()),
    };
    let notice = Notice {
        kind,
        subject: "report",
        subject_id: report.id,
        detail,
    };
    Ok(vec![(notice, recipients)])
}

/// A posting hidden or shown again tells its organization; a posting closed tells the
/// organizations whose proposals to or from it wait for an answer.
async fn posting_notices(
    txn: &impl ConnectionTrait,
    event: &Event,
    action: &str,
) -> Result<Vec<(Notice, Vec<i64>)>, DbErr> {
    let verb = action.rsplit('.').next().unwrap_or("");
    if !matches!(verb, "hide" | "restore" | "close") {
        return Ok(Vec::new());
    }
    let Some((posting, Some(org))) = posting::Entity::find_by_id(event.entity_id)
        .find_also_related(organization::Entity)
        .one(txn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let mut detail = json!({
        "posting_title": posting.title,
        "kind": posting.kind,
        "by_org": org.name,
    });
    copy_reason(&event.detail, &mut detail);
    let (kind, orgs) = match verb {
        "hide" => (Kind::PostingHidden, vec![org.id]),
        "restore" => (Kind::PostingRestored, vec![org.id]),
        _ => {
            let waiting: Vec<i64> = partnership::Entity::find()
                .filter(
                    sea_orm::Condition::any()
                        .add(partnership::Column::NeedId.eq(posting.id))
                        .add(partnership::Column::OfferId.eq(posting.id)),
                )
                .filter(partnership::Column::Status.eq(PartnershipStatus::Proposed))
                .all(txn)
                .await?
                .into_iter()
                .map(|p| {
                    if p.need_org_id == org.id {
                        p.offer_org_id
                    } else {
                        p.need_org_id
                    }
                })
                .collect();
            (Kind::PostingClosed, waiting)
        }
    };
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let notice = Notice {
        kind,
        subject: "posting",
        subject_id: posting.id,
        detail,
    };
    Ok(vec![(notice, members_of(txn, &orgs).await?)])
}

/// The address of each recipient and how they receive `topic` by email, in one read (this runs
/// inside the write that causes it).
async fn recipients_of(
    txn: &impl ConnectionTrait,
    users: &[i64],
    topic: Topic,
) -> Result<HashMap<i64, (String, Delivery)>, DbErr> {
    use entity::app_user;
    use sea_orm::sea_query::{ExprTrait, JoinType, Query};
    let pref = notification_preference::Entity;
    let query = Query::select()
        .column((app_user::Entity, app_user::Column::Id))
        .column((app_user::Entity, app_user::Column::Email))
        .column((pref, notification_preference::Column::Delivery))
        .from(app_user::Entity)
        .join(
            JoinType::LeftJoin,
            pref,
            Expr::col((pref, notification_preference::Column::UserId))
                .equals((app_user::Entity, app_user::Column::Id))
                .and(
                    Expr::col((pref, notification_preference::Column::Topic)).eq(Expr::val(topic)),
                ),
        )
        .and_where(Expr::col((app_user::Entity, app_user::Column::Id)).is_in(users.iter().copied()))
        .to_owned();
    let rows = txn.query_all(&query).await?;
    rows.into_iter()
        .map(|row| {
            let id: i64 = row.try_get("", "id")?;
            let address: String = row.try_get("", "email")?;
            let chosen: Option<Delivery> = row.try_get("", "delivery")?;
            Ok((
                id,
                (address, chosen.unwrap_or_else(|| default_delivery(topic))),
            ))
        })
        .collect()
}

/// Tells `recipients` of something Passerelle found itself (a reminder, a suggestion, new search
/// results), in the caller's transaction.
pub async fn tell(
    txn: &impl ConnectionTrait,
    notice: &Notice,
    recipients: &[i64],
) -> Result<(), DbErr> {
    deliver(txn, None, notice, recipients).await
}

/// Writes one notification per recipient and queues the email of those who want it at once.
async fn deliver(
    txn: &impl ConnectionTrait,
    actor: Option<i64>,
    notice: &Notice,
    recipients: &[i64],
) -> Result<(), DbErr> {
    if recipients.is_empty() {
        return Ok(());
    }
    let topic = topic(notice.kind);
    let found = recipients_of(txn, recipients, topic).await?;
    let now = super::now();
    // One statement for the notifications and one for the emails, whatever the number of
    // recipients: this runs inside the write that causes it.
    let rows: Vec<notification::ActiveModel> = recipients
        .iter()
        .filter_map(|user| found.get(user).map(|(_, delivery)| (*user, *delivery)))
        .map(|(user, delivery)| notification::ActiveModel {
            user_id: Set(user),
            kind: Set(notice.kind),
            topic: Set(topic),
            subject: Set(notice.subject.to_owned()),
            subject_id: Set(notice.subject_id),
            actor_user_id: Set(actor),
            detail: Set(notice.detail.clone()),
            email: Set(email_state(notice.kind, delivery)),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        })
        .collect();
    let written = notification::Entity::insert_many(rows)
        .exec_with_returning(txn)
        .await?;
    let emails: Vec<email::ActiveModel> = written
        .iter()
        .filter(|n| n.email == EmailState::Queued)
        .map(|n| {
            email_row(
                Some(n.user_id),
                &found[&n.user_id].0,
                "notification",
                json!({ "notification_id": n.id }),
                now,
            )
        })
        .collect();
    email::Entity::insert_many(emails)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// What becomes of a notification's email, from its recipient's choice for its topic.
fn email_state(kind: Kind, delivery: Delivery) -> EmailState {
    match delivery {
        // The invitation's own email, with its link, is the one sent.
        _ if kind == Kind::Invitation => EmailState::InApp,
        Delivery::Immediate => EmailState::Queued,
        Delivery::Daily => EmailState::Digest,
        Delivery::Off => EmailState::InApp,
    }
}

/// Adds a message to the email outbox, in the caller's transaction.
pub async fn queue_email(
    txn: &impl ConnectionTrait,
    user_id: Option<i64>,
    to_address: &str,
    kind: &str,
    payload: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    email::Entity::insert(email_row(user_id, to_address, kind, payload, now))
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// A message for the email outbox, due now.
fn email_row(
    user_id: Option<i64>,
    to_address: &str,
    kind: &str,
    payload: Value,
    now: DateTime<Utc>,
) -> email::ActiveModel {
    email::ActiveModel {
        user_id: Set(user_id),
        to_address: Set(to_address.to_owned()),
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        status: Set(EmailStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_error: Set(None),
        message_id: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

/// A page of someone's notifications, newest first, and how many are unread.
pub struct Inbox {
    pub items: Vec<notification::Model>,
    /// The id to pass as `before` for the next (older) page; `None` on the last.
    pub next_before: Option<i64>,
    pub unread: u64,
}

/// The user's notifications older than `before` (all when `None`), newest first.
pub async fn list(
    db: &DatabaseConnection,
    user_id: i64,
    before: Option<i64>,
    limit: u64,
) -> AppResult<Inbox> {
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if let Some(before) = before {
        query = query.filter(notification::Column::Id.lt(before));
    }
    let mut items = query
        .order_by_desc(notification::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next_before = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|item| item.id)
    } else {
        None
    };
    Ok(Inbox {
        items,
        next_before,
        unread: unread(db, user_id).await?,
    })
}

/// How many of the user's notifications are unread: the bell's number.
pub async fn unread(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
}

/// Which notifications to mark read.
pub enum Marked {
    Some(Vec<i64>),
    All,
}

/// Marks the user's notifications read (another user's ids are ignored). Returns the unread
/// count after.
pub async fn mark_read(db: &DatabaseConnection, user_id: i64, which: Marked) -> AppResult<u64> {
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::val(super::now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Marked::Some(ids) = which {
        update = update.filter(notification::Column::Id.is_in(ids));
    }
    update.exec(db).await?;
    Ok(unread(db, user_id).await?)
}

/// The link a notification leads to, on this site.
pub fn link(item: &notification::Model) -> String {
    match item.subject.as_str() {
        "partnership" => format!("/partnerships/{}", item.subject_id),
        "organization" => format!("/organizations/{}", item.subject_id),
        "program" => format!("/programs/{}", item.subject_id),
        "posting" => match item.detail.get("kind").and_then(Value::as_str) {
            Some("offer") => format!("/offers/{}", item.subject_id),
            _ => format!("/needs/{}", item.subject_id),
        },
        "report" => match item.kind {
            Kind::ReportReceived => format!("/admin#report-{}", item.subject_id),
            _ => "/notifications".to_owned(),
        },
        "saved_search" => format!(
            "/search?{}",
            item.detail
                .get("query")
                .and_then(Value::as_str)
                .unwrap_or("")
        ),
        _ => "/notifications".to_owned(),
    }
}

/// What a notification says, in the catalog's language: one line, then the reason given, if any.
pub fn describe(item: &notification::Model, t: &Catalog) -> (String, Option<String>) {
    let args: Vec<(&str, String)> = [
        "by_org",
        "need_title",
        "offer_title",
        "need_org",
        "offer_org",
        "org",
        "posting_title",
        "name",
        "status",
        "due",
    ]
    .into_iter()
    .map(|name| {
        let value = item.detail.get(name).and_then(Value::as_str).unwrap_or("");
        (name, value.to_owned())
    })
    .chain(
        item.detail
            .get("expires_at")
            .and_then(Value::as_str)
            .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
            .map(|at| ("expires", crate::i18n::date(at.date_naive(), t.language))),
    )
    .collect();
    let text = t.args(&label_key("notification", item.kind.as_str()), &args);
    let reason: Vec<String> = item
        .detail
        .get("reason_code")
        .and_then(Value::as_str)
        .and_then(entity::ReasonCode::parse)
        .map(|code| t.label("reason", code))
        .into_iter()
        .chain(
            item.detail
                .get("moderation_reason")
                .and_then(Value::as_str)
                .and_then(entity::ModerationReason::parse)
                .map(|code| t.label("moderation-reason", code)),
        )
        .chain(
            item.detail
                .get("note")
                .and_then(Value::as_str)
                .map(|words| t.with("quoted", "words", words)),
        )
        .collect();
    let note = match item.detail.get("excerpt").and_then(Value::as_str) {
        _ if !reason.is_empty() => Some(t.with("notification-note", "note", reason.join(" — "))),
        Some(excerpt) => Some(t.with("notification-excerpt", "excerpt", excerpt)),
        None => None,
    };
    (text, note)
}

/// Signs and checks the links that turn a topic's emails off without signing in.
#[derive(Clone)]
pub struct UnsubscribeKey(Vec<u8>);

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

impl UnsubscribeKey {
    pub fn new(secret: Vec<u8>) -> Self {
        Self(secret)
    }

    fn mac(&self, user_id: i64, topic: Topic) -> HmacSha256 {
        use hmac::Mac;
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(format!("unsubscribe:{user_id}:{}", topic.as_str()).as_bytes());
        mac
    }

    /// `<user>.<topic>.<signature>`: who stops receiving what.
    pub fn token(&self, user_id: i64, topic: Topic) -> String {
        use base64::Engine;
        use hmac::Mac;
        let signature = self.mac(user_id, topic).finalize().into_bytes();
        format!(
            "{user_id}.{}.{}",
            topic.as_str(),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature)
        )
    }

    /// The user and topic of a token this key signed; `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<(i64, Topic)> {
        use base64::Engine;
        use hmac::Mac;
        let mut parts = token.trim().splitn(3, '.');
        let user_id: i64 = parts.next()?.parse().ok()?;
        let topic = Topic::parse(parts.next()?)?;
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts.next()?)
            .ok()?;
        self.mac(user_id, topic)
            .verify_slice(&signature)
            .ok()
            .map(|()| (user_id, topic))
    }
}

/// Each topic with how the user receives it by email, in the order of `Topic::ALL`.
pub async fn preferences(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<(Topic, Delivery)>, DbErr> {
    let chosen: HashMap<Topic, Delivery> = notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|pref| (pref.topic, pref.delivery))
        .collect();
    Ok(Topic::ALL
        .iter()
        .map(|topic| {
            (
                *topic,
                chosen
                    .get(topic)
                    .copied()
                    .unwrap_or_else(|| default_delivery(*topic)),
            )
        })
        .collect())
}

/// Sets how the user receives some topics; the others stay as they are.
pub async fn set_preferences(
    db: &DatabaseConnection,
    user_id: i64,
    changes: &[(Topic, Delivery)],
) -> AppResult<Vec<(Topic, Delivery)>> {
    use sea_orm::sea_query::OnConflict;
    let txn = super::begin_write(db).await?;
    for (topic, delivery) in changes {
        notification_preference::Entity::insert(notification_preference::ActiveModel {
            user_id: Set(user_id),
            topic: Set(*topic),
            delivery: Set(*delivery),
        })
        .on_conflict(
            OnConflict::columns([
                notification_preference::Column::UserId,
                notification_preference::Column::Topic,
            ])
            .update_column(notification_preference::Column::Delivery)
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    super::journal::record(
        &txn,
        Event::new(
            Some(user_id),
            "user.preferences",
            OutboxEntity::AppUser,
            user_id,
            json!(
                changes
                    .iter()
                    .map(|(topic, delivery)| (topic.as_str(), delivery.as_str()))
                    .collect::<HashMap<_, _>>()
            ),
        ),
    )
    .await?;
    super::journal::commit(txn).await?;
    Ok(preferences(db, user_id).await?)
}

/// Turns off the emails of the topic a signed unsubscribe token names. Returns the user's email
/// address and the topic; a token this server did not sign is `None`.
pub async fn unsubscribe(
    db: &DatabaseConnection,
    key: &UnsubscribeKey,
    token: &str,
) -> AppResult<Option<(String, Topic)>> {
    let Some((user_id, topic)) = key.verify(token) else {
        return Ok(None);
    };
    let Some(user) = entity::app_user::Entity::find_by_id(user_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    set_preferences(db, user_id, &[(topic, Delivery::Off)]).await?;
    Ok(Some((user.email, topic)))
}

/// The cursor that records the last digest round (its due time, in Unix seconds).
const DIGEST_CURSOR: &str = "digest.round";

/// The latest moment digests were due at or before `now`: today at `hour` UTC, else yesterday's.
pub fn digest_due(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let today = now
        .date_naive()
        .and_hms_opt(hour.min(23), 0, 0)
        .unwrap_or_default()
        .and_utc();
    if today <= now {
        today
    } else {
        today - chrono::Duration::days(1)
    }
}

/// Claims a daily round due at `due` for this process, in the caller's transaction: `false` when
/// it (or a later one) was run already, here or by another process on the same database.
pub async fn claim_round(
    txn: &impl ConnectionTrait,
    name: &str,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use entity::stream_cursor;
    use sea_orm::sea_query::OnConflict;
    stream_cursor::Entity::insert(stream_cursor::ActiveModel {
        name: Set(name.to_owned()),
        position: Set(0),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(stream_cursor::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let claimed = stream_cursor::Entity::update_many()
        .col_expr(stream_cursor::Column::Position, Expr::val(due.timestamp()))
        .col_expr(stream_cursor::Column::UpdatedAt, Expr::val(now))
        .filter(stream_cursor::Column::Name.eq(name))
        .filter(stream_cursor::Column::Position.lt(due.timestamp()))
        .exec(txn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Once a day at `hour` UTC: each person with notifications waiting for the digest gets one email
/// listing them all. The round is claimed by a conditional update of its cursor, so of several
/// processes one sends it. Returns how many digests were queued.
pub async fn send_digests(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    hour: u32,
) -> AppResult<usize> {
    let txn = super::begin_write(db).await?;
    if !claim_round(&txn, DIGEST_CURSOR, digest_due(now, hour), now).await? {
        return Ok(0);
    }
    let waiting = notification::Entity::find()
        .filter(notification::Column::Email.eq(EmailState::Digest))
        .filter(notification::Column::CreatedAt.lte(now))
        .order_by_asc(notification::Column::Id)
        .all(&txn)
        .await?;
    let mut by_user: HashMap<i64, Vec<i64>> = HashMap::new();
    for item in &waiting {
        by_user.entry(item.user_id).or_default().push(item.id);
    }
    let addresses: HashMap<i64, String> = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Id.is_in(by_user.keys().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|user| (user.id, user.email))
        .collect();
    let mut queued = 0;
    for (user, ids) in &by_user {
        let Some(address) = addresses.get(user) else {
            continue;
        };
        queue_email(
            &txn,
            Some(*user),
            address,
            "digest",
            json!({ "notification_ids": ids }),
            super::now(),
        )
        .await?;
        notification::Entity::update_many()
            .col_expr(
                notification::Column::Email,
                Expr::val(EmailState::Digested.as_str()),
            )
            .filter(notification::Column::Id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?;
        queued += 1;
    }
    super::journal::commit(txn).await?;
    Ok(queued)
}
