//! Your account: the name others see, the language of your emails, and which emails you receive
//! (mirrors `PATCH /me` and `/me/notification-preferences`).

use askama::Template;
use axum::extract::State;
use entity::{Delivery, Language, Topic};

use crate::domain::accounts::{self, AccountPatch};
use crate::domain::{notifications, saved_searches};
use crate::state::AppState;
use crate::web::forms::{Choice, Errors, Form, FormView};
use crate::web::{Catalog, Ctx, Nav, OrPage, WebResult, render, render_invalid, see_other};

/// One topic's row of the preferences table.
pub struct TopicRow {
    pub field: String,
    pub label: String,
}

/// A saved search as the account page lists it.
pub struct SavedLine {
    pub id: i64,
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: &'static Catalog,
    nav: Nav,
    f: FormView,
    saved: Vec<SavedLine>,
    languages: Vec<Choice>,
    deliveries: Vec<Choice>,
    topics: Vec<TopicRow>,
}

fn page(ctx: &Ctx, f: FormView, saved: Vec<entity::saved_search::Model>) -> AccountPage {
    let t = ctx.t;
    AccountPage {
        t,
        nav: ctx.nav(),
        f,
        saved: saved
            .into_iter()
            .map(|s| SavedLine {
                id: s.id,
                name: s.name,
                href: format!("/search?{}", s.query),
            })
            .collect(),
        languages: Language::ALL
            .iter()
            .map(|l| Choice {
                value: l.as_str().to_owned(),
                label: t.label("language", l),
            })
            .collect(),
        deliveries: Delivery::ALL
            .iter()
            .map(|d| Choice {
                value: d.as_str().to_owned(),
                label: t.label("delivery", d),
            })
            .collect(),
        topics: Topic::ALL
            .iter()
            .map(|topic| TopicRow {
                field: format!("topic.{}", topic.as_str()),
                label: t.label("topic", topic),
            })
            .collect(),
    }
}

pub async fn account_form(State(state): State<AppState>, ctx: Ctx) -> WebResult {
    let user = ctx.require_user()?.user.clone();
    let mut f = FormView::default();
    f.set("display_name", &user.display_name);
    f.set("email", &user.email);
    f.set("language", user.language);
    for (topic, delivery) in notifications::preferences(&state.db, user.id)
        .await
        .map_err(crate::error::AppError::from)
        .or_page(&ctx)?
    {
        f.set(&format!("topic.{}", topic.as_str()), delivery);
    }
    let saved = saved_searches::list(&state.db, user.id)
        .await
        .or_page(&ctx)?;
    render(&page(&ctx, f, saved))
}

pub async fn account(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let user = ctx.require_user()?.user.clone();
    let t = ctx.t;
    let saved = saved_searches::list(&state.db, user.id)
        .await
        .or_page(&ctx)?;
    let refused = |errors: Errors| {
        render_invalid(&page(
            &ctx,
            FormView::new(form.typed(), errors),
            saved.clone(),
        ))
    };
    let mut errors = Errors::default();
    let language = Language::parse(&form.get("language"));
    if language.is_none() {
        errors.add(
            "language",
            crate::error::Invalid::UnknownLanguage
                .with([("value", serde_json::json!(form.get("language")))]),
            t,
        );
    }
    let mut changes = Vec::new();
    for topic in Topic::ALL {
        let field = format!("topic.{}", topic.as_str());
        match Delivery::parse(&form.get(&field)) {
            Some(delivery) => changes.push((*topic, delivery)),
            None => errors.add(
                &field,
                crate::error::Invalid::UnknownValue
                    .with([("allowed", serde_json::json!("immediate, daily, off"))]),
                t,
            ),
        }
    }
    if !errors.is_empty() {
        return refused(errors);
    }
    let patch = AccountPatch {
        display_name: Some(form.get("display_name")),
        language,
        email: form.optional("email"),
    };
    if let Err(err) = accounts::update_account(&state.db, &user, patch).await {
        return refused(Errors::from_app(&err, t));
    }
    notifications::set_preferences(&state.db, user.id, &changes)
        .await
        .or_page(&ctx)?;
    let flash = match form.optional("email") {
        Some(email) if !email.trim().eq_ignore_ascii_case(&user.email) => "flash-email-change-sent",
        _ => "flash-account-saved",
    };
    Ok(see_other("/my/account", flash))
}

/// Deletes the account after its password, signs out, and says so.
pub async fn delete_account(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: axum_extra::extract::CookieJar,
    form: Form,
) -> WebResult {
    use axum::response::IntoResponse;
    let user = ctx.require_user()?.user.clone();
    match crate::domain::privacy::delete_account(&state.db, &user, &form.raw("password")).await {
        Ok(()) => {
            let jar = jar.remove(crate::state::session_removal());
            Ok((jar, see_other("/", "flash-account-deleted")).into_response())
        }
        Err(err) => {
            let mut f = FormView::new(Vec::new(), Errors::from_app(&err, ctx.t));
            f.set("display_name", &user.display_name);
            f.set("email", &user.email);
            f.set("language", user.language);
            let saved = saved_searches::list(&state.db, user.id)
                .await
                .or_page(&ctx)?;
            render_invalid(&page(&ctx, f, saved))
        }
    }
}

/// Saves the search of the search page ("Save this search").
pub async fn save_search(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let user = ctx.require_user()?.user.clone();
    let input = saved_searches::SavedSearchInput {
        name: None,
        query: form.get("query"),
    };
    saved_searches::save(&state.db, &state.taxonomy, user.id, input)
        .await
        .or_page(&ctx)?;
    Ok(see_other(
        "/my/account#saved-searches",
        "flash-search-saved",
    ))
}

/// Forgets a saved search.
pub async fn forget_search(State(state): State<AppState>, ctx: Ctx, form: Form) -> WebResult {
    let user = ctx.require_user()?.user.clone();
    let id = form.get("id").parse().unwrap_or_default();
    saved_searches::delete(&state.db, user.id, id)
        .await
        .or_page(&ctx)?;
    Ok(see_other(
        "/my/account#saved-searches",
        "flash-search-forgotten",
    ))
}
