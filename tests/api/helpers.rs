//! `TestApp`: a running Passerelle with its own database, and a client with helpers.

use std::sync::atomic::{AtomicU32, Ordering};

use passerelle::app::App;
use passerelle::config::Config;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct-horse-battery-staple";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub config: Config,
    pub search: passerelle::search::SearchHandle,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A registered user with their organization and session token.
#[derive(Debug, Clone)]
pub struct Account {
    pub email: String,
    pub token: String,
    pub user_id: i64,
    pub org_id: i64,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh PostgreSQL database when the suite runs against PostgreSQL.
pub async fn fresh_postgres(base_url: &str) -> String {
    let name = format!(
        "passerelle_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand_suffix()
    );
    let admin = Database::connect(base_url)
        .await
        .expect("connect to PASSERELLE_TEST_POSTGRES_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    admin.close().await.ok();
    let mut url = url::Url::parse(base_url).expect("PASSERELLE_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        if let Ok(url) = std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
            config.database_url = Some(fresh_postgres(&url).await);
        }
        configure(&mut config);
        Self::start(config, dir).await
    }

    async fn start(config: Config, dir: tempfile::TempDir) -> Self {
        let app = App::build(config.clone()).await.expect("app builds");
        let base = format!("http://{}", app.local_addr());
        let db = app.state().db.clone();
        let search = app.state().search.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            stopped.await.ok();
        }));
        let client = reqwest::Client::builder().build().unwrap();
        Self {
            base,
            client,
            db,
            config,
            search,
            _dir: dir,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Stops this server as a signal would and waits until it has exited; returns its
    /// configuration and data directory, to look at what it left or to start it again.
    pub async fn stop(mut self) -> (Config, tempfile::TempDir) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("the server task ends")
                .expect("the server stops cleanly");
        }
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().unwrap());
        (self.config.clone(), dir)
    }

    /// Starts a server on what a stopped one left.
    pub async fn resume(config: Config, dir: tempfile::TempDir) -> Self {
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..config
        };
        Self::start(config, dir).await
    }

    /// Stops this server and starts another on the same database (and data directory).
    pub async fn restart(self) -> Self {
        let (config, dir) = self.stop().await;
        Self::resume(config, dir).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token).send().await.unwrap()
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        self.request(method, path, token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(Method::POST, path, token, body).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send(Method::PATCH, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token)
            .send()
            .await
            .unwrap()
    }

    /// Registers a user with an organization of `kind` in `province`.
    pub async fn register_org(&self, name: &str, kind: &str, province: &str) -> Account {
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "-"),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let response = self
            .post(
                "/api/v1/auth/register",
                None,
                &json!({
                    "email": email,
                    "password": PASSWORD,
                    "display_name": format!("{name} staff"),
                    "organization": { "name": name, "kind": kind, "province": province,
                                      "languages": ["en", "fr"], "cause_areas": ["youth"] }
                }),
            )
            .await;
        let body = expect_json(response, StatusCode::CREATED).await;
        Account {
            email,
            token: body["token"].as_str().unwrap().to_owned(),
            user_id: body["user"]["id"].as_i64().unwrap(),
            org_id: body["organization"]["id"].as_i64().unwrap(),
        }
    }

    /// Edits the profile of an organization as registered (version 1); the edit must succeed.
    pub async fn edit_profile(&self, account: &Account, changes: Value) {
        let path = format!("/api/v1/organizations/{}", account.org_id);
        let body = merge(json!({ "version": 1 }), changes);
        let response = self.patch(&path, Some(&account.token), &body).await;
        expect_json(response, StatusCode::OK).await;
    }

    pub async fn nonprofit(&self) -> Account {
        self.register_org("Food Bank", "nonprofit", "QC").await
    }

    pub async fn company(&self) -> Account {
        self.register_org("Tech Company", "company", "ON").await
    }

    /// Signs in an administrator (created on first use) and returns their token.
    pub async fn admin(&self) -> String {
        use passerelle::domain::accounts;
        use passerelle::domain::types::{Email, Password};
        let email = Email::parse("admin@passerelle.example.org").unwrap();
        let password = Password::parse(PASSWORD, &[]).unwrap();
        accounts::make_admin(&self.db, &email, "Admin", Some(&password))
            .await
            .unwrap();
        let login = self
            .post(
                "/api/v1/auth/login",
                None,
                &json!({ "email": email.as_str(), "password": PASSWORD }),
            )
            .await;
        expect_json(login, StatusCode::OK).await["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The kinds of the notifications a person has, newest first, with their texts in English.
    pub async fn notices(&self, token: &str) -> Vec<(String, String)> {
        let inbox = expect_json(
            self.get("/api/v1/notifications", Some(token)).await,
            StatusCode::OK,
        )
        .await;
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let text = format!(
                    "{} {}",
                    item["text"].as_str().unwrap_or(""),
                    item["note"].as_str().unwrap_or("")
                );
                (item["kind"].as_str().unwrap().to_owned(), text)
            })
            .collect()
    }

    /// An administrator's verification of an organization (through the domain, as the CLI does).
    pub async fn verify(&self, org_id: i64) {
        use passerelle::domain::organizations::{VerificationRequest, set_verification};
        let request = VerificationRequest {
            decision: entity::Verification::Verified,
            note: None,
            reason_code: None,
        };
        set_verification(&self.db, None, org_id, request)
            .await
            .expect("the organization is verified");
    }

    /// Creates a posting (`needs` or `offers`) and returns its JSON.
    pub async fn create_posting(&self, account: &Account, collection: &str, body: Value) -> Value {
        let response = self
            .post(
                &format!("/api/v1/{collection}"),
                Some(&account.token),
                &body,
            )
            .await;
        expect_json(response, StatusCode::CREATED).await
    }

    /// Waits until every change written so far is searchable; fails the test after 2 seconds.
    pub async fn searchable(&self) {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT MAX(id) AS n FROM outbox",
            ))
            .await
            .unwrap()
            .unwrap();
        let latest = row.try_get::<Option<i64>>("", "n").unwrap().unwrap_or(0);
        let ready = self
            .search
            .wait_for(latest, std::time::Duration::from_secs(2))
            .await;
        assert!(
            ready,
            "outbox change {latest} not searchable after 2 s (applied {})",
            self.search.applied()
        );
    }

    /// `GET /api/v1/search?{query}` as JSON.
    pub async fn search(&self, query: &str) -> Value {
        expect_json(
            self.get(&format!("/api/v1/search?{query}"), None).await,
            StatusCode::OK,
        )
        .await
    }

    /// The actions the journal recorded so far, oldest first (`organization.create`, ...).
    pub async fn journal(&self) -> Vec<String> {
        use sea_orm::{EntityTrait, QueryOrder};
        entity::outbox::Entity::find()
            .order_by_asc(entity::outbox::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.action)
            .collect()
    }

    /// How many emails of a kind (`notification`, `digest`, `confirm_email`, ...) are queued or
    /// sent.
    pub async fn emails(&self, kind: &str) -> usize {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        entity::email::Entity::find()
            .filter(entity::email::Column::Kind.eq(kind))
            .count(&self.db)
            .await
            .unwrap() as usize
    }

    /// `by` proposes a fresh need of `need_side` and a fresh offer of `offer_side` (the default
    /// bodies) to each other; returns the partnership's JSON.
    pub async fn propose_fresh(
        &self,
        by: &Account,
        need_side: &Account,
        offer_side: &Account,
    ) -> Value {
        let need = self.create_posting(need_side, "needs", need_body()).await;
        let offer = self
            .create_posting(offer_side, "offers", offer_body())
            .await;
        let proposed = self
            .post(
                "/api/v1/partnerships",
                Some(&by.token),
                &json!({ "need_id": need["id"], "offer_id": offer["id"], "message": "Hello" }),
            )
            .await;
        expect_json(proposed, StatusCode::CREATED).await
    }

    /// Counts rows of a table, to check that refused requests wrote nothing.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
    }
}

/// A valid need body; override fields with `merge`.
pub fn need_body() -> Value {
    json!({
        "title": "Refurbished laptops for our homework club",
        "description": "Twelve laptops for the youth homework club, with office software installed.",
        "language": "en",
        "category": "hardware",
        "skills": ["laptops_desktops"],
        "province": "QC",
        "quantity": 12
    })
}

pub fn offer_body() -> Value {
    json!({
        "title": "Cybersecurity awareness training for nonprofit staff",
        "description": "Four remote sessions on phishing, passwords and safe remote work for front-line staff.",
        "language": "en",
        "category": "cybersecurity",
        "skills": ["phishing_training"],
        "remote": true,
        "quantity": 10,
        "eligibility": { "org_kinds": ["nonprofit", "charity"], "provinces": ["QC", "ON"] }
    })
}

/// `base` with the fields of `changes` replaced.
pub fn merge(mut base: Value, changes: Value) -> Value {
    for (key, value) in changes.as_object().unwrap() {
        base[key] = value.clone();
    }
    base
}

/// Asserts the status and returns the JSON body (showing the body when the status is wrong).
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// Asserts a problem+json response with this status and code, and returns it.
pub async fn expect_problem(response: Response, status: StatusCode, code: &str) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = expect_json(response, status).await;
    assert_eq!(content_type, "application/problem+json", "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}

/// The field names of a 422 problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_object()
        .map(|e| e.keys().cloned().collect())
        .unwrap_or_default()
}
