//! Integration tests of the employment API (issue 5).
