//! What the daily round looks for on people's behalf: saved searches (with the results already
//! reported), and the match suggestions already made for each open posting (never twice).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedSearch::Table)
                    .col(big_pk_auto(SavedSearch::Id))
                    .col(big_integer(SavedSearch::UserId))
                    .col(string_len(SavedSearch::Name, 200))
                    .col(string_len(SavedSearch::Query, 1000))
                    .col(json(SavedSearch::Seen))
                    .col(timestamp_with_time_zone(SavedSearch::CreatedAt))
                    .col(timestamp_with_time_zone_null(SavedSearch::CheckedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedSearch::Table, SavedSearch::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MatchSuggestion::Table)
                    .col(big_integer(MatchSuggestion::PostingId))
                    .col(big_integer(MatchSuggestion::CandidateId))
                    .col(timestamp_with_time_zone(MatchSuggestion::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(MatchSuggestion::PostingId)
                            .col(MatchSuggestion::CandidateId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MatchSuggestion::Table, MatchSuggestion::PostingId)
                            .to(Posting::Table, Posting::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MatchSuggestion::Table.into_iden(),
            SavedSearch::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SavedSearch {
    Table,
    Id,
    UserId,
    Name,
    Query,
    Seen,
    CreatedAt,
    CheckedAt,
}

#[derive(DeriveIden)]
enum MatchSuggestion {
    Table,
    PostingId,
    CandidateId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Posting {
    Table,
    Id,
}
