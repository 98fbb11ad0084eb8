//! SLA clocks in business time.
//!
//! A [`Calendar`] says when an SLA clock runs: a time zone, business intervals for each
//! weekday and a set of holidays. [`Clock`] is the clock of one ticket: it counts business
//! time from the ticket's opening, except while the ticket is paused.
//!
//! # Definition
//!
//! An instant `t` is *business time* when, converted to the calendar's time zone, its local
//! date is not a holiday and its local time of day lies in one of that weekday's intervals
//! `[start, end)`. The business time between two instants is the real (UTC) time, inside
//! them, that is business time. So on a spring-forward day an interval covering the
//! skipped hour contains less real time, and on a fall-back day a repeated local hour
//! counts twice. The functions accept any instant (to the nanosecond); the tests compare
//! them, at whole minutes, with a minute-by-minute count.
//!
//! # Rules
//!
//! - [`Calendar::add`] first moves `start` to the first business instant at or after it,
//!   then returns the earliest instant at which `business` business time has elapsed (which
//!   may be a closing time). So a zero duration gives the next business instant: an SLA of
//!   zero hours opened on a Saturday is due at Monday's opening, as before this module had
//!   calendars.
//! - [`Calendar::subtract`] returns the latest instant `t <= end` with
//!   `between(t, end) == business`; for zero that is `end` itself.
//! - Negative durations count as zero.
//! - Searches are bounded: `add`, `subtract` and [`Clock::reach`] give up (`None`) after
//!   400 days (`IDLE_DAYS`) without any business time beyond the calendar's holidays (past
//!   the last holiday going forward, before the first one going backward). Outside the
//!   holidays every week has business time unless time-zone changes swallow it, which no
//!   zone does for more than a day or so a year, so the limit never stops a search that
//!   would succeed: it guards against endless loops. Searches also stop (`None`) at the
//!   ends of chrono's date range.
//!
//! Walking is done in UTC stretches of at most a day (`CHUNK_HOURS`), each split where the
//! zone's UTC offset changes (found by bisection to the second: the tz database changes
//! offsets at whole seconds). This assumes a zone never changes its offset twice within
//! a day and comes back to the same offset, which no zone in the tz database does. The
//! work is proportional to the span walked: about one step per day.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{
    DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

/// Opening hour of the standard calendar (Monday to Friday).
pub const OPEN: u32 = 8;
/// Closing hour of the standard calendar (Monday to Friday).
pub const CLOSE: u32 = 18;

/// Longest UTC stretch handled at once (see the module documentation).
const CHUNK_HOURS: i64 = 24;
/// How long a search may go without business time beyond the holidays before giving up.
const IDLE_DAYS: u64 = 400;

/// Business intervals of one weekday.
pub type Day = Vec<(NaiveTime, NaiveTime)>;

/// Why [`Calendar::new`] refused a week.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{weekday}: the interval {start}-{end} is empty (an end of 00:00 means midnight)")]
    EmptyInterval {
        weekday: Weekday,
        start: NaiveTime,
        end: NaiveTime,
    },
    #[error("{weekday}: the interval {start}-{end} overlaps or comes before the previous one")]
    Unordered {
        weekday: Weekday,
        start: NaiveTime,
        end: NaiveTime,
    },
    #[error("the week has no business time")]
    NoBusinessTime,
}

/// When SLA clocks run: a time zone, business intervals per weekday, holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    tz: Tz,
    /// Index 0 is Monday. Sorted, disjoint `[start, end)` intervals in local time; an end
    /// of 00:00 means midnight at the end of the day.
    week: [Day; 7],
    /// Local dates without business time.
    holidays: BTreeSet<NaiveDate>,
}

/// One national holiday or optional point ("ponto facultativo").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: &'static str,
    /// A "ponto facultativo": a day off in the federal administration, not a holiday by law.
    pub optional: bool,
}

/// An interval's end as time since midnight (00:00 means 24:00).
fn end_of_day(end: NaiveTime) -> Duration {
    if end == NaiveTime::MIN {
        Duration::days(1)
    } else {
        end - NaiveTime::MIN
    }
}

/// Local bounds of `interval` on `date`.
fn bounds(
    date: NaiveDate,
    (start, end): (NaiveTime, NaiveTime),
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let end = if end == NaiveTime::MIN {
        date.succ_opt()?.and_time(NaiveTime::MIN)
    } else {
        date.and_time(end)
    };
    Some((date.and_time(start), end))
}

fn hours(from: u32, to: u32) -> Option<(NaiveTime, NaiveTime)> {
    Some((
        NaiveTime::from_hms_opt(from, 0, 0)?,
        NaiveTime::from_hms_opt(to, 0, 0)?,
    ))
}

/// Monday to Friday, [`OPEN`] to [`CLOSE`].
fn office_week() -> [Day; 7] {
    let day: Day = hours(OPEN, CLOSE).into_iter().collect();
    [
        day.clone(),
        day.clone(),
        day.clone(),
        day.clone(),
        day,
        Vec::new(),
        Vec::new(),
    ]
}

impl Calendar {
    /// A calendar in `tz` with `week[0]` for Monday to `week[6]` for Sunday. Each day's
    /// intervals are `[start, end)` in local time, sorted and disjoint (they may touch);
    /// an end of 00:00 means midnight at the end of the day, so `(00:00, 00:00)` is the
    /// whole day. Refuses empty, overlapping or unsorted intervals and a week without any
    /// business time.
    pub fn new(
        tz: Tz,
        week: [Day; 7],
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Calendar, CalendarError> {
        let mut weekday = Weekday::Mon;
        for day in &week {
            let mut previous_end = Duration::zero();
            for &(start, end) in day {
                let since_midnight = start - NaiveTime::MIN;
                if since_midnight >= end_of_day(end) {
                    return Err(CalendarError::EmptyInterval {
                        weekday,
                        start,
                        end,
                    });
                }
                if since_midnight < previous_end {
                    return Err(CalendarError::Unordered {
                        weekday,
                        start,
                        end,
                    });
                }
                previous_end = end_of_day(end);
            }
            weekday = weekday.succ();
        }
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::NoBusinessTime);
        }
        Ok(Calendar {
            tz,
            week,
            holidays: holidays.into_iter().collect(),
        })
    }

    /// Monday to Friday, 08:00 to 18:00, no holidays (the calendar Atende always had).
    pub fn standard(tz: Tz) -> Calendar {
        Calendar {
            tz,
            week: office_week(),
            holidays: BTreeSet::new(),
        }
    }

    /// Monday to Friday, 08:00 to 18:00 in America/Sao_Paulo, with Brazil's national
    /// holidays of `years` (and the optional points too when `with_optional`).
    pub fn brazil_default(years: RangeInclusive<i32>, with_optional: bool) -> Calendar {
        // Years chrono cannot represent have no holidays; clamping keeps the loop short.
        let first = (*years.start()).max(NaiveDate::MIN.year());
        let last = (*years.end()).min(NaiveDate::MAX.year());
        let holidays = (first..=last)
            .flat_map(brazil_national)
            .filter(|h| with_optional || !h.optional)
            .map(|h| h.date)
            .collect();
        Calendar {
            tz: chrono_tz::America::Sao_Paulo,
            week: office_week(),
            holidays,
        }
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Business intervals per weekday (index 0 is Monday).
    pub fn week(&self) -> &[Day; 7] {
        &self.week
    }

    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    fn day(&self, date: NaiveDate) -> &Day {
        &self.week[date.weekday().num_days_from_monday() as usize]
    }

    /// Whether the instant `t` is business time.
    pub fn is_business(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.tz).naive_local();
        let (date, time) = (local.date(), local.time());
        !self.holidays.contains(&date)
            && self
                .day(date)
                .iter()
                .any(|&(start, end)| start <= time && (end == NaiveTime::MIN || time < end))
    }

    /// UTC offset (seconds) in force at `t`.
    fn offset(&self, t: DateTime<Utc>) -> i32 {
        self.tz
            .offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
    }

    /// UTC offset in force during the whole second `second` (a Unix timestamp; `None` only
    /// outside chrono's range, which callers never reach).
    fn offset_at(&self, second: i64) -> Option<i32> {
        DateTime::from_timestamp(second, 0).map(|t| self.offset(t))
    }

    /// The UTC offset at `from` and the end of the stretch `[from, end)`, `end <= limit`,
    /// during which it stays the same (`from < limit`). Offsets change at whole seconds.
    fn stretch(&self, from: DateTime<Utc>, limit: DateTime<Utc>) -> (i32, DateTime<Utc>) {
        let offset = self.offset(from);
        // The second `from` falls in: same offset.
        let mut low = from.timestamp();
        // The last second that starts before `limit`, if its offset differs.
        let Some(mut high) = limit
            .checked_sub_signed(Duration::nanoseconds(1))
            .map(|last| last.timestamp())
            .filter(|&high| high > low && self.offset_at(high) != Some(offset))
        else {
            return (offset, limit);
        };
        // offset_at(low) == offset != offset_at(high): find the first second that differs.
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if self.offset_at(middle) == Some(offset) {
                low = middle;
            } else {
                high = middle;
            }
        }
        // `high` lies between `from` and `limit`, so it is always in range.
        let end = DateTime::from_timestamp(high, 0).unwrap_or(limit);
        (offset, end)
    }

    /// Appends the business intervals inside `[from, to)`, in order, to `out`. `to` is at
    /// most [`CHUNK_HOURS`] after `from`.
    fn collect(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        out: &mut Vec<(DateTime<Utc>, DateTime<Utc>)>,
    ) {
        let mut at = from;
        // Each turn ends at an offset change or at `to`: bounded by the changes in range.
        while at < to {
            let (offset, end) = self.stretch(at, to);
            // `None` only at the ends of chrono's range: no business time there.
            let _ = self.collect_fixed(at, end, Duration::seconds(offset.into()), out);
            at = end;
        }
    }

    /// [`Self::collect`] for a stretch with one UTC offset.
    fn collect_fixed(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        offset: Duration,
        out: &mut Vec<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Option<()> {
        let low = from.naive_utc().checked_add_signed(offset)?;
        let high = to.naive_utc().checked_add_signed(offset)?;
        let last = high.checked_sub_signed(Duration::nanoseconds(1))?.date();
        let mut date = low.date();
        // At most two dates: the stretch is at most CHUNK_HOURS (a day) long.
        loop {
            if !self.holidays.contains(&date) {
                for &interval in self.day(date) {
                    let Some((start, end)) = bounds(date, interval) else {
                        continue;
                    };
                    let (start, end) = (start.max(low), end.min(high));
                    if start < end {
                        out.push((
                            start.checked_sub_signed(offset)?.and_utc(),
                            end.checked_sub_signed(offset)?.and_utc(),
                        ));
                    }
                }
            }
            if date >= last {
                return Some(());
            }
            date = date.succ_opt()?;
        }
    }

    /// Where a forward search that last found business time at `progress` gives up.
    fn forward_limit(&self, progress: DateTime<Utc>) -> DateTime<Utc> {
        let after_holidays = match self.holidays.last() {
            None => progress,
            Some(last) => last
                .checked_add_days(Days::new(2))
                .map_or(DateTime::<Utc>::MAX_UTC, |d| {
                    d.and_time(NaiveTime::MIN).and_utc()
                }),
        };
        progress
            .max(after_holidays)
            .checked_add_days(Days::new(IDLE_DAYS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Where a backward search that last found business time at `progress` gives up.
    fn backward_limit(&self, progress: DateTime<Utc>) -> DateTime<Utc> {
        let before_holidays = match self.holidays.first() {
            None => progress,
            Some(first) => first
                .checked_sub_days(Days::new(2))
                .map_or(DateTime::<Utc>::MIN_UTC, |d| {
                    d.and_time(NaiveTime::MIN).and_utc()
                }),
        };
        progress
            .min(before_holidays)
            .checked_sub_days(Days::new(IDLE_DAYS))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// `start` moved to the first business instant at or after it, plus `business` business
    /// time: the earliest instant at which that much has elapsed (see the module docs).
    /// `None` when no business time is found (see the bounds in the module docs).
    pub fn add(&self, start: DateTime<Utc>, business: Duration) -> Option<DateTime<Utc>> {
        let chunk = Duration::hours(CHUNK_HOURS);
        let mut left = business.max(Duration::zero());
        let mut at = start;
        let mut limit = self.forward_limit(start);
        let mut found = Vec::new();
        // Each turn walks one chunk; turns without business time end at `limit`, and the
        // others consume `left`.
        loop {
            let end = at.checked_add_signed(chunk)?;
            found.clear();
            self.collect(at, end, &mut found);
            for &(from, to) in &found {
                // Also the rule for zero: the first business instant.
                if left <= to - from {
                    return from.checked_add_signed(left);
                }
                left -= to - from;
            }
            if let Some(&(_, to)) = found.last() {
                limit = self.forward_limit(to);
            } else if end > limit {
                return None;
            }
            at = end;
        }
    }

    /// The latest instant `t <= end` with `between(t, end) == business` (`end` itself for
    /// zero). `None` when no business time is found (see the bounds in the module docs).
    pub fn subtract(&self, end: DateTime<Utc>, business: Duration) -> Option<DateTime<Utc>> {
        let chunk = Duration::hours(CHUNK_HOURS);
        let mut left = business.max(Duration::zero());
        if left.is_zero() {
            return Some(end);
        }
        let mut at = end;
        let mut limit = self.backward_limit(end);
        let mut found = Vec::new();
        // Mirror of `add`.
        loop {
            let start = at.checked_sub_signed(chunk)?;
            found.clear();
            self.collect(start, at, &mut found);
            for &(from, to) in found.iter().rev() {
                if left <= to - from {
                    return to.checked_sub_signed(left);
                }
                left -= to - from;
            }
            if let Some(&(from, _)) = found.first() {
                limit = self.backward_limit(from);
            } else if start < limit {
                return None;
            }
            at = start;
        }
    }

    /// Business time between `from` and `to` (zero when `to <= from`).
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        let chunk = Duration::hours(CHUNK_HOURS);
        let mut total = Duration::zero();
        let mut at = from;
        let mut found = Vec::new();
        // Each turn moves `at` forward by a chunk, or to `to`.
        while at < to {
            let end = at.checked_add_signed(chunk).map_or(to, |end| end.min(to));
            found.clear();
            self.collect(at, end, &mut found);
            total += found
                .iter()
                .fold(Duration::zero(), |sum, &(from, to)| sum + (to - from));
            at = end;
        }
        total
    }
}

/// Easter Sunday of `year` in the (proleptic) Gregorian calendar, by the anonymous
/// Gregorian algorithm (Meeus/Jones/Butcher). `None` for years chrono cannot represent.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(
        year,
        u32::try_from(n / 31).ok()?,
        u32::try_from(n % 31 + 1).ok()?,
    )
}

/// Brazil's national holidays and national optional points ("pontos facultativos") of
/// `year`, sorted by date (two may share a date, as Tiradentes and Sexta-feira Santa did
/// in 2000). Fixed dates from Lei 662/1949 (as amended), Nossa Senhora Aparecida from
/// Lei 6.802/1980 (from 1980 on), Zumbi e da Consciência Negra from Lei 14.759/2023 (from
/// 2024 on); Carnaval and Corpus Christi are optional points, Sexta-feira Santa a holiday.
/// Ash Wednesday (an optional point until 14:00) is left out: it is only half a day.
/// Empty for years chrono cannot represent.
pub fn brazil_national(year: i32) -> Vec<Holiday> {
    let fixed = |month, day, name, since: i32| {
        (year >= since)
            .then(|| NaiveDate::from_ymd_opt(year, month, day))
            .flatten()
            .map(|date| Holiday {
                date,
                name,
                optional: false,
            })
    };
    let from_easter = |days: i64, name, optional| {
        let date = easter(year)?.checked_add_signed(Duration::days(days))?;
        Some(Holiday {
            date,
            name,
            optional,
        })
    };
    let mut holidays: Vec<Holiday> = [
        fixed(1, 1, "Confraternização Universal", i32::MIN),
        from_easter(-48, "Segunda-feira de Carnaval", true),
        from_easter(-47, "Terça-feira de Carnaval", true),
        from_easter(-2, "Sexta-feira Santa", false),
        fixed(4, 21, "Tiradentes", i32::MIN),
        fixed(5, 1, "Dia do Trabalho", i32::MIN),
        from_easter(60, "Corpus Christi", true),
        fixed(9, 7, "Independência do Brasil", i32::MIN),
        fixed(10, 12, "Nossa Senhora Aparecida", 1980),
        fixed(11, 2, "Finados", i32::MIN),
        fixed(11, 15, "Proclamação da República", i32::MIN),
        fixed(11, 20, "Dia Nacional de Zumbi e da Consciência Negra", 2024),
        fixed(12, 25, "Natal", i32::MIN),
    ]
    .into_iter()
    .flatten()
    .collect();
    holidays.sort_by_key(|h| h.date);
    holidays
}

/// A pause's end; `None` while it runs.
type PauseEnd = Option<DateTime<Utc>>;

/// The SLA clock of one ticket: business time counts from `opened`, except inside pauses.
///
/// A pause `(start, end)` stops the clock during `[start, end)`; `end == None` means it is
/// still running. Pauses may overlap, be unordered or start before `opened`.
#[derive(Debug, Clone, Copy)]
pub struct Clock<'a> {
    pub calendar: &'a Calendar,
    pub opened: DateTime<Utc>,
    pub pauses: &'a [(DateTime<Utc>, Option<DateTime<Utc>>)],
}

impl Clock<'_> {
    /// The stretches `[start, end)` during which the clock runs, in order (`end == None`:
    /// for ever).
    fn runs(&self) -> Vec<(DateTime<Utc>, PauseEnd)> {
        let mut pauses: Vec<(DateTime<Utc>, PauseEnd)> = self
            .pauses
            .iter()
            .map(|&(start, end)| (start.max(self.opened), end))
            .filter(|&(start, end)| end.is_none_or(|end| end > start))
            .collect();
        pauses.sort_by_key(|&(start, _)| start);
        let mut runs = Vec::with_capacity(pauses.len() + 1);
        let mut run_start = Some(self.opened);
        for (start, end) in pauses {
            let Some(from) = run_start else { break };
            if start > from {
                runs.push((from, Some(start)));
            }
            // Overlapping pauses: the clock resumes at the latest end seen.
            run_start = end.map(|end| end.max(from));
        }
        if let Some(from) = run_start {
            runs.push((from, None));
        }
        runs
    }

    /// Business time from `opened` to `at`, less the business time inside pauses.
    pub fn used(&self, at: DateTime<Utc>) -> Duration {
        self.runs()
            .into_iter()
            .take_while(|&(start, _)| start < at)
            .fold(Duration::zero(), |sum, (start, end)| {
                let end = end.map_or(at, |end| end.min(at));
                sum + self.calendar.between(start, end)
            })
    }

    /// The earliest instant at which [`Self::used`] reaches `target` (negative counts as
    /// zero). For zero: the first business instant at or after `opened` outside the pauses,
    /// like [`Calendar::add`]. `None` if a running pause stops the clock before, or the
    /// calendar has no business time within its bounds.
    pub fn reach(&self, target: Duration) -> Option<DateTime<Utc>> {
        let mut left = target.max(Duration::zero());
        for (start, end) in self.runs() {
            let Some(end) = end else {
                return self.calendar.add(start, left);
            };
            let here = self.calendar.between(start, end);
            // With business time in the run, the next business instant is inside it.
            if (left.is_zero() && !here.is_zero()) || (!left.is_zero() && left <= here) {
                return self.calendar.add(start, left);
            }
            left -= here;
        }
        None
    }
}

/// `start` plus `hours` business hours of the standard calendar in `tz`.
pub fn deadline(start: DateTime<Utc>, hours: u32, tz: Tz) -> Option<DateTime<Utc>> {
    add(start, Duration::hours(hours.into()), tz)
}

/// `start` plus `business` business time of the standard calendar in `tz` (what was left of
/// an SLA when a ticket closed, resumed when it is reopened).
pub fn add(start: DateTime<Utc>, business: Duration, tz: Tz) -> Option<DateTime<Utc>> {
    Calendar::standard(tz).add(start, business)
}

/// The instant `business` business time of the standard calendar before `end` (a deadline
/// already passed when a new, shorter target is applied).
pub fn subtract(end: DateTime<Utc>, business: Duration, tz: Tz) -> Option<DateTime<Utc>> {
    Calendar::standard(tz).subtract(end, business)
}

/// Business time of the standard calendar between `from` and `to` (zero when `to` is not
/// later).
pub fn between(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> Duration {
    Calendar::standard(tz).between(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    const SP: Tz = chrono_tz::America::Sao_Paulo;
    const ZONES: [Tz; 6] = [
        chrono_tz::UTC,
        SP,
        chrono_tz::America::New_York,
        chrono_tz::Europe::Lisbon,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Asia::Kolkata,
    ];

    /// Local time in `tz` (the earlier one when ambiguous) as UTC.
    fn local_in(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        local_in(SP, y, m, d, h, min)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    /// Minute `m` of the Unix epoch.
    fn instant(m: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(m * 60, 0).unwrap_or_default()
    }

    fn minute_of(t: DateTime<Utc>) -> i64 {
        t.timestamp().div_euclid(60)
    }

    // ---------------------------------------------------------------------------------
    // The reference: a calendar at minute resolution and a minute-by-minute count.

    /// A calendar at minute resolution: per weekday (0 = Monday) `[start, end)` in minutes
    /// of the day, 1440 meaning midnight at the end of the day.
    #[derive(Debug, Clone)]
    struct Spec {
        tz: Tz,
        week: [Vec<(u32, u32)>; 7],
        holidays: Vec<NaiveDate>,
    }

    fn minute_time(m: u32) -> NaiveTime {
        // 1440 → 00:00, which Calendar reads as midnight at the end of the day.
        NaiveTime::from_hms_opt(m / 60 % 24, m % 60, 0).unwrap_or_default()
    }

    impl Spec {
        fn calendar(&self) -> Result<Calendar, CalendarError> {
            let week = self.week.clone().map(|day| {
                day.into_iter()
                    .map(|(s, e)| (minute_time(s), minute_time(e)))
                    .collect()
            });
            Calendar::new(self.tz, week, self.holidays.iter().copied())
        }

        fn weekly_minutes(&self) -> i64 {
            self.week
                .iter()
                .flatten()
                .map(|&(s, e)| i64::from(e - s))
                .sum()
        }
    }

    /// Half-width of the window of minutes an [`Oracle`] may look at.
    const WINDOW: i64 = 400 * 1440;

    /// The definition, applied literally to each UTC minute (memoised: slow, obviously
    /// right).
    struct Oracle<'a> {
        spec: &'a Spec,
        first: i64,
        memo: Vec<u8>,
    }

    impl<'a> Oracle<'a> {
        fn new(spec: &'a Spec, around: i64) -> Self {
            Oracle {
                spec,
                first: around - WINDOW,
                memo: vec![0; 2 * WINDOW as usize],
            }
        }

        fn business(&mut self, m: i64) -> bool {
            let Some(i) = usize::try_from(m - self.first)
                .ok()
                .filter(|&i| i < self.memo.len())
            else {
                panic!("minute {m} is outside the tested window");
            };
            if self.memo[i] == 0 {
                let local = instant(m).with_timezone(&self.spec.tz).naive_local();
                let minute = local.hour() * 60 + local.minute();
                let day = &self.spec.week[local.weekday().num_days_from_monday() as usize];
                let business = !self.spec.holidays.contains(&local.date())
                    && day.iter().any(|&(s, e)| s <= minute && minute < e);
                self.memo[i] = if business { 2 } else { 1 };
            }
            self.memo[i] == 2
        }

        /// Next business minute at or after `start`, then `target` business minutes.
        fn add(&mut self, start: i64, target: i64) -> i64 {
            let mut m = start;
            while !self.business(m) {
                m += 1;
            }
            let mut left = target;
            while left > 0 {
                if self.business(m) {
                    left -= 1;
                }
                m += 1;
            }
            m
        }

        /// Latest `t <= end` with `target` business minutes in `[t, end)`.
        fn subtract(&mut self, end: i64, target: i64) -> i64 {
            let mut m = end;
            let mut left = target;
            while left > 0 {
                m -= 1;
                if self.business(m) {
                    left -= 1;
                }
            }
            m
        }

        fn between(&mut self, from: i64, to: i64) -> i64 {
            (from..to).filter(|&m| self.business(m)).count() as i64
        }

        fn counts(&mut self, m: i64, pauses: &[(i64, Option<i64>)]) -> bool {
            self.business(m)
                && !pauses
                    .iter()
                    .any(|&(s, e)| s <= m && e.is_none_or(|e| m < e))
        }

        fn used(&mut self, opened: i64, pauses: &[(i64, Option<i64>)], at: i64) -> i64 {
            (opened..at).filter(|&m| self.counts(m, pauses)).count() as i64
        }

        /// Earliest minute where `used` is `target` (for zero: the first counting minute).
        fn reach(
            &mut self,
            opened: i64,
            pauses: &[(i64, Option<i64>)],
            target: i64,
        ) -> Option<i64> {
            let running = pauses.iter().filter(|p| p.1.is_none()).map(|p| p.0).min();
            let mut m = opened;
            let mut left = target;
            loop {
                if running.is_some_and(|r| m >= r) {
                    return None;
                }
                if self.counts(m, pauses) {
                    if left == 0 {
                        return Some(m);
                    }
                    left -= 1;
                    if left == 0 {
                        return Some(m + 1);
                    }
                }
                m += 1;
            }
        }
    }

    // ---------------------------------------------------------------------------------
    // Random cases.

    /// First minute of 2017 and the number of minutes up to 2028.
    fn span() -> (i64, i64) {
        let first = minute_of(date(2017, 1, 1).and_time(NaiveTime::MIN).and_utc());
        let last = minute_of(date(2028, 1, 1).and_time(NaiveTime::MIN).and_utc());
        (first, last - first)
    }

    /// For each zone, the UTC midnights (in minutes) of the days when its offset changes
    /// between 2017 and 2027.
    fn transitions(zone: usize) -> &'static [i64] {
        static ALL: OnceLock<Vec<Vec<i64>>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            let (first, length) = span();
            ZONES
                .iter()
                .map(|tz| {
                    let offset = |m: i64| {
                        tz.offset_from_utc_datetime(&instant(m).naive_utc())
                            .fix()
                            .local_minus_utc()
                    };
                    (first..first + length)
                        .step_by(1440)
                        .filter(|&m| offset(m) != offset(m + 1440))
                        .collect()
                })
                .collect()
        });
        all.get(zone).map_or(&[], Vec::as_slice)
    }

    /// 0–3 intervals per weekday at minute resolution, some days empty, never all.
    fn arb_week() -> impl Strategy<Value = [Vec<(u32, u32)>; 7]> {
        proptest::collection::vec(proptest::collection::vec(0u32..=1440, 0..=6), 7).prop_map(
            |days| {
                let mut week: [Vec<(u32, u32)>; 7] = Default::default();
                for (day, mut points) in week.iter_mut().zip(days) {
                    points.sort_unstable();
                    *day = points
                        .chunks_exact(2)
                        .filter(|p| p[0] < p[1])
                        .map(|p| (p[0], p[1]))
                        .collect();
                }
                if week.iter().all(Vec::is_empty) {
                    week[0] = vec![(9 * 60, 17 * 60)];
                }
                week
            },
        )
    }

    #[derive(Debug, Clone)]
    struct Case {
        spec: Spec,
        start: i64,
        /// Two SLA targets (the second: the target changed mid-way), in minutes.
        targets: [i64; 2],
        /// Where `subtract` starts, where `between` ends, where `used` is read.
        end: i64,
        to: i64,
        at: i64,
        pauses: Vec<(i64, Option<i64>)>,
    }

    impl Case {
        fn pauses_utc(&self) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
            self.pauses
                .iter()
                .map(|&(s, e)| (instant(s), e.map(instant)))
                .collect()
        }
    }

    fn arb_case() -> impl Strategy<Value = Case> {
        (
            (
                0..ZONES.len(),
                arb_week(),
                proptest::collection::vec(-7i64..45, 0..=6),
            ),
            (prop::bool::weighted(0.5), any::<u32>(), -20160i64..10080),
            ((0u8..6, any::<u32>()), (0u8..6, any::<u32>())),
            (0i64..43200, -1440i64..57600, -1440i64..57600),
            (
                proptest::collection::vec(
                    (prop_oneof![-4320i64..43200, -1440i64..1440], 0i64..8640),
                    0..=3,
                ),
                prop::bool::weighted(0.3),
            ),
        )
            .prop_map(
                |(
                    (zone, week, holidays),
                    (near_dst, raw, jitter),
                    targets,
                    (end, to, at),
                    (pauses, running),
                )| {
                    let tz = ZONES[zone];
                    let changes = transitions(zone);
                    let start = if near_dst && !changes.is_empty() {
                        changes[raw as usize % changes.len()] + jitter
                    } else {
                        let (first, length) = span();
                        first + i64::from(raw) % length
                    };
                    let day = instant(start).with_timezone(&tz).date_naive();
                    let holidays = holidays
                        .into_iter()
                        .filter_map(|k| day.checked_add_signed(Duration::days(k)))
                        .collect();
                    let spec = Spec { tz, week, holidays };
                    // Up to 60 business hours, and at most three weeks of this calendar
                    // (so that the reference stays fast on sparse calendars).
                    let cap = (3 * spec.weekly_minutes()).min(60 * 60);
                    let target = |(zero, raw): (u8, u32)| {
                        if zero == 0 {
                            0
                        } else {
                            i64::from(raw) % (cap + 1)
                        }
                    };
                    let mut pauses: Vec<(i64, Option<i64>)> = pauses
                        .into_iter()
                        .map(|(offset, length)| (start + offset, Some(start + offset + length)))
                        .collect();
                    if let (true, Some(last)) = (running, pauses.last_mut()) {
                        last.1 = None;
                    }
                    Case {
                        spec,
                        start,
                        targets: [target(targets.0), target(targets.1)],
                        end: start + end,
                        to: start + to,
                        at: start + at,
                        pauses,
                    }
                },
            )
    }

    /// `cases` cases; a failure's shrinking is cut short so that a failing run stays short.
    fn config(cases: u32) -> ProptestConfig {
        ProptestConfig {
            cases,
            max_shrink_iters: 2000,
            max_shrink_time: 30_000,
            ..ProptestConfig::default()
        }
    }

    /// A random calendar at second resolution, and instants with nanoseconds.
    fn arb_fine() -> impl Strategy<Value = (Calendar, [DateTime<Utc>; 3], Duration)> {
        (
            0..ZONES.len(),
            proptest::collection::vec(proptest::collection::vec(0u32..=86400, 0..=6), 7),
            proptest::collection::vec(0i64..60, 0..=6),
            proptest::collection::vec((0i64..(60 * 86400), 0u32..1_000_000_000), 3),
            (0i64..(60 * 3600), 0u32..1_000_000_000),
        )
            .prop_map(|(zone, days, holidays, instants, (seconds, nanos))| {
                let base = minute_of(local_in(ZONES[zone], 2018, 10, 1, 0, 0)) * 60;
                let second = |s: u32| {
                    NaiveTime::from_num_seconds_from_midnight_opt(s % 86400, 0).unwrap_or_default()
                };
                let mut week: [Day; 7] = Default::default();
                for (day, mut points) in week.iter_mut().zip(days) {
                    points.sort_unstable();
                    *day = points
                        .chunks_exact(2)
                        .filter(|p| p[0] < p[1])
                        .map(|p| (second(p[0]), second(p[1])))
                        .collect();
                }
                if week.iter().all(Vec::is_empty) {
                    week[2] = vec![(hm(10, 0), hm(11, 0))];
                }
                let day = DateTime::from_timestamp(base, 0)
                    .unwrap_or_default()
                    .date_naive();
                let holidays = holidays.into_iter().map(|k| day + Duration::days(k));
                let calendar = Calendar::new(ZONES[zone], week, holidays)
                    .unwrap_or_else(|_| Calendar::standard(ZONES[zone]));
                let mut instants = instants
                    .into_iter()
                    .map(|(s, n)| DateTime::from_timestamp(base + s, n).unwrap_or_default());
                let mut three = [(); 3].map(|_| instants.next().unwrap_or_default());
                three.sort();
                let business = Duration::seconds(seconds) + Duration::nanoseconds(nanos.into());
                (calendar, three, business)
            })
    }

    proptest! {
        #![proptest_config(config(128))]

        #[test]
        fn calendar_agrees_with_counting_minutes(case in arb_case()) {
            let calendar = case.spec.calendar();
            prop_assert!(calendar.is_ok(), "{calendar:?}");
            let Ok(calendar) = calendar else { return Ok(()) };
            let mut oracle = Oracle::new(&case.spec, case.start);
            let minutes = Duration::minutes;
            for m in [case.start, case.end, case.to] {
                prop_assert_eq!(calendar.is_business(instant(m)), oracle.business(m));
            }
            for target in case.targets {
                prop_assert_eq!(
                    calendar.add(instant(case.start), minutes(target)),
                    Some(instant(oracle.add(case.start, target)))
                );
                prop_assert_eq!(
                    calendar.subtract(instant(case.end), minutes(target)),
                    Some(instant(oracle.subtract(case.end, target)))
                );
            }
            prop_assert_eq!(
                calendar.between(instant(case.start), instant(case.to)),
                minutes(oracle.between(case.start, case.to))
            );
        }

        #[test]
        fn clock_agrees_with_counting_minutes(case in arb_case()) {
            let calendar = case.spec.calendar();
            prop_assert!(calendar.is_ok(), "{calendar:?}");
            let Ok(calendar) = calendar else { return Ok(()) };
            let mut oracle = Oracle::new(&case.spec, case.start);
            let pauses = case.pauses_utc();
            let clock = Clock { calendar: &calendar, opened: instant(case.start), pauses: &pauses };
            prop_assert_eq!(
                clock.used(instant(case.at)),
                Duration::minutes(oracle.used(case.start, &case.pauses, case.at))
            );
            // The SLA's target, then a new target with the same pauses.
            for target in case.targets {
                let reached = oracle.reach(case.start, &case.pauses, target);
                prop_assert_eq!(clock.reach(Duration::minutes(target)), reached.map(instant));
                if let Some(m) = reached {
                    prop_assert_eq!(clock.used(instant(m)), Duration::minutes(target));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(config(128))]

        /// At nanosecond resolution: `between` adds up, `add` and `subtract` invert it at
        /// the earliest and latest instants, `is_business` matches `between`.
        #[test]
        fn any_instant_is_handled((calendar, [a, b, c], business) in arb_fine()) {
            let ns = Duration::nanoseconds(1);
            prop_assert_eq!(calendar.between(a, c), calendar.between(a, b) + calendar.between(b, c));
            prop_assert_eq!(calendar.between(c, a), Duration::zero());
            for t in [a, b, c] {
                prop_assert_eq!(calendar.is_business(t), !calendar.between(t, t + ns).is_zero());
            }
            let next = calendar.add(a, Duration::zero());
            prop_assert!(next.is_some());
            let next = next.unwrap_or(a);
            prop_assert!(calendar.is_business(next));
            prop_assert_eq!(calendar.between(a, next), Duration::zero());
            prop_assert!(next == a || !calendar.is_business(next - ns));
            if !business.is_zero() {
                let end = calendar.add(a, business);
                prop_assert!(end.is_some());
                let end = end.unwrap_or(a);
                prop_assert_eq!(calendar.between(a, end), business);
                prop_assert!(calendar.between(a, end - ns) < business);
                let back = calendar.subtract(c, business);
                prop_assert!(back.is_some());
                let back = back.unwrap_or(c);
                prop_assert_eq!(calendar.between(back, c), business);
                prop_assert!(calendar.between(back + ns, c) < business);
            }
            prop_assert_eq!(calendar.subtract(b, Duration::zero()), Some(b));
        }

        /// The old free functions are the standard calendar.
        #[test]
        fn wrappers_are_the_standard_calendar(
            zone in 0..ZONES.len(),
            from in 0i64..(11 * 365 * 1440),
            length in -1440i64..(30 * 1440),
            hours in 0u32..80,
        ) {
            let tz = ZONES[zone];
            let standard = Calendar::standard(tz);
            let from = instant(span().0 + from);
            let to = from + Duration::minutes(length);
            let business = Duration::hours(hours.into());
            prop_assert_eq!(deadline(from, hours, tz), standard.add(from, business));
            prop_assert_eq!(add(from, business, tz), standard.add(from, business));
            prop_assert_eq!(subtract(to, business, tz), standard.subtract(to, business));
            prop_assert_eq!(between(from, to, tz), standard.between(from, to));
        }

        #[test]
        fn subtracting_undoes_between(day in 0i64..60, minute in 0i64..(24 * 60), minutes in 1i64..(60 * 60)) {
            // Going back `minutes` of business time from any instant lands where the
            // business time to that instant is exactly `minutes`.
            let end = local(2026, 1, 5, 0, 0) + Duration::days(day) + Duration::minutes(minute);
            let back = subtract(end, Duration::minutes(minutes), SP);
            prop_assert!(back.is_some());
            let back = back.unwrap_or(end);
            prop_assert!(back <= end);
            prop_assert_eq!(between(back, end, SP), Duration::minutes(minutes));
        }

        #[test]
        fn deadline_matches_minute_by_minute_counting(day in 0i64..60, minute in 0i64..(24 * 60), hours in 0u32..60) {
            let office = (8 * 60, 18 * 60);
            let spec = Spec {
                tz: SP,
                week: [vec![office], vec![office], vec![office], vec![office], vec![office], vec![], vec![]],
                holidays: vec![],
            };
            let start = local(2026, 1, 5, 0, 0) + Duration::days(day) + Duration::minutes(minute);
            let mut oracle = Oracle::new(&spec, minute_of(start));
            let expected = instant(oracle.add(minute_of(start), i64::from(hours) * 60));
            prop_assert_eq!(deadline(start, hours, SP), Some(expected));
        }
    }

    // ---------------------------------------------------------------------------------
    // Examples.

    #[test]
    fn examples() {
        // Friday 17:00 + 4 h → Monday 11:00.
        assert_eq!(
            deadline(local(2026, 11, 27, 17, 0), 4, SP),
            Some(local(2026, 11, 30, 11, 0))
        );
        // Saturday → from Monday 08:00.
        assert_eq!(
            deadline(local(2026, 11, 28, 10, 0), 8, SP),
            Some(local(2026, 11, 30, 16, 0))
        );
        // Before opening.
        assert_eq!(
            deadline(local(2026, 11, 30, 6, 30), 1, SP),
            Some(local(2026, 11, 30, 9, 0))
        );
        // Exactly a day's worth ends at closing time.
        assert_eq!(
            deadline(local(2026, 11, 30, 8, 0), 10, SP),
            Some(local(2026, 11, 30, 18, 0))
        );
        assert_eq!(
            deadline(local(2026, 11, 30, 8, 0), 0, SP),
            Some(local(2026, 11, 30, 8, 0))
        );
        // Zero hours from a Saturday: Monday's opening (the next business instant) ...
        assert_eq!(
            deadline(local(2026, 11, 28, 10, 0), 0, SP),
            Some(local(2026, 11, 30, 8, 0))
        );
        // ... but subtracting zero is the identity.
        assert_eq!(
            subtract(local(2026, 11, 28, 10, 0), Duration::zero(), SP),
            Some(local(2026, 11, 28, 10, 0))
        );
        // Subtracting lands on the latest instant: Monday's opening, not Friday's close.
        assert_eq!(
            subtract(local(2026, 11, 30, 9, 0), Duration::hours(1), SP),
            Some(local(2026, 11, 30, 8, 0))
        );
        // Seconds are kept.
        assert_eq!(
            add(
                local(2026, 11, 30, 9, 0) + Duration::seconds(30),
                Duration::hours(9),
                SP
            ),
            Some(local(2026, 12, 1, 8, 0) + Duration::seconds(30))
        );
    }

    #[test]
    fn business_time_between_two_instants() {
        // Friday 17:00 to Monday 11:00: one hour Friday, three Monday.
        assert_eq!(
            between(local(2026, 11, 27, 17, 0), local(2026, 11, 30, 11, 0), SP),
            Duration::hours(4)
        );
        assert_eq!(
            between(local(2026, 11, 30, 11, 0), local(2026, 11, 27, 17, 0), SP),
            Duration::zero()
        );
        // Resuming what was left gives back the same deadline.
        let start = local(2026, 11, 26, 9, 30);
        let end = deadline(start, 13, SP).unwrap_or_default();
        assert_eq!(add(start, between(start, end, SP), SP), Some(end));
    }

    #[test]
    fn calendars_are_checked() {
        let mut week: [Day; 7] = Default::default();
        assert_eq!(
            Calendar::new(SP, week.clone(), []),
            Err(CalendarError::NoBusinessTime)
        );
        week[1] = vec![(hm(10, 0), hm(10, 0))];
        assert!(matches!(
            Calendar::new(SP, week.clone(), []),
            Err(CalendarError::EmptyInterval {
                weekday: Weekday::Tue,
                ..
            })
        ));
        week[1] = vec![(hm(12, 0), hm(11, 0))];
        assert!(matches!(
            Calendar::new(SP, week.clone(), []),
            Err(CalendarError::EmptyInterval { .. })
        ));
        week[1] = vec![(hm(8, 0), hm(12, 0)), (hm(11, 0), hm(14, 0))];
        assert!(matches!(
            Calendar::new(SP, week.clone(), []),
            Err(CalendarError::Unordered {
                weekday: Weekday::Tue,
                ..
            })
        ));
        week[1] = vec![(hm(13, 0), hm(18, 0)), (hm(8, 0), hm(12, 0))];
        assert!(matches!(
            Calendar::new(SP, week.clone(), []),
            Err(CalendarError::Unordered { .. })
        ));
        // Touching intervals are fine, and an end of 00:00 is midnight.
        week[1] = vec![(hm(8, 0), hm(12, 0)), (hm(12, 0), hm(0, 0))];
        let calendar = Calendar::new(SP, week.clone(), []);
        assert!(calendar.is_ok());
        let calendar = calendar.unwrap_or_else(|_| Calendar::standard(SP));
        assert_eq!(
            calendar.between(local(2026, 12, 1, 0, 0), local(2026, 12, 3, 0, 0)),
            Duration::hours(16)
        );
        assert_eq!(calendar.tz(), SP);
        assert_eq!(calendar.week()[1].len(), 2);
    }

    #[test]
    fn daylight_saving_time() {
        let whole_day = |tz| {
            Calendar::new(
                tz,
                [(); 7].map(|_| vec![(NaiveTime::MIN, NaiveTime::MIN)]),
                [],
            )
            .unwrap_or_else(|_| Calendar::standard(tz))
        };
        let ny = chrono_tz::America::New_York;
        let calendar = whole_day(ny);
        // Spring forward: a 23-hour Sunday; fall back: a 25-hour Sunday.
        let day = |m, d| {
            calendar.between(
                local_in(ny, 2026, m, d, 0, 0),
                local_in(ny, 2026, m, d + 1, 0, 0),
            )
        };
        assert_eq!(day(3, 8), Duration::hours(23));
        assert_eq!(day(11, 1), Duration::hours(25));
        assert_eq!(day(11, 2), Duration::hours(24));
        // São Paulo's last DST began at 00:00 on Sunday 2018-11-04 (to 01:00) and ended at
        // 00:00 on Sunday 2019-02-17 (back to 23:00 on Saturday).
        let mut week: [Day; 7] = Default::default();
        week[6] = vec![(hm(0, 0), hm(2, 0))];
        week[5] = vec![(hm(22, 0), hm(0, 0))];
        let calendar = Calendar::new(SP, week, []).unwrap_or_else(|_| Calendar::standard(SP));
        let (saturday, sunday) = (local(2018, 11, 3, 12, 0), local(2018, 11, 4, 12, 0));
        assert_eq!(calendar.between(saturday, sunday), Duration::hours(3));
        assert_eq!(
            calendar.add(saturday, Duration::hours(2)),
            Some(local(2018, 11, 4, 1, 0))
        );
        let (saturday, sunday) = (local(2019, 2, 16, 12, 0), local(2019, 2, 17, 12, 0));
        assert_eq!(calendar.between(saturday, sunday), Duration::hours(5));
        // Lord Howe moves its clocks by 30 minutes: 02:00 → 02:30 on 2026-10-04.
        let lh = chrono_tz::Australia::Lord_Howe;
        let mut week: [Day; 7] = Default::default();
        week[6] = vec![(hm(1, 0), hm(3, 0))];
        let calendar = Calendar::new(lh, week, []).unwrap_or_else(|_| Calendar::standard(lh));
        assert_eq!(
            calendar.between(
                local_in(lh, 2026, 10, 3, 0, 0),
                local_in(lh, 2026, 10, 5, 0, 0)
            ),
            Duration::minutes(90)
        );
        assert!(!calendar.is_business(local_in(lh, 2026, 10, 4, 3, 0)));
    }

    #[test]
    fn searches_are_bounded() {
        // Three whole years of holidays: the search goes past them.
        let first = date(2026, 1, 1);
        let holidays = (0..3 * 366).map(|k| first + Duration::days(k));
        let calendar = Calendar::new(SP, office_week(), holidays.clone())
            .unwrap_or_else(|_| Calendar::standard(SP));
        let last = first + Duration::days(3 * 366 - 1);
        assert_eq!(last, date(2029, 1, 2));
        assert_eq!(
            calendar.add(local(2026, 1, 1, 0, 0), Duration::hours(1)),
            Some(local(2029, 1, 3, 9, 0))
        );
        assert_eq!(
            calendar.subtract(local(2028, 6, 1, 0, 0), Duration::hours(1)),
            Some(local(2025, 12, 31, 17, 0))
        );
        let clock = Clock {
            calendar: &calendar,
            opened: local(2027, 1, 1, 0, 0),
            pauses: &[],
        };
        assert_eq!(clock.reach(Duration::zero()), Some(local(2029, 1, 3, 8, 0)));
        // The ends of chrono's range.
        let standard = Calendar::standard(SP);
        assert_eq!(
            standard.add(
                DateTime::<Utc>::MAX_UTC - Duration::days(3),
                Duration::hours(1000)
            ),
            None
        );
        assert_eq!(
            standard.subtract(
                DateTime::<Utc>::MIN_UTC + Duration::days(3),
                Duration::hours(1000)
            ),
            None
        );
        let end = DateTime::<Utc>::MAX_UTC;
        assert!(standard.between(end - Duration::days(3), end) <= Duration::days(3));
    }

    // ---------------------------------------------------------------------------------
    // Brazilian holidays.

    #[test]
    fn easter_of_known_years() {
        for (year, month, day) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter(year), Some(date(year, month, day)), "{year}");
        }
        assert_eq!(easter(i32::MAX), None);
    }

    fn official(list: &[(u32, u32, &'static str, bool)], year: i32) -> Vec<Holiday> {
        list.iter()
            .map(|&(month, day, name, optional)| Holiday {
                date: date(year, month, day),
                name,
                optional,
            })
            .collect()
    }

    #[test]
    fn brazilian_holidays_of_2026_and_2027() {
        assert_eq!(
            brazil_national(2026),
            official(
                &[
                    (1, 1, "Confraternização Universal", false),
                    (2, 16, "Segunda-feira de Carnaval", true),
                    (2, 17, "Terça-feira de Carnaval", true),
                    (4, 3, "Sexta-feira Santa", false),
                    (4, 21, "Tiradentes", false),
                    (5, 1, "Dia do Trabalho", false),
                    (6, 4, "Corpus Christi", true),
                    (9, 7, "Independência do Brasil", false),
                    (10, 12, "Nossa Senhora Aparecida", false),
                    (11, 2, "Finados", false),
                    (11, 15, "Proclamação da República", false),
                    (
                        11,
                        20,
                        "Dia Nacional de Zumbi e da Consciência Negra",
                        false
                    ),
                    (12, 25, "Natal", false),
                ],
                2026
            )
        );
        assert_eq!(
            brazil_national(2027),
            official(
                &[
                    (1, 1, "Confraternização Universal", false),
                    (2, 8, "Segunda-feira de Carnaval", true),
                    (2, 9, "Terça-feira de Carnaval", true),
                    (3, 26, "Sexta-feira Santa", false),
                    (4, 21, "Tiradentes", false),
                    (5, 1, "Dia do Trabalho", false),
                    (5, 27, "Corpus Christi", true),
                    (9, 7, "Independência do Brasil", false),
                    (10, 12, "Nossa Senhora Aparecida", false),
                    (11, 2, "Finados", false),
                    (11, 15, "Proclamação da República", false),
                    (
                        11,
                        20,
                        "Dia Nacional de Zumbi e da Consciência Negra",
                        false
                    ),
                    (12, 25, "Natal", false),
                ],
                2027
            )
        );
    }

    #[test]
    fn zumbi_from_2024_on() {
        let zumbi = |year| {
            brazil_national(year)
                .iter()
                .any(|h| h.date == date(year, 11, 20) && !h.optional)
        };
        assert!(!zumbi(2023));
        assert!(zumbi(2024));
        assert!(zumbi(2030));
        assert_eq!(brazil_national(2023).len(), 12);
        // Sorted, Good Friday and Tiradentes on one day in 2000.
        let y2000 = brazil_national(2000);
        assert!(y2000.windows(2).all(|w| w[0].date <= w[1].date));
        assert_eq!(
            y2000.iter().filter(|h| h.date == date(2000, 4, 21)).count(),
            2
        );
    }

    #[test]
    fn deadlines_on_the_brazilian_calendar() {
        let calendar = Calendar::brazil_default(2026..=2027, false);
        let hours = Duration::hours;
        assert_eq!(calendar.tz(), SP);
        // Thursday 17:00 + 4 h: Good Friday and the weekend skipped.
        assert_eq!(
            calendar.add(local(2026, 4, 2, 17, 0), hours(4)),
            Some(local(2026, 4, 6, 11, 0))
        );
        // Christmas (a Friday in 2026).
        assert_eq!(
            calendar.add(local(2026, 12, 24, 16, 0), hours(4)),
            Some(local(2026, 12, 28, 10, 0))
        );
        // New Year (a Friday in 2027).
        assert_eq!(
            calendar.add(local(2026, 12, 31, 15, 0), hours(5)),
            Some(local(2027, 1, 4, 10, 0))
        );
        // Zumbi (a Friday in 2026).
        assert_eq!(
            calendar.add(local(2026, 11, 19, 17, 0), hours(2)),
            Some(local(2026, 11, 23, 9, 0))
        );
        assert_eq!(
            calendar.between(local(2026, 11, 19, 17, 0), local(2026, 11, 23, 9, 0)),
            hours(2)
        );
        assert_eq!(
            calendar.subtract(local(2026, 4, 6, 11, 0), hours(4)),
            Some(local(2026, 4, 2, 17, 0))
        );
        // Carnaval counts only with the optional points.
        let start = local(2026, 2, 13, 17, 0);
        assert_eq!(
            calendar.add(start, hours(2)),
            Some(local(2026, 2, 16, 9, 0))
        );
        let optional = Calendar::brazil_default(2026..=2027, true);
        assert_eq!(
            optional.add(start, hours(2)),
            Some(local(2026, 2, 18, 9, 0))
        );
        assert!(!calendar.is_business(local(2026, 4, 3, 10, 0)));
        assert!(calendar.is_business(local(2026, 6, 4, 10, 0)));
        assert!(!optional.is_business(local(2026, 6, 4, 10, 0)));
        // Outside the years given there are no holidays.
        assert!(calendar.is_business(local(2028, 4, 21, 10, 0)));
    }

    #[test]
    fn a_paused_clock() {
        let calendar = Calendar::brazil_default(2026..=2027, false);
        // Opened Monday 14:00 with 8 business hours: due Tuesday 12:00 ...
        let opened = local(2026, 11, 30, 14, 0);
        let clock = Clock {
            calendar: &calendar,
            opened,
            pauses: &[],
        };
        assert_eq!(
            clock.reach(Duration::hours(8)),
            Some(local(2026, 12, 1, 12, 0))
        );
        // ... but paused all of Tuesday: due Wednesday 12:00.
        let pauses = [(local(2026, 12, 1, 0, 0), Some(local(2026, 12, 2, 0, 0)))];
        let clock = Clock {
            calendar: &calendar,
            opened,
            pauses: &pauses,
        };
        assert_eq!(
            clock.reach(Duration::hours(8)),
            Some(local(2026, 12, 2, 12, 0))
        );
        assert_eq!(clock.used(local(2026, 12, 2, 9, 0)), Duration::hours(5));
        // A new target of 2 hours is reached on Monday, before the pause.
        assert_eq!(
            clock.reach(Duration::hours(2)),
            Some(local(2026, 11, 30, 16, 0))
        );
        // A pause still running since Tuesday: 4 hours are reached, 8 never.
        let pauses = [(local(2026, 12, 1, 0, 0), None)];
        let clock = Clock {
            calendar: &calendar,
            opened,
            pauses: &pauses,
        };
        assert_eq!(
            clock.reach(Duration::hours(4)),
            Some(local(2026, 11, 30, 18, 0))
        );
        assert_eq!(clock.reach(Duration::hours(8)), None);
        assert_eq!(clock.used(local(2027, 1, 1, 0, 0)), Duration::hours(4));
        // Opened on a Saturday, paused from Monday 00:00 to Tuesday 12:00: zero is reached
        // when the pause ends (not at Monday's opening, inside the pause).
        let pauses = [(local(2026, 11, 30, 0, 0), Some(local(2026, 12, 1, 12, 0)))];
        let clock = Clock {
            calendar: &calendar,
            opened: local(2026, 11, 28, 9, 0),
            pauses: &pauses,
        };
        assert_eq!(
            clock.reach(Duration::zero()),
            Some(local(2026, 12, 1, 12, 0))
        );
        assert_eq!(
            clock.reach(Duration::minutes(1)),
            Some(local(2026, 12, 1, 12, 1))
        );
        // Opened during a pause that started earlier, on a Sunday: zero is the first
        // business instant after the pause.
        let pauses = [
            (local(2026, 11, 29, 8, 0), Some(local(2026, 11, 30, 10, 0))),
            (local(2026, 11, 30, 9, 0), Some(local(2026, 11, 30, 9, 30))),
        ];
        let clock = Clock {
            calendar: &calendar,
            opened: local(2026, 11, 29, 9, 0),
            pauses: &pauses,
        };
        assert_eq!(
            clock.reach(Duration::zero()),
            Some(local(2026, 11, 30, 10, 0))
        );
        assert_eq!(clock.used(local(2026, 11, 30, 11, 0)), Duration::hours(1));
    }
}
