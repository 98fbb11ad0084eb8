//! "Concluir": turns a request form into a ticket, in one transaction: the next ticket
//! number, the ticket with its priority, deadline, task, group and situation, the
//! customer's profile, and the first history entry. Nothing is left half-made.
//!
//! On SQLite the writes queue in `AppState::ticket_writes` and are committed in
//! batches (see `crate::server::group_commit`); on PostgreSQL each request writes alone,
//! ordered by the counter row's lock.

use chrono::{DateTime, Utc};
use entity::{attachment, customer_profile, ticket, ticket_event};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement,
};

use crate::domain::ids::{ActivityId, AttachmentId, TicketId, UserId};
use crate::domain::request::{CreatedTicket, RequestInput, RequestProfile, priority};
use crate::domain::tickets::{EventKind, Situation};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::catalog::{field_specs, open_activity, profile_of};
use crate::server::session::SessionUser;
use crate::state::AppState;

/// A validated request, ready to be written as a ticket: everything but its number.
pub struct Draft {
    customer: UserId,
    ticket: ticket::ActiveModel,
    opened: String,
    /// The ticket's search key without its number.
    search_key: String,
    attachments: Vec<AttachmentId>,
    /// The profile to save, when it differs from the saved one.
    profile: Option<RequestProfile>,
    priority: i16,
    now: DateTime<Utc>,
    /// The mail the new ticket causes, its number still `notify::NUMBER`.
    letters: Vec<crate::server::outbox::Letter>,
}

/// What a queued draft gets back: its ticket, or why not.
pub type Written = Result<CreatedTicket, AppError>;

/// Opens a ticket for `me` from a request form. A form sent twice (same request key)
/// gets the ticket the first send created.
pub async fn create(
    state: &AppState,
    me: &SessionUser,
    input: RequestInput,
) -> Result<CreatedTicket, AppError> {
    let customer = me.user_id();
    let request_key = crate::domain::request::request_key(&input.request_key)
        .map_err(|_| AppError::Request("invalid request key".into()))?;
    if let Some(existing) = already_created(state, customer, request_key.as_deref()).await? {
        return Ok(existing);
    }
    let created = create_new(state, me, input, request_key.clone()).await;
    match created {
        // Two sends of one form at once: the second hit the unique key. Its answer
        // is the ticket the first one created.
        Err(err) if request_key.is_some() => {
            match already_created(state, customer, request_key.as_deref()).await? {
                Some(existing) => Ok(existing),
                None => Err(err),
            }
        }
        other => other,
    }
}

/// The ticket a form with this key already created, if any.
async fn already_created(
    state: &AppState,
    customer: UserId,
    key: Option<&str>,
) -> Result<Option<CreatedTicket>, AppError> {
    let Some(key) = key else {
        return Ok(None);
    };
    Ok(ticket::Entity::find()
        .filter(ticket::Column::CustomerId.eq(customer.get()))
        .filter(ticket::Column::RequestKey.eq(key))
        .one(&state.db)
        .await?
        .map(|t| CreatedTicket {
            number: t.number,
            priority: t.priority,
        }))
}

async fn create_new(
    state: &AppState,
    me: &SessionUser,
    input: RequestInput,
    request_key: Option<String>,
) -> Result<CreatedTicket, AppError> {
    let customer = me.user_id();
    let Ok((service, activity)) = open_activity(state, ActivityId(input.activity_id)).await else {
        return Err(FieldErrors::single(Field::Activity, Problem::ActivityUnavailable).into());
    };
    let specs = field_specs(&state.db, ActivityId(activity.id)).await?;
    let valid = input.validate(&specs, &activity.name)?;
    let mut attachments: Vec<AttachmentId> = input
        .attachments
        .iter()
        .copied()
        .map(AttachmentId)
        .collect();
    attachments.sort_unstable();
    attachments.dedup();
    if attachments.len() > state.attachments.limits().max_files as usize {
        return Err(FieldErrors::single(Field::Attachments, Problem::TooManyFiles).into());
    }
    let now = state.clock.now();
    let priority = priority(activity.impact, activity.urgency);
    let plan = super::schedule::of_ticket(
        &state.db,
        None,
        &activity,
        super::schedule::Target::Hours(activity.sla_hours),
        now,
        None,
        now,
    )
    .await?;
    let deadline = plan.deadline;
    let fields = serde_json::to_string(&valid.fields).map_err(|_| AppError::Internal)?;
    let profile_json = serde_json::to_string(&valid.profile).map_err(|_| AppError::Internal)?;
    // Most requests repeat the saved profile: it is written only when it changed
    // (fewer statements while the write lock is held).
    let saved = customer_profile::Entity::find_by_id(customer.get())
        .one(&state.db)
        .await?
        .map(profile_of);
    let profile = (saved.as_ref() != Some(&valid.profile)).then(|| valid.profile.clone());
    // The key is folded here, outside the write turn; the number is put in front
    // of it once known (folding works character by character, so that is the same).
    let search_key = crate::domain::documents::search_key(&format!(
        "{} {} {} {}",
        service.name, activity.name, valid.title, valid.description
    ));
    // What staff search by besides the key: who asked, by name, login and document
    // (as typed and as bare digits).
    let document = &valid.profile.document;
    let digits: String = document.chars().filter(char::is_ascii_digit).collect();
    let staff_key = crate::domain::documents::search_key(&format!(
        "{} {} {document} {digits}",
        me.name, me.login
    ));
    let risk_at = plan.risk_at;
    let letters = opening_letters(
        state,
        &service.name,
        &activity,
        &valid.title,
        priority,
        deadline,
        customer,
    )
    .await?;
    let draft = Draft {
        customer,
        ticket: ticket::ActiveModel {
            customer_id: Set(customer.get()),
            activity_id: Set(activity.id),
            service_id: Set(service.id),
            ticket_type: Set(activity.ticket_type.clone()),
            title: Set(valid.title),
            description: Set(valid.description),
            fields: Set(fields),
            profile: Set(profile_json),
            priority: Set(priority),
            sla_hours: Set(activity.sla_hours),
            deadline: Set(deadline),
            risk_at: Set(risk_at),
            first_response_due: Set(plan.first_response_due),
            impact: Set(activity.impact),
            urgency: Set(activity.urgency),
            staff_key: Set(staff_key),
            version: Set(0),
            task: Set(activity.initial_task.clone()),
            group_id: Set(activity.initial_group_id),
            situation: Set(Situation::Open.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            closed_at: Set(None),
            request_key: Set(request_key),
            ..Default::default()
        },
        opened: format!("{} / {}", service.name, activity.name),
        search_key,
        attachments,
        profile,
        priority,
        now,
        letters,
    };
    let written = if state.db.get_database_backend() != DbBackend::Sqlite {
        // PostgreSQL: many writers at once, ordered by the counter row's lock.
        write_alone(&state.db, &draft).await
    } else {
        let db = state.db.clone();
        state
            .ticket_writes
            .submit(draft, move |drafts| write_batch(db, drafts))
            .await
            .unwrap_or(Err(AppError::Internal))
    };
    if written.is_ok() {
        state.jobs.outbox_wake.notify_one();
    }
    written
}

/// "Ticket aberto" to the customer and "Novo ticket no grupo" to the group's agents,
/// prepared before the write turn (the number is filled in there).
async fn opening_letters(
    state: &AppState,
    service: &str,
    activity: &entity::activity::Model,
    title: &str,
    priority: i16,
    deadline: Option<DateTime<Utc>>,
    customer: UserId,
) -> Result<Vec<crate::server::outbox::Letter>, AppError> {
    use crate::domain::notices::Notice;
    use crate::server::notify;
    let group = entity::support_group::Entity::find_by_id(activity.initial_group_id)
        .one(&state.db)
        .await?
        .map(|g| g.name)
        .unwrap_or_default();
    let notifier = notify::Notifier::of(state);
    let facts = notify::Facts {
        ticket_id: None,
        number: notify::NUMBER.to_owned(),
        title: title.to_owned(),
        service: format!("{service} / {}", activity.name),
        group,
        priority,
        deadline,
        detail: String::new(),
        rating_until: None,
        reopen_until: None,
    };
    let mut letters = Vec::new();
    for notice in [Notice::Opened, Notice::NewInGroup] {
        let people = notify::recipients(
            &state.db,
            notice,
            customer.get(),
            activity.initial_group_id,
            None,
            Some(customer.get()),
        )
        .await?;
        letters.extend(notify::letters(&notifier, notice, &facts, &people));
    }
    Ok(letters)
}

/// Writes queued drafts, in order, in one transaction; if any of them fails, that
/// transaction is rolled back as a whole and each draft is written in its own, so
/// one bad request never takes the others down (and numbers stay gapless).
async fn write_batch(db: DatabaseConnection, drafts: Vec<Draft>) -> Vec<Written> {
    let started = std::time::Instant::now();
    if drafts.len() > 1 {
        if let Ok(created) = write_together(&db, &drafts).await {
            tracing::debug!(
                tickets = drafts.len(),
                held_us = started.elapsed().as_micros() as u64,
                "tickets created"
            );
            return created.into_iter().map(Ok).collect();
        }
    }
    let mut results = Vec::with_capacity(drafts.len());
    for draft in &drafts {
        results.push(write_alone(&db, draft).await);
    }
    tracing::debug!(
        tickets = drafts.len(),
        held_us = started.elapsed().as_micros() as u64,
        "tickets created one by one"
    );
    results
}

/// Writes `drafts` (one, or a batch) in one transaction, a statement for all of them
/// where it can be: the counter moved once, the tickets, their first history entries and
/// their mail each in one insert (on two cores each statement is a hop to SQLite's
/// connection thread while the write lock is held). Attachments and profiles, which only
/// some requests bring, are written per draft. Nothing is left half-made.
async fn write_together(
    db: &DatabaseConnection,
    drafts: &[Draft],
) -> Result<Vec<CreatedTicket>, AppError> {
    let txn = crate::server::begin_write(db).await?;
    let last = next_numbers(&txn, drafts.len()).await?;
    let first = last - drafts.len() as i64 + 1;
    let numbers: Vec<i64> = (first..=last).collect();
    let tickets = ticket::Entity::insert_many(
        drafts
            .iter()
            .zip(&numbers)
            .map(|(draft, number)| numbered(draft, *number)),
    )
    .exec_with_returning(&txn)
    .await?;
    // Each ticket's id by its number: the order of RETURNING's rows is not promised.
    let ids: std::collections::HashMap<i64, TicketId> =
        tickets.iter().map(|t| (t.number, TicketId(t.id))).collect();
    let written: Vec<(&Draft, i64, TicketId)> = drafts
        .iter()
        .zip(numbers)
        .map(|(draft, number)| Ok((draft, number, *ids.get(&number).ok_or(AppError::Internal)?)))
        .collect::<Result<_, AppError>>()?;
    ticket_event::Entity::insert_many(
        written
            .iter()
            .map(|(draft, _, id)| opened_event(draft, *id)),
    )
    .exec_without_returning(&txn)
    .await?;
    let mut letters = Vec::new();
    for (draft, number, id) in &written {
        attach_staged(&txn, draft.customer, *id, &draft.attachments, draft.now).await?;
        letters.extend(
            letters_of(draft, *id, *number)
                .into_iter()
                .map(|letter| (draft.now, letter)),
        );
        if let Some(profile) = &draft.profile {
            save_profile(&txn, draft.customer, profile.clone(), draft.now).await?;
        }
    }
    crate::server::outbox::enqueue_each(&txn, letters).await?;
    txn.commit().await?;
    Ok(written
        .iter()
        .map(|(draft, number, _)| CreatedTicket {
            number: *number,
            priority: draft.priority,
        })
        .collect())
}

async fn write_alone(db: &DatabaseConnection, draft: &Draft) -> Written {
    write_together(db, std::slice::from_ref(draft))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Takes the next `count` ticket numbers and returns the last of them. The counter row
/// is the first thing the transaction writes: on SQLite that takes the write lock at
/// once (no read-then-upgrade deadlock), on PostgreSQL it locks the row until commit.
/// Numbers therefore come out without gaps, in order, however many requests arrive
/// together; a rollback returns them.
async fn next_numbers(txn: &DatabaseTransaction, count: usize) -> Result<i64, AppError> {
    // `count` is the server's own integer, written as a literal.
    let row = txn
        .query_one_raw(Statement::from_string(
            txn.get_database_backend(),
            format!(
                "UPDATE ticket_counter SET last_number = last_number + {count} WHERE id = 1 RETURNING last_number"
            ),
        ))
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.try_get_by_index(0)?)
}

/// The draft's ticket row with its number.
fn numbered(draft: &Draft, number: i64) -> ticket::ActiveModel {
    let mut ticket = draft.ticket.clone();
    ticket.number = Set(number);
    ticket.search_key = Set(format!("{number} {}", draft.search_key));
    ticket
}

/// The ticket's first history entry, "opened".
fn opened_event(draft: &Draft, ticket_id: TicketId) -> ticket_event::ActiveModel {
    ticket_event::ActiveModel {
        ticket_id: Set(ticket_id.get()),
        at: Set(draft.now),
        actor_id: Set(Some(draft.customer.get())),
        kind: Set(EventKind::Opened.code().to_owned()),
        detail: Set(draft.opened.clone()),
        ..Default::default()
    }
}

/// The draft's mail, addressed to its ticket, with its number filled in.
fn letters_of(
    draft: &Draft,
    ticket_id: TicketId,
    number: i64,
) -> Vec<crate::server::outbox::Letter> {
    let number_text = number.to_string();
    let fill = |text: &str| text.replace(crate::server::notify::NUMBER, &number_text);
    draft
        .letters
        .iter()
        .map(|letter| crate::server::outbox::Letter {
            ticket_id: Some(ticket_id.get()),
            subject: fill(&letter.subject),
            text: fill(&letter.text),
            html: fill(&letter.html),
            ..letter.clone()
        })
        .collect()
}

/// Saves the customer's profile (insert or update) inside the request's transaction.
async fn save_profile(
    txn: &DatabaseTransaction,
    user: UserId,
    profile: RequestProfile,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    customer_profile::Entity::insert(customer_profile::ActiveModel {
        user_id: Set(user.get()),
        nature: Set(profile.nature.code().to_owned()),
        document: Set(profile.document),
        cep: Set(profile.cep),
        street: Set(profile.street),
        number: Set(profile.number),
        complement: Set(profile.complement),
        district: Set(profile.district),
        city: Set(profile.city),
        uf: Set(profile.uf),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(customer_profile::Column::UserId)
            .update_columns([
                customer_profile::Column::Nature,
                customer_profile::Column::Document,
                customer_profile::Column::Cep,
                customer_profile::Column::Street,
                customer_profile::Column::Number,
                customer_profile::Column::Complement,
                customer_profile::Column::District,
                customer_profile::Column::City,
                customer_profile::Column::Uf,
                customer_profile::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(txn)
    .await?;
    Ok(())
}

/// Links the caller's staged uploads `ids` to `ticket` and writes one history entry
/// per file. Any id that is not a staged upload of `owner` fails the whole request
/// (the transaction rolls back, the uploads stay staged for another try).
pub async fn attach_staged(
    txn: &DatabaseTransaction,
    owner: UserId,
    ticket: TicketId,
    ids: &[AttachmentId],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids = || ids.iter().map(|id| id.get());
    let linked = attachment::Entity::update_many()
        .col_expr(attachment::Column::TicketId, ticket.get().into())
        .filter(attachment::Column::Id.is_in(ids()))
        .filter(attachment::Column::OwnerId.eq(owner.get()))
        .filter(attachment::Column::TicketId.is_null())
        .exec(txn)
        .await?;
    if linked.rows_affected != ids().count() as u64 {
        return Err(FieldErrors::single(Field::Attachments, Problem::AttachmentMissing).into());
    }
    let names = attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids()))
        .order_by_asc(attachment::Column::Id)
        .all(txn)
        .await?;
    let events = names.into_iter().map(|file| ticket_event::ActiveModel {
        ticket_id: Set(ticket.get()),
        at: Set(now),
        actor_id: Set(Some(owner.get())),
        kind: Set(EventKind::Attachment.code().to_owned()),
        detail: Set(file.name),
        ..Default::default()
    });
    ticket_event::Entity::insert_many(events).exec(txn).await?;
    Ok(())
}
