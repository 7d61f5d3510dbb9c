//! Public pages: home, search, needs and offers with their suggested partners, organizations; and
//! the proposal form that starts a partnership.

use askama::Template;
use axum::extract::{Query, State};
use entity::{Language, PostingKind, PostingStatus, Verification, organization, posting};

use super::forms::{self, Errors, Form, FormView};
use super::{Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other};
use crate::domain::accounts::Viewer;
use crate::domain::organizations;
use crate::domain::partnerships::interest::{self, InterestInput};
use crate::domain::partnerships::{ProposalInput, ProposalRules};
use crate::domain::postings::{self, PostingFilter};
use crate::domain::types::{Province, cursor};
use crate::matching::{self, Match, MatchOptions};
use crate::search::{FACETS, Hit, SearchKind, SearchQuery, SearchResults, Sort};
use crate::state::{AppState, PathId};

/// Labels of values shown on pages: taxonomy codes, provinces, stored enums.
pub struct Labels<'a> {
    pub t: &'static Catalog,
    pub state: &'a AppState,
}

impl Labels<'_> {
    pub fn category(&self, code: &str) -> String {
        self.state.taxonomy.get(code).map_or_else(
            || code.to_owned(),
            |e| super::forms::entry_label(e, self.t.language).to_owned(),
        )
    }

    pub fn province(&self, code: &str) -> String {
        Province::name(code, self.t.language).to_owned()
    }

    /// The label of a facet's value.
    pub fn facet(&self, facet: &str, value: &str) -> String {
        match facet {
            "category" => self.category(value),
            "province" => self.province(value),
            "kind" => self.t.label("kind", value),
            "org_kind" => self.t.label("org-kind", value),
            "remote" => self.t.label("remote", value),
            _ => value.to_owned(),
        }
    }
}

/// A search hit as a card or a result line.
pub struct HitView {
    pub href: String,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub title_html: String,
    pub snippet_html: String,
    pub organization_href: String,
    pub organization_name: String,
    pub place: String,
    pub category: String,
    /// Whether an administrator verified the organization.
    pub verified: bool,
    /// The language the title and text are written in (organizations: the page's).
    pub lang: String,
}

impl HitView {
    fn new(hit: Hit, labels: &Labels) -> Self {
        let href = match hit.kind.as_str() {
            "need" => format!("/needs/{}", hit.id),
            "offer" => format!("/offers/{}", hit.id),
            _ => format!("/organizations/{}", hit.id),
        };
        let mut place = hit
            .province
            .as_deref()
            .map(|p| labels.province(p))
            .unwrap_or_default();
        if hit.remote {
            let remote = labels.t.get("remote-short");
            place = if place.is_empty() {
                remote
            } else {
                format!("{place} · {remote}")
            };
        }
        Self {
            href,
            kind_label: labels.t.label("kind", &hit.kind),
            kind: hit.kind,
            title: hit.title,
            title_html: hit.title_html,
            snippet_html: hit.snippet_html,
            organization_href: format!("/organizations/{}", hit.organization_id),
            organization_name: hit.organization_name,
            verified: hit.verified,
            place,
            category: hit
                .category
                .as_deref()
                .map(|c| labels.category(c))
                .unwrap_or_default(),
            lang: match hit.language.as_str() {
                "en" | "fr" => hit.language.clone(),
                _ => labels.t.language.as_str().to_owned(),
            },
        }
    }
}

/// Runs a search with the checks the API makes (a refused parameter is an error page).
async fn search(
    state: &AppState,
    ctx: &Ctx,
    query: SearchQuery,
) -> Result<SearchResults, WebError> {
    let mut request = query.parse(&state.taxonomy).or_page(ctx)?;
    let user = ctx.caller.as_ref().map(|c| c.user.id);
    organizations::fill_eligible(&state.db, user, &mut request)
        .await
        .or_page(ctx)?;
    state
        .search
        .search(request)
        .await
        .map_err(|err| WebError::Internal(err.to_string()))
}

/// The first `limit` hits of a kind in an order, for the home page: of verified organizations
/// only, unless `home_shows_unverified` says otherwise.
fn query(state: &AppState, kind: Option<SearchKind>, sort: Sort, limit: usize) -> SearchQuery {
    SearchQuery {
        kind: kind.map(|kind| kind.as_str().to_owned()),
        sort: Some(sort),
        limit: Some(limit),
        verified: (!state.config.home_shows_unverified).then_some(true),
        ..Default::default()
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    t: &'static Catalog,
    nav: Nav,
    needs: Vec<HitView>,
    offers: Vec<HitView>,
    need_count: usize,
    offer_count: usize,
    organization_count: usize,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let all = search(&state, &ctx, query(&state, None, Sort::Relevance, 1)).await?;
    let count = |kind: &str| {
        all.facets
            .get("kind")
            .and_then(|counts| counts.get(kind))
            .map_or(0, |n| usize::try_from(*n).unwrap_or(usize::MAX))
    };
    let needs = search(
        &state,
        &ctx,
        query(&state, Some(SearchKind::Need), Sort::Recent, 6),
    )
    .await?;
    let offers = search(
        &state,
        &ctx,
        query(&state, Some(SearchKind::Offer), Sort::Recent, 6),
    )
    .await?;
    render(&HomePage {
        t: ctx.t,
        nav: ctx.nav(),
        need_count: count("need"),
        offer_count: count("offer"),
        organization_count: count("organization"),
        needs: needs
            .hits
            .into_iter()
            .map(|h| HitView::new(h, &labels))
            .collect(),
        offers: offers
            .hits
            .into_iter()
            .map(|h| HitView::new(h, &labels))
            .collect(),
    })
}

/// One facet's values, any of which may be chosen (results then have any of them).
pub struct FacetView {
    pub name: String,
    pub legend: String,
    pub values: Vec<FacetValue>,
}

pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    t: &'static Catalog,
    nav: Nav,
    /// This search's query string, for "save this search" (signed in only).
    save_query: Option<String>,
    q: String,
    sort: String,
    language: String,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    page: usize,
    /// How many filters are chosen, shown on the button that unfolds them on a phone.
    chosen: usize,
    closing_soon: bool,
    eligible: bool,
    min_value: String,
    max_value: String,
    /// Page numbers with their links; `None` for numbers left out.
    pages: Vec<Option<(usize, String)>>,
    previous_href: Option<String>,
    next_href: Option<String>,
}

const PAGE_SIZE: usize = 20;

/// The page numbers a pager links to: the first and the last, the current one and two on each
/// side; `None` where numbers are left out.
fn page_numbers(current: usize, last: usize) -> Vec<Option<usize>> {
    if last <= 1 {
        return Vec::new();
    }
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(last);
    let mut shown: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(last))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut numbers = Vec::new();
    for (i, n) in shown.iter().enumerate() {
        if i > 0 && n - shown[i - 1] > 1 {
            numbers.push(None);
        }
        numbers.push(Some(*n));
    }
    numbers
}

pub async fn search_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    // Every value a checkbox list sent, as the API reads them: comma-separated.
    let values = |name: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(n, v)| n == name && !v.trim().is_empty())
            .flat_map(|(_, v)| v.split(',').map(|v| v.trim().to_owned()))
            .filter(|v| !v.is_empty())
            .collect()
    };
    let list = |name: &str| Some(values(name).join(",")).filter(|v| !v.is_empty());
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    };
    let page: usize = param("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=50).contains(p))
        .unwrap_or(1);
    let language = param("language").and_then(|l| Language::parse(&l));
    let remote = param("remote").map(|r| r == "true");
    let request = SearchQuery {
        q: param("q"),
        kind: list("kind"),
        category: list("category"),
        province: list("province"),
        org_kind: list("org_kind"),
        remote,
        verified: param("verified").map(|v| v == "true"),
        language,
        closing_soon: param("closing_soon").map(|v| v == "true"),
        min_value: param("min_value")
            .and_then(|v| crate::i18n::parse_number(&v, ctx.lang()))
            .map(|v| v.round() as i64),
        max_value: param("max_value")
            .and_then(|v| crate::i18n::parse_number(&v, ctx.lang()))
            .map(|v| v.round() as i64),
        eligible: param("eligible")
            .map(|v| v == "true")
            .filter(|_| ctx.caller.is_some()),
        sort: param("sort")
            .map(|s| Sort::parse(&s))
            .transpose()
            .or_page(&ctx)?,
        limit: Some(PAGE_SIZE),
        cursor: (page > 1).then(|| cursor::encode_offset((page - 1) * PAGE_SIZE)),
    };
    let results = search(&state, &ctx, request).await?;
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let facets = FACETS
        .iter()
        .map(|facet| {
            let chosen = values(facet);
            let mut shown: Vec<FacetValue> = results
                .facets
                .get(*facet)
                .into_iter()
                .flatten()
                .filter(|(_, count)| **count > 0)
                .map(|(value, count)| FacetValue {
                    label: labels.facet(facet, value),
                    checked: chosen.contains(value),
                    value: value.clone(),
                    count: *count,
                })
                .collect();
            shown.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then_with(|| crate::i18n::collate(ctx.t.language, &a.label, &b.label))
            });
            // A value chosen stays on show, even when nothing matches it any more.
            for value in chosen.iter().rev() {
                if !shown.iter().any(|v| v.value == *value) {
                    shown.insert(
                        0,
                        FacetValue {
                            label: labels.facet(facet, value),
                            checked: true,
                            value: value.clone(),
                            count: 0,
                        },
                    );
                }
            }
            FacetView {
                name: (*facet).to_owned(),
                legend: ctx.t.get(&format!("facet-{}", facet.replace('_', "-"))),
                values: shown,
            }
        })
        .filter(|facet| !facet.values.is_empty())
        .collect();
    let href = |page: usize| {
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .filter(|(n, v)| n != "page" && !v.trim().is_empty())
            .cloned()
            .collect();
        pairs.push(("page".into(), page.to_string()));
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("/search?{query}")
    };
    let shown = page * PAGE_SIZE;
    render(&SearchPage {
        t: ctx.t,
        nav: ctx.nav(),
        save_query: ctx.caller.as_ref().map(|_| {
            ctx.here
                .split_once('?')
                .map(|(_, query)| query.to_owned())
                .unwrap_or_default()
        }),
        q: param("q").unwrap_or_default(),
        sort: param("sort").unwrap_or_default(),
        language: language.map(|l| l.as_str().to_owned()).unwrap_or_default(),
        total: results.total,
        previous_href: (page > 1).then(|| href(page - 1)),
        next_href: (shown < results.total && results.hits.len() == PAGE_SIZE)
            .then(|| href(page + 1)),
        closing_soon: param("closing_soon").is_some_and(|v| v == "true"),
        eligible: param("eligible").is_some_and(|v| v == "true"),
        min_value: param("min_value").unwrap_or_default(),
        max_value: param("max_value").unwrap_or_default(),
        chosen: FACETS
            .iter()
            .chain(&[
                "language",
                "closing_soon",
                "eligible",
                "min_value",
                "max_value",
            ])
            .filter(|name| param(name).is_some())
            .count(),
        pages: page_numbers(
            page,
            results
                .total
                .div_ceil(PAGE_SIZE)
                .min(crate::search::MAX_OFFSET / PAGE_SIZE),
        )
        .into_iter()
        .map(|number| number.map(|n| (n, href(n))))
        .collect(),
        page,
        hits: results
            .hits
            .into_iter()
            .map(|h| HitView::new(h, &labels))
            .collect(),
        facets,
    })
}

/// A posting's details as a page shows them.
pub struct PostingView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub description: String,
    /// The stored status (`open`, `closed`, ...).
    pub status: String,
    pub status_label: String,
    pub open: bool,
    pub category: String,
    pub skills: Vec<String>,
    pub place: String,
    pub language: String,
    /// The code of the language it is written in, for `lang` attributes.
    pub lang: String,
    /// The quantity with what it counts ("8 items", "30 places").
    pub quantity_text: String,
    /// Whether one partnership takes all of it, in words.
    pub fills: String,
    /// Money as the page's language writes it (`$15,000`, `15 000 $`).
    pub value_cad: Option<String>,
    pub hours: Option<String>,
    pub dates: String,
    pub expires: String,
    /// The offer's eligibility rules, one sentence each.
    pub rules: Vec<String>,
}

impl PostingView {
    pub fn new(p: &posting::Model, labels: &Labels) -> Self {
        let t = labels.t;
        let mut place = p
            .province
            .as_deref()
            .map(|c| labels.province(c))
            .unwrap_or_default();
        if p.remote {
            place = if place.is_empty() {
                t.get("remote-true")
            } else {
                format!("{place} · {}", t.get("remote-short"))
            };
        }
        if place.is_empty() {
            place = t.get("posting-anywhere");
        }
        let day = |d: chrono::NaiveDate| crate::i18n::date(d, t.language);
        let dates = match (p.starts_on, p.ends_on) {
            (Some(start), Some(end)) => format!("{} – {}", day(start), day(end)),
            (Some(start), None) => t.with("posting-from", "date", day(start)),
            (None, Some(end)) => t.with("posting-until", "date", day(end)),
            (None, None) => String::new(),
        };
        let mut rules = Vec::new();
        if let Some(rule) = &p.eligibility {
            if !rule.org_kinds.is_empty() {
                let kinds: Vec<String> = rule
                    .org_kinds
                    .iter()
                    .map(|k| t.label("org-kinds", k))
                    .collect();
                rules.push(t.with("rule-org-kinds", "kinds", kinds.join(", ")));
            }
            if !rule.provinces.is_empty() {
                let names: Vec<String> =
                    rule.provinces.iter().map(|c| labels.province(c)).collect();
                rules.push(t.with("rule-provinces", "provinces", names.join(", ")));
            }
            if !rule.cause_areas.is_empty() {
                let names: Vec<String> = rule
                    .cause_areas
                    .iter()
                    .map(|c| labels.category(c))
                    .collect();
                rules.push(t.with("rule-cause-areas", "causes", names.join(", ")));
            }
            if rule.requires_charity_number {
                rules.push(t.get("rule-charity"));
            }
        }
        Self {
            id: p.id,
            kind: p.kind.as_str().to_owned(),
            kind_label: t.label("kind", p.kind),
            title: p.title.clone(),
            description: p.description.clone(),
            status: p.status.as_str().to_owned(),
            status_label: t.label("status", p.status),
            open: p.status == PostingStatus::Open,
            category: labels.category(&p.category),
            skills: p.skills.0.iter().map(|s| labels.category(s)).collect(),
            place,
            language: t.label("language", p.language),
            lang: p.language.as_str().to_owned(),
            quantity_text: t.quantity(p.unit, p.quantity),
            fills: t.get(&format!(
                "posting-fills-{}-{}",
                if p.filled_by_one { "whole" } else { "shared" },
                p.kind.as_str()
            )),
            value_cad: p.value_cad.map(|v| crate::i18n::money(v, t.language)),
            hours: p
                .hours
                .map(|h| crate::i18n::integer(i64::from(h), t.language)),
            dates,
            expires: p
                .expires_at
                .map(|e| day(e.date_naive()))
                .unwrap_or_default(),
            rules,
        }
    }

    pub fn href(&self) -> String {
        format!("/{}s/{}", self.kind, self.id)
    }
}

/// A suggested partner with its reasons and the link that proposes the pair.
pub struct Suggestion {
    pub href: String,
    pub title: String,
    pub organization_name: String,
    pub organization_href: String,
    pub score: String,
    pub reasons: Vec<String>,
    pub propose_href: String,
    pub lang: String,
}

fn suggestion(m: Match, subject: &posting::Model) -> Suggestion {
    let (need_id, offer_id) = match subject.kind {
        PostingKind::Need => (subject.id, m.posting.id),
        PostingKind::Offer => (m.posting.id, subject.id),
    };
    Suggestion {
        href: format!("/{}s/{}", m.posting.kind.as_str(), m.posting.id),
        title: m.posting.title,
        organization_name: m.posting.organization_name,
        organization_href: format!("/organizations/{}", m.posting.organization_id),
        score: format!("{:.0}", m.score * 100.0),
        reasons: m.reasons.into_iter().take(4).map(|r| r.text).collect(),
        propose_href: format!("/propose?need_id={need_id}&offer_id={offer_id}"),
        lang: m.posting.language.as_str().to_owned(),
    }
}

#[derive(Template)]
#[template(path = "posting.html")]
struct PostingPage {
    t: &'static Catalog,
    nav: Nav,
    posting: PostingView,
    organization: organization::Model,
    verified: bool,
    /// The viewer belongs to the posting's organization.
    mine: bool,
    suggestions: Vec<Suggestion>,
    /// The viewer's open postings of the other kind, to propose one for this posting.
    own_partners: Vec<(i64, String)>,
    /// Why an administrator hid it, for its organization (and administrators).
    hidden: Option<String>,
    /// What its organization said when closing it.
    closing_note: Option<String>,
    /// The viewer may report it (signed in, not one of its organization).
    can_report: bool,
    /// The short form to answer it without a posting of one's own.
    f: FormView,
}

/// A reason given for a moderation step, as one line: the common reason, then the words.
pub fn moderation_reason(
    t: &Catalog,
    code: Option<entity::ModerationReason>,
    words: Option<&str>,
) -> String {
    code.map(|c| t.label("moderation-reason", c))
        .into_iter()
        .chain(words.map(|w| t.with("quoted", "words", w)))
        .collect::<Vec<_>>()
        .join(" — ")
}

pub async fn need(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    render(&posting_page(&state, &ctx, id, PostingKind::Need, FormView::default()).await?)
}

pub async fn offer(State(state): State<AppState>, ctx: Ctx, PathId(id): PathId) -> WebResult {
    render(&posting_page(&state, &ctx, id, PostingKind::Offer, FormView::default()).await?)
}

/// The short form of a posting's page: the matching need (or offer) is created for the
/// visitor's organization and proposed with it (`partnerships::interest`).
pub async fn need_interest(state: State<AppState>, ctx: Ctx, id: PathId, form: Form) -> WebResult {
    interest(state, ctx, id, PostingKind::Need, form).await
}

pub async fn offer_interest(state: State<AppState>, ctx: Ctx, id: PathId, form: Form) -> WebResult {
    interest(state, ctx, id, PostingKind::Offer, form).await
}

async fn interest(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    kind: PostingKind,
    form: Form,
) -> WebResult {
    ctx.require_user()?;
    let mut errors = Errors::default();
    let quantity = forms::whole::<i32>(&form, "quantity", &mut errors, ctx.t);
    let input = InterestInput {
        organization_id: None,
        title: form.optional("title"),
        description: form.raw("description"),
        quantity,
        message: form.optional("message"),
        language: Some(ctx.lang()),
    };
    if errors.is_empty() {
        let answered = interest::express_interest(
            &state.db,
            &state.taxonomy,
            ProposalRules::from(state.config.as_ref()),
            &ctx.viewer,
            kind,
            id,
            input,
        )
        .await;
        match answered {
            Ok((_, proposal)) => {
                return Ok(see_other(
                    &format!("/partnerships/{}", proposal.id),
                    "flash-interest-sent",
                ));
            }
            Err(err) if err.code() == crate::error::ErrorCode::ValidationFailed => {
                errors.merge(Errors::from_app(&err, ctx.t));
            }
            Err(err) => return Err(err).or_page(&ctx),
        }
    }
    let f = FormView::new(form.typed(), errors);
    render_invalid(&posting_page(&state, &ctx, id, kind, f).await?)
}

/// A posting as the viewer may see it (drafts only for its organization).
pub async fn load_posting(
    state: &AppState,
    ctx: &Ctx,
    kind: PostingKind,
    id: i64,
) -> Result<posting::Model, WebError> {
    postings::get(&state.db, &ctx.viewer, kind, id)
        .await
        .or_page(ctx)
}

async fn posting_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    kind: PostingKind,
    mut f: FormView,
) -> Result<PostingPage, WebError> {
    let posting = load_posting(state, ctx, kind, id).await?;
    if f.val("title").is_empty() {
        f.set("title", &posting.title);
    }
    let organization = organizations::get(&state.db, posting.organization_id)
        .await
        .or_page(ctx)?;
    let mine = ctx.viewer.is_member(posting.organization_id);
    let options = MatchOptions {
        limit: 10,
        language: ctx.lang(),
        explain_excluded: false,
        max_pending: state.config.max_pending_proposals,
    };
    let matches = matching::find(
        &state.db,
        &state.search,
        &state.taxonomy,
        &ctx.viewer,
        kind,
        id,
        options,
    )
    .await;
    // Suggestions help; a page without them is still worth showing.
    let suggestions = match matches {
        Ok(found) => found
            .matches
            .into_iter()
            .map(|m| suggestion(m, &posting))
            .collect(),
        Err(err) => {
            tracing::warn!(error = %err, "suggested partners unavailable");
            Vec::new()
        }
    };
    let own_partners = if mine || posting.status != PostingStatus::Open {
        Vec::new()
    } else {
        own_open_postings(state, ctx, other(kind)).await?
    };
    let labels = Labels { t: ctx.t, state };
    Ok(PostingPage {
        t: ctx.t,
        nav: ctx.nav(),
        posting: PostingView::new(&posting, &labels),
        verified: organization.verification == Verification::Verified,
        organization,
        mine,
        suggestions,
        own_partners,
        hidden: posting.hidden_at.map(|_| {
            moderation_reason(ctx.t, posting.hidden_code, posting.hidden_reason.as_deref())
        }),
        closing_note: posting
            .closing_note
            .clone()
            .filter(|_| posting.status == PostingStatus::Closed),
        can_report: ctx.nav().user.is_some() && !mine,
        f,
    })
}

fn other(kind: PostingKind) -> PostingKind {
    match kind {
        PostingKind::Need => PostingKind::Offer,
        PostingKind::Offer => PostingKind::Need,
    }
}

/// An organization's postings of a kind (of one status, or all), newest first, as `viewer` may
/// see them; the first hundred.
pub async fn org_postings(
    state: &AppState,
    viewer: &Viewer,
    organization_id: i64,
    kind: PostingKind,
    status: Option<PostingStatus>,
) -> crate::error::AppResult<Vec<entity::posting::Model>> {
    let filter = PostingFilter {
        organization_id: Some(organization_id),
        status,
        limit: 100,
        ..Default::default()
    };
    Ok(postings::list(&state.db, viewer, kind, &filter)
        .await?
        .items)
}

/// The open postings of a kind of the viewer's organizations.
async fn own_open_postings(
    state: &AppState,
    ctx: &Ctx,
    kind: PostingKind,
) -> Result<Vec<(i64, String)>, WebError> {
    let mut found = Vec::new();
    for (_, org) in &ctx.orgs {
        let open = org_postings(state, &ctx.viewer, org.id, kind, Some(PostingStatus::Open))
            .await
            .or_page(ctx)?;
        found.extend(open.into_iter().map(|p| (p.id, p.title)));
    }
    Ok(found)
}

#[derive(Template)]
#[template(path = "organization.html")]
struct OrganizationPage {
    /// "Usually answers within 3 days", when its history says.
    answers: Option<String>,
    t: &'static Catalog,
    nav: Nav,
    organization: organization::Model,
    verified: bool,
    kind_label: String,
    province: String,
    causes: Vec<String>,
    needs: Vec<PostingView>,
    offers: Vec<PostingView>,
    /// The viewer may report it (signed in, not a member).
    can_report: bool,
    /// Completed partnerships both sides agreed to list: partner, link, when, headline result.
    completed: Vec<Completed>,
}

/// A completed partnership as an organization's public page lists it.
pub struct Completed {
    pub partner: String,
    pub partner_href: String,
    pub when: String,
    pub headline: String,
}

/// The result a listed partnership is known by: its first measure ("Volunteers who spot a
/// phishing email: 9 → 35"), or the start of what was delivered.
fn headline(outcome: &entity::Outcome, t: &Catalog) -> String {
    match outcome.indicators.first() {
        Some(first) => t.args(
            "org-completed-measure",
            &[
                ("name", first.name.clone()),
                ("before", t.indicator(&first.before)),
                ("after", t.indicator(&first.after)),
            ],
        ),
        None => {
            let words: String = outcome.delivered.chars().take(160).collect();
            if words.len() < outcome.delivered.len() {
                format!(
                    "{}…",
                    words
                        .rsplit_once(' ')
                        .map_or(words.as_str(), |(kept, _)| kept)
                )
            } else {
                words
            }
        }
    }
}

pub async fn organization(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> WebResult {
    let organization = organizations::get(&state.db, id).await.or_page(&ctx)?;
    let labels = Labels {
        t: ctx.t,
        state: &state,
    };
    let viewer = Viewer::default();
    let mut lists = Vec::new();
    for kind in [PostingKind::Need, PostingKind::Offer] {
        let open = org_postings(&state, &viewer, id, kind, Some(PostingStatus::Open))
            .await
            .or_page(&ctx)?;
        lists.push(
            open.into_iter()
                .map(|p| PostingView::new(&p, &labels))
                .collect::<Vec<_>>(),
        );
    }
    let offers = lists.pop().unwrap_or_default();
    let needs = lists.pop().unwrap_or_default();
    let listed = crate::domain::partnerships::listed(&state.db, id)
        .await
        .or_page(&ctx)?;
    let partner_ids: Vec<i64> = listed
        .iter()
        .map(|p| {
            if p.need_org_id == id {
                p.offer_org_id
            } else {
                p.need_org_id
            }
        })
        .collect();
    let partners: std::collections::HashMap<i64, String> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        organization::Entity::find()
            .filter(organization::Column::Id.is_in(partner_ids.iter().copied()))
            .all(&state.db)
            .await
            .map_err(crate::error::AppError::from)
            .or_page(&ctx)?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };
    let completed = listed
        .iter()
        .zip(&partner_ids)
        .filter_map(|(p, partner)| {
            Some(Completed {
                partner: partners.get(partner)?.clone(),
                partner_href: format!("/organizations/{partner}"),
                when: p
                    .completed_at
                    .map(|at| crate::i18n::date(at.date_naive(), ctx.t.language))
                    .unwrap_or_default(),
                headline: p
                    .outcome
                    .as_ref()
                    .map(|o| headline(o, ctx.t))
                    .unwrap_or_default(),
            })
        })
        .collect();
    let answers = organizations::usual_answer_time(&state.db, id)
        .await
        .or_page(&ctx)?
        .map(|wait| {
            ctx.t.count(
                "org-answers-within",
                organizations::days_within(wait) as usize,
            )
        });
    render(&OrganizationPage {
        answers,
        t: ctx.t,
        nav: ctx.nav(),
        kind_label: ctx.t.label("org-kind", organization.kind),
        province: labels.province(&organization.province),
        verified: organization.verification == Verification::Verified,
        causes: organization
            .cause_areas
            .0
            .iter()
            .map(|c| labels.category(c))
            .collect(),
        can_report: ctx.nav().user.is_some() && !ctx.viewer.is_member(id),
        completed,
        organization,
        needs,
        offers,
    })
}

#[derive(Template)]
#[template(path = "propose.html")]
struct ProposePage {
    t: &'static Catalog,
    nav: Nav,
    need: PostingView,
    offer: PostingView,
    /// The organization the proposal goes to.
    recipient: String,
    /// Whether to ask how many units the partnership covers (not when both postings are taken
    /// whole), and what the two postings have.
    ask_units: bool,
    units_hint: String,
    f: FormView,
}

fn pair_ids(values: &[(String, String)]) -> Option<(i64, i64)> {
    let id = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.trim().parse::<i64>().ok())
    };
    Some((id("need_id")?, id("offer_id")?))
}

async fn propose_page(
    state: &AppState,
    ctx: &Ctx,
    need_id: i64,
    offer_id: i64,
    f: FormView,
) -> Result<ProposePage, WebError> {
    let labels = Labels { t: ctx.t, state };
    let need = load_posting(state, ctx, PostingKind::Need, need_id).await?;
    let offer = load_posting(state, ctx, PostingKind::Offer, offer_id).await?;
    let recipient_id = if ctx.viewer.org_ids.contains(&need.organization_id) {
        offer.organization_id
    } else {
        need.organization_id
    };
    let recipient = organizations::get(&state.db, recipient_id)
        .await
        .or_page(ctx)?
        .name;
    Ok(ProposePage {
        t: ctx.t,
        nav: ctx.nav(),
        need: PostingView::new(&need, &labels),
        units_hint: t_units_hint(ctx.t, &need, &offer),
        ask_units: !need.filled_by_one || !offer.filled_by_one,
        offer: PostingView::new(&offer, &labels),
        recipient,
        f,
    })
}

/// What the number of units of a proposal means for these two postings.
fn t_units_hint(t: &Catalog, need: &posting::Model, offer: &posting::Model) -> String {
    let count = |p: &posting::Model| t.quantity(p.unit, p.quantity);
    t.args(
        "propose-units-hint",
        &[("need", count(need)), ("offer", count(offer))],
    )
}

/// `GET /propose?need_id=&offer_id=`: the two postings and the message to the other side.
pub async fn propose_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Vec<(String, String)>>,
) -> WebResult {
    ctx.require_user()?;
    let (need_id, offer_id) = pair_ids(&params).ok_or_else(|| WebError::not_found(ctx.lang()))?;
    let mut f = FormView::default();
    f.set("need_id", need_id);
    f.set("offer_id", offer_id);
    if let (Ok(need), Ok(offer)) = (
        load_posting(&state, &ctx, PostingKind::Need, need_id).await,
        load_posting(&state, &ctx, PostingKind::Offer, offer_id).await,
    ) {
        f.set("units", need.quantity.min(offer.quantity).max(1));
    }
    render(&propose_page(&state, &ctx, need_id, offer_id, f).await?)
}

pub async fn propose(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let (need_id, offer_id) = pair_ids(&form.0).ok_or_else(|| WebError::not_found(ctx.lang()))?;
    let mut errors = Errors::default();
    let units = forms::whole::<i32>(&form, "units", &mut errors, ctx.t);
    let input = ProposalInput {
        need_id,
        offer_id,
        message: form.get("message"),
        units,
    };
    if !errors.is_empty() {
        let page = propose_page(
            &state,
            &ctx,
            need_id,
            offer_id,
            FormView::new(form.typed(), errors),
        )
        .await?;
        return render_invalid(&page);
    }
    let created = matching::propose(
        &state.db,
        &state.search,
        &state.taxonomy,
        ProposalRules::from(state.config.as_ref()),
        &caller,
        input,
        ctx.lang(),
    )
    .await;
    match created {
        Ok(_) => Ok(see_other("/my#proposals", "flash-proposed")),
        Err(err) => {
            let errors = Errors::from_app(&err, ctx.t);
            let values = form.typed();
            let page = propose_page(
                &state,
                &ctx,
                need_id,
                offer_id,
                FormView::new(values, errors),
            )
            .await?;
            render_invalid(&page)
        }
    }
}

#[derive(Template)]
#[template(path = "info.html")]
struct InfoPage {
    t: &'static Catalog,
    nav: Nav,
    /// `about`, `help`, `privacy` or `terms`.
    page: &'static str,
    title: String,
    /// Where people write to Passerelle (`mail_postal_address`).
    postal_address: String,
}

fn info(state: &AppState, ctx: &Ctx, page: &'static str) -> WebResult {
    render(&InfoPage {
        t: ctx.t,
        nav: ctx.nav(),
        page,
        title: ctx.t.get(&format!("info-{page}")),
        postal_address: state.config.mail_postal_address.clone(),
    })
}

/// What Passerelle is and who it is for.
pub async fn about(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    info(&state, &ctx, "about")
}

/// What verification means, how matching works, what it costs.
pub async fn help(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    info(&state, &ctx, "help")
}

/// What is collected, who sees it, how long it is kept, people's rights.
pub async fn privacy(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    info(&state, &ctx, "privacy")
}

/// The rules of use.
pub async fn terms(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    info(&state, &ctx, "terms")
}

#[cfg(test)]
mod pager_tests {
    use super::page_numbers;

    #[test]
    fn the_pager_shows_the_ends_and_the_pages_near_the_current_one() {
        assert_eq!(page_numbers(1, 1), Vec::<Option<usize>>::new());
        assert_eq!(page_numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_numbers(7, 20),
            vec![
                Some(1),
                None,
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9),
                None,
                Some(20)
            ]
        );
        assert_eq!(
            page_numbers(2, 10),
            vec![Some(1), Some(2), Some(3), Some(4), None, Some(10)]
        );
    }
}
