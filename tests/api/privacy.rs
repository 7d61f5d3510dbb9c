//! A person's rights over their data: a copy of all of it, deleting the account (what partners
//! need stays, without the person), and handing an organization over before leaving it.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn my_data_comes_as_one_json_document_without_secrets() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let proposal = app
        .post(
            "/api/v1/partnerships",
            Some(&nonprofit.token),
            &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Hello there" }),
        )
        .await;
    let partnership = expect_json(proposal, StatusCode::CREATED).await;
    let said = app
        .post(
            &format!("/api/v1/partnerships/{}/messages", partnership["id"]),
            Some(&nonprofit.token),
            &json!({ "body": "My own words" }),
        )
        .await;
    expect_json(said, StatusCode::CREATED).await;

    let response = app.get("/api/v1/me/export", Some(&nonprofit.token)).await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data = expect_json(response, StatusCode::OK).await;
    assert_eq!(data["account"]["email"], nonprofit.email);
    assert_eq!(data["memberships"][0]["organization"], "Food Bank");
    assert_eq!(data["messages_written"][0]["body"], "My own words");
    assert_eq!(
        data["partnerships_proposed_or_answered"][0]["proposed_by_you"],
        true
    );
    assert_eq!(data["email_preferences"]["proposals"], "immediate");
    assert!(!data["activity"].as_array().unwrap().is_empty());
    let text = data.to_string();
    assert!(!text.contains(&nonprofit.token), "no secret in the copy");
    assert!(!text.contains("argon2"), "no password hash in the copy");

    // The account page's download link works with the session cookie.
    let page = app
        .client
        .get(app.url("/my/account"))
        .header("cookie", format!("passerelle_session={}", nonprofit.token))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"href="/api/v1/me/export""#));
    let download = app
        .client
        .get(app.url("/api/v1/me/export"))
        .header("cookie", format!("passerelle_session={}", nonprofit.token))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
}

#[tokio::test]
async fn deleting_my_account_keeps_what_partners_need_without_me() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let partnership = app.propose_fresh(&company, &nonprofit, &company).await;
    let messages = format!("/api/v1/partnerships/{}/messages", partnership["id"]);
    let said = app
        .post(
            &messages,
            Some(&company.token),
            &json!({ "body": "Our offer stands" }),
        )
        .await;
    expect_json(said, StatusCode::CREATED).await;

    // The wrong password deletes nothing.
    let wrong = app
        .request(reqwest::Method::DELETE, "/api/v1/me", Some(&company.token))
        .json(&json!({ "password": "not my password" }))
        .send()
        .await
        .unwrap();
    let problem =
        expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["password"]);

    let deleted = app
        .request(reqwest::Method::DELETE, "/api/v1/me", Some(&company.token))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", Some(&company.token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": company.email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);

    // The nonprofit still has the proposal and the message, no longer signed by a name.
    let thread = expect_json(
        app.get(&messages, Some(&nonprofit.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(thread["items"][0]["body"], "Our offer stands");
    assert!(thread["items"][0]["author"].is_null());
    let text = thread.to_string();
    assert!(!text.contains("Tech Company staff"));
    let got = app
        .get(
            &format!("/api/v1/partnerships/{}", partnership["id"]),
            Some(&nonprofit.token),
        )
        .await;
    expect_json(got, StatusCode::OK).await;
    // The address is free for a new account.
    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({ "email": company.email, "password": PASSWORD, "display_name": "Again" }),
        )
        .await;
    expect_json(again, StatusCode::CREATED).await;
}

#[tokio::test]
async fn an_organization_is_handed_over_before_its_last_owner_leaves() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let colleague = expect_json(
        app.post(
            "/api/v1/auth/register",
            None,
            &json!({ "email": "colleague@example.org", "password": PASSWORD, "display_name": "Colleague" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let colleague_id = colleague["user"]["id"].as_i64().unwrap();
    let colleague_token = colleague["token"].as_str().unwrap();
    let members = format!("/api/v1/organizations/{}/members", owner.org_id);
    let added = app
        .post(
            &members,
            Some(&owner.token),
            &json!({ "email": "colleague@example.org", "role": "member" }),
        )
        .await;
    expect_json(added, StatusCode::CREATED).await;

    // The last owner can neither step down nor delete the account.
    let step_down = app
        .patch(
            &format!("{members}/{}", owner.user_id),
            Some(&owner.token),
            &json!({ "role": "member" }),
        )
        .await;
    expect_problem(step_down, StatusCode::CONFLICT, "last_owner").await;
    let delete = app
        .request(reqwest::Method::DELETE, "/api/v1/me", Some(&owner.token))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    expect_problem(delete, StatusCode::CONFLICT, "last_owner").await;
    // A member cannot make themselves owner.
    let grab = app
        .patch(
            &format!("{members}/{colleague_id}"),
            Some(colleague_token),
            &json!({ "role": "owner" }),
        )
        .await;
    expect_problem(grab, StatusCode::FORBIDDEN, "forbidden").await;

    // Hand over: two owners, then the first steps down and leaves.
    let promoted = app
        .patch(
            &format!("{members}/{colleague_id}"),
            Some(&owner.token),
            &json!({ "role": "owner" }),
        )
        .await;
    assert_eq!(expect_json(promoted, StatusCode::OK).await["role"], "owner");
    let stepped = app
        .patch(
            &format!("{members}/{}", owner.user_id),
            Some(&owner.token),
            &json!({ "role": "member" }),
        )
        .await;
    assert_eq!(expect_json(stepped, StatusCode::OK).await["role"], "member");
    let left = app
        .delete(&format!("{members}/{}", owner.user_id), Some(&owner.token))
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let list = expect_json(
        app.get(&members, Some(colleague_token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["role"], "owner");
}
