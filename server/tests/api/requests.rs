//! The portal and opening requests through the real HTTP path.

use app::api::portal::{CatalogLevel, RequestFormData, SearchHit};
use app::api::requests::CreatedTicket;
use app::domain::ids::ActivityId;
use app::domain::{Field, Problem};
use app::error::AppError;
use entity::{activity, ticket, ticket_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};

pub type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

/// A signed-in customer, registered through the API.
pub async fn customer(app: &TestApp, login: &str) -> AnyResult<Browser> {
    let browser = app.browser()?;
    let challenge: app::api::accounts::CaptchaChallenge = browser
        .call("captcha", None)
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let answer = app.captcha_answer(&challenge.id).await?;
    let input = json!({
        "name": "Maria da Silva", "person": "F", "phone": "61999998888", "cep": "70040020",
        "address": "SBN Quadra 2", "email": format!("{login}@exemplo.com.br"), "login": login,
        "password": "segredo123", "password_confirm": "segredo123",
    });
    browser
        .call::<()>("register", Some(json!({ "input": input, "captcha_id": challenge.id, "captcha_answer": answer.to_string() })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    browser
        .call::<Value>(
            "login",
            Some(json!({ "identifier": login, "password": "segredo123" })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(browser)
}

pub struct Catalog {
    pub portfolio: i32,
    pub faturamento: i32,
    pub correcao: i32,
}

pub async fn catalog(browser: &Browser) -> AnyResult<Catalog> {
    let portfolios: CatalogLevel = browser
        .call("portal", None)
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let portfolio = portfolios
        .items
        .iter()
        .find(|c| c.name == "CENTRAL DE ATENDIMENTO AO CLIENTE")
        .ok_or("portfolio")?
        .id;
    let services: CatalogLevel = browser
        .call(
            "portal-services",
            Some(json!({ "portfolio_id": portfolio })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(services.trail[0].name, "CENTRAL DE ATENDIMENTO AO CLIENTE");
    let names: Vec<&str> = services.items.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["FATURAMENTO", "PUBLICAÇÃO", "ASSINATURAS"]);
    let faturamento = services.items[0].id;
    let activities: CatalogLevel = browser
        .call(
            "portal-activities",
            Some(json!({ "portfolio_id": portfolio, "service_id": faturamento })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(activities.trail.len(), 2);
    let correcao = activities
        .items
        .iter()
        .find(|c| c.name == "Correção de Faturas")
        .ok_or("activity")?
        .id;
    Ok(Catalog {
        portfolio,
        faturamento,
        correcao,
    })
}

pub fn request(activity_id: i32, invoice_field: i32, description: &str) -> Value {
    json!({ "input": {
        "activity_id": activity_id,
        "profile": {
            "nature": "F", "document": "529.982.247-25", "cep": "70040-020", "street": "SBN Quadra 2",
            "number": "10", "complement": "", "district": "Asa Norte", "city": "Brasília", "uf": "DF",
        },
        "title": "",
        "fields": [[invoice_field, "2026-000123"]],
        "description": description,
    }})
}

pub async fn form(browser: &Browser, c: &Catalog) -> AnyResult<RequestFormData> {
    Ok(browser
        .call("request-form", Some(json!({ "portfolio_id": c.portfolio, "service_id": c.faturamento, "activity_id": c.correcao })))
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

#[tokio::test]
async fn browse_search_and_open_a_request_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = customer(&app, "maria").await?;
        let c = catalog(&browser).await?;

        // Accent- and case-insensitive search over the whole catalog.
        for query in ["correcao", "CORREÇÃO fatura", "faturamento correção"] {
            let hits: Vec<SearchHit> = browser
                .call("portal-search", Some(json!({ "query": query })))
                .await?
                .map_err(|e| format!("{e:?}"))?;
            assert!(
                hits.iter()
                    .any(|h| h.activity.name == "Correção de Faturas"
                        && h.service.name == "FATURAMENTO"),
                "{query}: {hits:?}"
            );
        }
        let none: Vec<SearchHit> = browser
            .call("portal-search", Some(json!({ "query": "inexistente%" })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(none.is_empty());

        let first = form(&browser, &c).await?;
        assert_eq!(
            first.profile, None,
            "{engine:?}: first request asks for the profile"
        );
        assert_eq!(
            (first.priority, first.sla_hours, first.ticket_type.as_str()),
            (5, None, "R")
        );
        let invoice = first
            .fields
            .iter()
            .find(|f| f.label == "Número da fatura")
            .ok_or("field")?
            .id;

        let created: CreatedTicket = browser
            .call(
                "request-create",
                Some(request(c.correcao, invoice, "Minha fatura veio errada.")),
            )
            .await?
            .map_err(|e| format!("{engine:?}: {e:?}"))?;
        assert_eq!(created.priority, 5);
        let stored = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(created.number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        assert_eq!(stored.title, "Correção de Faturas");
        assert_eq!(stored.task, "Triagem");
        assert_eq!(stored.situation, "em_andamento");
        assert_eq!(stored.deadline, None, "A combinar");
        assert_eq!(stored.service_id, c.faturamento);
        assert!(stored.fields.contains("2026-000123"));
        let group = entity::support_group::Entity::find_by_id(stored.group_id)
            .one(&app.db)
            .await?
            .ok_or("group")?;
        assert_eq!(group.name, "1º Nível - NUATE");
        let events = ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(stored.id))
            .all(&app.db)
            .await?;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "opened");

        // The next form comes filled in.
        let second = form(&browser, &c).await?;
        let profile = second.profile.ok_or("profile not saved")?;
        assert_eq!(
            (
                profile.document.as_str(),
                profile.city.as_str(),
                profile.uf.as_str()
            ),
            ("529.982.247-25", "Brasília", "DF")
        );

        // Another customer's numbers continue the sequence.
        let other = customer(&app, "joao").await?;
        let next: CreatedTicket = other
            .call(
                "request-create",
                Some(request(c.correcao, invoice, "Outra fatura.")),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(next.number, created.number + 1);
    }
    Ok(())
}

#[tokio::test]
async fn an_sla_in_hours_sets_the_deadline_in_business_hours() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "maria").await?;
    let c = catalog(&browser).await?;
    let segunda_via = activity::Entity::find()
        .filter(activity::Column::Name.eq("Segunda via de fatura"))
        .one(&app.db)
        .await?
        .ok_or("activity")?;
    let specs = app::server::catalog::field_specs(&app.db, ActivityId(segunda_via.id))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let body = request(segunda_via.id, specs[0].id, "Preciso da segunda via.");
    let created: CreatedTicket = browser
        .call("request-create", Some(body))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(created.priority, 4);
    let stored = ticket::Entity::find()
        .filter(ticket::Column::Number.eq(created.number))
        .one(&app.db)
        .await?
        .ok_or("ticket")?;
    let deadline = stored.deadline.ok_or("no deadline for an 8-hour SLA")?;
    let expected = app::server::sla::deadline(stored.created_at, 8, chrono_tz::America::Sao_Paulo)
        .ok_or("sla")?;
    assert_eq!(deadline, expected);
    assert!(deadline - stored.created_at >= chrono::Duration::hours(8));
    let _ = c;
    Ok(())
}

#[tokio::test]
async fn bad_requests_are_refused_with_nothing_stored() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "maria").await?;
    let c = catalog(&browser).await?;
    let invoice = form(&browser, &c).await?.fields[0].id;
    let cases: [(&str, Value, Field, Problem); 7] = [
        (
            "/input/profile/document",
            json!("529.982.247-24"),
            Field::Document,
            Problem::InvalidCpf,
        ),
        (
            "/input/profile/nature",
            json!("J"),
            Field::Document,
            Problem::CpfForCompany,
        ),
        (
            "/input/profile/uf",
            json!("ZZ"),
            Field::Uf,
            Problem::InvalidUf,
        ),
        (
            "/input/description",
            json!(""),
            Field::Description,
            Problem::Required,
        ),
        (
            "/input/description",
            json!("x".repeat(20_001)),
            Field::Description,
            Problem::TooLong,
        ),
        (
            "/input/fields",
            json!([]),
            Field::Extra(invoice),
            Problem::Required,
        ),
        (
            "/input/activity_id",
            json!(999_999),
            Field::Activity,
            Problem::ActivityUnavailable,
        ),
    ];
    for (pointer, value, field, problem) in cases {
        let mut body = request(c.correcao, invoice, "Descrição válida.");
        *body.pointer_mut(pointer).ok_or(pointer)? = value;
        let result = browser
            .call::<CreatedTicket>("request-create", Some(body))
            .await?;
        match result {
            Err((422, AppError::Validation(errors))) => {
                assert_eq!(errors.get(field), Some(problem), "{pointer}: {errors:?}")
            }
            other => return Err(format!("{pointer}: expected a refusal, got {other:?}").into()),
        }
    }
    // A disabled activity is refused too.
    let mut disabled = activity::Entity::find_by_id(c.correcao)
        .one(&app.db)
        .await?
        .ok_or("activity")?
        .into_active_model();
    disabled.active = Set(false);
    disabled.update(&app.db).await?;
    let result = browser
        .call::<CreatedTicket>("request-create", Some(request(c.correcao, invoice, "x")))
        .await?;
    assert!(
        matches!(result, Err((422, AppError::Validation(ref e))) if e.get(Field::Activity).is_some()),
        "{result:?}"
    );
    let gone = browser
        .call::<RequestFormData>("request-form", Some(json!({ "portfolio_id": c.portfolio, "service_id": c.faturamento, "activity_id": c.correcao })))
        .await?;
    assert!(matches!(gone, Err((404, AppError::NotFound))));

    assert_eq!(ticket::Entity::find().count(&app.db).await?, 0);
    assert_eq!(ticket_event::Entity::find().count(&app.db).await?, 0);
    assert_eq!(
        entity::customer_profile::Entity::find()
            .count(&app.db)
            .await?,
        0
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_requests_get_consecutive_numbers_and_a_bad_one_fails_alone() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let c;
        let mut browsers = Vec::new();
        {
            let first = customer(&app, "cliente0").await?;
            c = catalog(&first).await?;
            browsers.push(first);
        }
        for i in 1..5 {
            browsers.push(customer(&app, &format!("cliente{i}")).await?);
        }
        let invoice = form(&browsers[0], &c).await?.fields[0].id;
        // In the first wave five of them name an upload that does not exist: written
        // together with the others (SQLite batches concurrent creations), they must fail
        // alone, leave no trace and cost no number. The second wave is all good: its
        // batches are written whole.
        let mut numbers = Vec::new();
        let mut sent = Vec::new();
        for wave in [0..50, 50..100] {
            let bad = |i: usize| i < 50 && i % 10 == 3;
            let mut calls = Vec::new();
            for i in wave.clone() {
                let browser = &browsers[i % browsers.len()];
                let mut body = request(c.correcao, invoice, &format!("Pedido {i}"));
                if bad(i) {
                    body["input"]["attachments"] = json!([999_999]);
                }
                calls.push(browser.call::<CreatedTicket>("request-create", Some(body)));
            }
            let results = futures_join_all(calls).await;
            for (i, result) in wave.zip(results) {
                let result = result?;
                if bad(i) {
                    assert!(
                        matches!(result, Err((422, AppError::Validation(ref e))) if e.get(Field::Attachments) == Some(Problem::AttachmentMissing)),
                        "{engine:?} {i}: {result:?}"
                    );
                } else {
                    let number = result.map_err(|e| format!("{engine:?}: {e:?}"))?.number;
                    numbers.push(number);
                    sent.push((i, number));
                }
            }
        }
        // Each number is the ticket of the request it was answered to (written together,
        // they must not swap), with its own first history entry and its own mail.
        for (i, number) in sent {
            let t = ticket::Entity::find()
                .filter(ticket::Column::Number.eq(number))
                .one(&app.db)
                .await?
                .ok_or("ticket")?;
            assert_eq!(t.description, format!("Pedido {i}"), "{engine:?} {number}");
            let owner = entity::user_account::Entity::find_by_id(t.customer_id)
                .one(&app.db)
                .await?
                .ok_or("owner")?;
            assert_eq!(
                owner.login,
                format!("cliente{}", i % 5),
                "{engine:?} {number}"
            );
            let events = ticket_event::Entity::find()
                .filter(ticket_event::Column::TicketId.eq(t.id))
                .all(&app.db)
                .await?;
            assert_eq!(events.len(), 1, "{engine:?} {number}: {events:?}");
            assert_eq!(events[0].kind, "opened");
            assert_eq!(events[0].actor_id, Some(t.customer_id));
            let mail = entity::outbox::Entity::find()
                .filter(entity::outbox::Column::TicketId.eq(t.id))
                .all(&app.db)
                .await?;
            assert!(!mail.is_empty(), "{engine:?} {number}: no mail");
            for letter in mail {
                assert!(
                    letter.subject.contains(&number.to_string())
                        && !letter.subject.contains('\u{1}'),
                    "{engine:?} {number}: {}",
                    letter.subject
                );
            }
        }
        numbers.sort_unstable();
        let first = numbers[0];
        assert_eq!(
            numbers,
            (first..first + 95).collect::<Vec<_>>(),
            "{engine:?}"
        );
        let stored: Vec<i64> = ticket::Entity::find()
            .order_by_asc(ticket::Column::Number)
            .all(&app.db)
            .await?
            .into_iter()
            .map(|t| t.number)
            .collect();
        assert_eq!(stored, numbers, "{engine:?}");
    }
    Ok(())
}

/// Runs the futures concurrently on this task.
async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[tokio::test]
async fn the_portal_is_for_signed_in_users_only() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let visitor = app.browser()?;
    for (endpoint, args) in [
        ("portal", None),
        ("portal-services", Some(json!({ "portfolio_id": 1 }))),
        (
            "portal-activities",
            Some(json!({ "portfolio_id": 1, "service_id": 1 })),
        ),
        ("portal-search", Some(json!({ "query": "fatura" }))),
        (
            "request-form",
            Some(json!({ "portfolio_id": 1, "service_id": 1, "activity_id": 1 })),
        ),
        ("request-create", Some(request(1, 1, "x"))),
    ] {
        let result = visitor.call::<Value>(endpoint, args).await?;
        assert_eq!(
            result.err().map(|(status, err)| (status, err)),
            Some((401, AppError::Unauthenticated)),
            "{endpoint}"
        );
    }
    assert_eq!(ticket::Entity::find().count(&app.db).await?, 0);
    Ok(())
}
