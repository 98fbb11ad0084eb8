//! Administration of people and the audit trail, shared by the browser (instant
//! feedback) and the server (the authoritative check).
//!
//! Every form of "Usuários e grupos" is one [`PeopleCommand`]. A plain post and the
//! enhanced form read it from the same name/value pairs ([`PeopleCommand::from_form`]);
//! the server function gets it as JSON and checks it again ([`PeopleCommand::validated`]).

use serde::{Deserialize, Serialize};

use super::account::{self, Role};
use super::{Field, FieldErrors, Problem};
use crate::i18n::Lang;

/// Longest group name.
pub const GROUP_NAME_MAX: usize = 200;

/// Form names (`_form`) of "Usuários e grupos".
pub const GROUP_NEW_FORM: &str = "grupo-novo";
pub const GROUP_RENAME_FORM: &str = "grupo-renomear";
pub const GROUP_ACTIVE_FORM: &str = "grupo-ativo";
pub const MEMBER_ADD_FORM: &str = "membro-adicionar";
pub const MEMBER_REMOVE_FORM: &str = "membro-remover";
pub const USER_NEW_FORM: &str = "usuario-novo";
pub const USER_ROLE_FORM: &str = "usuario-papel";
pub const USER_ACTIVE_FORM: &str = "usuario-ativo";
pub const USER_RESET_FORM: &str = "usuario-senha";
/// Hidden inputs naming the row a form is about, and the state it sets.
pub const GROUP_ID: &str = "grupo-id";
pub const USER_ID: &str = "usuario-id";
pub const ACTIVE: &str = "ativo";

/// A group's name: one trimmed line, unique among groups (checked by the server).
pub fn group_name(value: &str) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        Err(Problem::Required)
    } else if value.chars().count() > GROUP_NAME_MAX {
        Err(Problem::TooLong)
    } else if value.chars().any(char::is_control) {
        Err(Problem::InvalidCharacters)
    } else {
        Ok(value.to_owned())
    }
}

/// A new staff account: the person gets an invitation e-mail with a link to choose
/// their password; nobody types a password for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInvite {
    pub name: String,
    pub login: String,
    pub email: String,
    pub role: Role,
    /// The support groups they work in.
    pub groups: Vec<i32>,
}

/// One change to groups or people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeopleCommand {
    CreateGroup { name: String },
    RenameGroup { group: i32, name: String },
    SetGroupActive { group: i32, active: bool },
    AddMember { group: i32, user: i32 },
    RemoveMember { group: i32, user: i32 },
    InviteStaff(StaffInvite),
    SetRole { user: i32, role: Role },
    SetUserActive { user: i32, active: bool },
    SendReset { user: i32 },
}

/// An id sent by a form; what is not a number is no row (the server answers "not
/// found" for it, like for a row that does not exist).
fn id(value: &str) -> i32 {
    value.trim().parse().unwrap_or(0)
}

impl PeopleCommand {
    /// The command a form sends: `form` is its `_form`, `get` a field's value ("" when
    /// absent), `all` every value of a repeated field (checkboxes).
    pub fn from_form(
        form: &str,
        get: impl Fn(&str) -> String,
        all: impl Fn(&str) -> Vec<String>,
    ) -> Result<PeopleCommand, FieldErrors> {
        let group = || id(&get(GROUP_ID));
        let user = || id(&get(USER_ID));
        let active = || get(ACTIVE).trim() == "1";
        let role = |errors: &mut FieldErrors| {
            let role = Role::from_code(&get(&Field::Role.id()));
            if role.is_none() {
                errors.add(Field::Role, Problem::InvalidChoice);
            }
            role.unwrap_or(Role::Agent)
        };
        let mut errors = FieldErrors::new();
        let command = match form {
            GROUP_NEW_FORM => PeopleCommand::CreateGroup {
                name: get(&Field::GroupName.id()),
            },
            GROUP_RENAME_FORM => PeopleCommand::RenameGroup {
                group: group(),
                name: get(&Field::GroupName.id()),
            },
            GROUP_ACTIVE_FORM => PeopleCommand::SetGroupActive {
                group: group(),
                active: active(),
            },
            MEMBER_ADD_FORM => {
                let member = get(&Field::Agent.id());
                if member.trim().is_empty() {
                    errors.add(Field::Agent, Problem::Required);
                }
                PeopleCommand::AddMember {
                    group: group(),
                    user: id(&member),
                }
            }
            MEMBER_REMOVE_FORM => PeopleCommand::RemoveMember {
                group: group(),
                user: user(),
            },
            USER_NEW_FORM => PeopleCommand::InviteStaff(StaffInvite {
                name: get(&Field::Name.id()),
                login: get(&Field::Login.id()),
                email: get(&Field::Email.id()),
                role: role(&mut errors),
                groups: all(&Field::Group.id()).iter().map(|g| id(g)).collect(),
            }),
            USER_ROLE_FORM => PeopleCommand::SetRole {
                user: user(),
                role: role(&mut errors),
            },
            USER_ACTIVE_FORM => PeopleCommand::SetUserActive {
                user: user(),
                active: active(),
            },
            USER_RESET_FORM => PeopleCommand::SendReset { user: user() },
            _ => {
                errors.add(Field::DeskAction, Problem::InvalidChoice);
                return Err(errors);
            }
        };
        match command.validated() {
            Ok(command) if errors.is_empty() => Ok(command),
            Ok(_) => Err(errors),
            Err(more) => {
                for (field, problem) in more.iter() {
                    errors.add(field, problem);
                }
                Err(errors)
            }
        }
    }

    /// The command with its texts trimmed, or the problems of each field.
    pub fn validated(self) -> Result<PeopleCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let command = match self {
            PeopleCommand::CreateGroup { name } => PeopleCommand::CreateGroup {
                name: errors
                    .check(Field::GroupName, group_name(&name))
                    .unwrap_or_default(),
            },
            PeopleCommand::RenameGroup { group, name } => PeopleCommand::RenameGroup {
                group,
                name: errors
                    .check(Field::GroupName, group_name(&name))
                    .unwrap_or_default(),
            },
            PeopleCommand::InviteStaff(invite) => {
                let name = errors.check(Field::Name, account::name(&invite.name));
                let login = errors.check(Field::Login, account::login(&invite.login));
                let email = errors.check(Field::Email, account::email(&invite.email));
                if !invite.role.is_staff() {
                    errors.add(Field::Role, Problem::InvalidChoice);
                }
                let mut groups = invite.groups;
                groups.sort_unstable();
                groups.dedup();
                PeopleCommand::InviteStaff(StaffInvite {
                    name: name.unwrap_or_default(),
                    login: login.unwrap_or_default(),
                    email: email.unwrap_or_default(),
                    role: invite.role,
                    groups,
                })
            }
            other => other,
        };
        if errors.is_empty() {
            Ok(command)
        } else {
            Err(errors)
        }
    }
}

/// A person as lists show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i32,
    pub name: String,
    pub login: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub login: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// The CPF or CNPJ of the customer's last request, formatted; "" if none.
    pub document: String,
    pub groups: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: i32,
    pub name: String,
    pub active: bool,
    pub members: Vec<Person>,
}

/// "Usuários e grupos".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleData {
    /// What was searched ("" lists the staff).
    pub query: String,
    pub users: Vec<UserRow>,
    /// More users match than are listed.
    pub more: bool,
    pub groups: Vec<GroupRow>,
    /// Active staff, to add to a group.
    pub staff: Vec<Person>,
    /// The administrator looking (who cannot deactivate or demote themselves).
    pub me: i32,
}

/// Kinds of audited things, as stored and filtered.
pub const AUDIT_KINDS: [&str; 5] = ["usuario", "grupo", "sla", "catalogo", "configuracao"];

pub fn audit_kind_label(kind: &str, lang: Lang) -> &str {
    let pt = lang == Lang::Pt;
    match kind {
        "usuario" => {
            if pt {
                "Usuário"
            } else {
                "User"
            }
        }
        "grupo" => {
            if pt {
                "Grupo"
            } else {
                "Group"
            }
        }
        "sla" => "SLA",
        "catalogo" => {
            if pt {
                "Catálogo"
            } else {
                "Catalog"
            }
        }
        "configuracao" => {
            if pt {
                "Configuração"
            } else {
                "Settings"
            }
        }
        other => other,
    }
}

/// The audit trail's filters, as the page's query carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Part of the actor's login.
    pub who: String,
    /// One of [`AUDIT_KINDS`], or "" for all.
    pub kind: String,
    /// First and last day (dd/mm/aaaa), in the instance's time zone; "" for open.
    pub from: String,
    pub to: String,
    /// Only entries older than this id (the next page).
    pub before: Option<i64>,
}

/// Query names of the audit page's filters.
pub const AUDIT_WHO: &str = "quem";
pub const AUDIT_KIND: &str = "tipo";
pub const AUDIT_FROM: &str = "de";
pub const AUDIT_TO: &str = "ate";
pub const AUDIT_BEFORE: &str = "antes";

impl AuditFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> AuditFilter {
        AuditFilter {
            who: get(AUDIT_WHO).unwrap_or_default(),
            kind: get(AUDIT_KIND).unwrap_or_default(),
            from: get(AUDIT_FROM).unwrap_or_default(),
            to: get(AUDIT_TO).unwrap_or_default(),
            before: get(AUDIT_BEFORE).and_then(|b| b.trim().parse().ok()),
        }
    }

    /// The query string of these filters (without `?`), `before` left out.
    pub fn to_query(&self) -> String {
        [
            (AUDIT_WHO, &self.who),
            (AUDIT_KIND, &self.kind),
            (AUDIT_FROM, &self.from),
            (AUDIT_TO, &self.to),
        ]
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", super::percent_encode(value.trim(), b"/")))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The period's days as (year, month, day), or the problems of the dates.
    #[allow(clippy::type_complexity)]
    pub fn period(
        &self,
    ) -> Result<(Option<(i32, u32, u32)>, Option<(i32, u32, u32)>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut day = |field: Field, text: &str| {
            if text.trim().is_empty() {
                return None;
            }
            let parsed = super::calendar::parse_date(text);
            if parsed.is_none() {
                errors.add(field, Problem::InvalidDate);
            }
            parsed
        };
        let from = day(Field::PeriodFrom, &self.from);
        let to = day(Field::PeriodTo, &self.to);
        if !self.kind.is_empty() && !AUDIT_KINDS.contains(&self.kind.as_str()) {
            errors.add(Field::AuditKind, Problem::InvalidChoice);
        }
        if errors.is_empty() {
            Ok((from, to))
        } else {
            Err(errors)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// dd/mm/aaaa hh:mm:ss in the instance's time zone.
    pub at: String,
    pub actor: String,
    pub address: String,
    pub kind: String,
    pub action: String,
    pub target: String,
    /// JSON, "" when there was nothing before (a creation) or after.
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// The `before` of the next (older) page, when there is one.
    pub next: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, pairs: &[(&str, &str)]) -> Result<PeopleCommand, FieldErrors> {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        };
        let all = |key: &str| {
            pairs
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
                .collect()
        };
        PeopleCommand::from_form(name, get, all)
    }

    #[test]
    fn an_invitation_reads_its_fields_and_refuses_a_customer_role() {
        let ok = form(
            USER_NEW_FORM,
            &[
                ("nome", " Ana Atendente "),
                ("login", "ana.atendente"),
                ("email", "ana@exemplo.gov.br"),
                ("papel", "agent"),
                ("grupo", "3"),
                ("grupo", "1"),
                ("grupo", "3"),
            ],
        );
        assert_eq!(
            ok,
            Ok(PeopleCommand::InviteStaff(StaffInvite {
                name: "Ana Atendente".into(),
                login: "ana.atendente".into(),
                email: "ana@exemplo.gov.br".into(),
                role: Role::Agent,
                groups: vec![1, 3],
            }))
        );
        let Err(errors) = form(
            USER_NEW_FORM,
            &[
                ("nome", ""),
                ("login", "a"),
                ("email", "x"),
                ("papel", "customer"),
            ],
        ) else {
            panic!("accepted");
        };
        for field in [Field::Name, Field::Login, Field::Email, Field::Role] {
            assert!(errors.get(field).is_some(), "{field:?}: {errors:?}");
        }
        let Err(errors) = form(USER_ROLE_FORM, &[("usuario-id", "4"), ("papel", "chefe")]) else {
            panic!("accepted an unknown role");
        };
        assert_eq!(errors.get(Field::Role), Some(Problem::InvalidChoice));
    }

    #[test]
    fn group_forms_check_the_name_and_read_the_state() {
        assert_eq!(
            form(GROUP_NEW_FORM, &[("grupo-nome", "  2º Nível - Redes ")]),
            Ok(PeopleCommand::CreateGroup {
                name: "2º Nível - Redes".into()
            })
        );
        let long = "x".repeat(GROUP_NAME_MAX + 1);
        let Err(errors) = form(
            GROUP_RENAME_FORM,
            &[("grupo-id", "2"), ("grupo-nome", &long)],
        ) else {
            panic!("accepted a long name");
        };
        assert_eq!(errors.get(Field::GroupName), Some(Problem::TooLong));
        assert_eq!(
            form(GROUP_ACTIVE_FORM, &[("grupo-id", "2"), ("ativo", "0")]),
            Ok(PeopleCommand::SetGroupActive {
                group: 2,
                active: false
            })
        );
        let Err(errors) = form(MEMBER_ADD_FORM, &[("grupo-id", "2"), ("responsavel", "")]) else {
            panic!("accepted no member");
        };
        assert_eq!(errors.get(Field::Agent), Some(Problem::Required));
        assert!(form("outro", &[]).is_err());
    }

    #[test]
    fn audit_filters_round_trip_through_the_query() {
        let filter = AuditFilter {
            who: "admin".into(),
            kind: "usuario".into(),
            from: "01/12/2026".into(),
            to: String::new(),
            before: None,
        };
        let query = filter.to_query();
        assert_eq!(query, "quem=admin&tipo=usuario&de=01/12/2026");
        let back = AuditFilter::from_query(|name| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
        });
        assert_eq!(back, filter);
        assert_eq!(back.period(), Ok((Some((2026, 12, 1)), None)));
        let wrong = AuditFilter {
            from: "31/02/2026".into(),
            kind: "nada".into(),
            ..AuditFilter::default()
        };
        let Err(errors) = wrong.period() else {
            panic!("accepted");
        };
        assert_eq!(errors.get(Field::PeriodFrom), Some(Problem::InvalidDate));
        assert_eq!(errors.get(Field::AuditKind), Some(Problem::InvalidChoice));
    }
}
