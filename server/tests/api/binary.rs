//! The `atende` binary itself: configuration errors, start-up and graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::TestResult;

const ATENDE: &str = env!("CARGO_BIN_EXE_atende");

#[test]
fn a_bad_variable_stops_start_up_with_one_line_naming_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    for (var, value) in [
        ("ATENDE_ADDR", "not-an-address"),
        ("DATABASE_URL", "mysql://root@localhost/atende"),
        ("ATENDE_LOG_FORMAT", "xml"),
    ] {
        let output = Command::new(ATENDE)
            .env_clear()
            .env("ATENDE_DATA_DIR", dir.path())
            .env(var, value)
            .output()?;
        assert_eq!(output.status.code(), Some(2), "{var}");
        let stderr = String::from_utf8(output.stderr)?;
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(var) && stderr.contains(value), "{stderr}");
    }
    // Nothing was created for a configuration that was refused.
    assert_eq!(std::fs::read_dir(dir.path())?.count(), 0);
    Ok(())
}

#[test]
fn an_unknown_command_prints_usage() -> TestResult {
    let output = Command::new(ATENDE).arg("frobnicate").output()?;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr)?.contains("Usage: atende"));
    Ok(())
}

#[test]
fn serves_then_stops_cleanly_on_sigterm() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut child = Command::new(ATENDE)
        .env_clear()
        .env("ATENDE_ADDR", "127.0.0.1:0")
        .env("ATENDE_DATA_DIR", dir.path().join("data"))
        .env("ATENDE_SITE_ROOT", dir.path().join("site"))
        .env("ATENDE_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();

    // The JSON log line announcing the address also proves the logs are structured.
    let addr = loop {
        let line = lines.next().ok_or("server exited before listening")??;
        let event: serde_json::Value = serde_json::from_str(&line)?;
        if let Some(addr) = event.get("addr").and_then(|a| a.as_str()) {
            break addr.to_owned();
        }
    };
    assert!(dir.path().join("data").join("atende.db").is_file());

    let mut stream = std::net::TcpStream::connect(&addr)?;
    use std::io::{Read, Write};
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()?;
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait()? {
            break exit;
        }
        if started.elapsed() > Duration::from_secs(20) {
            child.kill()?;
            return Err("server did not stop within 20 s of SIGTERM".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(exit.code(), Some(0));
    Ok(())
}

fn atende(
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> Result<std::process::Output, Box<dyn std::error::Error>> {
    use std::io::Write;
    let mut child = Command::new(ATENDE)
        .env_clear()
        .env("ATENDE_DATA_DIR", data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(stdin.as_bytes())?;
    Ok(child.wait_with_output()?)
}

#[test]
fn group_create_from_the_command_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let made = atende(&data, &["group", "create", "  2º Nível - Faturamento "], "")?;
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8(made.stdout)?.contains("created group \"2º Nível - Faturamento\""));
    for (name, complaint) in [
        ("2º Nível - Faturamento", "already taken"),
        (" ", "Required"),
    ] {
        let refused = atende(&data, &["group", "create", name], "")?;
        assert_eq!(refused.status.code(), Some(1), "{name:?}");
        let stderr = String::from_utf8(refused.stderr)?;
        assert!(stderr.contains(complaint), "{name:?}: {stderr}");
    }
    // Agents can now be put in it.
    let agent = atende(
        &data,
        &[
            "user",
            "create",
            "--login",
            "caio",
            "--name",
            "Caio",
            "--email",
            "caio@a.br",
            "--role",
            "agent",
            "--group",
            "2º Nível - Faturamento",
            "--password-stdin",
        ],
        "senhaforte3\n",
    )?;
    assert!(
        agent.status.success(),
        "{}",
        String::from_utf8_lossy(&agent.stderr)
    );
    Ok(())
}

#[tokio::test]
async fn user_create_and_list_from_the_command_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let create = |login: &str, role: &str, group: Option<&str>, password: &str| {
        let mut args = vec![
            "user",
            "create",
            "--login",
            login,
            "--name",
            "Ana Admin",
            "--role",
            role,
            "--password-stdin",
        ];
        let email = format!("{login}@atende.example");
        args.extend(["--email", &email]);
        if let Some(group) = group {
            args.extend(["--group", group]);
        }
        atende(&data, &args, &format!("{password}\n"))
    };

    let made = create("ana", "admin", None, "senhaforte1")?;
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8(made.stdout)?.contains("created user ana"));
    let agent = create("beto", "agent", Some("1º Nível - NUATE"), "senhaforte2")?;
    assert!(
        agent.status.success(),
        "{}",
        String::from_utf8_lossy(&agent.stderr)
    );

    for (login, role, group, password, complaint) in [
        ("ANA", "admin", None, "senhaforte1", "already taken"),
        ("caio", "chefe", None, "senhaforte1", "--role"),
        (
            "dora",
            "agent",
            Some("Nível Inexistente"),
            "senhaforte1",
            "--group",
        ),
        ("eva", "customer", None, "fraca", "password"),
        ("f g", "customer", None, "senhaforte1", "--login"),
    ] {
        let refused = create(login, role, group, password)?;
        assert_eq!(refused.status.code(), Some(1), "{login}");
        let stderr = String::from_utf8(refused.stderr)?;
        assert!(stderr.contains(complaint), "{login}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }

    let missing_flag = atende(
        &data,
        &[
            "user", "create", "--login", "x", "--name", "X", "--email", "x@a.br", "--role", "admin",
        ],
        "",
    )?;
    assert_eq!(
        missing_flag.status.code(),
        Some(2),
        "the password never comes from the command line"
    );

    let list = atende(&data, &["user", "list"], "")?;
    let list = String::from_utf8(list.stdout)?;
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(
        rows[0].starts_with("1\tana\tadmin\tyes\tana@atende.example"),
        "{list}"
    );
    assert!(
        rows[1].contains("beto\tagent") && rows[1].ends_with("1º Nível - NUATE"),
        "{list}"
    );

    // The account signs in on the server with the password given on standard input.
    let config = server::config::Config::from_lookup(|name| match name {
        "ATENDE_DATA_DIR" => Some(data.display().to_string()),
        "ATENDE_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })?;
    let db = server::startup::prepare_database(&config).await?;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ana = entity::user_account::Entity::find()
        .filter(entity::user_account::Column::LoginKey.eq("ana"))
        .one(&db)
        .await?
        .ok_or("ana missing")?;
    assert!(ana.password_hash.starts_with("$argon2id$"));
    let hashing = app::server::password::HashLimiter::new(1, 1);
    let verify = |password: &str, hash: &str| {
        app::server::password::verify(&hashing, password.into(), Some(hash.to_owned()))
    };
    assert_eq!(verify("senhaforte1", &ana.password_hash).await, Ok(true));
    assert_eq!(verify("senhaforte2", &ana.password_hash).await, Ok(false));

    // Role and deactivation: the administration page's code, audited as the command line.
    let role = atende(&data, &["user", "role", "beto", "manager"], "")?;
    assert!(
        role.status.success(),
        "{}",
        String::from_utf8_lossy(&role.stderr)
    );
    let off = atende(&data, &["user", "deactivate", "BETO"], "")?;
    assert!(
        off.status.success(),
        "{}",
        String::from_utf8_lossy(&off.stderr)
    );
    let unknown = atende(&data, &["user", "deactivate", "ninguem"], "")?;
    assert_eq!(unknown.status.code(), Some(1));
    let bad_role = atende(&data, &["user", "role", "beto", "chefe"], "")?;
    assert!(String::from_utf8(bad_role.stderr)?.contains("ROLE"));
    let list = String::from_utf8(atende(&data, &["user", "list"], "")?.stdout)?;
    assert!(list.contains("beto\tmanager\tno"), "{list}");
    let entries = entity::audit_entry::Entity::find().all(&db).await?;
    let actions: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e.actor.as_str(), e.kind.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("linha de comando", "usuario", "criar"),
            ("linha de comando", "usuario", "criar"),
            ("linha de comando", "usuario", "alterar-papel"),
            ("linha de comando", "usuario", "desativar"),
        ]
    );
    Ok(())
}
