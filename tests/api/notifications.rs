//! Notifications: who is told what, in which language, with the email it queues; the bell and
//! the notifications page; marking read. A change that is refused tells nobody.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

/// A French-speaking nonprofit with a need, an English-speaking company with an offer and a second
/// member (who registered in French), and the company's proposal to the nonprofit.
struct Scene {
    nonprofit: Account,
    company: Account,
    colleague: Account,
    partnership: Value,
}

async fn register(app: &TestApp, email: &str, language: Option<&str>) -> Account {
    let mut body = json!({ "email": email, "password": PASSWORD, "display_name": "Colleague" });
    if let Some(language) = language {
        body["language"] = json!(language);
    }
    let created = expect_json(
        app.post("/api/v1/auth/register", None, &body).await,
        StatusCode::CREATED,
    )
    .await;
    Account {
        email: email.to_owned(),
        token: created["token"].as_str().unwrap().to_owned(),
        user_id: created["user"]["id"].as_i64().unwrap(),
        org_id: 0,
    }
}

async fn scene(app: &TestApp) -> Scene {
    let nonprofit = app.nonprofit().await;
    app.patch(
        "/api/v1/me",
        Some(&nonprofit.token),
        &json!({ "language": "fr" }),
    )
    .await;
    let company = app.company().await;
    let mut colleague = register(app, "colleague@example.org", Some("fr")).await;
    colleague.org_id = nonprofit.org_id;
    let added = app
        .post(
            &format!("/api/v1/organizations/{}/members", nonprofit.org_id),
            Some(&nonprofit.token),
            &json!({ "email": colleague.email, "role": "member" }),
        )
        .await;
    expect_json(added, StatusCode::CREATED).await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let partnership = expect_json(
        app.post(
            "/api/v1/partnerships",
            Some(&company.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"],
                     "message": "We can help with this." }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    Scene {
        nonprofit,
        company,
        colleague,
        partnership,
    }
}

async fn inbox(app: &TestApp, account: &Account) -> Value {
    expect_json(
        app.get("/api/v1/notifications", Some(&account.token)).await,
        StatusCode::OK,
    )
    .await
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_proposal_tells_every_member_of_the_receiving_organization_in_their_language() {
    let app = TestApp::spawn().await;
    let s = scene(&app).await;

    for member in [&s.nonprofit, &s.colleague] {
        let inbox = inbox(&app, member).await;
        // The colleague was also told they were added to the organization.
        assert!(
            kinds(&inbox).contains(&"proposal_received".to_owned()),
            "{inbox}"
        );
        let item = inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["kind"] == "proposal_received")
            .unwrap();
        assert_eq!(
            item["text"],
            "Tech Company propose un partenariat : « Refurbished laptops for our homework club » \
             avec « Cybersecurity awareness training for nonprofit staff »",
            "in French, naming who proposed and both postings"
        );
        assert_eq!(
            item["note"], "« We can help with this. »",
            "with the proposer's own words"
        );
        assert_eq!(
            item["link"],
            format!("/partnerships/{}", s.partnership["id"])
        );
        assert!(item["read_at"].is_null());
        assert!(inbox["unread"].as_u64().unwrap() >= 1);
    }
    // The proposer is not told of their own proposal.
    let company_inbox = inbox(&app, &s.company).await;
    assert_eq!(kinds(&company_inbox), Vec::<String>::new());
    assert_eq!(company_inbox["unread"], 0);

    // One email per member told at once: the proposal twice, the colleague's membership once.
    assert_eq!(app.emails("notification").await, 3);
}

#[tokio::test]
async fn a_declines_reason_reaches_the_proposer() {
    let app = TestApp::spawn().await;
    let s = scene(&app).await;
    let path = format!("/api/v1/partnerships/{}/decline", s.partnership["id"]);
    let declined = app
        .post(
            &path,
            Some(&s.colleague.token),
            &json!({ "reason_code": "found_another_partner",
                     "reason": "We already have laptops from another donor." }),
        )
        .await;
    let declined = expect_json(declined, StatusCode::OK).await;
    assert_eq!(declined["reason_code"], "found_another_partner");
    // The proposer reads the same reason on the partnership.
    let seen = app
        .get(
            &format!("/api/v1/partnerships/{}", s.partnership["id"]),
            Some(&s.company.token),
        )
        .await;
    let seen = expect_json(seen, StatusCode::OK).await;
    assert_eq!(seen["reason_code"], "found_another_partner");
    assert_eq!(
        declined["response_note"],
        "We already have laptops from another donor."
    );

    let inbox = inbox(&app, &s.company).await;
    assert_eq!(kinds(&inbox), ["proposal_declined"]);
    let item = &inbox["items"][0];
    assert_eq!(
        item["text"],
        "Food Bank declined your proposal: “Refurbished laptops for our homework club” with \
         “Cybersecurity awareness training for nonprofit staff”"
    );
    assert_eq!(
        item["note"],
        "Reason given: We found another partner — “We already have laptops from another donor.”"
    );
    // The member who declined is not told of it; the other member is not told either (the answer
    // goes to the side that asked).
    assert_eq!(
        kinds(&self::inbox(&app, &s.colleague).await),
        ["proposal_received", "member_added"]
    );
}

#[tokio::test]
async fn marking_read_one_or_all_and_never_anothers() {
    let app = TestApp::spawn().await;
    let s = scene(&app).await;
    let colleague = inbox(&app, &s.colleague).await;
    assert_eq!(colleague["unread"], 2);
    let newest = colleague["items"][0]["id"].as_i64().unwrap();

    // Someone else's id changes nothing.
    let other = app
        .post(
            "/api/v1/notifications/read",
            Some(&s.company.token),
            &json!({ "ids": [newest] }),
        )
        .await;
    assert_eq!(expect_json(other, StatusCode::OK).await["unread"], 0);
    assert_eq!(inbox(&app, &s.colleague).await["unread"], 2);

    let one = app
        .post(
            "/api/v1/notifications/read",
            Some(&s.colleague.token),
            &json!({ "ids": [newest] }),
        )
        .await;
    assert_eq!(expect_json(one, StatusCode::OK).await["unread"], 1);
    let after = inbox(&app, &s.colleague).await;
    assert!(after["items"][0]["read_at"].is_string());
    assert!(after["items"][1]["read_at"].is_null());

    let all = app
        .post(
            "/api/v1/notifications/read",
            Some(&s.colleague.token),
            &json!({ "all": true }),
        )
        .await;
    assert_eq!(expect_json(all, StatusCode::OK).await["unread"], 0);

    for body in [
        json!({}),
        json!({ "ids": [] }),
        json!({ "ids": [1], "all": true }),
    ] {
        let refused = app
            .post(
                "/api/v1/notifications/read",
                Some(&s.colleague.token),
                &body,
            )
            .await;
        let problem = expect_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"]["ids"][0]["code"], "ids_or_all", "{body}");
    }
}

#[tokio::test]
async fn pages_of_notifications_follow_the_cursor() {
    let app = TestApp::spawn().await;
    let s = scene(&app).await;
    let first = expect_json(
        app.get("/api/v1/notifications?limit=1", Some(&s.colleague.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(kinds(&first), ["proposal_received"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = expect_json(
        app.get(
            &format!("/api/v1/notifications?limit=1&cursor={cursor}"),
            Some(&s.colleague.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(kinds(&second), ["member_added"]);
    assert!(second.get("next_cursor").is_none());
}

#[tokio::test]
async fn a_refused_change_tells_nobody() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    // The offer is only for Ontario; the need is in Quebec.
    let offer = app
        .create_posting(
            &company,
            "offers",
            merge(
                offer_body(),
                json!({ "eligibility": { "provinces": ["ON"] } }),
            ),
        )
        .await;
    let refused = app
        .post(
            "/api/v1/partnerships",
            Some(&company.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Hello" }),
        )
        .await;
    expect_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("notification").await, 0);
    assert_eq!(app.emails("notification").await, 0);
}

#[tokio::test]
async fn the_bell_counts_unread_on_every_page_and_the_page_lists_them() {
    let app = TestApp::spawn().await;
    let s = scene(&app).await;
    let page = |path: &'static str| {
        app.client
            .get(app.url(path))
            .header(
                "cookie",
                format!("passerelle_session={}", s.colleague.token),
            )
            .header("accept-language", "en")
            .send()
    };
    for path in ["/", "/search", "/my"] {
        let body = page(path).await.unwrap().text().await.unwrap();
        assert!(
            body.contains(r#"<span class="count">2</span>"#),
            "{path} shows the bell with 2"
        );
        assert!(body.contains("Notifications: 2 unread notifications"));
    }
    let list = page("/notifications").await.unwrap().text().await.unwrap();
    assert!(
        list.contains("Tech Company proposes a partnership"),
        "the page speaks the page's language: {list}"
    );
    assert!(list.contains(&format!(r#"value="/partnerships/{}""#, s.partnership["id"])));
}

#[tokio::test]
async fn a_daily_digest_gathers_a_days_events_into_one_email() {
    use passerelle::domain::notifications::send_digests;
    let app = TestApp::spawn().await;
    // The server's own scheduler sends the day's round when it first ticks; the round is claimed
    // here first (or waited for), so that it cannot take the week's first events.
    send_digests(&app.db, chrono::Utc::now(), 12).await.unwrap();
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    // The company wants everything once a day.
    let daily = json!({ "proposals": "daily", "answers": "daily", "partnerships": "daily",
                        "messages": "daily", "organization": "daily" });
    let set = app
        .patch(
            "/api/v1/me/notification-preferences",
            Some(&company.token),
            &daily,
        )
        .await;
    assert_eq!(expect_json(set, StatusCode::OK).await["messages"], "daily");

    let partnership = app.propose_fresh(&nonprofit, &nonprofit, &company).await;
    let messages = format!("/api/v1/partnerships/{}/messages", partnership["id"]);
    let mut emails_by_day = Vec::new();
    let start = chrono::Utc::now();
    // Seventy events over a week, ten a day (the proposal, then messages), one digest round a day.
    for day in 1..=7 {
        for n in 0..if day == 1 { 9 } else { 10 } {
            let sent = app
                .post(
                    &messages,
                    Some(&nonprofit.token),
                    &json!({ "body": format!("day {day} note {n}") }),
                )
                .await;
            expect_json(sent, StatusCode::CREATED).await;
        }
        let round = start + chrono::Duration::days(day);
        let queued = send_digests(&app.db, round, 12).await.unwrap();
        // A second run the same day sends nothing more.
        assert_eq!(send_digests(&app.db, round, 12).await.unwrap(), 0);
        emails_by_day.push(queued);
    }
    assert_eq!(
        emails_by_day, [1; 7],
        "one digest a day for the company's one member"
    );
    let company_emails = entity::email::Entity::find()
        .filter(entity::email::Column::UserId.eq(company.user_id))
        .filter(entity::email::Column::Kind.eq("digest"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(company_emails.len(), 7, "seventy events, seven emails");
    // Each digest lists that day's notifications (the first also the proposal).
    let sizes: Vec<usize> = company_emails
        .iter()
        .map(|e| e.payload["notification_ids"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [10, 10, 10, 10, 10, 10, 10]);
    assert_eq!(app.count("notification").await, 70);
}
