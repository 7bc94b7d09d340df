//! Entrepreneurship support (A2§2.1): entrepreneurship training (创业培训) and guaranteed start-up
//! loans (创业担保贷款) of relocated persons.
//!
//! Decisions on what the text leaves open (it names the two records, no numbers):
//! - **Training.** A course ends on or after the day it starts; only a course that has ended
//!   (its end day is today or earlier) can be completed, and a certificate number is recorded
//!   only for a completed course.
//! - **Loans** move `applied → granted | rejected`, `granted → repaid | overdue`,
//!   `overdue → repaid`; nothing leaves `repaid` or `rejected`. A granted loan has a contract
//!   number, a grant day that is not in the future and a due day strictly after it; a loan is
//!   marked overdue only once its due day has passed; it is repaid on a day between its grant
//!   day and today. The plans set no loan ceiling, so none is enforced here; the principal is
//!   positive and the annual rate is 0–100 % in basis points (the database checks both too).

use chrono::NaiveDate;

/// The highest annual interest rate accepted, in basis points (100 %).
pub const MAX_ANNUAL_RATE_BP: i32 = 10_000;

coded_enum! {
    /// Where a guaranteed start-up loan (创业担保贷款) stands.
    pub enum GuaranteedLoanStatus {
        Applied => ("applied", "已申请"),
        Granted => ("granted", "已放款"),
        Repaid => ("repaid", "已还清"),
        Overdue => ("overdue", "已逾期"),
        Rejected => ("rejected", "未获批"),
    }
}

impl GuaranteedLoanStatus {
    /// Whether a loan in this status may move to `next` (A2§2.1, see the module docs).
    pub fn may_become(self, next: GuaranteedLoanStatus) -> bool {
        use GuaranteedLoanStatus::*;
        matches!(
            (self, next),
            (Applied, Granted)
                | (Applied, Rejected)
                | (Granted, Repaid)
                | (Granted, Overdue)
                | (Overdue, Repaid)
        )
    }
}

/// Why an entrepreneurship record is refused; each names the rule broken.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum EntrepreneurshipRuleError {
    #[error("the course cannot end on {ends_on}, before it starts on {starts_on}")]
    CourseEndsBeforeStart {
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    },
    #[error("only a course that has ended can be completed: give its last day (today or earlier)")]
    CompletedWithoutEnd,
    #[error("the course ends on {ends_on}, after today: it can be completed once it has ended")]
    CompletedBeforeEnd { ends_on: NaiveDate },
    #[error("a certificate number is recorded only for a completed course")]
    CertificateWithoutCompletion,
    #[error("the principal must be more than 0 fen, got {principal_fen}")]
    PrincipalNotPositive { principal_fen: i64 },
    #[error("the annual rate must be 0–10000 basis points (0–100 %), got {rate_bp}")]
    RateOutOfRange { rate_bp: i32 },
    #[error("a {from} loan cannot become {to} (applied → granted or rejected; granted → repaid or overdue; overdue → repaid)")]
    StatusChange {
        from: &'static str,
        to: &'static str,
    },
    #[error(
        "a granted loan needs the contract number, the day it was granted and the day it falls due"
    )]
    GrantIncomplete,
    #[error("the loan cannot fall due on {due_on}: it must be after the day it was granted, {granted_on}")]
    DueNotAfterGrant {
        granted_on: NaiveDate,
        due_on: NaiveDate,
    },
    #[error("{day} is in the future")]
    InFuture { day: NaiveDate },
    #[error("the loan falls due on {due_on}: it is overdue only from the day after")]
    NotYetDue { due_on: NaiveDate },
    #[error("a repaid loan needs the day it was repaid, on or after the day it was granted ({granted_on})")]
    RepaymentDay { granted_on: NaiveDate },
}

/// Checks a course's days (A2§2.1): it ends on or after it starts; a completed course has ended
/// by `today`; a certificate only for a completed course.
pub fn check_training(
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    completed: bool,
    has_certificate: bool,
    today: NaiveDate,
) -> Result<(), EntrepreneurshipRuleError> {
    if let Some(ends_on) = ends_on {
        if ends_on < starts_on {
            return Err(EntrepreneurshipRuleError::CourseEndsBeforeStart { starts_on, ends_on });
        }
    }
    if completed {
        let ends_on = ends_on.ok_or(EntrepreneurshipRuleError::CompletedWithoutEnd)?;
        if ends_on > today {
            return Err(EntrepreneurshipRuleError::CompletedBeforeEnd { ends_on });
        }
    } else if has_certificate {
        return Err(EntrepreneurshipRuleError::CertificateWithoutCompletion);
    }
    Ok(())
}

/// Checks the amounts of a loan application: a positive principal and a rate of 0–100 %.
pub fn check_loan_terms(principal_fen: i64, rate_bp: i32) -> Result<(), EntrepreneurshipRuleError> {
    if principal_fen <= 0 {
        return Err(EntrepreneurshipRuleError::PrincipalNotPositive { principal_fen });
    }
    if !(0..=MAX_ANNUAL_RATE_BP).contains(&rate_bp) {
        return Err(EntrepreneurshipRuleError::RateOutOfRange { rate_bp });
    }
    Ok(())
}

/// The dates and contract of a loan, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanState {
    pub status: GuaranteedLoanStatus,
    pub contract_no: Option<String>,
    pub granted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub repaid_on: Option<NaiveDate>,
}

/// A requested change of a loan's status, with the facts the new status needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanChange {
    pub status: GuaranteedLoanStatus,
    pub contract_no: Option<String>,
    pub granted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub repaid_on: Option<NaiveDate>,
}

/// Moves a loan to a new status on `today` (A2§2.1, see the module docs) and returns the state
/// to store: granting sets the contract and the days, repaying the repayment day; the other
/// facts of the change are ignored.
pub fn advance_loan(
    current: &LoanState,
    change: LoanChange,
    today: NaiveDate,
) -> Result<LoanState, EntrepreneurshipRuleError> {
    use GuaranteedLoanStatus::*;
    if !current.status.may_become(change.status) {
        return Err(EntrepreneurshipRuleError::StatusChange {
            from: current.status.code(),
            to: change.status.code(),
        });
    }
    let mut next = current.clone();
    next.status = change.status;
    match change.status {
        Granted => {
            let (Some(contract_no), Some(granted_on), Some(due_on)) =
                (change.contract_no, change.granted_on, change.due_on)
            else {
                return Err(EntrepreneurshipRuleError::GrantIncomplete);
            };
            if granted_on > today {
                return Err(EntrepreneurshipRuleError::InFuture { day: granted_on });
            }
            if due_on <= granted_on {
                return Err(EntrepreneurshipRuleError::DueNotAfterGrant { granted_on, due_on });
            }
            next.contract_no = Some(contract_no);
            next.granted_on = Some(granted_on);
            next.due_on = Some(due_on);
        }
        Overdue => {
            if let Some(due_on) = current.due_on {
                if due_on >= today {
                    return Err(EntrepreneurshipRuleError::NotYetDue { due_on });
                }
            }
        }
        Repaid => {
            let granted_on = current.granted_on.unwrap_or(NaiveDate::MIN);
            let repaid_on = change
                .repaid_on
                .filter(|day| *day >= granted_on)
                .ok_or(EntrepreneurshipRuleError::RepaymentDay { granted_on })?;
            if repaid_on > today {
                return Err(EntrepreneurshipRuleError::InFuture { day: repaid_on });
            }
            next.repaid_on = Some(repaid_on);
        }
        Applied | Rejected => {}
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use GuaranteedLoanStatus::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn applied() -> LoanState {
        LoanState {
            status: Applied,
            contract_no: None,
            granted_on: None,
            due_on: None,
            repaid_on: None,
        }
    }

    fn change(status: GuaranteedLoanStatus) -> LoanChange {
        LoanChange {
            status,
            contract_no: None,
            granted_on: None,
            due_on: None,
            repaid_on: None,
        }
    }

    #[test]
    fn a_course_is_completed_only_once_it_has_ended() {
        // A2§2.1
        let today = date(2026, 11, 28);
        let starts = date(2026, 11, 3);
        assert_eq!(
            check_training(starts, Some(starts), false, false, today),
            Ok(())
        );
        assert_eq!(
            check_training(starts, Some(date(2026, 11, 2)), false, false, today),
            Err(EntrepreneurshipRuleError::CourseEndsBeforeStart {
                starts_on: starts,
                ends_on: date(2026, 11, 2)
            })
        );
        // Ending today is ended; tomorrow is not yet.
        assert_eq!(
            check_training(starts, Some(today), true, true, today),
            Ok(())
        );
        assert_eq!(
            check_training(starts, Some(date(2026, 11, 29)), true, false, today),
            Err(EntrepreneurshipRuleError::CompletedBeforeEnd {
                ends_on: date(2026, 11, 29)
            })
        );
        assert_eq!(
            check_training(starts, None, true, false, today),
            Err(EntrepreneurshipRuleError::CompletedWithoutEnd)
        );
        assert_eq!(
            check_training(starts, None, false, true, today),
            Err(EntrepreneurshipRuleError::CertificateWithoutCompletion)
        );
    }

    #[test]
    fn loan_terms_need_a_positive_principal_and_a_rate_up_to_100_percent() {
        // A2§2.1
        assert_eq!(check_loan_terms(1, 0), Ok(()));
        assert_eq!(check_loan_terms(10_000_000, 10_000), Ok(()));
        assert!(check_loan_terms(0, 385).is_err());
        assert!(check_loan_terms(-1, 385).is_err());
        assert!(check_loan_terms(1, 10_001).is_err());
        assert!(check_loan_terms(1, -1).is_err());
    }

    #[test]
    fn a_loan_moves_only_forward() {
        // A2§2.1: applied → granted | rejected; granted → repaid | overdue; overdue → repaid
        for (from, to, allowed) in [
            (Applied, Granted, true),
            (Applied, Rejected, true),
            (Applied, Repaid, false),
            (Applied, Overdue, false),
            (Granted, Repaid, true),
            (Granted, Overdue, true),
            (Granted, Rejected, false),
            (Overdue, Repaid, true),
            (Overdue, Granted, false),
            (Repaid, Overdue, false),
            (Rejected, Granted, false),
            (Granted, Granted, false),
        ] {
            assert_eq!(from.may_become(to), allowed, "{from:?} → {to:?}");
        }
    }

    #[test]
    fn granting_needs_a_contract_and_a_due_day_after_the_grant() {
        // A2§2.1
        let today = date(2026, 1, 20);
        let grant = |granted_on, due_on| LoanChange {
            contract_no: Some("DB-2026-001".into()),
            granted_on: Some(granted_on),
            due_on: Some(due_on),
            ..change(Granted)
        };
        let granted = advance_loan(
            &applied(),
            grant(date(2026, 1, 15), date(2028, 1, 14)),
            today,
        )
        .unwrap();
        assert_eq!(granted.status, Granted);
        assert_eq!(granted.contract_no.as_deref(), Some("DB-2026-001"));
        // Due the day after the grant is the earliest; the same day is refused.
        assert!(advance_loan(&applied(), grant(today, date(2026, 1, 21)), today).is_ok());
        assert!(matches!(
            advance_loan(&applied(), grant(today, today), today),
            Err(EntrepreneurshipRuleError::DueNotAfterGrant { .. })
        ));
        assert!(matches!(
            advance_loan(
                &applied(),
                grant(date(2026, 1, 21), date(2027, 1, 1)),
                today
            ),
            Err(EntrepreneurshipRuleError::InFuture { .. })
        ));
        assert_eq!(
            advance_loan(&applied(), change(Granted), today),
            Err(EntrepreneurshipRuleError::GrantIncomplete)
        );
        assert!(matches!(
            advance_loan(&applied(), change(Repaid), today),
            Err(EntrepreneurshipRuleError::StatusChange { .. })
        ));
    }

    #[test]
    fn a_loan_is_overdue_only_after_its_due_day_and_repaid_between_grant_and_today() {
        // A2§2.1
        let granted = LoanState {
            status: Granted,
            contract_no: Some("DB-1".into()),
            granted_on: Some(date(2026, 1, 15)),
            due_on: Some(date(2026, 6, 30)),
            repaid_on: None,
        };
        assert!(matches!(
            advance_loan(&granted, change(Overdue), date(2026, 6, 30)),
            Err(EntrepreneurshipRuleError::NotYetDue { .. })
        ));
        let overdue = advance_loan(&granted, change(Overdue), date(2026, 7, 1)).unwrap();
        assert_eq!(overdue.status, Overdue);
        let repay = |day| LoanChange {
            repaid_on: Some(day),
            ..change(Repaid)
        };
        let today = date(2026, 8, 1);
        assert_eq!(
            advance_loan(&overdue, repay(date(2026, 1, 15)), today)
                .unwrap()
                .repaid_on,
            Some(date(2026, 1, 15))
        );
        assert!(matches!(
            advance_loan(&overdue, repay(date(2026, 1, 14)), today),
            Err(EntrepreneurshipRuleError::RepaymentDay { .. })
        ));
        assert!(matches!(
            advance_loan(&overdue, repay(date(2026, 8, 2)), today),
            Err(EntrepreneurshipRuleError::InFuture { .. })
        ));
        assert!(advance_loan(&overdue, change(Repaid), today).is_err());
    }
}
