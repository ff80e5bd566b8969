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

type Parsed = Result<Scenario, super::ScenarioErrors>;

thread_local! {
    /// Each built-in file is parsed once per thread (the page asks for them on every switch).
    static PARSED: std::cell::RefCell<Vec<Option<Parsed>>> = std::cell::RefCell::new(vec![None; BUILTIN_FILES.len()]);
}

/// The built-in scenario with this id, parsed. Built-in files are checked by the tests, so a
/// failure here is a bug, reported as an error rather than a panic all the same.
pub fn builtin(id: &str) -> Option<Parsed> {
    let index = BUILTIN_FILES.iter().position(|(known, _)| *known == id)?;
    Some(PARSED.with(|cache| {
        cache.borrow_mut()[index]
            .get_or_insert_with(|| {
                let (known, text) = BUILTIN_FILES[index];
                parse_scenario(&format!("scenarios/{known}.toml"), text)
            })
            .clone()
    }))
}
