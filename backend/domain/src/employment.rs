//! The employment floor of relocated households (A2§1) and the kinds of employment recorded (A2§2).
//!
//! Decision: the floor is met when **any** member is employed, whatever their recorded
//! labour capacity (the text asks that 至少一人实现就业 in a household with labour). A
//! household with no member who has labour is outside the rule, never "zero-employment".

use chrono::NaiveDate;

use crate::person::{EmploymentStatus, LabourCapacity};

coded_enum! {
    /// How a person is employed (A2§1, A2§2).
    pub enum EmploymentType {
        /// 就近就地就业
        Nearby => ("nearby", "就近就业"),
        /// 外出务工
        Migrant => ("migrant", "外出务工"),
        /// 自主创业
        SelfEmployed => ("self_employed", "自主创业"),
        /// 公益岗位 (特设公岗, 城镇公益性岗位)
        PublicWelfarePost => ("public_welfare_post", "公益岗位"),
        /// 社区工厂
        CommunityFactory => ("community_factory", "社区工厂"),
    }
}

/// Whether a household is a zero-employment (零就业) household: at least one member has
/// labour capacity (full or partial) and no member is employed (A2§1). Such a household
/// gets one-to-one job pushes until it is resolved.
pub fn is_zero_employment_household(members: &[(LabourCapacity, EmploymentStatus)]) -> bool {
    let has_labour = members.iter().any(|(capacity, _)| capacity.has_labour());
    let anyone_employed = members
        .iter()
        .any(|(_, status)| *status == EmploymentStatus::Employed);
    has_labour && !anyone_employed
}

/// The number of zero-employment households among `households` (A2§1).
pub fn count_zero_employment_households<H: AsRef<[(LabourCapacity, EmploymentStatus)]>>(
    households: &[H],
) -> usize {
    households
        .iter()
        .filter(|members| is_zero_employment_household(members.as_ref()))
        .count()
}

coded_enum! {
    /// The level of a job database (岗位信息库, A2§1): the district's or a town's.
    pub enum JobPostingLevel {
        District => ("district", "区级岗位信息库"),
        Town => ("town", "镇级岗位信息库"),
    }
}

coded_enum! {
    /// Whether a posting still takes people.
    pub enum JobPostingStatus {
        Open => ("open", "招聘中"),
        Filled => ("filled", "已招满"),
        Closed => ("closed", "已关闭"),
    }
}

coded_enum! {
    /// How a job was pushed to a household (一对一、面对面, A2§1).
    pub enum JobPushMethod {
        FaceToFace => ("face_to_face", "面对面"),
        Phone => ("phone", "电话"),
        Message => ("message", "短信/微信"),
        Visit => ("visit", "入户走访"),
    }
}

coded_enum! {
    /// What came of a job push (A2§1).
    pub enum JobPushOutcome {
        /// 待反馈
        Pending => ("pending", "待反馈"),
        /// 有意向 (accepted the offer, interview arranged)
        Interested => ("interested", "有意向"),
        /// 拒绝
        Declined => ("declined", "拒绝"),
        /// 已录用: the member is employed, which resolves a zero-employment household
        Hired => ("hired", "已录用"),
        /// 未录用
        NotHired => ("not_hired", "未录用"),
    }
}

impl JobPushOutcome {
    /// Declined, hired and not hired are final: a new push is recorded instead.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobPushOutcome::Declined | JobPushOutcome::Hired | JobPushOutcome::NotHired
        )
    }
}

/// Why a job push or an employment spell is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum EmploymentError {
    #[error("the push already ended as {from}; record a new push instead of changing it")]
    OutcomeFinal { from: &'static str },
    #[error("a push cannot go back to pending")]
    BackToPending,
    #[error("the person has no labour capacity; jobs are pushed to members with labour (A2§1)")]
    NoLabourCapacity,
    #[error("a posting with status {status} takes nobody; push an open posting")]
    PostingNotOpen { status: &'static str },
    #[error("{date} is in the future (today is {today}); record facts that have happened")]
    InTheFuture { date: NaiveDate, today: NaiveDate },
    #[error("the end {ends_on} is before the start {starts_on}")]
    EndsBeforeStart {
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    },
}

/// Whether a push's outcome may change from `from` to `to` (A2§1): forwards only, final
/// outcomes stay.
pub fn check_push_outcome_change(
    from: JobPushOutcome,
    to: JobPushOutcome,
) -> Result<(), EmploymentError> {
    if from.is_final() {
        return Err(EmploymentError::OutcomeFinal { from: from.code() });
    }
    if to == JobPushOutcome::Pending {
        return Err(EmploymentError::BackToPending);
    }
    Ok(())
}

/// Whether a job can be pushed to a person of this labour capacity through a posting of this
/// status (A2§1: pushes go to members with labour, from open postings).
pub fn check_push(
    capacity: LabourCapacity,
    posting: JobPostingStatus,
) -> Result<(), EmploymentError> {
    if !capacity.has_labour() {
        return Err(EmploymentError::NoLabourCapacity);
    }
    if posting != JobPostingStatus::Open {
        return Err(EmploymentError::PostingNotOpen {
            status: posting.code(),
        });
    }
    Ok(())
}

/// An employment spell's dates: it has started by `today`, and an end is neither before the
/// start nor in the future. A spell without an end is current.
pub fn check_spell_dates(
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), EmploymentError> {
    if starts_on > today {
        return Err(EmploymentError::InTheFuture {
            date: starts_on,
            today,
        });
    }
    if let Some(ends_on) = ends_on {
        if ends_on < starts_on {
            return Err(EmploymentError::EndsBeforeStart { starts_on, ends_on });
        }
        if ends_on > today {
            return Err(EmploymentError::InTheFuture {
                date: ends_on,
                today,
            });
        }
    }
    Ok(())
}

/// A person's employment status kept consistent with their spells (A2§1–2): employed while a
/// spell is open; when the last one ends, an employed person becomes unemployed; without
/// spells a status recorded by hand (unemployed, not in the labour force) stays.
pub fn employment_status_from_spells(
    current: EmploymentStatus,
    open_spells: usize,
) -> EmploymentStatus {
    if open_spells > 0 {
        EmploymentStatus::Employed
    } else if current == EmploymentStatus::Employed {
        EmploymentStatus::Unemployed
    } else {
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EmploymentStatus::*;
    use LabourCapacity::*;

    #[test]
    fn labour_and_nobody_employed_is_zero_employment() {
        // A2§1
        assert!(is_zero_employment_household(&[(Full, Unemployed)]));
        assert!(is_zero_employment_household(&[
            (Partial, Unemployed),
            (LabourCapacity::None, NotInLabourForce)
        ]));
        assert!(is_zero_employment_household(&[
            (Full, NotInLabourForce),
            (Full, Unemployed)
        ]));
    }

    #[test]
    fn one_employed_member_meets_the_floor() {
        // A2§1: 至少一人实现就业
        assert!(!is_zero_employment_household(&[
            (Full, Employed),
            (Full, Unemployed)
        ]));
        assert!(!is_zero_employment_household(&[(Partial, Employed)]));
        // employed although recorded without labour capacity: the household has income from work
        assert!(!is_zero_employment_household(&[
            (Full, Unemployed),
            (LabourCapacity::None, Employed)
        ]));
    }

    #[test]
    fn a_household_without_labour_is_never_zero_employment() {
        // A2§1: the rule covers households with labour only
        assert!(!is_zero_employment_household(&[]));
        assert!(!is_zero_employment_household(&[(
            LabourCapacity::None,
            NotInLabourForce
        )]));
        assert!(!is_zero_employment_household(&[
            (LabourCapacity::None, Unemployed),
            (LabourCapacity::None, NotInLabourForce)
        ]));
    }

    #[test]
    fn zero_employment_households_are_counted() {
        let households = vec![
            vec![(Full, Unemployed)],
            vec![(Full, Employed)],
            vec![(LabourCapacity::None, NotInLabourForce)],
            vec![(Partial, Unemployed), (Full, Unemployed)],
        ];
        assert_eq!(count_zero_employment_households(&households), 2);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_new_codes_round_trip() {
        for value in JobPushOutcome::ALL {
            assert_eq!(JobPushOutcome::from_code(value.code()), Some(*value));
        }
        for value in JobPushMethod::ALL {
            assert_eq!(JobPushMethod::from_code(value.code()), Some(*value));
        }
        for value in JobPostingLevel::ALL {
            assert_eq!(JobPostingLevel::from_code(value.code()), Some(*value));
        }
        for value in JobPostingStatus::ALL {
            assert_eq!(JobPostingStatus::from_code(value.code()), Some(*value));
        }
        for value in EmploymentType::ALL {
            assert_eq!(EmploymentType::from_code(value.code()), Some(*value));
        }
    }

    #[test]
    fn push_outcomes_move_forwards_and_final_ones_stay() {
        // A2§1
        use JobPushOutcome::*;
        assert!(check_push_outcome_change(Pending, Interested).is_ok());
        assert!(check_push_outcome_change(Pending, Hired).is_ok());
        assert!(check_push_outcome_change(Interested, Declined).is_ok());
        assert!(check_push_outcome_change(Interested, NotHired).is_ok());
        assert_eq!(
            check_push_outcome_change(Interested, Pending),
            Err(EmploymentError::BackToPending)
        );
        for done in [Declined, Hired, NotHired] {
            assert!(check_push_outcome_change(done, Hired).is_err());
        }
    }

    #[test]
    fn jobs_are_pushed_to_labour_from_open_postings() {
        // A2§1
        assert!(check_push(Full, JobPostingStatus::Open).is_ok());
        assert!(check_push(Partial, JobPostingStatus::Open).is_ok());
        assert_eq!(
            check_push(LabourCapacity::None, JobPostingStatus::Open),
            Err(EmploymentError::NoLabourCapacity)
        );
        assert!(check_push(Full, JobPostingStatus::Closed).is_err());
        assert!(check_push(Full, JobPostingStatus::Filled).is_err());
    }

    #[test]
    fn spells_record_the_past_and_end_after_they_start() {
        // A2§1–2
        let today = day(2026, 12, 1);
        assert!(check_spell_dates(today, Option::None, today).is_ok());
        assert!(check_spell_dates(day(2026, 1, 1), Some(day(2026, 1, 1)), today).is_ok());
        assert!(check_spell_dates(day(2026, 1, 1), Some(today), today).is_ok());
        assert!(check_spell_dates(day(2026, 12, 2), Option::None, today).is_err());
        assert!(check_spell_dates(day(2026, 1, 2), Some(day(2026, 1, 1)), today).is_err());
        assert!(check_spell_dates(day(2026, 1, 1), Some(day(2026, 12, 2)), today).is_err());
    }

    #[test]
    fn an_open_spell_makes_a_person_employed_and_the_last_end_unemployed() {
        // A2§1–2
        assert_eq!(employment_status_from_spells(Unemployed, 1), Employed);
        assert_eq!(employment_status_from_spells(NotInLabourForce, 2), Employed);
        assert_eq!(employment_status_from_spells(Employed, 0), Unemployed);
        assert_eq!(employment_status_from_spells(Unemployed, 0), Unemployed);
        assert_eq!(
            employment_status_from_spells(NotInLabourForce, 0),
            NotInLabourForce
        );
    }

    #[test]
    fn a_hire_resolves_a_zero_employment_household() {
        // A2§1: the household stays zero-employment until a member is employed.
        let before = [(Full, Unemployed), (Partial, Unemployed)];
        assert!(is_zero_employment_household(&before));
        let after = [
            (Full, employment_status_from_spells(Unemployed, 1)),
            (Partial, Unemployed),
        ];
        assert!(!is_zero_employment_household(&after));
    }
}
