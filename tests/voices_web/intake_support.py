"""Helpers for the intake tests: read a rendered form's fields from its HTML (so a test fills what
the template really renders, never a dict that could drift from it), and route every query of
the web app to one database alias (so a page test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Field:
    """One named control of a form: its tag, type, id, options (value, label, group), and the
    values the page pre-fills (checked boxes, selected options, the text)."""

    name: str
    tag: str
    type: str = ""
    ids: list[str] = field(default_factory=list)
    options: list[tuple[str, str, str]] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """The controls of the first ``method=post`` form, and every ``<label for=...>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, Field] = {}
        self.labels: dict[str, str] = {}
        self.inputs_in_label: dict[str, list[str]] = {}
        self._in_form = False
        self._done = False
        self._select: Field | None = None
        self._option: dict[str, str] | None = None
        self._group = ""
        self._textarea: Field | None = None
        self._label: str | None = None
        self._label_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and not self._done:
            self._in_form = True
        if tag == "label" and "for" in a:
            self._label, self._label_text = a["for"], []
            self.inputs_in_label[a["for"]] = []
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            f = self.fields.setdefault(name, Field(name, tag, kind))
            f.ids.append(a.get("id", ""))
            if kind in ("checkbox", "radio"):
                f.options.append((a.get("value", "on"), "", ""))
                if "checked" in a:
                    f.values.append(a.get("value", "on"))
            else:
                f.values = [a.get("value", "")]
            if self._label is not None:
                self.inputs_in_label[self._label].append(a.get("id", ""))
        elif tag == "select" and name:
            self._select = self.fields.setdefault(name, Field(name, tag, "select"))
            self._select.ids.append(a.get("id", ""))
        elif tag == "optgroup":
            self._group = a.get("label", "")
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value", ""), "text": ""}
            if "selected" in a:
                self._select.values = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = self.fields.setdefault(name, Field(name, tag, "textarea"))
            self._textarea.ids.append(a.get("id", ""))
            self._textarea.values = [""]

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea.values[0] += data
        if self._label is not None:
            self._label_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "label" and self._label is not None:
            self.labels[self._label] = " ".join("".join(self._label_text).split())
            self._label = None
        elif tag == "option" and self._option is not None and self._select is not None:
            self._select.options.append((self._option["value"], self._option["text"].strip(),
                                         self._group))
            self._option = None
        elif tag == "optgroup":
            self._group = ""
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.values[0] = self._textarea.values[0].removeprefix("\n")
            self._textarea = None


def parse_form(html: str) -> FormParser:
    """The first POST form of the page's ``<main>`` (the header holds the language form)."""
    parser = FormParser()
    parser.feed(html[html.index("<main"):])
    return parser


def label_of(form: FormParser, value: str, name: str) -> str:
    """The label text of the checkbox or radio button ``name`` with ``value``."""
    f = form.fields[name]
    index = [v for v, _l, _g in f.options].index(value)
    return form.labels[f.ids[index]]


def post_data(form: FormParser, chosen: dict[str, str | list[str]]) -> dict[str, Any]:
    """What a browser sends: every field of the page with its pre-filled value, then ``chosen``
    (names must exist in the page: a field the template lacks fails here, not silently)."""
    data: dict[str, Any] = {}
    for name, f in form.fields.items():
        if f.type in ("checkbox", "radio"):
            if f.values:
                data[name] = list(f.values) if f.type == "checkbox" else f.values[0]
        elif f.values:
            data[name] = f.values[0]
    for name, value in chosen.items():
        assert name in form.fields, f"the page has no field {name!r}: {sorted(form.fields)}"
        f = form.fields[name]
        allowed = {v for v, _l, _g in f.options}
        for v in [value] if isinstance(value, str) else value:
            assert not allowed or v in allowed, f"{v!r} is not an option of {name!r}"
        data[name] = value
    return data


class OneAliasRouter:
    """Every read and write of the web app to one database alias (set in a test's settings)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return self.alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return self.alias

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> None:
        return None
