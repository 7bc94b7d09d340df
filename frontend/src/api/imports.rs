//! Spreadsheet imports over plain HTTP: the templates (downloaded with the token), and the file
//! sent with `XMLHttpRequest` so that the page can show the upload's progress
//! (`upload.onprogress`); the server answers with its report, row by row and column by column.
//!
//! `POST /imports/{kind}?dryRun=true|false` takes the file as the body. The answer is the report
//! (200 when clean, 422 with errors: nothing was written), or a refusal before the file was read
//! (400, 401, 403, 404, 409, 413, 415) in the `/graphql` error shape.

use std::rc::Rc;

use serde::Deserialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::Promise;
use web_sys::{ProgressEvent, XmlHttpRequest};

use super::client::{api_base, ApiError};
use super::session::{self, SignOutReason};

/// The largest file the server takes (5 MiB).
pub const MAX_IMPORT_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// What the file picker accepts.
pub const IMPORT_ACCEPT: &str = ".xlsx,.csv";

const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a file imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Households and their members (the registry).
    Households,
    /// The labour ledger: labour capacity and employment of registered persons (A2§1).
    Labour,
    /// The schooling ledger: enrolments of registered children (A3§2).
    Schooling,
}

impl ImportKind {
    /// Every kind, in the order of the page.
    pub const ALL: [ImportKind; 3] = [
        ImportKind::Households,
        ImportKind::Labour,
        ImportKind::Schooling,
    ];

    /// The kind in the server's paths (`/imports/labour`).
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Households => "households",
            ImportKind::Labour => "labour",
            ImportKind::Schooling => "schooling",
        }
    }

    /// The kind of a path code, if it is one.
    pub fn from_code(code: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Households => "搬迁户与家庭成员",
            ImportKind::Labour => "劳动力台账",
            ImportKind::Schooling => "学籍台账",
        }
    }

    /// One line on what the file holds.
    pub fn description(self) -> &'static str {
        match self {
            ImportKind::Households => {
                "每行一名家庭成员，同户成员填相同的户编号；新登记搬迁户及其人口"
            }
            ImportKind::Labour => "已登记人员的劳动能力、就业状态与就业单位（A2§1）",
            ImportKind::Schooling => "已登记儿童的学校、年级与在学状态（A3§2）",
        }
    }

    /// The data domains the user must be able to change to import this kind.
    pub fn write_domains(self) -> &'static [&'static str] {
        match self {
            // The household file carries labour facts too.
            ImportKind::Households => &["identity", "employment"],
            ImportKind::Labour => &["employment"],
            ImportKind::Schooling => &["education"],
        }
    }
}

/// One problem of the file: the spreadsheet row (the header is row 1; 0 means the whole
/// file), the column's header, the value found and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImportRowError {
    pub row: i64,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// Records the import creates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ImportCreated {
    pub households: i64,
    pub persons: i64,
    pub enrolments: i64,
}

/// Records the import changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ImportUpdated {
    pub persons: i64,
    pub employment_spells: i64,
    pub enrolments: i64,
}

/// The server's report on a file: checked only (dry run) or written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub dry_run: bool,
    /// The data rows of the file (blank rows not counted).
    pub rows: i64,
    /// Whether the rows were written (never with an error, never on a dry run).
    #[serde(default)]
    pub written: bool,
    #[serde(default)]
    pub created: ImportCreated,
    #[serde(default)]
    pub updated: ImportUpdated,
    pub error_count: i64,
    /// Only the first errors are listed; `error_count` has them all.
    #[serde(default)]
    pub errors_truncated: bool,
    #[serde(default)]
    pub errors: Vec<ImportRowError>,
}

/// Why a file cannot be sent, before sending it (the server checks again).
pub fn import_file_problem(file: &web_sys::File) -> Option<String> {
    if content_type_of(file).is_none() {
        return Some(format!(
            "文件“{}”不是 .xlsx 或 .csv 文件，请使用下载的模板填写。",
            file.name()
        ));
    }
    if file.size() > MAX_IMPORT_BYTES {
        return Some(format!(
            "文件“{}”超过 5 MB，请拆分后分批导入。",
            file.name()
        ));
    }
    if file.size() == 0.0 {
        return Some(format!("文件“{}”是空文件。", file.name()));
    }
    None
}

/// The media type to send a file with, by its extension.
fn content_type_of(file: &web_sys::File) -> Option<&'static str> {
    let name = file.name().to_ascii_lowercase();
    if name.ends_with(".xlsx") {
        Some(XLSX_CONTENT_TYPE)
    } else if name.ends_with(".csv") {
        Some("text/csv")
    } else {
        None
    }
}

/// Downloads the template of `kind` as `xlsx` or `csv`.
pub async fn download_import_template(kind: ImportKind, extension: &str) -> Result<(), ApiError> {
    super::files::download(
        &format!("/imports/templates/{}.{extension}", kind.code()),
        &format!("{}导入模板.{extension}", kind.label()),
    )
    .await
}

/// Sends `file` to be checked (`dry_run`) or imported, calling `on_progress(sent, total)` in
/// bytes as the upload goes. An answer with row errors is a report, not an error; a refusal
/// before the file was read (too large, not allowed …) is an [`ApiError`]. On HTTP 401 the
/// token is renewed once and the file sent again, as GraphQL requests do.
pub async fn upload_import(
    kind: ImportKind,
    file: &web_sys::File,
    dry_run: bool,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Result<ImportReport, ApiError> {
    let url = format!("{}/imports/{}?dryRun={dry_run}", api_base(), kind.code());
    let on_progress: Rc<dyn Fn(f64, f64)> = Rc::new(on_progress);
    let started = session::epoch();
    if session::renewal_due() {
        session::refresh().await;
    }
    let mut answer = send(&url, file, session::bearer(), on_progress.clone()).await?;
    if answer.status == 401 {
        let error = answer.error();
        if error.code() == Some("PASSWORD_CHANGE_REQUIRED") {
            session::require_password_change();
            return Err(error);
        }
        if !session::refresh().await {
            if session::epoch() == started {
                session::end(Some(SignOutReason::Expired));
            }
            return Err(error);
        }
        answer = send(&url, file, session::bearer(), on_progress).await?;
        if answer.status == 401 {
            if session::epoch() == started {
                session::end(Some(SignOutReason::Expired));
            }
            return Err(answer.error());
        }
    }
    answer.into_report()
}

/// The status and body of a finished request.
struct Answer {
    status: u16,
    body: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize)]
struct ErrorItem {
    message: String,
    #[serde(default)]
    extensions: Option<ErrorExtensions>,
}

#[derive(Deserialize)]
struct ErrorExtensions {
    code: Option<String>,
}

impl Answer {
    /// The refusal in the answer: `{errors:[{message, extensions:{code}}]}`, or the status.
    fn error(&self) -> ApiError {
        let body: Option<ErrorBody> = serde_json::from_str(&self.body).ok();
        match body.and_then(|body| body.errors.into_iter().next()) {
            Some(error) => ApiError::GraphQl {
                message: error.message,
                code: error.extensions.and_then(|extensions| extensions.code),
                field: None,
            },
            None => ApiError::UnexpectedResponse {
                status: self.status,
            },
        }
    }

    fn into_report(self) -> Result<ImportReport, ApiError> {
        if self.status == 200 || self.status == 422 {
            serde_json::from_str(&self.body).map_err(|_| ApiError::UnexpectedResponse {
                status: self.status,
            })
        } else {
            Err(self.error())
        }
    }
}

/// One `XMLHttpRequest` POST of `file`, reporting the upload's progress.
async fn send(
    url: &str,
    file: &web_sys::File,
    bearer: Option<String>,
    on_progress: Rc<dyn Fn(f64, f64)>,
) -> Result<Answer, ApiError> {
    let failed = |_| ApiError::UnexpectedResponse { status: 0 };
    let request = XmlHttpRequest::new().map_err(failed)?;
    request.open_with_async("POST", url, true).map_err(failed)?;
    request
        .set_request_header("Accept", "application/json")
        .map_err(failed)?;
    request
        .set_request_header(
            "Content-Type",
            content_type_of(file).unwrap_or("application/octet-stream"),
        )
        .map_err(failed)?;
    if let Some(token) = bearer {
        request
            .set_request_header("Authorization", &format!("Bearer {token}"))
            .map_err(failed)?;
    }
    let upload = request.upload().map_err(failed)?;
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            on_progress(event.loaded(), event.total());
        }
    });
    upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    // Settles when the answer is in (load) or the request failed (error, abort, timeout).
    let finished = Promise::new(&mut |resolve, reject| {
        request.set_onload(Some(&resolve));
        request.set_onerror(Some(&reject));
        request.set_onabort(Some(&reject));
        request.set_ontimeout(Some(&reject));
    });
    let outcome = match request.send_with_opt_blob(Some(file)) {
        Ok(()) => JsFuture::from(finished).await.map(|_| ()),
        Err(error) => Err(error),
    };
    upload.set_onprogress(None);
    drop(progress);
    outcome.map_err(|_| ApiError::Network)?;
    let status = request.status().map_err(|_| ApiError::Network)?;
    let body = request.response_text().ok().flatten().unwrap_or_default();
    Ok(Answer { status, body })
}
