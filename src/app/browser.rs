//! The few browser facilities the page uses: the address bar, the clipboard, saved sessions,
//! downloads and fetching the page's own files.

use wasm_bindgen::JsValue;

use crate::sessions::{
    read_sessions, record_session, write_sessions, Session, KEPT_SESSIONS, OLD_STORAGE_KEY, STORAGE_KEY,
};

/// The fragment of the current address, without `#`.
pub fn current_fragment() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_string()
}

/// Rewrites the fragment without adding a history entry (and without a `hashchange` event).
pub fn replace_fragment(fragment: &str) {
    if let Ok(history) = gloo::utils::window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// The full address to share for a fragment.
pub fn share_url(fragment: &str) -> String {
    let location = gloo::utils::window().location();
    let href = location.href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Writes `text` to the clipboard; `Err` with a reason when the browser refuses.
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let clipboard = gloo::utils::window().navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| {
            e.as_string()
                .unwrap_or_else(|| "the browser did not allow it".to_string())
        })
}

/// Adds a history entry for a new fragment (the scenario changed), so Back returns to the last one.
pub fn push_fragment(fragment: &str) {
    if let Ok(history) = gloo::utils::window().history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok()?
}

/// The saved sessions, newest first (with the one link earlier versions kept, as the oldest).
pub fn saved_sessions() -> Vec<Session> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let mut sessions = read_sessions(&storage.get_item(STORAGE_KEY).ok().flatten().unwrap_or_default());
    if let Some(old) = storage.get_item(OLD_STORAGE_KEY).ok().flatten() {
        if !old.is_empty() && sessions.len() < KEPT_SESSIONS && sessions.iter().all(|s| s.link != old) {
            sessions.push(Session {
                id: "earlier".into(),
                link: old,
            });
        }
    }
    sessions
}

/// Saves `link` as the latest state of this page's session `id` (silently does nothing where
/// storage is refused). Other sessions are kept.
pub fn save_session(id: &str, link: &str) {
    if let Some(storage) = local_storage() {
        let sessions = record_session(&saved_sessions(), id, link);
        if storage.set_item(STORAGE_KEY, &write_sessions(&sessions)).is_ok() {
            let _ = storage.remove_item(OLD_STORAGE_KEY);
        }
    }
}

/// Offers `text` as a file download named `file_name`.
pub fn download(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| "could not make the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "could not make the file")?;
    let saved = save_url(&url, file_name);
    let _ = web_sys::Url::revoke_object_url(&url);
    saved
}

/// Offers the file at `url` (an object or data URL of this page) as a download named `file_name`.
pub fn save_url(url: &str, file_name: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let anchor: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|_| "could not offer the file")?
        .dyn_into()
        .map_err(|_| "could not offer the file")?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

/// A text file from this page's own origin.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    let response = wasm_bindgen_futures::JsFuture::from(gloo::utils::window().fetch_with_str(url))
        .await
        .map_err(|_| "no answer".to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no answer".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| "unreadable".to_string())?)
        .await
        .map_err(|_| "unreadable".to_string())?;
    text.as_string().ok_or_else(|| "not text".to_string())
}
