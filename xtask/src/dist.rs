//! Turns the freshly built `frontend/dist` into what is deployed: content-hashed asset names
//! under `assets/` (cached for a year by the server), and `.br`/`.gz` files next to every
//! compressible file (served by the server's `ServeDir` instead of compressing per request).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use sha2::{Digest as _, Sha256};

/// The directory under `dist` that holds the content-hashed assets. The server serves it with
/// `Cache-Control: public, max-age=31536000, immutable` (backend/src/http/mod.rs).
pub const ASSETS_DIR: &str = "assets";

/// The files that get a content hash, in the order they must be hashed: each one's content
/// may name the ones before it (boot.js imports app.js, which names app_bg.wasm).
const FINGERPRINTED: [&str; 4] = ["app_bg.wasm", "app.js", "boot.js", "styles.css"];

/// What index.html itself must name (boot.js names app.js and app_bg.wasm).
const INDEX_REFERENCES: [&str; 2] = ["boot.js", "styles.css"];

/// Files smaller than this are not worth a precompressed copy.
const PRECOMPRESS_MIN_BYTES: usize = 512;

/// `app_bg.wasm` with content `bytes` → `app_bg-0123456789abcdef.wasm` (the first 64 bits of
/// its SHA-256, hex).
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{hash}.{extension}"),
        None => format!("{name}-{hash}"),
    }
}

/// Replaces every `/name` (absolute, as index.html and boot.js write them) and every quoted
/// `'name'` (as wasm-bindgen's default path in app.js) by the hashed path.
fn rewrite_references(text: &str, renames: &[(String, String)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in renames {
        text = text.replace(&format!("\"/{from}\""), &format!("\"/{ASSETS_DIR}/{to}\""));
        text = text.replace(&format!("'{from}'"), &format!("'{to}'"));
    }
    text
}

/// Moves the [`FINGERPRINTED`] files of `dist` to `dist/assets/<stem>-<hash>.<ext>`, rewriting
/// the references to them in the files that follow and in index.html. Fails when index.html
/// does not name one of them: a renamed file must not silently become a broken page.
pub fn fingerprint(dist: &Path) -> Result<Vec<(String, String)>> {
    let assets = dist.join(ASSETS_DIR);
    std::fs::create_dir_all(&assets)
        .with_context(|| format!("could not create {}", assets.display()))?;
    let mut renames: Vec<(String, String)> = Vec::new();
    for name in FINGERPRINTED {
        let source = dist.join(name);
        let bytes = std::fs::read(&source)
            .with_context(|| format!("could not read {}", source.display()))?;
        let bytes = if name.ends_with(".wasm") {
            bytes
        } else {
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{} is not UTF-8", source.display()))?;
            rewrite_references(&text, &renames).into_bytes()
        };
        let hashed = hashed_name(name, &bytes);
        let destination = assets.join(&hashed);
        std::fs::write(&destination, &bytes)
            .with_context(|| format!("could not write {}", destination.display()))?;
        std::fs::remove_file(&source)
            .with_context(|| format!("could not remove {}", source.display()))?;
        renames.push((name.to_owned(), hashed));
    }

    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .with_context(|| format!("could not read {}", index.display()))?;
    for from in INDEX_REFERENCES {
        if !html.contains(&format!("\"/{from}\"")) {
            bail!("{} does not reference \"/{from}\"", index.display());
        }
    }
    std::fs::write(&index, rewrite_references(&html, &renames))
        .with_context(|| format!("could not write {}", index.display()))?;
    Ok(renames)
}

/// Whether a file is worth serving compressed (images in PNG are compressed already).
fn is_compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("html" | "js" | "wasm" | "css" | "svg" | "json" | "webmanifest" | "txt")
    )
}

/// Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) next to every
/// compressible file of `dir` (recursively), when the copy is smaller than the original.
pub fn precompress(dir: &Path) -> Result<()> {
    for path in files_under(dir)? {
        if !is_compressible(&path) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        if bytes.len() < PRECOMPRESS_MIN_BYTES {
            continue;
        }
        for (extension, compressed) in [("br", brotli_bytes(&bytes)?), ("gz", gzip_bytes(&bytes)?)]
        {
            if compressed.len() < bytes.len() {
                let mut name = path.as_os_str().to_owned();
                name.push(".");
                name.push(extension);
                std::fs::write(&name, compressed).with_context(|| {
                    format!("could not write {}", PathBuf::from(&name).display())
                })?;
            }
        }
    }
    Ok(())
}

/// Every file under `dir`, sorted, in subdirectories too.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .with_context(|| format!("could not read {}", current.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

pub fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

pub fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut output = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut output, &params)
        .context("brotli compression failed")?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_extension_and_change_with_the_content() {
        let first = hashed_name("app_bg.wasm", b"one");
        assert!(
            first.starts_with("app_bg-") && first.ends_with(".wasm"),
            "{first}"
        );
        assert_eq!(first.len(), "app_bg-".len() + 16 + ".wasm".len());
        assert_eq!(first, hashed_name("app_bg.wasm", b"one"));
        assert_ne!(first, hashed_name("app_bg.wasm", b"two"));
    }

    #[test]
    fn fingerprinting_renames_the_assets_and_rewrites_every_reference() {
        let dist = tempfile_dir();
        std::fs::write(dist.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(
            dist.join("app.js"),
            "new URL('app_bg.wasm', import.meta.url)",
        )
        .unwrap();
        std::fs::write(
            dist.join("boot.js"),
            "import init from \"/app.js\"; init({ module_or_path: \"/app_bg.wasm\" });",
        )
        .unwrap();
        std::fs::write(dist.join("styles.css"), "body{}").unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<link href=\"/styles.css\"><link href=\"/app.js\"><link href=\"/app_bg.wasm\">\
             <script src=\"/boot.js\"></script>",
        )
        .unwrap();

        let renames = fingerprint(&dist).unwrap();
        let name = |plain: &str| {
            renames
                .iter()
                .find(|(from, _)| from == plain)
                .unwrap()
                .1
                .clone()
        };
        let assets = dist.join(ASSETS_DIR);
        for plain in FINGERPRINTED {
            assert!(!dist.join(plain).exists(), "{plain} moved");
            assert!(assets.join(name(plain)).is_file(), "{plain} is in assets/");
        }
        let app = std::fs::read_to_string(assets.join(name("app.js"))).unwrap();
        assert!(app.contains(&format!("'{}'", name("app_bg.wasm"))), "{app}");
        let boot = std::fs::read_to_string(assets.join(name("boot.js"))).unwrap();
        assert!(
            boot.contains(&format!("\"/assets/{}\"", name("app.js"))),
            "{boot}"
        );
        assert!(
            boot.contains(&format!("\"/assets/{}\"", name("app_bg.wasm"))),
            "{boot}"
        );
        let html = std::fs::read_to_string(dist.join("index.html")).unwrap();
        for plain in FINGERPRINTED {
            assert!(
                html.contains(&format!("\"/assets/{}\"", name(plain))),
                "{html}"
            );
            assert!(!html.contains(&format!("\"/{plain}\"")), "{html}");
        }
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn fingerprinting_fails_when_index_html_does_not_name_an_asset() {
        let dist = tempfile_dir();
        for plain in FINGERPRINTED {
            std::fs::write(dist.join(plain), "x").unwrap();
        }
        std::fs::write(
            dist.join("index.html"),
            "<script src=\"/boot.js\"></script>",
        )
        .unwrap();
        let error = fingerprint(&dist).unwrap_err();
        assert!(error.to_string().contains("does not reference"), "{error}");
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn precompressed_copies_decompress_to_the_original() {
        let dist = tempfile_dir();
        let text = "后续扶持 ".repeat(500);
        std::fs::write(dist.join("index.html"), &text).unwrap();
        std::fs::write(dist.join("icon.png"), &text).unwrap();
        std::fs::write(dist.join("tiny.js"), "x").unwrap();
        precompress(&dist).unwrap();

        let gz = std::fs::read(dist.join("index.html.gz")).unwrap();
        let mut unzipped = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
            .unwrap();
        assert_eq!(unzipped, text);
        let br = std::fs::read(dist.join("index.html.br")).unwrap();
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, text.as_bytes());
        assert!(
            !dist.join("icon.png.br").exists(),
            "PNG is not recompressed"
        );
        assert!(!dist.join("tiny.js.br").exists(), "tiny files are skipped");
        std::fs::remove_dir_all(&dist).unwrap();
    }

    /// A fresh empty directory under the system temp dir (no tempfile dependency for xtask).
    fn tempfile_dir() -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-dist-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
