"""``wijkbeeld rounds import FILE`` and ``wijkbeeld urgency AREA [--json]``: the real command on a
temporary SQLite database holding the real Amsterdam KWB 2024 figures; the import of a broken file
leaves the database unchanged (also checked in-process on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from urgency_web_support import KWB_2024, answers, invite, make_round

from wijkbeeld.compare import Figures, compare_all
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.urgency import figure_scores_from_themes
from wijkbeeld.web.urgency.importing import import_responses
from wijkbeeld.web.urgency.models import Answer, Response, Round
from wijkbeeld.web.urgency.services import RoundClosed, RoundError, close_round

WIJK = "WK0363FJ"
HEADER = "ronde;gebied;thema;groep;urgentie;herkenning;respondent;organisatie"
#: respondent → (group, werk_inkomen rating, wonen rating)
PEOPLE: dict[str, tuple[str, str, str]] = {
    **{f"r{i}": ("bewoners", w, h) for i, (w, h) in
       enumerate(zip("122132", "545454", strict=True), 1)},
    **{f"p{i}": ("professionals", w, h) for i, (w, h) in
       enumerate(zip("22312", ["4", "5", "4", "4", "weet niet"], strict=True), 1)},
    **{f"b{i}": ("beleid", w, h) for i, (w, h) in
       enumerate(zip("55445", "22212", strict=True), 1)},
}


def export_lines(round_key: str = "2024-voorjaar") -> list[str]:
    lines = [HEADER]
    for who, (group, werk, wonen) in PEOPLE.items():
        org = "welzijn" if group == "professionals" else ""
        lines.append(f"{round_key};{WIJK};werk_inkomen;{group};{werk};ja;{who};{org}")
        lines.append(f"{round_key};{WIJK};wonen;{group};{wonen};deels;{who};{org}")
    return lines


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wijkbeeld(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    script = Path(sys.executable).parent / "wijkbeeld"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "wijkbeeld.cli"]
    return subprocess.run([*command, *args], env=env, cwd=db.parent, capture_output=True,
                          text=True, timeout=600, check=False)


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as con:
        return tuple(con.execute(f"SELECT COUNT(*) FROM rounds_{t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("round", "response", "answer"))


@pytest.fixture(scope="module")
def database(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("rounds") / "x.sqlite3"
    done = wijkbeeld(["import", "figures", str(raw / KWB_2024)], db)
    assert done.returncode == 0, done.stderr
    return db


def test_broken_export_changes_nothing(database: Path, tmp_path: Path) -> None:
    lines = export_lines()
    lines[3] = lines[3].replace(";werk_inkomen;bewoners;2;", ";werk_inkomen;bewoners;9;")
    lines[6] = lines[6].replace(";bewoners;", ";buren;")
    broken = write(tmp_path / "export.csv", lines)
    done = wijkbeeld(["rounds", "import", str(broken), "--round", "2024-voorjaar", "--area", WIJK,
                      "--date", "2024-04-15"], database)
    assert done.returncode == 2
    assert "niets geïmporteerd" in done.stderr
    assert ("export.csv, row 4, column 'urgentie': rating '9' is not a whole number 1..5 or "
            "'weet niet'") in done.stderr
    assert "export.csv, row 7, column 'groep': unknown group 'buren'" in done.stderr
    assert counts(database) == (0, 0, 0)
    other = write(tmp_path / "other.csv", export_lines("2023-najaar"))
    done = wijkbeeld(["rounds", "import", str(other), "--round", "2024-voorjaar", "--area", WIJK],
                     database)
    assert done.returncode == 2
    assert "other.csv, row 2, column 'round': round '2023-najaar' is not '2024-voorjaar'" \
        in done.stderr
    assert counts(database) == (0, 0, 0)


def share(values: list[str]) -> tuple[int, int]:
    rated = [int(v) for v in values if v != "weet niet"]
    return sum(v >= 4 for v in rated), len(rated)


def test_import_then_urgency_json(raw: Path, database: Path, tmp_path: Path) -> None:
    good = write(tmp_path / "export.csv", export_lines())
    args = ["rounds", "import", str(good), "--round", "2024-voorjaar", "--area", WIJK,
            "--date", "2024-04-15"]
    done = wijkbeeld(args, database)
    assert done.returncode == 0, done.stderr
    assert "32 antwoorden van 16 respondenten" in done.stdout
    assert counts(database) == (1, 16, 32)
    again = wijkbeeld(args, database)
    assert again.returncode == 0 and "al eerder geïmporteerd" in again.stdout
    assert counts(database) == (1, 16, 32)

    done = wijkbeeld(["urgency", WIJK, "--json"], database)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["area_code"] == WIJK and data["round"]["key"] == "2024-voorjaar"
    rows: dict[str, dict[str, Any]] = {r["theme"]: r for r in data["themes"]}
    assert list(rows) == ["werk_inkomen", "wonen"]
    by_group: dict[str, dict[str, list[str]]] = {}
    for group, werk, wonen in PEOPLE.values():
        by_group.setdefault(group, {"werk": [], "wonen": []})
        by_group[group]["werk"].append(werk)
        by_group[group]["wonen"].append(wonen)
    keys = {"bewoners": "residents", "professionals": "professionals", "beleid": "policy"}
    smoothed = []
    for label, key in keys.items():
        k, n = share(by_group[label]["werk"])
        cell = rows["werk_inkomen"]["cells"][key]
        assert (cell["n"], cell["n_urgent"]) == (n, k)
        assert cell["share_urgent"] == pytest.approx(k / n)
        smoothed.append((k + 0.5) / (n + 1))
    assert rows["werk_inkomen"]["consensus"]["value"] == pytest.approx(
        math.prod(smoothed) ** (1 / 3), rel=1e-12)
    # Professionals rated wonen 4 times (one "weet niet"): withheld, no numbers at all.
    prof = rows["wonen"]["cells"]["professionals"]
    # Issue 18: no counts for a withheld cell (it had 4 ratings, 1 "weet niet").
    assert prof["withheld"] and prof["n"] is None and prof["n_dont_know"] is None
    assert prof["mean"] is None and prof["share_urgent"] is None and prof["r_wg"] is None
    assert {"theme": "wonen", "group": "professionals", "what": "oordeel"} in data["withheld"]

    # The figures: theme scores of the wijken of Amsterdam from the raw file, through the core.
    table = read_figures(raw / KWB_2024)
    scores = figure_scores_from_themes(compare_all(Figures.from_tables([table])).themes)
    mine = scores[scores["area_code"] == WIJK].set_index("theme")["score"]
    werk_fig = rows["werk_inkomen"]["class"]["figures"]
    assert werk_fig["year"] == 2024
    assert werk_fig["score"] == pytest.approx(float(mine["werk_inkomen"]), rel=1e-9)
    assert mine["werk_inkomen"] <= -0.5 < mine["wonen"]
    # Classes by the decision table: policy and figures urgent, residents and professionals not
    # → van bovenaf; residents urgent, figures and policy not → gevoeld, niet gemeten.
    assert rows["werk_inkomen"]["class"]["key"] == "van_bovenaf"
    assert rows["wonen"]["class"]["key"] == "gevoeld_niet_gemeten"

    text = wijkbeeld(["urgency", WIJK], database)
    assert text.returncode == 0
    assert "Urgentie WK0363FJ, ronde 2024-voorjaar (2024-04-15)" in text.stdout
    assert "van bovenaf" in text.stdout and "gevoeld, niet gemeten" in text.stdout
    missing = wijkbeeld(["urgency", "WK0363AA"], database)
    assert missing.returncode == 1 and "geen antwoorden" in missing.stderr


@pytest.mark.django_db(databases="__all__")
def test_import_rules_on_both_databases(raw: Path, db_alias: str, tmp_path: Path) -> None:
    rnd = make_round(raw, "2024-voorjaar", code=WIJK, using=db_alias)  # veiligheid, wonen
    submit_token = invite(rnd, using=db_alias)[0]
    from wijkbeeld.web.urgency.services import submit_response

    submit_response(submit_token, answers(4, 4), using=db_alias)
    before = (Round.objects.using(db_alias).count(), Response.objects.using(db_alias).count(),
              sorted(Answer.objects.using(db_alias).values_list("theme", "rating")))
    # werk_inkomen is not a theme of this round: every such row is reported, nothing stored.
    export = write(tmp_path / "export.csv", export_lines())
    with pytest.raises(DataError) as info:
        import_responses(export, "2024-voorjaar", [WIJK], using=db_alias)
    assert "export.csv, row 2, column 'thema': unknown theme 'werk_inkomen'" in str(info.value)
    wonen_only = write(tmp_path / "wonen.csv", [export_lines()[0]] + [
        line for line in export_lines()[1:] if ";wonen;" in line])
    with pytest.raises(RoundError, match="gaat over WK0363FJ"):
        import_responses(wonen_only, "2024-voorjaar", ["WK0363AF"], using=db_alias)
    close_round(rnd, using=db_alias)
    with pytest.raises(RoundClosed):
        import_responses(wonen_only, "2024-voorjaar", [WIJK], using=db_alias)
    after = (Round.objects.using(db_alias).count(), Response.objects.using(db_alias).count(),
             sorted(Answer.objects.using(db_alias).values_list("theme", "rating")))
    assert after == before


@pytest.mark.django_db(databases="__all__")
def test_import_creates_round_and_replaces_respondents(
    raw: Path, db_alias: str, tmp_path: Path
) -> None:
    from urgency_web_support import store_wijk

    store_wijk(raw, WIJK, db_alias)
    lines = export_lines("2024-najaar")
    first = import_responses(write(tmp_path / "a.csv", lines), "2024-najaar", [WIJK],
                             using=db_alias)
    assert (first.round_created, first.responses_created, first.answers) == (True, 16, 32)
    rnd = Round.objects.using(db_alias).get(key="2024-najaar")
    assert rnd.themes == ["werk_inkomen", "wonen"] and rnd.held_on is not None
    # Ratings from another survey tool were not asked blind: the round says so.
    from wijkbeeld.web.urgency.reading import round_infos

    assert round_infos(keys=["2024-najaar"], using=db_alias)[0].blind is False
    # A corrected export: r1 now rates wonen 1. Same respondents → replaced, not added.
    lines[2] = lines[2].replace(";wonen;bewoners;5;", ";wonen;bewoners;1;")
    second = import_responses(write(tmp_path / "b.csv", lines), "2024-najaar", [],
                              using=db_alias)
    assert (second.round_created, second.responses_created, second.responses_replaced) == (
        False, 0, 16)
    assert Response.objects.using(db_alias).count() == 16
    assert Answer.objects.using(db_alias).count() == 32
    r1 = Answer.objects.using(db_alias).get(response__respondent="ext:r1", theme="wonen")
    assert r1.rating == 1
