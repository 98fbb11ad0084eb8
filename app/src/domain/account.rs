//! Rules for accounts: the "Solicitação de Acesso" form, logins and passwords.

use serde::{Deserialize, Serialize};

use super::fields::{Field, FieldErrors, Problem};

pub const NAME_MAX: usize = 120;
pub const ADDRESS_MAX: usize = 300;
pub const EMAIL_MAX: usize = 254;
pub const LOGIN_MIN: usize = 3;
pub const LOGIN_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
/// Bounds the work of hashing: argon2 over megabytes would be a cheap denial of service.
pub const PASSWORD_MAX: usize = 128;

/// "Pessoa": Física (a citizen) or Jurídica (a company).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PersonType {
    Fisica,
    Juridica,
}

wire_names!(PersonType {
    Fisica => "Fisica",
    Juridica => "Juridica",
});

impl PersonType {
    pub const ALL: [PersonType; 2] = [PersonType::Fisica, PersonType::Juridica];

    pub fn code(self) -> &'static str {
        match self {
            PersonType::Fisica => "F",
            PersonType::Juridica => "J",
        }
    }

    pub fn from_code(code: &str) -> Option<PersonType> {
        PersonType::ALL
            .into_iter()
            .find(|p| p.code() == code.trim())
    }
}

/// Who a user is in the desk. Every server function checks it itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// solicitante: opens and follows their own tickets.
    Customer,
    /// atendente: works the tickets of their groups.
    Agent,
    /// gestor: oversees groups, SLAs, satisfaction.
    Manager,
    /// administrador: everything, including accounts and the catalog.
    Admin,
}

wire_names!(Role {
    Customer => "Customer",
    Agent => "Agent",
    Manager => "Manager",
    Admin => "Admin",
});

impl Role {
    pub const ALL: [Role; 4] = [Role::Customer, Role::Agent, Role::Manager, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub fn is_staff(self) -> bool {
        self != Role::Customer
    }
}

fn required(value: &str) -> Result<&str, Problem> {
    let value = value.trim();
    if value.is_empty() {
        Err(Problem::Required)
    } else {
        Ok(value)
    }
}

fn bounded(value: &str, max: usize) -> Result<String, Problem> {
    let value = required(value)?;
    if value.chars().count() > max {
        Err(Problem::TooLong)
    } else if value.chars().any(char::is_control) {
        Err(Problem::InvalidCharacters)
    } else {
        Ok(value.to_owned())
    }
}

pub fn name(value: &str) -> Result<String, Problem> {
    bounded(value, NAME_MAX)
}

pub fn address(value: &str) -> Result<String, Problem> {
    bounded(value, ADDRESS_MAX)
}

pub fn person(value: &str) -> Result<PersonType, Problem> {
    required(value)?;
    PersonType::from_code(value).ok_or(Problem::InvalidChoice)
}

/// Only digits, and the mask characters in `allowed`; returns the digits.
fn digits_of(value: &str, allowed: &[char]) -> Option<String> {
    let mut digits = String::new();
    for c in value.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !allowed.contains(&c) {
            return None;
        }
    }
    Some(digits)
}

/// A Brazilian phone number with area code: 10 digits (landline) or 11 (mobile, 9xxxx);
/// masks like "(61) 99999-9999" are accepted. Returns the digits.
pub fn phone(value: &str) -> Result<String, Problem> {
    required(value)?;
    let digits = digits_of(value, &[' ', '(', ')', '-', '.', '+']).ok_or(Problem::InvalidPhone)?;
    // A leading country code (+55) is accepted and dropped.
    let digits = match digits.strip_prefix("55") {
        Some(rest) if value.trim_start().starts_with('+') => rest.to_owned(),
        _ => digits,
    };
    let bytes = digits.as_bytes();
    let valid_length = digits.len() == 10 || (digits.len() == 11 && bytes[2] == b'9');
    // Area codes run from 11 to 99.
    if valid_length && bytes[0] != b'0' && bytes[1] != b'0' {
        Ok(digits)
    } else {
        Err(Problem::InvalidPhone)
    }
}

/// "(61) 99999-9999" / "(61) 3333-4444".
pub fn format_phone(digits: &str) -> String {
    if !(digits.len() == 10 || digits.len() == 11) || !digits.is_ascii() {
        return digits.to_owned();
    }
    let (area, rest) = digits.split_at(2);
    let (first, last) = rest.split_at(rest.len() - 4);
    format!("({area}) {first}-{last}")
}

/// A CEP: 8 digits, mask 00000-000 accepted. Returns the digits.
pub fn cep(value: &str) -> Result<String, Problem> {
    required(value)?;
    match digits_of(value, &['-', '.', ' ']) {
        Some(digits) if digits.len() == 8 => Ok(digits),
        _ => Err(Problem::InvalidCep),
    }
}

/// "70000-000".
pub fn format_cep(digits: &str) -> String {
    if digits.len() == 8 && digits.is_ascii() {
        format!("{}-{}", &digits[..5], &digits[5..])
    } else {
        digits.to_owned()
    }
}

/// An email address as users type them: local@domain.tld, no spaces, one `@`,
/// a domain of letters, digits and hyphens in dot-separated labels.
pub fn email(value: &str) -> Result<String, Problem> {
    let value = required(value)?;
    if value.len() > EMAIL_MAX {
        return Err(Problem::TooLong);
    }
    let (local, domain) = value.split_once('@').ok_or(Problem::InvalidEmail)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
    } else {
        Err(Problem::InvalidEmail)
    }
}

/// 3–32 of letters, digits, `.`, `_`, `-`.
pub fn login(value: &str) -> Result<String, Problem> {
    let value = required(value)?;
    let length = value.chars().count();
    if (LOGIN_MIN..=LOGIN_MAX).contains(&length)
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        Ok(value.to_owned())
    } else {
        Err(Problem::InvalidLogin)
    }
}

/// The key that makes logins and emails unique regardless of case.
pub fn identity_key(value: &str) -> String {
    value.trim().to_lowercase()
}

/// At least eight characters and at least one digit (the seed's rule), at most 128.
/// Not trimmed: spaces are part of a password.
pub fn password(value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let length = value.chars().count();
    if length > PASSWORD_MAX {
        Err(Problem::PasswordTooLong)
    } else if length < PASSWORD_MIN || !value.chars().any(|c| c.is_ascii_digit()) {
        Err(Problem::WeakPassword)
    } else {
        Ok(())
    }
}

pub fn password_confirmation(password: &str, confirmation: &str) -> Result<(), Problem> {
    if confirmation.is_empty() {
        Err(Problem::Required)
    } else if password != confirmation {
        Err(Problem::PasswordMismatch)
    } else {
        Ok(())
    }
}

/// The registration form as typed ("Solicitação de Acesso").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub name: String,
    pub person: String,
    pub phone: String,
    pub cep: String,
    pub address: String,
    pub email: String,
    pub login: String,
    pub password: String,
    pub password_confirm: String,
}

/// The profile data of a registration, validated and normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileData {
    pub name: String,
    pub person: PersonType,
    /// Digits only.
    pub phone: String,
    /// Digits only.
    pub cep: String,
    pub address: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub profile: ProfileData,
    pub login: String,
    pub password: String,
}

/// The fields a registration and a profile share.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub name: String,
    pub person: String,
    pub phone: String,
    pub cep: String,
    pub address: String,
    pub email: String,
}

impl ProfileInput {
    pub fn validate_into(&self, errors: &mut FieldErrors) -> Option<ProfileData> {
        let name = errors.check(Field::Name, name(&self.name));
        let person = errors.check(Field::Person, person(&self.person));
        let phone = errors.check(Field::Phone, phone(&self.phone));
        let cep = errors.check(Field::Cep, cep(&self.cep));
        let address = errors.check(Field::Address, address(&self.address));
        let email = errors.check(Field::Email, email(&self.email));
        Some(ProfileData {
            name: name?,
            person: person?,
            phone: phone?,
            cep: cep?,
            address: address?,
            email: email?,
        })
    }

    pub fn validate(&self) -> Result<ProfileData, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.validate_into(&mut errors) {
            Some(profile) if errors.is_empty() => Ok(profile),
            _ => Err(errors),
        }
    }
}

impl RegistrationInput {
    pub fn profile(&self) -> ProfileInput {
        ProfileInput {
            name: self.name.clone(),
            person: self.person.clone(),
            phone: self.phone.clone(),
            cep: self.cep.clone(),
            address: self.address.clone(),
            email: self.email.clone(),
        }
    }

    pub fn validate(&self) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::new();
        let profile = self.profile().validate_into(&mut errors);
        let login = errors.check(Field::Login, login(&self.login));
        let password_ok = errors.check(Field::Password, password(&self.password));
        let confirm_ok = errors.check(
            Field::PasswordConfirm,
            password_confirmation(&self.password, &self.password_confirm),
        );
        match (profile, login, password_ok, confirm_ok) {
            (Some(profile), Some(login), Some(()), Some(())) if errors.is_empty() => {
                Ok(Registration {
                    profile,
                    login,
                    password: self.password.clone(),
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_with_area_code_and_masks() {
        assert_eq!(phone("(61) 99999-8888"), Ok("61999998888".into()));
        assert_eq!(phone("61 3333-4444"), Ok("6133334444".into()));
        assert_eq!(phone("+55 61 99999-8888"), Ok("61999998888".into()));
        assert_eq!(phone("6133334444"), Ok("6133334444".into()));
        for bad in [
            "",
            "3333-4444",
            "(61) 8999-88889",
            "(01) 3333-4444",
            "61 3333-444a",
            "123456789012",
        ] {
            assert!(phone(bad).is_err(), "{bad}");
        }
        assert_eq!(phone(" "), Err(Problem::Required));
        assert_eq!(format_phone("61999998888"), "(61) 99999-8888");
        assert_eq!(format_phone("6133334444"), "(61) 3333-4444");
    }

    #[test]
    fn cep_is_eight_digits_with_optional_mask() {
        assert_eq!(cep("70040-020"), Ok("70040020".into()));
        assert_eq!(cep("70.040-020"), Ok("70040020".into()));
        assert_eq!(cep("70040020"), Ok("70040020".into()));
        for bad in ["7004002", "700400200", "70040-02a", "abcdefgh"] {
            assert_eq!(cep(bad), Err(Problem::InvalidCep), "{bad}");
        }
        assert_eq!(cep(""), Err(Problem::Required));
        assert_eq!(format_cep("70040020"), "70040-020");
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(" Maria.Silva@Exemplo.GOV.br "),
            Ok("Maria.Silva@exemplo.gov.br".into())
        );
        assert!(email("a+b@x.io").is_ok());
        for bad in [
            "maria",
            "maria@",
            "@x.com",
            "maria@x",
            "ma ria@x.com",
            "maria@x..com",
            "maria@-x.com",
            "a@@x.com",
            "maria@x.c0m",
            ".a@x.com",
        ] {
            assert_eq!(email(bad), Err(Problem::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn logins() {
        assert_eq!(login(" maria.silva_2-x "), Ok("maria.silva_2-x".into()));
        for bad in ["ab", "maria silva", "maria@x", "joão", &"a".repeat(33)] {
            assert_eq!(login(bad), Err(Problem::InvalidLogin), "{bad}");
        }
        assert!(login(&"a".repeat(32)).is_ok());
        assert_eq!(identity_key(" Maria.Silva "), "maria.silva");
    }

    #[test]
    fn passwords_follow_the_seed_rule() {
        assert_eq!(password("abcdefg1"), Ok(()));
        assert_eq!(password("abcdefgh"), Err(Problem::WeakPassword));
        assert_eq!(password("abcdef1"), Err(Problem::WeakPassword));
        assert_eq!(password(""), Err(Problem::Required));
        assert_eq!(
            password(&format!("1{}", "a".repeat(128))),
            Err(Problem::PasswordTooLong)
        );
        assert_eq!(password_confirmation("abcdefg1", "abcdefg1"), Ok(()));
        assert_eq!(
            password_confirmation("abcdefg1", "abcdefg2"),
            Err(Problem::PasswordMismatch)
        );
        assert_eq!(
            password_confirmation("abcdefg1", ""),
            Err(Problem::Required)
        );
    }

    fn valid_input() -> RegistrationInput {
        RegistrationInput {
            name: "Maria da Silva".into(),
            person: "F".into(),
            phone: "(61) 99999-8888".into(),
            cep: "70040-020".into(),
            address: "SIG Quadra 6, Lote 800".into(),
            email: "maria@exemplo.com.br".into(),
            login: "maria.silva".into(),
            password: "segredo123".into(),
            password_confirm: "segredo123".into(),
        }
    }

    #[test]
    fn a_valid_registration_is_normalised() {
        let registration = valid_input().validate();
        let registration = registration
            .ok()
            .unwrap_or_else(|| panic!("valid input refused"));
        assert_eq!(registration.profile.phone, "61999998888");
        assert_eq!(registration.profile.cep, "70040020");
        assert_eq!(registration.profile.person, PersonType::Fisica);
    }

    #[test]
    fn each_bad_field_is_reported_on_its_own() {
        type Breaker = fn(&mut RegistrationInput);
        let cases: [(Field, Breaker); 9] = [
            (Field::Name, |i| i.name.clear()),
            (Field::Person, |i| i.person = "X".into()),
            (Field::Phone, |i| i.phone = "123".into()),
            (Field::Cep, |i| i.cep = "7004".into()),
            (Field::Address, |i| i.address = " ".into()),
            (Field::Email, |i| i.email = "maria".into()),
            (Field::Login, |i| i.login = "a b".into()),
            (Field::Password, |i| {
                i.password = "semnumero".into();
                i.password_confirm = "semnumero".into();
            }),
            (Field::PasswordConfirm, |i| {
                i.password_confirm = "outra1234".into()
            }),
        ];
        for (field, breaker) in cases {
            let mut input = valid_input();
            breaker(&mut input);
            let errors = input.validate().err().unwrap_or_default();
            assert_eq!(errors.len(), 1, "{field:?}: {errors:?}");
            assert!(errors.get(field).is_some(), "{field:?}: {errors:?}");
        }
    }

    #[test]
    fn an_empty_form_reports_every_field() {
        let errors = RegistrationInput::default()
            .validate()
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 9);
        assert!(
            errors
                .iter()
                .all(|(_, p)| p == Problem::Required || p == Problem::InvalidChoice)
        );
    }
}
