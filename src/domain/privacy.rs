//! A person's rights over their data (Quebec's Law 25, PIPEDA): a copy of all of it, and deleting
//! the account. Deleting keeps what partners' records still need (a partnership, a message in its
//! conversation) but no longer says who: the account is anonymized, its sessions, tokens,
//! notifications, emails and preferences are deleted.

use entity::{
    OutboxEntity, Role, api_token, app_user, audit_event, email, emailed_link, membership,
    notification, notification_preference, organization, partnership, partnership_message,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::{Value, json};

use super::journal;
use crate::error::{AppError, AppResult, ErrorCode, Invalid};

/// Everything Passerelle holds about the user, as one JSON document.
pub async fn export(db: &DatabaseConnection, user: &app_user::Model) -> AppResult<Value> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .find_also_related(organization::Entity)
        .all(db)
        .await?;
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user.id))
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?;
    let notifications = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.id))
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await?;
    let preferences = super::notifications::preferences(db, user.id).await?;
    let messages = partnership_message::Entity::find()
        .filter(partnership_message::Column::AuthorUserId.eq(user.id))
        .order_by_asc(partnership_message::Column::Id)
        .all(db)
        .await?;
    let proposals = partnership::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(partnership::Column::ProposerUserId.eq(user.id))
                .add(partnership::Column::ResponderUserId.eq(user.id)),
        )
        .order_by_asc(partnership::Column::Id)
        .all(db)
        .await?;
    let activity = audit_event::Entity::find()
        .filter(audit_event::Column::ActorUserId.eq(user.id))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await?;
    let emails = email::Entity::find()
        .filter(email::Column::UserId.eq(user.id))
        .order_by_asc(email::Column::Id)
        .all(db)
        .await?;
    Ok(json!({
        "exported_at": super::now(),
        "account": {
            "id": user.id,
            "email": user.email,
            "email_confirmed_at": user.email_confirmed_at,
            "display_name": user.display_name,
            "language": user.language,
            "is_admin": user.is_admin,
            "created_at": user.created_at,
            "updated_at": user.updated_at,
        },
        "memberships": memberships.iter().map(|(m, org)| json!({
            "organization_id": m.organization_id,
            "organization": org.as_ref().map(|o| o.name.clone()),
            "role": m.role,
            "since": m.created_at,
        })).collect::<Vec<_>>(),
        "sessions_and_tokens": tokens.iter().map(|t| json!({
            "kind": t.kind, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
            "last_used_at": t.last_used_at, "expires_at": t.expires_at, "revoked_at": t.revoked_at,
        })).collect::<Vec<_>>(),
        "email_preferences": preferences.iter().map(|(topic, delivery)| (topic.as_str(), delivery.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
        "notifications": notifications.iter().map(|n| json!({
            "id": n.id, "kind": n.kind, "subject": n.subject, "subject_id": n.subject_id,
            "detail": n.detail, "created_at": n.created_at, "read_at": n.read_at,
        })).collect::<Vec<_>>(),
        "emails": emails.iter().map(|e| json!({
            "to": e.to_address, "kind": e.kind, "status": e.status, "created_at": e.created_at,
            "sent_at": e.sent_at,
        })).collect::<Vec<_>>(),
        "messages_written": messages.iter().map(|m| json!({
            "partnership_id": m.partnership_id, "body": m.body, "created_at": m.created_at,
        })).collect::<Vec<_>>(),
        "partnerships_proposed_or_answered": proposals.iter().map(|p| json!({
            "id": p.id, "status": p.status, "message": p.message,
            "proposed_by_you": p.proposer_user_id == Some(user.id),
            "answered_by_you": p.responder_user_id == Some(user.id),
            "created_at": p.created_at,
        })).collect::<Vec<_>>(),
        "activity": activity.iter().map(|a| json!({
            "action": a.action, "entity": a.entity, "entity_id": a.entity_id,
            "detail": a.detail, "at": a.created_at,
        })).collect::<Vec<_>>(),
    }))
}

/// Deletes the account after checking its password: the last owner of an organization that has
/// other members must hand it over first. What partners still need stays, without the person.
pub async fn delete_account(
    db: &DatabaseConnection,
    user: &app_user::Model,
    password: &str,
) -> AppResult<()> {
    if !super::accounts::password_matches(user, password).await? {
        return Err(AppError::field("password", Invalid::WrongPassword));
    }
    let txn = super::begin_write(db).await?;
    let mine = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .all(&txn)
        .await?;
    for m in mine.iter().filter(|m| m.role == Role::Owner) {
        let others = membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(m.organization_id))
            .filter(membership::Column::UserId.ne(user.id))
            .all(&txn)
            .await?;
        let other_owner = others.iter().any(|o| o.role == Role::Owner);
        if !others.is_empty() && !other_owner {
            return Err(AppError::new(
                ErrorCode::LastOwner,
                format!(
                    "You are the last owner of organization {}; make another member an owner first.",
                    m.organization_id
                ),
            ));
        }
    }
    let id = user.id;
    membership::Entity::delete_many()
        .filter(membership::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    api_token::Entity::delete_many()
        .filter(api_token::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    notification_preference::Entity::delete_many()
        .filter(notification_preference::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    email::Entity::delete_many()
        .filter(email::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    emailed_link::Entity::delete_many()
        .filter(emailed_link::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    partnership_message::Entity::update_many()
        .col_expr(
            partnership_message::Column::AuthorUserId,
            Expr::val(Option::<i64>::None),
        )
        .filter(partnership_message::Column::AuthorUserId.eq(id))
        .exec(&txn)
        .await?;
    for column in [
        partnership::Column::ProposerUserId,
        partnership::Column::ResponderUserId,
    ] {
        partnership::Entity::update_many()
            .col_expr(column, Expr::val(Option::<i64>::None))
            .filter(column.eq(id))
            .exec(&txn)
            .await?;
    }
    let now = super::now();
    let mut active: app_user::ActiveModel = user.clone().into();
    active.email = Set(format!("deleted-{id}@deleted.invalid"));
    active.display_name = Set("—".to_owned());
    active.password_hash = Set("!deleted".to_owned());
    active.is_admin = Set(false);
    active.email_confirmed_at = Set(None);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(id),
            "user.delete",
            OutboxEntity::AppUser,
            id,
            json!({}),
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(())
}
