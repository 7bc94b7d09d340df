//! Queries and writes of the special assessment (A7§4): plans, the computed indicators measured
//! live from the records in one set-based statement per rule, manual scores, deductions, and
//! the immutable published snapshots.
//!
//! How each computed rule is measured (as of a date, for the plan's year):
//!
//! | rule | counted (applicable) | passes when |
//! |---|---|---|
//! | `on_time_completion` | each unit's own tasks (`responsible_bureau_id`/`responsible_town_id`) past their deadline on the as-of date (`deadline < as_of`: a task is still due on its deadline day, as in A7§1's status) or completed by it | `completed_on ≤ as_of` and `completed_on ≤ deadline` |
//! | `zero_employment_resolved` | current households with a member of full or partial labour capacity | any current member employed (A2§1) |
//! | `insurance_coverage` | current persons born by the as-of date | basic medical and serious-illness insurance, and pension from 16 unless in school, each with an `enrolled` row for the plan year — or an `exempt`/`not_applicable` row, the recorded decision that it does not apply (A3§4) |
//! | `schooling_no_dropouts` | current persons aged 6–15 on the as-of date | an `enrolled` or `suspended` (休学, keeps the 学籍) ledger row, or graduated from junior middle school or beyond (A3§2) |
//! | `family_doctor_contracts` | current persons born by the as-of date | an `active` contract with `signed_on ≤ as_of ≤ expires_on` (A3§3) |
//! | `homestead_reclamation` | old homesteads of current households | reclaimed to farmland, forest or grass, or restored to green (A5§1) |
//! | `monthly_party_visits` | site committee members × the finished months of the plan year up to the as-of date, counting the months they held office the whole month | at least one visit in that month (A6§2.2) |
//! | `post_training_employment` | enrolments of current persons in classes not cancelled that ended in the plan year by the as-of date | `employed_after_training` (A2§3.2) |
//!
//! Units: a bureau is assessed when it is responsible for at least one task; a town when it
//! has a site or is responsible for a task. A rule over households or persons measures a town
//! over its own sites, and a bureau over the whole district only when it is the indicator's
//! owner (otherwise the indicator does not apply to that bureau). `on_time_completion` measures
//! every unit over its own tasks (a bureau only if the indicator has no owner or it is the owner).
//!
//! The records that failed are listed with every point lost, up to [`FAILED_RECORDS_SHOWN`] per
//! unit and indicator (the lowest record ids, shown in the order of their labels), with the total count.
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::{
    explain_rate, rank_units, score_unit, tie_explanation, visit_months_to_check, ComponentWeight,
    ComputedRule, Incomplete, IndicatorOutcome, Points,
};
use domain::land::HomesteadStatus;
use domain::money::Percent;
use domain::person::{AgeBand, FamilyRelation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Set, Statement,
};
use serde::{Deserialize, Serialize};

use super::audit::AuditEntry;
use super::database::begin_write;
use super::entities::{
    assessment_deduction, assessment_indicator, assessment_plan, assessment_plan_component,
    assessment_publication, assessment_score, bureau, town, user,
};
use super::registry_writes::Actor;
use crate::error::{ApiError, ApiResult};

/// Failed records listed per unit and indicator; the total is always given.
pub const FAILED_RECORDS_SHOWN: usize = 20;

/// The version of the snapshot format stored in `assessment_publication.snapshot_json`.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// What a subject of the assessment is (A7§4: district bureaus and towns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Bureau,
    Town,
}

impl SubjectKind {
    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Bureau => "bureau",
            SubjectKind::Town => "town",
        }
    }

    fn from_code(code: &str) -> Option<SubjectKind> {
        match code {
            "bureau" => Some(SubjectKind::Bureau),
            "town" => Some(SubjectKind::Town),
            _ => None,
        }
    }

    /// Whether an indicator's `applies_to` (bureau, town, both) covers this kind.
    fn covered_by(self, applies_to: &str) -> bool {
        applies_to == "both" || applies_to == self.code()
    }
}

/// An assessed unit: a district bureau or a town.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub kind: SubjectKind,
    pub id: i64,
    /// `bureau.code` or `town.division_code`.
    pub code: String,
    pub name: String,
    /// The name used in rankings and tie explanations (区人社局, 黄堡镇).
    pub short_name: String,
}

/// A plan with its components and indicators, in display order.
#[derive(Debug, Clone)]
pub struct PlanDefinition {
    pub plan: assessment_plan::Model,
    pub components: Vec<assessment_plan_component::Model>,
    pub indicators: Vec<IndicatorDefinition>,
}

#[derive(Debug, Clone)]
pub struct IndicatorDefinition {
    pub indicator: assessment_indicator::Model,
    pub component_code: Option<String>,
    pub owner_bureau_code: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The results, as returned live and as frozen in a publication's snapshot (serde format 1).
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub format: u32,
    pub plan_id: i64,
    pub year: i32,
    pub plan_title: String,
    pub as_of: NaiveDate,
    pub computed_at: DateTime<Utc>,
    pub follow_up_weight_bp: i64,
    /// How the scores were computed, in words (rounding, deductions, ties).
    pub method_notes: Vec<String>,
    /// Bureaus first, then towns; each by rank (unranked last), then by code.
    pub units: Vec<UnitResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitResult {
    pub subject_kind: SubjectKind,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_short_name: String,
    pub rank: Option<u32>,
    pub tied_with: Vec<String>,
    pub tie_explanation: Option<String>,
    pub special_points_hundredths: i64,
    pub special_max_hundredths: i64,
    pub special_percent_bp: Option<i64>,
    /// Deductions without an indicator actually taken off the special total.
    pub special_deducted_hundredths: i64,
    pub composite_percent_bp: i64,
    pub composite_incomplete: bool,
    pub incomplete_reasons: Vec<String>,
    pub components: Vec<ComponentResult>,
    pub indicators: Vec<IndicatorResult>,
    pub deductions: Vec<DeductionResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentResult {
    pub code: String,
    pub name: String,
    pub weight_bp: i64,
    pub is_follow_up_support: bool,
    pub points_hundredths: i64,
    pub max_hundredths: i64,
    pub percent_bp: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub code: String,
    pub name: String,
    pub component_code: Option<String>,
    /// `computed` or `manual`.
    pub method: String,
    pub rule_code: Option<String>,
    pub clause_ref: String,
    pub max_hundredths: i64,
    /// Before deductions.
    pub earned_hundredths: i64,
    pub deducted_hundredths: i64,
    pub points_hundredths: i64,
    /// False for a manual indicator nobody has scored (未评分).
    pub scored: bool,
    pub explanation: String,
    pub evidence: Option<Evidence>,
    pub manual_score: Option<ManualScore>,
}

/// The counts behind a computed indicator's points, and the records that failed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    pub passed: u64,
    pub applicable: u64,
    pub failed_total: u64,
    /// What was counted, in words.
    pub counted: String,
    pub failed: Vec<FailedRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedRecord {
    /// task, household, person, homestead, committee_member_month, training_enrolment.
    pub kind: String,
    /// The record the failure belongs to, when it has a global ID: its type
    /// (ResponsibilityTask, Household, Person) and number.
    pub node_type: Option<String>,
    pub node_id: Option<i64>,
    /// Household code and relation, or task code and title — never a person's name.
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManualScore {
    pub points_hundredths: i64,
    pub reason: String,
    pub scored_by: Option<String>,
    pub scored_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeductionResult {
    pub id: i64,
    pub indicator_code: Option<String>,
    pub points_hundredths: i64,
    pub reason: String,
    pub finding_id: Option<i64>,
    pub finding_description: Option<String>,
    pub decided_on: NaiveDate,
    pub decided_by: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Reading plans and units.
// ---------------------------------------------------------------------------------------------

/// Every plan, newest year first.
pub async fn plans(db: &impl ConnectionTrait) -> Result<Vec<PlanDefinition>, DbErr> {
    let plans = assessment_plan::Entity::find()
        .order_by_desc(assessment_plan::Column::Year)
        .all(db)
        .await?;
    definitions(db, plans).await
}

/// The plan of `year`, if there is one.
pub async fn plan_by_year(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<PlanDefinition>, DbErr> {
    let plans = assessment_plan::Entity::find()
        .filter(assessment_plan::Column::Year.eq(year))
        .all(db)
        .await?;
    Ok(definitions(db, plans).await?.into_iter().next())
}

async fn definitions(
    db: &impl ConnectionTrait,
    plans: Vec<assessment_plan::Model>,
) -> Result<Vec<PlanDefinition>, DbErr> {
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let plan_ids: Vec<i64> = plans.iter().map(|plan| plan.id).collect();
    let components = assessment_plan_component::Entity::find()
        .filter(assessment_plan_component::Column::PlanId.is_in(plan_ids.clone()))
        .order_by_asc(assessment_plan_component::Column::Seq)
        .order_by_asc(assessment_plan_component::Column::Id)
        .all(db)
        .await?;
    let indicators = assessment_indicator::Entity::find()
        .filter(assessment_indicator::Column::PlanId.is_in(plan_ids))
        .order_by_asc(assessment_indicator::Column::Id)
        .all(db)
        .await?;
    let owner_ids: BTreeSet<i64> = indicators
        .iter()
        .filter_map(|indicator| indicator.owner_bureau_id)
        .collect();
    let owners: HashMap<i64, String> = if owner_ids.is_empty() {
        HashMap::new()
    } else {
        bureau::Entity::find()
            .filter(bureau::Column::Id.is_in(owner_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|bureau| (bureau.id, bureau.code))
            .collect()
    };
    let component_codes: HashMap<i64, String> = components
        .iter()
        .map(|component| (component.id, component.code.clone()))
        .collect();
    // Indicators in the order of their components, then in the order they were added.
    let component_seq: HashMap<i64, usize> = components
        .iter()
        .enumerate()
        .map(|(position, component)| (component.id, position))
        .collect();
    Ok(plans
        .into_iter()
        .map(|plan| {
            let mut own_indicators: Vec<IndicatorDefinition> = indicators
                .iter()
                .filter(|indicator| indicator.plan_id == plan.id)
                .map(|indicator| IndicatorDefinition {
                    component_code: indicator
                        .component_id
                        .and_then(|id| component_codes.get(&id).cloned()),
                    owner_bureau_code: indicator
                        .owner_bureau_id
                        .and_then(|id| owners.get(&id).cloned()),
                    indicator: indicator.clone(),
                })
                .collect();
            own_indicators.sort_by_key(|definition| {
                (
                    definition
                        .indicator
                        .component_id
                        .and_then(|id| component_seq.get(&id).copied())
                        .unwrap_or(usize::MAX),
                    definition.indicator.id,
                )
            });
            PlanDefinition {
                components: components
                    .iter()
                    .filter(|component| component.plan_id == plan.id)
                    .cloned()
                    .collect(),
                indicators: own_indicators,
                plan,
            }
        })
        .collect())
}

#[derive(Debug, FromQueryResult)]
struct UnitRow {
    kind: String,
    id: i64,
    code: String,
    name: String,
    short_name: String,
}

/// The assessed units: bureaus responsible for a task, towns with a site or a task.
pub async fn assessed_units(db: &impl ConnectionTrait) -> Result<Vec<Unit>, DbErr> {
    let rows = UnitRow::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT 'bureau' AS kind, CAST(b.id AS BIGINT) AS id, b.code AS code, b.name AS name,
                b.short_name AS short_name
         FROM bureau b
         WHERE EXISTS (SELECT 1 FROM responsibility_task t WHERE t.responsible_bureau_id = b.id)
         UNION ALL
         SELECT 'town', CAST(t.id AS BIGINT), t.division_code, t.name, t.name
         FROM town t
         WHERE EXISTS (SELECT 1 FROM site s WHERE s.town_id = t.id)
            OR EXISTS (SELECT 1 FROM responsibility_task r WHERE r.responsible_town_id = t.id)",
    ))
    .all(db)
    .await?;
    let mut units: Vec<Unit> = rows
        .into_iter()
        .filter_map(|row| {
            Some(Unit {
                kind: SubjectKind::from_code(&row.kind)?,
                id: row.id,
                code: row.code,
                name: row.name,
                short_name: row.short_name,
            })
        })
        .collect();
    units.sort_by(|a, b| (a.kind, &a.code).cmp(&(b.kind, &b.code)));
    Ok(units)
}

/// A bureau (by `bureau.code`) or a town (by its division code), as named in the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitCode {
    Bureau(String),
    Town(String),
}

/// The unit with this code, or INVALID_INPUT naming `field`.
pub async fn find_unit(db: &impl ConnectionTrait, field: &str, code: &UnitCode) -> ApiResult<Unit> {
    match code {
        UnitCode::Bureau(code) => bureau::Entity::find()
            .filter(bureau::Column::Code.eq(code.as_str()))
            .one(db)
            .await?
            .map(|bureau| Unit {
                kind: SubjectKind::Bureau,
                id: bureau.id,
                code: bureau.code,
                name: bureau.name,
                short_name: bureau.short_name,
            })
            .ok_or_else(|| {
                ApiError::invalid(field, format!("there is no bureau with code {code:?}"))
            }),
        UnitCode::Town(code) => town::Entity::find()
            .filter(town::Column::DivisionCode.eq(code.as_str()))
            .one(db)
            .await?
            .map(|town| Unit {
                kind: SubjectKind::Town,
                id: town.id,
                code: town.division_code,
                name: town.name.clone(),
                short_name: town.name,
            })
            .ok_or_else(|| {
                ApiError::invalid(
                    field,
                    format!("there is no town with division code {code:?}"),
                )
            }),
    }
}

// ---------------------------------------------------------------------------------------------
// Measuring the computed rules: one statement per rule for all units.
// ---------------------------------------------------------------------------------------------

/// How a rule's records map to units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleScope {
    /// Records belong to the unit responsible for them (tasks).
    ResponsibleUnit,
    /// Records belong to the town of their site; the owner bureau sees the whole district.
    Sites,
}

fn scope_of(rule: ComputedRule) -> RuleScope {
    match rule {
        ComputedRule::OnTimeCompletion => RuleScope::ResponsibleUnit,
        _ => RuleScope::Sites,
    }
}

/// The counts of one unit on one rule, and the first failed records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub applicable: u64,
    pub failed: Vec<(i64, FailedRecord, String)>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.applicable += other.applicable;
        self.failed.extend(other.failed.iter().cloned());
    }

    /// The failed records to show: the lowest record ids, shown in label order.
    fn shown(&self) -> Vec<FailedRecord> {
        let mut failed = self.failed.clone();
        failed.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
        failed.truncate(FAILED_RECORDS_SHOWN);
        failed.sort_by(|a, b| (&a.1.label, a.0).cmp(&(&b.1.label, b.0)));
        failed.into_iter().map(|(_, record, _)| record).collect()
    }
}

/// One rule measured for every unit: by (kind, id).
#[derive(Debug, Clone, Default)]
pub struct RuleMeasure {
    by_unit: HashMap<(SubjectKind, i64), Tally>,
}

impl RuleMeasure {
    /// The whole district: every town's records together.
    fn district(&self) -> Tally {
        let mut total = Tally::default();
        for ((kind, _), tally) in &self.by_unit {
            if *kind == SubjectKind::Town {
                total.add(tally);
            }
        }
        total
    }

    fn of(&self, kind: SubjectKind, id: i64) -> Tally {
        self.by_unit.get(&(kind, id)).cloned().unwrap_or_default()
    }
}

#[derive(Debug, FromQueryResult)]
struct RuleRow {
    row_kind: String,
    unit_kind: String,
    unit_id: i64,
    passed: Option<i64>,
    applicable: Option<i64>,
    record_kind: Option<String>,
    record_id: Option<i64>,
    node_id: Option<i64>,
    code: Option<String>,
    detail: Option<String>,
    note: Option<String>,
    note2: Option<String>,
}

/// A date as an SQL literal of the backend (PostgreSQL needs a typed date; SQLite stores text).
fn date_sql(backend: DatabaseBackend, date: NaiveDate) -> String {
    let text = date.format("%Y-%m-%d");
    match backend {
        DatabaseBackend::Postgres => format!("DATE '{text}'"),
        _ => format!("'{text}'"),
    }
}

/// Persons living in a current household of a site, with the site's town.
const CURRENT_PERSONS: &str = "FROM person p
     JOIN household h ON h.id = p.household_id AND h.archived_at IS NULL
     JOIN site s ON s.id = h.site_id
     WHERE p.archived_at IS NULL";

/// The per-record statement of a rule: columns unit_kind, unit_id, record_kind, record_id,
/// node_id, code, detail, note, note2, passed (1/0); and CTEs it needs before it. `None` when
/// nothing can be counted (no month to check yet).
fn rule_records_sql(
    rule: ComputedRule,
    backend: DatabaseBackend,
    year: i32,
    as_of: NaiveDate,
) -> Option<(String, String)> {
    let as_of_sql = date_sql(backend, as_of);
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).map(|date| date_sql(backend, date))?;
    let text = |column: &str| format!("CAST({column} AS TEXT)");
    let sql = match rule {
        ComputedRule::OnTimeCompletion => format!(
            "SELECT CASE WHEN t.responsible_bureau_id IS NOT NULL THEN 'bureau' ELSE 'town' END
                        AS unit_kind,
                    CAST(COALESCE(t.responsible_bureau_id, t.responsible_town_id) AS BIGINT)
                        AS unit_id,
                    'task' AS record_kind, CAST(t.id AS BIGINT) AS record_id,
                    CAST(t.id AS BIGINT) AS node_id, {code} AS code, {title} AS detail,
                    {deadline} AS note,
                    CASE WHEN t.completed_on IS NOT NULL AND t.completed_on <= {as_of_sql}
                         THEN {completed} ELSE CAST(NULL AS TEXT) END AS note2,
                    CASE WHEN t.completed_on IS NOT NULL AND t.completed_on <= {as_of_sql}
                              AND t.completed_on <= t.deadline THEN 1 ELSE 0 END AS passed
             FROM responsibility_task t
             WHERE t.deadline < {as_of_sql}
                OR (t.completed_on IS NOT NULL AND t.completed_on <= {as_of_sql})",
            code = text("t.code"),
            title = text("t.title"),
            deadline = text("t.deadline"),
            completed = text("t.completed_on"),
        ),
        ComputedRule::ZeroEmploymentResolved => format!(
            "SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                    'household' AS record_kind, CAST(h.id AS BIGINT) AS record_id,
                    CAST(h.id AS BIGINT) AS node_id, {code} AS code,
                    CAST(NULL AS TEXT) AS detail,
                    CAST(SUM({labour}) AS TEXT) AS note, CAST(NULL AS TEXT) AS note2,
                    CASE WHEN SUM({employed}) > 0 THEN 1 ELSE 0 END AS passed
             FROM household h
             JOIN site s ON s.id = h.site_id
             JOIN person p ON p.household_id = h.id AND p.archived_at IS NULL
             WHERE h.archived_at IS NULL
             GROUP BY s.town_id, h.id, h.code
             HAVING SUM({labour}) > 0",
            code = text("h.code"),
            labour = "CASE WHEN p.labour_capacity IN ('full', 'partial') THEN 1 ELSE 0 END",
            employed = "CASE WHEN p.employment_status = 'employed' THEN 1 ELSE 0 END",
        ),
        ComputedRule::InsuranceCoverage => {
            let adult_born_by = AgeBand::WorkingAge
                .birth_date_range(as_of)
                .1
                .map(|date| date_sql(backend, date))?;
            let covered = |kind: &str| {
                format!(
                    "EXISTS (SELECT 1 FROM insurance_enrolment i
                             WHERE i.person_id = p.id AND i.kind = '{kind}' AND i.year = {year}
                               AND i.status IN ('enrolled', 'exempt', 'not_applicable'))"
                )
            };
            format!(
                "SELECT unit_kind, unit_id, record_kind, record_id, node_id, code, detail,
                        CAST((CASE WHEN missing_basic_medical = 1 THEN 'basic_medical ' ELSE '' END)
                             || (CASE WHEN missing_serious_illness = 1 THEN 'serious_illness ' ELSE '' END)
                             || (CASE WHEN missing_pension = 1 THEN 'pension' ELSE '' END) AS TEXT)
                            AS note,
                        CAST(NULL AS TEXT) AS note2,
                        CASE WHEN missing_basic_medical + missing_serious_illness + missing_pension = 0
                             THEN 1 ELSE 0 END AS passed
                 FROM (SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                              'person' AS record_kind, CAST(p.id AS BIGINT) AS record_id,
                              CAST(p.id AS BIGINT) AS node_id, {code} AS code,
                              {relation} AS detail,
                              CASE WHEN {medical} THEN 0 ELSE 1 END AS missing_basic_medical,
                              CASE WHEN {serious} THEN 0 ELSE 1 END AS missing_serious_illness,
                              CASE WHEN p.birth_date > {adult_born_by}
                                        OR EXISTS (SELECT 1 FROM school_enrolment e
                                                   WHERE e.person_id = p.id AND e.status = 'enrolled')
                                        OR {pension}
                                   THEN 0 ELSE 1 END AS missing_pension
                       {CURRENT_PERSONS} AND p.birth_date <= {as_of_sql}) per_person",
                code = text("h.code"),
                relation = text("p.relation"),
                medical = covered("basic_medical"),
                serious = covered("serious_illness"),
                pension = covered("pension"),
            )
        }
        ComputedRule::SchoolingNoDropouts => {
            let (earliest, latest) = AgeBand::CompulsorySchool.birth_date_range(as_of);
            let (earliest, latest) = (date_sql(backend, earliest?), date_sql(backend, latest?));
            let latest_row = |column: &str| {
                format!(
                    "(SELECT CAST({column} AS TEXT) FROM school_enrolment e
                      WHERE e.person_id = p.id ORDER BY e.enrolled_on DESC, e.id DESC LIMIT 1)"
                )
            };
            format!(
                "SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                        'person' AS record_kind, CAST(p.id AS BIGINT) AS record_id,
                        CAST(p.id AS BIGINT) AS node_id, {code} AS code, {relation} AS detail,
                        {status} AS note, {left_on} AS note2,
                        CASE WHEN EXISTS (SELECT 1 FROM school_enrolment e
                                          WHERE e.person_id = p.id
                                            AND (e.status IN ('enrolled', 'suspended')
                                                 OR (e.status = 'graduated'
                                                     AND e.stage IN ('junior_middle', 'senior_high', 'vocational'))))
                             THEN 1 ELSE 0 END AS passed
                 {CURRENT_PERSONS} AND p.birth_date >= {earliest} AND p.birth_date <= {latest}",
                code = text("h.code"),
                relation = text("p.relation"),
                status = latest_row("e.status"),
                left_on = latest_row("e.left_on"),
            )
        }
        ComputedRule::FamilyDoctorContracts => format!(
            "SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                    'person' AS record_kind, CAST(p.id AS BIGINT) AS record_id,
                    CAST(p.id AS BIGINT) AS node_id, {code} AS code, {relation} AS detail,
                    (SELECT CAST(c.status AS TEXT) FROM family_doctor_contract c
                     WHERE c.person_id = p.id ORDER BY c.signed_on DESC, c.id DESC LIMIT 1) AS note,
                    (SELECT CAST(c.expires_on AS TEXT) FROM family_doctor_contract c
                     WHERE c.person_id = p.id ORDER BY c.signed_on DESC, c.id DESC LIMIT 1) AS note2,
                    CASE WHEN EXISTS (SELECT 1 FROM family_doctor_contract c
                                      WHERE c.person_id = p.id AND c.status = 'active'
                                        AND c.signed_on <= {as_of_sql} AND c.expires_on >= {as_of_sql})
                         THEN 1 ELSE 0 END AS passed
             {CURRENT_PERSONS} AND p.birth_date <= {as_of_sql}",
            code = text("h.code"),
            relation = text("p.relation"),
        ),
        ComputedRule::HomesteadReclamation => {
            let finished = HomesteadStatus::ALL
                .iter()
                .filter(|status| status.is_finished())
                .map(|status| format!("'{}'", status.code()))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                        'homestead' AS record_kind, CAST(hs.id AS BIGINT) AS record_id,
                        CAST(h.id AS BIGINT) AS node_id, {code} AS code,
                        {location} AS detail, {state} AS note, CAST(NULL AS TEXT) AS note2,
                        CASE WHEN hs.state IN ({finished}) THEN 1 ELSE 0 END AS passed
                 FROM homestead hs
                 JOIN household h ON h.id = hs.household_id AND h.archived_at IS NULL
                 JOIN site s ON s.id = h.site_id",
                code = text("h.code"),
                location = text("hs.location"),
                state = text("hs.state"),
            )
        }
        ComputedRule::MonthlyPartyVisits => {
            let months = visit_months_to_check(year, as_of);
            if months.is_empty() {
                return None;
            }
            let values = months
                .iter()
                .filter_map(|month| {
                    let last = month.next()?.first_day().pred_opt()?;
                    Some(format!(
                        "({}, {})",
                        date_sql(backend, month.first_day()),
                        date_sql(backend, last)
                    ))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let ctes = format!("months(month_start, month_end) AS (VALUES {values}), ");
            let sql = format!(
                "SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                        'committee_member_month' AS record_kind, CAST(cm.id AS BIGINT) AS record_id,
                        CAST(NULL AS BIGINT) AS node_id, {name} AS code, {position} AS detail,
                        CAST(m.month_start AS TEXT) AS note, CAST(NULL AS TEXT) AS note2,
                        CASE WHEN EXISTS (SELECT 1 FROM party_visit v
                                          WHERE v.member_id = cm.member_id
                                            AND v.visited_on >= m.month_start
                                            AND v.visited_on <= m.month_end)
                             THEN 1 ELSE 0 END AS passed
                 FROM party_committee_member cm
                 JOIN party_organisation o ON o.id = cm.organisation_id
                 JOIN site s ON s.id = o.site_id
                 CROSS JOIN months m
                 WHERE cm.starts_on <= m.month_start
                   AND (cm.ends_on IS NULL OR cm.ends_on >= m.month_end)
                   AND o.established_on <= m.month_start
                   AND (o.dissolved_on IS NULL OR o.dissolved_on >= m.month_end)",
                name = text("o.name"),
                position = text("cm.position"),
            );
            return Some((ctes, sql));
        }
        ComputedRule::PostTrainingEmployment => format!(
            "SELECT 'town' AS unit_kind, CAST(s.town_id AS BIGINT) AS unit_id,
                    'training_enrolment' AS record_kind, CAST(te.id AS BIGINT) AS record_id,
                    CAST(p.id AS BIGINT) AS node_id, {code} AS code, {relation} AS detail,
                    {class_code} AS note, {class_name} AS note2,
                    CASE WHEN te.employed_after_training THEN 1 ELSE 0 END AS passed
             FROM training_enrolment te
             JOIN training_class c ON c.id = te.class_id
             JOIN person p ON p.id = te.person_id AND p.archived_at IS NULL
             JOIN household h ON h.id = p.household_id AND h.archived_at IS NULL
             JOIN site s ON s.id = h.site_id
             WHERE c.status <> 'cancelled' AND c.ends_on >= {year_start}
               AND c.ends_on <= {as_of_sql}",
            code = text("h.code"),
            relation = text("p.relation"),
            class_code = text("c.code"),
            class_name = text("c.name"),
        ),
    };
    Some((String::new(), sql))
}

/// Measures `rule` for every unit in one statement: the counts per unit, and per unit the
/// failed records with the lowest ids (at most [`FAILED_RECORDS_SHOWN`]).
pub async fn measure_rule(
    db: &impl ConnectionTrait,
    rule: ComputedRule,
    year: i32,
    as_of: NaiveDate,
) -> Result<RuleMeasure, DbErr> {
    let backend = db.get_database_backend();
    let Some((ctes, records)) = rule_records_sql(rule, backend, year, as_of) else {
        return Ok(RuleMeasure::default());
    };
    // Every literal in the statement is a date, a year or a code formatted here: no user text.
    let sql = format!(
        "WITH {ctes}rule_records AS ({records})
         SELECT 'count' AS row_kind, unit_kind, unit_id,
                CAST(SUM(passed) AS BIGINT) AS passed, CAST(COUNT(*) AS BIGINT) AS applicable,
                CAST(NULL AS TEXT) AS record_kind, CAST(NULL AS BIGINT) AS record_id,
                CAST(NULL AS BIGINT) AS node_id, CAST(NULL AS TEXT) AS code,
                CAST(NULL AS TEXT) AS detail, CAST(NULL AS TEXT) AS note,
                CAST(NULL AS TEXT) AS note2
         FROM rule_records
         GROUP BY unit_kind, unit_id
         UNION ALL
         SELECT 'failed', unit_kind, unit_id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
                record_kind, record_id, node_id, code, detail, note, note2
         FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.unit_kind, r.unit_id
                                              ORDER BY r.record_id, r.note) AS position
               FROM rule_records r
               WHERE r.passed = 0) failed
         WHERE position <= {FAILED_RECORDS_SHOWN}"
    );
    let rows = RuleRow::find_by_statement(Statement::from_string(backend, sql))
        .all(db)
        .await?;
    let mut measure = RuleMeasure::default();
    for row in rows {
        let Some(kind) = SubjectKind::from_code(&row.unit_kind) else {
            continue;
        };
        let tally = measure.by_unit.entry((kind, row.unit_id)).or_default();
        if row.row_kind == "count" {
            tally.passed = u64::try_from(row.passed.unwrap_or(0)).unwrap_or(0);
            tally.applicable = u64::try_from(row.applicable.unwrap_or(0)).unwrap_or(0);
        } else {
            let record_id = row.record_id.unwrap_or(0);
            let note = row.note.clone().unwrap_or_default();
            tally
                .failed
                .push((record_id, failed_record(rule, &row), note));
        }
    }
    Ok(measure)
}

fn relation_label(code: Option<&str>) -> &'static str {
    code.and_then(FamilyRelation::from_code)
        .map(FamilyRelation::label_zh)
        .unwrap_or("成员")
}

/// The failed record in words: household code and relation, or task code and title.
fn failed_record(rule: ComputedRule, row: &RuleRow) -> FailedRecord {
    let code = row.code.clone().unwrap_or_default();
    let detail = row.detail.as_deref();
    let note = row.note.as_deref().unwrap_or("");
    let note2 = row.note2.as_deref();
    let person = || format!("{code} {}", relation_label(detail));
    let label = match rule {
        ComputedRule::OnTimeCompletion => match note2 {
            Some(completed) => format!(
                "{code} {}：逾期完成（{completed}完成，期限{note}）",
                detail.unwrap_or("")
            ),
            None => format!("{code} {}：逾期未完成（期限{note}）", detail.unwrap_or("")),
        },
        ComputedRule::ZeroEmploymentResolved => {
            format!("{code}：有劳动力{note}人，无人就业（零就业家庭）")
        }
        ComputedRule::InsuranceCoverage => {
            let missing: Vec<&str> = note
                .split_whitespace()
                .filter_map(domain::services::InsuranceKind::from_code)
                .map(domain::services::InsuranceKind::label_zh)
                .collect();
            format!("{}：未参加{}", person(), missing.join("、"))
        }
        ComputedRule::SchoolingNoDropouts => {
            let state = match (note, note2) {
                ("dropped_out", Some(left)) => format!("已辍学（{left}离校）"),
                ("dropped_out", None) => "已辍学".to_string(),
                ("transferred_out", _) => "已转出，未见转入就读记录".to_string(),
                ("graduated", _) => "已毕业，未完成义务教育且未在读".to_string(),
                ("", _) => "未录入义务教育台账".to_string(),
                (other, _) => format!("学籍状态{other}，未在读"),
            };
            format!("{}：{state}", person())
        }
        ComputedRule::FamilyDoctorContracts => {
            let state = match (note, note2) {
                ("", _) => "未签约家庭医生".to_string(),
                ("cancelled", _) => "家庭医生签约已解约".to_string(),
                (_, Some(expires)) => format!("家庭医生签约已过期或未生效（到期日{expires}）"),
                _ => "无有效家庭医生签约".to_string(),
            };
            format!("{}：{state}", person())
        }
        ComputedRule::HomesteadReclamation => {
            let state = HomesteadStatus::from_code(note)
                .map(HomesteadStatus::label_zh)
                .unwrap_or(note);
            format!("{code} 旧宅基地：{state}")
        }
        ComputedRule::MonthlyPartyVisits => {
            let position = match detail.unwrap_or("") {
                "secretary" => "书记",
                "deputy_secretary" => "副书记",
                "committee_member" => "委员",
                "group_leader" => "党小组组长",
                "instructor" => "党建指导员",
                _ => "班子成员",
            };
            let month = note.get(..7).unwrap_or(note).replacen('-', "年", 1);
            format!("{code} {position}：{month}月未走访")
        }
        ComputedRule::PostTrainingEmployment => {
            format!("{}：{note} {}结业后未就业", person(), note2.unwrap_or(""))
        }
    };
    let node_type = match row.record_kind.as_deref() {
        Some("task") => Some("ResponsibilityTask"),
        Some("household" | "homestead") => Some("Household"),
        Some("person" | "training_enrolment") => Some("Person"),
        _ => None,
    };
    FailedRecord {
        kind: row.record_kind.clone().unwrap_or_default(),
        node_type: node_type
            .filter(|_| row.node_id.is_some())
            .map(str::to_string),
        node_id: row.node_id.filter(|_| node_type.is_some()),
        label,
    }
}

// ---------------------------------------------------------------------------------------------
// Assembling the results.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, FromQueryResult)]
struct FindingRow {
    id: i64,
    description: String,
}

async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    let ids: BTreeSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user.display_name))
        .collect())
}

fn unit_key(
    kind: &str,
    bureau_id: Option<i64>,
    town_id: Option<i64>,
) -> Option<(SubjectKind, i64)> {
    match SubjectKind::from_code(kind)? {
        SubjectKind::Bureau => bureau_id.map(|id| (SubjectKind::Bureau, id)),
        SubjectKind::Town => town_id.map(|id| (SubjectKind::Town, id)),
    }
}

/// Whether an indicator applies to a unit (its kind, and for computed rules the owner).
fn indicator_applies(indicator: &assessment_indicator::Model, unit: &Unit) -> bool {
    if !unit.kind.covered_by(&indicator.applies_to) {
        return false;
    }
    if indicator.method != "computed" || unit.kind == SubjectKind::Town {
        return true;
    }
    let Some(rule) = indicator
        .rule_code
        .as_deref()
        .and_then(ComputedRule::from_code)
    else {
        return false;
    };
    match scope_of(rule) {
        RuleScope::ResponsibleUnit => indicator
            .owner_bureau_id
            .is_none_or(|owner| owner == unit.id),
        RuleScope::Sites => indicator.owner_bureau_id == Some(unit.id),
    }
}

/// The words explaining how the numbers were made, stored with every result.
fn method_notes(as_of: NaiveDate) -> Vec<String> {
    vec![
        format!("计算截至{as_of}的记录；计算指标得分 = 分值 × 达标数 ÷ 应计数，四舍五入到0.01分；无应计对象按满分计。"),
        "扣分指向某一指标的，从该指标得分中扣除，扣完为止；未指向指标的，从专项考核总分中扣除，扣完为止。".to_string(),
        "专项考核得分率 = 适用于该单位的后续扶持指标得分 ÷ 其分值合计 × 100%，保留两位小数；区级部门、镇办分别排名，得分率相同者并列（竞争排名，如1、2、2、4）。".to_string(),
        "综合得分 = Σ 各部分权重 × 该部分得分率；后续扶持部分的得分率即专项考核得分率。人工指标未评分的按0分计，综合得分标注为不完整。".to_string(),
    ]
}

/// The results of the plan as of `as_of`, computed live from the records.
pub async fn compute_results(
    db: &impl ConnectionTrait,
    definition: &PlanDefinition,
    as_of: NaiveDate,
) -> ApiResult<Results> {
    let plan = &definition.plan;
    let units = assessed_units(db).await?;
    let rules: BTreeSet<ComputedRule> = definition
        .indicators
        .iter()
        .filter(|d| d.indicator.method == "computed")
        .filter_map(|d| {
            d.indicator
                .rule_code
                .as_deref()
                .and_then(ComputedRule::from_code)
        })
        .collect();
    let mut measures = HashMap::new();
    for rule in rules {
        measures.insert(rule, measure_rule(db, rule, plan.year, as_of).await?);
    }

    let scores = assessment_score::Entity::find()
        .filter(assessment_score::Column::PlanId.eq(plan.id))
        .all(db)
        .await?;
    let deductions = assessment_deduction::Entity::find()
        .filter(assessment_deduction::Column::PlanId.eq(plan.id))
        .order_by_asc(assessment_deduction::Column::DecidedOn)
        .order_by_asc(assessment_deduction::Column::Id)
        .all(db)
        .await?;
    let names = user_names(
        db,
        scores
            .iter()
            .filter_map(|score| score.scored_by_user_id)
            .chain(deductions.iter().filter_map(|d| d.decided_by_user_id)),
    )
    .await?;
    let finding_ids: BTreeSet<i64> = deductions.iter().filter_map(|d| d.finding_id).collect();
    let findings: HashMap<i64, String> = if finding_ids.is_empty() {
        HashMap::new()
    } else {
        let ids = finding_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        FindingRow::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT CAST(id AS BIGINT) AS id, description FROM inspection_finding WHERE id IN ({ids})"
            ),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.description))
        .collect()
    };
    let score_of: HashMap<(i64, SubjectKind, i64), &assessment_score::Model> = scores
        .iter()
        .filter_map(|score| {
            let (kind, id) = unit_key(&score.subject_kind, score.bureau_id, score.town_id)?;
            Some(((score.indicator_id, kind, id), score))
        })
        .collect();
    let indicator_codes: HashMap<i64, &str> = definition
        .indicators
        .iter()
        .map(|d| (d.indicator.id, d.indicator.code.as_str()))
        .collect();

    let weights: Vec<ComponentWeight> = definition
        .components
        .iter()
        .map(|component| ComponentWeight {
            weight: Percent::from_basis_points(i64::from(component.weight_bp)),
            is_follow_up_support: component.is_follow_up_support,
        })
        .collect();
    let component_index: HashMap<i64, usize> = definition
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| (component.id, index))
        .collect();

    let mut results: Vec<UnitResult> = Vec::with_capacity(units.len());
    for unit in &units {
        let applicable: Vec<&IndicatorDefinition> = definition
            .indicators
            .iter()
            .filter(|d| indicator_applies(&d.indicator, unit))
            .collect();
        let own_deductions: Vec<&assessment_deduction::Model> = deductions
            .iter()
            .filter(|d| {
                unit_key(&d.subject_kind, d.bureau_id, d.town_id) == Some((unit.kind, unit.id))
            })
            .collect();
        let applicable_ids: BTreeSet<i64> = applicable.iter().map(|d| d.indicator.id).collect();
        // A deduction against an indicator that does not apply to the unit counts against the
        // special total, so that no decided deduction is lost.
        let linked = |d: &assessment_deduction::Model| {
            d.indicator_id.filter(|id| applicable_ids.contains(id))
        };
        let unlinked_total = own_deductions
            .iter()
            .filter(|d| linked(d).is_none())
            .fold(Points::ZERO, |sum, d| {
                sum.saturating_add(Points::from_hundredths(i64::from(d.points_hundredths)))
            });

        let mut outcomes = Vec::with_capacity(applicable.len());
        let mut partial: Vec<IndicatorResult> = Vec::with_capacity(applicable.len());
        for d in &applicable {
            let indicator = &d.indicator;
            let max = Points::from_hundredths(i64::from(indicator.max_points_hundredths));
            let deduction_total = own_deductions
                .iter()
                .filter(|deduction| linked(deduction) == Some(indicator.id))
                .fold(Points::ZERO, |sum, deduction| {
                    sum.saturating_add(Points::from_hundredths(i64::from(
                        deduction.points_hundredths,
                    )))
                });
            let (earned, explanation, evidence, manual_score) = if indicator.method == "computed" {
                let rule = indicator
                    .rule_code
                    .as_deref()
                    .and_then(ComputedRule::from_code);
                match rule {
                    Some(rule) => {
                        let measure = measures.get(&rule).cloned().unwrap_or_default();
                        let tally = match (scope_of(rule), unit.kind) {
                            (RuleScope::Sites, SubjectKind::Bureau) => measure.district(),
                            _ => measure.of(unit.kind, unit.id),
                        };
                        let points = Points::from_hundredths(domain::assessment::rate_points(
                            max.hundredths(),
                            tally.passed,
                            tally.applicable,
                        ));
                        let evidence = Evidence {
                            passed: tally.passed,
                            applicable: tally.applicable,
                            failed_total: tally.applicable.saturating_sub(tally.passed),
                            counted: rule.counted_zh().to_string(),
                            failed: tally.shown(),
                        };
                        (
                            Some(points),
                            explain_rate(rule, max, tally.passed, tally.applicable),
                            Some(evidence),
                            None,
                        )
                    }
                    None => (
                        None,
                        format!(
                            "未知的计算规则{:?}，按0分计",
                            indicator.rule_code.as_deref().unwrap_or("")
                        ),
                        None,
                        None,
                    ),
                }
            } else {
                match score_of.get(&(indicator.id, unit.kind, unit.id)) {
                    Some(score) => {
                        let points = Points::from_hundredths(i64::from(score.points_hundredths));
                        let scored_by = score
                            .scored_by_user_id
                            .and_then(|id| names.get(&id).cloned());
                        (
                            Some(points),
                            format!("人工评分{points}分（满分{max}分）：{}", score.reason),
                            None,
                            Some(ManualScore {
                                points_hundredths: points.hundredths(),
                                reason: score.reason.clone(),
                                scored_by,
                                scored_at: score.scored_at,
                            }),
                        )
                    }
                    None => (
                        None,
                        "未评分，按0分计（综合得分不完整）".to_string(),
                        None,
                        None,
                    ),
                }
            };
            outcomes.push(IndicatorOutcome {
                component: indicator
                    .component_id
                    .and_then(|id| component_index.get(&id).copied()),
                max,
                earned,
                deductions: deduction_total,
            });
            partial.push(IndicatorResult {
                code: indicator.code.clone(),
                name: indicator.name.clone(),
                component_code: d.component_code.clone(),
                method: indicator.method.clone(),
                rule_code: indicator.rule_code.clone(),
                clause_ref: indicator.clause_ref.clone(),
                max_hundredths: max.hundredths(),
                earned_hundredths: earned.map(Points::hundredths).unwrap_or(0),
                deducted_hundredths: 0,
                points_hundredths: 0,
                scored: earned.is_some(),
                explanation,
                evidence,
                manual_score,
            });
        }
        let score = score_unit(&weights, &outcomes, unlinked_total);
        for (index, result) in partial.iter_mut().enumerate() {
            let deducted = score
                .indicator_deducted
                .get(index)
                .copied()
                .unwrap_or_default();
            result.deducted_hundredths = deducted.hundredths();
            result.points_hundredths = score
                .indicator_points
                .get(index)
                .copied()
                .unwrap_or_default()
                .hundredths();
            if deducted > Points::ZERO {
                result.explanation.push_str(&format!(
                    "；扣{deducted}分（扣完为止），得{}分",
                    Points::from_hundredths(result.points_hundredths)
                ));
            }
        }
        let incomplete_reasons = score
            .incomplete
            .iter()
            .map(|reason| match reason {
                Incomplete::Unscored { indicator } => format!(
                    "指标{}未评分",
                    partial
                        .get(*indicator)
                        .map(|r| r.code.as_str())
                        .unwrap_or("?")
                ),
                Incomplete::ComponentWithoutIndicators { component } => format!(
                    "{}没有适用于该单位的指标",
                    definition
                        .components
                        .get(*component)
                        .map(|c| c.name.as_str())
                        .unwrap_or("?")
                ),
            })
            .collect::<Vec<_>>();
        results.push(UnitResult {
            subject_kind: unit.kind,
            unit_code: unit.code.clone(),
            unit_name: unit.name.clone(),
            unit_short_name: unit.short_name.clone(),
            rank: None,
            tied_with: Vec::new(),
            tie_explanation: None,
            special_points_hundredths: score.special_points.hundredths(),
            special_max_hundredths: score.special_max.hundredths(),
            special_percent_bp: score.special_percent.map(Percent::basis_points),
            special_deducted_hundredths: score.special_deducted.hundredths(),
            composite_percent_bp: score.composite_percent.basis_points(),
            composite_incomplete: !incomplete_reasons.is_empty(),
            incomplete_reasons,
            components: definition
                .components
                .iter()
                .zip(&score.components)
                .map(|(component, scored)| ComponentResult {
                    code: component.code.clone(),
                    name: component.name.clone(),
                    weight_bp: i64::from(component.weight_bp),
                    is_follow_up_support: component.is_follow_up_support,
                    points_hundredths: scored.points.hundredths(),
                    max_hundredths: scored.max.hundredths(),
                    percent_bp: scored.percent.map(Percent::basis_points),
                })
                .collect(),
            indicators: partial,
            deductions: own_deductions
                .iter()
                .map(|d| DeductionResult {
                    id: d.id,
                    indicator_code: d
                        .indicator_id
                        .and_then(|id| indicator_codes.get(&id).map(|code| code.to_string())),
                    points_hundredths: i64::from(d.points_hundredths),
                    reason: d.reason.clone(),
                    finding_id: d.finding_id,
                    finding_description: d.finding_id.and_then(|id| findings.get(&id).cloned()),
                    decided_on: d.decided_on,
                    decided_by: d.decided_by_user_id.and_then(|id| names.get(&id).cloned()),
                })
                .collect(),
        });
    }
    rank(&mut results);
    Ok(Results {
        format: SNAPSHOT_FORMAT,
        plan_id: plan.id,
        year: plan.year,
        plan_title: plan.title.clone(),
        as_of,
        computed_at: Utc::now(),
        follow_up_weight_bp: i64::from(plan.follow_up_weight_bp),
        method_notes: method_notes(as_of),
        units: results,
    })
}

/// Ranks bureaus among bureaus and towns among towns by the special percentage, explains
/// ties, and orders the units: bureaus first, then by rank (unranked last), then by code.
fn rank(results: &mut [UnitResult]) {
    for kind in [SubjectKind::Bureau, SubjectKind::Town] {
        let members: Vec<usize> = (0..results.len())
            .filter(|index| results[*index].subject_kind == kind)
            .collect();
        let scores: Vec<Option<Percent>> = members
            .iter()
            .map(|index| {
                results[*index]
                    .special_percent_bp
                    .map(Percent::from_basis_points)
            })
            .collect();
        let names: Vec<(String, String)> = members
            .iter()
            .map(|index| {
                let result = &results[*index];
                (result.unit_short_name.clone(), result.unit_code.clone())
            })
            .collect();
        for (position, placing) in rank_units(&scores).into_iter().enumerate() {
            let Some(placing) = placing else {
                continue;
            };
            let tied: Vec<&(String, String)> = placing
                .tied_with
                .iter()
                .filter_map(|other| names.get(*other))
                .collect();
            let tied_names: Vec<&str> = tied.iter().map(|(name, _)| name.as_str()).collect();
            let result = &mut results[members[position]];
            result.rank = Some(placing.rank);
            result.tie_explanation = tie_explanation(placing.rank, &tied_names);
            result.tied_with = tied.iter().map(|(_, code)| code.clone()).collect();
        }
    }
    results.sort_by(|a, b| {
        (a.subject_kind, a.rank.unwrap_or(u32::MAX), &a.unit_code).cmp(&(
            b.subject_kind,
            b.rank.unwrap_or(u32::MAX),
            &b.unit_code,
        ))
    });
}

// ---------------------------------------------------------------------------------------------
// Writes: each one transaction with its audit entry.
// ---------------------------------------------------------------------------------------------

/// A validated component of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct NewComponent {
    pub code: String,
    pub name: String,
    pub weight_bp: i32,
    pub is_follow_up_support: bool,
}

#[derive(Debug, Clone)]
pub struct NewPlan {
    pub year: i32,
    pub title: String,
    pub notes: String,
    pub components: Vec<NewComponent>,
}

/// A validated indicator to add to a plan.
#[derive(Debug, Clone, Serialize)]
pub struct NewIndicator {
    pub component_code: String,
    pub code: String,
    pub name: String,
    /// `computed` or `manual`.
    pub method: &'static str,
    pub rule_code: Option<String>,
    pub owner_bureau_code: Option<String>,
    pub clause_ref: String,
    /// `bureau`, `town` or `both`.
    pub applies_to: &'static str,
    pub max_hundredths: i32,
    pub description: String,
}

/// A validated deduction.
#[derive(Debug, Clone)]
pub struct NewDeduction {
    pub indicator_code: Option<String>,
    pub unit: UnitCode,
    pub unit_field: String,
    pub points_hundredths: i32,
    pub reason: String,
    pub finding_id: Option<i64>,
    pub decided_on: NaiveDate,
}

/// A manual score as stored, with what it replaced.
#[derive(Debug, Clone)]
pub struct ScoreOutcome {
    pub score: assessment_score::Model,
    pub indicator_code: String,
    pub unit: Unit,
    pub previous_points_hundredths: Option<i32>,
    pub scored_by: Option<String>,
}

/// A deduction as stored, with its unit.
#[derive(Debug, Clone)]
pub struct DeductionOutcome {
    pub deduction: assessment_deduction::Model,
    pub indicator_code: Option<String>,
    pub unit: Unit,
}

/// A publication with the names the API shows.
#[derive(Debug, Clone)]
pub struct PublicationRecord {
    pub publication: assessment_publication::Model,
    pub year: i32,
    pub published_by_name: Option<String>,
}

impl PublicationRecord {
    /// The frozen results.
    pub fn results(&self) -> ApiResult<Results> {
        serde_json::from_str(&self.publication.snapshot_json).map_err(|error| {
            ApiError::Internal(anyhow::anyhow!(
                "assessment publication {} holds an unreadable snapshot: {error}",
                self.publication.id
            ))
        })
    }
}

async fn audit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: i64,
    detail: serde_json::Value,
) -> ApiResult<()> {
    let entry = AuditEntry::system(action, entity_type, Some(entity_id))
        .actor(actor.user_id, &actor.label)
        .roles(&actor.role_codes)
        .detail(detail.to_string());
    super::audit::record(db, entry).await
}

fn follow_up_weight(components: &[NewComponent]) -> i32 {
    components
        .iter()
        .filter(|component| component.is_follow_up_support)
        .map(|component| component.weight_bp)
        .sum()
}

async fn plan_for_change(db: &impl ConnectionTrait, year: i32) -> ApiResult<PlanDefinition> {
    let definition = plan_by_year(db, year)
        .await?
        .ok_or_else(|| ApiError::not_found("assessment plan of year", year))?;
    if definition.plan.status == "closed" {
        return Err(ApiError::Conflict(format!(
            "the assessment plan of {year} is closed and can no longer be changed"
        )));
    }
    Ok(definition)
}

/// Bumps the plan's version (its definition or state changed), refusing a stale version.
async fn touch_plan(
    db: &impl ConnectionTrait,
    actor: &Actor,
    plan: &assessment_plan::Model,
    expected_version: i32,
    change: impl FnOnce(&mut assessment_plan::ActiveModel),
) -> ApiResult<()> {
    let mut update = assessment_plan::ActiveModel {
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    };
    change(&mut update);
    let result = assessment_plan::Entity::update_many()
        .set(update)
        .filter(assessment_plan::Column::Id.eq(plan.id))
        .filter(assessment_plan::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "assessment plan of",
            plan.year,
            expected_version,
        ));
    }
    Ok(())
}

async fn insert_component(
    db: &impl ConnectionTrait,
    actor: &Actor,
    plan_id: i64,
    seq: usize,
    component: &NewComponent,
) -> ApiResult<()> {
    let now = Utc::now();
    assessment_plan_component::ActiveModel {
        plan_id: Set(plan_id),
        code: Set(component.code.clone()),
        name: Set(component.name.clone()),
        weight_bp: Set(component.weight_bp),
        is_follow_up_support: Set(component.is_follow_up_support),
        seq: Set(i32::try_from(seq + 1).unwrap_or(i32::MAX)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Creates the plan of a year with its components (weights validated by the caller, A7§4).
pub async fn create_plan(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewPlan,
) -> ApiResult<PlanDefinition> {
    let transaction = begin_write(db).await?;
    if plan_by_year(&transaction, new.year).await?.is_some() {
        return Err(ApiError::Conflict(format!(
            "an assessment plan for {} already exists; change it with setAssessmentPlanComponents",
            new.year
        )));
    }
    let now = Utc::now();
    let plan = assessment_plan::ActiveModel {
        year: Set(new.year),
        title: Set(new.title.clone()),
        follow_up_weight_bp: Set(follow_up_weight(&new.components)),
        status: Set("draft".to_string()),
        notes: Set(new.notes.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    for (seq, component) in new.components.iter().enumerate() {
        insert_component(&transaction, actor, plan.id, seq, component).await?;
    }
    audit(
        &transaction,
        actor,
        "assessment_plan.create",
        "AssessmentPlan",
        plan.id,
        serde_json::json!({ "year": new.year, "title": new.title, "components": new.components }),
    )
    .await?;
    let definition = plan_by_year(&transaction, new.year)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the new plan vanished")))?;
    transaction.commit().await?;
    Ok(definition)
}

/// Replaces a plan's components (by code: kept codes are updated, new ones added, missing ones
/// removed unless an indicator still belongs to them).
pub async fn set_components(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    expected_version: i32,
    components: Vec<NewComponent>,
) -> ApiResult<PlanDefinition> {
    let transaction = begin_write(db).await?;
    let definition = plan_for_change(&transaction, year).await?;
    if definition.plan.version != expected_version {
        return Err(ApiError::stale_version(
            "assessment plan of",
            year,
            expected_version,
        ));
    }
    let before: Vec<NewComponent> = definition
        .components
        .iter()
        .map(|component| NewComponent {
            code: component.code.clone(),
            name: component.name.clone(),
            weight_bp: component.weight_bp,
            is_follow_up_support: component.is_follow_up_support,
        })
        .collect();
    for existing in &definition.components {
        if components.iter().any(|c| c.code == existing.code) {
            continue;
        }
        let dependants: Vec<&str> = definition
            .indicators
            .iter()
            .filter(|d| d.indicator.component_id == Some(existing.id))
            .map(|d| d.indicator.code.as_str())
            .collect();
        if !dependants.is_empty() {
            return Err(ApiError::Conflict(format!(
                "the component {} still has the indicators {}; keep the component or move them first",
                existing.code,
                dependants.join(", ")
            )));
        }
        assessment_plan_component::Entity::delete_by_id(existing.id)
            .exec(&transaction)
            .await?;
    }
    for (seq, component) in components.iter().enumerate() {
        match definition
            .components
            .iter()
            .find(|c| c.code == component.code)
        {
            Some(existing) => {
                assessment_plan_component::Entity::update_many()
                    .col_expr(
                        assessment_plan_component::Column::Name,
                        Expr::value(component.name.clone()),
                    )
                    .col_expr(
                        assessment_plan_component::Column::WeightBp,
                        Expr::value(component.weight_bp),
                    )
                    .col_expr(
                        assessment_plan_component::Column::IsFollowUpSupport,
                        Expr::value(component.is_follow_up_support),
                    )
                    .col_expr(
                        assessment_plan_component::Column::Seq,
                        Expr::value(i32::try_from(seq + 1).unwrap_or(i32::MAX)),
                    )
                    .col_expr(
                        assessment_plan_component::Column::Version,
                        Expr::value(existing.version + 1),
                    )
                    .col_expr(
                        assessment_plan_component::Column::UpdatedAt,
                        Expr::value(Utc::now()),
                    )
                    .col_expr(
                        assessment_plan_component::Column::UpdatedBy,
                        Expr::value(actor.user_id),
                    )
                    .filter(assessment_plan_component::Column::Id.eq(existing.id))
                    .exec(&transaction)
                    .await?;
            }
            None => {
                insert_component(&transaction, actor, definition.plan.id, seq, component).await?
            }
        }
    }
    let weight = follow_up_weight(&components);
    touch_plan(
        &transaction,
        actor,
        &definition.plan,
        expected_version,
        |plan| {
            plan.follow_up_weight_bp = Set(weight);
        },
    )
    .await?;
    audit(
        &transaction,
        actor,
        "assessment_plan.set_components",
        "AssessmentPlan",
        definition.plan.id,
        serde_json::json!({ "before": before, "after": components }),
    )
    .await?;
    let definition = plan_by_year(&transaction, year)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the plan vanished")))?;
    transaction.commit().await?;
    Ok(definition)
}

/// Adds an indicator to the plan of `year`.
pub async fn add_indicator(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    new: NewIndicator,
) -> ApiResult<IndicatorDefinition> {
    let transaction = begin_write(db).await?;
    let definition = plan_for_change(&transaction, year).await?;
    let component = definition
        .components
        .iter()
        .find(|component| component.code == new.component_code)
        .ok_or_else(|| {
            ApiError::invalid(
                "input.componentCode",
                format!(
                    "the plan of {year} has no component {:?}; its components are {}",
                    new.component_code,
                    definition
                        .components
                        .iter()
                        .map(|c| c.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    if definition
        .indicators
        .iter()
        .any(|d| d.indicator.code == new.code)
    {
        return Err(ApiError::Conflict(format!(
            "the plan of {year} already has an indicator {:?}",
            new.code
        )));
    }
    let owner = match &new.owner_bureau_code {
        Some(code) => Some(
            find_unit(
                &transaction,
                "input.ownerBureauCode",
                &UnitCode::Bureau(code.clone()),
            )
            .await?,
        ),
        None => None,
    };
    let now = Utc::now();
    let created = assessment_indicator::ActiveModel {
        plan_id: Set(definition.plan.id),
        component_id: Set(Some(component.id)),
        code: Set(new.code.clone()),
        name: Set(new.name.clone()),
        method: Set(new.method.to_string()),
        rule_code: Set(new.rule_code.clone()),
        owner_bureau_id: Set(owner.as_ref().map(|unit| unit.id)),
        clause_ref: Set(new.clause_ref.clone()),
        applies_to: Set(new.applies_to.to_string()),
        max_points_hundredths: Set(new.max_hundredths),
        description: Set(new.description.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    touch_plan(
        &transaction,
        actor,
        &definition.plan,
        definition.plan.version,
        |_| {},
    )
    .await?;
    audit(
        &transaction,
        actor,
        "assessment_indicator.create",
        "AssessmentIndicator",
        created.id,
        serde_json::json!({ "year": year, "indicator": new }),
    )
    .await?;
    transaction.commit().await?;
    Ok(IndicatorDefinition {
        indicator: created,
        component_code: Some(new.component_code),
        owner_bureau_code: new.owner_bureau_code,
    })
}

/// Refuses a unit that the plan does not assess.
async fn ensure_assessed(db: &impl ConnectionTrait, field: &str, unit: &Unit) -> ApiResult<()> {
    let units = assessed_units(db).await?;
    if units
        .iter()
        .any(|assessed| assessed.kind == unit.kind && assessed.id == unit.id)
    {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            format!(
                "{} is not assessed: a bureau is assessed when it is responsible for a task, a town when it has a site or a task",
                unit.name
            ),
        ))
    }
}

fn find_indicator<'a>(
    definition: &'a PlanDefinition,
    code: &str,
) -> ApiResult<&'a IndicatorDefinition> {
    definition
        .indicators
        .iter()
        .find(|d| d.indicator.code == code)
        .ok_or_else(|| {
            ApiError::invalid(
                "input.indicatorCode",
                format!(
                    "the plan of {} has no indicator {code:?}",
                    definition.plan.year
                ),
            )
        })
}

/// A validated manual score to store.
#[derive(Debug, Clone)]
pub struct ScoreRequest<'a> {
    pub year: i32,
    pub indicator_code: &'a str,
    pub unit: &'a UnitCode,
    /// The input field naming the unit, for errors.
    pub unit_field: &'a str,
    pub points: Points,
    pub reason: String,
}

/// Scores a manual indicator for a unit; a second score replaces the first (the audit log
/// keeps both).
pub async fn set_score(
    db: &DatabaseConnection,
    actor: &Actor,
    request: ScoreRequest<'_>,
) -> ApiResult<ScoreOutcome> {
    let ScoreRequest {
        year,
        indicator_code,
        unit: unit_code,
        unit_field,
        points,
        reason,
    } = request;
    let transaction = begin_write(db).await?;
    let definition = plan_for_change(&transaction, year).await?;
    let indicator = &find_indicator(&definition, indicator_code)?.indicator;
    if indicator.method != "manual" {
        return Err(ApiError::invalid(
            "input.indicatorCode",
            format!(
                "{indicator_code} is computed from the records (rule {}); only manual indicators are scored by hand",
                indicator.rule_code.as_deref().unwrap_or("?")
            ),
        ));
    }
    let unit = find_unit(&transaction, unit_field, unit_code).await?;
    if !unit.kind.covered_by(&indicator.applies_to) {
        return Err(ApiError::invalid(
            unit_field,
            format!(
                "{indicator_code} applies to {} only, and {} is a {}",
                indicator.applies_to,
                unit.name,
                unit.kind.code()
            ),
        ));
    }
    ensure_assessed(&transaction, unit_field, &unit).await?;
    let max = Points::from_hundredths(i64::from(indicator.max_points_hundredths));
    if points > max {
        return Err(ApiError::invalid(
            "input.points",
            format!(
                "{points} is more than the {max} points {indicator_code} is worth; give 0 to {max}"
            ),
        ));
    }
    let points_hundredths = i32::try_from(points.hundredths())
        .map_err(|_| ApiError::invalid("input.points", "the points are too large"))?;
    let (bureau_id, town_id) = match unit.kind {
        SubjectKind::Bureau => (Some(unit.id), None),
        SubjectKind::Town => (None, Some(unit.id)),
    };
    let existing = assessment_score::Entity::find()
        .filter(assessment_score::Column::IndicatorId.eq(indicator.id))
        .filter(match unit.kind {
            SubjectKind::Bureau => assessment_score::Column::BureauId.eq(unit.id),
            SubjectKind::Town => assessment_score::Column::TownId.eq(unit.id),
        })
        .one(&transaction)
        .await?;
    let now = Utc::now();
    let score = match &existing {
        Some(previous) => {
            let mut update: assessment_score::ActiveModel = previous.clone().into();
            update.points_hundredths = Set(points_hundredths);
            update.reason = Set(reason.clone());
            update.scored_by_user_id = Set(actor.user_id);
            update.scored_at = Set(now);
            update.version = Set(previous.version + 1);
            update.updated_at = Set(now);
            update.updated_by = Set(actor.user_id);
            update.update(&transaction).await?
        }
        None => {
            assessment_score::ActiveModel {
                plan_id: Set(definition.plan.id),
                indicator_id: Set(indicator.id),
                subject_kind: Set(unit.kind.code().to_string()),
                bureau_id: Set(bureau_id),
                town_id: Set(town_id),
                points_hundredths: Set(points_hundredths),
                reason: Set(reason.clone()),
                scored_by_user_id: Set(actor.user_id),
                scored_at: Set(now),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(actor.user_id),
                updated_by: Set(actor.user_id),
                ..Default::default()
            }
            .insert(&transaction)
            .await?
        }
    };
    let detail = serde_json::json!({
        "year": year,
        "indicator": indicator_code,
        "subject": { "kind": unit.kind.code(), "code": unit.code },
        "before": existing.as_ref().map(|previous| serde_json::json!({
            "points": Points::from_hundredths(i64::from(previous.points_hundredths)).to_string(),
            "reason": previous.reason,
            "scored_by_user_id": previous.scored_by_user_id,
            "scored_at": previous.scored_at,
        })),
        "after": { "points": points.to_string(), "reason": reason },
    });
    audit(
        &transaction,
        actor,
        if existing.is_some() {
            "assessment_score.replace"
        } else {
            "assessment_score.create"
        },
        "AssessmentScore",
        score.id,
        detail,
    )
    .await?;
    let scored_by = match actor.user_id {
        Some(id) => user_names(&transaction, [id]).await?.remove(&id),
        None => None,
    };
    transaction.commit().await?;
    Ok(ScoreOutcome {
        score,
        indicator_code: indicator_code.to_string(),
        unit,
        previous_points_hundredths: existing.map(|previous| previous.points_hundredths),
        scored_by,
    })
}

/// Records a deduction (扣分) against a unit, optionally against one indicator and linked to
/// the inspection finding it comes from.
pub async fn record_deduction(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    new: NewDeduction,
) -> ApiResult<DeductionOutcome> {
    let transaction = begin_write(db).await?;
    let definition = plan_for_change(&transaction, year).await?;
    let unit = find_unit(&transaction, &new.unit_field, &new.unit).await?;
    ensure_assessed(&transaction, &new.unit_field, &unit).await?;
    let indicator = match &new.indicator_code {
        Some(code) => {
            let indicator = &find_indicator(&definition, code)?.indicator;
            if !indicator_applies(indicator, &unit) {
                return Err(ApiError::invalid(
                    "input.indicatorCode",
                    format!(
                        "{code} does not apply to {}; leave indicatorCode out to deduct from the special total",
                        unit.name
                    ),
                ));
            }
            Some(indicator.clone())
        }
        None => None,
    };
    if let Some(finding_id) = new.finding_id {
        let exists = transaction
            .query_one(Statement::from_string(
                transaction.get_database_backend(),
                format!("SELECT 1 AS one FROM inspection_finding WHERE id = {finding_id}"),
            ))
            .await?
            .is_some();
        if !exists {
            return Err(ApiError::invalid(
                "input.findingId",
                "no inspection finding has this ID",
            ));
        }
    }
    let (bureau_id, town_id) = match unit.kind {
        SubjectKind::Bureau => (Some(unit.id), None),
        SubjectKind::Town => (None, Some(unit.id)),
    };
    let now = Utc::now();
    let deduction = assessment_deduction::ActiveModel {
        plan_id: Set(definition.plan.id),
        indicator_id: Set(indicator.as_ref().map(|indicator| indicator.id)),
        subject_kind: Set(unit.kind.code().to_string()),
        bureau_id: Set(bureau_id),
        town_id: Set(town_id),
        points_hundredths: Set(new.points_hundredths),
        reason: Set(new.reason.clone()),
        finding_id: Set(new.finding_id),
        decided_on: Set(new.decided_on),
        decided_by_user_id: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "assessment_deduction.create",
        "AssessmentDeduction",
        deduction.id,
        serde_json::json!({
            "year": year,
            "indicator": new.indicator_code,
            "subject": { "kind": unit.kind.code(), "code": unit.code },
            "points": Points::from_hundredths(i64::from(new.points_hundredths)).to_string(),
            "reason": new.reason,
            "finding_id": new.finding_id,
            "decided_on": new.decided_on,
        }),
    )
    .await?;
    transaction.commit().await?;
    Ok(DeductionOutcome {
        deduction,
        indicator_code: new.indicator_code,
        unit,
    })
}

/// Publishes the results as of `as_of`: computes them and freezes them, with their evidence,
/// in an immutable snapshot (the database refuses to change or delete it).
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    title: String,
    as_of: NaiveDate,
) -> ApiResult<PublicationRecord> {
    let publisher = actor.user_id.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("a publication needs a signed-in publisher"))
    })?;
    let transaction = begin_write(db).await?;
    let definition = plan_for_change(&transaction, year).await?;
    let results = compute_results(&transaction, &definition, as_of).await?;
    let snapshot = serde_json::to_string(&results)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("snapshot: {error}")))?;
    let publication = assessment_publication::ActiveModel {
        plan_id: Set(definition.plan.id),
        title: Set(title.clone()),
        as_of: Set(as_of),
        snapshot_json: Set(snapshot),
        published_at: Set(results.computed_at),
        published_by: Set(publisher),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    touch_plan(
        &transaction,
        actor,
        &definition.plan,
        definition.plan.version,
        |plan| plan.status = Set("published".to_string()),
    )
    .await?;
    audit(
        &transaction,
        actor,
        "assessment.publish",
        "AssessmentPublication",
        publication.id,
        serde_json::json!({
            "year": year,
            "title": title,
            "as_of": as_of,
            "units": results.units.len(),
        }),
    )
    .await?;
    let published_by_name = user_names(&transaction, [publisher])
        .await?
        .remove(&publisher);
    transaction.commit().await?;
    Ok(PublicationRecord {
        publication,
        year,
        published_by_name,
    })
}

async fn publication_records(
    db: &impl ConnectionTrait,
    publications: Vec<assessment_publication::Model>,
) -> Result<Vec<PublicationRecord>, DbErr> {
    let plan_ids: BTreeSet<i64> = publications.iter().map(|p| p.plan_id).collect();
    let years: HashMap<i64, i32> = if plan_ids.is_empty() {
        HashMap::new()
    } else {
        assessment_plan::Entity::find()
            .filter(assessment_plan::Column::Id.is_in(plan_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|plan| (plan.id, plan.year))
            .collect()
    };
    let names = user_names(db, publications.iter().map(|p| p.published_by)).await?;
    Ok(publications
        .into_iter()
        .map(|publication| PublicationRecord {
            year: years.get(&publication.plan_id).copied().unwrap_or_default(),
            published_by_name: names.get(&publication.published_by).cloned(),
            publication,
        })
        .collect())
}

/// The publications, newest first; only those of `year` when given.
pub async fn publications(
    db: &impl ConnectionTrait,
    year: Option<i32>,
) -> Result<Vec<PublicationRecord>, DbErr> {
    let mut query = assessment_publication::Entity::find()
        .order_by_desc(assessment_publication::Column::PublishedAt)
        .order_by_desc(assessment_publication::Column::Id);
    if let Some(year) = year {
        let Some(plan) = assessment_plan::Entity::find()
            .filter(assessment_plan::Column::Year.eq(year))
            .one(db)
            .await?
        else {
            return Ok(Vec::new());
        };
        query = query.filter(assessment_publication::Column::PlanId.eq(plan.id));
    }
    let rows = query.all(db).await?;
    publication_records(db, rows).await
}

/// One publication by its number.
pub async fn publication(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<PublicationRecord>, DbErr> {
    let Some(row) = assessment_publication::Entity::find_by_id(id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(publication_records(db, vec![row]).await?.into_iter().next())
}
