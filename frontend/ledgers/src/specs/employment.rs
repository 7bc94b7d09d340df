//! Annex 2: jobs and training (就业创业与培训). Owned by 区人社局.

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const LEVELS: &[(&str, &str)] = &[("DISTRICT", "区级"), ("TOWN", "镇级")];

const EMPLOYMENT_TYPES: &[(&str, &str)] = &[
    ("NEARBY", "就近就地就业"),
    ("MIGRANT", "外出务工"),
    ("SELF_EMPLOYED", "自主创业"),
    ("PUBLIC_WELFARE_POST", "公益岗位"),
    ("COMMUNITY_FACTORY", "社区工厂"),
];

const PUSH_METHODS: &[(&str, &str)] = &[
    ("FACE_TO_FACE", "面对面"),
    ("PHONE", "电话"),
    ("MESSAGE", "短信/微信"),
    ("VISIT", "上门走访"),
];

const PUSH_OUTCOMES: &[(&str, &str)] = &[
    ("PENDING", "待反馈"),
    ("INTERESTED", "有意向"),
    ("DECLINED", "拒绝"),
    ("HIRED", "已录用"),
    ("NOT_HIRED", "未录用"),
];

const CLASS_KINDS: &[(&str, &str)] = &[
    ("SKILLS", "技能培训"),
    ("ENTREPRENEURSHIP", "创业培训"),
    ("ORDER_BASED", "订单式培训"),
    ("DIRECTED", "定向培训"),
];

const CLASS_HOUR_CATEGORIES: &[(&str, &str)] = &[
    ("FULL_DAY", "全日制（50元/人/天）"),
    ("PART_DAY", "非全日制（20元/人/天）"),
];

/// `TrainingClass.status` is a plain string of these codes.
const CLASS_STATUSES: &[(&str, &str)] = &[
    ("planned", "计划中（未备案）"),
    ("filed", "已备案"),
    ("running", "开班中"),
    ("finished", "已结业"),
    ("cancelled", "已取消"),
];

const CALENDAR_DAY_KINDS: &[(&str, &str)] =
    &[("HOLIDAY", "法定节假日"), ("MAKEUP_WORKDAY", "调休上班日")];

const POSTING_STATUSES: &[(&str, &str)] = &[
    ("OPEN", "招聘中"),
    ("FILLED", "已招满"),
    ("CLOSED", "已关闭"),
];

/// The ledgers of this annex, in page order.
pub static LEDGERS: &[Ledger] = &[
    JOB_POSTINGS,
    ZERO_EMPLOYMENT_HOUSEHOLDS,
    TRAINING_INSTITUTIONS,
    TRAINING_CLASSES,
    WORKING_DAY_CALENDAR,
];

/// 岗位信息库 (A2§1): the district's and the towns' job database.
const JOB_POSTINGS: Ledger = Ledger {
    key: "job-postings",
    title: "岗位信息库",
    group: Group::Employment,
    clause: "A2§1",
    description: "区、镇两级岗位信息：用工单位、工种、薪酬、招聘状态，用于一对一推送",
    read_domain: domain::EMPLOYMENT,
    query: "query LedgerJobPostings($first: Int, $after: String, $level: JobPostingLevel, $townId: ID, $status: [JobPostingStatus!], $employmentType: EmploymentType) {
  jobPostings(first: $first, after: $after, filter: {level: $level, townId: $townId, status: $status, employmentType: $employmentType}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version level town { name } employerName title employmentType location vacancies monthlyWageMin monthlyWageMax contactPhone publishedOn closesOn status }
  }
}",
    root: "jobPostings",
    shape: Shape::Connection,
    columns: &[
        Column { header: "岗位", path: "title", format: Format::Text },
        Column { header: "用工单位", path: "employerName", format: Format::Text },
        Column { header: "层级", path: "level", format: Format::Choice(LEVELS) },
        Column { header: "镇（街道）", path: "town.name", format: Format::Text },
        Column { header: "就业方式", path: "employmentType", format: Format::Choice(EMPLOYMENT_TYPES) },
        Column { header: "工作地点", path: "location", format: Format::Text },
        Column { header: "招聘人数", path: "vacancies", format: Format::Integer },
        Column { header: "月薪下限", path: "monthlyWageMin", format: Format::Yuan },
        Column { header: "月薪上限", path: "monthlyWageMax", format: Format::Yuan },
        Column { header: "联系电话", path: "contactPhone", format: Format::Text },
        Column { header: "发布日期", path: "publishedOn", format: Format::Date },
        Column { header: "截止日期", path: "closesOn", format: Format::Date },
        Column { header: "状态", path: "status", format: Format::Choice(POSTING_STATUSES) },
    ],
    filters: &[
        Filter { variable: "level", label: "层级", input: Input::Choice(LEVELS) },
        Filter { variable: "townId", label: "镇（街道）", input: Input::Lookup(&lookups::TOWNS) },
        Filter { variable: "status", label: "状态", input: Input::Choice(POSTING_STATUSES) },
        Filter { variable: "employmentType", label: "就业方式", input: Input::Choice(EMPLOYMENT_TYPES) },
    ],
    forms: &[Form {
        key: "create-job-posting",
        title: "新增岗位",
        mutation: "mutation CreateJobPosting($input: CreateJobPostingInput!) { createJobPosting(input: $input) { id } }",
        input_type: "CreateJobPostingInput",
        write_domain: domain::EMPLOYMENT,
        fields: &[
            Field::required("level", "层级", Input::Choice(LEVELS)),
            Field::optional("townId", "镇（街道）", Input::Lookup(&lookups::TOWNS)).hint("镇级岗位必填"),
            Field::required("employerName", "用工单位", Input::Text),
            Field::required("title", "岗位名称", Input::Text),
            Field::required("employmentType", "就业方式", Input::Choice(EMPLOYMENT_TYPES)),
            Field::optional("location", "工作地点", Input::Text),
            Field::required("vacancies", "招聘人数", Input::Integer),
            Field::optional("monthlyWageMin", "月薪下限（元）", Input::Decimal).hint("如 2200"),
            Field::optional("monthlyWageMax", "月薪上限（元）", Input::Decimal),
            Field::optional("requirements", "任职要求", Input::LongText),
            Field::optional("contactPhone", "联系电话", Input::Text).hint("用工单位电话"),
            Field::optional("closesOn", "截止日期", Input::Date),
        ],
    }],
    row_actions: &[
        RowAction {
            form: Form {
                key: "close-job-posting",
                title: "变更状态",
                mutation: "mutation CloseJobPosting($input: CloseJobPostingInput!) { closeJobPosting(input: $input) { id } }",
                input_type: "CloseJobPostingInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("status", "新状态", Input::Choice(POSTING_STATUSES)),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "update-job-posting",
                title: "修改岗位",
                mutation: "mutation UpdateJobPosting($input: UpdateJobPostingInput!) { updateJobPosting(input: $input) { id } }",
                input_type: "UpdateJobPostingInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::optional("employerName", "用工单位", Input::Text).hint("只填要改的项，其余不变"),
                    Field::optional("title", "岗位名称", Input::Text),
                    Field::optional("employmentType", "就业方式", Input::Choice(EMPLOYMENT_TYPES)),
                    Field::optional("location", "工作地点", Input::Text),
                    Field::optional("vacancies", "招聘人数", Input::Integer),
                    Field::optional("monthlyWageMin", "月薪下限（元）", Input::Decimal),
                    Field::optional("monthlyWageMax", "月薪上限（元）", Input::Decimal),
                    Field::optional("requirements", "任职要求", Input::LongText),
                    Field::optional("contactPhone", "联系电话", Input::Text),
                    Field::optional("closesOn", "截止日期", Input::Date),
                ],
            },
            when: Some(("status", &["OPEN"])),
        },
    ],
};

/// 零就业家庭台账 (A2§1): households with labour and nobody employed, with the one-to-one
/// pushes they have had, until someone in them is employed.
const ZERO_EMPLOYMENT_HOUSEHOLDS: Ledger = Ledger {
    key: "zero-employment-households",
    title: "零就业家庭台账",
    group: Group::Employment,
    clause: "A2§1",
    description: "有劳动力但无人就业的搬迁家庭：劳动力成员、已推送岗位及结果；一对一推送岗位直至至少一人就业",
    read_domain: domain::EMPLOYMENT,
    query: "query LedgerZeroEmploymentHouseholds($first: Int, $after: String, $siteId: ID, $townId: ID) {
  zeroEmploymentHouseholds(first: $first, after: $after, siteId: $siteId, townId: $townId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      household { id code headName site { name } memberCount labourForceCount }
      labourMembers { id name }
      pushCount
      pushes { id version pushedOn outcome jobPosting { title } }
    }
  }
}",
    root: "zeroEmploymentHouseholds",
    shape: Shape::Connection,
    columns: &[
        Column { header: "户编号", path: "household.code", format: Format::Text },
        Column { header: "户主", path: "household.headName", format: Format::Text },
        Column { header: "安置点", path: "household.site.name", format: Format::Text },
        Column { header: "家庭人口", path: "household.memberCount", format: Format::Integer },
        Column { header: "劳动力人数", path: "household.labourForceCount", format: Format::Integer },
        Column { header: "劳动力成员", path: "labourMembers.name", format: Format::Text },
        Column { header: "推送次数", path: "pushCount", format: Format::Integer },
        Column { header: "推送日期（新→旧）", path: "pushes.pushedOn", format: Format::Date },
        Column { header: "推送岗位", path: "pushes.jobPosting.title", format: Format::Text },
        Column { header: "推送结果", path: "pushes.outcome", format: Format::Choice(PUSH_OUTCOMES) },
    ],
    filters: &[
        Filter { variable: "townId", label: "镇（街道）", input: Input::Lookup(&lookups::TOWNS) },
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
    ],
    forms: &[],
    row_actions: &[
        RowAction {
            form: Form {
                key: "push-job",
                title: "推送岗位",
                mutation: "mutation PushJob($input: PushJobInput!) { pushJob(input: $input) { id } }",
                input_type: "PushJobInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field {
                        name: "householdId",
                        label: "",
                        input: Input::FromRow("household.id"),
                        required: true,
                        hint: "",
                    },
                    Field::required("jobPostingId", "岗位", Input::Lookup(&lookups::OPEN_JOB_POSTINGS)).hint("岗位信息库中招聘中的岗位"),
                    Field::optional("personId", "推送对象", Input::RowItem { list: "labourMembers", label: "name" }).hint("本户有劳动能力的成员；不选则推送给全户"),
                    Field::required("method", "推送方式", Input::Choice(PUSH_METHODS)).hint("一对一、面对面推送"),
                    Field::optional("pushedOn", "推送日期", Input::Date).hint("默认今天"),
                    Field::optional("notes", "备注", Input::LongText),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "add-employment-spell",
                title: "登记就业",
                mutation: "mutation AddEmploymentSpell($input: AddEmploymentSpellInput!) { addEmploymentSpell(input: $input) { id } }",
                input_type: "AddEmploymentSpellInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field::required("personId", "就业人员", Input::RowItem { list: "labourMembers", label: "name" }).hint("本户有劳动能力的成员；登记后该户不再是零就业家庭"),
                    Field::required("employmentType", "就业方式", Input::Choice(EMPLOYMENT_TYPES)),
                    Field::required("employerName", "用工单位", Input::Text).hint("自主创业填经营项目名称"),
                    Field::optional("location", "工作地点", Input::Text),
                    Field::required("startsOn", "上岗日期", Input::Date),
                    Field::optional("monthlyIncome", "月收入（元）", Input::Decimal).hint("如 2600"),
                    Field::optional("jobPostingId", "对应岗位", Input::Lookup(&lookups::OPEN_JOB_POSTINGS)).hint("经岗位信息库就业时选择"),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "record-job-push-outcome",
                title: "登记推送结果",
                mutation: "mutation RecordJobPushOutcome($input: RecordJobPushOutcomeInput!) { recordJobPushOutcome(input: $input) { id } }",
                input_type: "RecordJobPushOutcomeInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field::required("id", "推送记录", Input::RowItem { list: "pushes", label: "jobPosting.title" }),
                    Field::required("version", "", Input::FromItem("version")),
                    Field::required("outcome", "结果", Input::Choice(PUSH_OUTCOMES)).hint("已录用时登记上岗，该户即不再是零就业家庭"),
                    Field::optional("outcomeOn", "日期", Input::Date).hint("默认今天；已录用时为上岗日期"),
                    Field::optional("monthlyIncome", "月收入（元）", Input::Decimal).hint("已录用时填写，如 2600"),
                    Field::optional("notes", "备注", Input::LongText),
                ],
            },
            when: None,
        },
    ],
};

/// 培训机构名录 (A2§3.1): the institutions that run the classes.
const TRAINING_INSTITUTIONS: Ledger = Ledger {
    key: "training-institutions",
    title: "培训机构名录",
    group: Group::Employment,
    clause: "A2§3.1",
    description: "承担搬迁群众技能培训的机构：办学许可证号、联系电话、地址",
    read_domain: domain::TRAINING,
    query: "query LedgerTrainingInstitutions {
  trainingInstitutions { code name licenceNo contactPhone address active }
}",
    root: "trainingInstitutions",
    shape: Shape::List,
    columns: &[
        Column { header: "编号", path: "code", format: Format::Text },
        Column { header: "机构名称", path: "name", format: Format::Text },
        Column { header: "办学许可证号", path: "licenceNo", format: Format::Text },
        Column { header: "联系电话", path: "contactPhone", format: Format::Text },
        Column { header: "地址", path: "address", format: Format::Text },
        Column { header: "在用", path: "active", format: Format::YesNo },
    ],
    filters: &[],
    forms: &[Form {
        key: "create-training-institution",
        title: "新增培训机构",
        mutation: "mutation CreateTrainingInstitution($input: CreateTrainingInstitutionInput!) { createTrainingInstitution(input: $input) { id } }",
        input_type: "CreateTrainingInstitutionInput",
        write_domain: domain::TRAINING,
        fields: &[
            Field::required("code", "编号", Input::Text).hint("唯一，如 TI-03"),
            Field::required("name", "机构名称", Input::Text),
            Field::optional("licenceNo", "办学许可证号", Input::Text),
            Field::optional("contactPhone", "联系电话", Input::Text),
            Field::optional("address", "地址", Input::Text),
        ],
    }],
    row_actions: &[],
};

/// 培训班台账 (A2§3): each class with its filing assessment (10 working days ahead, A2§3.1),
/// the living and transport allowance, and the post-training employment rate (A2§3.2).
const TRAINING_CLASSES: Ledger = Ledger {
    key: "training-classes",
    title: "培训班台账",
    group: Group::Employment,
    clause: "A2§3",
    description: "培训班的备案情况（开班前10个工作日备案方享受补贴）、生活交通补助应发与已发、培训后就业率",
    read_domain: domain::TRAINING,
    query: "query LedgerTrainingClasses($first: Int, $after: String, $institutionId: ID, $year: Int) {
  trainingClasses(first: $first, after: $after, filter: {institutionId: $institutionId, year: $year}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id version code name institution { name } speciality kind allowanceCategory dailyAllowance
      classHours capacity startsOn endsOn classDays filedOn filingReference latestFilingDate
      workingDaysFiledAhead filedOnTime subsidyEligible subsidyReason enrolledCount
      employedAfterTrainingCount postTrainingEmploymentRate allowanceDue allowancePaid status
      enrolments { id version person { name } }
    }
  }
}",
    root: "trainingClasses",
    shape: Shape::Connection,
    columns: &[
        Column { header: "班次编号", path: "code", format: Format::Text },
        Column { header: "班次名称", path: "name", format: Format::Text },
        Column { header: "培训机构", path: "institution.name", format: Format::Text },
        Column { header: "专业", path: "speciality", format: Format::Text },
        Column { header: "培训类型", path: "kind", format: Format::Choice(CLASS_KINDS) },
        Column { header: "课时类别", path: "allowanceCategory", format: Format::Choice(CLASS_HOUR_CATEGORIES) },
        Column { header: "补助标准（元/人/天）", path: "dailyAllowance", format: Format::Yuan },
        Column { header: "课时", path: "classHours", format: Format::Integer },
        Column { header: "计划人数", path: "capacity", format: Format::Integer },
        Column { header: "开班日期", path: "startsOn", format: Format::Date },
        Column { header: "结业日期", path: "endsOn", format: Format::Date },
        Column { header: "培训天数", path: "classDays", format: Format::Integer },
        Column { header: "备案日期", path: "filedOn", format: Format::Date },
        Column { header: "备案文号", path: "filingReference", format: Format::Text },
        Column { header: "最迟备案日", path: "latestFilingDate", format: Format::Date },
        Column { header: "提前备案工作日", path: "workingDaysFiledAhead", format: Format::Integer },
        Column { header: "按时备案", path: "filedOnTime", format: Format::YesNo },
        Column { header: "享受补贴", path: "subsidyEligible", format: Format::YesNo },
        Column { header: "补贴说明", path: "subsidyReason", format: Format::Text },
        Column { header: "参训人数", path: "enrolledCount", format: Format::Integer },
        Column { header: "培训后就业人数", path: "employedAfterTrainingCount", format: Format::Integer },
        Column { header: "培训后就业率", path: "postTrainingEmploymentRate", format: Format::Percent },
        Column { header: "补助应发", path: "allowanceDue", format: Format::Yuan },
        Column { header: "补助已发", path: "allowancePaid", format: Format::Yuan },
        Column { header: "状态", path: "status", format: Format::Choice(CLASS_STATUSES) },
    ],
    filters: &[
        Filter { variable: "institutionId", label: "培训机构", input: Input::Lookup(&lookups::TRAINING_INSTITUTIONS) },
        Filter { variable: "year", label: "开班年度", input: Input::Year },
    ],
    forms: &[Form {
        key: "create-training-class",
        title: "新增培训班",
        mutation: "mutation CreateTrainingClass($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id } }",
        input_type: "CreateTrainingClassInput",
        write_domain: domain::TRAINING,
        fields: &[
            Field::required("institutionId", "培训机构", Input::Lookup(&lookups::TRAINING_INSTITUTIONS)),
            Field::required("code", "班次编号", Input::Text).hint("唯一，如 TC-2026-06"),
            Field::required("name", "班次名称", Input::Text),
            Field::required("speciality", "专业", Input::Text),
            Field::required("kind", "培训类型", Input::Choice(CLASS_KINDS)),
            Field::required("allowanceCategory", "课时类别", Input::Choice(CLASS_HOUR_CATEGORIES)).hint("决定生活交通补助标准：全日制50元、非全日制20元/人/天"),
            Field::required("classHours", "课时", Input::Integer),
            Field::required("courses", "课程设置", Input::LongText),
            Field::optional("capacity", "计划人数", Input::Integer),
            Field::required("startsOn", "开班日期", Input::Date),
            Field::required("endsOn", "结业日期", Input::Date),
            Field::optional("filedOn", "备案日期", Input::Date).hint("向区人社局备案之日；未备案留空。开班前至少10个工作日备案方可享受补贴"),
            Field::optional("filingReference", "备案文号", Input::Text),
        ],
    }],
    row_actions: &[
        RowAction {
            form: Form {
                key: "file-training-class",
                title: "登记备案",
                mutation: "mutation FileTrainingClass($input: FileTrainingClassInput!) { fileTrainingClass(input: $input) { id } }",
                input_type: "FileTrainingClassInput",
                write_domain: domain::TRAINING,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("filedOn", "备案日期", Input::Date).hint("开班前至少10个工作日（按法定节假日和调休计算）备案方可享受补贴；只能登记一次"),
                    Field::optional("filingReference", "备案文号", Input::Text),
                ],
            },
            when: Some(("status", &["planned"])),
        },
        RowAction {
            form: Form {
                key: "enrol-in-training-class",
                title: "登记学员",
                mutation: "mutation EnrolInTrainingClass($input: EnrolInTrainingClassInput!) { enrolInTrainingClass(input: $input) { id } }",
                input_type: "EnrolInTrainingClassInput",
                write_domain: domain::TRAINING,
                fields: &[
                    Field {
                        name: "classId",
                        label: "",
                        input: Input::FromRow("id"),
                        required: true,
                        hint: "",
                    },
                    Field::required("personId", "学员", Input::Search(&lookups::LABOUR_PERSONS)).hint("有劳动能力的搬迁群众"),
                    Field::optional("enrolledOn", "报名日期", Input::Date).hint("默认今天"),
                ],
            },
            when: Some(("status", &["planned", "filed", "running", "finished"])),
        },
        RowAction {
            form: Form {
                key: "update-training-enrolment",
                title: "登记学员考勤与结业",
                mutation: "mutation UpdateTrainingEnrolment($input: UpdateTrainingEnrolmentInput!) { updateTrainingEnrolment(input: $input) { id } }",
                input_type: "UpdateTrainingEnrolmentInput",
                write_domain: domain::TRAINING,
                fields: &[
                    Field::required("id", "学员", Input::RowItem { list: "enrolments", label: "person.name" }),
                    Field::required("version", "", Input::FromItem("version")),
                    Field::optional("attendedDays", "出勤天数", Input::Integer).hint("按出勤天数计发生活交通补助"),
                    Field::optional("completed", "已结业", Input::Checkbox),
                    Field::optional("certificateNo", "结业证书编号", Input::Text),
                    Field::optional("employedAfterTraining", "培训后已就业", Input::Checkbox).hint("计入培训后就业率（A2§3.2）"),
                ],
            },
            when: Some(("status", &["running", "finished"])),
        },
    ],
};

/// 工作日历 (A2§3.1): the public holidays and make-up working days the filing deadline is
/// counted in. Reference data any signed-in user reads; 区人社局 keeps it.
const WORKING_DAY_CALENDAR: Ledger = Ledger {
    key: "working-day-calendar",
    title: "工作日历（节假日与调休）",
    group: Group::Employment,
    clause: "A2§3.1",
    description: "一年中的法定节假日和调休上班日（周末不列出），用于计算培训班“开班前10个工作日”备案期限",
    read_domain: domain::TRAINING,
    query: "query LedgerWorkingDayCalendar($year: Int! = 2026) {
  workingDayCalendar(year: $year) { date kind name }
}",
    root: "workingDayCalendar",
    shape: Shape::List,
    columns: &[
        Column { header: "日期", path: "date", format: Format::Date },
        Column { header: "类别", path: "kind", format: Format::Choice(CALENDAR_DAY_KINDS) },
        Column { header: "名称", path: "name", format: Format::Text },
    ],
    filters: &[Filter { variable: "year", label: "年度", input: Input::Year }],
    forms: &[Form {
        key: "add-calendar-day",
        title: "新增节假日/调休日",
        mutation: "mutation AddCalendarDay($input: AddCalendarDayInput!) { addCalendarDay(input: $input) { date } }",
        input_type: "AddCalendarDayInput",
        write_domain: domain::TRAINING,
        fields: &[
            Field::required("date", "日期", Input::Date),
            Field::required("kind", "类别", Input::Choice(CALENDAR_DAY_KINDS)).hint("调休上班日须为周六或周日"),
            Field::required("name", "名称", Input::Text).hint("如 国庆节、国庆节调休上班"),
        ],
    }],
    row_actions: &[],
};
