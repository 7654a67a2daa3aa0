//! The committed shell completions are what the binary generates.

use crate::util::run;

#[test]
fn committed_completions_are_up_to_date() {
    for (shell, file) in [
        ("bash", "whosaw.bash"),
        ("zsh", "_whosaw"),
        ("fish", "whosaw.fish"),
    ] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("completions")
            .join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == r.stdout,
            "{} is stale: run `cargo run -- completions {shell} > completions/{file}`",
            path.display()
        );
    }
}
