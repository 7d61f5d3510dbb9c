//! The needs and offers of my organization: the posting form (new, edit, "suggest a category")
//! and the status buttons (mirrors `http/postings`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use chrono::{NaiveTime, TimeZone, Utc};
use entity::{
    Language, OrgKind, PostingKind, PostingStatus, PostingUnit, ReasonCode, SizeBand, TaxonomyKind,
    posting,
};

use crate::domain::postings::{self, EligibilityInput, PostingInput, PostingPatch};
use crate::error::{AppError, ErrorCode};
use crate::matching::tags;
use crate::state::{AppState, PathId};
use crate::web::confirm::{self, ConfirmPage};
use crate::web::forms::{self, Choice, Errors, Form, FormView, Group};
use crate::web::pages::load_posting;
use crate::web::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};

use super::{current_org, org_param};

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
    units: Vec<Choice>,
    /// Whether one partnership takes all of it: yes or no, in words that fit the kind.
    fills: Vec<Choice>,
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
            units: forms::labelled(t, "unit", PostingUnit::ALL),
            fills: vec![
                Choice {
                    value: "true".into(),
                    label: t.get(&format!("posting-fills-whole-{}", kind.as_str())),
                },
                Choice {
                    value: "false".into(),
                    label: t.get(&format!("posting-fills-shared-{}", kind.as_str())),
                },
            ],
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
    f.set("unit", PostingUnit::Items);
    // Most needs are met by one partner; most offers serve several organizations.
    f.set("filled_by_one", kind == PostingKind::Need);
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
        unit: PostingUnit::parse(&form.get("unit")),
        filled_by_one: form.get("filled_by_one") == "true",
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
    f.set("unit", p.unit);
    f.set("filled_by_one", p.filled_by_one);
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
        unit: input.unit,
        filled_by_one: Some(input.filled_by_one),
        value_cad: Some(input.value_cad),
        hours: Some(input.hours),
        starts_on: Some(input.starts_on),
        ends_on: Some(input.ends_on),
        expires_at: Some(input.expires_at),
        status: input.status,
        eligibility: input.eligibility.map(Some),
        reason_code: None,
        reason: None,
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

/// The common reasons offered when closing a posting.
const CLOSING_REASONS: &[ReasonCode] = &[
    ReasonCode::FoundAnotherPartner,
    ReasonCode::NeedsChanged,
    ReasonCode::NoCapacity,
    ReasonCode::Other,
];

fn close_page(ctx: &Ctx, posting: &posting::Model, f: FormView) -> ConfirmPage {
    let t = ctx.t;
    let kind = posting.kind.as_str();
    ConfirmPage {
        t,
        nav: ctx.nav(),
        heading: t.get(&format!("confirm-close-{kind}-title")),
        lead: t.with("confirm-close-lead", "title", &posting.title),
        confirm: t.get("posting-close"),
        action: format!("/my/postings/{}/status", posting.id),
        hidden: vec![
            ("status", "closed".to_owned()),
            ("version", posting.version.to_string()),
        ],
        reasons: forms::labelled(t, "reason", CLOSING_REASONS),
        reason_hint: t.get("confirm-close-hint"),
        reason_required: false,
        back: format!("/{kind}s/{}", posting.id),
        back_label: t.get("posting-back"),
        f,
    }
}

/// Asks to confirm closing a posting, with a reason for the organizations whose proposals wait.
pub async fn confirm_close(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    let posting = my_posting(&state, &ctx, id).await?;
    render(&close_page(&ctx, &posting, FormView::default()))
}

/// Open, pause or close a posting from the dashboard; closing is taken only from its
/// confirmation page.
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
    let closing = status == PostingStatus::Closed;
    if closing && !confirm::confirmed(&form) {
        return Ok(Redirect::to(&format!("/my/postings/{id}/close")).into_response());
    }
    let reason_code = if closing {
        match confirm::reason_code(&form, ReasonCode::parse, ctx.t) {
            Ok(code) => code,
            Err(errors) => {
                return render_invalid(&close_page(
                    &ctx,
                    &posting,
                    FormView::new(form.typed(), errors),
                ));
            }
        }
    } else {
        None
    };
    let patch = PostingPatch {
        version: form.get("version").parse().unwrap_or(posting.version),
        status: Some(status),
        reason_code,
        reason: form.optional("reason").filter(|_| closing),
        ..PostingPatch::default()
    };
    match update(&state, caller.user.id, posting.kind, id, patch).await {
        Ok(_) if closing => Ok(see_other(
            &format!("/{}s/{id}", posting.kind.as_str()),
            "flash-posting-closed",
        )),
        Ok(_) => Ok(see_other(
            &format!("/my?org={}#postings", posting.organization_id),
            "flash-posting-saved",
        )),
        Err(err) if closing && err.code() == ErrorCode::ValidationFailed => {
            let f = FormView::new(form.typed(), Errors::from_app(&err, ctx.t));
            render_invalid(&close_page(&ctx, &posting, f))
        }
        Err(err) => Err(err).or_page(&ctx),
    }
}
