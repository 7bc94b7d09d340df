//! A value the server may withhold: shown (with 已脱敏 when masked), 未登记, or 无权限查看.

use leptos::prelude::*;

use crate::api::model::Guarded;

/// Shows `value` in a span carrying `testid`. A value the user's roles may not read shows
/// 无权限查看 (grey); an empty one shows `empty`. With `masked_badge`, a value the server masked
/// (it contains `*`) gets a small 已脱敏 badge next to it.
#[component]
pub fn GuardedValue(
    value: Guarded<String>,
    testid: &'static str,
    #[prop(default = "未登记")] empty: &'static str,
    #[prop(optional)] masked_badge: bool,
) -> impl IntoView {
    match value {
        Guarded::Shown(text) if masked_badge && text.contains('*') => view! {
            // One element, so that the badge stays beside the value in the phone layout's grid.
            <span class="masked-value">
                <span data-testid=testid>{text}</span>
                <span class="badge-masked" title="服务器已隐藏部分号码" data-testid="masked-badge">
                    "已脱敏"
                </span>
            </span>
        }
        .into_any(),
        Guarded::Shown(text) => view! { <span data-testid=testid>{text}</span> }.into_any(),
        Guarded::NotRecorded => {
            view! { <span class="not-recorded" data-testid=testid>{empty}</span> }.into_any()
        }
        Guarded::Forbidden => view! { <Forbidden testid /> }.into_any(),
    }
}

/// 无权限查看, for a value outside the user's data domains.
#[component]
pub fn Forbidden(testid: &'static str) -> impl IntoView {
    view! {
        <span class="forbidden" title="您的角色无权查看此项" data-testid=testid data-forbidden="true">
            "无权限查看"
        </span>
    }
}

/// A short 无权访问 notice in place of a part of the app the user's roles may not use.
#[component]
pub fn NoAccess(
    #[prop(into)] what: String,
    #[prop(default = "无权访问")] title: &'static str,
) -> impl IntoView {
    view! {
        <section class="card no-access" data-testid="no-access">
            <p class="no-access-title">{title}</p>
            <p>{what}</p>
        </section>
    }
}
