use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organization::Table)
                    .col(big_pk_auto(Organization::Id))
                    .col(string_len(Organization::Name, 200))
                    .col(string_len(Organization::Kind, 24))
                    .col(text(Organization::Description))
                    .col(string_len_null(Organization::Website, 300))
                    .col(string_len(Organization::Province, 2))
                    .col(string_len_null(Organization::City, 100))
                    .col(json_binary(Organization::Languages))
                    .col(json_binary(Organization::CauseAreas))
                    .col(string_len_null(Organization::Size, 24))
                    .col(string_len_null(Organization::CharityNumber, 15))
                    .col(string_len(Organization::Verification, 24))
                    .col(timestamp_with_time_zone_null(Organization::VerifiedAt))
                    .col(string_len_null(Organization::ContactEmail, 254))
                    .col(string_len_null(Organization::ContactPhone, 40))
                    .col(integer(Organization::Version))
                    .col(timestamp_with_time_zone(Organization::CreatedAt))
                    .col(timestamp_with_time_zone(Organization::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_verification")
                    .table(Organization::Table)
                    .col(Organization::Verification)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organization::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Organization {
    Table,
    Id,
    Name,
    Kind,
    Description,
    Website,
    Province,
    City,
    Languages,
    CauseAreas,
    Size,
    CharityNumber,
    Verification,
    VerifiedAt,
    ContactEmail,
    ContactPhone,
    Version,
    CreatedAt,
    UpdatedAt,
}
