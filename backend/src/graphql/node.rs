//! The Relay `Node` interface and `node(id:)`: any record by its opaque global ID.
//!
//! The registry's records and the tasks resolve here and in `registry.rs`/`responsibility.rs`;
//! the annexes' records in their own modules (`resolve_node` in each), with the access rules
//! of their lists: the list's data domain (outside it the answer is a `FORBIDDEN_FIELD`
//! error, as the list's), and its row scope — a record the list would not show the principal
//! (another town's) is `null`, as if it did not exist.
use async_graphql::{Context, Interface, Object, Result, ID};

use super::alerts::Alert;
use super::employment::{JobPosting, TrainingClass, TrainingInstitution};
use super::ids::decode_any_id;
use super::ids::NodeType;
use super::industry::{BenefitLinkage, BusinessEntity, SalesChannel};
use super::land::{Homestead, LandLinkageProject, LandQuota, LandRevenue, QuotaTransfer};
use super::party::{PartyMember, PartyOrganisation, PartyRelationTransfer, PartyVisit};
use super::public_services::{PropertyTicket, SiteNeed};
use super::registry::{resolve_node, Community, Household, Person, Site, Town, Village};
use super::responsibility::{resolve_task, ResponsibilityTask};
use super::self_government::{ConsultationMeeting, DemocraticEvaluation, PublicDisclosure};
use crate::persistence::paging::{Cursor, PageDirection, PageRequest};

/// A record with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Town(Town),
    Community(Community),
    Village(Village),
    Site(Site),
    Household(Household),
    Person(Person),
    ResponsibilityTask(ResponsibilityTask),
    JobPosting(JobPosting),
    TrainingInstitution(TrainingInstitution),
    TrainingClass(TrainingClass),
    BusinessEntity(BusinessEntity),
    BenefitLinkage(BenefitLinkage),
    SalesChannel(SalesChannel),
    SiteNeed(SiteNeed),
    PropertyTicket(PropertyTicket),
    PublicDisclosure(PublicDisclosure),
    ConsultationMeeting(ConsultationMeeting),
    DemocraticEvaluation(DemocraticEvaluation),
    Homestead(Homestead),
    LandLinkageProject(LandLinkageProject),
    LandQuota(LandQuota),
    QuotaTransfer(QuotaTransfer),
    LandRevenue(LandRevenue),
    PartyOrganisation(PartyOrganisation),
    PartyMember(PartyMember),
    PartyRelationTransfer(PartyRelationTransfer),
    PartyVisit(PartyVisit),
    Alert(Alert),
}

/// The keyset page of a list (in id order) that holds the record `id` if the list shows it:
/// one row, forward from just before it. Resolving a record through its list's own select
/// gives it the list's filters and row scope by construction.
pub(super) fn page_at(id: i64) -> PageRequest {
    PageRequest {
        direction: PageDirection::Forward,
        size: 1,
        cursor: Some(Cursor {
            sort: "ID".into(),
            key: None,
            id: id.saturating_sub(1),
        }),
    }
}

/// The record `id` among the rows of a [`page_at`] page, if the list showed it.
pub(super) fn the_row<T>(rows: Vec<T>, id: i64, id_of: impl Fn(&T) -> i64) -> Option<T> {
    rows.into_iter().find(|row| id_of(row) == id)
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any record by its global ID, with the access rules of its list; null when it does not
    /// exist or the principal's lists would not show it (another town's record).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let (node_type, number) = decode_any_id("id", &id)?;
        match node_type {
            NodeType::ResponsibilityTask => {
                Ok(resolve_task(ctx, number, crate::clock::today_in_china())
                    .await?
                    .map(Node::ResponsibilityTask))
            }
            NodeType::JobPosting | NodeType::TrainingInstitution | NodeType::TrainingClass => {
                super::employment::resolve_node(ctx, node_type, number).await
            }
            NodeType::BusinessEntity | NodeType::BenefitLinkage | NodeType::SalesChannel => {
                super::industry::resolve_node(ctx, node_type, number).await
            }
            NodeType::SiteNeed | NodeType::PropertyTicket => {
                super::public_services::resolve_node(ctx, node_type, number).await
            }
            NodeType::PublicDisclosure
            | NodeType::ConsultationMeeting
            | NodeType::DemocraticEvaluation => {
                super::self_government::resolve_node(ctx, node_type, number).await
            }
            NodeType::Homestead
            | NodeType::LandLinkageProject
            | NodeType::LandQuota
            | NodeType::QuotaTransfer
            | NodeType::LandRevenue => super::land::resolve_node(ctx, node_type, number).await,
            NodeType::PartyOrganisation
            | NodeType::PartyMember
            | NodeType::PartyRelationTransfer
            | NodeType::PartyVisit => super::party::resolve_node(ctx, node_type, number).await,
            NodeType::Alert => super::alerts::resolve_node(ctx, number).await,
            _ => resolve_node(ctx, node_type, number).await,
        }
    }
}
