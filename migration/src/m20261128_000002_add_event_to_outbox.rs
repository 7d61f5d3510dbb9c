//! The outbox becomes the domain's event stream: each row says what happened (`action`), who did
//! it and with what detail, for every followers (the search index, and the next ones:
//! notifications, program events, results). `stream_cursor` keeps the position of each follower
//! that runs once for all processes sharing the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            string_len(Outbox::Action, 64).default("").to_owned(),
            big_integer_null(Outbox::ActorUserId),
            json_null(Outbox::Detail),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(StreamCursor::Table)
                    .col(string_len(StreamCursor::Name, 64).primary_key())
                    .col(big_integer(StreamCursor::Position))
                    .col(timestamp_with_time_zone(StreamCursor::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StreamCursor::Table).to_owned())
            .await?;
        for column in [Outbox::Action, Outbox::ActorUserId, Outbox::Detail] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Action,
    ActorUserId,
    Detail,
}

#[derive(DeriveIden)]
enum StreamCursor {
    Table,
    Name,
    Position,
    UpdatedAt,
}
