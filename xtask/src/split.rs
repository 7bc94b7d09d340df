//! Cuts the web app's wasm at its `#[wasm_split]` split points (frontend/src/pages/lazy.rs)
//! into the main module and one module per page, plus chunks that several pages share, with
//! `wasm_split_cli_support` (the library behind cargo-leptos's `--split`). The main module then
//! goes through wasm-bindgen as before; the others are loaded by the link module
//! ([`LINK_MODULE`]) the first time one of their functions is called.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _, Result};

/// The JavaScript module that the main wasm imports its loaders from, written into `dist`
/// beside app.js (it imports app.js's `initSync` to reach the main module's memory and table).
pub const LINK_MODULE: &str = "__wasm_split.js";

/// The linker flag the split needs: relocations kept in the output, so that the tool can tell
/// which function and data symbol each reference points to.
pub const RUSTFLAGS: &str = "-Clink-args=--emit-relocs";

/// Splits `wasm` (as rustc linked it, with relocations): the page modules and the link module
/// go to `dist`, the main module to `work_dir`, whose path is returned.
pub fn split(wasm: &Path, work_dir: &Path, dist: &Path) -> Result<PathBuf> {
    let input =
        std::fs::read(wasm).with_context(|| format!("could not read {}", wasm.display()))?;
    std::fs::create_dir_all(work_dir)
        .with_context(|| format!("could not create {}", work_dir.display()))?;
    let main = work_dir.join("app.wasm");
    let link_name = format!("./{LINK_MODULE}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = dist;
    options.main_out_path = &main;
    options.link_name = &link_name;
    // The link module imports `initSync` from app.js, which wasm-bindgen writes next to it.
    options.main_module = "./app.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|error| anyhow!("wasm-split could not split {}: {error:?}", wasm.display()))?;
    eprintln!(
        "xtask: split the wasm into the main module and {} lazily loaded ones",
        split.split_modules.len()
    );
    Ok(main)
}
