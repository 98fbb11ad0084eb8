//! Attachment rules shared by the browser (refuse at once, before a byte is sent) and the
//! server (the authoritative check, which also looks at the content: see
//! `crate::server::attachments`). Limits are configurable; these are the defaults.

use serde::Serialize;

use crate::domain::Problem;

pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const DEFAULT_MAX_FILES: u32 = 10;
/// The multipart field that carries the file in `POST /anexos`.
pub const FILE_FIELD: &str = "arquivo";
/// Longest file name kept, in characters.
pub const NAME_MAX: usize = 200;

/// How much a request may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AttachmentLimits {
    pub max_bytes: u64,
    pub max_files: u32,
}

read_as_map!(AttachmentLimits {
    max_bytes,
    max_files,
});

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_files: DEFAULT_MAX_FILES,
        }
    }
}

/// A file as the server keeps it: what the browser lists and links to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

read_as_map!(AttachmentInfo {
    id,
    name,
    size,
    content_type,
});

/// What a file's content may be, by family; the name's extension must belong to the
/// family its content shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Pdf,
    Image,
    /// zip containers: zip itself, OOXML (docx, xlsx, pptx) and OpenDocument.
    Zip,
    /// OLE compound files: the older doc, xls, ppt.
    Ole,
    Rtf,
    Text,
}

/// The allowed extensions, their family and the content type they are served with.
const EXTENSIONS: &[(&str, Family, &str)] = &[
    ("pdf", Family::Pdf, "application/pdf"),
    ("png", Family::Image, "image/png"),
    ("jpg", Family::Image, "image/jpeg"),
    ("jpeg", Family::Image, "image/jpeg"),
    ("gif", Family::Image, "image/gif"),
    ("webp", Family::Image, "image/webp"),
    ("bmp", Family::Image, "image/bmp"),
    ("tif", Family::Image, "image/tiff"),
    ("tiff", Family::Image, "image/tiff"),
    ("zip", Family::Zip, "application/zip"),
    (
        "docx",
        Family::Zip,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        Family::Zip,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        Family::Zip,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (
        "odt",
        Family::Zip,
        "application/vnd.oasis.opendocument.text",
    ),
    (
        "ods",
        Family::Zip,
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    (
        "odp",
        Family::Zip,
        "application/vnd.oasis.opendocument.presentation",
    ),
    ("doc", Family::Ole, "application/msword"),
    ("xls", Family::Ole, "application/vnd.ms-excel"),
    ("ppt", Family::Ole, "application/vnd.ms-powerpoint"),
    ("rtf", Family::Rtf, "application/rtf"),
    ("txt", Family::Text, "text/plain; charset=utf-8"),
    ("csv", Family::Text, "text/csv; charset=utf-8"),
];

/// Every extension the server can check (administrators may allow fewer).
pub fn known_types() -> Vec<String> {
    EXTENSIONS
        .iter()
        .map(|(ext, _, _)| (*ext).to_owned())
        .collect()
}

/// The `accept` attribute of the file input: the allowed extensions.
pub fn accept_attribute() -> String {
    EXTENSIONS
        .iter()
        .map(|(ext, _, _)| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The lower-case extension of `name`, if it has one.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The family and content type an allowed name promises.
pub fn kind_of(name: &str) -> Option<(Family, &'static str)> {
    let ext = extension(name)?;
    EXTENSIONS
        .iter()
        .find(|(e, _, _)| *e == ext)
        .map(|(_, family, content_type)| (*family, *content_type))
}

/// A file name as given by the browser, checked: no path parts, no control characters,
/// not empty, not too long, and an allowed extension. Returns the trimmed name.
pub fn file_name(name: &str) -> Result<String, Problem> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().any(char::is_control)
        || name.contains(['/', '\\'])
        || name == "."
        || name.starts_with("..")
    {
        return Err(Problem::FileNameInvalid);
    }
    if name.chars().count() > NAME_MAX {
        return Err(Problem::FileNameInvalid);
    }
    if kind_of(name).is_none() {
        return Err(Problem::FileTypeNotAllowed);
    }
    Ok(name.to_owned())
}

/// The size check, before and while uploading.
pub fn file_size(size: u64, limits: AttachmentLimits) -> Result<(), Problem> {
    if size == 0 {
        Err(Problem::FileEmpty)
    } else if size > limits.max_bytes {
        Err(Problem::FileTooLarge)
    } else {
        Ok(())
    }
}

/// A size for people: "532 KB", "9,8 MB" (decimal comma in Portuguese).
pub fn human_size(bytes: u64, decimal_comma: bool) -> String {
    let text = if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    };
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_paths_or_control_characters_are_refused() {
        for bad in [
            "",
            "   ",
            "../etc/passwd.txt",
            "..\\boot.ini.txt",
            "a/b.pdf",
            "..pdf",
            "fatura\n.pdf",
            "fatura\u{0}.pdf",
            "nota\u{7f}.txt",
        ] {
            assert_eq!(
                file_name(bad),
                Err(Problem::FileNameInvalid),
                "{bad:?} should be refused"
            );
        }
        assert_eq!(
            file_name(&format!("{}.pdf", "a".repeat(NAME_MAX))),
            Err(Problem::FileNameInvalid)
        );
    }

    #[test]
    fn only_allowed_extensions_pass() {
        assert_eq!(
            file_name(" Fatura março.PDF "),
            Ok("Fatura março.PDF".into())
        );
        assert_eq!(file_name("planilha.xlsx"), Ok("planilha.xlsx".into()));
        assert_eq!(file_name("v1.2 notas.txt"), Ok("v1.2 notas.txt".into()));
        for bad in [
            "setup.exe",
            "script.sh",
            "semextensao",
            ".pdf",
            "pagina.html",
        ] {
            assert_eq!(file_name(bad), Err(Problem::FileTypeNotAllowed), "{bad}");
        }
        assert_eq!(kind_of("x.JPG"), Some((Family::Image, "image/jpeg")));
        assert!(accept_attribute().contains(".pdf,"));
    }

    #[test]
    fn sizes_are_checked_against_the_limit() {
        let limits = AttachmentLimits::default();
        assert_eq!(file_size(DEFAULT_MAX_BYTES, limits), Ok(()));
        assert_eq!(
            file_size(DEFAULT_MAX_BYTES + 1, limits),
            Err(Problem::FileTooLarge)
        );
        assert_eq!(file_size(0, limits), Err(Problem::FileEmpty));
        assert_eq!(human_size(10 * 1024 * 1024, true), "10,0 MB");
        assert_eq!(human_size(1500, false), "2 KB");
        assert_eq!(human_size(12, false), "12 B");
    }
}
