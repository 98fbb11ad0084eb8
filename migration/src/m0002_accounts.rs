//! Accounts and access: users and their group memberships, server-side sessions, the
//! registration CAPTCHA, login throttling, password-reset links and the CEP cache.
//! Secrets (session ids, reset tokens) are stored only as SHA-256 hashes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
    Login,
    LoginKey,
    Email,
    EmailKey,
    Name,
    PersonType,
    Phone,
    Cep,
    Address,
    Role,
    PasswordHash,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserGroup {
    Table,
    UserId,
    GroupId,
}

#[derive(DeriveIden)]
enum SupportGroup {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    IdHash,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Captcha {
    Table,
    Id,
    Answer,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Key,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum PasswordReset {
    Table,
    TokenHash,
    UserId,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum CepCache {
    Table,
    Cep,
    Found,
    Street,
    District,
    City,
    Uf,
    FetchedAt,
}

fn user_fk(
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
    name: &str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(UserAccount::Table, UserAccount::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserAccount::Table)
                    .col(pk_auto(UserAccount::Id))
                    .col(string_len(UserAccount::Login, 32))
                    .col(string_len_uniq(UserAccount::LoginKey, 32))
                    .col(string_len(UserAccount::Email, 254))
                    .col(string_len_uniq(UserAccount::EmailKey, 254))
                    .col(string_len(UserAccount::Name, 120))
                    .col(string_len(UserAccount::PersonType, 1))
                    .col(string_len(UserAccount::Phone, 16))
                    .col(string_len(UserAccount::Cep, 8))
                    .col(string_len(UserAccount::Address, 300))
                    .col(string_len(UserAccount::Role, 16))
                    .col(string_len(UserAccount::PasswordHash, 255))
                    .col(boolean(UserAccount::Active).default(true))
                    .col(timestamp_with_time_zone(UserAccount::CreatedAt))
                    .col(timestamp_with_time_zone(UserAccount::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserGroup::Table)
                    .col(integer(UserGroup::UserId))
                    .col(integer(UserGroup::GroupId))
                    .primary_key(
                        Index::create()
                            .col(UserGroup::UserId)
                            .col(UserGroup::GroupId),
                    )
                    .foreign_key(&mut user_fk(
                        UserGroup::Table,
                        UserGroup::UserId,
                        "fk_user_group_user",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_group_group")
                            .from(UserGroup::Table, UserGroup::GroupId)
                            .to(SupportGroup::Table, SupportGroup::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(string_len(Session::IdHash, 64).primary_key())
                    .col(integer(Session::UserId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .foreign_key(&mut user_fk(
                        Session::Table,
                        Session::UserId,
                        "fk_session_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_user")
                    .table(Session::Table)
                    .col(Session::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Captcha::Table)
                    .col(string_len(Captcha::Id, 64).primary_key())
                    .col(integer(Captcha::Answer))
                    .col(timestamp_with_time_zone(Captcha::ExpiresAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(pk_auto(LoginAttempt::Id))
                    .col(string_len(LoginAttempt::Key, 300))
                    .col(timestamp_with_time_zone(LoginAttempt::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempt_key_at")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::Key)
                    .col(LoginAttempt::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PasswordReset::Table)
                    .col(string_len(PasswordReset::TokenHash, 64).primary_key())
                    .col(integer(PasswordReset::UserId))
                    .col(timestamp_with_time_zone(PasswordReset::ExpiresAt))
                    .foreign_key(&mut user_fk(
                        PasswordReset::Table,
                        PasswordReset::UserId,
                        "fk_password_reset_user",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CepCache::Table)
                    .col(string_len(CepCache::Cep, 8).primary_key())
                    .col(boolean(CepCache::Found))
                    .col(string_len(CepCache::Street, 300).default(""))
                    .col(string_len(CepCache::District, 200).default(""))
                    .col(string_len(CepCache::City, 200).default(""))
                    .col(string_len(CepCache::Uf, 2).default(""))
                    .col(timestamp_with_time_zone(CepCache::FetchedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CepCache::Table.into_iden(),
            PasswordReset::Table.into_iden(),
            LoginAttempt::Table.into_iden(),
            Captcha::Table.into_iden(),
            Session::Table.into_iden(),
            UserGroup::Table.into_iden(),
            UserAccount::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
