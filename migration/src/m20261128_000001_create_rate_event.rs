//! Sign-in failures and sign-up attempts, counted in the database so that every Passerelle process
//! sharing it sees the same counts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateEvent::Table)
                    .col(big_pk_auto(RateEvent::Id))
                    .col(string_len(RateEvent::Bucket, 24))
                    .col(string_len(RateEvent::Key, 320))
                    .col(timestamp_with_time_zone(RateEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rate_event_bucket_key_created_at")
                    .table(RateEvent::Table)
                    .col(RateEvent::Bucket)
                    .col(RateEvent::Key)
                    .col(RateEvent::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RateEvent::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RateEvent {
    Table,
    Id,
    Bucket,
    Key,
    CreatedAt,
}
