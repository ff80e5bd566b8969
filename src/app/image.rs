//! Charts as image files for slides and posts: a chart's SVG as drawn on the page, with the
//! styles it is drawn with written into it, under the scenario's title and the speculative notice
//! and above the share link; as SVG, or as PNG drawn from that SVG on a canvas (twice the size
//! on screen). Everything happens in this page: no request leaves it.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlImageElement};

/// Styles a chart's look depends on; they are copied into the file from the page's CSS (each is
/// also an SVG presentation attribute).
const STYLES: [&str; 10] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-size",
    "font-weight",
    "vector-effect",
];
const PAD: f64 = 12.0;
const HEAD: f64 = 52.0;
const LINE: f64 = 14.0;
/// Pixels per CSS pixel in the PNG.
const PNG_SCALE: f64 = 2.0;

/// An SVG file: its text and size in CSS pixels.
pub struct ChartImage {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The link in lines that fit the image's width (a link carrying a scenario file is cut after
/// four lines; the page has it whole).
fn link_lines(link: &str, chars: usize) -> Vec<String> {
    let chars = chars.max(20);
    let all: Vec<char> = link.chars().collect();
    let mut lines: Vec<String> = all.chunks(chars).take(4).map(|c| c.iter().collect()).collect();
    if all.len() > 4 * chars {
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// The image of every chart (`svg` element) inside `container`, each where it is drawn, with
/// the texts of the elements matching `captions` (titles of small charts; "" for none) where
/// they are.
pub fn chart_image(container: &Element, captions: &str, title: &str, link: &str) -> Result<ChartImage, String> {
    let window = gloo::utils::window();
    let style_of = |e: &Element| window.get_computed_style(e).ok().flatten();
    let all = |selector: &str| -> Vec<Element> {
        let found = match selector {
            "" => None,
            selector => container.query_selector_all(selector).ok(),
        };
        (0..found.as_ref().map_or(0, |f| f.length()))
            .filter_map(|i| found.as_ref()?.item(i)?.dyn_into::<Element>().ok())
            .collect()
    };
    let (svgs, captions) = (all("svg"), all(captions));
    // The image starts at the top left of what it shows (not at the container's headings).
    let (left, top) = svgs
        .iter()
        .chain(&captions)
        .fold((f64::INFINITY, f64::INFINITY), |(l, t), e| {
            let r = e.get_bounding_client_rect();
            (l.min(r.left()), t.min(r.top()))
        });
    let (mut width, mut height) = (0.0f64, 0.0f64);
    let mut body = String::new();
    for svg in &svgs {
        let rect = svg.get_bounding_client_rect();
        let (x, y) = (rect.left() - left, rect.top() - top);
        width = width.max(x + rect.width());
        height = height.max(y + rect.height());
        let copy: Element = svg
            .clone_node_with_deep(true)
            .map_err(|_| "could not copy the chart")?
            .unchecked_into();
        // The same elements in the same order in both trees: copy each one's computed style.
        let (from, to) = (
            svg.query_selector_all("*").map_err(|_| "no chart")?,
            copy.query_selector_all("*").map_err(|_| "no chart")?,
        );
        for k in 0..from.length() {
            let (Some(a), Some(b)) = (
                from.item(k).and_then(|n| n.dyn_into::<Element>().ok()),
                to.item(k).and_then(|n| n.dyn_into::<Element>().ok()),
            ) else {
                continue;
            };
            // As presentation attributes: a `style` attribute would be refused by the page's
            // Content-Security-Policy (style-src 'self'), and the file has no stylesheet.
            if let Some(style) = style_of(&a) {
                for property in STYLES {
                    if let Some(value) = style.get_property_value(property).ok().filter(|v| !v.is_empty()) {
                        let _ = b.set_attribute(property, &value);
                    }
                }
            }
        }
        for (name, value) in [
            ("x", x + PAD),
            ("y", y + HEAD),
            ("width", rect.width()),
            ("height", rect.height()),
        ] {
            let _ = copy.set_attribute(name, &format!("{value:.1}"));
        }
        body.push_str(&copy.outer_html());
    }
    if body.is_empty() {
        return Err("the chart is not drawn yet".into());
    }
    for e in &captions {
        let rect = e.get_bounding_client_rect();
        body.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{}\">{}</text>",
            rect.left() - left + PAD,
            rect.bottom() - top + HEAD - 3.0,
            style_of(e)
                .and_then(|s| s.get_property_value("color").ok())
                .unwrap_or_default(),
            escape(&e.text_content().unwrap_or_default())
        ));
    }
    let page = style_of(&gloo::utils::body().into());
    let colour = |p: &str| {
        page.as_ref()
            .and_then(|s| s.get_property_value(p).ok())
            .unwrap_or_default()
    };
    let full_width = width.max(420.0) + 2.0 * PAD;
    let lines = link_lines(link, ((full_width - 2.0 * PAD) / 6.2) as usize);
    let full_height = HEAD + height + PAD + LINE * lines.len() as f64 + PAD;
    let link_text: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            format!(
                "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"10.5\">{}</text>",
                HEAD + height + PAD + LINE * (i as f64 + 0.8),
                escape(line)
            )
        })
        .collect();
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{full_width:.0}\" height=\"{full_height:.0}\" viewBox=\"0 0 {full_width:.0} {full_height:.0}\" font-family=\"system-ui, sans-serif\">\
<rect width=\"100%\" height=\"100%\" fill=\"{}\"/><g fill=\"{}\"><text x=\"{PAD}\" y=\"22\" font-size=\"15\" font-weight=\"700\">{}</text>\
<text x=\"{PAD}\" y=\"40\" font-size=\"11.5\">Speculative model, not a forecast: every number follows from adjustable assumptions.</text>{link_text}</g>{body}</svg>",
        colour("background-color"),
        colour("color"),
        escape(title)
    );
    Ok(ChartImage {
        svg,
        width: full_width.round(),
        height: full_height.round(),
    })
}

/// Saves `image` as a PNG file named `file_name`: the SVG drawn on a canvas.
pub async fn download_png(image: &ChartImage, file_name: &str) -> Result<(), String> {
    let fail = |_: JsValue| "the browser could not draw the image".to_string();
    let picture = HtmlImageElement::new().map_err(fail)?;
    let encoded = String::from(js_sys::encode_uri_component(&image.svg));
    picture.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
    wasm_bindgen_futures::JsFuture::from(picture.decode())
        .await
        .map_err(fail)?;
    let canvas: HtmlCanvasElement = gloo::utils::document()
        .create_element("canvas")
        .map_err(fail)?
        .unchecked_into();
    let (w, h) = (image.width * PNG_SCALE, image.height * PNG_SCALE);
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(fail)?
        .ok_or("the browser has no canvas")?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&picture, 0.0, 0.0, w, h)
        .map_err(fail)?;
    let url = canvas.to_data_url().map_err(fail)?;
    super::browser::save_url(&url, file_name)
}
