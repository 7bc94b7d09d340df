//! A household in its site's list.

use leptos::prelude::*;

use crate::api::model::{Guarded, HouseholdSummary};

#[component]
pub fn HouseholdItem(household: HouseholdSummary) -> impl IntoView {
    let href = format!("/households/{}", household.id);
    let code = match household.code {
        Guarded::Shown(code) => code,
        Guarded::NotRecorded => "（无编号）".to_owned(),
        Guarded::Forbidden => "无权限查看".to_owned(),
    };
    let head = match household.head_name {
        Guarded::Shown(name) => format!("户主 {name}"),
        Guarded::NotRecorded => "户主未登记".to_owned(),
        Guarded::Forbidden => "户主 无权限查看".to_owned(),
    };
    let size = household
        .member_count
        .shown()
        .map(|count| format!("{count} 人"));
    let registered_poor = household.registered_poor.shown() == Some(&true);
    let zero_employment = household.is_zero_employment.shown() == Some(&true);
    view! {
        <li class="household-item">
            <a href=href data-testid="household-link">
                <span class="household-code">{code}</span>
                <span class="household-flat">{household.flat_label.shown().cloned()}</span>
                <span class="household-head">{head}</span>
                <span class="household-size">{size}</span>
                {registered_poor.then(|| view! { <span class="tag">"建档立卡"</span> })}
                {zero_employment.then(|| view! { <span class="tag tag-warn">"零就业"</span> })}
            </a>
        </li>
    }
}
