//! Who is told what by mail, and the messages themselves (pt-BR, or English for users
//! who chose English; plain text and HTML from one description). Letters are queued in
//! the outbox inside the transaction of the change they announce (`outbox::enqueue`).

use chrono::{DateTime, Utc};
use entity::{ticket, user_account, user_group};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::account::Role;
use crate::domain::notices::{self, Audience, Notice};
use crate::domain::request::priority_name;
use crate::domain::tickets::EventKind;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server::outbox::Letter;
use crate::state::{AppState, TicketRules};

/// What the messages need to know of the instance: where users reach it, its time zone
/// and the windows after a ticket closes.
#[derive(Clone, Debug)]
pub struct Notifier {
    pub public_url: String,
    pub time_zone: chrono_tz::Tz,
    pub tickets: TicketRules,
}

impl Notifier {
    pub fn of(state: &AppState) -> Notifier {
        Notifier {
            public_url: state.public_url(),
            time_zone: state.time_zone(),
            tickets: state.tickets(),
        }
    }
}

/// Stands for the ticket's number in letters prepared before the number is known (a
/// new ticket's, written in the creation's transaction).
pub const NUMBER: &str = "\u{1}numero\u{1}";

/// Someone a letter goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub lang: Lang,
    muted: Vec<Notice>,
}

impl Person {
    fn of(user: user_account::Model) -> Person {
        Person {
            id: user.id,
            lang: if user.language == "en" {
                Lang::En
            } else {
                Lang::Pt
            },
            muted: notices::muted(&user.mail_muted),
            name: user.name,
            email: user.email,
        }
    }

    fn wants(&self, notice: Notice) -> bool {
        !self.muted.contains(&notice)
    }
}

/// What a letter says about its ticket.
#[derive(Clone, Debug)]
pub struct Facts {
    pub ticket_id: Option<i64>,
    /// The number, or `NUMBER` before it is known.
    pub number: String,
    pub title: String,
    /// "Serviço / Atividade".
    pub service: String,
    pub group: String,
    pub priority: i16,
    pub deadline: Option<DateTime<Utc>>,
    /// The reply, reason or solution the notice carries (may be empty).
    pub detail: String,
    /// Until when the survey is answered and the ticket reopened (resolved tickets).
    pub rating_until: Option<DateTime<Utc>>,
    pub reopen_until: Option<DateTime<Utc>>,
}

/// The users who get `notice` about a ticket of `customer` in `group` with `assignee`,
/// leaving out whoever caused it (staff do not need mail about their own actions) and
/// whoever turned it off.
pub async fn recipients(
    db: &impl ConnectionTrait,
    notice: Notice,
    customer: i32,
    group: i32,
    assignee: Option<i32>,
    actor: Option<i32>,
) -> Result<Vec<Person>, DbErr> {
    let people: Vec<user_account::Model> = match notice.audience() {
        Audience::Customer => user_account::Entity::find_by_id(customer)
            .one(db)
            .await?
            .into_iter()
            .collect(),
        Audience::Assignee => match assignee {
            Some(id) if Some(id) != actor => user_account::Entity::find_by_id(id)
                .one(db)
                .await?
                .into_iter()
                .collect(),
            _ => Vec::new(),
        },
        Audience::Group => {
            let members: Vec<i32> = user_group::Entity::find()
                .filter(user_group::Column::GroupId.eq(group))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.user_id)
                .filter(|id| Some(*id) != actor)
                .collect();
            if members.is_empty() {
                Vec::new()
            } else {
                user_account::Entity::find()
                    .filter(user_account::Column::Id.is_in(members))
                    .filter(user_account::Column::Role.ne(Role::Customer.code()))
                    .all(db)
                    .await?
            }
        }
    };
    Ok(people
        .into_iter()
        .filter(|user| user.active)
        .map(Person::of)
        .filter(|person| person.wants(notice))
        .collect())
}

/// The letters announcing `notice` to `people`.
pub fn letters(state: &Notifier, notice: Notice, facts: &Facts, people: &[Person]) -> Vec<Letter> {
    people
        .iter()
        .map(|person| {
            let (subject, text, html) = render(state, notice, facts, person);
            Letter {
                kind: notice.code(),
                ticket_id: facts.ticket_id,
                recipient: person.email.clone(),
                subject,
                text,
                html,
            }
        })
        .collect()
}

/// The facts of a stored ticket.
pub async fn facts(
    db: &impl ConnectionTrait,
    state: &Notifier,
    t: &ticket::Model,
    detail: &str,
) -> Result<Facts, AppError> {
    let names = crate::server::tickets::view::Names::of(db, std::slice::from_ref(t)).await?;
    Ok(facts_of(state, t, &names, detail))
}

/// The facts of a stored ticket, with the names of its service, activity and group
/// read already (for many tickets at once).
pub fn facts_of(
    state: &Notifier,
    t: &ticket::Model,
    names: &crate::server::tickets::view::Names,
    detail: &str,
) -> Facts {
    let name = |map: &std::collections::HashMap<i32, String>, id| {
        map.get(&id).cloned().unwrap_or_default()
    };
    let closed = t.closed_at;
    Facts {
        ticket_id: Some(t.id),
        number: t.number.to_string(),
        title: t.title.clone(),
        service: format!(
            "{} / {}",
            name(&names.services, t.service_id),
            name(&names.activities, t.activity_id)
        ),
        group: name(&names.groups, t.group_id),
        priority: t.priority,
        deadline: t.deadline,
        detail: detail.to_owned(),
        rating_until: closed.map(|c| c + state.tickets.rating_window),
        reopen_until: closed.map(|c| c + state.tickets.reopen_window),
    }
}

/// The notices a line of a ticket's history causes.
fn notices_of(kind: EventKind) -> &'static [Notice] {
    match kind {
        EventKind::Opened => &[Notice::Opened, Notice::NewInGroup],
        EventKind::Reply => &[Notice::Reply],
        EventKind::Suspended => &[Notice::Suspended],
        EventKind::Resumed => &[Notice::Resumed],
        EventKind::Closed => &[Notice::Resolved],
        EventKind::Reopened => &[Notice::Reopened],
        EventKind::Cancelled => &[Notice::Cancelled],
        EventKind::Note => &[Notice::CustomerReplied],
        EventKind::Forwarded => &[Notice::NewInGroup],
        EventKind::Assigned => &[Notice::AssignedToYou],
        EventKind::Attachment
        | EventKind::Opinion
        | EventKind::Rated
        | EventKind::InternalNote
        | EventKind::Captured
        | EventKind::TaskChanged
        | EventKind::Reclassified
        | EventKind::DeadlineSet => &[],
    }
}

/// Queues, inside `db`'s transaction, the mail a new line of `ticket`'s history causes
/// (read after the change, so it tells the ticket as it now is).
pub async fn on_event(
    db: &impl ConnectionTrait,
    state: &Notifier,
    now: DateTime<Utc>,
    ticket: i64,
    kind: EventKind,
    detail: &str,
    actor: Option<i32>,
) -> Result<(), AppError> {
    let notices = notices_of(kind);
    if notices.is_empty() {
        return Ok(());
    }
    let Some(t) = ticket::Entity::find_by_id(ticket).one(db).await? else {
        return Ok(());
    };
    let facts = facts(db, state, &t, detail).await?;
    let mut all = Vec::new();
    for notice in notices {
        let people =
            recipients(db, *notice, t.customer_id, t.group_id, t.assignee_id, actor).await?;
        all.extend(letters(state, *notice, &facts, &people));
    }
    crate::server::outbox::enqueue(db, now, all).await?;
    Ok(())
}

// --- The messages ------------------------------------------------------------------------

/// One paragraph of a message.
enum Part {
    Text(String),
    /// Quoted text from someone (a reply, a reason, a solution), kept as written.
    Quote(String),
    /// A label and a value on one line ("Prioridade: Alta").
    Field(&'static str, String),
    Link(String, String),
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn as_text(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Quote(text) => {
                for line in text.lines() {
                    out.push_str("> ");
                    out.push_str(line);
                    out.push('\n');
                }
                out.pop();
            }
            Part::Field(label, value) => {
                out.push_str(label);
                out.push_str(": ");
                out.push_str(value);
            }
            Part::Link(label, url) => {
                out.push_str(label);
                out.push_str(": ");
                out.push_str(url);
            }
        }
        out.push_str("\n\n");
    }
    out.trim_end().to_owned() + "\n"
}

fn as_html(lang: Lang, parts: &[Part]) -> String {
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"></head><body>",
        lang.code()
    );
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(&format!("<p>{}</p>", escape(text))),
            Part::Quote(text) => out.push_str(&format!(
                "<blockquote style=\"white-space:pre-wrap\">{}</blockquote>",
                escape(text)
            )),
            Part::Field(label, value) => out.push_str(&format!(
                "<p><strong>{}:</strong> {}</p>",
                escape(label),
                escape(value)
            )),
            Part::Link(label, url) => out.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape(url),
                escape(label)
            )),
        }
    }
    out.push_str("</body></html>");
    out
}

fn render(state: &Notifier, notice: Notice, f: &Facts, to: &Person) -> (String, String, String) {
    let lang = to.lang;
    let pt = lang == Lang::Pt;
    let t = |pt_text: &str, en_text: &str| {
        if pt {
            pt_text.to_owned()
        } else {
            en_text.to_owned()
        }
    };
    let when = |at: Option<DateTime<Utc>>| match at {
        Some(at) => at
            .with_timezone(&state.time_zone)
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        None => t("A combinar", "To be agreed"),
    };
    let field = |pt_label: &'static str, en_label: &'static str, value: String| {
        Part::Field(if pt { pt_label } else { en_label }, value)
    };
    let n = &f.number;
    let customer_link = format!("{}/meus-tickets/{n}", state.public_url);
    let see = || {
        Part::Link(
            t("Acompanhe o ticket", "Follow the ticket"),
            customer_link.clone(),
        )
    };
    let desk = || {
        Part::Link(
            t("Abrir no atendimento", "Open in the desk"),
            format!("{}/fila/{n}", state.public_url),
        )
    };
    let ticket = || field("Ticket", "Ticket", format!("{n} — {}", f.title));
    let reason = || field("Motivo", "Reason", f.detail.clone());
    let deadline = || field("Prazo limite", "Deadline", when(f.deadline));
    let service = || field("Serviço", "Service", f.service.clone());
    let priority = || {
        field(
            "Prioridade",
            "Priority",
            priority_name(f.priority, lang).to_owned(),
        )
    };
    let quote = || Part::Quote(f.detail.clone());
    let say = |pt_text: &str, en_text: &str| Part::Text(t(pt_text, en_text));
    let (title, body): (String, Vec<Part>) = match notice {
        Notice::Opened => (
            t("Ticket aberto", "Ticket opened"),
            vec![
                say("Recebemos a sua solicitação.", "We received your request."),
                field("Número do ticket", "Ticket number", n.clone()),
                service(),
                priority(),
                deadline(),
                see(),
            ],
        ),
        Notice::Reply => (
            t("Nova resposta", "New reply"),
            vec![
                ticket(),
                say(
                    "A equipe de atendimento respondeu:",
                    "The service desk replied:",
                ),
                quote(),
                see(),
            ],
        ),
        Notice::Suspended => (
            t("Ticket suspenso", "Ticket suspended"),
            vec![
                ticket(),
                say(
                    "O atendimento foi suspenso e aguarda você. O prazo não corre enquanto isso.",
                    "Work on the ticket is suspended and waits for you. The deadline does not run meanwhile.",
                ),
                reason(),
                see(),
            ],
        ),
        Notice::Resumed => (
            t("Ticket retomado", "Ticket resumed"),
            vec![
                ticket(),
                say("O atendimento foi retomado.", "Work on the ticket resumed."),
                deadline(),
                see(),
            ],
        ),
        Notice::Resolved => (
            t("Ticket resolvido", "Ticket resolved"),
            vec![
                ticket(),
                say(
                    "O ticket foi resolvido. Solução:",
                    "The ticket was resolved. Solution:",
                ),
                quote(),
                Part::Link(
                    if pt {
                        format!(
                            "Responda à pesquisa de satisfação até {}",
                            when(f.rating_until)
                        )
                    } else {
                        format!(
                            "Answer the satisfaction survey until {}",
                            when(f.rating_until)
                        )
                    },
                    format!("{customer_link}?aba=pesquisa"),
                ),
                Part::Link(
                    if pt {
                        format!(
                            "Se o problema continuar, reabra o ticket até {}",
                            when(f.reopen_until)
                        )
                    } else {
                        format!(
                            "If the problem persists, reopen the ticket until {}",
                            when(f.reopen_until)
                        )
                    },
                    format!("{customer_link}?aba=reabrir"),
                ),
            ],
        ),
        Notice::Reopened => (
            t("Ticket reaberto", "Ticket reopened"),
            vec![
                ticket(),
                say("O ticket foi reaberto.", "The ticket was reopened."),
                reason(),
                deadline(),
                see(),
            ],
        ),
        Notice::Cancelled => (
            t("Ticket cancelado", "Ticket cancelled"),
            vec![
                ticket(),
                say("O ticket foi cancelado.", "The ticket was cancelled."),
                reason(),
                see(),
            ],
        ),
        Notice::NewInGroup => (
            t("Novo ticket no grupo", "New ticket in the group"),
            vec![
                Part::Text(if pt {
                    format!("Um ticket chegou ao grupo {}.", f.group)
                } else {
                    format!("A ticket arrived in the group {}.", f.group)
                }),
                ticket(),
                service(),
                priority(),
                deadline(),
                desk(),
            ],
        ),
        Notice::AtRisk => (
            t("Ticket em risco", "Ticket at risk"),
            vec![
                ticket(),
                say(
                    "Três quartos do prazo já foram usados.",
                    "Three quarters of the time to the deadline are used.",
                ),
                field("Grupo", "Group", f.group.clone()),
                deadline(),
                desk(),
            ],
        ),
        Notice::Overdue => (
            t("Ticket atrasado", "Ticket overdue"),
            vec![
                ticket(),
                say(
                    "O prazo limite passou e o ticket segue aberto.",
                    "The deadline passed and the ticket is still open.",
                ),
                field("Grupo", "Group", f.group.clone()),
                deadline(),
                desk(),
            ],
        ),
        Notice::CustomerReplied => (
            t("O cliente respondeu", "The customer replied"),
            vec![
                ticket(),
                say("O cliente escreveu:", "The customer wrote:"),
                quote(),
                desk(),
            ],
        ),
        Notice::AssignedToYou => (
            t("Ticket atribuído a você", "Ticket assigned to you"),
            vec![
                ticket(),
                say(
                    "Você é o responsável por este ticket.",
                    "You are responsible for this ticket.",
                ),
                deadline(),
                desk(),
            ],
        ),
    };
    let subject = format!("[Atende #{n}] {title}: {}", f.title);
    let mut parts = vec![Part::Text(if pt {
        format!("Olá, {}.", to.name)
    } else {
        format!("Hello, {}.", to.name)
    })];
    parts.extend(body);
    parts.push(say(
        "Mensagem automática do Atende. Os avisos opcionais podem ser desligados em \"Meu perfil\".",
        "Automatic message from Atende. Optional notices can be turned off in \"Meu perfil\" (My profile).",
    ));
    (subject, as_text(&parts), as_html(lang, &parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_people_wrote() {
        let html = as_html(
            Lang::Pt,
            &[
                Part::Quote("<script>alert(1)</script> & \"x\"".to_owned()),
                Part::Link("a".to_owned(), "https://x/?a=1&b=\"2\"".to_owned()),
            ],
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("href=\"https://x/?a=1&amp;b=&quot;2&quot;\""));
        let text = as_text(&[
            Part::Quote("a\nb".to_owned()),
            Part::Field("Motivo", "x".to_owned()),
        ]);
        assert_eq!(text, "> a\n> b\n\nMotivo: x\n");
    }
}
