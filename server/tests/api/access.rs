//! The access matrix: every server function the application registers and every HTTP
//! route it serves, with the answer each kind of caller gets. The lists of server
//! functions and page routes are read from the application itself, so a new endpoint
//! that is missing from the tables below fails this test.
//!
//! Callers: a visitor; customer A, who owns the ticket each row is about (every caller
//! gets a fresh ticket of A's, so one caller's actions never change another's row);
//! customer B; an agent of the ticket's group; an agent of another group; a manager;
//! an administrator.

use std::collections::BTreeSet;

use app::domain::account::Role;
use entity::support_group;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::accounts::staff_in;
use crate::helpers::{Browser, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, Catalog, catalog, customer, form};
use crate::tickets::{open_ticket, sign_in};

const CALLERS: [&str; 7] = [
    "visitor",
    "customer A",
    "customer B",
    "agent of the group",
    "agent of another group",
    "manager",
    "admin",
];

/// What a caller needs to build a request.
struct Ctx<'a> {
    who: usize,
    number: i64,
    catalog: &'a Catalog,
    invoice: i32,
}

type Args = fn(&Ctx) -> Value;

/// Every server function: its arguments and the status each caller gets, in the order of
/// `CALLERS`. Rows run in this order for each caller ("logout" last).
fn server_functions() -> Vec<(&'static str, Args, [u16; 7])> {
    const ALL_200: [u16; 7] = [200; 7];
    const SIGNED_IN: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];
    // The customer's functions are about the caller's own tickets; staff reach other
    // people's tickets through the desk's functions (desk-*), never through these.
    const OWNER_ONLY: [u16; 7] = [401, 200, 404, 404, 404, 404, 404];
    const OWNER_REFUSED: [u16; 7] = [401, 422, 404, 404, 404, 404, 404];
    // Administration: everyone but administrators (and, for the audit trail, managers)
    // is told there is nothing there.
    const ADMIN_ONLY: [u16; 7] = [401, 404, 404, 404, 404, 404, 200];
    const ADMIN_REFUSED: [u16; 7] = [401, 404, 404, 404, 404, 404, 422];
    const AUDIT_READERS: [u16; 7] = [401, 404, 404, 404, 404, 200, 200];
    vec![
        ("login-options", |_| Value::Null, ALL_200),
        ("captcha", |_| Value::Null, ALL_200),
        ("cep", |_| json!({ "cep": "70040020" }), ALL_200),
        ("me", |_| Value::Null, ALL_200),
        (
            "login",
            |c| json!({ "identifier": format!("ninguem{}", c.who), "password": "errada123" }),
            [401; 7],
        ),
        (
            "register",
            |c| {
                json!({ "input": {
                    "name": "Novo", "person": "F", "phone": "61999998888", "cep": "70040020",
                    "address": "SBN", "email": format!("novo{}@exemplo.com.br", c.who),
                    "login": format!("novo{}", c.who), "password": "segredo123",
                    "password_confirm": "segredo123" },
                    "captcha_id": "nenhum", "captcha_answer": "1" })
            },
            [422, 403, 403, 403, 403, 403, 403],
        ),
        (
            "password-forgot",
            |c| json!({ "email": format!("x{}@exemplo.com.br", c.who) }),
            ALL_200,
        ),
        (
            "password-reset",
            |_| json!({ "token": "nope", "password": "nova12345", "password_confirm": "nova12345" }),
            [422; 7],
        ),
        ("profile", |_| Value::Null, SIGNED_IN),
        (
            "profile-update",
            |c| {
                json!({ "input": {
                    "name": "Nome Novo", "person": "F", "phone": "61999998888", "cep": "70040020",
                    "address": "SBN Quadra 2", "email": format!("perfil{}@exemplo.com.br", c.who) } })
            },
            SIGNED_IN,
        ),
        (
            "password-change",
            |_| json!({ "current": "nao-sei-1", "password": "nova12345", "password_confirm": "nova12345" }),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        ("portal", |_| Value::Null, SIGNED_IN),
        (
            "portal-services",
            |c| json!({ "portfolio_id": c.catalog.portfolio }),
            SIGNED_IN,
        ),
        (
            "portal-activities",
            |c| json!({ "portfolio_id": c.catalog.portfolio, "service_id": c.catalog.faturamento }),
            SIGNED_IN,
        ),
        ("portal-search", |_| json!({ "query": "fatura" }), SIGNED_IN),
        (
            "request-form",
            |c| {
                json!({ "portfolio_id": c.catalog.portfolio, "service_id": c.catalog.faturamento,
                        "activity_id": c.catalog.correcao })
            },
            SIGNED_IN,
        ),
        (
            "request-create",
            |c| crate::requests::request(c.catalog.correcao, c.invoice, "Pedido de quem chama"),
            SIGNED_IN,
        ),
        (
            "my-tickets",
            |_| json!({ "filter": { "query": "", "situation": null, "sort": "Created", "ascending": false, "page": 1 } }),
            SIGNED_IN,
        ),
        // The staff desk (before the customer's actions change the ticket's version):
        // customers get "not found", as for a page that does not exist;
        // an agent of another group does not see the ticket; the manager reads only.
        (
            "desk-queue",
            |_| json!({ "filter": app::domain::desk::QueueFilter::default() }),
            [401, 404, 404, 200, 200, 200, 200],
        ),
        (
            "desk-ticket",
            |c| json!({ "number": c.number }),
            [401, 404, 404, 200, 404, 200, 200],
        ),
        (
            "desk-act",
            |c| json!({ "number": c.number, "version": 0, "action": "Capture" }),
            [401, 404, 404, 200, 404, 403, 200],
        ),
        ("ticket", |c| json!({ "number": c.number }), OWNER_ONLY),
        (
            "ticket-note",
            |c| json!({ "number": c.number, "text": "Uma nota" }),
            OWNER_ONLY,
        ),
        (
            "ticket-attach",
            |c| json!({ "number": c.number, "attachments": [] }),
            OWNER_REFUSED,
        ),
        (
            "ticket-opinion",
            |c| json!({ "number": c.number, "kind": "elogio", "text": "Bom" }),
            OWNER_REFUSED,
        ),
        (
            "ticket-rate",
            |c| json!({ "number": c.number, "score": 5, "comment": "" }),
            OWNER_REFUSED,
        ),
        (
            "ticket-reopen",
            |c| json!({ "number": c.number, "reason": "Voltou" }),
            OWNER_REFUSED,
        ),
        (
            "ticket-close",
            |c| json!({ "number": c.number, "solution": "Resolvido" }),
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            "profile-notices",
            |_| json!({ "prefs": { "language": "pt", "receive": ["retomado"] } }),
            SIGNED_IN,
        ),
        // SLA settings: administrators only; the others are refused before any input is
        // looked at (the admin's empty or unknown input is refused as such).
        ("admin-sla", |_| Value::Null, ADMIN_ONLY),
        (
            "admin-calendar-save",
            |_| {
                json!({ "input": { "id": null, "name": "", "time_zone": "", "week": "",
                    "national_holidays": true, "optional_points": true } })
            },
            ADMIN_REFUSED,
        ),
        (
            "admin-holiday-add",
            |_| json!({ "input": { "calendar": 1, "date": "31/02/2027", "name": "" } }),
            ADMIN_REFUSED,
        ),
        (
            "admin-holiday-remove",
            |_| json!({ "id": 999999 }),
            [401, 404, 404, 404, 404, 404, 404],
        ),
        (
            "admin-activity-sla",
            |c| {
                json!({ "input": { "activity": c.catalog.correcao, "calendar": 1,
                    "hours": "", "first_response": "" } })
            },
            ADMIN_ONLY,
        ),
        // Groups and people: administrators only; the audit trail: managers too.
        ("admin-people", |_| json!({ "query": "" }), ADMIN_ONLY),
        (
            "admin-people-change",
            |_| json!({ "command": { "CreateGroup": { "name": "" } } }),
            ADMIN_REFUSED,
        ),
        (
            "admin-audit",
            |_| json!({ "filter": { "who": "", "kind": "", "from": "", "to": "", "before": null } }),
            AUDIT_READERS,
        ),
        // The catalog: administrators only.
        ("admin-catalog", |_| Value::Null, ADMIN_ONLY),
        (
            "admin-activity",
            |c| json!({ "id": c.catalog.correcao }),
            ADMIN_ONLY,
        ),
        (
            "admin-catalog-change",
            |_| json!({ "command": { "Create": { "level": "Portfolio", "parent": 0, "name": "", "description": "" } } }),
            ADMIN_REFUSED,
        ),
        // Settings: administrators only.
        ("admin-settings", |_| Value::Null, ADMIN_ONLY),
        (
            "admin-settings-save",
            |_| {
                json!({ "input": { "reopen_hours": "", "rating_days": "", "max_files": "",
                "max_megabytes": "", "allowed_types": [], "time_zone": "", "auth_domain": "",
                "public_url": "", "mail_from": "" } })
            },
            ADMIN_REFUSED,
        ),
        ("logout", |_| Value::Null, ALL_200),
    ]
}

/// Every page route (GET): its path with the ticket's or catalog's ids, and the status.
fn pages() -> Vec<(&'static str, fn(&Ctx) -> String, [u16; 7])> {
    const ALL_200: [u16; 7] = [200; 7];
    vec![
        ("/", |_| "/".into(), ALL_200),
        ("/entrar", |_| "/entrar".into(), ALL_200),
        ("/cadastrar", |_| "/cadastrar".into(), ALL_200),
        ("/esqueci-senha", |_| "/esqueci-senha".into(), ALL_200),
        ("/redefinir-senha", |_| "/redefinir-senha".into(), ALL_200),
        // Signed-in pages show a visitor the way to sign in.
        ("/perfil", |_| "/perfil".into(), ALL_200),
        ("/portal", |_| "/portal".into(), ALL_200),
        (
            "/portal/{portfolio}",
            |c| format!("/portal/{}", c.catalog.portfolio),
            ALL_200,
        ),
        (
            "/portal/{portfolio}/{service}",
            |c| format!("/portal/{}/{}", c.catalog.portfolio, c.catalog.faturamento),
            ALL_200,
        ),
        (
            "/portal/{portfolio}/{service}/{activity}",
            |c| {
                format!(
                    "/portal/{}/{}/{}",
                    c.catalog.portfolio, c.catalog.faturamento, c.catalog.correcao
                )
            },
            ALL_200,
        ),
        ("/busca", |_| "/busca?q=fatura".into(), ALL_200),
        ("/meus-tickets", |_| "/meus-tickets".into(), ALL_200),
        (
            "/meus-tickets/{number}",
            |c| format!("/meus-tickets/{}", c.number),
            [200, 200, 404, 404, 404, 404, 404],
        ),
        // Visitors are shown the way to sign in; customers get "not found".
        (
            "/fila",
            |_| "/fila".into(),
            [200, 404, 404, 200, 200, 200, 200],
        ),
        (
            "/fila/{number}",
            |c| format!("/fila/{}", c.number),
            [200, 404, 404, 200, 404, 200, 200],
        ),
        // Administration: visitors are shown the way to sign in; other roles get "not
        // found"; managers read the audit trail.
        (
            "/admin/sla",
            |_| "/admin/sla".into(),
            [200, 404, 404, 404, 404, 404, 200],
        ),
        (
            "/admin/usuarios",
            |_| "/admin/usuarios?q=cliente".into(),
            [200, 404, 404, 404, 404, 404, 200],
        ),
        (
            "/admin/auditoria",
            |_| "/admin/auditoria?tipo=grupo".into(),
            [200, 404, 404, 404, 404, 200, 200],
        ),
        (
            "/admin/catalogo",
            |_| "/admin/catalogo".into(),
            [200, 404, 404, 404, 404, 404, 200],
        ),
        (
            "/admin/configuracoes",
            |_| "/admin/configuracoes".into(),
            [200, 404, 404, 404, 404, 404, 200],
        ),
        (
            "/admin/catalogo/{activity}",
            |c| format!("/admin/catalogo/{}", c.catalog.correcao),
            [200, 404, 404, 404, 404, 404, 200],
        ),
    ]
}

/// The plain form posts that answer each page's forms without JavaScript
/// (`app::server::forms`): path, urlencoded body, status per caller. A refused post
/// renders the page again with the error's status; a success answers 303.
fn form_posts() -> Vec<(
    &'static str,
    fn(&Ctx) -> String,
    fn(&Ctx) -> String,
    [u16; 7],
)> {
    vec![
        // Empty credentials: wrong for everybody.
        (
            "/entrar",
            |_| "/entrar".into(),
            |c| format!("_form=entrar&usuario=ninguem.form{}&senha=errada123", c.who),
            [401; 7],
        ),
        (
            "/cadastrar",
            |_| "/cadastrar".into(),
            |_| "_form=cadastro".into(),
            [422, 403, 403, 403, 403, 403, 403],
        ),
        (
            "/esqueci-senha",
            |_| "/esqueci-senha".into(),
            |_| "_form=esqueci-senha".into(),
            [422; 7],
        ),
        (
            "/redefinir-senha",
            |_| "/redefinir-senha".into(),
            |_| "_form=redefinir-senha".into(),
            [422; 7],
        ),
        (
            "/perfil",
            |_| "/perfil".into(),
            |_| "_form=perfil".into(),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        (
            "/perfil",
            |_| "/perfil".into(),
            |_| "_form=avisos&idioma-email=fr".into(),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        (
            "/admin/sla",
            |_| "/admin/sla".into(),
            |_| "_form=calendario-novo&calendario-nome=&fuso=&horario=".into(),
            [401, 404, 404, 404, 404, 404, 422],
        ),
        (
            "/admin/usuarios",
            |_| "/admin/usuarios".into(),
            |_| "_form=grupo-novo&grupo-nome=".into(),
            [401, 404, 404, 404, 404, 404, 422],
        ),
        (
            "/admin/configuracoes",
            |_| "/admin/configuracoes".into(),
            |_| "_form=configuracoes&reabrir-horas=0".into(),
            [401, 404, 404, 404, 404, 404, 422],
        ),
        (
            "/admin/catalogo",
            |_| "/admin/catalogo".into(),
            |_| "_form=portfolio-novo&nome=".into(),
            [401, 404, 404, 404, 404, 404, 422],
        ),
        (
            "/admin/catalogo/{activity}",
            |c| format!("/admin/catalogo/{}", c.catalog.correcao),
            |c| {
                format!(
                    "_form=campo-novo&item-id={}&versao=0&campo-rotulo=&campo-tipo=text",
                    c.catalog.correcao
                )
            },
            [401, 404, 404, 404, 404, 404, 422],
        ),
        (
            "/portal/{portfolio}/{service}/{activity}",
            |c| {
                format!(
                    "/portal/{}/{}/{}",
                    c.catalog.portfolio, c.catalog.faturamento, c.catalog.correcao
                )
            },
            |_| "_form=nova-solicitacao".into(),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        (
            "/meus-tickets/{number}",
            |c| format!("/meus-tickets/{}", c.number),
            |_| "_form=anotacao&anotacao=Uma+nota+sem+JavaScript".into(),
            [401, 303, 404, 404, 404, 404, 404],
        ),
        // A staff action with a version the ticket never had: refused as stale (409) by
        // whoever may act, after the access check (the desk-act row then captures with
        // the right version). A success answers 303 (`desk::actions_work_without_javascript`).
        (
            "/fila/{number}",
            |c| format!("/fila/{}?acao=capturar", c.number),
            |_| "_form=capturar&versao=99".into(),
            [401, 404, 404, 409, 404, 403, 409],
        ),
        // Signing out works for anybody (a visitor has nothing to end).
        ("/sair", |_| "/sair".into(), |_| String::new(), [303; 7]),
    ]
}

/// The routes outside Leptos (plain axum), with method, path and status per caller.
fn plain_routes() -> Vec<(&'static str, &'static str, [u16; 7])> {
    vec![
        ("GET", "/healthz", [200; 7]),
        // The audit trail's export: managers and administrators.
        (
            "GET",
            "/admin/auditoria.csv",
            [401, 404, 404, 404, 404, 200, 200],
        ),
        ("GET", "/pkg/0123456789abcdef/atende.css", [200; 7]),
        ("GET", "/favicon.svg", [200; 7]),
        // Uploads: a body that is not multipart is refused, but only once signed in.
        ("POST", "/anexos", [401, 400, 400, 400, 400, 400, 400]),
        ("GET", "/anexos/999999", [401, 404, 404, 404, 404, 404, 404]),
        (
            "DELETE",
            "/anexos/999999",
            [401, 404, 404, 404, 404, 404, 404],
        ),
    ]
}

async fn status_of(
    browser: &Browser,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> AnyResult<u16> {
    let url = format!("{}{path}", browser.base);
    let request = match method {
        "GET" => browser.client.get(url),
        "DELETE" => browser.client.delete(url),
        _ => browser.client.post(url),
    };
    let request = match body {
        Some(Value::Null) | None if method == "POST" => request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(""),
        Some(args) => request.json(&args),
        None => request,
    };
    Ok(request.send().await?.status().as_u16())
}

/// Posts a plain form and returns its status.
async fn post_form(browser: &Browser, url: &str, body: String) -> AnyResult<u16> {
    Ok(browser
        .client
        .post(format!("{}{url}", browser.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?
        .status()
        .as_u16())
}

#[tokio::test]
async fn every_endpoint_answers_each_kind_of_caller_as_expected() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let owner = customer(&app, "cliente.a").await?;
    customer(&app, "cliente.b").await?;
    support_group::ActiveModel {
        name: Set("2º Nível - Faturamento".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await?;
    staff_in(
        &app,
        "agente.nuate",
        Role::Agent,
        vec!["1º Nível - NUATE".into()],
    )
    .await?;
    staff_in(
        &app,
        "agente.outro",
        Role::Agent,
        vec!["2º Nível - Faturamento".into()],
    )
    .await?;
    staff_in(&app, "gestor", Role::Manager, vec![]).await?;
    staff_in(&app, "admin", Role::Admin, vec![]).await?;
    let c = catalog(&owner).await?;
    let invoice = form(&owner, &c).await?.fields[0].id;

    // Every server function the application registers is in the table, and no more.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let table: BTreeSet<String> = server_functions()
        .iter()
        .map(|(endpoint, _, _)| (*endpoint).to_owned())
        .collect();
    assert_eq!(registered, table, "server functions vs the access table");
    // Every page route likewise.
    let routes: BTreeSet<String> = server::startup::route_list()
        .iter()
        .map(|route| route.path().to_owned())
        .collect();
    let table: BTreeSet<String> = pages()
        .iter()
        .map(|(path, _, _)| (*path).to_owned())
        .collect();
    assert_eq!(routes, table, "page routes vs the access table");

    let mut failures = Vec::new();
    for (who, name) in CALLERS.iter().enumerate() {
        let browser = match who {
            0 => app.browser()?,
            1 => sign_in(&app, "cliente.a", "segredo123").await?,
            2 => sign_in(&app, "cliente.b", "segredo123").await?,
            3 => sign_in(&app, "agente.nuate", "equipe1234").await?,
            4 => sign_in(&app, "agente.outro", "equipe1234").await?,
            5 => sign_in(&app, "gestor", "equipe1234").await?,
            _ => sign_in(&app, "admin", "equipe1234").await?,
        };
        let number = open_ticket(&owner, &format!("O ticket de {name}")).await?;
        let ctx = Ctx {
            who,
            number,
            catalog: &c,
            invoice,
        };
        for (path, url, expected) in pages() {
            let got = status_of(&browser, "GET", &url(&ctx), None).await?;
            if got != expected[who] {
                failures.push(format!(
                    "{name}: GET {path}: {got}, expected {}",
                    expected[who]
                ));
            }
        }
        for (method, path, expected) in plain_routes() {
            let got = status_of(&browser, method, path, None).await?;
            if got != expected[who] {
                failures.push(format!(
                    "{name}: {method} {path}: {got}, expected {}",
                    expected[who]
                ));
            }
        }
        // Forms first ("Sair" last of all: it ends the caller's session).
        let (sign_out, forms): (Vec<_>, Vec<_>) = form_posts()
            .into_iter()
            .partition(|(path, ..)| *path == "/sair");
        for (path, url, body, expected) in forms {
            let got = post_form(&browser, &url(&ctx), body(&ctx)).await?;
            if got != expected[who] {
                failures.push(format!(
                    "{name}: POST {path}: {got}, expected {}",
                    expected[who]
                ));
            }
        }
        for (endpoint, args, expected) in server_functions() {
            let got = status_of(
                &browser,
                "POST",
                &format!("/api/{endpoint}"),
                Some(args(&ctx)),
            )
            .await?;
            if got != expected[who] {
                failures.push(format!(
                    "{name}: {endpoint}: {got}, expected {}",
                    expected[who]
                ));
            }
        }
        for (path, url, body, expected) in sign_out {
            let got = post_form(&browser, &url(&ctx), body(&ctx)).await?;
            if got != expected[who] {
                failures.push(format!(
                    "{name}: POST {path}: {got}, expected {}",
                    expected[who]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}
