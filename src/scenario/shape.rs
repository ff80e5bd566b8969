//! The scenario format's shape, defined once: every table, its keys, which are required, what
//! each holds. The reader (`super::raw`) refuses keys not listed here and asks for required ones
//! by these lists, and `alignment-sim schema` writes the JSON Schema editors use from them
//! (`scenarios/scenario.schema.json`, named on each file's first line as `#:schema …`), so the
//! reader and the schema cannot drift apart (a test checks the committed schema is current).

/// One key of a table.
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// One line for editors' hovers.
    pub doc: &'static str,
}

/// What a key holds.
pub enum Kind {
    Text,
    /// One of these words.
    Word(&'static [&'static str]),
    WholeNumber,
    Number,
    Boolean,
    /// A TOML local date, e.g. 2025-08-31.
    Date,
    /// Exactly two numbers, `[low, high]`.
    TwoNumbers,
    /// An array of texts.
    Texts,
    /// A table of this shape.
    Table(&'static [Field]),
    /// An array of tables of this shape.
    Tables(&'static [Field]),
    /// A table of assumption id = number.
    NumbersById,
}

const fn field(key: &'static str, kind: Kind, required: bool, doc: &'static str) -> Field {
    Field {
        key,
        kind,
        required,
        doc,
    }
}

pub const CONFIDENCE_WORDS: &[&str] = &["low", "medium", "high"];
pub const SOURCE_KINDS: &[&str] = &["document", "dataset", "judgement"];
pub const WHEN_WORDS: &[&str] = &["horizon", "any_month", "every_month"];
pub const COMPARISON_WORDS: &[&str] = &[">", "<"];

pub const SOURCE_REF: &[Field] = &[
    field("source", Kind::Text, true, "The id of one of the file's [[sources]]."),
    field(
        "quote",
        Kind::Text,
        false,
        "A passage quoted verbatim from the document (documents need one).",
    ),
    field(
        "note",
        Kind::Text,
        false,
        "How the data set gives the value (data sets need one).",
    ),
];

pub const ASSUMPTION: &[Field] = &[
    field(
        "value",
        Kind::Number,
        true,
        "The default value; a slider position inside the range.",
    ),
    field("range", Kind::TwoNumbers, true, "[low, high]: the slider's ends."),
    field(
        "plausible",
        Kind::TwoNumbers,
        false,
        "[low, high] inside the range: values the modeller would not be surprised by.",
    ),
    field(
        "without",
        Kind::Number,
        false,
        "Inside the range: the value when the sources it rests on are set aside (`ablate --without`), as the source's absence reads (an event's probability or effect 0, the data prior).",
    ),
    field(
        "step",
        Kind::Number,
        false,
        "The slider's step (default: about a 200th of the range).",
    ),
    field("unit", Kind::Text, false, "What the number counts, e.g. \"per year\"."),
    field("label", Kind::Text, true, "One line saying what the number is."),
    field(
        "rationale",
        Kind::Text,
        true,
        "How the value follows the sources' words.",
    ),
    field(
        "confidence",
        Kind::Word(CONFIDENCE_WORDS),
        true,
        "How far the value can be trusted (README: confidence levels).",
    ),
    field(
        "sources",
        Kind::Tables(SOURCE_REF),
        true,
        "What the value rests on: quoted passages, data, or judgement.",
    ),
];

pub const SOURCE: &[Field] = &[
    field("id", Kind::Text, true, "A short id that assumptions cite."),
    field("title", Kind::Text, true, "The source's title."),
    field("date", Kind::Text, true, "When it was written, e.g. \"2025-08\"."),
    field(
        "kind",
        Kind::Word(SOURCE_KINDS),
        true,
        "document, dataset or judgement.",
    ),
    field("description", Kind::Text, true, "What it is."),
    field("reliability", Kind::Text, true, "How far to trust it."),
    field("file", Kind::Text, false, "The file the source is kept in, if any."),
];

pub const MODEL: &[Field] = &[
    field(
        "volatility",
        Kind::Table(ASSUMPTION),
        true,
        "σ: latent volatility per month.",
    ),
    field(
        "half_life",
        Kind::Table(ASSUMPTION),
        true,
        "Months for a deviation from the baseline to halve.",
    ),
    field(
        "balance",
        Kind::Table(ASSUMPTION),
        true,
        "β: strength of the balance (Heider) pressure; 0 switches it off.",
    ),
];

pub const ACTOR: &[Field] = &[
    field("id", Kind::Text, true, "Capital letters and digits, up to 8, e.g. RUS."),
    field("name", Kind::Text, true, "The actor's name."),
    field(
        "weight",
        Kind::Table(ASSUMPTION),
        true,
        "Capability weight (balance term and blocs).",
    ),
];

pub const PAIR: &[Field] = &[
    field("between", Kind::Texts, true, "Two actor ids."),
    field(
        "initial",
        Kind::Table(ASSUMPTION),
        true,
        "Alignment at month 0, in (−1, 1).",
    ),
    field(
        "baseline",
        Kind::Table(ASSUMPTION),
        true,
        "Where mean reversion pulls, in (−1, 1).",
    ),
    field(
        "volatility",
        Kind::Table(ASSUMPTION),
        false,
        "This pair's own σ (default: the model's).",
    ),
];

pub const CONDITION: &[Field] = &[
    field("between", Kind::Texts, true, "Two actor ids."),
    field(
        "op",
        Kind::Word(COMPARISON_WORDS),
        true,
        "> or <, strict, on the month's snapshot.",
    ),
    field(
        "threshold",
        Kind::Table(ASSUMPTION),
        true,
        "An alignment level in (−1, 1).",
    ),
];

pub const EFFECT: &[Field] = &[
    field("between", Kind::Texts, true, "Two actor ids."),
    field(
        "jump",
        Kind::Table(ASSUMPTION),
        false,
        "Added to the alignment when the event fires.",
    ),
    field(
        "shift",
        Kind::Table(ASSUMPTION),
        false,
        "Added to the baseline for the rest of the run.",
    ),
];

pub const EVENT: &[Field] = &[
    field("id", Kind::Text, true, "A slug, unique among events."),
    field("label", Kind::Text, true, "One line."),
    field("description", Kind::Text, true, "What firing means, in words."),
    field(
        "repeatable",
        Kind::Boolean,
        false,
        "May fire again (then it states `rate`, not `probability`).",
    ),
    field(
        "probability",
        Kind::Table(ASSUMPTION),
        false,
        "Once-only events: probability within a year while eligible.",
    ),
    field(
        "rate",
        Kind::Table(ASSUMPTION),
        false,
        "Repeatable events: expected firings per year.",
    ),
    field(
        "at",
        Kind::WholeNumber,
        false,
        "A dated event: certain in this month (then no probability or rate).",
    ),
    field("opens", Kind::Table(ASSUMPTION), false, "First month it may fire."),
    field("closes", Kind::Table(ASSUMPTION), false, "Last month it may fire."),
    field(
        "conditions",
        Kind::Tables(CONDITION),
        false,
        "All must hold on the month's snapshot.",
    ),
    field(
        "after",
        Kind::Texts,
        false,
        "Events that must each have fired in an earlier month.",
    ),
    field(
        "unless",
        Kind::Texts,
        false,
        "Events any of which, once fired, rules this one out.",
    ),
    field(
        "effects",
        Kind::Tables(EFFECT),
        true,
        "What it does to pairs when it fires.",
    ),
];

pub const OUTCOME: &[Field] = &[
    field("id", Kind::Text, true, "A slug, unique among outcomes."),
    field("label", Kind::Text, true, "One line."),
    field("description", Kind::Text, false, "Longer text."),
    field(
        "test",
        Kind::Text,
        true,
        "\"A-B < 0.3\", \"A-B > A-C\", or several joined by `and` or by `or`.",
    ),
    field(
        "when",
        Kind::Word(WHEN_WORDS),
        true,
        "horizon, any_month or every_month.",
    ),
];

pub const VIEW: &[Field] = &[
    field("id", Kind::Text, true, "A slug, unique among views."),
    field("title", Kind::Text, true, "One line."),
    field(
        "rationale",
        Kind::Text,
        true,
        "How each value follows the document's words.",
    ),
    field(
        "sources",
        Kind::Tables(SOURCE_REF),
        true,
        "The passages its values follow, or judgement.",
    ),
    field("values", Kind::NumbersById, false, "Assumption id = value."),
];

pub const OPENING: &[Field] = &[
    field(
        "outcome",
        Kind::Text,
        false,
        "The outcome id the page's headline shows first (else the first outcome).",
    ),
    field(
        "pair",
        Kind::Text,
        false,
        "The pair the page's fan chart shows first, e.g. \"RUS-PRK\" (else the first outcome's pair).",
    ),
    field(
        "key_assumptions",
        Kind::Texts,
        false,
        "At most 12 assumption ids the page lists first, the most influential first.",
    ),
];

pub const SCENARIO: &[Field] = &[
    field("format", Kind::WholeNumber, true, "The format version: 1."),
    field("id", Kind::Text, true, "A slug naming the scenario in links."),
    field("title", Kind::Text, true, "One line."),
    field(
        "summary",
        Kind::Text,
        true,
        "What it follows and what it rests on; says \"speculative\".",
    ),
    field("horizon", Kind::WholeNumber, true, "Months simulated."),
    field("runs", Kind::WholeNumber, false, "Runs in the ensemble."),
    field("seed", Kind::WholeNumber, false, "Seed of the random draws."),
    field(
        "start",
        Kind::Date,
        false,
        "The calendar day of month 0, e.g. 2025-08-31.",
    ),
    field("sources", Kind::Tables(SOURCE), true, "Every source the file cites."),
    field("model", Kind::Table(MODEL), true, "The model's global parameters."),
    field("actors", Kind::Tables(ACTOR), true, "2 to 16 actors."),
    field("pairs", Kind::Tables(PAIR), true, "Every pair of actors, once."),
    field("events", Kind::Tables(EVENT), false, "Discrete events."),
    field(
        "outcomes",
        Kind::Tables(OUTCOME),
        true,
        "The questions asked of every run.",
    ),
    field("views", Kind::Tables(VIEW), false, "Named readings of the documents."),
    field(
        "opening",
        Kind::Table(OPENING),
        false,
        "What the page opens on: headline outcome, pair and key assumptions.",
    ),
];

/// The keys of a shape.
pub fn keys(shape: &[Field]) -> impl Iterator<Item = &'static str> + '_ {
    shape.iter().map(|f| f.key)
}
