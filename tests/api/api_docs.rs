//! The OpenAPI document and the human-readable API page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// Every endpoint of the API, as `METHOD path`.
const ENDPOINTS: &[&str] = &[
    "GET /insights/gaps",
    "GET /insights/sector",
    "GET /checkup",
    "GET /open/360giving",
    "GET /organizations/{id}/dashboard",
    "GET /open/needs",
    "GET /open/offers",
    "GET /organizations/{id}/checkups",
    "POST /organizations/{id}/checkups",
    "GET /organizations/{id}/checkups/{checkup_id}",
    "POST /organizations/{id}/checkups/{checkup_id}/needs",
    "GET /indicators",
    "GET /programs/{id}/dashboard",
    "GET /partnerships/{id}/follow-ups",
    "PUT /partnerships/{id}/follow-ups/{due}",
    "GET /programs",
    "POST /programs",
    "GET /programs/{id}",
    "PATCH /programs/{id}",
    "POST /programs/{id}/applications",
    "GET /programs/{id}/applications",
    "GET /programs/{id}/candidates",
    "POST /programs/{id}/invitations",
    "POST /applications/{id}/withdrawal",
    "POST /programs/{id}/allocations",
    "GET /programs/{id}/allocations",
    "GET /allocations/{id}",
    "POST /allocations/{id}/confirmation",
    "POST /auth/register",
    "POST /auth/login",
    "POST /auth/logout",
    "GET /me",
    "POST /me/password",
    "GET /tokens",
    "POST /tokens",
    "DELETE /tokens/{id}",
    "GET /organizations",
    "GET /organizations/{id}",
    "PATCH /organizations/{id}",
    "POST /organizations/{id}/verification",
    "GET /organizations/{id}/members",
    "POST /organizations/{id}/members",
    "DELETE /organizations/{id}/members/{user_id}",
    "GET /needs",
    "POST /needs",
    "GET /needs/{id}",
    "PATCH /needs/{id}",
    "DELETE /needs/{id}",
    "GET /offers",
    "POST /offers",
    "GET /offers/{id}",
    "PATCH /offers/{id}",
    "DELETE /offers/{id}",
    "GET /partnerships",
    "POST /partnerships",
    "GET /partnerships/{id}",
    "POST /partnerships/{id}/accept",
    "POST /partnerships/{id}/decline",
    "POST /partnerships/{id}/withdraw",
    "POST /partnerships/{id}/start",
    "POST /partnerships/{id}/complete",
    "POST /partnerships/{id}/cancel",
    "GET /taxonomy",
    "GET /search",
    "GET /search/suggest",
    "GET /needs/{id}/matches",
    "GET /offers/{id}/matches",
    "POST /suggest-tags",
    "PATCH /me",
    "GET /saved-searches",
    "POST /saved-searches",
    "DELETE /saved-searches/{id}",
    "DELETE /me",
    "GET /me/export",
    "PATCH /organizations/{id}/members/{user_id}",
    "POST /auth/password-reset",
    "POST /auth/password-reset/confirm",
    "POST /auth/confirm-email",
    "POST /organizations/{id}/invitations",
    "POST /invitations/accept",
    "GET /partnerships/{id}/messages",
    "POST /partnerships/{id}/messages",
    "GET /notifications",
    "POST /notifications/read",
    "GET /me/notification-preferences",
    "PATCH /me/notification-preferences",
    "GET /reports",
    "POST /reports",
    "POST /reports/{id}/resolution",
    "POST /postings/{id}/moderation",
    "POST /offers/{id}/interest",
    "POST /needs/{id}/interest",
    "POST /partnerships/{id}/publicity",
];

#[tokio::test]
async fn openapi_lists_every_endpoint_with_the_problem_body() {
    let app = TestApp::spawn().await;
    let doc = expect_json(app.get("/api/v1/openapi.json", None).await, StatusCode::OK).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let mut listed = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            listed.push(format!("{} {path}", method.to_uppercase()));
            let default = &operation["responses"]["default"]["content"]["application/problem+json"];
            assert_eq!(
                default["schema"]["$ref"], "#/components/schemas/Problem",
                "{method} {path}"
            );
        }
    }
    let mut expected: Vec<String> = ENDPOINTS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);
    // Enum values in the document are the ones on the wire.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["PostingKind"]["enum"],
        serde_json::json!(["need", "offer"])
    );
    assert!(
        schemas["OrgKind"]["enum"]
            .as_array()
            .unwrap()
            .contains(&"public_agency".into())
    );
    assert!(
        schemas["ErrorCode"]["enum"]
            .as_array()
            .unwrap()
            .contains(&"validation_failed".into())
    );
    let problem = &doc["components"]["schemas"]["Problem"]["properties"];
    for field in ["type", "title", "status", "detail", "code", "errors"] {
        assert!(problem.get(field).is_some(), "Problem.{field}");
    }
}

#[tokio::test]
async fn the_api_page_is_served_without_external_assets() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/docs", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    for endpoint in ENDPOINTS {
        let path = format!("/api/v1{}", endpoint.split_once(' ').unwrap().1);
        assert!(html.contains(&path), "{path} not documented");
    }
    assert!(html.contains("version_conflict"), "error codes are listed");
    assert!(
        !html.contains("https://") && !html.contains("http://"),
        "no external assets"
    );
    let css = app.get("/api/docs.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_taxonomy_is_bilingual() {
    let app = TestApp::spawn().await;
    let taxonomy: Value =
        expect_json(app.get("/api/v1/taxonomy", None).await, StatusCode::OK).await;
    let categories = taxonomy["categories"].as_array().unwrap();
    let skills = taxonomy["skills"].as_array().unwrap();
    assert!(categories.len() + skills.len() >= 40);
    let cyber = categories
        .iter()
        .find(|c| c["code"] == "cybersecurity")
        .unwrap();
    assert_eq!(cyber["label_fr"], "Cybersécurité");
    assert!(!cyber["synonyms_fr"].as_array().unwrap().is_empty());
    assert!(skills.iter().all(|s| s["parent"].is_string()));
    assert_eq!(
        app.count("taxonomy").await as usize,
        categories.len() + skills.len() + taxonomy["cause_areas"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn the_document_says_what_the_server_enforces() {
    let app = TestApp::spawn().await;
    let doc = expect_json(app.get("/api/v1/openapi.json", None).await, StatusCode::OK).await;
    let schemas = &doc["components"]["schemas"];

    // Ids in paths start at 1; the other path parameters are named values.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "path" && parameter["name"] != "due" {
                    assert_eq!(parameter["schema"]["minimum"], 1, "{method} {path}");
                }
            }
        }
    }
    // A step's note or reason may be left out, but is not `null`; a reason's code is one of the
    // common reasons.
    for (verb, schema) in [("accept", "NoteInput"), ("decline", "ReasonInput")] {
        let step = &doc["paths"][format!("/partnerships/{{id}}/{verb}")]["post"]["requestBody"];
        assert_eq!(
            step["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}")
        );
        assert_ne!(step["required"], true);
    }
    let codes = doc["components"]["schemas"]["ReasonCode"]["enum"].clone();
    assert_eq!(
        codes,
        json!([
            "not_a_fit",
            "no_capacity",
            "found_another_partner",
            "needs_changed",
            "no_response",
            "other"
        ])
    );
    // Search's kinds (any of several) and sort are the values it reads.
    let parameters = doc["paths"]["/search"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let parameter = |name: &str| &parameters.iter().find(|p| p["name"] == name).unwrap()["schema"];
    assert_eq!(
        parameter("kind")["pattern"],
        "^(?:need|offer|organization)(?:,(?:need|offer|organization))*$",
        "{parameters:?}"
    );
    assert_eq!(
        parameter("sort")["enum"],
        serde_json::json!(["relevance", "recent"])
    );
    // What an edit may leave out but not clear is not nullable; what it may clear is.
    let patch = &schemas["PostingPatch"]["properties"];
    assert_eq!(patch["quantity"]["type"], "integer");
    assert_eq!(patch["title"]["$ref"], "#/components/schemas/PostingTitle");
    assert_eq!(
        patch["hours"]["type"],
        serde_json::json!(["integer", "null"])
    );
    // A need's body has no eligibility rules.
    let need = &doc["paths"]["/needs"]["post"]["requestBody"]["content"]["application/json"];
    assert_eq!(need["schema"]["$ref"], "#/components/schemas/NeedInput");

    // A title's length and characters: the document's pattern and the server agree.
    let title = &schemas["PostingTitle"];
    assert_eq!(title["minLength"], 5);
    let pattern = fancy_regex::Regex::new(title["pattern"].as_str().unwrap()).unwrap();
    let nonprofit = app.nonprofit().await;
    for (text, valid) in [
        ("Laptops", true),
        ("  Laptops  ", true),
        ("  Lap  ", false),
        ("Lap\u{202E}tops", false),
        ("Lap\ntops", false),
        ("\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}", false),
        (&"x".repeat(200), true),
        (&"x".repeat(201), false),
    ] {
        assert_eq!(pattern.is_match(text).unwrap(), valid, "{text:?}");
        let body = merge(need_body(), serde_json::json!({ "title": text }));
        let response = app
            .post("/api/v1/needs", Some(&nonprofit.token), &body)
            .await;
        let status = if valid {
            StatusCode::CREATED
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(response.status(), status, "{text:?}");
    }
}
