//! Expands the PATH arguments into a sorted list of files. A path the user
//! named that does not exist is fatal; a problem deeper inside a folder is a
//! diagnostic and the rest is still read.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;

/// One input: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// How reports name it: the path as reached from the argument, or `-`.
    pub name: String,
    /// `None` for standard input.
    pub path: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: {source}")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: not a file or folder")]
    NotAFile(String),
}

/// Lists the files under `paths`, in argument order, each folder's files
/// sorted by name so runs are reproducible. Symbolic links to folders met
/// inside a walk are not followed (a loop would never end).
pub fn discover(
    paths: &[PathBuf],
    diags: &mut Diagnostics,
) -> Result<Vec<InputFile>, DiscoverError> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(InputFile {
                name: "-".into(),
                path: None,
            });
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|source| DiscoverError::Unreadable {
            path: path.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut files, diags);
        } else if meta.is_file() || !meta.is_dir() && is_readable_special(&meta) {
            files.push(file(path));
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

fn file(path: &Path) -> InputFile {
    InputFile {
        name: path.display().to_string(),
        path: Some(path.to_path_buf()),
    }
}

fn walk(dir: &Path, files: &mut Vec<InputFile>, diags: &mut Diagnostics) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.skipped_file(
                &dir.display().to_string(),
                &format!("cannot list folder: {e}"),
            );
            return;
        }
    };
    let mut children: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => children.push(entry.path()),
            Err(e) => diags.skipped_file(
                &dir.display().to_string(),
                &format!("cannot list folder: {e}"),
            ),
        }
    }
    children.sort();
    for child in children {
        let Ok(link_meta) = std::fs::symlink_metadata(&child) else {
            diags.skipped_file(
                &child.display().to_string(),
                "vanished while the folder was listed",
            );
            continue;
        };
        if link_meta.is_dir() {
            walk(&child, files, diags);
        } else if link_meta.file_type().is_symlink() {
            match std::fs::metadata(&child) {
                Ok(m) if m.is_file() => files.push(file(&child)),
                Ok(_) => {} // a link to a folder or device: not followed
                Err(e) => {
                    diags.skipped_file(&child.display().to_string(), &format!("broken link: {e}"))
                }
            }
        } else if link_meta.is_file() {
            files.push(file(&child));
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
