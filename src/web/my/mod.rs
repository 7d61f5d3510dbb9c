//! My organization: the dashboard (proposals received and sent, partnerships with the revealed
//! contacts, needs and offers); its areas are the profile, the postings and the partnerships,
//! one file each, mirroring the API.

mod account;
mod checkup;
mod follow_ups;
mod members;
mod partnerships;
mod postings;
mod profile;
mod results;

pub use account::{account, account_form, delete_account, forget_search, save_search};
pub use checkup::{checkup_form, checkup_result, publish_needs, take_checkup};
pub use follow_ups::{follow_up_form, report_follow_up};
pub use members::{change as change_member, invite, members_page};
pub use partnerships::{
    complete, complete_form, confirm_step, partnership_detail, partnership_step, post_message,
    publicity,
};
pub use postings::{
    confirm_close, edit_posting, edit_posting_form, new_posting, new_posting_form, posting_status,
};
pub use profile::{profile, profile_form};
pub use results::results;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use entity::{PartnershipStatus, PostingKind, PostingStatus, organization};

use super::pages::{Labels, PostingView, org_postings};
use super::{Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, see_other};
use crate::domain::accounts::Viewer;
use crate::domain::partnerships::{
    ContactWithheld, Direction, PartnershipFilter, PartnershipView, StepKind,
};
use crate::error::{AppError, ErrorCode};
use crate::i18n::label_key;
use crate::state::AppState;

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
    /// Why the contact details are withheld after both said yes (verification), if they are.
    pub contact_note: Option<String>,
    pub can_answer: bool,
    pub can_withdraw: bool,
    pub can_start: bool,
    pub can_cancel: bool,
    pub can_complete: bool,
    pub outcome: Option<String>,
    /// Why it was declined, withdrawn or cancelled, as the deciding side said it.
    pub decision: Option<String>,
    pub received: bool,
    /// What it covers ("5 items").
    pub covers: String,
    /// The whole outcome report, for both sides.
    pub report: Option<OutcomeReport>,
    /// Completed: whether each side agreed to list it on the public pages.
    pub completed: bool,
    pub listed_by_you: bool,
    pub listed_by_partner: bool,
    /// Whether the viewer is on the need's side (which reports the outcome and its follow-ups).
    pub need_side: bool,
}

/// One indicator as the pages show it: every value written in the page's language, empty where
/// none was given.
pub struct IndicatorCells {
    /// What follow-ups name it by (its code, or its name).
    pub key: String,
    pub name: String,
    pub unit: String,
    /// The IRIS+ metric code, for an indicator from the list that has one.
    pub iris: String,
    pub before: String,
    pub target: String,
    pub after: String,
    pub three_months: String,
    pub twelve_months: String,
}

impl IndicatorCells {
    pub fn new(i: &entity::Indicator, t: &Catalog) -> Self {
        let def = i
            .code
            .as_deref()
            .and_then(|code| crate::domain::outcomes::indicator_list().get(code));
        Self {
            key: i.key().to_owned(),
            name: crate::domain::outcomes::name_of(i, t.language),
            unit: t.indicator_unit(i.unit.as_deref()),
            iris: def.and_then(|d| d.iris.clone()).unwrap_or_default(),
            before: t.indicator(&i.before),
            target: i
                .target
                .as_ref()
                .map(|v| t.indicator(v))
                .unwrap_or_default(),
            after: t.indicator(&i.after),
            three_months: String::new(),
            twelve_months: String::new(),
        }
    }

    /// Fills the follow-up columns from the values reported.
    pub fn follow(
        &mut self,
        due: entity::FollowUpDue,
        value: Option<&entity::IndicatorValue>,
        t: &Catalog,
    ) {
        let text = value.map(|v| t.indicator(v)).unwrap_or_default();
        match due {
            entity::FollowUpDue::ThreeMonths => self.three_months = text,
            entity::FollowUpDue::TwelveMonths => self.twelve_months = text,
        }
    }
}

/// An outcome report as the pages show it.
pub struct OutcomeReport {
    pub hours: String,
    pub value: String,
    pub delivered: String,
    pub indicators: Vec<IndicatorCells>,
    pub note: Option<String>,
    pub completed_on: String,
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
        let contact_note = match view.contact_withheld() {
            None | Some(ContactWithheld::NotAgreed) => None,
            Some(reason) => Some(t.with(
                &label_key("contact-withheld", reason.as_str()),
                "organization",
                &view.counterpart.name,
            )),
        };
        let p = view.partnership;
        let outcome = p.outcome.as_ref().map(|o| {
            format!(
                "{} · {} · {}",
                t.with("outcome-hours-value", "hours", decimal(t, o.hours)),
                t.with("outcome-value-value", "value", decimal(t, o.value_cad)),
                o.delivered
            )
        });
        let words = match p.status {
            PartnershipStatus::Declined => p.response_note.as_deref(),
            PartnershipStatus::Withdrawn | PartnershipStatus::Cancelled => {
                p.closing_note.as_deref()
            }
            _ => None,
        };
        let decision = match (p.reason_code, words) {
            (None, None) => None,
            (code, words) => {
                let said = code
                    .map(|code| t.label("reason", code))
                    .into_iter()
                    .chain(words.map(|words| t.with("quoted", "words", words)));
                let said: Vec<String> = said.collect();
                Some(t.with("partnership-reason", "reason", said.join(" — ")))
            }
        };
        let units = p.need_units.unwrap_or(p.units);
        let covers = t.quantity(view.need.unit, units);
        let report = p.outcome.as_ref().map(|o| OutcomeReport {
            hours: t.with("outcome-hours-value", "hours", decimal(t, o.hours)),
            value: crate::i18n::money(o.value_cad.round() as i64, t.language),
            delivered: o.delivered.clone(),
            indicators: o
                .indicators
                .iter()
                .map(|i| IndicatorCells::new(i, t))
                .collect(),
            note: p
                .closing_note
                .clone()
                .filter(|_| p.status == PartnershipStatus::Completed),
            completed_on: p
                .completed_at
                .map(|at| crate::i18n::date(at.date_naive(), t.language))
                .unwrap_or_default(),
        });
        let (listed_by_you, listed_by_partner) = match view.side {
            entity::PostingKind::Need => (p.need_public, p.offer_public),
            entity::PostingKind::Offer => (p.offer_public, p.need_public),
        };
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
            contact_note,
            can_answer: may(StepKind::Accept),
            can_withdraw: may(StepKind::Withdraw),
            can_start: may(StepKind::Start),
            can_cancel: may(StepKind::Cancel),
            can_complete: may(StepKind::Complete),
            outcome,
            decision,
            received,
            covers,
            report,
            completed: p.status == PartnershipStatus::Completed,
            listed_by_you,
            listed_by_partner,
            need_side: view.side == entity::PostingKind::Need,
        }
    }
}

/// A number as the page's language writes it (`1,212.5`, `1 212,5`).
fn decimal(t: &Catalog, value: f64) -> String {
    crate::i18n::decimal(value, t.language)
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
    /// How complete the profile is, in percent, and what it still lacks (empty when complete).
    profile_percent: usize,
    profile_missing: String,
    /// The latest digital check-up: its id and date.
    checkup: Option<(i64, String)>,
}

/// How much of an organization's profile is filled in, in percent, and the labels of what is
/// missing: what partners and administrators look at before they trust it.
fn profile_completeness(org: &organization::Model, t: &Catalog) -> (usize, Vec<String>) {
    let filled = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let mut checks = vec![
        ("org-description", !org.description.trim().is_empty()),
        ("org-website", filled(&org.website)),
        ("org-city", filled(&org.city)),
        ("org-cause-areas", !org.cause_areas.0.is_empty()),
        ("org-size", org.size.is_some()),
        ("org-contact-email", filled(&org.contact_email)),
        ("org-contact-phone", filled(&org.contact_phone)),
    ];
    if org.kind == entity::OrgKind::Charity {
        checks.push(("org-charity-number", filled(&org.charity_number)));
    }
    let done = checks.iter().filter(|(_, ok)| *ok).count();
    let missing = checks
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(key, _)| t.get(key))
        .collect();
    (done * 100 / checks.len(), missing)
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
    let page = crate::domain::partnerships::list(&state.db, &orgs, &filter)
        .await
        .or_page(&ctx)?;
    let views = crate::domain::partnerships::describe(&state.db, &orgs, page.items)
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
    let (profile_percent, missing) = profile_completeness(&org, ctx.t);
    let checkup = crate::domain::checkups::history(&state.db, &ctx.viewer, org.id)
        .await
        .or_page(&ctx)?
        .into_iter()
        .next()
        .map(|c| (c.id, crate::i18n::date(c.taken_at.date_naive(), ctx.lang())));
    render(&Dashboard {
        checkup,
        profile_percent,
        profile_missing: missing.join(", "),
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
