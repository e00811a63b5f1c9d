//! Hostile input: truncated and corrupted fixtures must give `Ok` or `Err`, never a panic or
//! an endless walk, and hash chains that loop or never end must be reported.

use super::{HOOK_PREFIXES, fixture};
use crate::inspect::elf::dynamic::{AddressSpace, DynamicInfo};
use crate::inspect::elf::header::ElfHeader;
use crate::inspect::elf::open;
use crate::inspect::elf::sysv_hash::elf_hash;
use crate::inspect::hostile::{Rng, exercise_slice};
use crate::inspect::{InspectError, LookupOutcome};

fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = format!("{}/tests/fixtures/elf", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "README.md")
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|name| (name.clone(), fixture(&name)))
        .collect()
}

/// Everything a caller may do with a file; only the absence of a panic is checked.
fn exercise(bytes: &[u8]) {
    if let Ok(slice) = open(bytes) {
        exercise_slice(
            &slice,
            &[
                "PyInit_gnuhash",
                "PyInit_sysvhash",
                "PyInit_many",
                "PyInit_absent",
                "unrelated_helper",
            ],
        );
    }
}

#[test]
fn truncated_fixtures_never_panic() {
    for (name, bytes) in all_fixtures() {
        for len in (0..bytes.len()).step_by(7) {
            exercise(&bytes[..len]);
        }
        // Cut just inside the header, where every field read matters.
        for len in 0..bytes.len().min(256) {
            exercise(&bytes[..len]);
        }
        assert!(open(&bytes).is_ok(), "{name}");
    }
}

#[test]
fn corrupted_fixtures_never_panic() {
    // ELF_FUZZ_ROUNDS raises the count for a longer local run.
    let rounds = std::env::var("ELF_FUZZ_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (_, bytes) in all_fixtures() {
        // The loader's tables sit in the first pages; aim most flips there.
        let hot = bytes.len().min(2048);
        for _ in 0..rounds {
            let mut copy = bytes.clone();
            for _ in 0..1 + rng.below(4) {
                let at = if rng.below(4) == 0 {
                    rng.below(copy.len())
                } else {
                    rng.below(hot)
                };
                copy[at] = match rng.below(3) {
                    0 => copy[at] ^ (1 << rng.below(8)),
                    1 => 0xff,
                    _ => rng.next() as u8,
                };
            }
            exercise(&copy);
        }
    }
}

/// The file offsets of a fixture's hash table (`DT_GNU_HASH` or `DT_HASH`) and of
/// `DT_SYMTAB`, which linkers put right after it.
fn table_offsets(bytes: &[u8], gnu: bool) -> (usize, usize) {
    let header = ElfHeader::parse(bytes).unwrap();
    let reader = header.reader(bytes);
    let phdrs = header.program_headers(&reader).unwrap();
    let space = AddressSpace::new(&phdrs);
    let dynamic = phdrs
        .iter()
        .find(|ph| ph.p_type == goblin::elf::program_header::PT_DYNAMIC)
        .unwrap();
    let info = DynamicInfo::read(reader, header.is_64, &space, dynamic).unwrap();
    let hash = if gnu { info.gnu_hash } else { info.hash }.unwrap();
    let offset = |vaddr| space.to_file(vaddr).unwrap().0 as usize;
    (offset(hash), offset(info.symtab.unwrap()))
}

fn hash_table_offset(bytes: &[u8], gnu: bool) -> usize {
    table_offsets(bytes, gnu).0
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[test]
fn sysv_chain_cycle_is_malformed() {
    let mut bytes = fixture("sysvhash.so");
    let table = hash_table_offset(&bytes, false);
    let nbucket = le32(&bytes, table);
    // A name that is not in the file but shares PyInit_sysvhash's bucket, whose chain then
    // loops back on its first symbol.
    let bucket = elf_hash(b"PyInit_sysvhash") % nbucket;
    let absent = (0..)
        .map(|i| format!("PyInit_absent{i}"))
        .find(|name| elf_hash(name.as_bytes()) % nbucket == bucket)
        .unwrap();
    let first = le32(&bytes, table + 8 + 4 * bucket as usize);
    let chain_entry = table + 8 + 4 * (nbucket + first) as usize;
    bytes[chain_entry..chain_entry + 4].copy_from_slice(&first.to_le_bytes());
    let slice = open(&bytes).unwrap();
    let table = slice.exports.unwrap();
    assert_eq!(
        table.lookup(&absent),
        Err(InspectError::Malformed(
            "SysV hash table (DT_HASH): a chain loops"
        ))
    );
    // A chain index past nchain is refused rather than read.
    drop(table);
    let mut bytes = fixture("sysvhash.so");
    let table = hash_table_offset(&bytes, false);
    let bucket_entry = table + 8 + 4 * bucket as usize;
    bytes[bucket_entry..bucket_entry + 4].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    let exports = open(&bytes).unwrap().exports.unwrap();
    assert!(matches!(
        exports.lookup("PyInit_sysvhash"),
        Err(InspectError::Malformed(_))
    ));
}

/// A chain whose end bits are all cleared walks on into whatever follows; that must end
/// (in an error or a miss), not hang or panic.
#[test]
fn gnu_chain_without_end_terminates() {
    let mut bytes = fixture("many.so");
    let (table, symtab) = table_offsets(&bytes, true);
    let (nbuckets, bloom_size) = (
        le32(&bytes, table) as usize,
        le32(&bytes, table + 8) as usize,
    );
    let chain = table + 16 + 8 * bloom_size + 4 * nbuckets;
    for at in (chain..symtab).step_by(4) {
        bytes[at] &= !1;
    }
    let exports = open(&bytes).unwrap().exports.unwrap();
    assert_ne!(exports.lookup("PyInit_absent"), Ok(LookupOutcome::Exported));
    let _ = exports.exported_with_prefixes(HOOK_PREFIXES);
}

#[test]
fn gnu_bloom_size_must_be_a_power_of_two() {
    for size in [0u32, 3] {
        let mut bytes = fixture("gnuhash.so");
        let table = hash_table_offset(&bytes, true);
        bytes[table + 8..table + 12].copy_from_slice(&size.to_le_bytes());
        assert!(
            matches!(open(&bytes).err(), Some(InspectError::Malformed(_))),
            "{size}"
        );
    }
}

#[test]
fn intact_fixture_still_resolves_after_unrelated_damage() {
    // Section headers are never read: wiping them changes nothing.
    let mut bytes = fixture("gnuhash.so");
    let shoff = u64::from_le_bytes(bytes[0x28..0x30].try_into().unwrap()) as usize;
    for b in &mut bytes[shoff..] {
        *b = 0xee;
    }
    let exports = open(&bytes).unwrap().exports.unwrap();
    assert_eq!(
        exports.lookup("PyInit_gnuhash").unwrap(),
        LookupOutcome::Exported
    );
}
