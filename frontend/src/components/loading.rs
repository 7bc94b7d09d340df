//! The loading indicator shown while data is on its way.

use leptos::prelude::*;

#[component]
pub fn Loading(#[prop(default = "正在加载…")] text: &'static str) -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            {text}
        </p>
    }
}
