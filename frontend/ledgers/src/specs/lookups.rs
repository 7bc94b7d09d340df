//! Option lists shared by the ledgers' forms and filters: records loaded from the server.

use crate::{Lookup, Shape};

/// Towns and sub-districts (镇/街道).
pub static TOWNS: Lookup = Lookup {
    query: "query LookupTowns { towns { id name } }",
    root: "towns",
    shape: Shape::List,
    value: "id",
    label: "name",
};

/// Resettlement sites (at most a few dozen in a district: one page of 100).
pub static SITES: Lookup = Lookup {
    query: "query LookupSites { sites(first: 100) { nodes { id name } pageInfo { hasNextPage endCursor } } }",
    root: "sites",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// The district bureaus.
pub static BUREAUS: Lookup = Lookup {
    query: "query LookupBureaus { bureaus { code name } }",
    root: "bureaus",
    shape: Shape::List,
    value: "code",
    label: "name",
};

/// Towns by their statistical division code (inputs that take `townCode`, e.g. land-linkage
/// projects).
pub static TOWN_DIVISION_CODES: Lookup = Lookup {
    query: "query LookupTownDivisionCodes { towns { divisionCode name } }",
    root: "towns",
    shape: Shape::List,
    value: "divisionCode",
    label: "name",
};

/// Households found by the start of their code (搜索户编号), labelled by the head's name; for
/// [`crate::Input::Search`] (needs the `identity` domain).
pub static HOUSEHOLDS: Lookup = Lookup {
    query: "query LookupHouseholds($search: String) { households(first: 20, filter: {codePrefix: $search}) { nodes { id label: headName } } }",
    root: "households",
    shape: Shape::Connection,
    value: "id",
    label: "label",
};

/// Relocated persons found by the start of their name; for [`crate::Input::Search`] (needs the
/// `identity` domain).
pub static PERSONS: Lookup = Lookup {
    query: "query LookupPersons($search: String) { persons(first: 20, filter: {namePrefix: $search}) { nodes { id name } } }",
    root: "persons",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// Land-linkage projects (增减挂钩项目, A5§4).
pub static LAND_LINKAGE_PROJECTS: Lookup = Lookup {
    query: "query LookupLandLinkageProjects { landLinkageProjects(first: 100) { nodes { id name } pageInfo { hasNextPage endCursor } } }",
    root: "landLinkageProjects",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// Savings quotas (节余指标) by code (A5§9).
pub static LAND_QUOTAS: Lookup = Lookup {
    query: "query LookupLandQuotas { landQuotas(first: 100) { nodes { id code } pageInfo { hasNextPage endCursor } } }",
    root: "landQuotas",
    shape: Shape::Connection,
    value: "id",
    label: "code",
};

/// Quota transfers by their provincial-platform reference (A5§8).
pub static QUOTA_TRANSFERS: Lookup = Lookup {
    query: "query LookupQuotaTransfers { quotaTransfers(first: 100) { nodes { id platformReference } pageInfo { hasNextPage endCursor } } }",
    root: "quotaTransfers",
    shape: Shape::Connection,
    value: "id",
    label: "platformReference",
};

/// The repayment-reserve accounts (还款准备金专户, A5§11) by account number.
pub static REPAYMENT_RESERVE_ACCOUNTS: Lookup = Lookup {
    query: "query LookupRepaymentReserveAccounts { repaymentReserveAccounts { accountNo name } }",
    root: "repaymentReserveAccounts",
    shape: Shape::List,
    value: "accountNo",
    label: "name",
};

/// Party members, probationary members and activists of the user's sites (every read of
/// them is audited).
pub static PARTY_MEMBERS: Lookup = Lookup {
    query: "query LookupPartyMembers { partyMembers(first: 100) { nodes { id name } pageInfo { hasNextPage endCursor } } }",
    root: "partyMembers",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// The sites' current party organisations (A6§1.1). A site without one answers with
/// `organisation: null`: a row without a value is no option.
pub static PARTY_ORGANISATIONS: Lookup = Lookup {
    query: "query LookupPartyOrganisations { sitePartyOrganisations { organisation { id name } } }",
    root: "sitePartyOrganisations",
    shape: Shape::List,
    value: "organisation.id",
    label: "organisation.name",
};

/// Open postings of the job database (A2§1), by title: what can still be pushed.
pub static OPEN_JOB_POSTINGS: Lookup = Lookup {
    query: "query LookupOpenJobPostings { jobPostings(first: 100, filter: {status: [OPEN]}) { nodes { id title } pageInfo { hasNextPage endCursor } } }",
    root: "jobPostings",
    shape: Shape::Connection,
    value: "id",
    label: "title",
};

/// Persons with labour capacity found by the start of their name; for [`crate::Input::Search`]
/// (needs the `identity` domain).
pub static LABOUR_PERSONS: Lookup = Lookup {
    query: "query LookupLabourPersons($search: String) { persons(first: 20, filter: {labourCapacity: [FULL, PARTIAL], namePrefix: $search}) { nodes { id name } } }",
    root: "persons",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// Training institutions (A2§3.1).
pub static TRAINING_INSTITUTIONS: Lookup = Lookup {
    query: "query LookupTrainingInstitutions { trainingInstitutions { id name } }",
    root: "trainingInstitutions",
    shape: Shape::List,
    value: "id",
    label: "name",
};

/// The "3+X" industries (A1§1), by code.
pub static INDUSTRIES: Lookup = Lookup {
    query: "query LookupIndustries { industries { code name } }",
    root: "industries",
    shape: Shape::List,
    value: "code",
    label: "name",
};

/// Business entities that drive poverty reduction (带贫主体, A1§2).
pub static BUSINESS_ENTITIES: Lookup = Lookup {
    query: "query LookupBusinessEntities { businessEntities(first: 100) { nodes { id name } pageInfo { hasNextPage endCursor } } }",
    root: "businessEntities",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// Sales channels (A1§4).
pub static SALES_CHANNELS: Lookup = Lookup {
    query: "query LookupSalesChannels { salesChannels(first: 100) { nodes { id name } pageInfo { hasNextPage endCursor } } }",
    root: "salesChannels",
    shape: Shape::Connection,
    value: "id",
    label: "name",
};

/// Schools that take relocated children (A3§2), by code (what `recordSchoolEnrolment` takes).
pub static SCHOOLS: Lookup = Lookup {
    query: "query LookupSchools { schools { code name } }",
    root: "schools",
    shape: Shape::List,
    value: "code",
    label: "name",
};
