"""Detectors of personal data, one small module per family; each returns :class:`Span` objects.

``contact`` (e-mail, phone), ``numbers`` (BSN, IBAN, licence plate), ``address`` (postcode,
street + number, also abbreviated: "Kerkstr 12"), ``birthdate``; for person names ``persons``
(deduce's own person annotators), ``names`` (list and capitalisation rules), ``name_context``
(any case, context words, families, particles) and ``name_checks`` (vets deduce's proposals,
completes every name), with the vocabulary of ``name_words``; ``wordlists`` reads the name,
place and street lists shipped with the ``deduce`` package.
"""

from __future__ import annotations

from wijkbeeld.voices.detectors.address import find_addresses, find_postcodes
from wijkbeeld.voices.detectors.birthdate import find_birth_dates
from wijkbeeld.voices.detectors.contact import find_emails, find_phones
from wijkbeeld.voices.detectors.name_context import ContextNames
from wijkbeeld.voices.detectors.names import NameFinder
from wijkbeeld.voices.detectors.numbers import find_bsns, find_ibans, find_plates
from wijkbeeld.voices.detectors.persons import find_persons
from wijkbeeld.voices.detectors.wordlists import WordLists, WordListsMissing, word_lists

__all__ = [
    "ContextNames",
    "NameFinder",
    "WordLists",
    "WordListsMissing",
    "find_addresses",
    "find_birth_dates",
    "find_bsns",
    "find_emails",
    "find_ibans",
    "find_persons",
    "find_phones",
    "find_plates",
    "find_postcodes",
    "word_lists",
]
