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

/// Whether a class's filing keeps its subsidy, and why (A2§3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingAssessment {
    /// Filed at least 10 working days before the first class day.
    pub filed_on_time: bool,
    /// The last day the class could be filed and keep its subsidy.
    pub latest_filing_date: Option<NaiveDate>,
    /// Working days from the filing date (counted) to the start (not counted); `None` unfiled.
    pub working_days_ahead: Option<u32>,
    pub subsidy_eligible: bool,
    /// Why, in words, naming the clause.
    pub reason: String,
}

/// Assesses a class's filing against the working-day calendar (A2§3.1). An unfiled class is
/// not (yet) eligible; the reason says by when it must be filed.
pub fn assess_filing(
    filed_on: Option<NaiveDate>,
    class_starts_on: NaiveDate,
    calendar: &WorkingCalendar,
) -> FilingAssessment {
    let latest = latest_filing_date(class_starts_on, calendar);
    let latest_text = latest.map_or_else(|| "—".to_string(), |date| date.to_string());
    match filed_on {
        None => FilingAssessment {
            filed_on_time: false,
            latest_filing_date: latest,
            working_days_ahead: None,
            subsidy_eligible: false,
            reason: format!(
                "A2§3.1: not filed yet; file by {latest_text} ({FILING_LEAD_WORKING_DAYS} working days before the start on {class_starts_on}) to keep the subsidy"
            ),
        },
        Some(filed_on) => {
            let ahead = calendar.working_days_between(filed_on, class_starts_on);
            let on_time = ahead >= FILING_LEAD_WORKING_DAYS;
            let reason = if on_time {
                format!(
                    "A2§3.1: filed on {filed_on}, {ahead} working days before the start on {class_starts_on} (at least {FILING_LEAD_WORKING_DAYS} required, latest {latest_text})"
                )
            } else {
                format!(
                    "A2§3.1: filed on {filed_on}, only {ahead} working days before the start on {class_starts_on}; at least {FILING_LEAD_WORKING_DAYS} are required (latest {latest_text}), so the class is not subsidy-eligible"
                )
            };
            FilingAssessment {
                filed_on_time: on_time,
                latest_filing_date: latest,
                working_days_ahead: Some(ahead),
                subsidy_eligible: on_time,
                reason,
            }
        }
    }
}

/// The days a class runs, first and last included (attendance cannot exceed them).
pub fn class_days(starts_on: NaiveDate, ends_on: NaiveDate) -> u32 {
    let days = (ends_on - starts_on).num_days() + 1;
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// Why an enrolment's figures are refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum EnrolmentError {
    #[error("{attended} attended days is more than the {class_days} days the class runs")]
    MoreDaysThanTheClass { attended: u32, class_days: u32 },
    #[error("a trainee who attended no day cannot have completed the class")]
    CompletedWithoutAttendance,
}

/// Checks an enrolment's attendance against its class (A2§3.1: the allowance is per day attended).
pub fn check_attendance(
    attended_days: u32,
    completed: bool,
    class_days: u32,
) -> Result<(), EnrolmentError> {
    if attended_days > class_days {
        return Err(EnrolmentError::MoreDaysThanTheClass {
            attended: attended_days,
            class_days,
        });
    }
    if completed && attended_days == 0 {
        return Err(EnrolmentError::CompletedWithoutAttendance);
    }
    Ok(())
}

/// The living and transport allowance due for a class (A2§3.1): each trainee's attended days
/// × 20 or 50 yuan, exactly; nothing for a class that is not subsidy-eligible. `None` only on
/// overflow.
pub fn class_allowance_due(
    attended_days: &[u32],
    category: ClassHourCategory,
    subsidy_eligible: bool,
) -> Option<Money> {
    if !subsidy_eligible {
        return Some(Money::ZERO);
    }
    let days = attended_days
        .iter()
        .try_fold(0u32, |total, days| total.checked_add(*days))?;
    checked_allowance(1, days, category)
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

    #[test]
    fn a_filing_nine_working_days_ahead_across_a_holiday_is_refused_and_ten_accepted() {
        // A2§3.1: National Day 2026 (1–7 Oct off, Sat 10 Oct worked; 25–27 Sep off, Sun 20 Sep
        // worked); a class starting Monday 12 October.
        let calendar = WorkingCalendar::new(
            (1..=7)
                .map(|d| date(2026, 10, d))
                .chain((25..=27).map(|d| date(2026, 9, d))),
            [date(2026, 9, 20), date(2026, 10, 10)],
        );
        let start = date(2026, 10, 12);
        let ten = assess_filing(Some(date(2026, 9, 21)), start, &calendar);
        assert!(ten.filed_on_time && ten.subsidy_eligible);
        assert_eq!(ten.working_days_ahead, Some(10));
        assert_eq!(ten.latest_filing_date, Some(date(2026, 9, 21)));
        let nine = assess_filing(Some(date(2026, 9, 22)), start, &calendar);
        assert!(!nine.filed_on_time && !nine.subsidy_eligible);
        assert_eq!(nine.working_days_ahead, Some(9));
        assert!(
            nine.reason.contains("only 9 working days"),
            "{}",
            nine.reason
        );
        // Without the make-up Saturday the same filing has only 9 working days.
        let without_makeup = WorkingCalendar::new(
            (1..=7)
                .map(|d| date(2026, 10, d))
                .chain((25..=27).map(|d| date(2026, 9, d))),
            [date(2026, 9, 20)],
        );
        let counted = assess_filing(Some(date(2026, 9, 21)), start, &without_makeup);
        assert_eq!(counted.working_days_ahead, Some(9));
        assert!(!counted.subsidy_eligible);
        // ... and the deadline moves to the make-up Sunday before.
        assert_eq!(counted.latest_filing_date, Some(date(2026, 9, 20)));
    }

    #[test]
    fn an_unfiled_class_is_not_eligible_and_is_told_its_deadline() {
        // A2§3.1
        let calendar = WorkingCalendar::weekends_only();
        let assessment = assess_filing(None, date(2024, 6, 17), &calendar);
        assert!(!assessment.subsidy_eligible && !assessment.filed_on_time);
        assert_eq!(assessment.working_days_ahead, None);
        assert!(
            assessment.reason.contains("2024-06-03"),
            "{}",
            assessment.reason
        );
    }

    #[test]
    fn attendance_fits_the_class() {
        // A2§3.1: the allowance is per day attended.
        assert_eq!(class_days(date(2026, 6, 8), date(2026, 6, 19)), 12);
        assert_eq!(class_days(date(2026, 6, 8), date(2026, 6, 8)), 1);
        assert!(check_attendance(12, true, 12).is_ok());
        assert!(check_attendance(0, false, 12).is_ok());
        assert_eq!(
            check_attendance(13, false, 12),
            Err(EnrolmentError::MoreDaysThanTheClass {
                attended: 13,
                class_days: 12
            })
        );
        assert_eq!(
            check_attendance(0, true, 12),
            Err(EnrolmentError::CompletedWithoutAttendance)
        );
    }

    #[test]
    fn the_allowance_of_a_class_sums_attended_days_at_its_rate() {
        // A2§3.1: 5 + 5 + 4 days at 50 yuan = 700 yuan; at 20 yuan = 280 yuan.
        let days = [5, 5, 4];
        assert_eq!(
            class_allowance_due(&days, ClassHourCategory::FullDay, true).map(|m| m.to_string()),
            Some("700.00".to_string())
        );
        assert_eq!(
            class_allowance_due(&days, ClassHourCategory::PartDay, true).map(|m| m.to_string()),
            Some("280.00".to_string())
        );
        assert_eq!(
            class_allowance_due(&days, ClassHourCategory::FullDay, false),
            Some(Money::ZERO)
        );
        assert_eq!(
            class_allowance_due(&[], ClassHourCategory::FullDay, true),
            Some(Money::ZERO)
        );
        assert_eq!(
            class_allowance_due(&[u32::MAX, 1], ClassHourCategory::FullDay, true),
            None
        );
    }
}
