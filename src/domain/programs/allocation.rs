//! Allocation runs: the team gives components to the submitted applications with the exact
//! solver (`crate::allocation`), pinning or excluding before re-running; every applicant gets an
//! explanation; confirming a run makes each selection a partnership of the ordinary workflow,
//! proposed by the component's partner, and a decline offers the units to the next on the
//! component's waitlist.

use std::collections::{BTreeMap, HashMap};

use entity::{
    ApplicationStatus, Language, OutboxEntity, PostingKind, PostingStatus, StringList,
    allocation_run, organization, partnership, posting, program, program_application,
    program_component,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{groups_of, load, require_team};
use crate::allocation::{self as solver, Instance};
use crate::domain::journal;
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid};

/// How well an offer serves a need (the matching score, 0 to 1): need, its organization, offer,
/// its organization. The adapters pass the matcher's.
pub type Fit<'a> = &'a (
        dyn Fn(&posting::Model, &organization::Model, &posting::Model, &organization::Model) -> f64
            + Sync
    );

/// What the team fixes before a run.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    /// Units given whatever the optimum.
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// Requests left out of the run.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
}

impl RunInput {
    /// Whether the team left this request out.
    pub fn excludes(&self, application_id: i64, component_id: i64) -> bool {
        self.exclusions
            .iter()
            .any(|e| e.application_id == application_id && e.component_id == component_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub application_id: i64,
    pub component_id: i64,
    pub units: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub application_id: i64,
    pub component_id: i64,
}

/// Why an applicant received less of a component than it asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Shortfall {
    /// The team left the request out.
    Excluded,
    /// The application asks for all its components or none, and they could not all be given.
    Bundle,
    /// Its fit and priority are worth nothing.
    NotAFit,
    /// One organization receives at most this many.
    PerOrgMax,
    /// The applicant's own maximum is reached.
    OwnMaximum,
    /// Every unit went to applicants whose units were worth more.
    ComponentFull,
    /// The partner gives no more across its components.
    PartnerCap,
    /// A further unit adds less than the fairness cost of giving one organization more.
    Fairness,
}

impl Shortfall {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excluded => "excluded",
            Self::Bundle => "bundle",
            Self::NotAFit => "not_a_fit",
            Self::PerOrgMax => "per_org_max",
            Self::OwnMaximum => "own_maximum",
            Self::ComponentFull => "component_full",
            Self::PartnerCap => "partner_cap",
            Self::Fairness => "fairness",
        }
    }
}

/// One component asked for, and what the run gave.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionLine {
    pub component_id: i64,
    pub asked: i32,
    pub given: i32,
    /// The matching score of the applicant's need against the component.
    pub fit: f64,
    /// The value of the units given.
    pub value: f64,
    pub pinned: bool,
    /// Why less than asked was given.
    pub shortfall: Option<Shortfall>,
    /// Place on the component's waitlist (from 1).
    pub waitlist_position: Option<usize>,
}

/// What one applicant receives and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Decision {
    pub application_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    /// `selected`, `waitlisted` or `not_selected`.
    pub status: ApplicationStatus,
    /// The priority groups counted for it, by name.
    pub groups: Vec<String>,
    pub lines: Vec<DecisionLine>,
}

/// The applications waiting for a unit of a full component, best first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Waitlist {
    pub component_id: i64,
    pub application_ids: Vec<i64>,
}

/// A run's result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunResult {
    /// The value of the allocation (the solver's objective).
    pub value: f64,
    /// With bundles or minimum shares: the exact optimum without them (what they cost is the
    /// difference).
    #[serde(default)]
    pub value_without_constraints: Option<f64>,
    pub decisions: Vec<Decision>,
    pub waitlists: Vec<Waitlist>,
}

/// What a component would be as an offer of its partner (for the fit, and at confirmation).
pub fn component_offer(
    program: &program::Model,
    component: &program_component::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> posting::Model {
    let description = if component.description.chars().count() >= 10 {
        component.description.clone()
    } else {
        format!("{} — {}", component.title, program.title)
    };
    posting::Model {
        id: 0,
        organization_id: component.partner_org_id,
        kind: PostingKind::Offer,
        title: component.title.clone(),
        description,
        language: program.language,
        category: component.category.clone(),
        skills: StringList::default(),
        province: None,
        remote: true,
        quantity: component.capacity,
        unit: component.unit,
        filled_by_one: false,
        value_cad: component
            .value_cad
            .map(|v| (v * f64::from(component.capacity)).round() as i64),
        hours: None,
        starts_on: None,
        ends_on: None,
        expires_at: None,
        status: PostingStatus::Open,
        eligibility: Some(program.eligibility.clone()),
        hidden_code: None,
        hidden_reason: None,
        hidden_at: None,
        closing_note: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// The need an applicant's request stands for when it names none of its needs.
fn requested_need(
    program: &program::Model,
    component: &program_component::Model,
    org: &organization::Model,
    units: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> posting::Model {
    posting::Model {
        organization_id: org.id,
        kind: PostingKind::Need,
        title: format!("{} ({})", component.title, program.title)
            .chars()
            .take(200)
            .collect(),
        description: format!("{}: {}", program.title, component.title),
        province: Some(org.province.clone()),
        quantity: units,
        value_cad: None,
        eligibility: None,
        ..component_offer(program, component, now)
    }
}

fn run_not_found(id: i64) -> AppError {
    AppError::new(
        ErrorCode::AllocationRunNotFound,
        format!("No allocation run {id} of a program you work on."),
    )
}

fn applicant_key(id: i64) -> String {
    format!("a{id}")
}
fn component_key(id: i64) -> String {
    format!("c{id}")
}
fn partner_key(id: i64) -> String {
    format!("p{id}")
}

/// What an allocation of a program reads from the database.
struct Inputs {
    components: Vec<program_component::Model>,
    /// The applications it decides, in the order they were sent: submitted ones (and, once a
    /// run is confirmed, those it decided).
    applications: Vec<program_application::Model>,
    orgs: HashMap<i64, organization::Model>,
    needs: HashMap<i64, posting::Model>,
}

async fn inputs(db: &impl ConnectionTrait, program_id: i64) -> AppResult<Inputs> {
    let components = program_component::Entity::find()
        .filter(program_component::Column::ProgramId.eq(program_id))
        .order_by_asc(program_component::Column::Id)
        .all(db)
        .await?;
    let applications = program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program_id))
        .filter(program_application::Column::Status.is_in([
            ApplicationStatus::Submitted,
            ApplicationStatus::Selected,
            ApplicationStatus::Waitlisted,
            ApplicationStatus::NotSelected,
        ]))
        .order_by_asc(program_application::Column::SubmittedAt)
        .all(db)
        .await?;
    let mut org_ids: Vec<i64> = applications.iter().map(|a| a.organization_id).collect();
    org_ids.extend(components.iter().map(|c| c.partner_org_id));
    let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let need_ids: Vec<i64> = applications
        .iter()
        .flat_map(|a| a.requests.0.iter().filter_map(|r| r.need_id))
        .collect();
    let needs: HashMap<i64, posting::Model> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(need_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();

    Ok(Inputs {
        components,
        applications,
        orgs,
        needs,
    })
}

/// The solver's instance for a program's applications, with the team's pins and exclusions, and
/// the fit of each (application, component).
fn instance(
    program: &program::Model,
    partners: &[entity::program_partner::Model],
    inputs: &Inputs,
    input: &RunInput,
    fit: Fit<'_>,
) -> (Instance, HashMap<(i64, i64), f64>) {
    let Inputs {
        components,
        applications,
        orgs,
        needs,
    } = inputs;

    let now = crate::domain::now();
    let mut fits: HashMap<(i64, i64), f64> = HashMap::new();
    let mut instance = Instance {
        partners: Vec::new(),
        components: Vec::new(),
        applicants: Vec::new(),
        priority: program
            .priority_groups
            .0
            .iter()
            .map(|g| (g.code.clone(), g.weight))
            .collect(),
        diminishing: program.diminishing,
        fairness: program.fairness,
        min_shares: program
            .priority_groups
            .0
            .iter()
            .filter_map(|g| {
                g.min_share.map(|share| solver::MinShare {
                    group: g.code.clone(),
                    share,
                })
            })
            .collect(),
    };
    for component in components {
        let key = partner_key(component.partner_org_id);
        if !instance.partners.iter().any(|p| p.id == key) {
            instance.partners.push(solver::Partner {
                capacity: partners
                    .iter()
                    .find(|p| p.organization_id == component.partner_org_id)
                    .and_then(|p| p.cap)
                    .map(|cap| cap.max(0) as u32),
                id: key.clone(),
            });
        }
        instance.components.push(solver::Component {
            id: component_key(component.id),
            partner: key,
            capacity: component.capacity.max(0) as u32,
            per_org_max: component.per_org_max.map(|m| m.max(0) as u32),
        });
    }
    for application in applications {
        let Some(org) = orgs.get(&application.organization_id) else {
            continue;
        };
        let mut requests = Vec::new();
        for request in &application.requests.0 {
            let Some(component) = components.iter().find(|c| c.id == request.component_id) else {
                continue;
            };
            if input.excludes(application.id, component.id) {
                continue;
            }
            let offer = component_offer(program, component, now);
            let need = request
                .need_id
                .and_then(|id| needs.get(&id))
                .cloned()
                .unwrap_or_else(|| requested_need(program, component, org, request.units, now));
            let score = orgs
                .get(&component.partner_org_id)
                .map_or(0.0, |partner| fit(&need, org, &offer, partner));
            fits.insert((application.id, component.id), score);
            requests.push(solver::Request {
                component: component_key(component.id),
                units: request.units.max(0) as u32,
                fit: score,
                pinned: input
                    .pins
                    .iter()
                    .find(|p| p.application_id == application.id && p.component_id == component.id)
                    .map_or(0, |p| p.units.max(0) as u32),
            });
        }
        instance.applicants.push(solver::Applicant {
            id: applicant_key(application.id),
            groups: groups_of(program, org, &application.groups.0)
                .iter()
                .map(|g| g.code.clone())
                .collect(),
            max_units: application.max_units.map(|m| m.max(0) as u32),
            requests,
            bundle: application.all_or_nothing,
        });
    }
    (instance, fits)
}

/// The instance a program's allocation solves (no pins or exclusions), to check or benchmark it
/// apart from the database with `passerelle allocate`.
pub async fn program_instance(
    db: &impl ConnectionTrait,
    program_id: i64,
    fit: Fit<'_>,
) -> AppResult<Instance> {
    let program = load(db, program_id).await?;
    let partners = entity::program_partner::Entity::find()
        .filter(entity::program_partner::Column::ProgramId.eq(program_id))
        .all(db)
        .await?;
    let inputs = inputs(db, program_id).await?;
    Ok(instance(&program, &partners, &inputs, &RunInput::default(), fit).0)
}

/// Runs the allocation of a program's submitted applications and keeps the result.
pub async fn run(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    program_id: i64,
    input: RunInput,
    fit: Fit<'_>,
) -> AppResult<(allocation_run::Model, RunResult)> {
    let txn = crate::domain::begin_write(db).await?;
    let program = load(&txn, program_id).await?;
    let partners = require_team(&txn, user_id, &program).await?;
    if let Some(confirmed) = confirmed_run(&txn, program_id).await? {
        return Err(AppError::new(
            ErrorCode::AllocationConfirmed,
            format!(
                "Run {} of program {program_id} is confirmed; its partnerships are under way.",
                confirmed.id
            ),
        ));
    }
    let inputs = inputs(&txn, program_id).await?;
    let applications = &inputs.applications;
    let mut errors = FieldErrors::default();
    for (i, pin) in input.pins.iter().enumerate() {
        let asked = applications
            .iter()
            .find(|a| a.id == pin.application_id)
            .and_then(|a| {
                a.requests
                    .0
                    .iter()
                    .find(|r| r.component_id == pin.component_id)
            });
        match asked {
            None => errors.add(format!("pins[{i}]"), Invalid::NotFound),
            Some(request) if !(1..=request.units).contains(&pin.units) => errors.add(
                format!("pins[{i}].units"),
                Invalid::OutOfRange.with([("min", json!(1)), ("max", json!(request.units))]),
            ),
            Some(_) => {}
        }
    }
    for (i, exclusion) in input.exclusions.iter().enumerate() {
        if !applications.iter().any(|a| {
            a.id == exclusion.application_id
                && a.requests
                    .0
                    .iter()
                    .any(|r| r.component_id == exclusion.component_id)
        }) {
            errors.add(format!("exclusions[{i}]"), Invalid::NotFound);
        }
    }
    errors.finish()?;
    let (instance, fits) = instance(&program, &partners, &inputs, &input, fit);
    let now = crate::domain::now();
    let allocation = solver::solve(&instance).map_err(|err| {
        AppError::field(
            "pins",
            Invalid::PinsBreakLimits.with([("reason", json!(err.to_string()))]),
        )
    })?;
    let result = explain(
        &program,
        &instance,
        &allocation,
        applications,
        &inputs.orgs,
        &fits,
        &input,
    );
    let saved = allocation_run::ActiveModel {
        program_id: Set(program_id),
        run_by: Set(Some(user_id)),
        pins: Set(json!(input.pins)),
        exclusions: Set(json!(input.exclusions)),
        result: Set(serde_json::to_value(&result).map_err(anyhow::Error::from)?),
        value: Set(result.value),
        confirmed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "program.allocate",
            OutboxEntity::Program,
            program_id,
            json!({ "run_id": saved.id, "value": result.value }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok((saved, result))
}

/// Each applicant's decision and each full component's waitlist, from an allocation.
fn explain(
    program: &program::Model,
    instance: &Instance,
    allocation: &solver::Allocation,
    applications: &[program_application::Model],
    orgs: &HashMap<i64, organization::Model>,
    fits: &HashMap<(i64, i64), f64>,
    input: &RunInput,
) -> RunResult {
    let given: HashMap<(&str, &str), u32> = allocation
        .assignments
        .iter()
        .map(|a| ((a.applicant.as_str(), a.component.as_str()), a.units))
        .collect();
    let mut per_component: HashMap<&str, u32> = HashMap::new();
    let mut per_partner: HashMap<&str, u32> = HashMap::new();
    let mut per_applicant: HashMap<&str, u32> = HashMap::new();
    for a in &allocation.assignments {
        *per_component.entry(&a.component).or_default() += a.units;
        let partner = &instance
            .components
            .iter()
            .find(|c| c.id == a.component)
            .expect("an assignment names a component of its instance")
            .partner;
        *per_partner.entry(partner).or_default() += a.units;
        *per_applicant.entry(&a.applicant).or_default() += a.units;
    }
    // (component, application, what its next unit would add), to rank waitlists.
    let mut waiting: Vec<(i64, i64, f64)> = Vec::new();
    let mut decisions = Vec::new();
    for application in applications {
        let Some(applicant) = instance
            .applicants
            .iter()
            .find(|a| a.id == applicant_key(application.id))
        else {
            continue;
        };
        let priority: f64 = applicant
            .groups
            .iter()
            .filter_map(|g| instance.priority.get(g))
            .sum();
        let received = per_applicant
            .get(applicant.id.as_str())
            .copied()
            .unwrap_or(0);
        let mut lines = Vec::new();
        for request in &application.requests.0 {
            let key = component_key(request.component_id);
            let fit = fits
                .get(&(application.id, request.component_id))
                .copied()
                .unwrap_or(0.0);
            let got = given
                .get(&(applicant.id.as_str(), key.as_str()))
                .copied()
                .unwrap_or(0);
            let value: f64 = (1..=got)
                .map(|k| (fit + priority) * instance.diminishing.powi(k as i32 - 1))
                .sum();
            let pinned = applicant
                .requests
                .iter()
                .any(|r| r.component == key && r.pinned > 0);
            let shortfall = if got >= request.units.max(0) as u32 {
                None
            } else if input.excludes(application.id, request.component_id) {
                Some(Shortfall::Excluded)
            } else if application.all_or_nothing && received == 0 {
                Some(Shortfall::Bundle)
            } else if fit + priority <= 0.0 {
                Some(Shortfall::NotAFit)
            } else {
                let component = instance
                    .components
                    .iter()
                    .find(|c| c.id == key)
                    .expect("requests name components of the program");
                let partner = instance
                    .partners
                    .iter()
                    .find(|p| p.id == component.partner)
                    .expect("components name partners of the instance");
                let component_given = per_component.get(key.as_str()).copied().unwrap_or(0);
                let partner_given = per_partner.get(partner.id.as_str()).copied().unwrap_or(0);
                if component.per_org_max.is_some_and(|max| got >= max) {
                    Some(Shortfall::PerOrgMax)
                } else if applicant.max_units.is_some_and(|max| received >= max) {
                    Some(Shortfall::OwnMaximum)
                } else if component_given >= component.capacity {
                    Some(Shortfall::ComponentFull)
                } else if partner.capacity.is_some_and(|cap| partner_given >= cap) {
                    Some(Shortfall::PartnerCap)
                } else {
                    Some(Shortfall::Fairness)
                }
            };
            if matches!(
                shortfall,
                Some(Shortfall::ComponentFull | Shortfall::PartnerCap)
            ) {
                let next = (fit + priority) * instance.diminishing.powi(got as i32)
                    - instance.fairness * f64::from(received);
                waiting.push((request.component_id, application.id, next));
            }
            lines.push(DecisionLine {
                component_id: request.component_id,
                asked: request.units,
                given: got as i32,
                fit,
                value,
                pinned,
                shortfall,
                waitlist_position: None,
            });
        }
        let org = orgs.get(&application.organization_id);
        decisions.push(Decision {
            application_id: application.id,
            organization_id: application.organization_id,
            organization_name: org.map(|o| o.name.clone()).unwrap_or_default(),
            status: ApplicationStatus::NotSelected,
            groups: org
                .map(|org| {
                    groups_of(program, org, &application.groups.0)
                        .iter()
                        .map(|g| g.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            lines,
        });
    }
    waiting.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
    let mut waitlists: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (component, application, _) in waiting {
        waitlists.entry(component).or_default().push(application);
    }
    for decision in &mut decisions {
        for line in &mut decision.lines {
            line.waitlist_position = waitlists.get(&line.component_id).and_then(|list| {
                list.iter()
                    .position(|id| *id == decision.application_id)
                    .map(|i| i + 1)
            });
        }
        decision.status = if decision.lines.iter().any(|l| l.given > 0) {
            ApplicationStatus::Selected
        } else if decision.lines.iter().any(|l| l.waitlist_position.is_some()) {
            ApplicationStatus::Waitlisted
        } else {
            ApplicationStatus::NotSelected
        };
    }
    RunResult {
        value: allocation.value,
        value_without_constraints: allocation.relaxed_value,
        decisions,
        waitlists: waitlists
            .into_iter()
            .map(|(component_id, application_ids)| Waitlist {
                component_id,
                application_ids,
            })
            .collect(),
    }
}

/// The program's confirmed run, if any (at most one).
pub(super) async fn confirmed_run(
    db: &impl ConnectionTrait,
    program_id: i64,
) -> AppResult<Option<allocation_run::Model>> {
    Ok(allocation_run::Entity::find()
        .filter(allocation_run::Column::ProgramId.eq(program_id))
        .filter(allocation_run::Column::ConfirmedAt.is_not_null())
        .one(db)
        .await?)
}

/// A run and its result, for the program's team.
pub async fn get_run(
    db: &impl ConnectionTrait,
    user_id: i64,
    run_id: i64,
) -> AppResult<(allocation_run::Model, RunResult)> {
    let run = allocation_run::Entity::find_by_id(run_id)
        .one(db)
        .await?
        .ok_or_else(|| run_not_found(run_id))?;
    let program = load(db, run.program_id).await?;
    require_team(db, user_id, &program)
        .await
        .map_err(|_| run_not_found(run_id))?;
    let result = serde_json::from_value(run.result.clone()).map_err(anyhow::Error::from)?;
    Ok((run, result))
}

/// The runs of a program, newest first, for its team.
pub async fn runs(
    db: &impl ConnectionTrait,
    user_id: i64,
    program_id: i64,
) -> AppResult<Vec<allocation_run::Model>> {
    let program = load(db, program_id).await?;
    require_team(db, user_id, &program).await?;
    Ok(allocation_run::Entity::find()
        .filter(allocation_run::Column::ProgramId.eq(program_id))
        .order_by_desc(allocation_run::Column::Id)
        .all(db)
        .await?)
}

/// Inserts a posting made by the program (an offer for a component, a need for a request), with
/// its journal entry.
async fn publish(
    txn: &impl ConnectionTrait,
    user_id: i64,
    model: posting::Model,
) -> AppResult<posting::Model> {
    let mut active: posting::ActiveModel = model.into();
    active.id = sea_orm::ActiveValue::NotSet;
    let created = active.insert(txn).await?;
    journal::record(
        txn,
        journal::Event::new(
            Some(user_id),
            format!("{}.create", created.kind.as_str()),
            OutboxEntity::Posting,
            created.id,
            json!({ "title": created.title, "status": created.status.as_str(), "program": true }),
        ),
    )
    .await?;
    Ok(created)
}

/// Proposes `units` of a component to an applicant: its offer (published on first use), the
/// need its request names (or one published for it), and a partnership proposed by the partner.
#[allow(clippy::too_many_arguments)]
async fn propose_component(
    txn: &impl ConnectionTrait,
    user_id: i64,
    program: &program::Model,
    component: &mut program_component::Model,
    application: &program_application::Model,
    units: i32,
    fit: f64,
    expiry_days: u32,
) -> AppResult<partnership::Model> {
    let now = crate::domain::now();
    let published = match component.offer_id {
        Some(id) => posting::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    let offer = match published {
        Some(offer) => offer,
        None => {
            let offer = publish(txn, user_id, component_offer(program, component, now)).await?;
            let mut active: program_component::ActiveModel = component.clone().into();
            active.offer_id = Set(Some(offer.id));
            *component = active.update(txn).await?;
            offer
        }
    };
    let named = application
        .requests
        .0
        .iter()
        .find(|r| r.component_id == component.id)
        .and_then(|r| r.need_id);
    let need = match named {
        Some(id) => posting::Entity::find_by_id(id)
            .one(txn)
            .await?
            .filter(|n| n.status == PostingStatus::Open && n.quantity > 0),
        None => None,
    };
    let need = match need {
        Some(need) => need,
        None => {
            let org = crate::domain::organizations::get(txn, application.organization_id).await?;
            publish(
                txn,
                user_id,
                requested_need(program, component, &org, units, now),
            )
            .await?
        }
    };
    let message = match program.language {
        Language::En => format!(
            "Selected in the program “{}”: {} of “{}”.",
            program.title, units, component.title
        ),
        Language::Fr => format!(
            "Retenu dans le programme « {} » : {} de « {} ».",
            program.title, units, component.title
        ),
    };
    let created = crate::domain::partnerships::record_proposal(
        txn,
        user_id,
        crate::domain::partnerships::Pending {
            need: &need,
            offer: &offer,
            proposer_org_id: component.partner_org_id,
            proposer_user_id: None,
            message,
            score: Some(fit),
            reasons: None,
            units,
            expires_at: now + chrono::Duration::days(i64::from(expiry_days)),
            program: Some((program.id, component.id)),
        },
    )
    .await?;
    Ok(created)
}

/// Confirms a run: every selection becomes a partnership proposed by the component's partner,
/// every application its decision (and its organization is told).
pub async fn confirm(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    run_id: i64,
    expiry_days: u32,
) -> AppResult<Vec<partnership::Model>> {
    let txn = crate::domain::begin_write(db).await?;
    let run = allocation_run::Entity::find_by_id(run_id)
        .one(&txn)
        .await?
        .ok_or_else(|| run_not_found(run_id))?;
    let program = load(&txn, run.program_id).await?;
    require_team(&txn, user_id, &program)
        .await
        .map_err(|_| run_not_found(run_id))?;
    if let Some(confirmed) = confirmed_run(&txn, program.id).await? {
        return Err(AppError::new(
            ErrorCode::AllocationConfirmed,
            format!(
                "Run {} of program {} is confirmed already.",
                confirmed.id, program.id
            ),
        ));
    }
    let result: RunResult =
        serde_json::from_value(run.result.clone()).map_err(anyhow::Error::from)?;
    let mut components: Vec<program_component::Model> = program_component::Entity::find()
        .filter(program_component::Column::ProgramId.eq(program.id))
        .all(&txn)
        .await?;
    let applications = program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program.id))
        .all(&txn)
        .await?;
    let now = crate::domain::now();
    let mut created = Vec::new();
    for decision in &result.decisions {
        // An application withdrawn since the run keeps its withdrawal.
        let Some(application) = applications
            .iter()
            .find(|a| a.id == decision.application_id)
            .filter(|a| a.status == ApplicationStatus::Submitted)
        else {
            continue;
        };
        for line in decision.lines.iter().filter(|l| l.given > 0) {
            let Some(component) = components.iter_mut().find(|c| c.id == line.component_id) else {
                continue;
            };
            created.push(
                propose_component(
                    &txn,
                    user_id,
                    &program,
                    component,
                    application,
                    line.given,
                    line.fit,
                    expiry_days,
                )
                .await?,
            );
        }
        decide(&txn, user_id, application, decision, now).await?;
    }
    let mut active: allocation_run::ActiveModel = run.into();
    active.confirmed_at = Set(Some(now));
    active.update(&txn).await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// Records an application's decision; its organization is told.
async fn decide(
    txn: &impl ConnectionTrait,
    user_id: i64,
    application: &program_application::Model,
    decision: &Decision,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let mut active: program_application::ActiveModel = application.clone().into();
    active.status = Set(decision.status);
    active.decision = Set(Some(
        serde_json::to_value(decision).map_err(anyhow::Error::from)?,
    ));
    active.version = Set(application.version + 1);
    active.updated_at = Set(now);
    active.update(txn).await?;
    journal::record(
        txn,
        journal::Event::new(
            Some(user_id),
            "application.decide",
            OutboxEntity::ProgramApplication,
            application.id,
            json!({ "program_id": application.program_id, "status": decision.status }),
        ),
    )
    .await?;
    Ok(())
}

/// After an organization declines a program's proposal, offers its units to the next
/// application on the component's waitlist that has no partnership for it yet.
pub(crate) async fn offer_to_next(
    txn: &impl ConnectionTrait,
    user_id: i64,
    declined: &partnership::Model,
) -> AppResult<Option<partnership::Model>> {
    // The next organization has as long to answer as the one that declined had.
    let expiry_days = (declined.expires_at - declined.created_at)
        .num_days()
        .max(1) as u32;
    let (Some(program_id), Some(component_id)) = (declined.program_id, declined.component_id)
    else {
        return Ok(None);
    };
    let Some(run) = confirmed_run(txn, program_id).await? else {
        return Ok(None);
    };
    let result: RunResult = serde_json::from_value(run.result).map_err(anyhow::Error::from)?;
    let Some(waitlist) = result
        .waitlists
        .iter()
        .find(|w| w.component_id == component_id)
    else {
        return Ok(None);
    };
    let program = load(txn, program_id).await?;
    let Some(mut component) = program_component::Entity::find_by_id(component_id)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let served: Vec<i64> = partnership::Entity::find()
        .filter(partnership::Column::ComponentId.eq(component_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| p.need_org_id)
        .collect();
    for application_id in &waitlist.application_ids {
        let Some(application) = program_application::Entity::find_by_id(*application_id)
            .one(txn)
            .await?
        else {
            continue;
        };
        if served.contains(&application.organization_id)
            || !matches!(
                application.status,
                ApplicationStatus::Waitlisted | ApplicationStatus::Selected
            )
        {
            continue;
        }
        let Some(line) = result
            .decisions
            .iter()
            .find(|d| d.application_id == application.id)
            .and_then(|d| d.lines.iter().find(|l| l.component_id == component_id))
        else {
            continue;
        };
        let units = declined.units.min(line.asked - line.given).max(1);
        let proposed = propose_component(
            txn,
            user_id,
            &program,
            &mut component,
            &application,
            units,
            line.fit,
            expiry_days,
        )
        .await?;
        if application.status == ApplicationStatus::Waitlisted {
            let mut decision: Decision = application
                .decision
                .clone()
                .and_then(|d| serde_json::from_value(d).ok())
                .unwrap_or_else(|| {
                    result
                        .decisions
                        .iter()
                        .find(|d| d.application_id == application.id)
                        .cloned()
                        .expect("the waitlisted application has a decision")
                });
            decision.status = ApplicationStatus::Selected;
            if let Some(line) = decision
                .lines
                .iter_mut()
                .find(|l| l.component_id == component_id)
            {
                line.given = units;
            }
            decide(txn, user_id, &application, &decision, crate::domain::now()).await?;
        }
        return Ok(Some(proposed));
    }
    Ok(None)
}
