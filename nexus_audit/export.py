"""Write the model's tables from DuckDB or PostgreSQL as Parquet, for Spark or a lake.

The layout is the one the Spark engine reads: one sub-folder per table, each holding
Parquet files; with ``partition_by="month"``, tables with a ``created_at`` column are
split into Hive-style folders by the UTC month of that column::

    out/audit_log/created_month=2026-11/part-00000-0.parquet
    out/audit_log/created_month=__HIVE_DEFAULT_PARTITION__/...   (no timestamp)
    out/users/part-00000-0.parquet

Rows are read in chunks in one read-only snapshot and written as they arrive, with the
column types of the model (timestamps as UTC instants), whatever the source engine.
pyarrow comes with the ``spark`` extra; the command line says so when it is missing.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .database import inventory, open_engine, snapshot
from .errors import ConfigError
from .model import metadata

log = logging.getLogger(__name__)

PARTITIONINGS = ("month",)
MONTH_COLUMN = "created_month"
"""The partition column, from ``created_at``: the name the Spark engine reads and drops."""

CHUNK_ROWS = 200_000

ExportProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Exported:
    """One table written: its folder and row count."""

    table: str
    folder: Path
    rows: int


def export_parquet(
    database: str,
    out_dir: Path | str,
    *,
    partition_by: str | None = None,
    replace: bool = False,
    progress: ExportProgress | None = None,
) -> list[Exported]:
    """Every model table ``database`` holds, as Parquet under ``out_dir``."""
    if partition_by is not None and partition_by not in PARTITIONINGS:
        raise ConfigError(
            f"--partition-by {partition_by!r} is not known; choose from {PARTITIONINGS}"
        )

    out = Path(out_dir)
    engine = open_engine(database)
    written: list[Exported] = []
    try:
        with snapshot(engine, statement_timeout_s=0, lock_timeout_s=30) as connection:
            present = sorted(inventory(connection).present)
            for index, name in enumerate(present):
                if progress:
                    progress(name, index, len(present))
                folder = _fresh_folder(out / name, replace)
                by_month = partition_by == "month" and "created_at" in _columns(name)
                rows = _write_table(connection, name, folder, by_month)
                written.append(Exported(name, folder, rows))
                log.info("exported %s: %d rows to %s", name, rows, folder)
    finally:
        engine.dispose()

    if progress:
        progress("done", len(written), len(written))
    return written


def _write_table(
    connection: Connection, name: str, folder: Path, by_month: bool
) -> int:
    schema = arrow_schema(name)
    rows = 0

    for number, chunk in enumerate(_chunks(connection, name)):
        columns = zip(*chunk, strict=True)
        arrays = [
            pa.array(values, field.type)
            for values, field in zip(columns, schema, strict=True)
        ]
        table = pa.Table.from_arrays(arrays, schema=schema)
        rows += table.num_rows
        if by_month:
            table = table.append_column(MONTH_COLUMN, _months(table["created_at"]))
            ds.write_dataset(
                table,
                folder,
                format="parquet",
                partitioning=[MONTH_COLUMN],
                partitioning_flavor="hive",
                basename_template=f"part-{number:05d}-{{i}}.parquet",
                existing_data_behavior="overwrite_or_ignore",
            )
        else:
            pq.write_table(table, folder / f"part-{number:05d}-0.parquet")

    if rows == 0:
        pq.write_table(schema.empty_table(), folder / "part-00000-0.parquet")
    return rows


def arrow_schema(name: str) -> pa.Schema:
    """The model table's columns as Arrow types: timestamps are UTC instants."""
    columns = metadata.tables[name].columns
    return pa.schema([pa.field(column.name, _arrow_type(column.type)) for column in columns])


def _arrow_type(kind: object) -> pa.DataType:
    if isinstance(kind, sa.DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(kind, sa.Date):
        return pa.date32()
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.BigInteger | sa.Integer):
        return pa.int64()
    if isinstance(kind, sa.Float):
        return pa.float64()
    return pa.string()


def _months(stamps: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.strftime(stamps, format="%Y-%m")


def _chunks(connection: Connection, name: str) -> Iterator[Sequence[Sequence[object]]]:
    table = metadata.tables[name]
    statement = sa.select(*table.columns).order_by(*table.primary_key.columns)
    streamed = connection.execution_options(stream_results=True, yield_per=CHUNK_ROWS)

    with streamed.execute(statement) as result:
        yield from result.partitions(CHUNK_ROWS)


def _columns(name: str) -> set[str]:
    return {column.name for column in metadata.tables[name].columns}


def _fresh_folder(folder: Path, replace: bool) -> Path:
    if folder.exists() and any(folder.iterdir()):
        if not replace:
            raise ConfigError(
                f"{folder} exists and is not empty; pass --replace to overwrite the "
                "tables exported there, or choose another --out folder"
            )
        shutil.rmtree(folder)

    folder.mkdir(parents=True, exist_ok=True)
    return folder

