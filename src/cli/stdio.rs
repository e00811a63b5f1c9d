//! Standard output and error for a tool whose output is piped: a reader that stops early
//! (`| head`) ends the output quietly, and a closed stderr is never a panic.

use std::fmt::Display;
use std::io::{self, Write};

use crate::report::human::printable;

/// Writes `text` to stdout. A closed pipe is not an error: the reader has what it wanted.
pub fn print(text: &str) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    quiet_on_closed_pipe(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// `Ok` for a broken pipe, the error otherwise.
pub fn quiet_on_closed_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `pyinit-check: error: …` on stderr, one line.
pub fn error_line(error: &dyn Display) {
    let _ = writeln!(io::stderr(), "pyinit-check: error: {}", printable(error));
}

/// `pyinit-check: …` on stderr, one line.
pub fn message_line(message: &str) {
    let _ = writeln!(io::stderr(), "pyinit-check: {}", printable(message));
}
