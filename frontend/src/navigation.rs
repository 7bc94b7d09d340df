//! Where a signed-in user can go: only the places their roles can use.

use crate::api::model::{domain, Me};
use crate::components::NavItem;

const OVERVIEW: NavItem = NavItem {
    href: "/",
    label: "总览",
    description: "安置点、搬迁户与就业的全区数字",
    testid: "nav-overview",
};

const MY_TASKS: NavItem = NavItem {
    href: "/tasks",
    label: "我的任务",
    description: "本单位的责任任务：哪些逾期、哪些临近期限，报告进展",
    testid: "nav-tasks",
};

const MATRIX: NavItem = NavItem {
    href: "/matrix",
    label: "责任矩阵",
    description: "全区责任清单：各单位逾期与临近期限的任务，审核进展与延期",
    testid: "nav-matrix",
};

const ASSESSMENT: NavItem = NavItem {
    href: "/assessment",
    label: "考核排名",
    description: "专项考核排名与得分明细，下载考核通报",
    testid: "nav-assessment",
};

const LEDGERS: NavItem = NavItem {
    href: "/ledgers",
    label: "台账",
    description: "各部门业务台账：岗位、培训、产业、公共服务、治理、土地、党建",
    testid: "nav-ledgers",
};

const ALERTS: NavItem = NavItem {
    href: "/alerts",
    label: "预警",
    description: "违反实施方案规定的情形：零就业、辍学、应保未保、协议逾期、走访缺失等",
    testid: "nav-alerts",
};

const IMPORTS: NavItem = NavItem {
    href: "/imports",
    label: "数据导入",
    description: "下载模板，导入搬迁户、劳动力台账与学籍台账（先校验，后导入）",
    testid: "nav-imports",
};

/// The places for `me`, in the order of the navigation bar.
pub fn places_for(me: &Me) -> Vec<NavItem> {
    let mut places = vec![OVERVIEW];
    if me.has_unit() {
        places.push(MY_TASKS);
    }
    if me.can_read(domain::RESPONSIBILITY) {
        places.push(MATRIX);
    }
    // The published reports are for every bureau and town; the live ranking needs the domain.
    if me.has_unit() || me.can_read(domain::ASSESSMENT) {
        places.push(ASSESSMENT);
    }
    if ledgers::all().any(|ledger| me.can_read(ledger.read_domain)) {
        places.push(LEDGERS);
    }
    // Alerts belong to bureaus and towns (and the supervisors who see them all).
    if me.has_unit() || me.can_read(domain::RESPONSIBILITY) {
        places.push(ALERTS);
    }
    if IMPORT_DOMAINS.iter().any(|code| me.can_write(code)) {
        places.push(IMPORTS);
    }
    places
}

/// The data domains whose ledgers can be imported from Excel: the registry, the labour
/// ledger, the schooling ledger.
const IMPORT_DOMAINS: [&str; 3] = [domain::IDENTITY, "employment", "education"];
