//! Demo rows of annex 3: schooling ledger, family doctors, chronic conditions, insurance, social assistance, registration, needs, tickets, facilities.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::{ConnectionTrait, Value};

use super::registry::{DemoHousehold, DemoPerson, DemoRegistry};
use crate::sql::{
    boolean, date, id_where, insert_returning_id, int, opt_date, opt_int, opt_text, text, ymd,
};

/// The household without any family-doctor contract (A3§3 alert).
pub const NO_FAMILY_DOCTOR_HOUSEHOLD: &str = "WJH-003";
/// The household with insurance gaps for 2026 (A3§4 应保尽保): one member's basic medical
/// insurance is pending and another adult has no pension row at all.
pub const INSURANCE_GAP_HOUSEHOLD: &str = "HB-017";
/// 特困 (destitute support) recipient household.
pub const DESTITUTE_SUPPORT_HOUSEHOLD: &str = "HB-002";
/// 低保 (subsistence allowance) recipient households.
pub const SUBSISTENCE_ALLOWANCE_HOUSEHOLDS: &[&str] = &["HB-008", "WJH-006"];
/// Temporary assistance (临时救助), paid once.
pub const TEMPORARY_ASSISTANCE_HOUSEHOLD: &str = "WJH-005";
/// Households that keep their 户籍 at the origin with a residence permit (A3§5).
pub const RESIDENCE_PERMIT_HOUSEHOLDS: &[&str] = &["WJH-011", "HB-021"];
/// A household that kept its registration at the origin and has no permit yet (alert).
pub const KEPT_AT_ORIGIN_HOUSEHOLD: &str = "HB-023";
/// The school year of the demo ledger.
pub const SCHOOL_YEAR: i32 = 2026;

fn at(date: NaiveDate, hour: u32) -> Value {
    let time: DateTime<Utc> =
        Utc.from_utc_datetime(&date.and_hms_opt(hour, 0, 0).unwrap_or_default());
    Value::ChronoDateTimeUtc(Some(Box::new(time)))
}

/// Stage and grade of a child of this age in September of the school year (age on 28 Nov).
fn stage_for_age(age: i32) -> Option<(&'static str, i32)> {
    match age {
        3..=5 => Some(("preschool", 0)),
        6..=11 => Some(("primary", age - 5)),
        12..=14 => Some(("junior_middle", age - 5)),
        15..=17 => Some(("senior_high", age - 5)),
        _ => None,
    }
}

pub(crate) async fn load_services<C: ConnectionTrait>(
    db: &C,
    rng: &mut ChaCha8Rng,
    registry: &DemoRegistry,
) -> anyhow::Result<()> {
    let hb_town = id_where(db, "town", "division_code", "610202100").await?;
    let wjh_town = id_where(db, "town", "division_code", "610202004").await?;
    // Schools (fictitious names).
    let mut schools = std::collections::HashMap::new();
    for (code, name, kind, town, near) in [
        (
            "SCH-HB-K",
            "黄堡镇中心幼儿园（虚构）",
            "kindergarten",
            Some(hb_town),
            true,
        ),
        (
            "SCH-HB-P",
            "黄堡镇中心小学（虚构）",
            "primary",
            Some(hb_town),
            true,
        ),
        (
            "SCH-HB-J",
            "黄堡镇初级中学（虚构）",
            "junior_middle",
            Some(hb_town),
            true,
        ),
        (
            "SCH-WJH-K",
            "王家河街道幼儿园（虚构）",
            "kindergarten",
            Some(wjh_town),
            true,
        ),
        (
            "SCH-WJH-N",
            "王家河九年制学校（虚构）",
            "nine_year",
            Some(wjh_town),
            true,
        ),
        (
            "SCH-SH",
            "王益区高级中学（虚构）",
            "senior_high",
            None,
            false,
        ),
        (
            "SCH-ORIGIN",
            "柳湾村教学点（虚构，迁出地）",
            "primary",
            Some(hb_town),
            false,
        ),
    ] {
        let id = insert_returning_id(
            db,
            "school",
            vec![
                ("code", text(code)),
                ("name", text(name)),
                ("kind", text(kind)),
                ("town_id", opt_int(town)),
                ("address", text("陕西省铜川市王益区")),
                ("seats", Value::Int(Some(if near { 120 } else { 600 }))),
                ("near_site", boolean(near)),
            ],
        )
        .await?;
        schools.insert(code, id);
    }

    // The compulsory-education ledger (A3§2): every child enrolled near the site, except one
    // who dropped out (alert) and one transferred from the origin school (籍随人走).
    let mut dropout_done = false;
    let mut transfer_done = false;
    for (household, person) in registry.persons() {
        let Some((stage, grade)) = stage_for_age(person.member.age) else {
            continue;
        };
        let hb = household.code.starts_with("HB");
        let school = match (stage, hb) {
            ("preschool", true) => "SCH-HB-K",
            ("preschool", false) => "SCH-WJH-K",
            ("primary", true) => "SCH-HB-P",
            ("junior_middle", true) => "SCH-HB-J",
            ("senior_high", _) => "SCH-SH",
            _ => "SCH-WJH-N",
        };
        let enrolled_on = ymd(SCHOOL_YEAR, 9, 1);
        let dropout = !dropout_done && !hb && stage == "junior_middle";
        let transfer = !transfer_done && hb && stage == "primary" && grade >= 3;
        if transfer {
            transfer_done = true;
            insert_returning_id(
                db,
                "school_enrolment",
                vec![
                    ("person_id", int(person.id)),
                    ("school_id", int(schools["SCH-ORIGIN"])),
                    ("stage", text("primary")),
                    ("grade", Value::Int(Some(grade - 2))),
                    ("school_year", Value::Int(Some(SCHOOL_YEAR - 2))),
                    ("status", text("transferred_out")),
                    ("enrolled_on", date(ymd(SCHOOL_YEAR - 2, 9, 1))),
                    (
                        "left_on",
                        date(household.relocated_on.max(ymd(SCHOOL_YEAR - 2, 9, 2))),
                    ),
                    ("leaving_reason", text("随迁转学")),
                ],
            )
            .await?;
        }
        insert_returning_id(
            db,
            "school_enrolment",
            vec![
                ("person_id", int(person.id)),
                ("school_id", int(schools[school])),
                ("stage", text(stage)),
                ("grade", Value::Int(Some(grade))),
                ("school_year", Value::Int(Some(SCHOOL_YEAR))),
                (
                    "status",
                    text(if dropout { "dropped_out" } else { "enrolled" }),
                ),
                ("enrolled_on", date(enrolled_on)),
                (
                    "left_on",
                    opt_date(dropout.then_some(ymd(SCHOOL_YEAR, 10, 20))),
                ),
                (
                    "transferred_from_school_id",
                    opt_int(transfer.then_some(schools["SCH-ORIGIN"])),
                ),
                ("record_at_school", boolean(true)),
                (
                    "leaving_reason",
                    opt_text(dropout.then_some("厌学，离校外出（待劝返）")),
                ),
                ("aid_fen", opt_int((stage != "preschool").then_some(62_500))),
            ],
        )
        .await?;
        dropout_done |= dropout;
    }

    // Family doctors for everybody except one household (A3§3); follow-ups for chronic cases.
    let mut contract_of = std::collections::HashMap::new();
    for (household, person) in registry.persons() {
        if household.code == NO_FAMILY_DOCTOR_HOUSEHOLD {
            continue;
        }
        let hb = household.code.starts_with("HB");
        let id = insert_returning_id(
            db,
            "family_doctor_contract",
            vec![
                ("person_id", int(person.id)),
                (
                    "doctor_name",
                    text(if hb {
                        "医生甲（虚构）"
                    } else {
                        "医生乙（虚构）"
                    }),
                ),
                (
                    "clinic_name",
                    text(if hb {
                        "黄堡镇卫生院（虚构）"
                    } else {
                        "王家河社区卫生服务站（虚构）"
                    }),
                ),
                (
                    "team_name",
                    text(if hb {
                        "黄堡家医1组"
                    } else {
                        "王家河家医1组"
                    }),
                ),
                ("signed_on", date(ymd(2026, 1, 10))),
                ("expires_on", date(ymd(2026, 12, 31))),
                ("status", text("active")),
            ],
        )
        .await?;
        contract_of.insert(person.id, id);
    }
    let mut chronic_count = 0;
    for (household, person) in registry.persons() {
        if person.member.age < 55 || !rng.gen_bool(0.45) {
            continue;
        }
        chronic_count += 1;
        let (code, name) = if chronic_count % 2 == 1 {
            ("I10", "高血压")
        } else {
            ("E11", "2型糖尿病")
        };
        let serious = chronic_count == 3;
        let condition = insert_returning_id(
            db,
            "chronic_condition",
            vec![
                ("person_id", int(person.id)),
                ("condition_code", text(code)),
                ("condition_name", text(name)),
                ("diagnosed_on", date(ymd(2018 + chronic_count % 5, 5, 10))),
                ("under_management", boolean(true)),
                ("serious_illness", boolean(serious)),
                ("treat_first_pay_later", boolean(serious)),
            ],
        )
        .await?;
        // Quarterly follow-ups; the third case's next follow-up is overdue.
        let overdue = chronic_count == 2;
        let last = if overdue {
            ymd(2026, 7, 15)
        } else {
            ymd(2026, 10, 15)
        };
        insert_returning_id(
            db,
            "health_follow_up",
            vec![
                ("person_id", int(person.id)),
                ("contract_id", opt_int(contract_of.get(&person.id).copied())),
                ("chronic_condition_id", int(condition)),
                ("followed_up_on", date(last)),
                (
                    "method",
                    text(if household.code.starts_with("HB") {
                        "home_visit"
                    } else {
                        "clinic"
                    }),
                ),
                ("by_name", text("家庭医生（虚构）")),
                ("notes", text("血压/血糖复查，按时服药")),
                ("next_due_on", date(last + Duration::days(91))),
            ],
        )
        .await?;
    }

    // Insurance for 2026 (A3§4): basic medical and serious illness for all, pension for adults.
    let gap = registry.household(INSURANCE_GAP_HOUSEHOLD)?;
    for (household, person) in registry.persons() {
        let in_gap_household = household.id == gap.id;
        let first_member = household.head().map(|h| h.id) == Some(person.id);
        for kind in ["basic_medical", "serious_illness", "pension"] {
            let adult = person.member.age >= 16
                && person.member.employment_status != "not_in_labour_force"
                || person.member.age >= 60;
            let status = match kind {
                "pension" if !adult => "not_applicable",
                "basic_medical" if in_gap_household && first_member => "pending",
                _ => "enrolled",
            };
            // The gap household's spouse has no pension row at all.
            if kind == "pension" && in_gap_household && person.member.relation == "spouse" {
                continue;
            }
            let premium = match kind {
                "basic_medical" => 38_000,
                "serious_illness" => 0,
                _ => 20_000,
            };
            insert_returning_id(
                db,
                "insurance_enrolment",
                vec![
                    ("person_id", int(person.id)),
                    ("kind", text(kind)),
                    ("year", Value::Int(Some(2026))),
                    ("status", text(status)),
                    (
                        "enrolled_on",
                        opt_date((status == "enrolled").then_some(ymd(2025, 12, 15))),
                    ),
                    (
                        "premium_fen",
                        opt_int((status == "enrolled").then_some(premium)),
                    ),
                    (
                        "subsidy_fen",
                        opt_int((status == "enrolled" && premium > 0).then_some(premium / 2)),
                    ),
                ],
            )
            .await?;
        }
    }

    // Social assistance (A3§4).
    let civil_affairs = id_where(db, "bureau", "code", "civil_affairs").await?;
    let assistance = |household: &DemoHousehold,
                      person: Option<&DemoPerson>,
                      kind: &str,
                      period: &str,
                      amount: i64,
                      starts: NaiveDate,
                      reason: &str| {
        vec![
            ("household_id", int(household.id)),
            ("person_id", opt_int(person.map(|p| p.id))),
            ("kind", text(kind)),
            ("period", text(period)),
            ("amount_fen", int(amount)),
            ("starts_on", date(starts)),
            ("status", text("approved")),
            ("approved_by_bureau_id", int(civil_affairs)),
            ("reason", text(reason)),
        ]
    };
    let destitute = registry.household(DESTITUTE_SUPPORT_HOUSEHOLD)?;
    insert_returning_id(
        db,
        "social_assistance",
        assistance(
            destitute,
            destitute.head(),
            "destitute_support",
            "monthly",
            76_000,
            ymd(2020, 1, 1),
            "无劳动能力、无生活来源、无法定赡养人",
        ),
    )
    .await?;
    for code in SUBSISTENCE_ALLOWANCE_HOUSEHOLDS {
        let household = registry.household(code)?;
        insert_returning_id(
            db,
            "social_assistance",
            assistance(
                household,
                None,
                "subsistence_allowance",
                "monthly",
                45_000,
                ymd(2021, 7, 1),
                "家庭人均收入低于农村低保标准",
            ),
        )
        .await?;
    }
    let temporary = registry.household(TEMPORARY_ASSISTANCE_HOUSEHOLD)?;
    insert_returning_id(
        db,
        "social_assistance",
        assistance(
            temporary,
            None,
            "temporary_assistance",
            "one_off",
            150_000,
            ymd(2026, 8, 20),
            "家庭成员突发疾病，临时生活困难",
        ),
    )
    .await?;

    // 户籍 (A3§5): most transferred; some keep it at the origin with a residence permit.
    for (household, person) in registry.persons() {
        let permit = RESIDENCE_PERMIT_HOUSEHOLDS.contains(&household.code.as_str());
        let kept = household.code == KEPT_AT_ORIGIN_HOUSEHOLD;
        let status = if permit {
            "residence_permit"
        } else if kept {
            "kept_at_origin"
        } else {
            "transferred"
        };
        insert_returning_id(
            db,
            "household_registration",
            vec![
                ("person_id", int(person.id)),
                ("status", text(status)),
                (
                    "transferred_on",
                    opt_date(
                        (status == "transferred")
                            .then_some(household.relocated_on + Duration::days(60)),
                    ),
                ),
                (
                    "residence_permit_no",
                    opt_text(permit.then(|| format!("JZZ-DEMO-{:05}", person.id))),
                ),
                (
                    "permit_issued_on",
                    opt_date(permit.then_some(household.relocated_on + Duration::days(30))),
                ),
                ("origin_rights_retained", boolean(true)),
            ],
        )
        .await?;
    }

    // The needs list of each site (A3§1 缺什么补什么), property tickets and facilities.
    let hb_site = id_where(db, "site", "code", "HB-XZQ").await?;
    let wjh_site = id_where(db, "site", "code", "WJH-XFJ").await?;
    for (site, category, title, bureau, budget, planned, completed, status) in [
        (
            hb_site,
            "elderly_care",
            "建设安置点老年日间照料室",
            "civil_affairs",
            30_000_000,
            Some(ymd(2027, 6, 30)),
            None,
            "in_progress",
        ),
        (
            hb_site,
            "road",
            "硬化安置点至镇区连接道路",
            "transport",
            80_000_000,
            Some(ymd(2025, 10, 31)),
            Some(ymd(2025, 10, 20)),
            "completed",
        ),
        (
            hb_site,
            "culture",
            "建设文化活动广场",
            "culture",
            20_000_000,
            Some(ymd(2027, 9, 30)),
            None,
            "planned",
        ),
        (
            wjh_site,
            "drinking_water",
            "改造二次供水设施",
            "water",
            15_000_000,
            Some(ymd(2027, 5, 31)),
            None,
            "planned",
        ),
        (
            wjh_site,
            "telecom",
            "安置小区光纤入户",
            "telecom",
            5_000_000,
            None,
            None,
            "identified",
        ),
        (
            wjh_site,
            "convenience",
            "设立便民服务点",
            "housing",
            3_000_000,
            Some(ymd(2026, 6, 30)),
            Some(ymd(2026, 6, 18)),
            "completed",
        ),
        (
            wjh_site,
            "employment",
            "建设社区工厂车间",
            "hrss",
            50_000_000,
            Some(ymd(2026, 9, 30)),
            None,
            "in_progress",
        ),
    ] {
        let bureau_id = id_where(db, "bureau", "code", bureau).await?;
        insert_returning_id(
            db,
            "site_need",
            vec![
                ("site_id", int(site)),
                ("category", text(category)),
                ("title", text(title)),
                ("description", text("搬迁群众反映需求，经镇办核实列入清单")),
                ("plan", text("按照“缺什么补什么”原则纳入年度建设计划")),
                ("owning_bureau_id", int(bureau_id)),
                ("budget_fen", int(budget)),
                ("planned_completion_on", opt_date(planned)),
                ("completed_on", opt_date(completed)),
                ("status", text(status)),
            ],
        )
        .await?;
    }
    let ticket_households = [
        registry.household("HB-006")?,
        registry.household("HB-011")?,
        registry.household("WJH-009")?,
    ];
    for (k, (category, description, status)) in [
        ("water", "卫生间水管漏水", "resolved"),
        ("power", "单元楼道灯不亮", "open"),
        ("gas", "燃气表读数异常", "in_progress"),
    ]
    .into_iter()
    .enumerate()
    {
        let household = ticket_households[k];
        let reported = ymd(2026, 11, 2 + 7 * k as u32);
        let resolved = status == "resolved";
        insert_returning_id(
            db,
            "property_ticket",
            vec![
                ("site_id", int(household.site_id)),
                ("household_id", int(household.id)),
                ("category", text(category)),
                ("description", text(description)),
                ("status", text(status)),
                ("reported_at", at(reported, 9)),
                (
                    "assigned_at",
                    if status == "open" {
                        Value::ChronoDateTimeUtc(None)
                    } else {
                        at(reported, 11)
                    },
                ),
                (
                    "resolved_at",
                    if resolved {
                        at(reported + Duration::days(1), 16)
                    } else {
                        Value::ChronoDateTimeUtc(None)
                    },
                ),
                (
                    "assignee_name",
                    opt_text((status != "open").then_some("物业维修员（虚构）")),
                ),
                ("resolution", opt_text(resolved.then_some("更换水管接头"))),
                ("satisfaction", Value::Int(resolved.then_some(5))),
            ],
        )
        .await?;
    }
    for (site, kind, name, status) in [
        (hb_site, "elderly_day_care", "南寺社区日间照料中心", "open"),
        (
            hb_site,
            "community_factory",
            "新镇区服装加工社区工厂（虚构）",
            "open",
        ),
        (hb_site, "clinic", "新镇区卫生室（虚构）", "open"),
        (wjh_site, "convenience_point", "幸福居便民服务点", "open"),
        (wjh_site, "cultural_room", "幸福居文化活动室", "planned"),
    ] {
        insert_returning_id(
            db,
            "site_facility",
            vec![
                ("site_id", int(site)),
                ("kind", text(kind)),
                ("name", text(name)),
                ("operator", text("社区")),
                ("capacity", Value::Int(Some(30))),
                (
                    "opened_on",
                    opt_date((status == "open").then_some(ymd(2021, 5, 1))),
                ),
                ("status", text(status)),
            ],
        )
        .await?;
    }
    Ok(())
}
