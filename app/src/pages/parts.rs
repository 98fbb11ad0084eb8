//! Downloading a page group's code in the browser (a split part, `pack_<part>.wasm`), and
//! what happens when that download fails: on a weak signal a request can drop, and after
//! a new release an old tab asks for files that no longer exist.
//!
//! The split loader asks for a part a second time, a second after a failed first attempt
//! (`tools/wasm-split`). If that fails too, the page the server rendered is complete, and
//! its links and forms work as plain HTML, so the visitor is never stuck:
//! - the page the browser loaded first stays as the server sent it; the next page opened
//!   asks for its part afresh;
//! - a page opened later in the same tab, through the app's own navigation, is loaded
//!   from the server as a whole (`give_up`), as a browser without the bundle would.
//!
//! The split functions are declared `fallible` (`wasm_split`'s option), so a failed
//! download is an error here rather than a panic, which would stop the whole bundle.

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::AnyView;
pub use leptos::wasm_split::SplitLoaderError;

/// Declares a split part: a function whose code, and what only it uses, `scripts/build`
/// splits out of the main bundle into `pack_<name>.wasm`. In the browser it is a
/// `wasm_split` function (what Leptos' `#[lazy]` makes, but `fallible`: a failed download
/// is an error, not a panic) with `$preload`, which downloads the part; on the server, a
/// plain function. Either way the function is awaited and gives a `Result`, which is only
/// an error in the browser, when the part could not be downloaded.
macro_rules! split_part {
    ($(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) / $preload:ident $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "hydrate")]
        #[leptos::wasm_split::wasm_split(
            $name,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload(#[doc(hidden)] #[allow(non_snake_case)] $preload)
        )]
        fn $name($arg: $ty) -> Result<AnyView, $crate::pages::parts::SplitLoaderError> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "hydrate"))]
        async fn $name($arg: $ty) -> Result<AnyView, $crate::pages::parts::SplitLoaderError> {
            Ok($body)
        }

        // On the server the part is always here.
        #[cfg(not(feature = "hydrate"))]
        #[allow(dead_code, non_snake_case)]
        async fn $preload() -> Result<(), $crate::pages::parts::SplitLoaderError> {
            Ok(())
        }
    };
}

/// A page's [`deferred`] region: its split part (as [`split_part!`]), with what every such
/// page needs beside it, under fixed names (a page has at most one such region):
/// `DEFERRED_LOADED` (whether the part has been loaded in this browser), `prepare()` (for
/// the route's `then`: [`prepare_deferred`]) and `deferred_region(args, wanted)` (the
/// region, rendered from `args`: [`deferred`]).
macro_rules! deferred_part {
    ($(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) / $preload:ident $body:block) => {
        split_part! { $(#[$doc])* fn $name($arg: $ty) / $preload $body }

        /// Whether the region's part has been loaded in this browser.
        static DEFERRED_LOADED: std::sync::atomic::AtomicBool =
            std::sync::atomic::AtomicBool::new(false);

        /// Run by the route before the page is hydrated or shown
        /// (`parts::prepare_deferred`).
        pub fn prepare() -> impl std::future::Future<Output = ()> + 'static {
            $crate::pages::parts::prepare_deferred(&DEFERRED_LOADED, $preload)
        }

        /// The region, rendered from `args`; `wanted`: its code is asked for at once
        /// (`parts::deferred`).
        fn deferred_region(args: $ty, wanted: bool) -> AnyView {
            $crate::pages::parts::deferred(args, wanted, &DEFERRED_LOADED, $preload, $name)
        }
    };
}

/// A future's value if it has one without waiting: a lazy function whose part is loaded
/// (on the server, every split part's function).
pub fn ready_now<T>(future: impl std::future::Future<Output = T>) -> Option<T> {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}

/// A region of a page whose code is a split part of its own (`split_part!`, with
/// `loaded` recording that its `preload` succeeded), so that the page's first download
/// leaves it out: a form the visitor has not started to fill in yet.
///
/// The server renders the region with the page, inside `<div class="deferred">`. In the
/// browser:
/// - on the page the browser loaded, the page is hydrated without the region, which stays
///   the server's HTML: its fields take typing, and its forms post as they do without the
///   WebAssembly. At the first sign that the visitor is about to use it (the pointer over
///   it, a touch, the focus, typing, a file dragged in) its code is fetched and the region
///   hydrated where it stands; what was typed meanwhile is kept and checked
///   (`form::keep_typed`). A form sent meanwhile (Enter, a click), a button that needs the
///   code clicked meanwhile and files dropped meanwhile wait for the code, and are then
///   sent, clicked or taken as if it had been there (`data-ready` marks the region once it
///   is); if the code cannot be had, the form is sent as a plain post, as without the
///   WebAssembly; another language chosen meanwhile asks for the code too, and the region,
///   hydrated as the server rendered it, is then shown in that language;
/// - `wanted` asks for the code at once, on a page that knows it will be used (a draft to
///   bring back);
/// - on a page opened through the app's own navigation, the route has fetched the part
///   beforehand (`prepare_deferred`), and the region is rendered at once;
/// - a region the browser renders while its part is not here (the list of a page whose
///   query changed, which the route did not prepare for) says "Carregando…" until the
///   part arrives, and if it cannot be had the page is loaded from the server.
pub fn deferred<A, V, F, P, PF>(
    args: A,
    wanted: bool,
    loaded: &'static AtomicBool,
    preload: P,
    part: V,
) -> AnyView
where
    A: Clone + 'static,
    V: Fn(A) -> F + Copy + Send + Sync + 'static,
    F: std::future::Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
    P: Fn() -> PF + Copy + Send + Sync + 'static,
    PF: std::future::Future<Output = Result<(), SplitLoaderError>> + 'static,
{
    use leptos::prelude::*;
    if (cfg!(not(feature = "hydrate")) || loaded.load(Ordering::Relaxed))
        && let Some(Ok(view)) = ready_now(part(args.clone()))
    {
        // `data-ready` only on a region the browser renders whole (the server's is not
        // ready until hydrated).
        let ready = cfg!(feature = "hydrate").then_some("");
        return view! { <div class="deferred" data-ready=ready>{view}</div> }.into_any();
    }
    #[cfg(feature = "hydrate")]
    return {
        use wasm_bindgen::JsCast;
        let node = NodeRef::<leptos::html::Div>::new();
        // The region's views live under an owner of their own, below the page's.
        let owner = StoredValue::new(Owner::new());
        // The region is hydrated in the language the server rendered it in, whatever was
        // chosen since (hydration takes the server's texts as they are), then follows the
        // interface's language: its own language signal, set from the page's once
        // hydrated.
        let lang = crate::locale::use_lang();
        let rendered_lang = lang.get_untracked();
        let region_lang = RwSignal::new(rendered_lang);
        owner
            .get_value()
            .with(|| provide_context(crate::locale::Locale(region_lang)));
        let args = StoredValue::new_local(args);
        let stage = StoredValue::new(Stage::Waiting);
        // Whether the browser renders the region (nothing from the server to hydrate).
        let built = StoredValue::new(false);
        // A form sent before the code arrived, with the button that sent it; a button that
        // only works with the code (`type="button"`), clicked before it arrived.
        let pending = StoredValue::new_local(
            None::<(web_sys::HtmlFormElement, Option<web_sys::HtmlElement>)>,
        );
        let clicked = StoredValue::new_local(None::<web_sys::HtmlElement>);

        let start = move || {
            if stage.get_value() != Stage::Waiting {
                return;
            }
            stage.set_value(Stage::Fetching);
            let args = args.get_value();
            owner.get_value().with(|| {
                leptos::task::spawn_local_scoped_with_cancellation(async move {
                    let view = match preload().await {
                        Ok(()) => {
                            loaded.store(true, Ordering::Relaxed);
                            part(args).await
                        }
                        Err(err) => Err(err),
                    };
                    let Some(div) = node.get_untracked() else {
                        return;
                    };
                    match view {
                        Ok(view) => {
                            let state = if built.get_value() {
                                div.set_text_content(None);
                                let mut state = view.build();
                                state.mount(&div, None);
                                state
                            } else {
                                view.hydrate_from::<true>(&div)
                            };
                            // Kept as long as the region's owner.
                            StoredValue::new_local(state);
                            Effect::new(move |_| {
                                let now = lang.get();
                                if region_lang.get_untracked() != now {
                                    region_lang.set(now);
                                }
                            });
                            stage.set_value(Stage::Ready);
                            let _ = div.set_attribute("data-ready", "");
                        }
                        Err(_) => {
                            stage.set_value(Stage::Failed);
                            // A region the browser was to render has nothing to show: the
                            // page comes from the server whole.
                            if built.get_value() {
                                let _ = window().location().reload();
                            }
                        }
                    }
                    // A button clicked meanwhile is clicked again; a form sent meanwhile
                    // goes now: to the region's own handler, or as a plain post. Once
                    // the region's effects have run (a timeout comes after them), so
                    // that what was typed meanwhile is in its signals.
                    set_timeout(
                        move || {
                            if let Some(button) = clicked.try_update_value(Option::take).flatten()
                                && stage.get_value() == Stage::Ready
                            {
                                button.click();
                            }
                            if let Some((form, submitter)) =
                                pending.try_update_value(Option::take).flatten()
                            {
                                let _ = form.request_submit_with_submitter(submitter.as_ref());
                            }
                        },
                        std::time::Duration::ZERO,
                    );
                });
            });
        };

        // After hydration: when the page says so (`wanted`), with the focus already inside
        // (an autofocused field) or with nothing rendered by the server, the code is wanted
        // now. In the last case the region says it is loading meanwhile.
        Effect::new(move |_| {
            if let Some(div) = node.get() {
                let focused = document()
                    .active_element()
                    .is_some_and(|el| div.contains(Some(&el)));
                // A region rendered again with other arguments (a list after a search) keeps
                // its element, which still shows the region before: the server's once, but
                // nothing to hydrate now. Marked the first time a region is seen.
                let reused = div.has_attribute("data-seen");
                let _ = div.set_attribute("data-seen", "");
                if reused || !div.has_child_nodes() {
                    built.set_value(true);
                    div.set_text_content(None);
                    if let Ok(status) = document().create_element("p") {
                        status.set_class_name("loading");
                        let _ = status.set_attribute("role", "status");
                        status.set_text_content(Some(lang.get_untracked().texts().loading));
                        let _ = div.append_child(&status);
                    }
                }
                if wanted || focused || built.get_value() {
                    start();
                }
            }
        });

        // Another language chosen before the region was used: its code is wanted now, to
        // show the region in that language.
        Effect::new(move |_| {
            if lang.get() != rendered_lang {
                start();
            }
        });

        let on_submit = move |ev: web_sys::SubmitEvent| {
            if matches!(stage.get_value(), Stage::Ready | Stage::Failed) {
                return;
            }
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            ev.prevent_default();
            pending.set_value(Some((form, ev.submitter().and_then(|s| s.dyn_into().ok()))));
            start();
        };
        // Until the code is here (or known to be lost), a file dragged in may be dropped
        // here rather than opened by the browser in place of the page; it waits.
        let waiting = move || matches!(stage.get_value(), Stage::Waiting | Stage::Fetching);
        let on_dragover = move |ev: web_sys::DragEvent| {
            if waiting() {
                ev.prevent_default();
                start();
            }
        };
        let on_drop = move |ev: web_sys::DragEvent| {
            if !waiting() {
                return;
            }
            ev.prevent_default();
            if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
                EARLY_FILES.with(|files| {
                    files
                        .borrow_mut()
                        .extend((0..list.length()).filter_map(|i| list.get(i)));
                });
            }
            start();
        };

        let on_click = move |ev: web_sys::MouseEvent| {
            if !waiting() {
                return;
            }
            let button = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("button[type=button]").ok().flatten())
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = button {
                clicked.set_value(Some(button));
                start();
            }
        };

        view! {
            <div
                class="deferred"
                node_ref=node
                on:pointerover=move |_| start()
                on:pointerdown=move |_| start()
                on:focusin=move |_| start()
                on:input=move |_| start()
                on:submit=on_submit
                on:click=on_click
                on:dragover=on_dragover
                on:drop=on_drop
            ></div>
        }
        .into_any()
    };
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (preload, wanted);
        ().into_any()
    }
}

/// Run by a route whose page has a [`deferred`] region, before the page is hydrated or
/// shown (`lazy_page!`'s `then`): on a page opened through the app's own navigation the
/// region's part is fetched alongside the page's (a failure is dealt with as the page's
/// own: `give_up`); on the page the browser loaded, it waits for the visitor.
pub fn prepare_deferred<P, PF>(
    loaded: &'static AtomicBool,
    preload: P,
) -> impl std::future::Future<Output = ()> + 'static
where
    P: Fn() -> PF + 'static,
    PF: std::future::Future<Output = Result<(), SplitLoaderError>> + 'static,
{
    #[cfg(target_arch = "wasm32")]
    let fetch = SHOWN.load(Ordering::Relaxed) && !loaded.load(Ordering::Relaxed);
    // Started now, so that it runs alongside the page's part; the future below joins it
    // (the split loader fetches a part once, whoever asks).
    #[cfg(target_arch = "wasm32")]
    if fetch {
        let started = preload();
        leptos::task::spawn_local(async move {
            let _ = started.await;
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (loaded, &preload);
    async move {
        #[cfg(target_arch = "wasm32")]
        if fetch {
            if preload().await.is_ok() {
                loaded.store(true, Ordering::Relaxed);
            } else {
                give_up().await;
            }
        }
    }
}

/// A router URL as an address to load: its path, query and fragment.
pub fn address(path: &str, search: &str, hash: &str) -> String {
    let mut href = String::with_capacity(path.len() + search.len() + hash.len() + 1);
    href.push_str(path);
    if !search.is_empty() {
        href.push('?');
        href.push_str(search);
    }
    href.push_str(hash);
    href
}

/// Whether a page has been shown by the app in this document (its part was had).
#[cfg(target_arch = "wasm32")]
static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// After the part of the route being opened could not be had (called under the route's
/// owner, whose URL is the one being opened): unless this is the page the browser loaded,
/// which the server rendered and the app has not replaced, that URL is loaded as a whole
/// page. Never resolves, so that the router neither hydrates nor shows a page without its
/// code.
#[cfg(target_arch = "wasm32")]
pub async fn give_up() {
    use leptos::prelude::WithUntracked;
    let href = leptos_router::hooks::use_url()
        .with_untracked(|url| address(url.path(), url.search(), url.hash()));
    let location = leptos::prelude::window().location();
    let here = match (location.origin(), location.href()) {
        (Ok(origin), Ok(here)) => here.strip_prefix(&origin) == Some(&href),
        _ => false,
    };
    // The router moves the address bar only once a page is ready, so it still shows the
    // page before, and the new page gets its own history entry; except after Back or
    // Forward, where the browser has moved it already: the entry is then replaced rather
    // than doubled.
    if !here {
        let _ = location.assign(&href);
    } else if SHOWN.load(std::sync::atomic::Ordering::Relaxed) {
        let _ = location.replace(&href);
    }
    std::future::pending::<()>().await;
}

/// A lazy route's view, which the router asks for only once the route's `preload` has had
/// the part (on the server there is none to have): the error is never seen.
#[inline(never)]
pub fn shown(view: Result<leptos::prelude::AnyView, SplitLoaderError>) -> leptos::prelude::AnyView {
    use leptos::prelude::IntoAny;
    #[cfg(target_arch = "wasm32")]
    SHOWN.store(true, std::sync::atomic::Ordering::Relaxed);
    view.unwrap_or_else(|_| ().into_any())
}

// Files dropped on a deferred region before its code arrived, for the region to take once
// it is hydrated (`take_early_files`).
#[cfg(feature = "hydrate")]
thread_local! {
    static EARLY_FILES: std::cell::RefCell<Vec<web_sys::File>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The files dropped on a deferred region before its code arrived (browser only).
#[cfg(feature = "hydrate")]
pub fn take_early_files() -> Vec<web_sys::File> {
    EARLY_FILES.with(|files| std::mem::take(&mut *files.borrow_mut()))
}

/// Where a deferred region stands in the browser.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    /// The server's HTML, its code not asked for.
    Waiting,
    Fetching,
    /// Hydrated (or built): the region's own handlers answer.
    Ready,
    /// The code could not be had: the region stays plain HTML.
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_keeps_the_query_and_fragment() {
        assert_eq!(address("/meus-tickets", "", ""), "/meus-tickets");
        assert_eq!(
            address("/meus-tickets/12", "aba=historico", "#main"),
            "/meus-tickets/12?aba=historico#main"
        );
        assert_eq!(address("/busca", "", "#x"), "/busca#x");
    }
}
