//! Spreadsheet imports and list exports: all-or-nothing imports with a per-row report in
//! Chinese, limits checked before parsing, and exports with the API's scope and masking.
use std::io::Cursor;

use calamine::{Data, Reader};
use serde_json::Value;

use crate::db_test;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HEADERS: [&str; 10] = [
    "户编号",
    "安置点代码",
    "与户主关系",
    "姓名",
    "身份证号",
    "劳动能力",
    "就业状态",
    "联系电话",
    "搬迁入住日期",
    "是否建档立卡",
];

/// A valid ID number from its first 17 digits (GB 11643 check digit).
fn id(first17: &str) -> String {
    let check = domain::id_number::check_digit(first17).expect("17 digits");
    format!("{first17}{check}")
}

/// One person row of the household template.
fn person(
    code: &str,
    site: &str,
    relation: &str,
    name: &str,
    id_number: &str,
    labour: &str,
    status: &str,
) -> Vec<String> {
    [
        code,
        site,
        relation,
        name,
        id_number,
        labour,
        status,
        "",
        "2020-05-01",
        "是",
    ]
    .iter()
    .map(|cell| cell.to_string())
    .collect()
}

/// An .xlsx with the template's headers and these rows, every cell a string.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in (0u16..).zip(HEADERS) {
        sheet.write_string(0, col, header).unwrap();
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (col, cell) in (0u16..).zip(cells) {
            if !cell.is_empty() {
                sheet.write_string(row, col, cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// A CSV with the template's headers, encoded in GB18030 (as Excel saves it on Chinese Windows).
fn gb18030_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = HEADERS.join(",");
    text.push_str("\r\n");
    for row in rows {
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

async fn upload(
    app: &crate::TestApp,
    token: Option<&str>,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request = app
        .http()
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn counts(app: &crate::TestApp) -> (i64, i64) {
    (
        app.count_rows("household").await,
        app.count_rows("person").await,
    )
}

/// The errors of a report as (row, column) pairs.
fn cells(report: &Value) -> Vec<(u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["row"].as_u64().unwrap(),
                error["column"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The first sheet of an .xlsx as rows of cells.
fn read_sheet(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut workbook: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn column_of(rows: &[Vec<Data>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|cell| *cell == *header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

async fn export(app: &crate::TestApp, token: &str, path: &str) -> Vec<Vec<Data>> {
    let response = app
        .http()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], XLSX);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    read_sheet(&response.bytes().await.unwrap())
}

db_test! {
    async fn a_clean_household_file_is_checked_by_a_dry_run_then_imported_in_full(app) {
        let template = app.http().get(app.url("/imports/templates/households.xlsx")).send().await.unwrap();
        assert_eq!(template.status(), 200);
        let template = read_sheet(&template.bytes().await.unwrap());
        assert_eq!(template[0][0].to_string(), "户编号*");

        let rows = vec![
            person("hb-901", "HB-XZQ", "户主", "=1+1", &id("61020219800101123"), "有劳动能力", "已就业"),
            person("HB-901", "HB-XZQ", "子女", "测试子女", &id("61020220150101123"), "无劳动能力", "非劳动力"),
            person("WJH-901", "WJH-XFJ", "户主", "@测试户主", &id("61020219750202234"), "弱劳动能力", "未就业"),
        ];
        let before = counts(&app).await;
        let (status, report) = upload(&app, Some(&app.token), "/imports/households?dryRun=true", XLSX, xlsx(&rows)).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(report["dryRun"], true);
        assert_eq!(report["written"], false);
        assert_eq!(report["rows"], 3);
        assert_eq!(report["created"]["households"], 2);
        assert_eq!(report["created"]["persons"], 3);
        assert_eq!(report["errors"], serde_json::json!([]));
        assert_eq!(counts(&app).await, before, "a dry run writes nothing");

        let (status, report) = upload(&app, Some(&app.token), "/imports/households?dryRun=false", XLSX, xlsx(&rows)).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(report["written"], true);
        assert_eq!(counts(&app).await, (before.0 + 2, before.1 + 3));
        let data = app
            .graphql_ok(
                "{ households(first: 5, filter: { codePrefix: \"HB-901\" }) { nodes { code headName memberCount relocatedOn members { sex birthDate relation } } } }",
                serde_json::json!({}),
            )
            .await;
        let household = &data["households"]["nodes"][0];
        assert_eq!(household["code"], "HB-901");
        assert_eq!(household["headName"], "=1+1");
        assert_eq!(household["memberCount"], 2);
        assert_eq!(household["relocatedOn"], "2020-05-01");
        assert_eq!(household["members"][0]["birthDate"], "1980-01-01");

        // The same file again: every row's ID number and household code are now registered.
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", XLSX, xlsx(&rows)).await;
        assert_eq!(status, 422);
        assert!(cells(&report).contains(&(2, "身份证号".into())), "{report:#}");
        assert!(cells(&report).contains(&(2, "户编号".into())), "{report:#}");

        // A GB18030 CSV, dry run then for real.
        let csv_rows = vec![
            person("HB-902", "HB-XZQ", "户主", "王测试", &id("61020219600303345"), "有劳动能力", "未就业"),
            person("HB-902", "HB-XZQ", "配偶", "李测试", &id("61020219620404456"), "有劳动能力", "已就业"),
        ];
        let before = counts(&app).await;
        let (status, report) = upload(&app, Some(&app.token), "/imports/households?dryRun=true", "text/csv", gb18030_csv(&csv_rows)).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(report["created"]["persons"], 2);
        assert_eq!(counts(&app).await, before);
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", "text/csv; charset=gb18030", gb18030_csv(&csv_rows)).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(counts(&app).await, (before.0 + 1, before.1 + 2));
        let data = app
            .graphql_ok(
                "{ persons(first: 5, filter: { namePrefix: \"李测试\" }) { nodes { name relation employmentStatus household { code } } } }",
                serde_json::json!({}),
            )
            .await;
        assert_eq!(data["persons"]["nodes"][0]["relation"], "SPOUSE");
        assert_eq!(data["persons"]["nodes"][0]["employmentStatus"], "EMPLOYED");
        assert_eq!(data["persons"]["nodes"][0]["household"]["code"], "HB-902");
    }
}

db_test! {
    async fn a_file_with_errors_gets_every_error_by_row_and_column_and_writes_nothing(app) {
        let registered: String = {
            use sea_orm::{ConnectionTrait, Statement};
            let row = app
                .db
                .query_one(Statement::from_string(
                    app.db.get_database_backend(),
                    "SELECT id_number FROM person ORDER BY id LIMIT 1",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get("", "id_number").unwrap()
        };
        let mut bad_check_digit = id("61020219800101123");
        let last = if bad_check_digit.ends_with('1') { '2' } else { '1' };
        bad_check_digit.pop();
        bad_check_digit.push(last);
        let repeated = id("61020219900505567");
        let rows = vec![
            // Row 2: a bad check digit.
            person("HB-910", "HB-XZQ", "户主", "甲", &bad_check_digit, "有劳动能力", "未就业"),
            // Row 3: the head of HB-911.
            person("HB-911", "HB-XZQ", "户主", "乙", &repeated, "有劳动能力", "未就业"),
            // Row 4: a second head in HB-911.
            person("HB-911", "HB-XZQ", "户主", "丙", &id("61020219910606678"), "有劳动能力", "未就业"),
            // Row 5: the ID number of row 3 again.
            person("HB-911", "HB-XZQ", "子女", "丁", &repeated, "无劳动能力", "非劳动力"),
            // Row 6: an ID number the demo data holds already.
            person("HB-912", "HB-XZQ", "户主", "戊", &registered, "有劳动能力", "未就业"),
            // Row 7: an unknown site.
            person("HB-913", "NO-SUCH", "户主", "己", &id("61020219850606678"), "有劳动能力", "未就业"),
            // Row 8: clean, but nothing is written when any row fails.
            person("HB-914", "HB-XZQ", "户主", "庚", &id("61020219700707789"), "有劳动能力", "未就业"),
        ];
        let before = counts(&app).await;
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", XLSX, xlsx(&rows)).await;
        assert_eq!(status, 422, "{report:#}");
        assert_eq!(report["written"], false);
        assert_eq!(
            cells(&report),
            vec![
                (2, "身份证号".to_string()),
                (4, "与户主关系".to_string()),
                (5, "身份证号".to_string()),
                (6, "身份证号".to_string()),
                (7, "安置点代码".to_string()),
            ],
            "{report:#}"
        );
        let messages: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
        assert!(messages[0].contains("校验码"), "{messages:?}");
        assert!(messages[1].contains("户主") && messages[1].contains("第3行"), "{messages:?}");
        assert!(messages[2].contains("第3行"), "{messages:?}");
        assert!(messages[3].contains("已在系统中登记"), "{messages:?}");
        assert!(messages[4].contains("没有此安置点"), "{messages:?}");
        assert_eq!(report["errors"][0]["value"], bad_check_digit.as_str());
        assert_eq!(counts(&app).await, before, "an import with errors writes nothing");

        // A missing required column is reported on the header row.
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", "text/csv", "户编号,姓名\r\nHB-1,张三\r\n".as_bytes().to_vec()).await;
        assert_eq!(status, 422);
        assert!(cells(&report).iter().all(|(row, _)| *row == 1), "{report:#}");
        assert_eq!(counts(&app).await, before);
    }
}

db_test! {
    async fn a_town_official_may_import_only_into_its_own_towns_sites(app) {
        // 黄堡镇 (610202100) owns HB-XZQ; WJH-XFJ belongs to 王家河街道.
        let town = app.login("town_610202100").await;
        let rows = vec![
            person("HB-921", "HB-XZQ", "户主", "本镇户主", &id("61020219800808890"), "有劳动能力", "未就业"),
            person("WJH-921", "WJH-XFJ", "户主", "他镇户主", &id("61020219810909901"), "有劳动能力", "未就业"),
        ];
        let before = counts(&app).await;
        let (status, report) = upload(&app, Some(&town), "/imports/households", XLSX, xlsx(&rows)).await;
        assert_eq!(status, 422, "{report:#}");
        assert_eq!(cells(&report), vec![(3, "安置点代码".to_string())]);
        assert!(report["errors"][0]["message"].as_str().unwrap().contains("不属于您所在的镇办"));
        assert_eq!(counts(&app).await, before);
        // Its own town's row alone goes in.
        let (status, report) = upload(&app, Some(&town), "/imports/households", XLSX, xlsx(&rows[..1])).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(counts(&app).await, (before.0 + 1, before.1 + 1));
        // A bureau that may only read identity may not import.
        let education = app.login("bureau_education").await;
        let (status, report) = upload(&app, Some(&education), "/imports/households?dryRun=true", XLSX, xlsx(&rows[..1])).await;
        assert_eq!(status, 403, "{report:#}");
        assert_eq!(report["errors"][0]["extensions"]["code"], "FORBIDDEN");
        // No token.
        let (status, report) = upload(&app, None, "/imports/households", XLSX, xlsx(&rows[..1])).await;
        assert_eq!(status, 401, "{report:#}");
    }
}

db_test! {
    async fn oversize_bodies_and_zip_bombs_are_refused_before_parsing(app) {
        let before = counts(&app).await;
        let oversize = vec![b'a'; 5 * 1024 * 1024 + 1];
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", "text/csv", oversize).await;
        assert_eq!(status, 413, "{report:#}");
        assert_eq!(report["errors"][0]["extensions"]["code"], "FILE_TOO_LARGE");

        // A real workbook whose zip directory declares a 2 GiB entry.
        let mut bomb = xlsx(&[person("HB-931", "HB-XZQ", "户主", "甲", &id("61020219800101123"), "有劳动能力", "未就业")]);
        let directory = bomb.windows(4).position(|window| window == b"PK\x01\x02").expect("a central directory");
        bomb[directory + 24..directory + 28].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        let (status, report) = upload(&app, Some(&app.token), "/imports/households?dryRun=true", XLSX, bomb).await;
        assert_eq!(status, 413, "{report:#}");
        assert_eq!(report["errors"][0]["extensions"]["code"], "FILE_TOO_LARGE");
        assert!(report["errors"][0]["message"].as_str().unwrap().contains("解压后"), "{report:#}");

        // Not a spreadsheet at all.
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", XLSX, b"PK\x03\x04 not a zip".to_vec()).await;
        assert_eq!(status, 400, "{report:#}");
        assert_eq!(report["errors"][0]["extensions"]["code"], "INVALID_FILE");
        assert_eq!(counts(&app).await, before);
    }
}

db_test! {
    async fn exports_keep_the_apis_scope_field_policy_and_masking_and_never_hold_formulas(app) {
        let rows = vec![
            person("HB-941", "HB-XZQ", "户主", "=1+1", &id("61020219800101123"), "有劳动能力", "未就业"),
            person("HB-941", "HB-XZQ", "子女", "+SUM(A1)", &id("61020220150101123"), "无劳动能力", "非劳动力"),
        ];
        let (status, report) = upload(&app, Some(&app.token), "/imports/households", XLSX, xlsx(&rows)).await;
        assert_eq!(status, 200, "{report:#}");
        let persons = app
            .graphql_ok("{ persons(first: 1) { totalCount } }", serde_json::json!({}))
            .await["persons"]["totalCount"]
            .as_i64()
            .unwrap();

        // Education reads identity but neither id_number nor employment.
        let education = app.login("bureau_education").await;
        let sheet = export(&app, &education, "/exports/persons.xlsx").await;
        assert_eq!(sheet.len() as i64 - 1, persons, "the rows the API lists");
        let id_column = column_of(&sheet, "身份证号");
        let labour_column = column_of(&sheet, "劳动能力");
        for row in &sheet[1..] {
            let shown = row[id_column].to_string();
            assert_eq!(shown.len(), 18);
            assert_eq!(&shown[6..14], "********", "{shown}");
            assert_eq!(row[labour_column], Data::String("无权限".into()));
        }
        let name_column = column_of(&sheet, "姓名");
        let formula = sheet.iter().find(|row| row[name_column] == *"=1+1").expect("the imported head");
        assert_eq!(formula[name_column], Data::String("=1+1".into()));
        assert!(sheet.iter().any(|row| row[name_column] == Data::String("+SUM(A1)".into())));

        // A town official: its own town's persons only, with labour facts it may read.
        let town = app.login("town_610202004").await;
        let sheet = export(&app, &town, "/exports/persons.xlsx").await;
        let town_column = column_of(&sheet, "镇办");
        assert!(sheet.len() > 1);
        assert!(sheet[1..].iter().all(|row| row[town_column] == *"王家河街道"));
        let expected = app
            .graphql_with(Some(&town), "{ persons(first: 1) { totalCount } }", serde_json::json!({}))
            .await["data"]["persons"]["totalCount"]
            .as_i64()
            .unwrap();
        assert_eq!(sheet.len() as i64 - 1, expected);
        assert!(!sheet.iter().any(|row| row[name_column] == *"=1+1"));
        let labour_column = column_of(&sheet, "劳动能力");
        assert!(sheet[1..].iter().all(|row| row[labour_column] != *"无权限"));

        // Households, filtered by the code prefix.
        let sheet = export(&app, &app.token, "/exports/households.xlsx?codePrefix=HB-941").await;
        assert_eq!(sheet.len(), 2);
        assert_eq!(sheet[1][column_of(&sheet, "户主")], Data::String("=1+1".into()));

        // No token: 401.
        let refused = app.http().get(app.url("/exports/persons.xlsx")).send().await.unwrap();
        assert_eq!(refused.status(), 401);
    }
}

db_test! {
    async fn the_labour_ledger_updates_registered_persons_all_or_nothing(app) {
        use sea_orm::{ConnectionTrait, Statement};
        let row = app
            .db
            .query_one(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT p.id AS id, p.id_number AS id_number, h.code AS code FROM person p \
                 JOIN household h ON h.id = p.household_id \
                 WHERE p.labour_capacity = 'full' AND p.employment_status = 'unemployed' \
                 AND p.archived_at IS NULL AND p.id NOT IN (SELECT person_id FROM employment_spell WHERE ends_on IS NULL) \
                 ORDER BY p.id LIMIT 1",
            ))
            .await
            .unwrap()
            .expect("an unemployed demo person with labour");
        let person_id: i64 = row.try_get("", "id").unwrap();
        let id_number: String = row.try_get("", "id_number").unwrap();
        let code: String = row.try_get("", "code").unwrap();
        let header = "户编号,身份证号,劳动能力,就业状态,就业类型,就业单位\r\n";
        let hrss = app.login("bureau_hrss").await;
        let spells = app.count_rows("employment_spell").await;

        // One clean row and one unknown person: nothing is written.
        let file = format!("{header}{code},{id_number},有劳动能力,已就业,社区工厂,=HYPERLINK(\"x\")\r\n,{},有劳动能力,未就业,,\r\n", id("61020219800101123"));
        let (status, report) = upload(&app, Some(&hrss), "/imports/labour", "text/csv", file.into_bytes()).await;
        assert_eq!(status, 422, "{report:#}");
        assert_eq!(cells(&report), vec![(3, "身份证号".to_string())]);
        assert_eq!(app.count_rows("employment_spell").await, spells);

        let file = format!("{header}{code},{id_number},有劳动能力,已就业,社区工厂,某社区工厂\r\n");
        let (status, report) = upload(&app, Some(&hrss), "/imports/labour?dryRun=true", "text/csv", file.clone().into_bytes()).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(app.count_rows("employment_spell").await, spells);
        let (status, report) = upload(&app, Some(&hrss), "/imports/labour", "text/csv", file.into_bytes()).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(report["updated"]["persons"], 1);
        assert_eq!(report["updated"]["employmentSpells"], 1);
        assert_eq!(app.count_rows("employment_spell").await, spells + 1);
        let status_now: String = app
            .db
            .query_one(Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT employment_status FROM person WHERE id = {person_id}"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "employment_status")
            .unwrap();
        assert_eq!(status_now, "employed");

        // Education may not write the employment domain.
        let education = app.login("bureau_education").await;
        let (status, _) = upload(&app, Some(&education), "/imports/labour?dryRun=true", "text/csv", header.as_bytes().to_vec()).await;
        assert_eq!(status, 403);
    }
}

db_test! {
    async fn the_schooling_ledger_transfers_regrades_and_closes_enrolments(app) {
        use sea_orm::{ConnectionTrait, Statement};
        let rows = app
            .db
            .query_all(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT p.id_number AS id_number, s.code AS code, e.grade AS grade FROM school_enrolment e \
                 JOIN person p ON p.id = e.person_id JOIN school s ON s.id = e.school_id \
                 WHERE e.status = 'enrolled' AND s.code <> 'SCH-WJH-N' ORDER BY e.id LIMIT 2",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "two enrolled demo children");
        let child = |n: usize, column: &str| -> String { rows[n].try_get("", column).unwrap() };
        let grade: i32 = rows[1].try_get("", "grade").unwrap();
        let education = app.login("bureau_education").await;
        let enrolments = app.count_rows("school_enrolment").await;
        let header = "身份证号,学校代码,年级,在学状态\r\n";
        // Child 1 moves to the nine-year school (籍随人走); child 2 moves up a grade in place.
        let file = format!(
            "{header}{},SCH-WJH-N,7,在读\r\n{},{},{},在读\r\n",
            child(0, "id_number"),
            child(1, "id_number"),
            child(1, "code"),
            (grade + 1).min(12)
        );
        // With an unregistered child in a third row, nothing is written.
        let bad = format!("{file}{},NO-SCHOOL,3,在读\r\n", id("61020220150101123"));
        let (status, report) = upload(&app, Some(&education), "/imports/schooling", "text/csv", bad.into_bytes()).await;
        assert_eq!(status, 422, "{report:#}");
        assert_eq!(cells(&report), vec![(4, "身份证号".to_string())]);
        assert_eq!(app.count_rows("school_enrolment").await, enrolments);

        let (status, report) = upload(&app, Some(&education), "/imports/schooling", "text/csv", file.into_bytes()).await;
        assert_eq!(status, 200, "{report:#}");
        assert_eq!(report["created"]["enrolments"], 1);
        assert_eq!(report["updated"]["enrolments"], 2, "the transfer-out and the regrade");
        assert_eq!(app.count_rows("school_enrolment").await, enrolments + 1);

        // HR&SS may not write the education domain.
        let hrss = app.login("bureau_hrss").await;
        let (status, _) = upload(&app, Some(&hrss), "/imports/schooling?dryRun=true", "text/csv", header.as_bytes().to_vec()).await;
        assert_eq!(status, 403);
    }
}
