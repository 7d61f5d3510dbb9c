//! The messaging layer: what each person is told (`notification`), the emails to send for it
//! (`email`, a durable outbox written in the transaction of the change that causes it), how each
//! person wants each kind of news (`notification_preference`), a user's language, and the
//! server's secrets (`server_secret`: the key that signs unsubscribe links, shared by every
//! process on the database).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            string_len(AppUser::Language, 2).default("en").to_owned(),
            timestamp_with_time_zone_null(AppUser::EmailConfirmedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AppUser::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(big_pk_auto(Notification::Id))
                    .col(big_integer(Notification::UserId))
                    .col(string_len(Notification::Kind, 32))
                    .col(string_len(Notification::Topic, 24))
                    .col(string_len(Notification::Subject, 24))
                    .col(big_integer(Notification::SubjectId))
                    .col(big_integer_null(Notification::ActorUserId))
                    .col(json(Notification::Detail))
                    .col(string_len(Notification::Email, 16))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notification::Table, Notification::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_user_id_id")
                    .table(Notification::Table)
                    .col(Notification::UserId)
                    .col(Notification::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_email_user_id")
                    .table(Notification::Table)
                    .col(Notification::Email)
                    .col(Notification::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Email::Table)
                    .col(big_pk_auto(Email::Id))
                    .col(big_integer_null(Email::UserId))
                    .col(string_len(Email::ToAddress, 320))
                    .col(string_len(Email::Kind, 32))
                    .col(json(Email::Payload))
                    .col(string_len(Email::Status, 16))
                    .col(integer(Email::Attempts).default(0))
                    .col(timestamp_with_time_zone(Email::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Email::ClaimedUntil))
                    .col(text_null(Email::LastError))
                    .col(string_len_null(Email::MessageId, 255))
                    .col(timestamp_with_time_zone(Email::CreatedAt))
                    .col(timestamp_with_time_zone_null(Email::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Email::Table, Email::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_email_status_next_attempt_at")
                    .table(Email::Table)
                    .col(Email::Status)
                    .col(Email::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreference::Table)
                    .col(big_integer(NotificationPreference::UserId))
                    .col(string_len(NotificationPreference::Topic, 24))
                    .col(string_len(NotificationPreference::Delivery, 16))
                    .primary_key(
                        Index::create()
                            .col(NotificationPreference::UserId)
                            .col(NotificationPreference::Topic),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                NotificationPreference::Table,
                                NotificationPreference::UserId,
                            )
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServerSecret::Table)
                    .col(string_len(ServerSecret::Name, 64).primary_key())
                    .col(string_len(ServerSecret::Value, 128))
                    .col(timestamp_with_time_zone(ServerSecret::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ServerSecret::Table.into_iden(),
            NotificationPreference::Table.into_iden(),
            Email::Table.into_iden(),
            Notification::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [AppUser::Language, AppUser::EmailConfirmedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AppUser::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Language,
    EmailConfirmedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    UserId,
    Kind,
    Topic,
    Subject,
    SubjectId,
    ActorUserId,
    Detail,
    Email,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum Email {
    Table,
    Id,
    UserId,
    ToAddress,
    Kind,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastError,
    MessageId,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum NotificationPreference {
    Table,
    UserId,
    Topic,
    Delivery,
}

#[derive(DeriveIden)]
enum ServerSecret {
    Table,
    Name,
    Value,
    CreatedAt,
}
