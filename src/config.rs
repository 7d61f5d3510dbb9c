//! Configuration, layered: defaults < `passerelle.toml` < `PASSERELLE_*` environment < command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Everything Passerelle can be told. Each field is a row of the README's configuration table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server binds.
    pub listen: SocketAddr,
    /// Directory for the SQLite database (and, later, the search index).
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; defaults to `sqlite://<data_dir>/passerelle.db`.
    pub database_url: Option<String>,
    /// Load the demo organizations and postings at start (once).
    pub demo: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit_bytes: usize,
    /// Longest a request may take, reading its body included, in seconds (then 408).
    pub request_timeout_secs: u64,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: u32,
    /// Seconds a connection has to send a request's headers (idle kept-alive connections too)
    /// before it is closed.
    pub header_timeout_secs: u32,
    /// Mark the session cookie `Secure` (set when served over https).
    pub cookie_secure: bool,
    /// How long a sign-in session lasts, in days.
    pub session_days: u32,
    /// Failed sign-ins allowed per account per 15 minutes.
    pub login_failures_per_account: u32,
    /// Failed sign-ins allowed per client address per 15 minutes.
    pub login_failures_per_address: u32,
    /// Sign-ups allowed per client address per 15 minutes.
    pub signups_per_address: u32,
    /// Maximum database connections in the pool.
    pub db_max_connections: u32,
    /// `text` or `json` log lines.
    pub log_format: LogFormat,
    /// Proposals a posting may have waiting for an answer; the next one is refused.
    pub max_pending_proposals: u32,
    /// Days a proposal waits for an answer before it expires.
    pub proposal_expiry_days: u32,
    /// Days applied outbox rows are kept before they are pruned.
    pub outbox_retention_days: u32,
    /// Where email goes: `smtp://user:pass@host:25` (plain), `smtp://...:587?tls=required`
    /// (STARTTLS) or `smtps://...:465`. Without it, each message is written as an `.eml` file under
    /// `<data_dir>/mail/`.
    pub smtp_url: Option<String>,
    /// The `From` of every email.
    pub mail_from: String,
    /// The sender's postal address, printed at the foot of every email (Canada's anti-spam law).
    pub mail_postal_address: String,
    /// Attempts at delivering an email before it is given up on (retries wait longer each time).
    pub mail_max_attempts: u32,
    /// Seconds a sender holds the emails it claimed; after that another process may send them (the
    /// holder died). A message whose sending outlasts it may go twice.
    pub mail_lease_secs: u32,
    /// SMTP connections a process sends over at once. Messages sent together are recorded
    /// together, so a process killed mid-send may send up to this many twice.
    pub mail_connections: u32,
    /// Whether the home page lists postings of organizations no administrator has verified yet.
    pub home_shows_unverified: bool,
    /// Seconds a computed gap map is served before it is computed again (in the background,
    /// while the previous one is still served); 0 computes it for every request.
    pub insights_cache_secs: u32,
    /// Hour of the day (UTC) when daily digests are sent.
    pub digest_hour_utc: u32,
    /// The address people reach Passerelle at, for links in emails; default `http://<listen>`.
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            demo: false,
            body_limit_bytes: 256 * 1024,
            request_timeout_secs: 30,
            max_connections: 1024,
            header_timeout_secs: 10,
            cookie_secure: false,
            session_days: 14,
            login_failures_per_account: 5,
            login_failures_per_address: 30,
            signups_per_address: 20,
            db_max_connections: 10,
            log_format: LogFormat::Text,
            max_pending_proposals: 5,
            proposal_expiry_days: 14,
            outbox_retention_days: 7,
            smtp_url: None,
            mail_from: "Passerelle <no-reply@passerelle.localhost>".into(),
            mail_postal_address: "Passerelle (set mail_postal_address)".into(),
            mail_max_attempts: 8,
            mail_lease_secs: 120,
            mail_connections: 16,
            home_shows_unverified: false,
            insights_cache_secs: 300,
            digest_hour_utc: 12,
            public_url: None,
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers alone.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<bool>,
}

impl Config {
    /// Reads the layers. `file` is the TOML file to read (default `passerelle.toml`, skipped if absent).
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Self, Box<figment::Error>> {
        let file = file.unwrap_or(Path::new("passerelle.toml"));
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("PASSERELLE_").ignore(&["config", "test_postgres_url"]))
            .merge(Serialized::defaults(overrides))
            .extract::<Config>()
            .map_err(Box::new)
            .and_then(|config| config.validate().map(|()| config))
    }

    /// Refuses values that would make the service misbehave rather than fail loudly at start.
    fn validate(&self) -> Result<(), Box<figment::Error>> {
        let ranges = [
            (
                "max_pending_proposals",
                self.max_pending_proposals,
                1,
                1_000,
            ),
            ("proposal_expiry_days", self.proposal_expiry_days, 1, 365),
            (
                "outbox_retention_days",
                self.outbox_retention_days,
                1,
                3_650,
            ),
            ("max_connections", self.max_connections, 1, 1_000_000),
            ("header_timeout_secs", self.header_timeout_secs, 1, 3_600),
            ("mail_max_attempts", self.mail_max_attempts, 1, 100),
            ("mail_lease_secs", self.mail_lease_secs, 1, 86_400),
            ("mail_connections", self.mail_connections, 1, 100),
            ("digest_hour_utc", self.digest_hour_utc, 0, 23),
        ];
        for (key, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(Box::new(figment::Error::from(format!(
                    "{key} is {value}; it must be between {min} and {max}"
                ))));
            }
        }
        let fail = |message: String| Err(Box::new(figment::Error::from(message)));
        if let Some(smtp) = &self.smtp_url {
            match url::Url::parse(smtp) {
                Ok(url) if matches!(url.scheme(), "smtp" | "smtps") && url.has_host() => {}
                _ => {
                    return fail(
                        "smtp_url must look like smtp://host:25 or smtps://host:465".into(),
                    );
                }
            }
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return fail(format!(
                "mail_from is {:?}; it must be an address, like Passerelle <no-reply@example.org>",
                self.mail_from
            ));
        }
        if let Some(public) = &self.public_url {
            match url::Url::parse(public) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
                _ => {
                    return fail(format!(
                        "public_url is {public:?}; it must be an http(s) address"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The address links in emails start with, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The database URL to connect to, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("passerelle.db").display()),
        }
    }
}

#[cfg(test)]
// figment::Jail closures must return figment::Error, which is large; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "passerelle.toml",
                "listen = \"127.0.0.1:4000\"\ndemo = true\n",
            )?;
            jail.set_env("PASSERELLE_LISTEN", "127.0.0.1:5000");
            jail.set_env("PASSERELLE_SESSION_DAYS", "3");
            let overrides = Overrides {
                data_dir: Some("/tmp/x".into()),
                ..Default::default()
            };
            let config = Config::load(None, &overrides).map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 5000, "environment beats the file");
            assert!(config.demo, "file beats defaults");
            assert_eq!(config.session_days, 3);
            assert_eq!(config.database_url(), "sqlite:///tmp/x/passerelle.db");

            let flags = Overrides {
                listen: Some("127.0.0.1:6000".parse().unwrap()),
                ..overrides
            };
            let config = Config::load(None, &flags).map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 6000, "flags beat the environment");
            Ok(())
        });
    }

    #[test]
    fn out_of_range_values_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PASSERELLE_MAX_PENDING_PROPOSALS", "0");
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("max_pending_proposals"), "{err}");
            jail.set_env("PASSERELLE_MAX_PENDING_PROPOSALS", "8");
            jail.set_env("PASSERELLE_PROPOSAL_EXPIRY_DAYS", "0");
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("proposal_expiry_days"), "{err}");
            jail.set_env("PASSERELLE_PROPOSAL_EXPIRY_DAYS", "30");
            jail.set_env("PASSERELLE_MAX_CONNECTIONS", "0");
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("max_connections"), "{err}");
            jail.set_env("PASSERELLE_MAX_CONNECTIONS", "64");
            jail.set_env("PASSERELLE_HEADER_TIMEOUT_SECS", "0");
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("header_timeout_secs"), "{err}");
            jail.set_env("PASSERELLE_HEADER_TIMEOUT_SECS", "5");
            let config = Config::load(None, &Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(config.max_pending_proposals, 8);
            assert_eq!(config.proposal_expiry_days, 30);
            assert_eq!(config.max_connections, 64);
            assert_eq!(config.header_timeout_secs, 5);
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("passerelle.toml", "lisen = \"127.0.0.1:4000\"\n")?;
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("lisen"), "{err}");
            Ok(())
        });
    }
}
