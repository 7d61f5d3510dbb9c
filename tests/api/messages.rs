//! A partnership's conversation: both organizations read and write it from the proposal on,
//! nobody else; each message tells the other side; the page shows the thread and takes a reply.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn proposed(app: &TestApp) -> (Account, Account, Value) {
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let partnership = expect_json(
        app.post(
            "/api/v1/partnerships",
            Some(&nonprofit.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Can you help?" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    (nonprofit, company, partnership)
}

#[tokio::test]
async fn both_sides_write_and_read_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    let (nonprofit, company, partnership) = proposed(&app).await;
    let path = format!("/api/v1/partnerships/{}/messages", partnership["id"]);

    let question = app
        .post(
            &path,
            Some(&company.token),
            &json!({ "body": "How many laptops, and for when?" }),
        )
        .await;
    let question = expect_json(question, StatusCode::CREATED).await;
    assert_eq!(question["organization"], "Tech Company");
    assert_eq!(question["mine"], true);
    let answer = app
        .post(
            &path,
            Some(&nonprofit.token),
            &json!({ "body": "Twelve, before January." }),
        )
        .await;
    expect_json(answer, StatusCode::CREATED).await;

    let thread = expect_json(app.get(&path, Some(&nonprofit.token)).await, StatusCode::OK).await;
    let bodies: Vec<&str> = thread["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        ["How many laptops, and for when?", "Twelve, before January."]
    );
    assert_eq!(thread["items"][0]["mine"], false);
    assert_eq!(thread["items"][1]["mine"], true);

    // The nonprofit was told of the company's message, with its words.
    let inbox = expect_json(
        app.get("/api/v1/notifications", Some(&nonprofit.token))
            .await,
        StatusCode::OK,
    )
    .await;
    let told = &inbox["items"][0];
    assert_eq!(told["kind"], "message_received");
    assert_eq!(told["note"], "“How many laptops, and for when?”");
    assert_eq!(told["link"], format!("/partnerships/{}", partnership["id"]));

    // A third organization sees nothing and cannot write.
    let stranger = app.register_org("Other Org", "nonprofit", "ON").await;
    for response in [
        app.get(&path, Some(&stranger.token)).await,
        app.post(&path, Some(&stranger.token), &json!({ "body": "Hello" }))
            .await,
    ] {
        expect_problem(response, StatusCode::NOT_FOUND, "partnership_not_found").await;
    }
    assert_eq!(app.count("partnership_message").await, 2);
}

#[tokio::test]
async fn an_empty_or_invisible_message_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let (nonprofit, _company, partnership) = proposed(&app).await;
    let path = format!("/api/v1/partnerships/{}/messages", partnership["id"]);
    for body in ["", "   ", "\u{200b}\u{200b}"] {
        let refused = app
            .post(&path, Some(&nonprofit.token), &json!({ "body": body }))
            .await;
        let problem = expect_problem(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["body"], "{body:?}");
    }
    assert_eq!(app.count("partnership_message").await, 0);
}

#[tokio::test]
async fn the_partnership_page_shows_the_thread_and_takes_a_reply() {
    let app = TestApp::spawn().await;
    let (nonprofit, company, partnership) = proposed(&app).await;
    let id = partnership["id"].as_i64().unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = format!("passerelle_session={}", company.token);
    let page = client
        .get(app.url(&format!("/partnerships/{id}")))
        .header("cookie", &cookie)
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Can you help?"),
        "the proposal opens the thread"
    );
    assert!(html.contains("Accepter"), "the company may answer: {html}");
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();

    let sent = client
        .post(app.url(&format!("/partnerships/{id}/messages")))
        .header("cookie", &cookie)
        .header("accept-language", "fr")
        .form(&[
            ("csrf", csrf.as_str()),
            ("body", "Nous avons 12 portables."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let thread = expect_json(
        app.get(
            &format!("/api/v1/partnerships/{id}/messages"),
            Some(&nonprofit.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(thread["items"][0]["body"], "Nous avons 12 portables.");

    // An empty reply comes back with the message beside the field, in French.
    let refused = client
        .post(app.url(&format!("/partnerships/{id}/messages")))
        .header("cookie", &cookie)
        .header("accept-language", "fr")
        .form(&[("csrf", csrf.as_str()), ("body", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"body-error\""), "{html}");

    // Someone outside both organizations gets no page.
    let stranger = app.register_org("Other Org", "nonprofit", "ON").await;
    let hidden = client
        .get(app.url(&format!("/partnerships/{id}")))
        .header("cookie", format!("passerelle_session={}", stranger.token))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn declining_from_the_page_asks_to_confirm_and_takes_a_reason_the_proposer_reads() {
    let app = TestApp::spawn().await;
    let (nonprofit, company, partnership) = proposed(&app).await;
    let id = partnership["id"].as_i64().unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = format!("passerelle_session={}", company.token);
    let get = |path: String| {
        client
            .get(app.url(&path))
            .header("cookie", &cookie)
            .header("accept-language", "fr")
            .send()
    };
    let html = get(format!("/partnerships/{id}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("href=\"/partnerships/{id}/decline\"")),
        "declining is a link to its confirmation: {html}"
    );
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let step = |form: Vec<(&'static str, String)>| {
        client
            .post(app.url(&format!("/my/partnerships/{id}/step")))
            .header("cookie", &cookie)
            .header("accept-language", "fr")
            .form(&form)
            .send()
    };

    // One click without the confirmation declines nothing: it leads to the confirmation.
    let bare = step(vec![("csrf", csrf.clone()), ("action", "decline".into())])
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        bare.headers()["location"],
        format!("/partnerships/{id}/decline")
    );
    let still = expect_json(
        app.get(
            &format!("/api/v1/partnerships/{id}"),
            Some(&nonprofit.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still["status"], "proposed");

    // The confirmation names the other organization and offers the common reasons, in French.
    let confirm = get(format!("/partnerships/{id}/decline")).await.unwrap();
    assert_eq!(confirm.status(), StatusCode::OK);
    let html = confirm.text().await.unwrap();
    assert!(html.contains("Refuser cette proposition?"), "{html}");
    assert!(html.contains("Food Bank"), "names who is told: {html}");
    assert!(
        html.contains("Nous n’avons pas la capacité en ce moment"),
        "{html}"
    );

    // Words too long come back beside the field, and nothing is declined.
    let long = step(vec![
        ("csrf", csrf.clone()),
        ("action", "decline".into()),
        ("confirmed", "yes".into()),
        ("reason", "x".repeat(2_001)),
    ])
    .await
    .unwrap();
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text().await.unwrap().contains("id=\"reason-error\""));

    let declined = step(vec![
        ("csrf", csrf.clone()),
        ("action", "decline".into()),
        ("confirmed", "yes".into()),
        ("next", format!("/partnerships/{id}")),
        ("reason_code", "no_capacity".into()),
        ("reason", "Revenez nous voir en janvier.".into()),
    ])
    .await
    .unwrap();
    assert_eq!(declined.status(), StatusCode::SEE_OTHER);

    // The proposer reads the reason on the partnership page, in its own language.
    let page = client
        .get(app.url(&format!("/partnerships/{id}")))
        .header("cookie", format!("passerelle_session={}", nonprofit.token))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(
            "Reason given: We do not have the capacity right now — “Revenez nous voir en janvier.”"
        ),
        "{page}"
    );
    // And an unknown reason through the API is refused by name.
    let other = proposed(&app).await;
    let refused = app
        .post(
            &format!("/api/v1/partnerships/{}/decline", other.2["id"]),
            Some(&other.1.token),
            &json!({ "reason_code": "bored" }),
        )
        .await;
    let problem = expect_json(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(problem["errors"]["reason_code"].is_array(), "{problem}");
}
