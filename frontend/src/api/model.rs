//! What the pages get from the API: plain data, with Chinese labels for the schema's enums.

use serde::{Deserialize, Serialize};

/// Generates a GraphQL enum mirror with a Chinese label per value. Values the app does not know
/// yet (the schema grew) deserialize to `Unknown` instead of failing the whole page.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($variant,)+
            #[serde(other)]
            Unknown,
        }

        impl $name {
            /// The Chinese text shown for this value.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                    Self::Unknown => "未知",
                }
            }
        }
    };
}

labelled_enum! {
    /// 镇 or 街道办.
    TownKind { Town => "镇", Subdistrict => "街道办", }
}

labelled_enum! {
    /// Where a site lies, which decides its self-governance unit (A4§2.1).
    SiteAreaType { TownPlanningArea => "城镇规划区", Rural => "农村地区", }
}

labelled_enum! {
    /// 性别.
    Sex { Male => "男", Female => "女", }
}

labelled_enum! {
    /// A member's relation to the household head.
    FamilyRelation {
        Head => "户主",
        Spouse => "配偶",
        Child => "子女",
        ChildInLaw => "儿媳/女婿",
        Grandchild => "孙子女",
        Parent => "父母",
        Grandparent => "祖父母",
        Sibling => "兄弟姐妹",
        Other => "其他",
    }
}

labelled_enum! {
    /// 劳动能力.
    LabourCapacity { Full => "有劳动能力", Partial => "弱劳动能力", None => "无劳动能力", }
}

labelled_enum! {
    /// 就业状态.
    EmploymentStatus { Employed => "已就业", Unemployed => "未就业", NotInLabourForce => "非劳动力", }
}

labelled_enum! {
    /// 年龄段.
    AgeBand {
        Preschool => "学龄前",
        CompulsorySchool => "义务教育阶段",
        WorkingAge => "劳动年龄",
        Elderly => "老年",
    }
}

/// The district-wide numbers of 区级总览.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictOverview {
    pub site_count: i64,
    pub household_count: i64,
    pub population: i64,
    pub labour_force_count: i64,
    pub employed_count: i64,
    pub zero_employment_household_count: i64,
}

/// A site as listed on the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSummary {
    pub id: String,
    pub name: String,
    pub town_name: String,
    pub community_name: String,
    pub household_count: i64,
    pub population: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewData {
    pub overview: DistrictOverview,
    pub sites: Vec<SiteSummary>,
}

/// What a rule of the seed decides for a site, with the reasoning and the clause it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    pub label: String,
    pub basis: String,
    pub clause: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDetail {
    pub id: String,
    pub code: String,
    pub name: String,
    pub address: String,
    pub area_type: SiteAreaType,
    pub town_name: String,
    pub town_kind: TownKind,
    pub community_name: String,
    pub household_count: i64,
    pub population: i64,
    pub labour_force_count: i64,
    pub employed_count: i64,
    pub zero_employment_household_count: i64,
    pub formal_party_member_count: i64,
    /// A4§2.1.
    pub governance_unit: RuleOutcome,
    /// A6§1.1.
    pub party_organisation: RuleOutcome,
}

/// A field the server may withhold: its value, nothing recorded (`null` without an error), or
/// `null` with a `FORBIDDEN_FIELD` error because the user's roles may not read its data domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guarded<T> {
    Shown(T),
    NotRecorded,
    Forbidden,
}

impl<T> Guarded<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Guarded<U> {
        match self {
            Self::Shown(value) => Guarded::Shown(f(value)),
            Self::NotRecorded => Guarded::NotRecorded,
            Self::Forbidden => Guarded::Forbidden,
        }
    }

    /// The value, when it was shown.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Self::Shown(value) => Some(value),
            Self::NotRecorded | Self::Forbidden => None,
        }
    }
}

impl<T> From<T> for Guarded<T> {
    fn from(value: T) -> Self {
        Self::Shown(value)
    }
}

/// A household as listed on its site's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: String,
    pub code: Guarded<String>,
    pub flat_label: Guarded<String>,
    pub head_name: Guarded<String>,
    pub member_count: Guarded<i64>,
    pub registered_poor: Guarded<bool>,
    pub is_zero_employment: Guarded<bool>,
}

/// One page of a site's households.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdPage {
    pub households: Vec<HouseholdSummary>,
    pub total_count: i64,
    /// The cursor to ask for the next page with; `None` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdDetail {
    pub id: String,
    pub code: Guarded<String>,
    pub flat_label: Guarded<String>,
    pub registered_poor: Guarded<bool>,
    pub relocated_on: Guarded<String>,
    pub head_name: Guarded<String>,
    pub member_count: Guarded<i64>,
    pub labour_force_count: Guarded<i64>,
    pub employed_count: Guarded<i64>,
    pub is_zero_employment: Guarded<bool>,
    pub archived: bool,
    pub site_id: String,
    pub site_name: String,
    pub origin_village_name: Guarded<String>,
    pub members: Guarded<Vec<Member>>,
}

/// A household member. `id_number` and `phone` are shown exactly as the API returns them (the
/// server decides whether they are masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: Guarded<String>,
    pub relation: Guarded<FamilyRelation>,
    pub sex: Guarded<Sex>,
    pub age: Guarded<i64>,
    pub age_band: Guarded<AgeBand>,
    pub labour_capacity: Guarded<LabourCapacity>,
    pub employment_status: Guarded<EmploymentStatus>,
    pub id_number: Guarded<String>,
    pub phone: Guarded<String>,
}

/// A role the signed-in user holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub code: String,
    pub name: String,
    /// `bureau`, `town`, `provincial`, or one of the three administrators.
    pub kind: String,
}

/// The data domains the web app decides its navigation by (codes as in the API's policy).
pub mod domain {
    /// Names, households, members: the registry (名册).
    pub const IDENTITY: &str = "identity";
    /// The responsibility list (责任清单): the matrix to read, the review queue to write.
    pub const RESPONSIBILITY: &str = "responsibility";
    /// The special assessment (专项考核).
    pub const ASSESSMENT: &str = "assessment";
}

/// The signed-in user as the server describes them (`Me`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    /// The initial password must be changed before anything else works.
    pub must_change_password: bool,
    pub roles: Vec<Role>,
    /// Codes of the data domains the user may read.
    pub readable_domains: Vec<String>,
    /// Codes of the data domains the user may change.
    pub writable_domains: Vec<String>,
}

impl Me {
    /// Whether the user's roles may read the data domain `code` (see [`domain`]).
    pub fn can_read(&self, code: &str) -> bool {
        self.readable_domains
            .iter()
            .any(|readable| readable == code)
    }

    /// Whether the user's roles may change the data domain `code`.
    pub fn can_write(&self, code: &str) -> bool {
        self.writable_domains
            .iter()
            .any(|writable| writable == code)
    }

    /// Whether the user acts for a bureau or a town, and so has tasks of their own (我的任务).
    pub fn has_unit(&self) -> bool {
        self.roles
            .iter()
            .any(|role| role.kind == "bureau" || role.kind == "town")
    }
}

labelled_enum! {
    /// A task's status, derived by the server from its deadline, progress and completion (A7§1).
    TaskStatus {
        NotStarted => "未启动",
        OnTrack => "推进中",
        DueSoon => "临近期限",
        Overdue => "已逾期",
        Done => "已完成",
    }
}

impl TaskStatus {
    /// Every status, most urgent first (the order of the counts and the filter).
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Overdue,
        TaskStatus::DueSoon,
        TaskStatus::OnTrack,
        TaskStatus::NotStarted,
        TaskStatus::Done,
    ];

    /// The value as the API spells it (`DUE_SOON`), for links and filters.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotStarted => "NOT_STARTED",
            Self::OnTrack => "ON_TRACK",
            Self::DueSoon => "DUE_SOON",
            Self::Overdue => "OVERDUE",
            Self::Done => "DONE",
            Self::Unknown => "UNKNOWN",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// The CSS modifier that colours it (red, yellow, green …); the text always says it too.
    pub fn css(self) -> &'static str {
        match self {
            Self::NotStarted => "status-not-started",
            Self::OnTrack => "status-on-track",
            Self::DueSoon => "status-due-soon",
            Self::Overdue => "status-overdue",
            Self::Done => "status-done",
            Self::Unknown => "status-unknown",
        }
    }
}

labelled_enum! {
    /// Whether a unit is a district bureau or a town.
    UnitKind { Bureau => "区级部门", Town => "镇办", }
}

labelled_enum! {
    /// How the signed-in user's units relate to a task.
    TaskInvolvement { Responsible => "责任单位", Cooperating => "配合单位", None => "—", }
}

labelled_enum! {
    /// Where a progress report is in its review.
    ReportStatus { Submitted => "待审核", Returned => "已退回", Accepted => "已采纳", }
}

labelled_enum! {
    /// Where an extension request is.
    ExtensionStatus {
        Pending => "待审批",
        Approved => "已批准",
        Rejected => "已驳回",
        Withdrawn => "已撤回",
    }
}

labelled_enum! {
    /// What happened to a task.
    TaskEventKind {
        Created => "创建任务",
        Updated => "修改任务",
        ReportSubmitted => "提交进展",
        ReportAccepted => "采纳进展",
        ReportReturned => "退回进展",
        ExtensionRequested => "申请延期",
        ExtensionApproved => "批准延期",
        ExtensionRejected => "驳回延期",
        Completed => "任务完成",
        AttachmentAdded => "上传佐证材料",
    }
}

/// A bureau or town that is responsible for, or co-operates on, tasks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unit {
    pub kind: UnitKind,
    /// The bureau's code (`hrss`) or the town's division code (`610202100`).
    pub code: String,
    pub name: String,
    pub short_name: String,
}

impl Unit {
    /// `bureau:hrss` or `town:610202100`: one key for both kinds (links and filters).
    pub fn key(&self) -> String {
        unit_key(self.kind, &self.code)
    }
}

/// The key of [`Unit::key`].
pub fn unit_key(kind: UnitKind, code: &str) -> String {
    match kind {
        UnitKind::Town => format!("town:{code}"),
        UnitKind::Bureau | UnitKind::Unknown => format!("bureau:{code}"),
    }
}

/// A task as one line of a list or the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    pub id: String,
    pub code: String,
    pub title: String,
    pub annex: i64,
    pub clause_ref: String,
    pub responsible_unit: Unit,
    pub cooperating_units: Vec<Unit>,
    pub deadline: String,
    pub completed_on: Option<String>,
    pub status: TaskStatus,
    pub days_left: i64,
    pub progress_percent: i64,
    pub involvement: TaskInvolvement,
}

/// Tasks counted by status, for one unit or a whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCounts {
    pub total: i64,
    pub not_started: i64,
    pub on_track: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub done: i64,
}

impl StatusCounts {
    pub fn of(&self, status: TaskStatus) -> i64 {
        match status {
            TaskStatus::NotStarted => self.not_started,
            TaskStatus::OnTrack => self.on_track,
            TaskStatus::DueSoon => self.due_soon,
            TaskStatus::Overdue => self.overdue,
            TaskStatus::Done => self.done,
            TaskStatus::Unknown => 0,
        }
    }
}

/// A unit's counts in a task board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCounts {
    pub unit: Unit,
    pub counts: StatusCounts,
}

/// A list of tasks as of a day (我的任务 or the matrix), most urgent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskBoard {
    pub as_of: String,
    pub tasks: Vec<TaskLine>,
    pub units: Vec<UnitCounts>,
    pub totals: StatusCounts,
}

/// What narrows the matrix (every part optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixFilter {
    pub annex: Option<i64>,
    /// A [`Unit::key`].
    pub unit: Option<String>,
    pub statuses: Vec<TaskStatus>,
    pub deadline_from: Option<String>,
    pub deadline_to: Option<String>,
}

/// A unit to pick in the matrix's filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitChoice {
    pub key: String,
    pub name: String,
}

/// The matrix page's data: the board and the units to filter by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixData {
    pub board: TaskBoard,
    pub bureaus: Vec<UnitChoice>,
    pub towns: Vec<UnitChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageGoal {
    pub id: String,
    pub seq: i64,
    pub goal: String,
    pub deadline: String,
    pub achieved_on: Option<String>,
    pub status: TaskStatus,
}

/// Evidence stored by the server (download it with the bearer token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: String,
    pub uploaded_by: Option<String>,
    pub progress_report_id: Option<String>,
    pub download_path: String,
}

/// The few facts of a task an inbox row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub id: String,
    pub code: String,
    pub title: String,
    pub unit_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    pub id: String,
    /// Set in the inbox, where a report stands outside its task.
    pub task: Option<TaskRef>,
    pub stage_goal_id: Option<String>,
    pub reported_on: String,
    pub percent_complete: i64,
    pub narrative: String,
    pub status: ReportStatus,
    pub reported_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_comment: Option<String>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRequest {
    pub id: String,
    pub task: Option<TaskRef>,
    pub stage_goal_id: Option<String>,
    pub requested_at: String,
    pub requested_by: Option<String>,
    pub current_deadline: String,
    pub requested_deadline: String,
    pub reason: String,
    pub status: ExtensionStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
}

/// One entry of a task's history: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEvent {
    pub kind: TaskEventKind,
    pub status_before: Option<TaskStatus>,
    pub status_after: TaskStatus,
    pub actor: Option<String>,
    pub occurred_at: String,
    pub note: String,
}

/// A task with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDetail {
    pub line: TaskLine,
    pub description: String,
    pub lead_leader_name: String,
    pub completed_late: bool,
    pub as_of: String,
    pub version: i64,
    pub stage_goals: Vec<StageGoal>,
    pub reports: Vec<ProgressReport>,
    pub extensions: Vec<ExtensionRequest>,
    pub history: Vec<TaskEvent>,
    pub attachments: Vec<Attachment>,
}

/// The lead bureau's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbox {
    pub reports: Vec<ProgressReport>,
    pub extensions: Vec<ExtensionRequest>,
}

/// A progress report to submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgressReport {
    pub task_id: String,
    pub stage_goal_id: Option<String>,
    pub percent_complete: i64,
    pub narrative: String,
}

/// An extension to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExtensionRequest {
    pub task_id: String,
    pub stage_goal_id: Option<String>,
    pub requested_deadline: String,
    pub reason: String,
}

/// What an upload stored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedFile {
    pub file_name: String,
    pub size_bytes: i64,
}

labelled_enum! {
    /// Where a year's assessment plan stands.
    AssessmentPlanStatus {
        Draft => "草案",
        Scoring => "评分中",
        Published => "已通报",
        Closed => "已结束",
    }
}

labelled_enum! {
    /// How an indicator is scored.
    AssessmentMethod { Computed => "按记录自动计算", Manual => "人工评分", }
}

/// A year's assessment plan, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentPlanSummary {
    pub year: i64,
    pub title: String,
    pub status: AssessmentPlanStatus,
}

/// A published report (通报): frozen results, downloadable as .xlsx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentPublication {
    pub id: String,
    pub year: i64,
    pub title: String,
    pub as_of: String,
    pub published_at: String,
    pub published_by: Option<String>,
    pub download_path: String,
}

/// The plans and the published reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentIndex {
    pub plans: Vec<AssessmentPlanSummary>,
    pub publications: Vec<AssessmentPublication>,
}

/// A weighted part of the plan, as one unit scored in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentScore {
    pub code: String,
    pub name: String,
    pub weight_percent: String,
    pub is_follow_up_support: bool,
    pub points: String,
    pub max_points: String,
    pub percent: Option<String>,
}

/// A record that failed an indicator's rule (never a person's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRecord {
    /// task, household, person, homestead, committee_member_month, training_enrolment.
    pub kind: String,
    pub record_id: Option<String>,
    pub label: String,
}

/// What a computed indicator counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorEvidence {
    pub passed: i64,
    pub applicable: i64,
    pub failed_total: i64,
    pub counted: String,
    pub failed: Vec<FailedRecord>,
}

/// A hand-given score and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualScore {
    pub points: String,
    pub reason: String,
    pub scored_by: Option<String>,
    pub scored_at: String,
}

/// One indicator of one unit: points after deductions, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorScore {
    pub code: String,
    pub name: String,
    pub component_code: Option<String>,
    pub method: AssessmentMethod,
    pub clause_ref: String,
    pub points: String,
    pub max_points: String,
    pub earned_points: String,
    pub deducted_points: String,
    pub scored: bool,
    pub explanation: String,
    pub evidence: Option<IndicatorEvidence>,
    pub manual_score: Option<ManualScore>,
}

/// A deduction (扣分) from an indicator or from the special total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub indicator_code: Option<String>,
    pub points: String,
    pub reason: String,
    pub finding: Option<String>,
    pub decided_on: String,
    pub decided_by: Option<String>,
}

/// A unit's place in the ranking and its breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessedUnit {
    pub kind: UnitKind,
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// Among units of the same kind; `None` when no special indicator applies.
    pub rank: Option<i64>,
    pub tie_explanation: Option<String>,
    pub tied_with: Vec<String>,
    pub special_points: String,
    pub special_max_points: String,
    pub special_percent: Option<String>,
    pub special_deducted_points: String,
    pub composite_percent: String,
    pub composite_incomplete: bool,
    pub incomplete_reasons: Vec<String>,
    pub components: Vec<ComponentScore>,
    pub indicators: Vec<IndicatorScore>,
    pub deductions: Vec<Deduction>,
}

/// A year's results as of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRanking {
    pub year: i64,
    pub plan_title: String,
    pub as_of: String,
    pub computed_at: String,
    pub follow_up_weight_percent: String,
    pub method_notes: Vec<String>,
    /// Bureaus first, then towns, each in rank order.
    pub units: Vec<AssessedUnit>,
}
