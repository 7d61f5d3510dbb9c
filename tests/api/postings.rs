//! Needs and offers: publishing, reading, filtering, editing and deleting, and who may do what.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_nonprofit_publishes_a_need_and_everyone_can_read_it() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    assert_eq!(need["kind"], "need");
    assert_eq!(need["organization_id"], nonprofit.org_id);
    assert_eq!(need["status"], "open");
    assert_eq!(need["version"], 1);
    assert_eq!(need["quantity"], 12);
    assert!(
        need.get("eligibility").is_none(),
        "needs carry no eligibility"
    );

    let path = format!("/api/v1/needs/{}", need["id"]);
    let read = expect_json(app.get(&path, None).await, StatusCode::OK).await;
    assert_eq!(read, need);
    // A need is not an offer.
    let as_offer = app
        .get(&format!("/api/v1/offers/{}", need["id"]), None)
        .await;
    expect_problem(as_offer, StatusCode::NOT_FOUND, "posting_not_found").await;
    assert_eq!(
        app.journal().await,
        ["organization.create", "user.register", "need.create"]
    );
    assert_eq!(
        app.count("audit_event").await,
        3,
        "register, organization, need"
    );
}

#[tokio::test]
async fn offers_keep_their_eligibility_rules() {
    let app = TestApp::spawn().await;
    let company = app.company().await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    assert_eq!(
        offer["eligibility"]["org_kinds"],
        json!(["nonprofit", "charity"])
    );
    assert_eq!(offer["eligibility"]["provinces"], json!(["QC", "ON"]));
    assert_eq!(offer["eligibility"]["requires_charity_number"], false);
    assert_eq!(offer["remote"], true);

    let path = format!("/api/v1/offers/{}", offer["id"]);
    let patched = app
        .patch(
            &path,
            Some(&company.token),
            &json!({ "version": 1, "eligibility": null }),
        )
        .await;
    let patched = expect_json(patched, StatusCode::OK).await;
    assert_eq!(
        patched["eligibility"]["provinces"],
        json!([]),
        "rules removed"
    );
}

#[tokio::test]
async fn lists_filter_and_paginate() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    app.create_posting(&nonprofit, "needs", need_body()).await;
    let french = json!({ "language": "fr", "title": "Formation en cybersécurité pour nos intervenants",
                         "description": "Une formation sur l'hameçonnage pour huit intervenantes.",
                         "category": "cybersecurity", "skills": [], "province": "QC" });
    app.create_posting(&nonprofit, "needs", merge(need_body(), french))
        .await;
    app.create_posting(
        &nonprofit,
        "needs",
        merge(need_body(), json!({ "province": "ON" })),
    )
    .await;

    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let fr = expect_json(
        app.get("/api/v1/needs?language=fr", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        titles(&fr),
        ["Formation en cybersécurité pour nos intervenants"]
    );
    let cyber = expect_json(
        app.get("/api/v1/needs?category=cybersecurity&province=qc", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(titles(&cyber).len(), 1);
    let ontario = expect_json(
        app.get("/api/v1/needs?province=ON", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ontario["items"].as_array().unwrap().len(), 1);
    let mine = expect_json(
        app.get(
            &format!(
                "/api/v1/needs?organization_id={}&status=open",
                nonprofit.org_id
            ),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 3);
    let none = expect_json(app.get("/api/v1/offers", None).await, StatusCode::OK).await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0);

    let first = expect_json(app.get("/api/v1/needs?limit=2", None).await, StatusCode::OK).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = expect_json(
        app.get(&format!("/api/v1/needs?limit=2&cursor={cursor}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());

    for bad in [
        "category=nope",
        "province=XX",
        "status=gone",
        "limit=0",
        "limit=101",
        "language=de",
        "surprise=1",
    ] {
        let response = app.get(&format!("/api/v1/needs?{bad}"), None).await;
        let problem = expect_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        let name = bad.split('=').next().unwrap();
        assert!(
            problem["detail"].as_str().unwrap().contains(name),
            "{bad}: {problem}"
        );
    }
}

#[tokio::test]
async fn drafts_are_visible_only_to_their_organization() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let other = app.company().await;
    let draft = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "status": "draft" })),
        )
        .await;
    let path = format!("/api/v1/needs/{}", draft["id"]);
    expect_json(app.get(&path, Some(&nonprofit.token)).await, StatusCode::OK).await;
    expect_problem(
        app.get(&path, None).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    expect_problem(
        app.get(&path, Some(&other.token)).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    let listed = expect_json(
        app.get("/api/v1/needs", Some(&other.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);
    let own = expect_json(
        app.get("/api/v1/needs", Some(&nonprofit.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    // Another organization cannot even learn that the draft exists by writing to it.
    let write = app
        .patch(
            &path,
            Some(&other.token),
            &json!({ "version": 1, "title": "Taken over" }),
        )
        .await;
    expect_problem(write, StatusCode::NOT_FOUND, "posting_not_found").await;
}

#[tokio::test]
async fn members_edit_with_the_version_they_read() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let path = format!("/api/v1/needs/{}", need["id"]);
    let edited = app
        .patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 1, "quantity": 15, "status": "paused", "value_cad": 9000 }),
        )
        .await;
    let edited = expect_json(edited, StatusCode::OK).await;
    assert_eq!(
        (edited["version"].as_i64(), edited["quantity"].as_i64()),
        (Some(2), Some(15))
    );
    assert_eq!(edited["status"], "paused");
    assert_eq!(
        edited["title"], need["title"],
        "absent fields are unchanged"
    );
    assert_eq!(edited["created_at"], need["created_at"]);

    let stale = app
        .patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 1, "quantity": 1 }),
        )
        .await;
    let problem = expect_problem(stale, StatusCode::CONFLICT, "version_conflict").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("version 2"),
        "{problem}"
    );
    let cleared = app
        .patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 2, "value_cad": null }),
        )
        .await;
    assert_eq!(
        expect_json(cleared, StatusCode::OK).await["value_cad"],
        Value::Null
    );

    let expired = app
        .patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 3, "status": "expired" }),
        )
        .await;
    let problem = expect_problem(
        expired,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"]);
}

#[tokio::test]
async fn another_organization_cannot_change_or_delete_a_posting() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let intruder = app.company().await;
    for (collection, body) in [("needs", need_body()), ("offers", offer_body())] {
        let posting = app.create_posting(&nonprofit, collection, body).await;
        let path = format!("/api/v1/{collection}/{}", posting["id"]);
        let outbox = app.count("outbox").await;

        let patch = app
            .patch(
                &path,
                Some(&intruder.token),
                &json!({ "version": 1, "title": "Hijacked title" }),
            )
            .await;
        expect_problem(patch, StatusCode::FORBIDDEN, "forbidden").await;
        let delete = app.delete(&path, Some(&intruder.token)).await;
        expect_problem(delete, StatusCode::FORBIDDEN, "forbidden").await;
        let anonymous = app.delete(&path, None).await;
        expect_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        let after = expect_json(app.get(&path, None).await, StatusCode::OK).await;
        assert_eq!(after, posting, "{collection} unchanged");
        assert_eq!(app.count("outbox").await, outbox, "nothing written");
    }
}

#[tokio::test]
async fn nobody_publishes_for_an_organization_they_do_not_belong_to() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let intruder = app.company().await;
    let body = merge(need_body(), json!({ "organization_id": nonprofit.org_id }));
    let response = app
        .post("/api/v1/needs", Some(&intruder.token), &body)
        .await;
    expect_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = app.post("/api/v1/needs", None, &need_body()).await;
    expect_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_eq!(app.count("posting").await, 0);
}

#[tokio::test]
async fn members_delete_their_postings() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let path = format!("/api/v1/needs/{}", need["id"]);
    assert_eq!(
        app.delete(&path, Some(&nonprofit.token)).await.status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.get(&path, None).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    expect_problem(
        app.delete(&path, Some(&nonprofit.token)).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    assert_eq!(
        app.journal().await,
        [
            "organization.create",
            "user.register",
            "need.create",
            "need.delete"
        ]
    );
}

#[tokio::test]
async fn bad_postings_name_every_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            merge(need_body(), json!({ "category": "teleportation" })),
            vec!["category"],
        ),
        (
            merge(need_body(), json!({ "skills": ["hardware"] })),
            vec!["skills"],
        ),
        (
            merge(need_body(), json!({ "province": "NY" })),
            vec!["province"],
        ),
        (
            merge(need_body(), json!({ "province": null })),
            vec!["province"],
        ),
        (
            merge(
                need_body(),
                json!({ "title": "Hi", "description": "short" }),
            ),
            vec!["description", "title"],
        ),
        (
            merge(
                need_body(),
                json!({ "quantity": 0, "value_cad": -5, "hours": -1 }),
            ),
            vec!["hours", "quantity", "value_cad"],
        ),
        (
            merge(
                need_body(),
                json!({ "starts_on": "2027-05-01", "ends_on": "2027-04-01" }),
            ),
            vec!["ends_on"],
        ),
        (
            merge(need_body(), json!({ "expires_at": "2020-01-01T00:00:00Z" })),
            vec!["expires_at"],
        ),
        (
            merge(need_body(), json!({ "status": "closed" })),
            vec!["status"],
        ),
        (
            merge(
                need_body(),
                json!({ "eligibility": { "provinces": ["QC"] } }),
            ),
            vec!["eligibility"],
        ),
        (
            merge(need_body(), json!({ "language": "de" })),
            vec!["language"],
        ),
        (
            merge(need_body(), json!({ "starts_on": "next tuesday" })),
            vec!["starts_on"],
        ),
        (merge(need_body(), json!({ "owner": "me" })), vec!["owner"]),
        (json!({ "title": "Only a title here" }), vec!["description"]),
    ];
    for (body, fields) in cases {
        let problem = expect_problem(
            app.post("/api/v1/needs", Some(&nonprofit.token), &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{body}: {problem}");
    }
    let offers = [
        (
            merge(
                offer_body(),
                json!({ "eligibility": { "provinces": ["QC", "Atlantis"] } }),
            ),
            "eligibility.provinces",
        ),
        (
            merge(
                offer_body(),
                json!({ "eligibility": { "cause_areas": ["nothing"] } }),
            ),
            "eligibility.cause_areas",
        ),
        (
            merge(
                offer_body(),
                json!({ "eligibility": { "org_kinds": ["cartel"] } }),
            ),
            "eligibility.org_kinds",
        ),
    ];
    for (body, field) in offers {
        let problem = expect_problem(
            app.post("/api/v1/offers", Some(&nonprofit.token), &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            error_fields(&problem).iter().any(|f| f.starts_with(field)),
            "{field}: {problem}"
        );
    }
    assert_eq!(app.count("posting").await, 0);
    assert_eq!(
        app.journal().await,
        ["organization.create", "user.register"],
        "nothing for the refused postings"
    );
}

#[tokio::test]
async fn a_user_in_several_organizations_must_say_which_one_publishes() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let second = app.company().await;
    passerelle::domain::accounts::add_member(
        &app.db,
        nonprofit.user_id,
        second.org_id,
        entity::Role::Member,
    )
    .await
    .unwrap();
    let problem = expect_problem(
        app.post("/api/v1/needs", Some(&nonprofit.token), &need_body())
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["organization_id"]);
    let chosen = merge(need_body(), json!({ "organization_id": second.org_id }));
    let need = app.create_posting(&nonprofit, "needs", chosen).await;
    assert_eq!(need["organization_id"], second.org_id);
}

#[tokio::test]
async fn concurrent_writes_all_succeed_or_conflict_cleanly() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let body = need_body();
    let creates = (0..10).map(|_| app.post("/api/v1/needs", Some(&nonprofit.token), &body));
    let statuses: Vec<StatusCode> = join_all(creates).await.iter().map(|r| r.status()).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );

    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let path = format!("/api/v1/needs/{}", need["id"]);
    let bodies: Vec<Value> = (0..10)
        .map(|n| json!({ "version": 1, "quantity": n + 1 }))
        .collect();
    let patches = bodies
        .iter()
        .map(|body| app.patch(&path, Some(&nonprofit.token), body));
    let statuses: Vec<StatusCode> = join_all(patches).await.iter().map(|r| r.status()).collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, conflicts), (1, 9), "{statuses:?}");
    let after = expect_json(app.get(&path, None).await, StatusCode::OK).await;
    assert_eq!(after["version"], 2);
}

#[tokio::test]
async fn edits_that_change_nothing_write_nothing_and_null_is_not_a_value() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let path = format!("/api/v1/needs/{}", need["id"]);
    let outbox = app.count("outbox").await;
    let same = json!({ "version": 1, "title": need["title"], "quantity": 12 });
    let unchanged = expect_json(
        app.patch(&path, Some(&nonprofit.token), &same).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(unchanged, need, "same version, same record");
    assert_eq!(app.count("outbox").await, outbox);

    for field in ["title", "category", "skills", "quantity", "status"] {
        let body = json!({ "version": 1, field: null });
        let problem = expect_problem(
            app.patch(&path, Some(&nonprofit.token), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{problem}");
    }
    let hidden = merge(
        need_body(),
        json!({ "title": "Laptops\u{202E} for the club" }),
    );
    let problem = expect_problem(
        app.post("/api/v1/needs", Some(&nonprofit.token), &hidden)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["title"]);
    let array = app
        .post(
            "/api/v1/needs",
            Some(&nonprofit.token),
            &json!(["Laptops", "for", "the club"]),
        )
        .await;
    let problem =
        expect_problem(array, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["body"]);
}

#[tokio::test]
async fn dates_stay_within_years_every_client_can_read() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let response = app
        .post(
            "/api/v1/needs",
            Some(&nonprofit.token),
            &merge(
                need_body(),
                json!({ "expires_at": "9999-12-31T23:59:59-23:59",
                        "starts_on": "0000-01-01", "ends_on": "-0001-12-31" }),
            ),
        )
        .await;
    let problem = expect_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["ends_on", "expires_at", "starts_on"]
    );
    assert_eq!(app.count("posting").await, 0);

    // The last moment of the range is kept and served as RFC 3339.
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "expires_at": "2100-12-31T23:59:59Z" })),
        )
        .await;
    let served = need["expires_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(served).is_ok(),
        "{served}"
    );
    let patch = app
        .patch(
            &format!("/api/v1/needs/{}", need["id"]),
            Some(&nonprofit.token),
            &json!({ "version": need["version"], "starts_on": "2101-01-01" }),
        )
        .await;
    let problem =
        expect_problem(patch, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["starts_on"]);
}

#[tokio::test]
async fn numbers_without_a_fraction_are_whole_numbers() {
    // JSON has one kind of number: to the OpenAPI document, as to most clients, 12.0 is 12.
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let body = merge(need_body(), json!({ "quantity": 12.0, "hours": 1.5e1 }));
    let need = app.create_posting(&nonprofit, "needs", body).await;
    assert_eq!(
        (need["quantity"].clone(), need["hours"].clone()),
        (json!(12), json!(15))
    );
    let path = format!("/api/v1/needs/{}", need["id"]);
    let edited = expect_json(
        app.patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 1.0, "quantity": 3.0 }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["quantity"], 3);
    let fraction = app
        .patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 2, "quantity": 2.5 }),
        )
        .await;
    let problem = expect_problem(
        fraction,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["quantity"]);
    // The same in a query string.
    let query = format!("limit=1.0&organization_id={}.0", nonprofit.org_id);
    let listed = expect_json(
        app.get(&format!("/api/v1/needs?{query}"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"][0]["id"], need["id"]);
    let fraction = app.get("/api/v1/needs?limit=1.5", None).await;
    expect_problem(fraction, StatusCode::BAD_REQUEST, "invalid_parameter").await;
}

#[tokio::test]
async fn a_need_may_say_it_has_no_eligibility_rules() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let path = format!("/api/v1/needs/{}", need["id"]);
    let none = json!({ "version": 1, "eligibility": null });
    let same = expect_json(
        app.patch(&path, Some(&nonprofit.token), &none).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(same, need, "no rules, as before");
    let rules = json!({ "version": 1, "eligibility": { "provinces": ["QC"] } });
    let problem = expect_problem(
        app.patch(&path, Some(&nonprofit.token), &rules).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["eligibility"]);
}
