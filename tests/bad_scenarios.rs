//! Broken scenario files: each case takes `tests/fixtures/minimal.toml`, breaks one thing, and
//! checks that the loader rejects it with an error that names the field, the line, and says what
//! is wrong. Cases are grouped by kind; one `#[test]` per kind.
//!
//! Expected lines are computed from the mutated text (the line of the record or key that was
//! broken), never typed in by hand.

use std::collections::BTreeMap;

use alignment_sim::scenario::{parse_scenario, ScenarioError, ScenarioErrors, MAX_ACTORS, MAX_FILE_BYTES};

const FIXTURE: &str = include_str!("fixtures/minimal.toml");
const FILE: &str = "minimal.toml";

/// Which line the error must carry.
#[derive(Clone, Debug)]
enum Line {
    Exact(usize),
    /// Some line (the problem is with the file as a whole, e.g. a missing pair).
    Any,
    /// No line: the problem is not at a place in the text (e.g. the file is too large).
    NotApplicable,
}

#[derive(Clone, Debug)]
struct Case {
    name: &'static str,
    kind: &'static str,
    text: String,
    /// The error's field, exactly.
    field: String,
    line: Line,
    /// Phrases the message must contain (it says what is wrong).
    says: Vec<&'static str>,
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    line_of_nth(text, needle, 0)
}

/// 1-based line of the `n`-th (0-based) occurrence of `needle`.
fn line_of_nth(text: &str, needle: &str, n: usize) -> usize {
    let (offset, _) = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` (#{n}) not in text"));
    text[..offset].matches('\n').count() + 1
}

/// Replaces the first occurrence of `from` (which must be there).
fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "mutation target `{from}` not found");
    text.replacen(from, to, 1)
}

/// Replaces the `n`-th (0-based) occurrence of `from`.
fn replace_nth(text: &str, from: &str, to: &str, n: usize) -> String {
    let (offset, _) = text
        .match_indices(from)
        .nth(n)
        .unwrap_or_else(|| panic!("`{from}` (#{n}) not found"));
    format!("{}{}{}", &text[..offset], to, &text[offset + from.len()..])
}

/// Cuts the text from the `n`-th occurrence of `start` up to (not including) the next `end`.
fn cut(text: &str, start: &str, n: usize, end: &str) -> String {
    let (from, _) = text
        .match_indices(start)
        .nth(n)
        .unwrap_or_else(|| panic!("`{start}` (#{n}) not found"));
    let to = from
        + text[from..]
            .find(end)
            .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"));
    format!("{}{}", &text[..from], &text[to..])
}

/// Replaces `from` inside the assumption record whose label is `label`; returns the new text and
/// the line of the record's `[header]`.
fn in_record(text: &str, label: &str, from: &str, to: &str) -> (String, usize) {
    let anchor = format!("label = \"{label}\"\n");
    assert_eq!(text.matches(&anchor).count(), 1, "label `{label}` must occur once");
    let at = text.find(&anchor).unwrap();
    let start = text[..at].rfind("\n[").map_or(0, |i| i + 1);
    let end = text[at..].find("\n[").map_or(text.len(), |i| at + i + 1);
    let record = &text[start..end];
    assert!(
        record.contains(from),
        "`{from}` not in the record labelled `{label}`:\n{record}"
    );
    let header_line = text[..start].matches('\n').count() + 1;
    (
        format!("{}{}{}", &text[..start], record.replacen(from, to, 1), &text[end..]),
        header_line,
    )
}

fn case(name: &'static str, kind: &'static str, text: String, field: &str, line: Line, says: &[&'static str]) -> Case {
    Case {
        name,
        kind,
        text,
        field: field.to_string(),
        line,
        says: says.to_vec(),
    }
}

/// A source block to add before `[model.volatility]`.
fn with_source(text: &str, block: &str) -> String {
    replace(text, "[model.volatility]", &format!("{block}\n[model.volatility]"))
}

const DOCUMENT_SOURCE: &str = r#"[[sources]]
id = "doc"
title = "A document"
date = "2025-01"
kind = "document"
description = "A test document."
file = "000_test.txt"
reliability = "Test only."
"#;

const DATASET_SOURCE: &str = r#"[[sources]]
id = "data"
title = "A data set"
date = "2020"
kind = "dataset"
description = "A test data set."
reliability = "Test only."
"#;

/// A complete scenario with `n` actors, every pair, and one outcome: valid when n ≤ 16.
fn many_actors(n: usize) -> String {
    let record = |label: &str, value: &str, range: &str| {
        format!("value = {value}\nrange = {range}\nlabel = \"{label}\"\nrationale = \"Test.\"\nconfidence = \"low\"\nsources = [{{ source = \"judgement\" }}]\n")
    };
    let mut text = FIXTURE[..FIXTURE.find("[[actors]]").unwrap()].to_string();
    let ids: Vec<String> = (0..n).map(|i| format!("A{i:02}")).collect();
    for id in &ids {
        text.push_str(&format!(
            "[[actors]]\nid = \"{id}\"\nname = \"Actor {id}\"\n[actors.weight]\n{}\n",
            record(&format!("{id} weight"), "1.0", "[0.5, 2.0]")
        ));
    }
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&ids[i], &ids[j]);
            text.push_str(&format!(
                "[[pairs]]\nbetween = [\"{a}\", \"{b}\"]\n[pairs.initial]\n{}[pairs.baseline]\n{}\n",
                record(&format!("{a}-{b} start"), "0.1", "[-0.9, 0.9]"),
                record(&format!("{a}-{b} baseline"), "0.1", "[-0.9, 0.9]")
            ));
        }
    }
    text.push_str(
        "[[outcomes]]\nid = \"o\"\nlabel = \"First pair positive\"\ntest = \"A00-A01 > 0\"\nwhen = \"horizon\"\n",
    );
    text
}

fn cases() -> Vec<Case> {
    let f = FIXTURE;
    let mut cases = Vec::new();
    let mut add = |c: Case| cases.push(c);

    // --- Unknown keys (typos must not pass silently).
    let t = replace(f, "label = \"Volatility\"", "lable = \"Volatility\"");
    add(case(
        "typo in an assumption record",
        "unknown key",
        t.clone(),
        "model.volatility.lable",
        Line::Exact(line_of(&t, "lable")),
        &["unknown field `lable`", "`label`"],
    ));
    let t = replace(f, "horizon = 24", "horizn = 24");
    add(case(
        "typo at the top level",
        "unknown key",
        t.clone(),
        "horizn",
        Line::Exact(line_of(&t, "horizn")),
        &["unknown field `horizn`", "`horizon`"],
    ));
    let t = replace(f, "description = \"Test event.\"", "descripton = \"Test event.\"");
    add(case(
        "typo in an event",
        "unknown key",
        t.clone(),
        "events[0].descripton",
        Line::Exact(line_of(&t, "descripton")),
        &["unknown field `descripton`"],
    ));
    let (t, _) = in_record(
        f,
        "Half-life",
        "{ source = \"judgement\" }",
        "{ source = \"judgement\", qoute = \"x\" }",
    );
    add(case(
        "typo in a source reference",
        "unknown key",
        t.clone(),
        "model.half_life.sources[0].qoute",
        Line::Exact(line_of(&t, "qoute")),
        &["unknown field `qoute`"],
    ));

    // --- Missing parts of an assumption record.
    let (t, line) = in_record(f, "Volatility", "rationale = \"Test value.\"\n", "");
    add(case(
        "missing rationale",
        "missing rationale",
        t,
        "model.volatility",
        Line::Exact(line),
        &["missing field `rationale`"],
    ));
    let (t, line) = in_record(f, "Alpha weight", "rationale = \"Test value.\"", "rationale = \"   \"");
    add(case(
        "blank rationale",
        "blank text",
        t,
        "actors[0].weight.rationale",
        Line::Exact(line),
        &["must not be empty"],
    ));
    let (t, line) = in_record(f, "Half-life", "label = \"Half-life\"\n", "");
    // The record cannot be found by its label once the label is gone: check the header line.
    assert_eq!(line, line_of(f, "[model.half_life]"));
    add(case(
        "missing label",
        "missing label",
        t,
        "model.half_life",
        Line::Exact(line),
        &["missing field `label`"],
    ));
    let (t, line) = in_record(f, "A–B start", "label = \"A–B start\"", "label = \"\"");
    add(case(
        "blank label",
        "blank text",
        t,
        "pairs[0].initial.label",
        Line::Exact(line),
        &["must not be empty"],
    ));
    let (t, line) = in_record(f, "Balance", "sources = [{ source = \"judgement\" }]\n", "");
    add(case(
        "missing sources",
        "missing sources",
        t,
        "model.balance",
        Line::Exact(line),
        &["missing field `sources`"],
    ));
    let (t, line) = in_record(f, "Balance", "sources = [{ source = \"judgement\" }]", "sources = []");
    add(case(
        "empty sources",
        "empty sources",
        t,
        "model.balance.sources",
        Line::Exact(line),
        &["at least one source"],
    ));
    let (t, line) = in_record(f, "Beta weight", "confidence = \"low\"\n", "");
    add(case(
        "missing confidence",
        "missing confidence",
        t,
        "actors[1].weight",
        Line::Exact(line),
        &["missing field `confidence`"],
    ));
    let (t, line) = in_record(f, "Alpha weight", "confidence = \"low\"", "confidence = \"certain\"");
    add(case(
        "bad confidence word",
        "bad confidence",
        t,
        "actors[0].weight.confidence",
        Line::Exact(line),
        &["`certain`", "low, medium, high"],
    ));

    // --- Values and ranges.
    let (t, line) = in_record(f, "A–B start", "value = 0.2", "value = 0.95");
    add(case(
        "value outside its range",
        "value outside range",
        t,
        "pairs[0].initial.value",
        Line::Exact(line),
        &["0.95", "outside its range [-0.9, 0.9]"],
    ));
    let (t, line) = in_record(f, "Summit, per year", "value = 0.4", "value = 0");
    let t = in_record(&t, "Summit, per year", "range = [0.0, 1.0]", "range = [0.1, 1.0]").0;
    add(case(
        "value below its range",
        "value outside range",
        t,
        "events[0].probability.value",
        Line::Exact(line),
        &["outside its range [0.1, 1]"],
    ));
    let (t, line) = in_record(f, "A–B baseline", "range = [-0.9, 0.9]", "range = [-0.9, 1.0]");
    add(case(
        "alignment range reaching 1",
        "range outside domain",
        t,
        "pairs[0].baseline.range",
        Line::Exact(line),
        &["an alignment", "strictly between -1 and 1"],
    ));
    let (t, line) = in_record(
        f,
        "B–C start",
        "value = 0.5\nrange = [-0.9, 0.9]",
        "value = 1.0\nrange = [-0.9, 0.9]",
    );
    add(case(
        "alignment value of 1",
        "value outside domain",
        t,
        "pairs[2].initial.value",
        Line::Exact(line),
        &["an alignment", "strictly between -1 and 1", "not 1"],
    ));
    let (t, line) = in_record(f, "Only while A–B above", "range = [-0.9, 0.9]", "range = [-1.0, 0.9]");
    add(case(
        "threshold range reaching -1",
        "range outside domain",
        t,
        "events[0].conditions[0].threshold.range",
        Line::Exact(line),
        &["an alignment"],
    ));
    let (t, line) = in_record(f, "Summit, per year", "range = [0.0, 1.0]", "range = [0.0, 1.5]");
    add(case(
        "probability range above 1",
        "range outside domain",
        t,
        "events[0].probability.range",
        Line::Exact(line),
        &["a probability", "between 0 and 1"],
    ));
    let (t, line) = in_record(f, "Beta weight", "range = [0.1, 2.0]", "range = [-0.5, 2.0]");
    add(case(
        "negative weight in the range",
        "range outside domain",
        t,
        "actors[1].weight.range",
        Line::Exact(line),
        &["a capability weight", "[-0.5, 2]"],
    ));
    let (t, line) = in_record(f, "Gamma weight", "value = 0.8", "value = -0.8");
    add(case(
        "negative weight",
        "value outside domain",
        t,
        "actors[2].weight.value",
        Line::Exact(line),
        &["a capability weight", "not -0.8"],
    ));
    let (t, line) = in_record(f, "Half-life", "range = [1, 120]", "range = [0, 120]");
    add(case(
        "half-life range starting at 0",
        "range outside domain",
        t,
        "model.half_life.range",
        Line::Exact(line),
        &["a half-life"],
    ));
    let (t, line) = in_record(f, "Jump", "range = [-1.0, 1.0]", "range = [-3.0, 1.0]");
    add(case(
        "jump range beyond ±2",
        "range outside domain",
        t,
        "events[0].effects[0].jump.range",
        Line::Exact(line),
        &["a jump", "between -2 and 2"],
    ));
    let (t, line) = in_record(f, "Volatility", "range = [0.0, 0.5]", "range = [0.5, 0.0]");
    add(case(
        "range from high to low",
        "range order",
        t,
        "model.volatility.range",
        Line::Exact(line),
        &["low to high"],
    ));
    let (t, line) = in_record(f, "A–C start", "value = -0.3", "value = -0.305");
    add(case(
        "value off the slider grid",
        "off grid",
        t,
        "pairs[1].initial.value",
        Line::Exact(line),
        &["-0.305", "not a slider position"],
    ));
    let (t, line) = in_record(f, "Earliest month", "value = 3", "value = 3.5");
    add(case(
        "month not a whole number",
        "month not whole",
        t,
        "events[0].opens.value",
        Line::Exact(line),
        &["whole numbers"],
    ));
    let (t, line) = in_record(f, "Balance", "step = 0.001", "step = 0.0");
    add(case(
        "zero step",
        "bad step",
        t,
        "model.balance.step",
        Line::Exact(line),
        &["step", "positive"],
    ));

    // --- Actors and pairs.
    let t = replace_nth(f, "between = [\"AAA\", \"BBB\"]", "between = [\"AAA\", \"ZZZ\"]", 0);
    add(case(
        "unknown actor in a pair",
        "unknown actor",
        t.clone(),
        "pairs[0].between",
        Line::Exact(line_of(&t, "ZZZ")),
        &["`ZZZ` is not a declared actor"],
    ));
    let t = replace_nth(f, "between = [\"AAA\", \"BBB\"]", "between = [\"AAA\", \"ZZZ\"]", 2);
    add(case(
        "unknown actor in an effect",
        "unknown actor",
        t.clone(),
        "events[0].effects[0].between",
        Line::Exact(line_of(&t, "ZZZ")),
        &["`ZZZ` is not a declared actor"],
    ));
    let t = replace_nth(f, "between = [\"AAA\", \"BBB\"]", "between = [\"AAA\", \"AAA\"]", 1);
    add(case(
        "condition on an actor with itself",
        "same actor twice",
        t.clone(),
        "events[0].conditions[0].between",
        Line::Exact(line_of(&t, "[\"AAA\", \"AAA\"]")),
        &["two different actors"],
    ));
    let t = replace(f, "between = [\"CCC\", \"AAA\"]", "between = [\"BBB\", \"AAA\"]");
    add(case(
        "duplicate pair",
        "duplicate pair",
        t.clone(),
        "pairs[1].between",
        Line::Exact(line_of(&t, "[\"BBB\", \"AAA\"]")),
        &["AAA-BBB", "declared twice"],
    ));
    let t = cut(f, "[[pairs]]", 2, "[[events]]");
    add(case(
        "missing pair",
        "missing pair",
        t,
        "pairs",
        Line::Any,
        &["missing: BBB-CCC"],
    ));
    let t = replace(f, "id = \"BBB\"", "id = \"AAA\"");
    add(case(
        "duplicate actor id",
        "duplicate actor",
        t.clone(),
        "actors[1].id",
        Line::Exact(line_of_nth(&t, "[[actors]]", 1)),
        &["`AAA`", "used twice"],
    ));
    let t = replace(f, "id = \"BBB\"", "id = \"bbb\"");
    add(case(
        "lower-case actor id",
        "bad actor id",
        t.clone(),
        "actors[1].id",
        Line::Exact(line_of_nth(&t, "[[actors]]", 1)),
        &["`bbb`", "A–Z and 0–9"],
    ));
    let t = replace(f, "id = \"CCC\"", "id = \"GAMMALONG\"");
    add(case(
        "actor id longer than 8",
        "bad actor id",
        t.clone(),
        "actors[2].id",
        Line::Exact(line_of_nth(&t, "[[actors]]", 2)),
        &["`GAMMALONG`", "1–8 characters"],
    ));
    let t = many_actors(MAX_ACTORS + 1);
    add(case(
        "17 actors",
        "too many actors",
        t.clone(),
        "actors",
        Line::Exact(line_of_nth(&t, "[[actors]]", MAX_ACTORS)),
        &["17 actors", "limit is 16"],
    ));

    // --- Top-level limits and format.
    let t = replace(f, "horizon = 24", "horizon = 241");
    add(case(
        "horizon over 240",
        "horizon",
        t.clone(),
        "horizon",
        Line::Exact(line_of(&t, "horizon")),
        &["240 months", "not 241"],
    ));
    let t = replace(f, "horizon = 24", "horizon = 0");
    add(case(
        "horizon of 0",
        "horizon",
        t.clone(),
        "horizon",
        Line::Exact(line_of(&t, "horizon")),
        &["between 1 and 240", "not 0"],
    ));
    let t = replace(f, "runs = 500", "runs = 100001");
    add(case(
        "runs over 100000",
        "runs",
        t.clone(),
        "runs",
        Line::Exact(line_of(&t, "runs =")),
        &["100000 runs", "not 100001"],
    ));
    let t = replace(f, "format = 1", "format = 2");
    add(case(
        "format version 2",
        "format version",
        t.clone(),
        "format",
        Line::Exact(line_of(&t, "format =")),
        &["format 2 is not supported", "format 1"],
    ));
    let t = replace(f, "seed = 3", "seed = -3");
    add(case(
        "negative seed",
        "seed",
        t.clone(),
        "seed",
        Line::Exact(line_of(&t, "seed =")),
        &["negative"],
    ));
    let t = replace(f, "id = \"test-minimal\"", "id = \"Test_Minimal\"");
    add(case(
        "scenario id with capitals",
        "bad slug",
        t.clone(),
        "id",
        Line::Exact(line_of(&t, "Test_Minimal")),
        &["a–z, 0–9 and '-'"],
    ));

    // --- Sources and references.
    let t = in_record(
        &with_source(f, DOCUMENT_SOURCE),
        "Volatility",
        "{ source = \"judgement\" }",
        "{ source = \"doc\" }",
    );
    add(case(
        "document reference without a quote",
        "document without quote",
        t.0.clone(),
        "model.volatility.sources[0].quote",
        Line::Exact(line_of(&t.0, "{ source = \"doc\" }")),
        &["`doc` is a document", "quote"],
    ));
    let t = in_record(
        &with_source(f, DATASET_SOURCE),
        "Half-life",
        "{ source = \"judgement\" }",
        "{ source = \"data\" }",
    );
    add(case(
        "data set reference without a note",
        "dataset without note",
        t.0.clone(),
        "model.half_life.sources[0].note",
        Line::Exact(line_of(&t.0, "{ source = \"data\" }")),
        &["`data` is a data set", "derived"],
    ));
    let (t, _) = in_record(f, "Half-life", "{ source = \"judgement\" }", "{ source = \"oracle\" }");
    add(case(
        "undeclared source",
        "undeclared source",
        t.clone(),
        "model.half_life.sources[0].source",
        Line::Exact(line_of(&t, "oracle")),
        &["`oracle` is not a declared source"],
    ));
    let t = replace(f, "kind = \"judgement\"", "kind = \"rumour\"");
    add(case(
        "unknown source kind",
        "bad source kind",
        t.clone(),
        "sources[0].kind",
        Line::Exact(line_of(&t, "[[sources]]")),
        &["`rumour`", "document, dataset, judgement"],
    ));
    let t = with_source(f, &DOCUMENT_SOURCE.replace("file = \"000_test.txt\"\n", ""));
    add(case(
        "document source without a file",
        "document without file",
        t.clone(),
        "sources[1].file",
        Line::Exact(line_of_nth(&t, "[[sources]]", 1)),
        &["must name its file"],
    ));
    let t = with_source(f, &DOCUMENT_SOURCE.replace("id = \"doc\"", "id = \"judgement\""));
    add(case(
        "duplicate source id",
        "duplicate source",
        t.clone(),
        "sources[1].id",
        Line::Exact(line_of_nth(&t, "[[sources]]", 1)),
        &["`judgement`", "used twice"],
    ));

    // --- Outcomes.
    let t = replace(f, "test = \"AAA-BBB > 0.3\"", "test = \"AAA-ZZZ > 0.3\"");
    add(case(
        "outcome test with an unknown actor",
        "unknown actor",
        t.clone(),
        "outcomes[0].test",
        Line::Exact(line_of(&t, "AAA-ZZZ")),
        &["`ZZZ` is not a declared actor"],
    ));
    let t = replace(f, "test = \"AAA-BBB > 0.3\"", "test = \"AAA-BBB >= 0.3\"");
    add(case(
        "outcome test with a bad operator",
        "bad test operator",
        t.clone(),
        "outcomes[0].test",
        Line::Exact(line_of(&t, ">=")),
        &["`>=` is not a comparison"],
    ));
    let t = replace(f, "test = \"AAA-BBB > 0.3\"", "test = \"AAA-BBB > 1.5\"");
    add(case(
        "outcome test level outside (-1, 1)",
        "bad test number",
        t.clone(),
        "outcomes[0].test",
        Line::Exact(line_of(&t, "1.5")),
        &["1.5 is not an alignment level", "strictly between -1 and 1"],
    ));
    let t = replace(f, "test = \"AAA-BBB > 0.3\"", "test = \"AAA-BBB > 0.3x\"");
    add(case(
        "outcome test with a malformed number",
        "bad test term",
        t.clone(),
        "outcomes[0].test",
        Line::Exact(line_of(&t, "0.3x")),
        &["`0.3x` is not a pair"],
    ));
    let t = replace(f, "test = \"AAA-BBB > BBB-CCC\"", "test = \"AAA-BBB > BBB-AAA\"");
    add(case(
        "outcome comparing a pair with itself",
        "pair with itself",
        t.clone(),
        "outcomes[1].test",
        Line::Exact(line_of(&t, "BBB-AAA")),
        &["compared with itself"],
    ));
    let t = replace(f, "test = \"AAA-BBB > 0.3\"", "test = \"AAA-AAA > 0.3\"");
    add(case(
        "outcome pair of one actor",
        "same actor in test",
        t.clone(),
        "outcomes[0].test",
        Line::Exact(line_of(&t, "AAA-AAA")),
        &["`AAA-AAA` names the same actor twice"],
    ));
    let t = replace(f, "test = \"AAA-BBB > 0.3\"", "test = \"AAA-BBB>0.3\"");
    add(case(
        "outcome test without spaces",
        "malformed test",
        t.clone(),
        "outcomes[0].test",
        Line::Exact(line_of(&t, "AAA-BBB>0.3")),
        &["is not a test"],
    ));
    let t = replace(f, "when = \"horizon\"", "when = \"at_horizon\"");
    add(case(
        "bad when",
        "bad when",
        t.clone(),
        "outcomes[0].when",
        Line::Exact(line_of(&t, "at_horizon")),
        &["`at_horizon`", "horizon, any_month, every_month"],
    ));
    let t = replace(f, "id = \"ab-above-bc\"", "id = \"ab-high\"");
    add(case(
        "duplicate outcome id",
        "duplicate outcome",
        t.clone(),
        "outcomes[1].id",
        Line::Exact(line_of_nth(&t, "[[outcomes]]", 1)),
        &["`ab-high`", "used twice"],
    ));

    // --- Events.
    let t = replace(
        &cut(f, "[[events.effects]]", 0, "[[outcomes]]"),
        "description = \"Test event.\"",
        "description = \"Test event.\"\neffects = []",
    );
    add(case(
        "event with an empty effects list",
        "event without effects",
        t.clone(),
        "events[0].effects",
        Line::Exact(line_of(&t, "[[events]]")),
        &["at least one effect"],
    ));
    let t = cut(f, "[[events.effects]]", 0, "[[outcomes]]");
    add(case(
        "event without effects",
        "event without effects key",
        t.clone(),
        "events[0]",
        Line::Exact(line_of(&t, "[[events]]")),
        &["missing field `effects`"],
    ));
    let t = cut(f, "[events.effects.jump]", 0, "[[outcomes]]");
    add(case(
        "effect without jump or shift",
        "effect without jump or shift",
        t.clone(),
        "events[0].effects[0]",
        Line::Exact(line_of(&t, "[[events.effects]]")),
        &["`jump`", "`shift`"],
    ));
    let closes = "[events.closes]\nvalue = 2\nrange = [1, 24]\nlabel = \"Latest month\"\nrationale = \"Test value.\"\nconfidence = \"low\"\nsources = [{ source = \"judgement\" }]\n";
    let t = replace(f, "[[events.conditions]]", &format!("{closes}[[events.conditions]]"));
    add(case(
        "window opens after it closes",
        "window order",
        t.clone(),
        "events[0].opens",
        Line::Exact(line_of(&t, "[[events]]")),
        &["opens after it closes"],
    ));
    // The same event twice: its id, and the ids of its assumptions, are used twice.
    let event = &f[f.find("[[events]]").expect("an event")..f.find("[[outcomes]]").expect("an outcome")];
    let t = replace(f, "[[outcomes]]", &format!("{event}[[outcomes]]"));
    add(case(
        "duplicate event id",
        "duplicate event",
        t.clone(),
        "events[1].id",
        Line::Exact(line_of_nth(&t, "[[events]]", 1)),
        &["event id `summit` is used twice"],
    ));
    add(case(
        "duplicate assumption id",
        "duplicate event",
        t.clone(),
        "events[1].probability",
        Line::Exact(line_of_nth(&t, "[events.probability]", 1)),
        &["assumption id `event.summit.probability` would be used twice"],
    ));
    let t = replace(f, "id = \"summit\"", "id = \"Summit!\"");
    add(case(
        "event id not a slug",
        "bad slug",
        t.clone(),
        "events[0].id",
        Line::Exact(line_of(&t, "[[events]]")),
        &["a–z, 0–9 and '-'"],
    ));

    // --- TOML and types.
    let t = replace(f, "horizon = 24", "horizon = = 24");
    add(case(
        "TOML syntax error",
        "toml syntax",
        t.clone(),
        "",
        Line::Exact(line_of(&t, "horizon")),
        &["="],
    ));
    let t = replace(f, "title = \"Test: three actors\"", "title = \"Test: three actors");
    add(case(
        "unterminated string",
        "toml syntax",
        t.clone(),
        "",
        Line::Exact(line_of(&t, "title")),
        &["string"],
    ));
    let t = replace(f, "horizon = 24", "horizon = 24\nhorizon = 25");
    add(case(
        "key given twice",
        "toml duplicate key",
        t.clone(),
        "",
        Line::Exact(line_of(&t, "horizon = 25")),
        &["duplicate key"],
    ));
    let t = replace(f, "horizon = 24", "horizon = \"24\"");
    add(case(
        "string where a number belongs",
        "wrong type",
        t.clone(),
        "horizon",
        Line::Exact(line_of(&t, "horizon")),
        &["invalid type: string"],
    ));
    let (t, _) = in_record(f, "B–C baseline", "value = 0.4", "value = \"0.4\"");
    add(case(
        "quoted number in a record",
        "wrong type",
        t.clone(),
        "pairs[2].baseline.value",
        Line::Exact(line_of(&t, "\"0.4\"")),
        &["invalid type: string"],
    ));
    let (t, _) = in_record(f, "A–B start", "range = [-0.9, 0.9]", "range = [-0.9]");
    add(case(
        "range with one number",
        "range length",
        t.clone(),
        "pairs[0].initial.range",
        Line::Exact(line_of(&t, "[-0.9]")),
        &["two numbers", "this has 1"],
    ));

    // --- Whole file.
    let padding = "# padding\n".repeat(MAX_FILE_BYTES / 10 + 10);
    add(case(
        "file over the size limit",
        "too large",
        format!("{f}{padding}"),
        "",
        Line::NotApplicable,
        &["512 KB"],
    ));
    add(case(
        "empty file",
        "empty",
        String::new(),
        "",
        Line::Any,
        &["missing field `format`"],
    ));
    add(case(
        "only comments",
        "empty",
        "# nothing here\n\n".to_string(),
        "",
        Line::Any,
        &["missing field `format`"],
    ));
    let (t, line) = (
        replace(
            f,
            r#"test = "AAA-BBB > 0.3""#,
            r#"test = "AAA-BBB > 0.3 and BBB-CCC < 0 or CCC-AAA > 0""#,
        ),
        line_of(f, r#"test = "AAA-BBB > 0.3""#),
    );
    add(case(
        "and with or",
        "mixed join",
        t,
        "outcomes[0].test",
        Line::Exact(line),
        &["mixes `and` with `or`"],
    ));
    let (t, line) = (
        replace(
            f,
            r#"test = "AAA-BBB > 0.3""#,
            r#"test = "AAA-BBB > 0.3 and BBB-DDD < 0""#,
        ),
        line_of(f, r#"test = "AAA-BBB > 0.3""#),
    );
    add(case(
        "second test names an unknown actor",
        "bad joined test",
        t,
        "outcomes[0].test",
        Line::Exact(line),
        &["`DDD` is not a declared actor"],
    ));
    // `[opening]`, appended to the file: each entry must name something the file declares.
    let opening = |body: &str| format!("{f}\n[opening]\n{body}\n");
    let t = opening(r#"outcome = "no-such-outcome""#);
    let line = line_of(&t, "no-such-outcome");
    add(case(
        "headline outcome not declared",
        "bad opening",
        t,
        "opening.outcome",
        Line::Exact(line),
        &["`no-such-outcome` is not an outcome"],
    ));
    let t = opening(r#"pair = "AAA-DDD""#);
    let line = line_of(&t, "AAA-DDD");
    add(case(
        "headline pair with an unknown actor",
        "bad opening",
        t,
        "opening.pair",
        Line::Exact(line),
        &["`DDD` is not a declared actor"],
    ));
    let t = opening(r#"key_assumptions = ["model.balance", "model.nothing"]"#);
    let line = line_of(&t, "model.nothing");
    add(case(
        "key assumption not declared",
        "bad opening",
        t,
        "opening.key_assumptions[1]",
        Line::Exact(line),
        &["`model.nothing` is not an assumption"],
    ));
    let t = opening(r#"key_assumptions = ["model.balance", "model.balance"]"#);
    let line = line_of(&t, "key_assumptions");
    add(case(
        "key assumption listed twice",
        "bad opening",
        t,
        "opening.key_assumptions[1]",
        Line::Exact(line),
        &["listed twice"],
    ));
    let thirteen = vec![r#""model.balance""#; 13].join(", ");
    let t = opening(&format!("key_assumptions = [{thirteen}]"));
    add(case(
        "more key assumptions than a newcomer can read",
        "bad opening",
        t,
        "opening.key_assumptions",
        Line::Any,
        &["lists 13 assumptions; at most 12"],
    ));
    cases
}

fn errors_of(case: &Case) -> ScenarioErrors {
    match parse_scenario(FILE, &case.text) {
        Ok(_) => panic!("case `{}`: the broken file was accepted", case.name),
        Err(errors) => errors,
    }
}

/// Checks one case; returns the error that matched.
fn check(case: &Case) -> ScenarioError {
    let errors = errors_of(case);
    assert!(!errors.0.is_empty(), "case `{}`: Err without errors", case.name);
    let listing = errors.to_string();
    let Some(error) = errors.0.iter().find(|e| e.field == case.field) else {
        panic!(
            "case `{}`: no error on field `{}`; got:\n{listing}",
            case.name, case.field
        )
    };
    assert_eq!(error.file, FILE, "case `{}`", case.name);
    match case.line {
        Line::Exact(line) => assert_eq!(error.line, Some(line), "case `{}`: line of {error}", case.name),
        Line::Any => assert!(
            error.line.is_some_and(|l| l >= 1),
            "case `{}`: no line in {error}",
            case.name
        ),
        Line::NotApplicable => {}
    }
    assert!(!error.message.trim().is_empty(), "case `{}`: empty message", case.name);
    for phrase in &case.says {
        assert!(
            error.message.contains(phrase),
            "case `{}`: message `{}` does not say `{phrase}`",
            case.name,
            error.message
        );
    }
    // The printed form names file, line and field, as the command line shows it.
    let mut prefix = FILE.to_string();
    if let Some(line) = error.line {
        prefix.push_str(&format!(":{line}"));
    }
    if !error.field.is_empty() {
        prefix.push_str(&format!(": `{}`", error.field));
    }
    assert!(
        listing.contains(&format!("{prefix}: {}", error.message)),
        "case `{}`: printed as:\n{listing}",
        case.name
    );
    error.clone()
}

fn run_kinds(kinds: &[&str]) {
    let all = cases();
    let selected: Vec<&Case> = all.iter().filter(|c| kinds.contains(&c.kind)).collect();
    for kind in kinds {
        assert!(selected.iter().any(|c| c.kind == *kind), "no case of kind `{kind}`");
    }
    for case in selected {
        check(case);
    }
}

#[test]
fn the_fixture_itself_is_valid() {
    parse_scenario(FILE, FIXTURE).unwrap_or_else(|e| panic!("fixture:\n{e}"));
}

#[test]
fn unknown_keys() {
    run_kinds(&["unknown key"]);
}

#[test]
fn missing_or_blank_parts_of_an_assumption() {
    run_kinds(&[
        "missing rationale",
        "missing label",
        "blank text",
        "missing sources",
        "empty sources",
        "missing confidence",
    ]);
}

#[test]
fn opening_names_what_the_file_declares() {
    run_kinds(&["bad opening"]);
}

#[test]
fn bad_confidence_word() {
    run_kinds(&["bad confidence"]);
}

#[test]
fn values_ranges_and_steps() {
    run_kinds(&[
        "value outside range",
        "range outside domain",
        "value outside domain",
        "range order",
        "off grid",
        "month not whole",
        "bad step",
    ]);
}

#[test]
fn actors_and_pairs() {
    run_kinds(&[
        "unknown actor",
        "same actor twice",
        "duplicate pair",
        "missing pair",
        "duplicate actor",
        "bad actor id",
        "too many actors",
    ]);
}

#[test]
fn sixteen_actors_are_allowed() {
    let text = many_actors(MAX_ACTORS);
    let s = parse_scenario(FILE, &text).unwrap_or_else(|e| panic!("16 actors:\n{e}"));
    assert_eq!(s.actors.len(), MAX_ACTORS);
    assert_eq!(s.pairs.len(), MAX_ACTORS * (MAX_ACTORS - 1) / 2);
}

#[test]
fn top_level_limits_and_format_version() {
    run_kinds(&["horizon", "runs", "format version", "seed", "bad slug"]);
    // The limits themselves are allowed.
    let at_limits = replace(
        &replace(FIXTURE, "horizon = 24", "horizon = 240"),
        "runs = 500",
        "runs = 100000",
    );
    let s = parse_scenario(FILE, &at_limits).unwrap_or_else(|e| panic!("horizon 240, runs 100000:\n{e}"));
    assert_eq!((s.horizon, s.runs), (240, 100_000));
}

#[test]
fn sources_and_references() {
    run_kinds(&[
        "document without quote",
        "dataset without note",
        "undeclared source",
        "bad source kind",
        "document without file",
        "duplicate source",
    ]);
    // Control: the same mutations with a quote / a note are accepted, so the cases above fail for
    // the reason they claim.
    let with_quote = in_record(
        &with_source(FIXTURE, DOCUMENT_SOURCE),
        "Volatility",
        "{ source = \"judgement\" }",
        "{ source = \"doc\", quote = \"a passage\" }",
    )
    .0;
    let s = parse_scenario(FILE, &with_quote).unwrap_or_else(|e| panic!("document with quote:\n{e}"));
    let volatility = &s.assumptions[s.parameters.volatility];
    assert_eq!(volatility.sources[0].quote.as_deref(), Some("a passage"));
    assert_eq!(s.sources[volatility.sources[0].source].id, "doc");
    let with_note = in_record(
        &with_source(FIXTURE, DATASET_SOURCE),
        "Half-life",
        "{ source = \"judgement\" }",
        "{ source = \"data\", note = \"mean of 2019\" }",
    )
    .0;
    parse_scenario(FILE, &with_note).unwrap_or_else(|e| panic!("data set with note:\n{e}"));
}

#[test]
fn outcome_tests_and_when() {
    run_kinds(&[
        "unknown actor",
        "bad test operator",
        "bad test number",
        "bad test term",
        "pair with itself",
        "same actor in test",
        "malformed test",
        "bad when",
        "duplicate outcome",
        "mixed join",
        "bad joined test",
    ]);
}

#[test]
fn events_effects_and_windows() {
    run_kinds(&[
        "event without effects",
        "event without effects key",
        "effect without jump or shift",
        "window order",
        "duplicate event",
    ]);
    // Control: a window that closes after it opens is fine.
    let closes = "[events.closes]\nvalue = 20\nrange = [1, 24]\nlabel = \"Latest month\"\nrationale = \"Test value.\"\nconfidence = \"low\"\nsources = [{ source = \"judgement\" }]\n";
    let t = replace(
        FIXTURE,
        "[[events.conditions]]",
        &format!("{closes}[[events.conditions]]"),
    );
    parse_scenario(FILE, &t).unwrap_or_else(|e| panic!("window 3..20:\n{e}"));
    // An effect with only a jump, or only a shift, is fine.
    for only in ["[events.effects.jump]", "[events.effects.shift]"] {
        let t = cut(
            FIXTURE,
            only,
            0,
            if only.ends_with("jump]") {
                "[events.effects.shift]"
            } else {
                "[[outcomes]]"
            },
        );
        parse_scenario(FILE, &t).unwrap_or_else(|e| panic!("effect without {only}:\n{e}"));
    }
}

#[test]
fn toml_syntax_and_types() {
    run_kinds(&["toml syntax", "toml duplicate key", "wrong type", "range length"]);
}

#[test]
fn whole_file_problems() {
    run_kinds(&["too large", "empty"]);
    // Exactly at the limit is still read.
    let mut text = FIXTURE.to_string();
    while text.len() + 10 <= MAX_FILE_BYTES {
        text.push_str("# padding\n");
    }
    text.push_str(&"#".repeat(MAX_FILE_BYTES - text.len()));
    assert_eq!(text.len(), MAX_FILE_BYTES);
    parse_scenario(FILE, &text).unwrap_or_else(|e| panic!("a file of exactly {MAX_FILE_BYTES} bytes:\n{e}"));
}

#[test]
fn every_case_is_rejected_with_a_field_line_and_message() {
    let all = cases();
    assert!(all.len() >= 60, "{} cases", all.len());
    let mut names = std::collections::HashSet::new();
    for case in &all {
        assert!(names.insert(case.name), "case name `{}` used twice", case.name);
        check(case);
    }
}

#[test]
fn messages_differ_between_kinds() {
    // A message must tell one problem from another: two cases of different kinds never get the
    // same message (ignoring the numbers in it).
    let shape = |m: &str| m.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
    let mut by_shape: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    let all = cases();
    for case in &all {
        let error = check(case);
        if let Some((kind, name)) = by_shape.insert(shape(&error.message), (case.kind, case.name)) {
            assert_eq!(
                kind, case.kind,
                "cases `{name}` and `{}` are different problems but get the same message: {}",
                case.name, error.message
            );
        }
    }
}

#[test]
fn several_problems_are_all_reported() {
    // Independent problems in different places are reported together, each with its own field.
    let (t, _) = in_record(FIXTURE, "A–B start", "value = 0.2", "value = 0.95");
    let (t, _) = in_record(&t, "Alpha weight", "confidence = \"low\"", "confidence = \"sure\"");
    let t = replace(&t, "when = \"horizon\"", "when = \"later\"");
    let t = replace(&t, "horizon = 24", "horizon = 500");
    let errors = parse_scenario(FILE, &t).expect_err("four problems");
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "pairs[0].initial.value",
        "actors[0].weight.confidence",
        "outcomes[0].when",
        "horizon",
    ] {
        assert!(fields.contains(&field), "`{field}` not reported; got {fields:?}");
    }
    assert!(errors.0.iter().all(|e| e.line.is_some() && !e.message.is_empty()));
}

#[test]
fn quotes_longer_than_300_characters_are_rejected() {
    let quote = "x".repeat(301);
    let t = in_record(
        &with_source(FIXTURE, DOCUMENT_SOURCE),
        "Volatility",
        "{ source = \"judgement\" }",
        &format!("{{ source = \"doc\", quote = \"{quote}\" }}"),
    )
    .0;
    let errors = parse_scenario(FILE, &t).expect_err("a 301-character quote");
    assert!(
        errors.0.iter().any(|e| e.field == "model.volatility.sources[0].quote"),
        "{errors}"
    );
}

#[test]
fn labels_must_be_one_line() {
    let (t, _) = in_record(
        FIXTURE,
        "Volatility",
        "label = \"Volatility\"",
        "label = \"Volatility\\nsecond line\"",
    );
    let errors = parse_scenario(FILE, &t).expect_err("a two-line label");
    assert!(errors.0.iter().any(|e| e.field == "model.volatility.label"), "{errors}");
}

#[test]
fn arrays_with_extra_items_are_rejected() {
    // `range = [0.0, 0.5, 7.0]` is read as [0.0, 0.5]; `between = ["AAA", "BBB", "ZZZ"]` as AAA–BBB.
    let (t, line) = in_record(FIXTURE, "Volatility", "range = [0.0, 0.5]", "range = [0.0, 0.5, 7.0]");
    let errors = parse_scenario(FILE, &t).expect_err("a range with three numbers");
    assert!(
        errors
            .0
            .iter()
            .any(|e| e.field == "model.volatility.range" && e.line.is_some_and(|l| l >= line)),
        "{errors}"
    );
    let t = replace(
        FIXTURE,
        "between = [\"AAA\", \"BBB\"]",
        "between = [\"AAA\", \"BBB\", \"ZZZ\"]",
    );
    let errors = parse_scenario(FILE, &t).expect_err("a pair of three actors");
    assert!(errors.0.iter().any(|e| e.field == "pairs[0].between"), "{errors}");
}

// ---- Format additions of issue 10: `start`, `plausible`, `[[views]]` -------------------------------

/// The fixture with a start date (a top-level key, so before the first table).
fn with_start(text: &str, start: &str) -> String {
    replace(text, "seed = 3\n", &format!("seed = 3\nstart = {start}\n"))
}

/// The fixture with `block` (one or more `[[views]]` records) appended.
fn with_views(text: &str, block: &str) -> String {
    format!("{text}\n{block}")
}

const GOOD_VIEW: &str = r#"[[views]]
id = "summit-likely"
title = "Summits are likely"
rationale = "Test view: a likelier summit and a stronger balance term."
sources = [{ source = "judgement" }]
[views.values]
"event.summit.probability" = 0.8
"model.balance" = 0.05
"#;

/// A file using every addition, correctly: it loads, and what it says is what the scenario holds.
#[test]
fn start_plausible_and_views_are_read() {
    let (text, _) = in_record(
        FIXTURE,
        "Jump",
        "step = 0.01\n",
        "step = 0.01\nplausible = [0.1, 0.5]\n",
    );
    let text = with_views(&with_start(&text, "2025-08-31"), GOOD_VIEW);
    let s = parse_scenario(FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    let start = s.start.expect("a start date");
    assert_eq!((start.year, start.month, start.day), (2025, 8, 31));
    assert_eq!(s.month_label(15).as_deref(), Some("2026-11"));
    let jump = s.assumption_index("event.summit.jump.AAA-BBB").unwrap();
    assert_eq!(s.assumptions[jump].plausible, Some((0.1, 0.5)));
    // A record without `plausible` has none, and the analyses fall back to the slider range.
    let shift = &s.assumptions[s.assumption_index("event.summit.shift.AAA-BBB").unwrap()];
    assert_eq!((shift.plausible, shift.plausible_or_range()), (None, (-1.0, 1.0)));
    assert_eq!(s.views.len(), 1);
    let view = &s.views[0];
    assert_eq!(view.id, "summit-likely");
    assert_eq!(view.line, line_of(&text, "[[views]]"));
    let probability = s.assumption_index("event.summit.probability").unwrap();
    let balance = s.assumption_index("model.balance").unwrap();
    // In the order the file lists them.
    assert_eq!(view.values, vec![(probability, 0.8), (balance, 0.05)]);
    let mut expected = s.defaults();
    expected[probability] = 0.8;
    expected[balance] = 0.05;
    assert_eq!(s.view_values(view), expected);
    // Without the additions the fixture has no start, no views.
    let plain = parse_scenario(FILE, FIXTURE).unwrap();
    assert_eq!((plain.start, plain.views.len(), plain.month_label(3)), (None, 0, None));
}

/// The writer keeps the additions: written and read back, the scenario is the same.
#[test]
fn start_plausible_and_views_survive_writing() {
    let (text, _) = in_record(
        FIXTURE,
        "Jump",
        "step = 0.01\n",
        "step = 0.01\nplausible = [0.1, 0.5]\n",
    );
    let text = with_views(&with_start(&text, "2025-08-31"), GOOD_VIEW);
    let s = parse_scenario(FILE, &text).unwrap();
    let written = alignment_sim::scenario::scenario_to_toml(&s, &s.defaults(), s.default_settings());
    let back = parse_scenario("written.toml", &written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(back.start, s.start);
    assert_eq!(back.views.len(), 1);
    assert_eq!(
        (&back.views[0].id, &back.views[0].values, &back.views[0].rationale),
        (&s.views[0].id, &s.views[0].values, &s.views[0].rationale)
    );
    let plausible =
        |s: &alignment_sim::scenario::Scenario| s.assumptions.iter().map(|a| a.plausible).collect::<Vec<_>>();
    assert_eq!(plausible(&back), plausible(&s));
}

fn addition_cases() -> Vec<Case> {
    let f = FIXTURE;
    let mut cases = Vec::new();
    let plausible = |label: &str, range: &str| {
        let (text, _) = in_record(f, label, "step = ", &format!("plausible = {range}\nstep = "));
        let line = line_of(&text, "plausible = ");
        (text, line)
    };
    let (t, l) = plausible("Volatility", "[0.0, 0.6]");
    cases.push(case(
        "plausible beyond the range",
        "plausible",
        t,
        "model.volatility.plausible",
        Line::Exact(l),
        &["inside the range [0, 0.5]"],
    ));
    let (t, l) = plausible("Volatility", "[0.2, 0.3]");
    cases.push(case(
        "plausible without the default",
        "plausible",
        t,
        "model.volatility.plausible",
        Line::Exact(l),
        &["contain the default value 0.1"],
    ));
    let (t, l) = plausible("A–B start", "[0.3, -0.1]");
    cases.push(case(
        "plausible reversed",
        "plausible",
        t,
        "pairs[0].initial.plausible",
        Line::Exact(l),
        &["low to high"],
    ));
    let (t, l) = plausible("Summit, per year", "[0.1, 0.5, 0.9]");
    cases.push(case(
        "plausible of three numbers",
        "plausible",
        t,
        "events[0].probability.plausible",
        Line::Exact(l),
        &["two numbers", "has 3"],
    ));
    let (t, l) = plausible("Jump", "[-0.1, 0.5]");
    cases.push(case(
        "plausible jump changes sign",
        "plausible",
        t,
        "events[0].effects[0].jump.plausible",
        Line::Exact(l),
        &["crosses zero", "keeps the sign"],
    ));
    let (t, l) = plausible("Shift", "[-0.2, 0.4]");
    cases.push(case(
        "plausible shift changes sign",
        "plausible",
        t,
        "events[0].effects[0].shift.plausible",
        Line::Exact(l),
        &["crosses zero"],
    ));
    let t = with_start(f, "2025-08-31T12:00:00");
    let l = line_of(&t, "start = ");
    cases.push(case(
        "start with a time",
        "start",
        t,
        "start",
        Line::Exact(l),
        &["is not a date", "2025-08-31"],
    ));
    let view = |values: &str| {
        with_views(
            f,
            &format!(
                "[[views]]\nid = \"v\"\ntitle = \"A view\"\nrationale = \"Test.\"\nsources = [{{ source = \"judgement\" }}]\n[views.values]\n{values}\n"
            ),
        )
    };
    let t = view("\"model.balance\" = 0.05\n\"pair.AAA-ZZZ.initial\" = 0.1");
    let l = line_of(&t, "\"pair.AAA-ZZZ.initial\"");
    cases.push(case(
        "view names no assumption",
        "view values",
        t,
        "views[0].values.\"pair.AAA-ZZZ.initial\"",
        Line::Exact(l),
        &["`pair.AAA-ZZZ.initial` is not an assumption"],
    ));
    let t = view("\"model.balance\" = 0.5");
    let l = line_of(&t, "\"model.balance\" = 0.5");
    cases.push(case(
        "view value outside the range",
        "view values",
        t,
        "views[0].values.\"model.balance\"",
        Line::Exact(l),
        &["outside the range [0, 0.2]"],
    ));
    let t = view("\"event.summit.opens\" = 2.5");
    let l = line_of(&t, "\"event.summit.opens\"");
    cases.push(case(
        "view value between slider positions",
        "view values",
        t,
        "views[0].values.\"event.summit.opens\"",
        Line::Exact(l),
        &["not a slider position"],
    ));
    let t = with_views(f, &format!("{GOOD_VIEW}\n{GOOD_VIEW}"));
    let l = line_of_nth(&t, "id = \"summit-likely\"", 1);
    cases.push(case(
        "view id used twice",
        "view records",
        t,
        "views[1].id",
        Line::Exact(l),
        &["view id `summit-likely` is used twice"],
    ));
    let t = with_views(
        f,
        &replace(GOOD_VIEW, "id = \"summit-likely\"", "id = \"Summit Likely\""),
    );
    let l = line_of(&t, "id = \"Summit Likely\"");
    cases.push(case(
        "view id not a slug",
        "view records",
        t,
        "views[0].id",
        Line::Exact(l),
        &["a–z, 0–9"],
    ));
    let t = with_views(
        f,
        &replace(GOOD_VIEW, "sources = [{ source = \"judgement\" }]", "sources = []"),
    );
    let l = line_of(&t, "[[views]]");
    cases.push(case(
        "view without sources",
        "view records",
        t,
        "views[0].sources",
        Line::Exact(l),
        &["at least one source"],
    ));
    let t = with_views(
        &with_source(f, DOCUMENT_SOURCE),
        &replace(GOOD_VIEW, "{ source = \"judgement\" }", "{ source = \"doc\" }"),
    );
    let l = line_of(&t, "{ source = \"doc\" }");
    cases.push(case(
        "view quotes nothing from a document",
        "view records",
        t,
        "views[0].sources[0].quote",
        Line::Exact(l),
        &["quote the passage"],
    ));
    let t = with_views(f, &replace(GOOD_VIEW, "title = \"Summits are likely\"", "title = \"\""));
    let l = line_of(&t, "[[views]]");
    cases.push(case(
        "view with a blank title",
        "view records",
        t,
        "views[0].title",
        Line::Exact(l),
        &["must not be empty"],
    ));
    cases
}

#[test]
fn bad_plausible_ranges_start_dates_and_views_are_located() {
    let cases = addition_cases();
    for kind in ["plausible", "start", "view values", "view records"] {
        assert!(cases.iter().any(|c| c.kind == kind), "no case of kind `{kind}`");
    }
    for case in &cases {
        check(case);
    }
    // Controls: the same records, made right, are accepted (so each case fails for its reason).
    for good in [
        in_record(FIXTURE, "Jump", "step = ", "plausible = [0.0, 0.5]\nstep = ").0,
        in_record(FIXTURE, "Volatility", "step = ", "plausible = [0.0, 0.5]\nstep = ").0,
        with_views(
            FIXTURE,
            &replace(GOOD_VIEW, "\"model.balance\" = 0.05", "\"event.summit.opens\" = 5"),
        ),
        with_start(FIXTURE, "2024-02-29"),
    ] {
        parse_scenario(FILE, &good).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Events that wait for events, dated events and rates: each mistake named where it is.
#[test]
fn event_chains_dates_and_rates() {
    let f = FIXTURE;
    let event_line = line_of(f, "[[events]]");
    let probability_line = line_of(f, "[events.probability]");
    let cases = [
        case(
            "after names no event",
            "after",
            replace(
                f,
                "description = \"Test event.\"\n",
                "description = \"Test event.\"\nafter = [\"sumit\"]\n",
            ),
            "events[0].after[0]",
            Line::Exact(event_line + 4),
            &["no event has the id `sumit`"],
        ),
        case(
            "an event waits for itself",
            "after",
            replace(
                f,
                "description = \"Test event.\"\n",
                "description = \"Test event.\"\nunless = [\"summit\"]\n",
            ),
            "events[0].unless[0]",
            Line::Exact(event_line + 4),
            &["cannot wait for itself"],
        ),
        case(
            "a repeatable event with a probability",
            "rate",
            replace(
                f,
                "description = \"Test event.\"\n",
                "description = \"Test event.\"\nrepeatable = true\n",
            ),
            "events[0].probability",
            Line::Exact(probability_line + 1),
            &["`rate`", "not `probability`"],
        ),
        case(
            "a once-only event with a rate",
            "rate",
            replace(f, "[events.probability]", "[events.rate]"),
            "events[0].rate",
            Line::Exact(probability_line),
            &["`rate` is for repeatable events"],
        ),
        case(
            "a dated event with a probability",
            "at",
            replace(
                f,
                "description = \"Test event.\"\n",
                "description = \"Test event.\"\nat = 5\n",
            ),
            "events[0].probability",
            Line::Exact(probability_line + 1),
            &["dated with `at`", "leave out `probability`"],
        ),
        case(
            "a date past the limit",
            "at",
            replace(
                f,
                "description = \"Test event.\"\n",
                "description = \"Test event.\"\nat = 999\n",
            ),
            "events[0].at",
            Line::Exact(event_line + 4),
            &["999"],
        ),
    ];
    for case in &cases {
        check(case);
    }
    // The fixture with every construct is valid, and the chain is what the file says.
    let chains = parse_scenario("event-chains.toml", include_str!("fixtures/event-chains.toml"))
        .unwrap_or_else(|e| panic!("event-chains fixture:\n{e}"));
    let index = |id: &str| chains.events.iter().position(|e| e.id == id).unwrap();
    assert_eq!(chains.events[index("summit")].unless, vec![index("walkout")]);
    assert_eq!(chains.events[index("follow-up")].after, vec![index("summit")]);
    assert_eq!(chains.events[index("walkout")].at, Some(8));
    assert_eq!(chains.events[index("walkout")].per_year, None);
    let rate = chains.events[index("skirmish")].per_year.unwrap();
    assert_eq!(chains.assumptions[rate].id, "event.skirmish.rate");
}
