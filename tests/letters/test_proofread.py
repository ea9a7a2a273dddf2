"""Proofreading: the spell checker's flags, the model's choices under a schema, spans, modes."""

from __future__ import annotations

import pytest

from os1.letters.edits import Change, Proofreading, context_line
from os1.letters.proofread import Proofreader, choice_schema, diff_changes, small_enough
from os1.letters.spelling import flags, match_case
from os1.testing import ScriptedMind
from tests.conftest import run

from .conftest import proofreading_answers

DONE_WHEN = "Their going to the beech tomorow."


def test_the_spell_checker_flags_misspellings_and_confusable_words() -> None:
    found = {f.word: f for f in flags(DONE_WHEN)}
    assert found["tomorow"].kind == "spelling" and found["tomorow"].best == "tomorrow"
    assert found["Their"].kind == "confusable" and "They're" in found["Their"].options
    assert found["beech"].options == ("beech", "beach")
    assert [f.word for f in flags("Theodore wrote to Catherine in Los Angeles.")] == []
    assert flags("I recieve alot of leters.", confusables=False)[1].best == "a lot"
    assert match_case("BEECH", "beach") == "BEACH"


def test_combined_fixes_the_done_when_sentence_and_every_fix_names_its_span() -> None:
    mind = ScriptedMind(structured=proofreading_answers({"Their": "They're", "beech": "beach",
                                                         "tomorow": "tomorrow"}))  # fmt: skip
    result = run(Proofreader(mind, "combined").check(DONE_WHEN))
    assert result.corrected() == "They're going to the beach tomorrow."
    assert [(c.before, c.after) for c in result.changes] == [
        ("Their", "They're"), ("beech", "beach"), ("tomorow", "tomorrow")]  # fmt: skip
    for change in result.changes:
        assert DONE_WHEN[change.start : change.end] == change.before and change.reason
    schemas = [r.options.json_schema for r in mind.requests]
    assert schemas[0] == choice_schema(flags(DONE_WHEN))  # the choices were an enum each
    assert "[1] going to the [2] [3]." in mind.requests[0].messages[-1].content


def test_the_model_cannot_rewrite_the_writer_only_fix() -> None:
    text = "I has went to the store and buyed three apple."
    rewrite = "Yesterday, I made a lovely trip to the grocery store for some fruit."
    mind = ScriptedMind(structured=proofreading_answers({"buyed": "bused"}, {text: rewrite}))
    result = run(Proofreader(mind, "combined").check(text))
    assert result.corrected() == "I has went to the store and bused three apple."
    fixed = "I went to the store and bought three apples."
    mind = ScriptedMind(
        structured=proofreading_answers(
            {"buyed": "bused"},
            {text: fixed.replace("bought", "bused")},
        )
    )
    result = run(Proofreader(mind, "combined").check(text))
    assert result.corrected() == "I went to the store and bused three apples."


def test_the_models_respelling_wins_over_the_spell_checkers_guess() -> None:
    text = "We buyed flowers."
    mind = ScriptedMind(structured=proofreading_answers(
        {"buyed": "bused"}, {text: "We bought flowers."}))  # fmt: skip
    assert run(Proofreader(mind).check(text)).corrected() == "We bought flowers."


def test_modes_model_alone_and_spell_checker_alone() -> None:
    mind = ScriptedMind(
        structured=proofreading_answers({}, {DONE_WHEN: "Their going to the beach."})
    )
    model = run(Proofreader(mind, "model").check(DONE_WHEN))
    assert model.corrected() == "Their going to the beach."
    spelling = run(Proofreader(None, "spelling").check(DONE_WHEN))
    assert spelling.corrected() == "Their going to the beech tomorrow."
    with pytest.raises(Exception, match="needs a model"):
        Proofreader(None, "combined")


def test_diff_changes_name_their_spans_and_reasons() -> None:
    text = "dear theo its been a long time, i miss you"
    revised = "Dear Theo, it's been a long time. I miss you."
    changes = diff_changes(text, revised)
    from os1.letters.edits import apply

    assert apply(text, changes) == revised
    for change in changes:
        assert text[change.start : change.end] == change.before
    assert {c.reason for c in changes} >= {"capital letter", "apostrophe"}
    assert not small_enough("went to the shops", "traveled to the grocery market downtown")
    assert small_enough("has went", "went") and small_enough("is", "are")


def test_accepting_some_changes_and_long_texts_in_pieces() -> None:
    text = "Their going.\n\nI miss the beech."
    mind = ScriptedMind(structured=proofreading_answers({"Their": "They're", "beech": "beach"}))
    result = run(Proofreader(mind).check(text))
    assert result.corrected() == "They're going.\n\nI miss the beach."
    assert result.corrected([False, True]) == "Their going.\n\nI miss the beach."
    minus, plus = context_line(text, result.changes[1])
    assert minus.endswith("[beech].") and plus.endswith("[beach].")
    assert Proofreading("x", (Change(0, 1, "x", "y", "r", "spelling"),)).corrected() == "y"
