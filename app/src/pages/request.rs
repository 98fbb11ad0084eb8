//! The request form of an activity (step 5 of the seed guide): the requester's data on
//! the first request (then filled in), "Solicitação", the activity's own fields,
//! "Descrição" with what is left of its 20,000 characters (kept as a draft in the
//! browser), "Concluir", and the pop-up "Ticket(s) criado(s)".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::portal::{RequestFormData, request_form};
use crate::api::requests::{CreatedTicket, create_request};
use crate::components::attachments::{AttachmentZone, Uploads};
use crate::components::auth::SignInPrompt;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::cep_button::CepButton;
use crate::components::created_popup::{CLOSE_ID, CreatedPopup};
use crate::components::form::{
    CheckField, FormErrors, FormMessage, SelectField, TextField, check, keep_typed, live_value,
    textarea_html,
};
use crate::components::form_post::{FormName, FormPost, posted, still_posted};
use crate::domain::Field;
use crate::domain::account::{self, PersonType};
use crate::domain::cep::CepAddress;
use crate::domain::documents::UFS;
use crate::domain::request::{
    self, DESCRIPTION_MAX, FieldKind, FieldSpec, RequestInput, RequestProfileInput, priority_name,
    ticket_type_name,
};
use crate::error::AppError;
use crate::locale::{text, use_lang, use_texts};
use crate::resource::resource;

/// The form's name (`_form`) in a plain post.
pub const FORM: &str = "nova-solicitacao";

#[component]
pub fn RequestPage() -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let params = use_params_map();
    let post = posted(FORM);
    let id = move |name: &str| params.with(|p| p.get(name).and_then(|v| v.parse::<i32>().ok()));
    let form = resource(
        move || (id("portfolio"), id("service"), id("activity")),
        |ids| async move {
            match ids {
                (Some(p), Some(s), Some(a)) => request_form(p, s, a).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{texts.live(|t| t.loading)}</p> }>
            {move || {
                form.get()
                    .map(|loaded| match loaded {
                        Ok(data) => view! { <RequestFormView data post=still_posted(&post) /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <SignInPrompt title=text(|t| t.portal) /> }.into_any(),
                        Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                        Err(err) => view! { <p class="form-message form-message-error" role="alert">{err.message(lang.get_untracked())}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct ProfileSignals {
    nature: RwSignal<String>,
    document: RwSignal<String>,
    cep: RwSignal<String>,
    street: RwSignal<String>,
    number: RwSignal<String>,
    complement: RwSignal<String>,
    district: RwSignal<String>,
    city: RwSignal<String>,
    uf: RwSignal<String>,
}

impl ProfileSignals {
    /// The values a refused plain post sent, by field name.
    fn fill_from(&self, post: &FormPost) {
        let pairs = [
            (self.nature, Field::Nature),
            (self.document, Field::Document),
            (self.cep, Field::Cep),
            (self.street, Field::Address),
            (self.number, Field::AddressNumber),
            (self.complement, Field::Complement),
            (self.district, Field::District),
            (self.city, Field::City),
            (self.uf, Field::Uf),
        ];
        for (signal, field) in pairs {
            signal.set(post.value(&field.id()));
        }
    }

    fn new(profile: Option<RequestProfileInput>) -> Self {
        let p = profile.unwrap_or_default();
        ProfileSignals {
            nature: RwSignal::new(p.nature),
            document: RwSignal::new(p.document),
            cep: RwSignal::new(p.cep),
            street: RwSignal::new(p.street),
            number: RwSignal::new(p.number),
            complement: RwSignal::new(p.complement),
            district: RwSignal::new(p.district),
            city: RwSignal::new(p.city),
            uf: RwSignal::new(p.uf),
        }
    }

    fn input(&self) -> RequestProfileInput {
        RequestProfileInput {
            nature: self.nature.get_untracked(),
            document: self.document.get_untracked(),
            cep: self.cep.get_untracked(),
            street: self.street.get_untracked(),
            number: self.number.get_untracked(),
            complement: self.complement.get_untracked(),
            district: self.district.get_untracked(),
            city: self.city.get_untracked(),
            uf: self.uf.get_untracked(),
        }
    }
}

fn draft_key(activity: i32) -> String {
    format!("atende:rascunho:{activity}")
}

/// The description draft kept in the browser (localStorage), so a reload or an expired
/// session loses nothing. A no-op on the server.
fn draft(key: &str, value: Option<&str>) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let storage = window().local_storage().ok().flatten()?;
        match value {
            Some("") => {
                let _ = storage.remove_item(key);
                None
            }
            Some(value) => {
                let _ = storage.set_item(key, value);
                None
            }
            None => storage.get_item(key).ok().flatten(),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        None
    }
}

/// What the request form's own part is rendered from.
#[derive(Clone)]
struct FormArgs {
    data: RequestFormData,
    post: Option<FormPost>,
}

deferred_part! {
    /// The request form itself (with its pop-up): a split part of its own, which the page
    /// shows as the server rendered it until the visitor starts on it (`parts::deferred`).
    fn request_form_part(args: FormArgs) / __preload_request_form_part {
        let FormArgs { data, post } = args;
        view! { <RequestForm data post /> }.into_any()
    }
}

/// The page around the form: its title, where it is and what the activity is.
#[component]
fn RequestFormView(data: RequestFormData, post: Option<FormPost>) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let trail = vec![
        (
            format!("/portal/{}", data.portfolio.id),
            data.portfolio.name.clone(),
        ),
        (
            format!("/portal/{}/{}", data.portfolio.id, data.service.id),
            data.service.name.clone(),
        ),
        (
            format!(
                "/portal/{}/{}/{}",
                data.portfolio.id, data.service.id, data.activity.id
            ),
            data.activity.name.clone(),
        ),
    ];
    let priority = data.priority;
    let ticket_type = data.ticket_type.clone();
    let sla_hours = data.sla_hours;
    let meta = move || {
        let t = texts.get();
        let l = lang.get();
        let sla = match sla_hours {
            Some(hours) => format!("{hours} {}", t.business_hours),
            None => t.sla_to_agree.to_owned(),
        };
        format!(
            "{}: {} · {}: {} – {} · {}: {}",
            t.type_label,
            ticket_type_name(&ticket_type, l),
            t.col_priority,
            priority,
            priority_name(priority, l),
            t.sla_label,
            sla
        )
    };
    let name = data.activity.name.clone();
    // A draft of this form kept in the browser is brought back by the form's code: wanted
    // at once.
    let has_draft = draft(&draft_key(data.activity.id), None).is_some_and(|d| !d.is_empty());
    view! {
        <Title text=name.clone() />
        <Breadcrumb trail />
        <crate::pages::portal::SearchBox />
        <section class="card form-card wide">
            <h1>{name}</h1>
            <p class="request-meta">{meta}</p>
            <p class="required-note">{texts.live(|t| t.required_note)}</p>
            {deferred_region(FormArgs { data, post }, has_draft)}
        </section>
    }
    .into_any()
}

/// The form and its pop-up "Ticket(s) criado(s)".
#[component]
fn RequestForm(data: RequestFormData, post: Option<FormPost>) -> impl IntoView {
    let texts = use_texts();
    let lang = use_lang();
    let navigate = use_navigate();
    // After a refused plain post: what was sent, and the problems beside their fields.
    let errors = FormErrors::from_post(post.as_ref());
    let first_request = data.profile.is_none();
    let profile = ProfileSignals::new(data.profile.clone());
    let title = RwSignal::new(data.activity.name.clone());
    let description = RwSignal::new(String::new());
    if let Some(post) = &post {
        profile.fill_from(post);
        title.set(post.value(&Field::Title.id()));
        description.set(post.value(&Field::Description.id()));
    }
    let restored = RwSignal::new(false);
    let message = RwSignal::new(post.as_ref().and_then(FormPost::message));
    let created = RwSignal::new(None::<CreatedTicket>);
    let extras: Vec<(FieldSpec, RwSignal<String>)> = data
        .fields
        .iter()
        .cloned()
        .map(|spec| {
            let sent = post
                .as_ref()
                .map(|post| post.value(&Field::Extra(spec.id).id()))
                .unwrap_or_default();
            (spec, RwSignal::new(sent))
        })
        .collect();
    let activity_id = data.activity.id;
    let key = draft_key(activity_id);
    let uploads = Uploads::new(data.staged.clone());
    let limits = data.limits;

    // Bring back a draft once the page runs in the browser.
    Effect::new({
        let key = key.clone();
        move |_| {
            if let Some(saved) = draft(&key, None).filter(|s| !s.is_empty()) {
                if description.get_untracked().is_empty() {
                    description.set(saved);
                    restored.set(true);
                }
            }
        }
    });

    // The form's key: sending it again (a retry after a timeout) returns the ticket the
    // first send created; after a success, the next request from this page gets a new
    // key.
    let sent = RwSignal::new(0u32);
    let base_key = data.request_key.clone();
    let request_key = Signal::derive(move || match sent.get() {
        0 => base_key.clone(),
        n => format!("{base_key}.{n}"),
    });
    let submit = Action::new(|input: &RequestInput| create_request(input.clone()));
    Effect::new({
        let key = key.clone();
        move |_| match submit.value().get() {
            Some(Ok(ticket)) => {
                // A later request from this page is another ticket.
                sent.update(|n| *n += 1);
                draft(&key, Some(""));
                uploads.clear();
                message.set(None);
                created.set(Some(ticket));
            }
            Some(Err(err)) => {
                message.set(Some((false, err.message(lang.get_untracked()))));
                if let Some(problems) = err.field_errors() {
                    errors.show(problems.clone());
                }
            }
            None => {}
        }
    });

    let specs: Vec<FieldSpec> = data.fields.clone();
    let extra_values: Vec<(i32, RwSignal<String>)> =
        extras.iter().map(|(s, v)| (s.id, *v)).collect();
    let activity_name = data.activity.name.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = RequestInput {
            activity_id,
            profile: profile.input(),
            title: title.get_untracked(),
            fields: extra_values
                .iter()
                .map(|(id, v)| (*id, v.get_untracked()))
                .collect(),
            description: description.get_untracked(),
            attachments: uploads.ids(),
            request_key: request_key.get_untracked(),
        };
        if uploads.busy() {
            message.set(Some((false, texts.get_untracked().wait_uploads.to_owned())));
            return;
        }
        if let Err(problems) = input.validate(&specs, &activity_name) {
            message.set(Some((
                false,
                AppError::Validation(problems.clone()).message(lang.get_untracked()),
            )));
            errors.show(problems);
            return;
        }
        message.set(None);
        submit.dispatch(input);
    };

    let remaining =
        move || DESCRIPTION_MAX.saturating_sub(description.with(|d| d.trim().chars().count()));
    let description_invalid = move || errors.problem(Field::Description).is_some();
    let close_popup = move |_| navigate("/meus-tickets", Default::default());
    let action = format!(
        "/portal/{}/{}/{}",
        data.portfolio.id, data.service.id, data.activity.id
    );
    let description_node = NodeRef::<leptos::html::Textarea>::new();
    keep_typed(description_node, description);
    let description_html = textarea_html(&description.get_untracked());

    view! {
            <form method="post" action=action on:submit=on_submit novalidate>
                <FormName name=FORM />
                <input type="hidden" name=crate::domain::request::REQUEST_KEY_FIELD value=move || request_key.get() />
                <ProfileSection profile errors first_request />
                <fieldset class="form-section">
                    <legend>{texts.live(|t| t.request_block)}</legend>
                    <TextField field=Field::Title label=text(|t| t.f_title) value=title errors required=false maxlength=200 />
                    {extras
                        .into_iter()
                        .map(|(spec, value)| view! { <ExtraField spec value errors /> })
                        .collect_view()}
                    <div class="field" class:field-invalid=description_invalid>
                        <div class="field-label">
                            <label for="descricao">{texts.live(|t| t.f_description)}</label>
                            <span class="req" aria-hidden="true">"*"</span>
                        </div>
                        <textarea
                            node_ref=description_node
                            id="descricao"
                            name="descricao"
                            inner_html=description_html
                            autofocus=errors.is_first(Field::Description)
                            rows=8
                            placeholder=texts.live(|t| t.description_placeholder)
                            aria-required="true"
                            aria-invalid=move || if description_invalid() { "true" } else { "false" }
                            aria-describedby="descricao-restante descricao-erro"
                            prop:value=live_value(description)
                            on:input={
                                let key = key.clone();
                                move |ev| {
                                    let value = event_target_value(&ev);
                                    draft(&key, Some(&value));
                                    description.set(value);
                                    if errors.problem(Field::Description).is_some() {
                                        errors.set(Field::Description, request::description(&description.get_untracked()).err());
                                    }
                                }
                            }
                            on:blur=move |_| errors.set(Field::Description, request::description(&description.get_untracked()).err())
                        ></textarea>
                        <p class="field-hint" id="descricao-restante" aria-live="polite">
                            {move || format!("{} {}", remaining(), texts.get().chars_left)}
                        </p>
                        <Show when=move || restored.get()>
                            <p class="field-note">{texts.live(|t| t.draft_restored)}</p>
                        </Show>
                        <p class="field-error" id="descricao-erro" aria-live="polite">
                            {move || errors.problem(Field::Description).map(|p| p.message(lang.get()))}
                        </p>
                    </div>
                    <AttachmentZone uploads limits errors />
                </fieldset>
                <p class="field-error" aria-live="polite">
                    {move || errors.problem(Field::Activity).map(|p| p.message(lang.get()))}
                </p>
                <FormMessage message />
                <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { texts.get().sending } else { texts.get().conclude }}
                </button>
            </form>
        {move || {
            created
                .get()
                .map(|ticket| {
                    let close = close_popup.clone();
                    view! {
                        <CreatedPopup ticket>
                            <button id=CLOSE_ID type="button" class="button button-primary" on:click=close>
                                {texts.live(|t| t.close)}
                            </button>
                        </CreatedPopup>
                    }
                })
        }}
    }
    .into_any()
}

#[component]
fn ProfileSection(
    profile: ProfileSignals,
    errors: FormErrors,
    first_request: bool,
) -> impl IntoView {
    let texts = use_texts();
    let cep_note = RwSignal::new(None::<&'static str>);
    let nature_options = vec![
        (String::new(), text(|t| t.choose_option)),
        (
            PersonType::Fisica.code().to_owned(),
            text(|t| t.nature_fisica),
        ),
        (
            PersonType::Juridica.code().to_owned(),
            text(|t| t.nature_juridica),
        ),
    ];
    let mut uf_options = vec![(String::new(), text(|t| t.uf_choose))];
    uf_options.extend(UFS.iter().map(|(code, name)| {
        (
            (*code).to_owned(),
            Signal::stored(format!("{code} – {name}")),
        )
    }));

    view! {
                <fieldset class="form-section" class:first-request=first_request>
            <legend>{texts.live(|t| t.requester_data)}</legend>
            <SelectField field=Field::Nature label=text(|t| t.f_nature) value=profile.nature errors options=nature_options
                check=check(|v| account::person(v).err()) />
            <TextField field=Field::Document label=text(|t| t.f_document) value=profile.document errors
                check=check(move |v| request::document(PersonType::from_code(&profile.nature.get_untracked()), v).err())
                maxlength=18 autocomplete="off" />
            <TextField field=Field::Cep label=text(|t| t.f_cep) value=profile.cep errors
                check=check(|v| account::cep(v).err()) inputmode="numeric" maxlength=10 autocomplete="postal-code">
                <CepButton cep=profile.cep errors note=cep_note label=text(|t| t.cep_search)
                on_found=move |address: CepAddress| {
                    profile.street.set(address.street);
                    profile.district.set(address.district);
                    profile.city.set(address.city);
                    profile.uf.set(address.uf);
                    for field in [Field::Address, Field::District, Field::City, Field::Uf] {
                        errors.set(field, None);
                    }
                } />
            </TextField>
            <p class="field-note" aria-live="polite">{move || cep_note.get()}</p>
            <TextField field=Field::Address label=text(|t| t.f_address) value=profile.street errors
                check=check(|v| account::address(v).err()) maxlength=300 autocomplete="street-address" />
            <div class="field-row">
                <TextField field=Field::AddressNumber label=text(|t| t.f_number) value=profile.number errors required=false maxlength=20 />
                <TextField field=Field::Complement label=text(|t| t.f_complement) value=profile.complement errors required=false maxlength=100 />
            </div>
            <TextField field=Field::District label=text(|t| t.f_district) value=profile.district errors required=false maxlength=100 />
            <div class="field-row">
                <TextField field=Field::City label=text(|t| t.f_city) value=profile.city errors
                    check=check(|v| account::name(v).err()) maxlength=100 />
                <SelectField field=Field::Uf label=text(|t| t.f_uf) value=profile.uf errors options=uf_options
                    check=check(|v| crate::domain::documents::uf(v).err()) />
            </div>
        </fieldset>
    }
    .into_any()
}

/// One of the activity's own fields.
#[component]
pub(crate) fn ExtraField(
    spec: FieldSpec,
    value: RwSignal<String>,
    errors: FormErrors,
) -> impl IntoView {
    let field = Field::Extra(spec.id);
    let label = Signal::stored(spec.label.clone());
    let required = spec.required;
    let rule = spec.clone();
    let checker = check(move |v| request::extra_value(&rule, v).err());
    let hint = (!spec.help.is_empty()).then(|| Signal::stored(spec.help.clone()));
    let limit = |kind_max: usize| {
        spec.max_length
            .and_then(|m| u32::try_from(m).ok())
            .map_or(kind_max as u32, |m| m.min(kind_max as u32))
    };
    match spec.kind {
        FieldKind::Select => {
            let mut options = vec![(String::new(), text(|t| t.choose_option))];
            options.extend(spec.options.iter().map(|o| (o.clone(), Signal::stored(o.clone()))));
            view! { <SelectField field label value errors options check=checker required hint /> }.into_any()
        }
        FieldKind::Checkbox => view! { <CheckField field label value errors check=checker required hint /> }.into_any(),
        FieldKind::Date => view! { <TextField field label value errors check=checker required kind="date" hint /> }.into_any(),
        FieldKind::Number => {
            view! { <TextField field label value errors check=checker required inputmode="decimal" maxlength=30 hint /> }.into_any()
        }
        FieldKind::Cep => view! { <TextField field label value errors check=checker required inputmode="numeric" maxlength=10 hint /> }.into_any(),
        FieldKind::Cpf | FieldKind::Cnpj => view! { <TextField field label value errors check=checker required maxlength=18 hint /> }.into_any(),
        FieldKind::Text => {
            view! { <TextField field label value errors check=checker required maxlength=limit(request::SHORT_TEXT_MAX) hint /> }.into_any()
        }
        FieldKind::LongText => {
            view! { <TextField field label value errors check=checker required maxlength=limit(request::LONG_TEXT_MAX) hint /> }.into_any()
        }
    }
}
