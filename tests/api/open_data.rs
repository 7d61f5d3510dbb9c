//! Open data: completed partnerships both organizations agreed to list, as a 360Giving package
//! that validates against the standard's schema (from `../shared/data/standards/360giving/`),
//! and open needs and offers as JSON and CSV with their taxonomy codes.

use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::partnerships::{Pair, outcome, pair, proposed, step};

const STANDARD: &str = "../shared/data/standards/360giving";

/// The 360Giving package schema with the grant schema it refers to, or `None` (saying so) when
/// the shared data is absent.
fn package_validator() -> Option<jsonschema::Validator> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(STANDARD);
    let read = |name: &str| -> Option<Value> {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        Some(serde_json::from_str(&text).unwrap())
    };
    let (Some(package), Some(grant)) = (
        read("360-giving-package-schema.json"),
        read("360-giving-schema.json"),
    ) else {
        eprintln!(
            "360Giving validation skipped: {STANDARD} is absent (see ../shared/data/README.md)"
        );
        return None;
    };
    // The package's `items` names the grant schema by its address; it is read from the file.
    let reference = package["properties"]["grants"]["items"]["$ref"]
        .as_str()
        .unwrap()
        .to_owned();
    let registry = jsonschema::Registry::new()
        .add(reference, grant)
        .unwrap()
        .prepare()
        .unwrap();
    Some(
        jsonschema::options()
            .with_registry(&registry)
            .should_validate_formats(true)
            .build(&package)
            .unwrap(),
    )
}

/// A partnership completed with an outcome; `both` says whether the company agreed to list it too.
async fn completed(app: &TestApp, both: bool) -> (Pair, Value) {
    let pair = pair(app, 1, 1).await;
    let sent = proposed(app, &pair.nonprofit, &pair.need, &pair.offer).await;
    expect_json(
        step(app, &pair.company, &sent, "accept", None).await,
        StatusCode::OK,
    )
    .await;
    let done = step(
        app,
        &pair.nonprofit,
        &sent,
        "complete",
        Some(json!({ "outcome": outcome(), "public": true })),
    )
    .await;
    expect_json(done, StatusCode::OK).await;
    if both {
        let publicity = format!("/api/v1/partnerships/{}/publicity", sent["id"]);
        let agreed = app
            .post(
                &publicity,
                Some(&pair.company.token),
                &json!({ "public": true }),
            )
            .await;
        expect_json(agreed, StatusCode::OK).await;
    }
    (pair, sent)
}

#[tokio::test]
async fn completed_partnerships_are_published_as_a_valid_360giving_package() {
    let app = TestApp::spawn().await;
    let (listed, partnership) = completed(&app, true).await;
    app.edit_profile(
        &listed.nonprofit,
        json!({ "charity_number": "119219814RR0001" }),
    )
    .await;
    // One side only agreed: not published.
    completed(&app, false).await;

    let response = app.get("/api/v1/open/360giving", None).await;
    let package = expect_json(response, StatusCode::OK).await;
    let grants = package["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1, "{package}");
    let grant = &grants[0];
    assert_eq!(
        grant["id"],
        format!("360G-passerelle-{}", partnership["id"])
    );
    assert_eq!(grant["currency"], "CAD");
    assert_eq!(grant["amountAwarded"], 4800.0);
    assert_eq!(
        grant["recipientOrganization"][0]["id"],
        "CA-CRA_ACR-119219814RR0001"
    );
    assert_eq!(grant["recipientOrganization"][0]["name"], "Food Bank");
    assert_eq!(
        grant["fundingOrganization"][0]["id"],
        format!("360G-passerelle-org-{}", listed.company.org_id)
    );
    assert_eq!(
        grant["classifications"][0]["vocabulary"],
        "passerelle-taxonomy"
    );
    assert_eq!(grant["classifications"][0]["code"], listed.need["category"]);
    assert_eq!(grant["fundingType"][0]["code"], "in_kind");
    assert!(grant["description"].as_str().unwrap().contains("phishing"));

    if let Some(validator) = package_validator() {
        let errors: Vec<String> = validator
            .iter_errors(&package)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // The check can fail: a grant without its recipient does not validate.
        let mut broken = package.clone();
        broken["grants"][0]["recipientOrganization"][0]
            .as_object_mut()
            .unwrap()
            .remove("id");
        assert!(!validator.is_valid(&broken));
    }

    // A posting an administrator hides takes its partnership out of the feed.
    let admin = app.admin().await;
    let hidden = app
        .post(
            &format!("/api/v1/postings/{}/moderation", listed.offer["id"]),
            Some(&admin),
            &json!({ "hidden": true, "reason_code": "misleading", "reason": "Not what it says." }),
        )
        .await;
    expect_json(hidden, StatusCode::OK).await;
    let package = expect_json(
        app.get("/api/v1/open/360giving", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(package["grants"], json!([]), "{package}");
}

#[tokio::test]
async fn open_needs_and_offers_are_listed_as_json_and_csv_with_taxonomy_codes() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let open = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "title": "Laptops, \"refurbished\" or new, for our staff" }),
            ),
        )
        .await;
    app.create_posting(
        &nonprofit,
        "needs",
        merge(
            need_body(),
            json!({ "status": "draft", "title": "A draft nobody sees yet" }),
        ),
    )
    .await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;

    let needs = expect_json(app.get("/api/v1/open/needs", None).await, StatusCode::OK).await;
    let items = needs["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{needs}");
    assert_eq!(items[0]["id"], open["id"]);
    assert_eq!(items[0]["category"], open["category"]);
    assert_eq!(items[0]["skills"], open["skills"]);
    assert_eq!(items[0]["organization_name"], "Food Bank");
    let offers = expect_json(app.get("/api/v1/open/offers", None).await, StatusCode::OK).await;
    assert_eq!(offers["items"][0]["id"], offer["id"]);

    let response = app.get("/api/v1/open/needs?format=csv", None).await;
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
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{text}");
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][column("id")], open["id"].to_string());
    assert_eq!(
        &rows[0][column("category")],
        open["category"].as_str().unwrap()
    );
    // A title with a comma or quotes stays one field.
    assert_eq!(&rows[0][column("title")], open["title"].as_str().unwrap());

    expect_problem(
        app.get("/api/v1/open/needs?format=xml", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    )
    .await;
}
