//! Demo rows of annex 1: business entities driving poverty reduction, their benefit linkages with households, and sales channels.
use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::ConnectionTrait;

use super::registry::DemoRegistry;
use super::shape::demo_as_of;
use crate::sql::{
    boolean, date, id_where, insert_plain, insert_returning_id, int, opt_date, opt_int, opt_text,
    text, ymd,
};

/// The household whose linkage payment is overdue (A1§2: 按期履责履约).
pub const OVERDUE_LINKAGE_HOUSEHOLD: &str = "WJH-008";
/// Households with a benefit linkage, in order; kinds cycle through all twelve kinds.
pub const LINKED_HOUSEHOLDS: &[&str] = &[
    "HB-001", "HB-005", "HB-006", "HB-009", "HB-010", "HB-014", "HB-018", "HB-020", "HB-025",
    "WJH-001", "WJH-004", "WJH-008", "WJH-010", "WJH-014",
];

const KINDS: &[&str] = &[
    "land_shares",
    "land_transfer",
    "capital_shares",
    "joint_farming",
    "processing",
    "lease_back",
    "wage_work",
    "dividends",
    "technical_service",
    "custodial_breeding",
    "trusteeship",
    "order_farming",
];

/// (code, name, kind, town division code, village code, industries, processing, storage, order farming, brand)
type EntitySpec = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
    bool,
    bool,
    bool,
    Option<&'static str>,
);

const ENTITIES: &[EntitySpec] = &[
    (
        "BE-01",
        "黄堡镇鑫源苹果专业合作社（虚构）",
        "cooperative",
        Some("610202100"),
        None,
        &["fruit"],
        false,
        true,
        true,
        Some("黄堡红（虚构）"),
    ),
    (
        "BE-02",
        "王家河绿源食用菌家庭农场（虚构）",
        "family_farm",
        Some("610202004"),
        None,
        &["facility_agriculture"],
        false,
        false,
        true,
        None,
    ),
    (
        "BE-03",
        "铜川秦川牧业有限公司（虚构）",
        "leading_enterprise",
        None,
        None,
        &["livestock"],
        true,
        true,
        true,
        Some("秦川香（虚构）"),
    ),
    (
        "BE-04",
        "黄堡镇农机植保服务队（虚构）",
        "service_organisation",
        Some("610202100"),
        None,
        &["herbs", "sichuan_pepper"],
        false,
        false,
        false,
        None,
    ),
    (
        "BE-05",
        "柳湾村股份经济合作社（虚构）",
        "village_collective",
        Some("610202100"),
        Some("HB-V01"),
        &["walnut"],
        true,
        false,
        false,
        None,
    ),
    (
        "BE-06",
        "王家河肉兔养殖专业合作社（虚构）",
        "cooperative",
        Some("610202004"),
        None,
        &["meat_rabbit"],
        false,
        false,
        true,
        None,
    ),
];

pub(crate) async fn load_industry<C: ConnectionTrait>(
    db: &C,
    rng: &mut ChaCha8Rng,
    registry: &DemoRegistry,
) -> anyhow::Result<()> {
    let as_of = demo_as_of();
    let mut entity_ids = Vec::new();
    for (index, (code, name, kind, town, village, industries, processing, storage, order, brand)) in
        ENTITIES.iter().enumerate()
    {
        let town_id = match town {
            Some(code) => Some(id_where(db, "town", "division_code", code).await?),
            None => None,
        };
        let village_id = match village {
            Some(code) => Some(id_where(db, "village", "code", code).await?),
            None => None,
        };
        let id = insert_returning_id(
            db,
            "business_entity",
            vec![
                ("code", text(*code)),
                // Fictitious credit codes: 18 characters, never a real registration.
                ("credit_code", text(format!("93610202DEMO{:06}", index + 1))),
                ("name", text(*name)),
                ("kind", text(*kind)),
                ("town_id", opt_int(town_id)),
                ("village_id", opt_int(village_id)),
                ("legal_representative", text(format!("负责人{}", index + 1))),
                ("contact_phone", text(format!("1390000{:04}", 9000 + index))),
                ("address", text("陕西省铜川市王益区")),
                ("does_processing", boolean(*processing)),
                ("does_storage", boolean(*storage)),
                ("does_order_farming", boolean(*order)),
                ("brand", opt_text(*brand)),
            ],
        )
        .await?;
        for industry in *industries {
            let industry_id = id_where(db, "industry", "code", industry).await?;
            insert_plain(
                db,
                "business_entity_industry",
                vec![
                    ("business_entity_id", int(id)),
                    ("industry_id", int(industry_id)),
                ],
            )
            .await?;
        }
        entity_ids.push((id, industries[0]));
    }

    for (index, code) in LINKED_HOUSEHOLDS.iter().enumerate() {
        let household = registry.household(code)?;
        let kind = KINDS[index % KINDS.len()];
        let (entity_id, industry) = entity_ids[index % entity_ids.len()];
        let industry_id = id_where(db, "industry", "code", industry).await?;
        let starts_on = ymd(2025, 3, 1) + Duration::days(rng.gen_range(0..120));
        let land = matches!(kind, "land_shares" | "land_transfer" | "lease_back")
            .then(|| rng.gen_range(5..30) * 1_000);
        let capital = (kind == "capital_shares").then_some(500_000);
        let expected = rng.gen_range(8..30) * 10_000;
        let overdue = *code == OVERDUE_LINKAGE_HOUSEHOLD;
        let next_due = if overdue {
            ymd(2026, 10, 31)
        } else {
            ymd(2026, 12, 31)
        };
        let linkage = insert_returning_id(
            db,
            "benefit_linkage",
            vec![
                ("business_entity_id", int(entity_id)),
                ("household_id", int(household.id)),
                ("industry_id", int(industry_id)),
                ("kind", text(kind)),
                ("agreement_no", text(format!("LJ-2025-{:03}", index + 1))),
                (
                    "terms",
                    text(format!("按年度结算，预期年收益{}元", expected / 100)),
                ),
                ("starts_on", date(starts_on)),
                ("ends_on", date(starts_on + Duration::days(3 * 365))),
                ("land_area_ten_thousandth_mu", opt_int(land)),
                ("capital_fen", opt_int(capital)),
                ("expected_annual_income_fen", int(expected)),
                ("next_due_on", date(next_due)),
                (
                    "honoured_status",
                    text(if overdue { "late" } else { "on_time" }),
                ),
                ("status", text("active")),
            ],
        )
        .await?;
        // Last year's payment, honoured on time.
        insert_returning_id(
            db,
            "benefit_fulfilment",
            vec![
                ("benefit_linkage_id", int(linkage)),
                ("due_on", date(ymd(2025, 12, 31))),
                ("fulfilled_on", date(ymd(2025, 12, 26))),
                ("amount_fen", int(expected)),
                ("status", text("on_time")),
            ],
        )
        .await?;
        if overdue {
            // Due on 31 October and still unpaid on the demo date.
            insert_returning_id(
                db,
                "benefit_fulfilment",
                vec![
                    ("benefit_linkage_id", int(linkage)),
                    ("due_on", date(next_due)),
                    ("fulfilled_on", opt_date(None)),
                    ("amount_fen", int(expected / 2)),
                    ("status", text("due")),
                    (
                        "notes",
                        text(format!("截至{as_of}仍未兑付，已督促经营主体履约")),
                    ),
                ],
            )
            .await?;
        }
    }

    // Sales channels (A1§4) and "五进" sales.
    let mut channels = Vec::new();
    for household in [
        registry.household("HB-001")?,
        registry.household("WJH-001")?,
    ] {
        let name = if household.code.starts_with("HB") {
            "黄堡新镇区电子商务服务点"
        } else {
            "王家河幸福居电子商务服务点"
        };
        channels.push(
            insert_returning_id(
                db,
                "sales_channel",
                vec![
                    ("kind", text("ecommerce_service_point")),
                    ("name", text(name)),
                    ("site_id", int(household.site_id)),
                    ("operator", text("邮政快递合作网点（虚构）")),
                    ("opened_on", date(ymd(2024, 5, 1))),
                ],
            )
            .await?,
        );
    }
    let shop_household = registry.household("HB-010")?;
    channels.push(
        insert_returning_id(
            db,
            "sales_channel",
            vec![
                ("kind", text("online_shop")),
                ("name", text("黄堡苹果小店（虚构）")),
                ("household_id", int(shop_household.id)),
                ("address_or_url", text("https://shop.example.invalid/hb010")),
                ("opened_on", date(ymd(2025, 9, 1))),
            ],
        )
        .await?,
    );
    channels.push(
        insert_returning_id(
            db,
            "sales_channel",
            vec![
                ("kind", text("provincial_community_platform")),
                ("name", text("省移民（脱贫）搬迁开发集团社区服务平台")),
                ("business_entity_id", int(entity_ids[0].0)),
                ("opened_on", date(ymd(2024, 1, 1))),
            ],
        )
        .await?,
    );
    let fruit = id_where(db, "industry", "code", "fruit").await?;
    for (k, (channel, buyer)) in [
        ("agency", "王益区机关食堂（虚构）"),
        ("community", "南寺社区"),
        ("school", "黄堡镇中心学校食堂（虚构）"),
        ("supermarket", "王益区某连锁超市（虚构）"),
        ("canteen", "铜川某企业职工食堂（虚构）"),
    ]
    .into_iter()
    .enumerate()
    {
        insert_returning_id(
            db,
            "five_channel_sale",
            vec![
                ("channel", text(channel)),
                ("buyer_name", text(buyer)),
                ("business_entity_id", int(entity_ids[0].0)),
                ("industry_id", int(fruit)),
                ("sales_channel_id", int(channels[k % channels.len()])),
                ("product", text("苹果")),
                ("quantity", text(format!("{}公斤", 500 + 100 * k))),
                ("amount_fen", int((500 + 100 * k as i64) * 600)),
                (
                    "sold_on",
                    date(ymd(2026, 10, 10) + Duration::days(k as i64 * 5)),
                ),
            ],
        )
        .await?;
    }
    Ok(())
}
