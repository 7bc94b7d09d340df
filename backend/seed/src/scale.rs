//! The scale generator for benchmarks: many sites, households and persons shaped like the demo,
//! with the persons' jobs (employment spells of the employed), vocational training (one class per
//! site, 15 % of those able to work under 55 enrolled) and this year's three insurances.
//!
//! Rows get explicit ids that continue after the current maximum, so each site's households
//! and persons have contiguous ids. PostgreSQL receives them with `COPY … FROM STDIN`, SQLite
//! with multi-row INSERTs; either way the whole run is one transaction. Generation runs on a
//! blocking thread and hands chunks of sites to the writer through a small channel.
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{anyhow, bail, Context};
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, TransactionTrait, Value};

use crate::demo::employment::{employer_for, employment_type_for};
use crate::demo::shape::{demo_as_of, Family, HB_FAMILIES, WJH_FAMILIES};
use crate::family::{draft_household, Tweaks};
use crate::reference::TOWNS;
use crate::sql::{id_where, max_id};

/// Persons per generated site (the last site of a run takes the remainder).
pub const PERSONS_PER_SITE: u64 = 2_000;
/// Households per generated building.
const HOUSEHOLDS_PER_BUILDING: usize = 60;
/// Generated sites per generated community.
const SITES_PER_COMMUNITY: u64 = 10;
/// Generated villages of origin per run.
const VILLAGES_PER_RUN: i64 = 20;
/// Sites per chunk handed from the generator to the writer (~40,000 persons); a multiple of
/// [`SITES_PER_COMMUNITY`], so that every chunk holds the communities its sites refer to.
const SITES_PER_CHUNK: u64 = 20;
/// Parallel COPY connections on PostgreSQL (the server's index maintenance is the bottleneck).
const POSTGRES_WRITERS: usize = 2;
/// Rows per multi-row INSERT on SQLite (10 columns × 500 rows stays far below its 32,766 variables).
const SQLITE_ROWS_PER_INSERT: usize = 500;
/// The largest person id whose ID number is still unique (see [`scale_identity`]).
const MAX_PERSON_ID: i64 = 365 * 500 * 989;

/// What a scale run appended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleSummary {
    pub persons: u64,
    pub households: u64,
    pub sites: u64,
    pub seconds: f64,
}

impl ScaleSummary {
    /// Persons written per second.
    pub fn persons_per_second(&self) -> f64 {
        self.persons as f64 / self.seconds.max(1e-9)
    }
}

/// One cell of a generated row.
#[derive(Debug, Clone)]
enum Field {
    Int(i64),
    Text(String),
    Static(&'static str),
    Date(NaiveDate),
    Bool(bool),
    Null,
}

/// Rows of one table, row-major.
#[derive(Debug)]
struct TableBatch {
    table: &'static str,
    columns: &'static [&'static str],
    fields: Vec<Field>,
}

impl TableBatch {
    fn new(table: &'static str, columns: &'static [&'static str]) -> TableBatch {
        TableBatch {
            table,
            columns,
            fields: Vec::new(),
        }
    }

    fn push(&mut self, row: impl IntoIterator<Item = Field>) {
        self.fields.extend(row);
    }

    fn rows(&self) -> usize {
        self.fields.len() / self.columns.len()
    }
}

/// The rows of a few sites, in foreign-key order.
#[derive(Debug)]
struct Chunk {
    tables: Vec<TableBatch>,
}

impl Chunk {
    fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows() as u64).sum()
    }
}

/// The first free id of each table at the start of a run.
#[derive(Debug, Clone, Copy)]
struct NextIds {
    community: i64,
    village: i64,
    site: i64,
    building: i64,
    flat: i64,
    household: i64,
    person: i64,
    employment_spell: i64,
    training_institution: i64,
    training_class: i64,
    training_enrolment: i64,
    insurance_enrolment: i64,
}

/// Everything the generator thread needs.
#[derive(Debug, Clone)]
struct Plan {
    persons: u64,
    sites: u64,
    seed: u64,
    next: NextIds,
    town_ids: Vec<i64>,
}

const COMMUNITY_COLUMNS: &[&str] = &["id", "code", "name", "town_id"];
const VILLAGE_COLUMNS: &[&str] = &["id", "code", "name", "town_id"];
const SITE_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "town_id",
    "community_id",
    "area_type",
    "address",
];
const BUILDING_COLUMNS: &[&str] = &["id", "site_id", "name"];
const FLAT_COLUMNS: &[&str] = &["id", "building_id", "number", "floor_area_centi_sqm"];
const HOUSEHOLD_COLUMNS: &[&str] = &[
    "id",
    "code",
    "site_id",
    "flat_id",
    "origin_village_id",
    "registered_poor",
    "relocated_on",
];
const PERSON_COLUMNS: &[&str] = &[
    "id",
    "household_id",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "relation",
    "labour_capacity",
    "employment_status",
    "phone",
];

const EMPLOYMENT_SPELL_COLUMNS: &[&str] = &[
    "id",
    "person_id",
    "employment_type",
    "employer_name",
    "location",
    "starts_on",
    "monthly_income_fen",
];
const TRAINING_INSTITUTION_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "licence_no",
    "contact_phone",
    "address",
];
const TRAINING_CLASS_COLUMNS: &[&str] = &[
    "id",
    "institution_id",
    "code",
    "name",
    "speciality",
    "kind",
    "allowance_category",
    "class_hours",
    "courses",
    "filed_on",
    "filing_reference",
    "starts_on",
    "ends_on",
    "remote_monitored",
    "status",
];
const TRAINING_ENROLMENT_COLUMNS: &[&str] = &[
    "id",
    "class_id",
    "person_id",
    "enrolled_on",
    "attended_days",
    "completed",
    "certificate_no",
    "employed_after_training",
    "employment_spell_id",
];
const INSURANCE_ENROLMENT_COLUMNS: &[&str] = &[
    "id",
    "person_id",
    "kind",
    "year",
    "status",
    "enrolled_on",
    "premium_fen",
    "subsidy_fen",
];

/// Table positions in a [`Chunk`] (foreign-key order, see [`new_chunk`]).
const COMMUNITIES: usize = 0;
const VILLAGES: usize = 1;
const SITES: usize = 2;
const BUILDINGS: usize = 3;
const FLATS: usize = 4;
const HOUSEHOLDS: usize = 5;
const PERSONS: usize = 6;
const SPELLS: usize = 7;
const INSTITUTIONS: usize = 8;
const CLASSES: usize = 9;
const ENROLMENTS: usize = 10;
const INSURANCE: usize = 11;

/// Share of persons of full labour capacity under 55 enrolled in their site's training class.
const TRAINING_SHARE: f64 = 0.15;

/// Appends `persons` persons (in households of the demo's shape, ~2,000 persons per site,
/// sites spread over the two towns) and returns what was written. Needs the reference data.
pub async fn generate_scale(
    db: &DatabaseConnection,
    persons: u64,
    seed: u64,
) -> anyhow::Result<ScaleSummary> {
    let started = Instant::now();
    let mut town_ids = Vec::new();
    for town in TOWNS {
        town_ids.push(
            id_where(db, "town", "division_code", town.division_code)
                .await
                .context("the scale generator needs the reference data (towns)")?,
        );
    }
    let next = NextIds {
        community: max_id(db, "community").await? + 1,
        village: max_id(db, "village").await? + 1,
        site: max_id(db, "site").await? + 1,
        building: max_id(db, "building").await? + 1,
        flat: max_id(db, "flat").await? + 1,
        household: max_id(db, "household").await? + 1,
        person: max_id(db, "person").await? + 1,
        employment_spell: max_id(db, "employment_spell").await? + 1,
        training_institution: max_id(db, "training_institution").await? + 1,
        training_class: max_id(db, "training_class").await? + 1,
        training_enrolment: max_id(db, "training_enrolment").await? + 1,
        insurance_enrolment: max_id(db, "insurance_enrolment").await? + 1,
    };
    let last_person = next.person + i64::try_from(persons)?;
    if last_person > MAX_PERSON_ID {
        bail!("person ids above {MAX_PERSON_ID} would repeat ID numbers");
    }
    let sites = persons.div_ceil(PERSONS_PER_SITE);
    let plan = Plan {
        persons,
        sites,
        seed,
        next,
        town_ids,
    };

    let (sender, receiver) = tokio::sync::mpsc::channel::<Chunk>(POSTGRES_WRITERS + 1);
    let generator = tokio::task::spawn_blocking(move || generate_chunks(&plan, &sender));

    let households = match db.get_database_backend() {
        DatabaseBackend::Postgres => write_postgres(db, receiver).await,
        DatabaseBackend::Sqlite => write_sqlite(db, receiver).await,
        DatabaseBackend::MySql => Err(anyhow!("MySQL is not supported")),
    };
    // The writer dropped the receiver, so a generator still sending has stopped; surface
    // either error.
    let generated = generator.await.context("generator thread")?;
    let households = households?;
    generated?;

    Ok(ScaleSummary {
        persons,
        households,
        sites,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Families drawn with the demo's frequencies.
fn demo_family_mix() -> Vec<Family> {
    HB_FAMILIES
        .iter()
        .chain(WJH_FAMILIES.iter())
        .copied()
        .collect()
}

/// A family of exactly `size` persons (1..=6), to fill the end of a site.
fn family_of_size(size: u64) -> Family {
    match size {
        1 => Family::LivingAlone,
        2 => Family::ElderlyCouple,
        3 => Family::CoupleOneChild,
        4 => Family::CoupleTwoChildren,
        5 => Family::ThreeGenerationsFive,
        _ => Family::ExtendedSix,
    }
}

/// Birth date and ID number of the scale person with database id `person_id`, aged `age` on `as_of`.
///
/// The id alone picks day of year, sequence pair and region code (6101xx…6110xx, never the
/// demo's 610202), so numbers never repeat below [`MAX_PERSON_ID`]; the birth year is then
/// chosen so that the person has exactly the drafted age.
fn scale_identity(
    person_id: i64,
    age: i32,
    male: bool,
    as_of: NaiveDate,
) -> Option<(NaiveDate, String)> {
    let n = u64::try_from(person_id).ok()?;
    let day = (n % 365) as i64;
    let pair = ((n / 365) % 500) as u32;
    let mut region_index = n / (365 * 500);
    if region_index >= 100 {
        region_index += 1; // skip 610202, the demo's region
    }
    let region = format!("61{:02}{:02}", region_index / 99 + 1, region_index % 99 + 1);
    // Born on day `day` of year Y: the age on `as_of` is as_of.year - Y, minus one if the
    // birthday falls after `as_of` in the year.
    let birthday_after = |year: i32| {
        let born = NaiveDate::from_ymd_opt(year, 1, 1)? + Duration::days(day);
        Some((born, born.ordinal() > as_of.ordinal()))
    };
    let mut year = as_of.year() - age;
    let (mut born, after) = birthday_after(year)?;
    if after {
        year -= 1;
        born = birthday_after(year)?.0;
    }
    let id_number = crate::id_number::build(&region, born, pair, male)?;
    Some((born, id_number))
}

fn generate_chunks(plan: &Plan, sender: &tokio::sync::mpsc::Sender<Chunk>) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let as_of = demo_as_of();
    let mix = demo_family_mix();
    let mut next = plan.next;
    let village_ids: Vec<i64> = (0..VILLAGES_PER_RUN).map(|k| next.village + k).collect();

    let mut chunk = new_chunk();
    {
        let villages = &mut chunk.tables[VILLAGES];
        for (k, id) in village_ids.iter().enumerate() {
            let town_id = plan.town_ids[k % plan.town_ids.len()];
            villages.push([
                Field::Int(*id),
                Field::Text(format!("GEN-V{id}")),
                Field::Text(format!("生成迁出村{id}")),
                Field::Int(town_id),
            ]);
        }
    }
    next.village += VILLAGES_PER_RUN;
    // One training institution runs every generated site's class.
    let institution_id = next.training_institution;
    next.training_institution += 1;
    chunk.tables[INSTITUTIONS].push([
        Field::Int(institution_id),
        Field::Text(format!("GEN-TI{institution_id}")),
        Field::Text(format!("生成培训学校{institution_id}（虚构）")),
        Field::Text(format!("GEN-TI{institution_id}-LIC")),
        Field::Static("0919-0000001"),
        Field::Static("陕西省铜川市王益区"),
    ]);
    // The villages and the institution go first and alone: every later chunk refers to them.
    let villages = std::mem::replace(&mut chunk, new_chunk());
    if sender.blocking_send(villages).is_err() {
        return Ok(());
    }

    let mut remaining_persons = plan.persons;
    let mut community_id = 0;
    for site_index in 0..plan.sites {
        let site_persons = remaining_persons.min(PERSONS_PER_SITE);
        remaining_persons -= site_persons;
        let town_id = plan.town_ids[(site_index % plan.town_ids.len() as u64) as usize];
        if site_index % SITES_PER_COMMUNITY == 0 {
            community_id = next.community;
            next.community += 1;
            chunk.tables[COMMUNITIES].push([
                Field::Int(community_id),
                Field::Text(format!("GEN-C{community_id}")),
                Field::Text(format!("生成社区{community_id}")),
                Field::Int(town_id),
            ]);
        }
        let site_id = next.site;
        next.site += 1;
        chunk.tables[SITES].push([
            Field::Int(site_id),
            Field::Text(format!("GEN-S{site_id}")),
            Field::Text(format!("生成安置点{site_id}")),
            Field::Int(town_id),
            Field::Int(community_id),
            Field::Static(if site_index % 4 == 3 {
                "rural"
            } else {
                "town_planning_area"
            }),
            Field::Static(""),
        ]);

        // The site's skills class, filed in time and finished (A2§3.1): four days of 10 hours.
        let class_id = next.training_class;
        next.training_class += 1;
        let class_starts = as_of - Duration::days(rng.gen_range(60..300));
        let class_days: i64 = 4;
        chunk.tables[CLASSES].push([
            Field::Int(class_id),
            Field::Int(institution_id),
            Field::Text(format!("GEN-TC{class_id}")),
            Field::Static("果树修剪与管护技术培训班"),
            Field::Static("果树栽培"),
            Field::Static("skills"),
            Field::Static("yuan_20"),
            Field::Int(40),
            Field::Static("果树栽培理论；实操训练；就业指导"),
            Field::Date(class_starts - Duration::days(30)),
            Field::Text(format!("生成培备{class_id}号")),
            Field::Date(class_starts),
            Field::Date(class_starts + Duration::days(class_days - 1)),
            Field::Bool(true),
            Field::Static("finished"),
        ]);

        let mut left = site_persons;
        let mut household_index = 0usize;
        let mut building_id = 0;
        while left > 0 {
            let mut family = *mix.choose(&mut rng).unwrap_or(&Family::CoupleOneChild);
            if u64::from(family.size()) > left {
                family = family_of_size(left);
            }
            left -= u64::from(family.size());

            if household_index.is_multiple_of(HOUSEHOLDS_PER_BUILDING) {
                building_id = next.building;
                next.building += 1;
                chunk.tables[BUILDINGS].push([
                    Field::Int(building_id),
                    Field::Int(site_id),
                    Field::Text(format!(
                        "{}号楼",
                        household_index / HOUSEHOLDS_PER_BUILDING + 1
                    )),
                ]);
            }
            let slot = household_index % HOUSEHOLDS_PER_BUILDING;
            let flat_id = next.flat;
            next.flat += 1;
            chunk.tables[FLATS].push([
                Field::Int(flat_id),
                Field::Int(building_id),
                Field::Text(format!("{}{:02}", slot / 4 + 1, slot % 4 + 1)),
                Field::Int(i64::from(family.size()) * 2_500 - rng.gen_range(0..300)),
            ]);

            let household_id = next.household;
            next.household += 1;
            let relocated_on = NaiveDate::from_ymd_opt(2018, 6, 1).unwrap_or(as_of)
                + Duration::days(rng.gen_range(0..900));
            chunk.tables[HOUSEHOLDS].push([
                Field::Int(household_id),
                Field::Text(format!("GEN-H{household_id}")),
                Field::Int(site_id),
                Field::Int(flat_id),
                Field::Int(village_ids[rng.gen_range(0..village_ids.len())]),
                Field::Bool(rng.gen_bool(0.95)),
                Field::Date(relocated_on),
            ]);

            let tweaks = Tweaks {
                zero_employment: rng.gen_bool(3.0 / 45.0),
                partial_capacity_head: rng.gen_bool(1.0 / 45.0),
                ..Tweaks::default()
            };
            for member in draft_household(&mut rng, family, as_of, tweaks) {
                let person_id = next.person;
                next.person += 1;
                let (birth_date, id_number) =
                    scale_identity(person_id, member.age, member.male, as_of).ok_or_else(|| {
                        anyhow!("cannot build the ID number of person {person_id}")
                    })?;
                let phone = if (18..80).contains(&member.age) {
                    Field::Text(format!(
                        "1{}{:08}",
                        30 + person_id % 60,
                        person_id % 100_000_000
                    ))
                } else {
                    Field::Null
                };
                chunk.tables[PERSONS].push([
                    Field::Int(person_id),
                    Field::Int(household_id),
                    Field::Text(member.name.clone()),
                    Field::Text(id_number),
                    Field::Static(if member.male { "M" } else { "F" }),
                    Field::Date(birth_date),
                    Field::Static(member.relation),
                    Field::Static(member.labour_capacity),
                    Field::Static(member.employment_status),
                    phone,
                ]);
                let records = PersonRecords {
                    person_id,
                    relocated_on,
                    class_id,
                    class_starts,
                    class_days,
                    as_of,
                };
                records.push(&mut rng, &member, &mut next, &mut chunk);
            }
            household_index += 1;
        }

        if (site_index + 1) % SITES_PER_CHUNK == 0 || site_index + 1 == plan.sites {
            let full = std::mem::replace(&mut chunk, new_chunk());
            if sender.blocking_send(full).is_err() {
                // The writer stopped; its error is reported by the caller.
                return Ok(());
            }
        }
    }
    if chunk.rows() > 0 {
        let _ = sender.blocking_send(chunk);
    }
    Ok(())
}

/// What a generated person's job, training and insurance rows are drawn from.
struct PersonRecords {
    person_id: i64,
    relocated_on: NaiveDate,
    class_id: i64,
    class_starts: NaiveDate,
    class_days: i64,
    as_of: NaiveDate,
}

impl PersonRecords {
    /// A job for the employed (the demo's mix of kinds), the site's class for some of those
    /// able to work, and this year's three insurances (A3§4: pension for adults in the labour
    /// force and everybody from 60; the demo's premiums).
    fn push(
        &self,
        rng: &mut ChaCha8Rng,
        member: &crate::family::Member,
        next: &mut NextIds,
        chunk: &mut Chunk,
    ) {
        let mut spell_id = None;
        if member.employment_status == "employed" {
            let kind = employment_type_for(rng, member.labour_capacity);
            let (employer, location) = employer_for(kind);
            let id = next.employment_spell;
            next.employment_spell += 1;
            let starts_on =
                (self.relocated_on + Duration::days(rng.gen_range(30..900))).min(self.as_of);
            let income_yuan = if kind == "public_welfare_post" {
                1_000
            } else {
                rng.gen_range(22..60) * 100
            };
            chunk.tables[SPELLS].push([
                Field::Int(id),
                Field::Int(self.person_id),
                Field::Static(kind),
                Field::Static(employer),
                Field::Static(location),
                Field::Date(starts_on),
                Field::Int(income_yuan * 100),
            ]);
            spell_id = Some(id);
        }
        if member.labour_capacity == "full" && member.age < 55 && rng.gen_bool(TRAINING_SHARE) {
            let id = next.training_enrolment;
            next.training_enrolment += 1;
            let attended = self.class_days - i64::from(rng.gen_bool(0.2));
            let completed = attended == self.class_days;
            let employed_after = spell_id.filter(|_| rng.gen_bool(0.6));
            chunk.tables[ENROLMENTS].push([
                Field::Int(id),
                Field::Int(self.class_id),
                Field::Int(self.person_id),
                Field::Date(self.class_starts - Duration::days(3)),
                Field::Int(attended),
                Field::Bool(completed),
                if completed {
                    Field::Text(format!("GEN-TC{}-{id}", self.class_id))
                } else {
                    Field::Null
                },
                Field::Bool(employed_after.is_some()),
                employed_after.map_or(Field::Null, Field::Int),
            ]);
        }
        let adult = member.age >= 16 && member.employment_status != "not_in_labour_force"
            || member.age >= 60;
        for (kind, premium_fen) in [
            ("basic_medical", 38_000),
            ("serious_illness", 0),
            ("pension", 20_000),
        ] {
            let enrolled = kind != "pension" || adult;
            let id = next.insurance_enrolment;
            next.insurance_enrolment += 1;
            chunk.tables[INSURANCE].push([
                Field::Int(id),
                Field::Int(self.person_id),
                Field::Static(kind),
                Field::Int(i64::from(self.as_of.year())),
                Field::Static(if enrolled {
                    "enrolled"
                } else {
                    "not_applicable"
                }),
                if enrolled {
                    Field::Date(self.as_of - Duration::days(348))
                } else {
                    Field::Null
                },
                if enrolled {
                    Field::Int(premium_fen)
                } else {
                    Field::Null
                },
                if enrolled && premium_fen > 0 {
                    Field::Int(premium_fen / 2)
                } else {
                    Field::Null
                },
            ]);
        }
    }
}

fn new_chunk() -> Chunk {
    Chunk {
        tables: vec![
            TableBatch::new("community", COMMUNITY_COLUMNS),
            TableBatch::new("village", VILLAGE_COLUMNS),
            TableBatch::new("site", SITE_COLUMNS),
            TableBatch::new("building", BUILDING_COLUMNS),
            TableBatch::new("flat", FLAT_COLUMNS),
            TableBatch::new("household", HOUSEHOLD_COLUMNS),
            TableBatch::new("person", PERSON_COLUMNS),
            TableBatch::new("employment_spell", EMPLOYMENT_SPELL_COLUMNS),
            TableBatch::new("training_institution", TRAINING_INSTITUTION_COLUMNS),
            TableBatch::new("training_class", TRAINING_CLASS_COLUMNS),
            TableBatch::new("training_enrolment", TRAINING_ENROLMENT_COLUMNS),
            TableBatch::new("insurance_enrolment", INSURANCE_ENROLMENT_COLUMNS),
        ],
    }
}

/// Appends one field in PostgreSQL's COPY text format.
fn write_copy_field(out: &mut String, field: &Field) {
    match field {
        Field::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Field::Text(value) => escape_copy_text(out, value),
        Field::Static(value) => escape_copy_text(out, value),
        Field::Date(value) => {
            let _ = write!(out, "{}", value.format("%Y-%m-%d"));
        }
        Field::Bool(value) => out.push(if *value { 't' } else { 'f' }),
        Field::Null => out.push_str("\\N"),
    }
}

fn escape_copy_text(out: &mut String, value: &str) {
    for character in value.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
}

/// Writes one chunk with COPY in its own transaction; returns its number of households.
async fn copy_chunk(pool: &sea_orm::sqlx::PgPool, chunk: &Chunk) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    // Losing the last commits in a crash is acceptable for generated data.
    sea_orm::sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    let mut households = 0u64;
    let mut buffer = String::new();
    for batch in &chunk.tables {
        if batch.fields.is_empty() {
            continue;
        }
        if batch.table == "household" {
            households += batch.rows() as u64;
        }
        buffer.clear();
        for row in batch.fields.chunks(batch.columns.len()) {
            for (index, field) in row.iter().enumerate() {
                if index > 0 {
                    buffer.push('\t');
                }
                write_copy_field(&mut buffer, field);
            }
            buffer.push('\n');
        }
        let statement = format!(
            "COPY {} ({}) FROM STDIN",
            batch.table,
            batch.columns.join(", ")
        );
        let mut copy = tx.copy_in_raw(&statement).await?;
        copy.send(buffer.as_bytes()).await?;
        copy.finish()
            .await
            .with_context(|| format!("copying into {}", batch.table))?;
    }
    tx.commit().await?;
    Ok(households)
}

/// PostgreSQL: the villages first, then chunks of sites on [`POSTGRES_WRITERS`] connections in
/// parallel, each chunk one transaction (so a failed run may leave whole chunks behind).
async fn write_postgres(
    db: &DatabaseConnection,
    receiver: tokio::sync::mpsc::Receiver<Chunk>,
) -> anyhow::Result<u64> {
    let pool = db.get_postgres_connection_pool().clone();
    let receiver = std::sync::Arc::new(tokio::sync::Mutex::new(receiver));
    let first = receiver.lock().await.recv().await;
    let mut households = match first {
        Some(chunk) => copy_chunk(&pool, &chunk).await?,
        None => 0,
    };
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..POSTGRES_WRITERS {
        let pool = pool.clone();
        let receiver = receiver.clone();
        writers.spawn(async move {
            let mut households = 0u64;
            loop {
                let next = receiver.lock().await.recv().await;
                let Some(chunk) = next else {
                    return Ok::<u64, anyhow::Error>(households);
                };
                households += copy_chunk(&pool, &chunk).await?;
            }
        });
    }
    let mut failure = None;
    while let Some(result) = writers.join_next().await {
        match result.context("COPY writer task").and_then(|r| r) {
            Ok(written) => households += written,
            Err(error) => {
                // Close the channel so that the generator and the other writer stop.
                receiver.lock().await.close();
                failure.get_or_insert(error);
            }
        }
    }
    if let Some(error) = failure {
        return Err(error);
    }
    // Explicit ids do not move the serial sequences: move them past the new rows.
    for table in [
        "community",
        "village",
        "site",
        "building",
        "flat",
        "household",
        "person",
    ] {
        sea_orm::sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        ))
        .execute(&pool)
        .await?;
    }
    Ok(households)
}

fn to_value(field: &Field) -> Value {
    match field {
        Field::Int(value) => Value::BigInt(Some(*value)),
        Field::Text(value) => Value::String(Some(Box::new(value.clone()))),
        Field::Static(value) => Value::String(Some(Box::new((*value).to_owned()))),
        Field::Date(value) => Value::ChronoDate(Some(Box::new(*value))),
        Field::Bool(value) => Value::Bool(Some(*value)),
        Field::Null => Value::String(None),
    }
}

async fn write_sqlite(
    db: &DatabaseConnection,
    mut receiver: tokio::sync::mpsc::Receiver<Chunk>,
) -> anyhow::Result<u64> {
    let tx = db.begin().await?;
    let mut households = 0u64;
    while let Some(chunk) = receiver.recv().await {
        for batch in &chunk.tables {
            if batch.table == "household" {
                households += batch.rows() as u64;
            }
            let width = batch.columns.len();
            for rows in batch.fields.chunks(width * SQLITE_ROWS_PER_INSERT) {
                let mut statement = Query::insert();
                statement
                    .into_table(Alias::new(batch.table))
                    .columns(batch.columns.iter().map(|c| Alias::new(*c)));
                for row in rows.chunks(width) {
                    statement.values(row.iter().map(|f| SimpleExpr::from(to_value(f))))?;
                }
                tx.execute(tx.get_database_backend().build(&statement))
                    .await
                    .with_context(|| format!("inserting into {}", batch.table))?;
            }
        }
    }
    tx.commit().await?;
    Ok(households)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_identity_gives_the_drafted_age_and_a_valid_number() {
        let as_of = demo_as_of();
        for person_id in [1_i64, 364, 365, 182_499, 182_500, 18_250_000, 40_000_000] {
            for age in [0, 17, 18, 60, 88] {
                let (born, id) = scale_identity(person_id, age, person_id % 2 == 0, as_of).unwrap();
                assert_eq!(
                    as_of.years_since(born),
                    Some(age as u32),
                    "{person_id} {age}"
                );
                assert_eq!(id[6..14], born.format("%Y%m%d").to_string());
                assert_eq!(crate::id_number::check_digit(&id[..17]), id.chars().nth(17));
                assert_ne!(&id[..6], "610202");
            }
        }
    }

    #[test]
    fn scale_identity_never_repeats_for_the_same_age() {
        let as_of = demo_as_of();
        let mut seen = std::collections::HashSet::new();
        for person_id in 1..400_000_i64 {
            let (_, id) = scale_identity(person_id, 30, true, as_of).unwrap();
            assert!(seen.insert(id), "{person_id}");
        }
    }
}
