//! The last few sessions, kept in the browser's `localStorage` so that opening a link, good or
//! bad, never loses earlier work (DESIGN.md §6, "nothing the user did is lost").
//!
//! Each page load is one session with its own id; while the page is open, its entry holds the
//! latest link of its state and moves to the front. At most [`KEPT_SESSIONS`] are kept, newest
//! first. A link that could not be fully used is never saved (the page holds it in the address
//! bar instead, see [`crate::state::State::held_link`]), so it cannot replace a session.
//!
//! Stored as plain text, one session per line: `id`, a tab, the link fragment. Fragments are
//! percent-encoded and never hold a tab or a line break.

use crate::link::parse_link;

/// How many sessions are kept.
pub const KEPT_SESSIONS: usize = 5;
/// The `localStorage` key of the list.
pub const STORAGE_KEY: &str = "alignment-sim.sessions";
/// The key earlier versions kept their one last link under; read once as the oldest session.
pub const OLD_STORAGE_KEY: &str = "alignment-sim.last-link";

/// One saved session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The page load it belongs to.
    pub id: String,
    /// The share-link fragment of its latest state (without `#`).
    pub link: String,
}

/// The stored list, newest first; lines that are not `id<TAB>link` are skipped.
pub fn read_sessions(stored: &str) -> Vec<Session> {
    stored
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .filter(|(id, link)| !id.is_empty() && !link.is_empty() && !link.contains('\t'))
        .map(|(id, link)| Session {
            id: id.to_string(),
            link: link.to_string(),
        })
        .take(KEPT_SESSIONS)
        .collect()
}

/// The text to store for a list.
pub fn write_sessions(sessions: &[Session]) -> String {
    sessions.iter().map(|s| format!("{}\t{}\n", s.id, s.link)).collect()
}

/// The list after session `id` reached `link`: its entry (new or updated) first, the others in
/// their order, at most [`KEPT_SESSIONS`]. Another session with the very same link is folded into
/// it, so reloading a page many times does not push earlier, different work out of the list; and
/// when one must go, a session whose link changes no assumption and carries no file (a scenario
/// looked at, not worked on) goes before one that does.
pub fn record_session(sessions: &[Session], id: &str, link: &str) -> Vec<Session> {
    let link = link.replace(['\t', '\n', '\r'], "");
    let mut kept: Vec<Session> = std::iter::once(Session {
        id: id.to_string(),
        link: link.clone(),
    })
    .chain(sessions.iter().filter(|s| s.id != id && s.link != link).cloned())
    .collect();
    while kept.len() > KEPT_SESSIONS {
        let least = (1..kept.len())
            .rev()
            .find(|&i| !holds_work(&kept[i].link))
            .unwrap_or(kept.len() - 1);
        kept.remove(least);
    }
    kept
}

/// Whether a saved link changes any assumption or carries a file of its own.
fn holds_work(link: &str) -> bool {
    let parsed = parse_link(link);
    parsed.carried.is_some() || !parsed.assumptions.is_empty()
}

/// The links to offer for restoring, newest first, without repeats and without `current`.
pub fn restore_offers(sessions: &[Session], current: &str) -> Vec<String> {
    let mut offers: Vec<String> = Vec::new();
    for session in sessions {
        if session.link != current && !offers.contains(&session.link) {
            offers.push(session.link.clone());
        }
    }
    offers
}

/// A short description of a saved link for the restore list: its scenario and settings.
pub fn describe_saved(link: &str) -> String {
    let parsed = parse_link(link);
    let scenario = match (&parsed.carried, &parsed.scenario) {
        (Some(_), _) => "your own scenario".to_string(),
        (None, Some(id)) => id.chars().take(48).collect(),
        (None, None) => "a scenario".to_string(),
    };
    let mut parts = vec![scenario];
    if let Some(seed) = parsed.seed {
        parts.push(format!("seed {seed}"));
    }
    if let Some(runs) = parsed.runs {
        parts.push(format!("{runs} runs"));
    }
    if let Some(horizon) = parsed.horizon {
        parts.push(format!("{horizon} months"));
    }
    let changed = parsed.assumptions.len();
    parts.push(match changed {
        0 => "all assumptions at their defaults".to_string(),
        1 => "1 assumption changed".to_string(),
        n => format!("{n} assumptions changed"),
    });
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_round_trip_and_keep_the_newest_few() {
        let mut sessions = Vec::new();
        for i in 0..8 {
            sessions = record_session(&sessions, &format!("load{i}"), &format!("v=1&s=x&seed={i}"));
        }
        assert_eq!(sessions.len(), KEPT_SESSIONS);
        assert_eq!(sessions[0].link, "v=1&s=x&seed=7");
        assert_eq!(sessions[KEPT_SESSIONS - 1].link, "v=1&s=x&seed=3");
        // A later state of an open page updates its own entry and moves it to the front.
        let updated = record_session(&sessions, "load5", "v=1&s=x&seed=55");
        assert_eq!(updated.len(), KEPT_SESSIONS);
        assert_eq!(
            updated[0],
            Session {
                id: "load5".into(),
                link: "v=1&s=x&seed=55".into()
            }
        );
        assert_eq!(updated.iter().filter(|s| s.id == "load5").count(), 1);
        assert_eq!(read_sessions(&write_sessions(&updated)), updated);
        // Reloads of the same state (new page loads, same link) keep one entry.
        let mut reloaded = updated.clone();
        for i in 0..10 {
            reloaded = record_session(&reloaded, &format!("reload{i}"), "v=1&s=x&seed=55");
        }
        assert_eq!(reloaded.len(), KEPT_SESSIONS);
        assert_eq!(reloaded.iter().filter(|s| s.link == "v=1&s=x&seed=55").count(), 1);
        assert_eq!(
            &reloaded[1..],
            &updated[1..],
            "the earlier sessions are all still there"
        );
        // Damaged storage is read as far as it goes.
        assert_eq!(read_sessions("garbage\n\tno-id\nid\t\nok\tv=1&s=y\n").len(), 1);
    }

    #[test]
    fn offers_skip_the_current_state_and_repeats() {
        let sessions = [
            Session {
                id: "a".into(),
                link: "v=1&s=x&seed=1".into(),
            },
            Session {
                id: "b".into(),
                link: "v=1&s=x".into(),
            },
            Session {
                id: "c".into(),
                link: "v=1&s=x&seed=1".into(),
            },
            Session {
                id: "d".into(),
                link: "v=1&s=y".into(),
            },
        ];
        assert_eq!(restore_offers(&sessions, "v=1&s=x"), ["v=1&s=x&seed=1", "v=1&s=y"]);
        assert_eq!(
            describe_saved("v=1&s=sino-russian-drift&seed=7&runs=500&h=24&model.balance=0.05"),
            "sino-russian-drift, seed 7, 500 runs, 24 months, 1 assumption changed"
        );
    }
}
