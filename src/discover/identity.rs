//! Which module an artifact is, decided once, in discover: the file name when it carries
//! one (that is what CPython goes by), else the project's configuration or `--module-name`.

#[cfg(doc)]
use super::file_name::parse_module_file_name;
use super::file_name::{ModuleFileName, guess_module_of_unimportable, suffix_platform};
use super::wheel_tags::WheelTags;
use crate::hook::last_component;
use crate::model::{ModuleIdentity, NameSource, VersionSource};
use crate::platform::{Libc, PlatformClaim, PlatformClaims, parse_suffix_platform};
use crate::python::{FloorSource, PythonTargets, PythonVersion, StableAbi};

/// What the user said about every artifact.
#[derive(Debug, Clone, Default)]
pub struct IdentityOptions {
    /// `--module-name`.
    pub module_name: Option<String>,
    /// `--python`: replaces the versions a suffix names.
    pub python: Vec<PythonVersion>,
    /// `--target`: the platform every artifact must load on, when it names one checked here.
    pub target: Option<PlatformClaim>,
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
    let stable_abi = stable_abi(parsed.as_ref(), options).or_else(|| {
        let project = configured.as_ref()?;
        (python_source == VersionSource::Project && python == PythonTargets::Abi3).then(|| {
            StableAbi {
                free_threaded: false,
                floor: project.abi3_floor,
                floor_source: if project.abi3_floor.is_some() {
                    FloorSource::Project
                } else {
                    FloorSource::Unknown
                },
            }
        })
    });
    let platform = PlatformClaims {
        claims: parsed
            .as_ref()
            .and_then(suffix_claim)
            .into_iter()
            .chain(options.target.clone())
            .collect(),
        any_platform: false,
        tag_disagreement: None,
        unreadable: Vec::new(),
    };
    let configured = configured.map(|c| (c.name, c.source));
    let importable_file_name = parsed.is_some();
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
        overridden,
        python,
        python_source,
        stable_abi,
        platform,
    }
}

/// What a wheel's file name adds to a member's identity: the versions of a member whose own
/// name (`member_targets`) names none, and the floor of an abi3 member that `--python` gave
/// none. On Windows an abi3 module is a plain `.pyd`, so there the wheel tag alone makes the
/// stable-ABI promise (`--python` still names the versions and the floor).
pub fn apply_wheel_tags(
    identity: &mut ModuleIdentity,
    member_targets: &PythonTargets,
    tags: &WheelTags,
) {
    if *member_targets == PythonTargets::Unknown
        && identity.stable_abi.is_none()
        && let Some(floor) = tags.abi3_floor
    {
        let command_line = match &identity.python {
            PythonTargets::Versions(versions)
                if identity.python_source == VersionSource::CommandLine =>
            {
                versions.iter().min().copied()
            }
            _ => None,
        };
        identity.stable_abi = Some(StableAbi {
            free_threaded: tags.abi3t_only,
            floor: Some(command_line.unwrap_or(floor)),
            floor_source: if command_line.is_some() {
                FloorSource::CommandLine
            } else {
                FloorSource::WheelTag
            },
        });
    }
    // An abi3 file in a version-specific wheel (`cp313-cp313t`) is for exactly those
    // interpreters: whether they load an `.abi3.so` at all is then a question (PYI018).
    let abi3_file_in_versioned_wheel =
        matches!(identity.python, PythonTargets::Abi3 | PythonTargets::Abi3t)
            && identity.python_source == VersionSource::FileSuffix
            && tags.abi3_floor.is_none()
            && !tags.versions.is_empty();
    if abi3_file_in_versioned_wheel {
        identity.python = PythonTargets::Versions(tags.versions.clone());
        identity.python_source = VersionSource::WheelTag;
    } else if identity.python == PythonTargets::Unknown {
        let from_tags = if tags.abi3_floor.is_none() {
            Some(PythonTargets::Versions(tags.versions.clone()))
                .filter(|_| !tags.versions.is_empty())
        } else if tags.abi3t_only {
            Some(PythonTargets::Abi3t)
        } else {
            Some(PythonTargets::Abi3)
        };
        if let Some(python) = from_tags {
            identity.python = python;
            identity.python_source = VersionSource::WheelTag;
        }
    }
    if let Some(stable) = identity.stable_abi.as_mut()
        && stable.floor.is_none()
        && let Some(floor) = tags.abi3_floor
    {
        stable.floor = Some(floor);
        stable.floor_source = FloorSource::WheelTag;
    }
}

/// What the platform part of a suffix promises. Before 3.11 CPython on musl also named its
/// suffixes `-linux-gnu` (docs/loader-rules.md §10), so there `-gnu` says nothing of the libc.
fn suffix_claim(parsed: &ModuleFileName) -> Option<PlatformClaim> {
    let mut claim = parse_suffix_platform(suffix_platform(&parsed.suffix)?)?;
    let before_musl_soabi = match &parsed.python {
        PythonTargets::Versions(versions) => versions.iter().any(|v| v.minor < 11),
        _ => false,
    };
    if before_musl_soabi && claim.libc == Some(Libc::Glibc) {
        claim.libc = None;
    }
    Some(claim)
}

/// An `.abi3`/`.abi3t` suffix makes the stable-ABI promise; `--python` names its floor.
fn stable_abi(parsed: Option<&ModuleFileName>, options: &IdentityOptions) -> Option<StableAbi> {
    let free_threaded = match parsed.map(|parsed| &parsed.python) {
        Some(PythonTargets::Abi3) => false,
        Some(PythonTargets::Abi3t) => true,
        _ => return None,
    };
    let floor = options.python.iter().min().copied();
    Some(StableAbi {
        free_threaded,
        floor,
        floor_source: if floor.is_some() {
            FloorSource::CommandLine
        } else {
            FloorSource::Unknown
        },
    })
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
    /// From PyO3's abi3 features or `PYO3_PYTHON`.
    pub python: Option<PythonTargets>,
    /// An `abi3-pyXY` feature's floor.
    pub abi3_floor: Option<PythonVersion>,
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
            abi3_floor: None,
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
            target: None,
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
    fn an_abi3_suffix_promises_the_stable_abi_from_a_floor() {
        let python = |versions: &[&str]| IdentityOptions {
            module_name: None,
            python: versions.iter().map(|v| v.parse().unwrap()).collect(),
            target: None,
        };
        let plain = identify("foo.abi3.so", None, &python(&[]));
        assert_eq!(
            plain.stable_abi,
            Some(StableAbi {
                free_threaded: false,
                floor: None,
                floor_source: FloorSource::Unknown
            })
        );
        let named = identify("foo.abi3.so", None, &python(&["3.12", "3.9"]));
        let stable = named.stable_abi.unwrap();
        assert_eq!(
            (stable.floor, stable.floor_source),
            (Some("3.9".parse().unwrap()), FloorSource::CommandLine)
        );
        assert_eq!(
            identify("foo.cpython-312-x86_64-linux-gnu.so", None, &python(&[])).stable_abi,
            None
        );
    }

    #[test]
    fn wheel_tags_fill_what_the_member_and_command_line_leave_open() {
        let tags = WheelTags {
            versions: vec!["3.12".parse().unwrap()],
            ..WheelTags::default()
        };
        let abi3_tags = WheelTags {
            abi3_floor: Some("3.8".parse().unwrap()),
            ..WheelTags::default()
        };
        let mut abi3 = identify("foo.abi3.so", None, &IdentityOptions::default());
        apply_wheel_tags(&mut abi3, &PythonTargets::Abi3, &abi3_tags);
        let stable = abi3.stable_abi.unwrap();
        assert_eq!(
            (stable.floor, stable.floor_source),
            (Some("3.8".parse().unwrap()), FloorSource::WheelTag)
        );
        assert_eq!(abi3.python, PythonTargets::Abi3);
        let mut untagged = identify("foo.so", None, &IdentityOptions::default());
        apply_wheel_tags(&mut untagged, &PythonTargets::Unknown, &tags);
        assert_eq!(
            (untagged.python, untagged.python_source),
            (
                PythonTargets::Versions(vec!["3.12".parse().unwrap()]),
                VersionSource::WheelTag
            )
        );
    }

    #[test]
    fn a_pyd_in_an_abi3_wheel_makes_the_stable_abi_promise() {
        let tags = WheelTags {
            abi3_floor: Some("3.11".parse().unwrap()),
            ..WheelTags::default()
        };
        let mut pyd = identify("_rust.pyd", None, &IdentityOptions::default());
        apply_wheel_tags(&mut pyd, &PythonTargets::Unknown, &tags);
        assert_eq!(pyd.python, PythonTargets::Abi3);
        assert_eq!(pyd.stable_abi.unwrap().floor, Some("3.11".parse().unwrap()));
        // --python names the versions and the floor, the wheel still makes the promise.
        let options = IdentityOptions {
            module_name: None,
            python: vec!["3.12".parse().unwrap()],
            target: None,
        };
        let mut named = identify("_rust.pyd", None, &options);
        apply_wheel_tags(&mut named, &PythonTargets::Unknown, &tags);
        let stable = named.stable_abi.unwrap();
        assert_eq!(
            (stable.floor, stable.floor_source),
            (Some("3.12".parse().unwrap()), FloorSource::CommandLine)
        );
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
            abi3_floor: Some("3.9".parse().unwrap()),
        };
        let from_project = super::identify(
            "libtiny.so",
            parse_module_file_name("libtiny.so"),
            Some(configured()),
            &IdentityOptions::default(),
        );
        assert_eq!(from_project.python, PythonTargets::Abi3);
        assert_eq!(from_project.python_source, VersionSource::Project);
        // PyO3's abi3-py39 is the promise PYI011 holds the build to.
        let stable = from_project.stable_abi.unwrap();
        assert_eq!(stable.floor, Some("3.9".parse().unwrap()));
        assert_eq!(stable.floor_source, FloorSource::Project);
        let told = super::identify(
            "libtiny.so",
            parse_module_file_name("libtiny.so"),
            Some(configured()),
            &IdentityOptions {
                module_name: None,
                python: vec!["3.12".parse().unwrap()],
                target: None,
            },
        );
        assert_eq!(told.python_source, VersionSource::CommandLine);
    }
}
