//! Evidence attached to progress reports (A7§1): what the server accepts, checked on the bytes.

/// The largest attachment the server stores: 10 MiB.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of evidence accepted: documents, scans and photos, spreadsheets.
pub const ACCEPTED_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "PDF"),
    ("image/png", "PNG"),
    ("image/jpeg", "JPEG"),
    ("image/webp", "WebP"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (.docx)",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (.xlsx)",
    ),
];

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum EvidenceError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file has {size} bytes; evidence may have at most {MAX_EVIDENCE_BYTES} bytes (10 MiB)"
    )]
    TooLarge { size: usize },
    #[error("the file's content is not an accepted kind of evidence (PDF, PNG, JPEG, WebP, .docx, .xlsx)")]
    UnacceptedType,
    #[error("the file says it is {declared} but its content is {detected}")]
    DeclaredTypeMismatch { declared: String, detected: String },
    #[error("a file name needs 1–255 characters and no path separators or control characters")]
    BadFileName,
}

/// A checked piece of evidence: its content type is the one its bytes show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Checks size, name and type (sniffed from the bytes; a declared type must agree).
pub fn check_evidence(
    file_name: &str,
    declared_type: Option<&str>,
    bytes: &[u8],
) -> Result<Evidence, EvidenceError> {
    if bytes.is_empty() {
        return Err(EvidenceError::Empty);
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(EvidenceError::TooLarge { size: bytes.len() });
    }
    let name = file_name.trim();
    let name_ok = (1..=255).contains(&name.chars().count())
        && !name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\');
    if !name_ok {
        return Err(EvidenceError::BadFileName);
    }
    let detected = infer::get(bytes)
        .map(|kind| kind.mime_type())
        .ok_or(EvidenceError::UnacceptedType)?;
    let content_type = ACCEPTED_TYPES
        .iter()
        .map(|(mime, _)| *mime)
        .find(|mime| *mime == detected)
        .ok_or(EvidenceError::UnacceptedType)?;
    if let Some(declared) = declared_type {
        let declared = declared
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let generic = matches!(
            declared.as_str(),
            "" | "application/octet-stream" | "application/zip"
        );
        if !generic && declared != content_type {
            return Err(EvidenceError::DeclaredTypeMismatch {
                declared,
                detected: content_type.to_string(),
            });
        }
    }
    Ok(Evidence {
        file_name: name.to_string(),
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    #[test]
    fn a_pdf_and_a_png_are_accepted_by_their_bytes() {
        // A7§1: progress reports carry evidence.
        let pdf = check_evidence("进展材料.pdf", Some("application/pdf"), PDF).unwrap();
        assert_eq!(pdf.content_type, "application/pdf");
        let png = check_evidence("照片.png", None, PNG).unwrap();
        assert_eq!(png.content_type, "image/png");
        assert_eq!(
            check_evidence("x.png", Some("application/octet-stream"), PNG)
                .unwrap()
                .content_type,
            "image/png"
        );
    }

    #[test]
    fn the_size_limit_is_10_mib_inclusive() {
        let mut at_limit = PDF.to_vec();
        at_limit.resize(MAX_EVIDENCE_BYTES, b' ');
        assert!(check_evidence("a.pdf", None, &at_limit).is_ok());
        at_limit.push(b' ');
        assert_eq!(
            check_evidence("a.pdf", None, &at_limit),
            Err(EvidenceError::TooLarge {
                size: MAX_EVIDENCE_BYTES + 1
            })
        );
        assert_eq!(
            check_evidence("a.pdf", None, &[]),
            Err(EvidenceError::Empty)
        );
    }

    #[test]
    fn other_content_or_a_lying_type_or_a_bad_name_is_refused() {
        assert_eq!(
            check_evidence("a.exe", None, b"MZ\x90\x00\x03\x00\x00\x00"),
            Err(EvidenceError::UnacceptedType)
        );
        assert_eq!(
            check_evidence("a.txt", None, b"plain text"),
            Err(EvidenceError::UnacceptedType)
        );
        assert!(matches!(
            check_evidence("a.pdf", Some("image/png"), PDF),
            Err(EvidenceError::DeclaredTypeMismatch { .. })
        ));
        assert_eq!(
            check_evidence("../etc/passwd", None, PDF),
            Err(EvidenceError::BadFileName)
        );
        assert_eq!(
            check_evidence("  ", None, PDF),
            Err(EvidenceError::BadFileName)
        );
    }
}
