"""The benchmark scripts still run against the code as it is (a change of API once broke
benchmarks/queries.py without any test noticing)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_queries_benchmark_runs_and_reports_every_page(tmp_path):
    out = tmp_path / "queries.json"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # its own SQLite
    result = subprocess.run([sys.executable, "benchmarks/queries.py", "--sizes", "12",
                             "--repeat", "1", "--json", str(out)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads(out.read_text())
    assert {r["page"] for r in rows} == {"home", "documents", "document", "messages",
                                         "conversation", "agenda", "history"}
    assert all(r["log_rows"] == 1 and 0 < r["queries"] <= 8 for r in rows), rows
