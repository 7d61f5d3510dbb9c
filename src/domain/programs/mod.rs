//! Programs: a lead organization and partners from other sectors serve a cohort of
//! organizations at once. A program has a call window, eligibility rules (those of offers, and
//! sizes), priority groups with weights, questions, milestones and components, each one kind of
//! support given by one partner. Organizations apply during the call (`applications`); the team
//! (members of the lead and of the partners) runs allocations and confirms one, which turns each
//! selection into a partnership of the ordinary workflow (`allocation`); it invites eligible
//! organizations that have not applied (`invitations`). The cohort's outcomes roll up from its
//! partnerships' reports.

mod allocation;
mod applications;
mod invitations;

pub use allocation::*;
pub use applications::*;
pub use invitations::*;

use chrono::{DateTime, Utc};
use entity::{
    ApplicationStatus, Language, OutboxEntity, PartnerRole, PartnershipStatus, PostingUnit,
    SizeBand, StringList, TaxonomyKind, Verification, organization, partnership, program,
    program_application, program_component, program_partner,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::journal;
use super::organizations::{member_org_ids, require_member};
use super::postings::EligibilityInput;
use super::taxonomy::Taxonomy;
use super::types::{self, Province};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, Parsed};

/// A new program with its partners and components.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramInput {
    /// The organization that leads it (one of yours); required if you belong to several.
    #[serde(default)]
    pub lead_org_id: Option<i64>,
    /// 5 to 200 characters.
    pub title: String,
    /// 10 to 10,000 characters.
    pub description: String,
    /// The language of `title` and `description`.
    pub language: Language,
    /// The title and description in the other of English and French.
    #[serde(default)]
    pub translation: Option<TranslationInput>,
    /// The call for applications opens and closes at these instants.
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Who may apply, in the rules of offers; empty lists mean anyone.
    #[serde(default)]
    pub eligibility: Option<EligibilityInput>,
    /// Organization sizes that may apply; empty: any.
    #[serde(default)]
    pub sizes: Vec<SizeBand>,
    #[serde(default)]
    pub priority_groups: Vec<PriorityGroupInput>,
    /// Questions every application answers (at most 10).
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub milestones: Vec<entity::program::Milestone>,
    /// Codes of the indicator list (`GET /api/v1/indicators`) every partnership of the cohort
    /// reports in its outcome, at most 10.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// Each further unit of one component to one organization is worth this share of the one
    /// before: 0 to 1, default 0.5.
    #[serde(default)]
    pub diminishing: Option<f64>,
    /// The cost that grows with each unit one organization receives: 0 to 1, default 0.05.
    #[serde(default)]
    pub fairness: Option<f64>,
    /// One to 20 partners.
    pub partners: Vec<PartnerInput>,
    /// One to 50 components.
    pub components: Vec<ComponentInput>,
}

/// A program's title and description in the other of English and French.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationInput {
    /// 5 to 200 characters.
    pub title: String,
    /// 10 to 10,000 characters.
    pub description: String,
}

/// A priority group: organizations whose profile matches one of its lists, or, with no list,
/// those that say in their application that they belong (rural, Indigenous-led).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityGroupInput {
    /// Short code: lowercase letters, digits and `_`.
    pub code: String,
    pub name: String,
    /// What membership adds to the value of each unit: 0 to 1.
    pub weight: f64,
    #[serde(default)]
    pub sizes: Vec<SizeBand>,
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub cause_areas: Vec<String>,
    #[serde(default)]
    pub languages: Vec<Language>,
    /// At least this share of all the units given goes to the group's members: 0 to 1. The
    /// allocation meets it and says what it costs against the optimum without it.
    #[serde(default)]
    pub min_share: Option<f64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    pub organization_id: i64,
    pub role: PartnerRole,
    /// The most units the partner gives across its components.
    #[serde(default)]
    pub cap: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentInput {
    /// The partner (or the lead) that gives it.
    pub partner_org_id: i64,
    /// 3 to 200 characters.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A category code from the taxonomy.
    pub category: String,
    /// What `capacity` counts; default `items`.
    #[serde(default)]
    pub unit: Option<PostingUnit>,
    /// 1 to 100,000.
    pub capacity: i32,
    /// The most one organization receives.
    #[serde(default)]
    pub per_org_max: Option<i32>,
    /// What one unit is worth in dollars.
    #[serde(default)]
    pub value_cad: Option<f64>,
}

/// Where a program's call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    Upcoming,
    Open,
    Closed,
}

impl CallState {
    pub fn of(program: &program::Model, now: DateTime<Utc>) -> Self {
        if now < program.opens_at {
            Self::Upcoming
        } else if now < program.closes_at {
            Self::Open
        } else {
            Self::Closed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

fn number_in(value: f64, min: f64, max: f64) -> Parsed<f64> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::OutOfRange.with([("min", json!(min)), ("max", json!(max))]))
    }
}

fn whole_in(value: i32, min: i32, max: i32) -> Parsed<i32> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::OutOfRange.with([("min", json!(min)), ("max", json!(max))]))
    }
}

fn too_many(field: &str, count: usize, max: usize, errors: &mut FieldErrors) {
    if count > max {
        errors.add(field, Invalid::TooMany.with([("max", json!(max))]));
    }
}

/// A program ready to store, its partners and components (the components by partner id).
pub struct NewProgram {
    program: program::Model,
    partners: Vec<(i64, PartnerRole, Option<i32>)>,
    components: Vec<program_component::Model>,
}

impl ProgramInput {
    /// Parses every field, collecting all the messages at once.
    pub fn parse(self, taxonomy: &Taxonomy) -> AppResult<NewProgram> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", types::line(&self.title, 5, 200));
        let description = errors.check("description", types::text(&self.description, 10, 10_000));
        let translation = self.translation.as_ref().map(|t| {
            (
                errors.check("translation.title", types::line(&t.title, 5, 200)),
                errors.check(
                    "translation.description",
                    types::text(&t.description, 10, 10_000),
                ),
            )
        });
        use crate::domain::postings::check_date;
        let opens = errors.check("opens_at", check_date(self.opens_at.date_naive()));
        let closes = errors.check("closes_at", check_date(self.closes_at.date_naive()));
        if opens.is_some() && closes.is_some() && self.closes_at <= self.opens_at {
            errors.add("closes_at", Invalid::ClosesBeforeOpens);
        }
        let eligibility = match self.eligibility {
            Some(input) => input.parse(taxonomy, &mut errors),
            None => Some(Default::default()),
        };
        let diminishing = errors.check(
            "diminishing",
            number_in(self.diminishing.unwrap_or(0.5), 0.0, 1.0),
        );
        let fairness = errors.check(
            "fairness",
            number_in(self.fairness.unwrap_or(0.05), 0.0, 1.0),
        );
        too_many(
            "priority_groups",
            self.priority_groups.len(),
            10,
            &mut errors,
        );
        let mut groups = Vec::new();
        for (i, group) in self.priority_groups.into_iter().enumerate() {
            let at = |field: &str| format!("priority_groups[{i}].{field}");
            let code_ok = !group.code.is_empty()
                && group.code.len() <= 40
                && group
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !code_ok {
                errors.add(at("code"), Invalid::GroupCode);
            } else if groups
                .iter()
                .any(|g: &entity::program::PriorityGroup| g.code == group.code)
            {
                errors.add(at("code"), Invalid::DuplicateName);
            }
            let name = errors.check(&at("name"), types::line(&group.name, 2, 100));
            let weight = errors.check(&at("weight"), number_in(group.weight, 0.0, 1.0));
            let min_share = match group.min_share {
                Some(share) => errors
                    .check(&at("min_share"), number_in(share, 0.0, 1.0))
                    .map(Some),
                None => Some(None),
            };
            let mut provinces = Vec::new();
            for raw in &group.provinces {
                if let Some(p) = errors.check(&at("provinces"), Province::parse(raw)) {
                    provinces.push(p.as_str().to_owned());
                }
            }
            let cause_areas = errors.check(
                &at("cause_areas"),
                taxonomy.check_all(TaxonomyKind::CauseArea, &group.cause_areas, 20),
            );
            if let (Some(name), Some(weight), Some(cause_areas), Some(min_share)) =
                (name, weight, cause_areas, min_share)
            {
                groups.push(entity::program::PriorityGroup {
                    code: group.code,
                    name,
                    weight,
                    sizes: group.sizes,
                    provinces,
                    cause_areas,
                    languages: group.languages,
                    min_share: min_share.filter(|share| *share > 0.0),
                });
            }
        }
        too_many("questions", self.questions.len(), 10, &mut errors);
        let questions: Vec<String> = self
            .questions
            .iter()
            .enumerate()
            .filter_map(|(i, q)| errors.check(&format!("questions[{i}]"), types::line(q, 5, 300)))
            .collect();
        let milestones = parse_milestones(self.milestones, &mut errors);
        let indicators = super::outcomes::parse_codes("indicators", self.indicators, &mut errors);
        if self.partners.is_empty() {
            errors.add("partners", Invalid::Required);
        }
        too_many("partners", self.partners.len(), 20, &mut errors);
        let mut partners = Vec::new();
        for (i, partner) in self.partners.iter().enumerate() {
            if partners
                .iter()
                .any(|(id, _, _)| *id == partner.organization_id)
            {
                errors.add(
                    format!("partners[{i}].organization_id"),
                    Invalid::DuplicateName,
                );
            }
            let cap = errors.check(
                &format!("partners[{i}].cap"),
                partner.cap.map(|c| whole_in(c, 1, 100_000)).transpose(),
            );
            partners.push((partner.organization_id, partner.role, cap.flatten()));
        }
        if self.components.is_empty() {
            errors.add("components", Invalid::Required);
        }
        too_many("components", self.components.len(), 50, &mut errors);
        let mut components = Vec::new();
        for (i, component) in self.components.into_iter().enumerate() {
            let at = |field: &str| format!("components[{i}].{field}");
            let title = errors.check(&at("title"), types::line(&component.title, 3, 200));
            let description = errors.check(
                &at("description"),
                types::optional_text(Some(&component.description), 2_000),
            );
            let category = errors.check(
                &at("category"),
                taxonomy.check(TaxonomyKind::Category, &component.category),
            );
            let capacity = errors.check(&at("capacity"), whole_in(component.capacity, 1, 100_000));
            let per_org_max = errors.check(
                &at("per_org_max"),
                component
                    .per_org_max
                    .map(|m| whole_in(m, 1, 100_000))
                    .transpose(),
            );
            let value_cad = errors.check(
                &at("value_cad"),
                component
                    .value_cad
                    .map(|v| number_in(v, 0.0, 1_000_000.0))
                    .transpose(),
            );
            if !partners
                .iter()
                .any(|(id, _, _)| *id == component.partner_org_id)
                && Some(component.partner_org_id) != self.lead_org_id
            {
                errors.add(at("partner_org_id"), Invalid::NotAPartner);
            }
            if let (Some(title), Some(description), Some(category), Some(capacity)) =
                (title, description, category, capacity)
            {
                components.push(program_component::Model {
                    id: 0,
                    program_id: 0,
                    partner_org_id: component.partner_org_id,
                    title,
                    description: description.unwrap_or_default(),
                    category,
                    unit: component.unit.unwrap_or(PostingUnit::Items),
                    capacity,
                    per_org_max: per_org_max.flatten(),
                    value_cad: value_cad.flatten(),
                    offer_id: None,
                });
            }
        }
        errors.finish()?;
        let now = super::now();
        Ok(NewProgram {
            program: program::Model {
                id: 0,
                lead_org_id: self.lead_org_id.unwrap_or_default(),
                title: FieldErrors::parsed(title)?,
                description: FieldErrors::parsed(description)?,
                language: self.language,
                translated_title: translation.as_ref().and_then(|(t, _)| t.clone()),
                translated_description: translation.and_then(|(_, d)| d),
                opens_at: self.opens_at,
                closes_at: self.closes_at,
                eligibility: FieldErrors::parsed(eligibility)?,
                sizes: StringList(self.sizes.iter().map(|s| s.as_str().to_owned()).collect()),
                priority_groups: entity::program::PriorityGroups(groups),
                questions: StringList(questions),
                milestones: entity::program::Milestones(milestones),
                indicators: StringList(indicators),
                diminishing: FieldErrors::parsed(diminishing)?,
                fairness: FieldErrors::parsed(fairness)?,
                created_by: None,
                version: 1,
                created_at: now,
                updated_at: now,
            },
            partners,
            components,
        })
    }
}

fn not_found(id: i64) -> AppError {
    AppError::new(ErrorCode::ProgramNotFound, format!("No program {id}."))
}

/// Creates a program led by one of the user's organizations, with its partners and components.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    new: NewProgram,
) -> AppResult<program::Model> {
    let txn = super::begin_write(db).await?;
    let lead_org_id = match new.program.lead_org_id {
        0 => super::postings::publisher(&txn, user_id, None).await?,
        id => id,
    };
    require_member(&txn, user_id, lead_org_id).await?;
    let mut ids: Vec<i64> = new.partners.iter().map(|(id, _, _)| *id).collect();
    ids.push(lead_org_id);
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids.iter().copied()))
        .all(&txn)
        .await?;
    let mut errors = FieldErrors::default();
    for (i, (id, _, _)) in new.partners.iter().enumerate() {
        match orgs.iter().find(|o| o.id == *id) {
            Some(org) if org.verification != Verification::Rejected => {}
            _ => errors.add(format!("partners[{i}].organization_id"), Invalid::NotFound),
        }
    }
    for (i, component) in new.components.iter().enumerate() {
        if component.partner_org_id != lead_org_id
            && !new
                .partners
                .iter()
                .any(|(id, _, _)| *id == component.partner_org_id)
        {
            errors.add(
                format!("components[{i}].partner_org_id"),
                Invalid::NotAPartner,
            );
        }
    }
    errors.finish()?;
    if orgs
        .iter()
        .any(|o| o.id == lead_org_id && o.verification == Verification::Rejected)
    {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "An administrator rejected this organization; it cannot lead a program.",
        ));
    }
    let mut active: program::ActiveModel = program::Model {
        lead_org_id,
        created_by: Some(user_id),
        ..new.program
    }
    .into();
    active.id = sea_orm::ActiveValue::NotSet;
    let created = active.insert(&txn).await?;
    for (organization_id, role, cap) in new.partners {
        program_partner::ActiveModel {
            program_id: Set(created.id),
            organization_id: Set(organization_id),
            role: Set(role),
            cap: Set(cap),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for component in new.components {
        let mut active: program_component::ActiveModel = program_component::Model {
            program_id: created.id,
            ..component
        }
        .into();
        active.id = sea_orm::ActiveValue::NotSet;
        active.insert(&txn).await?;
    }
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "program.create",
            OutboxEntity::Program,
            created.id,
            json!({ "title": created.title, "lead_org_id": lead_org_id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// A program's milestones, each with a title and a plausible date (at most 20), by date.
fn parse_milestones(
    list: Vec<entity::program::Milestone>,
    errors: &mut FieldErrors,
) -> Vec<entity::program::Milestone> {
    use crate::domain::postings::check_date;
    too_many("milestones", list.len(), 20, errors);
    let mut milestones: Vec<entity::program::Milestone> = list
        .into_iter()
        .enumerate()
        .filter_map(|(i, milestone)| {
            let on = errors.check(&format!("milestones[{i}].on"), check_date(milestone.on));
            let title = errors.check(
                &format!("milestones[{i}].title"),
                types::line(&milestone.title, 3, 200),
            );
            Some(entity::program::Milestone {
                title: title?,
                on: on.map(|_| milestone.on)?,
            })
        })
        .collect();
    milestones.sort_by_key(|m| m.on);
    milestones
}

/// What the lead changes in a program; fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    /// The `version` you read; a stale one is refused with 409.
    pub version: i32,
    /// 5 to 200 characters.
    #[serde(default, deserialize_with = "types::non_null")]
    pub title: Option<String>,
    /// 10 to 10,000 characters.
    #[serde(default, deserialize_with = "types::non_null")]
    pub description: Option<String>,
    /// The title and description in the other language; `null` removes them.
    #[serde(default, deserialize_with = "types::double_option")]
    pub translation: Option<Option<TranslationInput>>,
    /// The call closes then (after it opens); not once the allocation is confirmed.
    #[serde(default, deserialize_with = "types::non_null")]
    pub closes_at: Option<DateTime<Utc>>,
    /// The milestones, all of them (at most 20).
    #[serde(default, deserialize_with = "types::non_null")]
    pub milestones: Option<Vec<entity::program::Milestone>>,
    /// The indicators the cohort reports, all of them (codes of the list, at most 10); they
    /// apply to partnerships completed from then on.
    #[serde(default, deserialize_with = "types::non_null")]
    pub indicators: Option<Vec<String>>,
}

/// Changes a program: members of its lead only.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    id: i64,
    patch: ProgramPatch,
) -> AppResult<program::Model> {
    let txn = super::begin_write(db).await?;
    let program = load(&txn, id).await?;
    if !member_org_ids(&txn, user_id)
        .await?
        .contains(&program.lead_org_id)
    {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            format!("Only the lead's members change program {id}."),
        ));
    }
    super::organizations::require_version(program.version, patch.version)?;
    let mut errors = FieldErrors::default();
    let title = patch
        .title
        .and_then(|t| errors.check("title", types::line(&t, 5, 200)));
    let description = patch
        .description
        .and_then(|d| errors.check("description", types::text(&d, 10, 10_000)));
    let translation = patch.translation.map(|t| {
        t.map(|t| {
            (
                errors.check("translation.title", types::line(&t.title, 5, 200)),
                errors.check(
                    "translation.description",
                    types::text(&t.description, 10, 10_000),
                ),
            )
        })
    });
    if let Some(closes_at) = patch.closes_at {
        use crate::domain::postings::check_date;
        if errors
            .check("closes_at", check_date(closes_at.date_naive()))
            .is_some()
            && closes_at <= program.opens_at
        {
            errors.add("closes_at", Invalid::ClosesBeforeOpens);
        }
    }
    let milestones = patch
        .milestones
        .map(|list| parse_milestones(list, &mut errors));
    let indicators = patch
        .indicators
        .map(|codes| super::outcomes::parse_codes("indicators", codes, &mut errors));
    errors.finish()?;
    if patch.closes_at.is_some() && allocation::confirmed_run(&txn, id).await?.is_some() {
        return Err(AppError::new(
            ErrorCode::AllocationConfirmed,
            format!("Program {id} confirmed its allocation; its call no longer moves."),
        ));
    }
    let version = program.version;
    let mut active: program::ActiveModel = program.into();
    if let Some(title) = title {
        active.title = Set(title);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    match translation {
        Some(Some((Some(title), Some(description)))) => {
            active.translated_title = Set(Some(title));
            active.translated_description = Set(Some(description));
        }
        Some(None) => {
            active.translated_title = Set(None);
            active.translated_description = Set(None);
        }
        _ => {}
    }
    if let Some(closes_at) = patch.closes_at {
        active.closes_at = Set(closes_at);
    }
    if let Some(milestones) = milestones {
        active.milestones = Set(entity::program::Milestones(milestones));
    }
    if let Some(indicators) = indicators {
        active.indicators = Set(StringList(indicators));
    }
    active.version = Set(version + 1);
    active.updated_at = Set(super::now());
    let saved = active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "program.update",
            OutboxEntity::Program,
            id,
            json!({ "version": saved.version }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(saved)
}

/// A partner with its organization.
#[derive(Debug, Clone)]
pub struct PartnerView {
    pub partner: program_partner::Model,
    pub org: organization::Model,
}

/// A component with its partner's name and where its delivery stands.
#[derive(Debug, Clone)]
pub struct ComponentView {
    pub component: program_component::Model,
    pub partner_name: String,
    /// Units in partnerships accepted, active or completed.
    pub given: i32,
    /// Units proposed and waiting for the organization's answer.
    pub offered: i32,
    /// Units of completed partnerships.
    pub delivered: i32,
}

impl ComponentView {
    pub fn remaining(&self) -> i32 {
        (self.component.capacity - self.given - self.offered).max(0)
    }
}

/// A program as a viewer sees it.
#[derive(Debug, Clone)]
pub struct ProgramView {
    pub program: program::Model,
    pub lead: organization::Model,
    pub partners: Vec<PartnerView>,
    pub components: Vec<ComponentView>,
    pub state: CallState,
    /// Whether the viewer belongs to the lead or a partner (sees applications, runs allocations).
    pub is_team: bool,
    /// The viewer's organizations' applications to it.
    pub my_applications: Vec<program_application::Model>,
    /// Organizations selected (the cohort), by name.
    pub members: Vec<organization::Model>,
    /// Where every application stands (drafts included).
    pub application_statuses: Vec<ApplicationStatus>,
    /// The cohort's partnerships.
    pub partnerships: Vec<partnership::Model>,
    /// Their reported follow-ups.
    pub follow_ups: Vec<entity::follow_up::Model>,
    /// Whether a run is confirmed (the program takes no more applications).
    pub allocation_confirmed: bool,
}

/// The program's team: the members of its lead and of its partners.
pub fn team_orgs(program: &program::Model, partners: &[program_partner::Model]) -> Vec<i64> {
    let mut orgs: Vec<i64> = partners.iter().map(|p| p.organization_id).collect();
    orgs.push(program.lead_org_id);
    orgs
}

async fn load(db: &impl ConnectionTrait, id: i64) -> AppResult<program::Model> {
    program::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| not_found(id))
}

/// Refuses (403) unless the user is on the program's team.
async fn require_team(
    db: &impl ConnectionTrait,
    user_id: i64,
    program: &program::Model,
) -> AppResult<Vec<program_partner::Model>> {
    let partners = program_partner::Entity::find()
        .filter(program_partner::Column::ProgramId.eq(program.id))
        .all(db)
        .await?;
    let mine = member_org_ids(db, user_id).await?;
    if team_orgs(program, &partners)
        .iter()
        .any(|id| mine.contains(id))
    {
        Ok(partners)
    } else {
        Err(AppError::new(
            ErrorCode::Forbidden,
            format!(
                "Only the lead and the partners of program {} do this.",
                program.id
            ),
        ))
    }
}

/// A program, its partners, components and cohort, for anyone (the team and applicants see more).
pub async fn get(
    db: &impl ConnectionTrait,
    user_id: Option<i64>,
    id: i64,
) -> AppResult<ProgramView> {
    let program = load(db, id).await?;
    let partners = program_partner::Entity::find()
        .filter(program_partner::Column::ProgramId.eq(id))
        .order_by_asc(program_partner::Column::Id)
        .all(db)
        .await?;
    let components = program_component::Entity::find()
        .filter(program_component::Column::ProgramId.eq(id))
        .order_by_asc(program_component::Column::Id)
        .all(db)
        .await?;
    let partnerships = partnership::Entity::find()
        .filter(partnership::Column::ProgramId.eq(id))
        .order_by_asc(partnership::Column::Id)
        .all(db)
        .await?;
    let applications = program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(id))
        .all(db)
        .await?;
    let mine = match user_id {
        Some(user) => member_org_ids(db, user).await?,
        None => Vec::new(),
    };
    // The organizations named: the team, the cohort, and the viewer's own applicants (a call
    // may have thousands of applicants the page does not name).
    let mut org_ids = team_orgs(&program, &partners);
    org_ids.extend(
        applications
            .iter()
            .filter(|a| {
                a.status == ApplicationStatus::Selected || mine.contains(&a.organization_id)
            })
            .map(|a| a.organization_id),
    );
    let orgs: std::collections::HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let org = |id: i64| orgs.get(&id).cloned();
    let is_team = team_orgs(&program, &partners)
        .iter()
        .any(|id| mine.contains(id));
    let components = components
        .into_iter()
        .map(|component| {
            let units = |statuses: &[PartnershipStatus]| {
                partnerships
                    .iter()
                    .filter(|p| p.component_id == Some(component.id))
                    .filter(|p| statuses.contains(&p.status))
                    .map(|p| p.units)
                    .sum()
            };
            ComponentView {
                partner_name: org(component.partner_org_id)
                    .map(|o| o.name)
                    .unwrap_or_default(),
                given: units(&[
                    PartnershipStatus::Accepted,
                    PartnershipStatus::Active,
                    PartnershipStatus::Completed,
                ]),
                offered: units(&[PartnershipStatus::Proposed]),
                delivered: units(&[PartnershipStatus::Completed]),
                component,
            }
        })
        .collect();
    let mut members: Vec<organization::Model> = applications
        .iter()
        .filter(|a| a.status == ApplicationStatus::Selected)
        .filter_map(|a| org(a.organization_id))
        .collect();
    members.sort_by(|a, b| crate::i18n::collate(program.language, &a.name, &b.name));
    Ok(ProgramView {
        lead: org(program.lead_org_id).ok_or_else(|| not_found(id))?,
        partners: partners
            .into_iter()
            .filter_map(|partner| {
                org(partner.organization_id).map(|org| PartnerView { partner, org })
            })
            .collect(),
        components,
        state: CallState::of(&program, super::now()),
        is_team,
        my_applications: applications
            .iter()
            .filter(|a| mine.contains(&a.organization_id))
            .cloned()
            .collect(),
        members,
        follow_ups: super::outcomes::reported_follow_ups(
            db,
            &partnerships.iter().map(|p| p.id).collect::<Vec<_>>(),
        )
        .await?,
        application_statuses: applications.iter().map(|a| a.status).collect(),
        partnerships,
        allocation_confirmed: allocation::confirmed_run(db, id).await?.is_some(),
        program,
    })
}

impl ProgramView {
    /// Applications submitted or decided (not drafts, not withdrawn).
    pub fn applications(&self) -> usize {
        self.application_statuses
            .iter()
            .filter(|s| !matches!(s, ApplicationStatus::Draft | ApplicationStatus::Withdrawn))
            .count()
    }
}

/// A program in a list.
#[derive(Debug, Clone)]
pub struct ProgramSummary {
    pub program: program::Model,
    pub lead_name: String,
    pub state: CallState,
    pub components: usize,
    pub capacity: i64,
}

/// Every program, calls open first, then upcoming, then closed; newest first within each.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<ProgramSummary>> {
    let programs = program::Entity::find()
        .order_by_desc(program::Column::ClosesAt)
        .all(db)
        .await?;
    let components = program_component::Entity::find().all(db).await?;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(programs.iter().map(|p| p.lead_org_id)))
        .all(db)
        .await?;
    let now = super::now();
    let mut summaries: Vec<ProgramSummary> = programs
        .into_iter()
        .map(|program| {
            let mine = components.iter().filter(|c| c.program_id == program.id);
            ProgramSummary {
                lead_name: orgs
                    .iter()
                    .find(|o| o.id == program.lead_org_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                state: CallState::of(&program, now),
                components: mine.clone().count(),
                capacity: mine.map(|c| i64::from(c.capacity)).sum(),
                program,
            }
        })
        .collect();
    let rank = |state: CallState| match state {
        CallState::Open => 0,
        CallState::Upcoming => 1,
        CallState::Closed => 2,
    };
    summaries.sort_by_key(|s| rank(s.state));
    Ok(summaries)
}

/// The priority groups an organization belongs to: by its profile, or as it declared.
pub fn groups_of<'a>(
    program: &'a program::Model,
    org: &organization::Model,
    declared: &[String],
) -> Vec<&'a entity::program::PriorityGroup> {
    program
        .priority_groups
        .0
        .iter()
        .filter(|group| {
            if group.declared() {
                return declared.contains(&group.code);
            }
            org.size.is_some_and(|size| group.sizes.contains(&size))
                || group.provinces.contains(&org.province)
                || group
                    .cause_areas
                    .iter()
                    .any(|c| org.cause_areas.0.contains(c))
                || group
                    .languages
                    .iter()
                    .any(|l| org.languages.0.iter().any(|o| o == l.as_str()))
        })
        .collect()
}

/// Whether an organization may apply: the program's rules, the first it breaks otherwise.
pub fn eligible(
    program: &program::Model,
    org: &organization::Model,
) -> Result<(), super::eligibility::Rule> {
    super::eligibility::org_rules(&program.eligibility, org, &org.province)?;
    if !program.sizes.0.is_empty()
        && !org
            .size
            .is_some_and(|size| program.sizes.0.iter().any(|s| s == size.as_str()))
    {
        return Err(super::eligibility::Rule::Size);
    }
    Ok(())
}
