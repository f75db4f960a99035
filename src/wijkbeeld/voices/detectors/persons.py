"""Person names found by ``deduce``'s own person annotators: the base of the name detection.

``deduce`` (the established Dutch de-identifier, a dependency) finds names from its first-name
and surname lists, titles ("dhr.", "mevrouw"), initials and interfixes, and grows them with its
context rules ("Jan" + "de Vries", "J." + "Jansen", "mw." + "Bakker"). Only its ``names`` group
is used here: its place, street, institution and date annotators would erase the area and
street names that the scrubber deliberately keeps, and they are what makes ``deduce`` slow to
start (its full lookup structures take one to two minutes to build on a fresh install and about
8 s to load after that).

Cost. The lists the person annotators need (first names, surnames, interfixes, titles,
initials, the whitelist of ordinary words) are built straight from deduce's source lists, once
per process and only when the first text is scrubbed (:func:`person_pipeline`, thread-safe):
about 1 s, nothing written to disk. After that it runs at some 5,000 short texts a second.

Linear time. deduce's context rules grow a name one token per pass and recurse once per pass,
and every first name in a run of names grows to the end of the run, so a long run costs time
quadratic in its length and may overflow the stack. The text is therefore given to deduce in
windows of at most :data:`WINDOW_CHARS` characters (cut after a sentence, else at a space), a
"word" longer than :data:`~wijkbeeld.voices.limits.MAX_TOKEN_CHARS` characters is blanked
first (it is no name, and it keeps a window short), and what deduce finds in each window is
mapped back to the text: the cost per window is bounded, so the total is linear.

Importing ``deduce`` has two side effects that are undone here (:func:`import_deduce`): it
sets the root logger to DEBUG on standard output (which would mix log lines into the output of
``wijkbeeld scrub``) and resets the warning filters.
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from wijkbeeld.voices.kinds import Kind, Span
from wijkbeeld.voices.limits import MAX_TOKEN_CHARS, pieces

__all__ = [
    "MAX_RUN_TOKENS",
    "WINDOW_CHARS",
    "PersonPipeline",
    "find_persons",
    "import_deduce",
    "person_pipeline",
]

#: deduce reads the text in windows of at most this many characters (see the module docstring).
WINDOW_CHARS = 400
#: A run without whitespace longer than this is blanked before deduce reads it.
_LONG_RUN = re.compile(r"\S{" + str(MAX_TOKEN_CHARS + 1) + r",}+")
#: deduce's lists and patterns all need a capitalised (Latin) word: a window without one is
#: skipped (lower-case chat, digits, other scripts cost nothing).
_LATIN_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ]")
#: The longest run of name-like tokens deduce reads in one go ("dhr. J.P. van der Berg-de
#: Vries" is 8).
MAX_RUN_TOKENS = 8
_WORD = re.compile(r"\w++")
_GAP = re.compile(r"[\s.-]*+")
#: Lower-case words that continue a name in deduce's rules: particles and titles.
_SMALL_NAME_PARTS = frozenset({
    "van", "de", "der", "den", "het", "t", "ter", "ten", "te", "in", "op", "uit", "aan", "bij",
    "v", "vd", "la", "le", "du", "da", "di", "dos", "del", "von", "zur", "el", "al", "d", "l",
    "dhr", "mevr", "mw", "mevrouw", "meneer", "mijnheer", "heer", "dr", "mr", "drs", "ir", "ing",
    "prof", "ds", "mej", "bc", "collega",
})
#: The annotators of deduce's ``names`` group that are not used: ``patient_name`` needs the
#: patient's name as metadata, which a voice does not have.
_SKIPPED = frozenset({"patient_name"})
#: The lists the person annotators look up (deduce's own names for them).
_LISTS = (
    "names/lst_first_name", "names/lst_initial", "names/lst_interfix",
    "names/lst_interfix_surname", "names/lst_prefix", "names/lst_surname",
    "whitelist/lst_common_word", "whitelist/lst_medical_term", "whitelist/lst_stop_word",
    "whitelist/lst_eponymous_disease",
)

#: deduce's modules used here (imported by name: deduce ships no type information).
_MODULES = (
    "deduce", "deduce.annotation_processor", "deduce.annotator", "deduce.lookup_struct_loader",
    "deduce.lookup_structs", "deduce.utils",
)

_import_lock = threading.Lock()
_build_lock = threading.Lock()
_pipeline: PersonPipeline | None = None


def import_deduce() -> ModuleType:
    """The ``deduce`` package, imported without its side effects on logging and warnings."""
    with _import_lock:
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        try:
            with warnings.catch_warnings():  # deduce.annotator calls warnings.simplefilter
                for module in _MODULES:
                    importlib.import_module(module)
        finally:
            # deduce.deduce runs logging.basicConfig(stream=sys.stdout, level=DEBUG)
            root.handlers[:] = handlers
            root.setLevel(level)
    return sys.modules["deduce"]


@dataclass(frozen=True, slots=True)
class PersonPipeline:
    """deduce's person annotators, ready to run (build with :func:`person_pipeline`)."""

    model: Any  # a docdeid.DocDeid holding the annotators and deduce's tokenizer

    def find(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every person name deduce finds in ``text`` (one window)."""
        doc = self.model.deidentify(text)
        return sorted((a.start_char, a.end_char) for a in doc.annotations)


def _build() -> PersonPipeline:
    # deduce ships no type information and docdeid does not export its names explicitly: both
    # are used as untyped modules here
    deduce: Any = import_deduce()
    dd: Any = importlib.import_module("docdeid")

    lookup = Path(str(deduce.__file__)).parent / "data" / "lookup"
    raw = deduce.lookup_structs.load_raw_itemsets(base_path=lookup, subdirs=list(_LISTS))
    tokenizer = deduce.Deduce._initialize_tokenizer(lookup)
    loader = deduce.lookup_struct_loader
    ds = dd.ds.DsCollection()
    for name in ("initial", "interfix_surname"):
        plain = dd.ds.LookupSet()
        plain.add_items_from_iterable(raw[name])
        ds[name] = plain
    # the same structures, built the same way, as deduce.lookup_structs.get_lookup_structs
    ds["prefix"] = loader.load_prefix_lookup(raw)
    ds["interfix"] = loader.load_interfix_lookup(raw)
    ds["whitelist"] = loader.load_whitelist_lookup(raw)
    ds["first_name"] = loader.load_first_name_lookup(raw, tokenizer)
    ds["surname"] = loader.load_surname_lookup(raw, tokenizer)
    ds["eponymous_disease"] = loader.load_eponymous_disease_lookup(raw, tokenizer)

    config = deduce.Deduce._initialize_config(load_base_config=True)
    names = dd.process.DocProcessorGroup()
    extras = {"tokenizer": tokenizer, "ds": ds}
    for key, spec in config["annotators"].items():
        if spec.get("group") != "names" or key in _SKIPPED:
            continue
        args = dict(spec["args"])
        kind = spec["annotator_type"]
        if kind == "docdeid.process.MultiTokenLookupAnnotator":
            trie = ds[args.pop("lookup_values")]
            annotator = dd.process.MultiTokenLookupAnnotator(trie=trie, **args)
        else:
            module, _, cls_name = kind.rpartition(".")
            cls = deduce.utils.class_for_name(module_name=module, class_name=cls_name)
            annotator = deduce.utils.initialize_class(cls, args, extras)
        names.add_processor(key, annotator)
    # drops "pseudo" names (eponymous diseases: "ziekte van Parkinson") and resolves overlaps
    names.add_processor(
        "person_annotation_converter", deduce.annotation_processor.PersonAnnotationConverter()
    )
    model = dd.DocDeid()
    model.tokenizers["default"] = tokenizer
    model.processors.add_processor("names", names)
    return PersonPipeline(model)


def person_pipeline() -> PersonPipeline:
    """The process-wide person pipeline, built on first use (about 1 s)."""
    global _pipeline
    if _pipeline is None:
        with _build_lock:
            if _pipeline is None:
                _pipeline = _build()
    return _pipeline


def find_persons(text: str) -> Iterator[Span]:
    """Person names deduce's person annotators find in ``text``, window by window."""
    if not any(c.isalpha() for c in text):
        return
    pipeline = person_pipeline()
    blanked = _LONG_RUN.sub(lambda m: " " * len(m.group()), text)
    for start, end in pieces(blanked, WINDOW_CHARS):
        if _LATIN_CAPITAL.search(blanked, start, end) is None:
            continue  # every name deduce finds holds a capital letter of the Latin script
        for lo, hi in _runs_cut(blanked, start, end):
            for s, e in pipeline.find(blanked[lo:hi]):
                if s < e:
                    yield Span(lo + s, lo + e, Kind.NAME, "deduce")


def _runs_cut(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The parts of ``text[start:end]`` deduce reads: everything but the tail of a run of more
    than :data:`MAX_RUN_TOKENS` name-like tokens (capitalised, or a particle or title, with only
    spaces, full stops or hyphens between them). deduce grows every name in such a run to its
    end, which costs time quadratic in the run; no real name is that long, and the other name
    rules still read the whole run."""
    run = 0
    cut: int | None = start  # start of the current part, None while skipping a long run
    prev_end = start
    for m in _WORD.finditer(text, start, end):
        word = m.group()
        name_like = word[:1].isupper() or word.casefold() in _SMALL_NAME_PARTS
        joined = _GAP.fullmatch(text, prev_end, m.start()) is not None
        run = (run + 1 if joined else 1) if name_like else 0
        if run > MAX_RUN_TOKENS and cut is not None:
            if m.start() > cut:
                yield cut, m.start()
            cut = None
        elif run <= MAX_RUN_TOKENS and cut is None:
            cut = m.start()
        prev_end = m.end()
    if cut is not None and end > cut:
        yield cut, end
