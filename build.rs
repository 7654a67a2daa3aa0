//! Gives the binary a build id: a hash of its own sources. An index written
//! by one build is never read by another (see `src/index/`), because two
//! builds of the same version number may parse records differently.

use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.push(Path::new("Cargo.toml").to_path_buf());
    files.sort();
    // FNV-1a, twice with different offsets: 128 bits, enough to tell
    // builds apart (this is no defence against a forger).
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for file in &files {
        let name = file.to_string_lossy();
        let bytes = fs::read(file).unwrap_or_default();
        for &byte in name.as_bytes().iter().chain([0u8].iter()).chain(&bytes) {
            a = (a ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            b = (b ^ u64::from(byte))
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(5);
        }
    }
    println!("cargo:rustc-env=WHOSAW_BUILD_ID={a:016x}{b:016x}");
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
