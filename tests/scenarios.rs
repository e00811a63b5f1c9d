//! The user scenarios of issue 8 through the real binary, against the run contract: exit codes,
//! entries and `unchecked` in the JSON report, and the few exact human/GitHub strings the
//! contract defines. Trees and wheels are built in temp dirs from the committed fixtures; every
//! run has a time limit, so a scan that blocks fails the test instead of hanging it.

mod support;

use std::fs;
use std::io::{Read, Write};
use std::process::{Child, Command, Output, Stdio};

use std::time::Duration;

use serde_json::Value;
use support::{code, command, fixture, stderr, stdout};

/// Passes (exports `PyInit__core`).
const CORE: &str = "example/site-packages/mypkg/_core.cpython-312-x86_64-linux-gnu.so";
const CORE_NAME: &str = "_core.cpython-312-x86_64-linux-gnu.so";
/// Fails with one PYI001 (exports `PyInit_string_sum`, not `PyInit__speedups`).
const SPEEDUPS: &str = "example/site-packages/mypkg/_speedups.cpython-312-x86_64-linux-gnu.so";
const SPEEDUPS_NAME: &str = "_speedups.cpython-312-x86_64-linux-gnu.so";
/// Passes as module `gnuhash`.
const GNUHASH: &str = "elf/gnuhash.so";
const LIMIT: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------------- running the binary

fn collect(child: Child, what: &str) -> Output {
    support::wait_within(child, LIMIT).unwrap_or_else(|| {
        panic!("pyinit-check did not finish within {LIMIT:?} and was killed: {what}")
    })
}

fn finish(mut cmd: Command) -> Output {
    let what = format!("{cmd:?}");
    cmd.stdin(Stdio::null());
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    collect(cmd.spawn().expect("pyinit-check starts"), &what)
}

fn parse_json(text: &[u8], out: &Output, what: &str) -> Value {
    serde_json::from_slice(text).unwrap_or_else(|e| {
        let (text, err) = (String::from_utf8_lossy(text), stderr(out));
        let status = out.status;
        panic!("{what} is not JSON ({e}), {status}:\n{text}\nstderr: {err}")
    })
}

fn bytes(rel: &str) -> Vec<u8> {
    fs::read(fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// Asserts some line of `text` starts with `prefix`.
fn line_starting(text: &str, prefix: &str) {
    let found = text.lines().any(|l| l.starts_with(prefix));
    assert!(found, "no line starting with {prefix:?} in:\n{text}");
}

/// Asserts `text` has exactly this line.
fn line(text: &str, expected: &str) {
    let found = text.lines().any(|l| l.trim_end() == expected);
    assert!(found, "no line {expected:?} in:\n{text}");
}

fn error_lines(out: &Output) -> usize {
    let err = stderr(out);
    let prefix = "pyinit-check: error: ";
    err.lines().filter(|l| l.starts_with(prefix)).count()
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The human summary line the contract defines, from entry counts and finding counts.
fn summary_line([p, f, e, k]: [u64; 4], errors: u64, warnings: u64) -> String {
    let all = plural(p + f + e + k, "artifact");
    let mut line = format!("{all} checked: {p} passed, {f} failed");
    if e > 0 {
        line += &format!(", {e} could not be checked");
    }
    if k > 0 {
        line += &format!(", {k} with nothing to check");
    }
    let (errors, warnings) = (plural(errors, "error"), plural(warnings, "warning"));
    line + &format!(" ({errors}, {warnings})")
}

/// Asserts the last summary line of human output.
fn human_summary(text: &str, expected: &str) {
    let marks = [" artifact checked: ", " artifacts checked: "];
    let is_summary = |l: &&str| marks.iter().any(|m| l.contains(m));
    let last = text.lines().rfind(is_summary);
    assert_eq!(last, Some(expected), "human summary line in:\n{text}");
}

// ------------------------------------------------------------------------- building inputs

/// A scratch tree the binary runs in (cwd and GITHUB_WORKSPACE), plus a side dir for the
/// runner's files.
struct Tree {
    dir: tempfile::TempDir,
    side: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        let (dir, side) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        Tree { dir, side }
    }
    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }
    fn file(&self, rel: &str, data: &[u8]) {
        fs::create_dir_all(self.path(rel).parent().unwrap()).unwrap();
        fs::write(self.path(rel), data).unwrap();
    }
    fn copy(&self, rel: &str, fixture_rel: &str) {
        self.file(rel, &bytes(fixture_rel));
    }
    /// A pip-style wheel: `members` plus `<name>-<version>.dist-info/{METADATA,WHEEL,RECORD}`.
    fn wheel(&self, rel: &str, members: &[(&str, Vec<u8>)]) {
        let file_name = rel.rsplit('/').next().unwrap();
        let dist: Vec<&str> = file_name.splitn(3, '-').take(2).collect();
        let info = ["METADATA", "WHEEL", "RECORD"];
        let info = info.map(|file| (format!("{}.dist-info/{file}", dist.join("-")), vec![]));
        let members = members.iter().map(|(m, d)| (m.to_string(), d.clone()));
        self.file(rel, b"");
        let mut zip = zip::ZipWriter::new(fs::File::create(self.path(rel)).unwrap());
        for (member, data) in members.chain(info) {
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file(member, options).unwrap();
            zip.write_all(&data).unwrap();
        }
        zip.finish().unwrap();
    }
    #[cfg(unix)]
    fn symlink(&self, rel: &str, target: &str) {
        fs::create_dir_all(self.path(rel).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, self.path(rel)).unwrap();
    }
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = command(args);
        cmd.current_dir(self.dir.path());
        cmd.env("GITHUB_WORKSPACE", self.dir.path());
        cmd
    }
    fn run(&self, args: &[&str]) -> Output {
        finish(self.command(args))
    }
    /// Human output (stdout) of a run that must exit with `exit`.
    fn human(&self, args: &[&str], exit: i32) -> String {
        let out = self.run(args);
        let text = stdout(&out);
        assert_eq!(code(&out), exit, "{args:?}:\n{text}{}", stderr(&out));
        text
    }
    /// A `--format json` run.
    fn json(&self, args: &[&str]) -> Json {
        let out = self.run(&[&["--format", "json"], args].concat());
        let report = parse_json(&out.stdout, &out, "stdout of --format json");
        Json { out, report }
    }
    /// A run in GitHub mode; returns the output, step summary and step outputs.
    fn github(&self, args: &[&str]) -> (Output, String, String) {
        let summary = self.side.path().join("summary.md");
        let outputs = self.side.path().join("outputs.txt");
        fs::write(&summary, "").unwrap();
        fs::write(&outputs, "").unwrap();
        let mut cmd = self.command(args);
        cmd.env("GITHUB_ACTIONS", "true");
        cmd.env("GITHUB_STEP_SUMMARY", &summary);
        cmd.env("GITHUB_OUTPUT", &outputs);
        let out = finish(cmd);
        let read = |path| fs::read_to_string(path).unwrap();
        (out, read(summary), read(outputs))
    }
}

// ------------------------------------------------------------------------- reading JSON reports

/// One `--format json` run; its assertions print the entries, summary and stderr on failure.
struct Json {
    out: Output,
    report: Value,
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("?")
}

fn list(value: &Value) -> Vec<&Value> {
    let all = value.as_array().map(Vec::as_slice).unwrap_or_default();
    all.iter().collect()
}

impl Json {
    fn context(&self) -> String {
        let mut text = String::new();
        for a in list(&self.report["artifacts"]) {
            text += &format!("  {}: {} {}\n", a["path"], a["status"], a["problem"]);
        }
        for u in list(&self.report["unchecked"]) {
            text += &format!("  unchecked {}: {}\n", u["path"], u["reason"]);
        }
        let (summary, err) = (&self.report["summary"], stderr(&self.out));
        format!("{text}  summary {summary}\n  stderr {err}")
    }
    fn check(&self, ok: bool, what: &str) -> &Self {
        assert!(ok, "{what}\n{}", self.context());
        self
    }
    /// Exit code, and the summary's `exit_code` and `result` that go with it.
    fn exit(&self, expected: i32) -> &Self {
        let result = ["pass", "fail", "error"][expected as usize];
        let summary = &self.report["summary"];
        self.check(code(&self.out) == expected, &format!("exit {expected}"));
        self.check(summary["exit_code"] == expected, "summary.exit_code");
        self.check(summary["result"] == result, "summary.result")
    }
    /// Entries passed, failed, errored, nothing-to-check; summary lengths match the arrays.
    fn counts(&self, want: [u64; 4]) -> &Self {
        let s = &self.report["summary"];
        let got = ["passed", "failed", "errored", "nothing_to_check"].map(|k| s[k].as_u64());
        self.check(got == want.map(Some), &format!("summary counts {want:?}"));
        let artifacts = list(&self.report["artifacts"]).len();
        self.check(artifacts as u64 == want.iter().sum::<u64>(), "entries");
        self.check(s["artifacts"] == artifacts, "summary.artifacts = entries");
        let unchecked = self.unchecked().len();
        self.check(s["unchecked"] == unchecked, "summary.unchecked")
    }
    /// The one entry whose path contains `needle`.
    fn entry(&self, needle: &str) -> &Value {
        let entries = list(&self.report["artifacts"]).into_iter();
        let is_it = |a: &&Value| a["path"].as_str().is_some_and(|p| p.contains(needle));
        let hits: Vec<&Value> = entries.filter(is_it).collect();
        self.check(hits.len() == 1, &format!("one entry for {needle}"));
        hits[0]
    }
    fn status(&self, needle: &str, status: &str) -> &Self {
        let what = format!("{needle} is {status}");
        self.check(self.entry(needle)["status"] == status, &what)
    }
    /// Each is an `error` entry whose problem names it.
    fn errors(&self, needles: &[&str]) -> &Self {
        for needle in needles {
            let problem = self.status(needle, "error").entry(needle)["problem"].as_str();
            let named = problem.is_some_and(|p| p.contains(needle));
            self.check(named, &format!("the problem names {needle}"));
        }
        self
    }
    fn rules(&self, needle: &str) -> Vec<&str> {
        let findings = list(&self.entry(needle)["findings"]).into_iter();
        findings.filter_map(|f| f["rule_id"].as_str()).collect()
    }
    /// `(path, reason)` of every unchecked file.
    fn unchecked(&self) -> Vec<(&str, &str)> {
        let all = list(&self.report["unchecked"]).into_iter();
        let pairs = all.map(|u| (text(&u["path"]), text(&u["reason"])));
        pairs.collect()
    }
}

// ------------------------------------------------------------------------- scenarios

/// actions/download-artifact layout (`artifacts/<name>/*.whl`, one at the top): scanning
/// `artifacts` checks every module of every wheel; each entry names its wheel and member.
#[test]
fn download_artifact_layout_checks_every_wheel() {
    let t = Tree::new();
    let linux = "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl";
    let macos = "pkg-1.0-cp312-cp312-macosx_11_0_universal2.whl";
    let windows = "pkg-1.0-cp312-cp312-win_amd64.whl";
    let core = &*format!("pkg/{CORE_NAME}");
    let speedups = &*format!("pkg/{SPEEDUPS_NAME}");
    let mac = "pkg/universal2.cpython-312-darwin.so";
    let win = "pkg/good_x64.cp312-win_amd64.pyd";
    let both = [(core, bytes(CORE)), (speedups, bytes(SPEEDUPS))];
    t.wheel(&format!("artifacts/wheels-linux-x86_64/{linux}"), &both);
    let universal2 = bytes("macho/universal2.so");
    let macos_dir = format!("artifacts/wheels-macos/{macos}");
    t.wheel(&macos_dir, &[(mac, universal2)]);
    let pyd = bytes("pe/good_x64.pyd");
    t.wheel(&format!("artifacts/{windows}"), &[(win, pyd)]);

    let run = t.json(&["artifacts"]);
    run.exit(1).counts([3, 1, 0, 0]);
    for (wheel, member, status) in [
        (linux, core, "pass"),
        (linux, speedups, "fail"),
        (macos, mac, "pass"),
        (windows, win, "pass"),
    ] {
        let needle = format!("{wheel}/{member}");
        let e = run.status(&needle, status).entry(&needle);
        run.check(e["member"] == member, &format!("member of {needle}"));
        let in_wheel = e["wheel"].as_str().is_some_and(|w| w.ends_with(wheel));
        run.check(in_wheel, &format!("wheel of {needle}"));
    }
}

/// A virtualenv with the usual `lib64 -> lib` link: `pyinit-check .venv` checks the module once.
#[cfg(unix)]
#[test]
fn venv_with_lib64_link_counts_each_module_once() {
    let t = Tree::new();
    let pkg = ".venv/lib/python3.12/site-packages/pkg";
    t.file(&format!("{pkg}/__init__.py"), b"");
    t.copy(&format!("{pkg}/{CORE_NAME}"), CORE);
    t.file(".venv/pyvenv.cfg", b"home = /usr/bin\n");
    t.symlink(".venv/lib64", "lib");

    let run = t.json(&[".venv"]);
    run.exit(0).counts([1, 0, 0, 0]).status(CORE_NAME, "pass");
    run.check(run.entry(CORE_NAME)["module"] == "_core", "module _core");
    let duplicates = run.unchecked().iter().all(|(_, r)| *r == "duplicate");
    run.check(duplicates, "the lib64 naming, if listed, is a duplicate");
}

/// A setuptools tree: `build/lib.<platform>/` is an import root, so `pyinit-check build/` checks
/// the modules under it although `lib.linux-…` is no package name.
#[test]
fn setuptools_build_tree_is_an_import_root() {
    let t = Tree::new();
    let lib = "build/lib.linux-x86_64-cpython-312/pkg";
    t.file(&format!("{lib}/__init__.py"), b"");
    t.copy(&format!("{lib}/{CORE_NAME}"), CORE);
    t.copy(&format!("{lib}/{SPEEDUPS_NAME}"), SPEEDUPS);
    t.file("build/temp.linux-x86_64-cpython-312/src/core.o", b"object");

    let run = t.json(&["build/"]);
    run.exit(1).counts([1, 1, 0, 0]).status(CORE_NAME, "pass");
    run.status(SPEEDUPS_NAME, "fail");
    let origin = &run.entry(SPEEDUPS_NAME)["origin"];
    run.check(origin == "directory-scan", "origin directory-scan");
    assert_eq!(run.rules(SPEEDUPS_NAME), ["PYI001"], "{}", run.context());
}

/// good + missing + bad in human, JSON, SARIF and GitHub modes: the missing path is an error
/// entry (exit 2), the run goes on, and the failing module's finding is reported everywhere.
#[test]
fn mixed_good_missing_bad_in_every_output() {
    let t = Tree::new();
    t.copy("good/gnuhash.so", GNUHASH);
    let bad = &*format!("bad/{SPEEDUPS_NAME}");
    t.copy(bad, SPEEDUPS);
    let inputs = ["good/gnuhash.so", "missing.so", bad];

    let run = t.json(&inputs);
    run.exit(2).counts([1, 1, 1, 0]).status("good/", "pass");
    run.errors(&["missing.so"]).status(bad, "fail");
    run.check(run.rules(bad) == ["PYI001"], "PYI001 on the failing module");
    run.check(error_lines(&run.out) == 1, "one stderr error line");

    let text = t.human(&inputs, 2);
    line_starting(&text, "ok   good/gnuhash.so");
    line_starting(&text, &format!("FAIL {bad}"));
    let lines: Vec<&str> = text.lines().collect();
    let err = lines.iter().position(|l| l.starts_with("ERR  missing.so"));
    let then = err.and_then(|i| lines.get(i + 1));
    assert!(then.is_some_and(|l| l.starts_with("error: ")), "{text}");
    human_summary(&text, &summary_line([1, 1, 1, 0], 1, 0));

    let out = t.run(&[&["--format", "sarif"], &inputs[..]].concat());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    sarif_names_missing(&parse_json(&out.stdout, &out, "--format sarif"));

    let (out, summary, outputs) = t.github(&[&["--sarif", "out.sarif"], &inputs[..]].concat());
    let text = stdout(&out);
    assert_eq!(code(&out), 2, "{text}");
    let could_not = "::error file=missing.so,title=pyinit-check could not check::";
    line_starting(&text, could_not);
    line_starting(&text, &format!("::error file={bad},title=PYI001"));
    line(&summary, "## pyinit-check: ⛔ could not check everything");
    let rows: Vec<&str> = summary.lines().filter(|l| l.starts_with('|')).collect();
    let row = |name: &str, cell: &str| rows.iter().any(|l| l.contains(name) && l.contains(cell));
    let rows_ok = row("missing.so", "⛔ error") && row("_speedups", "❌ fail");
    let rows_ok = rows_ok && row("gnuhash", "✅ pass");
    assert!(rows_ok, "table rows in:\n{summary}");
    for expected in ["result=error", "errors=2", "warnings=0"] {
        line(&outputs, expected);
    }
    // Absolute, for an upload step that runs elsewhere.
    let sarif_line = format!("sarif-file={}", t.path("out.sarif").display());
    line(&outputs, &sarif_line);
    let sarif = fs::read(t.path("out.sarif")).expect("SARIF is written despite errors");
    sarif_names_missing(&parse_json(&sarif, &out, "out.sarif"));
}

/// Asserts a SARIF log of the mixed run: not successful, one notification for missing.so, and
/// the failing module's PYI001 result.
fn sarif_names_missing(sarif: &Value) {
    let invocation = &sarif["runs"][0]["invocations"][0];
    let notes = list(&invocation["toolExecutionNotifications"]);
    let ok = invocation["executionSuccessful"] == false
        && invocation["exitCode"] == 2
        && notes.len() == 1
        && notes[0]["level"] == "error"
        && notes[0]["descriptor"]["id"] == "could-not-check";
    assert!(ok, "{invocation}");
    let text = notes[0]["message"]["text"].as_str();
    let named = text.is_some_and(|m| m.contains("missing.so"));
    assert!(named, "{invocation}");
    let results = list(&sarif["runs"][0]["results"]);
    assert!(results.iter().any(|r| r["ruleId"] == "PYI001"), "{sarif}");
}

/// A directory holding only broken files (empty, text, truncated): three error entries, exit 2.
#[test]
fn broken_only_directory_is_three_errors() {
    let t = Tree::new();
    t.file("broken/x.so", b"");
    t.file("broken/y.so", b"this is not a shared library\n");
    t.file("broken/z.so", &bytes(CORE)[..10]);

    let run = t.json(&["broken"]);
    run.exit(2).counts([0, 0, 3, 0]);
    run.errors(&["x.so", "y.so", "z.so"]);
    run.check(error_lines(&run.out) == 3, "one stderr line per error");
}

/// --fail-on decides pass/fail for the same findings: exit, JSON, human counts, -q, step summary
/// heading and step output follow the policy.
#[test]
fn fail_on_policy_matrix() {
    let t = Tree::new();
    t.copy("modexport.so", "elf/modexport.so"); // PYI002 warning only
    t.copy(SPEEDUPS_NAME, SPEEDUPS); // PYI001 error
    for (input, fail_on, status, errors, warnings) in [
        ("modexport.so", "error", "pass", 0, 1),
        ("modexport.so", "warning", "fail", 0, 1),
        ("modexport.so", "never", "pass", 0, 1),
        (SPEEDUPS_NAME, "error", "fail", 1, 0),
        (SPEEDUPS_NAME, "warning", "fail", 1, 0),
        (SPEEDUPS_NAME, "never", "pass", 1, 0),
    ] {
        let case = format!("{input} --fail-on {fail_on}");
        let failed = status == "fail";
        let exit = i32::from(failed);
        let counts = if failed { [0, 1, 0, 0] } else { [1, 0, 0, 0] };
        let expected_line = summary_line(counts, errors, warnings);
        let args = ["--fail-on", fail_on, "--json", "r.json", input];
        let (out, summary, outputs) = t.github(&args);
        let text = stdout(&out);
        assert_eq!(code(&out), exit, "{case}: {text}");
        let json = fs::read(t.path("r.json")).unwrap_or_default();
        let report = parse_json(&json, &out, "the --json file");
        let s = &report["summary"];
        let summary_ok = s["fail_on"] == fail_on
            && s["result"] == status
            && s["exit_code"] == exit
            && s["errors"] == errors
            && s["warnings"] == warnings;
        assert!(summary_ok, "{case}: {s}");
        let entry = &report["artifacts"][0];
        assert_eq!(entry["status"], status, "{case}: {entry}");
        human_summary(&text, &expected_line);
        let heading = if failed { "❌ failed" } else { "✅ passed" };
        line(&summary, &format!("## pyinit-check: {heading}"));
        line(&outputs, &format!("result={status}"));

        let quiet = t.human(&["-q", "--fail-on", fail_on, input], exit);
        if failed {
            let first = quiet.lines().next().unwrap_or_default();
            let fail_line = first.starts_with(&format!("FAIL {input}"));
            assert!(fail_line, "{case}: {quiet}");
            human_summary(&quiet, &expected_line);
        } else {
            assert_eq!(quiet, "", "{case}: -q prints nothing when nothing failed");
        }
    }
}

/// A reader closing stdout early (`| head -c1`) never makes the binary panic (exit 101) or print
/// "Broken pipe"; the exit code stays the run's own. 30 tries per command: the race varies.
#[test]
fn closed_stdout_ends_quietly() {
    let example = "tests/fixtures/example";
    let cases: [(&[&str], i32); 6] = [
        (&["--explain", "PYI001"], 0),
        (&["--help"], 0),
        (&["--format", "json", example], 1),
        (&[example], 1),
        (&["--format", "sarif", example], 1),
        (&[example, "tests/fixtures/no-such-module.so"], 2),
    ];
    for (args, expected) in cases {
        for attempt in 0..30 {
            let mut cmd = command(args);
            cmd.stdin(Stdio::null());
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = cmd.spawn().expect("pyinit-check starts");
            let mut reader = child.stdout.take().unwrap();
            let _ = reader.read(&mut [0u8; 1]);
            drop(reader);
            let out = collect(child, &format!("{args:?}"));
            let err = stderr(&out);
            let case = format!("{args:?} attempt {attempt}: {}, stderr {err:?}", out.status);
            let broken_pipe = err.to_lowercase().contains("broken pipe");
            assert!(!err.contains("panicked") && !broken_pipe, "{case}");
            assert_ne!(out.status.code(), Some(101), "{case}");
            assert_eq!(out.status.code(), Some(expected), "{case}");
        }
    }
}

/// Pure-Python and scripts-only wheels beside a binary wheel: `nothing-to-check` notes, exit 0.
#[test]
fn wheels_without_extension_modules_are_notes() {
    let t = Tree::new();
    let pure = "pure-1.0-py3-none-any.whl";
    let scripts = "x-1.0-py3-none-manylinux_2_17_x86_64.whl";
    let binary = "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl";
    let init = b"x = 1\n".to_vec();
    t.wheel(&format!("dist/{pure}"), &[("pure/__init__.py", init)]);
    let script = bytes("elf/exec.so");
    let scripts_path = format!("dist/{scripts}");
    t.wheel(&scripts_path, &[("x-1.0.data/scripts/x", script)]);
    let core = format!("pkg/{CORE_NAME}");
    t.wheel(&format!("dist/{binary}"), &[(&core, bytes(CORE))]);

    let run = t.json(&["dist"]);
    run.exit(0).counts([1, 0, 0, 2]).status(binary, "pass");
    for wheel in [pure, scripts] {
        let entry = run.status(wheel, "nothing-to-check").entry(wheel);
        let says_why = entry["problem"].as_str().is_some_and(|p| !p.is_empty());
        run.check(says_why, &format!("{wheel} says why"));
    }

    let text = t.human(&["dist"], 0);
    let lines: Vec<&str> = text.lines().collect();
    let notes = (0..lines.len()).filter(|&i| lines[i].starts_with("note "));
    let notes: Vec<usize> = notes.collect();
    assert_eq!(notes.len(), 2, "{text}");
    let explained = |&i: &usize| lines.get(i + 1).is_some_and(|l| l.starts_with("note: "));
    assert!(notes.iter().all(explained), "{text}");
    human_summary(&text, &summary_line([1, 0, 0, 2], 0, 0));
}

/// A module under `<name>.data/platlib/` is importable once installed, so it is checked.
#[test]
fn wheel_data_platlib_module_is_checked() {
    let t = Tree::new();
    let member = &*format!("pkg-1.0.data/platlib/pkg/{SPEEDUPS_NAME}");
    let wheel = "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl";
    t.wheel(wheel, &[(member, bytes(SPEEDUPS))]);

    let run = t.json(&[wheel]);
    run.exit(1).counts([0, 1, 0, 0]).status(member, "fail");
    let entry = run.entry(member);
    run.check(entry["member"] == member, "member");
    run.check(entry["module"] == "_speedups", "module _speedups");
    run.check(run.rules(member) == ["PYI001"], "PYI001");
}

/// One file is one entry: the same path twice, a file and its directory, a hard link, a symlink;
/// the later naming is `unchecked` with reason `duplicate`.
#[cfg(unix)]
#[test]
fn one_file_named_twice_is_one_entry() {
    let t = Tree::new();
    let file = &*format!("m/{CORE_NAME}");
    let hard = &*format!("h/{CORE_NAME}");
    let soft = &*format!("s/{CORE_NAME}");
    t.copy(file, CORE);
    fs::create_dir_all(t.path("h")).unwrap();
    fs::hard_link(t.path(file), t.path(hard)).unwrap();
    t.symlink(soft, &format!("../{file}"));

    for inputs in [[file, file], [file, "m"], [file, hard], [file, soft]] {
        let run = t.json(&inputs);
        run.exit(0).counts([1, 0, 0, 0]);
        let reasons: Vec<&str> = run.unchecked().iter().map(|u| u.1).collect();
        run.check(reasons == ["duplicate"], &format!("{inputs:?}"));
    }
}

/// --module-name cannot rename a file CPython imports by its own name (PYI009), but does name
/// the module of cargo's untagged `lib<name>.so`.
#[test]
fn module_name_conflicts_with_the_file_name() {
    let t = Tree::new();
    t.copy(SPEEDUPS_NAME, SPEEDUPS);
    t.copy("libgnuhash.so", GNUHASH);

    let run = t.json(&["--module-name", "string_sum", SPEEDUPS_NAME]);
    run.exit(1).status(SPEEDUPS_NAME, "fail");
    let entry = run.entry(SPEEDUPS_NAME);
    run.check(entry["module"] == "_speedups", "module _speedups");
    let findings = list(&entry["findings"]);
    let conflict = findings.iter().find(|f| f["rule_id"] == "PYI009");
    let conflict = conflict.unwrap_or_else(|| panic!("PYI009 in {entry}"));
    let name = conflict["rule_name"] == "module-name-conflict";
    assert!(name && conflict["severity"] == "error", "{conflict}");
    let expected = "CPython imports this file as `_speedups` and looks up `PyInit__speedups`; \
                    --module-name `string_sum` cannot change that";
    let message = conflict["message"].as_str().unwrap_or_default();
    assert!(message.contains(expected), "{message}");

    // The same last dotted component is no conflict.
    let run = t.json(&["--module-name", "mypkg._speedups", SPEEDUPS_NAME]);
    let only_pyi001 = run.exit(1).rules(SPEEDUPS_NAME) == ["PYI001"];
    run.check(only_pyi001, "PYI001 only");

    let run = t.json(&["--module-name", "gnuhash", "libgnuhash.so"]);
    run.exit(0).status("libgnuhash.so", "pass");
    let module = &run.entry("libgnuhash.so")["module"];
    run.check(module == "gnuhash", "module gnuhash");
}

/// Vendored libraries (`*.libs/`, `.dylibs/`) and `libfoo.so.5` beside the modules are
/// checked as libraries (the modules need them to load), each listed with kind `library`;
/// nothing is left unchecked.
#[test]
fn vendored_libraries_are_checked_as_libraries() {
    let t = Tree::new();
    t.file("site-packages/pkg/__init__.py", b"");
    t.copy(&format!("site-packages/pkg/{CORE_NAME}"), CORE);
    t.copy("site-packages/pkg.libs/libfoo-1a2b.so", GNUHASH);
    t.copy("site-packages/pkg.libs/libfoo.so.5", GNUHASH);
    t.copy("site-packages/pkg/.dylibs/x.so", "macho/universal2.so");

    let run = t.json(&["site-packages"]);
    run.exit(0).counts([4, 0, 0, 0]);
    run.check(run.unchecked().is_empty(), "nothing unchecked");
    for needle in [
        "pkg.libs/libfoo-1a2b.so",
        "pkg.libs/libfoo.so.5",
        ".dylibs/x.so",
    ] {
        let library = run.entry(needle)["kind"] == "library";
        run.check(library, &format!("{needle} is a library"));
    }
    let module = run.entry(CORE_NAME)["kind"] == "module";
    run.check(module, "the module is a module");

    let text = t.human(&["site-packages"], 0);
    let libraries = text.lines().filter(|l| l.contains("(library, ")).count();
    assert_eq!(libraries, 3, "{text}");
    human_summary(&text, &summary_line([4, 0, 0, 0], 0, 0));
}

/// A directory link back to an ancestor is `unchecked` (`symlink-loop`), not followed forever;
/// a dangling symlink and a FIFO named like modules are error entries; nothing blocks.
#[cfg(unix)]
#[test]
fn symlink_loop_dangling_link_and_fifo() {
    let t = Tree::new();
    t.file("tree/pkg/__init__.py", b"");
    t.copy(&format!("tree/pkg/{CORE_NAME}"), CORE);
    t.symlink("tree/pkg/again", "..");
    t.symlink("tree/d.so", "gone.so");
    let mkfifo = Command::new("mkfifo").arg(t.path("tree/f.so")).status();
    assert!(mkfifo.expect("mkfifo runs").success());

    let run = t.json(&["tree"]);
    run.exit(2).counts([1, 0, 2, 0]).status(CORE_NAME, "pass");
    run.errors(&["tree/d.so", "tree/f.so"]);
    let loops = run.unchecked().iter().any(|u| u.1 == "symlink-loop");
    run.check(loops, "the loop is unchecked: symlink-loop");
}

/// A directory with no extension module, no library and no wheel is an error entry (exit 2),
/// not a pass; one holding only a library checks that library.
#[test]
fn directory_without_modules_is_an_error() {
    let t = Tree::new();
    t.file("docs/readme.txt", b"nothing to see\n");
    t.file("docs/lib/libfoo.so.txt", b"not a library\n");

    let run = t.json(&["docs"]);
    run.exit(2).counts([0, 0, 1, 0]).errors(&["docs"]);
    run.check(error_lines(&run.out) == 1, "one stderr error line");

    t.copy("docs/lib/libfoo.so.5", GNUHASH);
    let run = t.json(&["docs"]);
    run.exit(0).counts([1, 0, 0, 0]);
}

/// `--sarif X --json X` would overwrite one report with the other: usage error, nothing runs.
#[test]
fn one_report_path_for_two_formats_is_a_usage_error() {
    let t = Tree::new();
    t.copy(CORE_NAME, CORE);
    t.human(&["--sarif", "x.out", "--json", "x.out", CORE_NAME], 2);
    let written = t.path("x.out").exists();
    assert!(!written, "nothing runs, nothing is written");
}

/// `--python 315` is the documented tag form of 3.15.
#[test]
fn python_tag_form_is_accepted() {
    let t = Tree::new();
    t.copy("gnuhash.so", GNUHASH);
    let run = t.json(&["--python", "315", "gnuhash.so"]);
    run.exit(0).status("gnuhash.so", "pass");
    let python = run.entry("gnuhash.so")["python"].to_string();
    run.check(python.contains("3.15"), "python 3.15");
}
