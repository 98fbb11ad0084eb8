use std::time::Duration;

use entity::prelude::*;
use entity::{activity, portfolio, service, support_group};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, Set, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use server::seed;
use server::startup::prepare_database;

use crate::helpers::{ENGINES, Engine, TestResult, TestStorage};

async fn counts(db: &DatabaseConnection) -> Result<[u64; 4], sea_orm::DbErr> {
    Ok([
        Portfolio::find().count(db).await?,
        Service::find().count(db).await?,
        Activity::find().count(db).await?,
        SupportGroup::find().count(db).await?,
    ])
}

#[tokio::test]
async fn first_start_creates_the_schema_and_the_seed_catalog() -> TestResult {
    for engine in ENGINES {
        let storage = TestStorage::new(engine).await?;
        let db = prepare_database(&storage.config()?).await?;

        let portfolio = Portfolio::find()
            .filter(portfolio::Column::Name.eq("CENTRAL DE ATENDIMENTO AO CLIENTE"))
            .one(&db)
            .await?
            .ok_or("portfolio missing")?;
        let faturamento = Service::find()
            .filter(service::Column::PortfolioId.eq(portfolio.id))
            .filter(service::Column::Name.eq("FATURAMENTO"))
            .one(&db)
            .await?
            .ok_or("FATURAMENTO missing")?;
        let correcao = Activity::find()
            .filter(activity::Column::ServiceId.eq(faturamento.id))
            .filter(activity::Column::Name.eq("Correção de Faturas"))
            .one(&db)
            .await?
            .ok_or("Correção de Faturas missing")?;
        assert_eq!(correcao.initial_task, "Triagem");
        let group = SupportGroup::find_by_id(correcao.initial_group_id)
            .one(&db)
            .await?
            .ok_or("group missing")?;
        assert_eq!(group.name, "1º Nível - NUATE", "{engine:?}");
        assert!(Service::find().count(&db).await? >= 3);
    }
    Ok(())
}

#[tokio::test]
async fn a_second_start_duplicates_nothing() -> TestResult {
    for engine in ENGINES {
        let storage = TestStorage::new(engine).await?;
        let config = storage.config()?;
        let first = prepare_database(&config).await?;
        let before = counts(&first).await?;
        first.close().await?;

        let second = prepare_database(&config).await?;
        assert_eq!(counts(&second).await?, before, "{engine:?}");
        assert_eq!(seed::demo_catalog(&second).await?, 0, "{engine:?}");
        assert_eq!(counts(&second).await?, before, "{engine:?}");
    }
    Ok(())
}

/// Several servers (or a server and `atende user create`) started together on a new
/// database: each must find the schema and the demo catalog whole, created once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_starting_together_on_a_new_database_all_come_up() -> TestResult {
    for engine in ENGINES {
        let alone = TestStorage::new(engine).await?;
        let expected = counts(&prepare_database(&alone.config()?).await?).await?;

        let storage = TestStorage::new(engine).await?;
        let config = storage.config()?;
        let starts = (0..4).map(|_| {
            let config = config.clone();
            tokio::spawn(async move { prepare_database(&config).await })
        });
        for start in futures_util::future::join_all(starts).await {
            let db = start?.map_err(|error| format!("{engine:?}: {error}"))?;
            assert_eq!(counts(&db).await?, expected, "{engine:?}");
        }
    }
    Ok(())
}

/// Starts a server on `config` while `lock` is held, checks that the start is still
/// waiting past the busy timeout, then lets the lock go and returns the started database.
async fn start_waits_for(
    lock: DatabaseTransaction,
    config: server::config::Config,
) -> Result<DatabaseConnection, Box<dyn std::error::Error>> {
    let start = tokio::spawn(async move { prepare_database(&config).await });
    tokio::time::sleep(server::db::SQLITE_BUSY_TIMEOUT + Duration::from_secs(1)).await;
    if start.is_finished() {
        let outcome = start.await?.map(|_| ());
        return Err(format!("the start should still be waiting; it ended: {outcome:?}").into());
    }
    lock.commit().await?;
    Ok(start.await??)
}

/// A start that finds another process holding SQLite's write lock for longer than the
/// busy timeout (a long migration) waits for it rather than failing.
#[tokio::test]
async fn a_start_waits_for_another_process_holding_the_sqlite_database() -> TestResult {
    let storage = TestStorage::new(Engine::Sqlite).await?;
    let config = storage.config()?;
    let other = prepare_database(&config).await?;
    let lock = other
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;

    let db = start_waits_for(lock, config).await?;
    assert_eq!(counts(&db).await?, counts(&other).await?);
    Ok(())
}

/// A start that opens the SQLite file while another process holds it locked in the old
/// journal mode (switching to WAL needs that lock, longer than the busy timeout) waits
/// for the lock rather than failing to open the database.
#[tokio::test]
async fn a_start_waits_to_open_a_sqlite_file_another_process_holds() -> TestResult {
    let storage = TestStorage::new(Engine::Sqlite).await?;
    let config = storage.config()?;
    std::fs::create_dir_all(storage.data_dir())?;
    let mut options = sea_orm::ConnectOptions::new(config.database_url.clone());
    options.max_connections(1).map_sqlx_sqlite_opts(|opts| {
        opts.create_if_missing(true)
            .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Delete)
    });
    let other = sea_orm::Database::connect(options).await?;
    let lock = other
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Exclusive),
            ..Default::default()
        })
        .await?;
    lock.execute_unprepared("CREATE TABLE other_process (id INTEGER)")
        .await?;

    let db = start_waits_for(lock, config).await?;
    assert!(counts(&db).await?[1] >= 3, "the demo catalog is loaded");
    Ok(())
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() -> TestResult {
    let storage = TestStorage::new(Engine::Sqlite).await?;
    let db = prepare_database(&storage.config()?).await?;
    assert!(storage.data_dir().join("atende.db").is_file());
    let pragma = |name: &'static str| {
        let db = db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("PRAGMA {name}"),
                ))
                .await?
                .ok_or("no pragma row")?;
            let value: String = match row.try_get_by_index::<String>(0) {
                Ok(text) => text,
                Err(_) => row.try_get_by_index::<i64>(0)?.to_string(),
            };
            Ok::<_, Box<dyn std::error::Error>>(value)
        }
    };
    assert_eq!(pragma("journal_mode").await?, "wal");
    assert_eq!(pragma("foreign_keys").await?, "1");
    assert_eq!(pragma("busy_timeout").await?, "5000");
    Ok(())
}

#[tokio::test]
async fn foreign_keys_are_enforced_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let storage = TestStorage::new(engine).await?;
        let db = prepare_database(&storage.config()?).await?;
        let group = SupportGroup::find().one(&db).await?.ok_or("no group")?;
        let orphan = activity::ActiveModel {
            service_id: Set(999_999),
            name: Set("Órfã".into()),
            description: Set(String::new()),
            position: Set(0),
            initial_task: Set("Triagem".into()),
            initial_group_id: Set(group.id),
            active: Set(true),
            ..Default::default()
        }
        .insert(&db)
        .await;
        assert!(
            orphan.is_err(),
            "{engine:?} accepted an activity without service"
        );
        let duplicate = support_group::ActiveModel {
            name: Set(group.name.clone()),
            ..Default::default()
        }
        .insert(&db)
        .await;
        assert!(
            duplicate.is_err(),
            "{engine:?} accepted a duplicate group name"
        );
    }
    Ok(())
}

#[tokio::test]
async fn migrations_roll_back_and_forward_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let storage = TestStorage::new(engine).await?;
        let db = prepare_database(&storage.config()?).await?;
        Migrator::down(&db, None).await?;
        assert!(
            Portfolio::find().count(&db).await.is_err(),
            "{engine:?}: table left behind"
        );
        Migrator::up(&db, None).await?;
        assert_eq!(Portfolio::find().count(&db).await?, 0);
        assert!(seed::demo_catalog(&db).await? > 0);
        // the statement API works on both backends
        db.execute_unprepared("SELECT 1").await?;
    }
    Ok(())
}
