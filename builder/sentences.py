"""Sentence boundaries, shared by the entity, timeline and fact stages.

A quote-aware regular expression rather than a trained splitter: nothing installable
covers Norwegian, and on pasted web text ("said."Spain", ". . ,") the regex is
both faster and more robust. Offsets always index the paragraph's verbatim text,
so a sentence can be quoted and linked exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from builder.clean import UPPER
from builder.locale_data import month_names

# A break candidate: terminal punctuation, any closing quotes or brackets, then
# either whitespace or an opening quote directly followed by a capital letter.
_BREAK = re.compile(
    rf"[.!?…]+[\"”»’'\)\]]*(?:\s+|(?=[\"“«„‘][{UPPER}]))(?=[\"“«„‘(\[]?[{UPPER}\d])"
)

# Abbreviations that end in a full stop and are followed by a capital or a digit
# without ending the sentence: titles and common short forms, in the supported
# languages. Single letters ("A. Name") and dotted forms ("U.S.", "z.B.") are
# recognised by shape.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt maj cmdr adm gov sen rep rev st jr sr
    nr nos vol fig ca approx etc vs cf ibid
    hr fr frk dir kl ca bl mv evt inkl jf
    hl hr hrn dhr mevr mw
    mm mme mlle mgr
    sr sra srta dña
    sig sigg dott
    herr frau dipl ing
    gen prof adw
    ул г гг им т тт др пр проф ген
    """.split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, whitespace trimmed, covering every word."""
    return list(_spans(text))


@lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        if _is_abbreviation(text, match.start()):
            continue
        end = match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(_trim(text, start, end))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return tuple(spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation rather than a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"[\w.]+$", text[max(0, dot - 40):dot])  # a bounded look back: linear in the text
    if not word:
        return False
    token = word.group()
    if "." in token.strip("."):  # U.S, z.B, bl.a
        return True
    if len(token) == 1 and token.isalpha() and token.isupper():  # an initial
        return True
    if token.isdigit() and len(token) <= 2:  # an ordinal day before its month: "bis zum 4. März"
        following = _WORD_AFTER.match(text, dot + 1)
        return bool(following) and following.group(1).lower() in month_names()
    return token.lower() in ABBREVIATIONS


_WORD_AFTER = re.compile(r"\s*(\w+)")


def sentence_at(text: str, position: int) -> tuple[int, int]:
    """The sentence containing character `position` (the whole text if none)."""
    for start, end in sentence_spans(text):
        if start <= position < end:
            return start, end
    return 0, len(text)
