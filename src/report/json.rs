//! The JSON reporter. The document's shape is defined here, by these structs, and documented
//! in the README; `schema_version` changes on any incompatible change.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::hook::HookNames;
use crate::inspect::{BinaryFormat, LookupOutcome, ObjectKind, SliceSummary};
use crate::judge::Finding;
use crate::judge::search::Resolution;
use crate::model::ArtifactKind;
use crate::model::{Location, NameSource, Origin, VersionSource};
use crate::outcome::{Checked, Entry, RunOutcome};
use crate::platform::{ClaimSource, Libc, Os, PlatformClaim};
use crate::python::PythonTargets;
use crate::stage::StageOutcome;

/// Bumped on any incompatible change to the document's shape.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    artifacts: Vec<ArtifactJson<'a>>,
    unchecked: Vec<UncheckedJson<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    result: &'static str,
    exit_code: u8,
    fail_on: &'static str,
    artifacts: usize,
    passed: usize,
    failed: usize,
    errored: usize,
    nothing_to_check: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    /// Findings the policy ignores; listed with their `suppressed`, counted nowhere else.
    ignored: usize,
    unchecked: usize,
}

#[derive(Serialize)]
struct ArtifactJson<'a> {
    path: &'a Path,
    status: &'static str,
    /// Why it could not be checked, or why there was nothing to check.
    problem: Option<String>,
    origin: Option<&'static str>,
    wheel: Option<&'a Path>,
    member: Option<&'a str>,
    /// `module`, or `library` for a vendored library (or one beside the modules).
    kind: Option<&'static str>,
    module: Option<&'a str>,
    module_source: Option<NameSourceJson<'a>>,
    python: Option<PythonJson>,
    python_source: Option<&'static str>,
    /// What the names promise about the platform it loads on, in the order made.
    platforms: Vec<PlatformJson<'a>>,
    expected_hooks: Option<HooksJson<'a>>,
    stage: Option<StageJson<'a>>,
    staged_path: Option<&'a Path>,
    format: Option<&'static str>,
    slices: Vec<SliceJson<'a>>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum NameSourceJson<'a> {
    CommandLine,
    FileName,
    Config {
        key: &'a str,
        location: LocationJson<'a>,
    },
}

#[derive(Serialize)]
#[serde(tag = "kind", content = "versions", rename_all = "kebab-case")]
enum PythonJson {
    Versions(Vec<String>),
    Abi3,
    Abi3t,
    Unknown,
}

#[derive(Serialize)]
struct PlatformJson<'a> {
    /// file-name | wheel-tag | target | command-line
    source: &'static str,
    tag: &'a str,
    os: &'static str,
    machines: Vec<String>,
    libc: Option<&'static str>,
    /// glibc (manylinux) or macOS (macosx) release promised, `2.17` / `11.0`.
    floor: Option<String>,
}

#[derive(Serialize)]
struct HooksJson<'a> {
    module: &'a str,
    init: &'a str,
    mod_export: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum StageJson<'a> {
    InPlace {
        path: &'a Path,
    },
    MovedBack {
        path: &'a Path,
    },
    CopyRemoved {
        original: &'a Path,
    },
    KeptBoth {
        staged: &'a Path,
        newer_at_original: &'a Path,
    },
    OriginalGone {
        staged: &'a Path,
        original: &'a Path,
    },
    LeftStaged {
        staged: &'a Path,
    },
    Copied {
        staged: &'a Path,
        original: &'a Path,
    },
}

#[derive(Serialize)]
struct SliceJson<'a> {
    arch: &'a str,
    kind: KindJson<'a>,
    lookups: Vec<(&'a str, LookupJson)>,
    /// The entry points the slice exports, when a rule scanned for them.
    other_hooks: Option<&'a [String]>,
    /// Each library the slice needs and where its loader finds it.
    dependencies: Vec<DependencyJson<'a>>,
}

#[derive(Serialize)]
struct DependencyJson<'a> {
    library: &'a str,
    /// `in-wheel`, `platform`, `python`, `c-library`, `weak-absent`, `missing`, `unjudged`.
    route: &'static str,
    /// The file it resolved to in the wheel or tree, or who guarantees it.
    detail: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
enum KindJson<'a> {
    SharedLibrary,
    Executable,
    Relocatable,
    Other(&'a str),
}

#[derive(Serialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "kebab-case")]
enum LookupJson {
    Exported,
    Forwarded(String),
    Missing(String),
}

#[derive(Serialize)]
struct FindingJson<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    slice: Option<&'a str>,
    locations: Vec<LocationJson<'a>>,
    /// Why the policy ignores this finding; `null` when it counts.
    suppressed: Option<SuppressedJson>,
}

#[derive(Serialize)]
struct SuppressedJson {
    kind: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct LocationJson<'a> {
    path: &'a Path,
    line: Option<u32>,
    label: &'a str,
}

#[derive(Serialize)]
struct UncheckedJson<'a> {
    path: &'a Path,
    reason: &'static str,
    detail: String,
}

pub fn render(out: &mut dyn Write, run: &RunOutcome) -> io::Result<()> {
    let totals = &run.totals;
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            result: run.result.id(),
            exit_code: run.exit_code(),
            fail_on: run.fail_on.id(),
            artifacts: totals.entries,
            passed: totals.passed,
            failed: totals.failed,
            errored: totals.errored,
            nothing_to_check: totals.nothing_to_check,
            errors: totals.errors,
            warnings: totals.warnings,
            notes: totals.notes,
            ignored: totals.ignored,
            unchecked: totals.unchecked,
        },
        artifacts: run.entries.iter().map(artifact).collect(),
        unchecked: run
            .unchecked
            .iter()
            .map(|u| UncheckedJson {
                path: &u.path,
                reason: u.reason.id(),
                detail: u.reason.to_string(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

fn artifact(entry: &Entry) -> ArtifactJson<'_> {
    let identity = entry.artifact.as_ref().map(|a| &a.identity);
    let (wheel, member) = match entry.artifact.as_ref().map(|a| &a.bytes) {
        Some(crate::model::ByteSource::WheelMember { wheel, member }) => {
            (Some(wheel.as_path()), Some(member.as_str()))
        }
        _ => (None, None),
    };
    let problem = match &entry.checked {
        Checked::Error(error) => Some(error.to_string()),
        Checked::NothingToCheck(reason) => Some(reason.to_string()),
        Checked::Judged(_) => None,
    };
    let judged = entry.judged();
    ArtifactJson {
        path: &entry.path,
        status: entry.status.id(),
        problem,
        origin: entry.artifact.as_ref().map(|a| origin(a.origin)),
        wheel,
        member,
        kind: entry.artifact.as_ref().map(|a| match a.kind {
            ArtifactKind::Module => "module",
            ArtifactKind::Library => "library",
        }),
        module: identity.map(|i| i.name.as_str()),
        module_source: identity.map(|i| name_source(&i.name_source)),
        python: identity.map(|i| python(&i.python)),
        python_source: identity.map(|i| version_source(i.python_source)),
        platforms: identity
            .map(|i| i.platform.claims.iter().map(platform).collect())
            .unwrap_or_default(),
        expected_hooks: judged.and_then(|j| j.hooks.as_ref().ok()).map(hooks),
        stage: entry.stage.as_ref().map(stage),
        staged_path: entry.stage.as_ref().and_then(StageOutcome::staged),
        format: judged.map(|j| format(j.format)),
        slices: judged
            .map(|j| {
                j.slices
                    .iter()
                    .enumerate()
                    .map(|(i, s)| slice(s, j.dependencies.get(i).map_or(&[], Vec::as_slice)))
                    .collect()
            })
            .unwrap_or_default(),
        findings: entry.all_findings().iter().map(finding).collect(),
    }
}

fn platform(claim: &PlatformClaim) -> PlatformJson<'_> {
    PlatformJson {
        source: match claim.source {
            ClaimSource::FileName => "file-name",
            ClaimSource::WheelTag => "wheel-tag",
            ClaimSource::Target => "target",
            ClaimSource::CommandLine => "command-line",
        },
        tag: &claim.text,
        os: match claim.os {
            Os::Linux => "linux",
            Os::MacOs => "macos",
            Os::Windows => "windows",
            Os::Android => "android",
            Os::Ios => "ios",
        },
        machines: claim
            .machines
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
        libc: claim.libc.map(|libc| match libc {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::Bionic => "bionic",
        }),
        floor: claim
            .floor
            .map(|floor| format!("{}.{}", floor.major, floor.minor)),
    }
}

fn origin(origin: Origin) -> &'static str {
    match origin {
        Origin::Path => "path",
        Origin::DirectoryScan => "directory-scan",
        Origin::Cargo => "cargo",
    }
}

fn name_source(source: &NameSource) -> NameSourceJson<'_> {
    match source {
        NameSource::CommandLine => NameSourceJson::CommandLine,
        NameSource::FileName => NameSourceJson::FileName,
        NameSource::Config { key, location } => NameSourceJson::Config {
            key,
            location: location_json(location),
        },
    }
}

fn python(targets: &PythonTargets) -> PythonJson {
    match targets {
        PythonTargets::Versions(versions) => {
            PythonJson::Versions(versions.iter().map(ToString::to_string).collect())
        }
        PythonTargets::Abi3 => PythonJson::Abi3,
        PythonTargets::Abi3t => PythonJson::Abi3t,
        PythonTargets::Unknown => PythonJson::Unknown,
    }
}

fn version_source(source: VersionSource) -> &'static str {
    match source {
        VersionSource::CommandLine => "command-line",
        VersionSource::FileSuffix => "file-suffix",
        VersionSource::Project => "project",
        VersionSource::WheelTag => "wheel-tag",
        VersionSource::None => "none",
    }
}

fn hooks(hooks: &HookNames) -> HooksJson<'_> {
    HooksJson {
        module: &hooks.module,
        init: &hooks.init,
        mod_export: &hooks.mod_export,
    }
}

fn stage(outcome: &StageOutcome) -> StageJson<'_> {
    match outcome {
        StageOutcome::InPlace { path } => StageJson::InPlace { path },
        StageOutcome::MovedBack { path } => StageJson::MovedBack { path },
        StageOutcome::CopyRemoved { original } => StageJson::CopyRemoved { original },
        StageOutcome::KeptBoth {
            staged,
            newer_at_original,
        } => StageJson::KeptBoth {
            staged,
            newer_at_original,
        },
        StageOutcome::OriginalGone { staged, original } => {
            StageJson::OriginalGone { staged, original }
        }
        StageOutcome::LeftStaged { staged } => StageJson::LeftStaged { staged },
        StageOutcome::Copied { staged, original } => StageJson::Copied { staged, original },
    }
}

fn format(format: BinaryFormat) -> &'static str {
    match format {
        BinaryFormat::Elf => "elf",
        BinaryFormat::MachO => "mach-o",
        BinaryFormat::MachOFat => "mach-o-fat",
        BinaryFormat::Pe => "pe",
    }
}

fn slice<'a>(slice: &'a SliceSummary, dependencies: &'a [Resolution]) -> SliceJson<'a> {
    SliceJson {
        dependencies: dependencies
            .iter()
            .map(|resolution| DependencyJson {
                library: &resolution.library,
                route: resolution.route.id(),
                detail: resolution.route.detail(),
            })
            .collect(),
        arch: &slice.arch,
        kind: match &slice.kind {
            ObjectKind::SharedLibrary => KindJson::SharedLibrary,
            ObjectKind::Executable => KindJson::Executable,
            ObjectKind::Relocatable => KindJson::Relocatable,
            ObjectKind::Other(what) => KindJson::Other(what),
        },
        lookups: slice
            .lookups
            .iter()
            .map(|(name, outcome)| {
                let outcome = match outcome {
                    LookupOutcome::Exported => LookupJson::Exported,
                    LookupOutcome::Forwarded(target) => LookupJson::Forwarded(target.clone()),
                    LookupOutcome::Missing(reason) => LookupJson::Missing(reason.to_string()),
                };
                (name.as_str(), outcome)
            })
            .collect(),
        other_hooks: slice.exported_hooks.as_deref(),
    }
}

fn finding(finding: &Finding) -> FindingJson<'_> {
    FindingJson {
        rule_id: finding.rule.id,
        rule_name: finding.rule.name,
        severity: finding.severity.label(),
        message: &finding.message,
        help: finding.help.as_deref(),
        slice: finding.slice.as_deref(),
        locations: finding.locations.iter().map(location_json).collect(),
        suppressed: finding.suppressed.as_ref().map(|s| SuppressedJson {
            kind: s.id(),
            reason: s.to_string(),
        }),
    }
}

fn location_json(location: &Location) -> LocationJson<'_> {
    LocationJson {
        path: &location.path,
        line: location.line,
        label: &location.label,
    }
}
