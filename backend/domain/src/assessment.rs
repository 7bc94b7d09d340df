//! Assessment plans and rankings: follow-up support weighs at least 30 % (A7§4); special-assessment scores are ranked and published.
//!
//! Decisions:
//! - A plan's component weights (two decimals of a percent) must add up to exactly 100.00 %
//!   and each be above zero. The follow-up-support weight is the sum of the components
//!   marked as follow-up support; it must be at least 30.00 % (不低于30%: 30 % itself passes).
//! - Ranking is competition ranking ("1224"): equal scores share the best rank and the
//!   next rank skips as many places as there were ties, so a rank always tells how many
//!   scored strictly better (rank − 1). Higher scores rank first.

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
}
