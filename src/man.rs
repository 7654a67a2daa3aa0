//! Manual pages from the command line's own definition (clap_mangen): one
//! for whosaw, one per subcommand (`whosaw-who-read.1`), as git's are, so
//! the SEE ALSO of the first names pages that exist.

use anyhow::bail;
use clap::CommandFactory;

use crate::cli::Cli;

/// The page of `subcommand` (`None`: whosaw's own), as roff.
pub fn page(subcommand: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let whosaw = Cli::command();
    let command = match subcommand {
        None => whosaw,
        Some(name) => {
            let Some(sub) = whosaw.find_subcommand(name) else {
                bail!(
                    "no subcommand {name:?}: try one of {}",
                    names().collect::<Vec<_>>().join(", ")
                );
            };
            // Named as its page is: `whosaw-who-read`.
            let name = format!("whosaw-{}", sub.get_name());
            sub.clone().name(name)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    Ok(page)
}

/// Every subcommand with a page of its own.
pub fn names() -> impl Iterator<Item = String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .map(|s| s.get_name().to_string())
        .collect::<Vec<_>>()
        .into_iter()
}

/// Every page's file name (`whosaw.1`, `whosaw-who-read.1`…), a line each.
pub fn list() -> String {
    std::iter::once("whosaw.1".to_string())
        .chain(names().map(|n| format!("whosaw-{n}.1")))
        .map(|n| n + "\n")
        .collect()
}
