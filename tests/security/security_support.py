"""Test data shared by the security tests: a small real municipality (Amsterdam, KWB 2024 from
the raw folder) with figures, a round with one answered invitation, a voice, and one user per
role plus an analyst of another municipality."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
BUURTEN_2022 = "amsterdam-gebieden-buurten-2022/amsterdam_buurten_2022.geojson"
GM = "GM0363"
WIJK = "WK0363AF"
OTHER_GM = "GM0518"
YEAR = 2024
PASSWORD = "geheim-wachtwoord-1"
THEMES = ["veiligheid", "wonen"]


@dataclass(frozen=True)
class World:
    """What the tests request: codes, the respondent's token, the voice and the users."""

    gm: str
    wijk: str
    year: int
    token: str
    voice: int
    users: dict[str, Any]


def kwb_subset(raw: Path, out: Path) -> Path:
    """The raw KWB 2024 file cut to Amsterdam, wijk WIJK and its buurten (plain csv module)."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        code_at = header.index("Area_Code")
        keep = [r for r in reader if r[code_at].strip() in (GM, WIJK)
                or r[code_at].strip().startswith("BU" + WIJK[2:])]
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(keep)
    return out


def kwb_names(raw: Path) -> dict[str, str]:
    """Code → name of the municipality and WIJK, from the raw KWB 2024 file."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        return {r["Area_Code"].strip(): r["District_Type"].strip()
                for r in csv.DictReader(fh, delimiter=";")
                if r["Area_Code"].strip() in (GM, WIJK)}


def buurten_subset(raw: Path, out: Path) -> Path:
    """The raw Amsterdam buurt boundaries cut to the buurten of WIJK (plain json module)."""
    data = json.loads((raw / BUURTEN_2022).read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"]
                        if str(f["properties"]["cbsCode"]).startswith("BU" + WIJK[2:])]
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def make_user(username: str, role: str, municipality: str = "") -> Any:
    return get_user_model().objects.create_user(
        username, password=PASSWORD, role=role, municipality=municipality)


def build_world(raw: Path, tmp: Path) -> World:
    """Store the test municipality, its figures, a round, an answered token and a voice."""
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.areas.store import store_boundaries
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        create_invitations,
        open_round,
        submit_response,
    )
    from wijkbeeld.web.voices.services import record_voice

    catalogue = load_catalogue()
    sync_catalogue(catalogue)
    store_table(read_figures(kwb_subset(raw, tmp / "kwb_2024_amsterdam_af.csv"),
                             catalogue=catalogue), who="test")
    store_boundaries(read_boundaries(buurten_subset(raw, tmp / "buurten_af.geojson"), year=YEAR),
                     who="test")
    users = {
        "viewer": make_user("lezer", "viewer", GM),
        "prof": make_user("professional", "professional", GM),
        "analyst": make_user("analist", "analyst", GM),
        "admin": make_user("beheerder", "admin"),
        "other": make_user("analist_denhaag", "analyst", OTHER_GM),
    }
    rnd = open_round("2024-voorjaar", [WIJK], THEMES, date(2024, 4, 1))
    token = create_invitations(rnd, "residents", 1)[0]
    submit_response(token, [ThemeAnswer("veiligheid", 4, "ja", "Veel overlast 's nachts."),
                            ThemeAnswer("wonen", 3, "deels", "")],
                    story="De straat is onveilig geworden na sluitingstijd.")
    # An earlier, closed round: its answer is shown (the open round's single answer is not yet:
    # open rounds show answers in steps of 5), so the matrix downloads and API have content.
    from wijkbeeld.web.urgency.services import close_round

    earlier = open_round("2023-najaar", [WIJK], THEMES, date(2023, 10, 1))
    submit_response(create_invitations(earlier, "residents", 1)[0],
                    [ThemeAnswer("veiligheid", 3, "ja", ""), ThemeAnswer("wonen", 3, "ja", "")])
    close_round(earlier)
    area = Area.objects.get(code=WIJK, boundary_year=YEAR)
    voice = record_voice(area, "Bewoners melden overlast van jongeren bij het winkelcentrum.",
                         when=date(2024, 5, 1), channel="gesprek", group="residents",
                         consent=True, author=users["admin"])
    from wijkbeeld.web.voices.services import record_trigger

    record_trigger(area, "Bewoners vragen aandacht voor overlast.", when=date(2024, 3, 1),
                   source="bewoners", themes=["veiligheid"])
    from wijkbeeld.web.agenda import services as agenda

    plan = agenda.create_agenda(WIJK, "Wijkagenda", created_by=users["admin"])
    item = agenda.add_item(plan, "wonen", "wonen", "Beter wonen in de wijk.")
    agenda.add_action(item, "Spreekuur woningcorporatie")
    from wijkbeeld.web.api.tokens import create_token

    create_token(users["analyst"].username, name="scripts")
    from wijkbeeld.web.jobs.models import Job, JobResult

    job = Job.objects.create(kind="report_batch", municipality=GM, status="done")
    JobResult.objects.create(job=job, filename="rapporten.zip", data=b"PK", size=2)
    return World(GM, WIJK, YEAR, token, voice.pk, users)
