"""Helpers of the report tests: the ``wijkbeeld`` CLI on a real SQLite database, built in
``conftest.py`` and shared by the report's PDF, batch and browser tests: the bundled Amsterdam
KWB 2024 buurten with their boundaries, the Den Haag wijken series 2009-2022 with boundaries,
and voices about one buurt imported from a CSV export (one with HTML and script in it, all
given with consent so they can be quoted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "data"
KWB_2024 = DATA / "amsterdam" / "Kerncijfers_wijken_en_buurten_2024.csv"
DH_SERIES = DATA / "haaglanden" / "df_count_ver_3.csv"
BUURT = "BU0363AA01"
WIJK_DH = "WK051801"
#: Voices with markup: whichever the quote selection picks must appear as this literal text in
#: the HTML and the PDF. Four of the six carry markup, so any three quotes include one.
XSS_VOICES = [
    "Op het plein <script>alert('wijk')</script> staat het afval al weken",
    "Bij de container <b>ligt</b> steeds grofvuil naast de bakken",
    "Zwerfvuil <img src=x onerror=alert(1)> waait over de stoep",
    "Rond de speeltuin <i>liggen</i> scherven en blikjes",
]
VOICE_TEXTS = [*XSS_VOICES, "Afval naast de container bij de brug, al drie dagen",
               "De vuilniszakken staan op de stoep in plaats van in de bak"]


def wijkbeeld(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    script = Path(sys.executable).parent / "wijkbeeld"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "wijkbeeld.cli"]
    return subprocess.run([*command, *args], env=env, cwd=db.parent, capture_output=True,
                          text=True, timeout=600, check=False)


def run_ok(args: list[str], db: Path) -> str:
    done = wijkbeeld(args, db)
    assert done.returncode == 0, done.stderr
    return done.stdout
