//! Demo rows of annex 6: a branch at one site, members held locally at the other, monthly visits with a gap, town reviews, meetings, councils and dispute rooms.
use chrono::Duration;
use sea_orm::{ConnectionTrait, Value};

use super::registry::{DemoPerson, DemoRegistry};
use crate::sql::{boolean, date, id_where, insert_returning_id, int, opt_date, opt_int, text, ymd};

/// Formal members at 黄堡 (≥ 3 → a party branch under the town committee, A6§1.1).
pub const HB_FORMAL_MEMBERS: usize = 4;
/// Formal members at 王家河 (< 3 → relations held by the local community branch).
pub const WJH_FORMAL_MEMBERS: usize = 2;
/// The month (2026) in which the branch's second committee member made no visit (A6§2.2 alert).
pub const VISIT_GAP_MONTH: u32 = 9;
/// The month (2026) without a town-committee review of 王家河 (A6§3.1 alert).
pub const REVIEW_GAP_MONTH: u32 = 10;
/// The local branch that holds the 王家河 members' relations.
pub const WJH_LOCAL_BRANCH: &str = "中共王家河街道小街社区支部委员会";

/// Adults of a site old enough to be members, in a stable order.
fn candidates<'a>(registry: &'a DemoRegistry, prefix: &str) -> Vec<&'a DemoPerson> {
    registry
        .persons()
        .filter(|(h, p)| h.code.starts_with(prefix) && (25..75).contains(&p.member.age))
        .map(|(_, p)| p)
        .collect()
}

pub(crate) async fn load_party<C: ConnectionTrait>(
    db: &C,
    registry: &DemoRegistry,
) -> anyhow::Result<()> {
    let hb_town = id_where(db, "town", "division_code", "610202100").await?;
    let wjh_town = id_where(db, "town", "division_code", "610202004").await?;
    let hb_site = id_where(db, "site", "code", "HB-XZQ").await?;
    let wjh_site = id_where(db, "site", "code", "WJH-XFJ").await?;

    let branch = insert_returning_id(
        db,
        "party_organisation",
        vec![
            ("site_id", int(hb_site)),
            ("town_id", int(hb_town)),
            ("kind", text("branch")),
            ("name", text("中共黄堡新镇区安置点支部委员会")),
            ("established_on", date(ymd(2020, 10, 1))),
        ],
    )
    .await?;

    // Members: (site prefix, statuses in order).
    let mut hb_members = Vec::new();
    let hb_people = candidates(registry, "HB");
    let hb_statuses = [
        "formal",
        "formal",
        "formal",
        "formal",
        "probationary",
        "activist",
    ];
    for (k, status) in hb_statuses.iter().enumerate() {
        let person = hb_people[(k * 7) % hb_people.len()];
        let id = insert_member(
            db,
            person,
            Some(branch),
            status,
            "site_organisation",
            "中共黄堡新镇区安置点支部委员会",
            k,
        )
        .await?;
        hb_members.push((id, person));
    }
    let wjh_people = candidates(registry, "WJH");
    let mut wjh_members = Vec::new();
    for (k, (status, held_at)) in [
        ("formal", "local_organisation"),
        ("formal", "transferring"),
        ("probationary", "local_organisation"),
        ("activist", "local_organisation"),
    ]
    .into_iter()
    .enumerate()
    {
        let person = wjh_people[(k * 5) % wjh_people.len()];
        let id = insert_member(db, person, None, status, held_at, WJH_LOCAL_BRANCH, k + 10).await?;
        wjh_members.push((id, status, held_at));
    }
    // Relation transfers from the origin branches (A6§2.1).
    for (k, (member, status, held_at)) in wjh_members.iter().enumerate() {
        if *status != "formal" {
            continue;
        }
        let done = *held_at == "local_organisation";
        insert_returning_id(
            db,
            "party_relation_transfer",
            vec![
                ("member_id", int(*member)),
                (
                    "from_organisation_name",
                    text(format!(
                        "中共{}党支部（迁出地，虚构）",
                        if k == 0 { "杏树坡村" } else { "东岭村" }
                    )),
                ),
                ("to_organisation_name", text(WJH_LOCAL_BRANCH)),
                (
                    "requested_on",
                    date(if done {
                        ymd(2020, 11, 5)
                    } else {
                        ymd(2026, 10, 20)
                    }),
                ),
                ("completed_on", opt_date(done.then_some(ymd(2020, 12, 1)))),
                ("status", text(if done { "completed" } else { "requested" })),
                ("reason", text("易地扶贫搬迁，组织关系转入安置地")),
            ],
        )
        .await?;
    }

    // The branch committee: the first three formal members.
    let positions = ["secretary", "committee_member", "committee_member"];
    for (k, position) in positions.iter().enumerate() {
        insert_returning_id(
            db,
            "party_committee_member",
            vec![
                ("organisation_id", int(branch)),
                ("member_id", int(hb_members[k].0)),
                ("position", text(*position)),
                ("starts_on", date(ymd(2020, 10, 1))),
            ],
        )
        .await?;
    }

    // Monthly visits January–November 2026 by each committee member (A6§2.2); the second
    // member skipped September.
    let hb_households: Vec<_> = registry
        .households
        .iter()
        .filter(|h| h.code.starts_with("HB"))
        .collect();
    for (k, _) in positions.iter().enumerate() {
        for month in 1..=11u32 {
            if k == 1 && month == VISIT_GAP_MONTH {
                continue;
            }
            let household = hb_households[(k * 11 + month as usize) % hb_households.len()];
            let problem = month % 4 == 0;
            insert_returning_id(
                db,
                "party_visit",
                vec![
                    ("member_id", int(hb_members[k].0)),
                    ("household_id", int(household.id)),
                    ("visited_on", date(ymd(2026, month, 5 + 3 * k as u32))),
                    ("notes", text("入户走访，了解生产生活情况")),
                    (
                        "problems_raised",
                        text(if problem {
                            "希望增加就近就业岗位"
                        } else {
                            ""
                        }),
                    ),
                    ("resolved", boolean(!problem || month < 11)),
                ],
            )
            .await?;
        }
    }

    // Monthly town-committee reviews (A6§3.1); 王家河 missed October.
    for (town, site, organisation, reviewer) in [
        (hb_town, hb_site, Some(branch), "黄堡镇党委副书记（虚构）"),
        (wjh_town, wjh_site, None, "王家河街道党工委委员（虚构）"),
    ] {
        for month in 1..=11u32 {
            if organisation.is_none() && month == REVIEW_GAP_MONTH {
                continue;
            }
            insert_returning_id(
                db,
                "town_committee_review",
                vec![
                    ("town_id", int(town)),
                    ("site_id", int(site)),
                    ("organisation_id", opt_int(organisation)),
                    ("reviewed_on", date(ymd(2026, month, 25))),
                    ("reviewer_name", text(reviewer)),
                    ("findings", text("安置点党建工作按计划推进")),
                    ("follow_up", text("继续做好党员教育管理")),
                ],
            )
            .await?;
        }
    }

    // "三会一课" of the branch.
    for month in 1..=11u32 {
        let (kind, topic) = if month % 3 == 0 {
            ("party_lecture", "党课：巩固拓展脱贫攻坚成果")
        } else {
            ("general_meeting", "支部党员大会")
        };
        insert_returning_id(
            db,
            "party_meeting",
            vec![
                ("organisation_id", int(branch)),
                ("kind", text(kind)),
                ("held_on", date(ymd(2026, month, 10))),
                ("topic", text(topic)),
                ("attendees_count", Value::Int(Some(5))),
            ],
        )
        .await?;
    }

    // Mass councils and dispute rooms (A6§2.2, A6§2.4).
    for (site, kinds) in [
        (
            hb_site,
            &[
                "deliberation_council",
                "mediation_committee",
                "ethics_council",
                "weddings_funerals_council",
                "anti_drug_gambling_council",
            ][..],
        ),
        (
            wjh_site,
            &["deliberation_council", "mediation_committee"][..],
        ),
    ] {
        for kind in kinds {
            let name = match *kind {
                "deliberation_council" => "居民议事会",
                "mediation_committee" => "人民调解委员会",
                "ethics_council" => "道德评议会",
                "weddings_funerals_council" => "红白理事会",
                _ => "禁毒禁赌会",
            };
            insert_returning_id(
                db,
                "site_council",
                vec![
                    ("site_id", int(site)),
                    ("kind", text(*kind)),
                    ("name", text(name)),
                    ("chair_name", text("主任（虚构）")),
                    ("member_count", Value::Int(Some(5))),
                    ("established_on", date(ymd(2021, 3, 1))),
                    ("active", boolean(true)),
                ],
            )
            .await?;
        }
        let room = insert_returning_id(
            db,
            "dispute_room",
            vec![
                ("site_id", int(site)),
                ("name", text("说事室")),
                ("location", text("党群服务中心一楼")),
                ("host_name", text("党建指导员（虚构）")),
                ("opened_on", date(ymd(2021, 4, 1))),
                ("active", boolean(true)),
            ],
        )
        .await?;
        let household = registry
            .households
            .iter()
            .find(|h| h.site_id == site)
            .ok_or_else(|| anyhow::anyhow!("site without households"))?;
        for (k, (summary, status)) in [("邻里噪音纠纷", "mediated"), ("楼道杂物堆放纠纷", "open")]
            .into_iter()
            .enumerate()
        {
            let received = ymd(2026, 9 + k as u32, 12);
            insert_returning_id(
                db,
                "dispute_case",
                vec![
                    ("room_id", int(room)),
                    ("household_id", int(household.id)),
                    ("received_on", date(received)),
                    ("summary", text(summary)),
                    ("mediator_name", text("党建指导员（虚构）")),
                    ("status", text(status)),
                    (
                        "resolved_on",
                        opt_date((status == "mediated").then_some(received + Duration::days(3))),
                    ),
                    (
                        "outcome",
                        text(if status == "mediated" {
                            "双方达成谅解"
                        } else {
                            ""
                        }),
                    ),
                ],
            )
            .await?;
        }
    }
    Ok(())
}

async fn insert_member<C: ConnectionTrait>(
    db: &C,
    person: &DemoPerson,
    organisation: Option<i64>,
    status: &str,
    held_at: &str,
    held_by: &str,
    k: usize,
) -> anyhow::Result<i64> {
    let joined = (status != "activist").then_some(ymd(2005 + k as i32, 7, 1));
    let formal = (status == "formal").then_some(ymd(2006 + k as i32, 7, 1));
    let joined = if status == "probationary" {
        Some(ymd(2026, 6, 28))
    } else {
        joined
    };
    insert_returning_id(
        db,
        "party_member",
        vec![
            ("person_id", int(person.id)),
            ("name", text(person.member.name.clone())),
            ("organisation_id", opt_int(organisation)),
            ("status", text(status)),
            ("joined_on", opt_date(joined)),
            ("became_formal_on", opt_date(formal)),
            ("relation_held_at", text(held_at)),
            ("relation_organisation_name", text(held_by)),
        ],
    )
    .await
}
