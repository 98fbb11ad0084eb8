//! The staff desk through the real HTTP path and its server layer: an agent's whole
//! journey with a customer's ticket (capture, internal note, reply, suspension answered
//! by the customer, reclassification, forwarding, resolution), the version check of
//! concurrent actions, who may read and act by role, and the queue's filters, sorts,
//! counts and search against a brute-force reference, on both engines.

use app::api::tickets::TicketDetail;
use app::domain::account::Role;
use app::domain::desk::{
    ActionKind, Assigned, COUNT_CAP, Choice, DeskAction, QUEUE_PAGE_SIZE, QueueFilter, QueuePage,
    QueueSort, SituationFilter, Workspace,
};
use app::domain::documents::search_key;
use app::domain::ids::{GroupId, ServiceId, TicketNumber};
use app::domain::tickets::{EventKind, Situation, SlaStatus, Visibility};
use app::domain::{Field, Problem};
use app::error::AppError;
use app::server::session::SessionUser;
use app::server::tickets::{desk, view};
use chrono::{DateTime, Duration, Utc};
use entity::{activity, support_group, ticket, ticket_event, user_account};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::accounts::{ClockNow, staff_in};
use crate::helpers::{Browser, ENGINES, TestApp, TestResult};
use crate::requests::{AnyResult, customer};
use crate::tickets::{Rng, open_ticket, sign_in};

const NUATE: &str = "1º Nível - NUATE";
const BILLING: &str = "2º Nível - Faturamento";

async fn workspace(browser: &Browser, number: i64) -> AnyResult<Workspace> {
    Ok(browser
        .call("desk-ticket", Some(json!({ "number": number })))
        .await?
        .map_err(|e| format!("desk-ticket {number}: {e:?}"))?)
}

/// Acts on the ticket with the version the workspace shows now.
async fn act(browser: &Browser, number: i64, action: DeskAction) -> AnyResult<i32> {
    let version = workspace(browser, number).await?.version;
    act_as_of(browser, number, version, action)
        .await?
        .map_err(|e| format!("{e:?}").into())
}

async fn act_as_of(
    browser: &Browser,
    number: i64,
    version: i32,
    action: DeskAction,
) -> AnyResult<Result<i32, (u16, AppError)>> {
    browser
        .call(
            "desk-act",
            Some(json!({ "number": number, "version": version, "action": action })),
        )
        .await
}

async fn customer_detail(browser: &Browser, number: i64) -> AnyResult<TicketDetail> {
    Ok(browser
        .call("ticket", Some(json!({ "number": number })))
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

async fn history_len(app: &TestApp, number: i64) -> AnyResult<u64> {
    let t = ticket::Entity::find()
        .filter(ticket::Column::Number.eq(number))
        .one(&app.db)
        .await?
        .ok_or("ticket")?;
    Ok(ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(t.id))
        .count(&app.db)
        .await?)
}

async fn second_group(app: &TestApp) -> AnyResult<i32> {
    Ok(support_group::ActiveModel {
        name: Set(BILLING.into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await?
    .id)
}

#[tokio::test]
async fn an_agent_works_a_ticket_from_queue_to_solution() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let billing = second_group(&app).await?;
        let maria = customer(&app, "maria").await?;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
        staff_in(&app, "bia", Role::Agent, vec![NUATE.into()]).await?;
        staff_in(&app, "caio", Role::Agent, vec![BILLING.into()]).await?;
        staff_in(&app, "gestor", Role::Manager, vec![]).await?;
        let ana = sign_in(&app, "ana", "equipe1234").await?;
        let bia = sign_in(&app, "bia", "equipe1234").await?;
        let caio = sign_in(&app, "caio", "equipe1234").await?;
        let gestor = sign_in(&app, "gestor", "equipe1234").await?;
        let number = open_ticket(&maria, "Minha fatura veio com valor errado.").await?;

        // The queue of NUATE shows it, unassigned; the other group's does not.
        let queue: QueuePage = ana
            .call(
                "desk-queue",
                Some(json!({ "filter": QueueFilter::default() })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let row = queue
            .rows
            .iter()
            .find(|r| r.number.get() == number)
            .ok_or("ticket not in NUATE's queue")?;
        assert_eq!(row.group, NUATE);
        assert_eq!(row.assignee, None);
        assert_eq!(row.customer, "Maria da Silva");
        // The row names what the workspace names (the tables' own names), and the
        // filters offer every service and task, and an agent's own groups only; a
        // manager's, every group. Lists in the database's order by name.
        let ws: Workspace = ana
            .call("desk-ticket", Some(json!({ "number": number })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(*row, ws.row);
        let stored = entity::ticket::Entity::find()
            .filter(entity::ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket row")?;
        let service = entity::service::Entity::find_by_id(stored.service_id)
            .one(&app.db)
            .await?
            .ok_or("service row")?;
        let activity = entity::activity::Entity::find_by_id(stored.activity_id)
            .one(&app.db)
            .await?
            .ok_or("activity row")?;
        assert_eq!(row.service, service.name);
        assert_eq!(row.request, activity.name);
        let names =
            |list: &[Choice<ServiceId>]| list.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let services: Vec<String> = entity::service::Entity::find()
            .order_by_asc(entity::service::Column::Name)
            .all(&app.db)
            .await?
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names(&queue.services), services);
        let mut tasks: Vec<String> = entity::workflow_step::Entity::find()
            .all(&app.db)
            .await?
            .into_iter()
            .map(|s| s.name)
            .collect();
        tasks.sort();
        tasks.dedup();
        assert_eq!(queue.tasks, tasks);
        let group_names =
            |list: &[Choice<GroupId>]| list.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(group_names(&queue.groups), [NUATE]);
        let everyone: QueuePage = gestor
            .call(
                "desk-queue",
                Some(json!({ "filter": QueueFilter::default() })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let groups: Vec<String> = support_group::Entity::find()
            .order_by_asc(support_group::Column::Name)
            .all(&app.db)
            .await?
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert!(groups.len() >= 2);
        assert_eq!(group_names(&everyone.groups), groups);
        let other: QueuePage = caio
            .call(
                "desk-queue",
                Some(json!({ "filter": QueueFilter::default() })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(other.rows.iter().all(|r| r.number.get() != number));
        // Another group's agent, the customer and a visitor cannot open it.
        let refused = caio
            .call::<Workspace>("desk-ticket", Some(json!({ "number": number })))
            .await?;
        assert_eq!(refused.err().map(|e| e.0), Some(404));
        let refused = maria
            .call::<Workspace>("desk-ticket", Some(json!({ "number": number })))
            .await?;
        assert_eq!(refused.err().map(|e| e.0), Some(404));

        // Capturar.
        let ws = workspace(&ana, number).await?;
        assert!(ws.can_act && ws.actions.contains(&ActionKind::Capture));
        assert_eq!(ws.tasks, ["Triagem", "Atendimento", "Validação"]);
        act(&ana, number, DeskAction::Capture).await?;
        let ws = workspace(&ana, number).await?;
        assert_eq!(ws.row.assignee.as_deref(), Some("ana da Equipe"));
        assert!(!ws.actions.contains(&ActionKind::Capture));

        // A stale action is refused and writes nothing.
        let stale = ws.version - 1;
        let before = history_len(&app, number).await?;
        let refused = act_as_of(
            &bia,
            number,
            stale,
            DeskAction::InternalNote {
                text: "Nota atrasada".into(),
            },
        )
        .await?;
        match refused {
            Err((409, AppError::Conflict)) => {}
            other => panic!("stale action: {other:?}"),
        }
        assert_eq!(history_len(&app, number).await?, before);
        assert!(
            AppError::Conflict
                .message(app::i18n::Lang::Pt)
                .contains("Este ticket foi alterado por outra pessoa — recarregue")
        );

        // Nota interna: staff see it; the customer sees no trace of it anywhere.
        let secret = "Cliente já reclamou antes, verificar contrato 4471";
        act(
            &ana,
            number,
            DeskAction::InternalNote {
                text: secret.into(),
            },
        )
        .await?;
        let ws = workspace(&ana, number).await?;
        assert!(
            ws.history
                .iter()
                .any(|h| h.kind == EventKind::InternalNote && h.detail == secret)
        );
        let raw = maria
            .client
            .post(format!("{}/api/ticket", maria.base))
            .json(&json!({ "number": number }))
            .send()
            .await?
            .text()
            .await?;
        assert!(!raw.contains(secret) && !raw.contains("4471"), "{raw}");
        let page = maria
            .get(&format!("/meus-tickets/{number}?aba=historico"))
            .await?
            .text()
            .await?;
        assert!(!page.contains(secret) && !page.contains("4471"));
        assert!(!page.contains("ana da Equipe"), "agent-only fields leak");
        let search = maria
            .client
            .post(format!("{}/api/my-tickets", maria.base))
            .json(&json!({ "filter": { "query": "contrato", "situation": null, "sort": "Created", "ascending": false, "page": 1 } }))
            .send()
            .await?
            .text()
            .await?;
        assert!(search.contains("\"total\":0"), "{search}");

        // Responder ao cliente: public, and the first response.
        act(
            &ana,
            number,
            DeskAction::Reply {
                text: "Estamos verificando a fatura.".into(),
            },
        )
        .await?;
        let seen = customer_detail(&maria, number).await?;
        assert!(
            seen.history
                .iter()
                .any(|h| h.kind == EventKind::Reply && h.detail == "Estamos verificando a fatura.")
        );
        assert!(
            seen.history
                .iter()
                .all(|h| h.kind.visibility() == Visibility::Public)
        );
        assert!(workspace(&ana, number).await?.first_response_at.is_some());

        // Suspender: the customer sees it and its reason, and answers.
        act(
            &ana,
            number,
            DeskAction::Suspend {
                reason: "Aguardando a segunda via da fatura.".into(),
            },
        )
        .await?;
        let seen = customer_detail(&maria, number).await?;
        assert_eq!(seen.row.situation, Situation::Suspended);
        assert!(
            seen.history.iter().any(|h| h.kind == EventKind::Suspended
                && h.detail == "Aguardando a segunda via da fatura.")
        );
        let refused = act_as_of(
            &ana,
            number,
            workspace(&ana, number).await?.version,
            DeskAction::Task {
                task: "Atendimento".into(),
            },
        )
        .await?;
        match refused {
            Err((422, AppError::Validation(errors))) => {
                assert_eq!(errors.get(Field::Task), Some(Problem::NotAllowedNow))
            }
            other => panic!("task while suspended: {other:?}"),
        }
        maria
            .call::<()>(
                "ticket-note",
                Some(json!({ "number": number, "text": "Segue a segunda via." })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(
            workspace(&ana, number).await?.row.situation,
            Situation::Open
        );

        // Tarefa along the workflow, then Reclassificar: priority and deadline change.
        act(
            &ana,
            number,
            DeskAction::Task {
                task: "Atendimento".into(),
            },
        )
        .await?;
        let ws = workspace(&ana, number).await?;
        assert_eq!(ws.row.task, "Atendimento");
        let other_activity = ws
            .activities
            .iter()
            .find(|a| a.id != ws.activity && a.name.contains("Segunda via"))
            .or_else(|| ws.activities.iter().find(|a| a.id != ws.activity))
            .ok_or("another activity")?
            .id;
        let new_sla = activity::Entity::find_by_id(other_activity.get())
            .one(&app.db)
            .await?
            .ok_or("activity")?
            .sla_hours;
        let before = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        act(
            &ana,
            number,
            DeskAction::Reclassify {
                activity: other_activity,
                ticket_type: "I".into(),
                impact: 1,
                urgency: 1,
            },
        )
        .await?;
        let after = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        assert_eq!(after.priority, 1);
        assert_ne!(after.priority, before.priority);
        assert_eq!(after.activity_id, other_activity.get());
        assert_eq!(after.ticket_type, "I");
        assert_eq!(after.sla_hours, new_sla);
        match (new_sla, after.deadline) {
            // The business time used so far is kept: target − used is what is left.
            (Some(hours), Some(deadline)) => {
                let now = app.clock_now();
                let cal = app::server::tickets::schedule::calendar(&app.db, None, now).await?;
                let used = cal.between(before.created_at, now);
                let left = cal.between(now, deadline);
                let diff = (Duration::hours(hours.into()) - used - left).num_seconds();
                assert!(diff.abs() <= 1, "deadline off by {diff} s");
                // At risk with a quarter of the target (in business time) left.
                let risk = after.risk_at.ok_or("risk_at")?;
                let quarter =
                    (cal.between(risk, deadline) - Duration::hours(hours.into()) / 4).num_seconds();
                assert!(quarter.abs() <= 1, "risk point off by {quarter} s");
            }
            (None, deadline) => assert_eq!(deadline, None),
            (Some(_), None) => panic!("no deadline under an SLA"),
        }
        let ws = workspace(&ana, number).await?;
        assert!(
            ws.history
                .iter()
                .any(|h| h.kind == EventKind::Reclassified && h.detail.contains(" → "))
        );

        // The manager reads everything and changes nothing.
        let ws = workspace(&gestor, number).await?;
        assert!(!ws.can_act && ws.actions.is_empty());
        let refused = act_as_of(&gestor, number, ws.version, DeskAction::Capture).await?;
        assert_eq!(refused.err().map(|e| e.0), Some(403));

        // Encaminhar needs a note; then the ticket leaves NUATE's queue. Ana acted on it,
        // so she keeps reading it; Bia never did, so it is gone for her.
        let refused = act_as_of(
            &ana,
            number,
            ws.version,
            DeskAction::Forward {
                group: GroupId(billing),
                note: " ".into(),
            },
        )
        .await?;
        match refused {
            Err((422, AppError::Validation(errors))) => {
                assert_eq!(errors.get(Field::Note), Some(Problem::Required))
            }
            other => panic!("forward without a note: {other:?}"),
        }
        act(
            &ana,
            number,
            DeskAction::Forward {
                group: GroupId(billing),
                note: "Ajuste de valor é com o Faturamento.".into(),
            },
        )
        .await?;
        let ws = workspace(&ana, number).await?;
        assert_eq!(ws.row.group, BILLING);
        assert_eq!(ws.row.assignee, None);
        assert!(!ws.can_act);
        let refused = act_as_of(&ana, number, ws.version, DeskAction::Capture).await?;
        assert_eq!(refused.err().map(|e| e.0), Some(403));
        let refused = bia
            .call::<Workspace>("desk-ticket", Some(json!({ "number": number })))
            .await?;
        assert_eq!(refused.err().map(|e| e.0), Some(404));
        let queue: QueuePage = ana
            .call(
                "desk-queue",
                Some(json!({ "filter": QueueFilter::default() })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(queue.rows.iter().all(|r| r.number.get() != number));
        let seen = customer_detail(&maria, number).await?;
        assert_eq!(seen.row.group, BILLING);
        assert!(
            seen.history
                .iter()
                .all(|h| !h.detail.contains("Faturamento."))
        );

        // Caio, of the new group, resolves; the customer sees "Solução" and rates it.
        let ws = workspace(&caio, number).await?;
        assert!(ws.can_act);
        act(
            &caio,
            number,
            DeskAction::Resolve {
                solution: "Fatura reemitida com o valor correto.".into(),
            },
        )
        .await?;
        let seen = customer_detail(&maria, number).await?;
        assert_eq!(seen.row.situation, Situation::Closed);
        assert_eq!(
            seen.solution.as_deref(),
            Some("Fatura reemitida com o valor correto.")
        );
        maria
            .call::<()>(
                "ticket-rate",
                Some(json!({ "number": number, "score": 5, "comment": "Rápido." })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        // Nothing more to do on a closed ticket.
        let ws = workspace(&caio, number).await?;
        assert!(ws.actions.is_empty());
        let refused = act_as_of(&caio, number, ws.version, DeskAction::Resume).await?;
        match refused {
            Err((422, AppError::Validation(errors))) => {
                assert_eq!(errors.get(Field::DeskAction), Some(Problem::TicketClosed))
            }
            other => panic!("action on a closed ticket: {other:?}"),
        }
    }
    Ok(())
}

#[tokio::test]
async fn two_agents_at_once_never_both_win() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let mut agents = Vec::new();
        for name in ["ana", "bia", "cris", "davi", "eva", "fabio"] {
            staff_in(&app, name, Role::Agent, vec![NUATE.into()]).await?;
            agents.push(sign_in(&app, name, "equipe1234").await?);
        }
        let number = open_ticket(&maria, "Pedido disputado.").await?;
        let version = workspace(&agents[0], number).await?.version;
        let before = history_len(&app, number).await?;
        let attempts = agents
            .iter()
            .map(|agent| act_as_of(agent, number, version, DeskAction::Capture));
        let results = futures_util::future::join_all(attempts).await;
        let mut won = 0;
        for result in results {
            match result? {
                Ok(_) => won += 1,
                Err((409, AppError::Conflict)) => {}
                Err(other) => panic!("{engine:?}: {other:?}"),
            }
        }
        assert_eq!(won, 1, "{engine:?}");
        assert_eq!(history_len(&app, number).await?, before + 1);
    }
    Ok(())
}

#[tokio::test]
async fn the_command_line_close_is_the_desks_resolver() -> TestResult {
    let app = TestApp::spawn(crate::helpers::Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;
    let number = open_ticket(&maria, "Fechar pela linha de comando.").await?;
    app::server::tickets::actions::close(
        &app.db,
        &app::server::notify::Notifier::of(&app.state),
        app.clock_now(),
        TicketNumber(number),
        "Resolvido por script.",
        None,
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let t = ticket::Entity::find()
        .filter(ticket::Column::Number.eq(number))
        .one(&app.db)
        .await?
        .ok_or("ticket")?;
    // The desk's bookkeeping happened: a new version and the closed entry.
    assert_eq!(t.version, 1);
    assert_eq!(t.situation, Situation::Closed.code());
    assert_eq!(t.solution.as_deref(), Some("Resolvido por script."));
    let again = app::server::tickets::actions::close(
        &app.db,
        &app::server::notify::Notifier::of(&app.state),
        app.clock_now(),
        TicketNumber(number),
        "De novo.",
        None,
    )
    .await;
    match again {
        Err(AppError::Validation(errors)) => {
            assert_eq!(errors.get(Field::Solution), Some(Problem::TicketClosed))
        }
        other => panic!("closing twice: {other:?}"),
    }
    Ok(())
}

/// A generated ticket, as the reference sees it.
#[derive(Clone, Debug)]
struct Gen {
    number: i64,
    group: i32,
    task: &'static str,
    situation: Situation,
    priority: i16,
    assignee: Option<i32>,
    service: i32,
    created_at: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    risk_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    /// Suspended tickets: since when (their SLA status is frozen there).
    paused_at: Option<DateTime<Utc>>,
    key: String,
    staff_key: String,
}

fn reference(
    all: &[Gen],
    me: &SessionUser,
    f: &QueueFilter,
    now: DateTime<Utc>,
) -> (u64, Vec<i64>, Vec<(Situation, u64)>) {
    let words: Vec<String> = search_key(&f.query)
        .split_whitespace()
        .map(|w| w.replace(['%', '_', '\\'], ""))
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    let number: Option<i64> = f.query.trim().parse().ok();
    let matching: Vec<&Gen> = all
        .iter()
        .filter(|t| me.role != Role::Agent || me.groups.contains(&t.group))
        .filter(|t| f.group.is_none_or(|g| g.get() == t.group))
        .filter(|t| f.task.as_deref().is_none_or(|task| task == t.task))
        .filter(|t| {
            f.sla.is_none_or(|s| {
                view::sla_status(
                    t.created_at,
                    t.deadline,
                    t.risk_at,
                    t.closed_at,
                    t.paused_at,
                    now,
                ) == s
            })
        })
        .filter(|t| f.priority.is_none_or(|p| p == t.priority))
        .filter(|t| match f.assigned {
            Assigned::Anyone => true,
            Assigned::Me => t.assignee == Some(me.id),
            Assigned::Nobody => t.assignee.is_none(),
        })
        .filter(|t| f.service.is_none_or(|s| s.get() == t.service))
        .filter(|t| {
            words.is_empty()
                || Some(t.number) == number
                || words
                    .iter()
                    .all(|w| t.key.contains(w.as_str()) || t.staff_key.contains(w.as_str()))
        })
        .collect();
    // Counts stop at the cap, and so does the total; "Todas" is listed as far.
    let counts = Situation::ALL
        .into_iter()
        .map(|s| {
            let n = matching.iter().filter(|t| t.situation == s).count() as u64;
            (s, n.min(COUNT_CAP))
        })
        .collect();
    let mut hits: Vec<&Gen> = matching
        .into_iter()
        .filter(|t| f.situation.situations().contains(&t.situation))
        .collect();
    hits.sort_by(|a, b| {
        use std::cmp::Ordering;
        let primary = match f.sort {
            QueueSort::Number | QueueSort::Created => Ordering::Equal,
            QueueSort::Deadline => match (a.deadline, b.deadline) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => return Ordering::Greater,
                (Some(_), None) => return Ordering::Less,
                (Some(x), Some(y)) => x.cmp(&y),
            },
            QueueSort::Priority => a.priority.cmp(&b.priority),
        };
        let order = primary.then(a.number.cmp(&b.number));
        if f.ascending { order } else { order.reverse() }
    });
    let offset = (f.page - 1) * QUEUE_PAGE_SIZE;
    let total = (hits.len() as u64).min(COUNT_CAP);
    if f.situation.situations().len() > 1 && offset >= COUNT_CAP {
        hits.clear();
    }
    let page = hits
        .into_iter()
        .skip(offset as usize)
        .take(QUEUE_PAGE_SIZE as usize)
        .map(|t| t.number)
        .collect();
    (total, page, counts)
}

#[tokio::test]
async fn the_queue_matches_a_brute_force_reference() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let billing = second_group(&app).await?;
        let systems = support_group::ActiveModel {
            name: Set("3º Nível - Sistemas".into()),
            ..Default::default()
        }
        .insert(&app.db)
        .await?
        .id;
        let maria = customer(&app, "maria").await?;
        let first = open_ticket(&maria, "Primeiro pedido.").await?;
        let template = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(first))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        let nuate = template.group_id;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into(), BILLING.into()]).await?;
        staff_in(&app, "bia", Role::Agent, vec![NUATE.into()]).await?;
        let people: Vec<(i32, String)> = user_account::Entity::find()
            .all(&app.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.login))
            .collect();
        let id_of = |login: &str| {
            people
                .iter()
                .find(|(_, l)| l == login)
                .map(|(id, _)| *id)
                .unwrap_or_default()
        };
        let (ana, bia) = (id_of("ana"), id_of("bia"));
        let activities = activity::Entity::find().all(&app.db).await?;
        let services: Vec<(i32, i32)> = activities
            .iter()
            .map(|a| (a.id, a.service_id))
            .take(3)
            .collect();
        ticket::Entity::delete_many().exec(&app.db).await?;

        let names = [
            "João da Silva",
            "Márcia Souza",
            "Pedro Álvares",
            "Zoë Costa",
        ];
        let vocabulary = ["fatura", "boleto", "cobrança", "endereço", "açaí", "prazo"];
        let tasks = ["Triagem", "Atendimento", "Validação"];
        let now = app.clock_now();
        let mut rng = Rng(0x0de5_c0de_7777);
        let mut all = Vec::new();
        let mut batch = Vec::new();
        for i in 0..2_000i64 {
            let number = 50_000 + i;
            let (activity_id, service) = services[rng.below(services.len() as u64) as usize];
            let situation = Situation::ALL[rng.below(4) as usize];
            let created_at = now - Duration::minutes(rng.below(60 * 24 * 60) as i64);
            let created_at = if i % 13 == 0 {
                now - Duration::days(3)
            } else {
                created_at
            };
            let deadline = (rng.below(4) > 0)
                .then(|| created_at + Duration::hours(1 + rng.below(24 * 90) as i64));
            let closed_at = (!situation.is_open())
                .then(|| created_at + Duration::hours(rng.below(24 * 90) as i64));
            let customer = names[rng.below(4) as usize];
            let document = format!("{:011}", 10_000_000_000u64 + rng.below(1000));
            let words: Vec<&str> = (0..2).map(|_| vocabulary[rng.below(6) as usize]).collect();
            let g = Gen {
                number,
                group: [nuate, billing, systems][rng.below(3) as usize],
                task: tasks[rng.below(3) as usize],
                situation,
                priority: (1 + rng.below(5)) as i16,
                assignee: [None, Some(ana), Some(bia)][rng.below(3) as usize],
                service,
                created_at,
                deadline,
                risk_at: deadline.map(|d| view::risk_at(created_at, d)),
                closed_at,
                paused_at: (situation == Situation::Suspended)
                    .then(|| created_at + Duration::hours(rng.below(24 * 30) as i64)),
                // Every ninth ticket has a long description: on PostgreSQL its keys
                // are not in the queue's covering index (m0013), and a search counts
                // it apart.
                key: search_key(&format!(
                    "{number} pedido {}{}",
                    words.join(" "),
                    if i % 9 == 0 {
                        " texto".repeat(400)
                    } else {
                        String::new()
                    }
                )),
                staff_key: search_key(&format!("{customer} login{} {document}", i % 7)),
            };
            batch.push(ticket::ActiveModel {
                number: Set(g.number),
                customer_id: Set(template.customer_id),
                activity_id: Set(activity_id),
                service_id: Set(g.service),
                ticket_type: Set("R".into()),
                title: Set("Pedido".into()),
                description: Set(words.join(" ")),
                fields: Set("[]".into()),
                profile: Set(template.profile.clone()),
                priority: Set(g.priority),
                sla_hours: Set(g.deadline.map(|_| 8)),
                deadline: Set(g.deadline),
                risk_at: Set(g.risk_at),
                task: Set(g.task.into()),
                group_id: Set(g.group),
                situation: Set(g.situation.code().into()),
                created_at: Set(g.created_at),
                updated_at: Set(g.created_at),
                closed_at: Set(g.closed_at),
                paused_at: Set(g.paused_at),
                search_key: Set(g.key.clone()),
                staff_key: Set(g.staff_key.clone()),
                assignee_id: Set(g.assignee),
                ..Default::default()
            });
            all.push(g);
            if batch.len() == 200 {
                ticket::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&app.db)
                    .await?;
            }
        }

        let me = |id: i32, role: Role, groups: Vec<i32>| SessionUser {
            id,
            login: String::new(),
            name: String::new(),
            role,
            groups,
            session_hash: String::new(),
        };
        let callers = [
            me(ana, Role::Agent, vec![nuate, billing]),
            me(bia, Role::Agent, vec![nuate]),
            me(id_of("maria"), Role::Manager, vec![]),
        ];
        let base = QueueFilter::default();
        let mut filters = vec![base.clone()];
        for situation in [
            SituationFilter::Open,
            SituationFilter::All,
            SituationFilter::One(Situation::Open),
            SituationFilter::One(Situation::Suspended),
            SituationFilter::One(Situation::Closed),
        ] {
            for sort in QueueSort::ALL {
                for ascending in [true, false] {
                    filters.push(QueueFilter {
                        situation,
                        sort,
                        ascending,
                        ..base.clone()
                    });
                }
            }
        }
        for sla in SlaStatus::ALL {
            filters.push(QueueFilter {
                sla: Some(sla),
                situation: SituationFilter::All,
                ..base.clone()
            });
        }
        for assigned in Assigned::ALL {
            filters.push(QueueFilter {
                assigned,
                ..base.clone()
            });
        }
        for p in 1..=5 {
            filters.push(QueueFilter {
                priority: Some(p),
                ..base.clone()
            });
        }
        for task in tasks {
            filters.push(QueueFilter {
                task: Some(task.into()),
                ..base.clone()
            });
        }
        for (_, service) in &services {
            filters.push(QueueFilter {
                service: Some(ServiceId(*service)),
                ..base.clone()
            });
        }
        for group in [nuate, billing, systems] {
            filters.push(QueueFilter {
                group: Some(GroupId(group)),
                ..base.clone()
            });
        }
        for query in [
            "fatura",
            "COBRANCA açai",
            "joao",
            "marcia souza",
            "ZOE",
            "login3",
            "10000000005",
            "50017",
            "boleto 50017",
            // Words from both keys at once: the customer's name and login (staff key)
            // with the ticket's own words and number (search key).
            "souza boleto",
            "login3 pedido 5001",
            "inexistente",
            "%",
        ] {
            filters.push(QueueFilter {
                query: query.into(),
                situation: SituationFilter::All,
                ..base.clone()
            });
        }
        filters.push(QueueFilter {
            query: "prazo".into(),
            sla: Some(SlaStatus::Late),
            assigned: Assigned::Me,
            priority: Some(3),
            situation: SituationFilter::All,
            sort: QueueSort::Priority,
            ascending: false,
            ..base.clone()
        });
        // As the housekeeping does: the trigrams of "pedido" (in every ticket) are left
        // out of the index's lookups from now on.
        desk::refresh_common_trigrams(&app.db)
            .await
            .map_err(|e| format!("{e:?}"))?;
        for caller in &callers {
            for f in &filters {
                let mut pages = vec![f.clone(), f.with_page(2)];
                let (total, _, _) = reference(&all, caller, f, now);
                let last = total.div_ceil(QUEUE_PAGE_SIZE).max(1);
                pages.push(f.with_page(last));
                // By deadline, every page: where the dated tickets end and those "A
                // combinar" begin is read in two steps.
                if f.sort == QueueSort::Deadline && f.query.is_empty() {
                    pages.extend((3..last).map(|p| f.with_page(p)));
                }
                for f in pages {
                    let found = desk::page(&app.state, caller, f.clone())
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                    let got: Vec<i64> = found.rows.iter().map(|r| r.number.get()).collect();
                    let mut f = f;
                    // A group that is not the agent's is no filter.
                    if caller.role == Role::Agent
                        && f.group.is_some_and(|g| !caller.groups.contains(&g.get()))
                    {
                        f.group = None;
                    }
                    let expected = reference(&all, caller, &f, now);
                    assert_eq!(
                        (found.total, got, found.counts),
                        expected,
                        "{engine:?} {:?} {f:?}",
                        caller.role
                    );
                    if !f.query.is_empty() {
                        // A search the index narrows is answered from its candidates
                        // (SQLite); the same search read row by row, as a common one
                        // is, gives the same answer.
                        let rows = desk::page_probing(&app.state, caller, f.clone(), 0)
                            .await
                            .map_err(|e| format!("{e:?}"))?;
                        let got: Vec<i64> = rows.rows.iter().map(|r| r.number.get()).collect();
                        assert_eq!(
                            (rows.total, got, rows.counts),
                            expected,
                            "row by row: {engine:?} {:?} {f:?}",
                            caller.role
                        );
                    }
                    for row in &found.rows {
                        let t = all
                            .iter()
                            .find(|t| t.number == row.number.get())
                            .ok_or("row")?;
                        assert_eq!(
                            row.sla_status,
                            view::sla_status(
                                t.created_at,
                                t.deadline,
                                t.risk_at,
                                t.closed_at,
                                t.paused_at,
                                now
                            )
                        );
                    }
                }
            }
        }
        // The URL's filter reaches the same query over HTTP.
        let agent = sign_in(&app, "bia", "equipe1234").await?;
        let page: QueuePage = agent
            .call(
                "desk-queue",
                Some(json!({ "filter": QueueFilter { query: "joao".into(), ..base.clone() } })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let (total, numbers, _) = reference(
            &all,
            &callers[1],
            &QueueFilter {
                query: "joao".into(),
                ..base.clone()
            },
            now,
        );
        assert_eq!(page.total, total);
        assert_eq!(
            page.rows.iter().map(|r| r.number.get()).collect::<Vec<_>>(),
            numbers
        );
        let elsewhere = [nuate, billing, systems]
            .into_iter()
            .find(|g| *g != all[0].group)
            .ok_or("group")?;
        staff_index_follows_the_tickets(&app, engine, all[0].number, elsewhere, &callers[2])
            .await?;
    }
    Ok(())
}

/// The staff's full-text index (m0011 on SQLite, m0006's and m0008's on PostgreSQL) is what a search
/// goes through, finds words of both keys in one search, and follows a ticket whose keys
/// or group change or that is deleted.
async fn staff_index_follows_the_tickets(
    app: &TestApp,
    engine: crate::helpers::Engine,
    number: i64,
    other: i32,
    manager: &SessionUser,
) -> TestResult {
    let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let found = |query: &str| {
        let filter = QueueFilter {
            query: query.into(),
            situation: SituationFilter::All,
            ..QueueFilter::default()
        };
        async move {
            desk::page(&app.state, manager, filter)
                .await
                .map(|page| page.rows.iter().map(|r| r.number.get()).collect::<Vec<_>>())
                .map_err(|e| format!("{e:?}"))
        }
    };
    let chosen = ticket::Entity::find()
        .filter(ticket::Column::Number.eq(number))
        .one(&app.db)
        .await?
        .ok_or("ticket")?;
    let mut changed: ticket::ActiveModel = chosen.clone().into();
    changed.search_key = Set(format!("{number} chave qualquer"));
    changed.staff_key = Set("quiteria nova 99988877766".into());
    changed.update(&app.db).await?;
    // A word of each key, in one search.
    assert_eq!(found("CHAVE quiteria").await?, vec![number]);
    assert_eq!(found("qualquer 99988877766").await?, vec![number]);
    assert_eq!(found("chave outra").await?, Vec::<i64>::new());
    let matches = |w: Vec<String>, groups: Option<Vec<i32>>| async move {
        desk::staff_matches(&app.db, &w, groups.as_deref(), desk::STAFF_PROBE)
            .await
            .map_err(|e| format!("{e:?}"))
    };
    let both = || words(&["chave", "quiteria"]);
    assert_eq!(matches(both(), None).await?, Some(vec![chosen.id]));
    // The group is in the lookup: another group's agent does not find it there, and
    // after a forward the new group's does.
    assert_eq!(matches(both(), Some(vec![other])).await?, Some(vec![]));
    assert_eq!(
        matches(both(), Some(vec![other, chosen.group_id])).await?,
        Some(vec![chosen.id])
    );
    let mut moved: ticket::ActiveModel = ticket::Entity::find_by_id(chosen.id)
        .one(&app.db)
        .await?
        .ok_or("ticket")?
        .into();
    moved.group_id = Set(other);
    moved.update(&app.db).await?;
    assert_eq!(
        matches(both(), Some(vec![other])).await?,
        Some(vec![chosen.id])
    );
    assert_eq!(
        matches(both(), Some(vec![chosen.group_id])).await?,
        Some(vec![])
    );
    // Its old words are gone from the index with the old keys.
    let old = matches(words(&[&chosen.staff_key[..6]]), None).await?;
    assert!(!old.is_some_and(|ids| ids.contains(&chosen.id)));
    // Under three letters a word has no trigram; an agent without groups, no ticket.
    assert_eq!(matches(words(&["ch"]), None).await?, None);
    assert_eq!(matches(both(), Some(vec![])).await?, Some(vec![]));
    // "pedido" is in every generated ticket: once the common trigrams are refreshed
    // (SQLite from its index's vocabulary, PostgreSQL from a sample), it narrows nothing
    // (the rows are read instead), while a word with rarer trigrams still does.
    assert!(
        desk::refresh_common_trigrams(&app.db)
            .await
            .map_err(|e| format!("{e:?}"))?
            > 0
    );
    assert_eq!(matches(words(&["pedido"]), None).await?, None);
    assert_eq!(
        matches(words(&["pedido", "quiteria"]), None).await?,
        Some(vec![chosen.id])
    );
    if engine == crate::helpers::Engine::Postgres {
        // With sequential and plain index scans off, the lookup of a word's rare
        // trigrams in the staff key can only be answered through its trigram index.
        let plan = crate::helpers::plan_without_scans(
            &app.db,
            "SELECT id FROM ticket WHERE staff_key LIKE '%qui%' AND staff_key LIKE '%ter%'",
        )
        .await?;
        assert!(plan.contains("ix_ticket_staff_trgm"), "{plan}");
    }
    ticket::Entity::delete_by_id(chosen.id)
        .exec(&app.db)
        .await?;
    assert_eq!(matches(both(), None).await?, Some(vec![]));
    assert_eq!(found("chave quiteria").await?, Vec::<i64>::new());
    Ok(())
}

#[tokio::test]
async fn actions_work_without_javascript() -> TestResult {
    let app = TestApp::spawn(crate::helpers::Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;
    staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
    let ana = sign_in(&app, "ana", "equipe1234").await?;
    let number = open_ticket(&maria, "Sem JavaScript.").await?;
    let post = |body: String| {
        ana.client
            .post(format!("{}/fila/{number}?acao=responder", ana.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // The page itself, server-rendered with the action's form and its version.
    let page = ana
        .get(&format!("/fila/{number}?acao=responder"))
        .await?
        .text()
        .await?;
    assert!(page.contains("name=\"versao\" value=\"0\""), "{page}");
    assert!(page.contains("Responder ao cliente"));
    // An empty reply is refused beside its field, the page rendered again with 422.
    let refused = post("_form=responder&versao=0&resposta=+".into()).await?;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await?;
    assert!(html.contains("Campo obrigatório."));
    // A reply goes through and the browser is sent back to the workspace.
    let done = post("_form=responder&versao=0&resposta=Ol%C3%A1%2C+Maria.".into()).await?;
    assert_eq!(done.status().as_u16(), 303);
    let location = done
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(location, format!("/fila/{number}?feito=responder"));
    let seen = customer_detail(&maria, number).await?;
    assert!(
        seen.history
            .iter()
            .any(|h| h.kind == EventKind::Reply && h.detail == "Olá, Maria.")
    );
    // The same version again is stale now: refused with the reload message, nothing
    // written, what was typed kept in the form.
    let stale = post("_form=responder&versao=0&resposta=Segunda+resposta".into()).await?;
    assert_eq!(stale.status().as_u16(), 409);
    let html = stale.text().await?;
    assert!(html.contains("Este ticket foi alterado por outra pessoa — recarregue"));
    assert!(html.contains("Segunda resposta"));
    let seen = customer_detail(&maria, number).await?;
    assert_eq!(
        seen.history
            .iter()
            .filter(|h| h.kind == EventKind::Reply)
            .count(),
        1
    );
    Ok(())
}
