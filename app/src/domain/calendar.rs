//! A business calendar's week as stored and typed: seven days from Monday, separated by
//! `|`, each a comma list of `HH:MM-HH:MM` intervals ("08:00-12:00,13:00-18:00"); an
//! empty day has no business hours. Shared by the calendar form (instant feedback) and
//! the server (authoritative).

use serde::{Deserialize, Serialize};

use crate::domain::{Field, FieldErrors, Problem};

/// Minutes after midnight, start and end of one interval (`end` > `start`; `end` up to
/// 24:00, the end of the day).
pub type Span = (u16, u16);

/// Monday first.
pub type Week = [Vec<Span>; 7];

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("expected seven days separated by |")]
    Days,
    #[error("day {0}: expected HH:MM-HH:MM")]
    Format(usize),
    #[error("day {0}: an interval must end after it starts")]
    Backwards(usize),
    #[error("day {0}: intervals must be in order and must not overlap")]
    Overlap(usize),
    #[error("a week needs some business hours")]
    Empty,
}

fn minutes(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    // 24:00 is the end of the day (as an interval's end only: nothing can start there).
    ((h < 24 && m < 60) || (h == 24 && m == 0)).then_some(h * 60 + m)
}

pub fn parse_week(text: &str) -> Result<Week, WeekError> {
    let days: Vec<&str> = text.split('|').collect();
    if days.len() != 7 {
        return Err(WeekError::Days);
    }
    let mut week: Week = Default::default();
    for (index, day) in days.iter().enumerate() {
        let number = index + 1;
        let mut last_end = None;
        for span in day.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (start, end) = span.split_once('-').ok_or(WeekError::Format(number))?;
            let (start, end) = (
                minutes(start).ok_or(WeekError::Format(number))?,
                minutes(end).ok_or(WeekError::Format(number))?,
            );
            if end <= start {
                return Err(WeekError::Backwards(number));
            }
            if last_end.is_some_and(|last| start < last) {
                return Err(WeekError::Overlap(number));
            }
            last_end = Some(end);
            week[index].push((start, end));
        }
    }
    if week.iter().all(Vec::is_empty) {
        return Err(WeekError::Empty);
    }
    Ok(week)
}

pub fn format_week(week: &Week) -> String {
    week.iter()
        .map(|day| {
            day.iter()
                .map(|(s, e)| format!("{:02}:{:02}-{:02}:{:02}", s / 60, s % 60, e / 60, e % 60))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A calendar as the settings form sends it (`id` none: a new one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarInput {
    pub id: Option<i32>,
    pub name: String,
    pub time_zone: String,
    pub week: String,
    pub national_holidays: bool,
    pub optional_points: bool,
}

impl CalendarInput {
    /// The name and the week, checked (the time zone is checked by the server, which
    /// knows the zones).
    pub fn validate(&self) -> Result<(String, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add(Field::CalendarName, Problem::Required);
        } else if name.chars().count() > 100 {
            errors.add(Field::CalendarName, Problem::TooLong);
        }
        if self.time_zone.trim().is_empty() {
            errors.add(Field::TimeZone, Problem::Required);
        }
        let week = parse_week(&self.week);
        if week.is_err() {
            errors.add(Field::Week, Problem::InvalidHours);
        }
        match week {
            Ok(week) if errors.is_empty() => Ok((name.to_owned(), format_week(&week))),
            _ => Err(errors),
        }
    }
}

/// A holiday as the settings form sends it: the date as `dd/mm/aaaa` (or `aaaa-mm-dd`,
/// what a date input sends).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayInput {
    pub calendar: i32,
    pub date: String,
    pub name: String,
}

/// A valid date: year, month, day.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let text = text.trim();
    let parts: Vec<&str> = if text.contains('/') {
        text.split('/').rev().collect()
    } else {
        text.split('-').collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&y) && (1..=days).contains(&d)).then_some((y, m, d))
}

/// A valid date and time `dd/mm/aaaa hh:mm` (or what a `datetime-local` input sends,
/// `aaaa-mm-ddThh:mm`): year, month, day, hour, minute.
pub fn parse_date_time(text: &str) -> Option<(i32, u32, u32, u32, u32)> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' '])?;
    let (y, m, d) = parse_date(date)?;
    let (h, min) = time.trim().split_once(':')?;
    let (h, min): (u32, u32) = (h.parse().ok()?, min.parse().ok()?);
    (h < 24 && min < 60).then_some((y, m, d, h, min))
}

impl HolidayInput {
    pub fn validate(&self) -> Result<((i32, u32, u32), String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let date = parse_date(&self.date);
        if self.date.trim().is_empty() {
            errors.add(Field::HolidayDate, Problem::Required);
        } else if date.is_none() {
            errors.add(Field::HolidayDate, Problem::InvalidDate);
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.add(Field::HolidayName, Problem::Required);
        } else if name.chars().count() > 200 {
            errors.add(Field::HolidayName, Problem::TooLong);
        }
        match date {
            Some(date) if errors.is_empty() => Ok((date, name.to_owned())),
            _ => Err(errors),
        }
    }
}

/// An activity's SLA as the settings form sends it: hours as typed (empty: none; for
/// the resolution target that is "A combinar").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySlaInput {
    pub activity: i32,
    pub calendar: i32,
    pub hours: String,
    pub first_response: String,
}

fn hours(field: Field, text: &str, errors: &mut FieldErrors) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i32>() {
        Ok(h) if (1..=10_000).contains(&h) => Some(h),
        _ => {
            errors.add(field, Problem::InvalidNumber);
            None
        }
    }
}

impl ActivitySlaInput {
    /// The resolution and first-response targets in business hours.
    pub fn validate(&self) -> Result<(Option<i32>, Option<i32>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let target = hours(Field::SlaHours, &self.hours, &mut errors);
        let first = hours(Field::FirstResponseHours, &self.first_response, &mut errors);
        if errors.is_empty() {
            Ok((target, first))
        } else {
            Err(errors)
        }
    }
}

/// The SLA settings page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaSettings {
    pub calendars: Vec<CalendarRow>,
    pub activities: Vec<ActivitySlaRow>,
    pub outbox: crate::domain::notices::OutboxStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRow {
    pub id: i32,
    pub name: String,
    pub time_zone: String,
    pub week: String,
    pub national_holidays: bool,
    pub optional_points: bool,
    /// Its own holidays, by date (`dd/mm/aaaa`).
    pub holidays: Vec<HolidayRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub id: i32,
    pub date: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySlaRow {
    pub id: i32,
    /// "Serviço / Atividade".
    pub name: String,
    pub calendar: i32,
    pub sla_hours: Option<i32>,
    pub first_response_hours: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_round_trip_and_bad_ones_say_why() {
        let text =
            "08:00-12:00,13:00-18:00|08:00-18:00|08:00-18:00|08:00-18:00|08:00-17:00|09:00-13:00|";
        let week = parse_week(text);
        assert!(week.is_ok());
        let week = week.unwrap_or_default();
        assert_eq!(week[0], vec![(480, 720), (780, 1080)]);
        assert!(week[6].is_empty());
        assert_eq!(format_week(&week), text);
        assert_eq!(parse_week("08:00-18:00"), Err(WeekError::Days));
        assert_eq!(parse_week("8:00-18:00||||||"), Err(WeekError::Format(1)));
        assert_eq!(
            parse_week("|18:00-08:00|||||"),
            Err(WeekError::Backwards(2))
        );
        assert_eq!(
            parse_week("||08:00-12:00,11:00-13:00||||"),
            Err(WeekError::Overlap(3))
        );
        assert_eq!(parse_week("||||||"), Err(WeekError::Empty));
        assert_eq!(parse_week("24:00-25:00||||||"), Err(WeekError::Format(1)));
        assert_eq!(
            parse_week("24:00-24:00||||||"),
            Err(WeekError::Backwards(1))
        );
        let always =
            "00:00-24:00|00:00-24:00|00:00-24:00|00:00-24:00|00:00-24:00|00:00-24:00|00:00-24:00";
        assert_eq!(
            parse_week(always).map(|w| w[6].clone()),
            Ok(vec![(0, 1440)])
        );
    }

    #[test]
    fn dates_and_targets_are_checked_where_they_are_typed() {
        assert_eq!(parse_date("29/02/2028"), Some((2028, 2, 29)));
        assert_eq!(parse_date("2027-11-20"), Some((2027, 11, 20)));
        assert_eq!(parse_date("29/02/2027"), None);
        assert_eq!(parse_date("31/04/2027"), None);
        assert_eq!(parse_date("amanhã"), None);
        assert_eq!(
            parse_date_time("05/12/2026 18:30"),
            Some((2026, 12, 5, 18, 30))
        );
        assert_eq!(
            parse_date_time("2026-12-05T08:00"),
            Some((2026, 12, 5, 8, 0))
        );
        assert_eq!(parse_date_time("05/12/2026"), None);
        assert_eq!(parse_date_time("05/12/2026 24:00"), None);
        let sla = ActivitySlaInput {
            activity: 1,
            calendar: 1,
            hours: "16".into(),
            first_response: String::new(),
        };
        assert_eq!(sla.validate(), Ok((Some(16), None)));
        let bad = ActivitySlaInput {
            hours: "0".into(),
            first_response: "x".into(),
            ..sla
        };
        let errors = bad.validate().err().unwrap_or_default();
        assert_eq!(errors.get(Field::SlaHours), Some(Problem::InvalidNumber));
        assert_eq!(
            errors.get(Field::FirstResponseHours),
            Some(Problem::InvalidNumber)
        );
        let calendar = CalendarInput {
            name: " Plantão ".into(),
            time_zone: "America/Sao_Paulo".into(),
            week: "00:00-23:59|00:00-23:59|00:00-23:59|00:00-23:59|00:00-23:59|00:00-23:59|00:00-23:59".into(),
            ..CalendarInput::default()
        };
        assert_eq!(
            calendar.validate().map(|(name, _)| name),
            Ok("Plantão".into())
        );
        let broken = CalendarInput {
            week: "seg a sex".into(),
            ..calendar
        };
        assert!(broken.validate().is_err());
    }
}
