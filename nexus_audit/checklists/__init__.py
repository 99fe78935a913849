"""The compliance frameworks nexus_audit scores against, shipped as TOML files.

Each ``<id>.toml`` file beside this module is one framework; an outside checklist in the
same format can be loaded with :func:`load_framework`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import ChecklistError
from .models import Control, Framework, Rule

__all__ = [
    "Control",
    "Framework",
    "Rule",
    "available",
    "load_framework",
    "load_frameworks",
]

_FOLDER = Path(__file__).resolve().parent


def available() -> list[str]:
    """Ids of the shipped frameworks."""
    return sorted(path.stem for path in _FOLDER.glob("*.toml"))


def load_framework(path: Path, known_queries: Iterable[str] = ()) -> Framework:
    """Read and validate one framework file; errors name the file and the control."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ChecklistError(f"{path}: {error}") from error

    try:
        framework = Framework.model_validate(data)
    except ValidationError as error:
        raise ChecklistError(f"{path}: {_explain(error, data)}") from error

    _check_queries(path, framework, set(known_queries))

    return framework


def load_frameworks(
    ids: Iterable[str], known_queries: Iterable[str] = ()
) -> list[Framework]:
    """The shipped frameworks with these ids, in the order given."""
    known = list(known_queries)
    frameworks = []

    for framework_id in ids:
        path = _FOLDER / f"{framework_id}.toml"
        if not path.is_file():
            raise ChecklistError(
                f"unknown framework {framework_id!r}; choose from {available()}"
            )
        frameworks.append(load_framework(path, known))

    return frameworks


def _check_queries(path: Path, framework: Framework, known: set[str]) -> None:
    if not known:
        return

    for control in framework.controls:
        unknown = [name for name in control.query_names() if name not in known]
        if unknown:
            raise ChecklistError(
                f"{path}: control {control.id} names unknown quer(ies) {unknown}; "
                f"the queries are {sorted(known)}"
            )


def _explain(error: ValidationError, data: dict[str, object]) -> str:
    problems = []

    for item in error.errors():
        location = list(item["loc"])
        if (
            len(location) >= 2
            and location[0] == "controls"
            and isinstance(location[1], int)
        ):
            controls = data.get("controls")
            if isinstance(controls, list) and location[1] < len(controls):
                control_id = controls[location[1]].get("id", f"#{location[1] + 1}")
                location[:2] = [f"control {control_id}"]
        where = ".".join(str(part) for part in location)
        problems.append(f"{where}: {item['msg']}")

    return "; ".join(problems)
