//! Paths as the repository sees them: SARIF and GitHub annotations need locations relative to
//! the checkout, and fingerprints must not change when the checkout moves.

use std::path::{Component, Path, PathBuf};

/// The checkout root: `$GITHUB_WORKSPACE` on Actions, else the current directory.
pub fn repository_root() -> PathBuf {
    std::env::var_os("GITHUB_WORKSPACE")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// `path` relative to `root` with `/` separators, or `None` when it lies outside.
pub fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let absolute = absolute(path);
    let relative = absolute.strip_prefix(absolute_root(root)).ok()?;
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn absolute_root(root: &Path) -> PathBuf {
    absolute(root)
}

/// A lexically normalised absolute path (no symlink resolution: the file may be gone).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A `file://` URI for a path outside the repository.
pub fn file_uri(path: &Path) -> String {
    let absolute = absolute(path);
    let text = absolute.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", percent_encode_path(&text))
}

/// Percent-encodes what a URI path may not contain literally.
pub fn percent_encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_forward_slashes_and_stay_inside() {
        let root = Path::new("/repo");
        assert_eq!(
            relative_to(root, Path::new("/repo/target/release/libfoo.so")).as_deref(),
            Some("target/release/libfoo.so")
        );
        assert_eq!(
            relative_to(root, Path::new("/repo/a/../b.so")).as_deref(),
            Some("b.so")
        );
        assert_eq!(relative_to(root, Path::new("/elsewhere/b.so")), None);
    }

    #[test]
    fn uris_escape_spaces_and_percent() {
        assert_eq!(percent_encode_path("a b%c/d"), "a%20b%25c/d");
    }
}
