//! Queries and writes of the self_government records (issue 5).
