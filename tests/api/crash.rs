//! Crash safety: a real `passerelle serve` process is killed with SIGKILL in the middle of a burst
//! of writes, restarted, and checked: every acknowledged write is in the database and in the index
//! at its latest version, nothing closed or deleted can be found, `index verify` is clean.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::*;

/// What the client saw acknowledged for one posting.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Acked {
    Open { version: i64 },
    Closed { version: i64 },
    Deleted,
}

struct Server {
    child: Child,
    base: String,
}

/// `passerelle <subcommand...>` on this data directory and database, ignoring any local config.
fn command(subcommand: &[&str], data_dir: &std::path::Path, database_url: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_passerelle"));
    command
        .env("PASSERELLE_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .arg("--config")
        .arg(data_dir.join("none.toml"))
        .args(subcommand)
        .arg("--data-dir")
        .arg(data_dir);
    if let Some(url) = database_url {
        command.arg("--database-url").arg(url);
    }
    command
}

async fn start(data_dir: &std::path::Path, database_url: Option<&str>) -> Server {
    start_with(data_dir, database_url, &[]).await
}

/// `start` with more environment (`PASSERELLE_SMTP_URL`, say).
async fn start_with(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
    env: &[(&str, String)],
) -> Server {
    let mut command = command(&["serve"], data_dir, database_url);
    command.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let mut child = command
        .arg("--listen")
        .arg("127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the passerelle binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let Ok(event) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if event["message"] == "Passerelle is listening" {
                return event["address"].as_str().unwrap().to_owned();
            }
        }
        panic!("the server exited before listening");
    })
    .await
    .expect("the server listens within a minute");
    // Keep draining the log so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Server {
        child,
        base: format!("http://{address}"),
    }
}

async fn index_verify(data_dir: &std::path::Path, database_url: Option<&str>) -> (bool, String) {
    let output = command(&["index", "verify"], data_dir, database_url)
        .output()
        .await
        .expect("index verify runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// One writer's burst: create, edit, close or delete its own postings, recording what was
/// acknowledged, until the server dies. The write in flight when it died may or may not have
/// committed: its posting is returned apart.
async fn burst(
    client: reqwest::Client,
    base: String,
    token: String,
    writer: usize,
) -> (HashMap<i64, Acked>, Option<i64>) {
    let mut acked = HashMap::new();
    let mut in_flight = None;
    for round in 0.. {
        let title = format!("Crashproof item w{writer}r{round} laptops");
        let body = merge(need_body(), json!({ "title": title }));
        let Ok(response) = client
            .post(format!("{base}/api/v1/needs"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
        else {
            break;
        };
        if response.status() != StatusCode::CREATED {
            break;
        }
        let Ok(need) = response.json::<Value>().await else {
            break;
        };
        let id = need["id"].as_i64().unwrap();
        acked.insert(id, Acked::Open { version: 1 });
        in_flight = Some(id);
        let path = format!("{base}/api/v1/needs/{id}");
        let edit = json!({ "version": 1, "quantity": 3 });
        match client
            .patch(&path)
            .bearer_auth(&token)
            .json(&edit)
            .send()
            .await
        {
            Ok(r) if r.status() == StatusCode::OK => acked.insert(id, Acked::Open { version: 2 }),
            _ => break,
        };
        match round % 3 {
            0 => match client
                .patch(&path)
                .bearer_auth(&token)
                .json(&json!({ "version": 2, "status": "closed" }))
                .send()
                .await
            {
                Ok(r) if r.status() == StatusCode::OK => {
                    acked.insert(id, Acked::Closed { version: 3 })
                }
                _ => break,
            },
            1 => match client.delete(&path).bearer_auth(&token).send().await {
                Ok(r) if r.status() == StatusCode::NO_CONTENT => acked.insert(id, Acked::Deleted),
                _ => break,
            },
            _ => None,
        };
        in_flight = None;
    }
    (acked, in_flight)
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = match std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
        Ok(url) => Some(fresh_postgres(&url).await),
        Err(_) => None,
    };
    let database_url = database_url.as_deref();
    let client = reqwest::Client::new();
    let mut acked: HashMap<i64, Acked> = HashMap::new();
    let mut uncertain: Vec<i64> = Vec::new();
    let mut token = String::new();
    for attempt in 0..3 {
        let mut server = start(dir.path(), database_url).await;
        if attempt == 0 {
            let registration = client
                .post(format!("{}/api/v1/auth/register", server.base))
                .json(&json!({ "email": "crash@example.org", "password": PASSWORD, "display_name": "Crash",
                               "organization": { "name": "Crash Test Org", "kind": "nonprofit", "province": "QC" } }))
                .send()
                .await
                .unwrap();
            token = expect_json(registration, StatusCode::CREATED).await["token"]
                .as_str()
                .unwrap()
                .to_owned();
        }
        let writers: Vec<_> = (0..4)
            .map(|w| {
                tokio::spawn(burst(
                    client.clone(),
                    server.base.clone(),
                    token.clone(),
                    w + attempt * 10,
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(700 + 300 * attempt as u64)).await;
        server.child.start_kill().unwrap(); // SIGKILL: no shutdown, no flush
        server.child.wait().await.unwrap();
        for writer in writers {
            let (writes, in_flight) = writer.await.unwrap();
            acked.extend(writes);
            uncertain.extend(in_flight);
        }

        let mut server = start(dir.path(), database_url).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (clean, report) = index_verify(dir.path(), database_url).await;
            if clean {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "index verify never became clean:\n{report}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        for (id, state) in &acked {
            let response = client
                .get(format!("{}/api/v1/needs/{id}", server.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            if uncertain.contains(id) && response.status() == StatusCode::NOT_FOUND {
                continue; // its delete was in flight and committed
            }
            match state {
                Acked::Deleted => assert_eq!(
                    response.status(),
                    StatusCode::NOT_FOUND,
                    "need {id} was deleted"
                ),
                Acked::Open { version } | Acked::Closed { version } => {
                    let need = expect_json(response, StatusCode::OK).await;
                    assert!(
                        need["version"].as_i64().unwrap() >= *version,
                        "need {id} lost a write: {need}"
                    );
                    if matches!(state, Acked::Closed { .. }) && !uncertain.contains(id) {
                        assert_eq!(need["status"], "closed", "need {id}");
                    }
                }
            }
        }
        let found = client
            .get(format!(
                "{}/api/v1/search?q=crashproof&limit=50",
                server.base
            ))
            .send()
            .await
            .unwrap();
        let found = expect_json(found, StatusCode::OK).await;
        let found_ids: Vec<i64> = found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect();
        for id in &found_ids {
            assert!(
                !matches!(acked.get(id), Some(Acked::Closed { .. } | Acked::Deleted)),
                "closed or deleted need {id} was found"
            );
        }
        // Stop it and wait until it is gone: the next start needs the index lock it holds.
        server.child.kill().await.unwrap();
    }
    eprintln!(
        "crash test: {} postings acknowledged over 3 kills",
        acked.len()
    );
    assert!(
        acked.len() >= 10,
        "the bursts wrote too little to test anything: {}",
        acked.len()
    );
}

/// A writer's burst of messages on a partnership, each naming itself (`burst-w1-n7-end`), until
/// the server dies. Returns the acknowledged ones and the one in flight (it may have committed).
async fn message_burst(
    client: reqwest::Client,
    base: String,
    token: String,
    partnership: i64,
    writer: usize,
) -> (Vec<String>, Option<String>) {
    let mut acked = Vec::new();
    for n in 0.. {
        let body = format!("burst-w{writer}-n{n}-end");
        let sent = client
            .post(format!("{base}/api/v1/partnerships/{partnership}/messages"))
            .bearer_auth(&token)
            .json(&json!({ "body": body }))
            .send()
            .await;
        match sent {
            Ok(response) if response.status() == StatusCode::CREATED => acked.push(body),
            _ => return (acked, Some(body)),
        }
    }
    (acked, None)
}

/// Two organizations with a proposal between them; returns both tokens and the partnership.
async fn two_sides(client: &reqwest::Client, base: &str) -> (String, String, i64) {
    let mut tokens = Vec::new();
    let mut postings = Vec::new();
    for (name, kind, collection, body) in [
        ("Mail Nonprofit", "nonprofit", "needs", need_body()),
        ("Mail Company", "company", "offers", offer_body()),
    ] {
        let registration = client
            .post(format!("{base}/api/v1/auth/register"))
            .json(
                &json!({ "email": format!("{kind}@mail.example.org"), "password": PASSWORD,
                           "display_name": name,
                           "organization": { "name": name, "kind": kind, "province": "QC" } }),
            )
            .send()
            .await
            .unwrap();
        let token = expect_json(registration, StatusCode::CREATED).await["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let posting = client
            .post(format!("{base}/api/v1/{collection}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        postings.push(expect_json(posting, StatusCode::CREATED).await["id"].clone());
        tokens.push(token);
    }
    let proposal = client
        .post(format!("{base}/api/v1/partnerships"))
        .bearer_auth(&tokens[0])
        .json(&json!({ "need_id": postings[0], "offer_id": postings[1], "message": "Hello" }))
        .send()
        .await
        .unwrap();
    let id = expect_json(proposal, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap();
    (tokens.remove(0), tokens.remove(0), id)
}

/// How many emails name each burst message.
fn tally(messages: &[crate::smtp::Received]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for message in messages {
        let text = message.part("text/plain");
        for word in text.split(|c: char| c.is_whitespace() || "“”«»".contains(c)) {
            if word.starts_with("burst-") && word.ends_with("-end") {
                *seen.entry(word.to_owned()).or_insert(0) += 1;
            }
        }
    }
    seen
}

/// Waits until every body in `expected` has arrived (at most a minute), then a little longer for
/// late duplicates; returns the tally.
async fn delivered(smtp: &crate::smtp::SmtpServer, expected: &[String]) -> HashMap<String, usize> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let seen = tally(&smtp.messages().await);
        if expected.iter().all(|body| seen.contains_key(body)) {
            break;
        }
        let missing: Vec<_> = expected.iter().filter(|b| !seen.contains_key(*b)).collect();
        assert!(Instant::now() < deadline, "never delivered: {missing:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    tally(&smtp.messages().await)
}

#[tokio::test]
async fn every_committed_message_is_emailed_after_kill_9() {
    let smtp = crate::smtp::SmtpServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database_url = match std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
        Ok(url) => Some(fresh_postgres(&url).await),
        Err(_) => None,
    };
    let database_url = database_url.as_deref();
    let env = [
        ("PASSERELLE_SMTP_URL", smtp.url()),
        ("PASSERELLE_MAIL_LEASE_SECS", "2".to_owned()),
        ("PASSERELLE_MAIL_CONNECTIONS", "8".to_owned()),
    ];
    let client = reqwest::Client::new();
    let mut acked: Vec<String> = Vec::new();
    let mut uncertain: Vec<String> = Vec::new();
    let kills = 3;
    let mut sides = None;
    for attempt in 0..kills {
        let mut server = start_with(dir.path(), database_url, &env).await;
        if sides.is_none() {
            sides = Some(two_sides(&client, &server.base).await);
        }
        let (nonprofit, company, partnership) = sides.clone().unwrap();
        let writers: Vec<_> = [nonprofit, company]
            .into_iter()
            .enumerate()
            .map(|(w, token)| {
                tokio::spawn(message_burst(
                    client.clone(),
                    server.base.clone(),
                    token,
                    partnership,
                    w + attempt * 10,
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(800 + 300 * attempt as u64)).await;
        server.child.start_kill().unwrap(); // SIGKILL, in the middle of sending
        server.child.wait().await.unwrap();
        for writer in writers {
            let (bodies, in_flight) = writer.await.unwrap();
            acked.extend(bodies);
            uncertain.extend(in_flight);
        }
    }
    // A last start sends what the killed ones left.
    let mut server = start_with(dir.path(), database_url, &env).await;
    assert!(
        acked.len() >= 20,
        "the bursts wrote too little: {}",
        acked.len()
    );
    let seen = delivered(&smtp, &acked).await;
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    let unexpected: Vec<_> = seen
        .keys()
        .filter(|body| !acked.contains(body) && !uncertain.contains(body))
        .collect();
    eprintln!(
        "mail crash test: {} messages acknowledged over {kills} kills, {} emails, {duplicates} duplicates",
        acked.len(),
        seen.values().sum::<usize>()
    );
    assert!(
        unexpected.is_empty(),
        "emails for writes never made: {unexpected:?}"
    );
    // At most 8 messages are in flight (`mail_connections`): a kill can cut off at most their answers.
    assert!(
        duplicates <= kills * 8,
        "{duplicates} duplicates over {kills} kills"
    );
    server.child.kill().await.unwrap();
}

#[tokio::test]
async fn two_processes_on_one_database_send_each_message_once() {
    let smtp = crate::smtp::SmtpServer::start().await;
    let shared = tempfile::tempdir().unwrap();
    let database_url = match std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
        Ok(url) => fresh_postgres(&url).await,
        // Two processes may share a SQLite file too; each keeps its own index.
        Err(_) => format!(
            "sqlite://{}?mode=rwc",
            shared.path().join("shared.db").display()
        ),
    };
    let env = [("PASSERELLE_SMTP_URL", smtp.url())];
    let (first_dir, second_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = start_with(first_dir.path(), Some(&database_url), &env).await;
    let mut second = start_with(second_dir.path(), Some(&database_url), &env).await;
    let client = reqwest::Client::new();
    let (nonprofit, company, partnership) = two_sides(&client, &first.base).await;
    // Both processes take writes, so both senders are woken and race for the rows.
    let writers: Vec<_> = [(nonprofit, &first), (company, &second)]
        .into_iter()
        .enumerate()
        .map(|(w, (token, server))| {
            let (client, base) = (client.clone(), server.base.clone());
            tokio::spawn(async move {
                let mut bodies = Vec::new();
                for n in 0..40 {
                    let body = format!("burst-w{w}-n{n}-end");
                    let sent = client
                        .post(format!("{base}/api/v1/partnerships/{partnership}/messages"))
                        .bearer_auth(&token)
                        .json(&json!({ "body": body }))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(sent.status(), StatusCode::CREATED);
                    bodies.push(body);
                }
                bodies
            })
        })
        .collect();
    let mut acked = Vec::new();
    for writer in writers {
        acked.extend(writer.await.unwrap());
    }
    let seen = delivered(&smtp, &acked).await;
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(seen.len(), acked.len());
    first.child.kill().await.unwrap();
    second.child.kill().await.unwrap();
}
