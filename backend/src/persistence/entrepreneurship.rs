//! Queries and writes of entrepreneurship support (A2§2.1): entrepreneurship training and
//! guaranteed start-up loans of relocated persons. Each write is one transaction with its
//! audit entry; updates check the version.
use chrono::{NaiveDate, Utc};
use domain::entrepreneurship::{GuaranteedLoanStatus, LoanChange, LoanState};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Select, Set,
};

use super::database::begin_write;
use super::entities::training_institution;
use super::entities::{entrepreneurship_training, guaranteed_loan, training_class};
use super::industry::update_if_version;
use super::registry_writes::Actor;
use super::site_records::{audit_write, current_person, RecordScope};
use crate::error::{ApiError, ApiResult};

/// Which entrepreneurship trainings to list.
#[derive(Debug, Clone, Default)]
pub struct TrainingFilter {
    pub scope: RecordScope,
    pub person_id: Option<i64>,
    pub completed: Option<bool>,
}

/// The trainings the filter selects, for keyset paging by id.
pub fn training_select(filter: &TrainingFilter) -> Select<entrepreneurship_training::Entity> {
    let mut select = entrepreneurship_training::Entity::find();
    if let Some(persons) = filter.scope.persons() {
        select = select.filter(entrepreneurship_training::Column::PersonId.in_subquery(persons));
    }
    if let Some(person_id) = filter.person_id {
        select = select.filter(entrepreneurship_training::Column::PersonId.eq(person_id));
    }
    if let Some(completed) = filter.completed {
        select = select.filter(entrepreneurship_training::Column::Completed.eq(completed));
    }
    select
}

pub async fn find_training(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<entrepreneurship_training::Model>> {
    Ok(entrepreneurship_training::Entity::find_by_id(id)
        .one(db)
        .await?)
}

/// Training institutions by id (one statement).
pub async fn institutions_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<std::collections::HashMap<i64, training_institution::Model>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(training_institution::Entity::find()
        .filter(training_institution::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// A training to record, validated.
#[derive(Debug, Clone)]
pub struct NewTraining {
    pub person_id: i64,
    pub institution_id: Option<i64>,
    pub class_id: Option<i64>,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub completed: bool,
    pub certificate_no: Option<String>,
}

/// Records an entrepreneurship training of a current resident; a linked class must be an
/// entrepreneurship class.
pub async fn record_training(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewTraining,
) -> ApiResult<entrepreneurship_training::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, new.person_id, "input.personId").await?;
    if let Some(institution_id) = new.institution_id {
        if training_institution::Entity::find_by_id(institution_id)
            .one(&transaction)
            .await?
            .is_none()
        {
            return Err(ApiError::invalid(
                "input.institutionId",
                "this training institution does not exist",
            ));
        }
    }
    if let Some(class_id) = new.class_id {
        let class = training_class::Entity::find_by_id(class_id)
            .one(&transaction)
            .await?
            .ok_or_else(|| ApiError::invalid("input.classId", "this class does not exist"))?;
        if class.kind != "entrepreneurship" {
            return Err(ApiError::invalid(
                "input.classId",
                "only a class of kind entrepreneurship (创业培训) can be linked",
            ));
        }
    }
    let now = Utc::now();
    let stored = entrepreneurship_training::ActiveModel {
        person_id: Set(new.person_id),
        institution_id: Set(new.institution_id),
        class_id: Set(new.class_id),
        title: Set(new.title),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        completed: Set(new.completed),
        certificate_no: Set(new.certificate_no),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<entrepreneurship_training::Model>(
        &transaction,
        actor,
        "entrepreneurship_training.create",
        "EntrepreneurshipTraining",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Marks a training completed on `ends_on` with an optional certificate; `check` applies the
/// domain rules to the stored start day.
pub async fn complete_training(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    ends_on: NaiveDate,
    certificate_no: Option<String>,
    check: impl FnOnce(&entrepreneurship_training::Model) -> ApiResult<()>,
) -> ApiResult<entrepreneurship_training::Model> {
    let transaction = begin_write(db).await?;
    let current = find_training(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("EntrepreneurshipTraining", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "entrepreneurship training",
            id,
            expected_version,
        ));
    }
    if current.completed {
        return Err(ApiError::Conflict(
            "this training is already recorded as completed".into(),
        ));
    }
    check(&current)?;
    let mut update = current.clone().into_active_model();
    update.ends_on = Set(Some(ends_on));
    update.completed = Set(true);
    update.certificate_no = Set(certificate_no);
    update.version = Set(expected_version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    let updated = update_if_version(
        &transaction,
        update,
        (
            entrepreneurship_training::Column::Id,
            entrepreneurship_training::Column::Version,
        ),
        id,
        expected_version,
        "entrepreneurship training",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "entrepreneurship_training.complete",
        "EntrepreneurshipTraining",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Which guaranteed loans to list.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub scope: RecordScope,
    pub person_id: Option<i64>,
    pub statuses: Vec<&'static str>,
}

/// The loans the filter selects, for keyset paging by id.
pub fn loan_select(filter: &LoanFilter) -> Select<guaranteed_loan::Entity> {
    let mut select = guaranteed_loan::Entity::find();
    if let Some(persons) = filter.scope.persons() {
        select = select.filter(guaranteed_loan::Column::PersonId.in_subquery(persons));
    }
    if let Some(person_id) = filter.person_id {
        select = select.filter(guaranteed_loan::Column::PersonId.eq(person_id));
    }
    if !filter.statuses.is_empty() {
        select =
            select.filter(guaranteed_loan::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    select
}

pub async fn find_loan(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<guaranteed_loan::Model>> {
    Ok(guaranteed_loan::Entity::find_by_id(id).one(db).await?)
}

/// A loan application, validated.
#[derive(Debug, Clone)]
pub struct NewLoan {
    pub person_id: i64,
    pub lender_name: String,
    pub principal_fen: i64,
    pub annual_rate_bp: i32,
    pub interest_subsidised: bool,
    pub business_description: String,
}

/// Records a loan application (status `applied`) of a current resident.
pub async fn apply_loan(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewLoan,
) -> ApiResult<guaranteed_loan::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, new.person_id, "input.personId").await?;
    let now = Utc::now();
    let stored = guaranteed_loan::ActiveModel {
        person_id: Set(new.person_id),
        lender_name: Set(new.lender_name),
        contract_no: Set(None),
        principal_fen: Set(new.principal_fen),
        annual_rate_bp: Set(new.annual_rate_bp),
        interest_subsidised: Set(new.interest_subsidised),
        business_description: Set(new.business_description),
        granted_on: Set(None),
        due_on: Set(None),
        repaid_on: Set(None),
        status: Set(GuaranteedLoanStatus::Applied.code().to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<guaranteed_loan::Model>(
        &transaction,
        actor,
        "guaranteed_loan.create",
        "GuaranteedLoan",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Moves a loan to a new status (`domain::entrepreneurship::advance_loan` decides) if it still
/// has `expected_version`.
pub async fn change_loan_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    change: LoanChange,
    today: NaiveDate,
) -> ApiResult<guaranteed_loan::Model> {
    let transaction = begin_write(db).await?;
    let current = find_loan(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("GuaranteedLoan", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "guaranteed loan",
            id,
            expected_version,
        ));
    }
    let status = GuaranteedLoanStatus::from_code(&current.status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "loan {id} has the unknown status {}",
            current.status
        ))
    })?;
    let state = LoanState {
        status,
        contract_no: current.contract_no.clone(),
        granted_on: current.granted_on,
        due_on: current.due_on,
        repaid_on: current.repaid_on,
    };
    let next = domain::entrepreneurship::advance_loan(&state, change, today).map_err(|error| {
        use domain::entrepreneurship::EntrepreneurshipRuleError as E;
        let field = match &error {
            E::StatusChange { .. } | E::NotYetDue { .. } => {
                return ApiError::Conflict(error.to_string())
            }
            E::GrantIncomplete => "input.contractNo",
            E::DueNotAfterGrant { .. } => "input.dueOn",
            E::RepaymentDay { .. } => "input.repaidOn",
            E::InFuture { .. } => match status {
                GuaranteedLoanStatus::Applied => "input.grantedOn",
                _ => "input.repaidOn",
            },
            _ => "input.status",
        };
        ApiError::invalid(field, error)
    })?;
    let mut update = current.clone().into_active_model();
    update.status = Set(next.status.code().to_string());
    update.contract_no = Set(next.contract_no);
    update.granted_on = Set(next.granted_on);
    update.due_on = Set(next.due_on);
    update.repaid_on = Set(next.repaid_on);
    update.version = Set(expected_version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    let updated = update_if_version(
        &transaction,
        update,
        (
            guaranteed_loan::Column::Id,
            guaranteed_loan::Column::Version,
        ),
        id,
        expected_version,
        "guaranteed loan",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "guaranteed_loan.status",
        "GuaranteedLoan",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}
