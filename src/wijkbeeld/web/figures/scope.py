"""Who may define which indicator (issue 18, finding 2): national or owned by one municipality.

An indicator definition is either **national** (``owner`` empty: the bundled catalogue, and
what a national import such as ``wijkbeeld import figures`` without ``--municipality`` defines)
or **owned** by one municipality (``owner`` is its GM code). An owned key carries the owner as
its namespace, ``GM0518:eigen_score``, so two municipalities can both have an ``eigen_score``
and national keys stay exactly as they are.

An import for an account tied to a municipality (the import page, ``--municipality`` on the
CLI) goes through :func:`scope_indicators` before anything is written:

* a key that is national (stored with an empty owner, or in the bundled catalogue) may be used
  but not changed: its definition in the file must equal the stored one, else the import is
  refused;
* a key with another municipality's namespace is refused;
* any other key is the municipality's own: a plain key ``eigen_score`` is stored as
  ``GM0518:eigen_score``; defining it again changes it.

Refusals are one :class:`~wijkbeeld.figures.errors.DataError` naming the file and every refused
indicator and why, in Dutch; :func:`~wijkbeeld.web.figures.store.store_table` raises it before its
transaction starts, so nothing of the file is stored. The storage service does this, so the
import page, the worker, the CLI and every later caller get the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from wijkbeeld.figures.catalogue import Indicator, load_catalogue
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.web.figures.models import Indicator as IndicatorRow

__all__ = ["Scoped", "owner_of", "scope_indicators"]

_NAMESPACE = re.compile(r"(GM[0-9]{4}):(.+)")
_MUNICIPALITY = re.compile(r"GM[0-9]{4}")
#: The stored key's length (``Indicator.key``), namespace included.
_KEY_LENGTH = 80


@dataclass(frozen=True)
class Scoped:
    """The indicators of one import as they will be stored: per key in the file the stored
    definition (key namespaced where owned) and its owner; ``owned`` lists the owned keys."""

    indicators: dict[str, Indicator]
    owners: dict[str, str]
    owned: tuple[str, ...]


def owner_of(key: str) -> str:
    """The municipality in ``key``'s namespace (``GM0518:x`` → ``GM0518``), "" if national."""
    match = _NAMESPACE.fullmatch(key)
    return match.group(1) if match else ""


def _definition(ind: Indicator) -> tuple[object, ...]:
    """What a stored definition consists of (every column an import writes)."""
    return (ind.name_nl, ind.name_en, str(ind.unit), str(ind.polarity), ind.source,
            ind.description, ind.theme or None, ind.base or None, bool(ind.context_only))


def _national(keys: set[str], using: str) -> dict[str, tuple[object, ...]]:
    """The national definitions among ``keys``: stored ones, else the bundled catalogue's."""
    # All national rows (a few hundred) rather than an IN list longer than SQLite allows.
    rows = IndicatorRow.objects.using(using).filter(owner="").values_list(
        "key", "name_nl", "name_en", "unit", "polarity", "source", "description", "theme__key",
        "base__key", "context_only")
    found: dict[str, tuple[object, ...]] = {
        k: (nl, en, unit, pol, src, desc, theme or None, base or None, bool(ctx))
        for k, nl, en, unit, pol, src, desc, theme, base, ctx in rows if k in keys
    }
    bundled = load_catalogue().indicators
    for key in keys - set(found):
        if key in bundled:
            found[key] = _definition(bundled[key])
    return found


def scope_indicators(
    indicators: Iterable[Indicator], owner: str, file: str, using: str = "default"
) -> Scoped:
    """Check ``indicators`` (an import's, keyed as in the file) against ``owner``'s scope and
    return them as they are to be stored. ``owner`` "" is a national import: every definition
    may be written, an owned one keeps the owner of its namespace."""
    given = list(indicators)
    if not owner:
        scoped = {i.key: i for i in given}
        owners = {i.key: owner_of(i.key) for i in given}
        return Scoped(scoped, owners, tuple(k for k, o in owners.items() if o))
    owner = owner.strip().upper()
    if not _MUNICIPALITY.fullmatch(owner):
        raise ValueError(f"owner {owner!r} is not a GM code")
    national = _national({i.key for i in given if not owner_of(i.key)}, using)
    stored_key: dict[str, str] = {}
    problems: list[str] = []
    for ind in given:
        namespace = owner_of(ind.key)
        if namespace and namespace != owner:
            problems.append(
                f"indicator {ind.key!r} is van gemeente {namespace}; een account van {owner} kan "
                f"alleen landelijke indicatoren gebruiken en eigen indicatoren ({owner}:…) maken "
                "of wijzigen")
        elif ind.key in national:
            if national[ind.key] != _definition(ind):
                problems.append(
                    f"indicator {ind.key!r} is landelijk en alleen-lezen voor een account van "
                    f"{owner}: de definitie in het bestand wijkt af van de landelijke; koppel de "
                    f"kolom aan {ind.key!r} zonder eigen definitie, of kies een eigen sleutel "
                    f"(opgeslagen als {owner}:…)")
            else:
                stored_key[ind.key] = ind.key
        else:
            key = ind.key if namespace else f"{owner}:{ind.key}"
            if len(key) > _KEY_LENGTH:
                problems.append(f"indicator {ind.key!r}: sleutel met gemeente ({key!r}) is "
                                f"langer dan {_KEY_LENGTH} tekens")
            stored_key[ind.key] = key
    if problems:
        raise DataError([Problem(file, None, None, p) for p in problems])
    scoped = {
        ind.key: replace(ind, key=stored_key[ind.key],
                         base=stored_key.get(ind.base, ind.base) if ind.base else None)
        for ind in given
    }
    owners = {k: owner_of(i.key) for k, i in scoped.items()}
    return Scoped(scoped, owners, tuple(i.key for k, i in scoped.items() if owners[k]))
