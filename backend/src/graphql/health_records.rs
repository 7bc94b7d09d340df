//! Chronic-disease management over GraphQL (A3§3): the chronic conditions of relocated persons
//! and their follow-ups by the family doctors.
//!
//! Health conditions are sensitive personal information (PIPL): reading them needs the `health`
//! domain, and every list writes one `read.sensitive` audit entry naming the persons whose
//! records it returned, like the family-doctor reads of `public_services`. The health bureau
//! writes them; the towns read their own sites' only (row scope).
use async_graphql::{Context, InputObject, Object, Result, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::health::{ConditionCode, FollowUpMethod as DomainFollowUpMethod, HealthRuleError};

use super::access::principal;
use super::connection::connection_complexity;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::industry::{
    coded_mirror, ensure_in_scope, id_page_request, notes_field, optional_id, paged_connection,
};
use super::land::line;
use super::responsibility::actor_of;
use super::site_records::{audit_sensitive_read, record_scope, Resident};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::entities::{chronic_condition, health_follow_up};
use crate::persistence::health_records::{
    self as store, ConditionChanges, ConditionFilter, FollowUpFilter, NewCondition, NewFollowUp,
};
use crate::persistence::industry::{counter, id_page};
use crate::persistence::registry::RecordTable;
use crate::persistence::site_records::persons_at_sites;

coded_mirror! {
    /// How a follow-up was made.
    HealthFollowUpMethod mirrors DomainFollowUpMethod {
        /// 入户随访
        HomeVisit,
        /// 门诊随访
        Clinic,
        /// 电话随访
        Phone,
        /// 视频随访
        Video,
    }
}

/// A chronic condition of a relocated person (sensitive: every read is audited).
pub struct ChronicCondition {
    model: chronic_condition::Model,
    resident: Option<Resident>,
}

#[Object]
impl ChronicCondition {
    async fn id(&self) -> ID {
        encode_id(NodeType::ChronicCondition, self.model.id)
    }
    /// The person, with the household and site.
    async fn resident(&self) -> Option<&Resident> {
        self.resident.as_ref()
    }
    /// The ICD-10 code, e.g. `I10`.
    async fn condition_code(&self) -> &str {
        &self.model.condition_code
    }
    /// The condition in words, e.g. 高血压.
    async fn condition_name(&self) -> &str {
        &self.model.condition_name
    }
    async fn diagnosed_on(&self) -> Option<NaiveDate> {
        self.model.diagnosed_on
    }
    /// Under chronic-disease management (慢病管理).
    async fn under_management(&self) -> bool {
        self.model.under_management
    }
    /// A serious illness (大病).
    async fn serious_illness(&self) -> bool {
        self.model.serious_illness
    }
    /// Treated first and paid later in a designated hospital (先诊疗后付费, A3§3).
    async fn treat_first_pay_later(&self) -> bool {
        self.model.treat_first_pay_later
    }
    async fn resolved_on(&self) -> Option<NaiveDate> {
        self.model.resolved_on
    }
    async fn notes(&self) -> &str {
        &self.model.notes
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

paged_connection!(
    ChronicConditionConnection,
    ChronicConditionEdge,
    ChronicCondition
);

/// A follow-up of a relocated person by a family doctor (sensitive: every read is audited).
pub struct HealthFollowUp {
    model: health_follow_up::Model,
    resident: Option<Resident>,
    condition_name: Option<String>,
}

#[Object]
impl HealthFollowUp {
    async fn id(&self) -> ID {
        encode_id(NodeType::HealthFollowUp, self.model.id)
    }
    /// The person, with the household and site.
    async fn resident(&self) -> Option<&Resident> {
        self.resident.as_ref()
    }
    /// The condition followed up, if any.
    async fn chronic_condition_id(&self) -> Option<ID> {
        self.model
            .chronic_condition_id
            .map(|id| encode_id(NodeType::ChronicCondition, id))
    }
    async fn condition_name(&self) -> Option<&str> {
        self.condition_name.as_deref()
    }
    /// The family-doctor contract in force on the day, if any.
    async fn contract_id(&self) -> Option<ID> {
        self.model
            .contract_id
            .map(|id| encode_id(NodeType::FamilyDoctorContract, id))
    }
    async fn followed_up_on(&self) -> NaiveDate {
        self.model.followed_up_on
    }
    async fn method(&self) -> Result<HealthFollowUpMethod> {
        Ok(HealthFollowUpMethod::decode(
            "health_follow_up.method",
            &self.model.method,
        )?)
    }
    /// Who followed up (the family doctor).
    async fn by_name(&self) -> &str {
        &self.model.by_name
    }
    async fn notes(&self) -> &str {
        &self.model.notes
    }
    async fn next_due_on(&self) -> Option<NaiveDate> {
        self.model.next_due_on
    }
    /// Whether the next follow-up was due before today.
    async fn overdue(&self) -> bool {
        domain::health::follow_up_overdue(self.model.next_due_on, today_in_china())
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

paged_connection!(HealthFollowUpConnection, HealthFollowUpEdge, HealthFollowUp);

/// Which chronic conditions to list.
#[derive(InputObject, Default)]
pub struct ChronicConditionFilterInput {
    pub site_id: Option<ID>,
    pub person_id: Option<ID>,
    pub under_management: Option<bool>,
}

/// Which follow-ups to list.
#[derive(InputObject, Default)]
pub struct HealthFollowUpFilterInput {
    pub site_id: Option<ID>,
    pub person_id: Option<ID>,
    pub chronic_condition_id: Option<ID>,
    /// Only those whose next follow-up was due before this day (e.g. today: the overdue ones).
    pub next_due_before: Option<NaiveDate>,
}

fn health_reader<'a>(ctx: &Context<'a>, field: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(DataDomain::Health, field)?;
    Ok(principal)
}

fn health_writer<'a>(ctx: &Context<'a>, what: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(DataDomain::Health, what)?;
    Ok(principal)
}

fn condition_rule(error: HealthRuleError) -> ApiError {
    let field = match error {
        HealthRuleError::MalformedConditionCode { .. } => "input.conditionCode",
        HealthRuleError::ResolvedButManaged => "input.underManagement",
        HealthRuleError::ResolvedBeforeDiagnosis { .. } => "input.resolvedOn",
        HealthRuleError::InFuture { .. } => "input.diagnosedOn",
        HealthRuleError::NextDueNotAfter { .. } => "input.nextDueOn",
    };
    ApiError::invalid(field, error)
}

#[derive(Default)]
pub struct HealthRecordsQuery;

#[Object]
impl HealthRecordsQuery {
    /// Chronic conditions of the relocated persons of the principal's sites, in id order
    /// (A3§3; the `health` domain, every read audited).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn chronic_conditions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<ChronicConditionFilterInput>,
    ) -> Result<ChronicConditionConnection> {
        let principal = health_reader(ctx, "Query.chronicConditions")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let store_filter = ConditionFilter {
            scope: record_scope(principal, "filter.siteId", &filter.site_id)?,
            person_id: optional_id("filter.personId", NodeType::Person, &filter.person_id)?,
            under_management: filter.under_management,
        };
        let select = store::condition_select(&store_filter);
        let db = database(ctx);
        let loaded = id_page(db, select.clone(), chronic_condition::Column::Id, &page)
            .await
            .map_err(ApiError::from)?;
        let person_ids: Vec<i64> = loaded.rows.iter().map(|row| row.person_id).collect();
        audit_sensitive_read(
            ctx,
            principal,
            DataDomain::Health,
            "Query.chronicConditions",
            &person_ids,
        )
        .await?;
        let people = persons_at_sites(db, &person_ids).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                let resident = people.get(&model.person_id).cloned().map(Resident);
                (model.id, ChronicCondition { model, resident })
            })
            .collect();
        Ok(ChronicConditionConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// Follow-ups of the relocated persons of the principal's sites, in id order (A3§3; the
    /// `health` domain, every read audited).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn health_follow_ups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<HealthFollowUpFilterInput>,
    ) -> Result<HealthFollowUpConnection> {
        let principal = health_reader(ctx, "Query.healthFollowUps")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let store_filter = FollowUpFilter {
            scope: record_scope(principal, "filter.siteId", &filter.site_id)?,
            person_id: optional_id("filter.personId", NodeType::Person, &filter.person_id)?,
            chronic_condition_id: optional_id(
                "filter.chronicConditionId",
                NodeType::ChronicCondition,
                &filter.chronic_condition_id,
            )?,
            next_due_before: filter.next_due_before,
        };
        let select = store::follow_up_select(&store_filter);
        let db = database(ctx);
        let loaded = id_page(db, select.clone(), health_follow_up::Column::Id, &page)
            .await
            .map_err(ApiError::from)?;
        let person_ids: Vec<i64> = loaded.rows.iter().map(|row| row.person_id).collect();
        audit_sensitive_read(
            ctx,
            principal,
            DataDomain::Health,
            "Query.healthFollowUps",
            &person_ids,
        )
        .await?;
        let people = persons_at_sites(db, &person_ids).await?;
        let condition_ids: Vec<i64> = loaded
            .rows
            .iter()
            .filter_map(|row| row.chronic_condition_id)
            .collect();
        let conditions = store::conditions_by_id(db, &condition_ids).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                let node = HealthFollowUp {
                    resident: people.get(&model.person_id).cloned().map(Resident),
                    condition_name: model
                        .chronic_condition_id
                        .and_then(|id| conditions.get(&id))
                        .map(|condition| condition.condition_name.clone()),
                    model,
                };
                (node.model.id, node)
            })
            .collect();
        Ok(HealthFollowUpConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }
}

/// A chronic condition to record (under management from now on).
#[derive(InputObject)]
pub struct RecordChronicConditionInput {
    pub person_id: ID,
    /// ICD-10, e.g. `I10` or `E11.9`.
    pub condition_code: String,
    /// In words, e.g. 高血压.
    pub condition_name: String,
    pub diagnosed_on: Option<NaiveDate>,
    #[graphql(default)]
    pub serious_illness: bool,
    /// 先诊疗后付费 in a designated hospital (A3§3).
    #[graphql(default)]
    pub treat_first_pay_later: bool,
    #[graphql(default)]
    pub notes: String,
}

/// Changes to a chronic condition; a field left out is unchanged.
#[derive(InputObject)]
pub struct UpdateChronicConditionInput {
    pub id: ID,
    pub version: i32,
    pub under_management: Option<bool>,
    pub serious_illness: Option<bool>,
    pub treat_first_pay_later: Option<bool>,
    /// The day it was resolved (the condition is then no longer under management).
    pub resolved_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// A follow-up to record.
#[derive(InputObject)]
pub struct RecordHealthFollowUpInput {
    pub person_id: ID,
    /// The person's condition followed up, if any.
    pub chronic_condition_id: Option<ID>,
    pub followed_up_on: NaiveDate,
    pub method: HealthFollowUpMethod,
    /// Who followed up (the family doctor).
    pub by_name: String,
    #[graphql(default)]
    pub notes: String,
    /// When the next follow-up is due (after this one).
    pub next_due_on: Option<NaiveDate>,
}

#[derive(Default)]
pub struct HealthRecordsMutation;

#[Object]
impl HealthRecordsMutation {
    /// Records a chronic condition of a relocated person, under management (A3§3).
    async fn record_chronic_condition(
        &self,
        ctx: &Context<'_>,
        input: RecordChronicConditionInput,
    ) -> Result<ChronicCondition> {
        let principal = health_writer(ctx, "chronic conditions")?;
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let code = ConditionCode::parse(&input.condition_code).map_err(condition_rule)?;
        let name = line("input.conditionName", &input.condition_name, 100)?;
        domain::health::check_condition(input.diagnosed_on, None, true, today_in_china())
            .map_err(condition_rule)?;
        let notes = notes_field("input.notes", &input.notes, 2000)?;
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        let stored = store::record_condition(
            database(ctx),
            &actor_of(principal),
            NewCondition {
                person_id,
                condition_code: code.as_str().to_string(),
                condition_name: name,
                diagnosed_on: input.diagnosed_on,
                serious_illness: input.serious_illness,
                treat_first_pay_later: input.treat_first_pay_later,
                notes,
            },
        )
        .await?;
        condition_node(ctx, stored).await
    }

    /// Updates a chronic condition (management, 大病, 先诊疗后付费, resolution, notes).
    async fn update_chronic_condition(
        &self,
        ctx: &Context<'_>,
        input: UpdateChronicConditionInput,
    ) -> Result<ChronicCondition> {
        let principal = health_writer(ctx, "chronic conditions")?;
        let id = decode_id("input.id", NodeType::ChronicCondition, &input.id)?;
        let notes = input
            .notes
            .as_deref()
            .map(|notes| notes_field("input.notes", notes, 2000))
            .transpose()?;
        let db = database(ctx);
        let current = store::find_condition(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("ChronicCondition", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Person,
            current.person_id,
            "ChronicCondition",
        )
        .await?;
        let today = today_in_china();
        // Resolving ends the management unless the input says otherwise (then it is refused).
        let under_management = match (input.under_management, input.resolved_on) {
            (None, Some(_)) => Some(false),
            (given, _) => given,
        };
        let stored = store::update_condition(
            db,
            &actor_of(principal),
            id,
            input.version,
            ConditionChanges {
                under_management,
                serious_illness: input.serious_illness,
                treat_first_pay_later: input.treat_first_pay_later,
                resolved_on: input.resolved_on.map(Some),
                notes,
            },
            |next| {
                domain::health::check_condition(
                    next.diagnosed_on,
                    next.resolved_on,
                    next.under_management,
                    today,
                )
                .map_err(|error| match error {
                    HealthRuleError::InFuture { .. } => {
                        ApiError::invalid("input.resolvedOn", error)
                    }
                    other => condition_rule(other),
                })
            },
        )
        .await?;
        condition_node(ctx, stored).await
    }

    /// Records a follow-up of a relocated person (A3§3); it is linked to the person's
    /// family-doctor contract in force on the day, if any.
    async fn record_health_follow_up(
        &self,
        ctx: &Context<'_>,
        input: RecordHealthFollowUpInput,
    ) -> Result<HealthFollowUp> {
        let principal = health_writer(ctx, "health follow-ups")?;
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let chronic_condition_id = optional_id(
            "input.chronicConditionId",
            NodeType::ChronicCondition,
            &input.chronic_condition_id,
        )?;
        let by_name = line("input.byName", &input.by_name, 40)?;
        let notes = notes_field("input.notes", &input.notes, 5000)?;
        domain::health::check_follow_up(input.followed_up_on, input.next_due_on, today_in_china())
            .map_err(|error| match error {
                HealthRuleError::InFuture { .. } => ApiError::invalid("input.followedUpOn", error),
                other => condition_rule(other),
            })?;
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        let stored = store::record_follow_up(
            database(ctx),
            &actor_of(principal),
            NewFollowUp {
                person_id,
                chronic_condition_id,
                followed_up_on: input.followed_up_on,
                method: input.method.code(),
                by_name,
                notes,
                next_due_on: input.next_due_on,
            },
        )
        .await?;
        let db = database(ctx);
        let resident = persons_at_sites(db, &[stored.person_id])
            .await?
            .remove(&stored.person_id)
            .map(Resident);
        let condition_name = match stored.chronic_condition_id {
            Some(id) => store::find_condition(db, id)
                .await?
                .map(|condition| condition.condition_name),
            None => None,
        };
        Ok(HealthFollowUp {
            model: stored,
            resident,
            condition_name,
        })
    }
}

async fn condition_node(
    ctx: &Context<'_>,
    model: chronic_condition::Model,
) -> Result<ChronicCondition> {
    let resident = persons_at_sites(database(ctx), &[model.person_id])
        .await?
        .remove(&model.person_id)
        .map(Resident);
    Ok(ChronicCondition { model, resident })
}
