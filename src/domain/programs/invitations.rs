//! Invitations: while the call is not closed, the program's team invites an eligible organization
//! that has not applied (the matcher finds the best-fitting ones); its members are told. An
//! organization is invited to a program once.

use entity::{
    ApplicationStatus, OutboxEntity, organization, program, program_application, program_invitation,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

use super::{CallState, eligible, load, require_team};
use crate::domain::journal;
use crate::error::{AppError, AppResult, ErrorCode, Invalid};

/// Invites an organization to apply.
pub async fn invite(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    program_id: i64,
    organization_id: i64,
    taxonomy: &crate::domain::taxonomy::Taxonomy,
) -> AppResult<program_invitation::Model> {
    let txn = crate::domain::begin_write(db).await?;
    let program = load(&txn, program_id).await?;
    require_team(&txn, user_id, &program).await?;
    if CallState::of(&program, crate::domain::now()) == CallState::Closed
        || super::confirmed_run(&txn, program_id).await?.is_some()
    {
        return Err(AppError::new(
            ErrorCode::CallClosed,
            format!("The call of program {program_id} is over; nobody is invited any more."),
        ));
    }
    let org = organization::Entity::find_by_id(organization_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::field("organization_id", Invalid::NotFound))?;
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
    if applied(&txn, program_id).await?.contains(&organization_id) {
        return Err(AppError::field("organization_id", Invalid::AlreadyApplied));
    }
    if invitations(&txn, program_id)
        .await?
        .iter()
        .any(|i| i.organization_id == organization_id)
    {
        return Err(AppError::new(
            ErrorCode::AlreadyInvited,
            format!("{} is invited to program {program_id} already.", org.name),
        ));
    }
    let invitation = program_invitation::ActiveModel {
        program_id: Set(program_id),
        organization_id: Set(organization_id),
        invited_by: Set(Some(user_id)),
        created_at: Set(crate::domain::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "program.invite",
            OutboxEntity::Program,
            program_id,
            json!({ "organization_id": organization_id }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(invitation)
}

/// The organizations that applied (submitted, or decided), not counting drafts and withdrawals.
pub async fn applied(db: &impl ConnectionTrait, program_id: i64) -> AppResult<Vec<i64>> {
    Ok(program_application::Entity::find()
        .filter(program_application::Column::ProgramId.eq(program_id))
        .filter(
            program_application::Column::Status
                .is_not_in([ApplicationStatus::Draft, ApplicationStatus::Withdrawn]),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.organization_id)
        .collect())
}

/// The program's invitations.
pub async fn invitations(
    db: &impl ConnectionTrait,
    program_id: i64,
) -> AppResult<Vec<program_invitation::Model>> {
    Ok(program_invitation::Entity::find()
        .filter(program_invitation::Column::ProgramId.eq(program_id))
        .all(db)
        .await?)
}

/// The program, for the team only (the candidates to invite are computed by the matcher).
pub async fn for_team(
    db: &impl ConnectionTrait,
    user_id: i64,
    program_id: i64,
) -> AppResult<program::Model> {
    let program = load(db, program_id).await?;
    require_team(db, user_id, &program).await?;
    Ok(program)
}
