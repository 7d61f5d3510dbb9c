//! Interest without a suitable posting: an organization answers an offer (or a need) from a few
//! words; the matching need (or offer) is created for it and proposed to the other side, in one
//! transaction, so that a refused proposal leaves no posting behind.

use entity::{PostingKind, PostingStatus, partnership, posting};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Proposal, ProposalRules};
use crate::domain::accounts::Viewer;
use crate::domain::postings::{self, PostingInput};
use crate::domain::schemas::{Message, PostingDescription, PostingTitle};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::{journal, organizations, types};
use crate::error::{AppError, AppResult, FieldErrors};

/// Interest in a posting, from an organization that has no posting to propose for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestInput {
    /// Which of your organizations; needed only if you belong to several.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// The title of the need (or offer) created for you; by default the posting's own title.
    #[serde(default)]
    #[schema(value_type = Option<PostingTitle>)]
    pub title: Option<String>,
    /// What you would do with it (or what you can give), in a few sentences.
    #[schema(value_type = PostingDescription)]
    pub description: String,
    /// How many you need (or can give), in the posting's unit; default 1.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100_000)]
    pub quantity: Option<i32>,
    /// To the other organization; by default your description.
    #[serde(default)]
    #[schema(value_type = Option<Message>)]
    pub message: Option<String>,
    /// The language you write in; default the posting's.
    #[serde(default)]
    pub language: Option<entity::Language>,
}

/// Creates the matching posting for the caller's organization and proposes it with `target`.
/// Returns the new posting and the proposal.
pub async fn express_interest(
    db: &sea_orm::DatabaseConnection,
    taxonomy: &Taxonomy,
    rules: ProposalRules,
    viewer: &Viewer,
    target_kind: PostingKind,
    target_id: i64,
    input: InterestInput,
) -> AppResult<(posting::Model, partnership::Model)> {
    let Some(user_id) = viewer.user_id else {
        return Err(AppError::new(
            crate::error::ErrorCode::Unauthenticated,
            "Sign in to answer a posting.",
        ));
    };
    let target = postings::get(db, viewer, target_kind, target_id).await?;
    let kind = match target_kind {
        PostingKind::Need => PostingKind::Offer,
        PostingKind::Offer => PostingKind::Need,
    };
    let organization_id = postings::publisher(db, user_id, input.organization_id).await?;
    let organization = organizations::get(db, organization_id).await?;
    let message = match input.message.as_deref().map(str::trim) {
        None | Some("") => input.description.clone(),
        Some(message) => message.to_owned(),
    };
    let mut errors = FieldErrors::default();
    errors.check("message", types::text(&message, 1, 2_000));
    let new = PostingInput {
        organization_id: Some(organization_id),
        title: input.title.unwrap_or_else(|| target.title.clone()),
        description: input.description,
        language: input.language.unwrap_or(target.language),
        category: target.category.clone(),
        skills: target.skills.0.clone(),
        province: Some(organization.province.clone()),
        remote: target.remote,
        quantity: input.quantity,
        unit: Some(target.unit),
        // A need written this way is met by the one partner it answers.
        filled_by_one: kind == PostingKind::Need,
        value_cad: None,
        hours: None,
        starts_on: None,
        ends_on: None,
        expires_at: None,
        status: Some(PostingStatus::Open),
        eligibility: None,
    }
    .parse(kind, taxonomy);
    // Every field's message at once: the posting's and the message's.
    let new = match new {
        Ok(new) => new,
        Err(AppError::Validation(mut all)) => {
            for (field, refusals) in errors.fields() {
                for refusal in refusals {
                    all.add(field, refusal.clone());
                }
            }
            return Err(AppError::Validation(all));
        }
        Err(err) => return Err(err),
    };
    errors.finish()?;
    let txn = crate::domain::begin_write(db).await?;
    let created = postings::create(&txn, Some(user_id), organization_id, kind, new).await?;
    let (need_id, offer_id) = match kind {
        PostingKind::Need => (created.id, target.id),
        PostingKind::Offer => (target.id, created.id),
    };
    let proposal = Proposal {
        need_id,
        offer_id,
        message,
        units: None,
        score: None,
        reasons: None,
    };
    let proposed = super::propose(&txn, user_id, proposal, rules, taxonomy).await?;
    journal::commit(txn).await?;
    Ok((created, proposed))
}
