//! Users, passwords, sign-in sessions and API tokens.
//!
//! A session and an API token are the same mechanism: a random secret given to the client once, of
//! which only a SHA-256 is stored. Sessions come from signing in and expire; API tokens are created
//! by the user, named, and last until revoked.

use std::net::IpAddr;

use anyhow::Context;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use entity::{
    Language, OutboxEntity, Role, TokenKind, api_token, app_user, membership, organization,
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

use serde::Deserialize;
use utoipa::ToSchema;

use super::journal;
use super::organizations::{self, NewOrganization, OrganizationInput};
use super::rate_limits::RateLimits;
use super::schemas::{EmailAddress, NewPassword, ShortName};
use super::taxonomy::Taxonomy;
use super::types::{self, Email, Password};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, is_unique_violation};

/// Prefix of every secret, so leaked tokens are recognisable by secret scanners.
const TOKEN_PREFIX: &str = "psl_";

/// A new account, as sent by the sign-up form or `POST /auth/register`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(value_type = EmailAddress)]
    pub email: String,
    /// At least 10 characters, not a common password.
    #[schema(value_type = NewPassword)]
    pub password: String,
    /// How other users see you, 1 to 100 characters.
    #[schema(value_type = ShortName)]
    pub display_name: String,
    /// Your first organization; you become its owner. Leave it out to join an existing
    /// organization instead (its owner adds you by email).
    #[serde(default)]
    pub organization: Option<OrganizationInput>,
    /// The language of your emails and notifications, `en` or `fr`; by default the request's
    /// `Accept-Language`.
    #[serde(default)]
    pub language: Option<Language>,
}

/// An email and a password, as typed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

impl RegisterRequest {
    /// Parses every field, the organization's included, collecting all the messages at once.
    pub fn parse(self, taxonomy: &Taxonomy) -> AppResult<NewAccount> {
        let mut errors = FieldErrors::default();
        let email = errors.check("email", Email::parse(&self.email));
        let display_name = errors.check("display_name", types::line(&self.display_name, 1, 100));
        let context = [
            self.email.as_str(),
            self.display_name.as_str(),
            "passerelle",
        ];
        let password = errors.check("password", Password::parse(&self.password, &context));
        let organization = self
            .organization
            .map(|org| org.parse("organization.", taxonomy, &mut errors));
        errors.finish()?;
        Ok(NewAccount {
            email: FieldErrors::parsed(email)?,
            password: FieldErrors::parsed(password)?,
            display_name: FieldErrors::parsed(display_name)?,
            organization: organization.map(FieldErrors::parsed).transpose()?,
            language: self.language.unwrap_or(Language::En),
        })
    }
}

/// A signed-in caller, resolved from a session or an API token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: app_user::Model,
    pub token: api_token::Model,
}

/// Who is looking: anonymous, or a user with their organizations. Built once per request; every
/// rule about what someone may see or do reads it.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user_id: Option<i64>,
    pub org_ids: Vec<i64>,
    pub is_admin: bool,
}

impl Viewer {
    /// The viewer a caller (or nobody) is.
    pub async fn of(db: &impl ConnectionTrait, caller: Option<&Caller>) -> AppResult<Self> {
        let org_ids = match caller {
            None => Vec::new(),
            Some(caller) => organizations::member_org_ids(db, caller.user.id).await?,
        };
        Ok(Self::with_organizations(caller, org_ids))
    }

    /// The viewer a caller is, when their organizations are known already.
    pub fn with_organizations(caller: Option<&Caller>, org_ids: Vec<i64>) -> Self {
        match caller {
            None => Self::default(),
            Some(caller) => Self {
                user_id: Some(caller.user.id),
                org_ids,
                is_admin: caller.user.is_admin,
            },
        }
    }

    /// Whether the viewer belongs to the organization.
    pub fn is_member(&self, organization_id: i64) -> bool {
        self.org_ids.contains(&organization_id)
    }
}

/// What registration creates: the user, their organization (unless they join one later), and a
/// session secret.
pub struct Registration {
    pub user: app_user::Model,
    pub organization: Option<organization::Model>,
    pub secret: String,
}

/// A parsed registration request.
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub display_name: String,
    pub organization: Option<NewOrganization>,
    pub language: Language,
}

/// Hashes with argon2id (OWASP parameters: 19 MiB, 2 passes) on a blocking thread.
pub async fn hash_password(password: &Password) -> anyhow::Result<String> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|err| anyhow::anyhow!("argon2: {err}"))
    })
    .await
    .context("password hashing task failed")?
}

/// Verifies on a blocking thread. A malformed stored hash verifies as false.
async fn verify_password(hash: String, password: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .context("password verification task failed")
}

/// A hash of a password nobody has, verified against when the email is unknown so that a login for
/// a missing account takes as long as one for an existing account.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"no account has this password")
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Signs up from `address` (counted against the sign-ups an address may make): creates a user,
/// their first organization if given (owned by them) and a session, in one transaction.
pub async fn register(
    db: &DatabaseConnection,
    limits: &RateLimits,
    address: IpAddr,
    taxonomy: &Taxonomy,
    request: RegisterRequest,
    session_days: u32,
) -> AppResult<Registration> {
    limits.signup(db, address).await?;
    let account = request.parse(taxonomy)?;
    let password_hash = hash_password(&account.password).await?;
    let txn = crate::domain::begin_write(db).await?;
    let user = create_user(
        &txn,
        &account.email,
        password_hash,
        account.display_name,
        account.language,
    )
    .await?;
    let organization = match account.organization {
        Some(mut new_org) => {
            if new_org.contact_email.is_none() {
                new_org.contact_email = Some(user.email.clone());
            }
            let organization = organizations::create(&txn, Some(user.id), new_org).await?;
            add_member(&txn, user.id, organization.id, Role::Owner).await?;
            Some(organization)
        }
        None => None,
    };
    super::emailed_links::request_confirmation(&txn, user.id, &account.email).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user.id),
            "user.register",
            OutboxEntity::AppUser,
            user.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    let (_, secret) = issue_token(
        &txn,
        user.id,
        TokenKind::Session,
        "session",
        Some(session_days),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(Registration {
        user,
        organization,
        secret,
    })
}

/// Inserts a user; an email already registered is 409 `email_taken`.
pub async fn create_user(
    db: &impl ConnectionTrait,
    email: &Email,
    password_hash: String,
    display_name: String,
    language: Language,
) -> AppResult<app_user::Model> {
    let now = super::now();
    app_user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(password_hash),
        display_name: Set(display_name),
        is_admin: Set(false),
        language: Set(language),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            AppError::new(
                ErrorCode::EmailTaken,
                "An account with this email already exists.",
            )
        } else {
            err.into()
        }
    })
}

/// Makes a user a member of an organization.
pub async fn add_member(
    db: &impl ConnectionTrait,
    user_id: i64,
    organization_id: i64,
    role: Role,
) -> AppResult<()> {
    membership::ActiveModel {
        user_id: Set(user_id),
        organization_id: Set(organization_id),
        role: Set(role),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Signs in from `address`: refused while the account or the address has failed too often;
/// a failure counts against both, a success clears the account's failures.
pub async fn login(
    db: &DatabaseConnection,
    limits: &RateLimits,
    address: IpAddr,
    request: &LoginRequest,
    session_days: u32,
) -> AppResult<(app_user::Model, String)> {
    limits.check_login(db, address, &request.email).await?;
    let signed_in = check_credentials(db, &request.email, &request.password, session_days).await;
    match &signed_in {
        Ok(_) => limits.login_succeeded(db, &request.email).await?,
        Err(err) if err.code() == ErrorCode::InvalidCredentials => {
            limits.login_failed(db, address, &request.email).await?;
        }
        Err(_) => {}
    }
    signed_in
}

/// Checks email and password; on success opens a session and returns its secret.
async fn check_credentials(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    session_days: u32,
) -> AppResult<(app_user::Model, String)> {
    let email = email.trim().to_lowercase();
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let valid = verify_password(hash, password.to_owned()).await?;
    match user {
        Some(user) if valid => {
            let (_, secret) = issue_token(
                db,
                user.id,
                TokenKind::Session,
                "session",
                Some(session_days),
            )
            .await?;
            Ok((user, secret))
        }
        _ => Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "The email or the password is incorrect.",
        )),
    }
}

/// Ends the caller's sign-in session. Called with an API token, it leaves the token alone
/// (integrations revoke theirs explicitly).
pub async fn sign_out(db: &DatabaseConnection, caller: &Caller) -> AppResult<()> {
    if caller.token.kind == TokenKind::Session {
        revoke_token(db, caller.user.id, caller.token.id).await?;
    }
    Ok(())
}

/// Creates a token and returns the stored row and the secret (shown to the client once).
pub async fn issue_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    kind: TokenKind,
    name: &str,
    valid_days: Option<u32>,
) -> AppResult<(api_token::Model, String)> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let body = URL_SAFE_NO_PAD.encode(bytes);
    let secret = format!("{TOKEN_PREFIX}{body}");
    let now = super::now();
    let token = api_token::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind),
        name: Set(name.to_owned()),
        token_hash: Set(hash_secret(&secret)),
        prefix: Set(body[..8].to_owned()),
        created_at: Set(now),
        expires_at: Set(valid_days.map(|days| now + Duration::days(i64::from(days)))),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((token, secret))
}

fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Resolves a secret to its user, if the token exists, is not revoked and has not expired.
pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> AppResult<Option<Caller>> {
    if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 100 {
        return Ok(None);
    }
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_secret(secret)))
        .filter(api_token::Column::RevokedAt.is_null())
        .find_also_related(app_user::Entity)
        .one(db)
        .await?;
    let Some((token, Some(user))) = found else {
        return Ok(None);
    };
    let now = super::now();
    if token.expires_at.is_some_and(|expires| expires <= now) {
        return Ok(None);
    }
    // Record use at most every few minutes: a write per request would serialize readers on SQLite.
    let stale = token
        .last_used_at
        .is_none_or(|used| now - used > Duration::minutes(5));
    let token = if stale {
        let mut active: api_token::ActiveModel = token.into();
        active.last_used_at = Set(Some(now));
        active.update(db).await?
    } else {
        token
    };
    Ok(Some(Caller { user, token }))
}

/// Revokes one of the user's tokens (API token or session).
pub async fn revoke_token(db: &DatabaseConnection, user_id: i64, token_id: i64) -> AppResult<()> {
    let token = api_token::Entity::find_by_id(token_id)
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::TokenNotFound,
                format!("You have no active token {token_id}."),
            )
        })?;
    let mut active: api_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(super::now()));
    active.update(db).await?;
    Ok(())
}

/// The user's sessions and API tokens that still work, newest first.
pub async fn list_tokens(
    db: &DatabaseConnection,
    user_id: i64,
) -> AppResult<Vec<api_token::Model>> {
    use sea_orm::sea_query::Condition;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(api_token::Column::ExpiresAt.is_null())
                .add(api_token::Column::ExpiresAt.gt(super::now())),
        )
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// The organizations a user belongs to, with their role.
pub async fn memberships(
    db: &DatabaseConnection,
    user_id: i64,
) -> AppResult<Vec<(membership::Model, organization::Model)>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .find_also_related(organization::Entity)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, org)| org.map(|org| (m, org)))
        .collect())
}

/// Makes `email` a platform administrator, creating the account with `password` if it is new.
/// Returns whether an account was created.
pub async fn make_admin(
    db: &DatabaseConnection,
    email: &Email,
    display_name: &str,
    password: Option<&Password>,
) -> anyhow::Result<bool> {
    let existing = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let now = super::now();
    let created = match existing {
        Some(user) => {
            let mut active: app_user::ActiveModel = user.into();
            active.is_admin = Set(true);
            active.updated_at = Set(now);
            active.update(db).await?;
            false
        }
        None => {
            let password = password.context("a new administrator needs a password")?;
            app_user::ActiveModel {
                email: Set(email.as_str().to_owned()),
                password_hash: Set(hash_password(password).await?),
                display_name: Set(display_name.to_owned()),
                is_admin: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            true
        }
    };
    Ok(created)
}

/// Whether this email has an account.
pub async fn user_exists(db: &DatabaseConnection, email: &Email) -> anyhow::Result<bool> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// Changes the caller's password after checking the current one, and ends their other sessions
/// (API tokens stay: integrations should not break on a password change). Guessing the current
/// password this way counts like failed sign-ins from `address`.
pub async fn change_password(
    db: &DatabaseConnection,
    limits: &RateLimits,
    address: IpAddr,
    caller: &Caller,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let user = &caller.user;
    limits.check_login(db, address, &user.email).await?;
    let context = [
        user.email.as_str(),
        user.display_name.as_str(),
        "passerelle",
    ];
    let new = Password::parse(new, &context).map_err(|e| AppError::field("new_password", e))?;
    if !verify_password(user.password_hash.clone(), current.to_owned()).await? {
        limits.login_failed(db, address, &user.email).await?;
        return Err(AppError::field("current_password", Invalid::WrongPassword));
    }
    let current_token_id = caller.token.id;
    let hash = hash_password(&new).await?;
    let txn = super::begin_write(db).await?;
    let mut active: app_user::ActiveModel = user.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(super::now());
    active.update(&txn).await?;
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(super::now()),
        )
        .filter(api_token::Column::UserId.eq(user.id))
        .filter(api_token::Column::Kind.eq(TokenKind::Session))
        .filter(api_token::Column::Id.ne(current_token_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user.id),
            "user.password_change",
            OutboxEntity::AppUser,
            user.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(())
}

/// What a person may change about their own account (a field left out stays as it is).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    /// How other users see you, 1 to 100 characters.
    #[schema(value_type = Option<ShortName>)]
    pub display_name: Option<String>,
    /// The language of your emails and notifications, `en` or `fr`.
    pub language: Option<Language>,
    /// A new address: it receives a confirmation link, and becomes your address once followed.
    #[schema(value_type = Option<EmailAddress>)]
    pub email: Option<String>,
}

/// Changes the caller's display name or language; a new address is confirmed by email first.
pub async fn update_account(
    db: &DatabaseConnection,
    user: &app_user::Model,
    patch: AccountPatch,
) -> AppResult<app_user::Model> {
    let display_name = patch
        .display_name
        .map(|name| types::line(&name, 1, 100))
        .transpose()
        .map_err(|e| AppError::field("display_name", e))?;
    if let Some(email) = patch
        .email
        .as_deref()
        .filter(|e| !e.trim().eq_ignore_ascii_case(&user.email))
    {
        super::emailed_links::request_email_change(db, user, email).await?;
    }
    let txn = super::begin_write(db).await?;
    let mut active: app_user::ActiveModel = user.clone().into();
    if let Some(name) = display_name {
        active.display_name = Set(name);
    }
    if let Some(language) = patch.language {
        active.language = Set(language);
    }
    active.updated_at = Set(super::now());
    let updated = active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user.id),
            "user.update",
            OutboxEntity::AppUser,
            user.id,
            serde_json::json!({ "language": updated.language.as_str() }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(updated)
}

/// Whether `password` is the user's password (on a blocking thread; nothing is counted).
pub async fn password_matches(user: &app_user::Model, password: &str) -> AppResult<bool> {
    Ok(verify_password(user.password_hash.clone(), password.to_owned()).await?)
}
