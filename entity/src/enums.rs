//! String-backed enums stored as short text, so SQLite and PostgreSQL hold the same values.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a string-backed enum with the derives every stored enum needs.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
            ToSchema,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
        // utoipa reads the enum-level rename; the per-variant values below must agree (tested).
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                #[sea_orm(string_value = $value)]
                $variant
            ),+
        }

        impl $name {
            /// The stored and serialized form, e.g. `public_agency`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $value),+ }
            }

            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            /// Parses the stored form; `None` for anything else.
            pub fn parse(value: &str) -> Option<Self> {
                match value { $($value => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// What sort of organization this is.
    OrgKind { Nonprofit = "nonprofit", Charity = "charity", Company = "company", Foundation = "foundation", PublicAgency = "public_agency", Academic = "academic", CommunityGroup = "community_group" }
}

string_enum! {
    /// The common reasons for declining or withdrawing a proposal, or cancelling a partnership.
    ReasonCode { NotAFit = "not_a_fit", NoCapacity = "no_capacity", FoundAnotherPartner = "found_another_partner", NeedsChanged = "needs_changed", NoResponse = "no_response", Other = "other" }
}

string_enum! {
    /// Staff size band of an organization: small (<10), medium (10-99), large (100+).
    SizeBand { Small = "small", Medium = "medium", Large = "large" }
}

string_enum! {
    /// Where an organization stands in the administrators' verification queue.
    Verification { Pending = "pending", Verified = "verified", Rejected = "rejected" }
}

string_enum! {
    /// A user's role in an organization.
    Role { Owner = "owner", Member = "member" }
}

string_enum! {
    /// A session token comes from signing in; an API token is created by the user for integrations.
    TokenKind { Session = "session", Api = "api" }
}

string_enum! {
    /// A need is asked by an organization, an offer is given by one.
    PostingKind { Need = "need", Offer = "offer" }
}

string_enum! {
    /// Life cycle of a posting. Drafts are private to their organization; search shows open ones.
    PostingStatus { Draft = "draft", Open = "open", Paused = "paused", Fulfilled = "fulfilled", Closed = "closed", Expired = "expired" }
}

string_enum! {
    /// Life cycle of a partnership. A proposal is accepted, declined, withdrawn by its proposer or
    /// expires unanswered; an accepted partnership becomes active, then completed or cancelled.
    PartnershipStatus { Proposed = "proposed", Accepted = "accepted", Declined = "declined", Withdrawn = "withdrawn", Expired = "expired", Active = "active", Completed = "completed", Cancelled = "cancelled" }
}

string_enum! {
    /// Language a posting is written in, or an organization works in.
    Language { En = "en", Fr = "fr" }
}

string_enum! {
    /// Taxonomy entries are categories, skills (children of a category) or cause areas.
    TaxonomyKind { Category = "category", Skill = "skill", CauseArea = "cause_area" }
}

string_enum! {
    /// Record type an outbox row (and an audit event) refers to.
    OutboxEntity {
        Posting = "posting",
        Organization = "organization",
        Partnership = "partnership",
        AppUser = "app_user",
        Report = "report",
        Program = "program",
        ProgramApplication = "program_application",
        Checkup = "checkup",
    }
}

string_enum! {
    /// The common reasons an administrator hides a posting or rejects an organization.
    ModerationReason { Spam = "spam", Misleading = "misleading", NotEligible = "not_eligible", CouldNotVerify = "could_not_verify", Duplicate = "duplicate", Inappropriate = "inappropriate", Other = "other" }
}

string_enum! {
    /// What a posting's quantity counts.
    PostingUnit { Items = "items", Seats = "seats", People = "people", Hours = "hours", Licences = "licences" }
}

string_enum! {
    /// What a partner brings to a program.
    PartnerRole { Funds = "funds", Equipment = "equipment", Training = "training", Expertise = "expertise", Hosting = "hosting" }
}

string_enum! {
    /// Where an application to a program stands: written, sent, taken back, or decided by a
    /// confirmed allocation (given something, waiting for a unit someone declines, or not).
    ApplicationStatus { Draft = "draft", Submitted = "submitted", Withdrawn = "withdrawn", Selected = "selected", Waitlisted = "waitlisted", NotSelected = "not_selected" }
}

string_enum! {
    /// What a report is about.
    ReportTarget { Posting = "posting", Organization = "organization" }
}

string_enum! {
    /// Where a report stands: waiting for an administrator, dismissed (nothing wrong), or acted on
    /// (the posting hidden, the organization's verification changed).
    ReportStatus { Open = "open", Dismissed = "dismissed", Actioned = "actioned" }
}

string_enum! {
    /// Whether the record was written or removed.
    OutboxOp { Upsert = "upsert", Delete = "delete" }
}

string_enum! {
    /// What a notification tells its recipient.
    NotificationKind {
        ProposalReceived = "proposal_received",
        ProposalAccepted = "proposal_accepted",
        ProposalDeclined = "proposal_declined",
        ProposalWithdrawn = "proposal_withdrawn",
        ProposalExpiring = "proposal_expiring",
        ProposalExpired = "proposal_expired",
        PartnershipStarted = "partnership_started",
        PartnershipCompleted = "partnership_completed",
        PartnershipCancelled = "partnership_cancelled",
        MessageReceived = "message_received",
        OrganizationVerified = "organization_verified",
        OrganizationRejected = "organization_rejected",
        MemberAdded = "member_added",
        Invitation = "invitation",
        MatchSuggestions = "match_suggestions",
        SavedSearchResults = "saved_search_results",
        ReportReceived = "report_received",
        ReportResolved = "report_resolved",
        PostingHidden = "posting_hidden",
        PostingRestored = "posting_restored",
        PostingClosed = "posting_closed",
        VerificationReopened = "verification_reopened",
        ProgramInvitation = "program_invitation",
        ApplicationReceived = "application_received",
        ApplicationDecided = "application_decided",
        FollowUpDue = "follow_up_due",
        FollowUpReported = "follow_up_reported",
    }
}

string_enum! {
    /// When a completed partnership's outcome is measured again.
    FollowUpDue { ThreeMonths = "three_months", TwelveMonths = "twelve_months" }
}

string_enum! {
    /// The kinds of news a person chooses how to receive (each notification kind belongs to one).
    Topic {
        Proposals = "proposals",
        Answers = "answers",
        Partnerships = "partnerships",
        Messages = "messages",
        Organization = "organization",
        Matches = "matches",
        SavedSearches = "saved_searches",
        Moderation = "moderation",
        Programs = "programs",
    }
}

string_enum! {
    /// How a person receives a topic by email: at once, in one message a day, or not at all (the
    /// bell still shows it).
    Delivery { Immediate = "immediate", Daily = "daily", Off = "off" }
}

string_enum! {
    /// Where a notification stands with email: in the app only, queued as its own message,
    /// waiting for the day's digest, or sent in a digest.
    EmailState { InApp = "in_app", Queued = "queued", Digest = "digest", Digested = "digested" }
}

string_enum! {
    /// Where a queued email stands: waiting (first try or a retry), sent, or given up on.
    EmailStatus { Pending = "pending", Sent = "sent", Failed = "failed" }
}

/// A list of codes stored as a JSON array (languages, cause areas, skills, synonyms).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
pub struct StringList(pub Vec<String>);

/// An offer's eligibility rules, stored as JSON. Empty lists mean "anyone".
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
#[serde(default)]
pub struct Eligibility {
    /// Organization kinds that may receive the offer.
    pub org_kinds: Vec<OrgKind>,
    /// Provinces and territories (two-letter codes) the offer serves.
    pub provinces: Vec<String>,
    /// Cause areas (taxonomy codes) the offer supports.
    pub cause_areas: Vec<String>,
    /// Only registered charities (with a CRA number) may receive it.
    pub requires_charity_number: bool,
    /// Organization sizes the offer suits best: a preference that ranks, not a rule that excludes.
    pub preferred_sizes: Vec<SizeBand>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Serialize + Copy + std::fmt::Display>(all: &[T]) {
        for value in all {
            assert_eq!(serde_json::to_value(value).unwrap(), value.to_string());
        }
    }

    #[test]
    fn serialized_and_stored_forms_agree() {
        check(OrgKind::ALL);
        check(SizeBand::ALL);
        check(Verification::ALL);
        check(Role::ALL);
        check(TokenKind::ALL);
        check(PostingKind::ALL);
        check(PostingStatus::ALL);
        check(PartnershipStatus::ALL);
        check(Language::ALL);
        check(TaxonomyKind::ALL);
        check(OutboxEntity::ALL);
        check(OutboxOp::ALL);
        check(ReportTarget::ALL);
        check(PostingUnit::ALL);
        check(ModerationReason::ALL);
        check(ReportStatus::ALL);
        check(NotificationKind::ALL);
        check(Topic::ALL);
        check(Delivery::ALL);
        check(EmailState::ALL);
        check(EmailStatus::ALL);
        check(PartnerRole::ALL);
        check(ApplicationStatus::ALL);
    }
}
