//! A site's community life over GraphQL: its facilities — elderly day care, convenience points,
//! clinics … (A3§1, the `public_services` domain) — and its mass councils (议事会, 调解委员会,
//! 道德评议会, 红白理事会, 禁毒禁赌会, A6§2.4) and dispute rooms (说事室) with their cases
//! (A6§2.2), both the `governance` domain.
//!
//! Facilities, councils and rooms are a handful per site and come back as whole lists; dispute
//! cases grow with the population and are paged. Towns read and write their own sites only
//! (another town's record is NOT_FOUND).
use async_graphql::{Context, InputObject, Object, Result, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::community::{
    CommunityRuleError, CouncilKind as DomainCouncilKind,
    DisputeCaseStatus as DomainDisputeCaseStatus, FacilityKind as DomainFacilityKind,
    FacilityStatus as DomainFacilityStatus,
};

use super::access::principal;
use super::connection::connection_complexity;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::industry::{
    coded_mirror, ensure_in_scope, id_page_request, notes_field, optional_id, optional_line,
    paged_connection,
};
use super::land::line;
use super::registry::{Household, Site};
use super::responsibility::actor_of;
use super::site_records::{not_in_future, record_scope, site_of};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::community_facilities::{
    self as store, CaseFilter, CouncilChanges, FacilityChanges, FacilityFilter, NewCase,
    NewCouncil, NewFacility, NewRoom, RoomChanges,
};
use crate::persistence::entities::{
    dispute_case, dispute_room, household, site_council, site_facility,
};
use crate::persistence::industry::{counter, id_page};
use crate::persistence::registry::RecordTable;

coded_mirror! {
    /// The kinds of facilities a site has (A3§1).
    SiteFacilityKind mirrors DomainFacilityKind {
        /// 老年人日间照料中心
        ElderlyDayCare,
        /// 便民服务点
        ConveniencePoint,
        /// 卫生室
        Clinic,
        /// 幼儿园
        Kindergarten,
        /// 文化活动室
        CulturalRoom,
        /// 社区工厂
        CommunityFactory,
        /// 便民服务中心
        ServiceCentre,
        /// 其他
        Other,
    }
}

coded_mirror! {
    /// Where a facility stands.
    SiteFacilityStatus mirrors DomainFacilityStatus {
        /// 规划中
        Planned,
        /// 已运营
        Open,
        /// 已停用
        Closed,
    }
}

coded_mirror! {
    /// The mass councils of a site (A6§2.4).
    SiteCouncilKind mirrors DomainCouncilKind {
        /// 居民议事会
        DeliberationCouncil,
        /// 人民调解委员会
        MediationCommittee,
        /// 道德评议会
        EthicsCouncil,
        /// 红白理事会
        WeddingsFuneralsCouncil,
        /// 禁毒禁赌会
        AntiDrugGamblingCouncil,
    }
}

coded_mirror! {
    /// Where a case brought to a dispute room stands (A6§2.2).
    DisputeCaseStatus mirrors DomainDisputeCaseStatus {
        /// 受理中
        Open,
        /// 调解成功
        Mediated,
        /// 已移交
        Referred,
        /// 已结案
        Closed,
    }
}

/// A facility at a site (A3§1).
pub struct SiteFacility(site_facility::Model);

#[Object]
impl SiteFacility {
    async fn id(&self) -> ID {
        encode_id(NodeType::SiteFacility, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.site_id).await
    }
    async fn kind(&self) -> Result<SiteFacilityKind> {
        Ok(SiteFacilityKind::decode(
            "site_facility.kind",
            &self.0.kind,
        )?)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Who runs it.
    async fn operator(&self) -> &str {
        &self.0.operator
    }
    /// Places (beds, seats …), if counted.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }
    /// The day it opened (or, while planned, is planned to open).
    async fn opened_on(&self) -> Option<NaiveDate> {
        self.0.opened_on
    }
    async fn status(&self) -> Result<SiteFacilityStatus> {
        Ok(SiteFacilityStatus::decode(
            "site_facility.status",
            &self.0.status,
        )?)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A mass council of a site (A6§2.4).
pub struct SiteCouncil(site_council::Model);

#[Object]
impl SiteCouncil {
    async fn id(&self) -> ID {
        encode_id(NodeType::SiteCouncil, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.site_id).await
    }
    async fn kind(&self) -> Result<SiteCouncilKind> {
        Ok(SiteCouncilKind::decode("site_council.kind", &self.0.kind)?)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn chair_name(&self) -> &str {
        &self.0.chair_name
    }
    async fn member_count(&self) -> i32 {
        self.0.member_count
    }
    async fn established_on(&self) -> Option<NaiveDate> {
        self.0.established_on
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A dispute room of a site (说事室, A6§2.2).
pub struct DisputeRoom(dispute_room::Model);

#[Object]
impl DisputeRoom {
    async fn id(&self) -> ID {
        encode_id(NodeType::DisputeRoom, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.site_id).await
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn location(&self) -> &str {
        &self.0.location
    }
    /// Who hosts it (e.g. the party-building instructor).
    async fn host_name(&self) -> &str {
        &self.0.host_name
    }
    async fn opened_on(&self) -> Option<NaiveDate> {
        self.0.opened_on
    }
    /// Whether it takes new cases.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A case brought to a dispute room (A6§2.2).
pub struct DisputeCase {
    model: dispute_case::Model,
    room: Option<dispute_room::Model>,
    household: Option<household::Model>,
}

#[Object]
impl DisputeCase {
    async fn id(&self) -> ID {
        encode_id(NodeType::DisputeCase, self.model.id)
    }
    async fn room_id(&self) -> ID {
        encode_id(NodeType::DisputeRoom, self.model.room_id)
    }
    async fn room_name(&self) -> Option<&str> {
        self.room.as_ref().map(|room| room.name.as_str())
    }
    /// The room's site.
    async fn site(&self, ctx: &Context<'_>) -> Result<Option<Site>> {
        match &self.room {
            Some(room) => Ok(Some(site_of(ctx, room.site_id).await?)),
            None => Ok(None),
        }
    }
    /// The household that brought it, if any.
    async fn household(&self) -> Option<Household> {
        self.household.clone().map(Household)
    }
    async fn received_on(&self) -> NaiveDate {
        self.model.received_on
    }
    async fn summary(&self) -> &str {
        &self.model.summary
    }
    async fn mediator_name(&self) -> &str {
        &self.model.mediator_name
    }
    async fn status(&self) -> Result<DisputeCaseStatus> {
        Ok(DisputeCaseStatus::decode(
            "dispute_case.status",
            &self.model.status,
        )?)
    }
    async fn resolved_on(&self) -> Option<NaiveDate> {
        self.model.resolved_on
    }
    async fn outcome(&self) -> &str {
        &self.model.outcome
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

paged_connection!(DisputeCaseConnection, DisputeCaseEdge, DisputeCase);

/// Which dispute cases to list.
#[derive(InputObject, Default)]
pub struct DisputeCaseFilterInput {
    pub site_id: Option<ID>,
    pub room_id: Option<ID>,
    pub statuses: Option<Vec<DisputeCaseStatus>>,
}

fn reader<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    field: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(domain, field)?;
    Ok(principal)
}

fn writer<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    what: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(domain, what)?;
    Ok(principal)
}

fn community_rule(field: &str, error: CommunityRuleError) -> ApiError {
    match error {
        CommunityRuleError::FacilityStatusChange { .. }
        | CommunityRuleError::CaseStatusChange { .. }
        | CommunityRuleError::RoomInactive => ApiError::Conflict(error.to_string()),
        _ => ApiError::invalid(field, error),
    }
}

fn count(field: &str, what: &'static str, value: i32) -> Result<i32, ApiError> {
    domain::community::non_negative_count(what, value)
        .map_err(|error| ApiError::invalid(field, error))
}

#[derive(Default)]
pub struct CommunityFacilitiesQuery;

#[Object]
impl CommunityFacilitiesQuery {
    /// The facilities of the principal's sites, by site (A3§1; the `public_services` domain).
    async fn site_facilities(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        kinds: Option<Vec<SiteFacilityKind>>,
        statuses: Option<Vec<SiteFacilityStatus>>,
    ) -> Result<Vec<SiteFacility>> {
        let principal = reader(ctx, DataDomain::PublicServices, "Query.siteFacilities")?;
        let filter = FacilityFilter {
            scope: record_scope(principal, "siteId", &site_id)?,
            kinds: kinds
                .unwrap_or_default()
                .into_iter()
                .map(SiteFacilityKind::code)
                .collect(),
            statuses: statuses
                .unwrap_or_default()
                .into_iter()
                .map(SiteFacilityStatus::code)
                .collect(),
        };
        Ok(store::facilities(database(ctx), &filter)
            .await?
            .into_iter()
            .map(SiteFacility)
            .collect())
    }

    /// The mass councils of the principal's sites, by site (A6§2.4; the `governance` domain).
    async fn site_councils(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        active: Option<bool>,
    ) -> Result<Vec<SiteCouncil>> {
        let principal = reader(ctx, DataDomain::Governance, "Query.siteCouncils")?;
        let scope = record_scope(principal, "siteId", &site_id)?;
        Ok(store::councils(database(ctx), &scope, active)
            .await?
            .into_iter()
            .map(SiteCouncil)
            .collect())
    }

    /// The dispute rooms (说事室) of the principal's sites, by site (A6§2.2; `governance`).
    async fn dispute_rooms(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
    ) -> Result<Vec<DisputeRoom>> {
        let principal = reader(ctx, DataDomain::Governance, "Query.disputeRooms")?;
        let scope = record_scope(principal, "siteId", &site_id)?;
        Ok(store::rooms(database(ctx), &scope)
            .await?
            .into_iter()
            .map(DisputeRoom)
            .collect())
    }

    /// Cases brought to the dispute rooms of the principal's sites, in id order (A6§2.2;
    /// `governance`).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn dispute_cases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<DisputeCaseFilterInput>,
    ) -> Result<DisputeCaseConnection> {
        let principal = reader(ctx, DataDomain::Governance, "Query.disputeCases")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let store_filter = CaseFilter {
            scope: record_scope(principal, "filter.siteId", &filter.site_id)?,
            room_id: optional_id("filter.roomId", NodeType::DisputeRoom, &filter.room_id)?,
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(DisputeCaseStatus::code)
                .collect(),
        };
        let select = store::case_select(&store_filter);
        let db = database(ctx);
        let loaded = id_page(db, select.clone(), dispute_case::Column::Id, &page)
            .await
            .map_err(ApiError::from)?;
        let room_ids: Vec<i64> = loaded.rows.iter().map(|row| row.room_id).collect();
        let household_ids: Vec<i64> = loaded
            .rows
            .iter()
            .filter_map(|row| row.household_id)
            .collect();
        let rooms = store::rooms_by_id(db, &room_ids).await?;
        let households = store::households_by_id(db, &household_ids).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                let node = DisputeCase {
                    room: rooms.get(&model.room_id).cloned(),
                    household: model
                        .household_id
                        .and_then(|id| households.get(&id).cloned()),
                    model,
                };
                (node.model.id, node)
            })
            .collect();
        Ok(DisputeCaseConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }
}

/// A facility to add to a site.
#[derive(InputObject)]
pub struct AddSiteFacilityInput {
    pub site_id: ID,
    pub kind: SiteFacilityKind,
    pub name: String,
    #[graphql(default)]
    pub operator: String,
    pub capacity: Option<i32>,
    /// Needed unless PLANNED (then the planned opening day, if known).
    pub opened_on: Option<NaiveDate>,
    #[graphql(default_with = "SiteFacilityStatus::Planned")]
    pub status: SiteFacilityStatus,
}

/// Changes to a facility; a field left out is unchanged.
#[derive(InputObject)]
pub struct UpdateSiteFacilityInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub operator: Option<String>,
    pub capacity: Option<i32>,
    pub opened_on: Option<NaiveDate>,
    /// PLANNED → OPEN or CLOSED; OPEN → CLOSED; CLOSED → OPEN.
    pub status: Option<SiteFacilityStatus>,
}

/// A council to record at a site (one of each kind).
#[derive(InputObject)]
pub struct EstablishSiteCouncilInput {
    pub site_id: ID,
    pub kind: SiteCouncilKind,
    pub name: String,
    #[graphql(default)]
    pub chair_name: String,
    #[graphql(default)]
    pub member_count: i32,
    pub established_on: Option<NaiveDate>,
}

/// Changes to a council; a field left out is unchanged.
#[derive(InputObject)]
pub struct UpdateSiteCouncilInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub chair_name: Option<String>,
    pub member_count: Option<i32>,
    pub active: Option<bool>,
}

/// A dispute room to open at a site.
#[derive(InputObject)]
pub struct OpenDisputeRoomInput {
    pub site_id: ID,
    #[graphql(default_with = "\"说事室\".to_string()")]
    pub name: String,
    #[graphql(default)]
    pub location: String,
    #[graphql(default)]
    pub host_name: String,
    pub opened_on: Option<NaiveDate>,
}

/// Changes to a room; a field left out is unchanged (`active: false` stops new cases).
#[derive(InputObject)]
pub struct UpdateDisputeRoomInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub location: Option<String>,
    pub host_name: Option<String>,
    pub active: Option<bool>,
}

/// A case brought to a room.
#[derive(InputObject)]
pub struct ReceiveDisputeCaseInput {
    pub room_id: ID,
    /// The household that brought it, if any: it must live at the room's site.
    pub household_id: Option<ID>,
    pub received_on: NaiveDate,
    pub summary: String,
    #[graphql(default)]
    pub mediator_name: String,
}

/// How a case ended.
#[derive(InputObject)]
pub struct SettleDisputeCaseInput {
    pub id: ID,
    pub version: i32,
    /// MEDIATED, REFERRED or CLOSED (a mediated or referred case may then be CLOSED).
    pub status: DisputeCaseStatus,
    pub resolved_on: NaiveDate,
    pub outcome: String,
}

#[derive(Default)]
pub struct CommunityFacilitiesMutation;

#[Object]
impl CommunityFacilitiesMutation {
    /// Adds a facility to a site (A3§1).
    async fn add_site_facility(
        &self,
        ctx: &Context<'_>,
        input: AddSiteFacilityInput,
    ) -> Result<SiteFacility> {
        let principal = writer(ctx, DataDomain::PublicServices, "site facilities")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        let name = line("input.name", &input.name, 200)?;
        let operator =
            optional_line("input.operator", &Some(input.operator), 100)?.unwrap_or_default();
        let capacity = input
            .capacity
            .map(|value| count("input.capacity", "capacity", value))
            .transpose()?;
        domain::community::check_facility(input.status.into(), input.opened_on, today_in_china())
            .map_err(|error| community_rule("input.openedOn", error))?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "site").await?;
        let stored = store::add_facility(
            database(ctx),
            &actor_of(principal),
            NewFacility {
                site_id,
                kind: input.kind.code(),
                name,
                operator,
                capacity,
                opened_on: input.opened_on,
                status: input.status.code(),
            },
        )
        .await?;
        Ok(SiteFacility(stored))
    }

    /// Updates a facility: its details, or its status (opening, closing, reopening).
    async fn update_site_facility(
        &self,
        ctx: &Context<'_>,
        input: UpdateSiteFacilityInput,
    ) -> Result<SiteFacility> {
        let principal = writer(ctx, DataDomain::PublicServices, "site facilities")?;
        let id = decode_id("input.id", NodeType::SiteFacility, &input.id)?;
        let name = input
            .name
            .as_deref()
            .map(|name| line("input.name", name, 200))
            .transpose()?;
        let operator = match &input.operator {
            Some(operator) => Some(
                optional_line("input.operator", &Some(operator.clone()), 100)?.unwrap_or_default(),
            ),
            None => None,
        };
        let capacity = input
            .capacity
            .map(|value| count("input.capacity", "capacity", value))
            .transpose()?;
        let db = database(ctx);
        let current = store::find_facility(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("SiteFacility", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            current.site_id,
            "SiteFacility",
        )
        .await?;
        let today = today_in_china();
        let stored = store::update_facility(
            db,
            &actor_of(principal),
            id,
            input.version,
            FacilityChanges {
                name,
                operator,
                capacity: capacity.map(Some),
                opened_on: input.opened_on.map(Some),
                status: input.status.map(SiteFacilityStatus::code),
            },
            |before, after| {
                let decode = |code: &str| {
                    DomainFacilityStatus::from_code(code).ok_or_else(|| {
                        ApiError::Internal(anyhow::anyhow!("unknown facility status {code:?}"))
                    })
                };
                let to = domain::community::change_facility_status(
                    decode(&before.status)?,
                    decode(&after.status)?,
                )
                .map_err(|error| community_rule("input.status", error))?;
                domain::community::check_facility(to, after.opened_on, today)
                    .map_err(|error| community_rule("input.openedOn", error))
            },
        )
        .await?;
        Ok(SiteFacility(stored))
    }

    /// Records a mass council of a site (A6§2.4); a site has one of each kind.
    async fn establish_site_council(
        &self,
        ctx: &Context<'_>,
        input: EstablishSiteCouncilInput,
    ) -> Result<SiteCouncil> {
        let principal = writer(ctx, DataDomain::Governance, "site councils")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        let name = line("input.name", &input.name, 100)?;
        let chair_name =
            optional_line("input.chairName", &Some(input.chair_name), 40)?.unwrap_or_default();
        let member_count = count("input.memberCount", "memberCount", input.member_count)?;
        if let Some(day) = input.established_on {
            not_in_future("input.establishedOn", day)?;
        }
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "site").await?;
        let stored = store::establish_council(
            database(ctx),
            &actor_of(principal),
            NewCouncil {
                site_id,
                kind: input.kind.code(),
                name,
                chair_name,
                member_count,
                established_on: input.established_on,
            },
        )
        .await?;
        Ok(SiteCouncil(stored))
    }

    /// Updates a council: its name, chair, members, or whether it is active.
    async fn update_site_council(
        &self,
        ctx: &Context<'_>,
        input: UpdateSiteCouncilInput,
    ) -> Result<SiteCouncil> {
        let principal = writer(ctx, DataDomain::Governance, "site councils")?;
        let id = decode_id("input.id", NodeType::SiteCouncil, &input.id)?;
        let name = input
            .name
            .as_deref()
            .map(|name| line("input.name", name, 100))
            .transpose()?;
        let chair_name = match &input.chair_name {
            Some(chair) => Some(
                optional_line("input.chairName", &Some(chair.clone()), 40)?.unwrap_or_default(),
            ),
            None => None,
        };
        let member_count = input
            .member_count
            .map(|value| count("input.memberCount", "memberCount", value))
            .transpose()?;
        let db = database(ctx);
        let current = store::find_council(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("SiteCouncil", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            current.site_id,
            "SiteCouncil",
        )
        .await?;
        let stored = store::update_council(
            db,
            &actor_of(principal),
            id,
            input.version,
            CouncilChanges {
                name,
                chair_name,
                member_count,
                active: input.active,
            },
        )
        .await?;
        Ok(SiteCouncil(stored))
    }

    /// Opens a dispute room (说事室) at a site (A6§2.2).
    async fn open_dispute_room(
        &self,
        ctx: &Context<'_>,
        input: OpenDisputeRoomInput,
    ) -> Result<DisputeRoom> {
        let principal = writer(ctx, DataDomain::Governance, "dispute rooms")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        let name = line("input.name", &input.name, 100)?;
        let location =
            optional_line("input.location", &Some(input.location), 200)?.unwrap_or_default();
        let host_name =
            optional_line("input.hostName", &Some(input.host_name), 40)?.unwrap_or_default();
        if let Some(day) = input.opened_on {
            not_in_future("input.openedOn", day)?;
        }
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "site").await?;
        let stored = store::open_room(
            database(ctx),
            &actor_of(principal),
            NewRoom {
                site_id,
                name,
                location,
                host_name,
                opened_on: input.opened_on,
            },
        )
        .await?;
        Ok(DisputeRoom(stored))
    }

    /// Updates a dispute room; `active: false` stops it taking new cases.
    async fn update_dispute_room(
        &self,
        ctx: &Context<'_>,
        input: UpdateDisputeRoomInput,
    ) -> Result<DisputeRoom> {
        let principal = writer(ctx, DataDomain::Governance, "dispute rooms")?;
        let id = decode_id("input.id", NodeType::DisputeRoom, &input.id)?;
        let name = input
            .name
            .as_deref()
            .map(|name| line("input.name", name, 100))
            .transpose()?;
        let location = match &input.location {
            Some(text) => {
                Some(optional_line("input.location", &Some(text.clone()), 200)?.unwrap_or_default())
            }
            None => None,
        };
        let host_name = match &input.host_name {
            Some(text) => {
                Some(optional_line("input.hostName", &Some(text.clone()), 40)?.unwrap_or_default())
            }
            None => None,
        };
        let db = database(ctx);
        let current = store::find_room(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("DisputeRoom", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            current.site_id,
            "DisputeRoom",
        )
        .await?;
        let stored = store::update_room(
            db,
            &actor_of(principal),
            id,
            input.version,
            RoomChanges {
                name,
                location,
                host_name,
                active: input.active,
            },
        )
        .await?;
        Ok(DisputeRoom(stored))
    }

    /// Receives a case in a dispute room (A6§2.2); the room must be active.
    async fn receive_dispute_case(
        &self,
        ctx: &Context<'_>,
        input: ReceiveDisputeCaseInput,
    ) -> Result<DisputeCase> {
        let principal = writer(ctx, DataDomain::Governance, "dispute cases")?;
        let room_id = decode_id("input.roomId", NodeType::DisputeRoom, &input.room_id)?;
        let household_id = optional_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        let summary = notes_field("input.summary", &input.summary, 5000)?;
        if summary.is_empty() {
            return Err(ApiError::invalid("input.summary", "say what the dispute is about").into());
        }
        let mediator_name = optional_line("input.mediatorName", &Some(input.mediator_name), 40)?
            .unwrap_or_default();
        let db = database(ctx);
        let room = store::find_room(db, room_id)
            .await?
            .ok_or_else(|| ApiError::not_found("DisputeRoom", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            room.site_id,
            "DisputeRoom",
        )
        .await?;
        let today = today_in_china();
        let received_on = input.received_on;
        let stored = store::receive_case(
            db,
            &actor_of(principal),
            NewCase {
                room_id,
                household_id,
                received_on,
                summary,
                mediator_name,
            },
            |room| {
                domain::community::room_takes_case(room.active, room.opened_on, received_on, today)
                    .map_err(|error| community_rule("input.receivedOn", error))
            },
        )
        .await?;
        case_node(ctx, stored).await
    }

    /// Settles a case: mediated, referred or closed, with the day and the outcome (A6§2.2).
    async fn settle_dispute_case(
        &self,
        ctx: &Context<'_>,
        input: SettleDisputeCaseInput,
    ) -> Result<DisputeCase> {
        let principal = writer(ctx, DataDomain::Governance, "dispute cases")?;
        let id = decode_id("input.id", NodeType::DisputeCase, &input.id)?;
        let outcome = notes_field("input.outcome", &input.outcome, 5000)?;
        let db = database(ctx);
        let current = store::find_case(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("DisputeCase", "with this ID"))?;
        let room = store::find_room(db, current.room_id)
            .await?
            .ok_or_else(|| ApiError::not_found("DisputeCase", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            room.site_id,
            "DisputeCase",
        )
        .await?;
        let today = today_in_china();
        let to = DomainDisputeCaseStatus::from(input.status);
        let resolved_on = input.resolved_on;
        let stored = store::settle_case(
            db,
            &actor_of(principal),
            id,
            input.version,
            resolved_on,
            outcome.clone(),
            |stored| {
                let from = DomainDisputeCaseStatus::from_code(&stored.status).ok_or_else(|| {
                    ApiError::Internal(anyhow::anyhow!("unknown case status {:?}", stored.status))
                })?;
                domain::community::settle_dispute_case(
                    from,
                    to,
                    stored.received_on,
                    resolved_on,
                    &outcome,
                    today,
                )
                .map(DomainDisputeCaseStatus::code)
                .map_err(|error| {
                    let field = match error {
                        CommunityRuleError::OutcomeMissing => "input.outcome",
                        _ => "input.resolvedOn",
                    };
                    community_rule(field, error)
                })
            },
        )
        .await?;
        case_node(ctx, stored).await
    }
}

async fn case_node(ctx: &Context<'_>, model: dispute_case::Model) -> Result<DisputeCase> {
    let db = database(ctx);
    let room = store::find_room(db, model.room_id).await?;
    let household = match model.household_id {
        Some(id) => store::households_by_id(db, &[id]).await?.remove(&id),
        None => None,
    };
    Ok(DisputeCase {
        model,
        room,
        household,
    })
}
