//! A ticket on the staff's side: who may read it and who may act on it (one rule, used by
//! every staff server function, form post and the command line), its workspace, and the
//! actions staff take on it.
//!
//! Access, by role: an administrator reads and acts on every ticket; a manager reads every
//! ticket and acts on none; an agent acts on the tickets whose current group is one of
//! theirs and reads those they acted on before (a forwarded ticket stays readable to who
//! worked it); a customer gets "not found", as for a ticket that does not exist.
//!
//! Every action carries the ticket's version as the caller saw it. The change is one
//! `UPDATE … WHERE id = ? AND version = ?` that also bumps the version, with the history
//! entries in the same transaction: of two staff members acting at once, the second is
//! refused (`AppError::Conflict`) and nothing of theirs is written. Every other writer of
//! a ticket (the customer's actions) bumps the version too.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    activity, service, support_group, ticket, ticket_event, user_account, user_group, workflow_step,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::query::{self, Scope};
use super::view::{local, sla_status};
use super::{actions, schedule, situation};
use crate::domain::account::Role;
use crate::domain::desk::{
    ActionKind, Choice, DeskAction, QueueRow, Workspace, level, ticket_type,
};
use crate::domain::ids::{ActivityId, GroupId, ServiceId, TicketId, TicketNumber, UserId};
use crate::domain::request::priority;
use crate::domain::tickets::{self as rules, EventKind, HistoryRow, Situation};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::notify::Notifier;
use crate::server::session::SessionUser;
use crate::server::{sla, sla_watch};
use crate::state::AppState;

/// What a staff member may do with one ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Act,
}

/// The tickets a staff member's queue lists: an agent's groups; everything for managers
/// and administrators. (Customers never get here: `guard::as_desk` stops them.)
pub fn queue_scope(me: &SessionUser) -> Scope {
    match me.role {
        Role::Manager | Role::Admin => Scope::Everyone,
        Role::Agent | Role::Customer => {
            Scope::Groups(me.groups.iter().copied().map(GroupId).collect())
        }
    }
}

/// Whether `user` wrote anything in this ticket's history.
async fn acted_on(
    db: &impl ConnectionTrait,
    user: UserId,
    ticket: TicketId,
) -> Result<bool, AppError> {
    Ok(ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(ticket.get()))
        .filter(ticket_event::Column::ActorId.eq(user.get()))
        .count(db)
        .await?
        > 0)
}

/// `me`'s access to `t`; "not found" when they may not even read it.
pub async fn access(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    t: &ticket::Model,
) -> Result<Access, AppError> {
    match me.role {
        Role::Admin => Ok(Access::Act),
        Role::Manager => Ok(Access::Read),
        Role::Agent if me.groups.contains(&t.group_id) => Ok(Access::Act),
        Role::Agent if acted_on(db, me.user_id(), TicketId(t.id)).await? => Ok(Access::Read),
        Role::Agent | Role::Customer => Err(AppError::NotFound),
    }
}

/// The ticket with this number and `me`'s access to it.
async fn find(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
) -> Result<(ticket::Model, Access), AppError> {
    let t = query::one(&state.db, &Scope::Everyone, number).await?;
    let access = access(&state.db, me, &t).await?;
    Ok((t, access))
}

/// The tasks of an activity's workflow, in order: its own, or the default one.
pub async fn workflow(
    db: &impl ConnectionTrait,
    activity: ActivityId,
) -> Result<Vec<String>, AppError> {
    let steps = |condition| {
        workflow_step::Entity::find()
            .filter(condition)
            .order_by_asc(workflow_step::Column::Position)
            .order_by_asc(workflow_step::Column::Id)
            .all(db)
    };
    let own = steps(workflow_step::Column::ActivityId.eq(activity.get())).await?;
    let steps = if own.is_empty() {
        steps(workflow_step::Column::ActivityId.is_null()).await?
    } else {
        own
    };
    Ok(steps.into_iter().map(|s| s.name).collect())
}

/// The agents (any staff role) of a group, by name.
async fn members(
    db: &impl ConnectionTrait,
    group: GroupId,
) -> Result<Vec<Choice<UserId>>, AppError> {
    let ids: Vec<i32> = user_group::Entity::find()
        .select_only()
        .column(user_group::Column::UserId)
        .filter(user_group::Column::GroupId.eq(group.get()))
        .into_tuple()
        .all(db)
        .await?;
    let mut people: Vec<Choice<UserId>> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids))
        .filter(user_account::Column::Active.eq(true))
        .filter(user_account::Column::Role.ne(Role::Customer.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| Choice {
            id: UserId(u.id),
            name: u.name,
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(people)
}

/// Every support group, by name (a deactivated one still names its tickets).
pub async fn groups(db: &impl ConnectionTrait) -> Result<Vec<Choice<GroupId>>, AppError> {
    groups_where(db, false).await
}

/// The groups a ticket may be forwarded to: the active ones.
pub async fn forward_targets(db: &impl ConnectionTrait) -> Result<Vec<Choice<GroupId>>, AppError> {
    groups_where(db, true).await
}

async fn groups_where(
    db: &impl ConnectionTrait,
    only_active: bool,
) -> Result<Vec<Choice<GroupId>>, AppError> {
    let mut query = support_group::Entity::find();
    if only_active {
        query = query.filter(support_group::Column::Active.eq(true));
    }
    Ok(query
        .order_by_asc(support_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Choice {
            id: GroupId(g.id),
            name: g.name,
        })
        .collect())
}

/// Every active activity as "Serviço / Atividade".
async fn activities(db: &impl ConnectionTrait) -> Result<Vec<Choice<ActivityId>>, AppError> {
    let services: HashMap<i32, String> = service::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut list: Vec<Choice<ActivityId>> = activity::Entity::find()
        .filter(activity::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| Choice {
            id: ActivityId(a.id),
            name: format!(
                "{} / {}",
                services.get(&a.service_id).cloned().unwrap_or_default(),
                a.name
            ),
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// People's names by id.
async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(user_account::Entity::find()
        .select_only()
        .column(user_account::Column::Id)
        .column(user_account::Column::Name)
        .filter(user_account::Column::Id.is_in(ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Everything a queue page names besides its tickets' own columns, in two statements
/// (seven once): the services, groups and tasks its filters offer, which a page can read
/// while it reads its tickets (`choices`), and the names of its rows' activities,
/// customers and assignees once it has them (`with_names`); the rows' services and
/// groups are among the first. A statement costs a round trip whatever it reads, and
/// these tables are small.
pub struct QueueLabels {
    /// Every service, by name.
    pub services: Vec<Choice<ServiceId>>,
    /// Every group, by name.
    pub groups: Vec<Choice<GroupId>>,
    /// Every task of the workflows, once each, sorted.
    pub tasks: Vec<String>,
    activities: HashMap<i32, String>,
    people: HashMap<i32, String>,
}

/// Rows of `(kind, id, name, place)` from one of `QueueLabels`' statements.
async fn labelled(
    db: &impl ConnectionTrait,
    sql: String,
) -> Result<Vec<(i32, i32, String, i64)>, AppError> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                row.try_get_by_index(2)?,
                row.try_get_by_index(3)?,
            ))
        })
        .collect()
}

impl QueueLabels {
    /// The labels of `tickets`: both statements at once.
    pub async fn read(
        db: &impl ConnectionTrait,
        tickets: &[ticket::Model],
    ) -> Result<QueueLabels, AppError> {
        let (labels, (activities, people)) =
            futures_util::future::try_join(Self::choices(db), Self::names(db, tickets)).await?;
        Ok(QueueLabels {
            activities,
            people,
            ..labels
        })
    }

    /// The services, groups and tasks the filters offer, without any row's names.
    pub async fn choices(db: &impl ConnectionTrait) -> Result<QueueLabels, AppError> {
        // Each list's order is the database's (its collation), as `ORDER BY name` gave.
        let rows = labelled(
            db,
            "SELECT 0 AS kind, id, name, ROW_NUMBER() OVER (ORDER BY name) AS place FROM service \
             UNION ALL SELECT 1, id, name, ROW_NUMBER() OVER (ORDER BY name) FROM support_group \
             UNION ALL SELECT 2, 0, name, 0 FROM (SELECT DISTINCT name FROM workflow_step) steps"
                .to_owned(),
        )
        .await?;
        let mut services = Vec::new();
        let mut groups = Vec::new();
        let mut tasks = Vec::new();
        for (kind, id, name, place) in rows {
            match kind {
                0 => services.push((
                    place,
                    Choice {
                        id: ServiceId(id),
                        name,
                    },
                )),
                1 => groups.push((
                    place,
                    Choice {
                        id: GroupId(id),
                        name,
                    },
                )),
                _ => tasks.push(name),
            }
        }
        services.sort_by_key(|(place, _)| *place);
        groups.sort_by_key(|(place, _)| *place);
        tasks.sort();
        Ok(QueueLabels {
            services: services.into_iter().map(|(_, choice)| choice).collect(),
            groups: groups.into_iter().map(|(_, choice)| choice).collect(),
            tasks,
            activities: HashMap::new(),
            people: HashMap::new(),
        })
    }

    /// These labels with the names of `tickets`' activities and people.
    pub async fn with_names(
        self,
        db: &impl ConnectionTrait,
        tickets: &[ticket::Model],
    ) -> Result<QueueLabels, AppError> {
        let (activities, people) = Self::names(db, tickets).await?;
        Ok(QueueLabels {
            activities,
            people,
            ..self
        })
    }

    /// The names of `tickets`' activities, and of their customers and assignees.
    async fn names(
        db: &impl ConnectionTrait,
        tickets: &[ticket::Model],
    ) -> Result<(HashMap<i32, String>, HashMap<i32, String>), AppError> {
        if tickets.is_empty() {
            return Ok((HashMap::new(), HashMap::new()));
        }
        // The ids are the database's own integers, written as literals (no text of a
        // caller's reaches this statement).
        let list = |mut ids: Vec<i32>| {
            ids.sort_unstable();
            ids.dedup();
            ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
        };
        let activities = list(tickets.iter().map(|t| t.activity_id).collect());
        let people = list(
            tickets
                .iter()
                .flat_map(|t| std::iter::once(t.customer_id).chain(t.assignee_id))
                .collect(),
        );
        let rows = labelled(
            db,
            format!(
                "SELECT 0 AS kind, id, name, CAST(0 AS BIGINT) AS place FROM activity WHERE id IN ({activities}) \
                 UNION ALL SELECT 1, id, name, 0 FROM user_account WHERE id IN ({people})"
            ),
        )
        .await?;
        let mut names = (HashMap::new(), HashMap::new());
        for (kind, id, name, _) in rows {
            match kind {
                0 => names.0.insert(id, name),
                _ => names.1.insert(id, name),
            };
        }
        Ok(names)
    }

    /// The queue rows of `tickets`, the page these labels were read for.
    pub fn rows(
        &self,
        state: &AppState,
        tickets: Vec<ticket::Model>,
    ) -> Result<Vec<QueueRow>, AppError> {
        let services: HashMap<i32, String> = self
            .services
            .iter()
            .map(|c| (c.id.get(), c.name.clone()))
            .collect();
        let groups: HashMap<i32, String> = self
            .groups
            .iter()
            .map(|c| (c.id.get(), c.name.clone()))
            .collect();
        let name =
            |names: &HashMap<i32, String>, id: i32| names.get(&id).cloned().unwrap_or_default();
        let now = state.clock.now();
        tickets
            .into_iter()
            .map(|t| {
                Ok(QueueRow {
                    number: TicketNumber(t.number),
                    situation: situation(&t)?,
                    service: name(&services, t.service_id),
                    request: name(&self.activities, t.activity_id),
                    customer: name(&self.people, t.customer_id),
                    created_at: local(state, t.created_at),
                    group: name(&groups, t.group_id),
                    assignee: t.assignee_id.and_then(|id| self.people.get(&id).cloned()),
                    deadline: t.deadline.map(|d| local(state, d)),
                    sla_status: sla_status(
                        t.created_at,
                        t.deadline,
                        t.risk_at,
                        t.closed_at,
                        t.paused_at,
                        now,
                    ),
                    priority: t.priority,
                    task: t.task,
                    title: t.title,
                })
            })
            .collect()
    }
}

/// A ticket's whole history, internal entries included, oldest first.
async fn full_history(state: &AppState, ticket: TicketId) -> Result<Vec<HistoryRow>, AppError> {
    let events = ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(ticket.get()))
        .order_by_asc(ticket_event::Column::At)
        .order_by_asc(ticket_event::Column::Id)
        .all(&state.db)
        .await?;
    let people = names_of(&state.db, events.iter().filter_map(|e| e.actor_id)).await?;
    Ok(events
        .into_iter()
        .filter_map(|e| {
            Some(HistoryRow {
                at: local(state, e.at),
                who: e
                    .actor_id
                    .and_then(|id| people.get(&id).cloned())
                    .unwrap_or_default(),
                kind: EventKind::from_code(&e.kind)?,
                detail: e.detail,
            })
        })
        .collect())
}

/// The workspace of the ticket with this number, for `me`.
pub async fn workspace(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
) -> Result<Workspace, AppError> {
    let (t, access) = find(state, me, number).await?;
    let db = &state.db;
    let attachments = super::view::attachments(state, TicketId(t.id)).await?;
    let history = full_history(state, TicketId(t.id)).await?;
    let customer = user_account::Entity::find_by_id(t.customer_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let current = situation(&t)?;
    let can_act = access == Access::Act;
    let actions = if can_act {
        ActionKind::ALL
            .into_iter()
            .filter(|a| a.allowed_in(current))
            .filter(|a| *a != ActionKind::Capture || t.assignee_id != Some(me.id))
            // "Definir prazo" is for tickets whose SLA is "A combinar".
            .filter(|a| *a != ActionKind::Deadline || t.sla_hours.is_none())
            .collect()
    } else {
        Vec::new()
    };
    let group = GroupId(t.group_id);
    let (fields, profile) = super::view::as_sent(&t);
    let row = QueueLabels::read(db, std::slice::from_ref(&t))
        .await?
        .rows(state, vec![t.clone()])?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(Workspace {
        row,
        ticket_type: t.ticket_type.clone(),
        version: t.version,
        customer_login: customer.login,
        customer_email: customer.email,
        activity: ActivityId(t.activity_id),
        impact: t.impact,
        urgency: t.urgency,
        sla_hours: t.sla_hours,
        title: t.title.clone(),
        description: t.description.clone(),
        fields,
        profile,
        attachments,
        history,
        solution: t.solution.clone(),
        status_reason: t.status_reason.clone(),
        first_response_at: t.first_response_at.map(|at| local(state, at)),
        first_response_due: t.first_response_due.map(|at| local(state, at)),
        first_response_missed: t
            .first_response_due
            .is_some_and(|due| t.first_response_at.unwrap_or(state.clock.now()) > due),
        can_act,
        actions,
        members: members(db, group).await?,
        groups: forward_targets(db)
            .await?
            .into_iter()
            .filter(|g| g.id != group)
            .collect(),
        tasks: workflow(db, ActivityId(t.activity_id)).await?,
        activities: activities(db).await?,
        limits: state.attachments.limits(),
    })
}

/// Whether `me` may read the files of this ticket (downloads from the workspace).
pub async fn may_read(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    ticket: TicketId,
) -> Result<bool, AppError> {
    if !me.role.is_staff() {
        return Ok(false);
    }
    let Some(t) = ticket::Entity::find_by_id(ticket.get()).one(db).await? else {
        return Ok(false);
    };
    match access(db, me, &t).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(err) => Err(err),
    }
}

/// One staff action on the ticket with this number, as `me`, who saw `version`. Returns
/// the ticket's new version.
pub async fn act(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
    version: i32,
    action: DeskAction,
) -> Result<i32, AppError> {
    let (t, access) = find(state, me, number).await?;
    if access != Access::Act {
        return Err(AppError::Forbidden);
    }
    perform(
        &state.db,
        &Notifier::of(state),
        state.clock.now(),
        t,
        Some(me),
        action,
        Some(version),
    )
    .await
}

/// "Resolver" without the desk (the command line, `actor` None; the administrator's
/// `ticket-close`): the same code path as
/// the agent's, on the version just read. A concurrent change is read again and the
/// action retried, so the answer is about the ticket as it is now (already closed …).
pub async fn resolve_any(
    db: &DatabaseConnection,
    notifier: &Notifier,
    now: DateTime<Utc>,
    number: TicketNumber,
    solution: &str,
    actor: Option<&SessionUser>,
) -> Result<(), AppError> {
    let solution =
        rules::free_text(solution, false).map_err(|p| FieldErrors::single(Field::Solution, p))?;
    let mut tries = 0;
    loop {
        let t = query::one(db, &Scope::Everyone, number).await?;
        let action = DeskAction::Resolve {
            solution: solution.clone(),
        };
        match perform(db, notifier, now, t, actor, action, None).await {
            Err(AppError::Conflict) if tries < 5 => tries += 1,
            other => return other.map(|_| ()),
        }
    }
}

fn refuse(field: Field, problem: Problem) -> AppError {
    FieldErrors::single(field, problem).into()
}

fn text(field: Field, value: &str) -> Result<String, AppError> {
    rules::free_text(value, false).map_err(|p| refuse(field, p))
}

/// The action itself, on `t` as read: checks, then one conditional update and its
/// history in one transaction. `expected`: the version the caller saw (`None`: the one
/// just read).
async fn perform(
    db: &DatabaseConnection,
    notifier: &Notifier,
    now: DateTime<Utc>,
    t: ticket::Model,
    actor: Option<&SessionUser>,
    action: DeskAction,
    expected: Option<i32>,
) -> Result<i32, AppError> {
    if expected.is_some_and(|version| version != t.version) {
        return Err(AppError::Conflict);
    }
    let field = action.field();
    let current = situation(&t)?;
    if !current.is_open() {
        return Err(refuse(field, Problem::TicketClosed));
    }
    if !action.kind().allowed_in(current) {
        return Err(refuse(field, Problem::NotAllowedNow));
    }
    let actor_id = actor.map(SessionUser::user_id);
    let mut update = ticket::Entity::update_many()
        .col_expr(
            ticket::Column::Version,
            Expr::col(ticket::Column::Version).add(1),
        )
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .filter(ticket::Column::Id.eq(t.id))
        .filter(ticket::Column::Version.eq(t.version));
    let mut set = |column: ticket::Column, value: sea_orm::Value| {
        update = std::mem::replace(&mut update, ticket::Entity::update_many())
            .col_expr(column, Expr::value(value));
    };
    let mut events: Vec<(EventKind, String)> = Vec::new();
    let mut first_response = false;
    let mut pause = PauseChange::None;
    let situation_after = match &action {
        DeskAction::Resolve { .. } => Some(Situation::Closed),
        DeskAction::Cancel { .. } => Some(Situation::Cancelled),
        _ => None,
    };
    match action {
        DeskAction::Capture => {
            let me = actor.ok_or(AppError::Forbidden)?;
            if t.assignee_id == Some(me.id) {
                return Err(refuse(field, Problem::NothingChanges));
            }
            set(ticket::Column::AssigneeId, Some(me.id).into());
            events.push((EventKind::Captured, me.name.clone()));
        }
        DeskAction::Assign { agent } => {
            let group = GroupId(t.group_id);
            let Some(member) = members(db, group)
                .await?
                .into_iter()
                .find(|m| m.id == agent)
            else {
                return Err(refuse(field, Problem::NotAMember));
            };
            if t.assignee_id == Some(agent.get()) {
                return Err(refuse(field, Problem::NothingChanges));
            }
            set(ticket::Column::AssigneeId, Some(agent.get()).into());
            events.push((EventKind::Assigned, member.name));
        }
        DeskAction::Forward { group, note } => {
            let mut errors = FieldErrors::new();
            let note = errors.check(Field::Note, rules::free_text(&note, false));
            let all = groups(db).await?;
            let targets = forward_targets(db).await?;
            let old = all.iter().find(|g| g.id.get() == t.group_id);
            let new = targets.iter().find(|g| g.id == group);
            match new {
                None => errors.add(Field::Group, Problem::InvalidChoice),
                Some(_) if group.get() == t.group_id => {
                    errors.add(Field::Group, Problem::NothingChanges)
                }
                Some(_) => {}
            }
            let (Some(note), Some(new), true) = (note, new, errors.is_empty()) else {
                return Err(errors.into());
            };
            set(ticket::Column::GroupId, group.get().into());
            set(ticket::Column::AssigneeId, Option::<i32>::None.into());
            events.push((
                EventKind::Forwarded,
                format!(
                    "{} → {}: {note}",
                    old.map(|g| g.name.as_str()).unwrap_or_default(),
                    new.name
                ),
            ));
        }
        DeskAction::Task { task } => {
            let steps = workflow(db, ActivityId(t.activity_id)).await?;
            if !steps.contains(&task) {
                return Err(refuse(field, Problem::InvalidChoice));
            }
            if task == t.task {
                return Err(refuse(field, Problem::NothingChanges));
            }
            set(ticket::Column::Task, task.clone().into());
            events.push((EventKind::TaskChanged, format!("{} → {task}", t.task)));
            first_response = true;
        }
        DeskAction::Reclassify {
            activity: activity_id,
            ticket_type: kind,
            impact,
            urgency,
        } => {
            let mut errors = FieldErrors::new();
            let kind = errors.check(Field::TicketType, ticket_type(&kind));
            let impact = errors.check(Field::Impact, level(impact));
            let urgency = errors.check(Field::Urgency, level(urgency));
            let found = activity::Entity::find_by_id(activity_id.get())
                .filter(activity::Column::Active.eq(true))
                .one(db)
                .await?;
            let service_name = match &found {
                Some(a) => service::Entity::find_by_id(a.service_id)
                    .one(db)
                    .await?
                    .map(|s| s.name),
                None => None,
            };
            if service_name.is_none() {
                errors.add(Field::Activity, Problem::ActivityUnavailable);
            }
            let (Some(kind), Some(impact), Some(urgency), Some(new), Some(service_name)) =
                (kind, impact, urgency, found, service_name)
            else {
                return Err(errors.into());
            };
            if new.id == t.activity_id
                && kind == t.ticket_type
                && impact == t.impact
                && urgency == t.urgency
            {
                return Err(refuse(Field::Activity, Problem::NothingChanges));
            }
            let old_activity = activity::Entity::find_by_id(t.activity_id)
                .one(db)
                .await?
                .map(|a| a.name)
                .unwrap_or_default();
            let new_priority = priority(impact, urgency);
            // The same clock (opening, pauses) under the new target: the business time
            // already used is kept.
            let target = match new.sla_hours {
                Some(hours) => schedule::Target::Hours(Some(hours)),
                // "A combinar": what staff agreed for a ticket that was already so stays;
                // one that had a target has no deadline until staff set one.
                None if t.sla_hours.is_none() => schedule::Target::of(&t),
                None => schedule::Target::Hours(None),
            };
            let plan =
                schedule::of_ticket(db, Some(t.id), &new, target, t.created_at, None, now).await?;
            for (column, value) in plan.columns(t.sla_state, now) {
                set(column, value);
            }
            set(ticket::Column::ActivityId, new.id.into());
            set(ticket::Column::ServiceId, new.service_id.into());
            set(ticket::Column::TicketType, kind.to_owned().into());
            set(ticket::Column::Impact, impact.into());
            set(ticket::Column::Urgency, urgency.into());
            set(ticket::Column::Priority, new_priority.into());
            set(ticket::Column::SlaHours, new.sla_hours.into());
            set(
                ticket::Column::SearchKey,
                crate::domain::documents::search_key(&format!(
                    "{} {service_name} {} {} {}",
                    t.number, new.name, t.title, t.description
                ))
                .into(),
            );
            let hours = |h: Option<i32>| h.map_or("A combinar".to_owned(), |h| format!("{h} h"));
            events.push((
                EventKind::Reclassified,
                format!(
                    "{old_activity} ({}, impacto {}, urgência {}, prioridade {}, SLA {}) → {} ({kind}, impacto {impact}, urgência {urgency}, prioridade {new_priority}, SLA {})",
                    t.ticket_type,
                    t.impact,
                    t.urgency,
                    t.priority,
                    hours(t.sla_hours),
                    new.name,
                    hours(new.sla_hours),
                ),
            ));
        }
        DeskAction::Reply { text: reply } => {
            events.push((EventKind::Reply, text(field, &reply)?));
            first_response = true;
        }
        DeskAction::InternalNote { text: note } => {
            events.push((EventKind::InternalNote, text(field, &note)?));
        }
        DeskAction::Suspend { reason } => {
            let reason = text(field, &reason)?;
            set(
                ticket::Column::Situation,
                Situation::Suspended.code().into(),
            );
            set(ticket::Column::StatusReason, Some(reason.clone()).into());
            set(ticket::Column::PausedAt, Some(now).into());
            pause = PauseChange::Start;
            events.push((EventKind::Suspended, reason));
        }
        DeskAction::Resume => {
            set(ticket::Column::Situation, Situation::Open.code().into());
            set(ticket::Column::StatusReason, Option::<String>::None.into());
            let plan = resumed(db, &t, now).await?;
            set(
                ticket::Column::PausedAt,
                Option::<DateTime<Utc>>::None.into(),
            );
            for (column, value) in plan.columns(t.sla_state, now) {
                set(column, value);
            }
            pause = PauseChange::End;
            events.push((EventKind::Resumed, String::new()));
        }
        DeskAction::Resolve { solution } => {
            let solution = text(field, &solution)?;
            set(ticket::Column::Situation, Situation::Closed.code().into());
            set(ticket::Column::ClosedAt, Some(now).into());
            set(ticket::Column::Solution, Some(solution.clone()).into());
            set(ticket::Column::StatusReason, Option::<String>::None.into());
            events.push((EventKind::Closed, solution));
        }
        DeskAction::Deadline { at } => {
            if t.sla_hours.is_some() {
                return Err(refuse(field, Problem::NotAllowedNow));
            }
            let (y, m, d, h, min) = crate::domain::calendar::parse_date_time(&at)
                .ok_or_else(|| refuse(field, Problem::InvalidDateTime))?;
            let deadline = chrono::NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|date| date.and_hms_opt(h, min, 0))
                .and_then(|local| {
                    chrono::TimeZone::from_local_datetime(&notifier.time_zone, &local).earliest()
                })
                .map(|at| at.with_timezone(&Utc))
                .ok_or_else(|| refuse(field, Problem::InvalidDateTime))?;
            if deadline <= now {
                return Err(refuse(field, Problem::DeadlinePast));
            }
            // At risk once three quarters of the business time to it are used.
            let Some(activity) = activity::Entity::find_by_id(t.activity_id).one(db).await? else {
                return Err(AppError::Internal);
            };
            let calendar = schedule::calendar(db, activity.calendar_id, now).await?;
            let pauses = schedule::pauses(db, t.id).await?;
            let clock = sla::Clock {
                calendar: &calendar,
                opened: t.created_at,
                pauses: &pauses,
            };
            let risk = clock
                .reach(clock.used(deadline) * 3 / 4)
                .map(|risk| Ord::min(risk, deadline));
            set(ticket::Column::Deadline, Some(deadline).into());
            set(ticket::Column::RiskAt, risk.into());
            set(
                ticket::Column::SlaState,
                sla_watch::after_change(t.sla_state, risk, Some(deadline), now).into(),
            );
            events.push((
                EventKind::DeadlineSet,
                deadline
                    .with_timezone(&notifier.time_zone)
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
            ));
        }
        DeskAction::Cancel { reason } => {
            let reason = text(field, &reason)?;
            set(
                ticket::Column::Situation,
                Situation::Cancelled.code().into(),
            );
            set(ticket::Column::ClosedAt, Some(now).into());
            set(ticket::Column::StatusReason, Some(reason.clone()).into());
            events.push((EventKind::Cancelled, reason));
        }
    }
    // Closed while suspended: the pause ends with it.
    if t.paused_at.is_some()
        && matches!(current, Situation::Suspended)
        && pause == PauseChange::None
    {
        if !matches!(situation_after, Some(Situation::Suspended)) {
            set(
                ticket::Column::PausedAt,
                Option::<DateTime<Utc>>::None.into(),
            );
            pause = PauseChange::End;
        }
    }
    if first_response && t.first_response_at.is_none() {
        set(ticket::Column::FirstResponseAt, Some(now).into());
    }
    let txn = crate::server::begin_write(db).await?;
    if update.exec(&txn).await?.rows_affected != 1 {
        // Changed by somebody else since it was read: nothing is written.
        return Err(AppError::Conflict);
    }
    match pause {
        PauseChange::Start => schedule::start_pause(&txn, t.id, now).await?,
        PauseChange::End => schedule::end_pause(&txn, t.id, now).await?,
        PauseChange::None => {}
    }
    for (kind, detail) in events {
        actions::record(&txn, notifier, TicketId(t.id), now, actor_id, kind, detail).await?;
    }
    txn.commit().await?;
    Ok(t.version + 1)
}

/// What an action does to the ticket's SLA pauses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PauseChange {
    None,
    Start,
    End,
}

/// The SLA dates of a suspended ticket resumed at `now`: its pause ends, the deadline
/// moves by the business time the pause covered.
pub(crate) async fn resumed(
    db: &impl sea_orm::ConnectionTrait,
    t: &ticket::Model,
    now: DateTime<Utc>,
) -> Result<schedule::Schedule, AppError> {
    let Some(activity) = activity::Entity::find_by_id(t.activity_id).one(db).await? else {
        return Err(AppError::Internal);
    };
    let started = t.paused_at.unwrap_or(now);
    schedule::of_ticket(
        db,
        Some(t.id),
        &activity,
        schedule::Target::of(t),
        t.created_at,
        Some((started, Some(now))),
        now,
    )
    .await
}
