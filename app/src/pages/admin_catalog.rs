//! "Portfólio de serviços" (`/admin/catalogo`), for administrators: portfolios, services
//! and activities (create, edit, reorder, enable, disable), and each activity's editor
//! (`/admin/catalogo/{id}`): its settings, workflow and form, with a preview of the form
//! exactly as the customer will see it.
//!
//! Every form is a real post to its page, enhanced into `admin-catalog-change` once the
//! bundle has loaded (`crate::components::change_form`). Lazy routes: customers never
//! download this code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::admin::{change_catalog, get_activity, get_catalog};
use crate::components::admin_page::refused;
use crate::components::change_form::{self, Parse, TextInput, use_form_state};
use crate::components::form::FormErrors;
use crate::components::form_post::{FormPost, posted_any, still_posted};
use crate::domain::Field;
use crate::domain::catalog_admin::{
    ACTIVE, ACTIVITY_FORM, ACTIVITY_NEW_FORM, ActivityEditor, CatalogCommand, CatalogItem,
    CatalogTree, DIRECTION, FIELD_EDIT_FORM, FIELD_ID, FIELD_KINDS, FIELD_MOVE_FORM,
    FIELD_NEW_FORM, FIELD_REMOVE_FORM, FieldInput, ITEM_ACTIVE_FORM, ITEM_EDIT_FORM, ITEM_ID,
    ITEM_MOVE_FORM, LEVEL, Level, PARENT_ID, PORTFOLIO_NEW_FORM, SERVICE_NEW_FORM, VERSION,
};
use crate::domain::request::{priority, priority_name, ticket_type_name};
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};
use crate::resource::resource;

pub const PATH: &str = "/admin/catalogo";
/// After a plain post: which change was made.
pub const DONE_QUERY: &str = "feito";

/// An activity's editor.
pub fn activity_path(id: i32) -> String {
    format!("{PATH}/{id}")
}

struct T {
    title: &'static str,
    intro: &'static str,
    new_portfolio: &'static str,
    new_service: &'static str,
    new_activity: &'static str,
    name: &'static str,
    description: &'static str,
    create: &'static str,
    edit: &'static str,
    save: &'static str,
    up: &'static str,
    down: &'static str,
    enable: &'static str,
    disable: &'static str,
    disabled: &'static str,
    configure: &'static str,
    saved: &'static str,
    back: &'static str,
    settings: &'static str,
    ticket_type: &'static str,
    impact: &'static str,
    urgency: &'static str,
    high: &'static str,
    medium: &'static str,
    low: &'static str,
    priority: &'static str,
    sla: &'static str,
    sla_help: &'static str,
    workflow: &'static str,
    workflow_help: &'static str,
    initial_task: &'static str,
    initial_task_help: &'static str,
    initial_group: &'static str,
    form: &'static str,
    no_fields: &'static str,
    label: &'static str,
    kind: &'static str,
    help: &'static str,
    required: &'static str,
    max_length: &'static str,
    max_length_help: &'static str,
    options: &'static str,
    options_help: &'static str,
    new_field: &'static str,
    add_field: &'static str,
    remove: &'static str,
    preview: &'static str,
    preview_help: &'static str,
    state: &'static str,
}

static PT: T = T {
    title: "Portfólio de serviços",
    intro: "Uma nova atividade começa desativada: configure-a e o seu formulário, depois ative-a. Um item desativado sai do portal na hora; os tickets já abertos o mantêm.",
    new_portfolio: "Novo portfólio",
    new_service: "Novo serviço",
    new_activity: "Nova atividade",
    name: "Nome",
    description: "Descrição",
    create: "Criar",
    edit: "Editar",
    save: "Salvar",
    up: "Subir",
    down: "Descer",
    enable: "Ativar",
    disable: "Desativar",
    disabled: "desativado",
    configure: "Configurar",
    saved: "Alterações salvas.",
    back: "Voltar ao portfólio de serviços",
    settings: "Configuração",
    ticket_type: "Tipo de ticket",
    impact: "Impacto",
    urgency: "Urgência",
    high: "Alto",
    medium: "Médio",
    low: "Baixo",
    priority: "Prioridade",
    sla: "SLA (horas úteis)",
    sla_help: "Vazio: \"A combinar\".",
    workflow: "Fluxo de tarefas",
    workflow_help: "Uma tarefa por linha, na ordem do atendimento.",
    initial_task: "Tarefa inicial",
    initial_task_help: "Uma das tarefas do fluxo.",
    initial_group: "Grupo inicial",
    form: "Formulário",
    no_fields: "Nenhum campo além da descrição.",
    label: "Rótulo",
    kind: "Tipo do campo",
    help: "Texto de ajuda",
    required: "Obrigatório",
    max_length: "Tamanho máximo",
    max_length_help: "Só para texto; vazio: o limite do tipo.",
    options: "Opções",
    options_help: "Para seleção: uma opção por linha.",
    new_field: "Novo campo",
    add_field: "Adicionar campo",
    remove: "Remover",
    preview: "Pré-visualização",
    preview_help: "O formulário como o cliente o verá.",
    state: "Situação",
};

static EN: T = T {
    title: "Service portfolio",
    intro: "A new activity starts disabled: configure it and its form, then enable it. A disabled item leaves the portal at once; tickets already opened keep it.",
    new_portfolio: "New portfolio",
    new_service: "New service",
    new_activity: "New activity",
    name: "Name",
    description: "Description",
    create: "Create",
    edit: "Edit",
    save: "Save",
    up: "Move up",
    down: "Move down",
    enable: "Enable",
    disable: "Disable",
    disabled: "disabled",
    configure: "Configure",
    saved: "Changes saved.",
    back: "Back to the service portfolio",
    settings: "Settings",
    ticket_type: "Ticket type",
    impact: "Impact",
    urgency: "Urgency",
    high: "High",
    medium: "Medium",
    low: "Low",
    priority: "Priority",
    sla: "SLA (business hours)",
    sla_help: "Empty: \"to be agreed\".",
    workflow: "Workflow",
    workflow_help: "One task per line, in the order of the work.",
    initial_task: "Initial task",
    initial_task_help: "One of the workflow's tasks.",
    initial_group: "Initial group",
    form: "Form",
    no_fields: "No field besides the description.",
    label: "Label",
    kind: "Field type",
    help: "Help text",
    required: "Required",
    max_length: "Maximum length",
    max_length_help: "Text only; empty: the type's own limit.",
    options: "Options",
    options_help: "For a select: one option per line.",
    new_field: "New field",
    add_field: "Add field",
    remove: "Remove",
    preview: "Preview",
    preview_help: "The form as the customer will see it.",
    state: "State",
};

fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
    }
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let pt = lang == Lang::Pt;
    match kind {
        "text" => {
            if pt {
                "Texto"
            } else {
                "Text"
            }
        }
        "long_text" => {
            if pt {
                "Texto longo"
            } else {
                "Long text"
            }
        }
        "number" => {
            if pt {
                "Número"
            } else {
                "Number"
            }
        }
        "date" => {
            if pt {
                "Data"
            } else {
                "Date"
            }
        }
        "select" => {
            if pt {
                "Seleção"
            } else {
                "Select"
            }
        }
        "checkbox" => {
            if pt {
                "Caixa de marcação"
            } else {
                "Checkbox"
            }
        }
        "cpf" => "CPF",
        "cnpj" => "CNPJ",
        "cep" => "CEP",
        _ => "?",
    }
}

/// Whether the page says "Alterações salvas." at its top (after a plain post, or an
/// enhanced one: the forms are built again with the reloaded data).
#[derive(Clone, Copy)]
struct Notice(RwSignal<bool>);

fn notice_view(notice: Notice, lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || notice.0.get().then(|| view! { <p class="form-message form-message-ok" role="status">{move || texts(lang.get()).saved}</p> })}
        </div>
    }
}

/// A form of these pages: a [`change_form::ChangeForm`] sending a [`CatalogCommand`]
/// to `path`, then reloading the page's data (`reload`).
#[component]
fn CatalogForm(
    path: String,
    form: &'static str,
    #[prop(optional)] row: Option<(&'static str, i32)>,
    #[prop(optional)] hidden: Vec<(&'static str, String)>,
    button: Signal<&'static str>,
    reload: Callback<()>,
    post: Option<FormPost>,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] danger: bool,
    #[prop(optional)] reset: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let parse: Parse<CatalogCommand> = |form, get, all| CatalogCommand::from_form(form, get, all);
    let notice = use_context::<Notice>();
    view! {
        <change_form::ChangeForm path form parse send=change_catalog row hidden button
            saved=Signal::derive(move || texts(lang.get()).saved)
            on_saved=Callback::new(move |_| {
                if let Some(Notice(notice)) = notice {
                    notice.set(true);
                }
                reload.run(());
            })
            post class danger reset>
            {children.map(|children| children())}
        </change_form::ChangeForm>
    }
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let tree = resource(|| (), |_| get_catalog());
    let post = posted_any();
    let done = use_query_map()
        .with_untracked(|q| q.get(DONE_QUERY))
        .is_some();
    let notice = Notice(RwSignal::new(done));
    provide_context(notice);
    let reload = Callback::new(move |_| tree.refetch());
    view! {
        <Title text=move || t().title />
        <Transition fallback=move || view! { <section class="card wide"><p>{move || common.get().loading}</p></section> }>
            {move || tree.get().map(|loaded| match loaded {
                Ok(tree) => view! {
                    <section class="card wide admin-catalog">
                        <h1>{move || t().title}</h1>
                        <p class="hint">{move || t().intro}</p>
                        {notice_view(notice, lang)}
                        <Tree tree reload post=still_posted(&post) />
                    </section>
                }.into_any(),
                Err(err) => refused(err, Signal::derive(move || t().title.to_owned())),
            })}
        </Transition>
    }
}

#[component]
fn Tree(tree: CatalogTree, reload: Callback<()>, post: Option<FormPost>) -> impl IntoView {
    let lang = use_lang();
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let count = tree.portfolios.len();
    let portfolios = tree
        .portfolios
        .into_iter()
        .enumerate()
        .map(|(index, p)| {
            let services = p.children.len();
            let children = p
                .children
                .iter()
                .cloned()
                .enumerate()
                .map(|(index, s)| {
                    let activities = s.children.len();
                    let items = s
                        .children
                        .iter()
                        .cloned()
                        .enumerate()
                        .map(|(index, a)| view! {
                            <li class="catalog-item" class:inactive=!a.active>
                                <Item item=a.clone() level=Level::Activity first=index == 0 last=index + 1 == activities reload post=post.clone() />
                            </li>
                        })
                        .collect_view();
                    let service_id = s.id;
                    let inactive = !s.active;
                    view! {
                        <li class="catalog-item" class:inactive=inactive>
                            <Item item=s level=Level::Service first=index == 0 last=index + 1 == services reload post=post.clone() />
                            <ul class="catalog-children">{items}</ul>
                            <CatalogForm path=PATH.to_owned() form=ACTIVITY_NEW_FORM
                                row=(PARENT_ID, service_id) button=label(|t| t.new_activity) reload post=post.clone() class="inline new-item" reset=true>
                                <TextInput label=label(|t| t.name) field=Field::Name key=format!("atividade-nova-{service_id}") max=200 />
                            </CatalogForm>
                        </li>
                    }
                })
                .collect_view();
            let portfolio_id = p.id;
            let inactive = !p.active;
            view! {
                <li class="catalog-item" class:inactive=inactive>
                    <Item item=p level=Level::Portfolio first=index == 0 last=index + 1 == count reload post=post.clone() />
                    <ul class="catalog-children">{children}</ul>
                    <CatalogForm path=PATH.to_owned() form=SERVICE_NEW_FORM
                        row=(PARENT_ID, portfolio_id) button=label(|t| t.new_service) reload post=post.clone() class="inline new-item" reset=true>
                        <TextInput label=label(|t| t.name) field=Field::Name key=format!("servico-novo-{portfolio_id}") max=200 />
                    </CatalogForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="catalog-tree">{portfolios}</ul>
        <h2>{move || texts(lang.get()).new_portfolio}</h2>
        <CatalogForm path=PATH.to_owned() form=PORTFOLIO_NEW_FORM button=label(|t| t.create) reload post class="stacked" reset=true>
            <TextInput label=label(|t| t.name) field=Field::Name key="portfolio-novo".into() max=200 />
            <TextInput label=label(|t| t.description) field=Field::Description key="portfolio-novo".into() max=2000 multiline=true />
        </CatalogForm>
    }
}

/// One item of the tree: its name (an activity's links to its editor), state, and its
/// forms: edit, move up or down, enable or disable.
#[component]
fn Item(
    item: CatalogItem,
    level: Level,
    first: bool,
    last: bool,
    reload: Callback<()>,
    post: Option<FormPost>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let id = item.id;
    let key = format!("{}-{id}", level.code());
    let hidden = || vec![(LEVEL, level.code().to_owned())];
    let row = (ITEM_ID, id);
    let name = item.name.clone();
    let heading = match level {
        Level::Activity => view! { <a href=activity_path(id)>{name.clone()}</a> }.into_any(),
        _ => view! { <span>{name.clone()}</span> }.into_any(),
    };
    let active = item.active;
    let move_form = move |up: bool, post: Option<FormPost>| {
        let mut hidden = hidden();
        hidden.push((DIRECTION, if up { "cima" } else { "baixo" }.to_owned()));
        view! {
            <CatalogForm path=PATH.to_owned() form=ITEM_MOVE_FORM row hidden
                button=if up { label(|t| t.up) } else { label(|t| t.down) } reload post class="inline" />
        }
    };
    let mut active_hidden = hidden();
    active_hidden.push((ACTIVE, if active { "0" } else { "1" }.to_owned()));
    view! {
        <div class="catalog-row">
            <span class=format!("catalog-name catalog-{}", level.code())>
                {heading}
                {(!active).then(|| view! { " — " <em>{move || t().disabled}</em> })}
            </span>
            <div class="catalog-actions" role="group" aria-label=name.clone()>
                {(!first).then(|| move_form(true, post.clone()))}
                {(!last).then(|| move_form(false, post.clone()))}
                <CatalogForm path=PATH.to_owned() form=ITEM_ACTIVE_FORM row hidden=active_hidden
                    button=if active { label(|t| t.disable) } else { label(|t| t.enable) } reload post=post.clone() class="inline" danger=active />
                {(level == Level::Activity).then(|| view! {
                    <a class="button button-small" href=activity_path(id)>{move || t().configure}</a>
                })}
            </div>
            <details class="catalog-edit">
                <summary>{move || format!("{} {}", t().edit, name)}</summary>
                <CatalogForm path=PATH.to_owned() form=ITEM_EDIT_FORM row hidden=hidden() button=label(|t| t.save) reload post class="stacked">
                    <TextInput label=label(|t| t.name) field=Field::Name key=key.clone() value=item.name.clone() max=200 />
                    <TextInput label=label(|t| t.description) field=Field::Description key=key.clone() value=item.description.clone() max=2000 multiline=true />
                </CatalogForm>
            </details>
        </div>
    }
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let lang = use_lang();
    let common = use_texts();
    let t = move || texts(lang.get());
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("activity")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or(0)
        })
    });
    let editor = resource(move || id.get(), get_activity);
    let post = posted_any();
    let done = use_query_map()
        .with_untracked(|q| q.get(DONE_QUERY))
        .is_some();
    let notice = Notice(RwSignal::new(done));
    provide_context(notice);
    let reload = Callback::new(move |_| editor.refetch());
    view! {
        <Title text=move || t().title />
        <Transition fallback=move || view! { <section class="card wide"><p>{move || common.get().loading}</p></section> }>
            {move || editor.get().map(|loaded| match loaded {
                Ok(editor) => view! {
                    <section class="card wide admin-activity">
                        <p><a href=PATH>{move || t().back}</a></p>
                        <h1>{editor.settings.name.clone()}</h1>
                        <p class="hint">{editor.path.clone()}</p>
                        {notice_view(notice, lang)}
                        <Editor editor reload post=still_posted(&post) />
                    </section>
                }.into_any(),
                Err(err) => refused(err, Signal::derive(move || t().title.to_owned())),
            })}
        </Transition>
    }
}

/// A select inside a [`change_form::ChangeForm`]: `options` as (value, label).
#[component]
fn Choice(
    label: Signal<&'static str>,
    field: Field,
    key: String,
    chosen: String,
    options: Vec<(String, String)>,
    #[prop(optional)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let state = use_form_state();
    let errors = state.errors;
    let chosen = state.value(&field.id(), chosen);
    let id = format!("{}-{key}", field.id());
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=field.id() on:change=move |ev| {
                if let Some(on_change) = on_change {
                    on_change.run(event_target_value(&ev));
                }
            }>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" aria-live="polite">
                {move || errors.problem(field).map(|p| p.message(use_lang().get()))}
            </p>
        </div>
    }
}

#[component]
fn Editor(editor: ActivityEditor, reload: Callback<()>, post: Option<FormPost>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let id = editor.id;
    let path = activity_path(id);
    let version = editor.version.to_string();
    let s = editor.settings.clone();
    let key = format!("atividade-{id}");
    let levels = move || {
        let t = texts(lang.get_untracked());
        vec![
            ("1".to_owned(), t.high.to_owned()),
            ("2".to_owned(), t.medium.to_owned()),
            ("3".to_owned(), t.low.to_owned()),
        ]
    };
    // The priority, live, from the chosen impact and urgency.
    let impact = RwSignal::new(s.impact.clone());
    let urgency = RwSignal::new(s.urgency.clone());
    let shown_priority = move || {
        let level = |v: String| v.trim().parse::<i32>().unwrap_or(3);
        priority_name(
            priority(level(impact.get()), level(urgency.get())),
            lang.get(),
        )
    };
    let with_version = |mut hidden: Vec<(&'static str, String)>| {
        hidden.push((VERSION, version.clone()));
        hidden.push((ITEM_ID, id.to_string()));
        hidden
    };
    let page = move || path.clone();
    let fields = editor
        .fields
        .iter()
        .cloned()
        .enumerate()
        .map(|(index, f)| {
            let count = editor.fields.len();
            let field_key = format!("campo-{}", f.id);
            let hidden = with_version(vec![]);
            let move_hidden = |up: bool| {
                let mut hidden = hidden.clone();
                hidden.push((DIRECTION, if up { "cima" } else { "baixo" }.to_owned()));
                hidden
            };
            let row = (FIELD_ID, f.id);
            let kind = f.input.kind.clone();
            let title = f.input.label.clone();
            view! {
                <article class="form-field" aria-label=title.clone()>
                    <h3>{title.clone()} " (" {move || kind_label(&kind, lang.get())} ")"</h3>
                    <CatalogForm path=page() form=FIELD_EDIT_FORM row hidden=hidden.clone() button=label(|t| t.save) reload post=post.clone() class="stacked">
                        <FieldEditor input=f.input.clone() key=field_key.clone() />
                    </CatalogForm>
                    <div class="catalog-actions">
                        {(index > 0).then(|| view! {
                            <CatalogForm path=page() form=FIELD_MOVE_FORM row hidden=move_hidden(true) button=label(|t| t.up) reload post=post.clone() class="inline" />
                        })}
                        {(index + 1 < count).then(|| view! {
                            <CatalogForm path=page() form=FIELD_MOVE_FORM row hidden=move_hidden(false) button=label(|t| t.down) reload post=post.clone() class="inline" />
                        })}
                        <CatalogForm path=page() form=FIELD_REMOVE_FORM row hidden=hidden.clone() button=label(|t| t.remove) reload post=post.clone() class="inline" danger=true />
                    </div>
                </article>
            }
        })
        .collect_view();
    let no_fields = editor.fields.is_empty();
    let preview = editor
        .fields
        .iter()
        .filter_map(|f| f.input.preview(f.id))
        .map(|spec| {
            let value = RwSignal::new(String::new());
            view! { <crate::pages::request::ExtraField spec value errors=FormErrors::new() /> }
        })
        .collect_view();
    let groups: Vec<(String, String)> = editor
        .groups
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let active = editor.active;
    let mut active_hidden = vec![(LEVEL, Level::Activity.code().to_owned())];
    active_hidden.push((ACTIVE, if active { "0" } else { "1" }.to_owned()));
    let types = vec![
        (
            "R".to_owned(),
            ticket_type_name("R", lang.get_untracked()).to_owned(),
        ),
        (
            "I".to_owned(),
            ticket_type_name("I", lang.get_untracked()).to_owned(),
        ),
    ];
    view! {
        <p>
            {move || t().state} ": "
            <strong>{move || if active { "" } else { t().disabled }}</strong>
        </p>
        <CatalogForm path=PATH.to_owned() form=ITEM_ACTIVE_FORM row=(ITEM_ID, id) hidden=active_hidden
            button=if active { label(|t| t.disable) } else { label(|t| t.enable) } reload post=post.clone() danger=active />
        <h2>{move || t().settings}</h2>
        <CatalogForm path=page() form=ACTIVITY_FORM row=(ITEM_ID, id) hidden=vec![(VERSION, version.clone())] button=label(|t| t.save) reload post=post.clone() class="stacked">
            <TextInput label=label(|t| t.name) field=Field::Name key=key.clone() value=s.name.clone() max=200 />
            <TextInput label=label(|t| t.description) field=Field::Description key=key.clone() value=s.description.clone() max=2000 multiline=true />
            <Choice label=label(|t| t.ticket_type) field=Field::TicketType key=key.clone() chosen=s.ticket_type.clone() options=types />
            <div class="field-row">
                <Choice label=label(|t| t.impact) field=Field::Impact key=key.clone() chosen=s.impact.clone() options=levels()
                    on_change=Callback::new(move |v| impact.set(v)) />
                <Choice label=label(|t| t.urgency) field=Field::Urgency key=key.clone() chosen=s.urgency.clone() options=levels()
                    on_change=Callback::new(move |v| urgency.set(v)) />
                <p class="priority-live" aria-live="polite">{move || t().priority} ": " <strong>{shown_priority}</strong></p>
            </div>
            <TextInput label=label(|t| t.sla) field=Field::SlaHours key=key.clone() value=s.sla_hours.clone() max=5 help=label(|t| t.sla_help) />
            <TextInput label=label(|t| t.workflow) field=Field::Workflow key=key.clone() value=s.workflow.clone() max=2100 multiline=true help=label(|t| t.workflow_help) />
            <TextInput label=label(|t| t.initial_task) field=Field::Task key=key.clone() value=s.initial_task.clone() max=100 help=label(|t| t.initial_task_help) />
            <Choice label=label(|t| t.initial_group) field=Field::Group key=key.clone() chosen=s.initial_group.to_string() options=groups />
        </CatalogForm>
        <h2>{move || t().form}</h2>
        {no_fields.then(|| view! { <p>{move || t().no_fields}</p> })}
        {fields}
        <h3>{move || t().new_field}</h3>
        <CatalogForm path=page() form=FIELD_NEW_FORM row=(ITEM_ID, id) hidden=vec![(VERSION, version.clone())] button=label(|t| t.add_field) reload post=post.clone() class="stacked" reset=true>
            <FieldEditor input=FieldInput { kind: "text".into(), ..FieldInput::default() } key="novo".into() />
        </CatalogForm>
        <h2>{move || t().preview}</h2>
        <p class="hint">{move || t().preview_help}</p>
        <div class="form-preview" aria-label=move || t().preview>{preview}</div>
    }
}

/// The inputs of one form field (label, kind, help, required, maximum length, options).
#[component]
fn FieldEditor(input: FieldInput, key: String) -> impl IntoView {
    let lang = use_lang();
    let label = move |pick: fn(&T) -> &'static str| Signal::derive(move || pick(texts(lang.get())));
    let state = use_form_state();
    let kinds: Vec<(String, String)> = FIELD_KINDS
        .iter()
        .map(|k| {
            (
                (*k).to_owned(),
                kind_label(k, lang.get_untracked()).to_owned(),
            )
        })
        .collect();
    let required_id = format!("{}-{key}", Field::FieldRequired.id());
    let required = match &state.kept {
        Some(post) => !post.value(&Field::FieldRequired.id()).is_empty(),
        None => input.required,
    };
    view! {
        <TextInput label=label(|t| t.label) field=Field::FieldLabel key=key.clone() value=input.label.clone() max=200 />
        <Choice label=label(|t| t.kind) field=Field::FieldKind key=key.clone() chosen=input.kind.clone() options=kinds />
        <TextInput label=label(|t| t.help) field=Field::FieldHelp key=key.clone() value=input.help.clone() max=300 />
        <div class="check">
            <input type="checkbox" id=required_id.clone() name=Field::FieldRequired.id() value="1" checked=required />
            <label for=required_id>{move || texts(lang.get()).required}</label>
        </div>
        <TextInput label=label(|t| t.max_length) field=Field::MaxLength key=key.clone() value=input.max_length.clone() max=5 help=label(|t| t.max_length_help) />
        <TextInput label=label(|t| t.options) field=Field::Options key=key.clone() value=input.options.clone() multiline=true help=label(|t| t.options_help) />
    }
}
