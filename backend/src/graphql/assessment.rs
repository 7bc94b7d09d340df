//! The special assessment (专项考核, A7§4) in GraphQL: plans, live results with their evidence,
//! manual scores, deductions, and the published reports (通报) frozen as immutable snapshots.
//!
//! Access: the plans and the publications are district-wide — any principal acting for a
//! bureau or a town may read them (the units must know how they are assessed and where they
//! stand). Live results need the assessment data domain (read); every change needs it
//! (write), which by default only the poverty-alleviation office (区脱贫攻坚办) holds.
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::{DataDomain, RoleKind};
use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::{
    validate_assessment_weights, AssessmentComponent as DomainComponent, ComputedRule, Points,
};
use domain::money::Percent;
use domain::text::{clean_line, clean_multiline};

use super::access::{principal, read};
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::assessment::{
    self as store, ComponentResult, DeductionResult, Evidence, FailedRecord, IndicatorDefinition,
    IndicatorResult, ManualScore, NewComponent, NewDeduction, NewIndicator, NewPlan,
    PlanDefinition, PublicationRecord, Results, SubjectKind, UnitCode, UnitResult,
};
use crate::persistence::entities::assessment_plan_component;
use crate::persistence::registry_writes::Actor;

/// The earliest and latest years a plan may have.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

// ---------------------------------------------------------------------------------------------
// Access.
// ---------------------------------------------------------------------------------------------

/// Whether the principal may read what is published district-wide: it acts for a bureau or a
/// town, or reads the assessment domain.
pub fn may_read_publications(principal: &Principal) -> bool {
    principal.permissions.can_read(DataDomain::Assessment)
        || principal
            .roles
            .iter()
            .any(|role| matches!(role.kind, RoleKind::Bureau | RoleKind::Town))
}

/// The principal if it may read publications and plans, or FORBIDDEN.
pub fn publication_reader(principal: &Principal) -> Result<&Principal, ApiError> {
    if may_read_publications(principal) {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(
            "assessment plans and published reports are for the district's bureaus and towns; your roles act for neither".into(),
        ))
    }
}

fn writer<'a>(ctx: &Context<'a>, what: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(DataDomain::Assessment, what)?;
    Ok(principal)
}

fn actor_of(principal: &Principal) -> Actor {
    Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    }
}

// ---------------------------------------------------------------------------------------------
// Enums.
// ---------------------------------------------------------------------------------------------

/// Where a plan stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentPlanStatus {
    Draft,
    Scoring,
    /// At least one report has been published; scoring may go on.
    Published,
    /// Closed: nothing may change any more.
    Closed,
}

impl AssessmentPlanStatus {
    fn from_code(code: &str) -> Result<AssessmentPlanStatus, ApiError> {
        match code {
            "draft" => Ok(AssessmentPlanStatus::Draft),
            "scoring" => Ok(AssessmentPlanStatus::Scoring),
            "published" => Ok(AssessmentPlanStatus::Published),
            "closed" => Ok(AssessmentPlanStatus::Closed),
            other => Err(ApiError::Internal(anyhow::anyhow!(
                "unknown assessment plan status {other:?}"
            ))),
        }
    }
}

/// How an indicator is scored.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentMethod {
    /// Measured live from the records by a rule.
    Computed,
    /// Scored by hand, with a reason.
    Manual,
}

impl AssessmentMethod {
    fn code(self) -> &'static str {
        match self {
            AssessmentMethod::Computed => "computed",
            AssessmentMethod::Manual => "manual",
        }
    }

    fn from_code(code: &str) -> AssessmentMethod {
        if code == "computed" {
            AssessmentMethod::Computed
        } else {
            AssessmentMethod::Manual
        }
    }
}

/// Which units an indicator applies to.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentAppliesTo {
    Bureau,
    Town,
    Both,
}

impl AssessmentAppliesTo {
    fn code(self) -> &'static str {
        match self {
            AssessmentAppliesTo::Bureau => "bureau",
            AssessmentAppliesTo::Town => "town",
            AssessmentAppliesTo::Both => "both",
        }
    }

    fn from_code(code: &str) -> AssessmentAppliesTo {
        match code {
            "bureau" => AssessmentAppliesTo::Bureau,
            "town" => AssessmentAppliesTo::Town,
            _ => AssessmentAppliesTo::Both,
        }
    }
}

/// What an assessed unit is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentSubjectKind {
    /// A district bureau (区级部门), named by `bureau.code`.
    Bureau,
    /// A town or sub-district (镇办), named by its division code.
    Town,
}

impl From<SubjectKind> for AssessmentSubjectKind {
    fn from(kind: SubjectKind) -> AssessmentSubjectKind {
        match kind {
            SubjectKind::Bureau => AssessmentSubjectKind::Bureau,
            SubjectKind::Town => AssessmentSubjectKind::Town,
        }
    }
}

/// The rule a computed indicator measures, each from one clause of the plans.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentRule {
    /// A7§1: tasks of the responsibility list completed by their deadline.
    OnTimeCompletion,
    /// A2§1: households with labour with at least one member employed.
    ZeroEmploymentResolved,
    /// A3§4: persons enrolled in every insurance that applies to them.
    InsuranceCoverage,
    /// A3§2: children of 6–15 in school.
    SchoolingNoDropouts,
    /// A3§3: persons with a current family-doctor contract.
    FamilyDoctorContracts,
    /// A5§1: old homesteads reclaimed or restored to green.
    HomesteadReclamation,
    /// A6§2.2: committee members who visited in every finished month.
    MonthlyPartyVisits,
    /// A2§3.2: trainees employed after training.
    PostTrainingEmployment,
}

impl From<ComputedRule> for AssessmentRule {
    fn from(rule: ComputedRule) -> AssessmentRule {
        match rule {
            ComputedRule::OnTimeCompletion => AssessmentRule::OnTimeCompletion,
            ComputedRule::ZeroEmploymentResolved => AssessmentRule::ZeroEmploymentResolved,
            ComputedRule::InsuranceCoverage => AssessmentRule::InsuranceCoverage,
            ComputedRule::SchoolingNoDropouts => AssessmentRule::SchoolingNoDropouts,
            ComputedRule::FamilyDoctorContracts => AssessmentRule::FamilyDoctorContracts,
            ComputedRule::HomesteadReclamation => AssessmentRule::HomesteadReclamation,
            ComputedRule::MonthlyPartyVisits => AssessmentRule::MonthlyPartyVisits,
            ComputedRule::PostTrainingEmployment => AssessmentRule::PostTrainingEmployment,
        }
    }
}

impl From<AssessmentRule> for ComputedRule {
    fn from(rule: AssessmentRule) -> ComputedRule {
        match rule {
            AssessmentRule::OnTimeCompletion => ComputedRule::OnTimeCompletion,
            AssessmentRule::ZeroEmploymentResolved => ComputedRule::ZeroEmploymentResolved,
            AssessmentRule::InsuranceCoverage => ComputedRule::InsuranceCoverage,
            AssessmentRule::SchoolingNoDropouts => ComputedRule::SchoolingNoDropouts,
            AssessmentRule::FamilyDoctorContracts => ComputedRule::FamilyDoctorContracts,
            AssessmentRule::HomesteadReclamation => ComputedRule::HomesteadReclamation,
            AssessmentRule::MonthlyPartyVisits => ComputedRule::MonthlyPartyVisits,
            AssessmentRule::PostTrainingEmployment => ComputedRule::PostTrainingEmployment,
        }
    }
}

fn rule_of(code: Option<&str>) -> Option<AssessmentRule> {
    code.and_then(ComputedRule::from_code)
        .map(AssessmentRule::from)
}

fn points_text(hundredths: i64) -> String {
    Points::from_hundredths(hundredths).to_string()
}

/// Basis points as a percentage with two decimals and no sign: `30.00`.
fn percent_text(basis_points: i64) -> String {
    let text = Percent::from_basis_points(basis_points).to_string();
    text.trim_end_matches('%').to_string()
}

fn count(value: u64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Plans.
// ---------------------------------------------------------------------------------------------

/// A yearly special-assessment plan (专项考核方案) with its weighted components and indicators.
pub struct AssessmentPlan(pub PlanDefinition);

#[Object]
impl AssessmentPlan {
    async fn id(&self) -> ID {
        encode_id(NodeType::AssessmentPlan, self.0.plan.id)
    }
    async fn year(&self) -> i32 {
        self.0.plan.year
    }
    async fn title(&self) -> &str {
        &self.0.plan.title
    }
    async fn status(&self) -> Result<AssessmentPlanStatus> {
        Ok(AssessmentPlanStatus::from_code(&self.0.plan.status)?)
    }
    async fn notes(&self) -> &str {
        &self.0.plan.notes
    }
    /// The weight of follow-up support in the poverty-alleviation effectiveness assessment,
    /// e.g. `30.00` (percent; at least 30 by A7§4).
    async fn follow_up_weight_percent(&self) -> String {
        percent_text(i64::from(self.0.plan.follow_up_weight_bp))
    }
    /// The version last read, for setAssessmentPlanComponents.
    async fn version(&self) -> i32 {
        self.0.plan.version
    }
    async fn components(&self) -> Vec<AssessmentComponent> {
        self.0
            .components
            .iter()
            .cloned()
            .map(AssessmentComponent)
            .collect()
    }
    async fn indicators(&self) -> Vec<AssessmentIndicator> {
        self.0
            .indicators
            .iter()
            .cloned()
            .map(AssessmentIndicator)
            .collect()
    }
}

/// A weighted part of the poverty-alleviation effectiveness assessment.
pub struct AssessmentComponent(pub assessment_plan_component::Model);

#[Object]
impl AssessmentComponent {
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Percent with two decimals, e.g. `30.00`.
    async fn weight_percent(&self) -> String {
        percent_text(i64::from(self.0.weight_bp))
    }
    /// Whether this part assesses relocation follow-up support (the special assessment).
    async fn is_follow_up_support(&self) -> bool {
        self.0.is_follow_up_support
    }
    async fn seq(&self) -> i32 {
        self.0.seq
    }
}

/// An indicator of a plan.
pub struct AssessmentIndicator(pub IndicatorDefinition);

#[Object]
impl AssessmentIndicator {
    async fn id(&self) -> ID {
        encode_id(NodeType::AssessmentIndicator, self.0.indicator.id)
    }
    async fn code(&self) -> &str {
        &self.0.indicator.code
    }
    async fn name(&self) -> &str {
        &self.0.indicator.name
    }
    async fn component_code(&self) -> Option<&str> {
        self.0.component_code.as_deref()
    }
    async fn method(&self) -> AssessmentMethod {
        AssessmentMethod::from_code(&self.0.indicator.method)
    }
    /// The rule of a computed indicator.
    async fn rule(&self) -> Option<AssessmentRule> {
        rule_of(self.0.indicator.rule_code.as_deref())
    }
    /// The rule's Chinese name.
    async fn rule_label(&self) -> Option<&'static str> {
        self.0
            .indicator
            .rule_code
            .as_deref()
            .and_then(ComputedRule::from_code)
            .map(ComputedRule::label_zh)
    }
    /// The bureau whose slice a computed indicator measures (measured district-wide for it);
    /// null when it applies to every unit.
    async fn owner_bureau_code(&self) -> Option<&str> {
        self.0.owner_bureau_code.as_deref()
    }
    async fn clause_ref(&self) -> &str {
        &self.0.indicator.clause_ref
    }
    async fn applies_to(&self) -> AssessmentAppliesTo {
        AssessmentAppliesTo::from_code(&self.0.indicator.applies_to)
    }
    /// The points it is worth, e.g. `10.00`.
    async fn max_points(&self) -> String {
        points_text(i64::from(self.0.indicator.max_points_hundredths))
    }
    async fn description(&self) -> &str {
        &self.0.indicator.description
    }
}

// ---------------------------------------------------------------------------------------------
// Results (live and frozen).
// ---------------------------------------------------------------------------------------------

/// The results of a plan's special assessment as of a date.
pub struct AssessmentResults(pub Results);

#[Object]
impl AssessmentResults {
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn plan_title(&self) -> &str {
        &self.0.plan_title
    }
    /// The day the records were evaluated on.
    async fn as_of(&self) -> NaiveDate {
        self.0.as_of
    }
    async fn computed_at(&self) -> DateTime<Utc> {
        self.0.computed_at
    }
    async fn follow_up_weight_percent(&self) -> String {
        percent_text(self.0.follow_up_weight_bp)
    }
    /// How the scores were computed, in words.
    async fn method_notes(&self) -> &[String] {
        &self.0.method_notes
    }
    /// Bureaus first, then towns, each in rank order; optionally of one kind only.
    async fn units(
        &self,
        subject_kind: Option<AssessmentSubjectKind>,
    ) -> Vec<AssessmentUnitResult> {
        self.0
            .units
            .iter()
            .filter(|unit| {
                subject_kind
                    .is_none_or(|kind| AssessmentSubjectKind::from(unit.subject_kind) == kind)
            })
            .cloned()
            .map(AssessmentUnitResult)
            .collect()
    }
}

/// One unit's scores, rank and evidence.
pub struct AssessmentUnitResult(pub UnitResult);

#[Object]
impl AssessmentUnitResult {
    async fn subject_kind(&self) -> AssessmentSubjectKind {
        self.0.subject_kind.into()
    }
    /// `bureau.code` (e.g. hrss) or the town's division code (e.g. 610202100).
    async fn unit_code(&self) -> &str {
        &self.0.unit_code
    }
    async fn unit_name(&self) -> &str {
        &self.0.unit_name
    }
    async fn unit_short_name(&self) -> &str {
        &self.0.unit_short_name
    }
    /// Competition rank among units of the same kind by the special percentage; null when no
    /// special indicator applies to the unit.
    async fn rank(&self) -> Option<i32> {
        self.0
            .rank
            .map(|rank| i32::try_from(rank).unwrap_or(i32::MAX))
    }
    /// E.g. `与区人社局并列第2名（得分相同）`; null without a tie.
    async fn tie_explanation(&self) -> Option<&str> {
        self.0.tie_explanation.as_deref()
    }
    /// The unit codes of the units with the same rank.
    async fn tied_with_unit_codes(&self) -> &[String] {
        &self.0.tied_with
    }
    /// Points of the special assessment after deductions, e.g. `43.50`.
    async fn special_points(&self) -> String {
        points_text(self.0.special_points_hundredths)
    }
    /// The maximum of the special indicators that apply to the unit.
    async fn special_max_points(&self) -> String {
        points_text(self.0.special_max_hundredths)
    }
    /// specialPoints ÷ specialMaxPoints in percent, two decimals (what units are ranked by).
    async fn special_percent(&self) -> Option<String> {
        self.0.special_percent_bp.map(percent_text)
    }
    /// Deductions without an indicator taken off the special total.
    async fn special_deducted_points(&self) -> String {
        points_text(self.0.special_deducted_hundredths)
    }
    /// Σ component weight × component percentage, two decimals. A lower bound when
    /// compositeIncomplete.
    async fn composite_percent(&self) -> String {
        percent_text(self.0.composite_percent_bp)
    }
    /// A manual score is missing (counted 0) or a component has no indicator for the unit.
    async fn composite_incomplete(&self) -> bool {
        self.0.composite_incomplete
    }
    async fn incomplete_reasons(&self) -> &[String] {
        &self.0.incomplete_reasons
    }
    async fn components(&self) -> Vec<AssessmentComponentResult> {
        self.0
            .components
            .iter()
            .cloned()
            .map(AssessmentComponentResult)
            .collect()
    }
    /// Every indicator that applies to the unit, with its points and why.
    async fn indicators(&self) -> Vec<AssessmentIndicatorResult> {
        self.0
            .indicators
            .iter()
            .cloned()
            .map(AssessmentIndicatorResult)
            .collect()
    }
    async fn deductions(&self) -> Vec<AssessmentDeductionResult> {
        self.0
            .deductions
            .iter()
            .cloned()
            .map(AssessmentDeductionResult)
            .collect()
    }
}

/// A component's share of a unit's composite.
pub struct AssessmentComponentResult(pub ComponentResult);

#[Object]
impl AssessmentComponentResult {
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn weight_percent(&self) -> String {
        percent_text(self.0.weight_bp)
    }
    async fn is_follow_up_support(&self) -> bool {
        self.0.is_follow_up_support
    }
    async fn points(&self) -> String {
        points_text(self.0.points_hundredths)
    }
    async fn max_points(&self) -> String {
        points_text(self.0.max_hundredths)
    }
    /// The component's percentage (for follow-up support: the special percentage); null when
    /// no indicator of it applies to the unit.
    async fn percent(&self) -> Option<String> {
        self.0.percent_bp.map(percent_text)
    }
}

/// One indicator's points for one unit.
pub struct AssessmentIndicatorResult(pub IndicatorResult);

#[Object]
impl AssessmentIndicatorResult {
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn component_code(&self) -> Option<&str> {
        self.0.component_code.as_deref()
    }
    async fn method(&self) -> AssessmentMethod {
        AssessmentMethod::from_code(&self.0.method)
    }
    async fn rule(&self) -> Option<AssessmentRule> {
        rule_of(self.0.rule_code.as_deref())
    }
    async fn clause_ref(&self) -> &str {
        &self.0.clause_ref
    }
    /// After deductions.
    async fn points(&self) -> String {
        points_text(self.0.points_hundredths)
    }
    async fn max_points(&self) -> String {
        points_text(self.0.max_hundredths)
    }
    /// Before deductions.
    async fn earned_points(&self) -> String {
        points_text(self.0.earned_hundredths)
    }
    async fn deducted_points(&self) -> String {
        points_text(self.0.deducted_hundredths)
    }
    /// False for a manual indicator nobody has scored (未评分, counted 0).
    async fn scored(&self) -> bool {
        self.0.scored
    }
    /// The arithmetic in words.
    async fn explanation(&self) -> &str {
        &self.0.explanation
    }
    /// For a computed indicator: the counts and the records that failed.
    async fn evidence(&self) -> Option<AssessmentEvidence> {
        self.0.evidence.clone().map(AssessmentEvidence)
    }
    /// For a scored manual indicator: the score, its reason and the scorer.
    async fn manual_score(&self) -> Option<AssessmentManualScore> {
        self.0.manual_score.clone().map(AssessmentManualScore)
    }
}

/// Why a computed indicator earned what it did: every lost point traces to a record.
pub struct AssessmentEvidence(pub Evidence);

#[Object]
impl AssessmentEvidence {
    async fn passed(&self) -> i32 {
        count(self.0.passed)
    }
    async fn applicable(&self) -> i32 {
        count(self.0.applicable)
    }
    /// All records that failed (applicable − passed); `failed` lists the first of them.
    async fn failed_total(&self) -> i32 {
        count(self.0.failed_total)
    }
    /// What was counted, in words.
    async fn counted(&self) -> &str {
        &self.0.counted
    }
    /// The first failed records (household codes, task codes). Shown to readers of the
    /// `assessment` domain only: the 通报 goes to every unit, the records behind it do not
    /// (each unit finds its own in its alert feed).
    async fn failed(&self, ctx: &Context<'_>) -> Vec<AssessmentFailedRecord> {
        let may_see_records = ctx
            .data_opt::<Principal>()
            .is_some_and(|principal| principal.permissions.can_read(DataDomain::Assessment));
        if !may_see_records {
            return Vec::new();
        }
        self.0
            .failed
            .iter()
            .cloned()
            .map(AssessmentFailedRecord)
            .collect()
    }
}

/// A record that did not meet the rule.
pub struct AssessmentFailedRecord(pub FailedRecord);

#[Object]
impl AssessmentFailedRecord {
    /// task, household, person, homestead, committee_member_month or training_enrolment.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// The global ID of the task, household or person the failure belongs to, if any.
    async fn record_id(&self) -> Option<ID> {
        let node_type = match self.0.node_type.as_deref()? {
            "ResponsibilityTask" => NodeType::ResponsibilityTask,
            "Household" => NodeType::Household,
            "Person" => NodeType::Person,
            _ => return None,
        };
        Some(encode_id(node_type, self.0.node_id?))
    }
    /// Household code and relation, task code and title, or organisation and month — never a
    /// person's name.
    async fn label(&self) -> &str {
        &self.0.label
    }
}

/// A manual score.
pub struct AssessmentManualScore(pub ManualScore);

#[Object]
impl AssessmentManualScore {
    async fn points(&self) -> String {
        points_text(self.0.points_hundredths)
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The scorer's display name.
    async fn scored_by(&self) -> Option<&str> {
        self.0.scored_by.as_deref()
    }
    async fn scored_at(&self) -> DateTime<Utc> {
        self.0.scored_at
    }
}

/// A deduction (扣分) against a unit.
pub struct AssessmentDeductionResult(pub DeductionResult);

#[Object]
impl AssessmentDeductionResult {
    /// The indicator it is taken from; null: from the special total.
    async fn indicator_code(&self) -> Option<&str> {
        self.0.indicator_code.as_deref()
    }
    async fn points(&self) -> String {
        points_text(self.0.points_hundredths)
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The inspection finding it comes from.
    async fn finding_id(&self) -> Option<ID> {
        self.0
            .finding_id
            .map(|id| encode_id(NodeType::InspectionFinding, id))
    }
    async fn finding_description(&self) -> Option<&str> {
        self.0.finding_description.as_deref()
    }
    async fn decided_on(&self) -> NaiveDate {
        self.0.decided_on
    }
    async fn decided_by(&self) -> Option<&str> {
        self.0.decided_by.as_deref()
    }
}

/// A published report (通报): the results frozen when published, never changed afterwards.
pub struct AssessmentPublication(pub PublicationRecord);

#[Object]
impl AssessmentPublication {
    async fn id(&self) -> ID {
        encode_id(NodeType::AssessmentPublication, self.0.publication.id)
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn title(&self) -> &str {
        &self.0.publication.title
    }
    async fn as_of(&self) -> NaiveDate {
        self.0.publication.as_of
    }
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.publication.published_at
    }
    /// The publisher's display name.
    async fn published_by(&self) -> Option<&str> {
        self.0.published_by_name.as_deref()
    }
    /// The path of the .xlsx download (ranking and breakdown), with the same bearer token.
    async fn download_path(&self) -> String {
        format!(
            "/exports/assessment-publications/{}",
            encode_id(NodeType::AssessmentPublication, self.0.publication.id).0
        )
    }
    /// The frozen results with their evidence.
    async fn results(&self) -> Result<AssessmentResults> {
        Ok(AssessmentResults(self.0.results()?))
    }
}

/// A manual score as just stored.
#[derive(SimpleObject)]
pub struct AssessmentScoreRecord {
    pub indicator_code: String,
    pub subject_kind: AssessmentSubjectKind,
    pub unit_code: String,
    pub unit_name: String,
    pub points: String,
    /// The score it replaced, if any (the audit log keeps every earlier score).
    pub previous_points: Option<String>,
    pub reason: String,
    pub scored_by: Option<String>,
    pub scored_at: DateTime<Utc>,
}

/// A deduction as just stored.
#[derive(SimpleObject)]
pub struct AssessmentDeductionRecord {
    pub subject_kind: AssessmentSubjectKind,
    pub unit_code: String,
    pub unit_name: String,
    pub indicator_code: Option<String>,
    pub points: String,
    pub reason: String,
    pub finding_id: Option<ID>,
    pub decided_on: NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// Queries.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// Every assessment plan, newest year first.
    async fn assessment_plans(&self, ctx: &Context<'_>) -> Result<Vec<AssessmentPlan>> {
        publication_reader(principal(ctx)?)?;
        let plans = store::plans(database(ctx)).await.map_err(ApiError::from)?;
        Ok(plans.into_iter().map(AssessmentPlan).collect())
    }

    /// The plan of a year; null when there is none.
    async fn assessment_plan(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<Option<AssessmentPlan>> {
        publication_reader(principal(ctx)?)?;
        let plan = store::plan_by_year(database(ctx), year)
            .await
            .map_err(ApiError::from)?;
        Ok(plan.map(AssessmentPlan))
    }

    /// The live results of a year's plan as of a date (default: today in China), computed from
    /// the records now. Needs the assessment data domain.
    async fn assessment_results(
        &self,
        ctx: &Context<'_>,
        year: i32,
        as_of: Option<NaiveDate>,
    ) -> Result<AssessmentResults> {
        read(ctx, DataDomain::Assessment, "Query.assessmentResults")?;
        let db = database(ctx);
        let definition = store::plan_by_year(db, year)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::not_found("assessment plan of year", year))?;
        let as_of = as_of.unwrap_or_else(today_in_china);
        Ok(AssessmentResults(
            store::compute_results(db, &definition, as_of).await?,
        ))
    }

    /// The published reports, newest first (all years, or one).
    async fn assessment_publications(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
    ) -> Result<Vec<AssessmentPublication>> {
        publication_reader(principal(ctx)?)?;
        let records = store::publications(database(ctx), year)
            .await
            .map_err(ApiError::from)?;
        Ok(records.into_iter().map(AssessmentPublication).collect())
    }

    /// One published report by its ID; null when it does not exist.
    async fn assessment_publication(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<AssessmentPublication>> {
        let number = decode_id("id", NodeType::AssessmentPublication, &id)?;
        publication_reader(principal(ctx)?)?;
        let record = store::publication(database(ctx), number)
            .await
            .map_err(ApiError::from)?;
        Ok(record.map(AssessmentPublication))
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs and their parsing into validated values.
// ---------------------------------------------------------------------------------------------

/// A weighted component of a plan.
#[derive(InputObject)]
pub struct AssessmentComponentInput {
    /// Stable code: lower-case letters, digits and `_`, up to 32 (e.g. follow_up).
    pub code: String,
    pub name: String,
    /// Percent with at most two decimals, e.g. `30.00`.
    pub weight_percent: String,
    /// Whether it assesses relocation follow-up support; these weigh at least 30 % together.
    #[graphql(default)]
    pub is_follow_up_support: bool,
}

#[derive(InputObject)]
pub struct CreateAssessmentPlanInput {
    pub year: i32,
    pub title: String,
    #[graphql(default)]
    pub notes: String,
    /// Weights add up to exactly 100.00; follow-up support at least 30.00 (A7§4).
    pub components: Vec<AssessmentComponentInput>,
}

#[derive(InputObject)]
pub struct SetAssessmentPlanComponentsInput {
    pub year: i32,
    /// The plan version last read; a stale version is refused with CONFLICT.
    pub version: i32,
    /// The complete new list: codes kept are updated, new codes added, missing codes removed.
    pub components: Vec<AssessmentComponentInput>,
}

#[derive(InputObject)]
pub struct AddAssessmentIndicatorInput {
    pub year: i32,
    pub component_code: String,
    /// Stable code: lower-case letters, digits and `_`, up to 32.
    pub code: String,
    pub name: String,
    pub method: AssessmentMethod,
    /// Required for a computed indicator, refused for a manual one.
    pub rule: Option<AssessmentRule>,
    /// The bureau whose slice a computed indicator measures (bureau.code); that bureau is
    /// measured over the whole district and no other bureau is. Leave out to measure every
    /// unit over its own tasks (onTimeCompletion).
    pub owner_bureau_code: Option<String>,
    /// Defaults to the rule's clause (computed) or A7§4 (manual).
    pub clause_ref: Option<String>,
    #[graphql(default_with = "AssessmentAppliesTo::Both")]
    pub applies_to: AssessmentAppliesTo,
    /// Points it is worth, e.g. `10.00`.
    pub max_points: String,
    #[graphql(default)]
    pub description: String,
}

#[derive(InputObject)]
pub struct ScoreAssessmentIndicatorInput {
    pub year: i32,
    pub indicator_code: String,
    /// Give exactly one of bureauCode (e.g. hrss) and townCode (e.g. 610202100).
    pub bureau_code: Option<String>,
    pub town_code: Option<String>,
    /// 0 to the indicator's maximum, at most two decimals, e.g. `8.50`.
    pub points: String,
    /// Why (required): the evidence behind the score.
    pub reason: String,
}

#[derive(InputObject)]
pub struct RecordAssessmentDeductionInput {
    pub year: i32,
    /// The indicator to take the points from; leave out to take them from the special total.
    pub indicator_code: Option<String>,
    /// Give exactly one of bureauCode and townCode.
    pub bureau_code: Option<String>,
    pub town_code: Option<String>,
    /// More than 0, at most two decimals, e.g. `2.00`.
    pub points: String,
    pub reason: String,
    /// The inspection finding the deduction comes from.
    pub finding_id: Option<ID>,
    /// Default: today in China.
    pub decided_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct PublishAssessmentInput {
    pub year: i32,
    /// The report's title, e.g. 2026年度易地扶贫搬迁后续扶持专项考核结果通报.
    pub title: String,
    /// The day the records are evaluated on; default today in China, never later.
    pub as_of: Option<NaiveDate>,
}

fn parse_year(field: &str, year: i32) -> Result<i32, ApiError> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(ApiError::invalid(
            field,
            format!(
                "{year} is not a plan year; give a year from {} to {}",
                YEARS.start(),
                YEARS.end()
            ),
        ))
    }
}

fn parse_code(field: &str, code: &str) -> Result<String, ApiError> {
    let code = code.trim();
    let valid = !code.is_empty()
        && code.len() <= 32
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(code.to_string())
    } else {
        Err(ApiError::invalid(
            field,
            format!("{code:?} is not a code: use 1–32 lower-case letters, digits and _ (e.g. follow_up)"),
        ))
    }
}

fn parse_line(field: &str, text: &str, max_chars: usize) -> Result<String, ApiError> {
    clean_line(text, field, max_chars).map_err(|error| ApiError::invalid(field, error))
}

fn parse_text(field: &str, text: &str, max_chars: usize) -> Result<String, ApiError> {
    clean_multiline(text, field, max_chars).map_err(|error| ApiError::invalid(field, error))
}

fn parse_points(field: &str, text: &str) -> Result<Points, ApiError> {
    Points::parse(text).map_err(|error| ApiError::invalid(field, error))
}

/// The components, validated one by one and then together (A7§4: exactly 100 %, follow-up
/// support at least 30 %).
fn parse_components(
    field: &str,
    inputs: Vec<AssessmentComponentInput>,
) -> Result<Vec<NewComponent>, ApiError> {
    let mut components = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let path = format!("{field}[{index}]");
        let weight = Percent::parse(&input.weight_percent)
            .map_err(|error| ApiError::invalid(format!("{path}.weightPercent"), error))?;
        if weight > Percent::ONE_HUNDRED {
            return Err(ApiError::invalid(
                format!("{path}.weightPercent"),
                format!("{weight} is more than 100.00%"),
            ));
        }
        let code = parse_code(&format!("{path}.code"), &input.code)?;
        if components.iter().any(|c: &NewComponent| c.code == code) {
            return Err(ApiError::invalid(
                format!("{path}.code"),
                format!("the component code {code} appears more than once"),
            ));
        }
        components.push(NewComponent {
            code,
            name: parse_line(&format!("{path}.name"), &input.name, 200)?,
            weight_bp: i32::try_from(weight.basis_points())
                .map_err(|_| ApiError::invalid(format!("{path}.weightPercent"), "too large"))?,
            is_follow_up_support: input.is_follow_up_support,
        });
    }
    let domain_components: Vec<DomainComponent> = components
        .iter()
        .map(|component| DomainComponent {
            name: component.name.clone(),
            weight: Percent::from_basis_points(i64::from(component.weight_bp)),
            is_follow_up_support: component.is_follow_up_support,
        })
        .collect();
    validate_assessment_weights(&domain_components)
        .map_err(|error| ApiError::invalid(field, error))?;
    Ok(components)
}

/// Exactly one of bureauCode and townCode.
fn parse_unit(
    bureau_code: Option<String>,
    town_code: Option<String>,
) -> Result<(UnitCode, &'static str), ApiError> {
    let blank = |code: &Option<String>| code.as_deref().is_none_or(|code| code.trim().is_empty());
    match (bureau_code, town_code) {
        (Some(code), town) if blank(&town) && !code.trim().is_empty() => Ok((
            UnitCode::Bureau(code.trim().to_string()),
            "input.bureauCode",
        )),
        (bureau, Some(code)) if blank(&bureau) && !code.trim().is_empty() => {
            Ok((UnitCode::Town(code.trim().to_string()), "input.townCode"))
        }
        _ => Err(ApiError::invalid(
            "input.bureauCode",
            "give exactly one of bureauCode (e.g. hrss) and townCode (e.g. 610202100)",
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// Creates the plan of a year with its weighted components (A7§4: the weights add up to
    /// exactly 100 %, follow-up support weighs at least 30 %).
    async fn create_assessment_plan(
        &self,
        ctx: &Context<'_>,
        input: CreateAssessmentPlanInput,
    ) -> Result<AssessmentPlan> {
        let new = NewPlan {
            year: parse_year("input.year", input.year)?,
            title: parse_line("input.title", &input.title, 200)?,
            notes: if input.notes.trim().is_empty() {
                String::new()
            } else {
                parse_text("input.notes", &input.notes, 4000)?
            },
            components: parse_components("input.components", input.components)?,
        };
        let principal = writer(ctx, "assessment plans")?;
        let created = store::create_plan(database(ctx), &actor_of(principal), new).await?;
        Ok(AssessmentPlan(created))
    }

    /// Replaces a plan's components (same rules as createAssessmentPlan).
    async fn set_assessment_plan_components(
        &self,
        ctx: &Context<'_>,
        input: SetAssessmentPlanComponentsInput,
    ) -> Result<AssessmentPlan> {
        let year = parse_year("input.year", input.year)?;
        let components = parse_components("input.components", input.components)?;
        let principal = writer(ctx, "assessment plans")?;
        let updated = store::set_components(
            database(ctx),
            &actor_of(principal),
            year,
            input.version,
            components,
        )
        .await?;
        Ok(AssessmentPlan(updated))
    }

    /// Adds an indicator to a plan's component.
    async fn add_assessment_indicator(
        &self,
        ctx: &Context<'_>,
        input: AddAssessmentIndicatorInput,
    ) -> Result<AssessmentIndicator> {
        let year = parse_year("input.year", input.year)?;
        let rule = match (input.method, input.rule) {
            (AssessmentMethod::Computed, Some(rule)) => Some(ComputedRule::from(rule)),
            (AssessmentMethod::Computed, None) => {
                return Err(ApiError::invalid(
                    "input.rule",
                    "a computed indicator needs the rule it measures",
                )
                .into())
            }
            (AssessmentMethod::Manual, Some(_)) => {
                return Err(ApiError::invalid(
                    "input.rule",
                    "a manual indicator is scored by hand and has no rule; leave rule out or use method COMPUTED",
                )
                .into())
            }
            (AssessmentMethod::Manual, None) => None,
        };
        let owner_bureau_code = match input.owner_bureau_code {
            Some(code) if !code.trim().is_empty() => {
                if rule.is_none() {
                    return Err(ApiError::invalid(
                        "input.ownerBureauCode",
                        "only a computed indicator measures a bureau's slice; leave ownerBureauCode out",
                    )
                    .into());
                }
                Some(code.trim().to_string())
            }
            _ => None,
        };
        let max = parse_points("input.maxPoints", &input.max_points)?;
        if max <= Points::ZERO || max > Points::from_hundredths(100_000) {
            return Err(ApiError::invalid(
                "input.maxPoints",
                format!("an indicator is worth more than 0 and at most 1000.00 points, not {max}"),
            )
            .into());
        }
        let clause_ref = match input.clause_ref {
            Some(clause) if !clause.trim().is_empty() => {
                parse_line("input.clauseRef", &clause, 32)?
            }
            _ => rule.map(ComputedRule::clause).unwrap_or("A7§4").to_string(),
        };
        let new = NewIndicator {
            component_code: parse_code("input.componentCode", &input.component_code)?,
            code: parse_code("input.code", &input.code)?,
            name: parse_line("input.name", &input.name, 200)?,
            method: input.method.code(),
            rule_code: rule.map(|rule| rule.code().to_string()),
            owner_bureau_code,
            clause_ref,
            applies_to: input.applies_to.code(),
            max_hundredths: i32::try_from(max.hundredths())
                .map_err(|_| ApiError::invalid("input.maxPoints", "too large"))?,
            description: if input.description.trim().is_empty() {
                String::new()
            } else {
                parse_text("input.description", &input.description, 2000)?
            },
        };
        let principal = writer(ctx, "assessment indicators")?;
        let created = store::add_indicator(database(ctx), &actor_of(principal), year, new).await?;
        Ok(AssessmentIndicator(created))
    }

    /// Scores a manual indicator for a bureau or a town, with the reason. Scoring again
    /// replaces the score; the audit log keeps the earlier ones.
    async fn score_assessment_indicator(
        &self,
        ctx: &Context<'_>,
        input: ScoreAssessmentIndicatorInput,
    ) -> Result<AssessmentScoreRecord> {
        let year = parse_year("input.year", input.year)?;
        let indicator_code = parse_code("input.indicatorCode", &input.indicator_code)?;
        let (unit, unit_field) = parse_unit(input.bureau_code, input.town_code)?;
        let points = parse_points("input.points", &input.points)?;
        let reason = parse_text("input.reason", &input.reason, 1000)?;
        let principal = writer(ctx, "assessment scores")?;
        let outcome = store::set_score(
            database(ctx),
            &actor_of(principal),
            store::ScoreRequest {
                year,
                indicator_code: &indicator_code,
                unit: &unit,
                unit_field,
                points,
                reason,
            },
        )
        .await?;
        Ok(AssessmentScoreRecord {
            indicator_code: outcome.indicator_code,
            subject_kind: outcome.unit.kind.into(),
            unit_code: outcome.unit.code,
            unit_name: outcome.unit.name,
            points: points_text(i64::from(outcome.score.points_hundredths)),
            previous_points: outcome
                .previous_points_hundredths
                .map(|points| points_text(i64::from(points))),
            reason: outcome.score.reason,
            scored_by: outcome.scored_by,
            scored_at: outcome.score.scored_at,
        })
    }

    /// Records a deduction (扣分) against a bureau or a town: from one indicator (floored at 0)
    /// or, without indicatorCode, from the special total (floored at 0).
    async fn record_assessment_deduction(
        &self,
        ctx: &Context<'_>,
        input: RecordAssessmentDeductionInput,
    ) -> Result<AssessmentDeductionRecord> {
        let year = parse_year("input.year", input.year)?;
        let indicator_code = match input.indicator_code {
            Some(code) if !code.trim().is_empty() => {
                Some(parse_code("input.indicatorCode", &code)?)
            }
            _ => None,
        };
        let (unit, unit_field) = parse_unit(input.bureau_code, input.town_code)?;
        let points = parse_points("input.points", &input.points)?;
        if points <= Points::ZERO {
            return Err(
                ApiError::invalid("input.points", "a deduction takes more than 0 points").into(),
            );
        }
        let points_hundredths = i32::try_from(points.hundredths())
            .map_err(|_| ApiError::invalid("input.points", "too large"))?;
        let reason = parse_text("input.reason", &input.reason, 1000)?;
        let finding_id = input
            .finding_id
            .map(|id| decode_id("input.findingId", NodeType::InspectionFinding, &id))
            .transpose()?;
        let decided_on = input.decided_on.unwrap_or_else(today_in_china);
        let principal = writer(ctx, "assessment deductions")?;
        let outcome = store::record_deduction(
            database(ctx),
            &actor_of(principal),
            year,
            NewDeduction {
                indicator_code,
                unit,
                unit_field: unit_field.to_string(),
                points_hundredths,
                reason,
                finding_id,
                decided_on,
            },
        )
        .await?;
        Ok(AssessmentDeductionRecord {
            subject_kind: outcome.unit.kind.into(),
            unit_code: outcome.unit.code,
            unit_name: outcome.unit.name,
            indicator_code: outcome.indicator_code,
            points: points_text(i64::from(outcome.deduction.points_hundredths)),
            reason: outcome.deduction.reason,
            finding_id: outcome
                .deduction
                .finding_id
                .map(|id| encode_id(NodeType::InspectionFinding, id)),
            decided_on: outcome.deduction.decided_on,
        })
    }

    /// Publishes the results as of a date (通报): freezes them, with their evidence, in an
    /// immutable snapshot that later changes to the records do not alter. Needs the
    /// assessment data domain (write).
    async fn publish_assessment(
        &self,
        ctx: &Context<'_>,
        input: PublishAssessmentInput,
    ) -> Result<AssessmentPublication> {
        let year = parse_year("input.year", input.year)?;
        let title = parse_line("input.title", &input.title, 200)?;
        let today = today_in_china();
        let as_of = input.as_of.unwrap_or(today);
        if as_of > today {
            return Err(ApiError::invalid(
                "input.asOf",
                format!("{as_of} is in the future; results can be published as of today ({today}) at the latest"),
            )
            .into());
        }
        let principal = writer(ctx, "assessment publications")?;
        let record =
            store::publish(database(ctx), &actor_of(principal), year, title, as_of).await?;
        Ok(AssessmentPublication(record))
    }
}
