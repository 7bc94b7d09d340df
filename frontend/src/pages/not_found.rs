//! The page for any path no route matches.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    super::set_page_title("页面不存在");
    view! {
        <section class="card not-found" data-testid="not-found">
            <h1 class="page-title">"页面不存在"</h1>
            <p>"您访问的页面不存在，可能链接有误或页面已被移除。"</p>
            <p>
                <a href="/">"返回区级总览"</a>
            </p>
        </section>
    }
}
