//! Moderation: reports from anyone signed in, answered by administrators, who hide postings with a
//! reason their owner sees, reject organizations with a reason and undo either decision; closing a
//! posting tells the organizations whose proposals wait. Every step is in the journal.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn kinds(notices: &[(String, String)]) -> Vec<&str> {
    notices.iter().map(|(kind, _)| kind.as_str()).collect()
}

#[tokio::test]
async fn a_reported_posting_is_hidden_with_a_reason_its_owner_sees() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let admin = app.admin().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            json!({ "title": "Laptops for our homework club", "description": "Ten laptops for youth.",
                    "language": "en", "category": "hardware", "province": "QC" }),
        )
        .await;
    let need_id = need["id"].as_i64().unwrap();
    let report = json!({ "target": "posting", "id": need_id, "reason": "Asks for money up front" });

    // Signed out, nobody reports; a bad report names its fields and writes nothing.
    expect_problem(
        app.post("/api/v1/reports", None, &report).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let bad = app
        .post(
            "/api/v1/reports",
            Some(&company.token),
            &json!({ "target": "posting", "id": 999_999, "reason": " " }),
        )
        .await;
    let problem = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["id", "reason"], "{problem}");
    assert_eq!(app.count("report").await, 0);

    let filed = expect_json(
        app.post("/api/v1/reports", Some(&company.token), &report)
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(filed["status"], "open");
    expect_problem(
        app.post("/api/v1/reports", Some(&company.token), &report)
            .await,
        StatusCode::CONFLICT,
        "already_reported",
    )
    .await;

    // Only administrators read reports; they are told of each new one.
    expect_problem(
        app.get("/api/v1/reports", Some(&company.token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let open = expect_json(
        app.get("/api/v1/reports?status=open", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    let items = open["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{open}");
    assert_eq!(items[0]["target_title"], "Laptops for our homework club");
    assert_eq!(items[0]["reporter_email"], company.email.as_str());
    let notices = app.notices(&admin).await;
    assert_eq!(kinds(&notices), ["report_received"]);
    assert!(
        notices[0].1.contains("Asks for money up front"),
        "{notices:?}"
    );

    // Hiding needs a reason the owner can read.
    let moderation = format!("/api/v1/postings/{need_id}/moderation");
    let bare = app
        .post(&moderation, Some(&admin), &json!({ "hidden": true }))
        .await;
    let problem = expect_problem(bare, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["reason"]);
    expect_problem(
        app.post(
            &moderation,
            Some(&company.token),
            &json!({ "hidden": true, "reason": "x" }),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let hidden = expect_json(
        app.post(
            &moderation,
            Some(&admin),
            &json!({ "hidden": true, "reason_code": "misleading",
                     "reason": "Passerelle never asks for payment." }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(hidden["hidden"]["reason_code"], "misleading");

    // Gone for everyone else, in search too; its owner sees it with the reason.
    let path = format!("/api/v1/needs/{need_id}");
    expect_problem(
        app.get(&path, Some(&company.token)).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    app.searchable().await;
    assert_eq!(app.search("q=homework").await["total"], 0);
    let own = expect_json(app.get(&path, Some(&nonprofit.token)).await, StatusCode::OK).await;
    assert_eq!(
        own["hidden"]["reason"],
        "Passerelle never asks for payment."
    );
    let told = app.notices(&nonprofit.token).await;
    assert_eq!(kinds(&told), ["posting_hidden"]);
    assert!(told[0].1.contains("Misleading or false"), "{told:?}");
    assert!(told[0].1.contains("never asks for payment"), "{told:?}");

    // Hiding answered the report, and its author is told.
    let open = expect_json(
        app.get("/api/v1/reports?status=open", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        kinds(&app.notices(&company.token).await),
        ["report_resolved"]
    );

    // Shown again, it is back for everyone.
    expect_json(
        app.post(&moderation, Some(&admin), &json!({ "hidden": false }))
            .await,
        StatusCode::OK,
    )
    .await;
    expect_json(app.get(&path, Some(&company.token)).await, StatusCode::OK).await;
    app.searchable().await;
    assert_eq!(app.search("q=homework").await["total"], 1);
    let journal = app.journal().await;
    for action in [
        "report.create",
        "need.hide",
        "report.resolve",
        "need.restore",
    ] {
        assert!(
            journal.iter().any(|a| a == action),
            "{action} in {journal:?}"
        );
    }
}

#[tokio::test]
async fn rejections_carry_a_reason_and_administrators_can_undo_them() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let admin = app.admin().await;
    let report = json!({ "target": "organization", "id": nonprofit.org_id,
                         "reason": "I think this is not a real organization" });
    let first = expect_json(
        app.post("/api/v1/reports", Some(&company.token), &report)
            .await,
        StatusCode::CREATED,
    )
    .await;

    // Dismissed: the reporter is told, and a report is answered once.
    let resolution = format!("/api/v1/reports/{}/resolution", first["id"]);
    let dismissed = expect_json(
        app.post(
            &resolution,
            Some(&admin),
            &json!({ "status": "dismissed", "note": "Their charity number checks out." }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dismissed["status"], "dismissed");
    expect_problem(
        app.post(&resolution, Some(&admin), &json!({ "status": "actioned" }))
            .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    let told = app.notices(&company.token).await;
    assert_eq!(kinds(&told), ["report_resolved"]);
    assert!(told[0].1.contains("found nothing to change"), "{told:?}");
    assert!(told[0].1.contains("charity number checks out"), "{told:?}");

    // Reported again, then rejected with a reason: the report is answered, the members are told.
    let second = expect_json(
        app.post("/api/v1/reports", Some(&company.token), &report)
            .await,
        StatusCode::CREATED,
    )
    .await;
    let verification = format!("/api/v1/organizations/{}/verification", nonprofit.org_id);
    let rejected = expect_json(
        app.post(
            &verification,
            Some(&admin),
            &json!({ "decision": "rejected", "reason_code": "could_not_verify",
                     "reason": "The website does not answer." }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rejected["verification"], "rejected");
    let reports = expect_json(
        app.get("/api/v1/reports", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    let answered = reports["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == second["id"])
        .unwrap();
    assert_eq!(answered["status"], "actioned");
    let told = app.notices(&nonprofit.token).await;
    assert_eq!(kinds(&told), ["organization_rejected"]);
    assert!(told[0].1.contains("could not confirm"), "{told:?}");
    assert!(told[0].1.contains("website does not answer"), "{told:?}");

    // Undone: back in the queue, and told so.
    let reopened = expect_json(
        app.post(
            &verification,
            Some(&admin),
            &json!({ "decision": "pending" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reopened["verification"], "pending");
    assert_eq!(
        kinds(&app.notices(&nonprofit.token).await),
        ["verification_reopened", "organization_rejected"]
    );
    let found = expect_json(
        app.get("/api/v1/organizations?name=FOOD&verification=pending", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
}

#[tokio::test]
async fn closing_a_posting_tells_the_organizations_whose_proposals_wait() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let offer = app
        .create_posting(
            &company,
            "offers",
            json!({ "title": "Pro bono website help", "description": "A designer for 20 hours.",
                    "language": "en", "category": "website", "remote": true }),
        )
        .await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            json!({ "title": "A new website", "description": "Our site is from 2009.",
                    "language": "en", "category": "website", "province": "QC" }),
        )
        .await;
    expect_json(
        app.post(
            "/api/v1/partnerships",
            Some(&nonprofit.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Could you help us?" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/v1/offers/{}", offer["id"]);
    let too_long = "x".repeat(1_001);
    let bad = app
        .patch(
            &path,
            Some(&company.token),
            &json!({ "version": offer["version"], "status": "closed", "reason": too_long }),
        )
        .await;
    let problem = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["reason"]);
    let closed = expect_json(
        app.patch(
            &path,
            Some(&company.token),
            &json!({ "version": offer["version"], "status": "closed",
                     "reason_code": "no_capacity", "reason": "Our designer left." }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closing_reason"], "Our designer left.");
    let told = app.notices(&nonprofit.token).await;
    assert_eq!(kinds(&told)[0], "posting_closed");
    assert!(told[0].1.contains("Our designer left."), "{told:?}");
    assert!(app.journal().await.iter().any(|a| a == "offer.close"));
}
