//! Creating a program from a page, `/programs/new`: the program and its call, who may apply, the
//! partners with their roles, the components each gives, priority groups, questions and
//! milestones. The form has a fixed number of rows per list; empty rows are left out, and a
//! refusal's messages land beside the row they are about.

use askama::Template;
use axum::extract::State;
use chrono::{NaiveTime, TimeZone, Utc};
use entity::{Language, OrgKind, PartnerRole, PostingUnit, SizeBand, TaxonomyKind};

use super::super::forms::{self, Choice, Errors, Form, FormView};
use super::super::{
    Catalog, Ctx, Nav, OrPage, WebError, WebResult, render, render_invalid, see_other,
};
use crate::domain::postings::EligibilityInput;
use crate::domain::programs::{
    self, ComponentInput, PartnerInput, PriorityGroupInput, ProgramInput,
};
use crate::error::Invalid;
use crate::state::AppState;

const PARTNER_ROWS: usize = 4;
const COMPONENT_ROWS: usize = 5;
const GROUP_ROWS: usize = 3;
const MILESTONE_ROWS: usize = 4;

#[derive(Template)]
#[template(path = "program_form.html")]
struct ProgramForm {
    t: &'static Catalog,
    nav: Nav,
    f: FormView,
    leads: Vec<Choice>,
    languages: Vec<Choice>,
    org_kinds: Vec<Choice>,
    provinces: Vec<Choice>,
    cause_areas: Vec<Choice>,
    indicators: Vec<Choice>,
    sizes: Vec<Choice>,
    organizations: Vec<Choice>,
    roles: Vec<Choice>,
    categories: Vec<Choice>,
    units: Vec<Choice>,
    /// Who a priority group is: declared by applicants, or matched on a size, language or
    /// province.
    group_kinds: Vec<Choice>,
    partner_rows: Vec<usize>,
    component_rows: Vec<usize>,
    group_rows: Vec<usize>,
    milestone_rows: Vec<usize>,
}

impl ProgramForm {
    /// A row's field name, as the domain names it (`components[2].title`).
    fn at(&self, list: &str, row: &usize, field: &str) -> String {
        format!("{list}[{row}].{field}")
    }
}

async fn form_page(state: &AppState, ctx: &Ctx, f: FormView) -> Result<ProgramForm, WebError> {
    let t = ctx.t;
    let organizations = crate::domain::organizations::directory(&state.db)
        .await
        .or_page(ctx)?;
    let mut group_kinds = vec![Choice {
        value: "declared".into(),
        label: t.get("program-form-group-declared"),
    }];
    group_kinds.extend(SizeBand::ALL.iter().map(|size| Choice {
        value: format!("size:{size}"),
        label: t.with("program-form-group-size", "size", t.label("size", size)),
    }));
    group_kinds.extend(Language::ALL.iter().map(|language| Choice {
        value: format!("language:{language}"),
        label: t.with(
            "program-form-group-language",
            "language",
            t.label("language", language),
        ),
    }));
    group_kinds.extend(forms::provinces(t).into_iter().map(|p| Choice {
        value: format!("province:{}", p.value),
        label: t.with("program-form-group-province", "province", p.label),
    }));
    Ok(ProgramForm {
        t,
        nav: ctx.nav(),
        f,
        leads: ctx
            .orgs
            .iter()
            .map(|(_, o)| Choice {
                value: o.id.to_string(),
                label: o.name.clone(),
            })
            .collect(),
        languages: forms::labelled(t, "language", Language::ALL),
        org_kinds: forms::labelled(t, "org-kinds", OrgKind::ALL),
        provinces: forms::provinces(t),
        cause_areas: forms::taxonomy(&state.taxonomy, TaxonomyKind::CauseArea, t),
        indicators: forms::indicators(t),
        sizes: forms::labelled(t, "size", SizeBand::ALL),
        organizations: organizations
            .iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: format!(
                    "{} ({}, {})",
                    o.name,
                    t.label("org-kind", o.kind),
                    o.province
                ),
            })
            .collect(),
        roles: forms::labelled(t, "partner-role", PartnerRole::ALL),
        categories: forms::taxonomy(&state.taxonomy, TaxonomyKind::Category, t),
        units: forms::labelled(t, "unit", PostingUnit::ALL),
        group_kinds,
        partner_rows: (0..PARTNER_ROWS).collect(),
        component_rows: (0..COMPONENT_ROWS).collect(),
        group_rows: (0..GROUP_ROWS).collect(),
        milestone_rows: (0..MILESTONE_ROWS).collect(),
    })
}

/// `GET /programs/new`: the form, with the page's language and a six-week call.
pub async fn new_program_form(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    ctx.require_user()?;
    let mut f = FormView::default();
    let today = crate::domain::now().date_naive();
    f.set("language", ctx.lang());
    f.set("opens_at", today);
    f.set("closes_at", today + chrono::Duration::weeks(6));
    for row in 0..GROUP_ROWS {
        f.set(&format!("priority_groups[{row}].weight"), "0.1");
    }
    render(&form_page(&state, &ctx, f).await?)
}

/// A priority group's code, from its name: lowercase ASCII letters and digits joined by `_`.
fn group_code(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("_").chars().take(40).collect()
}

/// `POST /programs/new`: creates the program and opens its page.
pub async fn create_program(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let caller = ctx.require_user()?.clone();
    let t = ctx.t;
    let mut errors = Errors::default();
    let row = |list: &str, i: usize, field: &str| format!("{list}[{i}].{field}");
    let start_of = NaiveTime::from_hms_opt(0, 0, 0).unwrap_or_default();
    let end_of = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
    let day = |field: &str, time: NaiveTime, errors: &mut Errors| {
        let day = forms::date(&form, field, errors, t);
        if day.is_none() && !errors.has(field) {
            errors.add(field, Invalid::Required, t);
        }
        day.map(|d| Utc.from_utc_datetime(&d.and_time(time)))
    };
    let opens_at = day("opens_at", start_of, &mut errors);
    let closes_at = day("closes_at", end_of, &mut errors);

    let mut partner_rows = Vec::new();
    let mut partners = Vec::new();
    for i in 0..PARTNER_ROWS {
        let Ok(organization_id) = form.get(&row("partners", i, "organization_id")).parse() else {
            continue;
        };
        partner_rows.push(i);
        partners.push(PartnerInput {
            organization_id,
            role: PartnerRole::parse(&form.get(&row("partners", i, "role")))
                .unwrap_or(PartnerRole::Funds),
            cap: forms::whole(&form, &row("partners", i, "cap"), &mut errors, t),
        });
    }
    let mut component_rows = Vec::new();
    let mut components = Vec::new();
    for i in 0..COMPONENT_ROWS {
        let field = |name: &str| row("components", i, name);
        if form.get(&field("title")).is_empty() && form.get(&field("capacity")).is_empty() {
            continue;
        }
        component_rows.push(i);
        let capacity = forms::whole(&form, &field("capacity"), &mut errors, t);
        if capacity.is_none() && !errors.has(&field("capacity")) {
            errors.add(&field("capacity"), Invalid::Required, t);
        }
        components.push(ComponentInput {
            partner_org_id: form.get(&field("partner_org_id")).parse().unwrap_or(0),
            title: form.get(&field("title")),
            description: form.get(&field("description")),
            category: form.get(&field("category")),
            unit: PostingUnit::parse(&form.get(&field("unit"))),
            capacity: capacity.unwrap_or(0),
            per_org_max: forms::whole(&form, &field("per_org_max"), &mut errors, t),
            value_cad: forms::number(&form, &field("value_cad"), &mut errors, t),
        });
    }
    let mut group_rows = Vec::new();
    let mut priority_groups = Vec::new();
    for i in 0..GROUP_ROWS {
        let field = |name: &str| row("priority_groups", i, name);
        let name = form.get(&field("name"));
        if name.is_empty() {
            continue;
        }
        group_rows.push(i);
        let who = form.get(&field("who"));
        let (kind, value) = who.split_once(':').unwrap_or(("declared", ""));
        let weight = forms::number(&form, &field("weight"), &mut errors, t);
        // Typed as a percentage.
        let min_share =
            forms::number(&form, &field("min_share"), &mut errors, t).map(|p| p / 100.0);
        if weight.is_none() && !errors.has(&field("weight")) {
            errors.add(&field("weight"), Invalid::Required, t);
        }
        priority_groups.push(PriorityGroupInput {
            code: group_code(&name),
            name,
            weight: weight.unwrap_or(0.0),
            sizes: SizeBand::parse(value)
                .filter(|_| kind == "size")
                .into_iter()
                .collect(),
            provinces: (kind == "province")
                .then(|| value.to_owned())
                .into_iter()
                .collect(),
            cause_areas: Vec::new(),
            languages: Language::parse(value)
                .filter(|_| kind == "language")
                .into_iter()
                .collect(),
            min_share,
        });
    }
    let mut milestone_rows = Vec::new();
    let mut milestones = Vec::new();
    for i in 0..MILESTONE_ROWS {
        let field = |name: &str| row("milestones", i, name);
        let title = form.get(&field("title"));
        if title.is_empty() && form.get(&field("on")).is_empty() {
            continue;
        }
        milestone_rows.push(i);
        let on = forms::date(&form, &field("on"), &mut errors, t);
        if on.is_none() && !errors.has(&field("on")) {
            errors.add(&field("on"), Invalid::Required, t);
        }
        if let Some(on) = on {
            milestones.push(entity::program::Milestone { title, on });
        }
    }
    let questions: Vec<String> = form
        .get("questions")
        .lines()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned)
        .collect();

    // A date the form could not read stands in as today: its message is there already.
    let today = crate::domain::now();
    let input = ProgramInput {
        lead_org_id: form.get("lead_org_id").parse().ok(),
        title: form.get("title"),
        description: form.get("description"),
        language: Language::parse(&form.get("language")).unwrap_or(t.language),
        translation: (form.optional("translation.title").is_some()
            || form.optional("translation.description").is_some())
        .then(|| programs::TranslationInput {
            title: form.get("translation.title"),
            description: form.get("translation.description"),
        }),
        opens_at: opens_at.unwrap_or(today),
        closes_at: closes_at.unwrap_or(today),
        eligibility: Some(EligibilityInput {
            org_kinds: form
                .all("eligibility.org_kinds")
                .iter()
                .filter_map(|k| OrgKind::parse(k))
                .collect(),
            provinces: form.all("eligibility.provinces"),
            cause_areas: form.all("eligibility.cause_areas"),
            requires_charity_number: form.checked("eligibility.requires_charity_number"),
            preferred_sizes: Vec::new(),
        }),
        sizes: form
            .all("sizes")
            .iter()
            .filter_map(|s| SizeBand::parse(s))
            .collect(),
        priority_groups,
        questions,
        milestones,
        indicators: form.all("indicators"),
        diminishing: None,
        fairness: None,
        partners,
        components,
    };
    let rename = |field: &str| {
        for list in ["questions", "indicators"] {
            if field.starts_with(&format!("{list}[")) {
                return Some(list.to_owned());
            }
        }
        let renamed = forms::reindex(field, "partners", &partner_rows)
            .or_else(|| forms::reindex(field, "components", &component_rows))
            .or_else(|| forms::reindex(field, "milestones", &milestone_rows))
            .or_else(|| forms::reindex(field, "priority_groups", &group_rows))?;
        // A group's code comes from its name, and its lists from the one choice.
        Some(
            renamed
                .replace(".code", ".name")
                .replace(".sizes", ".who")
                .replace(".provinces", ".who")
                .replace(".languages", ".who"),
        )
    };
    // Every message at once: the form's own, then the domain's for the fields that have none.
    let created = match input.parse(&state.taxonomy) {
        Ok(_) if !errors.is_empty() => return refused(&state, &ctx, &form, errors).await,
        Ok(new) => programs::create(&state.db, caller.user.id, new).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(program) => Ok(see_other(
            &format!("/programs/{}", program.id),
            "flash-program-created",
        )),
        Err(err) => {
            errors.merge(Errors::from_app(&err, t).renamed(rename));
            refused(&state, &ctx, &form, errors).await
        }
    }
}

async fn refused(state: &AppState, ctx: &Ctx, form: &Form, errors: Errors) -> WebResult {
    render_invalid(&form_page(state, ctx, FormView::new(form.typed(), errors)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_code_is_made_of_its_names_words() {
        assert_eq!(group_code("Rural organizations"), "rural_organizations");
        assert_eq!(
            group_code("Organismes en région éloignée"),
            "organismes_en_region_eloignee"
        );
        assert_eq!(group_code("  -- "), "");
    }

    #[test]
    fn a_refusal_lands_on_the_row_it_came_from() {
        let rows = [1, 3];
        assert_eq!(
            forms::reindex("components[1].capacity", "components", &rows).as_deref(),
            Some("components[3].capacity")
        );
        assert_eq!(
            forms::reindex("components[2].title", "components", &rows),
            None
        );
        assert_eq!(forms::reindex("partners[0].cap", "components", &rows), None);
    }
}
