#!/usr/bin/env bash
# cloudtrail.sh: how fast does whosaw answer "who read secret X?" over an
# AWS CloudTrail S3 delivery, next to the public tools people reach for
# otherwise (jq, DuckDB)?
#
# It builds whosaw and the trail generator (examples/gen_cloudtrail/),
# generates a realistic trail once (about 190 gzipped `{"Records":[...]}`
# files, 1 GiB uncompressed), checks that every tool gives the answer the
# generator planted, times every tool with hyperfine, measures peak memory,
# and prints a markdown table. Everything goes to $DIR: the trail in
# cloudtrail/ (cloudtrail-<N>mib/ for other sizes), beside it the
# generator's report (cloudtrail.gen.txt) and the results
# (cloudtrail-summary.md, cloudtrail-results.{json,md},
# cloudtrail-readers-<tool>.tsv, cloudtrail-expected.tsv).
#
# The question, the same for every tool: which identities (userIdentity.arn)
# successfully read prod/db-password, and how many times? A read is a
# Secrets Manager GetSecretValue without errorCode whose secretId is the
# name, its partial ARN or its full ARN (name plus "-" and 6 characters);
# an event CloudTrail delivered twice (same eventID) counts once.
#
# Usage: benches/cloudtrail.sh
# Settings (environment):
#   WHOSAW_CT_SIZE_MIB  uncompressed size of the generated trail   [1024]
#   WHOSAW_BENCH_DIR    where data and results go                  [target/bench]
#   RUNS                hyperfine runs per command (after 1 warmup) [3]
#   WHOSAW              1 = whosaw must answer right, 0 = leave it out,
#                       auto = leave it out (with a warning) when it fails  [1]
#   SKIP_BUILD=1        use existing binaries; WHOSAW_BIN and
#                       GEN_CLOUDTRAIL_BIN override their paths
# Needs: hyperfine, jq, gzip, find, xargs; optional: GNU time (peak RSS),
# python3 with duckdb.
set -euo pipefail
# Associative arrays below need bash 4 (macOS ships 3.2: brew install bash).
if ((BASH_VERSINFO[0] < 4)); then
    echo "cloudtrail.sh: needs bash 4 or newer" >&2
    exit 1
fi

# Everything below is relative to the repository root.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZE_MIB=${WHOSAW_CT_SIZE_MIB:-1024}
DIR=${WHOSAW_BENCH_DIR:-target/bench}
RUNS=${RUNS:-3}
USE_WHOSAW=${WHOSAW:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WHOSAW_BIN=${WHOSAW_BIN:-$TARGET_DIR/release/whosaw}
GEN=${GEN_CLOUDTRAIL_BIN:-$TARGET_DIR/release/examples/gen_cloudtrail}
# The generator plants this secret with a known set of readers.
SECRET=prod/db-password

die() {
    echo "cloudtrail.sh: $*" >&2
    exit 1
}
step() { printf '\n== %s\n' "$*"; }

case $USE_WHOSAW in
0 | 1 | auto) ;;
*) die "WHOSAW must be 0, 1 or auto, not '$USE_WHOSAW'" ;;
esac

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
step "Checking tools"
missing=()
for tool in hyperfine jq gzip find xargs; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    echo "missing: ${missing[*]}" >&2
    echo "install: apt-get install hyperfine jq   (or: brew install hyperfine jq)" >&2
    exit 1
fi
if [[ $SKIP_BUILD != 1 ]] && ! command -v cargo >/dev/null; then
    die "cargo not found: install Rust from https://rustup.rs (or set SKIP_BUILD=1)"
fi
# GNU time reports peak RSS with %M; BSD/macOS time does not, so it is optional.
GNU_TIME=
if /usr/bin/time --version 2>&1 | grep -q GNU; then
    GNU_TIME=/usr/bin/time
else
    echo "note: no GNU time, peak RSS will not be measured (apt-get install time; brew install gnu-time)"
fi
HAVE_DUCKDB=0
if command -v python3 >/dev/null && python3 -c 'import duckdb' 2>/dev/null; then
    HAVE_DUCKDB=1
else
    echo "note: DuckDB not available, skipping it (pip install duckdb)"
fi
echo "hyperfine $(hyperfine --version | awk '{print $2}'), $(jq --version)$(
    ((HAVE_DUCKDB)) && python3 -c 'import duckdb; print(", duckdb", duckdb.__version__)'
)"

# ---------------------------------------------------------------------------
# Build and data
# ---------------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
    step "Building (release)"
    cargo build --release --example gen_cloudtrail
    if [[ $USE_WHOSAW == 1 ]]; then
        cargo build --release
    elif [[ $USE_WHOSAW == auto ]]; then
        cargo build --release || echo "warning: whosaw does not build; leaving it out"
    fi
fi
[[ -x $GEN ]] || die "no generator at $GEN"
if [[ $USE_WHOSAW == 1 && ! -x $WHOSAW_BIN ]]; then
    die "no whosaw binary at $WHOSAW_BIN (WHOSAW=0 leaves it out)"
fi

# Generated logs are big and reproducible: never put them in testdata/.
case "$DIR/" in
*testdata/*) die "WHOSAW_BENCH_DIR must not be inside testdata/: $DIR" ;;
esac
mkdir -p "$DIR"
if [[ $SIZE_MIB == 1024 ]]; then
    DATA=$DIR/cloudtrail
else
    DATA=$DIR/cloudtrail-${SIZE_MIB}mib
fi
# Results go beside the data, never inside it (every tool reads all of it).
RES=$DATA
GEN_TXT=$DATA.gen.txt
# Reused across runs: delete it to regenerate (e.g. after changing gen_cloudtrail).
if [[ ! -d $DATA/AWSLogs || ! -s $GEN_TXT ]]; then
    step "Generating $DATA ($SIZE_MIB MiB uncompressed)"
    # Into a temporary folder first, so an interrupted run leaves nothing a
    # later run would take for a complete trail.
    tmp=$DATA.partial.$$
    rm -rf "$DATA" "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    rc=0
    "$GEN" "$tmp" --size-mib "$SIZE_MIB" 2>"$GEN_TXT.partial" || rc=$?
    cat "$GEN_TXT.partial" >&2
    ((rc == 0)) || die "the generator failed"
    mv "$tmp" "$DATA"
    mv "$GEN_TXT.partial" "$GEN_TXT"
    trap - EXIT
fi

# The generator's known answer: its "expect<TAB>arn<TAB>count" lines.
awk -F'\t' '$1 == "expect" {print $2 "\t" $3}' "$GEN_TXT" | LC_ALL=C sort >"$RES-expected.tsv"
[[ -s $RES-expected.tsv ]] || die "no expected answer in $GEN_TXT: delete $DATA and run again"
readers=$(wc -l <"$RES-expected.tsv")
reads=$(awk -F'\t' '{n += $2} END {print n + 0}' "$RES-expected.tsv")

step "Warming the page cache"
# Every tool then reads from memory, so we compare parsing, not the disk.
mapfile -d '' FILES < <(find "$DATA" -name '*.json.gz' -print0)
((${#FILES[@]})) || die "no *.json.gz files under $DATA"
cat "${FILES[@]}" >/dev/null
GZ_BYTES=$(cat "${FILES[@]}" | wc -c)
# gzip -l reads each file's trailer: the uncompressed size (mod 4 GiB,
# far above a trail file's few MB).
BYTES=$(gzip -lq "${FILES[@]}" | awk '{n += $2} END {print n}')
echo "$DATA: ${#FILES[@]} files, $BYTES bytes uncompressed, $GZ_BYTES bytes gzipped"
echo "planted: $reads successful reads of $SECRET by $readers identities"

# ---------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------
# Successful reads of $name per identity, as "eventID<TAB>arn" lines; the
# shell pipeline then drops repeated eventIDs and counts per identity. The
# name goes into the ARN regex escaped.
# shellcheck disable=SC2016 # $name, $id, $arn are jq variables, not shell ones
JQ_READS='("^arn:aws:secretsmanager:[^:]*:[0-9]*:secret:"
    + ($name | gsub("(?<c>[.^$|?*+()\\[\\]{}\\\\])"; "\\\(.c)"))
    + "(-[A-Za-z0-9]{6})?$") as $arn
| .Records[]
| select(.eventSource == "secretsmanager.amazonaws.com"
         and .eventName == "GetSecretValue" and .errorCode == null)
| select(.requestParameters.secretId as $id
         | $id == $name or ($id | type == "string" and test($arn)))
| [.eventID, .userIdentity.arn] | @tsv'

# The same question in SQL. DuckDB infers the schema (format 'auto'; a
# trail file is one JSON value of a few MB, hence maximum_object_size).
# requestParameters differs per API, so DuckDB may type it as a MAP, a
# STRUCT or JSON: going through JSON reads secretId from any of them.
# (An explicit `columns` schema gave the same answer but ran ~3x slower.)
DUCKDB_READERS=$(
    cat <<'PY'
import re, sys, duckdb
root, name = sys.argv[1], sys.argv[2]
arn = "^arn:aws:secretsmanager:[^:]*:[0-9]*:secret:" + re.escape(name) + "(-[A-Za-z0-9]{6})?$"
sql = """
SELECT arn, count(DISTINCT event_id) FROM (
  SELECT r.userIdentity.arn AS arn, r.eventID AS event_id,
         CAST(r.requestParameters AS JSON) ->> 'secretId' AS secret_id
  FROM (SELECT unnest(Records) AS r
        FROM read_json(?, format = 'auto', maximum_object_size = 268435456))
  WHERE r.eventSource = 'secretsmanager.amazonaws.com'
    AND r.eventName = 'GetSecretValue' AND r.errorCode IS NULL)
WHERE secret_id = ? OR regexp_matches(secret_id, ?)
GROUP BY 1
"""
glob = root.rstrip("/") + "/**/*.json.gz"
# No progress bar: it goes to stdout, among the answer's lines.
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
for identity, n in con.execute(sql, [glob, name, arn]).fetchall():
    print(f"{identity}\t{n}")
PY
)

# Commands are strings for hyperfine, so quote every argument.
q() { printf '%q' "$1"; }
D=$(q "$DATA")
S=$(q "$SECRET")
NAMES=()
declare -A CMD=()
add() {
    NAMES+=("$1")
    CMD[$1]=$2
}
if [[ $USE_WHOSAW != 0 && -x $WHOSAW_BIN ]]; then
    add "whosaw who-read" "$(q "$WHOSAW_BIN") who-read $(q "aws:$SECRET") $D --format json --quiet"
fi
# find | xargs: one gzip for many files, one jq for the whole stream.
add "jq (find | xargs gzip -dc | jq | sort | uniq -c)" "find $D -name '*.json.gz' -print0 | xargs -0 gzip -dc \
| jq -r --arg name $S $(q "$JQ_READS") \
| LC_ALL=C sort -u | cut -f2 | LC_ALL=C sort | uniq -c | awk '{print \$2 \"\\t\" \$1}'"
if ((HAVE_DUCKDB)); then
    add "duckdb (python, read_json)" "python3 -c $(q "$DUCKDB_READERS") $D $S"
fi

# ---------------------------------------------------------------------------
# Correctness first: every tool must give the planted answer. Peak RSS is
# measured on the same runs.
# ---------------------------------------------------------------------------
declare -A RSS=()
# run_once NAME COMMAND OUT: runs COMMAND with stdout to OUT, records peak
# RSS of NAME when GNU time is there, and returns the command's exit status.
run_once() {
    local rc=0
    if [[ -n $GNU_TIME ]]; then
        "$GNU_TIME" -f '%M' -o "$RES-rss.txt" bash -c "$2" >"$3" || rc=$?
        # GNU time appends "Command exited with non-zero status N" first.
        RSS[$1]=$(awk 'END {printf "%.0f", $1 / 1024}' "$RES-rss.txt")
    else
        bash -c "$2" >"$3" || rc=$?
    fi
    return "$rc"
}

# answer NAME OUT: the "arn<TAB>count" lines of NAME's output, sorted.
answer() {
    if [[ $1 == whosaw* ]]; then
        # Identities that were only denied have successful_reads == 0.
        jq -r '.readers[] | select(.successful_reads > 0)
            | "\(.identity_id)\t\(.successful_reads)"' "$2"
    else
        cat "$2"
    fi | LC_ALL=C sort
}

step "Checking answers against the planted ones and measuring peak RSS"
TIMED=()
for name in "${NAMES[@]}"; do
    rc=0
    run_once "$name" "${CMD[$name]}" "$RES-out.txt" || rc=$?
    file=$RES-readers-${name%% *}.tsv
    problem=
    if [[ $name == whosaw* && $rc != 0 ]]; then
        # whosaw: 0 = readers found, 1 = none, 3 = partial input.
        problem="exited $rc, expected 0 (readers found)"
    elif ((rc != 0)); then
        problem="exited $rc"
    elif ! answer "$name" "$RES-out.txt" >"$file" 2>"$RES-err.txt"; then
        problem="output is not what was expected: $(head -c 300 "$RES-err.txt")"
    elif ! diff -u "$RES-expected.tsv" "$file" >"$RES-diff.txt"; then
        problem="disagrees with the planted answer (- planted, + $name):
$(cat "$RES-diff.txt")"
    fi
    if [[ -n $problem ]]; then
        if [[ $name == whosaw* && $USE_WHOSAW == auto ]]; then
            echo "warning: $name $problem; leaving it out" >&2
            sed -n 1,10p "$RES-out.txt" >&2
            unset 'RSS[$name]'
            continue
        fi
        sed -n 1,20p "$RES-out.txt" >&2
        die "'$name' $problem"
    fi
    TIMED+=("$name")
    echo "ok: $name: $readers readers, $reads reads${RSS[$name]:+ (peak RSS ${RSS[$name]} MB)}"
done

# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------
step "Timing ($RUNS runs each, after 1 warmup)"
# -i: answers were checked above; a stray non-zero must not abort a run.
args=(--shell bash -i --warmup 1 --runs "$RUNS"
    --export-markdown "$RES-results.md" --export-json "$RES-results.json")
for name in "${TIMED[@]}"; do
    args+=(-n "$name" "${CMD[$name]}")
done
hyperfine "${args[@]}"

# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------
{
    echo "## whosaw vs public tools on CloudTrail: who read \`$SECRET\`?"
    echo
    echo "Trail: \`$DATA\` (examples/gen_cloudtrail, $SIZE_MIB MiB), ${#FILES[@]} gzipped files,"
    echo "$BYTES bytes uncompressed, $GZ_BYTES bytes gzipped; planted answer: $reads"
    echo "successful reads by $readers identities, which every tool below gave."
    echo "Machine: $(getconf _NPROCESSORS_ONLN) CPUs, $(uname -sr); page cache warm; hyperfine $RUNS runs after 1 warmup."
    echo
    echo "| command | mean s | ± s | MB/s uncompressed | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|"
    jq -r '.results[] | [.command, .mean, (.stddev // 0)] | @tsv' "$RES-results.json" |
        while IFS=$'\t' read -r name mean sd; do
            rss=${RSS[$name]:--}
            # ENVIRON, not -v: awk would interpret backslashes in -v values.
            n=$name m=$mean s=$sd b=$BYTES r=$rss awk 'BEGIN {
                name = ENVIRON["n"]; gsub(/\|/, "\\|", name) # "|" would end the cell
                printf "| %s | %.3f | %.3f | %.0f | %s |\n", name, ENVIRON["m"], ENVIRON["s"], ENVIRON["b"] / 1e6 / ENVIRON["m"], ENVIRON["r"]
            }'
        done
    echo
    echo "MB/s is the uncompressed trail (10^6 bytes) over the mean time. Peak"
    echo "RSS is GNU time's maximum resident set of the largest process of the"
    echo "command (for the pipeline: jq, gzip, sort...)."
} | tee "$RES-summary.md"
echo
echo "Results: $RES-summary.md, $RES-results.md, $RES-results.json"
