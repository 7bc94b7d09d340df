//! Employment and training over GraphQL (annex 2): the district and town job databases
//! (岗位信息库), zero-employment households with their one-to-one job pushes (A2§1),
//! employment spells that keep a person's employment status in step (A2§1–2), training
//! institutions, classes with their filing deadline and allowance (A2§3.1), enrolments and the
//! post-training employment rate (A2§3.2), and the working-day calendar the deadline is
//! counted in.
//!
//! Access: jobs, pushes and spells belong to the `employment` domain, training to the
//! `training` domain. District-wide writers of `employment` (HR&SS, poverty alleviation) keep
//! the district job database; a town keeps its own town's database and writes for its own
//! sites' households only (another town's record is NOT_FOUND). The calendar is public
//! reference data any signed-in user may read; it is kept by whoever may write `training`
//! (by default 区人社局, who receives the filings it is counted for).
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::calendar::{
    check_calendar_entry, CalendarDayKind as DomainCalendarDayKind, WorkingCalendar,
};
use domain::employment::{
    EmploymentType as DomainEmploymentType, JobPostingLevel as DomainJobPostingLevel,
    JobPostingStatus as DomainJobPostingStatus, JobPushMethod as DomainJobPushMethod,
    JobPushOutcome as DomainJobPushOutcome,
};
use domain::money::Money;
use domain::text::{clean_line, clean_optional_line};
use domain::training::{
    assess_filing, class_allowance_due, class_days, post_training_employment_rate,
    ClassHourCategory as DomainClassHourCategory, FilingAssessment,
};

use super::access::{principal, read};
use super::connection::PageInfo;
use super::enums::decode;
use super::ids::{decode_id, encode_id, NodeType};
use super::loaders::{HouseholdKey, MembersOfHousehold, TownKey};
use super::registry::{Household, Person, Town};
use super::{database, load_one, loader};
use crate::access::{Principal, RowScope};
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::employment::{
    self as store, EnrolmentChanges, JobPostingChanges, JobPostingFilter, NewInstitution,
    NewJobPosting, NewJobPush, NewSpell, NewTrainingClass, PushOutcome, TrainingClassFilter,
    ZeroEmploymentFilter,
};
use crate::persistence::entities::{
    employment_spell, job_posting, job_push, person, training_class, training_enrolment,
    training_institution, working_day_calendar,
};
use crate::persistence::paging::{Cursor, PageDirection, PageRequest};
use crate::persistence::registry::{self, Page, RecordTable};
use crate::persistence::registry_writes::Actor;

// ---------------------------------------------------------------- enums

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident mirrors $domain:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$domain> for $name {
            fn from(value: $domain) -> $name {
                match value { $($domain::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> $domain {
                match value { $($name::$variant => $domain::$variant),+ }
            }
        }
    };
}

mirror! {
    /// How a person is employed (A2§1–2); also the type of a posting.
    EmploymentType mirrors DomainEmploymentType {
        /// 就近就地就业
        Nearby,
        /// 外出务工
        Migrant,
        /// 自主创业
        SelfEmployed,
        /// 公益岗位
        PublicWelfarePost,
        /// 社区工厂
        CommunityFactory,
    }
}

mirror! {
    /// The district's or a town's job database (A2§1).
    JobPostingLevel mirrors DomainJobPostingLevel { District, Town }
}

mirror! {
    /// Whether a posting still takes people.
    JobPostingStatus mirrors DomainJobPostingStatus { Open, Filled, Closed }
}

mirror! {
    /// How a job was pushed (一对一、面对面, A2§1).
    JobPushMethod mirrors DomainJobPushMethod { FaceToFace, Phone, Message, Visit }
}

mirror! {
    /// What came of a push. HIRED opens an employment spell and resolves a zero-employment household.
    JobPushOutcome mirrors DomainJobPushOutcome {
        /// 待反馈
        Pending,
        /// 有意向 (accepted, interview arranged)
        Interested,
        /// 拒绝
        Declined,
        /// 已录用
        Hired,
        /// 未录用
        NotHired,
    }
}

mirror! {
    /// The class-hour category that decides the daily allowance (A2§3.1).
    ClassHourCategory mirrors DomainClassHourCategory {
        /// 全日制: 50 yuan per person per day
        FullDay,
        /// 非全日制: 20 yuan per person per day
        PartDay,
    }
}

mirror! {
    /// A listed calendar day: a public holiday or a make-up working day (调休上班).
    CalendarDayKind mirrors DomainCalendarDayKind { Holiday, MakeupWorkday }
}

/// The kind of a training class.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainingClassKind {
    /// 技能培训
    Skills,
    /// 创业培训
    Entrepreneurship,
    /// 订单式培训
    OrderBased,
    /// 定向培训
    Directed,
}

impl TrainingClassKind {
    fn code(self) -> &'static str {
        match self {
            TrainingClassKind::Skills => "skills",
            TrainingClassKind::Entrepreneurship => "entrepreneurship",
            TrainingClassKind::OrderBased => "order_based",
            TrainingClassKind::Directed => "directed",
        }
    }

    fn from_code(code: &str) -> Option<TrainingClassKind> {
        match code {
            "skills" => Some(TrainingClassKind::Skills),
            "entrepreneurship" => Some(TrainingClassKind::Entrepreneurship),
            "order_based" => Some(TrainingClassKind::OrderBased),
            "directed" => Some(TrainingClassKind::Directed),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- connections

/// What a list's `totalCount` counts; computed only when asked for.
enum TotalOf {
    JobPostings(JobPostingFilter),
    ZeroEmploymentHouseholds(ZeroEmploymentFilter),
    TrainingClasses(TrainingClassFilter),
}

impl TotalOf {
    async fn resolve(&self, ctx: &Context<'_>) -> Result<i64> {
        let db = database(ctx);
        let count = match self {
            TotalOf::JobPostings(filter) => store::count_job_postings(db, filter).await?,
            TotalOf::ZeroEmploymentHouseholds(filter) => {
                store::count_zero_employment_households(db, filter).await?
            }
            TotalOf::TrainingClasses(filter) => store::count_training_classes(db, filter).await?,
        };
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

fn page_info(ids: &[i64], has_more: bool, request: &PageRequest) -> PageInfo {
    let beyond_cursor = request.cursor.is_some();
    let (has_next_page, has_previous_page) = match request.direction {
        PageDirection::Forward => (has_more, beyond_cursor),
        PageDirection::Backward => (beyond_cursor, has_more),
    };
    PageInfo {
        has_next_page,
        has_previous_page,
        start_cursor: ids.first().map(|id| cursor_of(*id)),
        end_cursor: ids.last().map(|id| cursor_of(*id)),
    }
}

fn cursor_of(id: i64) -> String {
    Cursor {
        sort: "ID".into(),
        key: None,
        id,
    }
    .encode()
}

macro_rules! id_ordered_connection {
    ($connection:ident, $edge:ident, $node:ident) => {
        #[doc = concat!("An edge to a ", stringify!($node), " with its cursor.")]
        #[derive(SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[doc = concat!("A page of ", stringify!($node), " records in id order.")]
        pub struct $connection {
            edges: Vec<$edge>,
            page_info: PageInfo,
            total: TotalOf,
        }

        impl $connection {
            fn new(
                ids: Vec<i64>,
                nodes: Vec<$node>,
                has_more: bool,
                request: &PageRequest,
                total: TotalOf,
            ) -> $connection {
                let page_info = page_info(&ids, has_more, request);
                let edges = ids
                    .into_iter()
                    .zip(nodes)
                    .map(|(id, node)| $edge {
                        cursor: cursor_of(id),
                        node,
                    })
                    .collect();
                $connection {
                    edges,
                    page_info,
                    total,
                }
            }
        }

        #[Object]
        impl $connection {
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }
            /// The nodes of the edges, for clients that need no cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|edge| &edge.node).collect()
            }
            async fn page_info(&self) -> &PageInfo {
                &self.page_info
            }
            /// How many records the whole list has (all pages).
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
                self.total.resolve(ctx).await
            }
        }
    };
}

id_ordered_connection!(JobPostingConnection, JobPostingEdge, JobPosting);
id_ordered_connection!(
    ZeroEmploymentHouseholdConnection,
    ZeroEmploymentHouseholdEdge,
    ZeroEmploymentHousehold
);
id_ordered_connection!(TrainingClassConnection, TrainingClassEdge, TrainingClass);

// ---------------------------------------------------------------- output types

/// Money as a plain decimal string of yuan with two decimals, e.g. `1200.00`.
fn yuan(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

/// A job posting of the district or a town job database (岗位信息库, A2§1).
pub struct JobPosting(pub job_posting::Model);

#[Object]
impl JobPosting {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::JobPosting, self.0.id)
    }
    async fn level(&self) -> Result<JobPostingLevel> {
        Ok(decode(
            "job_posting.level",
            &self.0.level,
            DomainJobPostingLevel::from_code,
        )?
        .into())
    }
    /// The town of a town-level posting.
    async fn town(&self, ctx: &Context<'_>) -> Result<Option<Town>> {
        match self.0.town_id {
            Some(id) => Ok(Some(Town(load_one(ctx, TownKey(id), "town").await?))),
            None => Ok(None),
        }
    }
    async fn employer_name(&self) -> &str {
        &self.0.employer_name
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn employment_type(&self) -> Result<EmploymentType> {
        Ok(decode(
            "job_posting.employment_type",
            &self.0.employment_type,
            DomainEmploymentType::from_code,
        )?
        .into())
    }
    async fn location(&self) -> &str {
        &self.0.location
    }
    async fn vacancies(&self) -> i32 {
        self.0.vacancies
    }
    /// Yuan per month, e.g. `2200.00`.
    async fn monthly_wage_min(&self) -> Option<String> {
        self.0.monthly_wage_min_fen.map(yuan)
    }
    async fn monthly_wage_max(&self) -> Option<String> {
        self.0.monthly_wage_max_fen.map(yuan)
    }
    async fn requirements(&self) -> &str {
        &self.0.requirements
    }
    /// The employer's contact number (not personal data).
    async fn contact_phone(&self) -> Option<&str> {
        self.0.contact_phone.as_deref()
    }
    async fn published_on(&self) -> NaiveDate {
        self.0.published_on
    }
    async fn closes_on(&self) -> Option<NaiveDate> {
        self.0.closes_on
    }
    async fn status(&self) -> Result<JobPostingStatus> {
        Ok(decode(
            "job_posting.status",
            &self.0.status,
            DomainJobPostingStatus::from_code,
        )?
        .into())
    }
    /// Send it back with an update: a stale version is refused with CONFLICT.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A one-to-one job push to a household or one of its members (A2§1).
pub struct JobPush {
    push: job_push::Model,
    posting: Option<Arc<job_posting::Model>>,
}

#[Object]
impl JobPush {
    async fn id(&self) -> ID {
        encode_id(NodeType::JobPush, self.push.id)
    }
    async fn job_posting(&self, ctx: &Context<'_>) -> Result<JobPosting> {
        match &self.posting {
            Some(posting) => Ok(JobPosting(posting.as_ref().clone())),
            None => Ok(JobPosting(
                store::find_job_posting(database(ctx), self.push.job_posting_id)
                    .await?
                    .ok_or_else(|| ApiError::not_found("job posting", self.push.job_posting_id))?,
            )),
        }
    }
    async fn household(&self, ctx: &Context<'_>) -> Result<Household> {
        Ok(Household(
            load_one(ctx, HouseholdKey(self.push.household_id), "household").await?,
        ))
    }
    /// The member it was pushed to; null for a push to the household as a whole (or a member
    /// since archived).
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(person_id) = self.push.person_id else {
            return Ok(None);
        };
        let members = loader(ctx)
            .load_one(MembersOfHousehold(self.push.household_id))
            .await
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?
            .unwrap_or_default();
        Ok(members
            .into_iter()
            .find(|member| member.id == person_id)
            .map(Person))
    }
    async fn pushed_on(&self) -> NaiveDate {
        self.push.pushed_on
    }
    async fn method(&self) -> Result<JobPushMethod> {
        Ok(decode(
            "job_push.method",
            &self.push.method,
            DomainJobPushMethod::from_code,
        )?
        .into())
    }
    async fn outcome(&self) -> Result<JobPushOutcome> {
        Ok(decode(
            "job_push.outcome",
            &self.push.outcome,
            DomainJobPushOutcome::from_code,
        )?
        .into())
    }
    async fn outcome_on(&self) -> Option<NaiveDate> {
        self.push.outcome_on
    }
    async fn notes(&self) -> &str {
        &self.push.notes
    }
    async fn version(&self) -> i32 {
        self.push.version
    }
}

/// A household with labour and nobody employed (零就业, A2§1), with its members who have
/// labour capacity and the jobs pushed to it so far. It leaves the list when a member is
/// employed.
pub struct ZeroEmploymentHousehold {
    household: crate::persistence::entities::household::Model,
    pushes: Vec<job_push::Model>,
    postings: Arc<HashMap<i64, Arc<job_posting::Model>>>,
}

#[Object]
impl ZeroEmploymentHousehold {
    async fn household(&self) -> Household {
        Household(self.household.clone())
    }
    /// Members with full or partial labour capacity (the ones jobs are pushed to).
    async fn labour_members(&self, ctx: &Context<'_>) -> Result<Option<Vec<Person>>> {
        read(
            ctx,
            DataDomain::Identity,
            "ZeroEmploymentHousehold.labourMembers",
        )?;
        let members = loader(ctx)
            .load_one(MembersOfHousehold(self.household.id))
            .await
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?
            .unwrap_or_default();
        let mut labour = Vec::new();
        for member in members {
            let capacity = decode(
                "person.labour_capacity",
                &member.labour_capacity,
                domain::person::LabourCapacity::from_code,
            )?;
            if capacity.has_labour() {
                labour.push(Person(member));
            }
        }
        Ok(Some(labour))
    }
    /// The pushes so far, newest first.
    async fn pushes(&self) -> Vec<JobPush> {
        self.pushes
            .iter()
            .map(|push| JobPush {
                push: push.clone(),
                posting: self.postings.get(&push.job_posting_id).cloned(),
            })
            .collect()
    }
    async fn push_count(&self) -> i32 {
        i32::try_from(self.pushes.len()).unwrap_or(i32::MAX)
    }
}

/// A job a person holds or held (A2§1–2); current while it has no end.
pub struct EmploymentSpell(pub employment_spell::Model);

#[Object]
impl EmploymentSpell {
    async fn id(&self) -> ID {
        encode_id(NodeType::EmploymentSpell, self.0.id)
    }
    async fn person_id(&self) -> ID {
        encode_id(NodeType::Person, self.0.person_id)
    }
    async fn employment_type(&self) -> Result<EmploymentType> {
        Ok(decode(
            "employment_spell.employment_type",
            &self.0.employment_type,
            DomainEmploymentType::from_code,
        )?
        .into())
    }
    async fn employer_name(&self) -> &str {
        &self.0.employer_name
    }
    async fn location(&self) -> &str {
        &self.0.location
    }
    async fn job_posting_id(&self) -> Option<ID> {
        self.0
            .job_posting_id
            .map(|id| encode_id(NodeType::JobPosting, id))
    }
    async fn job_push_id(&self) -> Option<ID> {
        self.0
            .job_push_id
            .map(|id| encode_id(NodeType::JobPush, id))
    }
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    async fn ends_on(&self) -> Option<NaiveDate> {
        self.0.ends_on
    }
    /// No end recorded: the person holds this job now.
    async fn is_current(&self) -> bool {
        self.0.ends_on.is_none()
    }
    /// Yuan per month, e.g. `2600.00`.
    async fn monthly_income(&self) -> Option<String> {
        self.0.monthly_income_fen.map(yuan)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A training institution that files its class plans with HR&SS (A2§3.1).
#[derive(Clone)]
pub struct TrainingInstitution(pub training_institution::Model);

#[Object]
impl TrainingInstitution {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::TrainingInstitution, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn licence_no(&self) -> Option<&str> {
        self.0.licence_no.as_deref()
    }
    async fn contact_phone(&self) -> Option<&str> {
        self.0.contact_phone.as_deref()
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// A person's enrolment in a class, with attendance and what came after (A2§3.1–2).
pub struct TrainingEnrolment {
    enrolment: training_enrolment::Model,
    person: Option<person::Model>,
    category: DomainClassHourCategory,
    subsidy_eligible: bool,
}

#[Object]
impl TrainingEnrolment {
    async fn id(&self) -> ID {
        encode_id(NodeType::TrainingEnrolment, self.enrolment.id)
    }
    async fn person(&self) -> Option<Person> {
        self.person.clone().map(Person)
    }
    async fn enrolled_on(&self) -> NaiveDate {
        self.enrolment.enrolled_on
    }
    async fn attended_days(&self) -> i32 {
        self.enrolment.attended_days
    }
    async fn completed(&self) -> bool {
        self.enrolment.completed
    }
    async fn certificate_no(&self) -> Option<&str> {
        self.enrolment.certificate_no.as_deref()
    }
    /// Employed after the training (A2§3.2).
    async fn employed_after_training(&self) -> bool {
        self.enrolment.employed_after_training
    }
    /// Attended days × the class's daily rate, in yuan (`0.00` when the class is not eligible).
    async fn allowance_due(&self) -> Result<String> {
        let days = u32::try_from(self.enrolment.attended_days).unwrap_or(0);
        class_allowance_due(&[days], self.category, self.subsidy_eligible)
            .map(|money| money.to_string())
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("allowance overflow")).into())
    }
    async fn version(&self) -> i32 {
        self.enrolment.version
    }
}

/// A training class with its filing assessment (A2§3.1), allowance (A2§3.1) and
/// post-training employment rate (A2§3.2).
pub struct TrainingClass {
    class: training_class::Model,
    institution: Option<TrainingInstitution>,
    filing: FilingAssessment,
    category: DomainClassHourCategory,
    enrolments: Vec<training_enrolment::Model>,
    persons: Arc<HashMap<i64, person::Model>>,
    allowance_paid_fen: i64,
}

impl TrainingClass {
    fn attended_days(&self) -> Vec<u32> {
        self.enrolments
            .iter()
            .map(|enrolment| u32::try_from(enrolment.attended_days).unwrap_or(0))
            .collect()
    }
    fn employed_after(&self) -> u32 {
        let count = self
            .enrolments
            .iter()
            .filter(|enrolment| enrolment.employed_after_training)
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
    fn enrolled(&self) -> u32 {
        u32::try_from(self.enrolments.len()).unwrap_or(u32::MAX)
    }
}

#[Object]
impl TrainingClass {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::TrainingClass, self.class.id)
    }
    async fn institution(&self) -> Option<&TrainingInstitution> {
        self.institution.as_ref()
    }
    async fn code(&self) -> &str {
        &self.class.code
    }
    async fn name(&self) -> &str {
        &self.class.name
    }
    async fn speciality(&self) -> &str {
        &self.class.speciality
    }
    async fn kind(&self) -> Result<TrainingClassKind> {
        TrainingClassKind::from_code(&self.class.kind)
            .ok_or_else(|| super::enums::corrupt("training_class.kind", &self.class.kind).into())
    }
    async fn allowance_category(&self) -> ClassHourCategory {
        self.category.into()
    }
    /// Yuan per person per day: `20.00` or `50.00` (A2§3.1).
    async fn daily_allowance(&self) -> String {
        self.category.daily_allowance().to_string()
    }
    async fn class_hours(&self) -> i32 {
        self.class.class_hours
    }
    async fn courses(&self) -> &str {
        &self.class.courses
    }
    async fn capacity(&self) -> Option<i32> {
        self.class.capacity
    }
    async fn filed_on(&self) -> Option<NaiveDate> {
        self.class.filed_on
    }
    async fn filing_reference(&self) -> Option<&str> {
        self.class.filing_reference.as_deref()
    }
    async fn starts_on(&self) -> NaiveDate {
        self.class.starts_on
    }
    async fn ends_on(&self) -> NaiveDate {
        self.class.ends_on
    }
    /// Days the class runs, first and last included.
    async fn class_days(&self) -> i32 {
        i32::try_from(class_days(self.class.starts_on, self.class.ends_on)).unwrap_or(i32::MAX)
    }
    async fn status(&self) -> &str {
        &self.class.status
    }
    /// Filed at least 10 working days before the start (A2§3.1).
    async fn filed_on_time(&self) -> bool {
        self.filing.filed_on_time
    }
    /// The last day to file and keep the subsidy: 10 working days before the start, counted
    /// in the official calendar (holidays and make-up working days).
    async fn latest_filing_date(&self) -> Option<NaiveDate> {
        self.filing.latest_filing_date
    }
    /// Working days from the filing date (counted) to the start (not counted).
    async fn working_days_filed_ahead(&self) -> Option<i32> {
        self.filing
            .working_days_ahead
            .map(|days| i32::try_from(days).unwrap_or(i32::MAX))
    }
    async fn subsidy_eligible(&self) -> bool {
        self.filing.subsidy_eligible
    }
    /// Why the class is or is not subsidy-eligible.
    async fn subsidy_reason(&self) -> &str {
        &self.filing.reason
    }
    async fn enrolled_count(&self) -> i32 {
        i32::try_from(self.enrolled()).unwrap_or(i32::MAX)
    }
    async fn employed_after_training_count(&self) -> i32 {
        i32::try_from(self.employed_after()).unwrap_or(i32::MAX)
    }
    /// Employed after training ÷ enrolled, percent with two decimals (`66.67`); null when
    /// nobody enrolled (A2§3.2).
    async fn post_training_employment_rate(&self) -> Result<Option<String>> {
        let rate = post_training_employment_rate(self.enrolled(), self.employed_after())
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?;
        Ok(rate.map(|ratio| {
            ratio
                .to_percent()
                .to_string()
                .trim_end_matches('%')
                .to_string()
        }))
    }
    /// The living and transport allowance due (A2§3.1): attended days × 20 or 50 yuan, summed
    /// over the enrolments; `0.00` for a class that is not subsidy-eligible.
    async fn allowance_due(&self) -> Result<String> {
        class_allowance_due(
            &self.attended_days(),
            self.category,
            self.filing.subsidy_eligible,
        )
        .map(|money| money.to_string())
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("allowance overflow")).into())
    }
    /// What has been paid so far, from the payment records.
    async fn allowance_paid(&self) -> String {
        yuan(self.allowance_paid_fen)
    }
    async fn enrolments(&self) -> Vec<TrainingEnrolment> {
        self.enrolments
            .iter()
            .map(|enrolment| TrainingEnrolment {
                enrolment: enrolment.clone(),
                person: self.persons.get(&enrolment.person_id).cloned(),
                category: self.category,
                subsidy_eligible: self.filing.subsidy_eligible,
            })
            .collect()
    }
    async fn version(&self) -> i32 {
        self.class.version
    }
}

/// A listed day of the working-day calendar.
#[derive(SimpleObject)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: CalendarDayKind,
    /// e.g. 国庆节, 国庆节调休上班.
    pub name: String,
}

impl CalendarDay {
    fn new(model: working_day_calendar::Model) -> Result<CalendarDay, ApiError> {
        let kind = decode(
            "working_day_calendar.kind",
            &model.kind,
            DomainCalendarDayKind::from_code,
        )?;
        Ok(CalendarDay {
            date: model.day,
            kind: kind.into(),
            name: model.name,
        })
    }
}

// ---------------------------------------------------------------- assembling classes

/// Builds class nodes for a page: institutions, calendar, enrolments, persons and payments
/// each in one statement, whatever the number of classes.
async fn assemble_classes(
    ctx: &Context<'_>,
    principal: &Principal,
    classes: Vec<training_class::Model>,
) -> Result<Vec<TrainingClass>, ApiError> {
    let db = database(ctx);
    if classes.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = classes.iter().map(|class| class.id).collect();
    let institutions: HashMap<i64, TrainingInstitution> = store::all_institutions(db)
        .await?
        .into_iter()
        .map(|institution| (institution.id, TrainingInstitution(institution)))
        .collect();
    let calendar = calendar_for(db, &classes).await?;
    let mut enrolments = store::enrolments_of_classes(db, &ids, principal.scope.town_ids()).await?;
    let person_ids: Vec<i64> = enrolments
        .values()
        .flatten()
        .map(|enrolment| enrolment.person_id)
        .collect();
    let persons = Arc::new(store::persons_by_id(db, &person_ids).await?);
    let paid = store::allowance_paid_by_class(db, &ids).await?;
    let mut nodes = Vec::with_capacity(classes.len());
    for class in classes {
        let (category, filing) = allowance_terms(&class, &calendar)?;
        nodes.push(TrainingClass {
            institution: institutions.get(&class.institution_id).cloned(),
            filing,
            category,
            enrolments: enrolments.remove(&class.id).unwrap_or_default(),
            persons: persons.clone(),
            allowance_paid_fen: paid.get(&class.id).copied().unwrap_or(0),
            class,
        });
    }
    Ok(nodes)
}

/// What an enrolment's allowance depends on, for each of `class_ids`: the class's class-hour
/// category and whether its filing makes it eligible for the subsidy (two statements: the
/// classes and the calendar around their filing deadlines).
pub(crate) async fn class_terms(
    db: &impl sea_orm::ConnectionTrait,
    class_ids: &[i64],
) -> Result<HashMap<i64, ClassTerms>, ApiError> {
    let classes = store::classes_by_id(db, class_ids).await?;
    if classes.is_empty() {
        return Ok(HashMap::new());
    }
    let calendar = calendar_for(db, &classes).await?;
    let mut terms = HashMap::with_capacity(classes.len());
    for class in classes {
        let (category, filing) = allowance_terms(&class, &calendar)?;
        terms.insert(
            class.id,
            ClassTerms {
                category,
                subsidy_eligible: filing.subsidy_eligible,
            },
        );
    }
    Ok(terms)
}

/// A class's class-hour category and its filing assessment (A2§3.1), which decide the allowance.
fn allowance_terms(
    class: &training_class::Model,
    calendar: &WorkingCalendar,
) -> Result<(DomainClassHourCategory, FilingAssessment), ApiError> {
    let category = decode(
        "training_class.allowance_category",
        &class.allowance_category,
        DomainClassHourCategory::from_code,
    )?;
    Ok((
        category,
        assess_filing(class.filed_on, class.starts_on, calendar),
    ))
}

/// The terms of a training class an enrolment's allowance is computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassTerms {
    pub category: DomainClassHourCategory,
    pub subsidy_eligible: bool,
}

impl TrainingEnrolment {
    /// A person's enrolment, read from the person (`Person.trainingEnrolments`).
    pub(crate) fn of_person(
        enrolment: training_enrolment::Model,
        person: &person::Model,
        terms: ClassTerms,
    ) -> TrainingEnrolment {
        TrainingEnrolment {
            enrolment,
            person: Some(person.clone()),
            category: terms.category,
            subsidy_eligible: terms.subsidy_eligible,
        }
    }
}

/// The calendar covering every filing deadline and filing date of `classes` (one statement).
async fn calendar_for(
    db: &impl sea_orm::ConnectionTrait,
    classes: &[training_class::Model],
) -> Result<WorkingCalendar, ApiError> {
    // Ten working days lie within 60 calendar days even around the Spring Festival.
    let lookback = chrono::Days::new(60);
    let mut from = NaiveDate::MAX;
    let mut through = NaiveDate::MIN;
    for class in classes {
        let earliest = class
            .starts_on
            .checked_sub_days(lookback)
            .unwrap_or(NaiveDate::MIN);
        from = from.min(earliest).min(class.filed_on.unwrap_or(earliest));
        through = through.max(class.starts_on);
    }
    let days = store::calendar_days_between(db, from, through).await?;
    let mut entries = Vec::with_capacity(days.len());
    for day in days {
        let kind = decode(
            "working_day_calendar.kind",
            &day.kind,
            DomainCalendarDayKind::from_code,
        )?;
        entries.push((day.day, kind));
    }
    Ok(WorkingCalendar::from_entries(entries))
}

// ---------------------------------------------------------------- inputs

/// Which postings to list.
#[derive(InputObject, Default)]
pub struct JobPostingFilterInput {
    pub level: Option<JobPostingLevel>,
    pub town_id: Option<ID>,
    /// Any of these statuses (all when empty).
    pub status: Option<Vec<JobPostingStatus>>,
    pub employment_type: Option<EmploymentType>,
}

#[derive(InputObject)]
pub struct CreateJobPostingInput {
    pub level: JobPostingLevel,
    /// The town of a TOWN posting; none for a DISTRICT posting.
    pub town_id: Option<ID>,
    pub employer_name: String,
    pub title: String,
    pub employment_type: EmploymentType,
    #[graphql(default)]
    pub location: String,
    pub vacancies: i32,
    /// Yuan per month, e.g. "2200" or "2200.00".
    pub monthly_wage_min: Option<String>,
    pub monthly_wage_max: Option<String>,
    #[graphql(default)]
    pub requirements: String,
    pub contact_phone: Option<String>,
    /// Defaults to today.
    pub published_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct UpdateJobPostingInput {
    pub id: ID,
    /// The version last read; a stale version is refused with CONFLICT.
    pub version: i32,
    pub employer_name: Option<String>,
    pub title: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub location: Option<String>,
    pub vacancies: Option<i32>,
    pub monthly_wage_min: MaybeUndefined<String>,
    pub monthly_wage_max: MaybeUndefined<String>,
    pub requirements: Option<String>,
    pub contact_phone: MaybeUndefined<String>,
    pub closes_on: MaybeUndefined<NaiveDate>,
}

#[derive(InputObject)]
pub struct CloseJobPostingInput {
    pub id: ID,
    pub version: i32,
    /// CLOSED or FILLED (or OPEN to reopen).
    pub status: JobPostingStatus,
}

#[derive(InputObject)]
pub struct PushJobInput {
    pub household_id: ID,
    /// The member it is pushed to (one with labour capacity); omit for the household as a whole.
    pub person_id: Option<ID>,
    pub job_posting_id: ID,
    pub method: JobPushMethod,
    /// Defaults to today.
    pub pushed_on: Option<NaiveDate>,
    #[graphql(default)]
    pub notes: String,
}

#[derive(InputObject)]
pub struct RecordJobPushOutcomeInput {
    pub id: ID,
    pub version: i32,
    pub outcome: JobPushOutcome,
    /// Defaults to today; for HIRED it is the first day of work.
    pub outcome_on: Option<NaiveDate>,
    pub notes: Option<String>,
    /// For HIRED: yuan per month, if known.
    pub monthly_income: Option<String>,
}

#[derive(InputObject)]
pub struct AddEmploymentSpellInput {
    pub person_id: ID,
    pub employment_type: EmploymentType,
    pub employer_name: String,
    #[graphql(default)]
    pub location: String,
    pub starts_on: NaiveDate,
    /// Yuan per month.
    pub monthly_income: Option<String>,
    pub job_posting_id: Option<ID>,
}

#[derive(InputObject)]
pub struct EndEmploymentSpellInput {
    pub id: ID,
    pub version: i32,
    pub ends_on: NaiveDate,
}

#[derive(InputObject)]
pub struct CreateTrainingInstitutionInput {
    /// Unique code, e.g. TI-03.
    pub code: String,
    pub name: String,
    pub licence_no: Option<String>,
    pub contact_phone: Option<String>,
    #[graphql(default)]
    pub address: String,
}

/// Which classes to list.
#[derive(InputObject, Default)]
pub struct TrainingClassFilterInput {
    pub institution_id: Option<ID>,
    /// Classes starting in this year.
    pub year: Option<i32>,
}

#[derive(InputObject)]
pub struct CreateTrainingClassInput {
    pub institution_id: ID,
    /// Unique code, e.g. TC-2026-06.
    pub code: String,
    pub name: String,
    pub speciality: String,
    pub kind: TrainingClassKind,
    pub allowance_category: ClassHourCategory,
    pub class_hours: i32,
    pub courses: String,
    pub capacity: Option<i32>,
    /// The day the plan was filed with HR&SS; omit if not filed yet.
    pub filed_on: Option<NaiveDate>,
    pub filing_reference: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(InputObject)]
pub struct FileTrainingClassInput {
    pub id: ID,
    pub version: i32,
    pub filed_on: NaiveDate,
    pub filing_reference: Option<String>,
}

#[derive(InputObject)]
pub struct EnrolInTrainingClassInput {
    pub class_id: ID,
    pub person_id: ID,
    /// Defaults to today.
    pub enrolled_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct UpdateTrainingEnrolmentInput {
    pub id: ID,
    pub version: i32,
    pub attended_days: Option<i32>,
    pub completed: Option<bool>,
    pub certificate_no: MaybeUndefined<String>,
    pub employed_after_training: Option<bool>,
}

#[derive(InputObject)]
pub struct AddCalendarDayInput {
    pub date: NaiveDate,
    pub kind: CalendarDayKind,
    /// e.g. 国庆节 or 国庆节调休上班; 1–60 characters.
    pub name: String,
}

// ---------------------------------------------------------------- parsing helpers

fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    clean_line(value, field, max).map_err(|error| ApiError::invalid(field, error))
}

fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, ApiError> {
    clean_optional_line(value, field, max).map_err(|error| ApiError::invalid(field, error))
}

fn free_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    Ok(optional_text(field, value, max)?.unwrap_or_default())
}

/// A non-negative amount of yuan, exact to the fen.
fn money(field: &str, value: &str) -> Result<i64, ApiError> {
    let amount = Money::parse(value).map_err(|error| ApiError::invalid(field, error))?;
    if amount.is_negative() {
        return Err(ApiError::invalid(
            field,
            format!("{value:?} is negative; give an amount of zero or more"),
        ));
    }
    Ok(amount.fen())
}

fn optional_money(field: &str, value: Option<String>) -> Result<Option<i64>, ApiError> {
    value
        .filter(|text| !text.trim().is_empty())
        .map(|text| money(field, &text))
        .transpose()
}

fn optional_id(field: &str, expected: NodeType, id: &Option<ID>) -> Result<Option<i64>, ApiError> {
    id.as_ref()
        .map(|id| decode_id(field, expected, id))
        .transpose()
}

fn positive(field: &str, value: i32, what: &str) -> Result<i32, ApiError> {
    if value < 1 {
        return Err(ApiError::invalid(
            field,
            format!("{what} must be at least 1, got {value}"),
        ));
    }
    Ok(value)
}

/// A code of 2–32 characters of A–Z, 0–9 and '-'.
fn record_code(field: &str, value: &str, example: &str) -> Result<String, ApiError> {
    let code = value.trim().to_ascii_uppercase();
    let valid = (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(code)
    } else {
        Err(ApiError::invalid(
            field,
            format!("{value:?} is not a code: use 2–32 of A–Z, 0–9 and '-', e.g. {example}"),
        ))
    }
}

fn actor_of(principal: &Principal) -> Actor {
    Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    }
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

/// Refuses a record outside the principal's towns, as if it did not exist.
async fn ensure_in_scope(
    ctx: &Context<'_>,
    principal: &Principal,
    table: RecordTable,
    id: i64,
    what: &'static str,
) -> Result<(), ApiError> {
    if principal.scope == RowScope::District {
        return Ok(());
    }
    let town = registry::town_of_record(database(ctx), table, id).await?;
    if town.is_some_and(|town| principal.scope.allows_town(town)) {
        Ok(())
    } else {
        Err(ApiError::not_found(what, "with this ID"))
    }
}

/// A posting the principal may see: the district database, or a town database in scope.
fn posting_visible(principal: &Principal, posting: &job_posting::Model) -> bool {
    match posting.town_id {
        None => true,
        Some(town) => principal.scope.allows_town(town),
    }
}

/// A posting the principal may change: town postings of its towns; district postings only
/// for district-wide principals.
fn ensure_may_keep_posting(
    principal: &Principal,
    town_id: Option<i64>,
    field: &str,
) -> Result<(), ApiError> {
    match (town_id, &principal.scope) {
        (None, RowScope::District) => Ok(()),
        (None, RowScope::Towns(_)) => Err(ApiError::Forbidden(
            "a town keeps its own town's job database; the district job database is kept by the district bureaus".into(),
        )),
        (Some(town), scope) if scope.allows_town(town) => Ok(()),
        (Some(_), _) => Err(ApiError::invalid(
            field,
            "you may keep only your own town's job database",
        )),
    }
}

// ---------------------------------------------------------------- queries

#[derive(Default)]
pub struct EmploymentQuery;

#[Object]
impl EmploymentQuery {
    /// The job database (岗位信息库, A2§1) in id order: the district's and the towns'. A town
    /// sees the district database and its own.
    #[graphql(
        complexity = "super::connection::connection_complexity(child_complexity, first, last)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn job_postings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<JobPostingFilterInput>,
    ) -> Result<JobPostingConnection> {
        let principal = read(ctx, DataDomain::Employment, "Query.jobPostings")?;
        let input = filter.unwrap_or_default();
        let filter = JobPostingFilter {
            level: input
                .level
                .map(|level| DomainJobPostingLevel::from(level).code()),
            town_id: optional_id("filter.townId", NodeType::Town, &input.town_id)?,
            statuses: input
                .status
                .unwrap_or_default()
                .into_iter()
                .map(|status| DomainJobPostingStatus::from(status).code())
                .collect(),
            employment_type: input
                .employment_type
                .map(|kind| DomainEmploymentType::from(kind).code()),
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        };
        let page = PageRequest::from_arguments(first, after, last, before, "ID")?;
        let Page { rows, has_more } =
            store::job_posting_page(database(ctx), &filter, &page).await?;
        let ids = rows.iter().map(|row| row.id).collect();
        let nodes = rows.into_iter().map(JobPosting).collect();
        Ok(JobPostingConnection::new(
            ids,
            nodes,
            has_more,
            &page,
            TotalOf::JobPostings(filter),
        ))
    }

    /// Zero-employment households (零就业, A2§1: labour and nobody employed) within the
    /// principal's towns, in id order, with their labour members and the pushes so far.
    #[graphql(
        complexity = "super::connection::connection_complexity(child_complexity, first, last)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn zero_employment_households(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        site_id: Option<ID>,
        town_id: Option<ID>,
    ) -> Result<ZeroEmploymentHouseholdConnection> {
        let principal = read(
            ctx,
            DataDomain::Employment,
            "Query.zeroEmploymentHouseholds",
        )?;
        let filter = ZeroEmploymentFilter {
            site_id: optional_id("siteId", NodeType::Site, &site_id)?,
            town_id: optional_id("townId", NodeType::Town, &town_id)?,
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        };
        let page = PageRequest::from_arguments(first, after, last, before, "ID")?;
        let db = database(ctx);
        let Page { rows, has_more } =
            store::zero_employment_household_page(db, &filter, &page).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut pushes = store::pushes_of_households(db, &ids).await?;
        let mut posting_ids: Vec<i64> = pushes
            .values()
            .flatten()
            .map(|push| push.job_posting_id)
            .collect();
        posting_ids.sort_unstable();
        posting_ids.dedup();
        let postings: Arc<HashMap<i64, Arc<job_posting::Model>>> = Arc::new(
            store::job_postings_by_id(db, &posting_ids)
                .await?
                .into_iter()
                .map(|(id, posting)| (id, Arc::new(posting)))
                .collect(),
        );
        let nodes = rows
            .into_iter()
            .map(|household| ZeroEmploymentHousehold {
                pushes: pushes.remove(&household.id).unwrap_or_default(),
                postings: postings.clone(),
                household,
            })
            .collect();
        Ok(ZeroEmploymentHouseholdConnection::new(
            ids,
            nodes,
            has_more,
            &page,
            TotalOf::ZeroEmploymentHouseholds(filter),
        ))
    }

    /// The jobs pushed to a household, newest first (A2§1).
    async fn job_pushes(&self, ctx: &Context<'_>, household_id: ID) -> Result<Vec<JobPush>> {
        let principal = read(ctx, DataDomain::Employment, "Query.jobPushes")?;
        let id = decode_id("householdId", NodeType::Household, &household_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Household, id, "household").await?;
        let db = database(ctx);
        let pushes = store::pushes_of_households(db, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let posting_ids: Vec<i64> = pushes.iter().map(|push| push.job_posting_id).collect();
        let postings = store::job_postings_by_id(db, &posting_ids).await?;
        Ok(pushes
            .into_iter()
            .map(|push| JobPush {
                posting: postings.get(&push.job_posting_id).cloned().map(Arc::new),
                push,
            })
            .collect())
    }

    /// A person's employment spells, current ones first, then newest first (A2§1–2).
    async fn employment_spells(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
    ) -> Result<Vec<EmploymentSpell>> {
        let principal = read(ctx, DataDomain::Employment, "Query.employmentSpells")?;
        let id = decode_id("personId", NodeType::Person, &person_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Person, id, "person").await?;
        Ok(store::spells_of_person(database(ctx), id)
            .await?
            .into_iter()
            .map(EmploymentSpell)
            .collect())
    }

    /// Training institutions (A2§3.1).
    async fn training_institutions(&self, ctx: &Context<'_>) -> Result<Vec<TrainingInstitution>> {
        read(ctx, DataDomain::Training, "Query.trainingInstitutions")?;
        Ok(store::all_institutions(database(ctx))
            .await?
            .into_iter()
            .map(TrainingInstitution)
            .collect())
    }

    /// Training classes in id order, each with its filing assessment and allowance (A2§3).
    #[graphql(
        complexity = "super::connection::connection_complexity(child_complexity, first, last)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn training_classes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TrainingClassFilterInput>,
    ) -> Result<TrainingClassConnection> {
        let principal = read(ctx, DataDomain::Training, "Query.trainingClasses")?;
        let input = filter.unwrap_or_default();
        let filter = TrainingClassFilter {
            institution_id: optional_id(
                "filter.institutionId",
                NodeType::TrainingInstitution,
                &input.institution_id,
            )?,
            year: input.year,
        };
        let page = PageRequest::from_arguments(first, after, last, before, "ID")?;
        let Page { rows, has_more } =
            store::training_class_page(database(ctx), &filter, &page).await?;
        let ids = rows.iter().map(|row| row.id).collect();
        let nodes = assemble_classes(ctx, principal, rows).await?;
        Ok(TrainingClassConnection::new(
            ids,
            nodes,
            has_more,
            &page,
            TotalOf::TrainingClasses(filter),
        ))
    }

    /// One training class; null when it does not exist.
    async fn training_class(&self, ctx: &Context<'_>, id: ID) -> Result<Option<TrainingClass>> {
        let principal = read(ctx, DataDomain::Training, "Query.trainingClass")?;
        let id = decode_id("id", NodeType::TrainingClass, &id)?;
        let Some(class) = store::find_training_class(database(ctx), id).await? else {
            return Ok(None);
        };
        Ok(assemble_classes(ctx, principal, vec![class]).await?.pop())
    }

    /// The listed days of a year's working-day calendar: public holidays and make-up working
    /// days (weekends are not listed). Public reference data: any signed-in user may read it.
    async fn working_day_calendar(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<CalendarDay>> {
        principal(ctx)?;
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(ApiError::invalid("year", format!("{year} is not a calendar year")).into());
        };
        let mut days = Vec::new();
        for day in store::calendar_days_between(database(ctx), first, last).await? {
            days.push(CalendarDay::new(day)?);
        }
        Ok(days)
    }
}

// ---------------------------------------------------------------- mutations

#[derive(Default)]
pub struct EmploymentMutation;

#[Object]
impl EmploymentMutation {
    /// Adds a posting to the district or a town job database (A2§1).
    async fn create_job_posting(
        &self,
        ctx: &Context<'_>,
        input: CreateJobPostingInput,
    ) -> Result<JobPosting> {
        let level = DomainJobPostingLevel::from(input.level);
        let town_id = optional_id("input.townId", NodeType::Town, &input.town_id)?;
        match (level, town_id) {
            (DomainJobPostingLevel::Town, None) => {
                return Err(
                    ApiError::invalid("input.townId", "a TOWN posting needs its town").into(),
                )
            }
            (DomainJobPostingLevel::District, Some(_)) => {
                return Err(ApiError::invalid(
                    "input.townId",
                    "a DISTRICT posting belongs to no town; leave townId out or use level TOWN",
                )
                .into())
            }
            _ => {}
        }
        let new = NewJobPosting {
            level: level.code(),
            town_id,
            employer_name: text("input.employerName", &input.employer_name, 200)?,
            title: text("input.title", &input.title, 100)?,
            employment_type: DomainEmploymentType::from(input.employment_type).code(),
            location: free_text("input.location", &input.location, 200)?,
            vacancies: positive("input.vacancies", input.vacancies, "vacancies")?,
            monthly_wage_min_fen: optional_money("input.monthlyWageMin", input.monthly_wage_min)?,
            monthly_wage_max_fen: optional_money("input.monthlyWageMax", input.monthly_wage_max)?,
            requirements: free_text("input.requirements", &input.requirements, 2000)?,
            contact_phone: input
                .contact_phone
                .map(|phone| optional_text("input.contactPhone", &phone, 20))
                .transpose()?
                .flatten(),
            published_on: input.published_on.unwrap_or_else(today_in_china),
            closes_on: input.closes_on,
            owning_bureau_id: None,
        };
        let principal = writer(ctx, DataDomain::Employment, "the job database")?;
        ensure_may_keep_posting(principal, town_id, "input.townId")?;
        let new = NewJobPosting {
            owning_bureau_id: principal.bureau_ids.first().copied(),
            ..new
        };
        if let Some(town) = town_id {
            if registry::all_towns(database(ctx))
                .await
                .map_err(ApiError::from)?
                .iter()
                .all(|known| known.id != town)
            {
                return Err(ApiError::invalid("input.townId", "no town has this ID").into());
            }
        }
        let created = store::create_job_posting(database(ctx), &actor_of(principal), new).await?;
        Ok(JobPosting(created))
    }

    /// Changes a posting's details.
    async fn update_job_posting(
        &self,
        ctx: &Context<'_>,
        input: UpdateJobPostingInput,
    ) -> Result<JobPosting> {
        let id = decode_id("input.id", NodeType::JobPosting, &input.id)?;
        let changes = JobPostingChanges {
            employer_name: input
                .employer_name
                .map(|value| text("input.employerName", &value, 200))
                .transpose()?,
            title: input
                .title
                .map(|value| text("input.title", &value, 100))
                .transpose()?,
            employment_type: input
                .employment_type
                .map(|kind| DomainEmploymentType::from(kind).code()),
            location: input
                .location
                .map(|value| free_text("input.location", &value, 200))
                .transpose()?,
            vacancies: input
                .vacancies
                .map(|value| positive("input.vacancies", value, "vacancies"))
                .transpose()?,
            monthly_wage_min_fen: maybe(input.monthly_wage_min, |value| {
                money("input.monthlyWageMin", &value)
            })?,
            monthly_wage_max_fen: maybe(input.monthly_wage_max, |value| {
                money("input.monthlyWageMax", &value)
            })?,
            requirements: input
                .requirements
                .map(|value| free_text("input.requirements", &value, 2000))
                .transpose()?,
            contact_phone: maybe(input.contact_phone, |value| {
                text("input.contactPhone", &value, 20)
            })?,
            closes_on: maybe(input.closes_on, Ok)?,
            status: None,
        };
        let principal = writer(ctx, DataDomain::Employment, "the job database")?;
        change_posting(ctx, principal, id, input.version, changes).await
    }

    /// Closes a posting (CLOSED or FILLED), or reopens it (OPEN).
    async fn close_job_posting(
        &self,
        ctx: &Context<'_>,
        input: CloseJobPostingInput,
    ) -> Result<JobPosting> {
        let id = decode_id("input.id", NodeType::JobPosting, &input.id)?;
        let changes = JobPostingChanges {
            status: Some(DomainJobPostingStatus::from(input.status).code()),
            ..Default::default()
        };
        let principal = writer(ctx, DataDomain::Employment, "the job database")?;
        change_posting(ctx, principal, id, input.version, changes).await
    }

    /// Pushes a job one-to-one to a household or one of its members (A2§1).
    async fn push_job(&self, ctx: &Context<'_>, input: PushJobInput) -> Result<JobPush> {
        let household_id = decode_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        let new = NewJobPush {
            job_posting_id: decode_id(
                "input.jobPostingId",
                NodeType::JobPosting,
                &input.job_posting_id,
            )?,
            household_id,
            person_id: optional_id("input.personId", NodeType::Person, &input.person_id)?,
            pushed_on: input.pushed_on.unwrap_or_else(today_in_china),
            method: DomainJobPushMethod::from(input.method).code(),
            notes: free_text("input.notes", &input.notes, 1000)?,
        };
        let principal = writer(ctx, DataDomain::Employment, "job pushes")?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household_id,
            "household",
        )
        .await?;
        let posting = store::find_job_posting(database(ctx), new.job_posting_id)
            .await?
            .filter(|posting| posting_visible(principal, posting))
            .ok_or_else(|| {
                ApiError::invalid(
                    "input.jobPostingId",
                    "no job posting you may see has this ID",
                )
            })?;
        let created =
            store::push_job(database(ctx), &actor_of(principal), new, today_in_china()).await?;
        Ok(JobPush {
            push: created,
            posting: Some(Arc::new(posting)),
        })
    }

    /// Records what came of a push (A2§1). HIRED opens an employment spell of the pushed
    /// member (type and employer from the posting), makes them employed and so takes the
    /// household off the zero-employment list.
    async fn record_job_push_outcome(
        &self,
        ctx: &Context<'_>,
        input: RecordJobPushOutcomeInput,
    ) -> Result<JobPush> {
        let id = decode_id("input.id", NodeType::JobPush, &input.id)?;
        let outcome = PushOutcome {
            outcome: input.outcome.into(),
            outcome_on: input.outcome_on.unwrap_or_else(today_in_china),
            notes: input
                .notes
                .map(|notes| free_text("input.notes", &notes, 1000))
                .transpose()?,
            monthly_income_fen: optional_money("input.monthlyIncome", input.monthly_income)?,
        };
        let principal = writer(ctx, DataDomain::Employment, "job pushes")?;
        let household = store::household_of_push(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("job push", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household,
            "job push",
        )
        .await?;
        let updated = store::record_push_outcome(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            outcome,
            today_in_china(),
        )
        .await?;
        Ok(JobPush {
            push: updated,
            posting: None,
        })
    }

    /// Records a job a person has started (A2§1–2); the person becomes employed in the same
    /// transaction.
    async fn add_employment_spell(
        &self,
        ctx: &Context<'_>,
        input: AddEmploymentSpellInput,
    ) -> Result<EmploymentSpell> {
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let new = NewSpell {
            employment_type: DomainEmploymentType::from(input.employment_type).code(),
            employer_name: text("input.employerName", &input.employer_name, 200)?,
            location: free_text("input.location", &input.location, 200)?,
            job_posting_id: optional_id(
                "input.jobPostingId",
                NodeType::JobPosting,
                &input.job_posting_id,
            )?,
            job_push_id: None,
            starts_on: input.starts_on,
            monthly_income_fen: optional_money("input.monthlyIncome", input.monthly_income)?,
        };
        let principal = writer(ctx, DataDomain::Employment, "employment spells")?;
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        let created = store::add_employment_spell(
            database(ctx),
            &actor_of(principal),
            person_id,
            new,
            today_in_china(),
        )
        .await?;
        Ok(EmploymentSpell(created))
    }

    /// Ends a spell; when it was the person's last current job they become unemployed.
    async fn end_employment_spell(
        &self,
        ctx: &Context<'_>,
        input: EndEmploymentSpellInput,
    ) -> Result<EmploymentSpell> {
        let id = decode_id("input.id", NodeType::EmploymentSpell, &input.id)?;
        let principal = writer(ctx, DataDomain::Employment, "employment spells")?;
        let person = store::person_of_spell(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("employment spell", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Person,
            person,
            "employment spell",
        )
        .await?;
        let ended = store::end_employment_spell(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            input.ends_on,
            today_in_china(),
        )
        .await?;
        Ok(EmploymentSpell(ended))
    }

    /// Registers a training institution (A2§3.1).
    async fn create_training_institution(
        &self,
        ctx: &Context<'_>,
        input: CreateTrainingInstitutionInput,
    ) -> Result<TrainingInstitution> {
        let new = NewInstitution {
            code: record_code("input.code", &input.code, "TI-03")?,
            name: text("input.name", &input.name, 200)?,
            licence_no: input
                .licence_no
                .map(|value| optional_text("input.licenceNo", &value, 64))
                .transpose()?
                .flatten(),
            contact_phone: input
                .contact_phone
                .map(|value| optional_text("input.contactPhone", &value, 20))
                .transpose()?
                .flatten(),
            address: free_text("input.address", &input.address, 200)?,
        };
        let principal = writer(ctx, DataDomain::Training, "training institutions")?;
        let created = store::create_institution(database(ctx), &actor_of(principal), new).await?;
        Ok(TrainingInstitution(created))
    }

    /// Records a training class; `filedOn` is the day its plan was filed with HR&SS, which
    /// decides its subsidy (A2§3.1: at least 10 working days before the start).
    async fn create_training_class(
        &self,
        ctx: &Context<'_>,
        input: CreateTrainingClassInput,
    ) -> Result<TrainingClass> {
        if input.ends_on < input.starts_on {
            return Err(ApiError::invalid(
                "input.endsOn",
                format!(
                    "the class ends on {}, before it starts on {}",
                    input.ends_on, input.starts_on
                ),
            )
            .into());
        }
        let today = today_in_china();
        if let Some(filed_on) = input.filed_on {
            if filed_on > today {
                return Err(ApiError::invalid(
                    "input.filedOn",
                    format!("{filed_on} is in the future (today is {today}); record the day the plan was filed"),
                )
                .into());
            }
        }
        let new = NewTrainingClass {
            institution_id: decode_id(
                "input.institutionId",
                NodeType::TrainingInstitution,
                &input.institution_id,
            )?,
            code: record_code("input.code", &input.code, "TC-2026-06")?,
            name: text("input.name", &input.name, 200)?,
            speciality: text("input.speciality", &input.speciality, 100)?,
            kind: input.kind.code(),
            allowance_category: DomainClassHourCategory::from(input.allowance_category).code(),
            class_hours: positive("input.classHours", input.class_hours, "class hours")?,
            courses: text("input.courses", &input.courses, 2000)?,
            capacity: input
                .capacity
                .map(|value| positive("input.capacity", value, "the capacity"))
                .transpose()?,
            filed_on: input.filed_on,
            filing_reference: input
                .filing_reference
                .map(|value| optional_text("input.filingReference", &value, 64))
                .transpose()?
                .flatten(),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
        };
        let principal = writer(ctx, DataDomain::Training, "training classes")?;
        let created =
            store::create_training_class(database(ctx), &actor_of(principal), new).await?;
        assemble_classes(ctx, principal, vec![created])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found("training class", "just created").into())
    }

    /// Records the day a class plan was filed with HR&SS (A2§3.1); set once.
    async fn file_training_class(
        &self,
        ctx: &Context<'_>,
        input: FileTrainingClassInput,
    ) -> Result<TrainingClass> {
        let id = decode_id("input.id", NodeType::TrainingClass, &input.id)?;
        let today = today_in_china();
        if input.filed_on > today {
            return Err(ApiError::invalid(
                "input.filedOn",
                format!("{} is in the future (today is {today})", input.filed_on),
            )
            .into());
        }
        let reference = input
            .filing_reference
            .map(|value| optional_text("input.filingReference", &value, 64))
            .transpose()?
            .flatten();
        let principal = writer(ctx, DataDomain::Training, "training classes")?;
        let updated = store::file_training_class(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            input.filed_on,
            reference,
        )
        .await?;
        assemble_classes(ctx, principal, vec![updated])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found("training class", "with this ID").into())
    }

    /// Enrols a relocated person in a class.
    async fn enrol_in_training_class(
        &self,
        ctx: &Context<'_>,
        input: EnrolInTrainingClassInput,
    ) -> Result<TrainingClass> {
        let class_id = decode_id("input.classId", NodeType::TrainingClass, &input.class_id)?;
        let person_id = decode_id("input.personId", NodeType::Person, &input.person_id)?;
        let principal = writer(ctx, DataDomain::Training, "training enrolments")?;
        ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "person").await?;
        store::enrol_person(
            database(ctx),
            &actor_of(principal),
            class_id,
            person_id,
            input.enrolled_on.unwrap_or_else(today_in_china),
        )
        .await?;
        let class = store::find_training_class(database(ctx), class_id)
            .await?
            .ok_or_else(|| ApiError::not_found("training class", "with this ID"))?;
        assemble_classes(ctx, principal, vec![class])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found("training class", "with this ID").into())
    }

    /// Records attendance, completion and employment after training (A2§3.1–2).
    async fn update_training_enrolment(
        &self,
        ctx: &Context<'_>,
        input: UpdateTrainingEnrolmentInput,
    ) -> Result<TrainingClass> {
        let id = decode_id("input.id", NodeType::TrainingEnrolment, &input.id)?;
        let attended_days = input
            .attended_days
            .map(|days| {
                u32::try_from(days).map_err(|_| {
                    ApiError::invalid(
                        "input.attendedDays",
                        format!("{days} is negative; give 0 or more days"),
                    )
                })
            })
            .transpose()?;
        let changes = EnrolmentChanges {
            attended_days,
            completed: input.completed,
            certificate_no: maybe(input.certificate_no, |value| {
                text("input.certificateNo", &value, 64)
            })?,
            employed_after_training: input.employed_after_training,
        };
        let principal = writer(ctx, DataDomain::Training, "training enrolments")?;
        let updated = store::update_enrolment(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            changes,
        )
        .await?;
        let class = store::find_training_class(database(ctx), updated.class_id)
            .await?
            .ok_or_else(|| ApiError::not_found("training class", updated.class_id))?;
        assemble_classes(ctx, principal, vec![class])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found("training class", "with this ID").into())
    }

    /// Lists a public holiday or make-up working day in the working-day calendar (kept by
    /// writers of the training domain: 区人社局 by default). Filing deadlines (A2§3.1) are
    /// counted in it from then on.
    async fn add_calendar_day(
        &self,
        ctx: &Context<'_>,
        input: AddCalendarDayInput,
    ) -> Result<CalendarDay> {
        let kind = DomainCalendarDayKind::from(input.kind);
        check_calendar_entry(input.date, kind)
            .map_err(|error| ApiError::invalid("input.date", error))?;
        let name = text("input.name", &input.name, 60)?;
        let principal = writer(ctx, DataDomain::Training, "the working-day calendar")?;
        let created = store::add_calendar_day(
            database(ctx),
            &actor_of(principal),
            input.date,
            kind.code(),
            name,
        )
        .await?;
        Ok(CalendarDay::new(created)?)
    }

    /// Takes a day off the working-day calendar (it becomes an ordinary day of its weekday).
    async fn remove_calendar_day(&self, ctx: &Context<'_>, date: NaiveDate) -> Result<CalendarDay> {
        let principal = writer(ctx, DataDomain::Training, "the working-day calendar")?;
        let removed = store::remove_calendar_day(database(ctx), &actor_of(principal), date).await?;
        Ok(CalendarDay::new(removed)?)
    }
}

/// Applies a change to a posting the principal may keep.
async fn change_posting(
    ctx: &Context<'_>,
    principal: &Principal,
    id: i64,
    version: i32,
    changes: JobPostingChanges,
) -> Result<JobPosting> {
    let current = store::find_job_posting(database(ctx), id)
        .await?
        .filter(|posting| posting_visible(principal, posting))
        .ok_or_else(|| ApiError::not_found("job posting", "with this ID"))?;
    ensure_may_keep_posting(principal, current.town_id, "input.id")?;
    let updated =
        store::update_job_posting(database(ctx), &actor_of(principal), id, version, changes)
            .await?;
    Ok(JobPosting(updated))
}

fn maybe<T, U>(
    value: MaybeUndefined<T>,
    parse: impl FnOnce(T) -> Result<U, ApiError>,
) -> Result<Option<Option<U>>, ApiError> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(value) => Ok(Some(Some(parse(value)?))),
    }
}

/// `node(id:)` for this annex's records, with their lists' access rules: a posting as
/// `jobPostings` shows it (the district database and the principal's towns' databases), the
/// classes and institutions to readers of `training`.
pub(super) async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::Node;
    let db = database(ctx);
    Ok(match node_type {
        NodeType::JobPosting => {
            let principal = read(ctx, DataDomain::Employment, "Query.node")?;
            store::find_job_posting(db, id)
                .await?
                .filter(|posting| posting_visible(principal, posting))
                .map(|posting| Node::JobPosting(JobPosting(posting)))
        }
        NodeType::TrainingClass => {
            let principal = read(ctx, DataDomain::Training, "Query.node")?;
            match store::find_training_class(db, id).await? {
                Some(class) => assemble_classes(ctx, principal, vec![class])
                    .await?
                    .pop()
                    .map(Node::TrainingClass),
                None => None,
            }
        }
        NodeType::TrainingInstitution => {
            read(ctx, DataDomain::Training, "Query.node")?;
            store::all_institutions(db)
                .await?
                .into_iter()
                .find(|institution| institution.id == id)
                .map(|institution| Node::TrainingInstitution(TrainingInstitution(institution)))
        }
        _ => None,
    })
}
