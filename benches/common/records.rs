//! Rows the benchmark programs generate: an organization and a posting with every field a test
//! corpus does not vary set to a plain default, for struct-update syntax
//! (`posting::Model { title, ..records::posting(id, organization_id, kind) }`).

use chrono::Utc;
use entity::{
    Language, OrgKind, PostingKind, PostingStatus, StringList, Verification, organization, posting,
};

/// Canada's provinces and territories, by their postal codes.
pub const PROVINCES: [&str; 13] = [
    "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
];

/// A verified organization working in English and French, with no contact details.
pub fn organization(id: i64, name: &str, kind: OrgKind, province: &str) -> organization::Model {
    let now = Utc::now();
    organization::Model {
        id,
        name: name.to_owned(),
        kind,
        description: String::new(),
        website: None,
        province: province.to_owned(),
        city: None,
        languages: StringList(vec!["en".into(), "fr".into()]),
        cause_areas: StringList(Vec::new()),
        size: None,
        charity_number: None,
        verification: Verification::Verified,
        verified_at: None,
        contact_email: None,
        contact_phone: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// An open, remote, English posting with an empty text, a quantity of 10 and no rules.
pub fn posting(id: i64, organization_id: i64, kind: PostingKind) -> posting::Model {
    let now = Utc::now();
    posting::Model {
        id,
        organization_id,
        kind,
        title: String::new(),
        description: String::new(),
        language: Language::En,
        category: String::new(),
        skills: StringList(Vec::new()),
        province: None,
        remote: true,
        quantity: 10,
        value_cad: None,
        hours: None,
        starts_on: None,
        ends_on: None,
        expires_at: None,
        status: PostingStatus::Open,
        eligibility: None,
        unit: entity::PostingUnit::Items,
        filled_by_one: false,
        hidden_code: None,
        hidden_reason: None,
        hidden_at: None,
        closing_note: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}
