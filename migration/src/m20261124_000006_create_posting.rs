use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_create_organization::Organization;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Posting::Table)
                    .col(big_pk_auto(Posting::Id))
                    .col(big_integer(Posting::OrganizationId))
                    .col(string_len(Posting::Kind, 24))
                    .col(string_len(Posting::Title, 200))
                    .col(text(Posting::Description))
                    .col(string_len(Posting::Language, 24))
                    .col(string_len(Posting::Category, 40))
                    .col(json_binary(Posting::Skills))
                    .col(string_len_null(Posting::Province, 2))
                    .col(boolean(Posting::Remote))
                    .col(integer(Posting::Quantity))
                    .col(big_integer_null(Posting::ValueCad))
                    .col(integer_null(Posting::Hours))
                    .col(date_null(Posting::StartsOn))
                    .col(date_null(Posting::EndsOn))
                    .col(timestamp_with_time_zone_null(Posting::ExpiresAt))
                    .col(string_len(Posting::Status, 24))
                    .col(json_binary_null(Posting::Eligibility))
                    .col(integer(Posting::Version))
                    .col(timestamp_with_time_zone(Posting::CreatedAt))
                    .col(timestamp_with_time_zone(Posting::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posting::Table, Posting::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes = [
            ("idx_posting_organization", vec![Posting::OrganizationId]),
            (
                "idx_posting_kind_status",
                vec![Posting::Kind, Posting::Status],
            ),
            ("idx_posting_expires_at", vec![Posting::ExpiresAt]),
        ];
        for (name, columns) in indexes {
            let mut index = Index::create().name(name).table(Posting::Table).to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Posting::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Posting {
    Table,
    Id,
    OrganizationId,
    Kind,
    Title,
    Description,
    Language,
    Category,
    Skills,
    Province,
    Remote,
    Quantity,
    ValueCad,
    Hours,
    StartsOn,
    EndsOn,
    ExpiresAt,
    Status,
    Eligibility,
    Version,
    CreatedAt,
    UpdatedAt,
}
