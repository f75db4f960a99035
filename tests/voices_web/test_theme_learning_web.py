"""Tagging that learns (issue 20, item 4), through the real pages: an analyst corrects a tag on
the review page, the municipality's model is trained, and the corrected text and a paraphrase
of it are then tagged as corrected; a model of one municipality is never used for another."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from learning_support import CORRECT_THEME, CORRECTED, LEXICON_THEME, PARAPHRASE, SEED
from voices_web_support import area, store_areas, user

from wijkbeeld.voices.learning import NotEnoughLabels
from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.voices import learning
from wijkbeeld.web.voices.models import ThemeCorrection, ThemeModel, Voice
from wijkbeeld.web.voices.services import record_voice, set_themes

pytestmark = pytest.mark.django_db
OTHER_GM, OTHER_WIJK = "GM0518", "WK051834"


def _analyst(municipality: str = "GM0363") -> tuple[Any, Client]:
    name = f"analist-{municipality}"
    found = get_user_model().objects.filter(username=name).first()
    person = found or user(name, "analyst", municipality)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return person, client


def _record(text: str, target: Any = None) -> Voice:
    from datetime import date

    return record_voice(target or area(), text, when=date(2024, 5, 1), channel="gesprek",
                        group="residents", consent=True)


def _seed(who: Any, target: Any = None) -> None:
    """Voices whose themes analysts of the municipality confirmed earlier."""
    for theme, texts in SEED.items():
        for text in texts:
            set_themes(_record(text, target), [theme], who)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _themes(voice: Voice) -> list[tuple[str, str]]:
    return [(t.theme, t.made_by) for t in voice.themes.order_by("-confidence", "theme")]


def _correct_on_review_page(client: Client, voice: Voice, themes: list[str]) -> None:
    """Open the review page, follow the voice's link and post its rendered form."""
    review = client.get(reverse("voices-review")).content.decode()
    link = reverse("voices-detail", args=[voice.pk])
    assert f'href="{link}"' in review
    page = client.get(link).content.decode()
    text = re.search(r'<textarea name="text"[^>]*>\s*(.*?)</textarea>', page, re.S)
    tone = re.search(r'<option value="(\w+)" selected>', page)
    assert text is not None and tone is not None
    answer = client.post(link, {
        "csrfmiddlewaretoken": _csrf(page), "text": text.group(1).replace("&#x27;", "'"),
        "themes": themes, "tone": tone.group(1), "urgency": ""})
    assert answer.status_code == 302, answer.content.decode()[:2000]


def test_correction_then_training_tags_text_and_paraphrase_as_corrected(raw: Path) -> None:
    store_areas(raw)
    analyst, client = _analyst()
    _seed(analyst)
    wrong = _record(CORRECTED)
    assert _themes(wrong)[0] == (LEXICON_THEME, "lexicon")  # the lexicon gets it wrong

    _correct_on_review_page(client, wrong, [CORRECT_THEME])
    correction = ThemeCorrection.objects.filter(voice=wrong).latest("created_at")
    assert correction.themes == [CORRECT_THEME] and correction.who == analyst
    assert correction.before == [LEXICON_THEME]

    call_command("check")  # the app loads with the new models
    from wijkbeeld.cli import main

    assert main(["voices", "train", "--gemeente", "GM0363"]) == 0
    stored = ThemeModel.objects.get(municipality="GM0363")
    assert stored.n_corrections == sum(len(t) for t in SEED.values()) + 1

    again, paraphrase = _record(CORRECTED), _record(PARAPHRASE)
    for voice in (again, paraphrase):
        first, made_by = _themes(voice)[0]
        assert first == CORRECT_THEME, _themes(voice)
        assert made_by == stored.version
        assert LEXICON_THEME not in dict(_themes(voice))


def test_review_page_lists_least_certain_first(raw: Path) -> None:
    store_areas(raw)
    analyst, client = _analyst()
    sure = _record("Overal zwerfafval, hondenpoep en volle containers op straat.")
    unsure = _record(CORRECTED)
    nothing = _record("Het was een gewone dag.")
    done = _record("Veel ouderen zijn eenzaam.")
    set_themes(done, ["sociale_samenhang"], analyst)
    html = client.get(reverse("voices-review")).content.decode()
    order = [int(pk) for pk in re.findall(r'<tr data-voice="(\d+)"', html)]
    assert order == [nothing.pk, unsure.pk, sure.pk]
    certainty = [int(c) for c in re.findall(r'data-certainty="(\d+)"', html)]
    assert certainty == sorted(certainty) and certainty[0] == 0


def test_model_of_one_municipality_is_never_used_for_another(raw: Path) -> None:
    store_areas(raw)
    ensure_areas([(OTHER_GM, "'s-Gravenhage"), (OTHER_WIJK, "Morgenstond")], 2024)
    other_area = area(OTHER_WIJK)
    other_area.municipality = OTHER_GM
    other_area.save()
    analyst, client = _analyst()
    _seed(analyst)
    other_analyst, _ = _analyst(OTHER_GM)
    # a voice of the other municipality, labelled there: must not go into GM0363's model
    secret = _record("Kermisattractie Zwiebelturm bij het Zuiderpark kapot", other_area)
    set_themes(secret, ["openbare_ruimte"], other_analyst)
    wrong = _record(CORRECTED)
    _correct_on_review_page(client, wrong, [CORRECT_THEME])
    run = learning.train_municipality("GM0363")
    assert run.n_corrections == sum(len(t) for t in SEED.values()) + 1
    assert all("Zwiebelturm" not in t.text for t in learning.corrections_for("GM0363"))
    model = learning.model_for("GM0363")
    assert model is not None
    vocabulary = model.estimator.steps[0][1].transformer_list[0][1].vocabulary_
    assert "zwiebelturm" not in vocabulary and "digid" in vocabulary
    # the other municipality has no model of its own: its voices get the lexicon only
    assert learning.model_for(OTHER_GM) is None
    there = _record(CORRECTED, other_area)
    assert _themes(there)[0] == (LEXICON_THEME, "lexicon")
    # and an analyst of the other municipality cannot train on too little
    with pytest.raises(NotEnoughLabels):
        learning.train_municipality(OTHER_GM)


def test_tampered_model_is_not_loaded(raw: Path) -> None:
    store_areas(raw)
    analyst, _ = _analyst()
    _seed(analyst)
    learning.train_municipality("GM0363")
    learning._LOADED.clear()
    ThemeModel.objects.filter(municipality="GM0363").update(signature="0" * 64)
    assert learning.model_for("GM0363") is None
    assert _themes(_record(CORRECTED))[0] == (LEXICON_THEME, "lexicon")


def test_train_command_refuses_bad_input(raw: Path, capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    from wijkbeeld.cli import main

    store_areas(raw)
    assert main(["voices", "train", "--gemeente", "GM0363"]) == 2
    assert "te weinig labels" in capsys.readouterr().err
    assert main(["voices", "train", "--gemeente", "Amsterdam"]) == 2
    export = tmp_path / "meldingen.csv"
    export.write_text("omschrijving;categorie\nKapotte lantaarnpaal;Verlichting\n"
                      "Jongeren maken herrie;Overlast\n", encoding="utf-8")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("category,theme\nVerlichting,openbare_ruimte\n", encoding="utf-8")
    assert main(["voices", "train", "--gemeente", "GM0363", "--labels", str(export),
                 "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert "meldingen.csv, rij 3, kolom 'categorie'" in err and "Overlast" in err
    assert not ThemeModel.objects.exists()

