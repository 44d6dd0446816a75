"""The question declarations themselves: coercion, bounds, caps, schemas and asking."""

from __future__ import annotations

import jsonschema_rs  # schemathesis brings it (tests/hardening/test_openapi_fuzz.py)
import pytest

from painlink.graph import QUESTIONS, InvalidParameterError, Knowledge, bounded


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.shipped()


def test_every_question_has_an_answer_type_and_described_parameters() -> None:
    assert list(QUESTIONS)[:6] == ["search", "entity", "neighbourhood", "paths", "explain", "interventions"]
    for question in QUESTIONS.values():
        assert question.title and question.description and isinstance(question.answer, type)
        for parameter in question.parameters:
            assert parameter.description.strip(), (question.name, parameter.name)
            if parameter.type == "integer":
                assert parameter.minimum <= parameter.default <= parameter.maximum, (question.name, parameter.name)


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_each_question_answers_with_its_declared_type_and_red_flags_come_first(knowledge, name) -> None:
    question = QUESTIONS[name]
    values = {"from": "foot pain", "to": "back pain", "symptom": ["saddle numbness"], "for": "back pain",
              "q": "foot", "focus": "foot pain", "about": "foot pain", "id": "foot pain"}
    if name == "claim":
        values["id"] = "foot-pain--causes--altered-gait"
    if name == "red_flags":
        values["about"] = ["saddle numbness"]
    answer = question.ask(knowledge, **{n: values[n] for n in question.names if question.parameter(n).required})
    assert isinstance(answer, question.answer)
    data = answer.to_dict()
    if "red_flags" in data:
        assert next(iter(data)) == "red_flags"


def test_validate_fills_defaults_and_refuses_naming_the_parameter_value_and_range() -> None:
    explain = QUESTIONS["explain"]
    assert explain.validate({"symptom": "foot drop"}) == {"symptom": ["foot drop"], "limit": 10, "max_length": 4}
    with pytest.raises(InvalidParameterError) as refused:
        explain.validate({"symptom": ["a"], "limit": "101"})
    assert refused.value.field == "limit"
    assert str(refused.value) == "limit: must be a whole number from 1 to 100, not “101”"
    with pytest.raises(InvalidParameterError, match=r"symptom: at most 20 values at once, not 21"):
        explain.validate({"symptom": ["a"] * 21})
    with pytest.raises(InvalidParameterError, match=r"^symptom: is required"):
        explain.validate({})
    with pytest.raises(InvalidParameterError, match=r"^colour: is not a parameter of explain"):
        explain.validate({"symptom": ["a"], "colour": "red"})
    with pytest.raises(InvalidParameterError, match=r"given 2 times"):
        QUESTIONS["paths"].validate({"from": ["a", "b"], "to": "c"})


def test_caps_lower_maxima_and_defaults_and_are_named_in_refusals() -> None:
    served = bounded(QUESTIONS, {"max_path_length": 2, "max_answers": 3})
    interventions = served["interventions"].parameter("max_length")
    assert (interventions.maximum, interventions.default, interventions.capped_by) == (2, 2, "max_path_length")
    assert served["search"].parameter("limit").default == 3
    assert served["entity"] == QUESTIONS["entity"]  # nothing of it is capped
    with pytest.raises(InvalidParameterError, match=r"at most 3 on this server: setting max_answers"):
        served["search"].validate({"q": "foot", "limit": 4})
    # Caps above the engine's ceiling do not raise it.
    assert bounded(QUESTIONS, {"max_answers": 1000})["paths"].parameter("limit").maximum == 100


def test_input_schema_is_valid_json_schema_that_agrees_with_validate() -> None:
    for question in QUESTIONS.values():
        schema = question.input_schema()
        jsonschema_rs.meta.validate(schema)
        validator = jsonschema_rs.Draft202012Validator(schema)
        for parameter in question.parameters:
            if parameter.type == "integer":
                base = {p.name: ["x"] if p.type == "strings" else "x" for p in question.parameters if p.required}
                for value, valid in ((parameter.maximum, True), (parameter.maximum + 1, False),
                                     (parameter.minimum - 1, False)):
                    assert validator.is_valid({**base, parameter.name: value}) is valid
                    try:
                        question.validate({**base, parameter.name: value})
                        accepted = True
                    except InvalidParameterError:
                        accepted = False
                    assert accepted is valid, (question.name, parameter.name, value)


def test_engine_errors_come_back_under_the_public_name(knowledge) -> None:
    with pytest.raises(InvalidParameterError) as refused:
        QUESTIONS["paths"].ask(knowledge, **{"from": "foot pain", "to": "foot-pain"})
    assert refused.value.field == "to"
