//! Queries and writes of the land records (issue 5).
