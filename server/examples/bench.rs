//! Atende's benchmark, against the release binary on a fresh embedded SQLite database
//! (or, with `--engine postgres`, a fresh database on `ATENDE_TEST_PG_URL`'s server):
//! 1. attachments: the server's peak memory before and after 10 MiB uploads (one per
//!    worker, all at once), to show uploads are streamed to disk, not held in memory;
//! 2. ticket creation through the real HTTP path (session cookie, same-origin check,
//!    validation, numbering, history) at a given concurrency;
//! 3. pages on kept-alive connections, as browsers load them: the signed-in customers
//!    loading "Meus Tickets" (server-rendered, their own tickets from step 2) for
//!    `--pages-secs` seconds, then `/healthz` (a trivial route) the same way, in the
//!    same run. The load runs on the same cores as the server.
//!
//!   scripts/bench [--tickets N] [--concurrency C] [--engine sqlite|postgres] [--pages-secs S]
//!
//! Prints throughput, latency percentiles and the server's peak memory (VmHWM). Numbers
//! go to BENCHMARKS.md by hand; no test asserts on time.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;

use common::{AnyResult, call, p50_p99};

fn arg(name: &str, default: usize) -> usize {
    common::arg(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

#[tokio::main]
async fn main() -> AnyResult<()> {
    let tickets = arg("--tickets", 5_000);
    let concurrency = arg("--concurrency", 8).max(1);
    let binary = std::env::var("ATENDE_BIN").unwrap_or_else(|_| "target/release/atende".into());
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let engine = common::arg("--engine").unwrap_or_else(|| "sqlite".into());
    let postgres = match engine.as_str() {
        "sqlite" => None,
        "postgres" => Some(common::PgBench::create("atende_bench_create").await?),
        other => return Err(format!("unknown engine {other} (sqlite or postgres)").into()),
    };
    let database_env: Vec<(&str, String)> = postgres
        .iter()
        .map(|pg| ("DATABASE_URL", pg.url.clone()))
        .collect();

    // Customers, created the way an administrator would.
    for i in 0..concurrency {
        let mut child = Command::new(&binary)
            .env("ATENDE_DATA_DIR", &data)
            .envs(database_env.iter().cloned())
            .args([
                "user",
                "create",
                "--login",
                &format!("bench{i}"),
                "--name",
                "Bench",
                "--email",
            ])
            .arg(format!("bench{i}@bench.example"))
            .args(["--role", "customer", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        child
            .stdin
            .take()
            .ok_or("stdin")?
            .write_all(b"benchmark1\n")?;
        if !child.wait()?.success() {
            return Err("user create failed".into());
        }
    }

    let mut server = Command::new(&binary)
        .env("ATENDE_DATA_DIR", &data)
        .envs(database_env.iter().cloned())
        .env("ATENDE_ADDR", "127.0.0.1:0")
        .env("ATENDE_LOG_FORMAT", "json")
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = server.id();
    let mut lines = BufReader::new(server.stdout.take().ok_or("stdout")?).lines();
    let addr = loop {
        let line = lines.next().ok_or("server exited")??;
        let event: Value = serde_json::from_str(&line)?;
        if let Some(addr) = event.get("addr").and_then(Value::as_str) {
            break addr.to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe; with
    // ATENDE_BENCH_LOG=FILE (and e.g. RUST_LOG=app=debug) it is kept for study.
    let mut keep = match std::env::var_os("ATENDE_BENCH_LOG") {
        Some(path) => Some(std::fs::File::create(path)?),
        None => None,
    };
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(file) = keep.as_mut() {
                let _ = writeln!(file, "{line}");
            }
        }
    });
    let base = format!("http://{addr}");

    // Each worker signs in once and finds the activity's fields.
    let mut workers = Vec::new();
    for i in 0..concurrency {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        call(
            &client,
            &base,
            "login",
            json!({ "identifier": format!("bench{i}"), "password": "benchmark1" }),
        )
        .await?;
        workers.push(client);
    }
    let search = call(
        &workers[0],
        &base,
        "portal-search",
        json!({ "query": "correcao de faturas" }),
    )
    .await?;
    let hit = &search[0];
    let form = call(
        &workers[0],
        &base,
        "request-form",
        json!({ "portfolio_id": hit["portfolio"]["id"], "service_id": hit["service"]["id"], "activity_id": hit["activity"]["id"] }),
    )
    .await?;
    let activity_id = hit["activity"]["id"].clone();
    let invoice = form["fields"][0]["id"].clone();
    let body = json!({ "input": {
        "activity_id": activity_id,
        "profile": { "nature": "F", "document": "529.982.247-25", "cep": "70040-020", "street": "SBN Quadra 2",
                     "number": "10", "complement": "", "district": "Asa Norte", "city": "Brasília", "uf": "DF" },
        "title": "", "fields": [[invoice, "2026-000123"]],
        "description": "Benchmark: a fatura de outubro veio com o valor errado e precisa ser corrigida.",
    }});

    // Attachments: peak memory before and after every worker sends a 10 MiB file at once.
    let before_uploads = peak_rss_kib(pid);
    let upload_started = Instant::now();
    let mut uploads = Vec::new();
    for (i, client) in workers.iter().enumerate() {
        let (client, base) = (client.clone(), base.clone());
        uploads.push(tokio::spawn(async move {
            let boundary = "bench-boundary-3f9a";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"arquivo\"; filename=\"grande{i}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
            )
            .into_bytes();
            // Different content per worker, so each file is really written.
            body.extend((0..10 * 1024 * 1024 - 9).map(|n: usize| (n.wrapping_mul(31) ^ i) as u8));
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            let response = client
                .post(format!("{base}/anexos"))
                .header("origin", &base)
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(body)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            if status.as_u16() != 201 {
                return Err(format!("upload: {status}: {}", response.text().await.unwrap_or_default()));
            }
            Ok(())
        }));
    }
    for upload in uploads {
        upload.await??;
    }
    let upload_elapsed = upload_started.elapsed();
    let after_uploads = peak_rss_kib(pid);

    let started = Instant::now();
    let per_worker = tickets.div_ceil(concurrency);
    let mut tasks = Vec::new();
    let page_clients = workers.clone();
    for client in workers {
        let (base, body) = (base.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_worker);
            for _ in 0..per_worker {
                let t = Instant::now();
                call(&client, &base, "request-create", body.clone())
                    .await
                    .map_err(|e| e.to_string())?;
                latencies.push(t.elapsed());
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed();
    let (p50, p99) = p50_p99(&mut latencies);
    let rss = peak_rss_kib(pid);

    // Each ticket queued a notice; the outbox sends them in the background (here as
    // .eml files). Pages are measured once it is done, so that they are measured alone.
    let database_url = postgres
        .as_ref()
        .map(|pg| pg.url.clone())
        .unwrap_or_else(|| format!("sqlite://{}?mode=ro", data.join("atende.db").display()));
    let drain = outbox_drained(&database_url).await?;

    let pages_secs = arg("--pages-secs", 10) as u64;
    let meus_tickets = keep_alive_load(&page_clients, &base, "/meus-tickets", pages_secs).await?;
    let healthz = keep_alive_load(&page_clients, &base, "/healthz", pages_secs).await?;
    let _ = server.kill();
    let _ = server.wait();

    if let (Some(before), Some(after)) = (before_uploads, after_uploads) {
        println!("attachments: {concurrency} uploads of 10 MiB at once");
        println!(
            "  elapsed:              {:.2} s",
            upload_elapsed.as_secs_f64()
        );
        println!(
            "  server peak RSS before: {:.1} MiB",
            before as f64 / 1024.0
        );
        println!("  server peak RSS after:  {:.1} MiB", after as f64 / 1024.0);
    }
    println!("ticket creation over HTTP, {engine}, release build, concurrency {concurrency}");
    println!("  tickets:     {}", latencies.len());
    println!("  elapsed:     {:.2} s", elapsed.as_secs_f64());
    println!(
        "  throughput:  {:.0} tickets/s",
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
    println!("  latency p50: {:.1} ms", p50.as_secs_f64() * 1e3);
    println!("  latency p99: {:.1} ms", p99.as_secs_f64() * 1e3);
    if let Some(kib) = rss {
        println!("  server peak RSS: {:.1} MiB", kib as f64 / 1024.0);
    }
    println!(
        "the notices of those tickets sent by the outbox {:.1} s after the last one, before the pages",
        drain.as_secs_f64()
    );
    for (path, load) in [("/meus-tickets", &meus_tickets), ("/healthz", &healthz)] {
        println!("GET {path} on kept-alive connections, concurrency {concurrency}, {pages_secs} s");
        println!("  requests:    {}", load.count);
        println!("  throughput:  {:.0} requests/s", load.per_second);
        println!("  latency p50: {:.2} ms", load.p50.as_secs_f64() * 1e3);
        println!("  latency p99: {:.2} ms", load.p99.as_secs_f64() * 1e3);
    }
    if let Some(pg) = postgres {
        pg.drop().await?;
    }
    Ok(())
}

/// Waits until the outbox holds no message still to send (state "pendente"); how long
/// that took.
async fn outbox_drained(database_url: &str) -> AnyResult<Duration> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let db = sea_orm::Database::connect(database_url).await?;
    let started = Instant::now();
    loop {
        let pending = entity::outbox::Entity::find()
            .filter(entity::outbox::Column::State.eq(app::server::outbox::PENDING))
            .count(&db)
            .await?;
        if pending == 0 {
            db.close().await?;
            return Ok(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err(
                format!("the outbox still holds {pending} messages after 10 minutes").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

struct Load {
    count: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// Every client GETs `path` in a loop for `secs` seconds, each on its own kept-alive
/// connection (reqwest pools and reuses it, as a browser does), checking each answer.
async fn keep_alive_load(
    clients: &[reqwest::Client],
    base: &str,
    path: &str,
    secs: u64,
) -> AnyResult<Load> {
    let until = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in clients {
        let (client, url) = (client.clone(), format!("{base}{path}"));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                let response = client.get(&url).send().await.map_err(|e| e.to_string())?;
                let status = response.status();
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                if !status.is_success() || body.is_empty() {
                    return Err(format!("{url}: {status}"));
                }
                latencies.push(t.elapsed());
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed();
    let (p50, p99) = p50_p99(&mut latencies);
    Ok(Load {
        count: latencies.len(),
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50,
        p99,
    })
}
