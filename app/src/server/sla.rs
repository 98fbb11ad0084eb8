//! SLA deadlines in business hours: Monday to Friday, 08:00 to 18:00 in the instance's
//! time zone. (Holidays and per-SLA calendars come with the SLA management issue.)

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

pub const OPEN: u32 = 8;
pub const CLOSE: u32 = 18;

fn is_business_day(day: Weekday) -> bool {
    !matches!(day, Weekday::Sat | Weekday::Sun)
}

fn at(tz: Tz, date: chrono::NaiveDate, hour: u32) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&date.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?))
        .earliest()
}

/// `start` plus `hours` business hours.
pub fn deadline(start: DateTime<Utc>, hours: u32, tz: Tz) -> Option<DateTime<Utc>> {
    add(start, Duration::hours(hours.into()), tz)
}

/// `start` plus `business` business time (what was left of an SLA when a ticket closed,
/// resumed when it is reopened).
pub fn add(start: DateTime<Utc>, business: Duration, tz: Tz) -> Option<DateTime<Utc>> {
    let mut now = start.with_timezone(&tz);
    let mut remaining = business.max(Duration::zero());
    // Each iteration consumes one business day (or moves to the next); bounded.
    for _ in 0..(remaining.num_hours().max(0) as usize / 10 + 30) * 2 {
        let date = now.date_naive();
        let open = at(tz, date, OPEN)?;
        let close = at(tz, date, CLOSE)?;
        if !is_business_day(date.weekday()) || now >= close {
            now = at(tz, date.succ_opt()?, OPEN)?;
            continue;
        }
        if now < open {
            now = open;
        }
        let available = close - now;
        if remaining <= available {
            return Some((now + remaining).with_timezone(&Utc));
        }
        remaining -= available;
        now = at(tz, date.succ_opt()?, OPEN)?;
    }
    None
}

/// The instant `business` business time before `end` (a deadline already passed when a
/// new, shorter target is applied).
pub fn subtract(end: DateTime<Utc>, business: Duration, tz: Tz) -> Option<DateTime<Utc>> {
    let mut now = end.with_timezone(&tz);
    let mut remaining = business.max(Duration::zero());
    for _ in 0..(remaining.num_hours().max(0) as usize / 10 + 30) * 2 {
        let date = now.date_naive();
        let open = at(tz, date, OPEN)?;
        let close = at(tz, date, CLOSE)?;
        if !is_business_day(date.weekday()) || now <= open {
            now = at(tz, date.pred_opt()?, CLOSE)?;
            continue;
        }
        if now > close {
            now = close;
        }
        let available = now - open;
        if remaining <= available {
            return Some((now - remaining).with_timezone(&Utc));
        }
        remaining -= available;
        now = at(tz, date.pred_opt()?, CLOSE)?;
    }
    None
}

/// Business time between `from` and `to` (zero when `to` is not later).
pub fn between(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> Duration {
    let mut total = Duration::zero();
    if to <= from {
        return total;
    }
    let (from, to) = (from.with_timezone(&tz), to.with_timezone(&tz));
    let mut date = from.date_naive();
    while date <= to.date_naive() {
        if let (true, Some(open), Some(close)) = (
            is_business_day(date.weekday()),
            at(tz, date, OPEN),
            at(tz, date, CLOSE),
        ) {
            let start = open.max(from);
            let end = close.min(to);
            if end > start {
                total += end - start;
            }
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SP: Tz = chrono_tz::America::Sao_Paulo;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        SP.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

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
    }

    /// Counts business minutes one by one: slow, obviously right.
    fn brute_force(start: DateTime<Utc>, hours: u32) -> DateTime<Utc> {
        let mut t = start;
        let mut left = i64::from(hours) * 60;
        let in_hours = |t: DateTime<Utc>| {
            let l = t.with_timezone(&SP);
            is_business_day(l.weekday()) && (OPEN..CLOSE).contains(&l.hour_of_day())
        };
        // Move into business time first (a zero-hour SLA starts at the next opening).
        while !in_hours(t) {
            t += Duration::minutes(1);
            t = t.with_second(0).unwrap_or(t);
        }
        while left > 0 {
            if in_hours(t) {
                left -= 1;
            }
            t += Duration::minutes(1);
        }
        t
    }

    trait HourOfDay {
        fn hour_of_day(&self) -> u32;
    }
    impl HourOfDay for DateTime<Tz> {
        fn hour_of_day(&self) -> u32 {
            chrono::Timelike::hour(self)
        }
    }
    use chrono::Timelike;

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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn subtracting_undoes_between(day in 0i64..60, minute in 0i64..(24 * 60), minutes in 1i64..(60 * 60)) {
            // Going back `minutes` of business time from a business instant lands where
            // the business time to that instant is exactly `minutes`.
            let end = local(2026, 1, 5, 0, 0) + Duration::days(day) + Duration::minutes(minute);
            let back = subtract(end, Duration::minutes(minutes), SP);
            prop_assert!(back.is_some());
            let back = back.unwrap_or(end);
            prop_assert!(back <= end);
            prop_assert_eq!(between(back, end, SP), Duration::minutes(minutes));
        }

        #[test]
        fn matches_minute_by_minute_counting(day in 0i64..60, minute in 0i64..(24 * 60), hours in 1u32..60) {
            let start = local(2026, 1, 5, 0, 0) + Duration::days(day) + Duration::minutes(minute);
            prop_assert_eq!(deadline(start, hours, SP), Some(brute_force(start, hours)));
        }
    }
}
