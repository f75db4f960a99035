"""The form of the import page: a figures file (CSV or Excel), an optional mapping, skip-unknown,
allow new areas.

The checks that need no parser are made here, each with its own message on the field: no file,
a name that is not ``.csv``/``.xlsx`` (``.toml`` for the mapping), an empty file, a file over the
import limit (also when :class:`~wijkbeeld.web.jobs.uploads.LimitedUpload` dropped it on the way
in). What needs the stored file (zip bombs, the mapping's contents) is checked by the view.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijkbeeld.web.jobs.uploads import MAPPING_MAX_BYTES

__all__ = ["DATA_SUFFIXES", "ImportForm", "size_text"]

#: What the import page takes (the CLI also reads .txt/.tsv/.xlsm; the page keeps to the usual).
DATA_SUFFIXES = (".csv", ".xlsx")


def size_text(n: int) -> str:
    """A byte count the Dutch way: ``200 MB``, ``1,5 MB``, ``256 kB``."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f}".replace(".", ",").removesuffix(",0") + " MB"
    return f"{max(1, round(n / 1024))} kB"


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("Bestand (CSV of Excel)"), required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ",".join(DATA_SUFFIXES)}),
        help_text=_("Een CBS-export (StatLine-CSV, TypedDataSet-Excel) of een eigen tabel met "
                    "een koppelbestand."))
    mapping = forms.FileField(
        label=_("Koppelbestand (optioneel)"), required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".toml"}),
        help_text=_("Alleen voor een eigen tabel: een TOML-bestand dat zegt wat elke kolom is "
                    "(zie de handleiding)."))
    skip_unknown = forms.BooleanField(
        label=_("Kolommen die wijkbeeld niet kent overslaan"), required=False)
    allow_new_areas = forms.BooleanField(
        label=_("Nieuwe gebieden toestaan"), required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_allow_new_areas-help"}),
        help_text=_("Codes die niet in de opgeslagen gebiedsindeling van het jaar staan, worden "
                    "dan als nieuw gebied toegevoegd in plaats van geweigerd."))

    def __init__(self, *args: Any, max_bytes: int, refused: Collection[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes, self.refused = max_bytes, frozenset(refused)

    def _checked(self, field: str, suffixes: tuple[str, ...], limit: int, wrong: str,
                 too_large: str) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get(field)
        too_large = too_large % {"size": size_text(limit)}
        if field in self.refused:
            raise forms.ValidationError(too_large, code="too_large")
        if upload is None:
            return None
        name = Path(upload.name or "").name
        if Path(name).suffix.lower() not in suffixes:
            raise forms.ValidationError(wrong % {"name": name}, code="suffix")
        if not upload.size:
            raise forms.ValidationError(gettext("%(name)s is leeg (0 bytes).") % {"name": name},
                                        code="empty")
        if upload.size > limit:
            raise forms.ValidationError(too_large, code="too_large")
        return upload

    def clean_bestand(self) -> UploadedFile:
        upload = self._checked(
            "bestand", DATA_SUFFIXES, self.max_bytes,
            gettext("%(name)s is geen CSV- of Excel-bestand (.csv of .xlsx)."),
            gettext("Het bestand is groter dan %(size)s, de grens voor een import "
                    "(WIJKBEELD_MAX_IMPORT_BYTES)."))
        if upload is None:
            raise forms.ValidationError(gettext("Kies een bestand (CSV of Excel .xlsx)."),
                                        code="required")
        return upload

    def clean_mapping(self) -> UploadedFile | None:
        return self._checked("mapping", (".toml",), MAPPING_MAX_BYTES,
                             gettext("%(name)s is geen koppelbestand (.toml)."),
                             gettext("Een koppelbestand is hooguit %(size)s."))
