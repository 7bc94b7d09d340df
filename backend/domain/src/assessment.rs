//! Assessment plans and rankings: follow-up support weighs at least 30 % (A7§4); special-assessment scores are ranked and published.
//!
//! Decisions:
//! - A plan's component weights (two decimals of a percent) must add up to exactly 100.00 %
//!   and each be above zero. The follow-up-support weight is the sum of the components
//!   marked as follow-up support; it must be at least 30.00 % (不低于30%: 30 % itself passes).
//! - Ranking is competition ranking ("1224"): equal scores share the best rank and the
//!   next rank skips as many places as there were ties, so a rank always tells how many
//!   scored strictly better (rank − 1). Higher scores rank first.
//! - Points are hundredths of a point. A computed indicator earns `max × passed ÷ applicable`
//!   rounded half up to 0.01 point; with nothing to count (`applicable = 0`) nobody failed,
//!   so it earns the full points (the explanation says so).
//! - Deductions (扣分) never make points negative (扣完为止). A deduction decided against an
//!   indicator is taken off that indicator's points, floored at 0 — so a deduction can never
//!   eat into points earned elsewhere; a deduction without an indicator is taken off the
//!   special-assessment total, floored at 0.
//! - The special assessment (专项考核) is the indicators of the follow-up-support components
//!   (and any indicator without a component). A unit's normalised special score is its points
//!   ÷ the maximum of the special indicators that apply to it, as a percentage to 0.01 %
//!   (half up). Units are ranked by it within their kind (bureaus among bureaus, towns among
//!   towns); equal percentages to 0.01 % — the figure that is published — are ties.
//! - The weighted composite is Σ component weight × component percentage, to 0.01 %. A
//!   follow-up-support component's percentage is the normalised special score; any other
//!   component's is its own indicators' points ÷ maximum. A manual indicator nobody has
//!   scored counts 0 (未评分) and a component with no applicable indicator counts 0: either
//!   makes the composite *incomplete* — flagged with the reasons, and then only a lower bound.

use chrono::NaiveDate;

use crate::calendar::YearMonth;
use crate::money::Percent;

/// The smallest weight of follow-up support in the poverty-alleviation effectiveness assessment (A7§4).
pub const MIN_FOLLOW_UP_SUPPORT_WEIGHT: Percent = Percent::from_whole(30);

/// One component of an assessment plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentComponent {
    pub name: String,
    pub weight: Percent,
    /// Whether the component assesses relocation follow-up support (易地扶贫搬迁后续扶持).
    pub is_follow_up_support: bool,
}

/// Why an assessment plan is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AssessmentError {
    #[error("an assessment plan needs at least one component")]
    NoComponents,
    #[error("every component needs a name")]
    UnnamedComponent,
    #[error("the component {name:?} appears more than once")]
    DuplicateComponent { name: String },
    #[error("the weight of {name:?} must be more than 0 %, not {weight}")]
    NonPositiveWeight { name: String, weight: Percent },
    #[error("the component weights add up to {total}; they must add up to exactly 100.00%")]
    WeightsDoNotAddUpTo100 { total: Percent },
    #[error("follow-up support weighs {found} of the poverty-alleviation effectiveness assessment; it must weigh at least 30.00% (A7§4)")]
    FollowUpSupportBelowMinimum { found: Percent },
}

/// Checks an assessment plan's weights (A7§4): each above zero, exactly 100 % in all,
/// follow-up support at least 30 %.
pub fn validate_assessment_weights(
    components: &[AssessmentComponent],
) -> Result<(), AssessmentError> {
    if components.is_empty() {
        return Err(AssessmentError::NoComponents);
    }
    let mut names = std::collections::HashSet::new();
    for component in components {
        let name = component.name.trim();
        if name.is_empty() {
            return Err(AssessmentError::UnnamedComponent);
        }
        if !names.insert(name) {
            return Err(AssessmentError::DuplicateComponent {
                name: name.to_string(),
            });
        }
        if component.weight <= Percent::ZERO {
            return Err(AssessmentError::NonPositiveWeight {
                name: name.to_string(),
                weight: component.weight,
            });
        }
    }
    let sum = |only_follow_up: bool| {
        let basis_points: i128 = components
            .iter()
            .filter(|c| !only_follow_up || c.is_follow_up_support)
            .map(|c| i128::from(c.weight.basis_points()))
            .sum();
        Percent::from_basis_points(i64::try_from(basis_points).unwrap_or(i64::MAX))
    };
    let total = sum(false);
    if total != Percent::ONE_HUNDRED {
        return Err(AssessmentError::WeightsDoNotAddUpTo100 { total });
    }
    let follow_up = sum(true);
    if follow_up < MIN_FOLLOW_UP_SUPPORT_WEIGHT {
        return Err(AssessmentError::FollowUpSupportBelowMinimum { found: follow_up });
    }
    Ok(())
}

/// Competition ranks ("1224") of `scores`, in input order; higher scores rank first.
pub fn competition_ranks<T: Ord>(scores: &[T]) -> Vec<u32> {
    scores
        .iter()
        .map(|score| {
            let better = scores.iter().filter(|other| *other > score).count();
            u32::try_from(better + 1).unwrap_or(u32::MAX)
        })
        .collect()
}

/// A ranked entry of a published special assessment (专项考核通报).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked<K, T> {
    pub rank: u32,
    pub key: K,
    pub score: T,
}

/// The entries ordered by rank (ties keep their input order) with competition ranks.
pub fn rank_entries<K: Clone, T: Ord + Clone>(entries: &[(K, T)]) -> Vec<Ranked<K, T>> {
    let scores: Vec<T> = entries.iter().map(|(_, score)| score.clone()).collect();
    let ranks = competition_ranks(&scores);
    let mut ranked: Vec<Ranked<K, T>> = entries
        .iter()
        .zip(ranks)
        .map(|((key, score), rank)| Ranked {
            rank,
            key: key.clone(),
            score: score.clone(),
        })
        .collect();
    ranked.sort_by_key(|entry| entry.rank);
    ranked
}

/// Points of an assessment indicator in hundredths of a point (8.50 points = 850): exact
/// integers, never floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Points {
    hundredths: i64,
}

/// Why a text is not a number of points.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PointsError {
    #[error("the points are empty; write them like 8.50")]
    Empty,
    #[error(
        "{input:?} is not a number of points: use digits with at most 2 decimal places, e.g. 8.50"
    )]
    Malformed { input: String },
    #[error("{input:?} has more than 2 decimal places; points are kept to 0.01")]
    TooManyDecimals { input: String },
    #[error("{input:?} is too large")]
    TooLarge { input: String },
}

impl Points {
    pub const ZERO: Points = Points { hundredths: 0 };

    pub const fn from_hundredths(hundredths: i64) -> Points {
        Points { hundredths }
    }

    pub const fn hundredths(self) -> i64 {
        self.hundredths
    }

    /// Parses non-negative points with at most two decimals: `"8.50"`, `"8.5"`, `"8"`.
    pub fn parse(input: &str) -> Result<Points, PointsError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(PointsError::Empty);
        }
        let malformed = || PointsError::Malformed {
            input: input.to_string(),
        };
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (text, ""),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(malformed());
        }
        if text.contains('.') && fraction.is_empty() {
            return Err(malformed());
        }
        if fraction.len() > 2 {
            return Err(PointsError::TooManyDecimals {
                input: input.to_string(),
            });
        }
        let too_large = || PointsError::TooLarge {
            input: input.to_string(),
        };
        if whole.trim_start_matches('0').len() > 12 {
            return Err(too_large());
        }
        let whole: i64 = whole.parse().map_err(|_| too_large())?;
        let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| malformed())?;
        whole
            .checked_mul(100)
            .and_then(|hundredths| hundredths.checked_add(fraction))
            .map(Points::from_hundredths)
            .ok_or_else(too_large)
    }

    pub fn saturating_add(self, other: Points) -> Points {
        Points::from_hundredths(self.hundredths.saturating_add(other.hundredths))
    }
}

impl std::fmt::Display for Points {
    /// Two decimals: `8.50`.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.hundredths < 0 { "-" } else { "" };
        let magnitude = self.hundredths.unsigned_abs();
        write!(
            formatter,
            "{sign}{}.{:02}",
            magnitude / 100,
            magnitude % 100
        )
    }
}

coded_enum! {
    /// What a computed indicator of the special assessment (专项考核, A7§4) measures, each the
    /// share of records that meet one rule of the seven plans.
    pub enum ComputedRule {
        /// Tasks of the responsibility list completed by their deadline (A7§1).
        OnTimeCompletion => ("on_time_completion", "责任清单任务按期完成"),
        /// Households with labour that have at least one member employed (A2§1).
        ZeroEmploymentResolved => ("zero_employment_resolved", "零就业家庭动态清零"),
        /// Persons enrolled in every insurance that applies to them (A3§4).
        InsuranceCoverage => ("insurance_coverage", "基本医疗、大病、养老保险应保尽保"),
        /// Children of compulsory-school age in school (A3§2).
        SchoolingNoDropouts => ("schooling_no_dropouts", "不因搬迁而辍学"),
        /// Persons with a current family-doctor contract (A3§3).
        FamilyDoctorContracts => ("family_doctor_contracts", "家庭医生签约服务全覆盖"),
        /// Old homesteads reclaimed or restored to green (A5§1).
        HomesteadReclamation => ("homestead_reclamation", "旧宅基地腾退复垦"),
        /// Months in which each site committee member visited relocated residents (A6§2.2).
        MonthlyPartyVisits => ("monthly_party_visits", "党组织班子成员每月走访"),
        /// Trainees employed after their training (A2§3.2).
        PostTrainingEmployment => ("post_training_employment", "培训后就业"),
    }
}

impl ComputedRule {
    /// The clause of DOMAIN.md the rule comes from.
    pub fn clause(self) -> &'static str {
        match self {
            ComputedRule::OnTimeCompletion => "A7§1",
            ComputedRule::ZeroEmploymentResolved => "A2§1",
            ComputedRule::InsuranceCoverage => "A3§4",
            ComputedRule::SchoolingNoDropouts => "A3§2",
            ComputedRule::FamilyDoctorContracts => "A3§3",
            ComputedRule::HomesteadReclamation => "A5§1",
            ComputedRule::MonthlyPartyVisits => "A6§2.2",
            ComputedRule::PostTrainingEmployment => "A2§3.2",
        }
    }

    /// What is counted (the denominator), in Chinese.
    pub fn counted_zh(self) -> &'static str {
        match self {
            ComputedRule::OnTimeCompletion => "截至考核日到期或已完成的责任任务",
            ComputedRule::ZeroEmploymentResolved => "有劳动力的搬迁户",
            ComputedRule::InsuranceCoverage => "搬迁人口",
            ComputedRule::SchoolingNoDropouts => "6—15周岁义务教育阶段搬迁子女",
            ComputedRule::FamilyDoctorContracts => "搬迁人口",
            ComputedRule::HomesteadReclamation => "搬迁户旧宅基地",
            ComputedRule::MonthlyPartyVisits => "安置点党组织班子成员整月在任的已结束月份",
            ComputedRule::PostTrainingEmployment => "考核年度内结业的搬迁人口培训学员",
        }
    }

    /// What a record that passes has achieved (the numerator), in Chinese.
    pub fn passed_zh(self) -> &'static str {
        match self {
            ComputedRule::OnTimeCompletion => "按期完成",
            ComputedRule::ZeroEmploymentResolved => "至少一人就业",
            ComputedRule::InsuranceCoverage => "应保尽保",
            ComputedRule::SchoolingNoDropouts => "在校或已完成义务教育",
            ComputedRule::FamilyDoctorContracts => "已签约家庭医生",
            ComputedRule::HomesteadReclamation => "已复垦或生态复绿",
            ComputedRule::MonthlyPartyVisits => "当月已走访",
            ComputedRule::PostTrainingEmployment => "培训后实现就业",
        }
    }

    /// The measure word of the counted records.
    pub fn unit_zh(self) -> &'static str {
        match self {
            ComputedRule::OnTimeCompletion => "项",
            ComputedRule::ZeroEmploymentResolved => "户",
            ComputedRule::HomesteadReclamation => "宗",
            ComputedRule::MonthlyPartyVisits => "人次·月",
            ComputedRule::InsuranceCoverage
            | ComputedRule::SchoolingNoDropouts
            | ComputedRule::FamilyDoctorContracts
            | ComputedRule::PostTrainingEmployment => "人",
        }
    }
}

/// The points a computed indicator earns: `max × passed ÷ applicable`, rounded half up to
/// 0.01 point (四舍五入), in exact integer arithmetic. With nothing to count
/// (`applicable == 0`) the unit has failed nobody and earns the full points; `passed` above
/// `applicable` is read as `applicable`.
pub fn rate_points(max_hundredths: i64, passed: u64, applicable: u64) -> i64 {
    if applicable == 0 {
        return max_hundredths;
    }
    let passed = passed.min(applicable);
    crate::money::divide_rounded(
        i128::from(max_hundredths) * i128::from(passed),
        i128::from(applicable),
        crate::money::Rounding::HalfAwayFromZero,
    )
    .and_then(|points| i64::try_from(points).ok())
    .unwrap_or(max_hundredths)
}

/// The sentence explaining [`rate_points`] for one unit, with its numbers.
pub fn explain_rate(rule: ComputedRule, max: Points, passed: u64, applicable: u64) -> String {
    if applicable == 0 {
        return format!(
            "无应计对象（{}为0{}），不存在失分，按满分{}分计",
            rule.counted_zh(),
            rule.unit_zh(),
            max
        );
    }
    let points = Points::from_hundredths(rate_points(max.hundredths(), passed, applicable));
    format!(
        "{}{}/{}{}（{}），{} × {} ÷ {} = {}分（四舍五入到0.01分）",
        rule.passed_zh(),
        passed.min(applicable),
        applicable,
        rule.unit_zh(),
        rule.counted_zh(),
        max,
        passed.min(applicable),
        applicable,
        points
    )
}

/// Takes `deduction` off `earned`, never below zero. Returns the points left and the part of
/// the deduction actually taken (扣完为止: a deduction cannot take more than was earned).
pub fn deduct(earned: Points, deduction: Points) -> (Points, Points) {
    let taken = deduction.hundredths().clamp(0, earned.hundredths().max(0));
    (
        Points::from_hundredths(earned.hundredths() - taken),
        Points::from_hundredths(taken),
    )
}

/// `points ÷ max` as a percentage rounded half up to 0.01 %; `None` when `max` is zero.
pub fn normalised_percent(points: Points, max: Points) -> Option<Percent> {
    if max.hundredths() <= 0 {
        return None;
    }
    crate::money::divide_rounded(
        i128::from(points.hundredths()) * 10_000,
        i128::from(max.hundredths()),
        crate::money::Rounding::HalfAwayFromZero,
    )
    .and_then(|basis_points| i64::try_from(basis_points).ok())
    .map(Percent::from_basis_points)
}

/// A plan component as the scoring needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentWeight {
    pub weight: Percent,
    pub is_follow_up_support: bool,
}

/// One indicator that applies to a unit, as scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorOutcome {
    /// Index into the plan's components; `None` (no component) counts as follow-up support.
    pub component: Option<usize>,
    pub max: Points,
    /// The points earned before deductions; `None` for a manual indicator nobody has scored
    /// yet (未评分): it counts 0 and makes the composite incomplete.
    pub earned: Option<Points>,
    /// The deductions decided against this indicator for the unit, added up.
    pub deductions: Points,
}

/// Why a unit's weighted composite is incomplete (it is then a lower bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incomplete {
    /// The manual indicator at this index has no score yet.
    Unscored { indicator: usize },
    /// No indicator of the component at this index applies to the unit.
    ComponentWithoutIndicators { component: usize },
}

/// The points and percentage of one component for a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentScore {
    pub points: Points,
    pub max: Points,
    /// For a follow-up-support component, the normalised special score; otherwise the
    /// component's own `points ÷ max`. `None` when no indicator of it applies.
    pub percent: Option<Percent>,
}

/// A unit's scores: per indicator, the special assessment, the components and the composite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitScore {
    /// Per indicator (input order): the points after its own deductions, never below zero.
    pub indicator_points: Vec<Points>,
    /// Per indicator: the part of its deductions actually taken.
    pub indicator_deducted: Vec<Points>,
    /// The special assessment (专项考核): follow-up-support indicators after all deductions.
    pub special_points: Points,
    pub special_max: Points,
    /// The part of the deductions without an indicator actually taken off the special total.
    pub special_deducted: Points,
    /// `special_points ÷ special_max`, to 0.01 %: what units are ranked by.
    pub special_percent: Option<Percent>,
    pub components: Vec<ComponentScore>,
    /// Σ component weight × component percentage, to 0.01 %.
    pub composite_percent: Percent,
    /// Empty when the composite is complete.
    pub incomplete: Vec<Incomplete>,
}

/// Scores one unit (A7§4): see the module documentation for the rules.
pub fn score_unit(
    components: &[ComponentWeight],
    indicators: &[IndicatorOutcome],
    deductions_without_indicator: Points,
) -> UnitScore {
    let is_special = |outcome: &IndicatorOutcome| {
        outcome
            .component
            .and_then(|index| components.get(index))
            .is_none_or(|component| component.is_follow_up_support)
    };
    let mut incomplete = Vec::new();
    let mut indicator_points = Vec::with_capacity(indicators.len());
    let mut indicator_deducted = Vec::with_capacity(indicators.len());
    for (index, outcome) in indicators.iter().enumerate() {
        if outcome.earned.is_none() {
            incomplete.push(Incomplete::Unscored { indicator: index });
        }
        let earned = outcome.earned.unwrap_or(Points::ZERO).min(outcome.max);
        let (left, taken) = deduct(earned, outcome.deductions);
        indicator_points.push(left);
        indicator_deducted.push(taken);
    }
    let sum = |filter: &dyn Fn(&IndicatorOutcome) -> bool| {
        indicators.iter().zip(&indicator_points).fold(
            (Points::ZERO, Points::ZERO),
            |(points, max), (outcome, after)| {
                if filter(outcome) {
                    (
                        points.saturating_add(*after),
                        max.saturating_add(outcome.max),
                    )
                } else {
                    (points, max)
                }
            },
        )
    };
    let (special_before, special_max) = sum(&|outcome| is_special(outcome));
    let (special_points, special_deducted) = deduct(special_before, deductions_without_indicator);
    let special_percent = normalised_percent(special_points, special_max);
    let mut component_scores = Vec::with_capacity(components.len());
    let mut composite: i128 = 0;
    for (index, component) in components.iter().enumerate() {
        let (points, max, percent) = if component.is_follow_up_support {
            let (_, own_max) = sum(&|outcome| outcome.component == Some(index));
            // All follow-up-support components together are the special assessment.
            let percent = if own_max.hundredths() > 0 {
                special_percent
            } else {
                None
            };
            (special_points, special_max, percent)
        } else {
            let (points, max) = sum(&|outcome| outcome.component == Some(index));
            (points, max, normalised_percent(points, max))
        };
        match percent {
            Some(percent) => {
                composite += i128::from(component.weight.basis_points())
                    * i128::from(percent.basis_points());
            }
            None => incomplete.push(Incomplete::ComponentWithoutIndicators { component: index }),
        }
        component_scores.push(ComponentScore {
            points,
            max,
            percent,
        });
    }
    let composite_percent =
        crate::money::divide_rounded(composite, 10_000, crate::money::Rounding::HalfAwayFromZero)
            .and_then(|basis_points| i64::try_from(basis_points).ok())
            .map(Percent::from_basis_points)
            .unwrap_or(Percent::ZERO);
    UnitScore {
        indicator_points,
        indicator_deducted,
        special_points,
        special_max,
        special_deducted,
        special_percent,
        components: component_scores,
        composite_percent,
        incomplete,
    }
}

/// A unit's place in its ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placing {
    /// Competition rank among the units of the same kind that have a score.
    pub rank: u32,
    /// The indexes of the other units with exactly the same score.
    pub tied_with: Vec<usize>,
}

/// Ranks units of one kind by their special percentage (higher first, competition ranking
/// "1224"); a unit without a score (`None`) is not ranked. Equal published percentages
/// (to 0.01 %) are ties.
pub fn rank_units(scores: &[Option<Percent>]) -> Vec<Option<Placing>> {
    scores
        .iter()
        .enumerate()
        .map(|(index, score)| {
            let score = (*score)?;
            let better = scores
                .iter()
                .filter(|other| other.is_some_and(|other| other > score))
                .count();
            let tied_with = scores
                .iter()
                .enumerate()
                .filter(|(other, other_score)| *other != index && **other_score == Some(score))
                .map(|(other, _)| other)
                .collect();
            Some(Placing {
                rank: u32::try_from(better + 1).unwrap_or(u32::MAX),
                tied_with,
            })
        })
        .collect()
}

/// The sentence explaining a tie, e.g. `与区人社局并列第2名（得分相同）`; `None` without a tie.
pub fn tie_explanation(rank: u32, tied_with_names: &[&str]) -> Option<String> {
    if tied_with_names.is_empty() {
        return None;
    }
    Some(format!(
        "与{}并列第{rank}名（得分相同）",
        tied_with_names.join("、")
    ))
}

/// The months whose visits the assessment of `year` checks on `as_of` (A6§2.2): January of
/// the year through the last month that is over on `as_of` (the running month is not judged
/// before it ends), at most December.
pub fn visit_months_to_check(year: i32, as_of: NaiveDate) -> Vec<YearMonth> {
    let (Some(first), Some(december)) = (YearMonth::new(year, 1), YearMonth::new(year, 12)) else {
        return Vec::new();
    };
    match crate::party::last_finished_month(as_of) {
        Some(last) if last >= first => YearMonth::range_inclusive(first, last.min(december)),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str, basis_points: i64, follow_up: bool) -> AssessmentComponent {
        AssessmentComponent {
            name: name.to_string(),
            weight: Percent::from_basis_points(basis_points),
            is_follow_up_support: follow_up,
        }
    }

    #[test]
    fn follow_up_support_at_exactly_30_percent_is_accepted() {
        // A7§4: 权重不低于30%
        let plan = [
            component("后续扶持", 3_000, true),
            component("其他", 7_000, false),
        ];
        assert_eq!(validate_assessment_weights(&plan), Ok(()));
    }

    #[test]
    fn follow_up_support_at_29_99_percent_is_refused_citing_a7_4() {
        // A7§4
        let plan = [
            component("后续扶持", 2_999, true),
            component("其他", 7_001, false),
        ];
        let error = validate_assessment_weights(&plan).unwrap_err();
        assert_eq!(
            error,
            AssessmentError::FollowUpSupportBelowMinimum {
                found: Percent::from_basis_points(2_999)
            }
        );
        assert_eq!(
            error.to_string(),
            "follow-up support weighs 29.99% of the poverty-alleviation effectiveness assessment; it must weigh at least 30.00% (A7§4)"
        );
    }

    #[test]
    fn several_follow_up_components_add_up() {
        // A7§4
        let plan = [
            component("产业就业", 1_500, true),
            component("社区治理", 1_500, true),
            component("其他", 7_000, false),
        ];
        assert_eq!(validate_assessment_weights(&plan), Ok(()));
        let plan = [component("其他", 10_000, false)];
        assert!(matches!(
            validate_assessment_weights(&plan),
            Err(AssessmentError::FollowUpSupportBelowMinimum { .. })
        ));
    }

    #[test]
    fn weights_must_add_up_to_exactly_100_percent() {
        // A7§4
        let short = [
            component("后续扶持", 3_000, true),
            component("其他", 6_999, false),
        ];
        let error = validate_assessment_weights(&short).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the component weights add up to 99.99%; they must add up to exactly 100.00%"
        );
        let over = [
            component("后续扶持", 3_000, true),
            component("其他", 7_001, false),
        ];
        assert!(matches!(
            validate_assessment_weights(&over),
            Err(AssessmentError::WeightsDoNotAddUpTo100 { .. })
        ));
    }

    #[test]
    fn components_need_a_unique_name_and_a_positive_weight() {
        assert_eq!(
            validate_assessment_weights(&[]),
            Err(AssessmentError::NoComponents)
        );
        let zero = [
            component("后续扶持", 10_000, true),
            component("其他", 0, false),
        ];
        assert!(matches!(
            validate_assessment_weights(&zero),
            Err(AssessmentError::NonPositiveWeight { .. })
        ));
        let twice = [
            component("后续扶持", 5_000, true),
            component(" 后续扶持 ", 5_000, true),
        ];
        assert!(matches!(
            validate_assessment_weights(&twice),
            Err(AssessmentError::DuplicateComponent { .. })
        ));
        let unnamed = [component(" ", 10_000, true)];
        assert_eq!(
            validate_assessment_weights(&unnamed),
            Err(AssessmentError::UnnamedComponent)
        );
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        // A7§4: ranking for publication, competition ranking "1224"
        assert_eq!(competition_ranks(&[95, 90, 90, 80]), vec![1, 2, 2, 4]);
        assert_eq!(competition_ranks(&[80, 90, 95, 90]), vec![4, 2, 1, 2]);
        assert_eq!(competition_ranks(&[70, 70, 70]), vec![1, 1, 1]);
        assert_eq!(competition_ranks::<i32>(&[]), Vec::<u32>::new());
    }

    #[test]
    fn ranked_entries_are_ordered_by_rank_keeping_ties_in_input_order() {
        let entries = [
            ("王家河街道", Percent::from_basis_points(9_050)),
            ("区教科体局", Percent::from_basis_points(9_500)),
            ("黄堡镇", Percent::from_basis_points(9_050)),
        ];
        let ranked = rank_entries(&entries);
        let view: Vec<_> = ranked.iter().map(|entry| (entry.rank, entry.key)).collect();
        assert_eq!(
            view,
            vec![(1, "区教科体局"), (2, "王家河街道"), (2, "黄堡镇")]
        );
    }

    fn points(text: &str) -> Points {
        Points::parse(text).unwrap()
    }

    #[test]
    fn points_parse_with_two_decimals_and_display_with_two() {
        // A7§4: scores are kept to 0.01 point
        assert_eq!(points("8.50").hundredths(), 850);
        assert_eq!(points("8.5").hundredths(), 850);
        assert_eq!(points(" 8 ").hundredths(), 800);
        assert_eq!(points("0").hundredths(), 0);
        assert_eq!(points("0.01").to_string(), "0.01");
        assert_eq!(Points::from_hundredths(1_000).to_string(), "10.00");
        assert!(matches!(
            Points::parse("8.505"),
            Err(PointsError::TooManyDecimals { .. })
        ));
        for bad in ["-1", "8.", ".5", "8,5", "1e3", "八"] {
            assert!(
                matches!(Points::parse(bad), Err(PointsError::Malformed { .. })),
                "{bad}"
            );
        }
        assert_eq!(Points::parse(""), Err(PointsError::Empty));
        assert!(matches!(
            Points::parse("99999999999999999"),
            Err(PointsError::TooLarge { .. })
        ));
    }

    #[test]
    fn every_computed_rule_has_a_code_a_label_and_a_clause() {
        // A7§4 with the clause of each rule measured
        for rule in ComputedRule::ALL {
            assert_eq!(ComputedRule::from_code(rule.code()), Some(*rule));
            assert!(!rule.label_zh().is_empty());
            assert!(rule.clause().starts_with('A'));
        }
        assert_eq!(
            ComputedRule::from_code("zero_employment_resolved"),
            Some(ComputedRule::ZeroEmploymentResolved)
        );
        assert_eq!(ComputedRule::ZeroEmploymentResolved.clause(), "A2§1");
        assert_eq!(ComputedRule::MonthlyPartyVisits.clause(), "A6§2.2");
        assert_eq!(ComputedRule::from_code("nonsense"), None);
    }

    #[test]
    fn a_computed_indicator_earns_its_share_rounded_half_up() {
        // A7§4: max × passed ÷ applicable, 四舍五入 to 0.01 point
        assert_eq!(rate_points(1_000, 5, 6), 833); // 8.333… → 8.33
        assert_eq!(rate_points(1_000, 2, 3), 667); // 6.666… → 6.67
        assert_eq!(rate_points(100, 1, 8), 13); // 0.125 → 0.13 (half up)
        assert_eq!(rate_points(100, 3, 8), 38); // 0.375 → 0.38
        assert_eq!(rate_points(1_000, 0, 6), 0);
        assert_eq!(rate_points(1_000, 6, 6), 1_000);
        // more passed than counted cannot earn more than the maximum
        assert_eq!(rate_points(1_000, 7, 6), 1_000);
    }

    #[test]
    fn nothing_to_count_earns_the_full_points_and_says_why() {
        // A7§4: a unit with no due task has failed none
        assert_eq!(rate_points(1_000, 0, 0), 1_000);
        let text = explain_rate(
            ComputedRule::OnTimeCompletion,
            Points::from_hundredths(1_000),
            0,
            0,
        );
        assert!(text.contains("无应计对象"), "{text}");
        assert!(text.contains("满分10.00分"), "{text}");
    }

    #[test]
    fn the_explanation_shows_the_arithmetic() {
        // A2§1
        let text = explain_rate(
            ComputedRule::ZeroEmploymentResolved,
            Points::from_hundredths(1_500),
            40,
            43,
        );
        assert_eq!(
            text,
            "至少一人就业40/43户（有劳动力的搬迁户），15.00 × 40 ÷ 43 = 13.95分（四舍五入到0.01分）"
        );
    }

    #[test]
    fn a_deduction_floors_at_zero_and_takes_only_what_was_earned() {
        // A7§4: 扣完为止
        let earned = Points::from_hundredths(500);
        assert_eq!(
            deduct(earned, Points::from_hundredths(200)),
            (Points::from_hundredths(300), Points::from_hundredths(200))
        );
        assert_eq!(
            deduct(earned, Points::from_hundredths(500)),
            (Points::ZERO, Points::from_hundredths(500))
        );
        assert_eq!(
            deduct(earned, Points::from_hundredths(501)),
            (Points::ZERO, Points::from_hundredths(500))
        );
        assert_eq!(
            deduct(Points::ZERO, Points::from_hundredths(100)),
            (Points::ZERO, Points::ZERO)
        );
    }

    fn plan_30_70() -> Vec<ComponentWeight> {
        vec![
            ComponentWeight {
                weight: Percent::from_whole(30),
                is_follow_up_support: true,
            },
            ComponentWeight {
                weight: Percent::from_whole(70),
                is_follow_up_support: false,
            },
        ]
    }

    fn outcome(
        component: usize,
        max: i64,
        earned: Option<i64>,
        deductions: i64,
    ) -> IndicatorOutcome {
        IndicatorOutcome {
            component: Some(component),
            max: Points::from_hundredths(max),
            earned: earned.map(Points::from_hundredths),
            deductions: Points::from_hundredths(deductions),
        }
    }

    #[test]
    fn the_special_score_is_normalised_over_the_applicable_maximum() {
        // A7§4: 专项考核 — 8.33 + 15.00 of 10 + 15 = 93.32 %
        let score = score_unit(
            &plan_30_70(),
            &[
                outcome(0, 1_000, Some(833), 0),
                outcome(0, 1_500, Some(1_500), 0),
                outcome(1, 10_000, Some(9_000), 0),
            ],
            Points::ZERO,
        );
        assert_eq!(score.special_points, Points::from_hundredths(2_333));
        assert_eq!(score.special_max, Points::from_hundredths(2_500));
        assert_eq!(
            score.special_percent,
            Some(Percent::from_basis_points(9_332))
        );
        // 30 % × 93.32 + 70 % × 90.00 = 27.996 + 63.000 = 90.996 → 91.00
        assert_eq!(score.composite_percent, Percent::from_basis_points(9_100));
        assert!(score.incomplete.is_empty());
        assert_eq!(
            score.components[0].percent,
            Some(Percent::from_basis_points(9_332))
        );
        assert_eq!(
            score.components[1].percent,
            Some(Percent::from_basis_points(9_000))
        );
    }

    #[test]
    fn an_indicator_deduction_stops_at_zero_and_leaves_other_indicators_alone() {
        // A7§4: a deduction of 3.00 on an indicator that earned 2.00 takes 2.00, not 3.00
        let score = score_unit(
            &plan_30_70(),
            &[
                outcome(0, 1_000, Some(200), 300),
                outcome(0, 1_000, Some(1_000), 0),
                outcome(1, 1_000, Some(1_000), 0),
            ],
            Points::ZERO,
        );
        assert_eq!(score.indicator_points[0], Points::ZERO);
        assert_eq!(score.indicator_deducted[0], Points::from_hundredths(200));
        assert_eq!(score.indicator_points[1], Points::from_hundredths(1_000));
        assert_eq!(score.special_points, Points::from_hundredths(1_000));
        assert_eq!(score.special_percent, Some(Percent::from_whole(50)));
    }

    #[test]
    fn a_deduction_without_indicator_comes_off_the_special_total_floored_at_zero() {
        // A7§4: 扣完为止 on the special total
        let components = plan_30_70();
        let indicators = [
            outcome(0, 1_000, Some(400), 0),
            outcome(1, 1_000, Some(1_000), 0),
        ];
        let score = score_unit(&components, &indicators, Points::from_hundredths(150));
        assert_eq!(score.special_points, Points::from_hundredths(250));
        assert_eq!(score.special_deducted, Points::from_hundredths(150));
        let score = score_unit(&components, &indicators, Points::from_hundredths(9_999));
        assert_eq!(score.special_points, Points::ZERO);
        assert_eq!(score.special_deducted, Points::from_hundredths(400));
        assert_eq!(score.special_percent, Some(Percent::ZERO));
        // the other component is untouched: 30 % × 0 + 70 % × 100 = 70.00
        assert_eq!(score.composite_percent, Percent::from_whole(70));
    }

    #[test]
    fn an_unscored_manual_indicator_counts_zero_and_flags_the_composite() {
        // A7§4: a missing score is flagged, not silently 0
        let score = score_unit(
            &plan_30_70(),
            &[
                outcome(0, 1_000, Some(1_000), 0),
                outcome(1, 1_000, None, 0),
            ],
            Points::ZERO,
        );
        assert_eq!(score.indicator_points[1], Points::ZERO);
        assert_eq!(score.composite_percent, Percent::from_whole(30));
        assert_eq!(
            score.incomplete,
            vec![Incomplete::Unscored { indicator: 1 }]
        );
    }

    #[test]
    fn a_component_without_applicable_indicators_flags_the_composite() {
        // A7§4
        let score = score_unit(
            &plan_30_70(),
            &[outcome(0, 1_000, Some(1_000), 0)],
            Points::ZERO,
        );
        assert_eq!(score.components[1].percent, None);
        assert_eq!(
            score.incomplete,
            vec![Incomplete::ComponentWithoutIndicators { component: 1 }]
        );
        let nothing = score_unit(&plan_30_70(), &[], Points::ZERO);
        assert_eq!(nothing.special_percent, None);
        assert_eq!(nothing.incomplete.len(), 2);
    }

    #[test]
    fn composite_weights_exactly_30_and_70_percent() {
        // A7§4: follow-up support weighs 30 %: 30 % × 80.00 + 70 % × 60.00 = 66.00
        let score = score_unit(
            &plan_30_70(),
            &[
                outcome(0, 1_000, Some(800), 0),
                outcome(1, 1_000, Some(600), 0),
            ],
            Points::ZERO,
        );
        assert_eq!(score.composite_percent, Percent::from_whole(66));
    }

    #[test]
    fn units_are_ranked_with_ties_explained() {
        // A7§4: 排名通报, competition ranking "1224"
        let scores = [
            Some(Percent::from_basis_points(9_500)),
            Some(Percent::from_basis_points(9_000)),
            None,
            Some(Percent::from_basis_points(9_000)),
            Some(Percent::from_basis_points(8_999)),
        ];
        let placings = rank_units(&scores);
        let ranks: Vec<Option<u32>> = placings
            .iter()
            .map(|p| p.as_ref().map(|p| p.rank))
            .collect();
        assert_eq!(ranks, vec![Some(1), Some(2), None, Some(2), Some(4)]);
        assert_eq!(placings[1].as_ref().unwrap().tied_with, vec![3]);
        assert_eq!(placings[3].as_ref().unwrap().tied_with, vec![1]);
        assert!(placings[4].as_ref().unwrap().tied_with.is_empty());
        assert_eq!(
            tie_explanation(2, &["区人社局"]).as_deref(),
            Some("与区人社局并列第2名（得分相同）")
        );
        assert_eq!(
            tie_explanation(1, &["区人社局", "区卫健局"]).as_deref(),
            Some("与区人社局、区卫健局并列第1名（得分相同）")
        );
        assert_eq!(tie_explanation(3, &[]), None);
    }

    #[test]
    fn visit_months_run_from_january_to_the_last_finished_month() {
        // A6§2.2: each month at least once; the running month is not judged yet
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let months = visit_months_to_check(2026, day(2026, 11, 28));
        assert_eq!(months.len(), 10);
        assert_eq!(months.first(), YearMonth::new(2026, 1).as_ref());
        assert_eq!(months.last(), YearMonth::new(2026, 10).as_ref());
        assert!(visit_months_to_check(2026, day(2026, 1, 31)).is_empty());
        assert_eq!(visit_months_to_check(2026, day(2026, 2, 1)).len(), 1);
        assert_eq!(visit_months_to_check(2026, day(2027, 3, 1)).len(), 12);
        assert!(visit_months_to_check(2027, day(2026, 12, 31)).is_empty());
    }
}
