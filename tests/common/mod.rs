//! What several integration tests share: running the command-line binary as a user does and
//! reading its JSON.

// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The binary, run from the repository root (so relative fixture paths work).
pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alignment-sim"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the binary runs")
}

/// The JSON the binary prints for `args`; it must succeed.
pub fn cli_json(args: &[&str]) -> Value {
    let output = cli(args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// A JSON number.
pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// A file of the temporary folder that a test wrote, removed when the test drops it (so test runs
/// leave nothing behind). It reads as its path: `&file` where a `&str` is expected, `{file}` in a
/// format string.
pub struct TempFile(String);

impl TempFile {
    pub fn path(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for TempFile {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TempFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes `contents` to a new file in the temporary folder, `STEM-PROCESS-N.toml`. Each call gets
/// its own file: the tests of one binary run at once on threads of one process, so a name made
/// from the process id alone would be written by one test while another reads it.
pub fn temp_file(stem: &str, contents: impl AsRef<[u8]>) -> TempFile {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "{stem}-{}-{}.toml",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, contents).unwrap();
    TempFile(path.to_string_lossy().into_owned())
}
