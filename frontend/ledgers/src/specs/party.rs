//! Annex 6: party organisations at the sites (安置点基层党组织建设). Owned by 区委组织部.
//!
//! Not kept as ledgers, because their queries need a variable the generic page may leave empty
//! (the engine sends only filled filters): `partyMeetings` needs `organisationId` (meetings are
//! recorded from the organisations' ledger instead) and `partyVisitGaps` needs `from` and
//! answers with an object whose rows are in `seats`, not with a list at the root.

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const MEMBER_STATUSES: &[(&str, &str)] = &[
    ("FORMAL", "正式党员"),
    ("PROBATIONARY", "预备党员"),
    ("ACTIVIST", "入党积极分子"),
];

const ORGANISATION_FORMS: &[(&str, &str)] = &[
    ("BRANCH", "党支部"),
    ("GROUP", "党小组"),
    ("NONE_WITH_INSTRUCTOR", "未设党组织（已选派党建指导员）"),
];

const REQUIRED_KINDS: &[(&str, &str)] = &[
    ("BRANCH_OR_GROUP", "设立党支部或党小组"),
    (
        "TRANSFER_TO_LOCAL_ORGANISATION",
        "组织关系转入所在地基层党组织",
    ),
    ("PARTY_BUILDING_INSTRUCTOR", "选派党建指导员"),
];

const RELATION_HELD_AT: &[(&str, &str)] = &[
    ("SITE_ORGANISATION", "安置点党组织"),
    ("LOCAL_ORGANISATION", "安置地村（社区）党组织"),
    ("ORIGIN_ORGANISATION", "迁出地党组织"),
    ("TRANSFERRING", "转接中"),
];

const TRANSFER_STATUSES: &[(&str, &str)] = &[
    ("REQUESTED", "转接中"),
    ("COMPLETED", "已转入"),
    ("REJECTED", "已退回"),
];

/// How a requested transfer ends.
const TRANSFER_OUTCOMES: &[(&str, &str)] = &[("COMPLETED", "已转入"), ("REJECTED", "已退回")];

const MEETING_KINDS: &[(&str, &str)] = &[
    ("GENERAL_MEETING", "支部党员大会"),
    ("COMMITTEE_MEETING", "支部委员会"),
    ("GROUP_MEETING", "党小组会"),
    ("PARTY_LECTURE", "党课"),
    ("HEART_TO_HEART_TALK", "谈心谈话"),
    ("MEMBER_EVALUATION", "民主评议党员"),
    ("FOUR_DELIBERATIONS", "四议两公开"),
];

/// The ledgers of annex 6, in page order.
pub static LEDGERS: &[Ledger] = &[
    SITE_PARTY_ORGANISATIONS,
    PARTY_MEMBERS,
    PARTY_RELATION_TRANSFERS,
    PARTY_VISITS,
];

/// 安置点党组织设置台账 (A6§1.1): what each site must have against what it has.
const SITE_PARTY_ORGANISATIONS: Ledger = Ledger {
    key: "site-party-organisations",
    title: "安置点党组织设置台账",
    group: Group::Party,
    clause: "A6§1.1",
    description: "按正式党员人数应设的党组织与现有党组织对照：党支部、党小组或选派党建指导员",
    read_domain: domain::PARTY,
    query: "query LedgerSitePartyOrganisations($siteId: ID) {
  sitePartyOrganisations(siteId: $siteId) {
    site { name town { name } }
    formalMemberCount probationaryMemberCount activistCount
    required { kind }
    organisation { id name parentBranchName instructorName establishedOn }
    actualForm meetsRequirement
  }
}",
    root: "sitePartyOrganisations",
    shape: Shape::List,
    columns: &[
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "镇（街道）", path: "site.town.name", format: Format::Text },
        Column { header: "正式党员", path: "formalMemberCount", format: Format::Integer },
        Column { header: "预备党员", path: "probationaryMemberCount", format: Format::Integer },
        Column { header: "入党积极分子", path: "activistCount", format: Format::Integer },
        Column { header: "应设", path: "required.kind", format: Format::Choice(REQUIRED_KINDS) },
        Column { header: "现有组织形式", path: "actualForm", format: Format::Choice(ORGANISATION_FORMS) },
        Column { header: "党组织名称", path: "organisation.name", format: Format::Text },
        Column { header: "所属支部", path: "organisation.parentBranchName", format: Format::Text },
        Column { header: "党建指导员", path: "organisation.instructorName", format: Format::Text },
        Column { header: "成立日期", path: "organisation.establishedOn", format: Format::Date },
        Column { header: "符合要求", path: "meetsRequirement", format: Format::YesNo },
    ],
    filters: &[Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) }],
    forms: &[],
    row_actions: &[RowAction {
        form: Form {
            key: "record-party-meeting",
            title: "记录“三会一课”",
            mutation: "mutation RecordPartyMeeting($input: RecordPartyMeetingInput!) { recordPartyMeeting(input: $input) { id } }",
            input_type: "RecordPartyMeetingInput",
            write_domain: domain::PARTY,
            fields: &[
                Field {
                    name: "organisationId",
                    label: "",
                    input: Input::FromRow("organisation.id"),
                    required: true,
                    hint: "",
                },
                Field::required("kind", "类型", Input::Choice(MEETING_KINDS)).hint("“三会一课”、谈心谈话、民主评议党员、“四议两公开”（A6§1.3）"),
                Field::required("heldOn", "日期", Input::Date).hint("不晚于今天"),
                Field::required("topic", "主题", Input::Text),
                Field::optional("attendeesCount", "参会人数", Input::Integer),
                Field::optional("notes", "记录", Input::LongText),
            ],
        },
        when: Some(("actualForm", &["BRANCH", "GROUP"])),
    }],
};

/// 安置点党员信息台账 (A6§2.1): formal and probationary members and activists.
const PARTY_MEMBERS: Ledger = Ledger {
    key: "party-members",
    title: "安置点党员信息台账",
    group: Group::Party,
    clause: "A6§2.1",
    description: "安置点党员、预备党员、入党积极分子：入党与转正时间、组织关系所在（查阅留痕）",
    read_domain: domain::PARTY,
    query: "query LedgerPartyMembers($first: Int, $after: String, $siteId: ID, $status: PartyMemberStatus) {
  partyMembers(first: $first, after: $after, siteId: $siteId, status: $status) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version name site { name } status joinedOn becameFormalOn relationHeldAt relationOrganisationName }
  }
}",
    root: "partyMembers",
    shape: Shape::Connection,
    columns: &[
        Column { header: "姓名", path: "name", format: Format::Text },
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "身份", path: "status", format: Format::Choice(MEMBER_STATUSES) },
        Column { header: "入党日期", path: "joinedOn", format: Format::Date },
        Column { header: "转正日期", path: "becameFormalOn", format: Format::Date },
        Column { header: "组织关系所在", path: "relationHeldAt", format: Format::Choice(RELATION_HELD_AT) },
        Column { header: "组织关系所在党组织", path: "relationOrganisationName", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "status", label: "身份", input: Input::Choice(MEMBER_STATUSES) },
    ],
    forms: &[Form {
        key: "add-party-member",
        title: "登记党员",
        mutation: "mutation AddPartyMember($input: AddPartyMemberInput!) { addPartyMember(input: $input) { id } }",
        input_type: "AddPartyMemberInput",
        write_domain: domain::PARTY,
        fields: &[
            Field::required("personId", "搬迁群众", Input::Search(&lookups::PERSONS)),
            Field::required("status", "身份", Input::Choice(MEMBER_STATUSES)).hint("预备党员不计入正式党员（A6§1.1）"),
            Field::optional("joinedOn", "入党日期", Input::Date).hint("正式党员、预备党员必填"),
            Field::optional("becameFormalOn", "转正日期", Input::Date).hint("正式党员必填"),
            Field::optional("organisationId", "安置点党组织", Input::Lookup(&lookups::PARTY_ORGANISATIONS)).hint("安置点已设党组织时选择"),
            Field::required("relationHeldAt", "组织关系所在", Input::Choice(RELATION_HELD_AT)),
            Field::optional("relationOrganisationName", "组织关系所在党组织", Input::Text),
        ],
    }],
    row_actions: &[],
};

/// 党员组织关系转接台账 (A6§2.1): moving relocated members' relations to the site.
const PARTY_RELATION_TRANSFERS: Ledger = Ledger {
    key: "party-relation-transfers",
    title: "党员组织关系转接台账",
    group: Group::Party,
    clause: "A6§2.1",
    description: "搬迁党员组织关系从迁出地转入安置地党组织：申请、转入或退回",
    read_domain: domain::PARTY,
    query: "query LedgerPartyRelationTransfers($first: Int, $after: String, $siteId: ID, $status: PartyRelationTransferStatus) {
  partyRelationTransfers(first: $first, after: $after, siteId: $siteId, status: $status) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version memberName fromOrganisationName toOrganisationName requestedOn completedOn status reason }
  }
}",
    root: "partyRelationTransfers",
    shape: Shape::Connection,
    columns: &[
        Column { header: "党员", path: "memberName", format: Format::Text },
        Column { header: "转出党组织", path: "fromOrganisationName", format: Format::Text },
        Column { header: "转入党组织", path: "toOrganisationName", format: Format::Text },
        Column { header: "申请日期", path: "requestedOn", format: Format::Date },
        Column { header: "办结日期", path: "completedOn", format: Format::Date },
        Column { header: "状态", path: "status", format: Format::Choice(TRANSFER_STATUSES) },
        Column { header: "事由", path: "reason", format: Format::Text },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "status", label: "状态", input: Input::Choice(TRANSFER_STATUSES) },
    ],
    forms: &[Form {
        key: "request-party-relation-transfer",
        title: "申请组织关系转接",
        mutation: "mutation RequestPartyRelationTransfer($input: RequestPartyRelationTransferInput!) { requestPartyRelationTransfer(input: $input) { id } }",
        input_type: "RequestPartyRelationTransferInput",
        write_domain: domain::PARTY,
        fields: &[
            Field::required("memberId", "党员", Input::Lookup(&lookups::PARTY_MEMBERS)),
            Field::optional("toOrganisationId", "转入安置点党组织", Input::Lookup(&lookups::PARTY_ORGANISATIONS)),
            Field::optional("toOrganisationName", "转入党组织名称", Input::Text).hint("转入系统外党组织（如所在社区支部）时填写；与上项至少填一项"),
            Field::required("requestedOn", "申请日期", Input::Date).hint("不晚于今天"),
            Field::optional("reason", "事由", Input::LongText).hint("如 易地扶贫搬迁，组织关系转入安置地"),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "settle-party-relation-transfer",
            title: "办结",
            mutation: "mutation SettlePartyRelationTransfer($input: SettlePartyRelationTransferInput!) { settlePartyRelationTransfer(input: $input) { id } }",
            input_type: "SettlePartyRelationTransferInput",
            write_domain: domain::PARTY,
            fields: &[
                Field::from_row("id"),
                Field::from_row("version"),
                Field::required("outcome", "结果", Input::Choice(TRANSFER_OUTCOMES)).hint("转入后党员组织关系随之变更"),
                Field::required("settledOn", "办结日期", Input::Date).hint("不晚于今天"),
            ],
        },
        when: Some(("status", &["REQUESTED"])),
    }],
};

/// 党组织班子成员走访台账 (A6§2.2): committee members visit relocated residents monthly.
const PARTY_VISITS: Ledger = Ledger {
    key: "party-visits",
    title: "班子成员走访台账",
    group: Group::Party,
    clause: "A6§2.2",
    description: "安置点党组织班子成员每月至少走访搬迁群众一次：走访日期、情况、反映问题及解决情况",
    read_domain: domain::PARTY,
    query: "query LedgerPartyVisits($first: Int, $after: String, $siteId: ID, $memberId: ID) {
  partyVisits(first: $first, after: $after, siteId: $siteId, memberId: $memberId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id memberName visitedOn notes problemsRaised resolved }
  }
}",
    root: "partyVisits",
    shape: Shape::Connection,
    columns: &[
        Column { header: "走访人", path: "memberName", format: Format::Text },
        Column { header: "走访日期", path: "visitedOn", format: Format::Date },
        Column { header: "走访情况", path: "notes", format: Format::Text },
        Column { header: "反映问题", path: "problemsRaised", format: Format::Text },
        Column { header: "已解决", path: "resolved", format: Format::YesNo },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "memberId", label: "走访人", input: Input::Lookup(&lookups::PARTY_MEMBERS) },
    ],
    forms: &[Form {
        key: "record-party-visit",
        title: "登记走访",
        mutation: "mutation RecordPartyVisit($input: RecordPartyVisitInput!) { recordPartyVisit(input: $input) { id } }",
        input_type: "RecordPartyVisitInput",
        write_domain: domain::PARTY,
        fields: &[
            Field::required("memberId", "走访人", Input::Lookup(&lookups::PARTY_MEMBERS)).hint("须为该户所在安置点党组织班子成员（A6§2.2）"),
            Field::required("householdId", "走访户", Input::Search(&lookups::HOUSEHOLDS)),
            Field::required("visitedOn", "走访日期", Input::Date).hint("不晚于今天"),
            Field::optional("notes", "走访情况", Input::LongText),
            Field::optional("problemsRaised", "反映问题", Input::LongText),
            Field::optional("resolved", "问题已解决", Input::Checkbox),
        ],
    }],
    row_actions: &[],
};
