"""Runs the DfE's SSDA903 validation rules (data-to-insight's csc-validator-be-903, installed by
`scripts/install-test-deps.sh --ssda903`) over a folder of 903 CSV files, as the tests use it.

    ssda903-validate.py FOLDER YEAR LA_CODE

YEAR is the year the collection ends on 31 March (2026 for 2025-26). Prints one line per error,
tab-separated (rule, file, row, child, what the rule says), and exits 1 when there is any; a rule
that could not run on the files is named on standard error, never counted as passed silently.
"""

import importlib
import logging
import sys
from pathlib import Path

from lac_validator import lac_validator
from lac_validator.report import Report
from lac_validator.utils import process_uploaded_files


def main() -> int:
    folder, year, la = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    logging.disable(logging.CRITICAL)
    files = sorted(str(p) for p in folder.glob("*.csv"))
    ruleset = f"lac{year - 1}_{year % 100:02d}"
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    v = lac_validator.LacValidator(
        metadata={"collectionYear": f"{year}", "localAuthority": la},
        files=process_uploaded_files({"This year": files}),
        registry=registry,
    )
    for code in v.fails:
        print(f"rule {code} could not run on these files", file=sys.stderr)
    report = Report(v.ds_results, registry)
    errors = 0
    for col in [c for c in report.report.columns if c.startswith("ERR_")]:
        code = col[4:]
        message = registry[code].message if code in registry else ""
        for _, row in report.report[report.report[col] == True].iterrows():
            errors += 1
            print(f"{code}\t{row['Table']}\t{row['RowID']}\t{row['CHILD']}\t{message}")
    print(f"{errors} errors, {len(v.dones)} rules run, {len(v.skips)} skipped for want of files, ruleset {ruleset}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
