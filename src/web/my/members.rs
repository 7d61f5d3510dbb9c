//! The organization's members: who belongs, as what; owners invite by email, change roles and
//! remove; anyone may leave (mirrors `/organizations/{id}/members` and `/invitations`).

use askama::Template;
use axum::extract::{Query, State};
use entity::Role;

use crate::domain::emailed_links::{self, InvitationInput};
use crate::domain::organizations;
use crate::state::AppState;
use crate::web::forms::{Choice, Errors, Form, FormView};
use crate::web::{Catalog, Ctx, Nav, OrPage, WebResult, render, render_invalid, see_other};

use super::{current_org, org_param};

/// One member as the page lists them.
pub struct MemberLine {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub is_owner: bool,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    t: &'static Catalog,
    nav: Nav,
    org_id: i64,
    org_name: String,
    members: Vec<MemberLine>,
    i_own: bool,
    roles: Vec<Choice>,
    f: FormView,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    org: Option<i64>,
    f: FormView,
) -> Result<MembersPage, crate::web::WebError> {
    let org = current_org(ctx, org)?.clone();
    let me = ctx.require_user()?.user.id;
    let members = organizations::members(&state.db, me, org.id)
        .await
        .or_page(ctx)?;
    let i_own = members
        .iter()
        .any(|(m, user)| user.id == me && m.role == Role::Owner);
    Ok(MembersPage {
        t: ctx.t,
        nav: ctx.nav(),
        org_id: org.id,
        org_name: org.name.clone(),
        members: members
            .into_iter()
            .map(|(m, user)| MemberLine {
                user_id: user.id,
                name: user.display_name,
                email: user.email,
                role: ctx.t.label("role", m.role),
                is_owner: m.role == Role::Owner,
                is_me: user.id == me,
            })
            .collect(),
        i_own,
        roles: Role::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: ctx.t.label("role", r),
            })
            .collect(),
        f,
    })
}

pub async fn members_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let mut f = FormView::default();
    f.set("role", "member");
    render(&page(&state, &ctx, org_param(&params), f).await?)
}

/// An owner invites an address by email.
pub async fn invite(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let org = form.get("org").parse().ok();
    let caller = ctx.require_user()?.clone();
    let org_id = current_org(&ctx, org)?.id;
    let input = InvitationInput {
        email: form.get("email"),
        role: Role::parse(&form.get("role")),
    };
    match emailed_links::invite(&state.db, &state.limits, caller.user.id, org_id, input).await {
        Ok(()) => Ok(see_other(
            &format!("/my/members?org={org_id}"),
            "flash-invitation-sent",
        )),
        Err(err) => {
            let f = FormView::new(form.typed(), Errors::from_app(&err, ctx.t));
            render_invalid(&page(&state, &ctx, Some(org_id), f).await?)
        }
    }
}

/// An owner changes a role or removes a member; anyone leaves (`action`: `owner`, `member`,
/// `remove`).
pub async fn change(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let org_id = current_org(&ctx, form.get("org").parse().ok())?.id;
    let member: i64 = form.get("user").parse().unwrap_or_default();
    let done = match form.get("action").as_str() {
        "remove" => organizations::remove_member(&state.db, caller.user.id, org_id, member).await,
        action => match Role::parse(action) {
            Some(role) => organizations::set_role(&state.db, caller.user.id, org_id, member, role)
                .await
                .map(drop),
            None => return Err(crate::web::WebError::not_found(ctx.lang())),
        },
    };
    match done {
        Ok(()) if member == caller.user.id && form.get("action") == "remove" => {
            Ok(see_other("/my", "flash-left-organization"))
        }
        Ok(()) => Ok(see_other(
            &format!("/my/members?org={org_id}"),
            "flash-members-saved",
        )),
        Err(err) => {
            let f = FormView::new(Vec::new(), Errors::from_app(&err, ctx.t));
            render_invalid(&page(&state, &ctx, Some(org_id), f).await?)
        }
    }
}
