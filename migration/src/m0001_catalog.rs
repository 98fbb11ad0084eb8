//! The service catalog: portfolio → service → activity, and the support groups that
//! receive new tickets.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Portfolio {
    Table,
    Id,
    Name,
    Description,
    Position,
    Active,
}

#[derive(DeriveIden)]
enum Service {
    Table,
    Id,
    PortfolioId,
    Name,
    Description,
    Position,
    Active,
}

#[derive(DeriveIden)]
enum SupportGroup {
    Table,
    Id,
    Name,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    ServiceId,
    Name,
    Description,
    Position,
    InitialTask,
    InitialGroupId,
    Active,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Portfolio::Table)
                    .col(pk_auto(Portfolio::Id))
                    .col(string_len_uniq(Portfolio::Name, 200))
                    .col(text(Portfolio::Description).default(""))
                    .col(integer(Portfolio::Position).default(0))
                    .col(boolean(Portfolio::Active).default(true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SupportGroup::Table)
                    .col(pk_auto(SupportGroup::Id))
                    .col(string_len_uniq(SupportGroup::Name, 200))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Service::Table)
                    .col(pk_auto(Service::Id))
                    .col(integer(Service::PortfolioId))
                    .col(string_len(Service::Name, 200))
                    .col(text(Service::Description).default(""))
                    .col(integer(Service::Position).default(0))
                    .col(boolean(Service::Active).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_service_portfolio")
                            .from(Service::Table, Service::PortfolioId)
                            .to(Portfolio::Table, Portfolio::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_service_portfolio_name")
                    .table(Service::Table)
                    .col(Service::PortfolioId)
                    .col(Service::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .col(pk_auto(Activity::Id))
                    .col(integer(Activity::ServiceId))
                    .col(string_len(Activity::Name, 200))
                    .col(text(Activity::Description).default(""))
                    .col(integer(Activity::Position).default(0))
                    .col(string_len(Activity::InitialTask, 200))
                    .col(integer(Activity::InitialGroupId))
                    .col(boolean(Activity::Active).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_service")
                            .from(Activity::Table, Activity::ServiceId)
                            .to(Service::Table, Service::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_group")
                            .from(Activity::Table, Activity::InitialGroupId)
                            .to(SupportGroup::Table, SupportGroup::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_activity_service_name")
                    .table(Activity::Table)
                    .col(Activity::ServiceId)
                    .col(Activity::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Activity::Table.into_iden(),
            Service::Table.into_iden(),
            SupportGroup::Table.into_iden(),
            Portfolio::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
