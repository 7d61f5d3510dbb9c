//! Turns an email row into the message people receive: in the recipient's language, plain text and
//! HTML, with the sender's postal address, an unsubscribe link, and the `List-Unsubscribe` headers
//! mail providers show as a button.

use askama::Template;
use entity::{EmailState, Language, Topic, app_user, email, notification};
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
    /// The unsubscribe link's words and address (none on a message someone asked for).
    pub unsubscribe: Option<(String, String)>,
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

/// What a message says, before its envelope.
struct Content {
    subject: String,
    intro: String,
    items: Vec<Item>,
    /// The topic its unsubscribe link turns off; `None` for a message someone asked for (a
    /// password reset, a confirmation, an invitation), which has no unsubscribe link.
    topic: Option<Topic>,
}

/// Composes the message of an email row. `message_id` is the row's stable `Message-ID`.
pub async fn compose(
    db: &DatabaseConnection,
    head: &Letterhead,
    row: &email::Model,
    message_id: &str,
) -> Result<Message, Unsendable> {
    let user = match row.user_id {
        Some(id) => Some(
            app_user::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(Unsendable::Gone("recipient"))?,
        ),
        None => None,
    };
    let language = match &user {
        Some(user) => user.language,
        None => row
            .payload
            .get("language")
            .and_then(Value::as_str)
            .and_then(Language::parse)
            .unwrap_or(Language::En),
    };
    let t = i18n::catalog(language);
    let content = content(db, head, row, user.as_ref(), t).await?;
    let unsubscribe_url = match (&user, content.topic) {
        (Some(user), Some(topic)) => Some(format!(
            "{}/unsubscribe?token={}",
            head.public_url,
            head.unsubscribe.token(user.id, topic)
        )),
        _ => None,
    };
    let footer = Footer {
        why: match (&user, content.topic) {
            (Some(_), Some(_)) => t.with("email-why", "email", &row.to_address),
            _ => t.with("email-why-asked", "email", &row.to_address),
        },
        unsubscribe: unsubscribe_url
            .clone()
            .zip(content.topic)
            .map(|(url, topic)| {
                (
                    t.with(
                        "email-unsubscribe",
                        "topic",
                        t.label("topic", topic).to_lowercase(),
                    ),
                    url,
                )
            }),
        preferences_url: format!("{}/my/account", head.public_url),
        postal_address: head.postal_address.clone(),
    };
    let greeting = match &user {
        Some(user) => t.with("email-greeting", "name", &user.display_name),
        None => t.get("email-greeting-anonymous"),
    };
    let text = Text {
        t,
        greeting: greeting.clone(),
        intro: content.intro.clone(),
        items: &content.items,
        footer: &footer,
    }
    .render()
    .map_err(|e| Unsendable::Other(e.to_string()))?;
    let html = Html {
        t,
        lang: language.as_str(),
        greeting,
        intro: content.intro.clone(),
        items: &content.items,
        footer: &footer,
    }
    .render()
    .map_err(|e| Unsendable::Other(e.to_string()))?;
    let named = user.as_ref().and_then(|user| {
        format!("{} <{}>", user.display_name, row.to_address)
            .parse()
            .ok()
    });
    let to: Mailbox = match named {
        Some(to) => to,
        None => row
            .to_address
            .parse()
            .map_err(|_| Unsendable::BadAddress(row.to_address.clone()))?,
    };
    let mut builder = Message::builder()
        .from(head.from.clone())
        .to(to)
        .subject(format!("Passerelle · {}", content.subject))
        .message_id(Some(message_id.to_owned()))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            language.as_str().to_owned(),
        ))
        // Which kind of message this is, for filters (the recipient's and the operator's).
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Passerelle-Kind"),
            row.kind.clone(),
        ));
    if let Some(url) = &unsubscribe_url {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
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

/// What each kind of email says.
async fn content(
    db: &DatabaseConnection,
    head: &Letterhead,
    row: &email::Model,
    user: Option<&app_user::Model>,
    t: &'static Catalog,
) -> Result<Content, Unsendable> {
    let token = row
        .payload
        .get("token")
        .and_then(Value::as_str)
        .unwrap_or("");
    let link = |path: &str| format!("{}{path}?token={token}", head.public_url);
    let asked = |subject: &str, text: String, note: &str, path: &str| Content {
        subject: t.get(subject),
        intro: String::new(),
        items: vec![Item {
            text,
            note: Some(t.get(note)),
            link: link(path),
        }],
        topic: None,
    };
    match row.kind.as_str() {
        "notification" => {
            user.ok_or(Unsendable::Gone("recipient"))?;
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
            Ok(Content {
                subject: line.text.clone(),
                intro: String::new(),
                items: vec![line],
                topic: Some(item.topic),
            })
        }
        "digest" => {
            user.ok_or(Unsendable::Gone("recipient"))?;
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
            Ok(Content {
                subject: t.count("email-digest-subject", lines.len()),
                intro: t.count("email-digest-intro", lines.len()),
                items: lines,
                topic: Some(topic),
            })
        }
        "password_reset" => Ok(asked(
            "email-reset-subject",
            t.get("email-reset-text"),
            "email-reset-expiry",
            "/password-reset/confirm",
        )),
        "confirm_email" => Ok(asked(
            "email-confirm-subject",
            t.with("email-confirm-text", "email", &row.to_address),
            "email-confirm-expiry",
            "/confirm-email",
        )),
        "invitation" => {
            let org_id = row
                .payload
                .get("organization_id")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            let org = entity::organization::Entity::find_by_id(org_id)
                .one(db)
                .await?
                .ok_or(Unsendable::Gone("organization"))?;
            let role = row
                .payload
                .get("role")
                .and_then(Value::as_str)
                .unwrap_or("member");
            let text = t.args(
                "email-invitation-text",
                &[("org", org.name.clone()), ("role", role.to_owned())],
            );
            let mut content = asked(
                "email-invitation-subject",
                text,
                "email-invitation-expiry",
                "/invitations",
            );
            content.subject = t.with("email-invitation-subject", "org", &org.name);
            Ok(content)
        }
        other => Err(Unsendable::UnknownKind(other.to_owned())),
    }
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
