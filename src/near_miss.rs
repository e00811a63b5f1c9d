//! Near misses: a name the user typed that is probably another one. One piece serves every
//! place that names a mistake and suggests the fix — maturin's `module-name` spelled
//! `module_name` (PYI008), an unknown rule id, an unknown configuration key.

/// A name without case or separators: `module_name`, `moduleName` and `module-name` are all
/// `modulename`.
pub fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `typed` is `known` written with another case or other separators.
pub fn same_spelling(typed: &str, known: &str) -> bool {
    squashed(typed) == squashed(known)
}

/// The known name `typed` most probably meant: one of the same spelling first, else the
/// closest within a few typos (a third of the name, at least one edit). `None` when nothing
/// is close enough to be worth suggesting.
pub fn suggest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_squashed = squashed(typed);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in known {
        let distance = edit_distance(&typed_squashed, &squashed(candidate));
        let allowed = (candidate.chars().count() / 3).max(1);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_that_differ_in_case_or_separators_are_the_same() {
        assert!(same_spelling("module_name", "module-name"));
        assert!(same_spelling("moduleName", "module-name"));
        assert!(!same_spelling("module-names", "module-name"));
    }

    #[test]
    fn the_closest_known_name_is_suggested_within_a_few_typos() {
        let keys = [
            "fail-on",
            "select",
            "ignore",
            "severity",
            "per-path-ignores",
        ];
        assert_eq!(suggest("fail_on", keys), Some("fail-on"));
        assert_eq!(suggest("selct", keys), Some("select"));
        assert_eq!(suggest("per-file-ignores", keys), Some("per-path-ignores"));
        assert_eq!(suggest("colour", keys), None);
        assert_eq!(suggest("PYI01", ["PYI001", "PYI002"]), Some("PYI001"));
    }
}
