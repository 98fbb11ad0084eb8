use crate::helpers::{ENGINES, Engine, TestApp, TestResult};

#[tokio::test]
async fn healthz_answers_200_when_the_database_answers() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let response = app.get("/healthz").await?;
        assert_eq!(response.status(), 200, "{engine:?}");
        assert_eq!(response.text().await?, "ok");
    }
    Ok(())
}

#[tokio::test]
async fn healthz_answers_503_when_the_sqlite_pool_is_gone() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    app.db.close_by_ref().await?;
    let response = app.get("/healthz").await?;
    assert_eq!(response.status(), 503);
    assert_eq!(response.text().await?, "database unavailable");
    Ok(())
}

#[tokio::test]
async fn healthz_answers_503_when_the_postgres_database_is_dropped() -> TestResult {
    let app = TestApp::spawn(Engine::Postgres).await?;
    assert_eq!(app.get("/healthz").await?.status(), 200);
    if let Some(pg) = &app.storage.pg {
        pg.drop_now().await?;
    }
    let response = app.get("/healthz").await?;
    assert_eq!(response.status(), 503);
    Ok(())
}
