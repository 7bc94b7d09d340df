//! Integration tests of the industry_services API (issue 5).
