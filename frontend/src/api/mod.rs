//! The only module that talks to the server: typed GraphQL queries POSTed to `{api_base}/graphql`.

mod client;
pub mod model;
mod queries;

pub use client::ApiError;
use model::{
    DistrictOverview, HouseholdDetail, HouseholdPage, HouseholdSummary, Member, OverviewData,
    RuleOutcome, SiteDetail, SiteSummary,
};

/// How many households one 加载更多 click fetches.
pub const HOUSEHOLD_PAGE_SIZE: i64 = 20;

/// The district numbers and every site, for 区级总览.
pub async fn fetch_district_overview() -> Result<OverviewData, ApiError> {
    use queries::district_overview::{ResponseData, Variables};
    let data: ResponseData = client::run::<queries::DistrictOverview>(Variables {}).await?;
    let numbers = data.district_overview;
    let sites = data
        .sites
        .nodes
        .into_iter()
        .map(|site| SiteSummary {
            id: site.id,
            name: site.name,
            town_name: site.town.name,
            community_name: site.community.name,
            household_count: site.household_count,
            population: site.population,
        })
        .collect();
    Ok(OverviewData {
        overview: DistrictOverview {
            site_count: numbers.site_count,
            household_count: numbers.household_count,
            population: numbers.population,
            labour_force_count: numbers.labour_force_count,
            employed_count: numbers.employed_count,
            zero_employment_household_count: numbers.zero_employment_household_count,
        },
        sites,
    })
}

/// One site with its counts and rule outcomes; `NotFound` when the id names no site.
pub async fn fetch_site(id: String) -> Result<SiteDetail, ApiError> {
    use queries::site_detail::{ResponseData, SiteDetailNode, Variables};
    let data: ResponseData = client::run::<queries::SiteDetail>(Variables { id }).await?;
    let Some(SiteDetailNode::Site(site)) = data.node else {
        return Err(ApiError::NotFound {
            what: "该安置点"
        });
    };
    Ok(SiteDetail {
        id: site.id,
        code: site.code,
        name: site.name,
        address: site.address,
        area_type: site.area_type,
        town_name: site.town.name,
        town_kind: site.town.kind,
        community_name: site.community.name,
        household_count: site.household_count,
        population: site.population,
        labour_force_count: site.labour_force_count,
        employed_count: site.employed_count,
        zero_employment_household_count: site.zero_employment_household_count,
        formal_party_member_count: site.formal_party_member_count,
        governance_unit: RuleOutcome {
            label: site.governance_unit.label,
            basis: site.governance_unit.basis,
            clause: site.governance_unit.clause,
        },
        party_organisation: RuleOutcome {
            label: site.party_organisation_requirement.label,
            basis: site.party_organisation_requirement.basis,
            clause: site.party_organisation_requirement.clause,
        },
    })
}

/// One page of a site's households, starting after `after` (the previous page's end cursor).
pub async fn fetch_site_households(
    site_id: String,
    after: Option<String>,
) -> Result<HouseholdPage, ApiError> {
    use queries::site_households::{ResponseData, SiteHouseholdsNode, Variables};
    let variables = Variables {
        id: site_id,
        first: HOUSEHOLD_PAGE_SIZE,
        after,
    };
    let data: ResponseData = client::run::<queries::SiteHouseholds>(variables).await?;
    let Some(SiteHouseholdsNode::Site(site)) = data.node else {
        return Err(ApiError::NotFound {
            what: "该安置点"
        });
    };
    let connection = site.households;
    let next_cursor = if connection.page_info.has_next_page {
        connection.page_info.end_cursor
    } else {
        None
    };
    Ok(HouseholdPage {
        total_count: connection.total_count,
        next_cursor,
        households: connection
            .nodes
            .into_iter()
            .map(|household| HouseholdSummary {
                id: household.id,
                code: household.code,
                flat_label: household.flat_label,
                head_name: household.head_name,
                member_count: household.member_count,
                registered_poor: household.registered_poor,
                is_zero_employment: household.is_zero_employment,
            })
            .collect(),
    })
}

/// One household with its members; `NotFound` when the id names no household.
pub async fn fetch_household(id: String) -> Result<HouseholdDetail, ApiError> {
    use queries::household_detail::{HouseholdDetailNode, ResponseData, Variables};
    let data: ResponseData = client::run::<queries::HouseholdDetail>(Variables { id }).await?;
    let Some(HouseholdDetailNode::Household(household)) = data.node else {
        return Err(ApiError::NotFound {
            what: "该搬迁户"
        });
    };
    Ok(HouseholdDetail {
        id: household.id,
        code: household.code,
        flat_label: household.flat_label,
        registered_poor: household.registered_poor,
        relocated_on: household.relocated_on,
        head_name: household.head_name,
        member_count: household.member_count,
        labour_force_count: household.labour_force_count,
        employed_count: household.employed_count,
        is_zero_employment: household.is_zero_employment,
        archived: household.archived_at.is_some(),
        site_id: household.site.id,
        site_name: household.site.name,
        origin_village_name: household.origin_village.map(|village| village.name),
        members: household
            .members
            .into_iter()
            .map(|member| Member {
                id: member.id,
                name: member.name,
                relation: member.relation,
                sex: member.sex,
                age: member.age,
                age_band: member.age_band,
                labour_capacity: member.labour_capacity,
                employment_status: member.employment_status,
                id_number: member.id_number,
                phone: member.phone,
            })
            .collect(),
    })
}
