"""Services of the voices web app: record, correct and read voices. The pages, the import and
the CLI call these; nothing else writes voices.

* :func:`record_voice` scrubs the text (keeping the names of the area and its parents, which are
  a field of the voice anyway) and tags the *scrubbed* text, then stores the voice and its
  suggested themes in one transaction. The original text is never stored.
  Where the municipality has a trained theme model (:mod:`wijkbeeld.web.voices.learning`) it
  overrides the lexicon when it is confident; each theme stores what made it (``made_by``).
* :func:`correct_voice` is the analyst's correction: a new text is scrubbed again, themes set by
  a person are stored as confirmed, and the choice is kept as a label (:class:`ThemeCorrection`).
* :func:`counts` gives voices per theme x stakeholder group of an area (and the areas below it)
  through the small-number rule (:func:`wijkbeeld.voices.withhold_family`: the municipality's
  wijken and buurten protected together, so no page minus another gives a small group away);
  :func:`quotes` gives representative quotes (:func:`wijkbeeld.voices.select_quotes`), only
  from voices given with consent, and none when fewer voices than the minimum are about the theme.
* :func:`read_full_text` is the only way a page gets the full text: it writes an audit row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from wijkbeeld.voices import (
    MAX_TEXT_CHARS,
    THEME_KEYS,
    CountGrid,
    QuoteSelection,
    ScrubResult,
    SmallNumberRule,
    Tagger,
    TagResult,
    VoiceText,
    default_scrubber,
    scrub,
    select_quotes,
    too_long_message,
    withhold_family,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.voices.models import (
    PERSON,
    Channel,
    Group,
    TextReadAudit,
    ThemeCorrection,
    Tone,
    Trigger,
    TriggerStatus,
    Voice,
    VoiceTheme,
)
from wijkbeeld.web.voices.visibility import visible_q

__all__ = [
    "MAX_TEXT",
    "VoiceError",
    "area_ids",
    "correct_voice",
    "counts",
    "keep_names",
    "minimum",
    "quotes",
    "read_full_text",
    "record_trigger",
    "record_voice",
    "scrub_for",
    "scrubbed_short",
    "set_themes",
    "store_voice",
    "tagger",
]

#: Longest text accepted (characters, before scrubbing); the limit of the core
#: (:data:`wijkbeeld.voices.MAX_TEXT_CHARS`), so forms, importer and CLI agree.
MAX_TEXT = MAX_TEXT_CHARS
_TAGGER: Tagger | None = None


class VoiceError(ValueError):
    """A voice that cannot be stored as given (message in Dutch, for the user)."""


def tagger() -> Tagger:
    """The shared tagger (building one reads the lexicon).

    A municipality edits its lexicon in its own TOML files, listed in the setting
    ``WIJKBEELD_LEXICON_FILES`` (environment variable of the same name, paths separated by the
    OS path separator); they are merged over the bundled default lexicon.
    """
    global _TAGGER
    if _TAGGER is None:
        from django.conf import settings

        from wijkbeeld.voices.lexicon import load_lexicon

        files = list(getattr(settings, "WIJKBEELD_LEXICON_FILES", []))
        _TAGGER = Tagger(load_lexicon(files))
    return _TAGGER


def minimum() -> int:
    """The small-number minimum of the site (``WIJKBEELD_MIN_GROUP_SIZE``, default 5)."""
    return int(getattr(settings, "WIJKBEELD_MIN_GROUP_SIZE", 5))


def keep_names(area: Area, using: str = "default") -> tuple[str, ...]:
    """The names of ``area`` and of every area above it (never scrubbed as person names)."""
    names: list[str] = []
    seen: set[int] = set()
    current: Area | None = area
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if current.name:
            names.append(current.name)
        parent: Area | None = current.parent
        if parent is None and current.parent_code:
            parent = (Area.objects.using(using)
                      .filter(code=current.parent_code, boundary_year=current.boundary_year)
                      .first())
        current = parent
    return tuple(dict.fromkeys(names))


def scrub_for(area: Area, text: str, using: str = "default") -> ScrubResult:
    """``text`` scrubbed for a voice about ``area``."""
    return scrub(text, keep=keep_names(area, using))


def _check(text: str, channel: str, group: str, urgency: int | None, tone: str | None) -> None:
    if not text.strip():
        raise VoiceError("de tekst is leeg")
    if len(text) > MAX_TEXT:
        raise VoiceError(too_long_message(len(text), MAX_TEXT))
    if channel not in Channel.values:
        raise VoiceError(f"onbekend kanaal {channel!r}; kies uit {', '.join(Channel.values)}")
    if group not in Group.values:
        raise VoiceError(f"onbekende groep {group!r}; kies uit {', '.join(Group.values)}")
    if urgency is not None and not 1 <= urgency <= 5:
        raise VoiceError(f"urgentie {urgency} ligt niet tussen 1 en 5")
    if tone is not None and tone not in Tone.values:
        raise VoiceError(f"onbekende toon {tone!r}")


def record_voice(
    area: Area,
    text: str,
    *,
    when: date,
    channel: str,
    group: str,
    organisation_type: str = "",
    urgency: int | None = None,
    tone: str | None = None,
    consent: bool = False,
    author: Any = None,
    extra_themes: Iterable[str] = (),
    source: str = "form",
    using: str = "default",
) -> Voice:
    """Scrub, tag and store one voice (with its suggested themes) in one transaction.

    ``tone`` overrides the detected tone; ``extra_themes`` (e.g. from a report category) are
    stored with confidence 1 next to the suggestions.
    """
    _check(text, channel, group, urgency, tone)
    with transaction.atomic(using=using):
        return store_voice(area, text, when=when, channel=channel, group=group,
                      organisation_type=organisation_type, urgency=urgency, tone=tone,
                      consent=consent, author=author, extra_themes=extra_themes,
                      source=source, using=using)


def store_voice(area: Area, text: str, *, when: date, channel: str, group: str,
           organisation_type: str, urgency: int | None, tone: str | None, consent: bool,
           author: Any, extra_themes: Iterable[str], source: str, using: str) -> Voice:
    """Store one checked voice (inside the caller's transaction; :func:`record_voice` checks)."""
    from wijkbeeld.web.voices.learning import suggest_themes

    scrubbed = scrub_for(area, text, using)
    tags: TagResult = tagger().tag(scrubbed.text)
    suggested = suggest_themes(area.municipality, scrubbed.text, tags, using)
    voice = Voice.objects.using(using).create(
        area=area, date=when, channel=channel, group=group,
        organisation_type=scrubbed_short(area, organisation_type, using),
        text=scrubbed.text, scrub_report=scrubbed.report(), urgency=urgency,
        tone=tone or tags.tone.value, consent=consent, author=author, source=source,
    )
    themes = {s.theme: (s.confidence, s.made_by) for s in suggested}
    for key in extra_themes:
        themes[key] = (1.0, PERSON)
    VoiceTheme.objects.using(using).bulk_create(
        VoiceTheme(voice=voice, theme=key, confidence=conf, made_by=made_by)
        for key, (conf, made_by) in themes.items()
    )
    return voice


def scrubbed_short(area: Area, value: str, using: str = "default") -> str:
    """A short free-text field (organisation type) scrubbed too: it may hold a name."""
    value = value.strip()[:100]
    return scrub_for(area, value, using).text if value else ""


def set_themes(voice: Voice, themes: Sequence[str], who: Any, using: str = "default") -> None:
    """A person's choice of themes: these (confirmed by ``who``), and no others. The choice is
    kept, with who and when and the themes before, as a label for the theme model."""
    unknown = sorted(set(themes) - set(THEME_KEYS))
    if unknown:
        raise VoiceError(f"onbekende thema's: {', '.join(unknown)}")
    person = who if getattr(who, "pk", None) else None
    with transaction.atomic(using=using):
        stored = VoiceTheme.objects.using(using).filter(voice=voice)
        before = list(stored.order_by("-confidence", "theme").values_list("theme", flat=True))
        stored.exclude(theme__in=themes).delete()
        for key in themes:
            VoiceTheme.objects.using(using).update_or_create(
                voice=voice, theme=key,
                defaults={"confirmed": True, "confirmed_by": person},
                create_defaults={"confirmed": True, "confirmed_by": person,
                                 "confidence": 1.0, "made_by": PERSON},
            )
        ThemeCorrection.objects.using(using).create(
            voice=voice, themes=list(dict.fromkeys(themes)), before=before, who=person)


def correct_voice(voice: Voice, *, text: str, themes: Sequence[str], tone: str,
                  urgency: int | None, who: Any, using: str = "default") -> Voice:
    """The analyst's correction: the new text is scrubbed again, the themes are confirmed."""
    _check(text, voice.channel, voice.group, urgency, tone)
    with transaction.atomic(using=using):
        if text != voice.text:
            scrubbed = scrub_for(voice.area, text, using)
            report = Counter(voice.scrub_report or {})
            report.update(scrubbed.counts)
            voice.text, voice.scrub_report = scrubbed.text, dict(report)
        voice.tone, voice.urgency = tone, urgency
        voice.save(using=using, update_fields=["text", "scrub_report", "tone", "urgency"])
        set_themes(voice, themes, who, using)
    return voice


def read_full_text(voice: Voice, user: Any, using: str = "default") -> str:
    """The full text of ``voice`` for ``user``; the read is written to the audit log."""
    TextReadAudit.objects.using(using).create(user=user, voice=voice)
    return str(voice.text)


def record_trigger(area: Area, description: str, *, when: date, source: str,
                   themes: Sequence[str] = (), status: str = TriggerStatus.ACTIEF,
                   using: str = "default") -> Trigger:
    """Store an aanleiding with a scrubbed description; its status counts from ``when`` (the
    history starts with that status). Edit and close it with :mod:`wijkbeeld.web.voices.triggers`.
    """
    from wijkbeeld.urgency.triggers import trigger_problems

    problems = trigger_problems(description=description, source=source, themes=themes,
                                status=status, theme_keys=THEME_KEYS)
    if problems:
        raise VoiceError("; ".join(problems))
    scrubbed = scrub_for(area, description, using)
    return Trigger.objects.using(using).create(
        area=area, date=when, source=source, description=scrubbed.text,
        scrub_report=scrubbed.report(), themes=list(dict.fromkeys(themes)), status=status,
        status_since=when, history=[{"status": str(status), "date": when.isoformat()}])


def area_ids(area: Area, using: str = "default") -> list[int]:
    """``area`` and every area below it (a wijk's voices include those of its buurten)."""
    ids = [area.pk]
    frontier = [area.pk]
    while frontier:
        frontier = list(Area.objects.using(using).filter(parent_id__in=frontier)
                        .exclude(pk__in=ids).values_list("pk", flat=True))
        ids += frontier
    return ids


def _family(area: Area, using: str) -> Area:
    """The area whose tree is protected as one family: the municipality ``area`` lies in (its
    wijken and buurten count each other's voices), or ``area`` itself above that level."""
    node, seen = area, set[int]()
    while node.level != "municipality" and node.parent_id is not None and node.pk not in seen:
        seen.add(node.pk)
        parent = Area.objects.using(using).filter(pk=node.parent_id).first()
        if parent is None:
            break
        node = parent
    return node if node.level == "municipality" else area


def counts(area: Area, *, rule: SmallNumberRule | int | None = None,
           using: str = "default", viewer: Any = None) -> CountGrid[str, str]:
    """Voices per theme x group of ``area`` (and below), after the small-number rule.

    Every theme of the lexicon and every group is a cell (missing ones count 0, so withheld).
    The grids of the whole municipality (its wijken and buurten) are protected together
    (:func:`wijkbeeld.voices.withhold_family`, issue 18): a wijk count minus its buurt counts
    gives no small group away, and every page takes its grid from the same result.
    Only the voices ``viewer`` may read count (:mod:`wijkbeeld.web.voices.visibility`: a national
    voice only for its author's municipality and national roles; none without a viewer).
    """
    rule = rule if rule is not None else minimum()
    root = _family(area, using)
    ids = area_ids(root, using)
    parents = dict(Area.objects.using(using).filter(pk__in=ids)
                   .values_list("pk", "parent_id"))
    rows = (VoiceTheme.objects.using(using)
            .filter(voice__area_id__in=ids)
            .filter(visible_q(viewer, "voice__"))
            .values_list("voice__area_id", "theme", "voice__group"))
    own: dict[int, Counter[tuple[str, str]]] = {pk: Counter() for pk in ids}
    for area_id, theme, group in rows:
        own[area_id][(theme, group)] += 1
    children: dict[int, list[int]] = {}
    for pk, parent in parents.items():
        if parent in parents and pk != root.pk:
            children.setdefault(parent, []).append(pk)
    total: dict[int, Counter[tuple[str, str]]] = {}
    for pk in reversed(ids):  # area_ids lists parents before their children
        total[pk] = own[pk] + sum((total[c] for c in children.get(pk, [])), Counter())
    grids = {pk: {(t, g): total[pk].get((t, g), 0) for t in THEME_KEYS for g in Group.values}
             for pk in ids}
    family_parents = {pk: (parents[pk] if pk != root.pk else None) for pk in ids}
    return withhold_family(grids, family_parents, rule)[area.pk]


def quotes(area: Area, theme: str, *, n: int = 3, using: str = "default",
           viewer: Any = None) -> QuoteSelection:
    """Representative quotes of ``area`` (and below) about ``theme``, from consenting voices
    ``viewer`` may read (as :func:`counts`); none when fewer than the minimum."""
    voices = (Voice.objects.using(using)
              .filter(area_id__in=area_ids(area, using), consent=True, themes__theme=theme)
              .filter(visible_q(viewer))
              .distinct().only("id", "date", "group", "text"))
    texts = [VoiceText(v.pk, area.code, v.date, v.group, v.text, frozenset({theme}))
             for v in voices]
    return select_quotes(texts, area.code, theme, n=n, minimum=minimum(),
                         scrubber=default_scrubber(keep_names(area, using)))
