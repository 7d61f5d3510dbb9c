//! Links sent by email, end to end through a real SMTP conversation: password reset, confirming an
//! address (at sign-up and on a change), invitations. Each link works once.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::smtp::{Received, SmtpServer};

async fn app_with_smtp(smtp: &SmtpServer) -> TestApp {
    let url = smtp.url();
    TestApp::spawn_with(move |config| config.smtp_url = Some(url)).await
}

/// The token of the link to `path` in a message.
fn token(mail: &Received, path: &str) -> String {
    let link = mail
        .links("http")
        .into_iter()
        .find(|link| link.contains(&format!("{path}?token=")))
        .unwrap_or_else(|| panic!("no {path} link in {}", mail.part("text/plain")));
    link.split("token=").nth(1).unwrap().to_owned()
}

/// The last message of `kind` to `address`, waiting for it.
async fn mail_to(smtp: &SmtpServer, kind: &str, address: &str) -> Received {
    for _ in 0..200 {
        if let Some(found) = smtp
            .of_kind(kind)
            .await
            .into_iter()
            .rev()
            .find(|m| m.to.iter().any(|to| to == address))
        {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no {kind} email reached {address}");
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_email_once_and_other_sessions_end() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let user = app.nonprofit().await;

    // The same answer for an unknown address, and nothing is sent.
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({ "email": "nobody@example.org" }),
        )
        .await;
    let unknown = expect_json(unknown, StatusCode::ACCEPTED).await;
    let known = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({ "email": user.email }),
        )
        .await;
    assert_eq!(expect_json(known, StatusCode::ACCEPTED).await, unknown);
    let mail = mail_to(&smtp, "password_reset", &user.email).await;
    assert_eq!(smtp.of_kind("password_reset").await.len(), 1);
    assert!(
        mail.header("List-Unsubscribe").is_none(),
        "asked for, not a subscription"
    );
    let secret = token(&mail, "/password-reset/confirm");

    // A weak password is refused and the link still works.
    let weak = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({ "token": secret, "password": "password" }),
        )
        .await;
    let problem = expect_problem(weak, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["password"]);
    let reset = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({ "token": secret, "password": "a brand new passphrase" }),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);

    // The old session ended; the new password signs in; the link is spent.
    assert_eq!(
        app.get("/api/v1/me", Some(&user.token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": user.email, "password": "a brand new passphrase" }),
        )
        .await;
    let me = expect_json(login, StatusCode::OK).await;
    assert_eq!(
        me["user"]["email_confirmed"], true,
        "the reset proved the address"
    );
    let again = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({ "token": secret, "password": "another brand new phrase" }),
        )
        .await;
    let problem =
        expect_problem(again, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"]["token"][0]["code"], "invalid_link");
}

#[tokio::test]
async fn a_reset_link_expires_within_the_hour() {
    use sea_orm::EntityTrait;
    use sea_orm::sea_query::Expr;
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let user = app.nonprofit().await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({ "email": user.email }),
    )
    .await;
    let secret = token(
        &mail_to(&smtp, "password_reset", &user.email).await,
        "/password-reset/confirm",
    );
    entity::emailed_link::Entity::update_many()
        .col_expr(
            entity::emailed_link::Column::ExpiresAt,
            Expr::val(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let late = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({ "token": secret, "password": "a brand new passphrase" }),
        )
        .await;
    let problem = expect_problem(late, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"]["token"][0]["code"], "invalid_link");
}

#[tokio::test]
async fn an_address_is_confirmed_at_sign_up_and_on_a_change() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let user = app.nonprofit().await;
    let me = expect_json(
        app.get("/api/v1/me", Some(&user.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["user"]["email_confirmed"], false);

    let mail = mail_to(&smtp, "confirm_email", &user.email).await;
    let secret = token(&mail, "/confirm-email");
    let confirmed = app
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({ "token": secret }),
        )
        .await;
    assert_eq!(
        expect_json(confirmed, StatusCode::OK).await["email_confirmed"],
        true
    );
    let reused = app
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({ "token": secret }),
        )
        .await;
    expect_problem(
        reused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // A change of address: the new one gets the link; the account keeps the old until it is used.
    let changed = app
        .patch(
            "/api/v1/me",
            Some(&user.token),
            &json!({ "email": "new-address@example.org" }),
        )
        .await;
    assert_eq!(
        expect_json(changed, StatusCode::OK).await["email"],
        user.email
    );
    let mail = mail_to(&smtp, "confirm_email", "new-address@example.org").await;
    let confirmed = app
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({ "token": token(&mail, "/confirm-email") }),
        )
        .await;
    assert_eq!(
        expect_json(confirmed, StatusCode::OK).await["email"],
        "new-address@example.org"
    );

    // An address another account has is refused at once.
    let other = app.company().await;
    let taken = app
        .patch(
            "/api/v1/me",
            Some(&user.token),
            &json!({ "email": other.email }),
        )
        .await;
    let problem =
        expect_problem(taken, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"]["email"][0]["code"], "email_taken");
}

#[tokio::test]
async fn an_invitation_by_email_joins_the_organization_once() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let owner = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}/invitations", owner.org_id);

    let invited = app
        .post(
            &path,
            Some(&owner.token),
            &json!({ "email": "newcomer@example.org", "role": "owner" }),
        )
        .await;
    expect_json(invited, StatusCode::ACCEPTED).await;
    let mail = mail_to(&smtp, "invitation", "newcomer@example.org").await;
    assert!(
        mail.part("text/plain").contains("Food Bank"),
        "{}",
        mail.part("text/plain")
    );
    let secret = token(&mail, "/invitations");

    // Signed out, the page offers to sign in and come back.
    let page = app
        .client
        .get(app.url(&format!("/invitations?token={secret}")))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Join Food Bank") && page.contains("Sign in to accept"),
        "{page}"
    );

    // The newcomer signs up, then accepts.
    let signup = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({ "email": "newcomer@example.org", "password": PASSWORD, "display_name": "Newcomer" }),
        )
        .await;
    let newcomer = expect_json(signup, StatusCode::CREATED).await;
    let newcomer_token = newcomer["token"].as_str().unwrap();
    let accepted = app
        .post(
            "/api/v1/invitations/accept",
            Some(newcomer_token),
            &json!({ "token": secret }),
        )
        .await;
    assert_eq!(
        expect_json(accepted, StatusCode::OK).await["id"],
        owner.org_id
    );
    let me = expect_json(
        app.get("/api/v1/me", Some(newcomer_token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["memberships"][0]["role"], "owner");
    assert_eq!(me["memberships"][0]["organization"]["id"], owner.org_id);

    // Spent; and only owners invite.
    let again = app
        .post(
            "/api/v1/invitations/accept",
            Some(&owner.token),
            &json!({ "token": secret }),
        )
        .await;
    expect_problem(again, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let stranger = app.company().await;
    let refused = app
        .post(
            &path,
            Some(&stranger.token),
            &json!({ "email": "x@example.org" }),
        )
        .await;
    expect_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn owners_invite_and_change_roles_from_the_members_page() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = format!("passerelle_session={}", owner.token);
    let page = client
        .get(app.url(&format!("/my/members?org={}", owner.org_id)))
        .header("cookie", &cookie)
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Membres de Food Bank") && html.contains("Inviter quelqu’un"),
        "{html}"
    );
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let org = owner.org_id.to_string();
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        client
            .post(app.url(path))
            .header("cookie", &cookie)
            .header("accept-language", "fr")
            .form(&fields)
            .send()
    };
    // A malformed address comes back with its message in French.
    let refused = post(
        "/my/members/invite",
        vec![
            ("csrf", csrf.clone()),
            ("org", org.clone()),
            ("email", "pas-une-adresse".into()),
            ("role", "member".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("id=\"email-error\""));
    let sent = post(
        "/my/members/invite",
        vec![
            ("csrf", csrf.clone()),
            ("org", org.clone()),
            ("email", "helper@example.org".into()),
            ("role", "member".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.emails("invitation").await, 1);

    // The last owner cannot step down from the page either; the message says why.
    let step_down = post(
        "/my/members/change",
        vec![
            ("csrf", csrf.clone()),
            ("org", org.clone()),
            ("user", owner.user_id.to_string()),
            ("action", "member".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(step_down.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn nobody_can_flood_an_inbox_with_resets_or_invitations() {
    let smtp = SmtpServer::start().await;
    let app = app_with_smtp(&smtp).await;
    let user = app.nonprofit().await;
    let reset = json!({ "email": user.email });
    for _ in 0..5 {
        let asked = app.post("/api/v1/auth/password-reset", None, &reset).await;
        expect_json(asked, StatusCode::ACCEPTED).await;
    }
    let refused = app.post("/api/v1/auth/password-reset", None, &reset).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests", "{body}");
    // An unknown address counts the same, so the answer tells nothing about accounts.
    for _ in 0..5 {
        let asked = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                &json!({ "email": "ghost@example.org" }),
            )
            .await;
        expect_json(asked, StatusCode::ACCEPTED).await;
    }
    let ghost = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({ "email": "ghost@example.org" }),
        )
        .await;
    assert_eq!(ghost.status(), StatusCode::TOO_MANY_REQUESTS);
    // Five reset emails reached the account, not six.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let resets = smtp.wait_for("password_reset", 6, 2).await;
    assert_eq!(resets.len(), 5, "{} reset emails", resets.len());

    // Invitations to one address are capped the same way, whoever sends them.
    let path = format!("/api/v1/organizations/{}/invitations", user.org_id);
    let invitation = json!({ "email": "target@example.org", "role": "member" });
    for _ in 0..5 {
        let sent = app.post(&path, Some(&user.token), &invitation).await;
        expect_json(sent, StatusCode::ACCEPTED).await;
    }
    let refused = app.post(&path, Some(&user.token), &invitation).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
}
