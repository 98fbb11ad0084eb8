//! Atende's schema, as an ordered list of migrations. Each migration is written once with
//! sea-query's schema builder so that it runs unchanged on SQLite and PostgreSQL; nothing
//! backend-specific (native enums, arrays, ILIKE) appears here without a backend check.

pub use sea_orm_migration::prelude::*;

mod m0001_catalog;
mod m0002_accounts;
mod m0003_requests;
mod m0004_attachments;
mod m0005_follow_up;
mod m0006_search_index;
mod m0007_request_key;
mod m0008_staff_desk;
mod m0009_sla_outbox;
mod m0010_admin_audit;
mod m0011_staff_find;
mod m0012_common_trigrams;
mod m0013_queue_keys;

pub struct Migrator;

/// Runs `sqlite` or `postgres` (raw statements, in order) as the connection's backend is;
/// for what the schema builder cannot say (full-text tables, trigram indexes, triggers).
pub(crate) async fn per_backend(
    manager: &SchemaManager<'_>,
    sqlite: &[&str],
    postgres: &[&str],
) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
    let db = manager.get_connection();
    let statements = match db.get_database_backend() {
        DbBackend::Sqlite => sqlite,
        DbBackend::Postgres => postgres,
        other => {
            return Err(DbErr::Migration(format!(
                "no full-text index for {other:?}"
            )));
        }
    };
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_catalog::Migration),
            Box::new(m0002_accounts::Migration),
            Box::new(m0003_requests::Migration),
            Box::new(m0004_attachments::Migration),
            Box::new(m0005_follow_up::Migration),
            Box::new(m0006_search_index::Migration),
            Box::new(m0007_request_key::Migration),
            Box::new(m0008_staff_desk::Migration),
            Box::new(m0009_sla_outbox::Migration),
            Box::new(m0010_admin_audit::Migration),
            Box::new(m0011_staff_find::Migration),
            Box::new(m0012_common_trigrams::Migration),
            Box::new(m0013_queue_keys::Migration),
        ]
    }
}
