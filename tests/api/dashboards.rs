//! An organization's dashboard: what it received and gave, partnerships over time, the
//! indicators its outcome reports measured, its check-ups then and now; members only.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::partnerships::{outcome, pair, proposed, step};

#[tokio::test]
async fn the_dashboard_shows_what_partnerships_changed_and_the_checkups_then_and_now() {
    let app = TestApp::spawn().await;
    let pair = pair(&app, 1, 1).await;
    let sent = proposed(&app, &pair.nonprofit, &pair.need, &pair.offer).await;
    expect_json(
        step(&app, &pair.company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    let done = step(
        &app,
        &pair.nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": outcome() })),
    )
    .await;
    expect_json(done, StatusCode::OK).await;
    let bank = expect_json(app.get("/api/v1/checkup", None).await, StatusCode::OK).await;
    let checkups = format!("/api/v1/organizations/{}/checkups", pair.nonprofit.org_id);
    let mut ids = Vec::new();
    for level in [2, 4] {
        let answers: serde_json::Map<String, serde_json::Value> = bank["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| (q["code"].as_str().unwrap().to_owned(), json!(level)))
            .collect();
        let taken = app
            .post(
                &checkups,
                Some(&pair.nonprofit.token),
                &json!({ "answers": answers }),
            )
            .await;
        ids.push(expect_json(taken, StatusCode::CREATED).await["id"].clone());
    }

    let path = |org: i64| format!("/api/v1/organizations/{org}/dashboard");
    let mine = expect_json(
        app.get(&path(pair.nonprofit.org_id), Some(&pair.nonprofit.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["received"]["completed"], 1);
    assert_eq!(mine["received"]["hours"], 12.5);
    assert_eq!(mine["received"]["value_cad"], 4800.0);
    assert_eq!(mine["given"]["completed"], 0);
    let quarters = mine["quarters"].as_array().unwrap();
    assert_eq!(quarters.len(), 8);
    assert_eq!(quarters[7]["completed"], 1, "{mine:#}");
    assert_eq!(quarters[7]["started"], 1, "{mine:#}");
    let indicators = mine["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 2);
    assert_eq!(indicators[0]["name"], "Staff who spot a phishing email");
    assert_eq!(
        (
            indicators[0]["before"].clone(),
            indicators[0]["after"].clone()
        ),
        (json!(2.0), json!(8.0))
    );
    assert_eq!(indicators[0]["partner"], "Tech Company");
    assert_eq!(mine["first_checkup"]["id"], ids[0]);
    assert_eq!(mine["latest_checkup"]["id"], ids[1]);
    assert_eq!(mine["latest_checkup"]["profile"][0]["change"], 50);

    // The company sees the same partnership as given, and no check-up.
    let theirs = expect_json(
        app.get(&path(pair.company.org_id), Some(&pair.company.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["given"]["completed"], 1);
    assert_eq!(theirs["given"]["value_cad"], 4800.0);
    assert_eq!(theirs["latest_checkup"], serde_json::Value::Null);
    // Neither reads the other's dashboard.
    expect_problem(
        app.get(&path(pair.nonprofit.org_id), Some(&pair.company.token))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
