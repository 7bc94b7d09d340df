//! Working days (weekends, public holidays, make-up working days) and calendar months.
//!
//! The calendar is data: the State Council publishes the holidays and the make-up working
//! days (调休上班) each year, and whoever builds a [`WorkingCalendar`] loads them. A day is a
//! working day when it is a listed make-up working day, or a Monday–Friday that is not a
//! listed holiday. Intervals are half-open: [`WorkingCalendar::working_days_between`]
//! counts `from` but not `until`.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, Months, NaiveDate, Weekday};

/// A calendar month (`2024-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    /// Always the first day of the month.
    first_day: NaiveDate,
}

impl YearMonth {
    /// `None` unless `month` is 1–12 and the year is within chrono's range.
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first_day| YearMonth { first_day })
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            first_day: date - chrono::Days::new(u64::from(date.day0())),
        }
    }

    pub fn year(self) -> i32 {
        self.first_day.year()
    }

    pub fn month(self) -> u32 {
        self.first_day.month()
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_day
    }

    /// The month after, `None` past chrono's range.
    pub fn next(self) -> Option<YearMonth> {
        self.first_day
            .checked_add_months(Months::new(1))
            .map(|first_day| YearMonth { first_day })
    }

    /// The month before, `None` before chrono's range.
    pub fn previous(self) -> Option<YearMonth> {
        self.first_day
            .checked_sub_months(Months::new(1))
            .map(|first_day| YearMonth { first_day })
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        YearMonth::of(date) == self
    }

    /// The months from `from` through `through`, both included (empty if `from > through`).
    pub fn range_inclusive(from: YearMonth, through: YearMonth) -> Vec<YearMonth> {
        let mut months = Vec::new();
        let mut month = from;
        while month <= through {
            months.push(month);
            match month.next() {
                Some(next) => month = next,
                None => break,
            }
        }
        months
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-{:02}", self.year(), self.month())
    }
}

/// The months from `from` through `through` (both included) in which none of `dates` falls.
/// The basis of every "at least once a month" rule (A6§2.2, A6§3.1).
pub fn months_without_any(
    dates: &[NaiveDate],
    from: YearMonth,
    through: YearMonth,
) -> Vec<YearMonth> {
    let covered: BTreeSet<YearMonth> = dates.iter().map(|date| YearMonth::of(*date)).collect();
    YearMonth::range_inclusive(from, through)
        .into_iter()
        .filter(|month| !covered.contains(month))
        .collect()
}

/// Why a working calendar's data is inconsistent.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("{date} is listed both as a public holiday and as a make-up working day")]
    HolidayAndMakeupWorkday { date: NaiveDate },
}

/// Weekends are rest days, plus listed public holidays, minus listed make-up working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
    makeup_workdays: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    /// A calendar from lists of public holidays and make-up working days. A date in both
    /// lists is a holiday (the conservative reading); use [`WorkingCalendar::try_new`] to
    /// refuse such data instead.
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        makeup_workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> WorkingCalendar {
        let holidays: BTreeSet<NaiveDate> = holidays.into_iter().collect();
        let makeup_workdays = makeup_workdays
            .into_iter()
            .filter(|date| !holidays.contains(date))
            .collect();
        WorkingCalendar {
            holidays,
            makeup_workdays,
        }
    }

    /// Like [`WorkingCalendar::new`] but refuses a date listed both as holiday and make-up working day.
    pub fn try_new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        makeup_workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<WorkingCalendar, CalendarError> {
        let holidays: BTreeSet<NaiveDate> = holidays.into_iter().collect();
        let makeup_workdays: BTreeSet<NaiveDate> = makeup_workdays.into_iter().collect();
        if let Some(date) = holidays.intersection(&makeup_workdays).next() {
            return Err(CalendarError::HolidayAndMakeupWorkday { date: *date });
        }
        Ok(WorkingCalendar {
            holidays,
            makeup_workdays,
        })
    }

    /// A calendar with only weekends as rest days.
    pub fn weekends_only() -> WorkingCalendar {
        WorkingCalendar::default()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            return false;
        }
        if self.makeup_workdays.contains(&date) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The number of working days `d` with `from <= d < until` (0 if `until <= from`).
    pub fn working_days_between(&self, from: NaiveDate, until: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|day| *day < until)
            .filter(|day| self.is_working_day(*day))
            .fold(0, |count, _| count.saturating_add(1))
    }

    /// The working day that is `n` working days before `date`: the latest day `d` such that
    /// `[d, date)` holds `n` working days (`n = 1` is the last working day before `date`).
    /// `None` for `n = 0` or past chrono's range.
    pub fn working_day_before(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return None;
        }
        let mut remaining = n;
        let mut day = date;
        loop {
            day = day.pred_opt()?;
            if self.is_working_day(day) {
                remaining -= 1;
                if remaining == 0 {
                    return Some(day);
                }
            }
        }
    }

    /// The `n`-th working day after `date` (`date` itself not counted). `None` for `n = 0`
    /// or past chrono's range.
    pub fn working_day_after(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return None;
        }
        let mut remaining = n;
        let mut day = date;
        loop {
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                remaining -= 1;
                if remaining == 0 {
                    return Some(day);
                }
            }
        }
    }
}

coded_enum! {
    /// What a listed calendar day is: a public holiday (rest) or a make-up working day (调休上班).
    pub enum CalendarDayKind {
        Holiday => ("holiday", "法定节假日"),
        MakeupWorkday => ("makeup_workday", "调休上班"),
    }
}

/// Why a calendar day cannot be listed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CalendarEntryError {
    #[error("{date} is a {weekday}; a make-up working day replaces a weekend day, so it must be a Saturday or Sunday")]
    MakeupOnWeekday { date: NaiveDate, weekday: Weekday },
}

/// Checks a day an administrator adds to the calendar: a make-up working day must fall on a
/// weekend (a weekday is a working day anyway); a holiday may fall on any day (a holiday
/// period runs over weekends too).
pub fn check_calendar_entry(
    date: NaiveDate,
    kind: CalendarDayKind,
) -> Result<(), CalendarEntryError> {
    let weekday = date.weekday();
    if kind == CalendarDayKind::MakeupWorkday && !matches!(weekday, Weekday::Sat | Weekday::Sun) {
        return Err(CalendarEntryError::MakeupOnWeekday { date, weekday });
    }
    Ok(())
}

impl WorkingCalendar {
    /// A calendar from listed days and their kinds (as stored, one row per day).
    pub fn from_entries(
        entries: impl IntoIterator<Item = (NaiveDate, CalendarDayKind)>,
    ) -> WorkingCalendar {
        let mut holidays = Vec::new();
        let mut makeup_workdays = Vec::new();
        for (date, kind) in entries {
            match kind {
                CalendarDayKind::Holiday => holidays.push(date),
                CalendarDayKind::MakeupWorkday => makeup_workdays.push(date),
            }
        }
        WorkingCalendar::new(holidays, makeup_workdays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// National Day 2024: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
    fn national_day_2024() -> WorkingCalendar {
        WorkingCalendar::new(
            (1..=7).map(|d| date(2024, 10, d)),
            [date(2024, 9, 29), date(2024, 10, 12)],
        )
    }

    #[test]
    fn weekends_rest_and_weekdays_work() {
        let calendar = WorkingCalendar::weekends_only();
        assert!(calendar.is_working_day(date(2024, 6, 7))); // Friday
        assert!(!calendar.is_working_day(date(2024, 6, 8))); // Saturday
        assert!(!calendar.is_working_day(date(2024, 6, 9))); // Sunday
        assert!(calendar.is_working_day(date(2024, 6, 10))); // Monday
    }

    #[test]
    fn holidays_rest_and_makeup_days_work() {
        let calendar = national_day_2024();
        assert!(!calendar.is_working_day(date(2024, 10, 1))); // Tuesday, holiday
        assert!(calendar.is_working_day(date(2024, 9, 29))); // Sunday, make-up day
        assert!(calendar.is_working_day(date(2024, 10, 12))); // Saturday, make-up day
        assert!(!calendar.is_working_day(date(2024, 10, 13))); // ordinary Sunday
    }

    #[test]
    fn a_date_in_both_lists_is_a_holiday_or_refused() {
        let day = date(2024, 10, 1);
        assert!(!WorkingCalendar::new([day], [day]).is_working_day(day));
        assert_eq!(
            WorkingCalendar::try_new([day], [day]),
            Err(CalendarError::HolidayAndMakeupWorkday { date: day })
        );
        assert!(WorkingCalendar::try_new([day], [date(2024, 10, 12)]).is_ok());
    }

    #[test]
    fn working_days_between_counts_the_start_but_not_the_end() {
        let calendar = WorkingCalendar::weekends_only();
        let monday = date(2024, 6, 3);
        assert_eq!(calendar.working_days_between(monday, monday), 0);
        assert_eq!(calendar.working_days_between(monday, date(2024, 6, 4)), 1);
        assert_eq!(calendar.working_days_between(monday, date(2024, 6, 10)), 5);
        assert_eq!(calendar.working_days_between(monday, date(2024, 6, 17)), 10);
        assert_eq!(calendar.working_days_between(date(2024, 6, 17), monday), 0);
    }

    #[test]
    fn working_days_between_skips_holidays() {
        let calendar = national_day_2024();
        // 28 Sep (Sat) .. 14 Oct (Mon): 29 Sep, 30 Sep, 8–11 Oct, 12 Oct = 7 working days.
        assert_eq!(
            calendar.working_days_between(date(2024, 9, 28), date(2024, 10, 14)),
            7
        );
    }

    #[test]
    fn working_day_before_and_after_invert_each_other() {
        let calendar = national_day_2024();
        let start = date(2024, 10, 14);
        let before = calendar.working_day_before(start, 7).unwrap();
        assert_eq!(before, date(2024, 9, 29));
        assert_eq!(calendar.working_days_between(before, start), 7);
        assert_eq!(
            calendar.working_day_after(date(2024, 9, 30), 1),
            Some(date(2024, 10, 8))
        );
        assert_eq!(calendar.working_day_before(start, 0), None);
        assert_eq!(calendar.working_day_after(start, 0), None);
    }

    #[test]
    fn year_months_step_across_years() {
        let december = YearMonth::new(2024, 12).unwrap();
        assert_eq!(december.next(), YearMonth::new(2025, 1));
        assert_eq!(YearMonth::new(2025, 1).unwrap().previous(), Some(december));
        assert_eq!(december.to_string(), "2024-12");
        assert_eq!(YearMonth::of(date(2024, 12, 31)), december);
        assert!(december.contains(date(2024, 12, 1)));
        assert!(!december.contains(date(2025, 1, 1)));
        assert_eq!(YearMonth::new(2024, 13), None);
        assert_eq!(
            YearMonth::range_inclusive(december, december),
            vec![december]
        );
        assert!(YearMonth::range_inclusive(december, YearMonth::new(2024, 11).unwrap()).is_empty());
    }

    #[test]
    fn months_without_any_lists_the_empty_months() {
        let from = YearMonth::new(2024, 11).unwrap();
        let through = YearMonth::new(2025, 2).unwrap();
        let dates = [date(2024, 11, 30), date(2025, 1, 1), date(2025, 1, 31)];
        assert_eq!(
            months_without_any(&dates, from, through),
            vec![
                YearMonth::new(2024, 12).unwrap(),
                YearMonth::new(2025, 2).unwrap()
            ]
        );
    }

    #[test]
    fn make_up_working_days_must_replace_a_weekend_day() {
        // A2§3.1 (the calendar the filing deadline is counted in)
        assert!(check_calendar_entry(date(2026, 10, 10), CalendarDayKind::MakeupWorkday).is_ok()); // Saturday
        assert!(check_calendar_entry(date(2026, 9, 20), CalendarDayKind::MakeupWorkday).is_ok()); // Sunday
        assert_eq!(
            check_calendar_entry(date(2026, 10, 9), CalendarDayKind::MakeupWorkday),
            Err(CalendarEntryError::MakeupOnWeekday {
                date: date(2026, 10, 9),
                weekday: Weekday::Fri
            })
        );
        assert!(check_calendar_entry(date(2026, 10, 3), CalendarDayKind::Holiday).is_ok()); // Saturday
        assert!(check_calendar_entry(date(2026, 10, 1), CalendarDayKind::Holiday).is_ok());
        for kind in CalendarDayKind::ALL {
            assert_eq!(CalendarDayKind::from_code(kind.code()), Some(*kind));
        }
    }

    #[test]
    fn a_calendar_is_built_from_its_stored_days() {
        let calendar = WorkingCalendar::from_entries([
            (date(2024, 10, 1), CalendarDayKind::Holiday),
            (date(2024, 10, 12), CalendarDayKind::MakeupWorkday),
        ]);
        assert!(!calendar.is_working_day(date(2024, 10, 1)));
        assert!(calendar.is_working_day(date(2024, 10, 12)));
        assert!(!calendar.is_working_day(date(2024, 10, 13)));
    }
}
