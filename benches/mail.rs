//! Email speed: messages delivered per second by the sender to a local SMTP server, and what
//! recording notifications adds to the write that causes them.
//!
//! `cargo bench --bench mail -- [--messages N] [--postgres]`
//!
//! 1. Delivery: a partnership between two organizations, the receiving one with three members; N
//!    messages are written through the domain while no sender runs (each queues one email per
//!    member told), then the server starts and its sender drains the outbox into the SMTP server
//!    of `tests/api/smtp.rs` on loopback. The rate is counted from the first message received to
//!    the last.
//! 2. Overhead: `notifications::on_event` for a message event (three recipients: three
//!    notifications, three emails queued) timed inside its transaction, which is then rolled
//!    back, after 200 uncounted rounds; and the whole write (`messages::post`, committed) for
//!    scale.
//!
//! Prints Markdown tables for BENCHMARKS.md.

use std::time::{Duration, Instant};

use entity::OutboxEntity;
use passerelle::app::App;
use passerelle::config::Config;
use passerelle::domain::journal::Event;
use passerelle::domain::notifications;
use passerelle::domain::partnerships::messages::{self, MessageInput};
use sea_orm::TransactionTrait;
use serde_json::{Value, json};

#[allow(dead_code)]
#[path = "common/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "../tests/api/smtp.rs"]
mod smtp;
use measure::{ms, percentile};

const PASSWORD: &str = "correct-horse-battery-staple";

struct Args {
    messages: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut args = Args {
        messages: 2_000,
        postgres: None,
    };
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "--messages" => {
                args.messages = raw
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(args.messages)
            }
            "--postgres" => {
                args.postgres = Some(
                    std::env::var("PASSERELLE_BENCH_POSTGRES_URL")
                        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into()),
                )
            }
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// Runs a server until the returned sender is dropped or fired.
async fn serve(
    config: Config,
) -> anyhow::Result<(
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
)> {
    let app = App::build(config).await?;
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        app.run_until_stopped(async {
            stopped.await.ok();
        })
        .await
        .ok();
    });
    Ok((base, stop, task))
}

async fn post(client: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut request = client.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap_or_default()
    );
    response.json().await.unwrap_or(Value::Null)
}

/// Two organizations, the receiving one with three members, and a proposal between them.
/// Returns the proposer's user id and the partnership id.
async fn scene(base: &str) -> (i64, i64) {
    let client = reqwest::Client::new();
    let mut accounts = Vec::new();
    for (name, kind, collection, body) in [
        (
            "Bench Nonprofit",
            "nonprofit",
            "needs",
            json!({ "title": "Laptops for our homework club",
            "description": "Twelve laptops for the after-school program.", "language": "en",
            "category": "hardware", "province": "QC", "quantity": 1 }),
        ),
        (
            "Bench Company",
            "company",
            "offers",
            json!({ "title": "Refurbished laptops",
            "description": "Laptops for community groups.", "language": "en",
            "category": "hardware", "remote": true, "quantity": 1 }),
        ),
    ] {
        let registered = post(
            &client,
            format!("{base}/api/v1/auth/register"),
            None,
            json!({
            "email": format!("{kind}@bench.example.org"), "password": PASSWORD,
            "display_name": format!("{name} staff"),
            "organization": { "name": name, "kind": kind, "province": "QC" } }),
        )
        .await;
        let token = registered["token"].as_str().unwrap().to_owned();
        let posting = post(
            &client,
            format!("{base}/api/v1/{collection}"),
            Some(&token),
            body,
        )
        .await;
        accounts.push((
            token,
            registered["user"]["id"].as_i64().unwrap(),
            registered["organization"]["id"].as_i64().unwrap(),
            posting["id"].clone(),
        ));
    }
    let (company_token, company_org) = (&accounts[1].0, accounts[1].2);
    for n in 0..2 {
        let email = format!("colleague{n}@bench.example.org");
        post(
            &client,
            format!("{base}/api/v1/auth/register"),
            None,
            json!({ "email": email, "password": PASSWORD, "display_name": "Colleague" }),
        )
        .await;
        post(
            &client,
            format!("{base}/api/v1/organizations/{company_org}/members"),
            Some(company_token),
            json!({ "email": email, "role": "member" }),
        )
        .await;
    }
    let partnership = post(
        &client,
        format!("{base}/api/v1/partnerships"),
        Some(&accounts[0].0),
        json!({ "need_id": accounts[0].3, "offer_id": accounts[1].3, "message": "Hello" }),
    )
    .await;
    (accounts[0].1, partnership["id"].as_i64().unwrap())
}

fn main() -> anyhow::Result<()> {
    let args = args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let smtp = smtp::SmtpServer::start().await;
    let dir = tempfile::tempdir()?;
    let database_url = match &args.postgres {
        Some(url) => {
            let admin = sea_orm::Database::connect(url).await?;
            let name = format!("passerelle_bench_mail_{}", std::process::id());
            use sea_orm::ConnectionTrait;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            Some(format!(
                "{}/{name}",
                url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base)
            ))
        }
        None => None,
    };
    let config = Config {
        listen: "127.0.0.1:0".parse()?,
        data_dir: dir.path().to_path_buf(),
        database_url: database_url.clone(),
        smtp_url: Some(smtp.url()),
        signups_per_address: 1_000,
        ..Config::default()
    };
    let backend = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    // The scene, then stop: no sender runs while the outbox fills.
    let (base, stop, task) = serve(config.clone()).await?;
    let (author, partnership) = scene(&base).await;
    stop.send(()).ok();
    task.await?;
    let db = passerelle::db::connect(&config).await?;
    let before = smtp.count().await;

    // Overhead of notifications in the write, rolled back each time; the first rounds warm the
    // pool's connections (each prepares its statements once) and are not counted.
    let (warm_up, rounds) = (200, 2_000);
    let mut recording = Vec::with_capacity(rounds);
    for n in 0..warm_up + rounds {
        let txn = db.begin().await?;
        let event = Event::new(
            Some(author),
            "partnership.message",
            OutboxEntity::Partnership,
            partnership,
            json!({ "message_id": n, "excerpt": "How many laptops, and for when?" }),
        );
        let start = Instant::now();
        notifications::on_event(&txn, &event).await?;
        if n >= warm_up {
            recording.push(start.elapsed());
        }
        txn.rollback().await?;
    }
    recording.sort();

    // The whole write, committed: these are the messages the sender delivers next.
    let mut writes = Vec::with_capacity(args.messages);
    for n in 0..args.messages {
        let start = Instant::now();
        messages::post(
            &db,
            author,
            partnership,
            MessageInput {
                body: format!("Bench message {n}"),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        writes.push(start.elapsed());
    }
    writes.sort();
    // Everything waiting is sent next: these messages' emails and any the scene left.
    let waiting = {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        entity::email::Entity::find()
            .filter(entity::email::Column::Status.eq(entity::EmailStatus::Pending))
            .count(&db)
            .await? as usize
    };
    db.close().await?;
    let expected = before + waiting;

    // Delivery: the server starts and drains the outbox.
    let (_, stop, task) = serve(config.clone()).await?;
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut first: Option<Instant> = None;
    loop {
        let received = smtp.count().await;
        if received > before && first.is_none() {
            first = Some(Instant::now());
        }
        if received >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let last = Instant::now();
    let delivered = smtp.count().await - before;
    stop.send(()).ok();
    task.await?;
    let span = last - first.unwrap_or(last);

    println!(
        "### Email ({backend}, {} messages, 3 recipients each, {} SMTP connections)\n",
        args.messages, config.mail_connections
    );
    println!("| Delivery to a local SMTP server | emails | seconds | emails/s |");
    println!("|---|---|---|---|");
    println!(
        "| sender draining the outbox | {delivered} | {:.2} | {:.0} |",
        span.as_secs_f64(),
        (delivered.saturating_sub(1)) as f64 / span.as_secs_f64().max(f64::EPSILON)
    );
    println!();
    println!("| In the write | runs | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    println!(
        "| recording notifications (3 notifications, 3 emails queued) | {rounds} | {} | {} | {} |",
        ms(percentile(&recording, 0.5)),
        ms(percentile(&recording, 0.99)),
        ms(*recording.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| the whole write (`messages::post`, committed) | {} | {} | {} | {} |",
        writes.len(),
        ms(percentile(&writes, 0.5)),
        ms(percentile(&writes, 0.99)),
        ms(*writes.last().unwrap_or(&Duration::ZERO))
    );
    if let (Some(url), Some(_)) = (&args.postgres, &database_url) {
        let admin = sea_orm::Database::connect(url).await?;
        use sea_orm::ConnectionTrait;
        let name = format!("passerelle_bench_mail_{}", std::process::id());
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
    }
    Ok(())
}
