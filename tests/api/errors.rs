//! Transport-level behaviour: problem documents for bad bodies, unknown routes and methods;
//! health checks; security headers and request ids.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn malformed_json_is_400_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    for body in ["{\"title\": ", "not json", "", "[1,2"] {
        let response = app
            .request(reqwest::Method::POST, "/api/v1/needs", Some(&account.token))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        expect_problem(response, StatusCode::BAD_REQUEST, "malformed_json").await;
    }
    assert_eq!(app.count("posting").await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = TestApp::spawn().await;
    let response = app
        .request(reqwest::Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a&password=b")
        .send()
        .await
        .unwrap();
    expect_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = TestApp::spawn_with(|c| c.body_limit_bytes = 4_096).await;
    let account = app.nonprofit().await;
    let body = merge(
        need_body(),
        serde_json::json!({ "description": "x".repeat(8_000) }),
    );
    let response = app.post("/api/v1/needs", Some(&account.token), &body).await;
    expect_problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.count("posting").await, 0);
}

#[tokio::test]
async fn unknown_routes_and_methods_get_problem_documents() {
    let app = TestApp::spawn().await;
    expect_problem(
        app.get("/api/v1/nothing-here", None).await,
        StatusCode::NOT_FOUND,
        "route_not_found",
    )
    .await;
    let put = app
        .request(reqwest::Method::PUT, "/api/v1/needs", None)
        .send()
        .await
        .unwrap();
    expect_problem(put, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let bad_id = app.get("/api/v1/needs/abc", None).await;
    expect_problem(bad_id, StatusCode::BAD_REQUEST, "invalid_parameter").await;
}

#[tokio::test]
async fn health_checks_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(
        expect_json(app.get("/healthz", None).await, StatusCode::OK).await["status"],
        "ok"
    );
    assert_eq!(
        expect_json(app.get("/readyz", None).await, StatusCode::OK).await["status"],
        "ready"
    );
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.db.clone().close().await.unwrap();
    expect_problem(
        app.get("/readyz", None).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
    )
    .await;
    assert_eq!(
        app.get("/healthz", None).await.status(),
        StatusCode::OK,
        "the process is still up"
    );
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/api/v1/needs", "/api/v1/missing", "/api/docs"] {
        let response = app.get(path, None).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
            "{path}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert_eq!(
            headers["x-request-id"].to_str().unwrap().len(),
            36,
            "{path}: a UUID"
        );
    }
    let echoed = app
        .request(reqwest::Method::GET, "/healthz", None)
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "trace-me-42");
}

#[tokio::test]
async fn a_client_that_stops_sending_its_body_gets_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|c| c.request_timeout_secs = 1).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"email\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut response = vec![0; 4096];
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read(&mut response),
    )
    .await;
    let text = String::from_utf8_lossy(&response[..read.unwrap().unwrap()]).to_string();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
}

#[tokio::test]
async fn api_responses_are_not_cached_and_the_root_is_the_home_page() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/taxonomy", None).await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    let root = app.get("/", None).await;
    assert_eq!(root.status(), StatusCode::OK);
    assert!(
        root.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(root.text().await.unwrap().contains(r#"href="/api/docs""#));
}

#[tokio::test]
async fn a_refused_field_carries_its_code_params_and_english_message() {
    let app = TestApp::spawn().await;
    let account = app.nonprofit().await;
    let body = merge(
        need_body(),
        json!({ "title": "x".repeat(201), "province": "NY", "quantity": 0 }),
    );
    let response = app.post("/api/v1/needs", Some(&account.token), &body).await;
    let problem = expect_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem["errors"]["title"],
        json!([{ "code": "too_long", "message": "must be at most 200 characters",
                 "params": { "max": 200 } }])
    );
    assert_eq!(problem["errors"]["province"][0]["code"], "unknown_province");
    assert_eq!(problem["errors"]["province"][0]["params"]["value"], "NY");
    assert_eq!(
        problem["errors"]["quantity"],
        json!([{ "code": "out_of_range", "message": "must be between 1 and 100000",
                 "params": { "min": 1, "max": 100000 } }])
    );
    // A body serde refuses speaks the same way.
    let wrong = app
        .post(
            "/api/v1/needs",
            Some(&account.token),
            &merge(need_body(), json!({ "quantity": "many", "colour": "blue" })),
        )
        .await;
    let problem =
        expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let codes: Vec<&str> = problem["errors"]
        .as_object()
        .unwrap()
        .values()
        .map(|errors| errors[0]["code"].as_str().unwrap())
        .collect();
    assert!(
        codes == ["unknown_field"] || codes == ["wrong_type"],
        "serde reports the first problem it meets: {problem:#}"
    );
}

#[tokio::test]
async fn clients_that_never_finish_their_headers_are_closed_and_others_still_get_in() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|c| {
        c.max_connections = 4;
        c.header_timeout_secs = 1;
    })
    .await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    // Twice the limit, each stopping in the middle of its request line.
    let mut slow = Vec::new();
    for _ in 0..8 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET /healthz HT").await.unwrap();
        slow.push(stream);
    }
    // While they are held, a request waits for a free connection rather than failing.
    let client = reqwest::Client::new();
    let waiting = tokio::spawn({
        let url = app.url("/healthz");
        async move {
            let response = client.get(url).send().await.unwrap();
            (response.status(), Instant::now())
        }
    });
    for (index, stream) in slow.iter_mut().enumerate() {
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest))
            .await
            .unwrap_or_else(|_| panic!("slow connection {index} still open after 10 s"));
        assert!(
            closed.is_ok()
                || closed.is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "connection {index}"
        );
    }
    let all_closed = started.elapsed();
    // Two rounds of four, one second each, on a busy machine.
    assert!(all_closed < Duration::from_secs(8), "{all_closed:?}");
    let (status, answered) = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("/healthz answers once the slow clients are gone")
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(
        answered - started >= Duration::from_secs(1),
        "/healthz waited for a free connection ({:?})",
        answered - started
    );
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_shutdown_lets_the_request_in_flight_finish_and_accepts_no_more() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let mut config = passerelle::config::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    if let Ok(url) = std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
        config.database_url = Some(fresh_postgres(&url).await);
    }
    let app = passerelle::app::App::build(config).await.unwrap();
    let address = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        stopped.await.ok();
    }));
    let body = r#"{"email": "nobody@example.org", "password": "not the password"}"#;
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "a stopping server accepts no new connection"
    );
    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("the answer comes and the connection closes")
        .unwrap();
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 401"), "{text}");
    assert!(text.contains("invalid_credentials"), "{text}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops once the request is answered")
        .unwrap()
        .unwrap();
}
