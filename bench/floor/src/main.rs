//! The floor of the benchmark: the same questions as the GraphQL queries Q0–Q4 and Q6, each answered
//! by ONE SQL statement that builds the whole JSON document in the database (json_agg on
//! PostgreSQL, json_group_array on SQLite), returned as-is. No access control, no GraphQL:
//! this is what the hardware and the database can do at best.
//!
//! Usage: bench-floor DATABASE_URL BIND_ADDR   (postgres://… or sqlite://…)
//! Routes (GET): /hello, /q1?site=ID&first=N, /q2?site=ID, /q3?first=N, /q4?person=ID,
//! /q6?site=ID&first=N
//! The JSON answers already have the benchmark's normalised shape (see bench/run).
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use sqlx::{PgPool, SqlitePool};

#[derive(Clone)]
enum Db {
    Pg(PgPool),
    Lite(SqlitePool),
}

/// One question: its statement on each database. `$1`/`?1` is the first parameter, `$2`/`?2` the second.
struct Question {
    pg: &'static str,
    lite: &'static str,
}

// The members of a household, as a JSON array in id order (used by Q1 and Q2).
macro_rules! members_pg {
    () => {
        "(SELECT COALESCE(json_agg(json_build_object('id', p.id, 'name', p.name, 'birthDate', p.birth_date) ORDER BY p.id), '[]')
          FROM person p WHERE p.household_id = h.id AND p.archived_at IS NULL)"
    };
}
macro_rules! members_lite {
    () => {
        "(SELECT COALESCE(json_group_array(json_object('id', m.id, 'name', m.name, 'birthDate', m.birth_date)), '[]')
          FROM (SELECT p.id, p.name, p.birth_date FROM person p
                WHERE p.household_id = h.id AND p.archived_at IS NULL ORDER BY p.id) m)"
    };
}

/// Q1/Q2: a site with (the first $2 of) its households and their members.
const SITE_PAGE: Question = Question {
    pg: concat!(
        "SELECT json_build_object('id', s.id, 'name', s.name, 'households',
            (SELECT COALESCE(json_agg(json_build_object('id', h.id, 'code', h.code, 'members', ",
        members_pg!(),
        ") ORDER BY h.id), '[]')
             FROM (SELECT id, code FROM household
                   WHERE site_id = s.id AND archived_at IS NULL ORDER BY id LIMIT $2) h))::text
         FROM site s WHERE s.id = $1"
    ),
    lite: concat!(
        "SELECT json_object('id', s.id, 'name', s.name, 'households', json(
            (SELECT COALESCE(json_group_array(json_object('id', h.id, 'code', h.code, 'members', json(",
        members_lite!(),
        "))), '[]')
             FROM (SELECT id, code FROM household
                   WHERE site_id = s.id AND archived_at IS NULL ORDER BY id LIMIT ?2) h)))
         FROM site s WHERE s.id = ?1"
    ),
};

/// Q6: a site with its first $2 households, their members and each member's jobs, trainings
/// and insurance rows of 2026.
const SITE_RECORDS: Question = Question {
    pg: "SELECT json_build_object('id', s.id, 'name', s.name, 'households',
            (SELECT COALESCE(json_agg(json_build_object('id', h.id, 'code', h.code, 'members',
                (SELECT COALESCE(json_agg(json_build_object('id', p.id, 'name', p.name,
                    'jobs', (SELECT COALESCE(json_agg(json_build_object(
                                'employer', e.employer_name, 'startsOn', e.starts_on) ORDER BY e.id), '[]')
                             FROM employment_spell e WHERE e.person_id = p.id),
                    'training', (SELECT COALESCE(json_agg(json_build_object(
                                'enrolledOn', t.enrolled_on, 'attendedDays', t.attended_days,
                                'completed', t.completed) ORDER BY t.id), '[]')
                             FROM training_enrolment t WHERE t.person_id = p.id),
                    'insurance', (SELECT COALESCE(json_agg(json_build_object(
                                'kind', i.kind, 'status', i.status) ORDER BY i.id), '[]')
                             FROM insurance_enrolment i WHERE i.person_id = p.id AND i.year = 2026))
                    ORDER BY p.id), '[]')
                 FROM person p WHERE p.household_id = h.id AND p.archived_at IS NULL)) ORDER BY h.id), '[]')
             FROM (SELECT id, code FROM household
                   WHERE site_id = s.id AND archived_at IS NULL ORDER BY id LIMIT $2) h))::text
         FROM site s WHERE s.id = $1",
    lite: "SELECT json_object('id', s.id, 'name', s.name, 'households', json(
            (SELECT COALESCE(json_group_array(json_object('id', h.id, 'code', h.code, 'members', json(
                (SELECT COALESCE(json_group_array(json_object('id', m.id, 'name', m.name,
                    'jobs', json((SELECT COALESCE(json_group_array(json_object(
                                'employer', e.employer_name, 'startsOn', e.starts_on)), '[]')
                             FROM (SELECT * FROM employment_spell WHERE person_id = m.id ORDER BY id) e)),
                    'training', json((SELECT COALESCE(json_group_array(json_object(
                                'enrolledOn', t.enrolled_on, 'attendedDays', t.attended_days,
                                'completed', json(CASE WHEN t.completed THEN 'true' ELSE 'false' END))), '[]')
                             FROM (SELECT * FROM training_enrolment WHERE person_id = m.id ORDER BY id) t)),
                    'insurance', json((SELECT COALESCE(json_group_array(json_object(
                                'kind', i.kind, 'status', i.status)), '[]')
                             FROM (SELECT * FROM insurance_enrolment
                                   WHERE person_id = m.id AND year = 2026 ORDER BY id) i)))), '[]')
                 FROM (SELECT p.id, p.name FROM person p
                       WHERE p.household_id = h.id AND p.archived_at IS NULL ORDER BY p.id) m)))), '[]')
             FROM (SELECT id, code FROM household
                   WHERE site_id = s.id AND archived_at IS NULL ORDER BY id LIMIT ?2) h)))
         FROM site s WHERE s.id = ?1",
};

/// Q3: the dashboard figures of the first $1 sites (the same arithmetic as the server's
/// `persistence::registry::site_stats`: per household first, then per site).
const DASHBOARD: Question = Question {
    pg: "SELECT COALESCE(json_agg(json_build_object(
            'id', s.id, 'name', s.name,
            'householdCount', COALESCE(t.households, 0), 'population', COALESCE(t.population, 0),
            'labourForceCount', COALESCE(t.labour, 0), 'employedCount', COALESCE(t.employed, 0),
            'zeroEmploymentHouseholdCount', COALESCE(t.zero, 0)) ORDER BY s.id), '[]')::text
         FROM (SELECT id, name FROM site ORDER BY id LIMIT $1) s
         LEFT JOIN (
            SELECT site_id, COUNT(*) AS households, SUM(members) AS population,
                   SUM(labour) AS labour, SUM(employed) AS employed,
                   SUM(CASE WHEN labour > 0 AND employed = 0 THEN 1 ELSE 0 END) AS zero
            FROM (SELECT h.site_id, COUNT(p.id) AS members,
                         COUNT(*) FILTER (WHERE p.labour_capacity IN ('full', 'partial')) AS labour,
                         COUNT(*) FILTER (WHERE p.employment_status = 'employed') AS employed
                  FROM household h
                  LEFT JOIN person p ON p.household_id = h.id AND p.archived_at IS NULL
                  WHERE h.archived_at IS NULL AND h.site_id IN (SELECT id FROM site ORDER BY id LIMIT $1)
                  GROUP BY h.site_id, h.id) per_household
            GROUP BY site_id) t ON t.site_id = s.id",
    lite: "SELECT COALESCE(json_group_array(json_object(
            'id', r.id, 'name', r.name,
            'householdCount', r.households, 'population', r.population,
            'labourForceCount', r.labour, 'employedCount', r.employed,
            'zeroEmploymentHouseholdCount', r.zero)), '[]')
         FROM (SELECT s.id, s.name, COALESCE(t.households, 0) AS households,
                      COALESCE(t.population, 0) AS population, COALESCE(t.labour, 0) AS labour,
                      COALESCE(t.employed, 0) AS employed, COALESCE(t.zero, 0) AS zero
               FROM (SELECT id, name FROM site ORDER BY id LIMIT ?1) s
               LEFT JOIN (
                  SELECT site_id, COUNT(*) AS households, SUM(members) AS population,
                         SUM(labour) AS labour, SUM(employed) AS employed,
                         SUM(CASE WHEN labour > 0 AND employed = 0 THEN 1 ELSE 0 END) AS zero
                  FROM (SELECT h.site_id, COUNT(p.id) AS members,
                               COALESCE(SUM(p.labour_capacity IN ('full', 'partial')), 0) AS labour,
                               COALESCE(SUM(p.employment_status = 'employed'), 0) AS employed
                        FROM household h
                        LEFT JOIN person p ON p.household_id = h.id AND p.archived_at IS NULL
                        WHERE h.archived_at IS NULL
                          AND h.site_id IN (SELECT id FROM site ORDER BY id LIMIT ?1)
                        GROUP BY h.site_id, h.id) per_household
                  GROUP BY site_id) t ON t.site_id = s.id
               ORDER BY s.id) r",
};

/// Q4: a person with its household and the household's site.
const PERSON: Question = Question {
    pg: "SELECT json_build_object('id', p.id, 'name', p.name, 'birthDate', p.birth_date,
            'household', json_build_object('id', h.id, 'code', h.code,
                'site', json_build_object('id', s.id, 'name', s.name)))::text
         FROM person p JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id
         WHERE p.id = $1",
    lite: "SELECT json_object('id', p.id, 'name', p.name, 'birthDate', p.birth_date,
            'household', json_object('id', h.id, 'code', h.code,
                'site', json_object('id', s.id, 'name', s.name)))
         FROM person p JOIN household h ON h.id = p.household_id JOIN site s ON s.id = h.site_id
         WHERE p.id = ?1",
};

#[derive(Deserialize)]
struct Params {
    site: Option<i64>,
    person: Option<i64>,
    first: Option<i64>,
}

/// Runs one question with its integer parameters and returns its JSON text.
async fn answer(db: &Db, question: &Question, params: &[i64]) -> Response {
    let result = match db {
        Db::Pg(pool) => {
            let mut query = sqlx::query_scalar::<_, Option<String>>(question.pg);
            for value in params {
                query = query.bind(*value);
            }
            query.fetch_optional(pool).await
        }
        Db::Lite(pool) => {
            let mut query = sqlx::query_scalar::<_, Option<String>>(question.lite);
            for value in params {
                query = query.bind(*value);
            }
            query.fetch_optional(pool).await
        }
    };
    match result {
        Ok(json) => (
            [(header::CONTENT_TYPE, "application/json")],
            json.flatten().unwrap_or_else(|| "null".into()),
        )
            .into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: bench-floor DATABASE_URL BIND_ADDR");
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:8092".into());
    // The same pool size as our server's default (DATABASE_MAX_CONNECTIONS=10).
    let db = if url.starts_with("sqlite:") {
        Db::Lite(
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(10)
                .connect(&url)
                .await
                .expect("connect to SQLite"),
        )
    } else {
        Db::Pg(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(10)
                .connect(&url)
                .await
                .expect("connect to PostgreSQL"),
        )
    };
    // Q1 and Q2 share one statement: Q2 is "all households", i.e. no limit.
    let app = Router::new()
        .route("/hello", get(|| async { "hello" }))
        .route(
            "/q1",
            get(|State(db): State<Db>, Query(p): Query<Params>| async move {
                answer(&db, &SITE_PAGE, &[p.site.unwrap_or(0), p.first.unwrap_or(50)]).await
            }),
        )
        .route(
            "/q2",
            get(|State(db): State<Db>, Query(p): Query<Params>| async move {
                answer(&db, &SITE_PAGE, &[p.site.unwrap_or(0), i64::MAX]).await
            }),
        )
        .route(
            "/q3",
            get(|State(db): State<Db>, Query(p): Query<Params>| async move {
                answer(&db, &DASHBOARD, &[p.first.unwrap_or(100)]).await
            }),
        )
        .route(
            "/q4",
            get(|State(db): State<Db>, Query(p): Query<Params>| async move {
                answer(&db, &PERSON, &[p.person.unwrap_or(0)]).await
            }),
        )
        .route(
            "/q6",
            get(|State(db): State<Db>, Query(p): Query<Params>| async move {
                answer(&db, &SITE_RECORDS, &[p.site.unwrap_or(0), p.first.unwrap_or(50)]).await
            }),
        )
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(&bind).await.expect("bind");
    println!("floor listening on http://{bind}");
    axum::serve(listener, app).await.expect("serve");
}
