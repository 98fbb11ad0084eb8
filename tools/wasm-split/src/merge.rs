//! Merges the modules one split point loads (the chunks it shares with other split points
//! and its own module) into one module, so that the browser compiles and instantiates one
//! module per page group instead of one per part (22 to 119 with eleven groups).
//!
//! This works because of how the splitter links its parts: a part imports only what the
//! main module shares (memory, the indirect function table, globals), and reaches a
//! function of another part through a fixed slot of that table, which the function's own
//! part fills with an active element segment when it is instantiated. Parts neither import
//! from nor export to each other, so merging them is a union: the imports once each, then
//! every part's types, functions, element segments and code, each part's indices shifted
//! to where its items land.
//!
//! A chunk shared by two page groups ends up in both groups' modules. When both are loaded,
//! the second fills the same table slots with its own copy of the same functions, which
//! share the same memory, table and globals: the program behaves the same. Data is another
//! matter: a part also carries the static data only its code uses (constants, and statics
//! the program may since have written), which the splitter wrote as active segments, copied
//! into memory when the part is instantiated. Loaded a second time, they would reset what
//! the program wrote. So in the merged module each part's data segments are passive, and an
//! exported function per part, `__atende_data_<part>`, copies them in: the loader calls it
//! for the parts whose data no earlier pack has copied yet (`main.rs`), once per part, as
//! the splitter's own loader instantiated each part once.
//!
//! What the merge does not know is refused rather than guessed: a part with its own memory,
//! table, globals or tags, a start function, or data placed other than at a constant
//! address.

use std::collections::{BTreeMap, HashMap};

use wasm_encoder::reencode::{Error as ReencodeError, Reencode};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, EntityType, ExportKind,
    ExportSection, Function, FunctionSection, ImportSection, Instruction, Module, NameMap,
    NameSection, TypeSection,
};
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

type Reencoded<T> = Result<T, ReencodeError<String>>;

/// What one part's indices become in the merged module.
#[derive(Default)]
struct Remap {
    /// Where the part's first type lands.
    types: u32,
    /// Every function index of the part (its imports, then its own functions).
    functions: Vec<u32>,
    globals: Vec<u32>,
    tables: Vec<u32>,
    memories: Vec<u32>,
    /// Where the part's first element segment lands.
    elements: u32,
    /// Where the part's first data segment lands.
    data: u32,
}

fn index(map: &[u32], at: u32, what: &str) -> Reencoded<u32> {
    usize::try_from(at)
        .ok()
        .and_then(|at| map.get(at).copied())
        .ok_or_else(|| ReencodeError::UserError(format!("{what} {at} out of range")))
}

impl Reencode for Remap {
    type Error = String;

    fn type_index(&mut self, ty: u32) -> Reencoded<u32> {
        Ok(self.types + ty)
    }
    fn function_index(&mut self, func: u32) -> Reencoded<u32> {
        index(&self.functions, func, "function")
    }
    fn global_index(&mut self, global: u32) -> Reencoded<u32> {
        index(&self.globals, global, "global")
    }
    fn table_index(&mut self, table: u32) -> Reencoded<u32> {
        index(&self.tables, table, "table")
    }
    fn memory_index(&mut self, memory: u32) -> Reencoded<u32> {
        index(&self.memories, memory, "memory")
    }
    fn element_index(&mut self, element: u32) -> Reencoded<u32> {
        Ok(self.elements + element)
    }
    fn data_index(&mut self, data: u32) -> Reencoded<u32> {
        Ok(self.data + data)
    }
    fn tag_index(&mut self, tag: u32) -> Reencoded<u32> {
        Err(ReencodeError::UserError(format!(
            "tag {tag} referenced, and parts have none"
        )))
    }
}

/// One part, as read: the pieces the merged module takes from it.
#[derive(Default)]
struct Part<'a> {
    types: Vec<wasmparser::RecGroup>,
    type_count: u32,
    imports: Vec<wasmparser::Import<'a>>,
    functions: Vec<u32>,
    elements: Vec<wasmparser::Element<'a>>,
    /// Each data segment, with its memory and address when it is active.
    data: Vec<(wasmparser::Data<'a>, Option<(u32, i32)>)>,
    bodies: Vec<wasmparser::FunctionBody<'a>>,
    /// The functions' names (from the name section), by the part's function index.
    names: Vec<(u32, &'a str)>,
}

/// Where an active data segment goes: its memory and constant address.
fn placement(name: &str, data: &wasmparser::Data) -> Result<Option<(u32, i32)>, String> {
    let wasmparser::DataKind::Active {
        memory_index,
        offset_expr,
    } = &data.kind
    else {
        return Ok(None);
    };
    let mut ops = offset_expr.get_operators_reader();
    match (ops.read(), ops.read()) {
        (Ok(wasmparser::Operator::I32Const { value }), Ok(wasmparser::Operator::End)) => {
            Ok(Some((*memory_index, value)))
        }
        _ => Err(format!(
            "{name}: a data segment at an address that is not a constant"
        )),
    }
}

fn read_part<'a>(name: &str, wasm: &'a [u8]) -> Result<Part<'a>, String> {
    let refuse = |what: &str| Err(format!("{name}: {what}; merging supports parts without it"));
    let parse = |e: wasmparser::Error| format!("{name}: {e}");
    let mut part = Part::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(parse)? {
            Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionStart { .. } => {}
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group.map_err(parse)?;
                    part.type_count += u32::try_from(group.types().len())
                        .map_err(|_| format!("{name}: too many types"))?;
                    part.types.push(group);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    part.imports.push(import.map_err(parse)?);
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    part.functions.push(ty.map_err(parse)?);
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    part.elements.push(element.map_err(parse)?);
                }
            }
            Payload::CodeSectionEntry(body) => part.bodies.push(body),
            // Function names are kept, for size analyses of the packs before wasm-opt
            // (which strips them); other custom sections (producers) are dropped.
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for subsection in reader {
                        if let Name::Function(map) = subsection.map_err(parse)? {
                            for naming in map {
                                let naming = naming.map_err(parse)?;
                                part.names.push((naming.index, naming.name));
                            }
                        }
                    }
                }
            }
            // A part's exports are the splitter's own bookkeeping: the loader finds a part's
            // functions in the table. (The merged module exports its data initialisers.)
            Payload::ExportSection(_) => {}
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(parse)?;
                    let at = placement(name, &data)?;
                    part.data.push((data, at));
                }
            }
            // Written anew for the merged module.
            Payload::DataCountSection { .. } => {}
            Payload::StartSection { .. } => return refuse("a start function"),
            Payload::MemorySection(_) => return refuse("a memory of its own"),
            Payload::TableSection(_) => return refuse("a table of its own"),
            Payload::GlobalSection(_) => return refuse("globals of its own"),
            Payload::TagSection(_) => return refuse("tags"),
            other => {
                return refuse(&format!("a section the merge does not know ({other:?})"));
            }
        }
    }
    if part.functions.len() != part.bodies.len() {
        return Err(format!(
            "{name}: {} functions declared, {} bodies",
            part.functions.len(),
            part.bodies.len()
        ));
    }
    Ok(part)
}

/// The imports of all parts, each once, in the order first seen.
#[derive(Default)]
struct Imports<'a> {
    section: ImportSection,
    /// How many imports of each kind, indexed by `Kind`.
    counts: [u32; 4],
    /// Each import's kind and merged index, by module and name.
    seen: HashMap<(&'a str, &'a str), (Kind, u32)>,
}

/// The kinds of import a part may have (each with an index space of its own).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Function,
    Global,
    Table,
    Memory,
}

impl Kind {
    fn of(ty: &TypeRef) -> Option<Kind> {
        match ty {
            TypeRef::Func(_) | TypeRef::FuncExact(_) => Some(Kind::Function),
            TypeRef::Global(_) => Some(Kind::Global),
            TypeRef::Table(_) => Some(Kind::Table),
            TypeRef::Memory(_) => Some(Kind::Memory),
            TypeRef::Tag(_) => None,
        }
    }
}

impl<'a> Imports<'a> {
    /// Adds a part's imports not seen yet, and records in `remap` where each of the part's
    /// imports lands. Parts import the main module's shared items by name, so the same
    /// name is the same item.
    fn add(&mut self, name: &str, part: &Part<'a>, remap: &mut Remap) -> Result<(), String> {
        for import in &part.imports {
            let kind = Kind::of(&import.ty).ok_or_else(|| format!("{name}: imports a tag"))?;
            let at = match self.seen.get(&(import.module, import.name)) {
                Some(&(seen_kind, at)) if seen_kind == kind => at,
                Some(_) => {
                    return Err(format!(
                        "{name}: imports {}.{} as another kind than an earlier part",
                        import.module, import.name
                    ));
                }
                None => {
                    let at = self.counts[kind as usize];
                    self.counts[kind as usize] += 1;
                    let ty: EntityType = remap
                        .entity_type(import.ty)
                        .map_err(|e| format!("{name}: {e}"))?;
                    self.section.import(import.module, import.name, ty);
                    self.seen.insert((import.module, import.name), (kind, at));
                    at
                }
            };
            match kind {
                Kind::Function => remap.functions.push(at),
                Kind::Global => remap.globals.push(at),
                Kind::Table => remap.tables.push(at),
                Kind::Memory => remap.memories.push(at),
            }
        }
        Ok(())
    }
}

/// The prefix of a merged module's exports that copy a part's data into memory.
pub const DATA_EXPORT: &str = "__atende_data_";

/// Merges `parts` (name, bytes), in their order, into one module.
pub fn merge(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let read: Vec<Part> = parts
        .iter()
        .map(|(name, wasm)| read_part(name, wasm))
        .collect::<Result<_, _>>()?;

    // Imports first: every function import precedes the parts' own functions.
    let mut imports = Imports::default();
    let mut remaps = Vec::with_capacity(read.len());
    let mut types = 0u32;
    let mut elements = 0u32;
    let mut data = 0u32;
    for ((name, _), part) in parts.iter().zip(&read) {
        let mut remap = Remap {
            types,
            elements,
            data,
            ..Remap::default()
        };
        imports.add(name, part, &mut remap)?;
        types += part.type_count;
        elements += u32::try_from(part.elements.len()).map_err(|_| "too many segments")?;
        data += u32::try_from(part.data.len()).map_err(|_| "too many segments")?;
        remaps.push(remap);
    }
    let mut next_function = imports.counts[Kind::Function as usize];
    for (remap, part) in remaps.iter_mut().zip(&read) {
        for _ in &part.functions {
            remap.functions.push(next_function);
            next_function += 1;
        }
    }

    let mut type_section = TypeSection::new();
    let mut functions = FunctionSection::new();
    let mut element_section = ElementSection::new();
    let mut data_section = DataSection::new();
    let mut code = CodeSection::new();
    let mut names = BTreeMap::new();
    // Each part's data initialiser, `() -> ()`, with the part's name.
    let mut initialisers: Vec<(&str, Function)> = Vec::new();
    for (((name, _), part), remap) in parts.iter().zip(read).zip(&mut remaps) {
        let fail = |e: ReencodeError<String>| format!("{name}: {e}");
        for group in part.types {
            remap
                .parse_recursive_type_group(type_section.ty(), group)
                .map_err(fail)?;
        }
        for ty in part.functions {
            functions.function(remap.type_index(ty).map_err(fail)?);
        }
        for element in part.elements {
            remap
                .parse_element(&mut element_section, element)
                .map_err(fail)?;
        }
        for body in part.bodies {
            remap.parse_function_body(&mut code, body).map_err(fail)?;
        }
        for (function, name) in part.names {
            // An import shared by several parts keeps the first part's name for it.
            names
                .entry(remap.function_index(function).map_err(fail)?)
                .or_insert(name);
        }
        let mut initialiser = Function::new([]);
        let mut copies = 0;
        for (at, (segment, placed)) in (0u32..).zip(part.data) {
            if let Some((memory, address)) = placed {
                let length = i32::try_from(segment.data.len()).map_err(|_| "segment too large")?;
                let mem = remap.memory_index(memory).map_err(fail)?;
                let data_index = remap.data_index(at).map_err(fail)?;
                initialiser
                    .instruction(&Instruction::I32Const(address))
                    .instruction(&Instruction::I32Const(0))
                    .instruction(&Instruction::I32Const(length))
                    .instruction(&Instruction::MemoryInit { mem, data_index })
                    .instruction(&Instruction::DataDrop(data_index));
                copies += 1;
            }
            data_section.passive(segment.data.iter().copied());
        }
        if copies > 0 {
            initialiser.instruction(&Instruction::End);
            initialisers.push((name, initialiser));
        }
    }

    // The initialisers: `() -> ()`, after every part's types and functions.
    let mut exports = ExportSection::new();
    if !initialisers.is_empty() {
        type_section.ty().function([], []);
    }
    for (index, (name, initialiser)) in (next_function..).zip(initialisers) {
        functions.function(types);
        code.function(&initialiser);
        exports.export(&format!("{DATA_EXPORT}{name}"), ExportKind::Func, index);
    }

    let mut module = Module::new();
    module.section(&type_section);
    module.section(&imports.section);
    module.section(&functions);
    module.section(&exports);
    module.section(&element_section);
    module.section(&DataCountSection { count: data });
    module.section(&code);
    module.section(&data_section);
    let mut function_names = NameMap::new();
    for (function, name) in names {
        function_names.append(function, name);
    }
    let mut name_section = NameSection::new();
    name_section.functions(&function_names);
    module.section(&name_section);
    let bytes = module.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .map_err(|e| format!("the merged module is not valid: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly where its own input is not what it built"
)]
mod tests {
    use super::merge;
    use wasm_encoder::{
        CodeSection, ConstExpr, DataSection, ElementSection, Elements, EntityType, FunctionSection,
        GlobalType, ImportSection, Instruction, MemoryType, Module, RefType, TableType,
        TypeSection, ValType,
    };
    use wasmparser::{ElementItems, ElementKind, Operator, Parser, Payload, TypeRef};

    fn table() -> EntityType {
        EntityType::Table(TableType {
            element_type: RefType::FUNCREF,
            table64: false,
            minimum: 16,
            maximum: None,
            shared: false,
        })
    }
    fn memory() -> EntityType {
        EntityType::Memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        })
    }
    fn stack_pointer() -> EntityType {
        EntityType::Global(GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        })
    }

    /// A part the way the splitter writes one: imports of the main module's shared items,
    /// functions of the given bodies (all `(i32) -> i32`), and one active element segment
    /// at `slot` listing them.
    fn part(imports: &[(&str, EntityType)], bodies: &[&[Instruction]], slot: i32) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        types.ty().function([ValType::I32], [ValType::I32]);
        let mut import_section = ImportSection::new();
        for (name, ty) in imports {
            import_section.import("__wasm_split", name, *ty);
        }
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for body in bodies {
            functions.function(1);
            let mut function = wasm_encoder::Function::new([]);
            for instruction in *body {
                function.instruction(instruction);
            }
            function.instruction(&Instruction::End);
            code.function(&function);
        }
        let mut elements = ElementSection::new();
        let indices: Vec<u32> = (0..u32::try_from(bodies.len()).unwrap()).collect();
        elements.active(
            None,
            &ConstExpr::i32_const(slot),
            Elements::Functions(indices.into()),
        );
        let mut module = Module::new();
        module.section(&types);
        module.section(&import_section);
        module.section(&functions);
        module.section(&elements);
        module.section(&code);
        module.finish()
    }

    struct Read {
        imports: Vec<(String, String)>,
        segments: Vec<(i32, Vec<u32>)>,
        calls: Vec<Vec<u32>>,
        global_uses: Vec<Vec<u32>>,
    }

    fn read(wasm: &[u8]) -> Read {
        let mut read = Read {
            imports: vec![],
            segments: vec![],
            calls: vec![],
            global_uses: vec![],
        };
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import.unwrap();
                        read.imports
                            .push((import.module.into(), import.name.into()));
                        assert!(!matches!(import.ty, TypeRef::Func(_)));
                    }
                }
                Payload::ElementSection(reader) => {
                    for element in reader {
                        let element = element.unwrap();
                        let ElementKind::Active { offset_expr, .. } = element.kind else {
                            panic!("a passive segment");
                        };
                        let Some(Ok(Operator::I32Const { value })) =
                            offset_expr.get_operators_reader().into_iter().next()
                        else {
                            panic!("an offset that is not a constant");
                        };
                        let ElementItems::Functions(items) = element.items else {
                            panic!("expressions");
                        };
                        read.segments
                            .push((value, items.into_iter().map(Result::unwrap).collect()));
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let mut calls = vec![];
                    let mut globals = vec![];
                    for op in body.get_operators_reader().unwrap() {
                        match op.unwrap() {
                            Operator::Call { function_index } => calls.push(function_index),
                            Operator::GlobalGet { global_index } => globals.push(global_index),
                            _ => {}
                        }
                    }
                    read.calls.push(calls);
                    read.global_uses.push(globals);
                }
                _ => {}
            }
        }
        read
    }

    #[test]
    fn parts_merge_into_one_module_with_their_calls_and_table_slots_kept() {
        // A chunk: one function, in slot 10, that reads the stack pointer (global 0 here).
        let chunk = part(
            &[
                ("memory", memory()),
                ("__indirect_function_table", table()),
                ("__stack_pointer", stack_pointer()),
            ],
            &[&[Instruction::GlobalGet(0)]],
            10,
        );
        // The split point's own part: imports the same items in another order, plus one
        // more global; its first function calls its second (index 1) directly and reads
        // the stack pointer (global 1 here); both in slots 11 and 12.
        let split = part(
            &[
                ("__indirect_function_table", table()),
                ("__tls_base", stack_pointer()),
                ("__stack_pointer", stack_pointer()),
                ("memory", memory()),
            ],
            &[
                &[
                    Instruction::LocalGet(0),
                    Instruction::Call(1),
                    Instruction::Drop,
                    Instruction::GlobalGet(1),
                ],
                &[Instruction::LocalGet(0)],
            ],
            11,
        );
        let merged = merge(&[("chunk_3".into(), chunk), ("split_x".into(), split)]).unwrap();
        let read = read(&merged);
        // Each shared item imported once.
        let names: Vec<&str> = read.imports.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "memory",
                "__indirect_function_table",
                "__stack_pointer",
                "__tls_base"
            ]
        );
        // The chunk's function is merged function 0, the split point's 1 and 2: each in
        // the slots its part put it.
        assert_eq!(read.segments, [(10, vec![0]), (11, vec![1, 2])]);
        // The direct call now names the callee's merged index; both parts' reads of the
        // stack pointer name the one import (global 0).
        assert_eq!(read.calls, [vec![], vec![2], vec![]]);
        assert_eq!(read.global_uses, [vec![0], vec![0], vec![]]);
    }

    #[test]
    fn data_segments_are_copied_in_by_an_exported_initialiser_of_their_part() {
        let with_data = |bytes: &'static [u8], address: i32| {
            let mut module = Module::new();
            let mut imports = ImportSection::new();
            imports.import("__wasm_split", "memory", memory());
            let mut data = DataSection::new();
            data.active(0, &ConstExpr::i32_const(address), bytes.iter().copied());
            module.section(&imports);
            module.section(&data);
            module.finish()
        };
        let merged = merge(&[
            ("chunk_1".into(), with_data(b"shared", 8)),
            ("split_z".into(), with_data(b"own", 64)),
        ])
        .unwrap();
        let mut passive = vec![];
        let mut exports = vec![];
        let mut copies = vec![];
        for payload in Parser::new(0).parse_all(&merged) {
            match payload.unwrap() {
                Payload::DataSection(reader) => {
                    for data in reader {
                        let data = data.unwrap();
                        assert!(matches!(data.kind, wasmparser::DataKind::Passive));
                        passive.push(data.data.to_vec());
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export.unwrap();
                        exports.push((export.name.to_owned(), export.index));
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let ops: Vec<Operator> = body
                        .get_operators_reader()
                        .unwrap()
                        .into_iter()
                        .map(Result::unwrap)
                        .collect();
                    let mut copy = vec![];
                    for window in ops.windows(5) {
                        if let [
                            Operator::I32Const { value: address },
                            Operator::I32Const { value: 0 },
                            Operator::I32Const { value: length },
                            Operator::MemoryInit { data_index, mem: 0 },
                            Operator::DataDrop {
                                data_index: segment,
                            },
                        ] = window
                        {
                            assert_eq!(data_index, segment);
                            copy.push((*address, *length, *data_index));
                        }
                    }
                    copies.push(copy);
                }
                _ => {}
            }
        }
        // Nothing is copied at instantiation: each part's data waits for its initialiser.
        assert_eq!(passive, [b"shared".to_vec(), b"own".to_vec()]);
        assert_eq!(
            exports,
            [
                ("__atende_data_chunk_1".to_owned(), 0),
                ("__atende_data_split_z".to_owned(), 1)
            ]
        );
        // Each initialiser copies its own part's segment to the part's address.
        assert_eq!(copies, [vec![(8, 6, 0)], vec![(64, 3, 1)]]);
    }

    #[test]
    fn an_item_imported_as_two_kinds_is_refused() {
        let a = part(&[("memory", memory())], &[&[Instruction::LocalGet(0)]], 1);
        let b = part(&[("memory", table())], &[&[Instruction::LocalGet(0)]], 2);
        let err = merge(&[("chunk_1".into(), a), ("split_y".into(), b)]).unwrap_err();
        assert!(
            err.contains("split_y: imports __wasm_split.memory as another kind"),
            "{err}"
        );
    }

    /// `wasm` with a name section naming its functions.
    fn named(mut wasm: Vec<u8>, names: &[(u32, &str)]) -> Vec<u8> {
        let mut map = wasm_encoder::NameMap::new();
        for (index, name) in names {
            map.append(*index, name);
        }
        let mut section = wasm_encoder::NameSection::new();
        section.functions(&map);
        let mut module = Module::new();
        module.section(&section);
        // The section without the module's header.
        wasm.extend_from_slice(&module.finish()[8..]);
        wasm
    }

    #[test]
    fn function_names_follow_their_functions() {
        let body: &[Instruction] = &[Instruction::LocalGet(0)];
        let chunk = named(
            part(&[("__indirect_function_table", table())], &[body], 1),
            &[(0, "shared")],
        );
        let split = named(
            part(&[("__indirect_function_table", table())], &[body, body], 2),
            &[(0, "page"), (1, "form")],
        );
        let merged = merge(&[("chunk_1".into(), chunk), ("split_y".into(), split)]).unwrap();
        let mut names = vec![];
        for payload in Parser::new(0).parse_all(&merged) {
            if let Payload::CustomSection(section) = payload.unwrap()
                && let wasmparser::KnownCustom::Name(reader) = section.as_known()
            {
                for subsection in reader {
                    if let wasmparser::Name::Function(map) = subsection.unwrap() {
                        for naming in map {
                            let naming = naming.unwrap();
                            names.push((naming.index, naming.name.to_owned()));
                        }
                    }
                }
            }
        }
        assert_eq!(
            names,
            [(0, "shared".into()), (1, "page".into()), (2, "form".into())]
        );
    }
}
