//! Queries and writes of the employment records (issue 5).
