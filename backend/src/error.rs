//! The one application error, mapped once at the GraphQL edge to a stable `extensions.code`.
use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// Every error a resolver can return. Messages say what was wrong in words; causes of
/// internal errors go to the log, never to the client.
///
/// It deliberately does not implement `Display`: async-graphql converts any `Display` type
/// into an error without a code, and this way `?` always goes through the mapping below.
#[derive(Debug)]
pub enum ApiError {
    /// The input broke a rule; `field` is the input path, e.g. `input.members[2].idNumber`.
    InvalidInput {
        field: String,
        message: String,
    },
    NotFound {
        what: &'static str,
        id: String,
    },
    /// The write would break a uniqueness or state rule, or the record changed meanwhile.
    Conflict(String),
    /// No valid sign-in: `code` says why (e.g. `UNAUTHENTICATED`, `INVALID_CREDENTIALS`,
    /// `SESSION_EXPIRED`, `TOKEN_EXPIRED`).
    Unauthenticated {
        code: &'static str,
        message: String,
    },
    /// A field outside the principal's data domains; the rest of the response is returned.
    ForbiddenField {
        field: String,
        domain: &'static str,
    },
    /// An operation the principal's roles may not perform.
    Forbidden(String),
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl ToString) -> ApiError {
        ApiError::InvalidInput {
            field: field.into(),
            message: message.to_string(),
        }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> ApiError {
        ApiError::NotFound {
            what,
            id: id.to_string(),
        }
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::Unauthenticated {
            code: "UNAUTHENTICATED",
            message:
                "sign in first: send `Authorization: Bearer <access token>` from the login mutation"
                    .into(),
        }
    }

    pub fn stale_version(what: &'static str, id: impl std::fmt::Display, sent: i32) -> ApiError {
        ApiError::Conflict(format!(
            "{what} {id} has changed since version {sent} was read; reload it and apply the change again"
        ))
    }

    /// The message the client sees.
    pub fn message(&self) -> String {
        match self {
            ApiError::InvalidInput { field, message } => format!("{field}: {message}"),
            ApiError::NotFound { what, id } => format!("{what} {id} does not exist"),
            ApiError::Conflict(message) => message.clone(),
            ApiError::Unauthenticated { message, .. } => message.clone(),
            ApiError::ForbiddenField { field, domain } => format!(
                "you may not see {field}: it belongs to the data domain {domain}, which your roles may not read"
            ),
            ApiError::Forbidden(message) => message.clone(),
            ApiError::Internal(_) => "an internal error occurred; it has been logged".into(),
        }
    }

    /// The stable code clients translate (`extensions.code`).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidInput { .. } => "INVALID_INPUT",
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::Unauthenticated { code, .. } => code,
            ApiError::ForbiddenField { .. } => "FORBIDDEN_FIELD",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> ApiError {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                ApiError::Conflict(unique_violation_message(&detail))
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::Conflict(
                "the record refers to a record that does not exist, or is still referred to by others"
                    .into(),
            ),
            _ => ApiError::Internal(error.into()),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> ApiError {
        ApiError::Internal(error)
    }
}

/// Turns a database unique-key violation into words, by the constraint or column it names.
fn unique_violation_message(detail: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        (
            "id_number",
            "a person with this ID number is already registered",
        ),
        (
            "household.code",
            "a household with this code already exists",
        ),
        (
            "household_code",
            "a household with this code already exists",
        ),
        (
            "flat_id",
            "this flat is already assigned to another household",
        ),
    ];
    KNOWN
        .iter()
        .find(|(needle, _)| detail.contains(needle))
        .map(|(_, message)| (*message).to_string())
        .unwrap_or_else(|| "a record with the same unique value already exists".to_string())
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> async_graphql::Error {
        if let ApiError::Internal(cause) = &error {
            tracing::error!(error = ?cause, "internal error");
        }
        let code = error.code();
        let field = match &error {
            ApiError::InvalidInput { field, .. } | ApiError::ForbiddenField { field, .. } => {
                Some(field.clone())
            }
            _ => None,
        };
        async_graphql::Error::new(error.message()).extend_with(|_, extensions| {
            extensions.set("code", code);
            if let Some(field) = &field {
                extensions.set("field", field.as_str());
            }
        })
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
