//! The scenarios shipped with the page and the command line.
//!
//! The command line compiles their files in. The page fetches them from its own origin at
//! start-up (`scenarios/<id>.toml`, copied next to the page by Trunk) and hands them over with
//! [`provide_builtin_text`]: that keeps ~190 KB of text out of the page's wasm.

use super::{parse_scenario, Scenario};

/// Ids of the built-in scenarios, in the order the page lists them; each is `scenarios/<id>.toml`.
pub const BUILTIN_IDS: [&str; 3] = ["us-russia-rapprochement", "sino-russian-drift", "russia-dprk-alignment"];

/// (id, file text) of each built-in scenario, compiled in.
#[cfg(not(target_arch = "wasm32"))]
pub const BUILTIN_FILES: [(&str, &str); 3] = [
    (
        "us-russia-rapprochement",
        include_str!("../../scenarios/us-russia-rapprochement.toml"),
    ),
    (
        "sino-russian-drift",
        include_str!("../../scenarios/sino-russian-drift.toml"),
    ),
    (
        "russia-dprk-alignment",
        include_str!("../../scenarios/russia-dprk-alignment.toml"),
    ),
];

type Parsed = Result<Scenario, super::ScenarioErrors>;

thread_local! {
    /// Each built-in file is parsed once per thread (the page asks for them on every switch).
    static PARSED: std::cell::RefCell<Vec<Option<Parsed>>> = std::cell::RefCell::new(vec![None; BUILTIN_IDS.len()]);
    /// The page's fetched texts.
    #[cfg(target_arch = "wasm32")]
    static TEXTS: std::cell::RefCell<Vec<Option<String>>> = std::cell::RefCell::new(vec![None; BUILTIN_IDS.len()]);
}

/// Gives the page's copy of a built-in file's text (fetched at start-up).
#[cfg(target_arch = "wasm32")]
pub fn provide_builtin_text(id: &str, text: String) {
    if let Some(index) = BUILTIN_IDS.iter().position(|known| *known == id) {
        TEXTS.with(|texts| texts.borrow_mut()[index] = Some(text));
        PARSED.with(|parsed| parsed.borrow_mut()[index] = None);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn builtin_text(index: usize) -> Option<String> {
    Some(BUILTIN_FILES[index].1.to_string())
}

#[cfg(target_arch = "wasm32")]
fn builtin_text(index: usize) -> Option<String> {
    TEXTS.with(|texts| texts.borrow()[index].clone())
}

/// The built-in scenarios available here, in order (in the page: those whose file arrived).
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_IDS
        .iter()
        .enumerate()
        .filter(|(index, _)| available(*index))
        .map(|(_, id)| *id)
}

#[cfg(not(target_arch = "wasm32"))]
fn available(_: usize) -> bool {
    true
}

#[cfg(target_arch = "wasm32")]
fn available(index: usize) -> bool {
    TEXTS.with(|texts| texts.borrow()[index].is_some())
}

/// The built-in scenario with this id, parsed. Built-in files are checked by the tests, so a
/// failure here is a bug, reported as an error rather than a panic all the same.
pub fn builtin(id: &str) -> Option<Parsed> {
    let index = BUILTIN_IDS.iter().position(|known| *known == id)?;
    if let Some(parsed) = PARSED.with(|cache| cache.borrow()[index].clone()) {
        return Some(parsed);
    }
    let parsed = parse_scenario(&format!("scenarios/{id}.toml"), &builtin_text(index)?);
    PARSED.with(|cache| cache.borrow_mut()[index] = Some(parsed.clone()));
    Some(parsed)
}
