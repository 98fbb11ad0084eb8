//! Administration of groups and people, and the audit trail: an administrator invites an
//! agent (the invitation waits in the outbox, its link sets the password), changes their
//! role, deactivates them while they are signed in, and every change is in the audit
//! trail with before → after, who and from where; managers read the trail and export it.

use app::domain::account::Role;
use app::domain::admin::{AuditPage, PeopleData};
use app::domain::{Field, Problem};
use app::error::AppError;
use entity::{audit_entry, outbox, session};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::accounts::{ClockNow, staff_in};
use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, customer};
use crate::tickets::{open_ticket, sign_in};

async fn change(browser: &Browser, command: Value) -> AnyResult<Result<(), (u16, AppError)>> {
    Ok(browser
        .call::<()>("admin-people-change", Some(json!({ "command": command })))
        .await?)
}

async fn people(browser: &Browser, query: &str) -> AnyResult<PeopleData> {
    Ok(browser
        .call::<PeopleData>("admin-people", Some(json!({ "query": query })))
        .await?
        .map_err(|e| format!("admin-people: {e:?}"))?)
}

fn problem(result: &Result<(), (u16, AppError)>, field: Field) -> Option<Problem> {
    match result {
        Err((422, AppError::Validation(errors))) => errors.get(field),
        _ => None,
    }
}

async fn audit(app: &TestApp) -> AnyResult<Vec<audit_entry::Model>> {
    Ok(audit_entry::Entity::find()
        .order_by_asc(audit_entry::Column::Id)
        .all(&app.db)
        .await?)
}

fn json_of(text: &Option<String>) -> Value {
    text.as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// The link's token in the last letter of `kind` to `recipient`.
async fn token_in_letter(app: &TestApp, kind: &str, recipient: &str) -> AnyResult<String> {
    let letter = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .filter(outbox::Column::Recipient.eq(recipient))
        .order_by_desc(outbox::Column::Id)
        .one(&app.db)
        .await?
        .ok_or(format!("no {kind} letter to {recipient}"))?;
    let (_, rest) = letter
        .body_text
        .split_once("/redefinir-senha?token=")
        .ok_or("no link in the letter")?;
    Ok(rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect())
}

async fn people_are_administered_with_an_audit_trail(engine: Engine) -> TestResult {
    let app = TestApp::spawn(engine).await?;
    staff_in(&app, "chefe", Role::Admin, vec![]).await?;
    staff_in(&app, "gestora", Role::Manager, vec![]).await?;
    let admin = sign_in(&app, "chefe", "equipe1234").await?;

    // A group: created once; the same name again is refused beside the field.
    let created = change(
        &admin,
        json!({ "CreateGroup": { "name": " 2º Nível - Redes " } }),
    )
    .await?;
    assert_eq!(created, Ok(()), "{engine:?}");
    let again = change(
        &admin,
        json!({ "CreateGroup": { "name": "2º Nível - Redes" } }),
    )
    .await?;
    assert_eq!(problem(&again, Field::GroupName), Some(Problem::NameTaken));
    let data = people(&admin, "").await?;
    let redes = data
        .groups
        .iter()
        .find(|g| g.name == "2º Nível - Redes")
        .ok_or("group not listed")?
        .id;
    let entries = audit(&app).await?;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        (
            entries[0].kind.as_str(),
            entries[0].action.as_str(),
            entries[0].actor.as_str()
        ),
        ("grupo", "criar", "chefe")
    );
    assert_eq!(entries[0].address, "127.0.0.1");
    assert_eq!(json_of(&entries[0].after)["nome"], "2º Nível - Redes");

    // An invitation: no password typed by anyone; the link in the e-mail sets it.
    let invite = json!({ "InviteStaff": { "name": "Ana Atendente", "login": "ana",
        "email": "ana@exemplo.gov.br", "role": "Agent", "groups": [redes] } });
    assert_eq!(change(&admin, invite.clone()).await?, Ok(()));
    let users_before = app.user_count().await?;
    let taken = change(&admin, invite).await?;
    assert_eq!(problem(&taken, Field::Login), Some(Problem::LoginTaken));
    assert_eq!(problem(&taken, Field::Email), Some(Problem::EmailTaken));
    let customer_role = json!({ "InviteStaff": { "name": "Zé", "login": "ze",
        "email": "ze@exemplo.gov.br", "role": "Customer", "groups": [] } });
    let refused = change(&admin, customer_role).await?;
    assert_eq!(problem(&refused, Field::Role), Some(Problem::InvalidChoice));
    assert_eq!(
        app.user_count().await?,
        users_before,
        "a refused invitation left a user"
    );
    let not_yet = app
        .browser()?
        .call::<Value>(
            "login",
            Some(json!({ "identifier": "ana", "password": "" })),
        )
        .await?;
    assert!(matches!(not_yet, Err((401, _))), "{not_yet:?}");
    let token = token_in_letter(&app, "convite", "ana@exemplo.gov.br").await?;
    let set = app
        .browser()?
        .call::<()>(
            "password-reset",
            Some(json!({ "token": token, "password": "senhaforte9", "password_confirm": "senhaforte9" })),
        )
        .await?;
    assert_eq!(set, Ok(()));
    let ana = sign_in(&app, "ana", "senhaforte9").await?;
    let listed = people(&admin, "ana@exemplo").await?;
    let ana_row = listed
        .users
        .first()
        .ok_or("ana not found by e-mail")?
        .clone();
    assert_eq!(ana_row.groups, vec!["2º Nível - Redes".to_owned()]);
    assert_eq!((ana_row.role, ana_row.active), (Role::Agent, true));
    let entries = audit(&app).await?;
    let invited = entries.last().ok_or("no entry")?;
    assert_eq!(
        (invited.kind.as_str(), invited.action.as_str()),
        ("usuario", "convidar")
    );
    assert_eq!(invited.before, None);
    assert_eq!(
        json_of(&invited.after)["grupos"],
        json!(["2º Nível - Redes"])
    );
    assert_eq!(
        entries.len(),
        2,
        "refused changes left entries: {entries:?}"
    );

    // A role change: before → after.
    let id = ana_row.id;
    let promoted = change(
        &admin,
        json!({ "SetRole": { "user": id, "role": "Manager" } }),
    )
    .await?;
    assert_eq!(promoted, Ok(()));
    let entry = audit(&app).await?.pop().ok_or("no entry")?;
    assert_eq!(entry.action, "alterar-papel");
    assert_eq!(json_of(&entry.before)["papel"], "agent");
    assert_eq!(json_of(&entry.after)["papel"], "manager");

    // An administrator can neither demote nor deactivate themselves.
    let me = listed.me;
    let demote = change(
        &admin,
        json!({ "SetRole": { "user": me, "role": "Agent" } }),
    )
    .await?;
    assert_eq!(problem(&demote, Field::Role), Some(Problem::OwnAccount));
    let off = change(
        &admin,
        json!({ "SetUserActive": { "user": me, "active": false } }),
    )
    .await?;
    assert!(matches!(off, Err((422, _))), "{off:?}");

    // Deactivated while signed in: the next request is refused, every session is gone,
    // and signing in says why (only to someone who knows the password).
    assert!(ana.call::<Value>("profile", None).await?.is_ok());
    let off = change(
        &admin,
        json!({ "SetUserActive": { "user": id, "active": false } }),
    )
    .await?;
    assert_eq!(off, Ok(()));
    let after = ana.call::<Value>("profile", None).await?;
    assert!(
        matches!(after, Err((401, AppError::Unauthenticated))),
        "{after:?}"
    );
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .count(&app.db)
        .await?;
    assert_eq!(sessions, 0);
    let right = app
        .browser()?
        .call::<Value>(
            "login",
            Some(json!({ "identifier": "ana", "password": "senhaforte9" })),
        )
        .await?;
    assert!(
        matches!(right, Err((403, AppError::AccountDisabled))),
        "{right:?}"
    );
    let wrong = app
        .browser()?
        .call::<Value>(
            "login",
            Some(json!({ "identifier": "ana", "password": "outra12345" })),
        )
        .await?;
    assert!(
        matches!(wrong, Err((401, AppError::InvalidCredentials))),
        "{wrong:?}"
    );
    let entry = audit(&app).await?.pop().ok_or("no entry")?;
    assert_eq!(entry.action, "desativar");
    assert_eq!(
        (
            json_of(&entry.before)["ativo"].clone(),
            json_of(&entry.after)["ativo"].clone()
        ),
        (json!(true), json!(false))
    );
    assert_eq!(
        change(
            &admin,
            json!({ "SetUserActive": { "user": id, "active": true } })
        )
        .await?,
        Ok(())
    );
    sign_in(&app, "ana", "senhaforte9").await?;

    // Members: a customer cannot join a group; a member leaves it.
    customer(&app, "cliente.c").await?;
    let found = people(&admin, "cliente.c").await?;
    let customer_id = found.users.first().ok_or("customer not found")?.id;
    let join = change(
        &admin,
        json!({ "AddMember": { "group": redes, "user": customer_id } }),
    )
    .await?;
    assert_eq!(problem(&join, Field::Agent), Some(Problem::InvalidChoice));
    let leave = change(
        &admin,
        json!({ "RemoveMember": { "group": redes, "user": id } }),
    )
    .await?;
    assert_eq!(leave, Ok(()));
    let entry = audit(&app).await?.pop().ok_or("no entry")?;
    assert_eq!(entry.action, "remover-membro");
    assert_eq!(json_of(&entry.before)["membros"], json!(["ana"]));
    assert_eq!(json_of(&entry.after)["membros"], json!([]));
    // Renamed and deactivated, each with its entry.
    let renamed = change(
        &admin,
        json!({ "RenameGroup": { "group": redes, "name": "2º Nível - Infra" } }),
    )
    .await?;
    assert_eq!(renamed, Ok(()));
    let closed = change(
        &admin,
        json!({ "SetGroupActive": { "group": redes, "active": false } }),
    )
    .await?;
    assert_eq!(closed, Ok(()));
    let entries = audit(&app).await?;
    let last_two: Vec<_> = entries
        .iter()
        .rev()
        .take(2)
        .map(|e| {
            (
                e.action.as_str(),
                json_of(&e.after)["nome"].clone(),
                json_of(&e.after)["ativo"].clone(),
            )
        })
        .collect();
    assert_eq!(
        last_two,
        vec![
            ("desativar", json!("2º Nível - Infra"), json!(false)),
            ("renomear", json!("2º Nível - Infra"), json!(true)),
        ]
    );
    // A deactivated group is offered to nobody: forwarding there is refused.
    let cliente = customer(&app, "cliente.e").await?;
    let number = open_ticket(&cliente, "Para um grupo desativado").await?;
    let ws: app::domain::desk::Workspace = admin
        .call("desk-ticket", Some(json!({ "number": number })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(
        !ws.groups.iter().any(|g| g.id.get() == redes),
        "{:?}",
        ws.groups
    );
    let forward = app::domain::desk::DeskAction::Forward {
        group: app::domain::ids::GroupId(redes),
        note: "Para a infraestrutura.".into(),
    };
    let refused = admin
        .call::<i32>(
            "desk-act",
            Some(json!({ "number": number, "version": ws.version, "action": forward })),
        )
        .await?;
    match refused {
        Err((422, AppError::Validation(errors))) => {
            assert_eq!(errors.get(Field::Group), Some(Problem::InvalidChoice))
        }
        other => panic!("forwarded to a deactivated group: {other:?}"),
    }
    let unknown = change(
        &admin,
        json!({ "RenameGroup": { "group": 999999, "name": "X" } }),
    )
    .await?;
    assert!(matches!(unknown, Err((404, _))), "{unknown:?}");

    // A password link sent by the administrator.
    assert_eq!(
        change(&admin, json!({ "SendReset": { "user": id } })).await?,
        Ok(())
    );
    token_in_letter(&app, "senha", "ana@exemplo.gov.br").await?;

    // Customers are found by their CPF too.
    let owner = customer(&app, "cliente.d").await?;
    open_ticket(&owner, "Pedido com CPF").await?;
    let by_document = people(&admin, "529.982").await?;
    assert!(
        by_document
            .users
            .iter()
            .any(|u| u.login == "cliente.d" && u.document == "529.982.247-25"),
        "{:?}",
        by_document.users
    );

    // The trail: filtered by kind and by who; a manager reads it and exports it.
    let manager = sign_in(&app, "gestora", "equipe1234").await?;
    let filter = json!({ "filter": { "who": "CHEFE", "kind": "usuario", "from": "", "to": "", "before": null } });
    let page = manager
        .call::<AuditPage>("admin-audit", Some(filter))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let expected = audit(&app)
        .await?
        .iter()
        .filter(|e| e.kind == "usuario")
        .count();
    assert!(expected >= 5, "{expected}");
    assert_eq!(page.rows.len(), expected);
    assert!(
        page.rows
            .iter()
            .all(|r| r.kind == "usuario" && r.actor == "chefe")
    );
    assert!(
        page.rows.windows(2).all(|w| w[0].id > w[1].id),
        "not newest first"
    );
    // The period, in the instance's days: today holds every entry, tomorrow none, and
    // a period that ended yesterday none.
    let zone = app.state.time_zone();
    let today = app.clock_now().with_timezone(&zone).date_naive();
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let period = |from: String, to: String| json!({ "filter": { "who": "", "kind": "", "from": from, "to": to, "before": null } });
    let count = |filter: Value| {
        let manager = &manager;
        async move {
            AnyResult::Ok(
                manager
                    .call::<AuditPage>("admin-audit", Some(filter))
                    .await?
                    .map_err(|e| format!("{e:?}"))?
                    .rows
                    .len(),
            )
        }
    };
    let all = audit(&app).await?.len();
    assert_eq!(count(period(day(today), day(today))).await?, all);
    let tomorrow = today.succ_opt().ok_or("date")?;
    let yesterday = today.pred_opt().ok_or("date")?;
    assert_eq!(count(period(day(tomorrow), String::new())).await?, 0);
    assert_eq!(count(period(String::new(), day(yesterday))).await?, 0);
    let bad_date = json!({ "filter": { "who": "", "kind": "", "from": "31/02/2026", "to": "", "before": null } });
    let refused = manager
        .call::<AuditPage>("admin-audit", Some(bad_date))
        .await?;
    assert!(
        matches!(&refused, Err((422, AppError::Validation(e))) if e.get(Field::PeriodFrom) == Some(Problem::InvalidDate)),
        "{refused:?}"
    );
    let csv = manager.get("/admin/auditoria.csv?tipo=grupo").await?;
    assert_eq!(csv.status().as_u16(), 200);
    assert_eq!(
        csv.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let text = csv.text().await?;
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "id,quando,quem,endereco,tipo,acao,item,antes,depois"
    );
    let groups = audit(&app)
        .await?
        .iter()
        .filter(|e| e.kind == "grupo")
        .count();
    assert_eq!(lines.len(), groups + 1, "{text}");
    assert!(lines[1..].iter().all(|l| l.contains(",grupo,")), "{text}");
    // A manager does not administer.
    let tried = change(&manager, json!({ "CreateGroup": { "name": "Gestão" } })).await?;
    assert!(matches!(tried, Err((404, _))), "{tried:?}");
    Ok(())
}

#[tokio::test]
async fn people_are_administered_with_an_audit_trail_on_both_engines() -> TestResult {
    for engine in ENGINES {
        people_are_administered_with_an_audit_trail(engine).await?;
    }
    Ok(())
}

#[tokio::test]
async fn people_forms_work_as_plain_posts() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    staff_in(&app, "chefe", Role::Admin, vec![]).await?;
    let admin = sign_in(&app, "chefe", "equipe1234").await?;
    let post = |body: &'static str| {
        admin
            .client
            .post(format!("{}/admin/usuarios", admin.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let made = post("_form=grupo-novo&q=&grupo-nome=3%C2%BA+N%C3%ADvel").await?;
    assert_eq!(made.status().as_u16(), 303);
    assert_eq!(
        made.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/admin/usuarios?feito=grupo-novo")
    );
    // Refused: the page again, with the problem beside the field and the value kept.
    let refused =
        post("_form=usuario-novo&q=&nome=Bia&login=b&email=bia%40x.gov.br&papel=agent").await?;
    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await?;
    assert!(
        page.contains("O login deve ter de 3 a 32 caracteres"),
        "{page}"
    );
    assert!(page.contains("value=\"bia@x.gov.br\""), "value not kept");
    let entries = audit(&app).await?;
    assert_eq!(
        entries
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        vec!["criar"]
    );
    // The page lists the group and the staff.
    let listed = admin.get("/admin/usuarios").await?.text().await?;
    assert!(listed.contains("3º Nível"), "group not listed");
    assert!(listed.contains("chefe da Equipe"), "staff not listed");
    Ok(())
}

#[tokio::test]
async fn admin_writes_from_another_site_are_refused() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    staff_in(&app, "chefe", Role::Admin, vec![]).await?;
    let admin = sign_in(&app, "chefe", "equipe1234").await?;
    let writes = [
        (
            "/api/admin-people-change",
            "application/json",
            json!({ "command": { "CreateGroup": { "name": "Grupo forjado" } } }).to_string(),
        ),
        (
            "/api/admin-catalog-change",
            "application/json",
            json!({ "command": { "Create": { "level": "Portfolio", "parent": 0, "name": "FORJADO", "description": "" } } })
                .to_string(),
        ),
        (
            "/admin/usuarios",
            "application/x-www-form-urlencoded",
            "_form=grupo-novo&grupo-nome=Forjado".to_owned(),
        ),
        (
            "/admin/catalogo",
            "application/x-www-form-urlencoded",
            "_form=portfolio-novo&nome=FORJADO".to_owned(),
        ),
    ];
    for (path, kind, body) in writes {
        let forged = admin
            .client
            .post(format!("{}{path}", admin.base))
            .header("origin", "https://evil.example")
            .header("content-type", kind)
            .body(body)
            .send()
            .await?;
        assert_eq!(forged.status().as_u16(), 403, "{path}");
    }
    assert!(audit(&app).await?.is_empty(), "a forged write went through");
    // The same writes from the site itself go through.
    assert_eq!(
        change(
            &admin,
            json!({ "CreateGroup": { "name": "Grupo legítimo" } })
        )
        .await?,
        Ok(())
    );
    assert_eq!(audit(&app).await?.len(), 1);
    Ok(())
}
