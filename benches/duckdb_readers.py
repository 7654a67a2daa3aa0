"""Who read SECRET, per identity, by DuckDB over Vault audit logs (the
question whosaw who-read answers): the comparison for benches/index.sh.

Usage: python3 benches/duckdb_readers.py SECRET LOG...
"""
import sys

import duckdb

SQL = """
SELECT coalesce(nullif(auth.entity_id, ''), nullif(auth.accessor, ''), auth.display_name),
       count(*)
FROM read_ndjson(?, columns = {
        type: 'VARCHAR', error: 'VARCHAR',
        auth: 'STRUCT(entity_id VARCHAR, accessor VARCHAR, display_name VARCHAR)',
        request: 'STRUCT(operation VARCHAR, path VARCHAR)'})
WHERE type = 'response' AND request.operation = 'read' AND request.path = ?
  AND coalesce(error, '') = ''
GROUP BY 1
"""

secret, logs = sys.argv[1], sys.argv[2:]
for identity, n in duckdb.connect().execute(SQL, [logs, secret]).fetchall():
    print(f"{identity}\t{n}")
