//! "Fila de atendimento": the tickets of the agent's groups, 50 a page. Every filter,
//! the search, the order and the page live in the URL (a view can be bookmarked and
//! shared); the filter form is a GET form to `/fila`, so it works without JavaScript and
//! navigates in place with it. Counts per situation sit above the list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::SlaBadge;
use super::texts::{DeskTexts, use_desk_texts};
use crate::api::desk::desk_queue;
use crate::components::auth::SignInPrompt;
use crate::components::loading::Loading;
use crate::domain::desk::{
    Assigned, COUNT_CAP, QUEUE_PAGE_SIZE, QueueFilter, QueuePage, QueueRow, QueueSort,
    SituationFilter, count_text,
};
use crate::domain::request::priority_name;
use crate::domain::tickets::SlaStatus;
use crate::error::AppError;
use crate::locale::{use_lang, use_texts};
use crate::resource::resource;

#[component]
pub fn QueuePage() -> impl IntoView {
    let desk = use_desk_texts();
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || query.with(|q| QueueFilter::from_query(|name| q.get(name)));
    let page = resource(filter, desk_queue);
    view! {
        <Title text=move || desk.get().queue_title />
        <section class="card queue-card">
            <h1>{move || desk.get().queue_title}</h1>
            <Suspense fallback=Loading>
                {move || {
                    // Rows are plain text: the language rebuilds them.
                    lang.track();
                    page.get().map(|loaded| match loaded {
                        Ok(list) => view! { <QueueView list /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <SignInPrompt title=Signal::derive(move || desk.get().queue_title.to_owned()) /> }.into_any(),
                        Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                        Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

/// `(value, label, selected)` options of a select.
fn option_list(options: Vec<(String, String)>, current: String) -> impl IntoView {
    options
        .into_iter()
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view()
}

#[component]
fn QueueView(list: QueuePage) -> impl IntoView {
    let desk = use_desk_texts();
    let texts = use_texts();
    let lang = use_lang();
    let f = list.filter.clone();
    let (d, t, l) = (
        desk.get_untracked(),
        texts.get_untracked(),
        lang.get_untracked(),
    );
    let groups: Vec<(String, String)> =
        std::iter::once((String::new(), d.all_my_groups.to_owned()))
            .chain(
                list.groups
                    .iter()
                    .map(|g| (g.id.to_string(), g.name.clone())),
            )
            .collect();
    let tasks: Vec<(String, String)> = std::iter::once((String::new(), d.any_task.to_owned()))
        .chain(list.tasks.iter().map(|t| (t.clone(), t.clone())))
        .collect();
    let situations: Vec<(String, String)> = SituationFilter::choices()
        .into_iter()
        .map(|s| (s.code().to_owned(), s.name(l).to_owned()))
        .collect();
    let sla_name = |s: SlaStatus| crate::components::ticket_labels::sla_status_name(s, t);
    let slas: Vec<(String, String)> = std::iter::once((String::new(), d.any_sla.to_owned()))
        .chain(
            SlaStatus::ALL
                .into_iter()
                .map(|s| (s.code().to_owned(), sla_name(s).to_owned())),
        )
        .collect();
    let priorities: Vec<(String, String)> =
        std::iter::once((String::new(), d.any_priority.to_owned()))
            .chain((1..=5).map(|p| (p.to_string(), format!("{p} – {}", priority_name(p, l)))))
            .collect();
    let assigned: Vec<(String, String)> = Assigned::ALL
        .into_iter()
        .map(|a| (a.code().to_owned(), a.name(l).to_owned()))
        .collect();
    let services: Vec<(String, String)> =
        std::iter::once((String::new(), d.any_service.to_owned()))
            .chain(
                list.services
                    .iter()
                    .map(|s| (s.id.to_string(), s.name.clone())),
            )
            .collect();
    let sorts: Vec<(String, String)> = QueueSort::ALL
        .into_iter()
        .map(|s| (s.code().to_owned(), s.name(l).to_owned()))
        .collect();
    let orders = vec![
        ("asc".to_owned(), t.order_asc.to_owned()),
        ("desc".to_owned(), t.order_desc.to_owned()),
    ];
    let counts = list
        .counts
        .clone()
        .into_iter()
        .map(|(situation, n)| {
            let href = QueueFilter {
                situation: SituationFilter::One(situation),
                ..f.with_page(1)
            }
            .href();
            let current = f.situation == SituationFilter::One(situation);
            view! {
                <li>
                    <A href=href attr:aria-current=current.then_some("page")>
                        {situation.name(l)} " " <strong>{count_text(n)}</strong>
                    </A>
                </li>
            }
        })
        .collect_view();
    let page = f.page;
    // At the cap there may be more pages than the count says: "Próxima" stays while
    // pages are full.
    let capped = list.total >= COUNT_CAP;
    let pages = list.total.div_ceil(QUEUE_PAGE_SIZE).max(1);
    let total = list.total;
    let first_row = (page - 1) * QUEUE_PAGE_SIZE + 1;
    let last_row = (page - 1) * QUEUE_PAGE_SIZE + list.rows.len() as u64;
    let empty = list.rows.is_empty();
    let full = list.rows.len() as u64 == QUEUE_PAGE_SIZE;
    let page_links = (1..=pages)
        .filter(|p| *p == 1 || *p == pages || p.abs_diff(page) <= 2)
        .map(|p| {
            if p == page {
                view! { <span class="pager-current" aria-current="page">{p}</span> }.into_any()
            } else {
                view! { <A href=f.with_page(p).href()>{p}</A> }.into_any()
            }
        })
        .collect_view();
    let select =
        |id: &'static str, label: &'static str, options: Vec<(String, String)>, current: String| {
            view! {
                <div class="filter-select">
                    <label for=format!("fila-{id}")>{label}</label>
                    <select id=format!("fila-{id}") name=id>{option_list(options, current)}</select>
                </div>
            }
        };
    let task = f.task.clone().unwrap_or_default();
    let query = f.query.clone();
    view! {
        <Form method="GET" action="/fila" attr:class="queue-filter" attr:role="search">
            <div class="filter-search">
                <label for="fila-q">{d.search_label}</label>
                <input id="fila-q" name="q" type="search" maxlength=200 value=query />
            </div>
            <div class="filter-selects">
                {select("grupo", d.filter_group, groups, f.group.map(|g| g.to_string()).unwrap_or_default())}
                {select("tarefa", d.filter_task, tasks, task)}
                {select("situacao", t.col_situation, situations, f.situation.code().to_owned())}
                {select("sla", d.filter_sla, slas, f.sla.map(|s| s.code().to_owned()).unwrap_or_default())}
                {select("prioridade", d.filter_priority, priorities, f.priority.map(|p| p.to_string()).unwrap_or_default())}
                {select("responsavel", d.filter_assigned, assigned, f.assigned.code().to_owned())}
                {select("servico", d.filter_service, services, f.service.map(|s| s.to_string()).unwrap_or_default())}
                {select("ordenar", t.f_sort, sorts, f.sort.code().to_owned())}
                {select("ordem", t.f_order, orders, if f.ascending { "asc" } else { "desc" }.to_owned())}
            </div>
            <button type="submit" class="button button-primary">{d.filter_button}</button>
        </Form>
        <nav aria-label=d.counts_label><ul class="queue-counts">{counts}</ul></nav>
        <p class="tickets-total" role="status">{format!("{} {}", count_text(total), t.tickets_found)}</p>
        {if empty {
            view! { <p>{d.no_tickets}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="tickets queue">
                        <thead>
                            <tr>
                                <th scope="col">{t.col_ticket}</th>
                                <th scope="col">{d.col_service_request}</th>
                                <th scope="col">{d.col_customer}</th>
                                <th scope="col">{t.col_created}</th>
                                <th scope="col">{t.col_task}</th>
                                <th scope="col">{t.col_group}</th>
                                <th scope="col">{d.col_assignee}</th>
                                <th scope="col">{t.col_situation}</th>
                                <th scope="col">{t.col_deadline}</th>
                                <th scope="col">{t.col_sla_status}</th>
                                <th scope="col">{t.col_priority}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.rows.into_iter().map(|row| queue_line(row, t, d, l)).collect_view()}
                        </tbody>
                    </table>
                </div>
                <nav class="pager" aria-label=t.pagination>
                    <span>{format!("{} {first_row}–{last_row} {} {}", t.showing, t.of, count_text(total))}</span>
                    {(page > 1).then(|| view! { <A href=f.with_page(page - 1).href()>{t.previous}</A> })}
                    {page_links}
                    {(page < pages || (capped && full)).then(|| view! { <A href=f.with_page(page + 1).href()>{t.next}</A> })}
                </nav>
            }
                .into_any()
        }}
    }
    .into_any()
}

/// One row: plain text, rendered once (the page is built again when the filters or the
/// language change). Each cell carries its column's name for the narrow screens' cards.
fn queue_line(
    row: QueueRow,
    t: &'static crate::i18n::Texts,
    d: &'static DeskTexts,
    lang: crate::i18n::Lang,
) -> impl IntoView {
    let number = row.number;
    let class = match row.sla_status {
        SlaStatus::Late => "row-late",
        SlaStatus::AtRisk => "row-at-risk",
        _ => "",
    };
    view! {
        <tr class=class>
            <td class="ticket-number" data-label=t.col_ticket><A href=crate::domain::desk::workspace_path(number)>{number.get()}</A></td>
            <td data-label=d.col_service_request>{row.service} " / " {row.request}<br /><small>{row.title}</small></td>
            <td data-label=d.col_customer>{row.customer}</td>
            <td data-label=t.col_created>{row.created_at}</td>
            <td data-label=t.col_task>{row.task}</td>
            <td data-label=t.col_group>{row.group}</td>
            <td data-label=d.col_assignee>{row.assignee.unwrap_or_else(|| d.nobody.to_owned())}</td>
            <td data-label=t.col_situation>{row.situation.name(lang)}</td>
            <td data-label=t.col_deadline>{row.deadline.unwrap_or_else(|| "—".to_owned())}</td>
            <td data-label=t.col_sla_status><SlaBadge status=row.sla_status /></td>
            <td data-label=t.col_priority>{format!("{} – {}", row.priority, priority_name(row.priority, lang))}</td>
        </tr>
    }
}
