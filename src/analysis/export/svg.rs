//! What the SVG files share: escaping for XML, the text colour, and (for the tests) a small
//! well-formedness check.

/// Text colour of titles, labels and ticks (dark grey, as the page's light theme).
pub(super) const TEXT_COLOUR: &str = "#333333";

/// Text for XML content and attribute values: the five special characters escaped, and the
/// characters XML 1.0 does not allow at all (most control characters) dropped.
pub(super) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A small well-formedness check: every tag closed in order, attributes quoted, no raw `<`, `>` or
/// `&` outside markup and entities. Enough to catch broken escaping, not a full XML parser.
/// Returns the number of elements.
#[cfg(test)]
pub(super) fn check_well_formed(doc: &str) -> Result<usize, String> {
    let body = doc
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .ok_or("no XML declaration")?;
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0;
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        check_text(&rest[..start])?;
        let end = rest[start..].find('>').ok_or("unclosed tag")? + start;
        let tag = &rest[start + 1..end];
        if tag.contains('<') {
            return Err(format!("`<` inside tag `{tag}`"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("`</{name}>` closes nothing"))?;
            if open != name {
                return Err(format!("`</{name}>` closes `<{open}>`"));
            }
        } else {
            elements += 1;
            if tag.matches('"').count() % 2 != 0 {
                return Err(format!("unbalanced quotes in `{tag}`"));
            }
            let name: String = tag.chars().take_while(|c| !c.is_whitespace() && *c != '/').collect();
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    check_text(rest)?;
    if !stack.is_empty() {
        return Err(format!("unclosed elements {stack:?}"));
    }
    Ok(elements)
}

#[cfg(test)]
fn check_text(text: &str) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
            .iter()
            .any(|e| entity.starts_with(e))
        {
            return Err(format!("raw `&` in `{}`", &text[i..(i + 12).min(text.len())]));
        }
    }
    if text.contains('>') {
        return Err(format!("raw `>` in text `{text}`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_and_forbidden_characters() {
        assert_eq!(
            xml("Tom & Jerry <b>\"x\"</b> 'y'"),
            "Tom &amp; Jerry &lt;b&gt;&quot;x&quot;&lt;/b&gt; &apos;y&apos;"
        );
        assert_eq!(xml("a\u{7}b\u{FFFF}c\td"), "abc\td");
        assert!(check_well_formed("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a x=\"1\"><b/>t &amp; u</a>").is_ok());
        assert!(check_well_formed("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b></a></b>").is_err());
        assert!(check_well_formed("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>t & u</a>").is_err());
    }
}
