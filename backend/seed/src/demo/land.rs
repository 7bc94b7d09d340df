//! Demo rows of annex 5: old homesteads in every reclamation state, linkage projects, quotas, transfers at the price bounds, revenue and reserve.
use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::ConnectionTrait;

use super::registry::DemoRegistry;
use crate::sql::{
    date, id_where, insert_returning_id, int, opt_date, opt_int, opt_text, text, ymd,
};

/// Homestead states, cycled over the households in code order (A5§1, A5§3).
pub const HOMESTEAD_STATES: &[&str] = &[
    "occupied",
    "vacated",
    "reclaimed_farmland",
    "reclaimed_forest",
    "reclaimed_grass",
    "restored_green",
    "reclaimed_farmland",
];

/// A5§10: 200,000 yuan per mu within the city, 180,000–220,000 across cities, in fen.
pub const WITHIN_CITY_PRICE_FEN: i64 = 20_000_000;
pub const ACROSS_CITIES_MIN_PRICE_FEN: i64 = 18_000_000;
pub const ACROSS_CITIES_MAX_PRICE_FEN: i64 = 22_000_000;

pub(crate) async fn load_land<C: ConnectionTrait>(
    db: &C,
    rng: &mut ChaCha8Rng,
    registry: &DemoRegistry,
) -> anyhow::Result<()> {
    let hb_town = id_where(db, "town", "division_code", "610202100").await?;
    let wjh_town = id_where(db, "town", "division_code", "610202004").await?;
    let natural_resources = id_where(db, "bureau", "code", "natural_resources").await?;
    let finance = id_where(db, "bureau", "code", "finance").await?;

    let hb_project = insert_returning_id(
        db,
        "land_linkage_project",
        vec![
            ("code", text("LP-2025-01")),
            (
                "name",
                text("黄堡镇2025年易地扶贫搬迁旧宅基地拆旧复垦增减挂钩项目"),
            ),
            ("town_id", int(hb_town)),
            ("platform_reference", text("SX-ZBTJ-2025-DEMO-0001")),
            ("approved_on", date(ymd(2025, 4, 15))),
            ("accepted_on", date(ymd(2026, 6, 30))),
            ("status", text("accepted")),
        ],
    )
    .await?;
    let wjh_project = insert_returning_id(
        db,
        "land_linkage_project",
        vec![
            ("code", text("LP-2026-01")),
            ("name", text("王家河街道2026年旧宅基地腾退复垦项目")),
            ("town_id", int(wjh_town)),
            ("platform_reference", text("SX-ZBTJ-2026-DEMO-0002")),
            ("approved_on", date(ymd(2026, 5, 20))),
            ("status", text("reclaiming")),
        ],
    )
    .await?;

    let mut reclaimed_hb = 0i64;
    let mut demolished = [0i64; 2];
    for (index, household) in registry.households.iter().enumerate() {
        let state = HOMESTEAD_STATES[index % HOMESTEAD_STATES.len()];
        let hb = household.code.starts_with("HB");
        let area = rng.gen_range(18..45) * 100; // 0.18–0.45 mu
        let consent = (state != "occupied").then_some(household.relocated_on + Duration::days(90));
        let vacated = consent.map(|d| d + Duration::days(30));
        let reclaimed =
            (state.starts_with("reclaimed") || state == "restored_green").then_some(if hb {
                ymd(2026, 4, 30)
            } else {
                ymd(2026, 10, 15)
            });
        let green = state == "restored_green";
        let project = (state != "occupied").then_some(if hb { hb_project } else { wjh_project });
        if state != "occupied" {
            demolished[usize::from(!hb)] += area;
        }
        if hb && reclaimed.is_some() {
            reclaimed_hb += area;
        }
        insert_returning_id(
            db,
            "homestead",
            vec![
                ("household_id", int(household.id)),
                ("village_id", int(household.origin_village_id)),
                ("project_id", opt_int(project)),
                ("location", text(format!("原居住组{}号", index + 1))),
                ("area_ten_thousandth_mu", int(area)),
                ("state", text(state)),
                ("consent_recorded_on", opt_date(consent)),
                ("vacated_on", opt_date(vacated)),
                ("reclaimed_on", opt_date(reclaimed)),
                (
                    "certified_by_bureau_id",
                    opt_int(green.then_some(natural_resources)),
                ),
                ("certified_on", opt_date(green.then_some(ymd(2026, 5, 10)))),
                (
                    "registration_updated_on",
                    opt_date((hb && reclaimed.is_some()).then_some(ymd(2026, 8, 1))),
                ),
            ],
        )
        .await?;
    }
    for (project, area, reclaimed) in [
        (hb_project, demolished[0], reclaimed_hb),
        (wjh_project, demolished[1], 0),
    ] {
        let statement = sea_orm::sea_query::Query::update()
            .table(sea_orm::sea_query::Alias::new("land_linkage_project"))
            .value(
                sea_orm::sea_query::Alias::new("demolition_area_ten_thousandth_mu"),
                area,
            )
            .value(
                sea_orm::sea_query::Alias::new("reclaimed_area_ten_thousandth_mu"),
                reclaimed,
            )
            .and_where(
                sea_orm::sea_query::Expr::col(sea_orm::sea_query::Alias::new("id")).eq(project),
            )
            .to_owned();
        db.execute(db.get_database_backend().build(&statement))
            .await?;
    }

    // The savings quota produced by the accepted project, and one received from elsewhere
    // (which may not be transferred again, A5§8).
    let quota = insert_returning_id(
        db,
        "land_quota",
        vec![
            ("code", text("LQ-2026-001")),
            ("origin", text("produced")),
            ("project_id", int(hb_project)),
            ("area_ten_thousandth_mu", int(reclaimed_hb)),
            ("confirmed_on", date(ymd(2026, 7, 15))),
            ("platform_reference", text("SX-ZBTJ-Q-2026-DEMO-0001")),
            ("source_description", text("黄堡镇旧宅基地复垦验收新增耕地")),
        ],
    )
    .await?;
    let received = insert_returning_id(
        db,
        "land_quota",
        vec![
            ("code", text("LQ-R-2026-001")),
            ("origin", text("received_by_transfer")),
            ("area_ten_thousandth_mu", int(5_000)),
            ("confirmed_on", date(ymd(2026, 3, 1))),
            ("platform_reference", text("SX-ZBTJ-Q-2026-DEMO-0009")),
            ("source_description", text("经省级平台从外区县调入（虚构）")),
        ],
    )
    .await?;
    let entry = |quota: i64, kind: &str, area: i64, on, transfer: Option<i64>, used_for: &str| {
        vec![
            ("quota_id", int(quota)),
            ("kind", text(kind)),
            ("area_ten_thousandth_mu", int(area)),
            ("entry_on", date(on)),
            ("transfer_id", opt_int(transfer)),
            ("used_for", text(used_for)),
        ]
    };
    insert_returning_id(
        db,
        "quota_use_ledger",
        entry(quota, "produced", reclaimed_hb, ymd(2026, 7, 15), None, ""),
    )
    .await?;
    insert_returning_id(
        db,
        "quota_use_ledger",
        entry(received, "received", 5_000, ymd(2026, 3, 1), None, ""),
    )
    .await?;
    insert_returning_id(
        db,
        "quota_use_ledger",
        entry(
            received,
            "used_locally",
            5_000,
            ymd(2026, 6, 1),
            None,
            "区内经营性建设用地（虚构项目）",
        ),
    )
    .await?;

    let account = insert_returning_id(
        db,
        "repayment_reserve_account",
        vec![
            ("account_no", text("6217-0000-0000-DEMO")),
            ("name", text("王益区易地扶贫搬迁还款准备金专户")),
            ("bank", text("某国有银行王益支行（虚构）")),
            ("managed_by_bureau_id", int(finance)),
            ("opened_on", date(ymd(2020, 3, 1))),
        ],
    )
    .await?;
    // Three transfers of the produced quota: within the city at the base price, across cities
    // at the lower and at the upper bound; reserves of exactly 5 %, 6 % and 10 % (A5§11).
    let portions = [reclaimed_hb * 2 / 5, reclaimed_hb / 5, reclaimed_hb / 5];
    for (k, (scope, price, buyer, reserve_percent)) in [
        (
            "within_city",
            WITHIN_CITY_PRICE_FEN,
            "铜川市耀州区人民政府（示例）",
            5,
        ),
        (
            "across_cities",
            ACROSS_CITIES_MIN_PRICE_FEN,
            "西安市某区人民政府（示例）",
            6,
        ),
        (
            "across_cities",
            ACROSS_CITIES_MAX_PRICE_FEN,
            "咸阳市某县人民政府（示例）",
            10,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let area = portions[k];
        // Price per mu × area in 0.0001 mu, rounded to the nearest fen.
        let amount = (price * area + 5_000) / 10_000;
        let contracted = ymd(2026, 8, 10) + Duration::days(20 * k as i64);
        let transfer = insert_returning_id(
            db,
            "quota_transfer",
            vec![
                ("quota_id", int(quota)),
                ("buyer_government", text(buyer)),
                ("scope", text(scope)),
                ("price_per_mu_fen", int(price)),
                ("area_ten_thousandth_mu", int(area)),
                ("amount_fen", int(amount)),
                (
                    "platform_reference",
                    text(format!("SX-ZBTJ-T-2026-DEMO-{:04}", k + 1)),
                ),
                ("contracted_on", date(contracted)),
                ("status", text("paid")),
            ],
        )
        .await?;
        insert_returning_id(
            db,
            "quota_use_ledger",
            entry(
                quota,
                "transferred_out",
                area,
                contracted,
                Some(transfer),
                buyer,
            ),
        )
        .await?;
        let reserve = (amount * reserve_percent + 99) / 100;
        let received_on = contracted + Duration::days(30);
        let revenue = insert_returning_id(
            db,
            "land_revenue",
            vec![
                ("transfer_id", int(transfer)),
                ("project_id", int(hb_project)),
                ("payer", text(buyer)),
                ("received_on", date(received_on)),
                ("amount_fen", int(amount)),
                ("reserve_fen", int(reserve)),
                (
                    "voucher_no",
                    opt_text(Some(format!("SR-2026-{:03}", k + 1))),
                ),
            ],
        )
        .await?;
        insert_returning_id(
            db,
            "repayment_reserve_entry",
            vec![
                ("account_id", int(account)),
                ("kind", text("revenue_share")),
                ("revenue_id", int(revenue)),
                ("amount_fen", int(reserve)),
                ("entry_on", date(received_on)),
                ("notes", text(format!("按{reserve_percent}%计提还款准备金"))),
            ],
        )
        .await?;
    }
    for (kind, amount, on, notes) in [
        (
            "budget_allocation",
            200_000_000,
            ymd(2026, 3, 31),
            "年度预算安排偿债资金",
        ),
        ("interest", 1_250_000, ymd(2026, 6, 21), "专户利息"),
        (
            "debt_repayment",
            150_000_000,
            ymd(2026, 11, 20),
            "偿还易地扶贫搬迁贷款本息",
        ),
    ] {
        insert_returning_id(
            db,
            "repayment_reserve_entry",
            vec![
                ("account_id", int(account)),
                ("kind", text(kind)),
                ("amount_fen", int(amount)),
                ("entry_on", date(on)),
                ("notes", text(notes)),
            ],
        )
        .await?;
    }
    Ok(())
}
