"""The compliance frameworks nexus_audit scores against, shipped as TOML files.

Each ``<id>.toml`` file beside this module is one framework. A user's own framework (an
internal policy, a SOC 2 subset) is a file in the same format anywhere else, reusing the
shipped queries; :func:`load_framework` validates it and every error names the file, the
line and the field at fault.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import ValidationError

from ..errors import ChecklistError
from ..queries import Query
from ._locate import explain, line_of_control
from .models import Control, Framework, Rule

__all__ = [
    "Control",
    "Framework",
    "Rule",
    "available",
    "load_framework",
    "load_frameworks",
    "resolve",
]

_FOLDER = Path(__file__).resolve().parent

Known = Mapping[str, Query] | Iterable[str]


def available() -> list[str]:
    """Ids of the shipped frameworks."""
    return sorted(path.stem for path in _FOLDER.glob("*.toml"))


def load_framework(path: Path, known_queries: Known = ()) -> Framework:
    """Read and validate one framework file; errors name the file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ChecklistError(f"{path}: {error}") from error

    try:
        framework = Framework.model_validate(data)
    except ValidationError as error:
        raise ChecklistError(explain(path, text, data, error)) from error

    _check_queries(path, text, framework, known_queries)

    return framework


def load_frameworks(ids: Iterable[str], known_queries: Known = ()) -> list[Framework]:
    """Frameworks in the order given: shipped ids, or paths of framework files."""
    frameworks = []

    for name in ids:
        frameworks.append(load_framework(resolve(name), known_queries))

    return frameworks


def resolve(name: str | Path) -> Path:
    """The file of a shipped framework id, or the path of a user's framework file."""
    shipped = _FOLDER / f"{name}.toml"
    if isinstance(name, str) and "/" not in name and shipped.is_file():
        return shipped

    path = Path(name)
    if path.suffix == ".toml" and path.is_file():
        return path

    raise ChecklistError(
        f"unknown framework {str(name)!r}; choose from {available()} or give the path "
        "of a framework .toml file"
    )


def _check_queries(path: Path, text: str, framework: Framework, known: Known) -> None:
    queries = known if isinstance(known, Mapping) else dict.fromkeys(known)
    if not queries:
        return

    for index, control in enumerate(framework.controls):
        line = line_of_control(text, index, "rule")
        unknown = [name for name in control.query_names() if name not in queries]
        if unknown:
            raise ChecklistError(
                f"{path}:{line}: control {control.id}: field rule/evidence names unknown "
                f"quer(ies) {unknown}; the queries are {sorted(queries)}"
            )
        _check_columns(path, line, control, queries)


def _check_columns(
    path: Path, line: int, control: Control, queries: Mapping[str, object]
) -> None:
    if control.rule is None:
        return

    query = queries.get(control.rule.query)
    if not isinstance(query, Query):
        return

    declared = [name for name, _ in query.columns]
    missing = [name for name in control.rule.columns() if name not in declared]
    if missing:
        raise ChecklistError(
            f"{path}:{line}: control {control.id}: field rule names column(s) {missing} "
            f"that query {query.name} does not return; it returns {declared}"
        )
