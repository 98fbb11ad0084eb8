//! Opening a request: the customer's profile for requests (Natureza, CPF/CNPJ, address),
//! the activity's own fields, the title and the description; and the priority an
//! activity's impact and urgency give.

use serde::{Deserialize, Serialize};

use super::account::{self, PersonType};
use super::documents;
use super::fields::{Field, FieldErrors, Problem};
use crate::i18n::Lang;

pub const DESCRIPTION_MAX: usize = 20_000;
pub const TITLE_MAX: usize = 200;
pub const SHORT_TEXT_MAX: usize = 500;
pub const LONG_TEXT_MAX: usize = 5_000;

/// Priority from impact and urgency (each 1 high … 3 low), the usual ITIL matrix:
/// 1 Crítica, 2 Alta, 3 Média, 4 Normal, 5 Baixa.
pub fn priority(impact: i32, urgency: i32) -> i16 {
    let impact = impact.clamp(1, 3);
    let urgency = urgency.clamp(1, 3);
    match impact + urgency {
        2 => 1,
        3 => 2,
        4 => 3,
        5 => 4,
        _ => 5,
    }
}

pub fn priority_name(priority: i16, lang: Lang) -> &'static str {
    match (lang, priority) {
        (Lang::Pt, 1) => "Crítica",
        (Lang::Pt, 2) => "Alta",
        (Lang::Pt, 3) => "Média",
        (Lang::Pt, 4) => "Normal",
        (Lang::Pt, _) => "Baixa",
        (Lang::En, 1) => "Critical",
        (Lang::En, 2) => "High",
        (Lang::En, 3) => "Medium",
        (Lang::En, 4) => "Normal",
        (Lang::En, _) => "Low",
    }
}

pub fn ticket_type_name(code: &str, lang: Lang) -> &'static str {
    match (lang, code) {
        (Lang::Pt, "I") => "Incidente",
        (Lang::Pt, _) => "Requisição",
        (Lang::En, "I") => "Incident",
        (Lang::En, _) => "Request",
    }
}

/// The pop-up "Ticket(s) criado(s)": number and priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTicket {
    pub number: i64,
    pub priority: i16,
}

/// The kinds of extra field an activity can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    LongText,
    Number,
    Date,
    Select,
    /// A yes/no box: checked is "Sim"; a required one must be checked.
    Checkbox,
    Cpf,
    Cnpj,
    Cep,
}

wire_names!(FieldKind {
    Text => "Text",
    LongText => "LongText",
    Number => "Number",
    Date => "Date",
    Select => "Select",
    Checkbox => "Checkbox",
    Cpf => "Cpf",
    Cnpj => "Cnpj",
    Cep => "Cep",
});

impl FieldKind {
    pub const ALL: [FieldKind; 9] = [
        FieldKind::Text,
        FieldKind::LongText,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::Select,
        FieldKind::Checkbox,
        FieldKind::Cpf,
        FieldKind::Cnpj,
        FieldKind::Cep,
    ];

    /// As stored (`activity_field.kind`).
    pub fn code(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::LongText => "long_text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Select => "select",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Cpf => "cpf",
            FieldKind::Cnpj => "cnpj",
            FieldKind::Cep => "cep",
        }
    }

    pub fn from_code(code: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// An extra field as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub id: i32,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub options: Vec<String>,
    /// Shown below the field ("" for none).
    pub help: String,
    /// A text's own limit, below the kind's.
    pub max_length: Option<i32>,
}

read_as_map!(FieldSpec {
    id,
    label,
    kind,
    required,
    options,
    help,
    max_length,
});

fn optional_text(value: &str, max: usize) -> Result<String, Problem> {
    super::text::multiline(value, max)
}

/// A number as people type it here: digits, an optional minus, and one decimal comma
/// or point ("1234,56"); thousands separators are not accepted (ambiguous).
fn number(value: &str) -> Result<String, Problem> {
    let normalized = value.trim().replace(',', ".");
    let digits = normalized.strip_prefix('-').unwrap_or(&normalized);
    let mut parts = digits.split('.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let ok = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none()
        && normalized.len() <= 30;
    if ok {
        Ok(normalized)
    } else {
        Err(Problem::InvalidNumber)
    }
}

fn leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// A calendar date, as the browser's date input sends it (aaaa-mm-dd) or typed
/// (dd/mm/aaaa); returns aaaa-mm-dd.
fn date(value: &str) -> Result<String, Problem> {
    let value = value.trim();
    let parts: Vec<&str> = if value.contains('/') {
        let mut p: Vec<&str> = value.split('/').collect();
        p.reverse();
        p
    } else {
        value.split('-').collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(Problem::InvalidDate);
    };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(Problem::InvalidDate);
    };
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(year) => 29,
        2 => 28,
        _ => return Err(Problem::InvalidDate),
    };
    if y.len() != 4 || !(1900..=2200).contains(&year) || day == 0 || day > days {
        return Err(Problem::InvalidDate);
    }
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

/// Checks one extra field's value; `Ok("")` for an optional field left empty.
/// What a checked box is stored (and shown) as.
pub const CHECKED: &str = "Sim";

pub fn extra_value(spec: &FieldSpec, value: &str) -> Result<String, Problem> {
    if value.trim().is_empty() {
        return if spec.required {
            Err(Problem::Required)
        } else {
            Ok(String::new())
        };
    }
    let limit = |max: usize| {
        spec.max_length
            .and_then(|m| usize::try_from(m).ok())
            .map_or(max, |m| m.min(max))
    };
    match spec.kind {
        FieldKind::Text => optional_text(value, limit(SHORT_TEXT_MAX)),
        FieldKind::LongText => optional_text(value, limit(LONG_TEXT_MAX)),
        FieldKind::Checkbox => Ok(CHECKED.to_owned()),
        FieldKind::Number => number(value),
        FieldKind::Date => date(value),
        FieldKind::Select => spec
            .options
            .iter()
            .find(|option| option.as_str() == value.trim())
            .cloned()
            .ok_or(Problem::InvalidChoice),
        FieldKind::Cpf => documents::cpf(value),
        FieldKind::Cnpj => documents::cnpj(value),
        FieldKind::Cep => account::cep(value),
    }
}

/// The CPF or CNPJ that fits the nature, with a precise message when the other one
/// was given.
pub fn document(nature: Option<PersonType>, value: &str) -> Result<String, Problem> {
    match nature {
        Some(PersonType::Fisica) => documents::cpf(value).map_err(|problem| {
            if documents::cnpj(value).is_ok() {
                Problem::CnpjForPerson
            } else {
                problem
            }
        }),
        Some(PersonType::Juridica) => documents::cnpj(value).map_err(|problem| {
            if documents::cpf(value).is_ok() {
                Problem::CpfForCompany
            } else {
                problem
            }
        }),
        None if value.trim().is_empty() => Err(Problem::Required),
        None => documents::cpf(value).or_else(|_| documents::cnpj(value)),
    }
}

/// The profile block of the request form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RequestProfileInput {
    pub nature: String,
    pub document: String,
    pub cep: String,
    pub street: String,
    pub number: String,
    pub complement: String,
    pub district: String,
    pub city: String,
    pub uf: String,
}

read_as_map!(RequestProfileInput {
    nature,
    document,
    cep,
    street,
    number,
    complement,
    district,
    city,
    uf,
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestProfile {
    pub nature: PersonType,
    pub document: String,
    pub cep: String,
    pub street: String,
    pub number: String,
    pub complement: String,
    pub district: String,
    pub city: String,
    pub uf: String,
}

impl RequestProfileInput {
    pub fn validate_into(&self, errors: &mut FieldErrors) -> Option<RequestProfile> {
        let nature = errors.check(Field::Nature, account::person(&self.nature));
        let document = errors.check(Field::Document, document(nature, &self.document));
        let cep = errors.check(Field::Cep, account::cep(&self.cep));
        let street = errors.check(Field::Address, account::address(&self.street));
        let number = errors.check(Field::AddressNumber, optional_text(&self.number, 20));
        let complement = errors.check(Field::Complement, optional_text(&self.complement, 100));
        let district = errors.check(Field::District, optional_text(&self.district, 100));
        let city = errors.check(
            Field::City,
            account::name(&self.city).and_then(|c| {
                if c.chars().count() > 100 {
                    Err(Problem::TooLong)
                } else {
                    Ok(c)
                }
            }),
        );
        let uf = errors.check(Field::Uf, documents::uf(&self.uf));
        Some(RequestProfile {
            nature: nature?,
            document: document?,
            cep: cep?,
            street: street?,
            number: number?,
            complement: complement?,
            district: district?,
            city: city?,
            uf: uf?,
        })
    }
}

impl RequestProfile {
    pub fn as_input(&self) -> RequestProfileInput {
        RequestProfileInput {
            nature: self.nature.code().to_owned(),
            document: match self.nature {
                PersonType::Fisica => documents::format_cpf(&self.document),
                PersonType::Juridica => documents::format_cnpj(&self.document),
            },
            cep: account::format_cep(&self.cep),
            street: self.street.clone(),
            number: self.number.clone(),
            complement: self.complement.clone(),
            district: self.district.clone(),
            city: self.city.clone(),
            uf: self.uf.clone(),
        }
    }
}

/// The whole request form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInput {
    pub activity_id: i32,
    pub profile: RequestProfileInput,
    pub title: String,
    /// (field id, value) for the activity's extra fields.
    pub fields: Vec<(i32, String)>,
    pub description: String,
    /// Staged uploads (`POST /anexos`) to attach, by id.
    #[serde(default)]
    pub attachments: Vec<i64>,
    /// The form's own key (`RequestFormData::request_key`): sending the same form again
    /// returns the ticket it already created. Empty: every send creates a ticket.
    #[serde(default)]
    pub request_key: String,
}

/// The request key's name in a plain form post.
pub const REQUEST_KEY_FIELD: &str = "pedido";

/// The longest request key.
pub const REQUEST_KEY_MAX: usize = 64;

/// A request key as the server accepts it: empty (none), or up to 64 URL-safe
/// characters.
pub fn request_key(value: &str) -> Result<Option<String>, Problem> {
    if value.is_empty() {
        Ok(None)
    } else if value.len() <= REQUEST_KEY_MAX
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Ok(Some(value.to_owned()))
    } else {
        Err(Problem::InvalidChoice)
    }
}

/// An extra field's label and checked value, as stored on the ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequest {
    pub profile: RequestProfile,
    pub title: String,
    pub fields: Vec<FieldValue>,
    pub description: String,
}

impl RequestInput {
    /// Checks everything against the activity's `specs` and its `activity_name` (the
    /// title's default).
    pub fn validate(
        &self,
        specs: &[FieldSpec],
        activity_name: &str,
    ) -> Result<ValidRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let profile = self.profile.validate_into(&mut errors);
        let title = errors.check(
            Field::Title,
            optional_text(&self.title, TITLE_MAX).map(|t| {
                if t.is_empty() {
                    activity_name.to_owned()
                } else {
                    t
                }
            }),
        );
        let mut fields = Vec::new();
        for spec in specs {
            let value = self
                .fields
                .iter()
                .find(|(id, _)| *id == spec.id)
                .map(|(_, value)| value.as_str())
                .unwrap_or_default();
            if let Some(value) = errors.check(Field::Extra(spec.id), extra_value(spec, value)) {
                fields.push(FieldValue {
                    label: spec.label.clone(),
                    value,
                });
            }
        }
        let description = errors.check(Field::Description, description(&self.description));
        match (profile, title, description) {
            (Some(profile), Some(title), Some(description)) if errors.is_empty() => {
                Ok(ValidRequest {
                    profile,
                    title,
                    fields,
                    description,
                })
            }
            _ => Err(errors),
        }
    }
}

pub fn description(value: &str) -> Result<String, Problem> {
    let value = optional_text(value, DESCRIPTION_MAX)?;
    if value.is_empty() {
        return Err(Problem::Required);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_priority_matrix() {
        assert_eq!(priority(1, 1), 1);
        assert_eq!(priority(1, 2), 2);
        assert_eq!(priority(2, 2), 3);
        assert_eq!(priority(3, 2), 4);
        assert_eq!(priority(3, 3), 5);
        assert_eq!(priority_name(5, Lang::Pt), "Baixa");
        assert_eq!(priority_name(1, Lang::Pt), "Crítica");
    }

    fn profile() -> RequestProfileInput {
        RequestProfileInput {
            nature: "F".into(),
            document: "529.982.247-25".into(),
            cep: "70040-020".into(),
            street: "SBN Quadra 2".into(),
            number: "10".into(),
            complement: "".into(),
            district: "Asa Norte".into(),
            city: "Brasília".into(),
            uf: "DF".into(),
        }
    }

    fn specs() -> Vec<FieldSpec> {
        vec![
            FieldSpec {
                id: 1,
                label: "Número da fatura".into(),
                kind: FieldKind::Text,
                required: true,
                options: vec![],
                help: String::new(),
                max_length: None,
            },
            FieldSpec {
                id: 2,
                label: "Valor".into(),
                kind: FieldKind::Number,
                required: false,
                options: vec![],
                help: String::new(),
                max_length: None,
            },
            FieldSpec {
                id: 3,
                label: "Data".into(),
                kind: FieldKind::Date,
                required: false,
                options: vec![],
                help: String::new(),
                max_length: None,
            },
            FieldSpec {
                id: 4,
                label: "Motivo".into(),
                kind: FieldKind::Select,
                required: false,
                options: vec!["A".into(), "B".into()],
                help: String::new(),
                max_length: None,
            },
        ]
    }

    fn input() -> RequestInput {
        RequestInput {
            activity_id: 1,
            profile: profile(),
            title: "".into(),
            fields: vec![
                (1, "123".into()),
                (2, "10,50".into()),
                (3, "31/12/2025".into()),
            ],
            description: "Minha fatura veio com valor errado.".into(),
            attachments: vec![],
            request_key: String::new(),
        }
    }

    #[test]
    fn a_valid_request_is_normalised() {
        let valid = input()
            .validate(&specs(), "Correção de Faturas")
            .map_err(|e| format!("{e:?}"));
        let valid = valid.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(valid.title, "Correção de Faturas");
        assert_eq!(valid.profile.document, "52998224725");
        assert_eq!(valid.fields[1].value, "10.50");
        assert_eq!(valid.fields[2].value, "2025-12-31");
        assert_eq!(valid.fields.len(), 4);
    }

    #[test]
    fn each_bad_value_names_its_field() {
        type Breaker = fn(&mut RequestInput);
        let cases: [(Field, Problem, Breaker); 11] = [
            (Field::Document, Problem::InvalidCpf, |i| {
                i.profile.document = "529.982.247-24".into()
            }),
            (Field::Document, Problem::CnpjForPerson, |i| {
                i.profile.document = "11.222.333/0001-81".into()
            }),
            (Field::Document, Problem::CpfForCompany, |i| {
                i.profile.nature = "J".into()
            }),
            (Field::Uf, Problem::InvalidUf, |i| {
                i.profile.uf = "XX".into()
            }),
            (Field::Cep, Problem::InvalidCep, |i| {
                i.profile.cep = "123".into()
            }),
            (Field::City, Problem::Required, |i| {
                i.profile.city = "".into()
            }),
            (Field::Description, Problem::Required, |i| {
                i.description = "  ".into()
            }),
            (Field::Description, Problem::TooLong, |i| {
                i.description = "a".repeat(DESCRIPTION_MAX + 1)
            }),
            (Field::Extra(1), Problem::Required, |i| {
                i.fields.retain(|(id, _)| *id != 1)
            }),
            (Field::Extra(2), Problem::InvalidNumber, |i| {
                i.fields.push((2, "1.234,56".into()))
            }),
            (Field::Extra(4), Problem::InvalidChoice, |i| {
                i.fields.push((4, "C".into()))
            }),
        ];
        for (field, problem, breaker) in cases {
            let mut request = input();
            breaker(&mut request);
            // a pushed duplicate replaces the earlier value for the check
            if let Some(last) = request.fields.last().cloned() {
                request
                    .fields
                    .retain(|(id, v)| *id != last.0 || *v == last.1);
            }
            let errors = request.validate(&specs(), "X").err().unwrap_or_default();
            assert_eq!(errors.get(field), Some(problem), "{field:?}: {errors:?}");
            assert_eq!(errors.len(), 1, "{field:?}: {errors:?}");
        }
        let mut exactly_max = input();
        exactly_max.description = "é".repeat(DESCRIPTION_MAX);
        assert!(exactly_max.validate(&specs(), "X").is_ok());
    }

    #[test]
    fn dates() {
        assert_eq!(date("2024-02-29"), Ok("2024-02-29".into()));
        assert_eq!(date("29/02/2024"), Ok("2024-02-29".into()));
        for bad in ["2023-02-29", "31/04/2024", "2024-13-01", "1/1/24", "amanhã"] {
            assert_eq!(date(bad), Err(Problem::InvalidDate), "{bad}");
        }
    }
}
