//! The switchboard: parse, run, map the outcome to an exit status.

use std::process::ExitCode;

use whosaw::{Cli, Exit};

fn main() -> ExitCode {
    let cli = Cli::from_command_line();
    match whosaw::run(cli) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            let text = format!("{e:#}");
            eprintln!("whosaw: error: {}", whosaw::escape_lines(&text));
            ExitCode::from(Exit::Fatal.code())
        }
    }
}
