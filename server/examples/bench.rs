//! Atende's benchmark: ticket creation through the real HTTP path (session cookie,
//! same-origin check, validation, numbering, history) against the release binary on a
//! fresh embedded SQLite database, at a given concurrency.
//!
//!   scripts/bench [--tickets N] [--concurrency C]
//!
//! Prints throughput, latency percentiles and the server's peak memory (VmHWM). Numbers
//! go to BENCHMARKS.md by hand; no test asserts on time.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
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

async fn call(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    body: Value,
) -> AnyResult<Value> {
    let response = client
        .post(format!("{base}/api/{endpoint}"))
        .header("origin", base)
        .json(&body)
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        return Err(format!("{endpoint}: {status}: {text}").into());
    }
    Ok(serde_json::from_str(&text)?)
}

#[tokio::main]
async fn main() -> AnyResult<()> {
    let tickets = arg("--tickets", 5_000);
    let concurrency = arg("--concurrency", 8).max(1);
    let binary = std::env::var("ATENDE_BIN").unwrap_or_else(|_| "target/release/atende".into());
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");

    // Customers, created the way an administrator would.
    for i in 0..concurrency {
        let mut child = Command::new(&binary)
            .env("ATENDE_DATA_DIR", &data)
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
        .env("ATENDE_ADDR", "127.0.0.1:0")
        .env("ATENDE_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
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
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
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

    let started = Instant::now();
    let per_worker = tickets.div_ceil(concurrency);
    let mut tasks = Vec::new();
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
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let rss = peak_rss_kib(pid);
    let _ = server.kill();
    let _ = server.wait();

    println!("ticket creation over HTTP, SQLite, release build, concurrency {concurrency}");
    println!("  tickets:     {}", latencies.len());
    println!("  elapsed:     {:.2} s", elapsed.as_secs_f64());
    println!(
        "  throughput:  {:.0} tickets/s",
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
    println!("  latency p50: {:.1} ms", pct(0.50).as_secs_f64() * 1e3);
    println!("  latency p99: {:.1} ms", pct(0.99).as_secs_f64() * 1e3);
    if let Some(kib) = rss {
        println!("  server peak RSS: {:.1} MiB", kib as f64 / 1024.0);
    }
    Ok(())
}
