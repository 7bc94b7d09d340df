//! Demo rows of annex 4: the self-governance unit of each site, disclosures, consultations and evaluations.
use sea_orm::{ConnectionTrait, Value};

use super::shape::DEMO_SITES;
use crate::sql::{boolean, date, id_where, insert_returning_id, int, text, ymd};

/// The consultation on a matter needing residents' labour held without relocated
/// representatives (A4§3.2 requires a share of them): an alert example.
pub const CONSULTATION_WITHOUT_REPRESENTATIVES_SITE: &str = "WJH-XFJ";

pub(crate) async fn load_governance<C: ConnectionTrait>(db: &C) -> anyhow::Result<()> {
    for site in DEMO_SITES {
        let site_id = id_where(db, "site", "code", site.site_code).await?;
        let hb = site.household_prefix == "HB";
        let community =
            id_where(db, "community", "code", if hb { "HB-NS" } else { "WJH-XJ" }).await?;
        let town = id_where(
            db,
            "town",
            "division_code",
            if hb { "610202100" } else { "610202004" },
        )
        .await?;
        // A4§2.1/§2.2: in a town planning area with far fewer than 1,000 residents, a new
        // residents' group managed by the nearest urban community.
        insert_returning_id(
            db,
            "site_governance",
            vec![
                ("site_id", int(site_id)),
                ("unit_kind", text("residents_group")),
                ("managed_by_community_id", int(community)),
                (
                    "households_at_decision",
                    Value::Int(Some(i32::try_from(site.households)?)),
                ),
                (
                    "population_at_decision",
                    Value::Int(Some(i32::try_from(site.persons)?)),
                ),
                ("decided_on", date(ymd(2020, 8, 15))),
                (
                    "notes",
                    text(if hb {
                        "经与黄堡镇商定，纳入南寺社区管理"
                    } else {
                        "经与王家河街道办商定，纳入小街社区管理"
                    }),
                ),
            ],
        )
        .await?;
        for (kind, title, on) in [
            (
                "property_fee",
                "2026年度物业管理费收缴情况公示",
                ymd(2026, 1, 15),
            ),
            ("utility_prices", "水、电、燃气价格公示", ymd(2026, 3, 1)),
            ("accounts", "2026年上半年社区经费收支公示", ymd(2026, 7, 10)),
            (
                "funded_project",
                "安置点配套设施项目进展公示",
                ymd(2026, 9, 20),
            ),
        ] {
            insert_returning_id(
                db,
                "public_disclosure",
                vec![
                    ("site_id", int(site_id)),
                    ("community_id", int(community)),
                    ("kind", text(kind)),
                    ("title", text(title)),
                    ("content", text("详见社区公开栏（示例内容）")),
                    ("published_on", date(on)),
                ],
            )
            .await?;
        }
        let without_representatives = site.site_code == CONSULTATION_WITHOUT_REPRESENTATIVES_SITE;
        for (topic, labour, attendees, representatives, adoption, on) in [
            (
                "安置小区环境整治投工投劳安排",
                true,
                25,
                if without_representatives { 0 } else { 9 },
                "adopted",
                ymd(2026, 4, 12),
            ),
            (
                "物业服务收费标准调整",
                false,
                31,
                12,
                "partly_adopted",
                ymd(2026, 9, 8),
            ),
        ] {
            insert_returning_id(
                db,
                "consultation_meeting",
                vec![
                    ("site_id", int(site_id)),
                    ("kind", text("consultation_council")),
                    ("topic", text(topic)),
                    ("held_on", date(on)),
                    ("led_by_party_organisation", boolean(true)),
                    ("involves_resident_labour", boolean(labour)),
                    ("attendees_count", Value::Int(Some(attendees))),
                    (
                        "relocated_representatives_count",
                        Value::Int(Some(representatives)),
                    ),
                    ("outcome", text("形成协商意见，交社区落实")),
                    ("adoption_status", text(adoption)),
                    ("implemented", boolean(adoption == "adopted")),
                    ("feedback", text("已在居民会议上反馈落实情况")),
                    ("feedback_on", date(on + chrono::Duration::days(30))),
                ],
            )
            .await?;
        }
        for (kind, subject, satisfied, basic, dissatisfied, score) in [
            (
                "cadre",
                if hb {
                    "南寺社区两委班子"
                } else {
                    "小街社区两委班子"
                },
                20,
                6,
                1,
                88,
            ),
            (
                "property_service",
                "安置小区物业服务企业（虚构）",
                14,
                9,
                4,
                76,
            ),
        ] {
            insert_returning_id(
                db,
                "democratic_evaluation",
                vec![
                    ("site_id", int(site_id)),
                    ("subject_kind", text(kind)),
                    ("subject_name", text(subject)),
                    ("organised_by_town_id", int(town)),
                    ("year", Value::Int(Some(2026))),
                    ("held_on", date(ymd(2026, 11, 20))),
                    (
                        "participants_count",
                        Value::Int(Some(satisfied + basic + dissatisfied)),
                    ),
                    ("satisfied_count", Value::Int(Some(satisfied))),
                    ("basically_satisfied_count", Value::Int(Some(basic))),
                    ("dissatisfied_count", Value::Int(Some(dissatisfied))),
                    ("score", Value::Int(Some(score))),
                    ("comments", text("服务搬迁群众情况较好，个别维修响应偏慢")),
                ],
            )
            .await?;
        }
    }
    Ok(())
}
