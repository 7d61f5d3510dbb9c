//! Database migrations, one file per change, named `mYYYYMMDD_HHMMSS_<verb>_<noun>.rs`.
//! Written with sea-orm's schema helpers so the same files run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_organization;
mod m20261124_000002_create_app_user;
mod m20261124_000003_create_membership;
mod m20261124_000004_create_api_token;
mod m20261124_000005_create_taxonomy;
mod m20261124_000006_create_posting;
mod m20261124_000007_create_outbox;
mod m20261124_000008_create_audit_event;
mod m20261125_000001_create_partnership;
mod m20261128_000001_create_rate_event;
mod m20261128_000002_add_event_to_outbox;
mod m20261128_000003_create_notification;
mod m20261128_000004_create_partnership_message;
mod m20261128_000005_add_reminders_to_partnership;
mod m20261128_000006_create_emailed_link;
mod m20261128_000007_create_saved_search;
mod m20261128_000008_add_reason_code_to_partnership;
mod m20261129_000001_create_report;
mod m20261129_000002_add_units;
mod m20261129_000003_add_publicity_to_partnership;
mod m20261129_000004_create_program;
mod m20261129_000005_create_program_invitation;
mod m20261129_000006_add_all_or_nothing_to_application;
mod m20261129_000007_add_translation_to_program;
mod m20261130_000001_create_checkup;
mod m20261201_000001_create_follow_up;
mod m20261201_000002_create_insight_snapshot;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_organization::Migration),
            Box::new(m20261124_000002_create_app_user::Migration),
            Box::new(m20261124_000003_create_membership::Migration),
            Box::new(m20261124_000004_create_api_token::Migration),
            Box::new(m20261124_000005_create_taxonomy::Migration),
            Box::new(m20261124_000006_create_posting::Migration),
            Box::new(m20261124_000007_create_outbox::Migration),
            Box::new(m20261124_000008_create_audit_event::Migration),
            Box::new(m20261125_000001_create_partnership::Migration),
            Box::new(m20261128_000001_create_rate_event::Migration),
            Box::new(m20261128_000002_add_event_to_outbox::Migration),
            Box::new(m20261128_000003_create_notification::Migration),
            Box::new(m20261128_000004_create_partnership_message::Migration),
            Box::new(m20261128_000005_add_reminders_to_partnership::Migration),
            Box::new(m20261128_000006_create_emailed_link::Migration),
            Box::new(m20261128_000007_create_saved_search::Migration),
            Box::new(m20261128_000008_add_reason_code_to_partnership::Migration),
            Box::new(m20261129_000001_create_report::Migration),
            Box::new(m20261129_000002_add_units::Migration),
            Box::new(m20261129_000003_add_publicity_to_partnership::Migration),
            Box::new(m20261129_000004_create_program::Migration),
            Box::new(m20261129_000005_create_program_invitation::Migration),
            Box::new(m20261129_000006_add_all_or_nothing_to_application::Migration),
            Box::new(m20261129_000007_add_translation_to_program::Migration),
            Box::new(m20261130_000001_create_checkup::Migration),
            Box::new(m20261201_000001_create_follow_up::Migration),
            Box::new(m20261201_000002_create_insight_snapshot::Migration),
        ]
    }
}
