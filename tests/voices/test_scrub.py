"""Scrubbing, one kind of personal data at a time, with expected outputs written out by hand."""

from __future__ import annotations

import dataclasses
import random

import pytest
from voices_corpus import bsn, failing_bsn, iban_nl

from wijkbeeld.voices import Kind, Scrubber, ScrubResult, scrub, total_counts
from wijkbeeld.voices.kinds import Span, resolve_overlaps


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber(keep=("Zuilen", "Overvecht", "Leidsche Rijn"))


def _bsn_is_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    weighted = sum((9 - i) * d for i, d in enumerate(digits[:8])) - digits[-1]
    return len(digits) == 9 and weighted % 11 == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bel me op 06-12345678.", "Bel me op [TELEFOON]."),
        ("Bel me op 0612345678 of 06 12 34 56 78", "Bel me op [TELEFOON] of [TELEFOON]"),
        ("Nummer: +31 6 1234 5678", "Nummer: [TELEFOON]"),
        ("Nummer: 0031 20 123 4567", "Nummer: [TELEFOON]"),
        ("Kantoor (010) 123 45 67", "Kantoor [TELEFOON]"),
        ("Kantoor +31 (0)20 123 4567", "Kantoor [TELEFOON]"),
        ("BE: +32 470 12 34 56, UK: +44 20 7946 0958", "BE: [TELEFOON], UK: [TELEFOON]"),
        ("Sanne (06 12 34 56 78) belde", "[NAAM] ([TELEFOON]) belde"),
    ],
)
def test_phone_numbers(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2023 waren er 1500 meldingen en 35% was opgelost.",
        "De bijeenkomst is op 01-03-2024 om 19.30 uur.",
        "Bel 0800-1234 voor informatie.",  # a service number, not a person's
        "Buurt BU03630000 in gemeente GM0363.",
        "Er kwamen 123456789 bezoekers.",
    ],
)
def test_numbers_that_are_not_phone_numbers_stay(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text).text == text


def test_email_addresses(scrubber: Scrubber) -> None:
    out = scrubber.scrub("Mail J.Jansen@Gemeente-Utrecht.nl of fatima_88@hotmail.com.").text
    assert out == "Mail [EMAIL] of [EMAIL]."
    assert scrubber.scrub("schrijf naar jan [at] gmail [punt] com").text == "schrijf naar [EMAIL]"


def test_bsn_with_and_without_the_11_check(scrubber: Scrubber) -> None:
    rng = random.Random(7)
    valid = bsn(rng)
    failing = failing_bsn(rng)
    assert _bsn_is_valid(valid) and not _bsn_is_valid(failing)
    assert scrubber.scrub(f"Het nummer {valid} staat op de brief.").text == (
        "Het nummer [BSN] staat op de brief."
    )
    # a nine-digit count that fails the 11-check is not a BSN (and not a phone number)
    text = f"Er zijn {failing} bezoekers geteld."
    assert scrubber.scrub(text).text == text
    # introduced as a BSN it goes, valid or not
    assert scrubber.scrub(f"BSN van mevrouw is {failing}.").text == "BSN van mevrouw is [BSN]."
    assert scrubber.scrub("burgerservicenummer: 1234.56.782").text == "burgerservicenummer: [BSN]"
    # a Dutch amount with thousands separators is never a BSN
    text = "Het budget was 123.456.782 euro."
    assert scrubber.scrub(text).text == text


def test_iban(scrubber: Scrubber) -> None:
    iban = iban_nl(random.Random(3))
    grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    assert scrubber.scrub(f"Rekening {iban}.").text == "Rekening [IBAN]."
    assert scrubber.scrub(f"Rekening {grouped} en verder").text == "Rekening [IBAN] en verder"
    assert scrubber.scrub("IBAN DE89 3704 0044 0532 0130 00").text == "IBAN [IBAN]"
    # a Dutch-shaped account number with wrong check digits still goes
    assert scrubber.scrub("NL12 ABNA 0123 4567 89 klopt niet").text == "[IBAN] klopt niet"
    # a foreign-looking code with wrong check digits is not an IBAN
    text = "Code DE00 1234 5678 9012 3456 78 uit het systeem"
    assert scrubber.scrub(text).text == text


def test_postcode_and_house_number(scrubber: Scrubber) -> None:
    assert scrubber.scrub("Woont op 3521 AB 12 sinds mei.").text == "Woont op [ADRES] sinds mei."
    assert scrubber.scrub("postcode 3521AB, nr. 12").text == "postcode [ADRES]"
    assert scrubber.scrub("Kerkstraat 12, 3521 AB Utrecht").text == "[ADRES] Utrecht"
    assert scrubber.scrub("In postcodegebied 3521 AB wonen veel gezinnen.").text == (
        "In postcodegebied [POSTCODE] wonen veel gezinnen."
    )
    assert scrubber.scrub("Postcode 1234ab").text == "Postcode [POSTCODE]"
    text = "In 1980 en 1990 was het anders."  # "1980 en" is not a postcode
    assert scrubber.scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ze woont op de Kerkstraat 12.", "Ze woont op de [ADRES]."),
        ("Adres: Burgemeester de Withstraat 3a", "Adres: [ADRES]"),
        ("Ik woon op Prins Hendrikkade 108-2 sinds jaren", "Ik woon op [ADRES] sinds jaren"),
        ("Op de Dam 1 is een winkel.", "Op de [ADRES] is een winkel."),
        ("Lange Voorhout 5 heeft een tuin.", "[ADRES] heeft een tuin."),
        ("Bij kerkstraat 4 staat een bus.", "Bij [ADRES] staat een bus."),
    ],
)
def test_street_addresses(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "De Kerkstraat is 's avonds donker.",
        "Op de Dam is het druk.",
        "Langs de Molenweg wordt te hard gereden.",
        "Aan de Molenweg 3 keer per week vuilnis.",
        "Op de Molenweg rijden ze 50 km per uur.",
        "Lijn 8 rijdt niet meer.",
        "Groep 7 gaat op schoolreis.",
    ],
)
def test_street_names_without_a_house_number_stay(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text).text == text


def test_licence_plates(scrubber: Scrubber) -> None:
    assert scrubber.scrub("De auto AB-12-CD en de bus 12-ABC-3.").text == (
        "De auto [KENTEKEN] en de bus [KENTEKEN]."
    )
    assert scrubber.scrub("kenteken ghj12k staat er").text == "kenteken [KENTEKEN] staat er"
    text = "Gemeente GM0363 en wijk WK0363AA."  # an area code has the shape of sidecode 1
    assert scrubber.scrub(text).text == text


def test_birth_dates_and_other_dates(scrubber: Scrubber) -> None:
    assert scrubber.scrub("Zij is geboren op 12 maart 1980.").text == (
        "Zij is geboren op [GEBOORTEDATUM]."
    )
    assert scrubber.scrub("Cliënt (geb. 01-02-1950) woont alleen.").text == (
        "Cliënt (geb. [GEBOORTEDATUM]) woont alleen."
    )
    assert scrubber.scrub("Geboortedatum: 1980-03-12").text == "Geboortedatum: [GEBOORTEDATUM]"
    text = "Op 12 maart 1980 kwam hij hier wonen; de bijeenkomst was 03-04-2024."
    assert scrubber.scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan Jansen woont hier al jaren.", "[NAAM] woont hier al jaren."),
        ("Ik sprak mevrouw De Vries over de tuin.", "Ik sprak mevrouw [NAAM] over de tuin."),
        ("Volgens dhr. J.P. van der Berg is het veilig.", "Volgens dhr. [NAAM] is het veilig."),
        ("Fatima belde over haar buurman Yilmaz.", "[NAAM] belde over haar buurman [NAAM]."),
        ("Mohamed El Amrani en Anna Maria van den Berg kwamen.", "[NAAM] en [NAAM] kwamen."),
        ("Piet Jansen-de Boer zegt: het is fijn.", "[NAAM] zegt: het is fijn."),
        ("Mijn naam is Xylo en ik woon hier.", "Mijn naam is [NAAM] en ik woon hier."),
        ("We spraken met Jansen over de tuin.", "We spraken met [NAAM] over de tuin."),
        ("Mevrouw vertelt dat Björn Verkijk boos was.", "Mevrouw vertelt dat [NAAM] boos was."),
        ("Op zondag belde dhr. De Want.", "Op zondag belde dhr. [NAAM]."),  # surname = a word
        ("Contactpersoon Cyrillus ter Wel belde.", "Contactpersoon [NAAM] belde."),
        ("Gesprek met mw. Bakker en mevr. van Dijk.", "Gesprek met mw. [NAAM] en mevr. [NAAM]."),
    ],
)
def test_person_names(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wil je even terugbellen?",
        "De burgemeester van Utrecht kwam langs.",
        "Bij de Albert Heijn hangen jongeren.",
        "Speeltuin De Hoop is opgeknapt.",
        "In blok A. Daar is het vies.",
        "De bewoners van Zuilen en Overvecht zijn boos.",  # kept area names
        "In Leidsche Rijn wordt gebouwd.",
        "Ik sprak de wijkagent. Hij zei dat het rustig is.",  # a title ending a sentence
        "Ik belde mevrouw. Daarna ging ik naar huis.",
    ],
)
def test_words_that_look_like_names_stay(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text).text == text


def test_keep_protects_area_names_that_are_also_surnames() -> None:
    # Woensel is an Eindhoven district and a Dutch surname, and in no street or place list
    text = "Ik sprak met Woensel over de buurt."
    assert Scrubber().scrub(text).text == "Ik sprak met [NAAM] over de buurt."
    assert Scrubber(keep=("Woensel",)).scrub(text).text == text
    assert scrub(text, keep=["woensel"]).text == text  # case-insensitive
    text = "Bewoners uit Stratum en Gestel met meneer Woensel."
    assert scrub(text, keep=["Woensel-Noord", "Stratum", "Gestel"]).text == (
        "Bewoners uit Stratum en Gestel met meneer [NAAM]."
    )


def test_result_keeps_counts_and_parameters_but_not_the_original() -> None:
    original = "Jan Jansen (06-12345678) en Piet de Vries, jan@example.nl"
    result = Scrubber(keep=("Zuilen",)).scrub(original)
    assert result.text == "[NAAM] ([TELEFOON]) en [NAAM], [EMAIL]"
    assert dict(result.counts) == {"EMAIL": 1, "TELEFOON": 1, "NAAM": 2}
    assert result.report() == {"EMAIL": 1, "TELEFOON": 1, "NAAM": 2}
    assert result.total == 4 and result.changed
    assert result.keep == ("Zuilen",)
    assert all(
        original not in str(getattr(result, f.name)) for f in dataclasses.fields(ScrubResult)
    )
    assert "Jansen" not in repr(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.counts["NAAM"] = 0  # type: ignore[index]


def test_scrubbing_is_idempotent_and_keeps_html_as_text(scrubber: Scrubber) -> None:
    text = "<script>alert('Fatima')</script> <b>Kerkstraat 12</b> &amp; 06-12345678"
    once = scrubber.scrub(text)
    assert once.text == "<script>alert('[NAAM]')</script> <b>[ADRES]</b> &amp; [TELEFOON]"
    assert scrubber.scrub(once.text).text == once.text
    assert not scrubber.scrub(once.text).changed


def test_empty_and_whitespace_text(scrubber: Scrubber) -> None:
    for text in ("", "   ", "\t"):
        result = scrubber.scrub(text)
        assert result.text == text and dict(result.counts) == {}


def test_kinds_can_be_limited() -> None:
    result = Scrubber(kinds=(Kind.PHONE,)).scrub("Jan Jansen belt 06-12345678")
    assert result.text == "Jan Jansen belt [TELEFOON]"
    assert result.kinds == (Kind.PHONE,)


def test_total_counts_adds_up_in_placeholder_order(scrubber: Scrubber) -> None:
    results = [scrubber.scrub(t) for t in ("Jan Jansen", "Bel 06-12345678", "Piet de Vries belt")]
    assert total_counts(results) == {"TELEFOON": 1, "NAAM": 2}


def test_overlapping_spans_merge_to_the_stronger_kind() -> None:
    spans = [
        Span(0, 10, Kind.NAME, "a"), Span(5, 20, Kind.ADDRESS, "b"), Span(25, 30, Kind.NAME, "c")
    ]
    merged = resolve_overlaps(spans)
    assert merged == [Span(0, 20, Kind.ADDRESS, "b"), Span(25, 30, Kind.NAME, "c")]
    with pytest.raises(ValueError):
        Span(3, 3, Kind.NAME, "empty")
