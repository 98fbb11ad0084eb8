//! Splits the raw browser bundle (cargo's `frontend.wasm`, linked with `--emit-relocs`)
//! at its `#[lazy]` split points, the way Leptos expects to find the result:
//!
//! - the main module, to be run through wasm-bindgen (`--keep-lld-exports --no-demangle`);
//! - one `split_<name>.wasm` per split point and `chunk_<n>.wasm` for code shared by
//!   several split points, in the site's `pkg/` directory;
//! - `__wasm_split.______________________.js`, the loader the main module imports the
//!   split points' load functions from (Leptos' `HydrationScripts` preloads it by that
//!   name when file hashing is off);
//! - `__wasm_split_manifest.json`: for each split point, the files it needs, from which
//!   `atende-wasm-split pack` writes the packs below (the end2end bundle test reads it too;
//!   nothing preloads the chunks);
//! - the loader fetches a split point's files as one pack, `pack_<split point>.bin`
//!   (`atende-wasm-split pack`, once wasm-opt has run): one request instead of one per
//!   file (12 to 24 for a page group), each of which costs the main thread while the page is
//!   hydrating. A chunk several packs hold is still instantiated once.
//!
//! usage: atende-wasm-split INPUT.wasm PKG_DIR MAIN_OUT.wasm MAIN_JS_NAME
//!        atende-wasm-split pack PKG_DIR
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
    if let [command, pkg_dir] = args.as_slice()
        && command == "pack"
    {
        return report(pack(&PathBuf::from(pkg_dir)));
    }
    let [input, pkg_dir, main_out, main_js] = args.as_slice() else {
        eprintln!(
            "usage: atende-wasm-split INPUT.wasm PKG_DIR MAIN_OUT.wasm MAIN_JS_NAME\n       atende-wasm-split pack PKG_DIR"
        );
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

    let loader_path = pkg_dir.join(LINK_NAME);
    let loader = std::fs::read_to_string(&loader_path)
        .map_err(|e| format!("reading {}: {e}", loader_path.display()))?;
    std::fs::write(&loader_path, packed_loader(&loader)?)
        .map_err(|e| format!("writing {}: {e}", loader_path.display()))?;

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

/// The loader's code that fetches a split point's files from its pack: `packing` names the
/// split point being loaded while its loader starts (the generated loader calls every
/// file's fetch synchronously, before its first `await`).
const PACK_RUNTIME: &str = r#"
// Atende (tools/wasm-split): a split point's files come in one pack, pack_<split>.bin:
// u32 count, then per file a u8 name length, the name and a u32 length (little-endian),
// then the files' bytes in that order.
let packing = undefined;
function inPack(split, load) {
    return (...args) => {
        const outer = packing;
        // This load's pack, fetched by its first part: held only by the load's own
        // promises, so a failed download is tried afresh by the next load, and the bytes
        // go once the load's modules are instantiated.
        packing = { split, files: undefined };
        try {
            return load(...args);
        } finally {
            packing = outer;
        }
    };
}
function unpack(buffer) {
    const view = new DataView(buffer);
    const names = new TextDecoder();
    const entries = [];
    let at = 4;
    for (let i = view.getUint32(0, true); i > 0; i--) {
        const nameLength = view.getUint8(at);
        const name = names.decode(new Uint8Array(buffer, at + 1, nameLength));
        at += 1 + nameLength;
        entries.push([name, view.getUint32(at, true)]);
        at += 4;
    }
    const files = new Map();
    for (const [name, length] of entries) {
        files.set(name, new Uint8Array(buffer, at, length));
        at += length;
    }
    return files;
}
function part(name) {
    if (packing === undefined) return fetch(new URL(`./${name}.wasm`, import.meta.url));
    const { split } = packing;
    packing.files ??= fetch(new URL(`./pack_${split}.bin`, import.meta.url)).then((res) => {
        if (!res.ok) throw new Error(`pack_${split}.bin: ${res.status}`);
        return res.arrayBuffer();
    }).then(unpack);
    return packing.files.then((files) => {
        const bytes = files.get(name);
        if (bytes === undefined) throw new Error(`${name} is not in pack_${split}.bin`);
        return new Response(bytes, { headers: { "content-type": "application/wasm" } });
    });
}
"#;

/// Rewrites the generated loader to fetch each split point's files from its pack: every
/// file's `fetch` becomes `part(name)`, and each split point's exported load function runs
/// inside `inPack(split point, …)`.
fn packed_loader(loader: &str) -> Result<String, String> {
    const EXPORT: &str = "export const __wasm_split_load_";
    const RAW: &str = "const __atende_raw_load_";
    let (first_line, rest) = loader
        .split_once('\n')
        .ok_or("the loader has a single line")?;
    if !first_line.starts_with("import ") {
        return Err(format!(
            "the loader starts with {first_line:?}, not its import"
        ));
    }
    let mut body = String::with_capacity(rest.len());
    let mut fetches = 0;
    let mut remaining = rest;
    const FETCH: &str = "fetch(new URL(\"./";
    const FETCH_END: &str = ".wasm\", import.meta.url))";
    while let Some(start) = remaining.find(FETCH) {
        let after = &remaining[start + FETCH.len()..];
        let end = after
            .find(FETCH_END)
            .ok_or("a fetch in the loader without its .wasm URL")?;
        body.push_str(&remaining[..start]);
        body.push_str(&format!("part(\"{}\")", &after[..end]));
        remaining = &after[end + FETCH_END.len()..];
        fetches += 1;
    }
    body.push_str(remaining);
    let splits: Vec<String> = body
        .match_indices(EXPORT)
        .filter_map(|(at, _)| {
            let name = &body[at + EXPORT.len()..];
            name.find(' ').map(|end| name[..end].to_owned())
        })
        .collect();
    if splits.is_empty() || fetches == 0 {
        return Err("the loader has no split point to load".to_owned());
    }
    let mut out = format!("{first_line}\n{PACK_RUNTIME}");
    out.push_str(&body.replace(EXPORT, RAW));
    for split in &splits {
        out.push_str(&format!(
            "export const __wasm_split_load_{split} = inPack(\"{split}\", __atende_raw_load_{split});\n"
        ));
    }
    Ok(out)
}

/// Writes `pack_<split point>.bin` for each split point of the manifest, from the files
/// in PKG_DIR as they are now (after wasm-opt).
fn pack(pkg_dir: &Path) -> Result<Vec<String>, String> {
    let manifest_path = pkg_dir.join(MANIFEST_NAME);
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("reading {}: {e}", manifest_path.display()))?;
    let manifest: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&manifest).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let mut written = Vec::new();
    for (split, stems) in manifest {
        let mut header = Vec::new();
        let mut bodies = Vec::new();
        let count = u32::try_from(stems.len()).map_err(|_| "too many files in a pack")?;
        header.extend_from_slice(&count.to_le_bytes());
        for stem in &stems {
            let path = pkg_dir.join(format!("{stem}.wasm"));
            let bytes =
                std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
            let name_length =
                u8::try_from(stem.len()).map_err(|_| format!("{stem}: name too long"))?;
            let length = u32::try_from(bytes.len()).map_err(|_| format!("{stem}: too large"))?;
            header.push(name_length);
            header.extend_from_slice(stem.as_bytes());
            header.extend_from_slice(&length.to_le_bytes());
            bodies.extend_from_slice(&bytes);
        }
        header.extend_from_slice(&bodies);
        let name = format!("pack_{split}.bin");
        std::fs::write(pkg_dir.join(&name), header).map_err(|e| format!("writing {name}: {e}"))?;
        written.push(name);
    }
    Ok(written)
}
