//! Insights and open data at scale: the gap map with and without its filters, computed (the
//! grouped query) and served (from the snapshot `GET /insights/gaps` keeps), the sector's figures
//! (`/insights`) the same two ways, organization and program dashboards (with their follow-ups),
//! and the open-data feeds streamed to the end (`GET /open/needs`,
//! `GET /open/360giving`), on a database holding N postings and M completed partnerships, on
//! SQLite and on PostgreSQL. For the feeds: records, bytes, time, and how much the process's
//! resident memory grew while streaming, beside the same records held in memory at once.
//!
//! `cargo bench --bench insights -- [--postings N] [--partnerships M] [--runs R] [--skip-postgres]`
//! Prints Markdown tables for BENCHMARKS.md.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use entity::follow_up::{FollowUpValue, FollowUpValues};
use entity::{
    ApplicationStatus, FollowUpDue, IndicatorValue, Language, OrgKind, PartnerRole,
    PartnershipStatus, PostingKind, PostingStatus, PostingUnit, SizeBand, StringList, TaxonomyKind,
    follow_up, organization, partnership, posting, program, program_application, program_component,
    program_partner,
};
use futures::StreamExt;
use passerelle::config::Config;
use passerelle::domain::accounts::Viewer;
use passerelle::domain::dashboards;
use passerelle::domain::insights::{self, GapCache, GapFilter};
use passerelle::domain::open_data;
use passerelle::domain::taxonomy::Taxonomy;
use passerelle::http::open_data::{grants_feed, postings_feed};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    TransactionTrait,
};

#[allow(dead_code)]
#[path = "common/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "common/records.rs"]
mod records;
use measure::{ms, percentile};
use records::PROVINCES;

struct Args {
    postings: usize,
    partnerships: usize,
    runs: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut args = Args {
        postings: 1_000_000,
        partnerships: 100_000,
        runs: 20,
        postgres: Some(
            std::env::var("PASSERELLE_BENCH_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into()),
        ),
    };
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        let mut number =
            |default: usize| raw.next().and_then(|n| n.parse().ok()).unwrap_or(default);
        match arg.as_str() {
            "--postings" => args.postings = number(args.postings),
            "--partnerships" => args.partnerships = number(args.partnerships),
            "--runs" => args.runs = number(args.runs),
            "--skip-postgres" => args.postgres = None,
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// The process's resident memory now and its peak since the last reset, in KiB (Linux).
fn memory_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs `work` and says how many MiB the resident memory peaked above where it started.
async fn growth_mib<T>(work: impl std::future::Future<Output = T>) -> (T, f64) {
    // Writing 5 to clear_refs resets the peak (VmHWM) to the current size.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = memory_kib("VmRSS:");
    let out = work.await;
    let peak = memory_kib("VmHWM:");
    (out, peak.saturating_sub(before) as f64 / 1024.0)
}

/// Programs, each with its cohort's partnerships among the first ones generated.
const PROGRAMS: i64 = 20;
/// Partnerships of each program's cohort.
const COHORT: i64 = 1_000;
const COMPONENTS: i64 = 4;

struct Corpus {
    orgs: Vec<organization::Model>,
    postings: Vec<posting::Model>,
    partnerships: Vec<partnership::Model>,
    /// Two per partnership; the one at 3 months reported once due.
    follow_ups: Vec<follow_up::Model>,
    programs: Vec<program::Model>,
    partners: Vec<program_partner::Model>,
    components: Vec<program_component::Model>,
    applications: Vec<program_application::Model>,
}

fn corpus(args: &Args, taxonomy: &Taxonomy, rng: &mut StdRng) -> Corpus {
    let now = Utc::now();
    let categories: Vec<&str> = taxonomy
        .entries(TaxonomyKind::Category)
        .map(|e| e.code.as_str())
        .collect();
    let causes: Vec<&str> = taxonomy
        .entries(TaxonomyKind::CauseArea)
        .map(|e| e.code.as_str())
        .collect();
    let orgs: Vec<organization::Model> = (1..=2_000)
        .map(|id| {
            let nonprofit = id % 5 != 0;
            let kind = if nonprofit {
                OrgKind::Charity
            } else {
                OrgKind::Company
            };
            let province = PROVINCES.choose(rng).unwrap();
            organization::Model {
                cause_areas: StringList(vec![causes.choose(rng).unwrap().to_string()]),
                size: Some(*SizeBand::ALL.choose(rng).unwrap()),
                charity_number: nonprofit.then(|| format!("{:09}RR0001", 100_000_000 + id)),
                ..records::organization(id, &format!("Organization {id}"), kind, province)
            }
        })
        .collect();
    let mut postings = Vec::with_capacity(args.postings);
    for id in 1..=args.postings as i64 {
        // Needs from nonprofits, offers from companies.
        let need = rng.random_bool(0.65);
        let org = loop {
            let org = orgs.choose(rng).unwrap();
            if (org.kind == OrgKind::Charity) == need {
                break org;
            }
        };
        let remote = rng.random_bool(0.4);
        let status = match rng.random_range(0..100) {
            0..60 => PostingStatus::Open,
            60..75 => PostingStatus::Fulfilled,
            75..90 => PostingStatus::Closed,
            90..95 => PostingStatus::Draft,
            _ => PostingStatus::Paused,
        };
        let posted = now - chrono::Duration::hours(rng.random_range(0..450 * 24));
        postings.push(posting::Model {
            title: format!("Posting {id}"),
            description: "Generated for the insights benchmark.".into(),
            category: categories.choose(rng).unwrap().to_string(),
            province: (!remote).then(|| org.province.clone()),
            remote,
            status,
            created_at: posted,
            updated_at: posted,
            ..records::posting(
                id,
                org.id,
                if need {
                    PostingKind::Need
                } else {
                    PostingKind::Offer
                },
            )
        });
    }
    let needs: Vec<&posting::Model> = postings
        .iter()
        .filter(|p| p.kind == PostingKind::Need)
        .collect();
    let offers: Vec<&posting::Model> = postings
        .iter()
        .filter(|p| p.kind == PostingKind::Offer)
        .collect();
    let partnerships = (1..=args.partnerships as i64)
        .map(|id| {
            let (need, offer) = (needs.choose(rng).unwrap(), offers.choose(rng).unwrap());
            let completed = now - chrono::Duration::hours(rng.random_range(0..365 * 24));
            partnership::Model {
                id,
                need_id: need.id,
                offer_id: offer.id,
                need_org_id: need.organization_id,
                offer_org_id: offer.organization_id,
                proposer_org_id: need.organization_id,
                proposer_user_id: None,
                responder_user_id: None,
                status: PartnershipStatus::Completed,
                message: "Generated.".into(),
                score: None,
                reasons: None,
                response_note: None,
                closing_note: None,
                reason_code: None,
                outcome: Some(entity::Outcome {
                    hours: f64::from(rng.random_range(1..200)),
                    value_cad: f64::from(rng.random_range(100..50_000)),
                    delivered: "Four sessions for eight staff, and a follow-up a month later."
                        .into(),
                    indicators: vec![entity::Indicator {
                        name: "Staff and volunteers trained".into(),
                        code: Some("staff_trained".into()),
                        unit: Some("people".into()),
                        before: entity::IndicatorValue::Number(2.0),
                        target: Some(entity::IndicatorValue::Number(8.0)),
                        after: entity::IndicatorValue::Number(8.0),
                    }],
                }),
                expires_at: completed,
                reminders_sent: 0,
                responded_at: Some(completed - chrono::Duration::days(60)),
                started_at: Some(completed - chrono::Duration::days(50)),
                completed_at: Some(completed),
                units: 1,
                need_units: None,
                offer_units: None,
                need_public: true,
                offer_public: true,
                program_id: (id <= PROGRAMS * COHORT).then(|| (id - 1) / COHORT + 1),
                component_id: (id <= PROGRAMS * COHORT)
                    .then(|| ((id - 1) / COHORT) * COMPONENTS + id % COMPONENTS + 1),
                version: 1,
                created_at: completed - chrono::Duration::days(70),
                updated_at: completed,
            }
        })
        .collect::<Vec<_>>();
    let mut follow_ups = Vec::with_capacity(partnerships.len() * 2);
    for p in &partnerships {
        let completed = p.completed_at.unwrap_or(now);
        for due in FollowUpDue::ALL {
            let due_at = passerelle::domain::outcomes::due_at(*due, completed);
            let reported = due_at < now;
            follow_ups.push(follow_up::Model {
                id: follow_ups.len() as i64 + 1,
                partnership_id: p.id,
                due: *due,
                due_at,
                values: FollowUpValues(if reported {
                    vec![FollowUpValue {
                        key: "staff_trained".into(),
                        value: IndicatorValue::Number(f64::from(rng.random_range(6..12))),
                    }]
                } else {
                    Vec::new()
                }),
                note: None,
                reported_at: reported.then_some(due_at),
                reported_by: None,
                reminded_at: None,
                created_at: completed,
            });
        }
    }
    let programs: Vec<program::Model> = (1..=PROGRAMS)
        .map(|id| {
            let lead = &orgs[(id as usize * 5 - 1) % orgs.len()];
            program::Model {
                id,
                lead_org_id: lead.id,
                title: format!("Program {id}"),
                description: "Generated for the insights benchmark.".into(),
                language: Language::En,
                translated_title: None,
                translated_description: None,
                opens_at: now - chrono::Duration::days(400),
                closes_at: now - chrono::Duration::days(380),
                eligibility: Default::default(),
                sizes: StringList::default(),
                priority_groups: Default::default(),
                questions: StringList::default(),
                milestones: Default::default(),
                indicators: StringList(vec!["staff_trained".into()]),
                diminishing: 0.5,
                fairness: 0.05,
                created_by: None,
                version: 1,
                created_at: now - chrono::Duration::days(410),
                updated_at: now - chrono::Duration::days(410),
            }
        })
        .collect();
    let partners = programs
        .iter()
        .map(|p| program_partner::Model {
            id: p.id,
            program_id: p.id,
            organization_id: orgs[(p.id as usize * 5 + 4) % orgs.len()].id,
            role: PartnerRole::Equipment,
            cap: None,
        })
        .collect();
    let components = programs
        .iter()
        .flat_map(|p| {
            (1..=COMPONENTS).map(move |c| program_component::Model {
                id: (p.id - 1) * COMPONENTS + c,
                program_id: p.id,
                partner_org_id: p.lead_org_id,
                title: format!("Component {c}"),
                description: String::new(),
                category: "hardware".into(),
                unit: PostingUnit::Items,
                capacity: (COHORT / COMPONENTS) as i32,
                per_org_max: None,
                value_cad: None,
                offer_id: None,
            })
        })
        .collect();
    // Each cohort organization applied and was selected; as many again were not.
    let mut applications = Vec::new();
    for program in &programs {
        let mut applied = std::collections::HashSet::new();
        let cohort = partnerships
            .iter()
            .filter(|p| p.program_id == Some(program.id))
            .map(|p| (p.need_org_id, ApplicationStatus::Selected));
        let others = orgs
            .iter()
            .filter(|o| o.kind == OrgKind::Charity)
            .map(|o| (o.id, ApplicationStatus::NotSelected));
        for (org_id, status) in cohort.chain(others) {
            if applied.len() >= 2 * COHORT as usize || !applied.insert(org_id) {
                continue;
            }
            applications.push(program_application::Model {
                id: applications.len() as i64 + 1,
                program_id: program.id,
                organization_id: org_id,
                status,
                requests: Default::default(),
                answers: StringList::default(),
                groups: StringList::default(),
                max_units: None,
                all_or_nothing: false,
                decision: None,
                created_by: None,
                submitted_at: Some(program.opens_at),
                version: 1,
                created_at: program.opens_at,
                updated_at: program.opens_at,
            });
        }
    }
    Corpus {
        orgs,
        postings,
        partnerships,
        follow_ups,
        programs,
        partners,
        components,
        applications,
    }
}

/// Inserts records in statements of `per` rows (under both databases' limit on bound parameters),
/// `per_txn` rows to a transaction.
async fn insert_all<M>(db: &DatabaseConnection, rows: &[M], per: usize) -> anyhow::Result<()>
where
    M: sea_orm::ModelTrait + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel> + Clone,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    for batch in rows.chunks(50_000) {
        let txn = db.begin().await?;
        for chunk in batch.chunks(per) {
            let rows = chunk
                .iter()
                .map(|r| r.clone().into_active_model().reset_all());
            <M::Entity as EntityTrait>::insert_many(rows)
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(())
}

async fn load(db: &DatabaseConnection, corpus: &Corpus) -> anyhow::Result<Duration> {
    let start = Instant::now();
    passerelle::db::migrate(db).await?;
    for chunk in corpus.orgs.chunks(1_000) {
        let rows = chunk
            .iter()
            .map(|o| o.clone().into_active_model().reset_all());
        organization::Entity::insert_many(rows).exec(db).await?;
    }
    // Rows per statement, under both databases' limit on bound parameters.
    for batch in corpus.postings.chunks(100_000) {
        let txn = db.begin().await?;
        for chunk in batch.chunks(1_000) {
            let rows = chunk
                .iter()
                .map(|p| p.clone().into_active_model().reset_all());
            posting::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit().await?;
    }
    // Programs before the partnerships that name them.
    insert_all(db, &corpus.programs, 100).await?;
    insert_all(db, &corpus.partners, 500).await?;
    insert_all(db, &corpus.components, 500).await?;
    insert_all(db, &corpus.applications, 500).await?;
    insert_all(db, &corpus.partnerships, 500).await?;
    insert_all(db, &corpus.follow_ups, 1_000).await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Sequences after explicit ids, and fresh planner statistics, as after a real load.
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(start.elapsed())
}

struct Timing {
    p50: Duration,
    p99: Duration,
    rows: usize,
}

/// Times `runs` calls of `work`, which returns how many rows it read.
async fn timed<F, Fut>(runs: usize, mut work: F) -> anyhow::Result<Timing>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let start = Instant::now();
        rows = work().await?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(Timing {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        rows,
    })
}

struct Feed {
    records: usize,
    bytes: usize,
    time: Duration,
    growth_mib: f64,
}

/// Reads a streamed response to its end, counting its bytes; `records` counts a marker.
async fn drain(
    response: axum::response::Response,
    marker: &[u8],
) -> anyhow::Result<(usize, usize)> {
    let mut stream = response.into_body().into_data_stream();
    let (mut bytes, mut records) = (0, 0);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        bytes += chunk.len();
        records += chunk.windows(marker.len()).filter(|w| *w == marker).count();
    }
    Ok((records, bytes))
}

async fn feed(
    work: impl std::future::Future<Output = anyhow::Result<(usize, usize)>>,
) -> anyhow::Result<Feed> {
    let start = Instant::now();
    let (result, growth_mib) = growth_mib(work).await;
    let (records, bytes) = result?;
    Ok(Feed {
        records,
        bytes,
        time: start.elapsed(),
        growth_mib,
    })
}

/// Every grant read into memory first, then written out: what streaming avoids.
async fn grants_held(
    db: &DatabaseConnection,
    taxonomy: &Taxonomy,
) -> anyhow::Result<(usize, usize)> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let (batch, last) = open_data::grants_after(db, taxonomy, after).await?;
        all.extend(batch);
        match last {
            Some(last) => after = last,
            None => break,
        }
    }
    let body = serde_json::to_vec(&serde_json::json!({ "grants": all }))?;
    Ok((all.len(), body.len()))
}

async fn measure_backend(
    name: &str,
    db: DatabaseConnection,
    taxonomy: Arc<Taxonomy>,
    args: &Args,
    partnership_counts: &HashMap<i64, usize>,
) -> anyhow::Result<()> {
    let filters = [
        ("no filter", GapFilter::default()),
        (
            "cause area (youth)",
            GapFilter {
                cause_area: Some("youth".into()),
                size: None,
            },
        ),
        (
            "size (small)",
            GapFilter {
                cause_area: None,
                size: Some(SizeBand::Small),
            },
        ),
    ];
    println!("\n### {name}\n");
    println!(
        "| Gap map | rows | computed p50 (ms) | computed p99 (ms) | served p50 (ms) | served p99 (ms) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    // Served: what `GET /insights/gaps` answers from its snapshot (as configured by default).
    let cache = GapCache::new("gaps", Duration::from_secs(300));
    for (label, filter) in &filters {
        let computed = timed(args.runs, || async {
            Ok(insights::gaps(&db, filter, Utc::now()).await?.len())
        })
        .await?;
        insights::cached_gaps(&cache, &db, filter).await?;
        let served = timed(args.runs * 10, || async {
            Ok(insights::cached_gaps(&cache, &db, filter).await?.len())
        })
        .await?;
        println!(
            "| {label} | {} | {} | {} | {} | {} |",
            computed.rows,
            ms(computed.p50),
            ms(computed.p99),
            ms(served.p50),
            ms(served.p99)
        );
    }
    // The sector's figures, computed and served.
    let sector_cache = insights::Snapshots::new("sector", Duration::from_secs(300));
    let computed = timed(args.runs, || async {
        Ok(insights::sector(&db, Utc::now()).await?.completed_12_months)
    })
    .await?;
    insights::cached_sector(&sector_cache, &db).await?;
    let served = timed(args.runs * 10, || async {
        Ok(insights::cached_sector(&sector_cache, &db)
            .await?
            .completed_12_months)
    })
    .await?;
    println!();
    println!(
        "| Sector (`/insights`) | completed in 12 months | computed p50 (ms) | computed p99 (ms) | served p50 (ms) | served p99 (ms) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| all | {} | {} | {} | {} | {} |",
        computed.rows,
        ms(computed.p50),
        ms(computed.p99),
        ms(served.p50),
        ms(served.p99)
    );
    // Organization dashboards: the organizations with the most partnerships, and a sample.
    let admin = Viewer {
        is_admin: true,
        ..Viewer::default()
    };
    let mut busiest: Vec<(i64, usize)> = partnership_counts.iter().map(|(k, v)| (*k, *v)).collect();
    busiest.sort_by_key(|b| std::cmp::Reverse(b.1));
    let sample: Vec<i64> = busiest
        .iter()
        .step_by(busiest.len().div_ceil(50).max(1))
        .map(|(id, _)| *id)
        .collect();
    let mut next = 0;
    let dashboard = timed(args.runs * 3, || {
        let id = sample[next % sample.len()];
        next += 1;
        let (db, admin) = (&db, &admin);
        async move {
            let d = dashboards::organization(db, admin, id, Utc::now()).await?;
            Ok(d.received.completed + d.given.completed)
        }
    })
    .await?;
    println!();
    println!("| Organization dashboard | partnerships (busiest) | p50 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|");
    println!(
        "| {} organizations, busiest first | {} | {} | {} |",
        sample.len(),
        busiest.first().map_or(0, |b| b.1),
        ms(dashboard.p50),
        ms(dashboard.p99)
    );
    // Program dashboards: every program, each with a cohort of `COHORT` partnerships.
    let mut next = 0;
    let program_dashboard = timed(args.runs * 3, || {
        let id = next % PROGRAMS + 1;
        next += 1;
        let (db, admin) = (&db, &admin);
        async move {
            let view = passerelle::domain::programs::get(db, None, id).await?;
            let d = dashboards::program(admin, &view)?;
            Ok(d.outcomes.completed)
        }
    })
    .await?;
    println!();
    println!("| Program dashboard | partnerships (each) | p50 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|");
    println!(
        "| {PROGRAMS} programs in turn | {} | {} | {} |",
        program_dashboard.rows,
        ms(program_dashboard.p50),
        ms(program_dashboard.p99)
    );
    println!();
    println!("| Open-data feed | records | MiB sent | time (s) | memory growth (MiB) |");
    println!("|---|---:|---:|---:|---:|");
    let feeds = [
        (
            "`/open/needs` (JSON, streamed)",
            feed(drain(
                postings_feed(db.clone(), PostingKind::Need, None),
                b"\"posted_at\"",
            ))
            .await?,
        ),
        (
            "`/open/360giving` (streamed)",
            feed(drain(
                grants_feed(db.clone(), taxonomy.clone()),
                b"\"awardDate\"",
            ))
            .await?,
        ),
        (
            "the same grants held in memory, then written",
            feed(grants_held(&db, &taxonomy)).await?,
        ),
    ];
    for (label, f) in feeds {
        println!(
            "| {label} | {} | {:.1} | {:.2} | {:.1} |",
            f.records,
            f.bytes as f64 / 1_048_576.0,
            f.time.as_secs_f64(),
            f.growth_mib
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = args();
    let runtime = tokio::runtime::Runtime::new()?;
    let taxonomy = Arc::new(Taxonomy::builtin()?);
    let mut rng = StdRng::seed_from_u64(2026);
    let corpus = corpus(&args, &taxonomy, &mut rng);
    println!(
        "Corpus: {} organizations, {} postings, {} completed partnerships (all listed) with {} follow-ups, {} programs with {} applications; {} runs per query.",
        corpus.orgs.len(),
        corpus.postings.len(),
        corpus.partnerships.len(),
        corpus.follow_ups.len(),
        corpus.programs.len(),
        corpus.applications.len(),
        args.runs
    );
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for p in &corpus.partnerships {
        *counts.entry(p.need_org_id).or_default() += 1;
        *counts.entry(p.offer_org_id).or_default() += 1;
    }
    let work = tempfile::tempdir()?;
    runtime.block_on(async {
        let config = Config {
            data_dir: work.path().join("sqlite"),
            ..Config::default()
        };
        let db = passerelle::db::connect(&config).await?;
        let loaded = load(&db, &corpus).await?;
        println!("SQLite: loaded in {:.0} s.", loaded.as_secs_f64());
        measure_backend("SQLite", db.clone(), taxonomy.clone(), &args, &counts).await?;
        db.close().await?;
        if let Some(server) = &args.postgres {
            let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
            admin
                .execute_unprepared("DROP DATABASE IF EXISTS passerelle_bench_insights")
                .await?;
            admin
                .execute_unprepared("CREATE DATABASE passerelle_bench_insights")
                .await?;
            admin.close().await?;
            let config = Config {
                database_url: Some(format!("{server}/passerelle_bench_insights")),
                ..Config::default()
            };
            let db = passerelle::db::connect(&config).await?;
            let loaded = load(&db, &corpus).await?;
            println!("PostgreSQL: loaded in {:.0} s.", loaded.as_secs_f64());
            measure_backend("PostgreSQL", db.clone(), taxonomy.clone(), &args, &counts).await?;
            db.close().await?;
        }
        anyhow::Ok(())
    })?;
    println!(
        "\nPeak resident memory of the whole run: {} MiB.",
        measure::peak_memory_mib()
    );
    Ok(())
}
