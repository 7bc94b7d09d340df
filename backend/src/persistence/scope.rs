//! Row scope in SQL: the subqueries that keep a town official's reads and writes to the
//! sites of their towns.
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::ColumnTrait;

use super::entities::{household, site};

/// `SELECT id FROM site WHERE town_id IN (…)`.
pub fn sites_of_towns(town_ids: &[i64]) -> SelectStatement {
    Query::select()
        .column(site::Column::Id)
        .from(site::Entity)
        .and_where(site::Column::TownId.is_in(town_ids.iter().copied()))
        .to_owned()
}

/// `SELECT id FROM household WHERE site_id IN (sites of the towns)`.
pub fn households_of_towns(town_ids: &[i64]) -> SelectStatement {
    Query::select()
        .column(household::Column::Id)
        .from(household::Entity)
        .and_where(household::Column::SiteId.in_subquery(sites_of_towns(town_ids)))
        .to_owned()
}
