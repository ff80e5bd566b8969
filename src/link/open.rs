//! The one link reader: a share link (a full URL or its fragment) → the scenario, one value per
//! assumption, the settings, the view and the notes on what was not used. The page
//! ([`crate::state::State::from_link`]) and the command line (`cli::prepare`) both open links
//! here, so they read the same parts of the same link and say the same things about the rest.

use super::{linked_scenario, note, parse_link, resolve_link, shown, LinkNote, LinkedScenario, ParsedLink};
use crate::engine::Settings;
use crate::scenario::{builtin, builtin_ids, Scenario};

/// What the page shows that changes no number, as read from a link: `None` where the link said
/// nothing usable (the page then keeps its own choice).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkView {
    /// Pair index of the large fan chart (`view.pair`, `A-B` in either order).
    pub pair: Option<usize>,
    /// The outcome the headline shows (`view.outcome`, an outcome id).
    pub outcome: Option<usize>,
    /// Month of the network (`view.month`, 0 … horizon).
    pub month: Option<usize>,
    /// The scenario's named view the state was started from (`view.named`, a view id): a label
    /// only, since the link's values are what count; index into `Scenario::views`.
    pub named: Option<usize>,
    /// The compact view for an iframe (`embed=1`).
    pub embed: bool,
    /// The outcomes over what we don't know as well (`u=1`).
    pub uncertain: bool,
    /// The comparison against this state without one source (`view.without`, a source id; index
    /// into `Scenario::sources`): `analysis::ablate`.
    pub without: Option<usize>,
}

/// A link, read: everything to set up the state it describes.
#[derive(Clone, Debug)]
pub struct OpenedLink {
    pub scenario: Scenario,
    /// The text of a scenario file carried in the link (`c=`), to write into links again.
    pub carried: Option<String>,
    /// One value per assumption of `scenario`.
    pub values: Vec<f64>,
    pub settings: Settings,
    pub view: LinkView,
    /// Everything the link held that was not used, and why, in the order found.
    pub notes: Vec<LinkNote>,
    /// Set when the link's own scenario could not be used (unknown, damaged, none named), with
    /// the reason; `scenario` is then the first built-in one at its defaults, with the link's
    /// seed, runs and horizon, and the last of `notes` says so.
    pub unusable_scenario: Option<LinkNote>,
}

impl OpenedLink {
    /// A scenario at its defaults, as an empty link opens it (the command line's `FILE|ID`
    /// without `--link`).
    pub fn defaults(scenario: Scenario) -> Self {
        OpenedLink {
            values: scenario.defaults(),
            settings: scenario.default_settings(),
            scenario,
            carried: None,
            view: LinkView::default(),
            notes: Vec::new(),
            unusable_scenario: None,
        }
    }

    /// Whether anything in the link was not used (the link cannot be rewritten from the state
    /// without losing something).
    pub fn lost_anything(&self) -> bool {
        !self.notes.is_empty()
    }
}

/// The `view.*` keys checked against the scenario and horizon; each unusable one gets a note.
fn read_view(view: &[(String, String)], scenario: &Scenario, horizon: usize, notes: &mut Vec<LinkNote>) -> LinkView {
    let mut read = LinkView::default();
    for (key, value) in view {
        match key.as_str() {
            "pair" => match scenario.pair_by_key(value) {
                Some(pair) => read.pair = Some(pair),
                None => notes.push(note(
                    "view.pair",
                    format!("`{}` is not a pair of this scenario; ignored", shown(value)),
                )),
            },
            "outcome" => match scenario.outcomes.iter().position(|o| &o.id == value) {
                Some(index) => read.outcome = Some(index),
                None => notes.push(note(
                    "view.outcome",
                    format!("`{}` is not an outcome of this scenario; ignored", shown(value)),
                )),
            },
            "named" => match scenario.views.iter().position(|v| &v.id == value) {
                Some(index) => read.named = Some(index),
                None => notes.push(note(
                    "view.named",
                    format!("`{}` is not a view of this scenario; ignored", shown(value)),
                )),
            },
            "without" => match scenario.sources.iter().position(|s| &s.id == value) {
                Some(index) => read.without = Some(index),
                None => notes.push(note(
                    "view.without",
                    format!("`{}` is not a source of this scenario; ignored", shown(value)),
                )),
            },
            "month" => match value.parse::<usize>() {
                Ok(month) if month <= horizon => read.month = Some(month),
                _ => notes.push(note(
                    "view.month",
                    format!("`{}` is not a month of the run (0 to {horizon}); ignored", shown(value)),
                )),
            },
            other => notes.push(note(
                &format!("view.{}", shown(other)),
                "is not a view setting; ignored",
            )),
        }
    }
    read
}

/// Opens a link with its own scenario: the carried file, else the named built-in. When that
/// cannot be used, the first built-in scenario opens at its defaults with the link's seed, runs
/// and horizon, and a note says why and what was dropped. Never fails and never panics.
pub fn open_link(url_or_fragment: &str) -> OpenedLink {
    let link = parse_link(url_or_fragment);
    match linked_scenario(&link) {
        LinkedScenario::Builtin(scenario) => open_on(&link, scenario, None),
        LinkedScenario::Carried(scenario, text) => open_on(&link, scenario, Some(text)),
        LinkedScenario::Unusable(reason) => fall_back(&link, Some(reason)),
        // An empty link: the first scenario at its defaults, with nothing to say.
        LinkedScenario::Missing if link.notes.is_empty() && link.version.is_none() => {
            OpenedLink::defaults(first_builtin())
        }
        LinkedScenario::Missing => fall_back(&link, None),
    }
}

/// Opens a link on a scenario chosen by the caller (the command line's `FILE|ID` given with
/// `--link`): values, settings and view are read against that scenario.
pub fn open_link_on(url_or_fragment: &str, scenario: Scenario) -> (OpenedLink, Option<String>) {
    let link = parse_link(url_or_fragment);
    let named = link.scenario.clone();
    (open_on(&link, scenario, None), named)
}

fn open_on(link: &ParsedLink, mut scenario: Scenario, carried: Option<String>) -> OpenedLink {
    let resolved = resolve_link(link, &scenario);
    for &(event, observed) in &resolved.observations {
        scenario.events[event].observed = Some(observed);
    }
    let mut notes = resolved.notes;
    let mut view = read_view(&resolved.view, &scenario, resolved.settings.horizon, &mut notes);
    view.embed = link.embed;
    view.uncertain = link.uncertain;
    OpenedLink {
        scenario,
        carried,
        values: resolved.values,
        settings: resolved.settings,
        view,
        notes,
        unusable_scenario: None,
    }
}

/// The first built-in scenario at its defaults, keeping the link's seed, runs and horizon (they
/// mean the same in every scenario); assumption values and view belong to the scenario they were
/// written for, so they are dropped, and the note says how many.
fn fall_back(link: &ParsedLink, reason: Option<LinkNote>) -> OpenedLink {
    let scenario = first_builtin();
    let mut settings_only = link.clone();
    let dropped = std::mem::take(&mut settings_only.assumptions).len();
    let marked = std::mem::take(&mut settings_only.observations).len();
    settings_only.view.clear();
    settings_only.scenario_hash = None;
    let resolved = resolve_link(&settings_only, &scenario);
    let mut notes = resolved.notes;
    let what_else = if dropped > 0 {
        format!(
            "; its seed, runs and horizon were kept, its {dropped} assumption value{} not (they belong to that scenario)",
            if dropped == 1 { " was" } else { "s were" }
        )
    } else {
        "; its seed, runs and horizon were kept".to_string()
    };
    let what_else = if marked > 0 {
        format!(
            "{what_else}; nor {marked} marked event{}",
            if marked == 1 { "" } else { "s" }
        )
    } else {
        what_else
    };
    let reason = reason.unwrap_or_else(|| missing_reason(link));
    notes.push(note(
        &reason.key,
        format!("{}; the first built-in scenario is shown{what_else}", reason.message),
    ));
    OpenedLink {
        scenario,
        carried: None,
        values: resolved.values,
        settings: resolved.settings,
        view: LinkView {
            embed: link.embed,
            uncertain: link.uncertain,
            ..LinkView::default()
        },
        notes,
        unusable_scenario: Some(reason),
    }
}

/// The scenario a link without a usable one opens.
fn first_builtin() -> Scenario {
    builtin_ids()
        .find_map(|id| builtin(id).and_then(Result::ok))
        .expect("the built-in scenarios load (checked by the tests)")
}

/// Why a link that names no usable scenario names none: its real reason (too long to read, a
/// badly escaped `s`) when the notes hold one.
fn missing_reason(link: &ParsedLink) -> LinkNote {
    if let Some(unread) = link.notes.iter().find(|n| n.key.is_empty()) {
        return note("", format!("{}, so it names no scenario", unread.message));
    }
    if let Some(bad) = link.notes.iter().find(|n| n.key == "s" || n.key == "c") {
        let why = bad.message.trim_end_matches("; ignored");
        return note(&bad.key, format!("the link's scenario could not be read ({why})"));
    }
    note("s", "the link names no scenario (`s=`)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_asks_for_the_compact_view_and_changes_nothing_else() {
        let full = "v=1&s=sino-russian-drift&seed=7&runs=500&model.balance=0.05";
        let plain = open_link(full);
        let embedded = open_link(&crate::link::embed_link(full));
        assert!(embedded.view.embed && !plain.view.embed);
        assert!(embedded.notes.is_empty(), "{:?}", embedded.notes);
        assert_eq!((&embedded.values, embedded.settings), (&plain.values, plain.settings));
        let odd = open_link(&format!("{full}&embed=yes"));
        assert!(!odd.view.embed);
        assert_eq!(odd.notes.len(), 1);
        assert_eq!(odd.notes[0].key, "embed");
        // Kept when the scenario is unknown (the first built-in is shown, compactly).
        assert!(open_link("v=1&s=nowhere&embed=1").view.embed);
    }

    #[test]
    fn u_asks_for_the_outcomes_over_what_we_do_not_know_and_changes_nothing_else() {
        let full = "v=1&s=sino-russian-drift&seed=4";
        let plain = open_link(full);
        let both = open_link(&crate::link::uncertain_link(full));
        assert!(both.view.uncertain && !plain.view.uncertain && both.notes.is_empty());
        assert_eq!((&both.values, both.settings), (&plain.values, plain.settings));
        let odd = open_link(&format!("{full}&u=yes"));
        assert!(!odd.view.uncertain);
        assert_eq!(odd.notes[0].key, "u");
    }

    #[test]
    fn view_keys_are_checked_against_the_scenario() {
        let opened = open_link("v=1&s=sino-russian-drift&h=24&view.pair=CHN-RUS&view.month=12");
        assert!(opened.notes.is_empty(), "{:?}", opened.notes);
        let (i, j) = opened.scenario.pairs[opened.view.pair.unwrap()].actors;
        let ids = (&opened.scenario.actors[i].id, &opened.scenario.actors[j].id);
        assert_eq!((ids.0.as_str(), ids.1.as_str()), ("RUS", "CHN"));
        assert_eq!(opened.view.month, Some(12));
        let without = open_link("v=1&s=sino-russian-drift&view.without=seed-002");
        let source = without.view.without.expect("a source");
        assert_eq!(without.scenario.sources[source].id, "seed-002");
        let bad =
            open_link("v=1&s=sino-russian-drift&h=24&view.pair=XX-YY&view.month=25&view.tab=blocs&view.without=seed-9");
        let keys: Vec<&str> = bad.notes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["view.pair", "view.month", "view.tab", "view.without"]);
        assert_eq!(bad.view, LinkView::default());
    }

    #[test]
    fn an_unusable_scenario_opens_the_first_built_in_with_the_real_reason() {
        let long = format!(
            "v=1&s=sino-russian-drift&x={}",
            "a".repeat(super::super::MAX_LINK_CHARS)
        );
        let opened = open_link(&long);
        let reason = opened.unusable_scenario.expect("unusable");
        assert!(reason.message.contains("not read"), "{reason}");
        let escaped = open_link("v=1&s=sino%zz&seed=5");
        let reason = escaped.unusable_scenario.expect("unusable");
        assert!(reason.message.contains("badly escaped"), "{reason}");
        assert_eq!(escaped.settings.seed, 5);
        let empty = open_link("");
        assert!(empty.notes.is_empty() && empty.unusable_scenario.is_none());
    }
}
