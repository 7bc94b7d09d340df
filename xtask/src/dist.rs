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

/// The app's modules: the main wasm, its JavaScript glue, the link module that loads the
/// pages' wasm modules (`split::LINK_MODULE`), and those modules (`split_*.wasm`,
/// `chunk_*.wasm`). app.js imports the link module and the link module imports app.js, so no
/// order of hashing one file after another exists: the group is named by one hash of all of
/// its files (see [`group_hash`]).
fn is_app_module(name: &str) -> bool {
    matches!(name, "app_bg.wasm" | "app.js" | super::split::LINK_MODULE) || is_page_module(name)
}

/// A module split off the main wasm, fetched only when a page needs it: `split_<page>.wasm`,
/// or `chunk_<n>.wasm` (code that several pages share). Also after fingerprinting
/// (`assets/split_<page>-<hash>.wasm`).
pub fn is_page_module(name: &str) -> bool {
    let name = name.rsplit('/').next().unwrap_or(name);
    name.ends_with(".wasm") && (name.starts_with("split_") || name.starts_with("chunk_"))
}

/// The files hashed one by one after the app's modules, in order: each one's content may name
/// the ones before it (boot.js imports app.js and names app_bg.wasm).
const FINGERPRINTED_AFTER: [&str; 2] = ["boot.js", "styles.css"];

/// What index.html itself must name (boot.js names app.js and app_bg.wasm).
const INDEX_REFERENCES: [&str; 2] = ["boot.js", "styles.css"];

/// Files smaller than this are not worth a precompressed copy.
const PRECOMPRESS_MIN_BYTES: usize = 512;

/// The first 64 bits of a SHA-256 digest, hex.
fn short_hash(digest: &[u8]) -> String {
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `app_bg.wasm` with hash `h` → `app_bg-h.wasm`.
fn name_with_hash(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{hash}.{extension}"),
        None => format!("{name}-{hash}"),
    }
}

/// `app_bg.wasm` with content `bytes` → `app_bg-0123456789abcdef.wasm` (the first 64 bits of
/// its SHA-256, hex).
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    name_with_hash(name, &short_hash(&Sha256::digest(bytes)))
}

/// One hash of several files, names and contents (length-prefixed, so that no two different
/// groups hash alike by moving bytes from one file to the next). Every file's final content
/// is its content here with the group's names written in, so the names change whenever any
/// content does.
fn group_hash(files: &[(String, Vec<u8>)]) -> String {
    let mut hasher = Sha256::new();
    for (name, bytes) in files {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    short_hash(&hasher.finalize())
}

/// Replaces every `/name` (absolute, as index.html and boot.js write them), every `./name` that
/// is imported or fetched (`from "./name"`, `URL("./name"`: how the app's modules name each
/// other) and every quoted `'name'` (as wasm-bindgen's default path in app.js) by the hashed
/// name. Other `"./name"` stay: app.js's keys of the wasm's imports are the module names the
/// wasm itself holds.
fn rewrite_references(text: &str, renames: &[(String, String)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in renames {
        for quote in ['"', '\''] {
            text = text.replace(
                &format!("{quote}/{from}{quote}"),
                &format!("{quote}/{ASSETS_DIR}/{to}{quote}"),
            );
            for prefix in ["from ", "URL("] {
                text = text.replace(
                    &format!("{prefix}{quote}./{from}{quote}"),
                    &format!("{prefix}{quote}./{to}{quote}"),
                );
            }
        }
        text = text.replace(&format!("'{from}'"), &format!("'{to}'"));
    }
    text
}

/// Moves the app's modules and [`FINGERPRINTED_AFTER`] of `dist` to
/// `dist/assets/<stem>-<hash>.<ext>`, rewriting the references to them in the JavaScript and
/// in index.html. Fails when index.html does not name one of them, or when a file is missing:
/// a renamed file must not silently become a broken page.
pub fn fingerprint(dist: &Path) -> Result<Vec<(String, String)>> {
    let assets = dist.join(ASSETS_DIR);
    std::fs::create_dir_all(&assets)
        .with_context(|| format!("could not create {}", assets.display()))?;

    let mut modules = Vec::new();
    for path in files_under(dist)? {
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        if is_app_module(&name) {
            let bytes = std::fs::read(&path)
                .with_context(|| format!("could not read {}", path.display()))?;
            modules.push((name, bytes));
        }
    }
    for required in ["app_bg.wasm", "app.js"] {
        if !modules.iter().any(|(name, _)| name == required) {
            bail!("{} has no {required}", dist.display());
        }
    }
    let hash = group_hash(&modules);
    let mut renames: Vec<(String, String)> = modules
        .iter()
        .map(|(name, _)| (name.clone(), name_with_hash(name, &hash)))
        .collect();
    for ((name, bytes), (_, hashed)) in modules.into_iter().zip(&renames) {
        let bytes = if name.ends_with(".js") {
            let text = String::from_utf8(bytes).with_context(|| format!("{name} is not UTF-8"))?;
            rewrite_references(&text, &renames).into_bytes()
        } else {
            bytes
        };
        move_to_assets(dist, &name, hashed, &bytes)?;
    }

    for name in FINGERPRINTED_AFTER {
        let source = dist.join(name);
        let text = std::fs::read_to_string(&source)
            .with_context(|| format!("could not read {}", source.display()))?;
        let bytes = rewrite_references(&text, &renames).into_bytes();
        let hashed = hashed_name(name, &bytes);
        move_to_assets(dist, name, &hashed, &bytes)?;
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

/// Writes `bytes` to `dist/assets/hashed` and removes `dist/name`.
fn move_to_assets(dist: &Path, name: &str, hashed: &str, bytes: &[u8]) -> Result<()> {
    let destination = dist.join(ASSETS_DIR).join(hashed);
    std::fs::write(&destination, bytes)
        .with_context(|| format!("could not write {}", destination.display()))?;
    let source = dist.join(name);
    std::fs::remove_file(&source).with_context(|| format!("could not remove {}", source.display()))
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

    /// A `dist` as build-web leaves it before fingerprinting: the main module and its glue, the
    /// link module and a page module (app.js and the link module import each other), boot.js,
    /// the stylesheet and index.html. `variant` changes the page module's bytes.
    fn built_dist(variant: &[u8]) -> PathBuf {
        let dist = tempfile_dir();
        std::fs::write(dist.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(
            dist.join("app.js"),
            "import * as split from './__wasm_split.js'; new URL('app_bg.wasm', import.meta.url); \
             const imports = { \"./__wasm_split.js\": split };",
        )
        .unwrap();
        std::fs::write(
            dist.join("__wasm_split.js"),
            "import { initSync } from \"./app.js\"; fetch(new URL(\"./split_site_page.wasm\", import.meta.url))",
        )
        .unwrap();
        std::fs::write(dist.join("split_site_page.wasm"), variant).unwrap();
        std::fs::write(
            dist.join("boot.js"),
            "import(\"/app.js\").then((app) => app.default({ module_or_path: \"/app_bg.wasm\" }));",
        )
        .unwrap();
        std::fs::write(dist.join("styles.css"), "body{}").unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<link href=\"/styles.css\"><script src=\"/boot.js\"></script>",
        )
        .unwrap();
        dist
    }

    const MODULES: [&str; 4] = [
        "app_bg.wasm",
        "app.js",
        "__wasm_split.js",
        "split_site_page.wasm",
    ];

    fn renamed(renames: &[(String, String)], plain: &str) -> String {
        renames
            .iter()
            .find(|(from, _)| from == plain)
            .unwrap_or_else(|| panic!("{plain} was not renamed: {renames:?}"))
            .1
            .clone()
    }

    #[test]
    fn fingerprinting_renames_the_assets_and_rewrites_every_reference() {
        let dist = built_dist(b"\0asm page");
        let renames = fingerprint(&dist).unwrap();
        let name = |plain: &str| renamed(&renames, plain);
        let assets = dist.join(ASSETS_DIR);
        for plain in MODULES.iter().chain(&FINGERPRINTED_AFTER) {
            assert!(!dist.join(plain).exists(), "{plain} moved");
            assert!(assets.join(name(plain)).is_file(), "{plain} is in assets/");
        }
        let app = std::fs::read_to_string(assets.join(name("app.js"))).unwrap();
        assert!(app.contains(&format!("'{}'", name("app_bg.wasm"))), "{app}");
        assert!(
            app.contains(&format!("from './{}'", name("__wasm_split.js"))),
            "{app}"
        );
        assert!(
            app.contains("{ \"./__wasm_split.js\": split }"),
            "the wasm imports its loaders by the name it was linked with: {app}"
        );
        let link = std::fs::read_to_string(assets.join(name("__wasm_split.js"))).unwrap();
        assert!(
            link.contains(&format!("\"./{}\"", name("app.js"))),
            "{link}"
        );
        assert!(
            link.contains(&format!("\"./{}\"", name("split_site_page.wasm"))),
            "{link}"
        );
        let boot = std::fs::read_to_string(assets.join(name("boot.js"))).unwrap();
        for plain in ["app.js", "app_bg.wasm"] {
            assert!(
                boot.contains(&format!("\"/assets/{}\"", name(plain))),
                "{boot}"
            );
        }
        let html = std::fs::read_to_string(dist.join("index.html")).unwrap();
        for plain in FINGERPRINTED_AFTER {
            assert!(
                html.contains(&format!("\"/assets/{}\"", name(plain))),
                "{html}"
            );
        }
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn a_change_to_any_page_module_renames_every_module_that_leads_to_it() {
        let first = built_dist(b"\0asm page");
        let second = built_dist(b"\0asm page, changed");
        let first_names = fingerprint(&first).unwrap();
        let second_names = fingerprint(&second).unwrap();
        for plain in MODULES.iter().chain(["boot.js"].iter()) {
            assert_ne!(
                renamed(&first_names, plain),
                renamed(&second_names, plain),
                "{plain}: a returning browser must not keep its cached copy"
            );
        }
        assert_eq!(
            renamed(&first_names, "styles.css"),
            renamed(&second_names, "styles.css")
        );
        std::fs::remove_dir_all(&first).unwrap();
        std::fs::remove_dir_all(&second).unwrap();
    }

    #[test]
    fn fingerprinting_fails_when_index_html_does_not_name_an_asset() {
        let dist = built_dist(b"\0asm");
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
    fn fingerprinting_fails_without_the_main_module() {
        let dist = built_dist(b"\0asm");
        std::fs::remove_file(dist.join("app_bg.wasm")).unwrap();
        let error = fingerprint(&dist).unwrap_err();
        assert!(error.to_string().contains("has no app_bg.wasm"), "{error}");
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
