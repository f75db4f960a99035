"""Uploads and imports: size limits, zip bombs, XML entity tricks, and property-based fuzzing of
every importer with mutated real files (byte flips, truncations, row shuffles, mutated workbook
parts, random bytes). Every outcome is a clean import or a DataError naming the file, never
another exception, and a failed import leaves the database row counts unchanged."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from security_support import WIJK, YEAR, buurten_subset, kwb_names, kwb_subset

from wijkbeeld.areas.crosswalk import read_crosswalk
from wijkbeeld.areas.geometry import read_boundaries
from wijkbeeld.data import data_file
from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.filecheck import check_import_file
from wijkbeeld.figures.readers import read_figures

RIVM = data_file("amsterdam/rivm_gezondheid_2020_18plus_amsterdam.xlsx")
CROSSWALK = data_file("amsterdam/amsterdam_buurten_2015_2022_crosswalk_wkt.csv")
LBM = "leefbaarometer-amstelveen-wijken/AmstelveenDataWithDimensions.csv"
LBM_MAPPING = """code_column = "wk_code"
name_column = "wk_naam"
period_column = "jaar"
source = "Leefbaarometer 3.0 (Ministerie van BZK)"
boundary_year = 2022
ignore = ["1", "afw", "fys", "onv", "soc", "vrz", "won"]
[columns.lbm]
key = "lbm_score"
name_nl = "Leefbaarometer score"
unit = "number"
polarity = "higher_is_better"
"""
FUZZ = hsettings(max_examples=12, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])


def rezip(source: Path, out: Path, change: Callable[[str, bytes], bytes],
          extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook ``source`` with its parts passed through ``change``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buffer, "w",
                                                          zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out


def _doctype(body: bytes, dtd: str) -> bytes:
    decl, _, rest = body.partition(b"?>")
    return decl + b"?>" + dtd.encode() + rest


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("dtd", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xml_entity_tricks_in_a_workbook_are_refused(tmp_path: Path, dtd: str) -> None:
    bad = rezip(RIVM, tmp_path / "rivm_2020.xlsx",
                lambda name, body: _doctype(body, dtd) if name == "xl/workbook.xml" else body)
    with pytest.raises(DataError, match=r"rivm_2020\.xlsx.*xl/workbook\.xml.*DOCTYPE"):
        read_figures(bad)


def test_zip_bomb_is_refused_before_any_parser(tmp_path: Path) -> None:
    # 64 MB of one byte compresses about 1000 times: a small file that unpacks huge.
    bomb = rezip(RIVM, tmp_path / "rivm_2020.xlsx", lambda name, body: body,
                 extra={"xl/media/padding.xml": b"A" * (64 << 20)})
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(DataError, match=r"rivm_2020\.xlsx.*compressed \d+ times.*zip bomb"):
        read_figures(bomb)


def test_unpacked_and_file_size_limits(tmp_path: Path, raw: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKBEELD_MAX_UNPACKED_BYTES", str(100_000))
    with pytest.raises(DataError, match=r"rivm_gezondheid.*unpacks to .*zip bomb"):
        read_figures(RIVM)
    monkeypatch.setenv("WIJKBEELD_MAX_IMPORT_BYTES", str(1_000))
    kwb = kwb_subset(raw, tmp_path / "Kerncijfers_wijken_en_buurten_2024.csv")
    assert kwb.stat().st_size > 1_000
    for reader in (read_figures, read_crosswalk, lambda p: read_boundaries(p, year=2022)):
        for path in (kwb, CROSSWALK):
            with pytest.raises(DataError, match=rf"{path.name}.*import limit"):
                reader(path)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 << 20
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 << 20


def test_the_real_files_pass_the_checks(raw: Path) -> None:
    for path in (RIVM, CROSSWALK, raw / LBM):
        check_import_file(path)


# ---- fuzzing ---------------------------------------------------------------------------------

KINDS = ["flip", "truncate", "shuffle", "duplicate", "random", "part"]


def mutate(data: bytes, kind: str, seed: int, source: Path | None = None) -> bytes:
    """A mutated copy of ``data`` (deterministic in ``seed``)."""
    rnd = random.Random(seed)
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            out[rnd.randrange(len(out))] = rnd.randrange(256)
        return bytes(out)
    if kind == "truncate":
        return data[: rnd.randrange(len(data))]
    if kind in ("shuffle", "duplicate"):
        lines = data.split(b"\n")
        if kind == "shuffle":
            rnd.shuffle(lines)
        else:
            lines.insert(rnd.randrange(len(lines)), lines[rnd.randrange(len(lines))])
        return b"\n".join(lines)
    if kind == "part" and source is not None and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as z:
            target = rnd.choice([n for n in z.namelist() if n.endswith(".xml")])
        buffer = io.BytesIO(data)
        out_path = io.BytesIO()
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out_path, "w") as dst:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == target:
                    body = mutate(body, rnd.choice(["flip", "truncate", "shuffle"]), seed)
                dst.writestr(info.filename, body)
        return out_path.getvalue()
    return rnd.randbytes(rnd.randint(1, 4000))


def attempt(read: Callable[[Path], Any], path: Path) -> Any:
    """Run one import; a DataError must name the file. Anything else fails the test."""
    try:
        return read(path)
    except DataError as exc:
        assert path.name in str(exc), f"error does not name the file: {exc}"
        return None


@pytest.fixture(scope="module")
def sources(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    crosswalk = folder / "crosswalk_2015_2022.csv"
    crosswalk.write_bytes(b"\n".join(CROSSWALK.read_bytes().split(b"\n")[:30]) + b"\n")
    mapping = folder / "lbm.toml"
    mapping.write_text(LBM_MAPPING, encoding="utf-8")
    return {"statline": kwb_subset(raw, folder / "Kerncijfers_wijken_en_buurten_2024.csv"),
            "xlsx": RIVM, "mapped": raw / LBM, "mapping": mapping,
            "geometry": buurten_subset(raw, folder / "buurten_2022.geojson"),
            "crosswalk": crosswalk}


READERS: dict[str, Callable[[Path, dict[str, Path]], Any]] = {
    "statline": lambda p, s: read_figures(p, catalogue=load_catalogue()),
    "xlsx": lambda p, s: read_figures(p, catalogue=load_catalogue()),
    "mapped": lambda p, s: read_figures(p, mapping=s["mapping"], catalogue=load_catalogue()),
    "geometry": lambda p, s: read_boundaries(p, year=2022),
    "crosswalk": lambda p, s: read_crosswalk(p),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_fuzz_core_readers(reader: str, sources: dict[str, Path], tmp_path: Path) -> None:
    source = sources[reader]
    data = source.read_bytes()
    assert attempt(lambda p: READERS[reader](p, sources), source) is not None  # the real file

    @FUZZ
    @given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32))
    def run(kind: str, seed: int) -> None:
        path = tmp_path / source.name
        path.write_bytes(mutate(data, kind, seed, source))
        attempt(lambda p: READERS[reader](p, sources), path)

    run()


def _counts() -> tuple[int, ...]:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Observation
    from wijkbeeld.web.urgency.models import Answer, Response, Round
    from wijkbeeld.web.voices.models import Voice, VoiceTheme

    return tuple(m.objects.count() for m in (Area, ImportBatch, Observation, Round, Response,
                                             Answer, Voice, VoiceTheme))


VOICES_CSV = ("Datum;Buurtcode;Toelichting;Groep\n"
              f"2024-03-01;{WIJK};Er ligt veel zwerfafval op straat.;bewoner\n"
              f"2024-03-02;{WIJK};Bel Fatima Yilmaz op 06-12345678 over de overlast.;bewoner\n"
              f"2024-03-03;{WIJK.lower()};Het is hier onveilig 's avonds.;professional\n")
VOICES_MAPPING = {
    "columns": {"text": "Toelichting", "area": "Buurtcode", "date": "Datum", "group": "Groep"},
    "defaults": {"channel": "enquete"},
    "groups": {"bewoner": "residents", "professional": "professionals"},
}
ROUNDS_CSV = "ronde;gebied;thema;groep;urgentie;herkenning;respondent;organisatie\n" + "".join(
    f"2024-najaar;{WIJK};{theme};{group};{score};ja;{group[:3]}{i};\n"
    for i in range(1, 6) for group in ("bewoners", "beleid")
    for theme, score in (("veiligheid", 1 + i % 5), ("wonen", 5 - i % 3)))


@pytest.mark.django_db
def test_fuzz_storing_importers_leave_no_trace(raw: Path, sources: dict[str, Path],
                                               tmp_path: Path) -> None:
    """Figures, voices and round imports: a failed import changes no row count."""
    from wijkbeeld.web.figures.store import ensure_areas, store_table, sync_catalogue
    from wijkbeeld.web.urgency.importing import import_responses
    from wijkbeeld.web.voices.importing import import_voices

    catalogue = load_catalogue()
    sync_catalogue(catalogue)
    ensure_areas(list(kwb_names(raw).items()), YEAR)
    files = {"figures.csv": sources["statline"].read_bytes(),
             "voices.csv": VOICES_CSV.encode(), "rounds.csv": ROUNDS_CSV.encode()}
    importers: dict[str, Callable[[Path], Any]] = {
        "figures.csv": lambda p: store_table(read_figures(
            p.rename(p.with_name("Kerncijfers_wijken_en_buurten_2024.csv")),
            catalogue=catalogue), who="fuzz"),
        "voices.csv": lambda p: import_voices(p, VOICES_MAPPING),
        "rounds.csv": lambda p: import_responses(p, "2024-najaar", [WIJK],
                                                 held_on=date(2024, 10, 1)),
    }

    @FUZZ
    @given(name=st.sampled_from(sorted(files)), kind=st.sampled_from(KINDS[:5]),
           seed=st.integers(0, 2**32))
    def run(name: str, kind: str, seed: int) -> None:
        folder = tmp_path / f"{name}-{seed}-{kind}"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_bytes(mutate(files[name], kind, seed))
        before = _counts()
        try:
            importers[name](path)
        except DataError as exc:
            assert name in str(exc) or "Kerncijfers" in str(exc), str(exc)
            assert _counts() == before, f"{name} ({kind}) failed but changed the database"

    run()
    for name, data in files.items():  # and the unmutated files import cleanly
        path = tmp_path / "clean" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        importers[name](path)
