//! The digital check-up through the API: the question bank, a check-up's profile and suggested
//! needs, publishing two of them in one step, the history with the change per dimension, and
//! who may see it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// One answer per question of the bank, at `level`, with some overridden.
fn answers(bank: &Value, level: u8, overrides: &[(&str, u8)]) -> Value {
    let mut answers = serde_json::Map::new();
    for question in bank["questions"].as_array().unwrap() {
        let code = question["code"].as_str().unwrap();
        let value = overrides
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(level, |(_, l)| *l);
        answers.insert(code.to_owned(), json!(value));
    }
    json!({ "answers": answers })
}

fn score(checkup: &Value, dimension: &str) -> (i64, Value) {
    let entry = checkup["profile"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dimension"] == dimension)
        .unwrap_or_else(|| panic!("no {dimension} in {checkup}"));
    (entry["score"].as_i64().unwrap(), entry["change"].clone())
}

#[tokio::test]
async fn a_checkup_profiles_the_organization_and_publishes_suggested_needs() {
    let app = TestApp::spawn().await;
    let bank = expect_json(app.get("/api/v1/checkup", None).await, StatusCode::OK).await;
    assert_eq!(bank["licence"], "CC BY 4.0");
    let questions = bank["questions"].as_array().unwrap();
    assert!(questions.len() >= 18, "{} questions", questions.len());
    let mfa = questions.iter().find(|q| q["code"] == "mfa").unwrap();
    assert_eq!(mfa["dimension"], "security");
    assert!(mfa["text_fr"].as_str().unwrap().contains("multifacteur"));
    assert_eq!(mfa["levels"].as_array().unwrap().len(), 5);
    assert_eq!(mfa["levels"][0]["level"], 1);

    let nonprofit = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}/checkups", nonprofit.org_id);
    // No multi-factor authentication and no backups; everything else fairly good.
    let first = app
        .post(
            &path,
            Some(&nonprofit.token),
            &answers(&bank, 4, &[("mfa", 1), ("backups", 2)]),
        )
        .await;
    let first = expect_json(first, StatusCode::CREATED).await;
    let (security, change) = score(&first, "security");
    // Levels 1, 2 and 4 are 0, 1 and 3 steps above the first of 4: 4 of 12.
    assert_eq!(security, 33);
    assert_eq!(change, Value::Null);
    assert_eq!(score(&first, "tools").0, 75);
    let suggested: Vec<&str> = first["suggested_needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        suggested,
        ["mfa_rollout", "security_training", "backup_plan"]
    );
    let rollout = &first["suggested_needs"][0];
    assert_eq!(rollout["category"], "cybersecurity");
    assert_eq!(rollout["skills"], json!(["multi_factor_authentication"]));
    assert_eq!(rollout["because_of"], json!(["mfa"]));

    // Publish two of them, in French.
    let checkup_path = format!("{path}/{}", first["id"]);
    let published = app
        .post(
            &format!("{checkup_path}/needs"),
            Some(&nonprofit.token),
            &json!({ "suggestions": ["mfa_rollout", "backup_plan"], "language": "fr" }),
        )
        .await;
    let published = expect_json(published, StatusCode::CREATED).await;
    let needs = published["items"].as_array().unwrap();
    assert_eq!(needs.len(), 2);
    assert_eq!(needs[0]["status"], "open");
    assert_eq!(needs[0]["language"], "fr");
    assert_eq!(needs[0]["category"], "cybersecurity");
    assert!(needs[0]["title"].as_str().unwrap().contains("multifacteur"));
    let need = expect_json(
        app.get(&format!("/api/v1/needs/{}", needs[1]["id"]), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(need["organization_id"], nonprofit.org_id);
    // The check-up remembers them, and refuses to publish one twice (all or nothing).
    let again = app
        .post(
            &format!("{checkup_path}/needs"),
            Some(&nonprofit.token),
            &json!({ "suggestions": ["security_training", "mfa_rollout", "staff_laptops"] }),
        )
        .await;
    let problem =
        expect_problem(again, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["suggestions[1]", "suggestions[2]"]);
    assert_eq!(
        problem["errors"]["suggestions[1]"][0]["code"],
        "already_published"
    );
    assert_eq!(
        problem["errors"]["suggestions[2]"][0]["code"],
        "not_suggested"
    );
    let before = app.count("posting").await;
    let read = expect_json(
        app.get(&checkup_path, Some(&nonprofit.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        read["suggested_needs"][0]["published_need_id"],
        needs[0]["id"]
    );
    assert_eq!(read["suggested_needs"][1]["published_need_id"], Value::Null);
    assert_eq!(app.count("posting").await, before);

    // A later check-up, after the MFA rollout: the change per dimension.
    let second = app
        .post(
            &path,
            Some(&nonprofit.token),
            &answers(&bank, 4, &[("mfa", 4), ("backups", 2)]),
        )
        .await;
    let second = expect_json(second, StatusCode::CREATED).await;
    assert_eq!(score(&second, "security"), (58, json!(25)));
    assert_eq!(score(&second, "tools"), (75, json!(0)));
    assert_eq!(second["previous_id"], first["id"]);
    // Backups are still weak; their need, published from the first check-up, is not offered again.
    assert_eq!(second["suggested_needs"].as_array().unwrap().len(), 1);
    assert_eq!(second["suggested_needs"][0]["code"], "backup_plan");
    assert_eq!(
        second["suggested_needs"][0]["published_need_id"],
        needs[1]["id"]
    );
    let second_path = format!("{path}/{}/needs", second["id"]);
    let refused = app
        .post(
            &second_path,
            Some(&nonprofit.token),
            &json!({ "suggestions": ["backup_plan"] }),
        )
        .await;
    let problem = expect_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem["errors"]["suggestions[0]"][0]["code"],
        "already_published"
    );
    // Once that need is closed (the backups are still weak), the latest check-up offers it again.
    let need_path = format!("/api/v1/needs/{}", needs[1]["id"]);
    let backup_need = expect_json(app.get(&need_path, None).await, StatusCode::OK).await;
    expect_json(
        app.patch(
            &need_path,
            Some(&nonprofit.token),
            &json!({ "version": backup_need["version"], "status": "closed" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let republished = expect_json(
        app.post(
            &second_path,
            Some(&nonprofit.token),
            &json!({ "suggestions": ["backup_plan"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(republished["items"][0]["id"], needs[1]["id"]);
    let history = expect_json(app.get(&path, Some(&nonprofit.token)).await, StatusCode::OK).await;
    assert_eq!(
        history["items"][0]["suggested_needs"][0]["published_need_id"],
        republished["items"][0]["id"]
    );
    let ids: Vec<&Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&second["id"], &first["id"]]);
}

#[tokio::test]
async fn checkup_answers_are_refused_by_field_and_kept_private() {
    let app = TestApp::spawn().await;
    let bank = expect_json(app.get("/api/v1/checkup", None).await, StatusCode::OK).await;
    let nonprofit = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}/checkups", nonprofit.org_id);
    let mut body = answers(&bank, 3, &[("backups", 6)]);
    body["answers"].as_object_mut().unwrap().remove("mfa");
    body["answers"]["privacy"] = json!("three");
    body["answers"]["colour"] = json!(2);
    let refused = app.post(&path, Some(&nonprofit.token), &body).await;
    let problem = expect_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        [
            "answers.backups",
            "answers.colour",
            "answers.mfa",
            "answers.privacy"
        ]
    );
    assert_eq!(problem["errors"]["answers.mfa"][0]["code"], "required");
    assert_eq!(
        problem["errors"]["answers.backups"][0]["code"],
        "out_of_range"
    );
    assert_eq!(app.count("checkup").await, 0);

    let taken = app
        .post(&path, Some(&nonprofit.token), &answers(&bank, 2, &[]))
        .await;
    let taken = expect_json(taken, StatusCode::CREATED).await;
    // Another organization neither reads nor takes it, nor publishes from it.
    let company = app.company().await;
    expect_problem(
        app.get(&path, Some(&company.token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post(&path, Some(&company.token), &answers(&bank, 2, &[]))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post(
            &format!("{path}/{}/needs", taken["id"]),
            Some(&company.token),
            &json!({ "suggestions": ["staff_laptops"] }),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Its own check-up under the wrong organization is not found.
    let company_path = format!("/api/v1/organizations/{}/checkups", company.org_id);
    expect_problem(
        app.get(
            &format!("{company_path}/{}", taken["id"]),
            Some(&company.token),
        )
        .await,
        StatusCode::NOT_FOUND,
        "checkup_not_found",
    )
    .await;
    expect_problem(
        app.get(&path, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}
