"""Load the bundled demo data and the demo account (``wijkbeeld demo load``, part of ``make demo``).

The demo is real data (see ``wijkbeeld/data/ATTRIBUTION.md``): Amsterdam with the CBS Kerncijfers
wijken en buurten 2020 and 2024, its buurt boundaries, the 2015→2022 buurt crosswalk and the RIVM
health monitor 2020 (18+), and the Den Haag region wijken with their 2009-2022 series and
boundaries. Every file goes through the same importers as ``wijkbeeld import ...``, so the demo
proves those paths too.

One step is a worked example, clearly labelled as such: "Voorbeeld: fictieve peilingen", two
rounds of **fictitious** urgency ratings (example data, not real answers) about Den Haag wijk
Morgenstond, whose real figures did not improve while the example's urgency fades
(:mod:`wijkbeeld.web.demo_example`). The last step continues it into a fictitious buurtagenda
with two years of progress (:mod:`wijkbeeld.web.demo_agenda`, docs/agenda.md). The last two
steps add **fictitious** example voices (quotes beside the figures of Morgenstond and Amsterdam
Van der Pekbuurt) and two example triggers of Morgenstond, one faded
(:mod:`wijkbeeld.web.demo_voices`); all are labelled "voorbeeld, fictief" where they are shown.

Loading is idempotent: a file whose batch (kind, sha256, boundary year) is already stored is not
read again, and the demo account is only created or repaired. A step whose importer is not part
of this installation (an optional module that is missing) is reported as skipped; bad data is
never skipped: it raises :class:`~wijkbeeld.figures.errors.DataError`, nothing of that file stored.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_DEMO_PASSWORD",
    "DEMO_PASSWORD_ENV",
    "DEMO_STEPS",
    "DEMO_USERNAME",
    "DemoResult",
    "DemoStep",
    "StepResult",
    "demo_data_dir",
    "load_demo",
]

DEMO_USERNAME = "analist"
DEMO_PASSWORD_ENV = "WIJKBEELD_DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "wijkbeeld-demo"
DEMO_URL_ENV = "WIJKBEELD_DEMO_URL"
DEFAULT_DEMO_URL = "http://127.0.0.1:8000/"
WHO = "demo"

#: Boundary year of the Amsterdam buurt polygons. The file (Gemeente Amsterdam, API Gebieden,
#: registered 2024-01-25) holds the buurten valid from 2022-03-24 plus four from 2023-10-25;
#: every buurt of the CBS KWB 2024 table joins on ``cbsCode``, so it is the 2024 indeling.
AMSTERDAM_BOUNDARY_YEAR = 2024
#: Boundary year for the Den Haag region wijk polygons when the figures did not say (the series
#: runs to 2022); normally the year of the imported series is used so both meet.
HAAGLANDEN_FALLBACK_YEAR = 2022


@dataclass(frozen=True)
class DemoStep:
    """One demo file and how to import it. ``kind``: figures, boundaries, crosswalk, names
    (the municipalities of a file's wijken, named from one of its columns: the Den Haag region
    series has no municipality rows, so without this its municipalities would show as codes),
    or example (the fictitious rounds of :mod:`wijkbeeld.web.demo_example`; ``path`` is the
    figures file they rest on), or agenda (the fictitious buurtagenda on those rounds,
    :mod:`wijkbeeld.web.demo_agenda`), or voices / triggers (the fictitious example voices of
    ``path`` and the example triggers, :mod:`wijkbeeld.web.demo_voices`)."""

    key: str
    kind: str
    path: str  # relative to the data folder
    label: str
    year: int | None = None  # boundary year (boundaries)
    code_field: str | None = None  # property holding the CBS code (boundaries)
    from_year: int | None = None  # crosswalk
    to_year: int | None = None
    year_from_step: str | None = None  # boundaries, names: the boundary year of these figures
    name_field: str | None = None  # names: the column holding the municipality name


DEMO_STEPS: tuple[DemoStep, ...] = (
    DemoStep("kwb-2020", "figures", "amsterdam/Kerncijfers_wijken_en_buurten_2020.csv",
             "Amsterdam, CBS Kerncijfers wijken en buurten 2020"),
    DemoStep("kwb-2024", "figures", "amsterdam/Kerncijfers_wijken_en_buurten_2024.csv",
             "Amsterdam, CBS Kerncijfers wijken en buurten 2024"),
    DemoStep("rivm-2020", "figures", "amsterdam/rivm_gezondheid_2020_18plus_amsterdam.xlsx",
             "Amsterdam, RIVM Gezondheidsmonitor 2020 (18+)"),
    DemoStep("haaglanden-aandelen", "figures", "haaglanden/df_count_ver_3.csv",
             "Den Haag, wijkprofielen 2009-2022 (aandelen)"),
    DemoStep("haaglanden-gemiddelden", "figures", "haaglanden/df_numeric_ver_6.csv",
             "Regio Haaglanden, wijkprofielen 2009-2022 (gemiddelden)"),
    DemoStep("gemeenten-haaglanden", "names", "haaglanden/df_numeric_ver_6.csv",
             "Regio Haaglanden, gemeentenamen", code_field="WKC", name_field="gem_name",
             year_from_step="haaglanden-gemiddelden"),
    DemoStep("grenzen-amsterdam", "boundaries", "amsterdam/amsterdam_buurten_2022.geojson",
             "Amsterdam, buurtgrenzen", year=AMSTERDAM_BOUNDARY_YEAR, code_field="cbsCode"),
    DemoStep("grenzen-haaglanden", "boundaries", "haaglanden/haaglanden_wijken.geojson",
             "Regio Haaglanden, wijkgrenzen", code_field="WK_CODE",
             year_from_step="haaglanden-aandelen"),
    DemoStep("omzettabel-amsterdam", "crosswalk",
             "amsterdam/amsterdam_buurten_2015_2022_crosswalk_wkt.csv",
             "Amsterdam, omzettabel buurten 2015 → 2022", from_year=2015, to_year=2022),
    DemoStep("voorbeeld-peilingen", "example", "haaglanden/df_count_ver_3.csv",
             "Voorbeeld: fictieve peilingen, Den Haag Morgenstond 2019 en 2021 "
             "(voorbeelddata, geen echte antwoorden)"),
    DemoStep("voorbeeld-agenda", "agenda", "haaglanden/df_count_ver_3.csv",
             "Voorbeeld: fictieve buurtagenda Morgenstond, van beeld tot twee jaar voortgang "
             "(voorbeelddata)"),
    DemoStep("voorbeeld-stemmen", "voices", "voorbeeld/stemmen.csv",
             "Voorbeeld: fictieve stemmen, Morgenstond en Amsterdam Van der Pekbuurt "
             "(voorbeelddata, fictief)"),
    DemoStep("voorbeeld-aanleidingen", "triggers", "voorbeeld/stemmen.csv",
             "Voorbeeld: fictieve aanleidingen Morgenstond, een actief en een vervaagd "
             "(voorbeelddata, fictief)"),
)


@dataclass(frozen=True)
class StepResult:
    """What one step did: ``geladen`` (stored now), ``ongewijzigd`` (already there) or
    ``overgeslagen`` (importer not available here), with a one-line detail."""

    key: str
    label: str
    state: str
    detail: str
    boundary_year: int | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class DemoResult:
    """The outcome of :func:`load_demo`, with the parameters it ran with."""

    steps: tuple[StepResult, ...]
    username: str
    password: str
    account_state: str
    url: str
    using: str
    data_dir: str
    only: tuple[str, ...] | None = None

    @property
    def skipped(self) -> tuple[StepResult, ...]:
        return tuple(s for s in self.steps if s.state == "overgeslagen")

    @property
    def changed(self) -> bool:
        """True when this run stored anything (a second run reports False)."""
        return self.account_state != "ongewijzigd" or any(
            s.state == "geladen" for s in self.steps
        )


def demo_data_dir() -> Path:
    """The bundled data folder (``wijkbeeld/data``)."""
    return Path(str(resources.files("wijkbeeld.data")))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _known_batch(kind: str, sha: str, year: int | None, using: str) -> Any:
    from wijkbeeld.web.figures.models import ImportBatch

    qs = ImportBatch.objects.using(using).filter(kind=kind, sha256=sha)
    if year is not None:
        qs = qs.filter(boundary_year=year)
    return qs.order_by("pk").first()


def _figures(step: DemoStep, path: Path, catalogue: Any, using: str) -> StepResult:
    from wijkbeeld.web.figures.models import ImportBatch

    known = _known_batch(ImportBatch.Kind.FIGURES, _sha256(path), None, using)
    if known is not None:
        return StepResult(step.key, step.label, "ongewijzigd",
                          f"al geladen (batch {known.pk}, {known.cells} cijfers)",
                          known.boundary_year)
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table

    table = read_figures(path, catalogue=catalogue)
    result = store_table(table, who=WHO, using=using)
    state = "geladen" if result.created else "ongewijzigd"
    detail = (
        f"{result.cells} cijfers van {len(table.area_codes)} gebieden, indeling "
        f"{table.boundary_year} (batch {result.batch_id}, {result.areas_created} nieuwe gebieden)"
    )
    return StepResult(step.key, step.label, state, detail, table.boundary_year)


def _boundaries(step: DemoStep, path: Path, year: int, using: str) -> StepResult:
    from wijkbeeld.web.figures.models import ImportBatch

    known = _known_batch(ImportBatch.Kind.AREAS, _sha256(path), year, using)
    if known is not None:
        return StepResult(step.key, step.label, "ongewijzigd",
                          f"al geladen (batch {known.pk}, indeling {year})", year)
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.web.areas.store import store_boundaries

    boundaries = read_boundaries(path, year=year, code_field=step.code_field)
    result = store_boundaries(boundaries, who=WHO, using=using)
    created = bool(getattr(result, "created", True))
    return StepResult(step.key, step.label, "geladen" if created else "ongewijzigd",
                      _summary(result), year)


def _crosswalk(step: DemoStep, path: Path, using: str) -> StepResult:
    from wijkbeeld.web.figures.models import ImportBatch

    known = _known_batch(ImportBatch.Kind.CROSSWALK, _sha256(path), None, using)
    if known is not None:
        return StepResult(step.key, step.label, "ongewijzigd", f"al geladen (batch {known.pk})")
    from wijkbeeld.areas.crosswalk import read_crosswalk
    from wijkbeeld.web.areas.store import store_crosswalk

    crosswalk = read_crosswalk(path, from_year=step.from_year, to_year=step.to_year)
    result = store_crosswalk(crosswalk, who=WHO, using=using)
    created = bool(getattr(result, "created", True))
    return StepResult(step.key, step.label, "geladen" if created else "ongewijzigd",
                      _summary(result))


def _names(step: DemoStep, path: Path, year: int, using: str) -> StepResult:
    """Store the municipalities of the file's areas with their names (existing ones are kept)."""
    import csv

    from django.db import transaction

    from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
    from wijkbeeld.figures.errors import DataError
    from wijkbeeld.web.figures.store import ensure_areas

    code_field, name_field = step.code_field or "", step.name_field or ""
    names: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row_number, row in enumerate(csv.DictReader(fh), start=2):
            try:
                code = parse_code(row.get(code_field) or "").municipality
            except InvalidAreaCode as exc:
                raise DataError.single(str(path), str(exc), row_number, code_field) from exc
            name = (row.get(name_field) or "").strip()
            if code and name:
                names.setdefault(code, name)
    with transaction.atomic(using=using):
        _, created = ensure_areas(sorted(names.items()), year, using)
    return StepResult(step.key, step.label, "geladen" if created else "ongewijzigd",
                      f"{len(names)} gemeenten, {created} nieuw (indeling {year})", year)


def _example(step: DemoStep, using: str) -> StepResult:
    """The worked example (fictitious rounds); skipped when its wijk is not loaded."""
    from wijkbeeld.web.demo_example import load_example

    try:
        stored, detail = load_example(using)
    except LookupError as exc:
        return StepResult(step.key, step.label, "overgeslagen", str(exc))
    return StepResult(step.key, step.label, "geladen" if stored else "ongewijzigd", detail)


def _agenda(step: DemoStep, using: str) -> StepResult:
    """The worked agenda example (:mod:`wijkbeeld.web.demo_agenda`); skipped without its rounds
    or figures."""
    from wijkbeeld.web.demo_agenda import load_agenda_example

    try:
        stored, detail = load_agenda_example(using)
    except LookupError as exc:
        return StepResult(step.key, step.label, "overgeslagen", str(exc))
    return StepResult(step.key, step.label, "geladen" if stored else "ongewijzigd", detail)


def _voices(step: DemoStep, path: Path, using: str) -> StepResult:
    """The example voices (:mod:`wijkbeeld.web.demo_voices`); skipped without their areas."""
    from wijkbeeld.web.demo_voices import load_example_voices

    try:
        stored, detail = load_example_voices(path, using=using)
    except LookupError as exc:
        return StepResult(step.key, step.label, "overgeslagen", str(exc))
    return StepResult(step.key, step.label, "geladen" if stored else "ongewijzigd", detail)


def _triggers(step: DemoStep, using: str) -> StepResult:
    """The example triggers of Morgenstond; skipped when the wijk is not loaded."""
    from wijkbeeld.web.demo_voices import load_example_triggers

    try:
        stored, detail = load_example_triggers(using=using)
    except LookupError as exc:
        return StepResult(step.key, step.label, "overgeslagen", str(exc))
    return StepResult(step.key, step.label, "geladen" if stored else "ongewijzigd", detail)


def _summary(result: Any) -> str:
    summary = getattr(result, "summary", None)
    return str(summary()) if callable(summary) else str(result)


def _account(password: str, using: str) -> str:
    """Create the demo analyst, or repair its password and role; returns what happened."""
    from wijkbeeld.web.accounts.models import Role, User

    users = User.objects.db_manager(using)
    user = users.filter(username=DEMO_USERNAME).first()
    if user is None:
        users.create_user(DEMO_USERNAME, password=password, role=Role.ANALYST)
        return "aangemaakt"
    changed: list[str] = []
    if not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    if user.role != Role.ANALYST:
        user.role = Role.ANALYST
        changed.append("role")
    if not user.is_active:
        user.is_active = True
        changed.append("is_active")
    if changed:
        user.save(using=using, update_fields=changed)
        return "hersteld"
    return "ongewijzigd"


def load_demo(
    verbose: bool = True,
    *,
    using: str = "default",
    only: Collection[str] | None = None,
    password: str | None = None,
    data_dir: Path | None = None,
    echo: Callable[[str], None] | None = None,
) -> DemoResult:
    """Load the demo data (all steps, or the keys in ``only``) and the demo account.

    Prints progress when ``verbose``. Raises ``KeyError`` for an unknown step key and
    :class:`~wijkbeeld.figures.errors.DataError` when a bundled file does not import.
    """
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.web.bootstrap import ensure_database
    from wijkbeeld.web.figures.store import sync_catalogue

    out = echo or (lambda line: print(line, flush=True))
    say = out if verbose else (lambda line: None)
    known_keys = {s.key for s in DEMO_STEPS}
    if only is not None:
        unknown = sorted(set(only) - known_keys)
        if unknown:
            raise KeyError(f"unknown demo step(s) {unknown}; known: {sorted(known_keys)}")
    steps = [s for s in DEMO_STEPS if only is None or s.key in only]
    folder = Path(data_dir) if data_dir is not None else demo_data_dir()
    password = password or os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD
    url = os.environ.get(DEMO_URL_ENV) or DEFAULT_DEMO_URL

    ensure_database(using)
    say(f"wijkbeeld demo: gegevens uit {folder}")
    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=using)
    say(f"  catalogus: {len(catalogue.themes)} thema's, {len(catalogue.indicators)} indicatoren")

    results: dict[str, StepResult] = {}
    for number, step in enumerate(steps, start=1):
        path = folder / step.path
        say(f"[{number}/{len(steps)}] {step.label} ({step.path}) ...")
        started = time.perf_counter()
        try:
            if step.kind == "figures":
                result = _figures(step, path, catalogue, using)
            elif step.kind == "boundaries":
                year = _boundary_year(step, results, folder, using)
                result = _boundaries(step, path, year, using)
            elif step.kind == "names":
                year = _boundary_year(step, results, folder, using)
                result = _names(step, path, year, using)
            elif step.kind == "example":
                result = _example(step, using)
            elif step.kind == "agenda":
                result = _agenda(step, using)
            elif step.kind == "voices":
                result = _voices(step, path, using)
            elif step.kind == "triggers":
                result = _triggers(step, using)
            else:
                result = _crosswalk(step, path, using)
        except ImportError as exc:
            result = StepResult(step.key, step.label, "overgeslagen",
                                f"importeur niet beschikbaar in deze versie ({exc})")
        seconds = time.perf_counter() - started
        result = StepResult(result.key, result.label, result.state, result.detail,
                            result.boundary_year, round(seconds, 2))
        results[step.key] = result
        detail = result.detail.replace("\n", "\n        ")
        say(f"      {result.state}: {detail} [{seconds:.1f} s]")

    account_state = _account(password, using)
    say("")
    say(f"Demo-account ({account_state}): gebruikersnaam {DEMO_USERNAME!r}, "
        f"wachtwoord {password!r} (rol: analist)")
    say(f"Open {url} en log in. Beheer: maak een beheerder met "
        f"'wijkbeeld manage createsuperuser'.")
    return DemoResult(
        steps=tuple(results.values()), username=DEMO_USERNAME, password=password,
        account_state=account_state, url=url, using=using, data_dir=str(folder),
        only=tuple(only) if only is not None else None,
    )


def _boundary_year(
    step: DemoStep, results: dict[str, StepResult], folder: Path, using: str
) -> int:
    """The step's own year, else the boundary year of the figures it belongs with (imported in
    this run or an earlier one), else :data:`HAAGLANDEN_FALLBACK_YEAR`."""
    from wijkbeeld.web.figures.models import ImportBatch

    if step.year is not None:
        return step.year
    if step.year_from_step is None:
        return HAAGLANDEN_FALLBACK_YEAR
    done = results.get(step.year_from_step)
    if done is not None and done.boundary_year is not None:
        return done.boundary_year
    figures = folder / next(s.path for s in DEMO_STEPS if s.key == step.year_from_step)
    if figures.exists():
        known = _known_batch(ImportBatch.Kind.FIGURES, _sha256(figures), None, using)
        if known is not None and known.boundary_year:
            return int(known.boundary_year)
    return HAAGLANDEN_FALLBACK_YEAR
