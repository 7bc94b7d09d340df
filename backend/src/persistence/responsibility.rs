//! Queries and writes of the responsibility list (责任清单, A7§1–2): tasks, stage goals,
//! progress reports and their review, extension requests, evidence attachments and the task
//! history. Every write is one transaction with its audit entry and task event.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::responsibility::{task_status, TaskStatus};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::database::begin_write;
use super::entities::{
    bureau, responsibility_task, task_attachment, task_cooperating_bureau, task_event,
    task_extension_request, task_progress_report, task_stage_goal, town, user,
};
use super::registry_writes::{audit, Actor};
use crate::error::{ApiError, ApiResult};

/// The unit a task belongs to: one district bureau or one town (A7§2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitId {
    Bureau(i64),
    Town(i64),
}

/// A task with what its derived status needs: the progress last reported (returned reports do
/// not count) and the co-operating bureaus.
#[derive(Debug, Clone)]
pub struct TaskRecord {
    pub task: responsibility_task::Model,
    pub progress_percent: u8,
    pub cooperating_bureau_ids: Vec<i64>,
}

impl TaskRecord {
    pub fn unit(&self) -> UnitId {
        unit_of(&self.task)
    }

    /// The status as of `today`: derived, never typed by hand (A7§1).
    pub fn status(&self, today: NaiveDate) -> TaskStatus {
        task_status(
            self.progress_percent,
            self.task.deadline,
            today,
            self.task.completed_on,
        )
    }
}

pub fn unit_of(task: &responsibility_task::Model) -> UnitId {
    match (task.responsible_bureau_id, task.responsible_town_id) {
        (Some(bureau), _) => UnitId::Bureau(bureau),
        (None, Some(town)) => UnitId::Town(town),
        // The CHECK constraint makes this unreachable; a bureau id of 0 matches nobody.
        (None, None) => UnitId::Bureau(0),
    }
}

/// Which tasks to list. Every field narrows the list; `None` does not.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub annex: Option<i32>,
    /// Tasks this bureau is responsible for or co-operates on.
    pub bureau_id: Option<i64>,
    /// Tasks this town is responsible for.
    pub town_id: Option<i64>,
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
    /// Only tasks one of these units is responsible for or co-operates on ("my tasks").
    pub involving: Option<(Vec<i64>, Vec<i64>)>,
    /// Only these tasks.
    pub ids: Option<Vec<i64>>,
}

/// The tasks matching `filter`, ordered by deadline then code, in three statements.
pub async fn list_tasks(
    db: &impl ConnectionTrait,
    filter: &TaskFilter,
) -> ApiResult<Vec<TaskRecord>> {
    let cooperating_on = |bureaus: Vec<i64>| {
        Query::select()
            .column(task_cooperating_bureau::Column::TaskId)
            .from(task_cooperating_bureau::Entity)
            .and_where(Expr::col(task_cooperating_bureau::Column::BureauId).is_in(bureaus))
            .to_owned()
    };
    let mut condition = Condition::all();
    if let Some(annex) = filter.annex {
        condition = condition.add(responsibility_task::Column::Annex.eq(annex));
    }
    if let Some(bureau_id) = filter.bureau_id {
        condition = condition.add(
            Condition::any()
                .add(responsibility_task::Column::ResponsibleBureauId.eq(bureau_id))
                .add(responsibility_task::Column::Id.in_subquery(cooperating_on(vec![bureau_id]))),
        );
    }
    if let Some(town_id) = filter.town_id {
        condition = condition.add(responsibility_task::Column::ResponsibleTownId.eq(town_id));
    }
    if let Some(from) = filter.deadline_from {
        condition = condition.add(responsibility_task::Column::Deadline.gte(from));
    }
    if let Some(to) = filter.deadline_to {
        condition = condition.add(responsibility_task::Column::Deadline.lte(to));
    }
    if let Some(ids) = &filter.ids {
        condition = condition.add(responsibility_task::Column::Id.is_in(ids.clone()));
    }
    if let Some((bureaus, towns)) = &filter.involving {
        condition = condition.add(
            Condition::any()
                .add(responsibility_task::Column::ResponsibleBureauId.is_in(bureaus.clone()))
                .add(responsibility_task::Column::ResponsibleTownId.is_in(towns.clone()))
                .add(responsibility_task::Column::Id.in_subquery(cooperating_on(bureaus.clone()))),
        );
    }
    let tasks = responsibility_task::Entity::find()
        .filter(condition)
        .order_by_asc(responsibility_task::Column::Deadline)
        .order_by_asc(responsibility_task::Column::Code)
        .all(db)
        .await?;
    with_progress_and_cooperation(db, tasks).await
}

pub async fn find_task(db: &impl ConnectionTrait, id: i64) -> ApiResult<Option<TaskRecord>> {
    let Some(task) = responsibility_task::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(with_progress_and_cooperation(db, vec![task]).await?.pop())
}

async fn with_progress_and_cooperation(
    db: &impl ConnectionTrait,
    tasks: Vec<responsibility_task::Model>,
) -> ApiResult<Vec<TaskRecord>> {
    if tasks.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = tasks.iter().map(|task| task.id).collect();
    let progress = latest_progress(db, &ids).await?;
    let mut cooperating: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in task_cooperating_bureau::Entity::find()
        .filter(task_cooperating_bureau::Column::TaskId.is_in(ids))
        .order_by_asc(task_cooperating_bureau::Column::BureauId)
        .all(db)
        .await?
    {
        cooperating
            .entry(row.task_id)
            .or_default()
            .push(row.bureau_id);
    }
    Ok(tasks
        .into_iter()
        .map(|task| TaskRecord {
            progress_percent: progress.get(&task.id).copied().unwrap_or(0),
            cooperating_bureau_ids: cooperating.remove(&task.id).unwrap_or_default(),
            task,
        })
        .collect())
}

/// The percentage of each task's latest submitted or accepted report.
async fn latest_progress(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<HashMap<i64, u8>> {
    let backend = db.get_database_backend();
    let placeholders = match backend {
        sea_orm::DatabaseBackend::Postgres => (1..=ids.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", "),
        _ => vec!["?"; ids.len()].join(", "),
    };
    let sql = format!(
        "SELECT task_id, percent_complete FROM (
             SELECT task_id, percent_complete,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY reported_on DESC, id DESC) AS n
             FROM task_progress_report
             WHERE status <> 'returned' AND task_id IN ({placeholders})
         ) latest WHERE n = 1"
    );
    let rows = db
        .query_all(Statement::from_sql_and_values(
            backend,
            sql,
            ids.iter().map(|id| (*id).into()),
        ))
        .await?;
    let mut progress = HashMap::new();
    for row in rows {
        let task_id: i64 = row.try_get("", "task_id")?;
        let percent: i32 = row.try_get("", "percent_complete")?;
        progress.insert(task_id, u8::try_from(percent.clamp(0, 100)).unwrap_or(0));
    }
    Ok(progress)
}

pub async fn stage_goals(
    db: &impl ConnectionTrait,
    task_id: i64,
) -> ApiResult<Vec<task_stage_goal::Model>> {
    Ok(task_stage_goal::Entity::find()
        .filter(task_stage_goal::Column::TaskId.eq(task_id))
        .order_by_asc(task_stage_goal::Column::Seq)
        .all(db)
        .await?)
}

pub async fn progress_reports(
    db: &impl ConnectionTrait,
    task_id: i64,
) -> ApiResult<Vec<task_progress_report::Model>> {
    Ok(task_progress_report::Entity::find()
        .filter(task_progress_report::Column::TaskId.eq(task_id))
        .order_by_desc(task_progress_report::Column::ReportedOn)
        .order_by_desc(task_progress_report::Column::Id)
        .all(db)
        .await?)
}

pub async fn extension_requests(
    db: &impl ConnectionTrait,
    task_id: i64,
) -> ApiResult<Vec<task_extension_request::Model>> {
    Ok(task_extension_request::Entity::find()
        .filter(task_extension_request::Column::TaskId.eq(task_id))
        .order_by_desc(task_extension_request::Column::RequestedAt)
        .order_by_desc(task_extension_request::Column::Id)
        .all(db)
        .await?)
}

pub async fn events(db: &impl ConnectionTrait, task_id: i64) -> ApiResult<Vec<task_event::Model>> {
    Ok(task_event::Entity::find()
        .filter(task_event::Column::TaskId.eq(task_id))
        .order_by_asc(task_event::Column::OccurredAt)
        .order_by_asc(task_event::Column::Id)
        .all(db)
        .await?)
}

pub async fn attachments(
    db: &impl ConnectionTrait,
    task_id: i64,
) -> ApiResult<Vec<task_attachment::Model>> {
    Ok(task_attachment::Entity::find()
        .filter(task_attachment::Column::TaskId.eq(task_id))
        .order_by_asc(task_attachment::Column::UploadedAt)
        .order_by_asc(task_attachment::Column::Id)
        .all(db)
        .await?)
}

/// Reports waiting for the lead bureau's review, oldest first.
pub async fn reports_to_review(
    db: &impl ConnectionTrait,
) -> ApiResult<Vec<task_progress_report::Model>> {
    Ok(task_progress_report::Entity::find()
        .filter(task_progress_report::Column::Status.eq("submitted"))
        .order_by_asc(task_progress_report::Column::ReportedOn)
        .order_by_asc(task_progress_report::Column::Id)
        .all(db)
        .await?)
}

/// Extension requests waiting for the lead bureau's decision, oldest first.
pub async fn extensions_to_decide(
    db: &impl ConnectionTrait,
) -> ApiResult<Vec<task_extension_request::Model>> {
    Ok(task_extension_request::Entity::find()
        .filter(task_extension_request::Column::Status.eq("pending"))
        .order_by_asc(task_extension_request::Column::RequestedAt)
        .order_by_asc(task_extension_request::Column::Id)
        .all(db)
        .await?)
}

pub async fn find_report(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<task_progress_report::Model>> {
    Ok(task_progress_report::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_extension(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<task_extension_request::Model>> {
    Ok(task_extension_request::Entity::find_by_id(id)
        .one(db)
        .await?)
}

pub async fn find_attachment(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<task_attachment::Model>> {
    Ok(task_attachment::Entity::find_by_id(id).one(db).await?)
}

/// The stored bytes of an attachment.
pub async fn attachment_bytes(db: &impl ConnectionTrait, id: i64) -> ApiResult<Option<Vec<u8>>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT bytes FROM task_attachment_content WHERE attachment_id = $1"
        }
        _ => "SELECT bytes FROM task_attachment_content WHERE attachment_id = ?",
    };
    let row = db
        .query_one(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get::<Vec<u8>>("", "bytes")?),
        None => None,
    })
}

/// Display names of users, for "who" columns. The ids are collected before the query starts, so
/// the returned future does not hold the (borrowing) iterator.
pub fn user_names<'a>(
    db: &'a impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> impl std::future::Future<Output = ApiResult<HashMap<i64, String>>> + 'a {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    async move {
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
}

pub async fn all_bureaus(db: &impl ConnectionTrait) -> ApiResult<Vec<bureau::Model>> {
    Ok(bureau::Entity::find()
        .order_by_asc(bureau::Column::Id)
        .all(db)
        .await?)
}

pub async fn all_towns(db: &impl ConnectionTrait) -> ApiResult<Vec<town::Model>> {
    Ok(town::Entity::find()
        .order_by_asc(town::Column::Id)
        .all(db)
        .await?)
}

pub async fn bureau_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> ApiResult<Option<bureau::Model>> {
    Ok(bureau::Entity::find()
        .filter(bureau::Column::Code.eq(code))
        .one(db)
        .await?)
}

pub async fn town_by_code(db: &impl ConnectionTrait, code: &str) -> ApiResult<Option<town::Model>> {
    Ok(town::Entity::find()
        .filter(town::Column::DivisionCode.eq(code))
        .one(db)
        .await?)
}

/// A validated new task.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub code: String,
    pub title: String,
    pub description: String,
    pub annex: i32,
    pub clause_ref: String,
    pub lead_leader_name: String,
    pub unit: UnitId,
    pub cooperating_bureau_ids: Vec<i64>,
    pub deadline: NaiveDate,
    /// (goal, deadline), in order.
    pub stage_goals: Vec<(String, NaiveDate)>,
}

/// Changes to a task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub clause_ref: Option<String>,
    pub lead_leader_name: Option<String>,
    pub unit: Option<UnitId>,
    pub cooperating_bureau_ids: Option<Vec<i64>>,
    pub deadline: Option<NaiveDate>,
}

/// What a task event records besides its kind.
struct EventDetail<'a> {
    kind: &'a str,
    before: Option<TaskStatus>,
    after: TaskStatus,
    report_id: Option<i64>,
    extension_id: Option<i64>,
    note: String,
}

async fn record_event(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task_id: i64,
    detail: EventDetail<'_>,
) -> ApiResult<()> {
    task_event::ActiveModel {
        task_id: Set(task_id),
        kind: Set(detail.kind.to_string()),
        status_before: Set(detail.before.map(|status| status.code().to_string())),
        status_after: Set(detail.after.code().to_string()),
        actor_user_id: Set(actor.user_id),
        occurred_at: Set(Utc::now()),
        progress_report_id: Set(detail.report_id),
        extension_request_id: Set(detail.extension_id),
        note: Set(detail.note),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn task_in(db: &impl ConnectionTrait, id: i64) -> ApiResult<TaskRecord> {
    find_task(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("ResponsibilityTask", "with this ID"))
}

async fn replace_cooperating(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task_id: i64,
    unit: UnitId,
    bureau_ids: &[i64],
) -> ApiResult<()> {
    task_cooperating_bureau::Entity::delete_many()
        .filter(task_cooperating_bureau::Column::TaskId.eq(task_id))
        .exec(db)
        .await?;
    let responsible_bureau_id = match unit {
        UnitId::Bureau(id) => Some(id),
        UnitId::Town(_) => None,
    };
    for bureau_id in bureau_ids {
        task_cooperating_bureau::ActiveModel {
            task_id: Set(task_id),
            responsible_bureau_id: Set(responsible_bureau_id),
            bureau_id: Set(*bureau_id),
            role: Set("配合".to_string()),
            added_at: Set(Utc::now()),
            added_by: Set(actor.user_id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn unit_columns(unit: UnitId) -> (Option<i64>, Option<i64>) {
    match unit {
        UnitId::Bureau(id) => (Some(id), None),
        UnitId::Town(id) => (None, Some(id)),
    }
}

pub async fn create_task(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewTask,
    today: NaiveDate,
) -> ApiResult<TaskRecord> {
    let transaction = begin_write(db).await?;
    let taken = responsibility_task::Entity::find()
        .filter(responsibility_task::Column::Code.eq(new.code.as_str()))
        .one(&transaction)
        .await?;
    if taken.is_some() {
        return Err(ApiError::Conflict(format!(
            "a task with the code {} already exists",
            new.code
        )));
    }
    let (bureau_id, town_id) = unit_columns(new.unit);
    let task = responsibility_task::ActiveModel {
        code: Set(new.code),
        title: Set(new.title),
        description: Set(new.description),
        annex: Set(new.annex),
        clause_ref: Set(new.clause_ref),
        lead_leader_name: Set(new.lead_leader_name),
        responsible_bureau_id: Set(bureau_id),
        responsible_town_id: Set(town_id),
        deadline: Set(new.deadline),
        completed_on: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    replace_cooperating(
        &transaction,
        actor,
        task.id,
        new.unit,
        &new.cooperating_bureau_ids,
    )
    .await?;
    for (seq, (goal, deadline)) in new.stage_goals.into_iter().enumerate() {
        task_stage_goal::ActiveModel {
            task_id: Set(task.id),
            seq: Set(i32::try_from(seq + 1).unwrap_or(i32::MAX)),
            goal: Set(goal),
            deadline: Set(deadline),
            achieved_on: Set(None),
            version: Set(1),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            created_by: Set(actor.user_id),
            updated_by: Set(actor.user_id),
            ..Default::default()
        }
        .insert(&transaction)
        .await?;
    }
    let record = task_in(&transaction, task.id).await?;
    record_event(
        &transaction,
        actor,
        task.id,
        EventDetail {
            kind: "created",
            before: None,
            after: record.status(today),
            report_id: None,
            extension_id: None,
            note: String::new(),
        },
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Tasks(vec![task.id])).await?;
    audit(
        &transaction,
        actor,
        "responsibility_task.create",
        "ResponsibilityTask",
        task.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(record)
}

pub async fn update_task(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: TaskChanges,
    today: NaiveDate,
) -> ApiResult<TaskRecord> {
    let transaction = begin_write(db).await?;
    let current = task_in(&transaction, id).await?;
    if current.task.version != expected_version {
        return Err(ApiError::stale_version(
            "responsibility task",
            &current.task.code,
            expected_version,
        ));
    }
    let unit = changes.unit.unwrap_or_else(|| current.unit());
    let cooperating = changes
        .cooperating_bureau_ids
        .clone()
        .unwrap_or_else(|| current.cooperating_bureau_ids.clone());
    if let UnitId::Bureau(bureau_id) = unit {
        if cooperating.contains(&bureau_id) {
            return Err(ApiError::invalid(
                "input.cooperatingBureauCodes",
                "the responsible bureau cannot also be a co-operating bureau (A7§2); remove it from the co-operating bureaus",
            ));
        }
    }
    let (bureau_id, town_id) = unit_columns(unit);
    let mut update = responsibility_task::ActiveModel {
        id: Set(id),
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        responsible_bureau_id: Set(bureau_id),
        responsible_town_id: Set(town_id),
        ..Default::default()
    };
    if let Some(title) = changes.title {
        update.title = Set(title);
    }
    if let Some(description) = changes.description {
        update.description = Set(description);
    }
    if let Some(clause_ref) = changes.clause_ref {
        update.clause_ref = Set(clause_ref);
    }
    if let Some(leader) = changes.lead_leader_name {
        update.lead_leader_name = Set(leader);
    }
    if let Some(deadline) = changes.deadline {
        update.deadline = Set(deadline);
    }
    // Co-operating rows mirror the responsible bureau: clear them before the unit changes.
    task_cooperating_bureau::Entity::delete_many()
        .filter(task_cooperating_bureau::Column::TaskId.eq(id))
        .exec(&transaction)
        .await?;
    let result = responsibility_task::Entity::update_many()
        .set(update)
        .filter(responsibility_task::Column::Id.eq(id))
        .filter(responsibility_task::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "responsibility task",
            &current.task.code,
            expected_version,
        ));
    }
    replace_cooperating(&transaction, actor, id, unit, &cooperating).await?;
    let updated = task_in(&transaction, id).await?;
    record_event(
        &transaction,
        actor,
        id,
        EventDetail {
            kind: "updated",
            before: Some(current.status(today)),
            after: updated.status(today),
            report_id: None,
            extension_id: None,
            note: String::new(),
        },
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Tasks(vec![id])).await?;
    audit(
        &transaction,
        actor,
        "responsibility_task.update",
        "ResponsibilityTask",
        id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// A progress report as submitted by the responsible unit.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub task_id: i64,
    pub stage_goal_id: Option<i64>,
    pub reported_on: NaiveDate,
    pub percent_complete: u8,
    pub narrative: String,
}

pub async fn submit_report(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewReport,
    today: NaiveDate,
) -> ApiResult<task_progress_report::Model> {
    let transaction = begin_write(db).await?;
    let task = task_in(&transaction, new.task_id).await?;
    if task.task.completed_on.is_some() {
        return Err(ApiError::Conflict(format!(
            "task {} is already done; it takes no further reports",
            task.task.code
        )));
    }
    if let Some(stage_id) = new.stage_goal_id {
        let stage = task_stage_goal::Entity::find_by_id(stage_id)
            .one(&transaction)
            .await?;
        if stage.is_none_or(|stage| stage.task_id != new.task_id) {
            return Err(ApiError::invalid(
                "input.stageGoalId",
                "the stage goal is not one of this task's",
            ));
        }
    }
    let report = task_progress_report::ActiveModel {
        task_id: Set(new.task_id),
        stage_goal_id: Set(new.stage_goal_id),
        reported_by_user_id: Set(actor.user_id),
        reported_on: Set(new.reported_on),
        percent_complete: Set(i32::from(new.percent_complete)),
        narrative: Set(new.narrative),
        status: Set("submitted".to_string()),
        reviewed_by_user_id: Set(None),
        reviewed_at: Set(None),
        review_comment: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    let after = task_in(&transaction, new.task_id).await?;
    record_event(
        &transaction,
        actor,
        new.task_id,
        EventDetail {
            kind: "report_submitted",
            before: Some(task.status(today)),
            after: after.status(today),
            report_id: Some(report.id),
            extension_id: None,
            note: format!("{}%", new.percent_complete),
        },
    )
    .await?;
    audit(
        &transaction,
        actor,
        "task_progress_report.submit",
        "ProgressReport",
        report.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(report)
}

/// Accepts a report (a report at 100 % completes the task; a report on a stage goal marks it
/// achieved) or sends it back for rework with a comment.
pub async fn review_report(
    db: &DatabaseConnection,
    actor: &Actor,
    report_id: i64,
    accept: bool,
    comment: String,
    today: NaiveDate,
) -> ApiResult<task_progress_report::Model> {
    let transaction = begin_write(db).await?;
    let report = find_report(&transaction, report_id)
        .await?
        .ok_or_else(|| ApiError::not_found("ProgressReport", "with this ID"))?;
    if report.status != "submitted" {
        return Err(ApiError::Conflict(format!(
            "this report was already {}; only submitted reports can be reviewed",
            if report.status == "accepted" {
                "accepted"
            } else {
                "returned"
            }
        )));
    }
    let before = task_in(&transaction, report.task_id).await?;
    let status = if accept { "accepted" } else { "returned" };
    let result = task_progress_report::Entity::update_many()
        .col_expr(task_progress_report::Column::Status, Expr::value(status))
        .col_expr(
            task_progress_report::Column::ReviewedByUserId,
            Expr::value(actor.user_id),
        )
        .col_expr(
            task_progress_report::Column::ReviewedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            task_progress_report::Column::ReviewComment,
            Expr::value(comment.clone()),
        )
        .col_expr(
            task_progress_report::Column::Version,
            Expr::col(task_progress_report::Column::Version).add(1),
        )
        .col_expr(
            task_progress_report::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            task_progress_report::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(task_progress_report::Column::Id.eq(report_id))
        .filter(task_progress_report::Column::Status.eq("submitted"))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict(
            "this report was reviewed meanwhile; reload it".into(),
        ));
    }
    let completes = accept && report.percent_complete == 100;
    if accept {
        if let Some(stage_id) = report.stage_goal_id {
            task_stage_goal::Entity::update_many()
                .col_expr(
                    task_stage_goal::Column::AchievedOn,
                    Expr::value(report.reported_on),
                )
                .col_expr(
                    task_stage_goal::Column::Version,
                    Expr::col(task_stage_goal::Column::Version).add(1),
                )
                .filter(task_stage_goal::Column::Id.eq(stage_id))
                .filter(task_stage_goal::Column::AchievedOn.is_null())
                .exec(&transaction)
                .await?;
        }
        if completes {
            responsibility_task::Entity::update_many()
                .col_expr(
                    responsibility_task::Column::CompletedOn,
                    Expr::value(report.reported_on),
                )
                .col_expr(
                    responsibility_task::Column::Version,
                    Expr::col(responsibility_task::Column::Version).add(1),
                )
                .col_expr(
                    responsibility_task::Column::UpdatedAt,
                    Expr::value(Utc::now()),
                )
                .col_expr(
                    responsibility_task::Column::UpdatedBy,
                    Expr::value(actor.user_id),
                )
                .filter(responsibility_task::Column::Id.eq(report.task_id))
                .exec(&transaction)
                .await?;
        }
    }
    let after = task_in(&transaction, report.task_id).await?;
    record_event(
        &transaction,
        actor,
        report.task_id,
        EventDetail {
            kind: if accept {
                "report_accepted"
            } else {
                "report_returned"
            },
            before: Some(before.status(today)),
            after: after.status(today),
            report_id: Some(report_id),
            extension_id: None,
            note: comment,
        },
    )
    .await?;
    if completes {
        record_event(
            &transaction,
            actor,
            report.task_id,
            EventDetail {
                kind: "completed",
                before: Some(before.status(today)),
                after: after.status(today),
                report_id: Some(report_id),
                extension_id: None,
                note: format!("完成于 {}", report.reported_on),
            },
        )
        .await?;
    }
    refresh_alerts(&transaction, AlertScope::Tasks(vec![report.task_id])).await?;
    audit(
        &transaction,
        actor,
        if accept {
            "task_progress_report.accept"
        } else {
            "task_progress_report.return"
        },
        "ProgressReport",
        report_id,
        None,
    )
    .await?;
    let reviewed = find_report(&transaction, report_id)
        .await?
        .ok_or_else(|| ApiError::not_found("ProgressReport", "with this ID"))?;
    transaction.commit().await?;
    Ok(reviewed)
}

#[derive(Debug, Clone)]
pub struct NewExtension {
    pub task_id: i64,
    pub stage_goal_id: Option<i64>,
    pub requested_deadline: NaiveDate,
    pub reason: String,
}

pub async fn request_extension(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewExtension,
    today: NaiveDate,
) -> ApiResult<task_extension_request::Model> {
    let transaction = begin_write(db).await?;
    let task = task_in(&transaction, new.task_id).await?;
    if task.task.completed_on.is_some() {
        return Err(ApiError::Conflict(format!(
            "task {} is already done; its deadline cannot be extended",
            task.task.code
        )));
    }
    let pending = task_extension_request::Entity::find()
        .filter(task_extension_request::Column::TaskId.eq(new.task_id))
        .filter(task_extension_request::Column::Status.eq("pending"))
        .one(&transaction)
        .await?;
    if pending.is_some() {
        return Err(ApiError::Conflict(format!(
            "task {} already has an extension request waiting for the lead bureau's decision",
            task.task.code
        )));
    }
    let current_deadline = match new.stage_goal_id {
        Some(stage_id) => {
            let stage = task_stage_goal::Entity::find_by_id(stage_id)
                .one(&transaction)
                .await?
                .filter(|stage| stage.task_id == new.task_id)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "input.stageGoalId",
                        "the stage goal is not one of this task's",
                    )
                })?;
            stage.deadline
        }
        None => task.task.deadline,
    };
    domain::responsibility::validate_extension(current_deadline, new.requested_deadline)
        .map_err(|error| ApiError::invalid("input.requestedDeadline", error))?;
    let request = task_extension_request::ActiveModel {
        task_id: Set(new.task_id),
        stage_goal_id: Set(new.stage_goal_id),
        requested_by_user_id: Set(actor.user_id),
        requested_at: Set(Utc::now()),
        current_deadline: Set(current_deadline),
        requested_deadline: Set(new.requested_deadline),
        reason: Set(new.reason),
        status: Set("pending".to_string()),
        decided_by_user_id: Set(None),
        decided_at: Set(None),
        decision_comment: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    let status = task.status(today);
    record_event(
        &transaction,
        actor,
        new.task_id,
        EventDetail {
            kind: "extension_requested",
            before: Some(status),
            after: status,
            report_id: None,
            extension_id: Some(request.id),
            note: format!("{} → {}", current_deadline, new.requested_deadline),
        },
    )
    .await?;
    audit(
        &transaction,
        actor,
        "task_extension_request.create",
        "ExtensionRequest",
        request.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(request)
}

/// The lead bureau approves (the deadline moves) or rejects an extension request.
pub async fn decide_extension(
    db: &DatabaseConnection,
    actor: &Actor,
    request_id: i64,
    approve: bool,
    comment: String,
    today: NaiveDate,
) -> ApiResult<task_extension_request::Model> {
    let transaction = begin_write(db).await?;
    let request = find_extension(&transaction, request_id)
        .await?
        .ok_or_else(|| ApiError::not_found("ExtensionRequest", "with this ID"))?;
    if request.status != "pending" {
        return Err(ApiError::Conflict(format!(
            "this extension request is already {}; only pending requests can be decided",
            request.status
        )));
    }
    let before = task_in(&transaction, request.task_id).await?;
    let result = task_extension_request::Entity::update_many()
        .col_expr(
            task_extension_request::Column::Status,
            Expr::value(if approve { "approved" } else { "rejected" }),
        )
        .col_expr(
            task_extension_request::Column::DecidedByUserId,
            Expr::value(actor.user_id),
        )
        .col_expr(
            task_extension_request::Column::DecidedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            task_extension_request::Column::DecisionComment,
            Expr::value(comment.clone()),
        )
        .col_expr(
            task_extension_request::Column::Version,
            Expr::col(task_extension_request::Column::Version).add(1),
        )
        .filter(task_extension_request::Column::Id.eq(request_id))
        .filter(task_extension_request::Column::Status.eq("pending"))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict(
            "this extension request was decided meanwhile; reload it".into(),
        ));
    }
    if approve {
        match request.stage_goal_id {
            Some(stage_id) => {
                task_stage_goal::Entity::update_many()
                    .col_expr(
                        task_stage_goal::Column::Deadline,
                        Expr::value(request.requested_deadline),
                    )
                    .col_expr(
                        task_stage_goal::Column::Version,
                        Expr::col(task_stage_goal::Column::Version).add(1),
                    )
                    .filter(task_stage_goal::Column::Id.eq(stage_id))
                    .exec(&transaction)
                    .await?;
                // A stage may not end after its task: the task's deadline follows if needed.
                if request.requested_deadline > before.task.deadline {
                    move_task_deadline(
                        &transaction,
                        actor,
                        request.task_id,
                        request.requested_deadline,
                    )
                    .await?;
                }
            }
            None => {
                move_task_deadline(
                    &transaction,
                    actor,
                    request.task_id,
                    request.requested_deadline,
                )
                .await?;
            }
        }
    }
    let after = task_in(&transaction, request.task_id).await?;
    record_event(
        &transaction,
        actor,
        request.task_id,
        EventDetail {
            kind: if approve {
                "extension_approved"
            } else {
                "extension_rejected"
            },
            before: Some(before.status(today)),
            after: after.status(today),
            report_id: None,
            extension_id: Some(request_id),
            note: comment,
        },
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Tasks(vec![request.task_id])).await?;
    audit(
        &transaction,
        actor,
        if approve {
            "task_extension_request.approve"
        } else {
            "task_extension_request.reject"
        },
        "ExtensionRequest",
        request_id,
        None,
    )
    .await?;
    let decided = find_extension(&transaction, request_id)
        .await?
        .ok_or_else(|| ApiError::not_found("ExtensionRequest", "with this ID"))?;
    transaction.commit().await?;
    Ok(decided)
}

async fn move_task_deadline(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task_id: i64,
    deadline: NaiveDate,
) -> ApiResult<()> {
    responsibility_task::Entity::update_many()
        .col_expr(responsibility_task::Column::Deadline, Expr::value(deadline))
        .col_expr(
            responsibility_task::Column::Version,
            Expr::col(responsibility_task::Column::Version).add(1),
        )
        .col_expr(
            responsibility_task::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            responsibility_task::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(responsibility_task::Column::Id.eq(task_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A validated upload of evidence.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub task_id: i64,
    pub progress_report_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

pub async fn add_attachment(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewAttachment,
    today: NaiveDate,
) -> ApiResult<task_attachment::Model> {
    let transaction = begin_write(db).await?;
    let task = task_in(&transaction, new.task_id).await?;
    let size = i64::try_from(new.bytes.len()).unwrap_or(i64::MAX);
    let storage_key = format!(
        "task/{}/{}-{}",
        new.task_id,
        Utc::now().timestamp_micros(),
        &new.sha256[..16.min(new.sha256.len())]
    );
    let attachment = task_attachment::ActiveModel {
        task_id: Set(new.task_id),
        progress_report_id: Set(new.progress_report_id),
        file_name: Set(new.file_name.clone()),
        content_type: Set(new.content_type),
        size_bytes: Set(size),
        storage_key: Set(storage_key),
        sha256: Set(Some(new.sha256)),
        uploaded_by_user_id: Set(actor.user_id),
        uploaded_at: Set(Utc::now()),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    let backend = transaction.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "INSERT INTO task_attachment_content (attachment_id, bytes) VALUES ($1, $2)"
        }
        _ => "INSERT INTO task_attachment_content (attachment_id, bytes) VALUES (?, ?)",
    };
    transaction
        .execute(Statement::from_sql_and_values(
            backend,
            sql,
            [attachment.id.into(), new.bytes.into()],
        ))
        .await?;
    let status = task.status(today);
    record_event(
        &transaction,
        actor,
        new.task_id,
        EventDetail {
            kind: "attachment_added",
            before: Some(status),
            after: status,
            report_id: new.progress_report_id,
            extension_id: None,
            note: new.file_name,
        },
    )
    .await?;
    audit(
        &transaction,
        actor,
        "task_attachment.create",
        "TaskAttachment",
        attachment.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(attachment)
}

/// Counts the tasks of each unit by derived status, as of `today`.
pub fn count_by_unit(
    tasks: &[TaskRecord],
    today: NaiveDate,
) -> HashMap<UnitId, HashMap<TaskStatus, u32>> {
    let mut counts: HashMap<UnitId, HashMap<TaskStatus, u32>> = HashMap::new();
    for task in tasks {
        *counts
            .entry(task.unit())
            .or_default()
            .entry(task.status(today))
            .or_default() += 1;
    }
    counts
}
