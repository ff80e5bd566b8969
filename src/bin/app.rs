//! The page (wasm only): see `alignment_sim::app`.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<Placeholder>::new().render();
}

#[cfg(target_arch = "wasm32")]
#[yew::component]
fn Placeholder() -> yew::Html {
    let s = alignment_sim::scenario::builtin("sino-russian-drift").unwrap().unwrap();
    yew::html! { <p>{ s.title }</p> }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
