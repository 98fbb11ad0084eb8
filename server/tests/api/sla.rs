//! The SLA as the server keeps it, on both engines: deadlines from the activity's
//! business calendar, a suspension that stops the clock and moves the deadline by the
//! business time it covered, a reopening that resumes with the time that was left, and
//! the watcher that marks tickets at risk and overdue once each, tells their group, and
//! runs on one instance at a time.

use std::sync::Arc;

use app::domain::account::Role;
use app::domain::desk::{DeskAction, Workspace};
use app::server::sla::Clock as SlaClock;
use app::server::sla_watch;
use app::server::tickets::schedule;
use chrono::{Datelike, Duration, Timelike, Utc, Weekday};
use entity::{activity, calendar, outbox, ticket, ticket_pause};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use crate::accounts::{ClockNow, staff_in};
use crate::helpers::{Browser, ENGINES, TestApp, TestResult};
use crate::requests::{AnyResult, customer};
use crate::tickets::{open_ticket, sign_in};

const NUATE: &str = "1º Nível - NUATE";

async fn ticket_of(app: &TestApp, number: i64) -> AnyResult<ticket::Model> {
    Ok(ticket::Entity::find()
        .filter(ticket::Column::Number.eq(number))
        .one(&app.db)
        .await?
        .ok_or("ticket")?)
}

async fn act(browser: &Browser, number: i64, action: DeskAction) -> AnyResult<i32> {
    let ws: Workspace = browser
        .call("desk-ticket", Some(json!({ "number": number })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(browser
        .call(
            "desk-act",
            Some(json!({ "number": number, "version": ws.version, "action": action })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

/// No background watcher in the way: the tests run its passes themselves. Every
/// activity gets an 8-hour target (the demo's "Correção de Faturas" is "A combinar").
async fn spawn(engine: crate::helpers::Engine) -> AnyResult<TestApp> {
    // Sessions outlive the days the tests move the clock by.
    let app = TestApp::spawn_configured(engine, |c| {
        c.sla_watch_seconds = 24 * 3600;
        c.session_idle_minutes = 60 * 24 * 30;
        c.session_max_hours = 24 * 30;
    })
    .await?;
    for a in activity::Entity::find().all(&app.db).await? {
        let mut a = a.into_active_model();
        a.sla_hours = Set(Some(8));
        a.update(&app.db).await?;
    }
    Ok(app)
}

#[tokio::test]
async fn deadlines_follow_the_activity_calendar() -> TestResult {
    for engine in ENGINES {
        let app = spawn(engine).await?;
        // A calendar with two hours on Saturdays only, in UTC, no holidays.
        let saturdays = calendar::ActiveModel {
            name: Set("Sábados".into()),
            time_zone: Set("UTC".into()),
            week: Set("|||||10:00-12:00|".into()),
            national_holidays: Set(false),
            optional_points: Set(false),
            ..Default::default()
        }
        .insert(&app.db)
        .await?;
        for a in activity::Entity::find().all(&app.db).await? {
            let mut a = a.into_active_model();
            a.calendar_id = Set(Some(saturdays.id));
            a.sla_hours = Set(Some(4));
            a.first_response_hours = Set(Some(1));
            a.update(&app.db).await?;
        }
        let maria = customer(&app, "maria").await?;
        let number = open_ticket(&maria, "Fatura errada.").await?;
        let t = ticket_of(&app, number).await?;
        let hours = t.sla_hours.ok_or("the activity has a target")?;
        let deadline = t.deadline.ok_or("a deadline")?;
        // Business time only on Saturdays 10–12 UTC: it ends inside one of them, after
        // as many Saturdays as the target needs.
        assert_eq!(deadline.weekday(), Weekday::Sat, "{deadline}");
        assert!((10..=12).contains(&deadline.hour()), "{deadline}");
        assert!(deadline - t.created_at >= Duration::days(7 * i64::from(hours / 2 - 1).max(0)));
        // At risk at three quarters of the target in business time, not wall time.
        let risk = t.risk_at.ok_or("risk")?;
        assert_eq!(risk.weekday(), Weekday::Sat, "{risk}");
        // The first response is due after one business hour: on a Saturday too, before
        // the deadline.
        let first = t.first_response_due.ok_or("first response due")?;
        assert_eq!(first.weekday(), Weekday::Sat, "{first}");
        assert!(
            (10..=12).contains(&first.hour()) && first < deadline,
            "{first}"
        );
        drop(app);
    }
    Ok(())
}

#[tokio::test]
async fn a_suspension_stops_the_clock_and_a_reopening_resumes_what_was_left() -> TestResult {
    for engine in ENGINES {
        let app = spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
        let ana = sign_in(&app, "ana", "equipe1234").await?;
        let number = open_ticket(&maria, "Fatura errada.").await?;
        let before = ticket_of(&app, number).await?;
        let deadline = before.deadline.ok_or("deadline")?;

        act(
            &ana,
            number,
            DeskAction::Suspend {
                reason: "Aguardando a fatura em PDF.".into(),
            },
        )
        .await?;
        let suspended = ticket_of(&app, number).await?;
        let paused_at = suspended.paused_at.ok_or("paused_at")?;
        let pauses = ticket_pause::Entity::find()
            .filter(ticket_pause::Column::TicketId.eq(before.id))
            .all(&app.db)
            .await?;
        assert_eq!(pauses.len(), 1);
        assert_eq!(pauses[0].ended_at, None);

        // Three days later (a weekend and more): the status stayed what it was, then the
        // customer answers and the ticket resumes.
        app.clock.advance(Duration::days(3));
        let ws: Workspace = ana
            .call("desk-ticket", Some(json!({ "number": number })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_ne!(ws.row.sla_status, app::domain::tickets::SlaStatus::Late);
        maria
            .call::<serde_json::Value>(
                "ticket-note",
                Some(json!({ "number": number, "text": "Segue a fatura." })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let resumed = ticket_of(&app, number).await?;
        assert_eq!(resumed.situation, "em_andamento");
        assert_eq!(resumed.paused_at, None);
        // When the server resumed it (the pause's end), not the test's clock now: that
        // has moved on by the request's milliseconds, which count in business hours.
        let resumed_at = ticket_pause::Entity::find()
            .filter(ticket_pause::Column::TicketId.eq(before.id))
            .one(&app.db)
            .await?
            .and_then(|pause| pause.ended_at)
            .ok_or("pause ended")?;
        let activity = activity::Entity::find_by_id(resumed.activity_id)
            .one(&app.db)
            .await?
            .ok_or("activity")?;
        let cal = schedule::calendar(&app.db, activity.calendar_id, resumed_at).await?;
        let new_deadline = resumed.deadline.ok_or("deadline")?;
        // Moved by exactly the business time the pause covered (which started before the
        // old deadline).
        let covered = cal.between(paused_at, resumed_at);
        assert!(covered > Duration::zero());
        assert_eq!(
            cal.between(deadline, new_deadline),
            covered,
            "{deadline} → {new_deadline}"
        );
        let pauses = ticket_pause::Entity::find()
            .filter(ticket_pause::Column::TicketId.eq(before.id))
            .all(&app.db)
            .await?;
        assert_eq!(pauses.len(), 1);
        assert!(pauses[0].ended_at.is_some());

        // Resolved, then reopened two days later: the closed time is a pause too.
        act(
            &ana,
            number,
            DeskAction::Resolve {
                solution: "Valor corrigido.".into(),
            },
        )
        .await?;
        let closed = ticket_of(&app, number).await?;
        let closed_at = closed.closed_at.ok_or("closed_at")?;
        app.clock.advance(Duration::hours(20));
        maria
            .call::<serde_json::Value>(
                "ticket-reopen",
                Some(json!({ "number": number, "reason": "Voltou a vir errada." })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let reopened = ticket_of(&app, number).await?;
        // When the server reopened it (the closed time's pause ends there), not the
        // test's clock now, which has moved on by the request's milliseconds: within
        // business hours they count.
        let reopened_at = ticket_pause::Entity::find()
            .filter(ticket_pause::Column::TicketId.eq(before.id))
            .filter(ticket_pause::Column::StartedAt.eq(closed_at))
            .one(&app.db)
            .await?
            .and_then(|pause| pause.ended_at)
            .ok_or("closed time's pause ended")?;
        let clock = SlaClock {
            calendar: &cal,
            opened: reopened.created_at,
            pauses: &[
                (paused_at, Some(resumed_at)),
                (closed_at, Some(reopened_at)),
            ],
        };
        let target = Duration::hours(i64::from(reopened.sla_hours.ok_or("sla")?));
        assert_eq!(reopened.deadline, clock.reach(target));
        // The time used before closing is what it was then.
        assert_eq!(clock.used(reopened_at), clock.used(closed_at));
        drop(app);
    }
    Ok(())
}

#[tokio::test]
async fn the_watcher_marks_each_step_once_tells_the_group_and_runs_on_one_instance() -> TestResult {
    for engine in ENGINES {
        let app = spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
        let watched = open_ticket(&maria, "Fatura errada.").await?;
        let paused = open_ticket(&maria, "Outra fatura.").await?;
        let now = app.clock_now();
        // One ticket a minute past its risk point; one suspended past everything.
        let mut t = ticket_of(&app, watched).await?.into_active_model();
        t.risk_at = Set(Some(now - Duration::minutes(1)));
        t.deadline = Set(Some(now + Duration::hours(1)));
        t.update(&app.db).await?;
        let mut p = ticket_of(&app, paused).await?.into_active_model();
        p.situation = Set("suspensa".into());
        p.paused_at = Set(Some(now - Duration::days(2)));
        p.risk_at = Set(Some(now - Duration::days(1)));
        p.deadline = Set(Some(now - Duration::hours(1)));
        p.update(&app.db).await?;

        let first = sla_watch::pass(&app.state).await?;
        assert_eq!((first.at_risk, first.overdue, first.skipped), (1, 0, false));
        assert_eq!(
            ticket_of(&app, watched).await?.sla_state,
            sla_watch::AT_RISK
        );
        assert_eq!(ticket_of(&app, paused).await?.sla_state, sla_watch::NORMAL);
        // Once: the next pass finds nothing new.
        let again = sla_watch::pass(&app.state).await?;
        assert_eq!((again.at_risk, again.overdue), (0, 0));

        // Another instance on the same database does not run it while the lease holds.
        let mut other = app.state.clone();
        other.jobs = Arc::new(app::state::Jobs::default());
        assert!(sla_watch::pass(&other).await?.skipped);

        // Past the deadline: overdue, once.
        app.clock.advance(Duration::hours(2));
        let late = sla_watch::pass(&app.state).await?;
        assert_eq!((late.at_risk, late.overdue), (0, 1));
        assert_eq!(
            ticket_of(&app, watched).await?.sla_state,
            sla_watch::OVERDUE
        );

        let id = ticket_of(&app, watched).await?.id;
        let notices = outbox::Entity::find()
            .filter(outbox::Column::TicketId.eq(id))
            .all(&app.db)
            .await?;
        let kinds = |kind: &str| {
            notices
                .iter()
                .filter(|n| n.kind == kind)
                .map(|n| n.recipient.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds("em-risco"), vec!["ana@atende.example"]);
        assert_eq!(kinds("atrasado"), vec!["ana@atende.example"]);
        let paused_id = ticket_of(&app, paused).await?.id;
        assert!(
            !outbox::Entity::find()
                .filter(outbox::Column::TicketId.eq(paused_id))
                .all(&app.db)
                .await?
                .iter()
                .any(|n| n.kind == "em-risco" || n.kind == "atrasado")
        );
        let _ = Utc::now();
        drop(app);
    }
    Ok(())
}

#[tokio::test]
async fn an_agent_sets_the_deadline_of_a_ticket_to_be_agreed_and_only_of_those() -> TestResult {
    use app::domain::desk::ActionKind;
    use app::domain::{Field, Problem};
    use app::error::AppError;
    for engine in ENGINES {
        // The demo's "Correção de Faturas" is "A combinar".
        let app = TestApp::spawn_configured(engine, |c| {
            c.sla_watch_seconds = 24 * 3600;
            c.session_idle_minutes = 60 * 24 * 30;
            c.session_max_hours = 24 * 30;
        })
        .await?;
        let maria = customer(&app, "maria").await?;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
        let ana = sign_in(&app, "ana", "equipe1234").await?;
        let number = open_ticket(&maria, "Fatura errada.").await?;
        assert_eq!(ticket_of(&app, number).await?.deadline, None);
        let ws: Workspace = ana
            .call("desk-ticket", Some(json!({ "number": number })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(ws.actions.contains(&ActionKind::Deadline));
        let refused = |at: &str| {
            let at = at.to_owned();
            let ana = &ana;
            async move {
                let ws: Workspace = ana
                    .call("desk-ticket", Some(json!({ "number": number })))
                    .await?
                    .map_err(|e| format!("{e:?}"))?;
                let answer: Result<i32, (u16, AppError)> = ana
                    .call(
                        "desk-act",
                        Some(json!({ "number": number, "version": ws.version,
                            "action": DeskAction::Deadline { at } })),
                    )
                    .await?;
                AnyResult::Ok(match answer {
                    Err((422, AppError::Validation(errors))) => errors.get(Field::Deadline),
                    other => return Err(format!("not refused: {other:?}").into()),
                })
            }
        };
        assert_eq!(
            refused("01/01/2020 10:00").await?,
            Some(Problem::DeadlinePast)
        );
        assert_eq!(
            refused("31/02/2030 10:00").await?,
            Some(Problem::InvalidDateTime)
        );
        assert_eq!(ticket_of(&app, number).await?.deadline, None);

        let tz = app.state.time_zone();
        let wanted = (app.clock_now() + Duration::days(10)).with_timezone(&tz);
        let typed = wanted.format("%d/%m/%Y %H:%M").to_string();
        act(&ana, number, DeskAction::Deadline { at: typed.clone() }).await?;
        let t = ticket_of(&app, number).await?;
        let deadline = t.deadline.ok_or("deadline")?;
        assert_eq!(
            deadline
                .with_timezone(&tz)
                .format("%d/%m/%Y %H:%M")
                .to_string(),
            typed
        );
        let risk = t.risk_at.ok_or("risk_at")?;
        assert!(t.created_at < risk && risk <= deadline, "{risk}");
        // The customer sees it in the history.
        let detail: app::api::tickets::TicketDetail = maria
            .call("ticket", Some(json!({ "number": number })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(detail.history.iter().any(|h| h.detail == typed));
        // A suspension moves the agreed deadline as it moves any other.
        act(
            &ana,
            number,
            DeskAction::Suspend {
                reason: "Aguardando o cliente.".into(),
            },
        )
        .await?;
        // A week: business days whatever the day the test runs.
        app.clock.advance(Duration::days(7));
        act(&ana, number, DeskAction::Resume).await?;
        let moved = ticket_of(&app, number)
            .await?
            .deadline
            .ok_or("deadline kept")?;
        assert!(moved > deadline, "{deadline} → {moved}");

        // A ticket with an SLA target has its deadline from it: no "Definir prazo".
        for a in activity::Entity::find().all(&app.db).await? {
            let mut a = a.into_active_model();
            a.sla_hours = Set(Some(8));
            a.update(&app.db).await?;
        }
        let with_sla = open_ticket(&maria, "Outra fatura.").await?;
        let ws: Workspace = ana
            .call("desk-ticket", Some(json!({ "number": with_sla })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(!ws.actions.contains(&ActionKind::Deadline));
        let answer: Result<i32, (u16, AppError)> = ana
            .call(
                "desk-act",
                Some(json!({ "number": with_sla, "version": ws.version,
                    "action": DeskAction::Deadline { at: typed.clone() } })),
            )
            .await?;
        match answer {
            Err((422, AppError::Validation(errors))) => {
                assert_eq!(errors.get(Field::Deadline), Some(Problem::NotAllowedNow))
            }
            other => return Err(format!("not refused: {other:?}").into()),
        }
        drop(app);
    }
    Ok(())
}

#[tokio::test]
async fn the_watcher_runs_by_itself_in_the_background() -> TestResult {
    // Every second here (30 s by default): a ticket past its risk point is marked and
    // its group told without anybody opening a page or calling a pass.
    let app = TestApp::spawn_configured(crate::helpers::Engine::Sqlite, |c| {
        c.sla_watch_seconds = 1;
    })
    .await?;
    let maria = customer(&app, "maria").await?;
    staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
    let number = open_ticket(&maria, "Fatura errada.").await?;
    let now = app.clock_now();
    let mut t = ticket_of(&app, number).await?.into_active_model();
    t.risk_at = Set(Some(now - Duration::minutes(1)));
    t.deadline = Set(Some(now + Duration::hours(1)));
    t.update(&app.db).await?;
    let started = std::time::Instant::now();
    while ticket_of(&app, number).await?.sla_state != sla_watch::AT_RISK {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            return Err("the background watcher did not mark the ticket".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let id = ticket_of(&app, number).await?.id;
    let told = outbox::Entity::find()
        .filter(outbox::Column::TicketId.eq(id))
        .filter(outbox::Column::Kind.eq("em-risco"))
        .all(&app.db)
        .await?;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].recipient, "ana@atende.example");
    Ok(())
}

#[tokio::test]
async fn a_pass_marks_at_most_its_maximum_and_the_next_follows_at_once() -> TestResult {
    let app = spawn(crate::helpers::Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;
    staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
    let now = app.clock_now();
    let mut numbers = Vec::new();
    for n in 0..5 {
        let number = open_ticket(&maria, &format!("Fatura {n}.")).await?;
        let mut t = ticket_of(&app, number).await?.into_active_model();
        t.risk_at = Set(Some(now - Duration::hours(2)));
        t.deadline = Set(Some(now - Duration::hours(1)));
        t.update(&app.db).await?;
        numbers.push(number);
    }
    // Two a pass: 2, 2, then the last one, and the pass says when more are waiting.
    let mut capped = app.state.clone();
    capped.jobs = Arc::new(app::state::Jobs {
        instance: app.state.jobs.instance.clone(),
        sla_pass_max: 2,
        ..app::state::Jobs::default()
    });
    let passes = [
        sla_watch::pass(&capped).await?,
        sla_watch::pass(&capped).await?,
        sla_watch::pass(&capped).await?,
        sla_watch::pass(&capped).await?,
    ];
    let seen: Vec<(u64, bool)> = passes.iter().map(|p| (p.overdue, p.more)).collect();
    assert_eq!(seen, [(2, true), (2, true), (1, false), (0, false)]);

    // In the background, a pass that had more is followed at once, not a period later.
    for number in &numbers {
        let mut t = ticket_of(&app, *number).await?.into_active_model();
        t.sla_state = Set(sla_watch::NORMAL);
        t.update(&app.db).await?;
    }
    let mut background = capped.clone();
    background.jobs = Arc::new(app::state::Jobs {
        instance: app.state.jobs.instance.clone(),
        sla_pass_max: 2,
        sla_every: std::time::Duration::from_secs(3600),
        ..app::state::Jobs::default()
    });
    let running = tokio::spawn(sla_watch::run(background));
    let mut overdue = 0;
    for _ in 0..100 {
        overdue = 0;
        for number in &numbers {
            if ticket_of(&app, *number).await?.sla_state == sla_watch::OVERDUE {
                overdue += 1;
            }
        }
        if overdue == numbers.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    running.abort();
    assert_eq!(overdue, numbers.len(), "the passes after the first waited");
    Ok(())
}
