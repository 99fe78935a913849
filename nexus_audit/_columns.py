"""Column helpers shared by the evidence-table modules of the data model."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime


def key(name: str, doc: str) -> Column[int]:
    """An integer primary key the audited system assigns."""
    return Column(name, BigInteger, primary_key=True, autoincrement=False, doc=doc)


def ts(name: str, nullable: bool = True, doc: str = "") -> Column[object]:
    """A time-zone aware timestamp, compared in UTC."""
    return Column(name, DateTime(timezone=True), nullable=nullable, doc=doc)
