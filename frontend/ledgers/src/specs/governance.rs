//! Annex 4: community self-government (社区自治): public disclosures, consultation meetings and
//! democratic evaluations at the sites. Kept by the towns; 区民政局 guides.

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const DISCLOSURE_KINDS: &[(&str, &str)] = &[
    ("PROCEDURES", "办事程序"),
    ("PROGRESS", "办理进度"),
    ("RESULTS", "办理结果"),
    ("ACCOUNTS", "财务收支"),
    ("PROPERTY_FEE", "物业费收缴"),
    ("UTILITY_PRICES", "水电气价格"),
    ("UTILITY_COLLECTION", "水电气费收缴"),
    ("FUNDED_PROJECT", "项目资金"),
    ("DECISION", "议事决策"),
    ("OTHER", "其他"),
];

const CONSULTATION_KINDS: &[(&str, &str)] = &[
    ("RESIDENTS_MEETING", "居民会议"),
    ("REPRESENTATIVES_MEETING", "居民代表会议"),
    ("CONSULTATION_COUNCIL", "居民协商议事会议"),
];

const ADOPTIONS: &[(&str, &str)] = &[
    ("PENDING", "待采纳"),
    ("ADOPTED", "已采纳"),
    ("PARTLY_ADOPTED", "部分采纳"),
    ("REJECTED", "未采纳"),
];

const EVALUATION_SUBJECTS: &[(&str, &str)] =
    &[("CADRE", "社区干部"), ("PROPERTY_SERVICE", "物业服务")];

/// The ledgers of annex 4, in page order.
pub static LEDGERS: &[Ledger] = &[
    PUBLIC_DISCLOSURES,
    CONSULTATION_MEETINGS,
    DEMOCRATIC_EVALUATIONS,
];

/// 居务公开 (A4§3.1): what each site has made public, and what was withdrawn.
const PUBLIC_DISCLOSURES: Ledger = Ledger {
    key: "public-disclosures",
    title: "居务公开台账",
    group: Group::Governance,
    clause: "A4§3.1",
    description: "移民搬迁社区办事流程、工作进度、经费收支，物业费、水电气价格及收缴，财政或第三方资助项目的公开情况",
    read_domain: domain::GOVERNANCE,
    query: "query LedgerPublicDisclosures($first: Int, $after: String, $filter: GovernanceFilterInput) {
  publicDisclosures(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version site { name } kind title content publishedOn withdrawnOn }
  }
}",
    root: "publicDisclosures",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "公开类别", path: "kind", format: Format::Choice(DISCLOSURE_KINDS) },
        Column { header: "标题", path: "title", format: Format::Text },
        Column { header: "公开内容", path: "content", format: Format::Text },
        Column { header: "公开日期", path: "publishedOn", format: Format::Date },
        Column { header: "撤回日期", path: "withdrawnOn", format: Format::Date },
    ],
    filters: &[
        Filter { variable: "filter.siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "filter.year", label: "年度", input: Input::Year },
        Filter { variable: "filter.includeWithdrawn", label: "含已撤回", input: Input::Checkbox },
    ],
    forms: &[Form {
        key: "publish-disclosure",
        title: "发布公开事项",
        mutation: "mutation PublishDisclosure($input: PublishDisclosureInput!) { publishDisclosure(input: $input) { id } }",
        input_type: "PublishDisclosureInput",
        write_domain: domain::GOVERNANCE,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("kind", "公开类别", Input::Choice(DISCLOSURE_KINDS)),
            Field::required("title", "标题", Input::Text),
            Field::required("content", "公开内容", Input::LongText),
            Field::required("publishedOn", "公开日期", Input::Date),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "withdraw-disclosure",
            title: "撤回",
            mutation: "mutation WithdrawDisclosure($input: WithdrawDisclosureInput!) { withdrawDisclosure(input: $input) { id } }",
            input_type: "WithdrawDisclosureInput",
            write_domain: domain::GOVERNANCE,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::required("withdrawnOn", "撤回日期", Input::Date),
                Field::required("reason", "撤回原因", Input::Text).hint("记录保留，可查"),
            ],
        },
        when: None,
    }],
};

/// 民主协商 (A4§3.2): meetings with their share of relocated representatives, and whether
/// their outcomes were adopted, carried out and fed back.
const CONSULTATION_MEETINGS: Ledger = Ledger {
    key: "consultation-meetings",
    title: "民主协商台账",
    group: Group::Governance,
    clause: "A4§3.2",
    description: "居民会议、居民代表会议和协商议事会议：搬迁群众代表占比，涉及投工投劳事项须有搬迁群众代表；协商成果的采纳、落实和反馈",
    read_domain: domain::GOVERNANCE,
    query: "query LedgerConsultationMeetings($first: Int, $after: String, $filter: GovernanceFilterInput) {
  consultationMeetings(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id version site { name } kind topic heldOn ledByPartyOrganisation involvesResidentLabour
      attendeesCount relocatedRepresentativesCount relocatedRepresentativesShare { basisPoints }
      lacksRelocatedRepresentatives outcome adoptionStatus implemented feedback feedbackOn
    }
  }
}",
    root: "consultationMeetings",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "会议类型", path: "kind", format: Format::Choice(CONSULTATION_KINDS) },
        Column { header: "协商议题", path: "topic", format: Format::Text },
        Column { header: "召开日期", path: "heldOn", format: Format::Date },
        Column { header: "党组织领导", path: "ledByPartyOrganisation", format: Format::YesNo },
        Column { header: "涉及投工投劳", path: "involvesResidentLabour", format: Format::YesNo },
        Column { header: "参会人数", path: "attendeesCount", format: Format::Integer },
        Column { header: "搬迁群众代表人数", path: "relocatedRepresentativesCount", format: Format::Integer },
        Column { header: "搬迁群众代表占比", path: "relocatedRepresentativesShare.basisPoints", format: Format::BasisPoints },
        Column { header: "缺搬迁群众代表（预警）", path: "lacksRelocatedRepresentatives", format: Format::YesNo },
        Column { header: "协商成果", path: "outcome", format: Format::Text },
        Column { header: "采纳情况", path: "adoptionStatus", format: Format::Choice(ADOPTIONS) },
        Column { header: "已落实", path: "implemented", format: Format::YesNo },
        Column { header: "反馈情况", path: "feedback", format: Format::Text },
        Column { header: "反馈日期", path: "feedbackOn", format: Format::Date },
    ],
    filters: &[
        Filter { variable: "filter.siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "filter.year", label: "年度", input: Input::Year },
        Filter { variable: "filter.lackingRepresentativesOnly", label: "只看缺搬迁群众代表的", input: Input::Checkbox },
    ],
    forms: &[Form {
        key: "record-consultation-meeting",
        title: "登记协商会议",
        mutation: "mutation RecordConsultationMeeting($input: RecordConsultationMeetingInput!) { recordConsultationMeeting(input: $input) { id } }",
        input_type: "RecordConsultationMeetingInput",
        write_domain: domain::GOVERNANCE,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("kind", "会议类型", Input::Choice(CONSULTATION_KINDS)),
            Field::required("topic", "协商议题", Input::Text),
            Field::required("heldOn", "召开日期", Input::Date),
            Field::optional("ledByPartyOrganisation", "党组织领导", Input::Checkbox).hint("应在党组织领导下开展"),
            Field::optional("involvesResidentLabour", "涉及投工投劳", Input::Checkbox).hint("涉及投工投劳的公共事务须有搬迁群众代表参加"),
            Field::required("attendeesCount", "参会人数", Input::Integer),
            Field::required("relocatedRepresentativesCount", "其中搬迁群众代表", Input::Integer).hint("不超过参会人数"),
            Field::optional("outcome", "协商成果", Input::LongText),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "record-consultation-outcome",
            title: "登记采纳与反馈",
            mutation: "mutation RecordConsultationOutcome($input: RecordConsultationOutcomeInput!) { recordConsultationOutcome(input: $input) { id } }",
            input_type: "RecordConsultationOutcomeInput",
            write_domain: domain::GOVERNANCE,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::required("adoptionStatus", "采纳情况", Input::Choice(ADOPTIONS)),
                Field::optional("implemented", "已落实", Input::Checkbox).hint("仅已采纳或部分采纳的成果可落实"),
                Field::optional("feedback", "向居民反馈情况", Input::LongText),
                Field::optional("feedbackOn", "反馈日期", Input::Date).hint("填写反馈情况时必填"),
            ],
        },
        when: None,
    }],
};

/// 民主评议 (A4§3.3): evaluations of community cadres (arranged by the town) and of the
/// property service.
const DEMOCRATIC_EVALUATIONS: Ledger = Ledger {
    key: "democratic-evaluations",
    title: "民主评议台账",
    group: Group::Governance,
    clause: "A4§3.3",
    description: "对社区干部（镇办统一安排）和物业服务质量的民主评议：参评人数、满意度和评分",
    read_domain: domain::GOVERNANCE,
    query: "query LedgerDemocraticEvaluations($first: Int, $after: String, $filter: GovernanceFilterInput) {
  democraticEvaluations(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id site { name } subject subjectName year heldOn participantsCount satisfiedCount
      basicallySatisfiedCount dissatisfiedCount satisfactionShare { basisPoints } score comments
    }
  }
}",
    root: "democraticEvaluations",
    shape: Shape::Connection,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "评议对象", path: "subject", format: Format::Choice(EVALUATION_SUBJECTS) },
        Column { header: "被评议人/单位", path: "subjectName", format: Format::Text },
        Column { header: "年度", path: "year", format: Format::Integer },
        Column { header: "评议日期", path: "heldOn", format: Format::Date },
        Column { header: "参评人数", path: "participantsCount", format: Format::Integer },
        Column { header: "满意", path: "satisfiedCount", format: Format::Integer },
        Column { header: "基本满意", path: "basicallySatisfiedCount", format: Format::Integer },
        Column { header: "不满意", path: "dissatisfiedCount", format: Format::Integer },
        Column { header: "满意率", path: "satisfactionShare.basisPoints", format: Format::BasisPoints },
        Column { header: "评分", path: "score", format: Format::Integer },
        Column { header: "评议意见", path: "comments", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "filter.siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "filter.year", label: "年度", input: Input::Year },
    ],
    forms: &[Form {
        key: "record-democratic-evaluation",
        title: "登记民主评议",
        mutation: "mutation RecordDemocraticEvaluation($input: RecordDemocraticEvaluationInput!) { recordDemocraticEvaluation(input: $input) { id } }",
        input_type: "RecordDemocraticEvaluationInput",
        write_domain: domain::GOVERNANCE,
        fields: &[
            Field::required("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::required("subject", "评议对象", Input::Choice(EVALUATION_SUBJECTS)),
            Field::required("subjectName", "被评议人/单位", Input::Text).hint("干部姓名或物业服务企业名称"),
            Field::required("year", "年度", Input::Year),
            Field::required("heldOn", "评议日期", Input::Date),
            Field::required("participantsCount", "参评人数", Input::Integer),
            Field::required("satisfiedCount", "满意", Input::Integer),
            Field::required("basicallySatisfiedCount", "基本满意", Input::Integer),
            Field::required("dissatisfiedCount", "不满意", Input::Integer).hint("三项合计不超过参评人数"),
            Field::optional("score", "评分", Input::Integer).hint("百分制，0–100"),
            Field::optional("comments", "评议意见", Input::LongText),
        ],
    }],
    row_actions: &[],
};
