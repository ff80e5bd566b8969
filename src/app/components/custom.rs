//! Bringing your own scenario: upload a file or paste its text; problems are listed by line and
//! field, and a valid scenario replaces the current one (and travels inside the share link).
//! Also: download the current state as a scenario file whose defaults are the slider values.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::text::message;
use crate::app::browser::download;
use crate::app::Shared;
use crate::engine::Settings;
use crate::scenario::{
    file_too_large, parse_scenario, scenario_text, scenario_to_toml, Scenario, ScenarioError, MAX_FILE_BYTES,
};

#[derive(Properties, PartialEq)]
pub struct LoaderProps {
    /// Use this valid scenario and its file text.
    pub on_file: Callback<(Rc<Scenario>, Rc<String>)>,
}

/// Validates `text` and either uses it or returns its problems.
fn try_load(name: &str, text: String, on_file: &Callback<(Rc<Scenario>, Rc<String>)>) -> Vec<ScenarioError> {
    match parse_scenario(name, &text) {
        Ok(scenario) => {
            on_file.emit((Rc::new(scenario), Rc::new(text)));
            Vec::new()
        }
        Err(errors) => errors.0,
    }
}

#[component]
pub fn ScenarioLoader(props: &LoaderProps) -> Html {
    // The problems, and the file they are about (named above the list).
    let errors = use_state(Vec::<ScenarioError>::new);
    let pasted = use_node_ref();
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);

    let onfile = {
        let errors = errors.clone();
        let on_file = props.on_file.clone();
        let reader = reader.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let name = file.name();
            if file.size() > MAX_FILE_BYTES as f64 {
                errors.set(vec![file_too_large(&name, file.size() as u64)]);
                return;
            }
            let errors = errors.clone();
            let on_file = on_file.clone();
            let file = gloo::file::File::from(file);
            // Read as bytes, then the same UTF-8 rule as the command line (no replaced bytes).
            *reader.borrow_mut() = Some(gloo::file::callbacks::read_as_bytes(
                &file,
                move |result| match result {
                    Ok(bytes) => match scenario_text(&name, bytes) {
                        Ok(text) => errors.set(try_load(&name, text, &on_file)),
                        Err(problems) => errors.set(problems.0),
                    },
                    Err(_) => errors.set(vec![ScenarioError {
                        file: name.clone(),
                        line: None,
                        field: String::new(),
                        message: "the browser could not read the file".into(),
                    }]),
                },
            ));
            input.set_value("");
        })
    };
    let onpaste = {
        let errors = errors.clone();
        let on_file = props.on_file.clone();
        let pasted = pasted.clone();
        Callback::from(move |_| {
            let Some(area) = pasted.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = area.value();
            if text.len() > MAX_FILE_BYTES {
                errors.set(vec![file_too_large("pasted text", text.len() as u64)]);
                return;
            }
            let problems = try_load("pasted text", text, &on_file);
            if problems.is_empty() {
                area.set_value("");
            }
            errors.set(problems);
        })
    };
    html! {
        <details class="loader">
            <summary>{ "Use your own scenario file" }</summary>
            <p class="caption">{ "A scenario file (TOML, format 1) as described in the README. It stays in your browser; the share link carries it, compressed." }</p>
            <label for="scenario-file">{ "Upload a file" }</label>
            <input id="scenario-file" type="file" accept=".toml,text/plain" onchange={onfile} />
            <label for="scenario-text">{ "or paste its text" }</label>
            <textarea id="scenario-text" rows="6" ref={pasted} spellcheck="false" />
            <button type="button" onclick={onpaste}>{ "Load pasted scenario" }</button>
            if !errors.is_empty() {
                <div class="message load-errors" role="alert">
                    <p><strong>{ format!(
                        "The scenario in {} was not loaded ({} problem{}):",
                        errors.first().map_or("the file".to_string(), |e| if e.file == "pasted text" { "the pasted text".to_string() } else { format!("“{}”", e.file) }),
                        errors.len(),
                        if errors.len() == 1 { "" } else { "s" }
                    ) }</strong></p>
                    <ul>
                        for error in errors.iter() {
                            <li>
                                if let Some(line) = error.line { <span class="where">{ format!("line {line}") }</span>{ " " } }
                                if !error.field.is_empty() { <code>{ error.field.clone() }</code>{ ": " } }
                                { message(&error.message) }
                            </li>
                        }
                    </ul>
                    <p>{ "Nothing else changed: the current scenario and your settings are as they were." }</p>
                </div>
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    pub scenario: Shared<Scenario>,
    pub values: Rc<Vec<f64>>,
    pub settings: Settings,
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// "Download as a scenario file": the current slider values become the file's defaults.
#[component]
pub fn DownloadScenario(props: &DownloadProps) -> Html {
    let status = use_state(String::new);
    let onclick = {
        let (scenario, values, settings, status) = (
            props.scenario.clone(),
            props.values.clone(),
            props.settings,
            status.clone(),
        );
        Callback::from(move |_| {
            let text = scenario_to_toml(&scenario, &values, settings);
            match download(&format!("{}.toml", scenario.id), &text, "application/toml") {
                Ok(()) => status.set(String::new()),
                Err(reason) => status.set(format!("The download did not start: {reason}.")),
            }
        })
    };
    html! {
        <span class="download">
            <button type="button" {onclick}>{ props.label.clone().unwrap_or_else(|| "Download as a scenario file".into()) }</button>
            if !status.is_empty() { <span role="status">{ (*status).clone() }</span> }
        </span>
    }
}
