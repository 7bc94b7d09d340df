//! Downloads of published assessment reports (通报) as .xlsx: a ranking sheet, a breakdown
//! sheet with the evidence and a deductions sheet, built from the frozen snapshot only.
//!
//! `GET /exports/assessment-publications/{id}` with `Authorization: Bearer <token>`, the same
//! token and the same read rule as `assessmentPublication` (any bureau or town role, or the
//! assessment domain). Errors come in the `/graphql` shape `{errors:[{message, extensions:{code}}]}`.
//! Every text cell is written as a string cell — never a formula — so a name or reason that
//! begins with `=`, `+`, `-`, `@` or a tab cannot run in the reader's spreadsheet.
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::graphql_endpoint::{identify, refuse};
use super::AppState;
use crate::error::ApiError;
use crate::graphql::assessment::may_read_publications;
use crate::graphql::ids::{decode_id, NodeType};
use crate::persistence::assessment::{self as store, PublicationRecord, Results, SubjectKind};

/// The media type of an .xlsx workbook.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_000;

fn error_response(error: ApiError) -> Response {
    let status = match error.code() {
        "INVALID_INPUT" => StatusCode::BAD_REQUEST,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "FORBIDDEN" | "FORBIDDEN_FIELD" => StatusCode::FORBIDDEN,
        "UNAUTHENTICATED" | "PASSWORD_CHANGE_REQUIRED" => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let ApiError::Internal(cause) = &error {
        tracing::error!(error = ?cause, "assessment export failed");
    }
    let mut response = refuse(status, error.code(), &error.message());
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// `GET /exports/assessment-publications/{id}`: the publication as an .xlsx attachment.
pub async fn assessment_publication_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (principal, _) = match identify(&state, &headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let principal = match principal {
        Some(principal) if principal.must_change_password => {
            return error_response(ApiError::Unauthenticated {
                code: "PASSWORD_CHANGE_REQUIRED",
                message:
                    "change the initial password with changePassword before doing anything else"
                        .into(),
            })
        }
        Some(principal) => principal,
        None => return error_response(ApiError::unauthenticated()),
    };
    if !may_read_publications(&principal) {
        return error_response(ApiError::Forbidden(
            "assessment reports are published to the district's bureaus and towns; your roles act for neither".into(),
        ));
    }
    let number = match decode_id("id", NodeType::AssessmentPublication, &id) {
        Ok(number) => number,
        Err(error) => return error_response(error),
    };
    let record = match store::publication(&state.db, number).await {
        Ok(Some(record)) => record,
        Ok(None) => return error_response(ApiError::not_found("assessment publication", id)),
        Err(error) => return error_response(ApiError::from(error)),
    };
    let results = match record.results() {
        Ok(results) => results,
        Err(error) => return error_response(error),
    };
    // The failed records behind the points go to readers of the assessment domain only.
    let with_records = principal
        .permissions
        .can_read(auth::policy::DataDomain::Assessment);
    let bytes = match publication_workbook(&record, &results, with_records) {
        Ok(bytes) => bytes,
        Err(error) => {
            return error_response(ApiError::Internal(anyhow::anyhow!(
                "building the workbook: {error}"
            )))
        }
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(XLSX_CONTENT_TYPE),
    );
    if let Ok(disposition) = HeaderValue::from_str(&content_disposition(&record)) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `attachment` with an ASCII fallback name and the title as the UTF-8 name (RFC 6266/5987).
fn content_disposition(record: &PublicationRecord) -> String {
    let fallback = format!(
        "assessment-{}-publication-{}.xlsx",
        record.year, record.publication.id
    );
    let title: String = record
        .publication
        .title
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .collect();
    let title = if title.trim().is_empty() {
        fallback.clone()
    } else {
        format!("{}.xlsx", title.trim())
    };
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(&title, NON_ALPHANUMERIC)
    )
}

/// Text for a cell: at most Excel's limit.
fn cell_text(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_string()
    } else {
        text.chars().take(MAX_CELL_CHARS).collect()
    }
}

/// Writes text as a string cell. Never a formula, whatever the text begins with.
fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    sheet.write_string(row, col, cell_text(value))?;
    Ok(())
}

/// Writes hundredths (points) or basis points (percent) as a number shown with two decimals.
fn two_decimals(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    hundredths: i64,
    format: &Format,
) -> Result<(), XlsxError> {
    // Display only: the exact value is the integer; two decimals always show it exactly.
    #[allow(clippy::cast_precision_loss)]
    let value = hundredths as f64 / 100.0;
    sheet.write_number_with_format(row, col, value, format)?;
    Ok(())
}

fn kind_label(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Bureau => "区级部门",
        SubjectKind::Town => "镇办",
    }
}

/// The workbook of a publication: 排名 (ranking), 明细 (breakdown per indicator with the
/// evidence), 扣分 (deductions).
pub fn publication_workbook(
    record: &PublicationRecord,
    results: &Results,
    with_records: bool,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let number = Format::new().set_num_format("0.00");
    let published_at = match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(china) => record
            .publication
            .published_at
            .with_timezone(&china)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => record
            .publication
            .published_at
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
    };
    let heading = format!(
        "{}（{}年度，截至{}，发布于{published_at}）",
        record.publication.title, results.year, results.as_of,
    );

    let ranking = workbook.add_worksheet();
    ranking.set_name("排名")?;
    ranking.write_string_with_format(0, 0, cell_text(&heading), &bold)?;
    let columns = [
        ("类别", 10.0),
        ("排名", 6.0),
        ("单位代码", 12.0),
        ("单位", 28.0),
        ("专项考核得分", 12.0),
        ("专项考核分值", 12.0),
        ("专项考核得分率(%)", 16.0),
        ("并列说明", 30.0),
        ("综合得分率(%)", 14.0),
        ("综合得分是否完整", 14.0),
        ("说明", 40.0),
    ];
    for (col, (title, width)) in (0u16..).zip(columns) {
        ranking.write_string_with_format(1, col, title, &bold)?;
        ranking.set_column_width(col, width)?;
    }
    for (row, unit) in (2u32..).zip(&results.units) {
        text(ranking, row, 0, kind_label(unit.subject_kind))?;
        match unit.rank {
            Some(rank) => {
                ranking.write_number(row, 1, f64::from(rank))?;
            }
            None => text(ranking, row, 1, "不参与排名")?,
        }
        text(ranking, row, 2, &unit.unit_code)?;
        text(ranking, row, 3, &unit.unit_name)?;
        two_decimals(ranking, row, 4, unit.special_points_hundredths, &number)?;
        two_decimals(ranking, row, 5, unit.special_max_hundredths, &number)?;
        if let Some(percent) = unit.special_percent_bp {
            two_decimals(ranking, row, 6, percent, &number)?;
        }
        text(
            ranking,
            row,
            7,
            unit.tie_explanation.as_deref().unwrap_or(""),
        )?;
        two_decimals(ranking, row, 8, unit.composite_percent_bp, &number)?;
        text(
            ranking,
            row,
            9,
            if unit.composite_incomplete {
                "不完整"
            } else {
                "完整"
            },
        )?;
        text(ranking, row, 10, &unit.incomplete_reasons.join("；"))?;
    }
    ranking.set_freeze_panes(2, 0)?;

    let breakdown = workbook.add_worksheet();
    breakdown.set_name("明细")?;
    let columns = [
        ("类别", 10.0),
        ("单位", 28.0),
        ("指标代码", 24.0),
        ("指标", 28.0),
        ("方式", 8.0),
        ("条款", 8.0),
        ("得分", 8.0),
        ("分值", 8.0),
        ("扣分", 8.0),
        ("达标数", 8.0),
        ("应计数", 8.0),
        ("未达标总数", 10.0),
        ("计分说明", 60.0),
        ("未达标记录", 80.0),
    ];
    for (col, (title, width)) in (0u16..).zip(columns) {
        breakdown.write_string_with_format(0, col, title, &bold)?;
        breakdown.set_column_width(col, width)?;
    }
    let mut row = 1u32;
    for unit in &results.units {
        for indicator in &unit.indicators {
            text(breakdown, row, 0, kind_label(unit.subject_kind))?;
            text(breakdown, row, 1, &unit.unit_name)?;
            text(breakdown, row, 2, &indicator.code)?;
            text(breakdown, row, 3, &indicator.name)?;
            text(
                breakdown,
                row,
                4,
                if indicator.method == "computed" {
                    "计算"
                } else {
                    "人工"
                },
            )?;
            text(breakdown, row, 5, &indicator.clause_ref)?;
            two_decimals(breakdown, row, 6, indicator.points_hundredths, &number)?;
            two_decimals(breakdown, row, 7, indicator.max_hundredths, &number)?;
            two_decimals(breakdown, row, 8, indicator.deducted_hundredths, &number)?;
            if let Some(evidence) = &indicator.evidence {
                #[allow(clippy::cast_precision_loss)]
                let counts = [evidence.passed, evidence.applicable, evidence.failed_total]
                    .map(|count| count as f64);
                for (col, value) in (9u16..).zip(counts) {
                    breakdown.write_number(row, col, value)?;
                }
                let mut failed: Vec<&str> = evidence
                    .failed
                    .iter()
                    .map(|record| record.label.as_str())
                    .collect();
                let more = evidence.failed_total.saturating_sub(failed.len() as u64);
                let suffix = format!("……等共{}条", evidence.failed_total);
                if more > 0 {
                    failed.push(&suffix);
                }
                if with_records {
                    text(breakdown, row, 13, &failed.join("\n"))?;
                }
            }
            text(breakdown, row, 12, &indicator.explanation)?;
            row += 1;
        }
    }
    breakdown.set_freeze_panes(1, 0)?;

    let deductions = workbook.add_worksheet();
    deductions.set_name("扣分")?;
    let columns = [
        ("类别", 10.0),
        ("单位", 28.0),
        ("指标代码", 24.0),
        ("扣分", 8.0),
        ("理由", 50.0),
        ("督查发现", 50.0),
        ("决定日期", 12.0),
    ];
    for (col, (title, width)) in (0u16..).zip(columns) {
        deductions.write_string_with_format(0, col, title, &bold)?;
        deductions.set_column_width(col, width)?;
    }
    let mut row = 1u32;
    for unit in &results.units {
        for deduction in &unit.deductions {
            text(deductions, row, 0, kind_label(unit.subject_kind))?;
            text(deductions, row, 1, &unit.unit_name)?;
            text(
                deductions,
                row,
                2,
                deduction
                    .indicator_code
                    .as_deref()
                    .unwrap_or("（专项考核总分）"),
            )?;
            two_decimals(deductions, row, 3, deduction.points_hundredths, &number)?;
            text(deductions, row, 4, &deduction.reason)?;
            text(
                deductions,
                row,
                5,
                deduction.finding_description.as_deref().unwrap_or(""),
            )?;
            text(deductions, row, 6, &deduction.decided_on.to_string())?;
            row += 1;
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::io::Read;

    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::persistence::assessment::{
        Evidence, FailedRecord, IndicatorResult, UnitResult, SNAPSHOT_FORMAT,
    };
    use crate::persistence::entities::assessment_publication;

    fn sample(unit_name: &str, reason: &str) -> (PublicationRecord, Results) {
        let published_at = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        let results = Results {
            format: SNAPSHOT_FORMAT,
            plan_id: 1,
            year: 2026,
            plan_title: "2026年度专项考核".into(),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            computed_at: published_at,
            follow_up_weight_bp: 3_000,
            method_notes: vec![],
            units: vec![UnitResult {
                subject_kind: SubjectKind::Town,
                unit_code: "610202100".into(),
                unit_name: unit_name.into(),
                unit_short_name: unit_name.into(),
                rank: Some(1),
                tied_with: vec![],
                tie_explanation: None,
                special_points_hundredths: 850,
                special_max_hundredths: 1_000,
                special_percent_bp: Some(8_500),
                special_deducted_hundredths: 0,
                composite_percent_bp: 9_000,
                composite_incomplete: false,
                incomplete_reasons: vec![],
                components: vec![],
                indicators: vec![IndicatorResult {
                    code: "family_doctor_contracts".into(),
                    name: "家庭医生签约".into(),
                    component_code: Some("follow_up".into()),
                    method: "computed".into(),
                    rule_code: Some("family_doctor_contracts".into()),
                    clause_ref: "A3§3".into(),
                    max_hundredths: 1_000,
                    earned_hundredths: 850,
                    deducted_hundredths: 0,
                    points_hundredths: 850,
                    scored: true,
                    explanation: reason.into(),
                    evidence: Some(Evidence {
                        passed: 17,
                        applicable: 20,
                        failed_total: 3,
                        counted: "搬迁人口".into(),
                        failed: vec![FailedRecord {
                            kind: "person".into(),
                            node_type: Some("Person".into()),
                            node_id: Some(7),
                            label: "@SUM(A1) 户主：未签约家庭医生".into(),
                        }],
                    }),
                    manual_score: None,
                }],
                deductions: vec![],
            }],
        };
        let record = PublicationRecord {
            publication: assessment_publication::Model {
                id: 5,
                plan_id: 1,
                title: "2026年度专项考核通报/终稿".into(),
                as_of: results.as_of,
                snapshot_json: String::new(),
                published_at,
                published_by: 1,
            },
            year: 2026,
            published_by_name: Some("区脱贫攻坚办".into()),
        };
        (record, results)
    }

    fn unzip(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn text_that_looks_like_a_formula_is_written_as_a_string() {
        let (record, results) = sample("=HYPERLINK(\"http://x\",\"点我\")", "+1+1");
        let bytes = publication_workbook(&record, &results, true).unwrap();
        assert!(bytes.starts_with(b"PK"));
        for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
            let xml = unzip(&bytes, sheet);
            assert!(!xml.contains("<f>"), "{sheet} holds a formula: {xml}");
        }
        let strings = unzip(&bytes, "xl/sharedStrings.xml");
        assert!(strings.contains("<t>=HYPERLINK("), "{strings}");
        assert!(strings.contains("点我"));
        assert!(strings.contains("+1+1"));
        assert!(strings.contains("@SUM(A1) 户主：未签约家庭医生"));
        assert!(strings.contains("排名") || unzip(&bytes, "xl/workbook.xml").contains("排名"));
    }

    #[test]
    fn the_file_name_is_ascii_with_the_title_in_utf8() {
        let (record, _) = sample("黄堡镇", "");
        let disposition = content_disposition(&record);
        assert!(disposition.starts_with(
            "attachment; filename=\"assessment-2026-publication-5.xlsx\"; filename*=UTF-8''"
        ));
        assert!(disposition.is_ascii());
        assert!(!disposition.contains('/'));
        assert!(disposition.contains("%E9%80%9A%E6%8A%A5")); // 通报
    }
}
