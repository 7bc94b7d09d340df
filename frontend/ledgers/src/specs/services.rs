//! Annex 3: public services (基本公共服务). One ledger over `personServices` per bureau, each
//! selecting only the guarantees that bureau may read (a field outside the reader's data
//! domains comes back as FORBIDDEN_FIELD), plus the schools, the sites' needs lists and the
//! property-service tickets.

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const SEXES: &[(&str, &str)] = &[("MALE", "男"), ("FEMALE", "女")];

const AGE_BANDS: &[(&str, &str)] = &[
    ("PRESCHOOL", "学龄前（0–5岁）"),
    ("COMPULSORY_SCHOOL", "义务教育阶段（6–15岁）"),
    ("WORKING_AGE", "劳动年龄（16–59岁）"),
    ("ELDERLY", "老年（60岁及以上）"),
];

const RELATIONS: &[(&str, &str)] = &[
    ("HEAD", "户主"),
    ("SPOUSE", "配偶"),
    ("CHILD", "子女"),
    ("CHILD_IN_LAW", "儿媳/女婿"),
    ("GRANDCHILD", "孙子女"),
    ("PARENT", "父母"),
    ("GRANDPARENT", "祖父母"),
    ("SIBLING", "兄弟姐妹"),
    ("OTHER", "其他"),
];

const ALL_GAPS: &[(&str, &str)] = &[
    ("MISSING_BASIC_MEDICAL", "未参加基本医疗保险"),
    ("MISSING_SERIOUS_ILLNESS", "未参加大病保险"),
    ("MISSING_PENSION", "未参加养老保险"),
    ("SCHOOL_DROPOUT", "义务教育阶段辍学"),
    ("NO_FAMILY_DOCTOR", "未签约家庭医生"),
    (
        "NO_REGISTRATION_OR_RESIDENCE_PERMIT",
        "户籍未迁移且未办居住证",
    ),
];

const EDUCATION_GAPS: &[(&str, &str)] = &[("SCHOOL_DROPOUT", "义务教育阶段辍学")];

const INSURANCE_GAPS: &[(&str, &str)] = &[
    ("MISSING_BASIC_MEDICAL", "未参加基本医疗保险"),
    ("MISSING_SERIOUS_ILLNESS", "未参加大病保险"),
    ("MISSING_PENSION", "未参加养老保险"),
];

const HEALTH_GAPS: &[(&str, &str)] = &[("NO_FAMILY_DOCTOR", "未签约家庭医生")];

const REGISTRATION_GAPS: &[(&str, &str)] = &[(
    "NO_REGISTRATION_OR_RESIDENCE_PERMIT",
    "户籍未迁移且未办居住证",
)];

const SCHOOL_STAGES: &[(&str, &str)] = &[
    ("PRESCHOOL", "学前"),
    ("PRIMARY", "小学"),
    ("JUNIOR_MIDDLE", "初中"),
    ("SENIOR_HIGH", "高中"),
    ("VOCATIONAL", "中职"),
];

const ENROLMENT_STATUSES: &[(&str, &str)] = &[
    ("ENROLLED", "在读"),
    ("TRANSFERRED_OUT", "转出"),
    ("DROPPED_OUT", "辍学"),
    ("GRADUATED", "毕业"),
    ("SUSPENDED", "休学"),
];

const SCHOOL_LEAVINGS: &[(&str, &str)] = &[
    ("TRANSFERRED_OUT", "转出"),
    ("GRADUATED", "毕业"),
    ("SUSPENDED", "休学"),
    ("DROPPED_OUT", "辍学"),
];

/// `School.kind` is a code of the schools table, not a GraphQL enum.
const SCHOOL_KINDS: &[(&str, &str)] = &[
    ("kindergarten", "幼儿园"),
    ("primary", "小学"),
    ("junior_middle", "初级中学"),
    ("nine_year", "九年一贯制学校"),
    ("senior_high", "高级中学"),
    ("vocational", "中等职业学校"),
];

const INSURANCE_KINDS: &[(&str, &str)] = &[
    ("BASIC_MEDICAL", "基本医疗保险"),
    ("SERIOUS_ILLNESS", "大病保险"),
    ("PENSION", "养老保险"),
];

const INSURANCE_STATUSES: &[(&str, &str)] = &[
    ("ENROLLED", "已参保"),
    ("PENDING", "待参保"),
    ("EXEMPT", "免缴/他处参保"),
    ("NOT_APPLICABLE", "不适用"),
    ("REFUSED", "拒绝参保"),
];

/// `FamilyDoctorContract.status` is a code of the contracts table, not a GraphQL enum.
const CONTRACT_STATUSES: &[(&str, &str)] = &[
    ("active", "有效"),
    ("expired", "已到期"),
    ("cancelled", "已解约"),
];

const ASSISTANCE_KINDS: &[(&str, &str)] = &[
    ("SUBSISTENCE_ALLOWANCE", "农村低保"),
    ("DESTITUTE_SUPPORT", "特困人员救助供养"),
    ("TEMPORARY_ASSISTANCE", "临时救助"),
];

const ASSISTANCE_PERIODS: &[(&str, &str)] = &[("MONTHLY", "按月发放"), ("ONE_OFF", "一次性发放")];

const ASSISTANCE_STATUSES: &[(&str, &str)] = &[
    ("APPLIED", "已申请"),
    ("APPROVED", "已批准"),
    ("SUSPENDED", "暂停发放"),
    ("ENDED", "已终止"),
    ("REJECTED", "未批准"),
];

const REGISTRATION_STATUSES: &[(&str, &str)] = &[
    ("TRANSFERRED", "已迁入户籍"),
    ("RESIDENCE_PERMIT", "办理居住证"),
    ("KEPT_AT_ORIGIN", "户籍未迁移且未办居住证"),
];

const NEED_CATEGORIES: &[(&str, &str)] = &[
    ("ROAD", "道路"),
    ("DRINKING_WATER", "饮水"),
    ("POWER", "电力"),
    ("TELECOM", "通讯"),
    ("GAS", "燃气"),
    ("CULTURE", "文化活动设施"),
    ("EDUCATION", "教育"),
    ("HEALTH", "医疗卫生"),
    ("ELDERLY_CARE", "养老服务（日间照料）"),
    ("CONVENIENCE", "便民服务"),
    ("PROPERTY_SERVICE", "物业服务"),
    ("EMPLOYMENT", "就业服务"),
    ("OTHER", "其他"),
];

const NEED_STATUSES: &[(&str, &str)] = &[
    ("IDENTIFIED", "已摸排"),
    ("PLANNED", "已列入计划"),
    ("IN_PROGRESS", "实施中"),
    ("COMPLETED", "已完成"),
    ("CANCELLED", "已取消"),
];

const TICKET_CATEGORIES: &[(&str, &str)] = &[
    ("WATER", "供水故障"),
    ("POWER", "供电故障"),
    ("GAS", "燃气故障"),
    ("OTHER", "其他"),
];

const TICKET_STATUSES: &[(&str, &str)] = &[
    ("OPEN", "待受理"),
    ("ASSIGNED", "已派单"),
    ("IN_PROGRESS", "处理中"),
    ("RESOLVED", "已解决"),
    ("CLOSED", "已关闭"),
    ("CANCELLED", "已取消"),
];

/// The ledgers of annex 3, in page order.
pub static LEDGERS: &[Ledger] = &[
    SERVICE_GAPS,
    SCHOOLING,
    SCHOOLS,
    INSURANCE,
    FAMILY_DOCTORS,
    SOCIAL_ASSISTANCE,
    HOUSEHOLD_REGISTRATION,
    SITE_NEEDS,
    PROPERTY_TICKETS,
];

/// The hidden field of a person row action: the row's `id` is the person's global ID.
const PERSON_FROM_ROW: Field = Field::required("personId", "", Input::FromRow("id"));

/// 保障缺口清单 (A3§2–5): every guarantee a relocated person is missing, as far as the reader
/// may see (the server keeps only the gaps of the reader's data domains).
const SERVICE_GAPS: Ledger = Ledger {
    key: "service-gaps",
    title: "搬迁群众保障缺口清单",
    group: Group::PublicServices,
    clause: "A3§2–5",
    description: "逐人列出义务教育、参保、家庭医生签约、户籍迁移等保障缺口（仅显示本单位有权查看的缺口），用于精准到户、逐项销号",
    read_domain: domain::IDENTITY,
    query: "query LedgerServiceGaps($first: Int, $after: String, $siteId: ID, $gap: ServiceGapKind, $year: Int) {
  personServices(first: $first, after: $after, filter: {siteId: $siteId, gap: $gap}, year: $year) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id person { name sex age relation household { code headName site { name } } } gaps { kind clause } }
  }
}",
    root: "personServices",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "person.name", format: Format::Text },
        Column { header: "性别", path: "person.sex", format: Format::Choice(SEXES) },
        Column { header: "年龄", path: "person.age", format: Format::Integer },
        Column { header: "与户主关系", path: "person.relation", format: Format::Choice(RELATIONS) },
        Column { header: "户编号", path: "person.household.code", format: Format::Text },
        Column { header: "户主", path: "person.household.headName", format: Format::Text },
        Column { header: "安置点", path: "person.household.site.name", format: Format::Text },
        Column { header: "保障缺口", path: "gaps.kind", format: Format::Choice(ALL_GAPS) },
        Column { header: "依据条款", path: "gaps.clause", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "gap", label: "缺口类型", input: Input::Choice(ALL_GAPS) },
        Filter { variable: "year", label: "参保年度", input: Input::Year },
    ],
    forms: &[],
    row_actions: &[],
};

/// 义务教育台账 (A3§2): each relocated person's schooling and enrolment history; dropouts are
/// the alert. Kept by 区教科体局.
const SCHOOLING: Ledger = Ledger {
    key: "schooling-ledger",
    title: "义务教育台账",
    group: Group::PublicServices,
    clause: "A3§2",
    description: "搬迁群众子女就读情况与学籍变动（人籍一致、籍随人走），义务教育阶段辍学预警；区教科体局维护",
    read_domain: domain::EDUCATION,
    query: "query LedgerSchooling($first: Int, $after: String, $siteId: ID, $gap: ServiceGapKind) {
  personServices(first: $first, after: $after, filter: {siteId: $siteId, gap: $gap}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      person { name sex age ageBand household { code site { name } } }
      schooling {
        compulsorySchoolAge inSchool completedCompulsoryEducation dropoutAlert
        ledger { id version schoolName stage grade schoolYear status enrolledOn leftOn transferredFromSchoolName leavingReason }
      }
    }
  }
}",
    root: "personServices",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "person.name", format: Format::Text },
        Column { header: "性别", path: "person.sex", format: Format::Choice(SEXES) },
        Column { header: "年龄", path: "person.age", format: Format::Integer },
        Column { header: "年龄段", path: "person.ageBand", format: Format::Choice(AGE_BANDS) },
        Column { header: "户编号", path: "person.household.code", format: Format::Text },
        Column { header: "安置点", path: "person.household.site.name", format: Format::Text },
        Column { header: "义务教育适龄", path: "schooling.compulsorySchoolAge", format: Format::YesNo },
        Column { header: "在校", path: "schooling.inSchool", format: Format::YesNo },
        Column { header: "已完成九年义务教育", path: "schooling.completedCompulsoryEducation", format: Format::YesNo },
        Column { header: "辍学预警", path: "schooling.dropoutAlert", format: Format::YesNo },
        Column { header: "就读学校", path: "schooling.ledger.schoolName", format: Format::Text },
        Column { header: "学段", path: "schooling.ledger.stage", format: Format::Choice(SCHOOL_STAGES) },
        Column { header: "年级", path: "schooling.ledger.grade", format: Format::Integer },
        Column { header: "学年", path: "schooling.ledger.schoolYear", format: Format::Integer },
        Column { header: "学籍状态", path: "schooling.ledger.status", format: Format::Choice(ENROLMENT_STATUSES) },
        Column { header: "入学日期", path: "schooling.ledger.enrolledOn", format: Format::Date },
        Column { header: "离校日期", path: "schooling.ledger.leftOn", format: Format::Date },
        Column { header: "转出学校", path: "schooling.ledger.transferredFromSchoolName", format: Format::Text },
        Column { header: "离校原因", path: "schooling.ledger.leavingReason", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "gap", label: "只看", input: Input::Choice(EDUCATION_GAPS) },
    ],
    forms: &[],
    row_actions: &[
        RowAction {
            form: Form {
                key: "record-school-enrolment",
                title: "登记入学",
                mutation: "mutation RecordSchoolEnrolment($input: RecordSchoolEnrolmentInput!) { recordSchoolEnrolment(input: $input) { id } }",
                input_type: "RecordSchoolEnrolmentInput",
                write_domain: domain::EDUCATION,
                fields: &[
                    PERSON_FROM_ROW,
                    Field::required("schoolCode", "学校", Input::Lookup(&lookups::SCHOOLS)).hint("在读学籍将自动转出（籍随人走）"),
                    Field::required("stage", "学段", Input::Choice(SCHOOL_STAGES)),
                    Field::required("grade", "年级", Input::Integer).hint("0（学前）至 12"),
                    Field::required("schoolYear", "学年", Input::Year).hint("学年开始的年份，如 2026"),
                    Field::required("enrolledOn", "入学日期", Input::Date),
                    Field::optional("aidFen", "教育资助（元）", Input::Fen),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "record-school-leaving",
                title: "登记离校",
                mutation: "mutation RecordSchoolLeaving($input: RecordSchoolLeavingInput!) { recordSchoolLeaving(input: $input) { id } }",
                input_type: "RecordSchoolLeavingInput",
                write_domain: domain::EDUCATION,
                fields: &[
                    Field::required("enrolmentId", "学籍记录", Input::RowItem { list: "schooling.ledger", label: "schoolName" }),
                    Field::required("version", "", Input::FromItem("version")),
                    Field::required("status", "离校方式", Input::Choice(SCHOOL_LEAVINGS)).hint("6–15岁未完成九年义务教育而辍学的将预警"),
                    Field::required("leftOn", "离校日期", Input::Date),
                    Field::required("reason", "原因", Input::Text),
                ],
            },
            when: Some(("schooling.inSchool", &["true"])),
        },
    ],
};

/// The schools that take relocated children (A3§2): nearby enrolment and seats.
const SCHOOLS: Ledger = Ledger {
    key: "schools",
    title: "接收学校名录",
    group: Group::PublicServices,
    clause: "A3§2",
    description: "接收搬迁群众子女的学校、学位数和是否就近安置点，用于就近入学",
    read_domain: domain::EDUCATION,
    query: "query LedgerSchools { schools { code name kind seats nearSite } }",
    root: "schools",
    shape: Shape::List,
    columns: &[
        Column {
            header: "学校代码",
            path: "code",
            format: Format::Text,
        },
        Column {
            header: "学校名称",
            path: "name",
            format: Format::Text,
        },
        Column {
            header: "类型",
            path: "kind",
            format: Format::Choice(SCHOOL_KINDS),
        },
        Column {
            header: "可提供学位",
            path: "seats",
            format: Format::Integer,
        },
        Column {
            header: "就近安置点",
            path: "nearSite",
            format: Format::YesNo,
        },
    ],
    filters: &[],
    forms: &[],
    row_actions: &[],
};

/// 参保台账 (A3§4 应保尽保): the three insurances of each person for a year. Kept by 区人社局.
const INSURANCE: Ledger = Ledger {
    key: "insurance-coverage",
    title: "参保台账（应保尽保）",
    group: Group::PublicServices,
    clause: "A3§4",
    description: "逐人核对基本医疗保险、大病保险、养老保险（16岁及以上且不在校）参保情况，应保未保的逐一登记；区人社局维护",
    read_domain: domain::INSURANCE,
    query: "query LedgerInsurance($first: Int, $after: String, $siteId: ID, $gap: ServiceGapKind, $year: Int) {
  personServices(first: $first, after: $after, filter: {siteId: $siteId, gap: $gap}, year: $year) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      person { name sex age household { code site { name } } }
      insurance { kind year applies covered gap }
    }
  }
}",
    root: "personServices",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "person.name", format: Format::Text },
        Column { header: "性别", path: "person.sex", format: Format::Choice(SEXES) },
        Column { header: "年龄", path: "person.age", format: Format::Integer },
        Column { header: "户编号", path: "person.household.code", format: Format::Text },
        Column { header: "安置点", path: "person.household.site.name", format: Format::Text },
        Column { header: "险种", path: "insurance.kind", format: Format::Choice(INSURANCE_KINDS) },
        Column { header: "是否应参保（依次）", path: "insurance.applies", format: Format::YesNo },
        Column { header: "是否已参保（依次）", path: "insurance.covered", format: Format::YesNo },
        Column { header: "应保未保（依次）", path: "insurance.gap", format: Format::YesNo },
    ],
    filters: &[
        Filter { variable: "year", label: "参保年度", input: Input::Year },
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "gap", label: "只看应保未保", input: Input::Choice(INSURANCE_GAPS) },
    ],
    forms: &[],
    row_actions: &[RowAction {
        form: Form {
            key: "record-insurance-enrolment",
            title: "登记参保",
            mutation: "mutation RecordInsuranceEnrolment($input: RecordInsuranceEnrolmentInput!) { recordInsuranceEnrolment(input: $input) { id } }",
            input_type: "RecordInsuranceEnrolmentInput",
            write_domain: domain::INSURANCE,
            fields: &[
                PERSON_FROM_ROW,
                Field::required("kind", "险种", Input::Choice(INSURANCE_KINDS)),
                Field::required("year", "参保年度", Input::Year),
                Field::required("status", "参保状态", Input::Choice(INSURANCE_STATUSES)),
                Field::optional("enrolledOn", "参保日期", Input::Date).hint("状态为已参保时必填"),
                Field::optional("premiumFen", "缴费金额（元）", Input::Fen),
                Field::optional("subsidyFen", "政府代缴（元）", Input::Fen).hint("缴费中由政府代缴的部分"),
            ],
        },
        when: None,
    }],
};

/// 家庭医生签约台账 (A3§3): contracts of each person. Kept by 区卫健局 (health data: every read
/// is audited).
const FAMILY_DOCTORS: Ledger = Ledger {
    key: "family-doctors",
    title: "家庭医生签约台账",
    group: Group::PublicServices,
    clause: "A3§3",
    description: "搬迁群众家庭医生签约服务：签约医生、机构、团队和有效期，未签约的逐一签约；区卫健局维护（健康信息，查看留痕）",
    read_domain: domain::HEALTH,
    query: "query LedgerFamilyDoctors($first: Int, $after: String, $siteId: ID, $gap: ServiceGapKind) {
  personServices(first: $first, after: $after, filter: {siteId: $siteId, gap: $gap}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      person { name sex age household { code site { name } } }
      familyDoctor { inForce contracts { doctorName clinicName teamName signedOn expiresOn status } }
    }
  }
}",
    root: "personServices",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "person.name", format: Format::Text },
        Column { header: "性别", path: "person.sex", format: Format::Choice(SEXES) },
        Column { header: "年龄", path: "person.age", format: Format::Integer },
        Column { header: "户编号", path: "person.household.code", format: Format::Text },
        Column { header: "安置点", path: "person.household.site.name", format: Format::Text },
        Column { header: "签约有效", path: "familyDoctor.inForce", format: Format::YesNo },
        Column { header: "签约医生", path: "familyDoctor.contracts.doctorName", format: Format::Text },
        Column { header: "医疗机构", path: "familyDoctor.contracts.clinicName", format: Format::Text },
        Column { header: "服务团队", path: "familyDoctor.contracts.teamName", format: Format::Text },
        Column { header: "签约日期", path: "familyDoctor.contracts.signedOn", format: Format::Date },
        Column { header: "到期日期", path: "familyDoctor.contracts.expiresOn", format: Format::Date },
        Column { header: "合同状态", path: "familyDoctor.contracts.status", format: Format::Choice(CONTRACT_STATUSES) },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "gap", label: "只看", input: Input::Choice(HEALTH_GAPS) },
    ],
    forms: &[],
    row_actions: &[RowAction {
        form: Form {
            key: "record-family-doctor-contract",
            title: "签约家庭医生",
            mutation: "mutation RecordFamilyDoctorContract($input: RecordFamilyDoctorContractInput!) { recordFamilyDoctorContract(input: $input) { id } }",
            input_type: "RecordFamilyDoctorContractInput",
            write_domain: domain::HEALTH,
            fields: &[
                PERSON_FROM_ROW,
                Field::required("doctorName", "签约医生", Input::Text),
                Field::required("clinicName", "医疗机构", Input::Text).hint("如 安置点卫生室、镇卫生院"),
                Field::optional("teamName", "服务团队", Input::Text),
                Field::required("signedOn", "签约日期", Input::Date).hint("原有效合同自动到期"),
                Field::required("expiresOn", "到期日期", Input::Date),
            ],
        },
        when: None,
    }],
};

/// 社会救助台账 (A3§4): 低保, 特困 and 临时救助 of each person or household. Kept by 区民政局
/// (sensitive: every read is audited).
const SOCIAL_ASSISTANCE: Ledger = Ledger {
    key: "social-assistance",
    title: "社会救助台账（低保·特困·临时救助）",
    group: Group::PublicServices,
    clause: "A3§4",
    description: "搬迁群众农村低保、特困人员救助供养和临时救助：对象、金额、期限和审批状态；区民政局维护（敏感信息，查看留痕）",
    read_domain: domain::SOCIAL_ASSISTANCE,
    query: "query LedgerSocialAssistance($first: Int, $after: String, $siteId: ID) {
  personServices(first: $first, after: $after, filter: {siteId: $siteId}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      person { name sex age relation household { id code headName site { name } } }
      socialAssistance { kind period amountFen startsOn endsOn status inForce wholeHousehold reason }
    }
  }
}",
    root: "personServices",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "person.name", format: Format::Text },
        Column { header: "性别", path: "person.sex", format: Format::Choice(SEXES) },
        Column { header: "年龄", path: "person.age", format: Format::Integer },
        Column { header: "与户主关系", path: "person.relation", format: Format::Choice(RELATIONS) },
        Column { header: "户编号", path: "person.household.code", format: Format::Text },
        Column { header: "户主", path: "person.household.headName", format: Format::Text },
        Column { header: "安置点", path: "person.household.site.name", format: Format::Text },
        Column { header: "救助类别", path: "socialAssistance.kind", format: Format::Choice(ASSISTANCE_KINDS) },
        Column { header: "发放方式", path: "socialAssistance.period", format: Format::Choice(ASSISTANCE_PERIODS) },
        Column { header: "金额", path: "socialAssistance.amountFen", format: Format::Fen },
        Column { header: "起始日期", path: "socialAssistance.startsOn", format: Format::Date },
        Column { header: "终止日期", path: "socialAssistance.endsOn", format: Format::Date },
        Column { header: "审批状态", path: "socialAssistance.status", format: Format::Choice(ASSISTANCE_STATUSES) },
        Column { header: "正在享受", path: "socialAssistance.inForce", format: Format::YesNo },
        Column { header: "按户保障", path: "socialAssistance.wholeHousehold", format: Format::YesNo },
        Column { header: "事由", path: "socialAssistance.reason", format: Format::Text },
    ],
    filters: &[Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) }],
    forms: &[],
    row_actions: &[
        RowAction {
            form: Form {
                key: "record-household-assistance",
                title: "登记按户救助",
                mutation: "mutation RecordHouseholdAssistance($input: RecordSocialAssistanceInput!) { recordSocialAssistance(input: $input) { id } }",
                input_type: "RecordSocialAssistanceInput",
                write_domain: domain::SOCIAL_ASSISTANCE,
                fields: &[
                    Field::required("householdId", "", Input::FromRow("person.household.id")),
                    Field::required("kind", "救助类别", Input::Choice(ASSISTANCE_KINDS)),
                    Field::required("period", "发放方式", Input::Choice(ASSISTANCE_PERIODS)).hint("临时救助为一次性发放"),
                    Field::required("amountFen", "金额（元）", Input::Fen).hint("按月发放时为每月金额"),
                    Field::required("startsOn", "起始日期", Input::Date),
                    Field::optional("endsOn", "终止日期", Input::Date),
                    Field::required("status", "审批状态", Input::Choice(ASSISTANCE_STATUSES)),
                    Field::optional("reason", "事由", Input::LongText),
                ],
            },
            when: None,
        },
        RowAction {
            form: Form {
                key: "record-person-assistance",
                title: "登记个人救助",
                mutation: "mutation RecordPersonAssistance($input: RecordSocialAssistanceInput!) { recordSocialAssistance(input: $input) { id } }",
                input_type: "RecordSocialAssistanceInput",
                write_domain: domain::SOCIAL_ASSISTANCE,
                fields: &[
                    Field::required("householdId", "", Input::FromRow("person.household.id")),
                    PERSON_FROM_ROW,
                    Field::required("kind", "救助类别", Input::Choice(ASSISTANCE_KINDS)),
                    Field::required("period", "发放方式", Input::Choice(ASSISTANCE_PERIODS)).hint("临时救助为一次性发放"),
                    Field::required("amountFen", "金额（元）", Input::Fen).hint("按月发放时为每月金额"),
                    Field::required("startsOn", "起始日期", Input::Date),
                    Field::optional("endsOn", "终止日期", Input::Date),
                    Field::required("status", "审批状态", Input::Choice(ASSISTANCE_STATUSES)),
                    Field::optional("reason", "事由", Input::LongText),
                ],
            },
            when: None,
        },
    ],
};

/// 户籍迁移台账 (A3§5): where each person's 户籍 stands. Kept by 公安 (ID numbers masked here).
const HOUSEHOLD_REGISTRATION: Ledger = Ledger {
    key: "household-registration",
    title: "户籍迁移与居住证台账",
    group: Group::PublicServices,
    clause: "A3§5",
    description: "搬迁群众户籍自愿迁入或办理居住证情况，原籍承包地、集体收益分配等权益保留；公安分局维护",
    read_domain: domain::HOUSEHOLD_REGISTRATION,
    query: "query LedgerHouseholdRegistration($first: Int, $after: String, $siteId: ID, $gap: ServiceGapKind) {
  personServices(first: $first, after: $after, filter: {siteId: $siteId, gap: $gap}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      person { name sex age idNumber household { code site { name } } }
      registration { status transferredOn residencePermitNo permitIssuedOn originRightsRetained gap }
    }
  }
}",
    root: "personServices",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "person.name", format: Format::Text },
        Column { header: "性别", path: "person.sex", format: Format::Choice(SEXES) },
        Column { header: "年龄", path: "person.age", format: Format::Integer },
        Column { header: "身份证号（脱敏）", path: "person.idNumber", format: Format::Text },
        Column { header: "户编号", path: "person.household.code", format: Format::Text },
        Column { header: "安置点", path: "person.household.site.name", format: Format::Text },
        Column { header: "户籍状态", path: "registration.status", format: Format::Choice(REGISTRATION_STATUSES) },
        Column { header: "迁入日期", path: "registration.transferredOn", format: Format::Date },
        Column { header: "居住证号", path: "registration.residencePermitNo", format: Format::Text },
        Column { header: "居住证签发日期", path: "registration.permitIssuedOn", format: Format::Date },
        Column { header: "保留原籍权益", path: "registration.originRightsRetained", format: Format::YesNo },
        Column { header: "待办理", path: "registration.gap", format: Format::YesNo },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "gap", label: "只看", input: Input::Choice(REGISTRATION_GAPS) },
    ],
    forms: &[],
    row_actions: &[RowAction {
        form: Form {
            key: "record-household-registration",
            title: "登记户籍/居住证",
            mutation: "mutation RecordHouseholdRegistration($input: RecordHouseholdRegistrationInput!) { recordHouseholdRegistration(input: $input) { status } }",
            input_type: "RecordHouseholdRegistrationInput",
            write_domain: domain::HOUSEHOLD_REGISTRATION,
            fields: &[
                PERSON_FROM_ROW,
                Field::required("status", "户籍状态", Input::Choice(REGISTRATION_STATUSES)).hint("按群众自愿"),
                Field::optional("transferredOn", "迁入日期", Input::Date).hint("已迁入户籍时必填"),
                Field::optional("residencePermitNo", "居住证号", Input::Text).hint("办理居住证时必填"),
                Field::optional("permitIssuedOn", "居住证签发日期", Input::Date).hint("办理居住证时必填"),
            ],
        },
        when: None,
    }],
};

/// 需求清单 (A3§1 缺什么补什么): what each site lacks, its plan and owner.
const SITE_NEEDS: Ledger = Ledger {
    key: "site-needs",
    title: "安置点基础设施和公共服务需求清单",
    group: Group::PublicServices,
    clause: "A3§1",
    description: "按“缺什么补什么”逐点列出道路、饮水、电力、通讯、教育、医疗、养老等短板，明确责任部门、建设方案和完成时限",
    read_domain: domain::PUBLIC_SERVICES,
    query: "query LedgerSiteNeeds($first: Int, $after: String, $siteId: ID, $statuses: [SiteNeedStatus!]) {
  siteNeeds(first: $first, after: $after, filter: {siteId: $siteId, statuses: $statuses}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version site { name } category title description plan owningBureau { name } budgetFen plannedCompletionOn completedOn status }
  }
}",
    root: "siteNeeds",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "类别", path: "category", format: Format::Choice(NEED_CATEGORIES) },
        Column { header: "需求事项", path: "title", format: Format::Text },
        Column { header: "现状说明", path: "description", format: Format::Text },
        Column { header: "建设方案", path: "plan", format: Format::Text },
        Column { header: "责任部门", path: "owningBureau.name", format: Format::Text },
        Column { header: "预算", path: "budgetFen", format: Format::Fen },
        Column { header: "计划完成", path: "plannedCompletionOn", format: Format::Date },
        Column { header: "实际完成", path: "completedOn", format: Format::Date },
        Column { header: "状态", path: "status", format: Format::Choice(NEED_STATUSES) },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "statuses", label: "状态", input: Input::Choice(NEED_STATUSES) },
    ],
    forms: &[Form {
        key: "create-site-need",
        title: "新增需求",
        mutation: "mutation CreateSiteNeed($input: CreateSiteNeedInput!) { createSiteNeed(input: $input) { id } }",
        input_type: "CreateSiteNeedInput",
        write_domain: domain::PUBLIC_SERVICES,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("category", "类别", Input::Choice(NEED_CATEGORIES)),
            Field::required("title", "需求事项", Input::Text),
            Field::optional("description", "现状说明", Input::LongText),
            Field::optional("plan", "建设方案", Input::LongText),
            Field::required("owningBureauCode", "责任部门", Input::Lookup(&lookups::BUREAUS)),
            Field::optional("budgetFen", "预算（元）", Input::Fen),
            Field::optional("plannedCompletionOn", "计划完成日期", Input::Date),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "update-site-need",
            title: "更新进度",
            mutation: "mutation UpdateSiteNeed($input: UpdateSiteNeedInput!) { updateSiteNeed(input: $input) { id } }",
            input_type: "UpdateSiteNeedInput",
            write_domain: domain::PUBLIC_SERVICES,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::optional("status", "新状态", Input::Choice(NEED_STATUSES)).hint("只能向前推进，或取消"),
                Field::optional("completedOn", "完成日期", Input::Date).hint("状态为已完成时必填"),
                Field::optional("plan", "建设方案", Input::LongText),
                Field::optional("plannedCompletionOn", "计划完成日期", Input::Date),
            ],
        },
        when: Some(("status", &["IDENTIFIED", "PLANNED", "IN_PROGRESS"])),
    }],
};

/// 物业服务工单 (A3§1, A3§4): water, power and gas faults at the sites; 区住建局 supervises.
const PROPERTY_TICKETS: Ledger = Ledger {
    key: "property-tickets",
    title: "物业服务工单（水电气故障）",
    group: Group::PublicServices,
    clause: "A3§1",
    description: "安置点水、电、气等故障报修、派单、处理和群众满意度；物业服务机构协调解决，区住建局监督指导",
    read_domain: domain::PUBLIC_SERVICES,
    query: "query LedgerPropertyTickets($first: Int, $after: String, $siteId: ID, $statuses: [TicketStatus!]) {
  propertyTickets(first: $first, after: $after, filter: {siteId: $siteId, statuses: $statuses}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version site { name } category description status reportedAt assigneeName assignedAt resolvedAt resolution closedAt satisfaction }
  }
}",
    root: "propertyTickets",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "故障类别", path: "category", format: Format::Choice(TICKET_CATEGORIES) },
        Column { header: "故障描述", path: "description", format: Format::Text },
        Column { header: "状态", path: "status", format: Format::Choice(TICKET_STATUSES) },
        Column { header: "报修时间", path: "reportedAt", format: Format::DateTime },
        Column { header: "处理人", path: "assigneeName", format: Format::Text },
        Column { header: "派单时间", path: "assignedAt", format: Format::DateTime },
        Column { header: "解决时间", path: "resolvedAt", format: Format::DateTime },
        Column { header: "处理结果", path: "resolution", format: Format::Text },
        Column { header: "关闭时间", path: "closedAt", format: Format::DateTime },
        Column { header: "满意度（1–5）", path: "satisfaction", format: Format::Integer },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "statuses", label: "状态", input: Input::Choice(TICKET_STATUSES) },
    ],
    forms: &[Form {
        key: "report-property-ticket",
        title: "报修",
        mutation: "mutation ReportPropertyTicket($input: ReportPropertyTicketInput!) { reportPropertyTicket(input: $input) { id } }",
        input_type: "ReportPropertyTicketInput",
        write_domain: domain::PUBLIC_SERVICES,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("category", "故障类别", Input::Choice(TICKET_CATEGORIES)),
            Field::required("description", "故障描述", Input::LongText).hint("楼栋、房号和故障情况"),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "update-property-ticket",
            title: "派单/处理/评价",
            mutation: "mutation UpdatePropertyTicket($input: UpdatePropertyTicketInput!) { updatePropertyTicket(input: $input) { id } }",
            input_type: "UpdatePropertyTicketInput",
            write_domain: domain::PUBLIC_SERVICES,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::optional("status", "新状态", Input::Choice(TICKET_STATUSES)).hint("已解决的可重新转为处理中；已解决后不能取消"),
                Field::optional("assigneeName", "处理人", Input::Text),
                Field::optional("resolution", "处理结果", Input::LongText),
                Field::optional("satisfaction", "群众满意度", Input::Integer).hint("回访后填写：1（很不满意）至 5（很满意）"),
            ],
        },
        when: Some(("status", &["OPEN", "ASSIGNED", "IN_PROGRESS", "RESOLVED", "CLOSED"])),
    }],
};
