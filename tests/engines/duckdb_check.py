#!/usr/bin/env python3
"""DuckDB reads whosaw's Parquet export: the row count whosaw reported,
typed columns (a UTC timestamp, a map, a list, booleans, the Hive
partitions), and a query that gives who-read's count of successful reads
per reader.

usage: duckdb_check.py FOLDER ROWS WHO_READ_JSON SECRET
  FOLDER         `whosaw export --format parquet -o FOLDER/` output
  ROWS           how many rows whosaw said it wrote
  WHO_READ_JSON  `whosaw who-read SECRET … --json` over the same logs
  SECRET         the secret's name as rows give it (`secret`: KV v2 without data/)
"""

import json
import sys

import duckdb


def main(folder, rows, who_read, secret):
    db = duckdb.connect()
    source = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
    count = db.execute(f"select count(*) from {source}").fetchall()[0][0]
    assert count == int(rows), f"{count} rows read, whosaw wrote {rows}"
    types = dict(db.execute(f"select column_name, column_type from (describe select * from {source})").fetchall())
    want = {
        "time": "TIMESTAMP WITH TIME ZONE",
        "time_ns": "BIGINT",
        "provider": "VARCHAR",
        "secret": "VARCHAR",
        "line": "UBIGINT",
        "metadata": "MAP(VARCHAR, VARCHAR)",
        "policies": "VARCHAR[]",
        "decides": "BOOLEAN",
        "complete": "BOOLEAN",
        "date": "DATE",
    }
    for column, kind in want.items():
        assert types.get(column) == kind, f"{column}: {types.get(column)}, not {kind}"
    # A read that left the store, once per request: its response row.
    counted = dict(
        db.execute(
            f"""select identity_id, count(*) from {source}
                where stage = 'response' and outcome = 'success' and kind = 'value' and secret = ?
                group by identity_id""",
            [secret],
        ).fetchall()
    )
    with open(who_read) as f:
        readers = json.load(f)["readers"]
    expected = {r["identity_id"]: r["successful_reads"] for r in readers if r["successful_reads"]}
    assert expected, "who-read found no successful read to compare"
    assert counted == expected, f"DuckDB {counted} != who-read {expected}"
    print(f"1 passed, 0 failed: duckdb read {count} rows, {len(want)} typed columns, {len(expected)} readers' counts")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
