//! Tickets as the browser and the server both see them: the situation, SLA status and
//! history kinds (enums, not strings compared in several places); the "Meus Tickets"
//! filters as they live in the URL (`?q=…&situacao=…&ordenar=…&ordem=…&pagina=…`),
//! shared by the page (reading and writing the query) and the server (which turns them
//! into SQL); the rows and detail the pages show; and the rules of notes and ratings.
//! Unknown filter values fall back to the seed's defaults, so a hand-edited link never
//! fails.

use serde::{Deserialize, Serialize};

use crate::domain::Problem;
use crate::domain::attachment::AttachmentLimits;
use crate::domain::ids::{AttachmentId, TicketNumber};
use crate::domain::request::{FieldValue, RequestProfileInput};
use crate::i18n::Lang;

pub const PAGE_SIZE: u64 = 20;
/// Longest search text kept.
pub const QUERY_MAX: usize = 200;
/// The last page anybody can ask for (2,000,000 tickets deep at 20 a page).
pub const PAGE_MAX: u64 = 100_000;
/// Longest note, opinion, reason or comment.
pub const NOTE_MAX: usize = 5_000;

/// A ticket's situation ("Situação").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Situation {
    Open,
    Suspended,
    Closed,
    Cancelled,
}

wire_names!(Situation {
    Open => "Open",
    Suspended => "Suspended",
    Closed => "Closed",
    Cancelled => "Cancelled",
});

impl Situation {
    pub const ALL: [Situation; 4] = [
        Situation::Open,
        Situation::Suspended,
        Situation::Closed,
        Situation::Cancelled,
    ];

    /// Stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Situation::Open => "em_andamento",
            Situation::Suspended => "suspensa",
            Situation::Closed => "fechada",
            Situation::Cancelled => "cancelada",
        }
    }

    pub fn from_code(code: &str) -> Option<Situation> {
        Situation::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Open and suspended tickets are still being worked: they take notes and files;
    /// closed and cancelled ones do not.
    pub fn is_open(self) -> bool {
        matches!(self, Situation::Open | Situation::Suspended)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Situation::Open, Lang::Pt) => "Em Andamento",
            (Situation::Suspended, Lang::Pt) => "Suspensa",
            (Situation::Closed, Lang::Pt) => "Fechada",
            (Situation::Cancelled, Lang::Pt) => "Cancelada",
            (Situation::Open, Lang::En) => "In progress",
            (Situation::Suspended, Lang::En) => "Suspended",
            (Situation::Closed, Lang::En) => "Closed",
            (Situation::Cancelled, Lang::En) => "Cancelled",
        }
    }
}

/// Serde for a situation as its code (`"em_andamento"`), the form ticket rows have always
/// had on the wire; the filter (`TicketFilter`) keeps the variant names it always had.
pub mod situation_code {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::Situation;

    pub fn serialize<S: Serializer>(situation: &Situation, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(situation.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Situation, D::Error> {
        let code = String::deserialize(d)?;
        Situation::from_code(&code).ok_or_else(|| D::Error::custom("unknown situation"))
    }

    /// The same reader as a seed, for `read_as_map!`.
    pub struct Seed;

    impl<'de> serde::de::DeserializeSeed<'de> for Seed {
        type Value = Situation;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Situation, D::Error> {
            deserialize(d)
        }
    }
}

/// "Status do SLA": where a ticket stands against its deadline. Computed, never stored;
/// on the wire as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlaStatus {
    /// Within the deadline (or no deadline: "A combinar").
    Normal,
    /// Open, with three quarters of the time used.
    AtRisk,
    /// Open past the deadline.
    Late,
    /// Closed in time (frozen at closing).
    Met,
    /// Closed after the deadline (frozen at closing).
    Violated,
}

wire_names!(SlaStatus {
    Normal => "normal",
    AtRisk => "em_risco",
    Late => "atrasado",
    Met => "cumprido",
    Violated => "violado",
});

impl SlaStatus {
    pub const ALL: [SlaStatus; 5] = [
        SlaStatus::Normal,
        SlaStatus::AtRisk,
        SlaStatus::Late,
        SlaStatus::Met,
        SlaStatus::Violated,
    ];

    /// The code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            SlaStatus::Normal => "normal",
            SlaStatus::AtRisk => "em_risco",
            SlaStatus::Late => "atrasado",
            SlaStatus::Met => "cumprido",
            SlaStatus::Violated => "violado",
        }
    }

    pub fn from_code(code: &str) -> Option<SlaStatus> {
        SlaStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Who may read a history entry. Decided by the entry's kind (`EventKind::visibility`),
/// never by a separate flag a query could forget to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Visibility {
    /// The customer and staff.
    Public,
    /// Staff only.
    Internal,
}

/// What a line of a ticket's history ("Histórico") records. Stored as its code in
/// `ticket_event.kind`; on the wire as the same code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The request was made (detail: "service / activity").
    Opened,
    /// A file was attached (detail: its name).
    Attachment,
    /// "Anotação" by the customer.
    Note,
    /// Closed with a solution.
    Closed,
    /// "Reabrir", with the reason.
    Reopened,
    /// "Opinião": elogio or queixa.
    Opinion,
    /// "Pesquisa de satisfação".
    Rated,
    /// "Nota interna": a note among staff, never shown to the customer.
    InternalNote,
    /// An agent became the responsible one ("Capturar"; detail: their name).
    Captured,
    /// "Atribuir" (detail: the agent's name).
    Assigned,
    /// "Encaminhar" to another group (detail: "old → new: note").
    Forwarded,
    /// "Tarefa" moved along the workflow (detail: "old → new").
    TaskChanged,
    /// "Reclassificar" (detail: before → after).
    Reclassified,
    /// "Responder ao cliente": a public reply from staff.
    Reply,
    /// "Suspender" (detail: the reason).
    Suspended,
    /// Back to "Em Andamento" ("Retomar", or the customer answered).
    Resumed,
    /// "Cancelar" (detail: the reason).
    Cancelled,
    /// "Definir prazo" of a ticket whose SLA is "A combinar" (detail: the deadline).
    DeadlineSet,
}

wire_names!(EventKind {
    Opened => "opened",
    Attachment => "attachment",
    Note => "note",
    Closed => "closed",
    Reopened => "reopened",
    Opinion => "opinion",
    Rated => "rated",
    InternalNote => "internal_note",
    Captured => "captured",
    Assigned => "assigned",
    Forwarded => "forwarded",
    TaskChanged => "task_changed",
    Reclassified => "reclassified",
    Reply => "reply",
    Suspended => "suspended",
    Resumed => "resumed",
    Cancelled => "cancelled",
    DeadlineSet => "deadline_set",
});

impl EventKind {
    pub const ALL: [EventKind; 18] = [
        EventKind::Opened,
        EventKind::Attachment,
        EventKind::Note,
        EventKind::Closed,
        EventKind::Reopened,
        EventKind::Opinion,
        EventKind::Rated,
        EventKind::InternalNote,
        EventKind::Captured,
        EventKind::Assigned,
        EventKind::Forwarded,
        EventKind::TaskChanged,
        EventKind::Reclassified,
        EventKind::Reply,
        EventKind::Suspended,
        EventKind::Resumed,
        EventKind::Cancelled,
        EventKind::DeadlineSet,
    ];

    /// Stored in `ticket_event.kind`.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Attachment => "attachment",
            EventKind::Note => "note",
            EventKind::Closed => "closed",
            EventKind::Reopened => "reopened",
            EventKind::Opinion => "opinion",
            EventKind::Rated => "rated",
            EventKind::InternalNote => "internal_note",
            EventKind::Captured => "captured",
            EventKind::Assigned => "assigned",
            EventKind::Forwarded => "forwarded",
            EventKind::TaskChanged => "task_changed",
            EventKind::Reclassified => "reclassified",
            EventKind::Reply => "reply",
            EventKind::Suspended => "suspended",
            EventKind::Resumed => "resumed",
            EventKind::Cancelled => "cancelled",
            EventKind::DeadlineSet => "deadline_set",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Who may read entries of this kind. Exhaustive on purpose: a new kind cannot be
    /// added without deciding.
    pub fn visibility(self) -> Visibility {
        match self {
            EventKind::Opened
            | EventKind::Attachment
            | EventKind::Note
            | EventKind::Closed
            | EventKind::Reopened
            | EventKind::Opinion
            | EventKind::Rated
            | EventKind::TaskChanged
            | EventKind::Reclassified
            | EventKind::Reply
            | EventKind::Suspended
            | EventKind::Resumed
            | EventKind::Cancelled
            | EventKind::DeadlineSet => Visibility::Public,
            // Staff's own: internal notes, who works the ticket and why it was forwarded
            // (the customer sees the current group, not the note).
            EventKind::InternalNote
            | EventKind::Captured
            | EventKind::Assigned
            | EventKind::Forwarded => Visibility::Internal,
        }
    }

    /// The kinds with this visibility.
    pub fn with_visibility(visibility: Visibility) -> impl Iterator<Item = EventKind> {
        EventKind::ALL
            .into_iter()
            .filter(move |k| k.visibility() == visibility)
    }
}

/// "Ordenar Por".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortBy {
    #[default]
    Created,
    Number,
    Deadline,
    Priority,
    Situation,
}

wire_names!(SortBy {
    Created => "Created",
    Number => "Number",
    Deadline => "Deadline",
    Priority => "Priority",
    Situation => "Situation",
});

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::Created,
        SortBy::Number,
        SortBy::Deadline,
        SortBy::Priority,
        SortBy::Situation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortBy::Created => "criacao",
            SortBy::Number => "numero",
            SortBy::Deadline => "prazo",
            SortBy::Priority => "prioridade",
            SortBy::Situation => "situacao",
        }
    }

    pub fn from_code(code: &str) -> Option<SortBy> {
        SortBy::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SortBy::Created, Lang::Pt) => "Data/Hora Criação",
            (SortBy::Number, Lang::Pt) => "Número",
            (SortBy::Deadline, Lang::Pt) => "Prazo limite",
            (SortBy::Priority, Lang::Pt) => "Prioridade",
            (SortBy::Situation, Lang::Pt) => "Situação",
            (SortBy::Created, Lang::En) => "Date/time created",
            (SortBy::Number, Lang::En) => "Number",
            (SortBy::Deadline, Lang::En) => "Deadline",
            (SortBy::Priority, Lang::En) => "Priority",
            (SortBy::Situation, Lang::En) => "Situation",
        }
    }
}

/// The list's filters, search, order and page (1-based).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFilter {
    pub query: String,
    /// `None` is "Todas".
    pub situation: Option<Situation>,
    pub sort: SortBy,
    pub ascending: bool,
    pub page: u64,
}

impl Default for TicketFilter {
    /// The seed's defaults: Em Andamento, Data/Hora Criação, DESC.
    fn default() -> Self {
        TicketFilter {
            query: String::new(),
            situation: Some(Situation::Open),
            sort: SortBy::Created,
            ascending: false,
            page: 1,
        }
    }
}

impl TicketFilter {
    /// Reads the URL query (`get` returns a parameter's value).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> TicketFilter {
        let defaults = TicketFilter::default();
        let query = get("q").unwrap_or_default();
        let situation = match get("situacao").as_deref() {
            Some("todas") => None,
            Some(code) => Situation::from_code(code).or(defaults.situation),
            None => defaults.situation,
        };
        TicketFilter {
            query,
            situation,
            sort: get("ordenar")
                .and_then(|c| SortBy::from_code(&c))
                .unwrap_or_default(),
            ascending: get("ordem").is_some_and(|o| o.eq_ignore_ascii_case("asc")),
            page: get("pagina")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1),
        }
        .normalized()
    }

    /// The filter within its bounds, whoever built it (the URL, or a client calling the
    /// server function with anything at all): the page between 1 and `PAGE_MAX`, the
    /// search text trimmed, without control characters and at most `QUERY_MAX` long.
    pub fn normalized(self) -> TicketFilter {
        let query: String = self
            .query
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(QUERY_MAX)
            .collect();
        TicketFilter {
            query,
            page: self.page.clamp(1, PAGE_MAX),
            ..self
        }
    }

    /// The URL of this list: `/meus-tickets` and only what differs from the defaults.
    pub fn href(&self) -> String {
        let defaults = TicketFilter::default();
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!(
                "q={}",
                crate::domain::percent_encode(&self.query, b"")
            ));
        }
        if self.situation != defaults.situation {
            parts.push(format!(
                "situacao={}",
                self.situation.map_or("todas", Situation::code)
            ));
        }
        if self.sort != defaults.sort {
            parts.push(format!("ordenar={}", self.sort.code()));
        }
        if self.ascending {
            parts.push("ordem=asc".to_owned());
        }
        if self.page > 1 {
            parts.push(format!("pagina={}", self.page));
        }
        if parts.is_empty() {
            "/meus-tickets".to_owned()
        } else {
            format!("/meus-tickets?{}", parts.join("&"))
        }
    }

    pub fn with_page(&self, page: u64) -> TicketFilter {
        TicketFilter {
            page,
            ..self.clone()
        }
    }
}

/// One row of "Meus Tickets", in the seed's columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketRow {
    pub number: TicketNumber,
    pub ticket_type: String,
    pub service: String,
    pub request: String,
    /// dd/mm/aaaa hh:mm in the instance's time zone.
    pub created_at: String,
    pub task: String,
    pub group: String,
    /// On the wire as its code (`"em_andamento"`), as it always was.
    #[serde(with = "situation_code")]
    pub situation: Situation,
    /// Business hours of the SLA, `None` for "A combinar".
    pub sla_hours: Option<i32>,
    pub deadline: Option<String>,
    pub sla_status: SlaStatus,
    pub priority: i16,
    pub has_attachments: bool,
}

read_as_map!(TicketRow {
    number,
    ticket_type,
    service,
    request,
    created_at,
    task,
    group,
    situation = situation_code::Seed,
    sla_hours,
    deadline,
    sla_status,
    priority,
    has_attachments,
});

/// One page of "Meus Tickets", with the filter as the server applied it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPage {
    pub total: u64,
    pub filter: TicketFilter,
    pub rows: Vec<TicketRow>,
}

/// One file of a ticket's "Anexos".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRow {
    pub id: AttachmentId,
    pub name: String,
    pub size: u64,
    pub created_at: String,
}

/// One line of "Histórico".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub at: String,
    /// The person's name; empty for the system.
    pub who: String,
    pub kind: EventKind,
    pub detail: String,
}

/// Everything the ticket page shows a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketDetail {
    pub row: TicketRow,
    pub title: String,
    pub description: String,
    pub fields: Vec<FieldValue>,
    pub profile: RequestProfileInput,
    pub attachments: Vec<AttachmentRow>,
    /// Public entries only (see `crate::server::tickets::view::public_history`).
    pub history: Vec<HistoryRow>,
    pub solution: Option<String>,
    pub closed_at: Option<String>,
    /// (elogio|queixa, text)
    pub opinion: Option<(String, String)>,
    /// (score, comment)
    pub rating: Option<(i16, String)>,
    /// Until when the survey and reopening are offered (local time), while they are.
    pub rating_until: Option<String>,
    pub reopen_until: Option<String>,
    pub limits: AttachmentLimits,
}

read_as_map!(TicketDetail {
    row,
    title,
    description,
    fields,
    profile,
    attachments,
    history,
    solution,
    closed_at,
    opinion,
    rating,
    rating_until,
    reopen_until,
    limits,
});

impl TicketDetail {
    pub fn is_open(&self) -> bool {
        self.row.situation.is_open()
    }
}

/// A note, opinion, reason or comment: trimmed, not empty (unless `optional`), not too
/// long.
pub fn free_text(value: &str, optional: bool) -> Result<String, Problem> {
    let value = super::text::multiline(value, NOTE_MAX)?;
    if value.is_empty() && !optional {
        return Err(Problem::Required);
    }
    Ok(value)
}

/// "Pesquisa de satisfação": 1 to 5.
pub fn rating(score: i16) -> Result<i16, Problem> {
    if (1..=5).contains(&score) {
        Ok(score)
    } else {
        Err(Problem::InvalidChoice)
    }
}

/// "Opinião": elogio (praise) or queixa (complaint).
pub fn opinion_kind(kind: &str) -> Result<&'static str, Problem> {
    match kind {
        "elogio" => Ok("elogio"),
        "queixa" => Ok("queixa"),
        _ => Err(Problem::InvalidChoice),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(query: &[(&str, &str)]) -> TicketFilter {
        let map: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        TicketFilter::from_query(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_seeds_and_stay_out_of_the_url() {
        let filter = parse(&[]);
        assert_eq!(filter, TicketFilter::default());
        assert_eq!(filter.href(), "/meus-tickets");
        assert_eq!(filter.situation, Some(Situation::Open));
        assert!(!filter.ascending);
    }

    #[test]
    fn the_url_round_trips() {
        let filter = TicketFilter {
            query: "correção 12".into(),
            situation: None,
            sort: SortBy::Deadline,
            ascending: true,
            page: 3,
        };
        let href = filter.href();
        assert_eq!(
            href,
            "/meus-tickets?q=corre%C3%A7%C3%A3o%2012&situacao=todas&ordenar=prazo&ordem=asc&pagina=3"
        );
        let parsed = parse(&[
            ("q", "correção 12"),
            ("situacao", "todas"),
            ("ordenar", "prazo"),
            ("ordem", "asc"),
            ("pagina", "3"),
        ]);
        assert_eq!(parsed, filter);
    }

    #[test]
    fn nonsense_falls_back_to_defaults() {
        let filter = parse(&[
            ("situacao", "x"),
            ("ordenar", "y"),
            ("ordem", "z"),
            ("pagina", "-4"),
        ]);
        assert_eq!(filter, TicketFilter::default());
        assert_eq!(parse(&[("pagina", "0")]).page, 1);
    }

    #[test]
    fn codes_round_trip_and_are_the_wire_form() {
        for s in SlaStatus::ALL {
            assert_eq!(SlaStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).ok(),
                Some(format!("\"{}\"", s.code()))
            );
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).ok(),
                Some(format!("\"{}\"", k.code()))
            );
        }
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Row {
            #[serde(with = "situation_code")]
            situation: Situation,
        }
        let row = Row {
            situation: Situation::Suspended,
        };
        let json = serde_json::to_string(&row).unwrap_or_default();
        assert_eq!(json, r#"{"situation":"suspensa"}"#);
        assert_eq!(serde_json::from_str::<Row>(&json).ok(), Some(row));
        assert!(serde_json::from_str::<Row>(r#"{"situation":"Open"}"#).is_err());
    }

    #[test]
    fn staff_only_kinds_are_internal() {
        assert_eq!(
            EventKind::with_visibility(Visibility::Internal).collect::<Vec<_>>(),
            [
                EventKind::InternalNote,
                EventKind::Captured,
                EventKind::Assigned,
                EventKind::Forwarded
            ]
        );
        assert_eq!(EventKind::with_visibility(Visibility::Public).count(), 14);
    }

    #[test]
    fn free_texts_and_choices() {
        assert_eq!(free_text("  ok ", false), Ok("ok".into()));
        assert_eq!(free_text(" ", false), Err(Problem::Required));
        assert_eq!(free_text("", true), Ok(String::new()));
        assert_eq!(
            free_text(&"x".repeat(NOTE_MAX + 1), true),
            Err(Problem::TooLong)
        );
        assert_eq!(rating(0), Err(Problem::InvalidChoice));
        assert_eq!(rating(5), Ok(5));
        assert_eq!(opinion_kind("queixa"), Ok("queixa"));
        assert!(opinion_kind("x").is_err());
    }
}
