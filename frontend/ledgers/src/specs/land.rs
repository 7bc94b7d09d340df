//! Annex 5: land linkage and old homesteads (增减挂钩与旧宅基地). Owned by 市自然资源局王益分局
//! (homesteads, projects, quotas, transfers) and 区财政局 (revenue and the repayment reserve).

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const HOMESTEAD_STATES: &[(&str, &str)] = &[
    ("OCCUPIED", "未腾退"),
    ("VACATED", "已拆旧腾退"),
    ("RECLAIMED_TO_FARMLAND", "已复垦为耕地"),
    ("RECLAIMED_TO_FOREST", "已复垦为林地"),
    ("RECLAIMED_TO_GRASS", "已复垦为草地"),
    ("RESTORED_TO_GREEN", "已生态复绿"),
];

/// The step from an occupied homestead (A5§5: only with the household's consent on record).
const VACATE_STEP: &[(&str, &str)] = &[("VACATE", "拆旧腾退")];

/// The steps from a vacated homestead (A5§3: 宜耕则耕、宜林则林、宜草则草, else 复绿).
const RECLAIM_STEPS: &[(&str, &str)] = &[
    ("RECLAIM_TO_FARMLAND", "复垦为耕地"),
    ("RECLAIM_TO_FOREST", "复垦为林地"),
    ("RECLAIM_TO_GRASS", "复垦为草地"),
    ("RESTORE_TO_GREEN", "生态复绿"),
];

/// `LandLinkageProject.status` is a plain string of these codes.
const PROJECT_STATUSES: &[(&str, &str)] = &[
    ("planned", "计划中"),
    ("approved", "已批复"),
    ("reclaiming", "复垦实施中"),
    ("accepted", "已验收"),
    ("closed", "已关闭"),
];

const QUOTA_ORIGINS: &[(&str, &str)] = &[
    ("PRODUCED", "本地复垦产生"),
    ("RECEIVED_BY_TRANSFER", "流转受让"),
];

const QUOTA_LEDGER_KINDS: &[(&str, &str)] = &[
    ("PRODUCED", "产生"),
    ("RECEIVED", "受让"),
    ("TRANSFERRED_OUT", "流转调出"),
    ("USED_LOCALLY", "本地使用"),
    ("RETURNED_EXPIRED", "到期归还"),
    ("CANCELLED", "核销"),
];

const TRANSFER_SCOPES: &[(&str, &str)] =
    &[("WITHIN_CITY", "市域内跨区县"), ("ACROSS_CITIES", "跨市")];

/// `QuotaTransfer.status` is a plain string of these codes.
const TRANSFER_STATUSES: &[(&str, &str)] = &[
    ("registered", "已登记"),
    ("paid", "已付款"),
    ("cancelled", "已取消"),
];

/// `RepaymentReserveEntry.kind` is a plain string of these codes.
const RESERVE_ENTRY_KINDS: &[(&str, &str)] = &[
    ("revenue_share", "收益计提"),
    ("budget_allocation", "预算安排偿债资金"),
    ("interest", "利息"),
    ("debt_repayment", "偿还债务本息"),
];

/// The ledgers of annex 5, in page order.
pub static LEDGERS: &[Ledger] = &[
    HOMESTEADS,
    LAND_LINKAGE_PROJECTS,
    LAND_QUOTAS,
    QUOTA_TRANSFERS,
    LAND_REVENUES,
    REPAYMENT_RESERVE_ACCOUNTS,
];

/// 旧宅基地腾退复垦台账 (A5§1, A5§3, A5§5): one old homestead per relocated household.
const HOMESTEADS: Ledger = Ledger {
    key: "homesteads",
    title: "旧宅基地腾退复垦台账",
    group: Group::Land,
    clause: "A5§1",
    description: "一户一宅、搬新腾旧：搬迁户旧宅基地的面积、群众同意、拆旧腾退、复垦复绿与确权登记",
    read_domain: domain::LAND,
    query: "query LedgerHomesteads($first: Int, $after: String, $siteId: ID, $projectId: ID, $state: HomesteadState) {
  homesteads(first: $first, after: $after, siteId: $siteId, projectId: $projectId, state: $state) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id version household { code headName site { name } } village { name } location areaMu state consentRecordedOn vacatedOn reclaimedOn certifiedOn registrationUpdatedOn countsTowardsQuota }
  }
}",
    root: "homesteads",
    shape: Shape::Connection,
    columns: &[
        Column { header: "户编号", path: "household.code", format: Format::Text },
        Column { header: "户主", path: "household.headName", format: Format::Text },
        Column { header: "安置点", path: "household.site.name", format: Format::Text },
        Column { header: "迁出村", path: "village.name", format: Format::Text },
        Column { header: "旧宅位置", path: "location", format: Format::Text },
        Column { header: "面积", path: "areaMu", format: Format::Mu },
        Column { header: "状态", path: "state", format: Format::Choice(HOMESTEAD_STATES) },
        Column { header: "群众同意日期", path: "consentRecordedOn", format: Format::Date },
        Column { header: "拆旧腾退日期", path: "vacatedOn", format: Format::Date },
        Column { header: "复垦（复绿）日期", path: "reclaimedOn", format: Format::Date },
        Column { header: "不可复垦认定日期", path: "certifiedOn", format: Format::Date },
        Column { header: "确权登记变更日期", path: "registrationUpdatedOn", format: Format::Date },
        Column { header: "计入节余指标", path: "countsTowardsQuota", format: Format::YesNo },
    ],
    filters: &[
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "projectId", label: "增减挂钩项目", input: Input::Lookup(&lookups::LAND_LINKAGE_PROJECTS) },
        Filter { variable: "state", label: "状态", input: Input::Choice(HOMESTEAD_STATES) },
    ],
    forms: &[Form {
        key: "record-homestead",
        title: "登记旧宅基地",
        mutation: "mutation RecordHomestead($input: RecordHomesteadInput!) { recordHomestead(input: $input) { id } }",
        input_type: "RecordHomesteadInput",
        write_domain: domain::LAND,
        fields: &[
            Field::required("householdId", "搬迁户", Input::Search(&lookups::HOUSEHOLDS)).hint("一户一宅（A5§1）"),
            Field::optional("projectId", "增减挂钩项目", Input::Lookup(&lookups::LAND_LINKAGE_PROJECTS)),
            Field::optional("location", "旧宅位置", Input::Text).hint("如 原居住组12号"),
            Field::required("areaMu", "面积（亩）", Input::Decimal).hint("最多四位小数，如 0.3200"),
        ],
    }],
    row_actions: &[
        RowAction {
            form: Form {
                key: "record-homestead-consent",
                title: "登记群众同意",
                mutation: "mutation RecordHomesteadConsent($input: RecordHomesteadConsentInput!) { recordHomesteadConsent(input: $input) { id } }",
                input_type: "RecordHomesteadConsentInput",
                write_domain: domain::LAND,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("consentedOn", "同意腾退日期", Input::Date).hint("不搞强制拆迁，须先登记农户同意（A5§5）"),
                ],
            },
            when: Some(("state", &["OCCUPIED"])),
        },
        RowAction {
            form: Form {
                key: "vacate-homestead",
                title: "拆旧腾退",
                mutation: "mutation VacateHomestead($input: AdvanceHomesteadInput!) { advanceHomestead(input: $input) { id } }",
                input_type: "AdvanceHomesteadInput",
                write_domain: domain::LAND,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("step", "操作", Input::Choice(VACATE_STEP)).hint("须已登记农户同意（A5§5）"),
                    Field::required("on", "腾退日期", Input::Date).hint("不早于同意日期，不晚于今天"),
                ],
            },
            when: Some(("state", &["OCCUPIED"])),
        },
        RowAction {
            form: Form {
                key: "reclaim-homestead",
                title: "复垦复绿",
                mutation: "mutation ReclaimHomestead($input: AdvanceHomesteadInput!) { advanceHomestead(input: $input) { id } }",
                input_type: "AdvanceHomesteadInput",
                write_domain: domain::LAND,
                fields: &[
                    Field::from_row("id"),
                    Field::from_row("version"),
                    Field::required("step", "复垦方式", Input::Choice(RECLAIM_STEPS)).hint("宜耕则耕、宜林则林、宜草则草（A5§3）"),
                    Field::required("on", "完成日期", Input::Date).hint("不早于腾退日期，不晚于今天"),
                    Field::optional("certifiedNotReclaimable", "经自然资源部门认定不具备复垦条件", Input::Checkbox)
                        .hint("生态复绿时必选，仅自然资源部门可认定（A5§3）"),
                ],
            },
            when: Some(("state", &["VACATED"])),
        },
    ],
};

/// 增减挂钩项目台账 (A5§4): projects registered on the provincial supervision platform.
const LAND_LINKAGE_PROJECTS: Ledger = Ledger {
    key: "land-linkage-projects",
    title: "增减挂钩项目台账",
    group: Group::Land,
    clause: "A5§4",
    description: "城乡建设用地增减挂钩项目：省级监管平台备案号、批复与验收、拆旧与复垦面积、实施状态",
    read_domain: domain::LAND,
    query: "query LedgerLandLinkageProjects($first: Int, $after: String) {
  landLinkageProjects(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id code name town { name } platformReference approvedOn acceptedOn demolitionAreaMu reclaimedAreaMu status }
  }
}",
    root: "landLinkageProjects",
    shape: Shape::Connection,
    columns: &[
        Column { header: "项目编号", path: "code", format: Format::Text },
        Column { header: "项目名称", path: "name", format: Format::Text },
        Column { header: "镇（街道）", path: "town.name", format: Format::Text },
        Column { header: "省级平台备案号", path: "platformReference", format: Format::Text },
        Column { header: "批复日期", path: "approvedOn", format: Format::Date },
        Column { header: "验收日期", path: "acceptedOn", format: Format::Date },
        Column { header: "拆旧面积", path: "demolitionAreaMu", format: Format::Mu },
        Column { header: "复垦面积", path: "reclaimedAreaMu", format: Format::Mu },
        Column { header: "状态", path: "status", format: Format::Choice(PROJECT_STATUSES) },
    ],
    filters: &[],
    forms: &[Form {
        key: "create-land-linkage-project",
        title: "新增项目",
        mutation: "mutation CreateLandLinkageProject($input: CreateLandLinkageProjectInput!) { createLandLinkageProject(input: $input) { id } }",
        input_type: "CreateLandLinkageProjectInput",
        write_domain: domain::LAND,
        fields: &[
            Field::required("code", "项目编号", Input::Text).hint("大写字母、数字和“-”，如 LP-2027-01"),
            Field::required("name", "项目名称", Input::Text),
            Field::optional("townCode", "镇（街道）", Input::Lookup(&lookups::TOWN_DIVISION_CODES)),
            Field::optional("platformReference", "省级平台备案号", Input::Text).hint("省自然资源厅节余指标调剂监管平台（A5§4）"),
            Field::optional("approvedOn", "批复日期", Input::Date),
        ],
    }],
    row_actions: &[],
};

/// 节余指标使用台账 (A5§9): each savings quota with the movements of its ledger.
const LAND_QUOTAS: Ledger = Ledger {
    key: "land-quotas",
    title: "节余指标使用台账",
    group: Group::Land,
    clause: "A5§9",
    description: "增减挂钩节余指标：来源、面积、剩余面积、能否流转，以及产生、流转、使用、归还的台账记录",
    read_domain: domain::LAND,
    query: "query LedgerLandQuotas($first: Int, $after: String) {
  landQuotas(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id code origin areaMu remainingAreaMu transferable confirmedOn platformReference sourceDescription ledger { kind areaMu entryOn usedFor } }
  }
}",
    root: "landQuotas",
    shape: Shape::Connection,
    columns: &[
        Column { header: "指标编号", path: "code", format: Format::Text },
        Column { header: "来源", path: "origin", format: Format::Choice(QUOTA_ORIGINS) },
        Column { header: "指标面积", path: "areaMu", format: Format::Mu },
        Column { header: "剩余面积", path: "remainingAreaMu", format: Format::Mu },
        Column { header: "可流转", path: "transferable", format: Format::YesNo },
        Column { header: "确认日期", path: "confirmedOn", format: Format::Date },
        Column { header: "省级平台编号", path: "platformReference", format: Format::Text },
        Column { header: "来源说明", path: "sourceDescription", format: Format::Text },
        Column { header: "台账：类型", path: "ledger.kind", format: Format::Choice(QUOTA_LEDGER_KINDS) },
        Column { header: "台账：面积", path: "ledger.areaMu", format: Format::Mu },
        Column { header: "台账：日期", path: "ledger.entryOn", format: Format::Date },
        Column { header: "台账：去向", path: "ledger.usedFor", format: Format::Text },
    ],
    filters: &[],
    forms: &[Form {
        key: "record-produced-quota",
        title: "确认节余指标",
        mutation: "mutation RecordProducedQuota($input: RecordProducedQuotaInput!) { recordProducedQuota(input: $input) { id } }",
        input_type: "RecordProducedQuotaInput",
        write_domain: domain::LAND,
        fields: &[
            Field::required("projectId", "增减挂钩项目", Input::Lookup(&lookups::LAND_LINKAGE_PROJECTS)),
            Field::required("code", "指标编号", Input::Text).hint("大写字母、数字和“-”，如 LQ-2027-001"),
            Field::required("areaMu", "面积（亩）", Input::Decimal).hint("不超过项目已完成复垦复绿的面积（先垦后用，A5§3）"),
            Field::required("confirmedOn", "确认日期", Input::Date),
            Field::optional("platformReference", "省级平台编号", Input::Text),
            Field::optional("sourceDescription", "来源说明", Input::LongText),
        ],
    }],
    row_actions: &[],
};

/// 节余指标流转台账 (A5§8, A5§10): transfers through the provincial platform.
const QUOTA_TRANSFERS: Ledger = Ledger {
    key: "quota-transfers",
    title: "节余指标流转台账",
    group: Group::Land,
    clause: "A5§8",
    description: "经省级监管平台的节余指标调剂流转：流入地政府、范围、单价、面积、金额、平台编号",
    read_domain: domain::LAND,
    query: "query LedgerQuotaTransfers($first: Int, $after: String, $quotaId: ID) {
  quotaTransfers(first: $first, after: $after, quotaId: $quotaId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id buyerGovernment scope pricePerMu areaMu amount platformReference contractedOn status }
  }
}",
    root: "quotaTransfers",
    shape: Shape::Connection,
    columns: &[
        Column { header: "流入地政府", path: "buyerGovernment", format: Format::Text },
        Column { header: "流转范围", path: "scope", format: Format::Choice(TRANSFER_SCOPES) },
        Column { header: "单价（每亩）", path: "pricePerMu", format: Format::Yuan },
        Column { header: "面积", path: "areaMu", format: Format::Mu },
        Column { header: "金额", path: "amount", format: Format::Yuan },
        Column { header: "省级平台编号", path: "platformReference", format: Format::Text },
        Column { header: "签约日期", path: "contractedOn", format: Format::Date },
        Column { header: "状态", path: "status", format: Format::Choice(TRANSFER_STATUSES) },
    ],
    filters: &[Filter { variable: "quotaId", label: "节余指标", input: Input::Lookup(&lookups::LAND_QUOTAS) }],
    forms: &[Form {
        key: "register-quota-transfer",
        title: "登记指标流转",
        mutation: "mutation RegisterQuotaTransfer($input: RegisterQuotaTransferInput!) { registerQuotaTransfer(input: $input) { id } }",
        input_type: "RegisterQuotaTransferInput",
        write_domain: domain::LAND,
        fields: &[
            Field::required("quotaId", "节余指标", Input::Lookup(&lookups::LAND_QUOTAS)).hint("流转受让的指标不得二次流转（A5§8）"),
            Field::required("buyerGovernment", "流入地政府", Input::Text),
            Field::required("scope", "流转范围", Input::Choice(TRANSFER_SCOPES)),
            Field::required("pricePerMu", "单价（元/亩）", Input::Decimal)
                .hint("市域内跨区县为基准价 200000；跨市上下浮动不超过10%，即 180000–220000（A5§10）"),
            Field::required("areaMu", "面积（亩）", Input::Decimal).hint("不超过指标台账剩余面积（A5§9）"),
            Field::required("platformReference", "省级平台编号", Input::Text).hint("必须纳入省级监管平台统一管理（A5§8）"),
            Field::required("contractedOn", "签约日期", Input::Date),
        ],
    }],
    row_actions: &[],
};

/// 增减挂钩收益台账 (A5§11): each revenue with the repayment reserve set aside from it.
const LAND_REVENUES: Ledger = Ledger {
    key: "land-revenues",
    title: "增减挂钩收益台账",
    group: Group::Land,
    clause: "A5§11",
    description: "增减挂钩收入及每笔计提的易地扶贫搬迁还款准备金（不低于5%）、应提数、差额与专户入账",
    read_domain: domain::FINANCE,
    query: "query LedgerLandRevenues($first: Int, $after: String) {
  landRevenues(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id payer receivedOn amount reserve requiredReserve reserveShortfall reserveBooked voucherNo }
  }
}",
    root: "landRevenues",
    shape: Shape::Connection,
    columns: &[
        Column { header: "付款方", path: "payer", format: Format::Text },
        Column { header: "到账日期", path: "receivedOn", format: Format::Date },
        Column { header: "收入金额", path: "amount", format: Format::Yuan },
        Column { header: "计提准备金", path: "reserve", format: Format::Yuan },
        Column { header: "应提准备金（5%）", path: "requiredReserve", format: Format::Yuan },
        Column { header: "计提不足", path: "reserveShortfall", format: Format::Yuan },
        Column { header: "专户入账", path: "reserveBooked", format: Format::Yuan },
        Column { header: "凭证号", path: "voucherNo", format: Format::Text },
    ],
    filters: &[],
    forms: &[Form {
        key: "record-land-revenue",
        title: "登记收益",
        mutation: "mutation RecordLandRevenue($input: RecordLandRevenueInput!) { recordLandRevenue(input: $input) { revenue { id } } }",
        input_type: "RecordLandRevenueInput",
        write_domain: domain::FINANCE,
        fields: &[
            Field::optional("transferId", "指标流转", Input::Lookup(&lookups::QUOTA_TRANSFERS)).hint("按省级平台编号选择"),
            Field::optional("projectId", "增减挂钩项目", Input::Lookup(&lookups::LAND_LINKAGE_PROJECTS)),
            Field::required("payer", "付款方", Input::Text),
            Field::required("receivedOn", "到账日期", Input::Date),
            Field::required("amount", "收入金额（元）", Input::Decimal).hint("如 1234567.89"),
            Field::required("reserveAmount", "计提还款准备金（元）", Input::Decimal)
                .hint("每笔不低于收入的5%，按分向上取整；不足的不予登记（A5§11）"),
            Field::optional("voucherNo", "凭证号", Input::Text),
            Field::optional("accountNo", "准备金专户", Input::Lookup(&lookups::REPAYMENT_RESERVE_ACCOUNTS)).hint("仅开设一个专户时可不选"),
        ],
    }],
    row_actions: &[],
};

/// 还款准备金专户 (A5§11): the dedicated accounts with their balance and entries.
const REPAYMENT_RESERVE_ACCOUNTS: Ledger = Ledger {
    key: "repayment-reserve-accounts",
    title: "还款准备金专户",
    group: Group::Land,
    clause: "A5§11",
    description: "易地扶贫搬迁还款准备金专账：收益计提、预算安排偿债资金、利息与偿还债务本息，及账户余额",
    read_domain: domain::FINANCE,
    query: "query LedgerRepaymentReserveAccounts {
  repaymentReserveAccounts { accountNo name bank openedOn balance entries { kind amount entryOn voucherNo notes } }
}",
    root: "repaymentReserveAccounts",
    shape: Shape::List,
    columns: &[
        Column { header: "账号", path: "accountNo", format: Format::Text },
        Column { header: "账户名称", path: "name", format: Format::Text },
        Column { header: "开户行", path: "bank", format: Format::Text },
        Column { header: "开户日期", path: "openedOn", format: Format::Date },
        Column { header: "余额", path: "balance", format: Format::Yuan },
        Column { header: "明细：类型", path: "entries.kind", format: Format::Choice(RESERVE_ENTRY_KINDS) },
        Column { header: "明细：金额", path: "entries.amount", format: Format::Yuan },
        Column { header: "明细：日期", path: "entries.entryOn", format: Format::Date },
        Column { header: "明细：凭证号", path: "entries.voucherNo", format: Format::Text },
        Column { header: "明细：摘要", path: "entries.notes", format: Format::Text },
    ],
    filters: &[],
    forms: &[],
    row_actions: &[],
};
