//! Whether each side agreed, at or after completion, that the partnership is listed on both
//! organizations' public pages (it is listed only when both did).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [Partnership::NeedPublic, Partnership::OfferPublic] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Partnership::Table)
                        .add_column(boolean(column).default(false))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Partnership::NeedPublic, Partnership::OfferPublic] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Partnership::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    NeedPublic,
    OfferPublic,
}
