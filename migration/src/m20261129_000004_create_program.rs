//! Programs: a lead organization and partners from other sectors serve a cohort through
//! components (one kind of support each, given by one partner); organizations apply during the
//! call; allocation runs give components to applicants; confirming one turns each selection into
//! a partnership (which says its program and component).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Program::Table)
                    .col(big_pk_auto(Program::Id))
                    .col(big_integer(Program::LeadOrgId))
                    .col(text(Program::Title))
                    .col(text(Program::Description))
                    .col(string_len(Program::Language, 24))
                    .col(timestamp_with_time_zone(Program::OpensAt))
                    .col(timestamp_with_time_zone(Program::ClosesAt))
                    .col(json_binary(Program::Eligibility))
                    .col(json_binary(Program::Sizes))
                    .col(json_binary(Program::PriorityGroups))
                    .col(json_binary(Program::Questions))
                    .col(json_binary(Program::Milestones))
                    .col(double(Program::Diminishing))
                    .col(double(Program::Fairness))
                    .col(big_integer_null(Program::CreatedBy))
                    .col(integer(Program::Version))
                    .col(timestamp_with_time_zone(Program::CreatedAt))
                    .col(timestamp_with_time_zone(Program::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Program::Table, Program::LeadOrgId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgramPartner::Table)
                    .col(big_pk_auto(ProgramPartner::Id))
                    .col(big_integer(ProgramPartner::ProgramId))
                    .col(big_integer(ProgramPartner::OrganizationId))
                    .col(string_len(ProgramPartner::Role, 24))
                    .col(integer_null(ProgramPartner::Cap))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramPartner::Table, ProgramPartner::ProgramId)
                            .to(Program::Table, Program::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramPartner::Table, ProgramPartner::OrganizationId)
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_program_partner_org")
                    .table(ProgramPartner::Table)
                    .col(ProgramPartner::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgramComponent::Table)
                    .col(big_pk_auto(ProgramComponent::Id))
                    .col(big_integer(ProgramComponent::ProgramId))
                    .col(big_integer(ProgramComponent::PartnerOrgId))
                    .col(text(ProgramComponent::Title))
                    .col(text(ProgramComponent::Description))
                    .col(string_len(ProgramComponent::Category, 64))
                    .col(string_len(ProgramComponent::Unit, 24))
                    .col(integer(ProgramComponent::Capacity))
                    .col(integer_null(ProgramComponent::PerOrgMax))
                    .col(double_null(ProgramComponent::ValueCad))
                    .col(big_integer_null(ProgramComponent::OfferId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramComponent::Table, ProgramComponent::ProgramId)
                            .to(Program::Table, Program::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramComponent::Table, ProgramComponent::OfferId)
                            .to(Posting::Table, Posting::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgramApplication::Table)
                    .col(big_pk_auto(ProgramApplication::Id))
                    .col(big_integer(ProgramApplication::ProgramId))
                    .col(big_integer(ProgramApplication::OrganizationId))
                    .col(string_len(ProgramApplication::Status, 24))
                    .col(json_binary(ProgramApplication::Requests))
                    .col(json_binary(ProgramApplication::Answers))
                    .col(json_binary(ProgramApplication::Groups))
                    .col(integer_null(ProgramApplication::MaxUnits))
                    .col(json_binary_null(ProgramApplication::Decision))
                    .col(big_integer_null(ProgramApplication::CreatedBy))
                    .col(timestamp_with_time_zone_null(
                        ProgramApplication::SubmittedAt,
                    ))
                    .col(integer(ProgramApplication::Version))
                    .col(timestamp_with_time_zone(ProgramApplication::CreatedAt))
                    .col(timestamp_with_time_zone(ProgramApplication::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramApplication::Table, ProgramApplication::ProgramId)
                            .to(Program::Table, Program::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ProgramApplication::Table,
                                ProgramApplication::OrganizationId,
                            )
                            .to(Organization::Table, Organization::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_program_application_once")
                    .table(ProgramApplication::Table)
                    .col(ProgramApplication::ProgramId)
                    .col(ProgramApplication::OrganizationId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AllocationRun::Table)
                    .col(big_pk_auto(AllocationRun::Id))
                    .col(big_integer(AllocationRun::ProgramId))
                    .col(big_integer_null(AllocationRun::RunBy))
                    .col(json_binary(AllocationRun::Pins))
                    .col(json_binary(AllocationRun::Exclusions))
                    .col(json_binary(AllocationRun::Result))
                    .col(double(AllocationRun::Value))
                    .col(timestamp_with_time_zone_null(AllocationRun::ConfirmedAt))
                    .col(timestamp_with_time_zone(AllocationRun::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AllocationRun::Table, AllocationRun::ProgramId)
                            .to(Program::Table, Program::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        for column in [Partnership::ProgramId, Partnership::ComponentId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Partnership::Table)
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_partnership_program")
                    .table(Partnership::Table)
                    .col(Partnership::ProgramId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_partnership_program").to_owned())
            .await?;
        for column in [Partnership::ProgramId, Partnership::ComponentId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Partnership::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            AllocationRun::Table.into_iden(),
            ProgramApplication::Table.into_iden(),
            ProgramComponent::Table.into_iden(),
            ProgramPartner::Table.into_iden(),
            Program::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Program {
    Table,
    Id,
    LeadOrgId,
    Title,
    Description,
    Language,
    OpensAt,
    ClosesAt,
    Eligibility,
    Sizes,
    PriorityGroups,
    Questions,
    Milestones,
    Diminishing,
    Fairness,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProgramPartner {
    Table,
    Id,
    ProgramId,
    OrganizationId,
    Role,
    Cap,
}

#[derive(DeriveIden)]
enum ProgramComponent {
    Table,
    Id,
    ProgramId,
    PartnerOrgId,
    Title,
    Description,
    Category,
    Unit,
    Capacity,
    PerOrgMax,
    ValueCad,
    OfferId,
}

#[derive(DeriveIden)]
enum ProgramApplication {
    Table,
    Id,
    ProgramId,
    OrganizationId,
    Status,
    Requests,
    Answers,
    Groups,
    MaxUnits,
    Decision,
    CreatedBy,
    SubmittedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AllocationRun {
    Table,
    Id,
    ProgramId,
    RunBy,
    Pins,
    Exclusions,
    Result,
    Value,
    ConfirmedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Posting {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Partnership {
    Table,
    ProgramId,
    ComponentId,
}
