//! Integration tests of the alerts API (issue 5).
