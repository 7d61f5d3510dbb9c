//! The conversation of a partnership: messages between the members of its two organizations,
//! from the proposal on.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PartnershipMessage::Table)
                    .col(big_pk_auto(PartnershipMessage::Id))
                    .col(big_integer(PartnershipMessage::PartnershipId))
                    .col(big_integer_null(PartnershipMessage::AuthorUserId))
                    .col(big_integer(PartnershipMessage::AuthorOrgId))
                    .col(text(PartnershipMessage::Body))
                    .col(timestamp_with_time_zone(PartnershipMessage::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PartnershipMessage::Table, PartnershipMessage::PartnershipId)
                            .to(Partnership::Table, Partnership::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PartnershipMessage::Table, PartnershipMessage::AuthorUserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_partnership_message_partnership_id_id")
                    .table(PartnershipMessage::Table)
                    .col(PartnershipMessage::PartnershipId)
                    .col(PartnershipMessage::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PartnershipMessage::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PartnershipMessage {
    Table,
    Id,
    PartnershipId,
    AuthorUserId,
    AuthorOrgId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}
