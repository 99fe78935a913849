"""Errors raised by nexus_audit.

Every error the library raises derives from :class:`NexusAuditError`::

    NexusAuditError
    ├── ConfigError          a setting is missing, malformed or contradictory
    ├── QueryFileError       a file in queries/ is malformed
    ├── ChecklistError       a checklist file is malformed or names an unknown query
    ├── DatabaseError        the audited database cannot be reached or read
    │   └── SchemaError      a required table or column is missing
    └── RenderError          a report could not be rendered or written

The command line turns each into a message and an exit code in one place (``cli``).
"""

from __future__ import annotations


class NexusAuditError(Exception):
    """Base class of every error nexus_audit raises on purpose."""


class ConfigError(NexusAuditError):
    """A setting is missing, malformed or contradictory."""


class QueryFileError(NexusAuditError):
    """A query file is malformed; the message names the file and line."""


class ChecklistError(NexusAuditError):
    """A checklist file is malformed or refers to something that does not exist."""


class DatabaseError(NexusAuditError):
    """The audited database could not be reached or read."""


class SchemaError(DatabaseError):
    """A required table or column of the audited data model is missing."""


class RenderError(NexusAuditError):
    """A report could not be rendered or written; nothing was left half-written."""
