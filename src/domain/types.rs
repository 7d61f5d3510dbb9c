//! Parsed values: each `parse` returns the value or a message for the field it came from.
//! Handlers and domain functions hold only parsed values.

use entity::Language;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Invalid, Parsed};

/// A lowercased, syntactically valid email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Parsed<Self> {
        let email = raw.trim().to_lowercase();
        if email
            .chars()
            .any(|c| forbidden(c) || (invisible(c) && !c.is_ascii()))
        {
            return Err(Invalid::HiddenCharacters.into());
        }
        if email.len() > 254 {
            return Err(Invalid::TooLong.with([("max", json!(254))]));
        }
        match email_address::EmailAddress::parse_with_options(
            &email,
            email_address::Options::default()
                .without_display_text()
                .without_domain_literal(),
        ) {
            Ok(parsed) if parsed.domain().contains('.') => Ok(Self(email)),
            _ => Err(Invalid::InvalidEmail.with([("value", json!(raw.trim()))])),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that is long enough and not among the passwords attackers try first.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 10;
    /// Argon2 cost grows with length; refuse novels.
    pub const MAX_CHARS: usize = 128;

    /// `context` holds words the password should not be built from (email, names).
    pub fn parse(raw: &str, context: &[&str]) -> Parsed<Self> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(Invalid::TooShort.with([("min", json!(Self::MIN_CHARS))]));
        }
        if chars > Self::MAX_CHARS {
            return Err(Invalid::TooLong.with([("max", json!(Self::MAX_CHARS))]));
        }
        // zxcvbn's score 0-1 means "guessable in under a million tries": the password is in (or a
        // trivial variation of) the common-password and common-word lists it ships.
        let estimate = zxcvbn::zxcvbn(raw, context);
        if u8::from(estimate.score()) <= 1 {
            let mut weak = Invalid::WeakPassword.with([]);
            // zxcvbn's own hint, in English only: an aside the pages leave out.
            if let Some(warning) = estimate.feedback().and_then(|f| f.warning()) {
                weak.message = format!("{} ({warning})", weak.message);
            }
            return Err(weak);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A Canadian province or territory, by its two-letter postal code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province(&'static str);

impl Province {
    pub const ALL: [&'static str; 13] = [
        "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
    ];

    pub fn parse(raw: &str) -> Parsed<Self> {
        let upper = raw.trim().to_ascii_uppercase();
        Self::ALL
            .iter()
            .find(|code| **code == upper)
            .map(|code| Self(code))
            .ok_or_else(|| {
                Invalid::UnknownProvince.with([
                    ("value", json!(raw.trim())),
                    ("allowed", json!(Self::ALL.join(", "))),
                ])
            })
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The province's or territory's name in English or French; the code itself if unknown.
    pub fn name(code: &str, language: Language) -> &str {
        let names = PROVINCE_NAMES.iter().find(|(c, _, _)| *c == code);
        match (names, language) {
            (Some((_, en, _)), Language::En) => en,
            (Some((_, _, fr)), Language::Fr) => fr,
            (None, _) => code,
        }
    }
}

const PROVINCE_NAMES: [(&str, &str, &str); 13] = [
    ("AB", "Alberta", "Alberta"),
    ("BC", "British Columbia", "Colombie-Britannique"),
    ("MB", "Manitoba", "Manitoba"),
    ("NB", "New Brunswick", "Nouveau-Brunswick"),
    ("NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    ("NS", "Nova Scotia", "Nouvelle-Écosse"),
    ("NT", "Northwest Territories", "Territoires du Nord-Ouest"),
    ("NU", "Nunavut", "Nunavut"),
    ("ON", "Ontario", "Ontario"),
    ("PE", "Prince Edward Island", "Île-du-Prince-Édouard"),
    ("QC", "Quebec", "Québec"),
    ("SK", "Saskatchewan", "Saskatchewan"),
    ("YT", "Yukon", "Yukon"),
];

/// A CRA charity registration number, `123456789RR0001`: a 9-digit business number (with its
/// Luhn check digit), the program identifier `RR`, and a 4-digit reference number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharityNumber(String);

impl CharityNumber {
    pub fn parse(raw: &str) -> Parsed<Self> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>();
        let compact = compact.to_ascii_uppercase();
        let bytes = compact.as_bytes();
        let well_formed = bytes.len() == 15
            && bytes[..9].iter().all(u8::is_ascii_digit)
            && &bytes[9..11] == b"RR"
            && bytes[11..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(Invalid::InvalidCharityNumber.with([("value", json!(raw.trim()))]));
        }
        if !luhn_valid(&bytes[..9]) {
            return Err(Invalid::CharityCheckDigit.with([("value", json!(raw.trim()))]));
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, digit)| {
            let d = u32::from(digit - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

impl Website {
    pub fn parse(raw: &str) -> Parsed<Self> {
        let trimmed = raw.trim();
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        match url::Url::parse(&with_scheme) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                if with_scheme.len() > 300 {
                    return Err(Invalid::TooLong.with([("max", json!(300))]));
                }
                Ok(Self(url.to_string()))
            }
            _ => Err(Invalid::InvalidWebsite.with([("value", json!(trimmed))])),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that have no place in user text: controls other than line breaks and tabs, and the
/// bidirectional controls that make text display differently from what it says.
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing: white space, zero-width and joining characters, fillers, soft
/// hyphens, variation selectors, tag characters. A name made only of these looks empty.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E007F}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// Trimmed single-line text (names, titles) between `min` and `max` characters.
pub fn line(raw: &str, min: usize, max: usize) -> Parsed<String> {
    let text = text(raw, min, max)?;
    if text.contains(['\n', '\r', '\t']) {
        return Err(Invalid::SingleLine.into());
    }
    Ok(text)
}

/// Trimmed text between `min` and `max` characters.
pub fn text(raw: &str, min: usize, max: usize) -> Parsed<String> {
    if raw.chars().any(forbidden) {
        return Err(Invalid::HiddenCharacters.into());
    }
    let trimmed = raw.trim();
    let chars = trimmed.chars().count();
    if chars > 0 && trimmed.chars().all(invisible) {
        return Err(Invalid::Invisible.into());
    }
    if chars < min {
        return Err(if min == 1 {
            Invalid::Empty.into()
        } else {
            Invalid::TooShort.with([("min", json!(min))])
        });
    }
    if chars > max {
        return Err(Invalid::TooLong.with([("max", json!(max))]));
    }
    Ok(trimmed.to_owned())
}

/// Optional single-line text: blank becomes `None`, anything else is a `line` of 1 to `max`
/// characters, checked as typed (a forbidden character is refused even at an end).
pub fn optional_text(raw: Option<&str>, max: usize) -> Parsed<Option<String>> {
    match raw {
        None => Ok(None),
        Some(value) if value.trim().is_empty() => Ok(None),
        Some(value) => line(value, 1, max).map(Some),
    }
}

/// A language code: `en` or `fr`.
pub fn language(raw: &str) -> Parsed<Language> {
    Language::parse(raw.trim())
        .ok_or_else(|| Invalid::UnknownLanguage.with([("value", json!(raw.trim()))]))
}

/// A phone number: digits, spaces and `+-().` only, 7 to 20 digits.
pub fn phone(raw: &str) -> Parsed<String> {
    let trimmed = raw.trim();
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    let allowed = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().x".contains(c));
    if !allowed || !(7..=20).contains(&digits) {
        return Err(Invalid::InvalidPhone.with([("value", json!(trimmed))]));
    }
    Ok(trimmed.to_owned())
}

/// The rules of `text`, `line` and `phone` as ECMA-262 patterns for the OpenAPI document, built from
/// the same character tables as the checks so that the two cannot drift apart.
pub mod pattern {
    use std::sync::LazyLock;

    use super::{forbidden, invisible};

    /// The classes the patterns use, each computed once: a class walks every code point, which
    /// takes seconds in a debug build, and the document is built at every start.
    macro_rules! classes {
        ($($name:ident = $keep:expr;)+) => {
            $(static $name: LazyLock<String> = LazyLock::new(|| class($keep));)+
        };
    }

    classes! {
        WHITE = char::is_whitespace;
        WHITE_ALLOWED = |c: char| c.is_whitespace() && !forbidden(c);
        INVISIBLE_ALLOWED = |c: char| invisible(c) && !forbidden(c);
        INVISIBLE_OR_FORBIDDEN = |c: char| invisible(c) || forbidden(c);
        WHITE_OR_FORBIDDEN = |c: char| c.is_whitespace() || forbidden(c);
        FORBIDDEN = forbidden;
        FORBIDDEN_OR_BREAK = |c: char| forbidden(c) || line_break(c);
        NOT_IN_HOST = |c: char| {
            c.is_whitespace() || c.is_control() || "/?#@:[]\\<>^|%".contains(c)
        };
        CONTROL = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    }

    /// What white space a value may carry around its text.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Ends {
        /// White space the check itself removes: the value is read as typed, so a forbidden
        /// character is refused wherever it is.
        Allowed,
        /// Any white space: the value is trimmed before it is checked.
        Any,
    }

    /// The characters of a class (without its brackets) for which `keep` holds, as ranges. Those
    /// of the Basic Multilingual Plane are written `\uXXXX`, which ECMA-262, Python and Rust
    /// read alike; the others as themselves, since their escapes differ.
    fn class(keep: impl Fn(char) -> bool) -> String {
        let escape = |c: char| {
            if u32::from(c) <= 0xFFFF {
                format!("\\u{:04X}", u32::from(c))
            } else {
                c.to_string()
            }
        };
        let mut out = String::new();
        let mut run: Option<(char, char)> = None;
        let close = |run: (char, char), out: &mut String| {
            out.push_str(&escape(run.0));
            if run.1 != run.0 {
                out.push('-');
                out.push_str(&escape(run.1));
            }
        };
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if !keep(c) {
                continue;
            }
            run = match run {
                Some((start, end)) if u32::from(end) + 1 == u32::from(c) => Some((start, c)),
                Some(done) => {
                    close(done, &mut out);
                    Some((c, c))
                }
                None => Some((c, c)),
            };
        }
        if let Some(done) = run {
            close(done, &mut out);
        }
        out
    }

    fn line_break(c: char) -> bool {
        matches!(c, '\n' | '\r' | '\t')
    }

    /// Trimmed text of `min` to `max` characters as `text` (or `line`) checks it: no forbidden
    /// character, at least one visible one, white space around it (`ends`) ignored.
    pub fn text(min: usize, max: usize, single_line: bool, ends: Ends) -> String {
        let ends: &str = match ends {
            Ends::Allowed => &WHITE_ALLOWED,
            Ends::Any => &WHITE,
        };
        // The first character that is not invisible is a visible one.
        let visible = format!(
            "(?=[{}]*[^{}])",
            *INVISIBLE_ALLOWED, *INVISIBLE_OR_FORBIDDEN
        );
        let edge = format!("[^{}]", *WHITE_OR_FORBIDDEN);
        let inner: &str = if single_line {
            &FORBIDDEN_OR_BREAK
        } else {
            &FORBIDDEN
        };
        let inner = format!("[^{inner}]");
        let least = min.max(1);
        let body = match max {
            0 => String::new(),
            1 => format!("{visible}{edge}"),
            _ if least == 1 => format!("{visible}{edge}(?:{inner}{{0,{}}}{edge})?", max - 2),
            _ => format!("{visible}{edge}{inner}{{{},{}}}{edge}", least - 2, max - 2),
        };
        let optional = if min == 0 { "?" } else { "" };
        format!("^[{ends}]*(?:{body}){optional}[{ends}]*$")
    }

    /// White space only (a value that means "none"), or what `pattern` accepts.
    pub fn blank_or(pattern: &str) -> String {
        format!("^[{}]*$|{pattern}", *WHITE)
    }

    /// What `phone` accepts.
    pub fn phone() -> String {
        let ends = &*WHITE;
        format!("^[{ends}]*[ +().x\\-]*(?:[0-9][ +().x\\-]*){{7,20}}[{ends}]*$")
    }

    /// A charity number as `CharityNumber` reads it (white space and hyphens anywhere left out),
    /// except its check digit, which no pattern can state.
    pub fn charity_number() -> String {
        let x = format!("[{}\\-]*", *WHITE);
        format!("^{x}(?:[0-9]{x}){{9}}[Rr]{x}[Rr]{x}(?:[0-9]{x}){{4}}$")
    }

    /// An address as `Website` reads it, as far as a pattern can say: `http://` or `https://`
    /// (or neither: `https://` is assumed), a host without the characters no host may hold, then
    /// an optional port and path. Whether the host is a valid internationalized name is the URL
    /// parser's to say.
    pub fn website() -> String {
        // 0 to 65535, or nothing.
        const PORT: &str =
            "(?:[0-9]{0,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
        let (ends, host, rest) = (&*WHITE, &*NOT_IN_HOST, &*CONTROL);
        format!(
            "^[{ends}]*(?:[Hh][Tt][Tt][Pp][Ss]?://)?[^{host}]+(?::0*{PORT})?(?:[/?#][^{rest}]*)?[{ends}]*$"
        )
    }

    #[cfg(test)]
    mod tests {
        use super::super::{CharityNumber, line, phone as check_phone, text as check_text};
        use super::*;

        /// Values around every edge of the rules: white space of each kind, forbidden and
        /// invisible characters, line breaks, lengths on both sides of the bounds.
        fn samples() -> Vec<String> {
            let pieces = [
                "",
                "a",
                "é",
                "ab",
                "abcd",
                "abcde",
                "\u{1F600}",
                " ",
                "\t",
                "\n",
                "\u{B}",
                "\u{85}",
                "\u{A0}",
                "\u{3000}",
                "\u{0}",
                "\u{1F}",
                "\u{7F}",
                "\u{202E}",
                "\u{200B}",
                "\u{FEFF}",
                "\u{E0041}",
                "\u{3164}",
                "x\ny",
                "x\u{2028}y",
            ];
            let mut samples = Vec::new();
            for a in pieces {
                for b in pieces {
                    for c in pieces {
                        samples.push(format!("{a}{b}{c}"));
                    }
                }
            }
            samples.extend(["a".repeat(9), "a".repeat(10), "a".repeat(11)]);
            samples
                .extend([" 514 555-0100 ", "+1 (514) 555-0100 x12", "123456"].map(str::to_owned));
            samples.push("1".repeat(21));
            samples
        }

        fn agree(pattern: &str, check: impl Fn(&str) -> bool) {
            let regex = fancy_regex::Regex::new(pattern).expect("the pattern compiles");
            for sample in samples() {
                assert_eq!(
                    regex.is_match(&sample).unwrap(),
                    check(&sample),
                    "{sample:?} against {pattern}"
                );
            }
        }

        #[test]
        fn patterns_accept_what_the_checks_accept() {
            for (min, max) in [(0, 1), (1, 1), (1, 3), (2, 5), (0, 4), (10, 10)] {
                agree(&text(min, max, false, Ends::Allowed), |s| {
                    check_text(s, min, max).is_ok()
                });
                agree(&text(min, max, true, Ends::Allowed), |s| {
                    line(s, min, max).is_ok()
                });
                agree(&blank_or(&text(min, max, true, Ends::Any)), |s| {
                    s.trim().is_empty() || line(s.trim(), min, max).is_ok()
                });
            }
            agree(&phone(), |s| check_phone(s).is_ok());
            let charity = fancy_regex::Regex::new(&charity_number()).unwrap();
            for (number, well_formed) in [
                ("123456782RR0001", true),
                (" 123 456 782-rr-0001 ", true),
                ("12345678RR0001", false),
                ("123456782RC0001", false),
            ] {
                assert_eq!(charity.is_match(number).unwrap(), well_formed, "{number}");
            }
            assert!(
                CharityNumber::parse("123456782RR0001").is_ok(),
                "a valid example"
            );
            agree(&blank_or(&phone()), |s| {
                s.trim().is_empty() || check_phone(s).is_ok()
            });
        }
    }
}

/// Deserializes a field that may be absent (`None`), `null` (`Some(None)`) or set.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Deserializes a field that may be absent (`None`) but not `null`: `null` on a field that cannot
/// be empty is an error, not a silent no-op.
pub fn non_null<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Reads an optional whole-number query parameter, where `12.0` (or `1.2e1`) is 12 as in a JSON
/// body (see `state::parse_json`); for `#[serde(default, deserialize_with = "whole_number")]`.
pub fn whole_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    use serde::Deserialize;
    let raw = String::deserialize(deserializer)?;
    let whole = raw
        .parse::<f64>()
        .ok()
        .filter(|v| raw.contains(['.', 'e', 'E']) && v.fract() == 0.0 && v.abs() <= 9.0e15)
        // `as` is exact here: the value is whole and far within i64.
        .map(|v| (v as i64).to_string());
    match whole.as_deref().unwrap_or(&raw).parse::<T>() {
        Ok(value) => Ok(Some(value)),
        Err(_) => raw.parse::<T>().map(Some).map_err(serde::de::Error::custom),
    }
}

/// A page of results with the cursor for the next one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charity_numbers_need_format_and_check_digit() {
        let valid = (0..1_000_000_000u64)
            .step_by(7_919)
            .map(|n| format!("{n:09}"))
            .find(|bn| luhn_valid(bn.as_bytes()))
            .unwrap();
        assert!(CharityNumber::parse(&format!("{valid}RR0001")).is_ok());
        assert!(
            CharityNumber::parse(&format!("{valid} rr 0001")).is_ok(),
            "spaces and case"
        );
        let mut broken = valid.into_bytes();
        broken[8] = b'0' + (broken[8] - b'0' + 1) % 10;
        let broken = String::from_utf8(broken).unwrap();
        assert!(
            CharityNumber::parse(&format!("{broken}RR0001"))
                .unwrap_err()
                .code
                == Invalid::CharityCheckDigit
        );
        assert!(
            CharityNumber::parse("12345678RR0001").unwrap_err().code
                == Invalid::InvalidCharityNumber
        );
        assert!(
            CharityNumber::parse("123456789RC0001").is_err(),
            "RC is a corporate account"
        );
    }

    #[test]
    fn luhn_matches_known_values() {
        assert!(luhn_valid(b"79927398713"));
        assert!(!luhn_valid(b"79927398710"));
    }

    #[test]
    fn provinces_are_canadian() {
        assert_eq!(Province::parse(" qc ").unwrap().as_str(), "QC");
        assert_eq!(
            Province::parse("NY").unwrap_err().params["value"],
            serde_json::json!("NY")
        );
    }

    #[test]
    fn common_passwords_are_refused() {
        for weak in ["password123", "qwertyuiop", "1234567890", "iloveyou12"] {
            assert!(Password::parse(weak, &[]).is_err(), "{weak} accepted");
        }
        assert!(
            Password::parse("short1!", &[]).unwrap_err().params["min"] == serde_json::json!(10)
        );
        assert!(Password::parse("violet-tractor-harbour", &[]).is_ok());
    }

    #[test]
    fn text_refuses_hidden_characters() {
        assert!(text("a\u{0}b", 0, 10).is_err());
        assert!(text("abc\u{202E}def", 0, 10).is_err());
        assert_eq!(text("  two\nlines ", 0, 20).unwrap(), "two\nlines");
        assert!(line("two\nlines", 0, 20).is_err());
    }

    #[test]
    fn text_made_of_invisible_characters_is_empty() {
        for blank in [
            "\u{200B}",
            "\u{3164}\u{3164}",
            "\u{FEFF} \u{2060}",
            "\u{00AD}\u{034F}",
        ] {
            assert!(line(blank, 1, 100).is_err(), "{blank:?}");
        }
        assert_eq!(line("Ana\u{200D}", 1, 100).unwrap(), "Ana\u{200D}");
        assert!(Email::parse("ana\u{202E}@example.org").is_err());
        assert!(Email::parse("ana\u{200F}@example.org").is_err());
        assert!(Email::parse("ana\u{200B}@example.org").is_err());
    }

    #[test]
    fn emails_are_lowercased() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        assert!(Email::parse("not-an-email").is_err());
        assert!(Email::parse("a@localhost").is_err());
    }

    #[test]
    fn websites_get_a_scheme() {
        assert_eq!(
            Website::parse("example.org").unwrap().as_str(),
            "https://example.org/"
        );
        assert!(Website::parse("javascript:alert(1)").is_err());
    }
}

/// Keyset pagination: the cursor is the opaque form of the last id returned.
/// Lists page by the last id returned; search pages by offset.
pub mod cursor {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn wrap(prefix: &str, value: i64) -> String {
        URL_SAFE_NO_PAD.encode(format!("{prefix}:{value}"))
    }

    fn unwrap(prefix: &str, cursor: &str) -> Result<i64, String> {
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_prefix(prefix)?.strip_prefix(':')?.parse().ok())
            .ok_or_else(|| "is not a cursor returned by this API".to_owned())
    }

    pub fn encode(last_id: i64) -> String {
        wrap("id", last_id)
    }

    pub fn decode(cursor: &str) -> Result<i64, String> {
        unwrap("id", cursor)
    }

    pub fn encode_offset(offset: usize) -> String {
        wrap("offset", i64::try_from(offset).unwrap_or(i64::MAX))
    }

    /// An offset cursor, refused past `max`.
    pub fn decode_offset(cursor: &str, max: usize) -> Result<usize, String> {
        unwrap("offset", cursor)
            .ok()
            .and_then(|offset| usize::try_from(offset).ok())
            .filter(|offset| *offset <= max)
            .ok_or_else(|| "is not a cursor returned by this API".to_owned())
    }

    #[test]
    fn round_trips() {
        assert_eq!(decode(&encode(42)), Ok(42));
        assert!(decode("garbage!").is_err());
        assert_eq!(decode_offset(&encode_offset(40), 1_000), Ok(40));
        assert!(decode_offset(&encode_offset(4_000), 1_000).is_err());
        assert!(
            decode_offset(&encode(40), 1_000).is_err(),
            "an id cursor is not an offset"
        );
    }
}

/// Page size: `limit` between 1 and 100, default 20.
pub fn page_limit(limit: Option<u64>) -> Result<u64, String> {
    match limit {
        None => Ok(20),
        Some(n @ 1..=100) => Ok(n),
        Some(_) => Err("must be between 1 and 100".to_owned()),
    }
}
