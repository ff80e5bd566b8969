//! Text → validated [`Scenario`], with every problem reported by file, line and field.

use std::collections::HashMap;

use toml::Spanned;

use super::error::{line_of, ScenarioError, ScenarioErrors};
use super::field_path::field_path_at;
use super::raw::{read_scenario, RawAssumption, RawEvent, RawOpening, RawOutcome, RawScenario, RawSourceRef, RawView};
use super::{
    pair_by_key, pair_key, Actor, Assumption, ConditionSpec, Confidence, EffectSpec, EventSpec, Group, ModelParameters,
    Opening, OutcomeSpec, Pair, Quantity, Scenario, Source, SourceKind, SourceRef, StartDate, View,
    MAX_KEY_ASSUMPTIONS,
};
use crate::engine::{pair_index, Comparison, Join, Outcome, Reference, Test, When};

/// The scenario format this loader reads.
pub const FORMAT_VERSION: i64 = 1;
pub const MAX_ACTORS: usize = 16;
pub const MAX_HORIZON: usize = 240;
pub const MAX_RUNS: usize = 100_000;
/// Larger files are refused before parsing.
pub const MAX_FILE_BYTES: usize = 512 * 1024;
const MAX_QUOTE_CHARS: usize = 300;
/// A slider has at most this many steps from one end of its range to the other: a finer `step`
/// (1e-300, say) gives positions no one can pick and numbers no one can read.
pub const MAX_SLIDER_STEPS: f64 = 100_000.0;
const MAX_LABEL_CHARS: usize = 200;

/// FNV-1a 64 of the text, as 8 hex digits: a short fingerprint of a scenario's content.
pub fn content_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", (hash >> 32) as u32 ^ hash as u32)
}

/// The error for a file over [`MAX_FILE_BYTES`] (checked before reading it where the size is known).
pub fn file_too_large(file: &str, bytes: u64) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        line: None,
        field: String::new(),
        message: format!(
            "the file is {} KB; scenario files are limited to {} KB",
            bytes.div_ceil(1024),
            MAX_FILE_BYTES / 1024
        ),
    }
}

/// The one UTF-8 rule for scenario files, wherever their bytes come from (a file the command line
/// reads, a file uploaded to the page, a file carried in a link): they must be UTF-8, and the
/// first byte that is not is reported by line and column; nothing is replaced or guessed.
pub fn scenario_text(file: &str, bytes: Vec<u8>) -> Result<String, ScenarioErrors> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ScenarioErrors(vec![file_too_large(file, bytes.len() as u64)]));
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            line: Some(line_of(valid, at)),
            field: field_path_at(valid, at, true),
            message: format!(
                "the file is not UTF-8 text: byte 0x{:02X} at column {} is not valid UTF-8 (save the file as UTF-8)",
                bytes[at],
                valid[line_start..].chars().count() + 1
            ),
        }])
    })
}

/// Characters that reorder how text is displayed without being seen (Unicode bidirectional
/// controls): in a label or a quote they can make text read differently from what it holds.
const BIDI_CONTROLS: [(char, &str); 12] = [
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

/// The name of a bidirectional control character, `None` for any other.
pub fn bidi_control_name(c: char) -> Option<&'static str> {
    BIDI_CONTROLS.iter().find(|(b, _)| *b == c).map(|(_, name)| *name)
}

/// Every bidirectional control in the file (comments included), by line, column and field.
fn bidi_errors(file: &str, text: &str) -> Vec<ScenarioError> {
    // Every one of them is encoded in UTF-8 starting with the byte 0xD8 or 0xE2 (always the first
    // byte of a character), so only those places are decoded: the scan stays cheap at 512 KB.
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == 0xD8 || b == 0xE2)
        .filter_map(|(at, _)| {
            let c = text[at..].chars().next()?;
            bidi_control_name(c).map(|name| (at, c, name))
        })
        .take(20)
        .map(|(at, c, name)| {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            ScenarioError {
                file: file.to_string(),
                line: Some(line_of(text, at)),
                field: field_path_at(text, at, true),
                message: format!(
                    "holds the invisible character U+{:04X} ({name}) at column {}, which changes the order text is displayed in; remove it",
                    c as u32,
                    text[line_start..at].chars().count() + 1
                ),
            }
        })
        .collect()
}

/// Parses and validates a scenario file. `file` names it in messages.
pub fn parse_scenario(file: &str, text: &str) -> Result<Scenario, ScenarioErrors> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ScenarioErrors(vec![file_too_large(file, text.len() as u64)]));
    }
    let bidi = bidi_errors(file, text);
    let raw = match deserialize(file, text) {
        Ok(raw) => raw,
        Err(ScenarioErrors(errors)) => return Err(ScenarioErrors(bidi.into_iter().chain(errors).collect())),
    };
    let line_starts = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut checker = Checker {
        file,
        line_starts,
        errors: bidi,
        assumptions: Vec::new(),
        assumption_ids: IdIndex::default(),
        sources: Vec::new(),
        source_ids: IdIndex::default(),
    };
    let scenario = checker.scenario(raw, text);
    if checker.errors.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioErrors(checker.errors))
    }
}

/// TOML syntax and shape (types, missing and unknown keys), with the path of the failing field.
fn deserialize(file: &str, text: &str) -> Result<RawScenario, ScenarioErrors> {
    let error = |line, field: String, message: String| {
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            line,
            field,
            message,
        }])
    };
    let root = toml::de::DeTable::parse(text).map_err(|e| match e.span() {
        // A syntax error is about the text at a position, not a field's value.
        Some(span) => error(
            Some(line_of(text, span.start)),
            String::new(),
            e.message().trim().to_string(),
        ),
        // The reader stops without a position only when keys are nested past its limit.
        None => {
            let (line, key) = most_nested_key(text);
            error(
                Some(line),
                key,
                format!(
                    "{}: the keys or tables here are nested too deeply for the reader; use fewer levels",
                    e.message().trim()
                ),
            )
        }
    })?;
    let root = Spanned::new(root.span(), toml::de::DeValue::Table(root.into_inner()));
    read_scenario(&root).map_err(|e| {
        // A missing field is reported at its table; anything else at the offending key.
        let field = field_path_at(text, e.span.start, e.at_key);
        error(Some(line_of(text, e.span.start)), field, e.message)
    })
}

/// The line (1-based) whose key or table header has the most dotted parts, and that key (cut to
/// 60 characters): where a file nested past the reader's limit is nested deepest.
fn most_nested_key(text: &str) -> (usize, String) {
    let key_of = |line: &str| {
        let line = line.trim();
        let key = if line.starts_with('[') {
            line.trim_matches(['[', ']'])
        } else {
            line.split('=').next().unwrap_or_default()
        };
        key.trim().to_string()
    };
    let (index, line) = text
        .split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with('#'))
        .max_by_key(|(i, line)| (key_of(line).matches('.').count(), std::cmp::Reverse(*i)))
        .unwrap_or((0, ""));
    let key: String = key_of(line).chars().take(60).collect();
    (index + 1, key)
}

struct Checker<'a> {
    file: &'a str,
    /// Byte offset of the start of each line, for line numbers in O(log n).
    line_starts: Vec<usize>,
    errors: Vec<ScenarioError>,
    assumptions: Vec<Assumption>,
    assumption_ids: IdIndex,
    sources: Vec<Source>,
    source_ids: IdIndex,
}

/// The ids of one kind of item, each with the index of the first item that has it: whether an id
/// is used, and which item it names, in constant time. A list searched instead made validation
/// quadratic in the number of items (a file of 6 856 outcomes took 26 times as long as one of a
/// quarter of them; `bench_validation_time_grows_about_linearly_with_the_file_size` in
/// tests/fuzz.rs).
#[derive(Default)]
struct IdIndex(HashMap<String, usize>);

impl IdIndex {
    fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }

    /// Records `id` as item `index`'s unless an earlier item has it (the first keeps it, as a
    /// search from the start would find it). Returns whether it was used before.
    fn add(&mut self, id: &str, index: usize) -> bool {
        if self.contains(id) {
            return true;
        }
        self.0.insert(id.to_string(), index);
        false
    }
}

fn is_actor_id(id: &str) -> bool {
    (1..=8).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_slug(id: &str) -> bool {
    (1..=48).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// A "nice" slider step (1, 2 or 5 × 10^k) of about a 200th of the range.
fn default_step(quantity: Quantity, range: (f64, f64)) -> f64 {
    if quantity.is_integer() {
        return 1.0;
    }
    let target = (range.1 - range.0) / 200.0;
    if target <= 0.0 {
        return 0.01;
    }
    let magnitude = 10f64.powi(target.log10().floor() as i32);
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s <= target * 1.0000001)
        .unwrap_or(magnitude)
}

impl<'a> Checker<'a> {
    fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        self.line_starts.partition_point(|&start| start <= spanned.span().start)
    }

    fn error(&mut self, line: usize, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ScenarioError {
            file: self.file.to_string(),
            line: Some(line),
            field: field.into(),
            message: message.into(),
        });
    }

    /// An id of lower-case letters, digits and '-', not used before by another `kind`.
    fn check_slug_id(&mut self, line: usize, field: String, kind: &str, id: &str, already_used: bool) {
        if !is_slug(id) {
            self.error(line, field, "must be 1–48 characters of a–z, 0–9 and '-'");
        } else if already_used {
            self.error(line, field, format!("{kind} id `{id}` is used twice"));
        }
    }

    /// Non-empty text; with a length limit, also a single line (labels, names, titles).
    fn check_text(&mut self, line: usize, field: &str, value: &str, max_chars: Option<usize>) {
        if value.trim().is_empty() {
            self.error(line, field, "must not be empty");
        } else if let Some(max) = max_chars {
            if value.chars().count() > max {
                self.error(line, field, format!("is longer than {max} characters"));
            } else if value.contains(['\n', '\r']) {
                self.error(line, field, "must be a single line");
            }
        }
    }

    fn scenario(&mut self, raw: RawScenario, text: &str) -> Scenario {
        if *raw.format.get_ref() != FORMAT_VERSION {
            let line = self.line(&raw.format);
            self.error(
                line,
                "format",
                format!(
                    "format {} is not supported; this version reads format {FORMAT_VERSION}",
                    raw.format.get_ref()
                ),
            );
        }
        let id = raw.id.get_ref().clone();
        let id_line = self.line(&raw.id);
        self.check_slug_id(id_line, "id".to_string(), "scenario", &id, false);
        let title_line = self.line(&raw.title);
        self.check_text(title_line, "title", raw.title.get_ref(), Some(MAX_LABEL_CHARS));
        let summary_line = self.line(&raw.summary);
        self.check_text(summary_line, "summary", raw.summary.get_ref(), None);
        let horizon = self.bounded_count(&raw.horizon, "horizon", MAX_HORIZON, "months");
        let runs = raw
            .runs
            .as_ref()
            .map_or(2000, |r| self.bounded_count(r, "runs", MAX_RUNS, "runs"));
        let seed = match &raw.seed {
            Some(s) if *s.get_ref() < 0 => {
                let line = self.line(s);
                self.error(line, "seed", "must not be negative");
                0
            }
            Some(s) => *s.get_ref() as u64,
            None => 1,
        };

        self.sources(&raw);
        let actors = self.actors(&raw);
        let parameters = ModelParameters {
            volatility: self.assumption(
                &raw.model.volatility,
                "model.volatility",
                "model.volatility",
                Group::Model,
                Quantity::Volatility,
            ),
            half_life: self.assumption(
                &raw.model.half_life,
                "model.half_life",
                "model.half_life",
                Group::Model,
                Quantity::HalfLife,
            ),
            balance: self.assumption(
                &raw.model.balance,
                "model.balance",
                "model.balance",
                Group::Model,
                Quantity::Balance,
            ),
        };
        let pairs = self.pairs(&raw, &actors);
        let events = self.events(&raw, &actors);
        let outcomes = self.outcomes(&raw.outcomes, &actors);
        let start = self.start(&raw);
        let views = self.views(&raw.views);
        let opening = self.opening(raw.opening.as_ref(), &actors, &outcomes);

        Scenario {
            id,
            title: raw.title.into_inner(),
            summary: raw.summary.into_inner(),
            horizon,
            runs,
            seed,
            sources: std::mem::take(&mut self.sources),
            actors,
            pairs,
            parameters,
            events,
            outcomes,
            assumptions: std::mem::take(&mut self.assumptions),
            start,
            views,
            opening,
            content_hash: content_hash(text),
        }
    }

    fn bounded_count(&mut self, value: &Spanned<i64>, field: &str, max: usize, what: &str) -> usize {
        let v = *value.get_ref();
        if v < 1 || v as u64 > max as u64 {
            let line = self.line(value);
            self.error(line, field, format!("must be between 1 and {max} {what}, not {v}"));
            return 1;
        }
        v as usize
    }

    fn sources(&mut self, raw: &RawScenario) {
        for (i, spanned) in raw.sources.iter().enumerate() {
            let source = spanned.get_ref();
            let line = self.line(spanned);
            let path = format!("sources[{i}]");
            let id = source.id.get_ref();
            let used = self.source_ids.add(id, self.sources.len());
            self.check_slug_id(line, format!("{path}.id"), "source", id, used);
            let kind = match source.kind.get_ref().as_str() {
                "document" => SourceKind::Document,
                "dataset" => SourceKind::Dataset,
                "judgement" => SourceKind::Judgement,
                other => {
                    self.error(
                        line,
                        format!("{path}.kind"),
                        format!("`{other}` is not one of document, dataset, judgement"),
                    );
                    SourceKind::Judgement
                }
            };
            for (field, value) in [
                ("title", &source.title),
                ("date", &source.date),
                ("description", &source.description),
                ("reliability", &source.reliability),
            ] {
                self.check_text(line, &format!("{path}.{field}"), value, None);
            }
            if kind == SourceKind::Document && source.file.as_deref().is_none_or(|f| f.trim().is_empty()) {
                self.error(line, format!("{path}.file"), "a document source must name its file");
            }
            self.sources.push(Source {
                id: id.clone(),
                title: source.title.clone(),
                date: source.date.clone(),
                kind,
                description: source.description.clone(),
                reliability: source.reliability.clone(),
                file: source.file.clone(),
            });
        }
        if self.sources.is_empty() {
            self.error(1, "sources", "a scenario must declare at least one source");
        }
    }

    fn actors(&mut self, raw: &RawScenario) -> Vec<Actor> {
        if raw.actors.len() < 2 {
            self.error(
                1,
                "actors",
                format!("a scenario needs at least 2 actors, not {}", raw.actors.len()),
            );
        }
        if raw.actors.len() > MAX_ACTORS {
            let line = self.line(&raw.actors[MAX_ACTORS]);
            self.error(
                line,
                "actors",
                format!("{} actors declared; the limit is {MAX_ACTORS}", raw.actors.len()),
            );
        }
        let mut actors: Vec<Actor> = Vec::new();
        for (i, spanned) in raw.actors.iter().enumerate().take(MAX_ACTORS) {
            let actor = spanned.get_ref();
            let line = self.line(spanned);
            let id = actor.id.get_ref().clone();
            if !is_actor_id(&id) {
                self.error(
                    line,
                    format!("actors[{i}].id"),
                    format!("`{id}` must be 1–8 characters of A–Z and 0–9"),
                );
            } else if actors.iter().any(|a| a.id == id) {
                self.error(
                    line,
                    format!("actors[{i}].id"),
                    format!("actor id `{id}` is used twice"),
                );
            }
            self.check_text(line, &format!("actors[{i}].name"), &actor.name, Some(MAX_LABEL_CHARS));
            let weight = self.assumption(
                &actor.weight,
                &format!("actors[{i}].weight"),
                &format!("actor.{id}.weight"),
                Group::Actors,
                Quantity::Weight,
            );
            actors.push(Actor {
                id,
                name: actor.name.clone(),
                weight,
            });
        }
        actors
    }

    /// Resolves `["A", "B"]` to a pair index, reporting unknown or repeated actors.
    fn pair(&mut self, between: &Spanned<Vec<String>>, field: &str, actors: &[Actor]) -> Option<usize> {
        let line = self.line(between);
        let [a, b] = between.get_ref().as_slice() else {
            self.error(
                line,
                field,
                format!(
                    "a pair is two actor ids, e.g. [\"RUS\", \"CHN\"]; this has {}",
                    between.get_ref().len()
                ),
            );
            return None;
        };
        let find = |id: &str| actors.iter().position(|actor| actor.id == id);
        match (find(a), find(b)) {
            (Some(i), Some(j)) if i != j => Some(pair_index(actors.len(), i, j)),
            (Some(_), Some(_)) => {
                self.error(
                    line,
                    field,
                    format!("a pair needs two different actors, not `{a}` twice"),
                );
                None
            }
            (i, j) => {
                let unknown = if i.is_none() { a } else { b };
                let _ = j;
                self.error(line, field, format!("`{unknown}` is not a declared actor"));
                None
            }
        }
    }

    fn pairs(&mut self, raw: &RawScenario, actors: &[Actor]) -> Vec<Pair> {
        let n = actors.len();
        let mut slots: Vec<Option<Pair>> = vec![None; n * n.saturating_sub(1) / 2];
        for (i, spanned) in raw.pairs.iter().enumerate() {
            let pair = spanned.get_ref();
            let path = format!("pairs[{i}]");
            let Some(index) = self.pair(&pair.between, &format!("{path}.between"), actors) else {
                continue;
            };
            if slots[index].is_some() {
                let line = self.line(&pair.between);
                let key = pair_key(actors, index);
                self.error(
                    line,
                    format!("{path}.between"),
                    format!("the pair {key} is declared twice"),
                );
                continue;
            }
            let key = pair_key(actors, index);
            let (a, b) = crate::engine::pair_actors(n, index);
            let initial = self.assumption(
                &pair.initial,
                &format!("{path}.initial"),
                &format!("pair.{key}.initial"),
                Group::Pairs,
                Quantity::Alignment,
            );
            let baseline = self.assumption(
                &pair.baseline,
                &format!("{path}.baseline"),
                &format!("pair.{key}.baseline"),
                Group::Pairs,
                Quantity::Alignment,
            );
            let volatility = pair.volatility.as_ref().map(|v| {
                self.assumption(
                    v,
                    &format!("{path}.volatility"),
                    &format!("pair.{key}.volatility"),
                    Group::Pairs,
                    Quantity::Volatility,
                )
            });
            slots[index] = Some(Pair {
                actors: (a, b),
                initial,
                baseline,
                volatility,
            });
        }
        let missing: Vec<String> = (0..slots.len())
            .filter(|&p| slots[p].is_none())
            .map(|p| pair_key(actors, p))
            .collect();
        if !missing.is_empty() && self.errors.iter().all(|e| !e.field.starts_with("pairs")) {
            self.error(
                1,
                "pairs",
                format!(
                    "every pair of actors needs initial and baseline values; missing: {}",
                    missing.join(", ")
                ),
            );
        }
        slots.into_iter().flatten().collect()
    }

    fn events(&mut self, raw: &RawScenario, actors: &[Actor]) -> Vec<EventSpec> {
        let mut events: Vec<EventSpec> = Vec::new();
        let mut ids = IdIndex::default();
        for (i, spanned) in raw.events.iter().enumerate() {
            let event = spanned.get_ref();
            let line = self.line(spanned);
            let path = format!("events[{i}]");
            let id = event.id.get_ref().clone();
            self.check_slug_id(line, format!("{path}.id"), "event", &id, ids.add(&id, events.len()));
            self.check_text(line, &format!("{path}.label"), &event.label, Some(MAX_LABEL_CHARS));
            self.check_text(line, &format!("{path}.description"), &event.description, None);
            let per_year = self.event_chance(event, line, &path, &id);
            let at = event.at.as_ref().and_then(|at| {
                let month = self.bounded_count(at, &format!("{path}.at"), MAX_HORIZON, "months");
                (month >= 1).then_some(month as u32)
            });
            let opens = event.opens.as_ref().map(|a| {
                self.assumption(
                    a,
                    &format!("{path}.opens"),
                    &format!("event.{id}.opens"),
                    Group::Events,
                    Quantity::Month,
                )
            });
            let closes = event.closes.as_ref().map(|a| {
                self.assumption(
                    a,
                    &format!("{path}.closes"),
                    &format!("event.{id}.closes"),
                    Group::Events,
                    Quantity::Month,
                )
            });
            if let (Some(o), Some(c)) = (opens, closes) {
                if self.assumptions[o].default > self.assumptions[c].default {
                    self.error(line, format!("{path}.opens"), "the window opens after it closes");
                }
            }
            let conditions = self.event_conditions(event, &path, &id, actors);
            if event.effects.is_empty() {
                self.error(line, format!("{path}.effects"), "an event needs at least one effect");
            }
            let effects = self.event_effects(event, &path, &id, actors);
            events.push(EventSpec {
                id,
                label: event.label.clone(),
                description: event.description.clone(),
                repeatable: event.repeatable,
                per_year,
                at,
                opens,
                closes,
                conditions,
                after: Vec::new(),
                unless: Vec::new(),
                effects,
                observed: None,
            });
        }
        // `after` and `unless` may name any event of the file, earlier or later.
        for (i, raw_event) in raw.events.iter().enumerate() {
            let raw_event = raw_event.get_ref();
            let path = format!("events[{i}]");
            let after = self.event_references(&raw_event.after, &format!("{path}.after"), i, &ids);
            let unless = self.event_references(&raw_event.unless, &format!("{path}.unless"), i, &ids);
            if let Some(event) = events.get_mut(i) {
                event.after = after;
                event.unless = unless;
            }
        }
        events
    }

    /// An event's chance per year: `probability` for a once-only event, `rate` for a repeatable one
    /// (so that no value means "every month"), neither for an event dated with `at`.
    fn event_chance(&mut self, event: &RawEvent, line: usize, path: &str, id: &str) -> Option<usize> {
        let (wanted, other, quantity, key, other_key) = if event.repeatable {
            (&event.rate, &event.probability, Quantity::Rate, "rate", "probability")
        } else {
            (
                &event.probability,
                &event.rate,
                Quantity::Probability,
                "probability",
                "rate",
            )
        };
        if let Some(other) = other {
            let other_line = self.line(other);
            let message = if event.repeatable {
                "a repeatable event states `rate` (expected firings per year), not `probability`"
            } else {
                "`rate` is for repeatable events; a once-only event states `probability` (within a year)"
            };
            self.error(other_line, format!("{path}.{other_key}"), message);
        }
        match (wanted, &event.at) {
            (Some(chance), None) => Some(self.assumption(
                chance,
                &format!("{path}.{key}"),
                &format!("event.{id}.{key}"),
                Group::Events,
                quantity,
            )),
            (None, Some(_)) => None,
            (Some(chance), Some(_)) => {
                let chance_line = self.line(chance);
                self.error(
                    chance_line,
                    format!("{path}.{key}"),
                    format!("an event dated with `at` is certain in that month; leave out `{key}`"),
                );
                None
            }
            (None, None) => {
                self.error(
                    line,
                    format!("{path}.{key}"),
                    format!("missing field `{key}` (or `at = MONTH` for an event certain in that month)"),
                );
                None
            }
        }
    }

    /// The events an event's `after` or `unless` names: existing, other than itself, each once.
    fn event_references(&mut self, names: &[Spanned<String>], field: &str, own: usize, events: &IdIndex) -> Vec<usize> {
        let mut found = Vec::new();
        for (k, name) in names.iter().enumerate() {
            let line = self.line(name);
            let field = format!("{field}[{k}]");
            match events.get(name.get_ref()) {
                Some(index) if index == own => self.error(line, field, "an event cannot wait for itself"),
                Some(index) if found.contains(&index) => self.error(
                    line,
                    field,
                    format!("`{}` is named twice", name.get_ref().escape_debug()),
                ),
                Some(index) => found.push(index),
                None => self.error(
                    line,
                    field,
                    format!("no event has the id `{}`", name.get_ref().escape_debug()),
                ),
            }
        }
        found
    }

    /// An event's conditions: one per pair, each with its threshold assumption.
    fn event_conditions(&mut self, event: &RawEvent, path: &str, id: &str, actors: &[Actor]) -> Vec<ConditionSpec> {
        let mut conditions: Vec<ConditionSpec> = Vec::new();
        for (k, condition) in event.conditions.iter().enumerate() {
            let condition = condition.get_ref();
            let cpath = format!("{path}.conditions[{k}]");
            let Some(pair) = self.pair(&condition.between, &format!("{cpath}.between"), actors) else {
                continue;
            };
            let key = pair_key(actors, pair);
            if conditions.iter().any(|c| c.pair == pair) {
                let line = self.line(&condition.between);
                self.error(
                    line,
                    format!("{cpath}.between"),
                    format!("a second condition on {key}; one per pair"),
                );
                continue;
            }
            let comparison = self.comparison(&condition.op, &format!("{cpath}.op"));
            let threshold = self.assumption(
                &condition.threshold,
                &format!("{cpath}.threshold"),
                &format!("event.{id}.if.{key}"),
                Group::Events,
                Quantity::Alignment,
            );
            conditions.push(ConditionSpec {
                pair,
                comparison,
                threshold,
            });
        }
        conditions
    }

    /// An event's effects: one per pair, each with a jump, a shift or both.
    fn event_effects(&mut self, event: &RawEvent, path: &str, id: &str, actors: &[Actor]) -> Vec<EffectSpec> {
        let mut effects: Vec<EffectSpec> = Vec::new();
        for (k, spanned_effect) in event.effects.iter().enumerate() {
            let effect = spanned_effect.get_ref();
            let epath = format!("{path}.effects[{k}]");
            let Some(pair) = self.pair(&effect.between, &format!("{epath}.between"), actors) else {
                continue;
            };
            let key = pair_key(actors, pair);
            if effects.iter().any(|e| e.pair == pair) {
                let line = self.line(&effect.between);
                self.error(
                    line,
                    format!("{epath}.between"),
                    format!("a second effect on {key}; combine them"),
                );
                continue;
            }
            if effect.jump.is_none() && effect.shift.is_none() {
                let line = self.line(spanned_effect);
                self.error(line, epath.clone(), "an effect needs a `jump`, a `shift` or both");
            }
            let jump = effect.jump.as_ref().map(|a| {
                self.assumption(
                    a,
                    &format!("{epath}.jump"),
                    &format!("event.{id}.jump.{key}"),
                    Group::Events,
                    Quantity::Jump,
                )
            });
            let shift = effect.shift.as_ref().map(|a| {
                self.assumption(
                    a,
                    &format!("{epath}.shift"),
                    &format!("event.{id}.shift.{key}"),
                    Group::Events,
                    Quantity::Shift,
                )
            });
            effects.push(EffectSpec { pair, jump, shift });
        }
        effects
    }

    fn comparison(&mut self, op: &Spanned<String>, field: &str) -> Comparison {
        match op.get_ref().parse() {
            Ok(comparison) => comparison,
            Err(()) => {
                let other = op.get_ref();
                let line = self.line(op);
                self.error(
                    line,
                    field,
                    format!("`{other}` is not a comparison; use \">\" or \"<\""),
                );
                Comparison::Above
            }
        }
    }

    fn outcomes(&mut self, raw: &[Spanned<RawOutcome>], actors: &[Actor]) -> Vec<OutcomeSpec> {
        if raw.is_empty() {
            self.error(1, "outcomes", "a scenario needs at least one outcome");
        }
        let mut outcomes: Vec<OutcomeSpec> = Vec::new();
        let mut ids = IdIndex::default();
        for (i, spanned) in raw.iter().enumerate() {
            let outcome = spanned.get_ref();
            let line = self.line(spanned);
            let path = format!("outcomes[{i}]");
            let id = outcome.id.get_ref().clone();
            self.check_slug_id(line, format!("{path}.id"), "outcome", &id, ids.contains(&id));
            self.check_text(line, &format!("{path}.label"), &outcome.label, Some(MAX_LABEL_CHARS));
            let when = match outcome.when.get_ref().parse::<When>() {
                Ok(when) => when,
                Err(()) => {
                    let other = outcome.when.get_ref();
                    let line = self.line(&outcome.when);
                    self.error(
                        line,
                        format!("{path}.when"),
                        format!("`{other}` is not one of horizon, any_month, every_month"),
                    );
                    When::Horizon
                }
            };
            let test_line = self.line(&outcome.test);
            match parse_tests(outcome.test.get_ref(), actors) {
                Ok((tests, join)) => {
                    // Only outcomes whose test reads are kept, and only their ids count as used.
                    ids.add(&id, outcomes.len());
                    outcomes.push(OutcomeSpec {
                        id,
                        label: outcome.label.clone(),
                        description: outcome.description.clone(),
                        test: outcome.test.get_ref().trim().to_string(),
                        outcome: Outcome { tests, join, when },
                    })
                }
                Err(message) => self.error(test_line, format!("{path}.test"), message),
            }
        }
        outcomes
    }

    /// Checks one assumption record and adds it to the list; returns its index.
    fn assumption(
        &mut self,
        spanned: &Spanned<RawAssumption>,
        field: &str,
        id: &str,
        group: Group,
        quantity: Quantity,
    ) -> usize {
        let raw = spanned.get_ref();
        let line = self.line(spanned);
        let (lo, hi) = match raw.range.get_ref().as_slice() {
            [lo, hi] => (*lo, *hi),
            other => {
                let range_line = self.line(&raw.range);
                self.error(
                    range_line,
                    format!("{field}.range"),
                    format!("a range is two numbers, [low, high]; this has {}", other.len()),
                );
                (raw.value, raw.value)
            }
        };
        let (min, max, open) = quantity.domain();
        let inside = |x: f64| x.is_finite() && if open { x > min && x < max } else { x >= min && x <= max };
        let domain = if open {
            format!("strictly between {min} and {max}")
        } else {
            format!("between {min} and {max}")
        };
        let what = match quantity {
            Quantity::Alignment => "an alignment",
            Quantity::Probability => "a probability",
            Quantity::Rate => "a rate per year",
            Quantity::Weight => "a capability weight",
            Quantity::HalfLife => "a half-life in months",
            Quantity::Volatility => "a volatility",
            Quantity::Balance => "a balance strength",
            Quantity::Month => "a month",
            Quantity::Jump => "a jump",
            Quantity::Shift => "a baseline shift",
        };
        if raw.range.get_ref().len() != 2 {
            // Already reported.
        } else if !inside(lo) || !inside(hi) {
            self.error(
                line,
                format!("{field}.range"),
                format!("{what} must be {domain}; the range is [{lo}, {hi}]"),
            );
        } else if lo >= hi {
            self.error(
                line,
                format!("{field}.range"),
                format!("the range [{lo}, {hi}] must run from low to high"),
            );
        }
        if !inside(raw.value) {
            self.error(
                line,
                format!("{field}.value"),
                format!("{what} must be {domain}, not {}", raw.value),
            );
        } else if raw.value < lo || raw.value > hi {
            self.error(
                line,
                format!("{field}.value"),
                format!("{} lies outside its range [{lo}, {hi}]", raw.value),
            );
        }
        let step = raw.step.unwrap_or_else(|| default_step(quantity, (lo, hi)));
        if !(step > 0.0 && step.is_finite()) || (hi > lo && step > hi - lo) {
            self.error(
                line,
                format!("{field}.step"),
                format!("the step {step} must be positive and no larger than the range"),
            );
        } else if hi > lo && (hi - lo) / step > MAX_SLIDER_STEPS {
            self.error(
                line,
                format!("{field}.step"),
                format!(
                    "the step {step} is too fine for the range [{lo}, {hi}]: a slider has at most {MAX_SLIDER_STEPS} steps, so the step must be at least {}",
                    (hi - lo) / MAX_SLIDER_STEPS
                ),
            );
        } else if quantity.is_integer() && (step.fract() != 0.0 || raw.value.fract() != 0.0 || lo.fract() != 0.0) {
            self.error(
                line,
                format!("{field}.value"),
                "months are whole numbers (value, range and step)",
            );
        } else {
            let k = (raw.value - lo) / step;
            if (k - k.round()).abs() > 1e-6 {
                self.error(
                    line,
                    format!("{field}.value"),
                    format!("{} is not a slider position (range start {lo} plus a whole number of steps of {step}); round it or set `step`", raw.value),
                );
            }
        }
        self.check_text(line, &format!("{field}.label"), &raw.label, Some(MAX_LABEL_CHARS));
        self.check_text(line, &format!("{field}.rationale"), &raw.rationale, None);
        let confidence = match raw.confidence.get_ref().as_str() {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            other => {
                self.error(
                    line,
                    format!("{field}.confidence"),
                    format!("`{other}` is not one of low, medium, high"),
                );
                Confidence::Low
            }
        };
        if raw.sources.is_empty() {
            self.error(
                line,
                format!("{field}.sources"),
                "every assumption needs at least one source (a document, a data set or \"judgement\")",
            );
        }
        let sources = raw
            .sources
            .iter()
            .enumerate()
            .filter_map(|(k, r)| self.source_ref(r, &format!("{field}.sources[{k}]")))
            .collect();
        let plausible = self.plausible(raw, field, quantity, (lo, hi));
        let without = raw.without.filter(|&w| {
            let inside = w.is_finite() && lo <= w && w <= hi;
            if !inside {
                self.error(
                    line,
                    format!("{field}.without"),
                    format!(
                        "{w} is outside the range [{lo}, {hi}]; the value without the source must be a slider position"
                    ),
                );
            }
            inside
        });
        if self.assumption_ids.add(id, self.assumptions.len()) {
            self.error(line, field, format!("assumption id `{id}` would be used twice"));
        }
        self.assumptions.push(Assumption {
            id: id.to_string(),
            group,
            quantity,
            default: raw.value,
            range: (lo, hi),
            step,
            unit: raw.unit.clone(),
            label: raw.label.clone(),
            rationale: raw.rationale.clone(),
            confidence,
            sources,
            plausible,
            without,
            line,
        });
        self.assumptions.len() - 1
    }

    /// An assumption's `plausible = [low, high]`: inside the range, around the default, and for an
    /// event's jump or shift on the side of zero the default is on (the event keeps its meaning).
    fn plausible(
        &mut self,
        raw: &RawAssumption,
        field: &str,
        quantity: Quantity,
        range: (f64, f64),
    ) -> Option<(f64, f64)> {
        let spanned = raw.plausible.as_ref()?;
        let line = self.line(spanned);
        let field = format!("{field}.plausible");
        let &[lo, hi] = spanned.get_ref().as_slice() else {
            let count = spanned.get_ref().len();
            self.error(
                line,
                field,
                format!("a plausible range is two numbers, [low, high]; this has {count}"),
            );
            return None;
        };
        let default = raw.value;
        let problem = if !(lo.is_finite() && hi.is_finite()) || lo > hi {
            Some(format!("[{lo}, {hi}] must run from low to high"))
        } else if lo < range.0 - 1e-12 || hi > range.1 + 1e-12 {
            Some(format!(
                "[{lo}, {hi}] must lie inside the range [{}, {}]",
                range.0, range.1
            ))
        } else if default < lo - 1e-12 || default > hi + 1e-12 {
            Some(format!("[{lo}, {hi}] must contain the default value {default}"))
        } else if matches!(quantity, Quantity::Jump | Quantity::Shift)
            && ((default > 0.0 && lo < 0.0) || (default < 0.0 && hi > 0.0))
        {
            Some(format!(
                "[{lo}, {hi}] crosses zero: within its plausible range an event's effect keeps the sign of its default {default}"
            ))
        } else {
            None
        };
        match problem {
            Some(message) => {
                self.error(line, field, message);
                None
            }
            None => Some((lo, hi)),
        }
    }

    /// `start = 2025-08-31`: a TOML local date (no time, no offset), the calendar day of month 0.
    fn start(&mut self, raw: &RawScenario) -> Option<StartDate> {
        let spanned = raw.start.as_ref()?;
        let line = self.line(spanned);
        let datetime = spanned.get_ref();
        match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => Some(StartDate {
                year: date.year as i32,
                month: date.month as u32,
                day: date.day as u32,
            }),
            _ => {
                self.error(
                    line,
                    "start",
                    format!("`{datetime}` is not a date; write the day of month 0 as e.g. start = 2025-08-31"),
                );
                None
            }
        }
    }

    /// `[[views]]`: named sets of values. Every id must name an assumption and every value must be
    /// a position of that assumption's slider; the sources are checked like an assumption's.
    fn views(&mut self, raw: &[Spanned<RawView>]) -> Vec<View> {
        let mut views: Vec<View> = Vec::new();
        let mut ids = IdIndex::default();
        for (i, spanned) in raw.iter().enumerate() {
            let view = spanned.get_ref();
            let line = self.line(spanned);
            let path = format!("views[{i}]");
            let id = view.id.get_ref().clone();
            let id_line = self.line(&view.id);
            let used = ids.add(&id, views.len());
            self.check_slug_id(id_line, format!("{path}.id"), "view", &id, used);
            self.check_text(line, &format!("{path}.title"), &view.title, Some(MAX_LABEL_CHARS));
            self.check_text(line, &format!("{path}.rationale"), &view.rationale, None);
            if view.sources.is_empty() {
                self.error(
                    line,
                    format!("{path}.sources"),
                    "a view needs at least one source (the passages its values follow, or \"judgement\")",
                );
            }
            let sources = view
                .sources
                .iter()
                .enumerate()
                .filter_map(|(k, r)| self.source_ref(r, &format!("{path}.sources[{k}]")))
                .collect();
            let mut entries: Vec<_> = view.values.iter().collect();
            crate::engine::sort_stably_by(&mut entries, |(a, _), (b, _)| a.span().start.cmp(&b.span().start));
            let mut values = Vec::new();
            for (key, value) in entries {
                let key_line = self.line(key);
                let field = format!("{path}.values.\"{}\"", key.get_ref());
                if let Some(pair) = self.view_value(key.get_ref(), *value.get_ref(), key_line, field) {
                    values.push(pair);
                }
            }
            views.push(View {
                id,
                title: view.title.clone(),
                rationale: view.rationale.clone(),
                sources,
                values,
                line,
            });
        }
        views
    }

    /// `[opening]`: the headline outcome and pair, and at most [`MAX_KEY_ASSUMPTIONS`] key
    /// assumptions, each named once.
    fn opening(&mut self, raw: Option<&Spanned<RawOpening>>, actors: &[Actor], outcomes: &[OutcomeSpec]) -> Opening {
        let outcome = raw
            .and_then(|r| r.get_ref().outcome.as_ref())
            .and_then(|id| match outcomes.iter().position(|o| &o.id == id.get_ref()) {
                Some(index) => Some(index),
                None => {
                    let line = self.line(id);
                    let message = format!("`{}` is not an outcome of this scenario", id.get_ref());
                    self.error(line, "opening.outcome", message);
                    None
                }
            })
            .unwrap_or(0);
        let pair = raw
            .and_then(|r| r.get_ref().pair.as_ref())
            .and_then(|key| match pair_by_key(actors, key.get_ref()) {
                Ok(index) => Some(index),
                Err(reason) => {
                    let line = self.line(key);
                    let message = format!("`{}` cannot open the page: {reason}", key.get_ref());
                    self.error(line, "opening.pair", message);
                    None
                }
            })
            .or_else(|| outcomes.get(outcome).map(|o| o.outcome.main_pair()))
            .unwrap_or(0);
        let mut key_assumptions: Vec<usize> = Vec::new();
        let listed = raw.map_or(&[][..], |r| &r.get_ref().key_assumptions[..]);
        if listed.len() > MAX_KEY_ASSUMPTIONS {
            let line = self.line(raw.expect("listed comes from raw"));
            self.error(
                line,
                "opening.key_assumptions",
                format!(
                    "lists {} assumptions; at most {MAX_KEY_ASSUMPTIONS}, so that a newcomer starts with a short list",
                    listed.len()
                ),
            );
        }
        for (k, id) in listed.iter().enumerate() {
            let line = self.line(id);
            let field = format!("opening.key_assumptions[{k}]");
            match self.assumption_ids.get(id.get_ref()) {
                None => self.error(
                    line,
                    field,
                    format!(
                        "`{}` is not an assumption of this scenario (ids as `alignment-sim list` prints them)",
                        id.get_ref()
                    ),
                ),
                Some(index) if key_assumptions.contains(&index) => {
                    self.error(line, field, format!("`{}` is listed twice", id.get_ref()))
                }
                Some(index) => key_assumptions.push(index),
            }
        }
        Opening {
            outcome,
            pair,
            key_assumptions,
        }
    }

    /// One `"assumption-id" = value` of a view: the assumption must exist and accept the value.
    fn view_value(&mut self, id: &str, value: f64, line: usize, field: String) -> Option<(usize, f64)> {
        let Some(index) = self.assumption_ids.get(id) else {
            self.error(
                line,
                field,
                format!("`{id}` is not an assumption of this scenario (ids as `alignment-sim list` prints them)"),
            );
            return None;
        };
        let a = &self.assumptions[index];
        let (lo, hi) = a.range;
        let offset = (value - lo) / a.step;
        let message = if !a.accepts(value) {
            format!("{value} lies outside the range [{lo}, {hi}] of `{id}`")
        } else if (offset - offset.round()).abs() > 1e-6 {
            format!(
                "{value} is not a slider position of `{id}` (range start {lo} plus a whole number of steps of {})",
                a.step
            )
        } else {
            return Some((index, value));
        };
        self.error(line, field, message);
        None
    }

    fn source_ref(&mut self, raw: &RawSourceRef, field: &str) -> Option<SourceRef> {
        let line = self.line(&raw.source);
        let id = raw.source.get_ref();
        let Some(index) = self.source_ids.get(id) else {
            self.error(
                line,
                format!("{field}.source"),
                format!("`{id}` is not a declared source"),
            );
            return None;
        };
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
        match self.sources[index].kind {
            SourceKind::Document if blank(&raw.quote) => self.error(
                line,
                format!("{field}.quote"),
                format!("`{id}` is a document: quote the passage the value rests on"),
            ),
            SourceKind::Dataset if blank(&raw.note) => self.error(
                line,
                format!("{field}.note"),
                format!("`{id}` is a data set: say how the value was derived from it"),
            ),
            _ => {}
        }
        if raw.quote.as_ref().is_some_and(|q| q.chars().count() > MAX_QUOTE_CHARS) {
            self.error(
                line,
                format!("{field}.quote"),
                format!("quotes are limited to {MAX_QUOTE_CHARS} characters"),
            );
        }
        Some(SourceRef {
            source: index,
            quote: raw.quote.clone(),
            note: raw.note.clone(),
        })
    }
}

/// Parses an outcome test: `"A-B < 0.3"` or `"A-B > A-C"`.
/// Words that join tests: `"RUS-CHN < 0.3 and CHN-PRK < 0.3"`; one kind of word per outcome.
const JOIN_WORDS: [(&str, Join); 2] = [(" and ", Join::All), (" or ", Join::Any)];

/// An outcome's tests: one, or several joined by `and` or by `or` (not both, so that no
/// precedence rule is needed).
fn parse_tests(text: &str, actors: &[Actor]) -> Result<(Vec<Test>, Join), String> {
    let used: Vec<_> = JOIN_WORDS.iter().filter(|(word, _)| text.contains(word)).collect();
    let (parts, join): (Vec<&str>, Join) = match used.as_slice() {
        [] => (vec![text], Join::All),
        [(word, join)] => (text.split(word).collect(), *join),
        _ => {
            return Err(format!(
                "`{text}` mixes `and` with `or`; write one outcome per kind of join"
            ))
        }
    };
    let tests = parts
        .into_iter()
        .map(|part| {
            parse_test(part, actors).map(|(pair, comparison, reference)| Test {
                pair,
                comparison,
                reference,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((tests, join))
}

fn parse_test(test: &str, actors: &[Actor]) -> Result<(usize, Comparison, Reference), String> {
    let parts: Vec<&str> = test.split_whitespace().collect();
    let [left, op, right] = parts.as_slice() else {
        return Err(format!(
            "`{test}` is not a test; write \"A-B > 0.3\" or \"A-B > A-C\" with actor ids"
        ));
    };
    let pair = |text: &str| pair_by_key(actors, text);
    let comparison = op
        .parse::<Comparison>()
        .map_err(|()| format!("`{op}` is not a comparison; use > or <"))?;
    let left = pair(left)?;
    let reference = match right.parse::<f64>() {
        Ok(level) if level.is_finite() && level > -1.0 && level < 1.0 => Reference::Level(level),
        Ok(level) => {
            return Err(format!(
                "{level} is not an alignment level; it must lie strictly between -1 and 1"
            ))
        }
        Err(_) => Reference::Pair(pair(right)?),
    };
    if reference == Reference::Pair(left) {
        return Err("a pair compared with itself is never true".to_string());
    }
    Ok((left, comparison, reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bidi_control_starts_with_a_byte_the_scan_looks_for() {
        for (c, _) in BIDI_CONTROLS {
            let first = c.to_string().as_bytes()[0];
            assert!(first == 0xD8 || first == 0xE2, "U+{:04X}", c as u32);
        }
        let text = "a = \"x\u{202E}y\" # \u{061C}\n";
        let found: Vec<String> = bidi_errors("t.toml", text).into_iter().map(|e| e.message).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("U+202E") && found[1].contains("U+061C"), "{found:?}");
    }
}
