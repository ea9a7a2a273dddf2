"""The first-run interview, as in the film: a few questions, then a persona and a name.

The questions are data, so the terminal, the web page and a scripted install
(`os1 setup --answers FILE.toml`) all ask the same thing and configure the same way.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from os1.errors import InputError
from os1.memory.store import now_iso
from os1.persona.naming import NameChoice, choose_name
from os1.persona.persona import Persona
from os1.persona.traits import interpret


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    default: str = ""
    required: bool = False


QUESTIONS = (
    Question("name", "First things first: what should I call you?", required=True),
    Question("social", "Are you social or anti-social?", required=True),
    Question("mother", "How would you describe your relationship with your mother?", required=True),
    Question(
        "direct",
        "When something is hard to hear, do you want it straight, or gently?",
        default="somewhere in between",
    ),
    Question("playful", "And how much do you like to joke around?", default="a fair amount"),
    Question(
        "voice",
        "Last one. Would you like me to sound like a woman or a man, or doesn't it matter?",
        default="a woman",
    ),
)
KEYS = tuple(q.key for q in QUESTIONS)
MAX_ANSWER = 2000


def clean_answer(text: str) -> str:
    """One line of plain text: control characters dropped, spaces collapsed, bounded."""
    text = re.sub(r"[\t\n\r\v\f]", " ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:MAX_ANSWER]


def clean_name(text: str) -> str:
    name = clean_answer(text)[:40].strip(" .,!?")
    if not re.search(r"[^\W\d_]", name):
        raise InputError("A name needs at least one letter.", "What should I call you?")
    return name[0].upper() + name[1:] if name.islower() else name


def read_voice(answer: str) -> str:
    text = answer.lower()
    if re.search(r"\b(woman|female|she|her|girl|lady)\b", text):
        return "female"
    if re.search(r"\b(man|male|he|him|guy|boy)\b", text):
        return "male"
    if re.search(r"matter|either|any|care|whatever|neutral|both", text):
        return "neutral"
    return "female"


def answers_from_toml(path: Path) -> dict[str, str]:
    """Answers for a scripted install; keys name, social and mother are required."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"No answers file at {path}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text.", "Save it as UTF-8 TOML.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path} is not valid TOML ({exc}).") from None
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(
            f"Unknown answer {unknown[0]!r} in {path}.", f"Known answers: {', '.join(KEYS)}."
        )
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        value = data.get(question.key)
        if value is None:
            if question.required:
                raise InputError(
                    f"{path} has no answer for {question.key!r}.",
                    f'Add a line like: {question.key} = "..."',
                )
            value = question.default
        if not isinstance(value, str):
            raise InputError(f"The answer {question.key!r} in {path} must be a string.")
        answers[question.key] = clean_answer(value)
    answers["name"] = clean_name(answers["name"])
    return answers


def configure(answers: dict[str, str]) -> tuple[Persona, NameChoice]:
    """The persona the answers call for, named from the book of names."""
    full = {q.key: answers.get(q.key, q.default) for q in QUESTIONS}
    user = clean_name(full["name"])
    traits = interpret(full)
    voice = read_voice(full["voice"])
    seed = "\x1f".join(full[k] for k in KEYS)
    choice = choose_name(traits, user, voice, seed)
    persona = Persona(
        user_name=user,
        name=choice.name,
        name_meaning=choice.meaning,
        name_origin=choice.origin,
        name_reason=choice.reason,
        voice=voice,
        traits=traits,
        answers=full,
        created_at=now_iso(),
    )
    return persona, choice
