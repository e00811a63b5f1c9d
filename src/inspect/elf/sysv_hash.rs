//! The System V hash table (`DT_HASH`), which glibc searches when there is no `DT_GNU_HASH`.
//!
//! Layout: `nbucket`, `nchain`, `bucket[nbucket]`, `chain[nchain]`, one entry per symbol.
//! `bucket[h % nbucket]` is the first symbol index to try and `chain[i]` the one after `i`;
//! index 0 (`STN_UNDEF`) ends a chain. Unlike the GNU table, every dynamic symbol is in a
//! chain, undefined ones included, so the symbol rules must skip them. Entries are 32-bit
//! except where glibc's `Elf_Symndx` is 64-bit (see `ElfHeader::sysv_hash_entry_size`).

use super::dynamic::Mapped;
use crate::inspect::InspectError;

const CYCLE: &str = "SysV hash table (DT_HASH): a chain loops";
const PAST_NCHAIN: &str = "SysV hash table (DT_HASH): a chain names a symbol past nchain";
const TOO_WIDE: &str = "SysV hash table (DT_HASH): an entry does not fit 32 bits";

/// The System V ABI's ELF hash function.
pub fn elf_hash(name: &[u8]) -> u32 {
    name.iter().fold(0u32, |h, &c| {
        let h = (h << 4).wrapping_add(u32::from(c));
        let high = h & 0xf000_0000;
        (h ^ (high >> 24)) & !high
    })
}

#[derive(Clone, Copy)]
pub struct SysvHash<'a> {
    table: Mapped<'a>,
    entry_size: u64,
    nbucket: u32,
    nchain: u32,
}

impl<'a> SysvHash<'a> {
    pub fn parse(table: Mapped<'a>, entry_size: u64) -> Result<SysvHash<'a>, InspectError> {
        let mut hash = SysvHash {
            table,
            entry_size,
            nbucket: 0,
            nchain: 0,
        };
        hash.nbucket = hash.entry(0)?;
        hash.nchain = hash.entry(1)?;
        Ok(hash)
    }

    /// Entry `index` of the table, counting `nbucket` and `nchain` as entries 0 and 1.
    fn entry(&self, index: u64) -> Result<u32, InspectError> {
        let at = index * self.entry_size;
        if self.entry_size == 8 {
            u32::try_from(self.table.word(at, true)?).map_err(|_| InspectError::Malformed(TOO_WIDE))
        } else {
            self.table.u32(at)
        }
    }

    fn bucket(&self, index: u32) -> Result<u32, InspectError> {
        self.entry(2 + u64::from(index))
    }

    fn chain(&self, symidx: u32) -> Result<u32, InspectError> {
        self.entry(2 + u64::from(self.nbucket) + u64::from(symidx))
    }

    /// How many chain entries there can be: `nchain`, unless the table ends sooner.
    fn chain_len(&self) -> u64 {
        let entries = self.table.len() / self.entry_size;
        entries
            .saturating_sub(2 + u64::from(self.nbucket))
            .min(self.nchain.into())
    }

    /// Every symbol index in `name`'s chain, in order; the caller compares names and applies
    /// the symbol rules. A chain visits each symbol at most once, so a walk longer than the
    /// chain array has looped.
    pub fn candidates(&self, name: &[u8]) -> Result<Vec<u32>, InspectError> {
        // glibc skips an object with no buckets, as it does one with no hash table.
        if self.nbucket == 0 {
            return Ok(Vec::new());
        }
        let max_steps = self.chain_len();
        let mut found = Vec::new();
        let mut symidx = self.bucket(elf_hash(name) % self.nbucket)?;
        while symidx != 0 {
            if symidx >= self.nchain {
                return Err(InspectError::Malformed(PAST_NCHAIN));
            }
            if found.len() as u64 >= max_steps {
                return Err(InspectError::Malformed(CYCLE));
            }
            found.push(symidx);
            symidx = self.chain(symidx)?;
        }
        Ok(found)
    }

    /// The symbol indexes the table covers: `nchain` is the number of dynamic symbols.
    pub fn hashed_symbols(&self) -> std::ops::Range<u32> {
        1..self.nchain
    }
}

#[cfg(test)]
mod tests {
    use super::elf_hash;

    #[test]
    fn hash_function_matches_the_published_values() {
        assert_eq!(elf_hash(b""), 0);
        assert_eq!(elf_hash(b"printf"), 0x0779_05a6);
        assert_eq!(elf_hash(b"exit"), 0x0006_cf04);
        assert_eq!(elf_hash(b"syscall"), 0x0b09_985c);
    }
}
