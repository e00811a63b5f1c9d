//! A module rewritten in place while it is checked (`cp new.so old.so`: truncate, then write)
//! must never kill the run: the check either reads the whole file or reports that it changed.
//! Before the SIGBUS guard, about 5% of such runs died of SIGBUS.

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use support::fixture;

/// A passing module padded to 1 MiB, so a rewrite takes long enough to be caught mid-way.
fn big_module(dir: &Path) -> (PathBuf, Vec<u8>) {
    let mut bytes = fs::read(fixture("elf/gnuhash.so")).unwrap();
    bytes.resize(1 << 20, 0);
    let path = dir.join("gnuhash.cpython-312-x86_64-linux-gnu.so");
    fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

/// Rewrites `path` as `cp` does, in 64 KiB writes, until stopped.
fn rewrite_until(
    path: PathBuf,
    bytes: Vec<u8>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut rewrites = 0;
        while !stop.load(Ordering::Relaxed) {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&path)
                .unwrap();
            for chunk in bytes.chunks(64 << 10) {
                file.write_all(chunk).unwrap();
            }
            rewrites += 1;
        }
        rewrites
    })
}

#[cfg(unix)]
#[test]
fn ten_thousand_checks_of_a_file_being_rewritten() {
    use pyinit_check::discover::{DiscoverRequest, discover};
    use pyinit_check::outcome::{FailOn, Status};
    use pyinit_check::pipeline::{Settings, run};
    use pyinit_check::stage::StageMode;

    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = big_module(dir.path());
    let stop = Arc::new(AtomicBool::new(false));
    let writer = rewrite_until(path.clone(), bytes, stop.clone());
    let settings = Settings {
        stage: StageMode::None,
        lock_timeout: Duration::from_secs(1),
        fail_on: FailOn::Error,
        policy: Default::default(),
        jobs: 1,
    };
    let (mut passed, mut changed, mut other) = (0u32, 0u32, Vec::new());
    for _ in 0..10_000 {
        let discovery = discover(&DiscoverRequest {
            paths: vec![path.clone()],
            ..DiscoverRequest::default()
        });
        let outcome = run(discovery, &settings, &|_| {}, &mut |_| {});
        let entry = &outcome.entries[0];
        match (entry.status, entry.error().map(ToString::to_string)) {
            (Status::Pass, _) => passed += 1,
            (Status::Error, Some(message))
                if message.contains("changed while it was being read") =>
            {
                changed += 1
            }
            // Caught between truncate and write: an empty or cut-off file is a true reading.
            (Status::Error, Some(message))
                if message.contains("file is empty") || message.contains("truncated") =>
            {
                other.push(message)
            }
            (status, message) => {
                panic!("a wrong reading of a complete module: {status:?} {message:?}")
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let rewrites = writer.join().unwrap();
    eprintln!(
        "10000 checks during {rewrites} rewrites: {passed} passed, {changed} changed while read, {} caught mid-write",
        other.len()
    );
    assert!(rewrites > 10, "the race must really run");
}

/// Through the binary, as CI runs it: never a death by signal, only exit 0 or 2.
#[cfg(unix)]
#[test]
fn the_binary_never_dies_while_its_input_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = big_module(dir.path());
    let stop = Arc::new(AtomicBool::new(false));
    let writer = rewrite_until(path.clone(), bytes, stop.clone());
    let started = Instant::now();
    let mut runs = 0;
    let mut codes = [0u32; 3];
    while runs < 300 || started.elapsed() < Duration::from_secs(3) {
        let output = support::run(&[path.to_str().unwrap()]);
        let code = output
            .status
            .code()
            .unwrap_or_else(|| panic!("run {runs} died of a signal: {:?}", output.status));
        assert!(
            code == 0 || code == 2,
            "exit {code}: {}",
            support::stderr(&output)
        );
        codes[code as usize] += 1;
        runs += 1;
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("{runs} runs: {} exit 0, {} exit 2", codes[0], codes[2]);
}
