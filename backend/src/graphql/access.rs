//! The request's principal inside resolvers, and the data-domain check every personal field makes.
use async_graphql::Context;
use auth::policy::DataDomain;

use crate::access::Principal;
use crate::error::ApiError;

/// The signed-in principal, or UNAUTHENTICATED; a principal who must first change the
/// bootstrap password may do nothing else.
pub fn principal<'a>(ctx: &Context<'a>) -> Result<&'a Principal, ApiError> {
    let principal = signed_in(ctx)?;
    if principal.must_change_password {
        return Err(ApiError::Unauthenticated {
            code: "PASSWORD_CHANGE_REQUIRED",
            message: "change the initial password with changePassword before doing anything else"
                .into(),
        });
    }
    Ok(principal)
}

/// The signed-in principal even when a password change is pending (for changePassword, logout, me).
pub fn signed_in<'a>(ctx: &Context<'a>) -> Result<&'a Principal, ApiError> {
    ctx.data_opt::<Principal>()
        .ok_or_else(ApiError::unauthenticated)
}

/// The principal, if it may read `domain`; otherwise FORBIDDEN_FIELD naming `field`.
pub fn read<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    field: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(domain, field)?;
    Ok(principal)
}
