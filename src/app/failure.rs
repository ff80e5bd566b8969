//! When the page's wasm panics: a readable banner, built with plain DOM calls (the Yew app may be
//! gone), with a way back to the scenario's defaults. Text is set as text, never as markup.

use wasm_bindgen::JsCast;

fn banner_text(info: &std::panic::PanicHookInfo<'_>) -> String {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".to_string());
    let place = info
        .location()
        .map(|l| format!(" ({}:{})", l.file(), l.line()))
        .unwrap_or_default();
    format!("The page stopped because of an internal error: {what}{place}. Your settings are still in the address bar.")
}

/// The address of the current scenario at its defaults (a real navigation, so the page reloads).
fn reset_address() -> String {
    let window = gloo::utils::window();
    let location = window.location();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    let fragment = crate::app::browser::current_fragment();
    let scenario = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("s="))
        .filter(|id| id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or("");
    // A carried scenario cannot be kept by this reset; the first built-in opens instead.
    if fragment.contains("&c=") || scenario.is_empty() {
        format!("{path}?reset")
    } else {
        format!("{path}?reset#v=1&s={scenario}")
    }
}

/// Shows a message in the same banner, for failures before the app is up.
pub fn show_message(message: &str) {
    let _ = show(message);
}

fn show(message: &str) -> Option<()> {
    let document = gloo::utils::document();
    let body = document.body()?;
    let banner = document.create_element("div").ok()?;
    banner.set_class_name("panic-banner");
    banner.set_attribute("role", "alert").ok()?;
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(message));
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&reset_address());
    link.set_text_content(Some("Reset to the scenario's defaults"));
    banner.append_child(&text).ok()?;
    banner.append_child(&link).ok()?;
    body.prepend_with_node_1(&banner).ok()?;
    Some(())
}

/// Installs the banner as the panic hook, through Yew's own setter: Yew replaces any hook set
/// with `std::panic::set_hook` by its console hook when the app is rendered, which left a panic
/// in the running page without a banner.
pub fn install_panic_banner() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = banner_text(info);
        web_sys::console::error_1(&message.clone().into());
        let _ = show(&message);
    }));
}
