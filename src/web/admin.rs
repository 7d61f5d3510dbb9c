//! Administration: organizations waiting for verification, verified or rejected by a click.

use askama::Template;
use axum::extract::State;
use entity::Verification;

use super::forms::Form;
use super::pages::Labels;
use super::{Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, see_other};
use crate::domain::organizations::{self, OrganizationFilter, VerificationRequest};
use crate::error::{AppError, ErrorCode};
use crate::state::{AppState, PathId};

/// An organization in the queue.
pub struct Pending {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub place: String,
    pub charity_number: Option<String>,
    pub website: Option<String>,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct QueuePage {
    t: &'static Catalog,
    nav: Nav,
    pending: Vec<Pending>,
}

fn require_admin(ctx: &Ctx) -> Result<(), WebError> {
    ctx.require_user()?;
    if ctx.is_admin() {
        Ok(())
    } else {
        Err(WebError::App(
            AppError::new(ErrorCode::Forbidden, "Administrators only."),
            ctx.lang(),
        ))
    }
}

pub async fn queue(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    require_admin(&ctx)?;
    let filter = OrganizationFilter {
        verification: Some(Verification::Pending),
        limit: 100,
        ..Default::default()
    };
    let page = organizations::list(&state.db, &filter)
        .await
        .or_page(&ctx)?;
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let pending = page
        .items
        .into_iter()
        .map(|org| Pending {
            id: org.id,
            kind: ctx.t.label("org-kind", org.kind),
            place: match &org.city {
                Some(city) => format!("{city}, {}", labels.province(&org.province)),
                None => labels.province(&org.province),
            },
            charity_number: org.charity_number,
            website: org.website,
            created: crate::i18n::date(org.created_at.date_naive(), ctx.t.language),
            name: org.name,
        })
        .collect();
    render(&QueuePage {
        t: ctx.t,
        nav: ctx.nav(),
        pending,
    })
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    require_admin(&ctx)?;
    let caller = ctx.require_user()?.clone();
    let decision = match form.get("decision").as_str() {
        "verified" => Verification::Verified,
        "rejected" => Verification::Rejected,
        _ => {
            return Err(WebError::App(
                AppError::field(
                    "decision",
                    crate::error::Invalid::UnknownValue
                        .with([("allowed", serde_json::json!("verified, rejected"))]),
                ),
                ctx.lang(),
            ));
        }
    };
    let request = VerificationRequest {
        decision,
        note: form.optional("note"),
    };
    organizations::set_verification(&state.db, Some(caller.user.id), id, request)
        .await
        .or_page(&ctx)?;
    let flash = match decision {
        Verification::Verified => "flash-verified",
        _ => "flash-rejected",
    };
    Ok(see_other("/admin", flash))
}
