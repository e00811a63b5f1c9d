//! The GNU hash table (`DT_GNU_HASH`), which glibc searches whenever an object has one.
//!
//! Layout: `nbuckets`, `symoffset`, `bloom_size`, `bloom_shift` (32-bit each), then
//! `bloom[bloom_size]` in native words (64-bit on ELF64, 32-bit on ELF32), `buckets[nbuckets]`
//! and the chain, one 32-bit hash per symbol from `symoffset` on. A chain entry holds the
//! symbol's hash with bit 0 replaced by "last in this chain". Symbols below `symoffset`
//! (undefined ones, typically) are in no chain: the loader cannot find them by name.

use super::dynamic::Mapped;
use crate::inspect::InspectError;

const MALFORMED_BLOOM: &str = "GNU hash table (DT_GNU_HASH): bloom_size is not a power of two";
const MALFORMED_BUCKET: &str = "GNU hash table (DT_GNU_HASH): a bucket points below symoffset";
const UNTERMINATED_CHAIN: &str = "GNU hash table (DT_GNU_HASH): a chain has no last entry";

/// The hash function of the GNU hash table (Bernstein's `h * 33 + c`, on unsigned bytes).
pub fn gnu_hash(name: &[u8]) -> u32 {
    name.iter().fold(5381u32, |h, &c| {
        h.wrapping_mul(33).wrapping_add(u32::from(c))
    })
}

#[derive(Clone, Copy)]
pub struct GnuHash<'a> {
    table: Mapped<'a>,
    is_64: bool,
    nbuckets: u32,
    symoffset: u32,
    bloom_size: u32,
    bloom_shift: u32,
}

impl<'a> GnuHash<'a> {
    pub fn parse(table: Mapped<'a>, is_64: bool) -> Result<GnuHash<'a>, InspectError> {
        let hash = GnuHash {
            table,
            is_64,
            nbuckets: table.u32(0)?,
            symoffset: table.u32(4)?,
            bloom_size: table.u32(8)?,
            bloom_shift: table.u32(12)?,
        };
        // glibc asserts this (it masks with `bloom_size - 1` instead of taking a remainder);
        // a zero size would make that mask select any word.
        if !hash.bloom_size.is_power_of_two() {
            return Err(InspectError::Malformed(MALFORMED_BLOOM));
        }
        Ok(hash)
    }

    fn word_bytes(&self) -> u64 {
        if self.is_64 { 8 } else { 4 }
    }

    fn buckets_at(&self) -> u64 {
        16 + u64::from(self.bloom_size) * self.word_bytes()
    }

    fn chain_at(&self) -> u64 {
        self.buckets_at() + 4 * u64::from(self.nbuckets)
    }

    fn bucket(&self, index: u32) -> Result<u32, InspectError> {
        self.table.u32(self.buckets_at() + 4 * u64::from(index))
    }

    /// The chain entry of symbol `symidx` (which is at least `symoffset`).
    fn chain(&self, symidx: u32) -> Result<u32, InspectError> {
        let into = symidx
            .checked_sub(self.symoffset)
            .ok_or(InspectError::Malformed(MALFORMED_BUCKET))?;
        self.table.u32(self.chain_at() + 4 * u64::from(into))
    }

    /// The bloom filter test: both bits `h % W` and `(h >> bloom_shift) % W` must be set in
    /// word `(h / W) % bloom_size`, W being the bits in a native word.
    fn bloom_admits(&self, h: u32) -> Result<bool, InspectError> {
        let bits = if self.is_64 { 64 } else { 32 };
        let index = (h / bits) & (self.bloom_size - 1);
        let word = self
            .table
            .word(16 + u64::from(index) * self.word_bytes(), self.is_64)?;
        let bit1 = h % bits;
        // A shift of 32 or more is undefined in C; such a file is nonsense either way.
        let bit2 = h.checked_shr(self.bloom_shift).unwrap_or(0) % bits;
        Ok((word >> bit1) & (word >> bit2) & 1 == 1)
    }

    /// The symbol indexes in `name`'s chain whose stored hash matches, in chain order; the
    /// caller applies the symbol rules to each. Empty when the bloom filter or an empty
    /// bucket rules the name out. The walk ends at the entry marked last, and no chain can
    /// outrun the table, so a hostile file ends in an error rather than a long loop.
    pub fn candidates(&self, name: &[u8]) -> Result<Vec<u32>, InspectError> {
        // glibc skips an object with no buckets, as it does one with no hash table.
        if self.nbuckets == 0 {
            return Ok(Vec::new());
        }
        let h = gnu_hash(name);
        if !self.bloom_admits(h)? {
            return Ok(Vec::new());
        }
        let first = self.bucket(h % self.nbuckets)?;
        if first == 0 {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for symidx in first..=u32::MAX {
            let entry = self.chain(symidx)?;
            if (entry ^ h) >> 1 == 0 {
                found.push(symidx);
            }
            if entry & 1 == 1 {
                return Ok(found);
            }
        }
        Err(InspectError::Malformed(UNTERMINATED_CHAIN))
    }

    /// How many dynamic symbols the object has: the unhashed ones below `symoffset` and every
    /// one a chain reaches. References are usually unhashed, but not always: GNU ld hashes an
    /// executable's undefined `__cxa_finalize` (tests/fixtures/elf/pie.so), so both count.
    pub fn symbol_count(&self) -> Result<u32, InspectError> {
        Ok(self.hashed_symbols()?.end.max(self.symoffset))
    }

    /// The symbol indexes any chain can reach: from `symoffset` to the end of the chain that
    /// starts highest. Linkers sort hashed symbols by bucket, so this is every one of them.
    pub fn hashed_symbols(&self) -> Result<std::ops::Range<u32>, InspectError> {
        let mut last_start = 0;
        for bucket in 0..self.nbuckets {
            last_start = last_start.max(self.bucket(bucket)?);
        }
        if last_start == 0 {
            return Ok(0..0);
        }
        for symidx in last_start..=u32::MAX {
            if self.chain(symidx)? & 1 == 1 {
                return Ok(self.symoffset..symidx.saturating_add(1));
            }
        }
        Err(InspectError::Malformed(UNTERMINATED_CHAIN))
    }
}

#[cfg(test)]
mod tests {
    use super::gnu_hash;

    #[test]
    fn hash_function_matches_the_published_values() {
        // Values from the GNU hash description ("dl_new_hash").
        assert_eq!(gnu_hash(b""), 0x0000_1505);
        assert_eq!(gnu_hash(b"printf"), 0x156b_2bb8);
        assert_eq!(gnu_hash(b"exit"), 0x7c96_7e3f);
        assert_eq!(gnu_hash(b"syscall"), 0xbac2_12a0);
    }
}
