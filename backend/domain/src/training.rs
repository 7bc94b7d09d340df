//! Skills training: the 10-working-day filing deadline (A2§3.1), the daily allowance (A2§3.1) and the post-training employment rate (A2§3.2).
//!
//! Decisions:
//! - Filing: 开班前10个工作日 is read as "filed no later than the working day that lies 10
//!   working days before the first class day". Equivalently: the working days from the filing
//!   date (included) up to the start date (excluded) are at least 10. With weekends only, a
//!   class starting on a Monday must be filed by the Monday two weeks earlier; filing on that
//!   Tuesday is too late. A filing on or after the start date is never eligible.
//! - Allowance: 按照课时分类给予每人每天20元或50元. The seed names two rates and a split "by
//!   class hours" without the split itself; the system records the category per class:
//!   full-day classes (全日制, at least [`FULL_DAY_CLASS_HOURS`] class hours a day) get 50
//!   yuan, part-day classes get 20 yuan. The 6-hour line is a local assumption, kept in one
//!   constant.
//! - The employment rate is `employed after training / enrolled`, undefined (`None`) for a
//!   class nobody enrolled in, rounded half away from zero to 0.01 % when shown as percent.

use chrono::NaiveDate;

use crate::calendar::WorkingCalendar;
use crate::money::{Money, Ratio};

/// Working days before the first class day by which the plan must be filed (A2§3.1).
pub const FILING_LEAD_WORKING_DAYS: u32 = 10;
/// Class hours a day from which a class counts as full-day (local assumption, see module docs).
pub const FULL_DAY_CLASS_HOURS: u32 = 6;

/// Whether a class whose plan was filed on `filed_on` and which starts on `class_starts_on`
/// qualifies for the training subsidy: filed at least 10 working days ahead (A2§3.1).
pub fn is_filing_subsidy_eligible(
    filed_on: NaiveDate,
    class_starts_on: NaiveDate,
    calendar: &WorkingCalendar,
) -> bool {
    calendar.working_days_between(filed_on, class_starts_on) >= FILING_LEAD_WORKING_DAYS
}

/// The last day on which a class starting on `class_starts_on` can be filed and keep its
/// subsidy (A2§3.1); `None` only at the edge of chrono's range.
pub fn latest_filing_date(
    class_starts_on: NaiveDate,
    calendar: &WorkingCalendar,
) -> Option<NaiveDate> {
    calendar.working_day_before(class_starts_on, FILING_LEAD_WORKING_DAYS)
}

coded_enum! {
    /// The class-hour category that decides the daily living and transport allowance (A2§3.1).
    /// The codes name the daily rate, as stored with each training class.
    pub enum ClassHourCategory {
        /// 全日制: 50 yuan per person per day
        FullDay => ("yuan_50", "全日制"),
        /// 非全日制: 20 yuan per person per day
        PartDay => ("yuan_20", "非全日制"),
    }
}

impl ClassHourCategory {
    /// The category of a class with `class_hours_per_day` class hours a day.
    pub fn from_daily_class_hours(class_hours_per_day: u32) -> ClassHourCategory {
        if class_hours_per_day >= FULL_DAY_CLASS_HOURS {
            ClassHourCategory::FullDay
        } else {
            ClassHourCategory::PartDay
        }
    }

    /// The allowance per person per day: 50 or 20 yuan (A2§3.1).
    pub fn daily_allowance(self) -> Money {
        match self {
            ClassHourCategory::FullDay => Money::from_fen(5_000),
            ClassHourCategory::PartDay => Money::from_fen(2_000),
        }
    }
}

/// The living and transport allowance of a class: persons × days × daily rate (A2§3.1).
/// `None` only if the product overflows (beyond 92 trillion yuan).
pub fn checked_allowance(persons: u32, days: u32, category: ClassHourCategory) -> Option<Money> {
    category
        .daily_allowance()
        .checked_mul(i64::from(persons))?
        .checked_mul(i64::from(days))
}

/// The living and transport allowance of a class: persons × days × daily rate (A2§3.1).
/// Exact for any realistic input; saturates at the largest amount should it overflow.
pub fn allowance(persons: u32, days: u32, category: ClassHourCategory) -> Money {
    checked_allowance(persons, days, category).unwrap_or(Money::from_fen(i64::MAX))
}

/// Why training figures do not add up.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TrainingError {
    #[error(
        "{employed_after} trainees employed after training is more than the {enrolled} enrolled"
    )]
    MoreEmployedThanEnrolled { enrolled: u32, employed_after: u32 },
}

/// The post-training employment rate (A2§3.2): `None` when nobody enrolled.
pub fn post_training_employment_rate(
    enrolled: u32,
    employed_after: u32,
) -> Result<Option<Ratio>, TrainingError> {
    if employed_after > enrolled {
        return Err(TrainingError::MoreEmployedThanEnrolled {
            enrolled,
            employed_after,
        });
    }
    Ok(Ratio::new(u64::from(employed_after), u64::from(enrolled)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Percent;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn filing_ten_working_days_ahead_is_eligible_and_one_day_later_is_not() {
        // A2§3.1: class starts Monday 17 June 2024; the Monday two weeks earlier is the last day.
        let calendar = WorkingCalendar::weekends_only();
        let start = date(2024, 6, 17);
        assert_eq!(latest_filing_date(start, &calendar), Some(date(2024, 6, 3)));
        assert!(is_filing_subsidy_eligible(
            date(2024, 5, 31),
            start,
            &calendar
        ));
        assert!(is_filing_subsidy_eligible(
            date(2024, 6, 1),
            start,
            &calendar
        )); // Saturday before
        assert!(is_filing_subsidy_eligible(
            date(2024, 6, 3),
            start,
            &calendar
        )); // exactly 10
        assert!(!is_filing_subsidy_eligible(
            date(2024, 6, 4),
            start,
            &calendar
        )); // 9
        assert!(!is_filing_subsidy_eligible(start, start, &calendar));
        assert!(!is_filing_subsidy_eligible(
            date(2024, 6, 20),
            start,
            &calendar
        ));
    }

    #[test]
    fn holidays_push_the_filing_deadline_earlier() {
        // A2§3.1: National Day 2024 (1–7 Oct off, 29 Sep and 12 Oct worked); class starts 14 Oct.
        let calendar = WorkingCalendar::new(
            (1..=7).map(|d| date(2024, 10, d)),
            [date(2024, 9, 29), date(2024, 10, 12)],
        );
        let start = date(2024, 10, 14);
        let latest = latest_filing_date(start, &calendar).unwrap();
        // Working days back: 12, 11, 10, 9, 8 Oct, 30, 29, 27, 26, 25 Sep.
        assert_eq!(latest, date(2024, 9, 25));
        assert!(is_filing_subsidy_eligible(latest, start, &calendar));
        assert!(!is_filing_subsidy_eligible(
            date(2024, 9, 26),
            start,
            &calendar
        ));
    }

    #[test]
    fn eligibility_agrees_with_the_latest_filing_date_on_every_day() {
        // A2§3.1: the two readings of the deadline are the same rule.
        let calendar =
            WorkingCalendar::new([date(2024, 5, 1), date(2024, 5, 2)], [date(2024, 5, 11)]);
        let start = date(2024, 5, 20);
        let latest = latest_filing_date(start, &calendar).unwrap();
        let mut filed = date(2024, 4, 1);
        while filed <= start {
            assert_eq!(
                is_filing_subsidy_eligible(filed, start, &calendar),
                filed <= latest,
                "{filed}"
            );
            filed = filed.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_allowance_is_20_or_50_yuan_per_person_per_day() {
        // A2§3.1
        assert_eq!(
            ClassHourCategory::FullDay.daily_allowance(),
            Money::from_fen(5_000)
        );
        assert_eq!(
            ClassHourCategory::PartDay.daily_allowance(),
            Money::from_fen(2_000)
        );
        assert_eq!(
            allowance(30, 15, ClassHourCategory::FullDay).to_string(),
            "22500.00"
        );
        assert_eq!(
            allowance(30, 15, ClassHourCategory::PartDay).to_string(),
            "9000.00"
        );
        assert_eq!(allowance(0, 15, ClassHourCategory::FullDay), Money::ZERO);
        assert_eq!(
            allowance(1, 1, ClassHourCategory::PartDay).to_string(),
            "20.00"
        );
        assert_eq!(
            checked_allowance(u32::MAX, u32::MAX, ClassHourCategory::FullDay),
            None
        );
        assert_eq!(
            allowance(u32::MAX, u32::MAX, ClassHourCategory::FullDay),
            Money::from_fen(i64::MAX)
        );
    }

    #[test]
    fn six_class_hours_a_day_make_a_full_day_class() {
        // A2§3.1 (local assumption on the split)
        assert_eq!(
            ClassHourCategory::from_daily_class_hours(5),
            ClassHourCategory::PartDay
        );
        assert_eq!(
            ClassHourCategory::from_daily_class_hours(6),
            ClassHourCategory::FullDay
        );
        assert_eq!(
            ClassHourCategory::from_daily_class_hours(8),
            ClassHourCategory::FullDay
        );
    }

    #[test]
    fn the_employment_rate_is_exact_and_undefined_without_enrolment() {
        // A2§3.2
        let rate = post_training_employment_rate(3, 2).unwrap().unwrap();
        assert_eq!(rate.to_percent(), Percent::from_basis_points(6_667));
        assert_eq!(post_training_employment_rate(0, 0), Ok(None));
        assert_eq!(
            post_training_employment_rate(40, 40)
                .unwrap()
                .unwrap()
                .to_percent(),
            Percent::ONE_HUNDRED
        );
        assert_eq!(
            post_training_employment_rate(40, 41),
            Err(TrainingError::MoreEmployedThanEnrolled {
                enrolled: 40,
                employed_after: 41
            })
        );
    }
}
