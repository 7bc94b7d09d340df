//! The security core, pure and unit-tested: passwords, tokens, signing keys, the data-domain
//! policy, lockout and session timeouts. No database, no HTTP: the server wires it in.
pub mod keys;
pub mod lockout;
pub mod password;
pub mod policy;
pub mod scopes;
pub mod session;
pub mod tokens;
