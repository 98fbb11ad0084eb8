//! Labels and actions of a ticket that more than one page shows: the SLA status and
//! history entries in the user's language, and a ticket's actions (the list's icon
//! buttons are the ticket page's tabs). They were in the list's page, which the ticket
//! page imported; a staff desk will show the same. (A situation names itself:
//! `Situation::name`.)

use crate::components::icons::Icon;
use crate::domain::tickets::{EventKind, Situation, SlaStatus, TicketRow};
use crate::i18n::Texts;

/// "Status do SLA" in the user's language.
pub fn sla_status_name(status: SlaStatus, t: &Texts) -> &'static str {
    match status {
        SlaStatus::Late => t.sla_late,
        SlaStatus::AtRisk => t.sla_at_risk,
        SlaStatus::Met => t.sla_met,
        SlaStatus::Violated => t.sla_violated,
        SlaStatus::Normal => t.sla_normal,
    }
}

/// The "Evento" column of "Histórico".
pub fn event_name(kind: EventKind, t: &Texts) -> &'static str {
    match kind {
        EventKind::Opened => t.ev_opened,
        EventKind::Attachment => t.ev_attachment,
        EventKind::Note => t.ev_note,
        EventKind::Closed => t.ev_closed,
        EventKind::Reopened => t.ev_reopened,
        EventKind::Opinion => t.ev_opinion,
        EventKind::Rated => t.ev_rated,
        EventKind::InternalNote => t.ev_internal_note,
        EventKind::Captured => t.ev_captured,
        EventKind::Assigned => t.ev_assigned,
        EventKind::Forwarded => t.ev_forwarded,
        EventKind::TaskChanged => t.ev_task_changed,
        EventKind::Reclassified => t.ev_reclassified,
        EventKind::Reply => t.ev_reply,
        EventKind::Suspended => t.ev_suspended,
        EventKind::Resumed => t.ev_resumed,
        EventKind::Cancelled => t.ev_cancelled,
        EventKind::DeadlineSet => t.ev_deadline_set,
    }
}

/// One of a ticket's actions: its tab on the ticket page, its icon and its name.
#[derive(Clone, Copy)]
pub struct TicketAction {
    pub tab: &'static str,
    pub icon: Icon,
    pub label: fn(&Texts) -> &'static str,
}

const fn action(tab: &'static str, icon: Icon, label: fn(&Texts) -> &'static str) -> TicketAction {
    TicketAction { tab, icon, label }
}

/// The row's icon buttons, in the seed's order (attachments right after the
/// description when a closed ticket has any).
pub fn actions(row: &TicketRow) -> Vec<TicketAction> {
    let mut list = vec![action("descricao", Icon::Document, |t| t.act_description)];
    if row.situation.is_open() {
        list.push(action("anexos", Icon::Clip, |t| t.act_attachments));
        list.push(action("anotacao", Icon::Pencil, |t| t.act_note));
    } else {
        if row.has_attachments {
            list.push(action("anexos", Icon::Clip, |t| t.act_attachments));
        }
        if row.situation == Situation::Closed {
            list.push(action("opiniao", Icon::Bubble, |t| t.act_opinion));
            list.push(action("pesquisa", Icon::Star, |t| t.act_survey));
            list.push(action("reabrir", Icon::Reopen, |t| t.act_reopen));
            list.push(action("solucao", Icon::Check, |t| t.act_solution));
        }
    }
    list.push(action("historico", Icon::Clock, |t| t.act_history));
    list
}
