//! What a member reads of their organizations' partnerships: lists, one partnership, and the view
//! of it from one side (the counterpart, its contact once shared, the steps that side may take).

use chrono::{DateTime, Utc};
use entity::{PostingKind, Verification, app_user, organization, partnership, posting};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, Status, StepKind, forbidden, is_pending, load_for, shares_contact};
use crate::domain::organizations::{member_org_ids, paginate};
use crate::domain::types::Page;
use crate::error::{AppError, AppResult};

/// Which partnerships of an organization to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Proposed by the organization.
    Sent,
    /// Proposed to the organization.
    Received,
    #[default]
    All,
}

/// Filters of `GET /partnerships`.
#[derive(Debug, Clone, Default)]
pub struct PartnershipFilter {
    pub direction: Direction,
    pub status: Option<Status>,
    /// One of the caller's organizations; all of them when `None`.
    pub organization_id: Option<i64>,
    pub after: Option<i64>,
    pub limit: u64,
}

/// The organizations a listing looks from: the one asked for (if the caller belongs to it), or
/// all of the caller's.
pub async fn perspective(
    db: &impl ConnectionTrait,
    user_id: i64,
    organization_id: Option<i64>,
) -> AppResult<Vec<i64>> {
    let mine = member_org_ids(db, user_id).await?;
    match organization_id {
        None => Ok(mine),
        Some(id) if mine.contains(&id) => Ok(vec![id]),
        Some(id) => Err(forbidden(format!(
            "You are not a member of organization {id}."
        ))),
    }
}

/// One page of the partnerships of the organizations in `orgs`, newest first.
pub async fn list(
    db: &DatabaseConnection,
    orgs: &[i64],
    filter: &PartnershipFilter,
) -> AppResult<Page<partnership::Model>> {
    use partnership::Column as C;
    let sent = Condition::all().add(C::ProposerOrgId.is_in(orgs.to_vec()));
    let received = Condition::any()
        .add(
            Condition::all()
                .add(C::NeedOrgId.is_in(orgs.to_vec()))
                .add(Expr::col(C::ProposerOrgId).ne(Expr::col(C::NeedOrgId))),
        )
        .add(
            Condition::all()
                .add(C::OfferOrgId.is_in(orgs.to_vec()))
                .add(Expr::col(C::ProposerOrgId).ne(Expr::col(C::OfferOrgId))),
        );
    let mut query = partnership::Entity::find()
        .filter(match filter.direction {
            Direction::Sent => sent,
            Direction::Received => received,
            Direction::All => Condition::any().add(sent).add(received),
        })
        .order_by_desc(C::Id)
        .limit(filter.limit + 1);
    if let Some(status) = filter.status {
        query = query.filter(C::Status.eq(status));
    }
    if let Some(after) = filter.after {
        query = query.filter(C::Id.lt(after));
    }
    let mut items = query.all(db).await?;
    Ok(paginate(&mut items, filter.limit, |p| p.id))
}

/// A partnership of one of the caller's organizations.
pub async fn get(db: &DatabaseConnection, user_id: i64, id: i64) -> AppResult<partnership::Model> {
    let my_orgs = member_org_ids(db, user_id).await?;
    load_for(db, &my_orgs, id).await
}

/// A partnership with what its reader needs to see around it, from one organization's side.
#[derive(Debug, Clone)]
pub struct PartnershipView {
    pub partnership: partnership::Model,
    pub need: posting::Model,
    pub offer: posting::Model,
    /// The reader's side: `need` when they published the need.
    pub side: PostingKind,
    /// The other organization.
    pub counterpart: organization::Model,
    /// The counterpart's person to talk to (who proposed, or who accepted), when contact details
    /// are shared; `None` otherwise.
    pub counterpart_person: Option<app_user::Model>,
    /// Whether the reader's organization is verified.
    pub own_verified: bool,
}

/// Why a partnership's contact details are not shown (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactWithheld {
    /// Both sides have not said yes (or the partnership ended without it).
    NotAgreed,
    /// Your organization is not verified yet.
    YouUnverified,
    /// The other organization is not verified yet.
    PartnerUnverified,
    /// Neither organization is verified yet.
    BothUnverified,
}

impl ContactWithheld {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAgreed => "not_agreed",
            Self::YouUnverified => "you_unverified",
            Self::PartnerUnverified => "partner_unverified",
            Self::BothUnverified => "both_unverified",
        }
    }
}

/// Why contact details are withheld between two organizations at a partnership's status, or
/// `None` when they are shared: once both said yes, and only between verified organizations
/// (an organization nobody has checked yet collects no one's email or phone).
pub fn contact_withheld(
    status: Status,
    own_verified: bool,
    partner_verified: bool,
) -> Option<ContactWithheld> {
    if !shares_contact(status) {
        return Some(ContactWithheld::NotAgreed);
    }
    match (own_verified, partner_verified) {
        (true, true) => None,
        (false, true) => Some(ContactWithheld::YouUnverified),
        (true, false) => Some(ContactWithheld::PartnerUnverified),
        (false, false) => Some(ContactWithheld::BothUnverified),
    }
}

impl PartnershipView {
    /// Whether the reader's organization proposed it.
    pub fn sent(&self) -> bool {
        let mine = match self.side {
            PostingKind::Need => self.partnership.need_org_id,
            PostingKind::Offer => self.partnership.offer_org_id,
        };
        self.partnership.proposer_org_id == mine
    }

    /// Whether the counterpart's contact details are shown.
    pub fn shares_contact(&self) -> bool {
        self.contact_withheld().is_none()
    }

    /// Why the counterpart's contact details are not shown, if they are not.
    pub fn contact_withheld(&self) -> Option<ContactWithheld> {
        contact_withheld(
            self.partnership.status,
            self.own_verified,
            self.counterpart.verification == Verification::Verified,
        )
    }

    /// The steps the reader's organization may take now, the ones `transition` would accept.
    pub fn steps(&self, now: DateTime<Utc>) -> Vec<StepKind> {
        let p = &self.partnership;
        if p.status == Status::Proposed && !is_pending(p, now) {
            return Vec::new();
        }
        StepKind::ALL
            .into_iter()
            .filter(|kind| kind.from().contains(&p.status))
            .filter(|kind| match kind.actor() {
                Actor::Receiver => !self.sent(),
                Actor::Proposer => self.sent(),
                Actor::NeedSide => self.side == PostingKind::Need,
                Actor::Either => true,
            })
            .collect()
    }
}

/// Loads the postings, organizations and people around each partnership, seen from `orgs`.
pub async fn describe(
    db: &impl ConnectionTrait,
    orgs: &[i64],
    items: Vec<partnership::Model>,
) -> AppResult<Vec<PartnershipView>> {
    let posting_ids: Vec<i64> = items.iter().flat_map(|p| [p.need_id, p.offer_id]).collect();
    let org_ids: Vec<i64> = items
        .iter()
        .flat_map(|p| [p.need_org_id, p.offer_org_id])
        .collect();
    let postings = posting::Entity::find()
        .filter(posting::Column::Id.is_in(posting_ids))
        .all(db)
        .await?;
    let organizations = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    let verified = |id: i64| {
        organizations
            .iter()
            .any(|o| o.id == id && o.verification == Verification::Verified)
    };
    let sides: Vec<(PostingKind, Option<i64>)> = items
        .iter()
        .map(|p| {
            let side = if orgs.contains(&p.need_org_id) {
                PostingKind::Need
            } else {
                PostingKind::Offer
            };
            // The counterpart's person: whoever spoke for the other organization.
            let (own_org, counterpart_org) = match side {
                PostingKind::Need => (p.need_org_id, p.offer_org_id),
                PostingKind::Offer => (p.offer_org_id, p.need_org_id),
            };
            let person = if counterpart_org == p.proposer_org_id {
                p.proposer_user_id
            } else {
                p.responder_user_id
            };
            let shared =
                contact_withheld(p.status, verified(own_org), verified(counterpart_org)).is_none();
            (side, person.filter(|_| shared))
        })
        .collect();
    let people = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(sides.iter().filter_map(|(_, person)| *person)))
        .all(db)
        .await?;
    let missing = |what: &str, id: i64| AppError::from(anyhow::anyhow!("{what} {id} vanished"));
    let mut views = Vec::with_capacity(items.len());
    for (partnership, (side, person)) in items.into_iter().zip(sides) {
        let find_posting = |id: i64| {
            postings
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or_else(|| missing("posting", id))
        };
        let (own_id, counterpart_id) = match side {
            PostingKind::Need => (partnership.need_org_id, partnership.offer_org_id),
            PostingKind::Offer => (partnership.offer_org_id, partnership.need_org_id),
        };
        views.push(PartnershipView {
            need: find_posting(partnership.need_id)?,
            offer: find_posting(partnership.offer_id)?,
            side,
            counterpart: organizations
                .iter()
                .find(|o| o.id == counterpart_id)
                .cloned()
                .ok_or_else(|| missing("organization", counterpart_id))?,
            counterpart_person: person.and_then(|id| people.iter().find(|u| u.id == id).cloned()),
            own_verified: verified(own_id),
            partnership,
        });
    }
    Ok(views)
}
