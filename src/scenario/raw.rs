//! The scenario file as written (TOML 1.0), before validation. Unknown keys are errors.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub format: Spanned<i64>,
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub summary: Spanned<String>,
    pub horizon: Spanned<i64>,
    #[serde(default)]
    pub runs: Option<Spanned<i64>>,
    #[serde(default)]
    pub seed: Option<Spanned<i64>>,
    /// The calendar day of month 0, a TOML local date (`start = 2025-08-31`).
    #[serde(default)]
    pub start: Option<Spanned<toml::value::Datetime>>,
    pub sources: Vec<Spanned<RawSource>>,
    pub model: RawModel,
    pub actors: Vec<Spanned<RawActor>>,
    pub pairs: Vec<Spanned<RawPair>>,
    #[serde(default)]
    pub events: Vec<Spanned<RawEvent>>,
    pub outcomes: Vec<Spanned<RawOutcome>>,
    #[serde(default)]
    pub views: Vec<Spanned<RawView>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub title: String,
    pub date: String,
    pub kind: Spanned<String>,
    pub description: String,
    pub reliability: String,
    #[serde(default)]
    pub file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSourceRef {
    pub source: Spanned<String>,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Every numeric input of the model is written as one of these.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssumption {
    pub value: f64,
    /// Exactly two numbers (checked by the loader, which names the field when not).
    pub range: Spanned<Vec<f64>>,
    /// `[low, high]` inside the range: the values the modeller would not be surprised by.
    #[serde(default)]
    pub plausible: Option<Spanned<Vec<f64>>>,
    #[serde(default)]
    pub step: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    pub label: String,
    pub rationale: String,
    pub confidence: Spanned<String>,
    pub sources: Vec<RawSourceRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub volatility: Spanned<RawAssumption>,
    pub half_life: Spanned<RawAssumption>,
    pub balance: Spanned<RawAssumption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: Spanned<String>,
    pub name: String,
    pub weight: Spanned<RawAssumption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPair {
    pub between: Spanned<Vec<String>>,
    pub initial: Spanned<RawAssumption>,
    pub baseline: Spanned<RawAssumption>,
    #[serde(default)]
    pub volatility: Option<Spanned<RawAssumption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub id: Spanned<String>,
    pub label: String,
    pub description: String,
    #[serde(default)]
    pub repeatable: bool,
    pub probability: Spanned<RawAssumption>,
    #[serde(default)]
    pub opens: Option<Spanned<RawAssumption>>,
    #[serde(default)]
    pub closes: Option<Spanned<RawAssumption>>,
    #[serde(default)]
    pub conditions: Vec<Spanned<RawCondition>>,
    pub effects: Vec<Spanned<RawEffect>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub between: Spanned<Vec<String>>,
    pub op: Spanned<String>,
    pub threshold: Spanned<RawAssumption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEffect {
    pub between: Spanned<Vec<String>>,
    #[serde(default)]
    pub jump: Option<Spanned<RawAssumption>>,
    #[serde(default)]
    pub shift: Option<Spanned<RawAssumption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `"RUS-CHN < 0.3"` or `"RUS-USA > RUS-CHN"`.
    pub test: Spanned<String>,
    /// `horizon`, `any_month` or `every_month`.
    pub when: Spanned<String>,
}

/// A named set of assumption values: one reading of the documents.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawView {
    pub id: Spanned<String>,
    pub title: String,
    pub rationale: String,
    pub sources: Vec<RawSourceRef>,
    /// Assumption id → value; ids are checked by the loader (keys keep their place in the file).
    #[serde(default)]
    pub values: std::collections::BTreeMap<Spanned<String>, Spanned<f64>>,
}
