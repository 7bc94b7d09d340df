//! Integration tests of the assessment API.
use serde_json::{json, Value};

use crate::*;

const RESULTS: &str = r#"query($year: Int!, $asOf: NaiveDate) {
  assessmentResults(year: $year, asOf: $asOf) {
    year asOf followUpWeightPercent methodNotes
    units {
      subjectKind unitCode unitName rank tieExplanation tiedWithUnitCodes
      specialPoints specialMaxPoints specialPercent specialDeductedPoints
      compositePercent compositeIncomplete incompleteReasons
      components { code weightPercent points maxPoints percent }
      indicators {
        code method rule points maxPoints earnedPoints deductedPoints scored explanation
        evidence { passed applicable failedTotal counted failed { kind recordId label } }
        manualScore { points reason scoredBy }
      }
      deductions { indicatorCode points reason findingId findingDescription decidedOn }
    }
  }
}"#;

db_test! {
    async fn explore(app) {
        let token = app.login("bureau_poverty_office").await;
        let body = app
            .graphql_with(Some(&token), RESULTS, json!({ "year": 2026, "asOf": "2026-11-28" }))
            .await;
        std::fs::write(format!("/tmp/assessment-{:?}.json", app.kind), serde_json::to_string_pretty(&body).unwrap()).unwrap();
        let _: Value = body;
    }
}
