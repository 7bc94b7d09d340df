//! Annexes 1, 3 and 4 over HTTP: benefit linkages and their overdue dues (A1§2), the
//! guarantees of each person with the planted gaps (A3§2–5) behind their data domains, the
//! audit of sensitive reads, the needs list, and consultations with relocated representatives
//! (A4§3.2) — for the right bureaus and towns only.
use serde_json::{json, Value};

use crate::db_test;

const GAP_LIST: &str = "query($gap: ServiceGapKind!, $year: Int) {
    personServices(first: 100, filter: { gap: $gap }, year: $year) {
        totalCount
        nodes { id person { household { code } } gaps { kind clause } } } }";

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

fn nodes(value: &Value) -> &Vec<Value> {
    value["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("a connection: {value}"))
}

fn household_codes(connection: &Value) -> Vec<String> {
    nodes(connection)
        .iter()
        .map(|node| {
            node["person"]["household"]["code"]
                .as_str()
                .unwrap_or_else(|| panic!("a household code: {node}"))
                .to_string()
        })
        .collect()
}

/// Persons with a gap, as the given user sees them.
async fn gap_list(app: &crate::TestApp, token: &str, gap: &str) -> Value {
    let response = app
        .graphql_with(Some(token), GAP_LIST, json!({ "gap": gap, "year": 2026 }))
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["personServices"].clone()
}

async fn site_id(app: &crate::TestApp, code: &str) -> Value {
    let data = app
        .graphql_ok("{ sites(first: 10) { nodes { id code } } }", json!({}))
        .await;
    nodes(&data["sites"])
        .iter()
        .find(|site| site["code"] == code)
        .map(|site| site["id"].clone())
        .unwrap_or_else(|| panic!("site {code}: {data}"))
}

async fn audit_rows(app: &crate::TestApp, action: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = '{action}'"
            ),
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a count")
}

db_test! {
    async fn the_planted_dropout_and_insurance_gaps_are_reported_and_recording_removes_them(app) {
        let poverty = app.login("bureau_poverty").await;
        // A3§2: the first 王家河 junior-middle pupil dropped out.
        let dropouts = gap_list(&app, &poverty, "SCHOOL_DROPOUT").await;
        assert_eq!(dropouts["totalCount"], 1, "{dropouts}");
        let dropout = &nodes(&dropouts)[0];
        assert!(household_codes(&dropouts)[0].starts_with("WJH-"), "{dropouts}");
        assert!(dropout["gaps"].as_array().unwrap().iter().any(|g| g["kind"] == "SCHOOL_DROPOUT" && g["clause"] == "A3§2"), "{dropout}");
        // A3§4: HB-017's head has basic medical pending, the spouse no pension row.
        let medical = gap_list(&app, &poverty, "MISSING_BASIC_MEDICAL").await;
        assert_eq!(household_codes(&medical), vec!["HB-017"], "{medical}");
        let pension = gap_list(&app, &poverty, "MISSING_PENSION").await;
        assert_eq!(household_codes(&pension), vec!["HB-017"], "{pension}");
        assert_ne!(nodes(&pension)[0]["id"], nodes(&medical)[0]["id"]);
        assert_eq!(gap_list(&app, &poverty, "MISSING_SERIOUS_ILLNESS").await["totalCount"], 0);
        // A3§3 and A3§5: WJH-003 has no family doctor; HB-023 neither transferred nor permit.
        let doctors = gap_list(&app, &poverty, "NO_FAMILY_DOCTOR").await;
        assert!(!household_codes(&doctors).is_empty());
        assert!(household_codes(&doctors).iter().all(|code| code == "WJH-003"), "{doctors}");
        let registration = gap_list(&app, &poverty, "NO_REGISTRATION_OR_RESIDENCE_PERMIT").await;
        assert!(household_codes(&registration).iter().all(|code| code == "HB-023"), "{registration}");

        // The coverage of the head shows the pending status as a gap.
        let head = nodes(&medical)[0]["id"].clone();
        let hrss = app.login("bureau_hrss").await;
        let recorded = app.graphql_with(Some(&hrss),
            "mutation($input: RecordInsuranceEnrolmentInput!) { recordInsuranceEnrolment(input: $input) { kind status year version } }",
            json!({ "input": { "personId": head, "kind": "BASIC_MEDICAL", "year": 2026, "status": "ENROLLED",
                               "enrolledOn": "2026-11-30", "premiumFen": 38000, "subsidyFen": 19000 } })).await;
        assert_eq!(recorded["data"]["recordInsuranceEnrolment"]["status"], "ENROLLED", "{recorded}");
        assert_eq!(recorded["data"]["recordInsuranceEnrolment"]["version"], 2, "the pending row is updated in place");
        assert_eq!(gap_list(&app, &poverty, "MISSING_BASIC_MEDICAL").await["totalCount"], 0);

        // The education bureau brings the child back to school: the dropout gap is gone.
        let education = app.login("bureau_education").await;
        let enrolled = app.graphql_with(Some(&education),
            "mutation($input: RecordSchoolEnrolmentInput!) { recordSchoolEnrolment(input: $input) { status schoolCode stage } }",
            json!({ "input": { "personId": dropout["id"], "schoolCode": "SCH-WJH-N", "stage": "JUNIOR_MIDDLE",
                               "grade": 8, "schoolYear": 2026, "enrolledOn": "2026-11-30" } })).await;
        assert_eq!(enrolled["data"]["recordSchoolEnrolment"]["status"], "ENROLLED", "{enrolled}");
        assert_eq!(gap_list(&app, &poverty, "SCHOOL_DROPOUT").await["totalCount"], 0);
    }
}

db_test! {
    async fn an_overdue_benefit_linkage_is_an_alert_until_its_due_is_honoured(app) {
        let agriculture = app.login("bureau_agriculture").await;
        const LINKAGES: &str = "query($overdue: Boolean!) { benefitLinkages(first: 100, filter: { overdueOnly: $overdue }) {
            totalCount nodes { id kind agreementNo overdue honouredStatus household { code }
              businessEntity { code kind industries { code category } }
              dues { id dueOn fulfilledOn status overdue amountFen } } } }";
        let all = app.graphql_with(Some(&agriculture), LINKAGES, json!({ "overdue": false })).await;
        assert_eq!(all["data"]["benefitLinkages"]["totalCount"], 14, "{all}");
        let overdue = app.graphql_with(Some(&agriculture), LINKAGES, json!({ "overdue": true })).await;
        let list = &overdue["data"]["benefitLinkages"];
        assert_eq!(list["totalCount"], 1, "{overdue}");
        let linkage = &nodes(list)[0];
        // A1§2: WJH-008's payment due 2026-10-31 is unpaid.
        assert_eq!(linkage["household"]["code"], "WJH-008");
        assert_eq!(linkage["overdue"], true);
        let due = linkage["dues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|due| due["overdue"] == true)
            .unwrap_or_else(|| panic!("an overdue due: {linkage}"))
            .clone();
        assert_eq!(due["dueOn"], "2026-10-31");
        // Every other linkage is computed not overdue by the same rule.
        assert_eq!(
            nodes(&all["data"]["benefitLinkages"]).iter().filter(|l| l["overdue"] == true).count(),
            1
        );

        // Another bureau may neither read nor settle it.
        let hrss = app.login("bureau_hrss").await;
        let refused = app.graphql_with(Some(&hrss),
            "mutation($id: ID!) { recordBenefitFulfilment(input: { dueId: $id, fulfilledOn: \"2026-11-30\" }) { overdue } }",
            json!({ "id": due["id"] })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");
        let health = app.login("bureau_health").await;
        let hidden = app.graphql_with(Some(&health), LINKAGES, json!({ "overdue": true })).await;
        assert_eq!(error_code(&hidden), "FORBIDDEN_FIELD");

        let settled = app.graphql_with(Some(&agriculture),
            "mutation($id: ID!) { recordBenefitFulfilment(input: { dueId: $id, fulfilledOn: \"2026-11-30\", notes: \"已兑付\" }) {
                overdue honouredStatus nextDueOn dues { status fulfilledOn } } }",
            json!({ "id": due["id"] })).await;
        let settled = &settled["data"]["recordBenefitFulfilment"];
        assert_eq!(settled["overdue"], false, "{settled}");
        // Honoured after its date: the record of honouring stays late.
        assert_eq!(settled["honouredStatus"], "LATE");
        assert!(settled["dues"].as_array().unwrap().iter().any(|d| d["status"] == "LATE"), "{settled}");
        let again = app.graphql_with(Some(&agriculture), LINKAGES, json!({ "overdue": true })).await;
        assert_eq!(again["data"]["benefitLinkages"]["totalCount"], 0, "{again}");
        let twice = app.graphql_with(Some(&agriculture),
            "mutation($id: ID!) { recordBenefitFulfilment(input: { dueId: $id, fulfilledOn: \"2026-11-30\" }) { overdue } }",
            json!({ "id": due["id"] })).await;
        assert_eq!(error_code(&twice), "CONFLICT");

        // A new linkage with a due already past is overdue at once; a land linkage needs its area.
        let entity = &linkage["businessEntity"];
        assert!(!entity["industries"].as_array().unwrap().is_empty(), "{entity}");
        let entities = app.graphql_with(Some(&agriculture), "{ businessEntities(first: 10) { totalCount nodes { id code } } }", json!({})).await;
        assert_eq!(entities["data"]["businessEntities"]["totalCount"], 6, "{entities}");
        let entity_id = nodes(&entities["data"]["businessEntities"])[0]["id"].clone();
        let household = app.graphql_ok("{ households(first: 1, filter: { codePrefix: \"HB-003\" }) { nodes { id } } }", json!({})).await;
        let household_id = household["households"]["nodes"][0]["id"].clone();
        let create = "mutation($input: CreateBenefitLinkageInput!) { createBenefitLinkage(input: $input) { overdue honouredStatus dues { overdue } } }";
        let mut input = json!({ "businessEntityId": entity_id, "householdId": household_id, "industryCode": "fruit",
            "kind": "LAND_TRANSFER", "agreementNo": "LJ-TEST-1", "terms": "每年10月底付流转费", "startsOn": "2026-01-01",
            "dues": [{ "dueOn": "2026-10-31", "amountFen": 120000 }] });
        let linkages_before = app.count_rows("benefit_linkage").await;
        let refused = app.graphql_with(Some(&agriculture), create, json!({ "input": input })).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "input.landAreaTenThousandthMu");
        assert_eq!(app.count_rows("benefit_linkage").await, linkages_before);
        input["landAreaTenThousandthMu"] = json!(25_000);
        let created = app.graphql_with(Some(&agriculture), create, json!({ "input": input })).await;
        assert_eq!(created["data"]["createBenefitLinkage"]["overdue"], true, "{created}");
        assert_eq!(app.count_rows("benefit_linkage").await, linkages_before + 1);
    }
}

db_test! {
    async fn health_and_social_assistance_reads_are_audited_and_hidden_from_other_bureaus(app) {
        const SERVICES: &str = "{ personServices(first: 100) { totalCount nodes { id familyDoctor { inForce contracts { doctorName } } } } }";
        let before = audit_rows(&app, "read.sensitive").await;
        let health = app.login("bureau_health").await;
        let read = app.graphql_with(Some(&health), SERVICES, json!({})).await;
        assert!(read.get("errors").is_none(), "{read}");
        let list = &read["data"]["personServices"];
        assert_eq!(list["totalCount"], 140);
        assert!(nodes(list).iter().any(|n| n["familyDoctor"]["inForce"] == false));
        assert_eq!(audit_rows(&app, "read.sensitive").await, before + 1);
        use sea_orm::ConnectionTrait;
        let row = app.db.query_one(sea_orm::Statement::from_string(app.db.get_database_backend(),
            "SELECT detail, actor_label FROM audit_log WHERE action = 'read.sensitive' ORDER BY id DESC".to_string()))
            .await.expect("query").expect("a row");
        let detail: String = row.try_get("", "detail").expect("detail");
        let actor: String = row.try_get("", "actor_label").expect("actor");
        assert_eq!(actor, "bureau_health");
        assert!(detail.contains("\"health\"") && detail.contains("familyDoctor"), "{detail}");

        // Social assistance (civil affairs): audited too; 特困 HB-002, 低保 HB-008.
        let civil = app.login("bureau_civil_affairs").await;
        let assistance = app.graphql_with(Some(&civil),
            "{ personServices(first: 100) { nodes { person { household { code } } socialAssistance { kind inForce wholeHousehold } } } }", json!({})).await;
        assert!(assistance.get("errors").is_none(), "{assistance}");
        let with_allowance: Vec<String> = nodes(&assistance["data"]["personServices"]).iter()
            .filter(|n| n["socialAssistance"].as_array().unwrap().iter().any(|a| a["kind"] == "SUBSISTENCE_ALLOWANCE" && a["inForce"] == true))
            .map(|n| n["person"]["household"]["code"].as_str().unwrap().to_string())
            .collect();
        assert!(with_allowance.iter().any(|code| code == "HB-008"), "{with_allowance:?}");
        assert_eq!(audit_rows(&app, "read.sensitive").await, before + 2);

        // A bureau without the health domain gets FORBIDDEN_FIELD, the rest stands, nothing audited.
        let agriculture = app.login("bureau_agriculture").await;
        let refused = app.graphql_with(Some(&agriculture), SERVICES, json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN_FIELD");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "PersonServices.familyDoctor");
        assert_eq!(refused["data"]["personServices"]["totalCount"], 140, "{refused}");
        assert!(refused["data"]["personServices"]["nodes"][0]["familyDoctor"].is_null());
        assert_eq!(audit_rows(&app, "read.sensitive").await, before + 2);
        // Nor may it list persons by a health gap.
        let by_gap = app.graphql_with(Some(&agriculture), GAP_LIST, json!({ "gap": "NO_FAMILY_DOCTOR" })).await;
        assert_eq!(error_code(&by_gap), "FORBIDDEN");

        // The health bureau signs WJH-003's members; the gap closes.
        let doctors = gap_list(&app, &health, "NO_FAMILY_DOCTOR").await;
        let first = nodes(&doctors)[0]["id"].clone();
        let contracts_before = app.count_rows("family_doctor_contract").await;
        let education = app.login("bureau_education").await;
        let sign = "mutation($input: RecordFamilyDoctorContractInput!) { recordFamilyDoctorContract(input: $input) { inForce doctorName } }";
        let input = json!({ "input": { "personId": first, "doctorName": "医生乙（虚构）", "clinicName": "王家河社区卫生服务站（虚构）",
            "signedOn": "2026-11-30", "expiresOn": "2027-11-29" } });
        let refused = app.graphql_with(Some(&education), sign, input.clone()).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");
        assert_eq!(app.count_rows("family_doctor_contract").await, contracts_before);
        let signed = app.graphql_with(Some(&health), sign, input).await;
        assert_eq!(signed["data"]["recordFamilyDoctorContract"]["inForce"], true, "{signed}");
        let after = gap_list(&app, &health, "NO_FAMILY_DOCTOR").await;
        assert_eq!(after["totalCount"].as_i64().unwrap(), doctors["totalCount"].as_i64().unwrap() - 1);
    }
}

db_test! {
    async fn a_town_sees_and_changes_only_its_own_sites(app) {
        let huangbao = app.login("town_610202100").await;
        let persons = app.graphql_with(Some(&huangbao),
            "{ personServices(first: 100) { totalCount nodes { person { household { code } } registration { status gap } } } }", json!({})).await;
        assert!(persons.get("errors").is_none(), "{persons}");
        let list = &persons["data"]["personServices"];
        assert_eq!(list["totalCount"], 84, "{list}");
        assert!(household_codes(list).iter().all(|code| code.starts_with("HB-")));
        let needs = app.graphql_with(Some(&huangbao), "{ siteNeeds(first: 100) { totalCount nodes { site { code } status owningBureau { code } } } }", json!({})).await;
        assert_eq!(needs["data"]["siteNeeds"]["totalCount"], 3, "{needs}");
        assert!(nodes(&needs["data"]["siteNeeds"]).iter().all(|n| n["site"]["code"] == "HB-XZQ"));
        let tickets = app.graphql_with(Some(&huangbao), "{ propertyTickets(first: 100) { totalCount } }", json!({})).await;
        assert_eq!(tickets["data"]["propertyTickets"]["totalCount"], 2, "{tickets}");

        // Its own site: a need added and moved forward; another town's site: NOT_FOUND, nothing written.
        let hb = site_id(&app, "HB-XZQ").await;
        let wjh = site_id(&app, "WJH-XFJ").await;
        let create = "mutation($input: CreateSiteNeedInput!) { createSiteNeed(input: $input) { id status version owningBureau { code } } }";
        let need = |site: &Value| json!({ "input": { "siteId": site, "category": "GAS", "title": "天然气管道入户",
            "owningBureauCode": "housing", "budgetFen": 2_000_000 } });
        let before = app.count_rows("site_need").await;
        let foreign = app.graphql_with(Some(&huangbao), create, need(&wjh)).await;
        assert_eq!(error_code(&foreign), "NOT_FOUND");
        assert_eq!(app.count_rows("site_need").await, before);
        let created = app.graphql_with(Some(&huangbao), create, need(&hb)).await;
        let created = &created["data"]["createSiteNeed"];
        assert_eq!(created["status"], "IDENTIFIED", "{created}");
        let update = "mutation($input: UpdateSiteNeedInput!) { updateSiteNeed(input: $input) { status version completedOn } }";
        let backwards = app.graphql_with(Some(&huangbao), update,
            json!({ "input": { "id": created["id"], "version": 1, "status": "COMPLETED" } })).await;
        assert_eq!(error_code(&backwards), "INVALID_INPUT");
        let done = app.graphql_with(Some(&huangbao), update,
            json!({ "input": { "id": created["id"], "version": 1, "status": "COMPLETED", "completedOn": "2026-11-30" } })).await;
        assert_eq!(done["data"]["updateSiteNeed"]["status"], "COMPLETED", "{done}");
        let stale = app.graphql_with(Some(&huangbao), update,
            json!({ "input": { "id": created["id"], "version": 1, "plan": "x" } })).await;
        assert_eq!(error_code(&stale), "CONFLICT");
        let reopened = app.graphql_with(Some(&huangbao), update,
            json!({ "input": { "id": created["id"], "version": 2, "status": "PLANNED" } })).await;
        assert_eq!(error_code(&reopened), "CONFLICT");

        // A ticket at its own site, moved along; the town may not record insurance (read-only domain).
        let ticket = app.graphql_with(Some(&huangbao),
            "mutation($site: ID!) { reportPropertyTicket(input: { siteId: $site, category: WATER, description: \"楼道水管漏水\" }) { id status version } }",
            json!({ "site": hb })).await;
        let ticket = &ticket["data"]["reportPropertyTicket"];
        assert_eq!(ticket["status"], "OPEN", "{ticket}");
        let resolved = app.graphql_with(Some(&huangbao),
            "mutation($id: ID!) { updatePropertyTicket(input: { id: $id, version: 1, status: RESOLVED, resolution: \"已更换\", satisfaction: 5 }) { status resolvedAt } }",
            json!({ "id": ticket["id"] })).await;
        assert_eq!(resolved["data"]["updatePropertyTicket"]["status"], "RESOLVED", "{resolved}");
        let refused = app.graphql_with(Some(&huangbao),
            "mutation($site: ID!) { reportPropertyTicket(input: { siteId: $site, category: GAS, description: \"x\" }) { id } }",
            json!({ "site": wjh })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND");
    }
}

db_test! {
    async fn consultations_show_the_exact_share_of_relocated_representatives_and_their_outcomes(app) {
        let civil = app.login("bureau_civil_affairs").await;
        const MEETINGS: &str = "query($lacking: Boolean!) { consultationMeetings(first: 100, filter: { lackingRepresentativesOnly: $lacking }) {
            totalCount nodes { id topic site { code } involvesResidentLabour lacksRelocatedRepresentatives
              relocatedRepresentativesShare { part whole basisPoints } adoptionStatus implemented } } }";
        let all = app.graphql_with(Some(&civil), MEETINGS, json!({ "lacking": false })).await;
        assert_eq!(all["data"]["consultationMeetings"]["totalCount"], 4, "{all}");
        assert!(nodes(&all["data"]["consultationMeetings"]).iter().any(|m|
            m["relocatedRepresentativesShare"] == json!({ "part": 9, "whole": 25, "basisPoints": 3600 })), "{all}");
        // A4§3.2: the 王家河 labour consultation had no relocated representatives.
        let lacking = app.graphql_with(Some(&civil), MEETINGS, json!({ "lacking": true })).await;
        let lacking = &lacking["data"]["consultationMeetings"];
        assert_eq!(lacking["totalCount"], 1, "{lacking}");
        assert_eq!(nodes(lacking)[0]["site"]["code"], "WJH-XFJ");
        assert_eq!(nodes(lacking)[0]["lacksRelocatedRepresentatives"], true);

        // The 王家河 sub-district records a consultation at its own site: 3 of 7 is 42.86 %.
        let wangjiahe = app.login("town_610202004").await;
        let wjh = site_id(&app, "WJH-XFJ").await;
        let hb = site_id(&app, "HB-XZQ").await;
        let record = "mutation($input: RecordConsultationMeetingInput!) { recordConsultationMeeting(input: $input) {
            id version relocatedRepresentativesShare { part whole basisPoints } lacksRelocatedRepresentatives } }";
        let meeting = |site: &Value, attendees: i32, representatives: i32| json!({ "input": {
            "siteId": site, "kind": "RESIDENTS_MEETING", "topic": "楼道清洁投工投劳", "heldOn": "2026-11-25",
            "involvesResidentLabour": true, "attendeesCount": attendees, "relocatedRepresentativesCount": representatives } });
        let before = app.count_rows("consultation_meeting").await;
        let too_many = app.graphql_with(Some(&wangjiahe), record, meeting(&wjh, 7, 8)).await;
        assert_eq!(error_code(&too_many), "INVALID_INPUT");
        let foreign = app.graphql_with(Some(&wangjiahe), record, meeting(&hb, 7, 3)).await;
        assert_eq!(error_code(&foreign), "NOT_FOUND");
        let agriculture = app.login("bureau_agriculture").await;
        let forbidden = app.graphql_with(Some(&agriculture), record, meeting(&wjh, 7, 3)).await;
        assert_eq!(error_code(&forbidden), "FORBIDDEN");
        assert_eq!(app.count_rows("consultation_meeting").await, before);
        let recorded = app.graphql_with(Some(&wangjiahe), record, meeting(&wjh, 7, 3)).await;
        let recorded = &recorded["data"]["recordConsultationMeeting"];
        assert_eq!(recorded["relocatedRepresentativesShare"], json!({ "part": 3, "whole": 7, "basisPoints": 4286 }), "{recorded}");
        assert_eq!(recorded["lacksRelocatedRepresentatives"], false);

        // Its outcome is adopted, implemented and fed back.
        let outcome = app.graphql_with(Some(&wangjiahe),
            "mutation($input: RecordConsultationOutcomeInput!) { recordConsultationOutcome(input: $input) { adoptionStatus implemented feedback feedbackOn version } }",
            json!({ "input": { "id": recorded["id"], "version": 1, "adoptionStatus": "ADOPTED", "implemented": true,
                               "feedback": "已在居民会议上反馈", "feedbackOn": "2026-11-30" } })).await;
        let outcome = &outcome["data"]["recordConsultationOutcome"];
        assert_eq!(outcome["adoptionStatus"], "ADOPTED", "{outcome}");
        assert_eq!(outcome["implemented"], true);
        assert_eq!(outcome["version"], 2);

        // Disclosures and evaluations: the town sees its own; satisfaction computed exactly.
        let seen = app.graphql_with(Some(&wangjiahe),
            "{ publicDisclosures(first: 100) { totalCount nodes { kind site { code } } }
               democraticEvaluations(first: 100) { totalCount nodes { subject satisfactionShare { part whole basisPoints } } } }", json!({})).await;
        assert_eq!(seen["data"]["publicDisclosures"]["totalCount"], 4, "{seen}");
        assert!(nodes(&seen["data"]["publicDisclosures"]).iter().all(|d| d["site"]["code"] == "WJH-XFJ"));
        assert_eq!(seen["data"]["democraticEvaluations"]["totalCount"], 2);
        assert!(nodes(&seen["data"]["democraticEvaluations"]).iter().any(|e|
            e["satisfactionShare"] == json!({ "part": 26, "whole": 27, "basisPoints": 9630 })), "{seen}");
        let published = app.graphql_with(Some(&wangjiahe),
            "mutation($site: ID!) { publishDisclosure(input: { siteId: $site, kind: UTILITY_COLLECTION, title: \"11月水费收缴公示\", content: \"详见公开栏\", publishedOn: \"2026-11-30\" }) { kind version } }",
            json!({ "site": wjh })).await;
        assert_eq!(published["data"]["publishDisclosure"]["kind"], "UTILITY_COLLECTION", "{published}");
    }
}
