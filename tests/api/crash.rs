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
    let mut command = command(&["serve"], data_dir, database_url);
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
