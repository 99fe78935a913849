"""The one Jinja environment: autoescaping, strict undefined, filters."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..resources import templates_dir
from . import filters


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Built once: a missing variable raises, and all data is HTML-escaped."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=filters.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(filters.FILTERS)

    return env
