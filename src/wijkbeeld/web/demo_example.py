"""The worked example of the demo: two fictitious rounds (peilingen) about one real wijk,
showing urgency that fades while the figures do not improve (issue 6, DESIGN.md §6).

**The ratings are example data, not real answers.** The figures are real: Den Haag wijk 34
Morgenstond (WK051834) in the Den Haag wijkprofielen 2009-2022 (``haaglanden/df_count_ver_3.csv``).
Its share of welfare-benefit users (``%_Welfare_benefit_user``) was 8.10% in 2019 and 8.16% in
2021 (7.79% in 2022), and its *werk en inkomen* theme score against the other Den Haag wijken
stayed below -0.5 and fell (no improvement). The fictitious rounds, held in autumn 2019 and
autumn 2021, show residents and professionals losing their sense of urgency on *werk en inkomen*
(share rating 4 or 5: residents 6 of 8 → 1 of 8, professionals 5 of 6 → 1 of 6, policy 4 of 5 →
2 of 5), while *armoede en schulden* stays urgent for every group. So ``wijkbeeld urgency
WK051834`` shows the persistence alert "urgentie neemt af terwijl de cijfers niet verbeteren".

The answers go through the same services as the respondent form (open a round, invite, submit,
close), in one transaction, so the example is all there or not at all. Loading is idempotent: when
the example rounds exist nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "EXAMPLE_AREA",
    "EXAMPLE_NOTE",
    "EXAMPLE_RATINGS",
    "EXAMPLE_ROUNDS",
    "EXAMPLE_THEMES",
    "EXAMPLE_TITLE",
    "ExampleRound",
    "load_example",
]

EXAMPLE_AREA = "WK051834"  # Den Haag, wijk 34 Morgenstond
EXAMPLE_TITLE = "Voorbeeld: fictieve peilingen"
EXAMPLE_NOTE = "voorbeelddata, geen echte antwoorden"
EXAMPLE_THEMES = ("werk_inkomen", "armoede_schulden")


@dataclass(frozen=True)
class ExampleRound:
    """One fictitious round: its key, date and the title shown on the dashboard and the CLI."""

    key: str
    held_on: date
    season: str

    @property
    def title(self) -> str:
        return f"{EXAMPLE_TITLE} – Morgenstond, {self.season} ({EXAMPLE_NOTE})"


EXAMPLE_ROUNDS: tuple[ExampleRound, ...] = (
    ExampleRound("voorbeeld-morgenstond-2019", date(2019, 10, 1), "najaar 2019"),
    ExampleRound("voorbeeld-morgenstond-2021", date(2021, 10, 1), "najaar 2021"),
)

#: Round key → group → theme → the ratings of its respondents (one list position = one person),
#: with the recognition ("herkent u dit beeld?") of each. Fixed, so every load is identical.
EXAMPLE_RATINGS: dict[str, dict[str, dict[str, tuple[tuple[int, str], ...]]]] = {
    "voorbeeld-morgenstond-2019": {
        "residents": {
            "werk_inkomen": ((5, "ja"), (4, "ja"), (4, "ja"), (5, "ja"), (3, "deels"),
                             (4, "ja"), (4, "ja"), (2, "deels")),
            "armoede_schulden": ((4, "ja"), (5, "ja"), (4, "ja"), (4, "ja"), (3, "deels"),
                                 (5, "ja"), (4, "ja"), (4, "ja")),
        },
        "professionals": {
            "werk_inkomen": ((4, "ja"), (5, "ja"), (4, "ja"), (4, "ja"), (3, "deels"),
                             (5, "ja")),
            "armoede_schulden": ((5, "ja"), (4, "ja"), (4, "ja"), (5, "ja"), (4, "ja"),
                                 (4, "ja")),
        },
        "policy": {
            "werk_inkomen": ((4, "ja"), (4, "ja"), (5, "ja"), (3, "ja"), (4, "ja")),
            "armoede_schulden": ((4, "ja"), (5, "ja"), (4, "ja"), (4, "ja"), (3, "deels")),
        },
    },
    "voorbeeld-morgenstond-2021": {
        "residents": {
            "werk_inkomen": ((3, "deels"), (2, "nee"), (4, "ja"), (3, "deels"), (2, "nee"),
                             (3, "deels"), (1, "nee"), (3, "deels")),
            "armoede_schulden": ((4, "ja"), (4, "ja"), (5, "ja"), (4, "ja"), (3, "deels"),
                                 (4, "ja"), (5, "ja"), (4, "ja")),
        },
        "professionals": {
            "werk_inkomen": ((3, "deels"), (3, "deels"), (4, "ja"), (2, "nee"), (3, "deels"),
                             (3, "ja")),
            "armoede_schulden": ((4, "ja"), (5, "ja"), (4, "ja"), (4, "ja"), (5, "ja"),
                                 (4, "ja")),
        },
        "policy": {
            "werk_inkomen": ((4, "ja"), (3, "ja"), (4, "ja"), (3, "deels"), (3, "ja")),
            "armoede_schulden": ((4, "ja"), (4, "ja"), (4, "ja"), (5, "ja"), (3, "ja")),
        },
    },
}


def load_example(using: str = "default") -> tuple[bool, str]:
    """Store the example rounds unless they exist; returns (stored now, one-line detail).

    Raises :class:`LookupError` when the example wijk is not stored (its figures step did not run).
    """
    from django.db import transaction

    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.urgency.models import Response, Round
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        close_round,
        create_invitations,
        open_round,
        submit_response,
    )

    keys = [r.key for r in EXAMPLE_ROUNDS]
    existing = Round.objects.using(using).filter(key__in=keys).count()
    if existing == len(keys):
        n = Response.objects.using(using).filter(round__key__in=keys).count()
        return False, f"al geladen ({existing} peilingen, {n} antwoorden; {EXAMPLE_NOTE})"
    if not Area.objects.using(using).filter(code=EXAMPLE_AREA).exists():
        raise LookupError(f"{EXAMPLE_AREA} is niet geladen: laad eerst de Den Haag-cijfers")
    total = 0
    with transaction.atomic(using=using):
        for spec in EXAMPLE_ROUNDS:
            if Round.objects.using(using).filter(key=spec.key).exists():
                continue
            rnd = open_round(spec.key, [EXAMPLE_AREA], list(EXAMPLE_THEMES), spec.held_on,
                             title=spec.title, using=using)
            for group, per_theme in EXAMPLE_RATINGS[spec.key].items():
                people = len(next(iter(per_theme.values())))
                tokens = create_invitations(rnd, group, people, using=using)
                for i, token in enumerate(tokens):
                    answers = [ThemeAnswer(theme, per_theme[theme][i][0], per_theme[theme][i][1])
                               for theme in EXAMPLE_THEMES]
                    submit_response(token, answers, round_key=spec.key, using=using)
                    total += 1
            close_round(rnd, using=using)
    return True, (f"{len(EXAMPLE_ROUNDS)} peilingen over {EXAMPLE_AREA} (Morgenstond), "
                  f"{total} antwoorden; {EXAMPLE_NOTE}")
