//! Form fields with their error beside them: a red mark and a message, as the seed's
//! screenshot shows. A field is checked when it loses focus and, once wrong, again at
//! every keystroke until it is right; the server's verdict lands in the same place.

use leptos::prelude::*;

use crate::domain::{Field, FieldErrors, Problem};
use crate::locale::use_lang;

/// The problems of one form, shared by its fields.
#[derive(Clone, Copy)]
pub struct FormErrors(RwSignal<FieldErrors>);

impl Default for FormErrors {
    fn default() -> Self {
        FormErrors(RwSignal::new(FieldErrors::new()))
    }
}

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn problem(&self, field: Field) -> Option<Problem> {
        self.0.with(|errors| errors.get(field))
    }

    pub fn set(&self, field: Field, problem: Option<Problem>) {
        self.0.update(|errors| errors.set(field, problem));
    }

    /// Shows `errors` (replacing the previous ones) and moves the focus to the first.
    pub fn show(&self, errors: FieldErrors) {
        let first = errors.first();
        self.0.set(errors);
        if let Some(field) = first {
            focus(&field.id());
        }
    }

    pub fn clear(&self) {
        self.0.set(FieldErrors::new());
    }
}

/// Moves the keyboard focus to the element with this id (browser only).
pub fn focus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// A validator for a field's current value.
pub type Check = Callback<String, Option<Problem>>;

pub fn check(rule: impl Fn(&str) -> Option<Problem> + Send + Sync + 'static) -> Check {
    Callback::new(move |value: String| rule(&value))
}

fn describedby(field: Field, has_hint: bool) -> String {
    let id = field.id();
    if has_hint {
        format!("{id}-dica {id}-erro")
    } else {
        format!("{id}-erro")
    }
}

/// The label, with the seed's "*" beside (not inside) it, so the field's accessible
/// name is the label alone; `aria-required` tells assistive technology the rest.
#[component]
fn FieldLabel(field: Field, label: Signal<String>, required: bool) -> impl IntoView {
    view! {
        <div class="field-label">
            <label for=field.id()>{move || label.get()}</label>
            {required.then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
        </div>
    }
}

#[component]
fn FieldMessages(
    field: Field,
    errors: FormErrors,
    hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = field.id();
    view! {
        {hint.map(|hint| view! { <p class="field-hint" id=format!("{id}-dica")>{move || hint.get()}</p> })}
        <p class="field-error" id=format!("{id}-erro") aria-live="polite">
            {move || errors.problem(field).map(|problem| problem.message(lang.get()))}
        </p>
    }
}

#[component]
pub fn TextField(
    field: Field,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional)] check: Option<Check>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
    #[prop(default = true)] required: bool,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] readonly: bool,
    /// Shown instead of a visible label (the field then has only a placeholder).
    #[prop(optional)]
    placeholder_label: bool,
    /// Placed right of the input, e.g. the "Buscar CEP" button.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let validate = move || {
        if let Some(check) = check {
            errors.set(field, check.run(value.get_untracked()));
        }
    };
    let invalid = move || errors.problem(field).is_some();
    let has_hint = hint.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            {(!placeholder_label).then(|| view! { <FieldLabel field label required /> })}
            <div class="field-control">
                <span class="input-wrap">
                <input
                    id=field.id()
                    name=field.id()
                    type=kind
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        if errors.problem(field).is_some() {
                            validate();
                        }
                    }
                    on:blur=move |_| validate()
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-required=if required { "true" } else { "false" }
                    aria-describedby=describedby(field, has_hint)
                    aria-label=move || placeholder_label.then(|| label.get())
                    placeholder=move || placeholder_label.then(|| label.get())
                    autocomplete=autocomplete
                    inputmode=inputmode
                    maxlength=maxlength
                    readonly=readonly
                />
                <span class="field-mark" aria-hidden="true"></span>
                </span>
                {children.map(|children| children())}
            </div>
            <FieldMessages field errors hint />
        </div>
    }
}

#[component]
pub fn SelectField(
    field: Field,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    errors: FormErrors,
    /// (value, label) pairs; an empty value is the "choose" placeholder.
    options: Vec<(String, Signal<String>)>,
    #[prop(optional)] check: Option<Check>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let validate = move || {
        if let Some(check) = check {
            errors.set(field, check.run(value.get_untracked()));
        }
    };
    let invalid = move || errors.problem(field).is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <FieldLabel field label required />
            <div class="field-control">
                <span class="input-wrap">
                <select
                    id=field.id()
                    name=field.id()
                    prop:value=move || value.get()
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        validate();
                    }
                    on:blur=move |_| validate()
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-required=if required { "true" } else { "false" }
                    aria-describedby=describedby(field, false)
                >
                    {options
                        .into_iter()
                        .map(|(option, text)| {
                            let current = option.clone();
                            view! {
                                <option value=option selected=move || value.get() == current>
                                    {move || text.get()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <span class="field-mark" aria-hidden="true"></span>
                </span>
            </div>
            <FieldMessages field errors hint=None />
        </div>
    }
}

/// A message for the whole form (success or failure), announced to screen readers.
#[component]
pub fn FormMessage(#[prop(into)] message: Signal<Option<(bool, String)>>) -> impl IntoView {
    view! {
        <div class="form-message-slot" aria-live="polite">
            {move || {
                message
                    .get()
                    .map(|(ok, text)| {
                        view! {
                            <p class="form-message" class:form-message-ok=ok class:form-message-error=!ok role=if ok { "status" } else { "alert" }>
                                {text}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// Shows a server function's refusal: the sentence at the top of the form, and each
/// field's problem beside its field (with the focus on the first).
pub fn show_error(
    err: &crate::error::AppError,
    message: RwSignal<Option<(bool, String)>>,
    errors: FormErrors,
) {
    message.set(Some((false, err.message(use_lang().get_untracked()))));
    if let Some(problems) = err.field_errors() {
        errors.show(problems.clone());
    }
}
