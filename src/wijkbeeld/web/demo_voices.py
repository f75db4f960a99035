"""The demo's example voices and triggers: fictitious, written for the demo, clearly labelled.

**Every voice and trigger here is example data (voorbeelddata, fictief), not what real people
said.** The voices (``data/voorbeeld/stemmen.csv``) are invented situations in plain Dutch, as
residents, professionals (corporatie, welzijn, politie, onderwijs, zorg) and policy makers would
say them, without names, addresses or phone numbers, about two real areas of the demo: Den Haag
wijk 34 Morgenstond (WK051834) and Amsterdam Van der Pekbuurt (BU03636000, indeling 2020). For
each theme that has figures on those areas' pages there are at least five voices given with
consent to quote (quotes need five, :func:`wijkbeeld.web.voices.services.quotes`), plus voices
without consent, which are counted but never quoted. So a new user sees quotes beside the figures.

Why through the real services: every voice goes through
:func:`~wijkbeeld.web.voices.services.record_voice` (scrubbed and tagged like any voice); its own
theme is stored explicitly (``extra_themes``) so the quote of a theme does not depend on the
tagger's lexicon. Each voice's ``source`` is ``voorbeeld:<sha256 of the file, 16 hex>``: the
pages read it (:func:`example_voice_ids`) to label a quote "voorbeeld, fictief", and loading
twice changes nothing. When the file changes, the old example voices are replaced in the same
transaction.

The two triggers (aanleidingen) about Morgenstond go through
:func:`~wijkbeeld.web.voices.services.record_trigger` and
:func:`~wijkbeeld.web.voices.triggers.set_trigger_status`: one still active (armoede en schulden),
one faded in 2020 (werk en inkomen). The figures of werk en inkomen stay unfavourable, so the
timeline shows the alert "aanleiding vervaagd, opgave blijft". Their descriptions start with
:data:`TRIGGER_PREFIX`, which labels them as example data wherever they are shown.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "EXAMPLE_LABEL",
    "EXAMPLE_TRIGGERS",
    "EXAMPLE_VOICES_FILE",
    "SOURCE_PREFIX",
    "TRIGGER_AREA",
    "TRIGGER_PREFIX",
    "ExampleTrigger",
    "ExampleVoice",
    "example_voice_ids",
    "is_example_source",
    "load_example_triggers",
    "load_example_voices",
    "read_example_voices",
]

#: The bundled file, relative to the data folder.
EXAMPLE_VOICES_FILE = "voorbeeld/stemmen.csv"
#: ``Voice.source`` of every example voice starts with this.
SOURCE_PREFIX = "voorbeeld:"
#: The label a page shows beside an example quote.
EXAMPLE_LABEL = "voorbeeld, fictief"
#: Every example trigger's description starts with this (shown wherever a trigger is shown).
TRIGGER_PREFIX = "Voorbeeld, fictief: "
TRIGGER_AREA = "WK051834"  # Den Haag, wijk 34 Morgenstond

_COLUMNS = ("gebied", "datum", "groep", "organisatie", "kanaal", "toon", "thema",
            "toestemming", "tekst")
_CONSENT = {"ja": True, "nee": False}


@dataclass(frozen=True)
class ExampleVoice:
    """One row of the example file."""

    area_code: str
    when: date
    group: str
    organisation_type: str
    channel: str
    tone: str
    theme: str
    consent: bool
    text: str


@dataclass(frozen=True)
class ExampleTrigger:
    """One example trigger; ``faded_on`` set: it faded (``vervaagd``) on that date."""

    when: date
    source: str
    themes: tuple[str, ...]
    description: str
    faded_on: date | None = None


EXAMPLE_TRIGGERS: tuple[ExampleTrigger, ...] = (
    ExampleTrigger(
        date(2018, 9, 1), "incident", ("werk_inkomen",),
        "een grote werkgever in de regio sloot een vestiging; veel bewoners van de wijk verloren "
        "hun baan en de aandacht voor werk in de wijk nam toe",
        faded_on=date(2020, 6, 1)),
    ExampleTrigger(
        date(2021, 2, 15), "bewoners", ("armoede_schulden",),
        "bewoners en vrijwilligers melden dat steeds meer gezinnen in de wijk niet rondkomen en "
        "hulp zoeken bij voedsel en schulden"),
)


def is_example_source(source: str) -> bool:
    """Whether a voice's ``source`` marks it as example data of the demo."""
    return source.startswith(SOURCE_PREFIX)


def example_voice_ids(ids: Iterable[int | str], *, using: str = "default") -> frozenset[int]:
    """Of the voices ``ids`` (a quote's id is its voice's), those that are example data (one
    query; none for no ids)."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return frozenset()
    from wijkbeeld.web.voices.models import Voice

    return frozenset(Voice.objects.using(using)
                     .filter(pk__in=wanted, source__startswith=SOURCE_PREFIX)
                     .values_list("pk", flat=True))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_example_voices(path: Path) -> list[ExampleVoice]:
    """The rows of the example file (lines starting with ``#`` are comments).

    Raises :class:`~wijkbeeld.figures.errors.DataError` naming the file, row and column of every
    bad cell; nothing is returned then."""
    from wijkbeeld.figures.errors import DataError, Problem
    from wijkbeeld.voices import THEME_KEYS

    problems: list[Problem] = []
    out: list[ExampleVoice] = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, start=1) if not line.startswith("#")]
    reader = csv.DictReader((line for _, line in lines), delimiter=";")
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise DataError.single(str(path), f"kolommen moeten {', '.join(_COLUMNS)} zijn",
                               lines[0][0] if lines else 1, None)
    for (row_number, _), row in zip(lines[1:], reader, strict=True):
        def bad(column: str, message: str, row_number: int = row_number) -> None:
            problems.append(Problem(str(path), row_number, column, message))

        try:
            when = date.fromisoformat(row["datum"])
        except ValueError:
            bad("datum", f"geen datum: {row['datum']!r}")
            continue
        if row["thema"] not in THEME_KEYS:
            bad("thema", f"onbekend thema {row['thema']!r}")
        if row["toestemming"] not in _CONSENT:
            bad("toestemming", "ja of nee")
        if not row["tekst"].strip():
            bad("tekst", "leeg")
        out.append(ExampleVoice(
            row["gebied"].strip().upper(), when, row["groep"], row["organisatie"], row["kanaal"],
            row["toon"], row["thema"], _CONSENT.get(row["toestemming"], False), row["tekst"]))
    if problems:
        raise DataError(problems)
    return out


def _areas(codes: Iterable[str], using: str) -> dict[str, Any]:
    """The stored area (latest boundary year) of each code; LookupError when one is missing."""
    from wijkbeeld.web.areas.models import Area

    found: dict[str, Any] = {}
    for code in sorted(set(codes)):
        area = Area.objects.using(using).filter(code=code).order_by("-boundary_year").first()
        if area is None:
            raise LookupError(f"{code} is niet geladen: laad eerst de cijfers van dat gebied")
        found[code] = area
    return found


def load_example_voices(path: Path, *, using: str = "default") -> tuple[bool, str]:
    """Store the example voices unless this file's voices are stored; (stored now, detail).

    Raises :class:`LookupError` when an area of the file is not stored, and
    :class:`~wijkbeeld.web.voices.services.VoiceError` or DataError for a bad row."""
    from django.db import transaction

    from wijkbeeld.web.voices.models import Voice
    from wijkbeeld.web.voices.services import record_voice

    source = f"{SOURCE_PREFIX}{_sha(path)[:16]}"
    stored = Voice.objects.using(using).filter(source=source)
    if stored.exists():
        total, consent = stored.count(), stored.filter(consent=True).count()
        return False, f"al geladen ({total} stemmen, {consent} met toestemming; {EXAMPLE_LABEL})"
    rows = read_example_voices(path)
    areas = _areas((r.area_code for r in rows), using)
    with transaction.atomic(using=using):
        replaced, _ = (Voice.objects.using(using)
                       .filter(source__startswith=SOURCE_PREFIX).delete())
        for row in rows:
            record_voice(areas[row.area_code], row.text, when=row.when, channel=row.channel,
                         group=row.group, organisation_type=row.organisation_type,
                         tone=row.tone, consent=row.consent, extra_themes=(row.theme,),
                         source=source, using=using)
    per_area = Counter(r.area_code for r in rows)
    consenting = sum(r.consent for r in rows)
    parts = ", ".join(f"{code} {n}" for code, n in sorted(per_area.items()))
    again = f"; {replaced} oude vervangen" if replaced else ""
    return True, (f"{len(rows)} stemmen ({parts}), {consenting} met toestemming om te citeren"
                  f"{again}; {EXAMPLE_LABEL}")


def load_example_triggers(*, using: str = "default") -> tuple[bool, str]:
    """Store the example triggers of Morgenstond unless they exist; (stored now, detail).

    Raises :class:`LookupError` when Morgenstond is not stored."""
    from django.db import transaction

    from wijkbeeld.web.voices.models import Trigger
    from wijkbeeld.web.voices.services import record_trigger
    from wijkbeeld.web.voices.triggers import set_trigger_status

    existing = Trigger.objects.using(using).filter(area__code=TRIGGER_AREA,
                                                   description__startswith=TRIGGER_PREFIX)
    if existing.exists():
        return False, f"al geladen ({existing.count()} aanleidingen; {EXAMPLE_LABEL})"
    area = _areas([TRIGGER_AREA], using)[TRIGGER_AREA]
    with transaction.atomic(using=using):
        for spec in EXAMPLE_TRIGGERS:
            trigger = record_trigger(area, TRIGGER_PREFIX + spec.description, when=spec.when,
                                     source=spec.source, themes=spec.themes, using=using)
            if spec.faded_on is not None:
                set_trigger_status(trigger, "vervaagd", on=spec.faded_on, using=using)
    faded = sum(t.faded_on is not None for t in EXAMPLE_TRIGGERS)
    return True, (f"{len(EXAMPLE_TRIGGERS)} aanleidingen over {TRIGGER_AREA} (Morgenstond), "
                  f"{faded} vervaagd; {EXAMPLE_LABEL}")
