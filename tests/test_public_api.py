"""The public API is listed once, in ``nexus_audit.__all__``, and every name is documented."""

from __future__ import annotations

import inspect

import nexus_audit


def test_every_public_name_exists_and_is_documented() -> None:
    for name in nexus_audit.__all__:
        value = getattr(nexus_audit, name)
        doc = inspect.getdoc(value)
        assert doc and len(doc.split()) >= 3, f"nexus_audit.{name} lacks a docstring"


def test_no_public_name_is_left_out_of_all() -> None:
    public = {
        name
        for name, value in vars(nexus_audit).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and name != "annotations"
    }
    assert public == set(nexus_audit.__all__)
