//! Who is signed in: display name, roles and the 退出登录 button.

use leptos::prelude::*;

use crate::api::model::Me;

/// The signed-in user in the header; `on_logout` runs when 退出登录 is pressed.
#[component]
pub fn UserBar(
    me: std::sync::Arc<Me>,
    on_logout: Callback<()>,
    /// While signing out: the button is disabled.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let roles = me
        .roles
        .iter()
        .map(|role| role.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <div class="user-bar">
            <p class="user-who">
                <span class="user-name" data-testid="user-name">{me.display_name.clone()}</span>
                <span class="user-roles" data-testid="user-roles">{roles}</span>
            </p>
            <button
                type="button"
                class="button button-quiet"
                data-testid="logout"
                disabled=move || busy.get()
                on:click=move |_| on_logout.run(())
            >
                "退出登录"
            </button>
        </div>
    }
}
