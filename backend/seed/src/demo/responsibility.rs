//! Demo rows of annex 7 on the reference responsibility list, as of 2026-11-28: completions (one late), reviewed and pending progress reports, extensions, task history and supervision.
//!
//! The status of a task is derived (`domain::responsibility::task_status`) from its deadline,
//! its completion date and its progress, which here is the percent of its latest *accepted*
//! report (a submitted or returned report does not count until accepted). The planted cases
//! give the same statuses if the latest report of any status were read instead. On
//! [`demo_as_of`](super::shape::demo_as_of) the tasks stand as listed in [`DONE_TASKS`],
//! [`OVERDUE_TASKS`], [`DUE_SOON_TASKS`], [`ON_TRACK_TASKS`]; every other task is not started
//! (no report, deadline after 2026-12-05).
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::responsibility::{task_status, TaskStatus};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, Value};

use crate::responsibility_list::{reference_task, RESPONSIBILITY_LIST};
use crate::sql::{
    date, id_where, insert_returning_id, int, opt_int, opt_text, text, update_by_id, ymd,
};

/// The day every task of the list was entered (the `created` event of each).
pub fn list_entered_on() -> NaiveDate {
    ymd(2026, 1, 5)
}

/// Tasks completed by the demo date, with their completion day.
pub const COMPLETIONS: &[(&str, (i32, u32, u32))] = &[
    ("RT-A7-01", (2026, 2, 26)),
    ("RT-A2-03", (2026, 3, 25)),
    ("RT-A4-01", (2026, 3, 20)),
    ("RT-A6-01", (2026, 3, 28)),
    ("RT-A7-13", (2026, 3, 30)),
    ("RT-A7-05", (2026, 6, 18)),
    // Completed on its deadline day: still on time.
    ("RT-A3-04", (2026, 6, 30)),
    // Deadline 2026-09-30: completed late.
    ("RT-A2-02", (2026, 10, 16)),
    ("RT-A7-11", (2026, 11, 12)),
];
/// Done on the demo date.
pub const DONE_TASKS: &[&str] = &[
    "RT-A7-01", "RT-A2-03", "RT-A4-01", "RT-A6-01", "RT-A7-13", "RT-A7-05", "RT-A3-04", "RT-A2-02",
    "RT-A7-11",
];
/// The one task completed after its deadline.
pub const COMPLETED_LATE_TASK: &str = "RT-A2-02";
/// Deadline before the demo date and not completed (RT-A5-05 without any report).
pub const OVERDUE_TASKS: &[&str] = &["RT-A3-01", "RT-A3-11", "RT-A5-05", "RT-A7-12"];
/// Deadline within 7 days after the demo date: 2026-11-28 itself (RT-A4-03), 11-30 after an
/// approved extension (RT-A2-01), 12-04 and 12-05 (exactly 7 days, RT-A6-07).
pub const DUE_SOON_TASKS: &[&str] = &["RT-A2-01", "RT-A4-03", "RT-A7-04", "RT-A6-07"];
/// Accepted progress above 0 and a deadline more than 7 days away.
pub const ON_TRACK_TASKS: &[&str] = &[
    "RT-A1-01", "RT-A1-04", "RT-A1-06", "RT-A3-07", "RT-A3-08", "RT-A5-01", "RT-A5-02", "RT-A6-03",
    "RT-A7-02", "RT-A7-14",
];
/// The task whose extension was approved: its deadline moved from 2026-10-31 to 2026-11-30.
pub const EXTENDED_TASK: &str = "RT-A2-01";
/// The task with an extension request still pending on the demo date (overdue meanwhile).
pub const PENDING_EXTENSION_TASK: &str = "RT-A3-01";

/// A progress report of the demo.
#[derive(Debug, Clone, Copy)]
pub struct DemoReport {
    pub task: &'static str,
    /// The stage goal it reports on (1-based), if any.
    pub stage: Option<i32>,
    pub reported_on: (i32, u32, u32),
    pub percent: u8,
    pub narrative: &'static str,
    pub review: Review,
}

/// Where a report stands.
#[derive(Debug, Clone, Copy)]
pub enum Review {
    Submitted,
    Accepted {
        on: (i32, u32, u32),
        comment: &'static str,
    },
    Returned {
        on: (i32, u32, u32),
        comment: &'static str,
    },
}

const fn accepted(on: (i32, u32, u32)) -> Review {
    Review::Accepted {
        on,
        comment: "同意",
    }
}

const fn report(
    task: &'static str,
    stage: Option<i32>,
    reported_on: (i32, u32, u32),
    percent: u8,
    narrative: &'static str,
    review: Review,
) -> DemoReport {
    DemoReport {
        task,
        stage,
        reported_on,
        percent,
        narrative,
        review,
    }
}

/// Every progress report, by task.
pub const REPORTS: &[DemoReport] = &[
    // Done.
    report(
        "RT-A7-01",
        Some(2),
        (2026, 2, 25),
        100,
        "完成基本底数摸排，责任清单经区政府常务会审定后印发",
        Review::Accepted {
            on: (2026, 2, 26),
            comment: "同意，责任清单已印发",
        },
    ),
    report(
        "RT-A2-03",
        Some(2),
        (2026, 3, 24),
        100,
        "区级及两镇办岗位信息库建成，收录岗位312个",
        accepted((2026, 3, 25)),
    ),
    report(
        "RT-A4-01",
        Some(1),
        (2026, 3, 18),
        100,
        "两个安置点分别纳入南寺社区、小街社区，成立居民小组",
        accepted((2026, 3, 20)),
    ),
    report(
        "RT-A6-01",
        Some(1),
        (2026, 1, 30),
        50,
        "完成两个安置点党员信息采集",
        accepted((2026, 2, 2)),
    ),
    report(
        "RT-A6-01",
        Some(2),
        (2026, 3, 27),
        100,
        "黄堡安置点设立党支部，王家河安置点党员组织关系转入小街社区党支部",
        accepted((2026, 3, 28)),
    ),
    report(
        "RT-A7-13",
        Some(1),
        (2026, 3, 27),
        100,
        "2026年度专项考核方案印发，后续扶持权重30%",
        accepted((2026, 3, 30)),
    ),
    report(
        "RT-A7-05",
        Some(1),
        (2026, 6, 17),
        100,
        "增减挂钩收益共管账户已开立",
        accepted((2026, 6, 18)),
    ),
    report(
        "RT-A3-04",
        Some(1),
        (2026, 4, 29),
        50,
        "完成两个安置点设施缺口摸排",
        accepted((2026, 4, 30)),
    ),
    report(
        "RT-A3-04",
        Some(2),
        (2026, 6, 29),
        100,
        "需求清单及建设方案经区政府审定",
        accepted((2026, 6, 30)),
    ),
    report(
        "RT-A2-02",
        Some(1),
        (2026, 6, 28),
        60,
        "上半年培训班均已备案，1个班备案晚于开班前10个工作日，不予补贴",
        accepted((2026, 6, 30)),
    ),
    report(
        "RT-A2-02",
        Some(2),
        (2026, 10, 15),
        100,
        "生活交通费补贴审核兑现完毕（逾期完成）",
        accepted((2026, 10, 16)),
    ),
    report(
        "RT-A7-11",
        Some(1),
        (2026, 9, 29),
        50,
        "逐户摸清黄堡安置点搬迁户需求",
        accepted((2026, 9, 30)),
    ),
    report(
        "RT-A7-11",
        Some(2),
        (2026, 11, 11),
        100,
        "黄堡安置点一户一策综合施策方案全覆盖",
        accepted((2026, 11, 12)),
    ),
    // Overdue.
    report(
        "RT-A3-01",
        Some(1),
        (2026, 9, 14),
        50,
        "义务教育台账建立，覆盖全部适龄搬迁子女",
        accepted((2026, 9, 16)),
    ),
    report(
        "RT-A3-01",
        Some(2),
        (2026, 10, 28),
        80,
        "1名辍学学生正在劝返",
        Review::Returned {
            on: (2026, 10, 30),
            comment: "劝返措施不具体，请补充劝返计划和复学证明后重新报送",
        },
    ),
    report(
        "RT-A3-11",
        Some(1),
        (2026, 7, 28),
        60,
        "物业服务质量检查制度已建立",
        accepted((2026, 7, 30)),
    ),
    report(
        "RT-A7-12",
        Some(2),
        (2026, 11, 20),
        90,
        "王家河安置点综合施策方案完成16户，余2户待完善",
        Review::Submitted,
    ),
    // Due soon.
    report(
        "RT-A2-01",
        Some(1),
        (2026, 6, 29),
        60,
        "零就业搬迁户一对一推送岗位信息",
        accepted((2026, 7, 1)),
    ),
    report(
        "RT-A2-01",
        Some(2),
        (2026, 11, 25),
        85,
        "1户零就业家庭经岗位推送实现就业，3户仍在推送",
        Review::Submitted,
    ),
    report(
        "RT-A4-03",
        Some(1),
        (2026, 6, 29),
        60,
        "两个安置社区居民协商议事会议制度健全",
        accepted((2026, 6, 30)),
    ),
    report(
        "RT-A7-04",
        Some(1),
        (2026, 6, 29),
        50,
        "资金使用监管方案印发",
        accepted((2026, 7, 2)),
    ),
    report(
        "RT-A7-04",
        None,
        (2026, 10, 30),
        70,
        "年度资金使用审计现场工作结束",
        accepted((2026, 11, 2)),
    ),
    report(
        "RT-A6-07",
        Some(1),
        (2026, 6, 29),
        60,
        "未转接组织关系的搬迁党员已摸清",
        accepted((2026, 7, 1)),
    ),
    // On track.
    report(
        "RT-A1-01",
        Some(1),
        (2026, 6, 28),
        50,
        "新培育带贫主体2个，帮扶协议已签订",
        accepted((2026, 6, 30)),
    ),
    report(
        "RT-A1-01",
        None,
        (2026, 11, 20),
        80,
        "利益联结协议履约情况核查中",
        Review::Submitted,
    ),
    report(
        "RT-A1-04",
        Some(1),
        (2026, 9, 28),
        70,
        "两个安置点电子商务服务点建成",
        accepted((2026, 9, 30)),
    ),
    report(
        "RT-A1-06",
        Some(1),
        (2026, 4, 29),
        30,
        "包抓领导干部明确，包抓台账建立",
        accepted((2026, 4, 30)),
    ),
    report(
        "RT-A1-06",
        None,
        (2026, 10, 29),
        70,
        "后续产业扶持任务完成七成",
        accepted((2026, 10, 30)),
    ),
    report(
        "RT-A3-07",
        Some(1),
        (2026, 6, 29),
        50,
        "慢病管理台账建立",
        accepted((2026, 7, 1)),
    ),
    report(
        "RT-A3-07",
        None,
        (2026, 9, 28),
        75,
        "定点医院先诊疗后付费落实",
        accepted((2026, 9, 30)),
    ),
    report(
        "RT-A3-08",
        Some(1),
        (2026, 6, 29),
        60,
        "未参保清单建立",
        accepted((2026, 6, 30)),
    ),
    report(
        "RT-A3-08",
        None,
        (2026, 10, 28),
        90,
        "仅1户医疗保险待办结",
        accepted((2026, 10, 30)),
    ),
    report(
        "RT-A5-01",
        Some(1),
        (2026, 6, 28),
        40,
        "征得农户同意，旧宅基地腾退完成",
        accepted((2026, 6, 30)),
    ),
    report(
        "RT-A5-02",
        Some(1),
        (2026, 3, 30),
        30,
        "还款准备金专账设立",
        accepted((2026, 3, 31)),
    ),
    report(
        "RT-A5-02",
        None,
        (2026, 10, 28),
        80,
        "三笔增减挂钩收入均已按不低于5%计提",
        Review::Returned {
            on: (2026, 10, 30),
            comment: "未附还款准备金专账对账单，请补充后重新报送",
        },
    ),
    report(
        "RT-A6-03",
        Some(1),
        (2026, 1, 30),
        10,
        "班子成员走访台账建立",
        accepted((2026, 2, 2)),
    ),
    report(
        "RT-A6-03",
        None,
        (2026, 10, 30),
        85,
        "1至10月走访记录齐全，9月1名委员未走访已补访",
        accepted((2026, 11, 2)),
    ),
    report(
        "RT-A7-02",
        Some(1),
        (2026, 6, 30),
        50,
        "上半年责任清单落实情况调度完成",
        accepted((2026, 7, 2)),
    ),
    report(
        "RT-A7-14",
        None,
        (2026, 11, 26),
        40,
        "专项考核评分进行中",
        accepted((2026, 11, 27)),
    ),
];

/// Stage goals achieved, besides those of completed tasks (whose stages are all achieved, the
/// last on the completion day): (task, seq, day).
pub const STAGE_ACHIEVEMENTS: &[(&str, i32, (i32, u32, u32))] = &[
    ("RT-A7-01", 1, (2026, 1, 28)),
    ("RT-A2-03", 1, (2026, 2, 26)),
    ("RT-A6-01", 1, (2026, 1, 29)),
    ("RT-A3-04", 1, (2026, 4, 28)),
    ("RT-A2-02", 1, (2026, 6, 26)),
    ("RT-A7-11", 1, (2026, 9, 28)),
    ("RT-A3-01", 1, (2026, 9, 12)),
    ("RT-A3-11", 1, (2026, 6, 26)),
    // Achieved three weeks after its deadline.
    ("RT-A7-12", 1, (2026, 10, 20)),
    ("RT-A2-01", 1, (2026, 6, 27)),
    ("RT-A4-03", 1, (2026, 6, 28)),
    ("RT-A7-04", 1, (2026, 6, 25)),
    ("RT-A6-07", 1, (2026, 6, 29)),
    ("RT-A1-01", 1, (2026, 6, 24)),
    ("RT-A1-04", 1, (2026, 9, 26)),
    ("RT-A1-06", 1, (2026, 4, 28)),
    ("RT-A3-07", 1, (2026, 6, 26)),
    ("RT-A3-08", 1, (2026, 6, 25)),
    ("RT-A5-01", 1, (2026, 6, 25)),
    ("RT-A5-02", 1, (2026, 3, 26)),
    ("RT-A6-03", 1, (2026, 1, 29)),
    ("RT-A7-02", 1, (2026, 6, 30)),
];

/// An extension request of the demo.
#[derive(Debug, Clone, Copy)]
pub struct DemoExtension {
    pub task: &'static str,
    pub requested_on: (i32, u32, u32),
    pub current_deadline: (i32, u32, u32),
    pub requested_deadline: (i32, u32, u32),
    pub reason: &'static str,
    /// The decision day and comment; `None` while pending.
    pub approved: Option<((i32, u32, u32), &'static str)>,
}

pub const EXTENSIONS: &[DemoExtension] = &[
    DemoExtension {
        task: EXTENDED_TASK,
        requested_on: (2026, 10, 20),
        current_deadline: (2026, 10, 31),
        requested_deadline: (2026, 11, 30),
        reason: "部分零就业家庭劳动力外出未归，需延期推送岗位",
        approved: Some(((2026, 10, 24), "同意延期至11月30日")),
    },
    DemoExtension {
        task: PENDING_EXTENSION_TASK,
        requested_on: (2026, 11, 25),
        current_deadline: (2026, 10, 31),
        requested_deadline: (2026, 12, 31),
        reason: "辍学学生随父母外出务工，劝返复学需时",
        approved: None,
    },
];

fn day((year, month, day): (i32, u32, u32)) -> NaiveDate {
    ymd(year, month, day)
}

/// A moment on `date` at `hour:minute` Beijing time (UTC+8), stored in UTC.
fn beijing(date: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    date.and_hms_opt(hour.checked_sub(8)?, minute, 0)
        .map(|time| time.and_utc())
}

fn timestamp(moment: Option<DateTime<Utc>>) -> Value {
    Value::ChronoDateTimeUtc(moment.map(Box::new))
}

/// What happened to a task, in the order it happened.
#[derive(Debug, Clone)]
struct Happening {
    at: DateTime<Utc>,
    kind: &'static str,
    effect: Effect,
    progress_report_id: Option<i64>,
    extension_request_id: Option<i64>,
    note: String,
}

#[derive(Debug, Clone, Copy)]
enum Effect {
    None,
    Progress(u8),
    Deadline(NaiveDate),
    Completed(NaiveDate),
}

/// The derived status on the day of `at`.
fn status_on(
    at: DateTime<Utc>,
    progress: u8,
    deadline: NaiveDate,
    completed: Option<NaiveDate>,
) -> TaskStatus {
    // Days are Beijing days.
    let today = (at + chrono::Duration::hours(8)).date_naive();
    task_status(progress, deadline, today, completed)
}

/// The id of stage goal `seq` of a task.
async fn stage_goal_id<C: ConnectionTrait>(db: &C, task: i64, seq: i32) -> anyhow::Result<i64> {
    let statement = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("task_stage_goal"))
        .and_where(Expr::col(Alias::new("task_id")).eq(task))
        .and_where(Expr::col(Alias::new("seq")).eq(seq))
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&statement))
        .await?
        .ok_or_else(|| anyhow::anyhow!("task {task} has no stage goal {seq}"))?;
    Ok(row.try_get::<i64>("", "id")?)
}

/// The open finding of the unannounced visit (the education bureau's deduction refers to it).
pub(crate) struct Supervision {
    pub open_finding: i64,
}

pub(crate) async fn load_responsibility<C: ConnectionTrait>(db: &C) -> anyhow::Result<Supervision> {
    let mut task_ids = HashMap::new();
    for task in RESPONSIBILITY_LIST {
        task_ids.insert(
            task.code,
            id_where(db, "responsibility_task", "code", task.code).await?,
        );
    }
    let task_id = |code: &str| {
        task_ids
            .get(code)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("{code} is not on the responsibility list"))
    };
    let mut happenings: HashMap<&'static str, Vec<Happening>> = HashMap::new();
    let list_entered =
        beijing(list_entered_on(), 9, 0).ok_or_else(|| anyhow::anyhow!("list entry time"))?;
    for task in RESPONSIBILITY_LIST {
        happenings.entry(task.code).or_default().push(Happening {
            at: list_entered,
            kind: "created",
            effect: Effect::None,
            progress_report_id: None,
            extension_request_id: None,
            note: "责任清单录入".to_owned(),
        });
    }

    // Stage goals achieved; a completed task's last stage on its completion day.
    let mut achievements: Vec<(&str, i32, NaiveDate)> = STAGE_ACHIEVEMENTS
        .iter()
        .map(|(task, seq, on)| (*task, *seq, day(*on)))
        .collect();
    for (code, completed) in COMPLETIONS {
        let task = reference_task(code).ok_or_else(|| anyhow::anyhow!("{code}"))?;
        achievements.push((
            code,
            i32::try_from(task.stage_goals.len())?,
            day(*completed),
        ));
    }
    for (code, seq, on) in achievements {
        let stage = stage_goal_id(db, task_id(code)?, seq).await?;
        update_by_id(
            db,
            "task_stage_goal",
            stage,
            vec![("achieved_on", date(on))],
        )
        .await?;
    }

    // Progress reports and their reviews.
    for spec in REPORTS {
        let task = task_id(spec.task)?;
        let stage = match spec.stage {
            Some(seq) => Some(stage_goal_id(db, task, seq).await?),
            None => None,
        };
        let reported_on = day(spec.reported_on);
        let (status, reviewed_on, comment) = match spec.review {
            Review::Submitted => ("submitted", None, None),
            Review::Accepted { on, comment } => ("accepted", Some(day(on)), Some(comment)),
            Review::Returned { on, comment } => ("returned", Some(day(on)), Some(comment)),
        };
        let reviewed_at = reviewed_on.and_then(|on| beijing(on, 15, 0));
        let id = insert_returning_id(
            db,
            "task_progress_report",
            vec![
                ("task_id", int(task)),
                ("stage_goal_id", opt_int(stage)),
                ("reported_on", date(reported_on)),
                (
                    "percent_complete",
                    Value::Int(Some(i32::from(spec.percent))),
                ),
                ("narrative", text(spec.narrative)),
                ("status", text(status)),
                ("reviewed_at", timestamp(reviewed_at)),
                ("review_comment", opt_text(comment)),
            ],
        )
        .await?;
        let events = happenings.entry(spec.task).or_default();
        let submitted_at = beijing(reported_on, 10, 0)
            .ok_or_else(|| anyhow::anyhow!("report time of {}", spec.task))?;
        events.push(Happening {
            at: submitted_at,
            kind: "report_submitted",
            effect: Effect::None,
            progress_report_id: Some(id),
            extension_request_id: None,
            note: format!("进度{}%", spec.percent),
        });
        if let (Some(at), Some(comment)) = (reviewed_at, comment) {
            let accepted = status == "accepted";
            events.push(Happening {
                at,
                kind: if accepted {
                    "report_accepted"
                } else {
                    "report_returned"
                },
                effect: if accepted {
                    Effect::Progress(spec.percent)
                } else {
                    Effect::None
                },
                progress_report_id: Some(id),
                extension_request_id: None,
                note: comment.to_owned(),
            });
        }
        // The list as issued, attached to the report that closed RT-A7-01.
        if spec.task == "RT-A7-01" && status == "accepted" {
            let content = RESPONSIBILITY_LIST
                .iter()
                .map(|t| format!("{}\t{}\t{}\t{}", t.code, t.title, t.clause, t.deadline))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes();
            let uploaded_at = beijing(reported_on, 10, 5);
            let attachment = insert_returning_id(
                db,
                "task_attachment",
                vec![
                    ("task_id", int(task)),
                    ("progress_report_id", int(id)),
                    ("file_name", text("王益区易地扶贫搬迁后续扶持责任清单.txt")),
                    ("content_type", text("text/plain; charset=utf-8")),
                    ("size_bytes", int(i64::try_from(content.len())?)),
                    ("storage_key", text("demo/RT-A7-01/responsibility-list.txt")),
                    ("uploaded_at", timestamp(uploaded_at)),
                ],
            )
            .await?;
            crate::sql::insert_plain(
                db,
                "task_attachment_content",
                vec![
                    ("attachment_id", int(attachment)),
                    ("bytes", Value::Bytes(Some(Box::new(content)))),
                ],
            )
            .await?;
            if let Some(at) = uploaded_at {
                events.push(Happening {
                    at,
                    kind: "attachment_added",
                    effect: Effect::None,
                    progress_report_id: Some(id),
                    extension_request_id: None,
                    note: "王益区易地扶贫搬迁后续扶持责任清单.txt".to_owned(),
                });
            }
        }
    }

    // Extension requests: an approved one moves the task's deadline (and that of its last
    // stage goal, which ended with the task); a pending one leaves it.
    for spec in EXTENSIONS {
        let task = task_id(spec.task)?;
        let requested_at = beijing(day(spec.requested_on), 9, 0);
        let decided_at = spec.approved.and_then(|(on, _)| beijing(day(on), 16, 0));
        let new_deadline = day(spec.requested_deadline);
        let id = insert_returning_id(
            db,
            "task_extension_request",
            vec![
                ("task_id", int(task)),
                ("requested_at", timestamp(requested_at)),
                ("current_deadline", date(day(spec.current_deadline))),
                ("requested_deadline", date(new_deadline)),
                ("reason", text(spec.reason)),
                (
                    "status",
                    text(if spec.approved.is_some() {
                        "approved"
                    } else {
                        "pending"
                    }),
                ),
                ("decided_at", timestamp(decided_at)),
                (
                    "decision_comment",
                    opt_text(spec.approved.map(|(_, comment)| comment)),
                ),
            ],
        )
        .await?;
        let events = happenings.entry(spec.task).or_default();
        if let Some(at) = requested_at {
            events.push(Happening {
                at,
                kind: "extension_requested",
                effect: Effect::None,
                progress_report_id: None,
                extension_request_id: Some(id),
                note: spec.reason.to_owned(),
            });
        }
        if let (Some(at), Some((_, comment))) = (decided_at, spec.approved) {
            update_by_id(
                db,
                "responsibility_task",
                task,
                vec![("deadline", date(new_deadline))],
            )
            .await?;
            let stages = reference_task(spec.task)
                .map(|t| t.stage_goals.len())
                .unwrap_or(0);
            if stages > 0 {
                let last = stage_goal_id(db, task, i32::try_from(stages)?).await?;
                update_by_id(
                    db,
                    "task_stage_goal",
                    last,
                    vec![("deadline", date(new_deadline))],
                )
                .await?;
            }
            events.push(Happening {
                at,
                kind: "extension_approved",
                effect: Effect::Deadline(new_deadline),
                progress_report_id: None,
                extension_request_id: Some(id),
                note: comment.to_owned(),
            });
        }
    }

    // Completions.
    for (code, completed) in COMPLETIONS {
        let completed = day(*completed);
        update_by_id(
            db,
            "responsibility_task",
            task_id(code)?,
            vec![("completed_on", date(completed))],
        )
        .await?;
        if let Some(at) = beijing(completed, 17, 0) {
            happenings.entry(code).or_default().push(Happening {
                at,
                kind: "completed",
                effect: Effect::Completed(completed),
                progress_report_id: None,
                extension_request_id: None,
                note: String::new(),
            });
        }
    }

    // The history, with the derived status before and after each event.
    let mut events = Vec::new();
    for task in RESPONSIBILITY_LIST {
        let mut progress = 0u8;
        let mut deadline = task.deadline;
        let mut completed = None;
        let mut history = happenings.remove(task.code).unwrap_or_default();
        history.sort_by_key(|happening| happening.at);
        for happening in history {
            let before = status_on(happening.at, progress, deadline, completed);
            match happening.effect {
                Effect::None => {}
                Effect::Progress(percent) => progress = percent,
                Effect::Deadline(new) => deadline = new,
                Effect::Completed(on) => completed = Some(on),
            }
            let after = status_on(happening.at, progress, deadline, completed);
            let before = (happening.kind != "created").then_some(before.code());
            events.push((task.code, happening, before, after.code()));
        }
    }
    events.sort_by(|a, b| (a.1.at, a.0).cmp(&(b.1.at, b.0)));
    for (code, happening, before, after) in events {
        insert_returning_id(
            db,
            "task_event",
            vec![
                ("task_id", int(task_id(code)?)),
                ("kind", text(happening.kind)),
                ("status_before", opt_text(before)),
                ("status_after", text(after)),
                ("occurred_at", timestamp(Some(happening.at))),
                ("progress_report_id", opt_int(happening.progress_report_id)),
                (
                    "extension_request_id",
                    opt_int(happening.extension_request_id),
                ),
                ("note", text(happening.note)),
            ],
        )
        .await?;
    }

    load_supervision(db, &task_id).await
}

/// Supervision (A7§4): a tracking inspection and an unannounced visit, their findings, an
/// interview and a criticism.
async fn load_supervision<C: ConnectionTrait>(
    db: &C,
    task_id: &impl Fn(&str) -> anyhow::Result<i64>,
) -> anyhow::Result<Supervision> {
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
    insert_returning_id(
        db,
        "inspection_finding",
        vec![
            ("inspection_id", int(tracking)),
            ("task_id", int(task_id("RT-A2-02")?)),
            ("responsible_bureau_id", int(hrss)),
            (
                "description",
                text("个别培训班备案晚于开班前10个工作日，不予补贴"),
            ),
            ("severity", text("minor")),
            ("rectification_deadline", date(ymd(2026, 7, 31))),
            ("rectified_on", date(ymd(2026, 7, 20))),
            ("status", text("closed")),
            ("closed_at", timestamp(beijing(ymd(2026, 7, 22), 11, 0))),
            ("closure_note", text("已完成整改并建立备案提醒")),
        ],
    )
    .await?;
    let education_task = task_id("RT-A3-01")?;
    let open_finding = insert_returning_id(
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
            ("finding_id", int(open_finding)),
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
            ("finding_id", int(open_finding)),
            ("interview_id", int(interview)),
        ],
    )
    .await?;
    Ok(Supervision { open_finding })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::demo::shape::demo_as_of;

    /// The status of each task on the demo date from the constants alone, reading progress as
    /// the latest accepted report (or, with `any_report`, the latest report of any status).
    fn planned_statuses(any_report: bool) -> HashMap<&'static str, TaskStatus> {
        let mut out = HashMap::new();
        for task in RESPONSIBILITY_LIST {
            let mut deadline = task.deadline;
            for extension in EXTENSIONS {
                if extension.task == task.code && extension.approved.is_some() {
                    deadline = day(extension.requested_deadline);
                }
            }
            let completed = COMPLETIONS
                .iter()
                .find(|(code, _)| *code == task.code)
                .map(|(_, on)| day(*on));
            let progress = REPORTS
                .iter()
                .filter(|r| r.task == task.code)
                .filter(|r| any_report || matches!(r.review, Review::Accepted { .. }))
                .max_by_key(|r| r.reported_on)
                .map(|r| r.percent)
                .unwrap_or(0);
            out.insert(
                task.code,
                task_status(progress, deadline, demo_as_of(), completed),
            );
        }
        out
    }

    #[test]
    fn the_planted_statuses_hold_whichever_report_counts_as_progress() {
        // A7§1
        for any_report in [false, true] {
            let statuses = planned_statuses(any_report);
            let with = |status: TaskStatus| -> HashSet<&str> {
                statuses
                    .iter()
                    .filter(|(_, s)| **s == status)
                    .map(|(code, _)| *code)
                    .collect()
            };
            assert_eq!(with(TaskStatus::Done), DONE_TASKS.iter().copied().collect());
            assert_eq!(
                with(TaskStatus::Overdue),
                OVERDUE_TASKS.iter().copied().collect()
            );
            assert_eq!(
                with(TaskStatus::DueSoon),
                DUE_SOON_TASKS.iter().copied().collect()
            );
            assert_eq!(
                with(TaskStatus::OnTrack),
                ON_TRACK_TASKS.iter().copied().collect()
            );
            // Not started: no report at all.
            for code in with(TaskStatus::NotStarted) {
                assert!(!REPORTS.iter().any(|r| r.task == code), "{code}");
            }
        }
    }

    #[test]
    fn exactly_one_task_is_completed_late() {
        let late: Vec<&str> = COMPLETIONS
            .iter()
            .filter(|(code, on)| {
                reference_task(code)
                    .is_some_and(|t| domain::responsibility::completed_late(t.deadline, day(*on)))
            })
            .map(|(code, _)| *code)
            .collect();
        assert_eq!(late, vec![COMPLETED_LATE_TASK]);
        assert_eq!(
            DONE_TASKS.iter().copied().collect::<HashSet<_>>(),
            COMPLETIONS.iter().map(|(c, _)| *c).collect()
        );
    }

    #[test]
    fn every_planted_code_is_on_the_list_and_extensions_start_from_the_listed_deadline() {
        for code in REPORTS
            .iter()
            .map(|r| r.task)
            .chain(STAGE_ACHIEVEMENTS.iter().map(|(c, _, _)| *c))
            .chain(COMPLETIONS.iter().map(|(c, _)| *c))
        {
            assert!(reference_task(code).is_some(), "{code}");
        }
        for extension in EXTENSIONS {
            let task = reference_task(extension.task);
            assert_eq!(
                task.map(|t| t.deadline),
                Some(day(extension.current_deadline))
            );
            assert!(day(extension.requested_deadline) > day(extension.current_deadline));
        }
    }

    #[test]
    fn no_report_is_dated_after_the_demo_date_or_reviewed_before_it_was_made() {
        for r in REPORTS {
            assert!(day(r.reported_on) <= demo_as_of(), "{}", r.task);
            assert!(r.percent <= 100);
            if let Review::Accepted { on, .. } | Review::Returned { on, .. } = r.review {
                assert!(day(on) >= day(r.reported_on) && day(on) <= demo_as_of());
            }
        }
    }
}
