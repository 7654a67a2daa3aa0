#!/usr/bin/env python3
"""Writes the fixtures of `whosaw suspicious`: for each rule, a log where it
must fire and a near miss where it must not (one read fewer than the
threshold, a trusted address, a staging identity reading staging...).

Lines are Vault file audit device entries, modelled field by field as in
`../vault/make_fixtures.py` (Go encoding/json layout, HMAC'd tokens). The
baseline period is 2025-03-01 to 2025-03-10 (20 or more reads for every
identity a baseline rule judges: `[baseline] min_reads`); the judged events
are on 2025-03-15; tests split them with `--learn-until 2025-03-14T00:00:00Z`.
Rebuild byte for byte: `python3 testdata/suspicious/make_fixtures.py`.
"""

import datetime as dt
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
LEARN_UNTIL = "2025-03-14T00:00:00Z"


def hmac(text):
    return "hmac-sha256:" + hashlib.sha256(text.encode()).hexdigest()


def go_json(obj):
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def ident(name, display=None, policies=("default",), metadata=None, addr="10.0.1.42"):
    return dict(name=name, display=display or name, policies=list(policies),
                metadata=metadata or {}, addr=addr,
                entity=str(hashlib.md5(name.encode()).hexdigest()[:8]) + "-0000-4000-8000-"
                + hashlib.sha256(name.encode()).hexdigest()[:12])


class Log:
    def __init__(self):
        self.lines = []
        self.n = 0

    def read(self, who, when, path, error=None, addr=None, op="read", mount="secret/"):
        """One request and its response, 3 ms apart."""
        self.n += 1
        rid = "%08x-0000-4000-8000-%012x" % (self.n, self.n)
        t = dt.datetime.strptime(when, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
        stamp = lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
        auth = {"client_token": hmac("token-" + who["name"]),
                "accessor": hmac("accessor-" + who["name"]),
                "display_name": who["display"], "policies": who["policies"],
                "token_policies": who["policies"]}
        if who["metadata"]:
            auth["metadata"] = who["metadata"]
        auth["entity_id"] = who["entity"]
        auth["token_type"] = "service"
        request = {"id": rid, "client_id": who["entity"], "operation": op,
                   "mount_point": mount, "mount_type": "kv", "mount_class": "secret",
                   "client_token": auth["client_token"],
                   "client_token_accessor": auth["accessor"],
                   "namespace": {"id": "root"}, "path": path,
                   "remote_address": addr or who["addr"], "remote_port": 50000 + self.n % 10000}
        req = {"time": stamp(t), "type": "request", "auth": auth, "request": request}
        resp = {"time": stamp(t + dt.timedelta(milliseconds=3)), "type": "response",
                "auth": auth, "request": request}
        if error:
            req["error"] = "permission denied"
            resp["response"] = {"data": {"error": hmac("permission denied")}}
            resp["error"] = "1 error occurred:\n\t* permission denied\n\n"
        else:
            resp["response"] = {"mount_point": mount, "mount_type": "kv",
                                "data": {"data": {"value": hmac("value-" + path)},
                                         "metadata": {"version": 3}}}
        self.lines += [go_json(req), go_json(resp)]

    def write(self, name):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(self.lines) + "\n")


def at(day, hour, minute, second=0):
    return "2025-03-%02dT%02d:%02d:%02d" % (day, hour, minute, second)


def minutes_apart(start_minute, n, span_minutes, hour=3, day=15):
    """n times spread evenly over span_minutes (strictly less), from hour:start_minute."""
    step = span_minutes * 60 / n
    return [at(day, hour + int((start_minute * 60 + i * step) // 3600),
               int((start_minute * 60 + i * step) // 60) % 60, int(i * step) % 60)
            for i in range(n)]


# --- burst: 20 distinct secrets within 10 minutes; 30 reads of one in 5 ---
SCRAPER = ident("scraper", "approle", ["reporting"], {"role_name": "reporting"})


def burst():
    for name, n in [("burst-distinct.log", 20), ("burst-distinct-near.log", 19)]:
        log = Log()
        for i, when in enumerate(minutes_apart(0, n, 9)):
            log.read(SCRAPER, when, "secret/data/reports/source-%02d" % i)
        log.write(name)
    for name, n in [("burst-same.log", 30), ("burst-same-near.log", 29)]:
        log = Log()
        for when in minutes_apart(10, n, 4):
            log.read(SCRAPER, when, "secret/data/reports/warehouse-password")
        log.write(name)


# --- denied-burst: 10 denials within 15 minutes; 3 denials then a success ---
PROBER = ident("prober", "userpass-mallory", ["default"], {"username": "mallory"}, "10.0.5.5")


def denied():
    for name, n in [("denied-burst.log", 10), ("denied-burst-near.log", 9)]:
        log = Log()
        for i, when in enumerate(minutes_apart(0, n, 14)):
            log.read(PROBER, when, "secret/data/prod/key-%d" % i, error=True)
        log.write(name)
    for name, n in [("denied-then-allowed.log", 3), ("denied-then-allowed-near.log", 2)]:
        log = Log()
        for i, when in enumerate(minutes_apart(0, n, 3)):
            log.read(PROBER, when, "secret/data/prod/key-%d" % i, error=True)
        log.read(PROBER, at(15, 3, 6), "secret/data/prod/key-9")
        log.write(name)
    # One address, five identities, two denials each: only the address stands out.
    log = Log()
    for i in range(5):
        who = ident("sprayed-%d" % i, "userpass-user%d" % i, addr="10.0.6.6")
        for j in range(2):
            log.read(who, at(15, 3, i * 2 + j), "secret/data/prod/db", error=True)
    log.write("denied-address.log")


# --- new-source: untrusted address (with a config), new network (with a baseline) ---
WORKER = ident("worker", "approle", ["worker"], {"role_name": "worker"}, "10.0.1.20")


def new_source():
    for name, addr in [("new-source.log", "203.0.113.9"), ("new-source-near.log", "10.9.9.9")]:
        log = Log()
        log.read(WORKER, at(15, 3, 0), "secret/data/app/config", addr=addr)
        log.write(name)
    for name, addr in [("new-network.log", "10.0.7.3"), ("new-network-near.log", "10.0.1.99")]:
        log = Log()
        for day in range(1, 11):
            log.read(WORKER, at(day, 9, 0), "secret/data/app/config")
            log.read(WORKER, at(day, 15, 0), "secret/data/app/config")
        log.read(WORKER, at(15, 9, 0), "secret/data/app/config", addr=addr)
        log.write(name)


# --- env-drift: staging-only reader reads production ---
STAGER = ident("stager", "approle", ["apps"], {"role_name": "web"})


def env_drift():
    for name, judged in [("env-drift.log", ["secret/data/production/db", "secret/data/production/db"]),
                         ("env-drift-once.log", ["secret/data/production/db"]),
                         ("env-drift-near.log", ["secret/data/staging/db", "secret/data/staging/cache"])]:
        log = Log()
        for day in range(1, 11):
            log.read(STAGER, at(day, 10, 0), "secret/data/staging/db")
            log.read(STAGER, at(day, 10, 5), "secret/data/dev/db")
        for i, path in enumerate(judged):
            log.read(STAGER, at(15, 10, i), path)
        log.write(name)


# --- env-mismatch: a staging identity reads production (no baseline needed) ---
def env_mismatch():
    staging = ident("staging-deployer", "approle", ["staging-deploy"], {"role_name": "staging-deployer"})
    for name, path in [("env-mismatch.log", "secret/data/prod/payments/api-key"),
                       ("env-mismatch-near.log", "secret/data/staging/payments/api-key")]:
        log = Log()
        log.read(staging, at(15, 4, 0), path)
        log.write(name)
    ci = ident("ci-builder", "approle", ["builder"], {"role_name": "ci-builder"})
    log = Log()
    log.read(ci, at(15, 4, 0), "secret/data/production/signing-key")
    log.read(ci, at(15, 4, 1), "secret/data/staging/signing-key")
    log.write("env-mismatch-policy.log")


# --- off-hours: a deploy bot that works at 22:00 reads at 02:34 ---
BOT = ident("deploy-bot", "approle", ["deploy"], {"role_name": "deploy-bot"})


def off_hours():
    for name, when in [("off-hours.log", at(15, 2, 34)), ("off-hours-near.log", at(15, 23, 10))]:
        log = Log()
        for day in range(1, 11):
            for minute in (0, 20, 40):
                log.read(BOT, at(day, 22, minute), "secret/data/production/deploy-key")
        log.read(BOT, when, "secret/data/production/deploy-key")
        log.write(name)


# --- first-access: a known identity reads a secret it never read ---
PAYMENTS = ident("payments-api", "approle", ["payments"], {"role_name": "payments-api"})


def first_access():
    for name, path in [("first-access.log", "secret/data/production/ledger-key"),
                       ("first-access-near.log", "secret/data/production/payments-db")]:
        log = Log()
        for day in range(1, 11):
            log.read(PAYMENTS, at(day, 12, 0), "secret/data/production/payments-db")
            log.read(PAYMENTS, at(day, 13, 0), "secret/data/production/payments-db")
        log.read(PAYMENTS, at(15, 12, 0), path)
        log.write(name)


# --- the baseline rules judge only routines they know ---
BROWSER = ident("browser", "userpass-carol", ["ops"], {"username": "carol"})


def unsettled():
    # Still discovering secrets through its baseline: a new one is no news.
    log = Log()
    for day in range(1, 11):
        log.read(BROWSER, at(day, 12, 0), "secret/data/team/doc-%02d" % day)
        log.read(BROWSER, at(day, 13, 0), "secret/data/team/doc-%02d" % day)
    log.read(BROWSER, at(15, 12, 0), "secret/data/team/doc-99")
    log.write("first-access-unsettled.log")
    # Reads around the clock: no working hours to be outside of.
    log = Log()
    for day in range(1, 11):
        for hour in range(0, 24, 2):
            log.read(BROWSER, at(day, hour, 30), "secret/data/team/doc-01")
    log.read(BROWSER, at(15, 3, 0), "secret/data/team/doc-01")
    log.write("off-hours-around-the-clock.log")
    # Too few baseline reads to know it.
    log = Log()
    for day in range(1, 4):
        log.read(STAGER, at(day, 10, 0), "secret/data/staging/db")
    log.read(STAGER, at(15, 10, 0), "secret/data/production/db")
    log.write("env-drift-little-history.log")


CONFIG = """# For the fixtures: the office network is trusted; CI may read staging only.
trusted_networks = ["10.0.0.0/8"]

[[policy]]
identity = "^ci-"
allowed = ["staging", "development", "test"]
"""

if __name__ == "__main__":
    burst()
    denied()
    new_source()
    env_drift()
    env_mismatch()
    off_hours()
    first_access()
    unsettled()
    with open(os.path.join(HERE, "whosaw.toml"), "w") as f:
        f.write(CONFIG)
