#!/usr/bin/env python3
"""Writes `lifecycle.log`: one KV v2 secret's whole life in a Vault audit log
(write, read, metadata, list, soft delete, destroy, a denied read, a login),
for `whosaw timeline`'s actions and filters. Lines are built as in
`../suspicious/make_fixtures.py`. Rebuild: `python3 testdata/timeline/make_fixtures.py`.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "suspicious"))
from make_fixtures import Log, at, ident  # noqa: E402

ADMIN = ident("admin", "userpass-admin", ["admin"], {"username": "admin"}, "10.0.0.5")
APP = ident("billing", "approle", ["billing"], {"role_name": "billing"}, "10.0.4.4")
INTRUDER = ident("intruder", "userpass-eve", ["default"], {"username": "eve"}, "198.51.100.7")

if __name__ == "__main__":
    log = Log()
    log.read(ADMIN, at(15, 1, 0), "secret/data/prod/billing-key", op="create")
    log.read(APP, at(15, 1, 5), "secret/data/prod/billing-key")
    log.read(ADMIN, at(15, 1, 10), "secret/metadata/prod/billing-key")
    log.read(ADMIN, at(15, 1, 11), "secret/metadata/prod/", op="list")
    log.read(INTRUDER, at(15, 1, 20), "secret/data/prod/billing-key", error=True)
    log.read(ADMIN, at(15, 1, 30), "secret/delete/prod/billing-key", op="update")
    log.read(ADMIN, at(15, 1, 31), "secret/destroy/prod/billing-key", op="update")
    log.read(ADMIN, at(15, 1, 32), "secret/metadata/prod/billing-key", op="delete")
    log.read(APP, at(15, 1, 40), "auth/approle/login", op="update", mount="auth/approle/")
    log.read(APP, at(15, 1, 41), "secret/data/staging/billing-key")
    with open(os.path.join(HERE, "lifecycle.log"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(log.lines) + "\n")
