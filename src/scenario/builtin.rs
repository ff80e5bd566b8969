//! The scenarios shipped with the page and the command line, compiled in.

use super::{parse_scenario, Scenario};

/// (id, file text) of each built-in scenario, in the order the page lists them.
pub const BUILTIN_FILES: [(&str, &str); 3] = [
    ("us-russia-rapprochement", include_str!("../../scenarios/us-russia-rapprochement.toml")),
    ("sino-russian-drift", include_str!("../../scenarios/sino-russian-drift.toml")),
    ("russia-dprk-alignment", include_str!("../../scenarios/russia-dprk-alignment.toml")),
];

pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_FILES.iter().map(|(id, _)| *id)
}

/// The built-in scenario with this id, parsed. Built-in files are checked by the tests, so a
/// failure here is a bug, reported as an error rather than a panic all the same.
pub fn builtin(id: &str) -> Option<Result<Scenario, super::ScenarioErrors>> {
    BUILTIN_FILES
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(known, text)| parse_scenario(&format!("scenarios/{known}.toml"), text))
}
