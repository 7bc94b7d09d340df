//! A household's members: a table on wide screens, one card per member on phones (CSS only).

use leptos::prelude::*;

use super::GuardedValue;
use crate::api::model::Member;

#[component]
pub fn MemberTable(members: Vec<Member>) -> impl IntoView {
    if members.is_empty() {
        return view! { <p class="empty">"暂无成员信息"</p> }.into_any();
    }
    let rows = members
        .into_iter()
        .map(|member| {
            view! {
                <tr data-testid="member-row">
                    <td data-label="姓名" class="member-name">
                        <GuardedValue value=member.name testid="member-name" />
                    </td>
                    <td data-label="与户主关系">
                        <GuardedValue value=member.relation.map(|relation| relation.label().to_owned()) testid="member-relation" />
                    </td>
                    <td data-label="性别">
                        <GuardedValue value=member.sex.map(|sex| sex.label().to_owned()) testid="member-sex" />
                    </td>
                    <td data-label="年龄">
                        <GuardedValue value=member.age.map(|age| age.to_string()) testid="member-age" />
                    </td>
                    <td data-label="年龄段">
                        <GuardedValue value=member.age_band.map(|band| band.label().to_owned()) testid="member-age-band" />
                    </td>
                    <td data-label="劳动能力">
                        <GuardedValue
                            value=member.labour_capacity.map(|capacity| capacity.label().to_owned())
                            testid="member-labour"
                        />
                    </td>
                    <td data-label="就业状态">
                        <GuardedValue
                            value=member.employment_status.map(|status| status.label().to_owned())
                            testid="member-employment"
                        />
                    </td>
                    <td data-label="身份证号" class="mono">
                        <GuardedValue value=member.id_number testid="member-id-number" masked_badge=true />
                    </td>
                    <td data-label="联系电话" class="mono">
                        <GuardedValue value=member.phone testid="member-phone" empty="—" masked_badge=true />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="member-table" data-testid="member-table">
                <thead>
                    <tr>
                        <th scope="col">"姓名"</th>
                        <th scope="col">"与户主关系"</th>
                        <th scope="col">"性别"</th>
                        <th scope="col">"年龄"</th>
                        <th scope="col">"年龄段"</th>
                        <th scope="col">"劳动能力"</th>
                        <th scope="col">"就业状态"</th>
                        <th scope="col">"身份证号"</th>
                        <th scope="col">"联系电话"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
