//! Writes the demo registry: villages of origin, buildings, flats, households and persons.
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::{ConnectionTrait, Value};

use super::shape::{
    demo_as_of, families_of, household_code, DEMO_SITES, INFANT_HOUSEHOLD,
    NOT_REGISTERED_POOR_HOUSEHOLDS, OLDEST_PERSON_HOUSEHOLD, PARTIAL_CAPACITY_HEADS,
    ZERO_EMPLOYMENT_HOUSEHOLDS,
};
use crate::family::{draft_household, Member, Tweaks};
use crate::id_number;
use crate::sql::{id_where, insert_returning_id, text};

/// Fictitious villages of origin (迁出村): (code, name, town division code).
pub const DEMO_VILLAGES: &[(&str, &str, &str)] = &[
    ("HB-V01", "柳湾村", "610202100"),
    ("HB-V02", "石沟村", "610202100"),
    ("HB-V03", "梨树坪村", "610202100"),
    ("WJH-V01", "杏树坡村", "610202004"),
    ("WJH-V02", "东岭村", "610202004"),
    ("WJH-V03", "槐树庄村", "610202004"),
];

/// Flats per building of the demo sites.
const FLATS_PER_BUILDING: usize = 9;

/// A written demo person.
#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub id: i64,
    pub member: Member,
    pub id_number: String,
}

/// A written demo household.
#[derive(Debug, Clone)]
pub struct DemoHousehold {
    pub id: i64,
    pub code: String,
    pub site_code: &'static str,
    pub site_id: i64,
    pub town_id: i64,
    pub origin_village_id: i64,
    pub relocated_on: NaiveDate,
    pub members: Vec<DemoPerson>,
}

impl DemoHousehold {
    pub fn head(&self) -> Option<&DemoPerson> {
        self.members.first()
    }
}

/// Everything written, so the annex loaders can refer to it.
#[derive(Debug, Clone, Default)]
pub struct DemoRegistry {
    pub households: Vec<DemoHousehold>,
}

impl DemoRegistry {
    pub fn household(&self, code: &str) -> anyhow::Result<&DemoHousehold> {
        self.households
            .iter()
            .find(|h| h.code == code)
            .ok_or_else(|| anyhow::anyhow!("demo household {code} missing"))
    }

    pub fn persons(&self) -> impl Iterator<Item = (&DemoHousehold, &DemoPerson)> {
        self.households
            .iter()
            .flat_map(|h| h.members.iter().map(move |p| (h, p)))
    }
}

/// The fictitious phone number of the `index`-th demo person: `1xx0000nnnn`.
fn phone_for(index: usize) -> String {
    const CARRIER_PREFIXES: [&str; 8] = ["38", "39", "58", "59", "87", "35", "50", "82"];
    let prefix = CARRIER_PREFIXES[index % CARRIER_PREFIXES.len()];
    format!("1{prefix}0000{:04}", index + 1)
}

pub(crate) async fn load_registry<C: ConnectionTrait>(
    db: &C,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<DemoRegistry> {
    let as_of = demo_as_of();
    let mut village_ids = Vec::new();
    for (code, name, town_code) in DEMO_VILLAGES {
        let town_id = id_where(db, "town", "division_code", town_code).await?;
        let id = insert_returning_id(
            db,
            "village",
            vec![
                ("code", text(*code)),
                ("name", text(*name)),
                ("town_id", Value::BigInt(Some(town_id))),
            ],
        )
        .await?;
        village_ids.push((*code, id));
    }

    let mut registry = DemoRegistry::default();
    let mut person_index = 0usize;
    for site in DEMO_SITES {
        let site_id = id_where(db, "site", "code", site.site_code).await?;
        let town_code = if site.household_prefix == "HB" {
            "610202100"
        } else {
            "610202004"
        };
        let town_id = id_where(db, "town", "division_code", town_code).await?;
        let villages: Vec<i64> = village_ids
            .iter()
            .filter(|(code, _)| code.starts_with(&format!("{}-", site.household_prefix)))
            .map(|(_, id)| *id)
            .collect();
        let families = families_of(&site);

        let mut building_id = 0;
        for (index, family) in families.iter().enumerate() {
            if index % FLATS_PER_BUILDING == 0 {
                let name = format!("{}号楼", index / FLATS_PER_BUILDING + 1);
                building_id = insert_returning_id(
                    db,
                    "building",
                    vec![
                        ("site_id", Value::BigInt(Some(site_id))),
                        ("name", text(name)),
                    ],
                )
                .await?;
            }
            let slot = index % FLATS_PER_BUILDING;
            let flat_number = format!("{}{:02}", slot / 2 + 1, slot % 2 + 1);
            // Resettlement housing is at most 25 m² per person.
            let area = i64::from(family.size()) * 2_500 - rng.gen_range(0..300);
            let flat_id = insert_returning_id(
                db,
                "flat",
                vec![
                    ("building_id", Value::BigInt(Some(building_id))),
                    ("number", text(flat_number)),
                    ("floor_area_centi_sqm", Value::BigInt(Some(area))),
                ],
            )
            .await?;

            let code = household_code(site.household_prefix, index + 1);
            let tweaks = Tweaks {
                zero_employment: ZERO_EMPLOYMENT_HOUSEHOLDS.contains(&code.as_str()),
                partial_capacity_head: PARTIAL_CAPACITY_HEADS.contains(&code.as_str()),
                head_age: (code == OLDEST_PERSON_HOUSEHOLD).then_some(87),
                with_infant: code == INFANT_HOUSEHOLD,
            };
            let members = draft_household(rng, *family, as_of, tweaks);
            let origin_village_id = villages[rng.gen_range(0..villages.len())];
            let relocated_on = NaiveDate::from_ymd_opt(2019, 9, 1).unwrap_or(as_of)
                + Duration::days(rng.gen_range(0..300));
            let household_id = insert_returning_id(
                db,
                "household",
                vec![
                    ("code", text(code.clone())),
                    ("site_id", Value::BigInt(Some(site_id))),
                    ("flat_id", Value::BigInt(Some(flat_id))),
                    ("origin_village_id", Value::BigInt(Some(origin_village_id))),
                    (
                        "registered_poor",
                        Value::Bool(Some(
                            !NOT_REGISTERED_POOR_HOUSEHOLDS.contains(&code.as_str()),
                        )),
                    ),
                    (
                        "relocated_on",
                        Value::ChronoDate(Some(Box::new(relocated_on))),
                    ),
                ],
            )
            .await?;

            let mut persons = Vec::with_capacity(members.len());
            for member in members {
                // Sequence pairs 50..: the demo's numbers are unique by person index.
                let id_number = id_number::build(
                    "610202",
                    member.birth_date,
                    50 + person_index as u32,
                    member.male,
                )
                .ok_or_else(|| anyhow::anyhow!("cannot build an ID number"))?;
                let phone = (member.age >= 18 && member.age < 80).then(|| phone_for(person_index));
                let id = insert_returning_id(
                    db,
                    "person",
                    vec![
                        ("household_id", Value::BigInt(Some(household_id))),
                        ("name", text(member.name.clone())),
                        ("id_number", text(id_number.clone())),
                        ("sex", text(if member.male { "M" } else { "F" })),
                        (
                            "birth_date",
                            Value::ChronoDate(Some(Box::new(member.birth_date))),
                        ),
                        ("relation", text(member.relation)),
                        ("labour_capacity", text(member.labour_capacity)),
                        ("employment_status", text(member.employment_status)),
                        ("phone", Value::String(phone.map(Box::new))),
                    ],
                )
                .await?;
                persons.push(DemoPerson {
                    id,
                    member,
                    id_number,
                });
                person_index += 1;
            }
            registry.households.push(DemoHousehold {
                id: household_id,
                code,
                site_code: site.site_code,
                site_id,
                town_id,
                origin_village_id,
                relocated_on,
                members: persons,
            });
        }
    }
    Ok(registry)
}
