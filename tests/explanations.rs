//! What PYI001 says about a cargo crate whose `#[pymodule]` and module name disagree: the
//! text to fix on each side, in every way PyO3 and maturin let a name be written.
//! `elf/foo.so` exports `PyInit_bar`; it stands in for each crate's output.

mod support;

use std::path::Path;

use pyinit_check::model::{
    Artifact, ByteSource, CrateContext, Location, ModuleIdentity, NameSource, Origin, PyModuleItem,
    VersionSource,
};
use pyinit_check::python::PythonTargets;
use pyinit_check::report::{Context, Report, render};
use support::fixture;

const ROOT: &str = "/repo";

fn at(file: &str, line: u32, label: &str) -> Location {
    Location {
        path: Path::new(ROOT).join(file),
        line: Some(line),
        label: label.into(),
    }
}

/// The human report for a crate whose module is `module` (set by `key`) and whose only
/// `#[pymodule]` is `item`.
fn explain(module: &str, key: &str, key_at: Location, item: PyModuleItem) -> String {
    let artifact = Artifact {
        path: Path::new(ROOT).join("target/release/libfoo.so"),
        origin: Origin::Cargo,
        bytes: ByteSource::File(fixture("elf/foo.so")),
        identity: ModuleIdentity {
            name: module.into(),
            name_source: NameSource::Config {
                key: key.into(),
                location: key_at,
            },
            importable_file_name: true,
            overridden: None,
            python: PythonTargets::Unknown,
            python_source: VersionSource::None,
            stable_abi: None,
            platform: Default::default(),
        },
        crate_context: Some(CrateContext {
            pymodules: vec![item],
            config_warnings: Vec::new(),
        }),
        kind: pyinit_check::model::ArtifactKind::Module,
        placement: None,
    };
    let outcome = support::outcome_of(artifact);
    let context = Context {
        root: ROOT.into(),
        sarif_category: None,
        sarif_file: None,
        color: false,
        quiet: false,
        verbose: false,
    };
    let mut out = Vec::new();
    render(Report::Human, &outcome, &context, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn lib_name() -> (&'static str, Location) {
    (
        "Cargo.toml [lib] name",
        at("Cargo.toml", 7, "Cargo.toml [lib] name"),
    )
}

#[test]
fn pyo3_name_option_on_a_function_already_named_after_the_module() {
    let (key, key_at) = lib_name();
    let item = PyModuleItem {
        name: "bar".into(),
        rust_name: "foo".into(),
        renamed: true,
        location: at("src/lib.rs", 4, "#[pymodule] fn foo (exported as bar)"),
    };
    insta::assert_snapshot!(explain("foo", key, key_at, item));
}

#[test]
fn pymodule_name_option_on_a_differently_named_function() {
    let (key, key_at) = lib_name();
    let item = PyModuleItem {
        name: "bar".into(),
        rust_name: "init".into(),
        renamed: true,
        location: at("src/lib.rs", 3, "#[pymodule] fn init (exported as bar)"),
    };
    insta::assert_snapshot!(explain("foo", key, key_at, item));
}

#[test]
fn dotted_module_name_keeps_its_package_and_names_only_the_deciding_key() {
    let key = "pyproject.toml [tool.maturin] module-name";
    let item = PyModuleItem {
        name: "bar".into(),
        rust_name: "bar".into(),
        renamed: false,
        location: at("src/lib.rs", 9, "#[pymodule] fn bar"),
    };
    let text = explain("pkg.foo", key, at("pyproject.toml", 5, key), item);
    assert!(!text.contains("[lib] name"), "{text}");
    assert!(
        text.contains("`pkg.foo`") && text.contains("`pkg.bar`"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_mod_style_module() {
    let (key, key_at) = lib_name();
    let item = PyModuleItem {
        name: "bar".into(),
        rust_name: "bar".into(),
        renamed: false,
        location: at("src/lib.rs", 2, "#[pymodule] mod bar"),
    };
    insta::assert_snapshot!(explain("foo", key, key_at, item));
}
