//! Generated artefacts stay in step with the binary: shell completions
//! and the sample output in README.md.

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

#[test]
fn the_readme_sample_is_what_whosaw_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("\n```\nwho read ")
        .expect("sample output in README.md")
        + 5;
    let len = readme[start..].find("\n```").unwrap();
    let sample = &readme[start..start + len];
    let r = crate::util::run_on("incident", &["who-read", "prod/db-password"]);
    let actual = r.stdout.trim_end().replace(
        &crate::util::data("incident").display().to_string(),
        "testdata/incident",
    );
    assert!(
        sample == actual,
        "README.md's sample output is stale; replace it with:\n{actual}"
    );
}
