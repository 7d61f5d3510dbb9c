//! Single-use links sent by email: resetting a forgotten password, confirming an address (at
//! sign-up and on a change), and invitations to join an organization. Each link is a random
//! secret of which only a SHA-256 is stored; it works once and expires. The email that carries it
//! is queued in the transaction that creates it.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use entity::{
    Language, OutboxEntity, Role, TokenKind, api_token, app_user, emailed_link, membership,
};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::accounts::hash_password;
use super::journal;
use super::notifications::queue_email;
use super::organizations;
use super::rate_limits::{RateLimits, Requester};
use super::schemas::{EmailAddress, NewPassword};
use super::types::{Email, Password};
use crate::error::{AppError, AppResult, ErrorCode, Invalid, is_unique_violation};

const PASSWORD_RESET: &str = "password_reset";
const CONFIRM_EMAIL: &str = "confirm_email";
const INVITATION: &str = "invitation";

/// How long each kind of link works.
fn lifetime(kind: &str) -> Duration {
    match kind {
        PASSWORD_RESET => Duration::hours(1),
        INVITATION => Duration::days(14),
        _ => Duration::days(7),
    }
}

fn digest(secret: &str) -> String {
    Sha256::digest(secret.trim().as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What a new link is for.
struct NewLink<'a> {
    kind: &'static str,
    user_id: Option<i64>,
    email: &'a str,
    organization: Option<(i64, Role)>,
    /// The language of the email when the address has no account (theirs otherwise).
    language: Language,
}

/// Stores a link and queues the email that carries it, in the caller's transaction.
async fn create(txn: &impl ConnectionTrait, link: NewLink<'_>) -> AppResult<()> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let now = super::now();
    emailed_link::ActiveModel {
        kind: Set(link.kind.to_owned()),
        token_hash: Set(digest(&secret)),
        user_id: Set(link.user_id),
        email: Set(link.email.to_owned()),
        organization_id: Set(link.organization.map(|(id, _)| id)),
        role: Set(link.organization.map(|(_, role)| role)),
        expires_at: Set(now + lifetime(link.kind)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut payload = json!({ "token": secret, "language": link.language.as_str() });
    if let Some((organization_id, role)) = link.organization {
        payload["organization_id"] = json!(organization_id);
        payload["role"] = json!(role.as_str());
    }
    queue_email(txn, link.user_id, link.email, link.kind, payload, now).await?;
    Ok(())
}

fn invalid_link() -> AppError {
    AppError::field("token", Invalid::InvalidLink)
}

/// Uses a link of `kind`: it must exist, be unused and unexpired; it is marked used in the
/// caller's transaction (conditionally, so that of two uses racing one wins).
async fn redeem(
    txn: &impl ConnectionTrait,
    kind: &str,
    secret: &str,
) -> AppResult<emailed_link::Model> {
    let now = super::now();
    let link = emailed_link::Entity::find()
        .filter(emailed_link::Column::TokenHash.eq(digest(secret)))
        .filter(emailed_link::Column::Kind.eq(kind))
        .one(txn)
        .await?
        .filter(|link| link.used_at.is_none() && link.expires_at > now)
        .ok_or_else(invalid_link)?;
    let used = emailed_link::Entity::update_many()
        .col_expr(emailed_link::Column::UsedAt, Expr::val(now))
        .filter(emailed_link::Column::Id.eq(link.id))
        .filter(emailed_link::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    if used.rows_affected == 0 {
        return Err(invalid_link());
    }
    Ok(link)
}

/// `POST /auth/password-reset`: an address.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[schema(value_type = EmailAddress)]
    pub email: String,
}

/// `POST /auth/password-reset/confirm`: the link's token and the new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    pub token: String,
    /// At least 10 characters, not a common password.
    #[schema(value_type = NewPassword)]
    pub password: String,
}

/// Sends a reset link when the address has an account; answers the same either way, so nobody
/// learns which addresses have one. A new link replaces the earlier ones.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    limits: &RateLimits,
    address: IpAddr,
    request: ResetRequest,
) -> AppResult<()> {
    let email = Email::parse(&request.email).map_err(|e| AppError::field("email", e))?;
    limits
        .emailed_link(db, Requester::Address(address), email.as_str())
        .await?;
    let txn = super::begin_write(db).await?;
    let Some(user) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
    else {
        return Ok(());
    };
    emailed_link::Entity::update_many()
        .col_expr(emailed_link::Column::UsedAt, Expr::val(super::now()))
        .filter(emailed_link::Column::UserId.eq(user.id))
        .filter(emailed_link::Column::Kind.eq(PASSWORD_RESET))
        .filter(emailed_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    create(
        &txn,
        NewLink {
            kind: PASSWORD_RESET,
            user_id: Some(user.id),
            email: &user.email,
            organization: None,
            language: user.language,
        },
    )
    .await?;
    journal::commit(txn).await?;
    Ok(())
}

/// Sets a new password from a reset link, ends every sign-in session of the account (API tokens
/// stay), and counts as proof that the person reads mail at the address.
pub async fn reset_password(
    db: &DatabaseConnection,
    request: ResetConfirm,
) -> AppResult<app_user::Model> {
    let txn = super::begin_write(db).await?;
    let link = redeem(&txn, PASSWORD_RESET, &request.token).await?;
    let user = app_user::Entity::find_by_id(link.user_id.unwrap_or_default())
        .one(&txn)
        .await?
        .ok_or_else(invalid_link)?;
    let context = [
        user.email.as_str(),
        user.display_name.as_str(),
        "passerelle",
    ];
    let password =
        Password::parse(&request.password, &context).map_err(|e| AppError::field("password", e))?;
    let hash = hash_password(&password).await?;
    let now = super::now();
    let mut active: app_user::ActiveModel = user.clone().into();
    active.password_hash = Set(hash);
    if user.email_confirmed_at.is_none() {
        active.email_confirmed_at = Set(Some(now));
    }
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::val(now))
        .filter(api_token::Column::UserId.eq(user.id))
        .filter(api_token::Column::Kind.eq(TokenKind::Session))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user.id),
            "user.password_reset",
            OutboxEntity::AppUser,
            user.id,
            json!({}),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// Sends a link that confirms `email` for the user (their address at sign-up, or the one they
/// want to change to), in the caller's transaction.
pub async fn request_confirmation(
    txn: &impl ConnectionTrait,
    user_id: i64,
    email: &Email,
) -> AppResult<()> {
    create(
        txn,
        NewLink {
            kind: CONFIRM_EMAIL,
            user_id: Some(user_id),
            email: email.as_str(),
            organization: None,
            language: Language::En,
        },
    )
    .await
}

/// `POST /auth/confirm-email`: the link's token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    pub token: String,
}

/// Confirms an address from its link: the account's address becomes the one confirmed (for a
/// change, the new one). An address another account took meanwhile is 409 `email_taken`.
pub async fn confirm_email(db: &DatabaseConnection, token: &str) -> AppResult<app_user::Model> {
    let txn = super::begin_write(db).await?;
    let link = redeem(&txn, CONFIRM_EMAIL, token).await?;
    let user = app_user::Entity::find_by_id(link.user_id.unwrap_or_default())
        .one(&txn)
        .await?
        .ok_or_else(invalid_link)?;
    let now = super::now();
    let changed = user.email != link.email;
    let mut active: app_user::ActiveModel = user.clone().into();
    active.email = Set(link.email.clone());
    active.email_confirmed_at = Set(Some(now));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await.map_err(|err| {
        if is_unique_violation(&err) {
            AppError::new(
                ErrorCode::EmailTaken,
                format!("{} already has another account.", link.email),
            )
        } else {
            err.into()
        }
    })?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user.id),
            if changed {
                "user.email_change"
            } else {
                "user.email_confirm"
            },
            OutboxEntity::AppUser,
            user.id,
            json!({}),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// Starts a change of address: the new one receives a confirmation link, and becomes the
/// account's address once it is followed.
pub async fn request_email_change(
    db: &DatabaseConnection,
    user: &app_user::Model,
    raw: &str,
) -> AppResult<()> {
    let email = Email::parse(raw).map_err(|e| AppError::field("email", e))?;
    let txn = super::begin_write(db).await?;
    let taken = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .filter(app_user::Column::Id.ne(user.id))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::field("email", Invalid::EmailTaken));
    }
    request_confirmation(&txn, user.id, &email).await?;
    journal::commit(txn).await?;
    Ok(())
}

/// `POST /organizations/{id}/invitations`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    #[schema(value_type = EmailAddress)]
    pub email: String,
    /// `member` (default) or `owner`.
    #[serde(default)]
    pub role: Option<Role>,
}

/// An owner invites someone, with or without an account, to join the organization: the address
/// receives a link that joins it (signing up first if need be).
pub async fn invite(
    db: &DatabaseConnection,
    limits: &RateLimits,
    owner_id: i64,
    organization_id: i64,
    input: InvitationInput,
) -> AppResult<()> {
    let email = Email::parse(&input.email).map_err(|e| AppError::field("email", e))?;
    let role = input.role.unwrap_or(Role::Member);
    limits
        .emailed_link(db, Requester::User(owner_id), email.as_str())
        .await?;
    let txn = super::begin_write(db).await?;
    let organization = organizations::get(&txn, organization_id).await?;
    organizations::require_owner(&txn, owner_id, organization_id).await?;
    let invitee = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?;
    if let Some(invitee) = &invitee {
        let member = membership::Entity::find()
            .filter(membership::Column::UserId.eq(invitee.id))
            .filter(membership::Column::OrganizationId.eq(organization_id))
            .one(&txn)
            .await?;
        if member.is_some() {
            return Err(AppError::new(
                ErrorCode::AlreadyMember,
                format!(
                    "{} already belongs to organization {organization_id}.",
                    email.as_str()
                ),
            ));
        }
    }
    create(
        &txn,
        NewLink {
            kind: INVITATION,
            user_id: invitee.as_ref().map(|user| user.id),
            email: email.as_str(),
            organization: Some((organization_id, role)),
            // A stranger reads it in the organization's first working language.
            language: organization
                .languages
                .0
                .first()
                .and_then(|l| Language::parse(l))
                .unwrap_or(Language::En),
        },
    )
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(owner_id),
            "organization.invite",
            OutboxEntity::Organization,
            organization_id,
            json!({ "email": email.as_str(), "role": role.as_str() }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(())
}

/// What an invitation link offers, before it is accepted.
pub struct Invitation {
    pub organization: entity::organization::Model,
    pub role: Role,
    pub email: String,
}

/// Reads an invitation without using it (the page that asks to accept).
pub async fn invitation(db: &DatabaseConnection, token: &str) -> AppResult<Invitation> {
    let link = emailed_link::Entity::find()
        .filter(emailed_link::Column::TokenHash.eq(digest(token)))
        .filter(emailed_link::Column::Kind.eq(INVITATION))
        .one(db)
        .await?
        .filter(|link| link.used_at.is_none() && link.expires_at > super::now())
        .ok_or_else(invalid_link)?;
    let organization = organizations::get(db, link.organization_id.unwrap_or_default()).await?;
    Ok(Invitation {
        organization,
        role: link.role.unwrap_or(Role::Member),
        email: link.email,
    })
}

/// The signed-in user accepts an invitation: they join its organization with its role, which is
/// returned. Whoever holds the link may accept it (it was sent to the address the owner chose).
pub async fn accept_invitation(
    db: &DatabaseConnection,
    user_id: i64,
    token: &str,
) -> AppResult<entity::organization::Model> {
    let txn = super::begin_write(db).await?;
    let link = redeem(&txn, INVITATION, token).await?;
    let organization_id = link.organization_id.ok_or_else(invalid_link)?;
    let role = link.role.unwrap_or(Role::Member);
    let already = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::OrganizationId.eq(organization_id))
        .one(&txn)
        .await?;
    if already.is_some() {
        return Err(AppError::new(
            ErrorCode::AlreadyMember,
            format!("You already belong to organization {organization_id}."),
        ));
    }
    super::accounts::add_member(&txn, user_id, organization_id, role).await?;
    let organization = organizations::get(&txn, organization_id).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "organization.member_join",
            OutboxEntity::Organization,
            organization_id,
            json!({ "user_id": user_id, "role": role.as_str() }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(organization)
}
