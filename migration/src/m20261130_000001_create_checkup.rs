//! Digital check-ups: an organization's answers to the question bank, the profile they gave at the
//! time, and which of the suggested needs it published. Kept over time, one row per check-up.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Checkup::Table)
                    .col(big_pk_auto(Checkup::Id))
                    .col(big_integer(Checkup::OrganizationId))
                    .col(big_integer_null(Checkup::TakenBy))
                    .col(json_binary(Checkup::Answers))
                    .col(json_binary(Checkup::Profile))
                    .col(json_binary(Checkup::Published))
                    .col(timestamp_with_time_zone(Checkup::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Checkup::Table, Checkup::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Checkup::Table, Checkup::TakenBy)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_checkup_organization")
                    .table(Checkup::Table)
                    .col(Checkup::OrganizationId)
                    .col(Checkup::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Checkup::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Checkup {
    Table,
    Id,
    OrganizationId,
    TakenBy,
    Answers,
    Profile,
    Published,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}
