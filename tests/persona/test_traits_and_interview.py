"""Reading the interview: traits from free text, the answers file, names and voices."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.errors import InputError
from os1.persona.interview import (
    KEYS,
    MAX_ANSWER,
    answers_from_toml,
    clean_answer,
    clean_name,
    read_voice,
)
from os1.persona.traits import (
    Traits,
    describe,
    interpret,
    read_directness,
    read_mother,
    read_playfulness,
    read_sociability,
)

FILM_MOTHER = (
    "It's fine, I guess... the thing I've always found frustrating about my mom is if I tell "
    "her something that's going on in my life, her reaction is usually about her"
)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Anti-social, I guess. I keep to myself.", "anti-social"),
        ("antisocial", "anti-social"),
        ("I'm an introvert, honestly.", "anti-social"),
        ("Not social.", "anti-social"),
        ("I'm not very social at all", "anti-social"),
        ("I prefer my own company, I'm quiet.", "anti-social"),
        ("Social! I love parties and seeing my friends.", "social"),
        ("Very outgoing, a real people person", "social"),
        ("A bit of both, it depends on the day.", "in between"),
        ("Somewhere in between", "in between"),
        ("I'm not sure what you mean", "in between"),
        ("", "in between"),
    ],
)
def test_read_sociability(answer: str, expected: str) -> None:
    assert read_sociability(answer) == expected


def test_negated_shyness_is_not_anti_social() -> None:
    assert read_sociability("I'm not shy at all, I love being around people") == "social"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (FILM_MOTHER, "complicated"),
        ("It's complicated. She always makes things about her.", "complicated"),
        ("Not close at all.", "complicated"),
        ("We don't talk anymore.", "complicated"),
        ("Not great, honestly.", "complicated"),
        ("We're very close, she's my best friend.", "close"),
        ("Good. I love her.", "close"),
        ("She passed away when I was twelve.", "loss"),
        ("I never knew her.", "loss"),
        ("She's gone now, I miss her.", "loss"),
        ("She's a teacher.", "unsaid"),
        ("   ", "unsaid"),
    ],
)
def test_read_mother(answer: str, expected: str) -> None:
    assert read_mother(answer) == expected


def test_negated_complicated_is_close() -> None:
    assert read_mother("It's not complicated at all, we're very close.") == "close"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Straight, please. I'd rather know the truth.", 0.85),
        ("Be blunt with me.", 0.85),
        ("Gently, please.", 0.3),
        ("Be kind about it.", 0.3),
        ("Please don't be blunt.", 0.3),
        ("somewhere in between", 0.55),
        ("", 0.55),
    ],
)
def test_read_directness(answer: str, expected: float) -> None:
    assert read_directness(answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("All the time!", 0.85),
        ("I love a good joke.", 0.85),
        ("Yes, absolutely.", 0.85),
        ("Not much, I'm a pretty serious person.", 0.3),
        ("Not a lot.", 0.3),
        ("Rarely.", 0.3),
        ("no", 0.25),
        ("Not at all", 0.25),
        ("a fair amount", 0.6),
    ],
)
def test_read_playfulness(answer: str, expected: float) -> None:
    assert read_playfulness(answer) == expected


def test_interpret_the_conftest_answers() -> None:
    traits = interpret(
        {
            "name": "Theo",
            "social": "Anti-social, I guess. I keep to myself.",
            "mother": FILM_MOTHER,
            "direct": "Straight, please.",
            "playful": "All the time!",
        }
    )
    assert traits == Traits(
        warmth=0.9,
        playfulness=0.85,
        directness=0.85,
        curiosity=0.75,
        outgoing=0.4,
        family_care=0.85,
        user_sociability="anti-social",
        mother_relation="complicated",
    )


def test_interpret_a_social_user_close_to_their_mother() -> None:
    traits = interpret({"social": "Very social!", "mother": "We're close."})
    assert (traits.outgoing, traits.curiosity, traits.family_care, traits.warmth) == (
        0.8,
        0.8,
        0.4,
        0.8,
    )


def test_interpret_with_no_answers_keeps_the_defaults() -> None:
    traits = interpret({})
    assert traits.user_sociability == "in between"
    assert traits.mother_relation == "unsaid"
    assert (traits.playfulness, traits.directness, traits.family_care) == (0.6, 0.55, 0.5)


def test_describe_is_one_sentence_that_names_the_user() -> None:
    traits = interpret({"social": "I keep to myself.", "mother": FILM_MOTHER})
    sentence = describe(traits, "Theo")
    assert sentence == (
        "I think I'll be very warm with you, Theo, playful when the moment invites it, "
        "honest but kind about it, happy to keep you quiet company, and careful with you "
        "when we talk about family."
    )


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"social": "Social!", "mother": "close", "direct": "blunt", "playful": "always"},
        {"social": "both", "mother": "she died", "direct": "gently", "playful": "no"},
    ],
)
def test_describe_always_gives_one_sentence(answers: dict[str, str]) -> None:
    sentence = describe(interpret(answers), "Ines")
    assert sentence.startswith("I think I'll be ")
    assert ", Ines, " in sentence
    assert sentence.endswith(".")
    assert sentence.count(".") == 1
    assert "?" not in sentence and "!" not in sentence


# The answers file


def _answers(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "answers.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


REQUIRED = 'name = "theo"\nsocial = "I keep to myself"\nmother = "It\'s complicated"\n'


def test_answers_file_with_only_the_required_keys_gets_defaults(tmp_path: Path) -> None:
    answers = answers_from_toml(_answers(tmp_path, REQUIRED))
    assert answers == {
        "name": "Theo",
        "social": "I keep to myself",
        "mother": "It's complicated",
        "direct": "somewhere in between",
        "playful": "a fair amount",
        "voice": "a woman",
    }
    assert tuple(answers) == KEYS


def test_answers_file_with_every_key(tmp_path: Path) -> None:
    text = REQUIRED + 'direct = "straight"\nplayful = "always"\nvoice = "a man"\n'
    answers = answers_from_toml(_answers(tmp_path, text))
    assert (answers["direct"], answers["playful"], answers["voice"]) == (
        "straight",
        "always",
        "a man",
    )


@pytest.mark.parametrize("missing", ["name", "social", "mother"])
def test_answers_file_needs_the_required_keys(tmp_path: Path, missing: str) -> None:
    lines = [line for line in REQUIRED.splitlines() if not line.startswith(missing)]
    path = _answers(tmp_path, "\n".join(lines))
    with pytest.raises(InputError) as caught:
        answers_from_toml(path)
    assert str(caught.value) == (
        f'{path} has no answer for {missing!r}. Add a line like: {missing} = "..."'
    )


def test_answers_file_refuses_an_unknown_key(tmp_path: Path) -> None:
    path = _answers(tmp_path, REQUIRED + 'age = "34"\n')
    with pytest.raises(InputError) as caught:
        answers_from_toml(path)
    assert str(caught.value) == (
        f"Unknown answer 'age' in {path}. Known answers: {', '.join(KEYS)}."
    )


@pytest.mark.parametrize("value", ["3", "true", '["a", "b"]', '{ a = "b" }'])
def test_answers_file_refuses_a_non_string(tmp_path: Path, value: str) -> None:
    path = _answers(tmp_path, REQUIRED.replace('"I keep to myself"', value))
    with pytest.raises(InputError, match=r"The answer 'social' in .* must be a string"):
        answers_from_toml(path)


def test_answers_file_refuses_invalid_toml(tmp_path: Path) -> None:
    path = _answers(tmp_path, 'name = "Theo\n')
    with pytest.raises(InputError, match=r"is not valid TOML"):
        answers_from_toml(path)


def test_answers_file_refuses_non_utf8(tmp_path: Path) -> None:
    path = _answers(tmp_path, REQUIRED.encode().replace(b"theo", b"th\xe9o"))
    with pytest.raises(InputError) as caught:
        answers_from_toml(path)
    assert str(caught.value) == f"{path} is not UTF-8 text. Save it as UTF-8 TOML."


def test_answers_file_that_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(InputError) as caught:
        answers_from_toml(path)
    assert str(caught.value) == f"No answers file at {path}."


def test_answers_file_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Cannot read"):
        answers_from_toml(tmp_path)


def test_answers_file_strips_control_characters(tmp_path: Path) -> None:
    text = (
        'name = "The\\u0007o\\u001b[31m"\n'
        'social = "  I   keep\\u0000 to myself  "\n'
        'mother = "It\'s \\u202ecomplicated"\n'
    )
    answers = answers_from_toml(_answers(tmp_path, text))
    assert answers["name"] == "Theo[31m"
    assert answers["social"] == "I keep to myself"
    assert answers["mother"] == "It's complicated"


def test_answers_file_with_an_unusable_name(tmp_path: Path) -> None:
    path = _answers(tmp_path, REQUIRED.replace('"theo"', '"?!..."'))
    with pytest.raises(InputError, match="A name needs at least one letter"):
        answers_from_toml(path)


def test_a_multi_line_answer_keeps_its_words_apart(tmp_path: Path) -> None:
    text = REQUIRED.replace('"I keep to myself"', '"""\nI keep to\nmyself,\tmostly."""')
    answers = answers_from_toml(_answers(tmp_path, text))
    assert answers["social"] == "I keep to myself, mostly."


def test_clean_answer_is_bounded() -> None:
    assert len(clean_answer("word " * 1000)) == MAX_ANSWER


# Names and voices


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("theo", "Theo"),
        ("  Theo!  ", "Theo"),
        ("mcKenzie", "mcKenzie"),
        ("ines maria", "Ines maria"),
        ("Zoë", "Zoë"),
        ("李雷", "李雷"),
        ("x" * 60, "X" + "x" * 39),
    ],
)
def test_clean_name(raw: str, name: str) -> None:
    assert clean_name(raw) == name


@pytest.mark.parametrize("raw", ["", "   ", "?!", "...", "🙂🙂", "\x00\x01"])
def test_clean_name_rejects_names_without_letters(raw: str) -> None:
    with pytest.raises(InputError) as caught:
        clean_name(raw)
    assert str(caught.value) == "A name needs at least one letter. What should I call you?"


@pytest.mark.parametrize("raw", ["1234", "___"])
def test_clean_name_rejects_digits_only(raw: str) -> None:
    with pytest.raises(InputError):
        clean_name(raw)


@pytest.mark.parametrize(
    ("answer", "voice"),
    [
        ("a woman", "female"),
        ("A woman, please.", "female"),
        ("female", "female"),
        ("like her in the film", "female"),
        ("a man", "male"),
        ("Male, I think.", "male"),
        ("a guy", "male"),
        ("Doesn't matter.", "neutral"),
        ("I don't care", "neutral"),
        ("either is fine", "neutral"),
        ("", "female"),
        ("hmm", "female"),
    ],
)
def test_read_voice(answer: str, voice: str) -> None:
    assert read_voice(answer) == voice
