//! The attacks and accidents of the hardening issue, each against the real server:
//! parallel password guesses, unbounded hashing, oversized identifiers, the CAPTCHA's
//! place in registration, reset links used twice at once, reverse proxies, a busy
//! database, requests with extreme values, and what a panic answers.

use app::api::accounts::UserInfo;
use app::domain::{Field, Problem};
use app::error::AppError;
use chrono::Duration;
use entity::login_attempt;
use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement, TransactionTrait};
use serde_json::{Value, json};

use crate::accounts::{captcha, login, mails_when, register, registration};
use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, customer};

type Outcome<T> = Result<T, (u16, AppError)>;

async fn ok<T>(call: AnyResult<Outcome<T>>) -> AnyResult<T> {
    call?.map_err(|e| format!("{e:?}").into())
}

/// Counts outcomes: (signed in, wrong credentials, throttled, busy, other).
fn tally(outcomes: &[Outcome<UserInfo>]) -> (usize, usize, usize, usize, Vec<String>) {
    let (mut good, mut wrong, mut throttled, mut busy, mut other) = (0, 0, 0, 0, Vec::new());
    for outcome in outcomes {
        match outcome {
            Ok(_) => good += 1,
            Err((401, AppError::InvalidCredentials)) => wrong += 1,
            Err((429, AppError::Throttled { .. })) => throttled += 1,
            Err((503, AppError::Busy)) => busy += 1,
            Err(e) => other.push(format!("{e:?}")),
        }
    }
    (good, wrong, throttled, busy, other)
}

/// A browser in which Maria registered ("maria.silva", "segredo123"), not signed in.
async fn maria(app: &TestApp) -> AnyResult<Browser> {
    let browser = app.browser()?;
    ok(register(
        app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await)
    .await?;
    Ok(browser)
}

/// Sign-in attempts counted (per account and per client; not the other budgets).
async fn attempts(app: &TestApp) -> AnyResult<u64> {
    use sea_orm::{ColumnTrait, Condition, QueryFilter};
    Ok(login_attempt::Entity::find()
        .filter(
            Condition::any()
                .add(login_attempt::Column::Key.starts_with("user:"))
                .add(login_attempt::Column::Key.starts_with("login:"))
                .add(login_attempt::Column::Key.starts_with("ip:")),
        )
        .count(&app.db)
        .await?)
}

#[tokio::test]
async fn parallel_guesses_cannot_pass_the_budget() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = maria(&app).await?;

        // 50 wrong passwords for one account, all at once: 5 are verified, the rest
        // refused before any hashing.
        let guesses = join_all((0..50).map(|i| {
            let browser = &browser;
            async move { login(browser, "maria.silva", &format!("errada{i}")).await }
        }))
        .await
        .into_iter()
        .collect::<AnyResult<Vec<_>>>()?;
        let (good, wrong, throttled, busy, other) = tally(&guesses);
        assert_eq!(
            (good, busy, other.len()),
            (0, 0, 0),
            "{engine:?}: {other:?}"
        );
        assert_eq!(wrong, 5, "{engine:?}: verified guesses");
        assert_eq!(throttled, 45, "{engine:?}");
        // Its e-mail is the same account: no fresh budget there.
        let by_email = login(&browser, "MARIA@exemplo.com.br", "segredo123").await?;
        assert!(
            matches!(by_email, Err((429, AppError::Throttled { .. }))),
            "{engine:?}: {by_email:?}"
        );

        // 50 wrong sign-ins to 50 different accounts from one client: 20 verified.
        app.clock.advance(Duration::minutes(16));
        let spread = join_all((0..50).map(|i| {
            let browser = &browser;
            async move { login(browser, &format!("ninguem{i}"), "qualquer1").await }
        }))
        .await
        .into_iter()
        .collect::<AnyResult<Vec<_>>>()?;
        let (good, wrong, throttled, busy, other) = tally(&spread);
        assert_eq!(
            (good, busy, other.len()),
            (0, 0, 0),
            "{engine:?}: {other:?}"
        );
        assert_eq!(wrong, 20, "{engine:?}: verified sign-ins from one client");
        assert_eq!(throttled, 30, "{engine:?}");
    }
    Ok(())
}

#[tokio::test]
async fn a_right_password_gives_its_attempt_back() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = maria(&app).await?;
    for _ in 0..30 {
        ok(login(&browser, "maria.silva", "segredo123").await).await?;
    }
    assert_eq!(
        attempts(&app).await?,
        0,
        "successes are not counted anywhere"
    );
    Ok(())
}

#[tokio::test]
async fn identifiers_longer_than_any_account_are_refused_before_any_work() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = app.browser()?;
        for identifier in ["a".repeat(255), "x".repeat(300), "ç".repeat(10_000)] {
            let result = login(&browser, &identifier, "segredo123").await?;
            match result {
                Err((422, AppError::Validation(errors))) => {
                    assert_eq!(errors.get(Field::Identifier), Some(Problem::TooLong));
                }
                other => return Err(format!("{engine:?}: {other:?}").into()),
            }
        }
        // A NUL cannot reach PostgreSQL either.
        let nul = login(&browser, "maria\u{0}", "segredo123").await?;
        assert!(
            matches!(&nul, Err((422, AppError::Validation(e))) if e.get(Field::Identifier) == Some(Problem::InvalidCharacters)),
            "{engine:?}: {nul:?}"
        );
        assert_eq!(attempts(&app).await?, 0, "{engine:?}: nothing was counted");
        // The longest possible e-mail is still an ordinary (wrong) sign-in.
        let longest = format!("{}@exemplo.com.br", "m".repeat(254 - 15));
        assert_eq!(
            login(&browser, &longest, "segredo123").await?,
            Err((401, AppError::InvalidCredentials)),
            "{engine:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_password_at_the_character_limit_works_whatever_its_bytes() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    // 128 characters, 248 bytes.
    let password = format!("{}12345678", "ção".repeat(40));
    assert_eq!(password.chars().count(), 128);
    let mut input = registration("maria.silva", "maria@exemplo.com.br");
    input["password"] = json!(password);
    input["password_confirm"] = json!(password);
    ok(register(&app, &browser, input).await).await?;
    ok(login(&browser, "maria.silva", &password).await).await?;
    // One character more is refused when set, and never verified at sign-in.
    let browser = app.browser()?;
    let mut input = registration("joana.souza", "joana@exemplo.com.br");
    let longer = format!("{password}9");
    input["password"] = json!(longer);
    input["password_confirm"] = json!(longer);
    let refused = register(&app, &browser, input).await?;
    assert!(
        matches!(&refused, Err((422, AppError::Validation(e))) if e.get(Field::Password) == Some(Problem::PasswordTooLong)),
        "{refused:?}"
    );
    Ok(())
}

#[tokio::test]
async fn password_hashing_is_bounded_and_says_try_again() -> TestResult {
    // One hash at a time and sixteen waiting; a trusted proxy gives every request its
    // own client address, so no throttle stands in front of the hashing.
    let proxies = vec!["127.0.0.1/32".parse()?];
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.hash_concurrency = 1;
        config.trusted_proxies = proxies;
    })
    .await?;
    let outcomes = join_all((0..60).map(|i| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(app.url("/api/login"))
                .header("origin", &app.base)
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .json(&json!({ "identifier": format!("ninguem{i}"), "password": "qualquer1" }))
                .send()
                .await?;
            let status = response.status().as_u16();
            let error: AppError = serde_json::from_str(&response.text().await?)?;
            AnyResult::Ok(Err::<UserInfo, _>((status, error)))
        }
    }))
    .await
    .into_iter()
    .collect::<AnyResult<Vec<_>>>()?;
    let (good, wrong, throttled, busy, other) = tally(&outcomes);
    assert_eq!((good, throttled, other.len()), (0, 0, 0), "{other:?}");
    assert!(
        wrong >= 17,
        "at least the running and waiting ones: {wrong}"
    );
    assert!(
        busy >= 1,
        "nobody was asked to try again ({wrong} verified)"
    );
    assert_eq!(wrong + busy, 60);
    // Refused ones were not counted as guesses: each address has room for more.
    assert_eq!(attempts(&app).await?, 2 * wrong as u64);
    let message = AppError::Busy.message(app::i18n::Lang::Pt);
    assert!(message.contains("Tente novamente"), "{message}");
    Ok(())
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() -> TestResult {
    async fn wrong_from(app: &TestApp, forwarded: &str, i: usize) -> AnyResult<u16> {
        Ok(app
            .client
            .post(app.url("/api/login"))
            .header("origin", &app.base)
            .header("x-forwarded-for", forwarded)
            .json(&json!({ "identifier": format!("ninguem{i}"), "password": "qualquer1" }))
            .send()
            .await?
            .status()
            .as_u16())
    }
    // Without trusted proxies the header is ignored: one budget for the peer.
    let app = TestApp::spawn(Engine::Sqlite).await?;
    for i in 0..20 {
        assert_eq!(wrong_from(&app, &format!("198.51.100.{i}"), i).await?, 401);
    }
    assert_eq!(wrong_from(&app, "198.51.100.99", 99).await?, 429);

    // With the proxy trusted: the forwarded address counts, IPv6 by its /64.
    let proxies = vec!["127.0.0.0/8".parse()?];
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.trusted_proxies = proxies;
    })
    .await?;
    for i in 0..20 {
        assert_eq!(wrong_from(&app, "2001:db8:1:2::1", i).await?, 401);
    }
    // Another host in the same /64: the same budget, spent.
    assert_eq!(wrong_from(&app, "2001:db8:1:2:ffff::7", 20).await?, 429);
    // Another client behind the same proxy: untouched.
    assert_eq!(wrong_from(&app, "2001:db8:1:3::1", 21).await?, 401);
    // A forged left part does not buy a new budget: the proxy's entry counts.
    assert_eq!(
        wrong_from(&app, "192.0.2.55, 2001:db8:1:2::9", 22).await?,
        429
    );
    Ok(())
}

#[tokio::test]
async fn the_captcha_is_checked_before_anything_about_accounts_is_said() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = maria(&app).await?;
    let (id, answer) = captcha(&app, &browser).await?;
    let wrong = (answer.parse::<i32>()? + 1).to_string();
    let result = browser
        .call::<()>(
            "register",
            Some(json!({
                "input": registration("maria.silva", "maria@exemplo.com.br"),
                "captcha_id": id,
                "captcha_answer": wrong,
            })),
        )
        .await?;
    match result {
        Err((422, AppError::Validation(errors))) => {
            assert_eq!(errors.get(Field::Captcha), Some(Problem::CaptchaWrong));
            assert_eq!(
                errors.get(Field::Login),
                None,
                "told a bot the login is taken"
            );
            assert_eq!(
                errors.get(Field::Email),
                None,
                "told a bot the e-mail is taken"
            );
        }
        other => return Err(format!("{other:?}").into()),
    }
    // Solved, the same form says what is taken.
    let taken = register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?;
    match taken {
        Err((422, AppError::Validation(errors))) => {
            assert_eq!(errors.get(Field::Login), Some(Problem::LoginTaken));
            assert_eq!(errors.get(Field::Email), Some(Problem::EmailTaken));
        }
        other => return Err(format!("{other:?}").into()),
    }
    // A garbage id (NUL included) is an expired challenge, not a server error.
    for id in ["\u{0}", "x'; drop table captcha; --", &"a".repeat(500)] {
        let result = browser
            .call::<()>(
                "register",
                Some(json!({
                    "input": registration("joana", "joana@exemplo.com.br"),
                    "captcha_id": id,
                    "captcha_answer": "3",
                })),
            )
            .await?;
        assert!(
            matches!(&result, Err((422, AppError::Validation(e))) if e.get(Field::Captcha) == Some(Problem::CaptchaExpired)),
            "{result:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn reset_mails_are_rate_limited_per_address_and_per_client() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = maria(&app).await?;
    let forgot = |email: String| {
        let browser = &browser;
        async move {
            browser
                .call::<()>("password-forgot", Some(json!({ "email": email })))
                .await
        }
    };
    for _ in 0..3 {
        ok(forgot("maria@exemplo.com.br".into()).await).await?;
    }
    let fourth = forgot("MARIA@exemplo.com.br".into()).await?;
    assert!(
        matches!(fourth, Err((429, AppError::Throttled { .. }))),
        "{fourth:?}"
    );
    assert_eq!(mails_when(&app, 3).await?.len(), 3, "three mails, not four");
    // The same client asking for other addresses: ten in the hour, then refused.
    for i in 0..7 {
        ok(forgot(format!("outra{i}@exemplo.com.br")).await).await?;
    }
    let eleventh = forgot("mais.uma@exemplo.com.br".into()).await?;
    assert!(
        matches!(eleventh, Err((429, AppError::Throttled { .. }))),
        "{eleventh:?}"
    );
    // An hour later, the address may ask again.
    app.clock.advance(Duration::minutes(61));
    ok(forgot("maria@exemplo.com.br".into()).await).await?;
    assert_eq!(mails_when(&app, 4).await?.len(), 4);
    Ok(())
}

#[tokio::test]
async fn a_reset_link_used_twice_at_once_works_once() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = maria(&app).await?;
        ok(browser
            .call::<()>(
                "password-forgot",
                Some(json!({ "email": "maria@exemplo.com.br" })),
            )
            .await)
        .await?;
        let mail = mails_when(&app, 1).await?.pop().ok_or("no mail")?;
        let token = crate::accounts::reset_token(&mail).ok_or("no link")?;
        let uses = join_all((0..6).map(|i| {
            let (browser, token) = (&browser, token.clone());
            async move {
                let password = format!("nova{i}senha");
                browser
                    .call::<()>(
                        "password-reset",
                        Some(json!({ "token": token, "password": password, "password_confirm": password })),
                    )
                    .await
            }
        }))
        .await
        .into_iter()
        .collect::<AnyResult<Vec<_>>>()?;
        let worked = uses.iter().filter(|u| u.is_ok()).count();
        assert_eq!(worked, 1, "{engine:?}: {uses:?}");
        for refused in uses.iter().filter(|u| u.is_err()) {
            assert!(
                matches!(refused, Err((422, AppError::Validation(e))) if e.get(Field::Token) == Some(Problem::LinkExpired)),
                "{engine:?}: {refused:?}"
            );
        }
    }
    Ok(())
}

#[tokio::test]
async fn captchas_and_cep_lookups_are_rate_limited_per_client() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    for _ in 0..60 {
        ok(browser.call::<Value>("captcha", None).await).await?;
    }
    let refused = browser.call::<Value>("captcha", None).await?;
    assert!(
        matches!(refused, Err((429, AppError::Throttled { .. }))),
        "{refused:?}"
    );
    let rows = entity::captcha::Entity::find().count(&app.db).await?;
    assert_eq!(rows, 60, "a refused request wrote no challenge");
    for i in 0..60 {
        ok(browser
            .call::<Value>("cep", Some(json!({ "cep": format!("7004{:04}", i) })))
            .await)
        .await?;
    }
    let calls_before = app.viacep.hits.load(std::sync::atomic::Ordering::SeqCst);
    let refused = browser
        .call::<Value>("cep", Some(json!({ "cep": "70040999" })))
        .await?;
    assert!(
        matches!(refused, Err((429, AppError::Throttled { .. }))),
        "{refused:?}"
    );
    assert_eq!(
        app.viacep.hits.load(std::sync::atomic::Ordering::SeqCst),
        calls_before,
        "a refused lookup reached the CEP service"
    );
    Ok(())
}

#[tokio::test]
async fn housekeeping_sweeps_what_expired() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = maria(&app).await?;
        ok(browser.call::<Value>("captcha", None).await).await?;
        ok(browser
            .call::<()>(
                "password-forgot",
                Some(json!({ "email": "maria@exemplo.com.br" })),
            )
            .await)
        .await?;
        let _ = login(&browser, "maria.silva", "errada1").await?;
        ok(login(&browser, "maria.silva", "segredo123").await).await?;
        let count = |table: &'static str| {
            let db = app.db.clone();
            async move {
                let row = db
                    .query_one_raw(Statement::from_string(
                        db.get_database_backend(),
                        format!("SELECT COUNT(*) FROM {table}"),
                    ))
                    .await?
                    .ok_or("no count")?;
                AnyResult::Ok(row.try_get_by_index::<i64>(0)?)
            }
        };
        assert!(count("captcha").await? >= 1);
        assert_eq!(count("password_reset").await?, 1);
        assert!(count("login_attempt").await? >= 1);
        assert_eq!(count("session").await?, 1);
        // Nothing is due yet.
        let swept = app::server::maintenance::run_once(&app.state).await?;
        assert_eq!(swept.reset_links, 0);
        assert_eq!(swept.sessions, 0);
        // A day later everything above has expired.
        app.clock.advance(Duration::hours(25));
        let swept = app::server::maintenance::run_once(&app.state).await?;
        assert!(
            swept.captchas >= 1 && swept.attempts >= 1,
            "{engine:?}: {swept:?}"
        );
        for table in ["captcha", "password_reset", "login_attempt", "session"] {
            assert_eq!(count(table).await?, 0, "{engine:?}: {table}");
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_busy_database_does_not_turn_a_read_into_an_error() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "maria").await?;
    // The session's activity is due to be written back...
    app.clock.advance(Duration::minutes(5));
    // ...while another writer holds SQLite's only write lock past the busy timeout.
    let txn = app.db.begin().await?;
    txn.execute_unprepared("UPDATE ticket_counter SET last_number = last_number")
        .await?;
    let me: Option<UserInfo> = ok(browser.call("me", None).await).await?;
    assert_eq!(me.map(|u| u.login), Some("maria".to_owned()));
    let page = browser.get("/meus-tickets").await?;
    assert_eq!(page.status().as_u16(), 200);
    txn.rollback().await?;
    Ok(())
}

/// Every server function that takes a number, with the extremes of its type and past
/// them: each answers (with an error where the value makes no sense), none panics or
/// drops the connection, and the server goes on serving.
#[tokio::test]
async fn extreme_values_never_crash_a_request() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = customer(&app, "maria").await?;
        let huge: Vec<Value> = vec![
            json!(0),
            json!(-1),
            json!(i32::MIN),
            json!(i32::MAX),
            json!(i64::MIN),
            json!(i64::MAX),
            json!(4_611_686_018_427_387_904_u64),
            json!(u64::MAX),
            json!(1e300),
            json!("\u{0}"),
        ];
        let mut calls: Vec<(&str, Value)> = Vec::new();
        for v in &huge {
            calls.push((
                "my-tickets",
                json!({ "filter": { "query": "", "situation": null, "sort": "Created", "ascending": false, "page": v } }),
            ));
            calls.push((
                "my-tickets",
                json!({ "filter": { "query": "\u{0}fatura\u{1b}", "situation": "Open", "sort": "Number", "ascending": true, "page": v } }),
            ));
            calls.push(("ticket", json!({ "number": v })));
            calls.push(("ticket-note", json!({ "number": v, "text": "nota" })));
            calls.push(("ticket-attach", json!({ "number": v, "attachments": [v] })));
            calls.push((
                "ticket-opinion",
                json!({ "number": v, "kind": "elogio", "text": "x" }),
            ));
            calls.push((
                "ticket-rate",
                json!({ "number": v, "score": v, "comment": "" }),
            ));
            calls.push(("ticket-reopen", json!({ "number": v, "reason": "x" })));
            calls.push(("ticket-close", json!({ "number": v, "solution": "x" })));
            calls.push(("portal-services", json!({ "portfolio_id": v })));
            calls.push((
                "portal-activities",
                json!({ "portfolio_id": v, "service_id": v }),
            ));
            calls.push((
                "request-form",
                json!({ "portfolio_id": v, "service_id": v, "activity_id": v }),
            ));
            calls.push((
                "request-create",
                json!({ "input": { "activity_id": v, "profile": {}, "title": "", "fields": [[v, "x"]], "description": "x", "attachments": [v] } }),
            ));
        }
        calls.push(("portal-search", json!({ "query": "\u{0}".repeat(5000) })));
        calls.push((
            "portal-search",
            json!({ "query": "fatura ".repeat(10_000) }),
        ));
        for (endpoint, args) in calls {
            let response = browser
                .client
                .post(format!("{}/api/{endpoint}", browser.base))
                .json(&args)
                .send()
                .await
                .map_err(|e| format!("{engine:?} {endpoint} {args}: no answer: {e}"))?;
            let status = response.status().as_u16();
            assert!(
                status < 500,
                "{engine:?} {endpoint} {args}: {status} {}",
                response.text().await.unwrap_or_default()
            );
        }
        // Still serving.
        let list: app::api::tickets::TicketPage = ok(browser
            .call(
                "my-tickets",
                Some(json!({ "filter": { "query": "", "situation": null, "sort": "Created", "ascending": false, "page": 0 } })),
            )
            .await)
        .await?;
        assert_eq!(list.filter.page, 1, "page 0 is page 1");
    }
    Ok(())
}

#[tokio::test]
async fn a_panic_answers_500_and_the_server_goes_on() -> TestResult {
    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }
    let routes = axum::Router::new().route("/teste/panico", axum::routing::get(boom));
    let app = TestApp::spawn_with(Engine::Sqlite, |_| {}, Some(routes), |_| Ok(())).await?;
    let clients: Vec<Browser> = (0..3).map(|_| app.browser()).collect::<Result<_, _>>()?;
    for browser in &clients {
        let response = browser.get("/teste/panico").await?;
        assert_eq!(response.status().as_u16(), 500);
    }
    assert_eq!(app.get("/healthz").await?.status().as_u16(), 200);
    Ok(())
}

#[tokio::test]
async fn sqlite_confirms_a_transaction_only_once_it_is_on_disk() -> TestResult {
    let mode = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    "PRAGMA synchronous",
                ))
                .await?
                .ok_or("no answer")?;
            AnyResult::Ok(row.try_get_by_index::<i32>(0)?)
        }
    };
    let app = TestApp::spawn(Engine::Sqlite).await?;
    assert_eq!(mode(&app).await?, 2, "FULL by default");
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.sqlite_synchronous = server::config::SqliteSync::Normal;
    })
    .await?;
    assert_eq!(mode(&app).await?, 1, "NORMAL only when asked for");
    Ok(())
}

/// A cached statement is bound and run, not parsed and planned again at each use: the
/// bundled SQLite is built with the query planner stability guarantee
/// (`.cargo/config.toml`). Without it, a bound LIMIT (every page, every `.one()`) marked
/// each statement to be prepared anew whenever it was bound: 17 % of the server's CPU
/// time on "Meus Tickets" under load.
#[tokio::test]
async fn sqlite_plans_a_statement_once_whatever_is_bound() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT sqlite_compileoption_used('ENABLE_QPSG')",
        ))
        .await?
        .ok_or("no answer")?;
    assert_eq!(row.try_get_by_index::<i32>(0)?, 1);
    Ok(())
}

#[tokio::test]
async fn https_instances_pin_https_and_use_a_host_only_cookie() -> TestResult {
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.public_url = Some("https://atende.example.gov.br".into());
        config.secure_cookies = true;
    })
    .await?;
    let browser = maria(&app).await?;
    let response = browser
        .client
        .post(app.url("/api/login"))
        .json(&json!({ "identifier": "maria.silva", "password": "segredo123" }))
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 200);
    let hsts = response
        .headers()
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(hsts.starts_with("max-age=31536000"), "{hsts:?}");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("__Host-atende_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    // The browser sends it back (only over https, which the proxy in front terminates).
    let pair = cookie.split(';').next().unwrap_or_default().to_owned();
    let me: Option<UserInfo> = app
        .client
        .post(app.url("/api/me"))
        .header("cookie", pair)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.base)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(me.map(|u| u.login), Some("maria.silva".to_owned()));

    // A plain-http instance sends no HSTS and the plain cookie name.
    let plain = TestApp::spawn(Engine::Sqlite).await?;
    let page = plain.get("/entrar").await?;
    assert!(page.headers().get("strict-transport-security").is_none());
    Ok(())
}

/// A transaction of the server layer reads, then writes (checks, then changes). On SQLite
/// it must hold the write lock from its BEGIN: a deferred one fails at its first write
/// ("database is locked", a 500 for the user) when another connection committed after
/// its first read. With `begin_write` the other writer waits its turn and both succeed.
#[tokio::test]
async fn a_read_then_write_transaction_is_not_failed_by_another_writer() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let backend = app.db.get_database_backend();
    let sql = |text: &str| Statement::from_string(backend, text.to_owned());

    let txn = app::server::begin_write(&app.db).await?;
    txn.query_one_raw(sql("SELECT COUNT(*) FROM setting"))
        .await?;
    let db = app.db.clone();
    let other = tokio::spawn(async move {
        db.execute_raw(Statement::from_string(
            backend,
            "INSERT INTO setting (key, value) VALUES ('teste-outro', '1')".to_owned(),
        ))
        .await
    });
    // Long enough for the other connection to have committed, had it not waited.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    txn.execute_raw(sql(
        "INSERT INTO setting (key, value) VALUES ('teste-primeiro', '2')",
    ))
    .await?;
    txn.commit().await?;
    other.await??;

    let rows = app
        .db
        .query_all_raw(sql(
            "SELECT key FROM setting WHERE key LIKE 'teste-%' ORDER BY key",
        ))
        .await?;
    assert_eq!(rows.len(), 2);
    Ok(())
}
