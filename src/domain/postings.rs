//! Needs and offers: creation and edits by the owning organization's members, visibility rules,
//! and expiry. Every write appends to the outbox and the audit trail in its own transaction.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    Eligibility, Language, OrgKind, OutboxEntity, PartnershipStatus, PostingKind, PostingStatus,
    PostingUnit, ReasonCode, SizeBand, StringList, TaxonomyKind, Verification, organization,
    partnership, posting,
};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::accounts::Viewer;
use super::journal;
use super::organizations::{self, paginate, require_member, require_version, stale_as_conflict};
use super::schemas::{
    CategoryCode, CauseAreaCode, NewPostingStatus, PostingDescription, PostingStatusChange,
    PostingTitle, ProvinceCode, SkillCode, VerificationNote,
};
use super::taxonomy::Taxonomy;
use super::types::{self, Page, Province, double_option, non_null};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, Parsed};
use serde_json::json;

/// Who may receive an offer. Empty lists mean "anyone".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EligibilityInput {
    pub org_kinds: Vec<OrgKind>,
    /// Two-letter province or territory codes.
    #[schema(value_type = Vec<ProvinceCode>)]
    pub provinces: Vec<String>,
    /// Cause-area codes from the taxonomy (at most 20).
    #[schema(value_type = Vec<CauseAreaCode>, max_items = 20)]
    pub cause_areas: Vec<String>,
    pub requires_charity_number: bool,
    /// Organization sizes the offer suits best (ranks matches; does not exclude).
    pub preferred_sizes: Vec<SizeBand>,
}

impl EligibilityInput {
    pub(crate) fn parse(
        self,
        taxonomy: &Taxonomy,
        errors: &mut FieldErrors,
    ) -> Option<Eligibility> {
        let mut provinces = Vec::new();
        for raw in &self.provinces {
            let province = errors.check("eligibility.provinces", Province::parse(raw))?;
            if !provinces.contains(&province.as_str().to_owned()) {
                provinces.push(province.as_str().to_owned());
            }
        }
        let cause_areas = errors.check(
            "eligibility.cause_areas",
            taxonomy.check_all(TaxonomyKind::CauseArea, &self.cause_areas, 20),
        )?;
        let mut org_kinds = self.org_kinds;
        org_kinds.dedup();
        let mut preferred_sizes = self.preferred_sizes;
        preferred_sizes.dedup();
        Some(Eligibility {
            org_kinds,
            provinces,
            cause_areas,
            requires_charity_number: self.requires_charity_number,
            preferred_sizes,
        })
    }
}

/// A new need or offer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingInput {
    /// Which of your organizations publishes it; required if you belong to several.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// 5 to 200 characters.
    #[schema(value_type = PostingTitle)]
    pub title: String,
    /// 10 to 10,000 characters.
    #[schema(value_type = PostingDescription)]
    pub description: String,
    pub language: Language,
    /// A category code from the taxonomy.
    #[schema(value_type = CategoryCode)]
    pub category: String,
    /// Skill codes from the taxonomy (at most 10).
    #[serde(default)]
    #[schema(value_type = Vec<SkillCode>, max_items = 10)]
    pub skills: Vec<String>,
    /// Two-letter province or territory code; required for a need unless `remote`.
    #[serde(default)]
    #[schema(value_type = Option<ProvinceCode>)]
    pub province: Option<String>,
    /// Can be done or delivered remotely.
    #[serde(default)]
    pub remote: bool,
    /// Needs: how many are wanted. Offers: how many can be given. 1 to 100,000; default 1.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100_000)]
    pub quantity: Option<i32>,
    /// What `quantity` counts; default `items`.
    #[serde(default)]
    pub unit: Option<PostingUnit>,
    /// One partnership takes all of it: a need one partner meets whole, an offer for a single
    /// organization. Otherwise each partnership takes the units it agreed on. Default `false`.
    #[serde(default)]
    pub filled_by_one: bool,
    /// Estimated value in whole Canadian dollars, 0 to 100,000,000.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub value_cad: Option<i64>,
    /// Volunteer or pro-bono hours, 0 to 100,000.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100_000)]
    pub hours: Option<i32>,
    /// In the years 2000 to 2100.
    #[serde(default)]
    #[schema(pattern = "^(?:20[0-9][0-9]|2100)-")]
    pub starts_on: Option<NaiveDate>,
    /// In the years 2000 to 2100, not before `starts_on`.
    #[serde(default)]
    #[schema(pattern = "^(?:20[0-9][0-9]|2100)-")]
    pub ends_on: Option<NaiveDate>,
    /// After this instant the posting expires and leaves search: in the future, before 2101.
    #[serde(default)]
    #[schema(pattern = "^(?:20[0-9][0-9]|2100)-")]
    pub expires_at: Option<DateTime<Utc>>,
    /// `draft`, `open` (default) or `paused`.
    #[serde(default)]
    #[schema(value_type = Option<NewPostingStatus>)]
    pub status: Option<PostingStatus>,
    /// Offers only.
    #[serde(default)]
    pub eligibility: Option<EligibilityInput>,
}

/// A whole number within `range`.
fn within<T: PartialOrd + Copy + Into<i64>>(
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Parsed<T> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::OutOfRange.with([
            ("min", json!((*range.start()).into())),
            ("max", json!((*range.end()).into())),
        ]))
    }
}

fn check_quantity(value: i32) -> Parsed<i32> {
    within(value, 1..=100_000)
}

fn check_value(value: i64) -> Parsed<i64> {
    within(value, 0..=100_000_000)
}

fn check_hours(value: i32) -> Parsed<i32> {
    within(value, 0..=100_000)
}

/// The years a posting's dates may fall in: what a partnership can plan for, and what every
/// client reads back as RFC 3339 (a year past 9999 cannot be written that way).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub(crate) fn check_date(value: NaiveDate) -> Parsed<NaiveDate> {
    use chrono::Datelike;
    if YEARS.contains(&value.year()) {
        Ok(value)
    } else {
        Err(Invalid::YearOutOfRange
            .with([("min", json!(YEARS.start())), ("max", json!(YEARS.end()))]))
    }
}

fn check_future(value: DateTime<Utc>) -> Parsed<DateTime<Utc>> {
    check_date(value.date_naive())?;
    if value > Utc::now() {
        Ok(value)
    } else {
        Err(Invalid::NotInFuture.into())
    }
}

fn check_title(raw: &str) -> Parsed<String> {
    types::line(raw, 5, 200)
}

fn check_description(raw: &str) -> Parsed<String> {
    types::text(raw, 10, 10_000)
}

impl PostingInput {
    /// Parses every field, collecting all the messages at once.
    pub fn parse(self, kind: PostingKind, taxonomy: &Taxonomy) -> AppResult<NewPosting> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", check_title(&self.title));
        let description = errors.check("description", check_description(&self.description));
        let category = errors.check(
            "category",
            taxonomy.check(TaxonomyKind::Category, &self.category),
        );
        let skills = errors.check(
            "skills",
            taxonomy.check_all(TaxonomyKind::Skill, &self.skills, 10),
        );
        let province = errors.check(
            "province",
            self.province.as_deref().map(Province::parse).transpose(),
        );
        let quantity = errors.check("quantity", check_quantity(self.quantity.unwrap_or(1)));
        let value_cad = errors.check("value_cad", self.value_cad.map(check_value).transpose());
        let hours = errors.check("hours", self.hours.map(check_hours).transpose());
        let starts_on = errors.check("starts_on", self.starts_on.map(check_date).transpose());
        let ends_on = errors.check("ends_on", self.ends_on.map(check_date).transpose());
        let expires_at = errors.check("expires_at", self.expires_at.map(check_future).transpose());
        let eligibility = match (kind, self.eligibility) {
            (_, None) => Some(None),
            (PostingKind::Offer, Some(input)) => input.parse(taxonomy, &mut errors).map(Some),
            (PostingKind::Need, Some(_)) => {
                errors.add("eligibility", Invalid::OffersOnly);
                None
            }
        };
        errors.finish()?;
        Ok(NewPosting {
            title: FieldErrors::parsed(title)?,
            description: FieldErrors::parsed(description)?,
            language: self.language,
            category: FieldErrors::parsed(category)?,
            skills: FieldErrors::parsed(skills)?,
            province: FieldErrors::parsed(province)?,
            remote: self.remote,
            quantity: FieldErrors::parsed(quantity)?,
            unit: self.unit.unwrap_or(PostingUnit::Items),
            filled_by_one: self.filled_by_one,
            value_cad: FieldErrors::parsed(value_cad)?,
            hours: FieldErrors::parsed(hours)?,
            starts_on: FieldErrors::parsed(starts_on)?,
            ends_on: FieldErrors::parsed(ends_on)?,
            expires_at: FieldErrors::parsed(expires_at)?,
            status: self.status.unwrap_or(PostingStatus::Open),
            eligibility: FieldErrors::parsed(eligibility)?,
        })
    }
}

/// An edit of a posting. Absent fields stay; `null` clears an optional field. (`Default` is the
/// edit that changes nothing.)
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingPatch {
    /// The `version` you read; a stale one is refused with 409.
    pub version: i32,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = PostingTitle)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = PostingDescription)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = Language)]
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = CategoryCode)]
    pub category: Option<String>,
    /// At most 10.
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = Vec<SkillCode>, max_items = 10)]
    pub skills: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<ProvinceCode>)]
    pub province: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = bool)]
    pub remote: Option<bool>,
    /// 1 to 100,000.
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = i32, minimum = 1, maximum = 100_000)]
    pub quantity: Option<i32>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = PostingUnit)]
    pub unit: Option<PostingUnit>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = bool)]
    pub filled_by_one: Option<bool>,
    /// 0 to 100,000,000.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100_000_000)]
    pub value_cad: Option<Option<i64>>,
    /// 0 to 100,000.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i32>, minimum = 0, maximum = 100_000)]
    pub hours: Option<Option<i32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>, pattern = "^(?:20[0-9][0-9]|2100)-")]
    pub starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>, pattern = "^(?:20[0-9][0-9]|2100)-")]
    pub ends_on: Option<Option<NaiveDate>>,
    /// In the future, before 2101.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>, pattern = "^(?:20[0-9][0-9]|2100)-")]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// `draft`, `open`, `paused`, `fulfilled` or `closed`.
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = PostingStatusChange)]
    pub status: Option<PostingStatus>,
    /// Offers only; `null` removes every rule.
    #[serde(default, deserialize_with = "double_option")]
    pub eligibility: Option<Option<EligibilityInput>>,
    /// With `status: closed`: one of the common reasons, told to the organizations whose
    /// proposals wait.
    #[serde(default)]
    pub reason_code: Option<ReasonCode>,
    /// With `status: closed`: why, in words those organizations read.
    #[serde(default)]
    #[schema(value_type = Option<VerificationNote>)]
    pub reason: Option<String>,
}

/// Checks an optional field that may be cleared.
fn patch_value<T, U>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<Option<T>>,
    check: impl FnOnce(T) -> Parsed<U>,
) -> Option<Option<U>> {
    match value? {
        None => Some(None),
        Some(value) => errors.check(field, check(value)).map(Some),
    }
}

impl PostingPatch {
    pub fn parse(self, kind: PostingKind, taxonomy: &Taxonomy) -> AppResult<PostingChanges> {
        let mut errors = FieldErrors::default();
        let mut changes = PostingChanges {
            version: self.version,
            language: self.language,
            remote: self.remote,
            unit: self.unit,
            filled_by_one: self.filled_by_one,
            status: self.status,
            ..Default::default()
        };
        changes.title = self
            .title
            .and_then(|t| errors.check("title", check_title(&t)));
        changes.description = self
            .description
            .and_then(|d| errors.check("description", check_description(&d)));
        changes.category = self
            .category
            .and_then(|c| errors.check("category", taxonomy.check(TaxonomyKind::Category, &c)));
        changes.skills = self
            .skills
            .and_then(|s| errors.check("skills", taxonomy.check_all(TaxonomyKind::Skill, &s, 10)));
        changes.province = patch_value(&mut errors, "province", self.province, |p| {
            Province::parse(&p)
        });
        changes.quantity = self
            .quantity
            .and_then(|q| errors.check("quantity", check_quantity(q)));
        changes.value_cad = patch_value(&mut errors, "value_cad", self.value_cad, check_value);
        changes.hours = patch_value(&mut errors, "hours", self.hours, check_hours);
        changes.starts_on = patch_value(&mut errors, "starts_on", self.starts_on, check_date);
        changes.ends_on = patch_value(&mut errors, "ends_on", self.ends_on, check_date);
        changes.expires_at = patch_value(&mut errors, "expires_at", self.expires_at, check_future);
        changes.reason_code = self.reason_code;
        changes.reason = match self.reason.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(words) => errors.check("reason", types::text(words, 1, 1_000)),
        };
        changes.eligibility = match (kind, self.eligibility) {
            // A need has no eligibility rules: `null` (none) leaves it as it is.
            (_, None) | (PostingKind::Need, Some(None)) => None,
            (PostingKind::Need, Some(Some(_))) => {
                errors.add("eligibility", Invalid::OffersOnly);
                None
            }
            (PostingKind::Offer, Some(None)) => Some(None),
            (PostingKind::Offer, Some(Some(input))) => input.parse(taxonomy, &mut errors).map(Some),
        };
        errors.finish()?;
        Ok(changes)
    }
}

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
    pub unit: PostingUnit,
    pub filled_by_one: bool,
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
    pub unit: Option<PostingUnit>,
    pub filled_by_one: Option<bool>,
    pub value_cad: Option<Option<i64>>,
    pub hours: Option<Option<i32>>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub status: Option<PostingStatus>,
    pub eligibility: Option<Option<Eligibility>>,
    /// Why it closes (kept only when `status` becomes closed).
    pub reason_code: Option<ReasonCode>,
    pub reason: Option<String>,
}

/// What a viewer may see: their organizations' postings, and others' that are neither drafts,
/// hidden by an administrator, nor of a rejected organization (administrators see everything).
pub fn visible_to(viewer: &Viewer) -> Condition {
    use posting::Column as C;
    if viewer.is_admin {
        return Condition::all();
    }
    let rejected = sea_orm::sea_query::Query::select()
        .column(organization::Column::Id)
        .from(organization::Entity)
        .and_where(organization::Column::Verification.eq(Verification::Rejected))
        .to_owned();
    Condition::any()
        .add(C::OrganizationId.is_in(viewer.org_ids.clone()))
        .add(
            Condition::all()
                .add(C::Status.ne(PostingStatus::Draft))
                .add(C::HiddenAt.is_null())
                .add(C::OrganizationId.not_in_subquery(rejected)),
        )
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
        errors.add("province", Invalid::ProvinceRequired);
    }
    if let (Some(starts), Some(ends)) = (posting.starts_on, posting.ends_on)
        && ends < starts
    {
        errors.add("ends_on", Invalid::BeforeStart);
    }
    if posting.kind == PostingKind::Need && posting.eligibility.is_some() {
        errors.add("eligibility", Invalid::OffersOnly);
    }
    // Acceptances use up a posting's quantity; at zero it is fulfilled, and reopening it takes
    // new capacity.
    if posting.status == PostingStatus::Open && posting.quantity < 1 {
        errors.add(
            "quantity",
            Invalid::UsedUp.with([("quantity", json!(posting.quantity))]),
        );
    }
    if posting.status == PostingStatus::Open
        && posting
            .expires_at
            .is_some_and(|expires| expires <= super::now())
    {
        errors.add("expires_at", Invalid::ExpiredOpen);
    }
}

fn not_found(kind: PostingKind, id: i64) -> AppError {
    AppError::new(
        ErrorCode::PostingNotFound,
        format!("There is no {} {id}.", kind.as_str()),
    )
}

/// The organization that publishes a user's posting: the one asked for, else the user's only
/// organization.
pub async fn publisher(
    db: &impl ConnectionTrait,
    user_id: i64,
    requested: Option<i64>,
) -> AppResult<i64> {
    if let Some(id) = requested {
        return Ok(id);
    }
    match organizations::member_org_ids(db, user_id).await?.as_slice() {
        [id] => Ok(*id),
        [] => Err(AppError::field("organization_id", Invalid::NoOrganization)),
        _ => Err(AppError::field(
            "organization_id",
            Invalid::SeveralOrganizations,
        )),
    }
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
    let created = insert(&txn, actor, organization_id, kind, new).await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// Creates a posting in the caller's transaction (`create` without the commit).
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    actor: Option<i64>,
    organization_id: i64,
    kind: PostingKind,
    new: NewPosting,
) -> AppResult<posting::Model> {
    let organization = organizations::get(txn, organization_id).await?;
    if let Some(user_id) = actor {
        require_member(txn, user_id, organization_id).await?;
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
        return Err(AppError::field("status", Invalid::NewPostingStatus));
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
        unit: new.unit,
        filled_by_one: new.filled_by_one,
        value_cad: new.value_cad,
        hours: new.hours,
        starts_on: new.starts_on,
        ends_on: new.ends_on,
        expires_at: new.expires_at,
        status: new.status,
        eligibility: new.eligibility,
        hidden_code: None,
        hidden_reason: None,
        hidden_at: None,
        closing_note: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let mut errors = crate::error::FieldErrors::default();
    check_consistency(&model, &mut errors);
    errors.finish()?;
    let mut active: posting::ActiveModel = model.into();
    active.id = sea_orm::ActiveValue::NotSet;
    let created = active.insert(txn).await?;
    journal::record(
        txn,
        journal::Event::new(
            actor,
            format!("{}.create", kind.as_str()),
            OutboxEntity::Posting,
            created.id,
            serde_json::json!({ "title": created.title, "status": created.status.as_str() }),
        ),
    )
    .await?;
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
        .filter(visible_to(viewer))
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
    query = query.filter(visible_to(viewer));
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
        return Err(AppError::field("status", Invalid::ExpiredStatus));
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
        unit,
        filled_by_one,
        value_cad,
        hours
    );
    apply!(starts_on, ends_on, expires_at, status, eligibility);
    let closing = next.status == PostingStatus::Closed && current.status != PostingStatus::Closed;
    if closing {
        next.closing_note = changes.reason.clone();
    } else if next.status != PostingStatus::Closed {
        next.closing_note = None;
    }
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
    let (verb, detail) = if closing {
        let reason_code = changes.reason_code.map(ReasonCode::as_str);
        let detail = serde_json::json!({ "version": updated.version, "status": "closed", "note": changes.reason, "reason_code": reason_code });
        ("close", detail)
    } else {
        let detail =
            serde_json::json!({ "version": updated.version, "status": updated.status.as_str() });
        ("update", detail)
    };
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            format!("{}.{verb}", kind.as_str()),
            OutboxEntity::Posting,
            id,
            detail,
        ),
    )
    .await?;
    journal::commit(txn).await?;
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
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            format!("{}.delete", kind.as_str()),
            OutboxEntity::Posting,
            id,
            serde_json::json!({ "title": current.title }),
        )
        .deleted(),
    )
    .await?;
    journal::commit(txn).await?;
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
        journal::record(
            &txn,
            journal::Event::new(
                None,
                format!("{}.expire", posting.kind.as_str()),
                OutboxEntity::Posting,
                posting.id,
                serde_json::json!({}),
            ),
        )
        .await?;
    }
    journal::commit(txn).await?;
    Ok(due.len())
}
