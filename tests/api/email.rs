//! Email through a real SMTP conversation: what arrives (recipients, language, headers, links that
//! work), unsubscribing without signing in, retries after a refusal, and `.eml` files when no SMTP
//! server is configured.

use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::smtp::SmtpServer;

async fn app_with_smtp(smtp: &SmtpServer) -> TestApp {
    let url = smtp.url();
    TestApp::spawn_with(move |config| {
        config.smtp_url = Some(url);
        config.mail_from = "Passerelle <hello@passerelle.test>".into();
        config.mail_postal_address = "Passerelle, 100 rue Exemple, Montréal QC H2X 1Y4".into();
    })
    .await
}

/// The first notification's email row once it satisfies `done` (waiting up to 10 s for the sender).
async fn email_row(
    app: &TestApp,
    done: impl Fn(&entity::email::Model) -> bool,
) -> entity::email::Model {
    for _ in 0..200 {
        let row = entity::email::Entity::find()
            .filter(entity::email::Column::Kind.eq("notification"))
            .one(&app.db)
            .await
            .unwrap();
        if let Some(row) = row.filter(&done) {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no email row got there in time");
}

/// A company proposes its offer to a French-speaking nonprofit's need.
async fn proposal(app: &TestApp) -> (Account, Account, Value) {
    let nonprofit = app.nonprofit().await;
    let set = app
        .patch(
            "/api/v1/me",
            Some(&nonprofit.token),
            &json!({ "language": "fr" }),
        )
        .await;
    expect_json(set, StatusCode::OK).await;
    let company = app.company().await;
    let partnership = app.propose_fresh(&company, &nonprofit, &company).await;
    (nonprofit, company, partnership)
}

#[tokio::test]
async fn a_proposal_reaches_the_other_side_by_email_in_its_language() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let (nonprofit, _company, partnership) = proposal(&app).await;

    let messages = smtp.wait_for("notification", 1, 20).await;
    assert_eq!(
        messages.len(),
        1,
        "one email, to the nonprofit's only member"
    );
    let mail = &messages[0];
    assert_eq!(mail.to, std::slice::from_ref(&nonprofit.email));
    assert_eq!(mail.from, "hello@passerelle.test");
    assert_eq!(mail.header("Content-Language").as_deref(), Some("fr"));
    let subject = mail.header("Subject").unwrap();
    assert!(
        subject.starts_with("=?utf-8?") || subject.contains("propose un partenariat"),
        "{subject}"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let text = mail.part("text/plain");
    assert!(
        text.contains("Tech Company propose un partenariat"),
        "{text}"
    );
    assert!(
        text.contains("100 rue Exemple, Montréal"),
        "the postal address: {text}"
    );
    assert!(mail.part("text/html").contains("lang=\"fr\""));

    // The link leads to the partnership on this server.
    let link = format!("{}/partnerships/{}", app.base, partnership["id"]);
    assert!(mail.links(&app.base).contains(&link), "{text}");

    // The row records the delivery and its Message-ID.
    let row = email_row(&app, |row| row.status == entity::EmailStatus::Sent).await;
    assert_eq!(row.attempts, 1);
    assert_eq!(mail.header("Message-ID"), row.message_id);
}

#[tokio::test]
async fn the_unsubscribe_link_works_without_signing_in_and_turns_that_topic_off() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let (nonprofit, company, _) = proposal(&app).await;
    let mail = smtp.wait_for("notification", 1, 20).await.remove(0);
    let header = mail.header("List-Unsubscribe").unwrap();
    let url = header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned();
    assert!(
        url.starts_with(&format!("{}/unsubscribe?token=", app.base)),
        "{url}"
    );
    assert!(
        mail.links(&app.base).contains(&url),
        "the same link is in the text"
    );

    // Opening the link (as a mail scanner would) changes nothing; it asks.
    let anonymous = reqwest::Client::new();
    let page = anonymous
        .get(&url)
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Ne plus recevoir ces courriels")
    );
    let prefs = expect_json(
        app.get(
            "/api/v1/me/notification-preferences",
            Some(&nonprofit.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(prefs["proposals"], "immediate");

    // The provider's one-click POST (RFC 8058), without cookie or form token.
    let done = anonymous
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let prefs = expect_json(
        app.get(
            "/api/v1/me/notification-preferences",
            Some(&nonprofit.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(prefs["proposals"], "off");
    assert_eq!(prefs["answers"], "immediate", "only that topic");

    // The next proposal shows under the bell but sends nothing.
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let second = app
        .post(
            "/api/v1/partnerships",
            Some(&company.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Again" }),
        )
        .await;
    expect_json(second, StatusCode::CREATED).await;
    let inbox = expect_json(
        app.get("/api/v1/notifications", Some(&nonprofit.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox["unread"], 2);
    assert_eq!(app.emails("notification").await, 1);

    // A forged or altered token does nothing.
    let forged = url.replace("proposals", "answers");
    let refused = anonymous.post(&forged).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let prefs = expect_json(
        app.get(
            "/api/v1/me/notification-preferences",
            Some(&nonprofit.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(prefs["answers"], "immediate");
}

#[tokio::test]
async fn a_refused_delivery_is_retried_later_and_then_arrives() {
    let smtp = SmtpServer::start().await;
    smtp.refuse_next(1, "X-Passerelle-Kind: notification");
    let app = app_with_smtp(&smtp).await;
    proposal(&app).await;

    // The first attempt is refused: the row waits for a retry, about a minute later.
    let row = email_row(&app, |row| row.attempts == 1).await;
    assert_eq!(row.status, entity::EmailStatus::Pending);
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("451"),
        "{row:?}"
    );
    let wait = row.next_attempt_at - row.created_at;
    assert!(wait >= chrono::Duration::seconds(50), "{wait}");
    assert!(smtp.of_kind("notification").await.is_empty());

    // A minute later (moved forward here), it arrives.
    entity::email::Entity::update_many()
        .col_expr(
            entity::email::Column::NextAttemptAt,
            Expr::val(row.created_at),
        )
        .filter(entity::email::Column::Id.eq(row.id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(smtp.wait_for("notification", 1, 20).await.len(), 1);
    let sent = email_row(&app, |row| row.status == entity::EmailStatus::Sent).await;
    assert_eq!(sent.attempts, 2);
}

#[tokio::test]
async fn without_smtp_messages_are_written_as_files() {
    let app = TestApp::spawn().await;
    proposal(&app).await;
    let dir = app.config.data_dir.join("mail");
    let mut files = Vec::new();
    for _ in 0..100 {
        files = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        if files.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Two confirmations of the addresses signed up with, one notification of the proposal.
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.iter().all(|f| f.extension().unwrap() == "eml"));
    let notification = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|m| m.contains("X-Passerelle-Kind: notification"))
        .expect("the notification's file");
    assert!(notification.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
}

#[tokio::test]
async fn a_digest_arrives_as_one_email_listing_each_notification() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let nonprofit = app.nonprofit().await;
    let set = app
        .patch(
            "/api/v1/me/notification-preferences",
            Some(&nonprofit.token),
            &json!({ "proposals": "daily", "messages": "daily" }),
        )
        .await;
    expect_json(set, StatusCode::OK).await;
    let company = app.company().await;
    let partnership = app.propose_fresh(&company, &nonprofit, &company).await;
    let path = format!("/api/v1/partnerships/{}/messages", partnership["id"]);
    for body in ["First question", "Second question"] {
        let sent = app
            .post(&path, Some(&company.token), &json!({ "body": body }))
            .await;
        expect_json(sent, StatusCode::CREATED).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        smtp.of_kind("notification").await.is_empty(),
        "nothing is sent at once"
    );

    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let queued = passerelle::domain::notifications::send_digests(&app.db, tomorrow, 12)
        .await
        .unwrap();
    assert_eq!(queued, 1);
    let mail = smtp.wait_for("digest", 1, 20).await.remove(0);
    assert_eq!(mail.to, std::slice::from_ref(&nonprofit.email));
    let text = mail.part("text/plain");
    assert!(
        text.contains("Here are the 3 things that happened today."),
        "{text}"
    );
    assert!(
        text.contains("Tech Company proposes a partnership"),
        "{text}"
    );
    assert!(
        text.contains("“First question”") && text.contains("“Second question”"),
        "{text}"
    );
    // Its unsubscribe link names the topic most of it is about.
    assert!(
        mail.header("List-Unsubscribe")
            .unwrap()
            .contains(".messages.")
    );
}
