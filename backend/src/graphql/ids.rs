//! Opaque global IDs for `node(id:)` and cursors: base64url of `Type:number`.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::ApiError;

/// The record types that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeType {
    Town,
    Community,
    Village,
    Site,
    Household,
    Person,
    Bureau,
    ResponsibilityTask,
    TaskStageGoal,
    ProgressReport,
    ExtensionRequest,
    TaskAttachment,
    Inspection,
    InspectionFinding,
    Interview,
    Consequence,
    AssessmentPlan,
    AssessmentIndicator,
    AssessmentPublication,
    JobPosting,
    JobPush,
    EmploymentSpell,
    TrainingClass,
    TrainingEnrolment,
    TrainingInstitution,
    BusinessEntity,
    BenefitLinkage,
    SalesChannel,
    SiteNeed,
    PropertyTicket,
    SchoolEnrolment,
    InsuranceEnrolment,
    FamilyDoctorContract,
    SocialAssistance,
    HouseholdRegistration,
    PublicDisclosure,
    ConsultationMeeting,
    DemocraticEvaluation,
    Homestead,
    LandLinkageProject,
    LandQuota,
    QuotaTransfer,
    LandRevenue,
    PartyOrganisation,
    PartyMember,
    PartyRelationTransfer,
    PartyMeeting,
    PartyVisit,
    EntrepreneurshipTraining,
    GuaranteedLoan,
    ChronicCondition,
    HealthFollowUp,
    SiteFacility,
    SiteCouncil,
    DisputeRoom,
    DisputeCase,
    TownCommitteeReview,
    Alert,
}

impl NodeType {
    pub fn name(self) -> &'static str {
        match self {
            NodeType::Town => "Town",
            NodeType::Community => "Community",
            NodeType::Village => "Village",
            NodeType::Site => "Site",
            NodeType::Household => "Household",
            NodeType::Person => "Person",
            NodeType::Bureau => "Bureau",
            NodeType::ResponsibilityTask => "ResponsibilityTask",
            NodeType::TaskStageGoal => "TaskStageGoal",
            NodeType::ProgressReport => "ProgressReport",
            NodeType::ExtensionRequest => "ExtensionRequest",
            NodeType::TaskAttachment => "TaskAttachment",
            NodeType::Inspection => "Inspection",
            NodeType::InspectionFinding => "InspectionFinding",
            NodeType::Interview => "Interview",
            NodeType::Consequence => "Consequence",
            NodeType::AssessmentPlan => "AssessmentPlan",
            NodeType::AssessmentIndicator => "AssessmentIndicator",
            NodeType::AssessmentPublication => "AssessmentPublication",
            NodeType::JobPosting => "JobPosting",
            NodeType::JobPush => "JobPush",
            NodeType::EmploymentSpell => "EmploymentSpell",
            NodeType::TrainingClass => "TrainingClass",
            NodeType::TrainingEnrolment => "TrainingEnrolment",
            NodeType::TrainingInstitution => "TrainingInstitution",
            NodeType::BusinessEntity => "BusinessEntity",
            NodeType::BenefitLinkage => "BenefitLinkage",
            NodeType::SalesChannel => "SalesChannel",
            NodeType::SiteNeed => "SiteNeed",
            NodeType::PropertyTicket => "PropertyTicket",
            NodeType::SchoolEnrolment => "SchoolEnrolment",
            NodeType::InsuranceEnrolment => "InsuranceEnrolment",
            NodeType::FamilyDoctorContract => "FamilyDoctorContract",
            NodeType::SocialAssistance => "SocialAssistance",
            NodeType::HouseholdRegistration => "HouseholdRegistration",
            NodeType::PublicDisclosure => "PublicDisclosure",
            NodeType::ConsultationMeeting => "ConsultationMeeting",
            NodeType::DemocraticEvaluation => "DemocraticEvaluation",
            NodeType::Homestead => "Homestead",
            NodeType::LandLinkageProject => "LandLinkageProject",
            NodeType::LandQuota => "LandQuota",
            NodeType::QuotaTransfer => "QuotaTransfer",
            NodeType::LandRevenue => "LandRevenue",
            NodeType::PartyOrganisation => "PartyOrganisation",
            NodeType::PartyMember => "PartyMember",
            NodeType::PartyRelationTransfer => "PartyRelationTransfer",
            NodeType::PartyMeeting => "PartyMeeting",
            NodeType::PartyVisit => "PartyVisit",
            NodeType::EntrepreneurshipTraining => "EntrepreneurshipTraining",
            NodeType::GuaranteedLoan => "GuaranteedLoan",
            NodeType::ChronicCondition => "ChronicCondition",
            NodeType::HealthFollowUp => "HealthFollowUp",
            NodeType::SiteFacility => "SiteFacility",
            NodeType::SiteCouncil => "SiteCouncil",
            NodeType::DisputeRoom => "DisputeRoom",
            NodeType::DisputeCase => "DisputeCase",
            NodeType::TownCommitteeReview => "TownCommitteeReview",
            NodeType::Alert => "Alert",
        }
    }

    fn from_name(name: &str) -> Option<NodeType> {
        [
            NodeType::Town,
            NodeType::Community,
            NodeType::Village,
            NodeType::Site,
            NodeType::Household,
            NodeType::Person,
            NodeType::Bureau,
            NodeType::ResponsibilityTask,
            NodeType::TaskStageGoal,
            NodeType::ProgressReport,
            NodeType::ExtensionRequest,
            NodeType::TaskAttachment,
            NodeType::Inspection,
            NodeType::InspectionFinding,
            NodeType::Interview,
            NodeType::Consequence,
            NodeType::AssessmentPlan,
            NodeType::AssessmentIndicator,
            NodeType::AssessmentPublication,
            NodeType::JobPosting,
            NodeType::JobPush,
            NodeType::EmploymentSpell,
            NodeType::TrainingClass,
            NodeType::TrainingEnrolment,
            NodeType::TrainingInstitution,
            NodeType::BusinessEntity,
            NodeType::BenefitLinkage,
            NodeType::SalesChannel,
            NodeType::SiteNeed,
            NodeType::PropertyTicket,
            NodeType::SchoolEnrolment,
            NodeType::InsuranceEnrolment,
            NodeType::FamilyDoctorContract,
            NodeType::SocialAssistance,
            NodeType::HouseholdRegistration,
            NodeType::PublicDisclosure,
            NodeType::ConsultationMeeting,
            NodeType::DemocraticEvaluation,
            NodeType::Homestead,
            NodeType::LandLinkageProject,
            NodeType::LandQuota,
            NodeType::QuotaTransfer,
            NodeType::LandRevenue,
            NodeType::PartyOrganisation,
            NodeType::PartyMember,
            NodeType::PartyRelationTransfer,
            NodeType::PartyMeeting,
            NodeType::PartyVisit,
            NodeType::EntrepreneurshipTraining,
            NodeType::GuaranteedLoan,
            NodeType::ChronicCondition,
            NodeType::HealthFollowUp,
            NodeType::SiteFacility,
            NodeType::SiteCouncil,
            NodeType::DisputeRoom,
            NodeType::DisputeCase,
            NodeType::TownCommitteeReview,
            NodeType::Alert,
        ]
        .into_iter()
        .find(|node_type| node_type.name() == name)
    }
}

pub fn encode_id(node_type: NodeType, id: i64) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", node_type.name())))
}

/// Decodes any global ID into its type and number.
pub fn decode_any_id(field: &str, id: &str) -> Result<(NodeType, i64), ApiError> {
    let invalid = || ApiError::invalid(field, format!("{id:?} is not an ID issued by this API"));
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (type_name, number) = text.split_once(':').ok_or_else(invalid)?;
    let node_type = NodeType::from_name(type_name).ok_or_else(invalid)?;
    let number: i64 = number.parse().map_err(|_| invalid())?;
    if number <= 0 {
        return Err(invalid());
    }
    Ok((node_type, number))
}

/// Decodes a global ID that must be of `expected` type (e.g. `siteId` must be a Site's ID).
pub fn decode_id(field: &str, expected: NodeType, id: &str) -> Result<i64, ApiError> {
    let (node_type, number) = decode_any_id(field, id)?;
    if node_type != expected {
        return Err(ApiError::invalid(
            field,
            format!(
                "expected the ID of a {}, got the ID of a {}",
                expected.name(),
                node_type.name()
            ),
        ));
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_opaque() {
        let id = encode_id(NodeType::Household, 42);
        assert!(!id.0.contains("42"));
        assert_eq!(decode_id("id", NodeType::Household, &id).unwrap(), 42);
    }

    #[test]
    fn an_id_of_another_type_is_refused_with_both_types_named() {
        let id = encode_id(NodeType::Site, 1);
        let error = decode_id("householdId", NodeType::Household, &id).unwrap_err();
        assert_eq!(error.code(), "INVALID_INPUT");
        assert!(error.message().contains("Household"));
        assert!(error.message().contains("Site"));
    }

    #[test]
    fn garbage_ids_are_invalid_input() {
        for garbage in ["", "!!", "U2l0ZTp4", "Tm9wZToz", "U2l0ZTotMQ"] {
            assert!(decode_any_id("id", garbage).is_err(), "{garbage}");
        }
    }
}
