//! Rule alerts (预警): the rule each alert reports with its clause, owner and severity, the
//! Chinese message, the key that identifies "the same problem", and how a recomputation
//! reconciles the violations found with the alerts still open.
//!
//! Decisions on what the text leaves open:
//! - **One alert per problem**: per household (零就业, A2§1), per person (辍学 A3§2, 家庭医生
//!   A3§3), per person and insurance kind (应保尽保 A3§4), per committee member and month
//!   (走访 A6§2.2), per site and month (town-committee review A6§3.1), per benefit linkage (按期履责履约 A1§2) and per task (A7§1). The
//!   [`dedupe_key`] names the rule and the subject, so a recomputation finds "the same problem"
//!   again and keeps its alert (and the day it was raised).
//! - **Owners** follow the bureau duties of A7§2: HR & social security owns zero-employment
//!   households and **every** insurance gap — the seed's bureau list has no medical-insurance
//!   bureau (医保局) and the default policy lets only HR & social security write the
//!   insurance data, so the unit that can close the gap owns it (health reads insurance data
//!   but owns the family doctors); education owns dropouts, the organization department the
//!   party visits, agriculture the benefit linkages; an overdue task belongs to its one
//!   responsible unit (A7§2), a bureau or a town. A missed town-committee review (A6§3.1) is
//!   the town's own duty: it belongs to the town of the site, and the organization department,
//!   which owns the other party rules, follows it too ([`AlertOwner::TownWithBureau`]).
//! - **Party visits (A6§2.2)** are checked for every month of the year of the last finished
//!   month, January through that month (the running month is not judged before it ends), the
//!   same window as the special assessment: a month missed in September stays an alert after
//!   October has gone by, until a visit is recorded for it or the year's window moves on.
//!   The town committee's monthly review of each occupied site (A6§3.1) is checked over the
//!   same window ([`town_review_window`]).
//! - **Insurance (A3§4)** is checked for the calendar year of today: the enrolment campaign for
//!   a year closes before it starts, so on 1 January the new year's enrolment must be there.
//! - **Resolution.** Alerts are resolved by the data: when a recomputation no longer finds the
//!   violation the alert is closed with [`RESOLVED_BY_DATA_NOTE`]. Only a missed party visit
//!   or a missed town-committee review may also be closed by hand (with a note): a month that
//!   is over cannot be made good by a later record, so the organization department or the town
//!   records how it was dealt with, and the same member (or site) and month is not raised
//!   again.
//! - **Severity**: a zero-employment household and a child out of school are critical (the
//!   floors A2§1 and A3§2 state as "确保"); an overdue task turns critical after
//!   [`OVERDUE_TASK_CRITICAL_AFTER_DAYS`] days; the rest are warnings.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::calendar::YearMonth;
use crate::party::last_finished_month;
use crate::person::FamilyRelation;
use crate::services::{insurance_gaps, InsuranceKind, PersonServiceFacts, RegistrationStatus};

/// The note of an alert closed because the data no longer breaks the rule.
pub const RESOLVED_BY_DATA_NOTE: &str = "数据已更新，规则不再违反";

/// Days past its deadline after which an overdue task is critical.
pub const OVERDUE_TASK_CRITICAL_AFTER_DAYS: i64 = 30;

coded_enum! {
    /// The rules that raise alerts.
    pub enum AlertRule {
        /// A household with labour and nobody employed (A2§1).
        ZeroEmployment => ("zero_employment", "零就业家庭"),
        /// A child of compulsory-school age out of school (A3§2).
        SchoolDropout => ("school_dropout", "义务教育阶段失学辍学"),
        /// An insurance that applies and is missing for this year (A3§4).
        MissingInsurance => ("missing_insurance", "应保未保"),
        /// No valid family-doctor contract (A3§3).
        NoFamilyDoctor => ("no_family_doctor", "未签约家庭医生"),
        /// A site committee member made no visit in a month (A6§2.2).
        MissedPartyVisit => ("missed_party_visit", "班子成员当月未走访"),
        /// The town committee did not review a site's party building in a month (A6§3.1).
        MissedTownReview => ("missed_town_review", "镇党委当月未研判安置点党建"),
        /// A benefit linkage's due payment or service not honoured on time (A1§2).
        OverdueBenefitLinkage => ("overdue_benefit_linkage", "利益联结逾期未兑现"),
        /// A responsibility task past its deadline and not completed (A7§1).
        OverdueTask => ("overdue_task", "责任任务逾期"),
    }
}

coded_enum! {
    /// How urgent an alert is (stored in `alert.severity`).
    pub enum AlertSeverity {
        Info => ("info", "提示"),
        Warning => ("warning", "预警"),
        Critical => ("critical", "严重"),
    }
}

/// Who owns (must act on) the alerts of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertOwner {
    /// A district bureau, by its code (`hrss`, `education` …).
    Bureau(&'static str),
    /// The task's one responsible unit, a bureau or a town (A7§2).
    ResponsibleUnit,
    /// The town of the site concerned, whose duty it is, followed by a district bureau (by
    /// its code) that owns the rule's area.
    TownWithBureau(&'static str),
}

impl AlertRule {
    /// The clause the rule comes from.
    pub fn clause(self) -> &'static str {
        match self {
            AlertRule::ZeroEmployment => "A2§1",
            AlertRule::SchoolDropout => "A3§2",
            AlertRule::MissingInsurance => "A3§4",
            AlertRule::NoFamilyDoctor => "A3§3",
            AlertRule::MissedPartyVisit => "A6§2.2",
            AlertRule::MissedTownReview => "A6§3.1",
            AlertRule::OverdueBenefitLinkage => "A1§2",
            AlertRule::OverdueTask => "A7§1",
        }
    }

    /// The unit that owns the rule's alerts (see the module docs).
    pub fn owner(self) -> AlertOwner {
        match self {
            AlertRule::ZeroEmployment | AlertRule::MissingInsurance => AlertOwner::Bureau("hrss"),
            AlertRule::SchoolDropout => AlertOwner::Bureau("education"),
            AlertRule::NoFamilyDoctor => AlertOwner::Bureau("health"),
            AlertRule::MissedPartyVisit => AlertOwner::Bureau("organization"),
            AlertRule::MissedTownReview => AlertOwner::TownWithBureau("organization"),
            AlertRule::OverdueBenefitLinkage => AlertOwner::Bureau("agriculture"),
            AlertRule::OverdueTask => AlertOwner::ResponsibleUnit,
        }
    }

    /// The severity of a new alert of the rule (an overdue task: see [`overdue_task_severity`]).
    pub fn severity(self) -> AlertSeverity {
        match self {
            AlertRule::ZeroEmployment | AlertRule::SchoolDropout => AlertSeverity::Critical,
            _ => AlertSeverity::Warning,
        }
    }

    /// Whether an open alert of the rule may be closed by hand (only the monthly party duties,
    /// missed visits and missed reviews: a month that is over cannot be made good by the data).
    pub fn resolvable_by_hand(self) -> bool {
        matches!(
            self,
            AlertRule::MissedPartyVisit | AlertRule::MissedTownReview
        )
    }
}

/// The key of "the same problem": the rule, the kind of subject and its id, and a qualifier
/// (the insurance kind, the month) where one subject can break the rule more than once.
pub fn dedupe_key(rule: AlertRule, subject: &str, id: i64, qualifier: Option<&str>) -> String {
    match qualifier {
        Some(qualifier) => format!("{}:{subject}:{id}:{qualifier}", rule.code()),
        None => format!("{}:{subject}:{id}", rule.code()),
    }
}

fn relation_zh(relation: &str) -> &'static str {
    FamilyRelation::from_code(relation)
        .map(FamilyRelation::label_zh)
        .unwrap_or("成员")
}

/// `2026年9月`.
fn month_zh(month: YearMonth) -> String {
    format!("{}年{}月", month.year(), month.month())
}

/// A2§1: the message of a zero-employment household.
pub fn zero_employment_message(household_code: &str, labour: i64) -> String {
    format!("{household_code}户有劳动能力成员{labour}人，无一人就业（零就业家庭），须“一对一”推送岗位直至实现就业")
}

/// A3§2: the message of a child out of school.
pub fn dropout_message(household_code: &str, relation: &str, age: u32) -> String {
    format!(
        "{household_code}户{}（{age}岁）处于义务教育阶段，未在校就读，须劝返复学（不因搬迁而辍学）",
        relation_zh(relation)
    )
}

/// A3§4: the message of a missing insurance.
pub fn missing_insurance_message(
    household_code: &str,
    relation: &str,
    kind: InsuranceKind,
    year: i32,
) -> String {
    format!(
        "{household_code}户{}未参加{year}年度{}（应保尽保）",
        relation_zh(relation),
        kind.label_zh()
    )
}

/// A3§3: the message of a person without a valid family-doctor contract.
pub fn no_family_doctor_message(household_code: &str, relation: &str) -> String {
    format!(
        "{household_code}户{}无有效的家庭医生签约（未签约或已到期）",
        relation_zh(relation)
    )
}

/// The Chinese name of a committee position (`party_committee_member.position`).
pub fn committee_position_zh(position: &str) -> &'static str {
    match position {
        "secretary" => "书记",
        "deputy_secretary" => "副书记",
        "committee_member" => "委员",
        "group_leader" => "党小组组长",
        "instructor" => "党建指导员",
        _ => "班子成员",
    }
}

/// A6§2.2: the message of a month without a visit.
pub fn missed_visit_message(organisation: &str, position: &str, month: YearMonth) -> String {
    format!(
        "{organisation}{}在{}未入户走访搬迁群众（班子成员每月至少走访一次）",
        committee_position_zh(position),
        month_zh(month)
    )
}

/// A6§3.1: the message of a month without a town-committee review of a site.
pub fn missed_review_message(town: &str, site: &str, month: YearMonth) -> String {
    format!(
        "{town}党委（党工委）在{}未研判{site}党建工作（镇（街道）党委每月至少研判一次）",
        month_zh(month)
    )
}

/// A1§2: the message of an overdue benefit linkage.
pub fn overdue_linkage_message(
    entity: &str,
    agreement_no: &str,
    household_code: &str,
    due_on: NaiveDate,
) -> String {
    format!("{entity}与{household_code}户的利益联结协议{agreement_no}应于{due_on}兑现，逾期未兑现（按期履责履约）")
}

/// A7§1: the message of an overdue task.
pub fn overdue_task_message(
    code: &str,
    title: &str,
    deadline: NaiveDate,
    today: NaiveDate,
) -> String {
    format!(
        "责任任务{code}“{title}”期限为{deadline}，已逾期{}天未完成",
        (today - deadline).num_days()
    )
}

/// A7§1: an overdue task is a warning, and critical after
/// [`OVERDUE_TASK_CRITICAL_AFTER_DAYS`] days past its deadline.
pub fn overdue_task_severity(deadline: NaiveDate, today: NaiveDate) -> AlertSeverity {
    if (today - deadline).num_days() > OVERDUE_TASK_CRITICAL_AFTER_DAYS {
        AlertSeverity::Critical
    } else {
        AlertSeverity::Warning
    }
}

/// A6§2.2: the months whose visits are checked on `today`: January through the last finished
/// month, of that month's year; `None` only at the edge of the calendar.
pub fn party_visit_window(today: NaiveDate) -> Option<(YearMonth, YearMonth)> {
    let last = last_finished_month(today)?;
    Some((YearMonth::new(last.year(), 1)?, last))
}

/// A6§3.1: the months whose town-committee reviews are checked on `today`: the same window
/// as the visits ([`party_visit_window`]), January through the last finished month.
pub fn town_review_window(today: NaiveDate) -> Option<(YearMonth, YearMonth)> {
    party_visit_window(today)
}

/// A3§4: the insurances that apply to a person of `age` (in school or not) and are not
/// covered for the year, in the order of [`InsuranceKind::ALL`].
pub fn missing_insurances(
    age: u32,
    in_school: bool,
    basic_medical: bool,
    serious_illness: bool,
    pension: bool,
) -> Vec<InsuranceKind> {
    insurance_gaps(&PersonServiceFacts {
        age,
        in_school,
        completed_compulsory_education: true,
        basic_medical_insured: basic_medical,
        serious_illness_insured: serious_illness,
        pension_insured: pension,
        family_doctor_contract: true,
        registration: RegistrationStatus::Transferred,
    })
}

/// What a recomputation does with the alerts of its scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshPlan {
    /// Indexes into the violations found: new problems to raise (each key once).
    pub raise: Vec<usize>,
    /// Open alerts still violated, with the index of the violation that matches each.
    pub keep: Vec<(i64, usize)>,
    /// Open alerts no longer violated: resolve them.
    pub resolve: Vec<i64>,
}

/// Reconciles the violations found in a scope (by dedupe key) with the open alerts of that
/// scope: a new key is raised, an open key still found is kept (it keeps the day it was
/// raised), an open key no longer found is resolved. A key settled by hand is not raised again.
/// A second open alert with the same key (which the database's unique index prevents) would
/// be resolved.
pub fn plan_refresh(
    found: &[&str],
    open: &[(i64, &str)],
    settled_by_hand: &HashSet<&str>,
) -> RefreshPlan {
    let mut first_found: HashMap<&str, usize> = HashMap::new();
    for (index, key) in found.iter().enumerate() {
        first_found.entry(key).or_insert(index);
    }
    let mut plan = RefreshPlan::default();
    let mut open_keys = HashSet::new();
    for (id, key) in open {
        match first_found.get(key) {
            Some(index) if open_keys.insert(*key) => plan.keep.push((*id, *index)),
            _ => plan.resolve.push(*id),
        }
    }
    for (index, key) in found.iter().enumerate() {
        if first_found.get(key) == Some(&index)
            && !open_keys.contains(key)
            && !settled_by_hand.contains(key)
        {
            plan.raise.push(index);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_rule_names_its_clause_and_owner() {
        // A2§1, A3§2, A3§3, A3§4, A6§2.2, A6§3.1, A1§2, A7§1, A7§2
        let expected = [
            (
                AlertRule::ZeroEmployment,
                "A2§1",
                AlertOwner::Bureau("hrss"),
            ),
            (
                AlertRule::SchoolDropout,
                "A3§2",
                AlertOwner::Bureau("education"),
            ),
            (
                AlertRule::MissingInsurance,
                "A3§4",
                AlertOwner::Bureau("hrss"),
            ),
            (
                AlertRule::NoFamilyDoctor,
                "A3§3",
                AlertOwner::Bureau("health"),
            ),
            (
                AlertRule::MissedPartyVisit,
                "A6§2.2",
                AlertOwner::Bureau("organization"),
            ),
            (
                AlertRule::MissedTownReview,
                "A6§3.1",
                AlertOwner::TownWithBureau("organization"),
            ),
            (
                AlertRule::OverdueBenefitLinkage,
                "A1§2",
                AlertOwner::Bureau("agriculture"),
            ),
            (AlertRule::OverdueTask, "A7§1", AlertOwner::ResponsibleUnit),
        ];
        assert_eq!(expected.len(), AlertRule::ALL.len());
        for (rule, clause, owner) in expected {
            assert_eq!(rule.clause(), clause, "{rule:?}");
            assert_eq!(rule.owner(), owner, "{rule:?}");
        }
    }

    #[test]
    fn rule_and_severity_codes_round_trip() {
        for rule in AlertRule::ALL {
            assert_eq!(AlertRule::from_code(rule.code()), Some(*rule));
            assert!(!rule.label_zh().is_empty());
        }
        for severity in AlertSeverity::ALL {
            assert_eq!(AlertSeverity::from_code(severity.code()), Some(*severity));
        }
    }

    #[test]
    fn only_a_missed_visit_or_review_may_be_closed_by_hand() {
        // A6§2.2, A6§3.1: a month that is over cannot be made good by the data
        let by_hand: Vec<_> = AlertRule::ALL
            .iter()
            .filter(|rule| rule.resolvable_by_hand())
            .collect();
        assert_eq!(
            by_hand,
            vec![&AlertRule::MissedPartyVisit, &AlertRule::MissedTownReview]
        );
    }

    #[test]
    fn town_reviews_are_checked_over_the_window_of_the_visits() {
        // A6§3.1: 每月至少研判一次; the running month is not judged before it ends
        let month = |y, m| YearMonth::new(y, m).unwrap();
        assert_eq!(
            town_review_window(date(2026, 12, 1)),
            Some((month(2026, 1), month(2026, 11)))
        );
        assert_eq!(
            town_review_window(date(2026, 11, 30)),
            Some((month(2026, 1), month(2026, 10)))
        );
        assert_eq!(
            missed_review_message("王家河街道", "王家河幸福居集中安置点", month(2026, 10)),
            "王家河街道党委（党工委）在2026年10月未研判王家河幸福居集中安置点党建工作（镇（街道）党委每月至少研判一次）"
        );
        assert_eq!(
            AlertRule::MissedTownReview.severity(),
            AlertSeverity::Warning
        );
    }

    #[test]
    fn the_floors_of_a2_1_and_a3_2_are_critical() {
        // A2§1 确保零就业家庭动态清零, A3§2 不因搬迁而辍学
        assert_eq!(
            AlertRule::ZeroEmployment.severity(),
            AlertSeverity::Critical
        );
        assert_eq!(AlertRule::SchoolDropout.severity(), AlertSeverity::Critical);
        assert_eq!(AlertRule::NoFamilyDoctor.severity(), AlertSeverity::Warning);
    }

    #[test]
    fn an_overdue_task_turns_critical_after_30_days() {
        // A7§1: tasks carry deadlines
        let deadline = date(2026, 10, 31);
        assert_eq!(
            overdue_task_severity(deadline, date(2026, 11, 1)),
            AlertSeverity::Warning
        );
        assert_eq!(
            overdue_task_severity(deadline, date(2026, 11, 30)),
            AlertSeverity::Warning
        );
        assert_eq!(
            overdue_task_severity(deadline, date(2026, 12, 1)),
            AlertSeverity::Critical
        );
        assert_eq!(
            overdue_task_message("RT-A3-01", "建设", deadline, date(2026, 11, 3)),
            "责任任务RT-A3-01“建设”期限为2026-10-31，已逾期3天未完成"
        );
    }

    #[test]
    fn keys_name_the_rule_the_subject_and_the_qualifier() {
        assert_eq!(
            dedupe_key(AlertRule::ZeroEmployment, "household", 42, None),
            "zero_employment:household:42"
        );
        assert_eq!(
            dedupe_key(AlertRule::MissingInsurance, "person", 7, Some("pension")),
            "missing_insurance:person:7:pension"
        );
    }

    #[test]
    fn visits_are_checked_from_january_through_the_last_finished_month() {
        // A6§2.2: 每月至少走访一次; the running month is not judged before it ends
        let month = |y, m| YearMonth::new(y, m).unwrap();
        assert_eq!(
            party_visit_window(date(2026, 12, 1)),
            Some((month(2026, 1), month(2026, 11)))
        );
        assert_eq!(
            party_visit_window(date(2026, 11, 30)),
            Some((month(2026, 1), month(2026, 10)))
        );
        // In January the whole of last year is still shown; from February only January.
        assert_eq!(
            party_visit_window(date(2027, 1, 31)),
            Some((month(2026, 1), month(2026, 12)))
        );
        assert_eq!(
            party_visit_window(date(2027, 2, 1)),
            Some((month(2027, 1), month(2027, 1)))
        );
    }

    #[test]
    fn insurances_missing_follow_who_they_apply_to() {
        // A3§4: 应保尽保; pension from 16 unless in school
        use InsuranceKind::*;
        assert_eq!(missing_insurances(40, false, true, true, true), vec![]);
        assert_eq!(
            missing_insurances(40, false, false, true, false),
            vec![BasicMedical, Pension]
        );
        assert_eq!(missing_insurances(15, false, true, true, false), vec![]);
        assert_eq!(
            missing_insurances(16, false, true, true, false),
            vec![Pension]
        );
        assert_eq!(missing_insurances(17, true, true, true, false), vec![]);
        assert_eq!(
            missing_insurances(0, false, false, false, false),
            vec![BasicMedical, SeriousIllness]
        );
    }

    #[test]
    fn messages_name_the_household_and_relation_but_no_person() {
        assert_eq!(
            zero_employment_message("HB-004", 2),
            "HB-004户有劳动能力成员2人，无一人就业（零就业家庭），须“一对一”推送岗位直至实现就业"
        );
        assert_eq!(
            missing_insurance_message("HB-017", "spouse", InsuranceKind::Pension, 2026),
            "HB-017户配偶未参加2026年度养老保险（应保尽保）"
        );
        assert!(dropout_message("WJH-001", "child", 13).starts_with("WJH-001户子女（13岁）"));
        assert_eq!(
            no_family_doctor_message("WJH-003", "no_such_relation"),
            "WJH-003户成员无有效的家庭医生签约（未签约或已到期）"
        );
        assert_eq!(
            missed_visit_message(
                "某支部",
                "committee_member",
                YearMonth::new(2026, 9).unwrap()
            ),
            "某支部委员在2026年9月未入户走访搬迁群众（班子成员每月至少走访一次）"
        );
        assert!(
            overdue_linkage_message("合作社", "LJ-1", "WJH-008", date(2026, 10, 31))
                .contains("应于2026-10-31兑现")
        );
    }

    #[test]
    fn a_refresh_raises_new_keeps_found_and_resolves_gone() {
        let found = ["a", "b", "b", "c"];
        let open = [(1, "a"), (2, "x")];
        let plan = plan_refresh(&found, &open, &HashSet::new());
        assert_eq!(plan.keep, vec![(1, 0)]);
        assert_eq!(plan.resolve, vec![2]);
        // "b" found twice is raised once.
        assert_eq!(plan.raise, vec![1, 3]);
    }

    #[test]
    fn a_key_settled_by_hand_is_not_raised_again() {
        // A6§2.2: the month was dealt with by hand
        let settled: HashSet<&str> = ["m"].into_iter().collect();
        let plan = plan_refresh(&["m", "n"], &[], &settled);
        assert_eq!(plan.raise, vec![1]);
    }

    #[test]
    fn a_duplicate_open_key_is_resolved_and_nothing_found_resolves_all() {
        let plan = plan_refresh(&["k"], &[(1, "k"), (2, "k")], &HashSet::new());
        assert_eq!(plan.keep, vec![(1, 0)]);
        assert_eq!(plan.resolve, vec![2]);
        assert!(plan.raise.is_empty());
        let plan = plan_refresh(&[], &[(3, "k")], &HashSet::new());
        assert_eq!(plan.resolve, vec![3]);
    }
}
