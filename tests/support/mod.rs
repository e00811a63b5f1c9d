//! Shared helpers for the integration tests: run the real binary, find fixtures.
#![allow(dead_code)]

pub mod sarif;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Runs pyinit-check from the repository root with GitHub integration off unless asked.
pub fn run(args: &[&str]) -> Output {
    command(args).output().expect("pyinit-check runs")
}

pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pyinit-check"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .env("GITHUB_WORKSPACE", env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .expect("exited normally, not by a signal")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Replaces the absolute repository path so snapshots do not depend on the checkout.
pub fn redact_root(text: &str) -> String {
    text.replace(env!("CARGO_MANIFEST_DIR"), "[ROOT]")
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

/// Waits for `child`, reading whatever of its stdout and stderr is still piped; kills it and
/// returns `None` after `limit`, so a hanging run fails its test instead of stalling CI.
pub fn wait_within(mut child: Child, limit: Duration) -> Option<Output> {
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < limit => thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    Some(Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    })
}

/// Says why a test cannot run here, for the caller to return. Under CI (the `CI` variable
/// set, as `.ci/run` runs) no test may skip, so this fails the test instead.
pub fn skip(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{why}: this test may not be skipped under CI"
    );
    println!("SKIPPED: {why}");
}

/// Whether gcc is here; under `CI` it must be (a test that needs it may not skip there).
pub fn have_gcc(test: &str) -> bool {
    if Command::new("gcc").arg("--version").output().is_ok() {
        return true;
    }
    skip(&format!("{test} needs gcc, which is not installed"));
    false
}

/// Builds `dir/file_name`, a shared library whose `PyInit_<module>` takes the address of each
/// symbol (weakly referenced where asked) and returns NULL. Linked without libpython, as
/// wheels are, so each symbol stays an undefined dynamic symbol the loader must bind.
pub fn build_c_module(
    dir: &Path,
    module: &str,
    file_name: &str,
    symbols: &[(&str, bool)],
) -> PathBuf {
    let mut source = String::new();
    for (symbol, weak) in symbols {
        let attribute = if *weak { "__attribute__((weak)) " } else { "" };
        source.push_str(&format!("{attribute}extern char {symbol};\n"));
    }
    source.push_str(&format!("void *PyInit_{module}(void) {{\n"));
    for (symbol, _) in symbols {
        source.push_str(&format!(
            "    {{ void *volatile bound = (void *)&{symbol}; (void)bound; }}\n"
        ));
    }
    source.push_str("    return 0;\n}\n");
    let c_file = dir.join(format!("{module}.c"));
    std::fs::write(&c_file, source).unwrap();
    let output = dir.join(file_name);
    let status = Command::new("gcc")
        .args(["-shared", "-fPIC", "-O0", "-o"])
        .arg(&output)
        .arg(&c_file)
        .status()
        .expect("gcc runs");
    assert!(status.success(), "gcc failed building {file_name}");
    output
}

/// Runs the pipeline over one artifact already resolved, as discover would hand it over:
/// no staging, default policy, one job.
pub fn outcome_of(artifact: pyinit_check::model::Artifact) -> pyinit_check::outcome::RunOutcome {
    use pyinit_check::discover::{Discovery, Found};
    use pyinit_check::pipeline::{Settings, run};
    let discovery = Discovery {
        found: vec![Found::Artifact(Box::new(artifact))],
        unchecked: Vec::new(),
    };
    let settings = Settings {
        stage: pyinit_check::stage::StageMode::None,
        lock_timeout: std::time::Duration::from_secs(1),
        fail_on: pyinit_check::outcome::FailOn::Error,
        policy: Default::default(),
        jobs: 1,
    };
    run(discovery, &settings, &|_| {}, &mut |_| {})
}

/// Writes a wheel holding `entries` (stored, not deflated).
pub fn write_wheel(path: &Path, entries: &[(&str, Vec<u8>)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}
