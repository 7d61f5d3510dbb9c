//! Outcomes followed over time: a completed partnership's follow-ups at 3 and 12 months (when each
//! is due, whether its reminder went out, the values reported), and the indicators a program
//! requires of its cohort.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FollowUp::Table)
                    .col(big_pk_auto(FollowUp::Id))
                    .col(big_integer(FollowUp::PartnershipId))
                    .col(string_len(FollowUp::Due, 24))
                    .col(timestamp_with_time_zone(FollowUp::DueAt))
                    .col(json_binary(FollowUp::Values))
                    .col(text_null(FollowUp::Note))
                    .col(timestamp_with_time_zone_null(FollowUp::ReportedAt))
                    .col(big_integer_null(FollowUp::ReportedBy))
                    .col(timestamp_with_time_zone_null(FollowUp::RemindedAt))
                    .col(timestamp_with_time_zone(FollowUp::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FollowUp::Table, FollowUp::PartnershipId)
                            .to(Partnership::Table, Partnership::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FollowUp::Table, FollowUp::ReportedBy)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_follow_up_partnership_due")
                    .table(FollowUp::Table)
                    .col(FollowUp::PartnershipId)
                    .col(FollowUp::Due)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The reminder sweep reads the follow-ups that fell due and were neither reported nor
        // reminded.
        manager
            .create_index(
                Index::create()
                    .name("idx_follow_up_due_at")
                    .table(FollowUp::Table)
                    .col(FollowUp::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Program::Table)
                    .add_column(json_binary(Program::Indicators).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Program::Table)
                    .drop_column(Program::Indicators)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(FollowUp::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FollowUp {
    Table,
    Id,
    PartnershipId,
    Due,
    DueAt,
    Values,
    Note,
    ReportedAt,
    ReportedBy,
    RemindedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Program {
    Table,
    Indicators,
}
