//! Spreadsheet imports (.xlsx, or .csv in UTF-8 or GB18030) of households and persons and of
//! the labour ledger, all-or-nothing with a per-row, per-column report in Chinese; and the
//! templates to fill in.
//!
//! - `GET /imports/templates/{kind}.xlsx|.csv` — the template (kinds `households`, `labour`,
//!   `schooling`): Chinese headers; the .xlsx has a second sheet 填写说明 with each column's
//!   rule and an example row. No token needed: templates hold no personal data.
//! - `POST /imports/{kind}?dryRun=true|false` — the file as the body, `Authorization: Bearer`.
//!   Limits are checked before parsing (body ≤ 5 MiB; an .xlsx's zip directory: ≤ 200 entries
//!   declaring ≤ 50 MiB uncompressed; ≤ 20 000 rows). Every row is parsed and checked (also
//!   against the database); with any error, or on a dry run, nothing is written. The answer is
//!   `{dryRun, kind, rows, created:{households, persons}, updated:{persons, employmentSpells},
//!   errorCount, errors:[{row, column, value, message}]}`: 200 when clean, 422 with errors.
//!   Refusals before parsing (401, 403, 413, 415, 400) use the `/graphql` error shape.
//!
//! Progress for large files: the request is synchronous and the server's work is O(rows)
//! with batched statements (20 000 rows take seconds); the web app shows the upload's
//! progress from `XMLHttpRequest.upload.onprogress` and a spinner while the server checks.
use std::io::Cursor;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::import::{self as rules, FileError, ImportKind, RowError};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use serde_json::json;

use super::exports::XLSX_CONTENT_TYPE;
use super::graphql_endpoint::{identify, refuse};
use super::AppState;
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::imports::{self as store, ImportCounts};
use crate::persistence::registry_writes::Actor;
use auth::policy::DataDomain;

/// The route's body limit: one byte over the import limit, so the handler sees the excess.
pub const IMPORT_BODY_LIMIT: usize = rules::MAX_BODY_BYTES + 1;

fn error_response(error: ApiError) -> Response {
    let status = match error.code() {
        "INVALID_INPUT" => StatusCode::BAD_REQUEST,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "FORBIDDEN" | "FORBIDDEN_FIELD" => StatusCode::FORBIDDEN,
        "CONFLICT" => StatusCode::CONFLICT,
        "UNAUTHENTICATED" | "PASSWORD_CHANGE_REQUIRED" => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let ApiError::Internal(cause) = &error {
        tracing::error!(error = ?cause, "import failed");
    }
    let mut response = refuse(status, error.code(), &error.message());
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

fn file_refused(error: &FileError) -> Response {
    let (status, code) = match error {
        FileError::TooLarge { .. }
        | FileError::UncompressedTooLarge { .. }
        | FileError::TooManyEntries { .. }
        | FileError::TooManyRows { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "FILE_TOO_LARGE"),
        FileError::Unreadable(_) | FileError::Empty => (StatusCode::BAD_REQUEST, "INVALID_FILE"),
    };
    refuse(status, code, &error.to_string())
}

/// The signed-in principal, or the response refusing the request.
pub(super) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Principal, Response> {
    let (principal, _) = identify(state, headers).await?;
    match principal {
        Some(principal) if principal.must_change_password => {
            Err(error_response(ApiError::Unauthenticated {
                code: "PASSWORD_CHANGE_REQUIRED",
                message:
                    "change the initial password with changePassword before doing anything else"
                        .into(),
            }))
        }
        Some(principal) => Ok(principal),
        None => Err(error_response(ApiError::unauthenticated())),
    }
}

/// `households.xlsx` → (kind, "xlsx").
fn split_file_name(file: &str) -> Option<(ImportKind, &str)> {
    let (kind, extension) = file.rsplit_once('.')?;
    let kind = ImportKind::from_code(kind)?;
    matches!(extension, "xlsx" | "csv").then_some((kind, extension))
}

/// `GET /imports/templates/{kind}.xlsx|.csv`.
pub async fn template(Path(file): Path<String>) -> Response {
    let Some((kind, extension)) = split_file_name(&file) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no such template: use households, labour or schooling with .xlsx or .csv",
        );
    };
    let (bytes, content_type) = if extension == "csv" {
        // A BOM so that Excel opens the UTF-8 headers correctly.
        let mut text = String::from("\u{feff}");
        let headers: Vec<&str> = kind.columns().iter().map(|c| c.header).collect();
        text.push_str(&headers.join(","));
        text.push_str("\r\n");
        (text.into_bytes(), "text/csv; charset=utf-8")
    } else {
        match template_workbook(kind) {
            Ok(bytes) => (bytes, XLSX_CONTENT_TYPE),
            Err(error) => {
                return error_response(ApiError::Internal(anyhow::anyhow!(
                    "building the template: {error}"
                )))
            }
        }
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = super::list_exports::content_disposition(
        &format!("{}-template.{extension}", kind.code()),
        &format!("{}导入模板.{extension}", kind.label_zh()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The .xlsx template: 导入数据 (headers, text-formatted columns) and 填写说明 (rules, example).
pub fn template_workbook(kind: ImportKind) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let as_text = Format::new().set_num_format("@");
    let data = workbook.add_worksheet();
    data.set_name("导入数据")?;
    for (col, column) in (0u16..).zip(kind.columns()) {
        let title = if column.required {
            format!("{}*", column.header)
        } else {
            column.header.to_string()
        };
        data.write_string_with_format(0, col, title, &bold)?;
        // Text cells keep ID numbers, phones and codes exactly as typed.
        data.set_column_format(col, &as_text)?;
        data.set_column_width(col, 18.0)?;
    }
    data.set_freeze_panes(1, 0)?;
    let help = workbook.add_worksheet();
    help.set_name("填写说明")?;
    help.write_string_with_format(
        0,
        0,
        format!(
            "{}导入说明：在“导入数据”表第2行起每行填写一条；带*的列必填；整个文件无误才会导入，有任何错误则全部不导入并逐行列出错误。",
            kind.label_zh()
        ),
        &bold,
    )?;
    for (col, title) in (0u16..).zip(["列名", "是否必填", "填写要求", "示例（本表内容不会被导入）"])
    {
        help.write_string_with_format(2, col, title, &bold)?;
    }
    for (row, column) in (3u32..).zip(kind.columns()) {
        help.write_string(row, 0, column.header)?;
        help.write_string(row, 1, if column.required { "必填" } else { "选填" })?;
        help.write_string(row, 2, column.hint)?;
        help.write_string(row, 3, column.example)?;
    }
    help.set_column_width(0, 16.0)?;
    help.set_column_width(2, 70.0)?;
    help.set_column_width(3, 24.0)?;
    workbook.save_to_buffer()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    #[serde(default)]
    dry_run: bool,
}

/// `POST /imports/{kind}?dryRun=…`.
pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    Query(options): Query<ImportOptions>,
    body: Body,
) -> Response {
    let principal = match signed_in(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let Some(kind) = ImportKind::from_code(&kind) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no such import: use /imports/households, /imports/labour or /imports/schooling",
        );
    };
    let permission = match kind {
        ImportKind::Households => principal
            .require_write(DataDomain::Identity, "households and persons")
            .and_then(|()| {
                // The household file carries labour facts too (as createHousehold does).
                principal.require_write(
                    DataDomain::Employment,
                    "labour capacity and employment status",
                )
            }),
        ImportKind::Labour => principal.require_write(DataDomain::Employment, "the labour ledger"),
        ImportKind::Schooling => {
            principal.require_write(DataDomain::Education, "the schooling ledger")
        }
    };
    if let Err(error) = permission {
        return error_response(error);
    }
    // Limits before parsing: the declared length, then the bytes actually sent.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if let Some(length) = declared {
        if let Err(error) = rules::check_body_size(length) {
            return file_refused(&error);
        }
    }
    let bytes = match axum::body::to_bytes(body, IMPORT_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return file_refused(&FileError::TooLarge {
                found: IMPORT_BODY_LIMIT,
                max: rules::MAX_BODY_BYTES,
            })
        }
    };
    if let Err(error) = rules::check_body_size(bytes.len()) {
        return file_refused(&error);
    }
    let table = match read_table(&headers, &bytes) {
        Ok(table) => table,
        Err(error) => return file_refused(&error),
    };
    let report = match kind {
        ImportKind::Households => {
            import_households(&state, &principal, &table, options.dry_run).await
        }
        ImportKind::Labour => import_labour(&state, &principal, &table, options.dry_run).await,
        ImportKind::Schooling => {
            import_schooling(&state, &principal, &table, options.dry_run).await
        }
    };
    match report {
        Ok(report) => report.into_response(kind, options.dry_run, table.data_rows()),
        Err(error) => error_response(error),
    }
}

/// The cells of the first sheet (or the CSV) as text, with the spreadsheet row number of
/// each row; the first row is the header.
struct Table {
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn header(&self) -> &[String] {
        self.rows.first().map_or(&[], |(_, cells)| cells.as_slice())
    }

    /// Data rows that are not blank.
    fn data(&self) -> impl Iterator<Item = &(usize, Vec<String>)> {
        self.rows
            .iter()
            .skip(1)
            .filter(|(_, cells)| !rules::is_blank(cells))
    }

    fn data_rows(&self) -> usize {
        self.data().count()
    }
}

fn is_xlsx(headers: &HeaderMap, bytes: &[u8]) -> bool {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    bytes.starts_with(b"PK\x03\x04") || declared.starts_with(XLSX_CONTENT_TYPE)
}

fn read_table(headers: &HeaderMap, bytes: &[u8]) -> Result<Table, FileError> {
    let table = if is_xlsx(headers, bytes) {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    let data_rows = table.data_rows();
    rules::check_row_count(data_rows)?;
    Ok(table)
}

/// Reads the zip directory first (entry count and declared sizes), then the first sheet.
fn read_xlsx(bytes: &[u8]) -> Result<Table, FileError> {
    let unreadable = |what: &str| FileError::Unreadable(what.to_string());
    {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| unreadable("不是有效的 .xlsx 文件"))?;
        if archive.len() > rules::MAX_ZIP_ENTRIES {
            return Err(FileError::TooManyEntries {
                found: archive.len(),
                max: rules::MAX_ZIP_ENTRIES,
            });
        }
        let mut sizes = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let entry = archive
                .by_index_raw(index)
                .map_err(|_| unreadable("不是有效的 .xlsx 文件"))?;
            sizes.push(entry.size());
        }
        rules::check_zip_directory(&sizes)?;
    }
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable("不是有效的 .xlsx 文件"))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("工作簿中没有工作表"))?
        .map_err(|_| unreadable("第一个工作表无法读取"))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    // The row limit before the cells are turned into text (+1 for the header).
    if range.height() > rules::MAX_ROWS + 1 {
        return Err(FileError::TooManyRows {
            found: range.height().saturating_sub(1),
            max: rules::MAX_ROWS,
        });
    }
    let rows = range
        .rows()
        .enumerate()
        .map(|(index, cells)| {
            (
                first_row + index + 1,
                cells.iter().map(cell_text).collect::<Vec<_>>(),
            )
        })
        .collect();
    Ok(Table { rows })
}

/// A cell as text: numbers without a trailing `.0`, very large numbers in scientific notation
/// (an ID number typed as a number has lost digits already), dates as YYYY-MM-DD.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => float_text(*value),
        Data::Bool(value) => if *value { "是" } else { "否" }.to_string(),
        Data::DateTime(value) => excel_date(value.as_f64()),
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn float_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else if value.abs() >= 1e15 {
        format!("{value:E}")
    } else {
        value.to_string()
    }
}

/// Excel's serial date (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let Some(epoch) = chrono::NaiveDate::from_ymd_opt(1899, 12, 30) else {
        return serial.to_string();
    };
    if !(0.0..=2_958_465.0).contains(&serial) {
        return serial.to_string();
    }
    // In range: at most 2 958 465 days, exact in i64.
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    epoch
        .checked_add_signed(chrono::Duration::days(days))
        .map_or_else(|| serial.to_string(), |date| date.to_string())
}

/// UTF-8 (with or without BOM), else GB18030 (which also reads GBK/GB2312 files from Excel).
fn decode_text(bytes: &[u8]) -> Result<String, FileError> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(without_bom) {
        return Ok(text.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(FileError::Unreadable(
            "文本编码无法识别，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV".into(),
        ));
    }
    Ok(text.into_owned())
}

fn read_csv(bytes: &[u8]) -> Result<Table, FileError> {
    let text = decode_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // The row limit while reading: stop one past it.
        if index > rules::MAX_ROWS + 1 {
            return Err(FileError::TooManyRows {
                found: index,
                max: rules::MAX_ROWS,
            });
        }
        let record = record.map_err(|error| {
            FileError::Unreadable(format!("CSV 第{}行格式有误（{error}）", index + 1))
        })?;
        rows.push((index + 1, record.iter().map(str::to_string).collect()));
    }
    Ok(Table { rows })
}

/// The outcome of a checked (and maybe written) file.
struct Report {
    errors: Vec<RowError>,
    counts: ImportCounts,
}

impl Report {
    fn into_response(self, kind: ImportKind, dry_run: bool, rows: usize) -> Response {
        let error_count = self.errors.len();
        let errors: Vec<_> = self
            .errors
            .iter()
            .take(rules::MAX_REPORTED_ERRORS)
            .map(|error| {
                json!({
                    "row": error.row,
                    "column": error.column,
                    "value": error.value,
                    "message": error.message,
                })
            })
            .collect();
        let status = if error_count == 0 {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let body = json!({
            "dryRun": dry_run,
            "kind": kind.code(),
            "rows": rows,
            "written": error_count == 0 && !dry_run,
            "created": {
                "households": self.counts.households_created,
                "persons": self.counts.persons_created,
                "enrolments": self.counts.enrolments_created,
            },
            "updated": {
                "persons": self.counts.persons_updated,
                "employmentSpells": self.counts.employment_spells_created,
                "enrolments": self.counts.enrolments_updated,
            },
            "errorCount": error_count,
            "errorsTruncated": error_count > rules::MAX_REPORTED_ERRORS,
            "errors": errors,
        });
        (status, Json(body)).into_response()
    }
}

fn actor_of(principal: &Principal) -> Actor {
    Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    }
}

fn sorted(mut errors: Vec<RowError>) -> Vec<RowError> {
    errors.sort_by_key(|error| error.row);
    errors
}

async fn import_households(
    state: &AppState,
    principal: &Principal,
    table: &Table,
    dry_run: bool,
) -> Result<Report, ApiError> {
    let columns = match rules::map_columns(ImportKind::Households, table.header()) {
        Ok(columns) => columns,
        Err(errors) => {
            return Ok(Report {
                errors,
                counts: ImportCounts::default(),
            })
        }
    };
    let mut errors = Vec::new();
    let rows: Vec<_> = table
        .data()
        .filter_map(|(row, cells)| rules::parse_household_row(&columns, *row, cells, &mut errors))
        .collect();
    errors.extend(rules::check_households_within_file(&rows));
    let id_numbers: Vec<String> = rows
        .iter()
        .map(|row| row.id_number.as_str().to_string())
        .collect();
    let mut codes: Vec<String> = rows.iter().map(|row| row.household_code.clone()).collect();
    codes.sort_unstable();
    codes.dedup();
    let facts = rules::RegistryFacts {
        registered_id_numbers: store::registered_id_numbers(&state.db, &id_numbers).await?,
        household_codes: store::used_household_codes(&state.db, &codes).await?,
        sites: store::sites_by_code(&state.db).await?,
        allowed_towns: principal.scope.town_ids().map(<[i64]>::to_vec),
    };
    errors.extend(rules::check_households_against_registry(&rows, &facts));
    if !errors.is_empty() || dry_run {
        let counts = if errors.is_empty() {
            ImportCounts {
                households_created: codes.len(),
                persons_created: rows.len(),
                ..ImportCounts::default()
            }
        } else {
            ImportCounts::default()
        };
        return Ok(Report {
            errors: sorted(errors),
            counts,
        });
    }
    let counts = store::insert_households(&state.db, &actor_of(principal), &rows, &facts.sites)
        .await
        .map_err(changed_meanwhile)?;
    Ok(Report {
        errors: Vec::new(),
        counts,
    })
}

async fn import_labour(
    state: &AppState,
    principal: &Principal,
    table: &Table,
    dry_run: bool,
) -> Result<Report, ApiError> {
    let columns = match rules::map_columns(ImportKind::Labour, table.header()) {
        Ok(columns) => columns,
        Err(errors) => {
            return Ok(Report {
                errors,
                counts: ImportCounts::default(),
            })
        }
    };
    let mut errors = Vec::new();
    let rows: Vec<_> = table
        .data()
        .filter_map(|(row, cells)| rules::parse_labour_row(&columns, *row, cells, &mut errors))
        .collect();
    let id_numbers: Vec<String> = rows
        .iter()
        .map(|row| row.id_number.as_str().to_string())
        .collect();
    let persons = store::registered_persons(&state.db, &id_numbers).await?;
    errors.extend(rules::check_labour_rows(
        &rows,
        &persons,
        principal.scope.town_ids(),
    ));
    if !errors.is_empty() || dry_run {
        let counts = if errors.is_empty() {
            ImportCounts {
                persons_updated: rows.len(),
                ..ImportCounts::default()
            }
        } else {
            ImportCounts::default()
        };
        return Ok(Report {
            errors: sorted(errors),
            counts,
        });
    }
    let counts = store::apply_labour(
        &state.db,
        &actor_of(principal),
        &rows,
        &persons,
        today_in_china(),
    )
    .await
    .map_err(changed_meanwhile)?;
    Ok(Report {
        errors: Vec::new(),
        counts,
    })
}

async fn import_schooling(
    state: &AppState,
    principal: &Principal,
    table: &Table,
    dry_run: bool,
) -> Result<Report, ApiError> {
    let columns = match rules::map_columns(ImportKind::Schooling, table.header()) {
        Ok(columns) => columns,
        Err(errors) => {
            return Ok(Report {
                errors,
                counts: ImportCounts::default(),
            })
        }
    };
    let mut errors = Vec::new();
    let rows: Vec<_> = table
        .data()
        .filter_map(|(row, cells)| rules::parse_schooling_row(&columns, *row, cells, &mut errors))
        .collect();
    let id_numbers: Vec<String> = rows
        .iter()
        .map(|row| row.id_number.as_str().to_string())
        .collect();
    let persons = store::registered_persons(&state.db, &id_numbers).await?;
    let person_ids: Vec<i64> = persons.values().map(|person| person.id).collect();
    let current = store::current_enrolments(&state.db, &person_ids).await?;
    let schools = store::schools_by_code(&state.db).await?;
    let (changes, plan_errors) = rules::plan_schooling(
        &rows,
        &persons,
        &schools,
        &current,
        principal.scope.town_ids(),
    );
    errors.extend(plan_errors);
    if !errors.is_empty() || dry_run {
        let mut counts = ImportCounts::default();
        if errors.is_empty() {
            for change in &changes {
                match change {
                    rules::SchoolingChange::Enrol { closes, .. } => {
                        counts.enrolments_created += 1;
                        counts.enrolments_updated += usize::from(closes.is_some());
                    }
                    _ => counts.enrolments_updated += 1,
                }
            }
        }
        return Ok(Report {
            errors: sorted(errors),
            counts,
        });
    }
    let counts = store::apply_schooling(
        &state.db,
        &actor_of(principal),
        &changes,
        person_ids,
        today_in_china(),
    )
    .await?;
    Ok(Report {
        errors: Vec::new(),
        counts,
    })
}

/// A unique key hit during the write means someone registered the same person or household
/// between the check and the write: nothing was written; import again for a fresh report.
fn changed_meanwhile(error: ApiError) -> ApiError {
    match error {
        ApiError::Conflict(_) => ApiError::Conflict(
            "导入期间有人登记了相同的身份证号或户编号，本次未写入任何数据；请重新导入以获取最新的错误报告".into(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn gb18030_and_utf8_with_or_without_bom_are_decoded() {
        let text = "户编号,姓名\r\nHB-101,张三\r\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode_text(&gb).unwrap(), text);
        assert_eq!(decode_text(text.as_bytes()).unwrap(), text);
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&with_bom).unwrap(), text);
    }

    #[test]
    fn numbers_and_dates_become_the_text_people_typed() {
        assert_eq!(float_text(13_800_138_000.0), "13800138000");
        assert_eq!(float_text(3.0), "3");
        assert_eq!(float_text(2.5), "2.5");
        assert!(float_text(1.101_051_949_123_1e17).contains('E'));
        assert_eq!(excel_date(43_646.0), "2019-06-30");
    }

    #[test]
    fn templates_name_their_kind_and_extension() {
        assert_eq!(
            split_file_name("households.xlsx"),
            Some((ImportKind::Households, "xlsx"))
        );
        assert_eq!(
            split_file_name("labour.csv"),
            Some((ImportKind::Labour, "csv"))
        );
        assert_eq!(split_file_name("households.exe"), None);
        assert_eq!(split_file_name("people.csv"), None);
        let bytes = template_workbook(ImportKind::Households).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
