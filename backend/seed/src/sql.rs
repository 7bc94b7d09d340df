//! Small helpers to write rows with sea-query on either backend without entity structs.
use anyhow::{anyhow, Context};
use sea_orm::sea_query::{Alias, Expr, InsertStatement, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Value};

/// One column value of a row to insert.
pub(crate) type Cell = (&'static str, Value);

/// Builds `INSERT INTO table (cols…) VALUES (…)` for one row.
pub(crate) fn insert_row(table: &str, cells: Vec<Cell>) -> anyhow::Result<InsertStatement> {
    let mut statement = Query::insert();
    statement
        .into_table(Alias::new(table))
        .columns(cells.iter().map(|(column, _)| Alias::new(*column)));
    statement
        .values(cells.into_iter().map(|(_, value)| SimpleExpr::from(value)))
        .with_context(|| format!("building insert into {table}"))?;
    Ok(statement)
}

/// Inserts one row and returns its generated `id` (`RETURNING id` works on SQLite ≥ 3.35 and PostgreSQL).
pub(crate) async fn insert_returning_id<C: ConnectionTrait>(
    db: &C,
    table: &str,
    cells: Vec<Cell>,
) -> anyhow::Result<i64> {
    let mut statement = insert_row(table, cells)?;
    statement.returning_col(Alias::new("id"));
    let built = db.get_database_backend().build(&statement);
    let row = db
        .query_one(built)
        .await
        .with_context(|| format!("inserting into {table}"))?
        .ok_or_else(|| anyhow!("insert into {table} returned no id"))?;
    Ok(row.try_get::<i64>("", "id")?)
}

/// Inserts one row whose id is not needed (tables without an `id`, such as `user_role`).
pub(crate) async fn insert_plain<C: ConnectionTrait>(
    db: &C,
    table: &str,
    cells: Vec<Cell>,
) -> anyhow::Result<()> {
    let statement = insert_row(table, cells)?;
    db.execute(db.get_database_backend().build(&statement))
        .await
        .with_context(|| format!("inserting into {table}"))?;
    Ok(())
}

/// Updates the row of `table` with this `id`: sets the cells and bumps `version`, as an edit would.
pub(crate) async fn update_by_id<C: ConnectionTrait>(
    db: &C,
    table: &str,
    id: i64,
    cells: Vec<Cell>,
) -> anyhow::Result<()> {
    let mut statement = Query::update();
    statement
        .table(Alias::new(table))
        .values(
            cells
                .into_iter()
                .map(|(column, value)| (Alias::new(column), SimpleExpr::from(value))),
        )
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .and_where(Expr::col(Alias::new("id")).eq(id));
    let result = db
        .execute(db.get_database_backend().build(&statement))
        .await
        .with_context(|| format!("updating {table} {id}"))?;
    if result.rows_affected() != 1 {
        return Err(anyhow!("no {table} with id {id} to update"));
    }
    Ok(())
}

/// The id of the row of `table` whose `column` equals `value`.
pub(crate) async fn id_where<C: ConnectionTrait>(
    db: &C,
    table: &str,
    column: &str,
    value: &str,
) -> anyhow::Result<i64> {
    let statement = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new(column)).eq(value))
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&statement))
        .await?
        .ok_or_else(|| anyhow!("no {table} with {column} = {value}"))?;
    Ok(row.try_get::<i64>("", "id")?)
}

/// `SELECT count(*) FROM table`.
pub(crate) async fn count_rows<C: ConnectionTrait>(db: &C, table: &str) -> anyhow::Result<i64> {
    let statement = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(Alias::new(table))
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&statement))
        .await?
        .ok_or_else(|| anyhow!("count of {table} returned no row"))?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// `SELECT COALESCE(MAX(id), 0) FROM table`.
pub(crate) async fn max_id<C: ConnectionTrait>(db: &C, table: &str) -> anyhow::Result<i64> {
    let statement = Query::select()
        .expr_as(Expr::cust("COALESCE(MAX(id), 0)"), Alias::new("m"))
        .from(Alias::new(table))
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&statement))
        .await?
        .ok_or_else(|| anyhow!("max id of {table} returned no row"))?;
    Ok(row.try_get::<i64>("", "m")?)
}

/// Shorthand for a text value.
pub(crate) fn text(value: impl Into<String>) -> Value {
    Value::String(Some(Box::new(value.into())))
}

/// Shorthand for a big-integer value.
pub(crate) fn int(value: i64) -> Value {
    Value::BigInt(Some(value))
}

/// Shorthand for a nullable big-integer value.
pub(crate) fn opt_int(value: Option<i64>) -> Value {
    Value::BigInt(value)
}

/// Shorthand for a date value.
pub(crate) fn date(value: chrono::NaiveDate) -> Value {
    Value::ChronoDate(Some(Box::new(value)))
}

/// Shorthand for a nullable date value.
pub(crate) fn opt_date(value: Option<chrono::NaiveDate>) -> Value {
    Value::ChronoDate(value.map(Box::new))
}

/// Shorthand for a nullable text value.
pub(crate) fn opt_text(value: Option<impl Into<String>>) -> Value {
    Value::String(value.map(|v| Box::new(v.into())))
}

/// Shorthand for a boolean value.
pub(crate) fn boolean(value: bool) -> Value {
    Value::Bool(Some(value))
}

/// A calendar date written in the source; the literals are valid, so the fallback is never used.
pub(crate) fn ymd(year: i32, month: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap_or(chrono::NaiveDate::MIN)
}
