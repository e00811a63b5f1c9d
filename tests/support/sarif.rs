//! SARIF validation shared by the report tests: the official schema and GitHub code
//! scanning's required properties.

use std::fs;
use std::path::Path;

use serde_json::Value;

/// The SARIF 2.1.0 schema shipped inside the serde-sarif crate (a dev-dependency, so cargo has
/// unpacked it into its registry), read from there so no copy lives in this repository.
fn sarif_schema() -> Value {
    let lock =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let version = lock
        .split("[[package]]")
        .find(|entry| entry.contains("name = \"serde-sarif\""))
        .and_then(|entry| entry.lines().find_map(|l| l.strip_prefix("version = ")))
        .expect("serde-sarif in Cargo.lock")
        .trim_matches('"');
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").unwrap()).join(".cargo"));
    let registries = fs::read_dir(cargo_home.join("registry/src")).expect("cargo registry sources");
    let schema = registries
        .filter_map(Result::ok)
        .map(|entry| {
            entry
                .path()
                .join(format!("serde-sarif-{version}/src/schema.json"))
        })
        .find(|path| path.exists())
        .expect("serde-sarif's schema.json in the cargo registry");
    serde_json::from_str(&fs::read_to_string(schema).unwrap()).unwrap()
}

/// Validates against the official schema and GitHub code scanning's required properties
/// (docs/loader-rules.md §5).
pub fn assert_valid_sarif(sarif: &Value) {
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");

    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run per file");
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "pyinit-check");
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        for key in ["id", "name"] {
            assert!(rule[key].is_string(), "rule.{key}");
        }
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "rule.{key}.text"
            );
        }
        assert!(rule["help"]["markdown"].is_string());
        assert!(rule["defaultConfiguration"]["level"].is_string());
        assert!(rule["properties"]["tags"].is_array());
        assert!(rule["properties"]["precision"].is_string());
    }
    for result in runs[0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains("file:"),
            "repository-relative uri: {uri}"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        let fingerprints = result["partialFingerprints"].as_object().unwrap();
        assert!(!fingerprints.is_empty());
    }
}
