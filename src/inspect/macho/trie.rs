//! The export trie, searched the way dyld's `trieWalk` does.
//!
//! A node is `terminal_size` (uleb128), then `terminal_size` bytes of export information when
//! a symbol ends here (`flags` uleb128, then for a re-export the dylib ordinal and the imported
//! name, otherwise the address), then a child count (one byte) and per child an edge label
//! (NUL-terminated) and the child's offset from the start of the trie (uleb128).
//!
//! A lookup reads only the nodes on the wanted name's path: at each node the name is a hit if
//! it is used up and the node is terminal, otherwise the walk follows the first edge that is a
//! prefix of what is left. Like dyld, it refuses offset 0 or past the trie, a node visited twice
//! (a cycle) and paths of 128 nodes or more. Corruption in branches the name does not enter is
//! not seen by a lookup, as it is not seen by dyld; the full walk behind
//! [`ExportTable::exported_with_prefixes`] reports it.

use std::collections::HashSet;

use goblin::mach::exports::{
    EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE, EXPORT_SYMBOL_FLAGS_KIND_MASK,
    EXPORT_SYMBOL_FLAGS_KIND_REGULAR, EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL,
    EXPORT_SYMBOL_FLAGS_REEXPORT,
};

use super::load_commands::{Extent, dylib_name};
use super::{c_name, mangle};
use crate::inspect::{ExportTable, InspectError, LookupOutcome, MissReason, Reader};

/// dyld records visited node offsets in a 128-entry array, the root included, and gives up
/// ("malformed trie too deep") when it fills; a deeper symbol cannot be found.
const MAX_PATH_NODES: usize = 128;

pub(super) struct ExportTrie<'a> {
    /// The trie's bytes only: every offset in it is relative to its start.
    trie: Reader<'a>,
    /// The whole image, for the install names of re-export targets.
    image: Reader<'a>,
    dylibs: Vec<Extent>,
}

/// The export information of a terminal node: `trie[start..end]`.
#[derive(Debug, Clone, Copy)]
struct Terminal {
    start: u64,
    end: u64,
}

/// A node's layout as far as the walks need it.
struct Node {
    terminal: Option<Terminal>,
    /// Offset of the child count byte.
    children: u64,
}

impl<'a> ExportTrie<'a> {
    /// `extent` comes from `LC_DYLD_EXPORTS_TRIE` or `LC_DYLD_INFO[_ONLY]` and must lie in the image.
    pub fn new(
        image: Reader<'a>,
        extent: Extent,
        dylibs: Vec<Extent>,
    ) -> Result<Self, InspectError> {
        let bytes = image.slice(extent.offset, extent.size, "export trie")?;
        Ok(ExportTrie {
            trie: Reader::new(bytes, image.big_endian),
            image,
            dylibs,
        })
    }

    fn len(&self) -> u64 {
        self.trie.bytes.len() as u64
    }

    fn node(&self, offset: u64) -> Result<Node, InspectError> {
        let (terminal_size, info) = within(
            self.trie.uleb128(offset, "export trie node: terminal size"),
            "export trie node runs past the end of the trie",
        )?;
        let children = info
            .checked_add(terminal_size)
            .filter(|&end| end <= self.len())
            .ok_or(InspectError::Malformed(
                "export trie node: terminal information runs past the end of the trie",
            ))?;
        let terminal = (terminal_size != 0).then_some(Terminal {
            start: info,
            end: children,
        });
        Ok(Node { terminal, children })
    }

    /// Reads the child count at `at`; returns it and where the first edge starts.
    fn child_count(&self, at: u64) -> Result<(u8, u64), InspectError> {
        Ok((
            within(
                self.trie.u8(at, "export trie node"),
                "export trie node: child count past the end of the trie",
            )?,
            at + 1,
        ))
    }

    /// Reads one child entry at `at`: the edge label, the child offset, and where the next entry starts.
    fn child(&self, at: u64) -> Result<(&'a [u8], u64, u64), InspectError> {
        let edge = within(
            self.trie.c_str(at, self.len(), "export trie edge label"),
            "export trie edge label runs past the end of the trie",
        )?;
        let (offset, next) = within(
            self.trie
                .uleb128(at + edge.len() as u64 + 1, "export trie child offset"),
            "export trie child offset runs past the end of the trie",
        )?;
        Ok((edge, offset, next))
    }

    fn check_child_offset(&self, offset: u64) -> Result<(), InspectError> {
        // Offset 0 is the root: an edge back to it is how the simplest cycle looks.
        if offset == 0 || offset >= self.len() {
            return Err(InspectError::Malformed(
                "export trie child offset out of range",
            ));
        }
        Ok(())
    }

    /// dyld's `trieWalk`: the terminal information of `symbol` (a Mach-O name, with `_`), if any.
    fn find(&self, symbol: &[u8]) -> Result<Option<Terminal>, InspectError> {
        if self.len() == 0 {
            return Ok(None);
        }
        let mut visited: Vec<u64> = vec![0];
        let mut offset = 0;
        let mut rest = symbol;
        loop {
            let node = self.node(offset)?;
            if let Some(terminal) = node.terminal.filter(|_| rest.is_empty()) {
                return Ok(Some(terminal));
            }
            let (count, mut at) = self.child_count(node.children)?;
            let mut next = None;
            for _ in 0..count {
                let (edge, child, after) = self.child(at)?;
                at = after;
                // Only the first matching edge counts; labels of a well-formed node differ
                // in their first byte, so there is at most one.
                if let Some(tail) = rest.strip_prefix(edge) {
                    next = Some((child, tail));
                    break;
                }
            }
            let Some((child, tail)) = next else {
                return Ok(None);
            };
            self.check_child_offset(child)?;
            if visited.contains(&child) {
                return Err(InspectError::Malformed("export trie has a cycle"));
            }
            visited.push(child);
            if visited.len() >= MAX_PATH_NODES {
                return Err(InspectError::Malformed(
                    "export trie path too deep (dyld stops at 128 nodes)",
                ));
            }
            offset = child;
            rest = tail;
        }
    }

    /// Reads a terminal's export information as dyld's `findExportedSymbol` does.
    fn outcome(&self, terminal: Terminal, symbol: &[u8]) -> Result<LookupOutcome, InspectError> {
        let info = Reader::new(
            self.trie
                .slice(terminal.start, terminal.end - terminal.start, "export trie")?,
            false,
        );
        let (flags, at) = within(
            info.uleb128(0, "export trie entry flags"),
            "export trie entry: flags run past its end",
        )?;
        if flags & EXPORT_SYMBOL_FLAGS_REEXPORT != 0 {
            let (ordinal, at) = within(
                info.uleb128(at, "export trie re-export ordinal"),
                "export trie entry: ordinal runs past its end",
            )?;
            let imported = within(
                info.c_str(at, info.bytes.len() as u64, "export trie re-export name"),
                "export trie entry: re-export name runs past its end",
            )?;
            // An empty imported name means "the same name".
            let imported = if imported.is_empty() {
                symbol
            } else {
                imported
            };
            return Ok(self.reexport(ordinal, imported));
        }
        Ok(match flags & EXPORT_SYMBOL_FLAGS_KIND_MASK {
            EXPORT_SYMBOL_FLAGS_KIND_REGULAR
            | EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL
            | EXPORT_SYMBOL_FLAGS_KIND_ABSOLUTE => LookupOutcome::Exported,
            _ => LookupOutcome::Missing(MissReason::UnknownTrieKind { flags }),
        })
    }

    /// A re-export resolves by name if its ordinal names one of this image's dependent libraries.
    fn reexport(&self, ordinal: u64, imported: &[u8]) -> LookupOutcome {
        let name = c_name(imported);
        let command = usize::try_from(ordinal)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| self.dylibs.get(index));
        match command {
            None => {
                LookupOutcome::Missing(MissReason::ReexportFromUnloadedLibrary { name, ordinal })
            }
            Some(&command) => match dylib_name(&self.image, command) {
                Ok(dylib) => LookupOutcome::Forwarded(format!(
                    "{name} in {}",
                    String::from_utf8_lossy(dylib)
                )),
                Err(_) => {
                    LookupOutcome::Forwarded(format!("{name} in dependent library #{ordinal}"))
                }
            },
        }
    }

    /// Visits every terminal node's full Mach-O name, depth first. Each node may be reached
    /// only once, which bounds the walk by the trie's size and rejects cycles and shared nodes.
    fn for_each_export(
        &self,
        mut visit: impl FnMut(&[u8], Terminal) -> Result<(), InspectError>,
    ) -> Result<(), InspectError> {
        if self.len() == 0 {
            return Ok(());
        }
        // (node offset, nodes on its path, length of the parent's name, edge label) — the name
        // is rebuilt in one buffer so a long chain costs its length once, not per pending node.
        let mut pending: Vec<(u64, usize, usize, &'a [u8])> = vec![(0, 1, 0, &[])];
        let mut seen = HashSet::from([0u64]);
        let mut name: Vec<u8> = Vec::new();
        while let Some((offset, depth, parent_len, edge)) = pending.pop() {
            name.truncate(parent_len);
            name.extend_from_slice(edge);
            let node = self.node(offset)?;
            // dyld cannot reach a node this deep, so it is not an export in practice.
            if let Some(terminal) = node.terminal.filter(|_| depth < MAX_PATH_NODES) {
                visit(&name, terminal)?;
            }
            let (count, mut at) = self.child_count(node.children)?;
            for _ in 0..count {
                let (edge, child, after) = self.child(at)?;
                at = after;
                self.check_child_offset(child)?;
                if !seen.insert(child) {
                    return Err(InspectError::Malformed(
                        "export trie has a cycle or a node with two parents",
                    ));
                }
                pending.push((child, depth + 1, name.len(), edge));
            }
        }
        Ok(())
    }
}

impl ExportTable for ExportTrie<'_> {
    fn lookup(&self, symbol: &str) -> Result<LookupOutcome, InspectError> {
        let mangled = mangle(symbol);
        match self.find(&mangled)? {
            Some(terminal) => self.outcome(terminal, &mangled),
            None => Ok(LookupOutcome::Missing(MissReason::NotInExportTrie)),
        }
    }

    fn exported_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        let mut found = Vec::new();
        self.for_each_export(|name, terminal| {
            let Some(c) = name.strip_prefix(b"_") else {
                return Ok(());
            };
            if prefixes.iter().any(|p| c.starts_with(p.as_bytes()))
                && self.outcome(terminal, name)?.is_resolvable()
            {
                found.push(String::from_utf8_lossy(c).into_owned());
            }
            Ok(())
        })?;
        found.sort();
        found.dedup();
        Ok(found)
    }
}

/// Reads inside the trie that run off its end are corruption of the trie, not a short file
/// (the trie's own extent was checked against the file when it was opened).
fn within<T>(read: Result<T, InspectError>, past_end: &'static str) -> Result<T, InspectError> {
    read.map_err(|e| match e {
        InspectError::Truncated(_) => InspectError::Malformed(past_end),
        other => other,
    })
}
