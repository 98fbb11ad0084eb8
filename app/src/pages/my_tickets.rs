//! "Meus Tickets" (step 6 of the seed guide): search, "Situação", "Ordenar Por" and
//! "Ordem", the seed's twelve columns and a page of 20 with links and a total. Every
//! choice lives in the URL query, so reload, a shared link and the back button keep it;
//! the database does the filtering, sorting and paging. Each row has icon buttons to the
//! ticket's description, attachments, note and history (open) or to its opinion, survey,
//! reopening and solution (closed).
//!
//! The rows' and the pager's links are plain anchors (the router takes their clicks
//! all the same): a router `<A>` resolves its address and tracks whether it is the
//! current page, work that a page of 20 rows with up to five links each repeated for
//! nothing on every server-rendered page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::tickets::{TicketPage, TicketRow, my_tickets};
use crate::components::auth::SignInPrompt;
use crate::components::form::{keep_typed, live_value};
use crate::components::icons::IconSvg;
use crate::components::loading::Loading;
use crate::components::ticket_labels::{TicketAction, actions, sla_status_name};
use crate::domain::request::ticket_type_name;
use crate::domain::tickets::{PAGE_SIZE, Situation, SortBy, TicketFilter};
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};
use crate::resource::resource;

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || query.with(|q| TicketFilter::from_query(|name| q.get(name)));
    let tickets = resource(filter, my_tickets);
    view! {
        <Title text=texts.live(|t| t.my_tickets) />
        <section class="card tickets-card">
            <h1>{texts.live(|t| t.my_tickets)}</h1>
            <FilterForm filter=Signal::derive(filter) />
            <Suspense fallback=Loading>
                {move || {
                    tickets
                        .get()
                        .map(|loaded| match loaded {
                            Ok(list) => deferred_region(list, false),
                            Err(AppError::Unauthenticated) => view! { <SignInPrompt title=text(|t| t.my_tickets) /> }.into_any(),
                            Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

/// Search box and the three selects. A select applies at once; the search applies on
/// Enter or "Pesquisar". Either way the URL changes, which reloads the list.
#[component]
fn FilterForm(filter: Signal<TicketFilter>) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let navigate = use_navigate();
    let search = RwSignal::new(filter.get_untracked().query);
    let initial = Some(search.get_untracked()).filter(|q| !q.is_empty());
    // Follow the URL (back/forward) in the search box.
    Effect::new(move |_| search.set(filter.get().query));
    // After that first run, what was typed before the WebAssembly arrived wins.
    let node = NodeRef::<leptos::html::Input>::new();
    keep_typed(node, search);
    let go = {
        let navigate = navigate.clone();
        move |next: TicketFilter| navigate(&next.with_page(1).href(), Default::default())
    };
    let on_submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            go(TicketFilter {
                query: search.get_untracked().trim().to_owned(),
                ..filter.get_untracked()
            });
        }
    };
    let on_situation = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(TicketFilter {
                situation: Situation::from_code(&value),
                ..filter.get_untracked()
            });
        }
    };
    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            go(TicketFilter {
                sort: SortBy::from_code(&event_target_value(&ev)).unwrap_or_default(),
                ..filter.get_untracked()
            });
        }
    };
    let on_order = move |ev: leptos::ev::Event| {
        go(TicketFilter {
            ascending: event_target_value(&ev) == "asc",
            ..filter.get_untracked()
        });
    };
    let situation_code = move || {
        filter
            .get()
            .situation
            .map_or("todas", Situation::code)
            .to_owned()
    };
    view! {
        <form class="tickets-filter" role="search" method="get" action="/meus-tickets" on:submit=on_submit>
            <div class="filter-search">
                <label for="busca-tickets" class="visually-hidden">{texts.live(|t| t.search_tickets)}</label>
                <input node_ref=node id="busca-tickets" name="q" type="search" maxlength=200
                    placeholder=texts.live(|t| t.search_tickets)
                    value=initial
                    prop:value=live_value(search)
                    on:input=move |ev| search.set(event_target_value(&ev)) />
                <button type="submit" class="button button-small">{texts.live(|t| t.search_button)}</button>
            </div>
            <div class="filter-selects">
                <div class="filter-select">
                    <label for="situacao">{texts.live(|t| t.col_situation)}</label>
                    <select id="situacao" name="situacao" on:change=on_situation prop:value=situation_code>
                        {Situation::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.code() selected=move || situation_code() == s.code()>{move || s.name(lang.get())}</option> })
                            .collect_view()}
                        <option value="todas" selected=move || situation_code() == "todas">{texts.live(|t| t.all_situations)}</option>
                    </select>
                </div>
                <div class="filter-select">
                    <label for="ordenar">{texts.live(|t| t.f_sort)}</label>
                    <select id="ordenar" name="ordenar" on:change=on_sort prop:value=move || filter.get().sort.code()>
                        {SortBy::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.code() selected=move || filter.get().sort == s>{move || s.name(lang.get())}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="filter-select">
                    <label for="ordem">{texts.live(|t| t.f_order)}</label>
                    <select id="ordem" name="ordem" on:change=on_order prop:value=move || if filter.get().ascending { "asc" } else { "desc" }>
                        <option value="asc" selected=move || filter.get().ascending>{texts.live(|t| t.order_asc)}</option>
                        <option value="desc" selected=move || !filter.get().ascending>{texts.live(|t| t.order_desc)}</option>
                    </select>
                </div>
            </div>
        </form>
    }
    .into_any()
}

deferred_part! {
    /// The list (total, table and pager): a split part of its own. Its links are plain
    /// anchors, which work (and which the router takes) as the server rendered them, so
    /// the list is hydrated only once the visitor points at it, focuses in it or chooses
    /// another language (`parts::deferred`); a list the browser renders after a search or
    /// another page asks for the part at once.
    fn ticket_table(list: TicketPage) / __preload_ticket_table {
        view! { <TicketTable list /> }.into_any()
    }
}

#[component]
fn TicketTable(list: TicketPage) -> impl IntoView {
    let texts = use_texts();
    let page = list.filter.page;
    let pages = list.total.div_ceil(PAGE_SIZE).max(1);
    let first_row = (page - 1) * PAGE_SIZE + 1;
    let last_row = (page - 1) * PAGE_SIZE + list.rows.len() as u64;
    let total = list.total;
    let empty = list.rows.is_empty();
    let filter = list.filter.clone();
    let page_links = {
        let filter = filter.clone();
        // First, last, and two either side of the current page.
        (1..=pages)
            .filter(|p| *p == 1 || *p == pages || p.abs_diff(page) <= 2)
            .map(|p| {
                let href = filter.with_page(p).href();
                if p == page {
                    view! { <span class="pager-current" aria-current="page">{p}</span> }.into_any()
                } else {
                    view! { <a href=href>{p}</a> }.into_any()
                }
            })
            .collect_view()
    };
    view! {
        <p class="tickets-total" role="status">{move || format!("{total} {}", texts.get().tickets_found)}</p>
        {if empty {
            view! { <p>{texts.live(|t| t.no_tickets)} " " <A href="/portal">{texts.live(|t| t.portal)}</A></p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="tickets">
                        <thead>
                            <tr>
                                <th scope="col">{texts.live(|t| t.col_ticket)}</th>
                                <th scope="col">{texts.live(|t| t.col_type)}</th>
                                <th scope="col">{texts.live(|t| t.col_service)}</th>
                                <th scope="col">{texts.live(|t| t.col_request)}</th>
                                <th scope="col">{texts.live(|t| t.col_created)}</th>
                                <th scope="col">{texts.live(|t| t.col_task)}</th>
                                <th scope="col">{texts.live(|t| t.col_group)}</th>
                                <th scope="col">{texts.live(|t| t.col_situation)}</th>
                                <th scope="col">{texts.live(|t| t.col_sla)}</th>
                                <th scope="col">{texts.live(|t| t.col_deadline)}</th>
                                <th scope="col">{texts.live(|t| t.col_sla_status)}</th>
                                <th scope="col">{texts.live(|t| t.col_priority)}</th>
                                <th scope="col">{texts.live(|t| t.col_actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.rows.into_iter().map(|row| view! { <TicketLine row /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <nav class="pager" aria-label=texts.live(|t| t.pagination)>
                    <span>{move || format!("{} {first_row}–{last_row} {} {total}", texts.get().showing, texts.get().of)}</span>
                    {(page > 1).then(|| view! { <a href=filter.with_page(page - 1).href()>{texts.live(|t| t.previous)}</a> })}
                    {page_links}
                    {(page < pages).then(|| view! { <a href=filter.with_page(page + 1).href()>{texts.live(|t| t.next)}</a> })}
                </nav>
            }
                .into_any()
        }}
    }
    .into_any()
}

/// One ticket's row. It reads the language once and is built again, whole, when the
/// language changes: one reactive closure per row instead of one per cell, label and
/// button (some thirty), which the server ran for every row of every page and the
/// browser set up again while hydrating.
#[component]
fn TicketLine(row: TicketRow) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let t = lang.texts();
        let number = row.number;
        let buttons = actions(&row)
            .into_iter()
            .map(|TicketAction { tab, icon, label }| {
                let name = format!("{} {} {number}", label(t), t.of_ticket);
                view! {
                    <a href=format!("/meus-tickets/{number}?aba={tab}") class="icon-button" aria-label=name.clone() title=name>
                        <IconSvg icon />
                    </a>
                }
            })
            .collect_view();
        let sla = match row.sla_hours {
            Some(hours) => format!("{hours} {}", t.business_hours),
            None => t.sla_to_agree.to_owned(),
        };
        view! {
            <tr>
                <td class="ticket-number" data-label=t.col_ticket><a href=format!("/meus-tickets/{number}")>{number.get()}</a></td>
                <td data-label=t.col_type>{ticket_type_name(&row.ticket_type, lang)}</td>
                <td data-label=t.col_service>{row.service.clone()}</td>
                <td data-label=t.col_request>{row.request.clone()}</td>
                <td data-label=t.col_created>{row.created_at.clone()}</td>
                <td data-label=t.col_task>{row.task.clone()}</td>
                <td data-label=t.col_group>{row.group.clone()}</td>
                <td data-label=t.col_situation>{row.situation.name(lang)}</td>
                <td data-label=t.col_sla>{sla}</td>
                <td data-label=t.col_deadline>{row.deadline.clone().unwrap_or_else(|| "—".into())}</td>
                <td data-label=t.col_sla_status>{sla_status_name(row.sla_status, t)}</td>
                <td data-label=t.col_priority>{row.priority}</td>
                <td class="row-actions" data-label=t.col_actions>{buttons}</td>
            </tr>
        }
    }
}
