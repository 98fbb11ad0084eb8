//! A ticket's SLA dates from its clock: the activity's calendar and targets, the opening,
//! and the intervals it stood still (`ticket_pause`: while "Suspensa", and between a
//! closing and its reopening). Every change that moves them (suspending, resuming,
//! reclassifying, reopening) recomputes them here, from the same facts, so the deadline
//! is always "opening + target in business time, pauses not counted".

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use entity::{activity, calendar, holiday, ticket_pause};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::calendar::parse_week;
use crate::error::AppError;
use crate::server::sla::{self, Calendar, Clock};

/// The default calendar's row.
pub const DEFAULT_CALENDAR: i32 = 1;

/// What the clock gives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// "Prazo limite"; none while the SLA is "A combinar".
    pub deadline: Option<DateTime<Utc>>,
    /// When 75 % of the target (in business time) is used: "Em risco".
    pub risk_at: Option<DateTime<Utc>>,
    pub first_response_due: Option<DateTime<Utc>>,
}

/// A pause: from, and until (none while it lasts).
pub type Pause = (DateTime<Utc>, Option<DateTime<Utc>>);

/// The stored pauses of a ticket.
pub async fn pauses(db: &impl ConnectionTrait, ticket: i64) -> Result<Vec<Pause>, AppError> {
    Ok(ticket_pause::Entity::find()
        .filter(ticket_pause::Column::TicketId.eq(ticket))
        .order_by_asc(ticket_pause::Column::StartedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.started_at, p.ended_at))
        .collect())
}

/// The business calendar `id` (or the default), with its holidays for the years around
/// `around` (national ones computed, the calendar's own from the database).
pub async fn calendar(
    db: &impl ConnectionTrait,
    id: Option<i32>,
    around: DateTime<Utc>,
) -> Result<Calendar, AppError> {
    let id = id.unwrap_or(DEFAULT_CALENDAR);
    let row = match calendar::Entity::find_by_id(id).one(db).await? {
        Some(row) => Some(row),
        None => {
            calendar::Entity::find_by_id(DEFAULT_CALENDAR)
                .one(db)
                .await?
        }
    };
    let Some(row) = row else {
        return Ok(Calendar::brazil_default(
            around.year() - 1..=around.year() + 2,
            true,
        ));
    };
    let tz: chrono_tz::Tz = row.time_zone.parse().map_err(|_| AppError::Internal)?;
    let week = parse_week(&row.week).map_err(|_| AppError::Internal)?;
    // 24:00 (the end of the day) is midnight to the calendar: an interval ending at
    // 00:00 ends at the day's end.
    let time = |minutes: u16| {
        let minutes = minutes % (24 * 60);
        NaiveTime::from_hms_opt(u32::from(minutes / 60), u32::from(minutes % 60), 0)
    };
    let mut days: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
    for (day, spans) in days.iter_mut().zip(week) {
        for (start, end) in spans {
            if let (Some(start), Some(end)) = (time(start), time(end)) {
                day.push((start, end));
            }
        }
    }
    let years = around.year() - 1..=around.year() + 3;
    let mut dates: Vec<chrono::NaiveDate> = Vec::new();
    if row.national_holidays {
        for year in years.clone() {
            dates.extend(
                sla::brazil_national(year)
                    .into_iter()
                    .filter(|h| row.optional_points || !h.optional)
                    .map(|h| h.date),
            );
        }
    }
    dates.extend(
        holiday::Entity::find()
            .filter(holiday::Column::CalendarId.eq(row.id))
            .all(db)
            .await?
            .into_iter()
            .map(|h| h.day),
    );
    Calendar::new(tz, days, dates).map_err(|_| AppError::Internal)
}

/// What the deadline is counted from: a target in business hours (none: "A combinar"),
/// or, for a ticket "A combinar", the deadline staff agreed ("Definir prazo"), which
/// then keeps the business time it stood for when pauses move it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Hours(Option<i32>),
    Agreed(DateTime<Utc>),
}

impl Target {
    /// A stored ticket's target.
    pub fn of(t: &entity::ticket::Model) -> Target {
        match (t.sla_hours, t.deadline) {
            (None, Some(agreed)) => Target::Agreed(agreed),
            (hours, _) => Target::Hours(hours),
        }
    }
}

/// The dates of a ticket opened at `opened` with `pauses`: the deadline where the
/// business time used reaches the target, at risk at three quarters of it.
/// `before`: the pauses an agreed deadline was set under (it is their business time
/// that it stands for).
pub fn schedule(
    calendar: &Calendar,
    opened: DateTime<Utc>,
    pauses: &[Pause],
    before: &[Pause],
    target: Target,
    first_response_hours: Option<i32>,
) -> Schedule {
    let clock = Clock {
        calendar,
        opened,
        pauses,
    };
    let hours = |h: i32| Duration::hours(i64::from(h.max(0)));
    let target = match target {
        Target::Hours(h) => h.map(hours),
        Target::Agreed(at) => Some(
            Clock {
                calendar,
                opened,
                pauses: before,
            }
            .used(at),
        ),
    };
    let deadline = target.and_then(|t| clock.reach(t));
    Schedule {
        deadline,
        risk_at: target
            .and_then(|t| clock.reach(t * 3 / 4))
            .map(|risk| deadline.map_or(risk, |d| Ord::min(risk, d))),
        first_response_due: first_response_hours.and_then(|h| clock.reach(hours(h))),
    }
}

impl Schedule {
    /// The ticket's columns for these dates; what the SLA watcher announced stays only
    /// as far as the ticket is still that late (`sla_watch::after_change`).
    pub fn columns(
        &self,
        announced: i16,
        now: DateTime<Utc>,
    ) -> [(entity::ticket::Column, sea_orm::Value); 4] {
        use entity::ticket::Column;
        [
            (Column::Deadline, self.deadline.into()),
            (Column::RiskAt, self.risk_at.into()),
            (Column::FirstResponseDue, self.first_response_due.into()),
            (
                Column::SlaState,
                crate::server::sla_watch::after_change(announced, self.risk_at, self.deadline, now)
                    .into(),
            ),
        ]
    }
}

/// The schedule of a ticket opened at `opened` with `target` under `activity`'s
/// calendar, from the database; `extra`: a pause this change adds or ends.
#[allow(clippy::too_many_arguments)]
pub async fn of_ticket(
    db: &impl ConnectionTrait,
    ticket: Option<i64>,
    activity: &activity::Model,
    target: Target,
    opened: DateTime<Utc>,
    extra: Option<Pause>,
    now: DateTime<Utc>,
) -> Result<Schedule, AppError> {
    let stored = match ticket {
        Some(id) => pauses(db, id).await?,
        None => Vec::new(),
    };
    // What an agreed deadline stood for: the pauses that were over when it was set (it
    // cannot be set while the ticket is suspended).
    let before: Vec<Pause> = stored.iter().copied().filter(|p| p.1.is_some()).collect();
    let mut all = stored;
    if let Some(extra) = extra {
        // The pause being closed by this change replaces its running row.
        if extra.1.is_some() {
            all.retain(|p| p.1.is_some());
        }
        all.push(extra);
    }
    let calendar = calendar(db, activity.calendar_id, now).await?;
    Ok(schedule(
        &calendar,
        opened,
        &all,
        &before,
        target,
        activity.first_response_hours,
    ))
}

/// Starts a pause of `ticket` at `now` (it was suspended).
pub async fn start_pause(
    db: &impl ConnectionTrait,
    ticket: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    ticket_pause::Entity::insert(ticket_pause::ActiveModel {
        ticket_id: sea_orm::Set(ticket),
        started_at: sea_orm::Set(now),
        ended_at: sea_orm::Set(None),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Ends the running pause of `ticket` at `now` (resumed, or closed while suspended).
pub async fn end_pause(
    db: &impl ConnectionTrait,
    ticket: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    ticket_pause::Entity::update_many()
        .col_expr(
            ticket_pause::Column::EndedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(ticket_pause::Column::TicketId.eq(ticket))
        .filter(ticket_pause::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Records a finished pause (the time a reopened ticket spent closed).
pub async fn add_pause(
    db: &impl ConnectionTrait,
    ticket: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(), AppError> {
    ticket_pause::Entity::insert(ticket_pause::ActiveModel {
        ticket_id: sea_orm::Set(ticket),
        started_at: sea_orm::Set(from),
        ended_at: sea_orm::Set(Some(to)),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
