//! Turns an email row into the message people receive: in the recipient's language, plain text and
//! HTML, with the sender's postal address, an unsubscribe link, and the `List-Unsubscribe` headers
//! mail providers show as a button.

use askama::Template;
use entity::{EmailState, Topic, app_user, email, notification};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::domain::notifications::{self, UnsubscribeKey};
use crate::i18n::{self, Catalog};

/// What every message needs from the configuration.
pub struct Letterhead {
    pub from: Mailbox,
    /// Links start with it (`https://passerelle.example`), no trailing slash.
    pub public_url: String,
    pub postal_address: String,
    pub unsubscribe: UnsubscribeKey,
}

/// One item of a message: what happened, the reason given, where to see it.
pub struct Item {
    pub text: String,
    pub note: Option<String>,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/notification.txt", escape = "none")]
struct Text<'a> {
    t: &'static Catalog,
    greeting: String,
    intro: String,
    items: &'a [Item],
    footer: &'a Footer,
}

#[derive(Template)]
#[template(path = "email/notification.html")]
struct Html<'a> {
    t: &'static Catalog,
    lang: &'static str,
    greeting: String,
    intro: String,
    items: &'a [Item],
    footer: &'a Footer,
}

/// The foot of every message: why it came, how to stop it, who sent it.
pub struct Footer {
    pub why: String,
    pub unsubscribe_label: String,
    pub unsubscribe_url: String,
    pub preferences_url: String,
    pub postal_address: String,
}

/// Why a message could not be composed; it is not retried.
#[derive(Debug, thiserror::Error)]
pub enum Unsendable {
    #[error("the {0} this email is about no longer exists")]
    Gone(&'static str),
    #[error("the recipient address {0:?} is not valid")]
    BadAddress(String),
    #[error("unknown email kind {0:?}")]
    UnknownKind(String),
    #[error("{0}")]
    Other(String),
}

impl From<sea_orm::DbErr> for Unsendable {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Other(err.to_string())
    }
}

/// Composes the message of an email row. `message_id` is the row's stable `Message-ID`.
pub async fn compose(
    db: &DatabaseConnection,
    head: &Letterhead,
    row: &email::Model,
    message_id: &str,
) -> Result<Message, Unsendable> {
    let user = match row.user_id {
        Some(id) => app_user::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let user = user.ok_or(Unsendable::Gone("recipient"))?;
    let t = i18n::catalog(user.language);
    let (subject, intro, items, topic) = match row.kind.as_str() {
        "notification" => {
            let id = row
                .payload
                .get("notification_id")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            let item = notification::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(Unsendable::Gone("notification"))?;
            let line = item_of(&item, t, head);
            (line.text.clone(), String::new(), vec![line], item.topic)
        }
        "digest" => {
            let ids: Vec<i64> = row
                .payload
                .get("notification_ids")
                .and_then(Value::as_array)
                .map(|ids| ids.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            let items = notification::Entity::find()
                .filter(notification::Column::Id.is_in(ids))
                .filter(notification::Column::Email.eq(EmailState::Digested))
                .order_by_asc(notification::Column::Id)
                .all(db)
                .await?;
            if items.is_empty() {
                return Err(Unsendable::Gone("notifications"));
            }
            let topic = digest_topic(&items);
            let lines: Vec<Item> = items.iter().map(|item| item_of(item, t, head)).collect();
            (
                t.count("email-digest-subject", lines.len()),
                t.count("email-digest-intro", lines.len()),
                lines,
                topic,
            )
        }
        other => return Err(Unsendable::UnknownKind(other.to_owned())),
    };
    let unsubscribe_url = format!(
        "{}/unsubscribe?token={}",
        head.public_url,
        head.unsubscribe.token(user.id, topic)
    );
    let footer = Footer {
        why: t.with("email-why", "email", &user.email),
        unsubscribe_label: t.with(
            "email-unsubscribe",
            "topic",
            t.label("topic", topic).to_lowercase(),
        ),
        unsubscribe_url: unsubscribe_url.clone(),
        preferences_url: format!("{}/my/account", head.public_url),
        postal_address: head.postal_address.clone(),
    };
    let greeting = t.with("email-greeting", "name", &user.display_name);
    let text = Text {
        t,
        greeting: greeting.clone(),
        intro: intro.clone(),
        items: &items,
        footer: &footer,
    }
    .render()
    .map_err(|e| Unsendable::Other(e.to_string()))?;
    let html = Html {
        t,
        lang: user.language.as_str(),
        greeting,
        intro,
        items: &items,
        footer: &footer,
    }
    .render()
    .map_err(|e| Unsendable::Other(e.to_string()))?;
    let to: Mailbox = format!("{} <{}>", user.display_name, row.to_address)
        .parse()
        .or_else(|_| row.to_address.parse())
        .map_err(|_| Unsendable::BadAddress(row.to_address.clone()))?;
    Message::builder()
        .from(head.from.clone())
        .to(to)
        .subject(format!("Passerelle · {subject}"))
        .message_id(Some(message_id.to_owned()))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{unsubscribe_url}>"),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            user.language.as_str().to_owned(),
        ))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| Unsendable::Other(e.to_string()))
}

fn item_of(item: &notification::Model, t: &Catalog, head: &Letterhead) -> Item {
    let (text, note) = notifications::describe(item, t);
    Item {
        text,
        note,
        link: format!("{}{}", head.public_url, notifications::link(item)),
    }
}

/// The topic a digest's unsubscribe link turns off: the one most of its items are about.
fn digest_topic(items: &[notification::Model]) -> Topic {
    let mut counts: Vec<(Topic, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(topic, _)| *topic == item.topic) {
            Some((_, count)) => *count += 1,
            None => counts.push((item.topic, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .map_or(Topic::Matches, |(topic, _)| topic)
}
