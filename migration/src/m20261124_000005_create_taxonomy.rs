use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Taxonomy::Table)
                    .col(string_len(Taxonomy::Code, 40).primary_key())
                    .col(string_len(Taxonomy::Kind, 24))
                    .col(string_len_null(Taxonomy::Parent, 40))
                    .col(string_len(Taxonomy::LabelEn, 120))
                    .col(string_len(Taxonomy::LabelFr, 120))
                    .col(json_binary(Taxonomy::SynonymsEn))
                    .col(json_binary(Taxonomy::SynonymsFr))
                    .col(text(Taxonomy::DescriptionEn))
                    .col(text(Taxonomy::DescriptionFr))
                    .col(integer(Taxonomy::Position))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Taxonomy::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Taxonomy {
    Table,
    Code,
    Kind,
    Parent,
    LabelEn,
    LabelFr,
    SynonymsEn,
    SynonymsFr,
    DescriptionEn,
    DescriptionFr,
    Position,
}
