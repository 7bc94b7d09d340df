//! The HTTP side of the API: where the server is, one GraphQL POST, partial answers, and the
//! error the UI shows.

use std::collections::HashSet;
use std::sync::OnceLock;

use gloo_net::http::Request;
use leptos::web_sys::{RequestCache, RequestCredentials};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::model::Guarded;

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
        /// `extensions.field`: the input or output field the error is about.
        field: Option<String>,
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

    /// `extensions.field`, when the server named one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::GraphQl { field, .. } => field.as_deref(),
            _ => None,
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
        Some("INVALID_CREDENTIALS") => "用户名或密码错误",
        Some("SESSION_EXPIRED") => "登录已过期，请重新登录",
        Some(code) if code.starts_with("TOKEN_") => "登录已过期，请重新登录",
        Some("PASSWORD_CHANGE_REQUIRED") => "请先修改初始密码",
        Some("FORBIDDEN") => "没有访问权限",
        Some("FORBIDDEN_FIELD") => "无权限查看",
        Some("BAD_USER_INPUT" | "VALIDATION_FAILED" | "INVALID_INPUT") => "输入有误",
        Some("CONFLICT" | "VERSION_CONFLICT") => "数据已被他人修改",
        Some("RATE_LIMITED") => "请求过于频繁",
        Some("INTERNAL" | "INTERNAL_SERVER_ERROR") => "服务器内部错误",
        _ => "请求失败",
    }
}

/// The API origin from `<meta name="api-base" content="…">`; empty means the page's own origin.
pub(super) fn api_base() -> &'static str {
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
    /// Where in `data` the error belongs: field names and list indexes.
    #[serde(default)]
    path: Vec<serde_json::Value>,
    #[serde(default)]
    extensions: Option<RawExtensions>,
}

#[derive(Deserialize)]
struct RawExtensions {
    code: Option<String>,
    field: Option<String>,
}

impl RawError {
    fn code(&self) -> Option<&str> {
        self.extensions.as_ref()?.code.as_deref()
    }

    fn into_api_error(self) -> ApiError {
        let (code, field) = match self.extensions {
            Some(extensions) => (extensions.code, extensions.field),
            None => (None, None),
        };
        ApiError::GraphQl {
            message: self.message,
            code,
            field,
        }
    }

    /// The path as `node.members.0.labourCapacity`.
    fn dotted_path(&self) -> String {
        let segments: Vec<String> = self
            .path
            .iter()
            .map(|segment| match segment {
                serde_json::Value::String(name) => name.clone(),
                other => other.to_string(),
            })
            .collect();
        segments.join(".")
    }
}

/// One HTTP answer of the GraphQL endpoint, not yet judged.
pub(super) struct Answer {
    status: u16,
    raw: RawResponse,
}

impl Answer {
    /// The error that says the request had no valid sign-in (HTTP 401, `UNAUTHENTICATED`,
    /// `SESSION_EXPIRED`, `TOKEN_*`): worth one token refresh and a retry.
    pub(super) fn sign_in_problem(&self) -> Option<ApiError> {
        let first = self.raw.errors.first();
        let code = first.and_then(RawError::code);
        let is_sign_in = self.status == 401
            || matches!(code, Some("UNAUTHENTICATED" | "SESSION_EXPIRED"))
            || code.is_some_and(|code| code.starts_with("TOKEN_"));
        if !is_sign_in {
            return None;
        }
        Some(match first {
            Some(error) => ApiError::GraphQl {
                message: error.message.clone(),
                code: code.map(str::to_owned),
                field: None,
            },
            None => ApiError::UnexpectedResponse {
                status: self.status,
            },
        })
    }

    /// The data, keeping what came back around fields the user may not read
    /// (`FORBIDDEN_FIELD`); any other error fails the whole answer.
    pub(super) fn into_partial<T: DeserializeOwned>(self) -> Result<Partial<T>, ApiError> {
        let status = self.status;
        let mut forbidden = ForbiddenFields::default();
        let mut first_forbidden = None;
        let mut first_other = None;
        for error in self.raw.errors {
            if error.code() == Some("FORBIDDEN_FIELD") {
                forbidden.paths.insert(error.dotted_path());
                first_forbidden.get_or_insert(error);
            } else if first_other.is_none() {
                first_other = Some(error);
            }
        }
        if let Some(error) = first_other {
            return Err(error.into_api_error());
        }
        // A withheld field the answer cannot do without (a non-null one, or the root field
        // itself): the whole answer is forbidden.
        let unusable = || match first_forbidden {
            Some(error) => error.into_api_error(),
            None => ApiError::UnexpectedResponse { status },
        };
        let Some(data) = self.raw.data else {
            return Err(unusable());
        };
        match serde_json::from_value(data) {
            Ok(data) => Ok(Partial { data, forbidden }),
            Err(_) => Err(unusable()),
        }
    }
}

/// A response's data with the places where the server withheld a field.
pub(super) struct Partial<T> {
    pub data: T,
    pub forbidden: ForbiddenFields,
}

/// The response paths (`node.members.0.labourCapacity`) of `FORBIDDEN_FIELD` errors.
#[derive(Default)]
pub(super) struct ForbiddenFields {
    paths: HashSet<String>,
}

impl ForbiddenFields {
    /// Whether a `FORBIDDEN_FIELD` error names this response path.
    pub(super) fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    /// A nullable field's value: shown, not recorded (`null`, no error), or forbidden (`null`
    /// with a `FORBIDDEN_FIELD` error at `path`).
    pub(super) fn guard<T>(&self, value: Option<T>, path: &str) -> Guarded<T> {
        match value {
            Some(value) => Guarded::Shown(value),
            None if self.paths.contains(path) => Guarded::Forbidden,
            None => Guarded::NotRecorded,
        }
    }
}

/// POSTs one operation (already JSON) with the access token, if any, and reads the answer.
pub(super) async fn post(body: &str, bearer: Option<&str>) -> Result<Answer, ApiError> {
    let base = api_base();
    let url = format!("{base}/graphql");
    // Same origin: the browser sends the HttpOnly refresh cookie by default. Another origin
    // needs `include` (and a server that allows credentials for this origin).
    let credentials = if base.is_empty() {
        RequestCredentials::SameOrigin
    } else {
        RequestCredentials::Include
    };
    let mut request = Request::post(&url)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .credentials(credentials)
        .cache(RequestCache::NoStore);
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let request = request
        .body(body.to_owned())
        .map_err(|_| ApiError::UnexpectedResponse { status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    let raw: RawResponse =
        serde_json::from_str(&text).map_err(|_| ApiError::UnexpectedResponse { status })?;
    Ok(Answer { status, raw })
}
