//! The one way the page reads a form control: parse its value and pass it on (to a typed
//! callback, or as the action built from it); a value that does not parse (an emptied number
//! field, say) changes nothing.

use std::str::FromStr;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew::TargetCast;

use crate::app::{send, Dispatch};
use crate::state::Action;

/// A control with a text value.
pub trait ValueElement: JsCast + AsRef<web_sys::EventTarget> {
    fn current_value(&self) -> String;
}

impl ValueElement for HtmlInputElement {
    fn current_value(&self) -> String {
        self.value()
    }
}

impl ValueElement for HtmlSelectElement {
    fn current_value(&self) -> String {
        self.value()
    }
}

/// A callback for events of type `E` on an element `El`: its value, parsed as `T`, becomes
/// `action(value)`.
pub fn on_value<E, El, T>(dispatch: &Dispatch, action: impl Fn(T) -> Action + 'static) -> Callback<E>
where
    E: TargetCast + 'static,
    El: ValueElement,
    T: FromStr + 'static,
{
    parsed::<E, El, T>(send(dispatch, action))
}

/// A callback for events of type `E` on an element `El` that passes its value, parsed as `T`,
/// to `target`.
pub fn parsed<E, El, T>(target: Callback<T>) -> Callback<E>
where
    E: TargetCast + 'static,
    El: ValueElement,
    T: FromStr + 'static,
{
    Callback::from(move |event: E| {
        let element: El = event.target_unchecked_into();
        if let Ok(value) = element.current_value().trim().parse::<T>() {
            target.emit(value);
        }
    })
}
