//! Evidence attachments of tasks and progress reports (A7§1): upload the raw bytes with a
//! bearer token, download them the same way. The bytes live in the database, the only state
//! the servers share; type and size are checked on the bytes by `domain::evidence`.
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::graphql_endpoint::{identify, refuse};
use super::AppState;
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::graphql::ids::{decode_id, encode_id, NodeType};
use crate::graphql::responsibility::{may_attach_to, may_see_task};
use crate::persistence::registry_writes::Actor;
use crate::persistence::responsibility::{self as store, NewAttachment};

/// The request body limit of an upload: the evidence limit plus room for nothing else.
pub const UPLOAD_BODY_LIMIT: usize = domain::evidence::MAX_EVIDENCE_BYTES + 1;

#[derive(Debug, Deserialize)]
pub struct UploadTarget {
    /// The task's global ID.
    task: String,
    /// The progress report's global ID, when the evidence belongs to one report.
    report: Option<String>,
}

fn error_response(error: ApiError) -> Response {
    let status = match error.code() {
        "INVALID_INPUT" => StatusCode::UNPROCESSABLE_ENTITY,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "FORBIDDEN" | "FORBIDDEN_FIELD" => StatusCode::FORBIDDEN,
        "CONFLICT" => StatusCode::CONFLICT,
        "UNAUTHENTICATED" | "PASSWORD_CHANGE_REQUIRED" => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %error.message(), "attachment request failed");
        return refuse(
            status,
            "INTERNAL",
            "the server could not complete the request",
        );
    }
    refuse(status, error.code(), &error.message())
}

/// The signed-in principal who has no pending password change, or the 401 to send.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Principal, Response> {
    let (principal, _) = identify(state, headers).await?;
    match principal {
        Some(principal) if principal.must_change_password => Err(refuse(
            StatusCode::UNAUTHORIZED,
            "PASSWORD_CHANGE_REQUIRED",
            "change the initial password with changePassword before doing anything else",
        )),
        Some(principal) => Ok(principal),
        None => Err(error_response(ApiError::unauthenticated())),
    }
}

/// `POST /attachments?task=<id>[&report=<id>]`, body = the file, `Content-Type` its type,
/// `X-File-Name` its percent-encoded UTF-8 name. Only the task's responsible unit may attach.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(target): Query<UploadTarget>,
    body: Bytes,
) -> Response {
    let principal = match signed_in(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    match store_upload(&state, &principal, &headers, target, &body).await {
        Ok(response) => response,
        Err(error) => error_response(error),
    }
}

async fn store_upload(
    state: &AppState,
    principal: &Principal,
    headers: &HeaderMap,
    target: UploadTarget,
    body: &[u8],
) -> Result<Response, ApiError> {
    let task_id = decode_id("task", NodeType::ResponsibilityTask, &target.task)?;
    let record = store::find_task(&state.db, task_id)
        .await?
        .filter(|record| may_see_task(principal, record))
        .ok_or_else(|| ApiError::not_found("ResponsibilityTask", "with this ID"))?;
    if !may_attach_to(principal, &record) {
        return Err(ApiError::Forbidden(format!(
            "only the responsible unit of task {} may attach evidence",
            record.task.code
        )));
    }
    let report_id = match target.report.as_deref() {
        Some(id) => {
            let report_id = decode_id("report", NodeType::ProgressReport, id)?;
            let report = store::find_report(&state.db, report_id).await?;
            if report.is_none_or(|report| report.task_id != task_id) {
                return Err(ApiError::invalid(
                    "report",
                    "the progress report is not one of this task's",
                ));
            }
            Some(report_id)
        }
        None => None,
    };
    let file_name = headers
        .get("x-file-name")
        .and_then(|value| value.to_str().ok())
        .map(|value| percent_decode_str(value).decode_utf8_lossy().into_owned())
        .ok_or_else(|| {
            ApiError::invalid(
                "X-File-Name",
                "send the file name, percent-encoded UTF-8, in the X-File-Name header",
            )
        })?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let evidence = domain::evidence::check_evidence(&file_name, declared, body)
        .map_err(|error| ApiError::invalid("file", error))?;
    let sha256 = hex::encode(Sha256::digest(body));
    let actor = Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    };
    let stored = store::add_attachment(
        &state.db,
        &actor,
        NewAttachment {
            task_id,
            progress_report_id: report_id,
            file_name: evidence.file_name,
            content_type: evidence.content_type.to_string(),
            sha256,
            bytes: body.to_vec(),
        },
        today_in_china(),
    )
    .await?;
    let id = encode_id(NodeType::TaskAttachment, stored.id);
    let body = json!({
        "id": id.as_str(),
        "fileName": stored.file_name,
        "contentType": stored.content_type,
        "sizeBytes": stored.size_bytes,
        "sha256": stored.sha256,
        "downloadPath": format!("/attachments/{}", id.as_str()),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /attachments/{id}`: the bytes, to whoever may see the task.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let principal = match signed_in(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    match load_download(&state, &principal, &id).await {
        Ok(response) => response,
        Err(error) => error_response(error),
    }
}

async fn load_download(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::not_found("TaskAttachment", "with this ID");
    let attachment_id = decode_id("id", NodeType::TaskAttachment, id)?;
    let attachment = store::find_attachment(&state.db, attachment_id)
        .await?
        .ok_or_else(not_found)?;
    store::find_task(&state.db, attachment.task_id)
        .await?
        .filter(|record| may_see_task(principal, record))
        .ok_or_else(not_found)?;
    let bytes = store::attachment_bytes(&state.db, attachment.id)
        .await?
        .ok_or_else(not_found)?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        utf8_percent_encode(&attachment.file_name, NON_ALPHANUMERIC)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&attachment.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
