//! The gap map for funders: unmet demand by province and category, as JSON and CSV, with its
//! filters; public, aggregates only.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn the_gap_map_ranks_unmet_demand_by_province_and_category() {
    let app = TestApp::spawn().await;
    let ontario = app
        .register_org("Sudbury Youth Club", "nonprofit", "ON")
        .await;
    app.edit_profile(&ontario, json!({ "size": "small" })).await;
    let quebec = app.register_org("Food Bank", "nonprofit", "QC").await;
    let company = app.company().await;
    let laptops = |province: &str| {
        merge(
            need_body(),
            json!({ "province": province, "status": "open" }),
        )
    };
    let old = app.create_posting(&ontario, "needs", laptops("ON")).await;
    app.create_posting(&ontario, "needs", laptops("ON")).await;
    app.create_posting(
        &quebec,
        "needs",
        merge(
            need_body(),
            json!({ "category": "cybersecurity", "skills": [], "status": "open" }),
        ),
    )
    .await;
    // A draft is not demand.
    app.create_posting(
        &quebec,
        "needs",
        merge(need_body(), json!({ "status": "draft" })),
    )
    .await;
    // One offer of laptops in Ontario, one training given remotely (anywhere).
    app.create_posting(
        &company,
        "offers",
        merge(
            offer_body(),
            json!({ "category": "hardware", "skills": [], "remote": false, "province": "ON",
                    "title": "Refurbished laptops for Ontario groups" }),
        ),
    )
    .await;
    app.create_posting(&company, "offers", offer_body()).await;
    // The first Ontario need has waited 90 days.
    let mut aged: entity::posting::ActiveModel =
        entity::posting::Entity::find_by_id(old["id"].as_i64().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
    aged.created_at = Set(Utc::now() - Duration::days(90));
    aged.update(&app.db).await.unwrap();

    let gaps = expect_json(app.get("/api/v1/insights/gaps", None).await, StatusCode::OK).await;
    assert_eq!(gaps["unmet_after_days"], 60);
    let items = gaps["items"].as_array().unwrap();
    let cell = |item: &Value| {
        (
            item["province"].as_str().unwrap().to_owned(),
            item["category"].as_str().unwrap().to_owned(),
            item["open_needs"].as_i64().unwrap(),
            item["unmet_60_days"].as_i64().unwrap(),
            item["offers"].as_i64().unwrap(),
        )
    };
    assert_eq!(
        items.iter().map(cell).collect::<Vec<_>>(),
        [
            ("ON".into(), "hardware".into(), 2, 1, 1),
            ("QC".into(), "cybersecurity".into(), 1, 0, 1),
        ],
        "{gaps}"
    );
    assert_eq!(items[0]["demand_per_offer"], 2.0);
    // Twelve months, oldest first: one new need three months back, one this month.
    let trend = items[0]["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 12);
    assert_eq!(trend[11]["month"], Utc::now().format("%Y-%m").to_string());
    assert_eq!(trend[11]["needs"], 1, "{gaps}");
    assert_eq!(
        trend
            .iter()
            .map(|m| m["needs"].as_i64().unwrap())
            .sum::<i64>(),
        2
    );

    // Filters: the size and the cause area of the organizations in need.
    let small = expect_json(
        app.get("/api/v1/insights/gaps?size=small", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(small["items"].as_array().unwrap().len(), 1, "{small}");
    assert_eq!(small["items"][0]["province"], "ON");
    let none = expect_json(
        app.get("/api/v1/insights/gaps?cause_area=environment", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none["items"], json!([]), "{none}");

    // The same as CSV, for a spreadsheet.
    let response = app.get("/api/v1/insights/gaps?format=csv", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().take(6).collect::<Vec<_>>(),
        [
            "province",
            "category",
            "open_needs",
            "unmet_60_days",
            "offers",
            "demand_per_offer"
        ]
    );
    assert_eq!(headers.len(), 18);
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(
        first.iter().take(6).collect::<Vec<_>>(),
        ["ON", "hardware", "2", "1", "1", "2.00"]
    );

    for bad in ["format=xml", "cause_area=nonsense", "size=huge"] {
        expect_problem(
            app.get(&format!("/api/v1/insights/gaps?{bad}"), None).await,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        )
        .await;
    }
}

#[tokio::test]
async fn the_gap_map_is_served_from_a_snapshot_refreshed_in_the_background() {
    let app = TestApp::spawn_with(|c| c.insights_cache_secs = 1).await;
    let nonprofit = app
        .register_org("Sudbury Youth Club", "nonprofit", "ON")
        .await;
    let open = || merge(need_body(), json!({ "province": "ON", "status": "open" }));
    app.create_posting(&nonprofit, "needs", open()).await;
    let open_needs = |gaps: Value| gaps["items"][0]["open_needs"].as_i64().unwrap();
    let read = || async {
        expect_json(app.get("/api/v1/insights/gaps", None).await, StatusCode::OK).await
    };
    assert_eq!(open_needs(read().await), 1);
    app.create_posting(&nonprofit, "needs", open()).await;
    // Within the second, the snapshot answers; once stale, it still answers while a new one is
    // computed, which the next reads get.
    assert_eq!(open_needs(read().await), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let mut seen = open_needs(read().await);
    for _ in 0..50 {
        if seen == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        seen = open_needs(read().await);
    }
    assert_eq!(seen, 2, "the refreshed snapshot counts the new need");
}

#[tokio::test]
async fn a_restarted_server_serves_the_last_snapshot_kept_in_the_database() {
    let app = TestApp::spawn().await;
    let nonprofit = app
        .register_org("Kenora Literacy Circle", "nonprofit", "ON")
        .await;
    let open = || merge(need_body(), json!({ "province": "ON", "status": "open" }));
    app.create_posting(&nonprofit, "needs", open()).await;
    let read = |app: &TestApp| {
        let url = app.url("/api/v1/insights/gaps");
        let client = app.client.clone();
        async move {
            client
                .get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let first = read(&app).await;
    assert_eq!(first["items"][0]["open_needs"], 1);
    assert_eq!(app.count("insight_snapshot").await, 1);
    // A need posted, then a restart: the new process answers at once with the snapshot the
    // database keeps (still fresh), as another process sharing the database would.
    app.create_posting(&nonprofit, "needs", open()).await;
    let app = app.restart().await;
    assert_eq!(read(&app).await, first);
}

#[tokio::test]
async fn the_sector_in_numbers_counts_completed_partnerships_answers_and_needs_met() {
    let app = TestApp::spawn().await;
    let empty = expect_json(
        app.get("/api/v1/insights/sector", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(empty["completed_12_months"], 0);
    assert_eq!(empty["median_days_to_answer"], Value::Null);
    assert_eq!(empty["share_of_needs_met"], Value::Null);
    assert_eq!(empty["quarters"].as_array().unwrap().len(), 8);
    assert_eq!(empty["quarters"][0]["hours"], 0.0);

    // A fresh server: the first read above made a snapshot.
    let app = TestApp::spawn().await;
    let crate::partnerships::Pair {
        nonprofit,
        company,
        need,
        offer,
    } = crate::partnerships::pair(&app, 1, 1).await;
    let sent = crate::partnerships::proposed(&app, &nonprofit, &need, &offer).await;
    expect_json(
        crate::partnerships::step(&app, &company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    let done = crate::partnerships::step(
        &app,
        &nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": crate::partnerships::outcome() })),
    )
    .await;
    expect_json(done, StatusCode::OK).await;
    // A second need, still open: one need of two is met.
    app.create_posting(&nonprofit, "needs", need_body()).await;
    let sector = expect_json(
        app.get("/api/v1/insights/sector", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sector["completed_12_months"], 1, "{sector:#}");
    assert_eq!(sector["hours_12_months"], 12.5);
    assert_eq!(sector["value_cad_12_months"], 4800.0);
    assert_eq!(sector["quarters"][7]["completed"], 1);
    assert_eq!(sector["needs_12_months"], 2);
    assert_eq!(sector["share_of_needs_met"], 0.5);
    // Answered within the test: a fraction of a day.
    let days = sector["median_days_to_answer"].as_f64().unwrap();
    assert!((0.0..0.01).contains(&days), "{days}");
    let cell = &sector["cells"][0];
    assert_eq!(
        (cell["province"].clone(), cell["category"].clone()),
        (json!("QC"), need["category"].clone())
    );
    assert_eq!(cell["completed"], 1);
}
