//! Demo rows of annex 7: the responsibility list with stage goals in every status, progress, supervision and the 2026 special assessment (follow-up weight 30 %).
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::sql::{
    date, id_where, insert_plain, insert_returning_id, int, opt_date, opt_int, text, ymd,
};

/// Follow-up support's weight in the 2026 poverty-alleviation effectiveness assessment, in
/// basis points (A7§4: at least 30 %).
pub const FOLLOW_UP_WEIGHT_BP: i32 = 3_000;

/// (code, title, annex, clause, responsible bureau, cooperating bureaus, deadline, status,
/// stage goals as (goal, deadline, status)).
type TaskSpec = (
    &'static str,
    &'static str,
    i32,
    &'static str,
    &'static str,
    &'static [&'static str],
    NaiveDate,
    &'static str,
    Vec<(&'static str, NaiveDate, &'static str)>,
);

/// One task per slice of A7§2; together the tasks cover every task status and every stage status.
pub fn demo_tasks() -> Vec<TaskSpec> {
    vec![
        (
            "RT-A7-01",
            "制定易地扶贫搬迁后续扶持责任清单",
            7,
            "A7§1",
            "drc",
            &["poverty_office"],
            ymd(2026, 2, 28),
            "completed",
            vec![
                ("摸清后续扶持基本底数", ymd(2026, 1, 31), "achieved"),
                ("印发责任清单", ymd(2026, 2, 28), "achieved"),
            ],
        ),
        (
            "RT-A1-01",
            "培育带贫主体、完善利益联结机制",
            1,
            "A1§2",
            "agriculture",
            &["poverty"],
            ymd(2026, 12, 31),
            "in_progress",
            vec![
                ("新培育带贫主体2个", ymd(2026, 6, 30), "achieved"),
                ("利益联结协议按期履约率100%", ymd(2026, 12, 31), "pending"),
            ],
        ),
        (
            "RT-A2-01",
            "零就业家庭动态清零",
            2,
            "A2§1",
            "hrss",
            &["civil_affairs", "agriculture"],
            ymd(2026, 12, 31),
            "in_progress",
            vec![
                ("建立区、镇两级岗位信息库", ymd(2026, 3, 31), "achieved"),
                ("零就业家庭一对一推送岗位", ymd(2026, 9, 30), "extended"),
                ("有劳动力家庭至少一人就业", ymd(2026, 12, 31), "pending"),
            ],
        ),
        (
            "RT-A2-02",
            "落实培训备案制度，兑现生活交通费补贴",
            2,
            "A2§3.1",
            "hrss",
            &["finance"],
            ymd(2026, 11, 30),
            "completed",
            vec![
                ("培训机构开班前10个工作日备案", ymd(2026, 6, 30), "achieved"),
                ("补贴审核兑现", ymd(2026, 11, 30), "achieved"),
            ],
        ),
        (
            "RT-A3-01",
            "建立义务教育台账，确保不因搬迁辍学",
            3,
            "A3§2",
            "education",
            &["public_security"],
            ymd(2026, 10, 31),
            "overdue",
            vec![
                ("建立义务教育台账", ymd(2026, 9, 15), "achieved"),
                ("辍学学生全部劝返", ymd(2026, 10, 31), "missed"),
            ],
        ),
        (
            "RT-A3-02",
            "家庭医生签约服务全覆盖",
            3,
            "A3§3",
            "health",
            &[],
            ymd(2026, 12, 31),
            "not_started",
            vec![("未签约人员全部签约", ymd(2026, 12, 31), "pending")],
        ),
        (
            "RT-A3-03",
            "王家河安置点二次供水设施改造",
            3,
            "A7§2",
            "water",
            &["housing"],
            ymd(2027, 5, 31),
            "suspended",
            vec![("完成改造方案", ymd(2026, 12, 31), "pending")],
        ),
        (
            "RT-A4-01",
            "划分安置点自治单元",
            4,
            "A4§2",
            "civil_affairs",
            &[],
            ymd(2025, 12, 31),
            "completed",
            vec![("安置点纳入社区管理", ymd(2025, 12, 31), "achieved")],
        ),
        (
            "RT-A5-01",
            "旧宅基地腾退复垦与增减挂钩",
            5,
            "A5§1",
            "natural_resources",
            &["finance"],
            ymd(2027, 6, 30),
            "in_progress",
            vec![
                ("征得农户同意并腾退", ymd(2026, 6, 30), "achieved"),
                ("复垦验收并上平台", ymd(2027, 6, 30), "pending"),
            ],
        ),
        (
            "RT-A5-02",
            "按每笔不低于5%计提还款准备金",
            5,
            "A5§11",
            "finance",
            &["audit"],
            ymd(2026, 12, 31),
            "in_progress",
            vec![
                ("设立还款准备金专户", ymd(2026, 3, 31), "achieved"),
                ("全年收入足额计提", ymd(2026, 12, 31), "pending"),
            ],
        ),
        (
            "RT-A6-01",
            "规范安置点党组织设置",
            6,
            "A6§1.1",
            "organization",
            &[],
            ymd(2026, 3, 31),
            "completed",
            vec![
                ("采集安置点党员信息", ymd(2026, 1, 31), "achieved"),
                ("设立党支部或转接组织关系", ymd(2026, 3, 31), "achieved"),
            ],
        ),
    ]
}

fn at(date: NaiveDate, hour: u32) -> Value {
    let time: DateTime<Utc> =
        Utc.from_utc_datetime(&date.and_hms_opt(hour, 0, 0).unwrap_or_default());
    Value::ChronoDateTimeUtc(Some(Box::new(time)))
}

pub(crate) async fn load_responsibility<C: ConnectionTrait>(db: &C) -> anyhow::Result<()> {
    let mut task_ids = std::collections::HashMap::new();
    for (code, title, annex, clause, bureau, cooperating, deadline, status, stages) in demo_tasks()
    {
        let bureau_id = id_where(db, "bureau", "code", bureau).await?;
        let task = insert_returning_id(
            db,
            "responsibility_task",
            vec![
                ("code", text(code)),
                ("title", text(title)),
                ("description", text(format!("依据附件{annex}，{title}"))),
                ("annex", Value::Int(Some(annex))),
                ("clause_ref", text(clause)),
                // A7§2 责任唯一性: one lead leader, one responsible bureau. Titles, not names.
                ("lead_leader_name", text("分管副区长（虚构）")),
                ("responsible_bureau_id", int(bureau_id)),
                ("deadline", date(deadline)),
                ("status", text(status)),
            ],
        )
        .await?;
        task_ids.insert(code, (task, bureau_id));
        for other in cooperating {
            let other_id = id_where(db, "bureau", "code", other).await?;
            insert_plain(
                db,
                "task_cooperating_bureau",
                vec![
                    ("task_id", int(task)),
                    ("responsible_bureau_id", int(bureau_id)),
                    ("bureau_id", int(other_id)),
                    ("role", text("配合")),
                ],
            )
            .await?;
        }
        let mut stage_ids = Vec::new();
        for (seq, (goal, stage_deadline, stage_status)) in stages.into_iter().enumerate() {
            let achieved =
                (stage_status == "achieved").then_some(stage_deadline - chrono::Duration::days(5));
            stage_ids.push(
                insert_returning_id(
                    db,
                    "task_stage_goal",
                    vec![
                        ("task_id", int(task)),
                        ("seq", Value::Int(Some(i32::try_from(seq + 1)?))),
                        ("goal", text(goal)),
                        ("deadline", date(stage_deadline)),
                        ("achieved_on", opt_date(achieved)),
                        ("status", text(stage_status)),
                    ],
                )
                .await?,
            );
        }
        // Status history from not_started to the current status.
        let mut from: Option<&str> = None;
        let path: &[&str] = match status {
            "not_started" => &[],
            "in_progress" => &["in_progress"],
            "completed" => &["in_progress", "completed"],
            "overdue" => &["in_progress", "overdue"],
            _ => &["in_progress", "suspended"],
        };
        for (k, to) in path.iter().enumerate() {
            insert_returning_id(
                db,
                "task_status_transition",
                vec![
                    ("task_id", int(task)),
                    (
                        "from_status",
                        Value::String(Some(Box::new(from.unwrap_or("not_started").to_owned()))),
                    ),
                    ("to_status", text(*to)),
                    ("changed_at", at(ymd(2026, 1 + 4 * k as u32, 15), 10)),
                    (
                        "reason",
                        text(if *to == "suspended" {
                            "资金未到位，暂缓实施"
                        } else {
                            ""
                        }),
                    ),
                ],
            )
            .await?;
            from = Some(to);
        }
        // Progress reports: accepted, returned and submitted ones.
        if matches!(status, "in_progress" | "overdue" | "completed") {
            for (k, (report_status, percent)) in [
                ("accepted", 50),
                (
                    if status == "overdue" {
                        "returned"
                    } else {
                        "submitted"
                    },
                    80,
                ),
            ]
            .into_iter()
            .enumerate()
            {
                let reported = ymd(2026, 6 + 4 * k as u32, 28);
                let reviewed = report_status != "submitted";
                insert_returning_id(
                    db,
                    "task_progress_report",
                    vec![
                        ("task_id", int(task)),
                        ("stage_goal_id", opt_int(stage_ids.get(k).copied())),
                        ("reporting_bureau_id", int(bureau_id)),
                        ("reported_on", date(reported)),
                        (
                            "percent_complete",
                            Value::Int(Some(if status == "completed" { 100 } else { percent })),
                        ),
                        ("narrative", text("按阶段目标推进，详见附件")),
                        ("status", text(report_status)),
                        (
                            "reviewed_at",
                            if reviewed {
                                at(reported + chrono::Duration::days(3), 15)
                            } else {
                                Value::ChronoDateTimeUtc(None)
                            },
                        ),
                        (
                            "review_comment",
                            Value::String(reviewed.then(|| {
                                Box::new(
                                    if report_status == "returned" {
                                        "劝返措施不具体，请补充"
                                    } else {
                                        "同意"
                                    }
                                    .to_owned(),
                                )
                            })),
                        ),
                    ],
                )
                .await?;
            }
        }
        if code == "RT-A2-01" || code == "RT-A3-01" {
            let approved = code == "RT-A2-01";
            let stage = stage_ids.get(1).copied();
            let current = if approved {
                ymd(2026, 9, 30)
            } else {
                ymd(2026, 10, 31)
            };
            insert_returning_id(
                db,
                "task_extension_request",
                vec![
                    ("task_id", int(task)),
                    ("stage_goal_id", opt_int(stage)),
                    ("requested_at", at(current - chrono::Duration::days(10), 9)),
                    ("current_deadline", date(current)),
                    (
                        "requested_deadline",
                        date(current + chrono::Duration::days(60)),
                    ),
                    (
                        "reason",
                        text(if approved {
                            "部分劳动力外出未归，需延期推送"
                        } else {
                            "学生离校外出，劝返需时"
                        }),
                    ),
                    (
                        "status",
                        text(if approved { "approved" } else { "pending" }),
                    ),
                    (
                        "decided_at",
                        if approved {
                            at(current - chrono::Duration::days(5), 16)
                        } else {
                            Value::ChronoDateTimeUtc(None)
                        },
                    ),
                    (
                        "decision_comment",
                        Value::String(approved.then(|| Box::new("同意延期至11月底".to_owned()))),
                    ),
                ],
            )
            .await?;
        }
    }

    // Supervision (A7§4): a tracking inspection and an unannounced visit, findings, an
    // interview and a criticism.
    let education = id_where(db, "bureau", "code", "education").await?;
    let hrss = id_where(db, "bureau", "code", "hrss").await?;
    let wjh_town = id_where(db, "town", "division_code", "610202004").await?;
    let wjh_site = id_where(db, "site", "code", "WJH-XFJ").await?;
    let tracking = insert_returning_id(
        db,
        "inspection",
        vec![
            ("kind", text("tracking")),
            ("year", Value::Int(Some(2026))),
            ("inspected_on", date(ymd(2026, 6, 16))),
            ("team", text("区委办、区政府办联合督查组")),
            ("bureau_id", int(hrss)),
            ("summary", text("培训备案及补贴兑现情况跟踪检查")),
        ],
    )
    .await?;
    let unannounced = insert_returning_id(
        db,
        "inspection",
        vec![
            ("kind", text("unannounced")),
            ("year", Value::Int(Some(2026))),
            ("inspected_on", date(ymd(2026, 11, 3))),
            ("team", text("区委办暗访组")),
            ("town_id", int(wjh_town)),
            ("site_id", int(wjh_site)),
            ("summary", text("王家河安置点常态暗访")),
        ],
    )
    .await?;
    let (education_task, _) = task_ids["RT-A3-01"];
    let (training_task, _) = task_ids["RT-A2-02"];
    insert_returning_id(
        db,
        "inspection_finding",
        vec![
            ("inspection_id", int(tracking)),
            ("task_id", int(training_task)),
            ("responsible_bureau_id", int(hrss)),
            (
                "description",
                text("个别培训班备案晚于开班前10个工作日，不予补贴"),
            ),
            ("severity", text("minor")),
            ("rectification_deadline", date(ymd(2026, 7, 31))),
            ("rectified_on", date(ymd(2026, 7, 20))),
            ("status", text("closed")),
            ("closed_at", at(ymd(2026, 7, 22), 11)),
            ("closure_note", text("已完成整改并建立备案提醒")),
        ],
    )
    .await?;
    let finding = insert_returning_id(
        db,
        "inspection_finding",
        vec![
            ("inspection_id", int(unannounced)),
            ("task_id", int(education_task)),
            ("responsible_bureau_id", int(education)),
            ("town_id", int(wjh_town)),
            ("description", text("安置点1名适龄儿童辍学，未及时劝返")),
            ("severity", text("major")),
            ("rectification_deadline", date(ymd(2026, 11, 20))),
            ("status", text("rectifying")),
        ],
    )
    .await?;
    let interview = insert_returning_id(
        db,
        "interview",
        vec![
            ("held_on", date(ymd(2026, 11, 24))),
            ("bureau_id", int(education)),
            ("interviewee_name", text("区教科体局负责人（虚构）")),
            ("interviewer_name", text("区委办负责人（虚构）")),
            ("reason", text("控辍保学任务逾期、整改滞后")),
            ("finding_id", int(finding)),
            ("task_id", int(education_task)),
        ],
    )
    .await?;
    insert_returning_id(
        db,
        "accountability_consequence",
        vec![
            ("kind", text("criticism")),
            ("bureau_id", int(education)),
            ("person_name", text("区教科体局分管负责人（虚构）")),
            ("decided_on", date(ymd(2026, 11, 26))),
            ("decided_by", text("区委办公室")),
            ("reason", text("工作进度滞后，批评教育")),
            ("finding_id", int(finding)),
            ("interview_id", int(interview)),
        ],
    )
    .await?;

    // The 2026 special assessment (A7§4).
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
    let mut components = Vec::new();
    for (seq, (code, name, weight)) in [
        ("follow_up", "易地扶贫搬迁后续扶持", FOLLOW_UP_WEIGHT_BP),
        (
            "other",
            "脱贫攻坚成效其他内容",
            10_000 - FOLLOW_UP_WEIGHT_BP,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        components.push(
            insert_returning_id(
                db,
                "assessment_plan_component",
                vec![
                    ("plan_id", int(plan)),
                    ("code", text(code)),
                    ("name", text(name)),
                    ("weight_bp", Value::Int(Some(weight))),
                    ("seq", Value::Int(Some(i32::try_from(seq + 1)?))),
                ],
            )
            .await?,
        );
    }
    let mut indicators = Vec::new();
    for (code, name, clause, applies_to, max) in [
        ("industry", "产业扶持与利益联结", "A1", "both", 2_000),
        (
            "employment",
            "就业帮扶与零就业家庭清零",
            "A2§1",
            "both",
            2_500,
        ),
        ("services", "基本公共服务保障", "A3", "both", 2_000),
        ("governance", "社区自治与党建", "A4/A6", "town", 1_500),
        ("land", "增减挂钩与还款准备金", "A5", "bureau", 2_000),
    ] {
        indicators.push((
            insert_returning_id(
                db,
                "assessment_indicator",
                vec![
                    ("plan_id", int(plan)),
                    ("component_id", int(components[0])),
                    ("code", text(code)),
                    ("name", text(name)),
                    ("method", text("manual")),
                    ("clause_ref", text(clause)),
                    ("applies_to", text(applies_to)),
                    ("max_points_hundredths", Value::Int(Some(max))),
                ],
            )
            .await?,
            applies_to,
            max,
        ));
    }
    let towns = [
        id_where(db, "town", "division_code", "610202100").await?,
        wjh_town,
    ];
    let bureaus = [
        ("hrss", id_where(db, "bureau", "code", "hrss").await?),
        ("education", education),
        (
            "agriculture",
            id_where(db, "bureau", "code", "agriculture").await?,
        ),
    ];
    for (k, (indicator, applies_to, max)) in indicators.iter().enumerate() {
        if *applies_to != "bureau" {
            for (t, town) in towns.iter().enumerate() {
                insert_returning_id(
                    db,
                    "assessment_score",
                    vec![
                        ("plan_id", int(plan)),
                        ("indicator_id", int(*indicator)),
                        ("subject_kind", text("town")),
                        ("town_id", int(*town)),
                        (
                            "points_hundredths",
                            Value::Int(Some(max - 100 * (t as i32 + k as i32 % 3))),
                        ),
                        ("reason", text("按考核细则评分")),
                        ("scored_at", at(ymd(2026, 11, 25), 10)),
                    ],
                )
                .await?;
            }
        }
        if *applies_to != "town" {
            for (b, (_, bureau)) in bureaus.iter().enumerate() {
                insert_returning_id(
                    db,
                    "assessment_score",
                    vec![
                        ("plan_id", int(plan)),
                        ("indicator_id", int(*indicator)),
                        ("subject_kind", text("bureau")),
                        ("bureau_id", int(*bureau)),
                        (
                            "points_hundredths",
                            Value::Int(Some(max - 50 * (b as i32 + 1))),
                        ),
                        ("reason", text("按考核细则评分")),
                        ("scored_at", at(ymd(2026, 11, 25), 11)),
                    ],
                )
                .await?;
            }
        }
    }
    insert_returning_id(
        db,
        "assessment_deduction",
        vec![
            ("plan_id", int(plan)),
            ("indicator_id", int(indicators[2].0)),
            ("subject_kind", text("bureau")),
            ("bureau_id", int(education)),
            ("points_hundredths", Value::Int(Some(200))),
            ("reason", text("暗访发现辍学问题未按期整改")),
            ("finding_id", int(finding)),
            ("decided_on", date(ymd(2026, 11, 26))),
        ],
    )
    .await?;
    Ok(())
}
