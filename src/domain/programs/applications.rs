//! Applying to a program: during the call an eligible organization asks for components (how many
//! units of each, and which of its needs they meet), answers the questions, says which declared
//! priority groups it belongs to, and submits; it may withdraw until the allocation is confirmed.
//! Applications are seen by the applicant and the program's team only.

use entity::{
    ApplicationStatus, OutboxEntity, PostingKind, StringList, organization, posting, program,
    program_application, program_component,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{CallState, eligible, load, require_team};
use crate::domain::journal;
use crate::domain::organizations::{member_org_ids, require_member};
use crate::domain::types;
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid};

/// An application, written or sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    /// Which of your organizations applies; required if you belong to several.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// The components asked for: one to 20.
    pub requests: Vec<entity::program_application::ComponentRequest>,
    /// Answers to the program's questions, in their order (each up to 2,000 characters).
    #[serde(default)]
    pub answers: Vec<String>,
    /// Codes of the priority groups you say you belong to (those the program asks applicants
    /// to declare).
    #[serde(default)]
    pub groups: Vec<String>,
    /// The most units you take in all.
    #[serde(default)]
    pub max_units: Option<i32>,
    /// All the components asked for, or none of them (a bundle).
    #[serde(default)]
    pub all_or_nothing: bool,
    /// Send it now (default); `false` keeps a draft.
    #[serde(default = "yes")]
    pub submit: bool,
}

fn yes() -> bool {
    true
}

fn application_not_found(id: i64) -> AppError {
    AppError::new(
        ErrorCode::ApplicationNotFound,
        format!("No application {id} among those you may see."),
    )
}

/// Writes the organization's application to a program (a new one, or its draft or submission
/// replaced while the call is open).
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    program_id: i64,
    input: ApplicationInput,
    taxonomy: &crate::domain::taxonomy::Taxonomy,
) -> AppResult<program_application::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let program = load(&txn, program_id).await?;
    let now = crate::domain::now();
    if CallState::of(&program, now) != CallState::Open {
        return Err(AppError::new(
            ErrorCode::CallClosed,
            format!(
                "The call of program {program_id} is open from {} to {}.",
                program.opens_at, program.closes_at
            ),
        ));
    }
    if let Some(run) = super::confirmed_run(&txn, program_id).await? {
        return Err(AppError::new(
            ErrorCode::AllocationConfirmed,
            format!(
                "Program {program_id} confirmed its allocation (run {}); it takes no more applications.",
                run.id
            ),
        ));
    }
    let org_id = crate::domain::postings::publisher(&txn, user_id, input.organization_id).await?;
    require_member(&txn, user_id, org_id).await?;
    let org = crate::domain::organizations::get(&txn, org_id).await?;
    if let Err(rule) = eligible(&program, &org) {
        return Err(AppError::field(
            "organization_id",
            Invalid::NotEligible.with([
                ("rule", json!(rule.code())),
                (
                    "reason",
                    json!(rule.describe(
                        &program.eligibility,
                        &org,
                        entity::Language::En,
                        taxonomy
                    )),
                ),
            ]),
        ));
    }
    let components = program_component::Entity::find()
        .filter(program_component::Column::ProgramId.eq(program_id))
        .all(&txn)
        .await?;
    let needs: Vec<posting::Model> = posting::Entity::find()
        .filter(posting::Column::OrganizationId.eq(org_id))
        .filter(posting::Column::Kind.eq(PostingKind::Need))
        .all(&txn)
        .await?;
    let mut errors = FieldErrors::default();
    parse_requests(&input, &components, &needs, &mut errors);
    if input.submit && input.answers.len() != program.questions.0.len() {
        errors.add(
            "answers",
            Invalid::AnswerEach.with([("count", json!(program.questions.0.len()))]),
        );
    }
    let answers: Vec<String> = input
        .answers
        .iter()
        .take(program.questions.0.len())
        .enumerate()
        .filter_map(|(i, a)| {
            let min = usize::from(input.submit);
            errors.check(
                &format!("answers[{i}]"),
                types::text(a, min, 2_000).or_else(|e| {
                    if a.trim().is_empty() && !input.submit {
                        Ok(String::new())
                    } else {
                        Err(e)
                    }
                }),
            )
        })
        .collect();
    for (i, code) in input.groups.iter().enumerate() {
        if !program
            .priority_groups
            .0
            .iter()
            .any(|g| g.declared() && g.code == *code)
        {
            errors.add(format!("groups[{i}]"), Invalid::NotFound);
        }
    }
    if let Some(max) = input.max_units
        && !(1..=100_000).contains(&max)
    {
        errors.add(
            "max_units",
            Invalid::OutOfRange.with([("min", json!(1)), ("max", json!(100_000))]),
        );
    }
    errors.finish()?;

    let existing = program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program_id))
        .filter(program_application::Column::OrganizationId.eq(org_id))
        .one(&txn)
        .await?;
    let status = if input.submit {
        ApplicationStatus::Submitted
    } else {
        ApplicationStatus::Draft
    };
    let saved = match existing {
        Some(old)
            if old.status == ApplicationStatus::Draft
                || old.status == ApplicationStatus::Submitted
                || old.status == ApplicationStatus::Withdrawn =>
        {
            let version = old.version;
            let mut active: program_application::ActiveModel = old.into();
            active.status = Set(status);
            active.requests = Set(entity::program_application::Requests(input.requests));
            active.answers = Set(StringList(answers));
            active.groups = Set(StringList(input.groups));
            active.max_units = Set(input.max_units);
            active.all_or_nothing = Set(input.all_or_nothing);
            active.submitted_at = Set(input.submit.then_some(now));
            active.version = Set(version + 1);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        Some(old) => {
            return Err(AppError::new(
                ErrorCode::ApplicationDecided,
                format!(
                    "Application {} is {} already; it can no longer change.",
                    old.id, old.status
                ),
            ));
        }
        None => {
            program_application::ActiveModel {
                program_id: Set(program_id),
                organization_id: Set(org_id),
                status: Set(status),
                requests: Set(entity::program_application::Requests(input.requests)),
                answers: Set(StringList(answers)),
                groups: Set(StringList(input.groups)),
                max_units: Set(input.max_units),
                all_or_nothing: Set(input.all_or_nothing),
                decision: Set(None),
                created_by: Set(Some(user_id)),
                submitted_at: Set(input.submit.then_some(now)),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            if input.submit {
                "application.submit"
            } else {
                "application.draft"
            },
            OutboxEntity::ProgramApplication,
            saved.id,
            json!({ "program_id": program_id, "organization_id": org_id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(saved)
}

fn parse_requests(
    input: &ApplicationInput,
    components: &[program_component::Model],
    needs: &[posting::Model],
    errors: &mut FieldErrors,
) {
    if input.requests.is_empty() {
        errors.add("requests", Invalid::Required);
    }
    if input.requests.len() > 20 {
        errors.add("requests", Invalid::TooMany.with([("max", json!(20))]));
    }
    for (i, request) in input.requests.iter().enumerate() {
        let at = |field: &str| format!("requests[{i}].{field}");
        let Some(component) = components.iter().find(|c| c.id == request.component_id) else {
            errors.add(at("component_id"), Invalid::NotFound);
            continue;
        };
        if input.requests[..i]
            .iter()
            .any(|r| r.component_id == request.component_id)
        {
            errors.add(at("component_id"), Invalid::DuplicateName);
        }
        let most = component.per_org_max.unwrap_or(component.capacity);
        if !(1..=most).contains(&request.units) {
            errors.add(
                at("units"),
                Invalid::OutOfRange.with([("min", json!(1)), ("max", json!(most))]),
            );
        }
        if let Some(need_id) = request.need_id
            && !needs.iter().any(|n| n.id == need_id)
        {
            errors.add(at("need_id"), Invalid::NotFound);
        }
    }
}

/// What an organization's application form starts from: its application to the program (if it
/// wrote one) and its needs that are still open.
pub async fn form_of(
    db: &impl ConnectionTrait,
    user_id: i64,
    program_id: i64,
    org_id: i64,
) -> AppResult<(Option<program_application::Model>, Vec<posting::Model>)> {
    load(db, program_id).await?;
    require_member(db, user_id, org_id).await?;
    let application = program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program_id))
        .filter(program_application::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?;
    let needs = posting::Entity::find()
        .filter(posting::Column::OrganizationId.eq(org_id))
        .filter(posting::Column::Kind.eq(PostingKind::Need))
        .filter(posting::Column::Status.eq(entity::PostingStatus::Open))
        .order_by_asc(posting::Column::Title)
        .all(db)
        .await?;
    Ok((application, needs))
}

/// The organization takes its application back (before the allocation is confirmed).
pub async fn withdraw(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    application_id: i64,
) -> AppResult<program_application::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let application = program_application::Entity::find_by_id(application_id)
        .one(&txn)
        .await?
        .ok_or_else(|| application_not_found(application_id))?;
    if !member_org_ids(&txn, user_id)
        .await?
        .contains(&application.organization_id)
    {
        return Err(application_not_found(application_id));
    }
    if !matches!(
        application.status,
        ApplicationStatus::Draft | ApplicationStatus::Submitted
    ) {
        return Err(AppError::new(
            ErrorCode::ApplicationDecided,
            format!(
                "Application {application_id} is {}; only a draft or a submitted application is withdrawn.",
                application.status
            ),
        ));
    }
    let now = crate::domain::now();
    let version = application.version;
    let mut active: program_application::ActiveModel = application.into();
    active.status = Set(ApplicationStatus::Withdrawn);
    active.version = Set(version + 1);
    active.updated_at = Set(now);
    let saved = active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "application.withdraw",
            OutboxEntity::ProgramApplication,
            saved.id,
            json!({ "program_id": saved.program_id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(saved)
}

/// An application with its organization.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub application: program_application::Model,
    pub org: organization::Model,
}

/// The applications the user may see: all but drafts for the program's team, its own for an
/// applicant.
pub async fn applications(
    db: &impl ConnectionTrait,
    user_id: i64,
    program_id: i64,
) -> AppResult<Vec<ApplicationView>> {
    let program: program::Model = load(db, program_id).await?;
    let mine = member_org_ids(db, user_id).await?;
    let team = require_team(db, user_id, &program).await.is_ok();
    let rows = program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program_id))
        .order_by_asc(program_application::Column::Id)
        .all(db)
        .await?;
    let rows: Vec<program_application::Model> = rows
        .into_iter()
        .filter(|a| {
            mine.contains(&a.organization_id) || (team && a.status != ApplicationStatus::Draft)
        })
        .collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(rows.iter().map(|a| a.organization_id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|application| {
            let org = orgs
                .iter()
                .find(|o| o.id == application.organization_id)?
                .clone();
            Some(ApplicationView { application, org })
        })
        .collect())
}
