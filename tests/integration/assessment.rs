//! The special assessment (A7§4): the demo scores computed by hand, the 30 % weight rule, who
//! may publish and read, immutable publications, ties, and the .xlsx download.
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::*;

/// The demo date: the seed's records stand as documented on this day.
const AS_OF: &str = "2026-11-28";

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

const PUBLISH: &str = r#"mutation($input: PublishAssessmentInput!) {
  publishAssessment(input: $input) { id year title asOf publishedBy downloadPath }
}"#;

const PUBLICATION: &str = r#"query($id: ID!) {
  assessmentPublication(id: $id) {
    id title asOf publishedBy
    results { asOf units { subjectKind unitCode rank tieExplanation specialPoints specialPercent
      indicators { code points evidence { passed applicable } } } }
  }
}"#;

const SCORE: &str = r#"mutation($input: ScoreAssessmentIndicatorInput!) {
  scoreAssessmentIndicator(input: $input) {
    indicatorCode subjectKind unitCode unitName points previousPoints reason scoredBy
  }
}"#;

const CREATE_PLAN: &str = r#"mutation($input: CreateAssessmentPlanInput!) {
  createAssessmentPlan(input: $input) {
    id year title status followUpWeightPercent version
    components { code name weightPercent isFollowUpSupport }
  }
}"#;

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response:#}"))
}

fn data<'a>(response: &'a Value, field: &str) -> &'a Value {
    assert!(
        response.get("errors").is_none(),
        "unexpected errors: {response:#}"
    );
    &response["data"][field]
}

/// The live results as `username`.
async fn results_as(app: &TestApp, username: &str) -> Value {
    let token = app.login(username).await;
    let response = app
        .graphql_with(
            Some(&token),
            RESULTS,
            json!({ "year": 2026, "asOf": AS_OF }),
        )
        .await;
    data(&response, "assessmentResults").clone()
}

fn unit<'a>(results: &'a Value, code: &str) -> &'a Value {
    results["units"]
        .as_array()
        .and_then(|units| units.iter().find(|unit| unit["unitCode"] == code))
        .unwrap_or_else(|| panic!("no unit {code} in {results:#}"))
}

fn indicator<'a>(unit: &'a Value, code: &str) -> &'a Value {
    unit["indicators"]
        .as_array()
        .and_then(|indicators| indicators.iter().find(|i| i["code"] == code))
        .unwrap_or_else(|| panic!("no indicator {code} in {unit:#}"))
}

/// (passed, applicable) of a computed indicator.
fn counts(indicator: &Value) -> (i64, i64) {
    (
        indicator["evidence"]["passed"].as_i64().unwrap(),
        indicator["evidence"]["applicable"].as_i64().unwrap(),
    )
}

fn failed_labels(indicator: &Value) -> Vec<String> {
    indicator["evidence"]["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["label"].as_str().unwrap().to_string())
        .collect()
}

/// One number straight from the database, to check a premise of the hand computation with a
/// query independent of the server's.
async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_string(),
        ))
        .await
        .expect("query")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a number")
}

/// `max × passed ÷ applicable` in hundredths, rounded half up — the rule, by hand.
fn share(max_hundredths: i64, passed: i64, applicable: i64) -> i64 {
    (max_hundredths * passed * 2 + applicable) / (applicable * 2)
}

fn hundredths(text: &Value) -> i64 {
    let text = text.as_str().unwrap_or_else(|| panic!("not text: {text}"));
    let (whole, fraction) = text.split_once('.').unwrap();
    whole.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
}

async fn publish(app: &TestApp, token: &str, title: &str) -> Value {
    app.graphql_with(
        Some(token),
        PUBLISH,
        json!({ "input": { "year": 2026, "title": title, "asOf": AS_OF } }),
    )
    .await
}

db_test! {
    async fn the_demo_scores_are_the_ones_computed_by_hand(app) {
        let results = results_as(&app, "bureau_poverty_office").await;
        assert_eq!(results["followUpWeightPercent"], "30.00");
        // Every bureau responsible for a task (19) and both towns are assessed.
        assert_eq!(results["units"].as_array().unwrap().len(), 21);

        // ---- 区人社局 (hrss): owner of three computed indicators, measured district-wide. ----
        let hrss = unit(&results, "hrss");
        // A7§1 on-time completion over its own tasks due or completed by 2026-11-28:
        // RT-A2-03 done 2026-03-25 (on time), RT-A2-02 done 2026-10-16 after its 2026-09-30
        // deadline (late); RT-A2-01 was extended to 2026-11-30, not yet due.
        // 20.00 × 1 ÷ 2 = 10.00.
        let on_time = indicator(hrss, "on_time_completion");
        assert_eq!(counts(on_time), (1, 2));
        assert_eq!(on_time["points"], "10.00");
        assert!(failed_labels(on_time)[0].starts_with("RT-A2-02 "));
        // A2§1: 36 households have a member with labour; HB-004, HB-012 and WJH-005 are the
        // demo's zero-employment households. 15.00 × 33 ÷ 36 = 13.75.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(DISTINCT household_id) AS BIGINT) AS n FROM person
                          WHERE archived_at IS NULL AND labour_capacity IN ('full', 'partial')").await,
            36
        );
        let zero = indicator(hrss, "zero_employment_resolved");
        assert_eq!(counts(zero), (33, 36));
        assert_eq!(share(1_500, 33, 36), 1_375);
        assert_eq!(zero["points"], "13.75");
        let labels = failed_labels(zero);
        assert_eq!(labels.len(), 3);
        for (label, code) in labels.iter().zip(["HB-004", "HB-012", "WJH-005"]) {
            assert!(label.starts_with(code), "{label}");
        }
        // A3§4: 140 persons; in HB-017 the head's basic medical insurance is pending and the
        // spouse has no pension row. 10.00 × 138 ÷ 140 = 9.857… → 9.86.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM person WHERE archived_at IS NULL").await,
            140
        );
        let insurance = indicator(hrss, "insurance_coverage");
        assert_eq!(counts(insurance), (138, 140));
        assert_eq!(share(1_000, 138, 140), 986);
        assert_eq!(insurance["points"], "9.86");
        assert_eq!(
            failed_labels(insurance),
            vec!["HB-017 户主：未参加基本医疗保险", "HB-017 配偶：未参加养老保险"]
        );
        // A2§3.2: 15 trainees of the 2026 classes that ended by 2026-11-28, 6 employed after.
        // 5.00 × 6 ÷ 15 = 2.00.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM training_enrolment e
                          JOIN training_class c ON c.id = e.class_id
                          WHERE c.ends_on BETWEEN '2026-01-01' AND '2026-11-28'
                            AND c.status <> 'cancelled'").await,
            15
        );
        let training = indicator(hrss, "post_training_employment");
        assert_eq!(counts(training), (6, 15));
        assert_eq!(training["points"], "2.00");
        assert_eq!(training["evidence"]["failedTotal"], 9);
        // Manual: 9.20 with its reason.
        let quality = indicator(hrss, "work_quality");
        assert_eq!(quality["points"], "9.20");
        assert_eq!(quality["manualScore"]["reason"], "岗位信息库建设及时，培训补贴兑现逾期");
        // Special: 10.00 + 13.75 + 9.86 + 2.00 + 9.20 = 44.81 of 20 + 15 + 10 + 5 + 10 = 60.00
        // → 74.683… → 74.68 %. Composite: 30 % × 74.68 + 70 % × 89.00 = 22.404 + 62.300
        // = 84.704 → 84.70 %.
        assert_eq!(hrss["specialPoints"], "44.81");
        assert_eq!(hrss["specialMaxPoints"], "60.00");
        assert_eq!(hrss["specialPercent"], "74.68");
        assert_eq!(hrss["compositePercent"], "84.70");
        assert_eq!(hrss["compositeIncomplete"], false);
        // Indicators owned by other bureaus do not apply to it.
        assert!(hrss["indicators"].as_array().unwrap().iter().all(|i| i["code"] != "schooling_no_dropouts"));

        // ---- 区教科体局 (education): a 2-point deduction on its own indicator. ----
        let education = unit(&results, "education");
        // A7§1: RT-A3-01 (deadline 2026-10-31) is overdue, its extension still pending:
        // 20.00 × 0 ÷ 1 = 0.00.
        assert_eq!(counts(indicator(education, "on_time_completion")), (0, 1));
        // A3§2: 24 children are 6–15 on 2026-11-28 (born 2010-11-29 … 2020-11-28); one pupil
        // of 王家河 (WJH-007) dropped out. 10.00 × 23 ÷ 24 = 9.583… → 9.58, minus the 2.00
        // deduction of the unannounced visit's finding = 7.58.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM person
                          WHERE archived_at IS NULL AND birth_date > '2010-11-28'
                            AND birth_date <= '2020-11-28'").await,
            24
        );
        let schooling = indicator(education, "schooling_no_dropouts");
        assert_eq!(counts(schooling), (23, 24));
        assert_eq!(schooling["earnedPoints"], "9.58");
        assert_eq!(schooling["deductedPoints"], "2.00");
        assert_eq!(schooling["points"], "7.58");
        assert!(failed_labels(schooling)[0].contains("已辍学"));
        let deduction = &education["deductions"][0];
        assert_eq!(deduction["indicatorCode"], "schooling_no_dropouts");
        assert_eq!(deduction["points"], "2.00");
        assert!(deduction["findingId"].is_string());
        assert_eq!(deduction["findingDescription"], "安置点1名适龄儿童辍学，未及时劝返");
        // Special: 0.00 + 7.58 + 7.60 = 15.18 of 40.00 → 37.95 %.
        // Composite: 30 % × 37.95 + 70 % × 83.00 = 11.385 + 58.100 = 69.485 → 69.49 % (half up).
        assert_eq!(education["specialPoints"], "15.18");
        assert_eq!(education["specialPercent"], "37.95");
        assert_eq!(education["compositePercent"], "69.49");

        // ---- 黄堡镇 (610202100): every indicator, over its own site. ----
        let huangbao = unit(&results, "610202100");
        assert_eq!(huangbao["subjectKind"], "TOWN");
        // A7§1: its one task due or done, RT-A7-11, done 2026-11-12 on time: 20.00.
        assert_eq!(counts(indicator(huangbao, "on_time_completion")), (1, 1));
        // A2§1: 21 households with labour, HB-004 and HB-012 without work: 15.00 × 19 ÷ 21
        // = 13.571… → 13.57.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(DISTINCT p.household_id) AS BIGINT) AS n FROM person p
                          JOIN household h ON h.id = p.household_id
                          JOIN site s ON s.id = h.site_id JOIN town t ON t.id = s.town_id
                          WHERE t.division_code = '610202100' AND p.archived_at IS NULL
                            AND p.labour_capacity IN ('full', 'partial')").await,
            21
        );
        assert_eq!(counts(indicator(huangbao, "zero_employment_resolved")), (19, 21));
        assert_eq!(indicator(huangbao, "zero_employment_resolved")["points"], "13.57");
        // A3§4: 84 persons, HB-017's two gaps: 10.00 × 82 ÷ 84 = 9.761… → 9.76.
        assert_eq!(counts(indicator(huangbao, "insurance_coverage")), (82, 84));
        assert_eq!(indicator(huangbao, "insurance_coverage")["points"], "9.76");
        // A3§2 and A3§3: no dropout and everybody signed (WJH-003 is in 王家河): 10.00 each.
        assert_eq!(counts(indicator(huangbao, "schooling_no_dropouts")), (15, 15));
        assert_eq!(counts(indicator(huangbao, "family_doctor_contracts")), (84, 84));
        // A5§1: 27 old homesteads, 19 reclaimed or restored: 10.00 × 19 ÷ 27 = 7.037… → 7.04.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM homestead hs
                          JOIN household h ON h.id = hs.household_id
                          JOIN site s ON s.id = h.site_id JOIN town t ON t.id = s.town_id
                          WHERE t.division_code = '610202100'
                            AND hs.state IN ('reclaimed_farmland', 'reclaimed_forest',
                                             'reclaimed_grass', 'restored_green')").await,
            19
        );
        assert_eq!(counts(indicator(huangbao, "homestead_reclamation")), (19, 27));
        assert_eq!(indicator(huangbao, "homestead_reclamation")["points"], "7.04");
        // A6§2.2: 3 committee members × January–October = 30 member-months; the second
        // member made no visit in September: 10.00 × 29 ÷ 30 = 9.666… → 9.67.
        let visits = indicator(huangbao, "monthly_party_visits");
        assert_eq!(counts(visits), (29, 30));
        assert_eq!(visits["points"], "9.67");
        assert!(failed_labels(visits)[0].ends_with("2026年09月未走访"), "{visits}");
        // A2§3.2: all 15 trainees live in 黄堡: 2.00 as for the district.
        assert_eq!(counts(indicator(huangbao, "post_training_employment")), (6, 15));
        // Special: 20.00 + 13.57 + 9.76 + 10.00 + 10.00 + 7.04 + 9.67 + 2.00 + 9.25 = 91.29
        // of 100.00 → 91.29 %. Composite: 30 % × 91.29 + 70 % × 92.50 = 27.387 + 64.750
        // = 92.137 → 92.14 %.
        let special: i64 = huangbao["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["code"] != "other_effectiveness")
            .map(|i| hundredths(&i["points"]))
            .sum();
        assert_eq!(special, 9_129);
        assert_eq!(huangbao["specialPoints"], "91.29");
        assert_eq!(huangbao["specialPercent"], "91.29");
        assert_eq!(huangbao["compositePercent"], "92.14");
        // 王家河 scores lower, so 黄堡 ranks first of the towns.
        assert_eq!(huangbao["rank"], 1);
        assert_eq!(unit(&results, "610202004")["rank"], 2);
        // No manual score is missing in the demo.
        assert!(results["units"].as_array().unwrap().iter().all(|u| u["compositeIncomplete"] == false));
    }
}

db_test! {
    async fn follow_up_support_must_weigh_at_least_30_percent_and_all_weights_100(app) {
        let token = app.login("bureau_poverty_office").await;
        let plan = |follow_up: &str, other: &str| {
            json!({ "input": {
                "year": 2027,
                "title": "2027年度易地扶贫搬迁后续扶持工作专项考核方案",
                "components": [
                    { "code": "follow_up", "name": "易地扶贫搬迁后续扶持", "weightPercent": follow_up, "isFollowUpSupport": true },
                    { "code": "other", "name": "脱贫攻坚成效其他内容", "weightPercent": other }
                ]
            } })
        };
        // A7§4: 29.99 % is refused, citing the clause.
        let response = app.graphql_with(Some(&token), CREATE_PLAN, plan("29.99", "70.01")).await;
        assert_eq!(error_code(&response), "INVALID_INPUT");
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.components");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("A7§4") && message.contains("29.99%"), "{message}");
        // Weights that do not add up to 100 % are refused.
        let response = app.graphql_with(Some(&token), CREATE_PLAN, plan("30.00", "69.99")).await;
        assert_eq!(error_code(&response), "INVALID_INPUT");
        assert!(response["errors"][0]["message"].as_str().unwrap().contains("99.99%"));
        // Malformed weights name their field.
        let response = app.graphql_with(Some(&token), CREATE_PLAN, plan("30.001", "69.999")).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.components[0].weightPercent");
        // Only the assessment office writes plans.
        let drc = app.login("bureau_drc").await;
        let response = app.graphql_with(Some(&drc), CREATE_PLAN, plan("30.00", "70.00")).await;
        assert_eq!(error_code(&response), "FORBIDDEN");
        // Exactly 30 % is accepted.
        let response = app.graphql_with(Some(&token), CREATE_PLAN, plan("30", "70.00")).await;
        let created = data(&response, "createAssessmentPlan");
        assert_eq!(created["followUpWeightPercent"], "30.00");
        assert_eq!(created["status"], "DRAFT");
        assert_eq!(created["components"][0]["weightPercent"], "30.00");
        assert_eq!(created["components"][1]["isFollowUpSupport"], false);
        // One plan per year.
        let response = app.graphql_with(Some(&token), CREATE_PLAN, plan("30", "70")).await;
        assert_eq!(error_code(&response), "CONFLICT");
        // The weights change under the same rule, with the version last read.
        let set = r#"mutation($input: SetAssessmentPlanComponentsInput!) {
            setAssessmentPlanComponents(input: $input) { followUpWeightPercent version components { code weightPercent } } }"#;
        let components = json!([
            { "code": "follow_up", "name": "易地扶贫搬迁后续扶持", "weightPercent": "35", "isFollowUpSupport": true },
            { "code": "other", "name": "脱贫攻坚成效其他内容", "weightPercent": "65" }
        ]);
        let response = app.graphql_with(Some(&token), set, json!({ "input": { "year": 2027, "version": 1, "components": components } })).await;
        assert_eq!(data(&response, "setAssessmentPlanComponents")["followUpWeightPercent"], "35.00");
        assert_eq!(data(&response, "setAssessmentPlanComponents")["version"], 2);
        let response = app.graphql_with(Some(&token), set, json!({ "input": { "year": 2027, "version": 1, "components": components } })).await;
        assert_eq!(error_code(&response), "CONFLICT");
        // An indicator: a computed one needs its rule; an owned one is measured for its owner.
        let add = r#"mutation($input: AddAssessmentIndicatorInput!) {
            addAssessmentIndicator(input: $input) { code method rule ownerBureauCode clauseRef maxPoints } }"#;
        let indicator_input = |rule: Value| json!({ "input": {
            "year": 2027, "componentCode": "follow_up", "code": "zero_employment", "name": "零就业家庭动态清零",
            "method": "COMPUTED", "rule": rule, "ownerBureauCode": "hrss", "maxPoints": "15"
        } });
        let response = app.graphql_with(Some(&token), add, indicator_input(Value::Null)).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.rule");
        let response = app.graphql_with(Some(&token), add, indicator_input(json!("ZERO_EMPLOYMENT_RESOLVED"))).await;
        let added = data(&response, "addAssessmentIndicator");
        assert_eq!(added["clauseRef"], "A2§1");
        assert_eq!(added["maxPoints"], "15.00");
        let response = app.graphql_with(Some(&token), RESULTS, json!({ "year": 2027, "asOf": AS_OF })).await;
        let results = data(&response, "assessmentResults");
        assert_eq!(counts(indicator(unit(results, "hrss"), "zero_employment")), (33, 36));
        assert!(unit(results, "drc")["indicators"].as_array().unwrap().is_empty());
        // Nobody scored the other component yet: flagged, not silently complete.
        assert_eq!(unit(results, "hrss")["compositeIncomplete"], true);
    }
}

db_test! {
    async fn only_the_assessment_office_publishes_and_a_publication_never_moves(app) {
        let drc = app.login("bureau_drc").await;
        let response = publish(&app, &drc, "2026年度专项考核结果通报").await;
        assert_eq!(error_code(&response), "FORBIDDEN");
        assert_eq!(app.count_rows("assessment_publication").await, 0);

        let office = app.login("bureau_poverty_office").await;
        let response = app
            .graphql_with(Some(&office), PUBLISH, json!({ "input": { "year": 2026, "title": "通报", "asOf": "2999-01-01" } }))
            .await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.asOf");

        let response = publish(&app, &office, "2026年度易地扶贫搬迁后续扶持专项考核结果通报").await;
        let published = data(&response, "publishAssessment").clone();
        assert_eq!(published["asOf"], AS_OF);
        assert_eq!(published["year"], 2026);
        let id = published["id"].clone();
        let frozen = app.graphql_with(Some(&office), PUBLICATION, json!({ "id": id })).await;
        let frozen = data(&frozen, "assessmentPublication").clone();
        let before_hrss = unit(&frozen["results"], "hrss").clone();
        assert_eq!(before_hrss["specialPoints"], "44.81");

        // Afterwards the records change: hrss completes RT-A2-01 early (on 2026-11-27, due
        // 2026-11-30), and the drc's manual score goes up.
        app.db
            .execute_unprepared("UPDATE responsibility_task SET completed_on = '2026-11-27' WHERE code = 'RT-A2-01'")
            .await
            .unwrap();
        let response = app
            .graphql_with(Some(&office), SCORE, json!({ "input": {
                "year": 2026, "indicatorCode": "work_quality", "bureauCode": "drc",
                "points": "9.60", "reason": "复核后调整：牵头调度成效明显" } }))
            .await;
        assert_eq!(data(&response, "scoreAssessmentIndicator")["previousPoints"], "9.50");

        // The live results move: hrss 2 of 3 tasks on time, 20.00 × 2 ÷ 3 = 13.33.
        let live = results_as(&app, "bureau_poverty_office").await;
        let hrss = unit(&live, "hrss");
        assert_eq!(counts(indicator(hrss, "on_time_completion")), (2, 3));
        assert_eq!(indicator(hrss, "on_time_completion")["points"], "13.33");
        assert_eq!(hrss["specialPoints"], "48.14");
        assert_eq!(unit(&live, "drc")["specialPoints"], "29.60");

        // The publication does not.
        let again = app.graphql_with(Some(&office), PUBLICATION, json!({ "id": id })).await;
        let again = data(&again, "assessmentPublication");
        assert_eq!(again, &frozen);
        assert_eq!(unit(&again["results"], "hrss"), &before_hrss);
        assert_eq!(unit(&again["results"], "drc")["specialPoints"], "29.50");
        // And the database refuses to change it at all.
        assert!(app
            .db
            .execute_unprepared("UPDATE assessment_publication SET title = 'x'")
            .await
            .is_err());
        assert!(app.db.execute_unprepared("DELETE FROM assessment_publication").await.is_err());

        // Every change is in the audit log.
        assert_eq!(
            scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action IN ('assessment.publish', 'assessment_score.replace')").await,
            2
        );
        // Published reports are district-wide: a town reads them too.
        let town = app.login("town_610202100").await;
        let list = app
            .graphql_with(Some(&town), "{ assessmentPublications { id title publishedBy } }", json!({}))
            .await;
        assert_eq!(data(&list, "assessmentPublications")[0]["id"], id);
        assert_eq!(data(&list, "assessmentPublications")[0]["publishedBy"], published["publishedBy"]);
    }
}

db_test! {
    async fn equal_scores_share_a_rank_and_the_tie_is_explained(app) {
        // Before: 区脱贫攻坚办 29.60 of 30 (98.67 %), 区发改局 29.50 (98.33 %), 区财政局 29.40.
        let before = results_as(&app, "bureau_poverty_office").await;
        assert_eq!(unit(&before, "poverty_office")["rank"], 1);
        assert_eq!(unit(&before, "drc")["rank"], 2);
        assert_eq!(unit(&before, "finance")["rank"], 3);
        let office = app.login("bureau_poverty_office").await;
        let response = app
            .graphql_with(Some(&office), SCORE, json!({ "input": {
                "year": 2026, "indicatorCode": "work_quality", "bureauCode": "drc",
                "points": "9.6", "reason": "复核后调整" } }))
            .await;
        let score = data(&response, "scoreAssessmentIndicator");
        assert_eq!(score["points"], "9.60");
        assert_eq!(score["unitName"], "王益区发展和改革局");
        // After: 20.00 + 9.60 = 29.60 for both → both first, the next is third ("1, 1, 3").
        let after = results_as(&app, "bureau_poverty_office").await;
        let office_unit = unit(&after, "poverty_office");
        let drc_unit = unit(&after, "drc");
        assert_eq!(office_unit["specialPercent"], drc_unit["specialPercent"]);
        assert_eq!(office_unit["rank"], 1);
        assert_eq!(drc_unit["rank"], 1);
        assert_eq!(drc_unit["tieExplanation"], "与区脱贫攻坚办并列第1名（得分相同）");
        assert_eq!(office_unit["tieExplanation"], "与区发改局并列第1名（得分相同）");
        assert_eq!(drc_unit["tiedWithUnitCodes"], json!(["poverty_office"]));
        assert_eq!(unit(&after, "finance")["rank"], 3);
        assert!(unit(&after, "finance")["tieExplanation"].is_null());
        // Towns are ranked among towns only.
        assert_eq!(unit(&after, "610202100")["rank"], 1);
    }
}

db_test! {
    async fn scores_and_deductions_are_validated_and_change_the_results(app) {
        let office = app.login("bureau_poverty_office").await;
        let score = |input: Value| {
            let app = &app;
            let office = office.clone();
            async move { app.graphql_with(Some(&office), SCORE, json!({ "input": input })).await }
        };
        let base = |indicator: &str, points: &str| json!({
            "year": 2026, "indicatorCode": indicator, "townCode": "610202004",
            "points": points, "reason": "复核" });
        // Computed indicators are not scored by hand.
        let response = score(base("zero_employment_resolved", "1")).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.indicatorCode");
        // Within 0..max.
        let response = score(base("work_quality", "10.01")).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.points");
        // A reason is required.
        let mut input = base("work_quality", "8");
        input["reason"] = json!("  ");
        let response = score(input).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.reason");
        // Exactly one unit.
        let mut input = base("work_quality", "8");
        input["bureauCode"] = json!("hrss");
        let response = score(input).await;
        assert_eq!(error_code(&response), "INVALID_INPUT");
        let mut input = base("work_quality", "8");
        input["townCode"] = json!("999999999");
        let response = score(input).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.townCode");
        // The reader of the policy may not score.
        let drc = app.login("bureau_drc").await;
        let response = app.graphql_with(Some(&drc), SCORE, json!({ "input": base("work_quality", "8") })).await;
        assert_eq!(error_code(&response), "FORBIDDEN");
        // A valid score replaces the earlier one: 7.80 → 8.00, special 71.82 → 72.02.
        let response = score(base("work_quality", "8.00")).await;
        assert_eq!(data(&response, "scoreAssessmentIndicator")["previousPoints"], "7.80");
        // A deduction without an indicator comes off the special total: 72.02 − 1.50 = 70.52.
        let deduct = r#"mutation($input: RecordAssessmentDeductionInput!) {
            recordAssessmentDeduction(input: $input) { unitCode indicatorCode points reason decidedOn } }"#;
        let response = app
            .graphql_with(Some(&office), deduct, json!({ "input": {
                "year": 2026, "townCode": "610202004", "points": "1.50",
                "reason": "10月未研判安置点党建工作", "decidedOn": "2026-11-27" } }))
            .await;
        assert_eq!(data(&response, "recordAssessmentDeduction")["indicatorCode"], Value::Null);
        let response = app
            .graphql_with(Some(&office), deduct, json!({ "input": {
                "year": 2026, "townCode": "610202004", "points": "0", "reason": "无" } }))
            .await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.points");
        let results = results_as(&app, "bureau_poverty_office").await;
        let wangjiahe = unit(&results, "610202004");
        assert_eq!(indicator(wangjiahe, "work_quality")["points"], "8.00");
        assert_eq!(indicator(wangjiahe, "work_quality")["manualScore"]["reason"], "复核");
        assert_eq!(wangjiahe["specialDeductedPoints"], "1.50");
        assert_eq!(wangjiahe["specialPoints"], "70.52");
        assert_eq!(wangjiahe["deductions"][0]["reason"], "10月未研判安置点党建工作");
    }
}

db_test! {
    async fn live_results_need_the_assessment_domain_and_reports_need_a_bureau_or_town(app) {
        // A town reads the plan and the reports, not the live results.
        let town = app.login("town_610202100").await;
        let response = app.graphql_with(Some(&town), RESULTS, json!({ "year": 2026, "asOf": AS_OF })).await;
        assert_eq!(error_code(&response), "FORBIDDEN_FIELD");
        assert_eq!(response["errors"][0]["extensions"]["field"], "Query.assessmentResults");
        let response = app
            .graphql_with(Some(&town), "{ assessmentPlan(year: 2026) { title followUpWeightPercent indicators { code rule ownerBureauCode } } }", json!({}))
            .await;
        let plan = data(&response, "assessmentPlan");
        assert_eq!(plan["followUpWeightPercent"], "30.00");
        assert_eq!(plan["indicators"].as_array().unwrap().len(), 10);
        // The drc reads the live results (read-only).
        let results = results_as(&app, "bureau_drc").await;
        assert_eq!(results["units"].as_array().unwrap().len(), 21);
        // The auditor acts for no unit.
        let auditor = app.login("auditor").await;
        let response = app.graphql_with(Some(&auditor), "{ assessmentPublications { id } }", json!({})).await;
        assert_eq!(error_code(&response), "FORBIDDEN");
        // Anonymous: nothing.
        let response = app.graphql_with(None, "{ assessmentPlans { year } }", json!({})).await;
        assert_eq!(error_code(&response), "UNAUTHENTICATED");
    }
}

db_test! {
    async fn a_publication_downloads_as_xlsx_with_the_same_token_rules(app) {
        let office = app.login("bureau_poverty_office").await;
        let response = publish(&app, &office, "2026年度专项考核结果通报").await;
        let path = data(&response, "publishAssessment")["downloadPath"].as_str().unwrap().to_string();

        let town = app.login("town_610202004").await;
        let download = app.http().get(app.url(&path)).bearer_auth(&town).send().await.unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(
            download.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let disposition = download.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.starts_with("attachment; filename=\"assessment-2026-publication-"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        let bytes = download.bytes().await.unwrap();
        // A zip archive (the .xlsx container) with the workbook parts.
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let names = String::from_utf8_lossy(&bytes);
        assert!(names.contains("xl/worksheets/sheet1.xml") && names.contains("xl/worksheets/sheet2.xml"));

        // Without a token: 401 in the GraphQL error shape.
        let refused = app.http().get(app.url(&path)).send().await.unwrap();
        assert_eq!(refused.status(), 401);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
        // A principal acting for no unit: 403.
        let auditor = app.login("auditor").await;
        let refused = app.http().get(app.url(&path)).bearer_auth(&auditor).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(error_code(&body), "FORBIDDEN");
        // Unknown and malformed IDs.
        let unknown = app
            .http()
            .get(app.url("/exports/assessment-publications/QXNzZXNzbWVudFB1YmxpY2F0aW9uOjk5OQ"))
            .bearer_auth(&office)
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
        let malformed = app
            .http()
            .get(app.url("/exports/assessment-publications/not-an-id"))
            .bearer_auth(&office)
            .send()
            .await
            .unwrap();
        assert_eq!(malformed.status(), 400);
        let body: Value = malformed.json().await.unwrap();
        assert_eq!(error_code(&body), "INVALID_INPUT");
    }
}

db_test! {
    async fn a_published_report_shows_the_failing_records_only_to_assessment_readers(app) {
        let office = app.login("bureau_poverty_office").await;
        let response = publish(&app, &office, "2026年度通报（记录可见性）").await;
        let id = data(&response, "publishAssessment")["id"].clone();
        let query = r#"query($id: ID!) { assessmentPublication(id: $id) { results { units {
            unitCode indicators { code evidence { failedTotal failed { label } } } } } } }"#;
        let failed_labels = |response: &Value| -> (i64, usize) {
            let units = data(response, "assessmentPublication")["results"]["units"].as_array().unwrap().clone();
            let hrss = units.iter().find(|u| u["unitCode"] == "hrss").unwrap().clone();
            let zero = hrss["indicators"].as_array().unwrap().iter()
                .find(|i| i["code"] == "zero_employment_resolved").unwrap()["evidence"].clone();
            (zero["failedTotal"].as_i64().unwrap(), zero["failed"].as_array().unwrap().len())
        };
        // The office sees the three planted zero-employment households behind hrss's points.
        let as_office = app.graphql_with(Some(&office), query, json!({ "id": id })).await;
        assert_eq!(failed_labels(&as_office), (3, 3));
        // A town reads the 通报 with the counts but not the other units' household codes.
        let town = app.login("town_610202004").await;
        let as_town = app.graphql_with(Some(&town), query, json!({ "id": id })).await;
        assert_eq!(failed_labels(&as_town), (3, 0));
    }
}
