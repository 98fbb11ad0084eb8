//! "Concluir": turns a request form into a ticket, in one transaction: the next ticket
//! number, the ticket with its priority, deadline, task, group and situation, the
//! customer's profile, and the first history entry. Nothing is left half-made.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::request::RequestInput;
use crate::error::AppError;

/// The pop-up "Ticket(s) criado(s)": number and priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTicket {
    pub number: i64,
    pub priority: i16,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use entity::{attachment, customer_profile, ticket, ticket_event};
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{
        ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
        EntityTrait, QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
    };

    use super::*;
    use crate::api::portal::ssr::{field_specs, open_activity, profile_of};
    use crate::domain::request::{RequestProfile, priority};
    use crate::domain::{Field, FieldErrors, Problem};
    use crate::server::session::SessionUser;
    use crate::server::sla;
    use crate::state::AppState;

    pub const SITUATION_OPEN: &str = "em_andamento";

    /// A validated request, ready to be written as a ticket: everything but its number.
    pub struct Draft {
        customer: i32,
        ticket: ticket::ActiveModel,
        opened: String,
        /// The ticket's search key without its number.
        search_key: String,
        attachments: Vec<i64>,
        /// The profile to save, when it differs from the saved one.
        profile: Option<RequestProfile>,
        priority: i16,
        now: chrono::DateTime<chrono::Utc>,
    }

    pub async fn create(
        state: &AppState,
        me: &SessionUser,
        input: RequestInput,
    ) -> Result<CreatedTicket, AppError> {
        let request_key = crate::domain::request::request_key(&input.request_key)
            .map_err(|_| AppError::Request("invalid request key".into()))?;
        if let Some(existing) = already_created(state, me.id, request_key.as_deref()).await? {
            return Ok(existing);
        }
        let created = create_new(state, me, input, request_key.clone()).await;
        match created {
            // Two sends of one form at once: the second hit the unique key. Its answer
            // is the ticket the first one created.
            Err(err) if request_key.is_some() => {
                match already_created(state, me.id, request_key.as_deref()).await? {
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
        customer: i32,
        key: Option<&str>,
    ) -> Result<Option<CreatedTicket>, AppError> {
        let Some(key) = key else {
            return Ok(None);
        };
        Ok(ticket::Entity::find()
            .filter(ticket::Column::CustomerId.eq(customer))
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
        let Ok((service, activity)) = open_activity(state, input.activity_id).await else {
            return Err(FieldErrors::single(Field::Activity, Problem::ActivityUnavailable).into());
        };
        let specs = field_specs(&state.db, activity.id).await?;
        let valid = input.validate(&specs, &activity.name)?;
        let mut attachments = input.attachments.clone();
        attachments.sort_unstable();
        attachments.dedup();
        if attachments.len() > state.attachments.limits.max_files as usize {
            return Err(FieldErrors::single(Field::Attachments, Problem::TooManyFiles).into());
        }
        let now = state.clock.now();
        let priority = priority(activity.impact, activity.urgency);
        let deadline = activity
            .sla_hours
            .and_then(|hours| sla::deadline(now, hours.max(0) as u32, state.time_zone));
        let fields = serde_json::to_string(&valid.fields).map_err(|_| AppError::Internal)?;
        let profile_json = serde_json::to_string(&valid.profile).map_err(|_| AppError::Internal)?;
        // Most requests repeat the saved profile: it is written only when it changed
        // (fewer statements while the write lock is held).
        let saved = customer_profile::Entity::find_by_id(me.id)
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
        let draft = Draft {
            customer: me.id,
            ticket: ticket::ActiveModel {
                customer_id: Set(me.id),
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
                task: Set(activity.initial_task.clone()),
                group_id: Set(activity.initial_group_id),
                situation: Set(SITUATION_OPEN.to_owned()),
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
        };
        if state.db.get_database_backend() != DbBackend::Sqlite {
            // PostgreSQL: many writers at once, ordered by the counter row's lock.
            return write_alone(&state.db, &draft).await;
        }
        let db = state.db.clone();
        state
            .ticket_writes
            .submit(draft, move |drafts| write_batch(db, drafts))
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    /// Writes queued drafts, in order, in one transaction; if any of them fails, that
    /// transaction is rolled back as a whole and each draft is written in its own, so
    /// one bad request never takes the others down (and numbers stay gapless).
    async fn write_batch(
        db: DatabaseConnection,
        drafts: Vec<Draft>,
    ) -> Vec<Result<CreatedTicket, AppError>> {
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

    async fn write_together(
        db: &DatabaseConnection,
        drafts: &[Draft],
    ) -> Result<Vec<CreatedTicket>, AppError> {
        let txn = db.begin().await?;
        let mut created = Vec::with_capacity(drafts.len());
        for draft in drafts {
            created.push(write(&txn, draft).await?);
        }
        txn.commit().await?;
        Ok(created)
    }

    async fn write_alone(
        db: &DatabaseConnection,
        draft: &Draft,
    ) -> Result<CreatedTicket, AppError> {
        let txn = db.begin().await?;
        let created = write(&txn, draft).await?;
        txn.commit().await?;
        Ok(created)
    }

    /// The ticket with the next number, its first history entry, its attachments and
    /// the customer's profile, inside `txn`.
    async fn write(txn: &DatabaseTransaction, draft: &Draft) -> Result<CreatedTicket, AppError> {
        // The counter row is the first thing the transaction writes: on SQLite that
        // takes the write lock at once (no read-then-upgrade deadlock), on PostgreSQL it
        // locks the row until commit. Numbers therefore come out without gaps, in order,
        // however many requests arrive together; a rollback returns the number.
        let backend = txn.get_database_backend();
        let row = txn
            .query_one_raw(Statement::from_string(
                backend,
                "UPDATE ticket_counter SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number",
            ))
            .await?
            .ok_or(AppError::Internal)?;
        let number: i64 = row.try_get_by_index(0)?;
        let mut ticket = draft.ticket.clone();
        ticket.number = Set(number);
        ticket.search_key = Set(format!("{number} {}", draft.search_key));
        let ticket_id = ticket::Entity::insert(ticket)
            .exec(txn)
            .await?
            .last_insert_id;
        ticket_event::Entity::insert(ticket_event::ActiveModel {
            ticket_id: Set(ticket_id),
            at: Set(draft.now),
            actor_id: Set(Some(draft.customer)),
            kind: Set("opened".to_owned()),
            detail: Set(draft.opened.clone()),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
        attach_staged(
            txn,
            draft.customer,
            ticket_id,
            &draft.attachments,
            draft.now,
        )
        .await?;
        if let Some(profile) = &draft.profile {
            save_profile(txn, draft.customer, profile.clone(), draft.now).await?;
        }
        Ok(CreatedTicket {
            number,
            priority: draft.priority,
        })
    }

    /// Saves the customer's profile (insert or update) inside the request's transaction.
    async fn save_profile(
        txn: &DatabaseTransaction,
        user_id: i32,
        profile: RequestProfile,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        customer_profile::Entity::insert(customer_profile::ActiveModel {
            user_id: Set(user_id),
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

    /// Links the caller's staged uploads `ids` to `ticket_id` and writes one history entry
    /// per file. Any id that is not a staged upload of `owner` fails the whole request
    /// (the transaction rolls back, the uploads stay staged for another try).
    pub async fn attach_staged(
        txn: &DatabaseTransaction,
        owner: i32,
        ticket_id: i64,
        ids: &[i64],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        if ids.is_empty() {
            return Ok(());
        }
        let linked = attachment::Entity::update_many()
            .col_expr(attachment::Column::TicketId, ticket_id.into())
            .filter(attachment::Column::Id.is_in(ids.iter().copied()))
            .filter(attachment::Column::OwnerId.eq(owner))
            .filter(attachment::Column::TicketId.is_null())
            .exec(txn)
            .await?;
        if linked.rows_affected != ids.len() as u64 {
            return Err(FieldErrors::single(Field::Attachments, Problem::AttachmentMissing).into());
        }
        let names = attachment::Entity::find()
            .filter(attachment::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(attachment::Column::Id)
            .all(txn)
            .await?;
        let events = names.into_iter().map(|file| ticket_event::ActiveModel {
            ticket_id: Set(ticket_id),
            at: Set(now),
            actor_id: Set(Some(owner)),
            kind: Set("attachment".to_owned()),
            detail: Set(file.name),
            ..Default::default()
        });
        ticket_event::Entity::insert_many(events).exec(txn).await?;
        Ok(())
    }
}

/// "Concluir": opens a ticket for the signed-in user.
#[server(endpoint = "request-create", input = Json)]
pub async fn create_request(input: RequestInput) -> Result<CreatedTicket, AppError> {
    crate::server::guard::as_customer(
        |state, me| async move { ssr::create(&state, &me, input).await },
    )
    .await
}
