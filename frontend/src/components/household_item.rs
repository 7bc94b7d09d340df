//! A household in its site's list.

use leptos::prelude::*;

use crate::api::model::HouseholdSummary;

#[component]
pub fn HouseholdItem(household: HouseholdSummary) -> impl IntoView {
    let href = format!("/households/{}", household.id);
    let head = household
        .head_name
        .map(|name| format!("户主 {name}"))
        .unwrap_or_else(|| "户主未登记".to_owned());
    view! {
        <li class="household-item">
            <a href=href data-testid="household-link">
                <span class="household-code">{household.code}</span>
                <span class="household-flat">{household.flat_label}</span>
                <span class="household-head">{head}</span>
                <span class="household-size">{household.member_count}" 人"</span>
                {household.registered_poor.then(|| view! { <span class="tag">"建档立卡"</span> })}
                {household
                    .is_zero_employment
                    .then(|| view! { <span class="tag tag-warn">"零就业"</span> })}
            </a>
        </li>
    }
}
