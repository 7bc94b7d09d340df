//! Queries and writes of the public_services records (issue 5).
