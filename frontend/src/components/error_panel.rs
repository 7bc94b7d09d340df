//! The error state: what went wrong in Chinese first, then the server's message and code.

use leptos::error::Errors;
use leptos::prelude::*;

use crate::api::ApiError;

/// Renders the errors an `ErrorBoundary` caught.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let items = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| match error.downcast_ref::<ApiError>() {
                Some(api_error) => describe(api_error),
                None => ("出错了", error.to_string(), None),
            })
            .map(|(title, detail, code)| {
                view! {
                    <div class="error-item">
                        <p class="error-title" data-testid="error-title">{title}</p>
                        <p class="error-detail" data-testid="error-message">{detail}</p>
                        {code
                            .map(|code| {
                                view! {
                                    <p class="error-code">
                                        "错误代码：" <code data-testid="error-code">{code}</code>
                                    </p>
                                }
                            })}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card error-panel" role="alert" data-testid="error">
            {items}
            <p class="error-actions">
                <button type="button" class="button" on:click=|_| reload_page()>
                    "重试"
                </button>
                <a href="/">"返回总览"</a>
            </p>
        </section>
    }
}

fn describe(error: &ApiError) -> (&'static str, String, Option<String>) {
    (
        error.title(),
        error.to_string(),
        error.code().map(str::to_owned),
    )
}

/// Loads the current page again (after a network error, say).
fn reload_page() {
    let _ = window().location().reload();
}
