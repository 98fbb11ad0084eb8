//! "Meus Tickets" (step 6 of the seed guide): the customer's tickets in progress, in the
//! seed's columns, newest first, paged in the database. The page number lives in the
//! URL, so reload and the back button keep it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::tickets::{PAGE_SIZE, TicketPage, my_tickets};
use crate::components::auth::SignInPrompt;
use crate::domain::request::ticket_type_name;
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let page = move || {
        query.with(|q| {
            q.get("pagina")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1)
                .max(1)
        })
    };
    let tickets = Resource::new(page, |page| my_tickets(page - 1));
    view! {
        <Title text=move || texts.get().my_tickets />
        <Suspense fallback=move || view! { <p>{move || texts.get().loading}</p> }>
            {move || {
                tickets
                    .get()
                    .map(|loaded| match loaded {
                        Ok(list) => view! { <TicketTable list /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <SignInPrompt title=text(|t| t.my_tickets) /> }.into_any(),
                        Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn TicketTable(list: TicketPage) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let pages = list.total.div_ceil(PAGE_SIZE).max(1);
    let current = list.page + 1;
    let first_row = list.page * PAGE_SIZE + 1;
    let last_row = list.page * PAGE_SIZE + list.rows.len() as u64;
    let total = list.total;
    let empty = list.rows.is_empty();
    view! {
        <section class="card tickets-card">
            <h1>{move || texts.get().my_tickets}</h1>
            <p class="tickets-filter">{move || format!("{}: {}", texts.get().col_situation, texts.get().situation_open)}</p>
            {if empty {
                view! { <p>{move || texts.get().no_tickets} " " <A href="/portal">{move || texts.get().portal}</A></p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="tickets">
                            <thead>
                                <tr>
                                    <th scope="col">{move || texts.get().col_ticket}</th>
                                    <th scope="col">{move || texts.get().col_type}</th>
                                    <th scope="col">{move || texts.get().col_service}</th>
                                    <th scope="col">{move || texts.get().col_request}</th>
                                    <th scope="col">{move || texts.get().col_created}</th>
                                    <th scope="col">{move || texts.get().col_task}</th>
                                    <th scope="col">{move || texts.get().col_group}</th>
                                    <th scope="col">{move || texts.get().col_situation}</th>
                                    <th scope="col">{move || texts.get().col_sla}</th>
                                    <th scope="col">{move || texts.get().col_deadline}</th>
                                    <th scope="col">{move || texts.get().col_sla_status}</th>
                                    <th scope="col">{move || texts.get().col_priority}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .rows
                                    .into_iter()
                                    .map(|row| {
                                        let ticket_type = row.ticket_type.clone();
                                        let sla_hours = row.sla_hours;
                                        let status = row.sla_status.clone();
                                        view! {
                                            <tr>
                                                <td class="ticket-number">{row.number}</td>
                                                <td>{move || ticket_type_name(&ticket_type, lang.get())}</td>
                                                <td>{row.service}</td>
                                                <td>{row.request}</td>
                                                <td>{row.created_at}</td>
                                                <td>{row.task}</td>
                                                <td>{row.group}</td>
                                                <td>{move || texts.get().situation_open}</td>
                                                <td>
                                                    {move || match sla_hours {
                                                        Some(hours) => format!("{hours} {}", texts.get().business_hours),
                                                        None => texts.get().sla_to_agree.to_owned(),
                                                    }}
                                                </td>
                                                <td>{row.deadline.unwrap_or_default()}</td>
                                                <td>
                                                    {move || match status.as_str() {
                                                        "atrasado" => texts.get().sla_late,
                                                        "em_risco" => texts.get().sla_at_risk,
                                                        _ => texts.get().sla_normal,
                                                    }}
                                                </td>
                                                <td>{row.priority}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label=move || texts.get().pagination>
                        <span>{move || format!("{} {first_row}–{last_row} {} {total}", texts.get().showing, texts.get().of)}</span>
                        {(current > 1).then(|| view! { <A href=format!("/meus-tickets?pagina={}", current - 1)>{move || texts.get().previous}</A> })}
                        {(current < pages).then(|| view! { <A href=format!("/meus-tickets?pagina={}", current + 1)>{move || texts.get().next}</A> })}
                    </nav>
                }
                    .into_any()
            }}
        </section>
    }
    .into_any()
}
