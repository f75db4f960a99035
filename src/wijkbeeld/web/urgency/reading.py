"""Read stored rounds into the plain data the core :mod:`wijkbeeld.urgency` expects, and build
the urgency matrix of an area; the dashboard and ``wijkbeeld urgency AREA`` both call
:func:`area_matrix`.

* :func:`responses_frame`: one row per respondent × theme (``RESPONSE_COLUMNS``), one query;
* :func:`round_infos`: the rounds as :class:`~wijkbeeld.urgency.RoundInfo` (key, date, title);
* :func:`figure_scores`: the compare theme scores of the area's level in its municipality
  (``figure_scores_from_themes``), or None when no figures are stored. ``compare_all`` over every
  year of a municipality's level takes 0.5-3 s, so the result is kept per process in an
  :class:`~wijkbeeld.web.pages.profile_cache.LruCache` keyed by (database, municipality, level,
  import stamp): a new import changes the stamp, so stale scores are never served;
* :func:`area_triggers`: the triggers (aanleidingen) of the voices app as core
  :class:`~wijkbeeld.urgency.Trigger` values, one per theme (or one without theme), with the
  date of their status and its history;
* :func:`voice_signals`: the voices of the voices app as the core's second signal (per theme and
  bottom-up group: n and mean urgency of the voices with an urgency, in the
  :data:`VOICE_WINDOW_DAYS` up to the round's date);
* :func:`site_options`: the urgency options with the site's small-number minimum
  (``WIJKBEELD_MIN_GROUP_SIZE``);
* :func:`counted_frame`: while a round is open, only the answers it may show yet
  (:func:`wijkbeeld.disclosure.stepped`: per area the first ones in arrival order, rounded down
  to steps of the small-number minimum), so refreshing the page never reveals one new answer;
* :func:`area_matrix`: all of it through :func:`~wijkbeeld.urgency.urgency_matrix`;
* :func:`area_timelines`: the timelines (rounds, figure years, triggers, alerts) of an area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd
from django.conf import settings
from django.db.models import Count, Q

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.disclosure import DisclosureOptions, stepped
from wijkbeeld.urgency import (
    BOTTOM_UP,
    RESPONSE_COLUMNS,
    SHIFT_COLUMNS,
    RoundInfo,
    Timeline,
    Trigger,
    UrgencyMatrix,
    UrgencyOptions,
    figure_scores_from_themes,
    measure,
    timeline,
    timelines,
    urgency_matrix,
    validate_figure_scores,
    validate_responses,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.pages.profile_cache import ImportStamp, LruCache, import_stamp
from wijkbeeld.web.urgency.models import Answer, Response, Round, Status

__all__ = [
    "FIGURE_SCORES",
    "VOICE_WINDOW_DAYS",
    "after_frame",
    "area_matrix",
    "area_timelines",
    "area_triggers",
    "figure_scores",
    "held_back",
    "responses_frame",
    "round_info",
    "round_infos",
    "site_options",
    "voice_signals",
]

#: Voices count as a signal for a round when dated in this many days up to the round's date.
VOICE_WINDOW_DAYS = 365

#: Theme scores per (database, municipality, level, import stamp); see :func:`figure_scores`.
FIGURE_SCORES = LruCache(16)

_FIELDS = (
    ("response__round__key", "round"),
    ("response__area__code", "area_code"),
    ("theme", "theme"),
    ("response__group", "group"),
    ("rating", "rating"),
    ("recognition", "recognition"),
    ("response__organisation_type", "organisation_type"),
    ("response__respondent", "respondent"),
)


def responses_frame(
    rounds: Round | Iterable[Round] | None = None,
    *,
    area_code: str | None = None,
    using: str = "default",
) -> pd.DataFrame:
    """The stored answers as the core's input frame (columns ``RESPONSE_COLUMNS``).

    ``rounds``: one round, several, or None for all; ``area_code``: only answers about that area.
    Ratings are float (NaN = "weet niet"), recognition None when not answered.
    """
    qs = Answer.objects.using(using)
    if isinstance(rounds, Round):
        qs = qs.filter(response__round=rounds)
    elif rounds is not None:
        qs = qs.filter(response__round__in=list(rounds))
    if area_code is not None:
        qs = qs.filter(response__area__code=parse_code(area_code).code)
    rows = list(qs.order_by("response__round__held_on", "response_id", "id")
                .values_list(*(f for f, _ in _FIELDS)))
    frame = pd.DataFrame.from_records(rows, columns=[c for _, c in _FIELDS])
    frame["rating"] = pd.to_numeric(frame["rating"], errors="raise").astype("float64")
    frame["recognition"] = pd.Series(
        [r or None for r in frame["recognition"]], index=frame.index, dtype=object)
    return frame[list(RESPONSE_COLUMNS)]


def after_frame(area_code: str, *, using: str = "default") -> pd.DataFrame:
    """The blind rating and the rating after the picture of every answer about ``area_code``
    given through the three-step form (columns ``SHIFT_COLUMNS``; NaN = "weet niet")."""
    rows = list(Answer.objects.using(using)
                .filter(response__area__code=parse_code(area_code).code,
                        response__blind_at__isnull=False)
                .order_by("response_id", "id")
                .values_list("response__round__key", "response__area__code", "theme",
                             "response__group", "response__respondent", "rating",
                             "rating_after"))
    frame = pd.DataFrame.from_records(rows, columns=list(SHIFT_COLUMNS))
    for column in ("rating", "rating_after"):
        frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
    return frame


def counted_frame(frame: pd.DataFrame, *, using: str = "default") -> pd.DataFrame:
    """``frame`` (columns ``round``, ``area_code``, ``respondent``) without the answers an open
    round may not show yet: per open round and area, of the answers given through the personal
    links, the first ones in the order they came in, rounded down to a step of the site's
    small-number minimum (issue 18). A closed round counts every answer; an imported export
    counts as a whole. One new answer therefore never changes what is shown; five do, at once."""
    if frame.empty:
        return frame
    open_keys = set(Round.objects.using(using)
                    .filter(key__in=set(frame["round"]), status=Status.OPEN)
                    .values_list("key", flat=True))
    if not open_keys:
        return frame
    keep = pd.Series(True, index=frame.index)
    for key in sorted(open_keys):
        in_round = frame["round"] == key
        for code in sorted(set(frame.loc[in_round, "area_code"])):
            held = held_back(key, code, using=using)
            part = in_round & (frame["area_code"] == code)
            keep &= ~(part & frame["respondent"].isin(held))
    return frame[keep].reset_index(drop=True)


def held_back(round_key: str, area_code: str, *, using: str = "default") -> set[str]:
    """The respondents of an open round about ``area_code`` whose answers are not counted yet
    (:func:`counted_frame`); empty for a closed round. Every count of a round's answers that a
    page shows (results, participation, coverage) leaves these out, so no count moves by one."""
    if not Round.objects.using(using).filter(key=round_key, status=Status.OPEN).exists():
        return set()
    options = DisclosureOptions(open_round_step=site_options().min_n)
    # Answers through the personal links arrive one by one; an imported export arrives as a
    # whole and is published as a whole (docs/security.md).
    arrived = list(Response.objects.using(using)
                   .filter(round__key=round_key, area__code=area_code, source="form")
                   .order_by("submitted_at", "id").values_list("respondent", flat=True))
    return set(arrived) - set(stepped(arrived, is_open=True, options=options))


def round_info(rnd: Round, using: str = "default") -> RoundInfo:
    """``rnd`` as the core's ``RoundInfo``, with whether it was asked blind (see
    :func:`round_infos`)."""
    return round_infos(keys=[rnd.key], using=using)[0]


def round_infos(
    area_code: str | None = None, *, keys: Iterable[str] | None = None,
    using: str = "default",
) -> list[RoundInfo]:
    """The rounds (about ``area_code``, or with ``keys``, when given) as ``RoundInfo``, oldest
    first. ``blind``: every response of the round rated blind first (False as soon as one was
    not: stored before the three-step form, or imported); None without responses."""
    qs = Round.objects.using(using)
    if area_code is not None:
        qs = qs.filter(areas__code=parse_code(area_code).code).distinct()
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    counted = qs.annotate(
        n_responses=Count("responses", distinct=True),
        n_not_blind=Count("responses", filter=Q(responses__blind_at__isnull=True),
                          distinct=True),
    ).order_by("held_on", "key")
    return [RoundInfo(r.key, r.held_on, r.title,
                      None if r.n_responses == 0 else r.n_not_blind == 0)
            for r in counted]


def site_options() -> UrgencyOptions:
    """The default urgency options with the site's small-number minimum."""
    return replace(UrgencyOptions(), min_n=int(getattr(settings, "WIJKBEELD_MIN_GROUP_SIZE", 5)))


def _scores(municipality: str, level: str, using: str) -> pd.DataFrame | None:
    from wijkbeeld.compare import compare_all
    from wijkbeeld.web.figures.loading import figures_frame

    figures = figures_frame(municipality=municipality, level=level, using=using)
    if figures.frame.empty:
        return None
    themes = compare_all(figures).themes
    if themes.empty:
        return None
    return figure_scores_from_themes(themes)


def figure_scores(area_code: str, *, using: str = "default") -> pd.DataFrame | None:
    """Theme scores per year of the areas of ``area_code``'s level in its municipality (the
    default compare reference), or None when the area has none. Cached per import stamp."""
    code = parse_code(area_code)
    municipality, level = code.municipality or "", str(code.level)
    stamp = import_stamp(using)
    key = ((_ScoresKey(using, municipality, level, stamp)),)
    scores: pd.DataFrame | None = FIGURE_SCORES.get(
        key, lambda: _scores(municipality, level, using), stamp)
    if scores is None or code.code not in set(scores["area_code"]):
        return None
    return scores


def voice_signals(area_code: str, until: date, *, using: str = "default") -> pd.DataFrame:
    """Voices about ``area_code`` (and the areas below it) from residents and professionals,
    dated in the :data:`VOICE_WINDOW_DAYS` up to ``until``, that carry an urgency (1..5): per
    theme (every theme of a voice, suggested or confirmed, as the voices counts use) and group
    the number ``n`` and ``mean_urgency`` (the core's ``VOICE_COLUMNS``). The core withholds a
    signal of fewer than ``min_n`` voices. The matrix is the same for every viewer, so voices
    about the national level (readable by their author's municipality only) are left out
    (:mod:`wijkbeeld.web.voices.visibility`)."""
    from wijkbeeld.web.voices.models import VoiceTheme
    from wijkbeeld.web.voices.services import area_ids
    from wijkbeeld.web.voices.visibility import visible_q

    code = parse_code(area_code).code
    columns = ["area_code", "theme", "group", "n", "mean_urgency"]
    area = Area.objects.using(using).filter(code=code).order_by("-boundary_year").first()
    if area is None:
        return pd.DataFrame(columns=columns)
    rows = list(VoiceTheme.objects.using(using)
                .filter(voice__area_id__in=area_ids(area, using), voice__group__in=BOTTOM_UP,
                        voice__urgency__isnull=False, voice__date__lte=until,
                        voice__date__gt=until - timedelta(days=VOICE_WINDOW_DAYS))
                .filter(visible_q(None, "voice__"))
                .values_list("theme", "voice__group", "voice__urgency"))
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows, columns=["theme", "group", "urgency"])
    out = (frame.groupby(["theme", "group"], sort=True)["urgency"]
           .agg(n="count", mean_urgency="mean").reset_index())
    out.insert(0, "area_code", code)
    return out[columns]


def area_triggers(area_code: str, *, using: str = "default") -> list[Trigger]:
    """The triggers of the voices app about ``area_code`` (any boundary year), one core
    :class:`~wijkbeeld.urgency.Trigger` per theme (or one about the area as a whole)."""
    from wijkbeeld.web.voices.models import Trigger as TriggerRow
    from wijkbeeld.web.voices.triggers import core_trigger

    code = parse_code(area_code).code
    out: list[Trigger] = []
    rows = TriggerRow.objects.using(using).filter(area__code=code).order_by("date", "id")
    for row in rows:
        out.extend(core_trigger(row, code))
    return out


def area_matrix(
    area_code: str,
    *,
    round_key: str | None = None,
    with_figures: bool = True,
    options: UrgencyOptions | None = None,
    using: str = "default",
) -> UrgencyMatrix:
    """The urgency matrix of an area (default: its latest round with answers), with the stored
    figures' theme scores, the voices (:func:`voice_signals`, up to the round's date) and the
    voices app's triggers beside the ratings. Raises ``UrgencyError`` when nothing was answered.
    """
    options = options or site_options()
    code = parse_code(area_code).code
    frame = counted_frame(responses_frame(area_code=code, using=using), using=using)
    responses = validate_responses(frame, source="database", options=options)
    figures = figure_scores(code, using=using) if with_figures else None
    rnds = list(Round.objects.using(using).filter(key__in=set(frame["round"]))
                .order_by("held_on", "key"))
    # Rows: every theme the chosen round asked about, also those nobody answered yet.
    chosen = rnds[-1] if round_key is None and rnds else next(
        (r for r in rnds if r.key == round_key), None)
    infos = round_infos(keys=[r.key for r in rnds], using=using)
    voices = None if chosen is None else voice_signals(code, chosen.held_on, using=using)
    return urgency_matrix(responses, code, infos, round_key=round_key, figures=figures,
                          voices=voices, triggers=area_triggers(code, using=using),
                          themes=None if chosen is None else list(chosen.themes),
                          options=options, after=counted_frame(after_frame(code, using=using),
                                                               using=using))


def area_timelines(
    area_code: str,
    *,
    theme: str | None = None,
    options: UrgencyOptions | None = None,
    using: str = "default",
) -> tuple[Timeline, ...]:
    """The timelines of an area: per theme asked about in a round, carrying a trigger, or (with
    no rounds) having figures; only ``theme`` when given. Rounds without answers are left out.
    """
    opts = options or site_options()
    code = parse_code(area_code).code
    frame = counted_frame(responses_frame(area_code=code, using=using), using=using)
    responses = validate_responses(frame, source="database", options=opts)
    measures = measure(responses.for_area(code), opts)
    infos = round_infos(keys=set(frame["round"]), using=using)
    scores = figure_scores(code, using=using)
    figures = None if scores is None else validate_figure_scores(scores)
    triggers = area_triggers(code, using=using)
    if theme is not None:
        return (timeline(measures, code, theme, infos, figures=figures, triggers=triggers),)
    return timelines(measures, code, infos, figures=figures, triggers=triggers)


@dataclass(frozen=True)
class _ScoresKey:
    """A cache key with the ``stamp`` attribute :class:`LruCache` expects in position 0."""

    using: str
    municipality: str
    level: str
    stamp: ImportStamp
