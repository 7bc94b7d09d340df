//! The self-governance unit a relocation site needs, from where it lies and how big it is (A4§2.1).
//!
//! Decisions on what the text leaves open:
//! - Town planning area (城镇规划区): the text gives 总人口 1000 到 5000 → one residents'
//!   committee and 总人口在1000户以下 → a new residents' group. The two halves only fit together
//!   if both count people, so **population** decides and the household count is not used:
//!   fewer than 1,000 people → residents' group (居民小组, managed by the nearest urban
//!   community); 1,000 to 5,000 people, both included (到 is inclusive) → residents'
//!   committee (居民委员会).
//! - Above 5,000 people the text is silent. Such a site still needs at least a residents'
//!   committee, so the answer is a residents' committee, and the basis says that the site is
//!   above the 1,000–5,000 range of one committee and that a split should be considered.
//! - Rural (农村): **households** decide. 300户以下 and 300户以上 both claim 300 (以上/以下
//!   include the number in Chinese legal usage); 300 goes to the middle band, which reads
//!   "300户以上、1000户以下" with both ends included. So: fewer than 300 → villagers' group
//!   (村民小组) merged into the nearest village; 300 to 1,000 → integrated community
//!   (融合型社区) of several villagers' groups relying on the administrative village; more
//!   than 1,000 → managed as an urban community (城市社区), which may form an urban
//!   residents' committee on the town's proposal with county approval.

coded_enum! {
    /// Where a site lies (A4§2.1).
    pub enum SiteAreaType {
        TownPlanningArea => ("town_planning_area", "城镇规划区"),
        Rural => ("rural", "农村"),
    }
}

coded_enum! {
    /// The self-governance unit a site must have (A4§2.1).
    pub enum GovernanceUnitKind {
        /// 居民委员会
        ResidentsCommittee => ("residents_committee", "居民委员会"),
        /// 居民小组, managed by the nearest urban community
        ResidentsGroup => ("residents_group", "居民小组"),
        /// 村民小组, merged into the nearest village
        VillagersGroup => ("villagers_group", "村民小组"),
        /// 融合型社区 of villagers' groups relying on the administrative village
        IntegratedCommunity => ("integrated_community", "融合型社区"),
        /// managed as an urban community (城市社区)
        UrbanCommunity => ("urban_community", "城市社区"),
    }
}

/// Town planning area: from this population a site has its own residents' committee.
pub const TOWN_COMMITTEE_MIN_POPULATION: u32 = 1_000;
/// Town planning area: the largest population the text assigns to one residents' committee.
pub const TOWN_COMMITTEE_MAX_POPULATION: u32 = 5_000;
/// Rural: from this many households a site is an integrated community.
pub const RURAL_INTEGRATED_MIN_HOUSEHOLDS: u32 = 300;
/// Rural: the most households of an integrated community; above it, an urban community.
pub const RURAL_INTEGRATED_MAX_HOUSEHOLDS: u32 = 1_000;

/// What A4§2.1 requires of a site, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GovernanceUnit {
    pub kind: GovernanceUnitKind,
    pub label_zh: &'static str,
    /// An English sentence explaining why, with the numbers.
    pub basis: String,
    pub clause: &'static str,
}

/// The self-governance unit of a site (A4§2.1); see the module docs for the boundaries.
pub fn self_governance_unit(
    area: SiteAreaType,
    households: u32,
    population: u32,
) -> GovernanceUnit {
    let (kind, basis) = match area {
        SiteAreaType::TownPlanningArea => town_unit(households, population),
        SiteAreaType::Rural => rural_unit(households),
    };
    GovernanceUnit {
        kind,
        label_zh: kind.label_zh(),
        basis,
        clause: "A4§2.1",
    }
}

fn town_unit(households: u32, population: u32) -> (GovernanceUnitKind, String) {
    let size = format!("{population} people ({households} households)");
    if population < TOWN_COMMITTEE_MIN_POPULATION {
        (
            GovernanceUnitKind::ResidentsGroup,
            format!(
                "Site in a town planning area with {size}: fewer than 1,000 people, so a new \
                 residents' group managed by the nearest urban community."
            ),
        )
    } else if population <= TOWN_COMMITTEE_MAX_POPULATION {
        (
            GovernanceUnitKind::ResidentsCommittee,
            format!(
                "Site in a town planning area with {size}: between 1,000 and 5,000 people, so its \
                 own residents' committee."
            ),
        )
    } else {
        (
            GovernanceUnitKind::ResidentsCommittee,
            format!(
                "Site in a town planning area with {size}: more than the 1,000 to 5,000 people of \
                 one residents' committee, so at least a residents' committee; consider more than one."
            ),
        )
    }
}

fn rural_unit(households: u32) -> (GovernanceUnitKind, String) {
    if households < RURAL_INTEGRATED_MIN_HOUSEHOLDS {
        (
            GovernanceUnitKind::VillagersGroup,
            format!(
                "Rural site with {households} households: fewer than 300, so a new villagers' group \
                 merged into the nearest village."
            ),
        )
    } else if households <= RURAL_INTEGRATED_MAX_HOUSEHOLDS {
        (
            GovernanceUnitKind::IntegratedCommunity,
            format!(
                "Rural site with {households} households: between 300 and 1,000, so several villagers' \
                 groups under grid management form an integrated community relying on the \
                 administrative village, with no separate village body."
            ),
        )
    } else {
        (
            GovernanceUnitKind::UrbanCommunity,
            format!(
                "Rural site with {households} households: more than 1,000, so it is managed as an urban \
                 community and may form an urban residents' committee on the town's proposal with \
                 county approval."
            ),
        )
    }
}

coded_enum! {
    /// What a public disclosure (居务公开, A4§3.1) makes public.
    pub enum DisclosureKind {
        Procedures => ("procedures", "办事程序"),
        Progress => ("progress", "办理进度"),
        Results => ("results", "办理结果"),
        Accounts => ("accounts", "财务收支"),
        PropertyFee => ("property_fee", "物业费收缴"),
        UtilityPrices => ("utility_prices", "水电气价格"),
        UtilityCollection => ("utility_collection", "水电气费收缴"),
        FundedProject => ("funded_project", "项目资金"),
        Decision => ("decision", "议事决策"),
        Other => ("other", "其他"),
    }
}

coded_enum! {
    /// Whether a consultation's outcome was adopted (A4§3.2 协商成果采纳).
    pub enum OutcomeAdoption {
        Pending => ("pending", "待采纳"),
        Adopted => ("adopted", "已采纳"),
        PartlyAdopted => ("partly_adopted", "部分采纳"),
        Rejected => ("rejected", "未采纳"),
    }
}

/// The share of relocated representatives among a consultation's attendees, exactly
/// (A4§3.2: 协商主体中要有一定比例的搬迁群众代表); `None` when nobody attended.
pub fn relocated_representative_share(
    attendees: u32,
    relocated_representatives: u32,
) -> Option<crate::money::Ratio> {
    crate::money::Ratio::new(u64::from(relocated_representatives), u64::from(attendees))
}

/// A consultation on a public matter that needs residents' labour (投工投劳) must count
/// relocated representatives among its parties (A4§3.2). The text asks for "一定比例" (a
/// certain share) without a number, so the rule enforced is: at least one. Matters without
/// residents' labour carry no requirement.
pub fn consultation_lacks_relocated_representatives(
    involves_resident_labour: bool,
    relocated_representatives: u32,
) -> bool {
    involves_resident_labour && relocated_representatives == 0
}

/// The share of participants satisfied or basically satisfied in a democratic evaluation
/// (民主评议, A4§3.3), exactly; `None` without participants.
pub fn satisfaction_share(
    participants: u32,
    satisfied: u32,
    basically_satisfied: u32,
) -> Option<crate::money::Ratio> {
    crate::money::Ratio::new(
        u64::from(satisfied) + u64::from(basically_satisfied),
        u64::from(participants),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use GovernanceUnitKind::*;

    fn town(population: u32) -> GovernanceUnitKind {
        self_governance_unit(SiteAreaType::TownPlanningArea, 45, population).kind
    }

    fn rural(households: u32) -> GovernanceUnitKind {
        self_governance_unit(SiteAreaType::Rural, households, 140).kind
    }

    #[test]
    fn town_sites_under_1000_people_are_residents_groups() {
        // A4§2.1
        assert_eq!(town(0), ResidentsGroup);
        assert_eq!(town(299), ResidentsGroup);
        assert_eq!(town(999), ResidentsGroup);
    }

    #[test]
    fn town_sites_of_1000_to_5000_people_inclusive_have_a_residents_committee() {
        // A4§2.1: 1000到5000, both ends included
        for population in [1_000, 1_001, 4_999, 5_000] {
            assert_eq!(town(population), ResidentsCommittee, "{population}");
        }
    }

    #[test]
    fn town_sites_above_5000_people_still_have_a_committee_and_are_told_to_consider_more() {
        // A4§2.1: beyond the text's range
        let unit = self_governance_unit(SiteAreaType::TownPlanningArea, 1_800, 5_001);
        assert_eq!(unit.kind, ResidentsCommittee);
        assert!(unit.basis.contains("5001 people"));
        assert!(unit.basis.contains("consider more than one"));
    }

    #[test]
    fn town_sites_ignore_the_household_count() {
        // A4§2.1: population decides in a town planning area
        assert_eq!(
            self_governance_unit(SiteAreaType::TownPlanningArea, 2_000, 999).kind,
            ResidentsGroup
        );
        assert_eq!(
            self_governance_unit(SiteAreaType::TownPlanningArea, 1, 1_000).kind,
            ResidentsCommittee
        );
    }

    #[test]
    fn rural_sites_under_300_households_are_villagers_groups() {
        // A4§2.1
        assert_eq!(rural(0), VillagersGroup);
        assert_eq!(rural(299), VillagersGroup);
    }

    #[test]
    fn rural_sites_of_300_to_1000_households_inclusive_are_integrated_communities() {
        // A4§2.1: 300 goes to the middle band
        for households in [300, 301, 999, 1_000] {
            assert_eq!(rural(households), IntegratedCommunity, "{households}");
        }
    }

    #[test]
    fn rural_sites_over_1000_households_are_urban_communities() {
        // A4§2.1
        assert_eq!(rural(1_001), UrbanCommunity);
        assert_eq!(rural(4_999), UrbanCommunity);
        assert_eq!(rural(5_000), UrbanCommunity);
        assert_eq!(rural(5_001), UrbanCommunity);
    }

    #[test]
    fn rural_sites_ignore_the_population() {
        // A4§2.1: households decide in rural areas
        assert_eq!(
            self_governance_unit(SiteAreaType::Rural, 299, 5_000).kind,
            VillagersGroup
        );
    }

    #[test]
    fn the_seed_sites_are_small_residents_groups_with_the_numbers_in_the_basis() {
        // A4§2.2: 45 households and 140 people in all, attached to existing communities.
        let unit = self_governance_unit(SiteAreaType::TownPlanningArea, 45, 140);
        assert_eq!(unit.kind, ResidentsGroup);
        assert_eq!(unit.label_zh, "居民小组");
        assert_eq!(unit.clause, "A4§2.1");
        assert!(unit.basis.contains("140 people (45 households)"));
    }

    #[test]
    fn the_representative_share_is_exact_and_undefined_without_attendees() {
        // A4§3.2: 一定比例的搬迁群众代表
        let share = relocated_representative_share(25, 9).unwrap();
        assert_eq!((share.part(), share.whole()), (9, 25));
        assert_eq!(share.to_percent().basis_points(), 3_600);
        assert_eq!(
            relocated_representative_share(3, 2)
                .unwrap()
                .to_percent()
                .basis_points(),
            6_667
        );
        assert_eq!(relocated_representative_share(0, 0), None);
    }

    #[test]
    fn a_labour_consultation_without_relocated_representatives_is_flagged() {
        // A4§3.2: 对需移民搬迁群众投工投劳的公共公益事项
        assert!(consultation_lacks_relocated_representatives(true, 0));
        assert!(!consultation_lacks_relocated_representatives(true, 1));
        assert!(!consultation_lacks_relocated_representatives(false, 0));
    }

    #[test]
    fn satisfaction_counts_satisfied_and_basically_satisfied() {
        // A4§3.3: 民主评议
        let share = satisfaction_share(27, 20, 6).unwrap();
        assert_eq!((share.part(), share.whole()), (26, 27));
        assert_eq!(satisfaction_share(0, 0, 0), None);
    }

    #[test]
    fn the_annex_4_codes_round_trip() {
        macro_rules! round_trip {
            ($($ty:ty),+) => { $(
                for value in <$ty>::ALL {
                    assert_eq!(<$ty>::from_code(value.code()), Some(*value));
                    assert!(!value.label_zh().is_empty());
                }
                assert_eq!(<$ty>::from_code("no_such_code"), None);
            )+ };
        }
        round_trip!(DisclosureKind, OutcomeAdoption);
    }
}
