//! Ledgers of the records the annexes name beside the main ones: entrepreneurship training and
//! guaranteed loans (A2§2.1), chronic conditions and their follow-ups (A3§3), site facilities
//! (A3§1), mass councils (A6§2.4), dispute rooms and cases (A6§2.2), and the town committees'
//! monthly reviews of the sites' party building with the months missed (A6§3.1).

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const LOAN_STATUSES: &[(&str, &str)] = &[
    ("APPLIED", "已申请"),
    ("GRANTED", "已放款"),
    ("REPAID", "已还清"),
    ("OVERDUE", "已逾期"),
    ("REJECTED", "未获批"),
];

/// How an application is decided.
const LOAN_DECISIONS: &[(&str, &str)] = &[("GRANTED", "批准放款"), ("REJECTED", "不予批准")];

/// What happens to a granted loan.
const LOAN_OUTCOMES: &[(&str, &str)] = &[("REPAID", "已还清"), ("OVERDUE", "逾期")];

const FOLLOW_UP_METHODS: &[(&str, &str)] = &[
    ("HOME_VISIT", "入户随访"),
    ("CLINIC", "门诊随访"),
    ("PHONE", "电话随访"),
    ("VIDEO", "视频随访"),
];

const FACILITY_KINDS: &[(&str, &str)] = &[
    ("ELDERLY_DAY_CARE", "老年人日间照料中心"),
    ("CONVENIENCE_POINT", "便民服务点"),
    ("CLINIC", "卫生室"),
    ("KINDERGARTEN", "幼儿园"),
    ("CULTURAL_ROOM", "文化活动室"),
    ("COMMUNITY_FACTORY", "社区工厂"),
    ("SERVICE_CENTRE", "便民服务中心"),
    ("OTHER", "其他"),
];

const FACILITY_STATUSES: &[(&str, &str)] = &[
    ("PLANNED", "规划中"),
    ("OPEN", "已运营"),
    ("CLOSED", "已停用"),
];

const COUNCIL_KINDS: &[(&str, &str)] = &[
    ("DELIBERATION_COUNCIL", "居民议事会"),
    ("MEDIATION_COMMITTEE", "人民调解委员会"),
    ("ETHICS_COUNCIL", "道德评议会"),
    ("WEDDINGS_FUNERALS_COUNCIL", "红白理事会"),
    ("ANTI_DRUG_GAMBLING_COUNCIL", "禁毒禁赌会"),
];

const CASE_STATUSES: &[(&str, &str)] = &[
    ("OPEN", "受理中"),
    ("MEDIATED", "调解成功"),
    ("REFERRED", "已移交"),
    ("CLOSED", "已结案"),
];

/// How a case may be settled.
const CASE_SETTLEMENTS: &[(&str, &str)] = &[
    ("MEDIATED", "调解成功"),
    ("REFERRED", "移交有关部门"),
    ("CLOSED", "结案"),
];

pub static LEDGERS: &[Ledger] = &[
    ENTREPRENEURSHIP_TRAININGS,
    GUARANTEED_LOANS,
    CHRONIC_CONDITIONS,
    HEALTH_FOLLOW_UPS,
    SITE_FACILITIES,
    SITE_COUNCILS,
    DISPUTE_ROOMS,
    DISPUTE_CASES,
    TOWN_COMMITTEE_REVIEWS,
    TOWN_REVIEW_GAPS,
];

/// 创业培训台账 (A2§2.1).
const ENTREPRENEURSHIP_TRAININGS: Ledger = Ledger {
    key: "entrepreneurship-trainings",
    title: "创业培训台账",
    group: Group::Employment,
    clause: "A2§2.1",
    description: "搬迁群众参加创业培训（如SYB）：培训机构、起止日期、是否结业及证书编号",
    read_domain: domain::TRAINING,
    query: "query LedgerEntrepreneurshipTrainings($first: Int, $after: String, $siteId: ID, $completed: Boolean) {
  entrepreneurshipTrainings(first: $first, after: $after, filter: {siteId: $siteId, completed: $completed}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version resident { person { name } household { code } site { name } } title institutionName startsOn endsOn completed certificateNo }
  }
}",
    root: "entrepreneurshipTrainings",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "resident.person.name", format: Format::Text },
        Column { header: "户编号", path: "resident.household.code", format: Format::Text },
        Column { header: "安置点", path: "resident.site.name", format: Format::Text },
        Column { header: "培训项目", path: "title", format: Format::Text },
        Column { header: "培训机构", path: "institutionName", format: Format::Text },
        Column { header: "开始日期", path: "startsOn", format: Format::Date },
        Column { header: "结束日期", path: "endsOn", format: Format::Date },
        Column { header: "已结业", path: "completed", format: Format::YesNo },
        Column { header: "证书编号", path: "certificateNo", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "completed", label: "只看已结业", input: Input::Checkbox },
    ],
    forms: &[Form {
        key: "record-entrepreneurship-training",
        title: "登记创业培训",
        mutation: "mutation RecordEntrepreneurshipTraining($input: RecordEntrepreneurshipTrainingInput!) { recordEntrepreneurshipTraining(input: $input) { id } }",
        input_type: "RecordEntrepreneurshipTrainingInput",
        write_domain: domain::TRAINING,
        fields: &[
            Field::required("personId", "学员", Input::Search(&lookups::LABOUR_PERSONS)).hint("有劳动能力的搬迁群众"),
            Field::required("title", "培训项目", Input::Text).hint("如 SYB创业培训"),
            Field::optional("institutionId", "培训机构", Input::Lookup(&lookups::TRAINING_INSTITUTIONS)),
            Field::required("startsOn", "开始日期", Input::Date),
            Field::optional("endsOn", "结束日期", Input::Date),
            Field::optional("completed", "已结业", Input::Checkbox).hint("结束日期不晚于今天方可结业"),
            Field::optional("certificateNo", "证书编号", Input::Text).hint("仅结业后填写"),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "complete-entrepreneurship-training",
            title: "登记结业",
            mutation: "mutation CompleteEntrepreneurshipTraining($input: CompleteEntrepreneurshipTrainingInput!) { completeEntrepreneurshipTraining(input: $input) { id } }",
            input_type: "CompleteEntrepreneurshipTrainingInput",
            write_domain: domain::TRAINING,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::required("endsOn", "结束日期", Input::Date).hint("不晚于今天"),
                Field::optional("certificateNo", "证书编号", Input::Text),
            ],
        },
        when: None,
    }],
};

/// 创业担保贷款台账 (A2§2.1).
const GUARANTEED_LOANS: Ledger = Ledger {
    key: "guaranteed-loans",
    title: "创业担保贷款台账",
    group: Group::Employment,
    clause: "A2§2.1",
    description: "搬迁群众创业担保贷款：贷款银行、本金、利率、贴息、放款与到期日期、还款情况",
    read_domain: domain::EMPLOYMENT,
    query: "query LedgerGuaranteedLoans($first: Int, $after: String, $siteId: ID, $statuses: [GuaranteedLoanStatus!]) {
  guaranteedLoans(first: $first, after: $after, filter: {siteId: $siteId, statuses: $statuses}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version resident { person { name } household { code } site { name } } lenderName contractNo principal annualRate interestSubsidised businessDescription grantedOn dueOn repaidOn status }
  }
}",
    root: "guaranteedLoans",
    shape: Shape::Connection,
    columns: &[
        Column { header: "借款人", path: "resident.person.name", format: Format::Text },
        Column { header: "户编号", path: "resident.household.code", format: Format::Text },
        Column { header: "安置点", path: "resident.site.name", format: Format::Text },
        Column { header: "贷款银行", path: "lenderName", format: Format::Text },
        Column { header: "合同编号", path: "contractNo", format: Format::Text },
        Column { header: "本金", path: "principal", format: Format::Yuan },
        Column { header: "年利率", path: "annualRate", format: Format::Percent },
        Column { header: "贴息", path: "interestSubsidised", format: Format::YesNo },
        Column { header: "创业项目", path: "businessDescription", format: Format::Text },
        Column { header: "放款日期", path: "grantedOn", format: Format::Date },
        Column { header: "到期日期", path: "dueOn", format: Format::Date },
        Column { header: "还清日期", path: "repaidOn", format: Format::Date },
        Column { header: "状态", path: "status", format: Format::Choice(LOAN_STATUSES) },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "statuses", label: "状态", input: Input::Choice(LOAN_STATUSES) },
    ],
    forms: &[Form {
        key: "apply-guaranteed-loan",
        title: "登记贷款申请",
        mutation: "mutation ApplyGuaranteedLoan($input: ApplyGuaranteedLoanInput!) { applyGuaranteedLoan(input: $input) { id } }",
        input_type: "ApplyGuaranteedLoanInput",
        write_domain: domain::EMPLOYMENT,
        fields: &[
            Field::required("personId", "借款人", Input::Search(&lookups::PERSONS)),
            Field::required("lenderName", "贷款银行", Input::Text),
            Field::required("principal", "本金（元）", Input::Decimal).hint("如 100000"),
            Field::required("annualRate", "年利率（%）", Input::Decimal).hint("如 3.85"),
            Field::optional("interestSubsidised", "财政贴息", Input::Checkbox),
            Field::optional("businessDescription", "创业项目", Input::LongText),
        ],
    }],
    row_actions: &[
        RowAction {
            form: Form {
                key: "decide-guaranteed-loan",
                title: "审批",
                mutation: "mutation DecideGuaranteedLoan($input: ChangeGuaranteedLoanStatusInput!) { changeGuaranteedLoanStatus(input: $input) { id } }",
                input_type: "ChangeGuaranteedLoanStatusInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("status", "审批结果", Input::Choice(LOAN_DECISIONS)),
                    Field::optional("contractNo", "合同编号", Input::Text).hint("放款时必填"),
                    Field::optional("grantedOn", "放款日期", Input::Date).hint("放款时必填，不晚于今天"),
                    Field::optional("dueOn", "到期日期", Input::Date).hint("放款时必填，晚于放款日期"),
                ],
            },
            when: Some(("status", &["APPLIED"])),
        },
        RowAction {
            form: Form {
                key: "settle-guaranteed-loan",
                title: "登记还款/逾期",
                mutation: "mutation SettleGuaranteedLoan($input: ChangeGuaranteedLoanStatusInput!) { changeGuaranteedLoanStatus(input: $input) { id } }",
                input_type: "ChangeGuaranteedLoanStatusInput",
                write_domain: domain::EMPLOYMENT,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("status", "情况", Input::Choice(LOAN_OUTCOMES)).hint("到期日之后方可登记逾期"),
                    Field::optional("repaidOn", "还清日期", Input::Date).hint("还清时必填"),
                ],
            },
            when: Some(("status", &["GRANTED", "OVERDUE"])),
        },
    ],
};

/// 慢病管理台账 (A3§3): sensitive, every read audited.
const CHRONIC_CONDITIONS: Ledger = Ledger {
    key: "chronic-conditions",
    title: "慢病管理台账",
    group: Group::PublicServices,
    clause: "A3§3",
    description: "搬迁群众慢性病登记与管理：诊断、是否在管、大病、先诊疗后付费（健康信息，查阅留痕）",
    read_domain: domain::HEALTH,
    query: "query LedgerChronicConditions($first: Int, $after: String, $siteId: ID, $underManagement: Boolean) {
  chronicConditions(first: $first, after: $after, filter: {siteId: $siteId, underManagement: $underManagement}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version resident { person { id name } household { code } site { name } } conditionCode conditionName diagnosedOn underManagement seriousIllness treatFirstPayLater resolvedOn notes }
  }
}",
    root: "chronicConditions",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "resident.person.name", format: Format::Text },
        Column { header: "户编号", path: "resident.household.code", format: Format::Text },
        Column { header: "安置点", path: "resident.site.name", format: Format::Text },
        Column { header: "疾病编码", path: "conditionCode", format: Format::Text },
        Column { header: "疾病名称", path: "conditionName", format: Format::Text },
        Column { header: "确诊日期", path: "diagnosedOn", format: Format::Date },
        Column { header: "在管", path: "underManagement", format: Format::YesNo },
        Column { header: "大病", path: "seriousIllness", format: Format::YesNo },
        Column { header: "先诊疗后付费", path: "treatFirstPayLater", format: Format::YesNo },
        Column { header: "治愈/销管日期", path: "resolvedOn", format: Format::Date },
        Column { header: "备注", path: "notes", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "underManagement", label: "只看在管", input: Input::Checkbox },
    ],
    forms: &[Form {
        key: "record-chronic-condition",
        title: "登记慢性病",
        mutation: "mutation RecordChronicCondition($input: RecordChronicConditionInput!) { recordChronicCondition(input: $input) { id } }",
        input_type: "RecordChronicConditionInput",
        write_domain: domain::HEALTH,
        fields: &[
            Field::required("personId", "患者", Input::Search(&lookups::PERSONS)),
            Field::required("conditionCode", "疾病编码（ICD-10）", Input::Text).hint("如 I10、E11.9"),
            Field::required("conditionName", "疾病名称", Input::Text).hint("如 高血压"),
            Field::optional("diagnosedOn", "确诊日期", Input::Date),
            Field::optional("seriousIllness", "大病", Input::Checkbox),
            Field::optional("treatFirstPayLater", "先诊疗后付费", Input::Checkbox).hint("定点医院住院（A3§3）"),
            Field::optional("notes", "备注", Input::LongText),
        ],
    }],
    row_actions: &[
        RowAction {
            form: Form {
                key: "record-health-follow-up",
                title: "记录随访",
                mutation: "mutation RecordHealthFollowUp($input: RecordHealthFollowUpInput!) { recordHealthFollowUp(input: $input) { id } }",
                input_type: "RecordHealthFollowUpInput",
                write_domain: domain::HEALTH,
                fields: &[
                    Field::required("chronicConditionId", "", Input::FromRow("id")),
                    Field::required("personId", "", Input::FromRow("resident.person.id")),
                    Field::required("followedUpOn", "随访日期", Input::Date).hint("不晚于今天"),
                    Field::required("method", "随访方式", Input::Choice(FOLLOW_UP_METHODS)),
                    Field::required("byName", "随访医生", Input::Text),
                    Field::optional("notes", "随访情况", Input::LongText),
                    Field::optional("nextDueOn", "下次随访日期", Input::Date).hint("晚于本次随访日期"),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "resolve-chronic-condition",
                title: "销管",
                mutation: "mutation ResolveChronicCondition($input: UpdateChronicConditionInput!) { updateChronicCondition(input: $input) { id } }",
                input_type: "UpdateChronicConditionInput",
                write_domain: domain::HEALTH,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("resolvedOn", "销管日期", Input::Date).hint("治愈或不再需要管理的日期，不晚于今天"),
                    Field::optional("notes", "备注", Input::LongText),
                ],
            },
            when: None,
        },
    ],
};

/// 慢病随访台账 (A3§3): sensitive, every read audited.
const HEALTH_FOLLOW_UPS: Ledger = Ledger {
    key: "health-follow-ups",
    title: "慢病随访台账",
    group: Group::PublicServices,
    clause: "A3§3",
    description: "家庭医生对搬迁群众的定期随访：随访日期、方式、下次随访日期，可筛选逾期未随访（健康信息，查阅留痕）",
    read_domain: domain::HEALTH,
    query: "query LedgerHealthFollowUps($first: Int, $after: String, $siteId: ID, $nextDueBefore: NaiveDate) {
  healthFollowUps(first: $first, after: $after, filter: {siteId: $siteId, nextDueBefore: $nextDueBefore}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version resident { person { name } household { code } site { name } } conditionName followedUpOn method byName notes nextDueOn overdue }
  }
}",
    root: "healthFollowUps",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "resident.person.name", format: Format::Text },
        Column { header: "户编号", path: "resident.household.code", format: Format::Text },
        Column { header: "安置点", path: "resident.site.name", format: Format::Text },
        Column { header: "疾病", path: "conditionName", format: Format::Text },
        Column { header: "随访日期", path: "followedUpOn", format: Format::Date },
        Column { header: "随访方式", path: "method", format: Format::Choice(FOLLOW_UP_METHODS) },
        Column { header: "随访医生", path: "byName", format: Format::Text },
        Column { header: "随访情况", path: "notes", format: Format::Text },
        Column { header: "下次随访日期", path: "nextDueOn", format: Format::Date },
        Column { header: "已逾期", path: "overdue", format: Format::YesNo },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "nextDueBefore", label: "下次随访早于", input: Input::Date },
    ],
    forms: &[Form {
        key: "record-health-follow-up-for-person",
        title: "记录随访",
        mutation: "mutation RecordHealthFollowUpForPerson($input: RecordHealthFollowUpInput!) { recordHealthFollowUp(input: $input) { id } }",
        input_type: "RecordHealthFollowUpInput",
        write_domain: domain::HEALTH,
        fields: &[
            Field::required("personId", "随访对象", Input::Search(&lookups::PERSONS)),
            Field::required("followedUpOn", "随访日期", Input::Date).hint("不晚于今天"),
            Field::required("method", "随访方式", Input::Choice(FOLLOW_UP_METHODS)),
            Field::required("byName", "随访医生", Input::Text),
            Field::optional("notes", "随访情况", Input::LongText),
            Field::optional("nextDueOn", "下次随访日期", Input::Date).hint("晚于本次随访日期"),
        ],
    }],
    row_actions: &[],
};

/// 安置点配套设施台账 (A3§1): elderly day care, convenience points and the rest.
const SITE_FACILITIES: Ledger = Ledger {
    key: "site-facilities",
    title: "安置点配套设施台账",
    group: Group::PublicServices,
    clause: "A3§1",
    description: "安置点老年人日间照料中心、便民服务点、卫生室等配套设施：运营方、容量、开放日期与状态",
    read_domain: domain::PUBLIC_SERVICES,
    query: "query LedgerSiteFacilities($siteId: ID, $kinds: [SiteFacilityKind!], $statuses: [SiteFacilityStatus!]) {
  siteFacilities(siteId: $siteId, kinds: $kinds, statuses: $statuses) {
    id version site { name town { name } } kind name operator capacity openedOn status
  }
}",
    root: "siteFacilities",
    shape: Shape::List,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "镇（街道）", path: "site.town.name", format: Format::Text },
        Column { header: "类型", path: "kind", format: Format::Choice(FACILITY_KINDS) },
        Column { header: "名称", path: "name", format: Format::Text },
        Column { header: "运营方", path: "operator", format: Format::Text },
        Column { header: "容量", path: "capacity", format: Format::Integer },
        Column { header: "开放日期", path: "openedOn", format: Format::Date },
        Column { header: "状态", path: "status", format: Format::Choice(FACILITY_STATUSES) },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "kinds", label: "类型", input: Input::Choice(FACILITY_KINDS) },
        Filter { variable: "statuses", label: "状态", input: Input::Choice(FACILITY_STATUSES) },
    ],
    forms: &[Form {
        key: "add-site-facility",
        title: "新增设施",
        mutation: "mutation AddSiteFacility($input: AddSiteFacilityInput!) { addSiteFacility(input: $input) { id } }",
        input_type: "AddSiteFacilityInput",
        write_domain: domain::PUBLIC_SERVICES,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("kind", "类型", Input::Choice(FACILITY_KINDS)),
            Field::required("name", "名称", Input::Text),
            Field::optional("operator", "运营方", Input::Text),
            Field::optional("capacity", "容量", Input::Integer).hint("床位、座位等，可不填"),
            Field::optional("status", "状态", Input::Choice(FACILITY_STATUSES)).hint("默认规划中"),
            Field::optional("openedOn", "开放日期", Input::Date).hint("已运营或已停用时必填"),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "update-site-facility",
            title: "变更状态",
            mutation: "mutation UpdateSiteFacility($input: UpdateSiteFacilityInput!) { updateSiteFacility(input: $input) { id } }",
            input_type: "UpdateSiteFacilityInput",
            write_domain: domain::PUBLIC_SERVICES,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::required("status", "新状态", Input::Choice(FACILITY_STATUSES)).hint("规划中→已运营/已停用；已运营→已停用；已停用→已运营"),
                Field::optional("openedOn", "开放日期", Input::Date).hint("开放运营时必填，不晚于今天"),
                Field::optional("operator", "运营方", Input::Text),
                Field::optional("capacity", "容量", Input::Integer),
            ],
        },
        when: None,
    }],
};

/// 群众自治组织台账 (A6§2.4): 议事会、调解委员会、道德评议会、红白理事会、禁毒禁赌会.
const SITE_COUNCILS: Ledger = Ledger {
    key: "site-councils",
    title: "群众自治组织台账",
    group: Group::Governance,
    clause: "A6§2.4",
    description: "安置点居民议事会、人民调解委员会、道德评议会、红白理事会、禁毒禁赌会：负责人、成员人数、成立日期",
    read_domain: domain::GOVERNANCE,
    query: "query LedgerSiteCouncils($siteId: ID, $active: Boolean) {
  siteCouncils(siteId: $siteId, active: $active) {
    id version site { name town { name } } kind name chairName memberCount establishedOn active
  }
}",
    root: "siteCouncils",
    shape: Shape::List,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "镇（街道）", path: "site.town.name", format: Format::Text },
        Column { header: "类别", path: "kind", format: Format::Choice(COUNCIL_KINDS) },
        Column { header: "名称", path: "name", format: Format::Text },
        Column { header: "负责人", path: "chairName", format: Format::Text },
        Column { header: "成员人数", path: "memberCount", format: Format::Integer },
        Column { header: "成立日期", path: "establishedOn", format: Format::Date },
        Column { header: "运行中", path: "active", format: Format::YesNo },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "active", label: "只看运行中", input: Input::Checkbox },
    ],
    forms: &[Form {
        key: "establish-site-council",
        title: "登记自治组织",
        mutation: "mutation EstablishSiteCouncil($input: EstablishSiteCouncilInput!) { establishSiteCouncil(input: $input) { id } }",
        input_type: "EstablishSiteCouncilInput",
        write_domain: domain::GOVERNANCE,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("kind", "类别", Input::Choice(COUNCIL_KINDS)).hint("每个安置点每类一个（A6§2.4）"),
            Field::required("name", "名称", Input::Text),
            Field::optional("chairName", "负责人", Input::Text),
            Field::optional("memberCount", "成员人数", Input::Integer),
            Field::optional("establishedOn", "成立日期", Input::Date),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "update-site-council",
            title: "变更",
            mutation: "mutation UpdateSiteCouncil($input: UpdateSiteCouncilInput!) { updateSiteCouncil(input: $input) { id } }",
            input_type: "UpdateSiteCouncilInput",
            write_domain: domain::GOVERNANCE,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::optional("chairName", "负责人", Input::Text),
                Field::optional("memberCount", "成员人数", Input::Integer),
                Field::optional("active", "运行中", Input::Checkbox),
            ],
        },
        when: None,
    }],
};

/// 说事室台账 (A6§2.2).
const DISPUTE_ROOMS: Ledger = Ledger {
    key: "dispute-rooms",
    title: "说事室台账",
    group: Group::Governance,
    clause: "A6§2.2",
    description: "安置点说事室：地点、主持人、启用日期；在说事室受理群众纠纷",
    read_domain: domain::GOVERNANCE,
    query: "query LedgerDisputeRooms($siteId: ID) {
  disputeRooms(siteId: $siteId) {
    id version site { name town { name } } name location hostName openedOn active
  }
}",
    root: "disputeRooms",
    shape: Shape::List,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "镇（街道）", path: "site.town.name", format: Format::Text },
        Column { header: "名称", path: "name", format: Format::Text },
        Column { header: "地点", path: "location", format: Format::Text },
        Column { header: "主持人", path: "hostName", format: Format::Text },
        Column { header: "启用日期", path: "openedOn", format: Format::Date },
        Column { header: "启用中", path: "active", format: Format::YesNo },
    ],
    filters: &[Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) }],
    forms: &[Form {
        key: "open-dispute-room",
        title: "设立说事室",
        mutation: "mutation OpenDisputeRoom($input: OpenDisputeRoomInput!) { openDisputeRoom(input: $input) { id } }",
        input_type: "OpenDisputeRoomInput",
        write_domain: domain::GOVERNANCE,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::optional("name", "名称", Input::Text).hint("默认“说事室”"),
            Field::optional("location", "地点", Input::Text),
            Field::optional("hostName", "主持人", Input::Text).hint("如党建指导员"),
            Field::optional("openedOn", "启用日期", Input::Date),
        ],
    }],
    row_actions: &[
        RowAction {
            form: Form {
                key: "receive-dispute-case",
                title: "受理纠纷",
                mutation: "mutation ReceiveDisputeCase($input: ReceiveDisputeCaseInput!) { receiveDisputeCase(input: $input) { id } }",
                input_type: "ReceiveDisputeCaseInput",
                write_domain: domain::GOVERNANCE,
                fields: &[
                    Field::required("roomId", "", Input::FromRow("id")),
                    Field::optional("householdId", "当事户", Input::Search(&lookups::HOUSEHOLDS)).hint("须为本安置点住户"),
                    Field::required("receivedOn", "受理日期", Input::Date).hint("不晚于今天"),
                    Field::required("summary", "纠纷事由", Input::LongText),
                    Field::optional("mediatorName", "调解人", Input::Text),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "update-dispute-room",
                title: "变更",
                mutation: "mutation UpdateDisputeRoom($input: UpdateDisputeRoomInput!) { updateDisputeRoom(input: $input) { id } }",
                input_type: "UpdateDisputeRoomInput",
                write_domain: domain::GOVERNANCE,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::optional("location", "地点", Input::Text),
                    Field::optional("hostName", "主持人", Input::Text),
                    Field::optional("active", "启用中", Input::Checkbox).hint("停用后不再受理新纠纷"),
                ],
            },
            when: None,
        },
    ],
};

/// 说事室纠纷调处台账 (A6§2.2).
const DISPUTE_CASES: Ledger = Ledger {
    key: "dispute-cases",
    title: "纠纷调处台账",
    group: Group::Governance,
    clause: "A6§2.2",
    description: "说事室受理的群众纠纷：受理日期、事由、调解人、调处结果与办结日期",
    read_domain: domain::GOVERNANCE,
    query: "query LedgerDisputeCases($first: Int, $after: String, $siteId: ID, $statuses: [DisputeCaseStatus!]) {
  disputeCases(first: $first, after: $after, filter: {siteId: $siteId, statuses: $statuses}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version site { name } roomName household { code } receivedOn summary mediatorName status resolvedOn outcome }
  }
}",
    root: "disputeCases",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "说事室", path: "roomName", format: Format::Text },
        Column { header: "当事户", path: "household.code", format: Format::Text },
        Column { header: "受理日期", path: "receivedOn", format: Format::Date },
        Column { header: "纠纷事由", path: "summary", format: Format::Text },
        Column { header: "调解人", path: "mediatorName", format: Format::Text },
        Column { header: "状态", path: "status", format: Format::Choice(CASE_STATUSES) },
        Column { header: "办结日期", path: "resolvedOn", format: Format::Date },
        Column { header: "调处结果", path: "outcome", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "statuses", label: "状态", input: Input::Choice(CASE_STATUSES) },
    ],
    forms: &[],
    row_actions: &[RowAction {
        form: Form {
            key: "settle-dispute-case",
            title: "登记调处结果",
            mutation: "mutation SettleDisputeCase($input: SettleDisputeCaseInput!) { settleDisputeCase(input: $input) { id } }",
            input_type: "SettleDisputeCaseInput",
            write_domain: domain::GOVERNANCE,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::required("status", "结果", Input::Choice(CASE_SETTLEMENTS)).hint("调解成功或移交后可再结案"),
                Field::required("resolvedOn", "日期", Input::Date).hint("不早于受理日期，不晚于今天"),
                Field::required("outcome", "调处结果", Input::LongText),
            ],
        },
        when: Some(("status", &["OPEN", "MEDIATED", "REFERRED"])),
    }],
};

/// 镇（街道）党委研判安置点党建工作台账 (A6§3.1).
const TOWN_COMMITTEE_REVIEWS: Ledger = Ledger {
    key: "town-committee-reviews",
    title: "镇党委研判安置点党建台账",
    group: Group::Party,
    clause: "A6§3.1",
    description: "镇（街道）党委每月至少一次研判安置点党建工作：研判日期、研判人、发现问题与整改措施（查阅留痕）",
    read_domain: domain::PARTY,
    query: "query LedgerTownCommitteeReviews($first: Int, $after: String, $siteId: ID, $from: NaiveDate, $through: NaiveDate) {
  townCommitteeReviews(first: $first, after: $after, filter: {siteId: $siteId, from: $from, through: $through}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version site { name } town { name } organisationName reviewedOn reviewerName findings followUp }
  }
}",
    root: "townCommitteeReviews",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "镇（街道）", path: "town.name", format: Format::Text },
        Column { header: "安置点党组织", path: "organisationName", format: Format::Text },
        Column { header: "研判日期", path: "reviewedOn", format: Format::Date },
        Column { header: "研判人", path: "reviewerName", format: Format::Text },
        Column { header: "研判情况", path: "findings", format: Format::Text },
        Column { header: "整改措施", path: "followUp", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "from", label: "研判日期自", input: Input::Date },
        Filter { variable: "through", label: "研判日期至", input: Input::Date },
    ],
    forms: &[Form {
        key: "record-town-committee-review",
        title: "登记研判",
        mutation: "mutation RecordTownCommitteeReview($input: RecordTownCommitteeReviewInput!) { recordTownCommitteeReview(input: $input) { id } }",
        input_type: "RecordTownCommitteeReviewInput",
        write_domain: domain::PARTY,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("reviewedOn", "研判日期", Input::Date).hint("不晚于今天；每月至少一次（A6§3.1）"),
            Field::required("reviewerName", "研判人", Input::Text),
            Field::optional("findings", "研判情况", Input::LongText),
            Field::optional("followUp", "整改措施", Input::LongText),
        ],
    }],
    row_actions: &[],
};

/// 镇党委研判缺失月份 (A6§3.1): the months a site went without a review.
const TOWN_REVIEW_GAPS: Ledger = Ledger {
    key: "town-review-gaps",
    title: "镇党委研判缺失月份",
    group: Group::Party,
    clause: "A6§3.1",
    description: "各安置点在所查月份内镇（街道）党委未研判党建工作的月份（默认当年1月至上月）",
    read_domain: domain::PARTY,
    query: "query LedgerTownReviewGaps($siteId: ID, $from: String, $through: String) {
  townReviewGaps(siteId: $siteId, from: $from, through: $through) {
    site { name town { name } } from through occupiedSince reviewCount lastReviewedOn missingMonths
  }
}",
    root: "townReviewGaps",
    shape: Shape::List,
    columns: &[
        Column {
            header: "安置点",
            path: "site.name",
            format: Format::Text,
        },
        Column {
            header: "镇（街道）",
            path: "site.town.name",
            format: Format::Text,
        },
        Column {
            header: "起始月份",
            path: "from",
            format: Format::Text,
        },
        Column {
            header: "截止月份",
            path: "through",
            format: Format::Text,
        },
        Column {
            header: "入住日期",
            path: "occupiedSince",
            format: Format::Date,
        },
        Column {
            header: "研判次数",
            path: "reviewCount",
            format: Format::Integer,
        },
        Column {
            header: "最近研判日期",
            path: "lastReviewedOn",
            format: Format::Date,
        },
        Column {
            header: "未研判月份",
            path: "missingMonths",
            format: Format::Text,
        },
    ],
    filters: &[
        Filter {
            variable: "siteId",
            label: "安置点",
            input: Input::Lookup(&lookups::SITES),
        },
        Filter {
            variable: "from",
            label: "起始月份",
            input: Input::Month,
        },
        Filter {
            variable: "through",
            label: "截止月份",
            input: Input::Month,
        },
    ],
    forms: &[],
    row_actions: &[],
};
