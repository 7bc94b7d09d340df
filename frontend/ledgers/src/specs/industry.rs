//! Annex 1: industry (产业发展). Owned by 区农业农村局, with the towns and the sales platforms.

use super::lookups;
use crate::{domain, Column, Field, Filter, Form, Format, Group, Input, Ledger, RowAction, Shape};

const INDUSTRY_CATEGORIES: &[(&str, &str)] =
    &[("LEADING", "主导产业"), ("FEATURED", "特色产业（X）")];

const ENTITY_KINDS: &[(&str, &str)] = &[
    ("COOPERATIVE", "农民专业合作社"),
    ("FAMILY_FARM", "家庭农场"),
    ("LEADING_ENTERPRISE", "龙头企业"),
    ("SERVICE_ORGANISATION", "社会化服务组织"),
    ("VILLAGE_COLLECTIVE", "村集体经济组织"),
];

/// `BusinessEntity.status` is a plain string of these codes.
const ENTITY_STATUSES: &[(&str, &str)] = &[
    ("active", "正常"),
    ("suspended", "暂停"),
    ("dissolved", "已注销"),
];

const LINKAGE_KINDS: &[(&str, &str)] = &[
    ("LAND_SHARES", "土地入股"),
    ("LAND_TRANSFER", "土地流转"),
    ("CAPITAL_SHARES", "资金入股"),
    ("JOINT_FARMING", "合作种养"),
    ("PROCESSING", "来料加工"),
    ("LEASE_BACK", "反租倒包"),
    ("WAGE_WORK", "劳动务工"),
    ("DIVIDENDS", "入股分红"),
    ("TECHNICAL_SERVICE", "技术服务"),
    ("CUSTODIAL_BREEDING", "代养"),
    ("TRUSTEESHIP", "托管"),
    ("ORDER_FARMING", "订单农业"),
];

const HONOURED_STATUSES: &[(&str, &str)] = &[
    ("PENDING", "待履约"),
    ("ON_TIME", "按期履约"),
    ("LATE", "逾期履约"),
    ("DEFAULTED", "违约"),
];

const DUE_STATUSES: &[(&str, &str)] = &[
    ("DUE", "待履约"),
    ("ON_TIME", "按期"),
    ("LATE", "逾期"),
    ("DEFAULTED", "违约"),
    ("WAIVED", "已免除"),
];

/// `BenefitLinkage.status` is a plain string of these codes.
const LINKAGE_STATUSES: &[(&str, &str)] = &[
    ("active", "履行中"),
    ("ended", "已到期"),
    ("terminated", "已解除"),
];

const CHANNEL_KINDS: &[(&str, &str)] = &[
    ("ECOMMERCE_SERVICE_POINT", "电子商务服务点"),
    ("ONLINE_SHOP", "搬迁户网店"),
    (
        "PROVINCIAL_COMMUNITY_PLATFORM",
        "省移民(脱贫)搬迁开发集团社区服务平台",
    ),
    ("SUPPLY_MARKETING_PLATFORM", "供销平台"),
    ("CONSUMPTION_SUPPORT_CENTRE", "消费扶贫中心"),
    ("OTHER", "其他"),
];

const FIVE_CHANNELS: &[(&str, &str)] = &[
    ("AGENCY", "进机关"),
    ("COMMUNITY", "进社区"),
    ("SCHOOL", "进学校"),
    ("SUPERMARKET", "进超市"),
    ("CANTEEN", "进食堂"),
];

/// The ledgers of this annex, in page order.
pub static LEDGERS: &[Ledger] = &[
    INDUSTRIES,
    BUSINESS_ENTITIES,
    BENEFIT_LINKAGES,
    SALES_CHANNELS,
    FIVE_CHANNEL_SALES,
];

/// “3+X”产业 (A1§1): the three leading industries and the featured X.
const INDUSTRIES: Ledger = Ledger {
    key: "industries",
    title: "“3+X”产业目录",
    group: Group::Industry,
    clause: "A1§1",
    description: "三大主导产业（现代果业、生态畜牧“两羊一猪”、设施农业）和特色产业X（中药材、核桃、花椒、肉兔）",
    read_domain: domain::INDUSTRY,
    query: "query LedgerIndustries {
  industries { code name category }
}",
    root: "industries",
    shape: Shape::List,
    columns: &[
        Column { header: "代码", path: "code", format: Format::Text },
        Column { header: "产业", path: "name", format: Format::Text },
        Column { header: "类别", path: "category", format: Format::Choice(INDUSTRY_CATEGORIES) },
    ],
    filters: &[],
    forms: &[],
    row_actions: &[],
};

/// 带贫经营主体台账 (A1§2–3): cooperatives, family farms, leading enterprises, … with their
/// industries and what they do beyond growing (processing, storage, order farming).
const BUSINESS_ENTITIES: Ledger = Ledger {
    key: "business-entities",
    title: "带贫经营主体台账",
    group: Group::Industry,
    clause: "A1§2",
    description: "合作社、家庭农场、龙头企业等带贫主体：所属产业、保鲜加工、仓储、订单农业、品牌",
    read_domain: domain::INDUSTRY,
    query: "query LedgerBusinessEntities($first: Int, $after: String, $kind: BusinessEntityKind, $townId: ID, $industryCode: String) {
  businessEntities(first: $first, after: $after, filter: {kind: $kind, townId: $townId, industryCode: $industryCode}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      code creditCode name kind industries { name } legalRepresentative contactPhone address
      doesProcessing doesStorage doesOrderFarming brand status
    }
  }
}",
    root: "businessEntities",
    shape: Shape::Connection,
    columns: &[
        Column { header: "编号", path: "code", format: Format::Text },
        Column { header: "名称", path: "name", format: Format::Text },
        Column { header: "类型", path: "kind", format: Format::Choice(ENTITY_KINDS) },
        Column { header: "统一社会信用代码", path: "creditCode", format: Format::Text },
        Column { header: "所属产业", path: "industries.name", format: Format::Text },
        Column { header: "法定代表人", path: "legalRepresentative", format: Format::Text },
        Column { header: "联系电话", path: "contactPhone", format: Format::Text },
        Column { header: "地址", path: "address", format: Format::Text },
        Column { header: "保鲜加工", path: "doesProcessing", format: Format::YesNo },
        Column { header: "仓储", path: "doesStorage", format: Format::YesNo },
        Column { header: "订单农业", path: "doesOrderFarming", format: Format::YesNo },
        Column { header: "品牌", path: "brand", format: Format::Text },
        Column { header: "状态", path: "status", format: Format::Choice(ENTITY_STATUSES) },
    ],
    filters: &[
        Filter { variable: "kind", label: "类型", input: Input::Choice(ENTITY_KINDS) },
        Filter { variable: "townId", label: "镇（街道）", input: Input::Lookup(&lookups::TOWNS) },
        Filter { variable: "industryCode", label: "产业", input: Input::Lookup(&lookups::INDUSTRIES) },
    ],
    forms: &[Form {
        key: "create-business-entity",
        title: "新增经营主体",
        mutation: "mutation CreateBusinessEntity($input: CreateBusinessEntityInput!) { createBusinessEntity(input: $input) { id } }",
        input_type: "CreateBusinessEntityInput",
        write_domain: domain::INDUSTRY,
        fields: &[
            Field::required("code", "编号", Input::Text).hint("唯一，如 BE-07"),
            Field::required("name", "名称", Input::Text),
            Field::required("kind", "类型", Input::Choice(ENTITY_KINDS)),
            Field::optional("creditCode", "统一社会信用代码", Input::Text).hint("18位；已登记的填写"),
            Field::required("industryCodes", "所属产业", Input::Lookup(&lookups::INDUSTRIES)).hint("“3+X”产业"),
            Field::optional("townId", "镇（街道）", Input::Lookup(&lookups::TOWNS)),
            Field::optional("siteId", "安置点", Input::Lookup(&lookups::SITES)),
            Field::optional("legalRepresentative", "法定代表人", Input::Text),
            Field::optional("contactPhone", "联系电话", Input::Text),
            Field::optional("address", "地址", Input::Text),
            Field::optional("doesProcessing", "开展保鲜加工", Input::Checkbox),
            Field::optional("doesStorage", "开展仓储", Input::Checkbox),
            Field::optional("doesOrderFarming", "开展订单农业", Input::Checkbox),
            Field::optional("brand", "品牌", Input::Text),
        ],
    }],
    row_actions: &[],
};

/// 利益联结台账 (A1§2): each agreement between a business entity and a relocated household,
/// its dues and whether they are honoured on time (按期履责履约); the overdue ones are alerts.
const BENEFIT_LINKAGES: Ledger = Ledger {
    key: "benefit-linkages",
    title: "利益联结台账",
    group: Group::Industry,
    clause: "A1§2",
    description: "经营主体与搬迁户的利益联结协议：联结方式、入股土地或资金、应付款项及按期履约情况，逾期未履约的列为预警",
    read_domain: domain::INDUSTRY,
    query: "query LedgerBenefitLinkages($first: Int, $after: String, $businessEntityId: ID, $householdId: ID, $kind: BenefitLinkageKind, $overdueOnly: Boolean! = false) {
  benefitLinkages(first: $first, after: $after, filter: {businessEntityId: $businessEntityId, householdId: $householdId, kind: $kind, overdueOnly: $overdueOnly}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id agreementNo businessEntity { name } household { code headName } industry { name } kind
      startsOn endsOn landAreaTenThousandthMu capitalFen expectedAnnualIncomeFen nextDueOn
      honouredStatus overdue dues { id dueOn amountFen status } status
    }
  }
}",
    root: "benefitLinkages",
    shape: Shape::Connection,
    columns: &[
        Column { header: "协议编号", path: "agreementNo", format: Format::Text },
        Column { header: "经营主体", path: "businessEntity.name", format: Format::Text },
        Column { header: "户编号", path: "household.code", format: Format::Text },
        Column { header: "户主", path: "household.headName", format: Format::Text },
        Column { header: "产业", path: "industry.name", format: Format::Text },
        Column { header: "联结方式", path: "kind", format: Format::Choice(LINKAGE_KINDS) },
        Column { header: "起始日期", path: "startsOn", format: Format::Date },
        Column { header: "终止日期", path: "endsOn", format: Format::Date },
        Column { header: "土地面积", path: "landAreaTenThousandthMu", format: Format::TenThousandthMu },
        Column { header: "入股资金", path: "capitalFen", format: Format::Fen },
        Column { header: "预期年收益", path: "expectedAnnualIncomeFen", format: Format::Fen },
        Column { header: "下次应付日", path: "nextDueOn", format: Format::Date },
        Column { header: "履约情况", path: "honouredStatus", format: Format::Choice(HONOURED_STATUSES) },
        Column { header: "逾期", path: "overdue", format: Format::YesNo },
        Column { header: "各期应付日", path: "dues.dueOn", format: Format::Date },
        Column { header: "各期金额", path: "dues.amountFen", format: Format::Fen },
        Column { header: "各期履约", path: "dues.status", format: Format::Choice(DUE_STATUSES) },
        Column { header: "状态", path: "status", format: Format::Choice(LINKAGE_STATUSES) },
    ],
    filters: &[
        Filter { variable: "overdueOnly", label: "只看逾期", input: Input::Checkbox },
        Filter { variable: "kind", label: "联结方式", input: Input::Choice(LINKAGE_KINDS) },
        Filter { variable: "businessEntityId", label: "经营主体", input: Input::Lookup(&lookups::BUSINESS_ENTITIES) },
        Filter { variable: "householdId", label: "搬迁户", input: Input::Search(&lookups::HOUSEHOLDS) },
    ],
    forms: &[Form {
        key: "create-benefit-linkage",
        title: "新增利益联结",
        mutation: "mutation CreateBenefitLinkage($input: CreateBenefitLinkageInput!) { createBenefitLinkage(input: $input) { id } }",
        input_type: "CreateBenefitLinkageInput",
        write_domain: domain::INDUSTRY,
        fields: &[
            Field::required("businessEntityId", "经营主体", Input::Lookup(&lookups::BUSINESS_ENTITIES)),
            Field::required("householdId", "搬迁户", Input::Search(&lookups::HOUSEHOLDS)),
            Field::required("kind", "联结方式", Input::Choice(LINKAGE_KINDS)),
            Field::optional("industryCode", "产业", Input::Lookup(&lookups::INDUSTRIES)),
            Field::required("agreementNo", "协议编号", Input::Text),
            Field::required("terms", "协议条款", Input::LongText).hint("应付什么、何时付、付多少"),
            Field::required("startsOn", "起始日期", Input::Date),
            Field::optional("endsOn", "终止日期", Input::Date),
            Field::optional("landAreaTenThousandthMu", "土地面积（亩）", Input::TenThousandthMu).hint("土地入股、土地流转、反租倒包必填；最多四位小数"),
            Field::optional("capitalFen", "入股资金（元）", Input::Fen).hint("资金入股必填"),
            Field::optional("expectedAnnualIncomeFen", "预期年收益（元）", Input::Fen),
            Field::optional("dues.dueOn", "首期应付日期", Input::Date).hint("与首期金额同填；其余各期在列表中用“新增应付”添加"),
            Field::optional("dues.amountFen", "首期金额（元）", Input::Fen),
        ],
    }],
    row_actions: &[RowAction {
        form: Form {
            key: "record-benefit-fulfilment",
            title: "登记履约",
            mutation: "mutation RecordBenefitFulfilment($input: RecordBenefitFulfilmentInput!) { recordBenefitFulfilment(input: $input) { id } }",
            input_type: "RecordBenefitFulfilmentInput",
            write_domain: domain::INDUSTRY,
            fields: &[
                Field::required("dueId", "应付期次", Input::RowItem { list: "dues", label: "dueOn" }),
                Field::optional("fulfilledOn", "兑现日期", Input::Date).hint("在应付日当天或之前为按期履约（A1§2）"),
                Field::optional("waived", "经农户同意免除", Input::Checkbox),
                Field::optional("notes", "备注", Input::LongText),
            ],
        },
        when: Some(("status", &["active"])),
    }, RowAction {
        form: Form {
            key: "schedule-benefit-due",
            title: "新增应付",
            mutation: "mutation ScheduleBenefitDue($input: ScheduleBenefitDueInput!) { scheduleBenefitDue(input: $input) { id } }",
            input_type: "ScheduleBenefitDueInput",
            write_domain: domain::INDUSTRY,
            fields: &[
                Field {
                    name: "linkageId",
                    label: "",
                    input: Input::FromRow("id"),
                    required: true,
                    hint: "",
                },
                Field::required("dueOn", "应付日期", Input::Date),
                Field::required("amountFen", "金额（元）", Input::Fen),
            ],
        },
        when: Some(("status", &["active"])),
    }],
};

/// 销售渠道台账 (A1§4): e-commerce service points, households' online shops, the provincial
/// community platform, supply-and-marketing platforms, consumption-support centres.
const SALES_CHANNELS: Ledger = Ledger {
    key: "sales-channels",
    title: "销售渠道台账",
    group: Group::Industry,
    clause: "A1§4",
    description: "安置点电商服务点、搬迁户网店、省移民搬迁开发集团社区服务平台、供销平台、消费扶贫中心等销售渠道",
    read_domain: domain::INDUSTRY,
    query: "query LedgerSalesChannels($first: Int, $after: String, $kind: SalesChannelKind, $siteId: ID, $businessEntityId: ID) {
  salesChannels(first: $first, after: $after, filter: {kind: $kind, siteId: $siteId, businessEntityId: $businessEntityId}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { kind name operator addressOrUrl openedOn closedOn }
  }
}",
    root: "salesChannels",
    shape: Shape::Connection,
    columns: &[
        Column { header: "渠道名称", path: "name", format: Format::Text },
        Column { header: "类型", path: "kind", format: Format::Choice(CHANNEL_KINDS) },
        Column { header: "运营方", path: "operator", format: Format::Text },
        Column { header: "地址或网址", path: "addressOrUrl", format: Format::Text },
        Column { header: "开通日期", path: "openedOn", format: Format::Date },
        Column { header: "关闭日期", path: "closedOn", format: Format::Date },
    ],
    filters: &[
        Filter { variable: "kind", label: "类型", input: Input::Choice(CHANNEL_KINDS) },
        Filter { variable: "siteId", label: "安置点", input: Input::Lookup(&lookups::SITES) },
        Filter { variable: "businessEntityId", label: "经营主体", input: Input::Lookup(&lookups::BUSINESS_ENTITIES) },
    ],
    forms: &[Form {
        key: "create-sales-channel",
        title: "新增销售渠道",
        mutation: "mutation CreateSalesChannel($input: CreateSalesChannelInput!) { createSalesChannel(input: $input) { id } }",
        input_type: "CreateSalesChannelInput",
        write_domain: domain::INDUSTRY,
        fields: &[
            Field::required("kind", "类型", Input::Choice(CHANNEL_KINDS)),
            Field::required("name", "渠道名称", Input::Text),
            Field::optional("siteId", "所在安置点", Input::Lookup(&lookups::SITES)).hint("电商服务点填写"),
            Field::optional("householdId", "开店搬迁户", Input::Search(&lookups::HOUSEHOLDS)).hint("搬迁户网店填写"),
            Field::optional("businessEntityId", "经营主体", Input::Lookup(&lookups::BUSINESS_ENTITIES)),
            Field::optional("operator", "运营方", Input::Text),
            Field::optional("addressOrUrl", "地址或网址", Input::Text),
            Field::optional("openedOn", "开通日期", Input::Date),
        ],
    }],
    row_actions: &[],
};

/// “五进”销售台账 (A1§4): sales into agencies, communities, schools, supermarkets and canteens.
const FIVE_CHANNEL_SALES: Ledger = Ledger {
    key: "five-channel-sales",
    title: "“五进”销售台账",
    group: Group::Industry,
    clause: "A1§4",
    description: "农产品进机关、进社区、进学校、进超市、进食堂的销售记录",
    read_domain: domain::INDUSTRY,
    query: "query LedgerFiveChannelSales($first: Int, $after: String, $channel: FiveChannel, $businessEntityId: ID, $year: Int) {
  fiveChannelSales(first: $first, after: $after, filter: {channel: $channel, businessEntityId: $businessEntityId, year: $year}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { soldOn channel buyerName product quantity amountFen }
  }
}",
    root: "fiveChannelSales",
    shape: Shape::Connection,
    columns: &[
        Column { header: "销售日期", path: "soldOn", format: Format::Date },
        Column { header: "渠道", path: "channel", format: Format::Choice(FIVE_CHANNELS) },
        Column { header: "购买单位", path: "buyerName", format: Format::Text },
        Column { header: "产品", path: "product", format: Format::Text },
        Column { header: "数量", path: "quantity", format: Format::Text },
        Column { header: "金额", path: "amountFen", format: Format::Fen },
    ],
    filters: &[
        Filter { variable: "channel", label: "渠道", input: Input::Choice(FIVE_CHANNELS) },
        Filter { variable: "businessEntityId", label: "经营主体", input: Input::Lookup(&lookups::BUSINESS_ENTITIES) },
        Filter { variable: "year", label: "年度", input: Input::Year },
    ],
    forms: &[Form {
        key: "record-five-channel-sale",
        title: "登记“五进”销售",
        mutation: "mutation RecordFiveChannelSale($input: RecordFiveChannelSaleInput!) { recordFiveChannelSale(input: $input) { soldOn } }",
        input_type: "RecordFiveChannelSaleInput",
        write_domain: domain::INDUSTRY,
        fields: &[
            Field::required("channel", "渠道", Input::Choice(FIVE_CHANNELS)),
            Field::required("buyerName", "购买单位", Input::Text),
            Field::required("product", "产品", Input::Text),
            Field::optional("quantity", "数量", Input::Text).hint("含单位，如 500斤"),
            Field::required("amountFen", "金额（元）", Input::Fen),
            Field::required("soldOn", "销售日期", Input::Date),
            Field::optional("businessEntityId", "经营主体", Input::Lookup(&lookups::BUSINESS_ENTITIES)),
            Field::optional("householdId", "搬迁户", Input::Search(&lookups::HOUSEHOLDS)),
            Field::optional("industryCode", "产业", Input::Lookup(&lookups::INDUSTRIES)),
            Field::optional("salesChannelId", "销售渠道", Input::Lookup(&lookups::SALES_CHANNELS)),
        ],
    }],
    row_actions: &[],
};
