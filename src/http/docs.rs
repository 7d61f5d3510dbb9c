//! The OpenAPI 3.1 document (generated from the handlers by utoipa) at `/api/v1/openapi.json`, and a
//! human-readable API page at `/api/docs` rendered from that same document, with no external assets.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use utoipa::OpenApi;

use crate::error::{AppError, ErrorCode, FieldErrors, Problem};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Passerelle API",
        description = "Partnership matchmaking for the nonprofit sector: organizations publish needs \
                       and offers of digital capacity. Errors are RFC 9457 problem documents with a \
                       stable `code`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    servers((url = "/api/v1")),
    components(schemas(Problem, ErrorCode, FieldErrors)),
    tags(
        (name = "auth", description = "Accounts, sign-in sessions"),
        (name = "tokens", description = "API tokens for integrations"),
        (name = "organizations", description = "Organization profiles and verification"),
        (name = "needs", description = "What organizations ask for"),
        (name = "offers", description = "What organizations give"),
        (name = "partnerships", description = "Proposals between a need and an offer, their answers, \
            and the partnership's life up to its outcome report"),
        (name = "taxonomy", description = "Bilingual categories, skills and cause areas"),
        (name = "search", description = "Full-text search over open postings and organizations"),
        (name = "matching", description = "Ranked, explained partners for a posting; tag suggestions"),
        (name = "notifications", description = "What you have been told: proposals, answers, \
            messages, decisions"),
        (name = "moderation", description = "Reports of postings and organizations, and what \
            administrators do about them"),
        (name = "programs", description = "Programs where several partners serve a cohort: \
            components, applications, allocation runs and their confirmation"),
        (name = "insights", description = "Aggregates for funders, public: where demand is unmet"),
        (name = "checkups", description = "The digital check-up: the question bank (CC BY 4.0), an \
            organization's profile per dimension over time, and the needs it suggests"),
        (name = "outcomes", description = "Outcomes followed over time: the indicator list \
            (CC BY 4.0, with IRIS+ codes), and each completed partnership's follow-ups at 3 and 12 \
            months"),
        (name = "open data", description = "Public feeds, streamed: completed partnerships as a \
            360Giving package, open needs and offers as JSON or CSV"),
    )
)]
pub struct ApiDoc;

/// Completes the generated document: the bearer scheme, the problem body on every error response,
/// a description on responses that have none (OpenAPI requires one), and bodies that may be left
/// out.
pub fn finish(openapi: utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(openapi).unwrap_or_else(|_| json!({}));
    doc["components"]["securitySchemes"] = json!({
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /auth/register, /auth/login or /tokens. \
                            Browsers may use the passerelle_session cookie instead."
        }
    });
    let problem = json!({
        "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } }
    });
    if let Some(paths) = doc["paths"].as_object_mut() {
        for operation in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            let secured = operation.get("security").is_some();
            optional_body(operation);
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                if status.starts_with('4') || status.starts_with('5') {
                    response["content"] = problem.clone();
                }
                if response.get("description").is_none() {
                    let reason = status
                        .parse()
                        .ok()
                        .and_then(|code| axum::http::StatusCode::from_u16(code).ok())
                        .and_then(|code| code.canonical_reason())
                        .unwrap_or("Response");
                    response["description"] = json!(reason);
                }
            }
            if secured && !responses.contains_key("401") {
                responses.insert(
                    "401".into(),
                    json!({ "description": "unauthenticated: no valid session or token", "content": problem }),
                );
            }
            responses.insert(
                "default".into(),
                json!({ "description": "Any other error, as a problem document", "content": problem }),
            );
        }
    }
    doc
}

/// utoipa writes a body that may be left out (`Option<T>`) as "`T` or `null`"; the server reads
/// an empty body as the default and refuses a `null` one, so the body is `T`, not required.
fn optional_body(operation: &mut Value) {
    if operation.pointer("/requestBody/required") == Some(&Value::Bool(true)) {
        return;
    }
    let Some(media) = operation
        .pointer_mut("/requestBody/content")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for content in media.values_mut() {
        let schema = &mut content["schema"];
        let variants = schema["oneOf"].as_array().cloned().unwrap_or_default();
        if let [body, null] = variants.as_slice()
            && null == &json!({ "type": "null" })
        {
            *schema = body.clone();
        }
    }
}

pub fn router(openapi: Arc<Value>) -> Router<AppState> {
    let json_doc = openapi.clone();
    let page = ApiPage::from_openapi(&openapi)
        .render()
        .map_err(|err| err.to_string());
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || async move { axum::Json(json_doc.as_ref().clone()) }),
        )
        .route("/api/docs", get(move || async move { docs_page(&page) }))
        .route("/api/docs.css", get(stylesheet))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../assets/api_docs.css"),
    )
}

/// The page rendered at start, or a 500 if the template failed.
fn docs_page(page: &Result<String, String>) -> Response {
    match page {
        Ok(html) => ([(header::CACHE_CONTROL, "no-cache")], Html(html.clone())).into_response(),
        Err(err) => AppError::Internal(anyhow::anyhow!("API docs template: {err}")).into_response(),
    }
}

struct Parameter {
    name: String,
    location: String,
    required: bool,
    type_name: String,
    description: String,
}

struct ResponseDoc {
    status: String,
    description: String,
    body: Option<String>,
}

struct Operation {
    method: String,
    path: String,
    anchor: String,
    summary: String,
    description: String,
    authenticated: bool,
    parameters: Vec<Parameter>,
    body: Option<String>,
    responses: Vec<ResponseDoc>,
}

struct Section {
    name: String,
    description: String,
    operations: Vec<Operation>,
}

struct Field {
    name: String,
    type_name: String,
    required: bool,
    description: String,
}

struct Schema {
    name: String,
    description: String,
    fields: Vec<Field>,
    values: Vec<String>,
}

struct ErrorDoc {
    code: &'static str,
    status: u16,
    title: &'static str,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiPage {
    title: String,
    description: String,
    sections: Vec<Section>,
    schemas: Vec<Schema>,
    errors: Vec<ErrorDoc>,
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// Prose from the document as HTML: escaped, with `backticks` shown as code.
fn prose(value: &Value) -> String {
    let escaped = text(value)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    escaped
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

/// A readable type: `string`, `integer | null`, `array of PostingResponse`, ...
fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            return variants
                .iter()
                .map(type_name)
                .collect::<Vec<_>>()
                .join(" | ");
        }
    }
    let base = match &schema["type"] {
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => kinds.iter().map(text).collect::<Vec<_>>().join(" | "),
        _ => "any".to_owned(),
    };
    let base = if base.starts_with("array") {
        base.replacen(
            "array",
            &format!("array of {}", type_name(&schema["items"])),
            1,
        )
    } else {
        base
    };
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{base} ({format})"),
        None => base,
    }
}

fn schema_ref(content: &Value) -> Option<String> {
    content
        .as_object()?
        .values()
        .next()
        .map(|media| type_name(&media["schema"]))
}

impl ApiPage {
    fn from_openapi(doc: &Value) -> Self {
        let mut sections: Vec<Section> = doc["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|tag| Section {
                name: text(&tag["name"]),
                description: prose(&tag["description"]),
                operations: Vec::new(),
            })
            .collect();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let tag = op["tags"][0].as_str().unwrap_or("other");
                let operation = Operation {
                    method: method.to_uppercase(),
                    path: format!("/api/v1{path}"),
                    anchor: text(&op["operationId"]),
                    summary: prose(&op["summary"]),
                    description: prose(&op["description"]),
                    authenticated: op.get("security").is_some(),
                    parameters: op["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|p| Parameter {
                            name: text(&p["name"]),
                            location: text(&p["in"]),
                            required: p["required"].as_bool().unwrap_or(false),
                            type_name: type_name(&p["schema"]),
                            description: prose(&p["description"]),
                        })
                        .collect(),
                    body: schema_ref(&op["requestBody"]["content"]),
                    responses: op["responses"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(status, r)| ResponseDoc {
                            status: status.clone(),
                            description: prose(&r["description"]),
                            body: schema_ref(&r["content"]),
                        })
                        .collect(),
                };
                match sections.iter_mut().find(|s| s.name == tag) {
                    Some(section) => section.operations.push(operation),
                    None => sections.push(Section {
                        name: tag.to_owned(),
                        description: String::new(),
                        operations: vec![operation],
                    }),
                }
            }
        }
        let schemas = doc["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, schema)| {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                Schema {
                    name: name.clone(),
                    description: prose(&schema["description"]),
                    fields: schema["properties"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(field, s)| Field {
                            name: field.clone(),
                            type_name: type_name(s),
                            required: required.contains(&field.as_str()),
                            description: prose(&s["description"]),
                        })
                        .collect(),
                    values: schema["enum"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(text)
                        .collect(),
                }
            })
            .collect();
        let errors = ErrorCode::ALL
            .iter()
            .map(|code| ErrorDoc {
                code: code.as_str(),
                status: code.status().as_u16(),
                title: code.title(),
            })
            .collect();
        Self {
            title: text(&doc["info"]["title"]),
            description: prose(&doc["info"]["description"]),
            sections,
            schemas,
            errors,
        }
    }
}
