//! The reference responsibility list (责任清单, A7§1–2): every obligation of annexes 1–7 as a task with one lead leader, one responsible unit, co-operating bureaus, a deadline and stage goals.
//!
//! Loaded with the reference data, so it is in every database, production included. Titles and
//! bases quote the plans (`/work/shared/seed`); lead leaders are titles, never names. The plans
//! give no dates: deadlines and stage goals are ours, all in 2026–2027. A task belongs to a
//! district bureau or, for the towns' own obligations (A1§7, A4§3.3, A6§2.2, A6§3.1, A7§3), to
//! 黄堡镇 or 王家河街道; the co-operating units are always bureaus.
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use crate::sql::{date, id_where, insert_plain, insert_returning_id, int, text};

/// The one unit responsible for a task (A7§2 责任唯一性).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponsibleUnit {
    /// A district bureau, by its code in [`crate::reference::BUREAUS`].
    Bureau(&'static str),
    /// A town or sub-district, by its division code in [`crate::reference::TOWNS`].
    Town(&'static str),
}

impl ResponsibleUnit {
    /// The bureau or division code.
    pub fn code(self) -> &'static str {
        match self {
            ResponsibleUnit::Bureau(code) | ResponsibleUnit::Town(code) => code,
        }
    }
}

/// A stage goal of a task with its deadline (A7§1 阶段性目标和完成时限).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageGoalSpec {
    pub goal: &'static str,
    pub deadline: NaiveDate,
}

/// One task of the responsibility list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceTask {
    /// Stable code `RT-A<annex>-<nn>`.
    pub code: &'static str,
    pub title: &'static str,
    /// The plan's own words the task rests on (stored as the description).
    pub basis: &'static str,
    pub annex: u8,
    /// `A<annex>§<section>[.<item>]`.
    pub clause: &'static str,
    /// A title such as 分管副区长 or 镇党委书记, never a person's name.
    pub lead_leader: &'static str,
    pub responsible: ResponsibleUnit,
    /// Bureau codes; never the responsible bureau.
    pub cooperating: &'static [&'static str],
    pub deadline: NaiveDate,
    /// In order of their deadlines, none after the task's deadline.
    pub stage_goals: &'static [StageGoalSpec],
}

/// 黄堡镇.
pub const HUANGBAO_TOWN: &str = "610202100";
/// 王家河街道.
pub const WANGJIAHE_SUBDISTRICT: &str = "610202004";

/// A date literal of the list, checked when the crate compiles.
const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("an impossible date in the responsibility list"),
    }
}

const fn stage(goal: &'static str, deadline: NaiveDate) -> StageGoalSpec {
    StageGoalSpec { goal, deadline }
}

use ResponsibleUnit::{Bureau, Town};

const VICE_HEAD_EXECUTIVE: &str = "常务副区长";
const VICE_HEAD_AGRICULTURE: &str = "分管农业农村工作的副区长";
const VICE_HEAD_HRSS: &str = "分管人力资源和社会保障工作的副区长";
const VICE_HEAD_EDUCATION: &str = "分管教育工作的副区长";
const VICE_HEAD_HEALTH: &str = "分管卫生健康工作的副区长";
const VICE_HEAD_CIVIL_AFFAIRS: &str = "分管民政工作的副区长";
const VICE_HEAD_NATURAL_RESOURCES: &str = "分管自然资源工作的副区长";
const VICE_HEAD_CONSTRUCTION: &str = "分管城乡建设工作的副区长";
const VICE_HEAD_CULTURE: &str = "分管文化工作的副区长";
const VICE_HEAD_PUBLIC_SECURITY: &str = "分管公安工作的副区长";
const ORGANIZATION_HEAD: &str = "区委常委、组织部部长";
const DEPUTY_PARTY_SECRETARY: &str = "区委副书记";
const TOWN_PARTY_SECRETARY: &str = "镇党委书记";
const SUBDISTRICT_PARTY_SECRETARY: &str = "街道党工委书记";

/// The responsibility list, by annex.
pub const RESPONSIBILITY_LIST: &[ReferenceTask] = &[
    // 附件1 产业 (A1): agriculture and the towns involved in farming.
    ReferenceTask {
        code: "RT-A1-01",
        title: "培育带贫主体，建立健全稳固的利益联结机制",
        basis: "在安置点就近村大力培育农民专业合作社、家庭农场、龙头企业、社会化服务组织等各类新型经营主体。对已与搬迁户建立帮扶利益联结关系的带贫主体要继续巩固帮扶成效，按期履责履约，确保搬迁户稳定收益；对新培育的带贫益贫经营主体，精准帮扶措施，完善帮扶协议、合同，建立健全稳固的利益联结机制。",
        annex: 1,
        clause: "A1§2",
        lead_leader: VICE_HEAD_AGRICULTURE,
        responsible: Bureau("agriculture"),
        cooperating: &["poverty"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("新培育带贫益贫经营主体，完善帮扶协议、合同", day(2026, 6, 30)),
            stage("带贫主体按期履责履约，搬迁户稳定收益", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A1-02",
        title: "壮大“3+X”主导产业，鼓励搬迁人口发展特色产业",
        basis: "从产业奖补、技术服务、技能培训等方面鼓励建档立卡搬迁人口发展特色产业，支持搬迁群众发展以苹果为主的果业、以两羊一猪为主的畜牧业、以大棚蔬菜（食用菌）为主的设施农业，大力发展中药材、核桃、花椒、肉兔等特色种养业。",
        annex: 1,
        clause: "A1§1",
        lead_leader: VICE_HEAD_AGRICULTURE,
        responsible: Bureau("agriculture"),
        cooperating: &["poverty", "finance"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage(
            "有发展意愿的搬迁户落实产业奖补、技术服务、技能培训",
            day(2026, 12, 31),
        )],
    },
    ReferenceTask {
        code: "RT-A1-03",
        title: "延长产业链条，将搬迁户嵌入产业链",
        basis: "优先支持安置点已有的各类带贫主体发展农产品保鲜、仓储、加工等，提高果蔬、畜产品、中药材、核桃、花椒等农产品深加工能力，延伸产业链，将搬迁户嵌入产业链中，提高农产品附加值。",
        annex: 1,
        clause: "A1§3",
        lead_leader: VICE_HEAD_AGRICULTURE,
        responsible: Bureau("agriculture"),
        cooperating: &["drc"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("支持带贫主体发展农产品保鲜、仓储、加工", day(2026, 12, 31)),
            stage(
                "搬迁户通过订单农业、劳动务工、土地入股、电商销售参与产业链",
                day(2027, 6, 30),
            ),
        ],
    },
    ReferenceTask {
        code: "RT-A1-04",
        title: "建立安置点电子商务服务点，实施扶贫农产品“五进”消费扶贫",
        basis: "在安置点建立电子商务服务点，鼓励搬迁用户开设网店，并给与政策支持；借助消费扶贫运营中心销售平台，实施扶贫农产品进机关、进社区、进学校、进超市、进食堂的“五进”消费扶贫模式。",
        annex: 1,
        clause: "A1§4",
        lead_leader: VICE_HEAD_AGRICULTURE,
        responsible: Bureau("poverty"),
        cooperating: &["agriculture"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("在两个安置点建立电子商务服务点", day(2026, 9, 30)),
            stage(
                "扶贫农产品进机关、进社区、进学校、进超市、进食堂",
                day(2026, 12, 31),
            ),
        ],
    },
    ReferenceTask {
        code: "RT-A1-05",
        title: "结余资金重点用于后续扶持，探索资产收益扶贫模式",
        basis: "易地扶贫搬迁结余资金重点用于对建档立卡搬迁户的后续扶持，积极探索“易地扶贫搬迁配套设施资产变股权、搬迁对象变股民”的资产收益扶贫模式。",
        annex: 1,
        clause: "A1§5",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("drc"),
        cooperating: &["finance", "agriculture"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("摸清易地扶贫搬迁结余资金", day(2026, 12, 31)),
            stage("形成资产收益扶贫试点方案", day(2027, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A1-06",
        title: "履行后续产业扶持主体责任，落实领导干部包抓负责制（黄堡镇）",
        basis: "各涉农镇办要切实履行易地扶贫搬迁后续产业扶持主体责任，落实领导干部包抓负责制。",
        annex: 1,
        clause: "A1§7",
        lead_leader: TOWN_PARTY_SECRETARY,
        responsible: Town(HUANGBAO_TOWN),
        cooperating: &["agriculture"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("明确包抓领导干部，建立包抓台账", day(2026, 4, 30)),
            stage("完成年度后续产业扶持任务", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A1-07",
        title: "履行后续产业扶持主体责任，落实领导干部包抓负责制（王家河街道）",
        basis: "各涉农镇办要切实履行易地扶贫搬迁后续产业扶持主体责任，落实领导干部包抓负责制。",
        annex: 1,
        clause: "A1§7",
        lead_leader: SUBDISTRICT_PARTY_SECRETARY,
        responsible: Town(WANGJIAHE_SUBDISTRICT),
        cooperating: &["agriculture"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("明确包抓领导干部，完成年度后续产业扶持任务", day(2026, 12, 31))],
    },
    // 附件2 就业 (A2): HR & social security.
    ReferenceTask {
        code: "RT-A2-01",
        title: "零就业家庭动态清零，确保有劳动力的贫困家庭至少一人实现就业",
        basis: "对有就业意愿的“零就业”易地搬迁贫困户，“一对一、面对面”精准推送岗位信息，提供就业帮扶，确保有劳动力的贫困家庭至少一人实现就业。",
        annex: 2,
        clause: "A2§1",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["civil_affairs", "agriculture"],
        deadline: day(2026, 10, 31),
        stage_goals: &[
            stage("对零就业搬迁户“一对一、面对面”精准推送岗位信息", day(2026, 6, 30)),
            stage("有劳动力的搬迁家庭至少一人实现就业", day(2026, 10, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A2-02",
        title: "落实培训备案制度，兑现生活交通费补贴",
        basis: "落实培训备案制度，培训机构开班前10个工作日将培训方案报人力资源和社会保障部门备案……在培训期间按照课时分类给予每人每天20元或50元生活交通费补贴。",
        annex: 2,
        clause: "A2§3.1",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["finance"],
        deadline: day(2026, 9, 30),
        stage_goals: &[
            stage("培训机构开班前10个工作日报人社部门备案", day(2026, 6, 30)),
            stage("按课时分类兑现每人每天20元或50元生活交通费补贴", day(2026, 9, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A2-03",
        title: "建立区级和镇办级岗位信息库",
        basis: "建立区级和乡镇办级岗位信息库，筛选适合的岗位提供给贫困劳动力。",
        annex: 2,
        clause: "A2§1",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["agriculture"],
        deadline: day(2026, 3, 31),
        stage_goals: &[
            stage("建立区级岗位信息库", day(2026, 2, 28)),
            stage("建立黄堡镇、王家河街道岗位信息库", day(2026, 3, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A2-04",
        title: "落实支持创业政策，开展创业培训，提供创业担保贷款",
        basis: "落实支持创业政策，发挥标准化创业中心作用，引导鼓励劳动力参加创业培训，开展创业指导，提供创业担保贷款，实现创业带动就业。",
        annex: 2,
        clause: "A2§2.1",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["finance"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("为符合条件的搬迁创业者提供创业担保贷款", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A2-05",
        title: "开发特设公岗、城镇公益性岗位托底安置",
        basis: "适度开发特设公岗、城镇公益性岗位，重点安置无法离乡、无业可扶、无力脱贫的易地扶贫搬迁劳动力。",
        annex: 2,
        clause: "A2§2.2",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["finance", "civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage(
            "无法离乡、无业可扶、无力脱贫的搬迁劳动力托底安置",
            day(2026, 12, 31),
        )],
    },
    ReferenceTask {
        code: "RT-A2-06",
        title: "开展订单式、定向式培训，提高培训后就业率",
        basis: "坚持贫困劳动力就业技能培训与产业发展结合、与市场需求接轨，重点开展订单式、定向式培训，推进培训即就业的衔接机制，提高培训的针对性和有效性，提高培训后就业率。",
        annex: 2,
        clause: "A2§3.2",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["agriculture"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("与用工企业签订订单式、定向式培训协议", day(2026, 12, 31)),
            stage("跟踪统计培训后就业率", day(2027, 6, 30)),
        ],
    },
    // 附件3 基本公共服务 (A3).
    ReferenceTask {
        code: "RT-A3-01",
        title: "建立易地扶贫搬迁群众子女义务教育台账，确保不因搬迁而辍学",
        basis: "在全面摸清搬迁群众子女入学需求的基础上，建立易地扶贫搬迁群众子女义务教育台账……严格落实义务教育“人籍一致、籍随人走”的工作要求，做好搬迁群众子女转学衔接工作，确保搬迁群众子女不因搬迁而辍学。",
        annex: 3,
        clause: "A3§2",
        lead_leader: VICE_HEAD_EDUCATION,
        responsible: Bureau("education"),
        cooperating: &["public_security"],
        deadline: day(2026, 10, 31),
        stage_goals: &[
            stage("摸清搬迁群众子女入学需求，建立义务教育台账", day(2026, 9, 15)),
            stage("辍学学生全部劝返复学", day(2026, 10, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-02",
        title: "全面落实家庭医生签约服务，定期开展随访",
        basis: "做好搬迁群众慢病服务管理、大病专项救治工作，全面落实家庭医生签约服务，定期开展随访。",
        annex: 3,
        clause: "A3§3",
        lead_leader: VICE_HEAD_HEALTH,
        responsible: Bureau("health"),
        cooperating: &["civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("未签约搬迁群众全部签约", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A3-03",
        title: "安置点饮水设施与迁入城镇一体规划、一体建设",
        basis: "安置点基础设施项目要与迁入城镇一体规划、一体建设，并按照同一标准实施，避免重复建设，不断提升配套基础设施和公共服务水平。",
        annex: 3,
        clause: "A3§1",
        lead_leader: VICE_HEAD_CONSTRUCTION,
        responsible: Bureau("water"),
        cooperating: &["housing"],
        deadline: day(2027, 5, 31),
        stage_goals: &[
            stage("完成王家河安置点二次供水设施改造方案", day(2026, 12, 31)),
            stage("改造完成并通水验收", day(2027, 5, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-04",
        title: "按照“缺什么补什么”建立基础设施和公共服务设施项目需求清单及建设方案",
        basis: "统筹考虑各安置点规模、周边设施情况、现有人口年龄结构特点、人口流量流向和未来发展，按照“缺什么补什么”的原则建立基础设施和公共服务设施项目需求清单及建设方案，逐个予以解决。",
        annex: 3,
        clause: "A3§1",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("drc"),
        cooperating: &["housing", "education", "health", "civil_affairs"],
        deadline: day(2026, 6, 30),
        stage_goals: &[
            stage("逐点摸排基础设施和公共服务设施缺口", day(2026, 4, 30)),
            stage("形成项目需求清单及建设方案", day(2026, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-05",
        title: "加大安置区附近学校幼儿园改扩建力度，确保学位充足",
        basis: "区教育部门要合理规划教育资源布局，加大易地扶贫搬迁安置区附近学校幼儿园改扩建力度，确保安置点附近学校、幼儿园能够提供足够学位，完全满足易地搬迁群众子女入园和义务教育需求。",
        annex: 3,
        clause: "A3§2",
        lead_leader: VICE_HEAD_EDUCATION,
        responsible: Bureau("education"),
        cooperating: &["drc", "finance"],
        deadline: day(2027, 8, 31),
        stage_goals: &[
            stage("完成学位需求测算和改扩建方案", day(2026, 12, 31)),
            stage("改扩建完成并投入使用", day(2027, 8, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-06",
        title: "安置点辖区医疗卫生机构基础达标建设",
        basis: "持续做好安置点辖区医疗卫生机构基础达标建设工作，合理配备医务人员、医疗设备和常用药品，加强基层医务人员业务培训，不断提升医疗卫生机构服务能力。",
        annex: 3,
        clause: "A3§3",
        lead_leader: VICE_HEAD_HEALTH,
        responsible: Bureau("health"),
        cooperating: &["finance"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("配齐医务人员、医疗设备和常用药品", day(2026, 12, 31)),
            stage("安置点辖区医疗卫生机构基础达标", day(2027, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-07",
        title: "做好慢病服务管理、大病专项救治，落实先诊疗后付费",
        basis: "做好搬迁群众慢病服务管理、大病专项救治工作……搬迁贫困人口在全区定点医院住院实行先诊疗后付费。",
        annex: 3,
        clause: "A3§3",
        lead_leader: VICE_HEAD_HEALTH,
        responsible: Bureau("health"),
        cooperating: &["hrss"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("建立搬迁群众慢病管理台账", day(2026, 6, 30)),
            stage("定点医院先诊疗后付费全面落实", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-08",
        title: "将搬迁群众纳入基本医疗保险、大病保险、养老保险范围，确保应保尽保",
        basis: "将搬迁群众及时纳入基本医疗保险、大病保险、养老保险范围，全面落实各项参保政策，确保所有搬迁群众应保尽保，切实保障参保人各项社会权益。",
        annex: 3,
        clause: "A3§4",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["health", "civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("比对搬迁群众参保信息，建立未参保清单", day(2026, 6, 30)),
            stage("搬迁群众应保尽保", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-09",
        title: "落实农村低保、特困人员救助供养和临时救助兜底保障",
        basis: "持续做好农村低保、特困人员救助供养等社会救助兜底保障工作，及时将搬迁群众中符合条件的贫困人口纳入农村低保或特困人员救助供养范围。加大对符合条件的搬迁群众临时救助力度。",
        annex: 3,
        clause: "A3§4",
        lead_leader: VICE_HEAD_CIVIL_AFFAIRS,
        responsible: Bureau("civil_affairs"),
        cooperating: &["poverty"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage(
            "符合条件的搬迁群众全部纳入低保或特困供养范围",
            day(2026, 12, 31),
        )],
    },
    ReferenceTask {
        code: "RT-A3-10",
        title: "确保搬迁群众原有承包地承包权益不变",
        basis: "在做好农村承包地确权登记颁证工作的基础上，确保搬迁后搬迁群众原有承包地（耕地、林地等）依法享有的承包权益不变。",
        annex: 3,
        clause: "A3§4",
        lead_leader: VICE_HEAD_AGRICULTURE,
        responsible: Bureau("agriculture"),
        cooperating: &["natural_resources"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("核对搬迁户承包地确权登记颁证情况", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A3-11",
        title: "加强安置点物业管理企业的监督指导，全面提升物业服务水平",
        basis: "区住建部门要加强安置点物业管理企业的监督指导，全面提升物业服务水平。",
        annex: 3,
        clause: "A3§4",
        lead_leader: VICE_HEAD_CONSTRUCTION,
        responsible: Bureau("housing"),
        cooperating: &[],
        deadline: day(2026, 10, 31),
        stage_goals: &[
            stage("建立物业服务质量检查制度", day(2026, 6, 30)),
            stage("完成两个安置点物业服务质量检查并整改", day(2026, 10, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A3-12",
        title: "优化户籍办理流程，引导搬迁群众户籍有序转移",
        basis: "积极引导搬迁群众将户籍迁移落户至迁入地。对暂时未迁移户籍的群众，可通过办理居住证等形式进行管理……公安部门要进一步优化户籍办理流程，及时做好户口迁移等户籍办理工作。",
        annex: 3,
        clause: "A3§5",
        lead_leader: VICE_HEAD_PUBLIC_SECURITY,
        responsible: Bureau("public_security"),
        cooperating: &["civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage(
            "自愿迁移户籍的全部办结，未迁移的办理居住证",
            day(2026, 12, 31),
        )],
    },
    ReferenceTask {
        code: "RT-A3-13",
        title: "因地制宜建设老年服务中心或文化活动广场",
        basis: "依托现有社区日间照料中心，加强对搬迁群众中老龄人口的服务，按照“缺什么补什么”的原则，对有条件的安置点可结合实际，因地制宜建设老年服务中心或文化活动广场。",
        annex: 3,
        clause: "A3§6",
        lead_leader: VICE_HEAD_CULTURE,
        responsible: Bureau("culture"),
        cooperating: &["civil_affairs"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("确定有条件建设的安置点和建设方案", day(2026, 12, 31)),
            stage("文化活动广场建成投用", day(2027, 6, 30)),
        ],
    },
    // 附件4 社区自治 (A4): civil affairs, finance and the towns.
    ReferenceTask {
        code: "RT-A4-01",
        title: "合理划分移民搬迁社区自治单元",
        basis: "经与黄堡镇、王家河街道办商定，决定将黄堡安置点纳入南寺社区，王家河安置点纳入小街社区，由社区负责管理。",
        annex: 4,
        clause: "A4§2",
        lead_leader: VICE_HEAD_CIVIL_AFFAIRS,
        responsible: Bureau("civil_affairs"),
        cooperating: &[],
        deadline: day(2026, 3, 31),
        stage_goals: &[stage(
            "黄堡安置点纳入南寺社区、王家河安置点纳入小街社区管理",
            day(2026, 3, 31),
        )],
    },
    ReferenceTask {
        code: "RT-A4-02",
        title: "完善居务公开制度，健全公开目录",
        basis: "进一步完善居务公开制度，健全公开目录，及时将移民搬迁社区办事流程、工作进度、执行效果、经费收支等情况进行公开。对移民搬迁群众关心的社区物业管理费、水电费、燃气费定价以及收缴情况及时公开。",
        annex: 4,
        clause: "A4§3.1",
        lead_leader: VICE_HEAD_CIVIL_AFFAIRS,
        responsible: Bureau("civil_affairs"),
        cooperating: &["housing"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("两个安置点居务公开目录全覆盖", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A4-03",
        title: "健全民主协商制度，协商主体中要有一定比例的搬迁群众代表",
        basis: "对需移民搬迁群众投工投劳的公共公益事项，协商主体中要有一定比例的搬迁群众代表，建立健全协商成果采纳、落实和反馈机制。",
        annex: 4,
        clause: "A4§3.2",
        lead_leader: VICE_HEAD_CIVIL_AFFAIRS,
        responsible: Bureau("civil_affairs"),
        cooperating: &["organization"],
        deadline: day(2026, 11, 28),
        stage_goals: &[
            stage("健全居民会议、居民代表会议和居民协商议事会议制度", day(2026, 6, 30)),
            stage("建立协商成果采纳、落实和反馈机制", day(2026, 11, 28)),
        ],
    },
    ReferenceTask {
        code: "RT-A4-04",
        title: "组织涉及搬迁群众的社区干部民主评议和物业服务质量评议（黄堡镇）",
        basis: "对涉及移民搬迁群众的社区干部的民主评议，由街办(乡镇)统一安排部署……有序组织移民搬迁群众对物业服务质量进行评议，维护他们的合法权益。",
        annex: 4,
        clause: "A4§3.3",
        lead_leader: TOWN_PARTY_SECRETARY,
        responsible: Town(HUANGBAO_TOWN),
        cooperating: &["civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("完成年度民主评议", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A4-05",
        title: "组织涉及搬迁群众的社区干部民主评议和物业服务质量评议（王家河街道）",
        basis: "对涉及移民搬迁群众的社区干部的民主评议，由街办(乡镇)统一安排部署……有序组织移民搬迁群众对物业服务质量进行评议，维护他们的合法权益。",
        annex: 4,
        clause: "A4§3.3",
        lead_leader: SUBDISTRICT_PARTY_SECRETARY,
        responsible: Town(WANGJIAHE_SUBDISTRICT),
        cooperating: &["civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("完成年度民主评议", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A4-06",
        title: "足额安排移民搬迁社区办公经费和服务群众专项经费",
        basis: "足额安排移民搬迁社区办公经费和服务群众专项经费，确保工作正常开展。",
        annex: 4,
        clause: "A4§5.3",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("finance"),
        cooperating: &["civil_affairs"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("两个安置社区经费足额拨付", day(2026, 12, 31))],
    },
    // 附件5 增减挂钩 (A5): natural resources and finance.
    ReferenceTask {
        code: "RT-A5-01",
        title: "易地扶贫搬迁旧宅基地腾退复垦全覆盖",
        basis: "严格落实“一户一宅，搬新腾旧”政策，统筹制定扶贫搬迁、同步搬迁腾退复垦实施方案，加快推进易地扶贫搬迁旧宅基地拆旧腾退。对易地扶贫搬迁腾退复垦或复绿的旧宅基地实现全覆盖。",
        annex: 5,
        clause: "A5§1",
        lead_leader: VICE_HEAD_NATURAL_RESOURCES,
        responsible: Bureau("natural_resources"),
        cooperating: &["finance", "agriculture"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("征得农户同意，完成旧宅基地腾退", day(2026, 6, 30)),
            stage("复垦复绿验收并纳入节余指标调剂监管平台", day(2027, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A5-02",
        title: "在增减挂钩收入中按每笔不低于5%计提还款准备金，专账管理",
        basis: "区财政局负责还款统筹……在增减挂钩收入中按照每笔不低于5%的比例计提易地扶贫搬迁还款准备金，专账管理，连同预算安排的偿债资金，用于偿还易地扶贫搬迁债务本息。",
        annex: 5,
        clause: "A5§11",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("finance"),
        cooperating: &["audit"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("设立还款准备金专账", day(2026, 3, 31)),
            stage("全年增减挂钩收入逐笔足额计提", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A5-03",
        title: "分类实施复垦复绿，坚持“先垦后用”",
        basis: "按照宜耕则耕、宜林则林、宜草则草的原则，因地制宜采取整理、复垦、复绿等方式实施旧宅基地整治。对不具备复垦条件的，按照国家规定经自然资源部门认定后，可根据实际情况对迁出区通过生态修复手段复绿。坚持“先垦后用”。",
        annex: 5,
        clause: "A5§3",
        lead_leader: VICE_HEAD_NATURAL_RESOURCES,
        responsible: Bureau("natural_resources"),
        cooperating: &["agriculture"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("逐宗认定复垦、复绿方式", day(2026, 12, 31)),
            stage("复垦复绿完成并验收", day(2027, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A5-04",
        title: "节余指标调剂流转纳入省级监管平台统一管理，禁止二次流转",
        basis: "增减挂钩节余指标调剂流转必须纳入省级监管平台统一管理。禁止指标流入地政府二次流转受让增减挂钩节余指标。",
        annex: 5,
        clause: "A5§8",
        lead_leader: VICE_HEAD_NATURAL_RESOURCES,
        responsible: Bureau("natural_resources"),
        cooperating: &["finance"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("全年调剂流转全部经省级监管平台办理", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A5-05",
        title: "建立增减挂钩指标使用台账，规范管理",
        basis: "有易地扶贫搬迁任务的区域内增减挂钩指标的使用，要一并建立台账，规范管理。",
        annex: 5,
        clause: "A5§9",
        lead_leader: VICE_HEAD_NATURAL_RESOURCES,
        responsible: Bureau("natural_resources"),
        cooperating: &[],
        deadline: day(2026, 9, 30),
        stage_goals: &[stage("建立增减挂钩指标使用台账", day(2026, 9, 30))],
    },
    ReferenceTask {
        code: "RT-A5-06",
        title: "按市域内每亩20万元基准价格流转节余指标",
        basis: "合理确定流转价格，市域内跨区县流转基准价格为每亩20万元，跨市跨区县流转价格上下浮动不超过10%。",
        annex: 5,
        clause: "A5§10",
        lead_leader: VICE_HEAD_NATURAL_RESOURCES,
        responsible: Bureau("natural_resources"),
        cooperating: &["finance"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("全年流转价格符合基准价及浮动幅度", day(2026, 12, 31))],
    },
    // 附件6 党建 (A6): the organization department and the towns' party committees.
    ReferenceTask {
        code: "RT-A6-01",
        title: "全面采集安置点党员信息，规范设置基层党组织",
        basis: "镇（街道）街道党委要全面采集安置点党员信息，按照“便于党员教育管理和作用发挥”的原则，合理设置基层党组织。对安置点有正式党员3人以上的，应设立党支部或党小组……对安置点党员不足3人的，根据属地管理原则，将党员组织关系转入安置点所在地的基层党组织。",
        annex: 6,
        clause: "A6§1.1",
        lead_leader: ORGANIZATION_HEAD,
        responsible: Bureau("organization"),
        cooperating: &[],
        deadline: day(2026, 3, 31),
        stage_goals: &[
            stage("采集安置点党员信息", day(2026, 1, 31)),
            stage("设立党支部或转接组织关系", day(2026, 3, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A6-02",
        title: "严格落实“三会一课”、谈心谈话、民主评议党员等基本制度",
        basis: "严格落实“三会一课”、谈心谈话、民主评议党员等基本制度。健全党组织议事规则，坚持“四议两公开”。",
        annex: 6,
        clause: "A6§1.3",
        lead_leader: ORGANIZATION_HEAD,
        responsible: Bureau("organization"),
        cooperating: &[],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("完成年度民主评议党员", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A6-03",
        title: "党组织班子成员每月至少走访搬迁群众一次（黄堡镇）",
        basis: "党组织班子成员每月至少走访搬迁群众一次，了解掌握和帮助解决搬迁群众生活问题。",
        annex: 6,
        clause: "A6§2.2",
        lead_leader: TOWN_PARTY_SECRETARY,
        responsible: Town(HUANGBAO_TOWN),
        cooperating: &["organization"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("建立班子成员走访台账", day(2026, 1, 31)),
            stage("全年每月走访不断档", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A6-04",
        title: "党组织班子成员每月至少走访搬迁群众一次（王家河街道）",
        basis: "党组织班子成员每月至少走访搬迁群众一次，了解掌握和帮助解决搬迁群众生活问题。",
        annex: 6,
        clause: "A6§2.2",
        lead_leader: SUBDISTRICT_PARTY_SECRETARY,
        responsible: Town(WANGJIAHE_SUBDISTRICT),
        cooperating: &["organization"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("全年每月走访不断档", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A6-05",
        title: "每月至少研判一次安置点党建工作（黄堡镇）",
        basis: "镇（街道）党委要建立安置点党建联系协调机制，每月至少研判一次安置点党建工作。",
        annex: 6,
        clause: "A6§3.1",
        lead_leader: TOWN_PARTY_SECRETARY,
        responsible: Town(HUANGBAO_TOWN),
        cooperating: &["organization"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("全年每月研判不断档", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A6-06",
        title: "每月至少研判一次安置点党建工作（王家河街道）",
        basis: "镇（街道）党委要建立安置点党建联系协调机制，每月至少研判一次安置点党建工作。",
        annex: 6,
        clause: "A6§3.1",
        lead_leader: SUBDISTRICT_PARTY_SECRETARY,
        responsible: Town(WANGJIAHE_SUBDISTRICT),
        cooperating: &["organization"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("全年每月研判不断档", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A6-07",
        title: "及时将搬迁党员的组织关系转到安置地党组织",
        basis: "镇（街道）党委、党员搬迁户原组织关系所在党支部和安置地党支部，要积极对接，及时将搬迁党员的组织关系转到安置地党组织，对尚未办理组织关系转接的搬迁党员，两地党组织要以迁入地党组织为主、搬出地党组织配合。",
        annex: 6,
        clause: "A6§2.1",
        lead_leader: ORGANIZATION_HEAD,
        responsible: Bureau("organization"),
        cooperating: &[],
        deadline: day(2026, 12, 5),
        stage_goals: &[
            stage("摸清未转接组织关系的搬迁党员", day(2026, 6, 30)),
            stage("搬迁党员组织关系转接完毕", day(2026, 12, 5)),
        ],
    },
    // 附件7 落地落实 (A7): the duties of A7§2 not covered above, the towns' plans (A7§3) and
    // supervision and assessment (A7§4).
    ReferenceTask {
        code: "RT-A7-01",
        title: "形成易地扶贫搬迁后续扶持责任清单",
        basis: "区发展和改革局作为易地扶贫搬迁后续扶持牵头部门,要统筹区级相关部门，在组织全面摸清易地搬迁后续扶持基本底数、面临形势、工作目标和主要任务的基础上,做好任务细化分解,明确任务承担部门,提出工作阶段性目标和完成时限要求,形成详尽的责任清单。",
        annex: 7,
        clause: "A7§1",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("drc"),
        cooperating: &["poverty_office"],
        deadline: day(2026, 2, 28),
        stage_goals: &[
            stage("摸清后续扶持基本底数、面临形势、工作目标和主要任务", day(2026, 1, 31)),
            stage("细化分解任务，印发责任清单", day(2026, 2, 28)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-02",
        title: "调度责任清单落实情况，确保各项工作稳步推进",
        basis: "提出工作阶段性目标和完成时限要求,形成详尽的责任清单，确保各项工作稳步推进。",
        annex: 7,
        clause: "A7§1",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("drc"),
        cooperating: &["poverty_office"],
        deadline: day(2026, 12, 31),
        stage_goals: &[
            stage("完成上半年责任清单落实情况调度", day(2026, 6, 30)),
            stage("完成全年责任清单落实情况调度", day(2026, 12, 31)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-03",
        title: "主动叠加各类政策措施，坚持脱贫不脱政策",
        basis: "区扶贫局要主动叠加各类政策措施,坚持脱贫不脱政策,夯实搬迁群众稳定脱贫的长效基础。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_AGRICULTURE,
        responsible: Bureau("poverty"),
        cooperating: &["drc"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("梳理搬迁群众享受的各类帮扶政策", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A7-04",
        title: "开展易地扶贫搬迁资金使用监管",
        basis: "区审计局会同区财政局负责易地扶贫搬迁资金使用监管工作。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("audit"),
        cooperating: &["finance"],
        deadline: day(2026, 12, 4),
        stage_goals: &[
            stage("制定资金使用监管方案", day(2026, 6, 30)),
            stage("完成年度资金使用审计", day(2026, 12, 4)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-05",
        title: "设立城乡建设用地增减挂钩收益共管账户",
        basis: "区财政局负责易地扶贫搬迁项目资金筹集拨付,设立城乡建设用地增减挂钩收益共管账户,保障易地扶贫搬迁债务还款落实落地等工作。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_EXECUTIVE,
        responsible: Bureau("finance"),
        cooperating: &["natural_resources"],
        deadline: day(2026, 6, 30),
        stage_goals: &[stage("开立增减挂钩收益共管账户", day(2026, 6, 30))],
    },
    ReferenceTask {
        code: "RT-A7-06",
        title: "建设社区工厂，吸纳搬迁劳动力就近就业",
        basis: "区人力资源和社会保障局负责有劳动能力搬迁群众的技能培训、就业服务和社区工厂建设。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_HRSS,
        responsible: Bureau("hrss"),
        cooperating: &["agriculture", "finance"],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("确定社区工厂选址和引进企业", day(2026, 12, 31)),
            stage("社区工厂投产并吸纳搬迁劳动力", day(2027, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-07",
        title: "促进实际入住，做好安置房不动产登记",
        basis: "市自然资源局王益分局要及时提供易地扶贫搬迁安置点基础资料,并做好相关工作的衔接配合,重点抓好促进实际入住、旧宅基地腾退复垦、增减挂钩、安置房不动产登记等工作。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_NATURAL_RESOURCES,
        responsible: Bureau("natural_resources"),
        cooperating: &["housing"],
        deadline: day(2026, 12, 31),
        stage_goals: &[stage("安置房不动产登记办结", day(2026, 12, 31))],
    },
    ReferenceTask {
        code: "RT-A7-08",
        title: "安置点道路“大配套”基础设施建设",
        basis: "区级交通、水利、文化、电力、通讯等行业主管部门分别负责道路、饮水、电力、通讯等“大配套”基础设施建设和安置点文化活动设施建设。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_CONSTRUCTION,
        responsible: Bureau("transport"),
        cooperating: &[],
        deadline: day(2027, 6, 30),
        stage_goals: &[
            stage("完成安置点道路配套建设方案", day(2026, 12, 31)),
            stage("道路配套建成通车", day(2027, 6, 30)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-09",
        title: "安置点电力“大配套”基础设施建设",
        basis: "区级交通、水利、文化、电力、通讯等行业主管部门分别负责道路、饮水、电力、通讯等“大配套”基础设施建设和安置点文化活动设施建设。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_CONSTRUCTION,
        responsible: Bureau("power"),
        cooperating: &[],
        deadline: day(2027, 6, 30),
        stage_goals: &[stage("安置点供电线路改造完成", day(2027, 6, 30))],
    },
    ReferenceTask {
        code: "RT-A7-10",
        title: "安置点通讯“大配套”基础设施建设",
        basis: "区级交通、水利、文化、电力、通讯等行业主管部门分别负责道路、饮水、电力、通讯等“大配套”基础设施建设和安置点文化活动设施建设。",
        annex: 7,
        clause: "A7§2",
        lead_leader: VICE_HEAD_CONSTRUCTION,
        responsible: Bureau("telecom"),
        cooperating: &[],
        deadline: day(2027, 6, 30),
        stage_goals: &[stage("安置点宽带和移动网络全覆盖", day(2027, 6, 30))],
    },
    ReferenceTask {
        code: "RT-A7-11",
        title: "制定衔接紧密、精准到户的综合施策方案（黄堡镇）",
        basis: "各安置点镇（办）党委和政府（办事处）要结合本地实际,统筹区域经济发展,积极主动和区级各行业主管部门进行对接,运用产业、就业、教育、生态、健康、兜底等扶贫措施制定衔接紧密、精准到户的综合施策方案。",
        annex: 7,
        clause: "A7§3",
        lead_leader: TOWN_PARTY_SECRETARY,
        responsible: Town(HUANGBAO_TOWN),
        cooperating: &["poverty", "agriculture", "hrss"],
        deadline: day(2026, 11, 15),
        stage_goals: &[
            stage("逐户摸清搬迁户产业、就业、教育、健康、兜底需求", day(2026, 9, 30)),
            stage("一户一策综合施策方案全覆盖", day(2026, 11, 15)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-12",
        title: "制定衔接紧密、精准到户的综合施策方案（王家河街道）",
        basis: "各安置点镇（办）党委和政府（办事处）要结合本地实际,统筹区域经济发展,积极主动和区级各行业主管部门进行对接,运用产业、就业、教育、生态、健康、兜底等扶贫措施制定衔接紧密、精准到户的综合施策方案。",
        annex: 7,
        clause: "A7§3",
        lead_leader: SUBDISTRICT_PARTY_SECRETARY,
        responsible: Town(WANGJIAHE_SUBDISTRICT),
        cooperating: &["poverty", "agriculture", "hrss"],
        deadline: day(2026, 11, 15),
        stage_goals: &[
            stage("逐户摸清搬迁户产业、就业、教育、健康、兜底需求", day(2026, 9, 30)),
            stage("一户一策综合施策方案全覆盖", day(2026, 11, 15)),
        ],
    },
    ReferenceTask {
        code: "RT-A7-13",
        title: "将易地扶贫搬迁后续扶持工作纳入脱贫攻坚成效考核且权重不低于30%",
        basis: "区脱贫攻坚办要将易地扶贫搬迁后续扶持工作开展情况纳入脱贫攻坚成效考核范围且权重不低于30%。",
        annex: 7,
        clause: "A7§4",
        lead_leader: DEPUTY_PARTY_SECRETARY,
        responsible: Bureau("poverty_office"),
        cooperating: &["drc"],
        deadline: day(2026, 3, 31),
        stage_goals: &[stage("印发年度专项考核方案", day(2026, 3, 31))],
    },
    ReferenceTask {
        code: "RT-A7-14",
        title: "组织专项考核，考核结果全区通报并移交区考核办",
        basis: "组织对区级相关行业部门和镇办易地扶贫搬迁后续扶持工作进行专项考核,考核结果在全区范围内予以通报,并移交区考核办,作为年度目标责任考核的重要参考。",
        annex: 7,
        clause: "A7§4",
        lead_leader: DEPUTY_PARTY_SECRETARY,
        responsible: Bureau("poverty_office"),
        cooperating: &["drc"],
        deadline: day(2027, 1, 31),
        stage_goals: &[
            stage("完成专项考核评分", day(2026, 12, 31)),
            stage("考核结果全区通报并移交区考核办", day(2027, 1, 31)),
        ],
    },
];

/// The reference task with this code.
pub fn reference_task(code: &str) -> Option<&'static ReferenceTask> {
    RESPONSIBILITY_LIST.iter().find(|task| task.code == code)
}

/// The task's assignment list in the domain's terms (A7§2), for [`domain::responsibility::validate_task_assignments`].
pub fn assignments_of(task: &ReferenceTask) -> Vec<domain::responsibility::TaskAssignment> {
    use domain::responsibility::{AssignmentRole, TaskAssignment};
    let mut assignments = vec![
        TaskAssignment {
            role: AssignmentRole::LeadLeader,
            assignee: task.lead_leader.to_string(),
        },
        TaskAssignment {
            role: AssignmentRole::ResponsibleDepartment,
            assignee: task.responsible.code().to_string(),
        },
    ];
    assignments.extend(task.cooperating.iter().map(|code| TaskAssignment {
        role: AssignmentRole::CooperatingDepartment,
        assignee: (*code).to_string(),
    }));
    assignments
}

/// Writes the list: tasks, co-operating bureaus and stage goals (none achieved, no history).
pub async fn load_responsibility_list(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    for task in RESPONSIBILITY_LIST {
        domain::responsibility::validate_task_assignments(&assignments_of(task))
            .map_err(|error| anyhow::anyhow!("{}: {error}", task.code))?;
        let (bureau_id, town_id) = match task.responsible {
            ResponsibleUnit::Bureau(code) => {
                (Some(id_where(db, "bureau", "code", code).await?), None)
            }
            ResponsibleUnit::Town(code) => (
                None,
                Some(id_where(db, "town", "division_code", code).await?),
            ),
        };
        let task_id = insert_returning_id(
            db,
            "responsibility_task",
            vec![
                ("code", text(task.code)),
                ("title", text(task.title)),
                ("description", text(task.basis)),
                ("annex", Value::Int(Some(i32::from(task.annex)))),
                ("clause_ref", text(task.clause)),
                ("lead_leader_name", text(task.lead_leader)),
                ("responsible_bureau_id", Value::BigInt(bureau_id)),
                ("responsible_town_id", Value::BigInt(town_id)),
                ("deadline", date(task.deadline)),
            ],
        )
        .await?;
        for code in task.cooperating {
            let cooperating = id_where(db, "bureau", "code", code).await?;
            insert_plain(
                db,
                "task_cooperating_bureau",
                vec![
                    ("task_id", int(task_id)),
                    ("responsible_bureau_id", Value::BigInt(bureau_id)),
                    ("bureau_id", int(cooperating)),
                    ("role", text("配合")),
                ],
            )
            .await?;
        }
        for (seq, goal) in task.stage_goals.iter().enumerate() {
            insert_plain(
                db,
                "task_stage_goal",
                vec![
                    ("task_id", int(task_id)),
                    ("seq", Value::Int(Some(i32::try_from(seq + 1)?))),
                    ("goal", text(goal.goal)),
                    ("deadline", date(goal.deadline)),
                ],
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::reference::{BUREAUS, TOWNS};

    #[test]
    fn every_task_has_one_lead_leader_one_responsible_unit_and_distinct_cooperators() {
        // A7§2: 一项任务一名领导牵头、一个部门负责
        for task in RESPONSIBILITY_LIST {
            assert_eq!(
                domain::responsibility::validate_task_assignments(&assignments_of(task)),
                Ok(()),
                "{}",
                task.code
            );
            assert!(
                !task.cooperating.contains(&task.responsible.code()),
                "{}",
                task.code
            );
        }
    }

    #[test]
    fn codes_are_unique_and_follow_the_annex() {
        let mut codes = HashSet::new();
        for task in RESPONSIBILITY_LIST {
            assert!(codes.insert(task.code), "duplicate {}", task.code);
            assert!((1..=7).contains(&task.annex), "{}", task.code);
            assert!(
                task.code.starts_with(&format!("RT-A{}-", task.annex)),
                "{}",
                task.code
            );
            assert!(
                task.clause.starts_with(&format!("A{}§", task.annex)),
                "{}: {}",
                task.code,
                task.clause
            );
            assert!(task.code.len() <= 32 && task.clause.len() <= 32);
            assert!(task.title.chars().count() <= 200, "{}", task.code);
            assert!(task.lead_leader.chars().count() <= 40, "{}", task.code);
            assert!(!task.basis.is_empty(), "{}", task.code);
        }
        assert!(
            (40..=60).contains(&RESPONSIBILITY_LIST.len()),
            "{} tasks",
            RESPONSIBILITY_LIST.len()
        );
    }

    #[test]
    fn every_unit_named_exists_in_the_reference_data() {
        let bureaus: HashSet<&str> = BUREAUS.iter().map(|b| b.code).collect();
        let towns: HashSet<&str> = TOWNS.iter().map(|t| t.division_code).collect();
        for task in RESPONSIBILITY_LIST {
            match task.responsible {
                ResponsibleUnit::Bureau(code) => assert!(bureaus.contains(code), "{code}"),
                ResponsibleUnit::Town(code) => assert!(towns.contains(code), "{code}"),
            }
            for code in task.cooperating {
                assert!(bureaus.contains(code), "{}: {code}", task.code);
            }
        }
    }

    #[test]
    fn lead_leaders_are_titles_not_names() {
        // Titles end in an office (副区长, 部长, 书记); no personal name is stored.
        for task in RESPONSIBILITY_LIST {
            assert!(
                ["副区长", "部长", "书记"]
                    .iter()
                    .any(|office| task.lead_leader.ends_with(office)),
                "{}: {}",
                task.code,
                task.lead_leader
            );
        }
    }

    #[test]
    fn every_bureau_is_responsible_for_a_task_and_each_town_for_its_own_obligations() {
        // A7§2: every bureau's slice; A6§2.2 and A7§3 fall to the towns.
        for bureau in BUREAUS {
            assert!(
                RESPONSIBILITY_LIST
                    .iter()
                    .any(|t| t.responsible == ResponsibleUnit::Bureau(bureau.code)),
                "{} has no task",
                bureau.code
            );
        }
        for town in TOWNS {
            for clause in ["A1§7", "A4§3.3", "A6§2.2", "A6§3.1", "A7§3"] {
                assert!(
                    RESPONSIBILITY_LIST.iter().any(|t| t.clause == clause
                        && t.responsible == ResponsibleUnit::Town(town.division_code)),
                    "{} has no {clause} task",
                    town.name
                );
            }
        }
    }

    #[test]
    fn the_concrete_obligations_go_to_the_bureau_the_plans_name() {
        let responsible_for = |clause: &str, needle: &str| {
            RESPONSIBILITY_LIST
                .iter()
                .find(|t| t.clause == clause && t.title.contains(needle))
                .map(|t| t.responsible)
        };
        let bureau = ResponsibleUnit::Bureau;
        assert_eq!(
            responsible_for("A3§2", "义务教育台账"),
            Some(bureau("education"))
        );
        assert_eq!(
            responsible_for("A5§1", "旧宅基地腾退复垦全覆盖"),
            Some(bureau("natural_resources"))
        );
        assert_eq!(responsible_for("A5§11", "5%"), Some(bureau("finance")));
        assert_eq!(responsible_for("A2§1", "零就业"), Some(bureau("hrss")));
        assert_eq!(responsible_for("A3§3", "家庭医生"), Some(bureau("health")));
        assert_eq!(
            responsible_for("A4§2", "自治单元"),
            Some(bureau("civil_affairs"))
        );
        assert_eq!(
            responsible_for("A1§2", "利益联结"),
            Some(bureau("agriculture"))
        );
        assert_eq!(responsible_for("A7§1", "责任清单"), Some(bureau("drc")));
    }

    #[test]
    fn deadlines_fall_in_2026_or_2027_and_stage_goals_lead_up_to_them() {
        // A7§1: 阶段性目标和完成时限
        use chrono::Datelike;
        for task in RESPONSIBILITY_LIST {
            assert!(
                (2026..=2027).contains(&task.deadline.year()),
                "{}",
                task.code
            );
            assert!(!task.stage_goals.is_empty(), "{}", task.code);
            let deadlines: Vec<NaiveDate> = task.stage_goals.iter().map(|s| s.deadline).collect();
            assert!(
                deadlines.windows(2).all(|pair| pair[0] <= pair[1]),
                "{}",
                task.code
            );
            assert!(
                deadlines
                    .iter()
                    .all(|d| *d <= task.deadline && d.year() >= 2026),
                "{}",
                task.code
            );
        }
    }
}
