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
//! - The town committee's monthly review (A6§3.1) is owed by every site where relocated
//!   households live, from the month the first of its current households moved in
//!   ([`SiteOccupancy`]); a site nobody lives in owes none.

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

/// Who lives at a site, for the review duty of A6§3.1: its current (not archived) households,
/// how many of them have no relocation day recorded, and the earliest relocation day recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SiteOccupancy {
    pub current_households: u64,
    pub undated_households: u64,
    pub earliest_relocation: Option<NaiveDate>,
}

impl SiteOccupancy {
    /// The day from which the site has relocated residents and so owes monthly reviews
    /// (A6§3.1): the earliest relocation day of its current households; a household without a
    /// relocation day counts as having lived there all along (`NaiveDate::MIN`); a site with no
    /// current household owes none (`None`).
    pub fn occupied_since(&self) -> Option<NaiveDate> {
        if self.current_households == 0 {
            return None;
        }
        if self.undated_households > 0 {
            return Some(NaiveDate::MIN);
        }
        self.earliest_relocation.or(Some(NaiveDate::MIN))
    }
}

/// The months from `from` through `through` in which the town (sub-district) committee owed a
/// site a review of its party building and made none (A6§3.1: at least once a month). A site
/// owes reviews from the month it became occupied (`occupied_since`, see [`SiteOccupancy`]);
/// a review on any day of a month, the first or the last, covers that month.
pub fn site_review_gaps(
    reviews: &[NaiveDate],
    occupied_since: Option<NaiveDate>,
    from: YearMonth,
    through: YearMonth,
) -> Vec<YearMonth> {
    let Some(since) = occupied_since else {
        return Vec::new();
    };
    missing_review_months(reviews, from.max(YearMonth::of(since)), through)
}

coded_enum! {
    /// The organisation a site actually has (A6§1.1).
    pub enum PartyOrganisationForm {
        /// 党支部 under the town (sub-district) committee.
        Branch => ("branch", "党支部"),
        /// 党小组 in the local village or community branch.
        Group => ("group", "党小组"),
        /// No organisation of its own; the town committee has sent a party-building instructor.
        NoneWithInstructor => ("none_with_instructor", "未单独建立组织（选派党建指导员）"),
    }
}

/// Whether the organisation a site has (`None`: none at all) is what A6§1.1 requires.
///
/// - 3 or more formal members: a branch or a group;
/// - 1–2 formal members: no organisation of the site's own, their relations held by the local
///   organisation (an instructor sent anyway does no harm);
/// - no formal member: an instructor sent by the town committee.
pub fn organisation_meets_requirement(
    required: PartyOrganisationKind,
    actual: Option<PartyOrganisationForm>,
) -> bool {
    use PartyOrganisationForm as F;
    use PartyOrganisationKind as K;
    match required {
        K::BranchOrGroup => matches!(actual, Some(F::Branch | F::Group)),
        K::TransferToLocalOrganisation => matches!(actual, None | Some(F::NoneWithInstructor)),
        K::PartyBuildingInstructor => actual == Some(F::NoneWithInstructor),
    }
}

coded_enum! {
    /// Where a member's organisational relation is held (A6§1.1, A6§2.1).
    pub enum RelationHeldAt {
        SiteOrganisation => ("site_organisation", "安置点党组织"),
        LocalOrganisation => ("local_organisation", "所在地基层党组织"),
        OriginOrganisation => ("origin_organisation", "迁出地党组织"),
        Transferring => ("transferring", "转接中"),
    }
}

coded_enum! {
    /// Where a transfer of organisational relation stands.
    pub enum RelationTransferStatus {
        Requested => ("requested", "已申请"),
        Completed => ("completed", "已转入"),
        Rejected => ("rejected", "未转入"),
    }
}

/// Why a party-building record is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PartyRuleError {
    #[error("{input:?} is not a month: write it as YYYY-MM, e.g. 2026-09")]
    MalformedMonth { input: String },
    #[error("the months run from {from} through {through}: the start must not be after the end")]
    MonthsReversed { from: YearMonth, through: YearMonth },
    #[error(
        "the transfer is already {status}; only a requested transfer can be completed or rejected"
    )]
    TransferSettled { status: &'static str },
    #[error(
        "the transfer cannot end on {completed_on}, before it was requested on {requested_on}"
    )]
    TransferEndsBeforeRequest {
        requested_on: NaiveDate,
        completed_on: NaiveDate,
    },
    #[error("only committee members of the site's party organisation record visits (A6§2.2); this member serves on no committee there on {visited_on}")]
    NotACommitteeMember { visited_on: NaiveDate },
    #[error("a formal member needs the date of becoming formal (转正日期)")]
    FormalWithoutDate,
    #[error("a formal or probationary member needs the date of joining the party")]
    MemberWithoutJoiningDate,
}

/// Parses `YYYY-MM` (e.g. `2026-09`).
pub fn parse_year_month(input: &str) -> Result<YearMonth, PartyRuleError> {
    let malformed = || PartyRuleError::MalformedMonth {
        input: input.to_string(),
    };
    let text = input.trim();
    let (year, month) = text.split_once('-').ok_or_else(malformed)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(malformed());
    }
    let year: i32 = year.parse().map_err(|_| malformed())?;
    let month: u32 = month.parse().map_err(|_| malformed())?;
    YearMonth::new(year, month).ok_or_else(malformed)
}

/// Whether a committee term (`starts_on` through `ends_on`, open-ended when `None`) covers `day`.
pub fn serves_on(starts_on: NaiveDate, ends_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    starts_on <= day && ends_on.is_none_or(|end| day <= end)
}

/// The months a committee member owed a visit (A6§2.2) and made none: within `from` through
/// `through`, limited to the months of the member's term (a month counts when the term covers
/// any day of it).
pub fn missing_visit_months_in_term(
    visits: &[NaiveDate],
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    from: YearMonth,
    through: YearMonth,
) -> Vec<YearMonth> {
    let first = from.max(YearMonth::of(starts_on));
    let last = match ends_on {
        Some(end) => through.min(YearMonth::of(end)),
        None => through,
    };
    missing_visit_months(visits, first, last)
}

/// Checks the fields a member's standing needs (A6§1.1): a formal member has become formal on a
/// date, a formal or probationary member has joined on a date.
pub fn validate_member_dates(
    status: PartyMemberStatus,
    joined_on: Option<NaiveDate>,
    became_formal_on: Option<NaiveDate>,
) -> Result<(), PartyRuleError> {
    if status != PartyMemberStatus::Activist && joined_on.is_none() {
        return Err(PartyRuleError::MemberWithoutJoiningDate);
    }
    if status == PartyMemberStatus::Formal && became_formal_on.is_none() {
        return Err(PartyRuleError::FormalWithoutDate);
    }
    Ok(())
}

/// Settles a requested relation transfer: completed (the relation now sits with the receiving
/// organisation) or rejected.
pub fn settle_relation_transfer(
    status: RelationTransferStatus,
    outcome: RelationTransferStatus,
    requested_on: NaiveDate,
    settled_on: NaiveDate,
) -> Result<RelationTransferStatus, PartyRuleError> {
    if status != RelationTransferStatus::Requested || outcome == RelationTransferStatus::Requested {
        return Err(PartyRuleError::TransferSettled {
            status: status.code(),
        });
    }
    if settled_on < requested_on {
        return Err(PartyRuleError::TransferEndsBeforeRequest {
            requested_on,
            completed_on: settled_on,
        });
    }
    Ok(outcome)
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
    fn a_site_owes_a_review_every_month_from_the_month_it_was_occupied() {
        // A6§3.1: 镇（街道）党委每月至少研判一次安置点党建工作
        let reviews = [date(2026, 1, 1), date(2026, 2, 28), date(2026, 4, 30)];
        let since = Some(date(2019, 9, 1));
        // The first and the last day of a month both cover it; March and May are missing.
        assert_eq!(
            site_review_gaps(&reviews, since, month(2026, 1), month(2026, 5)),
            vec![month(2026, 3), month(2026, 5)]
        );
        // Occupied on the last day of March: March is owed; from April: only May.
        assert_eq!(
            site_review_gaps(
                &reviews,
                Some(date(2026, 3, 31)),
                month(2026, 1),
                month(2026, 5)
            ),
            vec![month(2026, 3), month(2026, 5)]
        );
        assert_eq!(
            site_review_gaps(
                &reviews,
                Some(date(2026, 4, 1)),
                month(2026, 1),
                month(2026, 5)
            ),
            vec![month(2026, 5)]
        );
        // Nobody lives there, or not yet within the period: nothing is owed.
        assert!(site_review_gaps(&[], None, month(2026, 1), month(2026, 12)).is_empty());
        assert!(
            site_review_gaps(&[], Some(date(2027, 1, 1)), month(2026, 1), month(2026, 12))
                .is_empty()
        );
        // One month, reviewed or not.
        assert!(site_review_gaps(&reviews, since, month(2026, 4), month(2026, 4)).is_empty());
        assert_eq!(
            site_review_gaps(&[], since, month(2026, 10), month(2026, 10)),
            vec![month(2026, 10)]
        );
        // A reversed period checks nothing.
        assert!(site_review_gaps(&[], since, month(2026, 5), month(2026, 4)).is_empty());
    }

    #[test]
    fn a_site_is_occupied_from_its_first_current_households_relocation() {
        // A6§3.1: the duty follows the relocated residents
        let empty = SiteOccupancy::default();
        assert_eq!(empty.occupied_since(), None);
        let dated = SiteOccupancy {
            current_households: 3,
            undated_households: 0,
            earliest_relocation: Some(date(2019, 9, 1)),
        };
        assert_eq!(dated.occupied_since(), Some(date(2019, 9, 1)));
        let undated = SiteOccupancy {
            undated_households: 1,
            ..dated
        };
        assert_eq!(undated.occupied_since(), Some(NaiveDate::MIN));
        assert_eq!(
            site_review_gaps(
                &[],
                undated.occupied_since(),
                month(2026, 1),
                month(2026, 2)
            ),
            vec![month(2026, 1), month(2026, 2)]
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

    #[test]
    fn the_organisation_a_site_has_is_checked_against_what_it_needs() {
        // A6§1.1
        use PartyOrganisationForm as F;
        use PartyOrganisationKind as K;
        assert!(organisation_meets_requirement(
            K::BranchOrGroup,
            Some(F::Branch)
        ));
        assert!(organisation_meets_requirement(
            K::BranchOrGroup,
            Some(F::Group)
        ));
        assert!(!organisation_meets_requirement(K::BranchOrGroup, None));
        assert!(!organisation_meets_requirement(
            K::BranchOrGroup,
            Some(F::NoneWithInstructor)
        ));
        assert!(organisation_meets_requirement(
            K::TransferToLocalOrganisation,
            None
        ));
        assert!(!organisation_meets_requirement(
            K::TransferToLocalOrganisation,
            Some(F::Branch)
        ));
        assert!(organisation_meets_requirement(
            K::PartyBuildingInstructor,
            Some(F::NoneWithInstructor)
        ));
        assert!(!organisation_meets_requirement(
            K::PartyBuildingInstructor,
            None
        ));
        // The boundary: 2 formal members may not keep a branch, 3 must have one.
        let two = required_party_organisation(2).kind;
        let three = required_party_organisation(3).kind;
        assert!(!organisation_meets_requirement(two, Some(F::Branch)));
        assert!(organisation_meets_requirement(three, Some(F::Branch)));
    }

    #[test]
    fn visits_are_owed_only_in_the_months_of_the_committee_term() {
        // A6§2.2: each committee member, at least once a month
        let visits = [date(2026, 1, 5), date(2026, 3, 5)];
        assert_eq!(
            missing_visit_months_in_term(
                &visits,
                date(2020, 10, 1),
                None,
                month(2026, 1),
                month(2026, 4)
            ),
            vec![month(2026, 2), month(2026, 4)]
        );
        // Joined the committee on the last day of February: February is owed.
        assert_eq!(
            missing_visit_months_in_term(
                &visits,
                date(2026, 2, 28),
                Some(date(2026, 3, 1)),
                month(2026, 1),
                month(2026, 12)
            ),
            vec![month(2026, 2)]
        );
        assert!(missing_visit_months_in_term(
            &[],
            date(2026, 5, 1),
            None,
            month(2026, 1),
            month(2026, 4)
        )
        .is_empty());
        assert!(serves_on(date(2026, 2, 28), None, date(2026, 2, 28)));
        assert!(serves_on(
            date(2026, 1, 1),
            Some(date(2026, 3, 1)),
            date(2026, 3, 1)
        ));
        assert!(!serves_on(
            date(2026, 1, 1),
            Some(date(2026, 3, 1)),
            date(2026, 3, 2)
        ));
        assert!(!serves_on(date(2026, 1, 2), None, date(2026, 1, 1)));
    }

    #[test]
    fn months_are_written_year_dash_month() {
        assert_eq!(parse_year_month("2026-09"), Ok(month(2026, 9)));
        assert_eq!(parse_year_month(" 2026-12 "), Ok(month(2026, 12)));
        for bad in ["2026-13", "2026-9", "26-09", "2026/09", "", "2026-00"] {
            assert!(parse_year_month(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_formal_member_has_joined_and_become_formal() {
        // A6§1.1: probationary members are members, but not formal ones
        use PartyMemberStatus as S;
        let day = Some(date(2020, 7, 1));
        assert_eq!(validate_member_dates(S::Formal, day, day), Ok(()));
        assert_eq!(
            validate_member_dates(S::Formal, day, None),
            Err(PartyRuleError::FormalWithoutDate)
        );
        assert_eq!(validate_member_dates(S::Probationary, day, None), Ok(()));
        assert_eq!(
            validate_member_dates(S::Probationary, None, None),
            Err(PartyRuleError::MemberWithoutJoiningDate)
        );
        assert_eq!(validate_member_dates(S::Activist, None, None), Ok(()));
    }

    #[test]
    fn a_relation_transfer_is_settled_once() {
        use RelationTransferStatus as S;
        let requested = date(2026, 10, 20);
        assert_eq!(
            settle_relation_transfer(S::Requested, S::Completed, requested, requested),
            Ok(S::Completed)
        );
        assert_eq!(
            settle_relation_transfer(S::Requested, S::Rejected, requested, date(2026, 11, 1)),
            Ok(S::Rejected)
        );
        assert!(settle_relation_transfer(S::Completed, S::Rejected, requested, requested).is_err());
        assert!(
            settle_relation_transfer(S::Requested, S::Requested, requested, requested).is_err()
        );
        assert!(matches!(
            settle_relation_transfer(S::Requested, S::Completed, requested, date(2026, 10, 19)),
            Err(PartyRuleError::TransferEndsBeforeRequest { .. })
        ));
    }
}
