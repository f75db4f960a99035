"""The report tests' shared database: built once per session through the real CLI (see
``report_support``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from report_support import BUURT, DATA, DH_SERIES, KWB_2024, VOICE_TEXTS, run_ok


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "x.sqlite3"
    run_ok(["import", "figures", str(KWB_2024), str(DH_SERIES)], db)
    run_ok(["import", "areas", str(DATA / "amsterdam" / "amsterdam_buurten_2022.geojson"),
            "--year", "2024", "--code-field", "cbsCode"], db)
    run_ok(["import", "areas", str(DATA / "haaglanden" / "haaglanden_wijken.geojson"),
            "--year", "2022", "--code-field", "WK_CODE"], db)
    voices = folder / "meldingen.csv"
    with voices.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Toelichting", "Buurtcode", "Datum", "Categorie"])
        for i, text in enumerate(VOICE_TEXTS):
            out.writerow([text, BUURT, f"2024-05-{i + 1:02d}", "Afval naast container"])
    mapping = folder / "meldingen.toml"
    mapping.write_text('[columns]\ntext = "Toelichting"\narea = "Buurtcode"\ndate = "Datum"\n'
                       'category = "Categorie"\n\n[defaults]\ngroup = "residents"\n'
                       'channel = "melding"\nconsent = true\n\n[categories]\n'
                       '"Afval naast container" = "openbare_ruimte"\n', encoding="utf-8")
    run_ok(["voices", "import", str(voices), "--mapping", str(mapping)], db)
    return db
