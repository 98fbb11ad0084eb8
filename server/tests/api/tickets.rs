//! "Meus Tickets" through the real HTTP path: the list's filters against a brute-force
//! reference (and the same query builder in the staff's scopes), the actions on open and
//! closed tickets with their time windows, the access rules of every server function of
//! the page, and a history that shows the customer public entries only.

use app::api::requests::CreatedTicket;
use app::api::tickets::{TicketDetail, TicketPage};
use app::domain::account::Role;
use app::domain::documents::search_key;
use app::domain::ids::{GroupId, UserId};
use app::domain::tickets::{
    EventKind, PAGE_SIZE, Situation, SlaStatus, SortBy, TicketFilter, Visibility,
};
use app::domain::{Field, Problem};
use app::error::AppError;
use app::server::tickets::query::{self, Scope, indexed_matches};
use chrono::{DateTime, Duration, Utc};
use entity::{activity, support_group, ticket, ticket_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set,
    Statement,
};
use serde_json::{Value, json};

use crate::accounts::{ClockNow, staff};
use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, catalog, customer, form, request};

pub async fn open_ticket(browser: &Browser, description: &str) -> AnyResult<i64> {
    let c = catalog(browser).await?;
    let invoice = form(browser, &c).await?.fields[0].id;
    let created: CreatedTicket = browser
        .call(
            "request-create",
            Some(request(c.correcao, invoice, description)),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(created.number)
}

/// A new browser signed in as `login`.
pub async fn sign_in(app: &TestApp, login: &str, password: &str) -> AnyResult<Browser> {
    let browser = app.browser()?;
    browser
        .call::<Value>(
            "login",
            Some(json!({ "identifier": login, "password": password })),
        )
        .await?
        .map_err(|e| format!("{login}: {e:?}"))?;
    Ok(browser)
}

pub async fn admin(app: &TestApp) -> AnyResult<Browser> {
    staff(app, "chefe", Role::Admin).await?;
    sign_in(app, "chefe", "equipe1234").await
}

async fn detail(browser: &Browser, number: i64) -> AnyResult<TicketDetail> {
    Ok(browser
        .call("ticket", Some(json!({ "number": number })))
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

/// Calls an action; its field problem when refused with 422.
async fn act(
    browser: &Browser,
    endpoint: &str,
    args: Value,
) -> AnyResult<Result<(), (u16, AppError)>> {
    browser.call::<()>(endpoint, Some(args)).await
}

fn problem(result: &Result<(), (u16, AppError)>, field: Field) -> Option<Problem> {
    match result {
        Err((422, AppError::Validation(errors))) => errors.get(field),
        _ => None,
    }
}

#[tokio::test]
async fn open_and_closed_ticket_actions_with_their_windows() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let number = open_ticket(&maria, "A fatura de outubro veio errada.").await?;
        let boss = admin(&app).await?;

        // While open: a note goes into the history; no survey or reopening.
        assert_eq!(
            act(
                &maria,
                "ticket-note",
                json!({ "number": number, "text": "Segue mais um detalhe." })
            )
            .await?,
            Ok(())
        );
        let blank = act(
            &maria,
            "ticket-note",
            json!({ "number": number, "text": "  " }),
        )
        .await?;
        assert_eq!(problem(&blank, Field::Note), Some(Problem::Required));
        let early = act(
            &maria,
            "ticket-rate",
            json!({ "number": number, "score": 5, "comment": "" }),
        )
        .await?;
        assert_eq!(
            problem(&early, Field::Rating),
            Some(Problem::TicketNotClosed)
        );
        let early = act(
            &maria,
            "ticket-reopen",
            json!({ "number": number, "reason": "x" }),
        )
        .await?;
        assert_eq!(
            problem(&early, Field::Reason),
            Some(Problem::TicketNotClosed)
        );
        let open = detail(&maria, number).await?;
        assert_eq!(open.row.situation, Situation::Open);
        assert_eq!(
            open.history.iter().map(|h| h.kind).collect::<Vec<_>>(),
            [EventKind::Opened, EventKind::Note]
        );
        assert_eq!(open.history[1].who, "Maria da Silva");
        assert_eq!(open.history[1].detail, "Segue mais um detalhe.");
        assert_eq!(
            (open.rating_until.as_deref(), open.reopen_until.as_deref()),
            (None, None)
        );

        // Only an administrator closes (until the staff desk exists).
        let denied = act(
            &maria,
            "ticket-close",
            json!({ "number": number, "solution": "x" }),
        )
        .await?;
        assert!(
            matches!(denied, Err((403, AppError::Forbidden))),
            "{denied:?}"
        );
        assert_eq!(
            act(
                &boss,
                "ticket-close",
                json!({ "number": number, "solution": "Fatura reemitida com o valor correto." })
            )
            .await?,
            Ok(())
        );
        let again = act(
            &boss,
            "ticket-close",
            json!({ "number": number, "solution": "de novo" }),
        )
        .await?;
        assert_eq!(
            problem(&again, Field::Solution),
            Some(Problem::TicketClosed)
        );

        let closed = detail(&maria, number).await?;
        assert_eq!(closed.row.situation, Situation::Closed);
        assert_eq!(closed.row.sla_status, SlaStatus::Met);
        assert_eq!(
            closed.solution.as_deref(),
            Some("Fatura reemitida com o valor correto.")
        );
        assert!(closed.rating_until.is_some() && closed.reopen_until.is_some());
        let late_note = act(
            &maria,
            "ticket-note",
            json!({ "number": number, "text": "tarde" }),
        )
        .await?;
        assert_eq!(
            problem(&late_note, Field::Note),
            Some(Problem::TicketClosed)
        );

        // Opinion, survey once, then reopening brings it back with its task and group.
        assert_eq!(
            act(
                &maria,
                "ticket-opinion",
                json!({ "number": number, "kind": "elogio", "text": "Atendimento rápido." })
            )
            .await?,
            Ok(())
        );
        let bad = act(
            &maria,
            "ticket-opinion",
            json!({ "number": number, "kind": "xingamento", "text": "" }),
        )
        .await?;
        assert_eq!(
            problem(&bad, Field::OpinionKind),
            Some(Problem::InvalidChoice)
        );
        assert_eq!(problem(&bad, Field::Opinion), Some(Problem::Required));
        let bad = act(
            &maria,
            "ticket-rate",
            json!({ "number": number, "score": 6, "comment": "" }),
        )
        .await?;
        assert_eq!(problem(&bad, Field::Rating), Some(Problem::InvalidChoice));
        assert_eq!(
            act(
                &maria,
                "ticket-rate",
                json!({ "number": number, "score": 4, "comment": "Bom." })
            )
            .await?,
            Ok(())
        );
        let twice = act(
            &maria,
            "ticket-rate",
            json!({ "number": number, "score": 5, "comment": "" }),
        )
        .await?;
        assert_eq!(problem(&twice, Field::Rating), Some(Problem::AlreadyRated));
        let rated = detail(&maria, number).await?;
        assert_eq!(
            rated.opinion,
            Some(("elogio".into(), "Atendimento rápido.".into()))
        );
        assert_eq!(rated.rating, Some((4, "Bom.".into())));
        assert_eq!(rated.rating_until, None, "answered: no survey form");

        assert_eq!(
            act(
                &maria,
                "ticket-reopen",
                json!({ "number": number, "reason": "O valor ainda está errado." })
            )
            .await?,
            Ok(())
        );
        let reopened = detail(&maria, number).await?;
        assert_eq!(reopened.row.situation, Situation::Open);
        assert_eq!(
            (reopened.row.task.as_str(), reopened.row.group.as_str()),
            ("Triagem", "1º Nível - NUATE")
        );
        assert_eq!(
            reopened.history.iter().map(|h| h.kind).collect::<Vec<_>>(),
            [
                EventKind::Opened,
                EventKind::Note,
                EventKind::Closed,
                EventKind::Opinion,
                EventKind::Rated,
                EventKind::Reopened
            ]
        );

        // Closed again: after 24 h reopening is refused, after 3 days the survey too.
        assert_eq!(
            act(
                &boss,
                "ticket-close",
                json!({ "number": number, "solution": "Corrigido." })
            )
            .await?,
            Ok(())
        );
        app.clock.advance(Duration::hours(25));
        // The session idled out meanwhile: sign the customer in again.
        let maria = sign_in(&app, "maria", "segredo123").await?;
        let after = detail(&maria, number).await?;
        assert_eq!(after.reopen_until, None);
        assert!(after.rating_until.is_some(), "survey still open after 25 h");
        let refused = act(
            &maria,
            "ticket-reopen",
            json!({ "number": number, "reason": "De novo." }),
        )
        .await?;
        assert_eq!(
            problem(&refused, Field::Reason),
            Some(Problem::WindowExpired),
            "{refused:?}"
        );
        app.clock.advance(Duration::days(2));
        let maria = sign_in(&app, "maria", "segredo123").await?;
        assert_eq!(detail(&maria, number).await?.rating_until, None);
        let refused = act(
            &maria,
            "ticket-rate",
            json!({ "number": number, "score": 3, "comment": "" }),
        )
        .await?;
        assert_eq!(
            problem(&refused, Field::Rating),
            Some(Problem::WindowExpired),
            "{refused:?}"
        );
        let stored = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        assert_eq!(
            (stored.situation.as_str(), stored.rating),
            ("fechada", None),
            "{engine:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn another_customers_ticket_is_not_found_everywhere() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;
    let number = open_ticket(&maria, "Minha fatura.").await?;
    let joao = customer(&app, "joao").await?;
    let visitor = app.browser()?;
    for target in [number, 999_999] {
        for (endpoint, args) in [
            ("ticket", json!({ "number": target })),
            ("ticket-note", json!({ "number": target, "text": "oi" })),
            (
                "ticket-attach",
                json!({ "number": target, "attachments": [1] }),
            ),
            (
                "ticket-opinion",
                json!({ "number": target, "kind": "queixa", "text": "ruim" }),
            ),
            (
                "ticket-rate",
                json!({ "number": target, "score": 1, "comment": "" }),
            ),
            (
                "ticket-reopen",
                json!({ "number": target, "reason": "porque" }),
            ),
        ] {
            let result = joao.call::<Value>(endpoint, Some(args.clone())).await?;
            assert!(
                matches!(result, Err((404, AppError::NotFound))),
                "{endpoint} {target}: {result:?}"
            );
            let result = visitor.call::<Value>(endpoint, Some(args)).await?;
            assert!(
                matches!(result, Err((401, AppError::Unauthenticated))),
                "{endpoint}: {result:?}"
            );
        }
    }
    // The page itself: the same "not found", with its status, every time (the page
    // waits for the ticket before it answers).
    for _ in 0..5 {
        for (who, target, status) in [
            (&joao, number, 404),
            (&joao, 999_999, 404),
            (&maria, number, 200),
        ] {
            let response = who.get(&format!("/meus-tickets/{target}")).await?;
            assert_eq!(response.status().as_u16(), status, "{target}");
            let body = response.text().await?;
            assert_eq!(
                body.contains("Página não encontrada"),
                status == 404,
                "{target}"
            );
        }
    }
    // João's list does not show it, whatever he searches.
    let page: TicketPage = joao
        .call("my-tickets", Some(json!({ "filter": TicketFilter { query: number.to_string(), situation: None, ..TicketFilter::default() } })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(page.total, 0);
    // Agents and managers cannot close either.
    for (login, role) in [("ana", Role::Agent), ("gil", Role::Manager)] {
        staff(&app, login, role).await?;
        let browser = sign_in(&app, login, "equipe1234").await?;
        let result = act(
            &browser,
            "ticket-close",
            json!({ "number": number, "solution": "x" }),
        )
        .await?;
        assert!(
            matches!(result, Err((403, AppError::Forbidden))),
            "{login}: {result:?}"
        );
    }
    assert_eq!(detail(&maria, number).await?.row.situation, Situation::Open);
    Ok(())
}

/// An internal note (the staff desk's, written here directly) is in the ticket's history
/// but never in what its customer reads: not in the ticket's data, not on its page.
#[tokio::test]
async fn internal_notes_never_reach_the_customer() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let number = open_ticket(&maria, "A fatura de outubro veio errada.").await?;
        let stored = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        let secret = "Cliente ligou tres vezes, escalar ao segundo nivel";
        ticket_event::ActiveModel {
            ticket_id: Set(stored.id),
            at: Set(app.clock_now()),
            actor_id: Set(None),
            kind: Set(EventKind::InternalNote.code().to_owned()),
            detail: Set(secret.to_owned()),
            ..Default::default()
        }
        .insert(&app.db)
        .await?;
        assert_eq!(
            act(
                &maria,
                "ticket-note",
                json!({ "number": number, "text": "Alguma novidade?" })
            )
            .await?,
            Ok(())
        );
        let seen = detail(&maria, number).await?;
        assert_eq!(
            seen.history.iter().map(|h| h.kind).collect::<Vec<_>>(),
            [EventKind::Opened, EventKind::Note],
            "{engine:?}"
        );
        assert!(
            seen.history
                .iter()
                .all(|h| h.kind.visibility() == Visibility::Public)
        );
        let page = maria
            .get(&format!("/meus-tickets/{number}?aba=historico"))
            .await?
            .text()
            .await?;
        assert!(page.contains("Alguma novidade?"), "{engine:?}");
        assert!(!page.contains(secret), "{engine:?}");
    }
    Ok(())
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Debug)]
struct Generated {
    number: i64,
    customer: i32,
    group: i32,
    situation: &'static str,
    priority: i16,
    created_at: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    key: String,
}

/// What the customer's list must show, computed the slow, obvious way.
fn reference(all: &[Generated], customer: i32, f: &TicketFilter) -> (u64, Vec<i64>) {
    reference_in(all, |t| t.customer == customer, f)
}

/// What a list of the tickets `in_scope` must show, computed the slow, obvious way.
fn reference_in(
    all: &[Generated],
    in_scope: impl Fn(&Generated) -> bool,
    f: &TicketFilter,
) -> (u64, Vec<i64>) {
    // The same rule as the server: LIKE wildcards are dropped from the words.
    let words: Vec<String> = search_key(&f.query)
        .split_whitespace()
        .map(|w| w.replace(['%', '_', '\\'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    let number: Option<i64> = f.query.trim().parse().ok();
    let mut hits: Vec<&Generated> = all
        .iter()
        .filter(|t| in_scope(t))
        .filter(|t| f.situation.is_none_or(|s| s.code() == t.situation))
        .filter(|t| {
            words.is_empty()
                || Some(t.number) == number
                || words.iter().all(|w| t.key.contains(w.as_str()))
        })
        .collect();
    hits.sort_by(|a, b| {
        use std::cmp::Ordering;
        let primary = match f.sort {
            SortBy::Created => a.created_at.cmp(&b.created_at),
            SortBy::Number => Ordering::Equal,
            SortBy::Deadline => match (a.deadline, b.deadline) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => return Ordering::Greater,
                (Some(_), None) => return Ordering::Less,
                (Some(x), Some(y)) => x.cmp(&y),
            },
            SortBy::Priority => a.priority.cmp(&b.priority),
            SortBy::Situation => a.situation.cmp(b.situation),
        };
        let order = primary.then(a.number.cmp(&b.number));
        if f.ascending { order } else { order.reverse() }
    });
    let total = hits.len() as u64;
    let page = hits
        .into_iter()
        .skip(((f.page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|t| t.number)
        .collect();
    (total, page)
}

#[tokio::test]
async fn the_list_matches_a_brute_force_reference() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        // One real ticket gives the catalog ids and maria's id.
        let first = open_ticket(&maria, "Primeiro pedido.").await?;
        let template = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(first))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        let joao = customer(&app, "joao").await?;
        open_ticket(&joao, "Pedido do João.").await?;
        let joao_id = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(first + 1))
            .one(&app.db)
            .await?
            .ok_or("ticket")?
            .customer_id;
        let service = entity::service::Entity::find_by_id(template.service_id)
            .one(&app.db)
            .await?
            .ok_or("service")?;
        let activity_name = activity::Entity::find_by_id(template.activity_id)
            .one(&app.db)
            .await?
            .ok_or("activity")?
            .name;
        ticket::Entity::delete_many().exec(&app.db).await?;
        // Tickets spread over three groups, for the staff's scopes.
        let mut groups = vec![template.group_id];
        for name in ["2º Nível - Faturamento", "3º Nível - Sistemas"] {
            let group = support_group::ActiveModel {
                name: Set(name.into()),
                ..Default::default()
            }
            .insert(&app.db)
            .await?;
            groups.push(group.id);
        }

        let vocabulary = [
            "fatura",
            "boleto",
            "cobrança",
            "endereço",
            "publicação",
            "assinatura",
            "açaí",
            "prazo",
        ];
        let situations = ["em_andamento", "suspensa", "fechada", "cancelada"];
        let mut rng = Rng(0x5eed_1234_abcd);
        let base = app.clock_now() - Duration::days(400);
        let mut all = Vec::new();
        let mut batch = Vec::new();
        for i in 0..2_400i64 {
            let number = 10_000 + i;
            let customer = if rng.below(6) == 0 {
                joao_id
            } else {
                template.customer_id
            };
            let words: Vec<&str> = (0..3).map(|_| vocabulary[rng.below(8) as usize]).collect();
            let description = format!("Problema com {}", words.join(" e "));
            let created_at = base + Duration::minutes(rng.below(400 * 24 * 60) as i64);
            // Some share a creation time, so the tie-breaker matters.
            let created_at = if i % 17 == 0 { base } else { created_at };
            let deadline =
                (rng.below(3) > 0).then(|| created_at + Duration::hours(rng.below(300) as i64));
            let g = Generated {
                number,
                customer,
                group: groups[(i % 3) as usize],
                situation: situations[rng.below(4) as usize],
                priority: (1 + rng.below(5)) as i16,
                created_at,
                deadline,
                key: search_key(&format!(
                    "{number} {} {activity_name} {activity_name} {description}",
                    service.name
                )),
            };
            batch.push(ticket::ActiveModel {
                number: Set(g.number),
                customer_id: Set(g.customer),
                activity_id: Set(template.activity_id),
                service_id: Set(template.service_id),
                ticket_type: Set("R".into()),
                title: Set(activity_name.clone()),
                description: Set(description),
                fields: Set("[]".into()),
                profile: Set(template.profile.clone()),
                priority: Set(g.priority),
                sla_hours: Set(g.deadline.map(|_| 8)),
                deadline: Set(g.deadline),
                task: Set("Triagem".into()),
                group_id: Set(g.group),
                situation: Set(g.situation.into()),
                created_at: Set(g.created_at),
                updated_at: Set(g.created_at),
                closed_at: Set(
                    (g.situation == "fechada").then_some(g.created_at + Duration::hours(1))
                ),
                search_key: Set(g.key.clone()),
                ..Default::default()
            });
            all.push(g);
            if batch.len() == 200 {
                ticket::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&app.db)
                    .await?;
            }
        }

        let mut filters = Vec::new();
        for situation in [
            None,
            Some(Situation::Open),
            Some(Situation::Closed),
            Some(Situation::Cancelled),
        ] {
            for sort in SortBy::ALL {
                for ascending in [false, true] {
                    filters.push(TicketFilter {
                        query: String::new(),
                        situation,
                        sort,
                        ascending,
                        page: 1,
                    });
                }
            }
        }
        for query in [
            "fatura",
            "COBRANCA",
            "açai prazo",
            "10017",
            "boleto 10017",
            "inexistente",
            "%",
            "faturamento",
        ] {
            for situation in [None, Some(Situation::Suspended)] {
                filters.push(TicketFilter {
                    query: query.into(),
                    situation,
                    sort: SortBy::Priority,
                    ascending: true,
                    page: 1,
                });
            }
        }
        let mut paged = Vec::new();
        for f in &filters {
            paged.push(f.clone());
            paged.push(f.with_page(2));
            let (total, _) = reference(&all, template.customer_id, f);
            paged.push(f.with_page(total.div_ceil(PAGE_SIZE).max(1)));
        }
        // The same query builder in the staff's scopes, straight against the server
        // layer: one group, two groups, no group, everyone, and the other customer.
        let (g0, g1, g2) = (groups[0], groups[1], groups[2]);
        type InScope = Box<dyn Fn(&Generated) -> bool>;
        let scopes: Vec<(Scope, InScope)> = vec![
            (
                Scope::Groups(vec![GroupId(g1)]),
                Box::new(move |t| t.group == g1),
            ),
            (
                Scope::Groups(vec![GroupId(g0), GroupId(g2)]),
                Box::new(move |t| t.group == g0 || t.group == g2),
            ),
            (Scope::Groups(vec![]), Box::new(|_| false)),
            (Scope::Everyone, Box::new(|_| true)),
            (
                Scope::Customer(UserId(joao_id)),
                Box::new(move |t| t.customer == joao_id),
            ),
        ];
        for (scope, in_scope) in &scopes {
            for f in &paged {
                let found = query::page_as(&app.db, scope, f.clone(), |q| {
                    q.into_model::<ticket::Model>()
                })
                .await
                .map_err(|e| format!("{e:?}"))?;
                let got: Vec<i64> = found.tickets.iter().map(|t| t.number).collect();
                let (total, expected) = reference_in(&all, in_scope, f);
                assert_eq!(
                    (found.total, got),
                    (total, expected),
                    "{engine:?} {scope:?} {f:?}"
                );
            }
        }
        for f in paged {
            let page: TicketPage = maria
                .call("my-tickets", Some(json!({ "filter": f })))
                .await?
                .map_err(|e| format!("{e:?}"))?;
            let got: Vec<i64> = page.rows.iter().map(|r| r.number.get()).collect();
            let (total, expected) = reference(&all, template.customer_id, &f);
            assert_eq!((page.total, got), (total, expected), "{engine:?} {f:?}");
        }
        // The numbers really are maria's and the search finds by service name too.
        let all_mine = reference(
            &all,
            template.customer_id,
            &TicketFilter {
                situation: None,
                ..TicketFilter::default()
            },
        )
        .0;
        let by_service: TicketPage = maria
            .call("my-tickets", Some(json!({ "filter": TicketFilter { query: "faturamento".into(), situation: None, ..TicketFilter::default() } })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(by_service.total, all_mine);
        full_text_index_follows_the_tickets(&app, engine).await?;
    }
    Ok(())
}

/// The full-text index is there, is what a rare word is found through, and follows the
/// tickets when their key changes or they are deleted.
async fn full_text_index_follows_the_tickets(app: &TestApp, engine: Engine) -> TestResult {
    let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let rare = ticket::Entity::find()
        .filter(ticket::Column::Number.eq(10_017i64))
        .one(&app.db)
        .await?
        .ok_or("ticket 10017")?;
    match engine {
        Engine::Sqlite => {
            let found = indexed_matches(&app.db, &words(&["10017"])).await;
            assert_eq!(found.map_err(|e| format!("{e:?}"))?, Some(vec![rare.id]));
            // Hundreds of tickets have "fatura": the customer's rows are read instead.
            let common = indexed_matches(&app.db, &words(&["fatura"])).await;
            assert_eq!(common.map_err(|e| format!("{e:?}"))?, None);
            let none = indexed_matches(&app.db, &words(&["inexistente"])).await;
            assert_eq!(none.map_err(|e| format!("{e:?}"))?, Some(vec![]));
            // Words under three letters cannot use a trigram index.
            let short = indexed_matches(&app.db, &words(&["e"])).await;
            assert_eq!(short.map_err(|e| format!("{e:?}"))?, None);

            let mut changed: ticket::ActiveModel = rare.clone().into();
            changed.search_key = Set("outra chave qualquer".into());
            changed.update(&app.db).await?;
            let found = indexed_matches(&app.db, &words(&["10017"])).await;
            assert_eq!(found.map_err(|e| format!("{e:?}"))?, Some(vec![]));
            let found = indexed_matches(&app.db, &words(&["chave", "qualquer"])).await;
            assert_eq!(found.map_err(|e| format!("{e:?}"))?, Some(vec![rare.id]));
            ticket::Entity::delete_by_id(rare.id).exec(&app.db).await?;
            let found = indexed_matches(&app.db, &words(&["chave"])).await;
            assert_eq!(found.map_err(|e| format!("{e:?}"))?, Some(vec![]));
        }
        Engine::Postgres => {
            // PostgreSQL's planner chooses between the trigram index and the customer's
            // other indexes; with sequential and plain index scans off, a substring
            // search can only be answered through the trigram index.
            let plan = crate::helpers::plan_without_scans(
                &app.db,
                "SELECT id FROM ticket WHERE search_key LIKE '%10017%'",
            )
            .await?;
            assert!(plan.contains("ix_ticket_search_trgm"), "{plan}");
            // Every statement is planned for its values (a common and a rare word need
            // different plans; see server/src/db.rs).
            let mode = app
                .db
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SHOW plan_cache_mode",
                ))
                .await?
                .ok_or("plan_cache_mode")?
                .try_get_by_index::<String>(0)?;
            assert_eq!(mode, "force_custom_plan");
        }
    }
    Ok(())
}
