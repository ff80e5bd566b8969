//! Scenario files: the format, the loader with its checks, and the three built-in scenarios.
//!
//! A [`Scenario`] is a validated file: sources, actors, every pair, events and outcomes, plus the
//! flat list of [`Assumption`]s, each numeric input of the model with its range, label, rationale,
//! sources and confidence. [`Scenario::model`] turns the scenario and the current value of every
//! assumption (the sliders) into an engine [`Model`].

mod builtin;
mod error;
mod field_path;
mod load;
mod raw;
pub mod shape;
mod template;
mod write;

#[cfg(target_arch = "wasm32")]
pub use builtin::provide_builtin_text;
#[cfg(not(target_arch = "wasm32"))]
pub use builtin::BUILTIN_FILES;
pub use builtin::{builtin, builtin_ids, BUILTIN_IDS};
pub use error::{line_of, ScenarioError, ScenarioErrors};
pub use load::{
    bidi_control_name, content_hash, file_too_large, parse_scenario, scenario_text, MAX_ACTORS, MAX_FILE_BYTES,
    MAX_HORIZON, MAX_RUNS, MAX_SLIDER_STEPS,
};
pub use template::{ModelTemplate, Slot};
pub use write::scenario_to_toml;

use crate::engine::{self, pair_index, Model, Outcome, Settings};

/// How far the evidence carries an assumption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// What a source is, which decides what a reference to it must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A text (article, report); references quote a passage.
    Document,
    /// A named data set; references say how a value was derived.
    Dataset,
    /// The modeller's own judgement.
    Judgement,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Document => "document",
            SourceKind::Dataset => "dataset",
            SourceKind::Judgement => "judgement",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub date: String,
    pub kind: SourceKind,
    pub description: String,
    pub reliability: String,
    /// For documents: the file the quotes come from.
    pub file: Option<String>,
}

/// Where an assumption's number comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRef {
    /// Index into [`Scenario::sources`].
    pub source: usize,
    pub quote: Option<String>,
    pub note: Option<String>,
}

/// Which panel of sliders an assumption belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Model,
    Actors,
    Pairs,
    Events,
}

impl Group {
    pub const ALL: [Group; 4] = [Group::Actors, Group::Pairs, Group::Events, Group::Model];

    pub fn title(self) -> &'static str {
        match self {
            Group::Model => "Model",
            Group::Actors => "Actors",
            Group::Pairs => "Pairs",
            Group::Events => "Events",
        }
    }
}

/// What kind of number an assumption is; decides its allowed domain and default step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// σ, latent volatility per month.
    Volatility,
    /// Months for a deviation to halve.
    HalfLife,
    /// β, balance-pressure strength.
    Balance,
    /// Capability weight.
    Weight,
    /// An alignment level in (−1, 1).
    Alignment,
    /// A probability within a year (once-only events).
    Probability,
    /// Expected firings per year (repeatable events).
    Rate,
    /// A month of the run (event windows).
    Month,
    /// A jump added to an alignment.
    Jump,
    /// A shift added to a baseline.
    Shift,
}

impl Quantity {
    /// Closed bounds every value and range end must respect, and whether the bounds themselves
    /// are excluded.
    pub fn domain(self) -> (f64, f64, bool) {
        match self {
            Quantity::Volatility => (0.0, 2.0, false),
            Quantity::HalfLife => (0.5, 1200.0, false),
            Quantity::Balance => (-1.0, 1.0, false),
            Quantity::Weight => (0.001, 1000.0, false),
            Quantity::Alignment => (-1.0, 1.0, true),
            Quantity::Probability => (0.0, 1.0, false),
            Quantity::Rate => (0.0, 120.0, false),
            Quantity::Month => (1.0, MAX_HORIZON as f64, false),
            Quantity::Jump | Quantity::Shift => (-2.0, 2.0, false),
        }
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Quantity::Month)
    }
}

/// One numeric input of the model: speculative, sourced, adjustable.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    /// Stable id used in share links, e.g. `pair.RUS-CHN.baseline`.
    pub id: String,
    pub group: Group,
    pub quantity: Quantity,
    /// The scenario's default value.
    pub default: f64,
    pub range: (f64, f64),
    pub step: f64,
    pub unit: Option<String>,
    pub label: String,
    pub rationale: String,
    pub confidence: Confidence,
    pub sources: Vec<SourceRef>,
    /// The values the modeller would not be surprised by at the stated confidence, inside
    /// `range`, containing the default; an event effect keeps its sign within it. `None` when
    /// the file gives none (allowed for third-party files; the built-in files give one everywhere).
    pub plausible: Option<(f64, f64)>,
    /// The value when the sources it rests on are set aside (`without = …`, inside the range):
    /// what their absence means, e.g. an event's probability 0 or the data prior.
    pub without: Option<f64>,
    /// Line of the record in the file.
    pub line: usize,
}

impl Assumption {
    /// The plausible range, or the whole slider range when the file states none.
    pub fn plausible_or_range(&self) -> (f64, f64) {
        self.plausible.unwrap_or(self.range)
    }

    /// Whether `value` can be used: a finite number inside the range, ends included, compared
    /// exactly. This is the one tolerance rule for ranges (links, `--set`, the page's sliders):
    /// there is none. A value a hair past an end (a probability of 1.0000000000009) is outside,
    /// and the loader keeps every range inside its quantity's domain (alignments strictly inside
    /// (−1, 1)), so no accepted value can take the model outside it.
    pub fn accepts(&self, value: f64) -> bool {
        value.is_finite() && value >= self.range.0 && value <= self.range.1
    }

    /// The nearest slider position to `value`, as the number its decimal form reads as (so that
    /// snapping 0.6 gives exactly the 0.6 a file or a link holds, not 0.6000000000000001).
    pub fn snap(&self, value: f64) -> f64 {
        let steps = ((value - self.range.0) / self.step).round();
        let snapped = (self.range.0 + steps * self.step).clamp(self.range.0, self.range.1);
        let decimals = self.decimals();
        // The short decimal form can round past a range end that is not a short decimal itself;
        // the position then stays as computed, inside the range.
        format!("{snapped:.decimals$}")
            .parse()
            .ok()
            .filter(|&short| self.accepts(short))
            .unwrap_or(snapped)
    }

    /// Decimals a slider position (range start + k·step) needs: as many as the step or the low end.
    pub fn decimals(&self) -> usize {
        decimals_for_step(self.step).max(decimals_for_step(self.range.0))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub id: String,
    pub name: String,
    /// Assumption index of the capability weight.
    pub weight: usize,
}

/// Decimals needed to show multiples of `step` exactly (0.01 → 2, 0.005 → 3, 1 → 0).
pub fn decimals_for_step(step: f64) -> usize {
    let mut decimals = 0;
    let mut scaled = step;
    while decimals < 6 && (scaled - scaled.round()).abs() > 1e-9 {
        scaled *= 10.0;
        decimals += 1;
    }
    decimals
}

/// "RUS-CHN": two actor ids joined by an ASCII hyphen, in declaration order — the one spelling of
/// a pair in scenario files, links, exports and the command line (actor ids cannot contain '-').
pub fn pair_key(actors: &[Actor], pair: usize) -> String {
    let (i, j) = engine::pair_actors(actors.len(), pair);
    format!("{}-{}", actors[i].id, actors[j].id)
}

/// The inverse of [`pair_key`], in either order; the error says what is wrong with the key.
pub fn pair_by_key(actors: &[Actor], key: &str) -> Result<usize, String> {
    let (a, b) = key
        .split_once('-')
        .ok_or_else(|| format!("`{key}` is not a pair; write two actor ids joined by '-'"))?;
    let find = |id: &str| {
        actors
            .iter()
            .position(|x| x.id == id)
            .ok_or_else(|| format!("`{id}` is not a declared actor"))
    };
    let (i, j) = (find(a)?, find(b)?);
    if i == j {
        return Err(format!("`{key}` names the same actor twice"));
    }
    Ok(pair_index(actors.len(), i, j))
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub actors: (usize, usize),
    pub initial: usize,
    pub baseline: usize,
    pub volatility: Option<usize>,
}

/// Assumption indices of the global model parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelParameters {
    pub volatility: usize,
    pub half_life: usize,
    pub balance: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConditionSpec {
    pub pair: usize,
    pub comparison: engine::Comparison,
    pub threshold: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EffectSpec {
    pub pair: usize,
    pub jump: Option<usize>,
    pub shift: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    pub id: String,
    pub label: String,
    pub description: String,
    pub repeatable: bool,
    /// Its chance per year: a probability (once-only) or a rate (repeatable); `None` for an event
    /// the file dates with `at`.
    pub per_year: Option<usize>,
    /// `at = M`: fires in month M in every run.
    pub at: Option<u32>,
    pub opens: Option<usize>,
    pub closes: Option<usize>,
    pub conditions: Vec<ConditionSpec>,
    /// Events (indices) that must have fired first, and events whose firing rules this one out.
    pub after: Vec<usize>,
    pub unless: Vec<usize>,
    pub effects: Vec<EffectSpec>,
    /// What the user marked about this event (never read from the file; not written back to it).
    pub observed: Option<Observation>,
}

/// What a user states about an event beyond the file, as of some month: it happened in month M
/// (it then fires in month M in every run), or it had not happened by month M (it cannot fire in
/// months 1 … M). Month 0 is the scenario's start; months are 1 … [`MAX_HORIZON`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Observation {
    HappenedIn(u32),
    NotBy(u32),
}

impl Observation {
    /// Both kinds, for readers of links and flags.
    pub const KINDS: [fn(u32) -> Observation; 2] = [Observation::HappenedIn, Observation::NotBy];

    /// The word links use (`happened.ID=M`, `notby.ID=M`).
    pub fn link_word(self) -> &'static str {
        match self {
            Observation::HappenedIn(_) => "happened",
            Observation::NotBy(_) => "notby",
        }
    }

    pub fn month(self) -> u32 {
        match self {
            Observation::HappenedIn(m) | Observation::NotBy(m) => m,
        }
    }

    /// "happened in month 14" / "had not happened by month 14".
    pub fn describe(self) -> String {
        match self {
            Observation::HappenedIn(m) => format!("happened in month {m}"),
            Observation::NotBy(m) => format!("had not happened by month {m}"),
        }
    }

    /// A month as written in a link or a flag: a whole number 1 … [`MAX_HORIZON`].
    pub fn read_month(text: &str) -> Result<u32, String> {
        match text.trim().parse::<u32>() {
            Ok(m) if (1..=MAX_HORIZON as u32).contains(&m) => Ok(m),
            _ => Err(format!(
                "`{}` is not a month of a run (a whole number 1 … {MAX_HORIZON}; month 0 is the start)",
                text.escape_debug()
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeSpec {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    /// The test as written, e.g. `RUS-USA > RUS-CHN`.
    pub test: String,
    pub outcome: Outcome,
}

/// The calendar day of month 0 (`start = 2025-08-31`): month `m` is `m` calendar months later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartDate {
    pub year: i32,
    /// 1 … 12.
    pub month: u32,
    /// 1 … 31.
    pub day: u32,
}

impl StartDate {
    /// "2026-11": the calendar month that model month `m` falls in (month 0 is the start's own).
    pub fn month_label(self, m: usize) -> String {
        let months = self.year as i64 * 12 + (self.month as i64 - 1) + m as i64;
        format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
    }

    /// The model month that a moment (milliseconds since 1970-01-01 UTC, as `Date.now()` gives)
    /// falls in: whole calendar months since the start's month, 0 before it.
    pub fn months_until_now(self, epoch_milliseconds: f64) -> u32 {
        let (year, month) = year_month_of_day((epoch_milliseconds / 86_400_000.0).floor() as i64);
        let elapsed = (year * 12 + month as i64) - (self.year as i64 * 12 + self.month as i64);
        elapsed.clamp(0, u32::MAX as i64) as u32
    }
}

/// (year, month 1 … 12) of a day counted from 1970-01-01, in the proleptic Gregorian calendar
/// (the civil-from-days algorithm: 400-year eras of 146 097 days, years starting in March).
fn year_month_of_day(days: i64) -> (i64, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month)
}

impl std::fmt::Display for StartDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A named reading of the documents: a set of assumption values with its reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Slug used by `--view` (and later in links).
    pub id: String,
    pub title: String,
    pub rationale: String,
    pub sources: Vec<SourceRef>,
    /// (assumption index, value) for every assumption the view sets; the rest keep their defaults.
    pub values: Vec<(usize, f64)>,
    /// Line of the `[[views]]` record in the file.
    pub line: usize,
}

/// The most key assumptions a file may list under `[opening]`: a short list a newcomer can read.
pub const MAX_KEY_ASSUMPTIONS: usize = 12;

/// What the page opens on (`[opening]`; without it, the first outcome and its pair, no key list).
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    /// Index into [`Scenario::outcomes`] of the headline outcome.
    pub outcome: usize,
    /// The pair the fan chart shows first.
    pub pair: usize,
    /// Indices into [`Scenario::assumptions`], in the file's order (most influential first).
    pub key_assumptions: Vec<usize>,
}

/// A validated scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Default months simulated.
    pub horizon: usize,
    /// Default ensemble size.
    pub runs: usize,
    /// Default seed.
    pub seed: u64,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    /// Every pair, in [`pair_index`] order.
    pub pairs: Vec<Pair>,
    pub parameters: ModelParameters,
    pub events: Vec<EventSpec>,
    pub outcomes: Vec<OutcomeSpec>,
    pub assumptions: Vec<Assumption>,
    /// The calendar day of month 0, when the file states one.
    pub start: Option<StartDate>,
    /// Named sets of values (each document's reading, the sceptics', no change), in file order.
    pub views: Vec<View>,
    pub opening: Opening,
    /// Short hash of the file's text, to tell when a link was made with another version.
    pub content_hash: String,
}

impl Scenario {
    /// The default value of every assumption, in [`Scenario::assumptions`] order.
    pub fn defaults(&self) -> Vec<f64> {
        self.assumptions.iter().map(|a| a.default).collect()
    }

    /// Default seed, runs and horizon.
    pub fn default_settings(&self) -> Settings {
        Settings {
            seed: self.seed,
            runs: self.runs,
            horizon: self.horizon,
        }
    }

    /// The value of every assumption under a view: the defaults with the view's values put in.
    pub fn view_values(&self, view: &View) -> Vec<f64> {
        let mut values = self.defaults();
        for &(index, value) in &view.values {
            values[index] = value;
        }
        values
    }

    pub fn view(&self, id: &str) -> Option<&View> {
        self.views.iter().find(|v| v.id == id)
    }

    /// "2026-11" for model month `m`, when the file states its start.
    pub fn month_label(&self, m: usize) -> Option<String> {
        self.start.map(|start| start.month_label(m))
    }

    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| e.id == id)
    }

    /// Every event the user marked, with what was marked, in file order.
    pub fn observations(&self) -> impl Iterator<Item = (&EventSpec, Observation)> {
        self.events.iter().filter_map(|e| e.observed.map(|o| (e, o)))
    }

    pub fn assumption_index(&self, id: &str) -> Option<usize> {
        self.assumptions.iter().position(|a| a.id == id)
    }

    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// "RUS–CHN" for a pair index.
    pub fn pair_label(&self, pair: usize) -> String {
        let (i, j) = self.pairs[pair].actors;
        format!("{}–{}", self.actors[i].id, self.actors[j].id)
    }

    /// "Russia–China" for a pair index.
    pub fn pair_name(&self, pair: usize) -> String {
        let (i, j) = self.pairs[pair].actors;
        format!("{}–{}", self.actors[i].name, self.actors[j].name)
    }

    pub fn pair_of(&self, a: usize, b: usize) -> usize {
        pair_index(self.actors.len(), a, b)
    }

    /// "RUS-CHN": the pair as files, links and `--pair` write it (see [`pair_key`]).
    pub fn pair_key(&self, pair: usize) -> String {
        pair_key(&self.actors, pair)
    }

    /// The pair a key such as "RUS-CHN" (either order) names, if it names one of this scenario's.
    pub fn pair_by_key(&self, key: &str) -> Option<usize> {
        pair_by_key(&self.actors, key).ok()
    }

    /// The engine's model for the given assumption values (one per assumption, in order), by the
    /// scenario's [`ModelTemplate`].
    pub fn model(&self, values: &[f64]) -> Model {
        self.template().model(values)
    }
}

impl Scenario {
    /// The two sides of a bloc split, as actor indices (the second is empty for "one bloc").
    pub fn split_sides(&self, mask: engine::SplitMask) -> [Vec<usize>; 2] {
        let (first, second): (Vec<usize>, Vec<usize>) = (0..self.actors.len()).partition(|&i| (mask >> i) & 1 == 0);
        [first, second]
    }

    /// "USA EU UKR | RUS CHN PRK", or "all in one bloc".
    pub fn split_label(&self, mask: engine::SplitMask) -> String {
        let [first, second] = self.split_sides(mask);
        let ids = |side: &[usize]| {
            side.iter()
                .map(|&i| self.actors[i].id.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if second.is_empty() {
            "all in one bloc".to_string()
        } else {
            format!("{} | {}", ids(&first), ids(&second))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_month_of_a_moment_counts_calendar_months_from_the_start() {
        use super::{year_month_of_day, StartDate};
        let start = StartDate {
            year: 2025,
            month: 8,
            day: 31,
        };
        // 2026-11-30T00:00Z and 2000-02-29T23:59Z (a leap day), from Python's datetime.
        assert_eq!(start.months_until_now(1_795_996_800_000.0), 15);
        assert_eq!(start.month_label(15), "2026-11");
        assert_eq!(
            year_month_of_day((951_868_740_000.0_f64 / 86_400_000.0).floor() as i64),
            (2000, 2)
        );
        assert_eq!(year_month_of_day(0), (1970, 1));
        assert_eq!(year_month_of_day(-1), (1969, 12));
        assert_eq!(start.months_until_now(0.0), 0, "before the start");
    }

    use super::StartDate;

    /// Worked by hand: month 0 is August 2025 (the start's own month); 4 months on is December,
    /// 5 is January of the next year, 15 is November 2026 ("today" for the built-in files).
    #[test]
    fn months_count_calendar_months_from_the_start() {
        let start = StartDate {
            year: 2025,
            month: 8,
            day: 31,
        };
        assert_eq!(start.month_label(0), "2025-08");
        assert_eq!(start.month_label(4), "2025-12");
        assert_eq!(start.month_label(5), "2026-01");
        assert_eq!(start.month_label(15), "2026-11");
        assert_eq!(start.month_label(36), "2028-08");
        // 240 months (the longest horizon) is exactly 20 years.
        assert_eq!(start.month_label(240), "2045-08");
        let january = StartDate {
            year: 1999,
            month: 1,
            day: 1,
        };
        assert_eq!(january.month_label(11), "1999-12");
        assert_eq!(january.month_label(12), "2000-01");
        assert_eq!(start.to_string(), "2025-08-31");
    }
}
