//! Share links (DESIGN.md §5): the whole state in a readable, versioned URL fragment.
//!
//! `#v=1&e=3&s=sino-russian-drift&sh=1a2b3c4d&seed=7&runs=2000&h=36&pair.RUS-CHN.baseline=0.2&view.pair=RUS-CHN`
//!
//! - `v` link format version, `s` scenario id, `sh` short hash of the scenario file's content;
//! - `e` the engine version that made the link's numbers ([`ENGINE_VERSION`]); a link written by
//!   the page without it is from engine 1. Opened by another engine, the link gets a note that its
//!   numbers differ from the link's by Monte Carlo error ([`engine_note`]);
//! - `seed`, `runs`, `h` (horizon in months);
//! - one `<assumption id>=<value>` for every assumption that differs from the scenario's default;
//! - `happened.<event id>=M` and `notby.<event id>=M`: events the user marked as having happened
//!   in month M, or as not having happened by month M ([`Observation`]);
//! - `view.*` keys for what the page shows (pair, month, the named view it started from), which
//!   never change the numbers;
//! - `c`: for a scenario the user loaded from a file, the whole file, compressed (`payload`);
//! - `embed=1`: the page's compact view for an iframe ([`EMBED_PART`]), which changes no number;
//! - `u=1`: the outcomes over what we don't know beside those at these values ([`UNCERTAIN_PART`];
//!   `run --link` then reports both, as `run --uncertain` does).
//!
//! Each link format version has its own decoder (`decode_v1`); a link without a version is read
//! as version 1, and a newer one is read with the newest decoder known, with a note.
//!
//! Decoding never fails: whatever cannot be used is left out and reported as a [`LinkNote`] that
//! says what was ignored and why, and everything valid is kept. [`open_link`] is the one reader
//! the page and the command line call: it parses ([`parse_link`]), finds the scenario
//! ([`linked_scenario`]), resolves values and settings ([`resolve_link`]) and the view.

mod open;
mod payload;

pub use open::{open_link, open_link_on, LinkView, OpenedLink};
pub use payload::{decode_scenario_text, encode_scenario_text};

use crate::engine::{Settings, ENGINE_VERSION};
use crate::scenario::{builtin, parse_scenario, Observation, Scenario, MAX_HORIZON, MAX_RUNS};

/// The link format this code writes.
pub const LINK_VERSION: u32 = 1;
/// Longer fragments are not read at all.
pub const MAX_LINK_CHARS: usize = 64 * 1024;

/// The part that asks the page for its compact view for an iframe: the chosen chart, the
/// outcomes, the speculative notice and a link to the full page. The command line reads it and
/// ignores it (it changes no number).
pub const EMBED_PART: &str = "embed=1";

/// The part that asks for the outcomes over what we don't know as well (each run drawing every
/// assumption from its plausible range): adds numbers, changes none of the others.
pub const UNCERTAIN_PART: &str = "u=1";

/// The same link, asking for the outcomes over what we don't know too ([`UNCERTAIN_PART`]).
pub fn uncertain_link(fragment: &str) -> String {
    format!("{fragment}&{UNCERTAIN_PART}")
}

/// The same link, asking for the compact view ([`EMBED_PART`]).
pub fn embed_link(fragment: &str) -> String {
    format!("{fragment}&{EMBED_PART}")
}

/// One thing in a link that was ignored, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkNote {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for LinkNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "`{}`: {}", self.key, self.message)
        }
    }
}

/// A link taken apart, before it is checked against a scenario. Settings are numbers already:
/// a seed, run count or horizon that is not one is left out here, with a note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedLink {
    pub version: Option<u32>,
    /// `e`: the engine version that made the link (absent in links made before there were
    /// versions, which are all engine 1's).
    pub engine: Option<u32>,
    pub scenario: Option<String>,
    pub scenario_hash: Option<String>,
    pub seed: Option<u64>,
    pub runs: Option<usize>,
    pub horizon: Option<usize>,
    /// (assumption id, value text) in link order.
    pub assumptions: Vec<(String, String)>,
    /// (`happened` or `notby`, event id, month text) in link order.
    pub observations: Vec<(String, String, String)>,
    /// (view key without `view.`, value).
    pub view: Vec<(String, String)>,
    /// A scenario file carried in the link, still encoded.
    pub carried: Option<String>,
    /// `embed=1`: the compact view for an iframe.
    pub embed: bool,
    /// `u=1`: over what we don't know as well.
    pub uncertain: bool,
    pub notes: Vec<LinkNote>,
}

/// The scenario a link is about.
#[derive(Debug)]
pub enum LinkedScenario {
    /// A built-in scenario, named by `s`.
    Builtin(Scenario),
    /// A scenario file carried in the link (`c`), with its text, to write into links again.
    Carried(Scenario, String),
    /// The link names a scenario that cannot be used; the note says why.
    Unusable(LinkNote),
    /// The link names no scenario.
    Missing,
}

/// Finds and loads the scenario a link is about: the carried file if there is one, else the
/// named built-in.
pub fn linked_scenario(link: &ParsedLink) -> LinkedScenario {
    if let Some(encoded) = &link.carried {
        let text = match decode_scenario_text(encoded) {
            Ok(text) => text,
            Err(reason) => return LinkedScenario::Unusable(note("c", reason)),
        };
        return match parse_scenario("the scenario in the link", &text) {
            Ok(scenario) => LinkedScenario::Carried(scenario, text),
            Err(errors) => {
                LinkedScenario::Unusable(note("c", format!("the scenario in the link does not load: {errors}")))
            }
        };
    }
    match &link.scenario {
        None => LinkedScenario::Missing,
        Some(id) => match builtin(id) {
            Some(Ok(scenario)) => LinkedScenario::Builtin(scenario),
            Some(Err(errors)) => LinkedScenario::Unusable(note("s", errors.to_string())),
            None => LinkedScenario::Unusable(note("s", format!("there is no built-in scenario `{}`", shown(id)))),
        },
    }
}

/// A link checked against its scenario: values to use and what was ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLink {
    /// One value per assumption of the scenario (defaults where the link said nothing usable).
    pub values: Vec<f64>,
    pub settings: Settings,
    pub view: Vec<(String, String)>,
    /// (event index, what the link marks), at most one per event.
    pub observations: Vec<(usize, Observation)>,
    pub notes: Vec<LinkNote>,
}

fn note(key: &str, message: impl Into<String>) -> LinkNote {
    LinkNote {
        key: key.to_string(),
        message: message.into(),
    }
}

/// The part after the first `#` of a full URL, or the text itself when it is a fragment already.
///
/// The text before the first `#` is taken for an address when it is empty, holds `://`, starts
/// with `/` or has no `=`; otherwise (`v=1&s=a#s=b`) the whole text is a fragment in which a
/// second `#` stands, which [`parse_link`] reads as a separator with a note. Page and command line
/// call this once, so both read the same parts of the same link.
pub fn fragment_of(url_or_fragment: &str) -> &str {
    match url_or_fragment.split_once('#') {
        Some((before, fragment))
            if before.is_empty() || before.contains("://") || before.starts_with('/') || !before.contains('=') =>
        {
            fragment
        }
        _ => url_or_fragment,
    }
}

/// Decodes `%XX` escapes and `+`; `None` when an escape is malformed or the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Characters kept as they are in link values; everything else is %-escaped.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Link text as a note echoes it: at most 40 characters, and invisible characters that could
/// disguise it (control characters, bidirectional controls) written out visibly as `<U+202E>`.
fn shown(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(40) {
        if c.is_control() || crate::scenario::bidi_control_name(c).is_some() {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Takes a link apart (a full URL or its fragment). Never fails; problems become notes.
pub fn parse_link(url_or_fragment: &str) -> ParsedLink {
    let mut link = ParsedLink::default();
    let fragment = fragment_of(url_or_fragment.trim());
    if fragment.len() > MAX_LINK_CHARS {
        link.notes.push(note(
            "",
            format!(
                "the link is {} characters long; links over {MAX_LINK_CHARS} characters are not read",
                fragment.len()
            ),
        ));
        return link;
    }
    if let Some(at) = fragment.find('#') {
        link.notes.push(note(
            "#",
            format!(
                "the link holds a second `#` (at character {}), which links from this page never do; it was read as a separator between parts",
                fragment[..at].chars().count() + 1
            ),
        ));
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for part in fragment.split(['&', '#']).filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let (Some(key), Some(value)) = (percent_decode(raw_key), percent_decode(raw_value)) else {
            let what = if percent_decode(raw_key).is_some() {
                "its value is badly escaped text (a `%` not followed by two hex digits, or bytes that are not UTF-8); ignored"
            } else {
                "badly escaped text (a `%` not followed by two hex digits, or bytes that are not UTF-8); ignored"
            };
            let key = percent_decode(raw_key).unwrap_or_else(|| raw_key.to_string());
            link.notes.push(note(&shown(&key), what));
            continue;
        };
        if !seen.insert(key.clone()) {
            link.notes
                .push(note(&shown(&key), "appears more than once; the first is used"));
            continue;
        }
        pairs.push((key, value));
    }
    let version = match pairs.iter().find(|(k, _)| k == "v") {
        None if pairs.is_empty() => return link,
        None => {
            link.notes.push(note("v", "the link has no version; read as version 1"));
            1
        }
        Some((_, text)) => match text.parse::<u32>() {
            Ok(0) => {
                link.notes
                    .push(note("v", "version 0 does not exist; read as version 1"));
                1
            }
            Ok(v) => v,
            Err(_) => {
                link.notes.push(note(
                    "v",
                    format!("`{}` is not a version number; read as version 1", shown(text)),
                ));
                1
            }
        },
    };
    link.version = Some(version);
    if version > LINK_VERSION {
        link.notes.push(note(
            "v",
            format!("the link is version {version}, newer than this page (version {LINK_VERSION}); only what this version understands was used"),
        ));
    }
    // One decoder per version; version 1 is the only one so far, and versions newer than this
    // page are read by the newest decoder it has.
    decode_v1(pairs, &mut link);
    link
}

/// Version 1: flat keys, assumption ids as keys, `view.*`, and `c` for a carried scenario.
fn decode_v1(pairs: Vec<(String, String)>, link: &mut ParsedLink) {
    for (key, value) in pairs {
        match key.as_str() {
            "v" => {}
            "s" => link.scenario = Some(value),
            "sh" => link.scenario_hash = Some(value),
            "e" => match value.parse::<u32>() {
                Ok(engine) if engine > 0 => link.engine = Some(engine),
                _ => link.notes.push(note(
                    "e",
                    format!(
                        "`{}` is not an engine version (a whole number from 1); these numbers come from engine version {ENGINE_VERSION}, and each may differ from what the link showed by Monte Carlo error",
                        shown(&value)
                    ),
                )),
            },
            "seed" => link.seed = parse_seed(&value, &mut link.notes),
            "runs" => link.runs = parse_count("runs", &value, MAX_RUNS, &mut link.notes),
            "h" => link.horizon = parse_count("h", &value, MAX_HORIZON, &mut link.notes),
            "c" => link.carried = Some(value),
            "embed" if value == "1" => link.embed = true,
            "u" if value == "1" => link.uncertain = true,
            "u" => link.notes.push(note(
                "u",
                format!(
                    "`{}` is not `1`; the outcomes are shown at these values only",
                    shown(&value)
                ),
            )),
            "embed" => link.notes.push(note(
                "embed",
                format!("`{}` is not `1`; the full page is shown", shown(&value)),
            )),
            _ => {
                let observed = Observation::KINDS.iter().find_map(|kind| {
                    let word = kind(0).link_word();
                    key.strip_prefix(word)?.strip_prefix('.').map(|event| (word, event))
                });
                if let Some(view_key) = key.strip_prefix("view.") {
                    link.view.push((view_key.to_string(), value));
                } else if let Some((word, event)) = observed {
                    link.observations.push((word.to_string(), event.to_string(), value));
                } else if key.contains('.') {
                    link.assumptions.push((key, value));
                } else {
                    link.notes
                        .push(note(&shown(&key), "is not something a link can set; ignored"));
                }
            }
        }
    }
}

/// Reads a seed: a whole number from 0 to 2⁶⁴ − 1, written without sign or decimals. The error
/// says why the text is not one. The link reader and the page's seed field both read seeds here.
pub fn read_seed(text: &str) -> Result<u64, String> {
    text.parse::<u64>().map_err(|_| {
        let what = if text.is_empty() {
            "an empty field".to_string()
        } else {
            format!("`{}`", shown(text))
        };
        let digits = text.strip_prefix('+').unwrap_or(text);
        let why = if text.is_empty() {
            "it holds no digits"
        } else if text.starts_with('-') {
            "it is negative"
        } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            "it is larger than the largest seed"
        } else if text.parse::<f64>().is_ok() && text.bytes().any(|b| b.is_ascii_digit()) {
            "it has decimals or an exponent"
        } else {
            "it holds characters other than digits"
        };
        format!("{what} is not a seed (a whole number from 0 to {}): {why}", u64::MAX)
    })
}

fn parse_seed(text: &str, notes: &mut Vec<LinkNote>) -> Option<u64> {
    read_seed(text)
        .map_err(|message| notes.push(note("seed", format!("{message}; the scenario's default seed is used"))))
        .ok()
}

/// Runs or a horizon: a whole number 1 … `max`.
fn parse_count(key: &str, text: &str, max: usize, notes: &mut Vec<LinkNote>) -> Option<usize> {
    let default = if key == "h" { "horizon" } else { "number of runs" };
    match text.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        Ok(n) => {
            notes.push(note(
                key,
                format!("{n} is outside 1…{max}; the scenario's {default} is used"),
            ));
            None
        }
        Err(_) => {
            notes.push(note(
                key,
                format!(
                    "`{}` is not a whole number; the scenario's {default} is used",
                    shown(text)
                ),
            ));
            None
        }
    }
}

/// What a link's engine version means for the numbers it opens with, when that is not this
/// engine: the same settings and assumptions, other random draws, so figures that differ from the
/// link's by Monte Carlo error. A link the page wrote before there were versions (it has the
/// scenario's hash, `sh`, which every written link has, but no `e`) is engine 1's; a link without
/// either was written by hand, and no engine made numbers for it, so nothing is said.
pub fn engine_note(link: &ParsedLink) -> Option<LinkNote> {
    let differ = "which draws its random numbers differently: with the same settings and assumptions, each figure differs from what the link showed by Monte Carlo error (about the ± beside it)";
    let message = match link.engine {
        Some(ENGINE_VERSION) => return None,
        Some(newer) if newer > ENGINE_VERSION => format!(
            "the link was made by engine version {newer}, newer than this one (version {ENGINE_VERSION}); each figure may differ from what the link showed by Monte Carlo error"
        ),
        Some(older) => format!(
            "the link was made by engine version {older}; these numbers come from engine version {ENGINE_VERSION}, {differ}"
        ),
        // The version was there but unreadable: its own note has said so.
        None if link.notes.iter().any(|n| n.key == "e") => return None,
        None if link.scenario_hash.is_some() => format!(
            "the link is from before 3 December 2026, when the engine was version 1; these numbers come from engine version {ENGINE_VERSION}, {differ}"
        ),
        None => return None,
    };
    Some(note("e", message))
}

/// Checks a parsed link against the scenario it names and produces the values to use.
pub fn resolve_link(link: &ParsedLink, scenario: &Scenario) -> ResolvedLink {
    let mut notes = link.notes.clone();
    let defaults = scenario.default_settings();
    if let Some(engine) = engine_note(link) {
        notes.push(engine);
    }
    if let Some(hash) = &link.scenario_hash {
        if hash != &scenario.content_hash {
            notes.push(note(
                "sh",
                "the scenario file has changed since this link was made; its values were applied to the current version, and numbers may differ",
            ));
        }
    }
    let settings = Settings {
        seed: link.seed.unwrap_or(defaults.seed),
        runs: link.runs.unwrap_or(defaults.runs),
        horizon: link.horizon.unwrap_or(defaults.horizon),
    };
    let mut values = scenario.defaults();
    for (id, text) in &link.assumptions {
        let Some(index) = scenario.assumption_index(id) else {
            notes.push(note(
                &shown(id),
                format!("the scenario `{}` has no such assumption; ignored", scenario.id),
            ));
            continue;
        };
        let assumption = &scenario.assumptions[index];
        match text.parse::<f64>() {
            Ok(value) if assumption.accepts(value) => values[index] = value,
            Ok(value) if !value.is_finite() => notes.push(note(
                id,
                format!(
                    "`{}` is not a finite number; the default {} is used",
                    shown(text),
                    assumption.default
                ),
            )),
            Ok(value) => notes.push(note(
                id,
                format!(
                    "{value} is outside the slider's range [{}, {}]; the default {} is used",
                    assumption.range.0, assumption.range.1, assumption.default
                ),
            )),
            Err(_) => notes.push(note(
                id,
                format!(
                    "`{}` is not a number; the default {} is used",
                    shown(text),
                    assumption.default
                ),
            )),
        }
    }
    let mut observations: Vec<(usize, Observation)> = Vec::new();
    for (word, id, text) in &link.observations {
        let key = format!("{word}.{}", shown(id));
        let Some(event) = scenario.event_index(id) else {
            notes.push(note(
                &key,
                format!("the scenario `{}` has no such event; ignored", scenario.id),
            ));
            continue;
        };
        if observations.iter().any(|(e, _)| *e == event) {
            notes.push(note(
                &key,
                "the link marks this event twice (happened and not by); the first is used",
            ));
            continue;
        }
        let kind = Observation::KINDS
            .into_iter()
            .find(|kind| kind(0).link_word() == word)
            .expect("only link words are collected");
        match Observation::read_month(text) {
            Ok(month) => observations.push((event, kind(month))),
            Err(message) => notes.push(note(&key, format!("{message}; ignored"))),
        }
    }
    ResolvedLink {
        values,
        settings,
        view: link.view.clone(),
        observations,
        notes,
    }
}

/// The fragment (without `#`) for a state. Only assumptions that differ from their default are
/// written; values are written in Rust's shortest round-trip form, so reading gives the same bits.
pub fn encode_link(scenario: &Scenario, values: &[f64], settings: Settings, view: &[(String, String)]) -> String {
    let mut parts = vec![
        format!("v={LINK_VERSION}"),
        format!("e={ENGINE_VERSION}"),
        format!("s={}", percent_encode(&scenario.id)),
        format!("sh={}", scenario.content_hash),
        format!("seed={}", settings.seed),
        format!("runs={}", settings.runs),
        format!("h={}", settings.horizon),
    ];
    for (assumption, value) in scenario.assumptions.iter().zip(values) {
        if *value != assumption.default {
            parts.push(format!("{}={}", percent_encode(&assumption.id), value));
        }
    }
    for (event, observed) in scenario.observations() {
        parts.push(format!(
            "{}.{}={}",
            observed.link_word(),
            percent_encode(&event.id),
            observed.month()
        ));
    }
    for (key, value) in view {
        parts.push(format!("view.{}={}", percent_encode(key), percent_encode(value)));
    }
    parts.join("&")
}

/// As [`encode_link`], with the scenario file itself carried in the link (for a scenario the
/// user loaded, which the reader of the link does not have).
pub fn encode_link_carrying(
    scenario: &Scenario,
    text: &str,
    values: &[f64],
    settings: Settings,
    view: &[(String, String)],
) -> String {
    format!(
        "{}&c={}",
        encode_link(scenario, values, settings, view),
        encode_scenario_text(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_round_trip() {
        for text in ["plain", "with space", "ünïcode–dash", "a&b=c#d"] {
            assert_eq!(percent_decode(&percent_encode(text)).as_deref(), Some(text));
        }
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%e"), None);
    }

    #[test]
    fn fragments_are_taken_from_urls() {
        assert_eq!(fragment_of("http://127.0.0.1:8080/#v=1&s=x"), "v=1&s=x");
        assert_eq!(fragment_of("v=1&s=x"), "v=1&s=x");
    }

    #[test]
    fn unknown_and_repeated_keys_become_notes() {
        let link = parse_link("#v=1&s=a&bogus=1&s=b&seed=3");
        assert_eq!(link.scenario.as_deref(), Some("a"));
        assert_eq!(link.seed, Some(3));
        assert!(link.notes.iter().any(|n| n.key == "bogus"));
        assert!(link
            .notes
            .iter()
            .any(|n| n.key == "s" && n.message.contains("more than once")));
    }

    #[test]
    fn a_refused_seed_says_why() {
        let why = |text: &str| read_seed(text).unwrap_err();
        assert!(why("-3").ends_with("it is negative"), "{}", why("-3"));
        assert!(why("18446744073709551616").ends_with("larger than the largest seed"));
        assert!(why("1e5").ends_with("decimals or an exponent"));
        assert!(why("2.5").ends_with("decimals or an exponent"));
        assert!(why("seven").ends_with("characters other than digits"));
        assert!(why("").starts_with("an empty field is not a seed"));
        assert!(why("-3").contains("from 0 to 18446744073709551615"));
        assert_eq!(read_seed("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn future_versions_are_read_with_a_note() {
        let link = parse_link("v=9&s=a&seed=4");
        assert_eq!(link.version, Some(9));
        assert_eq!(link.seed, Some(4));
        assert!(link.notes.iter().any(|n| n.key == "v" && n.message.contains("newer")));
    }
}
