//! Spreadsheet imports of the registry and the bureaus' ledgers: the templates' columns, the
//! limits, parsing each row into domain types and every duplicate check, with the error
//! report in Chinese (row, column header, value, message).
//!
//! Imports are all-or-nothing: the server parses every row, collects every error, and writes
//! only when there is none. Nothing here does I/O; the server hands in the cells as text and
//! what the database already holds as sets.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::employment::EmploymentType;
use crate::id_number::{IdNumber, IdNumberError};
use crate::person::{EmploymentStatus, FamilyRelation, LabourCapacity};
use crate::phone::{PhoneNumber, PhoneNumberError};
use crate::services::{SchoolEnrolmentStatus, SchoolStage};
use crate::text::{PersonName, TextError};

/// The largest upload accepted (bytes), checked before anything is parsed.
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
/// The largest total uncompressed size an .xlsx may declare in its zip directory.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 50 * 1024 * 1024;
/// The most zip entries an .xlsx may hold (a workbook of a few sheets has about a dozen).
pub const MAX_ZIP_ENTRIES: usize = 200;
/// The most data rows (without the header) one file may hold.
pub const MAX_ROWS: usize = 20_000;
/// The most errors listed in a report; the count says how many there were in all.
pub const MAX_REPORTED_ERRORS: usize = 1_000;
/// Household codes: 1–32 letters, digits and hyphens.
pub const HOUSEHOLD_CODE_MAX_CHARS: usize = 32;
/// Employer names are stored in 200 characters.
pub const EMPLOYER_MAX_CHARS: usize = 200;

coded_enum! {
    /// What a file imports.
    pub enum ImportKind {
        /// 搬迁户及人口: one row per person, households formed by the household code.
        Households => ("households", "搬迁户及人口"),
        /// 劳动力台账 (A2§1): labour capacity and employment status of registered persons.
        Labour => ("labour", "劳动力台账"),
        /// 义务教育台账 (A3§2): enrolments of registered children.
        Schooling => ("schooling", "义务教育台账"),
    }
}

/// One column of a template: its Chinese header, whether a value is required, an example
/// value and a hint for the instructions sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    pub example: &'static str,
    pub hint: &'static str,
}

const fn column(
    header: &'static str,
    required: bool,
    example: &'static str,
    hint: &'static str,
) -> Column {
    Column {
        header,
        required,
        example,
        hint,
    }
}

pub const H_HOUSEHOLD_CODE: &str = "户编号";
pub const H_SITE_CODE: &str = "安置点代码";
pub const H_RELATION: &str = "与户主关系";
pub const H_NAME: &str = "姓名";
pub const H_ID_NUMBER: &str = "身份证号";
pub const H_LABOUR: &str = "劳动能力";
pub const H_EMPLOYMENT: &str = "就业状态";
pub const H_PHONE: &str = "联系电话";
pub const H_RELOCATED_ON: &str = "搬迁入住日期";
pub const H_REGISTERED_POOR: &str = "是否建档立卡";
pub const H_EMPLOYMENT_TYPE: &str = "就业类型";
pub const H_EMPLOYER: &str = "就业单位";
pub const H_SCHOOL: &str = "学校代码";
pub const H_GRADE: &str = "年级";
pub const H_SCHOOL_STATUS: &str = "在学状态";

const HOUSEHOLD_COLUMNS: &[Column] = &[
    column(
        H_HOUSEHOLD_CODE,
        true,
        "HB-101",
        "同一户的成员填相同的户编号；字母、数字和连字符，最多32位",
    ),
    column(
        H_SITE_CODE,
        true,
        "HB-XZQ",
        "安置点代码，如 HB-XZQ（黄堡新镇区）、WJH-XFJ（王家河幸福居）",
    ),
    column(
        H_RELATION,
        true,
        "户主",
        "户主、配偶、子女、儿媳/女婿、孙子女、父母、祖父母、兄弟姐妹、其他；每户恰好一名户主",
    ),
    column(H_NAME, true, "张三", "1至40个字"),
    column(
        H_ID_NUMBER,
        true,
        "11010519491231002X",
        "18位公民身份号码，请以文本格式填写（勿填成数字）",
    ),
    column(
        H_LABOUR,
        true,
        "有劳动能力",
        "有劳动能力、弱劳动能力、无劳动能力",
    ),
    column(H_EMPLOYMENT, true, "未就业", "已就业、未就业、非劳动力"),
    column(H_PHONE, false, "13800138000", "11位手机号，可空"),
    column(
        H_RELOCATED_ON,
        false,
        "2019-06-30",
        "日期，如 2019-06-30，可空；同户各行须一致",
    ),
    column(H_REGISTERED_POOR, false, "是", "是或否，空为是"),
];

const LABOUR_COLUMNS: &[Column] = &[
    column(
        H_HOUSEHOLD_CODE,
        false,
        "HB-001",
        "可空；填写时须与该人所在户一致",
    ),
    column(
        H_ID_NUMBER,
        true,
        "11010519491231002X",
        "已登记人员的18位身份证号",
    ),
    column(
        H_LABOUR,
        true,
        "有劳动能力",
        "有劳动能力、弱劳动能力、无劳动能力",
    ),
    column(H_EMPLOYMENT, true, "已就业", "已就业、未就业、非劳动力"),
    column(
        H_EMPLOYMENT_TYPE,
        false,
        "就近就业",
        "就近就业、外出务工、自主创业、公益岗位、社区工厂；仅已就业者填写",
    ),
    column(
        H_EMPLOYER,
        false,
        "某某社区工厂",
        "就业单位名称，最多200字；仅已就业者填写",
    ),
];

const SCHOOLING_COLUMNS: &[Column] = &[
    column(
        H_ID_NUMBER,
        true,
        "610202201201010016",
        "已登记儿童的18位身份证号",
    ),
    column(H_SCHOOL, true, "SCH-HB-J", "学校代码（见系统中的学校名录）"),
    column(
        H_GRADE,
        true,
        "3",
        "0至12（0为学前，1至6小学，7至9初中，10至12高中）",
    ),
    column(
        H_SCHOOL_STATUS,
        true,
        "在读",
        "在读、转出、辍学、毕业、休学",
    ),
];

impl ImportKind {
    /// The template's columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Households => HOUSEHOLD_COLUMNS,
            ImportKind::Labour => LABOUR_COLUMNS,
            ImportKind::Schooling => SCHOOLING_COLUMNS,
        }
    }
}

/// One problem of an uploaded file. `row` is the spreadsheet's row number (the header is
/// row 1, so the first data row is 2); 0 means the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl RowError {
    pub fn new(row: usize, column: &str, value: &str, message: impl Into<String>) -> RowError {
        RowError {
            row,
            column: column.to_string(),
            value: value.chars().take(100).collect(),
            message: message.into(),
        }
    }
}

/// Why a file is refused before its rows are read (limits, format).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("文件为 {found} 字节，超过上限 {max} 字节（5 MiB）；请拆分后分批导入")]
    TooLarge { found: usize, max: usize },
    #[error("Excel 文件解压后共 {found} 字节，超过上限 {max} 字节；请删除多余的工作表或内容")]
    UncompressedTooLarge { found: u64, max: u64 },
    #[error("Excel 文件内含 {found} 个部件，超过上限 {max} 个；请使用系统提供的模板")]
    TooManyEntries { found: usize, max: usize },
    #[error("文件有 {found} 行数据，超过上限 {max} 行；请拆分后分批导入")]
    TooManyRows { found: usize, max: usize },
    #[error("无法读取文件：{0}；请使用系统提供的 .xlsx 或 .csv 模板")]
    Unreadable(String),
    #[error("文件中没有数据行")]
    Empty,
}

/// Checks the size of the body (A: before anything else).
pub fn check_body_size(len: usize) -> Result<(), FileError> {
    if len > MAX_BODY_BYTES {
        return Err(FileError::TooLarge {
            found: len,
            max: MAX_BODY_BYTES,
        });
    }
    Ok(())
}

/// Checks the zip directory of an .xlsx: the entry count and the declared uncompressed sizes
/// (a "zip bomb" declares far more than it occupies), before any entry is inflated.
pub fn check_zip_directory(uncompressed_sizes: &[u64]) -> Result<(), FileError> {
    if uncompressed_sizes.len() > MAX_ZIP_ENTRIES {
        return Err(FileError::TooManyEntries {
            found: uncompressed_sizes.len(),
            max: MAX_ZIP_ENTRIES,
        });
    }
    let total = uncompressed_sizes
        .iter()
        .fold(0u64, |sum, size| sum.saturating_add(*size));
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(FileError::UncompressedTooLarge {
            found: total,
            max: MAX_UNCOMPRESSED_BYTES,
        });
    }
    Ok(())
}

/// Checks the number of data rows (without the header).
pub fn check_row_count(rows: usize) -> Result<(), FileError> {
    if rows > MAX_ROWS {
        return Err(FileError::TooManyRows {
            found: rows,
            max: MAX_ROWS,
        });
    }
    if rows == 0 {
        return Err(FileError::Empty);
    }
    Ok(())
}

/// Where each template column sits in the uploaded header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    positions: HashMap<&'static str, usize>,
}

impl ColumnMap {
    /// The cell of `header` in a row, trimmed ("" when the column or the cell is missing).
    pub fn cell<'a>(&self, row: &'a [String], header: &str) -> &'a str {
        self.positions
            .get(header)
            .and_then(|index| row.get(*index))
            .map_or("", |cell| cell.trim())
    }
}

/// Finds the template's columns in the header row (any order; extra columns are ignored).
/// A missing required column is an error on row 1.
pub fn map_columns(kind: ImportKind, header_row: &[String]) -> Result<ColumnMap, Vec<RowError>> {
    let mut positions = HashMap::new();
    let mut errors = Vec::new();
    for column in kind.columns() {
        let found = header_row
            .iter()
            .position(|cell| normalise_header(cell) == column.header);
        match found {
            Some(index) => {
                positions.insert(column.header, index);
            }
            None if column.required => errors.push(RowError::new(
                1,
                column.header,
                "",
                format!(
                    "缺少必填列“{}”；请使用系统提供的模板，第1行为列标题",
                    column.header
                ),
            )),
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(ColumnMap { positions })
    } else {
        Err(errors)
    }
}

/// A header as typed: without surrounding spaces, a BOM, or a required-mark asterisk.
fn normalise_header(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{feff}')
        .trim_start_matches(['*', '＊'])
        .trim_end_matches(['*', '＊'])
        .trim()
        .to_string()
}

/// Whether a row holds nothing at all (skipped, like Excel's trailing blank rows).
pub fn is_blank(row: &[String]) -> bool {
    row.iter().all(|cell| cell.trim().is_empty())
}

// ---------------------------------------------------------------------------------------------
// Cells.
// ---------------------------------------------------------------------------------------------

fn required<'a>(
    errors: &mut Vec<RowError>,
    row: usize,
    header: &str,
    value: &'a str,
) -> Option<&'a str> {
    if value.is_empty() {
        errors.push(RowError::new(row, header, value, "必填，不能为空"));
        None
    } else {
        Some(value)
    }
}

/// A coded value given by its Chinese label (or, for machines, its code).
fn coded<T: Copy>(
    errors: &mut Vec<RowError>,
    row: usize,
    header: &str,
    value: &str,
    all: &[T],
    label: fn(T) -> &'static str,
    code: fn(T) -> &'static str,
) -> Option<T> {
    let value = required(errors, row, header, value)?;
    let found = all
        .iter()
        .copied()
        .find(|item| label(*item) == value || code(*item).eq_ignore_ascii_case(value));
    if found.is_none() {
        let choices: Vec<&str> = all.iter().map(|item| label(*item)).collect();
        errors.push(RowError::new(
            row,
            header,
            value,
            format!("无法识别，应为：{}", choices.join("、")),
        ));
    }
    found
}

/// The Chinese message for an ID number that does not parse (GB 11643).
pub fn id_number_message(error: &IdNumberError) -> String {
    match error {
        IdNumberError::WrongLength { found } => {
            format!("身份证号应为18位，此处为{found}位；若显示为科学计数法，请将该列设为文本格式后重新填写")
        }
        IdNumberError::NotDigits => {
            "身份证号前17位应为数字；若单元格为数字格式（显示为科学计数法），请设为文本格式后重新填写".into()
        }
        IdNumberError::InvalidBirthDate => "身份证号第7至14位不是有效的出生日期".into(),
        IdNumberError::WrongCheckDigit { expected, found } => {
            format!("校验码应为{expected}而不是{found}，请检查是否有数字录入错误")
        }
    }
}

/// The Chinese message for a phone number that does not parse.
pub fn phone_message(error: &PhoneNumberError) -> String {
    match error {
        PhoneNumberError::Empty => "联系电话为空".into(),
        PhoneNumberError::NotDigits => "联系电话只能包含数字、空格、连字符和开头的+86".into(),
        PhoneNumberError::WrongLength { found } => {
            format!("手机号应为11位，此处为{found}位")
        }
        PhoneNumberError::NotMobile => "不是大陆手机号（应以13至19开头，不接受固定电话）".into(),
    }
}

fn text_message(error: &TextError) -> String {
    match error {
        TextError::Empty { .. } => "必填，不能为空".into(),
        TextError::TooLong { max, found, .. } => format!("共{found}个字，最多{max}个字"),
        TextError::ControlCharacter { .. } => "含有换行、制表符等控制字符，请删除".into(),
    }
}

fn id_number(errors: &mut Vec<RowError>, row: usize, value: &str) -> Option<IdNumber> {
    let value = required(errors, row, H_ID_NUMBER, value)?;
    match IdNumber::parse(value) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            errors.push(RowError::new(
                row,
                H_ID_NUMBER,
                value,
                id_number_message(&error),
            ));
            None
        }
    }
}

/// Household codes as the API takes them: trimmed, upper-cased, letters, digits and hyphens.
pub fn parse_household_code(value: &str) -> Result<String, String> {
    let code = value.trim();
    let valid = !code.is_empty()
        && code.chars().count() <= HOUSEHOLD_CODE_MAX_CHARS
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(code.to_ascii_uppercase())
    } else {
        Err("户编号应为1至32位字母、数字或连字符，如 HB-046".into())
    }
}

/// Dates as people type them in spreadsheets: 2019-06-30, 2019/6/30, 2019.6.30, 2019年6月30日.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let unified: String = value
        .trim()
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            other => other,
        })
        .collect();
    // "2019-06-30 00:00:00" from a date-time cell: the date part.
    let date_part = unified.split_whitespace().next().unwrap_or("");
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok()
}

fn yes_no(errors: &mut Vec<RowError>, row: usize, header: &str, value: &str) -> Option<bool> {
    match value {
        "" | "是" | "Y" | "y" | "yes" | "true" | "1" => Some(true),
        "否" | "N" | "n" | "no" | "false" | "0" => Some(false),
        other => {
            errors.push(RowError::new(row, header, other, "应填“是”或“否”"));
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Households (one row per person).
// ---------------------------------------------------------------------------------------------

/// A valid row of the household template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub row: usize,
    pub household_code: String,
    pub site_code: String,
    pub relation: FamilyRelation,
    pub name: PersonName,
    pub id_number: IdNumber,
    pub labour_capacity: LabourCapacity,
    pub employment_status: EmploymentStatus,
    pub phone: Option<PhoneNumber>,
    pub relocated_on: Option<NaiveDate>,
    pub registered_poor: bool,
}

/// Parses one row of the household template; every problem of the row is pushed to `errors`.
pub fn parse_household_row(
    columns: &ColumnMap,
    row: usize,
    cells: &[String],
    errors: &mut Vec<RowError>,
) -> Option<HouseholdRow> {
    let before = errors.len();
    let cell = |header: &str| columns.cell(cells, header);

    let household_code =
        required(errors, row, H_HOUSEHOLD_CODE, cell(H_HOUSEHOLD_CODE)).and_then(|value| {
            match parse_household_code(value) {
                Ok(code) => Some(code),
                Err(message) => {
                    errors.push(RowError::new(row, H_HOUSEHOLD_CODE, value, message));
                    None
                }
            }
        });
    let site_code = required(errors, row, H_SITE_CODE, cell(H_SITE_CODE))
        .map(|value| value.to_ascii_uppercase());
    let relation = coded(
        errors,
        row,
        H_RELATION,
        cell(H_RELATION),
        FamilyRelation::ALL,
        FamilyRelation::label_zh,
        FamilyRelation::code,
    );
    let name = required(errors, row, H_NAME, cell(H_NAME)).and_then(|value| {
        PersonName::parse(value)
            .map_err(|error| errors.push(RowError::new(row, H_NAME, value, text_message(&error))))
            .ok()
    });
    let id_number = id_number(errors, row, cell(H_ID_NUMBER));
    let labour_capacity = coded(
        errors,
        row,
        H_LABOUR,
        cell(H_LABOUR),
        LabourCapacity::ALL,
        LabourCapacity::label_zh,
        LabourCapacity::code,
    );
    let employment_status = coded(
        errors,
        row,
        H_EMPLOYMENT,
        cell(H_EMPLOYMENT),
        EmploymentStatus::ALL,
        EmploymentStatus::label_zh,
        EmploymentStatus::code,
    );
    let phone = match cell(H_PHONE) {
        "" => None,
        value => PhoneNumber::parse(value)
            .map_err(|error| errors.push(RowError::new(row, H_PHONE, value, phone_message(&error))))
            .ok(),
    };
    let relocated_on = match cell(H_RELOCATED_ON) {
        "" => None,
        value => {
            let parsed = parse_date(value);
            if parsed.is_none() {
                errors.push(RowError::new(
                    row,
                    H_RELOCATED_ON,
                    value,
                    "不是有效日期，请填写如 2019-06-30",
                ));
            }
            parsed
        }
    };
    let registered_poor = yes_no(errors, row, H_REGISTERED_POOR, cell(H_REGISTERED_POOR));
    if let (Some(labour), Some(status)) = (labour_capacity, employment_status) {
        if !labour.has_labour() && status == EmploymentStatus::Employed {
            errors.push(RowError::new(
                row,
                H_EMPLOYMENT,
                status.label_zh(),
                "无劳动能力者不能为“已就业”；请核对劳动能力或就业状态",
            ));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(HouseholdRow {
        row,
        household_code: household_code?,
        site_code: site_code?,
        relation: relation?,
        name: name?,
        id_number: id_number?,
        labour_capacity: labour_capacity?,
        employment_status: employment_status?,
        phone,
        relocated_on,
        registered_poor: registered_poor?,
    })
}

/// The rules within one file: an ID number appears once; each household has exactly one
/// head (户主); all rows of a household name the same site and relocation date.
pub fn check_households_within_file(rows: &[HouseholdRow]) -> Vec<RowError> {
    let mut errors = Vec::new();
    let mut first_row_of_id: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        if let Some(first) = first_row_of_id.get(row.id_number.as_str()) {
            errors.push(RowError::new(
                row.row,
                H_ID_NUMBER,
                row.id_number.as_str(),
                format!("与第{first}行的身份证号重复；每人只能登记一次"),
            ));
        } else {
            first_row_of_id.insert(row.id_number.as_str(), row.row);
        }
    }
    for members in group_households(rows).values() {
        let Some(first) = members.first() else {
            continue;
        };
        let heads: Vec<&&HouseholdRow> = members
            .iter()
            .filter(|member| member.relation == FamilyRelation::Head)
            .collect();
        if heads.is_empty() {
            errors.push(RowError::new(
                first.row,
                H_RELATION,
                first.relation.label_zh(),
                format!("户 {} 没有户主；每户须恰好一名户主", first.household_code),
            ));
        }
        for extra in heads.iter().skip(1) {
            errors.push(RowError::new(
                extra.row,
                H_RELATION,
                extra.relation.label_zh(),
                format!(
                    "户 {} 已在第{}行登记户主；每户只能有一名户主",
                    extra.household_code, heads[0].row
                ),
            ));
        }
        for member in members.iter().skip(1) {
            if member.site_code != first.site_code {
                errors.push(RowError::new(
                    member.row,
                    H_SITE_CODE,
                    &member.site_code,
                    format!(
                        "同一户的安置点须一致：第{}行为 {}",
                        first.row, first.site_code
                    ),
                ));
            }
            if member.relocated_on != first.relocated_on
                || member.registered_poor != first.registered_poor
            {
                errors.push(RowError::new(
                    member.row,
                    H_RELOCATED_ON,
                    &member
                        .relocated_on
                        .map(|date| date.to_string())
                        .unwrap_or_default(),
                    format!(
                        "同一户的搬迁入住日期和是否建档立卡须与第{}行一致",
                        first.row
                    ),
                ));
            }
        }
    }
    errors.sort_by_key(|error| error.row);
    errors
}

/// Rows grouped by household code, in file order within each household.
pub fn group_households(rows: &[HouseholdRow]) -> HashMap<&str, Vec<&HouseholdRow>> {
    let mut households: HashMap<&str, Vec<&HouseholdRow>> = HashMap::new();
    for row in rows {
        households
            .entry(row.household_code.as_str())
            .or_default()
            .push(row);
    }
    households
}

/// A site as the import sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteRef {
    pub id: i64,
    pub town_id: i64,
}

/// What the registry already holds, for the checks against the database.
#[derive(Debug, Clone, Default)]
pub struct RegistryFacts {
    /// ID numbers already registered (archived persons included: the column is unique).
    pub registered_id_numbers: HashSet<String>,
    /// Household codes already used.
    pub household_codes: HashSet<String>,
    /// Sites by code.
    pub sites: HashMap<String, SiteRef>,
    /// The importer's towns (`None`: the whole district).
    pub allowed_towns: Option<Vec<i64>>,
}

/// The rules against the registry: an ID number registered already, a household code in
/// use, an unknown site, or a site of a town outside the importer's row scope.
pub fn check_households_against_registry(
    rows: &[HouseholdRow],
    facts: &RegistryFacts,
) -> Vec<RowError> {
    let mut errors = Vec::new();
    for row in rows {
        if facts.registered_id_numbers.contains(row.id_number.as_str()) {
            errors.push(RowError::new(
                row.row,
                H_ID_NUMBER,
                row.id_number.as_str(),
                "该身份证号已在系统中登记，不能重复登记；如需修改请在系统中编辑该人员",
            ));
        }
        if facts.household_codes.contains(&row.household_code) {
            errors.push(RowError::new(
                row.row,
                H_HOUSEHOLD_CODE,
                &row.household_code,
                "该户编号已在系统中使用；新增成员请在系统中操作，或换用新的户编号",
            ));
        }
        match facts.sites.get(&row.site_code) {
            None => errors.push(RowError::new(
                row.row,
                H_SITE_CODE,
                &row.site_code,
                "没有此安置点代码；请填写系统中已有的安置点代码",
            )),
            Some(site) => {
                if let Some(towns) = &facts.allowed_towns {
                    if !towns.contains(&site.town_id) {
                        errors.push(RowError::new(
                            row.row,
                            H_SITE_CODE,
                            &row.site_code,
                            "该安置点不属于您所在的镇办，无权导入",
                        ));
                    }
                }
            }
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// The labour ledger.
// ---------------------------------------------------------------------------------------------

/// A valid row of the labour ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourRow {
    pub row: usize,
    pub household_code: Option<String>,
    pub id_number: IdNumber,
    pub labour_capacity: LabourCapacity,
    pub employment_status: EmploymentStatus,
    pub employment_type: Option<EmploymentType>,
    pub employer: Option<String>,
}

/// Parses one row of the labour ledger.
pub fn parse_labour_row(
    columns: &ColumnMap,
    row: usize,
    cells: &[String],
    errors: &mut Vec<RowError>,
) -> Option<LabourRow> {
    let before = errors.len();
    let cell = |header: &str| columns.cell(cells, header);
    let household_code = match cell(H_HOUSEHOLD_CODE) {
        "" => None,
        value => match parse_household_code(value) {
            Ok(code) => Some(code),
            Err(message) => {
                errors.push(RowError::new(row, H_HOUSEHOLD_CODE, value, message));
                None
            }
        },
    };
    let id_number = id_number(errors, row, cell(H_ID_NUMBER));
    let labour_capacity = coded(
        errors,
        row,
        H_LABOUR,
        cell(H_LABOUR),
        LabourCapacity::ALL,
        LabourCapacity::label_zh,
        LabourCapacity::code,
    );
    let employment_status = coded(
        errors,
        row,
        H_EMPLOYMENT,
        cell(H_EMPLOYMENT),
        EmploymentStatus::ALL,
        EmploymentStatus::label_zh,
        EmploymentStatus::code,
    );
    let employment_type = match cell(H_EMPLOYMENT_TYPE) {
        "" => None,
        value => coded(
            errors,
            row,
            H_EMPLOYMENT_TYPE,
            value,
            EmploymentType::ALL,
            EmploymentType::label_zh,
            EmploymentType::code,
        ),
    };
    let employer =
        match crate::text::clean_optional_line(cell(H_EMPLOYER), H_EMPLOYER, EMPLOYER_MAX_CHARS) {
            Ok(employer) => employer,
            Err(error) => {
                errors.push(RowError::new(
                    row,
                    H_EMPLOYER,
                    cell(H_EMPLOYER),
                    text_message(&error),
                ));
                None
            }
        };
    if let (Some(labour), Some(status)) = (labour_capacity, employment_status) {
        if !labour.has_labour() && status == EmploymentStatus::Employed {
            errors.push(RowError::new(
                row,
                H_EMPLOYMENT,
                status.label_zh(),
                "无劳动能力者不能为“已就业”；请核对劳动能力或就业状态",
            ));
        }
        if status != EmploymentStatus::Employed && (employment_type.is_some() || employer.is_some())
        {
            errors.push(RowError::new(
                row,
                H_EMPLOYMENT_TYPE,
                cell(H_EMPLOYMENT_TYPE),
                "只有“已就业”者填写就业类型和就业单位",
            ));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(LabourRow {
        row,
        household_code,
        id_number: id_number?,
        labour_capacity: labour_capacity?,
        employment_status: employment_status?,
        employment_type,
        employer,
    })
}

/// A registered person as the labour import sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredPerson {
    pub id: i64,
    pub household_code: String,
    pub town_id: i64,
}

/// The labour ledger's rules: each ID number once in the file, registered, in the importer's
/// towns, and in the household the row names (when it names one).
pub fn check_labour_rows(
    rows: &[LabourRow],
    persons: &HashMap<String, RegisteredPerson>,
    allowed_towns: Option<&[i64]>,
) -> Vec<RowError> {
    let mut errors = Vec::new();
    let mut first_row_of_id: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        let id = row.id_number.as_str();
        if let Some(first) = first_row_of_id.get(id) {
            errors.push(RowError::new(
                row.row,
                H_ID_NUMBER,
                id,
                format!("与第{first}行的身份证号重复；每人只能出现一次"),
            ));
            continue;
        }
        first_row_of_id.insert(id, row.row);
        let visible = persons
            .get(id)
            .filter(|person| allowed_towns.is_none_or(|towns| towns.contains(&person.town_id)));
        match visible {
            None => errors.push(RowError::new(
                row.row,
                H_ID_NUMBER,
                id,
                "系统中没有此人（或不在您所辖镇办）；请先登记搬迁户及人口",
            )),
            Some(person) => {
                if let Some(code) = &row.household_code {
                    if *code != person.household_code {
                        errors.push(RowError::new(
                            row.row,
                            H_HOUSEHOLD_CODE,
                            code,
                            format!("此人登记在户 {}，与所填户编号不符", person.household_code),
                        ));
                    }
                }
            }
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// The schooling ledger (义务教育台账, A3§2).
// ---------------------------------------------------------------------------------------------

/// The highest grade: 0 is preschool, 1–6 primary, 7–9 junior middle, 10–12 senior high.
pub const MAX_GRADE: i32 = 12;

/// A valid row of the schooling ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolingRow {
    pub row: usize,
    pub id_number: IdNumber,
    pub school_code: String,
    pub grade: i32,
    pub status: SchoolEnrolmentStatus,
}

/// Parses one row of the schooling ledger.
pub fn parse_schooling_row(
    columns: &ColumnMap,
    row: usize,
    cells: &[String],
    errors: &mut Vec<RowError>,
) -> Option<SchoolingRow> {
    let before = errors.len();
    let cell = |header: &str| columns.cell(cells, header);
    let id_number = id_number(errors, row, cell(H_ID_NUMBER));
    let school_code =
        required(errors, row, H_SCHOOL, cell(H_SCHOOL)).map(|code| code.to_ascii_uppercase());
    let grade = required(errors, row, H_GRADE, cell(H_GRADE)).and_then(|value| {
        let grade = value
            .parse::<i32>()
            .ok()
            .filter(|grade| (0..=MAX_GRADE).contains(grade));
        if grade.is_none() {
            errors.push(RowError::new(row, H_GRADE, value, "年级应为0至12的整数"));
        }
        grade
    });
    let status = coded(
        errors,
        row,
        H_SCHOOL_STATUS,
        cell(H_SCHOOL_STATUS),
        SchoolEnrolmentStatus::ALL,
        SchoolEnrolmentStatus::label_zh,
        SchoolEnrolmentStatus::code,
    );
    if errors.len() > before {
        return None;
    }
    Some(SchoolingRow {
        row,
        id_number: id_number?,
        school_code: school_code?,
        grade: grade?,
        status: status?,
    })
}

/// The stage of a grade at a school of this kind (a vocational school's 10–12 is 中职).
pub fn stage_of_grade(grade: i32, school_kind: &str) -> SchoolStage {
    match grade {
        i32::MIN..=0 => SchoolStage::Preschool,
        1..=6 => SchoolStage::Primary,
        7..=9 => SchoolStage::JuniorMiddle,
        _ if school_kind == "vocational" => SchoolStage::Vocational,
        _ => SchoolStage::SeniorHigh,
    }
}

/// The school year a day falls in: it starts on 1 September.
pub fn school_year_of(day: NaiveDate) -> i32 {
    use chrono::Datelike;
    if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// A school as the import sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRef {
    pub id: i64,
    pub kind: String,
}

/// A child's current (在读) enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentEnrolment {
    pub id: i64,
    pub school_id: i64,
}

/// What one schooling row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchoolingChange {
    /// Still at the same school: the grade (and stage) change in place.
    Regrade {
        enrolment_id: i64,
        grade: i32,
        stage: SchoolStage,
    },
    /// Enrolled at a school: the current enrolment elsewhere, if any, closes as transferred
    /// out and the new one names the school it came from (籍随人走, A3§2).
    Enrol {
        person_id: i64,
        school_id: i64,
        grade: i32,
        stage: SchoolStage,
        closes: Option<CurrentEnrolment>,
    },
    /// The current enrolment at the school ends with this status.
    Leave {
        enrolment_id: i64,
        status: SchoolEnrolmentStatus,
    },
}

/// The schooling ledger's rules (A3§2): each child once per file, registered and in the
/// importer's towns, a known school; 在读 enrols (or moves up a grade in place); any other
/// status ends the child's current enrolment at that school, which must exist.
pub fn plan_schooling(
    rows: &[SchoolingRow],
    persons: &HashMap<String, RegisteredPerson>,
    schools: &HashMap<String, SchoolRef>,
    current: &HashMap<i64, CurrentEnrolment>,
    allowed_towns: Option<&[i64]>,
) -> (Vec<SchoolingChange>, Vec<RowError>) {
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    let mut first_row_of_id: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        let id = row.id_number.as_str();
        if let Some(first) = first_row_of_id.get(id) {
            errors.push(RowError::new(
                row.row,
                H_ID_NUMBER,
                id,
                format!("与第{first}行的身份证号重复；每名儿童只能出现一次"),
            ));
            continue;
        }
        first_row_of_id.insert(id, row.row);
        let person = persons
            .get(id)
            .filter(|person| allowed_towns.is_none_or(|towns| towns.contains(&person.town_id)));
        let Some(person) = person else {
            errors.push(RowError::new(
                row.row,
                H_ID_NUMBER,
                id,
                "系统中没有此人（或不在您所辖镇办）；请先登记搬迁户及人口",
            ));
            continue;
        };
        let Some(school) = schools.get(&row.school_code) else {
            errors.push(RowError::new(
                row.row,
                H_SCHOOL,
                &row.school_code,
                "没有此学校代码；请填写系统学校名录中的代码",
            ));
            continue;
        };
        let stage = stage_of_grade(row.grade, &school.kind);
        let enrolment = current.get(&person.id).copied();
        let at_this_school = enrolment.filter(|enrolment| enrolment.school_id == school.id);
        match (row.status, at_this_school) {
            (SchoolEnrolmentStatus::Enrolled, Some(enrolment)) => {
                changes.push(SchoolingChange::Regrade {
                    enrolment_id: enrolment.id,
                    grade: row.grade,
                    stage,
                });
            }
            (SchoolEnrolmentStatus::Enrolled, None) => changes.push(SchoolingChange::Enrol {
                person_id: person.id,
                school_id: school.id,
                grade: row.grade,
                stage,
                closes: enrolment,
            }),
            (status, Some(enrolment)) => changes.push(SchoolingChange::Leave {
                enrolment_id: enrolment.id,
                status,
            }),
            (status, None) => errors.push(RowError::new(
                row.row,
                H_SCHOOL_STATUS,
                status.label_zh(),
                "此人在该校没有在读记录，无法登记离校；请核对学校代码",
            )),
        }
    }
    (changes, errors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| cell.to_string()).collect()
    }

    fn header() -> Vec<String> {
        strings(
            &HOUSEHOLD_COLUMNS
                .iter()
                .map(|c| c.header)
                .collect::<Vec<_>>(),
        )
    }

    fn household_row(cells: &[&str], row: usize) -> (Option<HouseholdRow>, Vec<RowError>) {
        let columns = map_columns(ImportKind::Households, &header()).unwrap();
        let mut errors = Vec::new();
        let parsed = parse_household_row(&columns, row, &strings(cells), &mut errors);
        (parsed, errors)
    }

    const HEAD: [&str; 10] = [
        "hb-101",
        "HB-XZQ",
        "户主",
        "张三",
        "11010519491231002X",
        "有劳动能力",
        "未就业",
        "138 0013 8000",
        "2019/6/30",
        "",
    ];

    #[test]
    fn a_clean_row_parses_into_domain_types() {
        let (row, errors) = household_row(&HEAD, 2);
        assert!(errors.is_empty(), "{errors:?}");
        let row = row.unwrap();
        assert_eq!(row.household_code, "HB-101");
        assert_eq!(row.relation, FamilyRelation::Head);
        assert_eq!(row.phone.unwrap().as_str(), "13800138000");
        assert_eq!(row.relocated_on, NaiveDate::from_ymd_opt(2019, 6, 30));
        assert!(row.registered_poor);
    }

    #[test]
    fn every_error_of_a_row_is_reported_with_its_column_in_chinese() {
        let mut cells = HEAD;
        cells[4] = "110105194912310021"; // wrong check digit (GB 11643)
        cells[2] = "堂兄";
        cells[7] = "0919-1234567";
        let (row, errors) = household_row(&cells, 7);
        assert!(row.is_none());
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, [H_RELATION, H_ID_NUMBER, H_PHONE]);
        assert!(errors.iter().all(|e| e.row == 7));
        assert!(errors[1].message.contains("校验码应为X"), "{:?}", errors[1]);
        assert!(errors[0].message.contains("户主"));
    }

    #[test]
    fn an_id_number_typed_as_a_number_is_explained() {
        let mut cells = HEAD;
        cells[4] = "1.10105194912310E+17";
        let (_, errors) = household_row(&cells, 2);
        assert!(errors[0].message.contains("文本格式"), "{errors:?}");
    }

    #[test]
    fn a_missing_required_column_is_an_error_on_the_header_row() {
        let mut header = header();
        header.retain(|cell| cell != H_ID_NUMBER);
        let errors = map_columns(ImportKind::Households, &header).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].row, errors[0].column.as_str()), (1, H_ID_NUMBER));
    }

    #[test]
    fn headers_match_in_any_order_with_required_marks() {
        let header = strings(&["*身份证号", "学校代码*", " 年级 ", "在学状态"]);
        let columns = map_columns(ImportKind::Schooling, &header).unwrap();
        let row = strings(&["x", "WY-01", " 3 ", "在读"]);
        assert_eq!(columns.cell(&row, H_GRADE), "3");
    }

    fn parsed(cells: &[&str], row: usize) -> HouseholdRow {
        let (parsed, errors) = household_row(cells, row);
        assert!(errors.is_empty(), "{errors:?}");
        parsed.unwrap()
    }

    // A2§1 and the registry's one-head rule: duplicates within the file.
    #[test]
    fn two_heads_and_a_repeated_id_number_are_reported_on_the_later_rows() {
        let head = parsed(&HEAD, 2);
        let mut second = HEAD;
        second[3] = "李四";
        second[4] = "110105201501010017";
        let second_head = parsed(&second, 3);
        let mut repeat = HEAD;
        repeat[2] = "子女";
        repeat[3] = "王五";
        let repeated = parsed(&repeat, 4);
        let errors = check_households_within_file(&[head, second_head, repeated]);
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(found, [(3, H_RELATION), (4, H_ID_NUMBER)]);
        assert!(errors[0].message.contains("第2行"));
        assert!(errors[1].message.contains("第2行"));
    }

    #[test]
    fn a_household_without_a_head_is_reported_once() {
        let mut child = HEAD;
        child[2] = "子女";
        let errors = check_households_within_file(&[parsed(&child, 5)]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("没有户主"));
    }

    #[test]
    fn rows_are_checked_against_the_registry_and_the_importers_towns() {
        let mut row = parsed(&HEAD, 2);
        let mut facts = RegistryFacts::default();
        facts
            .sites
            .insert("HB-XZQ".into(), SiteRef { id: 1, town_id: 10 });
        facts.allowed_towns = Some(vec![10]);
        assert!(check_households_against_registry(&[row.clone()], &facts).is_empty());
        facts.allowed_towns = Some(vec![11]);
        facts
            .registered_id_numbers
            .insert("11010519491231002X".into());
        facts.household_codes.insert("HB-101".into());
        let errors = check_households_against_registry(&[row.clone()], &facts);
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, [H_ID_NUMBER, H_HOUSEHOLD_CODE, H_SITE_CODE]);
        assert!(errors[2].message.contains("不属于您所在的镇办"));
        row.site_code = "NOPE".into();
        let errors = check_households_against_registry(&[row], &RegistryFacts::default());
        assert!(errors[0].message.contains("没有此安置点"));
    }

    #[test]
    fn limits_have_inclusive_boundaries() {
        assert!(check_body_size(MAX_BODY_BYTES).is_ok());
        assert!(matches!(
            check_body_size(MAX_BODY_BYTES + 1),
            Err(FileError::TooLarge { .. })
        ));
        assert!(check_zip_directory(&[MAX_UNCOMPRESSED_BYTES]).is_ok());
        assert!(matches!(
            check_zip_directory(&[MAX_UNCOMPRESSED_BYTES, 1]),
            Err(FileError::UncompressedTooLarge { .. })
        ));
        assert!(matches!(
            check_zip_directory(&[u64::MAX, u64::MAX]),
            Err(FileError::UncompressedTooLarge { .. })
        ));
        assert!(check_zip_directory(&vec![1; MAX_ZIP_ENTRIES]).is_ok());
        assert!(matches!(
            check_zip_directory(&vec![1; MAX_ZIP_ENTRIES + 1]),
            Err(FileError::TooManyEntries { .. })
        ));
        assert!(check_row_count(MAX_ROWS).is_ok());
        assert!(check_row_count(MAX_ROWS + 1).is_err());
        assert_eq!(check_row_count(0), Err(FileError::Empty));
    }

    #[test]
    fn dates_are_read_as_spreadsheets_write_them() {
        let expected = NaiveDate::from_ymd_opt(2019, 6, 30);
        for text in [
            "2019-06-30",
            "2019/6/30",
            "2019.6.30",
            "2019年6月30日",
            "2019-06-30 00:00:00",
        ] {
            assert_eq!(parse_date(text), expected, "{text}");
        }
        assert_eq!(parse_date("2019-02-30"), None);
        assert_eq!(parse_date("昨天"), None);
    }

    // A2§1: labour facts are updated for registered persons only.
    #[test]
    fn labour_rows_need_a_registered_person_in_the_importers_towns() {
        let header = strings(&LABOUR_COLUMNS.iter().map(|c| c.header).collect::<Vec<_>>());
        let columns = map_columns(ImportKind::Labour, &header).unwrap();
        let mut errors = Vec::new();
        let row = parse_labour_row(
            &columns,
            2,
            &strings(&[
                "HB-001",
                "11010519491231002X",
                "有劳动能力",
                "已就业",
                "社区工厂",
                "某工厂",
            ]),
            &mut errors,
        )
        .unwrap();
        assert_eq!(row.employment_type, Some(EmploymentType::CommunityFactory));
        let mut persons = HashMap::new();
        persons.insert(
            "11010519491231002X".to_string(),
            RegisteredPerson {
                id: 1,
                household_code: "HB-002".into(),
                town_id: 10,
            },
        );
        let errors = check_labour_rows(&[row.clone(), row.clone()], &persons, Some(&[10]));
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(found, [(2, H_HOUSEHOLD_CODE), (2, H_ID_NUMBER)]);
        let errors = check_labour_rows(&[row], &persons, Some(&[11]));
        assert!(errors[0].message.contains("不在您所辖镇办"));
        let mut errors = Vec::new();
        let refused = parse_labour_row(
            &columns,
            3,
            &strings(&[
                "",
                "11010519491231002X",
                "无劳动能力",
                "未就业",
                "公益岗位",
                "",
            ]),
            &mut errors,
        );
        assert!(refused.is_none());
        assert_eq!(errors[0].column, H_EMPLOYMENT_TYPE);
    }

    // A3§2: 籍随人走 — enrolling elsewhere closes the current enrolment; leaving needs one.
    #[test]
    fn schooling_rows_enrol_regrade_or_close_the_current_enrolment() {
        let header = strings(
            &SCHOOLING_COLUMNS
                .iter()
                .map(|c| c.header)
                .collect::<Vec<_>>(),
        );
        let columns = map_columns(ImportKind::Schooling, &header).unwrap();
        let parse = |cells: &[&str], row: usize| {
            let mut errors = Vec::new();
            let parsed = parse_schooling_row(&columns, row, &strings(cells), &mut errors);
            (parsed, errors)
        };
        let (_, errors) = parse(&["11010519491231002X", "SCH-1", "13", "在读"], 2);
        assert_eq!(errors[0].column, H_GRADE);
        let (_, errors) = parse(&["11010519491231002X", "SCH-1", "-1", "上学"], 2);
        assert_eq!(errors.len(), 2);
        let child_a = id_for("11010520150101001");
        let child_b = id_for("11010520150101002");
        let child_c = id_for("11010520150101003");
        let row = |id: &str, school: &str, grade: &str, status: &str, n: usize| {
            parse(&[id, school, grade, status], n).0.unwrap()
        };
        let rows = vec![
            row(&child_a, "sch-1", "4", "在读", 2),
            row(&child_b, "SCH-2", "7", "在读", 3),
            row(&child_c, "SCH-1", "3", "辍学", 4),
            row(&child_c, "SCH-1", "3", "在读", 5),
        ];
        let mut persons = HashMap::new();
        for (n, id) in [&child_a, &child_b, &child_c].into_iter().enumerate() {
            persons.insert(
                id.clone(),
                RegisteredPerson {
                    id: n as i64 + 1,
                    household_code: "HB-1".into(),
                    town_id: 10,
                },
            );
        }
        let mut schools = HashMap::new();
        schools.insert(
            "SCH-1".to_string(),
            SchoolRef {
                id: 100,
                kind: "primary".into(),
            },
        );
        schools.insert(
            "SCH-2".to_string(),
            SchoolRef {
                id: 200,
                kind: "nine_year".into(),
            },
        );
        let mut current = HashMap::new();
        current.insert(
            1,
            CurrentEnrolment {
                id: 11,
                school_id: 100,
            },
        );
        current.insert(
            2,
            CurrentEnrolment {
                id: 21,
                school_id: 100,
            },
        );
        let (changes, errors) = plan_schooling(&rows, &persons, &schools, &current, None);
        assert_eq!(
            changes,
            vec![
                SchoolingChange::Regrade {
                    enrolment_id: 11,
                    grade: 4,
                    stage: SchoolStage::Primary
                },
                SchoolingChange::Enrol {
                    person_id: 2,
                    school_id: 200,
                    grade: 7,
                    stage: SchoolStage::JuniorMiddle,
                    closes: Some(CurrentEnrolment {
                        id: 21,
                        school_id: 100
                    }),
                },
            ]
        );
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(found, [(4, H_SCHOOL_STATUS), (5, H_ID_NUMBER)]);
        let (_, errors) = plan_schooling(&rows[..1], &persons, &schools, &current, Some(&[11]));
        assert!(errors[0].message.contains("不在您所辖镇办"));
    }

    #[test]
    fn grades_map_to_stages_and_school_years_start_in_september() {
        assert_eq!(stage_of_grade(0, "kindergarten"), SchoolStage::Preschool);
        assert_eq!(stage_of_grade(6, "nine_year"), SchoolStage::Primary);
        assert_eq!(stage_of_grade(7, "nine_year"), SchoolStage::JuniorMiddle);
        assert_eq!(
            stage_of_grade(9, "junior_middle"),
            SchoolStage::JuniorMiddle
        );
        assert_eq!(stage_of_grade(10, "senior_high"), SchoolStage::SeniorHigh);
        assert_eq!(stage_of_grade(12, "vocational"), SchoolStage::Vocational);
        assert_eq!(
            school_year_of(NaiveDate::from_ymd_opt(2026, 8, 31).unwrap()),
            2025
        );
        assert_eq!(
            school_year_of(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()),
            2026
        );
    }

    fn id_for(first17: &str) -> String {
        let check = crate::id_number::check_digit(first17).unwrap();
        format!("{first17}{check}")
    }
}
