//! GraphQL enums mirroring the domain's enums, and the codes the database stores.
use async_graphql::Enum;
use domain::governance::{
    GovernanceUnitKind as DomainGovernanceUnitKind, SiteAreaType as DomainSiteAreaType,
};
use domain::party::PartyOrganisationKind as DomainPartyOrganisationKind;
use domain::person::{
    AgeBand as DomainAgeBand, EmploymentStatus as DomainEmploymentStatus,
    FamilyRelation as DomainFamilyRelation, LabourCapacity as DomainLabourCapacity,
    Sex as DomainSex,
};
use domain::responsibility::TaskStatus as DomainTaskStatus;

use crate::error::ApiError;

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident mirrors $domain:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> $name {
                match value {
                    $($domain::$variant => $name::$variant),+
                }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> $domain {
                match value {
                    $($name::$variant => $domain::$variant),+
                }
            }
        }
    };
}

mirror_enum! {
    /// 性别, from the ID number's sex digit.
    Sex mirrors DomainSex { Male, Female }
}

mirror_enum! {
    /// Relation to the head of the household (与户主关系).
    FamilyRelation mirrors DomainFamilyRelation {
        /// 户主
        Head,
        /// 配偶
        Spouse,
        /// 子女
        Child,
        /// 儿媳/女婿
        ChildInLaw,
        /// 孙子女
        Grandchild,
        /// 父母
        Parent,
        /// 祖父母
        Grandparent,
        /// 兄弟姐妹
        Sibling,
        /// 其他
        Other,
    }
}

mirror_enum! {
    /// 劳动能力: FULL and PARTIAL count as labour (A2§1).
    LabourCapacity mirrors DomainLabourCapacity { Full, Partial, None }
}

mirror_enum! {
    /// 就业状态.
    EmploymentStatus mirrors DomainEmploymentStatus { Employed, Unemployed, NotInLabourForce }
}

mirror_enum! {
    /// Age band by completed years: preschool 0–5, compulsory school 6–15, working age 16–59, elderly 60+.
    AgeBand mirrors DomainAgeBand { Preschool, CompulsorySchool, WorkingAge, Elderly }
}

mirror_enum! {
    /// Where a site lies, which decides its self-governance unit (A4§2.1).
    SiteAreaType mirrors DomainSiteAreaType { TownPlanningArea, Rural }
}

mirror_enum! {
    /// The self-governance unit a site must have (A4§2.1).
    GovernanceUnitKind mirrors DomainGovernanceUnitKind {
        /// 居民委员会
        ResidentsCommittee,
        /// 居民小组, managed by the nearest urban community
        ResidentsGroup,
        /// 村民小组, merged into the nearest village
        VillagersGroup,
        /// 融合型社区 relying on the administrative village
        IntegratedCommunity,
        /// managed as an urban community (城市社区)
        UrbanCommunity,
    }
}

mirror_enum! {
    /// The party organisation a site must have (A6§1.1).
    PartyOrganisationKind mirrors DomainPartyOrganisationKind {
        /// 党支部 or 党小组: three or more formal members
        BranchOrGroup,
        /// fewer than three: relations move to the local organisation
        TransferToLocalOrganisation,
        /// none: the town committee sends a party-building instructor (党建指导员)
        PartyBuildingInstructor,
    }
}

/// 镇 or 街道办.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TownKind {
    Town,
    Subdistrict,
}

impl TownKind {
    pub fn from_code(code: &str) -> Result<TownKind, ApiError> {
        match code {
            "town" => Ok(TownKind::Town),
            "subdistrict" => Ok(TownKind::Subdistrict),
            other => Err(corrupt("town.kind", other)),
        }
    }
}

/// A stored code that no enum knows means the database holds something the code never wrote.
pub fn corrupt(column: &str, value: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("unknown code {value:?} in column {column}"))
}

/// Decodes a stored code through a domain `from_code`.
pub fn decode<T>(
    column: &str,
    value: &str,
    from_code: fn(&str) -> Option<T>,
) -> Result<T, ApiError> {
    from_code(value).ok_or_else(|| corrupt(column, value))
}

mirror_enum! {
    /// A task's status, derived from its deadline, progress and completion (A7§1): never typed
    /// by hand. DUE_SOON (yellow) starts 7 days before the deadline; OVERDUE (red) the day after.
    TaskStatus mirrors DomainTaskStatus {
        /// 未启动: no progress reported yet.
        NotStarted,
        /// 推进中: progress reported, deadline more than 7 days away.
        OnTrack,
        /// 临近期限 (yellow): 7 days or fewer to the deadline.
        DueSoon,
        /// 已逾期 (red): past the deadline and not done.
        Overdue,
        /// 已完成 (green): a 100 % report accepted by the lead bureau.
        Done,
    }
}
