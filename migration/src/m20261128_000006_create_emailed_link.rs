//! Single-use links sent by email: a password reset, an address to confirm, an invitation to join
//! an organization. Only a SHA-256 of each link's secret is stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailedLink::Table)
                    .col(big_pk_auto(EmailedLink::Id))
                    .col(string_len(EmailedLink::Kind, 24))
                    .col(string_len(EmailedLink::TokenHash, 64).unique_key())
                    .col(big_integer_null(EmailedLink::UserId))
                    .col(string_len(EmailedLink::Email, 320))
                    .col(big_integer_null(EmailedLink::OrganizationId))
                    .col(string_len_null(EmailedLink::Role, 24))
                    .col(timestamp_with_time_zone(EmailedLink::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailedLink::UsedAt))
                    .col(timestamp_with_time_zone(EmailedLink::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailedLink::Table, EmailedLink::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailedLink::Table, EmailedLink::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailedLink::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EmailedLink {
    Table,
    Id,
    Kind,
    TokenHash,
    UserId,
    Email,
    OrganizationId,
    Role,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}
