//! Accounts and access through the real HTTP path: registration with CAPTCHA, sign-in,
//! sessions, throttling, password reset by mail, profile, and who may call what.

use app::api::accounts::{CaptchaChallenge, Profile, UserInfo};
use app::domain::account::{PersonType, Role};
use app::domain::cep::CepAddress;
use app::domain::{Field, Problem};
use app::error::AppError;
use app::server::accounts::{NewUser, create};
use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Browser, ENGINES, Engine, SmtpSink, TestApp, TestResult};

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

pub fn registration(login: &str, email: &str) -> Value {
    json!({
        "name": "Maria da Silva",
        "person": "F",
        "phone": "(61) 99999-8888",
        "cep": "70040-020",
        "address": "SBN Quadra 2, Asa Norte, Brasília/DF",
        "email": email,
        "login": login,
        "password": "segredo123",
        "password_confirm": "segredo123",
    })
}

pub async fn captcha(app: &TestApp, browser: &Browser) -> AnyResult<(String, String)> {
    let challenge: CaptchaChallenge = browser
        .call("captcha", None)
        .await?
        .map_err(|(status, err)| format!("captcha: {status} {err:?}"))?;
    let answer = app.captcha_answer(&challenge.id).await?;
    assert_eq!(challenge.a + answer, challenge.sum);
    Ok((challenge.id, answer.to_string()))
}

pub async fn register(
    app: &TestApp,
    browser: &Browser,
    input: Value,
) -> AnyResult<Result<(), (u16, AppError)>> {
    let (id, answer) = captcha(app, browser).await?;
    browser
        .call::<()>(
            "register",
            Some(json!({ "input": input, "captcha_id": id, "captcha_answer": answer })),
        )
        .await
}

pub async fn login(
    browser: &Browser,
    identifier: &str,
    password: &str,
) -> AnyResult<Result<UserInfo, (u16, AppError)>> {
    browser
        .call(
            "login",
            Some(json!({ "identifier": identifier, "password": password })),
        )
        .await
}

async fn me(browser: &Browser) -> AnyResult<Option<UserInfo>> {
    Ok(browser
        .call::<Option<UserInfo>>("me", None)
        .await?
        .map_err(|(status, err)| format!("me: {status} {err:?}"))?)
}

fn field_problem(result: &Result<(), (u16, AppError)>, field: Field) -> Option<Problem> {
    match result {
        Err((422, AppError::Validation(errors))) => errors.get(field),
        _ => None,
    }
}

/// A staff account created the way `atende user create` does it; agents work in
/// "1º Nível - NUATE".
pub async fn staff(app: &TestApp, login: &str, role: Role) -> AnyResult<()> {
    let groups = if role == Role::Agent {
        vec!["1º Nível - NUATE".into()]
    } else {
        vec![]
    };
    staff_in(app, login, role, groups).await
}

/// A staff account in these support groups (password "equipe1234").
pub async fn staff_in(
    app: &TestApp,
    login: &str,
    role: Role,
    groups: Vec<String>,
) -> AnyResult<()> {
    create(
        &app.db,
        &app.state.hashing,
        app.clock_now(),
        NewUser {
            login: login.into(),
            email: format!("{login}@atende.example"),
            name: format!("{login} da Equipe"),
            person: PersonType::Fisica,
            phone: String::new(),
            cep: String::new(),
            address: String::new(),
            role,
            password: "equipe1234".into(),
            groups,
        },
    )
    .await
    .map_err(|err| format!("{login}: {err:?}"))?;
    Ok(())
}

pub trait ClockNow {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc>;
}

impl ClockNow for TestApp {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use app::server::clock::Clock;
        self.clock.now()
    }
}

#[tokio::test]
async fn register_sign_in_and_out_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = app.browser()?;
        register(
            &app,
            &browser,
            registration("maria.silva", "maria@exemplo.com.br"),
        )
        .await?
        .map_err(|e| format!("{engine:?}: {e:?}"))?;
        assert_eq!(app.user_count().await?, 1);
        assert_eq!(me(&browser).await?, None, "registering does not sign in");

        // By login, case-insensitively; the session cookie is HttpOnly and SameSite=Lax.
        let response = browser
            .client
            .post(format!("{}/api/login", app.base))
            .json(&json!({ "identifier": "Maria.Silva", "password": "segredo123" }))
            .send()
            .await?;
        assert_eq!(response.status(), 200, "{engine:?}");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(cookie.starts_with("atende_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "not configured for https");
        let user = me(&browser).await?.ok_or("not signed in")?;
        assert_eq!(
            (user.login.as_str(), user.role),
            ("maria.silva", Role::Customer)
        );

        browser
            .call::<()>("logout", None)
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(me(&browser).await?, None);

        // By email, and a new session id every time.
        let again = app.browser()?;
        login(&again, "MARIA@exemplo.com.br", "segredo123")
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(me(&again).await?.is_some());
    }
    Ok(())
}

#[tokio::test]
async fn each_bad_field_is_refused_with_its_message_and_nothing_is_stored() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    let cases: [(&str, Value, Field); 10] = [
        ("name", json!(""), Field::Name),
        ("person", json!("X"), Field::Person),
        ("phone", json!("3333-4444"), Field::Phone),
        ("cep", json!("7004-020"), Field::Cep),
        ("address", json!("  "), Field::Address),
        ("email", json!("maria@exemplo"), Field::Email),
        ("login", json!("ma"), Field::Login),
        ("login", json!("maria silva"), Field::Login),
        ("password", json!("semnumeros"), Field::Password),
        (
            "password_confirm",
            json!("segredo124"),
            Field::PasswordConfirm,
        ),
    ];
    for (key, value, field) in cases {
        let mut input = registration("maria.silva", "maria@exemplo.com.br");
        input[key] = value.clone();
        if key == "password" {
            input["password_confirm"] = value.clone();
        }
        let result = register(&app, &browser, input).await?;
        assert!(
            field_problem(&result, field).is_some(),
            "{key}={value}: {result:?}"
        );
        if let Err((_, AppError::Validation(errors))) = &result {
            assert_eq!(errors.len(), 1, "{key}: {errors:?}");
        }
        assert_eq!(app.user_count().await?, 0, "{key} stored something");
    }
    Ok(())
}

#[tokio::test]
async fn login_and_email_are_unique_regardless_of_case() -> TestResult {
    let app = TestApp::spawn(Engine::Postgres).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    let result = register(
        &app,
        &browser,
        registration("MARIA.SILVA", "outra@exemplo.com.br"),
    )
    .await?;
    assert_eq!(
        field_problem(&result, Field::Login),
        Some(Problem::LoginTaken)
    );
    let result = register(
        &app,
        &browser,
        registration("outra", "Maria@Exemplo.com.br"),
    )
    .await?;
    assert_eq!(
        field_problem(&result, Field::Email),
        Some(Problem::EmailTaken)
    );
    assert_eq!(app.user_count().await?, 1);
    Ok(())
}

/// Registers `input` answering challenge `id` with `answer`; the CAPTCHA's problem, if any.
async fn captcha_verdict(
    browser: &Browser,
    input: &Value,
    id: &str,
    answer: &str,
) -> AnyResult<Option<Problem>> {
    let body = json!({ "input": input, "captcha_id": id, "captcha_answer": answer });
    let result = browser.call::<()>("register", Some(body)).await?;
    Ok(field_problem(&result, Field::Captcha))
}

#[tokio::test]
async fn the_captcha_is_checked_on_the_server_once_and_expires() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    let input = registration("maria.silva", "maria@exemplo.com.br");

    // A wrong answer.
    let (id, answer) = captcha(&app, &browser).await?;
    let wrong = (answer.parse::<i32>()? + 1).to_string();
    assert_eq!(
        captcha_verdict(&browser, &input, &id, &wrong).await?,
        Some(Problem::CaptchaWrong)
    );
    // The same challenge, now answered right, is spent.
    assert_eq!(
        captcha_verdict(&browser, &input, &id, &answer).await?,
        Some(Problem::CaptchaExpired)
    );
    // An unknown id.
    assert_eq!(
        captcha_verdict(&browser, &input, "forged", "1").await?,
        Some(Problem::CaptchaExpired)
    );
    // Expired after ten minutes.
    let (id, answer) = captcha(&app, &browser).await?;
    app.clock.advance(Duration::minutes(11));
    assert_eq!(
        captcha_verdict(&browser, &input, &id, &answer).await?,
        Some(Problem::CaptchaExpired)
    );
    assert_eq!(app.user_count().await?, 0);

    // A right answer used once works; replaying it does not.
    let (id, answer) = captcha(&app, &browser).await?;
    assert_eq!(captcha_verdict(&browser, &input, &id, &answer).await?, None);
    let other = registration("outro", "outro@exemplo.com.br");
    assert_eq!(
        captcha_verdict(&browser, &other, &id, &answer).await?,
        Some(Problem::CaptchaExpired)
    );
    assert_eq!(app.user_count().await?, 1);
    Ok(())
}

#[tokio::test]
async fn wrong_credentials_do_not_say_which_part_was_wrong() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    let wrong_password = login(&browser, "maria.silva", "errada123").await?;
    let unknown_user = login(&browser, "ninguem", "segredo123").await?;
    assert_eq!(wrong_password, Err((401, AppError::InvalidCredentials)));
    assert_eq!(unknown_user, Err((401, AppError::InvalidCredentials)));
    assert_eq!(me(&browser).await?, None);
    Ok(())
}

#[tokio::test]
async fn five_failures_lock_the_account_for_the_window_and_success_resets() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;

    // Four failures, then a success: the count starts again.
    for _ in 0..4 {
        assert_eq!(
            login(&browser, "maria.silva", "errada123").await?,
            Err((401, AppError::InvalidCredentials))
        );
    }
    login(&browser, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;
    for _ in 0..4 {
        assert_eq!(
            login(&browser, "maria.silva", "errada123").await?,
            Err((401, AppError::InvalidCredentials))
        );
    }
    login(&browser, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;

    // Five in a row: even the right password is refused until the window passes.
    for _ in 0..5 {
        login(&browser, "maria.silva", "errada123")
            .await?
            .err()
            .ok_or("accepted a wrong password")?;
    }
    match login(&browser, "MARIA.silva", "segredo123").await? {
        Err((429, AppError::Throttled { retry_after_secs })) => {
            assert!(
                (1..=15 * 60).contains(&retry_after_secs),
                "{retry_after_secs}"
            );
        }
        other => return Err(format!("expected throttling, got {other:?}").into()),
    }
    app.clock.advance(Duration::minutes(15));
    login(&browser, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}

#[tokio::test]
async fn twenty_failures_from_one_client_block_that_client() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    for i in 0..20 {
        let result = login(&browser, &format!("tentativa{i}"), "qualquer1").await?;
        assert_eq!(
            result,
            Err((401, AppError::InvalidCredentials)),
            "attempt {i}"
        );
    }
    let result = login(&browser, "maria.silva", "segredo123").await?;
    assert!(
        matches!(result, Err((429, AppError::Throttled { .. }))),
        "{result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_absolute_limit() -> TestResult {
    // Both engines: the activity is written back by a statement of its own, which only
    // logs its failure (a busy database must not fail a read), so only this test sees it.
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = app.browser()?;
        register(
            &app,
            &browser,
            registration("maria.silva", "maria@exemplo.com.br"),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;

        login(&browser, "maria.silva", "segredo123")
            .await?
            .map_err(|e| format!("{e:?}"))?;
        app.clock.advance(Duration::minutes(119));
        assert!(
            me(&browser).await?.is_some(),
            "active within the idle limit"
        );
        app.clock.advance(Duration::minutes(119));
        assert!(me(&browser).await?.is_some(), "activity keeps it alive");
        app.clock.advance(Duration::minutes(121));
        assert_eq!(me(&browser).await?, None, "two idle hours end it");

        login(&browser, "maria.silva", "segredo123")
            .await?
            .map_err(|e| format!("{e:?}"))?;
        for _ in 0..11 {
            app.clock.advance(Duration::minutes(60));
            assert!(me(&browser).await?.is_some());
        }
        app.clock.advance(Duration::minutes(61));
        assert_eq!(
            me(&browser).await?,
            None,
            "twelve hours end it whatever the activity"
        );
    }
    Ok(())
}

/// The mails written so far, once there are at least `count` (reset mails leave in the
/// background; waits up to ten seconds).
pub async fn mails_when(app: &TestApp, count: usize) -> AnyResult<Vec<String>> {
    // A mail file may be seen while it is still being written: wait until there are
    // enough, none empty, and two reads agree.
    let mut last = Vec::new();
    for _ in 0..100 {
        let found = mails(app)?;
        if found.len() >= count && found.iter().all(|m| !m.is_empty()) && found == last {
            return Ok(found);
        }
        last = found;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    mails(app)
}

pub fn mails(app: &TestApp) -> AnyResult<Vec<String>> {
    let dir = app.storage.data_dir().join("mail");
    let mut found = Vec::new();
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "eml") {
                found.push(std::fs::read_to_string(path)?);
            }
        }
    }
    Ok(found)
}

/// The reset token in a mail, whatever transfer encoding lettre chose.
pub fn reset_token(mail: &str) -> Option<String> {
    let unfolded = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded.find("token=")? + "token=".len();
    Some(
        unfolded[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

#[tokio::test]
async fn password_reset_by_mailed_link() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = app.browser()?;
        register(
            &app,
            &browser,
            registration("maria.silva", "maria@exemplo.com.br"),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
        let signed_in = app.browser()?;
        login(&signed_in, "maria.silva", "segredo123")
            .await?
            .map_err(|e| format!("{e:?}"))?;

        // Unknown addresses get the same answer and no mail.
        browser
            .call::<()>(
                "password-forgot",
                Some(json!({ "email": "ninguem@exemplo.com.br" })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(mails(&app)?.is_empty());

        browser
            .call::<()>(
                "password-forgot",
                Some(json!({ "email": "MARIA@exemplo.com.br" })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let sent = mails_when(&app, 1).await?;
        assert_eq!(sent.len(), 1, "{engine:?}");
        assert!(sent[0].contains("To: maria@exemplo.com.br"), "{}", sent[0]);
        let token = reset_token(&sent[0]).ok_or("no link in the mail")?;
        assert!(sent[0].contains("/redefinir-senha?token="), "{}", sent[0]);

        // The new password follows the same rules.
        let weak = browser
            .call::<()>(
                "password-reset",
                Some(json!({ "token": token, "password": "fraca", "password_confirm": "fraca" })),
            )
            .await?;
        assert_eq!(
            field_problem(&weak, Field::Password),
            Some(Problem::WeakPassword)
        );
        browser
            .call::<()>("password-reset", Some(json!({ "token": token, "password": "nova12345", "password_confirm": "nova12345" })))
            .await?
            .map_err(|e| format!("{e:?}"))?;

        assert_eq!(
            me(&signed_in).await?,
            None,
            "{engine:?}: other sessions end"
        );
        assert!(login(&browser, "maria.silva", "segredo123").await?.is_err());
        login(&browser, "maria.silva", "nova12345")
            .await?
            .map_err(|e| format!("{e:?}"))?;

        // Used once only.
        let again = browser
            .call::<()>("password-reset", Some(json!({ "token": token, "password": "outra1234", "password_confirm": "outra1234" })))
            .await?;
        assert_eq!(
            field_problem(&again, Field::Token),
            Some(Problem::LinkExpired)
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_reset_link_expires_after_thirty_minutes() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    browser
        .call::<()>(
            "password-forgot",
            Some(json!({ "email": "maria@exemplo.com.br" })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let token = reset_token(&mails_when(&app, 1).await?[0]).ok_or("no link")?;
    app.clock.advance(Duration::minutes(31));
    let late = browser
        .call::<()>(
            "password-reset",
            Some(
                json!({ "token": token, "password": "nova12345", "password_confirm": "nova12345" }),
            ),
        )
        .await?;
    assert_eq!(
        field_problem(&late, Field::Token),
        Some(Problem::LinkExpired)
    );
    login(&browser, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}

#[tokio::test]
async fn profile_is_seen_and_edited_by_its_owner() -> TestResult {
    let app = TestApp::spawn(Engine::Postgres).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    register(&app, &browser, registration("joao", "joao@exemplo.com.br"))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    login(&browser, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;

    let profile: Profile = browser
        .call("profile", None)
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(profile.phone, "(61) 99999-8888");
    assert_eq!(profile.cep, "70040-020");
    assert_eq!(profile.person, PersonType::Fisica);

    let mut edit = json!({
        "name": "Maria Souza", "person": "J", "phone": "61 3333-4444", "cep": "01001000",
        "address": "Praça da Sé, 1", "email": "joao@exemplo.com.br",
    });
    let taken = browser
        .call::<Profile>("profile-update", Some(json!({ "input": edit })))
        .await?;
    assert!(
        matches!(&taken, Err((422, AppError::Validation(e))) if e.get(Field::Email) == Some(Problem::EmailTaken)),
        "{taken:?}"
    );
    edit["email"] = json!("maria.souza@exemplo.com.br");
    let saved: Profile = browser
        .call("profile-update", Some(json!({ "input": edit })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(saved.name, "Maria Souza");
    assert_eq!(saved.person, PersonType::Juridica);
    assert_eq!(saved.phone, "(61) 3333-4444");
    let reloaded: Profile = browser
        .call("profile", None)
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(reloaded, saved);
    Ok(())
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let here = app.browser()?;
    let elsewhere = app.browser()?;
    register(
        &app,
        &here,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    login(&here, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;
    login(&elsewhere, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;

    let wrong = here
        .call::<()>("password-change", Some(json!({ "current": "errada123", "password": "nova12345", "password_confirm": "nova12345" })))
        .await?;
    assert_eq!(
        field_problem(&wrong, Field::CurrentPassword),
        Some(Problem::WrongPassword)
    );
    here.call::<()>("password-change", Some(json!({ "current": "segredo123", "password": "nova12345", "password_confirm": "nova12345" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(me(&here).await?.is_some(), "this browser stays signed in");
    assert_eq!(me(&elsewhere).await?, None, "the other one is signed out");
    assert!(login(&elsewhere, "maria.silva", "nova12345").await?.is_ok());
    Ok(())
}

#[tokio::test]
async fn cep_lookup_goes_through_the_provider_once_and_reports_outages() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    let found: Option<CepAddress> = browser
        .call("cep", Some(json!({ "cep": "70040-020" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let found = found.ok_or("known CEP not found")?;
    assert_eq!(
        (
            found.city.as_str(),
            found.uf.as_str(),
            found.district.as_str()
        ),
        ("Brasília", "DF", "Asa Norte")
    );
    assert_eq!(found.street, "SBN Quadra 2");
    let complemented: Option<CepAddress> = browser
        .call("cep", Some(json!({ "cep": "01001000" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(
        complemented.map(|a| a.street),
        Some("Praça da Sé lado ímpar".into())
    );

    let hits = app.viacep.hits.load(std::sync::atomic::Ordering::SeqCst);
    let cached: Option<CepAddress> = browser
        .call("cep", Some(json!({ "cep": "70040020" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(cached.map(|a| a.city), Some("Brasília".into()));
    assert_eq!(
        app.viacep.hits.load(std::sync::atomic::Ordering::SeqCst),
        hits,
        "answered from the cache"
    );

    let unknown: Option<CepAddress> = browser
        .call("cep", Some(json!({ "cep": "12345-678" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(unknown, None);
    let down = browser
        .call::<Option<CepAddress>>("cep", Some(json!({ "cep": "99999-999" })))
        .await?;
    assert_eq!(down, Err((503, AppError::Unavailable)));
    let malformed = browser
        .call::<Option<CepAddress>>("cep", Some(json!({ "cep": "123" })))
        .await?;
    assert!(matches!(malformed, Err((422, AppError::Validation(_)))));
    Ok(())
}

#[tokio::test]
async fn writes_from_another_site_or_without_origin_are_refused() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let body = json!({ "identifier": "x", "password": "y" });
    let plain = reqwest::Client::new();
    let no_origin = plain
        .post(format!("{}/api/login", app.base))
        .json(&body)
        .send()
        .await?;
    assert_eq!(no_origin.status(), 403);
    let foreign = plain
        .post(format!("{}/api/login", app.base))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await?;
    assert_eq!(foreign.status(), 403);
    let same = plain
        .post(format!("{}/api/login", app.base))
        .header("origin", app.base.as_str())
        .json(&body)
        .send()
        .await?;
    assert_eq!(same.status(), 401);
    Ok(())
}

/// Every server function of accounts, as a visitor and as each role.
#[tokio::test]
async fn who_may_call_each_account_function() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let setup = app.browser()?;
    register(
        &app,
        &setup,
        registration("cliente", "cliente@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    for (login_name, role) in [
        ("atendente", Role::Agent),
        ("gestor", Role::Manager),
        ("admin", Role::Admin),
    ] {
        staff(&app, login_name, role).await?;
    }
    let callers: [(&str, Option<(&str, &str)>); 5] = [
        ("visitor", None),
        ("customer", Some(("cliente", "segredo123"))),
        ("agent", Some(("atendente", "equipe1234"))),
        ("manager", Some(("gestor", "equipe1234"))),
        ("admin", Some(("admin", "equipe1234"))),
    ];
    for (who, credentials) in callers {
        let browser = app.browser()?;
        if let Some((name, password)) = credentials {
            login(&browser, name, password)
                .await?
                .map_err(|e| format!("{who}: {e:?}"))?;
        }
        let signed_in = credentials.is_some();
        let status = |result: Result<Value, (u16, AppError)>| match result {
            Ok(_) => 200,
            Err((status, _)) => status,
        };

        // Open to everyone.
        assert_eq!(
            status(browser.call("login-options", None).await?),
            200,
            "{who}"
        );
        assert_eq!(status(browser.call("captcha", None).await?), 200, "{who}");
        assert_eq!(
            status(
                browser
                    .call("cep", Some(json!({ "cep": "70040020" })))
                    .await?
            ),
            200,
            "{who}"
        );
        assert_eq!(status(browser.call("me", None).await?), 200, "{who}");
        assert_eq!(
            status(
                browser
                    .call(
                        "password-forgot",
                        // One address each: three reset mails an hour per address.
                        Some(json!({ "email": format!("x-{who}@exemplo.com.br") }))
                    )
                    .await?
            ),
            200,
            "{who}"
        );
        let bad_token = browser
            .call::<Value>("password-reset", Some(json!({ "token": "nope", "password": "nova12345", "password_confirm": "nova12345" })))
            .await?;
        assert_eq!(status(bad_token), 422, "{who}");

        // Registering is for visitors only.
        let (id, answer) = captcha(&app, &browser).await?;
        let input = registration(
            &format!("novo-{who}"),
            &format!("novo-{who}@exemplo.com.br"),
        );
        let result = browser
            .call::<Value>(
                "register",
                Some(json!({ "input": input, "captcha_id": id, "captcha_answer": answer })),
            )
            .await?;
        assert_eq!(
            status(result),
            if signed_in { 403 } else { 200 },
            "{who} register"
        );

        // Profile and password: signed-in users only, each their own.
        let expected = if signed_in { 200 } else { 401 };
        let profile = browser.call::<Value>("profile", None).await?;
        if let (Some((name, _)), Ok(profile)) = (credentials, &profile) {
            assert_eq!(
                profile["login"],
                json!(name),
                "{who} sees their own profile"
            );
        }
        assert_eq!(status(profile), expected, "{who} profile");
        let update = json!({ "input": {
            "name": "Nome Novo", "person": "F", "phone": "61999998888", "cep": "70040020",
            "address": "SBN Quadra 2", "email": format!("{who}.novo@exemplo.com.br"),
        }});
        assert_eq!(
            status(browser.call("profile-update", Some(update)).await?),
            expected,
            "{who} profile-update"
        );
        let change = json!({ "current": "nao-sei-1", "password": "nova12345", "password_confirm": "nova12345" });
        assert_eq!(
            status(browser.call("password-change", Some(change)).await?),
            if signed_in { 422 } else { 401 },
            "{who} password-change"
        );
        assert_eq!(status(browser.call("logout", None).await?), 200, "{who}");
        assert_eq!(me(&browser).await?, None, "{who} signed out");
    }
    Ok(())
}

#[tokio::test]
async fn signed_in_pages_render_on_the_server() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    let anonymous = browser
        .client
        .get(format!("{}/perfil", app.base))
        .send()
        .await?;
    assert_eq!(
        anonymous.status(),
        200,
        "a page is not an API: no 401 for the document"
    );
    assert!(anonymous.text().await?.contains("Entre para continuar."));

    login(&browser, "maria.silva", "segredo123")
        .await?
        .map_err(|e| format!("{e:?}"))?;
    // Without the hydration markers, the page reads as a person sees it.
    let html = browser
        .client
        .get(format!("{}/perfil", app.base))
        .send()
        .await?
        .text()
        .await?
        .replace("<!>", "");
    assert!(
        html.contains("Olá, Maria da Silva"),
        "header shows the user: {html}"
    );
    assert!(
        html.contains(r#"value="maria.silva""#),
        "login shown read-only"
    );
    assert!(html.contains("(61) 99999-8888") || html.contains("61999998888"));
    let home = browser
        .client
        .get(format!("{}/", app.base))
        .send()
        .await?
        .text()
        .await?
        .replace("<!>", "");
    assert!(home.contains(">Sair</button>"), "signed-in header: {home}");
    assert!(
        !home.contains(">Entrar</a>"),
        "no sign-in link for a signed-in user: {home}"
    );
    Ok(())
}

#[tokio::test]
async fn reset_mail_goes_out_over_smtp_when_configured() -> TestResult {
    let smtp = SmtpSink::start().await?;
    let url = smtp.url.clone();
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.smtp_url = Some(url);
        config.mail_from = "Central de Atendimento <atendimento@atende.example>".into();
        config.public_url = Some("https://atende.example.gov.br".into());
        config.secure_cookies = true;
    })
    .await?;
    let browser = app.browser()?;
    register(
        &app,
        &browser,
        registration("maria.silva", "maria@exemplo.com.br"),
    )
    .await?
    .map_err(|e| format!("{e:?}"))?;
    browser
        .call::<()>(
            "password-forgot",
            Some(json!({ "email": "maria@exemplo.com.br" })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;

    // The mail leaves in the background: wait for it (up to ten seconds).
    let mut received = smtp.received();
    for _ in 0..100 {
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        received = smtp.received();
    }
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].from, "<atendimento@atende.example>");
    assert_eq!(received[0].to, vec!["<maria@exemplo.com.br>".to_owned()]);
    let data = &received[0].data;
    assert!(
        data.contains("Subject: Atende =?utf-8?"),
        "encoded subject: {data}"
    );
    let token = reset_token(data).ok_or("no link in the mail")?;
    let unfolded = data.replace("=\n", "").replace("=3D", "=");
    assert!(
        unfolded.contains("https://atende.example.gov.br/redefinir-senha?token="),
        "{data}"
    );
    assert!(mails(&app)?.is_empty(), "no .eml when SMTP is configured");

    browser
        .call::<()>(
            "password-reset",
            Some(
                json!({ "token": token, "password": "nova12345", "password_confirm": "nova12345" }),
            ),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    login(&browser, "maria.silva", "nova12345")
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}
