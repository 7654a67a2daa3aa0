//! The boundary ARCHITECTURE.md promises: what is particular to one store
//! (its operation names, record fields, container keys) lives in
//! `src/source/` only, so a new store touches that folder and little else.

use std::path::{Path, PathBuf};

/// Names that only a store's own module may know (a sample of each kind:
/// operations, record fields, containers).
const STORE_NAMES: [&str; 17] = [
    "GetSecretValue",
    "BatchGetSecretValue",
    "GetParametersByPath",
    "SecretGet",
    "SecretBackup",
    "AccessSecretVersion",
    "entity_id",
    "client_token",
    "objectRef",
    "auditID",
    "httpStatusCode",
    "principalEmail",
    "protoPayload",
    "eventID",
    "eventSource",
    "EventList",
    "\"Records\"",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `line` holds `word` as a whole word (`identity_id` does not
/// hold `entity_id`).
fn holds_word(line: &str, word: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    line.match_indices(word).any(|(at, _)| {
        !is_word(line[..at].chars().next_back()) && !is_word(line[at + word.len()..].chars().next())
    })
}

#[test]
fn no_store_name_outside_the_stores_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stores = root.join("src/source");
    // Rebuilding a store's record from an export's columns necessarily
    // names its fields.
    let mapped = root.join("src/envelope/mapped");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(
        files.len() > 40,
        "{} files: is src/ still read?",
        files.len()
    );
    let mut found = Vec::new();
    for file in files
        .iter()
        .filter(|f| !f.starts_with(&stores) && !f.starts_with(&mapped))
    {
        let text = std::fs::read_to_string(file).expect("a source file is UTF-8");
        for (n, line) in text.lines().enumerate() {
            for name in STORE_NAMES.iter().filter(|name| holds_word(line, name)) {
                found.push(format!("{}:{}: {name}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "store knowledge outside src/source/ (move it into the store's module, behind \
         source::store::Store):\n{}",
        found.join("\n")
    );
}
