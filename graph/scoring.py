"""The score that ranks causal paths: each edge's weight from its claim's strength and evidence, and the
damping of hubs. (:mod:`painlink.graph.paths` searches with it.)

The score
---------
Each causal edge ``e`` (one claim) gets a weight in [0, 1]::

    w(e) = strength(e) * evidence(e)

* ``strength(e)`` is the ``pl:causalStrength`` of the claim's predicate, read from the schema
  (causes 1.0, contributes to 0.8, may cause 0.6, associated with 0.4).
* ``evidence(e)`` rewards support from *independent*, *trustworthy* sources with diminishing returns.
  Each distinct source ``j`` casts one vote ``v_j = k_j * s_j``: ``s_j`` is the mean over its items of
  +1 (supports), +0.5 (qualifies), -1 (contradicts) -- several quotes from one article are one source,
  not several -- and ``k_j`` the weight of the source's kind, read from the schema
  (``pl:evidenceWeight`` of its ``pl:SourceKind``: guideline and systematic review 1.0, clinical
  reference 0.8, narrative review 0.7, primary study and patient information 0.6, practice page 0.4,
  commercial 0.25; ``UNKNOWN_KIND_WEIGHT`` for a source of no known kind). With ``net = sum_j v_j``::

      evidence(e) = 1 - 2 ** -net    if net > 0     (one guideline 0.5, two 0.75; one commercial page 0.16)
      evidence(e) = FLOOR (0.05)     otherwise     (disputed or contradicted: kept, ranked low)

  So a chain resting on one shoe seller's blog ranks below one resting on one guideline, and a NICE
  guideline against a step outweighs a commercial page for it.

A path of ``n`` edges through interior nodes ``v_1 .. v_{n-1}`` scores::

    score = mean_w * length_factor * hub_factor
    mean_w        = (w(e_1) * ... * w(e_n)) ** (1/n)        geometric mean: a chain is as good as its links
    length_factor = LENGTH_DECAY ** (n - 1)                  LENGTH_DECAY = 0.9: longer chains lower
    hub_factor    = (h(v_1) * ... * h(v_{n-1})) ** (1/(n-1)) (1 for a single edge)
    h(v)          = (1 + ln(1 + max(0, d(v) - 2))) ** -0.5   d(v): distinct causal neighbours of v

so a hub -- a node with many causal links, which would connect almost anything -- is damped, while a
node with only the two links the path uses is not. The geometric mean (rather than the product) keeps
a well-supported three-step mechanism from losing to a bare one-step association just for being longer;
the length factor still prefers the shorter of two equally supported chains.
"""

from __future__ import annotations

import math

from .exceptions import InvalidParameterError
from .vocabulary import STANCES

__all__ = [
    "FLOOR",
    "LENGTH_DECAY",
    "STANCE_VOTES",
    "UNKNOWN_KIND_WEIGHT",
    "claim_evidence_weight",
    "evidence_weight",
    "hub_damping",
]

FLOOR = 0.05
LENGTH_DECAY = 0.9
STANCE_VOTES = {stance.name: stance.vote for stance in STANCES.values()}
#: The vote weight of a source whose kind the graph does not say (the shapes require a kind for every
#: source, so only data loaded around them meets this): as doubtful as a primary study.
UNKNOWN_KIND_WEIGHT = 0.5


def evidence_weight(items) -> float:
    """The evidence factor of an edge from its ``(source, stance)`` or ``(source, stance, kind_weight)``
    items (formula in the module doc); a two-item tuple, or a ``kind_weight`` of None, counts 1.0.

    >>> evidence_weight([("nice", "supports")])
    0.5
    >>> evidence_weight([("nice", "supports"), ("nice", "supports")])   # one source
    0.5
    >>> evidence_weight([("nice", "supports"), ("review", "supports")])
    0.75
    >>> evidence_weight([("article", "supports", 0.25)])                  # a commercial page
    0.1591
    >>> evidence_weight([("article", "supports", 0.25), ("nice", "contradicts", 1.0)])
    0.05
    """
    votes: dict[str, list[float]] = {}
    weights: dict[str, float] = {}
    for item in items:
        source, stance = item[0], item[1]
        kind_weight = item[2] if len(item) > 2 and item[2] is not None else 1.0
        if stance not in STANCE_VOTES:
            raise InvalidParameterError("stance", f"unknown stance {stance!r}: use {', '.join(STANCES)}")
        votes.setdefault(source, []).append(STANCE_VOTES[stance])
        weights[source] = kind_weight
    net = sum(weights[source] * sum(v) / len(v) for source, v in votes.items())
    if net <= 0:
        return FLOOR
    return round(1 - 2 ** -net, 4)


def claim_evidence_weight(evidence) -> float:
    """:func:`evidence_weight` of a claim's :class:`~painlink.graph.model.Evidence` items, each source's
    vote weighed by its kind (``UNKNOWN_KIND_WEIGHT`` when the graph gives none)."""
    return evidence_weight(
        [(e.source.iri, e.stance, e.source.kind_weight if e.source.kind_weight is not None else UNKNOWN_KIND_WEIGHT)
         for e in evidence]
    )


def hub_damping(degree: int) -> float:
    """``h(v)`` for a node with ``degree`` distinct causal neighbours.

    >>> hub_damping(2), hub_damping(4), round(hub_damping(20), 3)
    (1.0, 0.6903, 0.503)
    """
    return round((1 + math.log(1 + max(0, degree - 2))) ** -0.5, 4)
