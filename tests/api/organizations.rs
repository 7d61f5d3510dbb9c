//! Organization profiles: public reads, edits by members only, verification by administrators.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn profiles_are_public_but_contacts_are_not() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}", owner.org_id);
    let public = expect_json(app.get(&path, None).await, StatusCode::OK).await;
    assert_eq!(public["name"], "Food Bank");
    assert!(public.get("contact_email").is_none(), "{public}");
    let own = expect_json(app.get(&path, Some(&owner.token)).await, StatusCode::OK).await;
    assert_eq!(own["contact_email"], owner.email.as_str());
    let other = app.company().await;
    let seen = expect_json(app.get(&path, Some(&other.token)).await, StatusCode::OK).await;
    assert!(seen.get("contact_email").is_none());

    let list = expect_json(
        app.get("/api/v1/organizations?kind=company", None).await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Tech Company"]);
}

#[tokio::test]
async fn members_edit_their_profile_with_the_version_they_read() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}", owner.org_id);
    let edited = expect_json(
        app.patch(
            &path,
            Some(&owner.token),
            &json!({ "version": 1, "city": "Montréal", "website": "foodbank.example.org" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["city"], "Montréal");
    assert_eq!(edited["website"], "https://foodbank.example.org/");

    let stale = app
        .patch(
            &path,
            Some(&owner.token),
            &json!({ "version": 1, "city": "Laval" }),
        )
        .await;
    expect_problem(stale, StatusCode::CONFLICT, "version_conflict").await;
    let cleared = expect_json(
        app.patch(
            &path,
            Some(&owner.token),
            &json!({ "version": 2, "city": null }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cleared["city"], serde_json::Value::Null);
    assert_eq!(
        app.journal().await,
        [
            "organization.create",
            "user.register",
            "organization.update",
            "organization.update"
        ],
        "one journal entry per write"
    );
}

#[tokio::test]
async fn another_organization_cannot_edit_a_profile() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let intruder = app.company().await;
    let path = format!("/api/v1/organizations/{}", owner.org_id);
    let before = expect_json(app.get(&path, None).await, StatusCode::OK).await;
    let response = app
        .patch(
            &path,
            Some(&intruder.token),
            &json!({ "version": 1, "name": "Hacked" }),
        )
        .await;
    expect_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = app
        .patch(&path, None, &json!({ "version": 1, "name": "Hacked" }))
        .await;
    expect_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let after = expect_json(app.get(&path, None).await, StatusCode::OK).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn bad_profile_edits_name_the_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}", owner.org_id);
    let cases = [
        (json!({ "version": 1, "province": "XX" }), "province"),
        (
            json!({ "version": 1, "charity_number": "123456789RR000" }),
            "charity_number",
        ),
        (json!({ "version": 1, "languages": ["de"] }), "languages"),
        (
            json!({ "version": 1, "contact_email": "nobody" }),
            "contact_email",
        ),
        (
            json!({ "version": 1, "verification": "verified" }),
            "verification",
        ),
        (json!({ "name": "No version" }), "version"),
    ];
    for (body, field) in cases {
        let problem = expect_problem(
            app.patch(&path, Some(&owner.token), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{problem}");
    }
    let org = expect_json(app.get(&path, None).await, StatusCode::OK).await;
    assert_eq!(org["version"], 1);
}

#[tokio::test]
async fn administrators_verify_organizations_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}/verification", owner.org_id);
    let own = app
        .post(
            &path,
            Some(&owner.token),
            &json!({ "decision": "verified" }),
        )
        .await;
    expect_problem(own, StatusCode::FORBIDDEN, "forbidden").await;
    let pending = expect_json(
        app.get("/api/v1/organizations?verification=pending", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending["items"].as_array().unwrap().len(), 1);

    let admin = app.admin().await;
    let verified = expect_json(
        app.post(
            &path,
            Some(&admin),
            &json!({ "decision": "verified", "note": "CRA listing checked" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(verified["verified"], true);
    let pending = expect_json(
        app.get("/api/v1/organizations?verification=pending", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending["items"].as_array().unwrap().len(), 0);

    // Changing the charity number of a verified organization sends it back for review.
    let charity = app
        .patch(
            &format!("/api/v1/organizations/{}", owner.org_id),
            Some(&owner.token),
            &json!({ "version": verified["version"], "charity_number": "000000000RR0001" }),
        )
        .await;
    let charity = expect_json(charity, StatusCode::OK).await;
    assert_eq!(charity["verification"], "pending");
}

#[tokio::test]
async fn organization_lists_paginate() {
    let app = TestApp::spawn().await;
    for n in 0..5 {
        app.register_org(&format!("Org {n}"), "charity", "NS").await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/organizations?limit=2".to_owned();
    loop {
        let page = expect_json(app.get(&path, None).await, StatusCode::OK).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/organizations?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats: {seen:?}"
    );
    expect_problem(
        app.get("/api/v1/organizations?limit=500", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    )
    .await;
    expect_problem(
        app.get("/api/v1/organizations?cursor=bogus", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    )
    .await;
    expect_problem(
        app.get("/api/v1/organizations?kind=alien", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_parameter",
    )
    .await;
}

#[tokio::test]
async fn owners_add_colleagues_who_then_act_for_the_organization() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    // A colleague signs up without creating an organization.
    let colleague = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({ "email": "colleague@example.org", "password": PASSWORD, "display_name": "Colleague" }),
        )
        .await;
    let colleague = expect_json(colleague, StatusCode::CREATED).await;
    assert!(colleague["organization"].is_null());
    let colleague_token = colleague["token"].as_str().unwrap();
    let colleague_id = colleague["user"]["id"].as_i64().unwrap();
    let members_path = format!("/api/v1/organizations/{}/members", owner.org_id);

    // Not yet a member: cannot publish for the organization nor see its members.
    let refused = app
        .post("/api/v1/needs", Some(colleague_token), &need_body())
        .await;
    expect_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.get(&members_path, Some(colleague_token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let added = app
        .post(
            &members_path,
            Some(&owner.token),
            &json!({ "email": "Colleague@example.org" }),
        )
        .await;
    let added = expect_json(added, StatusCode::CREATED).await;
    assert_eq!(added["role"], "member");
    let again = app
        .post(
            &members_path,
            Some(&owner.token),
            &json!({ "email": "colleague@example.org" }),
        )
        .await;
    expect_problem(again, StatusCode::CONFLICT, "already_member").await;
    let nobody = app
        .post(
            &members_path,
            Some(&owner.token),
            &json!({ "email": "nobody@example.org" }),
        )
        .await;
    let nobody = expect_problem(
        nobody,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&nobody), ["email"]);

    let need = app
        .post("/api/v1/needs", Some(colleague_token), &need_body())
        .await;
    assert_eq!(
        expect_json(need, StatusCode::CREATED).await["organization_id"],
        owner.org_id
    );
    let members = expect_json(
        app.get(&members_path, Some(colleague_token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(members.as_array().unwrap().len(), 2);

    // A member cannot add or remove others; an owner cannot leave as the last owner.
    let by_member = app
        .post(
            &members_path,
            Some(colleague_token),
            &json!({ "email": owner.email }),
        )
        .await;
    expect_problem(by_member, StatusCode::FORBIDDEN, "forbidden").await;
    let owner_path = format!("{members_path}/{}", owner.user_id);
    expect_problem(
        app.delete(&owner_path, Some(colleague_token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.delete(&owner_path, Some(&owner.token)).await,
        StatusCode::CONFLICT,
        "last_owner",
    )
    .await;

    let colleague_path = format!("{members_path}/{colleague_id}");
    assert_eq!(
        app.delete(&colleague_path, Some(&owner.token))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    expect_problem(
        app.get(&members_path, Some(colleague_token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn another_organization_cannot_manage_members() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let intruder = app.company().await;
    let members_path = format!("/api/v1/organizations/{}/members", owner.org_id);
    let add = app
        .post(
            &members_path,
            Some(&intruder.token),
            &json!({ "email": intruder.email, "role": "owner" }),
        )
        .await;
    expect_problem(add, StatusCode::FORBIDDEN, "forbidden").await;
    let remove = app
        .delete(
            &format!("{members_path}/{}", owner.user_id),
            Some(&intruder.token),
        )
        .await;
    expect_problem(remove, StatusCode::FORBIDDEN, "forbidden").await;
    let members = expect_json(
        app.get(&members_path, Some(&owner.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(members.as_array().unwrap().len(), 1);
    assert_eq!(members[0]["user_id"], owner.user_id);
}

#[tokio::test]
async fn a_rejected_organization_cannot_publish_and_its_postings_leave_public_lists() {
    let app = TestApp::spawn().await;
    let owner = app.company().await;
    let offer = app.create_posting(&owner, "offers", offer_body()).await;
    let admin = app.admin().await;
    let path = format!("/api/v1/organizations/{}/verification", owner.org_id);
    let rejected = app
        .post(
            &path,
            Some(&admin),
            &json!({ "decision": "rejected", "note": "not a real company" }),
        )
        .await;
    assert_eq!(
        expect_json(rejected, StatusCode::OK).await["verification"],
        "rejected"
    );

    let offer_path = format!("/api/v1/offers/{}", offer["id"]);
    expect_problem(
        app.get(&offer_path, None).await,
        StatusCode::NOT_FOUND,
        "posting_not_found",
    )
    .await;
    let public = expect_json(app.get("/api/v1/offers", None).await, StatusCode::OK).await;
    assert_eq!(public["items"].as_array().unwrap().len(), 0);
    // The organization itself still sees its postings, and learns why it cannot publish.
    expect_json(
        app.get(&offer_path, Some(&owner.token)).await,
        StatusCode::OK,
    )
    .await;
    let refused = app
        .post("/api/v1/offers", Some(&owner.token), &offer_body())
        .await;
    let problem = expect_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("rejected"),
        "{problem}"
    );
}

#[tokio::test]
async fn member_ids_in_the_path_start_at_one() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    for path in [
        format!("/api/v1/organizations/0/members/{}", owner.user_id),
        format!("/api/v1/organizations/{}/members/0", owner.org_id),
        format!("/api/v1/organizations/{}/members/-1", owner.org_id),
    ] {
        let response = app.delete(&path, Some(&owner.token)).await;
        expect_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
}

#[tokio::test]
async fn a_city_is_checked_as_typed_at_sign_up_as_in_edits() {
    let app = TestApp::spawn().await;
    let sign_up = json!({
        "email": "ana@example.org", "password": PASSWORD, "display_name": "Ana",
        "organization": { "name": "Food Bank", "kind": "nonprofit", "province": "QC",
                          "city": "Montréal\u{b}" }
    });
    let problem = expect_problem(
        app.post("/api/v1/auth/register", None, &sign_up).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["organization.city"]);
    let owner = app.nonprofit().await;
    let path = format!("/api/v1/organizations/{}", owner.org_id);
    let edit = json!({ "version": 1, "city": "Montréal\u{b}" });
    let problem = expect_problem(
        app.patch(&path, Some(&owner.token), &edit).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["city"]);
    app.edit_profile(&owner, json!({ "city": " Montréal " }))
        .await;
}
