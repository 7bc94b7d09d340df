//! Supervision of follow-up support (A7§4): the measures, what they find, and the consequences, from mildest to gravest.

coded_enum! {
    /// How the district offices supervise the work (A7§4).
    pub enum SupervisionMeasure {
        /// 跟踪检查
        TrackingInspection => ("tracking", "跟踪检查"),
        /// 常态暗访
        UnannouncedVisit => ("unannounced", "常态暗访"),
        /// 动态研判
        DynamicReview => ("dynamic_review", "动态研判"),
        /// 常态约谈
        Interview => ("interview", "约谈"),
        /// 排名倒逼
        RankingPressure => ("ranking_pressure", "排名倒逼"),
    }
}

coded_enum! {
    /// The problems supervision acts on (A7§4).
    pub enum SupervisionFinding {
        /// 政策措施落实不力
        PoorImplementation => ("poor_implementation", "政策措施落实不力"),
        /// 工作进度滞后
        ProgressBehind => ("progress_behind", "工作进度滞后"),
        /// 态度消极
        NegativeAttitude => ("negative_attitude", "态度消极"),
    }
}

coded_enum! {
    /// Consequences for those responsible, ordered from mildest to gravest (A7§4).
    pub enum Consequence {
        /// 批评教育
        Criticism => ("criticism", "批评教育"),
        /// 诫勉谈话
        Admonishment => ("admonishment", "诫勉谈话"),
        /// 纪律处分: referred to the discipline authorities, who decide the action
        DisciplinaryReferral => ("disciplinary_referral", "纪律处分"),
    }
}

impl Consequence {
    /// The next graver consequence, `None` after disciplinary referral.
    pub fn escalated(self) -> Option<Consequence> {
        match self {
            Consequence::Criticism => Some(Consequence::Admonishment),
            Consequence::Admonishment => Some(Consequence::DisciplinaryReferral),
            Consequence::DisciplinaryReferral => None,
        }
    }
}

/// A finding is overdue when its rectification deadline has passed and it is neither
/// rectified nor closed (A7§4: 限期整改). Rectified on the deadline day is on time.
pub fn finding_overdue(
    rectification_deadline: chrono::NaiveDate,
    rectified_on: Option<chrono::NaiveDate>,
    closed: bool,
    today: chrono::NaiveDate,
) -> bool {
    if closed {
        return false;
    }
    match rectified_on {
        Some(on) => on > rectification_deadline,
        None => today > rectification_deadline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consequences_escalate_from_criticism_to_disciplinary_referral() {
        // A7§4: 批评教育、诫勉谈话或纪律处分
        assert!(Consequence::Criticism < Consequence::Admonishment);
        assert!(Consequence::Admonishment < Consequence::DisciplinaryReferral);
        assert_eq!(
            Consequence::Criticism.escalated(),
            Some(Consequence::Admonishment)
        );
        assert_eq!(Consequence::DisciplinaryReferral.escalated(), None);
    }

    #[test]
    fn the_five_supervision_measures_of_a7_4_are_all_there() {
        // A7§4: 跟踪检查、常态暗访、动态研判、常态约谈、排名倒逼
        assert_eq!(SupervisionMeasure::ALL.len(), 5);
        assert_eq!(SupervisionMeasure::UnannouncedVisit.label_zh(), "常态暗访");
        assert_eq!(SupervisionFinding::ALL.len(), 3);
    }

    #[test]
    fn a_finding_is_overdue_the_day_after_its_deadline_unless_rectified_or_closed() {
        // A7§4: findings are rectified within a deadline.
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let deadline = day(20);
        assert!(!finding_overdue(deadline, None, false, day(20)));
        assert!(finding_overdue(deadline, None, false, day(21)));
        assert!(!finding_overdue(deadline, Some(day(20)), false, day(28)));
        assert!(finding_overdue(deadline, Some(day(21)), false, day(28)));
        assert!(!finding_overdue(deadline, None, true, day(28)));
    }
}
