//! The assessment ranking as a horizontal bar chart (plain HTML and CSS): rank (ties as 并列),
//! unit, score. Tapping a bar opens the unit's breakdown: each indicator's points out of its
//! maximum, why, the records that failed it, and the deductions.

use leptos::prelude::*;

use crate::api::model::{
    AssessedUnit, AssessmentMethod, AssessmentPublication, Deduction, FailedRecord, IndicatorScore,
};
use crate::dates::format_instant;

/// 第2名, 并列第2名, or 不参与排名.
fn rank_label(unit: &AssessedUnit) -> String {
    match unit.rank {
        Some(rank) if !unit.tied_with.is_empty() => format!("并列第{rank}名"),
        Some(rank) => format!("第{rank}名"),
        None => "不参与排名".to_owned(),
    }
}

/// The bar's length in percent: the special percentage as the server wrote it (`69.13`), held
/// within 0–100 (read as text: no float code in the wasm for drawing a bar).
fn bar_width(percent: Option<&str>) -> &str {
    let Some(percent) = percent else {
        return "0";
    };
    let whole = percent
        .split('.')
        .next()
        .and_then(|whole| whole.parse::<i64>().ok());
    match whole {
        Some(whole) if whole >= 100 => "100",
        Some(whole) if whole >= 0 && !percent.starts_with('-') => percent,
        _ => "0",
    }
}

#[component]
pub fn RankingChart(
    units: Vec<AssessedUnit>,
    /// What the chart ranks, for screen readers (区级部门 / 镇办).
    label: &'static str,
) -> impl IntoView {
    if units.is_empty() {
        return view! { <p class="empty">"暂无考核结果"</p> }.into_any();
    }
    let open = RwSignal::new(None::<String>);
    let rows = units
        .into_iter()
        .map(|unit| {
            let key = format!("{}:{}", unit.kind.label(), unit.code);
            let toggle_key = key.clone();
            let is_open = {
                let key = key.clone();
                Memo::new(move |_| open.read().as_deref() == Some(key.as_str()))
            };
            let width = format!("width: {}%", bar_width(unit.special_percent.as_deref()));
            let percent = unit
                .special_percent
                .clone()
                .unwrap_or_else(|| "—".to_owned());
            let tied = !unit.tied_with.is_empty();
            let tie = unit.tie_explanation.clone().map(|text| {
                view! { <span class="rank-tie" data-testid="rank-tie">{text}</span> }
            });
            let breakdown = StoredValue::new(unit.clone());
            view! {
                <li class="rank-row" data-testid="rank-row" data-unit=unit.code.clone()>
                    <button
                        type="button"
                        class="rank-bar-button"
                        class:rank-tied=tied
                        data-testid="rank-bar"
                        aria-expanded=move || is_open.get().to_string()
                        on:click=move |_| {
                            open.update(|open| {
                                *open = if open.as_deref() == Some(toggle_key.as_str()) {
                                    None
                                } else {
                                    Some(toggle_key.clone())
                                };
                            })
                        }
                    >
                        <span class="rank-label" data-testid="rank-label">{rank_label(&unit)}</span>
                        <span class="rank-unit" data-testid="rank-unit">{unit.short_name.clone()}</span>
                        <span class="rank-score">
                            <span data-testid="rank-percent">{percent}</span>
                            "%"
                        </span>
                        <span class="rank-track" aria-hidden="true">
                            <span class="rank-fill" style=width></span>
                        </span>
                        <span class="rank-points">
                            {unit.special_points.clone()} " / " {unit.special_max_points.clone()} " 分"
                        </span>
                        {tie}
                    </button>
                    <Show when=move || is_open.get()>
                        <UnitBreakdown unit=breakdown.get_value() />
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="ranking" aria-label=label data-testid="ranking">
            {rows}
        </ol>
    }
    .into_any()
}

/// Where a failed record is shown in the app, if it has a page.
fn record_href(record: &FailedRecord) -> Option<String> {
    let id = record.record_id.as_deref()?;
    match record.kind.as_str() {
        "task" => Some(format!("/tasks/{id}")),
        "household" => Some(format!("/households/{id}")),
        _ => None,
    }
}

fn failed_record_view(record: FailedRecord) -> impl IntoView {
    let label = record.label.clone();
    match record_href(&record) {
        Some(href) => view! {
            <li data-testid="failed-record">
                <a href=href>{label}</a>
            </li>
        }
        .into_any(),
        None => view! { <li data-testid="failed-record">{label}</li> }.into_any(),
    }
}

fn indicator_view(indicator: IndicatorScore) -> impl IntoView {
    let evidence = indicator.evidence.map(|evidence| {
        let listed = evidence.failed.len() as i64;
        let more = (evidence.failed_total > listed).then(|| {
            view! {
                <p class="muted">{format!("另有 {} 条未列出", evidence.failed_total - listed)}</p>
            }
        });
        let failed = (!evidence.failed.is_empty()).then(|| {
            let items = evidence
                .failed
                .into_iter()
                .map(failed_record_view)
                .collect_view();
            view! {
                <p class="evidence-title">{format!("未达标 {} 条：", evidence.failed_total)}</p>
                <ul class="failed-records" data-testid="failed-records">{items}</ul>
                {more}
            }
        });
        view! {
            <p class="evidence-counts" data-testid="indicator-evidence">
                "达标 " {evidence.passed} " / " {evidence.applicable} "（" {evidence.counted} "）"
            </p>
            {failed}
        }
    });
    let manual = indicator.manual_score.map(|score| {
        let by = score
            .scored_by
            .map(|by| format!("，{by}"))
            .unwrap_or_default();
        view! {
            <p class="muted">
                "评分理由：" {score.reason} "（" {format_instant(&score.scored_at)} {by} "）"
            </p>
        }
    });
    let unscored = (indicator.method == AssessmentMethod::Manual && !indicator.scored)
        .then(|| view! { <span class="tag tag-warn">"未评分，按 0 分计"</span> });
    let deducted = (indicator.deducted_points != "0.00").then(|| {
        view! {
            <span class="tag tag-warn">
                {format!("得 {} 分，扣 {} 分", indicator.earned_points, indicator.deducted_points)}
            </span>
        }
    });
    view! {
        <li class="indicator" data-testid="breakdown-indicator" data-code=indicator.code.clone()>
            <p class="indicator-head">
                <strong data-testid="indicator-name">{indicator.name}</strong>
                <span class="indicator-points">
                    <span data-testid="indicator-points">{indicator.points}</span>
                    " / "
                    <span data-testid="indicator-max">{indicator.max_points}</span>
                    " 分"
                </span>
            </p>
            <p class="muted">{indicator.clause_ref} " · " {indicator.method.label()} {unscored} {deducted}</p>
            <p class="indicator-explanation" data-testid="indicator-explanation">{indicator.explanation}</p>
            {evidence}
            {manual}
        </li>
    }
}

fn deduction_view(deduction: Deduction, indicators: &[IndicatorScore]) -> impl IntoView {
    let target = match deduction.indicator_code.as_deref() {
        Some(code) => indicators
            .iter()
            .find(|indicator| indicator.code == code)
            .map_or_else(|| code.to_owned(), |indicator| indicator.name.clone()),
        None => "专项考核总分".to_owned(),
    };
    let by = deduction
        .decided_by
        .map(|by| format!(" · {by}"))
        .unwrap_or_default();
    view! {
        <li class="deduction" data-testid="deduction">
            <p class="indicator-head">
                <strong>{format!("扣 {} 分", deduction.points)}</strong>
                <span class="muted">{target}</span>
            </p>
            <p>{deduction.reason}</p>
            {deduction.finding.map(|finding| view! { <p class="muted">"督查发现：" {finding}</p> })}
            <p class="muted">{deduction.decided_on} {by}</p>
        </li>
    }
}

/// One unit's breakdown.
#[component]
pub fn UnitBreakdown(unit: AssessedUnit) -> impl IntoView {
    let special_percent = unit
        .special_percent
        .clone()
        .map(|percent| format!("（得分率 {percent}%）"))
        .unwrap_or_default();
    let incomplete = unit.composite_incomplete.then(|| {
        let reasons = unit
            .incomplete_reasons
            .iter()
            .map(|reason| view! { <li>{reason.clone()}</li> })
            .collect_view();
        view! {
            <div class="form-notice incomplete">
                <p>"综合得分不完整（为下限）："</p>
                <ul>{reasons}</ul>
            </div>
        }
    });
    let components = unit
        .components
        .iter()
        .map(|component| {
            let percent = component
                .percent
                .clone()
                .map(|percent| format!("{percent}%"))
                .unwrap_or_else(|| "不适用".to_owned());
            view! {
                <tr>
                    <td data-label="组成部分">
                        {component.name.clone()}
                        {component.is_follow_up_support.then(|| view! { <span class="tag">"后续扶持"</span> })}
                    </td>
                    <td data-label="权重">{component.weight_percent.clone()} "%"</td>
                    <td data-label="得分">{component.points.clone()} " / " {component.max_points.clone()}</td>
                    <td data-label="得分率">{percent}</td>
                </tr>
            }
        })
        .collect_view();
    let deductions = (!unit.deductions.is_empty()).then(|| {
        let items = unit
            .deductions
            .iter()
            .cloned()
            .map(|deduction| deduction_view(deduction, &unit.indicators))
            .collect_view();
        view! {
            <h4 class="breakdown-title">"扣分"</h4>
            <ul class="indicator-list">{items}</ul>
        }
    });
    let indicators = unit
        .indicators
        .iter()
        .cloned()
        .map(indicator_view)
        .collect_view();
    view! {
        <div class="breakdown" data-testid="breakdown">
            <p class="breakdown-summary">
                <strong>{unit.name.clone()}</strong>
                "　专项得分 "
                <span data-testid="breakdown-special-points">{unit.special_points.clone()}</span>
                " / " {unit.special_max_points.clone()} " 分" {special_percent}
                "；综合得分 " <span data-testid="breakdown-composite">{unit.composite_percent.clone()}</span> "%"
            </p>
            {(unit.special_deducted_points != "0.00").then(|| view! {
                <p class="muted">{format!("专项总分另扣 {} 分", unit.special_deducted_points)}</p>
            })}
            {incomplete}
            <table class="component-table">
                <thead>
                    <tr>
                        <th scope="col">"组成部分"</th>
                        <th scope="col">"权重"</th>
                        <th scope="col">"得分"</th>
                        <th scope="col">"得分率"</th>
                    </tr>
                </thead>
                <tbody>{components}</tbody>
            </table>
            <h4 class="breakdown-title">"指标得分"</h4>
            <ul class="indicator-list">{indicators}</ul>
            {deductions}
        </div>
    }
}

/// The published reports (通报), each with its .xlsx download.
#[component]
pub fn PublicationList(
    publications: Vec<AssessmentPublication>,
    #[prop(into)] busy: Signal<bool>,
    on_download: Callback<AssessmentPublication>,
) -> impl IntoView {
    if publications.is_empty() {
        return view! { <p class="empty" data-testid="publications-empty">"尚未发布考核通报"</p> }
            .into_any();
    }
    let items = publications
        .into_iter()
        .map(|publication| {
            let by = publication
                .published_by
                .clone()
                .map(|by| format!(" · {by}"))
                .unwrap_or_default();
            let title = publication.title.clone();
            let meta = format!(
                "{} 年度 · 数据截至 {} · 发布于 {}{by}",
                publication.year,
                publication.as_of,
                format_instant(&publication.published_at)
            );
            view! {
                <li class="card publication" data-testid="publication">
                    <p class="publication-title" data-testid="publication-title">{title}</p>
                    <p class="muted">{meta}</p>
                    <button
                        type="button"
                        class="button button-small"
                        data-testid="publication-download"
                        disabled=move || busy.get()
                        on:click=move |_| on_download.run(publication.clone())
                    >
                        "下载 Excel"
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="card-list publications" data-testid="publications">{items}</ul> }.into_any()
}
