//! The `#[pymodule]` items of a crate's library source: which entry point the code means to
//! export, and where, so a mismatch with the module name can point at both sides.
//!
//! This is evidence for messages only. The verdict always comes from the binary, so a file
//! that cannot be read or parsed is passed over without an error, and an attribute hidden
//! behind `cfg_attr` or a macro is simply not seen.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::visit::{self, Visit};
use syn::{Attribute, Ident, ItemFn, ItemMod, LitStr, Meta};

use crate::model::Location;

pub use crate::model::PyModuleItem;

/// How many source files one crate may make us read; a generated crate can declare
/// thousands of modules, and the answer is almost always in the first few.
const MAX_FILES: usize = 512;
/// How deep `mod` files may nest; each level recurses, and real crates stay in single digits.
const MAX_DEPTH: usize = 32;
/// Larger files are generated code (bindings, tables), not where a `#[pymodule]` lives.
const MAX_FILE_BYTES: u64 = 8 << 20;

/// Scans the library whose root file is `src_path` and the module files it declares.
pub fn scan_pymodules(src_path: &Path) -> Vec<PyModuleItem> {
    let mut walk = Walk {
        found: Vec::new(),
        seen: HashSet::new(),
    };
    // The crate root owns its directory: `mod foo;` in lib.rs is a sibling file.
    let dir = parent_dir(src_path);
    walk.scan_file(src_path, dir, false, 0);
    walk.found
}

struct Walk {
    found: Vec<PyModuleItem>,
    /// Canonical paths already scanned (or queued), which also stops `#[path]` cycles.
    seen: HashSet<PathBuf>,
}

impl Walk {
    /// Scans `file`, whose `mod foo;` declarations resolve inside `mod_dir`.
    fn scan_file(&mut self, file: &Path, mod_dir: PathBuf, in_pymodule: bool, depth: usize) {
        if self.seen.len() >= MAX_FILES || depth > MAX_DEPTH {
            return;
        }
        let key = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        if !self.seen.insert(key) {
            return;
        }
        let Some(source) = read_source(file) else {
            return;
        };
        let Ok(parsed) = syn::parse_file(&source) else {
            return;
        };
        let mut scan = FileScan {
            walk: self,
            file,
            dir: mod_dir,
            file_depth: depth,
            inline_depth: 0,
            pymodule_depth: usize::from(in_pymodule),
        };
        scan.visit_file(&parsed);
    }
}

fn read_source(file: &Path) -> Option<String> {
    let metadata = std::fs::metadata(file).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
        return None;
    }
    std::fs::read_to_string(file).ok()
}

/// The walk through one file's syntax tree.
struct FileScan<'w, 'f> {
    walk: &'w mut Walk,
    file: &'f Path,
    /// Where `mod foo;` looks for `foo.rs` / `foo/mod.rs` at the current point.
    dir: PathBuf,
    /// How many `mod foo;` files lead from the crate root to this one.
    file_depth: usize,
    /// How many inline `mod x { ... }` blocks enclose the current point.
    inline_depth: usize,
    /// How many `#[pymodule]` items enclose the current point. Only items at depth 0 export
    /// an entry point: a `#[pymodule]` nested in another is a submodule, which PyO3 adds to
    /// its parent instead of exporting a hook for.
    pymodule_depth: usize,
}

impl<'ast> Visit<'ast> for FileScan<'_, '_> {
    fn visit_item_fn(&mut self, item: &'ast ItemFn) {
        let Some(attr) = pymodule_attr(&item.attrs) else {
            return visit::visit_item_fn(self, item);
        };
        self.record(&attr, &item.sig.ident, "fn");
        self.pymodule_depth += 1;
        visit::visit_item_fn(self, item);
        self.pymodule_depth -= 1;
    }

    fn visit_item_mod(&mut self, item: &'ast ItemMod) {
        let attr = pymodule_attr(&item.attrs);
        if let Some(attr) = &attr {
            self.record(attr, &item.ident, "mod");
        }
        let nested = usize::from(attr.is_some());
        let name = item.ident.unraw().to_string();
        let path_attr = path_attribute(&item.attrs);
        match &item.content {
            Some((_, items)) => {
                let inner_dir = self.dir.join(path_attr.as_deref().unwrap_or(&name));
                let outer_dir = std::mem::replace(&mut self.dir, inner_dir);
                self.inline_depth += 1;
                self.pymodule_depth += nested;
                for inner in items {
                    self.visit_item(inner);
                }
                self.pymodule_depth -= nested;
                self.inline_depth -= 1;
                self.dir = outer_dir;
            }
            None => {
                let Some((file, mod_dir)) = self.module_file(&name, path_attr.as_deref()) else {
                    return;
                };
                let in_pymodule = self.pymodule_depth + nested > 0;
                self.walk
                    .scan_file(&file, mod_dir, in_pymodule, self.file_depth + 1);
            }
        }
    }
}

impl FileScan<'_, '_> {
    fn record(&mut self, attr: &PyModuleAttr, ident: &Ident, keyword: &str) {
        if self.pymodule_depth > 0 || attr.submodule {
            return;
        }
        // Point at the name that becomes the hook: the `name = "..."` literal when there is
        // one, since that is the text to edit.
        let (name, span) = match &attr.name {
            Some(literal) => (literal.value(), literal.span()),
            None => (ident.unraw().to_string(), ident.span()),
        };
        let ident = ident.unraw().to_string();
        let mut label = format!("#[pymodule] {keyword} {ident}");
        if name != ident {
            // No backticks here: messages quote the whole label.
            label.push_str(&format!(" (exported as {name})"));
        }
        self.walk.found.push(PyModuleItem {
            name,
            rust_name: ident,
            renamed: attr.name.is_some(),
            location: Location {
                path: self.file.to_path_buf(),
                line: line_of(span),
                label,
            },
        });
    }

    /// The file a `mod name;` declaration loads and the directory its own `mod`s resolve in,
    /// by rustc's rules: `#[path]` outside inline blocks is relative to this file's directory
    /// and inside them to the inline blocks' directory; a `#[path]` file owns its directory
    /// like a `mod.rs`; otherwise `name.rs` (whose children live in `name/`) or `name/mod.rs`.
    fn module_file(&self, name: &str, path_attr: Option<&str>) -> Option<(PathBuf, PathBuf)> {
        if let Some(relative) = path_attr {
            let base = if self.inline_depth == 0 {
                parent_dir(self.file)
            } else {
                self.dir.clone()
            };
            let file = base.join(relative);
            let dir = parent_dir(&file);
            return Some((file, dir));
        }
        let flat = self.dir.join(format!("{name}.rs"));
        if flat.is_file() {
            return Some((flat, self.dir.join(name)));
        }
        let nested = self.dir.join(name).join("mod.rs");
        if nested.is_file() {
            return Some((nested, self.dir.join(name)));
        }
        None
    }
}

/// What the `#[pymodule]` attribute and any `#[pyo3(...)]` beside it say.
struct PyModuleAttr {
    name: Option<LitStr>,
    /// `#[pymodule(submodule)]`: PyO3 exports no hook for it.
    submodule: bool,
}

/// Recognises `#[pymodule]`, `#[pyo3::pymodule]` and `#[pyo3::prelude::pymodule]` (with or
/// without a leading `::`), and gathers the options of it and of `#[pyo3(...)]`.
fn pymodule_attr(attrs: &[Attribute]) -> Option<PyModuleAttr> {
    let marker = attrs.iter().find(|attr| is_pymodule_path(attr))?;
    let mut found = PyModuleAttr {
        name: None,
        submodule: false,
    };
    for attr in attrs {
        let is_options = attr.path().is_ident("pyo3") || std::ptr::eq(attr, marker);
        if is_options && matches!(attr.meta, Meta::List(_)) {
            read_options(attr, &mut found);
        }
    }
    Some(found)
}

fn is_pymodule_path(attr: &Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    matches!(
        segments.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ["pymodule"] | ["pyo3", "pymodule"] | ["pyo3", "prelude", "pymodule"]
    )
}

/// Reads `name = "..."` and `submodule` from an option list, stepping over options it does
/// not know (`gil_used = false`, `crate = "..."`). A list it cannot read leaves what was read
/// so far: a malformed attribute fails the build anyway.
fn read_options(attr: &Attribute, found: &mut PyModuleAttr) {
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("submodule") {
            found.submodule = true;
        } else if meta.path.is_ident("name") {
            let value = meta.value()?;
            if value.peek(LitStr) {
                found.name = Some(value.parse()?);
            } else {
                // Older PyO3 also took a bare identifier: `name = foo`.
                let ident = value.call(Ident::parse_any)?;
                found.name = Some(LitStr::new(&ident.unraw().to_string(), ident.span()));
            }
        } else if meta.input.peek(syn::Token![=]) {
            meta.value()?.parse::<syn::Expr>()?;
        } else if meta.input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in meta.input);
            content.parse::<proc_macro2::TokenStream>()?;
        }
        Ok(())
    });
}

/// The value of a `#[path = "..."]` attribute.
fn path_attribute(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

fn parent_dir(file: &Path) -> PathBuf {
    file.parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// 1-based line of a span in the file it was parsed from; `None` if it has no position.
fn line_of(span: Span) -> Option<u32> {
    let line = span.start().line;
    (line > 0).then(|| u32::try_from(line).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        super::super::fixture("pymodules/src")
    }

    #[test]
    fn finds_every_outermost_pymodule_in_source_order() {
        let src = fixture();
        let found = scan_pymodules(&src.join("lib.rs"));
        let summary: Vec<(&str, String, Option<u32>)> = found
            .iter()
            .map(|item| {
                let file = item.location.path.strip_prefix(&src).unwrap();
                (
                    item.name.as_str(),
                    file.display().to_string(),
                    item.location.line,
                )
            })
            .collect();
        let expected = [
            ("string_sum", "lib.rs", Some(4)),
            // Renamed: the line of the `name = "..."` literal, the text to edit.
            ("renamed", "lib.rs", Some(9)),
            ("via_attr", "lib.rs", Some(14)),
            ("async", "lib.rs", Some(30)),
            ("from_helpers", "helpers.rs", Some(2)),
            ("from_deeper", "helpers/deeper.rs", Some(2)),
            ("from_path_attr", "elsewhere/custom.rs", Some(2)),
            ("from_child", "elsewhere/child.rs", Some(2)),
            ("from_mod_rs", "dir_mod/mod.rs", Some(2)),
            ("from_inline_path", "inline/inline_target.rs", Some(2)),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(name, file, line)| (*name, file.to_string(), *line))
            .collect();
        assert_eq!(summary, expected);
    }

    #[test]
    fn labels_name_the_item_as_written() {
        let found = scan_pymodules(&fixture().join("lib.rs"));
        let labels: Vec<&str> = found
            .iter()
            .take(4)
            .map(|item| item.location.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "#[pymodule] fn string_sum",
                "#[pymodule] fn match (exported as renamed)",
                "#[pymodule] mod declarative (exported as via_attr)",
                "#[pymodule] fn async",
            ]
        );
    }

    #[test]
    fn unparsable_or_missing_roots_give_nothing() {
        assert!(scan_pymodules(&fixture().join("broken.rs")).is_empty());
        assert!(scan_pymodules(&fixture().join("no_such_file.rs")).is_empty());
    }

    #[test]
    fn name_options_in_any_order_and_form() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib.rs");
        std::fs::write(
            &lib,
            "#[pyo3(crate = \"::pyo3\", name = bare)]\n#[::pyo3::pymodule]\nfn a() {}\n\
             #[pymodule(name = \"x\", some_list(a, b))]\nfn b() {}\n",
        )
        .unwrap();
        let names: Vec<_> = scan_pymodules(&lib).into_iter().map(|i| i.name).collect();
        assert_eq!(names, ["bare", "x"]);
    }
}
