//! Exports of the lists a user sees (households, persons) as .xlsx, with the API's row scope,
//! field policy and masking, and every text written as a string cell — never a formula.
//!
//! `GET /exports/households.xlsx?siteId=&townId=&codePrefix=&includeArchived=` and
//! `GET /exports/persons.xlsx?siteId=&townId=&householdId=&namePrefix=&labourCapacity=&employmentStatus=&includeArchived=`
//! with `Authorization: Bearer <token>`. Ids are the API's global IDs; `labourCapacity` and
//! `employmentStatus` take comma-separated API values (`FULL,PARTIAL`). Like `Query.persons`
//! the list needs the identity domain; town officials get their own towns' rows only; ID
//! numbers and phones come masked exactly as the API shows them without a reason; a column of
//! a domain the principal cannot read (employment) shows 无权限 in every row. At most
//! 50 000 rows per file; each export is audited with its filters and row count.
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::exports::XLSX_CONTENT_TYPE;
use super::graphql_endpoint::refuse;
use super::imports::signed_in;
use super::AppState;
use crate::access::Principal;
use crate::error::ApiError;
use crate::graphql::ids::{decode_id, NodeType};
use crate::persistence::audit::{record, AuditEntry};
use crate::persistence::entities::{household, person, site, town};
use crate::persistence::paging::{PageDirection, PageRequest};
use crate::persistence::registry::{
    self, HouseholdFilter, HouseholdOrder, PersonFilter, PersonOrder,
};
use auth::policy::{mask_id_number, mask_phone, DataDomain};
use domain::person::{EmploymentStatus, FamilyRelation, LabourCapacity, Sex};

/// The most rows one export holds; narrow the filters for more.
pub const MAX_EXPORT_ROWS: u64 = 50_000;
/// Rows read per statement while building the file.
const PAGE: u64 = 500;
/// What a cell of a column the principal may not read shows.
pub(super) const NO_ACCESS: &str = "无权限";
/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_000;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListFilters {
    site_id: Option<String>,
    town_id: Option<String>,
    household_id: Option<String>,
    code_prefix: Option<String>,
    name_prefix: Option<String>,
    labour_capacity: Option<String>,
    employment_status: Option<String>,
    #[serde(default)]
    include_archived: bool,
}

/// The HTTP status of an error code of the API (`extensions.code`), for the export endpoints.
pub(super) fn status_of(code: &str) -> StatusCode {
    match code {
        "INVALID_INPUT" | "BAD_REQUEST" => StatusCode::BAD_REQUEST,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "FORBIDDEN" | "FORBIDDEN_FIELD" => StatusCode::FORBIDDEN,
        "CONFLICT" => StatusCode::CONFLICT,
        "RATE_LIMITED" => StatusCode::TOO_MANY_REQUESTS,
        "UNAUTHENTICATED" | "PASSWORD_CHANGE_REQUIRED" => StatusCode::UNAUTHORIZED,
        code if code.starts_with("TOKEN_") || code.starts_with("SESSION_") => {
            StatusCode::UNAUTHORIZED
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error of an export in the `/graphql` error shape, with the status its code maps to.
pub(super) fn error_response(error: ApiError) -> Response {
    if let ApiError::Internal(cause) = &error {
        tracing::error!(error = ?cause, "export failed");
    }
    coded_response(error.code(), &error.message())
}

/// `{errors:[{message, extensions:{code}}]}` with the status of `code` (and the
/// `WWW-Authenticate` challenge on 401).
pub(super) fn coded_response(code: &str, message: &str) -> Response {
    let status = status_of(code);
    let mut response = refuse(status, code, message);
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266/5987).
pub(super) fn content_disposition(fallback: &str, name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(&name, NON_ALPHANUMERIC)
    )
}

/// Writes text as a string cell: never a formula, whatever it begins with (`=`, `+`, `-`,
/// `@`, a tab).
pub(super) fn text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
) -> Result<(), XlsxError> {
    let value: String = value.chars().take(MAX_CELL_CHARS).collect();
    sheet.write_string(row, col, value)?;
    Ok(())
}

/// `GET /exports/{list}.xlsx`.
pub async fn list_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(filters): Query<ListFilters>,
) -> Response {
    let principal = match signed_in(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let built = match file.as_str() {
        "households.xlsx" => households_workbook(&state, &principal, &filters).await,
        "persons.xlsx" => persons_workbook(&state, &principal, &filters).await,
        _ => {
            return refuse(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "no such export: use /exports/households.xlsx or /exports/persons.xlsx",
            )
        }
    };
    let (bytes, rows, list, name) = match built {
        Ok(built) => built,
        Err(error) => return error_response(error),
    };
    let entry = AuditEntry::by(
        &principal,
        &format!("export.{list}"),
        list_entity(list),
        None,
    )
    .detail(
        serde_json::json!({
            "rows": rows,
            "filters": {
                "siteId": filters.site_id, "townId": filters.town_id,
                "householdId": filters.household_id, "codePrefix": filters.code_prefix,
                "namePrefix": filters.name_prefix, "labourCapacity": filters.labour_capacity,
                "employmentStatus": filters.employment_status,
                "includeArchived": filters.include_archived,
            },
        })
        .to_string(),
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
    let today = crate::clock::today_in_china();
    let disposition = content_disposition(
        &format!("{list}-{today}.xlsx"),
        &format!("{name}-{today}.xlsx"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn list_entity(list: &str) -> &'static str {
    if list == "households" {
        "Household"
    } else {
        "Person"
    }
}

type Built = (Vec<u8>, usize, &'static str, &'static str);

fn optional_id(
    field: &str,
    node: NodeType,
    value: &Option<String>,
) -> Result<Option<i64>, ApiError> {
    value
        .as_deref()
        .filter(|value| !value.is_empty())
        .map(|value| decode_id(field, node, value))
        .transpose()
}

/// `FULL,PARTIAL` (API values) or storage codes, to storage codes.
fn coded_list<T: Copy>(
    field: &str,
    value: &Option<String>,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Result<Vec<&'static str>, ApiError> {
    let mut codes = Vec::new();
    for part in value.as_deref().unwrap_or("").split(',').map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let found = all
            .iter()
            .copied()
            .map(code)
            .find(|candidate| candidate.eq_ignore_ascii_case(part));
        match found {
            Some(found) => codes.push(found),
            None => {
                return Err(ApiError::invalid(
                    field,
                    format!(
                        "{part:?} is not one of {}",
                        all.iter()
                            .map(|item| code(*item).to_ascii_uppercase())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        }
    }
    Ok(codes)
}

fn forward_page(cursor: Option<crate::persistence::paging::Cursor>) -> PageRequest {
    PageRequest {
        direction: PageDirection::Forward,
        size: PAGE,
        cursor,
    }
}

fn too_many(count: u64) -> ApiError {
    ApiError::invalid(
        "filters",
        format!("the list holds {count} rows; an export holds at most {MAX_EXPORT_ROWS}: narrow it by site, town or another filter"),
    )
}

/// Site names and their towns' names, by site id (the district has a handful of sites).
async fn site_labels(state: &AppState) -> Result<HashMap<i64, (String, String)>, ApiError> {
    let towns: HashMap<i64, String> = town::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|town| (town.id, town.name))
        .collect();
    Ok(site::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|site| {
            let town = towns.get(&site.town_id).cloned().unwrap_or_default();
            (site.id, (site.name, town))
        })
        .collect())
}

fn label_of<T: Copy>(
    code: &str,
    from_code: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> String {
    from_code(code).map_or_else(|| code.to_string(), |value| label(value).to_string())
}

async fn persons_workbook(
    state: &AppState,
    principal: &Principal,
    filters: &ListFilters,
) -> Result<Built, ApiError> {
    principal.require_read(DataDomain::Identity, "Query.persons")?;
    let employment = principal.permissions.can_read(DataDomain::Employment);
    let labour_capacities = coded_list(
        "labourCapacity",
        &filters.labour_capacity,
        LabourCapacity::ALL,
        LabourCapacity::code,
    )?;
    let employment_statuses = coded_list(
        "employmentStatus",
        &filters.employment_status,
        EmploymentStatus::ALL,
        EmploymentStatus::code,
    )?;
    if (!labour_capacities.is_empty() || !employment_statuses.is_empty()) && !employment {
        return Err(ApiError::Forbidden(
            "you may not filter on labour capacity or employment status: your roles may not read the employment domain".into(),
        ));
    }
    let filter = PersonFilter {
        site_id: optional_id("siteId", NodeType::Site, &filters.site_id)?,
        town_id: optional_id("townId", NodeType::Town, &filters.town_id)?,
        household_id: optional_id("householdId", NodeType::Household, &filters.household_id)?,
        scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        labour_capacities,
        employment_statuses,
        born_on_or_after: None,
        born_on_or_before: None,
        name_prefix: filters
            .name_prefix
            .clone()
            .filter(|prefix| !prefix.is_empty()),
        include_archived: filters.include_archived,
    };
    let count = registry::count_persons(&state.db, &filter).await?;
    if count > MAX_EXPORT_ROWS {
        return Err(too_many(count));
    }
    let sites = site_labels(state).await?;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("人员").map_err(xlsx_error)?;
    let columns = [
        ("姓名", 12.0),
        ("身份证号", 22.0),
        ("性别", 6.0),
        ("出生日期", 12.0),
        ("与户主关系", 12.0),
        ("户编号", 12.0),
        ("安置点", 24.0),
        ("镇办", 14.0),
        ("联系电话", 14.0),
        ("劳动能力", 12.0),
        ("就业状态", 10.0),
        ("状态", 8.0),
    ];
    for (col, (title, width)) in (0u16..).zip(columns) {
        sheet
            .write_string_with_format(0, col, title, &bold)
            .map_err(xlsx_error)?;
        sheet.set_column_width(col, width).map_err(xlsx_error)?;
    }
    let mut cursor = None;
    let mut row = 1u32;
    loop {
        let page = registry::person_page(
            &state.db,
            &filter,
            PersonOrder::IdAsc,
            &forward_page(cursor),
        )
        .await?;
        let household_ids: Vec<i64> = page.rows.iter().map(|p| p.household_id).collect();
        let households: HashMap<i64, household::Model> = household::Entity::find()
            .filter(household::Column::Id.is_in(household_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|household| (household.id, household))
            .collect();
        for person in &page.rows {
            write_person(
                sheet,
                row,
                person,
                households.get(&person.household_id),
                &sites,
                employment,
            )
            .map_err(xlsx_error)?;
            row += 1;
        }
        if !page.has_more {
            break;
        }
        cursor = page
            .rows
            .last()
            .map(|last| PersonOrder::IdAsc.cursor_of(last));
        if cursor.is_none() {
            break;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
    Ok((bytes, (row - 1) as usize, "persons", "人员名单"))
}

fn write_person(
    sheet: &mut Worksheet,
    row: u32,
    person: &person::Model,
    household: Option<&household::Model>,
    sites: &HashMap<i64, (String, String)>,
    employment: bool,
) -> Result<(), XlsxError> {
    let (site_name, town_name) = household
        .and_then(|household| sites.get(&household.site_id))
        .cloned()
        .unwrap_or_default();
    text(sheet, row, 0, &person.name)?;
    // Masked as the API shows it without a reason; the full number is never exported.
    text(sheet, row, 1, &mask_id_number(&person.id_number))?;
    text(
        sheet,
        row,
        2,
        &label_of(&person.sex, Sex::from_code, Sex::label_zh),
    )?;
    text(sheet, row, 3, &person.birth_date.to_string())?;
    text(
        sheet,
        row,
        4,
        &label_of(
            &person.relation,
            FamilyRelation::from_code,
            FamilyRelation::label_zh,
        ),
    )?;
    text(
        sheet,
        row,
        5,
        household.map_or("", |household| household.code.as_str()),
    )?;
    text(sheet, row, 6, &site_name)?;
    text(sheet, row, 7, &town_name)?;
    text(
        sheet,
        row,
        8,
        &person.phone.as_deref().map(mask_phone).unwrap_or_default(),
    )?;
    if employment {
        text(
            sheet,
            row,
            9,
            &label_of(
                &person.labour_capacity,
                LabourCapacity::from_code,
                LabourCapacity::label_zh,
            ),
        )?;
        text(
            sheet,
            row,
            10,
            &label_of(
                &person.employment_status,
                EmploymentStatus::from_code,
                EmploymentStatus::label_zh,
            ),
        )?;
    } else {
        text(sheet, row, 9, NO_ACCESS)?;
        text(sheet, row, 10, NO_ACCESS)?;
    }
    text(
        sheet,
        row,
        11,
        if person.archived_at.is_some() {
            "已归档"
        } else {
            "在册"
        },
    )?;
    Ok(())
}

async fn households_workbook(
    state: &AppState,
    principal: &Principal,
    filters: &ListFilters,
) -> Result<Built, ApiError> {
    principal.require_read(DataDomain::Identity, "Query.households")?;
    let employment = principal.permissions.can_read(DataDomain::Employment);
    let filter = HouseholdFilter {
        site_id: optional_id("siteId", NodeType::Site, &filters.site_id)?,
        town_id: optional_id("townId", NodeType::Town, &filters.town_id)?,
        scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        code_prefix: filters
            .code_prefix
            .clone()
            .filter(|prefix| !prefix.is_empty()),
        include_archived: filters.include_archived,
    };
    let count = registry::count_households(&state.db, &filter).await?;
    if count > MAX_EXPORT_ROWS {
        return Err(too_many(count));
    }
    let sites = site_labels(state).await?;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("搬迁户").map_err(xlsx_error)?;
    let columns = [
        ("户编号", 12.0),
        ("安置点", 24.0),
        ("镇办", 14.0),
        ("户主", 12.0),
        ("人口数", 8.0),
        ("是否建档立卡", 12.0),
        ("搬迁入住日期", 14.0),
        ("劳动力数", 10.0),
        ("就业人数", 10.0),
        ("是否零就业户", 12.0),
        ("状态", 8.0),
    ];
    for (col, (title, width)) in (0u16..).zip(columns) {
        sheet
            .write_string_with_format(0, col, title, &bold)
            .map_err(xlsx_error)?;
        sheet.set_column_width(col, width).map_err(xlsx_error)?;
    }
    let mut cursor = None;
    let mut row = 1u32;
    loop {
        let page = registry::household_page(
            &state.db,
            &filter,
            HouseholdOrder::CodeAsc,
            &forward_page(cursor),
        )
        .await?;
        let ids: Vec<i64> = page.rows.iter().map(|household| household.id).collect();
        let members = registry::members_of_households(&state.db, &ids).await?;
        for household in &page.rows {
            let members = members.get(&household.id).map_or(&[][..], Vec::as_slice);
            write_household(sheet, row, household, members, &sites, employment)
                .map_err(xlsx_error)?;
            row += 1;
        }
        if !page.has_more {
            break;
        }
        cursor = page
            .rows
            .last()
            .map(|last| HouseholdOrder::CodeAsc.cursor_of(last));
        if cursor.is_none() {
            break;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
    Ok((bytes, (row - 1) as usize, "households", "搬迁户名单"))
}

fn write_household(
    sheet: &mut Worksheet,
    row: u32,
    household: &household::Model,
    members: &[person::Model],
    sites: &HashMap<i64, (String, String)>,
    employment: bool,
) -> Result<(), XlsxError> {
    let (site_name, town_name) = sites.get(&household.site_id).cloned().unwrap_or_default();
    let head = members
        .iter()
        .find(|member| member.relation == FamilyRelation::Head.code())
        .map_or("", |member| member.name.as_str());
    text(sheet, row, 0, &household.code)?;
    text(sheet, row, 1, &site_name)?;
    text(sheet, row, 2, &town_name)?;
    text(sheet, row, 3, head)?;
    sheet.write_number(row, 4, members.len() as f64)?;
    text(
        sheet,
        row,
        5,
        if household.registered_poor {
            "是"
        } else {
            "否"
        },
    )?;
    text(
        sheet,
        row,
        6,
        &household
            .relocated_on
            .map(|date| date.to_string())
            .unwrap_or_default(),
    )?;
    if employment {
        let facts: Vec<(LabourCapacity, EmploymentStatus)> = members
            .iter()
            .filter_map(|member| {
                Some((
                    LabourCapacity::from_code(&member.labour_capacity)?,
                    EmploymentStatus::from_code(&member.employment_status)?,
                ))
            })
            .collect();
        let labour = facts
            .iter()
            .filter(|(capacity, _)| capacity.has_labour())
            .count();
        let employed = facts
            .iter()
            .filter(|(_, status)| *status == EmploymentStatus::Employed)
            .count();
        sheet.write_number(row, 7, labour as f64)?;
        sheet.write_number(row, 8, employed as f64)?;
        let zero = domain::employment::is_zero_employment_household(&facts);
        text(sheet, row, 9, if zero { "是" } else { "否" })?;
    } else {
        for col in 7..=9 {
            text(sheet, row, col, NO_ACCESS)?;
        }
    }
    text(
        sheet,
        row,
        10,
        if household.archived_at.is_some() {
            "已归档"
        } else {
            "在册"
        },
    )?;
    Ok(())
}

pub(super) fn xlsx_error(error: XlsxError) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("building the workbook: {error}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn text_beginning_like_a_formula_is_a_string_cell() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, value) in (0u32..).zip(["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"]) {
            text(sheet, row, 0, value).unwrap();
        }
        let bytes = workbook.save_to_buffer().unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(!xml.contains("<f>"), "{xml}");
    }

    #[test]
    fn list_filters_take_api_values() {
        let codes = coded_list(
            "labourCapacity",
            &Some("FULL, partial".into()),
            LabourCapacity::ALL,
            LabourCapacity::code,
        )
        .unwrap();
        assert_eq!(codes, ["full", "partial"]);
        assert!(coded_list(
            "x",
            &Some("BOTH".into()),
            LabourCapacity::ALL,
            LabourCapacity::code
        )
        .is_err());
    }

    #[test]
    fn the_file_name_is_ascii_with_the_chinese_name_in_utf8() {
        let disposition =
            content_disposition("persons-2026-12-01.xlsx", "人员名单-2026-12-01.xlsx");
        assert!(disposition.is_ascii());
        assert!(disposition.contains("filename*=UTF-8''%E4%BA%BA"));
    }
}
