//! Party building over GraphQL (annex 6): what organisation each site needs against what it
//! has (A6§1.1), members (formal, probationary, activists) and their relation transfers,
//! "三会一课" meetings, and the monthly visits of each committee member (A6§2.2).
//!
//! Party membership is sensitive personal information: every query here needs the `party`
//! domain and writes one `read.party` entry to the audit log naming what it returned. The
//! Organization Department (`bureau:organization`) writes district-wide; towns write for their
//! own sites only (row scope: another town's record is NOT_FOUND).
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::calendar::YearMonth;
use domain::party::{
    PartyMemberStatus as DomainMemberStatus, PartyOrganisationForm as DomainForm,
    RelationHeldAt as DomainRelationHeldAt, RelationTransferStatus as DomainTransferStatus,
};

use super::access::principal;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::land::{
    actor_of, ensure_in_scope, id_connection, id_page, line, mirror, optional_id, optional_line,
    wants_total,
};
use super::load_one;
use super::loaders::{SiteKey, TownKey};
use super::registry::{PartyOrganisationRequirement, Site, Town};
use crate::access::{Principal, RowScope};
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::entities::{
    party_meeting, party_member, party_organisation, party_relation_transfer, party_visit,
};
use crate::persistence::party::{
    self as store, MemberFilter, NewMeeting, NewMember, NewRelationTransfer, NewVisit, SiteScope,
};
use crate::persistence::registry::RecordTable;

mirror! {
    /// A person's standing in the party (A6§1.1: only formal members count towards a branch).
    PartyMemberStatus mirrors DomainMemberStatus {
        /// 正式党员
        Formal = DomainMemberStatus::Formal,
        /// 预备党员: not a formal member
        Probationary = DomainMemberStatus::Probationary,
        /// 入党积极分子
        Activist = DomainMemberStatus::Activist,
    }
}

mirror! {
    /// The organisation a site actually has.
    PartyOrganisationForm mirrors DomainForm {
        /// 党支部 under the town committee
        Branch = DomainForm::Branch,
        /// 党小组 in the local branch
        Group = DomainForm::Group,
        /// none of its own; a party-building instructor was sent
        NoneWithInstructor = DomainForm::NoneWithInstructor,
    }
}

mirror! {
    /// Where a member's organisational relation is held.
    PartyRelationHeldAt mirrors DomainRelationHeldAt {
        SiteOrganisation = DomainRelationHeldAt::SiteOrganisation,
        LocalOrganisation = DomainRelationHeldAt::LocalOrganisation,
        OriginOrganisation = DomainRelationHeldAt::OriginOrganisation,
        Transferring = DomainRelationHeldAt::Transferring,
    }
}

mirror! {
    /// Where a relation transfer stands.
    PartyRelationTransferStatus mirrors DomainTransferStatus {
        Requested = DomainTransferStatus::Requested,
        Completed = DomainTransferStatus::Completed,
        Rejected = DomainTransferStatus::Rejected,
    }
}

/// "三会一课" and the other basic systems of A6§1.3.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyMeetingKind {
    /// 支部党员大会
    GeneralMeeting,
    /// 支部委员会
    CommitteeMeeting,
    /// 党小组会
    GroupMeeting,
    /// 党课
    PartyLecture,
    /// 谈心谈话
    HeartToHeartTalk,
    /// 民主评议党员
    MemberEvaluation,
    /// 四议两公开
    FourDeliberations,
}

impl PartyMeetingKind {
    const CODES: [(PartyMeetingKind, &'static str); 7] = [
        (PartyMeetingKind::GeneralMeeting, "general_meeting"),
        (PartyMeetingKind::CommitteeMeeting, "committee_meeting"),
        (PartyMeetingKind::GroupMeeting, "group_meeting"),
        (PartyMeetingKind::PartyLecture, "party_lecture"),
        (PartyMeetingKind::HeartToHeartTalk, "heart_to_heart_talk"),
        (PartyMeetingKind::MemberEvaluation, "member_evaluation"),
        (PartyMeetingKind::FourDeliberations, "four_deliberations"),
    ];

    fn code(self) -> &'static str {
        Self::CODES
            .iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, code)| *code)
            .unwrap_or("general_meeting")
    }

    fn from_code(code: &str) -> Option<PartyMeetingKind> {
        Self::CODES
            .iter()
            .find(|(_, stored)| *stored == code)
            .map(|(kind, _)| *kind)
    }
}

fn unknown_code(what: &str, code: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!(
        "unknown {what} code {code:?} in the database"
    ))
}

/// A site's party organisation (党支部, 党小组, or none with an instructor).
pub struct PartyOrganisation(party_organisation::Model);

#[Object]
impl PartyOrganisation {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::PartyOrganisation, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        Ok(Site(load_one(ctx, SiteKey(self.0.site_id), "site").await?))
    }
    async fn town(&self, ctx: &Context<'_>) -> Result<Town> {
        Ok(Town(load_one(ctx, TownKey(self.0.town_id), "town").await?))
    }
    async fn form(&self) -> Result<PartyOrganisationForm> {
        Ok(DomainForm::from_code(&self.0.kind)
            .ok_or_else(|| unknown_code("organisation", &self.0.kind))?
            .into())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// For a group: the local branch it belongs to.
    async fn parent_branch_name(&self) -> Option<&str> {
        self.0.parent_branch_name.as_deref()
    }
    /// The party-building instructor sent by the town committee, if any.
    async fn instructor_name(&self) -> Option<&str> {
        self.0.instructor_name.as_deref()
    }
    async fn established_on(&self) -> NaiveDate {
        self.0.established_on
    }
    async fn dissolved_on(&self) -> Option<NaiveDate> {
        self.0.dissolved_on
    }
}

/// A party member, probationary member or activist (sensitive: every read is audited).
pub struct PartyMember {
    member: party_member::Model,
    site_id: Option<i64>,
}

#[Object]
impl PartyMember {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::PartyMember, self.member.id)
    }
    async fn name(&self) -> &str {
        &self.member.name
    }
    /// The relocated person, when the member is one.
    async fn person_id(&self) -> Option<ID> {
        self.member
            .person_id
            .map(|id| encode_id(NodeType::Person, id))
    }
    /// The site the member lives at (or whose organisation holds the member).
    async fn site(&self, ctx: &Context<'_>) -> Result<Option<Site>> {
        match self.site_id {
            Some(id) => Ok(Some(Site(load_one(ctx, SiteKey(id), "site").await?))),
            None => Ok(None),
        }
    }
    async fn organisation_id(&self) -> Option<ID> {
        self.member
            .organisation_id
            .map(|id| encode_id(NodeType::PartyOrganisation, id))
    }
    async fn status(&self) -> Result<PartyMemberStatus> {
        Ok(DomainMemberStatus::from_code(&self.member.status)
            .ok_or_else(|| unknown_code("member status", &self.member.status))?
            .into())
    }
    async fn joined_on(&self) -> Option<NaiveDate> {
        self.member.joined_on
    }
    async fn became_formal_on(&self) -> Option<NaiveDate> {
        self.member.became_formal_on
    }
    async fn relation_held_at(&self) -> Result<PartyRelationHeldAt> {
        Ok(
            DomainRelationHeldAt::from_code(&self.member.relation_held_at)
                .ok_or_else(|| unknown_code("relation", &self.member.relation_held_at))?
                .into(),
        )
    }
    /// The organisation holding the member's relation.
    async fn relation_organisation_name(&self) -> &str {
        &self.member.relation_organisation_name
    }
    async fn version(&self) -> i32 {
        self.member.version
    }
}

id_connection!(PartyMemberConnection, PartyMemberEdge, PartyMember);

/// What a site's party organisation must be (A6§1.1) against what it is.
#[derive(SimpleObject)]
pub struct SitePartyOrganisation {
    pub site: Site,
    /// Formal members at the site (probationary members are not formal, A6§1.1).
    pub formal_member_count: i64,
    pub probationary_member_count: i64,
    pub activist_count: i64,
    pub required: PartyOrganisationRequirement,
    /// The site's current organisation, if it has one.
    pub organisation: Option<PartyOrganisation>,
    pub actual_form: Option<PartyOrganisationForm>,
    /// Whether what the site has is what A6§1.1 requires.
    pub meets_requirement: bool,
}

/// A transfer of a member's organisational relation.
#[derive(SimpleObject)]
pub struct PartyRelationTransfer {
    // Resolved as an owned value, as the `Node` interface asks.
    #[graphql(owned)]
    pub id: ID,
    pub member_id: ID,
    pub member_name: String,
    pub from_organisation_name: String,
    pub to_organisation_id: Option<ID>,
    pub to_organisation_name: String,
    pub requested_on: NaiveDate,
    /// The day it was completed or rejected.
    pub completed_on: Option<NaiveDate>,
    pub status: PartyRelationTransferStatus,
    pub reason: String,
    pub version: i32,
}

impl PartyRelationTransfer {
    fn new(
        transfer: party_relation_transfer::Model,
        member_name: String,
    ) -> Result<PartyRelationTransfer, ApiError> {
        Ok(PartyRelationTransfer {
            id: encode_id(NodeType::PartyRelationTransfer, transfer.id),
            member_id: encode_id(NodeType::PartyMember, transfer.member_id),
            member_name,
            from_organisation_name: transfer.from_organisation_name,
            to_organisation_id: transfer
                .to_organisation_id
                .map(|id| encode_id(NodeType::PartyOrganisation, id)),
            to_organisation_name: transfer.to_organisation_name,
            requested_on: transfer.requested_on,
            completed_on: transfer.completed_on,
            status: DomainTransferStatus::from_code(&transfer.status)
                .ok_or_else(|| unknown_code("transfer status", &transfer.status))?
                .into(),
            reason: transfer.reason,
            version: transfer.version,
        })
    }
}

id_connection!(
    PartyRelationTransferConnection,
    PartyRelationTransferEdge,
    PartyRelationTransfer
);

/// A meeting of a party organisation ("三会一课").
#[derive(SimpleObject)]
pub struct PartyMeeting {
    pub id: ID,
    pub organisation_id: ID,
    pub kind: PartyMeetingKind,
    pub held_on: NaiveDate,
    pub topic: String,
    pub attendees_count: i32,
    pub notes: String,
}

impl PartyMeeting {
    fn new(meeting: party_meeting::Model) -> Result<PartyMeeting, ApiError> {
        Ok(PartyMeeting {
            id: encode_id(NodeType::PartyMeeting, meeting.id),
            organisation_id: encode_id(NodeType::PartyOrganisation, meeting.organisation_id),
            kind: PartyMeetingKind::from_code(&meeting.kind)
                .ok_or_else(|| unknown_code("meeting", &meeting.kind))?,
            held_on: meeting.held_on,
            topic: meeting.topic,
            attendees_count: meeting.attendees_count,
            notes: meeting.notes,
        })
    }
}

id_connection!(PartyMeetingConnection, PartyMeetingEdge, PartyMeeting);

/// A visit to a relocated household by a committee member (走访, A6§2.2).
#[derive(SimpleObject)]
pub struct PartyVisit {
    // Resolved as an owned value, as the `Node` interface asks.
    #[graphql(owned)]
    pub id: ID,
    pub member_id: ID,
    pub member_name: String,
    pub household_id: ID,
    pub visited_on: NaiveDate,
    pub notes: String,
    pub problems_raised: String,
    pub resolved: bool,
}

impl PartyVisit {
    fn new(visit: party_visit::Model, member_name: String) -> PartyVisit {
        PartyVisit {
            id: encode_id(NodeType::PartyVisit, visit.id),
            member_id: encode_id(NodeType::PartyMember, visit.member_id),
            member_name,
            household_id: encode_id(NodeType::Household, visit.household_id),
            visited_on: visit.visited_on,
            notes: visit.notes,
            problems_raised: visit.problems_raised,
            resolved: visit.resolved,
        }
    }
}

id_connection!(PartyVisitConnection, PartyVisitEdge, PartyVisit);

/// One committee seat and the months its holder made no visit (A6§2.2).
#[derive(SimpleObject)]
pub struct CommitteeVisitGap {
    pub member: PartyMember,
    pub organisation_id: ID,
    pub organisation_name: String,
    /// secretary, deputy_secretary, committee_member, group_leader or instructor.
    pub position: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Visits in the period.
    pub visit_count: i32,
    /// Months (YYYY-MM) of the term within the period without any visit.
    pub missing_months: Vec<String>,
}

/// The monthly-visit check of the committee members (A6§2.2) over a period of finished months.
#[derive(SimpleObject)]
pub struct PartyVisitGaps {
    pub from: String,
    /// The last month checked: at latest the last finished month.
    pub through: String,
    pub seats: Vec<CommitteeVisitGap>,
}

/// The principal, if it may read party data.
fn party_reader<'a>(ctx: &Context<'a>, field: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(DataDomain::Party, field)?;
    Ok(principal)
}

/// Party membership is sensitive (PIPL): each read is audited with what it returned.
async fn audit_party_read(
    ctx: &Context<'_>,
    principal: &Principal,
    field: &str,
    entity_type: &str,
    ids: &[i64],
) -> Result<(), ApiError> {
    let listed: Vec<String> = ids.iter().take(200).map(i64::to_string).collect();
    let detail = format!("{field}: {} record(s) [{}]", ids.len(), listed.join(","));
    audit::record(
        database(ctx),
        AuditEntry::by(principal, "read.party", entity_type, None).detail(detail),
    )
    .await
}

fn site_scope(
    principal: &Principal,
    field: &str,
    site_id: &Option<ID>,
) -> Result<SiteScope, ApiError> {
    Ok(SiteScope {
        site_id: optional_id(field, NodeType::Site, site_id)?,
        town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
    })
}

fn month(field: &str, text: &str) -> Result<YearMonth, ApiError> {
    domain::party::parse_year_month(text).map_err(|error| ApiError::invalid(field, error))
}

fn count(counts: &std::collections::HashMap<(i64, String), i64>, site: i64, status: &str) -> i64 {
    counts
        .get(&(site, status.to_string()))
        .copied()
        .unwrap_or(0)
}

#[derive(Default)]
pub struct PartyQuery;

#[Object]
impl PartyQuery {
    /// For each site in the principal's towns: the organisation A6§1.1 requires from its formal
    /// members against the organisation it has.
    async fn site_party_organisations(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
    ) -> Result<Vec<SitePartyOrganisation>> {
        let principal = party_reader(ctx, "Query.sitePartyOrganisations")?;
        let scope = site_scope(principal, "siteId", &site_id)?;
        let db = database(ctx);
        let sites = store::sites(db, &scope).await?;
        let ids: Vec<i64> = sites.iter().map(|site| site.id).collect();
        let counts = store::member_counts_by_site(db, &ids).await?;
        let mut organisations = store::current_organisations(db, &ids).await?;
        audit_party_read(ctx, principal, "Query.sitePartyOrganisations", "Site", &ids).await?;
        let mut result = Vec::with_capacity(sites.len());
        for site in sites {
            let formal = count(&counts, site.id, DomainMemberStatus::Formal.code());
            let requirement = domain::party::required_party_organisation(
                u32::try_from(formal.max(0)).unwrap_or(u32::MAX),
            );
            let organisation = organisations.remove(&site.id);
            let actual = match &organisation {
                Some(organisation) => Some(
                    DomainForm::from_code(&organisation.kind)
                        .ok_or_else(|| unknown_code("organisation", &organisation.kind))?,
                ),
                None => None,
            };
            result.push(SitePartyOrganisation {
                formal_member_count: formal,
                probationary_member_count: count(
                    &counts,
                    site.id,
                    DomainMemberStatus::Probationary.code(),
                ),
                activist_count: count(&counts, site.id, DomainMemberStatus::Activist.code()),
                meets_requirement: domain::party::organisation_meets_requirement(
                    requirement.kind,
                    actual,
                ),
                required: PartyOrganisationRequirement {
                    kind: requirement.kind.into(),
                    label: requirement.label_zh.to_string(),
                    basis: requirement.basis,
                    clause: requirement.clause.to_string(),
                },
                actual_form: actual.map(Into::into),
                organisation: organisation.map(PartyOrganisation),
                site: Site(site),
            });
        }
        Ok(result)
    }

    /// Party members, probationary members and activists of the principal's sites, in id order.
    #[allow(clippy::too_many_arguments)]
    async fn party_members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        site_id: Option<ID>,
        status: Option<PartyMemberStatus>,
    ) -> Result<PartyMemberConnection> {
        let principal = party_reader(ctx, "Query.partyMembers")?;
        let page = id_page(first, after, last, before)?;
        let filter = MemberFilter {
            sites: site_scope(principal, "siteId", &site_id)?,
            status: status.map(|status| DomainMemberStatus::from(status).code()),
        };
        let db = database(ctx);
        let rows = store::member_page(db, &filter, &page).await?;
        let ids: Vec<i64> = rows.rows.iter().map(|member| member.id).collect();
        let sites = store::sites_of_members(db, &ids).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_members(db, &filter).await?),
            false => None,
        };
        audit_party_read(ctx, principal, "Query.partyMembers", "PartyMember", &ids).await?;
        Ok(PartyMemberConnection::build(
            rows,
            &page,
            |row| row.id,
            |member| {
                Ok(PartyMember {
                    site_id: sites.get(&member.id).copied(),
                    member,
                })
            },
            total,
        )?)
    }

    /// Transfers of members' organisational relations at the principal's sites, in id order.
    #[allow(clippy::too_many_arguments)]
    async fn party_relation_transfers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        site_id: Option<ID>,
        status: Option<PartyRelationTransferStatus>,
    ) -> Result<PartyRelationTransferConnection> {
        let principal = party_reader(ctx, "Query.partyRelationTransfers")?;
        let page = id_page(first, after, last, before)?;
        let sites = site_scope(principal, "siteId", &site_id)?;
        let status = status.map(|status| DomainTransferStatus::from(status).code());
        let db = database(ctx);
        let rows = store::relation_transfer_page(db, &sites, status, &page).await?;
        let member_ids: Vec<i64> = rows.rows.iter().map(|row| row.member_id).collect();
        let members = store::members_by_id(db, &member_ids).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_relation_transfers(db, &sites, status).await?),
            false => None,
        };
        audit_party_read(
            ctx,
            principal,
            "Query.partyRelationTransfers",
            "PartyMember",
            &member_ids,
        )
        .await?;
        Ok(PartyRelationTransferConnection::build(
            rows,
            &page,
            |row| row.id,
            |row| {
                let name = members
                    .get(&row.member_id)
                    .map(|member| member.name.clone())
                    .unwrap_or_default();
                PartyRelationTransfer::new(row, name)
            },
            total,
        )?)
    }

    /// The meetings of one organisation ("三会一课"), in id order.
    async fn party_meetings(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<PartyMeetingConnection> {
        let principal = party_reader(ctx, "Query.partyMeetings")?;
        let organisation_id = decode_id(
            "organisationId",
            NodeType::PartyOrganisation,
            &organisation_id,
        )?;
        let page = id_page(first, after, last, before)?;
        let db = database(ctx);
        ensure_organisation_in_scope(ctx, principal, organisation_id).await?;
        let rows = store::meeting_page(db, organisation_id, &page).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_meetings(db, organisation_id).await?),
            false => None,
        };
        Ok(PartyMeetingConnection::build(
            rows,
            &page,
            |row| row.id,
            PartyMeeting::new,
            total,
        )?)
    }

    /// Visits by committee members at the principal's sites, in id order.
    #[allow(clippy::too_many_arguments)]
    async fn party_visits(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        site_id: Option<ID>,
        member_id: Option<ID>,
    ) -> Result<PartyVisitConnection> {
        let principal = party_reader(ctx, "Query.partyVisits")?;
        let page = id_page(first, after, last, before)?;
        let sites = site_scope(principal, "siteId", &site_id)?;
        let member_id = optional_id("memberId", NodeType::PartyMember, &member_id)?;
        let db = database(ctx);
        let rows = store::visit_page(db, &sites, member_id, &page).await?;
        let member_ids: Vec<i64> = rows.rows.iter().map(|row| row.member_id).collect();
        let members = store::members_by_id(db, &member_ids).await?;
        let total = match wants_total(ctx) {
            true => Some(store::count_visits(db, &sites, member_id).await?),
            false => None,
        };
        audit_party_read(
            ctx,
            principal,
            "Query.partyVisits",
            "PartyMember",
            &member_ids,
        )
        .await?;
        Ok(PartyVisitConnection::build(
            rows,
            &page,
            |row| row.id,
            |row| {
                let name = members
                    .get(&row.member_id)
                    .map(|member| member.name.clone())
                    .unwrap_or_default();
                Ok(PartyVisit::new(row, name))
            },
            total,
        )?)
    }

    /// For each committee seat of the principal's sites: the months from `from` through
    /// `through` (YYYY-MM; by default the last finished month, and never a later one) in which
    /// its holder visited nobody (A6§2.2: each committee member visits at least once a month).
    async fn party_visit_gaps(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        from: String,
        through: Option<String>,
    ) -> Result<PartyVisitGaps> {
        let principal = party_reader(ctx, "Query.partyVisitGaps")?;
        let scope = site_scope(principal, "siteId", &site_id)?;
        let last_finished = domain::party::last_finished_month(today_in_china())
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no month before today")))?;
        let from = month("from", &from)?;
        let through = match through {
            Some(text) => month("through", &text)?,
            None => last_finished,
        };
        if through > last_finished {
            return Err(ApiError::invalid(
                "through",
                format!("{through} is not over yet: check at most through {last_finished}, the last finished month"),
            )
            .into());
        }
        if from > through {
            return Err(ApiError::invalid(
                "from",
                domain::party::PartyRuleError::MonthsReversed { from, through },
            )
            .into());
        }
        let last_day = through
            .next()
            .and_then(|next| next.first_day().pred_opt())
            .unwrap_or(through.first_day());
        let seats =
            store::committee_visits(database(ctx), &scope, from.first_day(), last_day).await?;
        let member_ids: Vec<i64> = seats.iter().map(|seat| seat.member.id).collect();
        let sites_of_members = store::sites_of_members(database(ctx), &member_ids).await?;
        audit_party_read(
            ctx,
            principal,
            "Query.partyVisitGaps",
            "PartyMember",
            &member_ids,
        )
        .await?;
        let seats = seats
            .into_iter()
            .map(|seat| {
                let missing = domain::party::missing_visit_months_in_term(
                    &seat.visits,
                    seat.seat.starts_on,
                    seat.seat.ends_on,
                    from,
                    through,
                );
                CommitteeVisitGap {
                    organisation_id: encode_id(NodeType::PartyOrganisation, seat.organisation.id),
                    organisation_name: seat.organisation.name,
                    position: seat.seat.position,
                    starts_on: seat.seat.starts_on,
                    ends_on: seat.seat.ends_on,
                    visit_count: i32::try_from(seat.visits.len()).unwrap_or(i32::MAX),
                    missing_months: missing.iter().map(ToString::to_string).collect(),
                    member: PartyMember {
                        site_id: sites_of_members
                            .get(&seat.member.id)
                            .copied()
                            .or(Some(seat.organisation.site_id)),
                        member: seat.member,
                    },
                }
            })
            .collect();
        Ok(PartyVisitGaps {
            from: from.to_string(),
            through: through.to_string(),
            seats,
        })
    }
}

#[derive(InputObject)]
pub struct AddPartyMemberInput {
    /// The relocated person who is the member.
    pub person_id: ID,
    /// The site's own organisation holding the relation, if it has one.
    pub organisation_id: Option<ID>,
    pub status: PartyMemberStatus,
    /// Needed for formal and probationary members.
    pub joined_on: Option<NaiveDate>,
    /// Needed for formal members (转正).
    pub became_formal_on: Option<NaiveDate>,
    pub relation_held_at: PartyRelationHeldAt,
    #[graphql(default)]
    pub relation_organisation_name: String,
}

#[derive(InputObject)]
pub struct RequestPartyRelationTransferInput {
    pub member_id: ID,
    /// The receiving organisation, when it is a site's organisation in the system.
    pub to_organisation_id: Option<ID>,
    /// The receiving organisation's name otherwise (e.g. the local community branch).
    pub to_organisation_name: Option<String>,
    pub requested_on: NaiveDate,
    #[graphql(default)]
    pub reason: String,
}

#[derive(InputObject)]
pub struct SettlePartyRelationTransferInput {
    pub id: ID,
    pub version: i32,
    /// COMPLETED or REJECTED.
    pub outcome: PartyRelationTransferStatus,
    pub settled_on: NaiveDate,
}

#[derive(InputObject)]
pub struct RecordPartyMeetingInput {
    pub organisation_id: ID,
    pub kind: PartyMeetingKind,
    pub held_on: NaiveDate,
    pub topic: String,
    #[graphql(default)]
    pub attendees_count: i32,
    #[graphql(default)]
    pub notes: String,
}

#[derive(InputObject)]
pub struct RecordPartyVisitInput {
    /// A committee member of the household's site organisation (A6§2.2).
    pub member_id: ID,
    pub household_id: ID,
    pub visited_on: NaiveDate,
    #[graphql(default)]
    pub notes: String,
    #[graphql(default)]
    pub problems_raised: String,
    #[graphql(default)]
    pub resolved: bool,
}

fn party_writer<'a>(ctx: &Context<'a>, what: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(DataDomain::Party, what)?;
    Ok(principal)
}

fn not_in_future(field: &str, day: NaiveDate) -> Result<(), ApiError> {
    if day > today_in_china() {
        return Err(ApiError::invalid(field, format!("{day} is in the future")));
    }
    Ok(())
}

fn free_text(value: &str) -> String {
    value.trim().chars().take(5000).collect()
}

async fn ensure_member_in_scope(
    ctx: &Context<'_>,
    principal: &Principal,
    member_id: i64,
) -> Result<Option<i64>, ApiError> {
    let sites = store::sites_of_members(database(ctx), &[member_id]).await?;
    let site = sites.get(&member_id).copied();
    if principal.scope == RowScope::District {
        return Ok(site);
    }
    match site {
        Some(site) => {
            ensure_in_scope(ctx, principal, RecordTable::Site, site, "PartyMember").await?;
            Ok(Some(site))
        }
        None => Err(ApiError::not_found("PartyMember", "with this ID")),
    }
}

async fn ensure_organisation_in_scope(
    ctx: &Context<'_>,
    principal: &Principal,
    organisation_id: i64,
) -> Result<party_organisation::Model, ApiError> {
    let organisation = store::find_organisation(database(ctx), organisation_id)
        .await?
        .filter(|organisation| principal.scope.allows_town(organisation.town_id))
        .ok_or_else(|| ApiError::not_found("PartyOrganisation", "with this ID"))?;
    Ok(organisation)
}

#[derive(Default)]
pub struct PartyMutation;

#[Object]
impl PartyMutation {
    /// Records a relocated person as a formal member, probationary member or activist.
    async fn add_party_member(
        &self,
        ctx: &Context<'_>,
        input: AddPartyMemberInput,
    ) -> Result<PartyMember> {
        let principal = party_writer(ctx, "party members")?;
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let status = DomainMemberStatus::from(input.status);
        domain::party::validate_member_dates(status, input.joined_on, input.became_formal_on)
            .map_err(|error| {
                let field = match error {
                    domain::party::PartyRuleError::FormalWithoutDate => "input.becameFormalOn",
                    _ => "input.joinedOn",
                };
                ApiError::invalid(field, error)
            })?;
        let organisation_id = optional_id(
            "input.organisationId",
            NodeType::PartyOrganisation,
            &input.organisation_id,
        )?;
        let new = NewMember {
            person_id,
            organisation_id,
            status: status.code(),
            joined_on: input.joined_on,
            became_formal_on: input.became_formal_on,
            relation_held_at: input.relation_held_at.into(),
            relation_organisation_name: optional_line(
                "input.relationOrganisationName",
                Some(&input.relation_organisation_name),
                100,
            )?
            .unwrap_or_default(),
        };
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        let stored = store::add_member(database(ctx), &actor_of(principal), new).await?;
        let site_id = store::site_of_person(database(ctx), person_id).await?;
        Ok(PartyMember {
            member: stored,
            site_id,
        })
    }

    /// Opens the transfer of a member's organisational relation (e.g. from the origin village
    /// to the site's or the local organisation, A6§1.1).
    async fn request_party_relation_transfer(
        &self,
        ctx: &Context<'_>,
        input: RequestPartyRelationTransferInput,
    ) -> Result<PartyRelationTransfer> {
        let principal = party_writer(ctx, "party relation transfers")?;
        let member_id = decode_id("input.memberId", NodeType::PartyMember, &input.member_id)?;
        let to_organisation_id = optional_id(
            "input.toOrganisationId",
            NodeType::PartyOrganisation,
            &input.to_organisation_id,
        )?;
        let to_name = optional_line(
            "input.toOrganisationName",
            input.to_organisation_name.as_deref(),
            100,
        )?;
        if to_organisation_id.is_none() && to_name.is_none() {
            return Err(ApiError::invalid(
                "input.toOrganisationName",
                "name the receiving organisation: a toOrganisationId or a toOrganisationName",
            )
            .into());
        }
        not_in_future("input.requestedOn", input.requested_on)?;
        ensure_member_in_scope(ctx, principal, member_id).await?;
        if let Some(id) = to_organisation_id {
            ensure_organisation_in_scope(ctx, principal, id).await?;
        }
        let stored = store::request_relation_transfer(
            database(ctx),
            &actor_of(principal),
            NewRelationTransfer {
                member_id,
                to_organisation_id,
                to_organisation_name: to_name.unwrap_or_default(),
                requested_on: input.requested_on,
                reason: free_text(&input.reason),
            },
        )
        .await?;
        let name = store::find_member(database(ctx), member_id)
            .await?
            .map(|member| member.name)
            .unwrap_or_default();
        Ok(PartyRelationTransfer::new(stored, name)?)
    }

    /// Completes or rejects a requested relation transfer; a completed one moves the member's
    /// relation to the receiving organisation.
    async fn settle_party_relation_transfer(
        &self,
        ctx: &Context<'_>,
        input: SettlePartyRelationTransferInput,
    ) -> Result<PartyRelationTransfer> {
        let principal = party_writer(ctx, "party relation transfers")?;
        let id = decode_id("input.id", NodeType::PartyRelationTransfer, &input.id)?;
        not_in_future("input.settledOn", input.settled_on)?;
        let db = database(ctx);
        let current = store::find_relation_transfer(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("PartyRelationTransfer", "with this ID"))?;
        ensure_member_in_scope(ctx, principal, current.member_id).await?;
        let stored = store::settle_relation_transfer(
            db,
            &actor_of(principal),
            id,
            input.version,
            input.outcome.into(),
            input.settled_on,
        )
        .await?;
        let name = store::find_member(db, stored.member_id)
            .await?
            .map(|member| member.name)
            .unwrap_or_default();
        Ok(PartyRelationTransfer::new(stored, name)?)
    }

    /// Records a meeting of an organisation ("三会一课").
    async fn record_party_meeting(
        &self,
        ctx: &Context<'_>,
        input: RecordPartyMeetingInput,
    ) -> Result<PartyMeeting> {
        let principal = party_writer(ctx, "party meetings")?;
        let organisation_id = decode_id(
            "input.organisationId",
            NodeType::PartyOrganisation,
            &input.organisation_id,
        )?;
        not_in_future("input.heldOn", input.held_on)?;
        if input.attendees_count < 0 {
            return Err(ApiError::invalid("input.attendeesCount", "must be zero or more").into());
        }
        ensure_organisation_in_scope(ctx, principal, organisation_id).await?;
        let stored = store::record_meeting(
            database(ctx),
            &actor_of(principal),
            NewMeeting {
                organisation_id,
                kind: input.kind.code(),
                held_on: input.held_on,
                topic: line("input.topic", &input.topic, 200)?,
                attendees_count: input.attendees_count,
                notes: free_text(&input.notes),
            },
        )
        .await?;
        Ok(PartyMeeting::new(stored)?)
    }

    /// Records a committee member's visit to a relocated household (A6§2.2); only a member of
    /// the committee of the household's site organisation on that day may be recorded.
    async fn record_party_visit(
        &self,
        ctx: &Context<'_>,
        input: RecordPartyVisitInput,
    ) -> Result<PartyVisit> {
        let principal = party_writer(ctx, "party visits")?;
        let member_id = decode_id("input.memberId", NodeType::PartyMember, &input.member_id)?;
        let household_id = decode_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        not_in_future("input.visitedOn", input.visited_on)?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household_id,
            "household",
        )
        .await?;
        let stored = store::record_visit(
            database(ctx),
            &actor_of(principal),
            NewVisit {
                member_id,
                household_id,
                visited_on: input.visited_on,
                notes: free_text(&input.notes),
                problems_raised: free_text(&input.problems_raised),
                resolved: input.resolved,
            },
        )
        .await?;
        let name = store::find_member(database(ctx), member_id)
            .await?
            .map(|member| member.name)
            .unwrap_or_default();
        Ok(PartyVisit::new(stored, name))
    }
}

/// `node(id:)` for organisations, members, relation transfers and visits, with their lists'
/// rules: readers of `party`, a town its own sites' records only; members' reads are audited.
pub(super) async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::{page_at, the_row, Node};
    let principal = party_reader(ctx, "Query.node")?;
    let sites = SiteScope {
        site_id: None,
        town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
    };
    let db = database(ctx);
    Ok(match node_type {
        NodeType::PartyOrganisation => store::find_organisation(db, id)
            .await?
            .filter(|organisation| principal.scope.allows_town(organisation.town_id))
            .map(|organisation| Node::PartyOrganisation(PartyOrganisation(organisation))),
        NodeType::PartyMember => {
            let filter = MemberFilter {
                sites,
                status: None,
            };
            let rows = store::member_page(db, &filter, &page_at(id)).await?.rows;
            let Some(member) = the_row(rows, id, |row| row.id) else {
                return Ok(None);
            };
            let site_id = store::sites_of_members(db, &[id]).await?.get(&id).copied();
            audit_party_read(ctx, principal, "Query.node", "PartyMember", &[id]).await?;
            Some(Node::PartyMember(PartyMember { member, site_id }))
        }
        NodeType::PartyRelationTransfer => {
            let rows = store::relation_transfer_page(db, &sites, None, &page_at(id))
                .await?
                .rows;
            let Some(transfer) = the_row(rows, id, |row| row.id) else {
                return Ok(None);
            };
            let member_id = transfer.member_id;
            let name = store::members_by_id(db, &[member_id])
                .await?
                .remove(&member_id)
                .map(|member| member.name)
                .unwrap_or_default();
            audit_party_read(ctx, principal, "Query.node", "PartyMember", &[member_id]).await?;
            Some(Node::PartyRelationTransfer(PartyRelationTransfer::new(
                transfer, name,
            )?))
        }
        NodeType::PartyVisit => {
            let rows = store::visit_page(db, &sites, None, &page_at(id))
                .await?
                .rows;
            let Some(visit) = the_row(rows, id, |row| row.id) else {
                return Ok(None);
            };
            let member_id = visit.member_id;
            let name = store::members_by_id(db, &[member_id])
                .await?
                .remove(&member_id)
                .map(|member| member.name)
                .unwrap_or_default();
            audit_party_read(ctx, principal, "Query.node", "PartyMember", &[member_id]).await?;
            Some(Node::PartyVisit(PartyVisit::new(visit, name)))
        }
        _ => None,
    })
}
