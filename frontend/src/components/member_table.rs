//! A household's members: a table on wide screens, one card per member on phones (CSS only).

use leptos::prelude::*;

use crate::api::model::Member;

#[component]
pub fn MemberTable(members: Vec<Member>) -> impl IntoView {
    if members.is_empty() {
        return view! { <p class="empty">"暂无成员信息"</p> }.into_any();
    }
    let rows = members
        .into_iter()
        .map(|member| {
            let phone = member.phone.unwrap_or_else(|| "—".to_owned());
            view! {
                <tr data-testid="member-row">
                    <td data-label="姓名" class="member-name" data-testid="member-name">{member.name}</td>
                    <td data-label="与户主关系" data-testid="member-relation">{member.relation.label()}</td>
                    <td data-label="性别" data-testid="member-sex">{member.sex.label()}</td>
                    <td data-label="年龄" data-testid="member-age">{member.age}</td>
                    <td data-label="年龄段" data-testid="member-age-band">{member.age_band.label()}</td>
                    <td data-label="劳动能力" data-testid="member-labour">{member.labour_capacity.label()}</td>
                    <td data-label="就业状态" data-testid="member-employment">{member.employment_status.label()}</td>
                    <td data-label="身份证号" class="mono" data-testid="member-id-number">{member.id_number}</td>
                    <td data-label="联系电话" class="mono" data-testid="member-phone">{phone}</td>
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
