"""The pages: municipalities list, municipality page, area page, login/logout, language switch.

Figures are the real Amsterdam KWB 2020/2024 files and the bundled RIVM 2020 subset; expected
values and counts are read from the files with the csv module / python-calamine in the test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from python_calamine import CalamineWorkbook
from webpages_support import (  # noqa: F401 (amsterdam_figures is a fixture)
    KWB_2020,
    KWB_2024,
    KWB_META,
    amsterdam_figures,
    dutch,
    english,
    figure_row,
    kwb_header,
    kwb_rows,
    make_user,
    source_text,
    value_cell,
)

from wijkbeeld.data import data_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("amsterdam_figures")]


@pytest.fixture
def viewer_client(client: Client) -> Client:
    client.force_login(make_user("lezer1", "viewer"))
    return client


def _levels(rows: dict[str, dict[str, str]]) -> tuple[int, int]:
    return (
        sum(code.startswith("WK") for code in rows),
        sum(code.startswith("BU") for code in rows),
    )


# --- the municipalities list -------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client) -> None:
    for url in ("/", "/gemeente/GM0363/", "/gebied/BU0363AA01/2024/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")


def test_home_lists_municipalities_with_counts_per_boundary_year(
    viewer_client: Client, raw: Path
) -> None:
    response = viewer_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "<h1>Gemeenten</h1>" in html
    assert 'href="/gemeente/GM0363/"' in html and ">Amsterdam</a>" in html
    listed = {(m["code"], y["year"]): (y["wijken"], y["buurten"])
              for m in response.context["municipalities"] for y in m["years"]}
    assert listed == {
        ("GM0363", 2024): _levels(kwb_rows(raw, KWB_2024)),
        ("GM0363", 2020): _levels(kwb_rows(raw, KWB_2020)),
    }
    assert listed[("GM0363", 2024)] == (110, 517)  # SOURCES.md: 1 GM + 110 WK + 517 BU


def test_home_uses_a_fixed_number_of_queries(
    viewer_client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert viewer_client.get("/").status_code == 200


# --- the municipality page ---------------------------------------------------------------------


def test_municipality_page_lists_wijken_with_their_buurten(
    viewer_client: Client, raw: Path
) -> None:
    rows = kwb_rows(raw, KWB_2024)
    response = viewer_client.get("/gemeente/GM0363/")
    assert response.status_code == 200
    assert response.context["year"] == 2024  # the latest boundary year by default
    wijken = {w.area.code: [b.area.code for b in w.children] for w in response.context["wijken"]}
    expected: dict[str, list[str]] = {c: [] for c in rows if c.startswith("WK")}
    for code in rows:
        if code.startswith("BU"):
            expected["WK" + code[2:8]].append(code)
    assert wijken == {k: sorted(v) for k, v in expected.items()}
    # Every area of the KWB file holds one stored figure per figure column.
    per_area = len(kwb_header(raw, KWB_2024)) - len(KWB_META)
    counts = {b.area.code: b.area.n_figures for w in response.context["wijken"] for b in w.children}
    assert set(counts.values()) == {per_area}
    html = response.content.decode()
    assert 'href="/gebied/BU0363AA01/2024/">Planciusbuurt-Noord</a>' in html
    assert f"{per_area} cijfers" in html


def test_municipality_boundary_year_selector(viewer_client: Client, raw: Path) -> None:
    rows = kwb_rows(raw, KWB_2020)
    response = viewer_client.get("/gemeente/GM0363/?indeling=2020")
    assert response.status_code == 200
    assert response.context["years"] == [2024, 2020]
    assert (response.context["n_wijken"], response.context["n_buurten"]) == _levels(rows)
    html = response.content.decode()
    assert '<option value="2020" selected>2020</option>' in html
    assert 'href="/gebied/BU03630000/2020/"' in html
    assert viewer_client.get("/gemeente/GM0363/?indeling=1999").status_code == 404
    assert viewer_client.get("/gemeente/GM0363/?indeling=abc").status_code == 404
    assert viewer_client.get("/gemeente/GM9999/").status_code == 404
    assert viewer_client.get("/gemeente/Amsterdam/").status_code == 404


def test_municipality_page_query_count_does_not_grow_with_areas(
    viewer_client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = viewer_client.get("/gemeente/GM0363/")
    assert len(response.context["wijken"]) == 110


# --- the area page -----------------------------------------------------------------------------

# Catalogue keys of a few KWB columns (catalogue/cbs_kwb.toml), named here so the test reads the
# raw value by its column and finds the row on the page by its key.
_COLUMNS = {
    "Population_Total": "inwoners",
    "Avg_Household_Size": "huishoudensgrootte",
    "Avg_Property_Value_1000EUR": "woz_waarde",
    "Pct_Owner_Occupied": "koopwoningen_pct",
    "Pct_Low_Income_Households": "huishoudens_laag_inkomen_pct",
}


def shown(column: str, raw_text: str) -> str:
    """How the page writes a raw KWB cell with its unit: percentages with " %", thousands of
    euros as euros ("498.0" → "€ 498.000"), counts and averages as they are."""
    if column.startswith("Pct_"):
        return f"{dutch(raw_text)} %"
    if column.endswith("_1000EUR"):
        return f"€ {dutch(str(Decimal(raw_text.strip().replace(',', '.')) * 1000))}"
    return dutch(raw_text)


@pytest.mark.parametrize("code", ["GM0363", "WK0363AA", "BU0363AA01", "BU0363TK02"])
def test_area_page_shows_raw_values_with_source_line(
    viewer_client: Client, raw: Path, code: str
) -> None:
    row = kwb_rows(raw, KWB_2024)[code]
    response = viewer_client.get(f"/gebied/{code}/2024/")
    assert response.status_code == 200
    html = response.content.decode()
    assert row["District_Type"].strip() in html  # the area's name
    checked = 0
    for column, key in _COLUMNS.items():
        figure = figure_row(html, key, "2024")
        raw_text = row[column].strip()
        if raw_text:
            assert value_cell(figure) == shown(column, raw_text), (code, column, raw_text)
            checked += 1
        else:
            assert value_cell(figure) == "ontbreekt"
        assert source_text(figure) == "Bron: CBS, Kerncijfers wijken en buurten, 2024"
    assert checked >= 3


def test_area_page_groups_by_theme_and_has_one_source_line_per_figure(
    viewer_client: Client,
) -> None:
    response = viewer_client.get("/gebied/BU03630000/2020/")
    html = response.content.decode()
    groups = response.context["groups"]
    names = [g.name for g in groups]
    assert "Gezondheid en zorg" in names and "Werk en inkomen" in names
    assert names[-1] == "Overige cijfers"  # figures without a theme come last
    n = response.context["n_figures"]
    assert n == sum(len(g.figures) for g in groups) > 20
    assert html.count('<span class="source">Bron: ') == n
    assert "Bron: RIVM/GGD&#x27;en/CBS, Gezondheidsmonitor Volwassenen en Ouderen, 2020" in html


def _rivm_rows() -> tuple[list[str], list[list[object]]]:
    rows = CalamineWorkbook.from_path(
        str(data_file("amsterdam/rivm_gezondheid_2020_18plus_amsterdam.xlsx"))
    ).get_sheet_by_index(0).to_python()
    return [str(h) for h in rows[0]], rows[1:]


def test_suppressed_figure_reads_geheim(viewer_client: Client) -> None:
    header, rows = _rivm_rows()
    column = "ErnstigZeerErnstigEenzaam_29"
    at, code_at = header.index(column), header.index("WijkenEnBuurten")
    suppressed = next(str(r[code_at]).strip() for r in rows if str(r[at]).strip() == ".")
    shown = next(
        (str(r[code_at]).strip(), str(r[at]).strip()) for r in rows
        if str(r[code_at]).startswith("BU") and str(r[at]).strip() not in {"", "."}
    )
    html = viewer_client.get(f"/gebied/{suppressed}/2020/").content.decode()
    row = figure_row(html, "ernstig_eenzaam", "2020")
    assert value_cell(row) == "geheim"
    assert '<span class="status status-suppressed">geheim</span>' in row
    html = viewer_client.get(f"/gebied/{shown[0]}/2020/").content.decode()
    assert value_cell(figure_row(html, "ernstig_eenzaam", "2020")) == f"{dutch(shown[1])} %"


def test_area_page_query_count(
    viewer_client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = viewer_client.get("/gebied/GM0363/2020/")
    assert response.context["n_figures"] > 40
    assert len(response.context["children"]) == 99


def test_area_page_links_lineage_and_other_years(viewer_client: Client) -> None:
    html = viewer_client.get("/gebied/BU0363AA01/2024/").content.decode()
    crumbs = html[html.index('class="breadcrumbs'):html.index("</nav>", html.index("breadcrumbs"))]
    assert 'href="/gemeente/GM0363/?indeling=2024">Amsterdam</a>' in crumbs
    assert 'href="/gebied/WK0363AA/2024/">Haarlemmerbuurt</a>' in crumbs
    html = viewer_client.get("/gebied/GM0363/2024/").content.decode()
    assert 'href="/gebied/GM0363/2020/">2020</a>' in html  # also stored for 2020
    assert viewer_client.get("/gebied/BU0363AA01/1999/").status_code == 404
    assert viewer_client.get("/gebied/XX/2024/").status_code == 404


# --- layout, login and language ----------------------------------------------------------------


def test_layout_is_dutch_accessible_and_offline(viewer_client: Client) -> None:
    html = viewer_client.get("/").content.decode()
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in html
    assert '<main id="inhoud"' in html
    assert "<header" in html and "<footer" in html and '<nav class="main-nav"' in html
    assert 'aria-label="Hoofdmenu"' in html
    assert "Bron: CBS" in html.split("<footer", 1)[1]
    assert ">Uitloggen</button>" in html
    assert 'href="/static/wijkbeeld/wijkbeeld.css"' in html
    # No CDN: every stylesheet and script comes from this server.
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_stylesheet_is_served_locally_with_visible_focus() -> None:
    from django.contrib.staticfiles import finders

    css_path = finders.find("wijkbeeld/wijkbeeld.css")
    assert css_path is not None
    css = Path(str(css_path)).read_text(encoding="utf-8")
    assert ":focus-visible" in css and "outline: 3px solid" in css
    assert "@import" not in css and "http" not in css


def test_login_and_logout(client: Client) -> None:
    make_user("prof", "professional")
    page = client.get("/inloggen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Inloggen</h1>" in html and 'autocomplete="current-password"' in html
    wrong = client.post("/inloggen/", {"username": "prof", "password": "fout"})
    assert wrong.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet" in wrong.content.decode()
    ok = client.post("/inloggen/", {"username": "prof", "password": "geheim-wachtwoord-1"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/uitloggen/").status_code == 405  # logging out takes a POST
    out = client.post("/uitloggen/")
    assert out.status_code == 302 and out["Location"] == "/inloggen/"
    assert client.get("/").status_code == 302


def test_language_switch_to_english(viewer_client: Client, raw: Path) -> None:
    row = kwb_rows(raw, KWB_2024)["GM0363"]
    response = viewer_client.post(
        "/i18n/setlang/", {"language": "en", "next": "/gebied/GM0363/2024/"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Log out</button>" in html and ">Municipalities</a>" in html
    assert "Skip to content" in html and "Source: CBS" in html
    population = figure_row(html, "inwoners", "2024")
    assert value_cell(population) == english(row["Population_Total"]) == "931,298"
    assert "Population" in population
    assert source_text(population).startswith("Source: CBS, Kerncijfers wijken en buurten")
    household = figure_row(html, "huishoudensgrootte", "2024")
    assert value_cell(household) == english(row["Avg_Household_Size"]) == "1.8"
    # And back to Dutch.
    html = viewer_client.post(
        "/i18n/setlang/", {"language": "nl", "next": "/"}, follow=True
    ).content.decode()
    assert '<html lang="nl">' in html and ">Uitloggen</button>" in html


def test_manage_check_is_clean() -> None:
    call_command("check", fail_level="WARNING")


# --- the English catalogue ---------------------------------------------------------------------

WEB = Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "web"


def _po_entries(path: Path) -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of a .po file, read with plain string work."""
    entries: list[tuple[str, str, list[str]]] = []
    fields: dict[str, str] = {}
    key = ""

    def flush() -> None:
        if "msgid" in fields:
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((fields["msgid"], fields.get("msgid_plural", ""), strs))
        fields.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^(msgid_plural|msgid|msgstr\[\d\]|msgstr) "(.*)"$', line)
        if match:
            if match.group(1) == "msgid":
                flush()
            key = match.group(1)
            fields[key] = match.group(2)
        elif line.startswith('"'):
            fields[key] += line[1:-1]
    flush()
    unescape = lambda s: s.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
    return [(unescape(a), unescape(b), [unescape(x) for x in c]) for a, b, c in entries if a]


def test_english_catalogue_is_complete_and_compiled() -> None:
    import gettext

    po = WEB / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = _po_entries(po)
    assert len(entries) > 80
    with mo.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for msgid, plural, strs in entries:
        assert all(strs), f"untranslated: {msgid!r}"
        if plural:
            assert catalog.ngettext(msgid, plural, 1) == strs[0]
            assert catalog.ngettext(msgid, plural, 2) == strs[1]
        else:
            assert catalog.gettext(msgid) == strs[0], f".mo is stale for {msgid!r}"
    known = {e[0] for e in entries}
    used = set()
    for template in (WEB / "templates").rglob("*.html"):
        used |= set(re.findall(r'{% translate "([^"]+)" %}', template.read_text()))
        used |= set(re.findall(r"{% translate '([^']+)' %}", template.read_text()))
    assert used and used <= known, sorted(used - known)
