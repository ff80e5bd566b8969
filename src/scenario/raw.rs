//! The scenario file as written (TOML 1.1), before validation, read from the parser's tree by hand.
//!
//! Why by hand and not with serde's derive: each derived struct instantiates the TOML reader's
//! generic deserializer again, and with a dozen structs that was about 18 KB of the page's gzipped
//! bundle. Here the tree is walked once, with one small function per struct. The shape rules are
//! serde's: unknown keys, missing keys and wrong types are errors, reported at the key (unknown),
//! the table (missing) or the value (wrong type), in serde's words so that messages stay familiar.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::shape::{self, Field};

pub struct RawScenario {
    pub format: Spanned<i64>,
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub summary: Spanned<String>,
    pub horizon: Spanned<i64>,
    pub runs: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    /// The calendar day of month 0, a TOML local date (`start = 2025-08-31`).
    pub start: Option<Spanned<toml_datetime::Datetime>>,
    pub sources: Vec<Spanned<RawSource>>,
    pub model: RawModel,
    pub actors: Vec<Spanned<RawActor>>,
    pub pairs: Vec<Spanned<RawPair>>,
    pub events: Vec<Spanned<RawEvent>>,
    pub outcomes: Vec<Spanned<RawOutcome>>,
    pub views: Vec<Spanned<RawView>>,
    pub opening: Option<Spanned<RawOpening>>,
}

/// `[opening]`: what the page shows first.
pub struct RawOpening {
    pub outcome: Option<Spanned<String>>,
    pub pair: Option<Spanned<String>>,
    pub key_assumptions: Vec<Spanned<String>>,
}

pub struct RawSource {
    pub id: Spanned<String>,
    pub title: String,
    pub date: String,
    pub kind: Spanned<String>,
    pub description: String,
    pub reliability: String,
    pub file: Option<String>,
}

pub struct RawSourceRef {
    pub source: Spanned<String>,
    pub quote: Option<String>,
    pub note: Option<String>,
}

/// Every numeric input of the model is written as one of these.
pub struct RawAssumption {
    pub value: f64,
    /// Exactly two numbers (checked by the loader, which names the field when not).
    pub range: Spanned<Vec<f64>>,
    /// `[low, high]` inside the range: the values the modeller would not be surprised by.
    pub plausible: Option<Spanned<Vec<f64>>>,
    /// The value without the sources it rests on (`without = …`).
    pub without: Option<f64>,
    pub step: Option<f64>,
    pub unit: Option<String>,
    pub label: String,
    pub rationale: String,
    pub confidence: Spanned<String>,
    pub sources: Vec<RawSourceRef>,
}

pub struct RawModel {
    pub volatility: Spanned<RawAssumption>,
    pub half_life: Spanned<RawAssumption>,
    pub balance: Spanned<RawAssumption>,
}

pub struct RawActor {
    pub id: Spanned<String>,
    pub name: String,
    pub weight: Spanned<RawAssumption>,
}

pub struct RawPair {
    pub between: Spanned<Vec<String>>,
    pub initial: Spanned<RawAssumption>,
    pub baseline: Spanned<RawAssumption>,
    pub volatility: Option<Spanned<RawAssumption>>,
}

pub struct RawEvent {
    pub id: Spanned<String>,
    pub label: String,
    pub description: String,
    pub repeatable: bool,
    /// Once-only events: the probability within a year.
    pub probability: Option<Spanned<RawAssumption>>,
    /// Repeatable events: the expected firings per year.
    pub rate: Option<Spanned<RawAssumption>>,
    /// `at = M`: a dated event, certain in month M.
    pub at: Option<Spanned<i64>>,
    pub after: Vec<Spanned<String>>,
    pub unless: Vec<Spanned<String>>,
    pub opens: Option<Spanned<RawAssumption>>,
    pub closes: Option<Spanned<RawAssumption>>,
    pub conditions: Vec<Spanned<RawCondition>>,
    pub effects: Vec<Spanned<RawEffect>>,
}

pub struct RawCondition {
    pub between: Spanned<Vec<String>>,
    pub op: Spanned<String>,
    pub threshold: Spanned<RawAssumption>,
}

pub struct RawEffect {
    pub between: Spanned<Vec<String>>,
    pub jump: Option<Spanned<RawAssumption>>,
    pub shift: Option<Spanned<RawAssumption>>,
}

pub struct RawOutcome {
    pub id: Spanned<String>,
    pub label: String,
    pub description: Option<String>,
    /// `"RUS-CHN < 0.3"` or `"RUS-USA > RUS-CHN"`.
    pub test: Spanned<String>,
    /// `horizon`, `any_month` or `every_month`.
    pub when: Spanned<String>,
}

/// A named set of assumption values: one reading of the documents.
pub struct RawView {
    pub id: Spanned<String>,
    pub title: String,
    pub rationale: String,
    pub sources: Vec<RawSourceRef>,
    /// Assumption id → value; ids are checked by the loader (keys keep their place in the file).
    pub values: Vec<(Spanned<String>, Spanned<f64>)>,
}

/// The first problem with the file's shape: where (`span`) and what.
pub struct ShapeError {
    pub span: Range<usize>,
    pub message: String,
    /// The error is about the key on the span's line (a wrong or unknown key), not about the table
    /// it belongs to (a missing key): it decides which field path the message names.
    pub at_key: bool,
}

type Shape<T> = Result<T, ShapeError>;
type Value<'i> = Spanned<DeValue<'i>>;

fn invalid_type(value: &Value, expected: &str) -> ShapeError {
    let found = match value.get_ref() {
        DeValue::String(s) => format!("string {:?}", s.chars().take(60).collect::<String>()),
        DeValue::Integer(i) => format!("integer `{i}`"),
        DeValue::Float(f) => format!("floating point `{f}`"),
        DeValue::Boolean(b) => format!("boolean `{b}`"),
        DeValue::Datetime(d) => format!("date-time `{d}`"),
        DeValue::Array(_) => "array".to_string(),
        DeValue::Table(_) => "table".to_string(),
    };
    ShapeError {
        span: value.span(),
        message: format!("invalid type: {found}, expected {expected}"),
        at_key: true,
    }
}

fn string(value: &Value) -> Shape<String> {
    match value.get_ref() {
        DeValue::String(s) => Ok(s.to_string()),
        _ => Err(invalid_type(value, "a string")),
    }
}

fn integer(value: &Value) -> Shape<i64> {
    match value.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).map_err(|_| ShapeError {
            span: value.span(),
            message: format!("the whole number `{i}` is out of range"),
            at_key: true,
        }),
        _ => Err(invalid_type(value, "a whole number")),
    }
}

/// A float, or an integer read as one (as serde reads `value = 1` into an `f64`).
fn number(value: &Value) -> Shape<f64> {
    match value.get_ref() {
        DeValue::Float(f) => f.as_str().parse().map_err(|_| invalid_type(value, "a number")),
        DeValue::Integer(_) => integer(value).map(|i| i as f64),
        _ => Err(invalid_type(value, "a number")),
    }
}

fn boolean(value: &Value) -> Shape<bool> {
    match value.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        _ => Err(invalid_type(value, "true or false")),
    }
}

fn datetime(value: &Value) -> Shape<toml_datetime::Datetime> {
    match value.get_ref() {
        DeValue::Datetime(d) => Ok(*d),
        _ => Err(invalid_type(value, "a date such as 2025-08-31")),
    }
}

/// The value with its span, read by `read`.
fn spanned<'i, T>(read: impl Fn(&Value<'i>) -> Shape<T>) -> impl Fn(&Value<'i>) -> Shape<Spanned<T>> {
    move |value| read(value).map(|inner| Spanned::new(value.span(), inner))
}

/// An array whose every element `read` accepts.
fn list<'i, T>(read: impl Fn(&Value<'i>) -> Shape<T>) -> impl Fn(&Value<'i>) -> Shape<Vec<T>> {
    move |value| match value.get_ref() {
        DeValue::Array(items) => items.iter().map(&read).collect(),
        _ => Err(invalid_type(value, "an array")),
    }
}

/// One TOML table being read as a struct: unknown keys are refused up front, the first in the file.
struct Table<'a, 'i> {
    items: &'a DeTable<'i>,
    span: Range<usize>,
    shape: &'static [Field],
}

impl<'a, 'i> Table<'a, 'i> {
    fn open(value: &'a Value<'i>, shape: &'static [Field]) -> Shape<Self> {
        let DeValue::Table(items) = value.get_ref() else {
            return Err(invalid_type(value, "a table"));
        };
        if let Some(unknown) = items
            .keys()
            .filter(|key| !shape.iter().any(|f| f.key == key.get_ref().as_ref()))
            .min_by_key(|key| key.span().start)
        {
            let expected = shape::keys(shape)
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ShapeError {
                span: unknown.span(),
                message: format!("unknown field `{}`, expected one of {expected}", unknown.get_ref()),
                at_key: true,
            });
        }
        Ok(Table {
            items,
            span: value.span(),
            shape,
        })
    }

    /// Whether the shape lists `key` as required; a key it does not list is a mistake in this
    /// file's readers, which the tests (reading complete files) would hit at once.
    fn listed_as_required(&self, key: &str) -> bool {
        self.shape
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("`{key}` is not in its table's shape"))
            .required
    }

    fn optional<T>(&self, key: &str, read: impl Fn(&Value<'i>) -> Shape<T>) -> Shape<Option<T>> {
        assert!(!self.listed_as_required(key), "the shape says `{key}` is required");
        self.items.get(key).map(read).transpose()
    }

    fn required<T>(&self, key: &str, read: impl Fn(&Value<'i>) -> Shape<T>) -> Shape<T> {
        assert!(self.listed_as_required(key), "the shape says `{key}` is optional");
        self.items.get(key).map(read).transpose()?.ok_or_else(|| ShapeError {
            span: self.span.clone(),
            message: format!("missing field `{key}`"),
            at_key: false,
        })
    }

    /// A list that may be left out (then empty), as serde's `#[serde(default)]` on a `Vec`.
    fn list_or_empty<T>(&self, key: &str, read: impl Fn(&Value<'i>) -> Shape<T>) -> Shape<Vec<T>> {
        Ok(self.optional(key, list(read))?.unwrap_or_default())
    }
}

/// The whole file's tree, read into [`RawScenario`].
pub fn read_scenario(root: &Value) -> Shape<RawScenario> {
    let t = Table::open(root, shape::SCENARIO)?;
    Ok(RawScenario {
        format: t.required("format", spanned(integer))?,
        id: t.required("id", spanned(string))?,
        title: t.required("title", spanned(string))?,
        summary: t.required("summary", spanned(string))?,
        horizon: t.required("horizon", spanned(integer))?,
        runs: t.optional("runs", spanned(integer))?,
        seed: t.optional("seed", spanned(integer))?,
        start: t.optional("start", spanned(datetime))?,
        sources: t.required("sources", list(spanned(read_source)))?,
        model: t.required("model", read_model)?,
        actors: t.required("actors", list(spanned(read_actor)))?,
        pairs: t.required("pairs", list(spanned(read_pair)))?,
        events: t.list_or_empty("events", spanned(read_event))?,
        outcomes: t.required("outcomes", list(spanned(read_outcome)))?,
        views: t.list_or_empty("views", spanned(read_view))?,
        opening: t.optional("opening", spanned(read_opening))?,
    })
}

fn read_opening(value: &Value) -> Shape<RawOpening> {
    let t = Table::open(value, shape::OPENING)?;
    Ok(RawOpening {
        outcome: t.optional("outcome", spanned(string))?,
        pair: t.optional("pair", spanned(string))?,
        key_assumptions: t.list_or_empty("key_assumptions", spanned(string))?,
    })
}

fn read_source(value: &Value) -> Shape<RawSource> {
    let t = Table::open(value, shape::SOURCE)?;
    Ok(RawSource {
        id: t.required("id", spanned(string))?,
        title: t.required("title", string)?,
        date: t.required("date", string)?,
        kind: t.required("kind", spanned(string))?,
        description: t.required("description", string)?,
        reliability: t.required("reliability", string)?,
        file: t.optional("file", string)?,
    })
}

fn read_source_ref(value: &Value) -> Shape<RawSourceRef> {
    let t = Table::open(value, shape::SOURCE_REF)?;
    Ok(RawSourceRef {
        source: t.required("source", spanned(string))?,
        quote: t.optional("quote", string)?,
        note: t.optional("note", string)?,
    })
}

fn read_assumption(value: &Value) -> Shape<RawAssumption> {
    let t = Table::open(value, shape::ASSUMPTION)?;
    Ok(RawAssumption {
        value: t.required("value", number)?,
        range: t.required("range", spanned(list(number)))?,
        plausible: t.optional("plausible", spanned(list(number)))?,
        without: t.optional("without", number)?,
        step: t.optional("step", number)?,
        unit: t.optional("unit", string)?,
        label: t.required("label", string)?,
        rationale: t.required("rationale", string)?,
        confidence: t.required("confidence", spanned(string))?,
        sources: t.required("sources", list(read_source_ref))?,
    })
}

fn read_model(value: &Value) -> Shape<RawModel> {
    let t = Table::open(value, shape::MODEL)?;
    Ok(RawModel {
        volatility: t.required("volatility", spanned(read_assumption))?,
        half_life: t.required("half_life", spanned(read_assumption))?,
        balance: t.required("balance", spanned(read_assumption))?,
    })
}

fn read_actor(value: &Value) -> Shape<RawActor> {
    let t = Table::open(value, shape::ACTOR)?;
    Ok(RawActor {
        id: t.required("id", spanned(string))?,
        name: t.required("name", string)?,
        weight: t.required("weight", spanned(read_assumption))?,
    })
}

fn read_pair(value: &Value) -> Shape<RawPair> {
    let t = Table::open(value, shape::PAIR)?;
    Ok(RawPair {
        between: t.required("between", spanned(list(string)))?,
        initial: t.required("initial", spanned(read_assumption))?,
        baseline: t.required("baseline", spanned(read_assumption))?,
        volatility: t.optional("volatility", spanned(read_assumption))?,
    })
}

fn read_event(value: &Value) -> Shape<RawEvent> {
    let t = Table::open(value, shape::EVENT)?;
    Ok(RawEvent {
        id: t.required("id", spanned(string))?,
        label: t.required("label", string)?,
        description: t.required("description", string)?,
        repeatable: t.optional("repeatable", boolean)?.unwrap_or(false),
        probability: t.optional("probability", spanned(read_assumption))?,
        rate: t.optional("rate", spanned(read_assumption))?,
        at: t.optional("at", spanned(integer))?,
        after: t.list_or_empty("after", spanned(string))?,
        unless: t.list_or_empty("unless", spanned(string))?,
        opens: t.optional("opens", spanned(read_assumption))?,
        closes: t.optional("closes", spanned(read_assumption))?,
        conditions: t.list_or_empty("conditions", spanned(read_condition))?,
        effects: t.required("effects", list(spanned(read_effect)))?,
    })
}

fn read_condition(value: &Value) -> Shape<RawCondition> {
    let t = Table::open(value, shape::CONDITION)?;
    Ok(RawCondition {
        between: t.required("between", spanned(list(string)))?,
        op: t.required("op", spanned(string))?,
        threshold: t.required("threshold", spanned(read_assumption))?,
    })
}

fn read_effect(value: &Value) -> Shape<RawEffect> {
    let t = Table::open(value, shape::EFFECT)?;
    Ok(RawEffect {
        between: t.required("between", spanned(list(string)))?,
        jump: t.optional("jump", spanned(read_assumption))?,
        shift: t.optional("shift", spanned(read_assumption))?,
    })
}

fn read_outcome(value: &Value) -> Shape<RawOutcome> {
    let t = Table::open(value, shape::OUTCOME)?;
    Ok(RawOutcome {
        id: t.required("id", spanned(string))?,
        label: t.required("label", string)?,
        description: t.optional("description", string)?,
        test: t.required("test", spanned(string))?,
        when: t.required("when", spanned(string))?,
    })
}

fn read_view(value: &Value) -> Shape<RawView> {
    let t = Table::open(value, shape::VIEW)?;
    let values = match t.items.get("values") {
        None => Vec::new(),
        Some(table) => {
            let DeValue::Table(items) = table.get_ref() else {
                return Err(invalid_type(table, "a table of assumption id = value"));
            };
            items
                .iter()
                .map(|(key, v)| Ok((Spanned::new(key.span(), key.get_ref().to_string()), spanned(number)(v)?)))
                .collect::<Shape<_>>()?
        }
    };
    Ok(RawView {
        id: t.required("id", spanned(string))?,
        title: t.required("title", string)?,
        rationale: t.required("rationale", string)?,
        sources: t.required("sources", list(read_source_ref))?,
        values,
    })
}
