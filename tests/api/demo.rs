//! The demo data set loads once and is realistic enough to try the service.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

pub async fn all(app: &TestApp, collection: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut path = format!("/api/v1/{collection}?limit=100");
    loop {
        let page = expect_json(app.get(&path, None).await, StatusCode::OK).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/{collection}?limit=100&cursor={cursor}"),
            None => return items,
        }
    }
}

#[tokio::test]
async fn demo_data_loads_once_in_english_and_french() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let needs = all(&app, "needs").await;
    let offers = all(&app, "offers").await;
    let organizations = all(&app, "organizations").await;
    assert!(
        organizations.len() >= 25,
        "{} organizations",
        organizations.len()
    );
    assert!(needs.len() + offers.len() >= 80);
    for language in ["en", "fr"] {
        assert!(
            needs.iter().any(|n| n["language"] == language),
            "needs in {language}"
        );
        assert!(
            offers.iter().any(|n| n["language"] == language),
            "offers in {language}"
        );
    }
    let kinds: std::collections::HashSet<&str> = organizations
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 7, "all kinds of organizations: {kinds:?}");
    assert!(
        offers
            .iter()
            .any(|o| o["eligibility"]["requires_charity_number"] == true)
    );
    assert!(
        needs.iter().all(|n| n["status"] != "draft"),
        "drafts stay private"
    );
    // Two programs, one led in English in Ontario whose allocation is confirmed (its cohort has
    // proposals to answer), one in French in Quebec with its call open.
    let programs = expect_json(app.get("/api/v1/programs", None).await, StatusCode::OK).await;
    let programs = programs["items"].as_array().unwrap();
    assert_eq!(programs.len(), 2, "{programs:?}");
    for (language, state) in [("en", "closed"), ("fr", "open")] {
        let summary = programs.iter().find(|p| p["language"] == language).unwrap();
        assert_eq!(summary["state"], state, "{summary}");
        let program = expect_json(
            app.get(&format!("/api/v1/programs/{}", summary["id"]), None)
                .await,
            StatusCode::OK,
        )
        .await;
        let sectors: std::collections::HashSet<&str> = program["partners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["organization"]["kind"].as_str().unwrap())
            .collect();
        assert!(
            sectors.len() >= 3,
            "partners from three sectors: {sectors:?}"
        );
        if state == "closed" {
            assert!(
                program["members"].as_array().unwrap().len() >= 3,
                "{program}"
            );
            let offered: i64 = program["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["offered"].as_i64().unwrap())
                .sum();
            assert!(offered > 0, "{program}");
        }
    }
    let postings = app.count("posting").await;

    // A second start with --demo keeps the data as it is.
    let app = app.restart().await;
    assert_eq!(app.count("posting").await, postings);
    assert_eq!(all(&app, "organizations").await.len(), organizations.len());

    // Demo accounts can sign in.
    let login = app
        .post("/api/v1/auth/login", None, &json!({ "email": "sophie.tremblay@paniers-pointe.example", "password": passerelle::demo::DEMO_PASSWORD }))
        .await;
    expect_json(login, StatusCode::OK).await;
}
