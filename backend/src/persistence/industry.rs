//! Queries and writes of the industry records (issue 5).
