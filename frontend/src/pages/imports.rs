//! `/imports` 数据导入: pick what to import, download its template (.xlsx or .csv), pick the
//! filled-in file, 校验 (a dry run: the server checks every row and writes nothing), then 导入.
//! The upload's progress shows as a bar; the server's report lists every error by row and
//! column. Imports are all-or-nothing: with any error, nothing is written.

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ImportKind, ImportReport};
use crate::components::{failure_view, Failure, ImportReportView, NoAccess, UploadProgress};
use crate::dates;

/// Which file a clean dry run was for: the kind, and the file's name, size and change time.
#[derive(Debug, Clone, PartialEq)]
struct CheckedFile {
    kind: ImportKind,
    name: String,
    size: f64,
    last_modified: f64,
}

impl CheckedFile {
    fn of(kind: ImportKind, file: &web_sys::File) -> CheckedFile {
        CheckedFile {
            kind,
            name: file.name(),
            size: file.size(),
            last_modified: file.last_modified(),
        }
    }
}

/// The kinds the user's roles may import.
fn importable_kinds() -> Vec<ImportKind> {
    let Some(me) = api::signed_in_user() else {
        return Vec::new();
    };
    ImportKind::ALL
        .into_iter()
        .filter(|kind| {
            kind.write_domains()
                .iter()
                .all(|domain| me.can_write(domain))
        })
        .collect()
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    super::set_page_title("数据导入");
    let allowed = importable_kinds();
    // `?kind=labour` opens the page on that kind (when the user may import it).
    let asked = use_query_map()
        .get_untracked()
        .get("kind")
        .and_then(|code| ImportKind::from_code(&code))
        .filter(|kind| allowed.contains(kind));
    let Some(first) = asked.or_else(|| allowed.first().copied()) else {
        return view! {
            <h1 class="page-title">"数据导入"</h1>
            <NoAccess
                title="无权限导入"
                what="数据导入仅限可维护搬迁户名册、劳动力台账或学籍台账的单位使用。"
            />
        }
        .into_any();
    };
    view! {
        <h1 class="page-title">"数据导入"</h1>
        <p class="page-lead">
            "下载模板，按模板填写后选择文件：先“校验”，无误后再“导入”。"
        </p>
        <ImportForm allowed first />
    }
    .into_any()
}

#[component]
fn ImportForm(allowed: Vec<ImportKind>, first: ImportKind) -> impl IntoView {
    let kind = RwSignal::new(first);
    let file_input = NodeRef::<html::Input>::new();
    // The chosen file's name and size, for the line under the picker.
    let chosen = RwSignal::new(None::<(String, f64)>);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(None::<(f64, f64)>);
    let report = RwSignal::new(None::<(ImportKind, ImportReport)>);
    let checked = RwSignal::new(None::<CheckedFile>);
    let problem = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<Failure>);
    let download_failure = RwSignal::new(None::<Failure>);

    let forget_results = move || {
        report.set(None);
        checked.set(None);
        problem.set(None);
        failure.set(None);
    };
    let selected_file = move || {
        file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
    };
    let on_file_change = move |_| {
        forget_results();
        chosen.set(selected_file().map(|file| (file.name(), file.size())));
    };

    // Sends the chosen file: a dry run (校验) or the import itself (导入).
    let send = move |dry_run: bool| {
        if busy.get_untracked() {
            return;
        }
        let Some(file) = selected_file() else {
            problem.set(Some("请先选择要导入的文件".to_owned()));
            return;
        };
        if let Some(reason) = api::import_file_problem(&file) {
            problem.set(Some(reason));
            return;
        }
        let kind_now = kind.get_untracked();
        let this_file = CheckedFile::of(kind_now, &file);
        if !dry_run && checked.get_untracked().as_ref() != Some(&this_file) {
            problem.set(Some("请先校验该文件，校验通过后才能导入".to_owned()));
            return;
        }
        problem.set(None);
        failure.set(None);
        report.set(None);
        busy.set(true);
        progress.set(Some((0.0, file.size())));
        leptos::task::spawn_local(async move {
            let answer = api::upload_import(kind_now, &file, dry_run, move |sent, total| {
                progress.try_set(Some((sent, total)));
            })
            .await;
            match answer {
                Ok(answer) => {
                    let clean = answer.error_count == 0;
                    if dry_run && clean {
                        checked.try_set(Some(this_file));
                    } else {
                        checked.try_set(None);
                    }
                    if !dry_run && answer.written {
                        // Imported: the file is done with; a second click must not import it again.
                        if let Some(input) = file_input.get_untracked() {
                            input.set_value("");
                        }
                        chosen.try_set(None);
                    }
                    report.try_set(Some((kind_now, answer)));
                }
                Err(error) => {
                    checked.try_set(None);
                    let heading = if dry_run {
                        "校验失败"
                    } else {
                        "导入失败"
                    };
                    failure.try_set(Some(Failure::new(heading, error)));
                }
            }
            progress.try_set(None);
            busy.try_set(false);
        });
    };

    let kind_options = ImportKind::ALL
        .into_iter()
        .map(|option| {
            let permitted = allowed.contains(&option);
            let id = format!("import-kind-{}", option.code());
            view! {
                <li class="import-kind">
                    <input
                        type="radio"
                        name="import-kind"
                        id=id.clone()
                        value=option.code()
                        data-testid=id.clone()
                        disabled=move || !permitted || busy.get()
                        prop:checked=move || kind.get() == option
                        on:change=move |_| {
                            if kind.get_untracked() != option {
                                kind.set(option);
                                forget_results();
                            }
                        }
                    />
                    <label for=id>
                        <span class="import-kind-name">{option.label()}</span>
                        <span class="import-kind-text">
                            {if permitted { option.description() } else { "您的角色无权导入此类数据" }}
                        </span>
                    </label>
                </li>
            }
        })
        .collect_view();

    let download = move |extension: &'static str| {
        download_failure.set(None);
        let kind_now = kind.get_untracked();
        leptos::task::spawn_local(async move {
            if let Err(error) = api::download_import_template(kind_now, extension).await {
                download_failure.try_set(Some(Failure::new("模板下载失败", error)));
            }
        });
    };

    let may_import = move || {
        let Some(checked) = checked.get() else {
            return false;
        };
        checked.kind == kind.get()
            && chosen.with(|chosen| {
                chosen
                    .as_ref()
                    .is_some_and(|(name, size)| *name == checked.name && *size == checked.size)
            })
    };
    let chosen_line = move || {
        chosen.get().map(|(name, size)| {
            view! {
                <p class="form-hint import-chosen" data-testid="import-chosen">
                    "已选择：" {name} "（" {dates::format_size(size as i64)} "）"
                </p>
            }
        })
    };

    view! {
        <section class="card import-step" aria-labelledby="import-step-kind">
            <h2 class="import-step-title" id="import-step-kind">"1. 选择导入内容"</h2>
            <fieldset class="import-kinds">
                <legend class="import-legend">"导入内容"</legend>
                <ul>{kind_options}</ul>
            </fieldset>
        </section>
        <section class="card import-step" aria-labelledby="import-step-template">
            <h2 class="import-step-title" id="import-step-template">"2. 下载模板并填写"</h2>
            <p class="muted">
                "模板第一行为表头，带 * 的列必填；Excel 模板的“填写说明”表列出每列的要求与示例。"
                "身份证号、电话请按文本填写。"
            </p>
            <div class="decision-buttons">
                <button
                    type="button"
                    class="button button-small button-secondary"
                    data-testid="template-xlsx"
                    on:click=move |_| download("xlsx")
                >
                    {move || format!("下载{} Excel 模板", kind.get().label())}
                </button>
                <button
                    type="button"
                    class="button button-small button-secondary"
                    data-testid="template-csv"
                    on:click=move |_| download("csv")
                >
                    "下载 CSV 模板"
                </button>
            </div>
            {failure_view(download_failure.into())}
        </section>
        <section class="card import-step" aria-labelledby="import-step-file">
            <h2 class="import-step-title" id="import-step-file">"3. 选择文件，先校验再导入"</h2>
            <label class="field" for="import-file">
                <span class="field-label">"导入文件（.xlsx 或 .csv，不超过 5 MB、20000 行）"</span>
                <input
                    type="file"
                    id="import-file"
                    accept=api::IMPORT_ACCEPT
                    data-testid="import-file"
                    node_ref=file_input
                    disabled=move || busy.get()
                    on:change=on_file_change
                />
            </label>
            {chosen_line}
            <p class="form-hint import-rule">
                "全部导入或全部不导入：文件中只要有一行有错，整个文件都不会导入。"
            </p>
            <div class="decision-buttons import-actions">
                <button
                    type="button"
                    class="button"
                    data-testid="import-check"
                    disabled=move || busy.get()
                    on:click=move |_| send(true)
                >
                    "校验"
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="import-commit"
                    disabled=move || busy.get() || !may_import()
                    title="校验通过后才能导入"
                    on:click=move |_| send(false)
                >
                    "导入"
                </button>
            </div>
            {move || problem.get().map(|text| view! { <p class="form-error" role="alert" data-testid="import-problem">{text}</p> })}
            <div class="import-result" aria-live="polite" data-testid="import-result">
                <UploadProgress progress />
                {move || report.get().map(|(kind, report)| view! { <ImportReportView kind report /> })}
            </div>
            {failure_view(failure.into())}
        </section>
    }
}
