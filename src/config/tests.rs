//! Precedence and errors, on real files: discovery from a directory upward, flags over the
//! file key by key, and every mistake named with its file and key.

use std::fs;

use super::*;
use crate::judge::Severity;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

const PROJECT: &str = "[project]\nname = \"p\"\n\n[tool.pyinit-check]\nfail-on = \"warning\"\n\
                       stage = \"copy\"\npython = [\"3.12\"]\nselect = [\"PYI001\", \"PYI006\"]\n\
                       ignore = [\"forwarded-hook\"]\n[tool.pyinit-check.severity]\n\
                       PYI002 = \"error\"\n";

#[test]
fn the_closest_pyproject_with_the_table_is_found_and_one_without_it_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "pyproject.toml", PROJECT);
    // A nearer pyproject that configures only maturin does not stop the search.
    write(
        dir.path(),
        "crate/pyproject.toml",
        "[tool.maturin]\nbindings = \"pyo3\"\n",
    );
    let resolved = resolve(&Flags::default(), &dir.path().join("crate/src")).unwrap();
    assert_eq!(resolved.file.as_deref(), Some(config.as_path()));
    assert_eq!(resolved.fail_on, FailOn::Warning);
    assert_eq!(resolved.stage, StageMode::Copy);
    assert_eq!(resolved.python.len(), 1);
    let select = resolved.policy.select.unwrap();
    assert_eq!(select.source, PolicySource::File(config.clone()));
    assert_eq!(select.rules.len(), 2);
    assert_eq!(resolved.policy.ignore.unwrap().rules[0].id, "PYI006");
    assert_eq!(resolved.policy.severity[0].1, Severity::Error);
}

#[test]
fn no_file_means_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let resolved = resolve(&Flags::default(), dir.path()).unwrap();
    assert!(resolved.file.is_none());
    assert_eq!(resolved.fail_on, FailOn::Error);
    assert_eq!(resolved.stage, StageMode::Isolate);
    assert!(resolved.policy.select.is_none() && resolved.policy.ignore.is_none());
}

#[test]
fn each_flag_given_replaces_the_files_value_for_its_key_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", PROJECT);
    let flags = Flags {
        fail_on: Some(FailOn::Never),
        python: vec!["3.14".parse().unwrap()],
        ignore: vec!["pyi001".into()],
        ..Flags::default()
    };
    let resolved = resolve(&flags, dir.path()).unwrap();
    assert_eq!(resolved.fail_on, FailOn::Never);
    assert_eq!(resolved.python[0].to_string(), "3.14");
    let ignore = resolved.policy.ignore.unwrap();
    assert_eq!(ignore.source, PolicySource::CommandLine);
    assert_eq!(ignore.rules.len(), 1);
    assert_eq!(ignore.rules[0].id, "PYI001");
    // Not given on the command line: still the file's.
    assert_eq!(resolved.stage, StageMode::Copy);
    assert!(matches!(
        resolved.policy.select.unwrap().source,
        PolicySource::File(_)
    ));
}

#[test]
fn config_names_a_file_instead_of_discovery() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", PROJECT);
    let other = write(dir.path(), "ci/pyinit-check.toml", "fail-on = \"never\"\n");
    let flags = Flags {
        config: Some(other.clone()),
        ..Flags::default()
    };
    let resolved = resolve(&flags, dir.path()).unwrap();
    assert_eq!(resolved.file, Some(other));
    assert_eq!(resolved.fail_on, FailOn::Never);
    assert!(resolved.policy.select.is_none());

    let bare = write(
        dir.path(),
        "bare/pyproject.toml",
        "[project]\nname = \"p\"\n",
    );
    let flags = Flags {
        config: Some(bare),
        ..Flags::default()
    };
    let message = resolve(&flags, dir.path()).unwrap_err().to_string();
    assert!(
        message.ends_with("bare/pyproject.toml: no [tool.pyinit-check] table"),
        "{message}"
    );
}

#[test]
fn an_unknown_rule_names_where_it_was_written_and_the_near_miss() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "pyproject.toml",
        "[tool.pyinit-check]\nignore = [\"PYI0006\"]\n",
    );
    let message = resolve(&Flags::default(), dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&format!(
            "{}: `ignore`: unknown rule `PYI0006`; did you mean `PYI006`?",
            config.display()
        )),
        "{message}"
    );
    let flags = Flags {
        select: vec!["missing-module-hok".into()],
        ..Flags::default()
    };
    let message = resolve(&flags, tempfile::tempdir().unwrap().path())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(
            "--select: unknown rule `missing-module-hok`; did you mean `missing-module-hook`?"
        ),
        "{message}"
    );
}

#[test]
fn an_unknown_key_or_a_bad_glob_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "pyproject.toml",
        "[tool.pyinit-check]\nselct = [\"PYI001\"]\n",
    );
    let message = resolve(&Flags::default(), dir.path())
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        format!(
            "{}: unknown key `selct` in [tool.pyinit-check]; did you mean `select`?",
            config.display()
        )
    );
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.pyinit-check.per-path-ignores]\n\"vendor/[\" = [\"PYI001\"]\n",
    );
    let message = resolve(&Flags::default(), dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&format!(
            "{}: `per-path-ignores`: bad glob `vendor/[`: ",
            config.display()
        )),
        "{message}"
    );
}

#[test]
fn a_malformed_pyproject_on_the_way_up_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "pyproject.toml", "[tool.pyinit-check\n");
    let message = resolve(&Flags::default(), dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&format!("{}: invalid TOML: ", config.display())),
        "{message}"
    );
}

#[test]
fn per_path_patterns_are_relative_to_the_files_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.pyinit-check.per-path-ignores]\n\"vendor/**\" = [\"PYI001\"]\n",
    );
    let resolved = resolve(&Flags::default(), &dir.path().join("sub")).unwrap();
    let per_path = resolved.policy.per_path.unwrap();
    assert_eq!(per_path.base, dir.path());
    assert_eq!(per_path.entries[0].pattern, "vendor/**");
}
