//! The special assessment (专项考核): plans, published reports and a year's live ranking.

use super::model::{
    AssessedUnit, AssessmentIndex, AssessmentPlanSummary, AssessmentPublication, AssessmentRanking,
    ComponentScore, Deduction, FailedRecord, IndicatorEvidence, IndicatorScore, ManualScore,
};
use super::{queries, run, ApiError};

/// The plans (newest year first) and every published report (newest first).
pub async fn fetch_assessment_index() -> Result<AssessmentIndex, ApiError> {
    use queries::assessment_index::Variables;
    let data = run::<queries::AssessmentIndex>(Variables {}).await?.data;
    Ok(AssessmentIndex {
        plans: data
            .assessment_plans
            .into_iter()
            .map(|plan| AssessmentPlanSummary {
                year: plan.year,
                title: plan.title,
                status: plan.status,
            })
            .collect(),
        publications: data
            .assessment_publications
            .into_iter()
            .map(|publication| AssessmentPublication {
                id: publication.id,
                year: publication.year,
                title: publication.title,
                as_of: publication.as_of,
                published_at: publication.published_at,
                published_by: publication.published_by,
                download_path: publication.download_path,
            })
            .collect(),
    })
}

/// The live results of `year` as of `as_of` (today when `None`), every unit with its breakdown.
pub async fn fetch_assessment_results(
    year: i64,
    as_of: Option<String>,
) -> Result<AssessmentRanking, ApiError> {
    use queries::assessment_results::Variables;
    let results = run::<queries::AssessmentResults>(Variables { year, as_of })
        .await?
        .data
        .assessment_results;
    let units = results
        .units
        .into_iter()
        .map(|unit| AssessedUnit {
            kind: unit.subject_kind,
            code: unit.unit_code,
            name: unit.unit_name,
            short_name: unit.unit_short_name,
            rank: unit.rank,
            tie_explanation: unit.tie_explanation,
            tied_with: unit.tied_with_unit_codes,
            special_points: unit.special_points,
            special_max_points: unit.special_max_points,
            special_percent: unit.special_percent,
            special_deducted_points: unit.special_deducted_points,
            composite_percent: unit.composite_percent,
            composite_incomplete: unit.composite_incomplete,
            incomplete_reasons: unit.incomplete_reasons,
            components: unit
                .components
                .into_iter()
                .map(|component| ComponentScore {
                    code: component.code,
                    name: component.name,
                    weight_percent: component.weight_percent,
                    is_follow_up_support: component.is_follow_up_support,
                    points: component.points,
                    max_points: component.max_points,
                    percent: component.percent,
                })
                .collect(),
            indicators: unit
                .indicators
                .into_iter()
                .map(|indicator| IndicatorScore {
                    code: indicator.code,
                    name: indicator.name,
                    component_code: indicator.component_code,
                    method: indicator.method,
                    clause_ref: indicator.clause_ref,
                    points: indicator.points,
                    max_points: indicator.max_points,
                    earned_points: indicator.earned_points,
                    deducted_points: indicator.deducted_points,
                    scored: indicator.scored,
                    explanation: indicator.explanation,
                    evidence: indicator.evidence.map(|evidence| IndicatorEvidence {
                        passed: evidence.passed,
                        applicable: evidence.applicable,
                        failed_total: evidence.failed_total,
                        counted: evidence.counted,
                        failed: evidence
                            .failed
                            .into_iter()
                            .map(|record| FailedRecord {
                                kind: record.kind,
                                record_id: record.record_id,
                                label: record.label,
                            })
                            .collect(),
                    }),
                    manual_score: indicator.manual_score.map(|score| ManualScore {
                        points: score.points,
                        reason: score.reason,
                        scored_by: score.scored_by,
                        scored_at: score.scored_at,
                    }),
                })
                .collect(),
            deductions: unit
                .deductions
                .into_iter()
                .map(|deduction| Deduction {
                    indicator_code: deduction.indicator_code,
                    points: deduction.points,
                    reason: deduction.reason,
                    finding: deduction.finding_description,
                    decided_on: deduction.decided_on,
                    decided_by: deduction.decided_by,
                })
                .collect(),
        })
        .collect();
    Ok(AssessmentRanking {
        year: results.year,
        plan_title: results.plan_title,
        as_of: results.as_of,
        computed_at: results.computed_at,
        follow_up_weight_percent: results.follow_up_weight_percent,
        method_notes: results.method_notes,
        units,
    })
}
