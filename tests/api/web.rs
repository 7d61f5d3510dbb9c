//! The web pages over real HTTP, as a browser without JavaScript uses them: forms with their CSRF
//! token, the session cookie, redirects, languages. (The browser tests in `tests/browser` click
//! through the same flow in Chromium.)

use passerelle::domain::accounts;
use passerelle::domain::types::{Email, Password};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, LOCATION, ORIGIN};
use serde_json::json;

use crate::helpers::*;

/// A browser: its own cookies, redirects shown rather than followed.
struct Browser {
    client: reqwest::Client,
    base: String,
    language: &'static str,
}

struct Page {
    status: StatusCode,
    location: String,
    body: String,
}

impl Browser {
    fn new(app: &TestApp, language: &'static str) -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            client,
            base: app.base.clone(),
            language,
        }
    }

    async fn read(response: reqwest::Response) -> Page {
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Page {
            status,
            location,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(ACCEPT_LANGUAGE, self.language)
            .send()
            .await
            .unwrap();
        Self::read(response).await
    }

    /// Submits the form of the page at `from` to `to`, with its CSRF token and `fields`.
    async fn submit(&self, from: &str, to: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(from).await;
        assert_eq!(page.status, StatusCode::OK, "{from}: {}", page.body);
        let mut all = vec![("csrf", csrf(&page.body))];
        all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
        self.post(to, &all).await
    }

    async fn post(&self, to: &str, fields: &[(&str, String)]) -> Page {
        let response = self
            .client
            .post(format!("{}{to}", self.base))
            .header(ACCEPT_LANGUAGE, self.language)
            .form(fields)
            .send()
            .await
            .unwrap();
        Self::read(response).await
    }
}

fn csrf(html: &str) -> String {
    let start = html
        .find(r#"name="csrf" value=""#)
        .expect("the page has a form with a CSRF token")
        + r#"name="csrf" value=""#.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// The text of the element with `id`, tags removed.
fn text_of(html: &str, id: &str) -> String {
    let marker = format!(r#"id="{id}""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in the page"))
        + marker.len();
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..];
    let end = body.find("</").unwrap();
    body[..end].trim().to_owned()
}

fn signup_fields<'a>(
    email: &'a str,
    org: &'a str,
    kind: &'a str,
    province: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("display_name", "Sophie Gagnon"),
        ("email", email),
        ("password", PASSWORD),
        ("organization.name", org),
        ("organization.kind", kind),
        ("organization.province", province),
        ("organization.languages", "fr"),
        ("organization.contact_email", email),
        ("organization.contact_phone", "514 555 0199"),
    ]
}

#[tokio::test]
async fn pages_speak_the_browsers_language_and_remember_the_switch() {
    let app = TestApp::spawn_with(|c| c.demo = true).await;
    let fr = Browser::new(&app, "fr-CA,fr;q=0.9,en;q=0.5");
    let home = fr.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains(r#"<html lang="fr">"#));
    assert!(
        home.body.contains("Trouvez des partenaires"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains(r#"hreflang="en""#),
        "a visible switch to English"
    );

    let switched = fr.get("/language/en?next=/search%3Fq%3Dweb").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location, "/search?q=web");
    // The choice outlives the browser's Accept-Language.
    let search = fr.get("/search?q=web").await;
    assert!(search.body.contains(r#"<html lang="en">"#));
    // The page counts what the search finds, and shows it (not "0 results").
    let found = app.search("q=web").await;
    let total = found["total"].as_u64().unwrap();
    assert!(total > 1, "the demo data has web postings");
    assert!(
        search.body.contains(&format!("{total} results")),
        "{total}: {}",
        search.body
    );
    let first = found["hits"][0]["id"].as_i64().unwrap();
    assert!(
        search.body.contains(&format!(
            r#"href="/{}s/{first}""#,
            found["hits"][0]["kind"].as_str().unwrap()
        )) || search
            .body
            .contains(&format!(r#"href="/organizations/{first}""#)),
        "{}",
        search.body
    );
    // Never a redirect to another site.
    let elsewhere = fr.get("/language/fr?next=//evil.example/").await;
    assert_eq!(elsewhere.location, "/");

    let en = Browser::new(&app, "en-CA");
    let page = en.get("/search?q=cybers%C3%A9curit%C3%A9&kind=offer").await;
    assert_eq!(page.status, StatusCode::OK);
    // Every result is an offer: as many offer cards as hits, and no need among them.
    let offers = app.search("q=cybers%C3%A9curit%C3%A9&kind=offer").await;
    let hits = offers["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(
        page.body.matches(r#"<span class="tag offer">"#).count(),
        hits.len(),
        "{}",
        page.body
    );
    assert!(!page.body.contains(r#"<span class="tag need">"#));
    // Facets offer only values one can filter on ("none" stands for a missing province).
    assert!(
        page.body
            .contains(r#"name="category" value="cybersecurity""#)
    );
    assert!(!page.body.contains(r#"value="none""#), "{}", page.body);
    // Any values of a facet may be chosen; the chosen one is ticked.
    assert!(
        page.body
            .contains(r#"<input type="checkbox" name="kind" value="offer" checked>"#),
        "{}",
        page.body
    );
    assert!(
        !page
            .body
            .contains(r#"name="category" value="cybersecurity" checked"#)
    );
    // Two kinds at once: both ticked, and results of both.
    let both = en
        .get("/search?q=cybers%C3%A9curit%C3%A9&kind=offer&kind=need")
        .await;
    for kind in ["offer", "need"] {
        assert!(
            both.body.contains(&format!(
                r#"<input type="checkbox" name="kind" value="{kind}" checked>"#
            )),
            "{}",
            both.body
        );
        assert!(both.body.contains(&format!(r#"<span class="tag {kind}">"#)));
    }
    // Every result is reachable by its page number; the page shown is marked.
    let all = en.get("/search?page=2").await;
    let total = app.search("").await["total"].as_u64().unwrap();
    let last = total.div_ceil(20);
    assert!(
        last > 2,
        "the demo data fills more than two pages ({total})"
    );
    assert!(
        all.body
            .contains(r#"href="/search?page=2" aria-current="page""#),
        "{}",
        all.body
    );
    assert!(
        all.body.contains(&format!(r#"href="/search?page={last}""#)),
        "{}",
        all.body
    );
    // A chosen value that nothing matches stays on show, chosen.
    let none = en
        .get("/search?q=cybers%C3%A9curit%C3%A9&kind=offer&province=NU")
        .await;
    assert!(
        none.body
            .contains(r#"<input type="checkbox" name="province" value="NU" checked>"#),
        "{}",
        none.body
    );
    // A search the API would refuse is an error page, not a 500.
    let bad = en.get("/search?category=nope").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let missing = en.get("/needs/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("not found"), "{}", missing.body);
}

#[tokio::test]
async fn forms_without_their_csrf_token_or_from_another_site_are_refused() {
    let app = TestApp::spawn().await;
    let browser = Browser::new(&app, "en");
    browser.get("/signup").await;
    let fields = signup_fields("no-token@example.org", "No Token", "nonprofit", "QC");
    let owned: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let refused = browser.post("/signup", &owned).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut wrong = owned.clone();
    wrong.push(("csrf", "x".repeat(43)));
    assert_eq!(
        browser.post("/signup", &wrong).await.status,
        StatusCode::FORBIDDEN
    );
    // The right token from another origin.
    let page = browser.get("/signup").await;
    let mut with_token = owned.clone();
    with_token.push(("csrf", csrf(&page.body)));
    let response = browser
        .client
        .post(format!("{}/signup", browser.base))
        .header(ORIGIN, "https://evil.example")
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("app_user").await, 0, "nothing was written");
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_and_says_why_beside_each_field() {
    let app = TestApp::spawn().await;
    let fr = Browser::new(&app, "fr");
    let mut fields = signup_fields("pas-un-courriel", "Les Paniers", "nonprofit", "QC");
    fields[2] = ("password", "court");
    let page = fr.submit("/signup", "/signup", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&page.body, "email-error"),
        "« pas-un-courriel » n’est pas une adresse courriel valide"
    );
    assert_eq!(
        text_of(&page.body, "password-error"),
        "doit compter au moins 10 caractères"
    );
    assert!(
        page.body.contains(r#"value="Les Paniers""#),
        "the organization's name is kept"
    );
    assert!(
        page.body.contains(r#"value="pas-un-courriel""#),
        "the email is kept"
    );
    assert!(
        !page.body.contains("court\""),
        "the password is not sent back"
    );
    assert!(page.body.contains(r#"aria-invalid="true""#));
    assert_eq!(app.count("app_user").await, 0);
    assert_eq!(app.count("organization").await, 0);

    // The same in English, for a posting form: numbers and dates typed wrong, with every other
    // message at once.
    let en = Browser::new(&app, "en");
    let fields = signup_fields("maker@example.org", "Makers", "company", "ON");
    assert_eq!(
        en.submit("/signup", "/signup", &fields).await.status,
        StatusCode::SEE_OTHER
    );
    let page = en
        .submit(
            "/my/postings/new?kind=offer",
            "/my/postings/new",
            &[
                ("kind", "offer"),
                ("title", "Old laptops for schools"),
                ("description", "short"),
                ("language", "en"),
                ("category", ""),
                ("quantity", "many"),
                ("starts_on", "next week"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&page.body, "quantity-error"),
        "must be a whole number"
    );
    assert_eq!(
        text_of(&page.body, "starts_on-error"),
        "must be a date like 2027-03-31"
    );
    assert_eq!(
        text_of(&page.body, "description-error"),
        "must be at least 10 characters"
    );
    assert_eq!(
        text_of(&page.body, "category-error"),
        "choose a category from the list"
    );
    assert!(page.body.contains(r#"value="Old laptops for schools""#));
    assert!(page.body.contains(r#"value="many""#));
    assert_eq!(app.count("posting").await, 0);
}

#[tokio::test]
async fn a_nonprofit_and_a_company_become_partners_through_the_pages() {
    let app = TestApp::spawn().await;
    let nonprofit = Browser::new(&app, "fr");
    let fields = signup_fields(
        "sophie@paniers.example",
        "Les Paniers du Plateau",
        "nonprofit",
        "QC",
    );
    let signed_up = nonprofit.submit("/signup", "/signup", &fields).await;
    assert_eq!(signed_up.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_up.location, "/my");
    let my = nonprofit.get("/my").await;
    assert!(my.body.contains("Bienvenue"), "{}", my.body);
    assert!(my.body.contains("Les Paniers du Plateau"));
    // What the profile still lacks is said, in French.
    let completeness = text_of(&my.body, "profile-completeness");
    assert!(
        completeness.contains("Votre profil est rempli à"),
        "{completeness}"
    );
    assert!(completeness.contains("Site Web"), "{completeness}");

    let created = nonprofit
        .submit(
            "/my/postings/new?kind=need",
            "/my/postings/new",
            &[
                ("kind", "need"),
                ("title", "Formation en cybersécurité pour nos bénévoles"),
                ("description", "Nos bénévoles doivent apprendre à reconnaître l'hameçonnage et à gérer leurs mots de passe."),
                ("language", "fr"),
                ("category", "cybersecurity"),
                ("province", "QC"),
                ("remote", "true"),
                ("quantity", "1"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let need_path = created.location.clone();
    assert!(need_path.starts_with("/needs/"), "{need_path}");
    let need_id: i64 = need_path.trim_start_matches("/needs/").parse().unwrap();

    // The company posts its offer over the API; the page suggests it to the nonprofit.
    let company = app.company().await;
    let offer = app
        .create_posting(
            &company,
            "offers",
            json!({
                "title": "Cybersecurity training for nonprofit staff",
                "description": "Free phishing and password training for nonprofit staff and volunteers, online.",
                "language": "en", "category": "cybersecurity", "remote": true, "quantity": 3
            }),
        )
        .await;
    let offer_id = offer["id"].as_i64().unwrap();
    app.searchable().await;
    let need_page = nonprofit.get(&need_path).await;
    assert!(need_page.body.contains("Partenaires suggérés"));
    assert!(
        need_page
            .body
            .contains("Cybersecurity training for nonprofit staff"),
        "{}",
        need_page.body
    );
    let propose = format!("/propose?need_id={need_id}&offer_id={offer_id}");
    // Askama escapes `&` in attributes as `&#38;`.
    assert!(
        need_page.body.contains(&propose.replace('&', "&#38;")),
        "a propose link per match"
    );

    // An empty message is refused beside the field; nothing is written.
    let empty = nonprofit
        .submit(
            &propose,
            "/propose",
            &[
                ("need_id", &need_id.to_string()),
                ("offer_id", &offer_id.to_string()),
                ("message", " "),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains(r#"id="message-error""#));
    assert_eq!(app.count("partnership").await, 0);
    let sent = nonprofit
        .submit(
            &propose,
            "/propose",
            &[
                ("need_id", &need_id.to_string()),
                ("offer_id", &offer_id.to_string()),
                ("message", "Bonjour! Une séance en janvier?"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let partnership_id = app
        .get("/api/v1/partnerships", Some(&company.token))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"][0]["id"]
        .as_i64()
        .unwrap();

    // Before the company says yes, neither page shows the other's contact.
    assert!(!nonprofit.get("/my").await.body.contains(&company.email));

    // The company signs in through the sign-in form and accepts from its page.
    let en = Browser::new(&app, "en");
    let wrong = en
        .submit(
            "/signin",
            "/signin",
            &[
                ("email", &company.email),
                ("password", "not the password"),
                ("next", "/my"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("The email or the password is not right.")
    );
    let signed_in = en
        .submit(
            "/signin",
            "/signin",
            &[
                ("email", &company.email),
                ("password", PASSWORD),
                ("next", "/my"),
            ],
        )
        .await;
    assert_eq!(signed_in.location, "/my");
    let company_page = en.get("/my").await;
    assert!(
        company_page
            .body
            .contains("Formation en cybersécurité pour nos bénévoles")
    );
    assert!(!company_page.body.contains("sophie@paniers.example"));
    let step = format!("/my/partnerships/{partnership_id}/step");
    let accepted = en.submit("/my", &step, &[("action", "accept")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    // Neither organization is verified yet: the pages say so instead of showing the details.
    let waiting = en.get("/my").await.body;
    assert!(!waiting.contains("sophie@paniers.example"));
    assert!(
        waiting.contains(
            "Contact details are shared once an administrator has verified both organizations."
        ),
        "{waiting}"
    );
    assert!(
        nonprofit
            .get("/my")
            .await
            .body
            .contains("une fois les deux organismes vérifiés par un administrateur")
    );
    let nonprofit_org = app
        .get("/api/v1/partnerships", Some(&company.token))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"][0]["counterpart"]["organization_id"]
        .as_i64()
        .unwrap();
    app.verify(company.org_id).await;
    app.verify(nonprofit_org).await;
    assert!(en.get("/my").await.body.contains("sophie@paniers.example"));
    assert!(nonprofit.get("/my").await.body.contains(&company.email));

    // The company may not complete (the need's side does), and may not accept twice.
    let again = en.submit("/my", &step, &[("action", "accept")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let complete = format!("/my/partnerships/{partnership_id}/complete");
    let refused = nonprofit
        .submit(
            &complete,
            &complete,
            &[
                ("outcome.hours", "douze"),
                ("outcome.value_cad", ""),
                ("outcome.delivered", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&refused.body, "outcome.hours-error"),
        "doit être un nombre"
    );
    assert_eq!(
        text_of(&refused.body, "outcome.value_cad-error"),
        "est obligatoire"
    );
    assert!(refused.body.contains(r#"value="douze""#));
    let done = nonprofit
        .submit(
            &complete,
            &complete,
            &[
                ("outcome.hours", "12,5"),
                ("outcome.value_cad", "2500"),
                (
                    "outcome.delivered",
                    "Deux séances en ligne pour 38 bénévoles.",
                ),
                (
                    "outcome.indicators[0].name",
                    "Bénévoles qui repèrent l'hameçonnage",
                ),
                ("outcome.indicators[0].before", "9"),
                ("outcome.indicators[0].after", "35"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let stored = expect_json(
        app.get(
            &format!("/api/v1/partnerships/{partnership_id}"),
            Some(&company.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stored["status"], "completed");
    assert_eq!(stored["outcome"]["hours"], 12.5);
    assert_eq!(stored["outcome"]["indicators"][0]["after"], 35.0);
    assert!(nonprofit.get("/my").await.body.contains("12,5 heures"));
}

#[tokio::test]
async fn only_members_edit_a_posting_and_only_administrators_verify() {
    let app = TestApp::spawn().await;
    let owner = app.nonprofit().await;
    let need = app.create_posting(&owner, "needs", need_body()).await;
    let id = need["id"].as_i64().unwrap();

    let stranger = Browser::new(&app, "en");
    let fields = signup_fields("stranger@example.org", "Stranger Co", "company", "ON");
    stranger.submit("/signup", "/signup", &fields).await;
    let edit = stranger.get(&format!("/my/postings/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    let page = stranger.get("/my").await;
    let closed = stranger
        .post(
            &format!("/my/postings/{id}/status"),
            &[("csrf", csrf(&page.body)), ("status", "closed".into())],
        )
        .await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN);
    assert_eq!(stranger.get("/admin").await.status, StatusCode::FORBIDDEN);
    let after = expect_json(
        app.get(&format!("/api/v1/needs/{id}"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["status"], "open");

    // Signed out, the pages send to the sign-in form and back.
    let anonymous = Browser::new(&app, "en");
    let redirected = anonymous.get("/my").await;
    assert_eq!(redirected.status, StatusCode::SEE_OTHER);
    assert_eq!(redirected.location, "/signin?next=%2Fmy");

    let email = Email::parse("admin@passerelle.example").unwrap();
    let password = Password::parse(PASSWORD, &[]).unwrap();
    accounts::make_admin(&app.db, &email, "Admin", Some(&password))
        .await
        .unwrap();
    let admin = Browser::new(&app, "fr");
    admin
        .submit(
            "/signin",
            "/signin",
            &[
                ("email", "admin@passerelle.example"),
                ("password", PASSWORD),
                ("next", "/admin"),
            ],
        )
        .await;
    // An administrator without an organization lands on the queue.
    assert_eq!(admin.get("/my").await.location, "/admin");
    let queue = admin.get("/admin").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("Food Bank"), "{}", queue.body);
    let decided = admin
        .submit(
            "/admin",
            &format!("/admin/organizations/{}", owner.org_id),
            &[("decision", "verified")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let org = expect_json(
        app.get(&format!("/api/v1/organizations/{}", owner.org_id), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(org["verification"], "verified");
    assert!(!admin.get("/admin").await.body.contains("Food Bank"));
}

#[tokio::test]
async fn the_profile_form_and_the_category_suggestion() {
    let app = TestApp::spawn().await;
    let fr = Browser::new(&app, "fr");
    let fields = signup_fields("sophie@rameaux.example", "Les Rameaux", "nonprofit", "QC");
    assert_eq!(
        fr.submit("/signup", "/signup", &fields).await.status,
        StatusCode::SEE_OTHER
    );
    let org_id = expect_json(
        app.get("/api/v1/organizations?limit=1", None).await,
        StatusCode::OK,
    )
    .await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let form = fr.get("/my/profile").await;
    assert!(
        form.body.contains(r#"value="Les Rameaux""#),
        "the profile as stored"
    );
    let version = "1";
    let edit = |name: &'static str, website: &'static str| {
        vec![
            ("org", org_id.to_string()),
            ("version", version.to_owned()),
            ("organization.name", name.to_owned()),
            ("organization.kind", "nonprofit".to_owned()),
            ("organization.province", "QC".to_owned()),
            ("organization.languages", "fr".to_owned()),
            ("organization.website", website.to_owned()),
        ]
    };
    let mut bad = vec![("csrf", csrf(&form.body))];
    bad.extend(
        edit("L", "pas un site")
            .iter()
            .map(|(k, v)| (*k, v.clone())),
    );
    let refused = fr.post("/my/profile", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&refused.body, "organization.name-error"),
        "doit compter au moins 2 caractères"
    );
    assert_eq!(
        text_of(&refused.body, "organization.website-error"),
        "« pas un site » n’est pas une adresse Web"
    );
    assert!(refused.body.contains(r#"value="pas un site""#));
    let mut good = vec![("csrf", csrf(&form.body))];
    good.extend(
        edit("Centre Les Rameaux", "lesrameaux.example")
            .iter()
            .map(|(k, v)| (*k, v.clone())),
    );
    assert_eq!(
        fr.post("/my/profile", &good).await.status,
        StatusCode::SEE_OTHER
    );
    let org = expect_json(
        app.get(&format!("/api/v1/organizations/{org_id}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(org["name"], "Centre Les Rameaux");
    assert_eq!(org["website"], "https://lesrameaux.example/");

    // "Suggest a category" reads the text and ticks the likely category; nothing is saved.
    let suggested = fr
        .submit(
            "/my/postings/new?kind=need",
            "/my/postings/new",
            &[
                ("kind", "need"),
                ("suggest", "1"),
                ("title", "Refonte de notre site Web"),
                (
                    "description",
                    "Notre site web est vieux et pas accessible; nous voulons une refonte.",
                ),
                ("language", "fr"),
                ("category", ""),
            ],
        )
        .await;
    assert_eq!(suggested.status, StatusCode::OK);
    assert!(
        suggested
            .body
            .contains(r#"<option value="website" selected>"#),
        "{}",
        suggested.body
    );
    assert!(suggested.body.contains("Suggéré d’après votre texte"));
    assert!(
        suggested
            .body
            .contains(r#"value="Refonte de notre site Web""#)
    );
    assert_eq!(app.count("posting").await, 0);
}

#[tokio::test]
async fn a_browser_gets_a_page_where_nothing_is() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(app.url("/nothing-here"))
        .header("accept", "text/html,application/xhtml+xml")
        .header(ACCEPT_LANGUAGE, "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Page introuvable"));
    // API clients keep their problem+json.
    let problem = app.get("/nothing-here", None).await;
    expect_problem(problem, StatusCode::NOT_FOUND, "route_not_found").await;
}

#[tokio::test]
async fn redirects_after_the_language_switch_and_sign_in_stay_on_this_site() {
    let app = TestApp::spawn().await;
    let browser = Browser::new(&app, "en");
    for next in [
        "/%09/evil.example",
        "//evil.example",
        "/%5C/evil.example",
        "https://evil.example/",
        "/%2f%2fevil.example",
        "/search%0d%0aSet-Cookie:x=1",
    ] {
        let page = browser.get(&format!("/language/fr?next={next}")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}: {}", page.body);
        assert_eq!(page.location, "/", "{next}");
        let signin = browser.get(&format!("/signin?next={next}")).await;
        assert!(
            signin.body.contains(r#"name="next" value="/""#),
            "{next}: {}",
            signin.body
        );
    }
    // A path on this site is where the switch goes back to.
    let page = browser.get("/language/fr?next=/search%3Fq%3Dweb").await;
    assert_eq!(page.location, "/search?q=web");
}

#[tokio::test]
async fn form_tokens_are_bound_to_the_session() {
    let app = TestApp::spawn().await;
    let nonprofit = app.nonprofit().await;
    let other = app
        .register_org("Other Group", "community_group", "QC")
        .await;
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let action = format!("/my/postings/{}/status", need["id"]);
    let post = |session: &str, csrf_cookie: Option<&str>, token: &str| {
        let mut cookie = format!("passerelle_session={session}");
        if let Some(value) = csrf_cookie {
            cookie.push_str(&format!("; passerelle_csrf={value}"));
        }
        app.client
            .post(app.url(&action))
            .header("cookie", cookie)
            .form(&[("csrf", token), ("status", "paused"), ("version", "1")])
            .send()
    };
    // The dashboard as a session sees it, with the token its forms carry.
    let my_page = |session: &str| {
        let response = app
            .client
            .get(app.url("/my"))
            .header("cookie", format!("passerelle_session={session}"))
            .send();
        async move { response.await.unwrap().text().await.unwrap() }
    };
    // A pair an attacker chose and planted: the cookie and the field agree, but not with the session.
    let chosen = "a".repeat(43);
    let forged = post(&nonprofit.token, Some(&chosen), &chosen)
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // A token another session's page carried.
    let theirs = csrf(&my_page(&other.token).await);
    let borrowed = post(&nonprofit.token, None, &theirs).await.unwrap();
    assert_eq!(borrowed.status(), StatusCode::FORBIDDEN);
    let read = app
        .get(&format!("/api/v1/needs/{}", need["id"]), None)
        .await;
    assert_eq!(expect_json(read, StatusCode::OK).await["status"], "open");

    // The token of the session's own page is accepted.
    let own = post(
        &nonprofit.token,
        None,
        &csrf(&my_page(&nonprofit.token).await),
    )
    .await
    .unwrap();
    assert!(own.status().is_success(), "{}", own.status());
    let read = app
        .get(&format!("/api/v1/needs/{}", need["id"]), None)
        .await;
    assert_eq!(expect_json(read, StatusCode::OK).await["status"], "paused");
}

#[tokio::test]
async fn sign_up_asks_for_the_kind_and_the_province_instead_of_assuming_them() {
    let app = TestApp::spawn().await;
    let fr = Browser::new(&app, "fr");
    let form = fr.get("/signup").await;
    assert!(
        form.body.contains(r#"<option value="">Choisir…</option>"#),
        "the kind and the province start unchosen: {}",
        form.body
    );
    let fields = signup_fields("sophie@paniers.example", "Les Paniers", "", "");
    let page = fr.submit("/signup", "/signup", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(r#"id="organization.kind-error""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"id="organization.province-error""#),
        "{}",
        page.body
    );
    assert_eq!(app.count("app_user").await, 0);
}

#[tokio::test]
async fn money_and_dates_read_as_each_language_writes_them() {
    let app = TestApp::spawn().await;
    let company = app.company().await;
    let mut body = offer_body();
    body["value_cad"] = json!(15_000);
    body["starts_on"] = json!("2027-01-15");
    body["ends_on"] = json!("2027-03-01");
    let offer = app.create_posting(&company, "offers", body).await;
    let path = format!("/offers/{}", offer["id"]);
    let en = Browser::new(&app, "en").get(&path).await.body;
    assert!(en.contains("$15,000"), "{en}");
    assert!(en.contains("January 15, 2027 – March 1, 2027"), "{en}");
    let fr = Browser::new(&app, "fr").get(&path).await.body;
    assert!(fr.contains("15\u{a0}000\u{a0}$"), "{fr}");
    assert!(fr.contains("15 janvier 2027 – 1er mars 2027"), "{fr}");
}

#[tokio::test]
async fn the_propose_action_comes_first_on_a_posting_and_names_who_receives_it() {
    let app = TestApp::spawn().await;
    let company = app.company().await;
    let offer = app.create_posting(&company, "offers", offer_body()).await;
    let path = format!("/offers/{}", offer["id"]);

    // Signed out: an invitation to sign in and come back, before the description.
    let visitor = Browser::new(&app, "en").get(&path).await.body;
    let signin = format!("href=\"/signin?next=/offers/{}\"", offer["id"]);
    let at = visitor.find(&signin).unwrap_or_else(|| panic!("{visitor}"));
    assert!(
        at < visitor.find("<h2>Description</h2>").unwrap(),
        "{visitor}"
    );

    // Signed in without a need to offer it: how to get one.
    let nonprofit = app.nonprofit().await;
    let cookie = format!("passerelle_session={}", nonprofit.token);
    let page = |path: String| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.client
                .get(app.url(&path))
                .header("cookie", cookie)
                .header("accept-language", "fr")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let without = page(path.clone()).await;
    assert!(without.contains("Publier un besoin"), "{without}");

    // With a need: the proposal form is at the top, and the next page names the recipient.
    let need = app.create_posting(&nonprofit, "needs", need_body()).await;
    let with = page(path.clone()).await;
    assert!(
        with.contains("Proposer un partenariat à Tech Company"),
        "{with}"
    );
    let form = page(format!(
        "/propose?need_id={}&offer_id={}",
        need["id"], offer["id"]
    ))
    .await;
    assert!(
        form.contains("Votre proposition est envoyée à Tech Company."),
        "{form}"
    );
}

#[tokio::test]
async fn about_help_privacy_and_terms_exist_in_both_languages_and_every_page_links_them() {
    let app = TestApp::spawn().await;
    for (language, heading, rule) in [
        (
            "en",
            "<h1>Privacy</h1>",
            "both are verified by an administrator",
        ),
        (
            "fr",
            "<h1>Confidentialité</h1>",
            "les deux sont vérifiés par un administrateur",
        ),
    ] {
        let browser = Browser::new(&app, language);
        for path in ["/about", "/help", "/privacy", "/terms"] {
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path} in {language}");
            assert!(page.body.contains(&format!("lang=\"{language}\"")));
        }
        let privacy = browser.get("/privacy").await.body;
        assert!(
            privacy.contains(heading) && privacy.contains(rule),
            "{privacy}"
        );
        let home = browser.get("/").await.body;
        for path in ["/about", "/help", "/privacy", "/terms"] {
            assert!(
                home.contains(&format!("href=\"{path}\"")),
                "footer links {path}"
            );
        }
    }
}
