#!/usr/bin/env bash
# The analytics extract read by another tool (ADR 0038): generates a small synthetic
# partnership (`hearth demo --scale village`) into a new SQLite database, writes the extract
# with `hearth extract`, and reads every Parquet file with DuckDB (pinned, installed into a
# cached venv in ~/.cache/hearth-tools): each file's rows match the manifest and its CSV, the
# columns have their types, and no person's name from the database is a word in any cell.
#   scripts/extract-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DUCKDB_VERSION=1.4.4
TOOLS="${HEARTH_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-tools}"
VENV="$TOOLS/duckdb-venv"
if ! "$VENV/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  echo "extract-check: installing duckdb $DUCKDB_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

BIN=${HEARTH_BIN:-target/debug/hearth}
if [ -z "${HEARTH_BIN:-}" ]; then cargo build --quiet --locked -p hearth; fi
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
export HEARTH_DATA_DIR="$DATA" HEARTH_EXTRACT_SECRET="extract-check-$(date +%s)-0123456789abcdef"
"$BIN" demo --scale village --years 2 >/dev/null
"$BIN" extract --out "$DATA/extract"

"$VENV/bin/python" - "$DATA/hearth.db" "$DATA/extract" <<'PY'
import json, os, re, sqlite3, sys
import duckdb

db, folder = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(folder, "manifest.json")))
names = set()
for given, family in sqlite3.connect(db).execute("SELECT given_names, family_name FROM people"):
    for word in f"{given} {family}".split():
        if len(word) >= 4:
            names.add(word.lower())
con = duckdb.connect()
problems = []
for table in manifest["tables"]:
    name = table["name"]
    parquet = os.path.join(folder, f"{name}.parquet")
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[0]
    csv_rows = con.execute(f"SELECT count(*) FROM read_csv('{os.path.join(folder, name + '.csv')}', all_varchar=true)").fetchone()[0]
    if rows != table["rows"] or csv_rows != rows:
        problems.append(f"{name}: manifest {table['rows']}, parquet {rows}, csv {csv_rows}")
    columns = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{parquet}')").fetchall()
    types = {c[0]: c[1] for c in columns}
    for column, kind in types.items():
        if column.endswith("_date") and kind != "DATE":
            problems.append(f"{name}.{column} is {kind}, not DATE")
    texts = [c for c, k in types.items() if k == "VARCHAR"]
    for row in con.execute(f"SELECT {', '.join(texts) or 'NULL'} FROM read_parquet('{parquet}')").fetchall():
        for cell in row:
            if cell is None:
                continue
            for word in re.split(r"[^\w'-]+", str(cell).lower()):
                if word in names:
                    problems.append(f"{name}: a person's name ({word!r}) in {cell!r}")
    print(f"{name}: {rows} rows, {len(types)} columns, read by DuckDB {duckdb.__version__}")
if problems:
    print("\n".join(problems[:20]))
    sys.exit(1)
print(f"extract-check: every table read, no name among {len(names)} people's names")
PY
