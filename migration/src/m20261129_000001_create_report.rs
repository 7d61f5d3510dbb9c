//! Moderation: reports that signed-in people file against a posting or an organization, and the
//! columns that let an administrator hide a posting (with the reason its owner sees), and an owner
//! close one with a reason the organizations it was talking to see.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Report::Table)
                    .col(big_pk_auto(Report::Id))
                    .col(big_integer_null(Report::ReporterUserId))
                    .col(string_len(Report::Target, 24))
                    .col(big_integer(Report::TargetId))
                    .col(text(Report::Reason))
                    .col(string_len(Report::Status, 24))
                    .col(text_null(Report::ResolutionNote))
                    .col(big_integer_null(Report::ResolvedBy))
                    .col(timestamp_with_time_zone_null(Report::ResolvedAt))
                    .col(timestamp_with_time_zone(Report::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Report::Table, Report::ReporterUserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_status")
                    .table(Report::Table)
                    .col(Report::Status)
                    .col(Report::Id)
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        for column in [
            string_len_null(Posting::HiddenCode, 24),
            text_null(Posting::HiddenReason),
            timestamp_with_time_zone_null(Posting::HiddenAt),
            text_null(Posting::ClosingNote),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Posting::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Posting::HiddenCode,
            Posting::HiddenReason,
            Posting::HiddenAt,
            Posting::ClosingNote,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Posting::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Report::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Report {
    Table,
    Id,
    ReporterUserId,
    Target,
    TargetId,
    Reason,
    Status,
    ResolutionNote,
    ResolvedBy,
    ResolvedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Posting {
    Table,
    HiddenCode,
    HiddenReason,
    HiddenAt,
    ClosingNote,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}
