//! sea-orm entities of the tables the API reads and writes (one module per table).
pub mod building;
pub mod bureau;
pub mod community;
pub mod flat;
pub mod household;
pub mod person;
pub mod site;
pub mod town;
pub mod village;
