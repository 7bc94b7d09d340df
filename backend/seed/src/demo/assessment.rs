//! Demo rows of the 2026 special assessment (A7§4): follow-up support weighs 30 %, computed indicators owned by the bureaus whose slice they measure, manual scores per unit (one tie) and a deduction.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::responsibility_list::{
    ResponsibleUnit, HUANGBAO_TOWN, RESPONSIBILITY_LIST, WANGJIAHE_SUBDISTRICT,
};
use crate::sql::{boolean, date, id_where, insert_returning_id, int, opt_int, opt_text, text, ymd};

/// Follow-up support's weight in the 2026 poverty-alleviation effectiveness assessment, in
/// basis points (A7§4: at least 30 %).
pub const FOLLOW_UP_WEIGHT_BP: i32 = 3_000;

/// A component of the plan: (code, name, weight in basis points, is follow-up support).
pub const COMPONENTS: &[(&str, &str, i32, bool)] = &[
    (
        "follow_up",
        "易地扶贫搬迁后续扶持",
        FOLLOW_UP_WEIGHT_BP,
        true,
    ),
    (
        "other",
        "脱贫攻坚成效其他内容",
        10_000 - FOLLOW_UP_WEIGHT_BP,
        false,
    ),
];

/// An indicator of the 2026 plan.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub component: &'static str,
    pub clause: &'static str,
    /// `computed` (by the rule named `code`) or `manual`.
    pub method: &'static str,
    /// The bureau whose slice a computed indicator measures; `None`: every unit.
    pub owner_bureau: Option<&'static str>,
    pub applies_to: &'static str,
    pub max_points_hundredths: i32,
    pub description: &'static str,
}

const fn computed(
    code: &'static str,
    name: &'static str,
    clause: &'static str,
    owner_bureau: Option<&'static str>,
    max_points_hundredths: i32,
    description: &'static str,
) -> IndicatorSpec {
    IndicatorSpec {
        code,
        name,
        component: "follow_up",
        clause,
        method: "computed",
        owner_bureau,
        applies_to: "both",
        max_points_hundredths,
        description,
    }
}

/// The indicators; the follow-up component's add up to 100.00 points, and so does `other`'s.
/// A computed indicator's rule code is its own code.
pub const INDICATORS: &[IndicatorSpec] = &[
    computed(
        "on_time_completion",
        "责任清单任务按期完成",
        "A7§1",
        None,
        2_000,
        "被考核单位负责的责任清单任务按期完成情况",
    ),
    computed(
        "zero_employment_resolved",
        "零就业家庭动态清零",
        "A2§1",
        Some("hrss"),
        1_500,
        "有劳动力的搬迁家庭至少一人就业",
    ),
    computed(
        "insurance_coverage",
        "基本医疗、大病、养老保险应保尽保",
        "A3§4",
        Some("hrss"),
        1_000,
        "搬迁群众纳入基本医疗保险、大病保险、养老保险范围",
    ),
    computed(
        "schooling_no_dropouts",
        "义务教育无因搬迁辍学",
        "A3§2",
        Some("education"),
        1_000,
        "义务教育台账中的搬迁群众子女无辍学",
    ),
    computed(
        "family_doctor_contracts",
        "家庭医生签约",
        "A3§3",
        Some("health"),
        1_000,
        "搬迁群众家庭医生签约服务覆盖情况",
    ),
    computed(
        "homestead_reclamation",
        "旧宅基地腾退复垦",
        "A5§1",
        Some("natural_resources"),
        1_000,
        "易地扶贫搬迁旧宅基地腾退复垦（复绿）情况",
    ),
    computed(
        "monthly_party_visits",
        "党组织班子成员每月走访",
        "A6§2.2",
        Some("organization"),
        1_000,
        "安置点党组织班子成员每月至少走访搬迁群众一次",
    ),
    computed(
        "post_training_employment",
        "培训后就业",
        "A2§3",
        Some("hrss"),
        500,
        "参训搬迁劳动力培训后就业情况",
    ),
    IndicatorSpec {
        code: "work_quality",
        name: "工作推进质量（考核组评分）",
        component: "follow_up",
        clause: "A7§4",
        method: "manual",
        owner_bureau: None,
        applies_to: "both",
        max_points_hundredths: 1_000,
        description: "考核组根据跟踪检查、常态暗访和动态研判情况评分",
    },
    IndicatorSpec {
        code: "other_effectiveness",
        name: "脱贫攻坚成效其他内容得分",
        component: "other",
        clause: "A7§4",
        method: "manual",
        owner_bureau: None,
        applies_to: "both",
        max_points_hundredths: 10_000,
        description: "脱贫攻坚成效考核中易地扶贫搬迁后续扶持以外内容的得分",
    },
];

/// A unit's manual scores, in hundredths of a point.
#[derive(Debug, Clone, Copy)]
pub struct ManualScore {
    pub unit: ResponsibleUnit,
    /// `work_quality`, out of 1000.
    pub work_quality: i32,
    /// `other_effectiveness`, out of 10000.
    pub other_effectiveness: i32,
    pub reason: &'static str,
}

const fn manual(
    unit: ResponsibleUnit,
    work_quality: i32,
    other_effectiveness: i32,
    reason: &'static str,
) -> ManualScore {
    ManualScore {
        unit,
        work_quality,
        other_effectiveness,
        reason,
    }
}

use ResponsibleUnit::{Bureau, Town};

/// The units assessed (every bureau responsible for a task, and both towns) with their
/// manual scores. The health and civil-affairs bureaus score the same on both manual
/// indicators ([`TIED_UNITS`]).
pub const MANUAL_SCORES: &[ManualScore] = &[
    manual(
        Bureau("drc"),
        950,
        9_200,
        "牵头统筹有力，责任清单按期印发，调度及时",
    ),
    manual(
        Bureau("poverty"),
        900,
        9_000,
        "政策叠加落实较好，消费扶贫推进有序",
    ),
    manual(
        Bureau("education"),
        760,
        8_300,
        "控辍保学任务逾期，暗访发现问题整改滞后",
    ),
    manual(
        Bureau("health"),
        880,
        8_800,
        "慢病管理和先诊疗后付费落实较好，家庭医生签约尚未启动",
    ),
    manual(
        Bureau("agriculture"),
        910,
        9_100,
        "带贫主体培育和利益联结推进有序",
    ),
    manual(
        Bureau("hrss"),
        920,
        8_900,
        "岗位信息库建设及时，培训补贴兑现逾期",
    ),
    manual(
        Bureau("civil_affairs"),
        880,
        8_800,
        "自治单元划分按期完成，民主协商机制临近期限",
    ),
    manual(
        Bureau("organization"),
        930,
        9_300,
        "安置点党组织设置规范，组织关系转接临近期限",
    ),
    manual(Bureau("housing"), 800, 8_500, "物业服务监督检查任务逾期"),
    manual(Bureau("audit"), 890, 8_700, "资金使用审计有序推进"),
    manual(
        Bureau("finance"),
        940,
        9_400,
        "共管账户按期设立，还款准备金专账管理规范",
    ),
    manual(
        Bureau("natural_resources"),
        860,
        8_600,
        "腾退复垦推进有序，指标使用台账逾期未建",
    ),
    manual(Bureau("transport"), 840, 8_400, "道路配套前期工作推进一般"),
    manual(Bureau("water"), 820, 8_200, "供水改造方案尚未完成"),
    manual(
        Bureau("culture"),
        850,
        8_450,
        "文化活动设施建设前期工作推进一般",
    ),
    manual(Bureau("power"), 870, 8_650, "供电配套前期工作推进有序"),
    manual(Bureau("telecom"), 830, 8_350, "通讯配套前期工作推进一般"),
    manual(
        Bureau("public_security"),
        895,
        8_950,
        "户籍办理流程优化，居住证办理及时",
    ),
    manual(
        Bureau("poverty_office"),
        960,
        9_500,
        "考核方案按期印发，专项考核组织有序",
    ),
    manual(
        Town(HUANGBAO_TOWN),
        925,
        9_250,
        "精准到户方案全覆盖，走访台账齐全",
    ),
    manual(
        Town(WANGJIAHE_SUBDISTRICT),
        780,
        8_100,
        "精准到户方案逾期，10月未研判安置点党建工作",
    ),
];

/// The two units with equal manual scores.
pub const TIED_UNITS: (ResponsibleUnit, ResponsibleUnit) =
    (Bureau("health"), Bureau("civil_affairs"));

/// The deduction of the education bureau for the open finding of the unannounced visit.
pub const EDUCATION_DEDUCTION_HUNDREDTHS: i32 = 200;

fn scored_at() -> Value {
    let moment: Option<DateTime<Utc>> = ymd(2026, 11, 25)
        .and_hms_opt(2, 0, 0)
        .map(|time| time.and_utc());
    Value::ChronoDateTimeUtc(moment.map(Box::new))
}

pub(crate) async fn load_assessment<C: ConnectionTrait>(
    db: &C,
    open_finding: i64,
) -> anyhow::Result<()> {
    let plan = insert_returning_id(
        db,
        "assessment_plan",
        vec![
            ("year", Value::Int(Some(2026))),
            (
                "title",
                text("2026年度易地扶贫搬迁后续扶持工作专项考核方案"),
            ),
            ("follow_up_weight_bp", Value::Int(Some(FOLLOW_UP_WEIGHT_BP))),
            ("status", text("scoring")),
            (
                "notes",
                text("考核结果全区通报，并移交区考核办作为年度目标责任考核重要参考"),
            ),
        ],
    )
    .await?;
    let mut components = std::collections::HashMap::new();
    for (seq, (code, name, weight, follow_up)) in COMPONENTS.iter().enumerate() {
        let id = insert_returning_id(
            db,
            "assessment_plan_component",
            vec![
                ("plan_id", int(plan)),
                ("code", text(*code)),
                ("name", text(*name)),
                ("weight_bp", Value::Int(Some(*weight))),
                ("is_follow_up_support", boolean(*follow_up)),
                ("seq", Value::Int(Some(i32::try_from(seq + 1)?))),
            ],
        )
        .await?;
        components.insert(*code, id);
    }
    let mut indicators = std::collections::HashMap::new();
    for spec in INDICATORS {
        let component = components
            .get(spec.component)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no component {}", spec.component))?;
        let owner = match spec.owner_bureau {
            Some(code) => Some(id_where(db, "bureau", "code", code).await?),
            None => None,
        };
        let id = insert_returning_id(
            db,
            "assessment_indicator",
            vec![
                ("plan_id", int(plan)),
                ("component_id", int(component)),
                ("code", text(spec.code)),
                ("name", text(spec.name)),
                ("method", text(spec.method)),
                (
                    "rule_code",
                    opt_text((spec.method == "computed").then_some(spec.code)),
                ),
                ("owner_bureau_id", opt_int(owner)),
                ("clause_ref", text(spec.clause)),
                ("applies_to", text(spec.applies_to)),
                (
                    "max_points_hundredths",
                    Value::Int(Some(spec.max_points_hundredths)),
                ),
                ("description", text(spec.description)),
            ],
        )
        .await?;
        indicators.insert(spec.code, id);
    }
    let indicator = |code: &str| {
        indicators
            .get(code)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no indicator {code}"))
    };
    for score in MANUAL_SCORES {
        let (kind, bureau, town) = unit_ids(db, score.unit).await?;
        for (code, points, reason) in [
            ("work_quality", score.work_quality, score.reason.to_owned()),
            (
                "other_effectiveness",
                score.other_effectiveness,
                "区考核办提供的脱贫攻坚成效考核其他内容得分".to_owned(),
            ),
        ] {
            insert_returning_id(
                db,
                "assessment_score",
                vec![
                    ("plan_id", int(plan)),
                    ("indicator_id", int(indicator(code)?)),
                    ("subject_kind", text(kind)),
                    ("bureau_id", opt_int(bureau)),
                    ("town_id", opt_int(town)),
                    ("points_hundredths", Value::Int(Some(points))),
                    ("reason", text(reason)),
                    ("scored_at", scored_at()),
                ],
            )
            .await?;
        }
    }
    insert_returning_id(
        db,
        "assessment_deduction",
        vec![
            ("plan_id", int(plan)),
            ("indicator_id", int(indicator("schooling_no_dropouts")?)),
            ("subject_kind", text("bureau")),
            (
                "bureau_id",
                int(id_where(db, "bureau", "code", "education").await?),
            ),
            (
                "points_hundredths",
                Value::Int(Some(EDUCATION_DEDUCTION_HUNDREDTHS)),
            ),
            (
                "reason",
                text("暗访发现安置点1名适龄儿童辍学，未按期（2026-11-20）整改到位"),
            ),
            ("finding_id", int(open_finding)),
            ("decided_on", date(ymd(2026, 11, 26))),
        ],
    )
    .await?;
    Ok(())
}

/// The subject kind and the bureau or town id of a unit.
async fn unit_ids<C: ConnectionTrait>(
    db: &C,
    unit: ResponsibleUnit,
) -> anyhow::Result<(&'static str, Option<i64>, Option<i64>)> {
    Ok(match unit {
        Bureau(code) => (
            "bureau",
            Some(id_where(db, "bureau", "code", code).await?),
            None,
        ),
        Town(code) => (
            "town",
            None,
            Some(id_where(db, "town", "division_code", code).await?),
        ),
    })
}

/// The units the plan assesses: every bureau responsible for a task, and every town.
pub fn assessed_units() -> Vec<ResponsibleUnit> {
    let mut units: Vec<ResponsibleUnit> = Vec::new();
    for task in RESPONSIBILITY_LIST {
        if !units.contains(&task.responsible) {
            units.push(task.responsible);
        }
    }
    for town in crate::reference::TOWNS {
        let unit = Town(town.division_code);
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use domain::assessment::{validate_assessment_weights, AssessmentComponent};
    use domain::money::Percent;

    #[test]
    fn the_plan_weighs_follow_up_support_30_percent() {
        // A7§4: 权重不低于30%
        let components: Vec<AssessmentComponent> = COMPONENTS
            .iter()
            .map(|(_, name, weight, follow_up)| AssessmentComponent {
                name: (*name).to_string(),
                weight: Percent::from_basis_points(i64::from(*weight)),
                is_follow_up_support: *follow_up,
            })
            .collect();
        assert_eq!(validate_assessment_weights(&components), Ok(()));
    }

    #[test]
    fn each_component_has_100_points_and_computed_indicators_name_their_rule() {
        for (component, _, _, _) in COMPONENTS {
            let total: i32 = INDICATORS
                .iter()
                .filter(|i| i.component == *component)
                .map(|i| i.max_points_hundredths)
                .sum();
            assert_eq!(total, 10_000, "{component}");
        }
        let codes: HashSet<&str> = INDICATORS.iter().map(|i| i.code).collect();
        assert_eq!(codes.len(), INDICATORS.len());
        for indicator in INDICATORS {
            if let Some(owner) = indicator.owner_bureau {
                assert!(crate::reference::BUREAUS.iter().any(|b| b.code == owner));
                assert_eq!(indicator.method, "computed", "{}", indicator.code);
            }
        }
    }

    #[test]
    fn every_assessed_unit_has_one_manual_score_within_the_maximum_and_two_tie() {
        let scored: Vec<ResponsibleUnit> = MANUAL_SCORES.iter().map(|s| s.unit).collect();
        let assessed = assessed_units();
        assert_eq!(scored.len(), assessed.len());
        for unit in &assessed {
            assert_eq!(scored.iter().filter(|s| *s == unit).count(), 1, "{unit:?}");
        }
        for score in MANUAL_SCORES {
            assert!((0..=1_000).contains(&score.work_quality));
            assert!((0..=10_000).contains(&score.other_effectiveness));
            assert!(!score.reason.is_empty());
        }
        let of = |unit: ResponsibleUnit| {
            MANUAL_SCORES
                .iter()
                .find(|s| s.unit == unit)
                .map(|s| (s.work_quality, s.other_effectiveness))
        };
        assert_eq!(of(TIED_UNITS.0), of(TIED_UNITS.1));
        assert!(of(TIED_UNITS.0).is_some());
    }
}
