//! Writing report files without ever leaving one half-written: the content goes to a
//! temporary file beside the target, which is renamed over it only when complete.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `content` atomically (same directory, then rename).
pub fn write_atomically(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(content)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Appends `content` to `path` (GitHub's summary and output files are append-only by contract).
pub fn append(path: &Path, content: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(content)
}
