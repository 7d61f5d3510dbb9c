//! The daily round: new results of saved searches, and suggested partners never suggested twice.

use std::sync::Arc;

use passerelle::domain::taxonomy::Taxonomy;
use passerelle::matching::daily;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn kinds(app: &TestApp, account: &Account) -> Vec<Value> {
    let inbox = expect_json(
        app.get("/api/v1/notifications", Some(&account.token)).await,
        StatusCode::OK,
    )
    .await;
    inbox["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn saved_searches_are_kept_checked_and_forgotten() {
    let app = TestApp::spawn().await;
    let user = app.nonprofit().await;
    let other = app.company().await;
    let saved = app
        .post(
            "/api/v1/saved-searches",
            Some(&user.token),
            &json!({ "query": "q=laptops&province=QC&limit=5" }),
        )
        .await;
    let saved = expect_json(saved, StatusCode::CREATED).await;
    assert_eq!(saved["name"], "laptops");
    assert_eq!(
        saved["query"], "q=laptops&province=QC",
        "paging is not kept"
    );

    for query in ["kind=nonsense", "province=ZZ", "color=blue"] {
        let refused = app
            .post(
                "/api/v1/saved-searches",
                Some(&user.token),
                &json!({ "query": query }),
            )
            .await;
        expect_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    let list = expect_json(
        app.get("/api/v1/saved-searches", Some(&user.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let path = format!("/api/v1/saved-searches/{}", saved["id"]);
    expect_problem(
        app.delete(&path, Some(&other.token)).await,
        StatusCode::NOT_FOUND,
        "saved_search_not_found",
    )
    .await;
    assert_eq!(
        app.delete(&path, Some(&user.token)).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_saved_search_tells_of_new_results_once() {
    let app = TestApp::spawn().await;
    // The server's own scheduler runs the day's round once, soon after it starts; this test runs
    // the rounds itself, so the server's is marked done for ever (else a late one would note the
    // first results before the test does).
    {
        use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
        entity::stream_cursor::Entity::insert(entity::stream_cursor::ActiveModel {
            name: Set("daily.findings".into()),
            position: Set(i64::MAX / 2),
            updated_at: Set(chrono::Utc::now()),
        })
        .on_conflict(
            OnConflict::column(entity::stream_cursor::Column::Name)
                .update_column(entity::stream_cursor::Column::Position)
                .to_owned(),
        )
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    let taxonomy = Arc::new(Taxonomy::builtin().unwrap());
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let saved = app
        .post(
            "/api/v1/saved-searches",
            Some(&nonprofit.token),
            &json!({ "query": "q=cybersecurity" }),
        )
        .await;
    expect_json(saved, StatusCode::CREATED).await;
    // An offer that was there before the first round is not news.
    app.create_posting(&company, "offers", offer_body()).await;
    app.searchable().await;
    assert_eq!(
        daily::saved_search_results(&app.db, &app.search, &taxonomy)
            .await
            .unwrap(),
        0
    );

    let newer = merge(
        offer_body(),
        json!({ "title": "Cybersecurity assessment for small charities" }),
    );
    app.create_posting(&company, "offers", newer).await;
    app.searchable().await;
    assert_eq!(
        daily::saved_search_results(&app.db, &app.search, &taxonomy)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        daily::saved_search_results(&app.db, &app.search, &taxonomy)
            .await
            .unwrap(),
        0,
        "told once"
    );
    let items = kinds(&app, &nonprofit).await;
    assert_eq!(items[0]["kind"], "saved_search_results");
    assert_eq!(
        items[0]["text"],
        "New results for your saved search “cybersecurity”"
    );
    assert_eq!(items[0]["link"], "/search?q=cybersecurity");
}

#[tokio::test]
async fn good_partners_are_suggested_once_per_posting() {
    let app = TestApp::spawn().await;
    let taxonomy = Arc::new(Taxonomy::builtin().unwrap());
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = merge(
        need_body(),
        json!({ "title": "Cybersecurity training for our staff", "category": "cybersecurity",
                "skills": ["phishing_training"],
                "description": "Phishing and password training for front-line staff, remote is fine." }),
    );
    let need = app.create_posting(&nonprofit, "needs", need).await;
    app.create_posting(&company, "offers", offer_body()).await;
    app.searchable().await;

    let told = daily::suggestions(&app.db, &app.search, &taxonomy, 5)
        .await
        .unwrap();
    assert!(told >= 1, "the need's organization hears of the offer");
    let items = kinds(&app, &nonprofit).await;
    let suggestion = items
        .iter()
        .find(|item| item["kind"] == "match_suggestions")
        .expect("a suggestion");
    assert_eq!(suggestion["link"], format!("/needs/{}", need["id"]));
    assert!(
        suggestion["detail"]["candidates"][0]["score"]
            .as_f64()
            .unwrap()
            >= daily::SUGGESTION_THRESHOLD
    );
    // The next day, the same candidate is not suggested again.
    assert_eq!(
        daily::suggestions(&app.db, &app.search, &taxonomy, 5)
            .await
            .unwrap(),
        0
    );
    // By default, suggestions wait for the daily digest: no email at once.
    assert_eq!(
        suggestion["detail"]["candidates"].as_array().unwrap().len(),
        1
    );
}
