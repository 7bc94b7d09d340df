//! The ledgers' contract (`frontend/ledgers`): every ledger of `ledgers::all()` is run against
//! the live schema and the demo data as the bureau that keeps its data, every lookup answers,
//! every form matches its input type and its mutation document validates; and the .xlsx
//! export of a ledger (`/exports/ledgers/{key}.xlsx`) holds exactly what the API lists, with
//! the API's row scope and refusals, and never a formula.
//!
//! Nothing here names a ledger except the export tests, which use the job database
//! (`job-postings`): new ledgers are checked as soon as they are added to `ledgers::all()`.
use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;

use calamine::{Data, Reader};
use ledgers::{Form, Input, Ledger, Lookup, Shape};
use serde_json::{json, Value};

use crate::{db_test, TestApp};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Who reads (and writes) each data domain for the contract: the bureau that keeps the data
/// in the default policy (`auth::policy::default_policy`), district-wide, so that its answers
/// carry no row scope and no refused field.
const KEEPERS: &[(&str, &str)] = &[
    ("identity", "bureau_poverty"),
    ("employment", "bureau_hrss"),
    ("training", "bureau_hrss"),
    ("insurance", "bureau_hrss"),
    ("industry", "bureau_agriculture"),
    ("public_services", "bureau_housing"),
    ("education", "bureau_education"),
    ("health", "bureau_health"),
    ("social_assistance", "bureau_civil_affairs"),
    ("governance", "bureau_civil_affairs"),
    ("household_registration", "bureau_public_security"),
    ("land", "bureau_natural_resources"),
    ("finance", "bureau_finance"),
    ("party", "bureau_organization"),
];

/// Ledgers whose demo data has no rows, and why. Every other ledger must list at least one
/// row for its keeper, so that its columns are checked against real answers.
const EMPTY_IN_DEMO: &[(&str, &str)] = &[];

/// The demo user who keeps `domain`; fails loudly when the map or the policy disagree.
fn keeper(domain: &str, write: bool) -> &'static str {
    let user = KEEPERS
        .iter()
        .find(|(known, _)| *known == domain)
        .map(|(_, user)| *user)
        .unwrap_or_else(|| {
            panic!("no demo user keeps the data domain {domain:?}: add one to KEEPERS in tests/integration/ledgers.rs")
        });
    let role = user.replacen('_', ":", 1);
    let granted = auth::policy::default_policy().iter().any(|row| {
        row.role_code == role
            && row.domain.code() == domain
            && row.can_read
            && (row.can_write || !write)
    });
    assert!(
        granted,
        "the default policy does not let {role} {} {domain}: fix KEEPERS",
        if write { "write" } else { "read" }
    );
    user
}

/// Access tokens by demo user, each signed in once per test (sign-ins are rate-limited).
struct Users<'a> {
    app: &'a TestApp,
    tokens: HashMap<&'static str, String>,
}

impl<'a> Users<'a> {
    fn new(app: &'a TestApp) -> Self {
        Users {
            app,
            tokens: HashMap::new(),
        }
    }

    async fn token(&mut self, user: &'static str) -> String {
        if let Some(token) = self.tokens.get(user) {
            return token.clone();
        }
        let token = self.app.login(user).await;
        self.tokens.insert(user, token.clone());
        token
    }

    async fn graphql(&mut self, user: &'static str, query: &str, variables: Value) -> Value {
        let token = self.token(user).await;
        self.app.graphql_with(Some(&token), query, variables).await
    }
}

/// Every form of a ledger: the page's and the rows'.
fn forms(ledger: &Ledger) -> impl Iterator<Item = &Form> {
    ledger
        .forms
        .iter()
        .chain(ledger.row_actions.iter().map(|action| &action.form))
}

/// Whether the dotted path is present in the value: each object on the way has the key (its
/// value may be `null`, which ends the walk); a list on the way is walked item by item.
fn path_present(value: &Value, path: &[&str]) -> bool {
    match (value, path.split_first()) {
        (_, None) | (Value::Null, _) => true,
        (Value::Array(items), _) => items.iter().all(|item| path_present(item, path)),
        (Value::Object(object), Some((step, rest))) => object
            .get(*step)
            .is_some_and(|child| path_present(child, rest)),
        _ => false,
    }
}

fn has_path(value: &Value, path: &str) -> bool {
    path_present(value, &path.split('.').collect::<Vec<_>>())
}

/// The rows of a lookup's answer.
fn lookup_rows<'v>(lookup: &Lookup, data: &'v Value) -> &'v [Value] {
    let root = lookup
        .root
        .split('.')
        .try_fold(data, |value, step| value.get(step));
    let list = match lookup.shape {
        Shape::Connection => root.and_then(|root| root.get("nodes")),
        Shape::List => root,
    };
    list.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

db_test! {
    async fn every_ledger_answers_its_keeper_without_errors_and_has_every_column(app) {
        let mut users = Users::new(&app);
        let mut failures = Vec::new();
        let allowed_empty: BTreeSet<&str> = EMPTY_IN_DEMO.iter().map(|(key, _)| *key).collect();
        let mut count = 0;
        for ledger in ledgers::all() {
            count += 1;
            let user = keeper(ledger.read_domain, false);
            // The web page's first page, and the export's page size (the complexity limit).
            for first in [20, 100] {
                let variables = match ledger.shape {
                    Shape::Connection => json!({ "first": first }),
                    Shape::List => json!({}),
                };
                let response = users.graphql(user, ledger.query, variables).await;
                if let Some(errors) = response.get("errors") {
                    failures.push(format!("{} as {user} (first {first}): {errors}", ledger.key));
                    break;
                }
                if first == 100 {
                    continue;
                }
                let rows = ledger.rows(&response["data"]);
                if rows.is_empty() {
                    if !allowed_empty.contains(ledger.key) {
                        failures.push(format!(
                            "{} as {user}: no rows in the demo data (add them to the demo, or to EMPTY_IN_DEMO with the reason)",
                            ledger.key
                        ));
                    }
                    continue;
                }
                if allowed_empty.contains(ledger.key) {
                    failures.push(format!("{} has rows now: take it off EMPTY_IN_DEMO", ledger.key));
                }
                for row in rows {
                    for column in ledger.columns {
                        if !has_path(row, column.path) {
                            failures.push(format!("{}: column {} ({}) is not in the row {row}", ledger.key, column.header, column.path));
                        }
                    }
                    for action in ledger.row_actions {
                        if let Some((path, _)) = action.when {
                            if !has_path(row, path) {
                                failures.push(format!("{}: the condition {path} of {} is not in the row", ledger.key, action.form.key));
                            }
                        }
                        for field in action.form.fields {
                            match field.input {
                                Input::FromRow(path) if !has_path(row, path) => {
                                    failures.push(format!("{}: {} takes {path} from the row, which lacks it: {row}", ledger.key, action.form.key));
                                }
                                Input::RowItem { list, label } => {
                                    let items_present = has_path(row, list)
                                        && has_path(row, &format!("{list}.id"))
                                        && has_path(row, &format!("{list}.{label}"));
                                    if !items_present {
                                        failures.push(format!("{}: {} picks from {list} (id, {label}), which the row lacks", ledger.key, action.form.key));
                                    }
                                }
                                Input::FromItem(path) => {
                                    let list = action.form.fields.iter().find_map(|field| match field.input {
                                        Input::RowItem { list, .. } => Some(list),
                                        _ => None,
                                    });
                                    match list {
                                        Some(list) if has_path(row, &format!("{list}.{path}")) => {}
                                        _ => failures.push(format!("{}: {} takes {path} from a picked item the row lacks", ledger.key, action.form.key)),
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
        assert!(count > 0, "ledgers::all() is empty");
        assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    }
}

db_test! {
    async fn every_lookup_answers_with_its_values_and_labels(app) {
        let mut users = Users::new(&app);
        let mut failures = Vec::new();
        // (lookup, who uses it, where)
        let mut uses: Vec<(&'static Lookup, &'static str, String)> = Vec::new();
        for ledger in ledgers::all() {
            for filter in ledger.filters {
                if let Input::Lookup(lookup) | Input::Search(lookup) = filter.input {
                    uses.push((lookup, keeper(ledger.read_domain, false), format!("{} filter {}", ledger.key, filter.variable)));
                }
            }
            for form in forms(ledger) {
                for field in form.fields {
                    if let Input::Lookup(lookup) | Input::Search(lookup) = field.input {
                        uses.push((lookup, keeper(form.write_domain, true), format!("{} field {}", form.key, field.name)));
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (lookup, user, place) in uses {
            if !seen.insert((lookup.query, user)) {
                continue;
            }
            let response = users.graphql(user, lookup.query, json!({})).await;
            if let Some(errors) = response.get("errors") {
                failures.push(format!("{place} as {user}: {errors}"));
                continue;
            }
            // The page offers the options that have a value (a site without an organisation
            // has none); the paths must be in every option.
            for option in lookup_rows(lookup, &response["data"]) {
                if !has_path(option, lookup.value) || !has_path(option, lookup.label) {
                    failures.push(format!("{place}: an option lacks {} or {}: {option}", lookup.value, lookup.label));
                }
            }
        }
        assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    }
}

/// An input type as introspection shows it: its fields with their named type, whether they
/// are non-null and whether they have a default.
struct InputType {
    kind: String,
    fields: HashMap<String, (String, bool, bool)>,
}

async fn input_type(
    users: &mut Users<'_>,
    cache: &mut HashMap<String, Option<InputType>>,
    name: &str,
) -> bool {
    if cache.contains_key(name) {
        return cache[name].is_some();
    }
    const QUERY: &str =
        "query ($name: String!) { __type(name: $name) { kind inputFields { name defaultValue
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }";
    let response = users
        .graphql("bureau_poverty", QUERY, json!({ "name": name }))
        .await;
    let ty = &response["data"]["__type"];
    let found = ty.is_object().then(|| InputType {
        kind: ty["kind"].as_str().unwrap_or_default().to_owned(),
        fields: ty["inputFields"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|field| {
                let mut named = &field["type"];
                while named["name"].is_null() && named["ofType"].is_object() {
                    named = &named["ofType"];
                }
                (
                    field["name"].as_str().unwrap_or_default().to_owned(),
                    (
                        named["name"].as_str().unwrap_or_default().to_owned(),
                        field["type"]["kind"] == "NON_NULL",
                        !field["defaultValue"].is_null(),
                    ),
                )
            })
            .collect(),
    });
    let exists = found.is_some();
    cache.insert(name.to_owned(), found);
    exists
}

db_test! {
    async fn every_form_matches_its_input_type_and_its_mutation_validates(app) {
        let mut users = Users::new(&app);
        let mut cache: HashMap<String, Option<InputType>> = HashMap::new();
        let mut failures = Vec::new();
        let mut count = 0;
        for ledger in ledgers::all() {
            for form in forms(ledger) {
                count += 1;
                if !input_type(&mut users, &mut cache, form.input_type).await {
                    failures.push(format!("{}: no type {}", form.key, form.input_type));
                    continue;
                }
                // Each field names an input field (dotted: of the nested input object).
                let mut nested_types = Vec::new();
                for field in form.fields {
                    let mut type_name = form.input_type.to_owned();
                    let steps: Vec<&str> = field.name.split('.').collect();
                    for (depth, step) in steps.iter().enumerate() {
                        if !input_type(&mut users, &mut cache, &type_name).await {
                            failures.push(format!("{}: {} — no type {type_name}", form.key, field.name));
                            break;
                        }
                        let Some(Some(ty)) = cache.get(&type_name) else { break };
                        if ty.kind != "INPUT_OBJECT" {
                            failures.push(format!("{}: {} — {type_name} is not an input object", form.key, field.name));
                            break;
                        }
                        let Some((named, _, _)) = ty.fields.get(*step) else {
                            failures.push(format!("{}: {} — {type_name} has no field {step}", form.key, field.name));
                            break;
                        };
                        let prefix = steps[..=depth].join(".");
                        if depth + 1 < steps.len() {
                            nested_types.push((prefix, named.clone()));
                        }
                        type_name = named.clone();
                    }
                }
                // Every non-null input field without a default is filled, at the top and in
                // every nested input object the form fills.
                let mut objects = vec![(String::new(), form.input_type.to_owned())];
                objects.extend(nested_types);
                let mut checked = BTreeSet::new();
                for (prefix, type_name) in objects {
                    if !checked.insert(prefix.clone()) {
                        continue;
                    }
                    let Some(Some(ty)) = cache.get(&type_name) else { continue };
                    for (name, (_, non_null, has_default)) in &ty.fields {
                        if !*non_null || *has_default {
                            continue;
                        }
                        let full = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                        let field = form.fields.iter().find(|field| {
                            field.name == full || field.name.starts_with(&format!("{full}."))
                        });
                        match field {
                            None => failures.push(format!("{}: {} needs {full}, which the form lacks", form.key, form.input_type)),
                            // A nested object's fields need only be there: the object
                            // itself may be left out when its parent field is optional.
                            Some(field) if !field.required && field.name == full && prefix.is_empty() => failures.push(format!(
                                "{}: {full} is required by {} but optional in the form",
                                form.key, form.input_type
                            )),
                            Some(_) => {}
                        }
                    }
                }
                // The document validates: without variables it passes validation and the
                // one complaint, at execution, is the missing `$input` of its field.
                let user = keeper(form.write_domain, true);
                let response = users.graphql(user, form.mutation, json!({})).await;
                let errors = response["errors"].as_array().cloned().unwrap_or_default();
                let only_input_missing = errors.len() == 1
                    && errors[0]["message"] == "Variable input is not defined."
                    && errors[0]["path"].as_array().is_some_and(|path| path.len() == 1);
                if !only_input_missing || !response["data"].is_null() {
                    failures.push(format!("{}: without $input the mutation should only miss it: {response}", form.key));
                }
            }
        }
        assert!(count > 0, "no forms at all");
        assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    }
}

/// The first sheet of an .xlsx as rows of cell texts (numbers as the page shows them).
fn read_sheet(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut workbook: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) => number.to_string(),
        Data::Int(number) => number.to_string(),
        other => other.to_string(),
    }
}

/// GETs an export; the response as it came.
async fn get_export(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.http().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// A successful export's sheet, after checking the media type and the file name.
async fn export_sheet(app: &TestApp, token: &str, ledger: &Ledger, query: &str) -> Vec<Vec<Data>> {
    let path = format!("/exports/ledgers/{}.xlsx{query}", ledger.key);
    let response = get_export(app, Some(token), &path).await;
    let status = response.status();
    assert_eq!(status, 200, "{path}: {}", response.text().await.unwrap());
    assert_eq!(response.headers()["content-type"], XLSX);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{}.xlsx\"", ledger.key)),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    read_sheet(&response.bytes().await.unwrap())
}

/// Every row the API lists for the ledger with these variables, page after page.
async fn api_rows(app: &TestApp, token: &str, ledger: &Ledger, variables: Value) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut variables = variables.clone();
        if ledger.shape == Shape::Connection {
            variables["first"] = json!(100);
            if let Some(after) = &after {
                variables["after"] = json!(after);
            }
        }
        let response = app.graphql_with(Some(token), ledger.query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "{}: {response:#}",
            ledger.key
        );
        rows.extend(ledger.rows(&response["data"]).iter().cloned());
        match ledger.next_cursor(&response["data"]) {
            Some(cursor) => after = Some(cursor.to_owned()),
            None => return rows,
        }
    }
}

/// The sheet has the ledger's headers and, line by line, what the page shows of the rows.
fn assert_sheet_shows(ledger: &Ledger, sheet: &[Vec<Data>], rows: &[Value]) {
    let headers: Vec<String> = sheet[0].iter().map(text_of).collect();
    let expected: Vec<&str> = ledger.columns.iter().map(|column| column.header).collect();
    assert_eq!(headers, expected, "{}: the header row", ledger.key);
    assert_eq!(
        sheet.len() - 1,
        rows.len(),
        "{}: one line per row of the API",
        ledger.key
    );
    for (line, row) in sheet[1..].iter().zip(rows) {
        for (cell, column) in line.iter().zip(ledger.columns) {
            assert_eq!(
                text_of(cell),
                ledgers::display(row, column),
                "{}: {} of {row}",
                ledger.key,
                column.header
            );
        }
    }
}

fn job_postings() -> &'static Ledger {
    ledgers::find("job-postings").expect("the job database is a ledger")
}

db_test! {
    async fn every_ledgers_export_holds_what_the_api_lists_for_its_keeper(app) {
        let mut users = Users::new(&app);
        for ledger in ledgers::all() {
            let token = users.token(keeper(ledger.read_domain, false)).await;
            let rows = api_rows(&app, &token, ledger, json!({})).await;
            let sheet = export_sheet(&app, &token, ledger, "").await;
            assert_sheet_shows(ledger, &sheet, &rows);
        }
        let audited = app.count_rows("audit_log WHERE action = 'export.ledger'").await;
        assert_eq!(audited, ledgers::all().count() as i64, "every export is audited");
    }
}

db_test! {
    async fn a_ledger_export_takes_the_filters_and_keeps_the_towns_scope(app) {
        let ledger = job_postings();
        let hrss = app.login("bureau_hrss").await;
        let town = app.login("town_610202004").await;

        // The district sees both towns' postings; the town official its own and the district's.
        let town_column = ledger.columns.iter().position(|column| column.path == "town.name").unwrap();
        let sheet = export_sheet(&app, &hrss, ledger, "").await;
        assert!(sheet[1..].iter().any(|line| line[town_column] == *"黄堡镇"));
        assert!(sheet[1..].iter().any(|line| line[town_column] == *"王家河街道"));
        let sheet = export_sheet(&app, &town, ledger, "").await;
        assert!(sheet[1..].iter().any(|line| line[town_column] == *"王家河街道"));
        assert!(sheet[1..].iter().all(|line| line[town_column] == *"王家河街道" || line[town_column] == Data::Empty));
        assert_sheet_shows(ledger, &sheet, &api_rows(&app, &town, ledger, json!({})).await);

        // Filters: a choice of a list-typed variable, and a lookup.
        let towns = app.graphql_with(Some(&hrss), "{ towns { id name } }", json!({})).await;
        let huangbao = towns["data"]["towns"].as_array().unwrap().iter()
            .find(|town| town["name"] == "黄堡镇").unwrap()["id"].as_str().unwrap().to_owned();
        let variables = json!({ "townId": huangbao, "status": ["OPEN"] });
        let sheet = export_sheet(&app, &hrss, ledger, &format!("?townId={huangbao}&status=OPEN&first=1&ignored=x")).await;
        let rows = api_rows(&app, &hrss, ledger, variables).await;
        assert!(!rows.is_empty());
        assert_sheet_shows(ledger, &sheet, &rows);
        assert!(sheet[1..].iter().all(|line| line[town_column] == *"黄堡镇"));
        let sheet = export_sheet(&app, &hrss, ledger, "?status=FILLED&status=CLOSED").await;
        let rows = api_rows(&app, &hrss, ledger, json!({ "status": ["FILLED", "CLOSED"] })).await;
        assert_sheet_shows(ledger, &sheet, &rows);
        let status = ledger.columns.iter().position(|column| column.path == "status").unwrap();
        assert!(sheet[1..].iter().all(|line| line[status] != *"招聘中"));

        // A value that is not one of the choices: 400 with the GraphQL error shape.
        let response = get_export(&app, Some(&hrss), "/exports/ledgers/job-postings.xlsx?status=NOPE").await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_INPUT", "{body}");
    }
}

db_test! {
    async fn a_ledger_export_is_refused_without_the_domain_a_token_or_a_known_key(app) {
        // The education bureau may not read the employment domain.
        let education = app.login("bureau_education").await;
        let response = get_export(&app, Some(&education), "/exports/ledgers/job-postings.xlsx").await;
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap();
        let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default().to_owned();
        assert!(code.starts_with("FORBIDDEN"), "{body}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("employment"), "{body}");

        let response = get_export(&app, None, "/exports/ledgers/job-postings.xlsx").await;
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");

        let response = get_export(&app, Some(&education), "/exports/ledgers/no-such-ledger.xlsx").await;
        assert_eq!(response.status(), 404);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND", "{body}");
        assert_eq!(app.count_rows("audit_log WHERE action = 'export.ledger'").await, 0, "refusals export nothing");
    }
}

db_test! {
    async fn text_that_looks_like_a_formula_is_exported_as_text(app) {
        let hrss = app.login("bureau_hrss").await;
        let created = app.graphql_with(
            Some(&hrss),
            "mutation ($input: CreateJobPostingInput!) { createJobPosting(input: $input) { id } }",
            json!({ "input": {
                "level": "DISTRICT", "employerName": "+cmd|' /C calc'!A0", "title": "=SUM(A1)",
                "employmentType": "NEARBY", "vacancies": 1
            } }),
        ).await;
        assert!(created.get("errors").is_none(), "{created:#}");
        let ledger = job_postings();
        let sheet = export_sheet(&app, &hrss, ledger, "").await;
        let title = ledger.columns.iter().position(|column| column.path == "title").unwrap();
        let employer = ledger.columns.iter().position(|column| column.path == "employerName").unwrap();
        let line = sheet.iter().find(|line| line[title] == *"=SUM(A1)").expect("the posting is exported");
        assert_eq!(line[title], Data::String("=SUM(A1)".into()));
        assert_eq!(line[employer], Data::String("+cmd|' /C calc'!A0".into()));
    }
}

/// The type name inside a global ID (`base64url("JobPosting:3")` → `JobPosting`).
fn type_of_id(id: &str) -> String {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    text.split_once(':').unwrap().0.to_owned()
}

const NODE: &str = "query ($id: ID!) { node(id: $id) { id __typename } }";

db_test! {
    async fn every_ledger_row_of_a_node_type_resolves_by_node_for_its_keeper(app) {
        let mut users = Users::new(&app);
        let types = users.graphql("bureau_poverty", "{ __type(name: \"Node\") { possibleTypes { name } } }", json!({})).await;
        let node_types: BTreeSet<String> = types["data"]["__type"]["possibleTypes"].as_array().unwrap().iter()
            .map(|ty| ty["name"].as_str().unwrap().to_owned()).collect();
        for annex_type in ["JobPosting", "TrainingClass", "BusinessEntity", "BenefitLinkage", "SiteNeed", "PartyVisit",
            "PropertyTicket", "PublicDisclosure", "Homestead", "LandQuota", "PartyMember", "Alert"] {
            assert!(node_types.contains(annex_type), "{annex_type} implements Node");
        }
        let mut failures = Vec::new();
        let mut resolved = BTreeSet::new();
        let mut not_nodes = BTreeSet::new();
        for ledger in ledgers::all() {
            let user = keeper(ledger.read_domain, false);
            let variables = match ledger.shape {
                Shape::Connection => json!({ "first": 3 }),
                Shape::List => json!({}),
            };
            let response = users.graphql(user, ledger.query, variables).await;
            for row in ledger.rows(&response["data"]).iter().take(3) {
                let Some(id) = row.get("id").and_then(Value::as_str) else { break };
                let type_name = type_of_id(id);
                if !node_types.contains(&type_name) {
                    not_nodes.insert(format!("{type_name} ({})", ledger.key));
                    break;
                }
                let answer = users.graphql(user, NODE, json!({ "id": id })).await;
                if answer.get("errors").is_some() || answer["data"]["node"]["id"] != id
                    || answer["data"]["node"]["__typename"] != type_name.as_str()
                {
                    failures.push(format!("{}: node({type_name}) as {user}: {answer}", ledger.key));
                }
                resolved.insert(type_name);
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(resolved.contains("JobPosting"), "{resolved:?}");
        eprintln!("resolved by node(id:): {resolved:?}; ledger rows of types without node(id:): {not_nodes:?}");
    }
}

db_test! {
    async fn node_keeps_the_lists_row_scope_and_domain(app) {
        let mut users = Users::new(&app);
        // (keeper, the list with each record's town, the list's root)
        let lists = [
            ("bureau_hrss", "{ jobPostings(first: 100) { nodes { id town { name } } } }", "jobPostings"),
            ("bureau_housing", "{ siteNeeds(first: 100) { nodes { id site { town { name } } } } }", "siteNeeds"),
            ("bureau_housing", "{ propertyTickets(first: 100) { nodes { id site { town { name } } } } }", "propertyTickets"),
            ("bureau_civil_affairs", "{ publicDisclosures(first: 100) { nodes { id site { town { name } } } } }", "publicDisclosures"),
            ("bureau_organization", "{ partyMembers(first: 100) { nodes { id site { town { name } } } } }", "partyMembers"),
        ];
        for (keeper_user, query, root) in lists {
            let response = users.graphql(keeper_user, query, json!({})).await;
            assert!(response.get("errors").is_none(), "{response:#}");
            let nodes = response["data"][root]["nodes"].as_array().unwrap().clone();
            let town_of = |node: &Value| {
                let town = if node["town"].is_null() { &node["site"]["town"] } else { &node["town"] };
                town["name"].as_str().unwrap_or_default().to_owned()
            };
            let of_town = |name: &str| {
                nodes.iter().find(|node| town_of(node) == name)
                    .unwrap_or_else(|| panic!("{root}: the demo has a record of {name}"))["id"]
                    .as_str().unwrap().to_owned()
            };
            let (huangbao, wangjiahe) = (of_town("黄堡镇"), of_town("王家河街道"));
            for id in [&huangbao, &wangjiahe] {
                let answer = users.graphql(keeper_user, NODE, json!({ "id": id })).await;
                assert_eq!(answer["data"]["node"]["id"], json!(id), "{root} as {keeper_user}: {answer}");
            }
            // The town official: its own town's record, and nothing of the other town.
            let own = users.graphql("town_610202004", NODE, json!({ "id": wangjiahe })).await;
            assert_eq!(own["data"]["node"]["id"], json!(wangjiahe), "{root}: {own}");
            let other = users.graphql("town_610202004", NODE, json!({ "id": huangbao })).await;
            assert!(other.get("errors").is_none(), "{root}: {other}");
            assert!(other["data"]["node"].is_null(), "{root}: another town's record: {other}");
        }

        // Outside the data domain: refused like the list.
        let postings = users.graphql("bureau_hrss", "{ jobPostings(first: 1) { nodes { id } } }", json!({})).await;
        let id = postings["data"]["jobPostings"]["nodes"][0]["id"].clone();
        let refused = users.graphql("bureau_education", NODE, json!({ "id": id })).await;
        assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN_FIELD", "{refused}");
        assert!(refused["data"]["node"].is_null());
    }
}

/// The column of a sheet by its header.
fn column(sheet: &[Vec<Data>], header: &str) -> usize {
    sheet[0]
        .iter()
        .position(|cell| *cell == *header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

db_test! {
    async fn the_alert_feed_exports_what_the_feed_shows(app) {
        const FEED: &str = "query ($filter: AlertFilterInput) { alerts(first: 100, filter: $filter) {
            totalCount nodes { ruleLabel household { code } town { name } } } }";
        let hrss = app.login("bureau_hrss").await;
        let town = app.login("town_610202004").await;
        let sheet_of = |token: String, query: &'static str| {
            let app = &app;
            async move {
                let response = get_export(app, Some(&token), &format!("/exports/alerts.xlsx{query}")).await;
                assert_eq!(response.status(), 200, "{query}");
                assert_eq!(response.headers()["content-type"], XLSX);
                read_sheet(&response.bytes().await.unwrap())
            }
        };

        // One rule, as its bureau: the feed's rows, line for line.
        let feed = app.graphql_with(Some(&hrss), FEED, json!({ "filter": { "ruleCodes": ["ZERO_EMPLOYMENT"] } })).await;
        assert!(feed.get("errors").is_none(), "{feed:#}");
        let nodes = feed["data"]["alerts"]["nodes"].as_array().unwrap().clone();
        assert!(!nodes.is_empty(), "the demo has zero-employment households");
        let sheet = sheet_of(hrss.clone(), "?ruleCodes=ZERO_EMPLOYMENT").await;
        assert_eq!(sheet.len() - 1, nodes.len());
        let (rule, household) = (column(&sheet, "预警规则"), column(&sheet, "户编号"));
        for (line, node) in sheet[1..].iter().zip(&nodes) {
            assert_eq!(line[rule], Data::String(node["ruleLabel"].as_str().unwrap().to_owned()));
            assert_eq!(text_of(&line[household]), node["household"]["code"].as_str().unwrap_or_default());
        }

        // Two rules, comma-separated; and the town official sees its own town's only.
        let both = app.graphql_with(Some(&hrss), FEED, json!({ "filter": { "ruleCodes": ["ZERO_EMPLOYMENT", "MISSING_INSURANCE"] } })).await;
        let sheet = sheet_of(hrss.clone(), "?ruleCodes=ZERO_EMPLOYMENT,MISSING_INSURANCE").await;
        assert_eq!(sheet.len() as i64 - 1, both["data"]["alerts"]["totalCount"].as_i64().unwrap());
        let mine = app.graphql_with(Some(&town), FEED, json!({ "filter": {} })).await;
        assert!(mine.get("errors").is_none(), "{mine:#}");
        let sheet = sheet_of(town.clone(), "").await;
        assert_eq!(sheet.len() as i64 - 1, mine["data"]["alerts"]["totalCount"].as_i64().unwrap());
        assert!(sheet.len() > 1, "the town has open alerts in the demo");
        let town_column = column(&sheet, "镇（街道）");
        assert!(sheet[1..].iter().all(|line| line[town_column] == *"王家河街道"), "{sheet:?}");

        // Refusals: no token, a rule that does not exist.
        let response = get_export(&app, None, "/exports/alerts.xlsx").await;
        assert_eq!(response.status(), 401);
        let response = get_export(&app, Some(&hrss), "/exports/alerts.xlsx?ruleCodes=NO_SUCH_RULE").await;
        assert_eq!(response.status(), 400);
        assert_eq!(app.count_rows("audit_log WHERE action = 'export.alerts'").await, 3);
    }
}
