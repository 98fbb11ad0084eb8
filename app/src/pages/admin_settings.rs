//! "Configurações" (`/admin/configuracoes`), for administrators: the windows after a
//! ticket closes, attachment limits and types, the time zone, the authentication
//! domain, the public address and the mail sender. Saved, they apply at once, without
//! a restart. Business hours are the calendars of "Configurações de SLA".
//!
//! One form, a real post to this page, enhanced into `admin-settings-save`. A lazy
//! route: customers never download this code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{get_settings, save_settings};
use crate::components::admin_page::refused;
use crate::components::change_form::{ChangeForm, Parse, TextInput, use_form_state};
use crate::components::form_post::{posted_any, still_posted};
use crate::domain::Field;
use crate::domain::attachment::known_types;
use crate::domain::settings::{SETTINGS_FORM, SettingsData, SettingsInput};
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};
use crate::resource::resource;

pub const PATH: &str = "/admin/configuracoes";
pub const DONE_QUERY: &str = "salvo";

struct T {
    title: &'static str,
    intro: &'static str,
    tickets: &'static str,
    reopen: &'static str,
    rating: &'static str,
    attachments: &'static str,
    max_files: &'static str,
    max_mb: &'static str,
    types: &'static str,
    instance: &'static str,
    time_zone: &'static str,
    time_zone_help: &'static str,
    auth_domain: &'static str,
    public_url: &'static str,
    mail_from: &'static str,
    mail_from_help: &'static str,
    hours: &'static str,
    hours_link: &'static str,
    save: &'static str,
    saved: &'static str,
}

static PT: T = T {
    title: "Configurações",
    intro: "As alterações valem imediatamente, sem reiniciar o servidor.",
    tickets: "Tickets encerrados",
    reopen: "Prazo para reabrir (horas)",
    rating: "Prazo da pesquisa de satisfação (dias)",
    attachments: "Anexos",
    max_files: "Arquivos por solicitação",
    max_mb: "Tamanho máximo por arquivo (MB)",
    types: "Tipos permitidos",
    instance: "Instância",
    time_zone: "Fuso horário",
    time_zone_help: "Nome IANA, como America/Sao_Paulo.",
    auth_domain: "Domínio de autenticação",
    public_url: "Endereço público",
    mail_from: "Remetente dos e-mails",
    mail_from_help: "Como: Central de Atendimento <atendimento@orgao.gov.br>",
    hours: "O horário de atendimento é o dos calendários, em",
    hours_link: "Configurações de SLA",
    save: "Salvar configurações",
    saved: "Configurações salvas.",
};

static EN: T = T {
    title: "Settings",
    intro: "Changes apply at once, without restarting the server.",
    tickets: "Closed tickets",
    reopen: "Window to reopen (hours)",
    rating: "Window of the satisfaction survey (days)",
    attachments: "Attachments",
    max_files: "Files per request",
    max_mb: "Maximum size per file (MB)",
    types: "Allowed types",
    instance: "Instance",
    time_zone: "Time zone",
    time_zone_help: "IANA name, such as America/Sao_Paulo.",
    auth_domain: "Authentication domain",
    public_url: "Public address",
    mail_from: "E-mail sender",
    mail_from_help: "Such as: Service Desk <desk@agency.gov>",
    hours: "Business hours are the calendars', in",
    hours_link: "SLA settings",
    save: "Save settings",
    saved: "Settings saved.",
};

fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
    }
}

/// Reads the form; refuses it as the server would.
fn parse_settings(
    form: &str,
    get: &dyn Fn(&str) -> String,
    all: &dyn Fn(&str) -> Vec<String>,
) -> Result<SettingsInput, crate::domain::FieldErrors> {
    if form != SETTINGS_FORM {
        return Err(crate::domain::FieldErrors::single(
            Field::DeskAction,
            crate::domain::Problem::InvalidChoice,
        ));
    }
    let input = SettingsInput::from_form(get, all);
    input.validate(&known_types())?;
    Ok(input)
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let settings = resource(|| (), |_| get_settings());
    let post = posted_any();
    let done = use_query_map()
        .with_untracked(|q| q.get(DONE_QUERY))
        .is_some();
    let notice = RwSignal::new(done);
    view! {
        <Title text=move || t().title />
        <Transition fallback=move || view! { <section class="card wide"><p>{move || common.get().loading}</p></section> }>
            {move || settings.get().map(|loaded| match loaded {
                Ok(data) => view! {
                    <section class="card wide admin-settings">
                        <h1>{move || t().title}</h1>
                        <p class="hint">{move || t().intro}</p>
                        <div aria-live="polite">
                            {move || notice.get().then(|| view! { <p class="form-message form-message-ok" role="status">{move || t().saved}</p> })}
                        </div>
                        <SettingsForm data post=still_posted(&post) on_saved=Callback::new(move |_| {
                            notice.set(true);
                            settings.refetch();
                        }) />
                    </section>
                }.into_any(),
                Err(err) => refused(err, Signal::derive(move || t().title.to_owned())),
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(
    data: SettingsData,
    post: Option<crate::components::form_post::FormPost>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let parse: Parse<SettingsInput> = parse_settings;
    let i = data.input;
    view! {
        <ChangeForm path=PATH form=SETTINGS_FORM parse send=save_settings button=label(|t| t.save)
            saved=label(|t| t.saved) on_saved post class="stacked">
            <fieldset>
                <legend>{move || texts(lang.get()).tickets}</legend>
                <TextInput label=label(|t| t.reopen) field=Field::ReopenHours key="cfg".into() value=i.reopen_hours max=3 kind="number" />
                <TextInput label=label(|t| t.rating) field=Field::RatingDays key="cfg".into() value=i.rating_days max=2 kind="number" />
            </fieldset>
            <fieldset>
                <legend>{move || texts(lang.get()).attachments}</legend>
                <TextInput label=label(|t| t.max_files) field=Field::MaxFiles key="cfg".into() value=i.max_files max=2 kind="number" />
                <TextInput label=label(|t| t.max_mb) field=Field::MaxMegabytes key="cfg".into() value=i.max_megabytes max=3 kind="number" />
                <Types known=data.known_types allowed=i.allowed_types />
            </fieldset>
            <fieldset>
                <legend>{move || texts(lang.get()).instance}</legend>
                <TextInput label=label(|t| t.time_zone) field=Field::TimeZone key="cfg".into() value=i.time_zone max=64 help=label(|t| t.time_zone_help) />
                <TextInput label=label(|t| t.auth_domain) field=Field::AuthDomain key="cfg".into() value=i.auth_domain max=100 />
                <TextInput label=label(|t| t.public_url) field=Field::PublicUrl key="cfg".into() value=i.public_url max=200 kind="url" />
                <TextInput label=label(|t| t.mail_from) field=Field::MailFrom key="cfg".into() value=i.mail_from max=200 help=label(|t| t.mail_from_help) />
                <p class="hint">
                    {move || texts(lang.get()).hours} " "
                    <a href=crate::pages::admin_sla::PATH>{move || texts(lang.get()).hours_link}</a> "."
                </p>
            </fieldset>
        </ChangeForm>
    }
}

/// The allowed attachment types, as checkboxes.
#[component]
fn Types(known: Vec<String>, allowed: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let state = use_form_state();
    let errors = state.errors;
    let chosen: Vec<String> = match &state.kept {
        Some(post) => post
            .values
            .iter()
            .filter(|(name, _)| *name == Field::AllowedTypes.id())
            .map(|(_, value)| value.clone())
            .collect(),
        None => allowed,
    };
    view! {
        <fieldset class="checks types" aria-describedby="anexos-tipos-erro">
            <legend>{move || texts(lang.get()).types}</legend>
            {known.into_iter().map(|ext| {
                let id = format!("tipo-{ext}");
                let checked = chosen.contains(&ext);
                view! {
                    <div class="check">
                        <input type="checkbox" id=id.clone() name=Field::AllowedTypes.id() value=ext.clone() checked=checked />
                        <label for=id>{format!(".{ext}")}</label>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" id="anexos-tipos-erro" aria-live="polite">
                {move || errors.problem(Field::AllowedTypes).map(|p| p.message(lang.get()))}
            </p>
        </fieldset>
    }
}
