//! Decisions and their failures: 采纳 / 退回 (or 批准 / 驳回) with the comment a refusal needs,
//! and the error of a failed action under a Chinese heading.

use leptos::prelude::*;

use crate::api::ApiError;

/// An action that failed, with the heading to show it under (提交失败, 上传失败 …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub heading: &'static str,
    pub error: ApiError,
}

impl Failure {
    pub fn new(heading: &'static str, error: ApiError) -> Self {
        Failure { heading, error }
    }
}

/// Shows the failure in `failure`, if any.
pub fn failure_view(failure: Signal<Option<Failure>>) -> impl IntoView {
    move || {
        failure
            .get()
            .map(|Failure { heading, error }| view! { <ActionError error heading /> })
    }
}

/// A failed action: the Chinese heading, then the server's message and its code.
#[component]
pub fn ActionError(
    error: ApiError,
    #[prop(default = "提交失败")] heading: &'static str,
) -> impl IntoView {
    let code = error.code().map(str::to_owned);
    let detail = match &error {
        ApiError::GraphQl { .. } => format!("{}：{error}", error.title()),
        _ => error.to_string(),
    };
    view! {
        <div class="form-error action-error" role="alert" data-testid="action-error">
            <p class="error-title" data-testid="action-error-title">{heading}</p>
            <p class="error-detail" data-testid="action-error-message">{detail}</p>
            {code
                .map(|code| {
                    view! {
                        <p class="error-code">
                            "错误代码：" <code data-testid="action-error-code">{code}</code>
                        </p>
                    }
                })}
        </div>
    }
}

/// Accept and refuse buttons; refusing first asks what must change (required).
#[component]
pub fn DecisionButtons(
    /// 采纳 or 批准.
    accept_label: &'static str,
    /// 退回 or 驳回.
    refuse_label: &'static str,
    /// What the comment box asks for.
    comment_label: &'static str,
    /// Prefix of the test ids (`review` → `review-accept`, `review-refuse` …).
    testid: &'static str,
    #[prop(into)] busy: Signal<bool>,
    /// Runs with (accepted?, comment).
    on_decide: Callback<(bool, String)>,
) -> impl IntoView {
    let refusing = RwSignal::new(false);
    let comment = RwSignal::new(String::new());
    let missing_comment = RwSignal::new(false);
    let confirm_refusal = move |_| {
        let text = comment.get_untracked().trim().to_owned();
        if text.is_empty() {
            missing_comment.set(true);
            return;
        }
        missing_comment.set(false);
        on_decide.run((false, text));
    };
    view! {
        <div class="decision">
            <Show
                when=move || refusing.get()
                fallback=move || {
                    view! {
                        <div class="decision-buttons">
                            <button
                                type="button"
                                class="button button-small"
                                data-testid=format!("{testid}-accept")
                                disabled=move || busy.get()
                                on:click=move |_| on_decide.run((true, String::new()))
                            >
                                {accept_label}
                            </button>
                            <button
                                type="button"
                                class="button button-small button-secondary"
                                data-testid=format!("{testid}-refuse")
                                disabled=move || busy.get()
                                on:click=move |_| refusing.set(true)
                            >
                                {refuse_label}
                            </button>
                        </div>
                    }
                }
            >
                <label class="field">
                    <span class="field-label">{comment_label}</span>
                    <textarea
                        rows="3"
                        maxlength="500"
                        data-testid=format!("{testid}-comment")
                        prop:value=move || comment.get()
                        on:input=move |event| comment.set(event_target_value(&event))
                    ></textarea>
                </label>
                {move || {
                    missing_comment
                        .get()
                        .then(|| view! { <p class="form-error">"请填写意见"</p> })
                }}
                <div class="decision-buttons">
                    <button
                        type="button"
                        class="button button-small button-danger"
                        data-testid=format!("{testid}-confirm-refuse")
                        disabled=move || busy.get()
                        on:click=confirm_refusal
                    >
                        "确认" {refuse_label}
                    </button>
                    <button
                        type="button"
                        class="button button-small button-secondary"
                        disabled=move || busy.get()
                        on:click=move |_| refusing.set(false)
                    >
                        "取消"
                    </button>
                </div>
            </Show>
        </div>
    }
}
