//! Integration tests of the governance_land_party API (issue 5).
