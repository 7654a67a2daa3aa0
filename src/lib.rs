//! whosaw: who read a secret, and what must be rotated, from secret-store
//! audit logs. `main.rs` only parses arguments and maps the result to an
//! exit status; everything else lives here, one module per concern (see
//! ARCHITECTURE.md). Modules are private to the crate: the library exports
//! what the binary and the integration tests use, and nothing else, so an
//! item nothing uses is a warning.

mod app;
mod cli;
mod config;
mod diag;
mod envelope;
mod environment;
mod event;
mod exit;
mod export;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod index;
mod input;
mod json;
mod lines;
mod man;
mod matcher;
mod net;
mod output;
mod pipeline;
mod query;
mod scan;
mod sigbus;
mod source;
mod time;

pub use app::run;
pub use cli::Cli;
pub use exit::Exit;
pub use output::sanitize::escape_lines;
pub use time::parse_log_time;
