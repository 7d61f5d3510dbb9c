//! Search: bilingual, typo tolerant, filtered and faceted, and always in step with the database.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn titles(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn french_and_english_queries_find_both_languages() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    for q in [
        "cybers%C3%A9curit%C3%A9",
        "cybersecurite",
        "cyber%20security",
    ] {
        let results = app.search(&format!("q={q}&limit=50")).await;
        let hits = results["hits"].as_array().unwrap();
        let languages: Vec<&str> = hits
            .iter()
            .filter(|h| h["category"] == "cybersecurity")
            .map(|h| h["language"].as_str().unwrap())
            .collect();
        assert!(
            languages.contains(&"fr") && languages.contains(&"en"),
            "{q}: {languages:?}"
        );
        assert_eq!(
            hits[0]["category"], "cybersecurity",
            "{q}: best hit {}",
            hits[0]
        );
    }
    // A French phrase reaches English postings of the same category through the taxonomy.
    let redesign = app.search("q=refonte%20de%20site%20web&language=en").await;
    assert!(
        redesign["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["category"] == "website"),
        "{redesign}"
    );
    let laptops = app.search("q=ordinateurs%20portables&language=en").await;
    assert!(
        laptops["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["category"] == "hardware"),
        "{laptops}"
    );
}

#[tokio::test]
async fn typos_are_forgiven_but_rank_below_exact_matches() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let typo = app.search("q=websiet").await;
    assert_eq!(typo["hits"][0]["category"], "website", "{typo}");
    // What the typo matched is highlighted.
    let best = typo["hits"][0]["title_html"].as_str().unwrap().to_owned()
        + typo["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(best.to_lowercase().contains("<b>website"), "{best}");
    let laptops = app.search("q=laptpos").await;
    assert!(
        titles(&laptops)
            .iter()
            .any(|t| t.to_lowercase().contains("laptop")),
        "{laptops}"
    );
    let short = app.search("q=wbe").await;
    assert_eq!(
        short["total"], 0,
        "no typo tolerance under 5 letters: {short}"
    );
}

#[tokio::test]
async fn two_words_find_the_text_that_writes_them_as_one() {
    let app = TestApp::spawn().await;
    let school = app
        .register_org("Northside School Trust", "nonprofit", "MB")
        .await;
    let body = merge(
        need_body(),
        json!({ "title": "Tablets for every classroom",
                "description": "Thirty tablets so that each pupil can follow the lessons." }),
    );
    app.create_posting(&school, "needs", body).await;
    app.searchable().await;
    let found = app.search("q=class+room").await;
    assert_eq!(
        titles(&found),
        vec!["Tablets for every classroom"],
        "{found}"
    );
    // The word it matched is highlighted.
    let title = found["hits"][0]["title_html"].as_str().unwrap();
    assert!(title.contains("<b>classroom</b>"), "{title}");
}

#[tokio::test]
async fn snippets_highlight_every_form_the_search_matched() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let found = app.search("q=website&limit=50").await;
    let highlighted: String = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h["title_html"], h["snippet_html"]).to_lowercase())
        .collect();
    // The stemmed text matched "websites" for "website": the snippet shows it.
    assert!(highlighted.contains("<b>websites</b>"), "{highlighted}");
    assert!(highlighted.contains("<b>website</b>"), "{highlighted}");
}

#[tokio::test]
async fn facets_add_up_and_filters_narrow() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let all = app.search("q=formation").await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 0);
    let sum = |facet: &str| -> u64 {
        all["facets"][facet]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum()
    };
    for facet in ["kind", "org_kind", "remote"] {
        assert_eq!(sum(facet), total, "{facet}: {}", all["facets"][facet]);
    }
    // Organizations have no category, and some offers serve no one province: a result without a
    // value is counted under none.
    let organizations = all["facets"]["kind"]["organization"].as_u64().unwrap_or(0);
    assert_eq!(sum("category"), total - organizations, "{}", all["facets"]);
    assert!(sum("province") <= total);
    assert!(all["facets"]["province"].get("none").is_none());
    let offers = all["facets"]["kind"]["offer"].as_u64().unwrap();
    let filtered = app.search("q=formation&kind=offer").await;
    assert_eq!(filtered["total"].as_u64().unwrap(), offers);
    assert!(
        filtered["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "offer")
    );
    let quebec = app.search("q=formation&province=qc&remote=false").await;
    assert!(
        quebec["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["province"] == "QC" && h["remote"] == false)
    );
    let snippet = all["hits"][0]["snippet_html"].as_str().unwrap().to_owned()
        + all["hits"][0]["title_html"].as_str().unwrap();
    assert!(
        snippet.to_lowercase().contains("<b>formation</b>"),
        "{snippet}"
    );
}

#[tokio::test]
async fn anything_typed_is_accepted() {
    let app = TestApp::spawn().await;
    let junk = "x%22:(".repeat(700);
    for q in [
        "%22",
        "title:",
        "a:b:c",
        "(((",
        "AND%20OR%20NOT",
        "*",
        "~2",
        junk.as_str(),
    ] {
        let response = app.get(&format!("/api/v1/search?q={q}"), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{q}");
    }
    for bad in [
        "kind=draft",
        "province=XX",
        "limit=0",
        "limit=51",
        "sort=random",
        "cursor=nope",
        "category=nope",
        "remote=maybe",
    ] {
        expect_problem(
            app.get(&format!("/api/v1/search?{bad}"), None).await,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        )
        .await;
    }
}

#[tokio::test]
async fn writes_are_searchable_quickly_and_only_while_public() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "title": "Chromebooks for the zygomorphic reading circle" }),
            ),
        )
        .await;
    let draft = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(
                need_body(),
                json!({ "title": "Secret zygomorphic draft", "status": "draft" }),
            ),
        )
        .await;
    app.searchable().await;
    let found = app.search("q=zygomorphic").await;
    assert_eq!(
        titles(&found),
        ["Chromebooks for the zygomorphic reading circle"],
        "drafts are never found"
    );

    let path = format!("/api/v1/needs/{}", need["id"]);
    let renamed = app
        .patch(
            &path,
            Some(&nonprofit.token),
            &json!({ "version": 1, "title": "Chromebooks for the quokka reading circle" }),
        )
        .await;
    expect_json(renamed, StatusCode::OK).await;
    app.searchable().await;
    assert_eq!(app.search("q=zygomorphic").await["total"], 0);
    assert_eq!(app.search("q=quokka").await["total"], 1);

    app.patch(
        &path,
        Some(&nonprofit.token),
        &json!({ "version": 2, "status": "closed" }),
    )
    .await;
    app.searchable().await;
    assert_eq!(
        app.search("q=quokka").await["total"],
        0,
        "closed postings leave search"
    );
    app.patch(
        &path,
        Some(&nonprofit.token),
        &json!({ "version": 3, "status": "open" }),
    )
    .await;
    app.searchable().await;
    assert_eq!(app.search("q=quokka").await["total"], 1, "reopened");
    app.delete(&path, Some(&nonprofit.token)).await;
    app.delete(
        &format!("/api/v1/needs/{}", draft["id"]),
        Some(&nonprofit.token),
    )
    .await;
    app.searchable().await;
    assert_eq!(app.search("q=quokka").await["total"], 0, "deleted");

    let report = passerelle::search::verify::verify(&app.db, &app.search)
        .await
        .unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[tokio::test]
async fn an_organization_change_reaches_its_postings() {
    let app = TestApp::spawn().await;
    let company = app.company().await;
    app.create_posting(&company, "offers", offer_body()).await;
    let org_path = format!("/api/v1/organizations/{}", company.org_id);
    app.patch(
        &org_path,
        Some(&company.token),
        &json!({ "version": 1, "name": "Xylophonic Systems" }),
    )
    .await;
    app.searchable().await;
    let found = app.search("q=xylophonic&kind=offer").await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["hits"][0]["organization_name"], "Xylophonic Systems");
}

#[tokio::test]
async fn a_cause_named_in_either_language_finds_its_organizations() {
    let app = TestApp::spawn().await;
    let shelter = app
        .register_org("Harbour Night Shelter", "nonprofit", "NS")
        .await;
    app.edit_profile(
        &shelter,
        json!({
            "languages": ["en"],
            "cause_areas": ["housing_homelessness"],
            "description": "Forty beds and a hot meal every night of the year."
        }),
    )
    .await;
    // Another organization (its cause: youth) whose text shares no word with the query either.
    app.register_org("Harbour Coding Club", "nonprofit", "NS")
        .await;
    app.searchable().await;
    // Neither text holds the word: the taxonomy's French synonym of the cause finds the shelter.
    for q in ["itin%C3%A9rance", "sans-abri", "homelessness"] {
        let found = app.search(&format!("q={q}&kind=organization")).await;
        assert_eq!(
            titles(&found),
            vec!["Harbour Night Shelter"],
            "{q}: {found}"
        );
    }
}

#[tokio::test]
async fn a_concept_named_in_other_words_is_found() {
    let app = TestApp::spawn().await;
    // Its declared cause is youth (the helper's), and its text never says "hunger".
    let kitchen = app
        .register_org("Riverside Commons", "nonprofit", "ON")
        .await;
    app.edit_profile(
        &kitchen,
        json!({
            "languages": ["en"],
            "description": "We run a community kitchen and a meal program for families."
        }),
    )
    .await;
    app.searchable().await;
    // Both phrases name the taxonomy's food security, as the description does.
    for q in ["hunger", "d%C3%A9pannage%20alimentaire"] {
        let found = app.search(&format!("q={q}&kind=organization")).await;
        assert_eq!(titles(&found), vec!["Riverside Commons"], "{q}: {found}");
    }
}

#[tokio::test]
async fn expired_postings_leave_search_at_once() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    app.create_posting(
        &nonprofit,
        "needs",
        merge(
            need_body(),
            json!({ "title": "Ephemeral tablets request", "expires_at": soon }),
        ),
    )
    .await;
    app.searchable().await;
    assert_eq!(app.search("q=ephemeral").await["total"], 1);
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    assert_eq!(app.search("q=ephemeral").await["total"], 0);
}

#[tokio::test]
async fn the_index_survives_a_restart_and_catches_up() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    app.create_posting(
        &nonprofit,
        "needs",
        merge(
            need_body(),
            json!({ "title": "Persistent projector request" }),
        ),
    )
    .await;
    app.searchable().await;
    let app = app.restart().await;
    assert_eq!(app.search("q=projector").await["total"], 1);
    let report = passerelle::search::verify::verify(&app.db, &app.search)
        .await
        .unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[tokio::test]
async fn suggestions_complete_the_last_word() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let response = expect_json(
        app.get("/api/v1/search/suggest?q=formation%20cyb", None)
            .await,
        StatusCode::OK,
    )
    .await;
    let suggestions: Vec<&str> = response["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        suggestions.iter().any(|s| s.starts_with("formation cyber")),
        "{suggestions:?}"
    );
    let none = expect_json(
        app.get("/api/v1/search/suggest?q=x", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none["suggestions"], json!([]));
}

#[tokio::test]
async fn suggestions_keep_accents_and_what_was_typed() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let suggest = |q: &'static str| {
        let app = &app;
        async move {
            let url = format!("/api/v1/search/suggest?q={}", urlencode(q));
            let response = expect_json(app.get(&url, None).await, StatusCode::OK).await;
            response["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // Titles write "sécurité"; the folded index term is "securite".
    let suggestions = suggest("Audit de sécu").await;
    assert!(
        suggestions.iter().any(|s| s == "Audit de sécurité"),
        "{suggestions:?}"
    );
    // What came before the last word stays as typed, stop word and capital included.
    assert!(
        suggestions.iter().all(|s| s.starts_with("Audit de ")),
        "{suggestions:?}"
    );
    // Typed without accents, completed as written.
    let suggestions = suggest("litteratie nume").await;
    assert!(
        suggestions.contains(&"litteratie numérique".to_owned()),
        "{suggestions:?}"
    );
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn concurrent_writers_are_all_indexed() {
    // On PostgreSQL, outbox ids can become visible out of order across transactions; a tailer
    // that skipped a late one would leave a posting out of the index for good.
    let app = TestApp::spawn().await;
    let mut accounts = Vec::new();
    for n in 0..4 {
        accounts.push(
            app.register_org(&format!("Writer {n}"), "nonprofit", "ON")
                .await,
        );
    }
    let mut tasks = Vec::new();
    for (w, account) in accounts.iter().enumerate() {
        for round in 0..15 {
            let client = app.client.clone();
            let url = app.url("/api/v1/needs");
            let token = account.token.clone();
            let body = merge(
                need_body(),
                json!({ "title": format!("Concurrent marmot w{w} r{round}") }),
            );
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::CREATED);
    }
    app.searchable().await;
    let report = passerelle::search::verify::verify(&app.db, &app.search)
        .await
        .unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(app.search("q=marmot&limit=1").await["total"], 60);
}

#[tokio::test]
async fn a_change_that_commits_late_is_not_skipped() {
    use passerelle::domain::postings::{self, PostingChanges};
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app
        .create_posting(
            &nonprofit,
            "needs",
            merge(need_body(), json!({ "title": "Slow lemur request" })),
        )
        .await;
    app.searchable().await;

    // A writer takes its outbox id, then is slow to commit...
    let txn = passerelle::domain::begin_write(&app.db).await.unwrap();
    let changes = PostingChanges {
        version: 1,
        title: Some("Slow okapi request".into()),
        ..Default::default()
    };
    postings::update(
        &txn,
        nonprofit.user_id,
        entity::PostingKind::Need,
        need["id"].as_i64().unwrap(),
        changes,
    )
    .await
    .unwrap();
    // ...while another writer commits after it.
    let client = app.client.clone();
    let (url, token) = (app.url("/api/v1/needs"), nonprofit.token.clone());
    let body = merge(need_body(), json!({ "title": "Fast gecko request" }));
    let fast = tokio::spawn(async move {
        client
            .post(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    txn.commit().await.unwrap();
    assert_eq!(fast.await.unwrap(), StatusCode::CREATED);

    app.searchable().await;
    assert_eq!(app.search("q=gecko").await["total"], 1);
    assert_eq!(
        app.search("q=okapi").await["total"],
        1,
        "the late change was skipped"
    );
    let report = passerelle::search::verify::verify(&app.db, &app.search)
        .await
        .unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[tokio::test]
async fn unverified_organizations_are_marked_wherever_they_appear_and_kept_off_the_home_page() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    app.searchable().await;
    let found = app.search("q=laptops&kind=need").await;
    assert_eq!(found["hits"][0]["id"], need["id"], "{found}");
    assert_eq!(found["hits"][0]["verified"], false);
    let only_verified = app.search("q=laptops&kind=need&verified=true").await;
    assert_eq!(only_verified["total"], 0, "{only_verified}");

    let page = |path: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&path))
                .header("accept-language", "fr")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let title = need["title"].as_str().unwrap().to_owned();
    let posting = page(format!("/needs/{}", need["id"])).await;
    assert!(posting.contains("pas encore vérifié"), "{posting}");
    let search = page("/search?q=laptops".into()).await;
    assert!(
        search.contains("homework club") && search.contains("pas encore vérifié"),
        "{search}"
    );
    assert!(
        !page("/".into()).await.contains(&title),
        "off the home page"
    );

    // Once verified, it is marked as such, and the home page lists it.
    app.verify(nonprofit.org_id).await;
    app.searchable().await;
    let found = app.search("q=laptops&kind=need&verified=true").await;
    assert_eq!(found["hits"][0]["verified"], true, "{found}");
    assert!(page("/".into()).await.contains(&title));
    assert!(
        !page(format!("/needs/{}", need["id"]))
            .await
            .contains("pas encore vérifié")
    );
}

#[tokio::test]
async fn the_last_word_finds_the_words_it_starts_and_titles_keep_every_character() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    app.create_posting(
        &nonprofit,
        "needs",
        json!({ "title": "Cybersécurité pour nos bénévoles (ages 12–17)",
                "description": "Une formation pour repérer l'hameçonnage, suivie d'un audit de nos postes de travail et de nos comptes, pour toute l'équipe qui accueille les jeunes après l'école.",
                "language": "fr", "category": "cybersecurity", "province": "QC" }),
    )
    .await;
    app.searchable().await;
    // "cyber" is in no text as a word of its own: it stands for the words it starts.
    let found = app.search("q=cyber").await;
    assert_eq!(found["total"], 1, "{found}");
    let hit = &found["hits"][0];
    assert_eq!(
        hit["title_html"], "<b>Cybersécurité</b> pour nos bénévoles (ages 12–17)",
        "the whole title, highlighted"
    );
    // A word that is not the last one keeps its meaning.
    assert_eq!(app.search("q=cyber%20zzyzx").await["total"], 0);
    assert_eq!(app.search("q=cyb").await["total"], 1);
    assert_eq!(
        app.search("q=cy").await["total"],
        0,
        "two letters are too few"
    );
    // The snippet is cut on whole words, with an ellipsis.
    let snippet = app.search("q=audit").await["hits"][0]["snippet_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(snippet.contains("<b>audit</b>"), "{snippet}");
    let plain = snippet.replace("<b>", "").replace("</b>", "");
    assert!(
        plain.starts_with('…') || plain.starts_with("Une formation"),
        "{snippet}"
    );
}

#[tokio::test]
async fn offers_filter_by_closing_date_value_and_what_an_organization_may_receive() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let soon = (chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339();
    let offer = |title: &str, extra: Value| {
        let mut body = json!({ "title": title, "description": "Laptops refurbished by our staff, ready for your team.",
                               "language": "en", "category": "hardware", "remote": true });
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    for body in [
        offer(
            "Laptops closing soon for Quebec nonprofits",
            json!({ "value_cad": 5000, "expires_at": soon,
            "eligibility": { "org_kinds": ["nonprofit"], "provinces": ["QC"] } }),
        ),
        offer(
            "Laptops for Ontario organizations",
            json!({ "value_cad": 50000,
            "eligibility": { "provinces": ["ON"] } }),
        ),
        offer(
            "Laptops for registered charities",
            json!({
            "eligibility": { "requires_charity_number": true } }),
        ),
    ] {
        app.create_posting(&company, "offers", body).await;
    }
    app.searchable().await;
    let found = |query: &str, token: Option<&str>| {
        let app = &app;
        let query = query.to_owned();
        let token = token.map(str::to_owned);
        async move {
            let response = app
                .get(
                    &format!("/api/v1/search?q=laptops&{query}"),
                    token.as_deref(),
                )
                .await;
            let mut titles = titles(&expect_json(response, StatusCode::OK).await);
            titles.sort();
            titles
        }
    };
    assert_eq!(
        found("closing_soon=true", None).await,
        ["Laptops closing soon for Quebec nonprofits"]
    );
    assert_eq!(
        found("min_value=10000", None).await,
        ["Laptops for Ontario organizations"]
    );
    assert_eq!(
        found("max_value=10000", None).await,
        ["Laptops closing soon for Quebec nonprofits"]
    );
    assert_eq!(found("min_value=1000&max_value=60000", None).await.len(), 2);
    // A Quebec nonprofit without a charity number may receive the first only.
    assert_eq!(
        found("eligible=true", Some(&nonprofit.token)).await,
        ["Laptops closing soon for Quebec nonprofits"]
    );
    // The company itself, in Ontario, may receive the second.
    assert_eq!(
        found("eligible=true&kind=offer", Some(&company.token)).await,
        ["Laptops for Ontario organizations"]
    );
    for bad in ["eligible=true", "min_value=5&max_value=4", "min_value=-1"] {
        let response = app.get(&format!("/api/v1/search?{bad}"), None).await;
        expect_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
}

#[tokio::test]
async fn several_values_of_a_facet_find_any_of_them_and_keep_their_counts() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let all = app.search("q=laptops").await;
    let counts = &all["facets"]["kind"];
    let (needs, offers) = (
        counts["need"].as_u64().unwrap(),
        counts["offer"].as_u64().unwrap(),
    );
    assert!(needs > 0 && offers > 0, "{counts}");
    let one = app.search("q=laptops&kind=need&limit=50").await;
    assert_eq!(one["total"].as_u64().unwrap(), needs);
    // The chosen facet still counts its other values: what choosing them too would add.
    assert_eq!(one["facets"]["kind"]["offer"].as_u64().unwrap(), offers);
    let both = app.search("q=laptops&kind=need,offer&limit=50").await;
    assert_eq!(both["total"].as_u64().unwrap(), needs + offers);
    // Other facets count within the chosen kinds.
    let provinces = app.search("q=laptops&kind=need&province=QC,ON").await;
    let in_both: u64 = ["QC", "ON"]
        .iter()
        .map(|p| one["facets"]["province"][p].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(provinces["total"].as_u64().unwrap(), in_both);
    for bad in ["kind=need,nope", "province=QC,XX", "category=hardware,"] {
        let response = app.get(&format!("/api/v1/search?{bad}"), None).await;
        expect_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
}
