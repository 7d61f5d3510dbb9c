//! `/open`: public open data, streamed in batches (a feed of any size is never held in memory):
//! completed partnerships both organizations agreed to list, as a 360Giving package; open needs
//! and offers as JSON or CSV with their taxonomy codes.

use std::future::Future;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use entity::PostingKind;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::open_data::{self, OpenPosting};
use crate::domain::taxonomy::Taxonomy;
use crate::error::AppResult;
use crate::state::{AppState, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(three_sixty_giving))
        .routes(routes!(open_needs))
        .routes(routes!(open_offers))
}

/// Writes one record into a chunk of the body; `first` says whether it opens the list.
type Write<T> = fn(&mut Vec<u8>, &T, bool) -> anyhow::Result<()>;

struct Feed<F, T> {
    fetch: F,
    write: Write<T>,
    /// The id after which the next batch starts; `None` once the last batch is read.
    after: Option<i64>,
    first: bool,
    head: Option<Vec<u8>>,
    tail: Option<Vec<u8>>,
}

/// A body written batch by batch: `head`, each record of every batch `fetch` reads (by id,
/// after the last one), then `tail`. A failure part-way ends the body with an error, which
/// the client sees as a cut connection rather than a truncated document that looks whole.
fn streamed<T, F, Fut>(head: &str, tail: &str, fetch: F, write: Write<T>) -> Body
where
    T: Send + 'static,
    F: Fn(i64) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<(Vec<T>, Option<i64>)>> + Send,
{
    let feed = Feed {
        fetch,
        write,
        after: Some(0),
        first: true,
        head: Some(head.as_bytes().to_vec()),
        tail: Some(tail.as_bytes().to_vec()),
    };
    let stream = futures_util::stream::unfold(feed, |mut feed| async move {
        if let Some(head) = feed.head.take() {
            return Some((Ok(Bytes::from(head)), feed));
        }
        let Some(after) = feed.after else {
            let tail = feed.tail.take()?;
            return Some((Ok(Bytes::from(tail)), feed));
        };
        let written = (feed.fetch)(after)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .and_then(|(items, last)| {
                feed.after = last;
                let mut chunk = Vec::new();
                for item in &items {
                    (feed.write)(&mut chunk, item, feed.first)?;
                    feed.first = false;
                }
                Ok(chunk)
            });
        match written {
            Ok(chunk) => Some((Ok(Bytes::from(chunk)), feed)),
            Err(err) => {
                tracing::error!(error = %err, "an open-data feed failed part-way");
                feed.after = None;
                feed.tail = None;
                Some((Err(std::io::Error::other(err.to_string())), feed))
            }
        }
    });
    Body::from_stream(stream)
}

fn json_item<T: Serialize>(chunk: &mut Vec<u8>, item: &T, first: bool) -> anyhow::Result<()> {
    if !first {
        chunk.push(b',');
    }
    serde_json::to_writer(chunk, item)?;
    Ok(())
}

fn with_type(content_type: &'static str, filename: Option<&str>, body: Body) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Some(name) = filename
        && let Ok(value) = format!("attachment; filename=\"{name}\"").parse()
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Completed partnerships that both organizations agreed to list, as a 360Giving Data Standard
/// package (`grants`): the offer's organization funds, the need's receives, the value reported
/// at completion in CAD, Passerelle's taxonomy as classifications, organizations identified by
/// `CA-CRA_ACR-<registration number>` where known. Streamed.
#[utoipa::path(get, path = "/open/360giving", tag = "open data",
    responses((status = 200, description = "A 360Giving package: `{\"grants\": [...]}`",
        content_type = "application/json", body = Object)))]
pub async fn three_sixty_giving(State(state): State<AppState>) -> Response {
    grants_feed(state.db.clone(), state.taxonomy.clone())
}

/// The 360Giving package as a streamed response (what `GET /open/360giving` answers).
pub fn grants_feed(db: DatabaseConnection, taxonomy: Arc<Taxonomy>) -> Response {
    let fetch = move |after| {
        let (db, taxonomy) = (db.clone(), taxonomy.clone());
        async move { open_data::grants_after(&db, &taxonomy, after).await }
    };
    let head = r#"{"version":"1.4","title":"Passerelle: completed partnerships","grants":["#;
    with_type(
        "application/json",
        None,
        streamed(head, "]}", fetch, json_item::<serde_json::Value>),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OpenQuery {
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<OpenFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OpenFormat {
    Json,
    Csv,
}

#[derive(Serialize, ToSchema)]
pub struct OpenPostingList {
    pub items: Vec<OpenPosting>,
}

const CSV_HEADER: &str = "id,title,description,language,category,skills,province,remote,quantity,unit,value_cad,hours,organization_id,organization_name,organization_identifier,posted_at,expires_at\n";

fn csv_item(chunk: &mut Vec<u8>, p: &OpenPosting, _first: bool) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(chunk);
    let text = |v: Option<String>| v.unwrap_or_default();
    writer.write_record([
        p.id.to_string(),
        p.title.clone(),
        p.description.clone(),
        p.language.to_string(),
        p.category.clone(),
        p.skills.join(" "),
        text(p.province.clone()),
        p.remote.to_string(),
        p.quantity.to_string(),
        p.unit.to_string(),
        text(p.value_cad.map(|v| v.to_string())),
        text(p.hours.map(|v| v.to_string())),
        p.organization_id.to_string(),
        p.organization_name.clone(),
        p.organization_identifier.clone(),
        p.posted_at.to_rfc3339(),
        text(p.expires_at.map(|at| at.to_rfc3339())),
    ])?;
    writer.flush()?;
    Ok(())
}

/// Open needs or offers as a streamed response, JSON or CSV (what `GET /open/needs` and
/// `GET /open/offers` answer).
pub fn postings_feed(
    db: DatabaseConnection,
    kind: PostingKind,
    format: Option<OpenFormat>,
) -> Response {
    let fetch = move |after| {
        let db = db.clone();
        async move { open_data::postings_after(&db, kind, after).await }
    };
    let name = format!("passerelle-open-{}s.csv", kind.as_str());
    match format {
        Some(OpenFormat::Csv) => with_type(
            "text/csv; charset=utf-8",
            Some(&name),
            streamed(CSV_HEADER, "", fetch, csv_item),
        ),
        _ => with_type(
            "application/json",
            None,
            streamed(r#"{"items":["#, "]}", fetch, json_item::<OpenPosting>),
        ),
    }
}

/// Every open need anyone may see, with its taxonomy codes and its organization. Streamed;
/// `?format=csv` for CSV.
#[utoipa::path(get, path = "/open/needs", tag = "open data", params(OpenQuery),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content(
            (OpenPostingList = "application/json"),
            (String = "text/csv"))),
        (status = 400, description = "invalid_parameter")))]
pub async fn open_needs(State(state): State<AppState>, Query(query): Query<OpenQuery>) -> Response {
    postings_feed(state.db.clone(), PostingKind::Need, query.format)
}

/// Every open offer anyone may see, with its taxonomy codes and its organization. Streamed;
/// `?format=csv` for CSV.
#[utoipa::path(get, path = "/open/offers", tag = "open data", params(OpenQuery),
    responses((status = 200, description = "JSON, or CSV with `format=csv`", content(
            (OpenPostingList = "application/json"),
            (String = "text/csv"))),
        (status = 400, description = "invalid_parameter")))]
pub async fn open_offers(
    State(state): State<AppState>,
    Query(query): Query<OpenQuery>,
) -> Response {
    postings_feed(state.db.clone(), PostingKind::Offer, query.format)
}
