//! The outbox worker's throughput: N messages queued (default 5,000), sent by the real
//! worker (`app::server::outbox::pass`) through lettre to a real SMTP server on loopback
//! (aiosmtpd, the mail tests' `server/tests/smtp_sink.py`, from `scripts/bootstrap
//! --test`), each marked sent in the database, one message in flight or several.
//!
//!   scripts/bench --outbox [--messages 5000] [--engine sqlite|postgres] [--concurrency 1]
//!
//! Prints messages per second. Numbers go to BENCHMARKS.md by hand; no test asserts on time.

use std::io::BufRead;
use std::time::Instant;

use entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

mod common;

use common::{AnyResult, arg};

fn main() -> AnyResult<()> {
    let runtime = server::startup::runtime()?;
    runtime.block_on(run())
}

async fn run() -> AnyResult<()> {
    let messages: usize = arg("--messages")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let engine = arg("--engine").unwrap_or_else(|| "sqlite".into());
    let concurrency = arg("--concurrency").unwrap_or_else(|| "1".into());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut sink = std::process::Command::new(root.join(".tools/venv/bin/python"))
        .arg(root.join("server/tests/smtp_sink.py"))
        .args(["--port", &port.to_string(), "--dir"])
        .arg(dir.path().join("spool"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("aiosmtpd ({e}): run scripts/bootstrap --test first"))?;
    let mut ready = String::new();
    std::io::BufReader::new(sink.stdout.take().ok_or("stdout")?).read_line(&mut ready)?;

    let postgres = match engine.as_str() {
        "postgres" => Some(common::PgBench::create("atende_bench_outbox").await?),
        _ => None,
    };
    let database_url = postgres.as_ref().map(|pg| pg.url.clone());
    let data = dir.path().join("data");
    let smtp = format!("smtp://127.0.0.1:{port}");
    let config = server::config::Config::from_lookup(|name| match name {
        "ATENDE_ADDR" => Some("127.0.0.1:0".into()),
        "ATENDE_DATA_DIR" => Some(data.display().to_string()),
        "DATABASE_URL" => database_url.clone(),
        "ATENDE_SMTP_URL" => Some(smtp.clone()),
        "ATENDE_MAIL_CONCURRENCY" => Some(concurrency.clone()),
        _ => None,
    })?;
    // Built, not served: no background worker competes with the passes timed here.
    let app = server::startup::Application::build(&config).await?;
    let state = app.state().clone();
    let now = chrono::Utc::now();
    for chunk in (0..messages).collect::<Vec<_>>().chunks(500) {
        let letters = chunk
            .iter()
            .map(|i| app::server::outbox::Letter {
                kind: "aberto",
                ticket_id: None,
                recipient: format!("pessoa{i}@exemplo.com.br"),
                subject: format!("[Atende #{i}] Ticket aberto: Correção de Faturas"),
                text: "Olá.\n\nRecebemos a sua solicitação.\n".repeat(10),
                html: "<p>Olá.</p><p>Recebemos a sua solicitação.</p>".repeat(10),
            })
            .collect();
        app::server::outbox::enqueue(&state.db, now, letters).await?;
    }
    let started = Instant::now();
    let mut sent = 0;
    while sent < messages as u64 {
        let done = app::server::outbox::pass(&state).await?;
        if done.sent == 0 {
            return Err(format!("nothing sent ({done:?})").into());
        }
        sent += done.sent;
    }
    let took = started.elapsed().as_secs_f64();
    let marked = outbox::Entity::find()
        .filter(outbox::Column::State.eq("enviada"))
        .count(&state.db)
        .await?;
    println!(
        "outbox on {engine}, {concurrency} in flight: {messages} messages in {took:.1} s = {:.0} messages/s ({marked} marked sent)",
        messages as f64 / took
    );
    let _ = sink.kill();
    if let Some(pg) = postgres {
        drop(state);
        drop(app);
        pg.drop().await?;
    }
    Ok(())
}
