//! The staff desk's queue at scale: fills a database with N tickets (default 1,000,000)
//! through the real schema, spread over ten groups; "1º Nível - NUATE" gets one in five
//! of them, half of those open (100,000 of 1,000,000). Then an agent of that group, signed
//! in over HTTP, loads the queue's default view, each filter, each sort and searches by
//! a word, a number, a customer's name, login and CPF; beside each case the same SQL
//! statements (`app::server::tickets::desk::statements`) are timed raw on the database
//! connection, for the ratio of the whole server function to its queries.
//!
//!   scripts/bench --queue [--tickets 1000000] [--engine sqlite|postgres] [--keep]
//!
//! With `--watch`, times the SLA watcher's passes over the same data instead: the first
//! (catching up with every open ticket already past its risk point or deadline), one with
//! nothing new, and one after 1,000 tickets of the group crossed their risk point.
//!
//! Prints p50/p99 per case. Numbers go to BENCHMARKS.md by hand; no test asserts on time.

use std::time::{Duration, Instant};

use app::domain::account::Role;
use app::domain::desk::{Assigned, QueueFilter, QueueSort, SituationFilter};
use app::domain::documents::search_key;
use app::domain::ids::{GroupId, ServiceId};
use app::domain::tickets::{Situation, SlaStatus};
use app::server::session::SessionUser;
use app::server::tickets::{desk, view};
use entity::{activity, service, support_group, ticket};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};
use serde_json::json;

mod common;

use common::{AnyResult, Rng, arg, p50_p99, settle};

const GROUP: &str = "1º Nível - NUATE";
const WORDS: [&str; 12] = [
    "fatura",
    "boleto",
    "cobrança",
    "endereço",
    "prazo",
    "valor",
    "desconto",
    "multa",
    "cadastro",
    "reajuste",
    "contrato",
    "pagamento",
];

/// The CPF-like document of customer `c`: 11 digits, scattered like real ones (not a
/// shared prefix that every search for a number would find).
fn document(c: usize) -> String {
    format!(
        "{:011}",
        (c as u64 + 1).wrapping_mul(6_364_136_223_846_793_005) % 100_000_000_000
    )
}

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
    let running = common::start(&engine, "atende_bench_queue").await?;
    let db = running.db.clone();

    // Ten groups: the seed's, measured, and nine others.
    let nuate = support_group::Entity::find()
        .all(&db)
        .await?
        .into_iter()
        .find(|g| g.name == GROUP)
        .ok_or("group")?
        .id;
    let mut others = Vec::new();
    for i in 2..=10 {
        let group = support_group::ActiveModel {
            name: Set(format!("{i}º Nível - Grupo {i}")),
            ..Default::default()
        }
        .insert(&db)
        .await?;
        others.push(group.id);
    }
    let activities: Vec<activity::Model> = activity::Entity::find().all(&db).await?;
    let services: Vec<service::Model> = service::Entity::find().all(&db).await?;
    let name_of = |id: i32| {
        services
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let started = Instant::now();
    let customers = (tickets / 1_000).max(1);
    let customer_ids = common::accounts(
        &db,
        "cliente",
        "Cliente",
        Role::Customer,
        vec![],
        "benchmark1",
        customers,
    )
    .await?;
    let agents = common::accounts(
        &db,
        "agente",
        "Agente",
        Role::Agent,
        vec![GROUP.into()],
        "benchmark1",
        3,
    )
    .await?;
    println!(
        "accounts: {customers} customers, 3 agents in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let tasks = ["Triagem", "Atendimento", "Validação"];
    let mut rng = Rng(0x0715_c0de_2026);
    let now = chrono::Utc::now();
    let started = Instant::now();
    let mut number = 0i64;
    let mut sample_number = 0i64;
    while (number as usize) < tickets {
        let txn = db.begin().await?;
        let mut batch = Vec::with_capacity(1_000);
        for _ in 0..1_000.min(tickets - number as usize) {
            number += 1;
            let in_nuate = number % 5 == 0;
            let group = if in_nuate {
                nuate
            } else {
                others[(number as usize / 5) % others.len()]
            };
            // NUATE: half open (em andamento 45 %, suspensa 5 %); the others mostly closed.
            let roll = rng.below(100);
            let situation = match (in_nuate, roll) {
                (true, 0..45) | (false, 0..5) => Situation::Open,
                (true, 45..50) | (false, 5..6) => Situation::Suspended,
                (true, 50..90) | (false, 6..86) => Situation::Closed,
                _ => Situation::Cancelled,
            };
            let c = (number as usize - 1) % customers;
            let activity = &activities[rng.below(activities.len() as u64) as usize];
            let description = format!(
                "Problema com {} e {}",
                WORDS[rng.below(12) as usize],
                WORDS[rng.below(12) as usize]
            );
            let created_at = if situation.is_open() {
                now - chrono::Duration::minutes(rng.below(60 * 24 * 60) as i64)
            } else {
                now - chrono::Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64)
            };
            let deadline = (rng.below(3) > 0)
                .then(|| created_at + chrono::Duration::hours(1 + rng.below(400) as i64));
            let closed_at = (!situation.is_open())
                .then(|| created_at + chrono::Duration::hours(rng.below(300) as i64));
            let assignee = match rng.below(3) {
                0 => None,
                i => Some(agents[i as usize - 1]),
            };
            if in_nuate && situation == Situation::Open {
                sample_number = number;
            }
            batch.push(ticket::ActiveModel {
                number: Set(number),
                customer_id: Set(customer_ids[c]),
                activity_id: Set(activity.id),
                service_id: Set(activity.service_id),
                ticket_type: Set("R".into()),
                title: Set(activity.name.clone()),
                description: Set(description.clone()),
                fields: Set("[]".into()),
                profile: Set("{}".into()),
                priority: Set((1 + rng.below(5)) as i16),
                sla_hours: Set(deadline.map(|_| 8)),
                deadline: Set(deadline),
                risk_at: Set(deadline.map(|d| view::risk_at(created_at, d))),
                task: Set(tasks[rng.below(3) as usize].into()),
                group_id: Set(group),
                situation: Set(situation.code().into()),
                created_at: Set(created_at),
                updated_at: Set(created_at),
                closed_at: Set(closed_at),
                assignee_id: Set(assignee),
                search_key: Set(search_key(&format!(
                    "{number} {} {} {} {description}",
                    name_of(activity.service_id),
                    activity.name,
                    activity.name
                ))),
                staff_key: Set(search_key(&format!(
                    "Cliente {c} cliente{c} {}",
                    document(c)
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
    let common = desk::refresh_common_trigrams(&db)
        .await
        .map_err(|e| format!("{e:?}"))?;
    println!("common trigrams (left out of searches): {common}");
    println!(
        "searched number: {sample_number}; searched customer: {}",
        124 % customers
    );

    if std::env::args().any(|a| a == "--watch") {
        watch(&running, nuate).await?;
        return running.finish(keep).await;
    }

    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let base = running.base.clone();
    common::call(
        &client,
        &base,
        "login",
        json!({ "identifier": "agente0", "password": "benchmark1" }),
    )
    .await?;
    let me = SessionUser {
        id: agents[0],
        login: "agente0".into(),
        name: "Agente 0".into(),
        role: Role::Agent,
        groups: vec![nuate],
        session_hash: String::new(),
    };

    let default = QueueFilter::default();
    let mut cases: Vec<(String, QueueFilter)> = vec![("default view".into(), default.clone())];
    for situation in [
        SituationFilter::One(Situation::Open),
        SituationFilter::All,
        SituationFilter::One(Situation::Suspended),
        SituationFilter::One(Situation::Closed),
    ] {
        cases.push((
            format!("situação {}", situation.code()),
            QueueFilter {
                situation,
                ..default.clone()
            },
        ));
    }
    for sort in QueueSort::ALL {
        for ascending in [true, false] {
            cases.push((
                format!(
                    "sort {} {}",
                    sort.code(),
                    if ascending { "asc" } else { "desc" }
                ),
                QueueFilter {
                    sort,
                    ascending,
                    ..default.clone()
                },
            ));
        }
    }
    for sla in SlaStatus::ALL {
        let situation = match sla {
            SlaStatus::Met => SituationFilter::All,
            _ => SituationFilter::Open,
        };
        cases.push((
            format!("sla {}", sla.code()),
            QueueFilter {
                sla: Some(sla),
                situation,
                ..default.clone()
            },
        ));
    }
    for assigned in [Assigned::Me, Assigned::Nobody] {
        cases.push((
            format!("responsável {}", assigned.code()),
            QueueFilter {
                assigned,
                ..default.clone()
            },
        ));
    }
    cases.push((
        "prioridade 1".into(),
        QueueFilter {
            priority: Some(1),
            ..default.clone()
        },
    ));
    cases.push((
        "tarefa Atendimento".into(),
        QueueFilter {
            task: Some("Atendimento".into()),
            ..default.clone()
        },
    ));
    cases.push((
        "serviço".into(),
        QueueFilter {
            service: services.first().map(|s| ServiceId(s.id)),
            ..default.clone()
        },
    ));
    cases.push((
        "grupo".into(),
        QueueFilter {
            group: Some(GroupId(nuate)),
            ..default.clone()
        },
    ));
    // A customer with tickets in NUATE (ticket numbers of customer c are c + 1 modulo
    // the number of customers; NUATE's are multiples of 5).
    let c = 124 % customers;
    for (name, query) in [
        ("search word", "boleto".to_owned()),
        ("search number", sample_number.to_string()),
        ("search customer name", format!("Cliente {c}")),
        ("search login", format!("cliente{c}")),
        ("search CPF", document(c)),
    ] {
        cases.push((
            name.into(),
            QueueFilter {
                query,
                situation: SituationFilter::All,
                ..default.clone()
            },
        ));
    }
    cases.push((
        "default view page 100".into(),
        QueueFilter {
            page: 100,
            ..default.clone()
        },
    ));

    // One HTTP call and one raw run of the same statements, alternately: the machine's
    // noise (two cores, the load tool on them) falls on both alike, so the ratio is the
    // server function's own cost, not which of them ran during a hiccup. 200 rounds: the
    // p99 is the 198th of 200, not the next-to-slowest of 100.
    let rounds = 200;
    println!(
        "queue over HTTP vs its SQL raw, {engine}, {tickets} tickets (NUATE: {} open, counts up to {}): p50 / p99 of {rounds}, interleaved",
        tickets / 10,
        app::domain::desk::COUNT_CAP
    );
    let mut worst = (0.0f64, 0.0f64);
    for (name, filter) in &cases {
        let body = json!({ "filter": filter });
        let statements = desk::statements(&db, &me, filter.clone(), chrono::Utc::now())
            .await
            .map_err(|e| format!("{e:?}"))?;
        if std::env::args().any(|a| a == "--sql") {
            for statement in &statements {
                println!("    {statement}");
            }
        }
        let mut http = Vec::with_capacity(rounds);
        let mut raw: Vec<Duration> = Vec::with_capacity(rounds);
        let mut total = 0;
        for round in 0..rounds + 3 {
            let t = Instant::now();
            let page = common::call(&client, &base, "desk-queue", body.clone()).await?;
            let h = t.elapsed();
            total = page["total"].as_u64().unwrap_or(0);
            let t = Instant::now();
            for statement in &statements {
                db.query_all_raw(statement.clone()).await?;
            }
            let r = t.elapsed();
            // The first rounds warm both paths' caches.
            if round >= 3 {
                http.push(h);
                raw.push(r);
            }
        }
        let (h50, h99) = p50_p99(&mut http);
        let (r50, r99) = p50_p99(&mut raw);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let ratio = ms(h99) / ms(r99).max(0.001);
        worst = (worst.0.max(ms(h99)), worst.1.max(ratio));
        println!(
            "  {name:<24} total {total:>7}  HTTP p50 {:>6.2} p99 {:>6.2} ms  SQL p50 {:>6.2} p99 {:>6.2} ms  ratio {ratio:.1}",
            ms(h50),
            ms(h99),
            ms(r50),
            ms(r99)
        );
    }
    println!("  worst p99 {:.2} ms, worst ratio {:.1}", worst.0, worst.1);
    running.finish(keep).await
}

/// The SLA watcher's passes (`--watch`), with the group's agents to notify.
async fn watch(running: &common::Running, group: i32) -> AnyResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let state = &running.state;
    let timed = |label: &'static str| async move {
        let started = Instant::now();
        let done = app::server::sla_watch::pass(state).await?;
        let took = started.elapsed();
        println!(
            "watcher, {label}: {:.0} ms ({} at risk, {} overdue)",
            took.as_secs_f64() * 1e3,
            done.at_risk,
            done.overdue
        );
        AnyResult::Ok(took)
    };
    // The catch-up: passes one after another (as the background job runs them while a
    // pass stops at its maximum), each timed.
    let started = Instant::now();
    let mut passes = Vec::new();
    let (mut at_risk, mut overdue) = (0, 0);
    loop {
        let began = Instant::now();
        let done = app::server::sla_watch::pass(state).await?;
        passes.push(began.elapsed());
        at_risk += done.at_risk;
        overdue += done.overdue;
        if !done.more {
            break;
        }
    }
    let total = started.elapsed();
    let count = passes.len();
    let (p50, p99) = p50_p99(&mut passes);
    let slowest = passes.iter().max().copied().unwrap_or_default();
    println!(
        "watcher, catching up: {count} passes in {:.1} s ({at_risk} at risk, {overdue} overdue); a pass p50 {p50:.1?}, p99 {p99:.1?}, slowest {slowest:.1?}",
        total.as_secs_f64()
    );
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(timed("nothing new").await?);
    }
    let (p50, p99) = p50_p99(&mut idle);
    println!("watcher, nothing new: p50 {p50:.1?}, p99 {p99:.1?}");
    let now = chrono::Utc::now();
    for round in 0..5 {
        // 1,000 open tickets of the group, not yet at risk, cross their risk point.
        let ids: Vec<i64> = ticket::Entity::find()
            .select_only()
            .column(ticket::Column::Id)
            .filter(ticket::Column::GroupId.eq(group))
            .filter(ticket::Column::Situation.eq(Situation::Open.code()))
            .filter(ticket::Column::SlaState.eq(0))
            .filter(ticket::Column::RiskAt.gt(now))
            .limit(1_000)
            .into_tuple()
            .all(&running.db)
            .await?;
        ticket::Entity::update_many()
            .col_expr(
                ticket::Column::RiskAt,
                sea_orm::sea_query::Expr::value(Some(now - chrono::Duration::seconds(1 + round))),
            )
            .filter(ticket::Column::Id.is_in(ids))
            .exec(&running.db)
            .await?;
        // As the background job runs them: passes until none is left waiting.
        loop {
            let began = Instant::now();
            let done = app::server::sla_watch::pass(state).await?;
            println!(
                "watcher, 1,000 crossed their risk point: a pass of {:.0} ms ({} at risk, {} overdue{})",
                began.elapsed().as_secs_f64() * 1e3,
                done.at_risk,
                done.overdue,
                if done.more { ", more waiting" } else { "" }
            );
            if !done.more {
                break;
            }
        }
    }
    let pending = entity::outbox::Entity::find().count(&running.db).await?;
    println!("outbox rows queued by the passes: {pending}");
    Ok(())
}
