//! Entrepreneurship support over GraphQL (A2§2.1): the entrepreneurship training of relocated
//! persons and their guaranteed start-up loans (创业担保贷款).
//!
//! Who may do what (from `auth::policy`'s default rows): training is the `training` domain
//! (HR & social security writes it); loans are the `employment` domain (HR & social security,
//! the poverty-alleviation bureau and the towns write them; towns only for their own sites).
//! Amounts of money are strings of yuan with two decimals, the rate a string of percent with
//! two decimals: exact on both databases, never floats.
use async_graphql::{Context, InputObject, Object, Result, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::entrepreneurship::{
    EntrepreneurshipRuleError, GuaranteedLoanStatus as DomainLoanStatus, LoanChange,
};
use domain::money::{Money, Percent};

use super::access::principal;
use super::connection::connection_complexity;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::industry::{
    coded_mirror, ensure_in_scope, id_page_request, notes_field, optional_id, optional_line,
    paged_connection,
};
use super::land::line;
use super::responsibility::actor_of;
use super::site_records::{not_in_future, record_scope, Resident};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::entities::{entrepreneurship_training, guaranteed_loan};
use crate::persistence::entrepreneurship::{
    self as store, LoanFilter, NewLoan, NewTraining, TrainingFilter,
};
use crate::persistence::industry::{counter, id_page};
use crate::persistence::registry::RecordTable;
use crate::persistence::site_records::{persons_at_sites, PersonAtSite};

coded_mirror! {
    /// Where a guaranteed start-up loan stands (A2§2.1).
    GuaranteedLoanStatus mirrors DomainLoanStatus {
        /// 已申请
        Applied,
        /// 已放款
        Granted,
        /// 已还清
        Repaid,
        /// 已逾期
        Overdue,
        /// 未获批
        Rejected,
    }
}

/// An entrepreneurship training of a relocated person (创业培训, A2§2.1).
pub struct EntrepreneurshipTraining {
    model: entrepreneurship_training::Model,
    resident: Option<Resident>,
    institution_name: Option<String>,
}

#[Object]
impl EntrepreneurshipTraining {
    async fn id(&self) -> ID {
        encode_id(NodeType::EntrepreneurshipTraining, self.model.id)
    }
    /// The person trained, with the household and site.
    async fn resident(&self) -> Option<&Resident> {
        self.resident.as_ref()
    }
    async fn title(&self) -> &str {
        &self.model.title
    }
    async fn institution_id(&self) -> Option<ID> {
        self.model
            .institution_id
            .map(|id| encode_id(NodeType::TrainingInstitution, id))
    }
    /// The training institution, if one gave the course.
    async fn institution_name(&self) -> Option<&str> {
        self.institution_name.as_deref()
    }
    /// The subsidised class (of kind ENTREPRENEURSHIP) the course belongs to, if any.
    async fn class_id(&self) -> Option<ID> {
        self.model
            .class_id
            .map(|id| encode_id(NodeType::TrainingClass, id))
    }
    async fn starts_on(&self) -> NaiveDate {
        self.model.starts_on
    }
    async fn ends_on(&self) -> Option<NaiveDate> {
        self.model.ends_on
    }
    async fn completed(&self) -> bool {
        self.model.completed
    }
    async fn certificate_no(&self) -> Option<&str> {
        self.model.certificate_no.as_deref()
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

paged_connection!(
    EntrepreneurshipTrainingConnection,
    EntrepreneurshipTrainingEdge,
    EntrepreneurshipTraining
);

/// A guaranteed start-up loan (创业担保贷款, A2§2.1).
pub struct GuaranteedLoan {
    model: guaranteed_loan::Model,
    resident: Option<Resident>,
}

#[Object]
impl GuaranteedLoan {
    async fn id(&self) -> ID {
        encode_id(NodeType::GuaranteedLoan, self.model.id)
    }
    /// The borrower, with the household and site.
    async fn resident(&self) -> Option<&Resident> {
        self.resident.as_ref()
    }
    async fn lender_name(&self) -> &str {
        &self.model.lender_name
    }
    async fn contract_no(&self) -> Option<&str> {
        self.model.contract_no.as_deref()
    }
    /// The principal in yuan, exact to the fen (`"100000.00"`).
    async fn principal(&self) -> String {
        Money::from_fen(self.model.principal_fen).to_string()
    }
    /// The annual interest rate in percent with two decimals (`"3.85"`).
    async fn annual_rate(&self) -> String {
        Percent::from_basis_points(i64::from(self.model.annual_rate_bp))
            .to_decimal()
            .to_string()
    }
    /// Whether the interest is subsidised (贴息).
    async fn interest_subsidised(&self) -> bool {
        self.model.interest_subsidised
    }
    /// What the loan finances.
    async fn business_description(&self) -> &str {
        &self.model.business_description
    }
    async fn granted_on(&self) -> Option<NaiveDate> {
        self.model.granted_on
    }
    async fn due_on(&self) -> Option<NaiveDate> {
        self.model.due_on
    }
    async fn repaid_on(&self) -> Option<NaiveDate> {
        self.model.repaid_on
    }
    async fn status(&self) -> Result<GuaranteedLoanStatus> {
        Ok(GuaranteedLoanStatus::decode(
            "guaranteed_loan.status",
            &self.model.status,
        )?)
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

paged_connection!(GuaranteedLoanConnection, GuaranteedLoanEdge, GuaranteedLoan);

/// Which entrepreneurship trainings to list.
#[derive(InputObject, Default)]
pub struct EntrepreneurshipTrainingFilterInput {
    pub site_id: Option<ID>,
    pub person_id: Option<ID>,
    pub completed: Option<bool>,
}

/// Which guaranteed loans to list.
#[derive(InputObject, Default)]
pub struct GuaranteedLoanFilterInput {
    pub site_id: Option<ID>,
    pub person_id: Option<ID>,
    pub statuses: Option<Vec<GuaranteedLoanStatus>>,
}

fn reader<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    field: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(domain, field)?;
    Ok(principal)
}

fn writer<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    what: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(domain, what)?;
    Ok(principal)
}

async fn residents(
    ctx: &Context<'_>,
    person_ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, PersonAtSite>, ApiError> {
    persons_at_sites(database(ctx), &person_ids).await
}

fn training_rule(error: EntrepreneurshipRuleError) -> ApiError {
    let field = match error {
        EntrepreneurshipRuleError::CertificateWithoutCompletion => "input.certificateNo",
        _ => "input.endsOn",
    };
    ApiError::invalid(field, error)
}

#[derive(Default)]
pub struct EntrepreneurshipQuery;

#[Object]
impl EntrepreneurshipQuery {
    /// Entrepreneurship trainings of the relocated persons of the principal's sites, in id
    /// order (A2§2.1; the `training` domain).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn entrepreneurship_trainings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<EntrepreneurshipTrainingFilterInput>,
    ) -> Result<EntrepreneurshipTrainingConnection> {
        let principal = reader(ctx, DataDomain::Training, "Query.entrepreneurshipTrainings")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let store_filter = TrainingFilter {
            scope: record_scope(principal, "filter.siteId", &filter.site_id)?,
            person_id: optional_id("filter.personId", NodeType::Person, &filter.person_id)?,
            completed: filter.completed,
        };
        let select = store::training_select(&store_filter);
        let db = database(ctx);
        let loaded = id_page(
            db,
            select.clone(),
            entrepreneurship_training::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let people = residents(ctx, loaded.rows.iter().map(|row| row.person_id).collect()).await?;
        let mut institution_ids: Vec<i64> = loaded
            .rows
            .iter()
            .filter_map(|row| row.institution_id)
            .collect();
        institution_ids.sort_unstable();
        institution_ids.dedup();
        let institutions = store::institutions_by_id(db, &institution_ids).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                let node = EntrepreneurshipTraining {
                    resident: people.get(&model.person_id).cloned().map(Resident),
                    institution_name: model
                        .institution_id
                        .and_then(|id| institutions.get(&id))
                        .map(|institution| institution.name.clone()),
                    model,
                };
                (node.model.id, node)
            })
            .collect();
        Ok(EntrepreneurshipTrainingConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// Guaranteed start-up loans of the relocated persons of the principal's sites, in id order
    /// (A2§2.1; the `employment` domain).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn guaranteed_loans(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<GuaranteedLoanFilterInput>,
    ) -> Result<GuaranteedLoanConnection> {
        let principal = reader(ctx, DataDomain::Employment, "Query.guaranteedLoans")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let store_filter = LoanFilter {
            scope: record_scope(principal, "filter.siteId", &filter.site_id)?,
            person_id: optional_id("filter.personId", NodeType::Person, &filter.person_id)?,
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(GuaranteedLoanStatus::code)
                .collect(),
        };
        let select = store::loan_select(&store_filter);
        let loaded = id_page(
            database(ctx),
            select.clone(),
            guaranteed_loan::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let people = residents(ctx, loaded.rows.iter().map(|row| row.person_id).collect()).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                let resident = people.get(&model.person_id).cloned().map(Resident);
                (model.id, GuaranteedLoan { model, resident })
            })
            .collect();
        Ok(GuaranteedLoanConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }
}

/// An entrepreneurship training to record.
#[derive(InputObject)]
pub struct RecordEntrepreneurshipTrainingInput {
    /// The relocated person trained.
    pub person_id: ID,
    /// The course, e.g. SYB创业培训.
    pub title: String,
    pub institution_id: Option<ID>,
    /// A subsidised class of kind ENTREPRENEURSHIP the course belongs to, if any.
    pub class_id: Option<ID>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    #[graphql(default)]
    pub completed: bool,
    pub certificate_no: Option<String>,
}

/// A training that has ended, with its certificate.
#[derive(InputObject)]
pub struct CompleteEntrepreneurshipTrainingInput {
    pub id: ID,
    pub version: i32,
    /// The last day of the course (today or earlier).
    pub ends_on: NaiveDate,
    pub certificate_no: Option<String>,
}

/// A loan application to record (status APPLIED).
#[derive(InputObject)]
pub struct ApplyGuaranteedLoanInput {
    /// The relocated person who borrows.
    pub person_id: ID,
    /// The lending bank.
    pub lender_name: String,
    /// Yuan with at most two decimals, more than 0 (`"100000"`).
    pub principal: String,
    /// Percent a year with at most two decimals, 0–100 (`"3.85"`).
    pub annual_rate: String,
    #[graphql(default = true)]
    pub interest_subsidised: bool,
    /// What the loan finances.
    #[graphql(default)]
    pub business_description: String,
}

/// A change of a loan's status with the facts it needs: GRANTED needs the contract number, the
/// grant day and the due day; REPAID the repayment day; OVERDUE and REJECTED nothing.
#[derive(InputObject)]
pub struct ChangeGuaranteedLoanStatusInput {
    pub id: ID,
    pub version: i32,
    pub status: GuaranteedLoanStatus,
    pub contract_no: Option<String>,
    pub granted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub repaid_on: Option<NaiveDate>,
}

#[derive(Default)]
pub struct EntrepreneurshipMutation;

#[Object]
impl EntrepreneurshipMutation {
    /// Records an entrepreneurship training of a relocated person (A2§2.1).
    async fn record_entrepreneurship_training(
        &self,
        ctx: &Context<'_>,
        input: RecordEntrepreneurshipTrainingInput,
    ) -> Result<EntrepreneurshipTraining> {
        let principal = writer(ctx, DataDomain::Training, "entrepreneurship training")?;
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let institution_id = optional_id(
            "input.institutionId",
            NodeType::TrainingInstitution,
            &input.institution_id,
        )?;
        let class_id = optional_id("input.classId", NodeType::TrainingClass, &input.class_id)?;
        let title = line("input.title", &input.title, 200)?;
        let certificate_no = optional_line("input.certificateNo", &input.certificate_no, 64)?;
        not_in_future("input.startsOn", input.starts_on)?;
        domain::entrepreneurship::check_training(
            input.starts_on,
            input.ends_on,
            input.completed,
            certificate_no.is_some(),
            today_in_china(),
        )
        .map_err(training_rule)?;
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        let stored = store::record_training(
            database(ctx),
            &actor_of(principal),
            NewTraining {
                person_id,
                institution_id,
                class_id,
                title,
                starts_on: input.starts_on,
                ends_on: input.ends_on,
                completed: input.completed,
                certificate_no,
            },
        )
        .await?;
        training_node(ctx, stored).await
    }

    /// Records that a training has ended and was completed, with its certificate number.
    async fn complete_entrepreneurship_training(
        &self,
        ctx: &Context<'_>,
        input: CompleteEntrepreneurshipTrainingInput,
    ) -> Result<EntrepreneurshipTraining> {
        let principal = writer(ctx, DataDomain::Training, "entrepreneurship training")?;
        let id = decode_id("input.id", NodeType::EntrepreneurshipTraining, &input.id)?;
        let certificate_no = optional_line("input.certificateNo", &input.certificate_no, 64)?;
        let db = database(ctx);
        let current = store::find_training(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("EntrepreneurshipTraining", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Person,
            current.person_id,
            "EntrepreneurshipTraining",
        )
        .await?;
        let today = today_in_china();
        let has_certificate = certificate_no.is_some();
        let stored = store::complete_training(
            db,
            &actor_of(principal),
            id,
            input.version,
            input.ends_on,
            certificate_no,
            |stored| {
                domain::entrepreneurship::check_training(
                    stored.starts_on,
                    Some(input.ends_on),
                    true,
                    has_certificate,
                    today,
                )
                .map_err(training_rule)
            },
        )
        .await?;
        training_node(ctx, stored).await
    }

    /// Records a guaranteed start-up loan application (A2§2.1), status APPLIED.
    async fn apply_guaranteed_loan(
        &self,
        ctx: &Context<'_>,
        input: ApplyGuaranteedLoanInput,
    ) -> Result<GuaranteedLoan> {
        let principal = writer(ctx, DataDomain::Employment, "guaranteed loans")?;
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let lender_name = line("input.lenderName", &input.lender_name, 100)?;
        let principal_fen = Money::parse(&input.principal)
            .map_err(|error| ApiError::invalid("input.principal", error))?
            .fen();
        let rate = Percent::parse(&input.annual_rate)
            .map_err(|error| ApiError::invalid("input.annualRate", error))?;
        let rate_bp = i32::try_from(rate.basis_points()).unwrap_or(i32::MAX);
        domain::entrepreneurship::check_loan_terms(principal_fen, rate_bp).map_err(|error| {
            let field = match error {
                EntrepreneurshipRuleError::PrincipalNotPositive { .. } => "input.principal",
                _ => "input.annualRate",
            };
            ApiError::invalid(field, error)
        })?;
        let business_description = notes_field(
            "input.businessDescription",
            &input.business_description,
            2000,
        )?;
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        let stored = store::apply_loan(
            database(ctx),
            &actor_of(principal),
            NewLoan {
                person_id,
                lender_name,
                principal_fen,
                annual_rate_bp: rate_bp,
                interest_subsidised: input.interest_subsidised,
                business_description,
            },
        )
        .await?;
        loan_node(ctx, stored).await
    }

    /// Moves a loan on: granted (with contract, grant and due days) or rejected; repaid (with
    /// the day) or overdue (after its due day) — A2§2.1. Refused changes leave it unchanged.
    async fn change_guaranteed_loan_status(
        &self,
        ctx: &Context<'_>,
        input: ChangeGuaranteedLoanStatusInput,
    ) -> Result<GuaranteedLoan> {
        let principal = writer(ctx, DataDomain::Employment, "guaranteed loans")?;
        let id = decode_id("input.id", NodeType::GuaranteedLoan, &input.id)?;
        let contract_no = optional_line("input.contractNo", &input.contract_no, 64)?;
        let db = database(ctx);
        let current = store::find_loan(db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("GuaranteedLoan", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Person,
            current.person_id,
            "GuaranteedLoan",
        )
        .await?;
        let stored = store::change_loan_status(
            db,
            &actor_of(principal),
            id,
            input.version,
            LoanChange {
                status: input.status.into(),
                contract_no,
                granted_on: input.granted_on,
                due_on: input.due_on,
                repaid_on: input.repaid_on,
            },
            today_in_china(),
        )
        .await?;
        loan_node(ctx, stored).await
    }
}

async fn training_node(
    ctx: &Context<'_>,
    model: entrepreneurship_training::Model,
) -> Result<EntrepreneurshipTraining> {
    let db = database(ctx);
    let resident = persons_at_sites(db, &[model.person_id])
        .await?
        .remove(&model.person_id)
        .map(Resident);
    let institution_name = match model.institution_id {
        Some(id) => store::institutions_by_id(db, &[id])
            .await?
            .remove(&id)
            .map(|institution| institution.name),
        None => None,
    };
    Ok(EntrepreneurshipTraining {
        model,
        resident,
        institution_name,
    })
}

async fn loan_node(ctx: &Context<'_>, model: guaranteed_loan::Model) -> Result<GuaranteedLoan> {
    let resident = persons_at_sites(database(ctx), &[model.person_id])
        .await?
        .remove(&model.person_id)
        .map(Resident);
    Ok(GuaranteedLoan { model, resident })
}
