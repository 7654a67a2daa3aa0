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

#[test]
fn committed_manual_pages_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let listed = run(&["man", "--list"]);
    assert_eq!(listed.code, 0);
    let pages: Vec<&str> = listed.stdout.lines().collect();
    assert!(pages.contains(&"whosaw.1") && pages.contains(&"whosaw-who-read.1"));
    for page in &pages {
        let r = match page
            .strip_prefix("whosaw-")
            .and_then(|p| p.strip_suffix(".1"))
        {
            Some(sub) => run(&["man", sub]),
            None => run(&["man"]),
        };
        assert_eq!(r.code, 0, "{page}: {}", r.stderr);
        assert!(r.stdout.starts_with(".ie \\n(.g"), "{page} is roff");
        let committed = std::fs::read_to_string(dir.join(page)).unwrap_or_default();
        assert!(
            committed == r.stdout,
            "man/{page} is stale: run `cargo run -- man --list | while read f; do s=${{f#whosaw-}}; \
             s=${{s%.1}}; [ \"$f\" = whosaw.1 ] && s=; cargo run -q -- man $s > man/$f; done`"
        );
    }
    // No page of a subcommand that is gone.
    let mut committed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut listed: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
    listed.sort();
    assert_eq!(committed, listed);
    let r = run(&["man", "no-such-command"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("try one of"));
}
