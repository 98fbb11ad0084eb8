//! "Meus Tickets" at scale: fills a database with N tickets through the real schema
//! (sea-orm entities, the migrations' indexes), spread over customers of 1,000 tickets
//! each, then times the list's server function over HTTP for one customer, for every
//! situation, sort and order and a set of searches.
//!
//!   scripts/bench --list [--tickets 1000000] [--engine sqlite|postgres] [--keep]
//!
//! `--keep` leaves the database in place (its URL or path is printed), to study plans.
//!
//! Prints p50/p99 per case and overall. Numbers go to BENCHMARKS.md by hand; no test
//! asserts on time.

use std::time::{Duration, Instant};

use app::domain::account::Role;
use app::domain::documents::search_key;
use app::domain::tickets::{Situation, SortBy, TicketFilter};
use entity::{activity, service, support_group, ticket};
use sea_orm::{EntityTrait, QueryFilter, Set, TransactionTrait};
use serde_json::{Value, json};

mod common;

use common::{AnyResult, Rng, arg, nearest_rank, settle};

const PER_CUSTOMER: usize = 1_000;

const WORDS: [&str; 16] = [
    "fatura",
    "boleto",
    "cobrança",
    "endereço",
    "publicação",
    "assinatura",
    "prazo",
    "valor",
    "desconto",
    "multa",
    "cadastro",
    "segunda via",
    "reajuste",
    "contrato",
    "nota fiscal",
    "pagamento",
];

fn main() -> AnyResult<()> {
    let runtime = server::startup::runtime()?;
    runtime.block_on(run())
}

async fn run() -> AnyResult<()> {
    let tickets: usize = arg("--tickets")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let engine = arg("--engine").unwrap_or_else(|| "sqlite".into());
    let keep = std::env::args().any(|a| a == "--keep");
    let running = common::start(&engine, "atende_bench").await?;
    let db = running.db.clone();
    let base_url = running.base.clone();

    // The catalog the demo seed loaded.
    let service = service::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(
            &service::Column::Name,
            "FATURAMENTO",
        ))
        .one(&db)
        .await?
        .ok_or("service")?;
    let activity = activity::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(
            &activity::Column::ServiceId,
            service.id,
        ))
        .one(&db)
        .await?
        .ok_or("activity")?;
    let group = support_group::Entity::find()
        .one(&db)
        .await?
        .ok_or("group")?;

    // Customers, 1,000 tickets each; the first one is the one measured.
    let customers = tickets.div_ceil(PER_CUSTOMER).max(1);
    let started = Instant::now();
    let ids = common::accounts(
        &db,
        "cliente",
        "Cliente",
        Role::Customer,
        vec![],
        "benchmark1",
        customers,
    )
    .await?;
    println!(
        "customers: {customers} in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let situations = [
        "em_andamento",
        "em_andamento",
        "suspensa",
        "fechada",
        "fechada",
        "cancelada",
    ];
    let mut rng = Rng(0x1234_5678_9abc);
    let now = chrono::Utc::now();
    let started = Instant::now();
    let batch_size = 1_000;
    let mut number = 0i64;
    while (number as usize) < tickets {
        let txn = db.begin().await?;
        let mut batch = Vec::with_capacity(batch_size);
        for _ in 0..batch_size.min(tickets - number as usize) {
            number += 1;
            // Interleaved customers, as real traffic would put them.
            let customer = ids[(number as usize - 1) % customers];
            let description = format!(
                "Problema com {} e {} no mês {}",
                WORDS[rng.below(16) as usize],
                WORDS[rng.below(16) as usize],
                1 + rng.below(12)
            );
            let created_at = now - chrono::Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64);
            let deadline = (rng.below(3) > 0)
                .then(|| created_at + chrono::Duration::hours(rng.below(200) as i64));
            let situation = situations[rng.below(6) as usize];
            batch.push(ticket::ActiveModel {
                number: Set(number),
                customer_id: Set(customer),
                activity_id: Set(activity.id),
                service_id: Set(service.id),
                ticket_type: Set("R".into()),
                title: Set(activity.name.clone()),
                description: Set(description.clone()),
                fields: Set("[]".into()),
                profile: Set("{}".into()),
                priority: Set((1 + rng.below(5)) as i16),
                sla_hours: Set(deadline.map(|_| 8)),
                deadline: Set(deadline),
                task: Set("Triagem".into()),
                group_id: Set(group.id),
                situation: Set(situation.into()),
                created_at: Set(created_at),
                updated_at: Set(created_at),
                closed_at: Set((situation == "fechada").then_some(created_at)),
                search_key: Set(search_key(&format!(
                    "{number} {} {} {} {description}",
                    service.name, activity.name, activity.name
                ))),
                ..Default::default()
            });
        }
        ticket::Entity::insert_many(batch).exec(&txn).await?;
        txn.commit().await?;
        if number % 100_000 == 0 {
            println!(
                "  {number} tickets ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let fill = started.elapsed();
    println!(
        "filled {tickets} tickets in {:.1} s ({:.0}/s)",
        fill.as_secs_f64(),
        tickets as f64 / fill.as_secs_f64()
    );
    settle(&db, &engine).await?;

    // Sign the first customer in and time the list.
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let call =
        |endpoint: &'static str, body: Value| common::call(&client, &base_url, endpoint, body);
    call(
        "login",
        json!({ "identifier": "cliente0", "password": "benchmark1" }),
    )
    .await?;

    let mut cases: Vec<(String, TicketFilter)> = Vec::new();
    for situation in [None, Some(Situation::Open), Some(Situation::Closed)] {
        for sort in SortBy::ALL {
            for ascending in [false, true] {
                cases.push((
                    format!(
                        "{:<12} {:<10} {}",
                        situation.map_or("todas", Situation::code),
                        sort.code(),
                        if ascending { "asc" } else { "desc" }
                    ),
                    TicketFilter {
                        query: String::new(),
                        situation,
                        sort,
                        ascending,
                        page: 1,
                    },
                ));
            }
        }
    }
    for query in [
        "fatura",
        "segunda via",
        "FATURAMENTO",
        "cobranca multa",
        "inexistente",
        "1001",
    ] {
        cases.push((
            format!("search {query:?}"),
            TicketFilter {
                query: query.into(),
                situation: None,
                ..TicketFilter::default()
            },
        ));
    }
    cases.push((
        "todas page 40".into(),
        TicketFilter {
            situation: None,
            page: 40,
            ..TicketFilter::default()
        },
    ));

    let rounds = 100;
    let mut all: Vec<Duration> = Vec::new();
    println!(
        "list over HTTP, {engine}, {tickets} tickets, customer with {PER_CUSTOMER}: p50 / p99 of {rounds} calls"
    );
    for (name, filter) in &cases {
        let mut times = Vec::with_capacity(rounds);
        let mut total = 0;
        // Warm-up calls (not timed): the first call of a case prepares its statements.
        for _ in 0..3 {
            call("my-tickets", json!({ "filter": filter })).await?;
        }
        for _ in 0..rounds {
            let t = Instant::now();
            let page = call("my-tickets", json!({ "filter": filter })).await?;
            times.push(t.elapsed());
            total = page["total"].as_u64().unwrap_or(0);
        }
        times.sort_unstable();
        let pct = |p: f64| times[nearest_rank(times.len(), p)];
        println!(
            "  {name:<32} total {total:>5}  p50 {:>6.2} ms  p99 {:>6.2} ms",
            pct(0.5).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3
        );
        all.extend(times);
    }
    all.sort_unstable();
    let pct = |p: f64| all[nearest_rank(all.len(), p)];
    println!(
        "  all cases: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );

    running.finish(keep).await?;
    Ok(())
}
