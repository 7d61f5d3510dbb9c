//! A program's title and description in the other of English and French (optional).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [Program::TranslatedTitle, Program::TranslatedDescription] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Program::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Program::TranslatedTitle, Program::TranslatedDescription] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Program::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Program {
    Table,
    TranslatedTitle,
    TranslatedDescription,
}
