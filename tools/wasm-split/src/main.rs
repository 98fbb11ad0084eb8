//! Splits the raw browser bundle (cargo's `frontend.wasm`, linked with `--emit-relocs`)
//! at its `#[lazy]` split points, the way Leptos expects to find the result:
//!
//! - the main module, to be run through wasm-bindgen (`--keep-lld-exports --no-demangle`);
//! - one `split_<name>.wasm` per split point and `chunk_<n>.wasm` for code shared by
//!   several split points, in the site's `pkg/` directory;
//! - `__wasm_split.______________________.js`, the loader the main module imports the
//!   split points' load functions from (Leptos' `HydrationScripts` preloads it by that
//!   name when file hashing is off);
//! - `__wasm_split_manifest.json`: for each split point, the files it needs, which the
//!   server reads to preload a lazy route's chunks on the page that uses it.
//!
//! usage: atende-wasm-split INPUT.wasm PKG_DIR MAIN_OUT.wasm MAIN_JS_NAME
//! (MAIN_JS_NAME: the wasm-bindgen glue's file name in PKG_DIR, e.g. `atende.js`)
//! Prints one line per file written to PKG_DIR.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The loader's name that Leptos 0.8 looks for (`__wasm_split.<hash>.js` with hashed
/// file names; this project does not hash them).
const LINK_NAME: &str = "__wasm_split.______________________.js";
const MANIFEST_NAME: &str = "__wasm_split_manifest.json";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--version") {
        println!("atende-wasm-split {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let [input, pkg_dir, main_out, main_js] = args.as_slice() else {
        eprintln!("usage: atende-wasm-split INPUT.wasm PKG_DIR MAIN_OUT.wasm MAIN_JS_NAME");
        return ExitCode::from(2);
    };
    match split(
        &PathBuf::from(input),
        &PathBuf::from(pkg_dir),
        &PathBuf::from(main_out),
        main_js,
    ) {
        Ok(files) => {
            for file in files {
                println!("{file}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("atende-wasm-split: {err:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(
    input: &Path,
    pkg_dir: &Path,
    main_out: &Path,
    main_js: &str,
) -> Result<Vec<String>, String> {
    let wasm = std::fs::read(input).map_err(|e| format!("reading {}: {e}", input.display()))?;
    std::fs::create_dir_all(pkg_dir).map_err(|e| format!("creating {}: {e}", pkg_dir.display()))?;
    // Paths the loader uses are relative to where it lies: next to the glue, in pkg/.
    let link_name = format!("./{LINK_NAME}");
    let main_module = format!("./{main_js}");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = pkg_dir;
    options.main_out_path = main_out;
    options.link_name = &link_name;
    options.main_module = &main_module;
    options.target.web();
    let split = wasm_split_cli_support::transform(options).map_err(|e| format!("{e:?}"))?;

    // Sorted, so that the manifest only changes when the split changes.
    let manifest: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(pkg_dir.join(MANIFEST_NAME), json + "\n")
        .map_err(|e| format!("writing the manifest: {e}"))?;

    let mut files: Vec<String> = split
        .split_modules
        .iter()
        .filter_map(|path| path.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files.push(LINK_NAME.to_owned());
    files.push(MANIFEST_NAME.to_owned());
    Ok(files)
}
