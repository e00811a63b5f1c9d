//! Whether the human output is coloured: one pure decision over the flag, the environment
//! and whether stdout is a terminal, so each case can be tested without a terminal.

use std::ffi::OsString;
use std::io::IsTerminal;

use super::ColorChoice;

/// The environment variables that bear on colour, as read.
#[derive(Debug, Clone, Default)]
pub struct ColorEnv {
    pub no_color: Option<OsString>,
    pub force_color: Option<OsString>,
    pub clicolor_force: Option<OsString>,
    pub github_actions: Option<OsString>,
}

impl ColorEnv {
    pub fn from_process() -> Self {
        ColorEnv {
            no_color: std::env::var_os("NO_COLOR"),
            force_color: std::env::var_os("FORCE_COLOR"),
            clicolor_force: std::env::var_os("CLICOLOR_FORCE"),
            github_actions: std::env::var_os("GITHUB_ACTIONS"),
        }
    }
}

/// Colour for this run's stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    decide(
        choice,
        &ColorEnv::from_process(),
        std::io::stdout().is_terminal(),
    )
}

/// The flag wins over the environment; in `auto`, `NO_COLOR` (non-empty, no-color.org) wins
/// over everything that asks for colour: `FORCE_COLOR` (non-empty, force-color.org),
/// `CLICOLOR_FORCE` (non-empty and not `0`), `GITHUB_ACTIONS=true` (the log viewer renders
/// ANSI colour although stdout is a pipe), then a terminal.
pub fn decide(choice: ColorChoice, env: &ColorEnv, stdout_is_terminal: bool) -> bool {
    let set = |value: &Option<OsString>| value.as_ref().is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set(&env.no_color) {
                return false;
            }
            set(&env.force_color)
                || (set(&env.clicolor_force) && env.clicolor_force.as_deref() != Some("0".as_ref()))
                || env.github_actions.as_deref() == Some("true".as_ref())
                || stdout_is_terminal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ColorEnv {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        };
        ColorEnv {
            no_color: get("NO_COLOR"),
            force_color: get("FORCE_COLOR"),
            clicolor_force: get("CLICOLOR_FORCE"),
            github_actions: get("GITHUB_ACTIONS"),
        }
    }

    fn auto(pairs: &[(&str, &str)], terminal: bool) -> bool {
        decide(ColorChoice::Auto, &env(pairs), terminal)
    }

    #[test]
    fn auto_colours_a_terminal_only_when_nothing_else_is_said() {
        assert!(auto(&[], true));
        assert!(!auto(&[], false));
    }

    #[test]
    fn github_actions_colours_its_piped_log() {
        assert!(auto(&[("GITHUB_ACTIONS", "true")], false));
        assert!(!auto(&[("GITHUB_ACTIONS", "false")], false));
    }

    #[test]
    fn force_color_set_to_anything_non_empty_colours() {
        assert!(auto(&[("FORCE_COLOR", "1")], false));
        assert!(auto(&[("FORCE_COLOR", "0")], false));
        assert!(!auto(&[("FORCE_COLOR", "")], false));
    }

    #[test]
    fn clicolor_force_colours_unless_empty_or_zero() {
        assert!(auto(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!auto(&[("CLICOLOR_FORCE", "0")], false));
        assert!(!auto(&[("CLICOLOR_FORCE", "")], false));
    }

    #[test]
    fn no_color_wins_over_every_request_for_colour() {
        let all = [
            ("NO_COLOR", "1"),
            ("FORCE_COLOR", "1"),
            ("CLICOLOR_FORCE", "1"),
            ("GITHUB_ACTIONS", "true"),
        ];
        assert!(!auto(&all, true));
        // An empty NO_COLOR is unset (no-color.org).
        assert!(auto(&[("NO_COLOR", "")], true));
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let no_color = env(&[("NO_COLOR", "1")]);
        assert!(decide(ColorChoice::Always, &no_color, false));
        let forced = env(&[("FORCE_COLOR", "1"), ("GITHUB_ACTIONS", "true")]);
        assert!(!decide(ColorChoice::Never, &forced, true));
    }
}
