//! The pages' resources, with one JSON decoder shared with the server functions.
//!
//! A resource's value arrives twice over: serialised into the page by the server (read once
//! while hydrating) and, on later changes, as the answer of the server function that loads
//! it. Leptos' default codec reads the first with `serde_json::from_str` and the server
//! functions read the second with `serde_json::from_slice`; the two readers are different
//! types, so the browser bundle carried every resource type's deserialiser twice. [`Json`]
//! reads both from bytes, so the page's value and the server function's answer share one
//! deserialiser. The text is the same JSON either way.

use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON written with `serde_json`, read from bytes as server functions read their answers.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// A page's resource (see the module's documentation).
pub type Resource<T> = leptos::prelude::Resource<T, Json>;

/// A resource that loads with `fetcher` whenever `source` changes (`Resource::new`, with
/// [`Json`] as its codec).
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::Json;
    use leptos::server::codee::{Decoder, Encoder};

    #[test]
    fn a_value_comes_back_as_it_was_written() {
        let value: Result<Vec<(u32, String)>, String> = Ok(vec![(7, "São Paulo".into())]);
        let text = <Json as Encoder<_>>::encode(&value).unwrap_or_default();
        assert_eq!(text, r#"{"Ok":[[7,"São Paulo"]]}"#);
        let back: Result<Result<Vec<(u32, String)>, String>, _> =
            <Json as Decoder<_>>::decode(text.as_str());
        assert_eq!(back.ok(), Some(value));
        let bad: Result<u32, _> = <Json as Decoder<_>>::decode("\"x\"");
        assert!(bad.is_err());
    }
}
