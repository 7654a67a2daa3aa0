//! A log big enough to be cut into several chunks: pairing across chunk
//! boundaries, and answers that do not depend on threads or on mmap.

use crate::util::cast::{DB, DEPLOY_BOT};
use crate::util::{data, run};

/// The incident's newer file repeated until it spans several 8 MiB chunks,
/// each copy with its own request ids, so every access is distinct.
fn big_log(dir: &std::path::Path) -> (std::path::PathBuf, u64) {
    let one = std::fs::read_to_string(data("vault/incident/audit.log")).unwrap();
    let mut text = String::with_capacity(20 << 20);
    let mut copies = 0u64;
    while text.len() < 20 << 20 {
        // Request ids look like 0000000d-5e0f-…: make the first field unique.
        text.push_str(&one.replace("-5e0f-", &format!("-{:04x}-", copies % 0xffff)));
        copies += 1;
    }
    let path = dir.join("big.log");
    std::fs::write(&path, text).unwrap();
    (path, copies)
}

#[test]
fn answers_do_not_depend_on_chunks_threads_or_mmap() {
    let dir = tempfile::tempdir().unwrap();
    let (path, copies) = big_log(dir.path());
    let path = path.to_str().unwrap();
    let base = ["who-read", DB, path, "--json", "--evidence"];
    let outputs: Vec<String> = [&[][..], &["-j", "1"], &["--no-mmap"], &["--exhaustive"]]
        .iter()
        .map(|extra| {
            let mut args = base.to_vec();
            args.extend(*extra);
            let r = run(&args);
            assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
            r.stdout
                .replace("\"exhaustive\": true", "\"exhaustive\": false")
        })
        .collect();
    for other in &outputs[1..] {
        assert!(*other == outputs[0], "outputs differ");
    }
    // Every copy's read by deploy-bot counts once: request/response pairs cut
    // by a chunk boundary are still one access each.
    let report: serde_json::Value = serde_json::from_str(&outputs[0]).unwrap();
    let bot = report["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["identity_id"] == DEPLOY_BOT)
        .unwrap();
    assert_eq!(bot["successful_reads"], copies);
    assert_eq!(report["stats"]["malformed_lines"], 0);
}
