"""Find the property that holds the CBS code, and the one that holds the name, in a boundary file.

Boundary files name their code property in many ways: ``cbsCode`` (Amsterdam API), ``statcode``
(CBS gebiedsindelingen), ``WK_CODE`` / ``BU_CODE`` (CBS wijk- en buurtkaart shapefiles),
``buurtcode`` / ``wijkcode`` / ``gemeentecode`` (PDOK), ``WKC`` / ``GMC`` (older exports). A
known name is only taken when most of its values really are CBS codes: Amsterdam's ``code`` holds
``AA01``, not a CBS code. Files that carry codes of several levels (a buurt with its ``wijkcode``
and ``gemeentecode``) resolve to the finest level, which is listed first.

>>> find_code_field(["naam", "code", "cbsCode"], {"code": ["AA01"], "cbsCode": ["BU0363AA01"]})
'cbsCode'
>>> find_name_field("WK_CODE", ["WK_NAAM", "WK_CODE", "GM_NAAM"])
'WK_NAAM'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wijkbeeld.areas.codes import is_valid_code

__all__ = [
    "CODE_FIELDS", "NAME_FIELDS", "FieldNotFound", "code_share", "find_code_field",
    "find_name_field",
]

#: Known code properties (lower case), finest level first within each naming style.
CODE_FIELDS: tuple[str, ...] = (
    "cbscode", "cbs_code", "statcode",
    "bu_code", "buurtcode", "buc", "wk_code", "wijkcode", "wkc", "gm_code", "gemeentecode", "gmc",
    "code", "id", "identificatie",
)
#: Known name properties (lower case), tried after the one paired with the code property.
NAME_FIELDS: tuple[str, ...] = (
    "naam", "statnaam", "name",
    "bu_naam", "buurtnaam", "bun", "wk_naam", "wijknaam", "wkn", "gm_naam", "gemeentenaam", "gmn",
)
_MIN_SHARE = 0.5


def code_share(values: Sequence[object]) -> float:
    """Share of the non-empty values that are CBS codes (0 when there are none)."""
    texts = [str(v) for v in values if v is not None and str(v).strip() not in {"", "nan", "None"}]
    if not texts:
        return 0.0
    return sum(is_valid_code(t) for t in texts) / len(texts)


class FieldNotFound(LookupError):
    """No property, or more than one unknown property, holds CBS codes."""


def find_code_field(columns: Sequence[str], values: Mapping[str, Sequence[object]]) -> str:
    """The property holding CBS codes: a known name first, else the one column that holds codes.

    Raises :class:`FieldNotFound` when no column qualifies, or when several unknown columns do
    (say ``BUURTCODE_CBS_2015`` and ``BUURTCODE_CBS_2022``) and the caller must choose.
    """
    by_lower = {c.lower(): c for c in columns}
    for known in CODE_FIELDS:
        column = by_lower.get(known)
        if column is not None and code_share(values[column]) >= _MIN_SHARE:
            return column
    others = [
        c for c in columns if c.lower() not in CODE_FIELDS and code_share(values[c]) >= _MIN_SHARE
    ]
    if len(others) == 1:
        return others[0]
    if others:
        raise FieldNotFound(
            f"several properties hold CBS codes ({', '.join(others)}): name one as the code "
            "field (--code-field)"
        )
    raise FieldNotFound(
        f"no property holds CBS codes (properties: {', '.join(columns)}): name the code "
        "field (--code-field)"
    )


def find_name_field(code_field: str, columns: Sequence[str]) -> str | None:
    """The name property that goes with ``code_field`` (``WKC`` → ``WKN``), else a known one."""
    by_lower = {c.lower(): c for c in columns}
    low = code_field.lower()
    paired = [low.replace("code", "naam"), low.replace("code", "naam").replace("_cbs", "")]
    paired += [p.replace("cbs_", "") for p in paired]
    if len(low) == 3 and low.endswith("c"):
        paired.append(low[:2] + "n")
    for candidate in (*paired, *NAME_FIELDS):
        if candidate != low and candidate in by_lower:
            return by_lower[candidate]
    return None
