//! Column helpers shared by every migration, so each table carries the same bookkeeping.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The bookkeeping columns of every mutable record: optimistic-concurrency `version`,
/// created/updated timestamps and the acting user (`users.id`; null for the system).
pub fn with_record_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(
            integer(Record::Version)
                .default(1)
                .check(Expr::col(Record::Version).gte(1)),
        )
        .col(timestamp_with_time_zone(Record::CreatedAt).default(Expr::current_timestamp()))
        .col(timestamp_with_time_zone(Record::UpdatedAt).default(Expr::current_timestamp()))
        .col(big_integer_null(Record::CreatedBy))
        .col(big_integer_null(Record::UpdatedBy))
}

/// A CHECK that a text column holds one of the listed codes.
pub fn one_of<T: IntoIden + Copy + 'static>(column: T, codes: &[&str]) -> SimpleExpr {
    Expr::col(column).is_in(codes.iter().copied())
}

/// A foreign key `table.column → target.id` that refuses to delete a referenced row.
pub fn fk<T, C, U>(table: T, column: C, target: U) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    U: IntoIden + Copy + 'static,
{
    ForeignKey::create()
        .from(table, column)
        .to(target, Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

/// A foreign key whose rows disappear with their parent (for pure child rows such as role grants).
pub fn fk_cascade<T, C, U>(table: T, column: C, target: U) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    U: IntoIden + Copy + 'static,
{
    ForeignKey::create()
        .from(table, column)
        .to(target, Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

/// Creates a (possibly unique) index named `<table>_<columns>_idx` / `_key`.
pub fn index<T: IntoIden + Copy + 'static>(
    table: T,
    name: &str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(Alias::new(*column));
    }
    if unique {
        statement.unique();
    }
    statement.to_owned()
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Record {
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

/// A text code column that accepts only the listed codes.
pub fn code<T: IntoIden + Copy + 'static>(column: T, len: u32, codes: &[&str]) -> ColumnDef {
    string_len(column, len)
        .check(one_of(column, codes))
        .to_owned()
}

/// An integer amount (fen, 0.0001 mu, bytes …) that is never negative.
pub fn non_negative<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    big_integer(column)
        .check(Expr::col(column).gte(0))
        .to_owned()
}

/// A nullable integer amount that is never negative.
pub fn non_negative_null<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    big_integer_null(column)
        .check(Expr::col(column).gte(0))
        .to_owned()
}

/// An integer amount that is strictly positive.
pub fn positive<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    big_integer(column)
        .check(Expr::col(column).gt(0))
        .to_owned()
}

/// A small integer count that is never negative.
pub fn count<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    integer(column)
        .default(0)
        .check(Expr::col(column).gte(0))
        .to_owned()
}

/// An integer held within `low..=high` (basis points, percents, grades, years).
pub fn ranged<T: IntoIden + Copy + 'static>(column: T, low: i64, high: i64) -> ColumnDef {
    integer(column)
        .check(Expr::col(column).between(low, high))
        .to_owned()
}

/// A nullable integer held within `low..=high`.
pub fn ranged_null<T: IntoIden + Copy + 'static>(column: T, low: i64, high: i64) -> ColumnDef {
    integer_null(column)
        .check(Expr::col(column).between(low, high))
        .to_owned()
}

/// A table CHECK that an optional end date is not before the start date.
pub fn ends_after<S, E>(start: S, end: E) -> SimpleExpr
where
    S: IntoIden + Copy + 'static,
    E: IntoIden + Copy + 'static,
{
    Expr::col(end)
        .is_null()
        .or(Expr::col(end).gte(Expr::col(start)))
}

/// `create_table` of a mutable record: adds the bookkeeping columns of [`with_record_columns`].
pub async fn create_record_table(
    manager: &SchemaManager<'_>,
    table: &mut TableCreateStatement,
) -> Result<(), DbErr> {
    manager
        .create_table(with_record_columns(table).to_owned())
        .await
}

/// Creates the listed indexes of one table: `(name, columns, unique)`.
pub async fn create_indexes<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    specs: &[(&str, &[&'static str], bool)],
) -> Result<(), DbErr> {
    for (name, columns, unique) in specs {
        manager
            .create_index(index(table, name, columns, *unique))
            .await?;
    }
    Ok(())
}

/// Drops tables in the given order (children first).
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: Vec<DynIden>) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(table).to_owned())
            .await?;
    }
    Ok(())
}
