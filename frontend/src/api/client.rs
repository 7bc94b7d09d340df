//! The HTTP side of the API: where the server is, one GraphQL POST, and the error the UI shows.

use std::sync::OnceLock;

use gloo_net::http::Request;
use graphql_client::GraphQLQuery;
use serde::Deserialize;

/// What went wrong talking to the server, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, blocked by CORS).
    #[error("无法连接服务器，请检查网络连接后重试")]
    Network,
    /// The server answered with a GraphQL error.
    #[error("{message}")]
    GraphQl {
        message: String,
        code: Option<String>,
    },
    /// The server answered, but not with a GraphQL response this app understands.
    #[error("服务器返回了无法识别的响应（HTTP {status}）")]
    UnexpectedResponse { status: u16 },
    /// The requested record does not exist (or is not of the expected kind).
    #[error("未找到{what}，它可能已被删除，或链接有误")]
    NotFound { what: &'static str },
}

impl ApiError {
    /// The stable error code, as in the API's `extensions.code`.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::GraphQl { code, .. } => code.as_deref(),
            Self::NotFound { .. } => Some("NOT_FOUND"),
            Self::Network | Self::UnexpectedResponse { .. } => None,
        }
    }

    /// A short Chinese headline for the error.
    pub fn title(&self) -> &'static str {
        match self {
            Self::Network => "网络错误",
            Self::UnexpectedResponse { .. } => "服务器响应异常",
            Self::NotFound { .. } => "未找到",
            Self::GraphQl { code, .. } => title_for_code(code.as_deref()),
        }
    }
}

/// Chinese headlines for the API's `extensions.code` values; unknown codes get a generic one.
fn title_for_code(code: Option<&str>) -> &'static str {
    match code {
        Some("NOT_FOUND") => "未找到",
        Some("UNAUTHENTICATED") => "请先登录",
        Some("FORBIDDEN") => "没有访问权限",
        Some("BAD_USER_INPUT" | "VALIDATION_FAILED" | "INVALID_INPUT") => "输入有误",
        Some("CONFLICT" | "VERSION_CONFLICT") => "数据已被他人修改",
        Some("RATE_LIMITED") => "请求过于频繁",
        Some("INTERNAL" | "INTERNAL_SERVER_ERROR") => "服务器内部错误",
        _ => "请求失败",
    }
}

/// The API origin from `<meta name="api-base" content="…">`; empty means the page's own origin.
fn api_base() -> &'static str {
    static API_BASE: OnceLock<String> = OnceLock::new();
    API_BASE.get_or_init(|| {
        leptos::prelude::document()
            .query_selector("meta[name=\"api-base\"]")
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
            .map(|content| content.trim().trim_end_matches('/').to_owned())
            .unwrap_or_default()
    })
}

#[derive(Deserialize)]
struct RawResponse {
    data: Option<serde_json::Value>,
    #[serde(default)]
    errors: Vec<RawError>,
}

#[derive(Deserialize)]
struct RawError {
    message: String,
    #[serde(default)]
    extensions: Option<RawExtensions>,
}

#[derive(Deserialize)]
struct RawExtensions {
    code: Option<String>,
}

/// Sends one operation and returns its data, or the first GraphQL error.
pub async fn run<Q: GraphQLQuery>(variables: Q::Variables) -> Result<Q::ResponseData, ApiError> {
    let body = Q::build_query(variables);
    let url = format!("{}/graphql", api_base());
    let request = Request::post(&url)
        .header("Accept", "application/json")
        .json(&body)
        .map_err(|_| ApiError::UnexpectedResponse { status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    let raw: RawResponse =
        serde_json::from_str(&text).map_err(|_| ApiError::UnexpectedResponse { status })?;
    if let Some(error) = raw.errors.into_iter().next() {
        return Err(ApiError::GraphQl {
            message: error.message,
            code: error.extensions.and_then(|extensions| extensions.code),
        });
    }
    let data = raw.data.ok_or(ApiError::UnexpectedResponse { status })?;
    serde_json::from_value(data).map_err(|_| ApiError::UnexpectedResponse { status })
}
