//! Employment and training over GraphQL (annex 2): zero-employment households and one-to-one
//! job pushes (A2§1), employment spells, the 10-working-day filing rule counted in the
//! official calendar (A2§3.1), the allowance and the post-training employment rate (A2§3.2),
//! validation and access.
use serde_json::{json, Value};

use crate::{db_test, TestApp};

const ZERO_EMPLOYMENT: &str = "{ zeroEmploymentHouseholds(first: 100) { totalCount
    nodes { household { id code isZeroEmployment } pushCount
            labourMembers { id name labourCapacity employmentStatus }
            pushes { outcome pushedOn jobPosting { title } person { name } } } } }";

const CLASS_FIELDS: &str = "id code version filedOn startsOn filedOnTime latestFilingDate
    workingDaysFiledAhead subsidyEligible subsidyReason dailyAllowance allowanceDue
    enrolledCount employedAfterTrainingCount postTrainingEmploymentRate
    enrolments { id version attendedDays allowanceDue person { name } }";

/// Access tokens by user, signed in once per test (sign-ins are rate-limited per name).
static TOKENS: std::sync::Mutex<Vec<(String, String, String)>> = std::sync::Mutex::new(Vec::new());

async fn token_of(app: &TestApp, username: &str) -> String {
    let known = TOKENS
        .lock()
        .unwrap()
        .iter()
        .find(|(base, user, _)| *base == app.base_url && user == username)
        .map(|(_, _, token)| token.clone());
    if let Some(token) = known {
        return token;
    }
    let token = app.login(username).await;
    TOKENS
        .lock()
        .unwrap()
        .push((app.base_url.clone(), username.to_string(), token.clone()));
    token
}

async fn as_user(app: &TestApp, username: &str, query: &str, variables: Value) -> Value {
    let token = token_of(app, username).await;
    app.graphql_with(Some(&token), query, variables).await
}

async fn as_user_ok(app: &TestApp, username: &str, query: &str, variables: Value) -> Value {
    let response = as_user(app, username, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "unexpected errors: {response:#}"
    );
    response["data"].clone()
}

fn codes_of(list: &Value) -> Vec<String> {
    let mut codes: Vec<String> = list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["household"]["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

fn error_of(response: &Value) -> (String, String) {
    let error = &response["errors"][0];
    (
        error["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        error["extensions"]["field"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// The first open posting of the district job database.
async fn open_district_posting(app: &TestApp, username: &str) -> Value {
    let data = as_user_ok(
        app,
        username,
        "{ jobPostings(first: 100, filter: { level: DISTRICT, status: [OPEN] }) { nodes { id title employmentType employerName } } }",
        json!({}),
    )
    .await;
    data["jobPostings"]["nodes"][0].clone()
}

async fn first_institution(app: &TestApp) -> Value {
    as_user_ok(
        app,
        "bureau_hrss",
        "{ trainingInstitutions { id } }",
        json!({}),
    )
    .await["trainingInstitutions"][0]["id"]
        .clone()
}

async fn create_class(app: &TestApp, input: Value) -> Value {
    let query = format!(
        "mutation($input: CreateTrainingClassInput!) {{ createTrainingClass(input: $input) {{ {CLASS_FIELDS} }} }}"
    );
    as_user_ok(app, "bureau_hrss", &query, json!({ "input": input })).await["createTrainingClass"]
        .clone()
}

async fn class_by_id(app: &TestApp, id: &Value) -> Value {
    let query = format!("query($id: ID!) {{ trainingClass(id: $id) {{ {CLASS_FIELDS} }} }}");
    as_user_ok(app, "bureau_hrss", &query, json!({ "id": id })).await["trainingClass"].clone()
}

fn class_input(
    institution: &Value,
    code: &str,
    filed_on: &str,
    starts_on: &str,
    ends_on: &str,
) -> Value {
    json!({
        "institutionId": institution,
        "code": code,
        "name": "测试培训班",
        "speciality": "家政服务",
        "kind": "SKILLS",
        "allowanceCategory": "FULL_DAY",
        "classHours": 40,
        "courses": "理论；实操",
        "capacity": 30,
        "filedOn": filed_on,
        "startsOn": starts_on,
        "endsOn": ends_on,
    })
}

db_test! {
    async fn the_planted_zero_employment_households_are_listed_with_their_pushes(app) {
        let data = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        let list = &data["zeroEmploymentHouseholds"];
        // A2§1: the demo plants HB-004, HB-012 and WJH-005; HB-003 was resolved by a push.
        assert_eq!(codes_of(list), ["HB-004", "HB-012", "WJH-005"]);
        assert_eq!(list["totalCount"], 3);
        for node in list["nodes"].as_array().unwrap() {
            // The SQL list agrees with the domain rule the household computes.
            assert_eq!(node["household"]["isZeroEmployment"], true, "{node}");
            let members = node["labourMembers"].as_array().unwrap();
            assert!(!members.is_empty());
            for member in members {
                assert_ne!(member["labourCapacity"], "NONE");
                assert_ne!(member["employmentStatus"], "EMPLOYED");
            }
            // Two pushes per labour member: one declined, one pending.
            assert_eq!(node["pushCount"], json!(members.len() * 2));
            let outcomes: Vec<&str> = node["pushes"].as_array().unwrap().iter()
                .map(|push| push["outcome"].as_str().unwrap()).collect();
            assert!(outcomes.contains(&"DECLINED") && outcomes.contains(&"PENDING"), "{outcomes:?}");
        }
        let overview = app.graphql_ok("{ districtOverview { zeroEmploymentHouseholdCount } }", json!({})).await;
        assert_eq!(overview["districtOverview"]["zeroEmploymentHouseholdCount"], 3);
    }
}

db_test! {
    async fn a_push_then_a_hire_resolves_the_household_and_ending_the_job_brings_it_back(app) {
        let data = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        let node = data["zeroEmploymentHouseholds"]["nodes"].as_array().unwrap().iter()
            .find(|node| node["household"]["code"] == "HB-004").unwrap().clone();
        let household = node["household"]["id"].clone();
        let person = node["labourMembers"][0]["id"].clone();
        let posting = open_district_posting(&app, "bureau_hrss").await;
        let pushes_before = app.count_rows("job_push").await;

        let pushed = as_user_ok(&app, "bureau_hrss",
            "mutation($input: PushJobInput!) { pushJob(input: $input) { id version outcome method person { id } jobPosting { id } } }",
            json!({ "input": { "householdId": household, "personId": person, "jobPostingId": posting["id"],
                               "method": "FACE_TO_FACE", "pushedOn": "2026-11-30", "notes": "一对一推送" } })).await;
        let push = &pushed["pushJob"];
        assert_eq!(push["outcome"], "PENDING");
        assert_eq!(push["person"]["id"], person);
        assert_eq!(app.count_rows("job_push").await, pushes_before + 1);
        // A push alone does not resolve the household (A2§1).
        let still = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        assert!(codes_of(&still["zeroEmploymentHouseholds"]).contains(&"HB-004".to_string()));

        let hired = as_user_ok(&app, "bureau_hrss",
            "mutation($input: RecordJobPushOutcomeInput!) { recordJobPushOutcome(input: $input) { id outcome outcomeOn version } }",
            json!({ "input": { "id": push["id"], "version": push["version"], "outcome": "HIRED",
                               "outcomeOn": "2026-12-01", "monthlyIncome": "2600" } })).await;
        assert_eq!(hired["recordJobPushOutcome"]["outcome"], "HIRED");

        let after = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        assert_eq!(codes_of(&after["zeroEmploymentHouseholds"]), ["HB-012", "WJH-005"]);
        assert_eq!(after["zeroEmploymentHouseholds"]["totalCount"], 2);

        // The hire opened a spell linked to the push, and the person is employed.
        let spells = as_user_ok(&app, "bureau_hrss",
            "query($id: ID!) { employmentSpells(personId: $id) { id version isCurrent jobPushId employmentType employerName monthlyIncome startsOn } node(id: $id) { ... on Person { employmentStatus } } }",
            json!({ "id": person })).await;
        let spell = &spells["employmentSpells"][0];
        assert_eq!(spell["isCurrent"], true);
        assert_eq!(spell["jobPushId"], push["id"]);
        assert_eq!(spell["employmentType"], posting["employmentType"]);
        assert_eq!(spell["employerName"], posting["employerName"]);
        assert_eq!(spell["monthlyIncome"], "2600.00");
        assert_eq!(spell["startsOn"], "2026-12-01");
        assert_eq!(spells["node"]["employmentStatus"], "EMPLOYED");

        // A final outcome stays.
        let again = as_user(&app, "bureau_hrss",
            "mutation($input: RecordJobPushOutcomeInput!) { recordJobPushOutcome(input: $input) { id } }",
            json!({ "input": { "id": push["id"], "version": hired["recordJobPushOutcome"]["version"], "outcome": "DECLINED" } })).await;
        assert_eq!(error_of(&again), ("INVALID_INPUT".into(), "input.outcome".into()));

        // Ending the only job makes the person unemployed and the household zero-employment again.
        let ended = as_user_ok(&app, "bureau_hrss",
            "mutation($input: EndEmploymentSpellInput!) { endEmploymentSpell(input: $input) { isCurrent endsOn } }",
            json!({ "input": { "id": spell["id"], "version": spell["version"], "endsOn": "2026-12-01" } })).await;
        assert_eq!(ended["endEmploymentSpell"]["isCurrent"], false);
        let back = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        assert_eq!(codes_of(&back["zeroEmploymentHouseholds"]), ["HB-004", "HB-012", "WJH-005"]);

        // A spell recorded by hand resolves it as well.
        let added = as_user_ok(&app, "bureau_hrss",
            "mutation($input: AddEmploymentSpellInput!) { addEmploymentSpell(input: $input) { isCurrent employmentType } }",
            json!({ "input": { "personId": person, "employmentType": "PUBLIC_WELFARE_POST",
                               "employerName": "黄堡镇人民政府", "startsOn": "2026-12-01", "monthlyIncome": "1000.00" } })).await;
        assert_eq!(added["addEmploymentSpell"]["employmentType"], "PUBLIC_WELFARE_POST");
        let resolved = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        assert_eq!(codes_of(&resolved["zeroEmploymentHouseholds"]), ["HB-012", "WJH-005"]);
    }
}

db_test! {
    async fn a_town_official_sees_and_pushes_to_its_own_towns_households_only(app) {
        let town = "town_610202100";
        let data = as_user_ok(&app, town, ZERO_EMPLOYMENT, json!({})).await;
        assert_eq!(codes_of(&data["zeroEmploymentHouseholds"]), ["HB-004", "HB-012"]);
        assert_eq!(data["zeroEmploymentHouseholds"]["totalCount"], 2);

        // The district job database and its own town's, not the other town's.
        let postings = as_user_ok(&app, town,
            "{ jobPostings(first: 100) { totalCount nodes { level town { divisionCode } } } }", json!({})).await;
        for posting in postings["jobPostings"]["nodes"].as_array().unwrap() {
            assert!(posting["level"] == "DISTRICT" || posting["town"]["divisionCode"] == "610202100", "{posting}");
        }
        assert_eq!(postings["jobPostings"]["totalCount"], 5);

        // WJH-005 belongs to 王家河: as if it did not exist.
        let all = as_user_ok(&app, "bureau_hrss", ZERO_EMPLOYMENT, json!({})).await;
        let other = all["zeroEmploymentHouseholds"]["nodes"].as_array().unwrap().iter()
            .find(|node| node["household"]["code"] == "WJH-005").unwrap().clone();
        let posting = open_district_posting(&app, town).await;
        let pushes = app.count_rows("job_push").await;
        let refused = as_user(&app, town,
            "mutation($input: PushJobInput!) { pushJob(input: $input) { id } }",
            json!({ "input": { "householdId": other["household"]["id"], "jobPostingId": posting["id"], "method": "PHONE" } })).await;
        assert_eq!(error_of(&refused).0, "NOT_FOUND");
        let spells = as_user(&app, town, "query($id: ID!) { employmentSpells(personId: $id) { id } }",
            json!({ "id": other["labourMembers"][0]["id"] })).await;
        assert_eq!(error_of(&spells).0, "NOT_FOUND");
        assert_eq!(app.count_rows("job_push").await, pushes);

        // Its own household: allowed.
        let own = data["zeroEmploymentHouseholds"]["nodes"][0].clone();
        as_user_ok(&app, town,
            "mutation($input: PushJobInput!) { pushJob(input: $input) { id } }",
            json!({ "input": { "householdId": own["household"]["id"], "personId": own["labourMembers"][0]["id"],
                               "jobPostingId": posting["id"], "method": "VISIT" } })).await;
        assert_eq!(app.count_rows("job_push").await, pushes + 1);

        // A town keeps its own job database, not the district's.
        let district = as_user(&app, town,
            "mutation { createJobPosting(input: { level: DISTRICT, employerName: \"某公司\", title: \"保洁员\", employmentType: NEARBY, vacancies: 2 }) { id } }",
            json!({})).await;
        assert_eq!(error_of(&district).0, "FORBIDDEN");
    }
}

db_test! {
    async fn ten_working_days_are_counted_around_national_day_with_its_make_up_saturday(app) {
        // A2§3.1, official 2026 calendar: 25–27 Sep and 1–7 Oct off, Sat 10 Oct worked.
        // Working days before Monday 12 Oct: 10, 9, 8 Oct, 30, 29, 28 Sep, 24, 23, 22, 21 Sep.
        let institution = first_institution(&app).await;
        let nine = create_class(&app, class_input(&institution, "TEST-NINE", "2026-09-22", "2026-10-12", "2026-10-16")).await;
        assert_eq!(nine["workingDaysFiledAhead"], 9);
        assert_eq!(nine["filedOnTime"], false);
        assert_eq!(nine["subsidyEligible"], false);
        assert_eq!(nine["latestFilingDate"], "2026-09-21");
        assert!(nine["subsidyReason"].as_str().unwrap().contains("only 9 working days"), "{nine}");
        assert_eq!(nine["allowanceDue"], "0.00");
        let ten = create_class(&app, class_input(&institution, "TEST-TEN", "2026-09-21", "2026-10-12", "2026-10-16")).await;
        assert_eq!(ten["workingDaysFiledAhead"], 10);
        assert_eq!(ten["filedOnTime"], true);
        assert_eq!(ten["subsidyEligible"], true);

        // The demo's classes: -03 filed 5 working days ahead, -04 exactly 10.
        let demo = as_user_ok(&app, "bureau_hrss",
            "{ trainingClasses(first: 100, filter: { year: 2026 }) { nodes { code subsidyEligible workingDaysFiledAhead } } }", json!({})).await;
        let find = |code: &str| demo["trainingClasses"]["nodes"].as_array().unwrap().iter()
            .find(|node| node["code"] == code).unwrap().clone();
        assert_eq!(find("TC-2026-03")["subsidyEligible"], false);
        assert_eq!(find("TC-2026-03")["workingDaysFiledAhead"], 5);
        assert_eq!(find("TC-2026-04")["subsidyEligible"], true);
        assert_eq!(find("TC-2026-04")["workingDaysFiledAhead"], 10);

        // The make-up Saturday counts: without it the same filing has 9 working days.
        let calendar = as_user_ok(&app, "bureau_education", "{ workingDayCalendar(year: 2026) { date kind name } }", json!({})).await;
        let days = calendar["workingDayCalendar"].as_array().unwrap();
        assert!(days.iter().any(|day| day["date"] == "2026-10-10" && day["kind"] == "MAKEUP_WORKDAY"));
        assert!(days.iter().any(|day| day["date"] == "2026-10-01" && day["kind"] == "HOLIDAY"));
        let removed = as_user_ok(&app, "bureau_hrss",
            "mutation { removeCalendarDay(date: \"2026-10-10\") { date kind } }", json!({})).await;
        assert_eq!(removed["removeCalendarDay"]["kind"], "MAKEUP_WORKDAY");
        let recounted = class_by_id(&app, &ten["id"]).await;
        assert_eq!(recounted["workingDaysFiledAhead"], 9);
        assert_eq!(recounted["subsidyEligible"], false);
        // ... and the deadline moves back to the make-up Sunday of 20 September.
        assert_eq!(recounted["latestFilingDate"], "2026-09-20");

        as_user_ok(&app, "bureau_hrss",
            "mutation { addCalendarDay(input: { date: \"2026-10-10\", kind: MAKEUP_WORKDAY, name: \"国庆节调休上班\" }) { date } }",
            json!({})).await;
        assert_eq!(class_by_id(&app, &ten["id"]).await["subsidyEligible"], true);
        let twice = as_user(&app, "bureau_hrss",
            "mutation { addCalendarDay(input: { date: \"2026-10-10\", kind: MAKEUP_WORKDAY, name: \"重复\" }) { date } }",
            json!({})).await;
        assert_eq!(error_of(&twice).0, "CONFLICT");
    }
}

db_test! {
    async fn the_allowance_and_the_employment_rate_of_a_class_are_exact(app) {
        let institution = first_institution(&app).await;
        // Monday 16 – Friday 20 November 2026, filed a month ahead; full-day: 50 yuan a day.
        let class = create_class(&app, class_input(&institution, "TEST-PAY", "2026-10-19", "2026-11-16", "2026-11-20")).await;
        assert_eq!(class["subsidyEligible"], true);
        assert_eq!(class["dailyAllowance"], "50.00");
        assert_eq!(class["allowanceDue"], "0.00");
        assert_eq!(class["postTrainingEmploymentRate"], Value::Null);
        let persons = as_user_ok(&app, "bureau_hrss",
            "{ persons(first: 3, filter: { labourCapacity: [FULL] }) { nodes { id } } }", json!({})).await;
        let mut latest = class.clone();
        for person in persons["persons"]["nodes"].as_array().unwrap() {
            latest = as_user_ok(&app, "bureau_hrss",
                &format!("mutation($input: EnrolInTrainingClassInput!) {{ enrolInTrainingClass(input: $input) {{ {CLASS_FIELDS} }} }}"),
                json!({ "input": { "classId": class["id"], "personId": person["id"], "enrolledOn": "2026-11-10" } })).await["enrolInTrainingClass"].clone();
        }
        assert_eq!(latest["enrolledCount"], 3);
        let update = format!("mutation($input: UpdateTrainingEnrolmentInput!) {{ updateTrainingEnrolment(input: $input) {{ {CLASS_FIELDS} }} }}");
        for (index, (days, employed)) in [(5, true), (5, true), (4, false)].into_iter().enumerate() {
            let enrolment = latest["enrolments"][index].clone();
            latest = as_user_ok(&app, "bureau_hrss", &update,
                json!({ "input": { "id": enrolment["id"], "version": enrolment["version"], "attendedDays": days,
                                   "completed": days == 5, "employedAfterTraining": employed } })).await["updateTrainingEnrolment"].clone();
        }
        // A2§3.1: (5 + 5 + 4) days × 50 yuan.
        assert_eq!(latest["allowanceDue"], "700.00");
        assert_eq!(latest["enrolments"][0]["allowanceDue"], "250.00");
        assert_eq!(latest["enrolments"][2]["allowanceDue"], "200.00");
        // A2§3.2: 2 of 3 employed after training.
        assert_eq!(latest["employedAfterTrainingCount"], 2);
        assert_eq!(latest["postTrainingEmploymentRate"], "66.67");

        // The class runs 5 days: 6 attended days are refused, nothing changes.
        let enrolment = latest["enrolments"][2].clone();
        let refused = as_user(&app, "bureau_hrss", &update,
            json!({ "input": { "id": enrolment["id"], "version": enrolment["version"], "attendedDays": 6 } })).await;
        assert_eq!(error_of(&refused), ("INVALID_INPUT".into(), "input.attendedDays".into()));
        assert_eq!(class_by_id(&app, &class["id"]).await["allowanceDue"], "700.00");

        // A part-day class filed in time: 20 yuan a day.
        let mut input = class_input(&institution, "TEST-PART", "2026-10-19", "2026-11-16", "2026-11-20");
        input["allowanceCategory"] = json!("PART_DAY");
        assert_eq!(create_class(&app, input).await["dailyAllowance"], "20.00");
    }
}

db_test! {
    async fn bad_input_is_refused_naming_the_field_and_the_database_is_unchanged(app) {
        let tables = ["job_posting", "job_push", "employment_spell", "training_class", "working_day_calendar"];
        let mut before = Vec::new();
        for table in tables {
            before.push(app.count_rows(table).await);
        }
        let posting = "mutation($input: CreateJobPostingInput!) { createJobPosting(input: $input) { id } }";
        let base = json!({ "level": "DISTRICT", "employerName": "某公司（虚构）", "title": "分拣员",
                           "employmentType": "NEARBY", "vacancies": 3 });
        let cases = [
            (json!({ "vacancies": 0 }), "input.vacancies"),
            (json!({ "monthlyWageMin": "两千" }), "input.monthlyWageMin"),
            (json!({ "monthlyWageMin": "3000", "monthlyWageMax": "2000" }), "input.monthlyWageMin"),
            (json!({ "monthlyWageMax": "-1" }), "input.monthlyWageMax"),
            (json!({ "title": "  " }), "input.title"),
            (json!({ "level": "TOWN" }), "input.townId"),
            (json!({ "publishedOn": "2026-11-01", "closesOn": "2026-10-01" }), "input.closesOn"),
        ];
        for (change, field) in cases {
            let mut input = base.clone();
            for (key, value) in change.as_object().unwrap() {
                input[key] = value.clone();
            }
            let response = as_user(&app, "bureau_hrss", posting, json!({ "input": input })).await;
            assert_eq!(error_of(&response), ("INVALID_INPUT".into(), field.into()), "{response}");
        }

        let institution = first_institution(&app).await;
        let class = "mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id } }";
        let backwards = class_input(&institution, "TEST-BAD", "2026-10-19", "2026-11-20", "2026-11-16");
        let response = as_user(&app, "bureau_hrss", class, json!({ "input": backwards })).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.endsOn".into()));
        let future_filing = class_input(&institution, "TEST-BAD", "2099-01-01", "2099-02-02", "2099-02-06");
        let response = as_user(&app, "bureau_hrss", class, json!({ "input": future_filing })).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.filedOn".into()));
        let mut bad_code = class_input(&institution, "测试", "2026-10-19", "2026-11-16", "2026-11-20");
        bad_code["classHours"] = json!(40);
        let response = as_user(&app, "bureau_hrss", class, json!({ "input": bad_code })).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.code".into()));

        // A make-up working day replaces a weekend day: Friday 9 October is refused.
        let response = as_user(&app, "bureau_hrss",
            "mutation { addCalendarDay(input: { date: \"2026-10-09\", kind: MAKEUP_WORKDAY, name: \"调休\" }) { date } }",
            json!({})).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.date".into()));

        // A spell cannot start in the future; a job is not pushed to a member without labour.
        let data = as_user_ok(&app, "bureau_hrss",
            "{ households(first: 100) { nodes { id code members { id labourCapacity } } } }", json!({})).await;
        let households = data["households"]["nodes"].as_array().unwrap();
        let (household, no_labour) = households.iter().find_map(|household| {
            household["members"].as_array().unwrap().iter()
                .find(|member| member["labourCapacity"] == "NONE")
                .map(|member| (household["id"].clone(), member["id"].clone()))
        }).unwrap();
        let response = as_user(&app, "bureau_hrss",
            "mutation($input: AddEmploymentSpellInput!) { addEmploymentSpell(input: $input) { id } }",
            json!({ "input": { "personId": no_labour, "employmentType": "NEARBY", "employerName": "某公司", "startsOn": "2099-01-01" } })).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.startsOn".into()));
        let posting = open_district_posting(&app, "bureau_hrss").await;
        let response = as_user(&app, "bureau_hrss",
            "mutation($input: PushJobInput!) { pushJob(input: $input) { id } }",
            json!({ "input": { "householdId": household, "personId": no_labour, "jobPostingId": posting["id"], "method": "PHONE" } })).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.personId".into()));
        let response = as_user(&app, "bureau_hrss",
            "mutation($input: PushJobInput!) { pushJob(input: $input) { id } }",
            json!({ "input": { "householdId": posting["id"], "jobPostingId": posting["id"], "method": "PHONE" } })).await;
        assert_eq!(error_of(&response), ("INVALID_INPUT".into(), "input.householdId".into()));

        for (table, count) in tables.iter().zip(before) {
            assert_eq!(app.count_rows(table).await, count, "{table}");
        }
    }
}

db_test! {
    async fn a_bureau_without_the_employment_and_training_domains_is_refused(app) {
        // 区教科体局 holds neither employment nor training.
        let response = as_user(&app, "bureau_education",
            "{ jobPostings(first: 10) { totalCount } }", json!({})).await;
        assert_eq!(error_of(&response), ("FORBIDDEN_FIELD".into(), "Query.jobPostings".into()));
        let response = as_user(&app, "bureau_education",
            "{ zeroEmploymentHouseholds(first: 10) { totalCount } }", json!({})).await;
        assert_eq!(error_of(&response), ("FORBIDDEN_FIELD".into(), "Query.zeroEmploymentHouseholds".into()));
        let response = as_user(&app, "bureau_education",
            "{ trainingClasses(first: 10) { totalCount } }", json!({})).await;
        assert_eq!(error_of(&response), ("FORBIDDEN_FIELD".into(), "Query.trainingClasses".into()));
        let rows = app.count_rows("job_posting").await;
        let response = as_user(&app, "bureau_education",
            "mutation { createJobPosting(input: { level: DISTRICT, employerName: \"某公司\", title: \"保洁员\", employmentType: NEARBY, vacancies: 2 }) { id } }",
            json!({})).await;
        assert_eq!(error_of(&response).0, "FORBIDDEN");
        assert_eq!(app.count_rows("job_posting").await, rows);
        let response = as_user(&app, "bureau_education",
            "mutation { addCalendarDay(input: { date: \"2027-01-02\", kind: HOLIDAY, name: \"元旦\" }) { date } }",
            json!({})).await;
        assert_eq!(error_of(&response).0, "FORBIDDEN");

        // The poverty-alleviation bureau writes employment but not training.
        let institution = first_institution(&app).await;
        let response = as_user(&app, "bureau_poverty",
            "mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id } }",
            json!({ "input": class_input(&institution, "TEST-DENY", "2026-10-19", "2026-11-16", "2026-11-20") })).await;
        assert_eq!(error_of(&response).0, "FORBIDDEN");
        let response = as_user(&app, "bureau_poverty",
            "{ trainingInstitutions { id } }", json!({})).await;
        assert_eq!(error_of(&response), ("FORBIDDEN_FIELD".into(), "Query.trainingInstitutions".into()));
        as_user_ok(&app, "bureau_poverty", "{ jobPostings(first: 10) { totalCount } }", json!({})).await;
    }
}
