//! sea-orm entities of the tables the API reads and writes (one module per table).
pub mod building;
pub mod bureau;
pub mod community;
pub mod flat;
pub mod household;
pub mod password_history;
pub mod person;
pub mod role;
pub mod role_domain_permission;
pub mod site;
pub mod town;
pub mod user;
pub mod user_role;
pub mod user_session;
pub mod village;
