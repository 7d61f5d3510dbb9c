//! The domain's rules called directly, without HTTP: what holds here holds for the API, the pages,
//! the CLI and the background jobs alike. (HTTP only sets up the data.)

use passerelle::domain::accounts::Viewer;
use passerelle::domain::organizations::{self, VerificationRequest};
use passerelle::domain::partnerships::{self, Proposal, ProposalRules, StepKind};
use passerelle::domain::postings;
use passerelle::domain::taxonomy::Taxonomy;
use passerelle::error::{AppError, ErrorCode};
use serde_json::json;

use crate::helpers::*;

const RULES: ProposalRules = ProposalRules {
    max_pending: 5,
    expiry_days: 14,
};

fn proposal(need_id: i64, offer_id: i64) -> Proposal {
    Proposal {
        need_id,
        offer_id,
        message: "We would like to work with you.".into(),
        units: None,
        score: None,
        reasons: None,
    }
}

/// The fields a validation error names.
fn fields(err: &AppError) -> Vec<String> {
    match err {
        AppError::Validation(errors) => errors.fields().map(|(f, _)| f.to_owned()).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn propose_refuses_a_pair_the_offer_is_not_open_to() {
    let app = TestApp::spawn().await;
    let taxonomy = Taxonomy::builtin().unwrap();
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    // For registered charities only; the nonprofit has no charity number.
    let offer_json = merge(
        offer_body(),
        json!({ "eligibility": { "requires_charity_number": true } }),
    );
    let offer = app.create_posting(&company, "offers", offer_json).await;
    let (need_id, offer_id) = (need["id"].as_i64().unwrap(), offer["id"].as_i64().unwrap());

    let refused = partnerships::propose(
        &app.db,
        nonprofit.user_id,
        proposal(need_id, offer_id),
        RULES,
        &taxonomy,
    )
    .await
    .unwrap_err();
    assert_eq!(fields(&refused), ["offer_id"]);
    assert_eq!(app.count("partnership").await, 0, "nothing written");

    // The same pair once the offer admits it.
    app.patch(
        &format!("/api/v1/offers/{offer_id}"),
        Some(&company.token),
        &json!({ "version": 1, "eligibility": null }),
    )
    .await;
    let created = partnerships::propose(
        &app.db,
        nonprofit.user_id,
        proposal(need_id, offer_id),
        RULES,
        &taxonomy,
    )
    .await
    .unwrap();
    assert_eq!(created.proposer_org_id, nonprofit.org_id);
}

#[tokio::test]
async fn only_an_administrator_verifies_whatever_the_caller_checked() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let decision = || VerificationRequest {
        decision: entity::Verification::Verified,
        note: None,
        reason_code: None,
    };
    let refused = organizations::set_verification(
        &app.db,
        Some(company.user_id),
        nonprofit.org_id,
        decision(),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    let org = organizations::get(&app.db, nonprofit.org_id).await.unwrap();
    assert_eq!(org.verification, entity::Verification::Pending);

    let email = passerelle::domain::types::Email::parse("admin@example.org").unwrap();
    let password = passerelle::domain::types::Password::parse(PASSWORD, &[]).unwrap();
    passerelle::domain::accounts::make_admin(&app.db, &email, "Admin", Some(&password))
        .await
        .unwrap();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let admin = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Email.eq(email.as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let verified =
        organizations::set_verification(&app.db, Some(admin.id), nonprofit.org_id, decision())
            .await
            .unwrap();
    assert_eq!(verified.verification, entity::Verification::Verified);
}

#[tokio::test]
async fn contact_details_show_to_members_and_administrators_only() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let member = Viewer {
        user_id: Some(nonprofit.user_id),
        org_ids: vec![nonprofit.org_id],
        is_admin: false,
    };
    let other = Viewer {
        user_id: Some(company.user_id),
        org_ids: vec![company.org_id],
        is_admin: false,
    };
    let admin = Viewer {
        user_id: Some(company.user_id),
        org_ids: vec![],
        is_admin: true,
    };
    assert!(organizations::shows_contact(&member, nonprofit.org_id));
    assert!(!organizations::shows_contact(&other, nonprofit.org_id));
    assert!(!organizations::shows_contact(
        &Viewer::default(),
        nonprofit.org_id
    ));
    assert!(organizations::shows_contact(&admin, nonprofit.org_id));
}

#[tokio::test]
async fn each_side_is_offered_the_steps_it_may_take() {
    let app = TestApp::spawn().await;
    let taxonomy = Taxonomy::builtin().unwrap();
    let nonprofit = app.nonprofit().await;
    let company = app.company().await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let created = partnerships::propose(
        &app.db,
        nonprofit.user_id,
        proposal(need["id"].as_i64().unwrap(), offer["id"].as_i64().unwrap()),
        RULES,
        &taxonomy,
    )
    .await
    .unwrap();
    let steps = |org_id: i64| {
        let created = created.clone();
        let db = app.db.clone();
        async move {
            partnerships::describe(&db, &[org_id], vec![created])
                .await
                .unwrap()
                .pop()
                .unwrap()
                .steps(passerelle::domain::now())
        }
    };
    assert_eq!(steps(nonprofit.org_id).await, [StepKind::Withdraw]);
    assert_eq!(
        steps(company.org_id).await,
        [StepKind::Accept, StepKind::Decline]
    );
    // A step the view does not offer is one the domain refuses.
    let refused = partnerships::transition(
        &app.db,
        nonprofit.user_id,
        created.id,
        partnerships::Step::Accept { note: None },
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_member_of_several_organizations_says_which_one_publishes() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    assert_eq!(
        postings::publisher(&app.db, nonprofit.user_id, None)
            .await
            .unwrap(),
        nonprofit.org_id
    );
    let company = app.company().await;
    passerelle::domain::accounts::add_member(
        &app.db,
        nonprofit.user_id,
        company.org_id,
        entity::Role::Member,
    )
    .await
    .unwrap();
    let refused = postings::publisher(&app.db, nonprofit.user_id, None)
        .await
        .unwrap_err();
    assert_eq!(fields(&refused), ["organization_id"]);
}

#[tokio::test]
async fn sign_in_failures_count_within_a_sliding_window() {
    use passerelle::domain::rate_limits::RateLimits;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let app = TestApp::spawn().await;
    let limits = RateLimits::new(&app.config);
    let address: std::net::IpAddr = "192.0.2.7".parse().unwrap();
    // Keys are stored as the SHA-256 of the lowercased email.
    let key = {
        use sha2::{Digest, Sha256};
        Sha256::digest(b"ana@example.org")
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    };
    let failed_at = |minutes_ago: i64| entity::rate_event::ActiveModel {
        bucket: Set("login_account".into()),
        key: Set(key.clone()),
        created_at: Set(passerelle::domain::now() - chrono::Duration::minutes(minutes_ago)),
        ..Default::default()
    };
    // Four failures in the last 15 minutes, one older: under the limit of five.
    let inserted = std::time::Instant::now();
    let rows = [16, 14, 10, 5, 1].map(failed_at);
    entity::rate_event::Entity::insert_many(rows)
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    limits
        .check_login(&app.db, address, "Ana@Example.org")
        .await
        .unwrap();
    limits
        .login_failed(&app.db, address, "ana@example.org")
        .await
        .unwrap();
    // Five in the window: refused until the oldest of them (14 minutes ago) leaves it.
    let refused = limits
        .check_login(&app.db, address, "ana@example.org")
        .await
        .unwrap_err();
    let AppError::RateLimited { retry_after } = refused else {
        panic!("{refused:?}")
    };
    // The oldest failure in the window was 14 minutes old when written: it leaves in a minute,
    // less the time the test took since.
    let since = inserted.elapsed();
    assert!(
        retry_after <= std::time::Duration::from_secs(60)
            && retry_after + since + std::time::Duration::from_secs(2)
                >= std::time::Duration::from_secs(60),
        "{retry_after:?} after {since:?}"
    );
    // A success clears the account's failures.
    limits
        .login_succeeded(&app.db, "ana@example.org")
        .await
        .unwrap();
    limits
        .check_login(&app.db, address, "ana@example.org")
        .await
        .unwrap();
}
