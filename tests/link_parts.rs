//! Each rule of the link reader (`src/link/mod.rs`, `src/link/open.rs`) on its own, with the
//! expected reading written out here: where a fragment starts, the length limit to the character,
//! escapes, what each key sets, the exact reason given for a refused seed, count or value, and what
//! a link without a usable scenario keeps.
//!
//! Written to kill the mutants cargo-mutants makes of those files (README §8 "Mutation testing").
//! Values of `sino-russian-drift` used below are copied from `scenarios/sino-russian-drift.toml`:
//! `model.balance` has default 0.02 and range [0, 0.2]; seed 1, 2 000 runs, horizon 36; its views
//! are `essay-thesis`, `article-thesis`, `sceptics` in that order, its first outcomes
//! `rus-chn-below-03`, `rus-closer-to-usa`; two of its events are
//! `defection-fallout` and `brussels-line-reaffirmed`.

use alignment_sim::engine::Settings;
use alignment_sim::link::{
    embed_link, encode_link, fragment_of, open_link, open_link_on, parse_link, read_seed, resolve_link, LinkNote,
    ParsedLink, MAX_LINK_CHARS,
};
use alignment_sim::scenario::{builtin, builtin_ids, Observation, Scenario};

const SINO: &str = "sino-russian-drift";

fn sino() -> Scenario {
    builtin(SINO).expect("built-in").expect("loads")
}

fn keys(link: &ParsedLink) -> Vec<&str> {
    link.notes.iter().map(|n| n.key.as_str()).collect()
}

fn message<'a>(notes: &'a [LinkNote], key: &str) -> &'a str {
    &notes
        .iter()
        .find(|n| n.key == key)
        .unwrap_or_else(|| panic!("no note on `{key}` in {notes:?}"))
        .message
}

#[test]
fn the_limit_is_64_kib_of_fragment_to_the_character() {
    assert_eq!(MAX_LINK_CHARS, 65_536);
    let start = format!("v=1&s={SINO}&view.x=");
    let at_limit = format!("{start}{}", "a".repeat(65_536 - start.len()));
    assert_eq!(at_limit.len(), 65_536);
    let read = parse_link(&at_limit);
    assert_eq!(read.scenario.as_deref(), Some(SINO));
    assert!(read.notes.is_empty(), "{:?}", read.notes);
    // The `#` before a fragment is not counted.
    assert!(parse_link(&format!("#{at_limit}")).notes.is_empty());

    let over = format!("{at_limit}a");
    let refused = parse_link(&over);
    assert_eq!(refused.scenario, None);
    assert_eq!(refused.version, None);
    assert_eq!(keys(&refused), [""]);
    assert_eq!(
        refused.notes[0].message,
        "the link is 65537 characters long; links over 65536 characters are not read"
    );
}

#[test]
fn embed_links_and_notes_are_written_as_documented() {
    assert_eq!(embed_link("v=1&s=x"), "v=1&s=x&embed=1");
    let keyed = LinkNote {
        key: "seed".into(),
        message: "bad".into(),
    };
    assert_eq!(keyed.to_string(), "`seed`: bad");
    let whole = LinkNote {
        key: String::new(),
        message: "too long".into(),
    };
    assert_eq!(whole.to_string(), "too long");
}

#[test]
fn the_fragment_starts_after_an_address_and_not_inside_a_fragment() {
    // Before the `#`: empty, with `://`, starting with `/`, or without `=` → an address.
    assert_eq!(fragment_of("#v=1"), "v=1");
    assert_eq!(fragment_of("http://h/?a=b#v=1"), "v=1");
    assert_eq!(fragment_of("/page?a=b#v=1"), "v=1");
    assert_eq!(fragment_of("page.html#v=1"), "v=1");
    // With `=` and none of the others: a fragment holding a second `#`.
    assert_eq!(fragment_of("v=1&s=a#s=b"), "v=1&s=a#s=b");
    assert_eq!(fragment_of("v=1&s=a"), "v=1&s=a");
}

#[test]
fn escapes_are_decoded_and_bad_ones_named() {
    let link = parse_link("v=1&view.%41b=a%20b+c%2B%C3%BC");
    assert_eq!(link.view, [("Ab".to_string(), "a b c+ü".to_string())]);
    assert!(link.notes.is_empty(), "{:?}", link.notes);
    // A bad value under a good key, and a bad key.
    let link = parse_link("v=1&view.x=%4&view.y=%zz1&%e9=1");
    assert_eq!(keys(&link), ["view.x", "view.y", "%e9"]);
    assert!(link.notes[0].message.starts_with("its value is badly escaped text"));
    assert!(link.notes[1].message.starts_with("its value is badly escaped text"));
    assert!(link.notes[2].message.starts_with("badly escaped text"));
    assert!(link.view.is_empty());
}

#[test]
fn view_values_are_escaped_except_unreserved_characters() {
    let s = sino();
    let view = [("pair".to_string(), "a b/ü-x._~Z9".to_string())];
    let link = encode_link(&s, &s.defaults(), s.default_settings(), &view);
    assert!(
        link.ends_with("&seed=1&runs=2000&h=36&view.pair=a%20b%2F%C3%BC-x._~Z9"),
        "{link}"
    );
    assert_eq!(parse_link(&link).view, view);
}

#[test]
fn notes_show_at_most_40_characters_and_invisible_ones_by_code() {
    let forty = "k".repeat(40);
    let link = parse_link(&format!("v=1&{forty}=1&{forty}k=1&a%07b=1&x%E2%80%AEy=1"));
    assert_eq!(
        keys(&link),
        [
            forty.clone(),
            format!("{forty}…"),
            "a<U+0007>b".into(),
            "x<U+202E>y".into()
        ]
    );
    assert!(link
        .notes
        .iter()
        .all(|n| n.message == "is not something a link can set; ignored"));
}

#[test]
fn repeated_keys_keep_the_first() {
    let link = parse_link("v=1&s=a&seed=3&s=b");
    assert_eq!(link.scenario.as_deref(), Some("a"));
    assert_eq!(link.seed, Some(3));
    assert_eq!(keys(&link), ["s"]);
    assert_eq!(link.notes[0].message, "appears more than once; the first is used");
}

#[test]
fn versions() {
    let empty = parse_link("");
    assert_eq!((empty.version, empty.notes.len()), (None, 0));
    let unversioned = parse_link("s=a");
    assert_eq!(unversioned.version, Some(1));
    assert_eq!(
        message(&unversioned.notes, "v"),
        "the link has no version; read as version 1"
    );
    let current = parse_link("v=1&s=a");
    assert_eq!((current.version, current.notes.len()), (Some(1), 0));
    let newer = parse_link("v=2&s=a");
    assert_eq!(newer.version, Some(2));
    assert_eq!(
        message(&newer.notes, "v"),
        "the link is version 2, newer than this page (version 1); only what this version understands was used"
    );
    assert_eq!(newer.scenario.as_deref(), Some("a"));
    let zero = parse_link("v=0&s=a");
    assert_eq!(zero.version, Some(1));
    assert_eq!(message(&zero.notes, "v"), "version 0 does not exist; read as version 1");
    let word = parse_link("v=one&s=a");
    assert_eq!(word.version, Some(1));
    assert_eq!(
        message(&word.notes, "v"),
        "`one` is not a version number; read as version 1"
    );
}

#[test]
fn every_key_of_version_1_lands_in_its_place() {
    let link = parse_link(
        "v=1&s=an-id&sh=abcd1234&seed=7&runs=300&h=24&c=XYZ&embed=1&model.balance=0.05&happened.e1=3&notby.e2=4&view.pair=A-B",
    );
    assert!(link.notes.is_empty(), "{:?}", link.notes);
    assert_eq!(link.version, Some(1));
    assert_eq!(link.scenario.as_deref(), Some("an-id"));
    assert_eq!(link.scenario_hash.as_deref(), Some("abcd1234"));
    assert_eq!((link.seed, link.runs, link.horizon), (Some(7), Some(300), Some(24)));
    assert_eq!(link.carried.as_deref(), Some("XYZ"));
    assert!(link.embed);
    assert_eq!(link.assumptions, [("model.balance".to_string(), "0.05".to_string())]);
    assert_eq!(
        link.observations,
        [
            ("happened".to_string(), "e1".to_string(), "3".to_string()),
            ("notby".to_string(), "e2".to_string(), "4".to_string())
        ]
    );
    assert_eq!(link.view, [("pair".to_string(), "A-B".to_string())]);

    let odd = parse_link("v=1&s=a&embed=yes");
    assert!(!odd.embed);
    assert_eq!(message(&odd.notes, "embed"), "`yes` is not `1`; the full page is shown");
}

#[test]
fn a_refused_seed_gets_its_exact_reason() {
    let why = |text: &str| read_seed(text).unwrap_err();
    let range = "is not a seed (a whole number from 0 to 18446744073709551615)";
    assert_eq!(why(""), format!("an empty field {range}: it holds no digits"));
    assert_eq!(why("-3"), format!("`-3` {range}: it is negative"));
    assert_eq!(
        why("18446744073709551616"),
        format!("`18446744073709551616` {range}: it is larger than the largest seed")
    );
    assert_eq!(why("2.5"), format!("`2.5` {range}: it has decimals or an exponent"));
    assert_eq!(why("1e5"), format!("`1e5` {range}: it has decimals or an exponent"));
    // Letters: with a digit, or reading as a float without one (`inf`), still not digits.
    for text in ["seven", "a1", "inf", "12x"] {
        assert_eq!(
            why(text),
            format!("`{text}` {range}: it holds characters other than digits")
        );
    }
    assert_eq!(read_seed("0"), Ok(0));
    assert_eq!(read_seed("18446744073709551615"), Ok(u64::MAX));
    // In a link: the number, or none with the same reason and what is used instead.
    assert_eq!(parse_link("v=1&seed=7").seed, Some(7));
    assert_eq!(parse_link("v=1&seed=0").seed, Some(0));
    let bad = parse_link("v=1&seed=-3");
    assert_eq!(bad.seed, None);
    assert_eq!(
        message(&bad.notes, "seed"),
        format!("`-3` {range}: it is negative; the scenario's default seed is used")
    );
}

#[test]
fn runs_and_horizon_are_whole_numbers_from_1_to_their_limit() {
    let read = |link: &str| {
        let link = parse_link(link);
        (link.runs, link.horizon, link.notes)
    };
    let (runs, h, notes) = read("v=1&runs=1&h=1");
    assert_eq!((runs, h, notes.len()), (Some(1), Some(1), 0));
    let (runs, h, notes) = read("v=1&runs=100000&h=240");
    assert_eq!((runs, h, notes.len()), (Some(100_000), Some(240), 0));
    let (runs, h, notes) = read("v=1&runs=100001&h=241");
    assert_eq!((runs, h), (None, None));
    assert_eq!(
        message(&notes, "runs"),
        "100001 is outside 1…100000; the scenario's number of runs is used"
    );
    assert_eq!(
        message(&notes, "h"),
        "241 is outside 1…240; the scenario's horizon is used"
    );
    let (runs, h, notes) = read("v=1&runs=0&h=x");
    assert_eq!((runs, h), (None, None));
    assert_eq!(
        message(&notes, "runs"),
        "0 is outside 1…100000; the scenario's number of runs is used"
    );
    assert_eq!(
        message(&notes, "h"),
        "`x` is not a whole number; the scenario's horizon is used"
    );
}

#[test]
fn each_refused_value_keeps_the_default_with_its_reason() {
    let s = sino();
    let balance = s.assumption_index("model.balance").expect("model.balance");
    let value = |text: &str| {
        let resolved = resolve_link(&parse_link(&format!("v=1&s={SINO}&model.balance={text}")), &s);
        (resolved.values[balance], resolved.notes)
    };
    // Inside [0, 0.2], ends included.
    for (text, want) in [("0.05", 0.05), ("0", 0.0), ("0.2", 0.2)] {
        let (got, notes) = value(text);
        assert_eq!((got, notes.len()), (want, 0), "{text}: {notes:?}");
    }
    let (got, notes) = value("0.3");
    assert_eq!(got, 0.02);
    assert_eq!(
        message(&notes, "model.balance"),
        "0.3 is outside the slider's range [0, 0.2]; the default 0.02 is used"
    );
    let (got, notes) = value("-0.001");
    assert_eq!(got, 0.02);
    assert!(message(&notes, "model.balance").starts_with("-0.001 is outside"));
    let (got, notes) = value("inf");
    assert_eq!(got, 0.02);
    assert_eq!(
        message(&notes, "model.balance"),
        "`inf` is not a finite number; the default 0.02 is used"
    );
    let (got, notes) = value("NaN");
    assert_eq!(got, 0.02);
    assert!(message(&notes, "model.balance").contains("not a finite number"));
    let (got, notes) = value("lots");
    assert_eq!(got, 0.02);
    assert_eq!(
        message(&notes, "model.balance"),
        "`lots` is not a number; the default 0.02 is used"
    );
    let unknown = resolve_link(&parse_link(&format!("v=1&s={SINO}&model.nothing=1")), &s);
    assert_eq!(unknown.values, s.defaults());
    assert_eq!(
        message(&unknown.notes, "model.nothing"),
        "the scenario `sino-russian-drift` has no such assumption; ignored"
    );
    // Settings: the link's where usable, else the scenario's 1 / 2 000 / 36.
    let settings = resolve_link(&parse_link(&format!("v=1&s={SINO}&seed=9&runs=0&h=12")), &s).settings;
    assert_eq!(
        settings,
        Settings {
            seed: 9,
            runs: 2000,
            horizon: 12
        }
    );
}

#[test]
fn marked_events_are_read_once_each() {
    let s = sino();
    let fallout = s.event_index("defection-fallout").expect("event");
    let brussels = s.event_index("brussels-line-reaffirmed").expect("event");
    let read = |tail: &str| resolve_link(&parse_link(&format!("v=1&s={SINO}&{tail}")), &s);
    let two = read("happened.defection-fallout=3&notby.brussels-line-reaffirmed=4");
    assert!(two.notes.is_empty(), "{:?}", two.notes);
    assert_eq!(
        two.observations,
        [(fallout, Observation::HappenedIn(3)), (brussels, Observation::NotBy(4))]
    );
    let twice = read("notby.defection-fallout=5&happened.defection-fallout=2");
    assert_eq!(twice.observations, [(fallout, Observation::NotBy(5))]);
    assert_eq!(
        message(&twice.notes, "happened.defection-fallout"),
        "the link marks this event twice (happened and not by); the first is used"
    );
    let unknown = read("happened.nothing=2&notby.defection-fallout=0");
    assert!(unknown.observations.is_empty());
    assert_eq!(
        message(&unknown.notes, "happened.nothing"),
        "the scenario `sino-russian-drift` has no such event; ignored"
    );
    assert!(message(&unknown.notes, "notby.defection-fallout").ends_with("; ignored"));
    // Opening the link marks the event in the scenario it opens.
    let opened = open_link(&format!("v=1&s={SINO}&happened.defection-fallout=3"));
    assert_eq!(
        opened.scenario.events[fallout].observed,
        Some(Observation::HappenedIn(3))
    );
}

#[test]
fn view_keys_are_read_against_the_scenario_and_horizon() {
    let opened = open_link(&format!(
        "v=1&s={SINO}&h=24&view.month=24&view.named=article-thesis&view.outcome=rus-closer-to-usa"
    ));
    assert!(opened.notes.is_empty(), "{:?}", opened.notes);
    assert!(!opened.lost_anything());
    assert_eq!(opened.view.month, Some(24));
    assert_eq!(opened.view.named, Some(1));
    // The file's second outcome.
    assert_eq!(opened.view.outcome, Some(1));
    assert!(!opened.view.embed);
    let past = open_link(&format!(
        "v=1&s={SINO}&h=24&view.month=25&view.named=nothing&view.outcome=nothing"
    ));
    assert!(past.lost_anything());
    assert_eq!(
        (past.view.month, past.view.named, past.view.outcome),
        (None, None, None)
    );
    assert_eq!(
        message(&past.notes, "view.outcome"),
        "`nothing` is not an outcome of this scenario; ignored"
    );
    assert_eq!(
        message(&past.notes, "view.month"),
        "`25` is not a month of the run (0 to 24); ignored"
    );
    assert_eq!(
        message(&past.notes, "view.named"),
        "`nothing` is not a view of this scenario; ignored"
    );
    assert!(open_link(&format!("v=1&s={SINO}&embed=1")).view.embed);
}

#[test]
fn a_link_on_a_scenario_chosen_by_the_caller_reports_the_one_it_named() {
    let (opened, named) = open_link_on("v=1&s=elsewhere&seed=4&model.balance=0.1", sino());
    assert_eq!(named.as_deref(), Some("elsewhere"));
    assert_eq!(opened.scenario.id, SINO);
    assert_eq!(opened.settings.seed, 4);
    let balance = opened
        .scenario
        .assumption_index("model.balance")
        .expect("model.balance");
    assert_eq!(opened.values[balance], 0.1);
    assert!(opened.unusable_scenario.is_none());
    let (_, named) = open_link_on("v=1&seed=4", sino());
    assert_eq!(named, None);
}

fn first_builtin() -> &'static str {
    builtin_ids().next().expect("a built-in scenario")
}

#[test]
fn a_link_without_a_usable_scenario_keeps_only_its_settings_and_says_what_it_dropped() {
    let kept = "; the first built-in scenario is shown; its seed, runs and horizon were kept";
    let last_note = |link: &str| {
        let opened = open_link(link);
        assert_eq!(opened.scenario.id, first_builtin());
        assert_eq!(opened.values, opened.scenario.defaults());
        opened.notes.last().expect("a note").message.clone()
    };
    // A version but no scenario.
    let opened = open_link("v=1&seed=5&runs=10&h=6&view.month=2");
    assert_eq!(opened.scenario.id, first_builtin());
    assert_eq!(
        opened.settings,
        Settings {
            seed: 5,
            runs: 10,
            horizon: 6
        }
    );
    assert_eq!(opened.view.month, None);
    let reason = opened.unusable_scenario.clone().expect("unusable");
    assert_eq!(reason.key, "s");
    assert_eq!(reason.message, "the link names no scenario (`s=`)");
    assert_eq!(opened.notes.len(), 1);
    assert_eq!(
        opened.notes[0].message,
        format!("the link names no scenario (`s=`){kept}")
    );

    assert_eq!(
        last_note("v=1&s=nowhere"),
        format!("there is no built-in scenario `nowhere`{kept}")
    );
    assert_eq!(
        last_note("v=1&s=nowhere&model.balance=0.1"),
        format!("there is no built-in scenario `nowhere`{kept}, its 1 assumption value was not (they belong to that scenario)")
    );
    assert!(last_note("v=1&s=nowhere&model.balance=0.1&model.x=1")
        .ends_with("its 2 assumption values were not (they belong to that scenario)"));
    assert!(last_note("v=1&s=nowhere&happened.e=2").ends_with("were kept; nor 1 marked event"));
    assert!(last_note("v=1&s=nowhere&model.x=1&happened.e=2&notby.f=3")
        .ends_with("was not (they belong to that scenario); nor 2 marked events"));
    // The compact view is kept, and so is the request for the outcomes over what we don't know.
    assert!(open_link("v=1&s=nowhere&embed=1").view.embed);
    let uncertain = open_link("v=1&s=nowhere&u=1");
    assert!(uncertain.view.uncertain && !uncertain.view.embed);
    assert!(!open_link("v=1&s=nowhere").view.uncertain);
}

#[test]
fn the_reason_a_link_names_no_scenario_is_the_real_one() {
    // A badly escaped `s` after another note: the reason is the one about `s`.
    let opened = open_link("v=1&x=1&x=2&s=sino%zz");
    let reason = opened.unusable_scenario.expect("unusable");
    assert_eq!(reason.key, "s");
    assert!(
        reason
            .message
            .starts_with("the link's scenario could not be read (its value is badly escaped"),
        "{reason}"
    );
    // A badly escaped carried file.
    let reason = open_link("v=1&c=%zz").unusable_scenario.expect("unusable");
    assert_eq!(reason.key, "c");
    assert!(
        reason.message.starts_with("the link's scenario could not be read ("),
        "{reason}"
    );
    // Only an unrelated note: the link still names no scenario.
    let reason = open_link("v=1&x=1&x=2").unusable_scenario.expect("unusable");
    assert_eq!(
        (reason.key.as_str(), reason.message.as_str()),
        ("s", "the link names no scenario (`s=`)")
    );
    // A link too long to read.
    let reason = open_link(&"a=1&".repeat(20_000)).unusable_scenario.expect("unusable");
    assert_eq!(reason.key, "");
    assert!(
        reason.message.ends_with("are not read, so it names no scenario"),
        "{reason}"
    );
    // An empty link is no mistake: the first scenario at its defaults, nothing to say.
    let empty = open_link("");
    assert!(empty.notes.is_empty() && empty.unusable_scenario.is_none());
    assert_eq!(empty.scenario.id, first_builtin());
}
