//! Integration tests of the governance_land_party API (issue 5): land linkage (annex 5) and
//! party building (annex 6) over HTTP, against the demo data's planted cases.
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::db_test;

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

fn error_message(response: &Value) -> &str {
    response["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

const QUOTAS: &str = "{ landQuotas(first: 10) { nodes { id code origin areaMu remainingAreaMu transferable ledger { kind areaMu } } } }";

const TRANSFER: &str =
    "mutation($input: RegisterQuotaTransferInput!) { registerQuotaTransfer(input: $input) {
    id scope pricePerMu areaMu amount platformReference status } }";

async fn quota_id(app: &crate::TestApp, token: &str, code: &str) -> Value {
    let quotas = app.graphql_with(Some(token), QUOTAS, json!({})).await;
    quotas["data"]["landQuotas"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{quotas}"))
        .iter()
        .find(|quota| quota["code"] == code)
        .unwrap_or_else(|| panic!("no quota {code}: {quotas}"))["id"]
        .clone()
}

fn transfer(quota: &Value, scope: &str, price: &str, reference: &str) -> Value {
    json!({ "input": {
        "quotaId": quota, "buyerGovernment": "测试市某区人民政府", "scope": scope,
        "pricePerMu": price, "areaMu": "0.0100", "platformReference": reference,
        "contractedOn": "2026-11-20"
    } })
}

db_test! {
    async fn quota_prices_of_180000_and_220000_are_accepted_and_one_fen_beyond_refused_with_the_bounds(app) {
        // A5§10: across cities 200,000 yuan per mu ±10 %, both bounds included.
        let land = app.login("bureau_natural_resources").await;
        let quota = quota_id(&app, &land, "LQ-2026-001").await;
        let before = (app.count_rows("quota_transfer").await, app.count_rows("quota_use_ledger").await);
        for price in ["179999.99", "220000.01"] {
            let refused = app.graphql_with(Some(&land), TRANSFER, transfer(&quota, "ACROSS_CITIES", price, &format!("SX-T-{price}"))).await;
            assert_eq!(error_code(&refused), "INVALID_INPUT", "{price}: {refused}");
            assert_eq!(refused["errors"][0]["extensions"]["field"], "input.pricePerMu");
            let message = error_message(&refused);
            assert!(message.contains("180000.00") && message.contains("220000.00") && message.contains("A5§10"), "{message}");
        }
        // Within the city only the base price: 180,000 is refused there.
        let refused = app.graphql_with(Some(&land), TRANSFER, transfer(&quota, "WITHIN_CITY", "180000", "SX-T-WC")).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert!(error_message(&refused).contains("200000.00"), "{refused}");
        assert_eq!(
            (app.count_rows("quota_transfer").await, app.count_rows("quota_use_ledger").await),
            before,
            "refused transfers leave nothing behind"
        );

        for (price, amount) in [("180000", "1800.00"), ("220000", "2200.00")] {
            let accepted = app.graphql_with(Some(&land), TRANSFER, transfer(&quota, "ACROSS_CITIES", price, &format!("SX-T-OK-{price}"))).await;
            let stored = &accepted["data"]["registerQuotaTransfer"];
            assert_eq!(stored["pricePerMu"], format!("{price}.00"), "{accepted}");
            assert_eq!(stored["amount"], amount, "area × price to the fen");
            assert_eq!(stored["status"], "registered");
        }
        // Each transfer went into the ledger (A5§9).
        assert_eq!(app.count_rows("quota_use_ledger").await, before.1 + 2);
        let quotas = app.graphql_with(Some(&land), QUOTAS, json!({})).await;
        let produced = quotas["data"]["landQuotas"]["nodes"].as_array().unwrap().iter()
            .find(|quota| quota["code"] == "LQ-2026-001").unwrap().clone();
        let out = produced["ledger"].as_array().unwrap().iter().filter(|entry| entry["kind"] == "TRANSFERRED_OUT").count();
        assert_eq!(out, 5, "three planted transfers and two new ones: {produced}");

        // The same platform reference twice is a conflict.
        let twice = app.graphql_with(Some(&land), TRANSFER, transfer(&quota, "ACROSS_CITIES", "200000", "SX-T-OK-180000")).await;
        assert_eq!(error_code(&twice), "CONFLICT", "{twice}");
        // Only land writers register transfers.
        let finance = app.login("bureau_finance").await;
        let refused = app.graphql_with(Some(&finance), TRANSFER, transfer(&quota, "WITHIN_CITY", "200000", "SX-T-FIN")).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    }
}

db_test! {
    async fn a_received_quota_is_never_transferred_again_and_no_transfer_exceeds_what_is_left(app) {
        let land = app.login("bureau_natural_resources").await;
        let quotas = app.graphql_with(Some(&land), QUOTAS, json!({})).await;
        let nodes = quotas["data"]["landQuotas"]["nodes"].as_array().unwrap_or_else(|| panic!("{quotas}"));
        let received = nodes.iter().find(|quota| quota["code"] == "LQ-R-2026-001").unwrap();
        assert_eq!(received["origin"], "RECEIVED_BY_TRANSFER");
        assert_eq!(received["transferable"], false);
        let produced = nodes.iter().find(|quota| quota["code"] == "LQ-2026-001").unwrap();
        assert_eq!(produced["transferable"], true);
        let before = (app.count_rows("quota_transfer").await, app.count_rows("quota_use_ledger").await);

        // A5§8: the received quota may not be transferred a second time.
        let refused = app.graphql_with(Some(&land), TRANSFER, transfer(&received["id"], "WITHIN_CITY", "200000", "SX-T-AGAIN")).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "input.quotaId");
        assert!(error_message(&refused).contains("A5§8"), "{refused}");

        // A5§9: one ten-thousandth of a mu more than the ledger leaves is refused.
        let remaining = produced["remainingAreaMu"].as_str().unwrap().to_string();
        let (whole, fraction) = remaining.split_once('.').unwrap();
        let beyond = format!("{}.{:04}", whole, fraction.parse::<u32>().unwrap() + 1);
        let mut input = transfer(&produced["id"], "WITHIN_CITY", "200000", "SX-T-BEYOND");
        input["input"]["areaMu"] = json!(beyond);
        let refused = app.graphql_with(Some(&land), TRANSFER, input.clone()).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "input.areaMu");
        assert!(error_message(&refused).contains(&remaining), "{refused}");
        assert_eq!((app.count_rows("quota_transfer").await, app.count_rows("quota_use_ledger").await), before);

        // Exactly what is left is accepted, and then nothing is left.
        input["input"]["areaMu"] = json!(remaining);
        let accepted = app.graphql_with(Some(&land), TRANSFER, input).await;
        assert_eq!(accepted["data"]["registerQuotaTransfer"]["areaMu"], remaining, "{accepted}");
        let quotas = app.graphql_with(Some(&land), QUOTAS, json!({})).await;
        let produced = quotas["data"]["landQuotas"]["nodes"].as_array().unwrap().iter()
            .find(|quota| quota["code"] == "LQ-2026-001").unwrap().clone();
        assert_eq!(produced["remainingAreaMu"], "0.0000", "{produced}");
        assert_eq!(produced["transferable"], false);
    }
}

const REVENUE: &str = "mutation($input: RecordLandRevenueInput!) { recordLandRevenue(input: $input) {
    revenue { id amount reserve requiredReserve reserveShortfall reserveBooked } reserveEntry { kind amount } } }";

db_test! {
    async fn a_revenue_sets_aside_at_least_5_percent_to_the_fen_or_is_refused(app) {
        // A5§11: 每笔不低于5%. Finance books revenue and the reserve; a short reserve is refused.
        let finance = app.login("bureau_finance").await;
        let before = (
            app.count_rows("land_revenue").await,
            app.count_rows("repayment_reserve_entry").await,
        );
        let input = |amount: &str, reserve: &str| json!({ "input": {
            "payer": "测试市某区人民政府", "receivedOn": "2026-11-25",
            "amount": amount, "reserveAmount": reserve, "voucherNo": "SR-TEST"
        } });
        // 5 % of 123.45 is 6.1725: 6.18 is needed, 6.17 is short by one fen.
        let refused = app.graphql_with(Some(&finance), REVENUE, input("123.45", "6.17")).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "input.reserveAmount");
        assert!(error_message(&refused).contains("6.18") && error_message(&refused).contains("A5§11"), "{refused}");
        let refused = app.graphql_with(Some(&finance), REVENUE, input("1000000", "49999.99")).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert_eq!(
            (app.count_rows("land_revenue").await, app.count_rows("repayment_reserve_entry").await),
            before,
            "a refused revenue leaves no row in either table"
        );

        // Exactly 5 % is accepted and booked in the reserve account in the same write.
        let accepted = app.graphql_with(Some(&finance), REVENUE, input("1000000", "50000")).await;
        let booked = &accepted["data"]["recordLandRevenue"];
        assert_eq!(booked["revenue"]["reserve"], "50000.00", "{accepted}");
        assert_eq!(booked["revenue"]["requiredReserve"], "50000.00");
        assert_eq!(booked["revenue"]["reserveShortfall"], "0.00");
        assert_eq!(booked["reserveEntry"]["kind"], "revenue_share");
        assert_eq!(booked["reserveEntry"]["amount"], "50000.00");
        let accepted = app.graphql_with(Some(&finance), REVENUE, input("123.45", "6.18")).await;
        assert_eq!(accepted["data"]["recordLandRevenue"]["revenue"]["requiredReserve"], "6.18", "{accepted}");
        assert_eq!(
            (app.count_rows("land_revenue").await, app.count_rows("repayment_reserve_entry").await),
            (before.0 + 2, before.1 + 2)
        );

        // The planted revenues set aside 5 %, 6 % and 10 %: none is short.
        let revenues = app.graphql_with(Some(&finance), "{ landRevenues(first: 10) { totalCount nodes { amount reserve requiredReserve reserveShortfall reserveBooked } } }", json!({})).await;
        let nodes = revenues["data"]["landRevenues"]["nodes"].as_array().unwrap_or_else(|| panic!("{revenues}"));
        assert_eq!(revenues["data"]["landRevenues"]["totalCount"], 5);
        assert!(nodes.iter().all(|revenue| revenue["reserveShortfall"] == "0.00" && revenue["reserveBooked"] == revenue["reserve"]), "{revenues}");
        let accounts = app.graphql_with(Some(&finance), "{ repaymentReserveAccounts { accountNo balance entries { kind } } }", json!({})).await;
        assert_eq!(accounts["data"]["repaymentReserveAccounts"][0]["entries"].as_array().unwrap().len(), 8, "{accounts}");

        // Natural Resources reads land but does not book money.
        let land = app.login("bureau_natural_resources").await;
        let refused = app.graphql_with(Some(&land), REVENUE, input("1000", "50")).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    }
}

const HOMESTEADS: &str = "query($state: HomesteadState) { homesteads(first: 100, state: $state) { totalCount nodes { id state version consentRecordedOn vacatedOn countsTowardsQuota } } }";

const ADVANCE: &str = "mutation($input: AdvanceHomesteadInput!) { advanceHomestead(input: $input) { id state version vacatedOn reclaimedOn certifiedOn countsTowardsQuota } }";

db_test! {
    async fn a_homestead_is_vacated_only_after_the_households_consent_is_on_record(app) {
        // A5§5: no forced demolition.
        let land = app.login("bureau_natural_resources").await;
        let all = app.graphql_with(Some(&land), HOMESTEADS, json!({})).await;
        assert_eq!(all["data"]["homesteads"]["totalCount"], 45, "one homestead per household: {all}");
        let occupied = app.graphql_with(Some(&land), HOMESTEADS, json!({ "state": "OCCUPIED" })).await;
        let homestead = occupied["data"]["homesteads"]["nodes"][0].clone();
        assert_eq!(homestead["consentRecordedOn"], Value::Null, "{occupied}");
        let id = homestead["id"].clone();

        let refused = app.graphql_with(Some(&land), ADVANCE, json!({ "input": {
            "id": id, "version": homestead["version"], "step": "VACATE", "on": "2026-11-01" } })).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
        assert!(error_message(&refused).contains("consent") && error_message(&refused).contains("A5§5"), "{refused}");
        let unchanged = app.graphql_with(Some(&land), HOMESTEADS, json!({ "state": "OCCUPIED" })).await;
        assert_eq!(unchanged["data"]["homesteads"]["nodes"][0], homestead, "the refused step changed nothing");
        // Reclaiming an occupied homestead is out of order too.
        let refused = app.graphql_with(Some(&land), ADVANCE, json!({ "input": {
            "id": id, "version": homestead["version"], "step": "RECLAIM_TO_FARMLAND", "on": "2026-11-01" } })).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");

        let consent = app.graphql_with(Some(&land), "mutation($input: RecordHomesteadConsentInput!) { recordHomesteadConsent(input: $input) { version consentRecordedOn } }",
            json!({ "input": { "id": id, "version": homestead["version"], "consentedOn": "2026-10-20" } })).await;
        let consented = &consent["data"]["recordHomesteadConsent"];
        assert_eq!(consented["consentRecordedOn"], "2026-10-20", "{consent}");
        // The old version is stale now.
        let stale = app.graphql_with(Some(&land), ADVANCE, json!({ "input": {
            "id": id, "version": homestead["version"], "step": "VACATE", "on": "2026-11-01" } })).await;
        assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
        let vacated = app.graphql_with(Some(&land), ADVANCE, json!({ "input": {
            "id": id, "version": consented["version"], "step": "VACATE", "on": "2026-11-01" } })).await;
        let vacated = &vacated["data"]["advanceHomestead"];
        assert_eq!(vacated["state"], "VACATED", "{vacated}");
        assert_eq!(vacated["countsTowardsQuota"], false);

        // Restoring to green needs the certification (A5§3); with it the land counts.
        let refused = app.graphql_with(Some(&land), ADVANCE, json!({ "input": {
            "id": id, "version": vacated["version"], "step": "RESTORE_TO_GREEN", "on": "2026-11-15" } })).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        let green = app.graphql_with(Some(&land), ADVANCE, json!({ "input": {
            "id": id, "version": vacated["version"], "step": "RESTORE_TO_GREEN", "on": "2026-11-15",
            "certifiedNotReclaimable": true } })).await;
        let green = &green["data"]["advanceHomestead"];
        assert_eq!(green["state"], "RESTORED_TO_GREEN", "{green}");
        assert_eq!(green["certifiedOn"], "2026-11-15");
        assert_eq!(green["countsTowardsQuota"], true);

        // A second homestead for a household is refused (一户一宅, A5§1).
        let household = app.graphql_with(Some(&land), "{ homesteads(first: 1) { nodes { household { id } } } }", json!({})).await;
        let household_id = household["data"]["homesteads"]["nodes"][0]["household"]["id"].clone();
        let homesteads = app.count_rows("homestead").await;
        let twice = app.graphql_with(Some(&land), "mutation($input: RecordHomesteadInput!) { recordHomestead(input: $input) { id } }",
            json!({ "input": { "householdId": household_id, "areaMu": "0.3000" } })).await;
        assert_eq!(error_code(&twice), "CONFLICT", "{twice}");
        assert!(error_message(&twice).contains("A5§1"), "{twice}");
        assert_eq!(app.count_rows("homestead").await, homesteads);
        // Readers outside the land domain see nothing.
        let hrss = app.login("bureau_hrss").await;
        let hidden = app.graphql_with(Some(&hrss), HOMESTEADS, json!({})).await;
        assert_eq!(error_code(&hidden), "FORBIDDEN_FIELD", "{hidden}");
    }
}

/// How many party reads the organisation department has in the audit log.
async fn party_reads(app: &crate::TestApp) -> i64 {
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = 'read.party' AND actor_label = 'bureau_organization'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

const SITE_ORGANISATIONS: &str = "{ sitePartyOrganisations { site { code } formalMemberCount probationaryMemberCount activistCount
    required { kind clause } actualForm organisation { name } meetsRequirement } }";

db_test! {
    async fn each_site_has_the_organisation_its_formal_members_require_and_party_reads_are_audited(app) {
        // A6§1.1: 黄堡 has 4 formal members and a branch; 王家河 has 2 formal members (the
        // probationary one does not count), no organisation of its own, relations held locally.
        let organization = app.login("bureau_organization").await;
        let reads_before = party_reads(&app).await;
        let sites = app.graphql_with(Some(&organization), SITE_ORGANISATIONS, json!({})).await;
        let sites = sites["data"]["sitePartyOrganisations"].as_array().unwrap_or_else(|| panic!("{sites}")).clone();
        assert_eq!(sites.len(), 2);
        let hb = sites.iter().find(|site| site["site"]["code"] == "HB-XZQ").unwrap();
        assert_eq!(hb["formalMemberCount"], 4, "{hb}");
        assert_eq!(hb["probationaryMemberCount"], 1);
        assert_eq!(hb["activistCount"], 1);
        assert_eq!(hb["required"]["kind"], "BRANCH_OR_GROUP");
        assert_eq!(hb["required"]["clause"], "A6§1.1");
        assert_eq!(hb["actualForm"], "BRANCH");
        assert_eq!(hb["meetsRequirement"], true);
        let wjh = sites.iter().find(|site| site["site"]["code"] == "WJH-XFJ").unwrap();
        assert_eq!(wjh["formalMemberCount"], 2, "{wjh}");
        assert_eq!(wjh["probationaryMemberCount"], 1);
        assert_eq!(wjh["required"]["kind"], "TRANSFER_TO_LOCAL_ORGANISATION");
        assert_eq!(wjh["actualForm"], Value::Null);
        assert_eq!(wjh["organisation"], Value::Null);
        assert_eq!(wjh["meetsRequirement"], true);
        assert_eq!(party_reads(&app).await, reads_before + 1, "the read is audited");

        let members = app.graphql_with(Some(&organization), "{ partyMembers(first: 50) { totalCount nodes { name status relationHeldAt site { code } } } }", json!({})).await;
        assert_eq!(members["data"]["partyMembers"]["totalCount"], 10, "{members}");
        let transferring = members["data"]["partyMembers"]["nodes"].as_array().unwrap().iter()
            .filter(|member| member["relationHeldAt"] == "TRANSFERRING").count();
        assert_eq!(transferring, 1, "{members}");
        assert_eq!(party_reads(&app).await, reads_before + 2, "each read of membership is audited");
        let row = app.db.query_one(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT detail, role_codes FROM audit_log WHERE action = 'read.party' AND entity_type = 'PartyMember' ORDER BY id DESC",
        )).await.unwrap().unwrap();
        let detail: String = row.try_get("", "detail").unwrap();
        assert!(detail.starts_with("Query.partyMembers: 10 record(s)"), "{detail}");
        assert_eq!(row.try_get::<String>("", "role_codes").unwrap(), "bureau:organization");

        // Outside the party domain: refused, and nothing is read.
        let hrss = app.login("bureau_hrss").await;
        let hidden = app.graphql_with(Some(&hrss), SITE_ORGANISATIONS, json!({})).await;
        assert_eq!(error_code(&hidden), "FORBIDDEN_FIELD", "{hidden}");
    }
}

const VISIT_GAPS: &str = "query($from: String!, $through: String) { partyVisitGaps(from: $from, through: $through) {
    from through seats { position visitCount missingMonths member { id name site { code } } organisationName } } }";

db_test! {
    async fn the_planted_missed_visit_month_of_the_second_committee_member_is_found(app) {
        // A6§2.2: each committee member visits at least once a month; the demo's second member
        // skipped 2026-09.
        let organization = app.login("bureau_organization").await;
        let gaps = app.graphql_with(Some(&organization), VISIT_GAPS, json!({ "from": "2026-01", "through": "2026-11" })).await;
        let report = &gaps["data"]["partyVisitGaps"];
        assert_eq!(report["through"], "2026-11", "{gaps}");
        let seats = report["seats"].as_array().unwrap();
        assert_eq!(seats.len(), 3, "the branch committee has three seats: {gaps}");
        let missing: Vec<&Value> = seats.iter().filter(|seat| !seat["missingMonths"].as_array().unwrap().is_empty()).collect();
        assert_eq!(missing.len(), 1, "{gaps}");
        assert_eq!(missing[0]["missingMonths"], json!(["2026-09"]));
        assert_eq!(missing[0]["visitCount"], 10);
        assert_eq!(missing[0]["member"]["site"]["code"], "HB-XZQ");
        // A month that is not over is not checked; the order of months is checked.
        let running = app.graphql_with(Some(&organization), VISIT_GAPS, json!({ "from": "2026-01", "through": "2099-01" })).await;
        assert_eq!(error_code(&running), "INVALID_INPUT", "{running}");
        let reversed = app.graphql_with(Some(&organization), VISIT_GAPS, json!({ "from": "2026-10", "through": "2026-09" })).await;
        assert_eq!(error_code(&reversed), "INVALID_INPUT", "{reversed}");

        // Recording the missed visit (late) closes the gap; a non-committee member cannot.
        let member_id = missing[0]["member"]["id"].clone();
        let households = app.graphql("{ households(first: 1, filter: { codePrefix: \"HB\" }) { nodes { id } } }", json!({})).await;
        let household_id = households["data"]["households"]["nodes"][0]["id"].clone();
        let visits = app.count_rows("party_visit").await;
        let members = app.graphql_with(Some(&organization), "{ partyMembers(first: 50, status: ACTIVIST) { nodes { id site { code } } } }", json!({})).await;
        let activist = members["data"]["partyMembers"]["nodes"].as_array().unwrap().iter()
            .find(|member| member["site"]["code"] == "HB-XZQ").unwrap()["id"].clone();
        const VISIT: &str = "mutation($input: RecordPartyVisitInput!) { recordPartyVisit(input: $input) { id memberName visitedOn } }";
        let refused = app.graphql_with(Some(&organization), VISIT, json!({ "input": {
            "memberId": activist, "householdId": household_id, "visitedOn": "2026-09-20" } })).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert!(error_message(&refused).contains("A6§2.2"), "{refused}");
        assert_eq!(app.count_rows("party_visit").await, visits);
        let recorded = app.graphql_with(Some(&organization), VISIT, json!({ "input": {
            "memberId": member_id, "householdId": household_id, "visitedOn": "2026-09-20", "notes": "补录走访" } })).await;
        assert_eq!(recorded["data"]["recordPartyVisit"]["visitedOn"], "2026-09-20", "{recorded}");
        let gaps = app.graphql_with(Some(&organization), VISIT_GAPS, json!({ "from": "2026-01", "through": "2026-11" })).await;
        assert!(gaps["data"]["partyVisitGaps"]["seats"].as_array().unwrap().iter()
            .all(|seat| seat["missingMonths"].as_array().unwrap().is_empty()), "{gaps}");
    }
}

db_test! {
    async fn a_town_official_sees_and_changes_only_its_own_sites_party_records(app) {
        let huangbao = app.login("town_610202100").await;
        let sites = app.graphql_with(Some(&huangbao), SITE_ORGANISATIONS, json!({})).await;
        let sites = sites["data"]["sitePartyOrganisations"].as_array().unwrap_or_else(|| panic!("{sites}")).clone();
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0]["site"]["code"], "HB-XZQ");
        let members = app.graphql_with(Some(&huangbao), "{ partyMembers(first: 50) { totalCount nodes { site { code } } } }", json!({})).await;
        assert_eq!(members["data"]["partyMembers"]["totalCount"], 6, "{members}");
        assert!(members["data"]["partyMembers"]["nodes"].as_array().unwrap().iter().all(|member| member["site"]["code"] == "HB-XZQ"));
        let gaps = app.graphql_with(Some(&huangbao), VISIT_GAPS, json!({ "from": "2026-01", "through": "2026-11" })).await;
        assert_eq!(gaps["data"]["partyVisitGaps"]["seats"].as_array().unwrap().len(), 3, "{gaps}");

        let wangjiahe = app.login("town_610202004").await;
        let theirs = app.graphql_with(Some(&wangjiahe), "{ partyMembers(first: 50) { totalCount nodes { id relationHeldAt site { code } } } partyRelationTransfers(first: 10) { totalCount nodes { status memberName } } }", json!({})).await;
        assert_eq!(theirs["data"]["partyMembers"]["totalCount"], 4, "{theirs}");
        assert_eq!(theirs["data"]["partyRelationTransfers"]["totalCount"], 2, "{theirs}");
        let gaps = app.graphql_with(Some(&wangjiahe), VISIT_GAPS, json!({ "from": "2026-01", "through": "2026-11" })).await;
        assert_eq!(gaps["data"]["partyVisitGaps"]["seats"], json!([]), "王家河 has no committee: {gaps}");

        // 黄堡 cannot touch a 王家河 member: NOT_FOUND, and nothing changes.
        let wjh_member = theirs["data"]["partyMembers"]["nodes"].as_array().unwrap().iter()
            .find(|member| member["relationHeldAt"] == "LOCAL_ORGANISATION").unwrap()["id"].clone();
        let transfers = app.count_rows("party_relation_transfer").await;
        const REQUEST: &str = "mutation($input: RequestPartyRelationTransferInput!) { requestPartyRelationTransfer(input: $input) { id status version memberName } }";
        let input = json!({ "input": { "memberId": wjh_member, "toOrganisationName": "中共某地支部（测试）", "requestedOn": "2026-11-20", "reason": "测试" } });
        let refused = app.graphql_with(Some(&huangbao), REQUEST, input.clone()).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        assert_eq!(app.count_rows("party_relation_transfer").await, transfers);

        // 王家河 may: the relation is "transferring" until settled, then held by the new organisation.
        let requested = app.graphql_with(Some(&wangjiahe), REQUEST, input.clone()).await;
        let transfer = requested["data"]["requestPartyRelationTransfer"].clone();
        assert_eq!(transfer["status"], "REQUESTED", "{requested}");
        let again = app.graphql_with(Some(&wangjiahe), REQUEST, input).await;
        assert_eq!(error_code(&again), "CONFLICT", "{again}");
        let settled = app.graphql_with(Some(&wangjiahe), "mutation($input: SettlePartyRelationTransferInput!) { settlePartyRelationTransfer(input: $input) { status completedOn } }",
            json!({ "input": { "id": transfer["id"], "version": transfer["version"], "outcome": "COMPLETED", "settledOn": "2026-11-25" } })).await;
        assert_eq!(settled["data"]["settlePartyRelationTransfer"]["status"], "COMPLETED", "{settled}");
        let member = app.graphql_with(Some(&wangjiahe), "{ partyMembers(first: 50) { nodes { id relationHeldAt relationOrganisationName } } }", json!({})).await;
        let moved = member["data"]["partyMembers"]["nodes"].as_array().unwrap().iter().find(|m| m["id"] == wjh_member).unwrap().clone();
        assert_eq!(moved["relationHeldAt"], "LOCAL_ORGANISATION", "{moved}");
        assert_eq!(moved["relationOrganisationName"], "中共某地支部（测试）");

        // A bureau outside the party domain may not write it.
        let hrss = app.login("bureau_hrss").await;
        let refused = app.graphql_with(Some(&hrss), "mutation($id: ID!) { recordPartyMeeting(input: { organisationId: $id, kind: PARTY_LECTURE, heldOn: \"2026-11-10\", topic: \"x\" }) { id } }",
            json!({ "id": "UGFydHlPcmdhbmlzYXRpb246MQ" })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    }
}
