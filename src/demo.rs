//! The demo data set (`assets/demo.toml`, fictional organizations written for this project), loaded
//! through the same parsing and domain rules as API input, in one transaction, once.

use anyhow::{Context, bail};
use chrono::{Duration, Utc};
use entity::{Language, PostingKind, PostingStatus, Role, Verification};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::domain::accounts;
use crate::domain::organizations;
use crate::domain::organizations::{OrganizationInput, VerificationRequest};
use crate::domain::postings::{self, PostingChanges, PostingInput};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::{Email, Password};
use crate::error::{AppError, FieldErrors};

const SOURCE: &str = include_str!("../assets/demo.toml");

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "demo-passerelle-2026";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    organization: Vec<DemoOrganization>,
    posting: Vec<DemoPosting>,
}

#[derive(Deserialize)]
struct DemoOrganization {
    key: String,
    owner_name: String,
    owner_email: String,
    #[serde(default)]
    verified: bool,
    #[serde(flatten)]
    profile: OrganizationInput,
}

#[derive(Deserialize)]
struct DemoPosting {
    org: String,
    kind: PostingKind,
    #[serde(default)]
    starts_in_days: Option<i64>,
    #[serde(default)]
    duration_days: Option<i64>,
    #[serde(default)]
    expires_in_days: Option<i64>,
    #[serde(flatten)]
    input: PostingInput,
}

/// What the demo file holds, for messages and tests.
pub struct Loaded {
    pub organizations: usize,
    pub postings: usize,
}

fn describe(err: AppError) -> anyhow::Error {
    match err {
        AppError::Validation(errors) => anyhow::anyhow!("{}", field_list(&errors)),
        other => anyhow::anyhow!("{other}"),
    }
}

fn field_list(errors: &FieldErrors) -> String {
    errors
        .fields()
        .map(|(field, errors)| {
            let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
            format!("{field}: {}", messages.join("; "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads the demo set unless it is already there. Returns `None` when it was already loaded.
pub async fn load(db: &DatabaseConnection, taxonomy: &Taxonomy) -> anyhow::Result<Option<Loaded>> {
    let file: DemoFile = toml::from_str(SOURCE).context("assets/demo.toml is invalid")?;
    let Some(first) = file.organization.first() else {
        bail!("the demo set is empty")
    };
    let marker = Email::parse(&first.owner_email).map_err(|e| anyhow::anyhow!(e))?;
    if accounts::user_exists(db, &marker).await? {
        tracing::info!("demo data already loaded");
        return Ok(None);
    }
    let password = Password::parse(DEMO_PASSWORD, &[]).map_err(|e| anyhow::anyhow!(e))?;
    let password_hash = accounts::hash_password(&password).await?;
    let today = Utc::now().date_naive();
    let txn = crate::domain::begin_write(db).await?;
    let mut orgs = std::collections::HashMap::new();
    for demo in file.organization {
        let mut errors = FieldErrors::default();
        let new = demo.profile.parse("", taxonomy, &mut errors);
        let (Some(new), true) = (new, errors.is_empty()) else {
            bail!("demo organization {}: {}", demo.key, field_list(&errors));
        };
        let email = Email::parse(&demo.owner_email).map_err(|e| anyhow::anyhow!(e))?;
        // The owner reads Passerelle in the organization's first working language.
        let language = match new.languages.first() {
            Some(Language::Fr) => Language::Fr,
            _ => Language::En,
        };
        let user = accounts::create_user(
            &txn,
            &email,
            password_hash.clone(),
            demo.owner_name,
            language,
        )
        .await
        .map_err(describe)?;
        let org = organizations::create(&txn, None, new)
            .await
            .map_err(describe)?;
        accounts::add_member(&txn, user.id, org.id, Role::Owner)
            .await
            .map_err(describe)?;
        if demo.verified {
            organizations::set_verification(
                &txn,
                None,
                org.id,
                VerificationRequest {
                    decision: Verification::Verified,
                    note: None,
                    reason_code: None,
                },
            )
            .await
            .map_err(describe)?;
        }
        orgs.insert(demo.key, (org.id, user.id));
    }
    let organizations = orgs.len();
    let mut count = 0;
    for demo in file.posting {
        let title = demo.input.title.clone();
        let Some(&(org_id, owner_id)) = orgs.get(&demo.org) else {
            bail!(
                "demo posting {title:?} names unknown organization {}",
                demo.org
            );
        };
        let mut input = demo.input;
        if let Some(days) = demo.starts_in_days {
            let starts = today + Duration::days(days);
            input.starts_on = Some(starts);
            input.ends_on = demo
                .duration_days
                .map(|length| starts + Duration::days(length));
        }
        input.expires_at = demo
            .expires_in_days
            .map(|days| Utc::now() + Duration::days(days));
        let mut new = input
            .parse(demo.kind, taxonomy)
            .map_err(|e| describe(e).context(title.clone()))?;
        // Closed and fulfilled postings were open once: create them open, then close them.
        let final_status = new.status;
        let finished = !matches!(
            final_status,
            PostingStatus::Draft | PostingStatus::Open | PostingStatus::Paused
        );
        if finished {
            new.status = PostingStatus::Open;
        }
        let posting = postings::create(&txn, None, org_id, demo.kind, new)
            .await
            .map_err(|e| describe(e).context(title.clone()))?;
        if finished {
            let changes = PostingChanges {
                version: posting.version,
                status: Some(final_status),
                ..Default::default()
            };
            postings::update(&txn, owner_id, demo.kind, posting.id, changes)
                .await
                .map_err(|e| describe(e).context(title))?;
        }
        count += 1;
    }
    txn.commit().await?;
    tracing::info!(organizations, postings = count, "demo data loaded");
    Ok(Some(Loaded {
        organizations,
        postings: count,
    }))
}
