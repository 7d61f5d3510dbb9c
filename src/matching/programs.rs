//! Matching for programs: the fit of an applicant's need against a component (each unit's value
//! in an allocation), and the best-fitting eligible organizations that have not applied, for the
//! team to invite.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{PostingKind, Verification, organization, posting};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::domain::programs;
use crate::domain::taxonomy::Taxonomy;
use crate::error::AppResult;
use crate::search::{SearchHandle, SimilarRequest};

/// Needs drawn from the index per component before the rules and the fit sort them out.
const POOL: usize = 50;

/// The fit an allocation gives each unit: the matcher's score with the texts compared.
pub fn allocation_fit<'a>(
    search: &'a SearchHandle,
    taxonomy: &'a Taxonomy,
) -> impl Fn(&posting::Model, &organization::Model, &posting::Model, &organization::Model) -> f64
+ Sync
+ 'a {
    move |need, need_org, offer, offer_org| {
        super::fit(Some(search), taxonomy, need, need_org, offer, offer_org)
    }
}

/// An organization the team may invite: its need that best fits one of the components.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub org: organization::Model,
    pub need: posting::Model,
    pub component_id: i64,
    pub fit: f64,
    /// When the team invited it, if it did.
    pub invited_at: Option<DateTime<Utc>>,
}

/// The best-fitting eligible organizations that have not applied to the program, best first.
/// For its team only: the caller has checked `view.is_team`.
pub async fn program_candidates(
    db: &DatabaseConnection,
    search: &SearchHandle,
    taxonomy: &Taxonomy,
    view: &programs::ProgramView,
    limit: usize,
) -> AppResult<Vec<Candidate>> {
    let program_id = view.program.id;
    let now = crate::domain::now();
    let offers: Vec<(i64, posting::Model)> = view
        .components
        .iter()
        .map(|c| {
            (
                c.component.id,
                programs::component_offer(&view.program, &c.component, now),
            )
        })
        .collect();
    let requests: Vec<SimilarRequest> = offers
        .iter()
        .map(|(_, offer)| SimilarRequest {
            title: offer.title.clone(),
            description: offer.description.clone(),
            language: None,
            kind: Some(PostingKind::Need),
            categories: vec![(offer.category.clone(), 1.0)],
            skills: Vec::new(),
            exclude_organization: Some(offer.organization_id),
            limit: POOL,
            text_only: false,
            with_tags: false,
        })
        .collect();
    let search_pool = search.clone();
    let found = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Vec<i64>>> {
        requests
            .iter()
            .map(|r| {
                Ok(search_pool
                    .similar_blocking(r)?
                    .iter()
                    .map(|s| s.id)
                    .collect())
            })
            .collect()
    })
    .await
    .map_err(anyhow::Error::from)??;
    let need_ids: Vec<i64> = found.iter().flatten().copied().collect();
    let needs: HashMap<i64, posting::Model> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(need_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(needs.values().map(|n| n.organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let applied = programs::applied(db, program_id).await?;
    let team = view
        .partners
        .iter()
        .map(|p| p.org.id)
        .chain([view.lead.id])
        .collect::<Vec<_>>();
    let invited: HashMap<i64, DateTime<Utc>> = programs::invitations(db, program_id)
        .await?
        .into_iter()
        .map(|i| (i.organization_id, i.created_at))
        .collect();
    let partner_of = |component_id: i64| {
        view.components
            .iter()
            .find(|c| c.component.id == component_id)
            .and_then(|c| {
                view.partners
                    .iter()
                    .find(|p| p.org.id == c.component.partner_org_id)
            })
            .map(|p| p.org.clone())
    };
    let mut best: HashMap<i64, Candidate> = HashMap::new();
    for ((component_id, offer), ids) in offers.iter().zip(&found) {
        let Some(partner) = partner_of(*component_id) else {
            continue;
        };
        for need in ids.iter().filter_map(|id| needs.get(id)) {
            let Some(org) = orgs.get(&need.organization_id) else {
                continue;
            };
            if org.verification == Verification::Rejected
                || applied.contains(&org.id)
                || team.contains(&org.id)
                || programs::eligible(&view.program, org).is_err()
            {
                continue;
            }
            let fit = super::fit(Some(search), taxonomy, need, org, offer, &partner);
            if fit > 0.0 && best.get(&org.id).is_none_or(|b| fit > b.fit) {
                best.insert(
                    org.id,
                    Candidate {
                        org: org.clone(),
                        need: need.clone(),
                        component_id: *component_id,
                        fit,
                        invited_at: invited.get(&org.id).copied(),
                    },
                );
            }
        }
    }
    let mut candidates: Vec<Candidate> = best.into_values().collect();
    candidates.sort_by(|a, b| b.fit.total_cmp(&a.fit).then(a.org.id.cmp(&b.org.id)));
    candidates.truncate(limit);
    Ok(candidates)
}
