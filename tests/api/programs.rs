//! Programs: a foundation leads, a bank and a college give components; nonprofits apply; the
//! team runs the allocation (exact, explained, with exclusions), confirms it, and each selection
//! becomes a proposal the organization answers; a decline goes to the next on the waitlist.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn program_body(lead: &Account, bank: &Account, college: &Account) -> Value {
    let now = chrono::Utc::now();
    json!({
        "lead_org_id": lead.org_id,
        "title": "Digital capacity for community groups",
        "description": "Laptops, training and a small grant for community organizations.",
        "language": "en",
        "translation": {
            "title": "Capacité numérique des groupes communautaires",
            "description": "Des portables, de la formation et une petite subvention pour les organismes communautaires."
        },
        "opens_at": (now - chrono::Duration::days(1)).to_rfc3339(),
        "closes_at": (now + chrono::Duration::days(30)).to_rfc3339(),
        "priority_groups": [
            { "code": "rural", "name": "Rural organizations", "weight": 0.3 }
        ],
        "questions": ["What will the support change for the people you serve?"],
        "milestones": [{ "title": "Information session", "on": "2027-01-15" }],
        "partners": [
            { "organization_id": bank.org_id, "role": "equipment", "cap": 10 },
            { "organization_id": college.org_id, "role": "training" }
        ],
        "components": [
            { "partner_org_id": bank.org_id, "title": "Refurbished laptops", "category": "hardware",
              "unit": "items", "capacity": 4, "per_org_max": 3 },
            { "partner_org_id": college.org_id, "title": "Staff digital skills training",
              "category": "digital_skills_training", "unit": "seats", "capacity": 3, "per_org_max": 2 },
            { "partner_org_id": lead.org_id, "title": "$2,000 technology grant",
              "category": "tech_funding", "capacity": 1, "value_cad": 2000 }
        ]
    })
}

fn application(requests: Value, groups: Value) -> Value {
    json!({
        "requests": requests,
        "groups": groups,
        "answers": ["Our volunteers could finally keep client records safely."]
    })
}

fn decision(run: &Value, application_id: i64) -> &Value {
    run["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["application_id"] == application_id)
        .unwrap()
}

fn line(decision: &Value, component_id: i64) -> &Value {
    decision["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["component_id"] == component_id)
        .unwrap()
}

#[tokio::test]
async fn a_program_allocates_its_components_explains_and_proposes() {
    let app = TestApp::spawn().await;
    let lead = app
        .register_org("Trillium Community Fund", "foundation", "ON")
        .await;
    let bank = app.register_org("Northern Bank", "company", "ON").await;
    let college = app
        .register_org("Lakeshore College", "academic", "ON")
        .await;
    let applicants = [
        app.register_org("Rural Food Hub", "nonprofit", "ON").await,
        app.register_org("City Youth Centre", "nonprofit", "ON")
            .await,
        app.register_org("Seniors Connect", "charity", "ON").await,
    ];
    for account in [&lead, &bank, &college]
        .into_iter()
        .chain(applicants.iter())
    {
        app.verify(account.org_id).await;
    }

    // Bad input names its fields and writes nothing.
    let mut bad = program_body(&lead, &bank, &college);
    bad["closes_at"] = json!("2020-01-01T00:00:00Z");
    bad["components"][0]["capacity"] = json!(0);
    bad["components"][1]["partner_org_id"] = json!(applicants[0].org_id);
    let problem = expect_problem(
        app.post("/api/v1/programs", Some(&lead.token), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        [
            "closes_at",
            "components[0].capacity",
            "components[1].partner_org_id"
        ],
        "{problem}"
    );
    assert_eq!(app.count("program").await, 0);

    let program = expect_json(
        app.post(
            "/api/v1/programs",
            Some(&lead.token),
            &program_body(&lead, &bank, &college),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = program["id"].as_i64().unwrap();
    assert_eq!(program["state"], "open");
    assert_eq!(
        program["partners"][0]["organization"]["name"],
        "Northern Bank"
    );
    let component = |i: usize| program["components"][i]["id"].as_i64().unwrap();
    let (laptops, training, grant) = (component(0), component(1), component(2));

    // An application naming a component of no program is refused beside the field.
    let problem = expect_problem(
        app.post(
            &format!("/api/v1/programs/{id}/applications"),
            Some(&applicants[0].token),
            &application(json!([{ "component_id": 999_999, "units": 1 }]), json!([])),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["requests[0].component_id"]);

    let asks = [
        (
            json!([{ "component_id": laptops, "units": 3 }, { "component_id": training, "units": 2 }]),
            json!(["rural"]),
        ),
        (json!([{ "component_id": laptops, "units": 3 }]), json!([])),
        (
            json!([{ "component_id": training, "units": 2 }, { "component_id": grant, "units": 1 }]),
            json!([]),
        ),
    ];
    let mut application_ids = Vec::new();
    for (account, (requests, groups)) in applicants.iter().zip(asks) {
        let created = expect_json(
            app.post(
                &format!("/api/v1/programs/{id}/applications"),
                Some(&account.token),
                &application(requests, groups),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(created["status"], "submitted");
        application_ids.push(created["id"].as_i64().unwrap());
    }
    // An applicant sees its own application; the team sees all.
    let own = expect_json(
        app.get(
            &format!("/api/v1/programs/{id}/applications"),
            Some(&applicants[1].token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    let all = expect_json(
        app.get(
            &format!("/api/v1/programs/{id}/applications"),
            Some(&bank.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);

    // Only the team runs the allocation.
    expect_problem(
        app.post(
            &format!("/api/v1/programs/{id}/allocations"),
            Some(&applicants[0].token),
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let run = expect_json(
        app.post(
            &format!("/api/v1/programs/{id}/allocations"),
            Some(&bank.token),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // Six laptops asked, four to give: every limit kept, the rest waitlisted in order.
    let given = |component: i64| -> i64 {
        run["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["lines"].as_array().unwrap())
            .filter(|l| l["component_id"] == component)
            .map(|l| l["given"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(given(laptops), 4, "{run}");
    assert_eq!(given(training), 3, "{run}");
    assert_eq!(given(grant), 1, "{run}");
    let waitlist = run["waitlists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["component_id"] == laptops)
        .expect("laptops have a waitlist");
    let first_waiting = waitlist["application_ids"][0].as_i64().unwrap();
    let waiting_line = line(decision(&run, first_waiting), laptops);
    assert_eq!(waiting_line["shortfall"], "component_full", "{run}");
    assert_eq!(waiting_line["waitlist_position"], 1);
    // The rural applicant's priority counts: it is served laptops before the other.
    let rural = decision(&run, application_ids[0]);
    assert_eq!(rural["groups"], json!(["Rural organizations"]));
    assert!(
        line(rural, laptops)["given"].as_i64().unwrap()
            >= line(decision(&run, application_ids[1]), laptops)["given"]
                .as_i64()
                .unwrap(),
        "{run}"
    );

    // Excluding a request re-runs without it, and says so.
    let rerun = expect_json(
        app.post(
            &format!("/api/v1/programs/{id}/allocations"),
            Some(&lead.token),
            &json!({ "exclusions": [{ "application_id": application_ids[0], "component_id": laptops }] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let excluded = line(decision(&rerun, application_ids[0]), laptops);
    assert_eq!(
        (excluded["given"].as_i64(), excluded["shortfall"].as_str()),
        (Some(0), Some("excluded"))
    );

    // Confirming the first run proposes each selection; the applicants are told.
    let confirmed = expect_json(
        app.post(
            &format!("/api/v1/allocations/{}/confirmation", run["id"]),
            Some(&lead.token),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let selections = run["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["lines"].as_array().unwrap())
        .filter(|l| l["given"].as_i64().unwrap() > 0)
        .count();
    assert_eq!(
        confirmed["partnership_ids"].as_array().unwrap().len(),
        selections
    );
    expect_problem(
        app.post(
            &format!("/api/v1/allocations/{}/confirmation", rerun["id"]),
            Some(&lead.token),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "allocation_confirmed",
    )
    .await;
    let kinds: Vec<String> = app
        .notices(&applicants[2].token)
        .await
        .into_iter()
        .map(|(kind, _)| kind)
        .collect();
    assert!(
        kinds.contains(&"application_decided".to_owned()),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"proposal_received".to_owned()), "{kinds:?}");
    let page = expect_json(
        app.get(&format!("/api/v1/programs/{id}"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["components"][0]["offered"], 4, "{page}");
    assert_eq!(page["members"].as_array().unwrap().len(), 3, "{page}");

    // The pages: the list and the program in both languages; an applicant reads its decision.
    let html = |path: String, token: Option<String>, language: &'static str| {
        let app = &app;
        async move {
            let mut request = app
                .client
                .get(app.url(&path))
                .header("accept-language", language);
            if let Some(token) = token {
                request = request.header("cookie", format!("passerelle_session={token}"));
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.text().await.unwrap()
        }
    };
    let list = html("/programs".into(), None, "en").await;
    assert!(
        list.contains("Digital capacity for community groups"),
        "{list}"
    );
    assert!(
        list.contains("Call open") && list.contains("3 components"),
        "{list}"
    );
    let english = html(format!("/programs/{id}"), None, "en").await;
    for expected in [
        "Northern Bank",
        "Equipment",
        "Refurbished laptops",
        "at most 3 per organization",
        "Information session",
        "Rural Food Hub",
    ] {
        assert!(english.contains(expected), "{expected}: {english}");
    }
    let french = html(
        format!("/programs/{id}"),
        Some(applicants[2].token.clone()),
        "fr",
    )
    .await;
    assert!(
        french.contains("Candidature de Seniors Connect : Retenue")
            || french.contains("Candidature de Seniors Connect: Retenue"),
        "{french}"
    );
    assert!(french.contains("sur 2 demandés"), "{french}");
    // Each reads the program in its language.
    assert!(
        french.contains("<h1>Capacité numérique des groupes communautaires</h1>"),
        "{french}"
    );
    assert!(english.contains("<h1>Digital capacity for community groups</h1>"));

    // A selected organization declines its laptops: the first on the waitlist is proposed them.
    let declining = applicants
        .iter()
        .zip(&application_ids)
        .find(|(_, app_id)| {
            **app_id != first_waiting
                && line(decision(&run, **app_id), laptops)["given"]
                    .as_i64()
                    .is_some_and(|g| g > 0)
        })
        .map(|(account, _)| account)
        .unwrap();
    let theirs = expect_json(
        app.get("/api/v1/partnerships", Some(&declining.token))
            .await,
        StatusCode::OK,
    )
    .await;
    let laptop_partnership = theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["component_id"] == laptops)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    expect_json(
        app.post(
            &format!("/api/v1/partnerships/{laptop_partnership}/decline"),
            Some(&declining.token),
            &json!({ "reason_code": "no_capacity" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let waiting_org = applicants
        .iter()
        .zip(&application_ids)
        .find(|(_, app_id)| **app_id == first_waiting)
        .map(|(account, _)| account)
        .unwrap();
    let offered = expect_json(
        app.get("/api/v1/partnerships", Some(&waiting_org.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        offered["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["component_id"] == laptops && p["status"] == "proposed"),
        "{offered}"
    );
}

/// The team sees the best-fitting eligible organizations that have not applied and invites one
/// (its members are told, once); the call takes no application after the allocation is
/// confirmed; the milestones come as an iCalendar feed; the cohort's outcome reports roll up.
#[tokio::test]
async fn the_team_invites_and_the_cohort_reports_its_outcomes() {
    let app = TestApp::spawn().await;
    let lead = app
        .register_org("Trillium Community Fund", "foundation", "ON")
        .await;
    let bank = app.register_org("Northern Bank", "company", "ON").await;
    let college = app
        .register_org("Lakeshore College", "academic", "ON")
        .await;
    let applicant = app.register_org("Rural Food Hub", "nonprofit", "ON").await;
    let invitee = app
        .register_org("Homework Club of Sudbury", "nonprofit", "ON")
        .await;
    for account in [&lead, &bank, &college, &applicant, &invitee] {
        app.verify(account.org_id).await;
    }
    let need = app
        .create_posting(
            &invitee,
            "needs",
            merge(need_body(), json!({ "province": "ON", "status": "open" })),
        )
        .await;
    // The cohort reports how many working computers it has; an unknown indicator is refused.
    let refused = expect_problem(
        app.post(
            "/api/v1/programs",
            Some(&lead.token),
            &merge(
                program_body(&lead, &bank, &college),
                json!({ "indicators": ["devices_in_service", "smiles"] }),
            ),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&refused), ["indicators[1]"]);
    let program = expect_json(
        app.post(
            "/api/v1/programs",
            Some(&lead.token),
            &merge(
                program_body(&lead, &bank, &college),
                json!({ "indicators": ["devices_in_service"] }),
            ),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(program["indicators"], json!(["devices_in_service"]));
    let id = program["id"].as_i64().unwrap();
    let laptops = program["components"][0]["id"].as_i64().unwrap();
    let submitted = expect_json(
        app.post(
            &format!("/api/v1/programs/{id}/applications"),
            Some(&applicant.token),
            &application(json!([{ "component_id": laptops, "units": 2 }]), json!([])),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    app.searchable().await;

    // The homework club's laptop need fits; the applicant and the team are not candidates.
    expect_problem(
        app.get(
            &format!("/api/v1/programs/{id}/candidates"),
            Some(&applicant.token),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let candidates = expect_json(
        app.get(
            &format!("/api/v1/programs/{id}/candidates"),
            Some(&college.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let items = candidates["items"].as_array().unwrap();
    let ids: Vec<i64> = items
        .iter()
        .map(|c| c["organization"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [invitee.org_id], "{candidates}");
    assert_eq!(items[0]["need_id"], need["id"]);
    assert_eq!(items[0]["component_id"], laptops);
    assert!(items[0]["fit"].as_f64().unwrap() > 0.3, "{candidates}");
    assert!(items[0]["invited_at"].is_null());

    let invited = expect_json(
        app.post(
            &format!("/api/v1/programs/{id}/invitations"),
            Some(&lead.token),
            &json!({ "organization_id": invitee.org_id }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(invited["organization_id"], invitee.org_id);
    let told: Vec<(String, String)> = app.notices(&invitee.token).await;
    assert!(
        told.iter().any(|(kind, _)| kind == "program_invitation"),
        "{told:?}"
    );
    expect_problem(
        app.post(
            &format!("/api/v1/programs/{id}/invitations"),
            Some(&bank.token),
            &json!({ "organization_id": invitee.org_id }),
        )
        .await,
        StatusCode::CONFLICT,
        "already_invited",
    )
    .await;
    let problem = expect_problem(
        app.post(
            &format!("/api/v1/programs/{id}/invitations"),
            Some(&lead.token),
            &json!({ "organization_id": applicant.org_id }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem["errors"]["organization_id"][0]["code"], "already_applied",
        "{problem}"
    );
    assert_eq!(app.count("program_invitation").await, 1);
    let again = expect_json(
        app.get(
            &format!("/api/v1/programs/{id}/candidates"),
            Some(&lead.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(again["items"][0]["invited_at"].is_string(), "{again}");

    // The milestones and the call as all-day events.
    let feed = app.get(&format!("/programs/{id}/calendar.ics"), None).await;
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    // Long lines are folded (RFC 5545 §3.1); read them unfolded.
    let feed = feed.text().await.unwrap().replace("\r\n ", "");
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3, "{feed}");
    assert!(
        feed.contains("DTSTART;VALUE=DATE:20270115\r\nDTEND;VALUE=DATE:20270116")
            || (feed.contains("DTSTART;VALUE=DATE:20270115")
                && feed.contains("DTEND;VALUE=DATE:20270116")),
        "{feed}"
    );
    assert!(
        feed.contains("SUMMARY:Information session — Digital capacity for community groups"),
        "{feed}"
    );

    // Confirmed: the call takes no more applications.
    let run = expect_json(
        app.post(
            &format!("/api/v1/programs/{id}/allocations"),
            Some(&lead.token),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let confirmed = expect_json(
        app.post(
            &format!("/api/v1/allocations/{}/confirmation", run["id"]),
            Some(&lead.token),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/programs/{id}/applications"),
            Some(&invitee.token),
            &application(json!([{ "component_id": laptops, "units": 1 }]), json!([])),
        )
        .await,
        StatusCode::CONFLICT,
        "allocation_confirmed",
    )
    .await;
    assert_eq!(
        app.count("program_application").await,
        1,
        "{submitted} only"
    );

    // The applicant accepts, the bank delivers, the applicant reports (with the indicator the
    // program requires): the program rolls it up.
    let partnership = confirmed["partnership_ids"][0].as_i64().unwrap();
    let outcome = |indicators: Value| {
        json!({ "outcome": {
            "hours": 6,
            "value_cad": 1400,
            "delivered": "Two refurbished laptops set up for our volunteers.",
            "indicators": indicators
        } })
    };
    let own = json!([
        { "name": "Volunteers with a working computer", "before": 1, "after": 5 },
        { "name": "Backups", "before": "none", "after": "weekly" }
    ]);
    for (account, step) in [(&applicant, "accept"), (&bank, "start")] {
        expect_json(
            app.post(
                &format!("/api/v1/partnerships/{partnership}/{step}"),
                Some(&account.token),
                &json!({}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let missing = expect_problem(
        app.post(
            &format!("/api/v1/partnerships/{partnership}/complete"),
            Some(&applicant.token),
            &outcome(own.clone()),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        missing["errors"]["outcome.indicators"][0]["code"], "missing_indicators",
        "{missing}"
    );
    let mut indicators = own.as_array().unwrap().clone();
    indicators.push(json!({ "code": "devices_in_service", "before": 1, "target": 5, "after": 5 }));
    expect_json(
        app.post(
            &format!("/api/v1/partnerships/{partnership}/complete"),
            Some(&applicant.token),
            &outcome(json!(indicators)),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let view = expect_json(
        app.get(&format!("/api/v1/programs/{id}"), None).await,
        StatusCode::OK,
    )
    .await;
    let outcomes = &view["outcomes"];
    assert_eq!(
        (
            &outcomes["completed"],
            &outcomes["hours"],
            &outcomes["value_cad"]
        ),
        (&json!(1), &json!(6.0), &json!(1400.0)),
        "{view}"
    );
    let none = json!({ "partnerships": 0, "value": 0.0, "completion": 0.0 });
    assert_eq!(
        outcomes["indicators"],
        json!([
            { "code": null, "name": "Volunteers with a working computer", "unit": null,
              "partnerships": 1, "before": 1.0, "after": 5.0, "targets_set": 0, "target": null,
              "targets_met": 0, "three_months": none, "twelve_months": none },
            { "code": "devices_in_service", "name": "Working computers and tablets in use",
              "unit": "devices", "partnerships": 1, "before": 1.0, "after": 5.0,
              "targets_set": 1, "target": 5.0, "targets_met": 1, "three_months": none,
              "twelve_months": none }
        ]),
        "{view}"
    );
    let page = app
        .client
        .get(app.url(&format!("/programs/{id}")))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Volunteers with a working computer"),
        "{page}"
    );
    // The list's indicator in the reader's language.
    assert!(
        page.contains("Ordinateurs et tablettes fonctionnels en usage"),
        "{page}"
    );

    // The team's dashboard: applications, each component's capacity against what it gave and
    // delivered, and the indicator the program requires; not for the cohort or the public.
    let path = format!("/api/v1/programs/{id}/dashboard");
    let dashboard = expect_json(app.get(&path, Some(&bank.token)).await, StatusCode::OK).await;
    assert_eq!(dashboard["applications"]["selected"], 1, "{dashboard}");
    assert_eq!(dashboard["cohort"], 1);
    let laptops_line = &dashboard["components"][0];
    assert_eq!(
        (
            &laptops_line["capacity"],
            &laptops_line["given"],
            &laptops_line["delivered"]
        ),
        (&json!(4), &json!(2), &json!(2)),
        "{dashboard}"
    );
    assert_eq!(
        dashboard["required_indicators"],
        json!(["devices_in_service"])
    );
    assert_eq!(dashboard["outcomes"]["completed"], 1);
    expect_problem(
        app.get(&path, Some(&applicant.token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get(&path, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert!(
        page.contains("1 terminés") || page.contains("1 terminé"),
        "{page}"
    );
}

/// A priority group's minimum share of the units is met, a bundle is given whole or not at all,
/// and the run says what they cost against the optimum without them.
#[tokio::test]
async fn a_program_meets_its_minimum_share_and_gives_bundles_whole() {
    let app = TestApp::spawn().await;
    let lead = app
        .register_org("Trillium Community Fund", "foundation", "ON")
        .await;
    let bank = app.register_org("Northern Bank", "company", "ON").await;
    let college = app
        .register_org("Lakeshore College", "academic", "ON")
        .await;
    let mut body = program_body(&lead, &bank, &college);
    body["priority_groups"][0]["min_share"] = json!(0.5);
    // An out-of-range share is refused beside its field.
    let mut bad = body.clone();
    bad["priority_groups"][0]["min_share"] = json!(1.5);
    let problem = expect_problem(
        app.post("/api/v1/programs", Some(&lead.token), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["priority_groups[0].min_share"]);
    let program = expect_json(
        app.post("/api/v1/programs", Some(&lead.token), &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(program["priority_groups"][0]["min_share"], 0.5);
    let id = program["id"].as_i64().unwrap();
    let component = |i: usize| program["components"][i]["id"].as_i64().unwrap();
    let (laptops, training, grant) = (component(0), component(1), component(2));

    // Five city organizations want all the laptops; one rural one asks for two.
    let mut applications = Vec::new();
    for (i, (name, requests, groups, bundle)) in [
        ("City Youth Centre", json!([{ "component_id": laptops, "units": 3 }]), json!([]), false),
        ("Downtown Legal Clinic", json!([{ "component_id": laptops, "units": 3 }]), json!([]), false),
        ("Harbour Arts", json!([{ "component_id": laptops, "units": 3 }]), json!([]), false),
        ("Rural Food Hub", json!([{ "component_id": laptops, "units": 2 }]), json!(["rural"]), false),
        (
            "Seniors Connect",
            json!([{ "component_id": training, "units": 2 }, { "component_id": grant, "units": 1 }]),
            json!([]),
            true,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let account = app.register_org(name, "nonprofit", "ON").await;
        let mut body = application(requests, groups);
        body["all_or_nothing"] = json!(bundle);
        let created = expect_json(
            app.post(
                &format!("/api/v1/programs/{id}/applications"),
                Some(&account.token),
                &body,
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(created["all_or_nothing"], bundle, "{i}");
        applications.push(created["id"].as_i64().unwrap());
    }
    let run = expect_json(
        app.post(
            &format!("/api/v1/programs/{id}/allocations"),
            Some(&lead.token),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let given = |application: i64| -> i64 {
        decision(&run, application)["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["given"].as_i64().unwrap())
            .sum()
    };
    let all: i64 = applications.iter().map(|a| given(*a)).sum();
    let rural = given(applications[3]);
    assert!(all > 0 && 2 * rural >= all, "rural {rural} of {all}: {run}");
    // The bundle: both components whole, or nothing with the reason.
    let bundle = decision(&run, applications[4]);
    let lines = bundle["lines"].as_array().unwrap();
    let whole = lines.iter().all(|l| l["given"] == l["asked"]);
    let none = lines
        .iter()
        .all(|l| l["given"] == 0 && l["shortfall"] == "bundle");
    assert!(whole || none, "{bundle}");
    let without = run["value_without_constraints"].as_f64().unwrap();
    assert!(without + 1e-9 >= run["value"].as_f64().unwrap(), "{run}");

    // Pinning part of a bundle is refused with the reason.
    let problem = expect_problem(
        app.post(
            &format!("/api/v1/programs/{id}/allocations"),
            Some(&lead.token),
            &json!({ "pins": [{ "application_id": applications[4], "component_id": training, "units": 1 }] }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem["errors"]["pins"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bundle"),
        "{problem}"
    );
}

/// The lead changes its program (a stale version, a closing date before the opening and a
/// partner are refused); the page reads the change.
#[tokio::test]
async fn the_lead_changes_its_program() {
    let app = TestApp::spawn().await;
    let lead = app
        .register_org("Trillium Community Fund", "foundation", "ON")
        .await;
    let bank = app.register_org("Northern Bank", "company", "ON").await;
    let college = app
        .register_org("Lakeshore College", "academic", "ON")
        .await;
    let program = expect_json(
        app.post(
            "/api/v1/programs",
            Some(&lead.token),
            &program_body(&lead, &bank, &college),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = program["id"].as_i64().unwrap();
    let path = format!("/api/v1/programs/{id}");
    let version = program["version"].as_i64().unwrap();
    expect_problem(
        app.patch(
            &path,
            Some(&bank.token),
            &json!({ "version": version, "title": "Bank's own" }),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let problem = expect_problem(
        app.patch(
            &path,
            Some(&lead.token),
            &json!({ "version": version, "closes_at": "2020-01-01T00:00:00Z", "title": "Tiny" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["closes_at", "title"], "{problem}");
    let changed = expect_json(
        app.patch(
            &path,
            Some(&lead.token),
            &json!({
                "version": version,
                "title": "Digital capacity for rural community groups",
                "translation": null,
                "milestones": [
                    { "title": "Cohort meets", "on": "2027-03-01" },
                    { "title": "Information session", "on": "2027-01-15" }
                ]
            }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["version"], version + 1);
    assert_eq!(
        changed["title"],
        "Digital capacity for rural community groups"
    );
    assert!(changed["translation"].is_null(), "{changed}");
    assert_eq!(changed["milestones"][0]["title"], "Information session");
    expect_problem(
        app.patch(
            &path,
            Some(&lead.token),
            &json!({ "version": version, "title": "Again, stale" }),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let page = app
        .client
        .get(app.url(&format!("/programs/{id}")))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Without a translation the French reader gets the English title.
    assert!(
        page.contains("<h1>Digital capacity for rural community groups</h1>"),
        "{page}"
    );
}
