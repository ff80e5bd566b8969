//! The page (wasm only): Yew function components over [`crate::state`].
//!
//! One reducer holds the [`State`]; components render it and dispatch [`Action`]s. The engine
//! runs in Web Workers ([`worker`]), driven from one place (`runner`); the share link is rewritten (debounced) on every change,
//! saved for the next visit, and read back on back/forward.

mod browser;
mod components;
mod failure;
mod image;
pub(crate) mod runner;
pub mod worker;

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, State};
use components::{
    embed, glossary, header, headline, shown_bands, shown_outcomes, Controls, ControlsCallbacks, HeaderCallbacks,
    HeadlineProps, Results, ScenarioCallbacks, ScenarioPanel,
};

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// Sends actions to the page's reducer.
pub type Dispatch = UseReducerDispatcher<State>;

/// An `Rc` compared by identity: props holding a scenario or a summary compare in O(1).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Debounce of the link written to the address bar.
const LINK_DEBOUNCE_MILLISECONDS: u32 = 250;

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let fragment = browser::current_fragment();
        let mut state = State::from_link(&fragment);
        if fragment.is_empty() {
            let offers = crate::sessions::restore_offers(&browser::saved_sessions(), &state.link());
            if !offers.is_empty() {
                state.apply(Action::OfferRestore(offers));
            }
        }
        state
    });
    // This page load's entry among the saved sessions.
    let session_id: Rc<String> = use_memo((), |_| {
        format!("{:.0}-{:.0}", js_sys::Date::now(), js_sys::Math::random() * 1e9)
    });

    // Every worker job the state asks for (the main ensemble, the analyses), and the watchdog.
    runner::use_runner(&state);

    // The link follows the state: a new history entry when the scenario changes, otherwise the
    // current entry is rewritten (debounced). It is also saved as this page's session. A link
    // opened with parts this page could not use stays in the address bar, unsaved, until the
    // user changes something (`held_link`), so neither a reload nor an earlier session loses it.
    let link = state.link();
    // The compact view in someone else's page leaves the address and the saved sessions alone.
    let held = state.held_link.is_some() || state.view.embed;
    let written = use_mut_ref(browser::current_fragment);
    let scenario_key = format!("{}#{}", state.scenario.id, state.scenario.content_hash);
    let written_scenario = use_mut_ref(|| scenario_key.clone());
    {
        let written = written.clone();
        let session_id = session_id.clone();
        use_effect_with((link.clone(), scenario_key, held), move |(link, scenario_key, held)| {
            let new_scenario = *written_scenario.borrow() != *scenario_key;
            *written_scenario.borrow_mut() = scenario_key.clone();
            let link = link.clone();
            let held = *held;
            let write = move || {
                if held {
                    return;
                }
                if *written.borrow() != link {
                    if new_scenario {
                        browser::push_fragment(&link);
                    } else {
                        browser::replace_fragment(&link);
                    }
                    *written.borrow_mut() = link.clone();
                }
                browser::save_session(&session_id, &link);
            };
            let timeout = if new_scenario {
                write();
                None
            } else {
                Some(gloo::timers::callback::Timeout::new(LINK_DEBOUNCE_MILLISECONDS, write))
            };
            move || drop(timeout)
        });
    }
    // Back/forward and edits of the address bar open the link found there.
    {
        let dispatch = state.dispatcher();
        let written = written.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let on_navigation = Rc::new(move || {
                let fragment = browser::current_fragment();
                if *written.borrow() != fragment {
                    *written.borrow_mut() = fragment.clone();
                    dispatch.dispatch(Action::OpenLink(fragment));
                }
            });
            let listeners: Vec<gloo::events::EventListener> = ["popstate", "hashchange"]
                .into_iter()
                .map(|event| {
                    let on_navigation = on_navigation.clone();
                    gloo::events::EventListener::new(&window, event, move |_| on_navigation())
                })
                .collect();
            move || drop(listeners)
        });
    }

    let dispatch = state.dispatcher();
    let scenario = Shared(state.scenario.clone());
    let on_headline_outcome = send(&dispatch, Action::SelectOutcome);
    let scenario_callbacks = {
        let dispatch = dispatch.clone();
        use_memo((), move |_| ScenarioCallbacks {
            on_scenario: send(&dispatch, Action::SelectScenario),
            on_view: send(&dispatch, Action::ApplyView),
            on_file: send(&dispatch, |(scenario, text)| Action::UseScenario(scenario, text)),
        })
    };
    let controls_callbacks = {
        let dispatch = dispatch.clone();
        use_memo((), move |_| ControlsCallbacks {
            on_value: send(&dispatch, |(index, value)| Action::SetValue(index, value)),
            on_reset: send(&dispatch, Action::ResetValue),
            on_reset_all: send(&dispatch, |()| Action::ResetAll),
            on_mark: send(&dispatch, |(event, observed)| Action::MarkEvent(event, observed)),
            on_seed: send(&dispatch, Action::SetSeed),
            on_reroll: send(&dispatch, |()| Action::RerollSeed),
            on_runs: send(&dispatch, Action::SetRuns),
            on_horizon: send(&dispatch, Action::SetHorizon),
        })
    };
    let pair = state.view.pair;
    let bands = shown_bands(&state);
    if state.view.embed {
        return embed(&state, browser::share_url(&state.link_as(false)));
    }
    html! {
        <>
            <nav class="skip-links" aria-label="Skip links">
                <a href="#results" onclick={skip_to("results")}>{ "Skip to results" }</a>
                <a href="#assumptions" onclick={skip_to("assumptions")}>{ "Skip to assumptions" }</a>
            </nav>
            { header(&state, &HeaderCallbacks {
                on_retry: send(&dispatch, |()| Action::RetryWorker),
                on_restore: send(&dispatch, Action::AcceptRestore),
                on_start_fresh: send(&dispatch, |()| Action::DeclineRestore),
                on_dismiss_notices: send(&dispatch, |()| Action::DismissNotices),
            }) }
            <main class="layout">
                { headline(HeadlineProps {
                    scenario: &scenario,
                    outcomes: shown_outcomes(&state),
                    bands: bands.as_ref().and_then(|b| b.get(pair)),
                    pair,
                    horizon: state.settings.horizon,
                    outcome: state.view.outcome,
                    on_outcome: on_headline_outcome,
                }) }
                <ScenarioPanel scenario={scenario.clone()} carried={state.carried.is_some()}
                    named_view={state.view.named} changed_since_view={changed_since_view(&state)}
                    callbacks={(*scenario_callbacks).clone()} />
                <Results state={state.clone()} link={browser::share_url(state.held_link.as_deref().unwrap_or(&link))}
                    embed_url={browser::share_url(&state.link_as(true))} />
                <aside class="inputs" aria-label="Assumptions and settings">
                    <Controls
                        scenario={scenario.clone()}
                        values={Rc::new(state.values.clone())}
                        settings={state.settings}
                        callbacks={(*controls_callbacks).clone()}
                    />
                    { glossary() }
                </aside>
            </main>
        </>
    }
}

/// A typed callback that sends the action `to` makes of its value: what children get instead of
/// the whole dispatch.
pub(crate) fn send<T: 'static>(dispatch: &Dispatch, to: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |value| dispatch.dispatch(to(value)))
}

/// A skip link's action: focus the target and bring its top into view, without touching the
/// address bar, whose fragment is the share link.
fn skip_to(id: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        if let Some(target) = gloo::utils::document()
            .get_element_by_id(id)
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = target.focus();
            target.scroll_into_view_with_bool(true);
        }
    })
}

/// How many values differ from the defaults under the named view the state started from (or
/// from the defaults): the view picker says "changed" rather than pretending the view holds.
fn changed_since_view(state: &State) -> usize {
    let start = match state.view.named {
        Some(v) => state.scenario.view_values(&state.scenario.views[v]),
        None => state.scenario.defaults(),
    };
    start.iter().zip(&state.values).filter(|(a, b)| a != b).count()
}

/// The page's one wasm module starts here (`crates/page`): in a window, the page; in a Web Worker
/// (`src/web/worker_loader.js` loads the same module), the engine's worker.
pub fn start_module() {
    if web_sys::window().is_some() {
        start();
    } else {
        worker::start();
    }
}

/// For the browser tests: panics inside the page's wasm, so that a test can check the panic
/// banner. Only script already running in the page can call it (the test imports `./app.js`);
/// nothing in a link reaches it, so a shared link cannot crash the page of whoever opens it.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic!("a panic was requested by a test (debug_panic)");
}

/// Fetches the built-in scenario files, then mounts the page on `<body>`; a panic hook shows
/// what happened instead of a dead page.
fn start() {
    failure::install_panic_banner();
    wasm_bindgen_futures::spawn_local(async {
        let mut missing = Vec::new();
        for id in crate::scenario::BUILTIN_IDS {
            match browser::fetch_text(&format!("./scenarios/{id}.toml")).await {
                Ok(text) => crate::scenario::provide_builtin_text(id, text),
                Err(reason) => missing.push(format!("{id} ({reason})")),
            }
        }
        if crate::scenario::builtin_ids().next().is_none() {
            failure::show_message(&format!(
                "The built-in scenario files could not be loaded: {}. Check the connection to this page's server and reload.",
                missing.join(", ")
            ));
            return;
        }
        yew::Renderer::<App>::new().render();
    });
}
