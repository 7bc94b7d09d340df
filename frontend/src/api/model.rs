//! What the pages get from the API: plain data, with Chinese labels for the schema's enums.

use serde::Deserialize;

/// Generates a GraphQL enum mirror with a Chinese label per value. Values the app does not know
/// yet (the schema grew) deserialize to `Unknown` instead of failing the whole page.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($variant,)+
            #[serde(other)]
            Unknown,
        }

        impl $name {
            /// The Chinese text shown for this value.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                    Self::Unknown => "未知",
                }
            }
        }
    };
}

labelled_enum! {
    /// 镇 or 街道办.
    TownKind { Town => "镇", Subdistrict => "街道办", }
}

labelled_enum! {
    /// Where a site lies, which decides its self-governance unit (A4§2.1).
    SiteAreaType { TownPlanningArea => "城镇规划区", Rural => "农村地区", }
}

labelled_enum! {
    /// 性别.
    Sex { Male => "男", Female => "女", }
}

labelled_enum! {
    /// A member's relation to the household head.
    FamilyRelation {
        Head => "户主",
        Spouse => "配偶",
        Child => "子女",
        ChildInLaw => "儿媳/女婿",
        Grandchild => "孙子女",
        Parent => "父母",
        Grandparent => "祖父母",
        Sibling => "兄弟姐妹",
        Other => "其他",
    }
}

labelled_enum! {
    /// 劳动能力.
    LabourCapacity { Full => "有劳动能力", Partial => "弱劳动能力", None => "无劳动能力", }
}

labelled_enum! {
    /// 就业状态.
    EmploymentStatus { Employed => "已就业", Unemployed => "未就业", NotInLabourForce => "非劳动力", }
}

labelled_enum! {
    /// 年龄段.
    AgeBand {
        Preschool => "学龄前",
        CompulsorySchool => "义务教育阶段",
        WorkingAge => "劳动年龄",
        Elderly => "老年",
    }
}

/// The district-wide numbers of 区级总览.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictOverview {
    pub site_count: i64,
    pub household_count: i64,
    pub population: i64,
    pub labour_force_count: i64,
    pub employed_count: i64,
    pub zero_employment_household_count: i64,
}

/// A site as listed on the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSummary {
    pub id: String,
    pub name: String,
    pub town_name: String,
    pub community_name: String,
    pub household_count: i64,
    pub population: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewData {
    pub overview: DistrictOverview,
    pub sites: Vec<SiteSummary>,
}

/// What a rule of the seed decides for a site, with the reasoning and the clause it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    pub label: String,
    pub basis: String,
    pub clause: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDetail {
    pub id: String,
    pub code: String,
    pub name: String,
    pub address: String,
    pub area_type: SiteAreaType,
    pub town_name: String,
    pub town_kind: TownKind,
    pub community_name: String,
    pub household_count: i64,
    pub population: i64,
    pub labour_force_count: i64,
    pub employed_count: i64,
    pub zero_employment_household_count: i64,
    pub formal_party_member_count: i64,
    /// A4§2.1.
    pub governance_unit: RuleOutcome,
    /// A6§1.1.
    pub party_organisation: RuleOutcome,
}

/// A household as listed on its site's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: String,
    pub code: String,
    pub flat_label: Option<String>,
    pub head_name: Option<String>,
    pub member_count: i64,
    pub registered_poor: bool,
    pub is_zero_employment: bool,
}

/// One page of a site's households.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdPage {
    pub households: Vec<HouseholdSummary>,
    pub total_count: i64,
    /// The cursor to ask for the next page with; `None` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdDetail {
    pub id: String,
    pub code: String,
    pub flat_label: Option<String>,
    pub registered_poor: bool,
    pub relocated_on: Option<String>,
    pub head_name: Option<String>,
    pub member_count: i64,
    pub labour_force_count: i64,
    pub employed_count: i64,
    pub is_zero_employment: bool,
    pub archived: bool,
    pub site_id: String,
    pub site_name: String,
    pub origin_village_name: Option<String>,
    pub members: Vec<Member>,
}

/// A household member. `id_number` and `phone` are shown exactly as the API returns them (the
/// server decides whether they are masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub relation: FamilyRelation,
    pub sex: Sex,
    pub age: i64,
    pub age_band: AgeBand,
    pub labour_capacity: LabourCapacity,
    pub employment_status: EmploymentStatus,
    pub id_number: String,
    pub phone: Option<String>,
}
