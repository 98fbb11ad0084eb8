//! Field names, the problems a value can have, and a per-field error list that travels
//! from the server to the browser and is shown beside each field in the user's language.

use serde::{Deserialize, Serialize};
use serde_repr::{Deserialize_repr, Serialize_repr};

use crate::i18n::Lang;

/// Declares `Field`: its named variants, as listed, then `Extra`; and `Field::NAMED`, the
/// named ones in order, so that the list that reads a field back cannot miss one.
macro_rules! fields {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A form field that can carry an error. It travels (in errors, to the browser) as
        /// the id of its input (`id`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field {
            $($(#[$doc])* $name,)*
            /// An activity's own form field, by its id.
            Extra(i32),
        }

        impl Field {
            /// Every field but `Extra`, in declaration order.
            pub const NAMED: &[Field] = &[$(Field::$name),*];
        }
    };
}

fields! {
    Name,
    Person,
    Phone,
    Cep,
    Address,
    Email,
    Login,
    Password,
    PasswordConfirm,
    CurrentPassword,
    Captcha,
    Identifier,
    Token,
    Nature,
    Document,
    AddressNumber,
    Complement,
    District,
    City,
    Uf,
    Title,
    Description,
    Activity,
    Attachments,
    /// A ticket's note ("Anotação").
    Note,
    OpinionKind,
    Opinion,
    Rating,
    RatingComment,
    Reason,
    Solution,
    /// Staff desk: the action itself (capture, resume), the agent to assign, the group to
    /// forward to, the task, the public reply, the internal note, type/impact/urgency.
    DeskAction,
    Agent,
    Group,
    Task,
    Reply,
    InternalNote,
    TicketType,
    Impact,
    Urgency,
    /// "Meu perfil": the language of e-mails and the optional notices received.
    MailLanguage,
    Notices,
    /// SLA settings: a calendar's name, time zone and week, a holiday's date and name,
    /// an activity's calendar and targets.
    CalendarName,
    TimeZone,
    Week,
    HolidayDate,
    HolidayName,
    Calendar,
    SlaHours,
    FirstResponseHours,
    /// Staff desk: the deadline set for a ticket whose SLA is "A combinar".
    Deadline,
    /// Administration: a group's name, a user's role, the audit trail's period and kind.
    GroupName,
    Role,
    PeriodFrom,
    PeriodTo,
    AuditKind,
    /// Catalog: an activity's workflow; a form field's label, kind, help, "required",
    /// maximum length and options.
    Workflow,
    FieldLabel,
    FieldKind,
    FieldHelp,
    FieldRequired,
    MaxLength,
    Options,
    /// "Configurações": the windows after closing, attachment limits and types, the
    /// authentication domain, the public address and the mail sender.
    ReopenHours,
    RatingDays,
    MaxFiles,
    MaxMegabytes,
    AllowedTypes,
    AuthDomain,
    PublicUrl,
    MailFrom,
}

impl Field {
    /// The id (and name) of an activity's own field is this prefix and its number.
    pub const EXTRA_PREFIX: &str = "campo-";

    /// The activity field an input name stands for (`campo-12` → 12).
    pub fn extra_id(name: &str) -> Option<i32> {
        name.strip_prefix(Self::EXTRA_PREFIX)?.parse().ok()
    }

    /// The id (and name) of the field's input in every form that has it.
    pub fn id(self) -> String {
        match self {
            Field::Extra(id) => format!("{}{id}", Self::EXTRA_PREFIX),
            named => named.named_id().to_owned(),
        }
    }

    /// The field whose input has this id (`id`'s inverse).
    pub fn from_id(id: &str) -> Option<Field> {
        Self::NAMED
            .iter()
            .copied()
            .find(|field| field.named_id() == id)
            .or_else(|| Self::extra_id(id).map(Field::Extra))
    }

    /// A named field's input id (empty for `Extra`).
    fn named_id(self) -> &'static str {
        match self {
            Field::Name => "nome",
            Field::Person => "pessoa",
            Field::Phone => "telefone",
            Field::Cep => "cep",
            Field::Address => "endereco",
            Field::Email => "email",
            Field::Login => "login",
            Field::Password => "senha",
            Field::PasswordConfirm => "senha-confirmacao",
            Field::CurrentPassword => "senha-atual",
            Field::Captcha => "captcha",
            Field::Identifier => "usuario",
            Field::Token => "token",
            Field::Nature => "natureza",
            Field::Document => "documento",
            Field::AddressNumber => "numero",
            Field::Complement => "complemento",
            Field::District => "bairro",
            Field::City => "cidade",
            Field::Uf => "uf",
            Field::Title => "solicitacao",
            Field::Description => "descricao",
            Field::Activity => "atividade",
            Field::Attachments => "anexos",
            Field::Note => "anotacao",
            Field::OpinionKind => "opiniao-tipo",
            Field::Opinion => "opiniao",
            Field::Rating => "nota",
            Field::RatingComment => "comentario",
            Field::Reason => "motivo",
            Field::Solution => "solucao",
            Field::DeskAction => "acao",
            Field::Agent => "responsavel",
            Field::Group => "grupo",
            Field::Task => "tarefa",
            Field::Reply => "resposta",
            Field::InternalNote => "nota-interna",
            Field::TicketType => "tipo",
            Field::Impact => "impacto",
            Field::Urgency => "urgencia",
            Field::MailLanguage => "idioma-email",
            Field::Notices => "avisos",
            Field::CalendarName => "calendario-nome",
            Field::TimeZone => "fuso",
            Field::Week => "horario",
            Field::HolidayDate => "feriado-data",
            Field::HolidayName => "feriado-nome",
            Field::Calendar => "calendario",
            Field::SlaHours => "prazo-horas",
            Field::FirstResponseHours => "primeira-resposta-horas",
            Field::Deadline => "prazo-limite",
            Field::GroupName => "grupo-nome",
            Field::Role => "papel",
            Field::PeriodFrom => "de",
            Field::PeriodTo => "ate",
            Field::AuditKind => "tipo-registro",
            Field::Workflow => "fluxo",
            Field::FieldLabel => "campo-rotulo",
            Field::FieldKind => "campo-tipo",
            Field::FieldHelp => "campo-ajuda",
            Field::FieldRequired => "campo-obrigatorio",
            Field::MaxLength => "campo-max",
            Field::Options => "campo-opcoes",
            Field::ReopenHours => "reabrir-horas",
            Field::RatingDays => "pesquisa-dias",
            Field::MaxFiles => "anexos-quantidade",
            Field::MaxMegabytes => "anexos-mb",
            Field::AllowedTypes => "anexos-tipos",
            Field::AuthDomain => "dominio-autenticacao",
            Field::PublicUrl => "endereco-publico",
            Field::MailFrom => "remetente",
            Field::Extra(_) => "",
        }
    }
}

/// A field travels as its input's id: shorter than its variant's name, and read back
/// with `Field::from_id` rather than serde's derived visitor, whose per-variant code
/// every page of the browser bundle carried.
impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Field::from_id(&id).ok_or_else(|| serde::de::Error::custom("unknown field"))
    }
}

/// What is wrong with a value. The message comes from the interface language. It travels as
/// its number (`serde_repr`): new problems go at the end, since a page open in a browser
/// reads the numbers of the release it was loaded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize_repr, Deserialize_repr)]
#[repr(u8)]
pub enum Problem {
    Required,
    TooLong,
    InvalidEmail,
    InvalidPhone,
    InvalidCep,
    InvalidLogin,
    WeakPassword,
    PasswordTooLong,
    PasswordMismatch,
    LoginTaken,
    EmailTaken,
    CaptchaWrong,
    CaptchaExpired,
    WrongPassword,
    InvalidChoice,
    InvalidCharacters,
    ControlCharacters,
    LinkExpired,
    InvalidCpf,
    InvalidCnpj,
    CpfForCompany,
    CnpjForPerson,
    InvalidUf,
    InvalidNumber,
    InvalidDate,
    ActivityUnavailable,
    FileNameInvalid,
    FileTypeNotAllowed,
    FileContentMismatch,
    FileTooLarge,
    FileEmpty,
    TooManyFiles,
    QuotaExceeded,
    AttachmentMissing,
    TicketClosed,
    TicketNotClosed,
    WindowExpired,
    AlreadyRated,
    /// Staff desk: the ticket's situation does not allow this action.
    NotAllowedNow,
    /// Staff desk: not a member of the ticket's group.
    NotAMember,
    /// Staff desk: the ticket already is there (same group, task or agent).
    NothingChanges,
    /// A name (of a group) that another one already has.
    NameTaken,
    /// A calendar's week that does not read as business hours.
    InvalidHours,
    /// A time zone that is not an IANA name the server knows.
    InvalidTimeZone,
    /// A date and time that do not read as `dd/mm/aaaa hh:mm`.
    InvalidDateTime,
    /// A deadline that has already passed.
    DeadlinePast,
    /// Administration: an administrator deactivating or demoting their own account.
    OwnAccount,
    /// An address that is not http(s)://host[/path].
    InvalidUrl,
}

impl Problem {
    pub fn message(self, lang: Lang) -> &'static str {
        use Problem::*;
        match lang {
            Lang::Pt => match self {
                Required => "Campo obrigatório.",
                TooLong => "Texto longo demais.",
                InvalidEmail => "Informe um email válido, como nome@exemplo.com.br.",
                InvalidPhone => "Informe o telefone com DDD: 10 ou 11 dígitos.",
                InvalidCep => "Informe um CEP com 8 dígitos, como 70000-000.",
                InvalidLogin => {
                    "O login deve ter de 3 a 32 caracteres: letras, números, ponto, hífen ou sublinhado."
                }
                WeakPassword => {
                    "A senha deve conter no mínimo oito caracteres e pelo menos um número"
                }
                PasswordTooLong => "A senha pode ter no máximo 128 caracteres.",
                PasswordMismatch => "As senhas não conferem.",
                LoginTaken => "Este login já está em uso. Escolha outro.",
                EmailTaken => {
                    "Este email já está cadastrado. Use “Esqueceu sua senha?” para recuperar o acesso."
                }
                CaptchaWrong => "Resultado incorreto. Resolva a nova operação.",
                CaptchaExpired => "A operação expirou. Resolva a nova operação.",
                WrongPassword => "Senha atual incorreta.",
                InvalidChoice => "Escolha uma das opções.",
                InvalidHours => {
                    "Horário inválido: sete dias (de segunda a domingo) separados por |, cada um com intervalos HH:MM-HH:MM em ordem, separados por vírgula."
                }
                InvalidTimeZone => "Fuso horário desconhecido (exemplo: America/Sao_Paulo).",
                InvalidDateTime => "Informe data e hora válidas (dd/mm/aaaa hh:mm).",
                DeadlinePast => "O prazo precisa estar no futuro.",
                InvalidCharacters => "Remova os caracteres de controle (como quebras de linha).",
                ControlCharacters => {
                    "O texto contém caracteres de controle invisíveis (como o caractere nulo). Remova-os e tente novamente."
                }
                LinkExpired => "Este link expirou ou já foi usado. Peça um novo.",
                InvalidCpf => "CPF inválido: confira os 11 dígitos.",
                InvalidCnpj => "CNPJ inválido: confira os 14 caracteres.",
                CpfForCompany => "Para Pessoa Jurídica, informe o CNPJ.",
                CnpjForPerson => "Para Pessoa Física, informe o CPF.",
                InvalidUf => "Escolha uma UF da lista.",
                InvalidNumber => "Informe um número.",
                InvalidDate => "Informe uma data válida (dd/mm/aaaa).",
                ActivityUnavailable => {
                    "Esta atividade não está disponível. Escolha outra no portal."
                }
                FileNameInvalid => {
                    "Nome de arquivo inválido: sem barras, “..” ou caracteres de controle, até 200 caracteres."
                }
                FileTypeNotAllowed => {
                    "Tipo de arquivo não permitido. Envie PDF, imagem, documento do Office, TXT, CSV ou ZIP."
                }
                FileContentMismatch => {
                    "O conteúdo do arquivo não corresponde à sua extensão; o arquivo foi recusado."
                }
                FileTooLarge => "O arquivo excede o tamanho máximo permitido.",
                FileEmpty => "O arquivo está vazio.",
                TooManyFiles => "Limite de arquivos por solicitação atingido.",
                QuotaExceeded => {
                    "Você atingiu o limite de espaço para anexos. Fale com a Central de Atendimento."
                }
                AttachmentMissing => "Um dos anexos não foi encontrado. Envie o arquivo novamente.",
                TicketClosed => "Este ticket já foi encerrado.",
                TicketNotClosed => "Este ticket ainda não foi encerrado.",
                WindowExpired => {
                    "O prazo para esta ação terminou. Se o problema continua, abra um novo ticket."
                }
                AlreadyRated => "A pesquisa de satisfação deste atendimento já foi respondida.",
                NotAllowedNow => "Esta ação não é possível na situação atual do ticket.",
                NotAMember => "Escolha um atendente do grupo atual do ticket.",
                NothingChanges => "O ticket já está assim; escolha outra opção.",
                NameTaken => "Este nome já está em uso.",
                OwnAccount => {
                    "Você não pode desativar nem rebaixar o seu próprio acesso; peça a outro administrador."
                }
                InvalidUrl => {
                    "Informe um endereço http:// ou https://, como https://atende.gov.br."
                }
            },
            Lang::En => match self {
                Required => "Required field.",
                TooLong => "Text too long.",
                InvalidEmail => "Enter a valid email, such as name@example.com.",
                InvalidPhone => "Enter the phone number with area code: 10 or 11 digits.",
                InvalidCep => "Enter a CEP (postal code) with 8 digits, such as 70000-000.",
                InvalidLogin => {
                    "The login must have 3 to 32 characters: letters, digits, dot, hyphen or underscore."
                }
                WeakPassword => {
                    "The password must have at least eight characters and at least one digit"
                }
                PasswordTooLong => "The password may have at most 128 characters.",
                PasswordMismatch => "The passwords do not match.",
                LoginTaken => "This login is already taken. Choose another.",
                EmailTaken => {
                    "This email is already registered. Use “Forgot your password?” to recover access."
                }
                CaptchaWrong => "Wrong result. Solve the new operation.",
                CaptchaExpired => "The operation expired. Solve the new operation.",
                WrongPassword => "Current password is wrong.",
                InvalidChoice => "Choose one of the options.",
                InvalidHours => {
                    "Invalid hours: seven days (Monday to Sunday) separated by |, each with HH:MM-HH:MM intervals in order, separated by commas."
                }
                InvalidTimeZone => "Unknown time zone (for example America/Sao_Paulo).",
                InvalidDateTime => "Enter a valid date and time (dd/mm/yyyy hh:mm).",
                DeadlinePast => "The deadline must be in the future.",
                InvalidCharacters => "Remove control characters (such as line breaks).",
                ControlCharacters => {
                    "The text contains invisible control characters (such as the null character). Remove them and try again."
                }
                LinkExpired => "This link expired or was already used. Ask for a new one.",
                InvalidCpf => "Invalid CPF: check the 11 digits.",
                InvalidCnpj => "Invalid CNPJ: check the 14 characters.",
                CpfForCompany => "For a company, enter the CNPJ.",
                CnpjForPerson => "For an individual, enter the CPF.",
                InvalidUf => "Choose a state from the list.",
                InvalidNumber => "Enter a number.",
                InvalidDate => "Enter a valid date (dd/mm/yyyy).",
                ActivityUnavailable => {
                    "This activity is not available. Choose another one in the portal."
                }
                FileNameInvalid => {
                    "Invalid file name: no slashes, “..” or control characters, up to 200 characters."
                }
                FileTypeNotAllowed => {
                    "File type not allowed. Send a PDF, image, Office document, TXT, CSV or ZIP."
                }
                FileContentMismatch => {
                    "The file's content does not match its extension; the file was refused."
                }
                FileTooLarge => "The file exceeds the maximum size allowed.",
                FileEmpty => "The file is empty.",
                TooManyFiles => "Limit of files per request reached.",
                QuotaExceeded => {
                    "You reached your attachment storage limit. Contact the service desk."
                }
                AttachmentMissing => "One of the attachments was not found. Upload the file again.",
                TicketClosed => "This ticket is already closed.",
                TicketNotClosed => "This ticket is not closed yet.",
                WindowExpired => {
                    "The time for this action is over. If the problem persists, open a new ticket."
                }
                AlreadyRated => "The satisfaction survey of this service was already answered.",
                NotAllowedNow => "This action is not possible in the ticket's current situation.",
                NotAMember => "Choose an agent of the ticket's current group.",
                NothingChanges => "The ticket already is so; choose another option.",
                NameTaken => "This name is already taken.",
                OwnAccount => {
                    "You cannot deactivate or demote your own account; ask another administrator."
                }
                InvalidUrl => {
                    "Enter an http:// or https:// address, such as https://atende.gov.br."
                }
            },
        }
    }
}

/// Errors of a form, at most one per field, in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(Vec<(Field, Problem)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: Field, problem: Problem) -> Self {
        let mut errors = Self::new();
        errors.add(field, problem);
        errors
    }

    /// Records `problem` for `field` unless the field already has one, in field order.
    /// (Inserted in place: the list is short and kept sorted, and a sort would bring a
    /// sorting algorithm into every form's browser code.)
    pub fn add(&mut self, field: Field, problem: Problem) {
        let at = self.0.partition_point(|(f, _)| *f < field);
        if self.0.get(at).is_none_or(|(f, _)| *f != field) {
            self.0.insert(at, (field, problem));
        }
    }

    /// Replaces the field's problem (or clears it with `None`).
    pub fn set(&mut self, field: Field, problem: Option<Problem>) {
        self.0.retain(|(f, _)| *f != field);
        if let Some(problem) = problem {
            self.add(field, problem);
        }
    }

    /// Keeps the value when `result` is valid, records its problem otherwise.
    pub fn check<T>(&mut self, field: Field, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    pub fn get(&self, field: Field) -> Option<Problem> {
        self.0
            .iter()
            .find_map(|(f, problem)| (*f == field).then_some(*problem))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Field, Problem)> + '_ {
        self.0.iter().copied()
    }

    /// The first field with a problem, in field order: where the focus goes.
    pub fn first(&self) -> Option<Field> {
        self.0.first().map(|(field, _)| *field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_problem_of_a_field_in_field_order() {
        let mut errors = FieldErrors::new();
        errors.add(Field::Login, Problem::InvalidLogin);
        errors.add(Field::Name, Problem::Required);
        errors.add(Field::Login, Problem::LoginTaken);
        assert_eq!(errors.get(Field::Login), Some(Problem::InvalidLogin));
        assert_eq!(
            errors.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            [Field::Name, Field::Login]
        );
    }

    proptest::proptest! {
        /// Whatever the order of the additions, the list holds each field's first problem,
        /// in field order: what a push and a sort would give.
        #[test]
        fn additions_keep_the_first_problem_per_field_sorted(
            picks in proptest::collection::vec((0usize..6, proptest::bool::ANY), 0..24)
        ) {
            let fields = [Field::Name, Field::Login, Field::Email, Field::Extra(3), Field::Extra(1), Field::Password];
            let mut errors = FieldErrors::new();
            let mut expected: Vec<(Field, Problem)> = Vec::new();
            for (i, required) in picks {
                let problem = if required { Problem::Required } else { Problem::TooLong };
                errors.add(fields[i], problem);
                if !expected.iter().any(|(f, _)| *f == fields[i]) {
                    expected.push((fields[i], problem));
                }
            }
            expected.sort_by_key(|(f, _)| *f);
            proptest::prop_assert_eq!(errors.iter().collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn every_field_reads_back_from_its_id() {
        assert!(Field::NAMED.len() > 70);
        let mut ids = std::collections::HashSet::new();
        for &field in Field::NAMED.iter().chain(&[Field::Extra(7)]) {
            let id = field.id();
            assert!(!id.is_empty(), "{field:?}");
            assert!(ids.insert(id.clone()), "{id} twice");
            assert_eq!(Field::from_id(&id), Some(field), "{id}");
        }
        // The catalog's own fields' settings share the prefix of an activity's fields.
        assert_eq!(Field::from_id("campo-rotulo"), Some(Field::FieldLabel));
        assert_eq!(Field::from_id("campo-"), None);
        assert_eq!(Field::from_id("Name"), None);
    }

    #[test]
    fn errors_travel_as_ids_and_numbers_and_read_back() {
        let mut errors = FieldErrors::new();
        errors.add(Field::Email, Problem::InvalidEmail);
        errors.add(Field::Extra(12), Problem::Required);
        errors.add(Field::MailFrom, Problem::InvalidUrl);
        let json = serde_json::to_string(&errors).unwrap();
        assert_eq!(
            json,
            format!(
                r#"[["email",{}],["remetente",{}],["campo-12",{}]]"#,
                Problem::InvalidEmail as u8,
                Problem::InvalidUrl as u8,
                Problem::Required as u8
            )
        );
        assert_eq!(serde_json::from_str::<FieldErrors>(&json).unwrap(), errors);
        assert!(serde_json::from_str::<Field>(r#""nao-existe""#).is_err());
        assert!(serde_json::from_str::<Problem>("255").is_err());
    }

    #[test]
    fn extra_field_names_round_trip() {
        assert_eq!(Field::Extra(12).id(), "campo-12");
        assert_eq!(Field::extra_id("campo-12"), Some(12));
        assert_eq!(Field::extra_id("campo-x"), None);
        assert_eq!(Field::extra_id("descricao"), None);
    }

    #[test]
    fn every_message_exists_in_both_languages_and_differs() {
        use Problem::*;
        for problem in [
            Required,
            TooLong,
            InvalidEmail,
            InvalidPhone,
            InvalidCep,
            InvalidLogin,
            WeakPassword,
            PasswordTooLong,
            PasswordMismatch,
            LoginTaken,
            EmailTaken,
            CaptchaWrong,
            CaptchaExpired,
            WrongPassword,
            InvalidChoice,
            InvalidCharacters,
            LinkExpired,
        ] {
            let pt = problem.message(Lang::Pt);
            let en = problem.message(Lang::En);
            assert!(!pt.is_empty() && !en.is_empty());
            assert_ne!(pt, en, "{problem:?}");
        }
    }
}
