//! Passerelle's words, in English and French, from the Fluent catalogs `locales/en.ftl` and
//! `locales/fr.ftl` compiled into the binary: the pages, the field errors, and the reasons and
//! rules matching gives (in the API too), so everything says a thing the same way.
//!
//! Templates ask a [`Catalog`] for a message by key (`t.get("home-title")`), with a count
//! (`t.count("search-total", n)`, which picks the plural form of the language) or with one named
//! value (`t.with("posting-by", "organization", name)`). Labels of stored values (organization
//! kinds, statuses, ...) have keys made from the value: `t.label("org-kind", "public_agency")` reads
//! `org-kind-public-agency`.
//!
//! A field's refusal is read by its code: [`Catalog::field_error`] gives the `v-<code>` message
//! with the error's parameters.

use std::sync::LazyLock;

use entity::Language;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::error::FieldError;

/// One language's messages.
pub struct Catalog {
    pub language: Language,
    bundle: FluentBundle<FluentResource>,
}

const ENGLISH: &str = include_str!("../locales/en.ftl");
const FRENCH: &str = include_str!("../locales/fr.ftl");

static CATALOGS: LazyLock<[Catalog; 2]> = LazyLock::new(|| {
    [
        Catalog::parse(Language::En, ENGLISH),
        Catalog::parse(Language::Fr, FRENCH),
    ]
});

/// The catalog of a language.
pub fn catalog(language: Language) -> &'static Catalog {
    match language {
        Language::En => &CATALOGS[0],
        Language::Fr => &CATALOGS[1],
    }
}

impl Catalog {
    /// Parses a catalog compiled into the binary; a syntax error is a bug caught by the tests.
    fn parse(language: Language, source: &str) -> Self {
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("locales/{language}.ftl: {errors:?}"));
        let id = language
            .as_str()
            .parse()
            .expect("en and fr are language identifiers");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Pages are left-to-right only; isolation marks would show up in form values and tests.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{language}.ftl: {errors:?}"));
        Self { language, bundle }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            // Tests keep both catalogs complete; a page still shows something readable.
            tracing::warn!(key, language = %self.language, "missing message");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// Whether the catalog has the message.
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    /// The message `key`.
    pub fn get(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with `$count`, in the plural form the number calls for.
    pub fn count(&self, key: &str, count: impl std::borrow::Borrow<usize>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*count.borrow()));
        self.format(key, Some(&args))
    }

    /// A number of a posting's units as the language writes it ("8 items", "30 places").
    pub fn quantity(&self, unit: entity::PostingUnit, count: i32) -> String {
        self.count(
            &label_key("quantity", unit.as_str()),
            usize::try_from(count).unwrap_or(0),
        )
    }

    /// An outcome measure's value: a number as the language writes it, or its text.
    pub fn indicator(&self, value: &entity::IndicatorValue) -> String {
        match value {
            entity::IndicatorValue::Number(n) => decimal(*n, self.language),
            entity::IndicatorValue::Text(text) => text.clone(),
        }
    }

    /// An indicator's unit: a unit of the indicator list translated, or the organization's words.
    pub fn indicator_unit(&self, unit: Option<&str>) -> String {
        match unit {
            Some(code) if crate::domain::outcomes::UNITS.contains(&code) => {
                self.get(&label_key("indicator-unit", code))
            }
            Some(words) => words.to_owned(),
            None => String::new(),
        }
    }

    /// The message `key` with one named value.
    pub fn with(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_string()));
        self.format(key, Some(&args))
    }

    /// The message `key` with named values.
    pub fn args(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(*name, FluentValue::from(value.clone()));
        }
        self.format(key, Some(&args))
    }

    /// The label of a stored value: `label("org-kind", "public_agency")` is `org-kind-public-agency`.
    pub fn label(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        self.get(&label_key(prefix, &value.to_string()))
    }

    /// A field's refusal in this catalog's language: the `v-` message of its code, with its
    /// parameters as arguments (`too_long` with `max` reads `v-too-long` with `$max`).
    pub fn field_error(&self, error: &FieldError) -> String {
        let key = label_key("v", error.code.as_str());
        let mut args = FluentArgs::new();
        for (name, value) in &error.params {
            let value = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            args.set(name.clone(), FluentValue::from(value));
        }
        self.format(&key, Some(&args))
    }
}

/// num-format's locale for a language: Canadian English and Canadian French.
fn number_locale(language: Language) -> num_format::Locale {
    match language {
        Language::En => num_format::Locale::en_CA,
        Language::Fr => num_format::Locale::fr_CA,
    }
}

/// A whole number as the language writes it: `2,500`, `2 500`.
pub fn integer(value: i64, language: Language) -> String {
    use num_format::ToFormattedString;
    value.to_formatted_string(&number_locale(language))
}

/// A number with at most two decimals, as the language writes it: `1,500.5`, `1 500,5`.
pub fn decimal(value: f64, language: Language) -> String {
    let cents = (value * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let fraction = (cents - whole * 100.0).abs() as i64;
    let mut text = integer(whole as i64, language);
    if whole == 0.0 && cents < 0.0 {
        text.insert(0, '-');
    }
    if fraction != 0 {
        let digits = format!("{fraction:02}");
        text.push_str(number_locale(language).decimal());
        text.push_str(digits.trim_end_matches('0'));
    }
    text
}

/// An amount in dollars as the language writes it: `$2,500`, `2 500 $`.
pub fn money(value: i64, language: Language) -> String {
    let grouped = integer(value.abs(), language);
    let sign = if value < 0 { "-" } else { "" };
    match language {
        Language::En => format!("{sign}${grouped}"),
        Language::Fr => format!("{sign}{grouped}\u{a0}$"),
    }
}

/// A number typed by someone writing `language`: English groups with commas and marks decimals
/// with a point (`1,500.50`); French groups with spaces and marks decimals with a comma
/// (`1 500,50`), though a point is read as the decimal mark too. `None` when it is not a number.
pub fn parse_number(raw: &str, language: Language) -> Option<f64> {
    let spaced: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let plain = match language {
        Language::En => spaced.replace(',', ""),
        Language::Fr => spaced.replace(',', "."),
    };
    plain.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date as the language writes it: `January 15, 2027`, `15 janvier 2027` (`1er` for the first
/// day of a month in French).
pub fn date(day: chrono::NaiveDate, language: Language) -> String {
    use chrono::Datelike;
    match language {
        Language::En => day
            .format_localized("%B %-d, %Y", chrono::Locale::en_CA)
            .to_string(),
        Language::Fr if day.day() == 1 => day
            .format_localized("1er %B %Y", chrono::Locale::fr_CA)
            .to_string(),
        Language::Fr => day
            .format_localized("%-d %B %Y", chrono::Locale::fr_CA)
            .to_string(),
    }
}

/// An instant as the language writes it, in UTC: `January 15, 2027, 14:05 UTC`,
/// `15 janvier 2027 à 14 h 05 UTC`.
pub fn date_time(at: chrono::DateTime<chrono::Utc>, language: Language) -> String {
    let day = date(at.date_naive(), language);
    match language {
        Language::En => format!("{day}, {} UTC", at.format("%H:%M")),
        Language::Fr => format!("{day} à {} UTC", at.format("%-H h %M")),
    }
}

/// One collator per language (CLDR's rules, from ICU4X), made once.
static COLLATORS: LazyLock<[icu_collator::CollatorBorrowed<'static>; 2]> = LazyLock::new(|| {
    let collator = |tag: &str| {
        let locale = icu_locale_core::Locale::try_from_str(tag)
            .unwrap_or_else(|err| panic!("locale {tag}: {err}"));
        icu_collator::Collator::try_new(
            locale.into(),
            icu_collator::options::CollatorOptions::default(),
        )
        .unwrap_or_else(|err| panic!("collator {tag}: {err}"))
    };
    [collator("en-CA"), collator("fr-CA")]
});

/// Compares two names as the language sorts them: an accented letter beside its plain one
/// ("École" after "Eau", before "Fondation"), case second.
pub fn collate(language: Language, a: &str, b: &str) -> std::cmp::Ordering {
    let collator = match language {
        Language::En => &COLLATORS[0],
        Language::Fr => &COLLATORS[1],
    };
    collator.compare(a, b)
}

/// The key of a stored value's label.
pub fn label_key(prefix: &str, value: &str) -> String {
    format!("{prefix}-{}", value.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn numbers_money_and_dates_read_as_each_language_writes_them() {
        use chrono::NaiveDate;
        assert_eq!(money(2_500, Language::En), "$2,500");
        assert_eq!(money(15_000, Language::Fr), "15\u{a0}000\u{a0}$");
        assert_eq!(decimal(1_500.5, Language::En), "1,500.5");
        assert_eq!(decimal(1_500.5, Language::Fr), "1\u{a0}500,5");
        assert_eq!(decimal(12.0, Language::Fr), "12");
        assert_eq!(decimal(-0.25, Language::En), "-0.25");
        let day = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        assert_eq!(date(day, Language::En), "January 15, 2027");
        assert_eq!(date(day, Language::Fr), "15 janvier 2027");
        let first = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(date(first, Language::Fr), "1er mars 2027");
        assert_eq!(parse_number("1 500,50", Language::Fr), Some(1_500.5));
        assert_eq!(parse_number("1\u{202f}500.5", Language::Fr), Some(1_500.5));
        assert_eq!(parse_number("1,500.50", Language::En), Some(1_500.5));
        assert_eq!(parse_number("douze", Language::Fr), None);
        assert_eq!(parse_number("inf", Language::En), None);
    }

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim().to_owned()))
            .collect()
    }

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let (en, fr) = (keys(ENGLISH), keys(FRENCH));
        assert!(en.len() > 100, "{} keys", en.len());
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in locales/fr.ftl: {only_en:?}");
        assert!(only_fr.is_empty(), "missing in locales/en.ftl: {only_fr:?}");
        for key in &en {
            assert!(
                catalog(Language::En).has(key),
                "{key} does not parse in English"
            );
            assert!(
                catalog(Language::Fr).has(key),
                "{key} does not parse in French"
            );
        }
    }

    /// Every key a template or the web module asks for by name is in the catalogs.
    #[test]
    fn every_key_the_pages_use_exists() {
        let mut sources = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs: Vec<_> = ["templates", "src/web", "src/matching", "src/domain"]
            .iter()
            .map(|dir| root.join(dir))
            .collect();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    sources.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        let mut used = 0;
        for (path, source) in &sources {
            // Messages by name, and the one-time messages a redirect leaves (flash keys).
            for call in [
                "t.get(\"",
                "t.count(\"",
                "t.with(\"",
                "t.args(\"",
                "\"flash-",
            ] {
                for (index, _) in source.match_indices(call) {
                    let start = if call.starts_with('"') {
                        index + 1
                    } else {
                        index + call.len()
                    };
                    let rest = &source[start..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key == "flash-" {
                        continue;
                    }
                    used += 1;
                    for language in [Language::En, Language::Fr] {
                        assert!(
                            catalog(language).has(key),
                            "{}: \"{key}\" is not in locales/{language}.ftl",
                            path.display()
                        );
                    }
                }
            }
        }
        assert!(used > 100, "only {used} uses found");
    }

    /// Labels are looked up by stored value; every value has one in both languages.
    #[test]
    fn names_sort_where_their_accented_letters_belong() {
        let mut names = vec![
            "Zèbre",
            "Fondation",
            "école du Nord",
            "Eau vive",
            "Étoile",
            "Îles",
        ];
        names.sort_by(|a, b| collate(Language::Fr, a, b));
        assert_eq!(
            names,
            [
                "Eau vive",
                "école du Nord",
                "Étoile",
                "Fondation",
                "Îles",
                "Zèbre"
            ]
        );
        // A byte order would put every accented capital after "Z".
        let mut bytes = names.clone();
        bytes.sort();
        assert_ne!(bytes, names);
    }

    #[test]
    fn every_stored_value_has_a_label() {
        use entity::{OrgKind, PartnershipStatus, PostingKind, PostingStatus, SizeBand};
        let mut wanted = Vec::new();
        wanted.extend(
            OrgKind::ALL
                .iter()
                .map(|v| label_key("org-kind", v.as_str())),
        );
        wanted.extend(
            OrgKind::ALL
                .iter()
                .map(|v| label_key("org-kinds", v.as_str())),
        );
        wanted.extend(SizeBand::ALL.iter().map(|v| label_key("size", v.as_str())));
        for unit in entity::PostingUnit::ALL {
            wanted.push(label_key("unit", unit.as_str()));
            wanted.push(label_key("quantity", unit.as_str()));
        }
        wanted.extend(
            entity::ModerationReason::ALL
                .iter()
                .map(|v| label_key("moderation-reason", v.as_str())),
        );
        wanted.extend(
            entity::ReportStatus::ALL
                .iter()
                .map(|v| label_key("report-status", v.as_str())),
        );
        wanted.extend(
            PostingKind::ALL
                .iter()
                .map(|v| label_key("kind", v.as_str())),
        );
        wanted.extend(
            PostingStatus::ALL
                .iter()
                .map(|v| label_key("status", v.as_str())),
        );
        wanted.extend(
            PartnershipStatus::ALL
                .iter()
                .map(|v| label_key("partnership-status", v.as_str())),
        );
        wanted.extend(
            Language::ALL
                .iter()
                .map(|v| label_key("language", v.as_str())),
        );
        wanted.extend(
            entity::Verification::ALL
                .iter()
                .map(|v| label_key("verification", v.as_str())),
        );
        wanted.extend(
            entity::FollowUpDue::ALL
                .iter()
                .map(|v| label_key("follow-up", v.as_str())),
        );
        wanted.extend(
            crate::domain::outcomes::UNITS
                .iter()
                .map(|unit| label_key("indicator-unit", unit)),
        );
        wanted.extend(
            crate::error::ErrorCode::ALL
                .iter()
                .map(|code| label_key("error", code.as_str())),
        );
        wanted.extend(
            entity::NotificationKind::ALL
                .iter()
                .map(|v| label_key("notification", v.as_str())),
        );
        wanted.extend(
            entity::Topic::ALL
                .iter()
                .map(|v| label_key("topic", v.as_str())),
        );
        wanted.extend(
            entity::Delivery::ALL
                .iter()
                .map(|v| label_key("delivery", v.as_str())),
        );
        wanted.extend(crate::search::FACETS.iter().map(|f| label_key("facet", f)));
        wanted.extend(["kind-organization", "remote-true", "remote-false"].map(String::from));
        wanted.extend(
            [
                "forbidden",
                "not-found",
                "conflict",
                "slow-down",
                "invalid",
                "internal",
            ]
            .map(|class| format!("error-detail-{class}")),
        );
        for key in wanted {
            for language in [Language::En, Language::Fr] {
                assert!(catalog(language).has(&key), "{key} in {language}");
            }
        }
    }

    #[test]
    fn plurals_follow_the_language() {
        let (en, fr) = (catalog(Language::En), catalog(Language::Fr));
        assert_eq!(en.count("search-total", 1), "1 result");
        assert_eq!(en.count("search-total", 0), "No results");
        assert_eq!(fr.count("search-total", 1), "1 résultat");
        assert_eq!(fr.count("search-total", 0), "Aucun résultat");
        assert_eq!(fr.count("search-total", 12), "12 résultats");
    }

    /// Every field error code reads in both languages, with the parameters its English message
    /// names.
    #[test]
    fn every_field_error_code_has_its_message_in_both_languages() {
        use crate::error::Invalid;
        for code in Invalid::ALL {
            let key = label_key("v", code.as_str());
            for language in [Language::En, Language::Fr] {
                assert!(
                    catalog(language).has(&key),
                    "{key} is not in locales/{language}.ftl"
                );
            }
        }
    }

    #[test]
    fn field_errors_are_translated_by_code_with_their_parameters() {
        use crate::error::Invalid;
        use serde_json::json;
        let fr = catalog(Language::Fr);
        let too_short = Invalid::TooShort.with([("min", json!(5))]);
        assert_eq!(
            fr.field_error(&too_short),
            "doit compter au moins 5 caractères"
        );
        let email = Invalid::InvalidEmail.with([("value", json!("abc"))]);
        assert_eq!(
            fr.field_error(&email),
            "« abc » n’est pas une adresse courriel valide"
        );
        let charity = Invalid::NotEligible.with([
            ("rule", json!("charity_number")),
            ("reason", json!("Offer is for registered charities")),
        ]);
        assert_eq!(
            fr.field_error(&charity),
            "ne s’adresse pas à ce besoin : l’offre est réservée aux organismes de bienfaisance enregistrés"
        );
        assert_eq!(
            catalog(Language::En).field_error(&Invalid::Required.into()),
            "is required"
        );
    }
}
