//! Invitations to apply to a program: the team asks an eligible organization that has not
//! applied; each organization is invited to a program once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProgramInvitation::Table)
                    .col(big_pk_auto(ProgramInvitation::Id))
                    .col(big_integer(ProgramInvitation::ProgramId))
                    .col(big_integer(ProgramInvitation::OrganizationId))
                    .col(big_integer_null(ProgramInvitation::InvitedBy))
                    .col(timestamp_with_time_zone(ProgramInvitation::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramInvitation::Table, ProgramInvitation::ProgramId)
                            .to(Program::Table, Program::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramInvitation::Table, ProgramInvitation::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_program_invitation_once")
                    .table(ProgramInvitation::Table)
                    .col(ProgramInvitation::ProgramId)
                    .col(ProgramInvitation::OrganizationId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProgramInvitation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProgramInvitation {
    Table,
    Id,
    ProgramId,
    OrganizationId,
    InvitedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Program {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}
