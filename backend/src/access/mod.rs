//! Who is asking and what they may see: the principal of a request, its data-domain
//! permissions and row scope, built from what the server stores — never from the client.
pub mod principal;
pub mod rate_limit;
pub mod service_client;
pub mod session_cache;
pub mod sign_in;

pub use principal::{Principal, RowScope};
