//! Whether an application asks for its components all together or not at all (a bundle).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ProgramApplication::Table)
                    .add_column(boolean(ProgramApplication::AllOrNothing).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ProgramApplication::Table)
                    .drop_column(ProgramApplication::AllOrNothing)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ProgramApplication {
    Table,
    AllOrNothing,
}
