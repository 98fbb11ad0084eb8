//! "Histórico": a ticket's history as a table, for the customer's ticket page and the
//! staff workspace alike. Internal entries (only ever in the staff's list) are marked.

use leptos::prelude::*;

use crate::components::icons::{Icon, IconSvg};
use crate::components::ticket_labels::event_name;
use crate::domain::tickets::{HistoryRow, Visibility};
use crate::locale::use_texts;

#[component]
pub fn HistoryTable(rows: Vec<HistoryRow>) -> impl IntoView {
    let texts = use_texts();
    // Below 40rem each entry becomes a block whose values carry their column's name
    // (the cells' data-label, style/main.css): nothing wider than a phone's screen.
    view! {
        <div class="table-scroll">
        <table class="history">
            <thead>
                <tr>
                    <th scope="col">{texts.live(|t| t.col_when)}</th>
                    <th scope="col">{texts.live(|t| t.col_who)}</th>
                    <th scope="col">{texts.live(|t| t.col_event)}</th>
                    <th scope="col">{texts.live(|t| t.col_detail)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|e| {
                        let kind = e.kind;
                        let internal = kind.visibility() == Visibility::Internal;
                        let who = e.who.clone();
                        view! {
                            <tr class:history-internal=internal>
                                <td data-label=texts.live(|t| t.col_when)>{e.at}</td>
                                <td data-label=texts.live(|t| t.col_who)>{move || if who.is_empty() { texts.get().system.to_owned() } else { who.clone() }}</td>
                                <td data-label=texts.live(|t| t.col_event)>
                                    {move || event_name(kind, texts.get())}
                                    {internal.then(|| view! { " " <span class="badge-internal"><IconSvg icon=Icon::Lock /> " " {texts.live(|t| t.internal)}</span> })}
                                </td>
                                <td class="history-detail" data-label=texts.live(|t| t.col_detail)>{e.detail}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
