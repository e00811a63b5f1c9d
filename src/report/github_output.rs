//! Step outputs for `$GITHUB_OUTPUT`: `name=value` lines, multi-line values as
//! `name<<DELIMITER` … `DELIMITER` with a random delimiter that cannot occur in the value.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use crate::outcome::RunOutcome;
use crate::stage::StageOutcome;

use super::Context;

/// The step outputs of a run: `result`, `errors` (error findings plus inputs that could not
/// be checked — one per `::error` annotation), `warnings`, `sarif-file`, `staged`.
pub fn render_run(run: &RunOutcome, context: &Context) -> String {
    let staged: Vec<String> = run
        .entries
        .iter()
        .filter_map(|entry| entry.stage.as_ref().and_then(StageOutcome::staged))
        .map(|path| path.display().to_string())
        .collect();
    // Absolute: the upload step that reads it may run in another working directory.
    let sarif_file = context
        .sarif_file
        .as_ref()
        .map(|path| {
            std::path::absolute(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string()
        })
        .unwrap_or_default();
    render(&[
        ("result", run.result.id().to_string()),
        (
            "errors",
            (run.totals.errors + run.totals.errored).to_string(),
        ),
        ("warnings", run.totals.warnings.to_string()),
        ("sarif-file", sarif_file),
        ("staged", staged.join("\n")),
    ])
}

/// Formats `outputs` for appending to the `$GITHUB_OUTPUT` file.
pub fn render(outputs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (name, value) in outputs {
        if value.contains('\n') || value.contains('\r') {
            let delimiter = delimiter_not_in(value);
            out.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            out.push_str(&format!("{name}={value}\n"));
        }
    }
    out
}

fn delimiter_not_in(value: &str) -> String {
    loop {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(value.len());
        let candidate = format!("ghadelimiter_{:016x}", hasher.finish());
        if !value.contains(&candidate) {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads an output file as the Actions runner does: `name=value`, or `name<<DELIMITER`
    /// and the lines up to the delimiter alone on a line.
    fn parse_like_the_runner(text: &str) -> Vec<(String, String)> {
        let mut outputs = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some((name, delimiter)) = line.split_once("<<") {
                let mut value = Vec::new();
                for line in lines.by_ref() {
                    if line == delimiter {
                        break;
                    }
                    value.push(line);
                }
                outputs.push((name.to_string(), value.join("\n")));
            } else if let Some((name, value)) = line.split_once('=') {
                outputs.push((name.to_string(), value.to_string()));
            }
        }
        outputs
    }

    #[test]
    fn values_cannot_inject_outputs() {
        // A staged path carrying a fake delimiter and a fake output, and one of our own
        // delimiter's shape: each stays inside its value.
        let hostile = "a.so\nEOF\nresult=pass\nghadelimiter_0000000000000000\nerrors=0";
        let text = render(&[
            ("result", "fail".into()),
            ("staged", hostile.into()),
            ("errors", "1".into()),
        ]);
        assert_eq!(
            parse_like_the_runner(&text),
            [
                ("result".to_string(), "fail".to_string()),
                ("staged".to_string(), hostile.to_string()),
                ("errors".to_string(), "1".to_string()),
            ]
        );
    }

    #[test]
    fn single_and_multi_line_values() {
        let text = render(&[("result", "fail".into()), ("staged", "a.so\nb.so".into())]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("result=fail"));
        let opener = lines.next().unwrap();
        let delimiter = opener.strip_prefix("staged<<").unwrap();
        assert!(delimiter.starts_with("ghadelimiter_"));
        assert_eq!(lines.next(), Some("a.so"));
        assert_eq!(lines.next(), Some("b.so"));
        assert_eq!(lines.next(), Some(delimiter));
        assert_ne!(
            render(&[("x", "1\n2".into())]),
            render(&[("x", "1\n2".into())]),
            "delimiters must be random"
        );
    }
}
