//! Administration of the service catalog ("Portfólio de serviços"), shared by the browser
//! and the server: portfolios, services and activities (create, edit, reorder, enable,
//! disable), an activity's settings and workflow, and its form (the fields a customer
//! fills besides the description).
//!
//! As for people (`crate::domain::admin`), every form is one [`CatalogCommand`], read
//! from the posted name/value pairs by [`CatalogCommand::from_form`] and checked again by
//! [`CatalogCommand::validated`] on the server. Changes to an activity (its settings and
//! its form) carry the version the administrator loaded: the server refuses one made
//! on a version somebody else has changed since.

use serde::{Deserialize, Serialize};

use super::request::{FieldKind, FieldSpec};
use super::{Field, FieldErrors, Problem};

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const TASK_MAX: usize = 100;
pub const TASKS_MAX: usize = 20;
pub const HELP_MAX: usize = 300;
pub const OPTIONS_MAX: usize = 100;
pub const SLA_HOURS_MAX: i32 = 10_000;
pub const FIELD_LENGTH_MAX: i32 = 20_000;

/// Form names (`_form`).
pub const PORTFOLIO_NEW_FORM: &str = "portfolio-novo";
pub const SERVICE_NEW_FORM: &str = "servico-novo";
pub const ACTIVITY_NEW_FORM: &str = "atividade-nova";
pub const ITEM_EDIT_FORM: &str = "item-editar";
pub const ITEM_MOVE_FORM: &str = "item-mover";
pub const ITEM_ACTIVE_FORM: &str = "item-ativo";
pub const ACTIVITY_FORM: &str = "atividade-config";
pub const FIELD_NEW_FORM: &str = "campo-novo";
pub const FIELD_EDIT_FORM: &str = "campo-editar";
pub const FIELD_MOVE_FORM: &str = "campo-mover";
pub const FIELD_REMOVE_FORM: &str = "campo-remover";
/// Hidden inputs: the level and id of the item, its parent, the direction of a move,
/// the state set, the activity's version, the field's id.
pub const LEVEL: &str = "nivel";
pub const ITEM_ID: &str = "item-id";
pub const PARENT_ID: &str = "pai-id";
pub const DIRECTION: &str = "para";
pub const ACTIVE: &str = "ativo";
pub const VERSION: &str = "versao";
pub const FIELD_ID: &str = "campo-id";

/// The kinds of field a form may have, as stored, in the order the builder offers them.
pub const FIELD_KINDS: [&str; 9] = [
    "text",
    "long_text",
    "number",
    "date",
    "select",
    "checkbox",
    "cpf",
    "cnpj",
    "cep",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    Portfolio,
    Service,
    Activity,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Portfolio => "portfolio",
            Level::Service => "servico",
            Level::Activity => "atividade",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        [Level::Portfolio, Level::Service, Level::Activity]
            .into_iter()
            .find(|l| l.code() == code.trim())
    }
}

/// A field of an activity's form, as the builder edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldInput {
    pub label: String,
    pub kind: String,
    pub help: String,
    pub required: bool,
    /// Empty: the kind's own limit.
    pub max_length: String,
    /// For a select: one option per line.
    pub options: String,
}

/// An activity's settings and workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySettings {
    pub name: String,
    pub description: String,
    /// "R" Requisição, "I" Incidente.
    pub ticket_type: String,
    pub impact: String,
    pub urgency: String,
    /// Business hours; empty: "A combinar".
    pub sla_hours: String,
    /// The task a new ticket starts in: one of `workflow`'s.
    pub initial_task: String,
    pub initial_group: i32,
    /// The tasks, in order, one per line.
    pub workflow: String,
}

/// One change to the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CatalogCommand {
    /// `parent`: the portfolio of a new service, the service of a new activity.
    Create {
        level: Level,
        parent: i32,
        name: String,
        description: String,
    },
    Edit {
        level: Level,
        id: i32,
        name: String,
        description: String,
    },
    Move {
        level: Level,
        id: i32,
        up: bool,
    },
    SetActive {
        level: Level,
        id: i32,
        active: bool,
    },
    Configure {
        activity: i32,
        version: i32,
        settings: ActivitySettings,
    },
    AddField {
        activity: i32,
        version: i32,
        field: FieldInput,
    },
    EditField {
        activity: i32,
        version: i32,
        id: i32,
        field: FieldInput,
    },
    MoveField {
        activity: i32,
        version: i32,
        id: i32,
        up: bool,
    },
    RemoveField {
        activity: i32,
        version: i32,
        id: i32,
    },
}

fn id(value: &str) -> i32 {
    value.trim().parse().unwrap_or(0)
}

/// A name: one trimmed line.
pub fn name(value: &str) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        Err(Problem::Required)
    } else if value.chars().count() > NAME_MAX {
        Err(Problem::TooLong)
    } else if value.chars().any(char::is_control) {
        Err(Problem::InvalidCharacters)
    } else {
        Ok(value.to_owned())
    }
}

fn description(value: &str) -> Result<String, Problem> {
    super::text::multiline(value, DESCRIPTION_MAX)
}

/// 1 (high) to 3 (low).
fn level_of(value: &str) -> Result<i32, Problem> {
    match value.trim().parse::<i32>() {
        Ok(n) if (1..=3).contains(&n) => Ok(n),
        _ => Err(Problem::InvalidChoice),
    }
}

/// Business hours, or none ("A combinar").
pub fn sla_hours(value: &str) -> Result<Option<i32>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i32>() {
        Ok(n) if (1..=SLA_HOURS_MAX).contains(&n) => Ok(Some(n)),
        _ => Err(Problem::InvalidNumber),
    }
}

/// The workflow's tasks, trimmed, in order; none empty or repeated.
pub fn workflow(value: &str) -> Result<Vec<String>, Problem> {
    let tasks: Vec<String> = value
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if tasks.is_empty() {
        return Err(Problem::Required);
    }
    if tasks.len() > TASKS_MAX || tasks.iter().any(|t| t.chars().count() > TASK_MAX) {
        return Err(Problem::TooLong);
    }
    if tasks.iter().any(|t| t.chars().any(char::is_control)) {
        return Err(Problem::InvalidCharacters);
    }
    let mut seen = tasks.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != tasks.len() {
        return Err(Problem::NameTaken);
    }
    Ok(tasks)
}

/// The settings, valid: name, description, type, impact, urgency, SLA, initial task and
/// group, workflow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSettings {
    pub name: String,
    pub description: String,
    pub ticket_type: String,
    pub impact: i32,
    pub urgency: i32,
    pub sla_hours: Option<i32>,
    pub initial_task: String,
    pub initial_group: i32,
    pub workflow: Vec<String>,
}

impl ActivitySettings {
    pub fn validate(&self) -> Result<ValidSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check(Field::Name, name(&self.name));
        let description = errors.check(Field::Description, description(&self.description));
        let ticket_type = errors.check(
            Field::TicketType,
            match self.ticket_type.trim() {
                t @ ("R" | "I") => Ok(t.to_owned()),
                _ => Err(Problem::InvalidChoice),
            },
        );
        let impact = errors.check(Field::Impact, level_of(&self.impact));
        let urgency = errors.check(Field::Urgency, level_of(&self.urgency));
        let sla = errors.check(Field::SlaHours, sla_hours(&self.sla_hours));
        let workflow = errors.check(Field::Workflow, workflow(&self.workflow));
        let task = self.initial_task.trim().to_owned();
        if let Some(tasks) = &workflow {
            if !tasks.contains(&task) {
                errors.add(Field::Task, Problem::InvalidChoice);
            }
        }
        if self.initial_group <= 0 {
            errors.add(Field::Group, Problem::Required);
        }
        match (
            name,
            description,
            ticket_type,
            impact,
            urgency,
            sla,
            workflow,
        ) {
            (
                Some(name),
                Some(description),
                Some(ticket_type),
                Some(impact),
                Some(urgency),
                Some(sla_hours),
                Some(workflow),
            ) if errors.is_empty() => Ok(ValidSettings {
                name,
                description,
                ticket_type,
                impact,
                urgency,
                sla_hours,
                initial_task: task,
                initial_group: self.initial_group,
                workflow,
            }),
            _ => Err(errors),
        }
    }
}

/// A field, valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidField {
    pub label: String,
    pub kind: FieldKind,
    pub help: String,
    pub required: bool,
    pub max_length: Option<i32>,
    pub options: Vec<String>,
}

impl FieldInput {
    pub fn validate(&self) -> Result<ValidField, FieldErrors> {
        let mut errors = FieldErrors::new();
        let label = errors.check(Field::FieldLabel, name(&self.label));
        let kind = FieldKind::from_code(&self.kind);
        if kind.is_none() {
            errors.add(Field::FieldKind, Problem::InvalidChoice);
        }
        let help = errors.check(Field::FieldHelp, {
            let help = self.help.trim();
            if help.chars().count() > HELP_MAX {
                Err(Problem::TooLong)
            } else if help.chars().any(char::is_control) {
                Err(Problem::InvalidCharacters)
            } else {
                Ok(help.to_owned())
            }
        });
        let texts = matches!(kind, Some(FieldKind::Text | FieldKind::LongText));
        let max_length = errors.check(Field::MaxLength, {
            let max = self.max_length.trim();
            if max.is_empty() {
                Ok(None)
            } else if !texts {
                // Only text has a length to limit.
                Err(Problem::NotAllowedNow)
            } else {
                match max.parse::<i32>() {
                    Ok(n) if (1..=FIELD_LENGTH_MAX).contains(&n) => Ok(Some(n)),
                    _ => Err(Problem::InvalidNumber),
                }
            }
        });
        let options: Vec<String> = self
            .options
            .lines()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned)
            .collect();
        let options = if kind == Some(FieldKind::Select) {
            let mut unique = options.clone();
            unique.sort();
            unique.dedup();
            let problem = if options.is_empty() {
                Some(Problem::Required)
            } else if options.len() > OPTIONS_MAX
                || options.iter().any(|o| o.chars().count() > NAME_MAX)
            {
                Some(Problem::TooLong)
            } else if unique.len() != options.len() {
                Some(Problem::NameTaken)
            } else if options.iter().any(|o| o.chars().any(char::is_control)) {
                Some(Problem::InvalidCharacters)
            } else {
                None
            };
            if let Some(problem) = problem {
                errors.add(Field::Options, problem);
            }
            options
        } else {
            Vec::new()
        };
        match (label, kind, help, max_length) {
            (Some(label), Some(kind), Some(help), Some(max_length)) if errors.is_empty() => {
                Ok(ValidField {
                    label,
                    kind,
                    help,
                    required: self.required,
                    max_length,
                    options,
                })
            }
            _ => Err(errors),
        }
    }

    /// The field as the customer's form will show it (the builder's preview).
    pub fn preview(&self, id: i32) -> Option<FieldSpec> {
        let valid = self.validate().ok()?;
        Some(FieldSpec {
            id,
            label: valid.label,
            kind: valid.kind,
            required: valid.required,
            options: valid.options,
            help: valid.help,
            max_length: valid.max_length,
        })
    }
}

impl CatalogCommand {
    /// The command a form sends (see `crate::domain::admin::PeopleCommand::from_form`).
    pub fn from_form(
        form: &str,
        get: impl Fn(&str) -> String,
        all: impl Fn(&str) -> Vec<String>,
    ) -> Result<CatalogCommand, FieldErrors> {
        let _ = &all;
        let item = || id(&get(ITEM_ID));
        let version = || id(&get(VERSION));
        let level_code = get(LEVEL);
        let level = || Level::from_code(&level_code).unwrap_or(Level::Portfolio);
        if matches!(form, ITEM_EDIT_FORM | ITEM_MOVE_FORM | ITEM_ACTIVE_FORM)
            && Level::from_code(&level_code).is_none()
        {
            // No level the catalog has: nothing to change.
            return Err(FieldErrors::single(
                Field::DeskAction,
                Problem::InvalidChoice,
            ));
        }
        let up = || get(DIRECTION).trim() == "cima";
        let field = || FieldInput {
            label: get(&Field::FieldLabel.id()),
            kind: get(&Field::FieldKind.id()),
            help: get(&Field::FieldHelp.id()),
            required: !get(&Field::FieldRequired.id()).is_empty(),
            max_length: get(&Field::MaxLength.id()),
            options: get(&Field::Options.id()),
        };
        let command = match form {
            PORTFOLIO_NEW_FORM | SERVICE_NEW_FORM | ACTIVITY_NEW_FORM => CatalogCommand::Create {
                level: match form {
                    PORTFOLIO_NEW_FORM => Level::Portfolio,
                    SERVICE_NEW_FORM => Level::Service,
                    _ => Level::Activity,
                },
                parent: id(&get(PARENT_ID)),
                name: get(&Field::Name.id()),
                description: get(&Field::Description.id()),
            },
            ITEM_EDIT_FORM => CatalogCommand::Edit {
                level: level(),
                id: item(),
                name: get(&Field::Name.id()),
                description: get(&Field::Description.id()),
            },
            ITEM_MOVE_FORM => CatalogCommand::Move {
                level: level(),
                id: item(),
                up: up(),
            },
            ITEM_ACTIVE_FORM => CatalogCommand::SetActive {
                level: level(),
                id: item(),
                active: get(ACTIVE).trim() == "1",
            },
            ACTIVITY_FORM => CatalogCommand::Configure {
                activity: item(),
                version: version(),
                settings: ActivitySettings {
                    name: get(&Field::Name.id()),
                    description: get(&Field::Description.id()),
                    ticket_type: get(&Field::TicketType.id()),
                    impact: get(&Field::Impact.id()),
                    urgency: get(&Field::Urgency.id()),
                    sla_hours: get(&Field::SlaHours.id()),
                    initial_task: get(&Field::Task.id()),
                    initial_group: id(&get(&Field::Group.id())),
                    workflow: get(&Field::Workflow.id()),
                },
            },
            FIELD_NEW_FORM => CatalogCommand::AddField {
                activity: item(),
                version: version(),
                field: field(),
            },
            FIELD_EDIT_FORM => CatalogCommand::EditField {
                activity: item(),
                version: version(),
                id: id(&get(FIELD_ID)),
                field: field(),
            },
            FIELD_MOVE_FORM => CatalogCommand::MoveField {
                activity: item(),
                version: version(),
                id: id(&get(FIELD_ID)),
                up: up(),
            },
            FIELD_REMOVE_FORM => CatalogCommand::RemoveField {
                activity: item(),
                version: version(),
                id: id(&get(FIELD_ID)),
            },
            _ => {
                return Err(FieldErrors::single(
                    Field::DeskAction,
                    Problem::InvalidChoice,
                ));
            }
        };
        command.validated()
    }

    /// The command with its texts checked (trimmed where stored so).
    pub fn validated(self) -> Result<CatalogCommand, FieldErrors> {
        match &self {
            CatalogCommand::Create {
                name: n,
                description: d,
                ..
            }
            | CatalogCommand::Edit {
                name: n,
                description: d,
                ..
            } => {
                let mut errors = FieldErrors::new();
                errors.check(Field::Name, name(n));
                errors.check(Field::Description, description(d));
                if !errors.is_empty() {
                    return Err(errors);
                }
            }
            CatalogCommand::Configure { settings, .. } => {
                settings.validate()?;
            }
            CatalogCommand::AddField { field, .. } | CatalogCommand::EditField { field, .. } => {
                field.validate()?;
            }
            _ => {}
        }
        Ok(self)
    }
}

/// One item of the catalog's tree, for the administration page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub active: bool,
    /// Services of a portfolio, activities of a service.
    pub children: Vec<CatalogItem>,
}

/// The catalog as administrators see it: every item, enabled or not, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogTree {
    pub portfolios: Vec<CatalogItem>,
}

/// A field of the form, as stored (the builder shows and edits it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRow {
    pub id: i32,
    pub input: FieldInput,
}

/// An activity's editor: its settings, its form, what to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEditor {
    pub id: i32,
    pub version: i32,
    /// "Portfolio / Service".
    pub path: String,
    pub active: bool,
    pub settings: ActivitySettings,
    pub fields: Vec<FieldRow>,
    /// Active groups: (id, name).
    pub groups: Vec<(i32, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: &str) -> FieldInput {
        FieldInput {
            label: "Número da fatura".into(),
            kind: kind.into(),
            ..FieldInput::default()
        }
    }

    #[test]
    fn every_kind_is_a_field_kind() {
        for kind in FIELD_KINDS {
            assert!(FieldKind::from_code(kind).is_some(), "{kind}");
            let input = FieldInput {
                options: "A\nB".into(),
                ..field(kind)
            };
            assert!(input.validate().is_ok(), "{kind}: {:?}", input.validate());
        }
    }

    #[test]
    fn a_select_needs_distinct_options_and_only_text_has_a_length() {
        let select = field("select");
        assert_eq!(
            select.validate().err().and_then(|e| e.get(Field::Options)),
            Some(Problem::Required)
        );
        let repeated = FieldInput {
            options: "Sim\n Sim ".into(),
            ..field("select")
        };
        assert_eq!(
            repeated
                .validate()
                .err()
                .and_then(|e| e.get(Field::Options)),
            Some(Problem::NameTaken)
        );
        let dated = FieldInput {
            max_length: "10".into(),
            ..field("date")
        };
        assert!(dated.validate().is_err());
        let text = FieldInput {
            max_length: "10".into(),
            ..field("text")
        };
        assert_eq!(text.validate().map(|v| v.max_length), Ok(Some(10)));
        let unknown = field("file");
        assert_eq!(
            unknown
                .validate()
                .err()
                .and_then(|e| e.get(Field::FieldKind)),
            Some(Problem::InvalidChoice)
        );
    }

    #[test]
    fn settings_need_the_initial_task_in_the_workflow() {
        let settings = ActivitySettings {
            name: "Correção de Faturas".into(),
            description: String::new(),
            ticket_type: "R".into(),
            impact: "2".into(),
            urgency: "3".into(),
            sla_hours: String::new(),
            initial_task: "Triagem".into(),
            initial_group: 1,
            workflow: "Triagem\nAtendimento\n".into(),
        };
        let valid = settings.validate();
        assert_eq!(
            valid.as_ref().map(|v| (v.sla_hours, v.workflow.len())),
            Ok((None, 2))
        );
        let wrong = ActivitySettings {
            initial_task: "Validação".into(),
            sla_hours: "0".into(),
            workflow: "Triagem\nTriagem".into(),
            ..settings
        };
        let errors = wrong.validate().err().unwrap_or_default();
        assert_eq!(errors.get(Field::SlaHours), Some(Problem::InvalidNumber));
        assert_eq!(errors.get(Field::Workflow), Some(Problem::NameTaken));
    }

    #[test]
    fn forms_read_their_commands() {
        let pairs = [
            ("item-id", "7"),
            ("versao", "3"),
            ("campo-id", "12"),
            ("para", "cima"),
        ];
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        };
        assert_eq!(
            CatalogCommand::from_form(FIELD_MOVE_FORM, get, |_| vec![]),
            Ok(CatalogCommand::MoveField {
                activity: 7,
                version: 3,
                id: 12,
                up: true
            })
        );
        assert!(
            CatalogCommand::from_form(PORTFOLIO_NEW_FORM, |_| String::new(), |_| vec![]).is_err()
        );
        assert!(CatalogCommand::from_form("outro", get, |_| vec![]).is_err());
    }
}
