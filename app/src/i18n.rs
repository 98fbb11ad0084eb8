//! Interface language. Portuguese (pt-BR) is the default and uses the seed guide's labels
//! exactly; English is the second language. Every text lives in one `Texts` table per
//! language, so a missing translation is a compile error rather than a blank on screen.

use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "atende_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Pt,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pt, Lang::En];

    /// BCP 47 tag, used for `<html lang>`, the cookie and the `<option>` values.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pt => "pt-BR",
            Lang::En => "en",
        }
    }

    /// The language's own name, as shown in the language select.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Pt => "Português",
            Lang::En => "English",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }

    /// Finds the language cookie in a `Cookie` request header.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name.trim() == LANG_COOKIE)
                .then(|| Lang::from_code(value))
                .flatten()
        })
    }

    /// The `Set-Cookie`/`document.cookie` value that remembers this language for a year.
    pub fn cookie(self) -> String {
        format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            self.code()
        )
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Pt => &PT,
            Lang::En => &EN,
        }
    }
}

/// Every text of the interface, in one language.
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub language: &'static str,
    pub nav_login: &'static str,
    pub nav_register: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub how_it_works: &'static str,
    pub steps: [(&'static str, &'static str); 3],
    pub footer: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
}

static PT: Texts = Texts {
    app_name: "Atende",
    skip_to_content: "Pular para o conteúdo",
    main_navigation: "Navegação principal",
    language: "Idioma",
    nav_login: "Entrar",
    nav_register: "Cadastrar",
    home_title: "Central de Atendimento",
    home_lead: "Registre solicitações, acompanhe seus tickets e avalie o atendimento, tudo em um só lugar.",
    how_it_works: "Como funciona",
    steps: [
        (
            "Cadastre-se",
            "Preencha a Solicitação de Acesso com seus dados e entre com seu usuário e senha.",
        ),
        (
            "Escolha o serviço",
            "Navegue pelo portfólio de serviços e escolha a atividade que descreve o seu pedido.",
        ),
        (
            "Acompanhe",
            "Veja o andamento em Meus Tickets, registre sua opinião e responda à pesquisa de satisfação.",
        ),
    ],
    footer: "Atende — central de atendimento de código aberto",
    not_found_title: "Página não encontrada",
    not_found_body: "O endereço acessado não existe ou foi removido.",
    back_home: "Voltar ao início",
};

static EN: Texts = Texts {
    app_name: "Atende",
    skip_to_content: "Skip to content",
    main_navigation: "Main navigation",
    language: "Language",
    nav_login: "Sign in",
    nav_register: "Register",
    home_title: "Service Desk",
    home_lead: "Open requests, follow your tickets and rate the service, all in one place.",
    how_it_works: "How it works",
    steps: [
        (
            "Register",
            "Fill in the access request with your details, then sign in with your login and password.",
        ),
        (
            "Choose the service",
            "Browse the service portfolio and pick the activity that describes your request.",
        ),
        (
            "Follow up",
            "See the progress in My Tickets, give your opinion and answer the satisfaction survey.",
        ),
    ],
    footer: "Atende — open-source service desk",
    not_found_title: "Page not found",
    not_found_body: "The address you opened does not exist or was removed.",
    back_home: "Back to the start",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
    }

    #[test]
    fn cookie_header_is_parsed() {
        assert_eq!(
            Lang::from_cookie_header("a=1; atende_lang=en; b=2"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_cookie_header("atende_lang=pt-BR"),
            Some(Lang::Pt)
        );
        assert_eq!(Lang::from_cookie_header("xatende_lang=en"), None);
        assert_eq!(Lang::from_cookie_header("atende_lang=xx"), None);
        assert_eq!(Lang::from_cookie_header(""), None);
    }

    #[test]
    fn cookie_value_is_read_back() {
        for lang in Lang::ALL {
            let cookie = lang.cookie();
            let pair = cookie.split(';').next().unwrap_or_default();
            assert_eq!(Lang::from_cookie_header(pair), Some(lang));
        }
    }

    #[test]
    fn portuguese_uses_the_seed_labels() {
        let t = Lang::Pt.texts();
        assert_eq!(t.nav_login, "Entrar");
        assert_eq!(t.nav_register, "Cadastrar");
    }
}
