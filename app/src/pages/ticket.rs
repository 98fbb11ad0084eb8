//! One ticket of "Meus Tickets" (`/meus-tickets/{number}?aba=…`). Open tickets:
//! Descrição, Anexos (list, download, add more), Anotação, Histórico. Closed tickets:
//! Descrição, Anexos (when there are any), Opinião, Pesquisa de satisfação, Reabrir,
//! Solução, Histórico. The tab is in the URL; every action is checked again by the
//! server, which also enforces the survey and reopening windows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::requests::CreatedTicket;
use crate::api::tickets::{
    TicketDetail, add_note, attach_files, give_opinion, load_ticket, rate_ticket, reopen_ticket,
};
use crate::components::attachments::{AttachmentZone, Uploads};
use crate::components::auth::SignInPrompt;
use crate::components::created_popup::{CLOSE_ID, CreatedPopup};
use crate::components::form::{FormErrors, FormMessage, keep_typed, live_value, textarea_html};
use crate::components::form_post::{FormName, FormPost, posted_any, still_posted};
use crate::components::history::HistoryTable;
use crate::components::icons::IconSvg;
use crate::components::loading::Loading;
use crate::components::ticket_labels::{TicketAction, actions, sla_status_name};
use crate::domain::Field;
use crate::domain::attachment::human_size;
use crate::domain::ids::{AttachmentId, TicketNumber};
use crate::domain::request::{priority_name, ticket_type_name};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::locale::{text, use_lang, use_texts};
#[cfg(target_arch = "wasm32")]
use crate::pages::parts;
use crate::resource::resource;

#[component]
pub fn TicketPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let number = move || {
        params.with(|p| {
            p.get("number")
                .and_then(|n| n.parse::<i64>().ok())
                .map(TicketNumber)
        })
    };
    // A refused plain post of one of the tabs' forms: read here, where the page starts.
    let post = StoredValue::new(posted_any());
    let ticket = resource(number, |number| async move {
        match number {
            Some(number) => load_ticket(number).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || {
                ticket
                    .get()
                    .map(|loaded| match loaded {
                        Ok(detail) => view! { <TicketView detail post=post.get_value() reload=Callback::new(move |()| ticket.refetch()) /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <SignInPrompt title=text(|t| t.my_tickets) /> }.into_any(),
                        Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                        Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
    .into_any()
}

/// What a refused plain post sent in `field`, or "".
fn sent(post: &Option<FormPost>, field: Field) -> String {
    post.as_ref()
        .map(|post| post.value(&field.id()))
        .unwrap_or_default()
}

/// The query a plain post's redirect adds after an action (the action's tab name).
pub const DONE_QUERY: &str = "feito";

/// The query a plain post's redirect adds to a ticket it has just created.
pub const CREATED_QUERY: &str = "criado";

/// The sentence confirming an action, after a plain post's redirect.
fn done_text(action: &str, t: &Texts) -> Option<&'static str> {
    Some(match action {
        "anotacao" => t.done_note,
        "anexos" => t.done_attachments,
        "opiniao" => t.done_opinion,
        "pesquisa" => t.done_survey,
        "reabrir" => t.done_reopen,
        _ => return None,
    })
}

/// Where a tab's form posts: the ticket's page on that tab.
pub fn tab_action(number: TicketNumber, tab: &str) -> String {
    format!("/meus-tickets/{number}?aba={tab}")
}

#[component]
fn TicketView(detail: TicketDetail, post: Option<FormPost>, reload: Callback<()>) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let query = use_query_map();
    let number = detail.row.number;
    let post = StoredValue::new(post);
    // Each tab's form gets the refused post only if it was its own.
    let post_for =
        move |form: &str| still_posted(&post.get_value()).filter(|post| post.form == form);
    let done = move || {
        query
            .with(|q| q.get(DONE_QUERY))
            .and_then(|action| done_text(&action, texts.get()))
    };
    let created = query
        .with_untracked(|q| q.get(CREATED_QUERY).is_some())
        .then_some(CreatedTicket {
            number: number.get(),
            priority: detail.row.priority,
        });
    let tabs = actions(&detail.row);
    let names: Vec<&'static str> = tabs.iter().map(|a| a.tab).collect();
    let tab = Memo::new(move |_| {
        let wanted = query.with(|q| q.get("aba")).unwrap_or_default();
        names
            .iter()
            .find(|t| **t == wanted)
            .copied()
            .unwrap_or(DEFAULT_TAB)
    });
    let row = detail.row.clone();
    let situation = row.situation;
    let ticket_type = row.ticket_type.clone();
    let status = row.sla_status;
    let tab_links = tabs
        .into_iter()
        .map(
            |TicketAction {
                 tab: name,
                 icon,
                 label,
             }| {
                view! {
                    <A href=format!("/meus-tickets/{number}?aba={name}") attr:class="tab"
                        attr:aria-current=move || (tab.get() == name).then_some("page")>
                        <IconSvg icon /> " " {move || label(texts.get())}
                    </A>
                }
            },
        )
        .collect_view();
    let detail = StoredValue::new(detail);
    // The tabs' code, other than Descrição's: here already, or on its way (`load_tabs`).
    let tabs_in = RwSignal::new(tabs_loaded());
    let panel = move || {
        let name = tab.get();
        if name == DEFAULT_TAB {
            return view! { <DescriptionTab detail=detail.get_value() /> }.into_any();
        }
        let args = TabArgs {
            tab: name,
            detail: detail.get_value(),
            post: post_for(name),
            reload,
        };
        match tabs_in
            .get()
            .then(|| crate::pages::parts::ready_now(ticket_tabs(args)))
            .flatten()
            .and_then(Result::ok)
        {
            Some(view) => view,
            None => {
                load_tabs(tabs_in, tab);
                view! { <Loading /> }.into_any()
            }
        }
    };
    view! {
        <Title text=format!("Ticket {number}") />
        <p><A href="/meus-tickets">{texts.live(|t| t.back_to_list)}</A></p>
        <section class="card ticket-card">
            <h1>{move || format!("{} {number}", texts.get().col_ticket)} " – " {row.request.clone()}</h1>
            <dl class="ticket-summary">
                <div><dt>{texts.live(|t| t.col_type)}</dt><dd>{move || ticket_type_name(&ticket_type, lang.get())}</dd></div>
                <div><dt>{texts.live(|t| t.col_service)}</dt><dd>{row.service.clone()}</dd></div>
                <div><dt>{texts.live(|t| t.col_created)}</dt><dd>{row.created_at.clone()}</dd></div>
                <div><dt>{texts.live(|t| t.col_task)}</dt><dd>{row.task.clone()}</dd></div>
                <div><dt>{texts.live(|t| t.col_group)}</dt><dd>{row.group.clone()}</dd></div>
                <div><dt>{texts.live(|t| t.col_situation)}</dt><dd class="ticket-situation">{move || situation.name(lang.get())}</dd></div>
                <div><dt>{texts.live(|t| t.col_deadline)}</dt><dd>{row.deadline.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>{texts.live(|t| t.col_sla_status)}</dt><dd>{move || sla_status_name(status, texts.get())}</dd></div>
                <div><dt>{texts.live(|t| t.col_priority)}</dt><dd>{move || format!("{} – {}", row.priority, priority_name(row.priority, lang.get()))}</dd></div>
            </dl>
            // Pointing at or focusing a tab starts fetching the tabs' code, so that it is
            // usually here by the time the tab is opened.
            <nav class="tabs" aria-label=texts.live(|t| t.col_actions)
                on:pointerover=move |_| load_tabs(tabs_in, tab) on:focusin=move |_| load_tabs(tabs_in, tab)>
                {tab_links}
            </nav>
            <div class="form-message-slot" aria-live="polite">
                {move || done().map(|text| view! { <p class="form-message form-message-ok" role="status">{text}</p> })}
            </div>
            <div class="tab-panel">{panel}</div>
        </section>
        // Reached through a plain post's redirect right after "Concluir": the pop-up,
        // whose "Fechar" is a link on to "Meus Tickets".
        {created.map(|ticket| view! {
            <CreatedPopup ticket>
                <A href="/meus-tickets" attr:id=CLOSE_ID attr:class="button button-primary">
                    {texts.live(|t| t.close)}
                </A>
            </CreatedPopup>
        })}
    }
    .into_any()
}

/// The tab a ticket's page opens on, the only one whose code comes with the page.
const DEFAULT_TAB: &str = "descricao";

/// What a tab other than Descrição is rendered from.
struct TabArgs {
    tab: &'static str,
    detail: TicketDetail,
    post: Option<FormPost>,
    reload: Callback<()>,
}

split_part! {
    /// The tabs other than Descrição: a split part of their own, so that a ticket's page
    /// first downloads only what its default tab shows. Their code is fetched when a tab is
    /// pointed at, focused or opened, or before hydration when the URL opens one
    /// (`prepare`).
    fn ticket_tabs(args: TabArgs) / __preload_ticket_tabs {
        let TabArgs {
            tab,
            detail,
            post,
            reload,
        } = args;
        match tab {
            "anexos" => view! { <AttachmentsTab detail post reload /> }.into_any(),
            "anotacao" => view! { <NoteTab number=detail.row.number post reload /> }.into_any(),
            "historico" => view! { <HistoryTab detail /> }.into_any(),
            "solucao" => view! { <SolutionTab detail /> }.into_any(),
            "opiniao" => view! { <OpinionTab detail post reload /> }.into_any(),
            "pesquisa" => view! { <SurveyTab detail post reload /> }.into_any(),
            "reabrir" => view! { <ReopenTab detail post reload /> }.into_any(),
            _ => view! { <DescriptionTab detail /> }.into_any(),
        }
    }
}

/// Whether the tabs' part has been loaded in this browser (always, on the server).
#[cfg(target_arch = "wasm32")]
static TABS_LOADED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn tabs_loaded() -> bool {
    #[cfg(target_arch = "wasm32")]
    return TABS_LOADED.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(target_arch = "wasm32"))]
    true
}

/// One attempt at fetching the tabs' part (joining one already under way); on success,
/// records that it is here.
#[cfg(target_arch = "wasm32")]
async fn fetch_tabs() -> Result<(), parts::SplitLoaderError> {
    __preload_ticket_tabs().await?;
    TABS_LOADED.store(true, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// Starts fetching the tabs' part, unless it is here; `loaded` turns true when it is. If it
/// cannot be had (`parts`) while a tab other than Descrição is open (`tab`), that tab is
/// waiting for it: the page is loaded again from the server, which renders every tab.
/// After pointing at a tab alone, the next time asks again.
fn load_tabs(loaded: RwSignal<bool>, tab: Memo<&'static str>) {
    if loaded.get_untracked() {
        return;
    }
    #[cfg(target_arch = "wasm32")]
    leptos::task::spawn_local(async move {
        if fetch_tabs().await.is_ok() {
            loaded.set(true);
        } else if tab.get_untracked() != DEFAULT_TAB {
            let _ = window().location().reload();
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = tab;
}

/// Run by the ticket page's route before the page is hydrated or shown (under the route's
/// owner, which knows the URL being opened): when the URL opens a tab other than
/// Descrição, the tab's code must be here first, for the server's markup to be hydrated.
/// The fetch starts at once, alongside the page's group; the future returned waits for it,
/// dealing with a failure as the page's own part does (`parts`).
pub fn prepare() -> impl std::future::Future<Output = ()> + 'static {
    let other_tab = leptos_router::hooks::use_url().with_untracked(|url| {
        url.search_params()
            .get_str("aba")
            .is_some_and(|tab| !tab.is_empty() && tab != DEFAULT_TAB)
    });
    #[cfg(target_arch = "wasm32")]
    if other_tab {
        leptos::task::spawn_local(async {
            let _ = fetch_tabs().await;
        });
    }
    async move {
        #[cfg(target_arch = "wasm32")]
        if other_tab && fetch_tabs().await.is_err() {
            parts::give_up().await;
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = other_tab;
    }
}

#[component]
fn DescriptionTab(detail: TicketDetail) -> impl IntoView {
    let texts = use_texts();
    let p = detail.profile.clone();
    let address = [p.street, p.number, p.complement, p.district]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <h2>{texts.live(|t| t.act_description)}</h2>
        <dl class="ticket-fields">
            <div><dt>{texts.live(|t| t.f_title)}</dt><dd>{detail.title.clone()}</dd></div>
            {detail
                .fields
                .iter()
                .map(|f| view! { <div><dt>{f.label.clone()}</dt><dd>{f.value.clone()}</dd></div> })
                .collect_view()}
            <div><dt>{texts.live(|t| t.f_description)}</dt><dd class="ticket-description">{detail.description.clone()}</dd></div>
        </dl>
        <h3>{texts.live(|t| t.requester_data)}</h3>
        <dl class="ticket-fields">
            <div><dt>{texts.live(|t| t.f_document)}</dt><dd>{p.document}</dd></div>
            <div><dt>{texts.live(|t| t.f_cep)}</dt><dd>{p.cep}</dd></div>
            <div><dt>{texts.live(|t| t.f_address)}</dt><dd>{address}</dd></div>
            <div><dt>{texts.live(|t| t.f_city)}</dt><dd>{format!("{} / {}", p.city, p.uf)}</dd></div>
        </dl>
    }
    .into_any()
}

#[component]
fn AttachmentsTab(
    detail: TicketDetail,
    post: Option<FormPost>,
    reload: Callback<()>,
) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let uploads = Uploads::new(Vec::new());
    let number = detail.row.number;
    let open = detail.is_open();
    let form = TicketForm::new(
        move |ids: &Vec<i64>| attach_files(number, ids.iter().copied().map(AttachmentId).collect()),
        move || {
            uploads.clear();
            reload.run(());
        },
        post.as_ref(),
    );
    let (errors, message) = (form.errors, form.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if uploads.busy() {
            message.set(Some((false, texts.get_untracked().wait_uploads.to_owned())));
            return;
        }
        form.submit(uploads.ids());
    };
    let files = detail.attachments.clone();
    view! {
        <h2>{texts.live(|t| t.act_attachments)}</h2>
        {if files.is_empty() {
            view! { <p>{texts.live(|t| t.no_attachments)}</p> }.into_any()
        } else {
            view! {
                <table class="attachments-table">
                    <thead>
                        <tr>
                            <th scope="col">{texts.live(|t| t.col_name)}</th>
                            <th scope="col">{texts.live(|t| t.col_size)}</th>
                            <th scope="col">{texts.live(|t| t.col_date)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {files
                            .into_iter()
                            .map(|f| {
                                let size = f.size;
                                view! {
                                    <tr>
                                        <td><a href=format!("/anexos/{}", f.id) download=f.name.clone()>{f.name.clone()}</a></td>
                                        <td>{move || human_size(size, lang.get() == Lang::Pt)}</td>
                                        <td>{f.created_at.clone()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        {open.then(|| view! {
            <form class="attach-more" method="post" action=tab_action(number, "anexos") on:submit=on_submit novalidate>
                <FormName name="anexos" />
                <AttachmentZone uploads limits=detail.limits errors />
                <FormMessage message />
                // Without JavaScript there is nothing to attach: uploads need it.
                <button type="submit" class="button button-primary js-only" disabled=move || form.pending()>
                    {texts.live(|t| t.attach_button)}
                </button>
            </form>
        })}
    }
    .into_any()
}

/// A labelled text area with its error beside it.
#[component]
fn TextArea(
    field: Field,
    label: Signal<String>,
    value: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let lang = use_lang();
    let id = field.id();
    let error_id = format!("{id}-erro");
    let node = NodeRef::<leptos::html::Textarea>::new();
    keep_typed(node, value);
    view! {
        <div class="field" class:field-invalid=move || errors.problem(field).is_some()>
            <div class="field-label"><label for=id.clone()>{label}</label></div>
            <textarea node_ref=node id=id.clone() name=id rows=4 aria-describedby=error_id.clone()
                inner_html=textarea_html(&value.get_untracked())
                autofocus=errors.is_first(field)
                aria-invalid=move || if errors.problem(field).is_some() { "true" } else { "false" }
                prop:value=live_value(value)
                on:input=move |ev| { value.set(event_target_value(&ev)); errors.set(field, None); }></textarea>
            <p class="field-error" id=error_id aria-live="polite">{move || errors.problem(field).map(|p| p.message(lang.get()))}</p>
        </div>
    }
    .into_any()
}

/// One action of the ticket page: the server call, its errors beside the fields and its
/// message; `on_done` runs after success (typically reloading the ticket).
struct TicketForm<I: Send + Sync + 'static> {
    send: Action<I, Result<(), AppError>>,
    errors: FormErrors,
    message: RwSignal<Option<(bool, String)>>,
}

// Signals and actions are handles: the form is copied into every closure that needs it
// (a derive would demand `I: Copy`).
impl<I: Send + Sync + 'static> Clone for TicketForm<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: Send + Sync + 'static> Copy for TicketForm<I> {}

impl<I: Send + Sync + 'static> TicketForm<I> {
    /// `post`: this form's refused plain post, whose problems and message it starts with.
    fn new<Fut>(
        run: impl Fn(&I) -> Fut + Send + Sync + 'static,
        on_done: impl Fn() + Send + Sync + 'static,
        post: Option<&FormPost>,
    ) -> Self
    where
        Fut: std::future::Future<Output = Result<(), AppError>> + Send + 'static,
    {
        let lang = use_lang();
        let errors = FormErrors::from_post(post);
        let message = RwSignal::new(post.and_then(FormPost::message));
        let send = Action::new(run);
        Effect::new(move |_| match send.value().get() {
            Some(Ok(())) => on_done(),
            Some(Err(err)) => {
                message.set(Some((false, err.message(lang.get_untracked()))));
                if let Some(problems) = err.field_errors() {
                    errors.show(problems.clone());
                }
            }
            None => {}
        });
        TicketForm {
            send,
            errors,
            message,
        }
    }

    fn submit(&self, input: I) {
        self.message.set(None);
        self.send.dispatch(input);
    }

    fn pending(&self) -> bool {
        self.send.pending().get()
    }
}

#[component]
fn NoteTab(number: TicketNumber, post: Option<FormPost>, reload: Callback<()>) -> impl IntoView {
    let texts = use_texts();
    let note = RwSignal::new(sent(&post, Field::Note));
    let form = TicketForm::new(
        move |text: &String| add_note(number, text.clone()),
        move || {
            note.set(String::new());
            reload.run(());
        },
        post.as_ref(),
    );
    let (errors, message) = (form.errors, form.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match crate::domain::tickets::free_text(&note.get_untracked(), false) {
            Ok(text) => form.submit(text),
            Err(problem) => errors.set(Field::Note, Some(problem)),
        }
    };
    view! {
        <h2>{texts.live(|t| t.act_note)}</h2>
        <form method="post" action=tab_action(number, "anotacao") on:submit=on_submit novalidate>
            <FormName name="anotacao" />
            <TextArea field=Field::Note label=text(|t| t.act_note) value=note errors />
            <FormMessage message />
            <button type="submit" class="button button-primary" disabled=move || form.pending()>{texts.live(|t| t.save)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn HistoryTab(detail: TicketDetail) -> impl IntoView {
    let texts = use_texts();
    view! {
        <h2>{texts.live(|t| t.act_history)}</h2>
        <HistoryTable rows=detail.history />
    }
    .into_any()
}

#[component]
fn SolutionTab(detail: TicketDetail) -> impl IntoView {
    let texts = use_texts();
    view! {
        <h2>{texts.live(|t| t.act_solution)}</h2>
        {detail.closed_at.map(|at| view! { <p>{texts.live(|t| t.closed_at)} " " {at.clone()}</p> })}
        {match detail.solution {
            Some(solution) => view! { <p class="ticket-solution">{solution}</p> }.into_any(),
            None => view! { <p>{texts.live(|t| t.no_solution)}</p> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn OpinionTab(detail: TicketDetail, post: Option<FormPost>, reload: Callback<()>) -> impl IntoView {
    let texts = use_texts();
    let kind = RwSignal::new(
        Some(sent(&post, Field::OpinionKind))
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| String::from("elogio")),
    );
    let opinion = RwSignal::new(sent(&post, Field::Opinion));
    let number = detail.row.number;
    let form = TicketForm::new(
        move |(k, t): &(String, String)| give_opinion(number, k.clone(), t.clone()),
        move || reload.run(()),
        post.as_ref(),
    );
    let (errors, message) = (form.errors, form.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match crate::domain::tickets::free_text(&opinion.get_untracked(), false) {
            Ok(text) => form.submit((kind.get_untracked(), text)),
            Err(problem) => errors.set(Field::Opinion, Some(problem)),
        }
    };
    let choice = move |value: &'static str, label: fn(&Texts) -> &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name=Field::OpinionKind.id() value=value
                    checked={kind.get_untracked() == value}
                    prop:checked=move || kind.get() == value
                    on:change=move |_| kind.set(value.to_owned()) />
                {move || label(texts.get())}
            </label>
        }
    };
    view! {
        <h2>{texts.live(|t| t.act_opinion)}</h2>
        {detail.opinion.map(|(k, t)| {
            let praise = k == "elogio";
            view! {
                <p class="current-opinion">
                    <strong>{texts.live(|t| t.current_opinion)} ": "</strong>
                    {move || if praise { texts.get().praise } else { texts.get().complaint }} " – " {t.clone()}
                </p>
            }
        })}
        <form method="post" action=tab_action(number, "opiniao") on:submit=on_submit novalidate>
            <FormName name="opiniao" />
            <fieldset class="choices">
                <legend>{texts.live(|t| t.act_opinion)}</legend>
                {choice("elogio", |t| t.praise)}
                {choice("queixa", |t| t.complaint)}
            </fieldset>
            <TextArea field=Field::Opinion label=text(|t| t.col_detail) value=opinion errors />
            <FormMessage message />
            <button type="submit" class="button button-primary" disabled=move || form.pending()>{texts.live(|t| t.send)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn SurveyTab(detail: TicketDetail, post: Option<FormPost>, reload: Callback<()>) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let score = RwSignal::new(sent(&post, Field::Rating));
    let comment = RwSignal::new(sent(&post, Field::RatingComment));
    let number = detail.row.number;
    let form = TicketForm::new(
        move |(s, c): &(i16, String)| rate_ticket(number, *s, c.clone()),
        move || reload.run(()),
        post.as_ref(),
    );
    let score_node = NodeRef::<leptos::html::Select>::new();
    keep_typed(score_node, score);
    let chosen = score.get_untracked();
    let (errors, message) = (form.errors, form.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = score.get_untracked().parse::<i16>().unwrap_or(0);
        match crate::domain::tickets::rating(parsed) {
            Ok(s) => form.submit((s, comment.get_untracked())),
            Err(problem) => errors.set(Field::Rating, Some(problem)),
        }
    };
    let body = match (detail.rating, detail.rating_until) {
        (Some((s, c)), _) => view! {
            <p class="current-rating"><strong>{texts.live(|t| t.rating_done)} ": "</strong> {format!("{s}/5")} {(!c.is_empty()).then(|| format!(" – {c}"))}</p>
        }
        .into_any(),
        (None, Some(until)) => view! {
            <p>{texts.live(|t| t.available_until)} " " {until.clone()}</p>
            <form method="post" action=tab_action(number, "pesquisa") on:submit=on_submit novalidate>
                <FormName name="pesquisa" />
                <div class="field" class:field-invalid=move || errors.problem(Field::Rating).is_some()>
                    <div class="field-label"><label for="nota">{texts.live(|t| t.rating_label)}</label></div>
                    <select node_ref=score_node id="nota" name="nota" aria-describedby="nota-erro"
                        autofocus=errors.is_first(Field::Rating)
                        on:change=move |ev| { score.set(event_target_value(&ev)); errors.set(Field::Rating, None); }>
                        <option value="">{texts.live(|t| t.choose_option)}</option>
                        {(1..=5).map(|n| {
                            let value = n.to_string();
                            let selected = chosen == value;
                            view! { <option selected=selected value=value>{n}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="nota-erro" aria-live="polite">{move || errors.problem(Field::Rating).map(|p| p.message(lang.get()))}</p>
                </div>
                <TextArea field=Field::RatingComment label=text(|t| t.rating_comment) value=comment errors />
                <FormMessage message />
                <button type="submit" class="button button-primary" disabled=move || form.pending()>{texts.live(|t| t.send)}</button>
            </form>
        }
        .into_any(),
        (None, None) => view! { <p class="window-over">{texts.live(|t| t.rating_closed)}</p> }.into_any(),
    };
    view! {
        <h2>{texts.live(|t| t.act_survey)}</h2>
        {body}
    }
    .into_any()
}

#[component]
fn ReopenTab(detail: TicketDetail, post: Option<FormPost>, reload: Callback<()>) -> impl IntoView {
    let texts = use_texts();
    let reason = RwSignal::new(sent(&post, Field::Reason));
    let number = detail.row.number;
    let form = TicketForm::new(
        move |r: &String| reopen_ticket(number, r.clone()),
        move || reload.run(()),
        post.as_ref(),
    );
    let (errors, message) = (form.errors, form.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match crate::domain::tickets::free_text(&reason.get_untracked(), false) {
            Ok(text) => form.submit(text),
            Err(problem) => errors.set(Field::Reason, Some(problem)),
        }
    };
    let body = match detail.reopen_until {
        Some(until) => view! {
            <p>{texts.live(|t| t.available_until)} " " {until.clone()}</p>
            <form method="post" action=tab_action(number, "reabrir") on:submit=on_submit novalidate>
                <FormName name="reabrir" />
                <TextArea field=Field::Reason label=text(|t| t.reopen_reason) value=reason errors />
                <FormMessage message />
                <button type="submit" class="button button-primary" disabled=move || form.pending()>{texts.live(|t| t.act_reopen)}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <p class="window-over">{texts.live(|t| t.reopen_advice)} " " <A href="/portal">{texts.live(|t| t.portal)}</A></p>
        }
        .into_any(),
    };
    view! {
        <h2>{texts.live(|t| t.act_reopen)}</h2>
        {body}
    }
    .into_any()
}
