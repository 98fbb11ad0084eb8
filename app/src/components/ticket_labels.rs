//! Labels and actions of a ticket that more than one page shows: the situation, the SLA
//! status and history entries in the user's language, and a ticket's actions (the
//! list's icon buttons are the ticket page's tabs). They were in the list's page, which
//! the ticket page imported; a staff desk will show the same.

use crate::domain::tickets::{Situation, TicketRow};
use crate::i18n::Texts;

/// "Situação" in the user's language.
pub fn situation_name(code: &str, lang: crate::i18n::Lang) -> &'static str {
    Situation::from_code(code).map_or("", |s| s.name(lang))
}

/// "Status do SLA" in the user's language.
pub fn sla_status_name(code: &str, t: &Texts) -> &'static str {
    match code {
        "atrasado" => t.sla_late,
        "em_risco" => t.sla_at_risk,
        "cumprido" => t.sla_met,
        _ => t.sla_normal,
    }
}

/// One of a ticket's actions: its tab on the ticket page, its icon and its name.
#[derive(Clone, Copy)]
pub struct TicketAction {
    pub tab: &'static str,
    pub icon: &'static str,
    pub label: fn(&Texts) -> &'static str,
}

const fn action(
    tab: &'static str,
    icon: &'static str,
    label: fn(&Texts) -> &'static str,
) -> TicketAction {
    TicketAction { tab, icon, label }
}

/// The row's icon buttons, in the seed's order (attachments right after the
/// description when a closed ticket has any).
pub fn actions(row: &TicketRow) -> Vec<TicketAction> {
    let open = matches!(row.situation.as_str(), "em_andamento" | "suspensa");
    let mut list = vec![action("descricao", "📄", |t| t.act_description)];
    if open {
        list.push(action("anexos", "📎", |t| t.act_attachments));
        list.push(action("anotacao", "✎", |t| t.act_note));
    } else {
        if row.has_attachments {
            list.push(action("anexos", "📎", |t| t.act_attachments));
        }
        if row.situation == Situation::Closed.code() {
            list.push(action("opiniao", "💬", |t| t.act_opinion));
            list.push(action("pesquisa", "★", |t| t.act_survey));
            list.push(action("reabrir", "↺", |t| t.act_reopen));
            list.push(action("solucao", "✔", |t| t.act_solution));
        }
    }
    list.push(action("historico", "🕘", |t| t.act_history));
    list
}

/// The "Evento" column of "Histórico".
pub fn event_name(kind: &str, t: &Texts) -> &'static str {
    match kind {
        "opened" => t.ev_opened,
        "attachment" => t.ev_attachment,
        "note" => t.ev_note,
        "closed" => t.ev_closed,
        "reopened" => t.ev_reopened,
        "opinion" => t.ev_opinion,
        "rated" => t.ev_rated,
        _ => "",
    }
}
