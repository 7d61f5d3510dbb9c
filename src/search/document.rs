//! Turning database records into index documents.

use entity::{Language, PostingKind, PostingStatus, Verification, organization, posting};
use tantivy::{DateTime, TantivyDocument};

use super::schema::Fields;
use super::synonyms::Synonyms;

/// The delete key of a record.
pub fn key(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

pub fn posting_key(id: i64) -> String {
    key("posting", id)
}

pub fn organization_key(id: i64) -> String {
    key("organization", id)
}

/// Only open postings that no administrator hid, of organizations that were not rejected, can be
/// found.
pub fn posting_is_public(posting: &posting::Model, org: &organization::Model) -> bool {
    posting.status == PostingStatus::Open
        && posting.hidden_at.is_none()
        && org.verification != Verification::Rejected
}

pub fn organization_is_public(org: &organization::Model) -> bool {
    org.verification != Verification::Rejected
}

fn date(value: chrono::DateTime<chrono::Utc>) -> DateTime {
    DateTime::from_timestamp_micros(value.timestamp_micros())
}

/// "No expiry": 2200-01-01, after every real date (tantivy dates are i64 nanoseconds, which end
/// in 2262).
fn never() -> DateTime {
    DateTime::from_timestamp_secs(7_258_118_400)
}

pub fn posting_doc(
    f: &Fields,
    p: &posting::Model,
    org: &organization::Model,
    synonyms: &Synonyms,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, posting_key(p.id));
    doc.add_text(
        f.kind,
        match p.kind {
            PostingKind::Need => "need",
            PostingKind::Offer => "offer",
        },
    );
    doc.add_i64(f.db_id, p.id);
    doc.add_i64(f.version, i64::from(p.version));
    doc.add_text(f.title, &p.title);
    doc.add_text(f.body, &p.description);
    // The stemmed field of the posting's language holds its title and description: one BM25 over
    // the whole text, as a reader sees it. The taxonomy reaches it through its tags, query-time
    // synonyms and the concepts its text names.
    let (stemmed, _) = f.stemmed(p.language);
    let text = format!("{}\n{}", p.title, p.description);
    add_named(&mut doc, f, synonyms, &text, &[p.language]);
    doc.add_text(stemmed, text);
    doc.add_text(f.org_name, &org.name);
    doc.add_i64(f.organization_id, org.id);
    doc.add_text(f.category, &p.category);
    for skill in &p.skills.0 {
        doc.add_text(f.skills, skill);
    }
    doc.add_text(f.province, p.province.as_deref().unwrap_or("none"));
    doc.add_text(f.org_kind, org.kind.as_str());
    doc.add_text(f.remote, if p.remote { "true" } else { "false" });
    doc.add_text(f.verified, verified(org));
    doc.add_text(f.language, p.language.as_str());
    for cause in &org.cause_areas.0 {
        doc.add_text(f.cause_areas, cause);
    }
    doc.add_date(f.expires_at, p.expires_at.map_or_else(never, date));
    doc.add_date(f.updated_at, date(p.updated_at));
    if let Some(value) = p.value_cad {
        doc.add_i64(f.value_cad, value);
    }
    if p.kind == entity::PostingKind::Offer {
        let rules = p.eligibility.clone().unwrap_or_default();
        let mut add = |field, values: Vec<String>| {
            if values.is_empty() {
                doc.add_text(field, ANY);
            }
            for value in values {
                doc.add_text(field, value);
            }
        };
        add(
            f.elig_kinds,
            rules
                .org_kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
        );
        add(f.elig_provinces, rules.provinces.clone());
        add(f.elig_causes, rules.cause_areas.clone());
        let charity = if rules.requires_charity_number {
            "required"
        } else {
            ANY
        };
        doc.add_text(f.elig_charity, charity);
    }
    doc
}

/// The term of an eligibility rule that names nothing: anyone passes it.
pub const ANY: &str = "any";

/// The taxonomy codes a text names, whatever words it uses (`hunger` names food security): a
/// query that names the same concept in other words, or in the other language, finds it.
fn add_named(
    doc: &mut TantivyDocument,
    f: &Fields,
    synonyms: &Synonyms,
    text: &str,
    languages: &[Language],
) {
    for concept in synonyms.concepts_in(text, languages) {
        doc.add_text(f.named, concept.code);
    }
}

pub fn organization_doc(
    f: &Fields,
    org: &organization::Model,
    synonyms: &Synonyms,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, organization_key(org.id));
    doc.add_text(f.kind, "organization");
    doc.add_i64(f.db_id, org.id);
    doc.add_i64(f.version, i64::from(org.version));
    doc.add_text(f.title, &org.name);
    doc.add_text(f.body, &org.description);
    // Its name and description are stemmed in each language it works in (both when it names
    // none). Stemmed in a language it does not write, a text matches that language's queries on
    // its words as typed only, which counted those twice (NDCG@10 0.253 against 0.257 in English).
    let text = format!("{}\n{}", org.name, org.description);
    let languages: Vec<Language> = [Language::En, Language::Fr]
        .into_iter()
        .filter(|language| {
            org.languages.0.is_empty() || org.languages.0.iter().any(|l| l == language.as_str())
        })
        .collect();
    add_named(&mut doc, f, synonyms, &text, &languages);
    for language in languages {
        doc.add_text(f.stemmed(language).0, &text);
    }
    doc.add_text(f.org_name, &org.name);
    doc.add_i64(f.organization_id, org.id);
    doc.add_text(f.category, "none");
    doc.add_text(f.province, &org.province);
    doc.add_text(f.org_kind, org.kind.as_str());
    doc.add_text(f.remote, "false");
    doc.add_text(f.verified, verified(org));
    doc.add_text(
        f.language,
        org.languages.0.first().map_or("en", String::as_str),
    );
    for cause in &org.cause_areas.0 {
        doc.add_text(f.cause_areas, cause);
    }
    doc.add_date(f.expires_at, never());
    doc.add_date(f.updated_at, date(org.updated_at));
    doc
}

/// The `verified` term of an organization's documents.
fn verified(org: &organization::Model) -> &'static str {
    if org.verification == Verification::Verified {
        "true"
    } else {
        "false"
    }
}
