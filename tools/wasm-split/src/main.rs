//! Splits the raw browser bundle (cargo's `frontend.wasm`, linked with `--emit-relocs`)
//! at its `#[lazy]` split points, the way Leptos expects to find the result:
//!
//! - the main module, to be run through wasm-bindgen (`--keep-lld-exports --no-demangle`);
//! - for each split point, `pack_<split point>.wasm`: its own code and the code it shares
//!   with other split points (the splitter's `split_*` and `chunk_*` modules), merged into
//!   one module (`merge.rs`), which the loader fetches, compiles and instantiates at once.
//!   The splitter's parts themselves are not kept;
//! - `__wasm_split.______________________.js`, the loader the main module imports the
//!   split points' load functions from (Leptos' `HydrationScripts` preloads it by that
//!   name when file hashing is off);
//! - `__wasm_split_manifest.json`: for each split point, the splitter's parts merged into
//!   its pack (the end2end bundle test reads it; nothing preloads the packs).
//!
//! usage: atende-wasm-split INPUT.wasm PKG_DIR MAIN_OUT.wasm MAIN_JS_NAME
//! (MAIN_JS_NAME: the wasm-bindgen glue's file name in PKG_DIR, e.g. `atende.js`)
//! Prints one line per file written to PKG_DIR.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod merge;

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
    report(split(
        &PathBuf::from(input),
        &PathBuf::from(pkg_dir),
        &PathBuf::from(main_out),
        main_js,
    ))
}

fn report(result: Result<Vec<String>, String>) -> ExitCode {
    match result {
        Ok(files) => {
            for file in files {
                println!("{file}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("atende-wasm-split: {err}");
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
    let mut files = Vec::new();
    // A split point without parts loads nothing (`packed_loader`), so it has no pack.
    for (point, stems) in manifest.iter().filter(|(_, stems)| !stems.is_empty()) {
        let parts = stems
            .iter()
            .map(|stem| {
                let path = pkg_dir.join(format!("{stem}.wasm"));
                std::fs::read(&path)
                    .map(|bytes| (stem.clone(), bytes))
                    .map_err(|e| format!("reading {}: {e}", path.display()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let merged = merge::merge(&parts).map_err(|e| format!("merging {point}'s parts: {e}"))?;
        let name = format!("pack_{point}.wasm");
        std::fs::write(pkg_dir.join(&name), merged).map_err(|e| format!("writing {name}: {e}"))?;
        files.push(name);
    }
    for path in &split.split_modules {
        std::fs::remove_file(path).map_err(|e| format!("removing {}: {e}", path.display()))?;
    }

    let loader_path = pkg_dir.join(LINK_NAME);
    let loader = std::fs::read_to_string(&loader_path)
        .map_err(|e| format!("reading {}: {e}", loader_path.display()))?;
    std::fs::write(&loader_path, packed_loader(&loader, &manifest)?)
        .map_err(|e| format!("writing {}: {e}", loader_path.display()))?;

    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(pkg_dir.join(MANIFEST_NAME), json + "\n")
        .map_err(|e| format!("writing the manifest: {e}"))?;

    files.push(LINK_NAME.to_owned());
    files.push(MANIFEST_NAME.to_owned());
    Ok(files)
}

/// The loader's code that fetches a split point's pack, and copies into memory the data of
/// the parts no earlier pack has brought (`merge.rs`).
const PACK_RUNTIME: &str = r#"
// Atende (tools/wasm-split): a split point's code, and the code it shares with others,
// comes merged into one module, pack_<split point>.wasm. Each part's static data is copied
// in by the pack's __atende_data_<part> export, once per page, whichever pack brings the
// part first: a second copy would reset statics the program has since written.
// A download that fails (a dropped connection, a server error) is tried once more a second
// later; if that fails too, the app deals with it (app/src/pages/parts.rs).
const dataCopied = new Set();
function pack(split) {
    return () => {
        const url = new URL(`./pack_${split}.wasm`, import.meta.url);
        const src = fetch(url);
        src.catch(() => {});
        return async (imports) => {
            let loaded;
            try {
                loaded = await WebAssembly.instantiateStreaming(src, imports);
            } catch (e) {
                console.warn(`pack_${split}.wasm: ${e}; trying again`);
                await new Promise((resolve) => setTimeout(resolve, 1000));
                loaded = await WebAssembly.instantiateStreaming(fetch(url), imports);
            }
            const exports = loaded.instance.exports;
            for (const name of Object.keys(exports)) {
                if (name.startsWith("__atende_data_") && !dataCopied.has(name)) {
                    exports[name]();
                    dataCopied.add(name);
                }
            }
            return loaded;
        };
    };
}
"#;

/// Rewrites the generated loader to load each split point from its pack: its shared
/// runtime (the main module's import, the shared imports, `makeLoad`) is kept; the loaders
/// of the splitter's parts are replaced by one per split point that instantiates its pack,
/// under the same exported name.
fn packed_loader(loader: &str, manifest: &BTreeMap<String, Vec<String>>) -> Result<String, String> {
    const EXPORT: &str = "export const __wasm_split_load_";
    let (first_line, _) = loader
        .split_once('\n')
        .ok_or("the loader has a single line")?;
    if !first_line.starts_with("import ") {
        return Err(format!(
            "the loader starts with {first_line:?}, not its import"
        ));
    }
    for needed in [
        "function getSharedImports()",
        "function makeLoad(",
        "function wrapAsyncCb(",
    ] {
        if !loader.contains(needed) {
            return Err(format!("the loader has no {needed}"));
        }
    }
    // The parts' loaders follow the runtime: the first chunk's (after a comment naming the
    // split points that share it) or, without chunks, the first split point's.
    let end = ["\n/* ", "\nconst __chunk_", &format!("\n{EXPORT}")]
        .iter()
        .filter_map(|marker| loader.find(marker))
        .min()
        .ok_or("the loader loads no part")?;
    let points: Vec<&str> = loader
        .match_indices(EXPORT)
        .filter_map(|(at, _)| {
            let name = &loader[at + EXPORT.len()..];
            name.find(' ').map(|end| &name[..end])
        })
        .collect();
    if points.is_empty() {
        return Err("the loader has no split point to load".to_owned());
    }
    let mut out = String::with_capacity(end + 2048);
    out.push_str(&loader[..=end]);
    out.push_str(PACK_RUNTIME);
    for point in points {
        let fetcher = if manifest.get(point).is_some_and(|stems| !stems.is_empty()) {
            format!("pack(\"{point}\")")
        } else {
            // A split point with no code of its own (the splitter's "empty" module).
            "() => async (_imports) => ({})".to_owned()
        };
        out.push_str(&format!(
            "{EXPORT}{point} = wrapAsyncCb(makeLoad({fetcher}, []));\n"
        ));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly where its own input is not what it built"
)]
mod tests {
    use super::{BTreeMap, packed_loader};

    /// The shape of the loader wasm_split_cli_support writes: the main module's import,
    /// the shared imports, the runtime, then one loader per chunk and per split point.
    const GENERATED: &str = r#"import { initSync } from "./atende.js";

let sharedImports = undefined;
function getSharedImports() { return sharedImports; }
function wrapAsyncCb(callee) { return callee; }
function makeLoad(fetcher, deps) { return fetcher; }
/* a_1, b_2 */
const __chunk_7 = makeLoad(() => {
    const src = fetch(new URL("./chunk_7.wasm", import.meta.url));
}, []);
export const __wasm_split_load_b_2 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_b_2.wasm", import.meta.url));
}, [__chunk_7]));
export const __wasm_split_load_a_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_a_1.wasm", import.meta.url));
}, [__chunk_7]));
export const __wasm_split_load_empty_3 = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), []));
"#;

    #[test]
    fn the_loader_loads_each_split_point_from_its_pack_alone() {
        let manifest: BTreeMap<String, Vec<String>> = [
            ("a_1", vec!["chunk_7", "split_a_1"]),
            ("b_2", vec!["chunk_7", "split_b_2"]),
            ("empty_3", vec![]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
        .collect();
        let loader = packed_loader(GENERATED, &manifest).unwrap();
        // The runtime is kept; the parts' own loaders are gone.
        assert!(loader.starts_with("import { initSync } from \"./atende.js\";\n"));
        assert!(loader.contains("function makeLoad(fetcher, deps)"));
        assert!(!loader.contains("chunk_7"), "{loader}");
        assert!(!loader.contains(".wasm\", import.meta.url"), "{loader}");
        // Every split point keeps its exported name, now loading its pack, with no
        // dependencies; one without code loads nothing.
        for (point, load) in [
            ("b_2", "pack(\"b_2\")"),
            ("a_1", "pack(\"a_1\")"),
            ("empty_3", "() => async (_imports) => ({})"),
        ] {
            let line = format!(
                "export const __wasm_split_load_{point} = wrapAsyncCb(makeLoad({load}, []));\n"
            );
            assert_eq!(loader.matches(&line).count(), 1, "{line} in {loader}");
        }
        assert_eq!(loader.matches("export const").count(), 3);
        // Each part's data is copied in by the export the merge names.
        assert!(loader.contains(&format!(
            "name.startsWith(\"{}\")",
            super::merge::DATA_EXPORT
        )));
    }

    #[test]
    fn a_loader_of_another_shape_is_refused() {
        let manifest = BTreeMap::new();
        let without_runtime = GENERATED.replace("function makeLoad(", "function other(");
        assert!(
            packed_loader(&without_runtime, &manifest)
                .unwrap_err()
                .contains("makeLoad")
        );
        let without_points = GENERATED.replace("export const __wasm_split_load_", "const x_");
        assert!(packed_loader(&without_points, &manifest).is_err());
    }
}
