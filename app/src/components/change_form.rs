//! The forms of the administration pages: each is a real post to its page (`_form`
//! names the change, hidden inputs the row), enhanced once the bundle has loaded. The
//! enhanced form reads its fields as the browser would post them, turns them into the
//! same command the server reads from a plain post (`parse`, from `crate::domain`),
//! shows the problems beside the fields before anything is sent, and sends the command
//! to the page's server function (`send`).

use std::future::Future;

use leptos::prelude::*;

use crate::components::form::{FormErrors, FormMessage, show_error};
use crate::components::form_post::{FORM_NAME, FormPost};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::locale::{use_lang, use_texts};

/// Reads a command from a form: its `_form`, a field's value, every value of a field.
pub type Parse<C> =
    fn(&str, &dyn Fn(&str) -> String, &dyn Fn(&str) -> Vec<String>) -> Result<C, FieldErrors>;

/// What a [`ChangeForm`] gives the fields inside it: their errors and the values of a
/// refused plain post of this very form.
#[derive(Clone)]
pub struct FormState {
    pub errors: FormErrors,
    pub kept: Option<FormPost>,
}

impl FormState {
    /// The value to show: the one posted (and refused), else `stored`.
    pub fn value(&self, name: &str, stored: String) -> String {
        match &self.kept {
            Some(post) => post.value(name),
            None => stored,
        }
    }
}

pub fn use_form_state() -> FormState {
    expect_context::<FormState>()
}

/// Every name/value a form would post, as the browser would send it.
#[cfg(feature = "hydrate")]
fn form_pairs(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let elements = form.elements();
    let mut pairs = Vec::new();
    for index in 0..elements.length() {
        let Some(element) = elements.item(index) else {
            continue;
        };
        let Some(name) = element.get_attribute("name") else {
            continue;
        };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            let kind = input.type_();
            if (kind == "checkbox" || kind == "radio") && !input.checked() {
                continue;
            }
            if kind == "submit" || kind == "button" {
                continue;
            }
            pairs.push((name, input.value()));
        } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
            pairs.push((name, select.value()));
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            pairs.push((name, area.value()));
        }
    }
    pairs
}

/// One change's form. `path`: the page it posts to; `row`: the hidden input naming the
/// row it is about; `hidden`: more hidden inputs; `post`: the page's refused plain post
/// (shown here when it came from this form and row); `on_saved`: after a success (the
/// page reloads its data); `reset`: empty the form after a success (a "new …" form).
#[component]
pub fn ChangeForm<C, F, Fut>(
    #[prop(into)] path: String,
    form: &'static str,
    parse: Parse<C>,
    send: F,
    #[prop(default = None)] row: Option<(&'static str, i32)>,
    #[prop(optional)] hidden: Vec<(&'static str, String)>,
    button: Signal<&'static str>,
    saved: Signal<&'static str>,
    on_saved: Callback<()>,
    post: Option<FormPost>,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] danger: bool,
    #[prop(optional)] reset: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    C: Clone + Send + Sync + 'static,
    F: Fn(C) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<(), AppError>> + Send + 'static,
{
    let lang = use_lang();
    let common = use_texts();
    let mine = post
        .filter(|p| p.form == form && row.is_none_or(|(name, id)| p.value(name) == id.to_string()));
    let errors = FormErrors::from_post(mine.as_ref());
    let message = RwSignal::new(mine.as_ref().and_then(FormPost::message));
    provide_context(FormState {
        errors,
        kept: mine.clone(),
    });
    let node = NodeRef::<leptos::html::Form>::new();
    let change = Action::new(move |command: &C| send(command.clone()));
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            errors.clear();
            message.set(Some((true, saved.get_untracked().to_owned())));
            if reset {
                if let Some(element) = node.get_untracked() {
                    element.reset();
                }
            }
            on_saved.run(());
        }
        Some(Err(err)) => show_error(&err, message, errors),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(element) = node.get_untracked() else {
                return;
            };
            let pairs = form_pairs(&element);
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
                    .unwrap_or_default()
            };
            let all = |name: &str| {
                pairs
                    .iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
                    .collect()
            };
            match parse(form, &get, &all) {
                Ok(command) => {
                    errors.clear();
                    message.set(None);
                    change.dispatch(command);
                }
                Err(problems) => {
                    message.set(Some((
                        false,
                        AppError::Validation(problems.clone()).message(lang.get_untracked()),
                    )));
                    errors.show(problems);
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (parse, lang);
    };
    let pending = change.pending();
    let button_class = if danger {
        "button button-small button-danger"
    } else {
        "button button-small"
    };
    view! {
        <form node_ref=node class=format!("change-form {class}") method="post" action=path on:submit=on_submit novalidate>
            <input type="hidden" name=FORM_NAME value=form />
            {row.map(|(name, id)| view! { <input type="hidden" name=name value=id.to_string() /> })}
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            {children.map(|children| children())}
            <button type="submit" class=button_class disabled=move || pending.get()>
                {move || if pending.get() { common.get().sending } else { button.get() }}
            </button>
            <FormMessage message />
        </form>
    }
}

/// A labelled text input inside a [`ChangeForm`], with its problem below it.
#[component]
pub fn TextInput(
    label: Signal<&'static str>,
    field: crate::domain::Field,
    /// Makes the id unique on the page (a row's id).
    key: String,
    #[prop(optional)] value: String,
    #[prop(optional)] max: Option<u32>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] help: Option<Signal<&'static str>>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let state = use_form_state();
    let errors = state.errors;
    let id = format!("{}-{key}", field.id());
    let error_id = format!("{id}-erro");
    let help_id = format!("{id}-ajuda");
    let described = if help.is_some() {
        format!("{error_id} {help_id}")
    } else {
        error_id.clone()
    };
    let value = state.value(&field.id(), value);
    let invalid = move || errors.problem(field).is_some().then_some("true");
    let control = if multiline {
        view! {
            <textarea id=id.clone() name=field.id() maxlength=max.map(|m| m.to_string()) rows="4"
                aria-describedby=described aria-invalid=invalid>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=field.id() type=kind.unwrap_or("text") maxlength=max.map(|m| m.to_string())
                value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {control}
            {help.map(|help| view! { <p class="hint" id=help_id.clone()>{move || help.get()}</p> })}
            <p class="field-error" id=error_id aria-live="polite">
                {move || errors.problem(field).map(|p| p.message(use_lang().get()))}
            </p>
        </div>
    }
}
