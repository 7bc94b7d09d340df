//! The responsibility list over GraphQL (A7§1–2): "my tasks" for every unit, the matrix for the
//! lead bureau, a task's page with its history, and the report / review / extension workflow.
//!
//! Who may do what: a unit (bureau or town) sees the tasks it is responsible for or co-operates
//! on, and reports progress and asks for extensions on the tasks it is responsible for. Reading
//! the whole list needs the `responsibility` domain; creating and editing tasks, reviewing
//! reports and deciding extensions needs writing it (the lead bureau, 区发改局, by default).
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::{DateTime, NaiveDate, Utc};
use domain::responsibility::{
    validate_task_assignments, AssignmentRole, ProgressReport as DomainReport, TaskAssignment,
    TaskStatus as DomainTaskStatus,
};
use domain::text::{clean_line, clean_optional_line};

use super::access::principal;
use super::database;
use super::enums::TaskStatus;
use super::ids::{decode_id, encode_id, NodeType};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::entities::{
    bureau, task_attachment, task_event, task_extension_request, task_progress_report,
    task_stage_goal, town,
};
use crate::persistence::registry_writes::Actor;
use crate::persistence::responsibility::{
    self as store, NewExtension, NewReport, NewTask, TaskChanges, TaskFilter, TaskRecord, UnitId,
};

/// The bureaus and towns, loaded once per request to name the units of many tasks.
#[derive(Debug, Default)]
pub struct Units {
    bureaus: HashMap<i64, bureau::Model>,
    towns: HashMap<i64, town::Model>,
}

impl Units {
    pub async fn load(ctx: &Context<'_>) -> Result<Arc<Units>, ApiError> {
        let db = database(ctx);
        Ok(Arc::new(Units {
            bureaus: store::all_bureaus(db)
                .await?
                .into_iter()
                .map(|bureau| (bureau.id, bureau))
                .collect(),
            towns: store::all_towns(db)
                .await?
                .into_iter()
                .map(|town| (town.id, town))
                .collect(),
        }))
    }

    pub(crate) fn unit(&self, unit: UnitId) -> ResponsibleUnit {
        match unit {
            UnitId::Bureau(id) => match self.bureaus.get(&id) {
                Some(bureau) => ResponsibleUnit {
                    kind: UnitKind::Bureau,
                    code: bureau.code.clone(),
                    name: bureau.name.clone(),
                    short_name: bureau.short_name.clone(),
                },
                None => ResponsibleUnit::unknown(UnitKind::Bureau),
            },
            UnitId::Town(id) => match self.towns.get(&id) {
                Some(town) => ResponsibleUnit {
                    kind: UnitKind::Town,
                    code: town.division_code.clone(),
                    name: town.name.clone(),
                    short_name: town.name.clone(),
                },
                None => ResponsibleUnit::unknown(UnitKind::Town),
            },
        }
    }

    pub(crate) fn bureau_by_code(&self, field: &str, code: &str) -> Result<i64, ApiError> {
        self.bureaus
            .values()
            .find(|bureau| bureau.code == code.trim())
            .map(|bureau| bureau.id)
            .ok_or_else(|| {
                ApiError::invalid(field, format!("there is no bureau with the code {code:?}"))
            })
    }

    pub(crate) fn town_by_code(&self, field: &str, code: &str) -> Result<i64, ApiError> {
        self.towns
            .values()
            .find(|town| town.division_code == code.trim())
            .map(|town| town.id)
            .ok_or_else(|| {
                ApiError::invalid(
                    field,
                    format!("there is no town with the division code {code:?}"),
                )
            })
    }

    /// Exactly one of a bureau code and a town code (A7§2: one responsible unit).
    fn responsible(
        &self,
        bureau_code: Option<&str>,
        town_code: Option<&str>,
    ) -> Result<UnitId, ApiError> {
        match (bureau_code, town_code) {
            (Some(bureau), None) => Ok(UnitId::Bureau(
                self.bureau_by_code("input.responsibleBureauCode", bureau)?,
            )),
            (None, Some(town)) => Ok(UnitId::Town(
                self.town_by_code("input.responsibleTownCode", town)?,
            )),
            _ => Err(ApiError::invalid(
                "input.responsibleBureauCode",
                "a task has exactly one responsible unit (A7§2): give either responsibleBureauCode or responsibleTownCode, not both and not neither",
            )),
        }
    }
}

/// Whether a unit is a district bureau or a town.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// 区级部门
    Bureau,
    /// 镇办
    Town,
}

/// A unit responsible for tasks: a district bureau or a town (镇办).
#[derive(SimpleObject, Debug, Clone)]
pub struct ResponsibleUnit {
    pub kind: UnitKind,
    /// The bureau's code (e.g. `hrss`) or the town's division code (e.g. `610202100`).
    pub code: String,
    pub name: String,
    pub short_name: String,
}

impl ResponsibleUnit {
    fn unknown(kind: UnitKind) -> ResponsibleUnit {
        ResponsibleUnit {
            kind,
            code: String::new(),
            name: "未知单位".into(),
            short_name: "未知单位".into(),
        }
    }
}

/// How the signed-in user's units relate to a task.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskInvolvement {
    /// One of my units is the responsible unit: I report progress.
    Responsible,
    /// One of my units co-operates.
    Cooperating,
    /// Neither (I see it through the responsibility domain).
    None,
}

fn involvement(principal: &Principal, record: &TaskRecord) -> TaskInvolvement {
    let responsible = match record.unit() {
        UnitId::Bureau(id) => principal.bureau_ids.contains(&id),
        UnitId::Town(id) => principal.town_unit_ids.contains(&id),
    };
    if responsible {
        TaskInvolvement::Responsible
    } else if record
        .cooperating_bureau_ids
        .iter()
        .any(|id| principal.bureau_ids.contains(id))
    {
        TaskInvolvement::Cooperating
    } else {
        TaskInvolvement::None
    }
}

/// A principal may see a task through the responsibility domain or through one of its units.
pub fn may_see_task(principal: &Principal, record: &TaskRecord) -> bool {
    may_see(principal, record)
}

/// Only the responsible unit reports on a task and attaches its evidence.
pub fn may_attach_to(principal: &Principal, record: &TaskRecord) -> bool {
    involvement(principal, record) == TaskInvolvement::Responsible
        && principal.has_capability(auth::policy::AdminCapability::ChangeData)
}

fn may_see(principal: &Principal, record: &TaskRecord) -> bool {
    principal.permissions.can_read(DataDomain::Responsibility)
        || involvement(principal, record) != TaskInvolvement::None
}

pub(crate) fn actor_of(principal: &Principal) -> Actor {
    Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    }
}

/// A task of the responsibility list (责任清单), as of a day.
pub struct ResponsibilityTask {
    record: TaskRecord,
    as_of: NaiveDate,
    units: Arc<Units>,
    involvement: TaskInvolvement,
}

impl ResponsibilityTask {
    fn new(record: TaskRecord, as_of: NaiveDate, units: Arc<Units>, principal: &Principal) -> Self {
        let involvement = involvement(principal, &record);
        ResponsibilityTask {
            record,
            as_of,
            units,
            involvement,
        }
    }
}

#[Object]
impl ResponsibilityTask {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::ResponsibilityTask, self.record.task.id)
    }
    /// Stable code, e.g. RT-A2-01.
    async fn code(&self) -> &str {
        &self.record.task.code
    }
    async fn title(&self) -> &str {
        &self.record.task.title
    }
    async fn description(&self) -> &str {
        &self.record.task.description
    }
    /// The annex (1–7) the task comes from.
    async fn annex(&self) -> i32 {
        self.record.task.annex
    }
    /// The clause it implements, e.g. A2§3.1.
    async fn clause_ref(&self) -> &str {
        &self.record.task.clause_ref
    }
    /// The one lead leader (牵头领导, A7§2).
    async fn lead_leader_name(&self) -> &str {
        &self.record.task.lead_leader_name
    }
    /// The one responsible unit (责任单位, A7§2).
    async fn responsible_unit(&self) -> ResponsibleUnit {
        self.units.unit(self.record.unit())
    }
    /// Bureaus that co-operate (配合单位); they never share the responsibility.
    async fn cooperating_units(&self) -> Vec<ResponsibleUnit> {
        self.record
            .cooperating_bureau_ids
            .iter()
            .map(|id| self.units.unit(UnitId::Bureau(*id)))
            .collect()
    }
    /// The current deadline (moved only by an approved extension or by the lead bureau).
    async fn deadline(&self) -> NaiveDate {
        self.record.task.deadline
    }
    /// The day a 100 % report was accepted.
    async fn completed_on(&self) -> Option<NaiveDate> {
        self.record.task.completed_on
    }
    /// Whether it was completed after its deadline.
    async fn completed_late(&self) -> bool {
        self.record
            .task
            .completed_on
            .is_some_and(|on| domain::responsibility::completed_late(self.record.task.deadline, on))
    }
    /// The percentage of the latest report that was not sent back.
    async fn progress_percent(&self) -> i32 {
        i32::from(self.record.progress_percent)
    }
    /// The day the status is computed for.
    async fn as_of(&self) -> NaiveDate {
        self.as_of
    }
    /// Derived from the deadline, the progress and completion as of `asOf` (A7§1).
    async fn status(&self) -> TaskStatus {
        self.record.status(self.as_of).into()
    }
    /// Days from `asOf` to the deadline (negative when overdue).
    async fn days_left(&self) -> i64 {
        (self.record.task.deadline - self.as_of).num_days()
    }
    /// How my units relate to this task.
    async fn my_involvement(&self) -> TaskInvolvement {
        self.involvement
    }
    async fn version(&self) -> i32 {
        self.record.task.version
    }
    /// Stage goals with their deadlines (A7§1), in order.
    async fn stage_goals(&self, ctx: &Context<'_>) -> Result<Vec<StageGoal>> {
        Ok(store::stage_goals(database(ctx), self.record.task.id)
            .await?
            .into_iter()
            .map(|goal| StageGoal {
                goal,
                as_of: self.as_of,
            })
            .collect())
    }
    /// Progress reports, newest first.
    async fn progress_reports(&self, ctx: &Context<'_>) -> Result<Vec<ProgressReport>> {
        let db = database(ctx);
        let reports = store::progress_reports(db, self.record.task.id).await?;
        let attachments = store::attachments(db, self.record.task.id).await?;
        let names = store::user_names(
            db,
            reports
                .iter()
                .flat_map(|r| [r.reported_by_user_id, r.reviewed_by_user_id])
                .chain(attachments.iter().map(|a| a.uploaded_by_user_id))
                .flatten(),
        )
        .await?;
        Ok(reports
            .into_iter()
            .map(|report| ProgressReport::new(report, &names, &attachments, None))
            .collect())
    }
    /// Extension requests, newest first.
    async fn extension_requests(&self, ctx: &Context<'_>) -> Result<Vec<ExtensionRequest>> {
        let db = database(ctx);
        let requests = store::extension_requests(db, self.record.task.id).await?;
        let names = store::user_names(
            db,
            requests
                .iter()
                .flat_map(|r| [r.requested_by_user_id, r.decided_by_user_id])
                .flatten(),
        )
        .await?;
        Ok(requests
            .into_iter()
            .map(|request| ExtensionRequest::new(request, &names, None))
            .collect())
    }
    /// Everything that happened to the task, oldest first: who, what, when.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<TaskEvent>> {
        let db = database(ctx);
        let events = store::events(db, self.record.task.id).await?;
        let names = store::user_names(db, events.iter().filter_map(|e| e.actor_user_id)).await?;
        Ok(events
            .into_iter()
            .map(|event| TaskEvent::new(event, &names))
            .collect())
    }
    /// Evidence attached to the task and its reports.
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let db = database(ctx);
        let attachments = store::attachments(db, self.record.task.id).await?;
        let names =
            store::user_names(db, attachments.iter().filter_map(|a| a.uploaded_by_user_id)).await?;
        Ok(attachments
            .into_iter()
            .map(|attachment| Attachment::new(attachment, &names))
            .collect())
    }
}

/// A stage goal of a task (阶段目标, A7§1).
pub struct StageGoal {
    goal: task_stage_goal::Model,
    as_of: NaiveDate,
}

#[Object]
impl StageGoal {
    async fn id(&self) -> ID {
        encode_id(NodeType::TaskStageGoal, self.goal.id)
    }
    async fn seq(&self) -> i32 {
        self.goal.seq
    }
    async fn goal(&self) -> &str {
        &self.goal.goal
    }
    async fn deadline(&self) -> NaiveDate {
        self.goal.deadline
    }
    async fn achieved_on(&self) -> Option<NaiveDate> {
        self.goal.achieved_on
    }
    /// Derived like a task's status (achieved = DONE).
    async fn status(&self) -> TaskStatus {
        domain::responsibility::task_status(
            0,
            self.goal.deadline,
            self.as_of,
            self.goal.achieved_on,
        )
        .into()
    }
}

/// Where a report is in its review.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    /// 已提交: waiting for the lead bureau.
    Submitted,
    /// 已退回: sent back for rework; the unit files a new report.
    Returned,
    /// 已采纳
    Accepted,
}

/// A progress report (进展报告) and its review.
#[derive(SimpleObject)]
pub struct ProgressReport {
    pub id: ID,
    /// The task, when the report is listed outside its task (the review inbox).
    pub task: Option<TaskSummary>,
    pub stage_goal_id: Option<ID>,
    pub reported_on: NaiveDate,
    pub percent_complete: i32,
    pub narrative: String,
    pub status: ReportStatus,
    pub reported_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Why it was sent back, or the reviewer's remark.
    pub review_comment: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// The few fields of a task an inbox row needs.
#[derive(SimpleObject, Clone)]
pub struct TaskSummary {
    pub id: ID,
    pub code: String,
    pub title: String,
    pub responsible_unit: ResponsibleUnit,
}

impl ProgressReport {
    fn new(
        report: task_progress_report::Model,
        names: &HashMap<i64, String>,
        attachments: &[task_attachment::Model],
        task: Option<TaskSummary>,
    ) -> ProgressReport {
        let name = |id: Option<i64>| id.and_then(|id| names.get(&id).cloned());
        ProgressReport {
            id: encode_id(NodeType::ProgressReport, report.id),
            task,
            stage_goal_id: report
                .stage_goal_id
                .map(|id| encode_id(NodeType::TaskStageGoal, id)),
            reported_on: report.reported_on,
            percent_complete: report.percent_complete,
            status: match report.status.as_str() {
                "accepted" => ReportStatus::Accepted,
                "returned" => ReportStatus::Returned,
                _ => ReportStatus::Submitted,
            },
            reported_by: name(report.reported_by_user_id),
            reviewed_by: name(report.reviewed_by_user_id),
            reviewed_at: report.reviewed_at,
            review_comment: report.review_comment,
            attachments: attachments
                .iter()
                .filter(|a| a.progress_report_id == Some(report.id))
                .map(|a| Attachment::new(a.clone(), names))
                .collect(),
            narrative: report.narrative,
        }
    }
}

/// Where an extension request is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

/// A request to move a deadline (延期申请), decided by the lead bureau.
#[derive(SimpleObject)]
pub struct ExtensionRequest {
    pub id: ID,
    pub task: Option<TaskSummary>,
    pub stage_goal_id: Option<ID>,
    pub requested_at: DateTime<Utc>,
    pub requested_by: Option<String>,
    pub current_deadline: NaiveDate,
    pub requested_deadline: NaiveDate,
    pub reason: String,
    pub status: ExtensionStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
}

impl ExtensionRequest {
    fn new(
        request: task_extension_request::Model,
        names: &HashMap<i64, String>,
        task: Option<TaskSummary>,
    ) -> ExtensionRequest {
        let name = |id: Option<i64>| id.and_then(|id| names.get(&id).cloned());
        ExtensionRequest {
            id: encode_id(NodeType::ExtensionRequest, request.id),
            task,
            stage_goal_id: request
                .stage_goal_id
                .map(|id| encode_id(NodeType::TaskStageGoal, id)),
            requested_at: request.requested_at,
            requested_by: name(request.requested_by_user_id),
            current_deadline: request.current_deadline,
            requested_deadline: request.requested_deadline,
            status: match request.status.as_str() {
                "approved" => ExtensionStatus::Approved,
                "rejected" => ExtensionStatus::Rejected,
                "withdrawn" => ExtensionStatus::Withdrawn,
                _ => ExtensionStatus::Pending,
            },
            decided_by: name(request.decided_by_user_id),
            decided_at: request.decided_at,
            decision_comment: request.decision_comment,
            reason: request.reason,
        }
    }
}

/// What happened to a task.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskEventKind {
    Created,
    Updated,
    ReportSubmitted,
    ReportAccepted,
    ReportReturned,
    ExtensionRequested,
    ExtensionApproved,
    ExtensionRejected,
    Completed,
    AttachmentAdded,
}

/// One entry of a task's history: who did what, when, and the status before and after.
#[derive(SimpleObject)]
pub struct TaskEvent {
    pub kind: TaskEventKind,
    pub status_before: Option<TaskStatus>,
    pub status_after: TaskStatus,
    pub actor: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub note: String,
}

fn status_from_code(code: &str) -> Option<TaskStatus> {
    DomainTaskStatus::from_code(code).map(TaskStatus::from)
}

impl TaskEvent {
    fn new(event: task_event::Model, names: &HashMap<i64, String>) -> TaskEvent {
        TaskEvent {
            kind: match event.kind.as_str() {
                "created" => TaskEventKind::Created,
                "report_submitted" => TaskEventKind::ReportSubmitted,
                "report_accepted" => TaskEventKind::ReportAccepted,
                "report_returned" => TaskEventKind::ReportReturned,
                "extension_requested" => TaskEventKind::ExtensionRequested,
                "extension_approved" => TaskEventKind::ExtensionApproved,
                "extension_rejected" => TaskEventKind::ExtensionRejected,
                "completed" => TaskEventKind::Completed,
                "attachment_added" => TaskEventKind::AttachmentAdded,
                _ => TaskEventKind::Updated,
            },
            status_before: event.status_before.as_deref().and_then(status_from_code),
            status_after: status_from_code(&event.status_after).unwrap_or(TaskStatus::NotStarted),
            actor: event.actor_user_id.and_then(|id| names.get(&id).cloned()),
            occurred_at: event.occurred_at,
            note: event.note,
        }
    }
}

/// Evidence stored by the server; download it from `downloadPath` with the bearer token.
#[derive(SimpleObject, Clone)]
pub struct Attachment {
    pub id: ID,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: Option<String>,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: Option<String>,
    pub progress_report_id: Option<ID>,
    /// `GET` this path with `Authorization: Bearer …` to download the bytes.
    pub download_path: String,
}

impl Attachment {
    fn new(attachment: task_attachment::Model, names: &HashMap<i64, String>) -> Attachment {
        let id = encode_id(NodeType::TaskAttachment, attachment.id);
        Attachment {
            download_path: format!("/attachments/{}", id.as_str()),
            id,
            file_name: attachment.file_name,
            content_type: attachment.content_type,
            size_bytes: attachment.size_bytes,
            sha256: attachment.sha256,
            uploaded_at: attachment.uploaded_at,
            uploaded_by: attachment
                .uploaded_by_user_id
                .and_then(|id| names.get(&id).cloned()),
            progress_report_id: attachment
                .progress_report_id
                .map(|id| encode_id(NodeType::ProgressReport, id)),
        }
    }
}

/// A unit's tasks counted by status.
#[derive(SimpleObject, Debug, Clone)]
pub struct UnitTaskCounts {
    pub unit: ResponsibleUnit,
    pub total: i32,
    pub not_started: i32,
    pub on_track: i32,
    pub due_soon: i32,
    pub overdue: i32,
    pub done: i32,
}

/// A list of tasks as of a day, with counts per responsible unit.
#[derive(SimpleObject)]
pub struct TaskBoard {
    pub as_of: NaiveDate,
    /// Ordered by urgency: overdue, due soon, not started, on track, done; then deadline.
    pub tasks: Vec<ResponsibilityTask>,
    /// Per responsible unit, the units with most overdue then due-soon tasks first.
    pub units: Vec<UnitTaskCounts>,
    /// The whole list counted by status.
    pub totals: UnitTaskCounts,
}

fn urgency(status: DomainTaskStatus) -> u8 {
    match status {
        DomainTaskStatus::Overdue => 0,
        DomainTaskStatus::DueSoon => 1,
        DomainTaskStatus::NotStarted => 2,
        DomainTaskStatus::OnTrack => 3,
        DomainTaskStatus::Done => 4,
    }
}

fn counts_of(unit: ResponsibleUnit, statuses: &HashMap<DomainTaskStatus, u32>) -> UnitTaskCounts {
    let of =
        |status| i32::try_from(statuses.get(&status).copied().unwrap_or(0)).unwrap_or(i32::MAX);
    UnitTaskCounts {
        unit,
        total: i32::try_from(statuses.values().sum::<u32>()).unwrap_or(i32::MAX),
        not_started: of(DomainTaskStatus::NotStarted),
        on_track: of(DomainTaskStatus::OnTrack),
        due_soon: of(DomainTaskStatus::DueSoon),
        overdue: of(DomainTaskStatus::Overdue),
        done: of(DomainTaskStatus::Done),
    }
}

fn board(
    records: Vec<TaskRecord>,
    as_of: NaiveDate,
    statuses: Option<&[TaskStatus]>,
    units: Arc<Units>,
    principal: &Principal,
) -> TaskBoard {
    let mut records: Vec<TaskRecord> = records
        .into_iter()
        .filter(|record| {
            statuses.is_none_or(|wanted| wanted.contains(&record.status(as_of).into()))
        })
        .collect();
    records.sort_by_key(|record| {
        (
            urgency(record.status(as_of)),
            record.task.deadline,
            record.task.code.clone(),
        )
    });
    let per_unit = store::count_by_unit(&records, as_of);
    let mut all: HashMap<DomainTaskStatus, u32> = HashMap::new();
    for statuses in per_unit.values() {
        for (status, count) in statuses {
            *all.entry(*status).or_default() += count;
        }
    }
    let mut unit_counts: Vec<UnitTaskCounts> = per_unit
        .iter()
        .map(|(unit, statuses)| counts_of(units.unit(*unit), statuses))
        .collect();
    unit_counts.sort_by(|a, b| {
        (b.overdue, b.due_soon, a.unit.code.as_str()).cmp(&(
            a.overdue,
            a.due_soon,
            b.unit.code.as_str(),
        ))
    });
    let totals = counts_of(
        ResponsibleUnit {
            kind: UnitKind::Bureau,
            code: "all".into(),
            name: "全部".into(),
            short_name: "全部".into(),
        },
        &all,
    );
    TaskBoard {
        as_of,
        tasks: records
            .into_iter()
            .map(|record| ResponsibilityTask::new(record, as_of, units.clone(), principal))
            .collect(),
        units: unit_counts,
        totals,
    }
}

/// Narrows the matrix.
#[derive(InputObject, Default)]
pub struct TaskFilterInput {
    /// Annex 1–7.
    pub annex: Option<i32>,
    /// Tasks this bureau is responsible for or co-operates on.
    pub bureau_code: Option<String>,
    /// Tasks this town (division code) is responsible for.
    pub town_code: Option<String>,
    /// Only these statuses (as of `asOf`).
    pub statuses: Option<Vec<TaskStatus>>,
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
}

/// The lead bureau's queue.
#[derive(SimpleObject)]
pub struct ResponsibilityInbox {
    /// Submitted reports waiting for review, oldest first.
    pub reports_to_review: Vec<ProgressReport>,
    /// Extension requests waiting for a decision, oldest first.
    pub extensions_to_decide: Vec<ExtensionRequest>,
}

/// The tasks of an inbox's rows, in one query.
async fn summaries(
    ctx: &Context<'_>,
    units: &Units,
    task_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, TaskSummary>, ApiError> {
    let filter = TaskFilter {
        ids: Some(task_ids.into_iter().collect()),
        ..TaskFilter::default()
    };
    Ok(store::list_tasks(database(ctx), &filter)
        .await?
        .into_iter()
        .map(|record| {
            let summary = TaskSummary {
                id: encode_id(NodeType::ResponsibilityTask, record.task.id),
                code: record.task.code.clone(),
                title: record.task.title.clone(),
                responsible_unit: units.unit(record.unit()),
            };
            (record.task.id, summary)
        })
        .collect())
}

#[derive(Default)]
pub struct ResponsibilityQuery;

#[Object]
impl ResponsibilityQuery {
    /// The tasks my units are responsible for or co-operate on, most urgent first. `asOf`
    /// defaults to today (China Standard Time).
    async fn my_tasks(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> Result<TaskBoard> {
        let principal = principal(ctx)?;
        let as_of = as_of.unwrap_or_else(today_in_china);
        let units = Units::load(ctx).await?;
        let filter = TaskFilter {
            involving: Some((
                principal.bureau_ids.clone(),
                principal.town_unit_ids.clone(),
            )),
            ..TaskFilter::default()
        };
        let records = store::list_tasks(database(ctx), &filter).await?;
        Ok(board(records, as_of, None, units, principal))
    }

    /// The whole responsibility list (the matrix of tasks × units), filtered; needs the
    /// `responsibility` domain.
    async fn responsibility_matrix(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilterInput>,
        as_of: Option<NaiveDate>,
    ) -> Result<TaskBoard> {
        let principal = principal(ctx)?;
        principal.require_read(DataDomain::Responsibility, "Query.responsibilityMatrix")?;
        let as_of = as_of.unwrap_or_else(today_in_china);
        let units = Units::load(ctx).await?;
        let filter = filter.unwrap_or_default();
        if let Some(annex) = filter.annex {
            if !(1..=7).contains(&annex) {
                return Err(
                    ApiError::invalid("filter.annex", "annexes are numbered 1 to 7").into(),
                );
            }
        }
        let store_filter = TaskFilter {
            annex: filter.annex,
            bureau_id: filter
                .bureau_code
                .as_deref()
                .map(|code| units.bureau_by_code("filter.bureauCode", code))
                .transpose()?,
            town_id: filter
                .town_code
                .as_deref()
                .map(|code| units.town_by_code("filter.townCode", code))
                .transpose()?,
            deadline_from: filter.deadline_from,
            deadline_to: filter.deadline_to,
            involving: None,
            ids: None,
        };
        let records = store::list_tasks(database(ctx), &store_filter).await?;
        Ok(board(
            records,
            as_of,
            filter.statuses.as_deref(),
            units,
            principal,
        ))
    }

    /// One task, if I may see it.
    async fn responsibility_task(
        &self,
        ctx: &Context<'_>,
        id: ID,
        as_of: Option<NaiveDate>,
    ) -> Result<Option<ResponsibilityTask>> {
        let task_id = decode_id("id", NodeType::ResponsibilityTask, &id)?;
        resolve_task(ctx, task_id, as_of.unwrap_or_else(today_in_china)).await
    }

    /// Reports to review and extensions to decide: the lead bureau's queue.
    async fn responsibility_inbox(&self, ctx: &Context<'_>) -> Result<ResponsibilityInbox> {
        let principal = principal(ctx)?;
        principal.require_write(DataDomain::Responsibility, "the responsibility list")?;
        let db = database(ctx);
        let units = Units::load(ctx).await?;
        let reports = store::reports_to_review(db).await?;
        let requests = store::extensions_to_decide(db).await?;
        let tasks = summaries(
            ctx,
            &units,
            reports
                .iter()
                .map(|r| r.task_id)
                .chain(requests.iter().map(|r| r.task_id)),
        )
        .await?;
        let names = store::user_names(
            db,
            reports
                .iter()
                .filter_map(|r| r.reported_by_user_id)
                .chain(requests.iter().filter_map(|r| r.requested_by_user_id)),
        )
        .await?;
        Ok(ResponsibilityInbox {
            reports_to_review: reports
                .into_iter()
                .map(|report| {
                    let task = tasks.get(&report.task_id).cloned();
                    ProgressReport::new(report, &names, &[], task)
                })
                .collect(),
            extensions_to_decide: requests
                .into_iter()
                .map(|request| {
                    let task = tasks.get(&request.task_id).cloned();
                    ExtensionRequest::new(request, &names, task)
                })
                .collect(),
        })
    }
}

/// A task by number, if the principal may see it (NOT_FOUND otherwise would leak nothing
/// either: `None` is returned the same way for both).
pub async fn resolve_task(
    ctx: &Context<'_>,
    task_id: i64,
    as_of: NaiveDate,
) -> Result<Option<ResponsibilityTask>> {
    let principal = principal(ctx)?;
    let Some(record) = store::find_task(database(ctx), task_id).await? else {
        return Ok(None);
    };
    if !may_see(principal, &record) {
        return Ok(None);
    }
    let units = Units::load(ctx).await?;
    Ok(Some(ResponsibilityTask::new(
        record, as_of, units, principal,
    )))
}

/// A stage goal of a new task.
#[derive(InputObject)]
pub struct StageGoalInput {
    pub goal: String,
    pub deadline: NaiveDate,
}

#[derive(InputObject)]
pub struct CreateTaskInput {
    /// Stable code: 2–32 of A–Z, 0–9 and '-', e.g. RT-A2-09.
    pub code: String,
    pub title: String,
    #[graphql(default)]
    pub description: String,
    /// Annex 1–7.
    pub annex: i32,
    /// The clause, e.g. A2§3.1.
    pub clause_ref: String,
    /// The one lead leader (A7§2).
    pub lead_leader_name: String,
    /// The responsible bureau's code — or give `responsibleTownCode`; exactly one (A7§2).
    pub responsible_bureau_code: Option<String>,
    /// The responsible town's division code.
    pub responsible_town_code: Option<String>,
    /// Bureaus that co-operate; never the responsible one.
    #[graphql(default)]
    pub cooperating_bureau_codes: Vec<String>,
    pub deadline: NaiveDate,
    #[graphql(default)]
    pub stage_goals: Vec<StageGoalInput>,
}

#[derive(InputObject)]
pub struct UpdateTaskInput {
    pub id: ID,
    /// The version last read; a stale version is refused with CONFLICT.
    pub version: i32,
    pub title: Option<String>,
    pub description: Option<String>,
    pub clause_ref: Option<String>,
    pub lead_leader_name: Option<String>,
    /// Give one of the two to change the responsible unit.
    pub responsible_bureau_code: Option<String>,
    pub responsible_town_code: Option<String>,
    pub cooperating_bureau_codes: Option<Vec<String>>,
    pub deadline: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct SubmitProgressReportInput {
    pub task_id: ID,
    /// The stage goal this report says is achieved (marked achieved when the report is accepted).
    pub stage_goal_id: Option<ID>,
    /// 0–100; a report at 100 completes the task once accepted.
    pub percent_complete: i64,
    /// What was done (1–2000 characters).
    pub narrative: String,
    /// Defaults to today.
    pub reported_on: Option<NaiveDate>,
}

/// The lead bureau's decision on a report.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    /// 采纳
    Accept,
    /// 退回重报: needs a comment saying what to fix.
    Return,
}

#[derive(InputObject)]
pub struct ReviewProgressReportInput {
    pub report_id: ID,
    pub decision: ReviewDecision,
    /// Required when returning: what must be reworked.
    #[graphql(default)]
    pub comment: String,
}

#[derive(InputObject)]
pub struct RequestExtensionInput {
    pub task_id: ID,
    /// Extend one stage goal's deadline instead of the task's.
    pub stage_goal_id: Option<ID>,
    pub requested_deadline: NaiveDate,
    /// Why more time is needed (1–500 characters).
    pub reason: String,
}

#[derive(InputObject)]
pub struct DecideExtensionInput {
    pub request_id: ID,
    pub approve: bool,
    #[graphql(default)]
    pub comment: String,
}

pub(crate) fn text_field(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    clean_line(value, field, max).map_err(|error| ApiError::invalid(field, error))
}

/// An optional comment: blank is empty, otherwise one clean line of at most 1000 characters.
pub(crate) fn comment_field(value: &str) -> Result<String, ApiError> {
    clean_optional_line(value, "input.comment", 1000)
        .map(Option::unwrap_or_default)
        .map_err(|error| ApiError::invalid("input.comment", error))
}

fn task_code(value: &str) -> Result<String, ApiError> {
    let code = value.trim().to_string();
    let valid = (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(code)
    } else {
        Err(ApiError::invalid(
            "input.code",
            format!("{value:?} is not a task code: use 2–32 of A–Z, 0–9 and '-', e.g. RT-A2-09"),
        ))
    }
}

/// Checks A7§2 on names: one lead leader, one responsible unit, co-operators distinct and not
/// the responsible one.
fn check_assignments(
    units: &Units,
    leader: &str,
    unit: UnitId,
    cooperating: &[i64],
) -> Result<(), ApiError> {
    let mut assignments = vec![
        TaskAssignment {
            role: AssignmentRole::LeadLeader,
            assignee: leader.to_string(),
        },
        TaskAssignment {
            role: AssignmentRole::ResponsibleDepartment,
            assignee: units.unit(unit).name,
        },
    ];
    assignments.extend(cooperating.iter().map(|id| TaskAssignment {
        role: AssignmentRole::CooperatingDepartment,
        assignee: units.unit(UnitId::Bureau(*id)).name,
    }));
    validate_task_assignments(&assignments)
        .map_err(|error| ApiError::invalid("input.cooperatingBureauCodes", error))
}

fn bureau_ids(units: &Units, codes: &[String]) -> Result<Vec<i64>, ApiError> {
    codes
        .iter()
        .enumerate()
        .map(|(index, code)| {
            units.bureau_by_code(&format!("input.cooperatingBureauCodes[{index}]"), code)
        })
        .collect()
}

/// The task a unit acts on: it must exist, be visible and the principal's unit must be the
/// responsible one.
async fn task_of_my_unit(
    ctx: &Context<'_>,
    principal: &Principal,
    field: &str,
    id: &ID,
    what: &str,
) -> Result<TaskRecord, ApiError> {
    let task_id = decode_id(field, NodeType::ResponsibilityTask, id)?;
    let record = store::find_task(database(ctx), task_id)
        .await?
        .filter(|record| may_see(principal, record))
        .ok_or_else(|| ApiError::not_found("ResponsibilityTask", "with this ID"))?;
    if involvement(principal, &record) != TaskInvolvement::Responsible
        || !principal.has_capability(auth::policy::AdminCapability::ChangeData)
    {
        return Err(ApiError::Forbidden(format!(
            "only the responsible unit of task {} may {what}",
            record.task.code
        )));
    }
    Ok(record)
}

#[derive(Default)]
pub struct ResponsibilityMutation;

#[Object]
impl ResponsibilityMutation {
    /// Adds a task to the responsibility list (lead bureau).
    async fn create_responsibility_task(
        &self,
        ctx: &Context<'_>,
        input: CreateTaskInput,
    ) -> Result<ResponsibilityTask> {
        let principal = principal(ctx)?;
        principal.require_write(DataDomain::Responsibility, "the responsibility list")?;
        let units = Units::load(ctx).await?;
        let unit = units.responsible(
            input.responsible_bureau_code.as_deref(),
            input.responsible_town_code.as_deref(),
        )?;
        let cooperating = bureau_ids(&units, &input.cooperating_bureau_codes)?;
        let leader = text_field("input.leadLeaderName", &input.lead_leader_name, 40)?;
        check_assignments(&units, &leader, unit, &cooperating)?;
        if !(1..=7).contains(&input.annex) {
            return Err(ApiError::invalid("input.annex", "annexes are numbered 1 to 7").into());
        }
        let mut stage_goals = Vec::with_capacity(input.stage_goals.len());
        for (index, stage) in input.stage_goals.iter().enumerate() {
            if stage.deadline > input.deadline {
                return Err(ApiError::invalid(
                    format!("input.stageGoals[{index}].deadline"),
                    format!(
                        "a stage goal's deadline ({}) cannot be after the task's ({})",
                        stage.deadline, input.deadline
                    ),
                )
                .into());
            }
            stage_goals.push((
                text_field(&format!("input.stageGoals[{index}].goal"), &stage.goal, 500)?,
                stage.deadline,
            ));
        }
        let new = NewTask {
            code: task_code(&input.code)?,
            title: text_field("input.title", &input.title, 200)?,
            description: input.description.trim().chars().take(5000).collect(),
            annex: input.annex,
            clause_ref: text_field("input.clauseRef", &input.clause_ref, 32)?,
            lead_leader_name: leader,
            unit,
            cooperating_bureau_ids: cooperating,
            deadline: input.deadline,
            stage_goals,
        };
        let today = today_in_china();
        let record = store::create_task(database(ctx), &actor_of(principal), new, today).await?;
        Ok(ResponsibilityTask::new(record, today, units, principal))
    }

    /// Edits a task (lead bureau); the history records the change.
    async fn update_responsibility_task(
        &self,
        ctx: &Context<'_>,
        input: UpdateTaskInput,
    ) -> Result<ResponsibilityTask> {
        let principal = principal(ctx)?;
        principal.require_write(DataDomain::Responsibility, "the responsibility list")?;
        let id = decode_id("input.id", NodeType::ResponsibilityTask, &input.id)?;
        let units = Units::load(ctx).await?;
        let current = store::find_task(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("ResponsibilityTask", "with this ID"))?;
        let unit = match (
            input.responsible_bureau_code.as_deref(),
            input.responsible_town_code.as_deref(),
        ) {
            (None, None) => None,
            (bureau, town) => Some(units.responsible(bureau, town)?),
        };
        let cooperating = input
            .cooperating_bureau_codes
            .as_deref()
            .map(|codes| bureau_ids(&units, codes))
            .transpose()?;
        let leader = input
            .lead_leader_name
            .as_deref()
            .map(|name| text_field("input.leadLeaderName", name, 40))
            .transpose()?;
        check_assignments(
            &units,
            leader.as_deref().unwrap_or(&current.task.lead_leader_name),
            unit.unwrap_or_else(|| current.unit()),
            cooperating
                .as_deref()
                .unwrap_or(&current.cooperating_bureau_ids),
        )?;
        let changes = TaskChanges {
            title: input
                .title
                .as_deref()
                .map(|title| text_field("input.title", title, 200))
                .transpose()?,
            description: input
                .description
                .map(|text| text.trim().chars().take(5000).collect()),
            clause_ref: input
                .clause_ref
                .as_deref()
                .map(|clause| text_field("input.clauseRef", clause, 32))
                .transpose()?,
            lead_leader_name: leader,
            unit,
            cooperating_bureau_ids: cooperating,
            deadline: input.deadline,
        };
        let today = today_in_china();
        let record = store::update_task(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            changes,
            today,
        )
        .await?;
        Ok(ResponsibilityTask::new(record, today, units, principal))
    }

    /// The responsible unit reports progress; the lead bureau reviews it.
    async fn submit_progress_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitProgressReportInput,
    ) -> Result<ProgressReport> {
        let principal = principal(ctx)?;
        let record = task_of_my_unit(
            ctx,
            principal,
            "input.taskId",
            &input.task_id,
            "report progress",
        )
        .await?;
        let today = today_in_china();
        let report = DomainReport::parse(
            input.percent_complete,
            &input.narrative,
            input.reported_on.unwrap_or(today),
            today,
        )
        .map_err(|error| {
            let field = match error {
                domain::responsibility::ReportError::PercentOutOfRange(_) => {
                    "input.percentComplete"
                }
                domain::responsibility::ReportError::NarrativeLength => "input.narrative",
                domain::responsibility::ReportError::InTheFuture { .. } => "input.reportedOn",
            };
            ApiError::invalid(field, error)
        })?;
        let stage_goal_id = input
            .stage_goal_id
            .as_ref()
            .map(|id| decode_id("input.stageGoalId", NodeType::TaskStageGoal, id))
            .transpose()?;
        let stored = store::submit_report(
            database(ctx),
            &actor_of(principal),
            NewReport {
                task_id: record.task.id,
                stage_goal_id,
                reported_on: report.reported_on,
                percent_complete: report.percent_complete,
                narrative: report.narrative,
            },
            today,
        )
        .await?;
        let names = HashMap::from([(principal.user_id, principal.display_name.clone())]);
        Ok(ProgressReport::new(stored, &names, &[], None))
    }

    /// The lead bureau accepts a report or sends it back for rework.
    async fn review_progress_report(
        &self,
        ctx: &Context<'_>,
        input: ReviewProgressReportInput,
    ) -> Result<ProgressReport> {
        let principal = principal(ctx)?;
        principal.require_write(DataDomain::Responsibility, "the responsibility list")?;
        let report_id = decode_id("input.reportId", NodeType::ProgressReport, &input.report_id)?;
        let comment = comment_field(&input.comment)?;
        if input.decision == ReviewDecision::Return && comment.is_empty() {
            return Err(ApiError::invalid(
                "input.comment",
                "say what must be reworked when sending a report back",
            )
            .into());
        }
        let db = database(ctx);
        let reviewed = store::review_report(
            db,
            &actor_of(principal),
            report_id,
            input.decision == ReviewDecision::Accept,
            comment,
            today_in_china(),
        )
        .await?;
        let names = store::user_names(
            db,
            [reviewed.reported_by_user_id, reviewed.reviewed_by_user_id]
                .into_iter()
                .flatten(),
        )
        .await?;
        Ok(ProgressReport::new(reviewed, &names, &[], None))
    }

    /// The responsible unit asks to move a deadline; the lead bureau decides.
    async fn request_deadline_extension(
        &self,
        ctx: &Context<'_>,
        input: RequestExtensionInput,
    ) -> Result<ExtensionRequest> {
        let principal = principal(ctx)?;
        let record = task_of_my_unit(
            ctx,
            principal,
            "input.taskId",
            &input.task_id,
            "ask for an extension",
        )
        .await?;
        let stage_goal_id = input
            .stage_goal_id
            .as_ref()
            .map(|id| decode_id("input.stageGoalId", NodeType::TaskStageGoal, id))
            .transpose()?;
        let reason = text_field("input.reason", &input.reason, 500)?;
        let stored = store::request_extension(
            database(ctx),
            &actor_of(principal),
            NewExtension {
                task_id: record.task.id,
                stage_goal_id,
                requested_deadline: input.requested_deadline,
                reason,
            },
            today_in_china(),
        )
        .await?;
        let names = HashMap::from([(principal.user_id, principal.display_name.clone())]);
        Ok(ExtensionRequest::new(stored, &names, None))
    }

    /// The lead bureau approves (the deadline moves) or rejects an extension request.
    async fn decide_deadline_extension(
        &self,
        ctx: &Context<'_>,
        input: DecideExtensionInput,
    ) -> Result<ExtensionRequest> {
        let principal = principal(ctx)?;
        principal.require_write(DataDomain::Responsibility, "the responsibility list")?;
        let request_id = decode_id(
            "input.requestId",
            NodeType::ExtensionRequest,
            &input.request_id,
        )?;
        let comment = comment_field(&input.comment)?;
        if !input.approve && comment.is_empty() {
            return Err(ApiError::invalid(
                "input.comment",
                "say why when rejecting an extension request",
            )
            .into());
        }
        let db = database(ctx);
        let decided = store::decide_extension(
            db,
            &actor_of(principal),
            request_id,
            input.approve,
            comment,
            today_in_china(),
        )
        .await?;
        let names = store::user_names(
            db,
            [decided.requested_by_user_id, decided.decided_by_user_id]
                .into_iter()
                .flatten(),
        )
        .await?;
        Ok(ExtensionRequest::new(decided, &names, None))
    }
}
