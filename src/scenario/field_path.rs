//! Which field a byte offset of a scenario file belongs to, as a dotted path with array indices
//! (`events[0].probability.value`): for the messages of errors found while reading the TOML, which
//! carry only a position. Worked out from the table headers above the position and the key on its
//! line, which is enough for the flat, header-based layout scenario files use.

/// The field at `offset` in `text`. `key_on_line` adds the key written on that line, if any.
pub fn field_path_at(text: &str, offset: usize, key_on_line: bool) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    // Array-of-tables counts by dotted name; a new element of `a` restarts the counts under `a.`.
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut table: Vec<String> = Vec::new();
    let mut on_header = false;
    for (start, line) in line_spans(&text[..line_end]) {
        let trimmed = line.trim();
        let is_array = trimmed.starts_with("[[");
        let header = if is_array {
            trimmed.strip_prefix("[[").and_then(|r| r.split("]]").next())
        } else if trimmed.starts_with('[') {
            trimmed.strip_prefix('[').and_then(|r| r.split(']').next())
        } else {
            None
        };
        let Some(name) = header.map(|h| {
            h.split('.')
                .map(|p| p.trim().trim_matches('"'))
                .collect::<Vec<_>>()
                .join(".")
        }) else {
            continue;
        };
        if is_array {
            let prefix = format!("{name}.");
            counts.retain(|(n, _)| !n.starts_with(&prefix));
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => counts.push((name.clone(), 1)),
            }
        }
        // Each segment gets the index of its array element, where it is one.
        let segments: Vec<&str> = name.split('.').collect();
        table = (0..segments.len())
            .map(|i| {
                let dotted = segments[..=i].join(".");
                match counts.iter().find(|(n, _)| *n == dotted) {
                    Some((_, count)) => format!("{}[{}]", segments[i], count - 1),
                    None => segments[i].to_string(),
                }
            })
            .collect();
        on_header = start == line_start;
    }
    let mut path = table.join(".");
    if key_on_line && !on_header {
        let line = &text[line_start..line_end];
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim().trim_matches('"');
            if !key.is_empty() && !key.starts_with('#') && !key.contains(['[', '{', ' ']) {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                // Inside an array of inline tables (`sources = [{ … }, { … }]`): the element, and
                // the key the position points at.
                let value_start = line_start + line.len() - value.len();
                if value.trim_start().starts_with("[{") && offset > value_start {
                    let before = &text[value_start..offset];
                    let element = before.matches('{').count();
                    if element > 0 {
                        path.push_str(&format!("[{}]", element - 1));
                        let inner: String = text[offset..line_end]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !inner.is_empty() {
                            path.push('.');
                            path.push_str(&inner);
                        }
                    }
                }
            }
        }
    }
    path
}

/// Each line with the byte offset where it starts.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let here = start;
        start += line.len() + 1;
        (here, line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "format = 1\n[model.balance]\nvalue = 0.1\n[[actors]]\nid = \"A\"\n[actors.weight]\nvalu = 1\n[[actors]]\nid = \"B\"\n[[events]]\n[[events.effects]]\nbetween = 1\n[[events.effects]]\njump = 2\n[[events]]\n[[events.effects]]\nshift = 3\n";

    fn at(needle: &str, key: bool) -> String {
        field_path_at(TEXT, TEXT.find(needle).unwrap(), key)
    }

    #[test]
    fn paths_follow_headers_and_array_elements() {
        assert_eq!(at("format", true), "format");
        assert_eq!(at("value = 0.1", true), "model.balance.value");
        assert_eq!(at("valu = 1", true), "actors[0].weight.valu");
        assert_eq!(at("id = \"B\"", true), "actors[1].id");
        assert_eq!(at("between", true), "events[0].effects[0].between");
        assert_eq!(at("jump", true), "events[0].effects[1].jump");
        assert_eq!(at("shift", true), "events[1].effects[0].shift");
        assert_eq!(at("[actors.weight]", true), "actors[0].weight");
        assert_eq!(at("valu = 1", false), "actors[0].weight");
        let inline = "[model.balance]\nsources = [{ source = \"a\" }, { sourc = \"b\" }]\n";
        assert_eq!(
            field_path_at(inline, inline.find("sourc =").unwrap(), true),
            "model.balance.sources[1].sourc"
        );
    }
}
