//! sea-orm entities of Passerelle: one module per table, plus the string-backed enums they share.
//! No axum, no tantivy: this crate is the data model only.

pub mod allocation_run;
pub mod api_token;
pub mod app_user;
pub mod audit_event;
pub mod checkup;
pub mod email;
pub mod emailed_link;
pub mod enums;
pub mod follow_up;
pub mod insight_snapshot;
pub mod match_suggestion;
pub mod membership;
pub mod notification;
pub mod notification_preference;
pub mod organization;
pub mod outbox;
pub mod partnership;
pub mod partnership_message;
pub mod posting;
pub mod program;
pub mod program_application;
pub mod program_component;
pub mod program_invitation;
pub mod program_partner;
pub mod rate_event;
pub mod report;
pub mod saved_search;
pub mod server_secret;
pub mod stream_cursor;
pub mod taxonomy;

pub use enums::*;
pub use partnership::{Indicator, IndicatorValue, Outcome};
