//! The organization's profile form (mirrors `http/organizations`).

use askama::Template;
use axum::extract::{Query, State};
use entity::organization;

use crate::domain::organizations::{self, OrganizationPatch};
use crate::state::AppState;
use crate::web::account::{OrgPickers, organization_input};
use crate::web::forms::{self, Errors, Form, FormView};
use crate::web::{Catalog, Ctx, Nav, WebResult, render, render_invalid, see_other};

use super::{current_org, org_param};

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    t: &'static Catalog,
    nav: Nav,
    org_id: i64,
    version: i32,
    f: FormView,
    org: OrgPickers,
}

fn profile_values(org: &organization::Model) -> FormView {
    let mut f = FormView::default();
    f.set("organization.name", &org.name);
    f.set("organization.kind", org.kind);
    f.set("organization.province", &org.province);
    f.set("organization.city", org.city.clone().unwrap_or_default());
    for language in &org.languages.0 {
        f.set("organization.languages", language);
    }
    f.set("organization.description", &org.description);
    f.set(
        "organization.website",
        org.website.clone().unwrap_or_default(),
    );
    f.set(
        "organization.size",
        org.size.map(|s| s.as_str()).unwrap_or_default(),
    );
    f.set(
        "organization.charity_number",
        org.charity_number.clone().unwrap_or_default(),
    );
    for cause in &org.cause_areas.0 {
        f.set("organization.cause_areas", cause);
    }
    f.set(
        "organization.contact_email",
        org.contact_email.clone().unwrap_or_default(),
    );
    f.set(
        "organization.contact_phone",
        org.contact_phone.clone().unwrap_or_default(),
    );
    f
}

pub async fn profile_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let org = current_org(&ctx, org_param(&params))?;
    render(&ProfilePage {
        t: ctx.t,
        nav: ctx.nav(),
        org_id: org.id,
        version: org.version,
        f: profile_values(org),
        org: OrgPickers::new(&state, ctx.t),
    })
}

pub async fn profile(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let org = current_org(&ctx, form.get("org").parse().ok())?.clone();
    let caller = ctx.require_user()?.clone();
    let t = ctx.t;
    let mut errors = Errors::default();
    let version = forms::whole::<i32>(&form, "version", &mut errors, t).unwrap_or(org.version);
    let input = organization_input(&form, &mut errors, t);
    let refused = |errors: Errors| {
        let values = form.typed();
        render_invalid(&ProfilePage {
            t,
            nav: ctx.nav(),
            org_id: org.id,
            version,
            f: FormView::new(values, errors),
            org: OrgPickers::new(&state, t),
        })
    };
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        return refused(errors);
    };
    let patch = OrganizationPatch {
        version,
        name: Some(input.name),
        kind: Some(input.kind),
        description: Some(input.description.unwrap_or_default()),
        website: Some(input.website),
        province: Some(input.province),
        city: Some(input.city),
        languages: input.languages,
        cause_areas: Some(input.cause_areas),
        size: Some(input.size),
        charity_number: Some(input.charity_number),
        contact_email: Some(input.contact_email),
        contact_phone: Some(input.contact_phone),
    };
    let updated = match patch.parse(&state.taxonomy) {
        Ok(changes) => organizations::update(&state.db, caller.user.id, org.id, changes).await,
        Err(err) => Err(err),
    };
    match updated {
        Ok(_) => Ok(see_other(
            &format!("/my?org={}", org.id),
            "flash-profile-saved",
        )),
        Err(err) => refused(Errors::from_app(&err.nested("organization."), t)),
    }
}
