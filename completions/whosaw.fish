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
complete -c whosaw -n "__fish_whosaw_needs_command" -f -a "completions" -d 'Print a shell completion script to standard output'
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
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s j -l threads -d 'Worker threads (default: one per core)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l regex -d 'SECRET is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l evidence -d 'Attach the evidence of every access: file, line, time, request id, outcome'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand who-read" -s h -l help -d 'Print help'
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
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l source -d 'Read every file as this kind of log instead of detecting it from its content' -r -f -a "vault\t''
cloudtrail\t''
azure\t''
gcp\t''
k8s\t''"
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s j -l threads -d 'Worker threads (default: one per core)' -r
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l regex -d 'SECRET is a regular expression matched against secret names'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l json -d 'Short for --format json'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s q -l quiet -d 'No progress bar, no warnings (errors are still printed)'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l strict -d 'Any malformed line or skipped file is a fatal error (exit 2)'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l no-mmap -d 'Read files instead of memory-mapping them. Use it when a log may be truncated by another process while whosaw runs: a mapped file that shrinks under it would crash the read'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -l exhaustive -d 'Parse every line instead of skipping lines that cannot mention the secret: slower, but every malformed line anywhere is found and counted'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s v -l verbose -d 'Say what each file was detected as (on standard error)'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand blast-radius" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand completions" -s h -l help -d 'Print help'
complete -c whosaw -n "__fish_whosaw_using_subcommand completions" -s V -l version -d 'Print version'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius completions help" -f -a "who-read" -d 'Every identity that read a secret\'s value (or tried to), with counts, first/last time, source addresses and denied attempts'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius completions help" -f -a "blast-radius" -d 'The minimal rotation list: the secret, and the credentials of every identity that retrieved it, each with its evidence'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius completions help" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c whosaw -n "__fish_whosaw_using_subcommand help; and not __fish_seen_subcommand_from who-read blast-radius completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
