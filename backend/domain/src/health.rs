//! Chronic-disease management (A3§3): the conditions of relocated persons and their regular
//! follow-ups. Health conditions are sensitive personal information (PIPL): the rules here
//! decide what may be stored; who may read it, and the audit of every read, are the API's.
//!
//! Decisions:
//! - **Condition codes** are ICD-10 codes as the district's health records use them: a capital
//!   letter, two digits, and optionally a dot with 1–4 more letters or digits (`I10`, `E11`,
//!   `E11.9`, `J44.1`). Lower case is accepted and stored upper case.
//! - **Dates.** A condition is diagnosed and resolved no later than today, resolved on or after
//!   the diagnosis; a resolved condition is no longer under management.
//! - **Follow-ups** happen no later than today; the next one is due strictly after it. A
//!   follow-up is overdue from the day after its next due day.

use chrono::NaiveDate;

coded_enum! {
    /// How a follow-up was made.
    pub enum FollowUpMethod {
        HomeVisit => ("home_visit", "入户随访"),
        Clinic => ("clinic", "门诊随访"),
        Phone => ("phone", "电话随访"),
        Video => ("video", "视频随访"),
    }
}

/// Why a health record is refused; each names the rule broken.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum HealthRuleError {
    #[error("{input:?} is not an ICD-10 code: write a capital letter, two digits and optionally a dot with up to four more, e.g. I10 or E11.9")]
    MalformedConditionCode { input: String },
    #[error("{day} is in the future")]
    InFuture { day: NaiveDate },
    #[error("the condition cannot be resolved on {resolved_on}, before it was diagnosed on {diagnosed_on}")]
    ResolvedBeforeDiagnosis {
        diagnosed_on: NaiveDate,
        resolved_on: NaiveDate,
    },
    #[error("a resolved condition is no longer under management: clear underManagement or the resolution day")]
    ResolvedButManaged,
    #[error(
        "the next follow-up must be due after this one ({followed_up_on}), not on {next_due_on}"
    )]
    NextDueNotAfter {
        followed_up_on: NaiveDate,
        next_due_on: NaiveDate,
    },
}

/// An ICD-10 code of a chronic condition (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConditionCode(String);

impl ConditionCode {
    /// Parses `I10`, `e11.9`, … into the upper-case code.
    pub fn parse(input: &str) -> Result<ConditionCode, HealthRuleError> {
        let code = input.trim().to_ascii_uppercase();
        let malformed = || HealthRuleError::MalformedConditionCode {
            input: input.to_string(),
        };
        let (category, subdivision) = match code.split_once('.') {
            Some((category, subdivision)) => (category, Some(subdivision)),
            None => (code.as_str(), None),
        };
        let mut chars = category.chars();
        let letter = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let digits: Vec<char> = chars.collect();
        if !letter || digits.len() != 2 || !digits.iter().all(char::is_ascii_digit) {
            return Err(malformed());
        }
        if let Some(subdivision) = subdivision {
            let valid = (1..=4).contains(&subdivision.len())
                && subdivision
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            if !valid {
                return Err(malformed());
            }
        }
        Ok(ConditionCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a condition's days and management (see the module docs).
pub fn check_condition(
    diagnosed_on: Option<NaiveDate>,
    resolved_on: Option<NaiveDate>,
    under_management: bool,
    today: NaiveDate,
) -> Result<(), HealthRuleError> {
    for day in [diagnosed_on, resolved_on].into_iter().flatten() {
        if day > today {
            return Err(HealthRuleError::InFuture { day });
        }
    }
    if let (Some(diagnosed_on), Some(resolved_on)) = (diagnosed_on, resolved_on) {
        if resolved_on < diagnosed_on {
            return Err(HealthRuleError::ResolvedBeforeDiagnosis {
                diagnosed_on,
                resolved_on,
            });
        }
    }
    if resolved_on.is_some() && under_management {
        return Err(HealthRuleError::ResolvedButManaged);
    }
    Ok(())
}

/// Checks a follow-up's days: made no later than today, the next one due after it.
pub fn check_follow_up(
    followed_up_on: NaiveDate,
    next_due_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), HealthRuleError> {
    if followed_up_on > today {
        return Err(HealthRuleError::InFuture {
            day: followed_up_on,
        });
    }
    if let Some(next_due_on) = next_due_on {
        if next_due_on <= followed_up_on {
            return Err(HealthRuleError::NextDueNotAfter {
                followed_up_on,
                next_due_on,
            });
        }
    }
    Ok(())
}

/// Whether a follow-up whose next one was due on `next_due_on` is overdue on `today` (from the
/// day after the due day).
pub fn follow_up_overdue(next_due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    next_due_on.is_some_and(|due| due < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn condition_codes_are_icd_10() {
        // A3§3: chronic-disease management keeps the diagnosis
        for (input, stored) in [
            ("I10", "I10"),
            ("e11", "E11"),
            (" E11.9 ", "E11.9"),
            ("J44.1a", "J44.1A"),
            ("C34.9012", "C34.9012"),
        ] {
            assert_eq!(
                ConditionCode::parse(input).unwrap().as_str(),
                stored,
                "{input}"
            );
        }
        for bad in [
            "",
            "I1",
            "I100",
            "10",
            "II0",
            "I10.",
            "I10.12345",
            "I10-1",
            "高血压",
        ] {
            assert!(ConditionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_condition_is_resolved_after_its_diagnosis_and_then_no_longer_managed() {
        // A3§3
        let today = date(2026, 11, 28);
        assert_eq!(check_condition(Some(today), None, true, today), Ok(()));
        assert_eq!(
            check_condition(Some(date(2026, 11, 29)), None, true, today),
            Err(HealthRuleError::InFuture {
                day: date(2026, 11, 29)
            })
        );
        assert_eq!(
            check_condition(Some(today), Some(today), false, today),
            Ok(())
        );
        assert!(matches!(
            check_condition(Some(today), Some(date(2026, 11, 27)), false, today),
            Err(HealthRuleError::ResolvedBeforeDiagnosis { .. })
        ));
        assert_eq!(
            check_condition(None, Some(today), true, today),
            Err(HealthRuleError::ResolvedButManaged)
        );
        assert_eq!(check_condition(None, None, false, today), Ok(()));
    }

    #[test]
    fn the_next_follow_up_is_due_after_this_one_and_overdue_the_day_after() {
        // A3§3: regular follow-ups
        let today = date(2026, 11, 28);
        let day = date(2026, 10, 15);
        assert_eq!(
            check_follow_up(day, Some(date(2026, 10, 16)), today),
            Ok(())
        );
        assert!(check_follow_up(day, Some(day), today).is_err());
        assert_eq!(check_follow_up(today, None, today), Ok(()));
        assert!(check_follow_up(date(2026, 11, 29), None, today).is_err());
        assert!(!follow_up_overdue(Some(today), today));
        assert!(follow_up_overdue(Some(date(2026, 11, 27)), today));
        assert!(!follow_up_overdue(None, today));
    }
}
