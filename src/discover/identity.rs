//! Which module an artifact is, decided once, in discover: the file name when it carries
//! one (that is what CPython goes by), else the project's configuration or `--module-name`.

#[cfg(doc)]
use super::file_name::parse_module_file_name;
use super::file_name::{ModuleFileName, guess_module_of_unimportable};
use crate::hook::last_component;
use crate::model::{ModuleIdentity, NameSource, VersionSource};
use crate::python::{PythonTargets, PythonVersion};

/// What the user said about every artifact.
#[derive(Debug, Clone, Default)]
pub struct IdentityOptions {
    /// `--module-name`.
    pub module_name: Option<String>,
    /// `--python`: replaces the versions a suffix names.
    pub python: Vec<PythonVersion>,
}

/// The identity of a file called `file_name`, which CPython reads as `parsed` (see
/// [`parse_module_file_name`]); `configured` is the name a cargo project's configuration
/// gives its output.
pub fn identify(
    file_name: &str,
    parsed: Option<ModuleFileName>,
    configured: Option<Configured>,
    options: &IdentityOptions,
) -> ModuleIdentity {
    let (python, python_source) = python_targets(
        parsed.as_ref(),
        configured.as_ref().and_then(|c| c.python.clone()),
        options,
    );
    let configured = configured.map(|c| (c.name, c.source));
    let importable_file_name = parsed.is_some();
    let python_tagged_name = parsed.as_ref().is_some_and(|parsed| parsed.suffix != ".so");
    let (carried, imported_as) = match parsed {
        Some(parsed) if carries_module(file_name, &parsed) => (Some(parsed), None),
        other => (None, other.map(|parsed| parsed.module)),
    };
    let (name, name_source, overridden) = match (carried, &options.module_name) {
        (Some(parsed), given) => {
            let overridden = given
                .as_ref()
                .filter(|given| last_component(given) != parsed.module)
                .cloned();
            (parsed.module, NameSource::FileName, overridden)
        }
        (None, Some(given)) => (given.clone(), NameSource::CommandLine, None),
        (None, None) => match configured {
            Some((name, source)) => (name, source, None),
            None => (
                imported_as.unwrap_or_else(|| guess_module_of_unimportable(file_name)),
                NameSource::FileName,
                None,
            ),
        },
    };
    ModuleIdentity {
        name,
        name_source,
        importable_file_name,
        python_tagged_name,
        overridden,
        python,
        python_source,
    }
}

/// Whether the file name itself says which module CPython imports: every importable name
/// except cargo's untagged `lib<name>.so`, which is the crate's output, not yet named as
/// the module it will be installed as.
fn carries_module(file_name: &str, parsed: &ModuleFileName) -> bool {
    !(parsed.suffix == ".so" && file_name.starts_with("lib"))
}

/// What a cargo project's configuration says its output is.
#[derive(Debug, Clone)]
pub struct Configured {
    pub name: String,
    pub source: NameSource,
    /// From PyO3's abi3 features, `PYO3_PYTHON` or `requires-python`.
    pub python: Option<PythonTargets>,
}

fn python_targets(
    parsed: Option<&ModuleFileName>,
    project: Option<PythonTargets>,
    options: &IdentityOptions,
) -> (PythonTargets, VersionSource) {
    if !options.python.is_empty() {
        return (
            PythonTargets::Versions(options.python.clone()),
            VersionSource::CommandLine,
        );
    }
    match parsed {
        Some(parsed) if parsed.python != PythonTargets::Unknown => {
            (parsed.python.clone(), VersionSource::FileSuffix)
        }
        _ => match project {
            Some(python) => (python, VersionSource::Project),
            None => (PythonTargets::Unknown, VersionSource::None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::discover::parse_module_file_name;

    fn identify(
        file_name: &str,
        configured: Option<(String, NameSource)>,
        options: &IdentityOptions,
    ) -> ModuleIdentity {
        let configured = configured.map(|(name, source)| Configured {
            name,
            source,
            python: None,
        });
        super::identify(
            file_name,
            parse_module_file_name(file_name),
            configured,
            options,
        )
    }

    fn with_name(name: &str) -> IdentityOptions {
        IdentityOptions {
            module_name: Some(name.into()),
            python: Vec::new(),
        }
    }

    #[test]
    fn a_tagged_file_name_beats_module_name() {
        let identity = identify(
            "_speedups.cpython-312-x86_64-linux-gnu.so",
            None,
            &with_name("string_sum"),
        );
        assert_eq!(identity.name, "_speedups");
        assert_eq!(identity.name_source, NameSource::FileName);
        assert_eq!(identity.overridden.as_deref(), Some("string_sum"));
        let agreeing = identify("foo.abi3.so", None, &with_name("pkg.foo"));
        assert_eq!(agreeing.overridden, None);
    }

    #[test]
    fn cargo_names_take_module_name() {
        for file in ["libfoo.so", "libfoo.dylib", "foo.dll", "libfoo.so.1"] {
            let identity = identify(file, None, &with_name("bar"));
            assert_eq!(
                (
                    identity.name.as_str(),
                    &identity.name_source,
                    &identity.overridden
                ),
                ("bar", &NameSource::CommandLine, &None),
                "{file}"
            );
        }
        let plain = identify("libfoo.dylib", None, &IdentityOptions::default());
        assert_eq!(plain.name, "foo");
        assert!(!plain.importable_file_name);
    }

    #[test]
    fn a_cargo_output_takes_the_projects_python_unless_told_otherwise() {
        let configured = || Configured {
            name: "tiny".into(),
            source: NameSource::FileName,
            python: Some(PythonTargets::Abi3),
        };
        let from_project = super::identify(
            "libtiny.so",
            parse_module_file_name("libtiny.so"),
            Some(configured()),
            &IdentityOptions::default(),
        );
        assert_eq!(from_project.python, PythonTargets::Abi3);
        assert_eq!(from_project.python_source, VersionSource::Project);
        let told = super::identify(
            "libtiny.so",
            parse_module_file_name("libtiny.so"),
            Some(configured()),
            &IdentityOptions {
                module_name: None,
                python: vec!["3.12".parse().unwrap()],
            },
        );
        assert_eq!(told.python_source, VersionSource::CommandLine);
    }
}
