"""What to do about a fault: one sentence added to the message that names it.

The error messages name the thing at fault (database, table, file); these helpers add
the step that usually fixes it, chosen from the driver's or the system's own wording.
They never repeat the URL, so no password can leak through them.
"""

from __future__ import annotations

import errno

_CONNECT_ADVICE = (
    (("not a valid duckdb database",), "point the URL at a DuckDB database file"),
    (("database does not exist", "no such file"), "check the file path in the URL"),
    (
        ("password authentication failed", "no password supplied", "28p01"),
        "check the user name and the password (database_password_file or the URL)",
    ),
    (('role "', "role '"), "check the user name in the database URL"),
    (('database "', 'catalog "'), "check the database name in the URL"),
    (
        (
            "connection refused",
            "could not connect",
            "timeout expired",
            "timed out",
            "failed to resolve host",
            "name or service not known",
            "no route to host",
        ),
        "check the host and port, and that the server is running and reachable from here",
    ),
)
_URL_PLACES = "--database, database_url or NEXUS_AUDIT_DATABASE_URL"


def connect_advice(message: str) -> str:
    """What to do when connecting failed with the driver's ``message``."""
    lowered = message.lower()
    for needles, advice in _CONNECT_ADVICE:
        if any(needle in lowered for needle in needles):
            return advice

    return f"check the database URL ({_URL_PLACES})"


def lost_connection(database: str, query: str, detail: str) -> str:
    """The message for a connection that died while a query ran."""
    return (
        f"the connection to {database} was lost during query {query} ({detail}); the "
        "audit stopped and no report was written: check that the server is up (restart, "
        "fail-over, idle or session time limits) and run again"
    )


def write_advice(error: BaseException) -> str:
    """What to do when writing the report failed with ``error``."""
    number = getattr(error, "errno", None)
    if number in (errno.ENOSPC, errno.EDQUOT):
        return "free space on that disk or choose another --out folder"
    if number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "choose a folder you may write to with --out, or fix its permissions"

    if number in (errno.EEXIST, errno.ENOTDIR):
        return "--out must name a folder, not a file"

    return "fix the cause above and run again"
