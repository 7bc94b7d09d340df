//! Build helper behind `cargo xtask …`: builds the web app, serves it, runs every test, regenerates the schema.

#[cfg(test)]
mod app_shell;
mod dist;
mod split;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context as _, Result};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  build-web [--release] [--no-wasm-opt]
        build the web app (frontend/) to wasm and write frontend/dist/
        (--release uses the small `wasm-release` profile; without it the dev profile)
  serve [server args…]
        build-web --release, then run the server (houxu-server) serving frontend/dist
  test [cargo test args…]
        build-web --release, then `cargo test --workspace` with WEB_DIST set
  schema
        regenerate schema.graphql at the repository root from the server code
";

/// The Rust target the web app compiles to.
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where cargo reads the compiler flags for the wasm target only (build scripts and proc
/// macros, built for the host, are not rebuilt by them).
const WASM_RUSTFLAGS_VARIABLE: &str = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS";

/// `--cfg erase_components`: Leptos type-erases every component's view (boxing it as an
/// `AnyView`) instead of nesting its full type into its parent's, which the compiler then
/// monomorphises once per nesting. The release wasm is 18 % smaller with it (1.89 → 1.54 MB,
/// gzip 731 → 583 KB; docs/benchmarks.md). `--emit-relocs` for the split into page modules
/// ([`split::RUSTFLAGS`]). Flags already in the variable are kept.
fn wasm_rustflags() -> OsString {
    let mut flags = std::env::var_os(WASM_RUSTFLAGS_VARIABLE).unwrap_or_default();
    for (marker, flag) in [
        ("erase_components", "--cfg erase_components"),
        ("emit-relocs", split::RUSTFLAGS),
    ] {
        if !flags.to_string_lossy().contains(marker) {
            if !flags.is_empty() {
                flags.push(" ");
            }
            flags.push(flag);
        }
    }
    flags
}

/// The oldest wasm-opt we trust: Debian's binaryen 108 produces wasm that fails in Chromium.
const MINIMUM_WASM_OPT_VERSION: u32 = 116;

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<OsString>) -> Result<ExitCode> {
    let mut args = args.into_iter();
    let Some(command) = args.next() else {
        eprint!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    let rest: Vec<OsString> = args.collect();
    match command.to_str() {
        Some("build-web") => {
            let options = BuildWebOptions::parse(&rest)?;
            build_web(&options)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("serve") => serve(&rest),
        Some("test") => test(&rest),
        Some("schema") => {
            if !rest.is_empty() {
                bail!("`schema` takes no arguments\n\n{USAGE}");
            }
            write_schema()?;
            Ok(ExitCode::SUCCESS)
        }
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("unknown command {command:?}\n\n{USAGE}"),
    }
}

/// The workspace root: this crate lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir.to_path_buf())
}

fn frontend_dir() -> PathBuf {
    workspace_root().join("frontend")
}

/// Where `build-web` writes the deployable web app.
fn dist_dir() -> PathBuf {
    frontend_dir().join("dist")
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// `cargo` as invoked by `cargo xtask` (so the same toolchain), run from the workspace root.
fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command.current_dir(workspace_root());
    command
}

fn run_checked(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("could not start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}

/// Turns a child's exit status into ours, so `cargo xtask test` fails when `cargo test` does.
fn exit_code_of(status: std::process::ExitStatus) -> ExitCode {
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

#[derive(Debug, Default)]
struct BuildWebOptions {
    release: bool,
    skip_wasm_opt: bool,
}

impl BuildWebOptions {
    fn parse(args: &[OsString]) -> Result<Self> {
        let mut options = Self::default();
        for arg in args {
            match arg.to_str() {
                Some("--release") => options.release = true,
                Some("--no-wasm-opt") => options.skip_wasm_opt = true,
                _ => bail!("unknown option {arg:?} for build-web\n\n{USAGE}"),
            }
        }
        Ok(options)
    }

    fn release() -> Self {
        Self {
            release: true,
            skip_wasm_opt: false,
        }
    }
}

fn build_web(options: &BuildWebOptions) -> Result<()> {
    ensure_wasm_target();

    let (profile, profile_dir) = if options.release {
        ("wasm-release", "wasm-release")
    } else {
        ("dev", "debug")
    };
    eprintln!("xtask: building the web app (profile {profile}) …");
    run_checked(
        cargo()
            .args([
                "build",
                "--package",
                "frontend",
                "--target",
                WASM_TARGET,
                "--profile",
                profile,
            ])
            .env(WASM_RUSTFLAGS_VARIABLE, wasm_rustflags()),
    )?;

    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(profile_dir)
        .join("frontend.wasm");
    if !wasm.is_file() {
        bail!("the build did not produce {}", wasm.display());
    }

    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .with_context(|| format!("could not empty {}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist)
        .with_context(|| format!("could not create {}", dist.display()))?;

    eprintln!("xtask: splitting the wasm at the pages' split points …");
    let main_wasm = split::split(
        &wasm,
        &target_dir().join("wasm-split").join(profile_dir),
        &dist,
    )?;

    eprintln!("xtask: generating JavaScript bindings …");
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&main_wasm)
        .out_name("app")
        .web(true)?
        .typescript(false)
        .debug(!options.release)
        // The page modules import the main module's functions by their linker names.
        .keep_lld_exports(true)
        .demangle(false)
        .remove_name_section(options.release)
        .remove_producers_section(options.release);
    bindgen
        .generate(&dist)
        .with_context(|| format!("wasm-bindgen could not process {}", main_wasm.display()))?;

    if options.release && !options.skip_wasm_opt {
        let modules: Vec<PathBuf> = dist::files_under(&dist)?
            .into_iter()
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "wasm")
            })
            .collect();
        optimise_with_wasm_opt(&modules)?;
    }

    copy_dir_contents(&frontend_dir().join("static"), &dist)?;
    dist::fingerprint(&dist)?;
    dist::precompress(&dist)?;

    print_sizes(&dist)?;
    eprintln!("xtask: web app written to {}", dist.display());
    Ok(())
}

/// `rustup target add` is a no-op when the target is there; without rustup we just try the build.
fn ensure_wasm_target() {
    let added = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .current_dir(workspace_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !matches!(added, Ok(status) if status.success()) {
        eprintln!("xtask: note: `rustup target add {WASM_TARGET}` did not succeed; trying the build anyway");
    }
}

/// Runs `wasm-opt -Oz` on each of `files` (the main module and the page modules), as many at
/// once as there are cores, when a trustworthy wasm-opt is found: `$WASM_OPT`, the npm
/// `binaryen` package via `npx --no-install`, or `wasm-opt` on PATH — each only if its version
/// is new enough.
fn optimise_with_wasm_opt(files: &[PathBuf]) -> Result<()> {
    let Some(wasm_opt) = find_wasm_opt() else {
        eprintln!(
            "xtask: wasm-opt (binaryen ≥ {MINIMUM_WASM_OPT_VERSION}) not found; skipping it \
             (optional: `npm install -g binaryen` makes the wasm about a third smaller)"
        );
        return Ok(());
    };
    eprintln!("xtask: running wasm-opt -Oz on {} modules …", files.len());
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(wasm) = files.get(index) else {
                            return Ok(());
                        };
                        wasm_opt.optimise(wasm)?;
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a wasm-opt worker panicked")))
        })
    })
}

/// A wasm-opt found on this machine: the program and the arguments before its own.
struct WasmOpt {
    program: OsString,
    prefix: Vec<&'static str>,
}

impl WasmOpt {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.prefix);
        command
    }

    /// Replaces `wasm` by its `-Oz` optimised version.
    fn optimise(&self, wasm: &Path) -> Result<()> {
        let optimised = wasm.with_extension("opt.wasm");
        let mut command = self.command();
        command
            .arg("-Oz")
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext")
            .arg("--enable-mutable-globals")
            .arg("--enable-reference-types")
            .arg("--enable-multivalue")
            .arg(wasm)
            .arg("-o")
            .arg(&optimised);
        // Its warnings (one per module about the name section's subsections) only on failure.
        let output = command
            .output()
            .with_context(|| format!("could not start {command:?}"))?;
        if !output.status.success() {
            bail!(
                "{command:?} failed with {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::fs::rename(&optimised, wasm)
            .with_context(|| format!("could not replace {}", wasm.display()))
    }
}

fn find_wasm_opt() -> Option<WasmOpt> {
    let mut candidates: Vec<WasmOpt> = Vec::new();
    if let Some(program) = std::env::var_os("WASM_OPT") {
        candidates.push(WasmOpt {
            program,
            prefix: vec![],
        });
    }
    candidates.push(WasmOpt {
        program: OsString::from("npx"),
        prefix: vec!["--no-install", "wasm-opt"],
    });
    candidates.push(WasmOpt {
        program: OsString::from("wasm-opt"),
        prefix: vec![],
    });
    for candidate in candidates {
        let output = candidate
            .command()
            .arg("--version")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output();
        let Ok(output) = output else { continue };
        if !output.status.success() {
            continue;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        match parse_wasm_opt_version(&text) {
            Some(version) if version >= MINIMUM_WASM_OPT_VERSION => return Some(candidate),
            Some(version) => eprintln!(
                "xtask: ignoring {:?}: wasm-opt version {version} is known to break the wasm",
                candidate.program
            ),
            None => {}
        }
    }
    None
}

/// `wasm-opt version 116 (version_116)` → 116.
fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let after = text.split("version").nth(1)?;
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn copy_dir_contents(from: &Path, to: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(from).with_context(|| format!("could not read {}", from.display()))?;
    for entry in entries {
        let entry = entry?;
        let source = entry.path();
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&destination)?;
            copy_dir_contents(&source, &destination)?;
        } else {
            std::fs::copy(&source, &destination).with_context(|| {
                format!(
                    "could not copy {} to {}",
                    source.display(),
                    destination.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Each file's size as stored, gzip'd and brotli'd (the precompressed copies the server sends),
/// and the total of what a first visit must download before the app runs (wasm and JavaScript).
fn print_sizes(dist: &Path) -> Result<()> {
    eprintln!(
        "xtask: {:<48} {:>10} {:>10} {:>10}",
        "file", "bytes", "gzip", "brotli"
    );
    // What the sign-in page downloads (the wasm and JavaScript it starts with), and the page
    // modules fetched later, one page at a time.
    let mut initial = (0, 0, 0);
    let mut pages = (0, 0, 0);
    for path in dist::files_under(dist)? {
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let gzipped = dist::gzip_bytes(&bytes)?.len();
        let brotlied = std::fs::metadata(format!("{}.br", path.display()))
            .map(|metadata| metadata.len() as usize)
            .unwrap_or(bytes.len());
        eprintln!(
            "xtask: {name:<48} {:>10} {gzipped:>10} {brotlied:>10}",
            bytes.len()
        );
        let total = if dist::is_page_module(&name) {
            &mut pages
        } else if name.ends_with(".wasm") || name.ends_with(".js") {
            &mut initial
        } else {
            continue;
        };
        *total = (total.0 + bytes.len(), total.1 + gzipped, total.2 + brotlied);
    }
    for (label, (bytes, gzipped, brotlied)) in [
        ("initial wasm + js", initial),
        ("page modules (fetched when shown)", pages),
    ] {
        eprintln!("xtask: {label:<48} {bytes:>10} {gzipped:>10} {brotlied:>10}");
    }
    Ok(())
}

fn serve(server_args: &[OsString]) -> Result<ExitCode> {
    build_web(&BuildWebOptions::release())?;
    let mut command = cargo();
    command
        .args(["run", "--package", "backend", "--bin", "houxu-server", "--"])
        .args(server_args);
    if std::env::var_os("STATIC_DIR").is_none() {
        command.env("STATIC_DIR", dist_dir());
    }
    let status = command
        .status()
        .context("could not start `cargo run` for the server")?;
    Ok(exit_code_of(status))
}

fn test(cargo_test_args: &[OsString]) -> Result<ExitCode> {
    build_web(&BuildWebOptions::release())?;
    let status = cargo()
        // The web app is wasm-only: xtask has just built it, and the browser tests exercise it.
        .args(["test", "--workspace", "--exclude", "frontend"])
        .args(cargo_test_args)
        .env("WEB_DIST", dist_dir())
        .status()
        .context("could not start `cargo test`")?;
    Ok(exit_code_of(status))
}

fn write_schema() -> Result<()> {
    let output = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "backend",
            "--bin",
            "houxu-server",
            "--",
            "print-schema",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("could not start `cargo run` for the server")?;
    if !output.status.success() {
        bail!("`houxu-server print-schema` failed with {}", output.status);
    }
    if output.stdout.is_empty() {
        bail!("`houxu-server print-schema` printed nothing");
    }
    let path = workspace_root().join("schema.graphql");
    std::fs::write(&path, &output.stdout)
        .with_context(|| format!("could not write {}", path.display()))?;
    eprintln!("xtask: wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_opt_version_is_read_from_its_banner() {
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108\n"), Some(108));
        assert_eq!(parse_wasm_opt_version("something else"), None);
    }

    #[test]
    fn build_web_accepts_release_and_rejects_unknown_flags() {
        let options = BuildWebOptions::parse(&[OsString::from("--release")]).unwrap();
        assert!(options.release);
        assert!(BuildWebOptions::parse(&[OsString::from("--fast")]).is_err());
    }
}
