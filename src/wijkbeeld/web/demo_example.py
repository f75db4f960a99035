"""The worked example of the demo: two fictitious rounds (peilingen) about one real wijk,
showing urgency that fades while the figures do not improve (issue 6, DESIGN.md §6), and every
urgency class once (issue 17).

**The ratings are example data, not real answers.** The figures are real: Den Haag wijk 34
Morgenstond (WK051834) in the Den Haag wijkprofielen 2009-2022 (``haaglanden/df_count_ver_3.csv``).
Its share of welfare-benefit users (``%_Welfare_benefit_user``) was 8.10% in 2019 and 8.16% in
2021 (7.79% in 2022), and its *werk en inkomen* theme score against the other Den Haag wijken
stayed below -0.5 and fell (no improvement). The fictitious rounds, held in autumn 2019 and
autumn 2021, show residents and professionals losing their sense of urgency on *werk en inkomen*
(share rating 4 or 5: residents 6 of 8 → 1 of 8, professionals 5 of 6 → 1 of 6, policy 4 of 5 →
2 of 5), while *armoede en schulden* stays urgent for every group. So ``wijkbeeld urgency
WK051834`` shows the persistence alert "urgentie neemt af terwijl de cijfers niet verbeteren".

The 2021 round also asks about the four other themes with figures on Morgenstond's page, so its
dashboard shows every class (theme scores of 2021, or of 2017 for veiligheid, the last year with
one; urgent = −0,5 or lower):

* *gedeelde urgentie*: armoede en schulden (every group urgent, figures −1,07);
* *van bovenaf*: werk en inkomen (figures −0,77; residents 1 of 8, professionals 1 of 6 and
  policy 2 of 5 urgent);
* *verdeeld*: jeugd en onderwijs (professionals 5 of 6 and policy 4 of 5 urgent, residents 1 of
  8; figures −0,57);
* *gevoeld, niet gemeten*: veiligheid (residents 6 of 8; figures −0,01 and policy not) and
  gezondheid en zorg (professionals 5 of 6; figures −0,29);
* *geen urgentie*: sociale samenhang (nobody urgent, figures +0,06).

Every answer is given as the respondent form gives it (issue 17): a **blind** rating first (the
measure), then, after the picture, the recognition and the rating again
(:mod:`wijkbeeld.web.urgency.steps`). A few residents rate *werk en inkomen* higher once they have
seen its figures (2021: mean 2,6 → 3,4), so the dashboard shows "het beeld verandert de urgentie"
for that group of 8.

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

    @property
    def themes(self) -> tuple[str, ...]:
        """The themes this round asks about (those of :data:`EXAMPLE_RATINGS`)."""
        return tuple(EXAMPLE_RATINGS[self.key]["residents"])


EXAMPLE_ROUNDS: tuple[ExampleRound, ...] = (
    ExampleRound("voorbeeld-morgenstond-2019", date(2019, 10, 1), "najaar 2019"),
    ExampleRound("voorbeeld-morgenstond-2021", date(2021, 10, 1), "najaar 2021"),
)

#: The four themes the 2021 round adds (one list position = one person, as below): every
#: urgency class appears once on the dashboard (see the module docstring).
_MORE_2021: dict[str, dict[str, tuple[tuple[int, str], ...]]] = {
    "residents": {
        "veiligheid": ((4, "deels"), (5, "nee"), (4, "deels"), (4, "nee"), (3, "deels"),
                       (5, "nee"), (4, "deels"), (2, "ja")),
        "gezondheid_zorg": ((3, "ja"), (3, "deels"), (4, "deels"), (2, "ja"), (3, "ja"),
                            (3, "deels"), (2, "ja"), (3, "ja")),
        "jeugd_onderwijs": ((3, "deels"), (2, "nee"), (3, "deels"), (4, "ja"), (3, "deels"),
                            (2, "nee"), (3, "ja"), (3, "deels")),
        "sociale_samenhang": ((2, "ja"), (3, "ja"), (2, "ja"), (1, "ja"), (3, "deels"),
                              (2, "ja"), (4, "nee"), (2, "ja")),
    },
    "professionals": {
        "veiligheid": ((3, "deels"), (3, "ja"), (4, "deels"), (2, "ja"), (3, "ja"), (3, "ja")),
        "gezondheid_zorg": ((4, "nee"), (4, "deels"), (5, "nee"), (4, "deels"), (3, "deels"),
                            (4, "nee")),
        "jeugd_onderwijs": ((4, "ja"), (5, "ja"), (4, "ja"), (4, "ja"), (5, "ja"), (3, "deels")),
        "sociale_samenhang": ((2, "ja"), (3, "ja"), (2, "ja"), (3, "ja"), (2, "ja"), (3, "ja")),
    },
    "policy": {
        "veiligheid": ((2, "ja"), (3, "ja"), (3, "ja"), (2, "ja"), (3, "ja")),
        "gezondheid_zorg": ((3, "ja"), (2, "ja"), (3, "ja"), (3, "ja"), (2, "ja")),
        "jeugd_onderwijs": ((4, "ja"), (4, "ja"), (3, "ja"), (5, "ja"), (4, "ja")),
        "sociale_samenhang": ((2, "ja"), (2, "ja"), (3, "ja"), (2, "ja"), (1, "ja")),
    },
}

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
            **_MORE_2021["residents"],
        },
        "professionals": {
            "werk_inkomen": ((3, "deels"), (3, "deels"), (4, "ja"), (2, "nee"), (3, "deels"),
                             (3, "ja")),
            "armoede_schulden": ((4, "ja"), (5, "ja"), (4, "ja"), (4, "ja"), (5, "ja"),
                                 (4, "ja")),
            **_MORE_2021["professionals"],
        },
        "policy": {
            "werk_inkomen": ((4, "ja"), (3, "ja"), (4, "ja"), (3, "deels"), (3, "ja")),
            "armoede_schulden": ((4, "ja"), (4, "ja"), (4, "ja"), (5, "ja"), (3, "ja")),
            **_MORE_2021["policy"],
        },
    },
}

#: Round key → group → theme → the rating of each respondent *after* the picture, where it
#: differs from the blind rating (elsewhere the second rating equals the first).
EXAMPLE_AFTER: dict[str, dict[str, dict[str, tuple[int, ...]]]] = {
    "voorbeeld-morgenstond-2021": {
        "residents": {
            # Seeing the werk en inkomen figures, six of eight residents rate it one higher.
            "werk_inkomen": (4, 3, 4, 4, 3, 4, 2, 3),
            # Seeing that the figures do not show unsafety, two residents rate it one lower.
            "veiligheid": (4, 4, 4, 3, 3, 5, 4, 2),
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
    from wijkbeeld.web.urgency.services import close_round, create_invitations, open_round
    from wijkbeeld.web.urgency.steps import (
        BlindAnswer,
        PictureAnswer,
        submit_blind,
        submit_picture,
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
            themes = spec.themes
            rnd = open_round(spec.key, [EXAMPLE_AREA], list(themes), spec.held_on,
                             title=spec.title, using=using)
            for group, per_theme in EXAMPLE_RATINGS[spec.key].items():
                after = EXAMPLE_AFTER.get(spec.key, {}).get(group, {})
                people = len(next(iter(per_theme.values())))
                tokens = create_invitations(rnd, group, people, using=using)
                for i, token in enumerate(tokens):
                    submit_blind(token, [BlindAnswer(t, per_theme[t][i][0]) for t in themes],
                                 round_key=spec.key, using=using)
                    submit_picture(token, [
                        PictureAnswer(t, after[t][i] if t in after else per_theme[t][i][0],
                                      per_theme[t][i][1]) for t in themes], using=using)
                    total += 1
            close_round(rnd, using=using)
    return True, (f"{len(EXAMPLE_ROUNDS)} peilingen over {EXAMPLE_AREA} (Morgenstond), "
                  f"{total} antwoorden (eerst blind, dan na het beeld); {EXAMPLE_NOTE}")
