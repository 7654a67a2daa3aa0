# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_whosaw_global_optspecs
    string join \n h/help V/version
end

function __fish_whosaw_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_whosaw_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_whosaw_using_subcommand
    set -l cmd (__fish_whosaw_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c whosaw -n "__fish_whosaw_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_needs_command" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "who-read" -d 'Every identity that read a secret\'s value (or tried to), with counts, first/last time, source addresses and denied attempts'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "blast-radius" -d 'The minimal rotation list: the secret, and the credentials of every identity that retrieved it, each with its evidence'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "report" -d 'An incident report as one self-contained HTML file for the ticket: the question, who read the secret, what to rotate and how, denied and unknown attempts, an hourly timeline, suspicious findings for those identities, the trail\'s coverage, what the logs leak, the inputs with their SHA-256, and the command that reproduces it'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "timeline" -d 'Every event of the secret stores (reads, lists, writes, deletes…) in time order, filtered; NDJSON for jq and SIEMs'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "suspicious" -d 'Findings worth a look: bursts of reads, repeated denials, new source networks, environment drift and mismatch, off-hours reads, first reads of a secret; ranked by severity, each with its evidence. Exit status 0 when something was found, 1 when nothing was'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "baseline" -d 'Learn what normal access looks like (per identity: secrets, environments, networks, hours, rates) and write it as JSON for `suspicious --baseline`; `baseline show FILE` prints one'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "index" -d 'Build or refresh the index of the logs, so later questions about them are answered without reading them again (`--cache`)'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "coverage" -d 'Can the trail be trusted? Per store, the span covered and records per hour; changes to the trail itself (audit devices, trails, sinks, root tokens, rekeys); when it was certainly off; and possible gaps. Exit status 3 when the trail was off during the window'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "exposures" -d 'What the logs themselves leak: every secret or credential whose value a record holds in clear, by name and kind, never by value'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "trace-value" -d 'Who received one exact value (a leaked password, a database user name): every response that returned it and every request that sent it, found by the HMAC the audit device writes for it'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "export" -d 'Write every event, record by record, for another engine (Spark, DuckDB, a security lake) or for whosaw to read back: the answers over an export equal the answers over the logs it came from'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "config" -d 'The configuration file (environments, trusted networks, role policies, rule thresholds)'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "man" -d 'Print a manual page (roff) to standard output: `whosaw man | man -l -`; `whosaw man who-read` is the page of one subcommand (`whosaw-who-read.1`). The pages are in the repository\'s `man/`'
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l regex -d 'SECRET is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l evidence -d 'Attach the evidence of every access: file, line, time, request id, outcome'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l depth -d '1: the secret and the credentials of its readers. 2: also every other secret those readers read successfully in the window' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l regex -d 'SECRET is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l depth -d '1: the secret and the credentials of its readers. 2: also every other secret those readers read successfully in the window' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -s o -l output -d 'The HTML file to write (`-` for standard output). Never inside the logs given' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l regex -d 'SECRET is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l force -d 'Replace the file if it exists'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand report" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l secret -d 'Only events on this secret (named as for who-read; a wide read that covers it counts)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l identity -d 'Only events by this identity (its id or its label, exactly); repeat for several' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l source-ip -d 'Only events from these source addresses (CIDR, or one address)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l outcome -d 'Only events that ended this way (repeat or separate with commas)' -r -f -a "success\t''
denied\t''
not_found\t'The secret does not exist (a 404, NOT_FOUND)'
no_value\t'Answered without a value (a Vault read with no data)'
error\t''
unknown\t'A request that never got a response'"
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l action -d 'Only events of these actions (repeat or separate with commas)' -r -f -a "read\t''
list\t''
metadata\t''
write\t''
delete\t''
other\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l config -d 'Configuration file (environment patterns). Default: $WHOSAW_CONFIG' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l regex -d '--secret is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand timeline" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l config -d 'Configuration file. Default: $WHOSAW_CONFIG, else built-in defaults' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l baseline -d 'Compare against this baseline (written by `whosaw baseline`)' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l learn-until -d 'Learn the baseline from the events before T and judge the rest' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand suspicious" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Write the baseline here (`-`: standard output, the default)' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l config -d 'Configuration file (environment patterns). Default: $WHOSAW_CONFIG' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -a "show" -d 'Print a baseline file as tables: per identity its hours, secrets, environments and networks'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and not __fish_seen_subcommand_from show help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and __fish_seen_subcommand_from show" -l wide -d 'The tables in full, as wide as they need (200 columns when piped); by default they fit the terminal (100 columns when piped)'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a baseline file as tables: per identity its hours, secrets, environments and networks'
complete -c whosaw -n "__fish_whosaw_using_subcommand baseline; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l verify -d 'Check each input\'s index against the input itself (every block\'s checksum, and the index built again in memory compared byte for byte) instead of building it'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l prune -d 'Remove the indexes of inputs that no longer exist (all of the cache\'s when no path is given)'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand index" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l gap-factor -d 'A silence is a possible gap when it lasts this many times the store\'s median spacing between records (and at least --min-gap)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l min-gap -d 'The shortest silence reported as a possible gap (`90m`, `1h`, `2d`)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l cloudtrail-public-keys -d 'The public keys CloudTrail signs its digests with, as `aws cloudtrail list-public-keys` prints them: digest signatures are then checked' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand coverage" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand exposures" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l hmac -d 'The value\'s HMAC as Vault\'s audit device writes it (`hmac-sha256:…`): `vault write sys/audit-hash/<device> input=<value>` returns it' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l sha256 -d 'The SHA-256 of the value (hex), for logs that hold values in clear (a `log_raw` Vault device, Kubernetes bodies)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l format -d 'Output format. A terminal changes only colour, width and escaping, never the format' -r -f -a "table\t''
json\t''
ndjson\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l color -d 'Colour outcomes in tables (reads green, denials red, unknown yellow): `auto` when standard output is a terminal and NO_COLOR is not set. JSON is never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l cache -d 'The index\'s folder. Default: $WHOSAW_CACHE, else $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l value-stdin -d 'Read the value from standard input (not echoed on a terminal), hash it and forget it; never give a value on the command line'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l evidence -d 'Attach the evidence of every response that returned it'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l wide -d 'Tables in full: every column, whole ids and every address, as wide as they need (200 columns when piped). By default a table fits the terminal (100 columns when piped), a few lines per row'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -l no-index -d 'Read the logs even where an index could answer, and touch no index'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand trace-value" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l secret -d 'Only events on this secret (named as for who-read; a wide read that covers it counts)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l identity -d 'Only events by this identity (its id or its label, exactly); repeat for several' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l source-ip -d 'Only events from these source addresses (CIDR, or one address)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l outcome -d 'Only events that ended this way (repeat or separate with commas)' -r -f -a "success\t''
denied\t''
not_found\t'The secret does not exist (a 404, NOT_FOUND)'
no_value\t'Answered without a value (a Vault read with no data)'
error\t''
unknown\t'A request that never got a response'"
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l action -d 'Only events of these actions (repeat or separate with commas)' -r -f -a "read\t''
list\t''
metadata\t''
write\t''
delete\t''
other\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l since -d 'Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a span back from now (90m, 6h, 7d)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l until -d 'End of the window, exclusive; same forms as --since' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l provider -d 'Only these secret stores (repeat or separate with commas)' -r -f -a "vault\t''
aws\t''
ssm\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l config -d 'Configuration file (environment patterns). Default: $WHOSAW_CONFIG' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -s o -l output -d 'Where to write: a file, `-` for standard output, or a folder (one that exists, or a path ending in `/`), which gets one file per store and day in Hive-style folders (`provider=vault/date=2025-03-01/`). Never inside the logs\' own folders' -r -F
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l format -d 'How the rows are written' -r -f -a "ndjson\t'One JSON object per line (schema `whosaw.event.v1`)'
parquet\t'Parquet: the same fields as typed columns (Snappy)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l schema -d 'What the rows are: whosaw\'s own (one per record; whosaw reads it back), or one per request as OCSF API Activity or ECS' -r -f -a "whosaw\t'`whosaw.event.v1`, one row per record: lossless, read back by whosaw'
ocsf\t'OCSF 1.1.0 API Activity (class 6003), one per request, for security lakes'
ecs\t'Elastic Common Schema 8.17, one per request, for Elasticsearch and OpenSearch'"
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''
whosaw\t'whosaw\'s own export (`whosaw export`)'"
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -s j -l threads -d 'Worker threads (default: one per core; 1 to 1024)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l regex -d '--secret is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l force -d 'Replace files already at --output'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c whosaw -n "__fish_whosaw_using_subcommand export" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and not __fish_seen_subcommand_from example check help" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and not __fish_seen_subcommand_from example check help" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and not __fish_seen_subcommand_from example check help" -f -a "example" -d 'Print a commented example configuration (the built-in defaults)'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and not __fish_seen_subcommand_from example check help" -f -a "check" -d 'Check a configuration file and say what it sets'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and not __fish_seen_subcommand_from example check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from example" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from example" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "example" -d 'Print a commented example configuration (the built-in defaults)'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check a configuration file and say what it sets'
complete -c whosaw -n "__fish_whosaw_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c whosaw -n "__fish_whosaw_using_subcommand completions" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand completions" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand man" -l list -d 'List the pages\' file names instead (`whosaw.1`, `whosaw-who-read.1`…), one per line'
complete -c whosaw -n "__fish_whosaw_using_subcommand man" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand man" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "who-read" -d 'Every identity that read a secret\'s value (or tried to), with counts, first/last time, source addresses and denied attempts'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "blast-radius" -d 'The minimal rotation list: the secret, and the credentials of every identity that retrieved it, each with its evidence'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "report" -d 'An incident report as one self-contained HTML file for the ticket: the question, who read the secret, what to rotate and how, denied and unknown attempts, an hourly timeline, suspicious findings for those identities, the trail\'s coverage, what the logs leak, the inputs with their SHA-256, and the command that reproduces it'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "timeline" -d 'Every event of the secret stores (reads, lists, writes, deletes…) in time order, filtered; NDJSON for jq and SIEMs'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "suspicious" -d 'Findings worth a look: bursts of reads, repeated denials, new source networks, environment drift and mismatch, off-hours reads, first reads of a secret; ranked by severity, each with its evidence. Exit status 0 when something was found, 1 when nothing was'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "baseline" -d 'Learn what normal access looks like (per identity: secrets, environments, networks, hours, rates) and write it as JSON for `suspicious --baseline`; `baseline show FILE` prints one'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "index" -d 'Build or refresh the index of the logs, so later questions about them are answered without reading them again (`--cache`)'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "coverage" -d 'Can the trail be trusted? Per store, the span covered and records per hour; changes to the trail itself (audit devices, trails, sinks, root tokens, rekeys); when it was certainly off; and possible gaps. Exit status 3 when the trail was off during the window'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "exposures" -d 'What the logs themselves leak: every secret or credential whose value a record holds in clear, by name and kind, never by value'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "trace-value" -d 'Who received one exact value (a leaked password, a database user name): every response that returned it and every request that sent it, found by the HMAC the audit device writes for it'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "export" -d 'Write every event, record by record, for another engine (Spark, DuckDB, a security lake) or for whosaw to read back: the answers over an export equal the answers over the logs it came from'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "config" -d 'The configuration file (environments, trusted networks, role policies, rule thresholds)'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "man" -d 'Print a manual page (roff) to standard output: `whosaw man | man -l -`; `whosaw man who-read` is the page of one subcommand (`whosaw-who-read.1`). The pages are in the repository\'s `man/`'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius report timeline suspicious baseline index coverage exposures trace-value export config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and __fish_seen_subcommand_from baseline" -f -a "show" -d 'Print a baseline file as tables: per identity its hours, secrets, environments and networks'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "example" -d 'Print a commented example configuration (the built-in defaults)'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Check a configuration file and say what it sets'
