//! Against silence: reminders to the side that must answer, and an organization's usual answer
//! time from its history.

use entity::partnership;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

async fn propose(app: &TestApp, by: &Account, need: &Value, offer: &Value) -> i64 {
    let created = app
        .post(
            "/api/v1/partnerships",
            Some(&by.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Hello", "units": 1 }),
        )
        .await;
    expect_json(created, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap()
}

/// Moves a partnership's dates: created `age_days` ago, expiring in `left_days`.
async fn age(app: &TestApp, id: i64, age_days: i64, left_days: i64) {
    let now = chrono::Utc::now();
    partnership::Entity::update_many()
        .col_expr(
            partnership::Column::CreatedAt,
            Expr::val(now - chrono::Duration::days(age_days)),
        )
        .col_expr(
            partnership::Column::ExpiresAt,
            Expr::val(now + chrono::Duration::days(left_days)),
        )
        .filter(partnership::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn kinds(app: &TestApp, account: &Account) -> Vec<String> {
    let inbox = expect_json(
        app.get("/api/v1/notifications", Some(&account.token)).await,
        StatusCode::OK,
    )
    .await;
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_side_that_must_answer_is_reminded_at_halfway_and_two_days_before() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let id = propose(&app, &nonprofit, &need, &offer).await;

    // Day 1 of 14: nothing is due.
    assert_eq!(
        passerelle::domain::partnerships::remind_due(&app.db)
            .await
            .unwrap(),
        0
    );
    // Day 8 of 14: past halfway, once.
    age(&app, id, 8, 6).await;
    assert_eq!(
        passerelle::domain::partnerships::remind_due(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        passerelle::domain::partnerships::remind_due(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        kinds(&app, &company).await,
        ["proposal_expiring", "proposal_received"]
    );
    // A day before expiry: the last call, once.
    age(&app, id, 13, 1).await;
    assert_eq!(
        passerelle::domain::partnerships::remind_due(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        passerelle::domain::partnerships::remind_due(&app.db)
            .await
            .unwrap(),
        0
    );
    let inbox = expect_json(
        app.get("/api/v1/notifications", Some(&company.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox["items"][0]["kind"], "proposal_expiring");
    // The expiry as English writes a date ("December 12, 2026"), a day from now.
    let expires = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    let expected = format!(
        "A proposal waits for your answer until {}:",
        expires.format("%B %-d, %Y")
    );
    assert!(
        inbox["items"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with(&expected),
        "{} (expected {expected})",
        inbox["items"][0]["text"]
    );
    // The proposer is not reminded of its own proposal.
    assert!(kinds(&app, &nonprofit).await.is_empty());

    // An answered proposal is not reminded of.
    let offer2 = app.create_posting(&company, "offers", offer_body()).await;
    let answered = propose(&app, &nonprofit, &need, &offer2).await;
    let accept = app
        .post(
            &format!("/api/v1/partnerships/{answered}/accept"),
            Some(&company.token),
            &json!({}),
        )
        .await;
    expect_json(accept, StatusCode::OK).await;
    age(&app, answered, 13, 1).await;
    assert_eq!(
        passerelle::domain::partnerships::remind_due(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn an_organizations_usual_answer_time_comes_from_its_history() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "quantity": 5 })),
        )
        .await;
    let path = format!("/api/v1/organizations/{}", company.org_id);
    let mut waits = Vec::new();
    for (n, days) in [2, 3, 5].into_iter().enumerate() {
        let offer = app.create_posting(&company, "offers", offer_body()).await;
        let id = propose(&app, &nonprofit, &need, &offer).await;
        let verb = if n == 1 { "decline" } else { "accept" };
        let answered = app
            .post(
                &format!("/api/v1/partnerships/{id}/{verb}"),
                Some(&company.token),
                &json!({}),
            )
            .await;
        expect_json(answered, StatusCode::OK).await;
        // As if the proposal had come `days` before the answer.
        let row = partnership::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        partnership::Entity::update_many()
            .col_expr(
                partnership::Column::CreatedAt,
                Expr::val(
                    row.responded_at.unwrap() - chrono::Duration::days(days)
                        + chrono::Duration::hours(1),
                ),
            )
            .filter(partnership::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
        waits.push(days);
        let org = expect_json(app.get(&path, None).await, StatusCode::OK).await;
        if waits.len() < 3 {
            assert!(
                org["usually_answers_within_days"].is_null(),
                "too few answers yet"
            );
        } else {
            // The median wait, 3 days less an hour, rounds up to 3.
            assert_eq!(org["usually_answers_within_days"], 3);
        }
    }
    let page = app
        .client
        .get(app.url(&format!("/organizations/{}", company.org_id)))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("usually answers within 3 days")
    );
    // The proposer's own proposals do not count for it.
    let theirs = expect_json(
        app.get(&format!("/api/v1/organizations/{}", nonprofit.org_id), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(theirs["usually_answers_within_days"].is_null());
}
