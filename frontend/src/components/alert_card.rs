//! One alert of the feed: the rule and its clause, what is wrong, who must act, where and whom
//! it concerns (with links), when it was raised and resolved, and 标记已处理 where allowed.

use leptos::prelude::*;

use super::{failure_view, Failure, Forbidden};
use crate::api::{model::Guarded, unit_label, Alert, AlertSubject};
use crate::dates;

/// The Chinese name and CSS class of a severity (`CRITICAL` …).
fn severity_tag(severity: &str) -> (&'static str, &'static str) {
    match severity {
        "CRITICAL" => ("严重", "tag tag-warn"),
        "INFO" => ("提示", "tag tag-muted"),
        _ => ("预警", "tag tag-pending"),
    }
}

/// How the user may close an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertResolution {
    /// The user may mark it 已处理 with a note.
    Manual,
    /// A person may close it, but not this user (who holds no write right on its data).
    Restricted,
    /// Only the data closes it (or it is closed already).
    Automatic,
}

/// A site or household, linked to its page.
fn subject_link(subject: AlertSubject, path: &'static str, testid: &'static str) -> AnyView {
    let href = format!("{path}/{}", subject.id);
    match subject.label {
        Guarded::Shown(label) => view! { <a href=href data-testid=testid>{label}</a> }.into_any(),
        Guarded::NotRecorded => view! { <a href=href data-testid=testid>"查看"</a> }.into_any(),
        Guarded::Forbidden => view! { <Forbidden testid /> }.into_any(),
    }
}

#[component]
pub fn AlertCard(
    alert: Alert,
    resolution: AlertResolution,
    /// While this alert's resolution is being sent.
    #[prop(into)]
    busy: Signal<bool>,
    /// Why the last attempt to resolve it failed.
    #[prop(into)]
    failure: Signal<Option<Failure>>,
    /// Runs with (alert id, note).
    on_resolve: Callback<(String, String)>,
) -> impl IntoView {
    let (severity_label, severity_class) = severity_tag(&alert.severity);
    let open = alert.is_open();
    let item_class = match (open, alert.severity.as_str()) {
        (false, _) => "card alert-card alert-resolved",
        (true, "CRITICAL") => "card alert-card alert-critical",
        (true, _) => "card alert-card",
    };
    let state_tag = if open {
        view! { <span class="tag tag-pending" data-testid="alert-state">"未处理"</span> }.into_any()
    } else {
        view! { <span class="tag" data-testid="alert-state">"已解除"</span> }.into_any()
    };
    let owner = alert
        .owning_bureau
        .as_ref()
        // A task a town is responsible for has no bureau: the town acts.
        .or(alert.town.as_ref())
        .map(unit_label);
    let town = alert.town.as_ref().map(unit_label);
    let site = alert
        .site
        .clone()
        .map(|site| subject_link(site, "/sites", "alert-site"));
    let household = alert
        .household
        .clone()
        .map(|household| subject_link(household, "/households", "alert-household"));
    let person = alert.person.clone().map(|person| match person {
        Guarded::Shown(name) => view! { <span data-testid="alert-person">{name}</span> }.into_any(),
        Guarded::NotRecorded => {
            view! { <span class="not-recorded" data-testid="alert-person">"—"</span> }.into_any()
        }
        Guarded::Forbidden => view! { <Forbidden testid="alert-person" /> }.into_any(),
    });
    let task = alert.task_id.clone().map(|id| {
        view! { <a href=format!("/tasks/{id}") data-testid="alert-task">"查看任务"</a> }
    });
    let resolved = alert.resolved_at.clone().map(|at| {
        let how = if alert.resolved_by_hand {
            "人工处理"
        } else {
            "数据更新后自动解除"
        };
        view! {
            <div>
                <dt>"解除时间"</dt>
                <dd>
                    <span data-testid="alert-resolved-at">{dates::format_instant(&at)}</span>
                    " · " {how}
                </dd>
            </div>
        }
    });
    let note = alert.resolution_note.clone().map(|note| {
        view! {
            <div>
                <dt>"处理情况"</dt>
                <dd class="alert-note" data-testid="alert-resolution-note">{note}</dd>
            </div>
        }
    });
    let action = match (open, resolution) {
        (true, AlertResolution::Manual) => {
            view! { <ResolveForm alert_id=alert.id.clone() busy failure on_resolve /> }.into_any()
        }
        (true, AlertResolution::Restricted) => view! {
            <p class="alert-hint" data-testid="alert-hint">
                "此类预警可由党建数据维护单位（区委组织部或所在镇办）填写处理情况后标记已处理。"
            </p>
        }
        .into_any(),
        (true, AlertResolution::Automatic) => view! {
            <p class="alert-hint" data-testid="alert-hint">
                "数据更新、不再违反规定后自动解除，无需手动处理。"
            </p>
        }
        .into_any(),
        (false, _) => ().into_any(),
    };
    view! {
        <li
            class=item_class
            data-testid="alert-item"
            data-alert-id=alert.id.clone()
            data-rule=alert.rule.clone()
        >
            <p class="alert-head">
                <span class=severity_class data-testid="alert-severity">{severity_label}</span>
                {state_tag}
                <span class="alert-rule" data-testid="alert-rule">{alert.rule_label.clone()}</span>
                <span class="alert-clause">
                    "依据 " <span data-testid="alert-clause">{alert.clause.clone()}</span>
                </span>
            </p>
            <p class="alert-message" data-testid="alert-message">{alert.message.clone()}</p>
            <dl class="facts alert-facts">
                {owner.map(|owner| view! {
                    <div>
                        <dt>"责任单位"</dt>
                        <dd data-testid="alert-owner">{owner}</dd>
                    </div>
                })}
                {town.map(|town| view! {
                    <div>
                        <dt>"所属镇办"</dt>
                        <dd data-testid="alert-town">{town}</dd>
                    </div>
                })}
                {site.map(|site| view! {
                    <div>
                        <dt>"安置点"</dt>
                        <dd>{site}</dd>
                    </div>
                })}
                {household.map(|household| view! {
                    <div>
                        <dt>"搬迁户"</dt>
                        <dd>{household}</dd>
                    </div>
                })}
                {person.map(|person| view! {
                    <div>
                        <dt>"人员"</dt>
                        <dd>{person}</dd>
                    </div>
                })}
                {task.map(|task| view! {
                    <div>
                        <dt>"责任任务"</dt>
                        <dd>{task}</dd>
                    </div>
                })}
                <div>
                    <dt>"发现时间"</dt>
                    <dd data-testid="alert-raised-at">{dates::format_instant(&alert.raised_at)}</dd>
                </div>
                {resolved}
                {note}
            </dl>
            {action}
        </li>
    }
}

/// 标记已处理, then the note (required) and 确认 / 取消.
#[component]
fn ResolveForm(
    alert_id: String,
    busy: Signal<bool>,
    failure: Signal<Option<Failure>>,
    on_resolve: Callback<(String, String)>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let missing_note = RwSignal::new(false);
    let field_id = format!("resolve-note-{alert_id}");
    let alert_id = StoredValue::new(alert_id);
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let text = note.get_untracked().trim().to_owned();
        if text.is_empty() {
            missing_note.set(true);
            return;
        }
        missing_note.set(false);
        on_resolve.run((alert_id.get_value(), text));
    };
    let label_for = field_id.clone();
    view! {
        <div class="alert-resolve">
            <Show
                when=move || open.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button button-small"
                            data-testid="alert-resolve"
                            disabled=move || busy.get()
                            on:click=move |_| open.set(true)
                        >
                            "标记已处理"
                        </button>
                    }
                }
            >
                <form class="alert-resolve-form" on:submit=submit novalidate=true>
                    <label class="field" for=label_for.clone()>
                        <span class="field-label">"处理情况（必填）"</span>
                        <textarea
                            id=field_id.clone()
                            rows="3"
                            maxlength="1000"
                            required=true
                            aria-invalid=move || missing_note.get().to_string()
                            data-testid="alert-resolve-note"
                            prop:value=move || note.get()
                            on:input=move |event| note.set(event_target_value(&event))
                        ></textarea>
                    </label>
                    {move || {
                        missing_note
                            .get()
                            .then(|| {
                                view! {
                                    <p class="form-error" role="alert" data-testid="alert-resolve-missing">
                                        "请填写处理情况，例如如何约谈、整改或补做"
                                    </p>
                                }
                            })
                    }}
                    <div class="decision-buttons">
                        <button
                            type="submit"
                            class="button button-small"
                            data-testid="alert-resolve-confirm"
                            disabled=move || busy.get()
                        >
                            {move || if busy.get() { "正在提交…" } else { "确认已处理" }}
                        </button>
                        <button
                            type="button"
                            class="button button-small button-secondary"
                            disabled=move || busy.get()
                            on:click=move |_| open.set(false)
                        >
                            "取消"
                        </button>
                    </div>
                </form>
            </Show>
            {failure_view(failure)}
        </div>
    }
}
