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
    };
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
