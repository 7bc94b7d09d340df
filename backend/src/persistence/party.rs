//! Queries and writes of the party records (issue 5).
