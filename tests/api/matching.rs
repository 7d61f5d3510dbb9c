//! Matches for needs and offers: ranked, explained, within eligibility; and tag suggestions.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::demo::all;
use crate::helpers::*;

fn by_title<'a>(postings: &'a [Value], title: &str) -> &'a Value {
    postings
        .iter()
        .find(|p| p["title"] == title)
        .unwrap_or_else(|| panic!("no posting titled {title}"))
}

async fn matches(app: &TestApp, path: &str) -> Value {
    expect_json(app.get(path, None).await, StatusCode::OK).await
}

fn texts(candidate: &Value) -> Vec<String> {
    candidate["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_french_quebec_need_finds_english_and_french_training_that_admits_it() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    app.searchable().await;
    let needs = all(&app, "needs").await;
    let offers = all(&app, "offers").await;
    let need = by_title(&needs, "Formation en cybersécurité pour nos intervenants");
    let id = need["id"].as_i64().unwrap();

    let found = matches(
        &app,
        &format!("/api/v1/needs/{id}/matches?lang=en&limit=10"),
    )
    .await;
    let list = found["matches"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(found.get("excluded").is_none(), "only when asked");
    let training: Vec<&Value> = list
        .iter()
        .filter(|m| m["posting"]["category"] == "cybersecurity")
        .collect();
    for language in ["en", "fr"] {
        assert!(
            training
                .iter()
                .any(|m| m["posting"]["language"] == language),
            "a cybersecurity offer in {language} among {list:#?}"
        );
    }
    // The two best are the French and English training offers the scenario is about.
    let top: Vec<&str> = list[..2]
        .iter()
        .map(|m| m["posting"]["title"].as_str().unwrap())
        .collect();
    assert!(top.contains(&"Formation en cybersécurité pour le personnel des OBNL"));
    assert!(top.contains(&"Cybersecurity Awareness Program for Nonprofit Staff"));
    let mut previous = f64::MAX;
    for candidate in list {
        let score = candidate["score"].as_f64().unwrap();
        assert!(
            (0.0..=1.0).contains(&score) && score <= previous,
            "ranked by score"
        );
        previous = score;
        assert!(!texts(candidate).is_empty(), "every candidate has reasons");
        // Every listed offer admits a Quebec nonprofit without a charity number.
        let offer = by_title(&offers, candidate["posting"]["title"].as_str().unwrap());
        let rules = &offer["eligibility"];
        let kinds = rules["org_kinds"].as_array().unwrap();
        assert!(kinds.is_empty() || kinds.contains(&json!("nonprofit")));
        let provinces = rules["provinces"].as_array().unwrap();
        assert!(provinces.is_empty() || provinces.contains(&json!("QC")));
        assert_eq!(rules["requires_charity_number"], false);
    }
    assert!(texts(training[0]).contains(&"Same category: Cybersecurity".to_owned()));

    // The reasons in French, from the parameter or from the browser's language.
    let french = matches(&app, &format!("/api/v1/needs/{id}/matches?lang=fr")).await;
    assert!(
        texts(&french["matches"][0]).contains(&"Même catégorie : Cybersécurité".to_owned()),
        "{:?}",
        texts(&french["matches"][0])
    );
    let response = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/needs/{id}/matches"),
            None,
        )
        .header("accept-language", "fr-CA,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let browser = expect_json(response, StatusCode::OK).await;
    assert_eq!(texts(&browser["matches"][0]), texts(&french["matches"][0]));
}

#[tokio::test]
async fn a_charity_only_offer_never_reaches_a_community_group_and_says_why() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    app.searchable().await;
    let needs = all(&app, "needs").await;
    let offers = all(&app, "offers").await;
    let need = by_title(
        &needs,
        "Small technology grant for our tenants' association",
    );
    let need_id = need["id"].as_i64().unwrap();
    let grant = by_title(
        &offers,
        "Digital Capacity Grants for Registered Charities (up to $25,000)",
    );
    let grant_id = grant["id"].as_i64().unwrap();

    let found = matches(
        &app,
        &format!("/api/v1/needs/{need_id}/matches?explain_excluded=true&limit=50"),
    )
    .await;
    let listed = |list: &Value, id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|m| m["posting"]["id"] == id)
            .cloned()
    };
    assert!(listed(&found["matches"], grant_id).is_none());
    let excluded = listed(&found["excluded"], grant_id).expect("the grant is explained");
    assert_eq!(excluded["rule"], "charity_number");
    assert!(
        excluded["text"]
            .as_str()
            .unwrap()
            .contains("registered charities"),
        "{excluded}"
    );
    // Other tech-funding offers that admit community groups are still proposed.
    assert!(
        found["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["posting"]["category"] == "tech_funding"),
        "{found:#}"
    );

    // From the offer's side: the community group's need is never listed.
    let reverse = matches(
        &app,
        &format!("/api/v1/offers/{grant_id}/matches?limit=50&explain_excluded=true"),
    )
    .await;
    assert!(listed(&reverse["matches"], need_id).is_none());
    for candidate in reverse["matches"].as_array().unwrap() {
        // By id: a program's needs share their titles across its cohort.
        let need = needs
            .iter()
            .find(|n| n["id"] == candidate["posting"]["id"])
            .expect("a match is an open need");
        let org = expect_json(
            app.get(
                &format!("/api/v1/organizations/{}", need["organization_id"]),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert!(
            org["charity_number"].is_string(),
            "{} has no charity number",
            org["name"]
        );
    }
}

#[tokio::test]
async fn matches_respect_visibility_and_parameters() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let draft = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "status": "draft", "category": "cybersecurity", "skills": ["phishing_training"], "remote": true }),
            ),
        )
        .await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    app.searchable().await;
    let path = format!("/api/v1/needs/{}/matches", draft["id"]);

    // A draft is private: others cannot see its matches; its organization can.
    expect_problem(
        app.get(&path, None).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    let own = expect_json(app.get(&path, Some(&nonprofit.token)).await, StatusCode::OK).await;
    assert_eq!(own["matches"][0]["posting"]["id"], offer["id"]);

    for bad in [
        "limit=0",
        "limit=51",
        "limit=x",
        "lang=de",
        "explain_excluded=maybe",
        "sort=x",
    ] {
        let response = app
            .get(&format!("{path}?{bad}"), Some(&nonprofit.token))
            .await;
        expect_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
    expect_problem(
        app.get("/api/v1/offers/999999/matches", None).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    // A need's id under /offers is not an offer.
    expect_problem(
        app.get(
            &format!("/api/v1/offers/{}/matches", draft["id"]),
            Some(&nonprofit.token),
        )
        .await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
}

#[tokio::test]
async fn tags_are_suggested_from_text_in_either_language() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    app.searchable().await;
    let suggest = |body: Value| {
        let app = &app;
        async move {
            expect_json(
                app.post("/api/v1/suggest-tags", None, &body).await,
                StatusCode::OK,
            )
            .await
        }
    };
    let french = suggest(json!({
        "title": "Refonte de notre site web",
        "description": "Notre site WordPress date de 2012 et n'est pas accessible; nous voulons un site bilingue.",
        "lang": "fr"
    }))
    .await;
    assert_eq!(french["categories"][0]["code"], "website", "{french:#}");
    assert_eq!(french["categories"][0]["label"], "Sites web");
    let confidence = french["categories"][0]["confidence"].as_f64().unwrap();
    assert!(confidence > 0.5 && confidence <= 1.0, "{confidence}");
    let skills: Vec<&str> = french["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert!(skills.contains(&"wordpress"), "{skills:?}");

    let english = suggest(json!({
        "title": "Laptops for our case workers",
        "description": "Our five case workers share two old computers."
    }))
    .await;
    assert_eq!(english["categories"][0]["code"], "hardware", "{english:#}");
    assert_eq!(english["categories"][0]["label"], "Hardware and devices");

    let nothing = suggest(json!({ "title": "zzzz qqqq" })).await;
    assert!(
        nothing["categories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["confidence"].as_f64().unwrap() < 0.5),
        "no confident guess from noise: {nothing:#}"
    );

    let problem = expect_problem(
        app.post("/api/v1/suggest-tags", None, &json!({ "title": "" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["title"]);
    expect_problem(
        app.post("/api/v1/suggest-tags", None, &json!({ "description": "x" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

async fn demo_login(app: &TestApp, email: &str) -> String {
    let body = json!({ "email": email, "password": passerelle::demo::DEMO_PASSWORD });
    let login = expect_json(
        app.post("/api/v1/auth/login", None, &body).await,
        StatusCode::OK,
    )
    .await;
    login["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_proposal_carries_its_match_and_an_excluded_pair_cannot_be_proposed() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    app.searchable().await;
    let needs = all(&app, "needs").await;
    let offers = all(&app, "offers").await;

    // The French nonprofit proposes the English training offer from its matches.
    let need = by_title(&needs, "Formation en cybersécurité pour nos intervenants");
    let offer = by_title(
        &offers,
        "Cybersecurity Awareness Program for Nonprofit Staff",
    );
    let token = demo_login(&app, "direction@lesrameaux.example").await;
    let proposal =
        json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Bonjour !" });
    let response = app
        .request(reqwest::Method::POST, "/api/v1/partnerships", Some(&token))
        .header("accept-language", "fr")
        .json(&proposal)
        .send()
        .await
        .unwrap();
    let created = expect_json(response, StatusCode::CREATED).await;
    let listed = matches(
        &app,
        &format!("/api/v1/needs/{}/matches?limit=50", need["id"]),
    )
    .await;
    let matched = listed["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["posting"]["id"] == offer["id"])
        .unwrap()
        .clone();
    let score = created["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0);
    // While the proposal waits, the pair shows the score stored with it, here as on the
    // partnership.
    assert_eq!(matched["score"].as_f64().unwrap(), score, "{matched:#}");
    assert!(
        created["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "Même catégorie : Cybersécurité"),
        "{created:#}"
    );

    // The tenants' association has no charity number: the charities-only grant is refused.
    let need = by_title(
        &needs,
        "Small technology grant for our tenants' association",
    );
    let grant = by_title(
        &offers,
        "Digital Capacity Grants for Registered Charities (up to $25,000)",
    );
    let token = demo_login(&app, "tenzin@jamesontenants.example").await;
    let before = app.count("partnership").await;
    let proposal = json!({ "need_id": need["id"], "offer_id": grant["id"], "message": "Hello" });
    let problem = expect_problem(
        app.post("/api/v1/partnerships", Some(&token), &proposal)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["offer_id"]);
    let refusal = &problem["errors"]["offer_id"][0];
    assert_eq!(refusal["code"], "not_eligible", "{problem:#}");
    assert_eq!(refusal["params"]["rule"], "charity_number", "{problem:#}");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("registered charities"),
        "{problem:#}"
    );
    assert_eq!(app.count("partnership").await, before);
}

#[tokio::test]
async fn a_pair_that_declined_or_is_under_way_is_not_suggested_again() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let mut need = need_body();
    need["category"] = json!("cybersecurity");
    need["title"] = json!("Cybersecurity training for our volunteers");
    need["description"] =
        json!("Our volunteers need cybersecurity awareness training: phishing and passwords.");
    let need = app.create_posting(&nonprofit, "needs", need).await;
    let declining = app.create_posting(&company, "offers", offer_body()).await;
    let mut second = offer_body();
    second["title"] = json!("Phishing awareness workshops for nonprofit staff");
    let accepting = app.create_posting(&company, "offers", second).await;
    app.searchable().await;
    let path = format!("/api/v1/needs/{}/matches?limit=50", need["id"]);
    let suggested = || async {
        matches(&app, &path).await["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["posting"]["id"].clone())
            .collect::<Vec<Value>>()
    };
    let before = suggested().await;
    assert!(
        before.contains(&declining["id"]) && before.contains(&accepting["id"]),
        "{before:?}"
    );

    for (offer, answer) in [(&declining, "decline"), (&accepting, "accept")] {
        let proposed = expect_json(
            app.post(
                "/api/v1/partnerships",
                Some(&nonprofit.token),
                &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Hello" }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        let path = format!("/api/v1/partnerships/{}/{answer}", proposed["id"]);
        expect_json(
            app.post(&path, Some(&company.token), &json!({})).await,
            StatusCode::OK,
        )
        .await;
    }
    let after = suggested().await;
    assert!(!after.contains(&declining["id"]), "declined: {after:?}");
    assert!(!after.contains(&accepting["id"]), "under way: {after:?}");
}
