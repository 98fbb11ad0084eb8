//! The catalog, for administrators: the whole tree (enabled or not), an activity's
//! editor, and every change (`CatalogCommand`), each written with its audit entry in one
//! transaction. A disabled item leaves the portal and its search at once (they only
//! show active items under active parents); tickets keep their activity and its name.
//! An activity's settings and form carry a version: a change made on an older one is
//! refused (`Conflict`), as the desk refuses an agent's stale action.

use std::collections::HashMap;

use entity::{activity, activity_field, portfolio, service, support_group, workflow_step};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::domain::catalog_admin::{
    ActivityEditor, ActivitySettings, CatalogCommand, CatalogItem, CatalogTree, FieldInput,
    FieldRow, Level, ValidField,
};
use crate::domain::documents::search_key;
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::audit::{self, Actor, Change};
use crate::server::tickets::staff::workflow;
use crate::state::AppState;

fn item(id: i32, name: String, description: String, active: bool) -> CatalogItem {
    CatalogItem {
        id,
        name,
        description,
        active,
        children: Vec::new(),
    }
}

/// Every portfolio, service and activity, in their order.
pub async fn tree(db: &impl ConnectionTrait) -> Result<CatalogTree, AppError> {
    let portfolios = portfolio::Entity::find()
        .order_by_asc(portfolio::Column::Position)
        .order_by_asc(portfolio::Column::Id)
        .all(db)
        .await?;
    let services = service::Entity::find()
        .order_by_asc(service::Column::Position)
        .order_by_asc(service::Column::Id)
        .all(db)
        .await?;
    let activities = activity::Entity::find()
        .order_by_asc(activity::Column::Position)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    Ok(CatalogTree {
        portfolios: portfolios
            .into_iter()
            .map(|p| CatalogItem {
                children: services
                    .iter()
                    .filter(|s| s.portfolio_id == p.id)
                    .map(|s| CatalogItem {
                        children: activities
                            .iter()
                            .filter(|a| a.service_id == s.id)
                            .map(|a| item(a.id, a.name.clone(), a.description.clone(), a.active))
                            .collect(),
                        ..item(s.id, s.name.clone(), s.description.clone(), s.active)
                    })
                    .collect(),
                ..item(p.id, p.name, p.description, p.active)
            })
            .collect(),
    })
}

fn field_input(f: &activity_field::Model) -> FieldInput {
    FieldInput {
        label: f.label.clone(),
        kind: f.kind.clone(),
        help: f.help.clone(),
        required: f.required,
        max_length: f.max_length.map(|m| m.to_string()).unwrap_or_default(),
        options: f.options.clone(),
    }
}

async fn fields_of(
    db: &impl ConnectionTrait,
    activity: i32,
) -> Result<Vec<activity_field::Model>, AppError> {
    Ok(activity_field::Entity::find()
        .filter(activity_field::Column::ActivityId.eq(activity))
        .order_by_asc(activity_field::Column::Position)
        .order_by_asc(activity_field::Column::Id)
        .all(db)
        .await?)
}

fn settings_of(a: &activity::Model, workflow: Vec<String>) -> ActivitySettings {
    ActivitySettings {
        name: a.name.clone(),
        description: a.description.clone(),
        ticket_type: a.ticket_type.clone(),
        impact: a.impact.to_string(),
        urgency: a.urgency.to_string(),
        sla_hours: a.sla_hours.map(|h| h.to_string()).unwrap_or_default(),
        initial_task: a.initial_task.clone(),
        initial_group: a.initial_group_id,
        workflow: workflow.join("\n"),
    }
}

/// An activity's editor.
pub async fn editor(db: &impl ConnectionTrait, id: i32) -> Result<ActivityEditor, AppError> {
    let (a, s) = activity::Entity::find_by_id(id)
        .find_also_related(service::Entity)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = s.ok_or(AppError::NotFound)?;
    let p = portfolio::Entity::find_by_id(s.portfolio_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = workflow(db, crate::domain::ids::ActivityId(a.id)).await?;
    let groups = support_group::Entity::find()
        .filter(support_group::Column::Active.eq(true))
        .order_by_asc(support_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok(ActivityEditor {
        id: a.id,
        version: a.version,
        path: format!("{} / {}", p.name, s.name),
        active: a.active,
        settings: settings_of(&a, steps),
        fields: fields_of(db, a.id)
            .await?
            .iter()
            .map(|f| FieldRow {
                id: f.id,
                input: field_input(f),
            })
            .collect(),
        groups,
    })
}

fn refuse(field: Field, problem: Problem) -> AppError {
    FieldErrors::single(field, problem).into()
}

/// What one change needs.
struct Ctx<'a> {
    state: &'a AppState,
    actor: &'a Actor,
}

impl Ctx<'_> {
    async fn record(
        &self,
        txn: &DatabaseTransaction,
        action: &'static str,
        target: String,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), AppError> {
        audit::record(
            txn,
            self.state.clock.now(),
            Change {
                kind: "catalogo",
                action,
                target,
                before,
                after,
                actor: self.actor,
            },
        )
        .await?;
        Ok(())
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Portfolio => "portfólio",
        Level::Service => "serviço",
        Level::Activity => "atividade",
    }
}

/// Recomputes the portal search's key of these activities (after a name changed): their
/// services and portfolios read once, not once an activity.
async fn reindex(
    txn: &DatabaseTransaction,
    activities: Vec<activity::Model>,
) -> Result<(), AppError> {
    let services: HashMap<i32, service::Model> = service::Entity::find()
        .filter(service::Column::Id.is_in(activities.iter().map(|a| a.service_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let portfolios: HashMap<i32, portfolio::Model> = portfolio::Entity::find()
        .filter(portfolio::Column::Id.is_in(services.values().map(|s| s.portfolio_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    for a in activities {
        let Some(s) = services.get(&a.service_id) else {
            continue;
        };
        let Some(p) = portfolios.get(&s.portfolio_id) else {
            continue;
        };
        let key = search_key(&format!(
            "{} {} {} {}",
            p.name, s.name, a.name, a.description
        ));
        activity::Entity::update_many()
            .col_expr(activity::Column::SearchKey, Expr::value(key))
            .filter(activity::Column::Id.eq(a.id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// (id, position, name, active, description) of an item, whatever its level.
type Row = (i32, i32, String, bool, String);

async fn siblings(txn: &DatabaseTransaction, level: Level, id: i32) -> Result<Vec<Row>, AppError> {
    Ok(match level {
        Level::Portfolio => {
            portfolio::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(AppError::NotFound)?;
            portfolio::Entity::find()
                .order_by_asc(portfolio::Column::Position)
                .order_by_asc(portfolio::Column::Id)
                .all(txn)
                .await?
                .into_iter()
                .map(|p| (p.id, p.position, p.name, p.active, p.description))
                .collect()
        }
        Level::Service => {
            let s = service::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(AppError::NotFound)?;
            service::Entity::find()
                .filter(service::Column::PortfolioId.eq(s.portfolio_id))
                .order_by_asc(service::Column::Position)
                .order_by_asc(service::Column::Id)
                .all(txn)
                .await?
                .into_iter()
                .map(|s| (s.id, s.position, s.name, s.active, s.description))
                .collect()
        }
        Level::Activity => {
            let a = activity::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(AppError::NotFound)?;
            activity::Entity::find()
                .filter(activity::Column::ServiceId.eq(a.service_id))
                .order_by_asc(activity::Column::Position)
                .order_by_asc(activity::Column::Id)
                .all(txn)
                .await?
                .into_iter()
                .map(|a| (a.id, a.position, a.name, a.active, a.description))
                .collect()
        }
    })
}

/// Sets one column of the item `id` at `level`.
async fn set_column(
    txn: &DatabaseTransaction,
    level: Level,
    id: i32,
    column: ItemColumn,
    value: sea_orm::Value,
) -> Result<(), AppError> {
    async fn update<E: EntityTrait>(
        txn: &DatabaseTransaction,
        id_column: E::Column,
        id: i32,
        column: E::Column,
        value: sea_orm::Value,
    ) -> Result<(), AppError> {
        E::update_many()
            .col_expr(column, Expr::value(value))
            .filter(id_column.eq(id))
            .exec(txn)
            .await?;
        Ok(())
    }
    match (level, column) {
        (Level::Portfolio, ItemColumn::Position) => {
            update::<portfolio::Entity>(
                txn,
                portfolio::Column::Id,
                id,
                portfolio::Column::Position,
                value,
            )
            .await
        }
        (Level::Portfolio, ItemColumn::Active) => {
            update::<portfolio::Entity>(
                txn,
                portfolio::Column::Id,
                id,
                portfolio::Column::Active,
                value,
            )
            .await
        }
        (Level::Service, ItemColumn::Position) => {
            update::<service::Entity>(
                txn,
                service::Column::Id,
                id,
                service::Column::Position,
                value,
            )
            .await
        }
        (Level::Service, ItemColumn::Active) => {
            update::<service::Entity>(txn, service::Column::Id, id, service::Column::Active, value)
                .await
        }
        (Level::Activity, ItemColumn::Position) => {
            update::<activity::Entity>(
                txn,
                activity::Column::Id,
                id,
                activity::Column::Position,
                value,
            )
            .await
        }
        (Level::Activity, ItemColumn::Active) => {
            update::<activity::Entity>(
                txn,
                activity::Column::Id,
                id,
                activity::Column::Active,
                value,
            )
            .await
        }
    }
}

/// The columns every level has that [`set_column`] sets.
#[derive(Clone, Copy)]
enum ItemColumn {
    Position,
    Active,
}

/// Raises the activity's version, if it still is `version`: `Conflict` if somebody
/// changed it since, `NotFound` if there is no such activity.
async fn bump(
    txn: &DatabaseTransaction,
    activity: i32,
    version: i32,
) -> Result<activity::Model, AppError> {
    let found = activity::Entity::find_by_id(activity)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let updated = activity::Entity::update_many()
        .col_expr(activity::Column::Version, Expr::value(version + 1))
        .filter(activity::Column::Id.eq(activity))
        .filter(activity::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    Ok(found)
}

fn field_json(f: &FieldInput) -> Value {
    json!({ "rotulo": f.label, "tipo": f.kind, "ajuda": f.help, "obrigatorio": f.required,
            "tamanho_maximo": f.max_length, "opcoes": f.options })
}

fn settings_json(s: &ActivitySettings) -> Value {
    json!({ "nome": s.name, "descricao": s.description, "tipo": s.ticket_type,
            "impacto": s.impact, "urgencia": s.urgency, "prazo_horas": s.sla_hours,
            "tarefa_inicial": s.initial_task, "grupo_inicial": s.initial_group,
            "fluxo": s.workflow })
}

fn store_field(model: &mut activity_field::ActiveModel, field: &ValidField) {
    model.label = Set(field.label.clone());
    model.kind = Set(field.kind.code().to_owned());
    model.help = Set(field.help.clone());
    model.required = Set(field.required);
    model.max_length = Set(field.max_length);
    model.options = Set(field.options.join("\n"));
}

/// Carries out one change to the catalog.
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    command: CatalogCommand,
) -> Result<(), AppError> {
    let ctx = Ctx { state, actor };
    let command = command.validated()?;
    let txn = crate::server::begin_write(&state.db).await?;
    match command {
        CatalogCommand::Create {
            level,
            parent,
            name,
            description,
        } => {
            let name = name.trim().to_owned();
            let after = json!({ "nome": name, "descricao": description });
            match level {
                Level::Portfolio => {
                    let taken = portfolio::Entity::find()
                        .filter(portfolio::Column::Name.eq(name.clone()))
                        .one(&txn)
                        .await?
                        .is_some();
                    if taken {
                        return Err(refuse(Field::Name, Problem::NameTaken));
                    }
                    let position = portfolio::Entity::find().count(&txn).await? as i32;
                    portfolio::ActiveModel {
                        name: Set(name.clone()),
                        description: Set(description),
                        position: Set(position),
                        active: Set(true),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    ctx.record(&txn, "criar-portfolio", name, None, Some(after))
                        .await?;
                }
                Level::Service => {
                    let p = portfolio::Entity::find_by_id(parent)
                        .one(&txn)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let position = service::Entity::find()
                        .filter(service::Column::PortfolioId.eq(p.id))
                        .count(&txn)
                        .await? as i32;
                    service::ActiveModel {
                        portfolio_id: Set(p.id),
                        name: Set(name.clone()),
                        description: Set(description),
                        position: Set(position),
                        active: Set(true),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    ctx.record(
                        &txn,
                        "criar-servico",
                        format!("{} / {name}", p.name),
                        None,
                        Some(after),
                    )
                    .await?;
                }
                Level::Activity => {
                    let s = service::Entity::find_by_id(parent)
                        .one(&txn)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let p = portfolio::Entity::find_by_id(s.portfolio_id)
                        .one(&txn)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let group = support_group::Entity::find()
                        .filter(support_group::Column::Active.eq(true))
                        .order_by_asc(support_group::Column::Id)
                        .one(&txn)
                        .await?
                        .ok_or_else(|| refuse(Field::Group, Problem::Required))?;
                    let steps = workflow_step::Entity::find()
                        .filter(workflow_step::Column::ActivityId.is_null())
                        .order_by_asc(workflow_step::Column::Position)
                        .one(&txn)
                        .await?
                        .map_or_else(|| "Triagem".to_owned(), |s| s.name);
                    let position = activity::Entity::find()
                        .filter(activity::Column::ServiceId.eq(s.id))
                        .count(&txn)
                        .await? as i32;
                    // A new activity starts disabled: it is configured, then enabled.
                    activity::ActiveModel {
                        service_id: Set(s.id),
                        name: Set(name.clone()),
                        description: Set(description.clone()),
                        position: Set(position),
                        initial_task: Set(steps),
                        initial_group_id: Set(group.id),
                        active: Set(false),
                        ticket_type: Set("R".to_owned()),
                        impact: Set(3),
                        urgency: Set(3),
                        sla_hours: Set(None),
                        search_key: Set(search_key(&format!(
                            "{} {} {name} {description}",
                            p.name, s.name
                        ))),
                        calendar_id: Set(None),
                        first_response_hours: Set(None),
                        version: Set(0),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    ctx.record(
                        &txn,
                        "criar-atividade",
                        format!("{} / {} / {name}", p.name, s.name),
                        None,
                        Some(after),
                    )
                    .await?;
                }
            }
        }
        CatalogCommand::Edit {
            level,
            id,
            name,
            description,
        } => {
            let name = name.trim().to_owned();
            let after = json!({ "nome": name, "descricao": description });
            let (before, activities) = match level {
                Level::Portfolio => {
                    let found = portfolio::Entity::find_by_id(id)
                        .one(&txn)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let taken = portfolio::Entity::find()
                        .filter(portfolio::Column::Name.eq(name.clone()))
                        .filter(portfolio::Column::Id.ne(id))
                        .one(&txn)
                        .await?
                        .is_some();
                    if taken {
                        return Err(refuse(Field::Name, Problem::NameTaken));
                    }
                    let before = json!({ "nome": found.name, "descricao": found.description });
                    let mut model = found.into_active_model();
                    model.name = Set(name.clone());
                    model.description = Set(description);
                    model.update(&txn).await?;
                    let services: Vec<i32> = service::Entity::find()
                        .filter(service::Column::PortfolioId.eq(id))
                        .all(&txn)
                        .await?
                        .into_iter()
                        .map(|s| s.id)
                        .collect();
                    let activities = activity::Entity::find()
                        .filter(activity::Column::ServiceId.is_in(services))
                        .all(&txn)
                        .await?;
                    (before, activities)
                }
                Level::Service => {
                    let found = service::Entity::find_by_id(id)
                        .one(&txn)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let before = json!({ "nome": found.name, "descricao": found.description });
                    let mut model = found.into_active_model();
                    model.name = Set(name.clone());
                    model.description = Set(description);
                    model.update(&txn).await?;
                    let activities = activity::Entity::find()
                        .filter(activity::Column::ServiceId.eq(id))
                        .all(&txn)
                        .await?;
                    (before, activities)
                }
                Level::Activity => {
                    let found = activity::Entity::find_by_id(id)
                        .one(&txn)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let before = json!({ "nome": found.name, "descricao": found.description });
                    activity::Entity::update_many()
                        .col_expr(activity::Column::Name, Expr::value(name.clone()))
                        .col_expr(activity::Column::Description, Expr::value(description))
                        .col_expr(activity::Column::Version, Expr::value(found.version + 1))
                        .filter(activity::Column::Id.eq(id))
                        .exec(&txn)
                        .await?;
                    let activities = activity::Entity::find_by_id(id).all(&txn).await?;
                    (before, activities)
                }
            };
            reindex(&txn, activities).await?;
            let action = match level {
                Level::Portfolio => "alterar-portfolio",
                Level::Service => "alterar-servico",
                Level::Activity => "alterar-atividade",
            };
            ctx.record(&txn, action, name, Some(before), Some(after))
                .await?;
        }
        CatalogCommand::Move { level, id, up } => {
            let rows = siblings(&txn, level, id).await?;
            let Some(at) = rows.iter().position(|r| r.0 == id) else {
                return Err(AppError::NotFound);
            };
            let other = if up { at.checked_sub(1) } else { Some(at + 1) };
            if let Some(other) = other.filter(|o| *o < rows.len()) {
                let mut order: Vec<i32> = rows.iter().map(|r| r.0).collect();
                order.swap(at, other);
                for (position, item) in (0..).zip(&order) {
                    set_column(&txn, level, *item, ItemColumn::Position, position.into()).await?;
                }
                ctx.record(
                    &txn,
                    if up { "mover-acima" } else { "mover-abaixo" },
                    format!("{} {}", level_name(level), rows[at].2),
                    Some(json!({ "posicao": at })),
                    Some(json!({ "posicao": other })),
                )
                .await?;
            }
        }
        CatalogCommand::SetActive { level, id, active } => {
            let rows = siblings(&txn, level, id).await?;
            let row = rows.iter().find(|r| r.0 == id).ok_or(AppError::NotFound)?;
            if row.3 != active {
                set_column(&txn, level, id, ItemColumn::Active, active.into()).await?;
                ctx.record(
                    &txn,
                    if active { "ativar" } else { "desativar" },
                    format!("{} {}", level_name(level), row.2),
                    Some(json!({ "ativo": row.3 })),
                    Some(json!({ "ativo": active })),
                )
                .await?;
            }
        }
        CatalogCommand::Configure {
            activity: id,
            version,
            settings,
        } => {
            let valid = settings.validate()?;
            let group = support_group::Entity::find_by_id(valid.initial_group)
                .one(&txn)
                .await?
                .filter(|g| g.active);
            if group.is_none() {
                return Err(refuse(Field::Group, Problem::InvalidChoice));
            }
            let found = bump(&txn, id, version).await?;
            let before = settings_of(
                &found,
                workflow(&txn, crate::domain::ids::ActivityId(id)).await?,
            );
            activity::Entity::update_many()
                .col_expr(activity::Column::Name, Expr::value(valid.name.clone()))
                .col_expr(
                    activity::Column::Description,
                    Expr::value(valid.description.clone()),
                )
                .col_expr(
                    activity::Column::TicketType,
                    Expr::value(valid.ticket_type.clone()),
                )
                .col_expr(activity::Column::Impact, Expr::value(valid.impact))
                .col_expr(activity::Column::Urgency, Expr::value(valid.urgency))
                .col_expr(activity::Column::SlaHours, Expr::value(valid.sla_hours))
                .col_expr(
                    activity::Column::InitialTask,
                    Expr::value(valid.initial_task.clone()),
                )
                .col_expr(
                    activity::Column::InitialGroupId,
                    Expr::value(valid.initial_group),
                )
                .filter(activity::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            workflow_step::Entity::delete_many()
                .filter(workflow_step::Column::ActivityId.eq(id))
                .exec(&txn)
                .await?;
            for (position, name) in (0..).zip(&valid.workflow) {
                workflow_step::ActiveModel {
                    activity_id: Set(Some(id)),
                    position: Set(position),
                    name: Set(name.clone()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            reindex(&txn, activity::Entity::find_by_id(id).all(&txn).await?).await?;
            let after = ActivitySettings {
                workflow: valid.workflow.join("\n"),
                ..settings
            };
            ctx.record(
                &txn,
                "configurar-atividade",
                found.name,
                Some(settings_json(&before)),
                Some(settings_json(&after)),
            )
            .await?;
        }
        CatalogCommand::AddField {
            activity: id,
            version,
            field,
        } => {
            let valid = field.validate()?;
            let found = bump(&txn, id, version).await?;
            let position = activity_field::Entity::find()
                .filter(activity_field::Column::ActivityId.eq(id))
                .count(&txn)
                .await? as i32;
            let mut model = activity_field::ActiveModel {
                activity_id: Set(id),
                position: Set(position),
                ..Default::default()
            };
            store_field(&mut model, &valid);
            model.insert(&txn).await?;
            ctx.record(
                &txn,
                "adicionar-campo",
                format!("{} — {}", found.name, valid.label),
                None,
                Some(field_json(&field)),
            )
            .await?;
        }
        CatalogCommand::EditField {
            activity: id,
            version,
            id: field_id,
            field,
        } => {
            let valid = field.validate()?;
            let found = bump(&txn, id, version).await?;
            let current = activity_field::Entity::find_by_id(field_id)
                .filter(activity_field::Column::ActivityId.eq(id))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let before = field_json(&field_input(&current));
            let mut model = current.into_active_model();
            store_field(&mut model, &valid);
            model.update(&txn).await?;
            ctx.record(
                &txn,
                "alterar-campo",
                format!("{} — {}", found.name, valid.label),
                Some(before),
                Some(field_json(&field)),
            )
            .await?;
        }
        CatalogCommand::MoveField {
            activity: id,
            version,
            id: field_id,
            up,
        } => {
            let found = bump(&txn, id, version).await?;
            let fields = fields_of(&txn, id).await?;
            let at = fields
                .iter()
                .position(|f| f.id == field_id)
                .ok_or(AppError::NotFound)?;
            let other = if up { at.checked_sub(1) } else { Some(at + 1) };
            if let Some(other) = other.filter(|o| *o < fields.len()) {
                let mut order: Vec<i32> = fields.iter().map(|f| f.id).collect();
                order.swap(at, other);
                for (position, field) in (0..).zip(&order) {
                    activity_field::Entity::update_many()
                        .col_expr(activity_field::Column::Position, Expr::value(position))
                        .filter(activity_field::Column::Id.eq(*field))
                        .exec(&txn)
                        .await?;
                }
                ctx.record(
                    &txn,
                    if up {
                        "mover-campo-acima"
                    } else {
                        "mover-campo-abaixo"
                    },
                    format!("{} — {}", found.name, fields[at].label),
                    Some(json!({ "posicao": at })),
                    Some(json!({ "posicao": other })),
                )
                .await?;
            }
        }
        CatalogCommand::RemoveField {
            activity: id,
            version,
            id: field_id,
        } => {
            let found = bump(&txn, id, version).await?;
            let current = activity_field::Entity::find_by_id(field_id)
                .filter(activity_field::Column::ActivityId.eq(id))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            // Tickets keep their values with their labels: they hold a copy.
            activity_field::Entity::delete_by_id(field_id)
                .exec(&txn)
                .await?;
            ctx.record(
                &txn,
                "remover-campo",
                format!("{} — {}", found.name, current.label),
                Some(field_json(&field_input(&current))),
                None,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
