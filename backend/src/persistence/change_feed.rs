//! The change feed: one ordered row per committed change of a record, appended by the audit
//! hook in the write's own transaction (and by triggers for alerts), read by position with the
//! reader's data domains and row scope, and polled once per instance for live subscribers.
//!
//! Positions are assigned in commit order (see the migration `m20261201_000014_change_feed`):
//! on PostgreSQL at commit under an advisory lock, on SQLite by the single writer. So a reader
//! that has seen position `p` will never later find a smaller one: following the feed by
//! "everything after my cursor" loses nothing and repeats nothing.
use std::sync::Arc;
use std::time::Duration;

use auth::policy::DataDomain;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, FromQueryResult, Statement};
use tokio::sync::broadcast;

use crate::access::Principal;
use crate::error::ApiResult;

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
    Archived,
}

impl ChangeKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Archived => "archived",
        }
    }

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<ChangeKind> {
        match code {
            "created" => Some(ChangeKind::Created),
            "updated" => Some(ChangeKind::Updated),
            "deleted" => Some(ChangeKind::Deleted),
            "archived" => Some(ChangeKind::Archived),
            _ => None,
        }
    }

    /// The kind an audit action stands for: `household.create` → created, `….archive` →
    /// archived, `….delete` → deleted, anything else that changes a record → updated.
    fn of_action(action: &str) -> ChangeKind {
        match action.rsplit('.').next().unwrap_or(action) {
            "create" | "publish" => ChangeKind::Created,
            "archive" => ChangeKind::Archived,
            "delete" => ChangeKind::Deleted,
            _ => ChangeKind::Updated,
        }
    }
}

/// Records of one audit entity type that a bulk write (an import) changed, named explicitly
/// because its single audit entry names no record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedRecords {
    /// The audit entity type, e.g. `Household`.
    pub entity_type: String,
    pub kind: ChangeKind,
    pub ids: Vec<i64>,
}

/// The pseudo-domain of records that supervisors see (readers of `responsibility` or
/// `assessment`) besides their owning units: alerts and supervision records.
pub const SUPERVISION: &str = "supervision";

/// How the feed describes the records of one audit entity type.
struct RecordSpec {
    /// The audit entity type and the feed's record type (the GraphQL type name).
    record_type: &'static str,
    /// The data domain whose readers see the record (a `DataDomain` code or [`SUPERVISION`]).
    domain: &'static str,
    /// A scalar SQL query for the record's town, `{id}` standing for the record id; empty for
    /// district-level records.
    town: &'static str,
    /// A scalar SQL query for the record's owning bureau, for unit-scoped records.
    bureau: &'static str,
    /// Whether the owning units (bureau, town) see it whatever their domains.
    unit_scoped: bool,
}

const fn spec(record_type: &'static str, domain: &'static str, town: &'static str) -> RecordSpec {
    RecordSpec {
        record_type,
        domain,
        town,
        bureau: "",
        unit_scoped: false,
    }
}

const fn unit_spec(
    record_type: &'static str,
    domain: &'static str,
    town: &'static str,
    bureau: &'static str,
) -> RecordSpec {
    RecordSpec {
        record_type,
        domain,
        town,
        bureau,
        unit_scoped: true,
    }
}

/// Every record type the feed reports, by the entity type its audit entries name.
const RECORDS: &[RecordSpec] = &[
    // The registry.
    spec(
        "Household",
        "identity",
        "SELECT s.town_id FROM household x JOIN site s ON s.id = x.site_id WHERE x.id = {id}",
    ),
    spec("Person", "identity", "SELECT s.town_id FROM person x JOIN household h ON h.id = x.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    // Employment and training (annex 2).
    spec("JobPosting", "employment", "SELECT town_id FROM job_posting WHERE id = {id}"),
    spec("JobPush", "employment", "SELECT s.town_id FROM job_push x JOIN household h ON h.id = x.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("EmploymentSpell", "employment", "SELECT s.town_id FROM employment_spell x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("GuaranteedLoan", "employment", "SELECT s.town_id FROM guaranteed_loan x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("TrainingInstitution", "training", ""),
    spec("TrainingClass", "training", ""),
    spec("TrainingEnrolment", "training", "SELECT s.town_id FROM training_enrolment x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("EntrepreneurshipTraining", "training", "SELECT s.town_id FROM entrepreneurship_training x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    // Industry (annex 1).
    spec("BusinessEntity", "industry", "SELECT COALESCE(x.town_id, s.town_id) FROM business_entity x LEFT JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("BenefitLinkage", "industry", "SELECT s.town_id FROM benefit_linkage x JOIN household h ON h.id = x.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("SalesChannel", "industry", "SELECT s.town_id FROM sales_channel x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    // Public services (annex 3).
    spec("SiteNeed", "public_services", "SELECT s.town_id FROM site_need x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("PropertyTicket", "public_services", "SELECT s.town_id FROM property_ticket x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("SiteFacility", "public_services", "SELECT s.town_id FROM site_facility x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("SchoolEnrolment", "education", "SELECT s.town_id FROM school_enrolment x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("InsuranceEnrolment", "insurance", "SELECT s.town_id FROM insurance_enrolment x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("FamilyDoctorContract", "health", "SELECT s.town_id FROM family_doctor_contract x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("ChronicCondition", "health", "SELECT s.town_id FROM chronic_condition x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("HealthFollowUp", "health", "SELECT s.town_id FROM health_follow_up x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("SocialAssistance", "social_assistance", "SELECT s.town_id FROM social_assistance x JOIN household h ON h.id = x.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("HouseholdRegistration", "household_registration", "SELECT s.town_id FROM household_registration x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    // Self-government (annex 4).
    spec("PublicDisclosure", "governance", "SELECT s.town_id FROM public_disclosure x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("ConsultationMeeting", "governance", "SELECT s.town_id FROM consultation_meeting x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("DemocraticEvaluation", "governance", "SELECT s.town_id FROM democratic_evaluation x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("SiteCouncil", "governance", "SELECT s.town_id FROM site_council x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("DisputeRoom", "governance", "SELECT s.town_id FROM dispute_room x JOIN site s ON s.id = x.site_id WHERE x.id = {id}"),
    spec("DisputeCase", "governance", "SELECT s.town_id FROM dispute_case x JOIN dispute_room r ON r.id = x.room_id JOIN site s ON s.id = r.site_id WHERE x.id = {id}"),
    // Land (annex 5).
    spec("Homestead", "land", "SELECT s.town_id FROM homestead x JOIN household h ON h.id = x.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("LandLinkageProject", "land", "SELECT town_id FROM land_linkage_project WHERE id = {id}"),
    spec("LandQuota", "land", "SELECT pr.town_id FROM land_quota x JOIN land_linkage_project pr ON pr.id = x.project_id WHERE x.id = {id}"),
    spec("QuotaTransfer", "land", "SELECT pr.town_id FROM quota_transfer x JOIN land_quota q ON q.id = x.quota_id JOIN land_linkage_project pr ON pr.id = q.project_id WHERE x.id = {id}"),
    spec("LandRevenue", "land", "SELECT pr.town_id FROM land_revenue x JOIN land_linkage_project pr ON pr.id = x.project_id WHERE x.id = {id}"),
    // Party building (annex 6).
    spec("PartyOrganisation", "party", "SELECT town_id FROM party_organisation WHERE id = {id}"),
    spec("PartyMember", "party", "SELECT o.town_id FROM party_member x JOIN party_organisation o ON o.id = x.organisation_id WHERE x.id = {id}"),
    spec("PartyRelationTransfer", "party", "SELECT o.town_id FROM party_relation_transfer x JOIN party_member m ON m.id = x.member_id JOIN party_organisation o ON o.id = m.organisation_id WHERE x.id = {id}"),
    spec("PartyMeeting", "party", "SELECT o.town_id FROM party_meeting x JOIN party_organisation o ON o.id = x.organisation_id WHERE x.id = {id}"),
    spec("PartyVisit", "party", "SELECT s.town_id FROM party_visit x JOIN household h ON h.id = x.household_id JOIN site s ON s.id = h.site_id WHERE x.id = {id}"),
    spec("TownCommitteeReview", "party", "SELECT town_id FROM town_committee_review WHERE id = {id}"),
    // The responsibility list (annex 7): readers of the list, and the responsible unit.
    unit_spec(
        "ResponsibilityTask",
        "responsibility",
        "SELECT responsible_town_id FROM responsibility_task WHERE id = {id}",
        "SELECT responsible_bureau_id FROM responsibility_task WHERE id = {id}",
    ),
    unit_spec(
        "ProgressReport",
        "responsibility",
        "SELECT t.responsible_town_id FROM task_progress_report x JOIN responsibility_task t ON t.id = x.task_id WHERE x.id = {id}",
        "SELECT t.responsible_bureau_id FROM task_progress_report x JOIN responsibility_task t ON t.id = x.task_id WHERE x.id = {id}",
    ),
    unit_spec(
        "ExtensionRequest",
        "responsibility",
        "SELECT t.responsible_town_id FROM task_extension_request x JOIN responsibility_task t ON t.id = x.task_id WHERE x.id = {id}",
        "SELECT t.responsible_bureau_id FROM task_extension_request x JOIN responsibility_task t ON t.id = x.task_id WHERE x.id = {id}",
    ),
    unit_spec(
        "TaskAttachment",
        "responsibility",
        "SELECT t.responsible_town_id FROM task_attachment x JOIN responsibility_task t ON t.id = x.task_id WHERE x.id = {id}",
        "SELECT t.responsible_bureau_id FROM task_attachment x JOIN responsibility_task t ON t.id = x.task_id WHERE x.id = {id}",
    ),
    // Supervision (A7§4): supervisors, and the unit concerned.
    unit_spec(
        "Inspection",
        SUPERVISION,
        "SELECT town_id FROM inspection WHERE id = {id}",
        "SELECT bureau_id FROM inspection WHERE id = {id}",
    ),
    unit_spec(
        "InspectionFinding",
        SUPERVISION,
        "SELECT town_id FROM inspection_finding WHERE id = {id}",
        "SELECT responsible_bureau_id FROM inspection_finding WHERE id = {id}",
    ),
    unit_spec(
        "Interview",
        SUPERVISION,
        "SELECT town_id FROM interview WHERE id = {id}",
        "SELECT bureau_id FROM interview WHERE id = {id}",
    ),
    unit_spec(
        "Consequence",
        SUPERVISION,
        "SELECT town_id FROM accountability_consequence WHERE id = {id}",
        "SELECT bureau_id FROM accountability_consequence WHERE id = {id}",
    ),
    // The assessment (A7§4).
    spec("AssessmentPlan", "assessment", ""),
    spec("AssessmentIndicator", "assessment", ""),
    spec("AssessmentPublication", "assessment", ""),
];

/// Audit entity types without a global ID of their own, reported as a change of the record
/// they belong to: `(entity type, SQL for the parent's id, the parent's record type)`.
const REPORTED_AS_PARENT: &[(&str, &str, &str)] = &[
    (
        "BenefitFulfilment",
        "SELECT benefit_linkage_id FROM benefit_fulfilment WHERE id = {id}",
        "BenefitLinkage",
    ),
    (
        "AssessmentScore",
        "SELECT plan_id FROM assessment_score WHERE id = {id}",
        "AssessmentPlan",
    ),
    (
        "AssessmentDeduction",
        "SELECT plan_id FROM assessment_deduction WHERE id = {id}",
        "AssessmentPlan",
    ),
];

/// Writes that change other records with the one their audit entry names: `(action, the
/// other records' type, what happened to them, SQL listing their ids)`.
const CHANGED_WITH: &[(&str, &str, ChangeKind, &str)] = &[
    (
        "household.create",
        "Person",
        ChangeKind::Created,
        "SELECT id FROM person WHERE household_id = {id} ORDER BY id",
    ),
    (
        "household.archive",
        "Person",
        ChangeKind::Archived,
        "SELECT p.id FROM person p JOIN household h ON h.id = p.household_id
         WHERE h.id = {id} AND p.archived_at = h.archived_at ORDER BY p.id",
    ),
];

/// Record types whose district-level rows (no town) the towns' lists show too: the district's
/// job database and training offer.
const DISTRICT_WIDE_TYPES: &[&str] = &["JobPosting", "TrainingInstitution", "TrainingClass"];

/// The record type of alerts, which triggers append (see the migration).
pub const ALERT: &str = "Alert";

/// Audit actions that never change a record, or whose changes reach the feed another way
/// (alerts through triggers, imports through [`ChangedRecords`]).
const NOT_RECORD_CHANGES: &[&str] = &[
    "read.", "export.", "audit.", "auth.", "user.", "policy.", "import.", "alert.",
];

/// Every record type the feed can report, for validating `types` filters.
pub fn record_types() -> Vec<&'static str> {
    let mut types: Vec<&'static str> = RECORDS.iter().map(|spec| spec.record_type).collect();
    types.push(ALERT);
    types
}

fn spec_of(record_type: &str) -> Option<&'static RecordSpec> {
    RECORDS.iter().find(|spec| spec.record_type == record_type)
}

/// One change to append.
struct Append<'a> {
    spec: &'static RecordSpec,
    record_id: i64,
    kind: ChangeKind,
    action: &'a str,
}

/// The audit hook: appends the changes an audit entry stands for, in the write's transaction.
/// Reads, exports, sign-ins and failures append nothing; unknown entity types (users, roles,
/// the calendar) are not records of the feed.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn append_for_audit(
    db: &impl ConnectionTrait,
    actor_user_id: Option<i64>,
    actor_label: &str,
    action: &str,
    entity_type: &str,
    entity_id: Option<i64>,
    bulk: &[ChangedRecords],
) -> ApiResult<()> {
    let mut appends: Vec<Append<'_>> = Vec::new();
    let record_change = !NOT_RECORD_CHANGES
        .iter()
        .any(|prefix| action.starts_with(prefix));
    if let (true, Some(id)) = (record_change, entity_id) {
        if let Some(spec) = spec_of(entity_type) {
            appends.push(Append {
                spec,
                record_id: id,
                kind: ChangeKind::of_action(action),
                action,
            });
            for (_, other_type, kind, sql) in CHANGED_WITH
                .iter()
                .filter(|(with, _, _, _)| *with == action)
            {
                if let Some(other) = spec_of(other_type) {
                    for other_id in list(db, sql, id).await? {
                        appends.push(Append {
                            spec: other,
                            record_id: other_id,
                            kind: *kind,
                            action,
                        });
                    }
                }
            }
        } else if let Some((_, parent_sql, parent_type)) = REPORTED_AS_PARENT
            .iter()
            .find(|(child, _, _)| *child == entity_type)
        {
            if let (Some(parent_id), Some(spec)) =
                (scalar(db, parent_sql, id).await?, spec_of(parent_type))
            {
                appends.push(Append {
                    spec,
                    record_id: parent_id,
                    kind: ChangeKind::Updated,
                    action,
                });
            }
        }
    }
    for records in bulk {
        if let Some(spec) = spec_of(&records.entity_type) {
            appends.extend(records.ids.iter().map(|id| Append {
                spec,
                record_id: *id,
                kind: records.kind,
                action,
            }));
        }
    }
    if appends.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let actor_label: String = actor_label.chars().take(100).collect();
    for chunk in appends.chunks(200) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("change_feed")).columns(
            [
                "record_type",
                "record_id",
                "kind",
                "occurred_at",
                "actor_user_id",
                "actor_label",
                "action",
                "domain",
                "town_id",
                "bureau_id",
                "unit_scoped",
            ]
            .map(Alias::new),
        );
        for append in chunk {
            let spec = append.spec;
            insert.values_panic([
                spec.record_type.into(),
                append.record_id.into(),
                append.kind.code().into(),
                now.into(),
                actor_user_id.into(),
                actor_label.clone().into(),
                append.action.chars().take(100).collect::<String>().into(),
                spec.domain.into(),
                derived(spec.town, append.record_id),
                derived(spec.bureau, append.record_id),
                spec.unit_scoped.into(),
            ]);
        }
        db.execute(db.get_database_backend().build(&insert)).await?;
    }
    Ok(())
}

/// A scalar subquery for the record (NULL when the spec has none).
fn derived(template: &str, record_id: i64) -> SimpleExpr {
    if template.is_empty() {
        Expr::value(Option::<i64>::None)
    } else {
        // The id is an integer, so inlining it cannot inject anything.
        Expr::cust(format!(
            "({})",
            template.replace("{id}", &record_id.to_string())
        ))
    }
}

async fn list(db: &impl ConnectionTrait, template: &str, id: i64) -> Result<Vec<i64>, DbErr> {
    let sql = template.replace("{id}", &id.to_string());
    let rows = db
        .query_all(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect()
}

async fn scalar(db: &impl ConnectionTrait, template: &str, id: i64) -> Result<Option<i64>, DbErr> {
    let sql = format!(
        "SELECT ({}) AS value",
        template.replace("{id}", &id.to_string())
    );
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<i64>>("", "value")?,
        None => None,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading.
// ---------------------------------------------------------------------------------------------

/// One committed entry of the feed.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct FeedRow {
    pub position: i64,
    pub record_type: String,
    pub record_id: i64,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub actor_label: String,
    pub domain: Option<String>,
    pub town_id: Option<i64>,
    pub bureau_id: Option<i64>,
    pub unit_scoped: bool,
}

/// Which entries a principal may see: the same data domains and row scope as its lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedVisibility {
    /// Readable domain codes (with [`SUPERVISION`] for readers of responsibility or assessment).
    pub domains: Vec<&'static str>,
    /// The towns of a town-scoped principal; `None` for the whole district.
    pub scope_towns: Option<Vec<i64>>,
    /// The principal's units, which see unit-scoped records concerning them.
    pub bureau_ids: Vec<i64>,
    pub town_unit_ids: Vec<i64>,
}

impl FeedVisibility {
    /// The visibility of a principal, from its policy rows and roles.
    pub fn of(principal: &Principal) -> FeedVisibility {
        let can = |domain| principal.permissions.can_read(domain);
        let mut domains: Vec<&'static str> = DataDomain::ALL
            .iter()
            .copied()
            .filter(|domain| can(*domain))
            .map(DataDomain::code)
            .collect();
        if can(DataDomain::Responsibility) || can(DataDomain::Assessment) {
            domains.push(SUPERVISION);
        }
        FeedVisibility {
            domains,
            scope_towns: principal.scope.town_ids().map(<[i64]>::to_vec),
            bureau_ids: principal.bureau_ids.clone(),
            town_unit_ids: principal.town_unit_ids.clone(),
        }
    }

    /// The condition in SQL.
    fn condition(&self) -> Condition {
        let column = |name: &str| Expr::col(Alias::new(name));
        let in_scope = match &self.scope_towns {
            None => Condition::all(),
            Some(towns) => Condition::any()
                .add(column("town_id").is_in(towns.iter().copied()))
                .add(
                    Condition::all()
                        .add(column("town_id").is_null())
                        .add(column("record_type").is_in(DISTRICT_WIDE_TYPES.iter().copied())),
                ),
        };
        let by_domain = Condition::all()
            .add(column("domain").is_in(self.domains.iter().copied()))
            .add(in_scope);
        let by_unit = Condition::all().add(column("unit_scoped").eq(true)).add(
            Condition::any()
                .add(column("bureau_id").is_in(self.bureau_ids.iter().copied()))
                .add(column("town_id").is_in(self.town_unit_ids.iter().copied())),
        );
        Condition::any().add(by_domain).add(by_unit)
    }

    /// The same condition on a row in memory (for live subscribers).
    pub fn allows(&self, row: &FeedRow) -> bool {
        let in_scope = match &self.scope_towns {
            None => true,
            Some(towns) => match row.town_id {
                Some(town) => towns.contains(&town),
                None => DISTRICT_WIDE_TYPES.contains(&row.record_type.as_str()),
            },
        };
        let by_domain = row
            .domain
            .as_deref()
            .is_some_and(|domain| self.domains.contains(&domain))
            && in_scope;
        let by_unit = row.unit_scoped
            && (row
                .bureau_id
                .is_some_and(|id| self.bureau_ids.contains(&id))
                || row
                    .town_id
                    .is_some_and(|id| self.town_unit_ids.contains(&id)));
        by_domain || by_unit
    }
}

fn select_rows() -> SelectStatement {
    Query::select()
        .columns(
            [
                "position",
                "record_type",
                "record_id",
                "kind",
                "occurred_at",
                "actor_label",
                "domain",
                "town_id",
                "bureau_id",
                "unit_scoped",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("change_feed"))
        .and_where(Expr::col(Alias::new("position")).is_not_null())
        .order_by(Alias::new("position"), Order::Asc)
        .to_owned()
}

/// The newest committed position, if the feed has any entry.
pub async fn head(db: &impl ConnectionTrait) -> Result<Option<i64>, DbErr> {
    let statement = Query::select()
        .expr_as(
            Expr::col(Alias::new("position")).max(),
            Alias::new("position"),
        )
        .from(Alias::new("change_feed"))
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&statement))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<i64>>("", "position")?,
        None => None,
    })
}

/// Up to `limit` entries the visibility allows after `after` (and up to `up_to`), of `types`
/// when given, in feed order.
pub async fn visible_page(
    db: &impl ConnectionTrait,
    visibility: &FeedVisibility,
    types: Option<&[String]>,
    after: i64,
    up_to: Option<i64>,
    limit: u64,
) -> Result<Vec<FeedRow>, DbErr> {
    let mut statement = select_rows();
    statement
        .and_where(Expr::col(Alias::new("position")).gt(after))
        .cond_where(visibility.condition())
        .limit(limit);
    if let Some(up_to) = up_to {
        statement.and_where(Expr::col(Alias::new("position")).lte(up_to));
    }
    if let Some(types) = types {
        statement.and_where(Expr::col(Alias::new("record_type")).is_in(types.iter().cloned()));
    }
    FeedRow::find_by_statement(db.get_database_backend().build(&statement))
        .all(db)
        .await
}

/// Up to `limit` entries after `after`, whoever may see them (for the poller).
pub async fn entries_after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<FeedRow>, DbErr> {
    let mut statement = select_rows();
    statement
        .and_where(Expr::col(Alias::new("position")).gt(after))
        .limit(limit);
    FeedRow::find_by_statement(db.get_database_backend().build(&statement))
        .all(db)
        .await
}

// ---------------------------------------------------------------------------------------------
// The per-instance poller.
// ---------------------------------------------------------------------------------------------

/// How often an instance looks for new entries while anyone subscribes.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Entries read per poll (a longer backlog is read in several polls without waiting).
const POLL_BATCH: u64 = 1000;

/// A batch of new entries, in feed order, as every subscriber of the instance receives it.
pub type FeedBatch = Arc<Vec<FeedRow>>;

/// One poller per server instance: while anyone subscribes, it reads the entries committed
/// since its last read every [`POLL_INTERVAL`] and broadcasts them; subscribers filter them by
/// their own visibility. Several instances on one database each poll the shared table, so a
/// change made through any instance reaches the subscribers of all of them.
pub struct FeedPoller {
    db: DatabaseConnection,
    sender: broadcast::Sender<FeedBatch>,
    task: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl FeedPoller {
    /// A poller over the instance's pool; it starts with its first subscriber.
    pub fn new(db: DatabaseConnection) -> Arc<FeedPoller> {
        let (sender, _) = broadcast::channel(64);
        Arc::new(FeedPoller {
            db,
            sender,
            task: tokio::sync::Mutex::new(None),
        })
    }

    /// Receives every batch read from now on. Entries committed before this call are not
    /// guaranteed to arrive: read them from the table afterwards (everything up to the
    /// poller's position is committed, and every later entry comes as a batch).
    pub async fn subscribe(self: &Arc<Self>) -> Result<broadcast::Receiver<FeedBatch>, DbErr> {
        let mut task = self.task.lock().await;
        let receiver = self.sender.subscribe();
        let running = task.as_ref().is_some_and(|handle| !handle.is_finished());
        if !running {
            // Start at the head as of now, before the caller reads the table: whatever is
            // committed later comes as a batch.
            let start = head(&self.db).await?.unwrap_or(0);
            let poller = Arc::clone(self);
            *task = Some(tokio::spawn(async move { poller.run(start).await }));
        }
        Ok(receiver)
    }

    async fn run(self: Arc<Self>, mut last: i64) {
        loop {
            {
                // Stop with the last subscriber; the check and the restart in `subscribe`
                // hold the same lock, so no subscriber is left without a poller.
                let mut task = self.task.lock().await;
                if self.sender.receiver_count() == 0 {
                    *task = None;
                    return;
                }
            }
            match entries_after(&self.db, last, POLL_BATCH).await {
                Ok(rows) => {
                    let full = rows.len() as u64 == POLL_BATCH;
                    if let Some(row) = rows.last() {
                        last = row.position;
                        // No receivers is not an error: the next round stops.
                        let _ = self.sender.send(Arc::new(rows));
                    }
                    if full {
                        continue;
                    }
                }
                Err(error) => tracing::warn!(%error, "the change feed poller could not read"),
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migration::{Migrator, MigratorTrait};
    use sea_orm::Database;

    #[test]
    fn actions_map_to_kinds() {
        assert_eq!(
            ChangeKind::of_action("household.create"),
            ChangeKind::Created
        );
        assert_eq!(
            ChangeKind::of_action("person.archive"),
            ChangeKind::Archived
        );
        assert_eq!(
            ChangeKind::of_action("working_day_calendar.delete"),
            ChangeKind::Deleted
        );
        assert_eq!(ChangeKind::of_action("person.update"), ChangeKind::Updated);
        assert_eq!(
            ChangeKind::of_action("assessment.publish"),
            ChangeKind::Created
        );
        for kind in [
            ChangeKind::Created,
            ChangeKind::Updated,
            ChangeKind::Deleted,
            ChangeKind::Archived,
        ] {
            assert_eq!(ChangeKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn every_domain_is_a_policy_domain_or_supervision() {
        for spec in RECORDS {
            assert!(
                spec.domain == SUPERVISION || DataDomain::from_code(spec.domain).is_some(),
                "{}: {}",
                spec.record_type,
                spec.domain
            );
            assert!(spec.unit_scoped || spec.bureau.is_empty());
        }
        for (_, _, parent) in REPORTED_AS_PARENT {
            assert!(spec_of(parent).is_some(), "{parent}");
        }
        let mut types = record_types();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), RECORDS.len() + 1, "record types are unique");
    }

    fn row(domain: &str, town: Option<i64>, bureau: Option<i64>, unit_scoped: bool) -> FeedRow {
        FeedRow {
            position: 1,
            record_type: "Household".into(),
            record_id: 1,
            kind: "created".into(),
            occurred_at: Utc::now(),
            actor_label: "x".into(),
            domain: Some(domain.into()),
            town_id: town,
            bureau_id: bureau,
            unit_scoped,
        }
    }

    #[test]
    fn visibility_needs_the_domain_and_the_town_or_the_unit() {
        let town_official = FeedVisibility {
            domains: vec!["identity"],
            scope_towns: Some(vec![1]),
            bureau_ids: vec![],
            town_unit_ids: vec![1],
        };
        assert!(town_official.allows(&row("identity", Some(1), None, false)));
        assert!(!town_official.allows(&row("identity", Some(2), None, false)));
        assert!(!town_official.allows(&row("identity", None, None, false)));
        assert!(!town_official.allows(&row("health", Some(1), None, false)));
        // Its own town's task, whatever its domains.
        assert!(town_official.allows(&row("responsibility", Some(1), None, true)));
        let mut district_posting = row("identity", None, None, false);
        district_posting.record_type = "JobPosting".into();
        assert!(town_official.allows(&district_posting));

        let bureau = FeedVisibility {
            domains: vec!["employment"],
            scope_towns: None,
            bureau_ids: vec![7],
            town_unit_ids: vec![],
        };
        assert!(bureau.allows(&row("employment", Some(2), None, false)));
        assert!(!bureau.allows(&row("identity", Some(2), None, false)));
        assert!(bureau.allows(&row(SUPERVISION, Some(2), Some(7), true)));
        assert!(!bureau.allows(&row(SUPERVISION, Some(2), Some(8), true)));
    }

    /// Every derivation is valid SQL over the real schema, and the hook's entries get their
    /// positions in order (at commit on PostgreSQL).
    async fn derivations_run_and_the_hook_appends(db: &DatabaseConnection) {
        Migrator::up(db, None).await.expect("migrate");
        for spec in RECORDS {
            for template in [spec.town, spec.bureau] {
                if !template.is_empty() {
                    scalar(db, template, 1)
                        .await
                        .unwrap_or_else(|error| panic!("{}: {error}", spec.record_type));
                }
            }
        }
        for (child, sql, _) in REPORTED_AS_PARENT {
            scalar(db, sql, 1)
                .await
                .unwrap_or_else(|error| panic!("{child}: {error}"));
        }
        for (action, other, _, sql) in CHANGED_WITH {
            assert!(spec_of(other).is_some(), "{other}");
            list(db, sql, 1)
                .await
                .unwrap_or_else(|error| panic!("{action}: {error}"));
        }
        let bulk = [ChangedRecords {
            entity_type: "Household".into(),
            kind: ChangeKind::Created,
            ids: vec![5, 6],
        }];
        let transaction = sea_orm::TransactionTrait::begin(db).await.expect("begin");
        append_for_audit(
            &transaction,
            Some(1),
            "tester",
            "person.update",
            "Person",
            Some(3),
            &bulk,
        )
        .await
        .expect("append");
        append_for_audit(
            &transaction,
            Some(1),
            "tester",
            "read.unmasked",
            "Person",
            Some(3),
            &[],
        )
        .await
        .expect("a read appends nothing");
        transaction.commit().await.expect("commit");
        let rows = entries_after(db, 0, 10).await.expect("read");
        let described: Vec<(&str, i64, &str)> = rows
            .iter()
            .map(|row| (row.record_type.as_str(), row.record_id, row.kind.as_str()))
            .collect();
        assert_eq!(
            described,
            [
                ("Person", 3, "updated"),
                ("Household", 5, "created"),
                ("Household", 6, "created"),
            ]
        );
        let positions: Vec<i64> = rows.iter().map(|row| row.position).collect();
        assert!(
            positions.windows(2).all(|pair| pair[0] < pair[1]),
            "{positions:?}"
        );
        assert_eq!(head(db).await.expect("head"), positions.last().copied());
    }

    #[tokio::test]
    async fn every_derivation_runs_and_the_hook_appends_on_sqlite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("feed.db").display());
        let db = Database::connect(&url).await.expect("connect");
        derivations_run_and_the_hook_appends(&db).await;
    }

    #[tokio::test]
    async fn every_derivation_runs_and_the_hook_appends_on_postgres() {
        let Ok(server_url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
            );
            return;
        };
        let admin = Database::connect(&server_url).await.expect("connect");
        let name = format!("feed_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a throwaway database");
        let (base, _) = server_url
            .rsplit_once('/')
            .expect("URL ends with /database");
        let url = format!("{base}/{name}");
        // In a task, so that the database is dropped even when a check fails.
        let outcome = tokio::spawn(async move {
            let db = Database::connect(&url).await.expect("connect");
            derivations_run_and_the_hook_appends(&db).await;
            db.close().await.expect("close");
        })
        .await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("drop the throwaway database");
        if let Err(failure) = outcome {
            std::panic::resume_unwind(failure.into_panic());
        }
    }
}
