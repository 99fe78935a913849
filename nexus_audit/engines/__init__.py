"""Engines that are not SQLAlchemy, behind the same face as the database runner.

An engine here takes the queries an audit needs with their bound values and answers with
the same :class:`~nexus_audit.database.Inventory` and
:class:`~nexus_audit.runner.Outcome` objects, so scoring and reports never know which
engine ran. Each engine's own dependencies are imported only when it is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..database import Inventory
from ..errors import ConfigError
from ..mapping import Mapping
from ..queries import ParamValue, Query
from ..runner import Outcome, Progress

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_INSTALL = "pip install 'nexus-audit[spark]'"


@runtime_checkable
class QueryEngine(Protocol):
    """What :func:`nexus_audit.run_audit` needs from an engine that is not SQLAlchemy."""

    @property
    def description(self) -> str:
        """Engine and source, with no credentials, as the report names the database."""
        ...

    def run(
        self,
        queries: Sequence[Query],
        values: dict[str, dict[str, ParamValue]],
        mapping: Mapping,
        *,
        timeout_s: float,
        progress: Progress | None = None,
    ) -> tuple[Inventory, str, dict[str, Outcome]]:
        """The inventory, the server version and one outcome per query."""
        ...


def spark_engine(
    *,
    parquet: Path | str | None = None,
    catalog_schema: str | None = None,
    master: str | None = None,
    session: SparkSession | None = None,
) -> QueryEngine:
    """The Spark engine over a Parquet folder or a catalog schema.

    ``session`` is an existing SparkSession; without one a session is started on
    ``master`` (local on every core by default, ``spark://...``, ``yarn`` or a Spark
    Connect ``sc://`` URL).
    """
    if (parquet is None) == (catalog_schema is None):
        raise ConfigError(
            "the Spark engine reads either --parquet DIR or --catalog-schema NAME; "
            "give exactly one"
        )
    if parquet is not None and not Path(parquet).is_dir():
        raise ConfigError(
            f"--parquet {str(parquet)!r} is not a folder; it must hold one sub-folder "
            "of Parquet files per table, as nexus-audit export writes them"
        )

    try:
        from .spark import SparkEngine, open_session
    except ImportError as error:
        raise ConfigError(
            f"the Spark engine is not installed ({error.name} is missing): "
            f"{SPARK_INSTALL}; Spark also needs Java 17 or 21"
        ) from error

    return SparkEngine(
        session or open_session(master),
        Path(parquet) if parquet is not None else None,
        catalog_schema,
    )
