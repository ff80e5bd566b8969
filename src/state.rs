//! The page's state and every change a user can make to it, as plain data and pure functions
//! (one `State`, one `Action` enum, `State::apply`): the page only renders this and dispatches
//! actions; the tests drive it natively.

mod analyses;

use std::rc::Rc;

pub use analyses::{Analyses, AnalysisAction, Reference, ReferenceRun, SensitivityView, SobolRun, TornadoRun};

use crate::analysis::readings::RunReadings;
use crate::analysis::OutcomeRuns;
use crate::engine::{PairBands, Proportion, Settings, Summary};
use crate::link::{embed_link, encode_link, encode_link_carrying, fragment_of, open_link, uncertain_link};
use crate::scenario::{builtin, builtin_ids, Observation, Scenario, MAX_HORIZON, MAX_RUNS};

/// What the page shows that does not change any number.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// The pair of the large fan chart.
    pub pair: usize,
    /// The outcome the headline shows (index into `Scenario::outcomes`).
    pub outcome: usize,
    /// The month the network shows (clamped to the horizon).
    pub month: usize,
    /// The scenario's named view the values were started from (index into `Scenario::views`);
    /// a label: the values are what count, and moving a slider afterwards keeps the label, shown
    /// as changed.
    pub named: Option<usize>,
    /// The compact view for an iframe (`embed=1` in the link).
    pub embed: bool,
    /// The outcomes over what we don't know beside those at these values (`u=1` in the link).
    pub uncertain: bool,
}

/// Ensemble sizes offered in the page.
pub const RUN_CHOICES: [usize; 8] = [250, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000];

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub scenario: Rc<Scenario>,
    /// The file text of a scenario the user loaded (not built in): links carry it.
    pub carried: Option<Rc<String>>,
    /// One value per assumption of the scenario.
    pub values: Vec<f64>,
    pub settings: Settings,
    pub view: View,
    /// What was ignored when the state was read from a link, and other messages to show.
    pub notices: Vec<String>,
    /// Increases whenever an input of the model changes; results carry the generation they
    /// were computed for, so a late result of an old generation is never shown as current.
    pub generation: u64,
    /// Fraction done while a run is in progress.
    pub progress: Option<f64>,
    /// Bands of the months computed so far by the running job.
    pub partial: Option<Rc<Vec<PairBands>>>,
    /// Outcomes of the running job's first runs (number of runs, outcomes), before it finishes.
    pub preliminary: Option<(usize, Rc<Vec<Proportion>>)>,
    /// The latest finished results, and the generation they belong to.
    pub summary: Option<Rc<Summary>>,
    /// Whether each outcome held in each run of that ensemble (convergence, comparisons).
    pub indicators: Option<Rc<OutcomeRuns>>,
    /// Outcomes conditional on events and the blocs' leans, read from the same runs.
    pub readings: Option<Rc<RunReadings>>,
    pub summary_generation: u64,
    /// Worker time of the last finished run.
    pub last_run_milliseconds: Option<f64>,
    /// Why the simulation worker stopped answering, if it did.
    pub worker_failure: Option<String>,
    /// Incremented to start a fresh worker after a failure.
    pub worker_attempt: u32,
    /// Links saved from the last sessions, newest first, offered when the page is opened
    /// without a link.
    pub restore_offer: Vec<String>,
    /// The link as it was opened, while it holds parts this page could not use: the address bar
    /// and the saved sessions keep it instead of the state's own link until the user changes
    /// something, so a reload or a copied address loses nothing.
    pub held_link: Option<String>,
    /// The sensitivity tornado and the comparison (they never change the link's numbers).
    pub analyses: Analyses,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SelectScenario(String),
    /// A scenario the user loaded from a file or pasted, already validated, with its text.
    UseScenario(Rc<Scenario>, Rc<String>),
    SetValue(usize, f64),
    ResetValue(usize),
    ResetAll,
    SetSeed(u64),
    RerollSeed,
    SetRuns(usize),
    SetHorizon(usize),
    SelectPair(usize),
    /// The outcome the headline shows.
    SelectOutcome(usize),
    SetMonth(usize),
    /// Show the outcomes over what we don't know beside those at these values, or not.
    SetUncertain(bool),
    /// Start from a named view of the scenario (its values over the defaults), or from the
    /// defaults (`None`).
    ApplyView(Option<usize>),
    /// Mark an event as having happened in a month, or not by a month; `None` clears the mark.
    MarkEvent(usize, Option<Observation>),
    DismissNotices,
    /// The worker stopped answering; the page keeps its last results and offers a retry.
    WorkerFailed(String),
    RetryWorker,
    /// Offer to restore saved sessions, newest first (the page opened without a link).
    OfferRestore(Vec<String>),
    /// Restore the saved session with this index in the offer (0: the newest).
    AcceptRestore(usize),
    DeclineRestore,
    /// Replace everything with the state a link describes (back/forward, a pasted link).
    OpenLink(String),
    Progress {
        generation: u64,
        fraction: f64,
        bands: Rc<Vec<PairBands>>,
    },
    Preliminary {
        generation: u64,
        runs: usize,
        outcomes: Rc<Vec<Proportion>>,
    },
    Finished {
        generation: u64,
        summary: Rc<Summary>,
        indicators: Rc<OutcomeRuns>,
        readings: Rc<RunReadings>,
        milliseconds: f64,
    },
    Analysis(AnalysisAction),
}

/// The next seed offered by "re-roll": SplitMix64 of the current one, kept to six digits
/// (deterministic, so tests can follow it).
fn next_seed(seed: u64) -> u64 {
    let mut state = seed;
    crate::engine::splitmix64(&mut state) % 1_000_000
}

fn load_builtin(id: &str) -> Option<Scenario> {
    builtin(id).and_then(Result::ok)
}

impl State {
    /// A scenario at its defaults.
    pub fn new(scenario: Scenario) -> Self {
        let settings = scenario.default_settings();
        // Open on the pair the file chose (`[opening]`), else the first question's pair.
        let pair = scenario.opening.pair;
        let outcome = scenario.opening.outcome;
        State {
            values: scenario.defaults(),
            view: View {
                pair,
                outcome,
                month: settings.horizon,
                named: None,
                embed: false,
                uncertain: false,
            },
            scenario: Rc::new(scenario),
            carried: None,
            settings,
            notices: Vec::new(),
            generation: 1,
            // The first job starts as soon as the page is up.
            progress: Some(0.0),
            partial: None,
            preliminary: None,
            summary: None,
            indicators: None,
            readings: None,
            summary_generation: 0,
            last_run_milliseconds: None,
            worker_failure: None,
            worker_attempt: 0,
            restore_offer: Vec::new(),
            held_link: None,
            analyses: Analyses::default(),
        }
    }

    /// The first built-in scenario at its defaults.
    pub fn default_builtin() -> Self {
        let first = builtin_ids().next().expect("at least one built-in scenario");
        State::new(load_builtin(first).expect("built-in scenarios load (checked by the tests)"))
    }

    /// The state a link describes (read by [`open_link`], the reader the command line uses
    /// too). Never fails: what cannot be used is listed in `notices`, and every valid part is
    /// kept. An empty fragment gives the default state without notices.
    pub fn from_link(fragment: &str) -> Self {
        let opened = open_link(fragment);
        let mut state = State::new(opened.scenario);
        state.carried = opened.carried.map(Rc::new);
        state.values = opened.values;
        state.settings = opened.settings;
        state.view.month = opened.view.month.unwrap_or(state.settings.horizon);
        if let Some(pair) = opened.view.pair {
            state.view.pair = pair;
        }
        if let Some(outcome) = opened.view.outcome {
            state.view.outcome = outcome;
        }
        state.view.named = opened.view.named;
        state.view.embed = opened.view.embed;
        state.view.uncertain = opened.view.uncertain;
        state.notices = opened.notes.iter().map(|n| n.to_string()).collect();
        if !opened.notes.is_empty() {
            state.held_link = Some(fragment_of(fragment.trim()).to_string());
        }
        if let Some(source) = opened.view.without {
            state.compare_without(source);
        }
        state
    }

    /// The share-link fragment (without `#`) of this state.
    pub fn link(&self) -> String {
        self.link_as(self.view.embed)
    }

    /// The link of this state as the full page (`embed` false) or the compact view for an
    /// iframe (`embed` true) shows it.
    pub fn link_as(&self, embed: bool) -> String {
        let mut view = vec![("pair".to_string(), self.scenario.pair_key(self.view.pair))];
        if self.view.outcome != self.scenario.opening.outcome {
            let id = self.scenario.outcomes[self.view.outcome].id.clone();
            view.push(("outcome".to_string(), id));
        }
        if self.view.month != self.settings.horizon {
            view.push(("month".to_string(), self.view.month.to_string()));
        }
        if let Some(named) = self.view.named {
            view.push(("named".to_string(), self.scenario.views[named].id.clone()));
        }
        // The comparison without a source, once run, is part of what the page shows.
        if let Some(source) = self.compared_without() {
            view.push(("without".to_string(), self.scenario.sources[source].id.clone()));
        }
        let mut link = match &self.carried {
            Some(text) => encode_link_carrying(&self.scenario, text, &self.values, self.settings, &view),
            None => encode_link(&self.scenario, &self.values, self.settings, &view),
        };
        if self.view.uncertain {
            link = uncertain_link(&link);
        }
        if embed {
            embed_link(&link)
        } else {
            link
        }
    }

    /// The source the last comparison left out, if it was run without one (on this scenario).
    pub fn compared_without(&self) -> Option<usize> {
        let run = self.analyses.reference.as_ref()?;
        let source = run.ablation.as_ref()?.source;
        (run.scenario.id == self.scenario.id && source < self.scenario.sources.len()).then_some(source)
    }

    /// Compares the current state against itself without `source` (a link's `view.without`).
    fn compare_without(&mut self, source: usize) {
        self.apply_action(Action::Analysis(AnalysisAction::ChooseReference(Reference::Without(
            source,
        ))));
        self.apply_action(Action::Analysis(AnalysisAction::RunReference));
    }

    /// The results to draw: the finished summary if it is current.
    pub fn current_summary(&self) -> Option<&Rc<Summary>> {
        self.summary
            .as_ref()
            .filter(|_| self.summary_generation == self.generation)
    }

    /// Whether the inputs changed since the results shown were computed.
    pub fn is_stale(&self) -> bool {
        self.summary_generation != self.generation
    }

    fn inputs_changed(&mut self) {
        self.generation += 1;
        self.worker_failure = None;
        self.progress = Some(0.0);
        self.partial = None;
        self.preliminary = None;
    }

    /// What the share link is made of, by identity where it is shared: comparing two of these
    /// tells whether an action changed the link.
    #[allow(clippy::type_complexity)]
    fn link_inputs(
        &self,
    ) -> (
        *const Scenario,
        Vec<Option<Observation>>,
        Option<*const String>,
        Vec<u64>,
        Settings,
        View,
        Option<usize>,
    ) {
        (
            Rc::as_ptr(&self.scenario),
            self.scenario.events.iter().map(|e| e.observed).collect(),
            self.carried.as_ref().map(Rc::as_ptr),
            self.values.iter().map(|v| v.to_bits()).collect(),
            self.settings,
            self.view.clone(),
            self.compared_without(),
        )
    }

    pub fn apply(&mut self, action: Action) {
        // A user's change replaces a held link (its unusable parts were listed when it opened);
        // everything else (results arriving, messages) keeps it.
        let user_change = matches!(
            action,
            Action::SelectScenario(_)
                | Action::UseScenario(..)
                | Action::SetValue(..)
                | Action::ResetValue(_)
                | Action::ResetAll
                | Action::SetSeed(_)
                | Action::RerollSeed
                | Action::SetRuns(_)
                | Action::SetHorizon(_)
                | Action::SelectPair(_)
                | Action::SelectOutcome(_)
                | Action::SetMonth(_)
                | Action::SetUncertain(_)
                | Action::ApplyView(_)
                | Action::MarkEvent(..)
        );
        let before = (user_change && self.held_link.is_some()).then(|| self.link_inputs());
        self.apply_action(action);
        if before.is_some_and(|before| before != self.link_inputs()) {
            self.held_link = None;
        }
    }

    fn apply_action(&mut self, action: Action) {
        match action {
            Action::SelectScenario(id) => {
                if id != self.scenario.id || self.carried.is_some() {
                    if let Some(scenario) = load_builtin(&id) {
                        let generation = self.generation;
                        *self = State::new(scenario);
                        self.generation = generation;
                        self.inputs_changed();
                    }
                }
            }
            Action::UseScenario(scenario, text) => {
                let generation = self.generation;
                *self = State::new((*scenario).clone());
                self.carried = Some(text);
                self.generation = generation;
                self.inputs_changed();
            }
            Action::SetValue(index, value) => {
                let Some(assumption) = self.scenario.assumptions.get(index) else {
                    return;
                };
                if assumption.accepts(value) && self.values[index] != value {
                    self.values[index] = value;
                    self.inputs_changed();
                }
            }
            Action::ResetValue(index) => {
                if let Some(assumption) = self.scenario.assumptions.get(index) {
                    if self.values[index] != assumption.default {
                        self.values[index] = assumption.default;
                        self.inputs_changed();
                    }
                }
            }
            Action::ResetAll => {
                let defaults = self.scenario.defaults();
                let settings = self.scenario.default_settings();
                self.view.named = None;
                let marked = self.scenario.observations().next().is_some();
                if marked {
                    Rc::make_mut(&mut self.scenario)
                        .events
                        .iter_mut()
                        .for_each(|e| e.observed = None);
                }
                if marked || self.values != defaults || self.settings != settings {
                    self.values = defaults;
                    self.settings = settings;
                    self.view.month = self.view.month.min(settings.horizon);
                    self.inputs_changed();
                }
            }
            Action::SetSeed(seed) => {
                if seed != self.settings.seed {
                    self.settings.seed = seed;
                    self.inputs_changed();
                }
            }
            Action::RerollSeed => {
                self.settings.seed = next_seed(self.settings.seed);
                self.inputs_changed();
            }
            Action::SetRuns(runs) => {
                if (1..=MAX_RUNS).contains(&runs) && runs != self.settings.runs {
                    self.settings.runs = runs;
                    self.inputs_changed();
                }
            }
            Action::SetHorizon(horizon) => {
                if (1..=MAX_HORIZON).contains(&horizon) && horizon != self.settings.horizon {
                    let followed = self.view.month == self.settings.horizon;
                    self.settings.horizon = horizon;
                    self.view.month = if followed {
                        horizon
                    } else {
                        self.view.month.min(horizon)
                    };
                    self.inputs_changed();
                }
            }
            Action::SelectPair(pair) => {
                if pair < self.scenario.pairs.len() {
                    self.view.pair = pair;
                }
            }
            Action::SelectOutcome(outcome) => {
                if outcome < self.scenario.outcomes.len() {
                    self.view.outcome = outcome;
                }
            }
            Action::SetMonth(month) => self.view.month = month.min(self.settings.horizon),
            Action::SetUncertain(on) => self.view.uncertain = on,
            Action::ApplyView(named) => {
                if named.is_some_and(|v| v >= self.scenario.views.len()) {
                    return;
                }
                let values = match named {
                    Some(v) => self.scenario.view_values(&self.scenario.views[v]),
                    None => self.scenario.defaults(),
                };
                self.view.named = named;
                if values != self.values {
                    self.values = values;
                    self.inputs_changed();
                }
            }
            Action::MarkEvent(event, observed) => {
                let valid = observed.is_none_or(|o| (1..=MAX_HORIZON as u32).contains(&o.month()));
                if valid && self.scenario.events.get(event).is_some_and(|e| e.observed != observed) {
                    Rc::make_mut(&mut self.scenario).events[event].observed = observed;
                    self.inputs_changed();
                }
            }
            Action::DismissNotices => self.notices.clear(),
            Action::WorkerFailed(reason) => {
                if self.progress.is_some() {
                    self.worker_failure = Some(reason);
                    self.progress = None;
                    self.partial = None;
                }
            }
            Action::RetryWorker => {
                self.worker_failure = None;
                self.worker_attempt += 1;
                self.progress = Some(0.0);
            }
            Action::OfferRestore(links) => self.restore_offer = links,
            Action::AcceptRestore(index) => {
                if let Some(link) = self.restore_offer.get(index).cloned() {
                    self.restore_offer.clear();
                    self.apply_action(Action::OpenLink(link));
                }
            }
            Action::DeclineRestore => self.restore_offer.clear(),
            Action::OpenLink(fragment) => {
                let kept = (
                    self.summary.clone(),
                    self.indicators.clone(),
                    self.readings.clone(),
                    self.summary_generation,
                    self.last_run_milliseconds,
                    self.worker_attempt,
                );
                let generation = self.generation;
                let scenario_id = self.scenario.id.clone();
                let analyses = std::mem::take(&mut self.analyses);
                *self = State::from_link(&fragment);
                let linked_without = self.compared_without();
                let (summary, indicators, readings, summary_generation, last_run_milliseconds, worker_attempt) = kept;
                self.worker_attempt = worker_attempt;
                // Back/forward within a scenario keeps the analyses (marked as of other inputs), and
                // the last results on show (dimmed) until the link's own arrive. Another scenario's
                // numbers would stand under this one's labels: they go.
                if self.scenario.id == scenario_id {
                    self.analyses = analyses;
                    (
                        self.summary,
                        self.indicators,
                        self.readings,
                        self.summary_generation,
                        self.last_run_milliseconds,
                    ) = (summary, indicators, readings, summary_generation, last_run_milliseconds);
                }
                self.generation = generation;
                self.inputs_changed();
                if let Some(source) = linked_without {
                    self.compare_without(source);
                }
            }
            Action::Progress {
                generation,
                fraction,
                bands,
            } => {
                if generation == self.generation {
                    self.progress = Some(fraction);
                    self.partial = Some(bands);
                }
            }
            Action::Preliminary {
                generation,
                runs,
                outcomes,
            } => {
                if generation == self.generation {
                    self.preliminary = Some((runs, outcomes));
                }
            }
            Action::Finished {
                generation,
                summary,
                indicators,
                readings,
                milliseconds,
            } => {
                if generation == self.generation {
                    self.preliminary = None;
                    self.summary = Some(summary);
                    self.indicators = Some(indicators);
                    self.readings = Some(readings);
                    self.summary_generation = generation;
                    self.progress = None;
                    self.partial = None;
                    self.last_run_milliseconds = Some(milliseconds);
                }
            }
            Action::Analysis(action) => {
                let inputs = analyses::Inputs {
                    scenario: &self.scenario,
                    values: &self.values,
                    settings: self.settings,
                    generation: self.generation,
                };
                self.analyses.apply(action, inputs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_through_the_state() {
        let mut state = State::default_builtin();
        state.apply(Action::SetValue(3, state.scenario.assumptions[3].range.0));
        state.apply(Action::SetSeed(77));
        state.apply(Action::SetRuns(500));
        state.apply(Action::SelectPair(4));
        state.apply(Action::SelectOutcome(2));
        state.apply(Action::SetMonth(12));
        assert!(state.link().contains("view.outcome="), "{}", state.link());
        let reopened = State::from_link(&state.link());
        assert_eq!(reopened.values, state.values);
        assert_eq!(reopened.settings, state.settings);
        assert_eq!(reopened.view, state.view);
        assert!(reopened.notices.is_empty(), "{:?}", reopened.notices);
    }

    #[test]
    fn each_scenario_opens_on_the_outcome_and_pair_its_file_chooses() {
        for id in builtin_ids() {
            let scenario = load_builtin(id).unwrap();
            let opening = scenario.opening.clone();
            let state = State::new(scenario);
            assert_eq!(
                (state.view.outcome, state.view.pair),
                (opening.outcome, opening.pair),
                "{id}"
            );
            // The file's choice is the default: a fresh state's link does not repeat it.
            assert!(!state.link().contains("view.outcome"), "{id}: {}", state.link());
        }
        // The Russia–North Korea file used to open on China–North Korea (its first outcome's pair).
        let dprk = State::new(load_builtin("russia-dprk-alignment").unwrap());
        assert_eq!(dprk.scenario.pair_key(dprk.view.pair), "RUS-PRK");
    }

    #[test]
    fn the_embedded_view_keeps_its_link_and_names_the_full_page() {
        let mut state = State::default_builtin();
        state.apply(Action::SetSeed(5));
        let embedded = State::from_link(&state.link_as(true));
        assert!(embedded.view.embed && embedded.notices.is_empty());
        assert_eq!(embedded.link(), state.link_as(true), "the address bar keeps embed=1");
        assert_eq!(embedded.link_as(false), state.link(), "the full page's link");
        assert_eq!((&embedded.values, embedded.settings), (&state.values, state.settings));
    }

    #[test]
    fn input_changes_start_a_new_generation_and_old_results_are_ignored() {
        let mut state = State::default_builtin();
        let before = state.generation;
        state.apply(Action::SelectPair(2));
        assert_eq!(state.generation, before, "the view does not change the numbers");
        state.apply(Action::RerollSeed);
        assert_eq!(state.generation, before + 1);
        state.apply(small_run_finished(&state, before));
        assert!(
            state.current_summary().is_none(),
            "a result for an older generation is not current"
        );
        state.apply(small_run_finished(&state, state.generation));
        assert!(state.current_summary().is_some());
    }

    /// A run of `state`'s inputs (10 runs) finished, as the worker reports it for `generation`.
    fn small_run_finished(state: &State, generation: u64) -> Action {
        let settings = Settings {
            runs: 10,
            ..state.settings
        };
        let model = state.scenario.model(&state.values);
        let mut ensemble = crate::engine::Ensemble::new(model.clone(), settings);
        ensemble.finish();
        Action::Finished {
            generation,
            summary: Rc::new(ensemble.summary()),
            indicators: Rc::new(OutcomeRuns::from_ensemble(&ensemble)),
            readings: Rc::new(RunReadings::of(&ensemble, |_| &model.weights)),
            milliseconds: 1.0,
        }
    }

    #[test]
    fn a_link_keeps_the_last_results_on_show_only_for_its_own_scenario() {
        let mut state = State::default_builtin();
        state.apply(small_run_finished(&state, state.generation));
        let seed = state.settings.seed;
        let same = state
            .link()
            .replace(&format!("seed={seed}&"), &format!("seed={}&", seed + 1));
        assert_ne!(same, state.link(), "the link names its seed");
        state.apply(Action::OpenLink(same));
        assert!(state.is_stale(), "the link's run is to come");
        assert!(state.summary.is_some() && state.indicators.is_some() && state.readings.is_some());
        assert_eq!(state.last_run_milliseconds, Some(1.0));

        let other = builtin_ids()
            .find(|id| *id != state.scenario.id)
            .expect("two built-ins");
        state.apply(Action::OpenLink(format!("v=1&s={other}")));
        assert_eq!(state.scenario.id, other);
        assert!(state.summary.is_none() && state.indicators.is_none() && state.readings.is_none());
        assert_eq!(state.last_run_milliseconds, None);
    }

    #[test]
    fn preliminary_outcomes_show_until_the_run_finishes() {
        let mut state = State::default_builtin();
        let outcomes = Rc::new(vec![
            crate::engine::Proportion::of(5, 10);
            state.scenario.outcomes.len()
        ]);
        state.apply(Action::Preliminary {
            generation: state.generation - 1,
            runs: 10,
            outcomes: outcomes.clone(),
        });
        assert!(
            state.preliminary.is_none(),
            "an old job's preliminary numbers are ignored"
        );
        state.apply(Action::Preliminary {
            generation: state.generation,
            runs: 10,
            outcomes,
        });
        assert_eq!(state.preliminary.as_ref().map(|p| p.0), Some(10));
        state.apply(Action::RerollSeed);
        assert!(state.preliminary.is_none(), "new inputs drop them");
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let mut state = State::default_builtin();
        let (lo, _) = state.scenario.assumptions[0].range;
        let before = state.values.clone();
        state.apply(Action::SetValue(0, lo - 1.0));
        state.apply(Action::SetValue(0, f64::NAN));
        state.apply(Action::SetRuns(0));
        state.apply(Action::SetHorizon(MAX_HORIZON + 1));
        assert_eq!(state.values, before);
    }

    #[test]
    fn a_bad_link_keeps_what_is_valid_and_says_what_was_ignored() {
        let good = State::default_builtin();
        let id = good.scenario.assumptions[0].id.clone();
        let link = format!(
            "v=1&s={}&seed=12&runs=lots&{id}=banana&view.pair=XX-YY",
            good.scenario.id
        );
        let state = State::from_link(&link);
        assert_eq!(state.settings.seed, 12);
        assert_eq!(state.settings.runs, good.settings.runs);
        assert_eq!(state.values, good.values);
        assert_eq!(state.notices.len(), 3, "{:?}", state.notices);
        let unknown = State::from_link("v=1&s=no-such-scenario&seed=44&runs=500&model.balance=0.1");
        assert!(
            unknown
                .notices
                .iter()
                .any(|n| n.contains("no built-in scenario") && n.contains("1 assumption value was not")),
            "{:?}",
            unknown.notices
        );
        assert_eq!(
            (unknown.settings.seed, unknown.settings.runs),
            (44, 500),
            "scenario-independent settings are kept"
        );
        assert_eq!(unknown.values, unknown.scenario.defaults());
        assert!(State::from_link("").notices.is_empty());
    }

    #[test]
    fn a_loaded_scenario_travels_inside_the_link() {
        let builtin = State::default_builtin();
        let mut text = crate::scenario::scenario_to_toml(&builtin.scenario, &builtin.values, builtin.settings);
        text = text.replacen(
            &format!("title = \"{}\"", builtin.scenario.title),
            "title = \"My own variant\"",
            1,
        );
        let scenario = crate::scenario::parse_scenario("mine.toml", &text).unwrap();
        let mut state = State::default_builtin();
        state.apply(Action::UseScenario(Rc::new(scenario), Rc::new(text.clone())));
        state.apply(Action::SetValue(1, state.scenario.assumptions[1].range.0));
        let link = state.link();
        assert!(link.contains("&c="), "the link carries the file");
        let reopened = State::from_link(&link);
        assert_eq!(reopened.scenario.title, "My own variant");
        assert_eq!(reopened.values, state.values);
        assert_eq!(reopened.carried.as_deref(), Some(&text));
        assert!(reopened.notices.is_empty(), "{:?}", reopened.notices);
        // Choosing a built-in again drops the carried file.
        state.apply(Action::SelectScenario(builtin.scenario.id.clone()));
        assert!(state.carried.is_none() && !state.link().contains("&c="));
    }

    #[test]
    fn a_worker_failure_keeps_the_page_usable_and_a_retry_restarts() {
        let mut state = State::default_builtin();
        state.apply(Action::WorkerFailed("no answer".into()));
        assert_eq!(state.worker_failure.as_deref(), Some("no answer"));
        assert!(state.progress.is_none());
        state.apply(Action::RetryWorker);
        assert!(state.worker_failure.is_none() && state.progress.is_some() && state.worker_attempt == 1);
        // Moving a slider after a failure starts a new job (and clears the message).
        state.apply(Action::WorkerFailed("again".into()));
        state.apply(Action::RerollSeed);
        assert!(state.worker_failure.is_none() && state.progress.is_some());
    }

    #[test]
    fn the_last_session_is_offered_and_restored() {
        let mut before = State::default_builtin();
        before.apply(Action::SetSeed(31));
        let mut state = State::default_builtin();
        state.apply(Action::OfferRestore(vec![before.link()]));
        state.apply(Action::AcceptRestore(0));
        assert_eq!(state.settings.seed, 31);
        assert!(state.restore_offer.is_empty());
    }

    #[test]
    fn a_damaged_carried_scenario_is_reported() {
        let state = State::from_link("v=1&s=x&c=AAAA");
        assert!(
            state.notices.iter().any(|n| n.contains("damaged")),
            "{:?}",
            state.notices
        );
    }

    #[test]
    fn reset_all_restores_defaults() {
        let mut state = State::default_builtin();
        state.apply(Action::SetValue(0, state.scenario.assumptions[0].range.1));
        state.apply(Action::SetHorizon(12));
        state.apply(Action::ResetAll);
        assert_eq!(state.values, state.scenario.defaults());
        assert_eq!(state.settings, state.scenario.default_settings());
    }

    #[test]
    fn a_named_view_sets_its_values_and_travels_in_the_link_as_a_label() {
        let mut state = State::from_link("v=1&s=sino-russian-drift");
        let essay = state
            .scenario
            .views
            .iter()
            .position(|v| v.id == "essay-thesis")
            .unwrap();
        let generation = state.generation;
        state.apply(Action::ApplyView(Some(essay)));
        assert_eq!(state.values, state.scenario.view_values(&state.scenario.views[essay]));
        assert!(state.generation > generation, "new values, new results");
        let link = state.link();
        assert!(link.contains("view.named=essay-thesis"), "{link}");
        let reopened = State::from_link(&link);
        assert_eq!(reopened.view.named, Some(essay));
        assert_eq!(reopened.values, state.values);
        assert!(reopened.notices.is_empty(), "{:?}", reopened.notices);
        // Back to the defaults; an index past the views changes nothing.
        state.apply(Action::ApplyView(None));
        assert_eq!(state.values, state.scenario.defaults());
        assert!(!state.link().contains("view.named"));
        let before = state.clone();
        state.apply(Action::ApplyView(Some(99)));
        assert_eq!(state, before);
    }

    #[test]
    fn marked_events_change_the_model_and_the_link_and_reset_all_clears_them() {
        let mut state = State::from_link("v=1&s=sino-russian-drift");
        let event = state.scenario.event_index("ukraine-settlement").unwrap();
        let generation = state.generation;
        state.apply(Action::MarkEvent(event, Some(Observation::HappenedIn(4))));
        assert!(state.generation > generation);
        assert_eq!(state.scenario.model(&state.values).events[event].certain_month, Some(4));
        let link = state.link();
        assert!(link.contains("happened.ukraine-settlement=4"), "{link}");
        assert_eq!(
            State::from_link(&link).scenario.events[event].observed,
            Some(Observation::HappenedIn(4))
        );
        // Month 0 is the start, not a month of the run: refused, nothing changes.
        let before = state.clone();
        state.apply(Action::MarkEvent(event, Some(Observation::NotBy(0))));
        assert_eq!(state, before);
        state.apply(Action::MarkEvent(event, Some(Observation::NotBy(9))));
        assert_eq!(state.scenario.model(&state.values).events[event].window.0, 10);
        state.apply(Action::ResetAll);
        assert_eq!(state.scenario.observations().count(), 0);
        assert!(!state.link().contains("notby."));
    }
}
