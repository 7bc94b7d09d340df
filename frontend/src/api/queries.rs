//! The typed GraphQL operations in `frontend/graphql/`, checked at compile time against `schema.graphql`.
#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

use super::model::{
    AgeBand, AssessmentMethod, AssessmentPlanStatus, EmploymentStatus, ExtensionStatus,
    FamilyRelation, LabourCapacity, ReportStatus, Sex, SiteAreaType, TaskEventKind,
    TaskInvolvement, TaskStatus, TownKind, UnitKind,
};

/// An assessed unit is a bureau or a town, like a responsible unit.
type AssessmentSubjectKind = UnitKind;

// graphql_client reads these files inside its macro, which cargo does not track:
// including them makes an edited schema or query rebuild the app (and re-check the queries).
const _SCHEMA: &str = include_str!("../../../schema.graphql");
const _OVERVIEW_QUERY: &str = include_str!("../../graphql/overview.graphql");
const _SITE_QUERY: &str = include_str!("../../graphql/site.graphql");
const _SITE_HOUSEHOLDS_QUERY: &str = include_str!("../../graphql/site_households.graphql");
const _HOUSEHOLD_QUERY: &str = include_str!("../../graphql/household.graphql");
const _SESSION_OPERATIONS: &str = include_str!("../../graphql/session.graphql");
const _RESPONSIBILITY_OPERATIONS: &str = include_str!("../../graphql/responsibility.graphql");
const _ASSESSMENT_OPERATIONS: &str = include_str!("../../graphql/assessment.graphql");

// The schema's custom scalars as the web app sees them: opaque strings, shown as they come.
type NaiveDate = String;
type DateTime = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/overview.graphql",
    response_derives = "Debug"
)]
pub struct DistrictOverview;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/site.graphql",
    response_derives = "Debug",
    extern_enums("SiteAreaType", "TownKind")
)]
pub struct SiteDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/site_households.graphql",
    response_derives = "Debug"
)]
pub struct SiteHouseholds;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/household.graphql",
    response_derives = "Debug",
    extern_enums(
        "Sex",
        "FamilyRelation",
        "LabourCapacity",
        "EmploymentStatus",
        "AgeBand"
    )
)]
pub struct HouseholdDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug"
)]
pub struct Login;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug"
)]
pub struct RefreshSession;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug"
)]
pub struct Logout;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug"
)]
pub struct ChangePassword;

/// Declares one operation of `graphql/responsibility.graphql`, with the schema's enums mapped to
/// the labelled ones of `model`.
macro_rules! responsibility_operation {
    ($name:ident) => {
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = "graphql/responsibility.graphql",
            response_derives = "Debug",
            extern_enums(
                "TaskStatus",
                "UnitKind",
                "TaskInvolvement",
                "ReportStatus",
                "ExtensionStatus",
                "TaskEventKind"
            )
        )]
        pub struct $name;
    };
}

responsibility_operation!(MyTasks);
responsibility_operation!(ResponsibilityMatrix);
responsibility_operation!(ResponsibilityTaskDetail);
responsibility_operation!(ResponsibilityInbox);
responsibility_operation!(SubmitProgressReport);
responsibility_operation!(ReviewProgressReport);
responsibility_operation!(RequestDeadlineExtension);
responsibility_operation!(DecideDeadlineExtension);

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/assessment.graphql",
    response_derives = "Debug",
    extern_enums("AssessmentPlanStatus")
)]
pub struct AssessmentIndex;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/assessment.graphql",
    response_derives = "Debug",
    extern_enums("AssessmentSubjectKind", "AssessmentMethod")
)]
pub struct AssessmentResults;
