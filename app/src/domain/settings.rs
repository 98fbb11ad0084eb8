//! "Configurações": the settings administrators change in the app, applied without a
//! restart (the environment gives them until then). Checked here for the browser and
//! the server alike; the server also checks the time zone against its IANA database and
//! the sender as a mailbox.

use serde::{Deserialize, Serialize};

use super::{Field, FieldErrors, Problem};

/// The largest attachment an administrator may allow.
pub const MAX_ATTACHMENT_MB: u64 = 100;
pub const MAX_ATTACHMENT_BYTES: u64 = MAX_ATTACHMENT_MB * 1024 * 1024;
pub const SETTINGS_FORM: &str = "configuracoes";

/// The settings as the form shows and sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsInput {
    /// "Reabrir" is offered this many hours after closing.
    pub reopen_hours: String,
    /// The satisfaction survey is answered within this many days.
    pub rating_days: String,
    pub max_files: String,
    /// Per file, in MB.
    pub max_megabytes: String,
    /// Extensions accepted (a subset of those the server can check).
    pub allowed_types: Vec<String>,
    pub time_zone: String,
    pub auth_domain: String,
    pub public_url: String,
    /// `Nome <endereco@dominio>` or an address.
    pub mail_from: String,
}

/// The settings, valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSettings {
    pub reopen_hours: u32,
    pub rating_days: u32,
    pub max_files: u32,
    pub max_bytes: u64,
    pub allowed_types: Vec<String>,
    pub time_zone: String,
    pub auth_domain: String,
    pub public_url: String,
    pub mail_from: String,
}

/// What the settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsData {
    pub input: SettingsInput,
    /// Every extension the server can check.
    pub known_types: Vec<String>,
}

fn whole(value: &str, range: std::ops::RangeInclusive<u64>) -> Result<u64, Problem> {
    match value.trim().parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(Problem::InvalidNumber),
    }
}

fn line(value: &str, max: usize) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        Err(Problem::Required)
    } else if value.chars().count() > max {
        Err(Problem::TooLong)
    } else if value.chars().any(char::is_control) {
        Err(Problem::InvalidCharacters)
    } else {
        Ok(value.to_owned())
    }
}

/// An http(s) address without a trailing slash, path or not.
pub fn public_url(value: &str) -> Result<String, Problem> {
    let value = line(value, 200)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or(Problem::InvalidUrl)?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || value.contains(char::is_whitespace) || value.contains(['?', '#']) {
        return Err(Problem::InvalidUrl);
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// `Nome <endereco>` or an address alone.
pub fn mail_from(value: &str) -> Result<String, Problem> {
    let value = line(value, 200)?;
    let address = match (value.rfind('<'), value.ends_with('>')) {
        (Some(open), true) => &value[open + 1..value.len() - 1],
        (None, false) => value.as_str(),
        _ => return Err(Problem::InvalidEmail),
    };
    // As mail servers take it (a sender may be `atende@localhost`): one `@` between a
    // local part and a domain, no spaces. The server parses it as a mailbox as well.
    let (local, domain) = address
        .trim()
        .split_once('@')
        .ok_or(Problem::InvalidEmail)?;
    if local.is_empty()
        || domain.is_empty()
        || domain.contains('@')
        || address.trim().contains(char::is_whitespace)
        || address.len() > 254
    {
        return Err(Problem::InvalidEmail);
    }
    if value.contains('"') {
        return Err(Problem::InvalidEmail);
    }
    Ok(value)
}

impl SettingsInput {
    pub fn validate(&self, known_types: &[String]) -> Result<ValidSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reopen = errors.check(Field::ReopenHours, whole(&self.reopen_hours, 1..=720));
        let rating = errors.check(Field::RatingDays, whole(&self.rating_days, 1..=60));
        let files = errors.check(Field::MaxFiles, whole(&self.max_files, 1..=50));
        let megabytes = errors.check(
            Field::MaxMegabytes,
            whole(&self.max_megabytes, 1..=MAX_ATTACHMENT_MB),
        );
        let mut types: Vec<String> = self
            .allowed_types
            .iter()
            .map(|t| t.trim().to_ascii_lowercase())
            .collect();
        types.sort();
        types.dedup();
        if types.is_empty() {
            errors.add(Field::AllowedTypes, Problem::Required);
        } else if types.iter().any(|t| !known_types.contains(t)) {
            errors.add(Field::AllowedTypes, Problem::InvalidChoice);
        }
        let zone = errors.check(Field::TimeZone, line(&self.time_zone, 64));
        let domain = errors.check(Field::AuthDomain, line(&self.auth_domain, 100));
        let url = errors.check(Field::PublicUrl, public_url(&self.public_url));
        let from = errors.check(Field::MailFrom, mail_from(&self.mail_from));
        match (reopen, rating, files, megabytes, zone, domain, url, from) {
            (
                Some(reopen),
                Some(rating),
                Some(files),
                Some(megabytes),
                Some(time_zone),
                Some(auth_domain),
                Some(public_url),
                Some(mail_from),
            ) if errors.is_empty() => Ok(ValidSettings {
                reopen_hours: reopen as u32,
                rating_days: rating as u32,
                max_files: files as u32,
                max_bytes: megabytes * 1024 * 1024,
                allowed_types: types,
                time_zone,
                auth_domain,
                public_url,
                mail_from,
            }),
            _ => Err(errors),
        }
    }

    /// The input a form sends.
    pub fn from_form(
        get: impl Fn(&str) -> String,
        all: impl Fn(&str) -> Vec<String>,
    ) -> SettingsInput {
        SettingsInput {
            reopen_hours: get(&Field::ReopenHours.id()),
            rating_days: get(&Field::RatingDays.id()),
            max_files: get(&Field::MaxFiles.id()),
            max_megabytes: get(&Field::MaxMegabytes.id()),
            allowed_types: all(&Field::AllowedTypes.id()),
            time_zone: get(&Field::TimeZone.id()),
            auth_domain: get(&Field::AuthDomain.id()),
            public_url: get(&Field::PublicUrl.id()),
            mail_from: get(&Field::MailFrom.id()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SettingsInput {
        SettingsInput {
            reopen_hours: "24".into(),
            rating_days: "3".into(),
            max_files: "10".into(),
            max_megabytes: "10".into(),
            allowed_types: vec!["PDF".into(), "png".into(), "pdf".into()],
            time_zone: "America/Sao_Paulo".into(),
            auth_domain: "atende.gov.br".into(),
            public_url: "https://atende.gov.br/".into(),
            mail_from: "Central de Atendimento <atendimento@atende.gov.br>".into(),
        }
    }

    #[test]
    fn valid_settings_are_normalized() {
        let known = vec!["pdf".to_owned(), "png".to_owned()];
        let valid = input().validate(&known);
        assert_eq!(
            valid
                .as_ref()
                .map(|v| (v.max_bytes, v.allowed_types.clone(), v.public_url.clone())),
            Ok((
                10 * 1024 * 1024,
                vec!["pdf".to_owned(), "png".to_owned()],
                "https://atende.gov.br".to_owned()
            ))
        );
    }

    #[test]
    fn each_wrong_value_is_refused_beside_its_field() {
        let known = vec!["pdf".to_owned()];
        let wrong = SettingsInput {
            reopen_hours: "0".into(),
            rating_days: "x".into(),
            max_files: "51".into(),
            max_megabytes: "101".into(),
            allowed_types: vec!["exe".into()],
            time_zone: String::new(),
            auth_domain: "a\u{0}b".into(),
            public_url: "ftp://x".into(),
            mail_from: "Central <sem-arroba>".into(),
        };
        let errors = wrong.validate(&known).err().unwrap_or_default();
        for (field, problem) in [
            (Field::ReopenHours, Problem::InvalidNumber),
            (Field::RatingDays, Problem::InvalidNumber),
            (Field::MaxFiles, Problem::InvalidNumber),
            (Field::MaxMegabytes, Problem::InvalidNumber),
            (Field::AllowedTypes, Problem::InvalidChoice),
            (Field::TimeZone, Problem::Required),
            (Field::AuthDomain, Problem::InvalidCharacters),
            (Field::PublicUrl, Problem::InvalidUrl),
            (Field::MailFrom, Problem::InvalidEmail),
        ] {
            assert_eq!(errors.get(field), Some(problem), "{field:?}");
        }
        assert_eq!(
            mail_from("atendimento@atende.gov.br"),
            Ok("atendimento@atende.gov.br".into())
        );
    }
}
