//! Open data, read in batches so a feed streams without holding every record: completed
//! partnerships that both organizations agreed to list, as 360Giving grants (Data Standard 1.4),
//! and open needs and offers with their taxonomy codes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    PartnershipStatus, PostingKind, PostingStatus, Verification, organization, partnership, posting,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::accounts::Viewer;
use super::postings::visible_to;
use super::taxonomy::Taxonomy;
use super::types::Province;
use crate::error::AppResult;

/// Records read per query.
pub const BATCH: u64 = 500;
/// The prefix of Passerelle's 360Giving identifiers (grants, and organizations without a
/// registration number).
const PREFIX: &str = "360G-passerelle";
/// The vocabulary Passerelle's taxonomy codes belong to in classifications.
pub const VOCABULARY: &str = "passerelle-taxonomy";

/// An organization's 360Giving identifier: its CRA registration number where known, else
/// Passerelle's own.
pub fn org_identifier(org: &organization::Model) -> String {
    match &org.charity_number {
        Some(number) => format!("CA-CRA_ACR-{number}"),
        None => format!("{PREFIX}-org-{}", org.id),
    }
}

fn org_json(org: &organization::Model, recipient: bool) -> Value {
    let mut value = json!({
        "id": org_identifier(org),
        "name": org.name,
        "addressRegion": org.province,
        "addressCountry": "CA",
    });
    if let Some(city) = &org.city {
        value["addressLocality"] = json!(city);
    }
    if recipient && let Some(number) = &org.charity_number {
        value["charityNumber"] = json!(number);
    }
    value
}

fn date(at: DateTime<Utc>) -> String {
    at.date_naive().format("%Y-%m-%d").to_string()
}

/// One completed partnership as a 360Giving grant: the offer's organization funds, the need's
/// receives; the value reported at completion in CAD; the taxonomy as classifications. `None`
/// when a posting is hidden or an organization rejected by an administrator.
fn grant(
    p: &partnership::Model,
    need: &posting::Model,
    offer: &posting::Model,
    orgs: &HashMap<i64, organization::Model>,
    taxonomy: &Taxonomy,
) -> Option<Value> {
    let outcome = p.outcome.as_ref()?;
    let (recipient, funder) = (orgs.get(&p.need_org_id)?, orgs.get(&p.offer_org_id)?);
    // What an administrator hid or rejected is not published, whatever the consents.
    let rejected = |o: &organization::Model| o.verification == Verification::Rejected;
    if need.hidden_at.is_some()
        || offer.hidden_at.is_some()
        || rejected(recipient)
        || rejected(funder)
    {
        return None;
    }
    let classify = |code: &str| {
        let entry = taxonomy.get(code);
        json!({
            "vocabulary": VOCABULARY,
            "code": code,
            "title": entry.map(|e| e.label_en.clone()),
        })
    };
    let mut classifications = vec![classify(&need.category)];
    classifications.extend(need.skills.0.iter().map(|s| classify(s)));
    let money = need.category == "tech_funding" || offer.category == "tech_funding";
    let (funding_code, funding_title) = if money {
        ("grant", "Grant")
    } else {
        ("in_kind", "In-kind support")
    };
    let province = need.province.as_deref().unwrap_or(&recipient.province);
    let mut value = json!({
        "id": format!("{PREFIX}-{}", p.id),
        "title": offer.title,
        "description": outcome.delivered,
        "currency": "CAD",
        "amountAwarded": outcome.value_cad,
        "awardDate": date(p.responded_at.unwrap_or(p.created_at)),
        "recipientOrganization": [org_json(recipient, true)],
        "fundingOrganization": [org_json(funder, false)],
        "beneficiaryLocation": [{
            "name": Province::name(province, entity::Language::En),
            "countryCode": "CA",
        }],
        "classifications": classifications,
        "fundingType": [{
            "vocabulary": "passerelle-support",
            "code": funding_code,
            "title": funding_title,
        }],
        "fromOpenCall": if p.program_id.is_some() { "Yes" } else { "No" },
        "dateModified": p.updated_at.to_rfc3339(),
    });
    if let (Some(started), Some(completed)) = (p.started_at, p.completed_at) {
        value["actualDates"] = json!([{
            "startDate": date(started),
            "endDate": date(completed),
        }]);
    }
    Some(value)
}

/// The grants after partnership `after` (by id), at most `BATCH`, and the last id read (`None`
/// when there is no more).
pub async fn grants_after(
    db: &impl ConnectionTrait,
    taxonomy: &Taxonomy,
    after: i64,
) -> AppResult<(Vec<Value>, Option<i64>)> {
    use partnership::Column as C;
    let rows = partnership::Entity::find()
        .filter(C::Id.gt(after))
        .filter(C::Status.eq(PartnershipStatus::Completed))
        .filter(C::NeedPublic.eq(true))
        .filter(C::OfferPublic.eq(true))
        .order_by_asc(C::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let Some(last) = rows.last().map(|p| p.id) else {
        return Ok((Vec::new(), None));
    };
    let posting_ids: Vec<i64> = rows.iter().flat_map(|p| [p.need_id, p.offer_id]).collect();
    let postings: HashMap<i64, posting::Model> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(posting_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let org_ids: Vec<i64> = rows
        .iter()
        .flat_map(|p| [p.need_org_id, p.offer_org_id])
        .collect();
    let orgs = organizations_by_id(db, org_ids).await?;
    let grants = rows
        .iter()
        .filter_map(|p| {
            grant(
                p,
                postings.get(&p.need_id)?,
                postings.get(&p.offer_id)?,
                &orgs,
                taxonomy,
            )
        })
        .collect();
    Ok((grants, Some(last)))
}

async fn organizations_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> AppResult<HashMap<i64, organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// An open need or offer as open data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenPosting {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub language: entity::Language,
    /// Taxonomy category code.
    pub category: String,
    /// Taxonomy skill codes.
    pub skills: Vec<String>,
    /// Two-letter province or territory code.
    pub province: Option<String>,
    pub remote: bool,
    pub quantity: i32,
    pub unit: entity::PostingUnit,
    pub value_cad: Option<i64>,
    pub hours: Option<i32>,
    pub organization_id: i64,
    pub organization_name: String,
    /// The organization's 360Giving-style identifier (`CA-CRA_ACR-…` where known).
    pub organization_identifier: String,
    pub posted_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Open needs or offers after posting `after` (by id) that anyone may see, at most `BATCH`, and
/// the last id read.
pub async fn postings_after(
    db: &impl ConnectionTrait,
    kind: PostingKind,
    after: i64,
) -> AppResult<(Vec<OpenPosting>, Option<i64>)> {
    use posting::Column as C;
    let rows = posting::Entity::find()
        .filter(C::Id.gt(after))
        .filter(C::Kind.eq(kind))
        .filter(C::Status.eq(PostingStatus::Open))
        .filter(visible_to(&Viewer::default()))
        .order_by_asc(C::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let Some(last) = rows.last().map(|p| p.id) else {
        return Ok((Vec::new(), None));
    };
    let orgs = organizations_by_id(db, rows.iter().map(|p| p.organization_id).collect()).await?;
    let items = rows
        .into_iter()
        .filter_map(|p| {
            let org = orgs.get(&p.organization_id)?;
            Some(OpenPosting {
                id: p.id,
                title: p.title,
                description: p.description,
                language: p.language,
                category: p.category,
                skills: p.skills.0,
                province: p.province,
                remote: p.remote,
                quantity: p.quantity,
                unit: p.unit,
                value_cad: p.value_cad,
                hours: p.hours,
                organization_id: org.id,
                organization_name: org.name.clone(),
                organization_identifier: org_identifier(org),
                posted_at: p.created_at,
                expires_at: p.expires_at,
            })
        })
        .collect();
    Ok((items, Some(last)))
}
