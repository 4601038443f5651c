#!/usr/bin/env python3
"""The audit log as the attack replay (tests/attacks.test.js) reaches it in the database.

count: how many events of ACTION by ACTOR_LABEL there are (finding 15: refusals audited).

tamper (finding 9): an attacker with the database but not the server's key
deletes audit events and rewrites the hash chain over the rest with plain SHA-256, as the
chain was computed before it had a key (length-prefixed fields, see hearth_domain::audit).

Usage: audit-db.py count DATABASE_URL ACTION ACTOR_LABEL
       audit-db.py tamper DATABASE_URL ACTOR_LABEL
       audit-db.py copy SQLITE_URL FILE   (a consistent copy of a live SQLite database)
tamper deletes every event whose actor_label is ACTOR_LABEL, renumbers the rest, recomputes each
prev_hash and hash, and moves audit_head. Prints how many events it deleted.
SQLite through python's sqlite3; PostgreSQL through psql (JSON out, SQL back in).
"""

import hashlib
import json
import sqlite3
import struct
import subprocess
import sys

GENESIS = "0" * 64
CHAINED = ["seq", "id", "at", "actor_user_id", "actor_label", "action", "record_type",
           "record_id", "ip", "reason", "detail"]


def chain_hash(prev, row):
    h = hashlib.sha256()
    for value in [prev] + [None if row[c] is None else str(row[c]) for c in CHAINED]:
        if value is None:
            h.update(struct.pack(">Q", 2**64 - 1))
        else:
            data = value.encode()
            h.update(struct.pack(">Q", len(data)))
            h.update(data)
    return h.hexdigest()


def rewrite(rows, actor):
    kept = [dict(r) for r in rows if r["actor_label"] != actor]
    prev = GENESIS
    for seq, row in enumerate(kept, start=1):
        row["seq"] = seq
        row["prev_hash"] = prev
        row["hash"] = chain_hash(prev, row)
        prev = row["hash"]
    return kept, len(rows) - len(kept), prev


def sqlite(url, actor):
    db = sqlite3.connect(url.split("://", 1)[1].split("?", 1)[0], timeout=30)
    db.row_factory = sqlite3.Row
    rows = db.execute("SELECT * FROM audit_events ORDER BY seq").fetchall()
    kept, deleted, head = rewrite(rows, actor)
    columns = rows[0].keys()
    with db:
        db.execute("DELETE FROM audit_events")
        for row in kept:
            db.execute(
                f"INSERT INTO audit_events ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [row[c] for c in columns],
            )
        db.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (len(kept), head))
    return deleted


def postgres(url, actor):
    def psql(sql, stdin=None):
        return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql] if stdin is None
                              else ["psql", url, "-v", "ON_ERROR_STOP=1", "-Atq"],
                              input=stdin, capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in
            psql("SELECT row_to_json(e) FROM audit_events e ORDER BY seq").splitlines() if line]
    kept, deleted, head = rewrite(rows, actor)
    columns = list(rows[0].keys())
    script = ["BEGIN;", "DELETE FROM audit_events;"]
    for row in kept:
        payload = json.dumps({c: row[c] for c in columns}).replace("'", "''")
        script.append(
            f"INSERT INTO audit_events SELECT * FROM json_populate_record(NULL::audit_events, '{payload}');")
    script.append(f"UPDATE audit_head SET seq = {len(kept)}, hash = '{head}' WHERE id = 1;")
    script.append("COMMIT;")
    psql(None, "\n".join(script))
    return deleted


def count(url, action, actor):
    sql = "SELECT count(*) FROM audit_events WHERE action = '%s' AND actor_label = '%s'" % (
        action.replace("'", "''"), actor.replace("'", "''"))
    if url.startswith("sqlite"):
        db = sqlite3.connect(url.split("://", 1)[1].split("?", 1)[0], timeout=30)
        return db.execute(sql).fetchone()[0]
    return int(subprocess.run(["psql", url, "-Atqc", sql], capture_output=True, text=True,
                              check=True).stdout.strip())


if __name__ == "__main__":
    command, url = sys.argv[1], sys.argv[2]
    if command == "copy":
        source = sqlite3.connect(url.split("://", 1)[1].split("?", 1)[0], timeout=30)
        source.backup(sqlite3.connect(sys.argv[3]))
    elif command == "count":
        print(count(url, sys.argv[3], sys.argv[4]))
    else:
        print((sqlite if url.startswith("sqlite") else postgres)(url, sys.argv[3]))
