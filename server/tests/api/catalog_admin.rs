//! Administration of the catalog: an administrator builds a service with an activity and
//! its form (every field type, every validation), on both engines; customers then see
//! the form exactly as built, its rules are enforced, and tickets keep their values
//! when the form changes; a disabled activity leaves the portal at once while its
//! tickets keep it; two administrators editing one activity cannot overwrite each other.

use app::domain::account::Role;
use app::domain::catalog::{CatalogLevel, RequestFormData, SearchHit};
use app::domain::catalog_admin::{ActivityEditor, CatalogTree, FieldInput};
use app::domain::request::{CreatedTicket, FieldKind};
use app::domain::tickets::TicketDetail;
use app::domain::{Field, Problem};
use app::error::AppError;
use entity::audit_entry;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::accounts::staff_in;
use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, customer};
use crate::tickets::sign_in;

async fn change(browser: &Browser, command: Value) -> AnyResult<Result<(), (u16, AppError)>> {
    Ok(browser
        .call::<()>("admin-catalog-change", Some(json!({ "command": command })))
        .await?)
}

async fn ok(browser: &Browser, command: Value) -> AnyResult<()> {
    change(browser, command.clone())
        .await?
        .map_err(|e| format!("{command}: {e:?}"))?;
    Ok(())
}

async fn tree(browser: &Browser) -> AnyResult<CatalogTree> {
    Ok(browser
        .call::<CatalogTree>("admin-catalog", None)
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

async fn editor(browser: &Browser, id: i32) -> AnyResult<ActivityEditor> {
    Ok(browser
        .call::<ActivityEditor>("admin-activity", Some(json!({ "id": id })))
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

fn field(label: &str, kind: &str, required: bool) -> FieldInput {
    FieldInput {
        label: label.into(),
        kind: kind.into(),
        help: format!("Ajuda de {label}"),
        required,
        max_length: String::new(),
        options: String::new(),
    }
}

fn refused_on(result: &Result<(), (u16, AppError)>, field: Field) -> Option<Problem> {
    match result {
        Err((422, AppError::Validation(errors))) => errors.get(field),
        _ => None,
    }
}

/// Builds "REDES / Acesso à rede" with a form of every kind; answers (portfolio,
/// service, activity) ids.
async fn build(admin: &Browser) -> AnyResult<(i32, i32, i32, Vec<FieldInput>)> {
    ok(admin, json!({ "Create": { "level": "Portfolio", "parent": 0, "name": "TECNOLOGIA", "description": "Serviços de TI" } })).await?;
    let t = tree(admin).await?;
    let portfolio = t
        .portfolios
        .iter()
        .find(|p| p.name == "TECNOLOGIA")
        .ok_or("portfolio")?
        .id;
    ok(admin, json!({ "Create": { "level": "Service", "parent": portfolio, "name": "REDES", "description": "" } })).await?;
    let t = tree(admin).await?;
    let service = t
        .portfolios
        .iter()
        .flat_map(|p| &p.children)
        .find(|s| s.name == "REDES")
        .ok_or("service")?
        .id;
    ok(admin, json!({ "Create": { "level": "Activity", "parent": service, "name": "Acesso à rede", "description": "" } })).await?;
    let t = tree(admin).await?;
    let activity = t
        .portfolios
        .iter()
        .flat_map(|p| &p.children)
        .flat_map(|s| &s.children)
        .find(|a| a.name == "Acesso à rede")
        .ok_or("activity")?;
    assert!(!activity.active, "a new activity starts disabled");
    let activity = activity.id;
    let groups = editor(admin, activity).await?.groups;
    let nuate = groups
        .iter()
        .find(|(_, n)| n == "1º Nível - NUATE")
        .ok_or("group")?
        .0;
    let mut fields = vec![
        FieldInput {
            max_length: "10".into(),
            ..field("Matrícula", "text", true)
        },
        field("Justificativa", "long_text", false),
        field("Quantidade", "number", false),
        field("Data de início", "date", true),
        FieldInput {
            options: "Cabeada\nSem fio\nVPN".into(),
            ..field("Tipo de acesso", "select", true)
        },
        field("Li e aceito o termo de uso", "checkbox", true),
        field("CPF do responsável", "cpf", false),
        field("CNPJ da empresa", "cnpj", false),
        field("CEP do local", "cep", false),
    ];
    for f in &fields {
        let version = editor(admin, activity).await?.version;
        ok(
            admin,
            json!({ "AddField": { "activity": activity, "version": version, "field": f } }),
        )
        .await?;
    }
    let version = editor(admin, activity).await?.version;
    ok(
        admin,
        json!({ "Configure": { "activity": activity, "version": version, "settings": {
            "name": "Acesso à rede", "description": "Peça acesso à rede interna.",
            "ticket_type": "R", "impact": "2", "urgency": "1", "sla_hours": "16",
            "initial_task": "Análise", "initial_group": nuate,
            "workflow": "Análise\nConfiguração\nValidação" } } }),
    )
    .await?;
    ok(
        admin,
        json!({ "SetActive": { "level": "Activity", "id": activity, "active": true } }),
    )
    .await?;
    // As stored: the options trimmed to one per line.
    fields[4].options = "Cabeada\nSem fio\nVPN".into();
    Ok((portfolio, service, activity, fields))
}

fn request(activity: i32, values: &[(i32, &str)]) -> Value {
    json!({ "input": {
        "activity_id": activity,
        "profile": {
            "nature": "F", "document": "529.982.247-25", "cep": "70040-020", "street": "SBN Quadra 2",
            "number": "10", "complement": "", "district": "Asa Norte", "city": "Brasília", "uf": "DF",
        },
        "title": "",
        "fields": values.iter().map(|(id, v)| json!([id, v])).collect::<Vec<_>>(),
        "description": "Preciso de acesso à rede.",
    }})
}

async fn the_form_builder_round_trips(engine: Engine) -> TestResult {
    let app = TestApp::spawn(engine).await?;
    staff_in(&app, "chefe", Role::Admin, vec![]).await?;
    staff_in(&app, "chefe2", Role::Admin, vec![]).await?;
    let admin = sign_in(&app, "chefe", "equipe1234").await?;
    let (portfolio, service, activity, fields) = build(&admin).await?;

    // Every field as built, in order.
    let built = editor(&admin, activity).await?;
    let stored: Vec<FieldInput> = built.fields.iter().map(|f| f.input.clone()).collect();
    assert_eq!(stored, fields, "{engine:?}");
    assert_eq!(built.settings.workflow, "Análise\nConfiguração\nValidação");
    assert_eq!(built.settings.sla_hours, "16");

    // Invalid fields are refused beside the builder's inputs, and nothing is added.
    let version = built.version;
    for (input, field, problem) in [
        (
            FieldInput {
                options: String::new(),
                ..field("Lista", "select", true)
            },
            Field::Options,
            Problem::Required,
        ),
        (
            FieldInput {
                max_length: "5".into(),
                ..field("Quando", "date", false)
            },
            Field::MaxLength,
            Problem::NotAllowedNow,
        ),
        (
            FieldInput {
                max_length: "0".into(),
                ..field("Texto", "text", false)
            },
            Field::MaxLength,
            Problem::InvalidNumber,
        ),
        (
            field("", "text", false),
            Field::FieldLabel,
            Problem::Required,
        ),
        (
            field("Arquivo", "file", false),
            Field::FieldKind,
            Problem::InvalidChoice,
        ),
    ] {
        let refused = change(
            &admin,
            json!({ "AddField": { "activity": activity, "version": version, "field": input } }),
        )
        .await?;
        assert_eq!(
            refused_on(&refused, field),
            Some(problem),
            "{input:?}: {refused:?}"
        );
    }
    assert_eq!(editor(&admin, activity).await?.fields.len(), fields.len());

    // The customer finds it in the portal's search and gets the form as built.
    let maria = customer(&app, "maria").await?;
    let hits: Vec<SearchHit> = maria
        .call("portal-search", Some(json!({ "query": "acesso rede" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(hits.iter().any(|h| h.activity.id == activity), "{hits:?}");
    let form: RequestFormData = maria
        .call("request-form", Some(json!({ "portfolio_id": portfolio, "service_id": service, "activity_id": activity })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let kinds: Vec<FieldKind> = form.fields.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FieldKind::Text,
            FieldKind::LongText,
            FieldKind::Number,
            FieldKind::Date,
            FieldKind::Select,
            FieldKind::Checkbox,
            FieldKind::Cpf,
            FieldKind::Cnpj,
            FieldKind::Cep
        ]
    );
    assert_eq!(form.fields[0].max_length, Some(10));
    assert_eq!(form.fields[0].help, "Ajuda de Matrícula");
    assert_eq!(form.fields[4].options, ["Cabeada", "Sem fio", "VPN"]);
    assert_eq!(form.priority, app::domain::request::priority(2, 1));
    let id = |i: usize| form.fields[i].id;

    // Its rules hold on the server.
    let refused = maria
        .call::<CreatedTicket>(
            "request-create",
            Some(request(
                activity,
                &[
                    (id(0), "12345678901"),
                    (id(3), "31/02/2026"),
                    (id(4), "Satélite"),
                ],
            )),
        )
        .await?;
    let Err((422, AppError::Validation(errors))) = refused else {
        panic!("accepted: {refused:?}");
    };
    assert_eq!(errors.get(Field::Extra(id(0))), Some(Problem::TooLong));
    assert_eq!(errors.get(Field::Extra(id(3))), Some(Problem::InvalidDate));
    assert_eq!(
        errors.get(Field::Extra(id(4))),
        Some(Problem::InvalidChoice)
    );
    assert_eq!(errors.get(Field::Extra(id(5))), Some(Problem::Required));
    let created: CreatedTicket = maria
        .call(
            "request-create",
            Some(request(
                activity,
                &[
                    (id(0), "A-123"),
                    (id(3), "2026-12-10"),
                    (id(4), "VPN"),
                    (id(5), "Sim"),
                    (id(2), "3"),
                ],
            )),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;

    // The form changes: a label renamed, a field removed. The ticket keeps what it had.
    let version = editor(&admin, activity).await?.version;
    ok(
        &admin,
        json!({ "EditField": { "activity": activity, "version": version, "id": id(0),
        "field": FieldInput { label: "Número de matrícula".into(), ..fields[0].clone() } } }),
    )
    .await?;
    let version = editor(&admin, activity).await?.version;
    ok(
        &admin,
        json!({ "RemoveField": { "activity": activity, "version": version, "id": id(4) } }),
    )
    .await?;
    let version = editor(&admin, activity).await?.version;
    ok(&admin, json!({ "MoveField": { "activity": activity, "version": version, "id": id(3), "up": true } })).await?;
    let order: Vec<String> = editor(&admin, activity)
        .await?
        .fields
        .iter()
        .map(|f| f.input.label.clone())
        .collect();
    assert_eq!(
        &order[..4],
        [
            "Número de matrícula",
            "Justificativa",
            "Data de início",
            "Quantidade"
        ]
    );
    let detail: TicketDetail = maria
        .call("ticket", Some(json!({ "number": created.number })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let values: Vec<(String, String)> = detail
        .fields
        .iter()
        .map(|f| (f.label.clone(), f.value.clone()))
        .collect();
    assert!(
        values.contains(&("Matrícula".into(), "A-123".into())),
        "{values:?}"
    );
    assert!(
        values.contains(&("Tipo de acesso".into(), "VPN".into())),
        "{values:?}"
    );

    // Two administrators on one version: the second is refused and changes nothing.
    let other = sign_in(&app, "chefe2", "equipe1234").await?;
    let loaded = editor(&admin, activity).await?;
    let mut first = loaded.settings.clone();
    first.sla_hours = "24".into();
    let mut second = loaded.settings.clone();
    second.sla_hours = "8".into();
    ok(&admin, json!({ "Configure": { "activity": activity, "version": loaded.version, "settings": first } })).await?;
    let late = change(&other, json!({ "Configure": { "activity": activity, "version": loaded.version, "settings": second } })).await?;
    assert!(matches!(late, Err((409, AppError::Conflict))), "{late:?}");
    let late = change(&other, json!({ "AddField": { "activity": activity, "version": loaded.version, "field": field("Outro", "text", false) } })).await?;
    assert!(matches!(late, Err((409, AppError::Conflict))), "{late:?}");
    let now = editor(&admin, activity).await?;
    assert_eq!(now.settings.sla_hours, "24");
    assert!(!now.fields.iter().any(|f| f.input.label == "Outro"));

    // Disabled: out of the portal and its search at once; the ticket keeps its activity.
    ok(
        &admin,
        json!({ "SetActive": { "level": "Activity", "id": activity, "active": false } }),
    )
    .await?;
    let hits: Vec<SearchHit> = maria
        .call("portal-search", Some(json!({ "query": "acesso rede" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(!hits.iter().any(|h| h.activity.id == activity), "{hits:?}");
    let gone = maria
        .call::<RequestFormData>("request-form", Some(json!({ "portfolio_id": portfolio, "service_id": service, "activity_id": activity })))
        .await?;
    assert!(matches!(gone, Err((404, _))), "{gone:?}");
    let listed: CatalogLevel = maria
        .call(
            "portal-activities",
            Some(json!({ "portfolio_id": portfolio, "service_id": service })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(listed.items.is_empty(), "{listed:?}");
    let detail: TicketDetail = maria
        .call("ticket", Some(json!({ "number": created.number })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(detail.row.service, "REDES");
    assert_eq!(detail.title, "Acesso à rede");

    // Every change is in the audit trail.
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Kind.eq("catalogo"))
        .count(&app.db)
        .await?;
    assert!(entries >= 9 + 3 + 6, "{entries}");
    Ok(())
}

#[tokio::test]
async fn the_form_builder_round_trips_on_both_engines() -> TestResult {
    for engine in ENGINES {
        the_form_builder_round_trips(engine).await?;
    }
    Ok(())
}

async fn service_names(browser: &Browser, portfolio: i32) -> AnyResult<Vec<String>> {
    let level: CatalogLevel = browser
        .call(
            "portal-services",
            Some(json!({ "portfolio_id": portfolio })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    Ok(level.items.iter().map(|i| i.name.clone()).collect())
}

#[tokio::test]
async fn items_are_reordered_and_renamed_in_the_portal() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    staff_in(&app, "chefe", Role::Admin, vec![]).await?;
    let admin = sign_in(&app, "chefe", "equipe1234").await?;
    let maria = customer(&app, "maria").await?;
    let c = crate::requests::catalog(&maria).await?;
    let services = |browser| service_names(browser, c.portfolio);
    assert_eq!(
        services(&maria).await?,
        ["FATURAMENTO", "PUBLICAÇÃO", "ASSINATURAS"]
    );
    ok(
        &admin,
        json!({ "Move": { "level": "Service", "id": c.faturamento, "up": false } }),
    )
    .await?;
    assert_eq!(
        services(&maria).await?,
        ["PUBLICAÇÃO", "FATURAMENTO", "ASSINATURAS"]
    );
    // The first cannot go further up: nothing changes.
    let first = tree(&admin).await?.portfolios[0].children[0].id;
    ok(
        &admin,
        json!({ "Move": { "level": "Service", "id": first, "up": true } }),
    )
    .await?;
    assert_eq!(
        services(&maria).await?,
        ["PUBLICAÇÃO", "FATURAMENTO", "ASSINATURAS"]
    );
    // Renamed: the portal and its search follow.
    ok(&admin, json!({ "Edit": { "level": "Service", "id": c.faturamento, "name": "COBRANÇA", "description": "Faturas" } })).await?;
    let hits: Vec<SearchHit> = maria
        .call(
            "portal-search",
            Some(json!({ "query": "cobranca correcao" })),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(hits.iter().any(|h| h.activity.id == c.correcao), "{hits:?}");
    // A disabled service hides its activities from the search.
    ok(
        &admin,
        json!({ "SetActive": { "level": "Service", "id": c.faturamento, "active": false } }),
    )
    .await?;
    let hits: Vec<SearchHit> = maria
        .call("portal-search", Some(json!({ "query": "correcao" })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert!(
        !hits.is_empty(),
        "other services' activities are still found"
    );
    assert!(
        hits.iter().all(|h| h.service.id != c.faturamento),
        "{hits:?}"
    );
    // A duplicate portfolio name is refused beside the field.
    let dup = change(&admin, json!({ "Create": { "level": "Portfolio", "parent": 0, "name": "CENTRAL DE ATENDIMENTO AO CLIENTE", "description": "" } })).await?;
    assert_eq!(refused_on(&dup, Field::Name), Some(Problem::NameTaken));
    Ok(())
}
