//! Snapshots of the insights' aggregates (the gap map per filter, the sector's figures), kept in
//! the database so that every process, and a process just started, serves the last one computed
//! instead of waiting for the grouped query.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InsightSnapshot::Table)
                    .col(string_len(InsightSnapshot::Key, 255).primary_key())
                    .col(json_binary(InsightSnapshot::Value))
                    .col(timestamp_with_time_zone(InsightSnapshot::ComputedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InsightSnapshot::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum InsightSnapshot {
    Table,
    Key,
    Value,
    ComputedAt,
}
