//! Reading a cookie out of a `Cookie` header (server) or `document.cookie` (browser):
//! both are `name=value` pairs separated by `;`.

pub fn find<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| value.trim())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_exact_names_only() {
        let header = "a=1; atende_session=abc; xatende_session=no";
        assert_eq!(super::find(header, "atende_session"), Some("abc"));
        assert_eq!(super::find(header, "a"), Some("1"));
        assert_eq!(super::find(header, "b"), None);
        assert_eq!(super::find("", "a"), None);
    }
}
