"""More connections that see exactly what the audit's first connection sees.

The audit's queries can run on several connections at once (``query_connections``):
one PostgreSQL connection kept a 2-core server only 1.4 cores busy on average. Each
connection must still read the same state, or the report's figures would not add up:

- PostgreSQL: the first connection exports its snapshot (``pg_export_snapshot``) and the
  others import it (``SET TRANSACTION SNAPSHOT``) before their first query.
- DuckDB: only a file opened read-only gets more connections, since no process can write
  to it while the audit holds it; the others share the first one's database instance.

Where a snapshot cannot be shared (an in-memory or writable DuckDB, a server that refuses
the import or another connection), the queries run on the connections there are, and the
log says why.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import AssertionPool, SingletonThreadPool, StaticPool

from .database import SNAPSHOT_ID, first_line, snapshot
from .errors import DatabaseError

log = logging.getLogger(__name__)


@contextmanager
def lanes(
    engine: Engine,
    first: Connection,
    count: int,
    *,
    statement_timeout_s: float,
    lock_timeout_s: float,
) -> Iterator[list[Connection]]:
    """``first`` and up to ``count - 1`` more connections in its snapshot, closed after."""
    shared = _shared_snapshot(first) if count > 1 and _pooled(engine) else None
    if shared is None:
        yield [first]
        return

    with ExitStack() as stack:
        opened = [first]
        for _ in range(count - 1):
            try:
                opened.append(
                    stack.enter_context(
                        snapshot(
                            engine,
                            statement_timeout_s=statement_timeout_s,
                            lock_timeout_s=lock_timeout_s,
                            imported=shared or None,
                        )
                    )
                )
            except DatabaseError as error:
                log.warning(
                    "queries run on %d connection(s), not %d: %s", len(opened), count, error
                )
                break

        log.info("queries run on %d connections in one snapshot", len(opened))
        yield opened


def _pooled(engine: Engine) -> bool:
    """False for pools that lend one connection only (a caller's own engine may have one)."""
    if isinstance(engine.pool, (StaticPool, SingletonThreadPool, AssertionPool)):
        log.info("queries run on one connection: the engine's pool lends only one")
        return False

    return True


def _shared_snapshot(first: Connection) -> str | None:
    """What other connections import to see ``first``'s state ("" when nothing is needed).

    None when they could not see the same state.
    """
    dialect = first.dialect.name
    if dialect == "duckdb":
        mode = first.exec_driver_sql("SELECT current_setting('access_mode')").scalar()
        if mode != "read_only":
            log.info("queries run on one connection: the DuckDB database is not read-only")
            return None
        return ""

    if dialect != "postgresql":
        return None

    try:
        exported = first.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
    except SQLAlchemyError as error:
        raise DatabaseError(
            f"the audit's snapshot cannot be shared with more connections "
            f"({first_line(error)}); set query_connections = 1 to run the queries on one"
        ) from error

    if not isinstance(exported, str) or not SNAPSHOT_ID.fullmatch(exported):
        log.warning("queries run on one connection: unexpected snapshot id %r", exported)
        return None

    return exported
