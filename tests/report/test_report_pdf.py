"""``wijkbeeld report``: the real CLI on a real SQLite database with the bundled Amsterdam KWB
2024 buurten and the Den Haag wijken; the PDF is read back with pdftotext and rendered with
pdftoppm, expected numbers computed here from the raw CSV with the csv module."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from html import unescape as html_unescape
from pathlib import Path

import pytest
from report_support import (
    BUURT,
    DH_SERIES,
    KWB_2024,
    VOICE_TEXTS,
    WIJK_DH,
    XSS_VOICES,
    run_ok,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


@pytest.fixture(scope="module")
def buurt_pdf(database: Path) -> Path:
    pdf = database.parent / "x.pdf"
    run_ok(["report", BUURT, "--format", "pdf", "-o", str(pdf)], database)
    return pdf


@pytest.fixture(scope="module")
def buurt_html(database: Path) -> Path:
    out = database.parent / "x.html"
    run_ok(["report", BUURT, "--format", "html", "-o", str(out)], database)
    return out


def kwb_rows() -> list[dict[str, str]]:
    with KWB_2024.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def number(cell: str) -> float | None:
    cell = cell.strip()
    return float(cell.replace(",", ".")) if cell and cell != "." else None


def dutch(value: float) -> str:
    """Independent Dutch formatting: one decimal at most, '.' for thousands, ',' for decimals."""
    # Half up, as published: from the figure as written in the file (its shortest repr).
    tenth = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{tenth:f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join([whole, *groups])
    return text if frac == "0" else f"{text},{frac}"


def test_amsterdam_buurt_pdf(database: Path, buurt_pdf: Path) -> None:
    pdf = buurt_pdf
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    rows = kwb_rows()
    own = next(r for r in rows if r["Area_Code"].strip() == BUURT)
    assert own["District_Type"].strip() in text  # the buurt's name
    # the buurt's own figures, the Dutch way
    woz = number(own["Avg_Property_Value_1000EUR"])
    low40 = number(own["Pct_Lowest_40Pct_Income"])
    assert woz is not None and low40 is not None
    assert f"€ {dutch(woz * 1000)}" in text  # thousands of euros shown as euros
    assert f"{dutch(low40)} %" in text
    # the reference: mean population of the Amsterdam buurten (thousands separator)
    pops = [number(r["Population_Total"]) for r in rows
            if r["Area_Code"].strip().startswith("BU0363")]
    values = [p for p in pops if p is not None]
    mean = sum(values) / len(values)
    assert mean > 1000
    # a count from 100 on is shown whole (half up)
    assert dutch(float(Decimal(repr(mean)).quantize(Decimal(1), ROUND_HALF_UP))) in text
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


def page_colours(pdf: Path, prefix: Path) -> list[set[tuple[int, int, int]]]:
    """Per page (rendered with pdftoppm) the set of exact RGB colours in it."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(prefix)], check=True)
    out = []
    for image in sorted(prefix.parent.glob(f"{prefix.name}*.png")):
        with Image.open(image) as im:
            out.append({c for _, c in im.convert("RGB").getcolors(1 << 20) or []})
    return out


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


#: ColorBrewer YlGnBu (the theme map's palette) and the locator map's fill for the area.
YLGNBU = ("#EDF8B1", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#253494",
          "#081D58")
LOCATOR = "#C8553D"


def test_den_haag_wijk_pdf(database: Path) -> None:
    pdf = database.parent / "dh.pdf"
    run_ok(["report", WIJK_DH, "--format", "pdf", "-o", str(pdf)], database)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    with DH_SERIES.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["WKC"] == WIJK_DH]
    latest = next(r for r in rows if r["YEAR"] == "2022")
    assert latest["Wijknaam"].strip() in text
    # the wijk's welfare share (a fraction in the file) in 2022, and its trend from the first
    # year with a value to 2022, computed here from the CSV. ELAN writes 0.0 for "not available":
    # a year in which every Den Haag wijk holds exactly 0 is no figure (stored as missing).
    column = "%_Welfare_benefit_user"
    with DH_SERIES.open(encoding="utf-8", newline="") as fh:
        by_year: dict[str, list[float]] = {}
        for r in csv.DictReader(fh):
            if not r["WKC"].strip().endswith("--") and r[column].strip():
                by_year.setdefault(r["YEAR"], []).append(float(r[column]))
    all_zero = {y for y, vs in by_year.items() if len(vs) >= 5 and all(v == 0 for v in vs)}
    assert {"2009", "2010"} <= all_zero
    series = sorted((int(r["YEAR"]), float(r[column])) for r in rows
                    if r[column].strip() and r["YEAR"] not in all_zero)
    first, last = series[0], series[-1]
    assert last[0] == 2022
    assert "Bijstandsuitkering" in flat
    assert f"{dutch(last[1] * 100)} %" in flat
    assert (f"{first[0]}: {dutch(first[1] * 100)} % → 2022: {dutch(last[1] * 100)} %"
            in flat)
    assert "Bron: ELAN/LUMC wijkprofielen (CBS microdata), 2022" in flat
    # the three maps, each with its source and year
    for heading in ("Kaarten", "ligging in de gemeente", "Themascore",
                    "Waar uitkomsten samenkomen", "Aanleidingen", "Open vragen"):
        assert heading in flat, heading
    assert re.search(r"Bron: gebiedsgrenzen .+, indeling 2022", flat)
    # the maps are drawn: their fills appear in the page images
    colours = set().union(*page_colours(pdf, database.parent / "dhpage"))
    assert hex_rgb(LOCATOR) in colours
    assert sum(hex_rgb(c) in colours for c in YLGNBU) >= 3


def test_amsterdam_buurt_new_sections_and_quotes(buurt_pdf: Path, buurt_html: Path) -> None:
    pdf, html_file = buurt_pdf, buurt_html
    flat = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    html = html_file.read_text(encoding="utf-8")
    for heading in ("Aanleidingen", "Kaarten", "Vergelijkbare gebieden",
                    "Stemmen uit de wijk", "Open vragen", "Methode en bronnen"):
        assert heading in flat, heading
    # six voices about openbare ruimte: the count, and up to three quotes from the database,
    # a voice with markup shown as its literal text in both formats
    assert f"{len(VOICE_TEXTS)} reacties" in flat
    shown = [t for t in VOICE_TEXTS if t in flat]
    assert 1 <= len(shown) <= 3
    marked = [t for t in XSS_VOICES if t in flat]
    assert marked, "a quote with markup should be shown"
    for t in marked:
        assert t in html_unescape(html) and t not in html
    assert "<script>" not in html and "<b>ligt</b>" not in html
    assert "onerror=alert(1)>" not in html
    # peers: names of other Amsterdam buurten from the KWB file
    names = {r["Area_Code"].strip(): r["District_Type"].strip() for r in kwb_rows()}
    peers = html[html.index('<section id="peers">'):]
    peers = peers[:peers.index("</section>")]
    found = re.findall(r"\((BU0363[A-Z0-9]+)\)</th>", peers)
    assert len(found) >= 3 and BUURT not in found
    assert all(names[c] in peers for c in found)


def test_html_is_self_contained(buurt_html: Path) -> None:
    html = buurt_html.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', html)
    assert refs, "expected table-of-contents links and a map"
    assert all(r.startswith(("#", "data:")) for r in refs), refs
    assert any(r.startswith("data:image/svg+xml;base64,") for r in refs)
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert "@import" not in html and "url(http" not in html
