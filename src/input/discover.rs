//! Expands the PATH arguments into a sorted list of files. A path the user
//! named that does not exist is fatal; a problem deeper inside a folder is a
//! diagnostic and the rest is still read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;

/// One input: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct InputFile {
    /// How reports name it: the path as reached from the argument, or `-`.
    pub name: String,
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// A regular file, which a second pass can read again (a pipe cannot).
    pub rereadable: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum DiscoverError {
    // The cause is printed by the error chain, after the path.
    #[error("{path}")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: not a file or folder")]
    NotAFile(String),
}

/// Lists the files under `paths`, in argument order, each folder's files
/// sorted by name so runs are reproducible. Symbolic links are followed;
/// a folder already walked (a link loop, or the same folder twice) is not
/// walked again.
pub(crate) fn discover(
    paths: &[PathBuf],
    diags: &mut Diagnostics,
) -> Result<Vec<InputFile>, DiscoverError> {
    let mut files = Vec::new();
    let mut walked = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(InputFile {
                name: "-".into(),
                path: None,
                rereadable: false,
            });
            continue;
        }
        let unreadable = |source| DiscoverError::Unreadable {
            path: path.display().to_string(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(unreadable)?;
        // A path the user named must be readable now: that is fatal (exit
        // 2), unlike a problem met deeper inside a folder.
        if meta.is_dir() {
            super::list_dir(path).map_err(unreadable)?;
            walk(path, &meta, &mut files, &mut walked, diags);
        } else if meta.is_file() {
            std::fs::File::open(path).map_err(unreadable)?;
            if walked.insert(file_id(&meta)) {
                files.push(file(path, true));
            } else {
                diags.note(&path.display().to_string(), "given twice: read once".into());
            }
        } else if is_readable_special(&meta) {
            files.push(file(path, false));
        } else {
            return Err(DiscoverError::NotAFile(path.display().to_string()));
        }
    }
    Ok(files)
}

/// Named pipes and character devices (`<(zcat …)`, `/dev/stdin`) are read as streams.
fn is_readable_special(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    t.is_fifo() || t.is_char_device()
}

fn file(path: &Path, rereadable: bool) -> InputFile {
    InputFile {
        name: path.display().to_string(),
        path: Some(path.to_path_buf()),
        rereadable,
    }
}

/// A file's or folder's identity, to notice one reached twice (named twice,
/// or through links): its evidence must not count twice.
fn file_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

fn walk(
    dir: &Path,
    meta: &std::fs::Metadata,
    files: &mut Vec<InputFile>,
    walked: &mut HashSet<(u64, u64)>,
    diags: &mut Diagnostics,
) {
    if !walked.insert(file_id(meta)) {
        diags.note(
            &dir.display().to_string(),
            "folder already read (a link loop or a repeated path)".into(),
        );
        return;
    }
    let mut children: Vec<PathBuf> = match super::list_dir(dir) {
        Ok(names) => names.into_iter().map(|n| dir.join(n)).collect(),
        Err(e) => {
            diags.skipped_file(
                &dir.display().to_string(),
                &format!("cannot list folder: {e}"),
            );
            return;
        }
    };
    children.sort();
    for child in children {
        let name = child.display().to_string();
        // Follows links; a dangling one is reported, not silently dropped.
        let meta = match std::fs::metadata(&child) {
            Ok(meta) => meta,
            Err(e) if std::fs::symlink_metadata(&child).is_ok() => {
                diags.skipped_file(&name, &format!("cannot read: {e}"));
                continue;
            }
            Err(_) => {
                diags.skipped_file(&name, "vanished while the folder was listed");
                continue;
            }
        };
        if meta.is_dir() {
            walk(&child, &meta, files, walked, diags);
        } else if meta.is_file() {
            if walked.insert(file_id(&meta)) {
                files.push(file(&child, true));
            } else {
                diags.note(&name, "already read under another path: read once".into());
            }
        } else {
            // Reading a pipe or device found in a folder could block forever.
            diags.note(
                &name,
                "not a regular file: not read (name it on the command line to read it)".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_name_order_and_missing_paths_are_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.log"), "").unwrap();
        std::fs::write(dir.path().join("a.log"), "").unwrap();
        std::fs::write(dir.path().join("sub/c.log.gz"), "").unwrap();
        let mut diags = Diagnostics::default();
        let files = discover(&[dir.path().to_path_buf()], &mut diags).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| {
                f.path
                    .as_ref()
                    .unwrap()
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("a.log"),
                "b.log".into(),
                "sub/c.log.gz".into()
            ]
        );

        let missing = dir.path().join("nope");
        let err = discover(&[missing], &mut diags).unwrap_err();
        assert!(err.to_string().contains("nope"));
    }
}
