//! Writing report files without ever leaving one half-written: the content goes to a
//! temporary file beside the target, which is renamed over it only when complete.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `content` atomically: a temporary file beside it, renamed over it
/// only when complete. Errors are the system's own, with no path in them: the caller names
/// `path`, and the temporary file's name would mean nothing to the user.
pub fn write_atomically(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    let (temp, mut file) = create_temporary(dir, &name)?;
    let written = file
        .write_all(content)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// A new file `.<name>.<pid>.<n>.tmp` in `dir`, never one that exists.
fn create_temporary(dir: &Path, name: &str) -> io::Result<(std::path::PathBuf, fs::File)> {
    let mut attempt = 0u32;
    loop {
        let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
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
