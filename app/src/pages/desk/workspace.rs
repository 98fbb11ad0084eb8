//! A ticket's workspace for staff (`/fila/{number}?acao=…`): everything the customer
//! sent (activity, extra fields, the profile as it was at opening, description,
//! attachments), the whole history with internal notes, oldest or newest first
//! (`historico=desc`), and the actions the ticket's situation allows, one form at a time
//! (`acao=…`). Each form is a real post to this page (it works without JavaScript) and
//! carries the version of the ticket it was built from: a stale one is refused with the
//! reload message, and what was typed stays in the form.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::SlaBadge;
use super::texts::{DeskTexts, use_desk_texts};
use crate::api::desk::{desk_act, desk_ticket};
use crate::components::auth::SignInPrompt;
use crate::components::form::{FormErrors, FormMessage, keep_typed, live_value, textarea_html};
use crate::components::form_post::{FormName, FormPost, posted_any, still_posted};
use crate::components::history::HistoryTable;
use crate::components::icons::{Icon, IconSvg};
use crate::components::loading::Loading;
use crate::domain::Field;
use crate::domain::attachment::human_size;
use crate::domain::desk::{ActionKind, DeskAction, QUEUE_PATH, Workspace, workspace_path};
use crate::domain::ids::TicketNumber;
use crate::domain::request::{priority, priority_name, ticket_type_name};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::locale::{use_lang, use_texts};
use crate::resource::resource;

/// The hidden input with the ticket's version.
pub const VERSION_FIELD: &str = "versao";
/// The query naming the action form shown.
pub const ACTION_QUERY: &str = "acao";
/// The query a plain post's redirect adds after an action.
pub const DONE_QUERY: &str = "feito";

/// Where an action's form posts.
pub fn action_path(number: TicketNumber, kind: ActionKind) -> String {
    format!("{}?{ACTION_QUERY}={}", workspace_path(number), kind.code())
}

/// What was typed in the action forms, kept across reloads of the ticket (a refused
/// stale action must not lose the text).
type Drafts = StoredValue<HashMap<(ActionKind, Field), String>>;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let desk = use_desk_texts();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let number = move || {
        params.with(|p| {
            p.get("number")
                .and_then(|n| n.parse::<i64>().ok())
                .map(TicketNumber)
        })
    };
    let post = StoredValue::new(posted_any());
    let drafts: Drafts = StoredValue::new(HashMap::new());
    // The confirmation of the last action: with JavaScript set by the form, without it
    // read from the redirect's query.
    let done = RwSignal::new(None::<ActionKind>);
    let workspace = resource(number, |number| async move {
        match number {
            Some(number) => desk_ticket(number).await,
            None => Err(AppError::NotFound),
        }
    });
    let reload = move || workspace.refetch();
    // Another action chosen: the last one's confirmation has been read.
    Effect::new(move |previous: Option<Option<String>>| {
        let chosen = query.with(|q| q.get(ACTION_QUERY));
        if previous.is_some_and(|previous| previous != chosen) {
            done.set(None);
        }
        chosen
    });
    let confirmed = move || {
        done.get().or_else(|| {
            query
                .with(|q| q.get(DONE_QUERY))
                .and_then(|code| ActionKind::from_code(&code))
        })
    };
    view! {
        <Suspense fallback=Loading>
            {move || {
                lang.track();
                workspace.get().map(|loaded| match loaded {
                    Ok(ws) => view! {
                        <div class="form-message-slot" aria-live="polite">
                            {move || confirmed().map(|kind| view! {
                                <p class="form-message form-message-ok" role="status">
                                    {move || format!("{} – {}", kind.name(lang.get()), desk.get().done)}
                                </p>
                            })}
                        </div>
                        <WorkspaceView ws post=post.get_value() drafts done reload />
                    }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <SignInPrompt title=Signal::derive(move || desk.get().queue_title.to_owned()) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                    Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn WorkspaceView(
    ws: Workspace,
    post: Option<FormPost>,
    drafts: Drafts,
    done: RwSignal<Option<ActionKind>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let texts = use_texts();
    let desk = use_desk_texts();
    let lang = use_lang();
    let query = use_query_map();
    let number = ws.row.number;
    let actions = ws.actions.clone();
    let first = actions
        .iter()
        .copied()
        .find(|a| *a == ActionKind::Reply)
        .or_else(|| actions.first().copied());
    let chosen = Memo::new(move |_| {
        query
            .with(|q| q.get(ACTION_QUERY))
            .and_then(|code| ActionKind::from_code(&code))
    });
    let selected = {
        let actions = actions.clone();
        move || chosen.get().filter(|kind| actions.contains(kind)).or(first)
    };
    let newest_first = move || query.with(|q| q.get("historico").as_deref() == Some("desc"));
    let action_links = actions
        .iter()
        .copied()
        .map(|kind| {
            let selected = selected.clone();
            view! {
                <A href=action_path(number, kind) attr:class="tab"
                    attr:aria-current=move || (selected() == Some(kind)).then_some("page")>
                    {move || kind.name(lang.get())}
                </A>
            }
        })
        .collect_view();
    let row = ws.row.clone();
    let situation = row.situation;
    let ticket_type = ws.ticket_type.clone();
    let ws = StoredValue::new(ws);
    let post = StoredValue::new(post);
    let can_act = ws.with_value(|ws| ws.can_act);
    let no_actions = ws.with_value(|ws| ws.actions.is_empty());
    view! {
        <Title text=format!("Ticket {number}") />
        <p><A href=QUEUE_PATH>{move || desk.get().back_to_queue}</A></p>
        <section class="card ticket-card workspace">
            <h1>{move || format!("{} {number}", texts.get().col_ticket)} " – " {row.request.clone()}</h1>
            <dl class="ticket-summary">
                <div><dt>{texts.live(|t| t.col_type)}</dt><dd>{move || ticket_type_name(&ticket_type, lang.get())}</dd></div>
                <div><dt>{texts.live(|t| t.col_service)}</dt><dd>{row.service.clone()}</dd></div>
                <div><dt>{move || desk.get().col_customer}</dt><dd>{ws.with_value(|ws| format!("{} ({}, {})", ws.row.customer, ws.customer_login, ws.customer_email))}</dd></div>
                <div><dt>{texts.live(|t| t.col_created)}</dt><dd>{row.created_at.clone()}</dd></div>
                <div><dt>{texts.live(|t| t.col_task)}</dt><dd>{row.task.clone()}</dd></div>
                <div><dt>{texts.live(|t| t.col_group)}</dt><dd>{row.group.clone()}</dd></div>
                <div><dt>{move || desk.get().col_assignee}</dt><dd class="ticket-assignee">{row.assignee.clone().unwrap_or_else(|| desk.get_untracked().nobody.to_owned())}</dd></div>
                <div><dt>{texts.live(|t| t.col_situation)}</dt><dd class="ticket-situation">{move || situation.name(lang.get())}</dd></div>
                {ws.with_value(|ws| ws.status_reason.clone()).map(|reason| view! {
                    <div><dt>{move || desk.get().status_reason}</dt><dd class="ticket-reason">{reason}</dd></div>
                })}
                <div><dt>{texts.live(|t| t.col_deadline)}</dt><dd class="ticket-deadline">{row.deadline.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>{texts.live(|t| t.col_sla_status)}</dt><dd><SlaBadge status=row.sla_status /></dd></div>
                <div><dt>{texts.live(|t| t.col_priority)}</dt><dd class="ticket-priority">{move || format!("{} – {}", row.priority, priority_name(row.priority, lang.get()))}</dd></div>
                <div><dt>{move || desk.get().first_response}</dt><dd>{ws.with_value(|ws| ws.first_response_at.clone()).unwrap_or_else(|| "—".into())}</dd></div>
                {ws.with_value(|ws| ws.first_response_due.clone().map(|due| (due, ws.first_response_missed))).map(|(due, missed)| view! {
                    <div><dt>{move || desk.get().first_response_due}</dt><dd class="ticket-first-response-due">
                        {due}
                        {missed.then(|| view! { " " <span class="sla sla-late"><IconSvg icon=Icon::Stop /> " " {move || desk.get().first_response_missed}</span> })}
                    </dd></div>
                })}
            </dl>
            <h2>{move || desk.get().actions}</h2>
            {if !can_act {
                view! { <p class="read-only" role="note">{move || desk.get().read_only}</p> }.into_any()
            } else if no_actions {
                view! { <p>{move || desk.get().no_actions}</p> }.into_any()
            } else {
                view! {
                    <nav class="tabs" aria-label=move || desk.get().actions>{action_links}</nav>
                    <div class="tab-panel">
                        {move || selected().map(|kind| {
                            let post = still_posted(&post.get_value()).filter(|p| p.form == kind.code());
                            view! { <ActionPanel kind ws=ws.get_value() post drafts done reload /> }
                        })}
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{texts.live(|t| t.act_description)}</h2>
            <Description ws=ws.get_value() />
        </section>
        <section class="card">
            <h2>{texts.live(|t| t.act_attachments)}</h2>
            <Attachments ws=ws.get_value() />
        </section>
        <section class="card">
            <h2>{texts.live(|t| t.act_history)}</h2>
            <p class="history-order">
                {move || desk.get().history_order} ": "
                <A href=workspace_path(number) attr:aria-current=move || (!newest_first()).then_some("page")>{move || desk.get().oldest_first}</A>
                " · "
                <A href=format!("{}?historico=desc", workspace_path(number)) attr:aria-current=move || newest_first().then_some("page")>{move || desk.get().newest_first}</A>
            </p>
            {move || view! { <History ws=ws.get_value() newest_first=newest_first() /> }}
        </section>
    }
    .into_any()
}

#[component]
fn Description(ws: Workspace) -> impl IntoView {
    let texts = use_texts();
    let desk = use_desk_texts();
    let p = ws.profile.clone();
    let address = [p.street, p.number, p.complement, p.district]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <dl class="ticket-fields">
            <div><dt>{texts.live(|t| t.f_title)}</dt><dd>{ws.title.clone()}</dd></div>
            {ws.fields.iter().map(|f| view! { <div><dt>{f.label.clone()}</dt><dd>{f.value.clone()}</dd></div> }).collect_view()}
            <div><dt>{texts.live(|t| t.f_description)}</dt><dd class="ticket-description">{ws.description.clone()}</dd></div>
        </dl>
        <h3>{move || desk.get().customer_data}</h3>
        <dl class="ticket-fields">
            <div><dt>{texts.live(|t| t.f_nature)}</dt><dd>{p.nature}</dd></div>
            <div><dt>{texts.live(|t| t.f_document)}</dt><dd>{p.document}</dd></div>
            <div><dt>{texts.live(|t| t.f_cep)}</dt><dd>{p.cep}</dd></div>
            <div><dt>{texts.live(|t| t.f_address)}</dt><dd>{address}</dd></div>
            <div><dt>{texts.live(|t| t.f_city)}</dt><dd>{format!("{} / {}", p.city, p.uf)}</dd></div>
        </dl>
    }
    .into_any()
}

#[component]
fn Attachments(ws: Workspace) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    if ws.attachments.is_empty() {
        return view! { <p>{texts.live(|t| t.no_attachments)}</p> }.into_any();
    }
    view! {
        <ul class="attachment-list">
            {ws.attachments.into_iter().map(|f| {
                let size = f.size;
                view! {
                    <li>
                        <a href=format!("/anexos/{}", f.id) download=f.name.clone()>{f.name.clone()}</a>
                        " (" {move || human_size(size, lang.get() == Lang::Pt)} ", " {f.created_at.clone()} ")"
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn History(ws: Workspace, newest_first: bool) -> impl IntoView {
    let mut rows = ws.history;
    if newest_first {
        rows.reverse();
    }
    view! { <HistoryTable rows /> }
}

/// The label of an action's field.
fn field_label(field: Field, d: &DeskTexts) -> &'static str {
    match field {
        Field::Agent => d.label_agent,
        Field::Group => d.label_group,
        Field::Note => d.label_forward_note,
        Field::Task => d.label_task,
        Field::Activity => d.label_activity,
        Field::TicketType => d.label_type,
        Field::Impact => d.label_impact,
        Field::Urgency => d.label_urgency,
        Field::Reply => d.label_reply,
        Field::InternalNote => d.label_internal_note,
        Field::Solution => d.label_solution,
        Field::Deadline => d.label_deadline,
        _ => d.label_reason,
    }
}

/// A field's choices (`None`: it is a text).
fn field_options(
    field: Field,
    ws: &Workspace,
    d: &DeskTexts,
    lang: Lang,
) -> Option<Vec<(String, String)>> {
    let levels = || {
        vec![
            ("1".to_owned(), d.level_high.to_owned()),
            ("2".to_owned(), d.level_medium.to_owned()),
            ("3".to_owned(), d.level_low.to_owned()),
        ]
    };
    Some(match field {
        Field::Agent => ws
            .members
            .iter()
            .map(|m| (m.id.to_string(), m.name.clone()))
            .collect(),
        Field::Group => ws
            .groups
            .iter()
            .map(|g| (g.id.to_string(), g.name.clone()))
            .collect(),
        Field::Task => ws.tasks.iter().map(|t| (t.clone(), t.clone())).collect(),
        Field::Activity => ws
            .activities
            .iter()
            .map(|a| (a.id.to_string(), a.name.clone()))
            .collect(),
        Field::TicketType => vec![
            ("R".to_owned(), ticket_type_name("R", lang).to_owned()),
            ("I".to_owned(), ticket_type_name("I", lang).to_owned()),
        ],
        Field::Impact | Field::Urgency => levels(),
        _ => return None,
    })
}

/// What a field starts with when nothing was typed or posted: the ticket as it is (or the
/// likely next choice).
fn field_default(field: Field, ws: &Workspace) -> String {
    match field {
        Field::Agent => ws
            .members
            .iter()
            .find(|m| Some(&m.name) != ws.row.assignee.as_ref())
            .or(ws.members.first())
            .map(|m| m.id.to_string())
            .unwrap_or_default(),
        Field::Group => ws
            .groups
            .first()
            .map(|g| g.id.to_string())
            .unwrap_or_default(),
        Field::Task => {
            let at = ws.tasks.iter().position(|t| *t == ws.row.task);
            at.and_then(|i| ws.tasks.get(i + 1))
                .or(ws.tasks.first())
                .cloned()
                .unwrap_or_default()
        }
        Field::Activity => ws.activity.to_string(),
        Field::TicketType => ws.ticket_type.clone(),
        Field::Impact => ws.impact.to_string(),
        Field::Urgency => ws.urgency.to_string(),
        _ => String::new(),
    }
}

#[component]
fn ActionPanel(
    kind: ActionKind,
    ws: Workspace,
    post: Option<FormPost>,
    drafts: Drafts,
    done: RwSignal<Option<ActionKind>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let desk = use_desk_texts();
    let lang = use_lang();
    let number = ws.row.number;
    let version = ws.version;
    let values: Vec<(Field, RwSignal<String>)> = kind
        .fields()
        .iter()
        .map(|field| {
            let start = post
                .as_ref()
                .map(|p| p.value(&field.id()))
                .or_else(|| drafts.with_value(|d| d.get(&(kind, *field)).cloned()))
                .unwrap_or_else(|| field_default(*field, &ws));
            (*field, RwSignal::new(start))
        })
        .collect();
    let values = StoredValue::new(values);
    let get = move |field: Field| {
        values.with_value(|v| {
            v.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, s)| s.get_untracked())
                .unwrap_or_default()
        })
    };
    let errors = FormErrors::from_post(post.as_ref());
    let message = RwSignal::new(post.as_ref().and_then(FormPost::message));
    let send = Action::new(move |action: &DeskAction| desk_act(number, version, action.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            drafts.update_value(|d| d.retain(|(k, _), _| *k != kind));
            done.set(Some(kind));
            reload();
        }
        Some(Err(err)) => {
            done.set(None);
            crate::components::form::show_error(&err, message, errors);
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        let action = DeskAction::from_fields(kind, get);
        let problems = action.check();
        if problems.is_empty() {
            send.dispatch(action);
        } else {
            errors.show(problems);
        }
    };
    let (d, l) = (desk.get_untracked(), lang.get_untracked());
    let fields = values.with_value(|v| {
        v.iter()
            .map(|(field, value)| {
                let field = *field;
                let value = *value;
                // Keep what is typed, for a reload after a refusal.
                Effect::new(move |_| {
                    let typed = value.get();
                    drafts.update_value(|d| {
                        d.insert((kind, field), typed);
                    });
                });
                view! {
                    <DeskField field label=field_label(field, d) value errors
                        options=field_options(field, &ws, d, l) />
                }
            })
            .collect_view()
    });
    let priority_preview = (kind == ActionKind::Reclassify).then(|| {
        let level = move |field| get(field).parse::<i32>().unwrap_or(2);
        view! {
            <p class="priority-preview" aria-live="polite">
                {move || desk.get().new_priority} ": "
                <strong>{move || {
                    // Read the signals so that the preview follows the selects.
                    values.with_value(|v| v.iter().for_each(|(_, s)| s.track()));
                    let p = priority(level(Field::Impact), level(Field::Urgency));
                    format!("{p} – {}", priority_name(p, lang.get()))
                }}</strong>
            </p>
        }
    });
    view! {
        <form class="desk-action" method="post" action=action_path(number, kind) on:submit=on_submit novalidate>
            <FormName name=kind.code() />
            <input type="hidden" name=VERSION_FIELD value=version.to_string() />
            {fields}
            {priority_preview}
            <FormMessage message />
            <button type="submit" class="button button-primary" disabled=move || send.pending().get()>
                {move || if send.pending().get() { desk.get().sending.to_owned() } else { kind.name(lang.get()).to_owned() }}
            </button>
            {move || (message.get().is_some() && !send.pending().get()).then(|| view! {
                " " <button type="button" class="button" on:click=move |_| reload()>{move || desk.get().reload}</button>
            })}
        </form>
    }
    .into_any()
}

/// A labelled select or text area with its problem beside it.
#[component]
fn DeskField(
    field: Field,
    label: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    options: Option<Vec<(String, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = field.id();
    let error_id = format!("{id}-erro");
    let invalid = move || errors.problem(field).is_some();
    let control = match options {
        Some(options) => {
            let node = NodeRef::<leptos::html::Select>::new();
            keep_typed(node, value);
            view! {
                <select node_ref=node id=id.clone() name=id.clone() aria-describedby=error_id.clone()
                    autofocus=errors.is_first(field)
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    prop:value=live_value(value)
                    on:change=move |ev| { value.set(event_target_value(&ev)); errors.set(field, None); }>
                    {options.into_iter().map(|(option, text)| {
                        let selected = value.get_untracked() == option;
                        view! { <option value=option selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        None => {
            let node = NodeRef::<leptos::html::Textarea>::new();
            keep_typed(node, value);
            view! {
                <textarea node_ref=node id=id.clone() name=id.clone() rows=4 aria-describedby=error_id.clone()
                    inner_html=textarea_html(&value.get_untracked())
                    autofocus=errors.is_first(field)
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    prop:value=live_value(value)
                    on:input=move |ev| { value.set(event_target_value(&ev)); errors.set(field, None); }></textarea>
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field-invalid=invalid>
            <div class="field-label"><label for=id.clone()>{label}</label></div>
            {control}
            <p class="field-error" id=error_id aria-live="polite">{move || errors.problem(field).map(|p| p.message(lang.get()))}</p>
        </div>
    }
    .into_any()
}
