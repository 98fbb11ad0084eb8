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
