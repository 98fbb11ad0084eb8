//! "Configurações de SLA" (`/admin/sla`), for administrators: the business calendars
//! (hours per weekday, time zone, national holidays and optional points), each
//! calendar's own holidays, each activity's calendar and targets, and the outbox's state.
//!
//! Every form is a real post to this page (`_form` names it and the row it is about),
//! enhanced into a server-function call once the bundle has loaded. The page is a lazy
//! route: its code is split out of the browser bundle that customers download.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{
    add_holiday, get_sla_settings, remove_holiday, save_calendar, set_activity_sla,
};
use crate::components::form::{FormErrors, FormMessage, show_error};
use crate::components::form_post::{FORM_NAME, FormPost, posted_any, still_posted};
use crate::domain::Field;
use crate::domain::calendar::{
    ActivitySlaInput, ActivitySlaRow, CalendarInput, CalendarRow, HolidayInput, SlaSettings,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};
use crate::resource::{Resource, resource};

pub const PATH: &str = "/admin/sla";
/// Form names: a calendar's (`calendario-ID`, `calendario-novo`), a holiday added to
/// calendar ID (`feriado-ID`) or removed (`feriado-remover`), an activity's SLA
/// (`atividade-ID`).
pub const CALENDAR_FORM: &str = "calendario";
pub const HOLIDAY_FORM: &str = "feriado";
pub const HOLIDAY_REMOVE_FORM: &str = "feriado-remover";
pub const ACTIVITY_FORM: &str = "atividade";
pub const HOLIDAY_ID: &str = "feriado-id";
pub const CALENDAR_ID: &str = "calendario-id";
pub const NATIONAL: &str = "feriados-nacionais";
pub const OPTIONAL: &str = "pontos-facultativos";
pub const SAVED_QUERY: &str = "salvo";

struct T {
    title: &'static str,
    calendars: &'static str,
    new_calendar: &'static str,
    name: &'static str,
    time_zone: &'static str,
    week: &'static str,
    week_help: &'static str,
    national: &'static str,
    optional: &'static str,
    save_calendar: &'static str,
    holidays: &'static str,
    no_holidays: &'static str,
    date: &'static str,
    holiday_name: &'static str,
    add_holiday: &'static str,
    remove: &'static str,
    activities: &'static str,
    activity: &'static str,
    calendar: &'static str,
    hours: &'static str,
    first_response: &'static str,
    hours_help: &'static str,
    save: &'static str,
    outbox: &'static str,
    pending: &'static str,
    sent: &'static str,
    failed: &'static str,
    recipient: &'static str,
    subject: &'static str,
    state: &'static str,
    attempts: &'static str,
    next_attempt: &'static str,
    error: &'static str,
    no_problems: &'static str,
    saved: &'static str,
    admins_only: &'static str,
}

static PT: T = T {
    title: "Configurações de SLA",
    calendars: "Calendários",
    new_calendar: "Novo calendário",
    name: "Nome",
    time_zone: "Fuso horário",
    week: "Horário de atendimento",
    week_help: "De segunda a domingo, separados por |; cada dia com intervalos HH:MM-HH:MM separados por vírgula (dia vazio: sem expediente).",
    national: "Feriados nacionais",
    optional: "Pontos facultativos (Carnaval, Corpus Christi)",
    save_calendar: "Salvar calendário",
    holidays: "Feriados do calendário",
    no_holidays: "Nenhum feriado local.",
    date: "Data",
    holiday_name: "Feriado",
    add_holiday: "Adicionar feriado",
    remove: "Remover",
    activities: "SLA das atividades",
    activity: "Atividade",
    calendar: "Calendário",
    hours: "Prazo (horas úteis)",
    first_response: "Primeira resposta (horas úteis)",
    hours_help: "Vazio: \"A combinar\" (prazo) ou sem meta (primeira resposta).",
    save: "Salvar",
    outbox: "Caixa de saída de e-mails",
    pending: "Pendentes",
    sent: "Enviadas",
    failed: "Falhas",
    recipient: "Destinatário",
    subject: "Assunto",
    state: "Situação",
    attempts: "Tentativas",
    next_attempt: "Próxima tentativa",
    error: "Último erro",
    no_problems: "Nenhuma mensagem pendente ou com falha.",
    saved: "Alterações salvas.",
    admins_only: "Somente administradores acessam esta página.",
};

static EN: T = T {
    title: "SLA settings",
    calendars: "Calendars",
    new_calendar: "New calendar",
    name: "Name",
    time_zone: "Time zone",
    week: "Business hours",
    week_help: "Monday to Sunday, separated by |; each day with HH:MM-HH:MM intervals separated by commas (an empty day has no business hours).",
    national: "National holidays",
    optional: "Optional points (Carnival, Corpus Christi)",
    save_calendar: "Save calendar",
    holidays: "Holidays of the calendar",
    no_holidays: "No local holidays.",
    date: "Date",
    holiday_name: "Holiday",
    add_holiday: "Add holiday",
    remove: "Remove",
    activities: "SLA of the activities",
    activity: "Activity",
    calendar: "Calendar",
    hours: "Target (business hours)",
    first_response: "First response (business hours)",
    hours_help: "Empty: \"to be agreed\" (target) or no target (first response).",
    save: "Save",
    outbox: "E-mail outbox",
    pending: "Pending",
    sent: "Sent",
    failed: "Failed",
    recipient: "Recipient",
    subject: "Subject",
    state: "State",
    attempts: "Attempts",
    next_attempt: "Next attempt",
    error: "Last error",
    no_problems: "No pending or failed message.",
    saved: "Changes saved.",
    admins_only: "Only administrators can open this page.",
};

fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
    }
}

/// The hidden input naming a form whose name is built at run time.
fn form_name(name: String) -> impl IntoView {
    view! { <input type="hidden" name=FORM_NAME value=name /> }
}

/// A labelled text input bound to `value`, with its problem (and help) below it. Its
/// `name` is the field's; its `id` is the caller's (a page has one per calendar).
#[component]
fn Input(
    label: impl Fn() -> &'static str + Send + Sync + Copy + 'static,
    id: String,
    field: Field,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional)] max: Option<u32>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional, into)] help: Option<Signal<&'static str>>,
) -> impl IntoView {
    let help_id = format!("{id}-ajuda");
    let described = help.is_some().then(|| help_id.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <div class="field-control">
                <input id=id.clone() name=field.id() maxlength=max.map(|m| m.to_string()) placeholder=placeholder
                    aria-describedby=described
                    value=value.get_untracked()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
            {help.map(|help| view! { <p class="hint" id=help_id.clone()>{move || help.get()}</p> })}
            {problem_of(errors, field, format!("{id}-erro"))}
        </div>
    }
}

/// A field's problem, beside it.
fn problem_of(errors: FormErrors, field: Field, id: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || errors.problem(field).map(|p| p.message(lang.get()))}
        </p>
    }
}

#[component]
pub fn SlaPage() -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let settings = resource(|| (), |_| get_sla_settings());
    let post = posted_any();
    let saved = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get(SAVED_QUERY))
        .is_some();
    view! {
        <Title text=move || t().title />
        <section class="card wide">
            <h1>{move || t().title}</h1>
            {saved.then(|| view! { <p class="form-message form-message-ok" role="status">{move || t().saved}</p> })}
            <Suspense fallback=move || view! { <p>{move || common.get().loading}</p> }>
                {move || settings.get().map(|loaded| match loaded {
                    Ok(s) => view! { <Settings s reload=settings post=still_posted(&post) /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{move || common.get().sign_in_to_continue}</p>
                        <a class="button button-primary" href="/entrar?next=/admin/sla">{move || common.get().nav_login}</a>
                    }.into_any(),
                    Err(AppError::Forbidden | AppError::NotFound) => {
                        crate::components::admin_page::not_found_status();
                        view! { <p role="alert">{move || t().admins_only}</p> }.into_any()
                    }
                    Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get())}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Settings(
    s: SlaSettings,
    reload: Resource<Result<SlaSettings, AppError>>,
    post: Option<FormPost>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let choices: Vec<(i32, String)> = s.calendars.iter().map(|c| (c.id, c.name.clone())).collect();
    let calendars = s
        .calendars
        .iter()
        .cloned()
        .map(|c| view! { <CalendarForm c=Some(c) reload post=post.clone() /> })
        .collect_view();
    let activities = s
        .activities
        .iter()
        .cloned()
        .map(|a| view! { <ActivityForm a choices=choices.clone() reload post=post.clone() /> })
        .collect_view();
    let outbox = s.outbox.clone();
    let problems = outbox.problems.clone();
    view! {
        <h2>{move || t().calendars}</h2>
        {calendars}
        <CalendarForm c=None reload post=post.clone() />
        <h2>{move || t().activities}</h2>
        <p class="hint">{move || t().hours_help}</p>
        <div class="table-scroll">
            <table class="sla-activities card-rows">
                <thead><tr>
                    <th scope="col">{move || t().activity}</th>
                    <th scope="col">{move || t().calendar}</th>
                    <th scope="col">{move || t().hours}</th>
                    <th scope="col">{move || t().first_response}</th>
                    <th scope="col"><span class="visually-hidden">{move || t().save}</span></th>
                </tr></thead>
                <tbody>{activities}</tbody>
            </table>
        </div>
        <h2>{move || t().outbox}</h2>
        <dl class="outbox-counts">
            <div><dt>{move || t().pending}</dt><dd class="outbox-pending">{outbox.pending}</dd></div>
            <div><dt>{move || t().sent}</dt><dd class="outbox-sent">{outbox.sent}</dd></div>
            <div><dt>{move || t().failed}</dt><dd class="outbox-failed">{outbox.failed}</dd></div>
        </dl>
        {if problems.is_empty() {
            view! { <p>{move || t().no_problems}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="outbox card-rows">
                        <thead><tr>
                            <th scope="col">{move || t().recipient}</th>
                            <th scope="col">{move || t().subject}</th>
                            <th scope="col">{move || t().state}</th>
                            <th scope="col">{move || t().attempts}</th>
                            <th scope="col">{move || t().next_attempt}</th>
                            <th scope="col">{move || t().error}</th>
                        </tr></thead>
                        <tbody>
                            {problems.into_iter().map(|p| view! {
                                <tr>
                                    <td data-label=move || t().recipient>{p.recipient}</td>
                                    <td data-label=move || t().subject>{p.subject}</td>
                                    <td data-label=move || t().state>{p.state}</td>
                                    <td data-label=move || t().attempts>{p.attempts}</td>
                                    <td data-label=move || t().next_attempt>{p.next_attempt_at.unwrap_or_else(|| "—".into())}</td>
                                    <td data-label=move || t().error>{p.last_error.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// A calendar's form (`c` none: "Novo calendário"), with its holidays.
#[component]
fn CalendarForm(
    c: Option<CalendarRow>,
    reload: Resource<Result<SlaSettings, AppError>>,
    post: Option<FormPost>,
) -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let key = c.as_ref().map_or("novo".to_owned(), |c| c.id.to_string());
    let form = format!("{CALENDAR_FORM}-{key}");
    let page_post = post.clone();
    let mine = post.filter(|p| p.form == form);
    let errors = FormErrors::from_post(mine.as_ref());
    let message = RwSignal::new(mine.as_ref().and_then(FormPost::message));
    let value = |field: Field, stored: String| match &mine {
        Some(p) => p.value(&field.id()),
        None => stored,
    };
    let name = RwSignal::new(value(
        Field::CalendarName,
        c.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
    ));
    let zone = RwSignal::new(value(
        Field::TimeZone,
        c.as_ref()
            .map_or("America/Sao_Paulo".to_owned(), |c| c.time_zone.clone()),
    ));
    let week = RwSignal::new(value(
        Field::Week,
        c.as_ref().map_or(
            "08:00-18:00|08:00-18:00|08:00-18:00|08:00-18:00|08:00-18:00||".to_owned(),
            |c| c.week.clone(),
        ),
    ));
    let national = RwSignal::new(c.as_ref().is_none_or(|c| c.national_holidays));
    let optional = RwSignal::new(c.as_ref().is_none_or(|c| c.optional_points));
    let id = c.as_ref().map(|c| c.id);
    let save = Action::new(|input: &CalendarInput| save_calendar(input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            errors.clear();
            message.set(Some((true, texts(lang.get_untracked()).saved.to_owned())));
            reload.refetch();
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = CalendarInput {
            id,
            name: name.get_untracked(),
            time_zone: zone.get_untracked(),
            week: week.get_untracked(),
            national_holidays: national.get_untracked(),
            optional_points: optional.get_untracked(),
        };
        if let Err(problems) = input.validate() {
            errors.show(problems);
            return;
        }
        message.set(None);
        save.dispatch(input);
    };
    let ids = |field: Field| format!("{}-{key}", field.id());
    let (name_id, zone_id, week_id) = (
        ids(Field::CalendarName),
        ids(Field::TimeZone),
        ids(Field::Week),
    );
    let (national_id, optional_id) = (format!("{NATIONAL}-{key}"), format!("{OPTIONAL}-{key}"));
    let heading = c.as_ref().map(|c| c.name.clone());
    let holidays = c
        .clone()
        .map(|c| view! { <Holidays c reload post=page_post /> });
    view! {
        <article class="calendar">
            <h3>{move || heading.clone().unwrap_or_else(|| t().new_calendar.to_owned())}</h3>
            <form method="post" action=PATH on:submit=on_submit novalidate>
                {form_name(form.clone())}
                {id.map(|id| view! { <input type="hidden" name=CALENDAR_ID value=id.to_string() /> })}
                <Input label=move || t().name id=name_id.clone() field=Field::CalendarName value=name errors max=100 />
                <Input label=move || t().time_zone id=zone_id.clone() field=Field::TimeZone value=zone errors />
                <Input label=move || t().week id=week_id.clone() field=Field::Week value=week errors help=Signal::derive(move || t().week_help) />
                <div class="check">
                    <input type="checkbox" id=national_id.clone() name=NATIONAL value="on"
                        prop:checked=move || national.get() checked=national.get_untracked()
                        on:change=move |ev| national.set(event_target_checked(&ev)) />
                    <label for=national_id>{move || t().national}</label>
                </div>
                <div class="check">
                    <input type="checkbox" id=optional_id.clone() name=OPTIONAL value="on"
                        prop:checked=move || optional.get() checked=optional.get_untracked()
                        on:change=move |ev| optional.set(event_target_checked(&ev)) />
                    <label for=optional_id>{move || t().optional}</label>
                </div>
                <FormMessage message />
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { common.get().sending } else { t().save_calendar }}
                </button>
            </form>
            {holidays}
        </article>
    }
}

/// A calendar's own holidays: the list, each with "Remover", and "Adicionar feriado".
#[component]
fn Holidays(
    c: CalendarRow,
    reload: Resource<Result<SlaSettings, AppError>>,
    post: Option<FormPost>,
) -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let form = format!("{HOLIDAY_FORM}-{}", c.id);
    let mine = post.filter(|p| p.form == form);
    let errors = FormErrors::from_post(mine.as_ref());
    let message = RwSignal::new(mine.as_ref().and_then(FormPost::message));
    let date = RwSignal::new(
        mine.as_ref()
            .map(|p| p.value(&Field::HolidayDate.id()))
            .unwrap_or_default(),
    );
    let name = RwSignal::new(
        mine.as_ref()
            .map(|p| p.value(&Field::HolidayName.id()))
            .unwrap_or_default(),
    );
    let calendar = c.id;
    let add = Action::new(|input: &HolidayInput| add_holiday(input.clone()));
    let remove = Action::new(|id: &i32| remove_holiday(*id));
    Effect::new(move |_| match add.value().get() {
        Some(Ok(())) => {
            errors.clear();
            date.set(String::new());
            name.set(String::new());
            reload.refetch();
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            match result {
                Ok(()) => reload.refetch(),
                Err(err) => show_error(&err, message, errors),
            }
        }
    });
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = HolidayInput {
            calendar,
            date: date.get_untracked(),
            name: name.get_untracked(),
        };
        if let Err(problems) = input.validate() {
            errors.show(problems);
            return;
        }
        message.set(None);
        add.dispatch(input);
    };
    let date_id = format!("{}-{}", Field::HolidayDate.id(), c.id);
    let name_id = format!("{}-{}", Field::HolidayName.id(), c.id);
    let rows = c
        .holidays
        .iter()
        .cloned()
        .map(|h| {
            let id = h.id;
            view! {
                <tr>
                    <td data-label=move || t().date>{h.date}</td>
                    <td data-label=move || t().holiday_name>{h.name}</td>
                    <td>
                        <form method="post" action=PATH on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            remove.dispatch(id);
                        }>
                            {form_name(HOLIDAY_REMOVE_FORM.to_owned())}
                            <input type="hidden" name=HOLIDAY_ID value=id.to_string() />
                            <button type="submit" class="button button-small">{move || t().remove}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = c.holidays.is_empty();
    view! {
        <h4>{move || t().holidays}</h4>
        {if empty {
            view! { <p>{move || t().no_holidays}</p> }.into_any()
        } else {
            view! {
                <table class="holidays card-rows">
                    <thead><tr>
                        <th scope="col">{move || t().date}</th>
                        <th scope="col">{move || t().holiday_name}</th>
                        <th scope="col"><span class="visually-hidden">{move || t().remove}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
        <form method="post" action=PATH on:submit=on_add novalidate class="inline-form">
            {form_name(form.clone())}
            <input type="hidden" name=Field::Calendar.id() value=calendar.to_string() />
            <Input label=move || t().date id=date_id.clone() field=Field::HolidayDate value=date errors placeholder="dd/mm/aaaa" />
            <Input label=move || t().holiday_name id=name_id.clone() field=Field::HolidayName value=name errors max=200 />
            <FormMessage message />
            <button type="submit" class="button" disabled=move || add.pending().get()>
                {move || if add.pending().get() { common.get().sending } else { t().add_holiday }}
            </button>
        </form>
    }
}

/// One activity's SLA, as a row with its own form.
#[component]
fn ActivityForm(
    a: ActivitySlaRow,
    choices: Vec<(i32, String)>,
    reload: Resource<Result<SlaSettings, AppError>>,
    post: Option<FormPost>,
) -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let form = format!("{ACTIVITY_FORM}-{}", a.id);
    let mine = post.filter(|p| p.form == form);
    let errors = FormErrors::from_post(mine.as_ref());
    let message = RwSignal::new(mine.as_ref().and_then(FormPost::message));
    let value = |field: Field, stored: String| match &mine {
        Some(p) => p.value(&field.id()),
        None => stored,
    };
    let calendar = RwSignal::new(value(Field::Calendar, a.calendar.to_string()));
    let hours = RwSignal::new(value(
        Field::SlaHours,
        a.sla_hours.map(|h| h.to_string()).unwrap_or_default(),
    ));
    let first = RwSignal::new(value(
        Field::FirstResponseHours,
        a.first_response_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
    ));
    let activity = a.id;
    let save = Action::new(|input: &ActivitySlaInput| set_activity_sla(input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            errors.clear();
            message.set(Some((true, texts(lang.get_untracked()).saved.to_owned())));
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ActivitySlaInput {
            activity,
            calendar: calendar.get_untracked().trim().parse().unwrap_or(0),
            hours: hours.get_untracked(),
            first_response: first.get_untracked(),
        };
        if let Err(problems) = input.validate() {
            errors.show(problems);
            return;
        }
        message.set(None);
        save.dispatch(input);
    };
    let _ = reload;
    let form_id = format!("form-{form}");
    let (calendar_id, hours_id, first_id) = (
        format!("{}-{activity}", Field::Calendar.id()),
        format!("{}-{activity}", Field::SlaHours.id()),
        format!("{}-{activity}", Field::FirstResponseHours.id()),
    );
    let label = a.name.clone();
    view! {
        <tr>
            <th scope="row" data-label=move || t().activity>{a.name.clone()}</th>
            <td data-label=move || t().calendar>
                <label class="visually-hidden" for=calendar_id.clone()>{move || format!("{} – {}", t().calendar, label)}</label>
                <select id=calendar_id name=Field::Calendar.id() form=form_id.clone()
                    on:change=move |ev| calendar.set(event_target_value(&ev))>
                    {choices.into_iter().map(|(id, name)| {
                        let value = id.to_string();
                        let selected = move || calendar.get() == id.to_string();
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td data-label=move || t().hours>
                <label class="visually-hidden" for=hours_id.clone()>{move || t().hours}</label>
                <input id=hours_id.clone() name=Field::SlaHours.id() form=form_id.clone() inputmode="numeric" size="5"
                    value=hours.get_untracked()
                        prop:value=move || hours.get() on:input=move |ev| hours.set(event_target_value(&ev)) />
                {problem_of(errors, Field::SlaHours, format!("{hours_id}-erro"))}
            </td>
            <td data-label=move || t().first_response>
                <label class="visually-hidden" for=first_id.clone()>{move || t().first_response}</label>
                <input id=first_id.clone() name=Field::FirstResponseHours.id() form=form_id.clone() inputmode="numeric" size="5"
                    value=first.get_untracked()
                        prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev)) />
                {problem_of(errors, Field::FirstResponseHours, format!("{first_id}-erro"))}
            </td>
            <td>
                <form id=form_id method="post" action=PATH on:submit=on_submit novalidate>
                    {form_name(form.clone())}
                    <input type="hidden" name=Field::Activity.id() value=activity.to_string() />
                    <button type="submit" class="button button-small" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { common.get().sending } else { t().save }}
                    </button>
                    <FormMessage message />
                </form>
            </td>
        </tr>
    }
}
