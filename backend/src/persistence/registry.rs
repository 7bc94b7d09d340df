//! Queries of the resettlement registry: pages of sites, households and persons, batched
//! relation loads and per-site aggregates, each a single set-based statement.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, IntoColumnRef, Order, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Value,
};

use super::entities::{building, flat, household, person, site};
use super::paging::{Cursor, PageDirection, PageRequest};
use super::scope::{households_of_towns, sites_of_towns};

/// A page of rows in display order, and whether more rows lie beyond it in its direction.
#[derive(Debug, Clone)]
pub struct Page<M> {
    pub rows: Vec<M>,
    pub has_more: bool,
}

impl<M> Page<M> {
    /// Trims the one extra row fetched to learn whether more exist, and restores display order.
    fn from_fetched(mut rows: Vec<M>, page: &PageRequest) -> Page<M> {
        let has_more = rows.len() as u64 > page.size;
        rows.truncate(page.size as usize);
        if page.direction == PageDirection::Backward {
            rows.reverse();
        }
        Page { rows, has_more }
    }
}

/// Live totals of a site (or the district), from the households and persons not archived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromQueryResult)]
pub struct SiteStats {
    pub households: i64,
    pub population: i64,
    pub labour_force: i64,
    pub employed: i64,
    pub zero_employment_households: i64,
}

#[derive(Debug, FromQueryResult)]
struct SiteStatsRow {
    site_id: i64,
    households: i64,
    population: i64,
    labour_force: i64,
    employed: i64,
    zero_employment_households: i64,
}

/// Per-site totals for the given sites (all sites when `None`) in one statement: per-household
/// sums first, then per site, so that zero-employment households (A2§1: labour, nobody
/// employed) are counted in SQL rather than row by row.
pub async fn site_stats(
    db: &impl ConnectionTrait,
    site_ids: Option<&[i64]>,
    town_ids: Option<&[i64]>,
) -> Result<HashMap<i64, SiteStats>, DbErr> {
    let labour = "CASE WHEN p.labour_capacity IN ('full', 'partial') THEN 1 ELSE 0 END";
    let employed = "CASE WHEN p.employment_status = 'employed' THEN 1 ELSE 0 END";
    let site_filter = match site_ids {
        Some([]) => return Ok(HashMap::new()),
        Some(ids) => format!(
            "AND h.site_id IN ({})",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => String::new(),
    };
    let town_filter = match town_ids {
        Some([]) => return Ok(HashMap::new()),
        Some(ids) => format!(
            "AND h.site_id IN (SELECT id FROM site WHERE town_id IN ({}))",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => String::new(),
    };
    let sql = format!(
        "SELECT site_id,
                CAST(COUNT(*) AS BIGINT) AS households,
                CAST(COALESCE(SUM(members), 0) AS BIGINT) AS population,
                CAST(COALESCE(SUM(labour), 0) AS BIGINT) AS labour_force,
                CAST(COALESCE(SUM(employed), 0) AS BIGINT) AS employed,
                CAST(COALESCE(SUM(CASE WHEN labour > 0 AND employed = 0 THEN 1 ELSE 0 END), 0) AS BIGINT)
                    AS zero_employment_households
         FROM (SELECT h.site_id AS site_id, h.id AS household_id,
                      COUNT(p.id) AS members,
                      COALESCE(SUM({labour}), 0) AS labour,
                      COALESCE(SUM({employed}), 0) AS employed
               FROM household h
               LEFT JOIN person p ON p.household_id = h.id AND p.archived_at IS NULL
               WHERE h.archived_at IS NULL {site_filter} {town_filter}
               GROUP BY h.site_id, h.id) per_household
         GROUP BY site_id"
    );
    // The ids are integers formatted by us, so the statement carries no user text.
    let rows = SiteStatsRow::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.site_id,
                SiteStats {
                    households: row.households,
                    population: row.population,
                    labour_force: row.labour_force,
                    employed: row.employed,
                    zero_employment_households: row.zero_employment_households,
                },
            )
        })
        .collect())
}

/// The current (not archived) members of each household, in id order.
pub async fn members_of_households(
    db: &impl ConnectionTrait,
    household_ids: &[i64],
) -> Result<HashMap<i64, Vec<person::Model>>, DbErr> {
    let members = person::Entity::find()
        .filter(person::Column::HouseholdId.is_in(household_ids.iter().copied()))
        .filter(person::Column::ArchivedAt.is_null())
        .order_by_asc(person::Column::HouseholdId)
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    let mut by_household: HashMap<i64, Vec<person::Model>> = HashMap::new();
    for member in members {
        by_household
            .entry(member.household_id)
            .or_default()
            .push(member);
    }
    Ok(by_household)
}

/// "Building 3 · 502" labels of flats, with their building names, in one statement.
pub async fn flat_labels(
    db: &impl ConnectionTrait,
    flat_ids: &[i64],
) -> Result<HashMap<i64, String>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        number: String,
        building_name: String,
    }
    let rows = flat::Entity::find()
        .select_only()
        .column(flat::Column::Id)
        .column(flat::Column::Number)
        .column_as(building::Column::Name, "building_name")
        .inner_join(building::Entity)
        .filter(flat::Column::Id.is_in(flat_ids.iter().copied()))
        .into_model::<Row>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, format!("{} {}", row.building_name, row.number)))
        .collect())
}

/// Pages of households of several sites in one statement: each `(site id, cursor id)` is one
/// page (the same direction and size for all), so a request that reads a site's pages side by
/// side, or the first page of many sites, costs one statement; the pages come back in the
/// order asked. Rows are numbered within their
/// page by `ROW_NUMBER()` over a `VALUES` list of the pages, and one row more than the page
/// size is read to learn whether more follow.
pub async fn household_pages(
    db: &impl ConnectionTrait,
    pages: &[(i64, Option<i64>)],
    page: &PageRequest,
    include_archived: bool,
) -> Result<Vec<Page<household::Model>>, DbErr> {
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let forward = page.direction == PageDirection::Forward;
    let (order, beyond) = if forward { ("ASC", ">") } else { ("DESC", "<") };
    // A page without a cursor starts beyond every id.
    let start = if forward { 0 } else { i64::MAX };
    // The pages are bound as parameters, so one prepared statement serves every request that
    // reads the same number of pages.
    let backend = db.get_database_backend();
    let placeholder = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    };
    let mut values = Vec::with_capacity(pages.len() * 3);
    let rows_sql = pages
        .iter()
        .enumerate()
        .map(|(index, (site_id, cursor))| {
            let first = values.len() + 1;
            values.push(Value::from(index as i64));
            values.push(Value::from(*site_id));
            values.push(Value::from(cursor.unwrap_or(start)));
            format!(
                "({}, {}, {})",
                placeholder(first),
                placeholder(first + 1),
                placeholder(first + 2)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let archived = if include_archived {
        ""
    } else {
        " AND h.archived_at IS NULL"
    };
    // Only the order, the comparison and the page size (an integer) are formatted in.
    let sql = format!(
        "SELECT * FROM (
           SELECT h.*, CAST(k.column1 AS BIGINT) AS page_key,
                  ROW_NUMBER() OVER (PARTITION BY k.column1 ORDER BY h.id {order}) AS row_in_page
           FROM household h
           JOIN (VALUES {rows_sql}) k ON h.site_id = k.column2 AND h.id {beyond} k.column3
           WHERE 1 = 1{archived}
         ) numbered
         WHERE row_in_page <= {limit}
         ORDER BY page_key, id {order}",
        limit = page.size + 1,
    );
    let rows = db
        .query_all(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
        .await?;
    let mut fetched: Vec<Vec<household::Model>> = vec![Vec::new(); pages.len()];
    for row in rows {
        let key: i64 = row.try_get("", "page_key")?;
        if let Some(rows) = usize::try_from(key)
            .ok()
            .and_then(|key| fetched.get_mut(key))
        {
            rows.push(household::Model::from_query_result(&row, "")?);
        }
    }
    Ok(fetched
        .into_iter()
        .map(|rows| Page::from_fetched(rows, page))
        .collect())
}

/// Which households a top-level list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct HouseholdFilter {
    pub site_id: Option<i64>,
    pub town_id: Option<i64>,
    /// The principal's row scope: only these towns' sites (`None`: the whole district).
    pub scope_town_ids: Option<Vec<i64>>,
    pub code_prefix: Option<String>,
    pub include_archived: bool,
}

impl HouseholdFilter {
    fn apply(&self, mut select: Select<household::Entity>) -> Select<household::Entity> {
        if let Some(site_id) = self.site_id {
            select = select.filter(household::Column::SiteId.eq(site_id));
        }
        if let Some(town_id) = self.town_id {
            select = select.filter(
                household::Column::SiteId.in_subquery(
                    Query::select()
                        .column(site::Column::Id)
                        .from(site::Entity)
                        .and_where(site::Column::TownId.eq(town_id))
                        .to_owned(),
                ),
            );
        }
        if let Some(towns) = &self.scope_town_ids {
            select = select.filter(household::Column::SiteId.in_subquery(sites_of_towns(towns)));
        }
        if let Some(prefix) = &self.code_prefix {
            select = select.filter(household::Column::Code.starts_with(prefix));
        }
        if !self.include_archived {
            select = select.filter(household::Column::ArchivedAt.is_null());
        }
        select
    }
}

/// Orders of the household list; the name is baked into cursors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdOrder {
    IdAsc,
    CodeAsc,
}

impl HouseholdOrder {
    pub fn cursor_name(self) -> &'static str {
        match self {
            HouseholdOrder::IdAsc => "ID",
            HouseholdOrder::CodeAsc => "CODE",
        }
    }

    pub fn cursor_of(self, row: &household::Model) -> Cursor {
        Cursor {
            sort: self.cursor_name().into(),
            key: match self {
                HouseholdOrder::IdAsc => None,
                HouseholdOrder::CodeAsc => Some(row.code.clone()),
            },
            id: row.id,
        }
    }
}

pub async fn household_page(
    db: &impl ConnectionTrait,
    filter: &HouseholdFilter,
    order: HouseholdOrder,
    page: &PageRequest,
) -> Result<Page<household::Model>, DbErr> {
    let select = filter.apply(household::Entity::find());
    let sort = match order {
        HouseholdOrder::IdAsc => None,
        HouseholdOrder::CodeAsc => Some((
            household::Column::Code.into_column_ref(),
            page.cursor
                .as_ref()
                .and_then(|cursor| cursor.key.clone())
                .map(Value::from),
        )),
    };
    let rows = keyset(select, household::Column::Id, sort, true, page)
        .all(db)
        .await?;
    Ok(Page::from_fetched(rows, page))
}

pub async fn count_households(
    db: &impl ConnectionTrait,
    filter: &HouseholdFilter,
) -> Result<u64, DbErr> {
    filter.apply(household::Entity::find()).count(db).await
}

/// Which persons a top-level list shows; every filter is on an indexed column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFilter {
    pub site_id: Option<i64>,
    pub town_id: Option<i64>,
    /// The principal's row scope: only these towns' sites (`None`: the whole district).
    pub scope_town_ids: Option<Vec<i64>>,
    pub household_id: Option<i64>,
    pub labour_capacities: Vec<&'static str>,
    pub employment_statuses: Vec<&'static str>,
    /// Inclusive birth-date bounds (an age band translated at the edge).
    pub born_on_or_after: Option<NaiveDate>,
    pub born_on_or_before: Option<NaiveDate>,
    pub name_prefix: Option<String>,
    pub include_archived: bool,
}

impl PersonFilter {
    fn apply(&self, mut select: Select<person::Entity>) -> Select<person::Entity> {
        if let Some(household_id) = self.household_id {
            select = select.filter(person::Column::HouseholdId.eq(household_id));
        }
        if let Some(towns) = &self.scope_town_ids {
            select = select.filter(
                person::Column::HouseholdId.in_subquery(
                    Query::select()
                        .column(household::Column::Id)
                        .from(household::Entity)
                        .and_where(household::Column::SiteId.in_subquery(sites_of_towns(towns)))
                        .to_owned(),
                ),
            );
        }
        if self.site_id.is_some() || self.town_id.is_some() {
            let mut households = Query::select();
            households
                .column(household::Column::Id)
                .from(household::Entity);
            if let Some(site_id) = self.site_id {
                households.and_where(household::Column::SiteId.eq(site_id));
            }
            if let Some(town_id) = self.town_id {
                households.and_where(
                    household::Column::SiteId.in_subquery(
                        Query::select()
                            .column(site::Column::Id)
                            .from(site::Entity)
                            .and_where(site::Column::TownId.eq(town_id))
                            .to_owned(),
                    ),
                );
            }
            select = select.filter(person::Column::HouseholdId.in_subquery(households.to_owned()));
        }
        if !self.labour_capacities.is_empty() {
            select = select.filter(
                person::Column::LabourCapacity.is_in(self.labour_capacities.iter().copied()),
            );
        }
        if !self.employment_statuses.is_empty() {
            select = select.filter(
                person::Column::EmploymentStatus.is_in(self.employment_statuses.iter().copied()),
            );
        }
        if let Some(earliest) = self.born_on_or_after {
            select = select.filter(person::Column::BirthDate.gte(earliest));
        }
        if let Some(latest) = self.born_on_or_before {
            select = select.filter(person::Column::BirthDate.lte(latest));
        }
        if let Some(prefix) = &self.name_prefix {
            select = select.filter(person::Column::Name.starts_with(prefix));
        }
        if !self.include_archived {
            select = select.filter(person::Column::ArchivedAt.is_null());
        }
        select
    }
}

/// Orders of the person list; the name is baked into cursors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonOrder {
    IdAsc,
    NameAsc,
    BirthDateAsc,
    BirthDateDesc,
}

impl PersonOrder {
    pub fn cursor_name(self) -> &'static str {
        match self {
            PersonOrder::IdAsc => "ID",
            PersonOrder::NameAsc => "NAME",
            PersonOrder::BirthDateAsc => "BIRTH_DATE",
            PersonOrder::BirthDateDesc => "BIRTH_DATE_DESC",
        }
    }

    pub fn cursor_of(self, row: &person::Model) -> Cursor {
        Cursor {
            sort: self.cursor_name().into(),
            key: match self {
                PersonOrder::IdAsc => None,
                PersonOrder::NameAsc => Some(row.name.clone()),
                PersonOrder::BirthDateAsc | PersonOrder::BirthDateDesc => {
                    Some(row.birth_date.to_string())
                }
            },
            id: row.id,
        }
    }
}

pub async fn person_page(
    db: &impl ConnectionTrait,
    filter: &PersonFilter,
    order: PersonOrder,
    page: &PageRequest,
) -> Result<Page<person::Model>, DbErr> {
    let key = page.cursor.as_ref().and_then(|cursor| cursor.key.clone());
    let (sort, ascending) = match order {
        PersonOrder::IdAsc => (None, true),
        PersonOrder::NameAsc => (
            Some((person::Column::Name.into_column_ref(), key.map(Value::from))),
            true,
        ),
        PersonOrder::BirthDateAsc | PersonOrder::BirthDateDesc => {
            let date = key
                .map(|text| {
                    text.parse::<NaiveDate>()
                        .map_err(|_| DbErr::Custom("a birth-date cursor holds no date".into()))
                })
                .transpose()?;
            (
                Some((
                    person::Column::BirthDate.into_column_ref(),
                    date.map(Value::from),
                )),
                order == PersonOrder::BirthDateAsc,
            )
        }
    };
    let select = filter.apply(person::Entity::find());
    let rows = keyset(select, person::Column::Id, sort, ascending, page)
        .all(db)
        .await?;
    Ok(Page::from_fetched(rows, page))
}

pub async fn count_persons(db: &impl ConnectionTrait, filter: &PersonFilter) -> Result<u64, DbErr> {
    filter.apply(person::Entity::find()).count(db).await
}

/// Keyset paging on `(sort column, id)`: rows strictly past the cursor in the page's
/// direction, ordered, with one extra row to learn whether more exist.
fn keyset<E: EntityTrait>(
    mut select: Select<E>,
    id_column: E::Column,
    sort: Option<(sea_orm::sea_query::ColumnRef, Option<Value>)>,
    ascending: bool,
    page: &PageRequest,
) -> Select<E> {
    let walk_up = ascending == (page.direction == PageDirection::Forward);
    let past = |column: SimpleExpr, value: SimpleExpr| -> SimpleExpr {
        if walk_up {
            Expr::expr(column).gt(value)
        } else {
            Expr::expr(column).lt(value)
        }
    };
    let id_expr = SimpleExpr::Column(id_column.into_column_ref());
    if let Some(cursor) = &page.cursor {
        let id_past = past(id_expr.clone(), Expr::val(cursor.id).into());
        let condition = match &sort {
            Some((column, Some(value))) => {
                let column = SimpleExpr::Column(column.clone());
                past(column.clone(), Expr::val(value.clone()).into())
                    .or(Expr::expr(column).eq(Expr::val(value.clone())).and(id_past))
            }
            _ => id_past,
        };
        select = select.filter(condition);
    }
    let order = if walk_up { Order::Asc } else { Order::Desc };
    if let Some((column, _)) = &sort {
        select = select.order_by(SimpleExpr::Column(column.clone()), order.clone());
    }
    select.order_by(id_column, order).limit(page.size + 1)
}

/// Households per site in one grouped statement.
pub async fn household_counts_by_site(
    db: &impl ConnectionTrait,
    site_ids: &[i64],
    include_archived: bool,
) -> Result<HashMap<i64, u64>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        site_id: i64,
        households: i64,
    }
    let mut select = household::Entity::find()
        .select_only()
        .column(household::Column::SiteId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "households")
        .filter(household::Column::SiteId.is_in(site_ids.iter().copied()))
        .group_by(household::Column::SiteId);
    if !include_archived {
        select = select.filter(household::Column::ArchivedAt.is_null());
    }
    let rows = select.into_model::<Row>().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.site_id, row.households.max(0) as u64))
        .collect())
}

/// Formal party members (A6§1.1: probationary members and activists do not count) living at
/// each site, from the party-member register.
pub async fn formal_party_members_by_site(
    db: &impl ConnectionTrait,
    site_ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        site_id: i64,
        members: i64,
    }
    if site_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = site_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT h.site_id AS site_id, CAST(COUNT(*) AS BIGINT) AS members
         FROM party_member m
         JOIN person p ON p.id = m.person_id AND p.archived_at IS NULL
         JOIN household h ON h.id = p.household_id AND h.archived_at IS NULL
         WHERE m.status = 'formal' AND h.site_id IN ({ids})
         GROUP BY h.site_id"
    );
    let rows = Row::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.site_id, row.members))
        .collect())
}

fn scoped_sites(town_ids: Option<&[i64]>) -> Select<site::Entity> {
    match town_ids {
        Some(towns) => {
            site::Entity::find().filter(site::Column::TownId.is_in(towns.iter().copied()))
        }
        None => site::Entity::find(),
    }
}

pub async fn count_sites(
    db: &impl ConnectionTrait,
    town_ids: Option<&[i64]>,
) -> Result<u64, DbErr> {
    scoped_sites(town_ids).count(db).await
}

pub async fn site_page(
    db: &impl ConnectionTrait,
    town_ids: Option<&[i64]>,
    page: &PageRequest,
) -> Result<Page<site::Model>, DbErr> {
    let rows = keyset(scoped_sites(town_ids), site::Column::Id, None, true, page)
        .all(db)
        .await?;
    Ok(Page::from_fetched(rows, page))
}

pub async fn all_towns(
    db: &impl ConnectionTrait,
) -> Result<Vec<super::entities::town::Model>, DbErr> {
    use super::entities::town;
    town::Entity::find()
        .order_by_asc(town::Column::Id)
        .all(db)
        .await
}

pub async fn all_bureaus(
    db: &impl ConnectionTrait,
) -> Result<Vec<super::entities::bureau::Model>, DbErr> {
    use super::entities::bureau;
    bureau::Entity::find()
        .order_by_asc(bureau::Column::Id)
        .all(db)
        .await
}

pub async fn find_person(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find_by_id(id).one(db).await
}

/// The town whose site a record belongs to (for row-scope checks on `node(id:)` and writes).
pub async fn town_of_record(
    db: &impl ConnectionTrait,
    table: RecordTable,
    id: i64,
) -> Result<Option<i64>, DbErr> {
    let site_id = match table {
        RecordTable::Site => Some(id),
        RecordTable::Household => {
            household::Entity::find_by_id(id)
                .select_only()
                .column(household::Column::SiteId)
                .into_tuple::<i64>()
                .one(db)
                .await?
        }
        RecordTable::Person => {
            household::Entity::find()
                .select_only()
                .column(household::Column::SiteId)
                .filter(
                    household::Column::Id.in_subquery(
                        Query::select()
                            .column(person::Column::HouseholdId)
                            .from(person::Entity)
                            .and_where(person::Column::Id.eq(id))
                            .to_owned(),
                    ),
                )
                .into_tuple::<i64>()
                .one(db)
                .await?
        }
    };
    let Some(site_id) = site_id else {
        return Ok(None);
    };
    site::Entity::find_by_id(site_id)
        .select_only()
        .column(site::Column::TownId)
        .into_tuple::<i64>()
        .one(db)
        .await
}

/// Records whose town decides who may see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordTable {
    Site,
    Household,
    Person,
}

/// The town with this statistical division code (an alternate key).
pub async fn find_town_by_division_code(
    db: &impl ConnectionTrait,
    division_code: &str,
) -> Result<Option<super::entities::town::Model>, DbErr> {
    use super::entities::town;
    town::Entity::find()
        .filter(town::Column::DivisionCode.eq(division_code))
        .one(db)
        .await
}

/// The site with this code (an alternate key), if it is in `town_ids` (all towns: `None`).
pub async fn find_site_by_code(
    db: &impl ConnectionTrait,
    town_ids: Option<&[i64]>,
    code: &str,
) -> Result<Option<site::Model>, DbErr> {
    scoped_sites(town_ids)
        .filter(site::Column::Code.eq(code))
        .one(db)
        .await
}

/// The household with this code (an alternate key), if its site is in `town_ids`.
pub async fn find_household_by_code(
    db: &impl ConnectionTrait,
    town_ids: Option<&[i64]>,
    code: &str,
) -> Result<Option<household::Model>, DbErr> {
    let mut select = household::Entity::find().filter(household::Column::Code.eq(code));
    if let Some(towns) = town_ids {
        select = select.filter(household::Column::SiteId.in_subquery(sites_of_towns(towns)));
    }
    select.one(db).await
}

/// The person with this national ID number (an alternate key), if the household's site is
/// in `town_ids`.
pub async fn find_person_by_id_number(
    db: &impl ConnectionTrait,
    town_ids: Option<&[i64]>,
    id_number: &str,
) -> Result<Option<person::Model>, DbErr> {
    let mut select = person::Entity::find().filter(person::Column::IdNumber.eq(id_number));
    if let Some(towns) = town_ids {
        select = select.filter(person::Column::HouseholdId.in_subquery(households_of_towns(towns)));
    }
    select.one(db).await
}
