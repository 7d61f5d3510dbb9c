//! Outcomes followed over time: indicators from the list with a baseline, a target and the value
//! at completion, the follow-ups at 3 and 12 months with their reminders, and the roll-up.

use entity::follow_up;
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::partnerships::{pair, proposed, step};

/// Moves a follow-up's date to a day ago, as if the months had passed.
async fn fall_due(app: &TestApp, partnership_id: i64, due: &str) {
    follow_up::Entity::update_many()
        .col_expr(
            follow_up::Column::DueAt,
            Expr::val(chrono::Utc::now() - chrono::Duration::days(1)),
        )
        .filter(follow_up::Column::PartnershipId.eq(partnership_id))
        .filter(follow_up::Column::Due.eq(due))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn report(app: &TestApp, token: &str, id: i64, due: &str, body: Value) -> reqwest::Response {
    app.request(
        Method::PUT,
        &format!("/api/v1/partnerships/{id}/follow-ups/{due}"),
        Some(token),
    )
    .json(&body)
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn the_indicator_list_is_public_and_bilingual_with_iris_codes() {
    let app = TestApp::spawn().await;
    let list = expect_json(app.get("/api/v1/indicators", None).await, StatusCode::OK).await;
    assert_eq!(list["licence"], "CC BY 4.0");
    let trained = list["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "staff_trained")
        .unwrap();
    assert_eq!(trained["iris"], "PI2998");
    assert_eq!(trained["unit"], "people");
    assert_eq!(
        trained["name_fr"],
        "Membres du personnel et bénévoles formés"
    );
}

#[tokio::test]
async fn an_outcome_is_followed_at_three_months_with_a_reminder_and_rolled_up() {
    let app = TestApp::spawn().await;
    let p = pair(&app, 1, 1).await;
    let partnership = proposed(&app, &p.nonprofit, &p.need, &p.offer).await;
    let id = partnership["id"].as_i64().unwrap();
    expect_json(
        step(&app, &p.company, &partnership, "accept", None).await,
        StatusCode::OK,
    )
    .await;

    let complete = |indicators: Value| {
        let body = json!({ "outcome": {
            "hours": 10, "value_cad": 900, "delivered": "MFA for every account.",
            "indicators": indicators
        } });
        step(&app, &p.nonprofit, &partnership, "complete", Some(body))
    };
    // A list indicator is named and measured by the list; a refused report changes nothing.
    let refused = expect_problem(
        complete(json!([
            { "code": "accounts_mfa", "name": "MFA", "before": 10, "after": 180 },
            { "code": "no_such_measure", "before": 1, "after": 2 },
            { "unit": "meals", "before": 100, "after": 140 }
        ]))
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&refused),
        [
            "outcome.indicators[0].after",
            "outcome.indicators[0].name",
            "outcome.indicators[1].code",
            "outcome.indicators[2].name"
        ],
        "{refused}"
    );
    assert_eq!(
        refused["errors"]["outcome.indicators[1].code"][0]["code"],
        "unknown_indicator"
    );
    assert_eq!(app.count("follow_up").await, 0);

    let completed = expect_json(
        complete(json!([
            { "code": "accounts_mfa", "before": 10, "target": 90, "after": 80 },
            { "name": "Meals delivered", "unit": "meals", "before": 100, "after": 140 }
        ]))
        .await,
        StatusCode::OK,
    )
    .await;
    let mfa = &completed["outcome"]["indicators"][0];
    assert_eq!(
        (&mfa["name"], &mfa["unit"], &mfa["target"]),
        (
            &json!("Accounts protected by multi-factor authentication"),
            &json!("percent"),
            &json!(90.0)
        )
    );

    // Two follow-ups, three and twelve months after completion; not open yet.
    let path = format!("/api/v1/partnerships/{id}/follow-ups");
    let planned = expect_json(app.get(&path, Some(&p.company.token)).await, StatusCode::OK).await;
    let dues: Vec<&str> = planned["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["due"].as_str().unwrap())
        .collect();
    assert_eq!(dues, ["three_months", "twelve_months"]);
    let due_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(planned["items"][0]["due_at"].clone()).unwrap();
    let in_days = (due_at - chrono::Utc::now()).num_days();
    assert!((88..=92).contains(&in_days), "{planned}");
    assert_eq!(planned["items"][0]["open"], false);
    let body = json!({ "values": { "accounts_mfa": 95, "Meals delivered": 150 },
                       "note": "Two more staff turned MFA on." });
    expect_problem(
        report(&app, &p.nonprofit.token, id, "three_months", body.clone()).await,
        StatusCode::CONFLICT,
        "follow_up_not_open",
    )
    .await;

    // Three months on: the nonprofit is reminded once, and only the nonprofit.
    fall_due(&app, id, "three_months").await;
    let remind = || passerelle::domain::outcomes::remind_due(&app.db);
    assert_eq!(remind().await.unwrap(), 1);
    assert_eq!(remind().await.unwrap(), 0);
    let told = app.notices(&p.nonprofit.token).await;
    assert_eq!(told[0].0, "follow_up_due", "{told:?}");
    assert!(
        told[0].1.starts_with("The 3-month follow-up is due"),
        "{told:?}"
    );
    assert!(
        !app.notices(&p.company.token)
            .await
            .iter()
            .any(|(kind, _)| kind == "follow_up_due")
    );

    // The company does not report; bad values are refused by key; then the report lands.
    expect_problem(
        report(&app, &p.company.token, id, "three_months", body.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let bad = expect_problem(
        report(
            &app,
            &p.nonprofit.token,
            id,
            "three_months",
            json!({ "values": { "accounts_mfa": 120, "Staff trained": 3 } }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&bad),
        ["values.Staff trained", "values.accounts_mfa"]
    );
    expect_problem(
        report(&app, &p.nonprofit.token, id, "six_months", body.clone()).await,
        StatusCode::NOT_FOUND,
        "follow_up_not_found",
    )
    .await;
    let reported = expect_json(
        report(&app, &p.nonprofit.token, id, "three_months", body).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        reported["values"],
        json!([{ "key": "accounts_mfa", "value": 95.0 },
               { "key": "Meals delivered", "value": 150.0 }])
    );
    let told = app.notices(&p.company.token).await;
    assert_eq!(told[0].0, "follow_up_reported", "{told:?}");
    assert!(told[0].1.contains("3-month follow-up"), "{told:?}");
    assert!(
        told[0].1.contains("Two more staff turned MFA on."),
        "{told:?}"
    );

    // The nonprofit's dashboard rolls the indicator up: baseline, target, completion, follow-up.
    let dashboard = expect_json(
        app.get(
            &format!("/api/v1/organizations/{}/dashboard", p.nonprofit.org_id),
            Some(&p.nonprofit.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let total = dashboard["received"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "accounts_mfa")
        .unwrap()
        .clone();
    assert_eq!(
        (
            &total["before"],
            &total["target"],
            &total["after"],
            &total["targets_met"]
        ),
        (&json!(10.0), &json!(90.0), &json!(80.0), &json!(0)),
        "{total}"
    );
    assert_eq!(
        total["three_months"],
        json!({ "partnerships": 1, "value": 95.0, "completion": 80.0 })
    );
    let line = dashboard["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Meals delivered")
        .unwrap();
    assert_eq!(
        (&line["unit"], &line["three_months"], &line["twelve_months"]),
        (&json!("meals"), &json!(150.0), &Value::Null)
    );
}
