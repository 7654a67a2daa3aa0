//! `whosaw export`: every event the filters select, record by record, to a
//! file, a folder of partitions or standard output (see `crate::export`).

use std::io::Write;

use super::{configure, finish, progress_bar, report_detected, scan_options};
use crate::cli::{CacheArgs, CommonArgs, ExportArgs, OutputArgs};
use crate::config::{Surroundings, TimelineConfig};
use crate::exit::Exit;
use crate::export::{Destination, Shaping, file_rows};
use crate::output::Format;
use crate::pipeline::{self, ScanResult};
use crate::scan::Plan;

pub(super) fn command(args: &ExportArgs) -> anyhow::Result<Exit> {
    // Read as every question reads, never from an index: an export is a
    // copy of the records, made from the records.
    let common = CommonArgs {
        output: OutputArgs {
            format: Format::Table,
            json: false,
            quiet: args.quiet,
            color: crate::cli::ColorChoice::Never,
            wide: false,
        },
        scan: args.scan.clone(),
        reading: args.reading.clone(),
        cache: CacheArgs { cache: None },
        no_index: true,
    };
    let TimelineConfig {
        common: mut config,
        file,
        filters,
    } = TimelineConfig::of(&args.logs, &args.events, &common, &Surroundings::current())?;
    configure(&config)?;
    let destination = Destination::of(&args.output, args.force, &config.roots)?;
    let filter = filters.per_record();
    let plan = Plan::export(&filter, scan_options(&config));
    let after = filters.per_request(config.window);
    let names: Vec<String> = config.files.iter().map(|f| f.name.clone()).collect();
    let shaping = Shaping {
        schema: args.schema,
        after: &after,
        environments: &file.environments,
        files: &names,
    };
    let mut sink = destination.open(args.format, args.schema)?;
    let progress = progress_bar(&config, "exporting");
    let mut diags = std::mem::take(&mut config.discover_diags);
    let mut read = ScanResult {
        entries: Vec::new(),
        files: names.clone(),
        events: 0,
        diags: Default::default(),
        fingerprints: Vec::new(),
        detected: Vec::new(),
        entry_types: Vec::new(),
        traces: Vec::new(),
        exposures: Vec::new(),
        trail: Default::default(),
    };
    let mut rows = 0;
    pipeline::scan_each(
        &config.files,
        &plan,
        config.allow_mmap,
        &progress,
        |mut file, file_diags| {
            diags.append(file_diags);
            read.events += file.out.events;
            read.detected.push(file.detected);
            read.entry_types
                .push(std::mem::take(&mut file.out.entry_types));
            rows += file_rows(
                std::mem::take(&mut file.out.entries),
                &file.out.extras,
                &shaping,
                &mut *sink,
            )?;
            Ok::<(), std::io::Error>(())
        },
    )
    .and_then(|()| sink.finish())
    .map_err(|e| anyhow::anyhow!("cannot write the export to {}: {e}", destination.describe()))?;
    progress.finish_and_clear();
    if config.verbose {
        report_detected(&read);
    }
    if !config.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "whosaw: exported {rows} {} of {} {} to {}",
            if rows == 1 { "record" } else { "records" },
            config.files.len(),
            if config.files.len() == 1 {
                "file"
            } else {
                "files"
            },
            destination.describe()
        );
    }
    finish(&config, &diags, rows > 0, |_| Ok(()))
}
