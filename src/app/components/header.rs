//! The title, the always-visible notice that this is speculative, "how to read this", and the
//! messages the page has for the user: parts of a link it could not use, a failed worker, and
//! the offer to restore the last session.

use yew::prelude::*;

use super::text::message;
use crate::sessions::describe_saved;
use crate::state::State;

/// What the header's buttons ask for.
pub struct HeaderCallbacks {
    /// Start the worker again after a failure.
    pub on_retry: Callback<()>,
    /// Restore the saved session with this index in the offer (0: the newest).
    pub on_restore: Callback<usize>,
    /// Decline the offer to restore.
    pub on_start_fresh: Callback<()>,
    pub on_dismiss_notices: Callback<()>,
}

/// A plain function rather than a component: the header shows parts of the whole state (which
/// changes on every action anyway), and each component type costs the bundle its own copy of
/// Yew's machinery.
pub fn header(state: &State, callbacks: &HeaderCallbacks) -> Html {
    let click = |callback: &Callback<()>| callback.reform(|_: MouseEvent| ());
    let restore = |index: usize| callbacks.on_restore.reform(move |_: MouseEvent| index);
    html! {
        <header class="page-header">
            <h1>{ "Great-power alignment: a scenario simulator" }</h1>
            <p class="notice" role="note">
                <strong>{ "Speculative model, not a forecast. " }</strong>
                { "Every number that goes in is an assumption drawn from opinion pieces and unverified reports, shown with its rationale, sources and confidence. Move the sliders to see what the assumptions imply; nothing here predicts what will happen." }
            </p>
            <details class="how-to-read">
                <summary>{ "How to read this" }</summary>
                <ul>
                    <li>{ "Alignment runs from −1 (hostile) through 0 (neutral) to +1 (aligned) for each pair of actors." }</li>
                    <li>{ "Each run is one possible path: monthly drift toward a baseline, random shocks, events that may or may not happen, and a pull toward balanced triangles (\"the friend of my friend\")." }</li>
                    <li>{ "Fan charts show the spread over all runs: the dark line is the median, the inner band holds the middle half of runs (25–75 %), the outer band 90 % of runs (5–95 %)." }</li>
                    <li>{ "Probabilities are shares of runs, given these assumptions, with their Monte Carlo error (±, in percentage points). More runs shrink the error; they do not make the assumptions truer." }</li>
                    <li>{ "Blocs: for each run, the split of the actors into two camps that best fits its alignments at the horizon." }</li>
                </ul>
            </details>
            if let Some(reason) = &state.worker_failure {
                <div class="message failure" role="alert">
                    <p><strong>{ "The simulation did not finish: " }</strong>{ message(reason) }
                        { ". The sliders still work; the numbers shown are from the last finished run." }</p>
                    <button type="button" onclick={click(&callbacks.on_retry)}>{ "Retry" }</button>
                </div>
            }
            if let Some(last) = state.restore_offer.first() {
                <div class="message restore" role="region" aria-label="Restore last session">
                    <p>{ format!("You have a saved session from your last visit ({}). Restore it?", describe_saved(last)) }</p>
                    <button type="button" onclick={restore(0)}>{ "Restore last session" }</button>
                    { " " }
                    <button type="button" onclick={click(&callbacks.on_start_fresh)}>{ "Start fresh" }</button>
                    if state.restore_offer.len() > 1 {
                        <details class="earlier-sessions">
                            <summary>{ format!("Earlier sessions ({})", state.restore_offer.len() - 1) }</summary>
                            <ul>
                                for (index, link) in state.restore_offer.iter().enumerate().skip(1) {
                                    <li>
                                        { describe_saved(link) }{ " " }
                                        <button type="button" onclick={restore(index)}
                                            aria-label={format!("Restore the session: {}", describe_saved(link))}>{ "Restore" }</button>
                                    </li>
                                }
                            </ul>
                        </details>
                    }
                </div>
            }
            if !state.notices.is_empty() {
                <div class="message link-notices" role="alert">
                    <p><strong>{ "Parts of the link could not be used:" }</strong></p>
                    <ul>
                        for notice in state.notices.iter() {
                            <li>{ message(notice) }</li>
                        }
                    </ul>
                    <p>{ "Everything else in the link was applied." }</p>
                    if state.held_link.is_some() {
                        <p class="held-link">{ "The address bar still holds the link as it was opened, with the parts above, so a reload or a copied address loses nothing. It is not saved as your session. When you change anything, it is replaced by this page's own link." }</p>
                    }
                    <button type="button" onclick={click(&callbacks.on_dismiss_notices)}>{ "Dismiss" }</button>
                </div>
            }
        </header>
    }
}
