//! The lead bureau's queue: progress reports to accept or return, extensions to approve or
//! reject.

use leptos::prelude::*;

use super::{ExtensionItem, ReportItem};
use crate::api::model::{Attachment, Inbox};

#[component]
pub fn InboxView(
    inbox: Inbox,
    #[prop(into)] busy: Signal<bool>,
    on_review: Callback<(String, bool, String)>,
    on_decide: Callback<(String, bool, String)>,
    on_download: Callback<Attachment>,
) -> impl IntoView {
    let report_count = inbox.reports.len();
    let extension_count = inbox.extensions.len();
    let reports = if inbox.reports.is_empty() {
        view! { <p class="empty">"没有待审核的进展报告"</p> }.into_any()
    } else {
        let items = inbox
            .reports
            .into_iter()
            .map(|report| {
                view! { <ReportItem report on_review=Some(on_review) busy on_download /> }
            })
            .collect_view();
        view! { <ul class="history-list" data-testid="inbox-reports">{items}</ul> }.into_any()
    };
    let extensions = if inbox.extensions.is_empty() {
        view! { <p class="empty">"没有待审批的延期申请"</p> }.into_any()
    } else {
        let items = inbox
            .extensions
            .into_iter()
            .map(|request| view! { <ExtensionItem request on_decide=Some(on_decide) busy /> })
            .collect_view();
        view! { <ul class="history-list" data-testid="inbox-extensions">{items}</ul> }.into_any()
    };
    view! {
        <section class="inbox" data-testid="inbox">
            <h3 class="subsection-title">
                "待审核进展 " <span class="count-pill" data-testid="inbox-report-count">{report_count}</span>
            </h3>
            {reports}
            <h3 class="subsection-title">
                "待审批延期 " <span class="count-pill" data-testid="inbox-extension-count">{extension_count}</span>
            </h3>
            {extensions}
        </section>
    }
}
