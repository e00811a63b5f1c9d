//! Writing report files without ever leaving one half-written: the content goes to a
//! temporary file beside the target, which is renamed over it only when complete.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `content` atomically (same directory, then rename). Errors carry
/// only the system's reason: the caller names `path`, and the temporary file's random name
/// would mean nothing to the user.
pub fn write_atomically(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(plain)?;
    temp.write_all(content).map_err(plain)?;
    temp.as_file().sync_all().map_err(plain)?;
    temp.persist(path).map_err(|e| plain(e.error))?;
    Ok(())
}

/// The operating system's error without the path `tempfile` wraps around it.
fn plain(error: io::Error) -> io::Error {
    let inner = error
        .get_ref()
        .and_then(|wrapped| wrapped.source())
        .and_then(|source| source.downcast_ref::<io::Error>())
        .and_then(io::Error::raw_os_error);
    match inner.or(error.raw_os_error()) {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(error.kind()),
    }
}

/// Appends `content` to `path` (GitHub's summary and output files are append-only by contract).
pub fn append(path: &Path, content: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(content)
}
