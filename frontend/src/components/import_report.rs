//! The server's report on an imported (or checked) file: how many rows would be or were
//! imported, and every error by row and column, in Chinese.

use leptos::prelude::*;

use crate::api::{ImportKind, ImportReport};

/// What the rows did or would do, e.g. 新增搬迁户 2 户、人口 5 人.
fn effect_text(kind: ImportKind, report: &ImportReport) -> String {
    let created = report.created;
    let updated = report.updated;
    let verb = if report.written { "已" } else { "将" };
    match kind {
        ImportKind::Households => format!(
            "{verb}新增搬迁户 {} 户、人口 {} 人",
            created.households, created.persons
        ),
        ImportKind::Labour => {
            let mut text = format!("{verb}更新 {} 人的劳动力信息", updated.persons);
            if updated.employment_spells > 0 {
                text.push_str(&format!("，新增就业记录 {} 条", updated.employment_spells));
            }
            text
        }
        ImportKind::Schooling => format!(
            "{verb}新增学籍 {} 条、更新学籍 {} 条",
            created.enrolments, updated.enrolments
        ),
    }
}

/// How the file fared: 校验通过, 校验未通过, 导入成功, 导入未完成.
fn outcome_code(report: &ImportReport) -> &'static str {
    match (report.dry_run, report.error_count == 0) {
        (true, true) => "checked",
        (true, false) => "check-failed",
        (false, true) => "imported",
        (false, false) => "import-failed",
    }
}

#[component]
pub fn ImportReportView(kind: ImportKind, report: ImportReport) -> impl IntoView {
    let outcome = outcome_code(&report);
    let rows = report.rows;
    let error_count = report.error_count;
    let summary = match outcome {
        "checked" => view! {
            <p class="import-summary import-ok" data-testid="import-summary" data-outcome=outcome>
                <strong>"校验通过"</strong>
                "：文件共 " <span data-testid="import-row-count">{rows}</span> " 行数据，没有发现错误；"
                {effect_text(kind, &report)} "。这是校验，尚未写入任何数据，请点击“导入”正式导入。"
            </p>
        }
        .into_any(),
        "imported" => view! {
            <p class="import-summary import-ok" data-testid="import-summary" data-outcome=outcome>
                <strong>"导入成功"</strong>
                "：已导入 " <span data-testid="import-row-count">{rows}</span> " 行数据，"
                {effect_text(kind, &report)} "。"
            </p>
        }
        .into_any(),
        _ => {
            let heading = if report.dry_run {
                "校验未通过"
            } else {
                "导入未完成"
            };
            view! {
                <p class="import-summary import-failed" data-testid="import-summary" data-outcome=outcome>
                    <strong>{heading}</strong>
                    "：文件共 " <span data-testid="import-row-count">{rows}</span> " 行数据，发现 "
                    <span data-testid="import-error-count">{error_count}</span>
                    " 处错误。整个文件没有导入任何数据（只要有一行出错，全部不导入），请按下表修改后重新校验。"
                </p>
            }
            .into_any()
        }
    };
    let truncated = report.errors_truncated.then(|| {
        view! {
            <p class="form-hint">
                {format!("仅列出前 {} 处错误，请修改后再次校验查看其余错误。", report.errors.len())}
            </p>
        }
    });
    let table = (!report.errors.is_empty()).then(|| {
        let lines = report
            .errors
            .into_iter()
            .map(|error| {
                let row = if error.row == 0 {
                    "整个文件".to_owned()
                } else {
                    format!("第 {} 行", error.row)
                };
                view! {
                    <tr data-testid="import-error">
                        <td data-label="行" data-testid="import-error-row">{row}</td>
                        <td data-label="列" data-testid="import-error-column">{error.column}</td>
                        <td data-label="填写内容" class="mono" data-testid="import-error-value">{error.value}</td>
                        <td data-label="问题" data-testid="import-error-message">{error.message}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="import-errors" data-testid="import-errors">
                <caption>"错误明细（行号为表格中的行，第 1 行为表头）"</caption>
                <thead>
                    <tr>
                        <th scope="col">"行"</th>
                        <th scope="col">"列"</th>
                        <th scope="col">"填写内容"</th>
                        <th scope="col">"问题"</th>
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
            </table>
        }
    });
    view! {
        <div class="import-report" data-testid="import-report">
            {summary}
            {truncated}
            {table}
        </div>
    }
}
