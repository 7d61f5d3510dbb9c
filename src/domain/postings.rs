//! Needs and offers: creation and edits by the owning organization's members, visibility rules,
//! and expiry. Every write appends to the outbox and the audit trail in its own transaction.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    Eligibility, Language, OutboxEntity, OutboxOp, PartnershipStatus, PostingKind, PostingStatus,
    StringList, Verification, organization, partnership, posting,
};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};

use super::journal;
use super::organizations::{self, paginate, require_member, require_version, stale_as_conflict};
use super::types::{Page, Province};
use crate::error::{AppError, AppResult, ErrorCode};

/// A parsed new posting.
#[derive(Debug, Clone)]
pub struct NewPosting {
    pub title: String,
    pub description: String,
    pub language: Language,
    pub category: String,
    pub skills: Vec<String>,
    pub province: Option<Province>,
    pub remote: bool,
    pub quantity: i32,
    pub value_cad: Option<i64>,
    pub hours: Option<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub expires_at: Option<DateTime<Utc>>,
    pub status: PostingStatus,
    pub eligibility: Option<Eligibility>,
}

/// A parsed edit: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct PostingChanges {
    pub version: i32,
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<Language>,
    pub category: Option<String>,
    pub skills: Option<Vec<String>>,
    pub province: Option<Option<Province>>,
    pub remote: Option<bool>,
    pub quantity: Option<i32>,
    pub value_cad: Option<Option<i64>>,
    pub hours: Option<Option<i32>>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub status: Option<PostingStatus>,
    pub eligibility: Option<Option<Eligibility>>,
}

/// Who is looking: anonymous, or a user with their organizations.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user_id: Option<i64>,
    pub org_ids: Vec<i64>,
    pub is_admin: bool,
}

impl Viewer {
    /// What the viewer may see: their organizations' postings, and other organizations' postings
    /// that are not drafts, unless an administrator rejected the organization. Administrators see
    /// everything (they moderate).
    fn condition(&self) -> Condition {
        use posting::Column as C;
        if self.is_admin {
            return Condition::all();
        }
        let rejected = sea_orm::sea_query::Query::select()
            .column(organization::Column::Id)
            .from(organization::Entity)
            .and_where(organization::Column::Verification.eq(Verification::Rejected))
            .to_owned();
        Condition::any()
            .add(C::OrganizationId.is_in(self.org_ids.clone()))
            .add(
                Condition::all()
                    .add(C::Status.ne(PostingStatus::Draft))
                    .add(C::OrganizationId.not_in_subquery(rejected)),
            )
    }
}

/// Filters of `GET /needs` and `GET /offers`.
#[derive(Debug, Clone, Default)]
pub struct PostingFilter {
    pub category: Option<String>,
    pub province: Option<Province>,
    pub status: Option<PostingStatus>,
    pub organization_id: Option<i64>,
    pub language: Option<Language>,
    pub after: Option<i64>,
    pub limit: u64,
}

/// Rules that involve more than one field, checked on the posting as it will be stored.
fn check_consistency(posting: &posting::Model, errors: &mut crate::error::FieldErrors) {
    // An offer without a province serves where its eligibility says (or all of Canada); a need
    // is always somewhere, unless it can be met remotely.
    if posting.kind == PostingKind::Need && posting.province.is_none() && !posting.remote {
        errors.add(
            "province",
            "is required unless the need can be met remotely",
        );
    }
    if let (Some(starts), Some(ends)) = (posting.starts_on, posting.ends_on)
        && ends < starts
    {
        errors.add("ends_on", "must not be before starts_on");
    }
    if posting.kind == PostingKind::Need && posting.eligibility.is_some() {
        errors.add("eligibility", "only offers have eligibility rules");
    }
    // Acceptances use up a posting's quantity; at zero it is fulfilled, and reopening it takes
    // new capacity.
    if posting.status == PostingStatus::Open && posting.quantity < 1 {
        errors.add(
            "quantity",
            "is 0 after the partnerships it served; raise it to reopen the posting",
        );
    }
    if posting.status == PostingStatus::Open
        && posting
            .expires_at
            .is_some_and(|expires| expires <= super::now())
    {
        errors.add(
            "expires_at",
            "is in the past; set a later date to open the posting",
        );
    }
}

fn not_found(kind: PostingKind, id: i64) -> AppError {
    AppError::new(
        ErrorCode::PostingNotFound,
        format!("There is no {} {id}.", kind.as_str()),
    )
}

/// Creates a posting for an organization the user belongs to.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: Option<i64>,
    organization_id: i64,
    kind: PostingKind,
    new: NewPosting,
) -> AppResult<posting::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let organization = organizations::get(&txn, organization_id).await?;
    if let Some(user_id) = actor {
        require_member(&txn, user_id, organization_id).await?;
    }
    if organization.verification == Verification::Rejected {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "An administrator rejected this organization; it cannot publish.",
        ));
    }
    if !matches!(
        new.status,
        PostingStatus::Draft | PostingStatus::Open | PostingStatus::Paused
    ) {
        return Err(AppError::field(
            "status",
            "a new posting is draft, open or paused",
        ));
    }
    let now = super::now();
    let model = posting::Model {
        id: 0,
        organization_id,
        kind,
        title: new.title,
        description: new.description,
        language: new.language,
        category: new.category,
        skills: StringList(new.skills),
        province: new.province.map(|p| p.as_str().to_owned()),
        remote: new.remote,
        quantity: new.quantity,
        value_cad: new.value_cad,
        hours: new.hours,
        starts_on: new.starts_on,
        ends_on: new.ends_on,
        expires_at: new.expires_at,
        status: new.status,
        eligibility: new.eligibility,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let mut errors = crate::error::FieldErrors::default();
    check_consistency(&model, &mut errors);
    errors.finish()?;
    let mut active: posting::ActiveModel = model.into();
    active.id = sea_orm::ActiveValue::NotSet;
    let created = active.insert(&txn).await?;
    journal::record_change(&txn, OutboxEntity::Posting, created.id, OutboxOp::Upsert).await?;
    journal::audit(
        &txn,
        actor,
        &format!("{}.create", kind.as_str()),
        OutboxEntity::Posting.as_str(),
        created.id,
        serde_json::json!({ "title": created.title, "status": created.status.as_str() }),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// A posting of this kind that the viewer may see.
pub async fn get(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: PostingKind,
    id: i64,
) -> AppResult<posting::Model> {
    posting::Entity::find_by_id(id)
        .filter(posting::Column::Kind.eq(kind))
        .filter(viewer.condition())
        .one(db)
        .await?
        .ok_or_else(|| not_found(kind, id))
}

/// One page of postings the viewer may see, newest first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: PostingKind,
    filter: &PostingFilter,
) -> AppResult<Page<posting::Model>> {
    use posting::Column as C;
    let mut query = posting::Entity::find()
        .filter(C::Kind.eq(kind))
        .order_by_desc(C::Id)
        .limit(filter.limit + 1);
    query = query.filter(viewer.condition());
    if let Some(category) = &filter.category {
        query = query.filter(C::Category.eq(category));
    }
    if let Some(province) = filter.province {
        query = query.filter(C::Province.eq(province.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(C::Status.eq(status));
    }
    if let Some(organization_id) = filter.organization_id {
        query = query.filter(C::OrganizationId.eq(organization_id));
    }
    if let Some(language) = filter.language {
        query = query.filter(C::Language.eq(language));
    }
    if let Some(after) = filter.after {
        query = query.filter(C::Id.lt(after));
    }
    let mut items = query.all(db).await?;
    Ok(paginate(&mut items, filter.limit, |p| p.id))
}

/// Loads a posting for writing: it must exist, be of this kind and belong to one of the user's
/// organizations. Another organization's draft is reported as missing, a public posting as forbidden.
async fn load_for_write(
    txn: &impl ConnectionTrait,
    user_id: i64,
    kind: PostingKind,
    id: i64,
) -> AppResult<posting::Model> {
    let posting = posting::Entity::find_by_id(id)
        .filter(posting::Column::Kind.eq(kind))
        .one(txn)
        .await?
        .ok_or_else(|| not_found(kind, id))?;
    let org_ids = organizations::member_org_ids(txn, user_id).await?;
    if !org_ids.contains(&posting.organization_id) {
        return Err(if posting.status == PostingStatus::Draft {
            not_found(kind, id)
        } else {
            AppError::new(
                ErrorCode::Forbidden,
                format!(
                    "Only members of organization {} may change it.",
                    posting.organization_id
                ),
            )
        });
    }
    Ok(posting)
}

/// Applies an edit by a member of the owning organization, checking the version they read.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    kind: PostingKind,
    id: i64,
    changes: PostingChanges,
) -> AppResult<posting::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let current = load_for_write(&txn, user_id, kind, id).await?;
    require_version(current.version, changes.version)?;
    if changes.status == Some(PostingStatus::Expired) {
        return Err(AppError::field(
            "status",
            "expired is set by Passerelle when expires_at passes; use closed",
        ));
    }
    let mut next = current.clone();
    macro_rules! apply {
        ($($field:ident),+) => { $(if let Some(value) = changes.$field { next.$field = value; })+ };
    }
    apply!(
        title,
        description,
        language,
        category,
        remote,
        quantity,
        value_cad,
        hours
    );
    apply!(starts_on, ends_on, expires_at, status, eligibility);
    if let Some(skills) = changes.skills {
        next.skills = StringList(skills);
    }
    if let Some(province) = changes.province {
        next.province = province.map(|p| p.as_str().to_owned());
    }
    let mut errors = crate::error::FieldErrors::default();
    check_consistency(&next, &mut errors);
    errors.finish()?;
    // An edit that changes nothing writes nothing, so it cannot make other writers' versions stale.
    if next == current {
        return Ok(current);
    }
    next.version = current.version + 1;
    next.updated_at = super::now();

    // Mark every column as changed; unchanged values are rewritten, which is harmless.
    let mut active = posting::ActiveModel::from(next).reset_all();
    active.id = sea_orm::ActiveValue::Unchanged(id);
    active.created_at = sea_orm::ActiveValue::Unchanged(current.created_at);
    let updated = posting::Entity::update(active)
        .validate()?
        .filter(posting::Column::Version.eq(current.version))
        .exec(&txn)
        .await
        .map_err(stale_as_conflict)?;
    journal::record_change(&txn, OutboxEntity::Posting, id, OutboxOp::Upsert).await?;
    journal::audit(
        &txn,
        Some(user_id),
        &format!("{}.update", kind.as_str()),
        OutboxEntity::Posting.as_str(),
        id,
        serde_json::json!({ "version": updated.version, "status": updated.status.as_str() }),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a posting of one of the user's organizations.
pub async fn delete(
    db: &DatabaseConnection,
    user_id: i64,
    kind: PostingKind,
    id: i64,
) -> AppResult<()> {
    let txn = crate::domain::begin_write(db).await?;
    let current = load_for_write(&txn, user_id, kind, id).await?;
    // Deleting would take the other organization's record of the partnership with it.
    let column = match kind {
        PostingKind::Need => partnership::Column::NeedId,
        PostingKind::Offer => partnership::Column::OfferId,
    };
    if let Some(kept) = partnership::Entity::find()
        .filter(column.eq(id))
        .filter(partnership::Column::Status.is_in([
            PartnershipStatus::Accepted,
            PartnershipStatus::Active,
            PartnershipStatus::Completed,
            PartnershipStatus::Cancelled,
        ]))
        .one(&txn)
        .await?
    {
        return Err(AppError::new(
            ErrorCode::PostingInPartnership,
            format!(
                "This {} is part of partnership {}, which both organizations agreed to; close it \
                 (`status: closed`) instead of deleting it.",
                kind.as_str(),
                kept.id
            ),
        ));
    }
    posting::Entity::delete_by_id(id).exec(&txn).await?;
    journal::record_change(&txn, OutboxEntity::Posting, id, OutboxOp::Delete).await?;
    journal::audit(
        &txn,
        Some(user_id),
        &format!("{}.delete", kind.as_str()),
        OutboxEntity::Posting.as_str(),
        id,
        serde_json::json!({ "title": current.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Marks open and paused postings whose `expires_at` has passed as expired. Returns how many.
pub async fn expire_due(db: &DatabaseConnection) -> AppResult<usize> {
    use posting::Column as C;
    let txn = crate::domain::begin_write(db).await?;
    let now = super::now();
    let due = posting::Entity::find()
        .filter(C::Status.is_in([PostingStatus::Open, PostingStatus::Paused]))
        .filter(C::ExpiresAt.lte(now))
        .limit(500)
        .all(&txn)
        .await?;
    for posting in &due {
        let mut active: posting::ActiveModel = posting.clone().into();
        active.status = Set(PostingStatus::Expired);
        active.version = Set(posting.version + 1);
        active.updated_at = Set(now);
        active.update(&txn).await?;
        journal::record_change(&txn, OutboxEntity::Posting, posting.id, OutboxOp::Upsert).await?;
        journal::audit(
            &txn,
            None,
            &format!("{}.expire", posting.kind.as_str()),
            OutboxEntity::Posting.as_str(),
            posting.id,
            serde_json::json!({}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(due.len())
}
