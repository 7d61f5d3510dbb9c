//! Reminders against silence: how many a proposal's receiver was sent (0, 1 at halfway through the
//! expiry period, 2 two days before it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Partnership::Table)
                    .add_column(integer(Partnership::RemindersSent).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Partnership::Table)
                    .drop_column(Partnership::RemindersSent)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    RemindersSent,
}
