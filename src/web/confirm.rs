//! The confirmation page of a step that ends something (declining, withdrawing, cancelling,
//! closing, rejecting, hiding): what happens, the common reasons to pick and words the other side
//! reads. Without scripts it is a page; with them its form opens in a dialog (`app.js`).

use askama::Template;

use super::forms::{Choice, Errors, Form, FormView};
use super::{Catalog, Nav};
use crate::error::Invalid;

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub t: &'static Catalog,
    pub nav: Nav,
    pub heading: String,
    pub lead: String,
    /// The button's words.
    pub confirm: String,
    /// Where the form posts.
    pub action: String,
    /// Fields the form carries unchanged (the step's name, a version).
    pub hidden: Vec<(&'static str, String)>,
    pub reasons: Vec<Choice>,
    pub reason_hint: String,
    /// Whether words are required (hiding a posting: its owner must learn why).
    pub reason_required: bool,
    /// The page the step is about, and the link back to it.
    pub back: String,
    pub back_label: String,
    pub f: FormView,
}

/// Whether a submitted form came from the confirmation page.
pub fn confirmed(form: &Form) -> bool {
    form.get("confirmed") == "yes"
}

/// The common reason picked on a confirmation page, if any; an unknown one is a field error.
pub fn reason_code<T>(
    form: &Form,
    parse: impl Fn(&str) -> Option<T>,
    t: &'static Catalog,
) -> Result<Option<T>, Errors> {
    match form.optional("reason_code") {
        None => Ok(None),
        Some(code) => parse(&code).map(Some).ok_or_else(|| {
            let mut errors = Errors::default();
            errors.add("reason_code", Invalid::Required, t);
            errors
        }),
    }
}
