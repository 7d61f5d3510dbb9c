//! Building and running the application: connect and migrate the database, sync the taxonomy, load
//! the demo data if asked, bind the listener, then serve until told to stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::Config;
use crate::domain::notifications::{self, UnsubscribeKey};
use crate::domain::rate_limits::{self, RateLimits};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::{journal, partnerships, postings};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use crate::{db, demo, http, mail, search, web};

/// How long in-flight requests may run after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long the search writer may take to apply the last changes and finish its merges.
const WRITER_DRAIN: Duration = Duration::from_secs(30);

/// A built application, bound to its address but not yet serving.
pub struct App {
    listener: TcpListener,
    state: AppState,
    search_writer: search::Writer,
    mail_sender: mail::Sender,
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
        let mut config = config;
        if config.public_url.is_none() {
            // Port 0 picked a port: links name the one bound.
            config.public_url = Some(format!("http://{}", listener.local_addr()?));
        }
        let unsubscribe =
            UnsubscribeKey::new(crate::domain::secrets::get_or_create(&db, "unsubscribe").await?);
        let mail_sender = mail::Sender::new(db.clone(), &config, unsubscribe.clone())
            .context("cannot set up email")?;
        let snapshots = std::time::Duration::from_secs(config.insights_cache_secs.into());
        let state = AppState {
            db,
            gaps: crate::domain::insights::Snapshots::new("gaps", snapshots),
            sector: crate::domain::insights::Snapshots::new("sector", snapshots),
            limits: Arc::new(RateLimits::new(&config)),
            config: Arc::new(config),
            taxonomy,
            search,
            unsubscribe: Arc::new(unsubscribe),
        };
        Ok(Self {
            listener,
            state,
            search_writer,
            mail_sender,
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
            mail_sender,
        } = self;
        let (stop_writer, writer_stop) = tokio::sync::watch::channel(false);
        let writer = tokio::spawn(search_writer.run(writer_stop.clone()));
        let sender = tokio::spawn(mail_sender.run(writer_stop));
        let retention = chrono::Duration::days(i64::from(state.config.outbox_retention_days));
        let background = [
            tokio::spawn(run_schedule(state.clone())),
            tokio::spawn(run_housekeeping(state.db.clone(), retention)),
        ];
        let db = state.db.clone();
        let config = state.config.clone();
        let router = router(state);
        tracing::info!(address = %listener.local_addr()?, "Passerelle is listening");
        serve(listener, router, &config, shutdown).await;
        for task in background {
            task.abort();
        }
        // What is committed reaches the index before the process exits; the email sender
        // finishes the message it is sending (the rest wait in the outbox for the next start).
        stop_writer.send_replace(true);
        if tokio::time::timeout(WRITER_DRAIN, writer).await.is_err() {
            tracing::warn!("the search index writer did not finish in time");
        }
        if tokio::time::timeout(SHUTDOWN_GRACE, sender).await.is_err() {
            tracing::warn!("the email sender did not finish in time");
        }
        db.close().await.context("closing the database")?;
        tracing::info!("Passerelle stopped");
        Ok(())
    }
}

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, then stops accepting and lets the
/// requests in flight finish, for at most `SHUTDOWN_GRACE`.
///
/// Rather than `axum::serve`, which bounds neither: a client that never finishes its headers is
/// closed after the header timeout, and past `max_connections` new connections wait in the
/// listen backlog, so a crowd of slow clients delays others instead of using up every file
/// descriptor. Handlers read the peer as `ConnectInfo<SocketAddr>`, as with axum's server.
async fn serve(
    listener: TcpListener,
    router: Router,
    config: &Config,
    shutdown: impl Future<Output = ()>,
) {
    let make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(u64::from(config.header_timeout_secs)));
    let slots = Arc::new(Semaphore::new(config.max_connections as usize));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        // Forget the connections that ended.
        while connections.try_join_next().is_some() {}
        let Some((stream, peer, slot)) = accepted else {
            continue;
        };
        let Ok(service) = make_service.clone().oneshot(peer).await;
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        connections.spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the grace period; stopping anyway");
    }
    // Dropping the set ends the connections still open.
    drop(connections);
}

/// Waits for a free connection slot, then for a connection. `None` when accepting failed.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    let slot = slots
        .clone()
        .acquire_owned()
        .await
        .expect("the semaphore is never closed");
    match listener.accept().await {
        Ok((stream, peer)) => {
            if let Err(err) = stream.set_nodelay(true) {
                tracing::debug!(error = %err, %peer, "cannot set TCP_NODELAY");
            }
            Some((stream, peer, slot))
        }
        Err(err) => {
            // Out of file descriptors, or a connection reset before it was accepted: wait a
            // little rather than spin.
            tracing::warn!(error = %err, "cannot accept a connection");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}

/// Once a minute, what is due by the clock: postings and proposals past their expiry, reminders of
/// waiting proposals and of outcome follow-ups, and at `digest_hour_utc` the day's findings (saved searches, suggested
/// partners), then the day's digests.
async fn run_schedule(state: AppState) {
    let db = state.db.clone();
    let digest_hour = state.config.digest_hour_utc;
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
        match partnerships::remind_due(&db).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "reminders sent"),
            Err(err) => tracing::warn!(error = ?err, "reminding of waiting proposals failed"),
        }
        match crate::domain::outcomes::remind_due(&db).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "follow-up reminders sent"),
            Err(err) => tracing::warn!(error = ?err, "reminding of follow-ups failed"),
        }
        let findings = crate::matching::daily::run(
            &db,
            &state.search,
            &state.taxonomy,
            state.config.max_pending_proposals,
            crate::domain::now(),
            digest_hour,
        )
        .await;
        match findings {
            Ok(found) if found == Default::default() => {}
            Ok(found) => tracing::info!(?found, "the day's findings are told"),
            Err(err) => tracing::warn!(error = ?err, "the day's findings failed"),
        }
        match notifications::send_digests(&db, crate::domain::now(), digest_hour).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "daily digests queued"),
            Err(err) => tracing::warn!(error = ?err, "queueing the daily digests failed"),
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

/// The whole application: API, docs, health checks, fallbacks and middleware.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = http::api().split_for_parts();
    let openapi = Arc::new(http::docs::finish(openapi));
    let request_id = HeaderName::from_static("x-request-id");
    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), id)
                })
                .on_response(
                    DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("handler panicked");
            AppError::new(ErrorCode::Internal, "Something went wrong on our side.").into_response()
        }))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.config.clone(), time_limit))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes));
    Router::new()
        .merge(web::router())
        .nest("/api/v1", api)
        .merge(http::docs::router(openapi))
        .merge(http::health::router())
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(middleware)
}

/// A missing page for browsers (in their language), a problem for API clients.
async fn route_not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api") {
        return web::WebError::not_found(web::request_language(&headers)).into_response();
    }
    AppError::new(
        ErrorCode::RouteNotFound,
        "There is no endpoint at this path. See /api/docs.",
    )
    .into_response()
}

async fn method_not_allowed() -> AppError {
    AppError::new(
        ErrorCode::MethodNotAllowed,
        "This endpoint does not take this method.",
    )
}

/// Headers every response carries unless the handler set its own.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let defaults = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        // Responses carry tokens and private data; nothing is cacheable unless a handler says so.
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Answers 408 when a request takes too long, such as a client that stops sending its body.
async fn time_limit(
    State(config): State<Arc<Config>>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let limit = Duration::from_secs(config.request_timeout_secs);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::new(
            ErrorCode::RequestTimeout,
            format!("The request took longer than {} seconds.", limit.as_secs()),
        )
        .into_response(),
    }
}

/// Spawned at start: every few minutes, deletes rate-limit events older than their window and
/// outbox rows older than the retention period.
async fn run_housekeeping(db: sea_orm::DatabaseConnection, retention: chrono::Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        if let Err(err) = rate_limits::forget_idle(&db).await {
            tracing::warn!(error = ?err, "forgetting old rate-limit events failed");
        }
        match journal::prune(&db, crate::domain::now() - retention).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "outbox rows pruned"),
            Err(err) => tracing::warn!(error = ?err, "pruning the outbox failed"),
        }
    }
}
