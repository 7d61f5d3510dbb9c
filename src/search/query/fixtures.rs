//! The small bilingual index the unit tests of `query` search: a few texts in English and French,
//! each several times, as needs and offers of two organizations, some expired.

use entity::{
    Language, OrgKind, PostingKind, PostingStatus, StringList, Verification, organization, posting,
};
use tantivy::Searcher;

use super::text::{TextQuery, text_query};
use crate::domain::taxonomy::Taxonomy;
use crate::search::{Record, SearchHandle, build_from};

const TEXTS: &[(&str, &str, Language, &str)] = &[
    (
        "Refurbished laptops for our homework club",
        "Twelve laptops for the youth homework club, with office software installed.",
        Language::En,
        "hardware",
    ),
    (
        "Cybersecurity awareness training for nonprofit staff",
        "Four remote sessions on phishing, passwords and safe remote work.",
        Language::En,
        "cybersecurity",
    ),
    (
        "Formation en cybersécurité pour nos intervenants",
        "Une formation sur l'hameçonnage et les mots de passe pour huit intervenantes.",
        Language::Fr,
        "cybersecurity",
    ),
    (
        "Refonte de notre site web",
        "Notre site web date de 2012; nous cherchons une refonte bilingue et accessible.",
        Language::Fr,
        "website",
    ),
    (
        "A new website for the food bank",
        "Our e-mail list and website need a refresh before the winter drive.",
        Language::En,
        "website",
    ),
    (
        "Data analysis of our volunteer programs",
        "Help us measure what our volunteer programs change for the families we serve.",
        Language::En,
        "data",
    ),
    (
        "Bénévoles pour l'aide aux devoirs",
        "Des bénévoles pour l'aide aux devoirs des jeunes, deux soirs par semaine.",
        Language::Fr,
        "hardware",
    ),
];

fn organization(id: i64) -> organization::Model {
    organization::Model {
        id,
        name: format!("Banque alimentaire {id}"),
        kind: OrgKind::Nonprofit,
        description: "Food bank and homework help in Montréal".into(),
        website: None,
        province: "QC".into(),
        city: None,
        languages: StringList(vec!["fr".into(), "en".into()]),
        cause_areas: StringList(Vec::new()),
        size: None,
        charity_number: None,
        verification: Verification::Verified,
        verified_at: None,
        contact_email: None,
        contact_phone: None,
        version: 1,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    }
}

/// Each text several times, as needs and offers of two organizations.
pub(super) fn index(dir: &std::path::Path) -> SearchHandle {
    let orgs = [organization(1), organization(2)];
    let postings: Vec<posting::Model> = (0..TEXTS.len() * 6)
        .map(|n| {
            let (title, description, language, category) = TEXTS[n % TEXTS.len()];
            posting::Model {
                id: n as i64 + 1,
                organization_id: (n % 2) as i64 + 1,
                kind: if n % 3 == 0 {
                    PostingKind::Offer
                } else {
                    PostingKind::Need
                },
                title: title.into(),
                description: format!("{description} {}", "Merci. ".repeat(n % 4)),
                language,
                category: category.into(),
                skills: StringList(Vec::new()),
                province: Some("QC".into()),
                remote: n % 2 == 0,
                quantity: 1,
                value_cad: (n % 3 != 1).then_some(n as i64 * 500),
                hours: None,
                starts_on: None,
                ends_on: None,
                // Some have expired, but the expiry job has not closed them yet; some close soon.
                expires_at: match n % 5 {
                    4 => Some(chrono::Utc::now() - chrono::Duration::days(1)),
                    2 => Some(chrono::Utc::now() + chrono::Duration::days(7)),
                    3 => Some(chrono::Utc::now() + chrono::Duration::days(40)),
                    _ => None,
                },
                status: PostingStatus::Open,
                // Offers with each kind of rule, and without.
                eligibility: match n % 4 {
                    0 => Some(entity::Eligibility {
                        org_kinds: vec![OrgKind::Company],
                        ..Default::default()
                    }),
                    1 => Some(entity::Eligibility {
                        provinces: vec!["ON".into()],
                        cause_areas: vec!["youth".into()],
                        ..Default::default()
                    }),
                    2 => Some(entity::Eligibility {
                        requires_charity_number: true,
                        ..Default::default()
                    }),
                    _ => None,
                },
                unit: entity::PostingUnit::Items,
                filled_by_one: false,
                hidden_code: None,
                hidden_reason: None,
                hidden_at: None,
                closing_note: None,
                version: 1,
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
            }
        })
        .collect();
    let records = orgs.iter().map(Record::Organization).chain(
        postings
            .iter()
            .map(|p| Record::Posting(p, &orgs[p.organization_id as usize - 1])),
    );
    build_from(dir, &Taxonomy::builtin().unwrap(), records).unwrap()
}

pub(super) const QUERIES: &[&str] = &[
    "laptops",
    "homework club",
    "cybersécurité formation",
    "cybersecurite",
    "website refonte",
    "e-mail",
    "l'aide aux devoirs",
    "volunteer programs families",
    "food bank",
    // Only in the organizations' names, which postings carry in `org_name` alone.
    "alimentaire",
    "the",
];

pub(super) fn text(handle: &SearchHandle, searcher: &Searcher, q: &str) -> Option<TextQuery> {
    let f = &handle.fields;
    text_query(&handle.index, searcher, f, &handle.synonyms, q, true)
}
