//! "Ticket(s) criado(s)" (step 5 of the seed guide): the number in green and the
//! priority, with "Fechar" leading on to "Meus Tickets". The request form shows it after
//! "Concluir"; the ticket's page shows it when a plain form post (no JavaScript) created
//! the ticket and was redirected there.

use leptos::prelude::*;

use crate::api::requests::CreatedTicket;
use crate::components::form::focus;
use crate::domain::request::priority_name;
use crate::locale::{use_lang, use_texts};

/// The id of the "Fechar" control, which gets the keyboard focus.
pub const CLOSE_ID: &str = "fechar-popup";

/// The pop-up; `children` is its "Fechar" control (with the id [`CLOSE_ID`]).
#[component]
pub fn CreatedPopup(ticket: CreatedTicket, children: Children) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    // Once shown, the keyboard is on "Fechar".
    Effect::new(move |_| focus(CLOSE_ID));
    view! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="popup-titulo">
                <h2 id="popup-titulo">{texts.live(|t| t.created_title)}</h2>
                <table class="created-table">
                    <thead>
                        <tr>
                            <th scope="col">{texts.live(|t| t.col_ticket)}</th>
                            <th scope="col">{texts.live(|t| t.col_priority)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <td class="ticket-number">{ticket.number}</td>
                            <td>{move || priority_name(ticket.priority, lang.get())}</td>
                        </tr>
                    </tbody>
                </table>
                <div class="modal-actions">{children()}</div>
            </div>
        </div>
    }
    .into_any()
}
