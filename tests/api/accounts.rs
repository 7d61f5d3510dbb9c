//! Registration, sign-in, sessions, API tokens and rate limits.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned()
}

fn registration(email: &str, password: &str) -> serde_json::Value {
    json!({
        "email": email,
        "password": password,
        "display_name": "Awa Diallo",
        "organization": { "name": "Centre Rameaux", "kind": "nonprofit", "province": "QC" }
    })
}

#[tokio::test]
async fn register_returns_a_working_token_and_session_cookie() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            &registration("awa@example.org", PASSWORD),
        )
        .await;
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("passerelle_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "not over https by default: {cookie}"
    );
    let body = expect_json(response, StatusCode::CREATED).await;
    let token = body["token"].as_str().unwrap();
    assert_eq!(body["organization"]["verified"], false);

    let me = expect_json(app.get("/api/v1/me", Some(token)).await, StatusCode::OK).await;
    assert_eq!(me["user"]["email"], "awa@example.org");
    assert_eq!(me["memberships"][0]["role"], "owner");
    assert_eq!(
        me["memberships"][0]["organization"]["name"],
        "Centre Rameaux"
    );
    assert_eq!(
        me["memberships"][0]["organization"]["contact_email"],
        "awa@example.org"
    );
}

#[tokio::test]
async fn secure_cookie_when_configured_for_https() {
    let app = TestApp::spawn_with(|c| c.cookie_secure = true).await;
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            &registration("s@example.org", PASSWORD),
        )
        .await;
    let cookie = set_cookie(&response);
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn duplicate_email_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    app.post(
        "/api/v1/auth/register",
        None,
        &registration("dup@example.org", PASSWORD),
    )
    .await;
    let (users, orgs) = (app.count("app_user").await, app.count("organization").await);
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            &registration("DUP@example.org", PASSWORD),
        )
        .await;
    expect_problem(response, StatusCode::CONFLICT, "email_taken").await;
    assert_eq!(app.count("app_user").await, users);
    assert_eq!(
        app.count("organization").await,
        orgs,
        "no orphan organization"
    );
}

#[tokio::test]
async fn bad_registration_names_every_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let body = json!({
        "email": "not-an-email",
        "password": "password123",
        "display_name": "",
        "organization": { "name": "X", "kind": "nonprofit", "province": "ZZ",
                          "charity_number": "123", "cause_areas": ["space_travel"] }
    });
    let problem = expect_problem(
        app.post("/api/v1/auth/register", None, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields = error_fields(&problem);
    for field in [
        "email",
        "password",
        "display_name",
        "organization.name",
        "organization.province",
        "organization.charity_number",
        "organization.cause_areas",
    ] {
        assert!(
            fields.contains(&field.to_owned()),
            "{field} missing from {problem}"
        );
    }
    assert_eq!(app.count("app_user").await, 0);
    assert_eq!(app.count("organization").await, 0);
}

#[tokio::test]
async fn short_and_common_passwords_are_refused() {
    let app = TestApp::spawn().await;
    for password in ["short", "password1234", "qwertyuiop"] {
        let problem = expect_problem(
            app.post(
                "/api/v1/auth/register",
                None,
                &registration("p@example.org", password),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            error_fields(&problem),
            ["password"],
            "{password}: {problem}"
        );
    }
}

#[tokio::test]
async fn login_gives_token_and_cookie_and_logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let response = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": account.email.to_uppercase(), "password": PASSWORD }),
        )
        .await;
    assert!(response.headers().get("set-cookie").is_some());
    let body = expect_json(response, StatusCode::OK).await;
    let token = body["token"].as_str().unwrap().to_owned();
    expect_json(app.get("/api/v1/me", Some(&token)).await, StatusCode::OK).await;

    // The cookie alone authenticates too.
    let cookie_client = reqwest::Client::new();
    let me = cookie_client
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("passerelle_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    let logout = app
        .request(reqwest::Method::POST, "/api/v1/auth/logout", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    expect_problem(
        app.get("/api/v1/me", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // The registration session is a different session and still works.
    expect_json(
        app.get("/api/v1/me", Some(&account.token)).await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_look_the_same() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": account.email, "password": "nope-nope-nope" }),
        )
        .await;
    let wrong = expect_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "who@example.org", "password": "nope-nope-nope" }),
        )
        .await;
    let unknown = expect_problem(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(wrong["detail"], unknown["detail"]);
}

#[tokio::test]
async fn five_bad_passwords_then_429_with_retry_after() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let attempt = json!({ "email": account.email, "password": "wrong-password-here" });
    for _ in 0..5 {
        let response = app.post("/api/v1/auth/login", None, &attempt).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.post("/api/v1/auth/login", None, &attempt).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1, "{retry_after}");
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    // Even the right password is refused while the account is locked out.
    let right = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": account.email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn login_is_limited_per_address_across_accounts() {
    let app = TestApp::spawn_with(|c| c.login_failures_per_address = 3).await;
    for n in 0..3 {
        let attempt =
            json!({ "email": format!("u{n}@example.org"), "password": "wrong-password-here" });
        assert_eq!(
            app.post("/api/v1/auth/login", None, &attempt)
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let attempt = json!({ "email": "u9@example.org", "password": "wrong-password-here" });
    expect_problem(
        app.post("/api/v1/auth/login", None, &attempt).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    )
    .await;
}

#[tokio::test]
async fn api_tokens_are_created_listed_and_revoked() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let created = expect_json(
        app.post(
            "/api/v1/tokens",
            Some(&account.token),
            &json!({ "name": "CRM sync" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let secret = created["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("psl_"));
    let listed = expect_json(
        app.get("/api/v1/tokens", Some(&secret)).await,
        StatusCode::OK,
    )
    .await;
    let listed = listed.as_array().unwrap();
    assert_eq!(
        listed.len(),
        2,
        "the API token and the registration session: {listed:?}"
    );
    let api = listed.iter().find(|t| t["kind"] == "api").unwrap();
    assert_eq!(api["name"], "CRM sync");
    assert_eq!(api["current"], true, "this request used it");
    assert!(api.get("token").is_none(), "the secret is never listed");
    assert!(secret.starts_with(api["prefix"].as_str().unwrap()));
    let session = listed.iter().find(|t| t["kind"] == "session").unwrap();
    assert_eq!(session["current"], false);

    // An API token cannot mint another one.
    let minted = app
        .post("/api/v1/tokens", Some(&secret), &json!({ "name": "child" }))
        .await;
    expect_problem(minted, StatusCode::FORBIDDEN, "forbidden").await;

    let id = created["id"].as_i64().unwrap();
    let revoked = app
        .delete(&format!("/api/v1/tokens/{id}"), Some(&account.token))
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    expect_problem(
        app.get("/api/v1/me", Some(&secret)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let listed = expect_json(
        app.get("/api/v1/tokens", Some(&account.token)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["kind"] == "session"),
        "{listed}"
    );
}

#[tokio::test]
async fn nobody_revokes_another_users_token() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let other = app.company().await;
    let created = expect_json(
        app.post(
            "/api/v1/tokens",
            Some(&owner.token),
            &json!({ "name": "integration" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let response = app
        .delete(&format!("/api/v1/tokens/{id}"), Some(&other.token))
        .await;
    expect_problem(response, StatusCode::NOT_FOUND, "token_not_found").await;
    let secret = created["token"].as_str().unwrap();
    expect_json(app.get("/api/v1/me", Some(secret)).await, StatusCode::OK).await;
}

#[tokio::test]
async fn bad_token_requests_are_refused() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let too_long = "x".repeat(101);
    let cases = [
        json!({ "name": "" }),
        json!({ "name": too_long }),
        json!({ "name": "a", "expires_in_days": 0 }),
    ];
    for body in cases {
        expect_problem(
            app.post("/api/v1/tokens", Some(&account.token), &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    expect_problem(
        app.get("/api/v1/tokens", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    expect_problem(
        app.get("/api/v1/tokens", Some("psl_forged")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn successful_sign_ins_are_never_rate_limited() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let right = json!({ "email": account.email, "password": PASSWORD });
    let wrong = json!({ "email": account.email, "password": "wrong-password-here" });
    for _ in 0..4 {
        assert_eq!(
            app.post("/api/v1/auth/login", None, &wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // A success clears the account's failures...
    assert_eq!(
        app.post("/api/v1/auth/login", None, &right).await.status(),
        StatusCode::OK
    );
    for _ in 0..4 {
        assert_eq!(
            app.post("/api/v1/auth/login", None, &wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // ...and successes alone never count.
    for _ in 0..8 {
        assert_eq!(
            app.post("/api/v1/auth/login", None, &right).await.status(),
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": account.email, "password": PASSWORD }),
        )
        .await;
    let other_session = expect_json(login, StatusCode::OK).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong =
        json!({ "current_password": "not-the-password", "new_password": "a brand new passphrase" });
    let problem = expect_problem(
        app.post("/api/v1/me/password", Some(&account.token), &wrong)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["current_password"]);
    let weak = json!({ "current_password": PASSWORD, "new_password": "password1234" });
    let problem = expect_problem(
        app.post("/api/v1/me/password", Some(&account.token), &weak)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["new_password"]);

    let change = json!({ "current_password": PASSWORD, "new_password": "a brand new passphrase" });
    assert_eq!(
        app.post("/api/v1/me/password", Some(&account.token), &change)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_json(
        app.get("/api/v1/me", Some(&account.token)).await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.get("/api/v1/me", Some(&other_session)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let old = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": account.email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": account.email, "password": "a brand new passphrase" }),
        )
        .await;
    assert_eq!(new.status(), StatusCode::OK);
}

#[tokio::test]
async fn invisible_names_and_hidden_characters_in_emails_are_refused() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({
                "email": "ana\u{202E}@example.org",
                "password": PASSWORD,
                "display_name": "\u{200B}\u{3164}",
                "organization": { "name": "\u{FEFF}\u{2060}", "kind": "nonprofit",
                                  "province": "QC" }
            }),
        )
        .await;
    let problem = expect_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["display_name", "email", "organization.name"]
    );
    assert_eq!(app.count("app_user").await, 0);
}

#[tokio::test]
async fn failed_sign_ins_count_across_servers_sharing_the_database() {
    let first = TestApp::spawn().await;
    let url = first.config.database_url();
    let second = TestApp::spawn_with(|config| config.database_url = Some(url)).await;
    let account = first.nonprofit().await;
    let wrong = json!({ "email": account.email, "password": "wrong-password-here" });
    // Five failures (the default per account), spread over both servers.
    for app in [&first, &second, &first, &second, &first] {
        assert_eq!(
            app.post("/api/v1/auth/login", None, &wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let right = json!({ "email": account.email, "password": PASSWORD });
    for app in [&second, &first] {
        let locked = app.post("/api/v1/auth/login", None, &right).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.headers().contains_key("retry-after"));
    }
}
