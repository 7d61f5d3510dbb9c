//! The `passerelle` command: parse the command line, load the configuration, dispatch.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use passerelle::app::{App, shutdown_signal};
use std::sync::Arc;

use passerelle::cli::{AdminCommand, Cli, Command, IndexCommand, MatchArgs, MatchCommand};
use passerelle::config::{Config, Overrides};
use passerelle::domain::accounts;
use passerelle::domain::taxonomy::Taxonomy;
use passerelle::domain::types::{Email, Password};
use passerelle::{db, http, search, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let overrides = match &cli.command {
        Command::Serve(args) => args.overrides(),
        Command::Migrate(args)
        | Command::Reindex(args)
        | Command::Index(IndexCommand::Verify(args))
        | Command::Match(MatchCommand::Need(MatchArgs { db: args, .. }))
        | Command::Match(MatchCommand::Offer(MatchArgs { db: args, .. }))
        | Command::Admin(AdminCommand::Create { db: args, .. })
        | Command::ProgramInstance { db: args, .. } => args.overrides(),
        Command::Openapi | Command::Allocate { .. } => Overrides::default(),
    };
    let config = match Config::load(cli.config.as_deref(), &overrides) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("passerelle: invalid configuration: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("passerelle: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("passerelle: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve(_) => {
            App::build(config)
                .await?
                .run_until_stopped(shutdown_signal())
                .await
        }
        Command::Migrate(_) => {
            let db = db::connect(&config).await?;
            db::migrate(&db).await?;
            println!(
                "Database at {} is up to date.",
                db::redact(&config.database_url())
            );
            Ok(())
        }
        Command::Admin(AdminCommand::Create { email, name, .. }) => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
            // A mistyped --data-dir would otherwise create a new, empty database.
            let sqlite_file = config.data_dir.join("passerelle.db");
            if config.database_url.is_none() && !sqlite_file.exists() {
                anyhow::bail!(
                    "no database at {}; check --data-dir, or start `passerelle serve` once",
                    sqlite_file.display()
                );
            }
            let db = db::connect(&config).await?;
            db::migrate(&db).await?;
            let password = if accounts::user_exists(&db, &email).await? {
                eprintln!(
                    "{} has an account; its password is unchanged.",
                    email.as_str()
                );
                None
            } else {
                eprintln!(
                    "New account {}: type its password and press Enter.",
                    email.as_str()
                );
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("cannot read the password")?;
                let line = line.trim_end_matches(['\r', '\n']);
                Some(
                    Password::parse(line, &[email.as_str()])
                        .map_err(|e| anyhow::anyhow!("password {e}"))?,
                )
            };
            let created = accounts::make_admin(&db, &email, &name, password.as_ref()).await?;
            let what = if created {
                "Created administrator"
            } else {
                "Made administrator:"
            };
            println!("{what} {}", email.as_str());
            Ok(())
        }
        Command::Reindex(_) => {
            let db = db::connect(&config).await?;
            db::migrate(&db).await?;
            let taxonomy = Arc::new(Taxonomy::builtin()?);
            let started = std::time::Instant::now();
            search::open(&config.data_dir.join("index"), &db, taxonomy, true).await?;
            println!(
                "Search index rebuilt in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Index(IndexCommand::Verify(_)) => {
            let db = db::connect(&config).await?;
            let taxonomy = Taxonomy::builtin()?;
            let handle = search::open_read_only(&config.data_dir.join("index"), &taxonomy)?;
            let report = search::verify::verify(&db, &handle).await?;
            println!(
                "{} documents; outbox applied up to {} of {}.",
                report.documents, report.applied, report.latest
            );
            for key in &report.missing {
                println!("missing from the index: {key}");
            }
            for key in &report.extra {
                println!("in the index but not public in the database: {key}");
            }
            for (key, db_version, index_version) in &report.stale {
                println!(
                    "stale: {key} is version {db_version} in the database, {index_version} in the index"
                );
            }
            if report.is_clean() {
                println!("The index matches the database.");
                Ok(())
            } else {
                if report.applied < report.latest {
                    println!(
                        "(changes after outbox id {} are still being applied)",
                        report.applied
                    );
                }
                std::process::exit(1);
            }
        }
        Command::Match(command) => {
            let (kind, args) = match command {
                MatchCommand::Need(args) => (entity::PostingKind::Need, args),
                MatchCommand::Offer(args) => (entity::PostingKind::Offer, args),
            };
            let db = db::connect(&config).await?;
            let taxonomy = Arc::new(Taxonomy::builtin()?);
            let handle = search::open_read_only(&config.data_dir.join("index"), &taxonomy)?;
            let options = passerelle::matching::MatchOptions {
                limit: usize::from(args.limit),
                language: entity::Language::parse(&args.lang).unwrap_or(entity::Language::En),
                explain_excluded: args.explain_excluded,
                max_pending: config.max_pending_proposals,
            };
            // The operator sees every posting, as an administrator does.
            let viewer = passerelle::domain::accounts::Viewer {
                is_admin: true,
                ..Default::default()
            };
            let matches = passerelle::matching::find(
                &db, &handle, &taxonomy, &viewer, kind, args.id, options,
            )
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
            print!("{}", passerelle::matching::table(&matches));
            Ok(())
        }
        Command::ProgramInstance { id, .. } => {
            let db = db::connect(&config).await?;
            let taxonomy = Arc::new(Taxonomy::builtin()?);
            let handle = search::open_read_only(&config.data_dir.join("index"), &taxonomy)?;
            let fit = passerelle::matching::allocation_fit(&handle, &taxonomy);
            let instance = passerelle::domain::programs::program_instance(&db, id, &fit)
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            println!("{}", serde_json::to_string_pretty(&instance)?);
            Ok(())
        }
        Command::Allocate { instance } => {
            let text = if instance.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&instance)
                    .with_context(|| format!("cannot read {}", instance.display()))?
            };
            let instance: passerelle::allocation::Instance = serde_json::from_str(&text)
                .with_context(|| format!("{} is not an allocation instance", instance.display()))?;
            let allocation = passerelle::allocation::solve(&instance)?;
            println!("{}", serde_json::to_string(&allocation)?);
            Ok(())
        }
        Command::Openapi => {
            let (_, openapi) = http::api().split_for_parts();
            println!(
                "{}",
                serde_json::to_string_pretty(&http::docs::finish(openapi))?
            );
            Ok(())
        }
    }
}
