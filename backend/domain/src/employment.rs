//! The employment floor of relocated households (A2§1) and the kinds of employment recorded (A2§2).
//!
//! Decision: the floor is met when **any** member is employed, whatever their recorded
//! labour capacity (the text asks that 至少一人实现就业 in a household with labour). A
//! household with no member who has labour is outside the rule, never "zero-employment".

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
}
