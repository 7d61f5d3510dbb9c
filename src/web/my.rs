//! My organization: the profile, the needs and offers (create, edit, pause, close), proposals
//! received and sent, partnerships with the revealed contacts, and the completion form.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::{NaiveTime, TimeZone, Utc};
use entity::{
    Language, OrgKind, PostingKind, PostingStatus, SizeBand, TaxonomyKind, organization, posting,
};
use serde_json::Value;

use super::account::{OrgPickers, organization_input};
use super::forms::{self, Choice, Errors, Form, FormView, Group};
use super::pages::{Labels, PostingView, load_posting, org_postings};
use super::{Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other};
use crate::domain::accounts::Viewer;
use crate::domain::organizations::{self, OrganizationPatch};
use crate::domain::partnerships::{
    self, CompleteInput, Direction, IndicatorInput, NoteInput, OutcomeInput, PartnershipFilter,
    PartnershipView, Step, StepKind,
};
use crate::domain::postings::{self, EligibilityInput, PostingInput, PostingPatch};
use crate::error::{AppError, ErrorCode, Invalid};
use crate::matching::tags;
use crate::state::{AppState, PathId};

/// The organization a page of "my organization" is about: `?org=ID` among the caller's, else
/// the first.
fn current_org(ctx: &Ctx, requested: Option<i64>) -> Result<&organization::Model, WebError> {
    ctx.require_user()?;
    let orgs = &ctx.orgs;
    let found = match requested {
        Some(id) => orgs.iter().find(|(_, o)| o.id == id),
        None => orgs.first(),
    };
    found.map(|(_, org)| org).ok_or_else(|| {
        WebError::App(
            AppError::new(ErrorCode::Forbidden, "You belong to no such organization."),
            ctx.lang(),
        )
    })
}

fn org_param(params: &[(String, String)]) -> Option<i64> {
    params
        .iter()
        .find(|(n, _)| n == "org")
        .and_then(|(_, v)| v.parse().ok())
}

/// A partnership as the dashboard lists it.
pub struct PartnershipItem {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    pub need_title: String,
    pub need_href: String,
    pub offer_title: String,
    pub offer_href: String,
    pub counterpart: String,
    pub counterpart_href: String,
    pub message: String,
    pub score: String,
    pub contact: Vec<(String, String)>,
    pub can_answer: bool,
    pub can_withdraw: bool,
    pub can_start: bool,
    pub can_cancel: bool,
    pub can_complete: bool,
    pub outcome: Option<String>,
    pub received: bool,
}

impl PartnershipItem {
    fn new(view: PartnershipView, t: &Catalog) -> Self {
        let steps = view.steps(crate::domain::now());
        let may = |kind: StepKind| steps.contains(&kind);
        let received = !view.sent();
        let mut contact = Vec::new();
        if view.shares_contact() {
            if let Some(person) = &view.counterpart_person {
                contact.push((
                    t.get("contact-person"),
                    format!("{} <{}>", person.display_name, person.email),
                ));
            }
            let org = &view.counterpart;
            if let Some(email) = &org.contact_email {
                contact.push((t.get("contact-email"), email.clone()));
            }
            if let Some(phone) = &org.contact_phone {
                contact.push((t.get("contact-phone"), phone.clone()));
            }
            if let Some(site) = &org.website {
                contact.push((t.get("contact-website"), site.clone()));
            }
        }
        let p = view.partnership;
        let outcome = p.outcome.as_ref().map(|o| {
            format!(
                "{} · {} · {}",
                t.with("outcome-hours-value", "hours", decimal(t, o.hours)),
                t.with("outcome-value-value", "value", decimal(t, o.value_cad)),
                o.delivered
            )
        });
        Self {
            id: p.id,
            status: p.status.as_str().to_owned(),
            status_label: t.label("partnership-status", p.status),
            need_title: view.need.title,
            need_href: format!("/needs/{}", view.need.id),
            offer_title: view.offer.title,
            offer_href: format!("/offers/{}", view.offer.id),
            counterpart: view.counterpart.name,
            counterpart_href: format!("/organizations/{}", view.counterpart.id),
            message: p.message,
            score: p
                .score
                .map(|s| format!("{:.0}", s * 100.0))
                .unwrap_or_default(),
            contact,
            can_answer: may(StepKind::Accept),
            can_withdraw: may(StepKind::Withdraw),
            can_start: may(StepKind::Start),
            can_cancel: may(StepKind::Cancel),
            can_complete: may(StepKind::Complete),
            outcome,
            received,
        }
    }
}

/// A number as the page's language writes it (`12.5`, `12,5`).
fn decimal(t: &Catalog, value: f64) -> String {
    let text = value.to_string();
    match t.language {
        Language::En => text,
        Language::Fr => text.replace('.', ","),
    }
}

/// A posting row of the dashboard.
pub struct MyPosting {
    pub view: PostingView,
    pub version: i32,
    pub can_open: bool,
    pub can_pause: bool,
    pub can_close: bool,
}

#[derive(Template)]
#[template(path = "my.html")]
struct Dashboard {
    t: &'static Catalog,
    nav: Nav,
    org: organization::Model,
    others: Vec<(i64, String)>,
    kind_label: String,
    verification: String,
    needs: Vec<MyPosting>,
    offers: Vec<MyPosting>,
    received: Vec<PartnershipItem>,
    sent: Vec<PartnershipItem>,
    ongoing: Vec<PartnershipItem>,
    past: Vec<PartnershipItem>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    // Someone with no organization (an administrator, a member who left) has no dashboard.
    if ctx.orgs.is_empty() && ctx.is_admin() {
        return Ok(axum::response::Redirect::to("/admin").into_response());
    }
    if ctx.orgs.is_empty() {
        return Ok(see_other("/", "flash-no-organization"));
    }
    let org = current_org(&ctx, org_param(&params))?.clone();
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let viewer = Viewer::with_organizations(Some(&caller), vec![org.id]);
    let mut lists = Vec::new();
    for kind in [PostingKind::Need, PostingKind::Offer] {
        let all = org_postings(&state, &viewer, org.id, kind, None)
            .await
            .or_page(&ctx)?;
        lists.push(
            all.into_iter()
                .map(|p| {
                    let status = p.status;
                    let version = p.version;
                    MyPosting {
                        view: PostingView::new(&p, &labels),
                        version,
                        can_open: matches!(status, PostingStatus::Draft | PostingStatus::Paused),
                        can_pause: status == PostingStatus::Open,
                        can_close: !matches!(status, PostingStatus::Closed),
                    }
                })
                .collect::<Vec<_>>(),
        );
    }
    let offers = lists.pop().unwrap_or_default();
    let needs = lists.pop().unwrap_or_default();
    let filter = PartnershipFilter {
        direction: Direction::All,
        organization_id: Some(org.id),
        limit: 100,
        ..Default::default()
    };
    let orgs = [org.id];
    let page = partnerships::list(&state.db, &orgs, &filter)
        .await
        .or_page(&ctx)?;
    let views = partnerships::describe(&state.db, &orgs, page.items)
        .await
        .or_page(&ctx)?;
    let (mut received, mut sent, mut ongoing, mut past) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in views {
        let view = PartnershipItem::new(p, ctx.t);
        match view.status.as_str() {
            "proposed" if view.received => received.push(view),
            "proposed" => sent.push(view),
            "accepted" | "active" => ongoing.push(view),
            _ => past.push(view),
        }
    }
    let others = ctx
        .orgs
        .iter()
        .filter(|(_, o)| o.id != org.id)
        .map(|(_, o)| (o.id, o.name.clone()))
        .collect();
    render(&Dashboard {
        t: ctx.t,
        nav: ctx.nav(),
        kind_label: ctx.t.label("org-kind", org.kind),
        verification: ctx.t.label("verification", org.verification),
        org,
        others,
        needs,
        offers,
        received,
        sent,
        ongoing,
        past,
    })
}

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

#[derive(Template)]
#[template(path = "posting_form.html")]
struct PostingForm {
    t: &'static Catalog,
    nav: Nav,
    kind: String,
    /// `None` for a new posting.
    id: Option<i64>,
    org_id: i64,
    version: i32,
    f: FormView,
    languages: Vec<Choice>,
    categories: Vec<Choice>,
    skills: Vec<Group>,
    provinces: Vec<Choice>,
    statuses: Vec<Choice>,
    org_kinds: Vec<Choice>,
    cause_areas: Vec<Choice>,
    sizes: Vec<Choice>,
    /// Suggested category and skills from the text, when asked for.
    suggestion: Option<String>,
}

impl PostingForm {
    fn new(
        state: &AppState,
        ctx: &Ctx,
        kind: PostingKind,
        id: Option<i64>,
        org_id: i64,
        version: i32,
        f: FormView,
    ) -> Self {
        let t = ctx.t;
        let statuses: &[PostingStatus] = match id {
            None => &[PostingStatus::Open, PostingStatus::Draft],
            Some(_) => &[
                PostingStatus::Open,
                PostingStatus::Draft,
                PostingStatus::Paused,
                PostingStatus::Closed,
            ],
        };
        Self {
            t,
            nav: ctx.nav(),
            kind: kind.as_str().to_owned(),
            id,
            org_id,
            version,
            f,
            languages: forms::labelled(t, "language", Language::ALL),
            categories: forms::taxonomy(&state.taxonomy, TaxonomyKind::Category, t),
            skills: forms::skills(&state.taxonomy, t),
            provinces: forms::provinces(t),
            statuses: forms::labelled(t, "status", statuses),
            org_kinds: forms::labelled(t, "org-kinds", OrgKind::ALL),
            cause_areas: forms::taxonomy(&state.taxonomy, TaxonomyKind::CauseArea, t),
            sizes: forms::labelled(t, "size", SizeBand::ALL),
            suggestion: None,
        }
    }

    fn is_offer(&self) -> bool {
        self.kind == "offer"
    }

    /// A group of skills starts open when one of its skills is ticked.
    fn group_open(&self, group: &Group) -> bool {
        group.choices.iter().any(|c| self.f.is("skills", &c.value))
    }
}

fn posting_kind(raw: &str) -> PostingKind {
    PostingKind::parse(raw).unwrap_or(PostingKind::Need)
}

pub async fn new_posting_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    let org = current_org(&ctx, org_param(&params))?;
    let kind = posting_kind(
        params
            .iter()
            .find(|(n, _)| n == "kind")
            .map_or("need", |(_, v)| v.as_str()),
    );
    let mut f = FormView::default();
    f.set("language", ctx.lang());
    f.set("province", &org.province);
    f.set("quantity", 1);
    f.set("status", "open");
    render(&PostingForm::new(&state, &ctx, kind, None, org.id, 0, f))
}

/// The fields of the posting form as the API reads them, with the messages of fields the form
/// itself could not read (a number that is not one).
struct PostingFields {
    input: PostingInput,
    errors: Errors,
}

fn posting_fields(form: &Form, kind: PostingKind, t: &Catalog) -> PostingFields {
    let mut errors = Errors::default();
    let quantity = forms::whole::<i32>(form, "quantity", &mut errors, t);
    let value_cad = forms::whole::<i64>(form, "value_cad", &mut errors, t);
    let hours = forms::whole::<i32>(form, "hours", &mut errors, t);
    let starts_on = forms::date(form, "starts_on", &mut errors, t);
    let ends_on = forms::date(form, "ends_on", &mut errors, t);
    // A posting expires at the end of the day it names, in Eastern time's evening (UTC 23:59).
    let expires_at = forms::date(form, "expires_at", &mut errors, t).map(|day| {
        Utc.from_utc_datetime(
            &day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()),
        )
    });
    let language = Language::parse(&form.get("language")).unwrap_or(t.language);
    let status = PostingStatus::parse(&form.get("status"));
    let eligibility = (kind == PostingKind::Offer).then(|| EligibilityInput {
        org_kinds: form
            .all("eligibility.org_kinds")
            .iter()
            .filter_map(|k| OrgKind::parse(k))
            .collect(),
        provinces: form.all("eligibility.provinces"),
        cause_areas: form.all("eligibility.cause_areas"),
        requires_charity_number: form.checked("eligibility.requires_charity_number"),
        preferred_sizes: form
            .all("eligibility.preferred_sizes")
            .iter()
            .filter_map(|s| SizeBand::parse(s))
            .collect(),
    });
    let input = PostingInput {
        organization_id: form.get("org").parse().ok(),
        title: form.get("title"),
        description: form.get("description"),
        language,
        category: form.get("category"),
        skills: form.all("skills"),
        province: form.optional("province"),
        remote: form.checked("remote"),
        quantity,
        value_cad,
        hours,
        starts_on,
        ends_on,
        expires_at,
        status,
        eligibility,
    };
    PostingFields { input, errors }
}

/// The form's own messages and those of the API's checks of the same input, so that every
/// message shows at once.
fn with_api_messages(
    mut errors: Errors,
    input: PostingInput,
    kind: PostingKind,
    state: &AppState,
    t: &Catalog,
) -> Errors {
    if let Err(err) = input.parse(kind, &state.taxonomy) {
        errors.merge(Errors::from_app(&err, t));
    }
    errors
}

/// "Suggest a category": the form again, with the likely category and skills ticked.
async fn with_suggestion(
    state: &AppState,
    ctx: &Ctx,
    form: &Form,
    mut page: PostingForm,
) -> WebResult {
    let title = form.get("title");
    let description = form.get("description");
    let language = Language::parse(&form.get("language"));
    let search = state.search.clone();
    let taxonomy = state.taxonomy.clone();
    let labels = ctx.lang();
    let suggested = tokio::task::spawn_blocking(move || {
        tags::suggest(&search, &taxonomy, &title, &description, language, labels)
    })
    .await
    .map_err(|err| WebError::Internal(err.to_string()))?;
    match suggested {
        Ok(tags) => {
            let mut values: Vec<(String, String)> = form
                .typed()
                .into_iter()
                .filter(|(n, _)| n != "category" && n != "suggest")
                .collect();
            let mut labels = Vec::new();
            if let Some(category) = tags.categories.first() {
                values.push(("category".into(), category.code.clone()));
                labels.push(category.label.clone());
            } else {
                values.push(("category".into(), form.get("category")));
            }
            for skill in &tags.skills {
                if !values
                    .iter()
                    .any(|(n, v)| n == "skills" && v == &skill.code)
                {
                    values.push(("skills".into(), skill.code.clone()));
                }
                labels.push(skill.label.clone());
            }
            page.f = FormView::new(values, Errors::default());
            page.suggestion = Some(if labels.is_empty() {
                ctx.t.get("suggest-nothing")
            } else {
                ctx.t.with("suggest-done", "labels", labels.join(", "))
            });
            render(&page)
        }
        Err(err) => Err(WebError::Internal(err.to_string())),
    }
}

pub async fn new_posting(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let org = current_org(&ctx, form.get("org").parse().ok())?.clone();
    let caller = ctx.require_user()?.clone();
    let kind = posting_kind(&form.get("kind"));
    let page = |f: FormView| PostingForm::new(&state, &ctx, kind, None, org.id, 0, f);
    if form.checked("suggest") {
        return with_suggestion(&state, &ctx, &form, page(FormView::default())).await;
    }
    let PostingFields { mut input, errors } = posting_fields(&form, kind, ctx.t);
    input.organization_id = Some(org.id);
    let refused = |errors: Errors| {
        let values = form.typed();
        render_invalid(&page(FormView::new(values, errors)))
    };
    if !errors.is_empty() {
        return refused(with_api_messages(errors, input, kind, &state, ctx.t));
    }
    let created = match input.parse(kind, &state.taxonomy) {
        Ok(new) => postings::create(&state.db, Some(caller.user.id), org.id, kind, new).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(posting) => Ok(see_other(
            &format!("/{}s/{}", kind.as_str(), posting.id),
            "flash-posting-saved",
        )),
        Err(err) => refused(Errors::from_app(&err, ctx.t)),
    }
}

/// A posting of one of the caller's organizations, to edit.
async fn my_posting(state: &AppState, ctx: &Ctx, id: i64) -> Result<posting::Model, WebError> {
    ctx.require_user()?;
    let found = match postings::get(&state.db, &ctx.viewer, PostingKind::Need, id).await {
        Ok(p) => p,
        Err(_) => load_posting(state, ctx, PostingKind::Offer, id).await?,
    };
    if !ctx.viewer.is_member(found.organization_id) {
        return Err(WebError::App(
            AppError::new(ErrorCode::Forbidden, "Another organization's posting."),
            ctx.lang(),
        ));
    }
    Ok(found)
}

fn posting_values(p: &posting::Model) -> FormView {
    let mut f = FormView::default();
    f.set("title", &p.title);
    f.set("description", &p.description);
    f.set("language", p.language);
    f.set("category", &p.category);
    for skill in &p.skills.0 {
        f.set("skills", skill);
    }
    f.set("province", p.province.clone().unwrap_or_default());
    if p.remote {
        f.set("remote", "true");
    }
    f.set("quantity", p.quantity);
    f.set(
        "value_cad",
        p.value_cad.map(|v| v.to_string()).unwrap_or_default(),
    );
    f.set("hours", p.hours.map(|v| v.to_string()).unwrap_or_default());
    f.set(
        "starts_on",
        p.starts_on.map(|d| d.to_string()).unwrap_or_default(),
    );
    f.set(
        "ends_on",
        p.ends_on.map(|d| d.to_string()).unwrap_or_default(),
    );
    f.set(
        "expires_at",
        p.expires_at
            .map(|d| d.date_naive().to_string())
            .unwrap_or_default(),
    );
    f.set("status", p.status);
    if let Some(rule) = &p.eligibility {
        for kind in &rule.org_kinds {
            f.set("eligibility.org_kinds", kind);
        }
        for province in &rule.provinces {
            f.set("eligibility.provinces", province);
        }
        for cause in &rule.cause_areas {
            f.set("eligibility.cause_areas", cause);
        }
        if rule.requires_charity_number {
            f.set("eligibility.requires_charity_number", "true");
        }
        for size in &rule.preferred_sizes {
            f.set("eligibility.preferred_sizes", size);
        }
    }
    f
}

pub async fn edit_posting_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    let posting = my_posting(&state, &ctx, id).await?;
    let f = posting_values(&posting);
    render(&PostingForm::new(
        &state,
        &ctx,
        posting.kind,
        Some(id),
        posting.organization_id,
        posting.version,
        f,
    ))
}

pub async fn edit_posting(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let posting = my_posting(&state, &ctx, id).await?;
    let caller = ctx.require_user()?.clone();
    let kind = posting.kind;
    let mut errors = Errors::default();
    let version =
        forms::whole::<i32>(&form, "version", &mut errors, ctx.t).unwrap_or(posting.version);
    let page = |f: FormView| {
        PostingForm::new(
            &state,
            &ctx,
            kind,
            Some(id),
            posting.organization_id,
            version,
            f,
        )
    };
    if form.checked("suggest") {
        return with_suggestion(&state, &ctx, &form, page(FormView::default())).await;
    }
    let PostingFields { input, errors } = posting_fields(&form, kind, ctx.t);
    let refused = |errors: Errors| {
        let values = form.typed();
        render_invalid(&page(FormView::new(values, errors)))
    };
    if !errors.is_empty() {
        return refused(with_api_messages(errors, input, kind, &state, ctx.t));
    }
    let patch = PostingPatch {
        version,
        title: Some(input.title),
        description: Some(input.description),
        language: Some(input.language),
        category: Some(input.category),
        skills: Some(input.skills),
        province: Some(input.province),
        remote: Some(input.remote),
        quantity: input.quantity.or(Some(1)),
        value_cad: Some(input.value_cad),
        hours: Some(input.hours),
        starts_on: Some(input.starts_on),
        ends_on: Some(input.ends_on),
        expires_at: Some(input.expires_at),
        status: input.status,
        eligibility: input.eligibility.map(Some),
    };
    match update(&state, caller.user.id, kind, id, patch).await {
        Ok(_) => Ok(see_other(
            &format!("/{}s/{id}", kind.as_str()),
            "flash-posting-saved",
        )),
        Err(err) => refused(Errors::from_app(&err, ctx.t)),
    }
}

async fn update(
    state: &AppState,
    user_id: i64,
    kind: PostingKind,
    id: i64,
    patch: PostingPatch,
) -> Result<posting::Model, AppError> {
    let changes = patch.parse(kind, &state.taxonomy)?;
    postings::update(&state.db, user_id, kind, id, changes).await
}

/// Open, pause or close a posting from the dashboard.
pub async fn posting_status(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let posting = my_posting(&state, &ctx, id).await?;
    let caller = ctx.require_user()?.clone();
    let status = PostingStatus::parse(&form.get("status")).ok_or_else(|| {
        WebError::App(
            AppError::field(
                "status",
                crate::error::Invalid::UnknownValue
                    .with([("allowed", serde_json::json!("open, paused, closed"))]),
            ),
            ctx.lang(),
        )
    })?;
    let patch = PostingPatch {
        version: form.get("version").parse().unwrap_or(posting.version),
        title: None,
        description: None,
        language: None,
        category: None,
        skills: None,
        province: None,
        remote: None,
        quantity: None,
        value_cad: None,
        hours: None,
        starts_on: None,
        ends_on: None,
        expires_at: None,
        status: Some(status),
        eligibility: None,
    };
    update(&state, caller.user.id, posting.kind, id, patch)
        .await
        .or_page(&ctx)?;
    Ok(see_other(
        &format!("/my?org={}#postings", posting.organization_id),
        "flash-posting-saved",
    ))
}

/// Accept, decline, withdraw, start or cancel a partnership, with an optional note.
pub async fn partnership_step(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let note = NoteInput {
        note: form.optional("note"),
    }
    .parse()
    .or_page(&ctx)?;
    let (step, flash) = match form.get("action").as_str() {
        "accept" => (Step::Accept { note }, "flash-accepted"),
        "decline" => (Step::Decline { note }, "flash-declined"),
        "withdraw" => (Step::Withdraw { note }, "flash-withdrawn"),
        "start" => (Step::Start { note }, "flash-started"),
        "cancel" => (Step::Cancel { note }, "flash-cancelled"),
        _ => return Err(WebError::not_found(ctx.lang())),
    };
    partnerships::transition(&state.db, caller.user.id, id, step)
        .await
        .or_page(&ctx)?;
    Ok(see_other("/my#partnerships", flash))
}

#[derive(Template)]
#[template(path = "complete.html")]
struct CompletePage {
    t: &'static Catalog,
    nav: Nav,
    partnership: PartnershipItem,
    f: FormView,
    rows: Vec<IndicatorRow>,
}

/// The field names of one before/after row of the completion form.
pub struct IndicatorRow {
    pub number: usize,
    pub name: String,
    pub before: String,
    pub after: String,
}

const INDICATOR_ROWS: usize = 3;

fn indicator_rows() -> Vec<IndicatorRow> {
    (0..INDICATOR_ROWS)
        .map(|i| IndicatorRow {
            number: i + 1,
            name: format!("outcome.indicators[{i}].name"),
            before: format!("outcome.indicators[{i}].before"),
            after: format!("outcome.indicators[{i}].after"),
        })
        .collect()
}

async fn partnership(state: &AppState, ctx: &Ctx, id: i64) -> Result<PartnershipItem, WebError> {
    let caller = ctx.require_user()?;
    let found = partnerships::get(&state.db, caller.user.id, id)
        .await
        .or_page(ctx)?;
    let view = partnerships::describe(&state.db, &ctx.viewer.org_ids, vec![found])
        .await
        .or_page(ctx)?
        .pop()
        .ok_or_else(|| WebError::not_found(ctx.lang()))?;
    Ok(PartnershipItem::new(view, ctx.t))
}

pub async fn complete_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    let partnership = partnership(&state, &ctx, id).await?;
    render(&CompletePage {
        t: ctx.t,
        nav: ctx.nav(),
        partnership,
        f: FormView::default(),
        rows: indicator_rows(),
    })
}

/// A before or after value: a number when it reads as one, else the text.
fn indicator_value(raw: &str) -> Value {
    let number = raw.replace([' ', '\u{a0}'], "").replace(',', ".");
    match number.parse::<f64>() {
        Ok(n) if n.is_finite() => serde_json::json!(n),
        _ => Value::String(raw.to_owned()),
    }
}

pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let t = ctx.t;
    let mut errors = Errors::default();
    let hours = forms::number(&form, "outcome.hours", &mut errors, t);
    let value_cad = forms::number(&form, "outcome.value_cad", &mut errors, t);
    if form.get("outcome.hours").is_empty() {
        errors.add("outcome.hours", Invalid::Required, t);
    }
    if form.get("outcome.value_cad").is_empty() {
        errors.add("outcome.value_cad", Invalid::Required, t);
    }
    let mut indicators = Vec::new();
    for i in 0..INDICATOR_ROWS {
        let field = |name: &str| form.get(&format!("outcome.indicators[{i}].{name}"));
        let (name, before, after) = (field("name"), field("before"), field("after"));
        if name.is_empty() && before.is_empty() && after.is_empty() {
            continue;
        }
        indicators.push(IndicatorInput {
            name,
            before: indicator_value(&before),
            after: indicator_value(&after),
        });
    }
    let refused = |errors: Errors, partnership: PartnershipItem| {
        let values = form.typed();
        render_invalid(&CompletePage {
            t,
            nav: ctx.nav(),
            partnership,
            f: FormView::new(values, errors),
            rows: indicator_rows(),
        })
    };
    let input = CompleteInput {
        outcome: OutcomeInput {
            hours: hours.unwrap_or(0.0),
            value_cad: value_cad.unwrap_or(0.0),
            delivered: form.get("outcome.delivered"),
            indicators,
        },
        note: form.optional("note"),
    };
    if !errors.is_empty() {
        // Show every message at once: what the form could not read, and what the API refuses.
        if let Err(err) = input.parse() {
            errors.merge(Errors::from_app(&err, t));
        }
        return refused(errors, partnership(&state, &ctx, id).await?);
    }
    let done = match input.parse() {
        Ok((outcome, note)) => {
            let step = Step::Complete { outcome, note };
            partnerships::transition(&state.db, caller.user.id, id, step).await
        }
        Err(err) => Err(err),
    };
    match done {
        Ok(_) => Ok(see_other("/my#partnerships", "flash-completed")),
        Err(err) if err.code() == ErrorCode::ValidationFailed => refused(
            Errors::from_app(&err, t),
            partnership(&state, &ctx, id).await?,
        ),
        Err(err) => Err(WebError::app(err, ctx.lang())),
    }
}
