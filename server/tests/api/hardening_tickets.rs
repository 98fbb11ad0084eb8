//! Tickets and uploads under races and bad input: actions checked inside their write,
//! control characters refused, creation idempotent and never written for a client that
//! hung up, upload limits and quotas that hold under parallel uploads, and stored files
//! never lost to deduplication or left behind by a crash.

use app::api::requests::CreatedTicket;
use app::domain::{Field, Problem};
use app::error::AppError;
use entity::{attachment, ticket, ticket_event};
use futures_util::future::join_all;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};

use crate::attachments::{files_on_disk, pdf, upload};
use crate::helpers::{ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, catalog, customer, form, request};
use crate::tickets::{admin, open_ticket};

fn problem<T: std::fmt::Debug>(
    result: &Result<T, (u16, AppError)>,
    field: Field,
) -> Option<Problem> {
    match result {
        Err((422, AppError::Validation(errors))) => errors.get(field),
        _ => None,
    }
}

#[tokio::test]
async fn two_closings_at_once_record_one() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let number = open_ticket(&maria, "Fatura com valor errado").await?;
        let chefe = admin(&app).await?;
        let closings = join_all((0..6).map(|i| {
            let chefe = &chefe;
            async move {
                chefe
                    .call::<()>(
                        "ticket-close",
                        Some(json!({ "number": number, "solution": format!("Solução {i}") })),
                    )
                    .await
            }
        }))
        .await
        .into_iter()
        .collect::<AnyResult<Vec<_>>>()?;
        assert_eq!(
            closings.iter().filter(|c| c.is_ok()).count(),
            1,
            "{engine:?}: {closings:?}"
        );
        for refused in closings.iter().filter(|c| c.is_err()) {
            assert_eq!(
                problem(refused, Field::Solution),
                Some(Problem::TicketClosed),
                "{engine:?}"
            );
        }
        let t = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        let closed_events = ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(t.id))
            .filter(ticket_event::Column::Kind.eq("closed"))
            .all(&app.db)
            .await?;
        assert_eq!(closed_events.len(), 1, "{engine:?}");
        assert_eq!(
            Some(closed_events[0].detail.clone()),
            t.solution,
            "{engine:?}"
        );

        // A note sent while the ticket closes: either it lands before the closing or it
        // is refused; never a note on a closed ticket.
        let number = open_ticket(&maria, "Segunda fatura errada").await?;
        let (note, close) = tokio::join!(
            maria.call::<()>(
                "ticket-note",
                Some(json!({ "number": number, "text": "Mais um detalhe" }))
            ),
            chefe.call::<()>(
                "ticket-close",
                Some(json!({ "number": number, "solution": "Corrigida" }))
            ),
        );
        close?.map_err(|e| format!("{e:?}"))?;
        let note = note?;
        let t = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        let events = ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(t.id))
            .all(&app.db)
            .await?;
        let closed_at = events
            .iter()
            .position(|e| e.kind == "closed")
            .ok_or("closed")?;
        match note {
            Ok(()) => {
                let noted = events.iter().position(|e| e.kind == "note").ok_or("note")?;
                assert!(noted < closed_at, "{engine:?}: a note after the closing");
            }
            Err(_) => {
                assert_eq!(problem(&note, Field::Note), Some(Problem::TicketClosed));
                assert!(!events.iter().any(|e| e.kind == "note"), "{engine:?}");
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn control_characters_are_refused_beside_their_field() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let c = catalog(&maria).await?;
        let invoice = form(&maria, &c).await?.fields[0].id;
        let before = ticket::Entity::find().count(&app.db).await?;
        for text in ["Fatura\u{0}errada", "bip\u{7}", "cor \u{1b}[31m"] {
            let created = maria
                .call::<CreatedTicket>("request-create", Some(request(c.correcao, invoice, text)))
                .await?;
            assert_eq!(
                problem(&created, Field::Description),
                Some(Problem::ControlCharacters),
                "{engine:?} {text:?}: {created:?}"
            );
        }
        assert_eq!(
            ticket::Entity::find().count(&app.db).await?,
            before,
            "{engine:?}"
        );
        // Line breaks and tabs are text; CR LF from a form post becomes LF.
        let number = open_ticket(&maria, "Linha 1\r\nLinha 2\tcom tab").await?;
        let t = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        assert_eq!(t.description, "Linha 1\nLinha 2\tcom tab");
        let note = maria
            .call::<()>(
                "ticket-note",
                Some(json!({ "number": number, "text": "nota\u{0}" })),
            )
            .await?;
        assert_eq!(
            problem(&note, Field::Note),
            Some(Problem::ControlCharacters),
            "{engine:?}"
        );
        let notes = ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(t.id))
            .filter(ticket_event::Column::Kind.eq("note"))
            .count(&app.db)
            .await?;
        assert_eq!(notes, 0, "{engine:?}");
        let message = Problem::ControlCharacters.message(app::i18n::Lang::Pt);
        assert!(message.contains("caracteres de controle"), "{message}");
    }
    Ok(())
}

fn keyed(activity: i32, invoice: i32, key: &str) -> Value {
    let mut args = request(activity, invoice, "Fatura em duplicidade");
    args["input"]["request_key"] = json!(key);
    args
}

#[tokio::test]
async fn sending_one_form_again_returns_the_ticket_it_created() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let c = catalog(&maria).await?;
        let data = form(&maria, &c).await?;
        let invoice = data.fields[0].id;
        assert!(data.request_key.len() >= 32, "each form has its own key");
        assert_ne!(form(&maria, &c).await?.request_key, data.request_key);

        let first: CreatedTicket = maria
            .call(
                "request-create",
                Some(keyed(c.correcao, invoice, &data.request_key)),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let again: CreatedTicket = maria
            .call(
                "request-create",
                Some(keyed(c.correcao, invoice, &data.request_key)),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(again, first, "{engine:?}");
        // Five sends of another form at once: one ticket, the same answer for all.
        let key = form(&maria, &c).await?.request_key;
        let sends = join_all((0..5).map(|_| {
            let (maria, key) = (&maria, key.clone());
            async move {
                maria
                    .call::<CreatedTicket>("request-create", Some(keyed(c.correcao, invoice, &key)))
                    .await
            }
        }))
        .await
        .into_iter()
        .collect::<AnyResult<Vec<_>>>()?;
        let numbers: Vec<i64> = sends
            .iter()
            .map(|s| s.as_ref().map(|t| t.number).map_err(|e| format!("{e:?}")))
            .collect::<Result<_, _>>()?;
        assert!(
            numbers.iter().all(|n| *n == numbers[0]),
            "{engine:?}: {numbers:?}"
        );
        assert_eq!(
            numbers[0],
            first.number + 1,
            "{engine:?}: no number was skipped"
        );
        assert_eq!(
            ticket::Entity::find().count(&app.db).await?,
            2,
            "{engine:?}"
        );
        // Another customer with the same key is another request.
        let joana = customer(&app, "joana").await?;
        let hers: CreatedTicket = joana
            .call(
                "request-create",
                Some(keyed(c.correcao, invoice, &data.request_key)),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_ne!(hers.number, first.number);
        // A key that is not a key is refused, and creates nothing.
        let bad = maria
            .call::<CreatedTicket>(
                "request-create",
                Some(keyed(c.correcao, invoice, "x\u{0}y")),
            )
            .await?;
        assert!(matches!(bad, Err((400, _))), "{engine:?}: {bad:?}");
        assert_eq!(
            ticket::Entity::find().count(&app.db).await?,
            3,
            "{engine:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_creation_whose_client_hung_up_while_queued_is_never_written() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;
    let c = catalog(&maria).await?;
    let invoice = form(&maria, &c).await?.fields[0].id;
    // Hold SQLite's write lock: the first creation takes its turn and waits for it;
    // the second queues behind.
    let txn = app.db.begin().await?;
    txn.execute_unprepared("UPDATE ticket_counter SET last_number = last_number")
        .await?;
    let first = {
        let maria_client = maria.client.clone();
        let url = format!("{}/api/request-create", maria.base);
        let args = request(c.correcao, invoice, "Primeira, que espera a vez");
        tokio::spawn(async move { maria_client.post(url).json(&args).send().await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // The second client gives up after 300 ms and closes its connection.
    let impatient = maria
        .client
        .post(format!("{}/api/request-create", maria.base))
        .timeout(std::time::Duration::from_millis(300))
        .json(&request(c.correcao, invoice, "Segunda, que desistiu"))
        .send()
        .await;
    assert!(impatient.is_err(), "the request was meant to time out");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    txn.rollback().await?;
    let first = first.await??;
    assert_eq!(first.status().as_u16(), 200);
    let first: CreatedTicket = first.json().await?;
    // The next creation finds the abandoned one in the queue and leaves it out.
    let third: CreatedTicket = maria
        .call(
            "request-create",
            Some(request(c.correcao, invoice, "Terceira")),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(third.number, first.number + 1, "numbers stay gapless");
    let descriptions: Vec<String> = ticket::Entity::find()
        .all(&app.db)
        .await?
        .into_iter()
        .map(|t| t.description)
        .collect();
    assert_eq!(descriptions.len(), 2, "{descriptions:?}");
    assert!(
        !descriptions.iter().any(|d| d.contains("desistiu")),
        "{descriptions:?}"
    );
    Ok(())
}

fn small_pdf(i: usize) -> Vec<u8> {
    pdf(&format!("documento {i} {}", "x".repeat(400)))
}

#[tokio::test]
async fn parallel_uploads_cannot_pass_the_file_limit_or_the_quota() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let outcomes = join_all((0..20).map(|i| {
            let maria = &maria;
            async move { upload(maria, &format!("doc{i}.pdf"), &small_pdf(i)).await }
        }))
        .await
        .into_iter()
        .collect::<AnyResult<Vec<_>>>()?;
        let staged = outcomes.iter().filter(|(status, _)| *status == 201).count();
        assert_eq!(staged, 10, "{engine:?}: {outcomes:?}");
        for (status, body) in outcomes.iter().filter(|(status, _)| *status != 201) {
            assert_eq!(*status, 422, "{engine:?}: {body}");
            let error: AppError = serde_json::from_value(body.clone())?;
            assert_eq!(
                error.field_errors().and_then(|e| e.get(Field::Attachments)),
                Some(Problem::TooManyFiles)
            );
        }
        let rows = attachment::Entity::find().count(&app.db).await?;
        assert_eq!(rows, 10, "{engine:?}");
        let stored: Vec<String> = files_on_disk(&app.storage.data_dir())?;
        assert_eq!(stored.len(), 10, "{engine:?}: {stored:?}");
    }

    // A quota of 2,000 bytes: of five 460-byte files sent at once, four fit.
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.attachment_quota_bytes = 2_000;
    })
    .await?;
    let maria = customer(&app, "maria").await?;
    let size = small_pdf(0).len();
    let outcomes = join_all((0..5).map(|i| {
        let maria = &maria;
        async move { upload(maria, &format!("doc{i}.pdf"), &small_pdf(i)).await }
    }))
    .await
    .into_iter()
    .collect::<AnyResult<Vec<_>>>()?;
    let fitted = outcomes.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(fitted, 2_000 / size, "{outcomes:?}");
    let over: Vec<Problem> = outcomes
        .iter()
        .filter(|(status, _)| *status == 422)
        .filter_map(|(_, body)| serde_json::from_value::<AppError>(body.clone()).ok())
        .filter_map(|e| e.field_errors().and_then(|f| f.get(Field::Attachments)))
        .collect();
    assert_eq!(over, vec![Problem::QuotaExceeded; 5 - fitted]);
    assert_eq!(files_on_disk(&app.storage.data_dir())?.len(), fitted);
    Ok(())
}

#[tokio::test]
async fn deduplicated_files_are_never_deleted_under_a_new_row() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let joana = customer(&app, "joana").await?;
        let same = pdf("o mesmo conteúdo");
        for round in 0..15 {
            let (status, body) = upload(&maria, "mesmo.pdf", &same).await?;
            assert_eq!(status, 201, "{body}");
            let id = body["id"].as_i64().ok_or("id")?;
            // Maria removes hers while Joana uploads the same bytes.
            let (removed, joanas) = tokio::join!(
                maria
                    .client
                    .delete(format!("{}/anexos/{id}", maria.base))
                    .send(),
                upload(&joana, "mesmo.pdf", &same),
            );
            assert_eq!(removed?.status().as_u16(), 204);
            let (status, body) = joanas?;
            assert_eq!(status, 201, "{body}");
            let joanas_id = body["id"].as_i64().ok_or("id")?;
            // Joana's file must be there, byte for byte.
            let download = joana
                .client
                .get(format!("{}/anexos/{joanas_id}", joana.base))
                .send()
                .await?;
            assert_eq!(download.status().as_u16(), 200, "{engine:?} round {round}");
            assert_eq!(
                download.bytes().await?.as_ref(),
                same.as_slice(),
                "{engine:?}"
            );
            let gone = joana
                .client
                .delete(format!("{}/anexos/{joanas_id}", joana.base))
                .send()
                .await?;
            assert_eq!(gone.status().as_u16(), 204);
        }
        assert!(
            files_on_disk(&app.storage.data_dir())?.is_empty(),
            "{engine:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn unfinished_and_orphan_files_are_swept() -> TestResult {
    for engine in ENGINES {
        let orphan = "ab".repeat(32);
        let fresh_orphan = "cd".repeat(32);
        let app = TestApp::spawn_with(
            engine,
            |_| {},
            None,
            |storage| {
                let store = storage.data_dir().join("anexos");
                std::fs::create_dir_all(store.join("tmp"))?;
                std::fs::write(store.join("tmp").join("crashed.part"), b"half an upload")?;
                Ok(())
            },
        )
        .await?;
        let store = app.storage.data_dir().join("anexos");
        assert!(
            !store.join("tmp").join("crashed.part").exists(),
            "{engine:?}: start-up leaves unfinished uploads"
        );
        // A file the store holds with no row (its upload died between file and row),
        // an hour old; another just written; and a real upload.
        let maria = customer(&app, "maria").await?;
        let (status, _) = upload(&maria, "real.pdf", &pdf("real")).await?;
        assert_eq!(status, 201);
        for (name, age) in [(&orphan, 7200), (&fresh_orphan, 0)] {
            let folder = store.join(&name[..2]);
            std::fs::create_dir_all(&folder)?;
            let path = folder.join(name);
            std::fs::write(&path, b"orphan")?;
            let file = std::fs::File::options().append(true).open(&path)?;
            file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(age))?;
        }
        // The real upload's file is old too: a row keeps it.
        let real = attachment::Entity::find()
            .one(&app.db)
            .await?
            .ok_or("row")?;
        let real_path = store.join(&real.sha256[..2]).join(&real.sha256);
        std::fs::File::options()
            .append(true)
            .open(&real_path)?
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))?;

        let swept = app::server::maintenance::run_once(&app.state).await?;
        assert_eq!(swept.orphan_files, 1, "{engine:?}");
        assert!(
            !store.join(&orphan[..2]).join(&orphan).exists(),
            "{engine:?}"
        );
        assert!(
            store.join(&fresh_orphan[..2]).join(&fresh_orphan).exists(),
            "{engine:?}"
        );
        assert!(real_path.exists(), "{engine:?}");
    }
    Ok(())
}
