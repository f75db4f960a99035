"""Fault test: PostgreSQL restarted while 200 respondents send their answers.

Runs ``benchmarks/load.py --engine postgres --restart-postgres``: once a third of the respondents
are acknowledged, ``pg_ctlcluster --skip-systemctl-redirect 15 main restart`` (needs root or the
postgres user; a few seconds of outage for every database on that server, so never in the test
suite). While PostgreSQL is down, requests must fail cleanly (503 with Retry-After, no stack
trace, nothing half stored); the clients retry and must succeed afterwards; no acknowledged
response may be lost or duplicated. Exits 1 otherwise. Extra arguments go to load.py.

    .venv/bin/python benchmarks/faults.py [--respondents 200]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import main

if __name__ == "__main__":
    sys.exit(main(["--engine", "postgres", "--restart-postgres", *sys.argv[1:]]))
