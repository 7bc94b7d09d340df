//! The responsibility list: one lead leader and one responsible department per task (A7§2), and task status against the deadline (A7§1).
//!
//! Decisions on task status, a pure function of (progress, deadline, today, completion date):
//! - Done when a completion date is recorded, whatever the progress figure; a task at 100 %
//!   without a completion date is still open (someone has to close it).
//! - Overdue from the day after the deadline (the deadline day itself is still on time).
//! - Due soon within [`DUE_SOON_DAYS`] days before the deadline, both ends included
//!   (deadline − 7 through the deadline), whatever the progress.
//! - Otherwise not started at 0 % progress and on track above 0 %.

use chrono::NaiveDate;

/// How many days before its deadline an open task counts as due soon.
pub const DUE_SOON_DAYS: u32 = 7;

coded_enum! {
    /// The part someone plays in a task (A7§2).
    pub enum AssignmentRole {
        /// 牵头领导: exactly one per task
        LeadLeader => ("lead_leader", "牵头领导"),
        /// 责任部门: exactly one per task
        ResponsibleDepartment => ("responsible_department", "责任部门"),
        /// 配合部门: any number
        CooperatingDepartment => ("cooperating_department", "配合部门"),
    }
}

/// One line of a task's assignment list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskAssignment {
    pub role: AssignmentRole,
    /// The leader's or department's name (or id), as shown to users.
    pub assignee: String,
}

/// Why a task's assignment list breaks 责任唯一性 (A7§2).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ResponsibilityError {
    #[error("every assignment needs a leader or department")]
    EmptyAssignee,
    #[error("a task needs exactly one lead leader; none is given (A7§2)")]
    NoLeadLeader,
    #[error("a task has exactly one lead leader, not {}: {} (A7§2); the others can only co-operate", names.len(), names.join(", "))]
    SeveralLeadLeaders { names: Vec<String> },
    #[error("a task needs exactly one responsible department; none is given (A7§2)")]
    NoResponsibleDepartment,
    #[error("a task has exactly one responsible department, not {}: {} (A7§2); the others can only co-operate", names.len(), names.join(", "))]
    SeveralResponsibleDepartments { names: Vec<String> },
    #[error("{name} is the responsible department and cannot also be a co-operating department")]
    ResponsibleAlsoCooperating { name: String },
    #[error("{name} is listed more than once as a co-operating department")]
    DuplicateCooperatingDepartment { name: String },
}

/// Checks a task's assignments (A7§2): exactly one lead leader, exactly one responsible
/// department, any number of distinct co-operating departments other than the responsible one.
pub fn validate_task_assignments(
    assignments: &[TaskAssignment],
) -> Result<(), ResponsibilityError> {
    if assignments.iter().any(|a| a.assignee.trim().is_empty()) {
        return Err(ResponsibilityError::EmptyAssignee);
    }
    let names_in = |role: AssignmentRole| -> Vec<String> {
        assignments
            .iter()
            .filter(|a| a.role == role)
            .map(|a| a.assignee.trim().to_string())
            .collect()
    };
    let leaders = names_in(AssignmentRole::LeadLeader);
    match leaders.len() {
        0 => return Err(ResponsibilityError::NoLeadLeader),
        1 => {}
        _ => return Err(ResponsibilityError::SeveralLeadLeaders { names: leaders }),
    }
    let responsible = names_in(AssignmentRole::ResponsibleDepartment);
    let responsible = match responsible.as_slice() {
        [] => return Err(ResponsibilityError::NoResponsibleDepartment),
        [one] => one.clone(),
        _ => return Err(ResponsibilityError::SeveralResponsibleDepartments { names: responsible }),
    };
    let mut cooperating = std::collections::HashSet::new();
    for name in names_in(AssignmentRole::CooperatingDepartment) {
        if name == responsible {
            return Err(ResponsibilityError::ResponsibleAlsoCooperating { name });
        }
        if !cooperating.insert(name.clone()) {
            return Err(ResponsibilityError::DuplicateCooperatingDepartment { name });
        }
    }
    Ok(())
}

coded_enum! {
    /// Where a task stands against its deadline.
    pub enum TaskStatus {
        NotStarted => ("not_started", "未启动"),
        OnTrack => ("on_track", "推进中"),
        DueSoon => ("due_soon", "临近期限"),
        Overdue => ("overdue", "已逾期"),
        Done => ("done", "已完成"),
    }
}

/// The status of a task on `today` (see the module docs for the rules).
/// `progress_percent` above 100 is read as 100.
pub fn task_status(
    progress_percent: u8,
    deadline: NaiveDate,
    today: NaiveDate,
    completed_on: Option<NaiveDate>,
) -> TaskStatus {
    if completed_on.is_some() {
        return TaskStatus::Done;
    }
    if today > deadline {
        return TaskStatus::Overdue;
    }
    let days_left = (deadline - today).num_days();
    if days_left <= i64::from(DUE_SOON_DAYS) {
        return TaskStatus::DueSoon;
    }
    if progress_percent == 0 {
        TaskStatus::NotStarted
    } else {
        TaskStatus::OnTrack
    }
}

/// Whether a completed task was completed after its deadline.
pub fn completed_late(deadline: NaiveDate, completed_on: NaiveDate) -> bool {
    completed_on > deadline
}

/// Why an extension request is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ExtensionError {
    #[error("the requested deadline {requested} must be after the current deadline {current}")]
    NotLater {
        current: NaiveDate,
        requested: NaiveDate,
    },
    #[error("an extension may move a deadline by at most {MAX_EXTENSION_DAYS} days at a time (current {current}, requested {requested}); ask again later if more time is needed")]
    TooLong {
        current: NaiveDate,
        requested: NaiveDate,
    },
}

/// The longest a single extension may move a deadline: a stage goal of A7§1 is a stage, not an
/// open end; longer delays go back to the responsibility list itself.
pub const MAX_EXTENSION_DAYS: i64 = 183;

/// An extension request moves a deadline later, by at most [`MAX_EXTENSION_DAYS`] (A7§1).
pub fn validate_extension(current: NaiveDate, requested: NaiveDate) -> Result<(), ExtensionError> {
    if requested <= current {
        return Err(ExtensionError::NotLater { current, requested });
    }
    if (requested - current).num_days() > MAX_EXTENSION_DAYS {
        return Err(ExtensionError::TooLong { current, requested });
    }
    Ok(())
}

/// Why a progress report is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ReportError {
    #[error("the percentage complete must be between 0 and 100, not {0}")]
    PercentOutOfRange(i64),
    #[error("a progress report needs a narrative of what was done (1–2000 characters)")]
    NarrativeLength,
    #[error("a report cannot be dated in the future ({reported_on} is after {today})")]
    InTheFuture {
        reported_on: NaiveDate,
        today: NaiveDate,
    },
}

/// A progress report as the responsible unit files it: the percentage, what was done, the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    pub percent_complete: u8,
    pub narrative: String,
    pub reported_on: NaiveDate,
}

impl ProgressReport {
    pub fn parse(
        percent_complete: i64,
        narrative: &str,
        reported_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<ProgressReport, ReportError> {
        let percent = u8::try_from(percent_complete)
            .ok()
            .filter(|percent| *percent <= 100)
            .ok_or(ReportError::PercentOutOfRange(percent_complete))?;
        let narrative = narrative.trim();
        let length = narrative.chars().count();
        if length == 0 || length > 2000 {
            return Err(ReportError::NarrativeLength);
        }
        if reported_on > today {
            return Err(ReportError::InTheFuture { reported_on, today });
        }
        Ok(ProgressReport {
            percent_complete: percent,
            narrative: narrative.to_string(),
            reported_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentRole::*;

    fn assign(role: AssignmentRole, who: &str) -> TaskAssignment {
        TaskAssignment {
            role,
            assignee: who.to_string(),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn one_leader_one_department_and_cooperators_is_valid() {
        // A7§2: 一项任务一名领导牵头、一个部门负责
        let list = [
            assign(LeadLeader, "副区长"),
            assign(ResponsibleDepartment, "区人力资源和社会保障局"),
            assign(CooperatingDepartment, "区财政局"),
            assign(CooperatingDepartment, "黄堡镇"),
        ];
        assert_eq!(validate_task_assignments(&list), Ok(()));
        assert_eq!(validate_task_assignments(&list[..2]), Ok(()));
    }

    #[test]
    fn a_task_without_a_leader_or_department_is_refused() {
        // A7§2
        assert_eq!(
            validate_task_assignments(&[assign(ResponsibleDepartment, "区发展和改革局")]),
            Err(ResponsibilityError::NoLeadLeader)
        );
        assert_eq!(
            validate_task_assignments(&[assign(LeadLeader, "副区长")]),
            Err(ResponsibilityError::NoResponsibleDepartment)
        );
        assert_eq!(
            validate_task_assignments(&[]),
            Err(ResponsibilityError::NoLeadLeader)
        );
    }

    #[test]
    fn two_leaders_or_two_responsible_departments_are_refused_by_name() {
        // A7§2: 责任唯一性
        let error = validate_task_assignments(&[
            assign(LeadLeader, "副区长甲"),
            assign(LeadLeader, "副区长乙"),
            assign(ResponsibleDepartment, "区民政局"),
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "a task has exactly one lead leader, not 2: 副区长甲, 副区长乙 (A7§2); the others can only co-operate"
        );
        assert!(matches!(
            validate_task_assignments(&[
                assign(LeadLeader, "副区长"),
                assign(ResponsibleDepartment, "区民政局"),
                assign(ResponsibleDepartment, "区委组织部"),
            ]),
            Err(ResponsibilityError::SeveralResponsibleDepartments { .. })
        ));
    }

    #[test]
    fn the_responsible_department_cannot_also_cooperate_and_cooperators_are_distinct() {
        // A7§2: others may only co-operate
        assert_eq!(
            validate_task_assignments(&[
                assign(LeadLeader, "副区长"),
                assign(ResponsibleDepartment, "区民政局"),
                assign(CooperatingDepartment, " 区民政局"),
            ]),
            Err(ResponsibilityError::ResponsibleAlsoCooperating {
                name: "区民政局".into()
            })
        );
        assert_eq!(
            validate_task_assignments(&[
                assign(LeadLeader, "副区长"),
                assign(ResponsibleDepartment, "区民政局"),
                assign(CooperatingDepartment, "区财政局"),
                assign(CooperatingDepartment, "区财政局"),
            ]),
            Err(ResponsibilityError::DuplicateCooperatingDepartment {
                name: "区财政局".into()
            })
        );
        assert_eq!(
            validate_task_assignments(&[assign(LeadLeader, " ")]),
            Err(ResponsibilityError::EmptyAssignee)
        );
    }

    #[test]
    fn task_status_follows_the_deadline() {
        // A7§1: stage goals and deadlines
        let deadline = date(2024, 6, 30);
        assert_eq!(
            task_status(0, deadline, date(2024, 6, 1), None),
            TaskStatus::NotStarted
        );
        assert_eq!(
            task_status(40, deadline, date(2024, 6, 1), None),
            TaskStatus::OnTrack
        );
        assert_eq!(
            task_status(40, deadline, date(2024, 6, 22), None),
            TaskStatus::OnTrack
        ); // 8 days left
        assert_eq!(
            task_status(40, deadline, date(2024, 6, 23), None),
            TaskStatus::DueSoon
        ); // 7 days left
        assert_eq!(
            task_status(0, deadline, date(2024, 6, 23), None),
            TaskStatus::DueSoon
        );
        assert_eq!(
            task_status(90, deadline, deadline, None),
            TaskStatus::DueSoon
        ); // deadline day
        assert_eq!(
            task_status(90, deadline, date(2024, 7, 1), None),
            TaskStatus::Overdue
        );
        assert_eq!(
            task_status(100, deadline, date(2024, 7, 1), None),
            TaskStatus::Overdue
        );
    }

    #[test]
    fn a_completion_date_makes_a_task_done_even_if_late() {
        // A7§1
        let deadline = date(2024, 6, 30);
        assert_eq!(
            task_status(100, deadline, date(2024, 8, 1), Some(date(2024, 7, 2))),
            TaskStatus::Done
        );
        assert!(completed_late(deadline, date(2024, 7, 1)));
        assert!(!completed_late(deadline, deadline));
    }

    #[test]
    fn an_extension_must_move_the_deadline_later_by_at_most_183_days() {
        // A7§1: stage goals carry deadlines; an extension moves one, later, within bounds.
        let current = date(2026, 9, 30);
        assert_eq!(
            validate_extension(current, current),
            Err(ExtensionError::NotLater {
                current,
                requested: current
            })
        );
        assert!(validate_extension(current, date(2026, 9, 29)).is_err());
        assert_eq!(validate_extension(current, date(2026, 10, 1)), Ok(()));
        let last = current + chrono::Duration::days(MAX_EXTENSION_DAYS);
        assert_eq!(validate_extension(current, last), Ok(()));
        assert!(matches!(
            validate_extension(current, last + chrono::Duration::days(1)),
            Err(ExtensionError::TooLong { .. })
        ));
    }

    #[test]
    fn a_report_holds_0_to_100_percent_a_narrative_and_no_future_date() {
        let today = date(2026, 12, 1);
        assert!(ProgressReport::parse(0, "启动", today, today).is_ok());
        assert_eq!(
            ProgressReport::parse(100, "  完成 ", today, today)
                .unwrap()
                .narrative,
            "完成"
        );
        assert_eq!(
            ProgressReport::parse(101, "x", today, today),
            Err(ReportError::PercentOutOfRange(101))
        );
        assert_eq!(
            ProgressReport::parse(-1, "x", today, today),
            Err(ReportError::PercentOutOfRange(-1))
        );
        assert_eq!(
            ProgressReport::parse(50, "  ", today, today),
            Err(ReportError::NarrativeLength)
        );
        assert!(ProgressReport::parse(50, &"字".repeat(2000), today, today).is_ok());
        assert_eq!(
            ProgressReport::parse(50, &"字".repeat(2001), today, today),
            Err(ReportError::NarrativeLength)
        );
        assert!(matches!(
            ProgressReport::parse(50, "x", date(2026, 12, 2), today),
            Err(ReportError::InTheFuture { .. })
        ));
    }
}
