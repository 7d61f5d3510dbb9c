//! What a posting's quantity counts (`unit`) and whether one partnership takes all of it
//! (`filled_by_one`); how many units a partnership asks for (`units`) and how many it took from
//! the need and from the offer when it was accepted (given back if it is cancelled).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let posting = [
            string_len(Posting::Unit, 24).default("items").to_owned(),
            boolean(Posting::FilledByOne).default(false).to_owned(),
        ];
        for mut column in posting {
            manager
                .alter_table(
                    Table::alter()
                        .table(Posting::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        let partnership = [
            integer(Partnership::Units).default(1).to_owned(),
            integer_null(Partnership::NeedUnits),
            integer_null(Partnership::OfferUnits),
        ];
        for mut column in partnership {
            manager
                .alter_table(
                    Table::alter()
                        .table(Partnership::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Posting::Unit, Posting::FilledByOne] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Posting::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Partnership::Units,
            Partnership::NeedUnits,
            Partnership::OfferUnits,
        ] {
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
enum Posting {
    Table,
    Unit,
    FilledByOne,
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    Units,
    NeedUnits,
    OfferUnits,
}
