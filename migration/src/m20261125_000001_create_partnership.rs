use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_create_organization::Organization;
use super::m20261124_000002_create_app_user::AppUser;
use super::m20261124_000006_create_posting::Posting;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let organization = |column: Partnership| {
            ForeignKey::create()
                .from(Partnership::Table, column)
                .to(Organization::Table, Organization::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned()
        };
        let user = |column: Partnership| {
            ForeignKey::create()
                .from(Partnership::Table, column)
                .to(AppUser::Table, AppUser::Id)
                .on_delete(ForeignKeyAction::SetNull)
                .to_owned()
        };
        // Deleting a posting takes its declined, withdrawn and expired proposals with it; the
        // domain refuses to delete a posting that has a partnership someone said yes to.
        let posting = |column: Partnership| {
            ForeignKey::create()
                .from(Partnership::Table, column)
                .to(Posting::Table, Posting::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(Partnership::Table)
                    .col(big_pk_auto(Partnership::Id))
                    .col(big_integer(Partnership::NeedId))
                    .col(big_integer(Partnership::OfferId))
                    .col(big_integer(Partnership::NeedOrgId))
                    .col(big_integer(Partnership::OfferOrgId))
                    .col(big_integer(Partnership::ProposerOrgId))
                    .col(big_integer_null(Partnership::ProposerUserId))
                    .col(big_integer_null(Partnership::ResponderUserId))
                    .col(string_len(Partnership::Status, 24))
                    .col(text(Partnership::Message))
                    .col(double_null(Partnership::Score))
                    .col(json_binary_null(Partnership::Reasons))
                    .col(text_null(Partnership::ResponseNote))
                    .col(text_null(Partnership::ClosingNote))
                    .col(json_binary_null(Partnership::Outcome))
                    .col(timestamp_with_time_zone(Partnership::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Partnership::RespondedAt))
                    .col(timestamp_with_time_zone_null(Partnership::StartedAt))
                    .col(timestamp_with_time_zone_null(Partnership::CompletedAt))
                    .col(integer(Partnership::Version))
                    .col(timestamp_with_time_zone(Partnership::CreatedAt))
                    .col(timestamp_with_time_zone(Partnership::UpdatedAt))
                    .foreign_key(&mut posting(Partnership::NeedId))
                    .foreign_key(&mut posting(Partnership::OfferId))
                    .foreign_key(&mut organization(Partnership::NeedOrgId))
                    .foreign_key(&mut organization(Partnership::OfferOrgId))
                    .foreign_key(&mut organization(Partnership::ProposerOrgId))
                    .foreign_key(&mut user(Partnership::ProposerUserId))
                    .foreign_key(&mut user(Partnership::ResponderUserId))
                    .to_owned(),
            )
            .await?;
        let indexes = [
            ("idx_partnership_need", vec![Partnership::NeedId]),
            ("idx_partnership_offer", vec![Partnership::OfferId]),
            ("idx_partnership_need_org", vec![Partnership::NeedOrgId]),
            ("idx_partnership_offer_org", vec![Partnership::OfferOrgId]),
            (
                "idx_partnership_status_expires_at",
                vec![Partnership::Status, Partnership::ExpiresAt],
            ),
        ];
        for (name, columns) in indexes {
            let mut index = Index::create()
                .name(name)
                .table(Partnership::Table)
                .to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Partnership::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Partnership {
    Table,
    Id,
    NeedId,
    OfferId,
    NeedOrgId,
    OfferOrgId,
    ProposerOrgId,
    ProposerUserId,
    ResponderUserId,
    Status,
    Message,
    Score,
    Reasons,
    ResponseNote,
    ClosingNote,
    Outcome,
    ExpiresAt,
    RespondedAt,
    StartedAt,
    CompletedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}
