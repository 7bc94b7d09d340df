//! Party building at sites: which organisation a site needs (A6§1.1) and the monthly visits and reviews (A6§2.2, A6§3.1).
//!
//! Decisions:
//! - Only formal members count towards the three needed for a branch (正式党员3人以上, where
//!   以上 includes 3); probationary members and activists do not (A6§1.1).
//! - With no formal member the town committee sends a party-building instructor, even if
//!   probationary members live there (they cannot form or lead an organisation; their
//!   relations move to the local organisation like those of formal members).
//! - "At least once a month" is checked per calendar month; the caller chooses the months,
//!   normally up to the last finished month ([`last_finished_month`]) so that the running
//!   month is not reported before it is over.

use chrono::NaiveDate;

use crate::calendar::{months_without_any, YearMonth};

/// Formal members needed for a party branch or party group (A6§1.1).
pub const FORMAL_MEMBERS_FOR_BRANCH: u32 = 3;

coded_enum! {
    /// A person's standing in the party, as recorded at the site.
    pub enum PartyMemberStatus {
        Formal => ("formal", "正式党员"),
        Probationary => ("probationary", "预备党员"),
        Activist => ("activist", "入党积极分子"),
    }
}

impl PartyMemberStatus {
    /// Whether the person counts as a formal member for A6§1.1.
    pub fn is_formal_member(self) -> bool {
        self == PartyMemberStatus::Formal
    }
}

/// The number of formal members among `statuses`.
pub fn count_formal_members(statuses: &[PartyMemberStatus]) -> u32 {
    let count = statuses
        .iter()
        .filter(|status| status.is_formal_member())
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

coded_enum! {
    /// The party organisation a site must have (A6§1.1).
    pub enum PartyOrganisationKind {
        /// 党支部 (under the town committee) or 党小组 (in the local branch): 3 or more formal members.
        BranchOrGroup => ("branch_or_group", "设立党支部或党小组"),
        /// 1–2 formal members: their organisational relations move to the local organisation.
        TransferToLocalOrganisation => ("transfer_to_local_organisation", "组织关系转入所在地基层党组织"),
        /// No formal member: the town committee sends a party-building instructor.
        PartyBuildingInstructor => ("party_building_instructor", "选派党建指导员"),
    }
}

/// What A6§1.1 requires of a site, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyOrganisationRequirement {
    pub kind: PartyOrganisationKind,
    pub label_zh: &'static str,
    /// An English sentence explaining why, with the numbers.
    pub basis: String,
    pub clause: &'static str,
}

/// The party organisation a site with `formal_members` formal party members must have (A6§1.1).
pub fn required_party_organisation(formal_members: u32) -> PartyOrganisationRequirement {
    let (kind, basis) = match formal_members {
        0 => (
            PartyOrganisationKind::PartyBuildingInstructor,
            "The site has no formal party member, so the town (sub-district) committee sends a \
             party-building instructor to the local village or community organisation."
                .to_string(),
        ),
        n if n < FORMAL_MEMBERS_FOR_BRANCH => (
            PartyOrganisationKind::TransferToLocalOrganisation,
            format!(
                "The site has {n} formal party member{}, fewer than {FORMAL_MEMBERS_FOR_BRANCH}, so \
                 their organisational relations move to the local party organisation.",
                if n == 1 { "" } else { "s" }
            ),
        ),
        n => (
            PartyOrganisationKind::BranchOrGroup,
            format!(
                "The site has {n} formal party members, {FORMAL_MEMBERS_FOR_BRANCH} or more, so it sets \
                 up a party branch under the town (sub-district) committee or a party group in the \
                 local branch."
            ),
        ),
    };
    PartyOrganisationRequirement {
        kind,
        label_zh: kind.label_zh(),
        basis,
        clause: "A6§1.1",
    }
}

/// The last calendar month that is over on `today` (the month before today's).
pub fn last_finished_month(today: NaiveDate) -> Option<YearMonth> {
    YearMonth::of(today).previous()
}

/// The months from `from` through `through` in which a member of a site's party committee
/// made no visit to relocated residents; each member visits at least once a month (A6§2.2).
/// Pass one member's visit dates.
pub fn missing_visit_months(
    visits: &[NaiveDate],
    from: YearMonth,
    through: YearMonth,
) -> Vec<YearMonth> {
    months_without_any(visits, from, through)
}

/// The months from `from` through `through` in which the town (sub-district) committee did
/// not review a site's party building; it reviews at least once a month (A6§3.1).
pub fn missing_review_months(
    reviews: &[NaiveDate],
    from: YearMonth,
    through: YearMonth,
) -> Vec<YearMonth> {
    months_without_any(reviews, from, through)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn month(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn no_formal_member_means_an_instructor() {
        // A6§1.1
        let requirement = required_party_organisation(0);
        assert_eq!(
            requirement.kind,
            PartyOrganisationKind::PartyBuildingInstructor
        );
        assert_eq!(requirement.clause, "A6§1.1");
        assert_eq!(requirement.label_zh, "选派党建指导员");
    }

    #[test]
    fn one_or_two_formal_members_move_their_relations_to_the_local_organisation() {
        // A6§1.1: 不足3人
        for n in [1, 2] {
            let requirement = required_party_organisation(n);
            assert_eq!(
                requirement.kind,
                PartyOrganisationKind::TransferToLocalOrganisation,
                "{n}"
            );
            assert!(requirement
                .basis
                .contains(&format!("{n} formal party member")));
        }
    }

    #[test]
    fn three_or_more_formal_members_form_a_branch_or_group() {
        // A6§1.1: 3人以上 includes 3
        for n in [3, 4, 100] {
            assert_eq!(
                required_party_organisation(n).kind,
                PartyOrganisationKind::BranchOrGroup,
                "{n}"
            );
        }
        assert!(required_party_organisation(3)
            .basis
            .contains("3 formal party members"));
    }

    #[test]
    fn probationary_members_and_activists_are_not_formal_members() {
        // A6§1.1: two formal and two probationary members are still fewer than three formal.
        let statuses = [
            PartyMemberStatus::Formal,
            PartyMemberStatus::Probationary,
            PartyMemberStatus::Formal,
            PartyMemberStatus::Probationary,
            PartyMemberStatus::Activist,
        ];
        assert_eq!(count_formal_members(&statuses), 2);
        assert_eq!(
            required_party_organisation(count_formal_members(&statuses)).kind,
            PartyOrganisationKind::TransferToLocalOrganisation
        );
    }

    #[test]
    fn a_committee_member_must_visit_every_month() {
        // A6§2.2: 每月至少走访一次
        let visits = [date(2024, 1, 31), date(2024, 3, 1), date(2024, 3, 2)];
        assert_eq!(
            missing_visit_months(&visits, month(2024, 1), month(2024, 4)),
            vec![month(2024, 2), month(2024, 4)]
        );
        assert!(missing_visit_months(&visits, month(2024, 3), month(2024, 3)).is_empty());
        assert_eq!(
            missing_visit_months(&[], month(2024, 1), month(2024, 1)),
            vec![month(2024, 1)]
        );
    }

    #[test]
    fn the_town_committee_must_review_every_month() {
        // A6§3.1: 每月至少研判一次
        let reviews = [date(2024, 12, 15), date(2025, 2, 1)];
        assert_eq!(
            missing_review_months(&reviews, month(2024, 12), month(2025, 2)),
            vec![month(2025, 1)]
        );
    }

    #[test]
    fn the_running_month_is_not_yet_checked() {
        assert_eq!(
            last_finished_month(date(2025, 1, 15)),
            Some(month(2024, 12))
        );
        assert_eq!(last_finished_month(date(2025, 3, 1)), Some(month(2025, 2)));
    }
}
