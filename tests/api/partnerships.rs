//! Partnerships: proposals, answers, capacity, privacy of contact details, outcome reports, and
//! every step that must be refused.

use entity::{audit_event, partnership};
use futures::future::join_all;
use reqwest::{Response, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::*;

/// A nonprofit with a need and a company with an offer.
pub(crate) struct Pair {
    pub(crate) nonprofit: Account,
    pub(crate) company: Account,
    pub(crate) need: Value,
    pub(crate) offer: Value,
}

pub(crate) async fn pair(app: &TestApp, need_quantity: i32, offer_quantity: i32) -> Pair {
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "quantity": need_quantity })),
        )
        .await;
    let offer = app
        .create_posting(
            &company,
            "offers",
            merge(offer_body(), json!({ "quantity": offer_quantity })),
        )
        .await;
    Pair {
        nonprofit,
        company,
        need,
        offer,
    }
}

async fn propose(app: &TestApp, by: &Account, need: &Value, offer: &Value) -> Response {
    app.post(
        "/api/v1/partnerships",
        Some(&by.token),
        &json!({ "need_id": need["id"], "offer_id": offer["id"], "units": 1,
                 "message": "We would love to work with you on this." }),
    )
    .await
}

pub(crate) async fn proposed(app: &TestApp, by: &Account, need: &Value, offer: &Value) -> Value {
    expect_json(propose(app, by, need, offer).await, StatusCode::CREATED).await
}

/// `POST /partnerships/{id}/{step}` with `body` (or no body at all).
pub(crate) async fn step(
    app: &TestApp,
    by: &Account,
    partnership: &Value,
    verb: &str,
    body: Option<Value>,
) -> Response {
    let path = format!("/api/v1/partnerships/{}/{verb}", partnership["id"]);
    match body {
        Some(body) => app.post(&path, Some(&by.token), &body).await,
        None => app
            .request(reqwest::Method::POST, &path, Some(&by.token))
            .send()
            .await
            .unwrap(),
    }
}

async fn read(app: &TestApp, by: &Account, partnership: &Value) -> Value {
    let path = format!("/api/v1/partnerships/{}", partnership["id"]);
    expect_json(app.get(&path, Some(&by.token)).await, StatusCode::OK).await
}

async fn posting(app: &TestApp, collection: &str, posting: &Value) -> Value {
    let path = format!("/api/v1/{collection}/{}", posting["id"]);
    expect_json(app.get(&path, None).await, StatusCode::OK).await
}

pub(crate) fn outcome() -> Value {
    json!({
        "hours": 12.5,
        "value_cad": 4800,
        "delivered": "Four remote sessions on phishing and passwords for eight front-line staff.",
        "indicators": [
            { "name": "Staff who spot a phishing email", "before": 2, "after": 8 },
            { "name": "Password manager", "before": "none", "after": "all staff" }
        ]
    })
}

async fn audit_actions(app: &TestApp, id: i64) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("partnership"))
        .filter(audit_event::Column::EntityId.eq(id))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.action)
        .collect()
}

#[tokio::test]
async fn a_nonprofit_proposes_the_company_accepts_and_the_outcome_is_reported() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 2).await;
    for (account, phone) in [(&nonprofit, "514-555-0101"), (&company, "416-555-0199")] {
        let path = format!("/api/v1/organizations/{}", account.org_id);
        let body = json!({ "version": 1, "contact_phone": phone });
        expect_json(
            app.patch(&path, Some(&account.token), &body).await,
            StatusCode::OK,
        )
        .await;
    }

    // Contact details pass only between verified organizations.
    app.verify(company.org_id).await;

    let response = propose(&app, &nonprofit, &need, &offer).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let sent = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(location, format!("/api/v1/partnerships/{}", sent["id"]));
    assert_eq!(sent["status"], "proposed");
    assert_eq!(sent["role"], "sent");
    assert_eq!(sent["side"], "need");
    assert_eq!(sent["need"]["id"], need["id"]);
    assert_eq!(sent["offer"]["title"], offer["title"]);
    assert_eq!(sent["counterpart"]["organization_id"], company.org_id);
    assert_eq!(sent["counterpart"]["name"], "Tech Company");
    assert!(sent["counterpart"]["contact"].is_null(), "{sent}");
    // The proposal keeps the pair's match score and reasons.
    let score = sent["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0, "{sent}");
    assert!(
        sent["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "Both in English"),
        "{sent}"
    );
    assert!(sent["outcome"].is_null());
    let expires = chrono::DateTime::parse_from_rfc3339(sent["expires_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let days = (expires - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((13.9..=14.0).contains(&days), "expires in {days} days");

    // Before anyone said yes, neither side sees the other's contact, here or on the profiles.
    let received = read(&app, &company, &sent).await;
    assert_eq!(received["role"], "received");
    assert_eq!(received["side"], "offer");
    assert_eq!(received["counterpart"]["organization_id"], nonprofit.org_id);
    assert!(received["counterpart"]["contact"].is_null(), "{received}");
    let profile = format!("/api/v1/organizations/{}", nonprofit.org_id);
    let seen = expect_json(
        app.get(&profile, Some(&company.token)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        seen.get("contact_email").is_none() && seen.get("contact_phone").is_none(),
        "{seen}"
    );

    let accepted = step(
        &app,
        &company,
        &sent,
        "accept",
        Some(json!({ "note": "Happy to help; our trainer will write to you." })),
    )
    .await;
    let accepted = expect_json(accepted, StatusCode::OK).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(
        accepted["response_note"],
        "Happy to help; our trainer will write to you."
    );
    assert!(accepted["responded_at"].is_string());
    // The nonprofit is not verified yet: neither side sees the other's details, and each is told
    // why.
    assert!(accepted["counterpart"]["contact"].is_null(), "{accepted}");
    assert_eq!(
        accepted["counterpart"]["contact_withheld"],
        "partner_unverified"
    );
    let theirs = read(&app, &nonprofit, &sent).await;
    assert!(theirs["counterpart"]["contact"].is_null(), "{theirs}");
    assert_eq!(theirs["counterpart"]["contact_withheld"], "you_unverified");
    // Once an administrator has verified it, both see them.
    app.verify(nonprofit.org_id).await;
    let accepted = read(&app, &company, &sent).await;
    assert!(accepted["counterpart"]["contact_withheld"].is_null());
    let contact = &accepted["counterpart"]["contact"];
    assert_eq!(contact["email"], nonprofit.email.as_str());
    assert_eq!(contact["phone"], "514-555-0101");
    assert_eq!(
        contact["person"]["email"],
        nonprofit.email.as_str(),
        "who proposed"
    );
    let theirs = read(&app, &nonprofit, &sent).await;
    let contact = &theirs["counterpart"]["contact"];
    assert_eq!(contact["email"], company.email.as_str());
    assert_eq!(contact["phone"], "416-555-0199");
    assert_eq!(
        contact["person"]["email"],
        company.email.as_str(),
        "who accepted"
    );
    // The public profile still keeps its contact details to its members.
    let seen = expect_json(
        app.get(&profile, Some(&company.token)).await,
        StatusCode::OK,
    )
    .await;
    assert!(seen.get("contact_email").is_none(), "{seen}");
    let listed = expect_json(
        app.get("/api/v1/organizations", Some(&company.token)).await,
        StatusCode::OK,
    )
    .await;
    for org in listed["items"].as_array().unwrap() {
        let mine = org["id"] == company.org_id;
        assert_eq!(org.get("contact_email").is_some(), mine, "{org}");
    }
    app.searchable().await;
    let found = app.search("kind=organization").await;
    assert_eq!(found["total"], 2, "{found}");
    assert!(!found.to_string().contains(&nonprofit.email), "{found}");

    // One unit of each posting is used; both stay open with what is left.
    let need_now = posting(&app, "needs", &need).await;
    let offer_now = posting(&app, "offers", &offer).await;
    assert_eq!(
        (need_now["quantity"].clone(), need_now["version"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(
        (offer_now["quantity"].clone(), offer_now["status"].clone()),
        (json!(1), json!("open"))
    );

    let active = expect_json(
        step(&app, &company, &sent, "start", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(active["status"], "active");
    assert!(active["started_at"].is_string());
    let completed = step(
        &app,
        &nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": outcome(), "note": "Thank you!" })),
    )
    .await;
    let completed = expect_json(completed, StatusCode::OK).await;
    assert_eq!(completed["status"], "completed");
    assert!(completed["completed_at"].is_string());
    for account in [&nonprofit, &company] {
        let report = read(&app, account, &sent).await;
        assert_eq!(report["outcome"]["hours"], 12.5);
        assert_eq!(report["outcome"]["value_cad"], 4800.0);
        assert_eq!(report["outcome"]["indicators"][0]["after"], 8.0);
        assert_eq!(report["outcome"]["indicators"][1]["before"], "none");
        assert!(report["counterpart"]["contact"].is_object(), "{report}");
    }
    let offer_after = posting(&app, "offers", &offer).await;
    assert_eq!(
        offer_after["quantity"], 1,
        "completion gives no capacity back"
    );

    let id = sent["id"].as_i64().unwrap();
    assert_eq!(
        audit_actions(&app, id).await,
        [
            "partnership.propose",
            "partnership.accept",
            "partnership.start",
            "partnership.complete"
        ]
    );
}

#[tokio::test]
async fn forbidden_steps_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    let outsider = app.register_org("Other Company", "company", "BC").await;
    let sent = proposed(&app, &nonprofit, &need, &offer).await;
    let before = read(&app, &nonprofit, &sent).await;

    let refused = [
        (&nonprofit, "accept", StatusCode::FORBIDDEN, "forbidden"),
        (&nonprofit, "decline", StatusCode::FORBIDDEN, "forbidden"),
        (&company, "withdraw", StatusCode::FORBIDDEN, "forbidden"),
        (
            &nonprofit,
            "start",
            StatusCode::CONFLICT,
            "invalid_transition",
        ),
        (
            &company,
            "cancel",
            StatusCode::CONFLICT,
            "invalid_transition",
        ),
        (
            &outsider,
            "accept",
            StatusCode::NOT_FOUND,
            "partnership_not_found",
        ),
        (
            &outsider,
            "withdraw",
            StatusCode::NOT_FOUND,
            "partnership_not_found",
        ),
    ];
    for (account, verb, status, code) in refused {
        let problem =
            expect_problem(step(&app, account, &sent, verb, None).await, status, code).await;
        if code == "invalid_transition" {
            let detail = problem["detail"].as_str().unwrap();
            assert!(detail.contains("proposed"), "{verb}: {detail}");
        }
    }
    let early = step(
        &app,
        &nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": outcome() })),
    )
    .await;
    let problem = expect_problem(early, StatusCode::CONFLICT, "invalid_transition").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("is proposed; it cannot become completed"),
        "{problem}"
    );
    let path = format!("/api/v1/partnerships/{}", sent["id"]);
    expect_problem(
        app.get(&path, Some(&outsider.token)).await,
        StatusCode::NOT_FOUND,
        "partnership_not_found",
    )
    .await;
    expect_problem(
        app.get(&path, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    expect_problem(
        app.get("/api/v1/partnerships/999999", Some(&nonprofit.token))
            .await,
        StatusCode::NOT_FOUND,
        "partnership_not_found",
    )
    .await;
    expect_problem(
        app.get("/api/v1/partnerships/first", Some(&nonprofit.token))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    )
    .await;
    assert_eq!(
        read(&app, &nonprofit, &sent).await,
        before,
        "nothing changed"
    );

    expect_json(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    let accepted = read(&app, &nonprofit, &sent).await;
    let again = expect_problem(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert!(
        again["detail"]
            .as_str()
            .unwrap()
            .contains("is accepted; it cannot become accepted"),
        "{again}"
    );
    expect_problem(
        step(&app, &company, &sent, "decline", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        step(&app, &nonprofit, &sent, "withdraw", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        step(
            &app,
            &company,
            &sent,
            "complete",
            Some(json!({ "outcome": outcome() })),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let bad = step(
        &app,
        &nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": { "hours": -3, "value_cad": "lots", "delivered": "x" } })),
    )
    .await;
    let problem = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["outcome.value_cad"]);
    let bad = step(
        &app,
        &nonprofit,
        &sent,
        "complete",
        Some(
            json!({ "outcome": { "hours": -3, "value_cad": 0, "delivered": " ",
                                  "indicators": [{ "name": "", "before": null, "after": 1 }] } }),
        ),
    )
    .await;
    let problem = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        [
            "outcome.delivered",
            "outcome.hours",
            "outcome.indicators[0].before",
            "outcome.indicators[0].name"
        ]
    );
    let missing = step(&app, &nonprofit, &sent, "complete", None).await;
    expect_problem(
        missing,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let note = step(&app, &company, &sent, "start", Some(json!({ "note": 5 }))).await;
    let problem = expect_problem(note, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["note"]);
    assert_eq!(
        read(&app, &nonprofit, &sent).await,
        accepted,
        "nothing changed"
    );
    assert_eq!(
        posting(&app, "offers", &offer).await["quantity"],
        2,
        "used once"
    );

    let cancelled = step(
        &app,
        &company,
        &sent,
        "cancel",
        Some(json!({ "note": "Our trainer left the company." })),
    )
    .await;
    let cancelled = expect_json(cancelled, StatusCode::OK).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["closing_note"], "Our trainer left the company.");
    assert!(cancelled["counterpart"]["contact"].is_null(), "{cancelled}");
    for verb in ["start", "cancel", "accept"] {
        expect_problem(
            step(&app, &company, &sent, verb, None).await,
            StatusCode::CONFLICT,
            "invalid_transition",
        )
        .await;
    }
    expect_problem(
        step(
            &app,
            &nonprofit,
            &sent,
            "complete",
            Some(json!({ "outcome": outcome() })),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(
        posting(&app, "offers", &offer).await["quantity"],
        3,
        "the cancellation gave the unit back"
    );
    let id = sent["id"].as_i64().unwrap();
    assert_eq!(
        audit_actions(&app, id).await,
        [
            "partnership.propose",
            "partnership.accept",
            "partnership.cancel"
        ]
    );
}

#[tokio::test]
async fn proposals_are_declined_or_withdrawn_and_the_pair_may_try_again() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    // The company may propose too; then the nonprofit answers.
    let theirs = proposed(&app, &company, &need, &offer).await;
    assert_eq!(theirs["role"], "sent");
    assert_eq!(theirs["side"], "offer");
    let declined = step(
        &app,
        &nonprofit,
        &theirs,
        "decline",
        Some(json!({ "note": "We found laptops elsewhere." })),
    )
    .await;
    let declined = expect_json(declined, StatusCode::OK).await;
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["response_note"], "We found laptops elsewhere.");
    assert!(declined["counterpart"]["contact"].is_null());

    let again = proposed(&app, &nonprofit, &need, &offer).await;
    let duplicate = propose(&app, &company, &need, &offer).await;
    let problem = expect_problem(duplicate, StatusCode::CONFLICT, "partnership_exists").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("is proposed"),
        "{problem}"
    );
    expect_problem(
        propose(&app, &nonprofit, &need, &offer).await,
        StatusCode::CONFLICT,
        "partnership_exists",
    )
    .await;
    let withdrawn = step(&app, &nonprofit, &again, "withdraw", Some(json!({}))).await;
    let withdrawn = expect_json(withdrawn, StatusCode::OK).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert!(withdrawn["closing_note"].is_null());
    proposed(&app, &nonprofit, &need, &offer).await;
    assert_eq!(
        posting(&app, "offers", &offer).await["quantity"],
        3,
        "no answer took a unit"
    );
}

#[tokio::test]
async fn organizations_list_what_they_sent_and_received() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 5, 5).await;
    let second_offer = app.create_posting(&company, "offers", offer_body()).await;
    let third_offer = app.create_posting(&company, "offers", offer_body()).await;
    let first = proposed(&app, &nonprofit, &need, &offer).await;
    let second = proposed(&app, &nonprofit, &need, &second_offer).await;
    let third = proposed(&app, &company, &need, &third_offer).await;
    expect_json(
        step(&app, &company, &first, "decline", None).await,
        StatusCode::OK,
    )
    .await;

    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    let list = |account: &Account, query: &str| {
        let path = format!("/api/v1/partnerships?{query}");
        let token = account.token.clone();
        let app = &app;
        async move { expect_json(app.get(&path, Some(&token)).await, StatusCode::OK).await }
    };
    let id = |p: &Value| p["id"].as_i64().unwrap();
    assert_eq!(
        ids(&list(&nonprofit, "").await),
        [id(&third), id(&second), id(&first)]
    );
    assert_eq!(
        ids(&list(&nonprofit, "role=sent").await),
        [id(&second), id(&first)]
    );
    assert_eq!(ids(&list(&nonprofit, "role=received").await), [id(&third)]);
    assert_eq!(
        ids(&list(&company, "role=received").await),
        [id(&second), id(&first)]
    );
    assert_eq!(
        ids(&list(&company, "role=sent&status=proposed").await),
        [id(&third)]
    );
    assert_eq!(ids(&list(&company, "status=declined").await), [id(&first)]);
    let org = format!("organization_id={}&role=all", company.org_id);
    assert_eq!(
        list(&company, &org).await["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let page = list(&nonprofit, "limit=2").await;
    assert_eq!(ids(&page), [id(&third), id(&second)]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = list(&nonprofit, &format!("limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&rest), [id(&first)]);
    assert!(rest["next_cursor"].is_null());

    let outsider = app.register_org("Other Company", "company", "BC").await;
    assert!(ids(&list(&outsider, "").await).is_empty());
    let theirs = format!("/api/v1/partnerships?organization_id={}", company.org_id);
    expect_problem(
        app.get(&theirs, Some(&outsider.token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    for bad in [
        "role=mine",
        "status=done",
        "limit=0",
        "cursor=abc",
        "surprise=1",
    ] {
        let response = app
            .get(
                &format!("/api/v1/partnerships?{bad}"),
                Some(&nonprofit.token),
            )
            .await;
        let problem = expect_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        let name = bad.split('=').next().unwrap();
        assert!(
            problem["detail"].as_str().unwrap().contains(name),
            "{bad}: {problem}"
        );
    }
    expect_problem(
        app.get("/api/v1/partnerships", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_posting_takes_a_limited_number_of_pending_proposals() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    let mut needs = vec![need];
    for _ in 0..5 {
        needs.push(app.create_posting(&nonprofit, "needs", need_body()).await);
    }
    let mut sent = Vec::new();
    for need in &needs[..5] {
        sent.push(proposed(&app, &nonprofit, need, &offer).await);
    }
    let sixth = propose(&app, &nonprofit, &needs[5], &offer).await;
    let problem = expect_problem(sixth, StatusCode::CONFLICT, "too_many_pending_proposals").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("Offer {}", offer["id"])) && detail.contains("5 proposals"),
        "{detail}"
    );
    assert_eq!(app.count("partnership").await, 5, "nothing written");

    // An answered proposal no longer waits, and makes room.
    expect_json(
        step(&app, &company, &sent[0], "accept", None).await,
        StatusCode::OK,
    )
    .await;
    proposed(&app, &nonprofit, &needs[5], &offer).await;
}

#[tokio::test]
async fn the_pending_limit_is_configured() {
    let app = TestApp::spawn_with(|config| {
        config.max_pending_proposals = 1;
        config.proposal_expiry_days = 3;
    })
    .await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    let first = proposed(&app, &nonprofit, &need, &offer).await;
    let expires = chrono::DateTime::parse_from_rfc3339(first["expires_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!((expires - chrono::Utc::now()).num_hours(), 3 * 24 - 1);
    let other_offer = app.create_posting(&company, "offers", offer_body()).await;
    let problem = expect_problem(
        propose(&app, &company, &need, &other_offer).await,
        StatusCode::CONFLICT,
        "too_many_pending_proposals",
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("Need {}", need["id"])),
        "the need is the one that is full: {problem}"
    );
}

#[tokio::test]
async fn proposals_need_two_open_postings_of_two_organizations() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    let outsider = app.register_org("Other Company", "company", "BC").await;
    let own_offer = app.create_posting(&nonprofit, "offers", offer_body()).await;
    let draft_offer = app
        .create_posting(
            &company,
            "offers",
            merge(offer_body(), json!({ "status": "draft" })),
        )
        .await;
    let paused_need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "status": "paused" })),
        )
        .await;

    let send = |by: &Account, body: Value| {
        let token = by.token.clone();
        let app = &app;
        async move { app.post("/api/v1/partnerships", Some(&token), &body).await }
    };
    let message = "We would love to work with you.";
    let cases = [
        (
            json!({ "need_id": offer["id"], "offer_id": offer["id"], "message": message }),
            vec!["need_id"],
        ),
        (
            json!({ "need_id": need["id"], "offer_id": need["id"], "message": message }),
            vec!["offer_id"],
        ),
        (
            json!({ "need_id": 999999, "offer_id": 999998, "message": message }),
            vec!["need_id", "offer_id"],
        ),
        (
            json!({ "need_id": need["id"], "offer_id": draft_offer["id"], "message": message }),
            vec!["offer_id"],
        ),
        (
            json!({ "need_id": need["id"], "offer_id": own_offer["id"], "message": message }),
            vec!["offer_id"],
        ),
        (
            json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "  " }),
            vec!["message"],
        ),
        (
            json!({ "need_id": need["id"], "offer_id": offer["id"] }),
            vec!["message"],
        ),
        (
            json!({ "need_id": "one", "offer_id": offer["id"], "message": message }),
            vec!["need_id"],
        ),
        (
            json!({ "need_id": need["id"], "offer_id": offer["id"], "message": message, "score": 1 }),
            vec!["score"],
        ),
        (json!([need["id"], offer["id"], message]), vec!["body"]),
    ];
    for (body, fields) in cases {
        let problem = expect_problem(
            send(&nonprofit, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    let body = json!({ "need_id": need["id"], "offer_id": offer["id"], "message": message });
    expect_problem(
        send(&outsider, body.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let paused =
        json!({ "need_id": paused_need["id"], "offer_id": offer["id"], "message": message });
    let problem = expect_problem(
        send(&nonprofit, paused).await,
        StatusCode::CONFLICT,
        "posting_not_open",
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("is paused"),
        "{problem}"
    );
    let malformed = app
        .request(
            reqwest::Method::POST,
            "/api/v1/partnerships",
            Some(&nonprofit.token),
        )
        .header("content-type", "application/json")
        .body("{\"need_id\": ")
        .send()
        .await
        .unwrap();
    expect_problem(malformed, StatusCode::BAD_REQUEST, "malformed_json").await;
    expect_problem(
        send(&company, json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("partnership").await, 0, "nothing written");
}

#[tokio::test]
async fn a_fulfilled_posting_leaves_search_until_its_owner_reopens_it() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "quantity": 1 })),
        )
        .await;
    let offer = app
        .create_posting(
            &company,
            "offers",
            merge(
                offer_body(),
                json!({ "quantity": 1, "title": "Quokka security training for nonprofits" }),
            ),
        )
        .await;
    app.searchable().await;
    assert_eq!(app.search("q=quokka").await["total"], 1);

    let sent = proposed(&app, &nonprofit, &need, &offer).await;
    let accepted = expect_json(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted["offer"]["status"], "fulfilled");
    assert_eq!(accepted["offer"]["quantity"], 0);
    assert_eq!(accepted["need"]["status"], "fulfilled");
    app.searchable().await;
    assert_eq!(
        app.search("q=quokka").await["total"],
        0,
        "fulfilled offers leave search"
    );
    let report = passerelle::search::verify::verify(&app.db, &app.search)
        .await
        .unwrap();
    assert!(report.is_clean(), "{report:?}");

    // Neither posting takes new proposals; the offer's deletion would erase the partnership.
    let other_need = app.create_posting(&nonprofit, "needs", need_body()).await;
    expect_problem(
        propose(&app, &nonprofit, &other_need, &offer).await,
        StatusCode::CONFLICT,
        "posting_not_open",
    )
    .await;
    let offer_path = format!("/api/v1/offers/{}", offer["id"]);
    expect_problem(
        app.delete(&offer_path, Some(&company.token)).await,
        StatusCode::CONFLICT,
        "posting_in_partnership",
    )
    .await;

    // Reopening takes new capacity.
    let version = posting(&app, "offers", &offer).await["version"].clone();
    let reopen = app
        .patch(
            &offer_path,
            Some(&company.token),
            &json!({ "version": version, "status": "open" }),
        )
        .await;
    let problem = expect_problem(
        reopen,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["quantity"]);
    let reopened = app
        .patch(
            &offer_path,
            Some(&company.token),
            &json!({ "version": version, "status": "open", "quantity": 2 }),
        )
        .await;
    expect_json(reopened, StatusCode::OK).await;
    app.searchable().await;
    assert_eq!(app.search("q=quokka").await["total"], 1, "reopened");
    proposed(&app, &nonprofit, &other_need, &offer).await;
}

#[tokio::test]
async fn postings_with_only_unanswered_or_refused_proposals_can_be_deleted() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    let sent = proposed(&app, &nonprofit, &need, &offer).await;
    expect_json(
        step(&app, &company, &sent, "decline", None).await,
        StatusCode::OK,
    )
    .await;
    proposed(&app, &nonprofit, &need, &offer).await;
    let path = format!("/api/v1/offers/{}", offer["id"]);
    let deleted = app.delete(&path, Some(&company.token)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("partnership").await, 0);
}

#[tokio::test]
async fn unanswered_proposals_expire() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 3, 3).await;
    let sent = proposed(&app, &nonprofit, &need, &offer).await;
    let id = sent["id"].as_i64().unwrap();
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    partnership::Entity::update_many()
        .col_expr(partnership::Column::ExpiresAt, Expr::val(past))
        .filter(partnership::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();

    // Past its expiry, a proposal cannot be answered even before the expiry task marks it.
    let late = expect_problem(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert!(
        late["detail"].as_str().unwrap().contains("expired"),
        "{late}"
    );
    assert_eq!(posting(&app, "offers", &offer).await["quantity"], 3);

    assert_eq!(
        passerelle::domain::partnerships::expire_due(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        passerelle::domain::partnerships::expire_due(&app.db)
            .await
            .unwrap(),
        0
    );
    let expired = read(&app, &company, &sent).await;
    assert_eq!(expired["status"], "expired");
    assert_eq!(expired["version"], 2);
    expect_problem(
        step(&app, &nonprofit, &sent, "withdraw", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(
        audit_actions(&app, id).await,
        ["partnership.propose", "partnership.expire"]
    );
    proposed(&app, &nonprofit, &need, &offer).await;
}

#[tokio::test]
async fn acceptances_racing_for_the_last_unit_have_one_winner() {
    const RACERS: usize = 8;
    let app = TestApp::spawn_with(|config| config.max_pending_proposals = RACERS as u32).await;
    let company = app.company().await;
    let nonprofit = app.nonprofit().await;
    let offer = app
        .create_posting(
            &company,
            "offers",
            merge(offer_body(), json!({ "quantity": 1 })),
        )
        .await;
    let mut proposals = Vec::new();
    let mut needs = Vec::new();
    for _ in 0..RACERS {
        let need = app.create_posting(&nonprofit, "needs", need_body()).await;
        proposals.push(proposed(&app, &nonprofit, &need, &offer).await);
        needs.push(need);
    }

    let accepts = proposals
        .iter()
        .map(|p| step(&app, &company, p, "accept", None));
    let responses = join_all(accepts).await;
    let mut won = 0;
    for response in responses {
        match response.status() {
            StatusCode::OK => won += 1,
            _ => {
                let problem =
                    expect_problem(response, StatusCode::CONFLICT, "capacity_exhausted").await;
                assert!(
                    problem["detail"]
                        .as_str()
                        .unwrap()
                        .contains("no capacity left"),
                    "{problem}"
                );
            }
        }
    }
    assert_eq!(won, 1, "exactly one acceptance wins the last unit");

    let offer_now = posting(&app, "offers", &offer).await;
    assert_eq!(offer_now["quantity"], 0);
    assert_eq!(offer_now["status"], "fulfilled");
    assert_eq!(offer_now["version"], 2, "changed once");
    let statuses: Vec<_> = partnership::Entity::find()
        .order_by_asc(partnership::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.status.as_str())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "accepted").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == "proposed").count(),
        RACERS - 1
    );
    let mut left = Vec::new();
    for need in &needs {
        left.push(
            posting(&app, "needs", need).await["quantity"]
                .as_i64()
                .unwrap(),
        );
    }
    left.sort_unstable();
    let mut expected = vec![12; RACERS];
    expected[0] = 11;
    assert_eq!(left, expected, "only the winner's need used a unit");
    let accepts = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("partnership.accept"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(accepts.len(), 1, "refused acceptances leave no audit event");
}

#[tokio::test]
async fn another_site_cannot_answer_a_proposal_with_the_session_cookie() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 1, 1).await;
    let partnership = proposed(&app, &nonprofit, &need, &offer).await;
    let path = format!("/api/v1/partnerships/{}/decline", partnership["id"]);
    // What a form on evil.example makes the company's browser send: its cookie, no token.
    let forged = app
        .client
        .post(app.url(&path))
        .header("cookie", format!("passerelle_session={}", company.token))
        .header("origin", "http://evil.example")
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap();
    expect_problem(forged, StatusCode::FORBIDDEN, "forbidden").await;
    let without_origin = app
        .client
        .post(app.url(&path))
        .header("cookie", format!("passerelle_session={}", company.token))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    expect_problem(without_origin, StatusCode::FORBIDDEN, "forbidden").await;
    let read = app
        .get(
            &format!("/api/v1/partnerships/{}", partnership["id"]),
            Some(&company.token),
        )
        .await;
    assert_eq!(
        expect_json(read, StatusCode::OK).await["status"],
        "proposed"
    );
    // An integration's bearer token is not a browser's ambient credential.
    let with_token = app
        .client
        .post(app.url(&path))
        .bearer_auth(&company.token)
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_json(with_token, StatusCode::OK).await["status"],
        "declined"
    );
}

#[tokio::test]
async fn a_proposal_covers_what_it_can_and_a_cancellation_gives_it_back() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 8, 60).await;
    // By default a proposal covers as much of the need as the offer can give: all 8 laptops.
    let sent = app
        .post(
            "/api/v1/partnerships",
            Some(&nonprofit.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Eight, please." }),
        )
        .await;
    let sent = expect_json(sent, StatusCode::CREATED).await;
    let too_many = app
        .post(
            "/api/v1/partnerships",
            Some(&company.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "units": 9, "message": "More" }),
        )
        .await;
    let problem = expect_problem(
        too_many,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["units"]);
    expect_json(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    let need_now = posting(&app, "needs", &need).await;
    assert_eq!(
        (need_now["quantity"].clone(), need_now["status"].clone()),
        (json!(0), json!("fulfilled")),
        "the need is met, not 'open with 7 of 8 left'"
    );
    assert_eq!(posting(&app, "offers", &offer).await["quantity"], 52);
    // Cancelled, the units go back and the need opens again.
    let cancel = step(
        &app,
        &nonprofit,
        &sent,
        "cancel",
        Some(json!({ "reason_code": "needs_changed" })),
    );
    expect_json(cancel.await, StatusCode::OK).await;
    let need_now = posting(&app, "needs", &need).await;
    assert_eq!(
        (need_now["quantity"].clone(), need_now["status"].clone()),
        (json!(8), json!("open"))
    );
    assert_eq!(posting(&app, "offers", &offer).await["quantity"], 60);
    assert!(app.journal().await.iter().any(|a| a == "need.release"));
}

#[tokio::test]
async fn one_partnership_fills_a_need_that_says_so() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "quantity": 40, "unit": "seats", "filled_by_one": true }),
            ),
        )
        .await;
    assert_eq!(
        (need["unit"].clone(), need["filled_by_one"].clone()),
        (json!("seats"), json!(true))
    );
    let offer = app
        .create_posting(
            &company,
            "offers",
            merge(offer_body(), json!({ "quantity": 100 })),
        )
        .await;
    let sent = proposed(&app, &nonprofit, &need, &offer).await;
    expect_json(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    // The proposal said one seat, but one partnership takes the whole need.
    let need_now = posting(&app, "needs", &need).await;
    assert_eq!(need_now["status"], "fulfilled");
    assert_eq!(posting(&app, "offers", &offer).await["quantity"], 99);
}

#[tokio::test]
async fn an_organization_without_a_need_answers_an_offer_in_one_step() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let offer = app
        .create_posting(
            &company,
            "offers",
            merge(offer_body(), json!({ "quantity": 60, "unit": "items" })),
        )
        .await;
    let path = format!("/api/v1/offers/{}/interest", offer["id"]);
    // A bad answer names its fields and leaves nothing behind.
    let bad = app
        .post(
            &path,
            Some(&nonprofit.token),
            &json!({ "description": "short", "quantity": 0 }),
        )
        .await;
    let problem = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["description", "quantity"],
        "{problem}"
    );
    assert_eq!(app.count("posting").await, 1);
    let answered = app
        .post(
            &path,
            Some(&nonprofit.token),
            &json!({ "description": "Five laptops for our after-school homework club.", "quantity": 5 }),
        )
        .await;
    let answered = expect_json(answered, StatusCode::CREATED).await;
    let need = &answered["posting"];
    assert_eq!(need["kind"], "need");
    assert_eq!(need["organization_id"], nonprofit.org_id);
    assert_eq!(need["title"], offer["title"]);
    assert_eq!(need["category"], offer["category"]);
    assert_eq!(
        (need["quantity"].clone(), need["unit"].clone()),
        (json!(5), json!("items"))
    );
    let proposal = &answered["partnership"];
    assert_eq!(proposal["status"], "proposed");
    assert_eq!(proposal["units"], 5);
    assert_eq!(
        proposal["message"],
        "Five laptops for our after-school homework club."
    );
    // The company was told, and accepting takes five laptops.
    let told = app.notices(&company.token).await;
    assert_eq!(told[0].0, "proposal_received");
    expect_json(
        step(&app, &company, proposal, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(posting(&app, "offers", &offer).await["quantity"], 55);
    // Another answer makes another need and another pair.
    let again = app
        .post(
            &path,
            Some(&nonprofit.token),
            &json!({ "description": "Five more laptops for the same club, please." }),
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CREATED,
        "a new need, a new pair"
    );
    // An answer whose proposal is refused (to one's own offer) leaves no need behind.
    let own = app
        .post(
            &path,
            Some(&company.token),
            &json!({ "description": "Our own offer answered." }),
        )
        .await;
    expect_problem(own, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(app.count("posting").await, 3);
}

#[tokio::test]
async fn a_completed_partnership_is_listed_publicly_once_both_sides_agree() {
    let app = TestApp::spawn().await;
    let Pair {
        nonprofit,
        company,
        need,
        offer,
    } = pair(&app, 1, 1).await;
    let sent = proposed(&app, &nonprofit, &need, &offer).await;
    let publicity = format!("/api/v1/partnerships/{}/publicity", sent["id"]);
    // Only a completed partnership is listed.
    expect_problem(
        app.post(&publicity, Some(&company.token), &json!({ "public": true }))
            .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_json(
        step(&app, &company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    let done = step(
        &app,
        &nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": outcome(), "public": true, "note": "Thank you all." })),
    )
    .await;
    let done = expect_json(done, StatusCode::OK).await;
    assert_eq!(
        (
            done["listed_by_you"].clone(),
            done["listed_by_partner"].clone()
        ),
        (json!(true), json!(false))
    );
    let page = |org: i64| {
        let app = &app;
        async move {
            app.get(&format!("/organizations/{org}"), None)
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let headline = "Staff who spot a phishing email: 2 → 8";
    assert!(
        !page(nonprofit.org_id).await.contains(headline),
        "one side only"
    );
    // The company reads the whole report, then agrees: both public pages list it.
    let theirs = expect_json(
        app.post(&publicity, Some(&company.token), &json!({ "public": true }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["listed_by_partner"], true);
    assert_eq!(theirs["outcome"]["indicators"][1]["after"], "all staff");
    for org in [nonprofit.org_id, company.org_id] {
        let html = page(org).await;
        assert!(html.contains(headline), "{html}");
    }
    assert!(page(nonprofit.org_id).await.contains("Tech Company"));
    // Either side may withdraw its consent.
    expect_json(
        app.post(
            &publicity,
            Some(&nonprofit.token),
            &json!({ "public": false }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(!page(company.org_id).await.contains(headline));
}
