//! Any ledger (台账) of `ledgers::all()` as .xlsx, built by running the ledger's own query
//! through the server's GraphQL schema as the signed-in user.
//!
//! `GET /exports/ledgers/{key}.xlsx?<variable>=<value>&…` with `Authorization: Bearer <token>`.
//! Only the variables the ledger offers as filters are taken (dotted names fill input-object
//! fields, e.g. `filter.townId`), typed by the filter's control exactly as the web page sends
//! them (`ledgers::typed_value`): whole numbers and years as numbers, checkboxes (`true`) as
//! booleans, everything else as strings; a variable the query declares as a list gets every
//! value given for it (`status=OPEN&status=FILLED` or `status=OPEN,FILLED`).
//!
//! Because the rows come from the schema with the caller's principal — the same context data
//! and limits as `/graphql` — the file has exactly the API's row scope, field policy and
//! masking: a town official gets its own towns' rows, and a cell whose field the caller may
//! not read (`FORBIDDEN_FIELD` on the row's path) shows 无权限. A connection is read 100 rows
//! at a time up to the same 50 000 rows as the list exports. The header row holds the
//! columns' headers and each cell what the web page shows (`ledgers::display`); text is always
//! written as a string cell, never a formula. Any other error of the query is answered with
//! its status and the `/graphql` error shape, and every export is audited (`export.ledger`,
//! with the ledger, the filters and the row count).
use std::collections::HashMap;
use std::sync::OnceLock;

use async_graphql::parser::types::{BaseType, DocumentOperations, Type, TypeKind};
use async_graphql::parser::types::{ServiceDocument, TypeSystemDefinition};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ledgers::{Column, Filter, Input, Ledger, Shape};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::{json, Map, Value};

use super::exports::XLSX_CONTENT_TYPE;
use super::graphql_endpoint::{identify, with_identity};
use super::list_exports::{
    coded_response, content_disposition, error_response, text, xlsx_error, MAX_EXPORT_ROWS,
    NO_ACCESS,
};
use super::AppState;
use crate::access::Principal;
use crate::error::ApiError;
use crate::graphql::auth::RequestMeta;
use crate::persistence::audit::{record, AuditEntry};

/// Rows asked for per page of a connection (the API's largest page).
const PAGE_SIZE: i64 = 100;

/// Why an export stopped: an error of its own, or an error of the query passed on.
enum Refusal {
    Api(ApiError),
    Query { code: String, message: String },
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Refusal {
        Refusal::Api(error)
    }
}

impl Refusal {
    fn respond(self) -> Response {
        match self {
            Refusal::Api(error) => error_response(error),
            Refusal::Query { code, message } => coded_response(&code, &message),
        }
    }
}

/// One row of the answer and the paths inside it the caller may not read.
struct Row {
    value: Value,
    denied: Vec<Vec<String>>,
}

/// `GET /exports/ledgers/{key}.xlsx`.
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let (principal, meta) = match signed_in(&state, &headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let Some(ledger) = file.strip_suffix(".xlsx").and_then(ledgers::find) else {
        return coded_response(
            "NOT_FOUND",
            &format!(
                "no such ledger: {file:?} (the keys are those of /ledgers/{{key}} in the web app)"
            ),
        );
    };
    export(&state, &principal, &meta, ledger, &params, "export.ledger").await
}

/// The principal of the request's bearer token and the request's meta, as `/graphql` has
/// them; 401 without a token.
pub(super) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Principal, RequestMeta), Response> {
    match identify(state, headers).await? {
        (Some(principal), meta) => Ok((principal, meta)),
        (None, _) => Err(error_response(ApiError::unauthenticated())),
    }
}

/// The .xlsx of `ledger` as `principal` sees it, with the filters of `params`, audited as
/// `action` (the detail names the ledger, the filters and the row count).
pub(super) async fn export(
    state: &AppState,
    principal: &Principal,
    meta: &RequestMeta,
    ledger: &Ledger,
    params: &[(String, String)],
    action: &str,
) -> Response {
    let filters = match filter_variables(state, ledger, params) {
        Ok(filters) => filters,
        Err(error) => return error_response(error),
    };
    let rows = match fetch(state, principal, meta, ledger, &filters).await {
        Ok(rows) => rows,
        Err(refusal) => return refusal.respond(),
    };
    let bytes = match workbook(ledger, &rows) {
        Ok(bytes) => bytes,
        Err(error) => return error_response(xlsx_error(error)),
    };
    let entry = AuditEntry::by(principal, action, "Ledger", None).detail(
        json!({ "ledger": ledger.key, "filters": filters, "rows": rows.len() }).to_string(),
    );
    if let Err(error) = record(&state.db, entry).await {
        return error_response(error);
    }
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(XLSX_CONTENT_TYPE),
    );
    let disposition = content_disposition(
        &format!("{}.xlsx", ledger.key),
        &format!("{}.xlsx", ledger.title),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The query's variables from the query string: only the ledger's filters, typed by their
/// controls; empty values are left out.
fn filter_variables(
    state: &AppState,
    ledger: &Ledger,
    params: &[(String, String)],
) -> Result<Map<String, Value>, ApiError> {
    let mut variables = Map::new();
    for filter in ledger.filters {
        if !params.iter().any(|(name, _)| name == filter.variable) {
            continue;
        }
        let list = is_list_variable(input_fields(state), ledger.query, filter.variable);
        let given: Vec<&str> = params
            .iter()
            .filter(|(name, _)| name == filter.variable)
            // A list takes repeated parameters or comma-separated values.
            .flat_map(|(_, value)| {
                if list {
                    value.split(',').collect()
                } else {
                    vec![value.as_str()]
                }
            })
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .collect();
        let Some(last) = given.last() else {
            continue;
        };
        let value = if list {
            Value::Array(
                given
                    .iter()
                    .map(|raw| typed(filter, raw))
                    .collect::<Result<_, _>>()?,
            )
        } else {
            typed(filter, last)?
        };
        ledgers::insert_at(&mut variables, filter.variable, value);
    }
    Ok(variables)
}

/// One value of a filter as its control sends it (`ledgers::typed_value`, as the web page
/// does); a choice must be one of the filter's values.
fn typed(filter: &Filter, raw: &str) -> Result<Value, ApiError> {
    if let Input::Choice(choices) = filter.input {
        if !choices.iter().any(|(code, _)| *code == raw) {
            return Err(ApiError::invalid(
                filter.variable,
                format!(
                    "{raw:?} is not one of {}",
                    choices
                        .iter()
                        .map(|(code, _)| *code)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    ledgers::typed_value(&filter.input, raw, false)
        .map_err(|message| ApiError::invalid(filter.variable, message))
}

/// Whether the (dotted) variable is a list: the query's declaration of its first step, then
/// the schema's input-object fields for the rest.
fn is_list_variable(
    inputs: &HashMap<String, HashMap<String, Type>>,
    query: &str,
    variable: &str,
) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let operation = match &document.operations {
        DocumentOperations::Single(operation) => &operation.node,
        DocumentOperations::Multiple(operations) => match operations.values().next() {
            Some(operation) => &operation.node,
            None => return false,
        },
    };
    let mut steps = variable.split('.');
    let Some(first) = steps.next() else {
        return false;
    };
    let Some(mut ty) = operation
        .variable_definitions
        .iter()
        .find(|definition| definition.node.name.node.as_str() == first)
        .map(|definition| definition.node.var_type.node.clone())
    else {
        return false;
    };
    for step in steps {
        let Some(field) = inputs.get(named(&ty)).and_then(|fields| fields.get(step)) else {
            return false;
        };
        ty = field.clone();
    }
    matches!(ty.base, BaseType::List(_))
}

/// The named type inside any list wrappers.
fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

/// The schema's input objects: field types by field name, by type name (read once).
fn input_fields(state: &AppState) -> &'static HashMap<String, HashMap<String, Type>> {
    static FIELDS: OnceLock<HashMap<String, HashMap<String, Type>>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        async_graphql::parser::parse_schema(state.schema.sdl())
            .map(|document| input_objects(&document))
            .unwrap_or_else(|error| {
                tracing::error!(%error, "the schema's own SDL does not parse");
                HashMap::new()
            })
    })
}

fn input_objects(document: &ServiceDocument) -> HashMap<String, HashMap<String, Type>> {
    document
        .definitions
        .iter()
        .filter_map(|definition| match definition {
            TypeSystemDefinition::Type(definition) => match &definition.node.kind {
                TypeKind::InputObject(object) => Some((
                    definition.node.name.node.to_string(),
                    object
                        .fields
                        .iter()
                        .map(|field| (field.node.name.node.to_string(), field.node.ty.node.clone()))
                        .collect(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn too_many(count: usize) -> ApiError {
    ApiError::invalid(
        "filters",
        format!("the ledger holds {count} rows or more; an export holds at most {MAX_EXPORT_ROWS}: narrow it with the filters"),
    )
}

/// Every row of the ledger as the principal sees it: one execution for a list, pages of
/// [`PAGE_SIZE`] for a connection.
async fn fetch(
    state: &AppState,
    principal: &Principal,
    meta: &RequestMeta,
    ledger: &Ledger,
    filters: &Map<String, Value>,
) -> Result<Vec<Row>, Refusal> {
    let cap = usize::try_from(MAX_EXPORT_ROWS).unwrap_or(usize::MAX);
    let caller = Some(principal.clone());
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut variables = filters.clone();
        if ledger.shape == Shape::Connection {
            variables.insert("first".into(), json!(PAGE_SIZE));
            if let Some(after) = &after {
                variables.insert("after".into(), json!(after));
            }
        }
        // Exactly what `/graphql` gives the schema (its own `with_identity`).
        let request = async_graphql::Request::new(ledger.query).variables(
            async_graphql::Variables::from_json(Value::Object(variables)),
        );
        let request = with_identity(state, request, &caller, meta);
        let response = state.schema.execute(request).await;
        let response = serde_json::to_value(&response)
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("the answer as JSON: {error}")))?;
        let mut denied = denied_paths(ledger, &response)?;
        let data = response.get("data").unwrap_or(&Value::Null);
        if rows.is_empty() {
            if let Some(total) = ledger.total_count(data) {
                let total = usize::try_from(total).unwrap_or(0);
                if total > cap {
                    return Err(too_many(total).into());
                }
            }
        }
        let page = ledger.rows(data);
        if rows.len() + page.len() > cap {
            return Err(too_many(rows.len() + page.len()).into());
        }
        rows.extend(page.iter().enumerate().map(|(index, value)| Row {
            value: value.clone(),
            denied: denied.remove(&index).unwrap_or_default(),
        }));
        match ledger.next_cursor(data) {
            Some(cursor) if !page.is_empty() && after.as_deref() != Some(cursor) => {
                after = Some(cursor.to_owned());
            }
            _ => return Ok(rows),
        }
    }
}

/// The paths (inside each row, by the row's index in the page) of the fields refused with
/// `FORBIDDEN_FIELD`; any other error refuses the export with its code.
fn denied_paths(
    ledger: &Ledger,
    response: &Value,
) -> Result<HashMap<usize, Vec<Vec<String>>>, Refusal> {
    let mut denied: HashMap<usize, Vec<Vec<String>>> = HashMap::new();
    let errors = response.get("errors").and_then(Value::as_array);
    for error in errors.into_iter().flatten() {
        let code = error.pointer("/extensions/code").and_then(Value::as_str);
        let path = error
            .get("path")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if code == Some("FORBIDDEN_FIELD") {
            if let Some((index, inside)) = row_path(ledger, path) {
                denied.entry(index).or_default().push(inside);
                continue;
            }
        }
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the ledger's query failed");
        if code.is_none() {
            tracing::warn!(
                ledger = ledger.key,
                message,
                "ledger export: the query was refused"
            );
        }
        return Err(Refusal::Query {
            code: code.unwrap_or("BAD_REQUEST").to_owned(),
            message: message.to_owned(),
        });
    }
    Ok(denied)
}

/// `[root, "nodes", 3, "household", "name"]` → `(3, ["household", "name"])` (a list's rows
/// have no `nodes` step; a dotted root is several steps); `None` for a path outside the rows.
fn row_path(ledger: &Ledger, path: &[Value]) -> Option<(usize, Vec<String>)> {
    let mut prefix: Vec<&str> = ledger.root.split('.').collect();
    if ledger.shape == Shape::Connection {
        prefix.push("nodes");
    }
    let (head, tail) = path.split_at_checked(prefix.len())?;
    if head
        .iter()
        .zip(&prefix)
        .any(|(step, expected)| step.as_str() != Some(expected))
    {
        return None;
    }
    let (index, inside) = tail.split_first()?;
    let index = usize::try_from(index.as_u64()?).ok()?;
    // List indices on the way are dropped: a column's path names fields only.
    let inside = inside
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    Some((index, inside))
}

/// Whether a refused field covers the column: the refused path leads to the column's value
/// or lies inside it.
fn is_denied(denied: &[Vec<String>], column: &Column) -> bool {
    let steps: Vec<&str> = column.path.split('.').collect();
    denied.iter().any(|path| {
        path.iter()
            .zip(&steps)
            .all(|(refused, step)| refused == step)
    })
}

/// An Excel sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if name.trim().is_empty() {
        "台账".to_owned()
    } else {
        name
    }
}

/// Roughly how many Latin characters wide a text shows (CJK count twice).
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The workbook: one sheet named after the ledger, the headers in bold, then one line per row.
fn workbook(ledger: &Ledger, rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(ledger.title))?;
    let mut widths: Vec<usize> = ledger
        .columns
        .iter()
        .map(|column| display_width(column.header))
        .collect();
    for (col, column) in (0u16..).zip(ledger.columns) {
        sheet.write_string_with_format(0, col, column.header, &bold)?;
    }
    for (line, row) in (1u32..).zip(rows) {
        for ((col, column), width) in (0u16..).zip(ledger.columns).zip(widths.iter_mut()) {
            let shown = if is_denied(&row.denied, column) {
                NO_ACCESS.to_owned()
            } else {
                ledgers::display(&row.value, column)
            };
            match (column.format, shown.parse::<i32>()) {
                (ledgers::Format::Integer, Ok(number)) => {
                    sheet.write_number(line, col, f64::from(number))?;
                }
                _ => text(sheet, line, col, &shown)?,
            }
            *width = (*width).max(display_width(&shown));
        }
    }
    for (col, width) in (0u16..).zip(widths) {
        let width = u32::try_from(width.clamp(6, 60)).unwrap_or(60);
        sheet.set_column_width(col, f64::from(width) + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn ledger(key: &str) -> &'static Ledger {
        ledgers::find(key).expect("the example ledger")
    }

    #[test]
    fn refused_fields_are_found_by_row_and_cover_the_columns_under_them() {
        let postings = ledger("job-postings");
        let path = json!(["jobPostings", "nodes", 3, "town", "name"]);
        let (index, inside) = row_path(postings, path.as_array().unwrap()).unwrap();
        assert_eq!(index, 3);
        assert_eq!(inside, ["town", "name"]);
        assert!(row_path(postings, json!(["jobPostings"]).as_array().unwrap()).is_none());
        assert!(row_path(postings, json!(["other", "nodes", 0]).as_array().unwrap()).is_none());

        let column = |path| Column {
            header: "h",
            path,
            format: ledgers::Format::Text,
        };
        let refused = vec![vec!["household".to_owned()]];
        assert!(is_denied(&refused, &column("household.site.name")));
        assert!(!is_denied(&refused, &column("householdCode")));
        let deeper = vec![vec!["members".to_owned(), "name".to_owned()]];
        assert!(is_denied(&deeper, &column("members")));
        assert!(!is_denied(&deeper, &column("members.phone")));
    }

    #[test]
    fn filters_are_typed_by_their_controls() {
        let filter = |input| Filter {
            variable: "x",
            label: "x",
            input,
        };
        assert_eq!(typed(&filter(Input::Year), "2026").unwrap(), json!(2026));
        assert!(typed(&filter(Input::Integer), "12a").is_err());
        assert_eq!(
            typed(&filter(Input::Checkbox), "true").unwrap(),
            json!(true)
        );
        assert_eq!(
            typed(&filter(Input::Checkbox), "false").unwrap(),
            json!(false)
        );
        let choices = Input::Choice(&[("OPEN", "招聘中")]);
        assert_eq!(typed(&filter(choices), "OPEN").unwrap(), json!("OPEN"));
        assert_eq!(
            typed(&filter(choices), "SHUT").unwrap_err().code(),
            "INVALID_INPUT"
        );
        assert_eq!(
            typed(&filter(Input::Date), "2026-01-02").unwrap(),
            json!("2026-01-02")
        );
    }

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        assert_eq!(sheet_name("岗位信息库"), "岗位信息库");
        assert_eq!(sheet_name("a/b[c]"), "abc");
        assert_eq!(sheet_name("?*"), "台账");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn list_variables_are_found_in_the_query_and_the_schemas_input_objects() {
        let document = async_graphql::parser::parse_schema(crate::graphql::schema_sdl()).unwrap();
        let inputs = input_objects(&document);
        let query = ledger("job-postings").query;
        assert!(is_list_variable(&inputs, query, "status"));
        assert!(!is_list_variable(&inputs, query, "level"));
        assert!(!is_list_variable(&inputs, query, "undeclared"));
        let dotted = "query ($filter: JobPostingFilterInput) { jobPostings(filter: $filter) { totalCount } }";
        assert!(is_list_variable(&inputs, dotted, "filter.status"));
        assert!(!is_list_variable(&inputs, dotted, "filter.townId"));
        assert!(!is_list_variable(&inputs, dotted, "filter.nothing"));
    }
}
