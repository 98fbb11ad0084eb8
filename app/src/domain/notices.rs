//! The e-mail notifications Atende sends, who gets each, and which ones a user may turn
//! off in "Meu perfil". Shared by the profile page (the switches) and the server (who is
//! written to).

use serde::{Deserialize, Serialize};

use crate::domain::{Field, FieldErrors, Problem};
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Notice {
    // To the customer.
    Opened,
    Reply,
    Suspended,
    Resumed,
    Resolved,
    Reopened,
    Cancelled,
    // To the agents of the ticket's group.
    NewInGroup,
    AtRisk,
    Overdue,
    CustomerReplied,
    // To the responsible agent.
    AssignedToYou,
}

/// Who a notice is written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Customer,
    Group,
    Assignee,
}

impl Notice {
    pub const ALL: [Notice; 12] = [
        Notice::Opened,
        Notice::Reply,
        Notice::Suspended,
        Notice::Resumed,
        Notice::Resolved,
        Notice::Reopened,
        Notice::Cancelled,
        Notice::NewInGroup,
        Notice::AtRisk,
        Notice::Overdue,
        Notice::CustomerReplied,
        Notice::AssignedToYou,
    ];

    /// Stored in `outbox.kind` and `user_account.mail_muted`.
    pub fn code(self) -> &'static str {
        match self {
            Notice::Opened => "aberto",
            Notice::Reply => "resposta",
            Notice::Suspended => "suspenso",
            Notice::Resumed => "retomado",
            Notice::Resolved => "resolvido",
            Notice::Reopened => "reaberto",
            Notice::Cancelled => "cancelado",
            Notice::NewInGroup => "novo-no-grupo",
            Notice::AtRisk => "em-risco",
            Notice::Overdue => "atrasado",
            Notice::CustomerReplied => "cliente-respondeu",
            Notice::AssignedToYou => "atribuido",
        }
    }

    pub fn from_code(code: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.code() == code.trim())
    }

    pub fn audience(self) -> Audience {
        match self {
            Notice::Opened
            | Notice::Reply
            | Notice::Suspended
            | Notice::Resumed
            | Notice::Resolved
            | Notice::Reopened
            | Notice::Cancelled => Audience::Customer,
            Notice::NewInGroup | Notice::AtRisk | Notice::Overdue | Notice::CustomerReplied => {
                Audience::Group
            }
            Notice::AssignedToYou => Audience::Assignee,
        }
    }

    /// Whether a user may turn it off. What a customer must know to act (the number of a
    /// new request, a reply, why it waits for them, the solution with its deadlines, a
    /// cancellation) always goes.
    pub fn optional(self) -> bool {
        !matches!(
            self,
            Notice::Opened
                | Notice::Reply
                | Notice::Suspended
                | Notice::Resolved
                | Notice::Cancelled
        )
    }

    /// The switch's label in "Meu perfil".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Notice::Opened, Lang::Pt) => "Ticket aberto",
            (Notice::Reply, Lang::Pt) => "Resposta da equipe",
            (Notice::Suspended, Lang::Pt) => "Ticket suspenso",
            (Notice::Resumed, Lang::Pt) => "Ticket retomado",
            (Notice::Resolved, Lang::Pt) => "Ticket resolvido",
            (Notice::Reopened, Lang::Pt) => "Ticket reaberto",
            (Notice::Cancelled, Lang::Pt) => "Ticket cancelado",
            (Notice::NewInGroup, Lang::Pt) => "Novo ticket no meu grupo",
            (Notice::AtRisk, Lang::Pt) => "Ticket do meu grupo em risco",
            (Notice::Overdue, Lang::Pt) => "Ticket do meu grupo atrasado",
            (Notice::CustomerReplied, Lang::Pt) => "Cliente respondeu",
            (Notice::AssignedToYou, Lang::Pt) => "Ticket atribuído a mim",
            (Notice::Opened, Lang::En) => "Ticket opened",
            (Notice::Reply, Lang::En) => "Reply from the team",
            (Notice::Suspended, Lang::En) => "Ticket suspended",
            (Notice::Resumed, Lang::En) => "Ticket resumed",
            (Notice::Resolved, Lang::En) => "Ticket resolved",
            (Notice::Reopened, Lang::En) => "Ticket reopened",
            (Notice::Cancelled, Lang::En) => "Ticket cancelled",
            (Notice::NewInGroup, Lang::En) => "New ticket in my group",
            (Notice::AtRisk, Lang::En) => "Ticket of my group at risk",
            (Notice::Overdue, Lang::En) => "Ticket of my group overdue",
            (Notice::CustomerReplied, Lang::En) => "Customer replied",
            (Notice::AssignedToYou, Lang::En) => "Ticket assigned to me",
        }
    }

    /// The optional notices a user of this kind receives (staff: their groups' and
    /// their own; customers: their tickets').
    pub fn optional_for(staff: bool) -> Vec<Notice> {
        Notice::ALL
            .into_iter()
            .filter(|n| n.optional() && ((n.audience() == Audience::Customer) != staff))
            .collect()
    }
}

/// What the "Avisos por e-mail" form sends: the language of e-mails ("pt" or "en") and
/// the codes of the optional notices to receive (those left out are turned off).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePrefs {
    pub language: String,
    pub receive: Vec<String>,
}

impl NoticePrefs {
    /// The language and the muted notices for a user (`staff`: which optional ones they
    /// have). Unknown codes are ignored; a language other than "pt" or "en" is refused.
    pub fn validate(&self, staff: bool) -> Result<(&'static str, Vec<Notice>), FieldErrors> {
        let language = match self.language.trim() {
            "pt" => "pt",
            "en" => "en",
            _ => {
                return Err(FieldErrors::single(
                    Field::MailLanguage,
                    Problem::InvalidChoice,
                ));
            }
        };
        let muted = Notice::optional_for(staff)
            .into_iter()
            .filter(|n| !self.receive.iter().any(|code| code.trim() == n.code()))
            .collect();
        Ok((language, muted))
    }
}

/// The outbox as administrators see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxStatus {
    pub pending: u64,
    pub sent: u64,
    pub failed: u64,
    /// Messages waiting or given up, the most recent first (at most 50).
    pub problems: Vec<OutboxRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub state: String,
    pub attempts: i32,
    /// Local time, as every date on screen.
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
}

/// `user_account.mail_muted` read: unknown codes are ignored, mandatory ones never muted.
pub fn muted(stored: &str) -> Vec<Notice> {
    stored
        .split(',')
        .filter_map(Notice::from_code)
        .filter(|n| n.optional())
        .collect()
}

/// The stored form of a set of muted notices.
pub fn stored(muted: &[Notice]) -> String {
    Notice::ALL
        .into_iter()
        .filter(|n| n.optional() && muted.contains(n))
        .map(Notice::code)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_mandatory_ones_cannot_be_muted() {
        for notice in Notice::ALL {
            assert_eq!(Notice::from_code(notice.code()), Some(notice));
        }
        let all = stored(&Notice::ALL);
        assert!(!all.split(',').any(|c| c == "aberto" || c == "resolvido"));
        assert_eq!(
            muted("aberto,retomado,xyz,em-risco"),
            vec![Notice::Resumed, Notice::AtRisk]
        );
        assert_eq!(
            Notice::optional_for(false),
            vec![Notice::Resumed, Notice::Reopened]
        );
        assert!(Notice::optional_for(true).contains(&Notice::AssignedToYou));
    }

    #[test]
    fn preferences_mute_what_is_left_out_and_refuse_unknown_languages() {
        let prefs = NoticePrefs {
            language: "en".into(),
            receive: vec!["reaberto".into(), "aberto".into(), "xyz".into()],
        };
        assert_eq!(prefs.validate(false), Ok(("en", vec![Notice::Resumed])));
        let staff = prefs
            .validate(true)
            .map(|(_, muted)| muted)
            .unwrap_or_default();
        assert_eq!(staff, Notice::optional_for(true));
        let bad = NoticePrefs {
            language: "fr".into(),
            receive: vec![],
        };
        assert!(bad.validate(false).is_err());
    }
}
