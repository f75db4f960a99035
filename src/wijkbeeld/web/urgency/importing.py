"""Import ratings from a CSV export of another survey tool into a round, in one transaction.

The file is read and validated by the core (:func:`wijkbeeld.urgency.read_responses_csv`: every
cell checked, every problem with file, row and column). On top of that the rows must belong to
the round named on the command line (column ``round``) and to its areas (column ``area_code``),
and themes must be catalogue keys (and, for an existing round, the round's themes). The same
rules as the form apply: an existing round must be open. Nothing is stored unless everything is
right; a file already imported into the round (same SHA-256) is not imported again.

Respondents: rows with the same ``respondent`` id are one response (its answers per theme); a
respondent already in the round is replaced (resubmission replaces). Rows without an id are one
response each. Free text of the export is not imported (it has not been scrubbed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from django.db import transaction

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.catalogue import THEME_KEYS
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.urgency import read_responses_csv
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.urgency.models import Answer, Response, Round, Status
from wijkbeeld.web.urgency.services import RoundClosed, RoundError, open_round, resolve_areas

__all__ = ["ImportResult", "import_responses"]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the round, responses created and replaced, answers stored."""

    file: str
    sha256: str
    round_key: str
    round_created: bool
    responses_created: int
    responses_replaced: int
    answers: int
    already_imported: bool = False

    def summary(self) -> str:
        """One Dutch line for the CLI."""
        if self.already_imported:
            return f"{self.file}: al eerder geïmporteerd in peiling {self.round_key}, " \
                   "niets gewijzigd"
        new = " (nieuwe peiling)" if self.round_created else ""
        return (f"{self.file}: {self.answers} antwoorden van "
                f"{self.responses_created + self.responses_replaced} respondenten "
                f"geïmporteerd in peiling {self.round_key}{new}; "
                f"{self.responses_replaced} respondenten vervangen")


def _codes(areas: Sequence[str]) -> list[str]:
    out = []
    for raw in areas:
        try:
            out.append(parse_code(raw).code)
        except InvalidAreaCode as exc:
            raise RoundError(str(exc)) from exc
    return out


def import_responses(
    path: str | Path,
    round_key: str,
    areas: Sequence[str],
    *,
    held_on: date | None = None,
    who: object | None = None,
    using: str = "default",
) -> ImportResult:
    """Load a CSV export into round ``round_key`` (created, about ``areas``, when new).

    Raises :class:`~wijkbeeld.figures.errors.DataError` for a bad file (nothing stored) and
    :class:`~wijkbeeld.web.urgency.services.RoundError` for a closed or mismatching round.
    """
    file = Path(path)
    existing = Round.objects.using(using).filter(key=round_key).first()
    allowed = list(existing.themes) if existing is not None else list(THEME_KEYS)
    responses = read_responses_csv(file, themes=allowed)
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    codes = _codes(areas)
    if existing is not None:
        own = set(existing.areas.using(using).values_list("code", flat=True))
        if codes and set(codes) != own:
            raise RoundError(f"peiling {round_key!r} gaat over {', '.join(sorted(own))}, "
                             f"niet over {', '.join(codes)}")
        codes = sorted(own)
    elif not codes:
        raise RoundError("een nieuwe peiling heeft een gebied nodig (--area)")
    frame = responses.frame
    problems = [Problem(file.name, i + 2, "round", f"round {r!r} is not {round_key!r}")
                for i, r in enumerate(frame["round"]) if r != round_key]
    problems += [Problem(file.name, i + 2, "area_code",
                         f"area {c} is not in round {round_key!r} ({', '.join(codes)})")
                 for i, c in enumerate(frame["area_code"]) if c not in codes]
    if problems:
        raise DataError(problems)
    source = f"import:{digest}"
    with transaction.atomic(using=using):
        created = existing is None
        if existing is None:
            themes = [t for t in THEME_KEYS if t in set(frame["theme"])]
            rnd = open_round(round_key, codes, themes, held_on or date.today(),
                             title=f"import {file.name}", created_by=who, using=using)
        else:
            rnd = Round.objects.using(using).select_for_update().get(pk=existing.pk)
            if rnd.status != Status.OPEN:
                raise RoundClosed(f"peiling {round_key!r} is gesloten")
            if Response.objects.using(using).filter(round=rnd, source=source).exists():
                return ImportResult(file.name, digest, round_key, False, 0, 0, 0, True)
        area_of = {a.code: a for a in resolve_areas(codes, using=using)}
        made, replaced, answers = _store(rnd, frame, area_of, source, digest, using)
    return ImportResult(file.name, digest, round_key, created, made, replaced, answers)


def _store(rnd: Round, frame: pd.DataFrame, area_of: dict[str, Area], source: str,
           digest: str, using: str) -> tuple[int, int, int]:
    """Responses and answers of the validated rows (inside the caller's transaction)."""
    groups: dict[str, list[int]] = {}
    for i, respondent in enumerate(frame["respondent"]):
        key = f"ext:{respondent}" if respondent else f"import:{digest[:12]}:row{i + 2}"
        groups.setdefault(key, []).append(i)
    made = replaced = 0
    stored: list[Answer] = []
    for respondent, rows in groups.items():
        first = rows[0]
        orgs = [frame["organisation_type"][i] for i in rows if frame["organisation_type"][i]]
        defaults = {"area": area_of[frame["area_code"][first]], "group": frame["group"][first],
                    "organisation_type": orgs[0] if orgs else "", "source": source,
                    "invitation": None}
        response, new = Response.objects.using(using).update_or_create(
            round=rnd, respondent=respondent, defaults=defaults)
        if new:
            made += 1
        else:
            replaced += 1
            Answer.objects.using(using).filter(response=response).delete()
        for i in rows:
            rating = frame["rating"][i]
            stored.append(Answer(
                response=response, theme=frame["theme"][i],
                rating=None if pd.isna(rating) else int(rating),
                recognition=frame["recognition"][i] or ""))
    Answer.objects.using(using).bulk_create(stored)
    return made, replaced, len(stored)
