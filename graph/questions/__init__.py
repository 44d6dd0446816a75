"""The questions painlink answers, each declared once: its parameters (public name, type, default,
bounds, description, the operator setting that caps it), its answer type and how to ask it.

Every face renders these declarations and repeats none of them: the JSON API (its routes and OpenAPI),
the pages, the ``painlink`` command line, the SPARQL path extension and the MCP tools all read
:data:`QUESTIONS`. A parameter has ONE public name on every face (``max_length``, ``limit``,
``symptom``, ``from`` ...); a face may only respell it mechanically (the CLI's ``--max-length``,
SPARQL's ``pl:maxLength``: see :attr:`Parameter.flag` and :attr:`Parameter.property_name`).

The package: :mod:`~painlink.graph.questions.parameter` (:class:`Parameter`),
:mod:`~painlink.graph.questions.question` (:class:`Question`, :func:`bounded`) and
:mod:`~painlink.graph.questions.declarations` (:data:`QUESTIONS`: add a question there).

The API
-------
``Parameter`` (frozen): ``name``, ``type`` (``"string"``, ``"integer"``, ``"strings"`` -- a repeatable
value, a list -- or ``"boolean"``), ``description`` (one line a person or an AI assistant can act on),
``default``, ``required``, ``minimum`` / ``maximum`` (integers), ``max_items`` (strings), ``max_chars``
(string and strings), ``setting`` (the :class:`~painlink.service.settings.Settings` field that caps
``maximum`` on a server, e.g. ``max_path_length``), ``entity`` (the value names an entity: an id, IRI,
CURIE, label or synonym), ``capped_by`` (set by :meth:`Parameter.bounded` when a setting lowered the
maximum; error messages then name it). :meth:`Parameter.coerce` turns one raw value (a string from an
address or a command line, or a JSON value) into the checked value or raises
:class:`~painlink.graph.exceptions.InvalidParameterError`; :meth:`Parameter.schema` is its JSON Schema.

``Question`` (frozen): ``name``, ``title``, ``description``, ``parameters``, ``answer`` (the answer
dataclass of :mod:`painlink.graph.model`), ``path_question`` (True when it runs the path engine, which
a server runs in its path pool under a budget). Methods:

* ``question.parameter(name)`` -- one declaration;
* ``question.validate(raw)`` -- ``raw`` (a mapping of public names to raw values) coerced, checked and
  completed with the defaults: a dict of every parameter. Unknown names, missing required values, a
  value out of range: :class:`~painlink.graph.exceptions.InvalidParameterError` whose ``field`` is the
  public name and whose message gives the value and the allowed range;
* ``question.ask(knowledge, **values)`` -- validate, then answer with the engine (a
  :class:`~painlink.graph.knowledge.Knowledge`); errors name public parameters;
* ``question.input_schema()`` -- a JSON Schema object of the parameters with bounds and defaults;
* ``question.bounded(caps)`` -- the declaration with each maximum lowered to ``caps[setting]`` (and
  each default to the new maximum).

:data:`QUESTIONS` maps name -> :class:`Question`, in the order the faces list them; ``bounded(QUESTIONS,
caps)`` applies an operator's settings to all of them at once (``caps`` is any mapping holding the
setting names, e.g. ``Settings().model_dump()``).

>>> from painlink.graph import InvalidParameterError, Knowledge
>>> paths = QUESTIONS["paths"]
>>> [p.name for p in paths.parameters]
['from', 'to', 'max_length', 'limit']
>>> paths.validate({"from": "foot pain", "to": "back pain", "limit": "3"})
{'from': 'foot pain', 'to': 'back pain', 'max_length': 6, 'limit': 3}
>>> served = bounded(QUESTIONS, {"max_path_length": 3, "max_answers": 2})
>>> served["paths"].parameter("max_length").maximum, served["paths"].parameter("max_length").default
(3, 3)
>>> try:
...     served["paths"].validate({"from": "a", "to": "b", "max_length": "8"})
... except InvalidParameterError as error:
...     print(error)
max_length: must be a whole number from 1 to 3, not “8” (at most 3 on this server: setting max_path_length)
>>> paths.input_schema()["properties"]["max_length"]["maximum"]
10
>>> answer = paths.ask(Knowledge.shipped(), **{"from": "foot pain", "to": "back pain", "limit": 1})
>>> [node.id for node in answer.paths[0].nodes]
['foot-pain', 'altered-gait', 'spinal-misalignment', 'back-pain']
"""

from __future__ import annotations

from .declarations import QUESTIONS
from .parameter import Parameter, TYPES
from .question import Question, bounded

__all__ = [
    "QUESTIONS",
    "TYPES",
    "Parameter",
    "Question",
    "bounded",
]
