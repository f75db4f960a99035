"""``wijkbeeld report``: the real CLI on a real SQLite database with the bundled Amsterdam KWB
2024 buurten and the Den Haag wijken; the PDF is read back with pdftotext and rendered with
pdftoppm, expected numbers computed here from the raw CSV with the csv module."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "data"
KWB_2024 = DATA / "amsterdam" / "Kerncijfers_wijken_en_buurten_2024.csv"
BUURT = "BU0363AA01"
WIJK_DH = "WK051801"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


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


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("report") / "x.sqlite3"
    run_ok(["import", "figures", str(KWB_2024),
            str(DATA / "haaglanden" / "df_count_ver_3.csv")], db)
    run_ok(["import", "areas", str(DATA / "amsterdam" / "amsterdam_buurten_2022.geojson"),
            "--year", "2024", "--code-field", "cbsCode"], db)
    run_ok(["import", "areas", str(DATA / "haaglanden" / "haaglanden_wijken.geojson"),
            "--year", "2022", "--code-field", "WK_CODE"], db)
    return db


def kwb_rows() -> list[dict[str, str]]:
    with KWB_2024.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def number(cell: str) -> float | None:
    cell = cell.strip()
    return float(cell.replace(",", ".")) if cell and cell != "." else None


def dutch(value: float) -> str:
    """Independent Dutch formatting: one decimal at most, '.' for thousands, ',' for decimals."""
    whole, _, frac = f"{round(value, 1):.1f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join([whole, *groups])
    return text if frac == "0" else f"{text},{frac}"


def test_amsterdam_buurt_pdf(database: Path) -> None:
    pdf = database.parent / "x.pdf"
    run_ok(["report", BUURT, "--format", "pdf", "-o", str(pdf)], database)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    rows = kwb_rows()
    own = next(r for r in rows if r["Area_Code"].strip() == BUURT)
    assert own["District_Type"].strip() in text  # the buurt's name
    # the buurt's own figures, the Dutch way
    woz = number(own["Avg_Property_Value_1000EUR"])
    low40 = number(own["Pct_Lowest_40Pct_Income"])
    assert woz is not None and low40 is not None
    assert f"{dutch(woz)} × € 1.000" in text
    assert f"{dutch(low40)} %" in text
    # the reference: mean population of the Amsterdam buurten (thousands separator)
    pops = [number(r["Population_Total"]) for r in rows
            if r["Area_Code"].strip().startswith("BU0363")]
    values = [p for p in pops if p is not None]
    mean = sum(values) / len(values)
    assert mean > 1000
    assert dutch(mean) in text
    assert "Bron: CBS" in text
    assert "2024" in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout)[1])
    assert pages >= 2
    for page in range(1, pages + 1):
        assert re.search(rf"^\s*{page}/{pages}\s*$", text, re.MULTILINE), page
    # the table of contents carries page numbers
    assert re.search(r"Samenvatting \.+ ?1\b", subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
        check=True).stdout)
    prefix = database.parent / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(database.parent.glob("page*.png"))
    assert len(images) == pages
    assert all(p.stat().st_size > 1000 for p in images)


def test_den_haag_wijk_pdf(database: Path) -> None:
    pdf = database.parent / "dh.pdf"
    run_ok(["report", WIJK_DH, "--format", "pdf", "-o", str(pdf)], database)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    with (DATA / "haaglanden" / "df_count_ver_3.csv").open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["WKC"] == WIJK_DH and r["YEAR"] == "2022")
    assert row["Wijknaam"].strip() in text
    assert "Bron:" in text


def test_html_is_self_contained(database: Path) -> None:
    out = database.parent / "x.html"
    run_ok(["report", BUURT, "--format", "html", "-o", str(out)], database)
    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', html)
    assert refs, "expected table-of-contents links and a map"
    assert all(r.startswith(("#", "data:")) for r in refs), refs
    assert any(r.startswith("data:image/svg+xml;base64,") for r in refs)
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert "@import" not in html and "url(http" not in html
