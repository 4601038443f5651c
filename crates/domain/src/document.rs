//! Documents attached to a person or an episode (ADR 0043): what kind each is, which files are
//! accepted (by what their bytes say they are, not only by their name), and how a file's name
//! is kept safe to show and to send back.

/// What a document is, as the person uploading it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    SignedConsent,
    Report,
    Photo,
    /// A letter Hearth made (the family plan, a TAF invitation, a closure letter).
    Letter,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::SignedConsent,
        DocumentKind::Report,
        DocumentKind::Photo,
        DocumentKind::Letter,
        DocumentKind::Other,
    ];

    /// The kinds a person may choose when uploading (letters are made by Hearth).
    pub const UPLOADED: [DocumentKind; 4] = [
        DocumentKind::SignedConsent,
        DocumentKind::Report,
        DocumentKind::Photo,
        DocumentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::SignedConsent => "signed_consent",
            DocumentKind::Report => "report",
            DocumentKind::Photo => "photo",
            DocumentKind::Letter => "letter",
            DocumentKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::SignedConsent => "Signed consent",
            DocumentKind::Report => "Report",
            DocumentKind::Photo => "Photo",
            DocumentKind::Letter => "Letter",
            DocumentKind::Other => "Other document",
        }
    }
}

/// The kinds of file Hearth accepts, each known by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    /// A Word document (Office Open XML).
    Docx,
}

impl FileType {
    pub const ALL: [FileType; 4] = [FileType::Pdf, FileType::Png, FileType::Jpeg, FileType::Docx];

    /// The name used in configuration (`documents_types`) and in the database.
    pub fn code(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpeg",
            FileType::Docx => "docx",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// As a person names it.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Png => "PNG image",
            FileType::Jpeg => "JPEG image",
            FileType::Docx => "Word document",
        }
    }

    /// The endings a file of this type may have in its name.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Docx => &["docx"],
        }
    }

    /// What the bytes are, from their opening signature; `None` for anything else.
    pub fn of(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(b"PK\x03\x04") && contains(bytes, b"word/") {
            // A zip is a Word document only if it holds the Word part.
            Some(FileType::Docx)
        } else {
            None
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The partnership's limits on uploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadLimits {
    pub max_bytes: usize,
    pub types: Vec<FileType>,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            types: FileType::ALL.to_vec(),
        }
    }
}

/// Why a file was not accepted, each said as what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge {
        max_bytes: usize,
    },
    /// Its content is none of the types accepted.
    TypeNotAccepted {
        accepted: Vec<FileType>,
    },
    /// Its name says one type and its content another.
    NameDoesNotMatch {
        content: FileType,
    },
}

impl FileProblem {
    pub fn message(&self) -> String {
        match self {
            FileProblem::Empty => "The selected file is empty. Choose the file again".into(),
            FileProblem::TooLarge { max_bytes } => {
                format!("The selected file must be smaller than {}", size(*max_bytes))
            }
            FileProblem::TypeNotAccepted { accepted } => format!(
                "The selected file must be a {}",
                or_list(&accepted.iter().map(|t| t.label()).collect::<Vec<_>>())
            ),
            FileProblem::NameDoesNotMatch { content } => format!(
                "The selected file is a {} but its name ends differently. Rename it to end in .{} and choose it again",
                content.label(),
                content.extensions()[0]
            ),
        }
    }
}

fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A size as people read it: "10 MB", "300 KB", "68 bytes".
pub fn size(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Checks a file against the limits: its size, then what its content is, then that its name
/// does not claim another type (a photo named `.pdf` would open wrongly, or hide what it is).
pub fn check(name: &str, bytes: &[u8], limits: &UploadLimits) -> Result<FileType, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(FileProblem::TooLarge {
            max_bytes: limits.max_bytes,
        });
    }
    let Some(content) = FileType::of(bytes).filter(|t| limits.types.contains(t)) else {
        return Err(FileProblem::TypeNotAccepted {
            accepted: limits.types.clone(),
        });
    };
    let ending = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let names_another = FileType::ALL
        .into_iter()
        .any(|t| t != content && t.extensions().contains(&ending.as_str()));
    if names_another {
        return Err(FileProblem::NameDoesNotMatch { content });
    }
    Ok(content)
}

/// A file's name as kept: the last part of any path a browser sent, without control
/// characters or quotes (it goes back in a `Content-Disposition` header), at most 120
/// characters; "document" when nothing is left.
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    let kept = kept.trim().trim_start_matches('.').to_string();
    if kept.is_empty() {
        "document".into()
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];

    #[test]
    fn files_are_known_by_their_content() {
        let cases: &[(&[u8], Option<FileType>)] = &[
            (PDF, Some(FileType::Pdf)),
            (PNG, Some(FileType::Png)),
            (JPEG, Some(FileType::Jpeg)),
            (b"PK\x03\x04....word/document.xml", Some(FileType::Docx)),
            (b"PK\x03\x04....xl/workbook.xml", None),
            (b"MZ\x90\0 an executable", None),
            (b"<html><script>", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(FileType::of(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn a_file_is_checked_for_size_type_and_name() {
        let limits = UploadLimits {
            max_bytes: 100,
            types: vec![FileType::Pdf, FileType::Png],
        };
        let big = [PDF, &[b' '; 100]].concat();
        let cases: &[(&str, &[u8], Result<FileType, FileProblem>)] = &[
            ("consent.pdf", PDF, Ok(FileType::Pdf)),
            ("CONSENT.PDF", PDF, Ok(FileType::Pdf)),
            ("scan", PDF, Ok(FileType::Pdf)),
            ("scan.tmp", PNG, Ok(FileType::Png)),
            ("photo.png", PNG, Ok(FileType::Png)),
            ("empty.pdf", b"", Err(FileProblem::Empty)),
            (
                "big.pdf",
                &big,
                Err(FileProblem::TooLarge { max_bytes: 100 }),
            ),
            (
                "photo.jpg",
                JPEG,
                Err(FileProblem::TypeNotAccepted {
                    accepted: vec![FileType::Pdf, FileType::Png],
                }),
            ),
            (
                "run.pdf",
                b"MZ\x90\0",
                Err(FileProblem::TypeNotAccepted {
                    accepted: vec![FileType::Pdf, FileType::Png],
                }),
            ),
            (
                "photo.pdf",
                PNG,
                Err(FileProblem::NameDoesNotMatch {
                    content: FileType::Png,
                }),
            ),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(&check(name, bytes, &limits), want, "{name}");
        }
    }

    #[test]
    fn problems_say_what_to_do() {
        assert_eq!(
            FileProblem::TooLarge {
                max_bytes: 10 * 1024 * 1024
            }
            .message(),
            "The selected file must be smaller than 10 MB"
        );
        assert_eq!(
            FileProblem::TypeNotAccepted {
                accepted: FileType::ALL.to_vec()
            }
            .message(),
            "The selected file must be a PDF, PNG image, JPEG image or Word document"
        );
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        for (bytes, want) in [
            (68, "68 bytes"),
            (2048, "2 KB"),
            (10 * 1024 * 1024, "10 MB"),
            (1536 * 1024, "1.5 MB"),
        ] {
            assert_eq!(size(bytes), want);
        }
    }

    #[test]
    fn names_are_kept_safe() {
        for (sent, want) in [
            ("C:\\Users\\me\\consent form.pdf", "consent form.pdf"),
            ("../../etc/passwd", "passwd"),
            ("a\"b;c\r\n.pdf", "abc.pdf"),
            ("", "document"),
            ("..", "document"),
            (".hidden.pdf", "hidden.pdf"),
        ] {
            assert_eq!(safe_name(sent), want, "{sent:?}");
        }
        assert_eq!(safe_name(&"x".repeat(300)).chars().count(), 120);
    }
}
