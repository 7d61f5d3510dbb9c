//! Organizations: creation, profile edits by their members, verification by administrators.

use chrono::Utc;
use entity::{
    Language, OrgKind, OutboxEntity, Role, SizeBand, StringList, TaxonomyKind, Verification,
    app_user, membership, organization,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, TryIntoModel,
};

use serde::Deserialize;
use utoipa::ToSchema;

use super::accounts::Viewer;
use super::journal;
use super::schemas::{
    CauseAreaCode, CharityNumberCode, City, OptionalEmail, OrganizationDescription,
    OrganizationName, Phone, ProvinceCode, VerificationNote, WebsiteAddress,
};
use super::taxonomy::Taxonomy;
use super::types::{
    self, CharityNumber, Email, Page, Province, Website, cursor, double_option, non_null,
};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, Parsed};

/// An organization's profile as sent when registering.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationInput {
    /// 2 to 200 characters.
    #[schema(value_type = OrganizationName)]
    pub name: String,
    pub kind: OrgKind,
    #[serde(default)]
    #[schema(value_type = Option<OrganizationDescription>)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<WebsiteAddress>)]
    pub website: Option<String>,
    /// Two-letter province or territory code (`QC`, `ON`, ...).
    #[schema(value_type = ProvinceCode)]
    pub province: String,
    #[serde(default)]
    #[schema(value_type = Option<City>)]
    pub city: Option<String>,
    /// Working languages, `en` and/or `fr`; default `["en"]`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Language>>, min_items = 1)]
    pub languages: Option<Vec<String>>,
    /// Cause-area codes from the taxonomy (at most 10).
    #[serde(default)]
    #[schema(value_type = Vec<CauseAreaCode>, max_items = 10)]
    pub cause_areas: Vec<String>,
    #[serde(default)]
    pub size: Option<SizeBand>,
    /// CRA charity registration number, `123456789RR0001`.
    #[serde(default)]
    #[schema(value_type = Option<CharityNumberCode>)]
    pub charity_number: Option<String>,
    /// Private to the organization's members; defaults to the registering user's email.
    #[serde(default)]
    #[schema(value_type = Option<OptionalEmail>)]
    pub contact_email: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Phone>)]
    pub contact_phone: Option<String>,
}

fn check_name(raw: &str) -> Parsed<String> {
    types::line(raw, 2, 200)
}

fn check_description(raw: &str) -> Parsed<String> {
    types::text(raw, 0, 5_000)
}

fn check_cause_areas(taxonomy: &Taxonomy, codes: &[String]) -> Parsed<Vec<String>> {
    taxonomy.check_all(TaxonomyKind::CauseArea, codes, 10)
}

fn parse_languages(raw: &[String]) -> Parsed<Vec<Language>> {
    if raw.is_empty() {
        return Err(Invalid::NoLanguage.into());
    }
    let mut languages = Vec::new();
    for code in raw {
        let language = types::language(code)?;
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    Ok(languages)
}

impl OrganizationInput {
    /// Parses into a new organization; messages go to `errors` under `prefix.field`.
    pub fn parse(
        self,
        prefix: &str,
        taxonomy: &Taxonomy,
        errors: &mut FieldErrors,
    ) -> Option<NewOrganization> {
        let f = |field: &str| format!("{prefix}{field}");
        let name = errors.check(&f("name"), check_name(&self.name));
        let description = errors.check(
            &f("description"),
            check_description(self.description.as_deref().unwrap_or("")),
        );
        let website = errors.check(
            &f("website"),
            self.website
                .as_deref()
                .filter(|w| !w.trim().is_empty())
                .map(Website::parse)
                .transpose(),
        );
        let province = errors.check(&f("province"), Province::parse(&self.province));
        let city = errors.check(&f("city"), types::optional_text(self.city.as_deref(), 100));
        let languages = errors.check(
            &f("languages"),
            parse_languages(self.languages.as_deref().unwrap_or(&["en".to_owned()])),
        );
        let cause_areas = errors.check(
            &f("cause_areas"),
            check_cause_areas(taxonomy, &self.cause_areas),
        );
        let charity_number = errors.check(
            &f("charity_number"),
            self.charity_number
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .map(CharityNumber::parse)
                .transpose(),
        );
        let contact_email = errors.check(
            &f("contact_email"),
            self.contact_email
                .as_deref()
                .filter(|e| !e.trim().is_empty())
                .map(|e| Email::parse(e).map(|e| e.as_str().to_owned()))
                .transpose(),
        );
        let contact_phone = errors.check(
            &f("contact_phone"),
            self.contact_phone
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(types::phone)
                .transpose(),
        );
        Some(NewOrganization {
            name: name?,
            kind: self.kind,
            description: description?,
            website: website?,
            province: province?,
            city: city?,
            languages: languages?,
            cause_areas: cause_areas?,
            size: self.size,
            charity_number: charity_number?,
            contact_email: contact_email?,
            contact_phone: contact_phone?,
        })
    }
}

/// A profile edit. Absent fields stay as they are; `null` clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    /// The `version` you read; a stale one is refused with 409.
    pub version: i32,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = OrganizationName)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = OrgKind)]
    pub kind: Option<OrgKind>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = OrganizationDescription)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<WebsiteAddress>)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = ProvinceCode)]
    pub province: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<City>)]
    pub city: Option<Option<String>>,
    /// `en` and/or `fr`.
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = Vec<Language>, min_items = 1)]
    pub languages: Option<Vec<String>>,
    /// At most 10.
    #[serde(default, deserialize_with = "non_null")]
    #[schema(value_type = Vec<CauseAreaCode>, max_items = 10)]
    pub cause_areas: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<SizeBand>)]
    pub size: Option<Option<SizeBand>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<CharityNumberCode>)]
    pub charity_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<OptionalEmail>)]
    pub contact_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Phone>)]
    pub contact_phone: Option<Option<String>>,
}

/// Parses an optional value of a patch: `None` stays, `Some(None)` or blank clears.
fn patch_optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<Option<String>>,
    parse: impl FnOnce(&str) -> Parsed<T>,
) -> Option<Option<T>> {
    match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) if raw.trim().is_empty() => Some(None),
        Some(Some(raw)) => errors.check(field, parse(&raw)).map(Some),
    }
}

impl OrganizationPatch {
    pub fn parse(self, taxonomy: &Taxonomy) -> AppResult<OrganizationChanges> {
        let mut errors = FieldErrors::default();
        let mut changes = OrganizationChanges {
            version: self.version,
            kind: self.kind,
            ..Default::default()
        };
        changes.name = self.name.and_then(|n| errors.check("name", check_name(&n)));
        changes.description = self
            .description
            .and_then(|d| errors.check("description", check_description(&d)));
        changes.website = patch_optional(&mut errors, "website", self.website, Website::parse);
        changes.province = self
            .province
            .and_then(|p| errors.check("province", Province::parse(&p)));
        changes.city = patch_optional(&mut errors, "city", self.city, |c| types::line(c, 1, 100));
        changes.languages = self
            .languages
            .and_then(|l| errors.check("languages", parse_languages(&l)));
        changes.cause_areas = self
            .cause_areas
            .and_then(|c| errors.check("cause_areas", check_cause_areas(taxonomy, &c)));
        changes.size = self.size;
        changes.charity_number = patch_optional(
            &mut errors,
            "charity_number",
            self.charity_number,
            CharityNumber::parse,
        );
        changes.contact_email = patch_optional(
            &mut errors,
            "contact_email",
            self.contact_email,
            Email::parse,
        );
        changes.contact_phone = patch_optional(
            &mut errors,
            "contact_phone",
            self.contact_phone,
            types::phone,
        );
        errors.finish()?;
        Ok(changes)
    }
}

/// An administrator's decision on an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationRequest {
    /// `verified` or `rejected` (or `pending` to reopen).
    pub decision: Verification,
    /// Why, in words the organization's members read (and the audit trail keeps).
    #[serde(default, alias = "reason")]
    #[schema(value_type = Option<VerificationNote>)]
    pub note: Option<String>,
    /// One of the common reasons, mostly for a rejection.
    #[serde(default)]
    pub reason_code: Option<entity::ModerationReason>,
}

/// A parsed new organization.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub kind: OrgKind,
    pub description: String,
    pub website: Option<Website>,
    pub province: Province,
    pub city: Option<String>,
    pub languages: Vec<Language>,
    pub cause_areas: Vec<String>,
    pub size: Option<SizeBand>,
    pub charity_number: Option<CharityNumber>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// A parsed profile edit: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct OrganizationChanges {
    pub version: i32,
    pub name: Option<String>,
    pub kind: Option<OrgKind>,
    pub description: Option<String>,
    pub website: Option<Option<Website>>,
    pub province: Option<Province>,
    pub city: Option<Option<String>>,
    pub languages: Option<Vec<Language>>,
    pub cause_areas: Option<Vec<String>>,
    pub size: Option<Option<SizeBand>>,
    pub charity_number: Option<Option<CharityNumber>>,
    pub contact_email: Option<Option<Email>>,
    pub contact_phone: Option<Option<String>>,
}

/// Filters of `GET /organizations`.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    pub kind: Option<OrgKind>,
    pub province: Option<Province>,
    pub verification: Option<Verification>,
    /// Words the name contains, whatever their case.
    pub name: Option<String>,
    pub after: Option<i64>,
    pub limit: u64,
}

fn languages(list: &[Language]) -> StringList {
    StringList(list.iter().map(|l| l.as_str().to_owned()).collect())
}

/// Inserts an organization (pending verification) with its outbox and audit rows.
pub async fn create(
    txn: &impl ConnectionTrait,
    actor: Option<i64>,
    new: NewOrganization,
) -> AppResult<organization::Model> {
    let now = super::now();
    let org = organization::ActiveModel {
        name: Set(new.name),
        kind: Set(new.kind),
        description: Set(new.description),
        website: Set(new.website.map(|w| w.as_str().to_owned())),
        province: Set(new.province.as_str().to_owned()),
        city: Set(new.city),
        languages: Set(languages(&new.languages)),
        cause_areas: Set(StringList(new.cause_areas)),
        size: Set(new.size),
        charity_number: Set(new.charity_number.map(|c| c.as_str().to_owned())),
        verification: Set(Verification::Pending),
        verified_at: Set(None),
        contact_email: Set(new.contact_email),
        contact_phone: Set(new.contact_phone),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    journal::record(
        txn,
        journal::Event::new(
            actor,
            "organization.create",
            OutboxEntity::Organization,
            org.id,
            serde_json::json!({ "name": org.name }),
        ),
    )
    .await?;
    Ok(org)
}

fn not_found(id: i64) -> AppError {
    AppError::new(
        ErrorCode::OrganizationNotFound,
        format!("There is no organization {id}."),
    )
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| not_found(id))
}

/// One page of organizations, newest first.
pub async fn list(
    db: &DatabaseConnection,
    filter: &OrganizationFilter,
) -> AppResult<Page<organization::Model>> {
    use organization::Column as C;
    let mut query = organization::Entity::find()
        .order_by_desc(C::Id)
        .limit(filter.limit + 1);
    if let Some(kind) = filter.kind {
        query = query.filter(C::Kind.eq(kind));
    }
    if let Some(province) = filter.province {
        query = query.filter(C::Province.eq(province.as_str()));
    }
    if let Some(verification) = filter.verification {
        query = query.filter(C::Verification.eq(verification));
    }
    if let Some(name) = filter
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
        let escaped: String = name
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = LikeExpr::new(format!("%{escaped}%")).escape('\\');
        query = query.filter(Expr::expr(Func::lower(Expr::col(C::Name))).like(pattern));
    }
    if let Some(after) = filter.after {
        query = query.filter(C::Id.lt(after));
    }
    let mut items = query.all(db).await?;
    Ok(paginate(&mut items, filter.limit, |org| org.id))
}

/// Every organization an administrator has not rejected, by name (to pick a program's partners
/// from).
pub async fn directory(db: &impl ConnectionTrait) -> AppResult<Vec<organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Verification.ne(Verification::Rejected))
        .order_by_asc(organization::Column::Name)
        .all(db)
        .await?)
}

/// Fills in "offers I am eligible for" with the organization of `user` (the first they joined):
/// without one, the filter cannot apply (400 `invalid_parameter`).
pub async fn fill_eligible(
    db: &impl ConnectionTrait,
    user: Option<i64>,
    request: &mut crate::search::SearchRequest,
) -> AppResult<()> {
    if !request.eligible || request.eligible_for.is_some() {
        return Ok(());
    }
    let org_ids = match user {
        Some(user) => member_org_ids(db, user).await?,
        None => Vec::new(),
    };
    let Some(first) = org_ids.first() else {
        return Err(AppError::parameter(
            "eligible",
            "needs a signed-in member of an organization",
        ));
    };
    let org = get(db, *first).await?;
    request.eligible_for = Some(crate::search::EligibleFor::of(&org));
    Ok(())
}

/// Cuts the extra row fetched to learn whether there is a next page.
pub fn paginate<T: Clone>(items: &mut Vec<T>, limit: u64, id: impl Fn(&T) -> i64) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| cursor::encode(id(last)))
    } else {
        None
    };
    Page {
        items: std::mem::take(items),
        next_cursor,
    }
}

/// Ids of the organizations a user belongs to.
pub async fn member_org_ids(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<i64>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.organization_id)
        .collect())
}

/// The user's membership of the organization, if any.
async fn membership_of(
    db: &impl ConnectionTrait,
    user_id: i64,
    organization_id: i64,
) -> AppResult<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?)
}

/// Refuses (403) unless the user is a member of the organization.
pub async fn require_member(
    db: &impl ConnectionTrait,
    user_id: i64,
    organization_id: i64,
) -> AppResult<()> {
    match membership_of(db, user_id, organization_id).await? {
        Some(_) => Ok(()),
        None => Err(AppError::new(
            ErrorCode::Forbidden,
            format!("You are not a member of organization {organization_id}."),
        )),
    }
}

/// Refuses unless the organization exists (404) and the viewer is a member or an administrator
/// (403): what is the organization's own, such as its check-ups and its dashboard (`what`).
pub(crate) async fn require_reader(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    organization_id: i64,
    what: &str,
) -> AppResult<()> {
    get(db, organization_id).await?;
    if viewer.is_admin || viewer.org_ids.contains(&organization_id) {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::Forbidden,
            format!("Only members of organization {organization_id} see its {what}."),
        ))
    }
}

/// Refuses (403) unless the user owns the organization.
pub(crate) async fn require_owner(
    db: &impl ConnectionTrait,
    user_id: i64,
    organization_id: i64,
) -> AppResult<()> {
    match membership_of(db, user_id, organization_id).await? {
        Some(m) if m.role == Role::Owner => Ok(()),
        _ => Err(AppError::new(
            ErrorCode::Forbidden,
            format!("Only owners of organization {organization_id} manage its members."),
        )),
    }
}

/// Refuses a write based on a stale read.
pub fn require_version(current: i32, given: i32) -> AppResult<()> {
    if current == given {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::VersionConflict,
            format!(
                "You sent version {given} but the record is at version {current}; \
                 read it again and reapply your change."
            ),
        ))
    }
}

/// A versioned update that matched no row lost a race with another writer.
pub fn stale_as_conflict(err: sea_orm::DbErr) -> AppError {
    match err {
        sea_orm::DbErr::RecordNotUpdated => AppError::new(
            ErrorCode::VersionConflict,
            "The record changed while you were saving; read it again and reapply your change.",
        ),
        other => other.into(),
    }
}

/// Applies a member's profile edit, checking the version they read.
pub async fn update(
    db: &DatabaseConnection,
    user_id: i64,
    id: i64,
    changes: OrganizationChanges,
) -> AppResult<organization::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let org = get(&txn, id).await?;
    require_member(&txn, user_id, id).await?;
    require_version(org.version, changes.version)?;
    let charity_number_changed = changes.charity_number.as_ref().is_some_and(|new| {
        new.as_ref().map(CharityNumber::as_str) != org.charity_number.as_deref()
    });
    let mut active: organization::ActiveModel = org.clone().into();
    if let Some(name) = changes.name {
        active.name = Set(name);
    }
    if let Some(kind) = changes.kind {
        active.kind = Set(kind);
    }
    if let Some(description) = changes.description {
        active.description = Set(description);
    }
    if let Some(website) = changes.website {
        active.website = Set(website.map(|w| w.as_str().to_owned()));
    }
    if let Some(province) = changes.province {
        active.province = Set(province.as_str().to_owned());
    }
    if let Some(city) = changes.city {
        active.city = Set(city);
    }
    if let Some(list) = changes.languages {
        active.languages = Set(languages(&list));
    }
    if let Some(cause_areas) = changes.cause_areas {
        active.cause_areas = Set(StringList(cause_areas));
    }
    if let Some(size) = changes.size {
        active.size = Set(size);
    }
    if let Some(charity_number) = changes.charity_number {
        active.charity_number = Set(charity_number.map(|c| c.as_str().to_owned()));
    }
    if let Some(email) = changes.contact_email {
        active.contact_email = Set(email.map(|e| e.as_str().to_owned()));
    }
    if let Some(phone) = changes.contact_phone {
        active.contact_phone = Set(phone);
    }
    // A verified charity number is what an administrator checked; a new one needs a new check.
    if charity_number_changed && org.verification == Verification::Verified {
        active.verification = Set(Verification::Pending);
        active.verified_at = Set(None);
    }
    // An edit that changes nothing writes nothing, so it cannot make other writers' versions stale.
    if active.clone().try_into_model()? == org {
        return Ok(org);
    }
    active.version = Set(org.version + 1);
    active.updated_at = Set(super::now());
    let updated = organization::Entity::update(active)
        .validate()?
        .filter(organization::Column::Version.eq(org.version))
        .exec(&txn)
        .await
        .map_err(stale_as_conflict)?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "organization.update",
            OutboxEntity::Organization,
            id,
            serde_json::json!({ "version": updated.version }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// An administrator verifies or rejects an organization (or reopens it, `pending`). `actor` is
/// `None` only for Passerelle itself (the demo loader); a user who is not an administrator is
/// refused, whatever the caller checked before.
pub async fn set_verification(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: Option<i64>,
    id: i64,
    request: VerificationRequest,
) -> AppResult<organization::Model> {
    let note = match request.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(note) => Some(types::text(note, 1, 1_000).map_err(|e| AppError::field("note", e))?),
    };
    let decision = request.decision;
    let txn = crate::domain::begin_write(db).await?;
    if let Some(user_id) = actor {
        let is_admin = app_user::Entity::find_by_id(user_id)
            .one(&txn)
            .await?
            .is_some_and(|user| user.is_admin);
        if !is_admin {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "Only administrators verify organizations.",
            ));
        }
    }
    let org = get(&txn, id).await?;
    let mut active: organization::ActiveModel = org.clone().into();
    active.verification = Set(decision);
    active.verified_at = Set((decision == Verification::Verified).then(Utc::now));
    active.version = Set(org.version + 1);
    active.updated_at = Set(super::now());
    let updated = active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            actor,
            "organization.verification",
            OutboxEntity::Organization,
            id,
            serde_json::json!({
                "decision": decision.as_str(),
                "note": note,
                "moderation_reason": request.reason_code,
            }),
        ),
    )
    .await?;
    super::moderation::on_verification(&txn, actor, id, decision, note.as_deref()).await?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// Whether a viewer sees an organization's contact details (email, phone): its members and
/// administrators do; other organizations see them only through a partnership both sides agreed
/// to (see `partnerships::shares_contact`).
pub fn shows_contact(viewer: &Viewer, organization_id: i64) -> bool {
    viewer.is_admin || viewer.is_member(organization_id)
}

/// The members of an organization with their accounts, oldest first. Members only.
pub async fn members(
    db: &DatabaseConnection,
    user_id: i64,
    organization_id: i64,
) -> AppResult<Vec<(membership::Model, app_user::Model)>> {
    get(db, organization_id).await?;
    require_member(db, user_id, organization_id).await?;
    let rows = membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(organization_id))
        .find_also_related(app_user::Entity)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, user)| user.map(|user| (m, user)))
        .collect())
}

/// An owner adds an existing account to the organization.
pub async fn add_member(
    db: &DatabaseConnection,
    owner_id: i64,
    organization_id: i64,
    email: &Email,
    role: Role,
) -> AppResult<(membership::Model, app_user::Model)> {
    let txn = crate::domain::begin_write(db).await?;
    get(&txn, organization_id).await?;
    require_owner(&txn, owner_id, organization_id).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::field("email", Invalid::NoAccount))?;
    if membership_of(&txn, user.id, organization_id)
        .await?
        .is_some()
    {
        return Err(AppError::new(
            ErrorCode::AlreadyMember,
            format!(
                "{} already belongs to organization {organization_id}.",
                email.as_str()
            ),
        ));
    }
    let membership = membership::ActiveModel {
        user_id: Set(user.id),
        organization_id: Set(organization_id),
        role: Set(role),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(owner_id),
            "organization.member_add",
            OutboxEntity::Organization,
            organization_id,
            serde_json::json!({ "user_id": user.id, "role": role.as_str() }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok((membership, user))
}

/// An owner removes a member, or a member leaves. The last owner cannot go.
pub async fn remove_member(
    db: &DatabaseConnection,
    actor_id: i64,
    organization_id: i64,
    member_id: i64,
) -> AppResult<()> {
    let txn = crate::domain::begin_write(db).await?;
    get(&txn, organization_id).await?;
    if actor_id != member_id {
        require_owner(&txn, actor_id, organization_id).await?;
    }
    let all = membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(organization_id))
        .all(&txn)
        .await?;
    let Some(target) = all.iter().find(|m| m.user_id == member_id) else {
        return Err(AppError::new(
            ErrorCode::MemberNotFound,
            format!("User {member_id} is not a member of organization {organization_id}."),
        ));
    };
    let owners = all.iter().filter(|m| m.role == Role::Owner).count();
    if target.role == Role::Owner && owners == 1 {
        return Err(AppError::new(
            ErrorCode::LastOwner,
            "Make another member an owner before the last owner leaves.",
        ));
    }
    membership::Entity::delete_by_id(target.id)
        .exec(&txn)
        .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(actor_id),
            "organization.member_remove",
            OutboxEntity::Organization,
            organization_id,
            serde_json::json!({ "user_id": member_id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(())
}

/// How long the organization usually takes to answer a proposal it received: the median of its
/// last 20 answers (accepted or declined) in the past year; `None` with fewer than 3.
pub async fn usual_answer_time(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> AppResult<Option<chrono::Duration>> {
    use entity::partnership::Column as C;
    use sea_orm::sea_query::Condition;
    use sea_orm::{QueryOrder, QuerySelect};
    let since = super::now() - chrono::Duration::days(365);
    let answered = entity::partnership::Entity::find()
        .filter(
            Condition::any()
                .add(C::NeedOrgId.eq(organization_id))
                .add(C::OfferOrgId.eq(organization_id)),
        )
        .filter(C::ProposerOrgId.ne(organization_id))
        .filter(C::RespondedAt.is_not_null())
        .filter(C::CreatedAt.gte(since))
        .order_by_desc(C::RespondedAt)
        .limit(20)
        .all(db)
        .await?;
    let mut waits: Vec<chrono::Duration> = answered
        .iter()
        .filter_map(|p| p.responded_at.map(|at| at - p.created_at))
        .collect();
    if waits.len() < 3 {
        return Ok(None);
    }
    waits.sort();
    Ok(Some(waits[waits.len() / 2]))
}

/// Whole days, at least one, that a wait rounds up to ("usually answers within 3 days").
pub fn days_within(wait: chrono::Duration) -> i64 {
    ((wait.num_minutes() + 24 * 60 - 1) / (24 * 60)).max(1)
}

/// An owner changes a member's role: several owners may share an organization; ownership passes
/// by making another member an owner, then stepping down. The last owner cannot step down.
pub async fn set_role(
    db: &DatabaseConnection,
    actor_id: i64,
    organization_id: i64,
    member_id: i64,
    role: Role,
) -> AppResult<(membership::Model, app_user::Model)> {
    let txn = crate::domain::begin_write(db).await?;
    get(&txn, organization_id).await?;
    require_owner(&txn, actor_id, organization_id).await?;
    let all = membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(organization_id))
        .all(&txn)
        .await?;
    let Some(target) = all.iter().find(|m| m.user_id == member_id).cloned() else {
        return Err(AppError::new(
            ErrorCode::MemberNotFound,
            format!("User {member_id} is not a member of organization {organization_id}."),
        ));
    };
    let owners = all.iter().filter(|m| m.role == Role::Owner).count();
    if target.role == Role::Owner && role != Role::Owner && owners == 1 {
        return Err(AppError::new(
            ErrorCode::LastOwner,
            "Make another member an owner before the last owner steps down.",
        ));
    }
    let mut active: membership::ActiveModel = target.into();
    active.role = Set(role);
    let updated = active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(actor_id),
            "organization.member_role",
            OutboxEntity::Organization,
            organization_id,
            serde_json::json!({ "user_id": member_id, "role": role.as_str() }),
        ),
    )
    .await?;
    let user = app_user::Entity::find_by_id(member_id)
        .one(&txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {member_id} vanished"))?;
    journal::commit(txn).await?;
    Ok((updated, user))
}
