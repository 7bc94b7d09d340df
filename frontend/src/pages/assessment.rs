//! `/assessment` 考核排名: a year's ranking of the bureaus and the towns as bar charts (tap a
//! unit for its breakdown), and the published reports (通报) to download as .xlsx.
//! `?year=2026` picks the plan; without it, the newest.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::is_forbidden;
use crate::api::{
    self,
    model::{AssessmentIndex, AssessmentPublication, AssessmentRanking, UnitKind},
};
use crate::components::{
    failure_view, ErrorPanel, Failure, Loading, NoAccess, PublicationList, RankingChart,
};

#[component]
pub fn AssessmentPage() -> impl IntoView {
    super::set_page_title("考核排名");
    let query = use_query_map();
    let index = LocalResource::new(api::fetch_assessment_index);
    view! {
        <h1 class="page-title">"考核排名"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || {
                    let asked_year = query.read().get("year").and_then(|year| year.parse::<i64>().ok());
                    Suspend::new(async move {
                        match index.await {
                            Ok(index) => Ok(assessment_view(index, asked_year).into_any()),
                            Err(error) if is_forbidden(&error) => Ok(
                                view! {
                                    <NoAccess
                                        title="无权限查看"
                                        what="考核结果与通报仅限区级部门和镇办查看。"
                                    />
                                }
                                    .into_any(),
                            ),
                            Err(error) => Err(error),
                        }
                    })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

fn assessment_view(index: AssessmentIndex, asked_year: Option<i64>) -> impl IntoView {
    let year = asked_year
        .filter(|year| index.plans.iter().any(|plan| plan.year == *year))
        .or_else(|| index.plans.first().map(|plan| plan.year));
    let years = (index.plans.len() > 1).then(|| {
        let chips = index
            .plans
            .iter()
            .map(|plan| {
                let current = Some(plan.year) == year;
                view! {
                    <a
                        class="chip"
                        href=format!("/assessment?year={}", plan.year)
                        aria-current=current.then_some("page")
                    >
                        {format!("{} 年度", plan.year)}
                    </a>
                }
            })
            .collect_view();
        view! { <nav class="chips year-chips" aria-label="考核年度">{chips}</nav> }
    });
    let ranking = match year {
        Some(year) => {
            let plan = index.plans.iter().find(|plan| plan.year == year);
            let status = plan.map(|plan| plan.status.label()).unwrap_or_default();
            view! {
                <p class="page-lead">{format!("{year} 年度 · {status}")}</p>
                <RankingSection year />
            }
            .into_any()
        }
        None => view! { <p class="empty">"尚无考核方案"</p> }.into_any(),
    };
    view! {
        {years}
        {ranking}
        <h2 class="section-title">"考核通报"</h2>
        <PublicationSection publications=index.publications />
    }
}

/// A year's live ranking, fetched on its own: without the assessment domain it is
/// 无权限查看 while the published reports stay readable.
#[component]
fn RankingSection(year: i64) -> impl IntoView {
    let results = LocalResource::new(move || api::fetch_assessment_results(year, None));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(ranking) => Ok(ranking_view(ranking).into_any()),
                        Err(error) if is_forbidden(&error) => Ok(
                            view! {
                                <NoAccess
                                    title="无权限查看"
                                    what="实时考核排名需要考核数据权限；已发布的考核通报可在下方下载。"
                                />
                            }
                                .into_any(),
                        ),
                        Err(error) => Err(error),
                    }
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn ranking_view(ranking: AssessmentRanking) -> impl IntoView {
    let (bureaus, towns): (Vec<_>, Vec<_>) = ranking
        .units
        .into_iter()
        .partition(|unit| unit.kind != UnitKind::Town);
    let notes = ranking
        .method_notes
        .into_iter()
        .map(|note| view! { <li>{note}</li> })
        .collect_view();
    view! {
        <section class="card" data-testid="assessment-results">
            <p class="ranking-plan" data-testid="assessment-plan-title">{ranking.plan_title}</p>
            <p class="muted">
                "按截至 " <span data-testid="assessment-as-of">{ranking.as_of}</span>
                " 的记录实时计算；后续扶持在综合考核中占 " {ranking.follow_up_weight_percent} "%。点按单位查看得分明细。"
            </p>
            <h2 class="section-title">"区级部门"</h2>
            <RankingChart units=bureaus label="区级部门专项考核排名" />
            <h2 class="section-title">"镇办"</h2>
            <RankingChart units=towns label="镇办专项考核排名" />
            <details class="method-notes">
                <summary>"计分方法"</summary>
                <ul>{notes}</ul>
            </details>
        </section>
    }
}

/// The published reports and their downloads (fetched with the token).
#[component]
fn PublicationSection(publications: Vec<AssessmentPublication>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let on_download = Callback::new(move |publication: AssessmentPublication| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let file_name = format!("{}.xlsx", publication.title);
            if let Err(error) = api::download(&publication.download_path, &file_name).await {
                failure.try_set(Some(Failure::new("下载失败", error)));
            }
            busy.try_set(false);
        });
    });
    view! {
        {failure_view(failure.into())}
        <PublicationList publications busy on_download />
    }
}
