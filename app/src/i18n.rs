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
        crate::cookies::find(header, LANG_COOKIE).and_then(Lang::from_code)
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
    pub required_note: &'static str,
    pub register_title: &'static str,
    pub f_name: &'static str,
    pub f_person: &'static str,
    pub person_choose: &'static str,
    pub person_fisica: &'static str,
    pub person_juridica: &'static str,
    pub f_phone: &'static str,
    pub f_cep: &'static str,
    pub cep_lookup: &'static str,
    pub cep_looking: &'static str,
    pub cep_found: &'static str,
    pub cep_not_found: &'static str,
    pub cep_unavailable: &'static str,
    pub f_address: &'static str,
    pub f_email: &'static str,
    pub f_login: &'static str,
    pub f_password: &'static str,
    pub password_hint: &'static str,
    pub f_password_again: &'static str,
    pub captcha_intro: &'static str,
    pub captcha_label: &'static str,
    pub captcha_loading: &'static str,
    pub register_submit: &'static str,
    pub sending: &'static str,
    pub registered: &'static str,
    pub login_title: &'static str,
    pub auth_domain: &'static str,
    pub login_user: &'static str,
    pub login_password: &'static str,
    pub login_submit: &'static str,
    pub forgot_link: &'static str,
    pub no_access_link: &'static str,
    pub password_was_reset: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_sent: &'static str,
    pub reset_title: &'static str,
    pub f_new_password: &'static str,
    pub reset_submit: &'static str,
    pub reset_ask_again: &'static str,
    pub profile_title: &'static str,
    pub profile_data: &'static str,
    pub profile_save: &'static str,
    pub profile_saved: &'static str,
    pub change_password_title: &'static str,
    pub f_current_password: &'static str,
    pub change_password_submit: &'static str,
    pub password_changed: &'static str,
    pub hello: &'static str,
    pub logout: &'static str,
    pub sign_in_to_continue: &'static str,
    pub loading: &'static str,
    pub portal: &'static str,
    pub portal_intro: &'static str,
    pub breadcrumb: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub search_title: &'static str,
    pub search_none: &'static str,
    pub nothing_here: &'static str,
    pub requester_data: &'static str,
    pub f_nature: &'static str,
    pub nature_fisica: &'static str,
    pub nature_juridica: &'static str,
    pub f_document: &'static str,
    pub cep_search: &'static str,
    pub f_number: &'static str,
    pub f_complement: &'static str,
    pub f_district: &'static str,
    pub f_city: &'static str,
    pub f_uf: &'static str,
    pub uf_choose: &'static str,
    pub request_block: &'static str,
    pub f_title: &'static str,
    pub f_description: &'static str,
    pub description_placeholder: &'static str,
    pub chars_left: &'static str,
    pub conclude: &'static str,
    pub created_title: &'static str,
    pub col_ticket: &'static str,
    pub col_priority: &'static str,
    pub close: &'static str,
    pub sla_to_agree: &'static str,
    pub business_hours: &'static str,
    pub type_label: &'static str,
    pub sla_label: &'static str,
    pub choose_option: &'static str,
    pub my_tickets: &'static str,
    pub draft_restored: &'static str,
    pub col_type: &'static str,
    pub col_service: &'static str,
    pub col_request: &'static str,
    pub col_created: &'static str,
    pub col_task: &'static str,
    pub col_group: &'static str,
    pub col_situation: &'static str,
    pub col_sla: &'static str,
    pub col_deadline: &'static str,
    pub col_sla_status: &'static str,
    pub situation_open: &'static str,
    pub sla_normal: &'static str,
    pub sla_at_risk: &'static str,
    pub sla_late: &'static str,
    pub no_tickets: &'static str,
    pub showing: &'static str,
    pub of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pagination: &'static str,
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
    required_note: "(*) Campos obrigatórios",
    register_title: "Solicitação de Acesso",
    f_name: "Nome",
    f_person: "Pessoa",
    person_choose: "Selecione",
    person_fisica: "Física",
    person_juridica: "Jurídica",
    f_phone: "Telefone",
    f_cep: "CEP",
    cep_lookup: "Buscar CEP",
    cep_looking: "Buscando…",
    cep_found: "Endereço encontrado. Confira e complete com o número.",
    cep_not_found: "CEP não encontrado. Preencha o endereço manualmente.",
    cep_unavailable: "Não foi possível consultar o CEP agora. Preencha o endereço manualmente.",
    f_address: "Endereço",
    f_email: "Email",
    f_login: "Login",
    f_password: "Senha",
    password_hint: "A senha deve conter no mínimo oito caracteres e pelo menos um número",
    f_password_again: "Digite novamente a senha",
    captcha_intro: "Complete a operação",
    captcha_label: "Resultado que falta na operação",
    captcha_loading: "Carregando a operação…",
    register_submit: "Solicitar acesso",
    sending: "Enviando…",
    registered: "Cadastro realizado com sucesso. Entre com seu login e senha.",
    login_title: "Entrar",
    auth_domain: "Domínio de autenticação",
    login_user: "Insira o seu usuário",
    login_password: "Insira sua senha",
    login_submit: "ENTRAR",
    forgot_link: "Esqueceu sua senha?",
    no_access_link: "Não tem acesso?",
    password_was_reset: "Senha redefinida. Entre com a nova senha.",
    forgot_title: "Esqueceu sua senha?",
    forgot_intro: "Informe o email do seu cadastro. Enviaremos um link para criar uma nova senha.",
    forgot_submit: "Enviar link",
    forgot_sent: "Se o email estiver cadastrado, você receberá em instantes um link para redefinir a senha. O link vale por 30 minutos e pode ser usado uma vez.",
    reset_title: "Redefinir senha",
    f_new_password: "Nova senha",
    reset_submit: "Redefinir senha",
    reset_ask_again: "Pedir um novo link",
    profile_title: "Meu perfil",
    profile_data: "Dados cadastrais",
    profile_save: "Salvar",
    profile_saved: "Dados atualizados.",
    change_password_title: "Alterar senha",
    f_current_password: "Senha atual",
    change_password_submit: "Alterar senha",
    password_changed: "Senha alterada. As outras sessões abertas com a senha antiga foram encerradas.",
    hello: "Olá",
    logout: "Sair",
    sign_in_to_continue: "Entre para continuar.",
    loading: "Carregando…",
    portal: "Portal",
    portal_intro: "Escolha o portfólio, o serviço e a atividade que descrevem a sua solicitação.",
    breadcrumb: "Trilha de navegação",
    search_placeholder: "Pesquise aqui",
    search_button: "Pesquisar",
    search_title: "Resultados da pesquisa",
    search_none: "Nenhuma atividade encontrada. Tente outras palavras ou navegue pelo portal.",
    nothing_here: "Nada disponível aqui no momento.",
    requester_data: "Dados do solicitante",
    f_nature: "Natureza",
    nature_fisica: "Pessoa Física",
    nature_juridica: "Pessoa Jurídica",
    f_document: "CPF ou CNPJ",
    cep_search: "pesquisar",
    f_number: "Nº",
    f_complement: "Complemento",
    f_district: "Bairro",
    f_city: "Cidade",
    f_uf: "UF",
    uf_choose: "Selecione a UF",
    request_block: "Solicitação",
    f_title: "Solicitação",
    f_description: "Descrição",
    description_placeholder: "Escreva aqui",
    chars_left: "caracteres restantes",
    conclude: "Concluir",
    created_title: "Ticket(s) criado(s)",
    col_ticket: "Ticket",
    col_priority: "Prioridade",
    close: "Fechar",
    sla_to_agree: "A combinar",
    business_hours: "horas úteis",
    type_label: "Tipo",
    sla_label: "SLA",
    choose_option: "Selecione",
    my_tickets: "Meus Tickets",
    draft_restored: "Rascunho recuperado deste navegador.",
    col_type: "Tipo",
    col_service: "Serviço",
    col_request: "Solicitação",
    col_created: "Criada em",
    col_task: "Tarefa",
    col_group: "Grupo atual",
    col_situation: "Situação",
    col_sla: "SLA",
    col_deadline: "Prazo limite",
    col_sla_status: "Status do SLA",
    situation_open: "Em Andamento",
    sla_normal: "Normal",
    sla_at_risk: "Em risco",
    sla_late: "Atrasado",
    no_tickets: "Nenhum ticket em andamento. Abra uma solicitação pelo portal.",
    showing: "Mostrando",
    of: "de",
    previous: "Anterior",
    next: "Próxima",
    pagination: "Paginação",
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
    required_note: "(*) Required fields",
    register_title: "Access Request",
    f_name: "Name",
    f_person: "Person",
    person_choose: "Select",
    person_fisica: "Individual",
    person_juridica: "Company",
    f_phone: "Phone",
    f_cep: "CEP (postal code)",
    cep_lookup: "Look up CEP",
    cep_looking: "Looking up…",
    cep_found: "Address found. Check it and add the number.",
    cep_not_found: "CEP not found. Type the address by hand.",
    cep_unavailable: "The CEP lookup is unavailable right now. Type the address by hand.",
    f_address: "Address",
    f_email: "Email",
    f_login: "Login",
    f_password: "Password",
    password_hint: "The password must have at least eight characters and at least one digit",
    f_password_again: "Type the password again",
    captcha_intro: "Complete the operation",
    captcha_label: "Missing number of the operation",
    captcha_loading: "Loading the operation…",
    register_submit: "Request access",
    sending: "Sending…",
    registered: "Registration complete. Sign in with your login and password.",
    login_title: "Sign in",
    auth_domain: "Authentication domain",
    login_user: "Enter your user",
    login_password: "Enter your password",
    login_submit: "SIGN IN",
    forgot_link: "Forgot your password?",
    no_access_link: "No access yet?",
    password_was_reset: "Password reset. Sign in with the new password.",
    forgot_title: "Forgot your password?",
    forgot_intro: "Enter the email of your account. We will send a link to choose a new password.",
    forgot_submit: "Send link",
    forgot_sent: "If the email belongs to an account, a link to reset the password is on its way. It is valid for 30 minutes, once.",
    reset_title: "Reset password",
    f_new_password: "New password",
    reset_submit: "Reset password",
    reset_ask_again: "Ask for a new link",
    profile_title: "My profile",
    profile_data: "Registration data",
    profile_save: "Save",
    profile_saved: "Data updated.",
    change_password_title: "Change password",
    f_current_password: "Current password",
    change_password_submit: "Change password",
    password_changed: "Password changed. Other sessions opened with the old password were ended.",
    hello: "Hello",
    logout: "Sign out",
    sign_in_to_continue: "Sign in to continue.",
    loading: "Loading…",
    portal: "Portal",
    portal_intro: "Choose the portfolio, the service and the activity that describe your request.",
    breadcrumb: "Breadcrumb",
    search_placeholder: "Search here",
    search_button: "Search",
    search_title: "Search results",
    search_none: "No activity found. Try other words or browse the portal.",
    nothing_here: "Nothing available here right now.",
    requester_data: "Requester data",
    f_nature: "Nature",
    nature_fisica: "Individual",
    nature_juridica: "Company",
    f_document: "CPF or CNPJ",
    cep_search: "search",
    f_number: "No.",
    f_complement: "Complement",
    f_district: "District",
    f_city: "City",
    f_uf: "State",
    uf_choose: "Select the state",
    request_block: "Request",
    f_title: "Request",
    f_description: "Description",
    description_placeholder: "Write here",
    chars_left: "characters left",
    conclude: "Conclude",
    created_title: "Ticket(s) created",
    col_ticket: "Ticket",
    col_priority: "Priority",
    close: "Close",
    sla_to_agree: "To be agreed",
    business_hours: "business hours",
    type_label: "Type",
    sla_label: "SLA",
    choose_option: "Select",
    my_tickets: "My Tickets",
    draft_restored: "Draft restored from this browser.",
    col_type: "Type",
    col_service: "Service",
    col_request: "Request",
    col_created: "Created",
    col_task: "Task",
    col_group: "Current group",
    col_situation: "Situation",
    col_sla: "SLA",
    col_deadline: "Deadline",
    col_sla_status: "SLA status",
    situation_open: "In progress",
    sla_normal: "Normal",
    sla_at_risk: "At risk",
    sla_late: "Late",
    no_tickets: "No ticket in progress. Open a request in the portal.",
    showing: "Showing",
    of: "of",
    previous: "Previous",
    next: "Next",
    pagination: "Pagination",
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
