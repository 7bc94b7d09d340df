//! Supervision over GraphQL (A7§4): inspections and unannounced visits (跟踪检查, 暗访) with
//! findings to rectify by a deadline, interviews (约谈) and consequences (批评教育, 诫勉谈话,
//! 纪律处分), each linked to the bureau or town and the tasks concerned.
//!
//! The supervising office (the `assessment` domain's writers: 区脱贫攻坚办 by default) records
//! them; readers of `assessment` or `responsibility` see all; every other unit sees what
//! concerns it and reports its own rectifications.
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::{DateTime, NaiveDate, Utc};

use super::access::principal;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::responsibility::{actor_of, comment_field, text_field, ResponsibleUnit, Units};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::entities::{
    accountability_consequence, inspection, inspection_finding, interview,
};
use crate::persistence::responsibility::UnitId;
use crate::persistence::supervision::{
    self as store, NewConsequence, NewFinding, NewInspection, NewInterview, UnitScope,
};

/// Supervisors see everything; other principals only what concerns their units.
fn scope_of(principal: &Principal) -> Option<UnitScope> {
    let supervisor = principal.permissions.can_read(DataDomain::Assessment)
        || principal.permissions.can_read(DataDomain::Responsibility);
    (!supervisor).then(|| UnitScope {
        bureau_ids: principal.bureau_ids.clone(),
        town_ids: principal.town_unit_ids.clone(),
    })
}

fn unit_of(units: &Units, bureau: Option<i64>, town: Option<i64>) -> Option<ResponsibleUnit> {
    match (bureau, town) {
        (Some(id), _) => Some(units.unit(UnitId::Bureau(id))),
        (None, Some(id)) => Some(units.unit(UnitId::Town(id))),
        (None, None) => None,
    }
}

/// 跟踪检查 or 暗访.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionKind {
    /// 跟踪检查
    Tracking,
    /// 常态暗访
    Unannounced,
}

/// How grave a finding is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingSeverity {
    Minor,
    Major,
    Serious,
}

/// Where a finding is: open, being rectified (the unit reported it), closed (checked).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingStatus {
    Open,
    Rectifying,
    Closed,
}

/// 批评教育 / 诫勉谈话 / 纪律处分, mildest first (A7§4).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsequenceKind {
    Criticism,
    Admonishment,
    DisciplinaryReferral,
}

impl ConsequenceKind {
    fn code(self) -> &'static str {
        match self {
            ConsequenceKind::Criticism => "criticism",
            ConsequenceKind::Admonishment => "admonishment",
            ConsequenceKind::DisciplinaryReferral => "disciplinary_referral",
        }
    }
}

/// An inspection or unannounced visit with the findings the principal may see.
pub struct Inspection {
    inspection: inspection::Model,
    units: Arc<Units>,
    scope: Option<UnitScope>,
    as_of: NaiveDate,
}

#[Object]
impl Inspection {
    async fn id(&self) -> ID {
        encode_id(NodeType::Inspection, self.inspection.id)
    }
    async fn kind(&self) -> InspectionKind {
        if self.inspection.kind == "unannounced" {
            InspectionKind::Unannounced
        } else {
            InspectionKind::Tracking
        }
    }
    async fn inspected_on(&self) -> NaiveDate {
        self.inspection.inspected_on
    }
    async fn team(&self) -> &str {
        &self.inspection.team
    }
    /// The bureau or town inspected.
    async fn unit(&self) -> Option<ResponsibleUnit> {
        unit_of(
            &self.units,
            self.inspection.bureau_id,
            self.inspection.town_id,
        )
    }
    async fn summary(&self) -> &str {
        &self.inspection.summary
    }
    async fn findings(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        Ok(
            store::findings(database(ctx), Some(self.inspection.id), false, &self.scope)
                .await?
                .into_iter()
                .map(|finding| Finding::new(finding, &self.units, self.as_of))
                .collect(),
        )
    }
}

/// A finding to be rectified by a deadline, then closed by the supervising office.
#[derive(SimpleObject)]
pub struct Finding {
    pub id: ID,
    pub inspection_id: ID,
    pub task_id: Option<ID>,
    /// The bureau or town that must rectify it.
    pub unit: Option<ResponsibleUnit>,
    /// The town concerned, when a bureau must rectify something at a town's site.
    pub town: Option<ResponsibleUnit>,
    pub description: String,
    pub severity: FindingSeverity,
    pub rectification_deadline: NaiveDate,
    pub rectified_on: Option<NaiveDate>,
    pub status: FindingStatus,
    /// Past its deadline and neither rectified in time nor closed (as of today).
    pub overdue: bool,
    pub closed_at: Option<DateTime<Utc>>,
    /// The unit's rectification note, then the office's closing note.
    pub note: Option<String>,
}

impl Finding {
    fn new(finding: inspection_finding::Model, units: &Units, as_of: NaiveDate) -> Finding {
        let closed = finding.status == "closed";
        Finding {
            id: encode_id(NodeType::InspectionFinding, finding.id),
            inspection_id: encode_id(NodeType::Inspection, finding.inspection_id),
            task_id: finding
                .task_id
                .map(|id| encode_id(NodeType::ResponsibilityTask, id)),
            unit: unit_of(units, finding.responsible_bureau_id, finding.town_id),
            town: finding.town_id.map(|id| units.unit(UnitId::Town(id))),
            severity: match finding.severity.as_str() {
                "serious" => FindingSeverity::Serious,
                "major" => FindingSeverity::Major,
                _ => FindingSeverity::Minor,
            },
            rectification_deadline: finding.rectification_deadline,
            rectified_on: finding.rectified_on,
            status: match finding.status.as_str() {
                "closed" => FindingStatus::Closed,
                "rectifying" => FindingStatus::Rectifying,
                _ => FindingStatus::Open,
            },
            overdue: domain::supervision::finding_overdue(
                finding.rectification_deadline,
                finding.rectified_on,
                closed,
                as_of,
            ),
            closed_at: finding.closed_at,
            note: finding.closure_note,
            description: finding.description,
        }
    }
}

/// An interview (约谈) of a unit's leaders.
#[derive(SimpleObject)]
pub struct Interview {
    pub id: ID,
    pub held_on: NaiveDate,
    pub unit: Option<ResponsibleUnit>,
    pub interviewee_name: String,
    pub interviewer_name: String,
    pub reason: String,
    pub finding_id: Option<ID>,
    pub task_id: Option<ID>,
    pub notes: String,
}

impl Interview {
    fn new(model: interview::Model, units: &Units) -> Interview {
        Interview {
            id: encode_id(NodeType::Interview, model.id),
            held_on: model.held_on,
            unit: unit_of(units, model.bureau_id, model.town_id),
            interviewee_name: model.interviewee_name,
            interviewer_name: model.interviewer_name,
            reason: model.reason,
            finding_id: model
                .finding_id
                .map(|id| encode_id(NodeType::InspectionFinding, id)),
            task_id: model
                .task_id
                .map(|id| encode_id(NodeType::ResponsibilityTask, id)),
            notes: model.notes,
        }
    }
}

/// A consequence for those responsible (A7§4).
#[derive(SimpleObject)]
pub struct Consequence {
    pub id: ID,
    pub kind: ConsequenceKind,
    pub unit: Option<ResponsibleUnit>,
    pub person_name: String,
    pub decided_on: NaiveDate,
    pub decided_by: String,
    pub reason: String,
    pub finding_id: Option<ID>,
    pub interview_id: Option<ID>,
}

impl Consequence {
    fn new(model: accountability_consequence::Model, units: &Units) -> Consequence {
        Consequence {
            id: encode_id(NodeType::Consequence, model.id),
            kind: match model.kind.as_str() {
                "admonishment" => ConsequenceKind::Admonishment,
                "disciplinary_referral" => ConsequenceKind::DisciplinaryReferral,
                _ => ConsequenceKind::Criticism,
            },
            unit: unit_of(units, model.bureau_id, model.town_id),
            person_name: model.person_name,
            decided_on: model.decided_on,
            decided_by: model.decided_by,
            reason: model.reason,
            finding_id: model
                .finding_id
                .map(|id| encode_id(NodeType::InspectionFinding, id)),
            interview_id: model
                .interview_id
                .map(|id| encode_id(NodeType::Interview, id)),
        }
    }
}

#[derive(Default)]
pub struct SupervisionQuery;

#[Object]
impl SupervisionQuery {
    /// Inspections and unannounced visits, newest first (of one year if given).
    async fn inspections(&self, ctx: &Context<'_>, year: Option<i32>) -> Result<Vec<Inspection>> {
        let principal = principal(ctx)?;
        let scope = scope_of(principal);
        let units = Units::load(ctx).await?;
        let as_of = today_in_china();
        Ok(store::inspections(database(ctx), year, &scope)
            .await?
            .into_iter()
            .map(|inspection| Inspection {
                inspection,
                units: units.clone(),
                scope: scope.clone(),
                as_of,
            })
            .collect())
    }

    /// Findings by rectification deadline; `openOnly` leaves out closed ones.
    async fn inspection_findings(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = true)] open_only: bool,
    ) -> Result<Vec<Finding>> {
        let principal = principal(ctx)?;
        let units = Units::load(ctx).await?;
        let as_of = today_in_china();
        Ok(
            store::findings(database(ctx), None, open_only, &scope_of(principal))
                .await?
                .into_iter()
                .map(|finding| Finding::new(finding, &units, as_of))
                .collect(),
        )
    }

    /// Interviews (约谈), newest first.
    async fn interviews(&self, ctx: &Context<'_>) -> Result<Vec<Interview>> {
        let principal = principal(ctx)?;
        let units = Units::load(ctx).await?;
        Ok(store::interviews(database(ctx), &scope_of(principal))
            .await?
            .into_iter()
            .map(|model| Interview::new(model, &units))
            .collect())
    }

    /// Consequences, newest first.
    async fn accountability_consequences(&self, ctx: &Context<'_>) -> Result<Vec<Consequence>> {
        let principal = principal(ctx)?;
        let units = Units::load(ctx).await?;
        Ok(store::consequences(database(ctx), &scope_of(principal))
            .await?
            .into_iter()
            .map(|model| Consequence::new(model, &units))
            .collect())
    }
}

/// A bureau or a town, by code: exactly one.
#[derive(InputObject, Default)]
pub struct UnitInput {
    pub bureau_code: Option<String>,
    pub town_code: Option<String>,
}

fn unit_ids(
    units: &Units,
    field: &str,
    unit: &UnitInput,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    match (unit.bureau_code.as_deref(), unit.town_code.as_deref()) {
        (Some(bureau), None) => Ok((
            Some(units.bureau_by_code(&format!("{field}.bureauCode"), bureau)?),
            None,
        )),
        (None, Some(town)) => Ok((
            None,
            Some(units.town_by_code(&format!("{field}.townCode"), town)?),
        )),
        _ => Err(ApiError::invalid(
            field,
            "name exactly one unit: a bureauCode or a townCode",
        )),
    }
}

#[derive(InputObject)]
pub struct FindingInput {
    pub description: String,
    pub severity: FindingSeverity,
    /// The unit that must rectify it.
    pub unit: UnitInput,
    /// The town concerned, when a bureau must act at a town's site.
    pub town_code: Option<String>,
    pub task_id: Option<ID>,
    pub rectification_deadline: NaiveDate,
}

#[derive(InputObject)]
pub struct RecordInspectionInput {
    pub kind: InspectionKind,
    pub inspected_on: NaiveDate,
    pub team: String,
    /// The unit inspected, if one.
    pub unit: Option<UnitInput>,
    #[graphql(default)]
    pub summary: String,
    #[graphql(default)]
    pub findings: Vec<FindingInput>,
}

#[derive(InputObject)]
pub struct ReportRectificationInput {
    pub finding_id: ID,
    pub rectified_on: NaiveDate,
    /// What was done.
    pub note: String,
}

#[derive(InputObject)]
pub struct CloseFindingInput {
    pub finding_id: ID,
    #[graphql(default)]
    pub note: String,
}

#[derive(InputObject)]
pub struct RecordInterviewInput {
    pub held_on: NaiveDate,
    pub unit: UnitInput,
    pub interviewee_name: String,
    pub interviewer_name: String,
    pub reason: String,
    pub finding_id: Option<ID>,
    pub task_id: Option<ID>,
    #[graphql(default)]
    pub notes: String,
}

#[derive(InputObject)]
pub struct RecordConsequenceInput {
    pub kind: ConsequenceKind,
    pub unit: UnitInput,
    pub person_name: String,
    pub decided_on: NaiveDate,
    /// The body that decided (e.g. 区委办公室).
    pub decided_by: String,
    pub reason: String,
    pub finding_id: Option<ID>,
    pub interview_id: Option<ID>,
}

fn optional_id(field: &str, node_type: NodeType, id: &Option<ID>) -> Result<Option<i64>, ApiError> {
    id.as_ref()
        .map(|id| decode_id(field, node_type, id))
        .transpose()
}

fn supervisor(principal: &Principal) -> Result<(), ApiError> {
    principal.require_write(DataDomain::Assessment, "supervision records")
}

#[derive(Default)]
pub struct SupervisionMutation;

#[Object]
impl SupervisionMutation {
    /// Records an inspection or unannounced visit with its findings (supervising office).
    async fn record_inspection(
        &self,
        ctx: &Context<'_>,
        input: RecordInspectionInput,
    ) -> Result<Inspection> {
        let principal = principal(ctx)?;
        supervisor(principal)?;
        let units = Units::load(ctx).await?;
        let (bureau_id, town_id) = match &input.unit {
            Some(unit) => unit_ids(&units, "input.unit", unit)?,
            None => (None, None),
        };
        let mut findings = Vec::with_capacity(input.findings.len());
        for (index, finding) in input.findings.iter().enumerate() {
            let field = format!("input.findings[{index}]");
            let (responsible_bureau_id, unit_town) =
                unit_ids(&units, &format!("{field}.unit"), &finding.unit)?;
            let town_id = match finding.town_code.as_deref() {
                Some(code) => Some(units.town_by_code(&format!("{field}.townCode"), code)?),
                None => unit_town,
            };
            if finding.rectification_deadline < input.inspected_on {
                return Err(ApiError::invalid(
                    format!("{field}.rectificationDeadline"),
                    "the rectification deadline cannot be before the inspection",
                )
                .into());
            }
            findings.push(NewFinding {
                task_id: optional_id(
                    &format!("{field}.taskId"),
                    NodeType::ResponsibilityTask,
                    &finding.task_id,
                )?,
                responsible_bureau_id,
                town_id,
                description: text_field(
                    &format!("{field}.description"),
                    &finding.description,
                    1000,
                )?,
                severity: match finding.severity {
                    FindingSeverity::Minor => "minor",
                    FindingSeverity::Major => "major",
                    FindingSeverity::Serious => "serious",
                },
                rectification_deadline: finding.rectification_deadline,
            });
        }
        let new = NewInspection {
            kind: match input.kind {
                InspectionKind::Tracking => "tracking",
                InspectionKind::Unannounced => "unannounced",
            },
            inspected_on: input.inspected_on,
            team: text_field("input.team", &input.team, 200)?,
            bureau_id,
            town_id,
            summary: input.summary.trim().chars().take(5000).collect(),
            findings,
        };
        let stored = store::record_inspection(database(ctx), &actor_of(principal), new).await?;
        Ok(Inspection {
            inspection: stored,
            units,
            scope: None,
            as_of: today_in_china(),
        })
    }

    /// The unit concerned reports a finding rectified.
    async fn report_rectification(
        &self,
        ctx: &Context<'_>,
        input: ReportRectificationInput,
    ) -> Result<Finding> {
        let principal = principal(ctx)?;
        let id = decode_id(
            "input.findingId",
            NodeType::InspectionFinding,
            &input.finding_id,
        )?;
        let db = database(ctx);
        let finding = store::find_finding(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("InspectionFinding", "with this ID"))?;
        let mine = finding
            .responsible_bureau_id
            .is_some_and(|id| principal.bureau_ids.contains(&id))
            || (finding.responsible_bureau_id.is_none()
                && finding
                    .town_id
                    .is_some_and(|id| principal.town_unit_ids.contains(&id)));
        if !mine || !principal.has_capability(auth::policy::AdminCapability::ChangeData) {
            return Err(ApiError::Forbidden(
                "only the unit that must rectify a finding may report it rectified".into(),
            )
            .into());
        }
        let today = today_in_china();
        if input.rectified_on > today {
            return Err(ApiError::invalid(
                "input.rectifiedOn",
                format!("{} is in the future", input.rectified_on),
            )
            .into());
        }
        let note = text_field("input.note", &input.note, 1000)?;
        let updated =
            store::report_rectification(db, &actor_of(principal), id, input.rectified_on, note)
                .await?;
        let units = Units::load(ctx).await?;
        Ok(Finding::new(updated, &units, today))
    }

    /// The supervising office closes a finding after checking it.
    async fn close_finding(&self, ctx: &Context<'_>, input: CloseFindingInput) -> Result<Finding> {
        let principal = principal(ctx)?;
        supervisor(principal)?;
        let id = decode_id(
            "input.findingId",
            NodeType::InspectionFinding,
            &input.finding_id,
        )?;
        let note = comment_field(&input.note)?;
        let updated = store::close_finding(database(ctx), &actor_of(principal), id, note).await?;
        let units = Units::load(ctx).await?;
        Ok(Finding::new(updated, &units, today_in_china()))
    }

    /// Records an interview (约谈) of a unit.
    async fn record_interview(
        &self,
        ctx: &Context<'_>,
        input: RecordInterviewInput,
    ) -> Result<Interview> {
        let principal = principal(ctx)?;
        supervisor(principal)?;
        let units = Units::load(ctx).await?;
        let (bureau_id, town_id) = unit_ids(&units, "input.unit", &input.unit)?;
        let new = NewInterview {
            held_on: input.held_on,
            bureau_id,
            town_id,
            interviewee_name: text_field("input.intervieweeName", &input.interviewee_name, 40)?,
            interviewer_name: text_field("input.interviewerName", &input.interviewer_name, 40)?,
            reason: text_field("input.reason", &input.reason, 1000)?,
            finding_id: optional_id(
                "input.findingId",
                NodeType::InspectionFinding,
                &input.finding_id,
            )?,
            task_id: optional_id("input.taskId", NodeType::ResponsibilityTask, &input.task_id)?,
            notes: input.notes.trim().chars().take(5000).collect(),
        };
        let stored = store::record_interview(database(ctx), &actor_of(principal), new).await?;
        Ok(Interview::new(stored, &units))
    }

    /// Records a consequence for those responsible (A7§4).
    async fn record_consequence(
        &self,
        ctx: &Context<'_>,
        input: RecordConsequenceInput,
    ) -> Result<Consequence> {
        let principal = principal(ctx)?;
        supervisor(principal)?;
        let units = Units::load(ctx).await?;
        let (bureau_id, town_id) = unit_ids(&units, "input.unit", &input.unit)?;
        let new = NewConsequence {
            kind: input.kind.code(),
            bureau_id,
            town_id,
            person_name: text_field("input.personName", &input.person_name, 40)?,
            decided_on: input.decided_on,
            decided_by: text_field("input.decidedBy", &input.decided_by, 100)?,
            reason: text_field("input.reason", &input.reason, 1000)?,
            finding_id: optional_id(
                "input.findingId",
                NodeType::InspectionFinding,
                &input.finding_id,
            )?,
            interview_id: optional_id(
                "input.interviewId",
                NodeType::Interview,
                &input.interview_id,
            )?,
        };
        let stored = store::record_consequence(database(ctx), &actor_of(principal), new).await?;
        Ok(Consequence::new(stored, &units))
    }
}
