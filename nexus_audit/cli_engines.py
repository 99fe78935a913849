"""Command-line pieces for engines beyond SQLAlchemy: ``report --engine spark`` and ``export``.

Kept apart from :mod:`nexus_audit.cli` so the Spark options stay in one place; ``cli``
adds them to ``report`` and registers ``export``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import ConfigError

if TYPE_CHECKING:
    from .engines import QueryEngine

ENGINES = ("sql", "spark")


def engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--engine``, ``--spark-master``, ``--parquet`` and ``--catalog-schema``."""
    options = [
        click.option(
            "--catalog-schema",
            help="With --engine spark: read the tables from this schema of the "
            "session's catalog.",
        ),
        click.option(
            "--parquet",
            type=click.Path(file_okay=False, path_type=Path),
            help="With --engine spark: a folder with one Parquet sub-folder per table "
            "(as `nexus-audit export` writes it).",
        ),
        click.option(
            "--spark-master",
            metavar="URL",
            help="With --engine spark: local[N], spark://host:7077, yarn or a Spark "
            "Connect sc:// URL (default: local on every core).",
        ),
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default="sql",
            show_default=True,
            help="sql: the --database through SQLAlchemy; spark: Apache Spark over "
            "--parquet or --catalog-schema (pip install 'nexus-audit[spark]').",
        ),
    ]
    for option in options:
        command = option(command)
    return command


def audit_source(
    engine: str,
    database: str | None,
    spark_master: str | None,
    parquet: Path | None,
    catalog_schema: str | None,
) -> str | QueryEngine | None:
    """What ``report`` audits: the database URL, or the Spark engine the flags describe."""
    spark_flags = {
        "--spark-master": spark_master,
        "--parquet": parquet,
        "--catalog-schema": catalog_schema,
    }
    if engine == "sql":
        given = [flag for flag, value in spark_flags.items() if value is not None]
        if given:
            verb = "needs" if len(given) == 1 else "need"
            raise ConfigError(f"{', '.join(given)} {verb} --engine spark")
        return database

    if database is not None:
        raise ConfigError(
            "--engine spark reads --parquet DIR or --catalog-schema NAME, not "
            "--database; export the database first: nexus-audit export --database URL "
            "--out DIR"
        )

    from .engines import spark_engine

    return spark_engine(
        parquet=parquet, catalog_schema=catalog_schema, master=spark_master
    )


@click.command("export")
@click.option("--database", required=True, help="SQLAlchemy URL of the database to read.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write one Parquet sub-folder per table into.",
)
@click.option(
    "--partition-by",
    type=click.Choice(["month"]),
    help="month: split tables with created_at into created_month=YYYY-MM folders.",
)
@click.option("--replace", is_flag=True, help="Overwrite tables already exported there.")
def export(
    database: str, out_dir: Path, partition_by: str | None, replace: bool
) -> None:
    """Write the model's tables as Parquet, in the layout `report --engine spark` reads.

    \b
    Examples:
      nexus-audit export --database duckdb:///demo.duckdb --out lake/ --partition-by month
      nexus-audit report --engine spark --parquet lake/ --month 2026-11
    """
    from .cli import _guard

    def work() -> int:
        try:
            from .export import export_parquet
        except ImportError as error:
            raise ConfigError(
                f"exporting to Parquet needs pyarrow ({error.name} is missing): "
                "pip install 'nexus-audit[spark]'"
            ) from error

        written = export_parquet(
            database, out_dir, partition_by=partition_by, replace=replace
        )
        rows = sum(table.rows for table in written)
        click.echo(f"{len(written)} tables, {rows} rows written to {out_dir}")
        return 0

    sys.exit(_guard(work))
