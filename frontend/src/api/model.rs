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

/// A field the server may withhold: its value, nothing recorded (`null` without an error), or
/// `null` with a `FORBIDDEN_FIELD` error because the user's roles may not read its data domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guarded<T> {
    Shown(T),
    NotRecorded,
    Forbidden,
}

impl<T> Guarded<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Guarded<U> {
        match self {
            Self::Shown(value) => Guarded::Shown(f(value)),
            Self::NotRecorded => Guarded::NotRecorded,
            Self::Forbidden => Guarded::Forbidden,
        }
    }

    /// The value, when it was shown.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Self::Shown(value) => Some(value),
            Self::NotRecorded | Self::Forbidden => None,
        }
    }
}

impl<T> From<T> for Guarded<T> {
    fn from(value: T) -> Self {
        Self::Shown(value)
    }
}

/// A household as listed on its site's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: String,
    pub code: Guarded<String>,
    pub flat_label: Guarded<String>,
    pub head_name: Guarded<String>,
    pub member_count: Guarded<i64>,
    pub registered_poor: Guarded<bool>,
    pub is_zero_employment: Guarded<bool>,
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
    pub code: Guarded<String>,
    pub flat_label: Guarded<String>,
    pub registered_poor: Guarded<bool>,
    pub relocated_on: Guarded<String>,
    pub head_name: Guarded<String>,
    pub member_count: Guarded<i64>,
    pub labour_force_count: Guarded<i64>,
    pub employed_count: Guarded<i64>,
    pub is_zero_employment: Guarded<bool>,
    pub archived: bool,
    pub site_id: String,
    pub site_name: String,
    pub origin_village_name: Guarded<String>,
    pub members: Guarded<Vec<Member>>,
}

/// A household member. `id_number` and `phone` are shown exactly as the API returns them (the
/// server decides whether they are masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: Guarded<String>,
    pub relation: Guarded<FamilyRelation>,
    pub sex: Guarded<Sex>,
    pub age: Guarded<i64>,
    pub age_band: Guarded<AgeBand>,
    pub labour_capacity: Guarded<LabourCapacity>,
    pub employment_status: Guarded<EmploymentStatus>,
    pub id_number: Guarded<String>,
    pub phone: Guarded<String>,
}

/// A role the signed-in user holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub code: String,
    pub name: String,
}

/// The data domains the web app decides its navigation by (codes as in the API's policy).
pub mod domain {
    /// Names, households, members: the registry (名册).
    pub const IDENTITY: &str = "identity";
}

/// The signed-in user as the server describes them (`Me`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    /// The initial password must be changed before anything else works.
    pub must_change_password: bool,
    pub roles: Vec<Role>,
    /// Codes of the data domains the user may read.
    pub readable_domains: Vec<String>,
}

impl Me {
    /// Whether the user's roles may read the data domain `code` (see [`domain`]).
    pub fn can_read(&self, code: &str) -> bool {
        self.readable_domains
            .iter()
            .any(|readable| readable == code)
    }
}
