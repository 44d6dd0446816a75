"""Red flags: which warnings open an answer, and which questions it reminds the reader to ask.

A red flag (``pl:RedFlag``, read into :class:`~painlink.graph.model.RedFlag`) ties presenting signs to a
serious condition and to an action with an urgency and its sources. Every question's answer runs
:func:`red_flag_alerts` over the entities it is about, and the faces show the alerts *before* any
ranking; an alert is never ranked, cut by a limit, or dropped.

An entity of the question raises a flag's **warning** when

* it is one of the flag's signs, or a kind of one (``sign``);
* it is a broader term of a sign -- "foot drop" for the sign "acute foot drop" -- so the warning says
  "if it is ..." (``possible-sign``): the reader must rule the serious form out;
* it is the serious condition, or a kind of it (``condition``);
* the graph has a causal chain from it to the serious condition (``can-lead-to``: a lumbar disc
  herniation can lead to cauda equina syndrome).

Otherwise an entity raises a **reminder** of the flag's questions when it is a presentation the flag
screens (``pl:screensFor``: back pain with leg or foot symptoms, where patients rarely mention saddle
numbness unless asked), or when it is one of the *other* entities an answer shows -- a candidate cause,
a node on a chain -- and would have raised a warning as a question entity.

>>> from painlink.graph.knowledge import Knowledge
>>> projection = Knowledge.shipped().projection
>>> alerts = red_flag_alerts(projection, ["saddle-numbness"])
>>> alerts[0].level, alerts[0].flag.urgency, alerts[0].flag.condition.id
('warning', 'emergency', 'cauda-equina-syndrome')
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .chains import weighted_causal_graph
from .model import URGENCIES, RedFlag, RedFlagAlert
from .projection import Projection

__all__ = ["LEADS_TO_DEPTH", "red_flag_alerts"]

#: How many causal steps away a condition may be and still count as able to lead to a red-flag condition.
LEADS_TO_DEPTH = 6
#: How strongly each trigger warns: the strongest one found for a flag is the one shown.
_TRIGGER_ORDER = ("sign", "condition", "possible-sign", "can-lead-to", "screens", "shown")


def _leads_to(projection: Projection) -> dict[str, set[str]]:
    """Red-flag condition -> the nodes with a causal chain of at most ``LEADS_TO_DEPTH`` steps into it."""

    def build(p: Projection) -> dict[str, set[str]]:
        graph, _ = weighted_causal_graph(p)
        reverse = graph.reverse(copy=False)
        result = {}
        for flag in p.red_flags.values():
            condition = flag.condition.id
            kinds = [condition, *p.narrower.get(condition, ())]
            upstream: set[str] = set()
            for node in kinds:
                if node in reverse:
                    upstream |= set(nx.single_source_shortest_path_length(reverse, node, cutoff=LEADS_TO_DEPTH))
            result[condition] = upstream - set(kinds)
        return result

    def update(value, previous: Projection, p: Projection, change) -> dict[str, set[str]]:
        # Kept while the causal edges, the flags and the hierarchy it starts from are as they were.
        same = not {"causal", "hierarchy"} & change.groups and p.red_flags == previous.red_flags
        return value if same else build(p)

    return projection.derived("red-flag-upstream", build, update)


def _trigger(projection: Projection, flag: RedFlag, node: str) -> tuple[str, str] | None:
    """(trigger, reason) when ``node`` raises ``flag``'s warning, strongest trigger first."""
    label = projection.ref(node).label
    broader = set(projection.broader.get(node, ()))
    signs = {s.id: s for s in flag.signs}
    condition = flag.condition
    for sign in signs.values():
        if node == sign.id or sign.id in broader:
            kind = "" if node == sign.id else f" (a kind of {sign.label})"
            return "sign", f"{label}{kind} is a warning sign of {condition.label}"
    if node == condition.id or condition.id in broader:
        return "condition", f"the question is about {condition.label}"
    for sign in signs.values():
        if node in projection.broader.get(sign.id, ()):
            serious = "it needs acting on as below" if sign.id == condition.id else (
                f"it is a warning sign of {condition.label}")
            return "possible-sign", f"if the {label} is {sign.label}, {serious}"
    if node in _leads_to(projection).get(condition.id, set()):
        return "can-lead-to", f"{label} can lead to {condition.label}"
    return None


def _screens(projection: Projection, flag: RedFlag, node: str) -> bool:
    screened = {s.id for s in flag.screens_for}
    return node in screened or bool(screened & set(projection.broader.get(node, ())))


def red_flag_alerts(
    projection: Projection, entities: Iterable[str], *, shown: Iterable[str] = ()
) -> tuple[RedFlagAlert, ...]:
    """The alerts for a question about ``entities`` (node ids) whose answer also shows ``shown``
    (candidates, chain nodes): warnings first, most urgent first, then reminders.

    Parameters
    ----------
    projection : Projection
        The graph snapshot the answer was computed on.
    entities : iterable of str
        What the question names: observed symptoms, the two ends of a chain, an intervention's target.
    shown : iterable of str
        Other entities the answer shows; these raise reminders, never warnings.
    """
    asked = list(dict.fromkeys(entities))
    others = [n for n in dict.fromkeys(shown) if n not in asked]
    alerts = []
    for flag in projection.red_flags.values():
        found: tuple[int, RedFlagAlert] | None = None

        def offer(rank: int, alert: RedFlagAlert) -> None:
            nonlocal found
            if found is None or rank < found[0]:
                found = (rank, alert)

        for node in asked:
            hit = _trigger(projection, flag, node)
            if hit is not None:
                offer(_TRIGGER_ORDER.index(hit[0]), RedFlagAlert(flag, "warning", projection.ref(node), hit[1]))
            elif _screens(projection, flag, node):
                reason = f"with {projection.ref(node).label}, ask about the signs of {flag.condition.label}"
                offer(_TRIGGER_ORDER.index("screens"), RedFlagAlert(flag, "reminder", projection.ref(node), reason))
        for node in others:
            hit = _trigger(projection, flag, node)
            if hit is not None:
                reason = f"{hit[1]} (in this answer); ask about the signs of {flag.condition.label}"
                offer(_TRIGGER_ORDER.index("shown"), RedFlagAlert(flag, "reminder", projection.ref(node), reason))
        if found is not None:
            alerts.append(found[1])
    alerts.sort(key=lambda a: (a.level != "warning", a.flag.urgency_rank, _urgency(a.flag), a.flag.label))
    return tuple(alerts)


def _urgency(flag: RedFlag) -> int:
    return URGENCIES.index(flag.urgency) if flag.urgency in URGENCIES else len(URGENCIES)
