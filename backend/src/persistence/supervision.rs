//! Queries and writes of supervision (A7§4): inspections and unannounced visits with their
//! findings, rectification and closure, interviews (约谈) and consequences. Each write is one
//! transaction with its audit entry.
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::database::begin_write;
use super::entities::{accountability_consequence, inspection, inspection_finding, interview};
use super::registry_writes::{audit, Actor};
use crate::error::{ApiError, ApiResult};

/// The units whose records a principal sees; `None` for all (supervisors).
#[derive(Debug, Clone)]
pub struct UnitScope {
    pub bureau_ids: Vec<i64>,
    pub town_ids: Vec<i64>,
}

fn concerning<C: ColumnTrait>(scope: &Option<UnitScope>, bureau: C, town: C) -> Condition {
    match scope {
        None => Condition::all(),
        Some(scope) => Condition::any()
            .add(bureau.is_in(scope.bureau_ids.clone()))
            .add(town.is_in(scope.town_ids.clone())),
    }
}

pub async fn inspections(
    db: &impl ConnectionTrait,
    year: Option<i32>,
    scope: &Option<UnitScope>,
) -> ApiResult<Vec<inspection::Model>> {
    let mut query = inspection::Entity::find();
    if let Some(year) = year {
        query = query.filter(inspection::Column::Year.eq(year));
    }
    if let Some(unit_scope) = scope {
        // A unit sees the inspections of itself and those with a finding addressed to it.
        let with_my_findings = sea_orm::sea_query::Query::select()
            .column(inspection_finding::Column::InspectionId)
            .from(inspection_finding::Entity)
            .cond_where(concerning(
                scope,
                inspection_finding::Column::ResponsibleBureauId,
                inspection_finding::Column::TownId,
            ))
            .to_owned();
        query = query.filter(
            Condition::any()
                .add(inspection::Column::BureauId.is_in(unit_scope.bureau_ids.clone()))
                .add(inspection::Column::TownId.is_in(unit_scope.town_ids.clone()))
                .add(inspection::Column::Id.in_subquery(with_my_findings)),
        );
    }
    Ok(query
        .order_by_desc(inspection::Column::InspectedOn)
        .order_by_desc(inspection::Column::Id)
        .all(db)
        .await?)
}

pub async fn findings(
    db: &impl ConnectionTrait,
    inspection_id: Option<i64>,
    open_only: bool,
    scope: &Option<UnitScope>,
) -> ApiResult<Vec<inspection_finding::Model>> {
    let mut query = inspection_finding::Entity::find().filter(concerning(
        scope,
        inspection_finding::Column::ResponsibleBureauId,
        inspection_finding::Column::TownId,
    ));
    if let Some(id) = inspection_id {
        query = query.filter(inspection_finding::Column::InspectionId.eq(id));
    }
    if open_only {
        query = query.filter(inspection_finding::Column::Status.ne("closed"));
    }
    Ok(query
        .order_by_asc(inspection_finding::Column::RectificationDeadline)
        .order_by_asc(inspection_finding::Column::Id)
        .all(db)
        .await?)
}

pub async fn interviews(
    db: &impl ConnectionTrait,
    scope: &Option<UnitScope>,
) -> ApiResult<Vec<interview::Model>> {
    Ok(interview::Entity::find()
        .filter(concerning(
            scope,
            interview::Column::BureauId,
            interview::Column::TownId,
        ))
        .order_by_desc(interview::Column::HeldOn)
        .order_by_desc(interview::Column::Id)
        .all(db)
        .await?)
}

pub async fn consequences(
    db: &impl ConnectionTrait,
    scope: &Option<UnitScope>,
) -> ApiResult<Vec<accountability_consequence::Model>> {
    Ok(accountability_consequence::Entity::find()
        .filter(concerning(
            scope,
            accountability_consequence::Column::BureauId,
            accountability_consequence::Column::TownId,
        ))
        .order_by_desc(accountability_consequence::Column::DecidedOn)
        .order_by_desc(accountability_consequence::Column::Id)
        .all(db)
        .await?)
}

pub async fn find_finding(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<inspection_finding::Model>> {
    Ok(inspection_finding::Entity::find_by_id(id).one(db).await?)
}

/// A finding to record with its inspection.
#[derive(Debug, Clone)]
pub struct NewFinding {
    pub task_id: Option<i64>,
    pub responsible_bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub description: String,
    pub severity: &'static str,
    pub rectification_deadline: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct NewInspection {
    pub kind: &'static str,
    pub inspected_on: NaiveDate,
    pub team: String,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub summary: String,
    pub findings: Vec<NewFinding>,
}

pub async fn record_inspection(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewInspection,
) -> ApiResult<inspection::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = inspection::ActiveModel {
        kind: Set(new.kind.to_string()),
        year: Set(chrono::Datelike::year(&new.inspected_on)),
        inspected_on: Set(new.inspected_on),
        team: Set(new.team),
        bureau_id: Set(new.bureau_id),
        town_id: Set(new.town_id),
        site_id: Set(None),
        summary: Set(new.summary),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    for finding in new.findings {
        let finding = inspection_finding::ActiveModel {
            inspection_id: Set(stored.id),
            task_id: Set(finding.task_id),
            responsible_bureau_id: Set(finding.responsible_bureau_id),
            town_id: Set(finding.town_id),
            description: Set(finding.description),
            severity: Set(finding.severity.to_string()),
            rectification_deadline: Set(finding.rectification_deadline),
            rectified_on: Set(None),
            status: Set("open".to_string()),
            closed_at: Set(None),
            closed_by_user_id: Set(None),
            closure_note: Set(None),
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
            "inspection_finding.create",
            "InspectionFinding",
            finding.id,
            None,
        )
        .await?;
    }
    audit(
        &transaction,
        actor,
        "inspection.create",
        "Inspection",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// The unit concerned reports a finding rectified (status rectifying until closed).
pub async fn report_rectification(
    db: &DatabaseConnection,
    actor: &Actor,
    finding_id: i64,
    rectified_on: NaiveDate,
    note: String,
) -> ApiResult<inspection_finding::Model> {
    let transaction = begin_write(db).await?;
    let result = inspection_finding::Entity::update_many()
        .col_expr(
            inspection_finding::Column::RectifiedOn,
            Expr::value(rectified_on),
        )
        .col_expr(
            inspection_finding::Column::Status,
            Expr::value("rectifying"),
        )
        .col_expr(inspection_finding::Column::ClosureNote, Expr::value(note))
        .col_expr(
            inspection_finding::Column::Version,
            Expr::col(inspection_finding::Column::Version).add(1),
        )
        .col_expr(
            inspection_finding::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            inspection_finding::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(inspection_finding::Column::Id.eq(finding_id))
        .filter(inspection_finding::Column::Status.ne("closed"))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict(
            "this finding is closed; a closed finding takes no further rectification".into(),
        ));
    }
    audit(
        &transaction,
        actor,
        "inspection_finding.rectify",
        "InspectionFinding",
        finding_id,
        None,
    )
    .await?;
    let updated = find_finding(&transaction, finding_id)
        .await?
        .ok_or_else(|| ApiError::not_found("InspectionFinding", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

/// The supervising office closes a finding after checking the rectification.
pub async fn close_finding(
    db: &DatabaseConnection,
    actor: &Actor,
    finding_id: i64,
    note: String,
) -> ApiResult<inspection_finding::Model> {
    let transaction = begin_write(db).await?;
    let result = inspection_finding::Entity::update_many()
        .col_expr(inspection_finding::Column::Status, Expr::value("closed"))
        .col_expr(
            inspection_finding::Column::ClosedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            inspection_finding::Column::ClosedByUserId,
            Expr::value(actor.user_id),
        )
        .col_expr(inspection_finding::Column::ClosureNote, Expr::value(note))
        .col_expr(
            inspection_finding::Column::Version,
            Expr::col(inspection_finding::Column::Version).add(1),
        )
        .col_expr(
            inspection_finding::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            inspection_finding::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(inspection_finding::Column::Id.eq(finding_id))
        .filter(inspection_finding::Column::Status.ne("closed"))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(match find_finding(&transaction, finding_id).await? {
            Some(_) => ApiError::Conflict("this finding is already closed".into()),
            None => ApiError::not_found("InspectionFinding", "with this ID"),
        });
    }
    audit(
        &transaction,
        actor,
        "inspection_finding.close",
        "InspectionFinding",
        finding_id,
        None,
    )
    .await?;
    let updated = find_finding(&transaction, finding_id)
        .await?
        .ok_or_else(|| ApiError::not_found("InspectionFinding", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

#[derive(Debug, Clone)]
pub struct NewInterview {
    pub held_on: NaiveDate,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub interviewee_name: String,
    pub interviewer_name: String,
    pub reason: String,
    pub finding_id: Option<i64>,
    pub task_id: Option<i64>,
    pub notes: String,
}

pub async fn record_interview(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewInterview,
) -> ApiResult<interview::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = interview::ActiveModel {
        held_on: Set(new.held_on),
        bureau_id: Set(new.bureau_id),
        town_id: Set(new.town_id),
        interviewee_name: Set(new.interviewee_name),
        interviewer_name: Set(new.interviewer_name),
        reason: Set(new.reason),
        finding_id: Set(new.finding_id),
        task_id: Set(new.task_id),
        notes: Set(new.notes),
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
        "interview.create",
        "Interview",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

#[derive(Debug, Clone)]
pub struct NewConsequence {
    pub kind: &'static str,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub person_name: String,
    pub decided_on: NaiveDate,
    pub decided_by: String,
    pub reason: String,
    pub finding_id: Option<i64>,
    pub interview_id: Option<i64>,
}

pub async fn record_consequence(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewConsequence,
) -> ApiResult<accountability_consequence::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = accountability_consequence::ActiveModel {
        kind: Set(new.kind.to_string()),
        bureau_id: Set(new.bureau_id),
        town_id: Set(new.town_id),
        person_name: Set(new.person_name),
        decided_on: Set(new.decided_on),
        decided_by: Set(new.decided_by),
        reason: Set(new.reason),
        finding_id: Set(new.finding_id),
        interview_id: Set(new.interview_id),
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
        "accountability_consequence.create",
        "Consequence",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}
