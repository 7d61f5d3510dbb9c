//! Building and running the application: connect and migrate the database, sync the taxonomy, load
//! the demo data if asked, bind the listener, then serve until told to stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::domain::taxonomy::Taxonomy;
use crate::domain::{partnerships, postings};
use crate::http::rate_limit::RateLimits;
use crate::http::{self, AppState};
use crate::{db, demo, search};

/// How long in-flight requests may run after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A built application, bound to its address but not yet serving.
pub struct App {
    listener: TcpListener,
    state: AppState,
    search_writer: search::Writer,
}

impl App {
    /// Prepares everything; a `listen` port of 0 picks a free port (tests use this).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config).await?;
        db::migrate(&db).await?;
        let taxonomy = Arc::new(Taxonomy::builtin()?);
        taxonomy.sync(&db).await?;
        if config.demo {
            demo::load(&db, &taxonomy)
                .await
                .context("cannot load the demo data")?;
        }
        let (search, search_writer) =
            search::open(&config.data_dir.join("index"), &db, taxonomy.clone(), false).await?;
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let state = AppState {
            db,
            limits: Arc::new(RateLimits::new(&config)),
            config: Arc::new(config),
            taxonomy,
            search,
        };
        Ok(Self {
            listener,
            state,
            search_writer,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or(self.state.config.listen)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and closes the database.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            listener,
            state,
            search_writer,
        } = self;
        let background = [
            tokio::spawn(search_writer.run()),
            tokio::spawn(expire_due(state.db.clone())),
            tokio::spawn(http::run_housekeeping(state.limits.clone())),
        ];
        let db = state.db.clone();
        let router = http::router(state);
        tracing::info!(address = %listener.local_addr()?, "Passerelle is listening");
        // Stop accepting at the signal, let in-flight requests finish, but not forever: a client
        // that never finishes its request must not hold the process.
        let (stopping, mut stopped) = tokio::sync::watch::channel(false);
        let signal = async move {
            shutdown.await;
            stopping.send_replace(true);
        };
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let serve = axum::serve(listener, service).with_graceful_shutdown(signal);
        let deadline = async move {
            let _ = stopped.wait_for(|stopping| *stopping).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        let served = tokio::select! {
            served = serve => served.context("server error"),
            () = deadline => {
                tracing::warn!("requests still running after the grace period; stopping anyway");
                Ok(())
            }
        };
        for task in background {
            task.abort();
        }
        db.close().await.context("closing the database")?;
        tracing::info!("Passerelle stopped");
        served
    }
}

/// Once a minute, marks postings whose expiry date has passed, and proposals left unanswered
/// past theirs.
async fn expire_due(db: sea_orm::DatabaseConnection) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match postings::expire_due(&db).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "postings expired"),
            Err(err) => tracing::warn!(error = ?err, "expiring postings failed"),
        }
        match partnerships::expire_due(&db).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "proposals expired"),
            Err(err) => tracing::warn!(error = ?err, "expiring proposals failed"),
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
