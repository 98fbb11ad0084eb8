//! Form fields with their error beside them: a red mark and a message, as the seed's
//! screenshot shows. A field is checked when it loses focus and, once wrong, again at
//! every keystroke until it is right; the server's verdict lands in the same place.
//!
//! Fields also work before, or without, the WebAssembly: they carry their values in the
//! HTML (`value` attributes, not only DOM properties, which the server cannot render),
//! and once the bundle arrives, what the person typed meanwhile is kept (see
//! [`live_value`] and [`keep_typed`]). A refused plain post comes back as a
//! [`FormPost`] (see `form_post`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

use crate::components::form_post::FormPost;
use crate::domain::{Field, FieldErrors, Problem};
use crate::locale::use_lang;

/// A DOM property (an input's or a select's `value`) that follows `signal`, except on
/// its first run. The element then either comes from the server, with what the person
/// typed before the WebAssembly arrived (kept by [`keep_typed`]), or was just built with
/// the same initial value as an attribute; overwriting it would lose what was typed.
pub fn live_value<T>(signal: RwSignal<T>) -> impl Fn() -> Option<T> + Send + Sync + Clone + 'static
where
    T: Clone + Send + Sync + 'static,
{
    live(move || signal.get())
}

/// `value()` except on its first run (see [`live_value`]).
pub fn live<T>(
    value: impl Fn() -> T + Send + Sync + Clone + 'static,
) -> impl Fn() -> Option<T> + Send + Sync + Clone + 'static {
    let first = Arc::new(AtomicBool::new(true));
    move || {
        let value = value();
        (!first.swap(false, Ordering::Relaxed)).then_some(value)
    }
}

/// Once the element is in the page, takes into `signal` what the person typed in it
/// before the WebAssembly arrived (or what the browser filled in): whatever differs from
/// the value it was rendered with (the signal's value now). Call it where the element's
/// component starts; the signal may change meanwhile (a restored draft), and wins then.
#[cfg(feature = "hydrate")]
pub fn keep_typed<E>(node: NodeRef<E>, signal: RwSignal<String>)
where
    E: leptos::html::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    keep_typed_then(node, signal, || {});
}

/// On the server there is nothing typed yet.
#[cfg(not(feature = "hydrate"))]
pub fn keep_typed<E>(node: NodeRef<E>, signal: RwSignal<String>)
where
    E: leptos::html::ElementType,
    E::Output: 'static,
{
    let _ = (node, signal);
}

/// [`keep_typed`], then `check()` when something was taken from a field the focus has
/// already left: it is checked as it would have been on leaving it.
#[cfg(feature = "hydrate")]
pub fn keep_typed_then<E>(node: NodeRef<E>, signal: RwSignal<String>, check: impl Fn() + 'static)
where
    E: leptos::html::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    use wasm_bindgen::JsCast;
    let rendered = signal.get_untracked();
    Effect::new(move |_| {
        let Some(element) = node.get() else {
            return;
        };
        let element: &wasm_bindgen::JsValue = element.as_ref();
        let typed = if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            if input.type_() == "checkbox" {
                if input.checked() {
                    input.value()
                } else {
                    String::new()
                }
            } else {
                input.value()
            }
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.value()
        } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
            select.value()
        } else {
            return;
        };
        if typed != rendered {
            signal.set(typed);
            let focused = document()
                .active_element()
                .is_some_and(|active| element == AsRef::<wasm_bindgen::JsValue>::as_ref(&active));
            if !focused {
                check();
            }
        }
    });
}

/// On the server there is nothing typed yet.
#[cfg(not(feature = "hydrate"))]
pub fn keep_typed_then<E>(node: NodeRef<E>, signal: RwSignal<String>, check: impl Fn() + 'static)
where
    E: leptos::html::ElementType,
    E::Output: 'static,
{
    let _ = (node, signal, check);
}

/// [`keep_typed`] for a box whose state lives elsewhere: `taken(checked)` when the box,
/// once in the page, is not as it was rendered (`rendered`).
#[cfg(feature = "hydrate")]
pub fn keep_checked(
    node: NodeRef<leptos::html::Input>,
    rendered: bool,
    taken: impl Fn(bool) + 'static,
) {
    Effect::new(move |_| {
        if let Some(input) = node.get() {
            if input.checked() != rendered {
                taken(input.checked());
            }
        }
    });
}

/// On the server there is nothing typed yet.
#[cfg(not(feature = "hydrate"))]
pub fn keep_checked(
    node: NodeRef<leptos::html::Input>,
    rendered: bool,
    taken: impl Fn(bool) + 'static,
) {
    let _ = (node, rendered, taken);
}

/// A text area's initial content as HTML (the server must render it; a property would
/// not be), escaped; the parser drops one newline right after `<textarea>`.
pub fn textarea_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 1);
    if text.starts_with('\n') {
        html.push('\n');
    }
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            c => html.push(c),
        }
    }
    html
}

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

    /// Starts with the field problems of a refused post, if any.
    pub fn from_post(post: Option<&FormPost>) -> Self {
        let problems = post
            .and_then(|post| post.error.field_errors().cloned())
            .unwrap_or_default();
        FormErrors(RwSignal::new(problems))
    }

    /// The field the focus belongs on when the page opens (the first wrong one).
    pub fn is_first(&self, field: Field) -> bool {
        self.0
            .with_untracked(|errors| errors.first() == Some(field))
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

    /// Checks `field`'s current value with `check` (if any) and shows what it finds.
    pub fn checker(
        self,
        field: Field,
        value: RwSignal<String>,
        check: Option<Check>,
    ) -> impl Fn() + Copy + Send + Sync + 'static {
        move || {
            if let Some(check) = check {
                self.set(field, check.run(value.get_untracked()));
            }
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
fn FieldMessages(field: Field, errors: FormErrors, hint: Option<Signal<String>>) -> impl IntoView {
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
    /// Shown below the field (and read with it).
    #[prop(default = None)]
    hint: Option<Signal<String>>,
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
    let validate = errors.checker(field, value, check);
    let invalid = move || errors.problem(field).is_some();
    let has_hint = hint.is_some();
    let node = NodeRef::<leptos::html::Input>::new();
    keep_typed_then(node, value, validate);
    // The value in the HTML, for the page before (or without) the WebAssembly; never a
    // password.
    let initial = Some(value.get_untracked()).filter(|v| kind != "password" && !v.is_empty());
    view! {
        <div class="field" class:field-invalid=invalid>
            {(!placeholder_label).then(|| view! { <FieldLabel field label required /> })}
            <div class="field-control">
                <span class="input-wrap">
                <input
                    node_ref=node
                    id=field.id()
                    name=field.id()
                    type=kind
                    value=initial
                    prop:value=live_value(value)
                    autofocus=errors.is_first(field)
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
    #[prop(default = None)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let validate = errors.checker(field, value, check);
    let invalid = move || errors.problem(field).is_some();
    let has_hint = hint.is_some();
    let node = NodeRef::<leptos::html::Select>::new();
    keep_typed_then(node, value, validate);
    view! {
        <div class="field" class:field-invalid=invalid>
            <FieldLabel field label required />
            <div class="field-control">
                <span class="input-wrap">
                <select
                    node_ref=node
                    id=field.id()
                    name=field.id()
                    prop:value=live_value(value)
                    autofocus=errors.is_first(field)
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        validate();
                    }
                    on:blur=move |_| validate()
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-required=if required { "true" } else { "false" }
                    aria-describedby=describedby(field, has_hint)
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
            <FieldMessages field errors hint />
        </div>
    }
}

/// A yes/no box: checked is [`crate::domain::request::CHECKED`] in `value`, unchecked "".
#[component]
pub fn CheckField(
    field: Field,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional)] check: Option<Check>,
    #[prop(default = true)] required: bool,
    #[prop(default = None)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let checked = move || !value.get().is_empty();
    let invalid = move || errors.problem(field).is_some();
    let has_hint = hint.is_some();
    let initial = !value.get_untracked().is_empty();
    let validate = errors.checker(field, value, check);
    let node = NodeRef::<leptos::html::Input>::new();
    keep_typed_then(node, value, validate);
    view! {
        <div class="field check" class:field-invalid=invalid>
            <input
                node_ref=node
                type="checkbox"
                id=field.id()
                name=field.id()
                value=crate::domain::request::CHECKED
                checked=initial
                prop:checked=live(checked)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    value.set(if on { crate::domain::request::CHECKED.to_owned() } else { String::new() });
                    validate();
                }
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-required=if required { "true" } else { "false" }
                aria-describedby=describedby(field, has_hint)
            />
            <FieldLabel field label required />
            <FieldMessages field errors hint />
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
