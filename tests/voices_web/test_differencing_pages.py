"""Issue 18, the differencing audit through the pages: what the voices pages of a municipality,
its wijk and every buurt publish together (read back from the rendered HTML, as a reader would
copy it) leaves every small group a range of at least 5 values. The audit solves the published
system exactly (integer programming, tests/disclosure/disclosure_audit.py), independently of
the rule's own check."""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from voices_web_support import WIJK, area, store_areas, user, voices

from wijkbeeld.disclosure import ALL, Margin, grid_margins, hierarchy_margin
from wijkbeeld.web.voices.models import Group, VoiceTheme

sys.path.insert(0, str(Path(__file__).parents[1] / "disclosure"))
from disclosure_audit import feasible_ranges, narrow

pytestmark = pytest.mark.django_db

GROUPS = tuple(Group.values)


def _store(target_code: str, n: int, theme: str, group: str) -> None:
    """``n`` voices on ``target_code`` whose one theme is ``theme`` (set directly, so the audit
    does not depend on the tagger)."""
    for v in voices(area(target_code), n, "Een opmerking over de buurt", group=group):
        VoiceTheme.objects.filter(voice=v).delete()
        VoiceTheme.objects.create(voice=v, theme=theme, confidence=1.0, confirmed=True)


def _grid(client: Client, code: str) -> dict[tuple[str, str], int | None]:
    """(theme or ALL, group or ALL) -> the count shown, None where "<5"."""
    html = client.get(reverse("voices-area", args=[code])).content.decode()
    out: dict[tuple[str, str], int | None] = {}
    for theme, row in re.findall(r'<tr data-theme="([^"]+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td class="num"(?: data-group="([^"]+)")?>(.*?)</td>', row, re.S)
        for i, (group, shown) in enumerate(cells):
            text = unescape(shown).strip()
            key_group = group if group and group != "total" else (
                ALL if group == "total" or i == len(cells) - 1 else GROUPS[i])
            value = None if text.startswith("<") else int(text)
            out[(ALL if theme == "total" else theme, key_group)] = value
    return out


def test_voices_pages_of_a_municipality_leave_every_small_group_a_wide_range(raw: Path) -> None:
    names = store_areas(raw)
    buurten = sorted(c for c in names if c.startswith("BU"))[:3]
    # A wijk count of 7 and a buurt count of 5 would give the neighbouring buurt's 2; the
    # wijk's own single voice and a small group beside a large one in the same row.
    _store(buurten[0], 5, "veiligheid", "residents")
    _store(buurten[1], 2, "veiligheid", "residents")
    _store(WIJK, 1, "veiligheid", "residents")
    _store(buurten[0], 6, "wonen", "professionals")
    _store(buurten[1], 3, "wonen", "professionals")
    _store(buurten[2], 9, "wonen", "residents")
    truth = {(buurten[0], "veiligheid", "residents"): 5, (buurten[1], "veiligheid", "residents"): 2,
             (buurten[0], "wonen", "professionals"): 6, (buurten[1], "wonen", "professionals"): 3,
             (buurten[2], "wonen", "residents"): 9}
    client = Client()
    client.force_login(user("lezer", "viewer", "GM0363"))
    family = ["GM0363", WIJK, *sorted(c for c in names if c.startswith("BU"))]
    grids = {code: _grid(client, code) for code in family}
    themes = sorted({t for g in grids.values() for t, _ in g if t != ALL})
    assert "veiligheid" in themes and len(grids[WIJK]) == (len(themes) + 1) * (len(GROUPS) + 1)
    published = {(code, t, g): v for code, grid in grids.items() for (t, g), v in grid.items()}
    margins: list[Margin[tuple[str, str, str]]] = []
    for code in family:
        margins += grid_margins(themes, GROUPS, lambda r, c, a=code: (a, r, c))
    rests: list[tuple[str, str, str]] = []
    for parent, kids in (("GM0363", [WIJK]), (WIJK, family[2:])):
        for t in (*themes, ALL):
            for g in (*GROUPS, ALL):
                rests.append((f"rest-{parent}", t, g))
                margins.append(hierarchy_margin((parent, t, g), [(k, t, g) for k in kids],
                                                (f"rest-{parent}", t, g)))
        margins += grid_margins(themes, GROUPS, lambda r, c, p=parent: (f"rest-{p}", r, c))
    # Every small group: each buurt's, the wijk's (its count includes the buurten), and the
    # wijk's own voice (its remainder).
    wijk_truth = {(WIJK, "veiligheid", "residents"): 8, (WIJK, "wonen", "professionals"): 9}
    small = {k for k, n in {**truth, **wijk_truth}.items() if n < 5}
    small |= {(f"rest-{WIJK}", "veiligheid", "residents")}
    assert all(published[k] is None for k in small if k in published)
    ranges = feasible_ranges(published, margins, rests, wanted=small)
    assert narrow(ranges, small) == {}, ranges
