//! `passerelle index verify`: compares the database with the index, record by record.

use std::collections::BTreeMap;

use entity::{organization, outbox, posting};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::SearchHandle;
use super::document::{self, organization_key, posting_key};

/// What differs between the database (the truth) and the index.
#[derive(Debug, Default)]
pub struct Report {
    /// Public records the index lacks.
    pub missing: Vec<String>,
    /// Documents for records that are gone or no longer public.
    pub extra: Vec<String>,
    /// Documents whose version differs from the record's: key, database, index.
    pub stale: Vec<(String, i64, i64)>,
    pub documents: usize,
    /// The last outbox id applied to the index, and the last one written.
    pub applied: i64,
    pub latest: i64,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.stale.is_empty()
    }
}

/// The version of every record that should be searchable, by key.
async fn expected(db: &DatabaseConnection) -> anyhow::Result<BTreeMap<String, i64>> {
    let orgs: BTreeMap<i64, organization::Model> = organization::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut expected: BTreeMap<String, i64> = orgs
        .values()
        .filter(|org| document::organization_is_public(org))
        .map(|org| (organization_key(org.id), i64::from(org.version)))
        .collect();
    let open = posting::Entity::find()
        .filter(posting::Column::Status.eq(entity::PostingStatus::Open))
        .all(db)
        .await?;
    for posting in open {
        if orgs
            .get(&posting.organization_id)
            .is_some_and(|org| document::posting_is_public(&posting, org))
        {
            expected.insert(posting_key(posting.id), i64::from(posting.version));
        }
    }
    Ok(expected)
}

pub async fn verify(db: &DatabaseConnection, handle: &SearchHandle) -> anyhow::Result<Report> {
    let expected = expected(db).await?;
    let indexed = {
        let handle = handle.clone();
        tokio::task::spawn_blocking(move || handle.versions()).await??
    };
    let latest = outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .one(db)
        .await?
        .map_or(0, |r| r.id);
    let mut report = Report {
        documents: indexed.len(),
        applied: handle.applied(),
        latest,
        ..Report::default()
    };
    for (key, version) in &expected {
        match indexed.get(key) {
            None => report.missing.push(key.clone()),
            Some(found) if found != version => report.stale.push((key.clone(), *version, *found)),
            Some(_) => {}
        }
    }
    report.extra = indexed
        .keys()
        .filter(|key| !expected.contains_key(*key))
        .cloned()
        .collect();
    Ok(report)
}
