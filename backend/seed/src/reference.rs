//! Real reference data from the seed text: bureaus (A7§2), towns, communities and sites (A4§2.2), "3+X" industries (A1§1), roles and the responsibility list (A7§1).
use sea_orm::{ConnectionTrait, Value};

use crate::sql::{id_where, insert_plain, insert_returning_id, text};

/// A district bureau and the slice of follow-up support it owns.
#[derive(Debug, Clone, Copy)]
pub struct BureauSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub short_name: &'static str,
    /// Quoted (lightly trimmed) from A7§2 unless noted.
    pub duties: &'static str,
    pub is_lead: bool,
}

/// The bureaus of DOMAIN.md's table, duties as worded in A7§2 (A3§5 for public security,
/// A7§4 for the poverty-alleviation office). Where the seed names a department only by its
/// trade (交通、水利、文化、电力、通讯, 公安部门) the name is ours, built from that trade.
pub const BUREAUS: &[BureauSpec] = &[
    BureauSpec {
        code: "drc",
        name: "王益区发展和改革局",
        short_name: "区发改局",
        duties: "作为易地扶贫搬迁后续扶持牵头部门，统筹区级相关部门，在组织全面摸清易地搬迁后续扶持基本底数、面临形势、工作目标和主要任务的基础上，做好任务细化分解，明确任务承担部门，提出工作阶段性目标和完成时限要求，形成详尽的责任清单，确保各项工作稳步推进。",
        is_lead: true,
    },
    BureauSpec {
        code: "poverty",
        name: "王益区扶贫局",
        short_name: "区扶贫局",
        duties: "主动叠加各类政策措施，坚持脱贫不脱政策，夯实搬迁群众稳定脱贫的长效基础。",
        is_lead: false,
    },
    BureauSpec {
        code: "education",
        name: "王益区教育科技体育局",
        short_name: "区教科体局",
        duties: "负责易地搬迁安置点的教育资源配置和落实教育扶持政策。",
        is_lead: false,
    },
    BureauSpec {
        code: "health",
        name: "王益区卫生健康局",
        short_name: "区卫健局",
        duties: "负责易地搬迁安置点的基本医疗卫生服务、人员配置和落实健康扶贫政策。",
        is_lead: false,
    },
    BureauSpec {
        code: "agriculture",
        name: "王益区农业农村局",
        short_name: "区农业农村局",
        duties: "负责具备农业发展条件的搬迁户的农业产业扶持。",
        is_lead: false,
    },
    BureauSpec {
        code: "hrss",
        name: "王益区人力资源和社会保障局",
        short_name: "区人社局",
        duties: "负责有劳动能力搬迁群众的技能培训、就业服务和社区工厂建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "civil_affairs",
        name: "王益区民政局",
        short_name: "区民政局",
        duties: "负责安置点社区治理的自治单元划分、居民（村民）自治和落实兜底保障政策，指导安置点辖区镇办做好社区管理各项工作。",
        is_lead: false,
    },
    BureauSpec {
        code: "organization",
        name: "中共王益区委组织部",
        short_name: "区委组织部",
        duties: "负责基层党的组织建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "housing",
        name: "王益区住房和城乡建设局",
        short_name: "区住建局",
        duties: "负责监督指导搬迁安置小区的物业服务企业做好物业服务和管理工作，配合做好搬迁安置房工程质量管理等工作。",
        is_lead: false,
    },
    BureauSpec {
        code: "audit",
        name: "王益区审计局",
        short_name: "区审计局",
        duties: "会同区财政局负责易地扶贫搬迁资金使用监管工作。",
        is_lead: false,
    },
    BureauSpec {
        code: "finance",
        name: "王益区财政局",
        short_name: "区财政局",
        duties: "负责易地扶贫搬迁项目资金筹集拨付，设立城乡建设用地增减挂钩收益共管账户，保障易地扶贫搬迁债务还款落实落地等工作；配合区审计局做好资金使用监管；负责还款统筹，按每笔增减挂钩收入不低于5%计提还款准备金（A5§11）。",
        is_lead: false,
    },
    BureauSpec {
        code: "natural_resources",
        name: "铜川市自然资源局王益分局",
        short_name: "自然资源王益分局",
        duties: "及时提供易地扶贫搬迁安置点基础资料，并做好相关工作的衔接配合，重点抓好促进实际入住、旧宅基地腾退复垦、增减挂钩、安置房不动产登记等工作。",
        is_lead: false,
    },
    BureauSpec {
        code: "transport",
        name: "王益区交通行业主管部门",
        short_name: "区交通部门",
        duties: "负责安置点道路等“大配套”基础设施建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "water",
        name: "王益区水利行业主管部门",
        short_name: "区水利部门",
        duties: "负责安置点饮水等“大配套”基础设施建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "culture",
        name: "王益区文化行业主管部门",
        short_name: "区文化部门",
        duties: "负责安置点文化活动设施建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "power",
        name: "王益区电力行业主管部门",
        short_name: "区电力部门",
        duties: "负责安置点电力等“大配套”基础设施建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "telecom",
        name: "王益区通讯行业主管部门",
        short_name: "区通讯部门",
        duties: "负责安置点通讯等“大配套”基础设施建设。",
        is_lead: false,
    },
    BureauSpec {
        code: "public_security",
        name: "王益区公安部门",
        short_name: "公安部门",
        duties: "进一步优化户籍办理流程，及时做好户口迁移等户籍办理工作（A3§5）。",
        is_lead: false,
    },
    BureauSpec {
        code: "poverty_office",
        name: "王益区脱贫攻坚领导小组办公室",
        short_name: "区脱贫攻坚办",
        duties: "将易地扶贫搬迁后续扶持工作开展情况纳入脱贫攻坚成效考核范围且权重不低于30%；组织对区级相关行业部门和镇办易地扶贫搬迁后续扶持工作进行专项考核，考核结果在全区范围内予以通报，并移交区考核办，作为年度目标责任考核的重要参考（A7§4）。",
        is_lead: false,
    },
];

/// A town or sub-district (镇办) hosting a site.
#[derive(Debug, Clone, Copy)]
pub struct TownSpec {
    pub division_code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
}

/// 王益区 is 610202 in GB/T 2260. The 9-digit township codes below are our assumed
/// statistical codes (town 1xx, sub-district 0xx as in the statistical division scheme),
/// not looked up in an official table.
pub const TOWNS: &[TownSpec] = &[
    TownSpec {
        division_code: "610202100",
        name: "黄堡镇",
        kind: "town",
    },
    TownSpec {
        division_code: "610202004",
        name: "王家河街道",
        kind: "subdistrict",
    },
];

/// Communities the two sites are attached to (A4§2.2).
#[derive(Debug, Clone, Copy)]
pub struct CommunitySpec {
    pub code: &'static str,
    pub name: &'static str,
    pub town_division_code: &'static str,
}

pub const COMMUNITIES: &[CommunitySpec] = &[
    CommunitySpec {
        code: "HB-NS",
        name: "南寺社区",
        town_division_code: "610202100",
    },
    CommunitySpec {
        code: "WJH-XJ",
        name: "小街社区",
        town_division_code: "610202004",
    },
];

/// The two resettlement sites of A4§2.2.
#[derive(Debug, Clone, Copy)]
pub struct SiteSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub town_division_code: &'static str,
    pub community_code: &'static str,
    pub area_type: &'static str,
    pub address: &'static str,
}

pub const SITES: &[SiteSpec] = &[
    SiteSpec {
        code: "HB-XZQ",
        name: "黄堡新镇区集中安置点",
        town_division_code: "610202100",
        community_code: "HB-NS",
        area_type: "town_planning_area",
        address: "陕西省铜川市王益区黄堡镇新镇区",
    },
    SiteSpec {
        code: "WJH-XFJ",
        name: "王家河幸福居集中安置点",
        town_division_code: "610202004",
        community_code: "WJH-XJ",
        area_type: "town_planning_area",
        address: "陕西省铜川市王益区王家河街道幸福居",
    },
];

/// One of the "3+X" industries (A1§1).
#[derive(Debug, Clone, Copy)]
pub struct IndustrySpec {
    pub code: &'static str,
    pub name: &'static str,
    pub category: &'static str,
}

pub const INDUSTRIES: &[IndustrySpec] = &[
    IndustrySpec {
        code: "fruit",
        name: "现代果业（以苹果为主）",
        category: "leading",
    },
    IndustrySpec {
        code: "livestock",
        name: "生态畜牧业（以两羊一猪为主）",
        category: "leading",
    },
    IndustrySpec {
        code: "facility_agriculture",
        name: "设施农业（以大棚蔬菜、食用菌为主）",
        category: "leading",
    },
    IndustrySpec {
        code: "herbs",
        name: "中药材",
        category: "featured",
    },
    IndustrySpec {
        code: "walnut",
        name: "核桃",
        category: "featured",
    },
    IndustrySpec {
        code: "sichuan_pepper",
        name: "花椒",
        category: "featured",
    },
    IndustrySpec {
        code: "meat_rabbit",
        name: "肉兔",
        category: "featured",
    },
];

/// Roles that are neither a bureau's nor a town's: (code, name, kind).
pub const OTHER_ROLES: &[(&str, &str, &str)] = &[
    ("system_admin", "系统管理员", "system_admin"),
    ("security_admin", "安全管理员", "security_admin"),
    ("auditor", "安全审计员", "auditor"),
    (
        "provincial:relocation_group",
        "省移民（脱贫）搬迁开发集团社区服务平台",
        "provincial",
    ),
    (
        "provincial:land_quota_platform",
        "省自然资源厅节余指标调剂监管平台",
        "provincial",
    ),
];

/// The role code of a bureau (`bureau:<code>`).
pub fn bureau_role_code(bureau_code: &str) -> String {
    format!("bureau:{bureau_code}")
}

/// The role code of a town (`town:<division_code>`).
pub fn town_role_code(division_code: &str) -> String {
    format!("town:{division_code}")
}

/// Loads all reference rows; expects empty reference tables (a new database).
pub async fn load_reference_data(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    for bureau in BUREAUS {
        let bureau_id = insert_returning_id(
            db,
            "bureau",
            vec![
                ("code", text(bureau.code)),
                ("name", text(bureau.name)),
                ("short_name", text(bureau.short_name)),
                ("duties", text(bureau.duties)),
                ("is_lead", Value::Bool(Some(bureau.is_lead))),
            ],
        )
        .await?;
        insert_plain(
            db,
            "role",
            vec![
                ("code", text(bureau_role_code(bureau.code))),
                ("name", text(bureau.name)),
                ("kind", text("bureau")),
                ("bureau_id", Value::BigInt(Some(bureau_id))),
            ],
        )
        .await?;
    }
    for town in TOWNS {
        let town_id = insert_returning_id(
            db,
            "town",
            vec![
                ("division_code", text(town.division_code)),
                ("name", text(town.name)),
                ("kind", text(town.kind)),
            ],
        )
        .await?;
        insert_plain(
            db,
            "role",
            vec![
                ("code", text(town_role_code(town.division_code))),
                ("name", text(town.name)),
                ("kind", text("town")),
                ("town_id", Value::BigInt(Some(town_id))),
            ],
        )
        .await?;
    }
    for (code, name, kind) in OTHER_ROLES {
        insert_plain(
            db,
            "role",
            vec![
                ("code", text(*code)),
                ("name", text(*name)),
                ("kind", text(*kind)),
            ],
        )
        .await?;
    }
    for community in COMMUNITIES {
        let town_id = id_where(db, "town", "division_code", community.town_division_code).await?;
        insert_plain(
            db,
            "community",
            vec![
                ("code", text(community.code)),
                ("name", text(community.name)),
                ("town_id", Value::BigInt(Some(town_id))),
            ],
        )
        .await?;
    }
    for site in SITES {
        let town_id = id_where(db, "town", "division_code", site.town_division_code).await?;
        let community_id = id_where(db, "community", "code", site.community_code).await?;
        insert_plain(
            db,
            "site",
            vec![
                ("code", text(site.code)),
                ("name", text(site.name)),
                ("town_id", Value::BigInt(Some(town_id))),
                ("community_id", Value::BigInt(Some(community_id))),
                ("area_type", text(site.area_type)),
                ("address", text(site.address)),
            ],
        )
        .await?;
    }
    for industry in INDUSTRIES {
        insert_plain(
            db,
            "industry",
            vec![
                ("code", text(industry.code)),
                ("name", text(industry.name)),
                ("category", text(industry.category)),
            ],
        )
        .await?;
    }
    crate::calendar::load_calendar(db).await?;
    crate::responsibility_list::load_responsibility_list(db).await?;
    Ok(())
}
