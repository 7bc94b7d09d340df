//! Money and areas are exact on both databases: integer fen and 0.0001 mu behind domain types.
use domain::land::required_reserve;
use domain::money::Money;
use sea_orm::{ConnectionTrait, Statement, Value};

use crate::db_test;

db_test! {
    async fn a_land_revenue_of_12345678901234_56_yuan_round_trips_to_the_fen(app) {
        let revenue = Money::parse("12345678901234.56").unwrap();
        // A5§11: at least 5 % of each revenue goes to the repayment reserve.
        let reserve = required_reserve(revenue);
        let backend = app.db.get_database_backend();
        let placeholders = match app.kind {
            crate::DbKind::Sqlite => "?, ?, ?, ?",
            crate::DbKind::Postgres => "$1, $2, $3, $4",
        };
        app.db
            .execute(Statement::from_sql_and_values(
                backend,
                format!("INSERT INTO land_revenue (payer, received_on, amount_fen, reserve_fen) VALUES ({placeholders})"),
                [
                    Value::from("测试市自然资源局"),
                    Value::from(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()),
                    Value::from(revenue.fen()),
                    Value::from(reserve.fen()),
                ],
            ))
            .await
            .unwrap();
        let row = app
            .db
            .query_one(Statement::from_string(
                backend,
                "SELECT amount_fen, reserve_fen FROM land_revenue WHERE payer = '测试市自然资源局'",
            ))
            .await
            .unwrap()
            .unwrap();
        let amount = Money::from_fen(row.try_get::<i64>("", "amount_fen").unwrap());
        let stored_reserve = Money::from_fen(row.try_get::<i64>("", "reserve_fen").unwrap());
        assert_eq!(amount.to_string(), "12345678901234.56");
        assert_eq!(stored_reserve, reserve);
        assert_eq!(stored_reserve.to_string(), "617283945061.73");
    }
}

db_test! {
    async fn a_reserve_under_5_percent_is_refused_by_the_database_too(app) {
        let revenues = app.count_rows("land_revenue").await;
        let backend = app.db.get_database_backend();
        let result = app
            .db
            .execute(Statement::from_string(
                backend,
                "INSERT INTO land_revenue (payer, received_on, amount_fen, reserve_fen) VALUES ('x', '2026-11-28', 10000, 499)",
            ))
            .await;
        assert!(result.is_err(), "A5§11: 4.99 % must not be stored");
        assert_eq!(app.count_rows("land_revenue").await, revenues);
    }
}
