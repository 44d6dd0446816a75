"""How a name is spelt and compared: case and separators folded (:func:`normalise`), the words that
carry meaning (:func:`meaning`: no filler words, one form for words that say the same), how close two
names are (:func:`closeness`, rapidfuzz's token ratios) and a name's literal score for a search
(:func:`match_score`). :mod:`painlink.graph.lookup` resolves and searches with them."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

__all__ = ["ALL_WORDS", "FILLER", "WORD_FORMS", "closeness", "match_score", "meaning", "normalise"]

#: The search score of a name holding every meaningful word of the query (plus up to 0.15 for closeness).
ALL_WORDS = 0.4
#: Words that carry no meaning of their own in a name ("pain in my foot" is "foot pain").
FILLER = frozenset(
    "a an the my your his her their our its i im i'm me we you it is am are was be been have has had "
    "got get getting feel feels feeling felt of in on at to into from with and or some any very really "
    "bit little sort kind when while if that this there which do does did".split()
)
#: Words that say the same thing in a name, folded to one form on both sides of a comparison. Only
#: words whose sense does not change: "hurts" is pain, but "hurt" (my back) may be an injury.
WORD_FORMS = {
    "ache": "pain", "aches": "pain", "aching": "pain", "achy": "pain", "hurts": "pain", "hurting": "pain",
    "feet": "foot", "legs": "leg", "toes": "toe", "heels": "heel", "knees": "knee",
}


def normalise(text: str) -> str:
    """Case-fold, and treat runs of spaces, hyphens and underscores as one space.

    >>> normalise("  Foot-Pain ") , normalise("foot_pain")
    ('foot pain', 'foot pain')
    """
    return re.sub(r"[\s\-_]+", " ", text.casefold()).strip()


def meaning(text: str) -> str:
    """The words of a name that carry meaning, in order: no punctuation, no filler words, and one form
    for words that say the same (:data:`WORD_FORMS`: "ache" is "pain", "feet" is "foot").

    >>> meaning("I've got pain in my foot!"), meaning("Can't lift my foot"), meaning("lower back ache")
    ("i've pain foot", "can't lift foot", 'lower back pain')
    """
    words = re.findall(r"[\w']+", normalise(text).replace("’", "'"))
    kept = [WORD_FORMS.get(w, w) for w in words if w not in FILLER]
    return " ".join(kept or words)


def closeness(query: str, name: str) -> float:
    """How close two names are, 0-100, forgiving word order, typos and extra words on either side
    (the mean of rapidfuzz's token-set and token-sort ratios over :func:`meaning`).

    >>> closeness("numbness foot", "foot numbness"), closeness("foot numbnes", "foot numbness") > 90
    (100.0, True)
    """
    return (fuzz.token_set_ratio(query, name) + fuzz.token_sort_ratio(query, name)) / 2


def match_score(key: str, words: list[str], name: str) -> float:
    """The literal score of ``name`` for a search key (normalised) and its meaningful ``words``: whole,
    its start, a word's start, anywhere, every word somewhere (:data:`ALL_WORDS`), or 0.

    >>> match_score("foot", ["foot"], "foot pain"), match_score("pain foot", ["pain", "foot"], "foot pain")
    (0.9, 0.4)
    """
    if name == key:
        return 1.0
    if name.startswith(key):
        return 0.9
    if f" {key}" in f" {name}":
        return 0.8
    if key in name:
        return 0.6
    if len(words) > 1 and all(word in name for word in words):
        return ALL_WORDS
    return 0.0
