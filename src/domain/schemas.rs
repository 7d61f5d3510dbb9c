//! The OpenAPI schemas of the values whose rules live in this layer: codes from the taxonomy and
//! the provinces, texts as `types::text` and `types::line` check them, emails, phones, charity
//! numbers, passwords. Input types name them with `#[schema(value_type = ...)]`, so the document
//! says what the checks accept, from the same tables.

use entity::TaxonomyKind;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AllOfBuilder, AnyOfBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Ref, Schema,
    SchemaFormat, Type,
};
use utoipa::{PartialSchema, ToSchema};

use super::postings::{PostingInput, PostingPatch};
use super::taxonomy::Taxonomy;
use super::types::pattern::{self, Ends};
use super::types::{Password, Province};

/// Declares a schema-only type: its doc comment becomes the schema's description.
macro_rules! schema {
    ($(#[doc = $doc:literal])+ $name:ident => $schema:expr) => {
        $(#[doc = $doc])+
        pub enum $name {}

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let description = [$($doc),+].map(str::trim).join(" ");
                Schema::from($schema.description(Some(description)).build()).into()
            }
        }

        impl ToSchema for $name {}
    };
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// Text as `types::text` (or, `single_line`, `types::line`) checks it, read as typed.
fn text(min: usize, max: usize, single_line: bool) -> ObjectBuilder {
    string()
        .min_length((min > 0).then_some(min))
        .pattern(Some(pattern::text(min, max, single_line, Ends::Allowed)))
}

/// White space only (read as "none"), or the text as `types::text` checks it once trimmed.
fn note(max: usize) -> ObjectBuilder {
    string().pattern(Some(pattern::blank_or(&pattern::text(
        1,
        max,
        false,
        Ends::Any,
    ))))
}

fn codes<'a>(values: impl IntoIterator<Item = &'a str>) -> ObjectBuilder {
    string().enum_values(Some(values))
}

fn taxonomy(kind: TaxonomyKind) -> ObjectBuilder {
    // The built-in taxonomy is checked when the server starts; it cannot fail here.
    let taxonomy = Taxonomy::builtin().ok();
    let entries = taxonomy.iter().flat_map(|t| t.entries(kind));
    codes(entries.map(|entry| entry.code.as_str()).collect::<Vec<_>>())
}

fn email() -> ObjectBuilder {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(254))
}

fn blank() -> ObjectBuilder {
    string().pattern(Some(pattern::blank_or("^$")))
}

schema! {
    /// A code of Passerelle's outcome indicator list (`GET /api/v1/indicators`).
    IndicatorCode => codes(
        super::outcomes::indicator_list()
            .indicators
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>()
    )
}

schema! {
    /// An indicator's unit in your words: 1 to 30 characters on one line, e.g. "meals".
    UnitName => text(1, 30, true)
}

schema! {
    /// Two-letter code of a Canadian province or territory (lower case is read as upper case).
    ProvinceCode => codes(Province::ALL)
}

/// A comma-separated list of codes, as a pattern (each code matched exactly).
fn code_list<'a>(values: impl IntoIterator<Item = &'a str>) -> ObjectBuilder {
    let one = values
        .into_iter()
        .map(regex_escape)
        .collect::<Vec<_>>()
        .join("|");
    string().pattern(Some(format!("^(?:{one})(?:,(?:{one}))*$")))
}

fn regex_escape(value: &str) -> String {
    value
        .chars()
        .flat_map(|c| {
            let special = "\\^$.|?*+()[]{}-".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

fn taxonomy_codes(kind: TaxonomyKind) -> Vec<String> {
    Taxonomy::builtin()
        .ok()
        .iter()
        .flat_map(|t| t.entries(kind))
        .map(|entry| entry.code.clone())
        .collect()
}

schema! {
    /// Category codes from `GET /taxonomy`, comma-separated.
    CategoryList => code_list(taxonomy_codes(TaxonomyKind::Category).iter().map(String::as_str))
}

schema! {
    /// Two-letter province or territory codes, comma-separated (lower case is read as upper
    /// case).
    ProvinceList => string().pattern(Some({
        let one = Province::ALL
            .iter()
            .map(|code| {
                code.chars()
                    .map(|c| format!("[{}{}]", c, c.to_ascii_lowercase()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("|");
        format!("^(?:{one})(?:,(?:{one}))*$")
    }))
}

schema! {
    /// `need`, `offer` or `organization`, comma-separated.
    KindList => code_list(["need", "offer", "organization"])
}

schema! {
    /// Kinds of organization, comma-separated.
    OrgKindList => code_list(entity::OrgKind::ALL.iter().map(|k| k.as_str()))
}

schema! {
    /// A category code from `GET /taxonomy`.
    CategoryCode => taxonomy(TaxonomyKind::Category)
}

schema! {
    /// A skill code from `GET /taxonomy`.
    SkillCode => taxonomy(TaxonomyKind::Skill)
}

schema! {
    /// A cause-area code from `GET /taxonomy`.
    CauseAreaCode => taxonomy(TaxonomyKind::CauseArea)
}

schema! {
    /// 5 to 200 characters on one line, white space around them left out; at least one visible
    /// character, no control or text-direction character.
    PostingTitle => text(5, 200, true)
}

schema! {
    /// 10 to 10,000 characters, white space around them left out; at least one visible
    /// character, no control (other than line breaks and tabs) or text-direction character.
    PostingDescription => text(10, 10_000, false)
}

schema! {
    /// 2 to 200 characters on one line, white space around them left out; at least one visible
    /// character, no control or text-direction character.
    OrganizationName => text(2, 200, true)
}

schema! {
    /// Up to 5,000 characters, white space around them left out; if any, at least one visible,
    /// and no control (other than line breaks and tabs) or text-direction character.
    OrganizationDescription => text(0, 5_000, false)
}

schema! {
    /// White space only (no city), or 1 to 100 characters on one line, white space around them
    /// left out; at least one visible character, no control or text-direction character.
    City => string().pattern(Some(pattern::blank_or(&pattern::text(1, 100, true, Ends::Allowed))))
}

schema! {
    /// 1 to 100 characters on one line, white space around them left out; at least one visible
    /// character, no control or text-direction character.
    ShortName => text(1, 100, true)
}

schema! {
    /// 1 to 2,000 characters, white space around them left out; at least one visible character,
    /// no control (other than line breaks and tabs) or text-direction character.
    Message => text(1, 2_000, false)
}

schema! {
    /// 3 to 2,000 characters, white space around them left out; at least one visible character,
    /// no control (other than line breaks and tabs) or text-direction character.
    ReportReason => text(3, 2_000, false)
}

schema! {
    /// White space only (no note), or up to 2,000 characters once trimmed: at least one visible
    /// character, no control (other than line breaks and tabs) or text-direction character.
    Note => note(2_000)
}

schema! {
    /// White space only (no note), or up to 1,000 characters once trimmed: at least one visible
    /// character, no control (other than line breaks and tabs) or text-direction character.
    VerificationNote => note(1_000)
}

schema! {
    /// 1 to 5,000 characters, white space around them left out; at least one visible character,
    /// no control (other than line breaks and tabs) or text-direction character.
    OutcomeText => text(1, 5_000, false)
}

schema! {
    /// A number from -10^12 to 10^12, or 1 to 100 characters on one line (white space around
    /// them left out, at least one visible character, no control or text-direction character).
    IndicatorValueInput => OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(-1e12))
                .maximum(Some(1e12)),
        )
        .item(text(1, 100, true))
}

schema! {
    /// Up to 200 characters on one line, white space around them left out; if any, at least one
    /// visible, and no control or text-direction character.
    DraftTitle => text(0, 200, true)
}

schema! {
    /// Up to 10,000 characters, white space around them left out; if any, at least one visible,
    /// and no control (other than line breaks and tabs) or text-direction character.
    DraftDescription => text(0, 10_000, false)
}

schema! {
    /// 10 to 128 characters, and not a common password nor one built from your email or name
    /// (a rule no schema can state: the server estimates how easily it is guessed).
    NewPassword => string()
        .min_length(Some(Password::MIN_CHARS))
        .max_length(Some(Password::MAX_CHARS))
}

schema! {
    /// An email address (white space around it left out, case ignored).
    EmailAddress => email()
}

schema! {
    /// An email address, or white space only (none).
    OptionalEmail => AnyOfBuilder::new().item(email()).item(blank())
}

schema! {
    /// A phone number: digits, spaces and `+-().x`, with 7 to 20 digits; or white space only
    /// (none).
    Phone => string().pattern(Some(pattern::blank_or(&pattern::phone())))
}

schema! {
    /// A CRA charity registration number, `123456789RR0001` (spaces and hyphens are ignored, and
    /// the business number's check digit must be right), or white space only (none).
    CharityNumberCode => string().pattern(Some(pattern::blank_or(&pattern::charity_number())))
}

schema! {
    /// A web address with the scheme `http` or `https` (`https` when none is given), at most 300
    /// characters with its scheme; or white space only (none). Which hosts are valid (names in
    /// any script, IPv4 numbers) is the URL parser's to say.
    WebsiteAddress => string().pattern(Some(pattern::blank_or(&pattern::website())))
}

/// The statuses a posting may be published in (`PostingInput` reads a `PostingStatus`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum NewPostingStatus {
    Draft,
    Open,
    Paused,
}

/// The statuses an edit may set (`PostingPatch` reads a `PostingStatus`): `expired` is for
/// Passerelle to set when `expires_at` passes.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum PostingStatusChange {
    Draft,
    Open,
    Paused,
    Fulfilled,
    Closed,
}

/// The body of a new need: a `PostingInput` without eligibility rules (offers only).
pub enum NeedInput {}

/// The body of a need's edit: a `PostingPatch` without eligibility rules (offers only).
pub enum NeedPatch {}

/// `base`, with `eligibility` left out or `null`.
fn without_eligibility(base: &str, description: &str) -> RefOr<Schema> {
    Schema::from(
        AllOfBuilder::new()
            .item(Ref::from_schema_name(base))
            .item(
                ObjectBuilder::new()
                    .property("eligibility", ObjectBuilder::new().schema_type(Type::Null)),
            )
            .description(Some(description)),
    )
    .into()
}

impl PartialSchema for NeedInput {
    fn schema() -> RefOr<Schema> {
        without_eligibility(
            "PostingInput",
            "A new need: eligibility rules are for offers.",
        )
    }
}

impl ToSchema for NeedInput {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((PostingInput::name().into(), PostingInput::schema()));
        PostingInput::schemas(schemas);
    }
}

impl PartialSchema for NeedPatch {
    fn schema() -> RefOr<Schema> {
        without_eligibility(
            "PostingPatch",
            "An edit of a need: eligibility rules are for offers.",
        )
    }
}

impl ToSchema for NeedPatch {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((PostingPatch::name().into(), PostingPatch::schema()));
        PostingPatch::schemas(schemas);
    }
}
