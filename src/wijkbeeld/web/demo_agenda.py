"""The worked example of the agenda (issue 11): Den Haag wijk Morgenstond from picture to agenda
to two years of progress. **Fictitious** parties, agenda and actions on real figures.

It continues the fictitious rounds of :mod:`wijkbeeld.web.demo_example` (autumn 2019 and 2021):

1. *picture*: the 2019 round shows shared urgency on *werk en inkomen* and *armoede en schulden*;
2. *agenda*: the parties agree a buurtagenda on 12 December 2019 with two items. Each baseline
   is read from the stored data, never typed in: the 2019 value of the indicator (ELAN/LUMC
   wijkprofielen) and the 2019 round's share of residents rating the theme urgent;
3. *two years of progress*: actions with dated reports in 2020 and 2021; the 2021 figures and
   round; the *werk en inkomen* item is revised on 15 November 2021 (version 2; version 1 stays
   visible). Its indicator (share of employees) fell while residents' and professionals' urgency
   faded, so the item raises the persistence alert "urgentie neemt af terwijl de cijfers niet
   verbeteren"; on *armoede en schulden* the share with a low income fell, so no alert there.

Every name says "(voorbeeld)". Loading is idempotent and all-or-nothing (one transaction).
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "AGENDA_AGREED",
    "AGENDA_TITLE",
    "EXAMPLE_ACTIONS",
    "EXAMPLE_PARTIES",
    "load_agenda_example",
]

AGENDA_TITLE = "Voorbeeld: buurtagenda Morgenstond 2020-2022 (fictief)"
AGENDA_AGREED = date(2019, 12, 12)
REVISED_ON = date(2021, 11, 15)
POLICY = "Voorbeeld: wijkaanpak Escamp (fictieve beleidsverwijzing)"

#: (organisation, type, contact role): fictitious organisations, roles not names.
EXAMPLE_PARTIES: tuple[tuple[str, str, str], ...] = (
    ("Woningcorporatie (voorbeeld)", "corporatie", "wijkconsulent"),
    ("Welzijnsorganisatie (voorbeeld)", "welzijn", "opbouwwerker"),
    ("Gemeente, stadsdeel Escamp (voorbeeld)", "gemeente", "wijkregisseur"),
    ("Bewonersorganisatie Morgenstond (voorbeeld)", "bewonersorganisatie", "secretariaat"),
    ("Ondernemersvereniging (voorbeeld)", "ondernemers", "bestuurslid werk"),
)

#: item key → (title, party type, start, [(date, status, progress, note)]).
EXAMPLE_ACTIONS: dict[str, tuple[tuple[str, str, date, tuple[tuple[date, str, int, str], ...]],
                                 ...]] = {
    "werk-inkomen": (
        ("Banenspreekuur in het wijkcentrum", "welzijn", date(2020, 2, 1), (
            (date(2020, 3, 1), "lopend", 10, "eerste spreekuren"),
            (date(2020, 9, 1), "lopend", 30, "in het voorjaar stilgelegd, in september hervat"),
            (date(2021, 6, 1), "lopend", 60, ""),
            (date(2021, 12, 1), "lopend", 70, "minder aanloop dan verwacht"),
        )),
        ("Werkgeversnetwerk met ondernemers uit de wijk", "ondernemers", date(2021, 12, 1), (
            (date(2021, 12, 1), "lopend", 10, "afgesproken na de peiling van 2021"),
        )),
    ),
    "armoede": (
        ("Vroegsignalering huurachterstand met schuldhulp", "corporatie", date(2020, 1, 15), (
            (date(2020, 1, 15), "lopend", 20, ""),
            (date(2020, 12, 1), "lopend", 50, ""),
            (date(2021, 12, 1), "afgerond", 100, "werkwijze vast onderdeel van de wijkaanpak"),
        )),
        ("Formulierenbrigade in de bibliotheek", "welzijn", date(2020, 6, 1), (
            (date(2020, 6, 1), "lopend", 40, ""),
            (date(2021, 6, 1), "lopend", 80, ""),
        )),
    ),
}


def _baseline(area: str, key: str, year: int, using: str) -> float:
    from wijkbeeld.web.agenda.reading import indicator_measurements

    found = {m.order: m.value for m in indicator_measurements(area, key, using)}
    value = found.get(year)
    if value is None:
        raise LookupError(f"{key} {year} van {area} is niet geladen")
    return value


def _round_share(area: str, round_key: str, theme: str, group: str, using: str) -> float:
    from wijkbeeld.web.agenda.reading import round_data

    data = round_data(area, using)
    cell = None if data.measures is None else data.measures.get(round_key, area, theme)
    g = None if cell is None else cell.group(group)
    if g is None or g.share_urgent is None:
        raise LookupError(f"peiling {round_key} is niet geladen")
    return g.share_urgent


def load_agenda_example(using: str = "default") -> tuple[bool, str]:
    """Store the example agenda unless it exists; returns (stored now, one-line detail).

    Raises :class:`LookupError` when the example rounds or the figures are not stored."""
    from django.db import transaction

    from wijkbeeld.web.agenda import services
    from wijkbeeld.web.agenda.models import Agenda, Party
    from wijkbeeld.web.demo_example import EXAMPLE_AREA, EXAMPLE_ROUNDS

    area = EXAMPLE_AREA
    if Agenda.objects.using(using).filter(area_code=area, title=AGENDA_TITLE).exists():
        return False, "al geladen (voorbeelddata, fictief)"
    first, second = EXAMPLE_ROUNDS[0].key, EXAMPLE_ROUNDS[1].key
    werknemer = _baseline(area, "elan_werknemer", 2019, using)
    bijstand = _baseline(area, "elan_bijstand", 2019, using)
    laag = _baseline(area, "elan_laag_inkomen", 2019, using)
    res_werk = _round_share(area, first, "werk_inkomen", "residents", using)
    res_armoede = _round_share(area, first, "armoede_schulden", "residents", using)
    with transaction.atomic(using=using):
        parties = {}
        for name, ptype, role in EXAMPLE_PARTIES:
            found = Party.objects.using(using).filter(area_code=area, name=name).first()
            parties[ptype] = found or services.add_party(area, name, ptype, role, using=using)
        agenda = services.create_agenda(
            area, AGENDA_TITLE, note="voorbeelddata: fictieve partijen, afspraken en acties op "
            "echte cijfers", using=using)
        werk_targets = [
            {"kind": "indicator", "key": "elan_werknemer", "baseline": werknemer,
             "baseline_at": "2019", "target": round(werknemer + 0.02, 4),
             "label": "aandeel werknemers"},
            {"kind": "round", "key": "werk_inkomen", "group": "residents",
             "metric": "share_urgent", "baseline": res_werk, "baseline_at": first,
             "target": 0.4, "label": "bewoners: werk en inkomen urgent"},
        ]
        werk = services.add_item(
            agenda, "werk-inkomen", "werk_inkomen",
            "Meer bewoners van Morgenstond hebben betaald werk.", targets=werk_targets,
            parties=[parties["welzijn"], parties["gemeente"]], policy_link=POLICY, using=using)
        armoede = services.add_item(
            agenda, "armoede", "armoede_schulden",
            "Minder huishoudens in Morgenstond leven in armoede of met schulden.",
            targets=[
                {"kind": "indicator", "key": "elan_bijstand", "baseline": bijstand,
                 "baseline_at": "2019", "target": round(bijstand - 0.006, 4),
                 "label": "aandeel met bijstand"},
                {"kind": "indicator", "key": "elan_laag_inkomen", "baseline": laag,
                 "baseline_at": "2019", "target": round(laag - 0.02, 4),
                 "label": "aandeel met een laag inkomen"},
                {"kind": "round", "key": "armoede_schulden", "group": "residents",
                 "metric": "share_urgent", "baseline": res_armoede, "baseline_at": first,
                 "target": 0.5, "label": "bewoners: armoede en schulden urgent"},
            ],
            parties=[parties["corporatie"], parties["welzijn"], parties["gemeente"]],
            policy_link=POLICY, using=using)
        services.agree_agenda(agenda, AGENDA_AGREED, using=using)
        services.revise_item(
            werk, ambition="Meer bewoners van Morgenstond hebben betaald werk; werkgevers uit de "
            "wijk doen mee, ook nu de urgentie minder wordt gevoeld.", targets=werk_targets,
            parties=[parties["welzijn"], parties["gemeente"], parties["ondernemers"]],
            policy_link=POLICY, agreed_on=REVISED_ON,
            change_note=f"na peiling {second}: urgentie neemt af, cijfers niet; "
            "ondernemers trekken mee", using=using)
        n_updates = 0
        for item in (werk, armoede):
            for title, ptype, start, updates in EXAMPLE_ACTIONS[item.key]:
                action = services.add_action(item, title, party=parties[ptype],
                                             started_on=start, using=using)
                for on, status, pct, note in updates:
                    services.report_action(action, on, status, pct, note=note, using=using)
                    n_updates += 1
    return True, (f"buurtagenda {area} (Morgenstond) vastgesteld {AGENDA_AGREED}, 2 punten, "
                  f"{n_updates} voortgangsmeldingen 2020-2021; voorbeelddata, fictief")
