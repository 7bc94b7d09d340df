//! Files over plain HTTP with the bearer token: evidence uploads (`POST /attachments`) and
//! downloads of attachments and exports, saved through a blob link.

use gloo_net::http::{Request, Response};
use leptos::web_sys::js_sys::encode_uri_component;
use serde::Deserialize;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;

use super::client::{api_base, ApiError};
use super::model::UploadedFile;
use super::session::{self, SignOutReason};

/// The largest evidence file the server takes (10 MiB).
pub const MAX_EVIDENCE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// The kinds of evidence the server takes, by extension and media type.
const EVIDENCE_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("webp", "image/webp"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
];

/// What the file picker accepts.
pub const EVIDENCE_ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx";

/// The media type to send a file with: the browser's, or one from its extension when the
/// browser does not know it (some phones leave `.docx` empty).
fn content_type_of(file: &web_sys::File) -> Option<&'static str> {
    let browser_type = file.type_();
    let extension = file
        .name()
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    EVIDENCE_TYPES
        .iter()
        .find(|(_, media_type)| *media_type == browser_type)
        .or_else(|| {
            EVIDENCE_TYPES
                .iter()
                .find(|(known, _)| Some(*known) == extension.as_deref())
        })
        .map(|(_, media_type)| *media_type)
}

/// Why a file cannot be evidence, before sending it (the server checks again).
pub fn evidence_problem(file: &web_sys::File) -> Option<String> {
    if file.size() > MAX_EVIDENCE_BYTES {
        return Some(format!(
            "文件“{}”超过 10 MB，请压缩或分开上传。",
            file.name()
        ));
    }
    if content_type_of(file).is_none() {
        return Some(format!(
            "文件“{}”的格式不支持，请上传 PDF、PNG、JPEG、WebP、DOCX 或 XLSX 文件。",
            file.name()
        ));
    }
    None
}

/// Sends a request built by `make` with the access token; on HTTP 401 renews the token once
/// and sends it again (as GraphQL requests do). A second 401 ends the session; a 401 that says
/// the initial password must be changed shows that form instead.
async fn send_authorized(
    make: impl Fn(Option<String>) -> Result<Request, ApiError>,
) -> Result<Response, ApiError> {
    let started = session::epoch();
    if session::renewal_due() {
        session::refresh().await;
    }
    let response = make(session::bearer())?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.status() != 401 {
        return Ok(response);
    }
    let error = error_of(response).await;
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
    let response = make(session::bearer())?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.status() == 401 && session::epoch() == started {
        session::end(Some(SignOutReason::Expired));
    }
    Ok(response)
}

fn with_bearer(
    request: gloo_net::http::RequestBuilder,
    bearer: Option<String>,
) -> gloo_net::http::RequestBuilder {
    match bearer {
        Some(token) => request.header("Authorization", &format!("Bearer {token}")),
        None => request,
    }
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

/// The error of a failed file request: `{errors:[{message, extensions:{code}}]}` as the API
/// answers, or the HTTP status.
async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    let body: Option<ErrorBody> = response.json().await.ok();
    match body.and_then(|body| body.errors.into_iter().next()) {
        Some(error) => ApiError::GraphQl {
            message: error.message,
            code: error.extensions.and_then(|extensions| extensions.code),
            field: None,
        },
        None => ApiError::UnexpectedResponse { status },
    }
}

/// Uploads `file` as evidence of the task (and of one of its reports).
pub async fn upload_evidence(
    task_id: &str,
    report_id: Option<&str>,
    file: &web_sys::File,
) -> Result<UploadedFile, ApiError> {
    let content_type = content_type_of(file).unwrap_or("application/octet-stream");
    let mut url = format!(
        "{}/attachments?task={}",
        api_base(),
        String::from(encode_uri_component(task_id))
    );
    if let Some(report_id) = report_id {
        url.push_str("&report=");
        url.push_str(&String::from(encode_uri_component(report_id)));
    }
    let file_name = String::from(encode_uri_component(&file.name()));
    let response = send_authorized(|bearer| {
        with_bearer(Request::post(&url), bearer)
            .header("Content-Type", content_type)
            .header("X-File-Name", &file_name)
            .body(file.clone())
            .map_err(|_| ApiError::UnexpectedResponse { status: 0 })
    })
    .await?;
    if !response.ok() {
        return Err(error_of(response).await);
    }
    let status = response.status();
    response
        .json::<UploadedFile>()
        .await
        .map_err(|_| ApiError::UnexpectedResponse { status })
}

/// Downloads `path` (e.g. an attachment's `downloadPath`) with the access token and saves it
/// as `file_name`.
pub async fn download(path: &str, file_name: &str) -> Result<(), ApiError> {
    let url = format!("{}{path}", api_base());
    let response = send_authorized(|bearer| {
        with_bearer(Request::get(&url), bearer)
            .build()
            .map_err(|_| ApiError::UnexpectedResponse { status: 0 })
    })
    .await?;
    if !response.ok() {
        return Err(error_of(response).await);
    }
    let status = response.status();
    let unexpected = || ApiError::UnexpectedResponse { status };
    let promise = web_sys::Response::from(response)
        .blob()
        .map_err(|_| unexpected())?;
    let blob: web_sys::Blob = JsFuture::from(promise)
        .await
        .map_err(|_| ApiError::Network)?
        .dyn_into()
        .map_err(|_| unexpected())?;
    save_blob(&blob, file_name).map_err(|_| unexpected())
}

/// Offers `blob` to the user as a file download.
fn save_blob(blob: &web_sys::Blob, file_name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    let body = document.body().ok_or(wasm_bindgen::JsValue::NULL)?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The browser has the file once the click ran; revoke a little later for slow phones.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}
