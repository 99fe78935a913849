"""``results/RESULTS.md``: the figures of every part as one Markdown table, with targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .common import Options, read_part

HEADER = (
    "| events | engine | demo build s (peak MB) | report s | report peak MB | PDF s (pages) "
    "| report − PDF s | engine query s | library query s | (report − PDF) / engine "
    "| pandas read_sql s (peak MB) | pandas Arrow s (peak MB) |"
)


def write(options: Options) -> Path:
    """Write the table from whatever results exist; returns its path."""
    parts = {
        name: read_part(options.results, name)
        for name in ("build", "report", "engine", "pdf", "pandas", "ingest", "spark")
    }
    lines = ["# nexus_audit benchmarks", "", _machine(options.results), ""]
    lines += [
        "Each figure is the median of its part's runs (`--runs`; each part's JSON keeps",
        "every run and the load average at the time). Times in seconds; memory is the peak",
        "resident set size of the process, in MB.",
        "",
        HEADER,
        "|" + "---|" * (HEADER.count("|") - 1),
    ]
    lines += [_row(parts, events, engine) for events, engine in _keys(parts)]
    lines += [
        "",
        *_ingest(parts["ingest"]),
        *_slowest(parts["engine"]),
        *_spark(parts),
        *_targets(parts),
    ]

    path = options.results / "RESULTS.md"
    options.results.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HARDWARE = ("cpu", "cores", "memory_gb", "system", "python")


def _machine(results: Path) -> str:
    documents = sorted(results.glob("*.json"))
    if not documents:
        return "No results yet."
    machines = {
        path.stem: json.loads(path.read_text(encoding="utf-8"))["machine"]
        for path in documents
    }
    hardware = {tuple(about.get(k) for k in HARDWARE) for about in machines.values()}
    if len(hardware) == 1:
        return "Machine: " + _describe(machines[documents[-1].stem])

    # Parts measured on different machines cannot be compared row by row; say which is which.
    return "Machines differ between parts:\n\n" + "\n".join(
        f"- {part}: {_describe(about)}" for part, about in machines.items()
    )


def _describe(about: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in about["packages"].items() if v)
    postgres = f", PostgreSQL {about['postgresql']}" if about.get("postgresql") else ""
    return (
        f"{about['cpu']}, {about['cores']} cores ({about['cores_usable']} usable), "
        f"{about['memory_gb']} GB memory, {about['system']}, Python {about['python']}"
        f"{postgres}; {versions}."
    )


def _keys(parts: dict[str, list[dict[str, Any]]]) -> list[tuple[int, str]]:
    found = {
        (e["events"], e["engine"])
        for name in ("build", "report", "engine", "pandas")
        for e in parts[name]
    }
    return sorted(found, key=lambda k: (k[0], k[1]))


def _find(entries: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    for entry in entries:
        if all(entry.get(k) == v for k, v in match.items()):
            return entry
    return {}


def _row(parts: dict[str, list[dict[str, Any]]], events: int, engine: str) -> str:
    build = _find(parts["build"], events=events, engine=engine)
    report = _find(parts["report"], events=events, engine=engine)
    inside = _find(parts["engine"], events=events, engine=engine)
    pdf = _find(parts["pdf"], events=events)
    by_sql = _find(parts["pandas"], events=events, engine=engine, variant="read_sql")
    arrow = _find(parts["pandas"], events=events, engine=engine, variant="arrow")
    ratio = _ratio(report.get("wall_minus_pdf_s"), inside.get("engine_s"))

    cells = [
        f"{events:,}",
        engine,
        _with(build.get("wall_s"), build.get("peak_rss_mb")),
        _num(report.get("wall_s")),
        _num(report.get("peak_rss_mb"), 0),
        _with(pdf.get("pdf_s"), pdf.get("pages"), ""),
        _num(report.get("wall_minus_pdf_s")),
        _num(inside.get("engine_s")),
        _num(inside.get("library_query_s")),
        _num(ratio, 2),
        _with(by_sql.get("wall_s"), by_sql.get("peak_rss_mb")),
        _with(arrow.get("wall_s"), arrow.get("peak_rss_mb")),
    ]
    return "| " + " | ".join(cells) + " |"


def _num(value: Any, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _with(value: Any, extra: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    return (
        f"{_num(value)} ({_num(extra, 0)}{unit})" if extra is not None else _num(value)
    )


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def _ingest(entries: list[dict[str, Any]]) -> list[str]:
    return [
        f"Ingestion ({e['engine']}): {e['lines']:,} SSH/syslog lines at "
        f"{_num(e.get('lines_per_second'), 0)} lines/s (peak {_num(e.get('peak_rss_mb'), 0)} MB)."
        for e in entries
    ] + ([""] if entries else [])


def _slowest(entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in entries:
        queries = entry["per_query"]
        named = ", ".join(
            f"{name} {queries[name]['engine_ms'] / 1000:.2f}"
            for name in entry["slowest"][:5]
        )
        lines.append(
            f"Slowest queries in the engine, {entry['events']:,} events on {entry['engine']} "
            f"(s): {named}."
        )
    return lines + ([""] if lines else [])


SPARK_HEADER = (
    "| events | export s | local[1] wall s | local[1] queries s | local[2] wall s "
    "| local[2] queries s | duckdb queries s | postgres queries s |"
)
DATABASES = ("duckdb", "postgres")
GROWTH_BASE = 1_000_000


def _spark(parts: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Spark's local-mode figures beside the databases' query time on the same month."""
    sizes = sorted({e["events"] for e in parts["spark"]})
    if not sizes:
        return []

    lines = [
        "## Spark in local mode",
        "",
        "Wall time of `report --engine spark --format json` (JVM start included) and the",
        "queries' own time from its log; the databases' library query time beside it.",
        "",
        SPARK_HEADER,
        "|" + "---|" * (SPARK_HEADER.count("|") - 1),
    ]
    for events in sizes:
        one = _find(parts["spark"], events=events, engine="spark local[1]")
        two = _find(parts["spark"], events=events, engine="spark local[2]")
        databases = [_find(parts["engine"], events=events, engine=e) for e in DATABASES]
        cells = [
            f"{events:,}",
            _num((one or two).get("export_s")),
            _num(one.get("wall_s")),
            _num(one.get("query_s")),
            _num(two.get("wall_s")),
            _num(two.get("query_s")),
            *(_num(entry.get("library_query_s")) for entry in databases),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def _targets(parts: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Each target of issue 6 at the largest size measured, met or by how much missed."""
    rows = []
    for name, limit, value, unit in _target_values(parts):
        if value is None:
            continue
        met = "yes" if value <= limit else f"no, {value / limit:.1f} × the limit"
        rows.append(f"| {name} ≤ {limit:g} {unit} | {value:,.2f} {unit} | {met} |")

    if not rows:
        return ["## Targets", "", "No figure measured yet that a target applies to."]
    return ["## Targets", "", "| target | measured | met |", "|---|---|---|", *rows]


def _target_values(
    parts: dict[str, list[dict[str, Any]]],
) -> list[tuple[str, float, float | None, str]]:
    sizes = sorted({e["events"] for e in parts["report"]})
    largest = sizes[-1] if sizes else 0
    # The growth is from 1M to 10M; a smaller trial size beside them is no base.
    base = GROWTH_BASE if GROWTH_BASE in sizes else (sizes[0] if sizes else 0)
    values: list[tuple[str, float, float | None, str]] = []

    for engine, wall, memory in (("duckdb", 10, 1024), ("postgres", 20, 400)):
        report = _find(parts["report"], events=largest, engine=engine)
        inside = _find(parts["engine"], events=largest, engine=engine)
        smallest = _find(parts["report"], events=base, engine=engine)
        growth = _ratio(report.get("peak_rss_mb"), smallest.get("peak_rss_mb"))
        at = f"{engine}, {largest:,} events"
        values += [
            (f"full report ({at})", wall, report.get("wall_s"), "s"),
            (
                f"(report − PDF) / engine time ({at})",
                1.3,
                _ratio(report.get("wall_minus_pdf_s"), inside.get("engine_s")),
                "×",
            ),
            (f"peak memory ({at})", memory, report.get("peak_rss_mb"), "MB"),
        ]
        if base != largest and growth is not None:
            values.append(
                (
                    f"memory growth {base:,} → {largest:,} ({engine})",
                    1.2,
                    growth,
                    "×",
                )
            )

    pdf = _find(parts["pdf"], events=largest)
    values.append((f"PDF rendering ({largest:,} events)", 10, pdf.get("pdf_s"), "s"))
    for entry in parts["ingest"]:
        speed = entry.get("lines_per_second")
        # Stated as time per 100,000 lines so that lower is better like the rest.
        values.append(
            (
                "ingestion time per 100,000 lines",
                1,
                100_000 / speed if speed else None,
                "s",
            )
        )
    return values
