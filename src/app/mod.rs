//! The page (wasm only): Yew function components over [`crate::state`].
//!
//! One reducer holds the [`State`]; components render it and dispatch [`Action`]s. The engine
//! runs in a Web Worker ([`worker`]); the share link is rewritten (debounced) on every change.

mod browser;
mod components;
pub mod worker;

use std::rc::Rc;

use gloo::worker::Spawnable;
use yew::prelude::*;

use crate::state::{Action, State};
use components::{Controls, Header, Results, ScenarioPanel};
use worker::{Job, Report, SimWorker};

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
    let state = use_reducer(|| State::from_link(&browser::current_fragment()));

    // The worker, spawned once; its reports become actions.
    let bridge = {
        let dispatch = state.dispatcher();
        use_memo((), move |_| {
            SimWorker::spawner()
                .callback(move |report: Report| {
                    dispatch.dispatch(match report {
                        Report::Progress { id, fraction, bands } => Action::Progress { generation: id, fraction, bands: Rc::new(bands) },
                        Report::Finished { id, summary, milliseconds } => {
                            Action::Finished { generation: id, summary: Rc::new(summary), milliseconds }
                        }
                    })
                })
                .spawn_with_loader("./worker_loader.js")
        })
    };

    // A new job whenever an input of the model changes; it replaces the running one.
    {
        let bridge = bridge.clone();
        let job_state = state.clone();
        use_effect_with(state.generation, move |generation| {
            bridge.send(Job {
                id: *generation,
                model: job_state.scenario.model(&job_state.values),
                settings: job_state.settings,
            });
        });
    }

    // The link follows the state, debounced; editing the address bar (or back/forward to an
    // entry with another fragment) opens that link.
    let link = state.link();
    let written = use_mut_ref(String::new);
    {
        let written = written.clone();
        use_effect_with(link.clone(), move |link| {
            let link = link.clone();
            let timeout = gloo::timers::callback::Timeout::new(LINK_DEBOUNCE_MILLISECONDS, move || {
                browser::replace_fragment(&link);
                *written.borrow_mut() = link;
            });
            move || drop(timeout)
        });
    }
    {
        let dispatch = state.dispatcher();
        let written = written.clone();
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let fragment = browser::current_fragment();
                if *written.borrow() != fragment {
                    dispatch.dispatch(Action::OpenLink(fragment));
                }
            });
            move || drop(listener)
        });
    }

    let dispatch = state.dispatcher();
    let scenario = Shared(state.scenario.clone());
    html! {
        <>
            <Header notices={state.notices.clone()} dispatch={dispatch.clone()} />
            <main class="layout">
                <aside class="inputs" aria-label="Assumptions and settings">
                    <ScenarioPanel scenario={scenario.clone()} dispatch={dispatch.clone()} />
                    <Controls
                        scenario={scenario.clone()}
                        values={Rc::new(state.values.clone())}
                        settings={state.settings}
                        dispatch={dispatch.clone()}
                    />
                </aside>
                <Results state={state.clone()} link={browser::share_url(&link)} />
            </main>
        </>
    }
}

/// Mounts the page on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
