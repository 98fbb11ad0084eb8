//! Forms posted without JavaScript, as the page sees them. Every form is a real
//! `<form method="post">` to its own page, with a hidden [`FORM_NAME`] input naming it;
//! the server answers a plain post itself (`crate::server::forms`). When it refuses one,
//! it renders the page again with a [`FormPost`] in context: the values sent (secrets
//! left out) and the error, which the page shows exactly as its enhanced form shows a
//! server function's refusal (message at the top, problems beside their fields).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::locale::use_lang;

/// The name of the hidden input that says which form of a page was posted.
pub const FORM_NAME: &str = "_form";

/// A form the server received as a plain HTML post (no JavaScript) and refused: which
/// form (its `_form` name), the values sent, without passwords and the like, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormPost {
    pub form: String,
    pub values: Vec<(String, String)>,
    pub error: AppError,
}

impl FormPost {
    /// The first value sent under `name`, or "".
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// The message for the top of the form.
    pub fn message(&self) -> Option<(bool, String)> {
        Some((false, self.error.message(use_lang().get_untracked())))
    }
}

/// The refused post the page is rendered for, shared by the whole app.
#[derive(Clone)]
struct Posted(Option<FormPost>);

/// Called once, at the top of `App`: on the server, takes the refused post (if any) from
/// the render's context and writes it into the page's hydration data; in the browser,
/// reads it back, so the hydrated page starts from exactly what the server rendered. Read
/// with the resources' codec (`crate::resource::Json`), whose JSON reader the shell has
/// anyway: Leptos' default would bring a second reader for the post's types.
pub fn provide_form_post() {
    let post = leptos::server::SharedValue::<_, crate::resource::Json>::new_with_encoding(
        use_context::<FormPost>,
    )
    .into_inner();
    provide_context(Posted(post));
}

/// The refused post of the form named `form`, while the page rendered for it is on
/// screen: on the server, and in the browser while hydrating that page. A page reached
/// later by client-side navigation never sees it.
pub fn posted(form: &str) -> Option<FormPost> {
    posted_any().filter(|post| post.form == form)
}

/// The refused post, whichever form of the page it came from (for pages that hand each
/// of their forms its own); same rules as [`posted`].
pub fn posted_any() -> Option<FormPost> {
    still_posted(&use_context::<Posted>()?.0)
}

/// `post` again, for a part of the page built inside a suspense (read at the page's start,
/// as [`posted`] asks): `None` once hydration is over, so a part built again later (the
/// page's data reloaded, another tab, another activity) starts clean.
pub fn still_posted(post: &Option<FormPost>) -> Option<FormPost> {
    post.clone().filter(|_| hydrating_or_server())
}

fn hydrating_or_server() -> bool {
    // (The shared context is a trait object: its methods need no import.)
    #[cfg(feature = "hydrate")]
    {
        Owner::current_shared_context().is_some_and(|context| context.during_hydration())
    }
    #[cfg(not(feature = "hydrate"))]
    true
}

/// The hidden input naming a form. Every form has one: the server then knows which of
/// a page's forms it got, and the page which of them to show the refusal in.
#[component]
pub fn FormName(name: &'static str) -> impl IntoView {
    view! { <input type="hidden" name=FORM_NAME value=name /> }
}
