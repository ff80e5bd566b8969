//! A whole scenario file inside a link: raw deflate, then base64url without padding.

use crate::scenario::MAX_FILE_BYTES;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let value = |c: u8| -> Result<u32, String> {
        ALPHABET
            .iter()
            .position(|&a| a == c)
            .map(|v| v as u32)
            .ok_or_else(|| format!("`{}` is not a base64url character", c as char))
    };
    let bytes = text.trim_end_matches('=').as_bytes();
    // A wrong character is named before the length is judged, so it is not reported as a cut.
    if let Some((at, &c)) = bytes.iter().enumerate().find(|(_, c)| !ALPHABET.contains(c)) {
        let shown = text[at..].chars().next().unwrap_or(c as char);
        return Err(format!(
            "`{shown}` (character {} of the carried file) is not a base64url character",
            text[..at].chars().count() + 1
        ));
    }
    if bytes.len() % 4 == 1 {
        return Err("the text is cut short (its length is not possible for base64url)".into());
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let kept = chunk.len() - 1;
        // Canonical form only (RFC 4648 §3.5): the bits of a short last group that no byte uses
        // must be zero, so each byte string has exactly one link form.
        if n & (0xFF_FFFF >> (8 * kept)) != 0 {
            return Err(
                "the text is not base64url as this page writes it (its last character carries stray bits)".into(),
            );
        }
        out.extend_from_slice(&n.to_be_bytes()[1..=kept]);
    }
    Ok(out)
}

/// The link form of a scenario file's text.
pub fn encode_scenario_text(text: &str) -> String {
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The scenario file's text back from its link form; the error says why it cannot be read.
/// Never inflates beyond the scenario file size limit.
pub fn decode_scenario_text(encoded: &str) -> Result<String, String> {
    let compressed = base64url_decode(encoded)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_FILE_BYTES).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            format!(
                "the scenario in the link would be larger than {} KB",
                MAX_FILE_BYTES / 1024
            )
        } else {
            "the scenario in the link is damaged (it does not decompress)".to_string()
        }
    })?;
    // The same UTF-8 rule as a file read from disk or uploaded to the page.
    crate::scenario::scenario_text("the scenario in the link", bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4648_test_vectors_in_the_url_alphabet_without_padding() {
        // RFC 4648 §10, padding dropped as the links do; then the two characters that differ
        // from standard base64 (62 → '-', 63 → '_').
        let vectors: [(&[u8], &str); 8] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff], "-_8"),
        ];
        for (bytes, text) in vectors {
            assert_eq!(base64url_encode(bytes), text);
            assert_eq!(base64url_decode(text).unwrap(), bytes, "{text}");
        }
        // Padding as RFC 4648 writes it is still read.
        assert_eq!(base64url_decode("Zg==").unwrap(), b"f");
    }

    #[test]
    fn only_the_canonical_form_decodes() {
        // "Zg" is "f"; "Zh" sets bits the last byte does not use, and names the same byte.
        assert!(base64url_decode("Zh").unwrap_err().contains("stray bits"));
        assert!(base64url_decode("Zm9").unwrap_err().contains("stray bits"));
        assert_eq!(base64url_decode("Zm8").unwrap(), b"fo");
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(text.bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(base64url_decode(&text).unwrap(), bytes, "length {len}");
        }
        assert!(base64url_decode("abc!").is_err());
        assert!(base64url_decode("abcde").unwrap_err().contains("cut short"));
        // A wrong character is named as such whatever the length.
        for text in ["abcd!", "ab.d", "abcdé", "a b"] {
            assert!(
                base64url_decode(text)
                    .unwrap_err()
                    .contains("not a base64url character"),
                "{text}"
            );
        }
    }

    #[test]
    fn scenario_text_round_trips_and_shrinks() {
        let text = include_str!("../../scenarios/sino-russian-drift.toml");
        let encoded = encode_scenario_text(text);
        assert!(encoded.len() < text.len() / 2, "{} vs {}", encoded.len(), text.len());
        assert_eq!(decode_scenario_text(&encoded).unwrap(), text);
    }

    #[test]
    fn damaged_or_oversized_payloads_are_refused_with_a_reason() {
        assert!(decode_scenario_text("!!!").unwrap_err().contains("base64url"));
        assert!(decode_scenario_text("AAAA").unwrap_err().contains("damaged"));
        let huge = "x".repeat(MAX_FILE_BYTES + 10);
        assert!(decode_scenario_text(&encode_scenario_text(&huge))
            .unwrap_err()
            .contains("larger"));
    }
}
