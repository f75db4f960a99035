"""``wijkbeeld scrub`` and ``wijkbeeld tag`` as a script would use them: stdin to stdout, one text
per line, in a separate process, without a database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from wijkbeeld.voices import THEME_KEYS


def _run(args: list[str], stdin: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}  # UTF-8 must not depend on it
    env.pop("WIJKBEELD_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", *args],
        input=stdin.encode("utf-8"), capture_output=True, env=env, timeout=120, check=False,
    )


LINES = [
    "Jan Jansen belt steeds over de overlast, 06-12345678.",
    "",
    "Mevrouw De Vries uit Zuilen (geb. 12-03-1980) mailt naar jan@example.nl",
    "<script>alert('x')</script> bij de Kerkstraat 12",
    "   ",
    "Cliënt heeft schulden; BSN 123456782.",
]


def test_scrub_line_for_line_with_report() -> None:
    done = _run(["scrub", "--report", "json", "--keep", "Zuilen"], "\n".join(LINES) + "\n")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8").split("\n")
    assert out[-1] == "" and len(out) - 1 == len(LINES)
    assert out[:-1] == [
        "[NAAM] belt steeds over de overlast, [TELEFOON].",
        "",
        "Mevrouw [NAAM] uit Zuilen (geb. [GEBOORTEDATUM]) mailt naar [EMAIL]",
        "<script>alert('x')</script> bij de [ADRES]",
        "   ",
        "Cliënt heeft schulden; BSN [BSN].",
    ]
    report = json.loads(done.stderr.decode("utf-8"))
    assert report == {
        "texts": 6, "changed": 4,
        "counts": {"EMAIL": 1, "BSN": 1, "TELEFOON": 1, "GEBOORTEDATUM": 1, "ADRES": 1, "NAAM": 2},
    }


def test_scrub_text_report_and_windows_line_endings() -> None:
    done = _run(["scrub", "--report"], "Piet belt 0612345678\r\n\r\nniets\r\n")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode("utf-8").splitlines() == ["[NAAM] belt [TELEFOON]", "", "niets"]
    assert done.stderr.decode("utf-8").strip() == (
        "3 teksten, 1 gewijzigd; vervangen: TELEFOON 1, NAAM 1"
    )


def test_scrub_without_trailing_newline_and_without_report() -> None:
    done = _run(["scrub"], "Bel 06-12345678")
    assert done.stdout.decode("utf-8") == "Bel [TELEFOON]\n"
    assert done.stderr == b""


def test_tag_one_json_object_per_line() -> None:
    lines = [
        "Er is veel overlast van jongeren en ik voel me niet veilig.",
        "",
        "De huur is te hoog en de woning is vochtig.",
        "Het buurtfeest was prachtig, iedereen hielp mee.",
    ]
    done = _run(["tag"], "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(lines)
    for row in rows:
        assert set(row) == {"themes", "tone"}
        assert row["tone"] in ("zorg", "kracht", "neutraal")
        for theme in row["themes"]:
            assert set(theme) == {"theme", "confidence"}
            assert theme["theme"] in THEME_KEYS and 0 <= theme["confidence"] <= 1
    assert {t["theme"] for t in rows[0]["themes"]} >= {"veiligheid"} and rows[0]["tone"] == "zorg"
    assert rows[1] == {"themes": [], "tone": "neutraal"}
    assert "wonen" in {t["theme"] for t in rows[2]["themes"]} and rows[2]["tone"] == "zorg"
    assert "sociale_samenhang" in {t["theme"] for t in rows[3]["themes"]}
    assert rows[3]["tone"] == "kracht"


def test_tag_with_a_lexicon_override_and_a_broken_one(tmp_path: Path) -> None:
    own = tmp_path / "gemeente.toml"
    own.write_text('[themes.cultuur]\nwords = ["theater"]\n', encoding="utf-8")
    done = _run(["tag", "--lexicon", str(own), "--min-confidence", "0.3"], "Naar het theater\n")
    assert json.loads(done.stdout)["themes"] == [{"theme": "cultuur", "confidence": 0.632}]
    broken = tmp_path / "kapot.toml"
    broken.write_text("[themes.wonen\n", encoding="utf-8")
    done = _run(["tag", "--lexicon", str(broken)], "x\n")
    assert done.returncode == 2
    assert str(broken) in done.stderr.decode() and done.stdout == b""


def test_scrub_and_tag_do_not_load_django_pandas_or_deduces_whole_pipeline() -> None:
    # deduce's person annotators run (issue 20, item 2); its place, street, institution and
    # date annotators, and the lookup structures they need, are never built
    code = (
        "import sys, io\n"
        "from wijkbeeld.cli import main\n"
        "sys.stdin = io.StringIO('Jan Jansen belt 06-12345678\\n')\n"
        "main(['scrub']); main(['tag'])\n"
        "assert 'django' not in sys.modules, 'django imported'\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
        "from wijkbeeld.voices.detectors.persons import person_pipeline\n"
        "names = set(person_pipeline().model.processors.get_names())\n"
        "assert 'first_name_lookup' in names, names\n"
        "assert not names & {'placename', 'street_lookup', 'hospital', 'institution',"
        " 'date_dmy_1', 'postal_code'}, names\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[0] == "[NAAM] belt [TELEFOON]"
