//! Why a proposal was declined or withdrawn, or a partnership cancelled: one of the common reasons
//! (`entity::ReasonCode`), beside the free text already kept in `response_note` or `closing_note`.

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
                    .add_column(string_len_null(Partnership::ReasonCode, 24))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Partnership::Table)
                    .drop_column(Partnership::ReasonCode)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    ReasonCode,
}
