//! Submitted forms: the body as name/value pairs, checked against the CSRF cookie; and the
//! per-field messages a refused form shows beside its fields, in the page's language.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;

use super::{Catalog, CsrfToken};
use crate::error::{AppError, ErrorCode, FieldError, FieldErrors, Invalid};

/// A submitted `application/x-www-form-urlencoded` form whose `csrf` field matched the cookie.
pub struct Form(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = super::WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let language = super::request_language(req.headers());
        let forbidden = || {
            super::WebError::App(
                AppError::new(
                    ErrorCode::Forbidden,
                    "The form expired or came from another site.",
                ),
                language,
            )
        };
        let expected = req
            .extensions()
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        if !same_origin(&req) {
            return Err(forbidden());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|_| {
            super::WebError::App(
                AppError::new(ErrorCode::PayloadTooLarge, "The form is too large."),
                language,
            )
        })?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let given = pairs
            .iter()
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        if expected.is_empty() || !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return Err(forbidden());
        }
        Ok(Form(pairs))
    }
}

/// A browser names the page's origin on a POST; when it does, it must be this site.
fn same_origin(req: &Request) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority == host)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Form {
    /// The value of a field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The value of a field exactly as sent (passwords).
    pub fn raw(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// What the user typed, to show again in a refused form: every field but the CSRF token and
    /// passwords (never sent back).
    pub fn typed(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(name, _)| name != "csrf" && name != "password")
            .cloned()
            .collect()
    }

    /// A field left empty is `None`.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    /// Every value of a repeated field (checkboxes, multiple selects).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The id of the record a button acts on (a hidden field); a missing or mangled one is a
    /// page that does not exist.
    pub fn record_id(
        &self,
        name: &str,
        language: entity::Language,
    ) -> Result<i64, super::WebError> {
        self.get(name)
            .parse()
            .map_err(|_| super::WebError::not_found(language))
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
}

/// Messages per form field, already in the page's language.
#[derive(Debug, Default)]
pub struct Errors {
    fields: BTreeMap<String, Vec<String>>,
    /// A problem of the form as a whole (a conflict, wrong credentials).
    pub form: Option<String>,
}

impl Errors {
    /// The messages of a refusal, read in `t`'s language. Forms name their fields as the domain's
    /// input types do (`organization.name`, `outcome.hours`), so a message lands beside its field.
    pub fn from_app(err: &AppError, t: &Catalog) -> Self {
        let mut errors = Errors::default();
        match err {
            AppError::Validation(fields) => errors.add_all(fields, t),
            other => errors.form = Some(problem(other, t)),
        }
        errors
    }

    fn add_all(&mut self, fields: &FieldErrors, t: &Catalog) {
        for (field, messages) in fields.fields() {
            for message in messages {
                self.fields
                    .entry(field.to_owned())
                    .or_default()
                    .push(t.field_error(message));
            }
        }
    }

    /// Adds a refusal (read in `t`'s language) to a field.
    pub fn add(&mut self, field: &str, error: impl Into<FieldError>, t: &Catalog) {
        self.fields
            .entry(field.to_owned())
            .or_default()
            .push(t.field_error(&error.into()));
    }

    /// Moves the messages of the domain's fields to the form's, where `rename` names one
    /// (a form that lays out a list differently than the input type does).
    pub fn renamed(mut self, rename: impl Fn(&str) -> Option<String>) -> Self {
        self.fields = std::mem::take(&mut self.fields).into_iter().fold(
            BTreeMap::new(),
            |mut fields, (field, messages)| {
                let name = rename(&field).unwrap_or(field);
                fields.entry(name).or_insert_with(Vec::new).extend(messages);
                fields
            },
        );
        self
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.form.is_none()
    }

    /// Adds the messages of `other` to fields that have none yet.
    pub fn merge(&mut self, other: Errors) {
        for (field, messages) in other.fields {
            self.fields.entry(field).or_insert(messages);
        }
        if self.form.is_none() {
            self.form = other.form;
        }
    }

    /// The messages of a field, joined (empty when it has none). Templates call this.
    pub fn of(&self, field: &str) -> String {
        self.fields
            .get(field)
            .map(|m| m.join(" "))
            .unwrap_or_default()
    }

    /// Whether a field has a message. Templates call this to mark it invalid.
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    /// The fields with messages, for the summary at the top of the form.
    pub fn list(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .map(|(field, messages)| (field.clone(), messages.join(" ")))
            .collect()
    }
}

/// A refusal that is not about one field, in the page's language.
pub fn problem(err: &AppError, t: &Catalog) -> String {
    let code = err.code();
    let key = super::i18n::label_key("error-form", code.as_str());
    if t.has(&key) {
        t.get(&key)
    } else {
        t.label("error", code.as_str())
    }
}

/// The place of an item of a list in a field named the domain's way, and what follows it:
/// `list_item("pins[2].units", "pins")` is `Some((2, ".units"))`. Forms lay lists out their own
/// way and move a refusal's message to the row it is about.
pub fn list_item<'a>(field: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let (index, rest) = field
        .strip_prefix(list)?
        .strip_prefix('[')?
        .split_once(']')?;
    Some((index.parse().ok()?, rest))
}

/// The field of the `index`-th item of `list` named after its form row: `rows[index]`.
pub fn reindex(field: &str, list: &str, rows: &[usize]) -> Option<String> {
    let (index, rest) = list_item(field, list)?;
    Some(format!("{list}[{}]{rest}", rows.get(index)?))
}

/// Parses a whole number typed in a form; `None` when left empty.
pub fn whole<T: std::str::FromStr>(
    form: &Form,
    field: &str,
    errors: &mut Errors,
    t: &Catalog,
) -> Option<T> {
    // Spaces group digits in both languages; commas too in English.
    let raw: String = form
        .get(field)
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .filter(|c| !(*c == ',' && t.language == entity::Language::En))
        .collect();
    if raw.is_empty() {
        return None;
    }
    match raw.parse() {
        Ok(value) => Some(value),
        Err(_) => {
            errors.add(field, Invalid::NotAWholeNumber, t);
            None
        }
    }
}

/// Parses a number typed in a form, as the page's language writes it (`1,500.50`, `1 500,50`).
pub fn number(form: &Form, field: &str, errors: &mut Errors, t: &Catalog) -> Option<f64> {
    let raw = form.get(field);
    if raw.trim().is_empty() {
        return None;
    }
    match crate::i18n::parse_number(&raw, t.language) {
        Some(value) => Some(value),
        None => {
            errors.add(field, Invalid::NotANumber, t);
            None
        }
    }
}

/// Parses a date typed in a form (`2027-03-31`); `None` when left empty.
pub fn date(
    form: &Form,
    field: &str,
    errors: &mut Errors,
    t: &Catalog,
) -> Option<chrono::NaiveDate> {
    let raw = form.get(field);
    if raw.is_empty() {
        return None;
    }
    match chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        Ok(value) => Some(value),
        Err(_) => {
            errors.add(field, Invalid::NotADate, t);
            None
        }
    }
}

/// What a form page shows in its fields: the values (as typed, or as stored) and the messages.
#[derive(Default)]
pub struct FormView {
    pub values: Vec<(String, String)>,
    pub errors: Errors,
}

impl FormView {
    pub fn new(values: Vec<(String, String)>, errors: Errors) -> Self {
        Self { values, errors }
    }

    /// A field's value as typed.
    pub fn val(&self, name: impl AsRef<str>) -> &str {
        let name = name.as_ref();
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether `value` is among the field's values (a ticked box, a selected option).
    pub fn is(&self, name: impl AsRef<str>, value: impl AsRef<str>) -> bool {
        let (name, value) = (name.as_ref(), value.as_ref());
        self.values.iter().any(|(n, v)| n == name && v == value)
    }

    pub fn err(&self, name: impl AsRef<str>) -> String {
        self.errors.of(name.as_ref())
    }

    pub fn bad(&self, name: impl AsRef<str>) -> bool {
        self.errors.has(name.as_ref())
    }

    /// Sets a value (building the view of a stored record).
    pub fn set(&mut self, name: &str, value: impl ToString) {
        self.values.push((name.to_owned(), value.to_string()));
    }
}

/// One option of a picker (select, checkbox or radio).
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A titled group of choices (skills under their category).
#[derive(Debug, Clone)]
pub struct Group {
    pub label: String,
    pub choices: Vec<Choice>,
}

fn choices(options: impl IntoIterator<Item = (String, String)>) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice { value, label })
        .collect()
}

/// The provinces and territories, named in the page's language, sorted by name.
pub fn provinces(t: &Catalog) -> Vec<Choice> {
    let mut list: Vec<(String, String)> = crate::domain::types::Province::ALL
        .iter()
        .map(|code| {
            let name = crate::domain::types::Province::name(code, t.language);
            ((*code).to_owned(), name.to_owned())
        })
        .collect();
    list.sort_by(|a, b| crate::i18n::collate(t.language, &a.1, &b.1));
    choices(list)
}

/// The values of a stored enum with their labels (`org-kind-...`, `size-...`).
pub fn labelled<T: std::fmt::Display>(t: &Catalog, prefix: &str, values: &[T]) -> Vec<Choice> {
    choices(values.iter().map(|v| (v.to_string(), t.label(prefix, v))))
}

/// Taxonomy entries of one kind, labelled in the page's language, sorted by label.
pub fn taxonomy(
    taxonomy: &crate::domain::taxonomy::Taxonomy,
    kind: entity::TaxonomyKind,
    t: &Catalog,
) -> Vec<Choice> {
    let mut list: Vec<(String, String)> = taxonomy
        .entries(kind)
        .map(|e| (e.code.clone(), entry_label(e, t.language).to_owned()))
        .collect();
    list.sort_by(|a, b| crate::i18n::collate(t.language, &a.1, &b.1));
    choices(list)
}

/// Passerelle's outcome indicators, named in the page's language, in the list's order.
pub fn indicators(t: &Catalog) -> Vec<Choice> {
    choices(
        crate::domain::outcomes::indicator_list()
            .indicators
            .iter()
            .map(|d| (d.code.clone(), d.name(t.language).to_owned())),
    )
}

/// Skills grouped under their category, both in the page's language.
pub fn skills(taxonomy: &crate::domain::taxonomy::Taxonomy, t: &Catalog) -> Vec<Group> {
    use entity::TaxonomyKind;
    self::taxonomy(taxonomy, TaxonomyKind::Category, t)
        .into_iter()
        .filter_map(|category| {
            let mut list: Vec<(String, String)> = taxonomy
                .entries(TaxonomyKind::Skill)
                .filter(|e| e.parent.as_deref() == Some(category.value.as_str()))
                .map(|e| (e.code.clone(), entry_label(e, t.language).to_owned()))
                .collect();
            list.sort_by(|a, b| crate::i18n::collate(t.language, &a.1, &b.1));
            (!list.is_empty()).then(|| Group {
                label: category.label,
                choices: choices(list),
            })
        })
        .collect()
}

/// A taxonomy entry's label in a language.
pub fn entry_label(entry: &crate::domain::taxonomy::Entry, language: entity::Language) -> &str {
    match language {
        entity::Language::En => &entry.label_en,
        entity::Language::Fr => &entry.label_fr,
    }
}
