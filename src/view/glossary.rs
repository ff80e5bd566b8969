//! The page's glossary: one home for what each technical term means in plain words, and which
//! term each assumption's slider is about. The page links every slider (and the headline's ±)
//! to its entry, so a newcomer can look a word up where it is used.

use crate::scenario::Quantity;

/// One term and its plain-language meaning.
pub struct Entry {
    /// Stable id (the page's anchor is `g-{id}`).
    pub id: &'static str,
    pub term: &'static str,
    pub meaning: &'static str,
}

const fn entry(id: &'static str, term: &'static str, meaning: &'static str) -> Entry {
    Entry { id, term, meaning }
}

/// In reading order: the model's words first, then the results', then the analyses'.
pub const GLOSSARY: &[Entry] = &[
    entry(
        "speculative",
        "Speculative",
        "Every number that goes in is an assumption drawn from opinion pieces and unverified reports, with its rationale and sources. Results show what the assumptions imply, not what will happen.",
    ),
    entry(
        "alignment",
        "Alignment",
        "A number from −1 (hostile) through 0 (neutral) to 1 (aligned) for each pair of actors: a stylised summary of how close two governments' positions are, not a measured quantity.",
    ),
    entry(
        "baseline",
        "Baseline",
        "The level a pair's alignment drifts back to when nothing happens. With the balance pressure on, a pair can settle elsewhere (the dashed line on the large chart shows where).",
    ),
    entry(
        "half-life",
        "Half-life",
        "How many months it takes for half of a departure from the baseline to fade: short means relations snap back, long means changes last.",
    ),
    entry(
        "volatility",
        "Volatility (σ)",
        "How much alignments wander by chance each month. Larger σ gives wider fans and more runs that cross a threshold by luck.",
    ),
    entry(
        "balance",
        "Balance pressure (β)",
        "The pull of “the friend of my friend is my friend, the enemy of my friend is my enemy”, weighted by how much each actor's stance counts. A few hundredths already sort actors into two camps over a few years.",
    ),
    entry(
        "capability-weight",
        "Capability weight",
        "How much an actor's stance counts when the balance pressure pulls the others: a judgement, not a measured power index.",
    ),
    entry(
        "event",
        "Event",
        "Something a document says may happen, with a chance per year (or a date), a window of months, conditions, and what it changes when it happens.",
    ),
    entry(
        "probability",
        "Chance per year",
        "The probability that a once-only event happens within a year while it can (spread evenly over the months), or for a repeatable event how many times a year it happens on average.",
    ),
    entry(
        "window",
        "Window",
        "The months in which an event can happen; outside them it cannot.",
    ),
    entry(
        "condition",
        "Condition",
        "An event can happen only while a pair's alignment is above (or below) a threshold, e.g. a deal only while relations are warm enough.",
    ),
    entry(
        "jump",
        "Jump",
        "An immediate change of a pair's alignment in the month the event happens; it then fades back toward the baseline at the half-life's pace.",
    ),
    entry(
        "baseline-shift",
        "Baseline shift",
        "A lasting change, after the event, to the level a pair drifts back to.",
    ),
    entry(
        "confidence",
        "Confidence",
        "How far the modeller trusts a value given its sources: low, medium or high. A judgement about the evidence, not a probability.",
    ),
    entry(
        "plausible-range",
        "Plausible range",
        "The values the modeller would not be surprised by; the uncertainty and sensitivity analyses draw from it. The slider's range is wider.",
    ),
    entry(
        "runs",
        "Runs (Monte Carlo)",
        "The model is run many times with different random draws from the same assumptions; a probability is the share of runs in which something happens.",
    ),
    entry(
        "mc-error",
        "± (Monte Carlo error)",
        "The standard error that comes from using a finite number of runs; more runs make it smaller. It says nothing about whether the assumptions are right.",
    ),
    entry(
        "fan-chart",
        "Fan chart",
        "A pair's median alignment month by month, with bands holding the middle 50 % and 90 % of runs.",
    ),
    entry(
        "bloc",
        "Blocs",
        "The split of the actors into two camps that best fits the alignments at a month (most weight on friendly pairs inside a camp and hostile pairs across).",
    ),
    entry(
        "frustration",
        "Frustration",
        "The share of triangles of actors whose signs do not fit together (e.g. two friends with a common friend who are enemies), weighted by how strong the ties are: 0 when the camps are clean.",
    ),
    entry(
        "paired-error",
        "Paired standard error",
        "The Monte Carlo error of a difference between two settings run on the same random draws, which is smaller than that of two separate runs.",
    ),
    entry(
        "sensitivity",
        "Sensitivity",
        "Which assumptions move an outcome most: one at a time (the tornado: each assumption at the ends of its plausible range) or all together (Sobol indices: the share of the outcome's variance due to an assumption alone, first-order, or with its interactions, total).",
    ),
    entry(
        "seed",
        "Seed",
        "The starting point of the random draws: the same seed, assumptions and runs give the same numbers, in the page and the command line.",
    ),
    entry(
        "horizon",
        "Horizon",
        "How many months are simulated from the scenario's start.",
    ),
    entry(
        "view",
        "View",
        "A named set of values: one reading of the documents (the document's thesis, the sceptics', no change), with the passages it follows.",
    ),
];

/// The glossary entry a slider is about, from the assumption's kind and id.
pub fn term_of_assumption(id: &str, quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::Volatility => "volatility",
        Quantity::HalfLife => "half-life",
        Quantity::Balance => "balance",
        Quantity::Weight => "capability-weight",
        Quantity::Probability | Quantity::Rate => "probability",
        Quantity::Month => "window",
        Quantity::Jump => "jump",
        Quantity::Shift => "baseline-shift",
        Quantity::Alignment if id.ends_with(".baseline") => "baseline",
        Quantity::Alignment if id.contains(".if.") => "condition",
        Quantity::Alignment => "alignment",
    }
}

/// The entry with this id.
pub fn entry_by_id(id: &str) -> Option<&'static Entry> {
    GLOSSARY.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{builtin, builtin_ids};

    #[test]
    fn ids_are_unique_and_every_entry_says_something() {
        for (i, e) in GLOSSARY.iter().enumerate() {
            assert!(GLOSSARY[..i].iter().all(|other| other.id != e.id), "`{}` twice", e.id);
            assert!(e.meaning.len() > 30 && e.meaning.ends_with('.'), "{}", e.id);
        }
    }

    #[test]
    fn every_slider_of_the_built_in_files_links_to_the_entry_for_what_it_sets() {
        for id in builtin_ids() {
            let s = builtin(id).unwrap().unwrap();
            for a in &s.assumptions {
                let term = term_of_assumption(&a.id, a.quantity);
                assert!(entry_by_id(term).is_some(), "{id}: {} → `{term}`", a.id);
                // Read from the id's own words, independently of the quantity.
                let expected = match a.id.as_str() {
                    "model.volatility" => "volatility",
                    "model.half_life" => "half-life",
                    "model.balance" => "balance",
                    other if other.ends_with(".weight") => "capability-weight",
                    other if other.starts_with("pair.") && other.ends_with(".initial") => "alignment",
                    other if other.starts_with("pair.") && other.ends_with(".baseline") => "baseline",
                    other if other.starts_with("pair.") && other.ends_with(".volatility") => "volatility",
                    other if other.ends_with(".probability") || other.ends_with(".rate") => "probability",
                    other if other.ends_with(".opens") || other.ends_with(".closes") || other.ends_with(".at") => {
                        "window"
                    }
                    other if other.contains(".jump.") => "jump",
                    other if other.contains(".shift.") => "baseline-shift",
                    other if other.contains(".if.") => "condition",
                    other => panic!("{id}: no expectation for `{other}`"),
                };
                assert_eq!(term, expected, "{id}: {}", a.id);
            }
        }
    }
}
