"""The benchmark entry point works at a tiny size (CI never runs the real benchmarks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.common import run_child

ROOT = Path(__file__).resolve().parents[1]


def test_a_child_process_peak_memory_is_its_own() -> None:
    # The child holds 200 MB at once; an interpreter alone stays far below that.
    held = run_child(
        [sys.executable, "-c", "x = bytearray(200 * 1024 * 1024); x[-1] = 1"]
    )
    idle = run_child([sys.executable, "-c", "pass"])

    assert 200 <= held.peak_rss_mb < 200 + idle.peak_rss_mb + 50
    assert idle.peak_rss_mb < 100


def test_the_build_part_writes_its_figures_and_the_table(tmp_path: Path) -> None:
    work, results = tmp_path / "work", tmp_path / "results"
    command = [
        sys.executable, "-m", "benchmarks", "build", "--events", "1000", "--runs", "1",
        "--engines", "duckdb", "--work", str(work), "--results", str(results),
    ]  # fmt: skip

    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)

    entry = json.loads((results / "build.json").read_text())["results"][0]
    assert (entry["engine"], entry["events"], len(entry["runs"])) == ("duckdb", 1000, 1)
    assert entry["wall_s"] == entry["runs"][0]["wall_s"] > entry["build_s"] > 0
    # The month and the one before it hold 1,000 events each, older months 1 % of that.
    assert entry["runs"][0]["audit_log_rows"] > 2000
    assert (work / "demo-1000.duckdb").exists()
    table = (results / "RESULTS.md").read_text()
    assert "| 1,000 | duckdb |" in table


def test_the_table_puts_spark_beside_the_databases_query_time(tmp_path: Path) -> None:
    from benchmarks import table
    from benchmarks.common import Options

    machine = {
        "cpu": "test", "cores": 2, "cores_usable": 2, "memory_gb": 1.0,
        "system": "test", "python": "3", "packages": {},
    }  # fmt: skip
    spark = [
        {"engine": "spark local[1]", "events": 1000, "wall_s": 40.0, "query_s": 31.5,
         "export_s": 2.3},
        {"engine": "spark local[2]", "events": 1000, "wall_s": 30.0, "query_s": 21.5,
         "export_s": 2.3},
    ]  # fmt: skip
    engine = [
        {"engine": "duckdb", "events": 1000, "library_query_s": 0.5, "engine_s": 0.4,
         "per_query": {}, "slowest": []},
    ]  # fmt: skip
    for part, entries in (("spark", spark), ("engine", engine)):
        document = {"part": part, "machine": machine, "results": entries}
        (tmp_path / f"{part}.json").write_text(json.dumps(document))

    written = table.write(Options(results=tmp_path)).read_text()

    assert "Machine: test, 2 cores (2 usable)" in written
    # One row per size: export, then wall and queries for 1 and 2 cores, then the databases.
    assert "| 1,000 | 2.3 | 40.0 | 31.5 | 30.0 | 21.5 | 0.5 | — |" in written


def test_the_table_says_when_parts_were_measured_on_different_machines(
    tmp_path: Path,
) -> None:
    from benchmarks import table
    from benchmarks.common import Options

    for part, cpu in (("report", "AMD EPYC"), ("spark", "Intel Xeon")):
        machine = {
            "cpu": cpu, "cores": 2, "cores_usable": 2, "memory_gb": 1.0,
            "system": "test", "python": "3", "packages": {},
        }  # fmt: skip
        document = {"part": part, "machine": machine, "results": []}
        (tmp_path / f"{part}.json").write_text(json.dumps(document))

    written = table.write(Options(results=tmp_path)).read_text()

    assert "Machines differ between parts:" in written
    assert "- report: AMD EPYC, 2 cores" in written
    assert "- spark: Intel Xeon, 2 cores" in written


def test_ingestion_is_skipped_naming_the_real_log_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import ingest, ingestion

    absent = tmp_path / "shared" / "data" / "real" / "auth.log"
    monkeypatch.setattr(ingest, "SOURCE", absent)

    assert ingestion.missing() == (
        f"it repeats the real log {absent}, which is not there (see SOURCES.md)"
    )
