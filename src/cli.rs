//! The command line: `serve`, `migrate`, `reindex`, `index verify`, `match`, `admin create`,
//! `openapi`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;

#[derive(Debug, Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Partnership matchmaking for the nonprofit sector"
)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./passerelle.toml when it exists.
    #[arg(long, global = true, env = "PASSERELLE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Rebuild the search index from the database (stop the server first).
    Reindex(DbArgs),
    /// Search index maintenance.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Ranked partners for a posting, with reasons, as a table (safe while the server runs).
    #[command(subcommand)]
    Match(MatchCommand),
    /// Platform administration.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Print the allocation instance of a program's applications as JSON, the input of
    /// `allocate` (safe while the server runs).
    ProgramInstance {
        /// The program's id.
        id: i64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Solve a program's allocation exactly and print it as JSON (the format is in the README).
    Allocate {
        /// The instance, as JSON; `-` reads standard input.
        #[arg(value_name = "INSTANCE.json")]
        instance: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:3000].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Load the demo organizations, needs and offers (once; later starts keep them).
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    /// Data directory [default: ./data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL (sqlite://... or postgres://...) [default: sqlite://<data-dir>/passerelle.db].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Compare the database with the search index (counts and per-record versions) and print the
    /// differences. Exits with status 1 when they differ. Safe while the server runs.
    Verify(DbArgs),
}

#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Offers that fit a need.
    Need(MatchArgs),
    /// Needs an offer could serve.
    Offer(MatchArgs),
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Id of the need or offer.
    pub id: i64,
    /// How many candidates.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub limit: u16,
    /// Language of the reasons: en or fr.
    #[arg(long, default_value = "en", value_parser = ["en", "fr"])]
    pub lang: String,
    /// Also list the best candidates the eligibility rules excluded.
    #[arg(long)]
    pub explain_excluded: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Make a user a platform administrator, creating the account if needed.
    /// A new account's password is read from standard input.
    Create {
        /// Email of the administrator.
        #[arg(long)]
        email: String,
        /// Display name of a new account.
        #[arg(long, default_value = "Administrator")]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl DbArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            ..Overrides::default()
        }
    }
}

impl ServeArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            listen: self.listen,
            demo: self.demo.then_some(true),
            ..self.db.overrides()
        }
    }
}
