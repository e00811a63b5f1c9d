//! What the user sees while the run goes on: each human entry on stdout as soon as it and
//! every entry before it are done, notices on stderr, and a progress bar on a terminal. The
//! summary and every whole-document report are written at the end, by `emit`.

use std::io::{self, IsTerminal};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::RunError;
use crate::outcome::Entry;
use crate::pipeline::Notice;
use crate::report::Context;
use crate::report::human::{self, printable};

use super::{Cli, stdio};

/// Runs with more artifacts than this show a progress bar (on a terminal); a handful is
/// done before a bar would be worth reading.
const PROGRESS_ABOVE: usize = 8;

/// The progress bar, when one is shown. It lives on stderr only and is cleared before the
/// summary, so stdout never holds a byte of it.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `artifacts` when stderr is a terminal, the run is not on GitHub Actions and
    /// `--no-progress` was not given; otherwise nothing is drawn.
    pub fn new(cli: &Cli, artifacts: usize) -> Progress {
        let on_actions = std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| !v.is_empty());
        let show = shows_progress(
            cli.no_progress,
            artifacts,
            on_actions,
            io::stderr().is_terminal(),
        );
        let bar = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(artifacts as u64), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} artifacts checked ({elapsed})")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar }
    }

    /// Runs `write` with the bar taken off the screen, so a line written meanwhile is not
    /// drawn over.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    fn advance(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Takes the bar off the screen for good.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// A notice from the pipeline, as one line on stderr.
    pub fn notice(&self, notice: Notice) {
        let line = match notice {
            Notice::Waiting { lock } => crate::stage::wait_message(lock),
            Notice::Unexpected { artifact, outcome } => {
                format!("{}: {}", printable(artifact.display()), printable(outcome))
            }
            Notice::Recovered { artifact, recovery } => {
                format!("{}: {}", printable(artifact.display()), printable(recovery))
            }
        };
        self.suspend(|| stdio::message_line(&line));
    }
}

/// Whether a run draws the bar: asked for (no `--no-progress`), long enough to be worth it,
/// not in a GitHub Actions log (which keeps every redraw), and on a terminal.
fn shows_progress(no_progress: bool, artifacts: usize, on_actions: bool, terminal: bool) -> bool {
    !no_progress && artifacts > PROGRESS_ABOVE && !on_actions && terminal
}

/// The human report's entries, printed as they come.
pub struct Stream<'a> {
    context: &'a Context,
    progress: &'a Progress,
    /// Whether stdout is the human report; otherwise entries only advance the bar.
    human: bool,
    /// The first failure to write stdout; nothing more is streamed after it.
    failed: Option<io::Error>,
    /// What the human report says once a wheel's entries are done.
    held: human::Held,
}

impl<'a> Stream<'a> {
    pub fn new(context: &'a Context, progress: &'a Progress, human: bool) -> Self {
        Stream {
            context,
            progress,
            human,
            failed: None,
            held: human::Held::default(),
        }
    }

    /// One entry is done, and every one before it.
    pub fn entry(&mut self, entry: &Entry) {
        self.progress.advance();
        if !self.human || self.failed.is_some() {
            return;
        }
        let mut lines = Vec::new();
        // Rendering into memory cannot fail for lack of room to write.
        let _ = human::render_entry(&mut lines, entry, self.context, &mut self.held);
        self.print(&lines);
    }

    fn print(&mut self, lines: &[u8]) {
        if lines.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(lines);
        if let Err(error) = self.progress.suspend(|| stdio::print(&text)) {
            self.failed = Some(error);
        }
    }

    /// Whether every entry reached stdout.
    pub fn finish(mut self) -> Result<(), RunError> {
        if self.human && self.failed.is_none() {
            let mut lines = Vec::new();
            let _ = self.held.flush(&mut lines, self.context);
            self.print(&lines);
        }
        self.progress.finish();
        self.failed
            .map_or(Ok(()), |error| Err(RunError::Output(error)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_is_drawn_only_for_long_runs_on_a_terminal_outside_actions() {
        assert!(shows_progress(false, 9, false, true));
        assert!(!shows_progress(false, 8, false, true), "a handful");
        assert!(!shows_progress(true, 100, false, true), "--no-progress");
        assert!(!shows_progress(false, 100, true, true), "GitHub Actions");
        assert!(!shows_progress(false, 100, false, false), "not a terminal");
    }
}
