"""Gate: pyright's type completeness of the installed wheel (issue 13's bar).

Run with the Python of a virtual environment where selfcare is installed from a wheel
(not editable) and pyright is available. Fails below 99 % known symbols or with any
ambiguous symbol, and prints the offenders.
"""

from __future__ import annotations

import json
import subprocess
import sys

MIN_SCORE = 0.99

COMMAND = ["-m", "pyright", "--verifytypes", "selfcare", "--ignoreexternal", "--outputjson"]

result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
    [sys.executable, *COMMAND],
    capture_output=True,
    text=True,
    check=False,
)
report = json.loads(result.stdout)
completeness = report["typeCompleteness"]
score = completeness["completenessScore"]
ambiguous = completeness["exportedSymbolCounts"]["withAmbiguousType"]
for symbol in completeness["symbols"]:
    if not symbol["isTypeKnown"] or symbol["isTypeAmbiguous"]:
        for diagnostic in symbol["diagnostics"]:
            print(f"{symbol['name']}: {diagnostic['message'].splitlines()[0]}")
print(f"type completeness {score:.1%}, ambiguous symbols {ambiguous}")
if score < MIN_SCORE or ambiguous:
    sys.exit(1)
