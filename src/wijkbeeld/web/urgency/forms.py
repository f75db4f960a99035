"""The respondent form: per theme of the round a rating 1..5 or "weet ik niet", the question
"herkent u dit beeld?" (ja / deels / nee) with an optional comment, and an optional story.

Fields are named ``<theme>-rating``, ``<theme>-recognition`` and ``<theme>-comment``; the template
groups them in one fieldset per theme. :meth:`ResponseForm.answers` turns valid data into the
plain :class:`~wijkbeeld.web.urgency.services.ThemeAnswer` values the service stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbeeld.web.urgency.services import MAX_COMMENT, MAX_STORY, ThemeAnswer
from wijkbeeld.web.urgency.steps import BlindAnswer, PictureAnswer

__all__ = [
    "DONT_KNOW",
    "GENERAL",
    "RATING_CHOICES",
    "RECOGNITION_CHOICES",
    "BlindForm",
    "PictureForm",
    "ResponseForm",
    "StoryForm",
]

DONT_KNOW = "weet_niet"
RATING_CHOICES: list[tuple[str, Any]] = [
    ("1", _("1 · niet urgent")),
    ("2", _("2")),
    ("3", _("3")),
    ("4", _("4")),
    ("5", _("5 · zeer urgent")),
    (DONT_KNOW, _("Weet ik niet")),
]
RECOGNITION_CHOICES: list[tuple[str, Any]] = [
    ("ja", _("Ja")), ("deels", _("Deels")), ("nee", _("Nee")),
]


class ResponseForm(forms.Form):
    """The answers to one round; ``themes`` is a list of (key, Dutch name)."""

    def __init__(self, themes: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        for key, name in self.themes:
            self.fields[f"{key}-rating"] = forms.ChoiceField(
                choices=RATING_CHOICES, widget=forms.RadioSelect, label=name,
                error_messages={"required": _("Kies een cijfer van 1 tot 5, of 'Weet ik niet'.")},
            )
            self.fields[f"{key}-recognition"] = forms.ChoiceField(
                choices=RECOGNITION_CHOICES, widget=forms.RadioSelect, required=False,
                label=_("Herkent u dit beeld?"),
            )
            self.fields[f"{key}-comment"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), required=False,
                max_length=MAX_COMMENT, label=_("Toelichting (mag leeg blijven)"),
            )
        self.fields["story"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=MAX_STORY,
            label=_("Wilt u nog iets vertellen over de wijk? (mag leeg blijven)"),
        )
        # The stored response's revision when the form was shown: a late copy of an older
        # submission (a retried request, a second window) cannot overwrite newer answers.
        self.fields["revision"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64)
        self.fields["story_consent"] = forms.BooleanField(
            required=False,
            label=_("Mijn verhaal mag zonder naam als citaat in verslagen over de wijk staan."),
        )

    @staticmethod
    def initial_from(answers: Sequence[ThemeAnswer], story: str,
                     consent: bool = False) -> dict[str, Any]:
        """Initial values from stored answers (to change an earlier response)."""
        initial: dict[str, Any] = {"story": story, "story_consent": consent}
        for a in answers:
            initial[f"{a.theme}-rating"] = DONT_KNOW if a.rating is None else str(a.rating)
            initial[f"{a.theme}-recognition"] = a.recognition or ""
            initial[f"{a.theme}-comment"] = a.comment
        return initial

    def answers(self) -> list[ThemeAnswer]:
        """The valid answers as plain values (call after ``is_valid()``)."""
        data = self.cleaned_data
        out = []
        for key, _name in self.themes:
            rating = data[f"{key}-rating"]
            out.append(ThemeAnswer(
                theme=key,
                rating=None if rating == DONT_KNOW else int(rating),
                recognition=data[f"{key}-recognition"] or None,
                comment=data[f"{key}-comment"],
            ))
        return out

    def story(self) -> str:
        """The optional story (scrubbed by the service before storage)."""
        return str(self.cleaned_data.get("story", ""))

    def revision(self) -> str | None:
        """The revision the form was shown with (None when the POST did not carry one)."""
        return str(self.cleaned_data["revision"]) if "revision" in self.data else None

    def story_consent(self) -> bool:
        """Whether the story may be quoted (without a name)."""
        return bool(self.cleaned_data.get("story_consent", False))


#: The story's "theme" when it is about the neighbourhood in general.
GENERAL = "algemeen"


def _rating_field(name: str, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=RATING_CHOICES, widget=forms.RadioSelect, label=label,
        error_messages={"required": _("Kies een cijfer van 1 tot 5, of 'Weet ik niet'.")},
    )


def _rating(value: str) -> int | None:
    return None if value == DONT_KNOW else int(value)


class BlindForm(forms.Form):
    """Step 1: per theme how urgent it is, and why (optional); no figure in sight."""

    def __init__(self, themes: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        for key, name in self.themes:
            self.fields[f"{key}-rating"] = _rating_field(key, name)
            self.fields[f"{key}-comment"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), required=False,
                max_length=MAX_COMMENT, label=_("Waarom? (mag leeg blijven)"),
            )

    def answers(self) -> list[BlindAnswer]:
        """The valid answers (call after ``is_valid()``)."""
        data = self.cleaned_data
        return [BlindAnswer(key, _rating(data[f"{key}-rating"]), data[f"{key}-comment"])
                for key, _name in self.themes]


class PictureForm(forms.Form):
    """Step 2: per theme "herkent u dit beeld?" with why, and the urgency again."""

    def __init__(self, themes: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        for key, name in self.themes:
            self.fields[f"{key}-recognition"] = forms.ChoiceField(
                choices=RECOGNITION_CHOICES, widget=forms.RadioSelect, required=False,
                label=_("Herkent u dit beeld?"),
            )
            self.fields[f"{key}-comment"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), required=False,
                max_length=MAX_COMMENT, label=_("Waarom wel of niet? (mag leeg blijven)"),
            )
            self.fields[f"{key}-rating"] = _rating_field(key, name)
        # The stored response's revision when the form was shown (see ResponseForm).
        self.fields["revision"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64)

    @staticmethod
    def initial_from(answers: Sequence[Any]) -> dict[str, Any]:
        """Initial values from stored answers that already have a step-2 part."""
        initial: dict[str, Any] = {}
        for a in answers:
            if a.recognition or a.rating_after is not None or a.recognition_comment:
                initial[f"{a.theme}-recognition"] = a.recognition or ""
                initial[f"{a.theme}-comment"] = a.recognition_comment
                initial[f"{a.theme}-rating"] = (
                    DONT_KNOW if a.rating_after is None else str(a.rating_after))
        return initial

    def answers(self) -> list[PictureAnswer]:
        """The valid answers (call after ``is_valid()``)."""
        data = self.cleaned_data
        return [PictureAnswer(key, _rating(data[f"{key}-rating"]),
                              data[f"{key}-recognition"] or None, data[f"{key}-comment"])
                for key, _name in self.themes]

    def revision(self) -> str | None:
        """The revision the form was shown with (None when the POST did not carry one)."""
        return str(self.cleaned_data["revision"]) if "revision" in self.data else None


class StoryForm(forms.Form):
    """Step 3: an optional story about one theme, and consent to quote it without a name."""

    def __init__(self, themes: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["story_theme"] = forms.ChoiceField(
            choices=[*themes, (GENERAL, _("De wijk in het algemeen"))], required=False,
            initial=GENERAL, label=_("Waar gaat uw verhaal over?"),
        )
        self.fields["story"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=MAX_STORY,
            label=_("Uw verhaal (mag leeg blijven)"),
        )
        self.fields["story_consent"] = forms.BooleanField(
            required=False,
            label=_("Mijn verhaal mag zonder naam als citaat in verslagen over de wijk staan."),
        )

    def theme(self) -> str | None:
        """The chosen theme, None for the neighbourhood in general."""
        value = str(self.cleaned_data.get("story_theme") or GENERAL)
        return None if value == GENERAL else value

    def text(self) -> str:
        """The story (scrubbed by the service before storage)."""
        return str(self.cleaned_data.get("story", ""))

    def consent(self) -> bool:
        """Whether the story may be quoted (without a name)."""
        return bool(self.cleaned_data.get("story_consent", False))
