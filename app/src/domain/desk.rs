//! The staff desk as the browser and the server both see it: the queue's filters as they
//! live in the URL (`/fila?grupo=…&situacao=…&sla=…&responsavel=…&ordenar=…`), its rows
//! and counts, a ticket's workspace, and the actions staff take, with the rule of which
//! action a ticket's situation allows (the page offers those, the server enforces them).

use serde::{Deserialize, Serialize};

use crate::domain::attachment::AttachmentLimits;
use crate::domain::ids::{ActivityId, GroupId, ServiceId, TicketNumber, UserId};
use crate::domain::request::{FieldValue, RequestProfileInput};
use crate::domain::tickets::{
    AttachmentRow, HistoryRow, PAGE_MAX, QUERY_MAX, Situation, SlaStatus, free_text, situation_code,
};
use crate::domain::{Field, FieldErrors, Problem, percent_encode};
use crate::i18n::Lang;

/// Tickets on a page of the queue.
pub const QUEUE_PAGE_SIZE: u64 = 50;
/// Counts per situation stop here ("1000+"): an exact count of a large queue under an
/// arbitrary filter (a common word, say) means reading every ticket of the queue, at
/// every page load.
pub const COUNT_CAP: u64 = 1_000;

/// A count as shown: exact below the cap, "1000+" at it.
pub fn count_text(n: u64) -> String {
    if n >= COUNT_CAP {
        format!("{COUNT_CAP}+")
    } else {
        n.to_string()
    }
}
/// Where the queue lives.
pub const QUEUE_PATH: &str = "/fila";

/// The workspace of a ticket.
pub fn workspace_path(number: TicketNumber) -> String {
    format!("{QUEUE_PATH}/{number}")
}

/// "Responsável" filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Assigned {
    #[default]
    Anyone,
    /// "Atribuídos a mim".
    Me,
    /// "Sem responsável".
    Nobody,
}

impl Assigned {
    pub const ALL: [Assigned; 3] = [Assigned::Anyone, Assigned::Me, Assigned::Nobody];

    pub fn code(self) -> &'static str {
        match self {
            Assigned::Anyone => "todos",
            Assigned::Me => "meus",
            Assigned::Nobody => "sem",
        }
    }

    pub fn from_code(code: &str) -> Option<Assigned> {
        Assigned::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Assigned::Anyone, Lang::Pt) => "Qualquer responsável",
            (Assigned::Me, Lang::Pt) => "Atribuídos a mim",
            (Assigned::Nobody, Lang::Pt) => "Sem responsável",
            (Assigned::Anyone, Lang::En) => "Anyone",
            (Assigned::Me, Lang::En) => "Assigned to me",
            (Assigned::Nobody, Lang::En) => "Unassigned",
        }
    }
}

/// The queue's "Situação" filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SituationFilter {
    /// "Abertos": Em Andamento and Suspensa, the tickets still to be worked.
    #[default]
    Open,
    One(Situation),
    /// "Todas".
    All,
}

impl SituationFilter {
    /// In the URL (`situacao=`): "abertos", a situation's code, or "todas".
    pub fn code(self) -> &'static str {
        match self {
            SituationFilter::Open => "abertos",
            SituationFilter::One(situation) => situation.code(),
            SituationFilter::All => "todas",
        }
    }

    pub fn from_code(code: &str) -> Option<SituationFilter> {
        match code {
            "abertos" => Some(SituationFilter::Open),
            "todas" => Some(SituationFilter::All),
            other => Situation::from_code(other).map(SituationFilter::One),
        }
    }

    /// The situations it lists, in `Situation::ALL`'s order.
    pub fn situations(self) -> Vec<Situation> {
        match self {
            SituationFilter::Open => vec![Situation::Open, Situation::Suspended],
            SituationFilter::One(situation) => vec![situation],
            SituationFilter::All => Situation::ALL.to_vec(),
        }
    }

    /// Every choice, as the select offers them.
    pub fn choices() -> Vec<SituationFilter> {
        std::iter::once(SituationFilter::Open)
            .chain(Situation::ALL.into_iter().map(SituationFilter::One))
            .chain(std::iter::once(SituationFilter::All))
            .collect()
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SituationFilter::Open, Lang::Pt) => "Abertos (Em Andamento e Suspensa)",
            (SituationFilter::Open, Lang::En) => "Open (in progress and suspended)",
            (SituationFilter::One(situation), lang) => situation.name(lang),
            (SituationFilter::All, Lang::Pt) => "Todas",
            (SituationFilter::All, Lang::En) => "All",
        }
    }
}

/// The queue's order. "Criada em" follows the number: numbers are given in order of
/// creation, and the number's index serves both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueueSort {
    #[default]
    Deadline,
    Number,
    Created,
    Priority,
}

impl QueueSort {
    pub const ALL: [QueueSort; 4] = [
        QueueSort::Deadline,
        QueueSort::Number,
        QueueSort::Created,
        QueueSort::Priority,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QueueSort::Deadline => "prazo",
            QueueSort::Number => "numero",
            QueueSort::Created => "criacao",
            QueueSort::Priority => "prioridade",
        }
    }

    pub fn from_code(code: &str) -> Option<QueueSort> {
        QueueSort::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (QueueSort::Deadline, Lang::Pt) => "Prazo limite",
            (QueueSort::Number, Lang::Pt) => "Número",
            (QueueSort::Created, Lang::Pt) => "Criada em",
            (QueueSort::Priority, Lang::Pt) => "Prioridade",
            (QueueSort::Deadline, Lang::En) => "Deadline",
            (QueueSort::Number, Lang::En) => "Number",
            (QueueSort::Created, Lang::En) => "Created",
            (QueueSort::Priority, Lang::En) => "Priority",
        }
    }
}

/// The queue's filters, search, order and page (1-based).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub query: String,
    /// One of the caller's groups; `None` is all of them.
    pub group: Option<GroupId>,
    pub task: Option<String>,
    pub situation: SituationFilter,
    pub sla: Option<SlaStatus>,
    pub priority: Option<i16>,
    pub assigned: Assigned,
    pub service: Option<ServiceId>,
    pub sort: QueueSort,
    pub ascending: bool,
    pub page: u64,
}

impl Default for QueueFilter {
    /// Open tickets (in progress or suspended), nearest deadline first.
    fn default() -> Self {
        QueueFilter {
            query: String::new(),
            group: None,
            task: None,
            situation: SituationFilter::Open,
            sla: None,
            priority: None,
            assigned: Assigned::Anyone,
            service: None,
            sort: QueueSort::Deadline,
            ascending: true,
            page: 1,
        }
    }
}

impl QueueFilter {
    /// Reads the URL query; what cannot be read falls back to the default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> QueueFilter {
        let defaults = QueueFilter::default();
        let number = |name: &str| get(name).and_then(|v| v.trim().parse::<i64>().ok());
        let situation = get("situacao")
            .and_then(|code| SituationFilter::from_code(&code))
            .unwrap_or(defaults.situation);
        let sort = get("ordenar")
            .and_then(|c| QueueSort::from_code(&c))
            .unwrap_or_default();
        QueueFilter {
            query: get("q").unwrap_or_default(),
            group: number("grupo")
                .and_then(|g| i32::try_from(g).ok())
                .map(GroupId),
            task: get("tarefa").filter(|t| !t.trim().is_empty()),
            situation,
            sla: get("sla").and_then(|c| SlaStatus::from_code(&c)),
            priority: number("prioridade")
                .and_then(|p| i16::try_from(p).ok())
                .filter(|p| (1..=5).contains(p)),
            assigned: get("responsavel")
                .and_then(|c| Assigned::from_code(&c))
                .unwrap_or_default(),
            service: number("servico")
                .and_then(|s| i32::try_from(s).ok())
                .map(ServiceId),
            sort,
            ascending: match get("ordem").as_deref() {
                Some(o) if o.eq_ignore_ascii_case("asc") => true,
                Some(o) if o.eq_ignore_ascii_case("desc") => false,
                _ => default_ascending(sort),
            },
            page: number("pagina")
                .and_then(|p| u64::try_from(p).ok())
                .unwrap_or(1),
        }
        .normalized()
    }

    /// Within bounds, whoever built it.
    pub fn normalized(self) -> QueueFilter {
        let clean = |text: &str, max: usize| -> String {
            text.trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(max)
                .collect()
        };
        QueueFilter {
            query: clean(&self.query, QUERY_MAX),
            task: self
                .task
                .as_deref()
                .map(|t| clean(t, 200))
                .filter(|t| !t.is_empty()),
            priority: self.priority.filter(|p| (1..=5).contains(p)),
            page: self.page.clamp(1, PAGE_MAX),
            ..self
        }
    }

    /// `/fila` and only what differs from the defaults.
    pub fn href(&self) -> String {
        let defaults = QueueFilter::default();
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!("q={}", percent_encode(&self.query, b"")));
        }
        if let Some(group) = self.group {
            parts.push(format!("grupo={group}"));
        }
        if let Some(task) = &self.task {
            parts.push(format!("tarefa={}", percent_encode(task, b"")));
        }
        if self.situation != defaults.situation {
            parts.push(format!("situacao={}", self.situation.code()));
        }
        if let Some(sla) = self.sla {
            parts.push(format!("sla={}", sla.code()));
        }
        if let Some(priority) = self.priority {
            parts.push(format!("prioridade={priority}"));
        }
        if self.assigned != Assigned::Anyone {
            parts.push(format!("responsavel={}", self.assigned.code()));
        }
        if let Some(service) = self.service {
            parts.push(format!("servico={service}"));
        }
        if self.sort != defaults.sort {
            parts.push(format!("ordenar={}", self.sort.code()));
        }
        if self.ascending != default_ascending(self.sort) {
            parts.push(format!(
                "ordem={}",
                if self.ascending { "asc" } else { "desc" }
            ));
        }
        if self.page > 1 {
            parts.push(format!("pagina={}", self.page));
        }
        if parts.is_empty() {
            QUEUE_PATH.to_owned()
        } else {
            format!("{QUEUE_PATH}?{}", parts.join("&"))
        }
    }

    pub fn with_page(&self, page: u64) -> QueueFilter {
        QueueFilter {
            page,
            ..self.clone()
        }
    }
}

/// The deadline nearest first; numbers, dates and priorities highest first ("1" is the
/// highest priority, so ascending).
fn default_ascending(sort: QueueSort) -> bool {
    matches!(sort, QueueSort::Deadline | QueueSort::Priority)
}

/// One row of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub number: TicketNumber,
    pub service: String,
    pub request: String,
    pub title: String,
    pub customer: String,
    pub created_at: String,
    pub task: String,
    pub group: String,
    /// "Responsável"; `None` when nobody has captured the ticket.
    pub assignee: Option<String>,
    #[serde(with = "situation_code")]
    pub situation: Situation,
    pub deadline: Option<String>,
    pub sla_status: SlaStatus,
    pub priority: i16,
}

/// A choice of a filter or an action: its value and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice<T> {
    pub id: T,
    pub name: String,
}

/// One page of the queue, with what its filters offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    /// Tickets under the filters, up to `COUNT_CAP` (at the cap: that many or more).
    pub total: u64,
    pub filter: QueueFilter,
    pub rows: Vec<QueueRow>,
    /// Tickets per situation under the current filters (situation aside), each up to
    /// `COUNT_CAP`.
    pub counts: Vec<(Situation, u64)>,
    /// The groups the caller may filter by.
    pub groups: Vec<Choice<GroupId>>,
    pub services: Vec<Choice<ServiceId>>,
    pub tasks: Vec<String>,
}

/// What staff can do with a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Capture,
    Assign,
    Forward,
    Task,
    Reclassify,
    Reply,
    InternalNote,
    Suspend,
    Resume,
    Resolve,
    Cancel,
    Deadline,
}

impl ActionKind {
    pub const ALL: [ActionKind; 12] = [
        ActionKind::Capture,
        ActionKind::Assign,
        ActionKind::Forward,
        ActionKind::Task,
        ActionKind::Reclassify,
        ActionKind::Reply,
        ActionKind::InternalNote,
        ActionKind::Suspend,
        ActionKind::Resume,
        ActionKind::Resolve,
        ActionKind::Cancel,
        ActionKind::Deadline,
    ];

    /// The form's name and the tab's query value.
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Capture => "capturar",
            ActionKind::Assign => "atribuir",
            ActionKind::Forward => "encaminhar",
            ActionKind::Task => "tarefa",
            ActionKind::Reclassify => "reclassificar",
            ActionKind::Reply => "responder",
            ActionKind::InternalNote => "nota-interna",
            ActionKind::Suspend => "suspender",
            ActionKind::Resume => "retomar",
            ActionKind::Resolve => "resolver",
            ActionKind::Cancel => "cancelar",
            ActionKind::Deadline => "prazo",
        }
    }

    pub fn from_code(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ActionKind::Capture, Lang::Pt) => "Capturar",
            (ActionKind::Assign, Lang::Pt) => "Atribuir",
            (ActionKind::Forward, Lang::Pt) => "Encaminhar",
            (ActionKind::Task, Lang::Pt) => "Tarefa",
            (ActionKind::Reclassify, Lang::Pt) => "Reclassificar",
            (ActionKind::Reply, Lang::Pt) => "Responder ao cliente",
            (ActionKind::InternalNote, Lang::Pt) => "Nota interna",
            (ActionKind::Suspend, Lang::Pt) => "Suspender",
            (ActionKind::Resume, Lang::Pt) => "Retomar",
            (ActionKind::Resolve, Lang::Pt) => "Resolver",
            (ActionKind::Cancel, Lang::Pt) => "Cancelar",
            (ActionKind::Deadline, Lang::Pt) => "Definir prazo",
            (ActionKind::Capture, Lang::En) => "Capture",
            (ActionKind::Assign, Lang::En) => "Assign",
            (ActionKind::Forward, Lang::En) => "Forward",
            (ActionKind::Task, Lang::En) => "Task",
            (ActionKind::Reclassify, Lang::En) => "Reclassify",
            (ActionKind::Reply, Lang::En) => "Reply to customer",
            (ActionKind::InternalNote, Lang::En) => "Internal note",
            (ActionKind::Suspend, Lang::En) => "Suspend",
            (ActionKind::Resume, Lang::En) => "Resume",
            (ActionKind::Resolve, Lang::En) => "Resolve",
            (ActionKind::Cancel, Lang::En) => "Cancel",
            (ActionKind::Deadline, Lang::En) => "Set deadline",
        }
    }

    /// The fields of this action's form, in order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            ActionKind::Capture | ActionKind::Resume => &[],
            ActionKind::Assign => &[Field::Agent],
            ActionKind::Forward => &[Field::Group, Field::Note],
            ActionKind::Task => &[Field::Task],
            ActionKind::Reclassify => &[
                Field::Activity,
                Field::TicketType,
                Field::Impact,
                Field::Urgency,
            ],
            ActionKind::Reply => &[Field::Reply],
            ActionKind::InternalNote => &[Field::InternalNote],
            ActionKind::Suspend | ActionKind::Cancel => &[Field::Reason],
            ActionKind::Resolve => &[Field::Solution],
            ActionKind::Deadline => &[Field::Deadline],
        }
    }

    /// Whether a ticket in `situation` allows this action. Closed and cancelled tickets
    /// allow none; a suspended one is resumed (or answered, forwarded, resolved …) but
    /// not moved along its workflow, reclassified, given a deadline or suspended again.
    pub fn allowed_in(self, situation: Situation) -> bool {
        match situation {
            Situation::Open => self != ActionKind::Resume,
            Situation::Suspended => !matches!(
                self,
                ActionKind::Task
                    | ActionKind::Reclassify
                    | ActionKind::Suspend
                    | ActionKind::Deadline
            ),
            Situation::Closed | Situation::Cancelled => false,
        }
    }
}

/// An action with what it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeskAction {
    Capture,
    Assign {
        agent: UserId,
    },
    Forward {
        group: GroupId,
        note: String,
    },
    Task {
        task: String,
    },
    Reclassify {
        activity: ActivityId,
        ticket_type: String,
        impact: i32,
        urgency: i32,
    },
    Reply {
        text: String,
    },
    InternalNote {
        text: String,
    },
    Suspend {
        reason: String,
    },
    Resume,
    Resolve {
        solution: String,
    },
    Cancel {
        reason: String,
    },
    /// "Definir prazo": the deadline of a ticket whose SLA is "A combinar", as typed
    /// (`dd/mm/aaaa hh:mm`, in the instance's time zone).
    Deadline {
        at: String,
    },
}

impl DeskAction {
    pub fn kind(&self) -> ActionKind {
        match self {
            DeskAction::Capture => ActionKind::Capture,
            DeskAction::Assign { .. } => ActionKind::Assign,
            DeskAction::Forward { .. } => ActionKind::Forward,
            DeskAction::Task { .. } => ActionKind::Task,
            DeskAction::Reclassify { .. } => ActionKind::Reclassify,
            DeskAction::Reply { .. } => ActionKind::Reply,
            DeskAction::InternalNote { .. } => ActionKind::InternalNote,
            DeskAction::Suspend { .. } => ActionKind::Suspend,
            DeskAction::Resume => ActionKind::Resume,
            DeskAction::Resolve { .. } => ActionKind::Resolve,
            DeskAction::Cancel { .. } => ActionKind::Cancel,
            DeskAction::Deadline { .. } => ActionKind::Deadline,
        }
    }

    /// The action of this kind from its form's fields (`get` gives a field's value as
    /// sent; a choice that is not a number is no choice, refused by the server).
    pub fn from_fields(kind: ActionKind, get: impl Fn(Field) -> String) -> DeskAction {
        let number = |field| get(field).trim().parse::<i32>().unwrap_or(0);
        match kind {
            ActionKind::Capture => DeskAction::Capture,
            ActionKind::Assign => DeskAction::Assign {
                agent: UserId(number(Field::Agent)),
            },
            ActionKind::Forward => DeskAction::Forward {
                group: GroupId(number(Field::Group)),
                note: get(Field::Note),
            },
            ActionKind::Task => DeskAction::Task {
                task: get(Field::Task),
            },
            ActionKind::Reclassify => DeskAction::Reclassify {
                activity: ActivityId(number(Field::Activity)),
                ticket_type: get(Field::TicketType),
                impact: number(Field::Impact),
                urgency: number(Field::Urgency),
            },
            ActionKind::Reply => DeskAction::Reply {
                text: get(Field::Reply),
            },
            ActionKind::InternalNote => DeskAction::InternalNote {
                text: get(Field::InternalNote),
            },
            ActionKind::Suspend => DeskAction::Suspend {
                reason: get(Field::Reason),
            },
            ActionKind::Resume => DeskAction::Resume,
            ActionKind::Resolve => DeskAction::Resolve {
                solution: get(Field::Solution),
            },
            ActionKind::Cancel => DeskAction::Cancel {
                reason: get(Field::Reason),
            },
            ActionKind::Deadline => DeskAction::Deadline {
                at: get(Field::Deadline),
            },
        }
    }

    /// The checks the browser makes before sending (the server makes them again, with
    /// those that need the database).
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let mut text = |field: Field, value: &str| {
            errors.check(field, free_text(value, false));
        };
        match self {
            DeskAction::Forward { note, .. } => text(Field::Note, note),
            DeskAction::Reply { text: t } => text(Field::Reply, t),
            DeskAction::InternalNote { text: t } => text(Field::InternalNote, t),
            DeskAction::Suspend { reason } | DeskAction::Cancel { reason } => {
                text(Field::Reason, reason)
            }
            DeskAction::Resolve { solution } => text(Field::Solution, solution),
            DeskAction::Reclassify {
                ticket_type: kind,
                impact,
                urgency,
                ..
            } => {
                errors.check(Field::TicketType, ticket_type(kind));
                errors.check(Field::Impact, level(*impact));
                errors.check(Field::Urgency, level(*urgency));
            }
            DeskAction::Deadline { at } => {
                if crate::domain::calendar::parse_date_time(at).is_none() {
                    errors.add(Field::Deadline, Problem::InvalidDateTime);
                }
            }
            DeskAction::Capture
            | DeskAction::Assign { .. }
            | DeskAction::Task { .. }
            | DeskAction::Resume => {}
        }
        errors
    }

    /// The field a refusal of this action is shown beside.
    pub fn field(&self) -> Field {
        match self {
            DeskAction::Capture | DeskAction::Resume => Field::DeskAction,
            DeskAction::Assign { .. } => Field::Agent,
            DeskAction::Forward { .. } => Field::Group,
            DeskAction::Task { .. } => Field::Task,
            DeskAction::Reclassify { .. } => Field::Activity,
            DeskAction::Reply { .. } => Field::Reply,
            DeskAction::InternalNote { .. } => Field::InternalNote,
            DeskAction::Suspend { .. } | DeskAction::Cancel { .. } => Field::Reason,
            DeskAction::Resolve { .. } => Field::Solution,
            DeskAction::Deadline { .. } => Field::Deadline,
        }
    }
}

/// "Tipo": Requisição (R) or Incidente (I).
pub fn ticket_type(code: &str) -> Result<&'static str, Problem> {
    match code {
        "R" => Ok("R"),
        "I" => Ok("I"),
        _ => Err(Problem::InvalidChoice),
    }
}

/// Impact or urgency: 1 (high) to 3 (low).
pub fn level(value: i32) -> Result<i32, Problem> {
    if (1..=3).contains(&value) {
        Ok(value)
    } else {
        Err(Problem::InvalidChoice)
    }
}

/// Everything the workspace shows staff about one ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub row: QueueRow,
    pub ticket_type: String,
    /// What every action sends back, to be refused if somebody changed the ticket since.
    pub version: i32,
    pub customer_login: String,
    pub customer_email: String,
    pub activity: ActivityId,
    pub impact: i32,
    pub urgency: i32,
    pub sla_hours: Option<i32>,
    pub title: String,
    pub description: String,
    pub fields: Vec<FieldValue>,
    pub profile: RequestProfileInput,
    pub attachments: Vec<AttachmentRow>,
    /// Every entry, internal notes included, oldest first.
    pub history: Vec<HistoryRow>,
    pub solution: Option<String>,
    /// Why it is suspended, or was cancelled.
    pub status_reason: Option<String>,
    pub first_response_at: Option<String>,
    /// When the first response is due, if the SLA sets a target for it, and whether it
    /// was (or, still unanswered, is) missed.
    pub first_response_due: Option<String>,
    pub first_response_missed: bool,
    /// The caller may act on it (else they only read: a manager, or an agent who acted on
    /// it before it left their groups).
    pub can_act: bool,
    /// The actions its situation allows, when the caller may act.
    pub actions: Vec<ActionKind>,
    /// The members of the ticket's group ("Atribuir").
    pub members: Vec<Choice<UserId>>,
    /// The other groups ("Encaminhar").
    pub groups: Vec<Choice<GroupId>>,
    /// The tasks of its activity's workflow, in order.
    pub tasks: Vec<String>,
    /// Every active activity as "Serviço / Atividade" ("Reclassificar").
    pub activities: Vec<Choice<ActivityId>>,
    pub limits: AttachmentLimits,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(query: &[(&str, &str)]) -> QueueFilter {
        let map: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        QueueFilter::from_query(|k| map.get(k).cloned())
    }

    /// Percent-decoding, as the router does for the page.
    fn decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1..i + 3)) {
                (b'%', Some(hex)) => {
                    let hex = std::str::from_utf8(hex).unwrap_or("00");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn defaults_stay_out_of_the_url() {
        assert_eq!(parse(&[]), QueueFilter::default());
        assert_eq!(QueueFilter::default().href(), "/fila");
        assert!(QueueFilter::default().ascending);
    }

    #[test]
    fn every_filter_round_trips_through_the_url() {
        let filter = QueueFilter {
            query: "joão 123".into(),
            group: Some(GroupId(4)),
            task: Some("Atendimento".into()),
            situation: SituationFilter::All,
            sla: Some(SlaStatus::AtRisk),
            priority: Some(2),
            assigned: Assigned::Nobody,
            service: Some(ServiceId(7)),
            sort: QueueSort::Number,
            ascending: true,
            page: 3,
        };
        let href = filter.href();
        let query: Vec<(String, String)> = href
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), decode(v)))
            .collect();
        let parsed = QueueFilter::from_query(|name| {
            query
                .iter()
                .find_map(|(k, v)| (k == name).then(|| v.clone()))
        });
        assert_eq!(parsed, filter);
    }

    #[test]
    fn nonsense_falls_back_to_defaults() {
        let filter = parse(&[
            ("situacao", "x"),
            ("sla", "y"),
            ("prioridade", "9"),
            ("responsavel", "z"),
            ("grupo", "abc"),
            ("pagina", "-1"),
            ("ordenar", "w"),
        ]);
        assert_eq!(filter, QueueFilter::default());
    }

    #[test]
    fn actions_are_read_from_their_fields_and_checked() {
        let sent = |field: Field| match field {
            Field::Group => "3".to_owned(),
            Field::Note => "  ".to_owned(),
            Field::Impact => "x".to_owned(),
            _ => String::new(),
        };
        let forward = DeskAction::from_fields(ActionKind::Forward, sent);
        assert_eq!(
            forward,
            DeskAction::Forward {
                group: GroupId(3),
                note: "  ".into()
            }
        );
        assert_eq!(forward.check().get(Field::Note), Some(Problem::Required));
        let reclassify = DeskAction::from_fields(ActionKind::Reclassify, sent);
        assert_eq!(
            reclassify.check().get(Field::Impact),
            Some(Problem::InvalidChoice)
        );
        for kind in ActionKind::ALL {
            assert_eq!(DeskAction::from_fields(kind, sent).kind(), kind);
        }
    }

    #[test]
    fn situations_allow_their_actions() {
        assert!(ActionKind::Capture.allowed_in(Situation::Open));
        assert!(!ActionKind::Resume.allowed_in(Situation::Open));
        assert!(ActionKind::Resume.allowed_in(Situation::Suspended));
        assert!(!ActionKind::Suspend.allowed_in(Situation::Suspended));
        for kind in ActionKind::ALL {
            assert!(!kind.allowed_in(Situation::Closed));
            assert!(!kind.allowed_in(Situation::Cancelled));
            assert_eq!(ActionKind::from_code(kind.code()), Some(kind));
        }
    }
}
