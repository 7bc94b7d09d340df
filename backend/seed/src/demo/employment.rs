//! Demo rows of annex 2: job database, job pushes to zero-employment households, employment spells, training classes and loans.
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::ConnectionTrait;

use super::registry::{DemoPerson, DemoRegistry};
use super::shape::{demo_as_of, ZERO_EMPLOYMENT_HOUSEHOLDS};
use crate::sql::{
    boolean, date, id_where, insert_returning_id, int, opt_date, opt_int, opt_text, text, ymd,
};

/// Household once zero-employment, resolved by a push that led to a hire (A2§1).
pub const RESOLVED_BY_PUSH_HOUSEHOLD: &str = "HB-003";

/// A demo training class: (code, name, speciality, kind, allowance category, class hours,
/// filed on, starts on, ends on, status). Filing dates are chosen against the official
/// working-day calendar of 2026 (A2§3.1: filed ≥ 10 working days before the start).
type ClassSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
    Option<NaiveDate>,
    NaiveDate,
    NaiveDate,
    &'static str,
);

/// `TC-2026-01`, `-02`: filed in time (allowance 20 and 50 yuan per day);
/// `TC-2026-03`: filed only 5 working days before the start, so not subsidy-eligible;
/// `TC-2026-04`: filed exactly 10 working days before the start (the boundary);
/// `TC-2026-05`: planned, not filed yet.
pub fn demo_classes() -> Vec<ClassSpec> {
    vec![
        (
            "TC-2026-01",
            "果树修剪与管护技术培训班",
            "果树栽培",
            "skills",
            "yuan_20",
            40,
            Some(ymd(2026, 3, 30)),
            ymd(2026, 4, 20),
            ymd(2026, 4, 24),
            "finished",
        ),
        (
            "TC-2026-02",
            "家政服务员（育婴、养老护理）培训班",
            "家政服务",
            "order_based",
            "yuan_50",
            96,
            Some(ymd(2026, 5, 18)),
            ymd(2026, 6, 8),
            ymd(2026, 6, 19),
            "finished",
        ),
        (
            "TC-2026-03",
            "农村电商网店运营培训班",
            "电子商务",
            "skills",
            "yuan_20",
            32,
            Some(ymd(2026, 9, 7)),
            ymd(2026, 9, 14),
            ymd(2026, 9, 17),
            "finished",
        ),
        (
            "TC-2026-04",
            "食用菌大棚种植技术培训班",
            "设施农业",
            "directed",
            "yuan_20",
            40,
            Some(ymd(2026, 11, 30)),
            ymd(2026, 12, 14),
            ymd(2026, 12, 18),
            "filed",
        ),
        (
            "TC-2026-05",
            "SYB创业培训班",
            "创业培训",
            "entrepreneurship",
            "yuan_50",
            80,
            None,
            ymd(2027, 3, 8),
            ymd(2027, 3, 19),
            "planned",
        ),
    ]
}

/// The job database of the demo (employers marked 虚构 are fictitious).
/// (level, town division code, employer, title, employment type, vacancies, monthly wage min/max in yuan).
type PostingSpec = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    i32,
    i64,
    i64,
);

const POSTINGS: &[PostingSpec] = &[
    (
        "district",
        None,
        "王益区新兴服装加工社区工厂",
        "缝纫工",
        "community_factory",
        20,
        2_200,
        3_200,
    ),
    (
        "district",
        None,
        "铜川市某物流有限公司（虚构）",
        "分拣员",
        "nearby",
        10,
        2_800,
        3_600,
    ),
    (
        "district",
        None,
        "西安市某建筑劳务有限公司（虚构）",
        "钢筋工",
        "migrant",
        15,
        5_000,
        7_000,
    ),
    (
        "town",
        Some("610202100"),
        "黄堡镇人民政府",
        "安置点保洁公益岗位",
        "public_welfare_post",
        4,
        1_000,
        1_000,
    ),
    (
        "town",
        Some("610202100"),
        "黄堡镇果业专业合作社（虚构）",
        "果园管护工",
        "nearby",
        8,
        2_400,
        3_000,
    ),
    (
        "town",
        Some("610202004"),
        "王家河街道办事处",
        "社区巡逻公益岗位",
        "public_welfare_post",
        3,
        1_000,
        1_000,
    ),
    (
        "town",
        Some("610202004"),
        "王家河食用菌种植基地（虚构）",
        "大棚种植工",
        "nearby",
        6,
        2_300,
        2_900,
    ),
];

/// The kind of job of an employed person (the demo's mix; a public-welfare post for those of
/// partial labour capacity). The scale generator draws the same mix.
pub(crate) fn employment_type_for(rng: &mut ChaCha8Rng, labour_capacity: &str) -> &'static str {
    if labour_capacity == "partial" {
        return "public_welfare_post";
    }
    match rng.gen_range(0..20) {
        0..=7 => "nearby",
        8..=12 => "migrant",
        13..=15 => "community_factory",
        16..=18 => "self_employed",
        _ => "public_welfare_post",
    }
}

/// The (fictitious) employer and the place of a job of `employment_type`.
pub(crate) fn employer_for(employment_type: &str) -> (&'static str, &'static str) {
    match employment_type {
        "nearby" => ("王益区城区商超（虚构）", "铜川市王益区"),
        "migrant" => ("西安市某制造企业（虚构）", "陕西省西安市"),
        "community_factory" => ("王益区新兴服装加工社区工厂", "黄堡镇新镇区"),
        "self_employed" => ("个体经营", "铜川市王益区"),
        _ => ("镇办公益性岗位", "安置点"),
    }
}

/// Loads the annex-2 rows and returns nothing the other loaders need.
pub(crate) async fn load_employment<C: ConnectionTrait>(
    db: &C,
    rng: &mut ChaCha8Rng,
    registry: &DemoRegistry,
) -> anyhow::Result<()> {
    let as_of = demo_as_of();
    let hrss = id_where(db, "bureau", "code", "hrss").await?;

    // The job database.
    let mut postings = Vec::new();
    for (level, town, employer, title, kind, vacancies, wage_min, wage_max) in POSTINGS {
        let town_id = match town {
            Some(code) => Some(id_where(db, "town", "division_code", code).await?),
            None => None,
        };
        let id = insert_returning_id(
            db,
            "job_posting",
            vec![
                ("level", text(*level)),
                ("town_id", opt_int(town_id)),
                ("employer_name", text(*employer)),
                ("title", text(*title)),
                ("employment_type", text(*kind)),
                (
                    "location",
                    text(if town.is_some() {
                        "安置点附近"
                    } else {
                        "铜川市及周边"
                    }),
                ),
                ("vacancies", sea_orm::Value::Int(Some(*vacancies))),
                ("monthly_wage_min_fen", int(wage_min * 100)),
                ("monthly_wage_max_fen", int(wage_max * 100)),
                ("requirements", text("身体健康，能适应岗位要求")),
                ("contact_phone", text("0919-0000000")),
                ("published_on", date(ymd(2026, 9, 1))),
                ("closes_on", date(ymd(2026, 12, 31))),
                ("status", text("open")),
                ("owning_bureau_id", int(hrss)),
            ],
        )
        .await?;
        postings.push((id, *kind, *employer));
    }

    // Employment spells of everybody employed; one earlier, ended spell for some unemployed.
    let mut spell_of = std::collections::HashMap::new();
    for (household, person) in registry.persons() {
        let member = &person.member;
        if member.employment_status == "employed" && household.code != RESOLVED_BY_PUSH_HOUSEHOLD {
            let kind = employment_type_for(rng, person.member.labour_capacity);
            let (employer, location) = employer_for(kind);
            let starts_on = household.relocated_on + Duration::days(rng.gen_range(30..900));
            let income = if kind == "public_welfare_post" {
                1_000
            } else {
                rng.gen_range(22..60) * 100
            };
            let id = insert_returning_id(
                db,
                "employment_spell",
                vec![
                    ("person_id", int(person.id)),
                    ("employment_type", text(kind)),
                    ("employer_name", text(employer)),
                    ("location", text(location)),
                    ("starts_on", date(starts_on.min(as_of))),
                    ("monthly_income_fen", int(income * 100)),
                ],
            )
            .await?;
            spell_of.insert(person.id, id);
        } else if member.employment_status == "unemployed" && rng.gen_bool(0.5) {
            let starts_on = household.relocated_on + Duration::days(rng.gen_range(30..300));
            insert_returning_id(
                db,
                "employment_spell",
                vec![
                    ("person_id", int(person.id)),
                    ("employment_type", text("migrant")),
                    ("employer_name", text("外地建筑工地（虚构）")),
                    ("location", text("陕西省西安市")),
                    ("starts_on", date(starts_on)),
                    (
                        "ends_on",
                        date(starts_on + Duration::days(rng.gen_range(60..240))),
                    ),
                    ("monthly_income_fen", int(rng.gen_range(30..55) * 10_000)),
                ],
            )
            .await?;
        }
    }

    // One-to-one pushes to every labour member of the zero-employment households (A2§1).
    for code in ZERO_EMPLOYMENT_HOUSEHOLDS {
        let household = registry.household(code)?;
        let town_postings: Vec<_> = postings.iter().collect();
        for (k, person) in household
            .members
            .iter()
            .filter(|p| p.member.labour_capacity != "none")
            .enumerate()
        {
            for (round, outcome) in [(0, "declined"), (1, "pending")] {
                let (posting_id, _, _) = town_postings[(k + round * 3) % town_postings.len()];
                let pushed_on =
                    ymd(2026, 10, 12) + Duration::days(i64::from(round as u8) * 28 + k as i64);
                insert_returning_id(
                    db,
                    "job_push",
                    vec![
                        ("job_posting_id", int(*posting_id)),
                        ("household_id", int(household.id)),
                        ("person_id", int(person.id)),
                        ("pushed_on", date(pushed_on)),
                        (
                            "method",
                            text(if round == 0 { "face_to_face" } else { "phone" }),
                        ),
                        ("outcome", text(outcome)),
                        (
                            "outcome_on",
                            opt_date(
                                (outcome != "pending").then_some(pushed_on + Duration::days(3)),
                            ),
                        ),
                        (
                            "notes",
                            text(if outcome == "declined" {
                                "岗位距离较远，需照顾孩子"
                            } else {
                                "已约定面试时间"
                            }),
                        ),
                    ],
                )
                .await?;
            }
        }
    }

    // A formerly zero-employment household resolved by a push: the push led to the spell.
    let resolved = registry.household(RESOLVED_BY_PUSH_HOUSEHOLD)?;
    for person in resolved
        .members
        .iter()
        .filter(|p| p.member.employment_status == "employed")
    {
        let (posting_id, kind, employer) = postings[0];
        let pushed_on = ymd(2026, 3, 2);
        let push_id = insert_returning_id(
            db,
            "job_push",
            vec![
                ("job_posting_id", int(posting_id)),
                ("household_id", int(resolved.id)),
                ("person_id", int(person.id)),
                ("pushed_on", date(pushed_on)),
                ("method", text("face_to_face")),
                ("outcome", text("hired")),
                ("outcome_on", date(pushed_on + Duration::days(14))),
                ("notes", text("一对一推送，已上岗")),
            ],
        )
        .await?;
        let spell = insert_returning_id(
            db,
            "employment_spell",
            vec![
                ("person_id", int(person.id)),
                ("employment_type", text(kind)),
                ("employer_name", text(employer)),
                ("location", text("黄堡镇新镇区")),
                ("job_posting_id", int(posting_id)),
                ("job_push_id", int(push_id)),
                ("starts_on", date(pushed_on + Duration::days(14))),
                ("monthly_income_fen", int(2_600 * 100)),
            ],
        )
        .await?;
        spell_of.insert(person.id, spell);
    }

    // Training institutions and classes (A2§3.1).
    let mut institutions = Vec::new();
    for (code, name) in [
        ("TI-01", "王益区新程职业技能培训学校（虚构）"),
        ("TI-02", "黄堡镇农民田间学校（虚构）"),
    ] {
        institutions.push(
            insert_returning_id(
                db,
                "training_institution",
                vec![
                    ("code", text(code)),
                    ("name", text(name)),
                    ("licence_no", text(format!("{code}-DEMO"))),
                    ("contact_phone", text("0919-0000001")),
                    ("address", text("陕西省铜川市王益区")),
                ],
            )
            .await?,
        );
    }
    let trainees: Vec<&DemoPerson> = registry
        .persons()
        .map(|(_, p)| p)
        .filter(|p| p.member.labour_capacity == "full" && p.member.age < 55)
        .collect();
    let mut trainee_cursor = 0usize;
    for (
        index,
        (code, name, speciality, kind, category, hours, filed_on, starts_on, ends_on, status),
    ) in demo_classes().into_iter().enumerate()
    {
        let class_id = insert_returning_id(
            db,
            "training_class",
            vec![
                (
                    "institution_id",
                    int(institutions[index % institutions.len()]),
                ),
                ("code", text(code)),
                ("name", text(name)),
                ("speciality", text(speciality)),
                ("kind", text(kind)),
                ("allowance_category", text(category)),
                ("class_hours", sea_orm::Value::Int(Some(hours))),
                (
                    "courses",
                    text(format!("{speciality}理论；实操训练；就业指导")),
                ),
                ("capacity", sea_orm::Value::Int(Some(30))),
                ("filed_on", opt_date(filed_on)),
                (
                    "filing_reference",
                    opt_text(
                        filed_on.map(|d| format!("王人社培备〔{}〕{:02}号", d.year(), index + 1)),
                    ),
                ),
                ("starts_on", date(starts_on)),
                ("ends_on", date(ends_on)),
                ("remote_monitored", boolean(filed_on.is_some())),
                ("status", text(status)),
            ],
        )
        .await?;
        if status != "finished" {
            continue;
        }
        let days = (ends_on - starts_on).num_days() + 1;
        // Subsidy only for classes filed in time (A2§3.1): not for TC-2026-03.
        let subsidised = code != "TC-2026-03";
        let rate_fen = if category == "yuan_50" { 5_000 } else { 2_000 };
        for _ in 0..5 {
            let person = trainees[trainee_cursor % trainees.len()];
            trainee_cursor += 1;
            let attended = days - i64::from(rng.gen_bool(0.2));
            let employed_after = spell_of
                .get(&person.id)
                .copied()
                .filter(|_| rng.gen_bool(0.6));
            let enrolment = insert_returning_id(
                db,
                "training_enrolment",
                vec![
                    ("class_id", int(class_id)),
                    ("person_id", int(person.id)),
                    ("enrolled_on", date(starts_on - Duration::days(3))),
                    (
                        "attended_days",
                        sea_orm::Value::Int(Some(i32::try_from(attended)?)),
                    ),
                    ("completed", boolean(attended == days)),
                    (
                        "certificate_no",
                        opt_text((attended == days).then(|| format!("{code}-{trainee_cursor:03}"))),
                    ),
                    ("employed_after_training", boolean(employed_after.is_some())),
                    ("employment_spell_id", opt_int(employed_after)),
                ],
            )
            .await?;
            if subsidised {
                insert_returning_id(
                    db,
                    "training_allowance_payment",
                    vec![
                        ("enrolment_id", int(enrolment)),
                        ("days", sea_orm::Value::Int(Some(i32::try_from(attended)?))),
                        ("daily_rate_fen", int(rate_fen)),
                        ("amount_fen", int(attended * rate_fen)),
                        ("paid_on", date(ends_on + Duration::days(20))),
                        ("voucher_no", text(format!("BT-{code}-{enrolment}"))),
                    ],
                )
                .await?;
            }
        }
    }

    // Entrepreneurship training and two guaranteed start-up loans (A2§2.1).
    let entrepreneurs: Vec<&DemoPerson> = registry
        .persons()
        .map(|(_, p)| p)
        .filter(|p| p.member.labour_capacity == "full" && p.member.age >= 25 && p.member.age < 50)
        .take(2)
        .collect();
    for (k, person) in entrepreneurs.iter().enumerate() {
        insert_returning_id(
            db,
            "entrepreneurship_training",
            vec![
                ("person_id", int(person.id)),
                ("institution_id", int(institutions[0])),
                ("title", text("SYB创业培训")),
                ("starts_on", date(ymd(2025, 11, 3))),
                ("ends_on", date(ymd(2025, 11, 14))),
                ("completed", boolean(true)),
                ("certificate_no", text(format!("SYB-2025-{:03}", k + 1))),
            ],
        )
        .await?;
        let granted = k == 0;
        insert_returning_id(
            db,
            "guaranteed_loan",
            vec![
                ("person_id", int(person.id)),
                ("lender_name", text("铜川某农村商业银行（虚构）")),
                ("contract_no", opt_text(granted.then_some("DB-2026-001"))),
                (
                    "principal_fen",
                    int(if granted { 10_000_000 } else { 5_000_000 }),
                ),
                ("annual_rate_bp", sea_orm::Value::Int(Some(385))),
                ("interest_subsidised", boolean(true)),
                (
                    "business_description",
                    text(if granted {
                        "开办农家乐"
                    } else {
                        "开设电商网店销售苹果"
                    }),
                ),
                ("granted_on", opt_date(granted.then_some(ymd(2026, 1, 15)))),
                ("due_on", opt_date(granted.then_some(ymd(2028, 1, 14)))),
                ("status", text(if granted { "granted" } else { "applied" })),
            ],
        )
        .await?;
    }
    Ok(())
}
