//! The conversation of a partnership: members of its two organizations write to each other from
//! the proposal on; nobody else reads it. Each message tells the other side (a notification).

use std::collections::HashMap;

use entity::{OutboxEntity, app_user, organization, partnership_message};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{MAX_NOTE, load_for};
use crate::domain::journal;
use crate::domain::organizations::member_org_ids;
use crate::domain::schemas::Message;
use crate::domain::types;
use crate::error::{AppError, AppResult};

/// A message to the other organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// 1 to 2,000 characters.
    #[schema(value_type = Message)]
    pub body: String,
}

/// A message with who wrote it.
#[derive(Debug, Clone)]
pub struct MessageView {
    pub message: partnership_message::Model,
    /// The author's display name (`None` once their account is deleted).
    pub author: Option<String>,
    pub organization: String,
    /// Written by a member of the reader's organization.
    pub mine: bool,
}

/// A member of either organization writes to the other.
pub async fn post(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    partnership_id: i64,
    input: MessageInput,
) -> AppResult<partnership_message::Model> {
    let body = types::text(&input.body, 1, MAX_NOTE).map_err(|e| AppError::field("body", e))?;
    let txn = crate::domain::begin_write(db).await?;
    let my_orgs = member_org_ids(&txn, user_id).await?;
    let partnership = load_for(&txn, &my_orgs, partnership_id).await?;
    let author_org_id = if my_orgs.contains(&partnership.need_org_id) {
        partnership.need_org_id
    } else {
        partnership.offer_org_id
    };
    let message = partnership_message::ActiveModel {
        partnership_id: Set(partnership.id),
        author_user_id: Set(Some(user_id)),
        author_org_id: Set(author_org_id),
        body: Set(body.clone()),
        created_at: Set(crate::domain::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let excerpt: String = body.chars().take(280).collect();
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "partnership.message",
            OutboxEntity::Partnership,
            partnership.id,
            json!({ "message_id": message.id, "excerpt": excerpt }),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(message)
}

/// The conversation, oldest first, for a member of either organization.
pub async fn list(
    db: &DatabaseConnection,
    user_id: i64,
    partnership_id: i64,
) -> AppResult<Vec<MessageView>> {
    let my_orgs = member_org_ids(db, user_id).await?;
    let partnership = load_for(db, &my_orgs, partnership_id).await?;
    let messages = partnership_message::Entity::find()
        .filter(partnership_message::Column::PartnershipId.eq(partnership.id))
        .order_by_asc(partnership_message::Column::Id)
        .all(db)
        .await?;
    let authors: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(messages.iter().filter_map(|m| m.author_user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user.display_name))
        .collect();
    let names: HashMap<i64, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in([partnership.need_org_id, partnership.offer_org_id]))
        .all(db)
        .await?
        .into_iter()
        .map(|org| (org.id, org.name))
        .collect();
    Ok(messages
        .into_iter()
        .map(|message| MessageView {
            author: message
                .author_user_id
                .and_then(|id| authors.get(&id).cloned()),
            organization: names
                .get(&message.author_org_id)
                .cloned()
                .unwrap_or_default(),
            mine: my_orgs.contains(&message.author_org_id),
            message,
        })
        .collect())
}
