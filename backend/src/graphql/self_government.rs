//! Self-governance over GraphQL (annex 4): public disclosures (居务公开, A4§3.1), consultation
//! meetings with the share of relocated representatives computed exactly and the adoption,
//! implementation and feedback of their outcomes (A4§3.2), and democratic evaluations of
//! cadres and property services (A4§3.3).
//!
//! All of it belongs to the `governance` data domain: civil affairs and the towns write it
//! (towns for their own sites only); readers of the domain see it.
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::governance::{
    DisclosureKind as DomainDisclosureKind, OutcomeAdoption as DomainOutcomeAdoption,
};

use super::access::{principal, read};
use super::connection::connection_complexity;
use super::ids::{decode_id, encode_id, NodeType};
use super::industry::{
    coded_mirror, ensure_in_scope, id_page_request, notes_field, optional_id, paged_connection,
};
use super::loaders::SiteKey;
use super::registry::Site;
use super::responsibility::{actor_of, text_field};
use super::{database, load_one};
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::entities::{
    consultation_meeting, democratic_evaluation, public_disclosure,
};
use crate::persistence::industry::{counter, id_page};
use crate::persistence::registry::RecordTable;
use crate::persistence::self_government::{
    self as store, GovernanceFilter, NewDisclosure, NewEvaluation, NewMeeting, OutcomeRecord,
};

coded_mirror! {
    /// What a public disclosure makes public (居务公开, A4§3.1).
    DisclosureKind mirrors DomainDisclosureKind {
        Procedures, Progress, Results, Accounts, PropertyFee, UtilityPrices, UtilityCollection,
        FundedProject, Decision, Other,
    }
}

coded_mirror! {
    /// Whether a consultation's outcome was adopted (A4§3.2).
    OutcomeAdoption mirrors DomainOutcomeAdoption { Pending, Adopted, PartlyAdopted, Rejected }
}

/// The kind of consultation meeting (A4§3.2).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsultationKind {
    /// 居民会议
    ResidentsMeeting,
    /// 居民代表会议
    RepresentativesMeeting,
    /// 居民协商议事会议
    ConsultationCouncil,
}

impl ConsultationKind {
    fn code(self) -> &'static str {
        match self {
            ConsultationKind::ResidentsMeeting => "residents_meeting",
            ConsultationKind::RepresentativesMeeting => "representatives_meeting",
            ConsultationKind::ConsultationCouncil => "consultation_council",
        }
    }

    fn of(code: &str) -> ConsultationKind {
        match code {
            "residents_meeting" => ConsultationKind::ResidentsMeeting,
            "representatives_meeting" => ConsultationKind::RepresentativesMeeting,
            _ => ConsultationKind::ConsultationCouncil,
        }
    }
}

/// Who a democratic evaluation evaluates (A4§3.3).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvaluationSubject {
    /// Community cadres (社区干部), arranged by the town.
    Cadre,
    /// The property-service company.
    PropertyService,
}

impl EvaluationSubject {
    fn code(self) -> &'static str {
        match self {
            EvaluationSubject::Cadre => "cadre",
            EvaluationSubject::PropertyService => "property_service",
        }
    }
}

/// An exact share: `part` of `whole`, and in basis points rounded half away from zero.
#[derive(SimpleObject)]
pub struct Share {
    pub part: i64,
    pub whole: i64,
    /// 1/100 of a percent: 3600 is 36.00 %.
    pub basis_points: i64,
}

impl Share {
    fn of(ratio: Option<domain::money::Ratio>) -> Option<Share> {
        ratio.map(|ratio| Share {
            part: i64::try_from(ratio.part()).unwrap_or(i64::MAX),
            whole: i64::try_from(ratio.whole()).unwrap_or(i64::MAX),
            basis_points: ratio.to_percent().basis_points(),
        })
    }
}

fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// A public disclosure (居务公开, A4§3.1).
pub struct PublicDisclosure(public_disclosure::Model);

#[Object]
impl PublicDisclosure {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::PublicDisclosure, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Option<Site>> {
        match self.0.site_id {
            Some(id) => Ok(Some(Site(load_one(ctx, SiteKey(id), "site").await?))),
            None => Ok(None),
        }
    }
    async fn kind(&self) -> Result<DisclosureKind> {
        Ok(DisclosureKind::decode(
            "public_disclosure.kind",
            &self.0.kind,
        )?)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    async fn published_on(&self) -> NaiveDate {
        self.0.published_on
    }
    async fn withdrawn_on(&self) -> Option<NaiveDate> {
        self.0.withdrawn_on
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A consultation meeting (民主协商, A4§3.2).
pub struct ConsultationMeeting(consultation_meeting::Model);

#[Object]
impl ConsultationMeeting {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::ConsultationMeeting, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        Ok(Site(load_one(ctx, SiteKey(self.0.site_id), "site").await?))
    }
    async fn kind(&self) -> ConsultationKind {
        ConsultationKind::of(&self.0.kind)
    }
    async fn topic(&self) -> &str {
        &self.0.topic
    }
    async fn held_on(&self) -> NaiveDate {
        self.0.held_on
    }
    /// Led by the party organisation, as A4§3.2 asks.
    async fn led_by_party_organisation(&self) -> bool {
        self.0.led_by_party_organisation
    }
    /// A public matter needing residents' labour (投工投劳).
    async fn involves_resident_labour(&self) -> bool {
        self.0.involves_resident_labour
    }
    async fn attendees_count(&self) -> i32 {
        self.0.attendees_count
    }
    async fn relocated_representatives_count(&self) -> i32 {
        self.0.relocated_representatives_count
    }
    /// The share of relocated representatives among the attendees, exactly; null without attendees.
    async fn relocated_representatives_share(&self) -> Option<Share> {
        Share::of(domain::governance::relocated_representative_share(
            count(self.0.attendees_count),
            count(self.0.relocated_representatives_count),
        ))
    }
    /// On residents' labour without relocated representatives: an alert (A4§3.2).
    async fn lacks_relocated_representatives(&self) -> bool {
        domain::governance::consultation_lacks_relocated_representatives(
            self.0.involves_resident_labour,
            count(self.0.relocated_representatives_count),
        )
    }
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }
    async fn adoption_status(&self) -> Result<OutcomeAdoption> {
        Ok(OutcomeAdoption::decode(
            "consultation_meeting.adoption_status",
            &self.0.adoption_status,
        )?)
    }
    async fn implemented(&self) -> bool {
        self.0.implemented
    }
    /// What was fed back to the residents.
    async fn feedback(&self) -> &str {
        &self.0.feedback
    }
    async fn feedback_on(&self) -> Option<NaiveDate> {
        self.0.feedback_on
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A democratic evaluation (民主评议, A4§3.3).
pub struct DemocraticEvaluation(democratic_evaluation::Model);

#[Object]
impl DemocraticEvaluation {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::DemocraticEvaluation, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        Ok(Site(load_one(ctx, SiteKey(self.0.site_id), "site").await?))
    }
    async fn subject(&self) -> EvaluationSubject {
        if self.0.subject_kind == "cadre" {
            EvaluationSubject::Cadre
        } else {
            EvaluationSubject::PropertyService
        }
    }
    async fn subject_name(&self) -> &str {
        &self.0.subject_name
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn held_on(&self) -> NaiveDate {
        self.0.held_on
    }
    async fn participants_count(&self) -> i32 {
        self.0.participants_count
    }
    async fn satisfied_count(&self) -> i32 {
        self.0.satisfied_count
    }
    async fn basically_satisfied_count(&self) -> i32 {
        self.0.basically_satisfied_count
    }
    async fn dissatisfied_count(&self) -> i32 {
        self.0.dissatisfied_count
    }
    /// Satisfied or basically satisfied among participants, exactly.
    async fn satisfaction_share(&self) -> Option<Share> {
        Share::of(domain::governance::satisfaction_share(
            count(self.0.participants_count),
            count(self.0.satisfied_count),
            count(self.0.basically_satisfied_count),
        ))
    }
    /// Out of 100.
    async fn score(&self) -> Option<i32> {
        self.0.score
    }
    async fn comments(&self) -> &str {
        &self.0.comments
    }
}

paged_connection!(
    PublicDisclosureConnection,
    PublicDisclosureEdge,
    PublicDisclosure
);
paged_connection!(
    ConsultationMeetingConnection,
    ConsultationMeetingEdge,
    ConsultationMeeting
);
paged_connection!(
    DemocraticEvaluationConnection,
    DemocraticEvaluationEdge,
    DemocraticEvaluation
);

/// Which governance records to list.
#[derive(InputObject, Default)]
pub struct GovernanceFilterInput {
    pub site_id: Option<ID>,
    pub year: Option<i32>,
    /// Disclosures: include withdrawn ones.
    #[graphql(default = false)]
    pub include_withdrawn: bool,
    /// Meetings: only those on residents' labour without relocated representatives (A4§3.2).
    #[graphql(default = false)]
    pub lacking_representatives_only: bool,
}

fn governance_filter(
    principal: &Principal,
    filter: Option<GovernanceFilterInput>,
) -> Result<GovernanceFilter, ApiError> {
    let filter = filter.unwrap_or_default();
    Ok(GovernanceFilter {
        site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
        year: filter.year,
        include_withdrawn: filter.include_withdrawn,
        lacking_representatives_only: filter.lacking_representatives_only,
        scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
    })
}

#[derive(Default)]
pub struct SelfGovernmentQuery;

#[Object]
impl SelfGovernmentQuery {
    /// Public disclosures (居务公开), in id order; withdrawn ones only when asked.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn public_disclosures(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<GovernanceFilterInput>,
    ) -> Result<PublicDisclosureConnection> {
        let principal = read(ctx, DataDomain::Governance, "Query.publicDisclosures")?;
        let page = id_page_request(first, after, last, before)?;
        let select = store::disclosure_select(&governance_filter(principal, filter)?);
        let loaded = id_page(
            database(ctx),
            select.clone(),
            public_disclosure::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|row| (row.id, PublicDisclosure(row)))
            .collect();
        Ok(PublicDisclosureConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// Consultation meetings (民主协商), in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn consultation_meetings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<GovernanceFilterInput>,
    ) -> Result<ConsultationMeetingConnection> {
        let principal = read(ctx, DataDomain::Governance, "Query.consultationMeetings")?;
        let page = id_page_request(first, after, last, before)?;
        let select = store::meeting_select(&governance_filter(principal, filter)?);
        let loaded = id_page(
            database(ctx),
            select.clone(),
            consultation_meeting::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|row| (row.id, ConsultationMeeting(row)))
            .collect();
        Ok(ConsultationMeetingConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// Democratic evaluations (民主评议), in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn democratic_evaluations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<GovernanceFilterInput>,
    ) -> Result<DemocraticEvaluationConnection> {
        let principal = read(ctx, DataDomain::Governance, "Query.democraticEvaluations")?;
        let page = id_page_request(first, after, last, before)?;
        let select = store::evaluation_select(&governance_filter(principal, filter)?);
        let loaded = id_page(
            database(ctx),
            select.clone(),
            democratic_evaluation::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|row| (row.id, DemocraticEvaluation(row)))
            .collect();
        Ok(DemocraticEvaluationConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }
}

#[derive(InputObject)]
pub struct PublishDisclosureInput {
    pub site_id: ID,
    pub kind: DisclosureKind,
    pub title: String,
    pub content: String,
    pub published_on: NaiveDate,
}

#[derive(InputObject)]
pub struct WithdrawDisclosureInput {
    pub id: ID,
    pub version: i32,
    pub withdrawn_on: NaiveDate,
    pub reason: String,
}

#[derive(InputObject)]
pub struct RecordConsultationMeetingInput {
    pub site_id: ID,
    pub kind: ConsultationKind,
    pub topic: String,
    pub held_on: NaiveDate,
    #[graphql(default = true)]
    pub led_by_party_organisation: bool,
    #[graphql(default = false)]
    pub involves_resident_labour: bool,
    pub attendees_count: i32,
    pub relocated_representatives_count: i32,
    #[graphql(default)]
    pub outcome: String,
}

#[derive(InputObject)]
pub struct RecordConsultationOutcomeInput {
    pub id: ID,
    pub version: i32,
    pub adoption_status: OutcomeAdoption,
    #[graphql(default = false)]
    pub implemented: bool,
    /// What was fed back to the residents.
    #[graphql(default)]
    pub feedback: String,
    pub feedback_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct RecordDemocraticEvaluationInput {
    pub site_id: ID,
    pub subject: EvaluationSubject,
    pub subject_name: String,
    pub year: i32,
    pub held_on: NaiveDate,
    pub participants_count: i32,
    pub satisfied_count: i32,
    pub basically_satisfied_count: i32,
    pub dissatisfied_count: i32,
    /// Out of 100.
    pub score: Option<i32>,
    #[graphql(default)]
    pub comments: String,
}

fn governance_writer<'a>(ctx: &Context<'a>, what: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(DataDomain::Governance, what)?;
    Ok(principal)
}

fn non_negative(field: &str, value: i32) -> Result<i32, ApiError> {
    if value < 0 {
        return Err(ApiError::invalid(field, "a count cannot be negative"));
    }
    Ok(value)
}

#[derive(Default)]
pub struct SelfGovernmentMutation;

#[Object]
impl SelfGovernmentMutation {
    /// Publishes a disclosure at a site (居务公开, A4§3.1).
    async fn publish_disclosure(
        &self,
        ctx: &Context<'_>,
        input: PublishDisclosureInput,
    ) -> Result<PublicDisclosure> {
        let principal = governance_writer(ctx, "public disclosures")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "Site").await?;
        let site = load_one(ctx, SiteKey(site_id), "site").await?;
        let content = notes_field("input.content", &input.content, 20_000)?;
        if content.is_empty() {
            return Err(
                ApiError::invalid("input.content", "a disclosure needs its content").into(),
            );
        }
        let new = NewDisclosure {
            site_id,
            community_id: Some(site.community_id),
            kind: input.kind.code(),
            title: text_field("input.title", &input.title, 200)?,
            content,
            published_on: input.published_on,
        };
        Ok(PublicDisclosure(
            store::publish_disclosure(database(ctx), &actor_of(principal), new).await?,
        ))
    }

    /// Withdraws a disclosure (the record stays).
    async fn withdraw_disclosure(
        &self,
        ctx: &Context<'_>,
        input: WithdrawDisclosureInput,
    ) -> Result<PublicDisclosure> {
        let principal = governance_writer(ctx, "public disclosures")?;
        let id = decode_id("input.id", NodeType::PublicDisclosure, &input.id)?;
        let current = store::find_disclosure(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("PublicDisclosure", "with this ID"))?;
        match current.site_id {
            Some(site_id) => {
                ensure_in_scope(
                    ctx,
                    principal,
                    RecordTable::Site,
                    site_id,
                    "PublicDisclosure",
                )
                .await?
            }
            None if principal.scope.town_ids().is_some() => {
                return Err(ApiError::not_found("PublicDisclosure", "with this ID").into())
            }
            None => {}
        }
        Ok(PublicDisclosure(
            store::withdraw_disclosure(
                database(ctx),
                &actor_of(principal),
                id,
                input.version,
                input.withdrawn_on,
                text_field("input.reason", &input.reason, 500)?,
            )
            .await?,
        ))
    }

    /// Records a consultation meeting with its attendees and relocated representatives (A4§3.2).
    async fn record_consultation_meeting(
        &self,
        ctx: &Context<'_>,
        input: RecordConsultationMeetingInput,
    ) -> Result<ConsultationMeeting> {
        let principal = governance_writer(ctx, "consultation meetings")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "Site").await?;
        let attendees = non_negative("input.attendeesCount", input.attendees_count)?;
        let representatives = non_negative(
            "input.relocatedRepresentativesCount",
            input.relocated_representatives_count,
        )?;
        if representatives > attendees {
            return Err(ApiError::invalid(
                "input.relocatedRepresentativesCount",
                format!("{representatives} relocated representatives cannot be more than the {attendees} attendees"),
            )
            .into());
        }
        let new = NewMeeting {
            site_id,
            kind: input.kind.code(),
            topic: text_field("input.topic", &input.topic, 200)?,
            held_on: input.held_on,
            led_by_party_organisation: input.led_by_party_organisation,
            involves_resident_labour: input.involves_resident_labour,
            attendees_count: attendees,
            relocated_representatives_count: representatives,
            outcome: notes_field("input.outcome", &input.outcome, 4000)?,
        };
        Ok(ConsultationMeeting(
            store::record_meeting(database(ctx), &actor_of(principal), new).await?,
        ))
    }

    /// Records whether a consultation's outcome was adopted and implemented, and the feedback
    /// given to the residents (A4§3.2 采纳、落实和反馈).
    async fn record_consultation_outcome(
        &self,
        ctx: &Context<'_>,
        input: RecordConsultationOutcomeInput,
    ) -> Result<ConsultationMeeting> {
        let principal = governance_writer(ctx, "consultation meetings")?;
        let id = decode_id("input.id", NodeType::ConsultationMeeting, &input.id)?;
        let current = store::find_meeting(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("ConsultationMeeting", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            current.site_id,
            "ConsultationMeeting",
        )
        .await?;
        if input.implemented
            && !matches!(
                input.adoption_status,
                OutcomeAdoption::Adopted | OutcomeAdoption::PartlyAdopted
            )
        {
            return Err(ApiError::invalid(
                "input.implemented",
                "only an adopted (or partly adopted) outcome can be implemented",
            )
            .into());
        }
        let feedback = notes_field("input.feedback", &input.feedback, 4000)?;
        if !feedback.is_empty() && input.feedback_on.is_none() {
            return Err(ApiError::invalid(
                "input.feedbackOn",
                "give the day the feedback was given",
            )
            .into());
        }
        let record = OutcomeRecord {
            adoption_status: input.adoption_status.code(),
            implemented: input.implemented,
            feedback,
            feedback_on: input.feedback_on,
        };
        Ok(ConsultationMeeting(
            store::record_outcome(
                database(ctx),
                &actor_of(principal),
                id,
                input.version,
                record,
            )
            .await?,
        ))
    }

    /// Records a democratic evaluation (A4§3.3).
    async fn record_democratic_evaluation(
        &self,
        ctx: &Context<'_>,
        input: RecordDemocraticEvaluationInput,
    ) -> Result<DemocraticEvaluation> {
        let principal = governance_writer(ctx, "democratic evaluations")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "Site").await?;
        let participants = non_negative("input.participantsCount", input.participants_count)?;
        let satisfied = non_negative("input.satisfiedCount", input.satisfied_count)?;
        let basic = non_negative(
            "input.basicallySatisfiedCount",
            input.basically_satisfied_count,
        )?;
        let dissatisfied = non_negative("input.dissatisfiedCount", input.dissatisfied_count)?;
        if i64::from(satisfied) + i64::from(basic) + i64::from(dissatisfied)
            > i64::from(participants)
        {
            return Err(ApiError::invalid(
                "input.participantsCount",
                "the satisfied, basically satisfied and dissatisfied together cannot be more than the participants",
            )
            .into());
        }
        if input.score.is_some_and(|score| !(0..=100).contains(&score)) {
            return Err(ApiError::invalid("input.score", "a score is out of 100").into());
        }
        if !(2000..=2100).contains(&input.year) {
            return Err(
                ApiError::invalid("input.year", "give a year between 2000 and 2100").into(),
            );
        }
        let site = load_one(ctx, SiteKey(site_id), "site").await?;
        let new = NewEvaluation {
            site_id,
            subject_kind: input.subject.code(),
            subject_name: text_field("input.subjectName", &input.subject_name, 100)?,
            organised_by_town_id: Some(site.town_id),
            year: input.year,
            held_on: input.held_on,
            participants_count: participants,
            satisfied_count: satisfied,
            basically_satisfied_count: basic,
            dissatisfied_count: dissatisfied,
            score: input.score,
            comments: notes_field("input.comments", &input.comments, 4000)?,
        };
        Ok(DemocraticEvaluation(
            store::record_evaluation(database(ctx), &actor_of(principal), new).await?,
        ))
    }
}

/// `node(id:)` for disclosures (withdrawn ones too), meetings and evaluations, through their
/// lists' own selects: readers of `governance`, a town its own sites' records only.
pub(super) async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::{page_at, the_row, Node};
    let principal = read(ctx, DataDomain::Governance, "Query.node")?;
    let filter = GovernanceFilter {
        include_withdrawn: true,
        scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        ..GovernanceFilter::default()
    };
    let db = database(ctx);
    Ok(match node_type {
        NodeType::PublicDisclosure => {
            let select = store::disclosure_select(&filter);
            let loaded = id_page(db, select, public_disclosure::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            the_row(loaded.rows, id, |row| row.id)
                .map(|row| Node::PublicDisclosure(PublicDisclosure(row)))
        }
        NodeType::ConsultationMeeting => {
            let select = store::meeting_select(&filter);
            let loaded = id_page(db, select, consultation_meeting::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            the_row(loaded.rows, id, |row| row.id)
                .map(|row| Node::ConsultationMeeting(ConsultationMeeting(row)))
        }
        NodeType::DemocraticEvaluation => {
            let select = store::evaluation_select(&filter);
            let loaded = id_page(db, select, democratic_evaluation::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            the_row(loaded.rows, id, |row| row.id)
                .map(|row| Node::DemocraticEvaluation(DemocraticEvaluation(row)))
        }
        _ => None,
    })
}
